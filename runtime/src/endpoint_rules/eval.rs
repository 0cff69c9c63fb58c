//! Evaluates a compiled rule set for one set of parameter values.
//!
//! Semantics (Smithy rules engine): rules are tried in order; a rule applies when all its
//! conditions hold. A condition holds when its function returns a value other than unset or
//! `false`; with `assign`, that value is bound to the name for the rest of the rule. An endpoint
//! rule returns its endpoint, an error rule fails with its message, and a tree rule evaluates
//! its own rules and is final: if none of them applies, resolution fails.
//!
//! A function other than `isSet` given an unset argument returns unset (its condition fails).

use super::error::ResolveError;
use super::functions;
use super::parse::{
    Compiled, Condition, EndpointTemplate, Expr, Function, Part, Rule, RuleKind, Step,
};
use super::partitions::Partitions;
use super::value::{Params, Value};
use std::collections::BTreeMap;

/// An endpoint the rules resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    url: String,
    headers: BTreeMap<String, Vec<String>>,
    properties: BTreeMap<String, Value>,
}

impl ResolvedEndpoint {
    /// An endpoint from its parts (for comparisons in tests).
    pub fn new(
        url: impl Into<String>,
        headers: BTreeMap<String, Vec<String>>,
        properties: BTreeMap<String, Value>,
    ) -> Self {
        Self {
            url: url.into(),
            headers,
            properties,
        }
    }

    /// The URL, such as `https://api.ecr-fips.us-gov-west-1.amazonaws.com`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers to send with every request to this endpoint (name to values).
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// The endpoint's properties, such as `authSchemes`.
    pub fn properties(&self) -> &BTreeMap<String, Value> {
        &self.properties
    }

    /// The auth schemes listed in the `authSchemes` property, in order of preference (empty if
    /// the property is absent). Entries that are not records are skipped.
    pub fn auth_schemes(&self) -> Vec<AuthScheme> {
        let Some(Value::Array(items)) = self.properties.get("authSchemes") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(Value::as_object)
            .map(|fields| {
                let string =
                    |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
                AuthScheme {
                    name: string("name").unwrap_or_default(),
                    signing_name: string("signingName"),
                    signing_region: string("signingRegion"),
                    signing_region_set: fields
                        .get("signingRegionSet")
                        .and_then(Value::as_array)
                        .map(|set| {
                            set.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                    disable_double_encoding: fields
                        .get("disableDoubleEncoding")
                        .and_then(Value::as_bool),
                }
            })
            .collect()
    }
}

/// One entry of an endpoint's `authSchemes` property.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthScheme {
    /// The scheme: `sigv4`, `sigv4a`, ...
    pub name: String,
    /// The signing name to use instead of the service's.
    pub signing_name: Option<String>,
    /// The signing region to use instead of the configured region (`sigv4`).
    pub signing_region: Option<String>,
    /// The signing region set (`sigv4a`).
    pub signing_region_set: Vec<String>,
    /// Whether to skip double URI-encoding of the path when signing.
    pub disable_double_encoding: Option<bool>,
}

/// Evaluates `rules` with `params`.
pub(crate) fn resolve(
    rules: &Compiled,
    params: &Params,
    partitions: Option<&Partitions>,
) -> Result<ResolvedEndpoint, ResolveError> {
    let mut slots: Vec<Option<Value>> = vec![None; rules.slot_count];
    for (slot, parameter) in slots.iter_mut().zip(&rules.parameters) {
        let given = params.by_name.get(&parameter.name).or_else(|| {
            parameter
                .built_in
                .as_deref()
                .and_then(|b| params.by_built_in.get(b))
        });
        let value = given.or(parameter.default.as_ref());
        match value {
            Some(value) if !parameter.kind.accepts(value) => {
                return Err(ResolveError::ParameterType {
                    name: parameter.name.clone(),
                    expected: parameter.kind.name(),
                    found: value.type_name(),
                })
            }
            None if parameter.required => {
                return Err(ResolveError::MissingParameter {
                    name: parameter.name.clone(),
                })
            }
            _ => *slot = value.cloned(),
        }
    }
    let mut evaluator = Evaluator { slots, partitions };
    match evaluator.rules(&rules.rules)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(ResolveError::NoRuleMatched),
    }
}

