//! IR: what the emitters read. Rust-facing names beside wire names, resolved types, optionality and
//! rendered documentation. Nothing here is raw model JSON.

/// Everything one generated crate contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Crate {
    pub service: ServiceIr,
    /// Operations, sorted by name.
    pub operations: Vec<OperationIr>,
    /// Structures, enums, unions and errors reachable from the operations, sorted by Rust name.
    pub types: Vec<TypeDecl>,
    /// Operations of the service left out because they need what the generator does not support.
    pub skipped: Vec<SkippedOperation>,
    /// Traits that change what goes on the wire but that the generator does not implement,
    /// one line each naming the trait and where it is: generated anyway, never silently.
    pub unimplemented: Vec<String>,
    /// Paginators of the generated operations (`smithy.api#paginated`), in operation order.
    pub paginators: Vec<crate::paginators::PaginatorIr>,
    /// Waiters of the generated operations (`smithy.waiters#waitable`), in operation order.
    pub waiters: Vec<crate::waiters::WaiterIr>,
}

/// An operation the generator left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedOperation {
    pub name: String,
    pub reason: String,
}

/// The service: what the runtime needs to address and sign requests.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIr {
    pub shape_id: String,
    /// The service shape's name: the `X-Amz-Target` prefix.
    pub shape_name: String,
    pub title: String,
    /// `aws.api#service` `sdkId`, e.g. `ECR`.
    pub sdk_id: String,
    /// `AWS_ENDPOINT_URL_{env_service_id}` selects a per-service endpoint.
    pub env_service_id: String,
    pub signing_name: String,
    pub endpoint_prefix: String,
    /// `"1.0"` or `"1.1"`.
    pub json_version: &'static str,
    pub version: String,
    pub docs: Option<String>,
    /// `smithy.rules#endpointRuleSet`, compact JSON, for the runtime's rules engine.
    pub endpoint_rules: Option<String>,
}

/// One operation with its synthetic input and output structures.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationIr {
    pub shape_id: String,
    /// The wire name, `DeleteRepository`.
    pub name: String,
    /// `delete_repository`: the client method (`r#match` when escaped).
    pub fn_name: String,
    /// `delete_repository`: the module and file under `operation/`.
    pub module: String,
    pub docs: Option<String>,
    pub input: StructIr,
    pub output: StructIr,
    /// The error enum's name, `DeleteRepositoryError`.
    pub error_name: String,
    /// The fluent builder the client method returns, `DeleteRepositoryFluentBuilder`.
    pub fluent_builder: String,
    /// Modeled errors, sorted by name.
    pub errors: Vec<ErrorRef>,
    /// `smithy.api#examples`, each generated into a test.
    pub examples: Vec<ExampleIr>,
    /// `smithy.api#endpoint`'s host prefix (`foo.{Label}.`), to put before the endpoint's host.
    pub host_prefix: Option<Vec<HostPrefixSegment>>,
    /// `smithy.api#requestCompression` lists gzip: bodies over the configured size are sent
    /// gzip-compressed.
    pub request_compression: bool,
}

/// A piece of a host prefix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixSegment {
    /// Text as written in the template (`foo.`).
    Literal(String),
    /// `{Label}`: the value of an input member with `smithy.api#hostLabel`.
    Label {
        /// The member's wire name, for errors.
        wire_name: String,
        /// The input's field holding it.
        field: String,
    },
}

/// One `smithy.api#examples` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleIr {
    /// The example's title; `None` when documentation is off.
    pub title: Option<String>,
    /// The input's JSON (an object; `{}` when the example has none).
    pub input: serde_json::Value,
    pub output: Option<serde_json::Value>,
    /// The error's Rust type name and its JSON content.
    pub error: Option<(String, serde_json::Value)>,
}

/// A modeled error an operation can return.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRef {
    /// The error structure's Rust name, also the enum variant's name.
    pub type_name: String,
    /// `is_repository_not_found_exception`.
    pub is_fn: String,
    /// The code on the wire (the shape's name).
    pub code: String,
    /// The error structure has no required members, so a body that is not its JSON (an HTML
    /// page from a proxy) still maps to this variant.
    pub buildable_without_body: bool,
    /// The HTTP status the service sends it with (`httpError`, else 500 for a server fault
    /// and 400 for a client one); mocks answer with it.
    pub http_status: u16,
    /// The first paragraph of the error structure's docs, for the enum variant.
    pub summary: Option<String>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDecl {
    Struct(StructIr),
    Enum(EnumIr),
    IntEnum(IntEnumIr),
    Union(UnionIr),
}

impl TypeDecl {
    /// The Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDecl::Struct(s) => &s.name,
            TypeDecl::Enum(e) => &e.name,
            TypeDecl::IntEnum(e) => &e.name,
            TypeDecl::Union(u) => &u.name,
        }
    }

    /// What kind of named type it is.
    pub fn kind(&self) -> NamedKind {
        match self {
            TypeDecl::Struct(_) => NamedKind::Struct,
            TypeDecl::Enum(_) => NamedKind::Enum,
            TypeDecl::IntEnum(_) => NamedKind::IntEnum,
            TypeDecl::Union(_) => NamedKind::Union,
        }
    }
}

