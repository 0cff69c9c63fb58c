//! The selected profile as a credential source, roles and all.
//!
//! A profile resolves to a chain: one base (static keys, a `credential_source`, a web identity
//! token file, SSO, or a `credential_process`) and the roles assumed on top of it, innermost
//! first. The rules are the AWS SDKs' (AWS's shared `assume-role-tests.json` checks them):
//!
//! - a profile with `role_arn` (and no `web_identity_token_file`) assumes that role with the
//!   credentials of its `source_profile` (another profile, or itself for its own static keys) or
//!   its `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), never
//!   both; its own static keys are ignored;
//! - a source profile reached through `source_profile` that has static keys stops the chain
//!   there, even if it also has a `role_arn`; a profile seen twice is a loop (an error);
//! - otherwise the profile itself is the base: `credential_source`, then
//!   `web_identity_token_file` (with `role_arn`), then SSO (`sso_session`, or the legacy
//!   `sso_start_url` / `sso_region` / `sso_account_id` / `sso_role_name`), then
//!   `credential_process`, then `aws_access_key_id` + `aws_secret_access_key`
//!   (+ `aws_session_token`, `aws_account_id`).
//!
//! Role sessions are named by `role_session_name`, else `assume-role-from-profile-<epoch ms>`;
//! `external_id` and `duration_seconds` are passed on. The source is skipped (the chain goes on)
//! when there are no profiles, when the default profile is not defined, and when the selected
//! profile holds no credential settings at all (only a region, say).

use super::container::ContainerSource;
use super::imds::ImdsSource;
use super::sso::{self, SsoConfig};
use super::sts::{self, RoleRequest};
use super::{process, web_identity};
use crate::profile::{ProfileSet, Section};
use crate::provider::{
    CredentialSource, EnvironmentSource, SourceContext, SourceError, SourceFuture,
};
use aws_credential_types::Credentials;
use std::fmt;
use std::path::Path;

/// Credentials from the selected profile (`AWS_PROFILE`, else `default`) of the shared files.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProfileSource;

impl CredentialSource for ProfileSource {
    fn name(&self) -> &'static str {
        "Profile"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a> {
        Box::pin(async move {
            let chain = resolve(ctx.profiles()?).map_err(|e| match e {
                Unresolved::Skip(why) => SourceError::skipped(why),
                Unresolved::Fail(why) => SourceError::failed(why),
            })?;
            load(ctx, &chain).await
        })
    }
}

/// A `credential_source` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

impl NamedSource {
    fn parse(value: &str, profile: &str) -> Result<Self, Unresolved> {
        match value {
            "Environment" => Ok(NamedSource::Environment),
            "Ec2InstanceMetadata" => Ok(NamedSource::Ec2InstanceMetadata),
            "EcsContainer" => Ok(NamedSource::EcsContainer),
            other => Err(Unresolved::Fail(format!(
                "profile `{profile}`: credential_source `{other}` is not supported (expected \
                 Environment, Ec2InstanceMetadata or EcsContainer)"
            ))),
        }
    }

    fn source(self) -> &'static dyn CredentialSource {
        match self {
            NamedSource::Environment => &EnvironmentSource,
            NamedSource::Ec2InstanceMetadata => &ImdsSource,
            NamedSource::EcsContainer => &ContainerSource,
        }
    }
}

/// Where the first credentials of a chain come from.
pub(crate) enum Base {
    AccessKey(Credentials),
    Named {
        source: NamedSource,
        profile: String,
    },
    WebIdentity {
        role_arn: String,
        token_file: String,
        session_name: Option<String>,
    },
    Sso(SsoConfig),
    Process {
        command: String,
        profile: String,
    },
}

impl fmt::Debug for Base {
    // By hand: static keys hold a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::AccessKey(c) => f
                .debug_struct("AccessKey")
                .field("access_key_id", &c.access_key_id())
                .finish_non_exhaustive(),
            Base::Named { source, .. } => f.debug_tuple("NamedSource").field(source).finish(),
            Base::WebIdentity {
                role_arn,
                token_file,
                ..
            } => f
                .debug_struct("WebIdentity")
                .field("role_arn", role_arn)
                .field("token_file", token_file)
                .finish_non_exhaustive(),
            Base::Sso(config) => f.debug_tuple("Sso").field(config).finish(),
            Base::Process { command, .. } => f.debug_tuple("Process").field(command).finish(),
        }
    }
}

/// A role assumed on top of the credentials before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Role {
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) duration_seconds: Option<String>,
}

