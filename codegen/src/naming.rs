//! Naming: the one place that turns Smithy names into Rust names.
//!
//! Every function here returns a name that is a valid, non-colliding Rust identifier; the wire name
//! is kept beside it by the caller. Emitters never convert case themselves.

use std::collections::{BTreeMap, BTreeSet};

/// Words Rust reserves (strict and reserved keywords of the 2021 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Type names that would shadow the prelude or the names the generated crate defines itself.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Blob",
    "Box",
    "Builder",
    "Client",
    "Config",
    "DateTime",
    "Document",
    "Error",
    "Option",
    "Result",
    "SdkError",
    "Self",
    "String",
    "Unhandled",
    "UnknownValue",
    "Vec",
];

/// Methods every generated structure or builder defines, which a member accessor must not shadow.
const RESERVED_METHODS: &[&str] = &["build", "builder", "meta", "request_id", "send"];

/// Splits a Smithy name into lower-case words: `repositoryArn` → `repository`, `arn`;
/// `KMS_DSSE` → `kms`, `dsse`; `HTTPServer2Name` → `http`, `server2`, `name`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            // `ARNs`, `IDs`: a plural `s` stays with its acronym.
            let plural_s = chars.get(i + 1) == Some(&'s')
                && chars.get(i + 2).is_none_or(|n| !n.is_ascii_lowercase());
            let next_is_lower =
                !plural_s && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // A new word starts at `aB`, `1B` and at the last capital of an acronym before a lower-case letter (`HTTPServer`).
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit() && current.chars().any(|c| c.is_ascii_lowercase())
                || prev.is_ascii_uppercase() && next_is_lower
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case` for fields, methods, modules and files; keywords are made raw (`r#type`) or suffixed.
pub fn snake_case(name: &str) -> String {
    let mut snake = words(name).join("_");
    if snake.is_empty() {
        snake.push_str("value");
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    snake
}

/// `PascalCase` for types and enum variants: `IMMUTABLE_WITH_EXCLUSION` → `ImmutableWithExclusion`.
pub fn pascal_case(name: &str) -> String {
    let mut pascal: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if pascal.is_empty() || pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'V');
    }
    pascal
}

/// Whether `ident` must be escaped to be used as an identifier.
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// An identifier as it is written in Rust source: keywords become raw (`r#type`), or get a
/// `_value` suffix where raw identifiers are not allowed (`self`, `crate`, `super`).
pub fn escape_ident(ident: &str) -> String {
    if NOT_RAW.contains(&ident) {
        format!("{ident}_value")
    } else if is_keyword(ident) {
        format!("r#{ident}")
    } else {
        ident.to_string()
    }
}

