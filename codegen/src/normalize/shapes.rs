//! Shapes: model shapes to IR types (structures, unions, enums, intEnums, member types).

use serde_json::Value;

use super::prelude::{prelude, UNIT};
use super::{docs, Context, MAX_NESTING};
use crate::error::Error;
use crate::ir::*;
use crate::model::{Member, Shape, Traits};
use crate::naming;

impl<'m> Context<'m> {
    /// An operation's input or output, renamed to `{Op}Input` / `{Op}Output` like AWS SDKs do.
    /// It lives in the operation's module (`module`).
    pub(super) fn io_struct(
        &mut self,
        op_id: &str,
        target: Option<&str>,
        name: String,
        module: &str,
        role: Role,
    ) -> Result<StructIr, Error> {
        let Some(target) = target.filter(|t| *t != UNIT) else {
            let side = if role == Role::Input {
                "input"
            } else {
                "output"
            };
            return Ok(StructIr {
                shape_id: format!("{op_id}${side}"),
                builder: naming::builder_name(&name),
                name,
                module: module.to_string(),
                role,
                docs: None,
                members: Vec::new(),
            });
        };
        match self.model.get(target, op_id)? {
            Shape::Structure(_) => {
                let builder = naming::builder_name(&name);
                self.structure(target, name, builder, module.to_string(), role)
            }
            other => Err(Error::shape(
                target,
                format!(
                    "is the input or output of {op_id} but is a {}, not a structure",
                    other.type_name()
                ),
            )),
        }
    }

    /// The Rust name of a structure, union or enum, building its declaration the first time it
    /// is reached. Names come from the naming pass over the whole service.
    pub(super) fn named_type(
        &mut self,
        id: &str,
        referenced_from: &str,
    ) -> Result<(String, NamedKind), Error> {
        if let Some(existing) = self.types.get(id) {
            return Ok((existing.name().to_string(), existing.kind()));
        }
        let shape = self.model.get(id, referenced_from)?;
        let names = self.names.get(id).cloned().ok_or_else(|| {
            Error::shape(
                id,
                format!(
                    "is reached from {referenced_from} but is a {}, not a structure, union or enum",
                    shape.type_name()
                ),
            )
        })?;
        let naming::TypeNames {
            name,
            builder,
            module,
        } = names;
        // A placeholder first, so recursive references terminate.
        let placeholder = match shape {
            Shape::Structure(_) => TypeDecl::Struct(StructIr {
                shape_id: id.to_string(),
                name: name.clone(),
                builder: builder.clone().unwrap_or_default(),
                module: module.clone(),
                role: Role::Shared,
                docs: None,
                members: Vec::new(),
            }),
            Shape::Union(_) => TypeDecl::Union(UnionIr {
                shape_id: id.to_string(),
                name: name.clone(),
                module: module.clone(),
                docs: None,
                variants: Vec::new(),
            }),
            Shape::IntEnum(_) => TypeDecl::IntEnum(IntEnumIr {
                shape_id: id.to_string(),
                name: name.clone(),
                module: module.clone(),
                docs: None,
                variants: Vec::new(),
            }),
            _ => TypeDecl::Enum(EnumIr {
                shape_id: id.to_string(),
                name: name.clone(),
                module: module.clone(),
                docs: None,
                variants: Vec::new(),
            }),
        };
        self.types.insert(id.to_string(), placeholder);
        let shape_docs = docs(shape.traits(), self.settings);
        let decl = match shape {
            Shape::Structure(s) => {
                let role = if s.traits.error().is_some() {
                    Role::Error
                } else {
                    Role::Shared
                };
                let builder = builder.unwrap_or_else(|| naming::builder_name(&name));
                TypeDecl::Struct(self.structure(id, name.clone(), builder, module, role)?)
            }
            Shape::Union(_) => TypeDecl::Union(UnionIr {
                shape_id: id.to_string(),
                name: name.clone(),
                module,
                docs: shape_docs,
                variants: self.union_variants(id, shape)?,
            }),
            Shape::IntEnum(_) => {
                let variants = self
                    .enum_members(id, shape)?
                    .into_iter()
                    .map(|(member_id, name, member)| {
                        let value = member
                            .traits
                            .enum_value()
                            .and_then(Value::as_i64)
                            .and_then(|v| i32::try_from(v).ok())
                            .ok_or_else(|| {
                                Error::shape(&member_id, "an intEnum value must be an integer enumValue that fits in 32 bits")
                            })?;
                        let docs = docs(&member.traits, self.settings);
                        Ok(IntVariantIr { name, value, docs })
                    })
                    .collect::<Result<_, Error>>()?;
                TypeDecl::IntEnum(IntEnumIr {
                    shape_id: id.to_string(),
                    name: name.clone(),
                    module,
                    docs: shape_docs,
                    variants,
                })
            }
            Shape::Enum(_) => {
                let variants = self
                    .enum_members(id, shape)?
                    .into_iter()
                    .map(|(member_id, name, member)| {
                        let value = match member.traits.enum_value() {
                            None => naming_wire_name(&member_id).to_string(),
                            Some(Value::String(s)) => s.clone(),
                            Some(other) => {
                                return Err(Error::shape(
                                    &member_id,
                                    format!("enumValue must be a string, found {other}"),
                                ))
                            }
                        };
                        let docs = docs(&member.traits, self.settings);
                        Ok(VariantIr { name, value, docs })
                    })
                    .collect::<Result<_, Error>>()?;
                TypeDecl::Enum(EnumIr {
                    shape_id: id.to_string(),
                    name: name.clone(),
                    module,
                    docs: shape_docs,
                    variants,
                })
            }
            other => {
                self.types.remove(id);
                return Err(Error::shape(
                    id,
                    format!(
                        "expected a structure or enum, found a {}",
                        other.type_name()
                    ),
                ));
            }
        };
        let kind = decl.kind();
        self.types.insert(id.to_string(), decl);
        Ok((name, kind))
    }

