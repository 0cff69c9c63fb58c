//! The one place configuration is read from the environment: [`ConfigLoader`].
//!
//! It reads the [`Env`] and [`Fs`] seams through the sources (the profile files, the region
//! chain, the credential chain) into a plain [`Config`]. Only settings still unset on the
//! builder are filled:
//!
//! - region: explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`, `region` of the profile, then the
//!   region sources after them (IMDS, see [`crate::region`]);
//! - credentials: explicit, else the default credential chain ([`provider::default_chain`]),
//!   asked on the first call and cached;
//! - profile: `AWS_PROFILE`, else `default` (or [`ConfigLoader::profile`]); files
//!   `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (default
//!   `~/.aws/credentials`);
//! - endpoint: explicit, `AWS_ENDPOINT_URL_<SERVICE>` (for ECR `AWS_ENDPOINT_URL_ECR`),
//!   `endpoint_url` under the service in the profile's `services` section, `AWS_ENDPOINT_URL`,
//!   the profile's `endpoint_url`; none of these (explicit aside) when
//!   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's `ignore_configured_endpoint_urls`
//!   is `true`. Else the service's endpoint rules decide;
//! - FIPS and dual-stack: explicit, `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`, then
//!   `use_fips_endpoint` / `use_dualstack_endpoint` in the profile; `true` or `false` (any case),
//!   anything else is an error; default `false`;
//! - proxies: explicit ([`ConfigBuilder::proxy`]), else `HTTPS_PROXY`, `HTTP_PROXY` and
//!   `NO_PROXY` (uppercase, else lowercase);
//! - extra root certificates: explicit ([`ConfigBuilder::ca_bundle_pem`]), else the PEM file
//!   named by `AWS_CA_BUNDLE`, else by the profile's `ca_bundle`;
//! - retries (unless [`ConfigBuilder::retry_config`] was given): `AWS_MAX_ATTEMPTS`, else
//!   `max_attempts` in the profile (a number, 1 or more); `AWS_RETRY_MODE`, else `retry_mode`
//!   (`standard`, `adaptive` or `legacy`, see [`crate::RetryMode`]); default standard, 3 attempts;
//! - request compression (`smithy.api#requestCompression`): explicit, else
//!   `AWS_DISABLE_REQUEST_COMPRESSION` / `disable_request_compression` (`true` or `false`) and
//!   `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` / `request_min_compression_size_bytes` (0 to
//!   10485760); default on, 10240 bytes.

use crate::config::{
    service_key, Config, ConfigBuilder, Region, RetryConfig, RetryMode,
    MAX_MIN_COMPRESSION_SIZE_BYTES,
};
use crate::error::ConfigError;
use crate::http_client::SharedHttpClient;
use crate::os::{setting, Env, Fs};
use crate::profile::ProfileSet;
use crate::provider::{self, ChainProvider, SourceContext};
use crate::proxy::ProxyConfig;
use crate::region;
use crate::transport::HyperClient;
use std::sync::Arc;

/// Reads an environment and filesystem (the real ones unless injected) into a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigLoader {
    builder: ConfigBuilder,
    env: Env,
    fs: Fs,
    profile: Option<String>,
}

impl Config {
    /// Configuration from the process environment and the shared AWS files; see
    /// [`ConfigLoader`] for the order of every setting.
    ///
    /// Fails with a [`ConfigError`] naming every place it looked when no region is found, or
    /// when a file or setting cannot be used. Credentials come from the default chain on the
    /// first call (a failure there lists every source tried). To supply credentials some other
    /// way, use `Config::builder().credentials_provider(p).build_from_env()`.
    pub fn from_env() -> Result<Config, ConfigError> {
        ConfigLoader::default().load()
    }

    /// Like [`from_env`](Self::from_env), reading the variables of `env` instead of the process
    /// environment (so tests can inject them). Files are still read from disk.
    pub fn from_env_with(env: Env) -> Result<Config, ConfigError> {
        Config::loader().env(env).load()
    }

    /// A loader, to inject the environment, the filesystem or the profile name.
    pub fn loader() -> ConfigLoader {
        ConfigLoader::default()
    }
}

impl ConfigBuilder {
    /// Fills every unset setting from the process environment and shared files; see
    /// [`ConfigLoader`].
    pub fn build_from_env(self) -> Result<Config, ConfigError> {
        self.loader().load()
    }

    /// Like [`build_from_env`](Self::build_from_env), reading the variables of `env`.
    pub fn build_from_env_with(self, env: Env) -> Result<Config, ConfigError> {
        self.loader().env(env).load()
    }

    /// A loader that fills what this builder leaves unset.
    pub fn loader(self) -> ConfigLoader {
        ConfigLoader {
            builder: self,
            ..ConfigLoader::default()
        }
    }
}