struct Evaluator<'a> {
    slots: Vec<Option<Value>>,
    /// `None`: the built-in ones, parsed only if a rule asks (a custom endpoint never does).
    partitions: Option<&'a Partitions>,
}

impl Evaluator<'_> {
    /// The endpoint of the first rule that applies; `None` if none does.
    fn rules(&mut self, rules: &[Rule]) -> Result<Option<ResolvedEndpoint>, ResolveError> {
        for rule in rules {
            if !self.conditions(&rule.conditions)? {
                continue;
            }
            return match &rule.kind {
                RuleKind::Endpoint(endpoint) => self.endpoint(endpoint).map(Some),
                RuleKind::Error(message) => Err(ResolveError::Rule {
                    message: self.string(message, "an error message")?,
                }),
                RuleKind::Tree(inner) => match self.rules(inner)? {
                    Some(endpoint) => Ok(Some(endpoint)),
                    None => Err(ResolveError::NoRuleMatched),
                },
            };
        }
        Ok(None)
    }

    fn conditions(&mut self, conditions: &[Condition]) -> Result<bool, ResolveError> {
        for condition in conditions {
            match self.eval(&condition.expr)? {
                None | Some(Value::Bool(false)) => return Ok(false),
                Some(value) => {
                    if let Some(slot) = condition.assign {
                        self.set(slot, value);
                    }
                }
            }
        }
        Ok(true)
    }

    fn set(&mut self, slot: usize, value: Value) {
        if let Some(place) = self.slots.get_mut(slot) {
            *place = Some(value);
        }
    }

    fn endpoint(&self, endpoint: &EndpointTemplate) -> Result<ResolvedEndpoint, ResolveError> {
        let url = self.string(&endpoint.url, "the endpoint URL")?;
        let mut headers = BTreeMap::new();
        for (name, values) in &endpoint.headers {
            let values = values
                .iter()
                .map(|value| self.string(value, &format!("header `{name}`")))
                .collect::<Result<_, _>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = BTreeMap::new();
        for (name, value) in &endpoint.properties {
            let value = self
                .eval(value)?
                .ok_or_else(|| ResolveError::eval(format!("property `{name}` is unset")))?;
            properties.insert(name.clone(), value);
        }
        Ok(ResolvedEndpoint {
            url,
            headers,
            properties,
        })
    }

    /// Evaluates `expr`, which must give a string (`what` names it in the error).
    fn string(&self, expr: &Expr, what: &str) -> Result<String, ResolveError> {
        match self.eval(expr)? {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(ResolveError::eval(format!(
                "{what} must be a string, not a {}",
                other.type_name()
            ))),
            None => Err(ResolveError::eval(format!("{what} is unset"))),
        }
    }

    fn eval(&self, expr: &Expr) -> Result<Option<Value>, ResolveError> {
        Ok(match expr {
            Expr::Literal(value) => Some(value.clone()),
            Expr::Ref(slot) => self.slots.get(*slot).cloned().flatten(),
            Expr::Template(parts) => Some(Value::String(self.template(parts)?)),
            Expr::GetAttr(target, steps) => match self.eval(target)? {
                Some(value) => get_attr(&value, steps).cloned(),
                None => None,
            },
            Expr::Call(function, args) => self.call(*function, args)?,
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(
                        self.eval(item)?
                            .ok_or_else(|| ResolveError::eval("an array element is unset"))?,
                    );
                }
                Some(Value::Array(out))
            }
            Expr::Object(fields) => {
                let mut out = BTreeMap::new();
                for (name, field) in fields {
                    let value = self.eval(field)?.ok_or_else(|| {
                        ResolveError::eval(format!("record field `{name}` is unset"))
                    })?;
                    out.insert(name.clone(), value);
                }
                Some(Value::Object(out))
            }
        })
    }

    fn template(&self, parts: &[Part]) -> Result<String, ResolveError> {
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Ref { slot, name, path } => {
                    let value = self.slots.get(*slot).and_then(Option::as_ref);
                    let value = match value {
                        Some(value) if path.is_empty() => Some(value),
                        Some(value) => get_attr(value, path),
                        None => None,
                    };
                    match value {
                        Some(Value::String(s)) => out.push_str(s),
                        Some(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
                        Some(Value::Int(i)) => out.push_str(&i.to_string()),
                        Some(other) => {
                            return Err(ResolveError::eval(format!(
                                "template value `{name}` is a {}, not a string",
                                other.type_name()
                            )))
                        }
                        None => {
                            return Err(ResolveError::eval(format!(
                                "template value `{name}` is unset"
                            )))
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn call(&self, function: Function, args: &[Expr]) -> Result<Option<Value>, ResolveError> {
        if function == Function::IsSet {
            let set = match args.first() {
                Some(arg) => self.eval(arg)?.is_some(),
                None => false,
            };
            return Ok(Some(Value::Bool(set)));
        }
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            match self.eval(arg)? {
                Some(value) => values.push(value),
                None => return Ok(None),
            }
        }
        let wrong = |expected: &str| {
            let found: Vec<&str> = values.iter().map(Value::type_name).collect();
            ResolveError::eval(format!(
                "`{}` expects ({expected}), got ({})",
                function.name(),
                found.join(", ")
            ))
        };
        use Value::{Bool, Int, String as Str};
        Ok(match (function, values.as_slice()) {
            (Function::Not, [Bool(b)]) => Some(Bool(!b)),
            (Function::Not, _) => return Err(wrong("boolean")),
            (Function::BooleanEquals, [Bool(a), Bool(b)]) => Some(Bool(a == b)),
            (Function::BooleanEquals, _) => return Err(wrong("boolean, boolean")),
            (Function::StringEquals, [Str(a), Str(b)]) => Some(Bool(a == b)),
            (Function::StringEquals, _) => return Err(wrong("string, string")),
            (Function::Substring, [Str(s), Int(start), Int(stop), Bool(reverse)]) => {
                functions::substring(s, *start, *stop, *reverse).map(Str)
            }
            (Function::Substring, _) => return Err(wrong("string, integer, integer, boolean")),
            (Function::ParseUrl, [Str(url)]) => functions::parse_url(url),
            (Function::UriEncode, [Str(s)]) => Some(Str(functions::uri_encode(s))),
            (Function::Partition, [Str(region)]) => match self.partitions {
                Some(partitions) => partitions.resolve(region),
                None => Partitions::builtin().resolve(region),
            },
            (Function::ParseArn, [Str(arn)]) => functions::parse_arn(arn),
            (
                Function::ParseUrl | Function::UriEncode | Function::Partition | Function::ParseArn,
                _,
            ) => return Err(wrong("string")),
            (Function::IsValidHostLabel, [Str(s), Bool(sub)]) => {
                Some(Bool(functions::is_valid_host_label(s, *sub)))
            }
            (Function::IsVirtualHostableS3Bucket, [Str(s), Bool(sub)]) => {
                Some(Bool(functions::is_virtual_hostable_s3_bucket(s, *sub)))
            }
            (Function::IsValidHostLabel | Function::IsVirtualHostableS3Bucket, _) => {
                return Err(wrong("string, boolean"))
            }
            (Function::IsSet, _) => None, // handled above
        })
    }
}

/// Follows a `getAttr` path; `None` (unset) for a missing key or an index out of range.
fn get_attr<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps
        .iter()
        .try_fold(value, |value, step| match (step, value) {
            (Step::Key(key), Value::Object(fields)) => fields.get(key),
            (Step::Index(index), Value::Array(items)) => items.get(*index),
            _ => None,
        })
}
