//! The prelude: `smithy.api#String` and the other simple shapes models reference without defining.

use serde_json::Value;

use crate::model::{Shape, Simple};

/// The `smithy.api#Unit` shape: no input, no output, or an enum member without a value.
pub(super) const UNIT: &str = "smithy.api#Unit";

/// The prelude shape with this id, if it is one. The `Primitive*` shapes carry their zero default.
pub(super) fn prelude(id: &str) -> Option<Shape> {
    let name = id.strip_prefix("smithy.api#")?;
    let plain = Simple::default;
    let zero_default = |value: Value| {
        let mut s = Simple::default();
        s.traits.0.insert("smithy.api#default".to_string(), value);
        s
    };
    Some(match name {
        "String" => Shape::String(plain()),
        "Blob" => Shape::Blob(plain()),
        "BigInteger" => Shape::BigInteger(plain()),
        "BigDecimal" => Shape::BigDecimal(plain()),
        "Timestamp" => Shape::Timestamp(plain()),
        "Document" => Shape::Document(plain()),
        "Boolean" => Shape::Boolean(plain()),
        "Byte" => Shape::Byte(plain()),
        "Short" => Shape::Short(plain()),
        "Integer" => Shape::Integer(plain()),
        "Long" => Shape::Long(plain()),
        "Float" => Shape::Float(plain()),
        "Double" => Shape::Double(plain()),
        "PrimitiveBoolean" => Shape::Boolean(zero_default(Value::Bool(false))),
        "PrimitiveByte" => Shape::Byte(zero_default(0.into())),
        "PrimitiveShort" => Shape::Short(zero_default(0.into())),
        "PrimitiveInteger" => Shape::Integer(zero_default(0.into())),
        "PrimitiveLong" => Shape::Long(zero_default(0.into())),
        "PrimitiveFloat" => Shape::Float(zero_default(0.into())),
        "PrimitiveDouble" => Shape::Double(zero_default(0.into())),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_prelude_shapes_resolve_and_primitives_default_to_zero() {
        assert!(matches!(
            prelude("smithy.api#String"),
            Some(Shape::String(_))
        ));
        assert!(matches!(
            prelude("smithy.api#Timestamp"),
            Some(Shape::Timestamp(_))
        ));
        let Some(Shape::Integer(primitive)) = prelude("smithy.api#PrimitiveInteger") else {
            panic!("PrimitiveInteger is an integer");
        };
        assert_eq!(primitive.traits.default_value(), Some(&Value::from(0)));
        let Some(Shape::Integer(boxed)) = prelude("smithy.api#Integer") else {
            panic!("Integer is an integer");
        };
        assert_eq!(boxed.traits.default_value(), None);
    }

    #[test]
    fn other_ids_are_not_prelude_shapes() {
        assert!(prelude("smithy.api#Unit").is_none());
        assert!(prelude("com.example#String").is_none());
    }
}
