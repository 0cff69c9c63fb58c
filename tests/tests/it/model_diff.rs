//! `model-diff`: the semantic diff of two models, on AWS's two published ECR models (a real
//! update) and on small models of our own, one per classification rule.

use aws_thin_codegen::diff::{diff, ChangeKind, Counts, DiffOptions, ModelDiff, Severity, Summary};
use aws_thin_codegen::Model;
use integration_tests::paths::{shared_model, NEWER_AWS_MODEL, OLDER_AWS_MODEL};
use serde_json::{json, Value};

fn aws_diff(operations: Option<&[&str]>) -> ModelDiff {
    let old = Model::from_file(&shared_model(OLDER_AWS_MODEL)).unwrap();
    let new = Model::from_file(&shared_model(NEWER_AWS_MODEL)).unwrap();
    let options = DiffOptions {
        service: None,
        operations: operations.map(|ops| ops.iter().map(|s| s.to_string()).collect()),
    };
    diff(&old, &new, &options).unwrap()
}

/// `(severity, kind, shape name, member)` of every change outside the service shape.
fn outline(diff: &ModelDiff) -> Vec<(Severity, ChangeKind, String, Option<String>)> {
    diff.changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Service)
        .map(|c| {
            let name = c.shape.rsplit_once('#').unwrap().1.to_string();
            (c.severity, c.kind, name, c.member.clone())
        })
        .collect()
}

#[test]
fn aws_update_within_delete_repository_is_one_member_and_two_enum_values() {
    let diff = aws_diff(Some(&["DeleteRepository"]));
    let member = |m: &str| Some(m.to_string());
    assert_eq!(
        outline(&diff),
        vec![
            (
                Severity::Dangerous,
                ChangeKind::EnumValueAdded,
                "ImageTagMutability".to_string(),
                member("IMMUTABLE_WITH_EXCLUSION")
            ),
            (
                Severity::Dangerous,
                ChangeKind::EnumValueAdded,
                "ImageTagMutability".to_string(),
                member("MUTABLE_WITH_EXCLUSION")
            ),
            // The new member, and the four shapes only it reaches.
            (
                Severity::Safe,
                ChangeKind::ShapeAdded,
                "ImageTagMutabilityExclusionFilter".to_string(),
                None
            ),
            (
                Severity::Safe,
                ChangeKind::ShapeAdded,
                "ImageTagMutabilityExclusionFilterType".to_string(),
                None
            ),
            (
                Severity::Safe,
                ChangeKind::ShapeAdded,
                "ImageTagMutabilityExclusionFilterValue".to_string(),
                None
            ),
            (
                Severity::Safe,
                ChangeKind::ShapeAdded,
                "ImageTagMutabilityExclusionFilters".to_string(),
                None
            ),
            (
                Severity::Safe,
                ChangeKind::MemberAdded,
                "Repository".to_string(),
                member("imageTagMutabilityExclusionFilters")
            ),
        ]
    );
    assert!(!diff.has_at_least(Severity::Breaking));
    // The service shape: the endpoint rule set was rewritten, which the client embeds.
    let service: Vec<&str> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Service)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(service.len(), 2, "{service:?}");
    assert!(service[0].starts_with("endpoint rule set changed"));
    assert_eq!(service[1], "endpoint tests changed (53 → 26 cases)");

    let markdown = diff.to_markdown("old.json", "new.json");
    assert!(
        markdown.contains("No breaking changes; 3 dangerous, 6 safe."),
        "{markdown}"
    );
    assert!(markdown.contains(
        "- `Repository$imageTagMutabilityExclusionFilters`: member added (`list<structure ImageTagMutabilityExclusionFilter>`)"
    ));
    assert!(markdown.contains(
        "- `ImageTagMutability$MUTABLE_WITH_EXCLUSION`: new value \"MUTABLE_WITH_EXCLUSION\""
    ));
}

