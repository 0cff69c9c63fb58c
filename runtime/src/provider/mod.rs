//! Credential sources: each one place credentials can come from, and the chain that asks them
//! in order.
//!
//! A [`CredentialSource`] gets everything it may read through a [`SourceContext`] (the
//! environment, the files, the HTTP connection, the clock, the region and the parsed profile
//! files) and answers with credentials, [`SourceError::Skipped`] when it is not configured (the
//! chain goes on) or [`SourceError::Failed`] when it is configured but does not work (the chain
//! stops, as in the AWS SDKs). A [`Chain`] failure lists every source it asked and why each was
//! skipped or failed. [`ChainProvider`] turns a chain and its context into an
//! `aws_credential_types` provider, the form [`Config`](crate::Config) holds.

mod container;
mod endpoints;
mod environment;
mod exchange;
mod form;
mod imds;
mod process;
mod profile_chain;
mod profile_keys;
#[cfg(test)]
mod source_tests;
mod sso;
mod sts;
mod support;
mod web_identity;
mod xml;

pub use container::ContainerSource;
pub use environment::EnvironmentSource;
pub use imds::{ImdsRegionSource, ImdsSource};
pub use profile_chain::ProfileSource;
pub use profile_keys::ProfileKeysSource;
pub use sso::{sso_token, SsoToken};
pub use web_identity::WebIdentityEnvSource;

use crate::config::Region;
use crate::error::ConfigError;
use crate::http_client::SharedHttpClient;
use crate::os::{Clock, Env, Fs};
use crate::profile::ProfileSet;
use aws_credential_types::provider::{self, ProvideCredentials};
use aws_credential_types::Credentials;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// What [`CredentialSource::load`] returns.
pub type SourceFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, SourceError>> + Send + 'a>>;

/// One place credentials can come from (environment variables, a profile, IMDS, ...).
pub trait CredentialSource: Send + Sync + fmt::Debug {
    /// The name used in messages and in the `tracing` event naming the source that answered:
    /// `Environment`, `Profile`, `WebIdentityToken`, `EcsContainer`, `Ec2InstanceMetadata`.
    fn name(&self) -> &'static str;

    /// Loads credentials, reading only through `ctx`.
    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a>;
}

/// What [`RegionSource::load`] returns.
pub type RegionFuture<'a> = Pin<Box<dyn Future<Output = Result<Region, SourceError>> + Send + 'a>>;

/// A place the region can come from after the environment and the profile (such as IMDS);
/// the loader asks [`crate::region::later_sources`].
pub trait RegionSource: Send + Sync + fmt::Debug {
    /// The name used in messages: `Ec2InstanceMetadata`.
    fn name(&self) -> &'static str;

    /// Loads the region, reading only through `ctx`.
    fn load<'a>(&'a self, ctx: &'a SourceContext) -> RegionFuture<'a>;
}

/// Why a source gave no credentials. Never holds a secret.
#[derive(Debug)]
pub enum SourceError {
    /// The source is not configured here (say, `AWS_ACCESS_KEY_ID` is not set); the chain asks
    /// the next one.
    Skipped {
        /// What was missing.
        why: String,
    },
    /// The source is configured but failed (bad file, STS refused, IMDS unreachable); the chain
    /// stops here.
    Failed {
        /// What went wrong.
        why: String,
        /// The underlying error, if any.
        source: Option<BoxError>,
    },
}

impl SourceError {
    /// Not configured: `why` says what was missing.
    pub fn skipped(why: impl Into<String>) -> Self {
        SourceError::Skipped { why: why.into() }
    }

    /// Configured, but failed.
    pub fn failed(why: impl Into<String>) -> Self {
        SourceError::Failed {
            why: why.into(),
            source: None,
        }
    }

    /// Configured, but failed because of `source`.
    pub fn failed_with(why: impl Into<String>, source: impl Into<BoxError>) -> Self {
        SourceError::Failed {
            why: why.into(),
            source: Some(source.into()),
        }
    }

    /// True for [`SourceError::Skipped`].
    pub fn is_skipped(&self) -> bool {
        matches!(self, SourceError::Skipped { .. })
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Skipped { why } => write!(f, "skipped: {why}"),
            SourceError::Failed { why, source } => {
                write!(f, "failed: {why}")?;
                let mut next = source.as_deref().map(|e| e as &(dyn Error + 'static));
                while let Some(e) = next {
                    write!(f, ": {e}")?;
                    next = e.source();
                }
                Ok(())
            }
        }
    }
}

// No `source()`: `Display` already prints the chain, and a reporter would print it twice.
impl Error for SourceError {}

/// Everything a source may read. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SourceContext {
    env: Env,
    fs: Fs,
    http: SharedHttpClient,
    clock: Clock,
    region: Option<Region>,
    profiles: Arc<Result<ProfileSet, ConfigError>>,
}

impl SourceContext {
    /// A context over `env`, `fs` and `http`, with the system clock, no region, and the profile
    /// files found through `env` and read through `fs` now (profile `AWS_PROFILE` or `default`).
    pub fn new(env: Env, fs: Fs, http: SharedHttpClient) -> Self {
        let profiles = ProfileSet::load(&env, &fs, None);
        Self::new_with_shared_profiles(env, fs, http, Arc::new(profiles))
    }

    /// Like [`new`](Self::new), with profile files already parsed (or the error parsing them
    /// gave).
    pub fn new_with_profiles(
        env: Env,
        fs: Fs,
        http: SharedHttpClient,
        profiles: Result<ProfileSet, ConfigError>,
    ) -> Self {
        Self::new_with_shared_profiles(env, fs, http, Arc::new(profiles))
    }

