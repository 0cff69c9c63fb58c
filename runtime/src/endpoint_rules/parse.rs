//! Compiles a rule set's JSON into a typed tree, once.
//!
//! Everything that can be checked without parameter values is checked here: rule and
//! parameter shapes, function names and argument counts, `getAttr` paths, template syntax, and
//! that every reference names a parameter or a variable assigned by an enclosing condition.
//! References become slot numbers, so evaluation never looks a name up.

use super::error::ParseError;
use super::value::Value;
use super::{Parameter, ParameterType};
use serde_json::{Map, Value as Json};

const WHAT: &str = "endpoint rule set";

/// Where in the rule set a value is (`rules[2].conditions[0]`), built into text only for an
/// error: a rule set is parsed at every client's start, and almost never has one.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root(&'a str),
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

impl From<&Path<'_>> for String {
    fn from(path: &Path<'_>) -> String {
        path.to_string()
    }
}

/// The compiled rule set.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    pub(crate) version: String,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
    /// Parameters take slots `0..parameters.len()`; each `assign` takes the next one.
    pub(crate) slot_count: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

#[derive(Clone, Debug)]
pub(crate) enum RuleKind {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug)]
pub(crate) struct Condition {
    pub(crate) expr: Expr,
    pub(crate) assign: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct EndpointTemplate {
    pub(crate) url: Expr,
    pub(crate) properties: Vec<(String, Expr)>,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
}

#[derive(Clone, Debug)]
pub(crate) enum Expr {
    /// A literal, including a string without `{...}`.
    Literal(Value),
    /// A string with `{Name}` or `{Name#path}` parts.
    Template(Vec<Part>),
    /// A parameter or assigned variable.
    Ref(usize),
    /// `getAttr(value, path)`, with the path parsed.
    GetAttr(Box<Expr>, Vec<Step>),
    /// Any other function.
    Call(Function, Vec<Expr>),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
}

#[derive(Clone, Debug)]
pub(crate) enum Part {
    Literal(String),
    Ref {
        slot: usize,
        name: String,
        path: Vec<Step>,
    },
}

/// One step of a `getAttr` path: `name` or `[index]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// The functions of the rules language this runtime provides (`getAttr` is [`Expr::GetAttr`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    Substring,
    ParseUrl,
    UriEncode,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "substring" => Function::Substring,
            "parseURL" => Function::ParseUrl,
            "uriEncode" => Function::UriEncode,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "aws.partition" => Function::Partition,
            "aws.parseArn" => Function::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::IsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::Substring => "substring",
            Function::ParseUrl => "parseURL",
            Function::UriEncode => "uriEncode",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Partition => "aws.partition",
            Function::ParseArn => "aws.parseArn",
            Function::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    fn arity(self) -> usize {
        match self {
            Function::IsSet
            | Function::Not
            | Function::ParseUrl
            | Function::UriEncode
            | Function::Partition
            | Function::ParseArn => 1,
            Function::BooleanEquals
            | Function::StringEquals
            | Function::IsValidHostLabel
            | Function::IsVirtualHostableS3Bucket => 2,
            Function::Substring => 4,
        }
    }
}

/// Compiles a rule set from its JSON value.
pub(crate) fn compile(json: &Json) -> Result<Compiled, ParseError> {
    let root = object(json, &Path::Root(""))?;
    let version = match root.get("version") {
        None => String::new(),
        Some(Json::String(v)) => v.clone(),
        Some(_) => return Err(ParseError::new(WHAT, "version", "expected a string")),
    };
    let parameters = parameters(root.get("parameters"))?;
    let mut scope = Scope {
        names: parameters
            .iter()
            .enumerate()
            .map(|(slot, p)| (p.name.clone(), slot))
            .collect(),
        next_slot: parameters.len(),
    };
    let rules = rules(root.get("rules"), &Path::Root("rules"), &mut scope)?;
    if rules.is_empty() {
        return Err(ParseError::new(
            WHAT,
            "rules",
            "a rule set needs at least one rule",
        ));
    }
    Ok(Compiled {
        version,
        parameters,
        rules,
        slot_count: scope.next_slot,
    })
}

/// The names visible at a point of the rule tree, innermost last.
struct Scope {
    names: Vec<(String, usize)>,
    next_slot: usize,
}

