//! Credentials: where they come from, and caching them between calls.
//!
//! [`Credentials`] and [`ProvideCredentials`] are aws-credential-types' own, so any provider
//! from aws-config (or your own) plugs in. Fixed credentials are used as they are; a provider
//! is asked on the first call and again when its credentials are about to expire.

use crate::config::{env_var, EnvLookup};
use crate::error::{ConfigError, CredentialsError};
use crate::profile::Profile;
use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, SystemTime};

pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;

/// Refresh provider credentials this long before they expire, so a request signed just before
/// expiry does not arrive after it.
const EXPIRY_BUFFER: Duration = Duration::from_secs(10);

/// Where a client's credentials come from.
#[derive(Clone)]
pub(crate) enum CredentialsSource {
    Static(Credentials),
    Provider(SharedCredentialsProvider),
}

impl CredentialsSource {
    pub(crate) fn provider(provider: impl ProvideCredentials + 'static) -> Self {
        CredentialsSource::Provider(SharedCredentialsProvider::new(provider))
    }
}

impl fmt::Debug for CredentialsSource {
    // Written out by hand so that no secret can ever reach a log through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsSource::Static(c) => f
                .debug_struct("Credentials")
                .field("access_key_id", &c.access_key_id())
                .field("secret_access_key", &"** redacted **")
                .field(
                    "session_token",
                    &c.session_token().map(|_| "** redacted **"),
                )
                .finish(),
            CredentialsSource::Provider(_) => f.write_str("CredentialsProvider(..)"),
        }
    }
}

/// Hands out credentials per call: fixed ones directly, a provider's from a cache.
pub(crate) struct CredentialsCache {
    source: CredentialsSource,
    cached: RwLock<Option<Credentials>>,
    // Held while asking the provider, so concurrent calls at expiry cause one refresh, not many.
    refreshing: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    pub(crate) fn new(source: CredentialsSource) -> Self {
        Self {
            source,
            cached: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Credentials valid at `now`.
    pub(crate) async fn get(&self, now: SystemTime) -> Result<Credentials, CredentialsError> {
        let provider = match &self.source {
            CredentialsSource::Static(credentials) => return Ok(credentials.clone()),
            CredentialsSource::Provider(provider) => provider,
        };
        if let Some(fresh) = self.fresh(now) {
            return Ok(fresh);
        }
        let _guard = self.refreshing.lock().await;
        // Another call may have refreshed while this one waited.
        if let Some(fresh) = self.fresh(now) {
            return Ok(fresh);
        }
        let loaded = provider
            .provide_credentials()
            .await
            .map_err(CredentialsError::provider)?;
        if let Ok(mut slot) = self.cached.write() {
            *slot = Some(loaded.clone());
        }
        Ok(loaded)
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let slot = self.cached.read().ok()?;
        let credentials = slot.as_ref()?;
        let Some(expiry) = credentials.expiry() else {
            return Some(credentials.clone());
        };
        match now.checked_add(EXPIRY_BUFFER) {
            Some(soon) if soon < expiry => Some(credentials.clone()),
            _ => None,
        }
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
pub(crate) fn from_env_vars(env: &EnvLookup) -> Result<Option<Credentials>, ConfigError> {
    let access_key = env_var(env, "AWS_ACCESS_KEY_ID");
    let secret_key = env_var(env, "AWS_SECRET_ACCESS_KEY");
    match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => Ok(Some(Credentials::new(
            access_key,
            secret_key,
            env_var(env, "AWS_SESSION_TOKEN"),
            None,
            "Environment",
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(ConfigError::InvalidCredentials {
            reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".to_owned(),
        }),
        (None, Some(_)) => Err(ConfigError::InvalidCredentials {
            reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".to_owned(),
        }),
    }
}

/// Ways a profile can obtain credentials that this runtime does not implement.
const UNSUPPORTED_PROFILE_KEYS: [&str; 5] = [
    "role_arn",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
];

/// Static credentials from a profile (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`).
pub(crate) fn from_profile(profile: &Profile) -> Result<Option<Credentials>, ConfigError> {
    let access_key = profile.get("aws_access_key_id");
    let secret_key = profile.get("aws_secret_access_key");
    match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => Ok(Some(Credentials::new(
            access_key,
            secret_key,
            profile.get("aws_session_token").map(str::to_owned),
            None,
            "Profile",
        ))),
        (Some(_), None) | (None, Some(_)) => Err(ConfigError::InvalidCredentials {
            reason: format!(
                "profile `{}` in {} needs both aws_access_key_id and aws_secret_access_key",
                profile.name(),
                profile.source_description()
            ),
        }),
        (None, None) => match UNSUPPORTED_PROFILE_KEYS
            .iter()
            .find(|key| profile.get(key).is_some())
        {
            Some(key) => Err(ConfigError::InvalidCredentials {
                reason: format!(
                    "profile `{}` gets credentials through `{key}`, which this runtime does not \
                     implement; pass aws-config's provider with ConfigBuilder::credentials_provider",
                    profile.name()
                ),
            }),
            None => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_credential_types::provider::future;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::UNIX_EPOCH;

    #[derive(Debug)]
    struct CountingProvider {
        calls: Arc<AtomicUsize>,
        lifetime: Option<Duration>,
    }

    impl ProvideCredentials for CountingProvider {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let expiry = self.lifetime.map(|l| UNIX_EPOCH + l);
            future::ProvideCredentials::ready(Ok(Credentials::new(
                format!("AKID{n}"),
                "secret",
                None,
                expiry,
                "test",
            )))
        }
    }

    #[tokio::test]
    async fn provider_is_asked_once_until_expiry() {
        let calls = Arc::new(AtomicUsize::new(0));
        let cache = CredentialsCache::new(CredentialsSource::provider(CountingProvider {
            calls: calls.clone(),
            lifetime: Some(Duration::from_secs(1000)),
        }));
        let t = |s| UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(cache.get(t(0)).await.unwrap().access_key_id(), "AKID0");
        assert_eq!(cache.get(t(500)).await.unwrap().access_key_id(), "AKID0");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Within the buffer before expiry: refreshed.
        assert_eq!(cache.get(t(995)).await.unwrap().access_key_id(), "AKID1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_loaded_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        let cache = CredentialsCache::new(CredentialsSource::provider(CountingProvider {
            calls: calls.clone(),
            lifetime: None,
        }));
        for _ in 0..3 {
            cache.get(SystemTime::now()).await.unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let source = CredentialsSource::Static(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("SESSIONTOKENVALUE".into()),
            None,
            "test",
        ));
        let shown = format!("{source:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(!shown.contains("SESSIONTOKENVALUE"), "{shown}");
    }
}
