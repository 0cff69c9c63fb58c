//! Unit tests of the rules engine, one language feature at a time.

use super::*;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

fn rules(parameters: Json, rules: Json) -> RuleSet {
    RuleSet::from_json_value(&json!({"version": "1.0", "parameters": parameters, "rules": rules}))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn url(rules: &RuleSet, params: &Params) -> String {
    match rules.resolve(params) {
        Ok(endpoint) => endpoint.url().to_owned(),
        Err(e) => panic!("{e}"),
    }
}

fn error(rules: &RuleSet, params: &Params) -> ResolveError {
    rules.resolve(params).unwrap_err()
}

fn endpoint(url: &str) -> Json {
    json!({"url": url})
}

#[test]
fn parameter_types_in_both_spellings_and_defaults() {
    let set = rules(
        json!({
            "A": {"type": "String", "default": "a"},
            "B": {"type": "boolean", "default": true, "required": true},
            "C": {"type": "Boolean"},
            "D": {"type": "stringArray", "default": ["x", "y"]},
            "E": {"type": "StringArray"},
        }),
        json!([
            {"type": "endpoint", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "C"}]},
                {"fn": "getAttr", "argv": [{"ref": "D"}, "[1]"], "assign": "D1"}
             ], "endpoint": endpoint("https://{A}.{B}.{C}.{D1}")},
            {"type": "endpoint", "conditions": [], "endpoint": endpoint("https://{A}.{B}")}
        ]),
    );
    let kinds: Vec<_> = set
        .parameters()
        .iter()
        .map(|p| (p.name(), p.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("A", ParameterType::String),
            ("B", ParameterType::Boolean),
            ("C", ParameterType::Boolean),
            ("D", ParameterType::StringArray),
            ("E", ParameterType::StringArray)
        ]
    );
    assert_eq!(url(&set, &Params::new()), "https://a.true");
    assert_eq!(
        url(&set, &Params::new().with("C", false).with("A", "z")),
        "https://z.true.false.y"
    );
    assert_eq!(
        url(
            &set,
            &Params::new()
                .with("C", true)
                .with("D", vec!["p".to_owned()])
        ),
        "https://a.true",
        "index out of range: the condition fails"
    );
}

#[test]
fn parameters_by_name_win_over_built_ins() {
    let set = rules(
        json!({"Region": {"type": "string", "builtIn": "AWS::Region", "required": true}}),
        json!([{"type": "endpoint", "conditions": [], "endpoint": endpoint("https://{Region}")}]),
    );
    let by_built_in = Params::new().with_built_in(built_in::REGION, "from-built-in");
    assert_eq!(url(&set, &by_built_in), "https://from-built-in");
    assert_eq!(
        url(&set, &by_built_in.with("Region", "by-name")),
        "https://by-name"
    );
    assert_eq!(
        error(&set, &Params::new()),
        ResolveError::MissingParameter {
            name: "Region".into()
        }
    );
    assert_eq!(
        error(&set, &Params::new().with("Region", true)).to_string(),
        "the endpoint parameter `Region` must be a string, but a boolean was given"
    );
    // Unknown names are ignored.
    assert_eq!(
        url(&set, &Params::new().with("Region", "r").with("Other", 1i64)),
        "https://r"
    );
}

#[test]
fn error_rules_return_their_message_with_templates() {
    let set = rules(
        json!({"Region": {"type": "string"}}),
        json!([
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
             "error": "Invalid region {Region}: {{braces}}"},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]),
    );
    assert_eq!(
        error(&set, &Params::new().with("Region", "x")),
        ResolveError::Rule {
            message: "Invalid region x: {braces}".into()
        }
    );
    assert_eq!(
        error(&set, &Params::new()).to_string(),
        "Invalid Configuration: Missing Region"
    );
}

#[test]
fn tree_rules_are_final() {
    let set = rules(
        json!({"Flag": {"type": "boolean", "required": true, "default": false}}),
        json!([
            {"type": "tree", "conditions": [], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                 "endpoint": endpoint("https://flag")}
            ]},
            {"type": "endpoint", "conditions": [], "endpoint": endpoint("https://never")}
        ]),
    );
    assert_eq!(url(&set, &Params::new().with("Flag", true)), "https://flag");
    assert_eq!(error(&set, &Params::new()), ResolveError::NoRuleMatched);
}

#[test]
fn no_rule_matching_is_an_error() {
    let set = rules(
        json!({"Region": {"type": "string"}}),
        json!([{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                "endpoint": endpoint("https://{Region}")}]),
    );
    assert_eq!(error(&set, &Params::new()), ResolveError::NoRuleMatched);
}