#[test]
fn aws_update_of_the_whole_service_has_the_documented_counts() {
    let diff = aws_diff(None);
    let summary = diff.summary();
    let counts = |added, removed, changed| Counts {
        added,
        removed,
        changed,
    };
    assert_eq!(
        summary,
        Summary {
            // DescribeImages' documentation, and the two operations with a new error.
            operations: counts(9, 0, 3),
            shapes: counts(73, 0, 28),
            members: counts(18, 0, 0),
            enum_values: counts(6, 0, 0),
            operation_errors: counts(2, 0, 0),
        }
    );
    assert!(!diff.has_at_least(Severity::Breaking));
    let errors: Vec<(String, &str)> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::ErrorAdded)
        .map(|c| {
            (
                c.shape.rsplit_once('#').unwrap().1.to_string(),
                c.detail.as_str(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "PutRegistryScanningConfiguration".to_string(),
                "new error `BlockedByOrganizationPolicyException`: calls may now fail with this variant"
            ),
            (
                "StartImageScan".to_string(),
                "new error `ImageArchivedException`: calls may now fail with this variant"
            ),
        ]
    );
    let markdown = diff.to_markdown("old.json", "new.json");
    assert!(markdown.contains("| shapes | 73 | 0 | 28 |"), "{markdown}");
}

#[test]
fn the_same_model_has_no_changes() {
    let old = Model::from_file(&shared_model(NEWER_AWS_MODEL)).unwrap();
    let diff = diff(&old, &old, &DiffOptions::default()).unwrap();
    assert_eq!(diff.changes, vec![]);
    assert!(diff
        .to_markdown("a", "b")
        .contains("No changes that affect the generated code."));
}

/// A small awsJson service: GetThing (input with `name`, output with `thing`) and DeleteThing.
fn base() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.things#Things": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "example.things#GetThing"}, {"target": "example.things#DeleteThing"}],
                "traits": {
                    "aws.protocols#awsJson1_1": {},
                    "aws.api#service": {"sdkId": "Things", "endpointPrefix": "things"},
                    "aws.auth#sigv4": {"name": "things"}
                }
            },
            "example.things#GetThing": {
                "type": "operation",
                "input": {"target": "example.things#GetThingRequest"},
                "output": {"target": "example.things#GetThingResponse"},
                "errors": [{"target": "example.things#NotFound"}]
            },
            "example.things#DeleteThing": {
                "type": "operation",
                "input": {"target": "example.things#DeleteThingRequest"}
            },
            "example.things#GetThingRequest": {
                "type": "structure",
                "members": {
                    "name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "verbose": {"target": "smithy.api#Boolean"}
                }
            },
            "example.things#GetThingResponse": {
                "type": "structure",
                "members": {"thing": {"target": "example.things#Thing"}}
            },
            "example.things#DeleteThingRequest": {
                "type": "structure",
                "members": {"name": {"target": "smithy.api#String"}}
            },
            "example.things#Thing": {
                "type": "structure",
                "members": {
                    "name": {"target": "smithy.api#String"},
                    "size": {"target": "smithy.api#Integer"},
                    "color": {"target": "example.things#Color"}
                }
            },
            "example.things#Color": {
                "type": "enum",
                "members": {
                    "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
                    "BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}}
                }
            },
            "example.things#NotFound": {
                "type": "structure",
                "members": {"message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client"}
            },
            "example.things#Busy": {
                "type": "structure",
                "members": {"message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "server"}
            }
        }
    })
}

fn model(json: &Value) -> Model {
    Model::from_json(&json.to_string(), "test model").unwrap()
}

/// The changes from `base()` to `base()` edited by `edit`, as `(severity, kind, shape, member)`.
fn changes_after(
    edit: impl FnOnce(&mut Value),
) -> Vec<(Severity, ChangeKind, String, Option<String>)> {
    let mut new = base();
    edit(&mut new);
    let diff = diff(&model(&base()), &model(&new), &DiffOptions::default()).unwrap();
    outline(&diff)
}

fn shape<'a>(model: &'a mut Value, name: &str) -> &'a mut Value {
    &mut model["shapes"][format!("example.things#{name}")]
}

fn change(
    severity: Severity,
    kind: ChangeKind,
    shape: &str,
    member: Option<&str>,
) -> (Severity, ChangeKind, String, Option<String>) {
    (severity, kind, shape.to_string(), member.map(String::from))
}

