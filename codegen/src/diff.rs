//! Model diff: what changed between two versions of a Smithy model, read as a user of the
//! generated Rust code would care, for review before the generated-code diff.
//!
//! Both models are loaded ([`Model`]); the scope is the closure of the selected operations in
//! either model (the operations as the generator selects them, their input, output and errors,
//! the service's errors, and every shape reachable from those). Each change is classified:
//!
//! - **breaking**: code that compiled and worked may no longer compile or may now fail: a removed
//!   operation, shape, member or enum value, a type change, a member becoming required (or a field
//!   switching between `Option<T>` and `T`), a removed error, a changed protocol;
//! - **dangerous**: code still compiles but may behave differently: a new enum value or union
//!   variant (responses may carry it), a new error, a changed wire name, default or timestamp
//!   format, a changed endpoint rule set;
//! - **safe**: additions and documentation.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::error::Error;
use crate::model::{Member, Model, Service, Shape, ShapeId, Traits};
use crate::normalize::{all_operations, select_operations, select_service, shape_name};
use crate::Settings;

const UNIT: &str = "smithy.api#Unit";
const DOCUMENTATION: &str = "smithy.api#documentation";
const REQUIRED: &str = "smithy.api#required";
const DEFAULT: &str = "smithy.api#default";
const ENUM_VALUE: &str = "smithy.api#enumValue";

/// How a change affects users of the generated code. Ordered from worst to mildest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Code that compiled and worked may stop compiling or start failing.
    Breaking,
    /// Code still compiles, but may see values or behaviour it did not see before.
    Dangerous,
    /// Additions and documentation.
    Safe,
}

impl Severity {
    /// `breaking`, `dangerous` or `safe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Dangerous => "dangerous",
            Severity::Safe => "safe",
        }
    }

    /// Parses [`Severity::as_str`]'s spelling.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "breaking" => Some(Severity::Breaking),
            "dangerous" => Some(Severity::Dangerous),
            "safe" => Some(Severity::Safe),
            _ => None,
        }
    }
}

/// What kind of change it is (the summary counts by kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    /// An operation lists a new error.
    ErrorAdded,
    /// An operation no longer lists an error.
    ErrorRemoved,
    /// An operation's input or output is another structure.
    OperationIoChanged,
    ShapeAdded,
    ShapeRemoved,
    /// A shape of another type (`string` → `enum`, `structure` → `union`, ...).
    ShapeTypeChanged,
    /// A structure member or union variant added.
    MemberAdded,
    MemberRemoved,
    /// A member (or a list element, map key or value) holds another type.
    MemberTypeChanged,
    /// A member became required.
    MemberRequired,
    /// A member is no longer required.
    MemberNoLongerRequired,
    EnumValueAdded,
    EnumValueRemoved,
    /// An enum member keeps its name but has another value on the wire.
    EnumValueChanged,
    /// A trait other than documentation added, removed or changed (wire names, defaults,
    /// constraints, deprecation, ...).
    TraitChanged,
    /// Documentation of the shape or of its members.
    DocumentationChanged,
    /// The service shape: protocol, endpoint rules, service-wide errors, renames.
    Service,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    pub kind: ChangeKind,
    /// The shape it is about.
    pub shape: ShapeId,
    /// The shape's type (`structure`, `operation`, ...), in the new model when it has it.
    pub shape_type: &'static str,
    /// The member it is about, if any.
    pub member: Option<String>,
    /// What changed, in a sentence fragment (Markdown).
    pub detail: String,
}

/// Which part of the models to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// The service shape id; `None` when each model has exactly one service.
    pub service: Option<String>,
    /// Operation names to compare (with their closure); `None` for all.
    pub operations: Option<Vec<String>>,
}

/// Counts of one category of change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// The numbers a reviewer reads first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Operations in scope.
    pub operations: Counts,
    /// Shapes in scope other than the service (operations included).
    pub shapes: Counts,
    /// Members of structures and unions present in both models (`changed`: members with a
    /// change other than documentation).
    pub members: Counts,
    /// Values of enums present in both models.
    pub enum_values: Counts,
    /// Errors listed by operations present in both models (`added`: operations' new errors).
    pub operation_errors: Counts,
}

/// Every change between two models, sorted by severity, then by shape and member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelDiff {
    /// The service shape id (in the new model).
    pub service: ShapeId,
    /// The selected operations, `None` for all.
    pub operations: Option<Vec<String>>,
    pub changes: Vec<Change>,
}

