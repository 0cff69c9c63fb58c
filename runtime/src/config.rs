//! Client configuration, as a plain value: region, credentials, endpoint, retries, timeouts,
//! clock, HTTP connection.
//!
//! Two ways in:
//! - [`Config::builder`] takes only what you set explicitly and reads nothing from the
//!   environment.
//! - [`Config::from_env`] (or [`ConfigBuilder::build_from_env`] to keep explicit settings, or
//!   [`Config::loader`] to read an injected environment and filesystem) follows the AWS
//!   conventions; see [`ConfigLoader`](crate::ConfigLoader) for the order of every setting.
//!
//! A `Config` holds no closures and does no loading: what the environment said is resolved by
//! the loader into values here (including per-service endpoints such as
//! `AWS_ENDPOINT_URL_ECR`), so [`Config::to_builder`] keeps everything.
//!
//! A custom endpoint (explicit or from the environment) cannot be combined with FIPS or
//! dual-stack: the endpoint rules reject that combination with a clear error.

use crate::credentials::{Credentials, CredentialsSource, ProvideCredentials};
use crate::endpoint_rules::Partitions;
use crate::error::ConfigError;
use crate::http_client::{HttpClient, SharedHttpClient};
use crate::os::Clock;
use crate::proxy::ProxyConfig;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub use crate::retry::{RetryConfig, RetryMode};

/// An AWS region such as `us-west-2`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// A region from any string; validated when the client is built.
    pub fn new(region: impl Into<Cow<'static, str>>) -> Self {
        Self(region.into())
    }

    /// A region from a string constant.
    pub const fn from_static(region: &'static str) -> Self {
        Self(Cow::Borrowed(region))
    }

    /// The region's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks that the region can go into a host name and a signature: dot-separated labels of
    /// ASCII letters, digits and `-`, none empty, none starting or ending with `-`, at most 63
    /// characters in all. The error repeats only the start of a long region.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let r = self.as_str();
        let valid = !r.is_empty()
            && r.len() <= MAX_REGION_LEN
            && r.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if valid {
            Ok(())
        } else {
            Err(ConfigError::InvalidRegion {
                region: crate::redact::shorten(r, MAX_REGION_LEN).into_owned(),
            })
        }
    }
}

/// A region longer than this is refused (the longest AWS region name is about 20 characters).
const MAX_REGION_LEN: usize = 63;

impl From<&str> for Region {
    fn from(region: &str) -> Self {
        Self(Cow::Owned(region.to_owned()))
    }
}

impl From<String> for Region {
    fn from(region: String) -> Self {
        Self(Cow::Owned(region))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long to wait for a connection, one attempt, and the whole operation.
///
/// Defaults: connect 3.1 s, attempt 30 s, operation unlimited, stalled stream 5 s. `None`
/// disables a timeout.
///
/// - connect: establishing a new TCP connection;
/// - attempt: one whole attempt: loading credentials (when a provider must be asked), signing,
///   connecting (TLS handshake included), sending, and reading the whole response;
/// - operation: all attempts and the pauses between them;
/// - stalled stream: once the response head has arrived, the longest wait for the next piece of
///   the body. A body that makes no progress for this long fails the attempt (retried only if
///   the status was not a success), instead of holding it until the attempt timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
    stalled_stream: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            // 3.1 s: just past the 3 s TCP SYN retransmission, as the AWS SDKs do.
            connect: Some(Duration::from_millis(3100)),
            attempt: Some(Duration::from_secs(30)),
            operation: None,
            stalled_stream: Some(Duration::from_secs(5)),
        }
    }
}

impl TimeoutConfig {
    /// No timeouts at all.
    pub fn disabled() -> Self {
        Self {
            connect: None,
            attempt: None,
            operation: None,
            stalled_stream: None,
        }
    }

    /// Sets the connect timeout (`None`: wait as long as the OS does).
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect = timeout;
        self
    }

    /// Sets the per-attempt timeout (`None`: no limit).
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// Sets the whole-operation timeout, retries and backoff included (`None`: no limit).
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// Sets the stalled-stream grace period (`None`: stalled-stream protection off).
    pub fn with_stalled_stream_grace(mut self, grace: Option<Duration>) -> Self {
        self.stalled_stream = grace;
        self
    }

    /// The stalled-stream grace period.
    pub fn stalled_stream_grace(&self) -> Option<Duration> {
        self.stalled_stream
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The whole-operation timeout.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}

