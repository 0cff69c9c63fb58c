//! Web identity: an OIDC token in a file (EKS IRSA, CI systems with OIDC) exchanged for role
//! credentials with STS `AssumeRoleWithWebIdentity`.
//!
//! From the environment: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, with an optional
//! `AWS_ROLE_SESSION_NAME`. The token file is read again on every load: Kubernetes rotates it.

use super::exchange::BoxFuture;
use super::sts;
use super::support::env_var as var;
use super::{CredentialSource, SourceContext, SourceError, SourceFuture};
use aws_credential_types::Credentials;
use std::path::Path;

const TOKEN_FILE_VAR: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
const ROLE_ARN_VAR: &str = "AWS_ROLE_ARN";
const SESSION_NAME_VAR: &str = "AWS_ROLE_SESSION_NAME";

/// Web identity credentials configured by `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME` (default `web-identity-token-<epoch ms>`).
#[derive(Clone, Copy, Debug, Default)]
pub struct WebIdentityEnvSource;

impl CredentialSource for WebIdentityEnvSource {
    fn name(&self) -> &'static str {
        "WebIdentityToken"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a> {
        Box::pin(async move {
            let Some(token_file) = var(ctx, TOKEN_FILE_VAR)? else {
                return Err(SourceError::skipped(format!("{TOKEN_FILE_VAR} is not set")));
            };
            let role_arn = var(ctx, ROLE_ARN_VAR)?.ok_or_else(|| {
                SourceError::failed(format!("{TOKEN_FILE_VAR} is set but {ROLE_ARN_VAR} is not"))
            })?;
            let session_name = match var(ctx, SESSION_NAME_VAR)? {
                Some(name) => name,
                None => sts::session_name(ctx, "web-identity-token"),
            };
            assume_role(ctx, &role_arn, Path::new(&token_file), &session_name).await
        })
    }
}

/// Reads the token in `token_file` and exchanges it for credentials of `role_arn`.
pub(crate) fn assume_role<'a>(
    ctx: &'a SourceContext,
    role_arn: &'a str,
    token_file: &'a Path,
    session_name: &'a str,
) -> BoxFuture<'a, Result<Credentials, SourceError>> {
    Box::pin(read_and_assume_role(
        ctx,
        role_arn,
        token_file,
        session_name,
    ))
}

async fn read_and_assume_role(
    ctx: &SourceContext,
    role_arn: &str,
    token_file: &Path,
    session_name: &str,
) -> Result<Credentials, SourceError> {
    let token = ctx.fs().read(token_file).map_err(|e| {
        SourceError::failed_with(
            format!(
                "failed to read the web identity token file `{}`",
                token_file.display()
            ),
            e,
        )
    })?;
    let token = String::from_utf8(token).map_err(|_| {
        SourceError::failed(format!(
            "the web identity token file `{}` is not UTF-8 text",
            token_file.display()
        ))
    })?;
    // A final newline (files written with `echo`) is not part of the token.
    sts::assume_role_with_web_identity(ctx, role_arn, session_name, token.trim()).await
}
