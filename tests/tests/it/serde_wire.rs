//! awsJson 1.1 serialization and deserialization of the generated DeleteRepository types, with the
//! example from `model/ecr.json` and a full response.

use aws_thin_ecr::operation::delete_repository::{DeleteRepositoryInput, DeleteRepositoryOutput};
use aws_thin_ecr::types::{
    EncryptionType, ImageTagMutability, ImageTagMutabilityExclusionFilterType,
};
use integration_tests::paths::project_model;
use serde_json::Value;

/// The `smithy.api#examples` entries of DeleteRepository in our model.
fn model_example() -> (Value, Value) {
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(project_model()).unwrap()).unwrap();
    let examples =
        &model["shapes"]["com.amazonaws.ecr#DeleteRepository"]["traits"]["smithy.api#examples"];
    let example = &examples[0];
    (example["input"].clone(), example["output"].clone())
}

#[test]
fn the_model_example_input_serializes_to_the_example_json() {
    let (input_json, _) = model_example();
    let input = DeleteRepositoryInput::builder()
        .repository_name("ubuntu")
        .force(true)
        .build()
        .unwrap();
    let body = serde_json::to_string(&input).unwrap();
    // Exactly the bytes the golden signature in DESIGN.md was computed over.
    assert_eq!(body, r#"{"repositoryName":"ubuntu","force":true}"#);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), input_json);
}

#[test]
fn the_model_example_output_deserializes() {
    let (_, output_json) = model_example();
    let output: DeleteRepositoryOutput = serde_json::from_value(output_json).unwrap();
    let repository = output.repository().expect("repository");
    assert_eq!(repository.registry_id(), Some("012345678901"));
    assert_eq!(repository.repository_name(), Some("ubuntu"));
    assert_eq!(
        repository.repository_arn(),
        Some("arn:aws:ecr:us-west-2:012345678901:repository/ubuntu")
    );
    assert_eq!(repository.created_at(), None);
}

#[test]
fn force_unset_false_and_true_are_three_different_bodies() {
    let body = |force: Option<bool>| {
        let input = DeleteRepositoryInput::builder()
            .repository_name("ubuntu")
            .set_force(force)
            .build()
            .unwrap();
        serde_json::to_string(&input).unwrap()
    };
    assert_eq!(body(None), r#"{"repositoryName":"ubuntu"}"#);
    assert_eq!(
        body(Some(false)),
        r#"{"repositoryName":"ubuntu","force":false}"#
    );
    assert_eq!(
        body(Some(true)),
        r#"{"repositoryName":"ubuntu","force":true}"#
    );
}

#[test]
fn registry_id_is_sent_when_set() {
    let input = DeleteRepositoryInput::builder()
        .registry_id("012345678901")
        .repository_name("team/app")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        r#"{"registryId":"012345678901","repositoryName":"team/app"}"#
    );
}

#[test]
fn a_missing_required_member_fails_to_build_and_names_it() {
    let error = DeleteRepositoryInput::builder()
        .force(true)
        .build()
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("DeleteRepositoryInput") && message.contains("repositoryName"),
        "{message}"
    );
}

const FULL_RESPONSE: &str = r#"{
  "repository": {
    "repositoryArn": "arn:aws:ecr:us-west-2:012345678901:repository/team/app",
    "registryId": "012345678901",
    "repositoryName": "team/app",
    "repositoryUri": "012345678901.dkr.ecr.us-west-2.amazonaws.com/team/app",
    "createdAt": 1700000000.123,
    "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
    "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "release-*"}],
    "imageScanningConfiguration": {"scanOnPush": true},
    "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-west-2:012345678901:key/1234abcd"},
    "aMemberFromTheFuture": {"nested": [1, 2, 3]}
  },
  "anotherUnknownMember": true
}"#;

#[test]
fn a_full_response_deserializes_with_every_member() {
    let output: DeleteRepositoryOutput = serde_json::from_str(FULL_RESPONSE).unwrap();
    let repository = output.repository().unwrap();
    assert_eq!(
        repository.repository_arn(),
        Some("arn:aws:ecr:us-west-2:012345678901:repository/team/app")
    );
    assert_eq!(repository.registry_id(), Some("012345678901"));
    assert_eq!(repository.repository_name(), Some("team/app"));
    assert_eq!(
        repository.repository_uri(),
        Some("012345678901.dkr.ecr.us-west-2.amazonaws.com/team/app")
    );
    let created = repository.created_at().unwrap();
    // Exact to the millisecond: parsed from the number's text, not through f64.
    assert_eq!(
        (created.secs(), created.subsec_nanos()),
        (1_700_000_000, 123_000_000)
    );
    assert_eq!(
        repository.image_tag_mutability(),
        Some(&ImageTagMutability::ImmutableWithExclusion)
    );
    let filters = repository.image_tag_mutability_exclusion_filters();
    assert_eq!(filters.len(), 1);
    assert_eq!(
        filters[0].filter_type(),
        &ImageTagMutabilityExclusionFilterType::Wildcard
    );
    assert_eq!(filters[0].filter(), "release-*");
    assert!(repository
        .image_scanning_configuration()
        .unwrap()
        .scan_on_push());
    let encryption = repository.encryption_configuration().unwrap();
    assert_eq!(encryption.encryption_type(), &EncryptionType::Kms);
    assert_eq!(
        encryption.kms_key(),
        Some("arn:aws:kms:us-west-2:012345678901:key/1234abcd")
    );
}

