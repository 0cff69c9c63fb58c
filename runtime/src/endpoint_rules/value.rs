//! Values the rules work with, and the parameters a resolution starts from.

use super::error::ParseError;
use std::collections::BTreeMap;
use std::fmt;

/// A value in the rules language: a parameter, a function result, an endpoint property.
///
/// "Unset" is not a value: it is the `None` of an `Option<Value>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer (the rules language has no other numbers).
    Int(i64),
    /// An array, such as a `stringArray` parameter or the `resourceId` of a parsed ARN.
    Array(Vec<Value>),
    /// A record, such as the result of `aws.partition` or an auth scheme in the properties.
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The fields, if this is a record.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Array(_) => "array",
            Value::Object(_) => "record",
        }
    }

    /// Converts JSON: `null` is unset (`Ok(None)`); a number must be an integer.
    pub fn from_json(json: &serde_json::Value) -> Result<Option<Value>, String> {
        Ok(Some(match json {
            serde_json::Value::Null => return Ok(None),
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => return Err(format!("the number {n} is not a 64-bit integer")),
            },
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    match Value::from_json(item) {
                        Ok(Some(value)) => out.push(value),
                        Ok(None) => return Err(format!("[{index}]: null in an array")),
                        Err(e) => return Err(format!("[{index}]: {e}")),
                    }
                }
                Value::Array(out)
            }
            serde_json::Value::Object(fields) => {
                let mut out = BTreeMap::new();
                for (key, field) in fields {
                    match Value::from_json(field) {
                        Ok(Some(value)) => {
                            out.insert(key.clone(), value);
                        }
                        Ok(None) => {}
                        Err(e) => return Err(format!("{key}: {e}")),
                    }
                }
                Value::Object(out)
            }
        }))
    }

    /// The value as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Array(items) => items.iter().map(Value::to_json).collect(),
            Value::Object(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for Value {
    /// Strings as they are; everything else as JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Self {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

/// The input of a resolution: values by parameter name and by built-in name.
///
/// A parameter takes its value from its name if set, else from its `builtIn` if set, else its
/// default. Values for names the rule set does not declare are ignored.
///
/// ```
/// use aws_thin_runtime::endpoint_rules::{built_in, Params};
///
/// // As a client does: by built-in, whatever the rule set calls its parameters.
/// let params = Params::new()
///     .with_built_in(built_in::REGION, "us-gov-west-1")
///     .with_built_in(built_in::USE_FIPS, true);
/// // As a model's endpoint tests do: by parameter name.
/// let same = Params::new().with("Region", "us-gov-west-1").with("UseFIPS", true);
/// # let _ = (params, same);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    pub(crate) by_name: BTreeMap<String, Value>,
    pub(crate) by_built_in: BTreeMap<String, Value>,
}

impl Params {
    /// No values: every parameter gets its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the parameter named `name` (as the rule set declares it, e.g. `Region`).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.by_name.insert(name.into(), value.into());
        self
    }

    /// Sets whichever parameter has `builtIn` equal to `built_in` (see [`built_in`](super::built_in)).
    pub fn with_built_in(mut self, built_in: impl Into<String>, value: impl Into<Value>) -> Self {
        self.by_built_in.insert(built_in.into(), value.into());
        self
    }

    /// The value set for the parameter named `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.by_name.get(name)
    }

    /// The value set for the built-in `built_in`, if any.
    pub fn get_built_in(&self, built_in: &str) -> Option<&Value> {
        self.by_built_in.get(built_in)
    }

    /// Parameters by name from a JSON object, as in a model's endpoint test cases
    /// (`{"Region": "us-east-1", "UseFIPS": true}`); `null` members are unset.
    pub fn from_json(json: &serde_json::Value) -> Result<Self, ParseError> {
        let error =
            |path: String, reason: String| ParseError::new("endpoint parameters", path, reason);
        let fields = match json {
            serde_json::Value::Null => return Ok(Self::new()),
            serde_json::Value::Object(fields) => fields,
            other => {
                return Err(error(
                    String::new(),
                    format!("expected an object, found {other}"),
                ))
            }
        };
        let mut params = Self::new();
        for (name, value) in fields {
            match Value::from_json(value) {
                Ok(Some(value)) => {
                    params.by_name.insert(name.clone(), value);
                }
                Ok(None) => {}
                Err(reason) => return Err(error(name.clone(), reason)),
            }
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trip() {
        let json = json!({"a": [1, "x", true], "b": {"c": "d"}});
        let value = Value::from_json(&json).unwrap().unwrap();
        assert_eq!(value.to_json(), json);
        assert_eq!(Value::from_json(&json!(null)).unwrap(), None);
        assert!(Value::from_json(&json!(1.5)).is_err());
        assert!(Value::from_json(&json!([null])).is_err());
        assert_eq!(value.to_string(), json.to_string());
        assert_eq!(Value::from("x").to_string(), "x");
    }

    #[test]
    fn params_from_json() {
        let params =
            Params::from_json(&json!({"Region": "us-east-1", "UseFIPS": true, "Endpoint": null}))
                .unwrap();
        assert_eq!(params.get("Region"), Some(&Value::from("us-east-1")));
        assert_eq!(params.get("UseFIPS"), Some(&Value::Bool(true)));
        assert_eq!(params.get("Endpoint"), None);
        assert_eq!(Params::from_json(&json!(null)).unwrap(), Params::new());
        let error = Params::from_json(&json!([1])).unwrap_err();
        assert!(error.to_string().contains("expected an object"), "{error}");
    }
}
