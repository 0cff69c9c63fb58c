//! Credentials: the values, and where a client's come from (cached by `credentials_cache`).
//!
//! [`Credentials`] and [`ProvideCredentials`] are aws-credential-types' own, so any provider
//! from aws-config (or your own, or this crate's [`ChainProvider`](crate::provider::ChainProvider))
//! plugs in. Fixed credentials are used as they are, never re-read. A provider is asked on the
//! first call and again shortly before its credentials expire: a few minutes before (at most
//! half their lifetime before, so short-lived credentials are not refreshed on every call),
//! one refresh at a time however many calls wait, and expired credentials are never used.

use std::fmt;

pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;

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