#[test]
fn assign_and_get_attr_paths() {
    let set = rules(
        json!({"Arn": {"type": "string"}}),
        json!([
            {"type": "endpoint", "conditions": [
                {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "parsed"},
                {"fn": "getAttr", "argv": [{"ref": "parsed"}, "resourceId[1]"], "assign": "second"},
                {"fn": "aws.partition", "argv": [{"fn": "getAttr", "argv": [{"ref": "parsed"}, "region"]}], "assign": "p"}
             ],
             "endpoint": endpoint("https://{second}.{parsed#service}.{parsed#region}.{p#dnsSuffix}")},
            {"type": "error", "conditions": [], "error": "not an ARN with two resource parts"}
        ]),
    );
    assert_eq!(
        url(
            &set,
            &Params::new().with(
                "Arn",
                "arn:aws:ecr:cn-north-1:123456789012:repository/ubuntu"
            )
        ),
        "https://ubuntu.ecr.cn-north-1.amazonaws.com.cn"
    );
    for bad in ["arn:aws:ecr:us-east-1:1:repository", "not an arn"] {
        assert_eq!(
            error(&set, &Params::new().with("Arn", bad)).to_string(),
            "not an ARN with two resource parts"
        );
    }
}

#[test]
fn endpoint_properties_and_headers() {
    let set = rules(
        json!({"Region": {"type": "string", "required": true}}),
        json!([{"type": "endpoint", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
        "endpoint": {
            "url": "https://svc.{Region}.{p#dnsSuffix}",
            "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc-signing",
                                 "signingRegion": "{p#implicitGlobalRegion}",
                                 "disableDoubleEncoding": true}],
                "nested": {"list": [1, "{Region}", false]}
            },
            "headers": {"x-partition": ["{p#name}", "static"]}
        }}]),
    );
    let resolved = set
        .resolve(&Params::new().with("Region", "us-gov-east-1"))
        .unwrap();
    assert_eq!(resolved.url(), "https://svc.us-gov-east-1.amazonaws.com");
    assert_eq!(
        resolved.headers()["x-partition"],
        vec!["aws-us-gov".to_owned(), "static".to_owned()]
    );
    assert_eq!(
        resolved.properties()["nested"].to_json(),
        json!({"list": [1, "us-gov-east-1", false]})
    );
    let schemes = resolved.auth_schemes();
    assert_eq!(schemes.len(), 1);
    assert_eq!(schemes[0].name, "sigv4");
    assert_eq!(schemes[0].signing_name.as_deref(), Some("svc-signing"));
    assert_eq!(schemes[0].signing_region.as_deref(), Some("us-gov-west-1"));
    assert_eq!(schemes[0].disable_double_encoding, Some(true));
    assert!(schemes[0].signing_region_set.is_empty());
}

#[test]
fn url_functions_in_rules() {
    let set = rules(
        json!({"Endpoint": {"type": "string"}, "Key": {"type": "string", "default": "a b"}}),
        json!([
            {"type": "endpoint", "conditions": [
                {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"},
                {"fn": "not", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}]},
                {"fn": "uriEncode", "argv": [{"ref": "Key"}], "assign": "key"}
             ],
             "endpoint": endpoint("{url#scheme}://bucket.{url#authority}{url#normalizedPath}{key}")},
            {"type": "endpoint", "conditions": [
                {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}],
             "endpoint": endpoint("{url#scheme}://{url#authority}{url#path}")},
            {"type": "error", "conditions": [], "error": "bad endpoint"}
        ]),
    );
    assert_eq!(
        url(
            &set,
            &Params::new().with("Endpoint", "https://example.com/base")
        ),
        "https://bucket.example.com/base/a%20b"
    );
    assert_eq!(
        url(
            &set,
            &Params::new().with("Endpoint", "http://127.0.0.1:9000")
        ),
        "http://127.0.0.1:9000"
    );
    assert_eq!(
        error(
            &set,
            &Params::new().with("Endpoint", "https://example.com?q=1")
        )
        .to_string(),
        "bad endpoint"
    );
}

