//! The model loader and the generator on hostile models: seeded mutations of a small valid model
//! (bytes flipped, tokens inserted, slices cut or doubled, deep nesting), and shape graphs that
//! are deep or cyclic, must give an error or a crate, never a panic or a stack overflow. Every
//! case runs on a thread with a small stack; cases are bounded and seeds fixed.

use aws_thin_codegen::{generate_report, Model, Settings};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Small next to what an unbounded recursion over the 5 000-deep models below would need (the
/// generator's debug-build frames take about 10 KiB per nesting level).
const STACK: usize = 4 * 1024 * 1024;

const MODEL: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "example#Svc": {"type": "service", "version": "2020-01-01", "operations": [{"target": "example#Op"}],
      "traits": {"aws.protocols#awsJson1_1": {}, "aws.api#service": {"sdkId": "Svc", "endpointPrefix": "svc"},
                 "aws.auth#sigv4": {"name": "svc"}, "smithy.api#documentation": "<p>A <b>service</b></p>"}},
    "example#Op": {"type": "operation", "input": {"target": "example#Req"}, "output": {"target": "example#Out"},
      "errors": [{"target": "example#Bad"}]},
    "example#Req": {"type": "structure", "members": {
      "name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
      "tags": {"target": "example#Tags"}, "when": {"target": "smithy.api#Timestamp"},
      "kind": {"target": "example#Kind"}, "choice": {"target": "example#Choice"},
      "attrs": {"target": "example#Attrs"}, "data": {"target": "smithy.api#Blob"}}},
    "example#Out": {"type": "structure", "members": {"count": {"target": "smithy.api#Integer"}}},
    "example#Bad": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
      "traits": {"smithy.api#error": "client"}},
    "example#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
    "example#Attrs": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "example#Tags"}},
    "example#Kind": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}}},
    "example#Choice": {"type": "union", "members": {"s": {"target": "smithy.api#String"}, "n": {"target": "example#Req"}}}
  }
}"#;

const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\\",
    "\\u0000",
    "null",
    "true",
    "1e400",
    "-1",
    "\"smithy.api#Unit\"",
    "\"example#In\"",
    "\"example#Nope\"",
    "\"structure\"",
    "\"list\"",
    "#",
    "$",
    "\u{1b}",
    "\u{202e}",
    "🦀",
    "\"target\"",
    "\"member\"",
    "\"mixins\"",
];

fn mutate(rng: &mut fastrand::Rng, base: &str) -> String {
    let mut out = base.as_bytes().to_vec();
    for _ in 0..rng.usize(1..=3) {
        let at = rng.usize(..=out.len());
        match rng.u8(..5) {
            0 if !out.is_empty() => {
                let i = rng.usize(..out.len());
                out[i] = rng.u8(..);
            }
            1 => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
            2 => {
                let end = rng.usize(at..=out.len().min(at + 40));
                out.drain(at..end);
            }
            3 => {
                let end = rng.usize(at..=out.len().min(at + 80));
                let slice = out[at..end].to_vec();
                let to = rng.usize(..=out.len());
                out.splice(to..to, slice);
            }
            _ => {
                let times = [10, 1_000, 20_000][rng.usize(..3)];
                out.splice(at..at, b"[{\"a\":".repeat(times));
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Loads `json` and, if it loads, generates from it; panics only if either panics.
fn load_and_generate(json: &str) {
    if let Ok(model) = Model::from_json(json, "fuzz.json") {
        let _ = generate_report(&model, &Settings::default());
    }
}

fn on_small_stack(name: &'static str, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("{name} failed"));
}

#[test]
fn mutated_models_never_panic() {
    on_small_stack("mutated models", || {
        let model = Model::from_json(MODEL, "seed").unwrap();
        generate_report(&model, &Settings::default()).expect("the seed model generates");
        let mut rng = fastrand::Rng::with_seed(9);
        for _ in 0..150 {
            let json = mutate(&mut rng, MODEL);
            if catch_unwind(AssertUnwindSafe(|| load_and_generate(&json))).is_err() {
                panic!("panicked on model {json:?}");
            }
        }
    });
}

/// A list of a list of ... 5 000 deep, and structures that contain themselves through lists,
/// maps and unions.
#[test]
fn deep_and_cyclic_shape_graphs_are_handled() {
    on_small_stack("deep shapes", || {
        let mut shapes = vec![
            r#""example#Svc": {"type": "service", "version": "1", "operations": [{"target": "example#Op"}],
               "traits": {"aws.protocols#awsJson1_1": {}, "aws.api#service": {"sdkId": "Svc"}, "aws.auth#sigv4": {"name": "svc"}}}"#
                .to_owned(),
            r#""example#Op": {"type": "operation", "input": {"target": "example#Req"}}"#.to_owned(),
            r#""example#Req": {"type": "structure", "members": {"deep": {"target": "example#L0"},
               "me": {"target": "example#Req"}, "ring": {"target": "example#Ring"}}}"#
                .to_owned(),
            r#""example#Ring": {"type": "map", "key": {"target": "smithy.api#String"},
               "value": {"target": "example#U"}}"#
                .to_owned(),
            r#""example#U": {"type": "union", "members": {"back": {"target": "example#Req"}}}"#
                .to_owned(),
        ];
        const DEPTH: usize = 5_000;
        for i in 0..DEPTH {
            let target = if i + 1 == DEPTH {
                "smithy.api#String".to_owned()
            } else {
                format!("example#L{}", i + 1)
            };
            shapes.push(format!(
                r#""example#L{i}": {{"type": "list", "member": {{"target": "{target}"}}}}"#
            ));
        }
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{{}}}}}"#,
            shapes.join(",\n")
        );
        let model = Model::from_json(&json, "deep.json").unwrap();
        let error = generate_report(&model, &Settings::default()).unwrap_err();
        assert!(
            error.to_string().contains("nest more than 100 levels deep"),
            "{error}"
        );

        // A chain of structures each first reached through the previous one.
        let mut shapes = shapes[..5].to_vec();
        shapes[2] = r#""example#Req": {"type": "structure", "members": {"next": {"target": "example#S0"}}}"#.to_owned();
        for i in 0..DEPTH {
            shapes.push(format!(
                r#""example#S{i}": {{"type": "structure", "members": {{"next": {{"target": "example#S{}"}}}}}}"#,
                (i + 1) % DEPTH
            ));
        }
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{{}}}}}"#,
            shapes.join(",\n")
        );
        let model = Model::from_json(&json, "chain.json").unwrap();
        let error = generate_report(&model, &Settings::default()).unwrap_err();
        assert!(
            error.to_string().contains("nest more than 100 levels deep"),
            "{error}"
        );
    });
}
