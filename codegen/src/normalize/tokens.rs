//! Idempotency tokens below the top-level input: which members hold structures or unions with
//! `@idempotencyToken` members inside, at any depth, so the send path fills those too (as the
//! AWS SDK for Java does; the corpus has none today, but Smithy allows them).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{OperationIr, Role, RustType, TypeDecl};
use crate::model::ShapeId;

/// Sets `contains_tokens` on every member (of the types and of the operations' inputs) whose
/// type reaches a structure or union with a token member.
pub(super) fn mark_token_containers(
    types: &mut BTreeMap<ShapeId, TypeDecl>,
    operations: &mut [OperationIr],
) {
    // Named types holding tokens, by Rust name; grown until nothing changes (recursion-safe).
    let mut holders: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = holders.len();
        for decl in types.values() {
            let holds = match decl {
                // Only nested structures get a `FillIdempotencyTokens` impl (emit/structures.rs).
                TypeDecl::Struct(s) if s.role != Role::Shared => false,
                TypeDecl::Struct(s) => s
                    .members
                    .iter()
                    .any(|m| m.idempotency_token || reaches(&m.ty, &holders)),
                TypeDecl::Union(u) => u.variants.iter().any(|v| reaches(&v.ty, &holders)),
                TypeDecl::Enum(_) | TypeDecl::IntEnum(_) => false,
            };
            if holds {
                holders.insert(decl.name().to_string());
            }
        }
        if holders.len() == before {
            break;
        }
    }
    for decl in types.values_mut() {
        match decl {
            TypeDecl::Struct(s) => s
                .members
                .iter_mut()
                .for_each(|m| m.contains_tokens = reaches(&m.ty, &holders)),
            TypeDecl::Union(u) => u
                .variants
                .iter_mut()
                .for_each(|v| v.contains_tokens = reaches(&v.ty, &holders)),
            TypeDecl::Enum(_) | TypeDecl::IntEnum(_) => {}
        }
    }
    for op in operations {
        for m in &mut op.input.members {
            m.contains_tokens = reaches(&m.ty, &holders);
        }
    }
}

/// Whether a value of `ty` can hold one of `holders`.
fn reaches(ty: &RustType, holders: &BTreeSet<String>) -> bool {
    match ty {
        RustType::Named { name, .. } => holders.contains(name),
        RustType::List { item, .. } => reaches(item, holders),
        RustType::Map { value, .. } => reaches(value, holders),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{MemberIr, TypeDecl};
    use crate::normalize::tests::normalize_model;

    fn member<'a>(krate: &'a crate::ir::Crate, ty: &str, field: &str) -> &'a MemberIr {
        let Some(TypeDecl::Struct(s)) = krate.types.iter().find(|t| t.name() == ty) else {
            panic!("no structure {ty}")
        };
        s.members.iter().find(|m| m.field == field).unwrap()
    }

    #[test]
    fn members_reaching_nested_tokens_are_marked() {
        let krate = normalize_model(
            r#", "a#Job": {"type": "structure", "members": {
                    "token": {"target": "smithy.api#String", "traits": {"smithy.api#idempotencyToken": {}}},
                    "fixed": {"target": "smithy.api#String", "traits": {"smithy.api#idempotencyToken": {}, "smithy.api#required": {}}},
                    "next": {"target": "a#Job"}}},
                "a#Jobs": {"type": "list", "member": {"target": "a#Job"}},
                "a#Plain": {"type": "structure", "members": {"x": {"target": "smithy.api#String"}}},
                "a#Choice": {"type": "union", "members": {"job": {"target": "a#Job"}, "plain": {"target": "a#Plain"}}}"#,
            r#""jobs": {"target": "a#Jobs"}, "choice": {"target": "a#Choice"}, "plain": {"target": "a#Plain"}"#,
            "",
        );
        let token = member(&krate, "Job", "token");
        assert!(token.idempotency_token);
        // A required token is the caller's to set: nothing to fill.
        assert!(!member(&krate, "Job", "fixed").idempotency_token);
        assert!(member(&krate, "Job", "next").contains_tokens);
        let input = &krate.operations[0].input;
        let marked: Vec<(&str, bool)> = input
            .members
            .iter()
            .map(|m| (m.field.as_str(), m.contains_tokens))
            .collect();
        assert_eq!(
            marked,
            [
                ("name", false),
                ("jobs", true),
                ("choice", true),
                ("plain", false)
            ]
        );
        let Some(TypeDecl::Union(choice)) = krate.types.iter().find(|t| t.name() == "Choice")
        else {
            panic!()
        };
        let variants: Vec<bool> = choice.variants.iter().map(|v| v.contains_tokens).collect();
        assert_eq!(variants, [true, false]);
    }
}
