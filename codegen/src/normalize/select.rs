//! Selection: which service, which of its operations, and the service-level facts the runtime needs.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{docs, shape_name};
use crate::error::Error;
use crate::ir::ServiceIr;
use crate::model::{Model, Service, Shape, ShapeId};
use crate::Settings;

/// The service to generate: the one the settings name, else the model's only service.
pub(crate) fn select_service<'m>(
    model: &'m Model,
    settings: &Settings,
) -> Result<(ShapeId, &'m Service), Error> {
    let services: Vec<(&ShapeId, &Service)> = model
        .shapes
        .iter()
        .filter_map(|(id, s)| match s {
            Shape::Service(svc) => Some((id, svc)),
            _ => None,
        })
        .collect();
    match &settings.service {
        Some(wanted) => services
            .into_iter()
            .find(|(id, _)| *id == wanted)
            .map(|(id, s)| (id.clone(), s))
            .ok_or_else(|| Error::shape(wanted, "no service shape with this id in the model")),
        None => match services.as_slice() {
            [(id, svc)] => Ok(((*id).clone(), *svc)),
            [] => Err(Error::new(
                "the model has no service shape: nothing to generate a client for",
            )),
            many => Err(Error::new(format!(
                "the model has {} service shapes ({}); choose one in the settings",
                many.len(),
                many.iter()
                    .map(|(id, _)| id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

/// The service's protocol, signing and endpoint facts.
pub(super) fn service_ir(
    id: &str,
    service: &Service,
    settings: &Settings,
) -> Result<ServiceIr, Error> {
    let traits = &service.traits;
    let json_version = if traits.has("aws.protocols#awsJson1_1") {
        "1.1"
    } else if traits.has("aws.protocols#awsJson1_0") {
        "1.0"
    } else {
        let protocols: Vec<&str> = traits
            .0
            .keys()
            .filter(|k| k.starts_with("aws.protocols#") || k.starts_with("smithy.protocols#"))
            .map(String::as_str)
            .collect();
        return Err(Error::shape(
            id,
            format!(
                "the service's protocol is not supported: expected aws.protocols#awsJson1_1 or awsJson1_0, found {}",
                if protocols.is_empty() { "no protocol trait".to_string() } else { protocols.join(", ") }
            ),
        ));
    };
    let aws = traits.aws_service().ok_or_else(|| {
        Error::shape(
            id,
            "the service has no aws.api#service trait (sdkId, endpointPrefix)",
        )
    })?;
    let sdk_id = aws
        .get("sdkId")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::shape(id, "aws.api#service has no sdkId"))?
        .to_string();
    let signing_name = traits
        .sigv4_name()
        .ok_or_else(|| {
            Error::shape(
                id,
                "the service has no aws.auth#sigv4 trait with a signing name",
            )
        })?
        .to_string();
    let endpoint_prefix = aws
        .get("endpointPrefix")
        .and_then(Value::as_str)
        .unwrap_or(&signing_name)
        .to_string();
    let title = traits
        .get("smithy.api#title")
        .and_then(Value::as_str)
        .unwrap_or(&sdk_id)
        .to_string();
    Ok(ServiceIr {
        shape_id: id.to_string(),
        shape_name: shape_name(id).to_string(),
        title,
        env_service_id: sdk_id.to_ascii_uppercase().replace([' ', '-'], "_"),
        sdk_id,
        signing_name,
        endpoint_prefix,
        json_version,
        version: service.version.clone(),
        docs: docs(traits, settings),
        endpoint_rules: traits.get("smithy.rules#endpointRuleSet").map(rules_json),
    })
}

/// The rule set as JSON with one value per line and no indentation: a rules change reviews as a
/// small diff, and every client parses it at start-up, where indentation (a half of pretty
/// JSON) would cost.
fn rules_json(rules: &serde_json::Value) -> String {
    use serde::Serialize as _;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    rules
        .serialize(&mut serializer)
        .expect("a JSON value always serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Every operation of the service (directly or through resources), sorted by shape id.
pub(crate) fn all_operations(
    model: &Model,
    service_id: &str,
    service: &Service,
) -> Result<Vec<ShapeId>, Error> {
    let mut all: BTreeSet<ShapeId> = service
        .operations
        .iter()
        .map(|t| t.target.clone())
        .collect();
    let mut resources: Vec<(ShapeId, ShapeId)> = service
        .resources
        .iter()
        .map(|t| (service_id.to_string(), t.target.clone()))
        .collect();
    let mut seen_resources = BTreeSet::new();
    while let Some((from, id)) = resources.pop() {
        if !seen_resources.insert(id.clone()) {
            continue;
        }
        match model.get(&id, &from)? {
            Shape::Resource(r) => {
                all.extend(r.all_operations().map(|t| t.target.clone()));
                resources.extend(r.resources.iter().map(|t| (id.clone(), t.target.clone())));
            }
            other => {
                return Err(Error::shape(
                    &id,
                    format!("is bound as a resource but is a {}", other.type_name()),
                ))
            }
        }
    }
    for op in &all {
        match model.get(op, service_id)? {
            Shape::Operation(_) => {}
            other => {
                return Err(Error::shape(
                    op,
                    format!("is bound as an operation but is a {}", other.type_name()),
                ))
            }
        }
    }
    Ok(all.into_iter().collect())
}

/// The operations the settings select from `all` (every one when the settings name none).
pub(crate) fn select_operations(
    all: &[ShapeId],
    service_id: &str,
    settings: &Settings,
) -> Result<Vec<ShapeId>, Error> {
    let Some(wanted) = &settings.operations else {
        return Ok(all.to_vec());
    };
    let mut selected = Vec::new();
    for name in wanted {
        match all.iter().find(|id| shape_name(id) == name || *id == name) {
            Some(id) => selected.push(id.clone()),
            None => {
                return Err(Error::shape(
                    service_id,
                    format!(
                        "the service has no operation named `{name}` (selected in the settings)"
                    ),
                ))
            }
        }
    }
    selected.sort();
    selected.dedup();
    Ok(selected)
}

/// Why an operation cannot be generated yet, if it cannot: event streams, streaming blobs and
/// required endpoint discovery.
pub(super) fn unsupported_reason(model: &Model, op_id: &str) -> Result<Option<String>, Error> {
    let Shape::Operation(op) = model.get(op_id, op_id)? else {
        return Ok(None);
    };
    if op
        .traits
        .get("aws.api#clientDiscoveredEndpoint")
        .and_then(|t| t.get("required"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        return Ok(Some(
            "it requires endpoint discovery, which is not supported yet".to_string(),
        ));
    }
    for io in [&op.input, &op.output].into_iter().flatten() {
        let Some(Shape::Structure(s)) = model.shapes.get(&io.target) else {
            continue;
        };
        for (name, member) in &s.members.0 {
            let Some(target) = model.shapes.get(&member.target) else {
                continue;
            };
            if target.traits().is_streaming() {
                let what = match target {
                    Shape::Union(_) => "an event stream",
                    _ => "a streaming body",
                };
                return Ok(Some(format!(
                    "its member `{}${name}` is {what}, which is not supported yet",
                    io.target
                )));
            }
        }
    }
    Ok(None)
}

/// Traits of an operation that change the request on the wire but that the generator does not
/// implement, each as a warning naming the trait.
pub(super) fn unimplemented_traits(model: &Model, op_id: &str) -> Vec<String> {
    let Some(Shape::Operation(op)) = model.shapes.get(op_id) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    found.extend(super::request::request_compression(op_id, op).1);
    let on_operation = [
        ("aws.protocols#httpChecksum", "no checksum header is sent"),
        (
            "smithy.api#httpChecksumRequired",
            "no Content-MD5 header is sent",
        ),
        ("aws.auth#unsignedPayload", "the payload is signed"),
        (
            "smithy.api#optionalAuth",
            "requests are always signed, so credentials are required",
        ),
    ];
    for (trait_id, effect) in on_operation {
        if op.traits.has(trait_id) {
            found.push(format!(
                "operation {}: {trait_id} is not implemented: {effect}",
                shape_name(op_id)
            ));
        }
    }
    if op
        .traits
        .get("smithy.api#auth")
        .and_then(Value::as_array)
        .is_some_and(|schemes| schemes.is_empty())
    {
        found.push(format!(
            "operation {}: smithy.api#auth [] (no authentication) is not implemented: requests are always signed, so credentials are required",
            shape_name(op_id)
        ));
    }
    found
}

/// The named shapes (structures, unions, enums, intEnums) reachable from the operations and the
/// service's errors: what [`crate::naming::assign_type_names`] names. Dangling targets are left
/// for the shape walk to report with context.
pub(super) fn named_closure(
    model: &Model,
    operations: &[ShapeId],
    service: &Service,
) -> BTreeSet<ShapeId> {
    let mut stack: Vec<ShapeId> = operations.to_vec();
    stack.extend(service.errors.iter().map(|t| t.target.clone()));
    let mut seen = BTreeSet::new();
    let mut named = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = model.shapes.get(&id) else {
            continue;
        };
        stack.extend(shape.mixins().iter().map(|t| t.target.clone()));
        match shape {
            Shape::Operation(op) => {
                stack.extend(
                    [&op.input, &op.output]
                        .into_iter()
                        .flatten()
                        .chain(&op.errors)
                        .map(|t| t.target.clone()),
                );
                stack.extend(
                    op.traits
                        .examples()
                        .iter()
                        .filter_map(|e| e.get("error")?.get("shapeId")?.as_str())
                        .map(String::from),
                );
            }
            Shape::Structure(a) | Shape::Union(a) => {
                named.insert(id.clone());
                stack.extend(a.members.0.iter().map(|(_, m)| m.target.clone()));
            }
            Shape::Enum(_) | Shape::IntEnum(_) => {
                named.insert(id.clone());
            }
            Shape::List(c) | Shape::Set(c) => stack.push(c.member.target.clone()),
            Shape::Map(m) => {
                stack.push(m.key.target.clone());
                stack.push(m.value.target.clone());
            }
            _ => {}
        }
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shapes: &str) -> Model {
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Op"}}, {{"target": "a#Other"}}],
                    "resources": [{{"target": "a#Res"}}], "errors": [{{"target": "a#Boom"}}],
                    "traits": {{"aws.protocols#awsJson1_0": {{}}, "aws.api#service": {{"sdkId": "My Svc", "endpointPrefix": "my"}}, "aws.auth#sigv4": {{"name": "mysvc"}}}}}},
                "a#Res": {{"type": "resource", "operations": [{{"target": "a#ResOp"}}]}},
                "a#Op": {{"type": "operation", "input": {{"target": "a#OpInput"}}}},
                "a#Other": {{"type": "operation"}},
                "a#ResOp": {{"type": "operation"}},
                "a#Boom": {{"type": "structure", "members": {{}}, "traits": {{"smithy.api#error": "client"}}}},
                "a#OpInput": {{"type": "structure", "members": {{"items": {{"target": "a#Items"}}}}}},
                "a#Items": {{"type": "list", "member": {{"target": "a#Item"}}}},
                "a#Item": {{"type": "structure", "members": {{"kind": {{"target": "a#Kind"}}}}}},
                "a#Kind": {{"type": "enum", "members": {{"A": {{"target": "smithy.api#Unit"}}}}}},
                "a#Unused": {{"type": "structure", "members": {{}}}}
                {shapes}
            }}}}"#
        );
        Model::from_json(&json, "test").unwrap()
    }

    #[test]
    fn operations_come_from_the_service_and_its_resources() {
        let model = model("");
        let Shape::Service(service) = &model.shapes["a#Svc"] else {
            panic!()
        };
        let all = all_operations(&model, "a#Svc", service).unwrap();
        assert_eq!(all, ["a#Op", "a#Other", "a#ResOp"]);
        let settings = Settings {
            operations: Some(vec!["ResOp".into(), "a#Op".into()]),
            ..Settings::default()
        };
        assert_eq!(
            select_operations(&all, "a#Svc", &settings).unwrap(),
            ["a#Op", "a#ResOp"]
        );
        let settings = Settings {
            operations: Some(vec!["Nope".into()]),
            ..Settings::default()
        };
        let error = select_operations(&all, "a#Svc", &settings).unwrap_err();
        assert!(
            error.to_string().contains("no operation named `Nope`"),
            "{error}"
        );
    }

    #[test]
    fn the_named_closure_holds_reachable_named_shapes_only() {
        let model = model("");
        let Shape::Service(service) = &model.shapes["a#Svc"] else {
            panic!()
        };
        let closure = named_closure(&model, &["a#Op".to_string()], service);
        let closure: Vec<&str> = closure.iter().map(String::as_str).collect();
        assert_eq!(closure, ["a#Boom", "a#Item", "a#Kind", "a#OpInput"]);
    }

    #[test]
    fn service_facts_come_from_its_traits() {
        let model = model("");
        let Shape::Service(service) = &model.shapes["a#Svc"] else {
            panic!()
        };
        let ir = service_ir("a#Svc", service, &Settings::default()).unwrap();
        assert_eq!(ir.json_version, "1.0");
        assert_eq!(ir.signing_name, "mysvc");
        assert_eq!(ir.endpoint_prefix, "my");
        assert_eq!(ir.env_service_id, "MY_SVC");
        assert_eq!(ir.shape_name, "Svc");
    }

    #[test]
    fn wire_traits_the_generator_lacks_are_named() {
        let model = model(
            r#", "a#Compressed": {"type": "operation", "traits": {"smithy.api#requestCompression": {"encodings": ["br"]},
                "smithy.api#endpoint": {"hostPrefix": "data."}, "aws.protocols#httpChecksum": {}, "smithy.api#auth": []}}"#,
        );
        assert!(unimplemented_traits(&model, "a#Op").is_empty());
        let found = unimplemented_traits(&model, "a#Compressed");
        // The host prefix and gzip compression are implemented; other encodings are not.
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].contains("smithy.api#requestCompression lists only [\"br\"]"),
            "{found:?}"
        );
        assert!(
            found[1]
                .starts_with("operation Compressed: aws.protocols#httpChecksum is not implemented"),
            "{found:?}"
        );
        assert!(found[2].contains("smithy.api#auth []"), "{found:?}");
    }

    #[test]
    fn a_streaming_output_member_makes_the_operation_unsupported() {
        let model = model(
            r#", "a#Stream": {"type": "operation", "output": {"target": "a#StreamOutput"}},
            "a#StreamOutput": {"type": "structure", "members": {"body": {"target": "a#Body"}}},
            "a#Body": {"type": "blob", "traits": {"smithy.api#streaming": {}}}"#,
        );
        assert_eq!(unsupported_reason(&model, "a#Op").unwrap(), None);
        let reason = unsupported_reason(&model, "a#Stream").unwrap().unwrap();
        assert!(reason.contains("a streaming body"), "{reason}");
    }
}