/// The Rust type name for a shape name (the part after `#`, or the service's `rename`).
pub fn type_name(shape_name: &str) -> String {
    let name = pascal_case_keep(shape_name);
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// Shape names are PascalCase already; keep their spelling (`ECRRepository` stays) and only make
/// them valid identifiers.
fn pascal_case_keep(shape_name: &str) -> String {
    let mut name: String = shape_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if let Some(first) = name.chars().next() {
        if first.is_ascii_lowercase() {
            name.replace_range(0..1, &first.to_ascii_uppercase().to_string());
        }
    }
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// The builder type of a structure: `RepositoryBuilder`.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// Methods of the generated `Client` itself, which an operation's method must not shadow.
const CLIENT_METHODS: &[&str] = &["new", "from_env", "config", "service_client"];

/// The client method of an operation: `delete_repository`; keywords raw, the client's own
/// methods suffixed (`config_operation`).
pub fn operation_fn_name(operation: &str) -> String {
    let snake = snake_case(operation);
    if CLIENT_METHODS.contains(&snake.as_str()) {
        format!("{snake}_operation")
    } else {
        escape_ident(&snake)
    }
}

/// The fluent builder an operation's client method returns: `DeleteRepositoryFluentBuilder`.
pub fn fluent_builder_name(operation: &str) -> String {
    format!("{operation}FluentBuilder")
}

/// An operation's input structure: `DeleteRepositoryInput`.
pub fn input_name(operation: &str) -> String {
    format!("{operation}Input")
}

/// An operation's output structure: `DeleteRepositoryOutput`.
pub fn output_name(operation: &str) -> String {
    format!("{operation}Output")
}

/// An operation's error enum: `DeleteRepositoryError`. It lives in the operation's own module, so
/// a model shape of the same name (in `types` or `error`) does not collide with it.
pub fn error_enum_name(operation: &str) -> String {
    format!("{operation}Error")
}

/// The `is_` predicate of an error variant or union member: `is_repository_not_found_exception`.
pub fn is_fn_name(name: &str) -> String {
    format!("is_{}", snake_case(name))
}

/// The `as_` accessor of a union member: `as_text`.
pub fn as_fn_name(name: &str) -> String {
    format!("as_{}", snake_case(name))
}

/// A module (and file) name for a type or operation: `snake_case`, with a `_` suffix where the
/// plain name is a keyword (`type`, `trait`) or `mod` (the directory's own `mod.rs`).
pub fn module_name(name: &str) -> String {
    let snake = snake_case(name);
    if is_keyword(&snake) || NOT_RAW.contains(&snake.as_str()) || snake == "mod" {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The Rust names of one named shape (structure, union, enum or intEnum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeNames {
    /// The type: `Repository`.
    pub name: String,
    /// Its builder (structures only): `RepositoryBuilder`.
    pub builder: Option<String>,
    /// Its private module and file: `repository`.
    pub module: String,
}

/// A named shape to name: its id, its name (after `#`, or the service's rename), whether it gets
/// a builder, and the directory its file goes to (`types`, `error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRequest<'a> {
    pub shape_id: &'a str,
    pub shape_name: &'a str,
    pub has_builder: bool,
    pub dir: &'static str,
}

/// Names every named shape at once, so collisions resolve the same way whatever is selected.
///
/// Types and builders share one namespace (both are re-exported side by side). Model shapes
/// win: every type takes its name first, in shape-id order, then builders take `{Name}Builder`,
/// or `{Name}StructBuilder` where a model shape is called `{Name}Builder`. Files are unique per
/// directory. Remaining ties (two shapes whose names differ only in case or punctuation) get a
/// number, in shape-id order.
pub fn assign_type_names(requests: &[NameRequest]) -> BTreeMap<String, TypeNames> {
    let mut sorted: Vec<&NameRequest> = requests.iter().collect();
    sorted.sort_by_key(|r| r.shape_id);
    let mut taken: BTreeSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    let names: Vec<String> = sorted
        .iter()
        .map(|r| unique(type_name(r.shape_name), &mut taken))
        .collect();
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (request, name) in sorted.iter().zip(names) {
        let builder = request.has_builder.then(|| {
            let plain = builder_name(&name);
            let candidate = if taken.contains(&plain) {
                format!("{name}StructBuilder")
            } else {
                plain
            };
            unique(candidate, &mut taken)
        });
        let module = module_name(&name);
        let file = unique_with(format!("{}/{module}", request.dir), &mut files, "_");
        let module = file.rsplit('/').next().unwrap_or(&module).to_string();
        out.insert(
            request.shape_id.to_string(),
            TypeNames {
                name,
                builder,
                module,
            },
        );
    }
    out
}

/// A builder's `set_` method for a member (from its unescaped snake name).
pub fn setter_name(base: &str) -> String {
    format!("set_{base}")
}

/// A builder's `get_` method for a member (from its unescaped snake name).
pub fn getter_name(base: &str) -> String {
    format!("get_{base}")
}

/// Member names of one structure, in order: `snake_case`, not shadowing the generated methods,
/// and unique even when two wire names meet after case conversion (`fooBar` and `foo_bar`).
pub fn member_names<'a>(wire_names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    wire_names
        .into_iter()
        .map(|wire| {
            let mut name = snake_case(wire);
            if RESERVED_METHODS.contains(&name.as_str())
                || name.starts_with("set_")
                || name.starts_with("get_")
            {
                name.push_str("_value");
            }
            unique(name, &mut taken)
        })
        .collect()
}

/// Enum variant names, in order, unique after case conversion (`a-b` and `A_B` both want `AB`).
pub fn variant_names<'a>(member_names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::from(["Unknown".to_string()]);
    member_names
        .into_iter()
        .map(|member| {
            let mut name = pascal_case(member);
            if name == "SelfValue" || name == "Self" {
                name = "SelfValue".to_string();
            }
            unique(name, &mut taken)
        })
        .collect()
}

fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    unique_with(name, taken, "")
}

fn unique_with(name: String, taken: &mut BTreeSet<String>, separator: &str) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}{separator}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_camel_case_and_acronyms() {
        assert_eq!(snake_case("repositoryArn"), "repository_arn");
        assert_eq!(
            snake_case("imageTagMutabilityExclusionFilters"),
            "image_tag_mutability_exclusion_filters"
        );
        assert_eq!(snake_case("KMS_DSSE"), "kms_dsse");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("DeleteRepository"), "delete_repository");
        assert_eq!(snake_case("ec2InstanceId"), "ec2_instance_id");
        assert_eq!(snake_case("AES256"), "aes256");
        assert_eq!(snake_case("s3Key"), "s3_key");
        assert_eq!(snake_case("ARNs"), "arns");
        assert_eq!(snake_case("imageIDs"), "image_ids");
        assert_eq!(snake_case("IDsList"), "ids_list");
        assert_eq!(snake_case("HTTPSettings"), "http_settings");
    }

    #[test]
    fn pascal_case_from_enum_values() {
        assert_eq!(
            pascal_case("IMMUTABLE_WITH_EXCLUSION"),
            "ImmutableWithExclusion"
        );
        assert_eq!(pascal_case("AES256"), "Aes256");
        assert_eq!(pascal_case("us-east-1"), "UsEast1");
        assert_eq!(pascal_case("2015-09-21"), "V20150921");
        assert_eq!(pascal_case(""), "V");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape_ident("type"), "r#type");
        assert_eq!(escape_ident("self"), "self_value");
        assert_eq!(escape_ident("repository"), "repository");
    }

    #[test]
    fn reserved_type_names_get_a_suffix() {
        assert_eq!(type_name("Repository"), "Repository");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("ECRRepository"), "ECRRepository");
    }

    #[test]
    fn member_names_never_collide() {
        assert_eq!(
            member_names(["fooBar", "foo_bar", "FooBar", "build", "type"]),
            ["foo_bar", "foo_bar2", "foo_bar3", "build_value", "type"]
        );
    }

    #[test]
    fn variant_names_avoid_unknown_and_collisions() {
        assert_eq!(
            variant_names(["UNKNOWN", "a-b", "A_B"]),
            ["Unknown2", "AB", "AB2"]
        );
    }

    fn request<'a>(id: &'a str, builder: bool) -> NameRequest<'a> {
        NameRequest {
            shape_id: id,
            shape_name: id.rsplit('#').next().unwrap(),
            has_builder: builder,
            dir: "types",
        }
    }

    #[test]
    fn keyword_module_names_get_a_suffix() {
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(module_name("Trait"), "trait_");
        assert_eq!(module_name("Mod"), "mod_");
        assert_eq!(module_name("SelfValue"), "self_value");
        assert_eq!(module_name("Repository"), "repository");
    }

    #[test]
    fn a_model_shape_named_like_a_builder_keeps_its_name() {
        let names = assign_type_names(&[
            request("a#AppBlockBuilder", true),
            request("a#AppBlock", true),
        ]);
        assert_eq!(names["a#AppBlock"].name, "AppBlock");
        assert_eq!(
            names["a#AppBlock"].builder.as_deref(),
            Some("AppBlockStructBuilder")
        );
        assert_eq!(names["a#AppBlockBuilder"].name, "AppBlockBuilder");
        assert_eq!(
            names["a#AppBlockBuilder"].builder.as_deref(),
            Some("AppBlockBuilderBuilder")
        );
    }

    #[test]
    fn shapes_sharing_a_file_get_numbered_in_shape_id_order() {
        let names = assign_type_names(&[request("b#ECRThing", true), request("a#EcrThing", true)]);
        assert_eq!(names["a#EcrThing"].module, "ecr_thing");
        assert_eq!(names["b#ECRThing"].module, "ecr_thing_2");
        // Another directory is another namespace for files.
        let mut error = request("c#EcrThingy", true);
        error.dir = "error";
        let names = assign_type_names(&[request("a#ECRThingy", false), error]);
        assert_eq!(names["a#ECRThingy"].module, "ecr_thingy");
        assert_eq!(names["c#EcrThingy"].module, "ecr_thingy");
    }

    #[test]
    fn identical_type_names_are_numbered_and_reserved_names_avoided() {
        let names = assign_type_names(&[request("a#Thing", false), request("b#Thing", false)]);
        assert_eq!(names["a#Thing"].name, "Thing");
        assert_eq!(names["b#Thing"].name, "Thing2");
        let names = assign_type_names(&[request("a#Result", true)]);
        assert_eq!(names["a#Result"].name, "ResultValue");
        assert_eq!(
            names["a#Result"].builder.as_deref(),
            Some("ResultValueBuilder")
        );
    }

    #[test]
    fn operation_names() {
        assert_eq!(input_name("DeleteRepository"), "DeleteRepositoryInput");
        assert_eq!(output_name("DeleteRepository"), "DeleteRepositoryOutput");
        assert_eq!(error_enum_name("DeleteRepository"), "DeleteRepositoryError");
        assert_eq!(is_fn_name("KmsException"), "is_kms_exception");
        assert_eq!(as_fn_name("S3Key"), "as_s3_key");
        assert_eq!(operation_fn_name("DeleteRepository"), "delete_repository");
        assert_eq!(operation_fn_name("Match"), "r#match");
        assert_eq!(operation_fn_name("Config"), "config_operation");
    }
}
