//! `credential_process`: credentials printed by a command the profile names.
//!
//! The command line runs through the shell (`sh -c` on Unix, `cmd.exe /C` on Windows), as the
//! AWS CLI and SDKs run it, so quoting and `~` work as the user wrote them. Its standard error
//! goes to ours (helpers prompt there, for MFA codes for example); its standard output must be
//! the JSON the AWS CLI documents:
//! `{"Version": 1, "AccessKeyId": .., "SecretAccessKey": .., "SessionToken": .., "Expiration":
//! "<RFC 3339>", "AccountId": ..}` (the last three optional). Without `Expiration` the
//! credentials do not expire.

use super::support::JsonObject;
use crate::datetime::DateTime;
use aws_credential_types::Credentials;
use std::fmt;
use std::io::Read as _;
use std::process::{Command, Stdio};

/// The command failed or printed something unusable. Never holds the command's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessError {
    reason: String,
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ProcessError {}

fn error(reason: impl Into<String>) -> ProcessError {
    ProcessError {
        reason: reason.into(),
    }
}

/// Runs `command` through the shell and returns its standard output.
pub(crate) async fn run(command: &str) -> Result<Vec<u8>, ProcessError> {
    let command = command.to_owned();
    tokio::task::spawn_blocking(move || run_blocking(&command))
        .await
        .map_err(|e| error(format!("the credential_process task failed: {e}")))?
}

fn run_blocking(command: &str) -> Result<Vec<u8>, ProcessError> {
    let mut shell = if cfg!(windows) {
        let mut c = Command::new("cmd.exe");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    let mut child = shell
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| error(format!("could not start `{command}`: {e}")))?;
    // Only stdout is piped, so reading it to the end and then waiting cannot deadlock.
    let mut stdout = Vec::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_end(&mut stdout)
            .map_err(|e| error(format!("could not read the output of `{command}`: {e}")))?;
    }
    let status = child
        .wait()
        .map_err(|e| error(format!("could not wait for `{command}`: {e}")))?;
    if !status.success() {
        let how = match status.code() {
            Some(code) => format!("exit code {code}"),
            None => "a signal".to_owned(),
        };
        return Err(error(format!("`{command}` failed with {how}")));
    }
    Ok(stdout)
}

/// Credentials from the command's standard output.
pub(crate) fn parse_output(stdout: &[u8]) -> Result<Credentials, ProcessError> {
    let unexpected = |e: String| {
        error(format!(
            "the credential_process output is not the expected JSON: {e}"
        ))
    };
    let output = JsonObject::parse(stdout).map_err(unexpected)?;
    let field = |name: &str| output.string(name).map_err(unexpected);
    match output.get("Version") {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(_) => {
            return Err(error(
                "the credential_process output has an unsupported `Version` (only 1 is)",
            ))
        }
        None => return Err(error("the credential_process output has no `Version`")),
    }
    let access_key_id = field("AccessKeyId")?
        .ok_or_else(|| error("the credential_process output has no `AccessKeyId`"))?;
    let secret_access_key = field("SecretAccessKey")?
        .ok_or_else(|| error("the credential_process output has no `SecretAccessKey`"))?;
    let mut builder = Credentials::builder()
        .access_key_id(access_key_id)
        .secret_access_key(secret_access_key)
        .provider_name("CredentialProcess");
    builder.set_session_token(field("SessionToken")?);
    builder.set_account_id(field("AccountId")?.map(Into::into));
    if let Some(expiration) = field("Expiration")? {
        let expiry = DateTime::from_rfc3339(&expiration)
            .ok()
            .and_then(|t| t.to_system_time())
            .ok_or_else(|| {
                error(format!(
                    "the credential_process output's `Expiration` `{expiration}` is not an \
                     RFC 3339 time"
                ))
            })?;
        builder = builder.expiry(expiry);
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn parses_full_and_minimal_output() {
        let creds = parse_output(
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "SECRET",
                 "SessionToken": "TOKEN", "Expiration": "2021-09-21T18:41:26Z",
                 "AccountId": "123456789012"}"#,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.account_id().unwrap().as_str(), "123456789012");
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_632_249_686))
        );
        let minimal =
            parse_output(br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}"#).unwrap();
        assert_eq!(minimal.expiry(), None);
        assert_eq!(minimal.session_token(), None);
    }

    #[test]
    fn bad_output_is_an_error_without_the_secret() {
        for (out, expected) in [
            (&br#"{"AccessKeyId":"A","SecretAccessKey":"TOPSECRET"}"#[..], "no `Version`"),
            (br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"TOPSECRET"}"#, "unsupported"),
            (br#"{"Version":1,"SecretAccessKey":"TOPSECRET"}"#, "no `AccessKeyId`"),
            (br#"{"Version":1,"AccessKeyId":"TOPSECRET"}"#, "no `SecretAccessKey`"),
            (br#"{"Version":1,"AccessKeyId":1,"SecretAccessKey":"TOPSECRET"}"#, "not the expected JSON"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":["TOPSECRET"]}"#, "not the expected JSON"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"TOPSECRET","Expiration":"later"}"#, "`later`"),
            (b"TOPSECRET", "not the expected JSON"),
        ] {
            let error = parse_output(out).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains("TOPSECRET"), "{error}");
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn runs_the_command_through_the_shell() {
        let out = run(
            r#"printf '{"Version": %d, "AccessKeyId": "%s", "SecretAccessKey": "S"}' 1 "A K" "#,
        )
        .await
        .unwrap();
        assert_eq!(parse_output(&out).unwrap().access_key_id(), "A K");
        let error = run("echo TOPSECRET; exit 3").await.unwrap_err().to_string();
        assert_eq!(error, "`echo TOPSECRET; exit 3` failed with exit code 3");
        let missing = run("/nonexistent/credential-helper").await.unwrap_err();
        assert!(missing.to_string().contains("exit code 127"), "{missing}");
    }
}
