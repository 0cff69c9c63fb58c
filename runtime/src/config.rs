//! Client configuration: region, credentials, endpoint, retries, timeouts, clock.
//!
//! Two ways in:
//! - [`Config::builder`] takes only what you set explicitly and reads nothing from the
//!   environment.
//! - [`Config::from_env`] (or [`ConfigBuilder::build_from_env`] to keep explicit settings)
//!   follows the AWS conventions:
//!   - region: explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`, then `region` of the profile in the
//!     shared config file;
//!   - credentials: explicit, `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`),
//!     then the profile in the shared credentials file and the shared config file;
//!   - profile: `AWS_PROFILE`, else `default`; files `AWS_SHARED_CREDENTIALS_FILE` (default
//!     `~/.aws/credentials`) and `AWS_CONFIG_FILE` (default `~/.aws/config`);
//!   - endpoint: explicit, `AWS_ENDPOINT_URL_<SERVICE>` (for ECR: `AWS_ENDPOINT_URL_ECR`),
//!     `AWS_ENDPOINT_URL`, else the endpoint the service's endpoint rules give for the region
//!     and the FIPS and dual-stack settings (without rules: `https://{prefix}.{region}.amazonaws.com`,
//!     `.amazonaws.com.cn` in `cn-` regions). The service-specific part is resolved by
//!     [`ServiceClient::new`](crate::ServiceClient::new);
//!   - FIPS and dual-stack endpoints: explicit ([`ConfigBuilder::use_fips`],
//!     [`ConfigBuilder::use_dual_stack`]), `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`,
//!     then `use_fips_endpoint` / `use_dualstack_endpoint` in the profile; `true` or `false`
//!     (any case), anything else is an error; default `false`.
//!
//! A custom endpoint (explicit or from the environment) cannot be combined with FIPS or
//! dual-stack: the endpoint rules reject that combination with a clear error.
//!
//! Everything derivable is resolved once, when the client is built; a call does no config work.

use crate::client::ServiceMeta;
use crate::credentials::{Credentials, CredentialsSource, ProvideCredentials};
use crate::endpoint_rules::Partitions;
use crate::error::ConfigError;
use crate::profile::Profile;
use std::borrow::Cow;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub use crate::retry::{RetryConfig, RetryMode};

/// Looks up an environment variable by name (injectable so tests need not touch the process).
pub(crate) type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Reads `name` through `env`, treating empty or blank values as unset.
pub(crate) fn env_var(env: &EnvLookup, name: &str) -> Option<String> {
    let value = env(name)?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == value.len() {
        Some(value)
    } else {
        Some(trimmed.to_owned())
    }
}

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
}

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
/// Defaults: connect 3.1 s, attempt 30 s, operation unlimited. `None` disables a timeout.
///
/// - connect: establishing a new TCP connection;
/// - attempt: one whole attempt: loading credentials (when a provider must be asked), signing,
///   connecting (TLS handshake included), sending, and reading the whole response;
/// - operation: all attempts and the pauses between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            // 3.1 s: just past the 3 s TCP SYN retransmission, as the AWS SDKs do.
            connect: Some(Duration::from_millis(3100)),
            attempt: Some(Duration::from_secs(30)),
            operation: None,
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

/// Settings for a service client. Cheap to clone. `Debug` never shows secrets.
#[derive(Clone)]
pub struct Config {
    region: Option<Region>,
    credentials: Option<CredentialsSource>,
    endpoint_url: Option<String>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    clock: Option<Clock>,
    connect_to: Option<SocketAddr>,
    use_fips: bool,
    use_dual_stack: bool,
    partitions: Option<Partitions>,
    // Set by from_env: ServiceClient::new reads AWS_ENDPOINT_URL_<SERVICE> through it.
    env: Option<EnvLookup>,
}

