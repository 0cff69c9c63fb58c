//! Load: serde types mirroring the Smithy JSON AST 2.0.
//!
//! Every shape type is represented. Traits stay as JSON values (unknown traits are kept, never
//! rejected); [`Traits`] has typed accessors for the ones the generator reads.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;

/// An absolute shape id such as `com.amazonaws.ecr#Repository` or `com.amazonaws.ecr#Repository$registryId`.
pub type ShapeId = String;

/// A whole Smithy JSON AST document.
#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    /// The IDL version, `"2.0"` (or `"1.0"`, read the same way here).
    pub smithy: String,
    /// Free-form metadata; kept, not read.
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    /// Every shape of the model, sorted by shape id.
    #[serde(default)]
    pub shapes: BTreeMap<ShapeId, Shape>,
}

impl Model {
    /// Parses a Smithy JSON AST document. `origin` names the file in errors.
    pub fn from_json(json: &str, origin: &str) -> Result<Model, Error> {
        let model: Model = serde_json::from_str(json)
            .map_err(|e| Error::new(format!("{origin}: not a Smithy JSON AST document: {e}")))?;
        if !model.smithy.starts_with('1') && !model.smithy.starts_with('2') {
            return Err(Error::new(format!(
                "{origin}: unsupported Smithy IDL version {:?} (expected 1.0 or 2.0)",
                model.smithy
            )));
        }
        Ok(model)
    }

    /// Reads and parses a model file; errors name the file.
    pub fn from_file(path: &std::path::Path) -> Result<Model, Error> {
        let json = std::fs::read_to_string(path)
            .map_err(|e| Error::new(format!("cannot read the model {}: {e}", path.display())))?;
        Model::from_json(&json, &path.display().to_string())
    }

    /// Looks a shape up, failing with the id of the shape that referred to it.
    pub fn get(&self, id: &str, referenced_from: &str) -> Result<&Shape, Error> {
        self.shapes.get(id).ok_or_else(|| {
            Error::shape(
                referenced_from,
                format!("targets `{id}`, which is not defined in the model"),
            )
        })
    }
}

/// A reference to another shape.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Target {
    /// The referenced shape's id.
    pub target: ShapeId,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize)]
pub struct Member {
    /// The shape the member holds.
    pub target: ShapeId,
    /// The member's traits.
    #[serde(default)]
    pub traits: Traits,
}

/// Members in model order (order matters: it is the serialization order users see).
#[derive(Debug, Clone, Default)]
pub struct Members(pub Vec<(String, Member)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor;
        impl<'de> Visitor<'de> for OrderedVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of member names to members")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((name, member)) = map.next_entry::<String, Member>()? {
                    if members.iter().any(|(n, _): &(String, Member)| *n == name) {
                        return Err(serde::de::Error::custom(format!(
                            "member `{name}` is defined twice"
                        )));
                    }
                    members.push((name, member));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(OrderedVisitor)
    }
}

/// One shape, tagged by its `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Shape {
    Blob(Simple),
    Boolean(Simple),
    String(Simple),
    Byte(Simple),
    Short(Simple),
    Integer(Simple),
    Long(Simple),
    Float(Simple),
    Double(Simple),
    BigInteger(Simple),
    BigDecimal(Simple),
    Timestamp(Simple),
    Document(Simple),
    Enum(Aggregate),
    IntEnum(Aggregate),
    List(Collection),
    Set(Collection),
    Map(MapShape),
    Structure(Aggregate),
    Union(Aggregate),
    Service(Service),
    Operation(Operation),
    Resource(Resource),
    /// Applies traits to a shape defined elsewhere.
    Apply(Simple),
}

impl Shape {
    /// The shape's `type` as written in the model.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Blob(_) => "blob",
            Shape::Boolean(_) => "boolean",
            Shape::String(_) => "string",
            Shape::Byte(_) => "byte",
            Shape::Short(_) => "short",
            Shape::Integer(_) => "integer",
            Shape::Long(_) => "long",
            Shape::Float(_) => "float",
            Shape::Double(_) => "double",
            Shape::BigInteger(_) => "bigInteger",
            Shape::BigDecimal(_) => "bigDecimal",
            Shape::Timestamp(_) => "timestamp",
            Shape::Document(_) => "document",
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Set(_) => "set",
            Shape::Map(_) => "map",
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Service(_) => "service",
            Shape::Operation(_) => "operation",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }

    /// The shape's own traits.
    pub fn traits(&self) -> &Traits {
        match self {
            Shape::Blob(s)
            | Shape::Boolean(s)
            | Shape::String(s)
            | Shape::Byte(s)
            | Shape::Short(s)
            | Shape::Integer(s)
            | Shape::Long(s)
            | Shape::Float(s)
            | Shape::Double(s)
            | Shape::BigInteger(s)
            | Shape::BigDecimal(s)
            | Shape::Timestamp(s)
            | Shape::Document(s)
            | Shape::Apply(s) => &s.traits,
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => &a.traits,
            Shape::List(c) | Shape::Set(c) => &c.traits,
            Shape::Map(m) => &m.traits,
            Shape::Service(s) => &s.traits,
            Shape::Operation(o) => &o.traits,
            Shape::Resource(r) => &r.traits,
        }
    }

    /// The mixins the shape applies.
    pub fn mixins(&self) -> &[Target] {
        match self {
            Shape::Blob(s)
            | Shape::Boolean(s)
            | Shape::String(s)
            | Shape::Byte(s)
            | Shape::Short(s)
            | Shape::Integer(s)
            | Shape::Long(s)
            | Shape::Float(s)
            | Shape::Double(s)
            | Shape::BigInteger(s)
            | Shape::BigDecimal(s)
            | Shape::Timestamp(s)
            | Shape::Document(s)
            | Shape::Apply(s) => &s.mixins,
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => &a.mixins,
            Shape::List(c) | Shape::Set(c) => &c.mixins,
            Shape::Map(m) => &m.mixins,
            Shape::Service(s) => &s.mixins,
            Shape::Operation(o) => &o.mixins,
            Shape::Resource(r) => &r.mixins,
        }
    }
}

