//! Naming: the one place that turns Smithy names into Rust names.
//!
//! Every function here returns a name that is a valid, non-colliding Rust identifier; the wire name
//! is kept beside it by the caller. Emitters never convert case themselves.

use std::collections::BTreeSet;

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

/// The fluent builder an operation's client method returns: `DeleteRepositoryFluentBuilder`.
pub fn fluent_builder_name(operation: &str) -> String {
    format!("{operation}FluentBuilder")
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
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}{n}");
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
}
