//! Operation traits that change the request beyond its body: `smithy.api#endpoint` host
//! prefixes (filled from the input's `@hostLabel` members) and `smithy.api#requestCompression`.

use serde_json::Value;

use super::{shape_name, Context};
use crate::error::Error;
use crate::ir::{HostPrefixSegment, RustType, StructIr};
use crate::model::Operation;

/// A host prefix template's pieces before the labels are matched to members.
#[derive(Debug, PartialEq, Eq)]
enum TemplatePart<'a> {
    Literal(&'a str),
    Label(&'a str),
}

/// Splits `foo.{Label}-x.` into text and labels. Text may hold ASCII letters, digits, `-` and
/// `.` (what a host name may), labels are `{Name}` with a member name inside.
fn parse_template(template: &str) -> Result<Vec<TemplatePart<'_>>, String> {
    if template.is_empty() {
        return Err("the host prefix is empty".to_string());
    }
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let end = rest
                    .find('}')
                    .ok_or_else(|| format!("`{{` without `}}` in the host prefix {template:?}"))?;
                let label = &rest[1..end];
                let valid = !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !valid {
                    return Err(format!(
                        "`{{{label}}}` in the host prefix {template:?} is not a member name"
                    ));
                }
                if matches!(parts.last(), Some(TemplatePart::Label(_))) {
                    return Err(format!(
                        "two labels without text between them in the host prefix {template:?}"
                    ));
                }
                parts.push(TemplatePart::Label(label));
                rest = &rest[end + 1..];
            }
            found => {
                let end = found.unwrap_or(rest.len());
                let text = &rest[..end];
                if let Some(bad) = text
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
                {
                    return Err(format!(
                        "{bad:?} in the host prefix {template:?} cannot be part of a host name"
                    ));
                }
                parts.push(TemplatePart::Literal(text));
                rest = &rest[end..];
            }
        }
    }
    Ok(parts)
}

impl Context<'_> {
    /// The operation's host prefix with each `{Label}` resolved to the input's `@hostLabel`
    /// member, or `None` without `smithy.api#endpoint`. A template that is not a host name's
    /// start, a label that names no `@hostLabel` string member, or a `@hostLabel` member the
    /// template leaves out fails with the operation's id.
    pub(super) fn host_prefix(
        &self,
        op_id: &str,
        op: &Operation,
        input: &StructIr,
    ) -> Result<Option<Vec<HostPrefixSegment>>, Error> {
        let Some(endpoint) = op.traits.get("smithy.api#endpoint") else {
            return Ok(None);
        };
        let template = endpoint
            .get("hostPrefix")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::shape(op_id, "smithy.api#endpoint has no hostPrefix string"))?;
        let parts = parse_template(template).map_err(|e| Error::shape(op_id, e))?;

        // Model member names beside the input's IR members (same order), with their traits.
        let members = match &op.input {
            Some(target) => {
                let shape = self.model.get(&target.target, op_id)?;
                self.flatten_members(&target.target, shape)?
            }
            None => Vec::new(),
        };
        let labelled: Vec<&str> = members
            .iter()
            .filter(|(_, m)| m.traits.has("smithy.api#hostLabel"))
            .map(|(name, _)| name.as_str())
            .collect();
        let mut segments = Vec::new();
        for part in &parts {
            segments.push(match part {
                TemplatePart::Literal(text) => HostPrefixSegment::Literal(text.to_string()),
                TemplatePart::Label(label) => {
                    let index = members
                        .iter()
                        .position(|(name, _)| name == label)
                        .filter(|_| labelled.contains(label))
                        .ok_or_else(|| {
                            Error::shape(
                                op_id,
                                format!(
                                    "the host prefix {template:?} uses `{{{label}}}`, but the input has no member `{label}` with smithy.api#hostLabel"
                                ),
                            )
                        })?;
                    let member = &input.members[index];
                    if member.ty != RustType::String {
                        return Err(Error::shape(
                            op_id,
                            format!(
                                "the host label `{label}` is not a string, so it cannot go into the host name"
                            ),
                        ));
                    }
                    HostPrefixSegment::Label {
                        wire_name: label.to_string(),
                        field: member.field.clone(),
                    }
                }
            });
        }
        if let Some(unused) = labelled
            .iter()
            .find(|name| !parts.contains(&TemplatePart::Label(name)))
        {
            return Err(Error::shape(
                op_id,
                format!(
                    "the input member `{unused}` has smithy.api#hostLabel, but the host prefix {template:?} does not use it"
                ),
            ));
        }
        Ok(Some(segments))
    }
}

/// Whether `smithy.api#requestCompression` asks for gzip (the one encoding implemented); a
/// warning when it lists only others.
pub(super) fn request_compression(op_id: &str, op: &Operation) -> (bool, Option<String>) {
    let Some(compression) = op.traits.get("smithy.api#requestCompression") else {
        return (false, None);
    };
    let encodings: Vec<&str> = compression
        .get("encodings")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if encodings.iter().any(|e| e.eq_ignore_ascii_case("gzip")) {
        return (true, None);
    }
    let warning = format!(
        "operation {}: smithy.api#requestCompression lists only {:?}, and only gzip is implemented: request bodies are sent uncompressed",
        shape_name(op_id),
        encodings
    );
    (false, Some(warning))
}