impl Scope {
    fn lookup(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, slot)| *slot)
    }
}

fn object<'a>(json: &'a Json, path: &Path<'_>) -> Result<&'a Map<String, Json>, ParseError> {
    json.as_object().ok_or_else(|| {
        ParseError::new(
            WHAT,
            path,
            format!("expected an object, found {}", kind(json)),
        )
    })
}

fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn parameters(json: Option<&Json>) -> Result<Vec<Parameter>, ParseError> {
    let Some(json) = json else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, spec) in object(json, &Path::Root("parameters"))? {
        let path = format!("parameters.{name}");
        let spec = object(spec, &Path::Root(&path))?;
        let error =
            |field: &str, reason: String| ParseError::new(WHAT, format!("{path}.{field}"), reason);
        let type_name = spec
            .get("type")
            .and_then(Json::as_str)
            .ok_or_else(|| error("type", "missing or not a string".to_owned()))?;
        let kind = ParameterType::from_name(type_name).ok_or_else(|| {
            error(
                "type",
                format!("unknown type {type_name:?} (expected string, boolean or stringArray)"),
            )
        })?;
        let string_field = |field: &str| -> Result<Option<String>, ParseError> {
            match spec.get(field) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(error(
                    field,
                    format!("expected a string, found {}", self::kind(other)),
                )),
            }
        };
        let required = match spec.get("required") {
            None | Some(Json::Null) => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                return Err(error(
                    "required",
                    format!("expected a boolean, found {}", self::kind(other)),
                ))
            }
        };
        let default = match spec.get("default") {
            None => None,
            Some(json) => {
                let value = Value::from_json(json).map_err(|e| error("default", e))?;
                if let Some(value) = &value {
                    if !kind.accepts(value) {
                        return Err(error(
                            "default",
                            format!(
                                "a {} default for a {} parameter",
                                value.type_name(),
                                kind.name()
                            ),
                        ));
                    }
                }
                value
            }
        };
        out.push(Parameter {
            name: name.clone(),
            kind,
            built_in: string_field("builtIn")?,
            required,
            default,
            documentation: string_field("documentation")?,
        });
    }
    Ok(out)
}

fn rules(json: Option<&Json>, path: &Path<'_>, scope: &mut Scope) -> Result<Vec<Rule>, ParseError> {
    let Some(json) = json else {
        return Err(ParseError::new(WHAT, path, "missing"));
    };
    let items = json.as_array().ok_or_else(|| {
        ParseError::new(
            WHAT,
            path,
            format!("expected an array, found {}", kind(json)),
        )
    })?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| rule(item, &Path::Index(path, index), scope))
        .collect()
}

fn rule(json: &Json, path: &Path<'_>, scope: &mut Scope) -> Result<Rule, ParseError> {
    let fields = object(json, path)?;
    // Names assigned by this rule's conditions are visible in the rule only.
    let outer = scope.names.len();
    let result = rule_in_scope(fields, path, scope);
    scope.names.truncate(outer);
    result
}

fn rule_in_scope(
    fields: &Map<String, Json>,
    path: &Path<'_>,
    scope: &mut Scope,
) -> Result<Rule, ParseError> {
    let mut conditions = Vec::new();
    if let Some(json) = fields.get("conditions") {
        let cpath = Path::Field(path, "conditions");
        let items = json
            .as_array()
            .ok_or_else(|| ParseError::new(WHAT, cpath.to_string(), "expected an array"))?;
        for (index, item) in items.iter().enumerate() {
            conditions.push(condition(item, &Path::Index(&cpath, index), scope)?);
        }
    }
    let kind = match fields.get("type").and_then(Json::as_str) {
        Some("endpoint") => {
            let epath = Path::Field(path, "endpoint");
            let json = fields
                .get("endpoint")
                .ok_or_else(|| ParseError::new(WHAT, epath.to_string(), "missing"))?;
            RuleKind::Endpoint(endpoint(json, &epath, scope)?)
        }
        Some("error") => {
            let epath = Path::Field(path, "error");
            let json = fields
                .get("error")
                .ok_or_else(|| ParseError::new(WHAT, epath.to_string(), "missing"))?;
            RuleKind::Error(expr(json, &epath, scope)?)
        }
        Some("tree") => RuleKind::Tree(rules(
            fields.get("rules"),
            &Path::Field(path, "rules"),
            scope,
        )?),
        Some(other) => {
            return Err(ParseError::new(
                WHAT,
                format!("{path}.type"),
                format!("unknown rule type {other:?} (expected endpoint, error or tree)"),
            ))
        }
        None => {
            return Err(ParseError::new(
                WHAT,
                format!("{path}.type"),
                "missing or not a string",
            ))
        }
    };
    Ok(Rule { conditions, kind })
}