/// Compares two models within the closure of the selected operations.
pub fn diff(old: &Model, new: &Model, options: &DiffOptions) -> Result<ModelDiff, Error> {
    let settings = Settings {
        service: options.service.clone(),
        operations: None,
        ..Settings::default()
    };
    let old_side = Side::new(old, &settings)?;
    let new_side = Side::new(new, &settings)?;
    let selected: Option<BTreeSet<String>> = match &options.operations {
        None => None,
        Some(names) => {
            for name in names {
                if !old_side.operations.contains_key(name)
                    && !new_side.operations.contains_key(name)
                {
                    return Err(Error::shape(
                        &new_side.service_id,
                        format!("neither model's service has an operation named `{name}`"),
                    ));
                }
            }
            Some(names.iter().cloned().collect())
        }
    };
    let old_scope = old_side.scope(selected.as_ref());
    let new_scope = new_side.scope(selected.as_ref());

    let mut cx = DiffCx {
        old: &old_side,
        new: &new_side,
        changes: Vec::new(),
        namespace: namespace(&new_side.service_id).to_string(),
    };
    cx.service();
    cx.operations(selected.as_ref());

    let in_scope: BTreeSet<&ShapeId> = old_scope.closure.iter().chain(&new_scope.closure).collect();
    for id in in_scope {
        let before = old_scope.closure.contains(id).then(|| &old.shapes[id]);
        let after = new_scope.closure.contains(id).then(|| &new.shapes[id]);
        match (before, after) {
            (Some(Shape::Operation(_)), _) | (_, Some(Shape::Operation(_))) => {}
            (None, Some(shape)) => cx.push(
                Severity::Safe,
                ChangeKind::ShapeAdded,
                id,
                shape.type_name(),
                None,
                format!("{} added", shape.type_name()),
            ),
            (Some(shape), None) => {
                let detail = if new.shapes.contains_key(id) {
                    format!(
                        "{} no longer reachable from the selected operations: its Rust type is gone",
                        shape.type_name()
                    )
                } else {
                    format!("{} removed: its Rust type is gone", shape.type_name())
                };
                cx.push(
                    Severity::Breaking,
                    ChangeKind::ShapeRemoved,
                    id,
                    shape.type_name(),
                    None,
                    detail,
                )
            }
            (Some(before), Some(after)) => {
                let input_only = old_scope.input_only(id) && new_scope.input_only(id);
                cx.shape(id, before, after, input_only)
            }
            (None, None) => unreachable!("the id comes from one of the closures"),
        }
    }
    cx.changes.sort_by(|a, b| {
        (a.severity, &a.shape, &a.member, a.kind, &a.detail)
            .cmp(&(b.severity, &b.shape, &b.member, b.kind, &b.detail))
    });
    Ok(ModelDiff {
        service: new_side.service_id.clone(),
        operations: options.operations.clone(),
        changes: cx.changes,
    })
}