/// A profile's credentials: the base, then the roles to assume in order.
#[derive(Debug)]
pub(crate) struct ProfileChain {
    pub(crate) base: Base,
    pub(crate) roles: Vec<Role>,
}

/// Why a profile gives no chain: not configured (skip), or misconfigured (fail).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unresolved {
    Skip(String),
    Fail(String),
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::Skip(why) | Unresolved::Fail(why) => f.write_str(why),
        }
    }
}

/// The chain of the selected profile of `set`.
pub(crate) fn resolve(set: &ProfileSet) -> Result<ProfileChain, Unresolved> {
    if set.profiles().next().is_none() {
        return Err(Unresolved::Skip(format!(
            "no profiles were defined (looked for {})",
            set.describe_both_files()
        )));
    }
    let root = set.selected_name();
    if set.profile(root).is_none() {
        let why = format!(
            "profile `{root}` is not defined (looked for {})",
            set.describe_both_files()
        );
        return Err(if root == "default" {
            Unresolved::Skip(why)
        } else {
            Unresolved::Fail(why)
        });
    }
    let mut roles = Vec::new();
    let mut visited: Vec<&str> = Vec::new();
    let mut name = root;
    let base = loop {
        let Some(profile) = set.profile(name) else {
            let from = visited.last().copied().unwrap_or(root);
            return Err(Unresolved::Fail(format!(
                "profile `{from}` names source_profile `{name}`, which is not defined"
            )));
        };
        if visited.contains(&name) {
            return Err(Unresolved::Fail(format!(
                "the profiles form a loop: {} -> {name}",
                visited.join(" -> ")
            )));
        }
        visited.push(name);
        // A source profile's own keys end the chain, whatever else it says.
        if visited.len() > 1 {
            if let Ok(credentials) = static_keys(profile) {
                break Base::AccessKey(credentials);
            }
        }
        let Some(role) = role_of(profile) else {
            break base_of(set, profile, visited.len() == 1)?;
        };
        roles.push(role);
        match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(Unresolved::Fail(format!(
                    "profile `{name}` has both source_profile and credential_source; only one \
                     may be given"
                )))
            }
            (None, None) => {
                return Err(Unresolved::Fail(format!(
                    "profile `{name}` has role_arn but neither source_profile nor \
                     credential_source, so there are no credentials to assume the role with"
                )))
            }
            (Some(source), None) if source == name => {
                // Its own keys (or other base settings) assume its own role.
                break base_of(set, profile, false)?;
            }
            (Some(source), None) => name = source,
            (None, Some(source)) => {
                break Base::Named {
                    source: NamedSource::parse(source, name)?,
                    profile: name.to_owned(),
                }
            }
        }
    };
    roles.reverse();
    Ok(ProfileChain { base, roles })
}

/// The role a profile assumes, if it assumes one (a web identity profile's `role_arn` belongs
/// to its base instead).
fn role_of(profile: &Section) -> Option<Role> {
    if profile.get("web_identity_token_file").is_some() {
        return None;
    }
    let owned = |key: &str| profile.get(key).map(str::to_owned);
    Some(Role {
        role_arn: owned("role_arn")?,
        session_name: owned("role_session_name"),
        external_id: owned("external_id"),
        duration_seconds: owned("duration_seconds"),
    })
}

/// The base a profile provides by itself. `is_root`: a root profile without any credential
/// settings is skipped rather than failed.
fn base_of(set: &ProfileSet, profile: &Section, is_root: bool) -> Result<Base, Unresolved> {
    let name = profile.name();
    if let Some(source) = profile.get("credential_source") {
        return Ok(Base::Named {
            source: NamedSource::parse(source, name)?,
            profile: name.to_owned(),
        });
    }
    if let Some(token_file) = profile.get("web_identity_token_file") {
        let role_arn = profile.get("role_arn").ok_or_else(|| {
            Unresolved::Fail(format!(
                "profile `{name}`: `web_identity_token_file` was specified but `role_arn` was \
                 missing"
            ))
        })?;
        return Ok(Base::WebIdentity {
            role_arn: role_arn.to_owned(),
            token_file: token_file.to_owned(),
            session_name: profile.get("role_session_name").map(str::to_owned),
        });
    }
    if let Some(config) = sso::config_from_profile(set, profile) {
        return config.map(Base::Sso).map_err(Unresolved::Fail);
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Base::Process {
            command: command.to_owned(),
            profile: name.to_owned(),
        });
    }
    match static_keys(profile) {
        Ok(credentials) => Ok(Base::AccessKey(credentials)),
        Err(StaticKeys::Missing) => {
            let why = format!("profile `{name}` did not contain credential information");
            Err(if is_root {
                Unresolved::Skip(format!("{why} ({})", set.describe_both_files()))
            } else {
                Unresolved::Fail(why)
            })
        }
        Err(StaticKeys::Partial { has, lacks }) => Err(Unresolved::Fail(format!(
            "profile `{name}` has {has} but no {lacks}"
        ))),
    }
}