    /// An enum's or intEnum's members with their member ids and variant names, in model order.
    fn enum_members(
        &self,
        id: &str,
        shape: &'m Shape,
    ) -> Result<Vec<(String, String, Member)>, Error> {
        let members = self.flatten_members(id, shape)?;
        let variants = naming::variant_names(members.iter().map(|(n, _)| n.as_str()));
        Ok(members
            .into_iter()
            .zip(variants)
            .map(|((wire, member), variant)| (format!("{id}${wire}"), variant, member))
            .collect())
    }

    fn union_variants(&mut self, id: &str, shape: &'m Shape) -> Result<Vec<UnionVariantIr>, Error> {
        let members = self.flatten_members(id, shape)?;
        let variant_names = naming::variant_names(members.iter().map(|(n, _)| n.as_str()));
        let mut variants = Vec::new();
        for ((wire, member), variant) in members.iter().zip(variant_names) {
            let member_id = format!("{id}${wire}");
            let target = self.model_shape(&member.target, &member_id)?;
            variants.push(UnionVariantIr {
                as_fn: naming::as_fn_name(&variant),
                is_fn: naming::is_fn_name(&variant),
                name: variant,
                wire_name: member.traits.json_name().unwrap_or(wire).to_string(),
                docs: docs(&member.traits, self.settings)
                    .or_else(|| docs(target.traits(), self.settings)),
                ty: self.member_type(&member.target, &member.traits, &member_id)?,
                boxed: false,
                contains_tokens: false,
            });
        }
        Ok(variants)
    }

    /// A structure's declaration under the given names.
    pub(super) fn structure(
        &mut self,
        id: &str,
        name: String,
        builder: String,
        module: String,
        role: Role,
    ) -> Result<StructIr, Error> {
        let shape = self.model.get(id, id)?;
        let members = self.flatten_members(id, shape)?;
        let rust_names = naming::member_names(members.iter().map(|(n, _)| n.as_str()));
        let mut out = Vec::new();
        for ((wire, member), base) in members.iter().zip(rust_names) {
            let member_id = format!("{id}${wire}");
            let target = self.model_shape(&member.target, &member_id)?;
            let ty = self.member_type(&member.target, &member.traits, &member_id)?;
            let required = member.traits.is_required();
            let default = member
                .traits
                .default_value()
                .or_else(|| target.traits().default_value());
            let presence = match role {
                Role::Input => Presence::Optional,
                _ if default.is_some_and(|d| is_zero_default(d, &ty)) => Presence::ZeroDefault,
                _ if required && default.is_none() => Presence::Required,
                _ => Presence::Optional,
            };
            let omit_default_on_write =
                presence == Presence::ZeroDefault && omitted_at_zero_default(member, &target);
            let wire_name = member.traits.json_name().unwrap_or(wire).to_string();
            // Only an optional string token, on an input or a structure that may be inside
            // one, can be filled in when sending.
            let idempotency_token = matches!(role, Role::Input | Role::Shared)
                && presence == Presence::Optional
                && member.traits.has("smithy.api#idempotencyToken")
                && ty == RustType::String;
            out.push(MemberIr {
                // Only a string can be the message the error metadata falls back to.
                is_error_message: role == Role::Error
                    && wire_name.eq_ignore_ascii_case("message")
                    && ty == RustType::String,
                wire_name,
                field: naming::escape_ident(&base),
                setter: naming::setter_name(&base),
                getter: naming::getter_name(&base),
                base,
                docs: docs(&member.traits, self.settings)
                    .or_else(|| docs(target.traits(), self.settings)),
                ty,
                boxed: false,
                presence,
                required: required && default.is_none(),
                sensitive: member.traits.is_sensitive() || target.traits().is_sensitive(),
                idempotency_token,
                contains_tokens: false,
                omit_default_on_write,
            });
        }
        Ok(StructIr {
            shape_id: id.to_string(),
            builder,
            name,
            module,
            role,
            docs: docs(shape.traits(), self.settings),
            members: out,
        })
    }