/// Endpoint URLs read from the environment and the profile, by service.
///
/// Keys are service ids as in the variable names: `ECR` for `AWS_ENDPOINT_URL_ECR` and for
/// `ecr = \n  endpoint_url = ...` in a `[services NAME]` section.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConfiguredEndpoints {
    /// `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`: for every service without its own.
    pub global: Option<String>,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, else `endpoint_url` under the service in the profile's
    /// `services` section.
    pub services: BTreeMap<String, String>,
}

impl ConfiguredEndpoints {
    /// The URL configured for the service with id `env_service_id` (`ECR`), else the global one.
    pub fn for_service(&self, env_service_id: &str) -> Option<&str> {
        self.services
            .get(&service_key(env_service_id))
            .or(self.global.as_ref())
            .map(String::as_str)
    }

    /// True when nothing is configured.
    pub fn is_empty(&self) -> bool {
        self.global.is_none() && self.services.is_empty()
    }
}

// URLs may carry `user:password@`: Debug hides it.
impl fmt::Debug for ConfiguredEndpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let services: BTreeMap<_, _> = self
            .services
            .iter()
            .map(|(k, v)| (k, crate::redact::url(v)))
            .collect();
        f.debug_struct("ConfiguredEndpoints")
            .field("global", &self.global.as_deref().map(crate::redact::url))
            .field("services", &services)
            .finish()
    }
}

/// `ECR` stays `ECR`; `Some Service` and `some_service` become `SOME_SERVICE`, as the AWS SDKs
/// name the variable.
pub fn service_key(id: &str) -> String {
    id.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Settings for a service client: plain values, cheap to clone. `Debug` never shows secrets.
#[derive(Clone, Debug, Default)]
pub struct Config {
    region: Option<Region>,
    credentials: Option<CredentialsSource>,
    endpoint_url: Option<crate::redact::UrlText>,
    configured_endpoints: ConfiguredEndpoints,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    clock: Clock,
    connect_to: Option<SocketAddr>,
    use_fips: bool,
    use_dual_stack: bool,
    partitions: Option<PartitionsDebug>,
    http_client: Option<SharedHttpClient>,
    ca_bundle: Option<CaBundle>,
    proxy: Option<ProxyConfig>,
    disable_host_prefix: bool,
    request_compression: RequestCompressionConfig,
}

/// PEM text of extra root certificates, shown in `Debug` by size only.
#[derive(Clone)]
struct CaBundle(Arc<[u8]>);

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes of PEM", self.0.len())
    }
}

/// Partition data, shown in `Debug` only as "custom".
#[derive(Clone)]
struct PartitionsDebug(Partitions);

impl fmt::Debug for PartitionsDebug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("custom")
    }
}