#[test]
fn removed_operation_is_breaking_and_so_are_the_shapes_only_it_reached() {
    let changes = changes_after(|m| {
        shape(m, "Things")["operations"]
            .as_array_mut()
            .unwrap()
            .remove(1);
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::OperationRemoved,
                "DeleteThing",
                None
            ),
            change(
                Severity::Breaking,
                ChangeKind::ShapeRemoved,
                "DeleteThingRequest",
                None
            ),
        ]
    );
}

#[test]
fn removed_member_is_breaking() {
    let changes = changes_after(|m| {
        shape(m, "Thing")["members"]
            .as_object_mut()
            .unwrap()
            .remove("size");
    });
    assert_eq!(
        changes,
        vec![change(
            Severity::Breaking,
            ChangeKind::MemberRemoved,
            "Thing",
            Some("size")
        )]
    );
}

#[test]
fn member_becoming_required_is_breaking_and_no_longer_required_depends_on_the_field() {
    let changes = changes_after(|m| {
        shape(m, "Thing")["members"]["size"]["traits"] = json!({"smithy.api#required": {}});
        // An input's fields are all `Option`: dropping `required` only drops the builder check.
        shape(m, "GetThingRequest")["members"]["name"]["traits"] = json!({});
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::MemberRequired,
                "Thing",
                Some("size")
            ),
            change(
                Severity::Safe,
                ChangeKind::MemberNoLongerRequired,
                "GetThingRequest",
                Some("name")
            ),
        ]
    );
    // In an output, a required member is a plain field: dropping `required` makes it an Option.
    let mut required = base();
    shape(&mut required, "Thing")["members"]["size"]["traits"] = json!({"smithy.api#required": {}});
    let diff = diff(&model(&required), &model(&base()), &DiffOptions::default()).unwrap();
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(diff.changes[0].severity, Severity::Breaking);
    assert_eq!(
        diff.changes[0].detail,
        "no longer required: the field becomes an `Option`"
    );
}

#[test]
fn new_required_member_is_breaking_new_optional_member_is_safe() {
    let changes = changes_after(|m| {
        let members = &mut shape(m, "GetThingRequest")["members"];
        members["owner"] =
            json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
        members["limit"] = json!({"target": "smithy.api#Integer"});
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::MemberAdded,
                "GetThingRequest",
                Some("owner")
            ),
            change(
                Severity::Safe,
                ChangeKind::MemberAdded,
                "GetThingRequest",
                Some("limit")
            ),
        ]
    );
}

#[test]
fn type_changes_are_breaking_but_a_new_target_of_the_same_rust_type_is_safe() {
    let changes = changes_after(|m| {
        shape(m, "Thing")["members"]["size"]["target"] = json!("smithy.api#Long");
        // `Name` is a string shape like smithy.api#String: the Rust field stays a String.
        shape(m, "Thing")["members"]["name"]["target"] = json!("example.things#Name");
        m["shapes"]["example.things#Name"] = json!({"type": "string"});
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::MemberTypeChanged,
                "Thing",
                Some("size")
            ),
            change(Severity::Safe, ChangeKind::ShapeAdded, "Name", None),
            change(
                Severity::Safe,
                ChangeKind::TraitChanged,
                "Thing",
                Some("name")
            ),
        ]
    );
    // An enum becoming a string changes every field that holds it.
    let changes = changes_after(|m| {
        *shape(m, "Color") = json!({"type": "string"});
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::ShapeTypeChanged,
                "Color",
                None
            ),
            change(
                Severity::Breaking,
                ChangeKind::MemberTypeChanged,
                "Thing",
                Some("color")
            ),
        ]
    );
}

#[test]
fn enum_value_removed_or_changed_is_breaking_added_is_dangerous() {
    let changes = changes_after(|m| {
        let members = shape(m, "Color")["members"].as_object_mut().unwrap();
        members.remove("BLUE");
        members.insert(
            "GREEN".into(),
            json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "green"}}),
        );
        members["RED"]["traits"]["smithy.api#enumValue"] = json!("Red");
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::EnumValueRemoved,
                "Color",
                Some("BLUE")
            ),
            change(
                Severity::Breaking,
                ChangeKind::EnumValueChanged,
                "Color",
                Some("RED")
            ),
            change(
                Severity::Dangerous,
                ChangeKind::EnumValueAdded,
                "Color",
                Some("GREEN")
            ),
        ]
    );
}

