//! Normalize: select the service and operations, walk their closure, resolve names, and build the IR.
//!
//! Everything is visited in a deterministic order (model member order inside a shape, sorted
//! shape ids otherwise), so the same model always yields the same IR.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::docs::html_to_rustdoc;
use crate::error::Error;
use crate::ir::*;
use crate::model::{Member, Model, Shape, ShapeId, Traits};
use crate::naming;
use crate::Settings;

const UNIT: &str = "smithy.api#Unit";

/// Builds the IR for the operations the settings select.
pub fn normalize(model: &Model, settings: &Settings) -> Result<Crate, Error> {
    let (service_id, service) = select_service(model, settings)?;
    let service_ir = service_ir(&service_id, service, settings)?;
    let operation_ids = select_operations(model, &service_id, service, settings)?;

    let mut cx = Context {
        model,
        settings,
        renames: &service.rename,
        types: BTreeMap::new(),
        names: BTreeMap::new(),
    };
    let mut operations = Vec::new();
    let mut skipped = Vec::new();
    for op_id in &operation_ids {
        if let Some(reason) = unsupported_reason(model, op_id)? {
            if settings.operations.is_some() {
                return Err(Error::shape(
                    op_id,
                    format!("cannot be generated: {reason}"),
                ));
            }
            skipped.push(SkippedOperation {
                name: shape_name(op_id).to_string(),
                reason,
            });
            continue;
        }
        operations.push(cx.operation(op_id, &service.errors)?);
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));

    box_recursive_members(&mut cx.types);
    let mut types: Vec<TypeDecl> = cx.types.into_values().collect();
    types.sort_by(|a, b| a.name().cmp(b.name()));
    let mut krate = Crate {
        service: service_ir,
        operations,
        types,
        skipped,
        paginators: Vec::new(),
        waiters: Vec::new(),
    };
    krate.paginators = crate::paginators::paginators(model, &krate)?;
    krate.waiters = crate::waiters::waiters(model, &krate, settings)?;
    Ok(krate)
}