impl ModelDiff {
    /// The changes of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.severity == severity)
    }

    /// Whether any change is at least as bad as `threshold` (for `--fail-on`).
    pub fn has_at_least(&self, threshold: Severity) -> bool {
        self.changes.iter().any(|c| c.severity <= threshold)
    }

    /// The counts by category.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        let mut changed_shapes = BTreeSet::new();
        let mut changed_operations = BTreeSet::new();
        let mut changed_members = BTreeSet::new();
        for change in &self.changes {
            match change.kind {
                ChangeKind::OperationAdded => {
                    summary.operations.added += 1;
                    summary.shapes.added += 1;
                }
                ChangeKind::OperationRemoved => {
                    summary.operations.removed += 1;
                    summary.shapes.removed += 1;
                }
                ChangeKind::ShapeAdded => summary.shapes.added += 1,
                ChangeKind::ShapeRemoved => summary.shapes.removed += 1,
                ChangeKind::MemberAdded => summary.members.added += 1,
                ChangeKind::MemberRemoved => summary.members.removed += 1,
                ChangeKind::EnumValueAdded => summary.enum_values.added += 1,
                ChangeKind::EnumValueRemoved => summary.enum_values.removed += 1,
                ChangeKind::EnumValueChanged => summary.enum_values.changed += 1,
                ChangeKind::ErrorAdded => summary.operation_errors.added += 1,
                ChangeKind::ErrorRemoved => summary.operation_errors.removed += 1,
                ChangeKind::Service
                | ChangeKind::OperationIoChanged
                | ChangeKind::ShapeTypeChanged
                | ChangeKind::MemberTypeChanged
                | ChangeKind::MemberRequired
                | ChangeKind::MemberNoLongerRequired
                | ChangeKind::TraitChanged
                | ChangeKind::DocumentationChanged => {}
            }
            let structural = !matches!(
                change.kind,
                ChangeKind::OperationAdded
                    | ChangeKind::OperationRemoved
                    | ChangeKind::ShapeAdded
                    | ChangeKind::ShapeRemoved
                    | ChangeKind::Service
            );
            if structural {
                changed_shapes.insert(&change.shape);
                if change.shape_type == "operation" {
                    changed_operations.insert(&change.shape);
                }
                if let Some(member) = &change.member {
                    if !matches!(
                        change.kind,
                        ChangeKind::MemberAdded
                            | ChangeKind::MemberRemoved
                            | ChangeKind::EnumValueAdded
                            | ChangeKind::EnumValueRemoved
                            | ChangeKind::EnumValueChanged
                            | ChangeKind::DocumentationChanged
                    ) && !matches!(change.shape_type, "enum" | "intEnum")
                    {
                        changed_members.insert((&change.shape, member));
                    }
                }
            }
        }
        summary.shapes.changed = changed_shapes.len();
        summary.operations.changed = changed_operations.len();
        summary.members.changed = changed_members.len();
        summary
    }

    /// The diff as Markdown for a pull request: a headline, the counts, then the changes by
    /// severity (the safe ones folded).
    pub fn to_markdown(&self, old_name: &str, new_name: &str) -> String {
        let service_namespace = namespace(&self.service).to_string();
        let display = |c: &Change| {
            let shape = if namespace(&c.shape) == service_namespace {
                shape_name(&c.shape).to_string()
            } else {
                c.shape.clone()
            };
            match &c.member {
                Some(member) => format!("`{shape}${member}`"),
                None => format!("`{shape}`"),
            }
        };
        let count = |s: Severity| self.of(s).count();
        let (breaking, dangerous, safe) = (
            count(Severity::Breaking),
            count(Severity::Dangerous),
            count(Severity::Safe),
        );
        let mut out = String::new();
        let _ = writeln!(out, "## Model diff: `{old_name}` → `{new_name}`\n");
        let scope = match &self.operations {
            None => "every operation".to_string(),
            Some(ops) => format!(
                "{} and what they reach",
                ops.iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let _ = writeln!(out, "Service `{}`, {scope}.\n", self.service);
        let headline = match (breaking, dangerous, safe) {
            (0, 0, 0) => "No changes that affect the generated code.".to_string(),
            (0, d, s) => format!("No breaking changes; {d} dangerous, {s} safe."),
            (b, d, s) => format!("**{b} breaking**, {d} dangerous, {s} safe."),
        };
        let _ = writeln!(out, "{headline}\n");
        let summary = self.summary();
        let _ = writeln!(out, "| | added | removed | changed |");
        let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
        for (name, counts) in [
            ("operations", summary.operations),
            ("shapes", summary.shapes),
            ("members", summary.members),
            ("enum values", summary.enum_values),
            ("operation errors", summary.operation_errors),
        ] {
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} |",
                counts.added, counts.removed, counts.changed
            );
        }
        for (severity, title) in [
            (Severity::Breaking, "Breaking"),
            (Severity::Dangerous, "Dangerous"),
            (Severity::Safe, "Safe"),
        ] {
            let n = count(severity);
            if n == 0 {
                continue;
            }
            if severity == Severity::Safe {
                let _ = writeln!(out, "\n<details><summary>{title} ({n})</summary>\n");
            } else {
                let _ = writeln!(out, "\n### {title} ({n})\n");
            }
            for change in self.of(severity) {
                let _ = writeln!(out, "- {}: {}", display(change), change.detail);
            }
            if severity == Severity::Safe {
                let _ = writeln!(out, "\n</details>");
            }
        }
        out
    }
}

/// One model with its service and operations.
struct Side<'m> {
    model: &'m Model,
    service_id: ShapeId,
    service: &'m Service,
    /// Operation name → shape id.
    operations: BTreeMap<String, ShapeId>,
}

/// The shapes the selected operations reach in one model.
struct Scope {
    closure: BTreeSet<ShapeId>,
    /// Structures used as an operation input.
    inputs: BTreeSet<ShapeId>,
    /// Structures also reached as a member (so not only inputs).
    nested: BTreeSet<ShapeId>,
}

impl Scope {
    /// Used only as an operation input, where every generated field is an `Option`.
    fn input_only(&self, id: &str) -> bool {
        self.inputs.contains(id) && !self.nested.contains(id)
    }
}

impl<'m> Side<'m> {
    fn new(model: &'m Model, settings: &Settings) -> Result<Side<'m>, Error> {
        let (service_id, service) = select_service(model, settings)?;
        let all = all_operations(model, &service_id, service)?;
        let operations = select_operations(&all, &service_id, settings)?
            .into_iter()
            .map(|id| (shape_name(&id).to_string(), id))
            .collect();
        Ok(Side {
            model,
            service_id,
            service,
            operations,
        })
    }

    fn selected_operations<'a>(
        &'a self,
        selected: Option<&'a BTreeSet<String>>,
    ) -> impl Iterator<Item = &'a ShapeId> + 'a {
        self.operations
            .iter()
            .filter(move |(name, _)| selected.is_none_or(|s| s.contains(*name)))
            .map(|(_, id)| id)
    }

