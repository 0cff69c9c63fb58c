//! Boxing: recursive members become `Box<T>` so every type has a finite size.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{NamedKind, RustType, TypeDecl};
use crate::model::ShapeId;

/// Boxes every member whose structure or union type leads back to the type holding it without
/// going through a list or map (those allocate already).
pub(super) fn box_recursive_members(types: &mut BTreeMap<ShapeId, TypeDecl>) {
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for decl in types.values() {
        let targets: Vec<String> = match decl {
            TypeDecl::Struct(s) => s
                .members
                .iter()
                .filter_map(|m| direct_target(&m.ty))
                .map(String::from)
                .collect(),
            TypeDecl::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| direct_target(&v.ty))
                .map(String::from)
                .collect(),
            TypeDecl::Enum(_) | TypeDecl::IntEnum(_) => Vec::new(),
        };
        edges.insert(decl.name().to_string(), targets);
    }
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node.clone()) {
                stack.extend(edges.get(&node).into_iter().flatten().cloned());
            }
        }
        false
    };
    for decl in types.values_mut() {
        match decl {
            TypeDecl::Struct(s) => {
                for m in &mut s.members {
                    m.boxed = direct_target(&m.ty).is_some_and(|t| reaches(t, &s.name));
                }
            }
            TypeDecl::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = direct_target(&v.ty).is_some_and(|t| reaches(t, &u.name));
                }
            }
            TypeDecl::Enum(_) | TypeDecl::IntEnum(_) => {}
        }
    }
}

/// The structure or union a member holds inline (not through a collection).
fn direct_target(ty: &RustType) -> Option<&str> {
    match ty {
        RustType::Named {
            name,
            kind: NamedKind::Struct | NamedKind::Union,
        } => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{MemberIr, Presence, Role, StructIr};

    fn member(name: &str, ty: RustType) -> MemberIr {
        MemberIr {
            wire_name: name.into(),
            field: name.into(),
            base: name.into(),
            setter: format!("set_{name}"),
            getter: format!("get_{name}"),
            is_error_message: false,
            docs: None,
            ty,
            boxed: false,
            presence: Presence::Optional,
            required: false,
            sensitive: false,
            idempotency_token: false,
            contains_tokens: false,
            omit_default_on_write: false,
        }
    }

    fn structure(name: &str, members: Vec<MemberIr>) -> (ShapeId, TypeDecl) {
        (
            format!("a#{name}"),
            TypeDecl::Struct(StructIr {
                shape_id: format!("a#{name}"),
                name: name.into(),
                builder: format!("{name}Builder"),
                module: name.to_lowercase(),
                role: Role::Shared,
                docs: None,
                members,
            }),
        )
    }

    fn named(name: &str) -> RustType {
        RustType::Named {
            name: name.into(),
            kind: NamedKind::Struct,
        }
    }

    fn boxed(types: &BTreeMap<ShapeId, TypeDecl>, id: &str) -> Vec<bool> {
        match &types[id] {
            TypeDecl::Struct(s) => s.members.iter().map(|m| m.boxed).collect(),
            _ => panic!(),
        }
    }

    #[test]
    fn cycles_through_direct_members_are_boxed_and_collections_are_not() {
        let mut types = BTreeMap::from([
            // Node -> Node directly; Node -> Leaf (no way back).
            structure(
                "Node",
                vec![member("next", named("Node")), member("leaf", named("Leaf"))],
            ),
            structure("Leaf", vec![member("v", RustType::String)]),
            // A -> B -> A: both sides boxed.
            structure("A", vec![member("b", named("B"))]),
            structure("B", vec![member("a", named("A"))]),
            // Tree -> [Tree]: the list allocates already.
            structure(
                "Tree",
                vec![member(
                    "children",
                    RustType::List {
                        item: Box::new(named("Tree")),
                        sparse: false,
                    },
                )],
            ),
        ]);
        box_recursive_members(&mut types);
        assert_eq!(boxed(&types, "a#Node"), [true, false]);
        assert_eq!(boxed(&types, "a#A"), [true]);
        assert_eq!(boxed(&types, "a#B"), [true]);
        assert_eq!(boxed(&types, "a#Tree"), [false]);
        assert_eq!(boxed(&types, "a#Leaf"), [false]);
    }
}