fn condition(json: &Json, path: &Path<'_>, scope: &mut Scope) -> Result<Condition, ParseError> {
    let fields = object(json, path)?;
    if !fields.contains_key("fn") {
        return Err(ParseError::new(
            WHAT,
            path,
            "a condition must be a function call (`fn`)",
        ));
    }
    let expr = expr(json, path, scope)?;
    let assign = match fields.get("assign") {
        None => None,
        Some(Json::String(name)) => {
            if scope.lookup(name).is_some() {
                return Err(ParseError::new(
                    WHAT,
                    format!("{path}.assign"),
                    format!("`{name}` is already defined here; assigned names must be new"),
                ));
            }
            let slot = scope.next_slot;
            scope.next_slot += 1;
            scope.names.push((name.clone(), slot));
            Some(slot)
        }
        Some(other) => {
            return Err(ParseError::new(
                WHAT,
                format!("{path}.assign"),
                format!("expected a string, found {}", kind(other)),
            ))
        }
    };
    Ok(Condition { expr, assign })
}

fn endpoint(json: &Json, path: &Path<'_>, scope: &Scope) -> Result<EndpointTemplate, ParseError> {
    let fields = object(json, path)?;
    let url = fields
        .get("url")
        .ok_or_else(|| ParseError::new(WHAT, format!("{path}.url"), "missing"))?;
    let url = expr(url, &Path::Field(path, "url"), scope)?;
    let mut properties = Vec::new();
    if let Some(json) = fields.get("properties") {
        let ppath = Path::Field(path, "properties");
        for (name, value) in object(json, &ppath)? {
            properties.push((
                name.clone(),
                expr(value, &Path::Field(&ppath, name), scope)?,
            ));
        }
    }
    let mut headers = Vec::new();
    if let Some(json) = fields.get("headers") {
        let hpath = Path::Field(path, "headers");
        for (name, values) in object(json, &hpath)? {
            let vpath = Path::Field(&hpath, name);
            let items = values.as_array().ok_or_else(|| {
                ParseError::new(WHAT, vpath.to_string(), "expected an array of values")
            })?;
            let values = items
                .iter()
                .enumerate()
                .map(|(index, item)| expr(item, &Path::Index(&vpath, index), scope))
                .collect::<Result<_, _>>()?;
            headers.push((name.clone(), values));
        }
    }
    Ok(EndpointTemplate {
        url,
        properties,
        headers,
    })
}

fn expr(json: &Json, path: &Path<'_>, scope: &Scope) -> Result<Expr, ParseError> {
    match json {
        Json::Null => Err(ParseError::new(WHAT, path, "null is not an expression")),
        Json::String(s) => template(s, scope).map_err(|reason| ParseError::new(WHAT, path, reason)),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| expr(item, &Path::Index(path, index), scope))
            .collect::<Result<_, _>>()
            .map(Expr::Array),
        Json::Object(fields) => {
            if let Some(name) = fields.get("ref") {
                let name = name.as_str().ok_or_else(|| {
                    ParseError::new(WHAT, format!("{path}.ref"), "expected a string")
                })?;
                let slot = scope.lookup(name).ok_or_else(|| {
                    ParseError::new(
                        WHAT,
                        format!("{path}.ref"),
                        format!("unknown reference `{name}`"),
                    )
                })?;
                Ok(Expr::Ref(slot))
            } else if let Some(name) = fields.get("fn") {
                call(name, fields, path, scope)
            } else {
                fields
                    .iter()
                    .map(|(key, value)| {
                        Ok((key.clone(), expr(value, &Path::Field(path, key), scope)?))
                    })
                    .collect::<Result<_, _>>()
                    .map(Expr::Object)
            }
        }
        Json::Bool(b) => Ok(Expr::Literal(Value::Bool(*b))),
        Json::Number(n) => n
            .as_i64()
            .map(|i| Expr::Literal(Value::Int(i)))
            .ok_or_else(|| ParseError::new(WHAT, path, format!("{n} is not a 64-bit integer"))),
    }
}