impl Config {
    /// A builder that reads nothing from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Configuration from the process environment and the shared AWS files.
    ///
    /// Fails with a [`ConfigError`] naming every place it looked when no region or no
    /// credentials are found, or when a file cannot be parsed. To supply credentials some other
    /// way (for example aws-config's provider chain), use
    /// `Config::builder().credentials_provider(p).build_from_env()`.
    pub fn from_env() -> Result<Config, ConfigError> {
        ConfigBuilder::default().build_from_env()
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` instead of the
    /// process environment (so tests can inject them).
    pub fn from_env_with(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Result<Config, ConfigError> {
        ConfigBuilder::default().build_from_env_with(lookup)
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: self.region.clone(),
            credentials: self.credentials.clone(),
            endpoint_url: self.endpoint_url.clone(),
            retry: Some(self.retry.clone()),
            timeouts: Some(self.timeouts),
            clock: self.clock.clone(),
            connect_to: self.connect_to,
            use_fips: Some(self.use_fips),
            use_dual_stack: Some(self.use_dual_stack),
            partitions: self.partitions.clone(),
        }
    }

    /// The region, if one is configured.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The explicitly configured endpoint URL (environment overrides are resolved per service).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
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
        self.partitions.as_ref()
    }

    /// True when credentials or a credentials provider are configured.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// The current time according to the configured clock.
    pub fn now(&self) -> SystemTime {
        match &self.clock {
            Some(clock) => clock(),
            None => SystemTime::now(),
        }
    }

    /// The endpoint URL a client for `service` uses with this configuration (explicit,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the service's endpoint rules for the
    /// region, FIPS and dual-stack settings). An error rule's message comes back as
    /// [`ConfigError::EndpointResolution`].
    pub fn resolve_endpoint(&self, service: &ServiceMeta) -> Result<String, ConfigError> {
        let region = self.require_region()?;
        Ok(crate::endpoint::resolve(self, service, region)?
            .uri
            .to_string())
    }

    /// The region, checked; an error saying where to set it if there is none.
    pub(crate) fn require_region(&self) -> Result<&Region, ConfigError> {
        let region = self
            .region
            .as_ref()
            .ok_or_else(|| ConfigError::MissingRegion {
                looked_at: "the explicit setting only (ConfigBuilder::region); Config::from_env \
                        also reads AWS_REGION, AWS_DEFAULT_REGION and the shared config file"
                    .to_owned(),
            })?;
        crate::endpoint::validate_region(region)?;
        Ok(region)
    }

    pub(crate) fn credentials_source(&self) -> Option<&CredentialsSource> {
        self.credentials.as_ref()
    }

    pub(crate) fn env(&self) -> Option<&EnvLookup> {
        self.env.as_ref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region.as_ref().map(Region::as_str))
            .field("credentials", &self.credentials)
            .field(
                "endpoint_url",
                &self.endpoint_url.as_deref().map(crate::redact::url),
            )
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field(
                "clock",
                &if self.clock.is_some() {
                    "custom"
                } else {
                    "system"
                },
            )
            .field("connect_to", &self.connect_to)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("partitions", &self.partitions.as_ref().map(|_| "custom"))
            .field("reads_env", &self.env.is_some())
            .finish()
    }
}

/// Builds a [`Config`]. Every setting is optional; see the [module docs](self) for defaults.
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    region: Option<Region>,
    credentials: Option<CredentialsSource>,
    endpoint_url: Option<String>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    clock: Option<Clock>,
    connect_to: Option<SocketAddr>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    partitions: Option<Partitions>,
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
        self.endpoint_url = Some(url.into());
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
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Sends every connection to `addr`, whatever host the endpoint names, like curl's
    /// `--connect-to`. The `Host` header, TLS server name and signature still use the endpoint's
    /// host. Useful to reach a private address under a public name, and for tests.
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
        self.partitions = Some(partitions);
        self
    }

    /// The configuration as set, reading nothing from the environment.
    pub fn build(self) -> Config {
        self.finish(None)
    }

    /// Fills every unset region, credentials, endpoint, FIPS and dual-stack setting from the
    /// process environment and shared files; see [`Config::from_env`].
    pub fn build_from_env(self) -> Result<Config, ConfigError> {
        self.build_from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`build_from_env`](Self::build_from_env), reading variables through `lookup`.
    pub fn build_from_env_with(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Result<Config, ConfigError> {
        let env: EnvLookup = Arc::new(lookup);
        // Read the shared files only if something is still missing.
        let mut profile: Option<Profile> = None;
        let profile_name = env_var(&env, "AWS_PROFILE").unwrap_or_else(|| "default".to_owned());

        if self.region.is_none() {
            let from_env =
                env_var(&env, "AWS_REGION").or_else(|| env_var(&env, "AWS_DEFAULT_REGION"));
            let region = match from_env {
                Some(region) => region,
                None => {
                    let profile = load_once(&mut profile, &env, &profile_name)?;
                    profile.get("region").map(str::to_owned).ok_or_else(|| {
                        ConfigError::MissingRegion {
                            looked_at: format!(
                                "the explicit setting, AWS_REGION, AWS_DEFAULT_REGION, and `region` in {}",
                                profile.describe_config_file()
                            ),
                        }
                    })?
                }
            };
            self.region = Some(Region::from(region));
        }

        if self.credentials.is_none() {
            let credentials = match crate::credentials::from_env_vars(&env)? {
                Some(credentials) => credentials,
                None => {
                    let profile = load_once(&mut profile, &env, &profile_name)?;
                    crate::credentials::from_profile(profile)?.ok_or_else(|| {
                        ConfigError::MissingCredentials {
                            looked_at: format!(
                                "the explicit setting, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, and {}",
                                profile.describe_both_files()
                            ),
                        }
                    })?
                }
            };
            self.credentials = Some(CredentialsSource::Static(credentials));
        }

        for (slot, variable, key) in [
            (
                &mut self.use_fips,
                "AWS_USE_FIPS_ENDPOINT",
                "use_fips_endpoint",
            ),
            (
                &mut self.use_dual_stack,
                "AWS_USE_DUALSTACK_ENDPOINT",
                "use_dualstack_endpoint",
            ),
        ] {
            if slot.is_some() {
                continue;
            }
            *slot = match env_var(&env, variable) {
                Some(value) => Some(parse_bool(&value, || variable.to_owned())?),
                None => {
                    let profile = load_once(&mut profile, &env, &profile_name)?;
                    match profile.get(key) {
                        Some(value) => Some(parse_bool(value, || {
                            format!("`{key}` in {}", profile.describe_config_file())
                        })?),
                        None => None,
                    }
                }
            };
        }

        // The endpoint variables are read by ServiceClient::new through `env`: the
        // service-specific one (AWS_ENDPOINT_URL_ECR) needs to know the service.
        Ok(self.finish(Some(env)))
    }

    fn finish(self, env: Option<EnvLookup>) -> Config {
        Config {
            region: self.region,
            credentials: self.credentials,
            endpoint_url: self.endpoint_url,
            retry: self.retry.unwrap_or_default(),
            timeouts: self.timeouts.unwrap_or_default(),
            clock: self.clock,
            connect_to: self.connect_to,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            partitions: self.partitions,
            env,
        }
    }
}

/// `true` or `false` in any case, as the AWS SDKs accept; `setting` names the source.
fn parse_bool(value: &str, setting: impl FnOnce() -> String) -> Result<bool, ConfigError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(ConfigError::InvalidSetting {
            setting: setting(),
            value: value.to_owned(),
            expected: "true or false".to_owned(),
        })
    }
}

fn load_once<'a>(
    slot: &'a mut Option<Profile>,
    env: &EnvLookup,
    name: &str,
) -> Result<&'a Profile, ConfigError> {
    Ok(match slot {
        Some(profile) => profile,
        None => slot.insert(Profile::load(env, name)?),
    })
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region.as_ref().map(Region::as_str))
            .field("credentials", &self.credentials)
            .field(
                "endpoint_url",
                &self.endpoint_url.as_deref().map(crate::redact::url),
            )
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field(
                "clock",
                &if self.clock.is_some() {
                    "custom"
                } else {
                    "system"
                },
            )
            .field("connect_to", &self.connect_to)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("partitions", &self.partitions.as_ref().map(|_| "custom"))
            .finish()
    }
}