impl ConfigLoader {
    /// Reads variables from `env` instead of the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Reads files through `fs` instead of the real filesystem.
    pub fn fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self
    }

    /// Uses profile `name` instead of `AWS_PROFILE` or `default`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads everything still unset. See the [module docs](self) for the order.
    pub fn load(self) -> Result<Config, ConfigError> {
        let ConfigLoader {
            mut builder,
            env,
            fs,
            profile,
        } = self;
        // Shared with the sources, not copied.
        let shared = Arc::new(ProfileSet::load(&env, &fs, profile.as_deref()));
        let profiles = &*shared;
        // A file that cannot be parsed is an error only where a setting has to come from it.
        let need_profiles = || profiles.as_ref().map_err(clone_config_error);

        // The injected client, else a default pool. The region sources get a pool of their
        // own: they run on a runtime of their own, and a pool is tied to the runtime it ran on.
        let injected = builder.get_http_client().cloned();
        let connect_timeout = builder.get_timeouts().connect_timeout();
        let connect_to = builder.get_connect_to();
        let http = || {
            injected.clone().unwrap_or_else(|| {
                SharedHttpClient::new(HyperClient::new(connect_timeout, connect_to))
            })
        };

        let region_ctx = || {
            SourceContext::new_with_shared_profiles(env.clone(), fs.clone(), http(), shared.clone())
                .with_clock(builder.get_clock().clone())
        };
        if !builder.region_is_set() {
            let region = match region::from_env(&env)? {
                Some(region) => region,
                None => match need_profiles()?.get("region") {
                    Some(region) => Region::from(region),
                    None => region::from_later_sources(region_ctx()).map_err(|tried| {
                        ConfigError::MissingRegion {
                            looked_at: format!(
                                "the explicit setting, AWS_REGION, AWS_DEFAULT_REGION, `region` in {}{}",
                                profiles
                                    .as_ref()
                                    .map(ProfileSet::describe_config_file)
                                    .unwrap_or_default(),
                                tried
                            ),
                        }
                    })?,
                },
            };
            builder = builder.region(region);
        }

        for (variable, key, is_set) in [
            (
                "AWS_USE_FIPS_ENDPOINT",
                "use_fips_endpoint",
                builder.fips_is_set(),
            ),
            (
                "AWS_USE_DUALSTACK_ENDPOINT",
                "use_dualstack_endpoint",
                builder.dual_stack_is_set(),
            ),
        ] {
            if is_set {
                continue;
            }
            let value = match setting(&env, variable)? {
                Some(value) => Some(parse_bool(&value, || variable.to_owned())?),
                None => {
                    let profiles = need_profiles()?;
                    match profiles.get(key) {
                        Some(value) => Some(parse_bool(value, || {
                            format!("`{key}` in {}", profiles.describe_config_file())
                        })?),
                        None => None,
                    }
                }
            };
            builder = match (variable, value) {
                ("AWS_USE_FIPS_ENDPOINT", Some(v)) => builder.use_fips(v),
                (_, Some(v)) => builder.use_dual_stack(v),
                (_, None) => builder,
            };
        }

        read_endpoints(&mut builder, &env, profiles.as_ref().ok())?;

        if !builder.proxy_is_set() {
            // The uppercase name first, then the lowercase one, as most tools read them.
            let either = |name: &str| -> Result<Option<String>, ConfigError> {
                Ok(match setting(&env, name)? {
                    Some(value) => Some(value),
                    None => setting(&env, &name.to_ascii_lowercase())?,
                })
            };
            let mut proxy = ProxyConfig::none();
            if let Some(url) = either("HTTPS_PROXY")? {
                proxy = proxy.with_https_proxy(&url)?;
            }
            if let Some(url) = either("HTTP_PROXY")? {
                proxy = proxy.with_http_proxy(&url)?;
            }
            if let Some(list) = either("NO_PROXY")? {
                proxy = proxy.with_no_proxy(&list);
            }
            if !proxy.is_none() {
                builder = builder.proxy(proxy);
            }
        }

        if !builder.ca_bundle_is_set() {
            let path = match setting(&env, "AWS_CA_BUNDLE")? {
                Some(path) => Some((path, "AWS_CA_BUNDLE".to_owned())),
                // No variable says "no bundle": an unreadable profile is not an error here.
                None => profiles.as_ref().ok().and_then(|profiles| {
                    profiles.get("ca_bundle").map(|path| {
                        (
                            path.to_owned(),
                            format!("`ca_bundle` in {}", profiles.describe_config_file()),
                        )
                    })
                }),
            };
            if let Some((path, source)) = path {
                let pem = fs
                    .read(std::path::Path::new(&path))
                    .map_err(|e| ConfigError::Tls {
                        reason: format!("cannot read the CA bundle {path} (from {source}): {e}"),
                    })?;
                builder = builder.ca_bundle_pem(pem);
            }
        }

        if !builder.retry_is_set() {
            builder = builder.retry_config(read_retry_config(&env, &need_profiles)?);
        }

        // Like the CA bundle: an unreadable config file is no error here (compression only
        // saves bandwidth); its compression settings are then not applied.
        builder = read_request_compression(builder, &env, profiles.as_ref().ok())?;

        if !builder.credentials_are_set() {
            let ctx = SourceContext::new_with_shared_profiles(env, fs, http(), shared)
                .with_clock(builder.get_clock().clone())
                .with_region(builder.get_region().cloned());
            builder =
                builder.credentials_provider(ChainProvider::new(provider::default_chain(), ctx));
        }
        Ok(builder.build())
    }
}

