//! Normalize: select the service and operations, walk their closure, name everything, and
//! build the IR.
//!
//! One module per job: `select` (service, operations, the named closure), `shapes` (model
//! shapes to IR types), `boxing` (recursive members), `prelude` (the prelude's simple shapes)
//! and `examples`. Everything is visited in a deterministic order (model member order inside a
//! shape, sorted shape ids otherwise), so the same model always yields the same IR.

mod boxing;
mod examples;
mod prelude;
mod request;
mod select;
mod tokens;
pub(crate) use select::{all_operations, select_operations, select_service};
mod shapes;

use std::collections::BTreeMap;

use crate::docs::html_to_rustdoc;
use crate::error::Error;
use crate::ir::*;
use crate::model::{Model, Shape, ShapeId, Target, Traits};
use crate::naming::{self, NameRequest, TypeNames};
use crate::Settings;

/// Builds the IR for the operations the settings select.
pub fn normalize(model: &Model, settings: &Settings) -> Result<Crate, Error> {
    let (service_id, service) = select::select_service(model, settings)?;
    let service_ir = select::service_ir(&service_id, service, settings)?;
    let all_operations = select::all_operations(model, &service_id, service)?;
    let operation_ids = select::select_operations(&all_operations, &service_id, settings)?;

    // Names come from the whole service, so a selection never changes a type's name.
    let closure = select::named_closure(model, &all_operations, service);
    let requests: Vec<NameRequest> = closure
        .iter()
        .filter_map(|id| {
            let shape = model.shapes.get(id)?;
            Some(NameRequest {
                shape_id: id,
                shape_name: service
                    .rename
                    .get(id)
                    .map_or(shape_name(id), String::as_str),
                has_builder: matches!(shape, Shape::Structure(_)),
                dir: match shape {
                    Shape::Structure(s) if s.traits.error().is_some() => "error",
                    _ => "types",
                },
            })
        })
        .collect();
    let mut cx = Context {
        model,
        settings,
        types: BTreeMap::new(),
        names: naming::assign_type_names(&requests),
        depth: 0,
    };

    let mut operations = Vec::new();
    let mut skipped = Vec::new();
    let mut unimplemented = Vec::new();
    for op_id in &operation_ids {
        if let Some(reason) = select::unsupported_reason(model, op_id)? {
            if settings.operations.is_some() {
                return Err(Error::shape(
                    op_id,
                    format!("cannot be generated: {reason}"),
                ));
            }
            skipped.push(SkippedOperation {
                name: shape_name(op_id).to_string(),
                reason,
            });
            continue;
        }
        unimplemented.extend(select::unimplemented_traits(model, op_id));
        operations.push(cx.operation(op_id, &service.errors)?);
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let mut modules = std::collections::BTreeSet::new();
    for op in &operations {
        if !modules.insert(op.module.as_str()) {
            return Err(Error::shape(
                &op.shape_id,
                format!(
                    "its module name `{}` is taken by another operation",
                    op.module
                ),
            ));
        }
    }

    boxing::box_recursive_members(&mut cx.types);
    tokens::mark_token_containers(&mut cx.types, &mut operations);
    let mut types: Vec<TypeDecl> = cx.types.into_values().collect();
    types.sort_by(|a, b| a.name().cmp(b.name()));
    let mut krate = Crate {
        service: service_ir,
        operations,
        types,
        skipped,
        unimplemented,
        paginators: Vec::new(),
        waiters: Vec::new(),
    };
    krate.paginators = crate::paginators::paginators(model, &krate)?;
    krate.waiters = crate::waiters::waiters(model, &krate, settings)?;
    Ok(krate)
}

/// The walk's state: the types built so far and the names assigned up front.
struct Context<'m> {
    model: &'m Model,
    settings: &'m Settings,
    /// Named types built so far, by shape id (the closure).
    types: BTreeMap<ShapeId, TypeDecl>,
    /// The Rust names of every named shape of the service.
    names: BTreeMap<ShapeId, TypeNames>,
    /// How many member types are being resolved inside each other (see [`MAX_NESTING`]).
    depth: usize,
}

/// Members nested deeper than this (lists of lists, structures first reached through other
/// structures...) are refused: the real models stay far below, and a hostile model must not
/// exhaust the generator's stack.
const MAX_NESTING: usize = 100;

