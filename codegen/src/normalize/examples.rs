//! Examples: `smithy.api#examples` on an operation, converted for the example tests.

use serde_json::{Map, Value};

use super::prelude::{prelude, UNIT};
use super::shapes::{is_zero_value, omitted_at_zero_default};
use super::Context;
use crate::error::Error;
use crate::ir::ExampleIr;
use crate::model::{Shape, Traits};

impl Context<'_> {
    /// The operation's examples, in their wire form; an example error names its structure's
    /// Rust type.
    ///
    /// Examples are written as Smithy node values, not as the protocol's JSON: a timestamp may
    /// be RFC 3339 text where awsJson sends epoch seconds, and keys are member names where the
    /// wire may use `jsonName`. `Context::to_wire` converts them.
    pub(super) fn examples(
        &mut self,
        op_id: &str,
        input: Option<&str>,
        output: Option<&str>,
        traits: &Traits,
    ) -> Result<Vec<ExampleIr>, Error> {
        let empty = || Value::Object(Default::default());
        let mut examples = Vec::new();
        for example in traits.examples() {
            let title = example
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or("example");
            let error = match example.get("error") {
                None => None,
                Some(error) => {
                    let shape_id =
                        error
                            .get("shapeId")
                            .and_then(Value::as_str)
                            .ok_or_else(|| {
                                Error::shape(
                                    op_id,
                                    format!("example `{title}` has an error without shapeId"),
                                )
                            })?;
                    let type_name = self.named_type(shape_id, op_id)?.0;
                    let content = error.get("content").cloned().unwrap_or_else(empty);
                    Some((type_name, self.to_wire(&content, Some(shape_id))))
                }
            };
            let example_input = example.get("input").cloned().unwrap_or_else(empty);
            examples.push(ExampleIr {
                title: self.settings.documentation.then(|| title.to_string()),
                input: self.to_wire(&example_input, input),
                output: example.get("output").map(|o| self.to_wire(o, output)),
                error,
            });
        }
        Ok(examples)
    }

    /// A node value of the shape `target` in its awsJson form. Values that do not fit the
    /// shape are left as they are (the example test then shows the mismatch).
    fn to_wire(&self, value: &Value, target: Option<&str>) -> Value {
        self.wire_value(value, target, true)
    }

    /// `to_wire` for a top-level value (`top`) or one nested inside it: nested structures leave
    /// out number and boolean members at their zero default, as the generated serializers do.
    fn wire_value(&self, value: &Value, target: Option<&str>, top: bool) -> Value {
        let Some(target) = target.filter(|t| *t != UNIT) else {
            return value.clone();
        };
        if let Some(format) = self.timestamp_format(target, &Traits::default()) {
            return timestamp_to_wire(value, format);
        }
        // A blob's node value is its text; the wire carries base64.
        if let (Some(Shape::Blob(_)), Value::String(text)) = (
            prelude(target).or_else(|| self.model.shapes.get(target).cloned()),
            value,
        ) {
            return Value::String(base64(text.as_bytes()));
        }
        // A float's wire form is a float: an example's `75` is sent as `75.0`.
        if let (Some(Shape::Float(_) | Shape::Double(_)), Value::Number(n)) = (
            prelude(target).or_else(|| self.model.shapes.get(target).cloned()),
            value,
        ) {
            if !n.is_f64() {
                if let Some(float) = n.as_f64().and_then(serde_json::Number::from_f64) {
                    return Value::Number(float);
                }
            }
        }
        let Some(shape) = self.model.shapes.get(target) else {
            return value.clone();
        };
        // A member's value: its own timestamp format wins over its target's.
        let member_value = |item: &Value, member_target: &str, member_traits: &Traits| match self
            .timestamp_format(member_target, member_traits)
        {
            Some(format) => timestamp_to_wire(item, format),
            None => self.wire_value(item, Some(member_target), false),
        };
        match (shape, value) {
            (Shape::Structure(_) | Shape::Union(_), Value::Object(object)) => {
                let Ok(members) = self.flatten_members(target, shape) else {
                    return value.clone();
                };
                let mut wire = Map::new();
                for (key, item) in object {
                    match members.iter().find(|(name, _)| name == key) {
                        Some((_, member)) if !top && self.omitted_at_default(member, item) => {}
                        Some((name, member)) => {
                            let wire_key = member.traits.json_name().unwrap_or(name);
                            wire.insert(
                                wire_key.to_string(),
                                member_value(item, &member.target, &member.traits),
                            );
                        }
                        None => {
                            wire.insert(key.clone(), item.clone());
                        }
                    }
                }
                Value::Object(wire)
            }
            (Shape::List(c) | Shape::Set(c), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|item| member_value(item, &c.member.target, &c.member.traits))
                    .collect(),
            ),
            (Shape::Map(m), Value::Object(entries)) => Value::Object(
                entries
                    .iter()
                    .map(|(key, item)| {
                        (
                            key.clone(),
                            member_value(item, &m.value.target, &m.value.traits),
                        )
                    })
                    .collect(),
            ),
            _ => value.clone(),
        }
    }

    /// A nested structure's number or boolean member holding its zero default, which the
    /// generated serializer leaves out.
    fn omitted_at_default(&self, member: &crate::model::Member, value: &Value) -> bool {
        prelude(&member.target)
            .or_else(|| self.model.shapes.get(&member.target).cloned())
            .is_some_and(|target| is_zero_value(value) && omitted_at_zero_default(member, &target))
    }

    /// The wire format of a timestamp (`None` when the target is not a timestamp).
    fn timestamp_format(&self, target: &str, member_traits: &Traits) -> Option<&'static str> {
        let shape = prelude(target).or_else(|| self.model.shapes.get(target).cloned())?;
        let Shape::Timestamp(t) = shape else {
            return None;
        };
        Some(
            match member_traits
                .timestamp_format()
                .or_else(|| t.traits.timestamp_format())
            {
                Some("date-time") => "date-time",
                Some("http-date") => "http-date",
                _ => "epoch-seconds",
            },
        )
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An example timestamp in the wire format: RFC 3339 text becomes epoch seconds where the wire
/// wants a number; anything else is kept.
fn timestamp_to_wire(value: &Value, format: &str) -> Value {
    match (format, value) {
        ("epoch-seconds", Value::String(text)) => {
            rfc3339_to_epoch_seconds(text).unwrap_or_else(|| value.clone())
        }
        _ => value.clone(),
    }
}

