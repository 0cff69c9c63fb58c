//! Waiters: the IR of `smithy.waiters#waitable` operations.
//!
//! Each acceptor's matcher is resolved here: `errorType` to an error code, `output` and
//! `inputOutput` paths parsed and typed by [`crate::jmespath`] against the IR, and each comparator
//! checked against the type its path produces. A waiter the generator cannot compile fails with
//! the operation and the waiter's name.

use serde_json::Value;

use crate::docs::html_to_rustdoc;
use crate::error::Error;
use crate::ir::Crate;
use crate::jmespath::{self, Root, Ty, Typed};
use crate::model::{Model, Shape};
use crate::naming;
use crate::Settings;

/// One waiter.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterIr {
    /// The operation it polls (wire name).
    pub operation: String,
    /// The waiter's name in the model (`ImageScanComplete`).
    pub name: String,
    /// The builder `Client::wait_until_*` returns (`ImageScanCompleteWaiter`).
    pub waiter: String,
    /// `wait_until_image_scan_complete`.
    pub method: String,
    pub docs: Option<String>,
    pub deprecated: bool,
    /// Seconds (the spec's defaults: 2 and 120).
    pub min_delay: u64,
    pub max_delay: u64,
    pub acceptors: Vec<AcceptorIr>,
}

/// One acceptor, in model order.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptorIr {
    pub state: AcceptorState,
    /// What it matches, for errors: `output imageScanStatus.status stringEquals "COMPLETE"`.
    pub description: String,
    pub matcher: MatcherIr,
}

/// `success`, `failure` or `retry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// What an acceptor looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum MatcherIr {
    /// `success: true` matches any output, `success: false` any error.
    Success(bool),
    /// A service error with this code.
    ErrorType(String),
    /// A path into the output (or, with `input_output`, into `{input, output}`) compared to a value.
    Path {
        input_output: bool,
        path: Typed,
        comparator: Comparator,
    },
}

/// How a path's value is compared with the expected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparator {
    StringEquals(String),
    BooleanEquals(bool),
    AllStringEquals(String),
    AnyStringEquals(String),
}

/// The waiters of the generated operations, in operation order, then by name.
pub fn waiters(model: &Model, krate: &Crate, settings: &Settings) -> Result<Vec<WaiterIr>, Error> {
    let mut out = Vec::new();
    for op in &krate.operations {
        let Some(Shape::Operation(shape)) = model.shapes.get(&op.shape_id) else {
            continue;
        };
        let Some(waitable) = shape.traits.get("smithy.waiters#waitable") else {
            continue;
        };
        let Some(waitable) = waitable.as_object() else {
            return Err(Error::shape(
                &op.shape_id,
                "smithy.waiters#waitable must be an object",
            ));
        };
        for (name, waiter) in waitable {
            let fail = |what: String| {
                Error::shape(
                    &op.shape_id,
                    format!("waiter `{name}` cannot be generated: {what}"),
                )
            };
            let delay = |key: &str, default: u64| match waiter.get(key) {
                None => Ok(default),
                Some(v) => v.as_u64().filter(|d| *d >= 1).ok_or_else(|| {
                    fail(format!(
                        "{key} must be a whole number of seconds, at least 1"
                    ))
                }),
            };
            let (min_delay, max_delay) = (delay("minDelay", 2)?, delay("maxDelay", 120)?);
            if min_delay > max_delay {
                return Err(fail(format!(
                    "minDelay {min_delay} is above maxDelay {max_delay}"
                )));
            }
            let acceptors = waiter
                .get("acceptors")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| fail("it has no acceptors".to_string()))?;
            let mut compiled = Vec::new();
            for (i, acceptor) in acceptors.iter().enumerate() {
                compiled.push(
                    acceptor_ir(acceptor, op, krate)
                        .map_err(|what| fail(format!("acceptor {}: {what}", i + 1)))?,
                );
            }
            out.push(WaiterIr {
                operation: op.name.clone(),
                waiter: format!("{}Waiter", naming::pascal_case(name)),
                method: format!("wait_until_{}", naming::snake_case(name)),
                name: name.clone(),
                docs: settings
                    .documentation
                    .then(|| waiter.get("documentation").and_then(Value::as_str))
                    .flatten()
                    .map(html_to_rustdoc)
                    .filter(|d| !d.trim().is_empty()),
                deprecated: waiter.get("deprecated").and_then(Value::as_bool) == Some(true),
                min_delay,
                max_delay,
                acceptors: compiled,
            });
        }
    }
    crate::paginators::check_names(krate, out.iter().map(|w| &w.waiter))?;
    for (i, w) in out.iter().enumerate() {
        if krate.operations.iter().any(|op| op.fn_name == w.method)
            || out[..i]
                .iter()
                .any(|other| other.method == w.method || other.waiter == w.waiter)
        {
            return Err(Error::new(format!(
                "the waiter `{}` of {} would be named `{}`/`{}`, which is already taken",
                w.name, w.operation, w.method, w.waiter
            )));
        }
    }
    Ok(out)
}