impl Config {
    /// A builder that reads nothing from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this configuration, to change some of it. Keeps everything, including
    /// what the loader read from the environment (such as `AWS_ENDPOINT_URL_ECR`).
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: self.region.clone(),
            credentials: self.credentials.clone(),
            endpoint_url: self.endpoint_url.clone(),
            configured_endpoints: self.configured_endpoints.clone(),
            retry: Some(self.retry.clone()),
            timeouts: Some(self.timeouts),
            clock: self.clock.clone(),
            connect_to: self.connect_to,
            use_fips: Some(self.use_fips),
            use_dual_stack: Some(self.use_dual_stack),
            partitions: self.partitions.clone(),
            http_client: self.http_client.clone(),
            ca_bundle: self.ca_bundle.clone(),
            proxy: self.proxy.clone(),
            disable_host_prefix: Some(self.disable_host_prefix),
            disable_request_compression: Some(self.request_compression.disabled),
            request_min_compression_size_bytes: Some(self.request_compression.min_size_bytes),
        }
    }

    /// The region, if one is configured.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The explicitly configured endpoint URL (it wins over [`configured_endpoints`]).
    ///
    /// [`configured_endpoints`]: Self::configured_endpoints
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Endpoint URLs from the environment and the profile, by service.
    pub fn configured_endpoints(&self) -> &ConfiguredEndpoints {
        &self.configured_endpoints
    }

    /// The custom endpoint for the service with id `env_service_id`: explicit, else
    /// `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section, `AWS_ENDPOINT_URL`, the
    /// profile's `endpoint_url`.
    pub fn endpoint_url_for(&self, env_service_id: &str) -> Option<&str> {
        self.endpoint_url
            .as_deref()
            .or_else(|| self.configured_endpoints.for_service(env_service_id))
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeout settings.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The address every connection goes to, if overridden (see [`ConfigBuilder::connect_to`]).
    pub fn connect_to(&self) -> Option<SocketAddr> {
        self.connect_to
    }

    /// Whether to use FIPS endpoints.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether to use dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The partition data given with [`ConfigBuilder::partitions`], if any (else the
    /// [built-in](Partitions::builtin) data is used).
    pub fn partitions(&self) -> Option<&Partitions> {
        self.partitions.as_ref().map(|p| &p.0)
    }

    /// True when credentials or a credentials provider are configured.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// The injected HTTP client, if any (else each client builds the default pool).
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }

    /// The proxies requests go through, if any.
    pub fn proxy(&self) -> Option<&ProxyConfig> {
        self.proxy.as_ref()
    }

    /// The extra root certificates (PEM) trusted besides the system's, if any.
    pub fn ca_bundle_pem(&self) -> Option<&[u8]> {
        self.ca_bundle.as_ref().map(|bundle| &*bundle.0)
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The current time according to the configured clock.
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// The region, checked; an error saying where to set it if there is none.
    pub fn require_region(&self) -> Result<&Region, ConfigError> {
        let region = self
            .region
            .as_ref()
            .ok_or_else(|| ConfigError::MissingRegion {
                looked_at: "the explicit setting only (ConfigBuilder::region); Config::from_env \
                        also reads AWS_REGION, AWS_DEFAULT_REGION and the shared config file"
                    .to_owned(),
            })?;
        region.validate()?;
        Ok(region)
    }

    pub(crate) fn credentials_source(&self) -> Option<&CredentialsSource> {
        self.credentials.as_ref()
    }

    /// True when operations with a host prefix (`smithy.api#endpoint`) are sent to the bare
    /// endpoint host (see [`ConfigBuilder::disable_host_prefix`]).
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix
    }

    /// True when request compression is off (see
    /// [`ConfigBuilder::disable_request_compression`]).
    pub fn disable_request_compression(&self) -> bool {
        self.request_compression.disabled
    }

    /// The smallest body that is compressed, in bytes (see
    /// [`ConfigBuilder::request_min_compression_size_bytes`]).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_compression.min_size_bytes
    }
}

/// The request compression settings (`smithy.api#requestCompression`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RequestCompressionConfig {
    pub(crate) disabled: bool,
    pub(crate) min_size_bytes: u32,
}

impl Default for RequestCompressionConfig {
    fn default() -> Self {
        Self {
            disabled: false,
            min_size_bytes: DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
        }
    }
}

/// The AWS SDKs' default smallest body worth compressing: 10 KiB.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

/// The largest minimum compression size the AWS SDKs accept: 10 MiB.
pub const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

/// Checks a minimum compression size read from `setting`.
pub(crate) fn check_min_compression_size(
    value: u32,
    setting: impl FnOnce() -> String,
) -> Result<u32, ConfigError> {
    if value <= MAX_MIN_COMPRESSION_SIZE_BYTES {
        Ok(value)
    } else {
        Err(ConfigError::InvalidSetting {
            setting: setting(),
            value: value.to_string(),
            expected: format!("a number of bytes from 0 to {MAX_MIN_COMPRESSION_SIZE_BYTES}"),
        })
    }
}

