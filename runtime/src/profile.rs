//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! Only what this runtime uses is read: one profile's plain `key = value` properties. In the
//! config file a profile is `[default]` or `[profile NAME]` (other sections such as
//! `[sso-session x]` are skipped); in the credentials file it is `[NAME]`. A property in the
//! credentials file wins over the same property in the config file. Indented lines continue the
//! previous property (sub-properties) and are skipped. `#` and `;` start comment lines.

use crate::config::{env_var, EnvLookup};
use crate::error::ConfigError;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which of the two files a text came from: they name their sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Config,
    Credentials,
}

/// What happened when looking for one file, for error messages.
#[derive(Debug)]
enum FileState {
    NoPath,
    NotFound(PathBuf),
    Read { path: PathBuf, has_profile: bool },
}

/// The selected profile's properties, merged from both files. Debug shows the keys only: values
/// include secret keys and session tokens.
pub(crate) struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
    config_file: FileState,
    credentials_file: FileState,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .field("config_file", &self.config_file)
            .field("credentials_file", &self.credentials_file)
            .finish()
    }
}

impl Profile {
    /// Reads profile `name` from the files named by the environment (or their defaults).
    pub(crate) fn load(env: &EnvLookup, name: &str) -> Result<Self, ConfigError> {
        let home = env_var(env, "HOME").or_else(|| env_var(env, "USERPROFILE"));
        let config_path = file_path(env, "AWS_CONFIG_FILE", home.as_deref(), "config");
        let credentials_path = file_path(
            env,
            "AWS_SHARED_CREDENTIALS_FILE",
            home.as_deref(),
            "credentials",
        );

        let mut properties = BTreeMap::new();
        // Config first, so that the credentials file overwrites what both define.
        let config_file = read_into(config_path, FileKind::Config, name, &mut properties)?;
        let credentials_file = read_into(
            credentials_path,
            FileKind::Credentials,
            name,
            &mut properties,
        )?;
        Ok(Self {
            name: name.to_owned(),
            properties,
            config_file,
            credentials_file,
        })
    }

    /// The profile's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// A property by its (lowercase) name.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// "profile `default` in /home/u/.aws/config (file not found)".
    pub(crate) fn describe_config_file(&self) -> String {
        let mut out = format!("profile `{}` in ", self.name);
        describe(&mut out, &self.config_file, "config");
        out
    }

    /// "profile `default` in /home/u/.aws/credentials (...) and /home/u/.aws/config (...)".
    pub(crate) fn describe_both_files(&self) -> String {
        let mut out = format!("profile `{}` in ", self.name);
        describe(&mut out, &self.credentials_file, "credentials");
        out.push_str(" and ");
        describe(&mut out, &self.config_file, "config");
        out
    }

    /// Which file the profile's properties came from, for messages ("credentials file" or both).
    pub(crate) fn source_description(&self) -> String {
        let mut out = String::new();
        for state in [&self.credentials_file, &self.config_file] {
            if let FileState::Read {
                path,
                has_profile: true,
            } = state
            {
                if !out.is_empty() {
                    out.push_str(" and ");
                }
                out.push_str(&path.display().to_string());
            }
        }
        out
    }
}

fn describe(out: &mut String, state: &FileState, which: &str) {
    let _ = match state {
        FileState::NoPath => write!(
            out,
            "the shared {which} file (no home directory: HOME is not set)"
        ),
        FileState::NotFound(path) => write!(out, "{} (file not found)", path.display()),
        FileState::Read {
            path,
            has_profile: true,
        } => write!(out, "{}", path.display()),
        FileState::Read {
            path,
            has_profile: false,
        } => write!(out, "{} (no such profile)", path.display()),
    };
}

fn file_path(
    env: &EnvLookup,
    variable: &str,
    home: Option<&str>,
    default_name: &str,
) -> Option<PathBuf> {
    match env_var(env, variable) {
        Some(path) => Some(expand_home(&path, home)),
        None => home.map(|home| Path::new(home).join(".aws").join(default_name)),
    }
}

fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    match (path.strip_prefix("~/").or(path.strip_prefix("~\\")), home) {
        (Some(rest), Some(home)) => Path::new(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn read_into(
    path: Option<PathBuf>,
    kind: FileKind,
    profile: &str,
    properties: &mut BTreeMap<String, String>,
) -> Result<FileState, ConfigError> {
    let Some(path) = path else {
        return Ok(FileState::NoPath);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::NotFound(path)),
        Err(e) => {
            return Err(ConfigError::Profile {
                path,
                line: None,
                reason: format!("cannot read the file: {e}"),
            })
        }
    };
    let has_profile =
        parse_profile(&text, kind, profile, properties).map_err(|(line, reason)| {
            ConfigError::Profile {
                path: path.clone(),
                line: Some(line),
                reason,
            }
        })?;
    Ok(FileState::Read { path, has_profile })
}

/// Validates the whole `text` and copies profile `wanted`'s properties into `out`.
///
/// Returns whether the profile has a section in this file, or the 1-based line and reason of
/// the first syntax error.
pub(crate) fn parse_profile(
    text: &str,
    kind: FileKind,
    wanted: &str,
    out: &mut BTreeMap<String, String>,
) -> Result<bool, (usize, String)> {
    // None: before any section. Some(None): in a section we skip. Some(Some(name)): a profile.
    let mut section: Option<Option<String>> = None;
    let mut has_property = false;
    let mut found = false;

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let Some(end) = header.find(']') else {
                return Err((line_no, "section header is missing `]`".to_owned()));
            };
            let name = header[..end].trim();
            if name.is_empty() {
                return Err((line_no, "empty section name `[]`".to_owned()));
            }
            let profile = profile_name(name, kind);
            if profile.as_deref() == Some(wanted) {
                found = true;
            }
            section = Some(profile);
            has_property = false;
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            // A continuation or sub-property of the previous property: not used here.
            if !has_property {
                return Err((
                    line_no,
                    "indented line does not follow a property".to_owned(),
                ));
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err((
                line_no,
                "expected `name = value`, a `[section]` or a comment".to_owned(),
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err((line_no, "property without a name".to_owned()));
        }
        let Some(current) = &section else {
            return Err((line_no, "property before any [profile] section".to_owned()));
        };
        has_property = true;
        if current.as_deref() == Some(wanted) {
            out.insert(key.to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    Ok(found)
}

/// The profile a section header names, or `None` for a section that is not a profile.
fn profile_name(header: &str, kind: FileKind) -> Option<String> {
    match kind {
        FileKind::Credentials => Some(header.to_owned()),
        FileKind::Config => {
            if header == "default" {
                return Some("default".to_owned());
            }
            let rest = header.strip_prefix("profile")?;
            // "profile" must be followed by whitespace: "profilefoo" is not a profile.
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then(|| name.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, kind: FileKind, wanted: &str) -> (bool, BTreeMap<String, String>) {
        let mut out = BTreeMap::new();
        let found = parse_profile(text, kind, wanted, &mut out).unwrap();
        (found, out)
    }

    #[test]
    fn debug_shows_keys_not_values() {
        let (_, properties) = parse(
            "[default]\naws_secret_access_key = s3cr3t\naws_session_token = t0ken\n",
            FileKind::Credentials,
            "default",
        );
        let profile = Profile {
            name: "default".into(),
            properties,
            config_file: FileState::NoPath,
            credentials_file: FileState::NoPath,
        };
        let shown = format!("{profile:?}");
        assert!(shown.contains("aws_secret_access_key"), "{shown}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("t0ken"),
            "{shown}"
        );
    }

    #[test]
    fn reads_config_file_profiles() {
        let text = "\
# comment
[default]
region = us-east-1
s3 =
  max_concurrent_requests = 10

[profile dev]
region=eu-west-1
; another comment
Aws_Access_Key_Id = AKIDDEV
[sso-session corp]
region = ignored
[profilefoo]
region = ignored-too
";
        let (found, dev) = parse(text, FileKind::Config, "dev");
        assert!(found);
        assert_eq!(dev.get("region").map(String::as_str), Some("eu-west-1"));
        assert_eq!(
            dev.get("aws_access_key_id").map(String::as_str),
            Some("AKIDDEV")
        );
        assert_eq!(dev.len(), 2);

        let (found, default) = parse(text, FileKind::Config, "default");
        assert!(found);
        assert_eq!(default.get("region").map(String::as_str), Some("us-east-1"));
        assert_eq!(default.get("s3").map(String::as_str), Some(""));

        let (found, _) = parse(text, FileKind::Config, "corp");
        assert!(!found);
    }

    #[test]
    fn credentials_file_sections_are_bare_names() {
        let text = "[default]\naws_access_key_id=A\n[profile x]\naws_access_key_id=B\r\n";
        let (_, default) = parse(text, FileKind::Credentials, "default");
        assert_eq!(default["aws_access_key_id"], "A");
        let (found, px) = parse(text, FileKind::Credentials, "profile x");
        assert!(found);
        assert_eq!(px["aws_access_key_id"], "B");
    }

    #[test]
    fn reports_syntax_errors_with_line_numbers() {
        let cases = [
            ("region = x\n", 1, "before any"),
            ("[default\n", 1, "missing `]`"),
            ("[default]\nnot a property\n", 2, "expected `name = value`"),
            ("[default]\n  indented = x\n", 2, "indented line"),
            ("[]\n", 1, "empty section"),
            ("[default]\n= value\n", 2, "without a name"),
        ];
        for (text, line, reason) in cases {
            let err =
                parse_profile(text, FileKind::Config, "default", &mut BTreeMap::new()).unwrap_err();
            assert_eq!(err.0, line, "{text:?}");
            assert!(err.1.contains(reason), "{text:?}: {}", err.1);
        }
    }

    #[test]
    fn expands_home_in_paths() {
        assert_eq!(
            expand_home("~/x/config", Some("/home/u")),
            PathBuf::from("/home/u/x/config")
        );
        assert_eq!(
            expand_home("/etc/aws", Some("/home/u")),
            PathBuf::from("/etc/aws")
        );
        assert_eq!(expand_home("~/x", None), PathBuf::from("~/x"));
    }
}