#[test]
fn new_error_is_dangerous_removed_error_is_breaking() {
    let changes = changes_after(|m| {
        shape(m, "GetThing")["errors"] = json!([{"target": "example.things#Busy"}]);
    });
    assert_eq!(
        changes,
        vec![
            change(
                Severity::Breaking,
                ChangeKind::ErrorRemoved,
                "GetThing",
                None
            ),
            change(
                Severity::Breaking,
                ChangeKind::ShapeRemoved,
                "NotFound",
                None
            ),
            change(
                Severity::Dangerous,
                ChangeKind::ErrorAdded,
                "GetThing",
                None
            ),
            change(Severity::Safe, ChangeKind::ShapeAdded, "Busy", None),
        ]
    );
}

#[test]
fn additions_and_documentation_are_safe_and_selection_limits_the_scope() {
    let edit = |m: &mut Value| {
        shape(m, "Things")["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": "example.things#ListThings"}));
        m["shapes"]["example.things#ListThings"] = json!({"type": "operation"});
        shape(m, "Thing")["traits"] = json!({"smithy.api#documentation": "A thing."});
        shape(m, "DeleteThingRequest")["members"]["name"]["traits"] =
            json!({"smithy.api#documentation": "Its name."});
    };
    assert_eq!(
        changes_after(edit),
        vec![
            change(
                Severity::Safe,
                ChangeKind::DocumentationChanged,
                "DeleteThingRequest",
                None
            ),
            change(
                Severity::Safe,
                ChangeKind::OperationAdded,
                "ListThings",
                None
            ),
            change(
                Severity::Safe,
                ChangeKind::DocumentationChanged,
                "Thing",
                None
            ),
        ]
    );
    let mut new = base();
    edit(&mut new);
    let only_delete = DiffOptions {
        service: None,
        operations: Some(vec!["DeleteThing".to_string()]),
    };
    let scoped = diff(&model(&base()), &model(&new), &only_delete).unwrap();
    assert_eq!(
        outline(&scoped),
        vec![change(
            Severity::Safe,
            ChangeKind::DocumentationChanged,
            "DeleteThingRequest",
            None
        )]
    );
    assert_eq!(scoped.changes[0].detail, "documentation changed (`name`)");

    let unknown = DiffOptions {
        service: None,
        operations: Some(vec!["Nope".to_string()]),
    };
    let error = diff(&model(&base()), &model(&new), &unknown).unwrap_err();
    assert_eq!(
        error.to_string(),
        "shape `example.things#Things`: neither model's service has an operation named `Nope`"
    );
}

#[test]
fn fail_on_breaking_fails_the_command_and_writes_the_markdown() {
    let dir = std::env::temp_dir().join(format!("aws-thin-model-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut new = base();
    shape(&mut new, "Thing")["members"]
        .as_object_mut()
        .unwrap()
        .remove("size");
    let (old_path, new_path, out) = (
        dir.join("old.json"),
        dir.join("new.json"),
        dir.join("diff.md"),
    );
    std::fs::write(&old_path, base().to_string()).unwrap();
    std::fs::write(&new_path, new.to_string()).unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        [
            old_path.to_str().unwrap(),
            new_path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
    };
    aws_thin_codegen::cli::model_diff(&args(&[])).unwrap();
    let error = aws_thin_codegen::cli::model_diff(&args(&["--fail-on", "breaking"])).unwrap_err();
    assert_eq!(
        error,
        "1 change(s) at or above `breaking` (--fail-on breaking)"
    );
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(
        markdown.contains("**1 breaking**, 0 dangerous, 0 safe."),
        "{markdown}"
    );
    assert!(markdown.contains(
        "### Breaking (1)\n\n- `Thing$size`: member removed (was `integer`): its field, getter and setter are gone\n"
    ));
    let error = aws_thin_codegen::cli::model_diff(&args(&["--fail-on", "never"])).unwrap_err();
    assert!(error.starts_with("--fail-on takes `breaking` or `dangerous`"));
    let error = aws_thin_codegen::cli::model_diff(&args(&["extra.json"])).unwrap_err();
    assert!(error.starts_with("model-diff takes two models, OLD and NEW (got 3)"));
    std::fs::remove_dir_all(&dir).unwrap();
}