    /// Members in model order with mixin members first (Smithy's mixin order).
    pub(super) fn flatten_members(
        &self,
        id: &str,
        shape: &'m Shape,
    ) -> Result<Vec<(String, Member)>, Error> {
        let mut members: Vec<(String, Member)> = Vec::new();
        for mixin in shape.mixins() {
            let mixin_shape = self.model.get(&mixin.target, id)?;
            for (name, member) in self.flatten_members(&mixin.target, mixin_shape)? {
                if !members.iter().any(|(n, _)| *n == name) {
                    members.push((name, member));
                }
            }
        }
        let own = match shape {
            Shape::Structure(a) | Shape::Union(a) | Shape::Enum(a) | Shape::IntEnum(a) => {
                &a.members.0
            }
            _ => return Ok(members),
        };
        for (name, member) in own {
            match members.iter_mut().find(|(n, _)| n == name) {
                // A redeclared mixin member keeps the mixin's target and adds traits.
                Some((_, existing)) => existing.traits.0.extend(member.traits.0.clone()),
                None => members.push((name.clone(), member.clone())),
            }
        }
        Ok(members)
    }

    /// A shape of the model or the prelude.
    fn model_shape(&self, id: &str, referenced_from: &str) -> Result<Shape, Error> {
        if let Some(shape) = prelude(id) {
            return Ok(shape);
        }
        self.model.get(id, referenced_from).cloned()
    }

    /// The Rust type of a member targeting `target`.
    fn member_type(
        &mut self,
        target: &str,
        member_traits: &Traits,
        member_id: &str,
    ) -> Result<RustType, Error> {
        if self.depth >= MAX_NESTING {
            return Err(Error::shape(
                member_id,
                format!("shapes nest more than {MAX_NESTING} levels deep here"),
            ));
        }
        self.depth += 1;
        let result = self.member_type_unbounded(target, member_traits, member_id);
        self.depth -= 1;
        result
    }

    fn member_type_unbounded(
        &mut self,
        target: &str,
        member_traits: &Traits,
        member_id: &str,
    ) -> Result<RustType, Error> {
        let shape = self.model_shape(target, member_id)?;
        Ok(match &shape {
            Shape::String(_) => RustType::String,
            Shape::Boolean(_) => RustType::Bool,
            Shape::Byte(_) => RustType::I8,
            Shape::Short(_) => RustType::I16,
            Shape::Integer(_) => RustType::I32,
            Shape::Long(_) => RustType::I64,
            Shape::Float(_) => RustType::F32,
            Shape::Double(_) => RustType::F64,
            Shape::BigInteger(_) | Shape::BigDecimal(_) => RustType::BigNumber,
            Shape::Document(_) => RustType::Document,
            Shape::Blob(b) => {
                if b.traits.is_streaming() {
                    return Err(Error::shape(
                        target,
                        format!("streaming blob shapes are not supported by the generator yet (reached from {member_id})"),
                    ));
                }
                RustType::Blob
            }
            Shape::Timestamp(t) => {
                let format = member_traits
                    .timestamp_format()
                    .or_else(|| t.traits.timestamp_format());
                RustType::Timestamp(match format {
                    None | Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                    Some("date-time") => TimestampFormat::DateTime,
                    Some("http-date") => TimestampFormat::HttpDate,
                    Some(other) => {
                        return Err(Error::shape(
                            member_id,
                            format!("unknown timestampFormat `{other}`"),
                        ))
                    }
                })
            }
            Shape::Enum(_) | Shape::IntEnum(_) | Shape::Structure(_) | Shape::Union(_) => {
                let (name, kind) = self.named_type(target, member_id)?;
                RustType::Named { name, kind }
            }
            Shape::List(c) | Shape::Set(c) => {
                let item = self.member_type(
                    &c.member.target,
                    &c.member.traits,
                    &format!("{target}$member"),
                )?;
                RustType::List {
                    item: Box::new(item),
                    sparse: c.traits.is_sparse(),
                }
            }
            Shape::Map(m) => {
                match self.model_shape(&m.key.target, &format!("{target}$key"))? {
                    Shape::String(_) => {}
                    Shape::Enum(_) => {
                        self.named_type(&m.key.target, &format!("{target}$key"))?;
                    }
                    other => {
                        return Err(Error::shape(
                            target,
                            format!(
                                "map keys must be strings on the JSON wire, found a {}",
                                other.type_name()
                            ),
                        ))
                    }
                }
                let value =
                    self.member_type(&m.value.target, &m.value.traits, &format!("{target}$value"))?;
                RustType::Map {
                    value: Box::new(value),
                    sparse: m.traits.is_sparse(),
                }
            }
            Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_) | Shape::Apply(_) => {
                return Err(Error::shape(
                    member_id,
                    format!(
                        "targets `{target}` (a shape of type {}), which cannot be a member",
                        shape.type_name()
                    ),
                ))
            }
        })
    }
}