#[test]
fn string_and_label_functions_in_rules() {
    let set = rules(
        json!({"Name": {"type": "string", "required": true}}),
        json!([
            {"type": "endpoint", "conditions": [
                {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Name"}, false]},
                {"fn": "substring", "argv": [{"ref": "Name"}, 0, 3, true], "assign": "tail"}],
             "endpoint": endpoint("https://{Name}.s3.{tail}")},
            {"type": "endpoint", "conditions": [
                {"fn": "isValidHostLabel", "argv": [{"ref": "Name"}, true]}],
             "endpoint": endpoint("https://label.{Name}")},
            {"type": "error", "conditions": [], "error": "invalid {Name}"}
        ]),
    );
    assert_eq!(
        url(&set, &Params::new().with("Name", "my-bucket")),
        "https://my-bucket.s3.ket"
    );
    assert_eq!(
        url(&set, &Params::new().with("Name", "My.Host")),
        "https://label.My.Host"
    );
    assert_eq!(
        error(&set, &Params::new().with("Name", "no_good")).to_string(),
        "invalid no_good"
    );
}

#[test]
fn unset_arguments_make_a_condition_false() {
    let set = rules(
        json!({"Region": {"type": "string"}}),
        json!([
            {"type": "endpoint", "conditions": [
                {"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}],
             "endpoint": endpoint("https://x")},
            {"type": "endpoint", "conditions": [
                {"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}],
             "endpoint": endpoint("https://unset")}
        ]),
    );
    assert_eq!(url(&set, &Params::new()), "https://unset");
    assert_eq!(url(&set, &Params::new().with("Region", "x")), "https://x");
}

#[test]
fn type_errors_are_reported_not_panicked() {
    let set = rules(
        json!({"Region": {"type": "string", "required": true}}),
        json!([
            {"type": "endpoint", "conditions": [{"fn": "not", "argv": [{"ref": "Region"}]}],
             "endpoint": endpoint("https://x")}
        ]),
    );
    let error = error(&set, &Params::new().with("Region", "r"));
    assert_eq!(
        error.to_string(),
        "cannot evaluate the endpoint rules: `not` expects (boolean), got (string)"
    );

    let set = rules(
        json!({"Flag": {"type": "boolean", "required": true, "default": true}}),
        json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": {"ref": "Flag"}}}]),
    );
    assert!(matches!(
        set.resolve(&Params::new()),
        Err(ResolveError::Evaluation { .. })
    ));
}

#[test]
fn custom_partitions_are_used() {
    let set = rules(
        json!({"Region": {"type": "string", "required": true}}),
        json!([{"type": "endpoint", "conditions": [
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
                "endpoint": endpoint("https://svc.{Region}.{p#dnsSuffix}")}]),
    );
    let partitions = Partitions::from_json(
        r#"{"partitions": [{"id": "aws", "regionRegex": "^moon\\-\\d+$",
            "outputs": {"name": "aws", "dnsSuffix": "example.moon", "dualStackDnsSuffix": "x",
                        "supportsFIPS": false, "supportsDualStack": false}}]}"#,
    )
    .unwrap();
    let resolved = set
        .resolve_with(&Params::new().with("Region", "moon-1"), &partitions)
        .unwrap();
    assert_eq!(resolved.url(), "https://svc.moon-1.example.moon");
    assert_eq!(
        url(&set, &Params::new().with("Region", "moon-1")),
        "https://svc.moon-1.amazonaws.com"
    );
}

#[test]
fn test_cases_check_url_headers_properties_and_errors() {
    let set = rules(
        json!({"Region": {"type": "string"}}),
        json!([
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
             "endpoint": {"url": "https://{Region}", "headers": {"h": ["v"]}, "properties": {"p": 1}}},
            {"type": "error", "conditions": [], "error": "Missing Region"}
        ]),
    );
    let cases = EndpointTestCase::parse_all(&json!({"testCases": [
        {"documentation": "ok", "params": {"Region": "r"},
         "expect": {"endpoint": {"url": "https://r", "headers": {"h": ["v"]}, "properties": {"p": 1}}}},
        {"documentation": "error", "params": {}, "expect": {"error": "Missing Region"}},
        {"documentation": "wrong url", "params": {"Region": "r"},
         "expect": {"endpoint": {"url": "https://other"}}},
        {"documentation": "wrong error", "expect": {"error": "Something else"}}
    ]}))
    .unwrap();
    let partitions = Partitions::builtin();
    assert_eq!(cases[0].check(&set, &partitions), Ok(()));
    assert_eq!(cases[1].check(&set, &partitions), Ok(()));
    let mismatch = cases[2].check(&set, &partitions).unwrap_err();
    assert!(
        mismatch.contains("wrong url: expected endpoint https://other, got endpoint https://r"),
        "{mismatch}"
    );
    let mismatch = cases[3].check(&set, &partitions).unwrap_err();
    assert!(
        mismatch.contains("expected error \"Something else\", got error \"Missing Region\""),
        "{mismatch}"
    );
    assert_eq!(
        cases[0].expect,
        Expectation::Endpoint(ResolvedEndpoint::new(
            "https://r",
            BTreeMap::from([("h".to_owned(), vec!["v".to_owned()])]),
            BTreeMap::from([("p".to_owned(), Value::Int(1))]),
        ))
    );
    assert!(EndpointTestCase::parse_all(&json!({})).is_err());
    assert!(EndpointTestCase::parse_all(&json!({"testCases": [{"params": {}}]})).is_err());
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "null",
        "[]",
        "{\"rules\": 5}",
        "{\"parameters\": [], \"rules\": []}",
    ] {
        assert!(RuleSet::parse(text).is_err(), "{text}");
    }
}
