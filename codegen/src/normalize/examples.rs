//! Examples: `smithy.api#examples` on an operation, converted for the example tests.

use serde_json::Value;

use super::Context;
use crate::error::Error;
use crate::ir::ExampleIr;
use crate::model::Traits;

impl Context<'_> {
    /// The operation's examples; an example error names its structure's Rust type.
    pub(super) fn examples(
        &mut self,
        op_id: &str,
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
                    Some((
                        type_name,
                        error.get("content").cloned().unwrap_or_else(empty),
                    ))
                }
            };
            examples.push(ExampleIr {
                title: self.settings.documentation.then(|| title.to_string()),
                input: example.get("input").cloned().unwrap_or_else(empty),
                output: example.get("output").cloned(),
                error,
            });
        }
        Ok(examples)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::normalize::tests::normalize_json;

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