    fn scope(&self, selected: Option<&BTreeSet<String>>) -> Scope {
        let mut scope = Scope {
            closure: BTreeSet::new(),
            inputs: BTreeSet::new(),
            nested: BTreeSet::new(),
        };
        let mut stack: Vec<ShapeId> = self.selected_operations(selected).cloned().collect();
        while let Some(id) = stack.pop() {
            if id == UNIT
                || !self.model.shapes.contains_key(&id)
                || !scope.closure.insert(id.clone())
            {
                continue;
            }
            let shape = &self.model.shapes[&id];
            stack.extend(shape.mixins().iter().map(|t| t.target.clone()));
            match shape {
                Shape::Operation(op) => {
                    if let Some(input) = &op.input {
                        scope.inputs.insert(input.target.clone());
                    }
                    stack.extend(op.input.iter().chain(&op.output).map(|t| t.target.clone()));
                    stack.extend(
                        op.errors
                            .iter()
                            .chain(&self.service.errors)
                            .map(|t| t.target.clone()),
                    );
                }
                Shape::Structure(a) | Shape::Union(a) => {
                    for (_, member) in &a.members.0 {
                        scope.nested.insert(member.target.clone());
                        stack.push(member.target.clone());
                    }
                }
                Shape::List(c) | Shape::Set(c) => {
                    scope.nested.insert(c.member.target.clone());
                    stack.push(c.member.target.clone());
                }
                Shape::Map(m) => {
                    scope.nested.insert(m.value.target.clone());
                    stack.push(m.key.target.clone());
                    stack.push(m.value.target.clone());
                }
                _ => {}
            }
        }
        scope
    }
}

struct DiffCx<'a, 'm> {
    old: &'a Side<'m>,
    new: &'a Side<'m>,
    changes: Vec<Change>,
    namespace: String,
}

impl DiffCx<'_, '_> {
    fn push(
        &mut self,
        severity: Severity,
        kind: ChangeKind,
        shape: &str,
        shape_type: &'static str,
        member: Option<&str>,
        detail: String,
    ) {
        self.changes.push(Change {
            severity,
            kind,
            shape: shape.to_string(),
            shape_type,
            member: member.map(String::from),
            detail,
        });
    }

    /// A shape id as the Markdown shows it: the bare name inside the service's namespace.
    fn name(&self, id: &str) -> String {
        if namespace(id) == self.namespace {
            shape_name(id).to_string()
        } else {
            id.to_string()
        }
    }

    fn service(&mut self) {
        let (old, new) = (self.old.service, self.new.service);
        let id = self.new.service_id.clone();
        let mut push = |severity, detail: String| {
            self.changes.push(Change {
                severity,
                kind: ChangeKind::Service,
                shape: id.clone(),
                shape_type: "service",
                member: None,
                detail,
            })
        };
        if self.old.service_id != self.new.service_id {
            push(
                Severity::Breaking,
                format!(
                    "service shape renamed from `{}`: the request target prefix changes",
                    self.old.service_id
                ),
            );
        }
        let old_errors: BTreeSet<&str> = old.errors.iter().map(|t| t.target.as_str()).collect();
        let new_errors: BTreeSet<&str> = new.errors.iter().map(|t| t.target.as_str()).collect();
        for added in new_errors.difference(&old_errors) {
            push(
                Severity::Dangerous,
                format!(
                    "new service-wide error `{}`: every operation may now return it",
                    shape_name(added)
                ),
            );
        }
        for removed in old_errors.difference(&new_errors) {
            push(
                Severity::Breaking,
                format!(
                    "service-wide error `{}` removed: its variant is gone from every operation's error enum",
                    shape_name(removed)
                ),
            );
        }
        if old.rename != new.rename {
            push(
                Severity::Breaking,
                "the service's shape renames changed: generated type names change".to_string(),
            );
        }
        if old.version != new.version {
            push(
                Severity::Safe,
                format!("version `{}` → `{}`", old.version, new.version),
            );
        }
        let trait_ids: BTreeSet<&String> = old.traits.0.keys().chain(new.traits.0.keys()).collect();
        for trait_id in trait_ids {
            let (before, after) = (old.traits.get(trait_id), new.traits.get(trait_id));
            if before == after {
                continue;
            }
            let (severity, detail) = match trait_id.as_str() {
                t if t.starts_with("aws.protocols#") || t.starts_with("smithy.protocols#") => (
                    Severity::Breaking,
                    format!("protocol trait `{t}` {}", presence_word(before, after)),
                ),
                "smithy.rules#endpointRuleSet" => (
                    Severity::Dangerous,
                    "endpoint rule set changed: the client may resolve other endpoints (see the endpoint tests)".to_string(),
                ),
                "smithy.rules#endpointTests" => {
                    let cases = |v: Option<&Value>| {
                        v.and_then(|v| v.get("testCases"))
                            .and_then(Value::as_array)
                            .map_or(0, Vec::len)
                    };
                    (
                        Severity::Safe,
                        format!(
                            "endpoint tests changed ({} → {} cases)",
                            cases(before),
                            cases(after)
                        ),
                    )
                }
                "aws.api#service" | "aws.auth#sigv4" => (
                    Severity::Dangerous,
                    format!("`{trait_id}` {} (service id, endpoint prefix or signing name)", presence_word(before, after)),
                ),
                DOCUMENTATION => (Severity::Safe, "documentation changed".to_string()),
                other => (
                    Severity::Safe,
                    format!("trait `{other}` {}", presence_word(before, after)),
                ),
            };
            push(severity, detail);
        }
    }