fn acceptor_ir(
    acceptor: &Value,
    op: &crate::ir::OperationIr,
    krate: &Crate,
) -> Result<AcceptorIr, String> {
    let state = match acceptor.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        other => return Err(format!("unknown state {other:?}")),
    };
    let matcher = acceptor
        .get("matcher")
        .and_then(Value::as_object)
        .filter(|m| m.len() == 1)
        .ok_or("the matcher must be an object with exactly one member")?;
    let (kind, value) = matcher.iter().next().expect("checked: one member");
    let (description, matcher) = match kind.as_str() {
        "success" => {
            let expected = value.as_bool().ok_or("`success` must be a boolean")?;
            (
                if expected {
                    "the call succeeded"
                } else {
                    "the call failed"
                }
                .to_string(),
                MatcherIr::Success(expected),
            )
        }
        "errorType" => {
            let id = value.as_str().ok_or("`errorType` must be a string")?;
            // A shape id or a bare name; the wire code is the name.
            let code = id.rsplit_once('#').map_or(id, |(_, n)| n).to_string();
            (format!("error {code}"), MatcherIr::ErrorType(code))
        }
        "output" | "inputOutput" => {
            let input_output = kind == "inputOutput";
            let path_text = value
                .get("path")
                .and_then(Value::as_str)
                .ok_or("the matcher has no `path`")?;
            let expected = value
                .get("expected")
                .and_then(Value::as_str)
                .ok_or("the matcher has no string `expected`")?;
            let comparator_name = value
                .get("comparator")
                .and_then(Value::as_str)
                .ok_or("the matcher has no `comparator`")?;
            let ast = jmespath::parse(path_text).map_err(|e| format!("path `{path_text}`: {e}"))?;
            let root = if input_output {
                Root::InputOutput {
                    input: &op.input,
                    output: &op.output,
                }
            } else {
                Root::Output(&op.output)
            };
            let path = jmespath::check(&ast, root, krate)
                .map_err(|e| format!("path `{path_text}`: {e}"))?;
            let list_of_strings = Ty::List(Box::new(Ty::Str));
            let (comparator, wanted) = match comparator_name {
                "stringEquals" => (Comparator::StringEquals(expected.to_string()), Ty::Str),
                "booleanEquals" => (
                    Comparator::BooleanEquals(match expected {
                        "true" => true,
                        "false" => false,
                        other => {
                            return Err(format!(
                                "booleanEquals expects `true` or `false`, not `{other}`"
                            ))
                        }
                    }),
                    Ty::Bool,
                ),
                "allStringEquals" => (
                    Comparator::AllStringEquals(expected.to_string()),
                    list_of_strings,
                ),
                "anyStringEquals" => (
                    Comparator::AnyStringEquals(expected.to_string()),
                    list_of_strings,
                ),
                other => return Err(format!("unknown comparator `{other}`")),
            };
            if path.ty != wanted {
                return Err(format!(
                    "path `{path_text}` gives {}, but {comparator_name} needs {wanted}",
                    path.ty
                ));
            }
            (
                format!("{kind} `{path_text}` {comparator_name} {expected:?}"),
                MatcherIr::Path {
                    input_output,
                    path,
                    comparator,
                },
            )
        }
        other => return Err(format!("unknown matcher `{other}`")),
    };
    Ok(AcceptorIr {
        state,
        description,
        matcher,
    })
}
