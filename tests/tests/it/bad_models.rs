//! Models the generator cannot handle fail with an error naming the shape and the reason, and
//! `cargo xtask codegen` writes nothing.

use std::path::{Path, PathBuf};

/// A scratch folder with `model.json` holding `json`, and an output folder `out` inside it.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str, json: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("aws-thin-bad-model-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        std::fs::write(dir.join("model.json"), json).expect("write model");
        Scratch { dir }
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    /// `cargo xtask codegen --model model.json --out out EXTRA...`, in-process.
    fn codegen(&self, extra: &[&str]) -> Result<(), String> {
        let model = self.dir.join("model.json");
        let out = self.out();
        let mut args: Vec<String> = [
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec();
        args.extend(extra.iter().map(|a| a.to_string()));
        xtask::codegen::run(&args)
    }

    /// Runs codegen expecting failure; asserts nothing was written and returns the error.
    fn codegen_error(&self, extra: &[&str]) -> String {
        let error = self.codegen(extra).expect_err("the run must fail");
        assert_eq!(
            count_files(&self.out()),
            0,
            "a failed run wrote files into {}",
            self.out().display()
        );
        error
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `cargo xtask codegen` on `json` into an empty directory; returns its error and asserts
/// the output directory stayed empty.
fn codegen_error(name: &str, json: &str) -> String {
    Scratch::new(name, json).codegen_error(&[])
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// A small valid model; each test breaks one thing.
fn model(extra_shapes: &str, request_members: &str) -> String {
    format!(
        r#"{{
  "smithy": "2.0",
  "shapes": {{
    "example.svc#Svc": {{
      "type": "service", "version": "2020-01-01",
      "operations": [{{"target": "example.svc#Op"}}],
      "traits": {{"aws.protocols#awsJson1_1": {{}}, "aws.auth#sigv4": {{"name": "svc"}}, "aws.api#service": {{"sdkId": "Svc", "endpointPrefix": "svc"}}}}
    }},
    "example.svc#Op": {{"type": "operation", "input": {{"target": "example.svc#OpRequest"}}}},
    "example.svc#OpRequest": {{"type": "structure", "members": {{{request_members}}}}}
    {extra_shapes}
  }}
}}"#
    )
}

#[test]
fn the_minimal_model_itself_generates() {
    let scratch = Scratch::new(
        "valid",
        &model("", r#""name": {"target": "smithy.api#String"}"#),
    );
    scratch.codegen(&[]).expect("valid model generates");
    assert!(scratch.out().join("src/operation/op.rs").is_file());
}

#[test]
fn malformed_json_names_the_file_and_the_position() {
    let error = codegen_error("malformed", "{\"smithy\": \"2.0\", \"shapes\": {");
    assert!(error.contains("model.json"), "{error}");
    assert!(
        error.contains("not a Smithy JSON AST document") && error.contains("line"),
        "{error}"
    );
}

#[test]
fn a_dangling_target_names_the_member_and_the_missing_shape() {
    let error = codegen_error(
        "dangling",
        &model("", r#""name": {"target": "example.svc#Missing"}"#),
    );
    assert!(error.contains("example.svc#OpRequest$name"), "{error}");
    assert!(
        error.contains("`example.svc#Missing`, which is not defined"),
        "{error}"
    );
}

#[test]
fn a_map_with_non_string_keys_cannot_be_carried_by_json() {
    let error = codegen_error(
        "intkeys",
        &model(
            r#", "example.svc#Counts": {"type": "map", "key": {"target": "smithy.api#Integer"}, "value": {"target": "smithy.api#String"}}"#,
            r#""counts": {"target": "example.svc#Counts"}"#,
        ),
    );
    assert!(error.contains("shape `example.svc#Counts`"), "{error}");
    assert!(error.contains("map keys must be strings"), "{error}");
}

#[test]
fn a_member_targeting_an_operation_is_rejected() {
    let error = codegen_error(
        "optarget",
        &model("", r#""op": {"target": "example.svc#Op"}"#),
    );
    assert!(error.contains("example.svc#OpRequest$op"), "{error}");
    assert!(
        error.contains("(a shape of type operation), which cannot be a member"),
        "{error}"
    );
}

#[test]
fn a_model_without_a_service_shape_says_so() {
    let error = codegen_error(
        "noservice",
        r#"{"smithy": "2.0", "shapes": {"example.svc#Thing": {"type": "structure", "members": {}}}}"#,
    );
    assert!(error.contains("the model has no service shape"), "{error}");
}

#[test]
fn an_unsupported_protocol_is_named() {
    let json = model("", "").replace("aws.protocols#awsJson1_1", "aws.protocols#restXml");
    let error = codegen_error("protocol", &json);
    assert!(error.contains("shape `example.svc#Svc`"), "{error}");
    assert!(error.contains("found aws.protocols#restXml"), "{error}");
}

#[test]
fn an_unknown_operation_in_the_filter_is_an_error() {
    let error = Scratch::new("filter", &model("", "")).codegen_error(&["--operations", "Nope"]);
    assert!(error.contains("no operation named `Nope`"), "{error}");
}

#[test]
fn check_on_a_stale_directory_names_the_files_and_the_fix_and_writes_nothing() {
    let scratch = Scratch::new(
        "check",
        &model("", r#""name": {"target": "smithy.api#String"}"#),
    );
    let error = scratch.codegen_error(&["--check"]);
    assert!(
        error.contains("would write  src/operation/op.rs"),
        "{error}"
    );
    assert!(error.contains("run `cargo xtask codegen`"), "{error}");
}

/// A model with one plain operation and one whose output is an event stream.
fn model_with_event_stream() -> String {
    model(
        r#", "example.svc#Watch": {"type": "operation", "output": {"target": "example.svc#WatchOutput"}},
        "example.svc#WatchOutput": {"type": "structure", "members": {"events": {"target": "example.svc#Events"}}},
        "example.svc#Events": {"type": "union", "members": {"tick": {"target": "smithy.api#String"}}, "traits": {"smithy.api#streaming": {}}}"#,
        r#""name": {"target": "smithy.api#String"}"#,
    )
    .replace(r#""operations": [{"target": "example.svc#Op"}]"#, r#""operations": [{"target": "example.svc#Op"}, {"target": "example.svc#Watch"}]"#)
}

#[test]
fn an_event_stream_operation_is_skipped_with_a_warning_and_listed_in_the_docs() {
    let model = aws_thin_codegen::Model::from_json(&model_with_event_stream(), "test").unwrap();
    let generated =
        aws_thin_codegen::generate_report(&model, &aws_thin_codegen::Settings::default()).unwrap();
    assert_eq!(
        generated.warnings,
        ["skipped operation Watch: its member `example.svc#WatchOutput$events` is an event stream, which is not supported yet"]
    );
    assert!(generated
        .files
        .contains_key(Path::new("src/operation/op.rs")));
    assert!(!generated
        .files
        .contains_key(Path::new("src/operation/watch.rs")));
    let lib = &generated.files[Path::new("src/lib.rs")];
    assert!(
        lib.contains("# Not generated") && lib.contains("- `Watch`: its member"),
        "{lib}"
    );
}

#[test]
fn selecting_an_event_stream_operation_explicitly_is_an_error() {
    let error = Scratch::new("eventstream", &model_with_event_stream())
        .codegen_error(&["--operations", "Watch"]);
    assert!(
        error.contains("shape `example.svc#Watch`: cannot be generated"),
        "{error}"
    );
    assert!(error.contains("event stream"), "{error}");
}