#[test]
fn microsecond_timestamps_stay_exact() {
    let output: DeleteRepositoryOutput =
        serde_json::from_str(r#"{"repository":{"createdAt":1479495000.123456}}"#).unwrap();
    let created = output.repository().unwrap().created_at().unwrap();
    assert_eq!(
        (created.secs(), created.subsec_nanos()),
        (1_479_495_000, 123_456_000)
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let output: DeleteRepositoryOutput = serde_json::from_str(
        r#"{"repository":{"imageTagMutability":"SOMETHING_NEW","encryptionConfiguration":{"encryptionType":"AES512"}}}"#,
    )
    .unwrap();
    let repository = output.repository().unwrap();
    let mutability = repository.image_tag_mutability().unwrap();
    assert!(matches!(mutability, ImageTagMutability::Unknown(_)));
    assert_eq!(mutability.as_str(), "SOMETHING_NEW");
    assert_eq!(
        repository
            .encryption_configuration()
            .unwrap()
            .encryption_type()
            .as_str(),
        "AES512"
    );
    // And they go back on the wire unchanged.
    let json = serde_json::to_value(repository).unwrap();
    assert_eq!(json["imageTagMutability"], "SOMETHING_NEW");
}

#[test]
fn null_members_are_absent() {
    let output: DeleteRepositoryOutput = serde_json::from_str(
        r#"{"repository":{"repositoryName":null,"createdAt":null,"imageTagMutability":null,
            "imageTagMutabilityExclusionFilters":null,"imageScanningConfiguration":{"scanOnPush":null},
            "encryptionConfiguration":{"encryptionType":"AES256","kmsKey":null}}}"#,
    )
    .unwrap();
    let repository = output.repository().unwrap();
    assert_eq!(repository.repository_name(), None);
    assert_eq!(repository.created_at(), None);
    assert_eq!(repository.image_tag_mutability(), None);
    assert!(repository
        .image_tag_mutability_exclusion_filters()
        .is_empty());
    assert!(!repository
        .image_scanning_configuration()
        .unwrap()
        .scan_on_push());
    assert_eq!(
        repository.encryption_configuration().unwrap().kms_key(),
        None
    );
    assert_eq!(
        serde_json::from_str::<DeleteRepositoryOutput>(r#"{"repository":null}"#)
            .unwrap()
            .repository(),
        None
    );
}

#[test]
fn an_empty_output_object_is_an_output_without_repository() {
    let output: DeleteRepositoryOutput = serde_json::from_str("{}").unwrap();
    assert_eq!(output.repository(), None);
}

#[test]
fn enums_convert_from_and_to_str() {
    assert_eq!(
        ImageTagMutability::from("MUTABLE"),
        ImageTagMutability::Mutable
    );
    assert_eq!(ImageTagMutability::Immutable.to_string(), "IMMUTABLE");
    assert_eq!(
        ImageTagMutability::values(),
        [
            "MUTABLE",
            "IMMUTABLE",
            "IMMUTABLE_WITH_EXCLUSION",
            "MUTABLE_WITH_EXCLUSION"
        ]
    );
    assert_eq!(
        "KMS_DSSE".parse::<EncryptionType>().unwrap(),
        EncryptionType::KmsDsse
    );
}

#[test]
fn a_response_missing_a_required_member_still_parses_with_its_zero_value() {
    // `encryptionType`, `filterType` and `filter` are required by the model; a response that
    // leaves them out (or sends null) is corrected instead of failing the whole call.
    let output: DeleteRepositoryOutput = serde_json::from_str(
        r#"{"repository":{"encryptionConfiguration":{"kmsKey":"k"},
            "imageTagMutabilityExclusionFilters":[{"filter":null}]}}"#,
    )
    .unwrap();
    let repository = output.repository().unwrap();
    let encryption = repository.encryption_configuration().unwrap();
    assert_eq!(encryption.encryption_type().as_str(), "");
    assert!(matches!(
        encryption.encryption_type(),
        EncryptionType::Unknown(_)
    ));
    assert_eq!(encryption.kms_key(), Some("k"));
    let filter = &repository.image_tag_mutability_exclusion_filters()[0];
    assert_eq!(filter.filter(), "");
    assert_eq!(filter.filter_type().as_str(), "");
}

#[test]
fn building_a_structure_without_its_required_member_still_fails() {
    let error = aws_thin_ecr::types::EncryptionConfiguration::builder()
        .kms_key("k")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("encryptionType"), "{error}");
}
