//! A profile's static keys: `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`.

use super::{CredentialSource, SourceContext, SourceError, SourceFuture};
use crate::profile::{ProfileSet, Section};
use aws_credential_types::Credentials;

/// Static keys of the selected profile (the credentials file winning over the config file).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProfileKeysSource;

impl ProfileKeysSource {
    /// The static keys of `profile`: `Skipped` when it has none.
    pub fn from_profile(profile: &Section) -> Result<Credentials, SourceError> {
        match (
            profile.get("aws_access_key_id"),
            profile.get("aws_secret_access_key"),
        ) {
            (Some(access_key), Some(secret_key)) => Ok(Credentials::new(
                access_key,
                secret_key,
                profile.get("aws_session_token").map(str::to_owned),
                None,
                "Profile",
            )),
            (Some(_), None) | (None, Some(_)) => Err(SourceError::failed(format!(
                "profile `{}` needs both aws_access_key_id and aws_secret_access_key",
                profile.name()
            ))),
            (None, None) => Err(SourceError::skipped(format!(
                "profile `{}` has no aws_access_key_id",
                profile.name()
            ))),
        }
    }

    fn load_from(profiles: &ProfileSet) -> Result<Credentials, SourceError> {
        match profiles.selected() {
            Some(profile) => Self::from_profile(profile).map_err(|e| match e {
                SourceError::Skipped { .. } => SourceError::skipped(format!(
                    "no aws_access_key_id in {}",
                    profiles.describe_both_files()
                )),
                failed => failed,
            }),
            None => Err(SourceError::skipped(format!(
                "no {}",
                profiles.describe_both_files()
            ))),
        }
    }
}

impl CredentialSource for ProfileKeysSource {
    fn name(&self) -> &'static str {
        "Profile"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a> {
        Box::pin(async move { Self::load_from(ctx.profiles()?) })
    }
}