/// `2019-05-06T11:21:46.199Z` (or with an offset) as epoch seconds, a JSON integer or decimal.
fn rfc3339_to_epoch_seconds(text: &str) -> Option<Value> {
    let (date, time) = text.split_once(['T', 't'])?;
    let mut date_parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (
        date_parts.next()??,
        date_parts.next()??,
        date_parts.next()??,
    );
    let (clock, offset_seconds) = match time.strip_suffix(['Z', 'z']) {
        Some(clock) => (clock, 0),
        None => {
            let at = time.rfind(['+', '-'])?;
            let (clock, offset) = time.split_at(at);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (h, m) = offset[1..].split_once(':')?;
            (
                clock,
                sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60),
            )
        }
    };
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut clock_parts = whole.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (
        clock_parts.next()??,
        clock_parts.next()??,
        clock_parts.next()??,
    );
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's `days_from_civil`).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        Some(Value::from(seconds))
    } else {
        format!("{seconds}.{fraction}")
            .parse::<f64>()
            .ok()
            .map(Value::from)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{base64, rfc3339_to_epoch_seconds};

    #[test]
    fn blob_text_becomes_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"badrefer1"), "YmFkcmVmZXIx");
    }
    use crate::normalize::tests::{normalize_json, normalize_model};

    #[test]
    fn rfc3339_text_becomes_epoch_seconds() {
        assert_eq!(
            rfc3339_to_epoch_seconds("1970-01-01T00:00:00Z"),
            Some(json!(0))
        );
        assert_eq!(
            rfc3339_to_epoch_seconds("2019-05-06T11:21:46.199Z"),
            Some(json!(1557141706.199))
        );
        assert_eq!(
            rfc3339_to_epoch_seconds("2018-01-19T12:06:13+01:00"),
            Some(json!(1516359973))
        );
        assert_eq!(rfc3339_to_epoch_seconds("yesterday"), None);
    }

    #[test]
    fn example_timestamps_and_json_names_take_their_wire_form() {
        let krate = normalize_model(
            r#", "a#Times": {"type": "list", "member": {"target": "smithy.api#Timestamp"}}"#,
            r#""when": {"target": "smithy.api#Timestamp"}, "text": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "date-time"}},
                "times": {"target": "a#Times"}, "renamed": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "Renamed"}}"#,
            r#""traits": {"smithy.api#examples": [{"title": "t", "input": {"when": "1970-01-01T00:01:00Z", "text": "1970-01-01T00:01:00Z", "times": ["1970-01-01T00:00:01Z"], "renamed": "x"}}]}"#,
        );
        assert_eq!(
            krate.operations[0].examples[0].input,
            json!({"when": 60, "text": "1970-01-01T00:01:00Z", "times": [1], "Renamed": "x"})
        );
    }

    #[test]
    fn example_floats_are_floats_and_nested_zero_defaults_are_left_out() {
        let krate = normalize_model(
            r#", "a#Policy": {"type": "structure", "members": {
                    "target": {"target": "smithy.api#Double"},
                    "cooldown": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                    "enabled": {"target": "smithy.api#Boolean", "traits": {"smithy.api#default": false}},
                    "floor": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0, "smithy.api#required": {}}}}}"#,
            r#""policy": {"target": "a#Policy"}, "count": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}}"#,
            r#""traits": {"smithy.api#examples": [{"title": "t", "input": {"count": 0, "policy": {"target": 75, "cooldown": 0, "enabled": false, "floor": 0}}}]}"#,
        );
        let input = &krate.operations[0].examples[0].input;
        // Top-level input members are optional and sent as set; a nested zero default is not.
        assert_eq!(
            input,
            &json!({"count": 0, "policy": {"target": 75.0, "floor": 0}})
        );
        assert!(input["policy"]["target"].is_f64());
    }

    #[test]
    fn examples_keep_input_output_and_the_error_type() {
        let krate = normalize_json(
            r#""traits": {"smithy.api#examples": [
                {"title": "Get one", "input": {"name": "a"}, "output": {"size": 3}},
                {"title": "Missing", "input": {"name": "b"}, "error": {"shapeId": "a#NotFound", "content": {"message": "gone"}}},
                {"title": "No input"}
            ]}"#,
        );
        let examples = &krate.operations[0].examples;
        assert_eq!(examples.len(), 3);
        assert_eq!(examples[0].title.as_deref(), Some("Get one"));
        assert_eq!(examples[0].input, json!({"name": "a"}));
        assert_eq!(examples[0].output, Some(json!({"size": 3})));
        assert_eq!(
            examples[1].error,
            Some(("NotFound".to_string(), json!({"message": "gone"})))
        );
        assert_eq!(examples[2].input, json!({}));
        assert_eq!(examples[2].output, None);
    }
}