impl Context<'_> {
    fn operation(&mut self, id: &str, service_errors: &[Target]) -> Result<OperationIr, Error> {
        let Shape::Operation(op) = self.model.get(id, id)? else {
            unreachable!("all_operations checked the type");
        };
        let name = shape_name(id).to_string();
        let module = naming::module_name(&name);
        let input = self.io_struct(
            id,
            op.input.as_ref().map(|t| t.target.as_str()),
            naming::input_name(&name),
            &module,
            Role::Input,
        )?;
        let output = self.io_struct(
            id,
            op.output.as_ref().map(|t| t.target.as_str()),
            naming::output_name(&name),
            &module,
            Role::Output,
        )?;

        let mut errors = Vec::new();
        for target in op.errors.iter().chain(service_errors) {
            let error_id = &target.target;
            // `httpError`, else Smithy's defaults: 500 for a server fault, 400 for a client one.
            let http_status = match self.model.get(error_id, id)? {
                Shape::Structure(s) if s.traits.error().is_some() => s
                    .traits
                    .http_error()
                    .unwrap_or(if s.traits.error() == Some("server") {
                        500
                    } else {
                        400
                    }),
                other => {
                    return Err(Error::shape(
                        error_id,
                        format!(
                            "is listed as an error of {id} but is a {} without smithy.api#error",
                            other.type_name()
                        ),
                    ))
                }
            };
            let type_name = self.named_type(error_id, id)?.0;
            if errors.iter().any(|e: &ErrorRef| e.type_name == type_name) {
                continue;
            }
            let Some(TypeDecl::Struct(decl)) = self.types.get(error_id.as_str()) else {
                unreachable!("named_type built the error structure");
            };
            errors.push(ErrorRef {
                // Without required members it can be built from the error metadata alone.
                buildable_without_body: !decl.has_required(),
                summary: decl
                    .docs
                    .as_deref()
                    .map(|d| d.split("\n\n").next().unwrap_or(d).to_string()),
                is_fn: naming::is_fn_name(&type_name),
                code: shape_name(error_id).to_string(),
                http_status,
                type_name,
            });
        }
        errors.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        let host_prefix = self.host_prefix(id, op, &input)?;
        let (request_compression, _) = request::request_compression(id, op);
        let examples = self.examples(
            id,
            op.input.as_ref().map(|t| t.target.as_str()),
            op.output.as_ref().map(|t| t.target.as_str()),
            &op.traits,
        )?;
        Ok(OperationIr {
            examples,
            host_prefix,
            request_compression,
            shape_id: id.to_string(),
            fn_name: naming::operation_fn_name(&name),
            module,
            docs: docs(&op.traits, self.settings),
            input,
            output,
            error_name: naming::error_enum_name(&name),
            fluent_builder: naming::fluent_builder_name(&name),
            errors,
            name,
        })
    }
}

/// The part of a shape id after `#` (and before any `$member`).
pub fn shape_name(id: &str) -> &str {
    let name = id.rsplit_once('#').map_or(id, |(_, n)| n);
    name.split_once('$').map_or(name, |(n, _)| n)
}