fn call(
    name: &Json,
    fields: &Map<String, Json>,
    path: &Path<'_>,
    scope: &Scope,
) -> Result<Expr, ParseError> {
    let name = name
        .as_str()
        .ok_or_else(|| ParseError::new(WHAT, format!("{path}.fn"), "expected a string"))?;
    let argv_path = Path::Field(path, "argv");
    let argv = match fields.get("argv") {
        Some(Json::Array(items)) => items,
        Some(_) => return Err(ParseError::new(WHAT, &argv_path, "expected an array")),
        None => return Err(ParseError::new(WHAT, &argv_path, "missing")),
    };
    let arity_error = |expected: usize| {
        ParseError::new(
            WHAT,
            &argv_path,
            format!(
                "`{name}` takes {expected} argument(s), {} given",
                argv.len()
            ),
        )
    };
    if name == "getAttr" {
        if argv.len() != 2 {
            return Err(arity_error(2));
        }
        let target = expr(&argv[0], &Path::Index(&argv_path, 0), scope)?;
        let steps = argv[1]
            .as_str()
            .ok_or_else(|| "the path must be a string literal".to_owned())
            .and_then(parse_path)
            .map_err(|reason| ParseError::new(WHAT, format!("{argv_path}[1]"), reason))?;
        return Ok(Expr::GetAttr(Box::new(target), steps));
    }
    let function = Function::from_name(name).ok_or_else(|| {
        ParseError::new(
            WHAT,
            format!("{path}.fn"),
            format!("unknown function `{name}`"),
        )
    })?;
    if argv.len() != function.arity() {
        return Err(arity_error(function.arity()));
    }
    let args = argv
        .iter()
        .enumerate()
        .map(|(index, item)| expr(item, &Path::Index(&argv_path, index), scope))
        .collect::<Result<_, _>>()?;
    Ok(Expr::Call(function, args))
}

/// Parses a template string: `{Name}` and `{Name#path}` are references, `{{` and `}}` are
/// literal braces. A string without references is a plain literal.
fn template(text: &str, scope: &Scope) -> Result<Expr, String> {
    if !text.contains(['{', '}']) {
        return Ok(Expr::Literal(Value::String(text.to_owned())));
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, n)| n) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|&(_, n)| n) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let rest = &text[at + 1..];
                let end = rest
                    .find('}')
                    .ok_or_else(|| format!("unclosed `{{` at offset {at} in template {text:?}"))?;
                let inner = &rest[..end];
                for _ in 0..inner.chars().count() + 1 {
                    chars.next();
                }
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (name, parse_path(path)?),
                    None => (inner, Vec::new()),
                };
                let slot = scope
                    .lookup(name)
                    .ok_or_else(|| format!("unknown reference `{name}` in template {text:?}"))?;
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Ref {
                    slot,
                    name: name.to_owned(),
                    path,
                });
            }
            c => literal.push(c),
        }
    }
    if parts.is_empty() {
        return Ok(Expr::Literal(Value::String(literal)));
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(Expr::Template(parts))
}

