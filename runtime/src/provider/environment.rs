//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use super::{CredentialSource, SourceContext, SourceError, SourceFuture};
use crate::os::{Env, VarError};
use aws_credential_types::Credentials;

/// Credentials from the `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optional)
/// `AWS_SESSION_TOKEN` and `AWS_ACCOUNT_ID` variables. Blank values count as unset.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnvironmentSource;

impl EnvironmentSource {
    /// The credentials `env` holds, without the context (for the loader's early check).
    pub fn from_env(env: &Env) -> Result<Credentials, SourceError> {
        let access_key = var(env, "AWS_ACCESS_KEY_ID")?;
        let secret_key = var(env, "AWS_SECRET_ACCESS_KEY")?;
        match (access_key, secret_key) {
            (Some(access_key), Some(secret_key)) => {
                let mut builder = Credentials::builder()
                    .access_key_id(access_key)
                    .secret_access_key(secret_key)
                    .provider_name("Environment");
                builder.set_session_token(var(env, "AWS_SESSION_TOKEN")?);
                builder.set_account_id(var(env, "AWS_ACCOUNT_ID")?.map(Into::into));
                Ok(builder.build())
            }
            (None, None) => Err(SourceError::skipped(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(SourceError::failed(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(SourceError::failed(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

/// A set, non-blank, UTF-8 variable; non-UTF-8 is an error (never showing the value).
fn var(env: &Env, name: &str) -> Result<Option<String>, SourceError> {
    match env.get(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode) => Err(SourceError::failed(format!(
            "{name} is set, but its value is not valid UTF-8"
        ))),
    }
}

impl CredentialSource for EnvironmentSource {
    fn name(&self) -> &'static str {
        "Environment"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a> {
        Box::pin(async move { Self::from_env(ctx.env()) })
    }
}