/// The member name of a member id (`a#Kind$VALUE` → `VALUE`).
fn naming_wire_name(member_id: &str) -> &str {
    member_id.rsplit_once('$').map_or(member_id, |(_, m)| m)
}

/// A number or boolean member whose default is zero (`false`), neither `@required` nor
/// `@clientOptional`: a nested structure's serializer leaves it out while it holds that default,
/// as the AWS SDKs do (see `MemberIr::omit_default_on_write`; the example tests expect the same).
pub(super) fn omitted_at_zero_default(member: &Member, target: &Shape) -> bool {
    let numeric = matches!(
        target,
        Shape::Boolean(_)
            | Shape::Byte(_)
            | Shape::Short(_)
            | Shape::Integer(_)
            | Shape::Long(_)
            | Shape::Float(_)
            | Shape::Double(_)
    );
    let zero_default = member
        .traits
        .default_value()
        .or_else(|| target.traits().default_value())
        .is_some_and(is_zero_value);
    numeric
        && zero_default
        && !member.traits.is_required()
        && !member.traits.has("smithy.api#clientOptional")
}

/// `0`, `0.0` or `false`.
pub(super) fn is_zero_value(value: &Value) -> bool {
    value == &Value::Bool(false) || value.as_f64() == Some(0.0)
}