#[cfg(test)]
mod tests {
    use super::TemplatePart::{Label, Literal};
    use super::*;
    use crate::normalize::tests::{model_json, normalize_model};
    use crate::{normalize, Model, Settings};

    #[test]
    fn templates_split_into_text_and_labels() {
        assert_eq!(parse_template("data-").unwrap(), [Literal("data-")]);
        assert_eq!(
            parse_template("foo.{Label}.").unwrap(),
            [Literal("foo."), Label("Label"), Literal(".")]
        );
        assert_eq!(
            parse_template("{AccountId}.").unwrap(),
            [Label("AccountId"), Literal(".")]
        );
        for (bad, says) in [
            ("", "empty"),
            ("foo.{Label", "without `}`"),
            ("{}.", "not a member name"),
            ("{a b}.", "not a member name"),
            ("{A}{B}.", "two labels"),
            ("foo_bar.", "cannot be part of a host name"),
            ("foo/.", "cannot be part of a host name"),
        ] {
            let error = parse_template(bad).unwrap_err();
            assert!(error.contains(says), "{bad:?}: {error}");
        }
    }

    fn label_member(name: &str) -> String {
        format!(
            r#""{name}": {{"target": "smithy.api#String", "traits": {{"smithy.api#required": {{}}, "smithy.api#hostLabel": {{}}}}}}"#
        )
    }

    #[test]
    fn a_host_prefix_resolves_its_labels_to_input_fields() {
        let krate = normalize_model(
            "",
            &label_member("Type"),
            r#""traits": {"smithy.api#endpoint": {"hostPrefix": "foo.{Type}."}}"#,
        );
        let op = &krate.operations[0];
        assert_eq!(
            op.host_prefix.as_deref().unwrap(),
            [
                HostPrefixSegment::Literal("foo.".into()),
                HostPrefixSegment::Label {
                    wire_name: "Type".into(),
                    field: "r#type".into()
                },
                HostPrefixSegment::Literal(".".into()),
            ]
        );
        assert!(!op.request_compression);
        // Implemented: no warning any more.
        assert!(krate.unimplemented.is_empty(), "{:?}", krate.unimplemented);

        let constant = normalize_model(
            "",
            "",
            r#""traits": {"smithy.api#endpoint": {"hostPrefix": "data-"}}"#,
        );
        assert_eq!(
            constant.operations[0].host_prefix.as_deref().unwrap(),
            [HostPrefixSegment::Literal("data-".into())]
        );
        assert_eq!(normalize_model("", "", "").operations[0].host_prefix, None);
    }

    fn normalize_error(input_members: &str, op_extra: &str) -> String {
        let json = model_json("", input_members, op_extra);
        let model = Model::from_json(&json, "test").unwrap();
        normalize(&model, &Settings::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn labels_must_match_host_label_members_both_ways() {
        let endpoint = |template: &str| {
            format!(r#""traits": {{"smithy.api#endpoint": {{"hostPrefix": "{template}"}}}}"#)
        };
        let error = normalize_error("", &endpoint("{Missing}."));
        assert!(error.contains("a#Get"), "{error}");
        assert!(
            error.contains("no member `Missing` with smithy.api#hostLabel"),
            "{error}"
        );
        // `name` exists but is not a host label.
        let error = normalize_error("", &endpoint("{name}."));
        assert!(error.contains("no member `name`"), "{error}");
        let error = normalize_error(&label_member("Other"), &endpoint("data-"));
        assert!(
            error.contains("`Other` has smithy.api#hostLabel"),
            "{error}"
        );
        let error = normalize_error(
            r#""Count": {"target": "smithy.api#Integer", "traits": {"smithy.api#hostLabel": {}}}"#,
            &endpoint("{Count}."),
        );
        assert!(error.contains("not a string"), "{error}");
        let error = normalize_error("", &endpoint("a_b."));
        assert!(error.contains("cannot be part of a host name"), "{error}");
    }

    #[test]
    fn request_compression_needs_gzip() {
        let gzip = normalize_model(
            "",
            "",
            r#""traits": {"smithy.api#requestCompression": {"encodings": ["br", "gzip"]}}"#,
        );
        assert!(gzip.operations[0].request_compression);
        assert!(gzip.unimplemented.is_empty(), "{:?}", gzip.unimplemented);
        let other = normalize_model(
            "",
            "",
            r#""traits": {"smithy.api#requestCompression": {"encodings": ["br"]}}"#,
        );
        assert!(!other.operations[0].request_compression);
        assert_eq!(
            other.unimplemented,
            ["operation Get: smithy.api#requestCompression lists only [\"br\"], and only gzip is implemented: request bodies are sent uncompressed"]
        );
    }
}