/// Endpoint URLs from the environment and the profile, filling what the builder lacks.
fn read_endpoints(
    builder: &mut ConfigBuilder,
    env: &Env,
    profiles: Option<&ProfileSet>,
) -> Result<(), ConfigError> {
    let profile = profiles.and_then(ProfileSet::selected);
    let ignore = match setting(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")? {
        Some(value) => parse_bool(&value, || "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS".to_owned())?,
        None => match profile.and_then(|p| p.get("ignore_configured_endpoint_urls")) {
            Some(value) => parse_bool(value, || {
                "`ignore_configured_endpoint_urls` in the profile".to_owned()
            })?,
            None => false,
        },
    };
    if ignore {
        return Ok(());
    }
    let endpoints = builder.configured_endpoints_mut();
    // Environment first: an entry already present wins over what comes later.
    const PREFIX: &str = "AWS_ENDPOINT_URL_";
    for name in env.names_with_prefix(PREFIX) {
        if let Some(url) = setting(env, &name)? {
            endpoints
                .services
                .entry(service_key(&name[PREFIX.len()..]))
                .or_insert(url);
        }
    }
    if let (Some(profiles), Some(profile)) = (profiles, profile) {
        if let Some(section) = profile.get("services") {
            let services =
                profiles
                    .services(section)
                    .ok_or_else(|| ConfigError::InvalidSetting {
                        setting: format!("`services` in profile `{}`", profile.name()),
                        value: section.to_owned(),
                        expected: "the name of a [services NAME] section of the config file"
                            .to_owned(),
                    })?;
            for (service, _) in services.properties() {
                if let Some(url) = services.sub_property(service, "endpoint_url") {
                    endpoints
                        .services
                        .entry(service_key(service))
                        .or_insert_with(|| url.to_owned());
                }
            }
        }
    }
    if endpoints.global.is_none() {
        endpoints.global = match setting(env, "AWS_ENDPOINT_URL")? {
            Some(url) => Some(url),
            None => profile
                .and_then(|p| p.get("endpoint_url"))
                .map(str::to_owned),
        };
    }
    Ok(())
}

/// A setting from its environment variable, else from the profile's `key` (`profiles` is asked
/// only then), with where it came from, for errors.
fn env_or_profile<'p>(
    env: &Env,
    variable: &str,
    key: &str,
    profiles: impl FnOnce() -> Result<Option<&'p ProfileSet>, ConfigError>,
) -> Result<Option<(String, String)>, ConfigError> {
    if let Some(value) = setting(env, variable)? {
        return Ok(Some((value, variable.to_owned())));
    }
    let Some(profiles) = profiles()? else {
        return Ok(None);
    };
    Ok(profiles.get(key).map(|value| {
        (
            value.trim().to_owned(),
            format!("`{key}` in {}", profiles.describe_config_file()),
        )
    }))
}

/// `AWS_MAX_ATTEMPTS` (else the profile's `max_attempts`) and `AWS_RETRY_MODE` (else
/// `retry_mode`) over the standard defaults.
fn read_retry_config<'p>(
    env: &Env,
    need_profiles: &dyn Fn() -> Result<&'p ProfileSet, ConfigError>,
) -> Result<RetryConfig, ConfigError> {
    let read = |variable: &str, key: &str| {
        env_or_profile(env, variable, key, || need_profiles().map(Some))
    };
    let mut retry = RetryConfig::standard();
    if let Some((value, source)) = read("AWS_MAX_ATTEMPTS", "max_attempts")? {
        match value.parse::<u32>() {
            Ok(attempts) if attempts >= 1 => retry = retry.with_max_attempts(attempts),
            _ => {
                return Err(ConfigError::InvalidSetting {
                    setting: source,
                    value,
                    expected: "a whole number of attempts, 1 or more (1 turns retries off)"
                        .to_owned(),
                })
            }
        }
    }
    if let Some((value, source)) = read("AWS_RETRY_MODE", "retry_mode")? {
        match RetryMode::parse(&value) {
            Some(mode) => retry = retry.with_mode(mode),
            None => {
                return Err(ConfigError::InvalidSetting {
                    setting: source,
                    value,
                    expected: "standard, adaptive or legacy".to_owned(),
                })
            }
        }
    }
    Ok(retry)
}