/// Whether the model default equals `Default::default()` of the Rust type, so `#[serde(default)]` is exact.
fn is_zero_default(default: &Value, ty: &RustType) -> bool {
    match (default, ty) {
        (
            Value::Bool(_) | Value::Number(_),
            RustType::Bool
            | RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::F32
            | RustType::F64,
        ) => is_zero_value(default),
        (Value::String(s), RustType::String) => s.is_empty(),
        (Value::Array(a), RustType::List { .. }) => a.is_empty(),
        (Value::Object(o), RustType::Map { .. }) => o.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tests::normalize_model;

    fn find<'a>(krate: &'a Crate, name: &str) -> &'a TypeDecl {
        krate
            .types
            .iter()
            .find(|t| t.name() == name)
            .unwrap_or_else(|| panic!("no type {name}"))
    }

    #[test]
    fn zero_defaults_match_rust_defaults_only() {
        assert!(is_zero_default(&Value::Bool(false), &RustType::Bool));
        assert!(!is_zero_default(&Value::Bool(true), &RustType::Bool));
        assert!(is_zero_default(&0.into(), &RustType::I64));
        assert!(!is_zero_default(&5.into(), &RustType::I32));
        assert!(is_zero_default(&"".into(), &RustType::String));
        assert!(!is_zero_default(&"x".into(), &RustType::String));
    }

    #[test]
    fn enums_and_int_enums_take_values_and_variant_names() {
        let krate = normalize_model(
            r#", "a#Color": {"type": "enum", "members": {
                    "DARK_RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "dark-red"}},
                    "BLUE": {"target": "smithy.api#Unit"}}},
                "a#Level": {"type": "intEnum", "members": {
                    "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}}"#,
            r#""color": {"target": "a#Color"}, "level": {"target": "a#Level"}"#,
            "",
        );
        let TypeDecl::Enum(color) = find(&krate, "Color") else {
            panic!()
        };
        let values: Vec<(&str, &str)> = color
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(values, [("DarkRed", "dark-red"), ("Blue", "BLUE")]);
        let TypeDecl::IntEnum(level) = find(&krate, "Level") else {
            panic!()
        };
        assert_eq!(
            (level.variants[0].name.as_str(), level.variants[0].value),
            ("Low", 1)
        );
    }

    #[test]
    fn nested_number_and_boolean_zero_defaults_are_left_out_of_requests() {
        let krate = normalize_model(
            r#", "a#Policy": {"type": "structure", "members": {
                    "cooldown": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                    "enabled": {"target": "smithy.api#Boolean", "traits": {"smithy.api#default": false}},
                    "floor": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0, "smithy.api#required": {}}},
                    "cap": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0, "smithy.api#clientOptional": {}}},
                    "name": {"target": "smithy.api#String", "traits": {"smithy.api#default": ""}}}}"#,
            r#""policy": {"target": "a#Policy"}"#,
            "",
        );
        let TypeDecl::Struct(policy) = find(&krate, "Policy") else {
            panic!()
        };
        let omitted: Vec<(&str, bool)> = policy
            .members
            .iter()
            .map(|m| (m.base.as_str(), m.omit_default_on_write))
            .collect();
        assert_eq!(
            omitted,
            [
                ("cooldown", true),
                ("enabled", true),
                ("floor", false),
                ("cap", false),
                ("name", false)
            ]
        );
    }

    #[test]
    fn an_int_enum_value_that_is_not_an_integer_is_an_error() {
        let model = crate::normalize::tests::model_json(
            r#", "a#Level": {"type": "intEnum", "members": {
                    "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}}}}"#,
            r#""level": {"target": "a#Level"}"#,
            "",
        );
        let model = crate::Model::from_json(&model, "test").unwrap();
        let error = crate::normalize(&model, &crate::Settings::default()).unwrap_err();
        assert_eq!(error.shape_id(), Some("a#Level$LOW"));
    }

    #[test]
    fn members_get_presence_from_role_required_and_default() {
        let krate = normalize_model(
            r#", "a#Thing": {"type": "structure", "members": {
                    "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "count": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                    "note": {"target": "smithy.api#String"}}}"#,
            r#""thing": {"target": "a#Thing"}"#,
            "",
        );
        let TypeDecl::Struct(thing) = find(&krate, "Thing") else {
            panic!()
        };
        let presence: Vec<Presence> = thing.members.iter().map(|m| m.presence).collect();
        assert_eq!(
            presence,
            [
                Presence::Required,
                Presence::ZeroDefault,
                Presence::Optional
            ]
        );
        assert!(thing.members[0].required);
        // The same kind of member on an operation input is always optional.
        let input = &krate.operations[0].input;
        assert!(input
            .members
            .iter()
            .all(|m| m.presence == Presence::Optional));
        assert_eq!(input.name, "GetInput");
    }

    #[test]
    fn a_required_error_message_is_the_error_message() {
        let krate = normalize_model("", "", "");
        let TypeDecl::Struct(error) = find(&krate, "NotFound") else {
            panic!()
        };
        assert_eq!(error.role, Role::Error);
        let message = &error.members[0];
        assert!(message.is_error_message);
        assert_eq!(message.presence, Presence::Required);
    }

    #[test]
    fn mixin_members_come_first() {
        let krate = normalize_model(
            r#", "a#Base": {"type": "structure", "members": {"base": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
                "a#Thing": {"type": "structure", "mixins": [{"target": "a#Base"}], "members": {"own": {"target": "smithy.api#String"}}}"#,
            r#""thing": {"target": "a#Thing"}"#,
            "",
        );
        let TypeDecl::Struct(thing) = find(&krate, "Thing") else {
            panic!()
        };
        let names: Vec<&str> = thing.members.iter().map(|m| m.wire_name.as_str()).collect();
        assert_eq!(names, ["base", "own"]);
    }

    #[test]
    fn union_members_get_accessor_names() {
        let krate = normalize_model(
            r#", "a#Choice": {"type": "union", "members": {"s3Key": {"target": "smithy.api#String"}}}"#,
            r#""choice": {"target": "a#Choice"}"#,
            "",
        );
        let TypeDecl::Union(choice) = find(&krate, "Choice") else {
            panic!()
        };
        let v = &choice.variants[0];
        assert_eq!(
            (v.name.as_str(), v.as_fn.as_str(), v.is_fn.as_str()),
            ("S3Key", "as_s3_key", "is_s3_key")
        );
    }
}