/// Parses a `getAttr` path: `name`, `a.b`, `list[0]`, `a.b[2]`, `[1]`.
pub(crate) fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    if path.is_empty() {
        return Err("empty attribute path".to_owned());
    }
    let mut steps = Vec::new();
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(at) => segment.split_at(at),
            None => (segment, ""),
        };
        if key.is_empty() && rest.is_empty() {
            return Err(format!("empty segment in attribute path {path:?}"));
        }
        if !key.is_empty() {
            steps.push(Step::Key(key.to_owned()));
        }
        while !rest.is_empty() {
            let index = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .and_then(|(digits, tail)| Some((digits.parse::<usize>().ok()?, tail)));
            let Some((index, tail)) = index else {
                return Err(format!("bad index in attribute path {path:?}"));
            };
            steps.push(Step::Index(index));
            rest = tail;
        }
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error_of(json: Json) -> String {
        compile(&json).unwrap_err().to_string()
    }

    #[test]
    fn paths() {
        assert_eq!(parse_path("name").unwrap(), vec![Step::Key("name".into())]);
        assert_eq!(
            parse_path("a.b[2][0]").unwrap(),
            vec![
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::Index(2),
                Step::Index(0)
            ]
        );
        assert_eq!(parse_path("[1]").unwrap(), vec![Step::Index(1)]);
        for bad in ["", "a..b", "a[", "a[x]", "a[1", "a[1]b", "a[-1]"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn templates() {
        let scope = Scope {
            names: vec![("Region".into(), 0), ("P".into(), 1)],
            next_slot: 2,
        };
        match template("https://x.{Region}.{P#dnsSuffix}", &scope).unwrap() {
            Expr::Template(parts) => assert_eq!(parts.len(), 4),
            other => panic!("{other:?}"),
        }
        match template("{{literal}} }", &scope).unwrap() {
            Expr::Literal(Value::String(s)) => assert_eq!(s, "{literal} }"),
            other => panic!("{other:?}"),
        }
        assert!(template("{Nope}", &scope)
            .unwrap_err()
            .contains("unknown reference `Nope`"));
        assert!(template("{Region", &scope)
            .unwrap_err()
            .contains("unclosed"));
        assert!(template("{P#a..b}", &scope).is_err());
        // Multi-byte characters around a reference.
        match template("é{Region}ü", &scope).unwrap() {
            Expr::Template(parts) => assert_eq!(parts.len(), 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_bad_rule_sets_with_a_path() {
        let base = |rules: Json| json!({"version": "1.0", "parameters": {"Region": {"type": "String"}}, "rules": rules});
        let cases = [
            (json!([]), "expected an object, found an array"),
            (base(json!([])), "at least one rule"),
            (
                base(json!([{"type": "bogus", "conditions": []}])),
                "rules[0].type: unknown rule type",
            ),
            (
                base(json!([{"conditions": [], "error": "x"}])),
                "rules[0].type: missing",
            ),
            (
                base(
                    json!([{"type": "error", "conditions": [{"fn": "nope", "argv": []}], "error": "x"}]),
                ),
                "rules[0].conditions[0].fn: unknown function `nope`",
            ),
            (
                base(
                    json!([{"type": "error", "conditions": [{"fn": "isSet", "argv": []}], "error": "x"}]),
                ),
                "`isSet` takes 1 argument(s), 0 given",
            ),
            (
                base(
                    json!([{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "x"}]),
                ),
                "unknown reference `Nope`",
            ),
            (
                base(
                    json!([{"type": "error", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "Region"}], "error": "x"}]),
                ),
                "`Region` is already defined",
            ),
            (
                base(json!([{"type": "endpoint", "conditions": [], "endpoint": {}}])),
                "rules[0].endpoint.url: missing",
            ),
            (
                base(json!([{"type": "error", "conditions": [{"ref": "Region"}], "error": "x"}])),
                "must be a function call",
            ),
            (
                base(
                    json!([{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Region"}, {"ref": "Region"}]}], "error": "x"}]),
                ),
                "string literal",
            ),
            (
                json!({"parameters": {"X": {"type": "Integer"}}, "rules": []}),
                "parameters.X.type: unknown type \"Integer\"",
            ),
            (
                json!({"parameters": {"X": {"type": "boolean", "default": "yes"}}, "rules": []}),
                "a string default for a boolean parameter",
            ),
        ];
        for (json, expected) in cases {
            let error = error_of(json.clone());
            assert!(error.contains(expected), "{json}: {error}");
        }
    }

    #[test]
    fn assigned_names_are_scoped_to_their_rule() {
        // `P` is assigned in the first rule; the second rule cannot see it.
        let json = json!({
            "parameters": {"Region": {"type": "string"}},
            "rules": [
                {"type": "error", "conditions": [{"fn": "aws.partition", "argv": ["{Region}"], "assign": "P"}], "error": "{P#name}"},
                {"type": "error", "conditions": [], "error": "{P#name}"}
            ]
        });
        let error = error_of(json);
        assert!(
            error.contains("rules[1].error: unknown reference `P`"),
            "{error}"
        );
    }
}
