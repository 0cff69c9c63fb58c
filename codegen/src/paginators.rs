//! Paginators: the IR of `smithy.api#paginated` operations.
//!
//! The operation's trait is merged over the service's (Smithy lets a service set defaults such as
//! `inputToken` for every operation); the token, page size and items members are resolved to
//! the IR's Rust fields here, so the emitter only writes code.

use serde_json::Value;

use crate::error::Error;
use crate::ir::{Crate, OperationIr, Presence, RustType, StructIr, TypeDecl};
use crate::jmespath::find_member;
use crate::model::{Model, Shape};

/// One paginated operation.
#[derive(Debug, Clone, PartialEq)]
pub struct PaginatorIr {
    /// The operation's wire name (`ListImages`).
    pub operation: String,
    /// `ListImagesPaginator`, what `into_paginator()` returns.
    pub paginator: String,
    /// `ListImagesPages`, the page stream.
    pub pages: String,
    /// `ListImagesItems`, the item stream (only with `items`).
    pub items_stream: String,
    /// The input member that carries the token (a top-level member).
    pub input_token: Step,
    /// The model's `inputToken`, for docs.
    pub input_token_name: String,
    /// The path to the token in the output.
    pub output_token: Vec<Step>,
    /// The input member that sets the page size, and its type.
    pub page_size: Option<(Step, RustType)>,
    /// The path to the items in the output, and the items member's type (a list or a map).
    pub items: Option<(Vec<Step>, RustType)>,
    /// The model's `items`, for docs.
    pub items_name: Option<String>,
}

/// One member on a path: its Rust field and how it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub field: String,
    pub presence: Presence,
    pub boxed: bool,
}

/// The paginators of the generated operations, in operation order.
pub fn paginators(model: &Model, krate: &Crate) -> Result<Vec<PaginatorIr>, Error> {
    let service_trait = model
        .shapes
        .get(&krate.service.shape_id)
        .and_then(|s| s.traits().get("smithy.api#paginated"))
        .and_then(Value::as_object);
    let mut out = Vec::new();
    for op in &krate.operations {
        let Some(Shape::Operation(shape)) = model.shapes.get(&op.shape_id) else {
            continue;
        };
        let Some(own) = shape.traits.get("smithy.api#paginated") else {
            continue;
        };
        let mut merged = service_trait.cloned().unwrap_or_default();
        if let Some(own) = own.as_object() {
            merged.extend(own.clone());
        }
        let get = |key: &str| merged.get(key).and_then(Value::as_str).map(str::to_string);
        let fail =
            |what: String| Error::shape(&op.shape_id, format!("smithy.api#paginated: {what}"));
        let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken"))
        else {
            return Err(fail(
                "needs inputToken and outputToken (on the operation or the service)".to_string(),
            ));
        };
        let input_step = path(krate, &op.input, &input_token).map_err(&fail)?;
        let [(input_step, input_ty)] = <[_; 1]>::try_from(input_step).map_err(|_| {
            fail(format!(
                "inputToken `{input_token}` must be a top-level input member"
            ))
        })?;
        let (output_steps, output_ty) =
            split_last(path(krate, &op.output, &output_token).map_err(&fail)?);
        for (name, ty) in [(&input_token, &input_ty), (&output_token, &output_ty)] {
            if *ty != RustType::String {
                return Err(fail(format!("the token `{name}` must be a string")));
            }
        }
        let page_size = match get("pageSize") {
            None => None,
            Some(name) => {
                let steps = path(krate, &op.input, &name).map_err(&fail)?;
                let [(step, ty)] = <[_; 1]>::try_from(steps).map_err(|_| {
                    fail(format!(
                        "pageSize `{name}` must be a top-level input member"
                    ))
                })?;
                if !matches!(
                    ty,
                    RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64
                ) {
                    return Err(fail(format!("pageSize `{name}` must be an integer")));
                }
                Some((step, ty))
            }
        };
        let items_name = get("items");
        let items = match &items_name {
            None => None,
            Some(name) => {
                let (steps, ty) = split_last(path(krate, &op.output, name).map_err(&fail)?);
                if !matches!(ty, RustType::List { .. } | RustType::Map { .. }) {
                    return Err(fail(format!("items `{name}` must be a list or a map")));
                }
                Some((steps, ty))
            }
        };
        out.push(PaginatorIr {
            paginator: format!("{}Paginator", op.name),
            pages: format!("{}Pages", op.name),
            items_stream: format!("{}Items", op.name),
            operation: op.name.clone(),
            input_token: input_step,
            input_token_name: input_token,
            output_token: output_steps,
            page_size,
            items,
            items_name,
        });
    }
    check_names(
        krate,
        out.iter()
            .flat_map(|p| [&p.paginator, &p.pages, &p.items_stream]),
    )?;
    Ok(out)
}

/// Fails when a name the paginators or waiters add is already a type of the crate.
pub(crate) fn check_names<'a>(
    krate: &Crate,
    names: impl IntoIterator<Item = &'a String>,
) -> Result<(), Error> {
    for name in names {
        let taken = krate.types.iter().any(|t| t.name() == name)
            || krate.operations.iter().any(|op: &OperationIr| {
                [
                    &op.input.name,
                    &op.output.name,
                    &op.error_name,
                    &op.fluent_builder,
                    &op.input.builder,
                    &op.output.builder,
                ]
                .contains(&name)
            });
        if taken {
            return Err(Error::new(format!(
                "the generated name `{name}` (a paginator or waiter) is already taken by a type of the model"
            )));
        }
    }
    Ok(())
}

fn split_last(mut steps: Vec<(Step, RustType)>) -> (Vec<Step>, RustType) {
    let (_, ty) = steps.last().cloned().expect("paths have at least one step");
    let steps = steps.drain(..).map(|(s, _)| s).collect();
    (steps, ty)
}

/// Resolves a dotted member path (`a.b.nextToken`) through structures.
fn path(krate: &Crate, root: &StructIr, dotted: &str) -> Result<Vec<(Step, RustType)>, String> {
    let mut steps = Vec::new();
    let mut current = root;
    let names: Vec<&str> = dotted.split('.').collect();
    for (i, name) in names.iter().enumerate() {
        let member = find_member(current, name)
            .ok_or_else(|| format!("`{dotted}`: {} has no member `{name}`", current.name))?;
        steps.push((
            Step {
                field: member.field.clone(),
                presence: member.presence,
                boxed: member.boxed,
            },
            member.ty.clone(),
        ));
        if i + 1 < names.len() {
            let RustType::Named { name: next, .. } = &member.ty else {
                return Err(format!("`{dotted}`: `{name}` is not a structure"));
            };
            current = krate
                .types
                .iter()
                .find_map(|t| match t {
                    TypeDecl::Struct(s) if s.name == *next => Some(s),
                    _ => None,
                })
                .ok_or_else(|| format!("`{dotted}`: `{name}` is not a structure"))?;
        }
    }
    Ok(steps)
}