    /// Like [`new_with_profiles`](Self::new_with_profiles), sharing already parsed files.
    pub(crate) fn new_with_shared_profiles(
        env: Env,
        fs: Fs,
        http: SharedHttpClient,
        profiles: Arc<Result<ProfileSet, ConfigError>>,
    ) -> Self {
        SourceContext {
            env,
            fs,
            http,
            clock: Clock::system(),
            region: None,
            profiles,
        }
    }

    /// The same context with another clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same context with a region (for regional STS endpoints and the like).
    pub fn with_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    /// The same context with already parsed profile files (or the error parsing them gave).
    pub fn with_profiles(mut self, profiles: Result<ProfileSet, ConfigError>) -> Self {
        self.profiles = Arc::new(profiles);
        self
    }

    /// The environment variables.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The filesystem.
    pub fn fs(&self) -> &Fs {
        &self.fs
    }

    /// The HTTP connection (the client's, or the default pool).
    pub fn http(&self) -> &SharedHttpClient {
        &self.http
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The region, if one is configured.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The parsed profile files, or why they could not be read (as a [`SourceError::Failed`],
    /// so a source can `?` it).
    pub fn profiles(&self) -> Result<&ProfileSet, SourceError> {
        match &*self.profiles {
            Ok(set) => Ok(set),
            Err(e) => Err(SourceError::failed(format!(
                "cannot read the shared AWS config files: {e}"
            ))),
        }
    }
}

/// Sources asked in order: the first that answers wins; a skipped one passes to the next; a
/// failed one stops the chain.
#[derive(Debug, Default)]
pub struct Chain {
    sources: Vec<Box<dyn CredentialSource>>,
}

impl Chain {
    /// An empty chain.
    pub fn new() -> Self {
        Chain::default()
    }

    /// Appends `source`.
    pub fn with(mut self, source: impl CredentialSource + 'static) -> Self {
        self.sources.push(Box::new(source));
        self
    }

    /// The sources' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.sources.iter().map(|s| s.name()).collect()
    }

    /// Asks each source in turn.
    pub async fn load(&self, ctx: &SourceContext) -> Result<Credentials, ChainError> {
        let mut tried = Vec::new();
        for source in &self.sources {
            match source.load(ctx).await {
                Ok(credentials) => {
                    tracing::info!(
                        provider = source.name(),
                        expiry = ?credentials.expiry(),
                        "loaded AWS credentials"
                    );
                    return Ok(credentials);
                }
                Err(error) => {
                    let stop = !error.is_skipped();
                    tracing::debug!(provider = source.name(), %error, "credential source gave no credentials");
                    tried.push(Attempt {
                        source: source.name(),
                        error: error.to_string(),
                        skipped: !stop,
                    });
                    if stop {
                        break;
                    }
                }
            }
        }
        Err(ChainError { tried })
    }
}

/// One source's answer in a [`ChainError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The source's name.
    pub source: &'static str,
    /// Its [`SourceError`], as text ("skipped: ..." or "failed: ...").
    pub error: String,
    /// True when the source was skipped (not configured).
    pub skipped: bool,
}

/// No source gave credentials: every source asked, and why each was skipped or failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainError {
    tried: Vec<Attempt>,
}

impl ChainError {
    /// The sources asked, in order.
    pub fn tried(&self) -> &[Attempt] {
        &self.tried
    }

    /// True when a source failed (rather than every source being skipped).
    pub fn failed(&self) -> bool {
        self.tried.iter().any(|a| !a.skipped)
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tried.iter().rev().find(|a| !a.skipped) {
            Some(failed) => write!(f, "credentials from {} failed", failed.source)?,
            None => f.write_str("no AWS credentials found")?,
        }
        f.write_str("; tried ")?;
        for (i, attempt) in self.tried.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} ({})", attempt.source, attempt.error)?;
        }
        if self.tried.is_empty() {
            f.write_str("no sources")?;
        }
        Ok(())
    }
}

impl Error for ChainError {}

/// A chain with its context, as an `aws_credential_types` provider (what
/// [`ConfigBuilder::credentials_provider`](crate::ConfigBuilder::credentials_provider) takes).
/// Each call asks the chain afresh; [`ServiceClient`](crate::ServiceClient) caches.
#[derive(Clone, Debug)]
pub struct ChainProvider {
    chain: Arc<Chain>,
    ctx: SourceContext,
}

impl ChainProvider {
    /// `chain`, reading through `ctx`.
    pub fn new(chain: Chain, ctx: SourceContext) -> Self {
        ChainProvider {
            chain: Arc::new(chain),
            ctx,
        }
    }

    /// Asks the chain.
    pub async fn load(&self) -> Result<Credentials, ChainError> {
        self.chain.load(&self.ctx).await
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            self.load().await.map_err(|e| {
                if e.failed() {
                    provider::error::CredentialsError::provider_error(e)
                } else {
                    provider::error::CredentialsError::not_loaded(e)
                }
            })
        })
    }
}

/// The AWS SDKs' default chain: environment keys, the profile (static keys, roles,
/// `credential_process`, web identity, SSO), web identity from the environment, the container
/// credentials endpoint (ECS, Fargate, EKS Pod Identity), then the EC2 instance metadata service.
pub fn default_chain() -> Chain {
    Chain::new()
        .with(EnvironmentSource)
        .with(ProfileSource)
        .with(WebIdentityEnvSource)
        .with(ContainerSource)
        .with(ImdsSource)
}
