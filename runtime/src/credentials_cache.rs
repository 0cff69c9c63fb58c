//! Caching a client's credentials between calls.
//!
//! Fixed credentials are used as they are, never re-read. A provider is asked on the first call
//! and again shortly before its credentials expire: a few minutes before (at most half their
//! lifetime before, so short-lived credentials are not refreshed on every call), one refresh at
//! a time however many calls wait; expired credentials are never used.

use crate::credentials::{Credentials, CredentialsSource, ProvideCredentials as _};
use crate::error::CredentialsError;
use crate::provider::ChainError;
use std::error::Error as _;
use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, SystemTime};

/// Refresh provider credentials this long before they expire (or, for credentials that live
/// less than twice as long, half their lifetime before), so a request signed just before expiry
/// does not arrive after it and a slow refresh does not stall calls.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Hands out credentials per call: fixed ones directly, a provider's from a cache.
pub(crate) struct CredentialsCache {
    source: CredentialsSource,
    cached: RwLock<Option<Cached>>,
    // Held while asking the provider, so concurrent calls at expiry cause one refresh, not many.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// When to ask again (`None`: never, the credentials do not expire).
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn new(credentials: Credentials, loaded_at: SystemTime) -> Self {
        let refresh_at = credentials.expiry().map(|expiry| {
            let lifetime = expiry.duration_since(loaded_at).unwrap_or_default();
            let early = REFRESH_BEFORE_EXPIRY.min(lifetime / 2);
            expiry.checked_sub(early).unwrap_or(expiry)
        });
        Cached {
            credentials,
            refresh_at,
        }
    }

    fn is_fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    fn is_unexpired(&self, now: SystemTime) -> bool {
        self.credentials.expiry().is_none_or(|expiry| now < expiry)
    }
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
        if let Some(fresh) = self.cached(now, Cached::is_fresh) {
            return Ok(fresh);
        }
        let _guard = self.refreshing.lock().await;
        // Another call may have refreshed while this one waited.
        if let Some(fresh) = self.cached(now, Cached::is_fresh) {
            return Ok(fresh);
        }
        match provider.provide_credentials().await {
            Ok(loaded) => {
                if loaded.expiry().is_some_and(|expiry| expiry <= now) {
                    return Err(CredentialsError::other(
                        "the credentials provider returned credentials that have already expired",
                    ));
                }
                if let Ok(mut slot) = self.cached.write() {
                    *slot = Some(Cached::new(loaded.clone(), now));
                }
                Ok(loaded)
            }
            Err(error) => {
                // Refreshing early failed: the old credentials are still good until they expire.
                if let Some(still_valid) = self.cached(now, Cached::is_unexpired) {
                    tracing::warn!(%error, "refreshing AWS credentials failed; using the current ones until they expire");
                    return Ok(still_valid);
                }
                Err(provider_error(error))
            }
        }
    }

    fn cached(
        &self,
        now: SystemTime,
        usable: fn(&Cached, SystemTime) -> bool,
    ) -> Option<Credentials> {
        let slot = self.cached.read().ok()?;
        let cached = slot.as_ref()?;
        usable(cached, now).then(|| cached.credentials.clone())
    }
}

/// The provider's error; a chain's own error directly, without aws-credential-types' wrapper.
fn provider_error(
    error: aws_credential_types::provider::error::CredentialsError,
) -> CredentialsError {
    if let Some(chain) = error.source().and_then(|e| e.downcast_ref::<ChainError>()) {
        return CredentialsError::chain(chain.clone());
    }
    CredentialsError::provider(error)
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::ProvideCredentials;
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
