//! The test cases a model ships with its rules (`smithy.rules#endpointTests`).

use super::error::{ParseError, ResolveError};
use super::eval::ResolvedEndpoint;
use super::partitions::Partitions;
use super::value::{Params, Value};
use super::RuleSet;
use serde_json::Value as Json;
use std::collections::BTreeMap;

const WHAT: &str = "endpoint tests";

/// One case of a `smithy.rules#endpointTests` trait: parameters and the expected outcome.
///
/// Only the case's `params` are used; `operationInputs` (which set the same parameters through
/// an operation's input members and client configuration) are not evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointTestCase {
    /// The case's `documentation`.
    pub documentation: Option<String>,
    /// The parameters, by name.
    pub params: Params,
    /// What resolution must give.
    pub expect: Expectation,
}

/// The expected outcome of an [`EndpointTestCase`].
#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    /// This endpoint: URL, and headers and properties (empty when the case gives none).
    Endpoint(ResolvedEndpoint),
    /// An error rule with exactly this message.
    Error(String),
}

impl EndpointTestCase {
    /// Reads every case of a `smithy.rules#endpointTests` trait value (`{"testCases": [...]}`).
    pub fn parse_all(tests: &Json) -> Result<Vec<EndpointTestCase>, ParseError> {
        let cases = tests
            .get("testCases")
            .and_then(Json::as_array)
            .ok_or_else(|| ParseError::new(WHAT, "testCases", "missing or not an array"))?;
        cases
            .iter()
            .enumerate()
            .map(|(index, case)| Self::parse(case, &format!("testCases[{index}]")))
            .collect()
    }

    fn parse(case: &Json, path: &str) -> Result<EndpointTestCase, ParseError> {
        let error =
            |field: &str, reason: &str| ParseError::new(WHAT, format!("{path}.{field}"), reason);
        let params = Params::from_json(case.get("params").unwrap_or(&Json::Null))
            .map_err(|e| error("params", e.reason()))?;
        let expect = case
            .get("expect")
            .ok_or_else(|| error("expect", "missing"))?;
        let expect = if let Some(message) = expect.get("error") {
            Expectation::Error(
                message
                    .as_str()
                    .ok_or_else(|| error("expect.error", "expected a string"))?
                    .to_owned(),
            )
        } else if let Some(endpoint) = expect.get("endpoint") {
            let url = endpoint
                .get("url")
                .and_then(Json::as_str)
                .ok_or_else(|| error("expect.endpoint.url", "missing or not a string"))?;
            let mut headers = BTreeMap::new();
            if let Some(json) = endpoint.get("headers") {
                let fields = json
                    .as_object()
                    .ok_or_else(|| error("expect.endpoint.headers", "expected an object"))?;
                for (name, values) in fields {
                    let values = values
                        .as_array()
                        .and_then(|items| {
                            items
                                .iter()
                                .map(|v| v.as_str().map(str::to_owned))
                                .collect::<Option<Vec<_>>>()
                        })
                        .ok_or_else(|| {
                            error("expect.endpoint.headers", "expected arrays of strings")
                        })?;
                    headers.insert(name.clone(), values);
                }
            }
            let properties = match endpoint.get("properties") {
                None => BTreeMap::new(),
                Some(json) => match Value::from_json(json) {
                    Ok(Some(Value::Object(fields))) => fields,
                    Ok(None) => BTreeMap::new(),
                    _ => return Err(error("expect.endpoint.properties", "expected an object")),
                },
            };
            Expectation::Endpoint(ResolvedEndpoint::new(url, headers, properties))
        } else {
            return Err(error("expect", "neither `endpoint` nor `error`"));
        };
        Ok(EndpointTestCase {
            documentation: case
                .get("documentation")
                .and_then(Json::as_str)
                .map(str::to_owned),
            params,
            expect,
        })
    }

    /// Resolves the case with `rules` and `partitions`; `Err` says how the outcome differs
    /// from the expectation.
    pub fn check(&self, rules: &RuleSet, partitions: &Partitions) -> Result<(), String> {
        let outcome = rules.resolve_with(&self.params, partitions);
        match (&self.expect, outcome) {
            (Expectation::Endpoint(want), Ok(got)) if *want == got => Ok(()),
            (Expectation::Error(want), Err(ResolveError::Rule { message })) if *want == message => {
                Ok(())
            }
            (expected, got) => Err(format!(
                "{}: expected {}, got {}",
                self.documentation
                    .as_deref()
                    .unwrap_or("(undocumented case)"),
                describe_expected(expected),
                match got {
                    Ok(endpoint) => describe_endpoint(&endpoint),
                    Err(e) => format!("error {:?}", e.to_string()),
                }
            )),
        }
    }
}

fn describe_expected(expected: &Expectation) -> String {
    match expected {
        Expectation::Endpoint(endpoint) => describe_endpoint(endpoint),
        Expectation::Error(message) => format!("error {message:?}"),
    }
}

fn describe_endpoint(endpoint: &ResolvedEndpoint) -> String {
    let mut out = format!("endpoint {}", endpoint.url());
    if !endpoint.headers().is_empty() {
        out.push_str(&format!(" headers {:?}", endpoint.headers()));
    }
    if !endpoint.properties().is_empty() {
        let properties: serde_json::Map<String, Json> = endpoint
            .properties()
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        out.push_str(&format!(" properties {}", Json::Object(properties)));
    }
    out
}