/// `AWS_DISABLE_REQUEST_COMPRESSION` (else the profile's `disable_request_compression`) and
/// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` (else `request_min_compression_size_bytes`), for
/// what the builder leaves unset.
fn read_request_compression(
    mut builder: ConfigBuilder,
    env: &Env,
    profiles: Option<&ProfileSet>,
) -> Result<ConfigBuilder, ConfigError> {
    let read = |variable: &str, key: &str| env_or_profile(env, variable, key, || Ok(profiles));
    if !builder.request_compression_disabled_is_set() {
        if let Some((value, source)) = read(
            "AWS_DISABLE_REQUEST_COMPRESSION",
            "disable_request_compression",
        )? {
            builder = builder.disable_request_compression(parse_bool(&value, || source)?);
        }
    }
    if !builder.request_min_compression_size_is_set() {
        if let Some((value, source)) = read(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "request_min_compression_size_bytes",
        )? {
            let bytes = match value.parse::<u32>() {
                Ok(bytes) => crate::config::check_min_compression_size(bytes, || source)?,
                Err(_) => {
                    return Err(ConfigError::InvalidSetting {
                        setting: source,
                        value,
                        expected: format!(
                            "a number of bytes from 0 to {MAX_MIN_COMPRESSION_SIZE_BYTES}"
                        ),
                    })
                }
            };
            builder = builder.request_min_compression_size_bytes(bytes);
        }
    }
    Ok(builder)
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

/// Profile errors are reported where each setting needs them, so the one error is copied.
fn clone_config_error(error: &ConfigError) -> ConfigError {
    match error {
        ConfigError::Profile { path, line, reason } => ConfigError::Profile {
            path: path.clone(),
            line: *line,
            reason: reason.clone(),
        },
        other => ConfigError::Profile {
            path: Default::default(),
            line: None,
            reason: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    /// Loads with these variables and this `~/.aws/config`, region and credentials explicit.
    fn load(
        builder: ConfigBuilder,
        vars: &[(&str, &str)],
        config_file: &str,
    ) -> Result<Config, ConfigError> {
        let mut vars: Vec<(&str, &str)> = vars.to_vec();
        vars.extend([("HOME", "/home/me"), ("AWS_EC2_METADATA_DISABLED", "true")]);
        builder
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .loader()
            .env(Env::from_map(vars))
            .fs(Fs::from_map([("/home/me/.aws/config", config_file)]))
            .load()
    }

    #[test]
    fn request_compression_settings_come_from_code_then_env_then_profile() {
        let defaults = load(Config::builder(), &[], "").unwrap();
        assert!(!defaults.disable_request_compression());
        assert_eq!(defaults.request_min_compression_size_bytes(), 10_240);

        let profile = "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 128\n";
        let from_profile = load(Config::builder(), &[], profile).unwrap();
        assert!(from_profile.disable_request_compression());
        assert_eq!(from_profile.request_min_compression_size_bytes(), 128);

        let vars = [
            ("AWS_DISABLE_REQUEST_COMPRESSION", "FALSE"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
        ];
        let from_env = load(Config::builder(), &vars, profile).unwrap();
        assert!(!from_env.disable_request_compression());
        assert_eq!(from_env.request_min_compression_size_bytes(), 0);

        let explicit = Config::builder()
            .disable_request_compression(true)
            .request_min_compression_size_bytes(10_485_760);
        let from_code = load(explicit, &vars, profile).unwrap();
        assert!(from_code.disable_request_compression());
        assert_eq!(from_code.request_min_compression_size_bytes(), 10_485_760);
    }

    #[test]
    fn bad_request_compression_settings_are_errors_naming_their_source() {
        for (vars, profile, named) in [
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")][..],
                "",
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            ),
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1")][..],
                "",
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            ),
            (
                &[("AWS_DISABLE_REQUEST_COMPRESSION", "yes")][..],
                "",
                "AWS_DISABLE_REQUEST_COMPRESSION",
            ),
            (
                &[][..],
                "[default]\nrequest_min_compression_size_bytes = lots\n",
                "`request_min_compression_size_bytes` in",
            ),
        ] {
            let error = load(Config::builder(), vars, profile)
                .unwrap_err()
                .to_string();
            assert!(error.contains(named), "{error}");
        }
    }
}