/// A shape with no members: simple types, `document`, and `apply`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Simple {
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

/// `structure`, `union`, `enum` and `intEnum`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Aggregate {
    #[serde(default)]
    pub members: Members,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

/// `list` and `set`.
#[derive(Debug, Clone, Deserialize)]
pub struct Collection {
    pub member: Member,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

/// `map`.
#[derive(Debug, Clone, Deserialize)]
pub struct MapShape {
    pub key: Member,
    pub value: Member,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

/// `service`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Service {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub operations: Vec<Target>,
    #[serde(default)]
    pub resources: Vec<Target>,
    #[serde(default)]
    pub errors: Vec<Target>,
    /// Shape-name overrides that resolve name conflicts within the service closure.
    #[serde(default)]
    pub rename: BTreeMap<ShapeId, String>,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

/// `operation`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Operation {
    pub input: Option<Target>,
    pub output: Option<Target>,
    #[serde(default)]
    pub errors: Vec<Target>,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

/// `resource`: its lifecycle and other operations are reachable from the service.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Resource {
    #[serde(default)]
    pub identifiers: BTreeMap<String, Target>,
    #[serde(default)]
    pub properties: BTreeMap<String, Target>,
    pub create: Option<Target>,
    pub put: Option<Target>,
    pub read: Option<Target>,
    pub update: Option<Target>,
    pub delete: Option<Target>,
    pub list: Option<Target>,
    #[serde(default)]
    pub operations: Vec<Target>,
    #[serde(default, rename = "collectionOperations")]
    pub collection_operations: Vec<Target>,
    #[serde(default)]
    pub resources: Vec<Target>,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Target>,
}

impl Resource {
    /// Every operation bound to this resource, in a fixed order.
    pub fn all_operations(&self) -> impl Iterator<Item = &Target> {
        [
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ]
        .into_iter()
        .flatten()
        .chain(&self.operations)
        .chain(&self.collection_operations)
    }
}

/// Traits by absolute trait id, values kept as JSON.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Traits(pub BTreeMap<String, Value>);

impl Traits {
    /// The raw value of a trait.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Whether the trait is present.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// `smithy.api#documentation`.
    pub fn documentation(&self) -> Option<&str> {
        self.get("smithy.api#documentation").and_then(Value::as_str)
    }

    /// `smithy.api#required`.
    pub fn is_required(&self) -> bool {
        self.has("smithy.api#required")
    }

    /// `smithy.api#default`.
    pub fn default_value(&self) -> Option<&Value> {
        self.get("smithy.api#default")
    }

    /// `smithy.api#enumValue`.
    pub fn enum_value(&self) -> Option<&Value> {
        self.get("smithy.api#enumValue")
    }

    /// `smithy.api#error`: `"client"` or `"server"`.
    pub fn error(&self) -> Option<&str> {
        self.get("smithy.api#error").and_then(Value::as_str)
    }

    /// `smithy.api#httpError`: the HTTP status the error is sent with.
    pub fn http_error(&self) -> Option<u16> {
        self.get("smithy.api#httpError")
            .and_then(Value::as_u64)
            .and_then(|status| u16::try_from(status).ok())
    }

    /// `smithy.api#jsonName`.
    pub fn json_name(&self) -> Option<&str> {
        self.get("smithy.api#jsonName").and_then(Value::as_str)
    }

    /// `smithy.api#timestampFormat`.
    pub fn timestamp_format(&self) -> Option<&str> {
        self.get("smithy.api#timestampFormat")
            .and_then(Value::as_str)
    }

    /// `smithy.api#sensitive`.
    pub fn is_sensitive(&self) -> bool {
        self.has("smithy.api#sensitive")
    }

    /// `smithy.api#sparse`.
    pub fn is_sparse(&self) -> bool {
        self.has("smithy.api#sparse")
    }

    /// `smithy.api#streaming`.
    pub fn is_streaming(&self) -> bool {
        self.has("smithy.api#streaming")
    }

    /// `smithy.api#examples` (on operations).
    pub fn examples(&self) -> &[Value] {
        self.get("smithy.api#examples")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// `aws.api#service`.
    pub fn aws_service(&self) -> Option<&Value> {
        self.get("aws.api#service")
    }

    /// `aws.auth#sigv4` signing name.
    pub fn sigv4_name(&self) -> Option<&str> {
        self.get("aws.auth#sigv4")
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
    }
}