/// Builds a [`Config`]. Every setting is optional; see the [module docs](self) for defaults.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<Region>,
    credentials: Option<CredentialsSource>,
    endpoint_url: Option<crate::redact::UrlText>,
    configured_endpoints: ConfiguredEndpoints,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    clock: Clock,
    connect_to: Option<SocketAddr>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    partitions: Option<PartitionsDebug>,
    http_client: Option<SharedHttpClient>,
    ca_bundle: Option<CaBundle>,
    proxy: Option<ProxyConfig>,
    disable_host_prefix: Option<bool>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
}

impl ConfigBuilder {
    /// The region to call and sign for, such as `us-west-2`.
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSource::Static(credentials));
        self
    }

    /// A credentials provider (for example aws-config's default chain), asked lazily on the
    /// first call and again shortly before the credentials it returned expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(CredentialsSource::provider(provider));
        self
    }

    /// The endpoint to send requests to, such as `http://127.0.0.1:5000` for an emulator.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(crate::redact::UrlText(url.into()));
        self
    }

    /// Endpoint URLs by service, as the loader reads them from the environment and profile.
    pub fn configured_endpoints(mut self, endpoints: ConfiguredEndpoints) -> Self {
        self.configured_endpoints = endpoints;
        self
    }

    /// Retry behaviour; see [`RetryConfig`].
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Timeouts; see [`TimeoutConfig`].
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// The clock used for signing and credential expiry (a fixed clock makes signatures
    /// reproducible in tests).
    pub fn time_source(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Clock::from_fn(clock);
        self
    }

    /// The clock, as a [`Clock`].
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Sends every connection to `addr`, whatever host the endpoint names, like curl's
    /// `--connect-to`. The `Host` header, TLS server name and signature still use the endpoint's
    /// host. Useful to reach a private address under a public name, and for tests. Applies to
    /// the default HTTP client only.
    pub fn connect_to(mut self, addr: SocketAddr) -> Self {
        self.connect_to = Some(addr);
        self
    }

    /// Use FIPS endpoints (FIPS 140 validated cryptography), such as
    /// `https://api.ecr-fips.us-gov-west-1.amazonaws.com`. Resolution fails with a clear error
    /// where the partition has none, or together with a custom endpoint.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Use dual-stack endpoints (reachable over IPv4 and IPv6), such as
    /// `https://ecr.us-east-1.api.aws`. Resolution fails with a clear error where the partition
    /// has none, or together with a custom endpoint.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Partition data to resolve endpoints with instead of the built-in data, for example
    /// AWS's newer `partitions.json` loaded with [`Partitions::from_json`].
    pub fn partitions(mut self, partitions: Partitions) -> Self {
        self.partitions = Some(PartitionsDebug(partitions));
        self
    }

    /// The HTTP connection every request goes through (the service's and the credential
    /// sources'), instead of the default hyper pool: for example a client that replays recorded
    /// traffic in tests.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// Sends requests through these proxies. The loader reads `HTTPS_PROXY`, `HTTP_PROXY` and
    /// `NO_PROXY` (or their lowercase forms) when this is not set; `ProxyConfig::none()` here
    /// ignores them.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Extra root certificates to trust besides the system's, as PEM text (one or more
    /// `-----BEGIN CERTIFICATE-----` blocks): for a private CA or a TLS-inspecting proxy. The
    /// loader reads the file named by `AWS_CA_BUNDLE` or the profile's `ca_bundle`. A bundle
    /// without any certificate is an error when the client is built.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundle = Some(CaBundle(Arc::from(pem.into())));
        self
    }

    /// Sends operations whose model gives a host prefix (`smithy.api#endpoint`, such as
    /// `data-` or `{AccountId}.`) to the endpoint's host as it is, instead of the prefixed host
    /// the AWS SDKs use by default (with a custom endpoint too). For emulators reached by IP
    /// address (`http://127.0.0.1:4566`), where a prefixed host name cannot resolve. Host labels
    /// are still checked. Default `false`.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.disable_host_prefix = Some(disable);
        self
    }

    /// Turns off gzip compression of request bodies for operations that ask for it
    /// (`smithy.api#requestCompression`). The loader reads `AWS_DISABLE_REQUEST_COMPRESSION`,
    /// else the profile's `disable_request_compression`, when this is not set. Default `false`.
    /// Compression needs aws-thin-runtime's `request-compression` feature, which generated
    /// crates enable when their model has such an operation.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// The smallest request body that is compressed, in bytes, from 0 to 10,485,760 (a larger
    /// value is an error when the client is built). The loader reads
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, else the profile's
    /// `request_min_compression_size_bytes`, when this is not set. Default 10,240.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// The configuration as set, reading nothing from the environment.
    pub fn build(self) -> Config {
        Config {
            region: self.region,
            credentials: self.credentials,
            endpoint_url: self.endpoint_url,
            configured_endpoints: self.configured_endpoints,
            retry: self.retry.unwrap_or_default(),
            timeouts: self.timeouts.unwrap_or_default(),
            clock: self.clock,
            connect_to: self.connect_to,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            partitions: self.partitions,
            http_client: self.http_client,
            ca_bundle: self.ca_bundle,
            proxy: self.proxy,
            disable_host_prefix: self.disable_host_prefix.unwrap_or(false),
            request_compression: RequestCompressionConfig {
                disabled: self.disable_request_compression.unwrap_or(false),
                min_size_bytes: self
                    .request_min_compression_size_bytes
                    .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE_BYTES),
            },
        }
    }

    // Read by the loader, which fills only what is unset.
    pub(crate) fn region_is_set(&self) -> bool {
        self.region.is_some()
    }
    pub(crate) fn credentials_are_set(&self) -> bool {
        self.credentials.is_some()
    }
    pub(crate) fn proxy_is_set(&self) -> bool {
        self.proxy.is_some()
    }
    pub(crate) fn ca_bundle_is_set(&self) -> bool {
        self.ca_bundle.is_some()
    }
    pub(crate) fn retry_is_set(&self) -> bool {
        self.retry.is_some()
    }
    pub(crate) fn fips_is_set(&self) -> bool {
        self.use_fips.is_some()
    }
    pub(crate) fn dual_stack_is_set(&self) -> bool {
        self.use_dual_stack.is_some()
    }
    pub(crate) fn configured_endpoints_mut(&mut self) -> &mut ConfiguredEndpoints {
        &mut self.configured_endpoints
    }
    pub(crate) fn get_http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }
    pub(crate) fn get_clock(&self) -> &Clock {
        &self.clock
    }
    pub(crate) fn get_region(&self) -> Option<&Region> {
        self.region.as_ref()
    }
    pub(crate) fn get_timeouts(&self) -> TimeoutConfig {
        self.timeouts.unwrap_or_default()
    }
    pub(crate) fn get_connect_to(&self) -> Option<SocketAddr> {
        self.connect_to
    }
    pub(crate) fn request_compression_disabled_is_set(&self) -> bool {
        self.disable_request_compression.is_some()
    }
    pub(crate) fn request_min_compression_size_is_set(&self) -> bool {
        self.request_min_compression_size_bytes.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_regions() {
        for good in ["us-west-2", "cn-north-1", "local", "eu-central-1"] {
            assert!(Region::from(good).validate().is_ok());
        }
        for bad in [
            "",
            "us west",
            "us-west-2/x",
            "a@b",
            "-x",
            "x.",
            "us-west-2\n",
            "us..west",
            "us.-west",
            "us-.west",
            &"a".repeat(64),
        ] {
            assert!(Region::from(bad).validate().is_err(), "{bad:?}");
        }
        assert!(Region::from("a".repeat(63)).validate().is_ok());
    }

    #[test]
    fn a_huge_region_is_a_short_error() {
        let huge = format!("us-{}-1", "a".repeat(100_000));
        let message = Region::from(huge).validate().unwrap_err().to_string();
        assert!(message.len() < 300, "{message}");
        assert!(message.contains("100005 characters in all"), "{message}");
    }

    #[test]
    fn service_keys_follow_the_variable_names() {
        assert_eq!(service_key("ECR"), "ECR");
        assert_eq!(service_key("ecr"), "ECR");
        assert_eq!(service_key("Elastic Beanstalk"), "ELASTIC_BEANSTALK");
        assert_eq!(service_key("elastic_beanstalk"), "ELASTIC_BEANSTALK");
    }
}
