//! Endpoint resolution from a Smithy endpoint rule set (`smithy.rules#endpointRuleSet`).
//!
//! AWS models carry their endpoint logic as data: parameters (region, FIPS, dual-stack, a custom
//! endpoint, ...), and a tree of rules whose conditions call a small standard library and whose
//! leaves are endpoints or errors. This module evaluates such a rule set:
//!
//! 1. [`RuleSet::parse`] compiles the JSON once into a typed tree, checking everything that can
//!    be checked without values (function names and arities, references, templates, paths).
//! 2. [`RuleSet::resolve`] evaluates it for a set of [`Params`] and returns a
//!    [`ResolvedEndpoint`] (URL, headers, properties such as auth schemes) or a
//!    [`ResolveError`] — for an error rule, carrying the rule's message as written.
//!
//! A [`ServiceClient`](crate::ServiceClient) does this once, when it is built; calls reuse the
//! result.
//!
//! Supported: parameters of type `string`, `boolean` and `stringArray` (either spelling of the
//! case, as AWS models use both), with `builtIn`, `required` and `default`; conditions with
//! `assign`; endpoint, error and tree rules; templates `{Name}` and `{Name#path}` (`{{` and `}}`
//! for literal braces); endpoint `url`, `headers` and `properties`; the functions `isSet`, `not`,
//! `booleanEquals`, `stringEquals`, `getAttr` (paths such as `name`, `resourceId[0]`, `a.b[1]`),
//! `substring`, `parseURL`, `uriEncode`, `isValidHostLabel`, `aws.partition`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`. Partition data comes from [`Partitions`].
//!
//! ```
//! use aws_thin_runtime::endpoint_rules::{built_in, Params, RuleSet};
//!
//! let rules = RuleSet::parse(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "string", "builtIn": "AWS::Region"},
//!         "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false}
//!     },
//!     "rules": [
//!         {"type": "tree", "conditions": [
//!             {"fn": "isSet", "argv": [{"ref": "Region"}]},
//!             {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "Partition"}
//!          ], "rules": [
//!             {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
//!              "endpoint": {"url": "https://svc-fips.{Region}.{Partition#dnsSuffix}"}},
//!             {"type": "endpoint", "conditions": [],
//!              "endpoint": {"url": "https://svc.{Region}.{Partition#dnsSuffix}"}}
//!         ]},
//!         {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
//!     ]
//! }"#)?;
//!
//! let endpoint = rules.resolve(&Params::new().with_built_in(built_in::REGION, "cn-north-1"))?;
//! assert_eq!(endpoint.url(), "https://svc.cn-north-1.amazonaws.com.cn");
//!
//! let error = rules.resolve(&Params::new()).unwrap_err();
//! assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod eval;
pub(crate) mod functions;
mod parse;
mod partitions;
pub(crate) mod pattern;
mod test_cases;
mod value;

pub use error::{ParseError, ResolveError};
pub use eval::{AuthScheme, ResolvedEndpoint};
pub use partitions::Partitions;
pub use test_cases::{EndpointTestCase, Expectation};
pub use value::{Params, Value};

/// The built-in parameter names AWS SDKs fill from their configuration.
pub mod built_in {
    /// The configured region (`String`).
    pub const REGION: &str = "AWS::Region";
    /// Whether to use a FIPS endpoint (`Boolean`).
    pub const USE_FIPS: &str = "AWS::UseFIPS";
    /// Whether to use a dual-stack (IPv4 and IPv6) endpoint (`Boolean`).
    pub const USE_DUAL_STACK: &str = "AWS::UseDualStack";
    /// A custom endpoint URL (`String`).
    pub const ENDPOINT: &str = "SDK::Endpoint";
}

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterType {
    /// `string` (or `String`).
    String,
    /// `boolean` (or `Boolean`).
    Boolean,
    /// `stringArray` (or `StringArray`): an array of strings.
    StringArray,
}

impl ParameterType {
    /// The type for a name as written in a rule set, in either spelling.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "string" | "String" => Some(ParameterType::String),
            "boolean" | "Boolean" => Some(ParameterType::Boolean),
            "stringArray" | "StringArray" => Some(ParameterType::StringArray),
            _ => None,
        }
    }

    /// The canonical (lower camel case) name.
    pub fn name(self) -> &'static str {
        match self {
            ParameterType::String => "string",
            ParameterType::Boolean => "boolean",
            ParameterType::StringArray => "stringArray",
        }
    }

    /// Whether `value` has this type.
    pub fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (ParameterType::String, Value::String(_))
            | (ParameterType::Boolean, Value::Bool(_)) => true,
            (ParameterType::StringArray, Value::Array(items)) => {
                items.iter().all(|item| matches!(item, Value::String(_)))
            }
            _ => false,
        }
    }
}

/// A parameter a rule set declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    name: String,
    kind: ParameterType,
    built_in: Option<String>,
    required: bool,
    default: Option<Value>,
    documentation: Option<String>,
}

impl Parameter {
    /// The name rules refer to it by, such as `Region`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its type.
    pub fn kind(&self) -> ParameterType {
        self.kind
    }

    /// The built-in it is filled from, such as `AWS::Region` (see [`built_in`]).
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// Whether resolution fails when it has no value (after its default).
    pub fn required(&self) -> bool {
        self.required
    }

    /// Its default value.
    pub fn default(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// Its documentation.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }
}

/// A compiled endpoint rule set. Parse once, resolve as often as needed.
#[derive(Clone, Debug)]
pub struct RuleSet {
    compiled: parse::Compiled,
}

impl RuleSet {
    /// Compiles the JSON of a `smithy.rules#endpointRuleSet` trait.
    pub fn parse(json: &str) -> Result<RuleSet, ParseError> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| ParseError::new("endpoint rule set", "", format!("not JSON: {e}")))?;
        Self::from_json_value(&value)
    }

    /// Compiles an already parsed `smithy.rules#endpointRuleSet` trait value.
    pub fn from_json_value(json: &serde_json::Value) -> Result<RuleSet, ParseError> {
        Ok(RuleSet {
            compiled: parse::compile(json)?,
        })
    }

    /// The rule set's `version`, as written (empty if absent).
    pub fn version(&self) -> &str {
        &self.compiled.version
    }

    /// The declared parameters.
    pub fn parameters(&self) -> &[Parameter] {
        &self.compiled.parameters
    }

    /// Resolves the endpoint for `params` with the [built-in](Partitions::builtin) partitions.
    pub fn resolve(&self, params: &Params) -> Result<ResolvedEndpoint, ResolveError> {
        eval::resolve(&self.compiled, params, None)
    }

    /// Resolves the endpoint for `params` with the given partition data.
    pub fn resolve_with(
        &self,
        params: &Params,
        partitions: &Partitions,
    ) -> Result<ResolvedEndpoint, ResolveError> {
        eval::resolve(&self.compiled, params, Some(partitions))
    }
}

#[cfg(test)]
mod tests;
