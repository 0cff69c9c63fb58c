//! Endpoint rules: every `smithy.rules#endpointTests` case of the project model and of both
//! shared AWS models passes with that model's own rule set; and the project's rule set answers
//! like the newer AWS rule set on a wide grid of inputs, not only on the published cases.
//!
//! Partition data: the project model and the newer AWS model are checked with the runtime's
//! built-in partitions (`runtime/data/partitions.json`). The older AWS model (April 2025) was
//! written against the partition data of its time, in which the isolated partitions (`aws-iso*`)
//! and `aws-eusc` did not support dual-stack (`supportsDualStack: false`, `dualStackDnsSuffix`
//! equal to `dnsSuffix`); AWS changed that later in 2025. Its cases are checked with that older
//! data, derived below from the built-in file by undoing exactly that change (see
//! `runtime/data/README.md`), and the test shows which cases the change affects.

use aws_thin_runtime::endpoint_rules::{
    EndpointTestCase, Expectation, Params, Partitions, ResolveError, RuleSet,
};
use integration_tests::paths::{
    project_model, shared_model, workspace_root, NEWER_AWS_MODEL, OLDER_AWS_MODEL,
};
use serde_json::Value;
use std::path::Path;

/// The rule set and test cases of the service shape in a model file.
fn load(path: &Path) -> (RuleSet, Vec<EndpointTestCase>) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let model: Value = serde_json::from_str(&text).unwrap();
    let shapes = model["shapes"].as_object().unwrap();
    let service = shapes
        .values()
        .find(|shape| shape["type"] == "service")
        .unwrap_or_else(|| panic!("{}: no service shape", path.display()));
    let traits = &service["traits"];
    let rules = RuleSet::from_json_value(&traits["smithy.rules#endpointRuleSet"])
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases = EndpointTestCase::parse_all(&traits["smithy.rules#endpointTests"])
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (rules, cases)
}

/// Runs every case; returns the failures (documentation and mismatch).
fn failures(rules: &RuleSet, cases: &[EndpointTestCase], partitions: &Partitions) -> Vec<String> {
    cases
        .iter()
        .filter_map(|case| case.check(rules, partitions).err())
        .collect()
}

