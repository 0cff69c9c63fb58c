//! Models the generator cannot handle fail with an error naming the shape and the reason, and
//! `cargo xtask codegen` writes nothing.

use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("aws-thin-bad-model-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Runs `cargo xtask codegen --model <json> --out <empty dir>` in-process; returns its error and
/// asserts the output directory stayed empty.
fn codegen_error(name: &str, json: &str) -> String {
    let dir = temp_dir(name);
    let model = dir.join("model.json");
    std::fs::write(&model, json).expect("write model");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("create out");
    let args: Vec<String> = [
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    let error = xtask::codegen::run(&args).expect_err("a bad model must fail");
    assert_eq!(
        count_files(&out),
        0,
        "a failed run wrote files into {}",
        out.display()
    );
    std::fs::remove_dir_all(&dir).ok();
    error
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
    let dir = temp_dir("valid");
    let model_path = dir.join("model.json");
    std::fs::write(
        &model_path,
        model("", r#""name": {"target": "smithy.api#String"}"#),
    )
    .unwrap();
    let out = dir.join("out");
    let args: Vec<String> = [
        "--model",
        model_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    xtask::codegen::run(&args).expect("valid model generates");
    assert!(out.join("src/operation/op.rs").is_file());
    std::fs::remove_dir_all(&dir).ok();
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
    let dir = temp_dir("filter");
    let model_path = dir.join("model.json");
    std::fs::write(&model_path, model("", "")).unwrap();
    let out = dir.join("out");
    let args: Vec<String> = [
        "--model",
        model_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--operations",
        "Nope",
    ]
    .map(String::from)
    .to_vec();
    let error = xtask::codegen::run(&args).expect_err("unknown operation");
    assert!(error.contains("no operation named `Nope`"), "{error}");
    assert_eq!(count_files(&out), 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_on_a_stale_directory_names_the_files_and_the_fix_and_writes_nothing() {
    let dir = temp_dir("check");
    let model_path = dir.join("model.json");
    std::fs::write(
        &model_path,
        model("", r#""name": {"target": "smithy.api#String"}"#),
    )
    .unwrap();
    let out = dir.join("out");
    let args: Vec<String> = [
        "--model",
        model_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--check",
    ]
    .map(String::from)
    .to_vec();
    let error = xtask::codegen::run(&args).expect_err("empty dir is stale");
    assert!(
        error.contains("would write  src/operation/op.rs"),
        "{error}"
    );
    assert!(error.contains("run `cargo xtask codegen`"), "{error}");
    assert_eq!(count_files(&out), 0);
    std::fs::remove_dir_all(&dir).ok();
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
    let dir = temp_dir("eventstream");
    let model_path = dir.join("model.json");
    std::fs::write(&model_path, model_with_event_stream()).unwrap();
    let out = dir.join("out");
    let args: Vec<String> = [
        "--model",
        model_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--operations",
        "Watch",
    ]
    .map(String::from)
    .to_vec();
    let error = xtask::codegen::run(&args).expect_err("event streams are not supported");
    assert!(
        error.contains("shape `example.svc#Watch`: cannot be generated"),
        "{error}"
    );
    assert!(error.contains("event stream"), "{error}");
    assert_eq!(count_files(&out), 0);
    std::fs::remove_dir_all(&dir).ok();
}