/// Documentation as rustdoc, when the settings ask for it and there is any.
fn docs(traits: &Traits, settings: &Settings) -> Option<String> {
    if !settings.documentation {
        return None;
    }
    traits
        .documentation()
        .map(html_to_rustdoc)
        .filter(|d| !d.trim().is_empty())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A one-operation model: `a#Get` (input `name`, output `size`) with the error `a#NotFound`
    /// (a required `message`), plus `extra_shapes`, `input_members` on the input and `op_extra`
    /// on the operation.
    pub(crate) fn model_json(extra_shapes: &str, input_members: &str, op_extra: &str) -> String {
        let input_members = if input_members.is_empty() {
            r#""name": {"target": "smithy.api#String"}"#.to_string()
        } else {
            format!(r#""name": {{"target": "smithy.api#String"}}, {input_members}"#)
        };
        let op_extra = if op_extra.is_empty() {
            String::new()
        } else {
            format!(", {op_extra}")
        };
        format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Get"}}],
                    "traits": {{"aws.protocols#awsJson1_1": {{}}, "aws.api#service": {{"sdkId": "Svc"}}, "aws.auth#sigv4": {{"name": "svc"}}}}}},
                "a#Get": {{"type": "operation", "input": {{"target": "a#GetRequest"}}, "output": {{"target": "a#GetResponse"}},
                    "errors": [{{"target": "a#NotFound"}}]{op_extra}}},
                "a#GetRequest": {{"type": "structure", "members": {{{input_members}}}}},
                "a#GetResponse": {{"type": "structure", "members": {{"size": {{"target": "smithy.api#Integer"}}}}}},
                "a#NotFound": {{"type": "structure", "members": {{"message": {{"target": "smithy.api#String", "traits": {{"smithy.api#required": {{}}}}}}}},
                    "traits": {{"smithy.api#error": "client"}}}}
                {extra_shapes}
            }}}}"#
        )
    }

    pub(crate) fn normalize_model(
        extra_shapes: &str,
        input_members: &str,
        op_extra: &str,
    ) -> Crate {
        let json = model_json(extra_shapes, input_members, op_extra);
        let model = Model::from_json(&json, "test").unwrap();
        normalize(&model, &Settings::default()).unwrap()
    }

    pub(crate) fn normalize_json(op_extra: &str) -> Crate {
        normalize_model("", "", op_extra)
    }

    #[test]
    fn shape_names_drop_the_namespace_and_member() {
        assert_eq!(shape_name("com.amazonaws.ecr#Repository"), "Repository");
        assert_eq!(shape_name("a#Thing$member"), "Thing");
        assert_eq!(shape_name("Plain"), "Plain");
    }

    #[test]
    fn an_operation_gets_its_synthetic_names_and_errors() {
        let krate = normalize_json("");
        let op = &krate.operations[0];
        assert_eq!(op.name, "Get");
        assert_eq!(op.fn_name, "get");
        assert_eq!(op.module, "get");
        assert_eq!(op.input.name, "GetInput");
        assert_eq!(op.input.builder, "GetInputBuilder");
        assert_eq!(op.output.name, "GetOutput");
        assert_eq!(op.error_name, "GetError");
        assert_eq!(op.fluent_builder, "GetFluentBuilder");
        assert_eq!(op.errors.len(), 1);
        assert_eq!(op.errors[0].type_name, "NotFound");
        assert_eq!(op.errors[0].is_fn, "is_not_found");
        // A required message: the body must parse for the variant to be built.
        assert!(!op.errors[0].buildable_without_body);
    }

    #[test]
    fn shapes_named_like_generated_types_in_other_modules_keep_their_names() {
        // `GetError` (a structure) and the operation's error enum live in different modules;
        // `Thing` and `ThingBuilder` share `types`, so `Thing`'s builder gives way.
        let krate = normalize_model(
            r#", "a#GetError": {"type": "structure", "members": {}},
                "a#Thing": {"type": "structure", "members": {}},
                "a#ThingBuilder": {"type": "structure", "members": {}},
                "a#Type": {"type": "structure", "members": {}}"#,
            r#""e": {"target": "a#GetError"}, "t": {"target": "a#Thing"}, "b": {"target": "a#ThingBuilder"}, "k": {"target": "a#Type"}"#,
            "",
        );
        let structs: Vec<(&str, &str, &str)> = krate
            .types
            .iter()
            .filter_map(|t| match t {
                TypeDecl::Struct(s) => {
                    Some((s.name.as_str(), s.builder.as_str(), s.module.as_str()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            structs,
            [
                ("GetError", "GetErrorBuilder", "get_error"),
                ("NotFound", "NotFoundBuilder", "not_found"),
                ("Thing", "ThingStructBuilder", "thing"),
                ("ThingBuilder", "ThingBuilderBuilder", "thing_builder"),
                ("Type", "TypeBuilder", "type_"),
            ]
        );
        assert_eq!(krate.operations[0].error_name, "GetError");
    }

    #[test]
    fn names_do_not_depend_on_the_selection() {
        let json = model_json(
            r#", "a#Other": {"type": "operation", "input": {"target": "a#OtherInput"}},
                "a#OtherInput": {"type": "structure", "members": {"t": {"target": "a#ThingBuilder"}}},
                "a#Thing": {"type": "structure", "members": {}},
                "a#ThingBuilder": {"type": "structure", "members": {}}"#,
            r#""t": {"target": "a#Thing"}"#,
            "",
        )
        .replace(
            r#""operations": [{"target": "a#Get"}]"#,
            r#""operations": [{"target": "a#Get"}, {"target": "a#Other"}]"#,
        );
        let model = Model::from_json(&json, "test").unwrap();
        let only_get = Settings {
            operations: Some(vec!["Get".into()]),
            ..Settings::default()
        };
        let krate = normalize(&model, &only_get).unwrap();
        let thing = krate.types.iter().find(|t| t.name() == "Thing").unwrap();
        let TypeDecl::Struct(thing) = thing else {
            panic!()
        };
        // `ThingBuilder` is not generated here, yet `Thing`'s builder keeps the name it has
        // when everything is generated.
        assert_eq!(thing.builder, "ThingStructBuilder");
    }
}
