//! The generator on AWS's own published ECR models (in `../shared/models`, or
//! `$AWS_THIN_SHARED_MODELS`), filtered to DeleteRepository.

use std::collections::BTreeMap;
use std::path::PathBuf;

use integration_tests::paths::{
    generate, project_model, shared_model, NEWER_AWS_MODEL, OLDER_AWS_MODEL,
};

const OPS: &[&str] = &["DeleteRepository"];

/// Lines only in `new` and only in `old`, per file that differs.
fn changed_lines(
    old: &BTreeMap<PathBuf, String>,
    new: &BTreeMap<PathBuf, String>,
) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut changes = BTreeMap::new();
    let paths: std::collections::BTreeSet<&PathBuf> = old.keys().chain(new.keys()).collect();
    for path in paths {
        let before = old.get(path).map(String::as_str).unwrap_or("");
        let after = new.get(path).map(String::as_str).unwrap_or("");
        if before == after {
            continue;
        }
        let diff = similar::TextDiff::from_lines(before, after);
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for change in diff.iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => added.push(change.value().trim().to_string()),
                similar::ChangeTag::Delete => removed.push(change.value().trim().to_string()),
                similar::ChangeTag::Equal => {}
            }
        }
        changes.insert(path.to_string_lossy().into_owned(), (added, removed));
    }
    changes
}

#[test]
fn newer_aws_model_filtered_to_delete_repository_gives_the_same_code_as_our_model() {
    let mut ours = generate(&project_model(), None, false);
    let mut aws = generate(&shared_model(NEWER_AWS_MODEL), Some(OPS), false);
    // The endpoint rule set is this project's own, written to give AWS's answers (proved case by
    // case in endpoint_rules.rs), so its text differs; everything else must be identical.
    let rules = PathBuf::from("src/endpoint_rules.rs");
    assert!(ours.remove(&rules).is_some() && aws.remove(&rules).is_some());
    let changes = changed_lines(&ours, &aws);
    assert!(
        changes.is_empty(),
        "code from AWS's model differs from code from model/ecr.json: {changes:#?}"
    );
    assert!(
        ours.len() >= 15,
        "expected the whole DeleteRepository closure, got {} files",
        ours.len()
    );
}

#[test]
fn the_older_aws_model_differs_only_by_what_the_model_update_brought() {
    let older = generate(&shared_model(OLDER_AWS_MODEL), Some(OPS), false);
    let newer = generate(&shared_model(NEWER_AWS_MODEL), Some(OPS), false);
    let changes = changed_lines(&older, &newer);

    let files: Vec<&str> = changes.keys().map(String::as_str).collect();
    assert_eq!(
        files,
        [
            // AWS rewrote the service's endpoint rule set between the two releases:
            "src/endpoint_rules.rs",
            // The new member of Repository and what it reaches:
            "src/types/image_tag_mutability.rs",
            "src/types/image_tag_mutability_exclusion_filter.rs",
            "src/types/image_tag_mutability_exclusion_filter_type.rs",
            "src/types/mod.rs",
            "src/types/repository.rs",
        ]
    );
    // Two new files, nothing removed.
    for new_file in [
        "src/types/image_tag_mutability_exclusion_filter.rs",
        "src/types/image_tag_mutability_exclusion_filter_type.rs",
    ] {
        assert!(
            !older.contains_key(&PathBuf::from(new_file))
                && newer.contains_key(&PathBuf::from(new_file))
        );
    }
    let only_added = |file: &str| {
        let (added, removed) = &changes[file];
        assert!(
            removed.iter().all(|l| l.is_empty() || l == "}"),
            "{file} lost lines: {removed:?}"
        );
        added.join("\n")
    };
    // Repository gained `imageTagMutabilityExclusionFilters` with field, accessor and builder methods.
    let repository = only_added("src/types/repository.rs");
    for needle in [
        "rename = \"imageTagMutabilityExclusionFilters\"",
        "pub(crate) image_tag_mutability_exclusion_filters: Option<",
        "pub fn image_tag_mutability_exclusion_filters(",
        ") -> &[crate::types::ImageTagMutabilityExclusionFilter] {",
        "pub fn set_image_tag_mutability_exclusion_filters(",
    ] {
        assert!(
            repository.contains(needle),
            "repository.rs diff lacks {needle:?}:\n{repository}"
        );
    }
    assert!(
        repository.lines().all(|l| !l.contains("rename = \"") || l.contains("imageTagMutabilityExclusionFilters")),
        "repository.rs changed other members:\n{repository}"
    );
    // ImageTagMutability gained exactly two values; only its list of known values was rewritten.
    let (added, removed) = &changes["src/types/image_tag_mutability.rs"];
    assert_eq!(
        removed,
        &[r#"&["MUTABLE", "IMMUTABLE"]"#],
        "image_tag_mutability.rs lost other lines"
    );
    let mutability = added.join("\n");
    for value in ["\"IMMUTABLE_WITH_EXCLUSION\"", "\"MUTABLE_WITH_EXCLUSION\""] {
        assert!(
            mutability.contains(value),
            "image_tag_mutability.rs diff lacks {value}:\n{mutability}"
        );
    }
    for old_value in ["\"MUTABLE\" =>", "\"IMMUTABLE\" =>"] {
        assert!(
            !mutability.contains(old_value),
            "an old value changed:\n{mutability}"
        );
    }
    // The operation, its input, output and errors are unchanged.
    assert!(!changes
        .keys()
        .any(|f| f.starts_with("src/operation") || f.starts_with("src/error")));
}

fn operation_files(files: &BTreeMap<PathBuf, String>) -> Vec<String> {
    files
        .keys()
        .filter_map(|p| p.strip_prefix("src/operation").ok())
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != "mod.rs")
        .collect()
}

#[test]
fn both_aws_models_generate_every_operation_deterministically() {
    for (model, operations) in [(NEWER_AWS_MODEL, 58), (OLDER_AWS_MODEL, 49)] {
        let first = generate(&shared_model(model), None, true);
        let second = generate(&shared_model(model), None, true);
        assert!(first == second, "{model}: two generations differ");
        assert_eq!(operation_files(&first).len(), operations, "{model}");
    }
}

#[test]
fn the_operation_filter_emits_only_the_closure_and_those_client_methods() {
    let files = generate(
        &shared_model(NEWER_AWS_MODEL),
        Some(&["ListImages", "DeleteRepository"]),
        true,
    );
    assert_eq!(
        operation_files(&files),
        ["delete_repository.rs", "list_images.rs"]
    );
    let client = &files[&PathBuf::from("src/client.rs")];
    let methods: Vec<&str> = client
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub fn "))
        .map(|l| l.split('(').next().unwrap())
        .collect();
    assert_eq!(
        methods,
        [
            "new",
            "from_env",
            "config",
            "service_client",
            "delete_repository",
            "list_images"
        ]
    );
    // ListImages reaches ImageIdentifier and ListImagesFilter; nothing of other operations comes along.
    assert!(files.contains_key(&PathBuf::from("src/types/image_identifier.rs")));
    assert!(files.contains_key(&PathBuf::from("src/types/list_images_filter.rs")));
    assert!(!files.contains_key(&PathBuf::from(
        "src/types/lifecycle_policy_preview_filter.rs"
    )));
    assert!(!files
        .keys()
        .any(|p| p.to_string_lossy().contains("replication")));
}