/// Why an operation cannot be generated yet, if it cannot: event streams, streaming blobs and
/// required endpoint discovery.
fn unsupported_reason(model: &Model, op_id: &str) -> Result<Option<String>, Error> {
    let Shape::Operation(op) = model.get(op_id, op_id)? else {
        return Ok(None);
    };
    if op
        .traits
        .get("aws.api#clientDiscoveredEndpoint")
        .and_then(|t| t.get("required"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        return Ok(Some(
            "it requires endpoint discovery, which is not supported yet".to_string(),
        ));
    }
    for io in [&op.input, &op.output].into_iter().flatten() {
        let Some(Shape::Structure(s)) = model.shapes.get(&io.target) else {
            continue;
        };
        for (name, member) in &s.members.0 {
            let Some(target) = model.shapes.get(&member.target) else {
                continue;
            };
            if target.traits().is_streaming() {
                let what = match target {
                    Shape::Union(_) => "an event stream",
                    _ => "a streaming body",
                };
                return Ok(Some(format!(
                    "its member `{}${name}` is {what}, which is not supported yet",
                    io.target
                )));
            }
        }
    }
    Ok(None)
}

/// Boxes every member whose structure or union type leads back to the type holding it without
/// going through a list or map (those allocate already), so recursive types have a finite size.
fn box_recursive_members(types: &mut BTreeMap<ShapeId, TypeDecl>) {
    fn direct_target(ty: &RustType) -> Option<&str> {
        match ty {
            RustType::Named {
                name,
                kind: NamedKind::Struct | NamedKind::Union,
            } => Some(name),
            _ => None,
        }
    }
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

fn select_service<'m>(
    model: &'m Model,
    settings: &Settings,
) -> Result<(ShapeId, &'m crate::model::Service), Error> {
    let services: Vec<(&ShapeId, &crate::model::Service)> = model
        .shapes
        .iter()
        .filter_map(|(id, s)| match s {
            Shape::Service(svc) => Some((id, svc)),
            _ => None,
        })
        .collect();
    match &settings.service {
        Some(wanted) => services
            .into_iter()
            .find(|(id, _)| *id == wanted)
            .map(|(id, s)| (id.clone(), s))
            .ok_or_else(|| Error::shape(wanted, "no service shape with this id in the model")),
        None => match services.as_slice() {
            [(id, svc)] => Ok(((*id).clone(), *svc)),
            [] => Err(Error::new(
                "the model has no service shape: nothing to generate a client for",
            )),
            many => Err(Error::new(format!(
                "the model has {} service shapes ({}); choose one in the settings",
                many.len(),
                many.iter()
                    .map(|(id, _)| id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

fn service_ir(
    id: &str,
    service: &crate::model::Service,
    settings: &Settings,
) -> Result<ServiceIr, Error> {
    let traits = &service.traits;
    let json_version = if traits.has("aws.protocols#awsJson1_1") {
        "1.1"
    } else if traits.has("aws.protocols#awsJson1_0") {
        "1.0"
    } else {
        let protocols: Vec<&str> = traits
            .0
            .keys()
            .filter(|k| k.starts_with("aws.protocols#") || k.starts_with("smithy.protocols#"))
            .map(String::as_str)
            .collect();
        return Err(Error::shape(
            id,
            format!(
                "the service's protocol is not supported: expected aws.protocols#awsJson1_1 or awsJson1_0, found {}",
                if protocols.is_empty() { "no protocol trait".to_string() } else { protocols.join(", ") }
            ),
        ));
    };
    let aws = traits.aws_service().ok_or_else(|| {
        Error::shape(
            id,
            "the service has no aws.api#service trait (sdkId, endpointPrefix)",
        )
    })?;
    let sdk_id = aws
        .get("sdkId")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::shape(id, "aws.api#service has no sdkId"))?
        .to_string();
    let signing_name = traits
        .sigv4_name()
        .ok_or_else(|| {
            Error::shape(
                id,
                "the service has no aws.auth#sigv4 trait with a signing name",
            )
        })?
        .to_string();
    let endpoint_prefix = aws
        .get("endpointPrefix")
        .and_then(Value::as_str)
        .unwrap_or(&signing_name)
        .to_string();
    let title = traits
        .get("smithy.api#title")
        .and_then(Value::as_str)
        .unwrap_or(&sdk_id)
        .to_string();
    Ok(ServiceIr {
        shape_id: id.to_string(),
        shape_name: shape_name(id).to_string(),
        title,
        env_service_id: sdk_id.to_ascii_uppercase().replace([' ', '-'], "_"),
        sdk_id,
        signing_name,
        endpoint_prefix,
        json_version,
        version: service.version.clone(),
        docs: docs(traits, settings),
        endpoint_rules: traits.get("smithy.rules#endpointRuleSet").map(|rules| {
            serde_json::to_string_pretty(rules).expect("a JSON value always serializes")
        }),
    })
}

/// The operations of the service (directly or through resources), filtered by the settings.
fn select_operations(
    model: &Model,
    service_id: &str,
    service: &crate::model::Service,
    settings: &Settings,
) -> Result<Vec<ShapeId>, Error> {
    let mut all: BTreeSet<ShapeId> = service
        .operations
        .iter()
        .map(|t| t.target.clone())
        .collect();
    let mut resources: Vec<(ShapeId, ShapeId)> = service
        .resources
        .iter()
        .map(|t| (service_id.to_string(), t.target.clone()))
        .collect();
    let mut seen_resources = BTreeSet::new();
    while let Some((from, id)) = resources.pop() {
        if !seen_resources.insert(id.clone()) {
            continue;
        }
        match model.get(&id, &from)? {
            Shape::Resource(r) => {
                all.extend(r.all_operations().map(|t| t.target.clone()));
                resources.extend(r.resources.iter().map(|t| (id.clone(), t.target.clone())));
            }
            other => {
                return Err(Error::shape(
                    &id,
                    format!("is bound as a resource but is a {}", other.type_name()),
                ))
            }
        }
    }
    for op in &all {
        match model.get(op, service_id)? {
            Shape::Operation(_) => {}
            other => {
                return Err(Error::shape(
                    op,
                    format!("is bound as an operation but is a {}", other.type_name()),
                ))
            }
        }
    }
    let Some(wanted) = &settings.operations else {
        return Ok(all.into_iter().collect());
    };
    let mut selected = Vec::new();
    for name in wanted {
        let found = all.iter().find(|id| shape_name(id) == name || *id == name);
        match found {
            Some(id) => selected.push(id.clone()),
            None => {
                return Err(Error::shape(
                    service_id,
                    format!(
                        "the service has no operation named `{name}` (selected in the settings)"
                    ),
                ))
            }
        }
    }
    selected.sort();
    selected.dedup();
    Ok(selected)
}

struct Context<'m> {
    model: &'m Model,
    settings: &'m Settings,
    renames: &'m BTreeMap<ShapeId, String>,
    /// Named types built so far, by shape id (the closure).
    types: BTreeMap<ShapeId, TypeDecl>,
    /// Rust type name → shape id, to detect two shapes that would share a name.
    names: BTreeMap<String, ShapeId>,
}

impl<'m> Context<'m> {
    fn operation(
        &mut self,
        id: &str,
        service_errors: &[crate::model::Target],
    ) -> Result<OperationIr, Error> {
        let Shape::Operation(op) = self.model.get(id, id)? else {
            unreachable!("select_operations checked the type");
        };
        for (what, trait_id) in [
            ("event streams", "smithy.api#streaming"),
            ("endpoint discovery", "aws.api#clientEndpointDiscovery"),
        ] {
            if op.traits.has(trait_id) {
                return Err(Error::shape(
                    id,
                    format!("uses {what}, which the generator does not support yet"),
                ));
            }
        }
        let name = shape_name(id).to_string();
        self.claim_name(&format!("{name}Input"), &format!("{id} (synthetic input)"))?;
        self.claim_name(
            &format!("{name}Output"),
            &format!("{id} (synthetic output)"),
        )?;
        self.claim_name(&format!("{name}Error"), &format!("{id} (error enum)"))?;
        let fluent_builder = naming::fluent_builder_name(&name);
        self.claim_name(&fluent_builder, &format!("{id} (fluent builder)"))?;
        self.claim_name(
            &naming::builder_name(&format!("{name}Input")),
            &format!("{id} (input builder)"),
        )?;
        self.claim_name(
            &naming::builder_name(&format!("{name}Output")),
            &format!("{id} (output builder)"),
        )?;
        let fn_name = naming::snake_case(&name);
        let input = self.io_struct(
            id,
            op.input.as_ref().map(|t| t.target.as_str()),
            format!("{name}Input"),
            Role::Input,
        )?;
        let output = self.io_struct(
            id,
            op.output.as_ref().map(|t| t.target.as_str()),
            format!("{name}Output"),
            Role::Output,
        )?;

        let mut errors = Vec::new();
        for target in op.errors.iter().chain(service_errors) {
            let error_id = &target.target;
            match self.model.get(error_id, id)? {
                Shape::Structure(s) if s.traits.error().is_some() => {}
                other => {
                    return Err(Error::shape(
                        error_id,
                        format!(
                            "is listed as an error of {id} but is a {} without smithy.api#error",
                            other.type_name()
                        ),
                    ))
                }
            }
            let type_name = self.named_type(error_id, id)?.0;
            if errors.iter().any(|e: &ErrorRef| e.type_name == type_name) {
                continue;
            }
            let Some(TypeDecl::Struct(decl)) = self.types.get(error_id.as_str()) else {
                unreachable!("named_type built the error structure");
            };
            errors.push(ErrorRef {
                // Without required members it can be built from the error metadata alone.
                buildable_without_body: !decl.has_required(),
                summary: decl
                    .docs
                    .as_deref()
                    .map(|d| d.split("\n\n").next().unwrap_or(d).to_string()),
                is_fn: format!("is_{}", naming::snake_case(&type_name)),
                code: shape_name(error_id).to_string(),
                type_name,
            });
        }
        errors.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        let examples = self.examples(id, &op.traits)?;
        Ok(OperationIr {
            examples,
            shape_id: id.to_string(),
            fn_name,
            docs: docs(&op.traits, self.settings),
            input,
            output,
            error_name: format!("{name}Error"),
            fluent_builder,
            errors,
            name,
        })
    }

    fn examples(&mut self, op_id: &str, traits: &Traits) -> Result<Vec<ExampleIr>, Error> {
        let mut examples = Vec::new();
        for example in traits.examples() {
            let title = example
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or("example")
                .to_string();
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
                        error
                            .get("content")
                            .cloned()
                            .unwrap_or_else(|| Value::Object(Default::default())),
                    ))
                }
            };
            examples.push(ExampleIr {
                title: self.settings.documentation.then_some(title),
                input: example
                    .get("input")
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Default::default())),
                output: example.get("output").cloned(),
                error,
            });
        }
        Ok(examples)
    }

    /// An operation's input or output, renamed to `{Op}Input` / `{Op}Output` like AWS SDKs do.
    fn io_struct(
        &mut self,
        op_id: &str,
        target: Option<&str>,
        name: String,
        role: Role,
    ) -> Result<StructIr, Error> {
        let module = naming::snake_case(shape_name(op_id));
        let target = target.filter(|t| *t != UNIT);
        let Some(target) = target else {
            return Ok(StructIr {
                shape_id: format!(
                    "{op_id}${}",
                    if role == Role::Input {
                        "input"
                    } else {
                        "output"
                    }
                ),
                builder: naming::builder_name(&name),
                name,
                module,
                role,
                docs: None,
                members: Vec::new(),
            });
        };
        match self.model.get(target, op_id)? {
            Shape::Structure(_) => self.structure(target, name, module, role),
            other => Err(Error::shape(
                target,
                format!(
                    "is the input or output of {op_id} but is a {}, not a structure",
                    other.type_name()
                ),
            )),
        }
    }

    fn claim_name(&mut self, name: &str, id: &str) -> Result<(), Error> {
        match self.names.get(name) {
            Some(existing) if existing != id => Err(Error::shape(
                id,
                format!("its Rust name `{name}` is already taken by `{existing}`; add a `rename` for one of them to the service shape"),
            )),
            _ => {
                self.names.insert(name.to_string(), id.to_string());
                Ok(())
            }
        }
    }

    fn structure(
        &mut self,
        id: &str,
        name: String,
        module: String,
        role: Role,
    ) -> Result<StructIr, Error> {
        let shape = self.model.get(id, id)?;
        let Shape::Structure(s) = shape else {
            unreachable!("callers check the type");
        };
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
            let wire_name = member.traits.json_name().unwrap_or(wire).to_string();
            out.push(MemberIr {
                is_error_message: role == Role::Error && wire_name.eq_ignore_ascii_case("message"),
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
            });
        }
        Ok(StructIr {
            shape_id: id.to_string(),
            builder: naming::builder_name(&name),
            name,
            module,
            role,
            docs: docs(&s.traits, self.settings),
            members: out,
        })
    }

    /// Members in model order with mixin members first (Smithy's mixin order).
    fn flatten_members(&self, id: &str, shape: &'m Shape) -> Result<Vec<(String, Member)>, Error> {
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

    fn model_shape(&self, id: &str, referenced_from: &str) -> Result<Shape, Error> {
        if let Some(shape) = prelude(id) {
            return Ok(shape);
        }
        self.model.get(id, referenced_from).cloned()
    }

    fn member_type(
        &mut self,
        target: &str,
        member_traits: &Traits,
        member_id: &str,
    ) -> Result<RustType, Error> {
        let shape = self.model_shape(target, member_id)?;
        let unsupported = |what: &str| {
            Err(Error::shape(
                target,
                format!("{what} shapes are not supported by the generator yet (reached from {member_id})"),
            ))
        };
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
                    return unsupported("streaming blob");
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

    /// The Rust name of a structure or enum, building its declaration the first time it is reached.
    fn named_type(
        &mut self,
        id: &str,
        referenced_from: &str,
    ) -> Result<(String, NamedKind), Error> {
        if let Some(existing) = self.types.get(id) {
            return Ok((existing.name().to_string(), existing.kind()));
        }
        let shape = self.model.get(id, referenced_from)?;
        let name = naming::type_name(
            self.renames
                .get(id)
                .map(String::as_str)
                .unwrap_or(shape_name(id)),
        );
        self.claim_name(&name, id)?;
        let module = naming::snake_case(&name);
        // Types become files named after their module: two types must not share one.
        self.claim_name(&format!("{module}.rs"), id)?;
        match shape {
            Shape::Structure(s) => {
                self.claim_name(&naming::builder_name(&name), &format!("{id} (builder)"))?;
                let role = if s.traits.error().is_some() {
                    Role::Error
                } else {
                    Role::Shared
                };
                // Insert a placeholder first so recursive references terminate.
                self.types.insert(
                    id.to_string(),
                    TypeDecl::Struct(StructIr {
                        shape_id: id.to_string(),
                        builder: naming::builder_name(&name),
                        name: name.clone(),
                        module: module.clone(),
                        role,
                        docs: None,
                        members: Vec::new(),
                    }),
                );
                let decl = self.structure(id, name.clone(), module, role)?;
                self.types.insert(id.to_string(), TypeDecl::Struct(decl));
                Ok((name, NamedKind::Struct))
            }
            Shape::Union(u) => {
                // Placeholder first, so recursive references terminate.
                self.types.insert(
                    id.to_string(),
                    TypeDecl::Union(UnionIr {
                        shape_id: id.to_string(),
                        name: name.clone(),
                        module: module.clone(),
                        docs: None,
                        variants: Vec::new(),
                    }),
                );
                let members = self.flatten_members(id, shape)?;
                let variant_names = naming::variant_names(members.iter().map(|(n, _)| n.as_str()));
                let mut variants = Vec::new();
                for ((wire, member), variant) in members.iter().zip(variant_names) {
                    let member_id = format!("{id}${wire}");
                    let target = self.model_shape(&member.target, &member_id)?;
                    let snake = naming::snake_case(&variant);
                    variants.push(UnionVariantIr {
                        as_fn: format!("as_{snake}"),
                        is_fn: format!("is_{snake}"),
                        name: variant,
                        wire_name: member.traits.json_name().unwrap_or(wire).to_string(),
                        docs: docs(&member.traits, self.settings)
                            .or_else(|| docs(target.traits(), self.settings)),
                        ty: self.member_type(&member.target, &member.traits, &member_id)?,
                        boxed: false,
                    });
                }
                self.types.insert(
                    id.to_string(),
                    TypeDecl::Union(UnionIr {
                        shape_id: id.to_string(),
                        name: name.clone(),
                        module,
                        docs: docs(&u.traits, self.settings),
                        variants,
                    }),
                );
                Ok((name, NamedKind::Union))
            }
            Shape::IntEnum(e) => {
                let members = self.flatten_members(id, shape)?;
                let variant_names = naming::variant_names(members.iter().map(|(n, _)| n.as_str()));
                let mut variants = Vec::new();
                for ((member_name, member), variant) in members.iter().zip(variant_names) {
                    let value = member
                        .traits
                        .enum_value()
                        .and_then(Value::as_i64)
                        .and_then(|v| i32::try_from(v).ok())
                        .ok_or_else(|| {
                            Error::shape(format!("{id}${member_name}"), "an intEnum value must be an integer enumValue that fits in 32 bits")
                        })?;
                    variants.push(IntVariantIr {
                        name: variant,
                        value,
                        docs: docs(&member.traits, self.settings),
                    });
                }
                self.types.insert(
                    id.to_string(),
                    TypeDecl::IntEnum(IntEnumIr {
                        shape_id: id.to_string(),
                        name: name.clone(),
                        module,
                        docs: docs(&e.traits, self.settings),
                        variants,
                    }),
                );
                Ok((name, NamedKind::IntEnum))
            }
            Shape::Enum(e) => {
                let members = self.flatten_members(id, shape)?;
                let variant_names = naming::variant_names(members.iter().map(|(n, _)| n.as_str()));
                let mut variants = Vec::new();
                for ((member_name, member), variant) in members.iter().zip(variant_names) {
                    let value = match member.traits.enum_value() {
                        None => member_name.clone(),
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => {
                            return Err(Error::shape(
                                format!("{id}${member_name}"),
                                format!("enumValue must be a string, found {other}"),
                            ))
                        }
                    };
                    variants.push(VariantIr {
                        name: variant,
                        value,
                        docs: docs(&member.traits, self.settings),
                    });
                }
                self.types.insert(
                    id.to_string(),
                    TypeDecl::Enum(EnumIr {
                        shape_id: id.to_string(),
                        name: name.clone(),
                        module,
                        docs: docs(&e.traits, self.settings),
                        variants,
                    }),
                );
                Ok((name, NamedKind::Enum))
            }
            other => Err(Error::shape(
                id,
                format!(
                    "expected a structure or enum, found a {}",
                    other.type_name()
                ),
            )),
        }
    }
}

/// Whether the model default equals `Default::default()` of the Rust type, so `#[serde(default)]` is exact.
fn is_zero_default(default: &Value, ty: &RustType) -> bool {
    match (default, ty) {
        (Value::Bool(b), RustType::Bool) => !b,
        (
            Value::Number(n),
            RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::F32
            | RustType::F64,
        ) => n.as_f64() == Some(0.0),
        (Value::String(s), RustType::String) => s.is_empty(),
        (Value::Array(a), RustType::List { .. }) => a.is_empty(),
        (Value::Object(o), RustType::Map { .. }) => o.is_empty(),
        _ => false,
    }
}

/// The part of a shape id after `#`.
pub fn shape_name(id: &str) -> &str {
    let name = id.rsplit_once('#').map_or(id, |(_, n)| n);
    name.split_once('$').map_or(name, |(n, _)| n)
}

fn docs(traits: &Traits, settings: &Settings) -> Option<String> {
    if !settings.documentation {
        return None;
    }
    traits
        .documentation()
        .map(html_to_rustdoc)
        .filter(|d| !d.trim().is_empty())
}

/// The prelude's simple shapes (`smithy.api#String`, ...), which models reference without defining.
fn prelude(id: &str) -> Option<Shape> {
    use crate::model::Simple;
    let name = id.strip_prefix("smithy.api#")?;
    let zero_default = |value: Value| {
        let mut s = Simple::default();
        s.traits.0.insert("smithy.api#default".to_string(), value);
        s
    };
    Some(match name {
        "String" => Shape::String(Simple::default()),
        "Blob" => Shape::Blob(Simple::default()),
        "BigInteger" => Shape::BigInteger(Simple::default()),
        "BigDecimal" => Shape::BigDecimal(Simple::default()),
        "Timestamp" => Shape::Timestamp(Simple::default()),
        "Document" => Shape::Document(Simple::default()),
        "Boolean" => Shape::Boolean(Simple::default()),
        "Byte" => Shape::Byte(Simple::default()),
        "Short" => Shape::Short(Simple::default()),
        "Integer" => Shape::Integer(Simple::default()),
        "Long" => Shape::Long(Simple::default()),
        "Float" => Shape::Float(Simple::default()),
        "Double" => Shape::Double(Simple::default()),
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