/// Runs every case of `model`, prints the count and asserts they all pass.
fn all_cases_pass(label: &str, model: &Path, partitions: &Partitions, expected_cases: usize) {
    let (rules, cases) = load(model);
    let failed = failures(&rules, &cases, partitions);
    let passed = cases.len() - failed.len();
    eprintln!("{label}: {passed}/{} endpoint tests pass", cases.len());
    assert!(
        failed.is_empty(),
        "{label}: {} of {} endpoint tests fail:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
    assert_eq!(
        cases.len(),
        expected_cases,
        "{label}: the number of endpoint tests changed; update the expected count"
    );
}

/// The partition data the older AWS model's tests were written against: the built-in file
/// with the isolated partitions and aws-eusc not supporting dual-stack.
fn partitions_of_april_2025() -> Partitions {
    let path = workspace_root().join("runtime/data/partitions.json");
    let mut data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for partition in data["partitions"].as_array_mut().unwrap() {
        let id = partition["id"].as_str().unwrap().to_owned();
        if id.starts_with("aws-iso") || id == "aws-eusc" {
            let outputs = partition["outputs"].as_object_mut().unwrap();
            outputs.insert("supportsDualStack".into(), Value::Bool(false));
            let dns = outputs["dnsSuffix"].clone();
            outputs.insert("dualStackDnsSuffix".into(), dns);
        }
    }
    Partitions::from_json_value(&data).unwrap()
}

#[test]
fn project_model_endpoint_tests_pass() {
    all_cases_pass(
        "ecr project model",
        &project_model(),
        &Partitions::builtin(),
        59,
    );
}

#[test]
fn newer_aws_model_endpoint_tests_pass() {
    all_cases_pass(
        "ecr newer model",
        &shared_model(NEWER_AWS_MODEL),
        &Partitions::builtin(),
        26,
    );
    // The newer rules name every partition explicitly, so they do not depend on which
    // partition data they are evaluated with.
    all_cases_pass(
        "ecr newer model (April 2025 partition data)",
        &shared_model(NEWER_AWS_MODEL),
        &partitions_of_april_2025(),
        26,
    );
}

#[test]
fn older_aws_model_endpoint_tests_pass() {
    all_cases_pass(
        "ecr older model",
        &shared_model(OLDER_AWS_MODEL),
        &partitions_of_april_2025(),
        53,
    );

    // With today's partitions, exactly the dual-stack cases of the isolated partitions answer
    // differently: those partitions have dual-stack endpoints now.
    let (rules, cases) = load(&shared_model(OLDER_AWS_MODEL));
    let today = failures(&rules, &cases, &Partitions::builtin());
    eprintln!(
        "ecr older model with today's partition data: {}/{} pass; the others expect the \
         dual-stack errors of April 2025",
        cases.len() - today.len(),
        cases.len()
    );
    assert_eq!(today.len(), 4, "{today:#?}");
    for failure in &today {
        assert!(
            failure.contains("DualStack") && failure.contains("us-iso"),
            "{failure}"
        );
    }
}

#[test]
fn project_model_follows_the_newer_fips_endpoints() {
    let (rules, _) = load(&project_model());
    let params = Params::new()
        .with("Region", "us-east-1")
        .with("UseFIPS", true);
    assert_eq!(
        rules.resolve(&params).unwrap().url(),
        "https://api.ecr-fips.us-east-1.amazonaws.com",
        "the older model said ecr-fips.us-east-1.amazonaws.com; AWS moved to api.ecr-fips"
    );
}

/// A partition data set with two partitions unknown to the rules: one supporting FIPS and
/// dual-stack, one supporting neither; plus the built-in ones.
fn partitions_with_unknown_ones() -> Partitions {
    let path = workspace_root().join("runtime/data/partitions.json");
    let mut data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let extra = serde_json::json!([
        {"id": "aws-moon", "regionRegex": "^moon\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"name": "aws-moon", "dnsSuffix": "amazonaws.moon", "dualStackDnsSuffix": "api.aws.moon",
                     "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "moon-base-1"}},
        {"id": "aws-mars", "regionRegex": "^mars\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"name": "aws-mars", "dnsSuffix": "amazonaws.mars", "dualStackDnsSuffix": "amazonaws.mars",
                     "supportsFIPS": false, "supportsDualStack": false, "implicitGlobalRegion": "mars-base-1"}}
    ]);
    data["partitions"]
        .as_array_mut()
        .unwrap()
        .extend(extra.as_array().unwrap().iter().cloned());
    Partitions::from_json_value(&data).unwrap()
}

/// The outcome in a comparable form: the URL, or the error's message.
fn outcome(rules: &RuleSet, params: &Params, partitions: &Partitions) -> Result<String, String> {
    match rules.resolve_with(params, partitions) {
        Ok(endpoint) => {
            assert!(endpoint.headers().is_empty() && endpoint.properties().is_empty());
            Ok(endpoint.url().to_owned())
        }
        Err(ResolveError::Rule { message }) => Err(message),
        Err(other) => panic!("{params:?}: not a rule error: {other}"),
    }
}

#[test]
fn project_rules_answer_like_the_newer_aws_rules_everywhere() {
    let (ours, _) = load(&project_model());
    let (aws, _) = load(&shared_model(NEWER_AWS_MODEL));
    let regions = [
        None,
        Some("us-east-1"),
        Some("us-west-2"),
        Some("ap-southeast-6"),
        Some("us-east-9"),
        Some("cn-north-1"),
        Some("cn-northwest-1"),
        Some("us-gov-west-1"),
        Some("us-gov-east-1"),
        Some("us-iso-east-1"),
        Some("us-iso-west-1"),
        Some("us-isob-east-1"),
        Some("eu-isoe-west-1"),
        Some("us-isof-south-1"),
        Some("us-isof-east-1"),
        Some("eusc-de-east-1"),
        Some("moon-base-1"),
        Some("mars-base-1"),
        Some("local"),
        Some("aws-global"),
    ];
    let endpoints = [
        None,
        Some("https://example.com"),
        Some("http://127.0.0.1:5000"),
    ];
    let data = [
        ("built-in", Partitions::builtin()),
        ("April 2025", partitions_of_april_2025()),
        ("with unknown partitions", partitions_with_unknown_ones()),
    ];
    let mut compared = 0;
    for (label, partitions) in &data {
        for region in regions {
            for endpoint in endpoints {
                for fips in [false, true] {
                    for dual_stack in [false, true] {
                        let mut params = Params::new()
                            .with("UseFIPS", fips)
                            .with("UseDualStack", dual_stack);
                        if let Some(region) = region {
                            params = params.with("Region", region);
                        }
                        if let Some(endpoint) = endpoint {
                            params = params.with("Endpoint", endpoint);
                        }
                        let expected = outcome(&aws, &params, partitions);
                        let got = outcome(&ours, &params, partitions);
                        assert_eq!(got, expected, "{label} partitions, {params:?}");
                        compared += 1;
                    }
                }
            }
        }
    }
    eprintln!("project rules and newer AWS rules agree on {compared} inputs");
    // The unknown partitions do reach the support checks.
    let mars = Params::new()
        .with("Region", "mars-base-1")
        .with("UseFIPS", true);
    assert_eq!(
        outcome(&ours, &mars, &data[2].1),
        Err("FIPS is enabled but this partition does not support FIPS".to_owned())
    );
    let moon = Params::new()
        .with("Region", "moon-base-1")
        .with("UseFIPS", true)
        .with("UseDualStack", true);
    assert_eq!(
        outcome(&ours, &moon, &data[2].1),
        Ok("https://api.ecr-fips.moon-base-1.api.aws.moon".to_owned())
    );
}

#[test]
fn test_case_expectations_are_read_fully() {
    // Guard against a vacuous pass: every case has a real expectation.
    for model in [
        project_model(),
        shared_model(NEWER_AWS_MODEL),
        shared_model(OLDER_AWS_MODEL),
    ] {
        let (_, cases) = load(&model);
        let errors = cases
            .iter()
            .filter(|c| matches!(c.expect, Expectation::Error(_)))
            .count();
        let endpoints = cases
            .iter()
            .filter(
                |c| matches!(&c.expect, Expectation::Endpoint(e) if e.url().starts_with("http")),
            )
            .count();
        assert_eq!(errors + endpoints, cases.len(), "{}", model.display());
        assert!(errors > 0 && endpoints > 0, "{}", model.display());
    }
}