enum StaticKeys {
    Missing,
    Partial {
        has: &'static str,
        lacks: &'static str,
    },
}

fn static_keys(profile: &Section) -> Result<Credentials, StaticKeys> {
    const ID: &str = "aws_access_key_id";
    const SECRET: &str = "aws_secret_access_key";
    match (profile.get(ID), profile.get(SECRET)) {
        (Some(id), Some(secret)) => {
            let mut builder = Credentials::builder()
                .access_key_id(id)
                .secret_access_key(secret)
                .provider_name("Profile");
            builder.set_session_token(profile.get("aws_session_token").map(str::to_owned));
            builder.set_account_id(profile.get("aws_account_id").map(Into::into));
            Ok(builder.build())
        }
        (None, None) => Err(StaticKeys::Missing),
        (Some(_), None) => Err(StaticKeys::Partial {
            has: ID,
            lacks: SECRET,
        }),
        (None, Some(_)) => Err(StaticKeys::Partial {
            has: SECRET,
            lacks: ID,
        }),
    }
}

/// Loads the base, then assumes each role with the credentials before it.
async fn load(ctx: &SourceContext, chain: &ProfileChain) -> Result<Credentials, SourceError> {
    let mut credentials = match &chain.base {
        Base::AccessKey(credentials) => credentials.clone(),
        Base::Named { source, profile } => match source.source().load(ctx).await {
            Ok(credentials) => credentials,
            Err(SourceError::Skipped { why }) => {
                return Err(SourceError::failed(format!(
                    "credential_source `{source:?}` of profile `{profile}`: the credential \
                     provider was not enabled ({why})"
                )))
            }
            Err(error) => {
                return Err(SourceError::failed_with(
                    format!("credential_source `{source:?}` of profile `{profile}`"),
                    error,
                ))
            }
        },
        Base::WebIdentity {
            role_arn,
            token_file,
            session_name,
        } => {
            let session_name = session_name
                .clone()
                .unwrap_or_else(|| sts::session_name(ctx, "web-identity-token-profile"));
            web_identity::assume_role(ctx, role_arn, Path::new(token_file), &session_name).await?
        }
        Base::Sso(config) => sso::role_credentials(ctx, config).await?,
        Base::Process { command, profile } => {
            let output = process::run(command).await.map_err(|e| {
                SourceError::failed_with(format!("credential_process of profile `{profile}`"), e)
            })?;
            process::parse_output(&output).map_err(|e| {
                SourceError::failed_with(format!("credential_process of profile `{profile}`"), e)
            })?
        }
    };
    for role in &chain.roles {
        let session_name = role
            .session_name
            .clone()
            .unwrap_or_else(|| sts::session_name(ctx, "assume-role-from-profile"));
        let request = RoleRequest {
            role_arn: &role.role_arn,
            session_name: &session_name,
            external_id: role.external_id.as_deref(),
            duration_seconds: role.duration_seconds.as_deref(),
        };
        credentials = sts::assume_role(ctx, &credentials, &request).await?;
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    /// Where our wording differs from the AWS SDKs' (`Error` in `assume-role-tests.json`):
    /// their phrase, then ours for the same thing. An expected message passes when ours contains
    /// it after these replacements.
    const WORDING: &[(&str, &str)] = &[
        (
            "profile must contain `source_profile`",
            "has role_arn but neither source_profile nor credential_source",
        ),
        (
            "profile contained both source_profile and credential_source",
            "has both source_profile and credential_source",
        ),
        (
            "profile missing aws_secret_access_key",
            "has aws_access_key_id but no aws_secret_access_key",
        ),
        (
            "profile missing aws_access_key_id",
            "has aws_secret_access_key but no aws_access_key_id",
        ),
        (
            "could not find source profile B referenced from A",
            "profile `A` names source_profile `B`, which is not defined",
        ),
        ("No profiles were defined", "no profiles were defined"),
        (
            "profile formed an infinite loop",
            "the profiles form a loop",
        ),
    ];

    fn ours(theirs: &str) -> String {
        WORDING
            .iter()
            .fold(theirs.to_owned(), |text, (t, o)| text.replace(t, o))
    }

    /// The profiles of a test case as a config file.
    fn config_text(input: &Value) -> String {
        let mut text = String::new();
        let sections = [("profiles", "profile"), ("sso_sessions", "sso-session")];
        for (field, kind) in sections {
            for (name, properties) in input[field].as_object().into_iter().flatten() {
                text.push_str(&format!("[{kind} {name}]\n"));
                for (key, value) in properties.as_object().into_iter().flatten() {
                    text.push_str(&format!("{key} = {}\n", value.as_str().unwrap_or_default()));
                }
            }
        }
        text
    }

    /// Our chain in the shape of the test data's `ProfileChain`.
    fn as_json(chain: &ProfileChain) -> Value {
        let mut out = vec![match &chain.base {
            Base::AccessKey(c) => {
                let mut keys = Map::new();
                keys.insert("access_key_id".into(), json!(c.access_key_id()));
                keys.insert("secret_access_key".into(), json!(c.secret_access_key()));
                if let Some(account) = c.account_id() {
                    keys.insert("account_id".into(), json!(account.as_str()));
                }
                json!({ "AccessKey": keys })
            }
            Base::Named { source, .. } => json!({ "NamedSource": format!("{source:?}") }),
            Base::WebIdentity {
                role_arn,
                token_file,
                session_name,
            } => {
                let mut fields = Map::new();
                fields.insert("role_arn".into(), json!(role_arn));
                fields.insert("web_identity_token_file".into(), json!(token_file));
                if let Some(name) = session_name {
                    fields.insert("role_session_name".into(), json!(name));
                }
                json!({ "WebIdentityToken": fields })
            }
            Base::Sso(config) => {
                let mut fields = Map::new();
                let optional = [
                    ("sso_session", &config.session_name),
                    ("sso_account_id", &config.account_id),
                    ("sso_role_name", &config.role_name),
                ];
                for (key, value) in optional {
                    if let Some(value) = value {
                        fields.insert(key.into(), json!(value));
                    }
                }
                fields.insert("sso_region".into(), json!(config.region));
                fields.insert("sso_start_url".into(), json!(config.start_url));
                json!({ "Sso": fields })
            }
            Base::Process { command, .. } => json!({ "CredentialProcess": command }),
        }];
        for role in &chain.roles {
            let mut fields = Map::new();
            fields.insert("role_arn".into(), json!(role.role_arn));
            if let Some(name) = &role.session_name {
                fields.insert("role_session_name".into(), json!(name));
            }
            if let Some(id) = &role.external_id {
                fields.insert("external_id".into(), json!(id));
            }
            out.push(json!({ "AssumeRole": fields }));
        }
        Value::Array(out)
    }

    #[test]
    fn shared_assume_role_test_cases() {
        let cases = crate::provider::support::suite_json("assume-role-tests.json");
        let cases = cases.as_array().expect("an array of cases");
        assert!(cases.len() > 20, "{} cases", cases.len());
        for case in cases {
            let docs = case["docs"].as_str().unwrap_or_default();
            let input = &case["input"];
            let selected = input["selected_profile"]
                .as_str()
                .expect("selected_profile");
            let set = ProfileSet::parse(Some(&config_text(input)), None)
                .unwrap_or_else(|e| panic!("{docs}: {e}"))
                .with_selected(selected);
            let output = &case["output"];
            match (
                resolve(&set),
                output.get("ProfileChain"),
                output["Error"].as_str(),
            ) {
                (Ok(chain), Some(expected), None) => {
                    assert_eq!(&as_json(&chain), expected, "{docs}")
                }
                (Err(error), None, Some(theirs)) => {
                    let message = error.to_string();
                    let expected = ours(theirs);
                    assert!(
                        message.contains(&expected),
                        "{docs}: `{message}` does not say `{expected}`"
                    );
                }
                (got, _, _) => panic!("{docs}: got {got:?}, expected {output}"),
            }
        }
    }

    #[test]
    fn debug_hides_static_secrets() {
        let set = ProfileSet::parse(
            Some("[default]\naws_access_key_id = AKID\naws_secret_access_key = TOPSECRET\n"),
            None,
        )
        .unwrap();
        let chain = resolve(&set).unwrap();
        let shown = format!("{chain:?}");
        assert!(
            shown.contains("AKID") && !shown.contains("TOPSECRET"),
            "{shown}"
        );
    }

    #[test]
    fn unsupported_credential_source_is_named() {
        let set = ProfileSet::parse(
            Some("[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Ec2\n"),
            None,
        )
        .unwrap();
        let error = resolve(&set).unwrap_err().to_string();
        assert!(
            error.contains("credential_source `Ec2` is not supported"),
            "{error}"
        );
    }
}