    fn operations(&mut self, selected: Option<&BTreeSet<String>>) {
        let names: BTreeSet<&String> = self
            .old
            .operations
            .keys()
            .chain(self.new.operations.keys())
            .filter(|name| selected.is_none_or(|s| s.contains(*name)))
            .collect();
        for name in names {
            match (self.old.operations.get(name), self.new.operations.get(name)) {
                (None, Some(id)) => self.push(
                    Severity::Safe,
                    ChangeKind::OperationAdded,
                    id,
                    "operation",
                    None,
                    "operation added".to_string(),
                ),
                (Some(id), None) => self.push(
                    Severity::Breaking,
                    ChangeKind::OperationRemoved,
                    id,
                    "operation",
                    None,
                    "operation removed: its client method is gone".to_string(),
                ),
                (Some(old_id), Some(new_id)) => self.operation(old_id, new_id),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, old_id: &str, new_id: &str) {
        let (Some(Shape::Operation(old)), Some(Shape::Operation(new))) = (
            self.old.model.shapes.get(old_id),
            self.new.model.shapes.get(new_id),
        ) else {
            return;
        };
        let id = new_id;
        let old_errors: BTreeSet<&str> = old.errors.iter().map(|t| t.target.as_str()).collect();
        let new_errors: BTreeSet<&str> = new.errors.iter().map(|t| t.target.as_str()).collect();
        for added in new_errors.difference(&old_errors) {
            self.push(
                Severity::Dangerous,
                ChangeKind::ErrorAdded,
                id,
                "operation",
                None,
                format!(
                    "new error `{}`: calls may now fail with this variant",
                    self.name(added)
                ),
            );
        }
        for removed in old_errors.difference(&new_errors) {
            self.push(
                Severity::Breaking,
                ChangeKind::ErrorRemoved,
                id,
                "operation",
                None,
                format!(
                    "error `{}` removed: its variant is gone from the error enum",
                    self.name(removed)
                ),
            );
        }
        for (what, before, after) in [
            ("input", &old.input, &new.input),
            ("output", &old.output, &new.output),
        ] {
            let target = |t: &Option<crate::model::Target>| {
                t.as_ref().map_or(UNIT.to_string(), |t| t.target.clone())
            };
            let (before, after) = (target(before), target(after));
            if before == after {
                continue;
            }
            self.push(
                Severity::Dangerous,
                ChangeKind::OperationIoChanged,
                id,
                "operation",
                None,
                format!(
                    "{what} structure is now `{}` (was `{}`); the changes of its members follow",
                    self.name(&after),
                    self.name(&before)
                ),
            );
            let members = |model: &Model, target: &str| match model.shapes.get(target) {
                Some(shape @ Shape::Structure(_)) => flatten_members(model, shape),
                _ => Vec::new(),
            };
            let before_members = members(self.old.model, &before);
            let after_members = members(self.new.model, &after);
            let mut docs = Vec::new();
            self.members(
                id,
                "operation",
                &before_members,
                &after_members,
                MemberContext {
                    union: false,
                    input_only: what == "input",
                },
                &mut docs,
            );
        }
        let mut docs = Vec::new();
        self.traits(
            id,
            "operation",
            None,
            &old.traits,
            &new.traits,
            &[],
            &mut docs,
        );
        self.push_docs(id, "operation", docs);
    }

    fn shape(&mut self, id: &str, old: &Shape, new: &Shape, input_only: bool) {
        let shape_type = new.type_name();
        let kind = |s: &Shape| match s {
            // Both are a `Vec` in Rust.
            Shape::Set(_) => "list",
            other => other.type_name(),
        };
        if kind(old) != kind(new) {
            self.push(
                Severity::Breaking,
                ChangeKind::ShapeTypeChanged,
                id,
                shape_type,
                None,
                format!(
                    "changed from {} to {}: its Rust type changes",
                    old.type_name(),
                    new.type_name()
                ),
            );
            return;
        }
        let mut docs = Vec::new();
        match (old, new) {
            (Shape::Structure(_), Shape::Structure(_)) | (Shape::Union(_), Shape::Union(_)) => {
                let before = flatten_members(self.old.model, old);
                let after = flatten_members(self.new.model, new);
                let cx = MemberContext {
                    union: matches!(new, Shape::Union(_)),
                    input_only,
                };
                self.members(id, shape_type, &before, &after, cx, &mut docs);
            }
            (Shape::Enum(_), Shape::Enum(_)) | (Shape::IntEnum(_), Shape::IntEnum(_)) => {
                let before = flatten_members(self.old.model, old);
                let after = flatten_members(self.new.model, new);
                self.enum_values(id, shape_type, &before, &after, &mut docs);
            }
            (Shape::List(a) | Shape::Set(a), Shape::List(b) | Shape::Set(b)) => {
                self.member_pair(id, shape_type, "member", &a.member, &b.member, &mut docs);
            }
            (Shape::Map(a), Shape::Map(b)) => {
                self.member_pair(id, shape_type, "key", &a.key, &b.key, &mut docs);
                self.member_pair(id, shape_type, "value", &a.value, &b.value, &mut docs);
            }
            _ => {}
        }
        if old.mixins() != new.mixins() {
            self.push(
                Severity::Safe,
                ChangeKind::TraitChanged,
                id,
                shape_type,
                None,
                "mixins changed (their members are compared above)".to_string(),
            );
        }
        self.traits(
            id,
            shape_type,
            None,
            old.traits(),
            new.traits(),
            &[],
            &mut docs,
        );
        self.push_docs(id, shape_type, docs);
    }

    fn push_docs(&mut self, id: &str, shape_type: &'static str, docs: Vec<String>) {
        if docs.is_empty() {
            return;
        }
        let detail = if docs == ["the shape"] {
            "documentation changed".to_string()
        } else {
            format!("documentation changed ({})", docs.join(", "))
        };
        self.push(
            Severity::Safe,
            ChangeKind::DocumentationChanged,
            id,
            shape_type,
            None,
            detail,
        );
    }

    /// A list's element or a map's key or value.
    fn member_pair(
        &mut self,
        id: &str,
        shape_type: &'static str,
        which: &str,
        old: &Member,
        new: &Member,
        docs: &mut Vec<String>,
    ) {
        if old.target != new.target {
            let (before, after) = (
                type_expr(self.old.model, &old.target, 0),
                type_expr(self.new.model, &new.target, 0),
            );
            let (severity, detail) = if before == after {
                (
                    Severity::Safe,
                    format!(
                        "{which} now targets `{}` (was `{}`), the same Rust type",
                        self.name(&new.target),
                        self.name(&old.target)
                    ),
                )
            } else {
                (
                    Severity::Breaking,
                    format!("{which} type changed from `{before}` to `{after}`: every member holding it changes type"),
                )
            };
            let kind = if before == after {
                ChangeKind::TraitChanged
            } else {
                ChangeKind::MemberTypeChanged
            };
            self.push(severity, kind, id, shape_type, Some(which), detail);
        }
        self.traits(
            id,
            shape_type,
            Some(which),
            &old.traits,
            &new.traits,
            &[],
            docs,
        );
    }

    fn members(
        &mut self,
        id: &str,
        shape_type: &'static str,
        old: &[(String, Member)],
        new: &[(String, Member)],
        cx: MemberContext,
        docs: &mut Vec<String>,
    ) {
        let find = |members: &'_ [(String, Member)], name: &str| {
            members
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, m)| m.clone())
        };
        for (name, before) in old {
            let Some(after) = find(new, name) else {
                let detail = if cx.union {
                    "variant removed: matching on it no longer compiles".to_string()
                } else {
                    format!(
                        "member removed (was `{}`): its field, getter and setter are gone",
                        type_expr(self.old.model, &before.target, 0)
                    )
                };
                self.push(
                    Severity::Breaking,
                    ChangeKind::MemberRemoved,
                    id,
                    shape_type,
                    Some(name),
                    detail,
                );
                continue;
            };
            self.member(id, shape_type, name, before, &after, cx, docs);
        }
        for (name, after) in new {
            if find(old, name).is_some() {
                continue;
            }
            let ty = type_expr(self.new.model, &after.target, 0);
            let required =
                after.traits.is_required() && default_of(self.new.model, after).is_none();
            let (severity, detail) = if cx.union {
                (
                    Severity::Dangerous,
                    format!("new variant (`{ty}`): responses may carry it where older code saw `Unknown`"),
                )
            } else if required {
                (
                    Severity::Breaking,
                    format!("new required member (`{ty}`): builders fail until it is set"),
                )
            } else {
                (Severity::Safe, format!("member added (`{ty}`)"))
            };
            self.push(
                severity,
                ChangeKind::MemberAdded,
                id,
                shape_type,
                Some(name),
                detail,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn member(
        &mut self,
        id: &str,
        shape_type: &'static str,
        name: &str,
        old: &Member,
        new: &Member,
        cx: MemberContext,
        docs: &mut Vec<String>,
    ) {
        let before_ty = type_expr(self.old.model, &old.target, 0);
        let after_ty = type_expr(self.new.model, &new.target, 0);
        if before_ty != after_ty {
            self.push(
                Severity::Breaking,
                ChangeKind::MemberTypeChanged,
                id,
                shape_type,
                Some(name),
                format!("type changed from `{before_ty}` to `{after_ty}`"),
            );
        } else if old.target != new.target {
            self.push(
                Severity::Safe,
                ChangeKind::TraitChanged,
                id,
                shape_type,
                Some(name),
                format!(
                    "now targets `{}` (was `{}`), the same Rust type",
                    self.name(&new.target),
                    self.name(&old.target)
                ),
            );
        }
        if !cx.union {
            let (was_required, is_required) = (old.traits.is_required(), new.traits.is_required());
            let before_default = default_of(self.old.model, old);
            let after_default = default_of(self.new.model, new);
            let optional_before = !cx.input_only && is_option(was_required, before_default);
            let optional_after = !cx.input_only && is_option(is_required, after_default);
            if !was_required && is_required {
                self.push(
                    Severity::Breaking,
                    ChangeKind::MemberRequired,
                    id,
                    shape_type,
                    Some(name),
                    "became required: builders fail until it is set".to_string(),
                );
            } else if was_required && !is_required {
                let (severity, detail) = if optional_before != optional_after {
                    (
                        Severity::Breaking,
                        "no longer required: the field becomes an `Option`".to_string(),
                    )
                } else {
                    (Severity::Safe, "no longer required".to_string())
                };
                self.push(
                    severity,
                    ChangeKind::MemberNoLongerRequired,
                    id,
                    shape_type,
                    Some(name),
                    detail,
                );
            } else if optional_before != optional_after {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TraitChanged,
                    id,
                    shape_type,
                    Some(name),
                    format!(
                        "default {}: the field changes between `Option<T>` and `T`",
                        presence_word(before_default, after_default)
                    ),
                );
            } else if before_default != after_default
                && before_default.is_some()
                && after_default.is_some()
            {
                self.push(
                    Severity::Dangerous,
                    ChangeKind::TraitChanged,
                    id,
                    shape_type,
                    Some(name),
                    format!(
                        "default changed from `{}` to `{}`",
                        before_default.map(Value::to_string).unwrap_or_default(),
                        after_default.map(Value::to_string).unwrap_or_default()
                    ),
                );
            }
        }
        self.traits(
            id,
            shape_type,
            Some(name),
            &old.traits,
            &new.traits,
            &[REQUIRED, DEFAULT],
            docs,
        );
    }

    fn enum_values(
        &mut self,
        id: &str,
        shape_type: &'static str,
        old: &[(String, Member)],
        new: &[(String, Member)],
        docs: &mut Vec<String>,
    ) {
        let value = |name: &str, m: &Member| {
            m.traits
                .enum_value()
                .map_or_else(|| name.to_string(), Value::to_string)
        };
        let values = |members: &[(String, Member)]| -> BTreeMap<String, (String, Member)> {
            members
                .iter()
                .map(|(n, m)| (n.clone(), (value(n, m), m.clone())))
                .collect()
        };
        let (before, after) = (values(old), values(new));
        for (name, (old_value, old_member)) in &before {
            match after.get(name) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::EnumValueRemoved,
                    id,
                    shape_type,
                    Some(name),
                    format!("value {old_value} removed: its variant is gone"),
                ),
                Some((new_value, new_member)) => {
                    if old_value != new_value {
                        self.push(
                            Severity::Breaking,
                            ChangeKind::EnumValueChanged,
                            id,
                            shape_type,
                            Some(name),
                            format!("value changed from {old_value} to {new_value} on the wire"),
                        );
                    }
                    self.traits(
                        id,
                        shape_type,
                        Some(name),
                        &old_member.traits,
                        &new_member.traits,
                        &[ENUM_VALUE],
                        docs,
                    );
                }
            }
        }
        for (name, (new_value, _)) in &after {
            if !before.contains_key(name) {
                self.push(
                    Severity::Dangerous,
                    ChangeKind::EnumValueAdded,
                    id,
                    shape_type,
                    Some(name),
                    format!("new value {new_value}: responses may carry it where older code saw `Unknown`"),
                );
            }
        }
    }

    /// Compares traits (except `skip`); documentation changes are collected into `docs`.
    #[allow(clippy::too_many_arguments)]
    fn traits(
        &mut self,
        id: &str,
        shape_type: &'static str,
        member: Option<&str>,
        old: &Traits,
        new: &Traits,
        skip: &[&str],
        docs: &mut Vec<String>,
    ) {
        let trait_ids: BTreeSet<&String> = old.0.keys().chain(new.0.keys()).collect();
        for trait_id in trait_ids {
            let (before, after) = (old.get(trait_id), new.get(trait_id));
            if before == after || skip.contains(&trait_id.as_str()) {
                continue;
            }
            let change = presence_word(before, after);
            let (severity, detail) = match trait_id.as_str() {
                DOCUMENTATION => {
                    docs.push(match member {
                        Some(m) => format!("`{m}`"),
                        None => "the shape".to_string(),
                    });
                    continue;
                }
                "smithy.api#jsonName" => (
                    Severity::Dangerous,
                    format!("wire name {change}: the JSON key differs"),
                ),
                "smithy.api#timestampFormat" => (
                    Severity::Dangerous,
                    format!("timestamp format {change}: the wire format differs"),
                ),
                "smithy.api#error" => (
                    Severity::Dangerous,
                    format!("error trait {change} (client/server fault)"),
                ),
                "smithy.api#sparse" => (
                    Severity::Breaking,
                    format!("`sparse` {change}: elements switch between `T` and `Option<T>`"),
                ),
                "smithy.api#streaming" => (
                    Severity::Breaking,
                    format!("`streaming` {change}: operations using it cannot be generated the same way"),
                ),
                "smithy.api#default" | "smithy.api#required" => (
                    Severity::Dangerous,
                    format!("`{}` {change}", shape_name(trait_id)),
                ),
                "smithy.api#deprecated" => (Severity::Safe, format!("deprecation {change}")),
                "smithy.api#length" | "smithy.api#range" | "smithy.api#pattern" => (
                    Severity::Safe,
                    format!("constraint `{}` {change} (the service validates it)", shape_name(trait_id)),
                ),
                other => (Severity::Safe, format!("trait `{other}` {change}")),
            };
            self.push(
                severity,
                ChangeKind::TraitChanged,
                id,
                shape_type,
                member,
                detail,
            );
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct MemberContext {
    /// Members of a union are variants.
    union: bool,
    /// The structure is used only as an operation input (every field an `Option`).
    input_only: bool,
}

/// `added`, `removed`, or `changed`, for a value present before and/or after.
fn presence_word(before: Option<&Value>, after: Option<&Value>) -> &'static str {
    match (before, after) {
        (None, Some(_)) => "added",
        (Some(_), None) => "removed",
        _ => "changed",
    }
}

/// The member's default: its own, else its target's (the prelude's `Primitive*` shapes default
/// to zero).
fn default_of<'m>(model: &'m Model, member: &'m Member) -> Option<&'m Value> {
    static ZERO: Value = Value::Bool(false);
    member
        .traits
        .default_value()
        .or_else(|| match model.shapes.get(&member.target) {
            Some(shape) => shape.traits().default_value(),
            None if member.target.starts_with("smithy.api#Primitive") => Some(&ZERO),
            None => None,
        })
}

/// Whether a member of a structure other than an input is an `Option<T>` in Rust: not required,
/// and no default (the generator's presence rule, up to non-zero defaults, which also stay
/// `Option`).
fn is_option(required: bool, default: Option<&Value>) -> bool {
    let zero = default.is_some_and(|d| match d {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => false,
    });
    !(zero || (required && default.is_none()))
}

/// Members in model order with mixin members first (as the generator flattens them).
fn flatten_members(model: &Model, shape: &Shape) -> Vec<(String, Member)> {
    fn walk(model: &Model, shape: &Shape, depth: usize, out: &mut Vec<(String, Member)>) {
        if depth > 32 {
            return;
        }
        for mixin in shape.mixins() {
            if let Some(mixin_shape) = model.shapes.get(&mixin.target) {
                walk(model, mixin_shape, depth + 1, out);
            }
        }
        let own = match shape {
            Shape::Structure(a) | Shape::Union(a) | Shape::Enum(a) | Shape::IntEnum(a) => {
                &a.members.0
            }
            _ => return,
        };
        for (name, member) in own {
            match out.iter_mut().find(|(n, _)| n == name) {
                Some((_, existing)) => existing.traits.0.extend(member.traits.0.clone()),
                None => out.push((name.clone(), member.clone())),
            }
        }
    }
    let mut out = Vec::new();
    walk(model, shape, 0, &mut out);
    out
}

/// The type a member holds, as the generated Rust code sees it: simple types by kind, named types
/// (structures, unions, enums) by name, collections by their elements.
fn type_expr(model: &Model, target: &str, depth: usize) -> String {
    if depth > 16 {
        return "…".to_string();
    }
    if let Some(prelude) = target.strip_prefix("smithy.api#") {
        let name = prelude.strip_prefix("Primitive").unwrap_or(prelude);
        let mut chars = name.chars();
        return match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => String::new(),
        };
    }
    let Some(shape) = model.shapes.get(target) else {
        return format!("undefined {target}");
    };
    match shape {
        Shape::Enum(_) | Shape::IntEnum(_) | Shape::Structure(_) | Shape::Union(_) => {
            format!("{} {}", shape.type_name(), shape_name(target))
        }
        Shape::List(c) | Shape::Set(c) => {
            let sparse = if c.traits.is_sparse() { "sparse " } else { "" };
            format!(
                "{sparse}list<{}>",
                type_expr(model, &c.member.target, depth + 1)
            )
        }
        Shape::Map(m) => {
            let sparse = if m.traits.is_sparse() { "sparse " } else { "" };
            format!(
                "{sparse}map<{}, {}>",
                type_expr(model, &m.key.target, depth + 1),
                type_expr(model, &m.value.target, depth + 1)
            )
        }
        other => other.type_name().to_string(),
    }
}

fn namespace(id: &str) -> &str {
    id.split_once('#').map_or("", |(ns, _)| ns)
}