/// Where a structure is used; decides optionality and derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An operation input: every member is `Option` so that unset stays distinct from a default.
    Input,
    /// An operation output: carries the request id.
    Output,
    /// A structure nested anywhere.
    Shared,
    /// A modeled error (`smithy.api#error`): carries the error metadata.
    Error,
}

/// A structure.
#[derive(Debug, Clone, PartialEq)]
pub struct StructIr {
    pub shape_id: String,
    pub name: String,
    /// Its builder's name (`RepositoryBuilder`).
    pub builder: String,
    /// File and module name (`repository`).
    pub module: String,
    pub role: Role,
    pub docs: Option<String>,
    pub members: Vec<MemberIr>,
}

impl StructIr {
    /// Whether building it can fail (a required member without a default).
    pub fn has_required(&self) -> bool {
        self.members.iter().any(|m| m.required)
    }
}

/// A structure member.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberIr {
    /// The JSON key.
    pub wire_name: String,
    /// The field, accessor and builder method name as written in Rust (`r#type` when escaped).
    pub field: String,
    /// The unescaped snake name (`type`).
    pub base: String,
    /// The builder's `set_` and `get_` methods.
    pub setter: String,
    pub getter: String,
    /// The message of a modeled error: also read from `Message`, and from the error metadata.
    pub is_error_message: bool,
    pub docs: Option<String>,
    pub ty: RustType,
    /// Stored as `Box<T>` because the member's type contains the structure again.
    pub boxed: bool,
    pub presence: Presence,
    /// `smithy.api#required` (builders check it).
    pub required: bool,
    /// `smithy.api#sensitive` on the member or its target: redacted in `Debug`.
    pub sensitive: bool,
    /// `smithy.api#idempotencyToken` on an optional string member of an input or of a
    /// structure inside one: a fresh UUID v4 is sent when the caller leaves it unset.
    pub idempotency_token: bool,
    /// The member's type holds structures or unions with idempotency tokens inside (at any
    /// depth), which are filled before sending.
    pub contains_tokens: bool,
    /// A number or boolean whose model default is zero (`false`), neither `@required` nor
    /// `@clientOptional`: left out of a request while it holds that default, as the AWS SDKs do
    /// (a plain `T` cannot tell "set to 0" from "never set", and the service reads absent as 0).
    pub omit_default_on_write: bool,
}

/// How a member is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `Option<T>`; absent and `null` are `None`.
    Optional,
    /// `T`, required by the model. A response that lacks it (or sends `null`) reads as the
    /// type's zero value instead of failing to parse (Smithy's client error correction);
    /// builders still refuse to build without it.
    Required,
    /// `T`; absent or `null` is `T::default()`, which is the model's default.
    ZeroDefault,
}

/// A member's Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    /// Non-finite values are strings on the wire.
    F32,
    F64,
    /// `bigInteger` and `bigDecimal`, kept as exact text.
    BigNumber,
    /// Base64 text on the wire.
    Blob,
    /// Any JSON value.
    Document,
    Timestamp(TimestampFormat),
    /// A generated structure, enum or union.
    Named {
        name: String,
        kind: NamedKind,
    },
    /// `sparse` lists hold `Option`s.
    List {
        item: Box<RustType>,
        sparse: bool,
    },
    /// Keys are strings on the JSON wire; `sparse` maps hold `Option`s.
    Map {
        value: Box<RustType>,
        sparse: bool,
    },
}

impl RustType {
    /// Whether the JSON form differs from the Rust type's own serde form somewhere inside
    /// (floats, formatted timestamps), so the member needs a wire adapter.
    pub fn needs_adapter(&self) -> bool {
        match self {
            RustType::F32 | RustType::F64 => true,
            RustType::Timestamp(format) => *format != TimestampFormat::EpochSeconds,
            RustType::List { item, .. } => item.needs_adapter(),
            RustType::Map { value, .. } => value.needs_adapter(),
            _ => false,
        }
    }
}

/// `smithy.api#timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// The awsJson default: a JSON number of seconds.
    EpochSeconds,
    /// RFC 3339 text.
    DateTime,
    /// IMF-fixdate text.
    HttpDate,
}

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Struct,
    Enum,
    IntEnum,
    Union,
}

/// A string enum that keeps unknown values.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumIr {
    pub shape_id: String,
    pub name: String,
    pub module: String,
    pub docs: Option<String>,
    pub variants: Vec<VariantIr>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantIr {
    pub name: String,
    pub value: String,
    pub docs: Option<String>,
}

/// An `intEnum`: integer values, unknown ones kept.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnumIr {
    pub shape_id: String,
    pub name: String,
    pub module: String,
    pub docs: Option<String>,
    pub variants: Vec<IntVariantIr>,
}

/// One `intEnum` value.
#[derive(Debug, Clone, PartialEq)]
pub struct IntVariantIr {
    pub name: String,
    pub value: i32,
    pub docs: Option<String>,
}

/// A tagged union: exactly one member is set; unknown members are kept by name.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionIr {
    pub shape_id: String,
    pub name: String,
    pub module: String,
    pub docs: Option<String>,
    pub variants: Vec<UnionVariantIr>,
}

/// One union member.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariantIr {
    /// The enum variant (`PascalCase`).
    pub name: String,
    /// The `as_` and `is_` accessors.
    pub as_fn: String,
    pub is_fn: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: RustType,
    pub boxed: bool,
    /// Like [`MemberIr::contains_tokens`].
    pub contains_tokens: bool,
}
