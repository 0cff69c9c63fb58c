//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! [`ProfileSet::load`] finds both files through the [`Env`] and reads them through the [`Fs`]
//! once; [`ProfileSet::parse`] does the same for texts. The rules are those of the AWS SDKs'
//! shared parser test suite:
//!
//! - in the config file a profile is `[default]`, `[profile NAME]` (which wins over `[default]`
//!   for the default profile), and other sections are `[sso-session NAME]` and
//!   `[services NAME]`; in the credentials file every section is a profile `[NAME]`;
//! - names are trimmed; profile names and property names of characters other than letters,
//!   digits and `-/.%@_:+` are ignored, with the properties under them; property names are
//!   case-insensitive (kept lowercase);
//! - `#` and `;` start a comment at the start of a line or, in a property value, after
//!   whitespace (`value;x` keeps `;x`); in a section header anywhere;
//! - an indented line continues the previous property; under a property with an empty value
//!   it is a sub-property `name = value` (`s3 =\n  max_concurrent_requests = 10`), kept in the
//!   value as `\nname = value` lines ([`Section::sub_properties`] splits them);
//! - a profile defined twice (in one file, or in both) merges, the later property winning; the
//!   credentials file wins over the config file.

use crate::error::ConfigError;
use crate::os::{Env, Fs};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Which of the two files a text comes from: they name their sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config` (`AWS_CONFIG_FILE`).
    Config,
    /// `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`).
    Credentials,
}

/// The platform's rules for finding the home directory and writing paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Linux, macOS and other Unix: `$HOME`, `/`.
    Unix,
    /// Windows: `%HOME%`, `%USERPROFILE%`, `%HOMEDRIVE%%HOMEPATH%`, `\`.
    Windows,
}

impl Platform {
    /// The platform this program runs on.
    pub fn current() -> Self {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }

    fn separator(self) -> char {
        match self {
            Platform::Unix => '/',
            Platform::Windows => '\\',
        }
    }
}

/// Where the two files are, by the AWS conventions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLocations {
    /// `AWS_CONFIG_FILE`, else `<home>/.aws/config`; `None` without a home directory.
    pub config: Option<String>,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `<home>/.aws/credentials`.
    pub credentials: Option<String>,
}

impl FileLocations {
    /// The locations for `env` on `platform`, expanding a leading `~`.
    pub fn from_env(env: &Env, platform: Platform) -> Self {
        let home = home_dir(env, platform);
        let locate = |variable: &str, name: &str| match text_var(env, variable) {
            Some(path) => Some(expand_home(&path, home.as_deref(), platform)),
            None => home.as_ref().map(|home| {
                let sep = platform.separator();
                format!("{}{sep}.aws{sep}{name}", home.trim_end_matches(sep))
            }),
        };
        FileLocations {
            config: locate("AWS_CONFIG_FILE", "config"),
            credentials: locate("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        }
    }
}

/// The home directory: `HOME`; on Windows then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`.
pub fn home_dir(env: &Env, platform: Platform) -> Option<String> {
    if let Some(home) = text_var(env, "HOME") {
        return Some(home);
    }
    if platform == Platform::Windows {
        if let Some(profile) = text_var(env, "USERPROFILE") {
            return Some(profile);
        }
        if let (Some(drive), Some(path)) = (text_var(env, "HOMEDRIVE"), text_var(env, "HOMEPATH")) {
            return Some(format!("{drive}{path}"));
        }
    }
    None
}

/// `~/x` (or `~\x` on Windows) becomes `<home>/x`.
pub fn expand_home(path: &str, home: Option<&str>, platform: Platform) -> String {
    let rest = match platform {
        Platform::Unix => path.strip_prefix("~/"),
        Platform::Windows => path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")),
    };
    match (rest, home) {
        (Some(rest), Some(home)) => {
            let sep = platform.separator();
            format!("{}{sep}{rest}", home.trim_end_matches(['/', '\\']))
        }
        _ if path == "~" => home.map_or_else(|| path.to_owned(), str::to_owned),
        _ => path.to_owned(),
    }
}

/// A non-empty, UTF-8 variable.
fn text_var(env: &Env, name: &str) -> Option<String> {
    env.get(name).ok().filter(|v| !v.trim().is_empty())
}

/// One section: a profile, an `sso-session` or a `services` section, with its properties.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Section {
    name: String,
    properties: BTreeMap<String, String>,
}

impl Section {
    /// A section from its name and properties (property names are lowercased).
    pub fn new<K: AsRef<str>, V: Into<String>>(
        name: impl Into<String>,
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Section {
            name: name.into(),
            properties: properties
                .into_iter()
                .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.into()))
                .collect(),
        }
    }

    /// The section's name (`dev` for `[profile dev]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property's value, if set and not empty. `key` is case-insensitive.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.raw(key).filter(|v| !v.is_empty())
    }

    /// A property's value as written, even if empty (a property with sub-properties holds
    /// them as `\nname = value` lines).
    pub fn raw(&self, key: &str) -> Option<&str> {
        match self.properties.get(key) {
            Some(v) => Some(v),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => self
                .properties
                .get(&key.to_ascii_lowercase())
                .map(String::as_str),
            None => None,
        }
    }

    /// Every property (name lowercase, raw value), sorted by name.
    pub fn properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The sub-properties of `key` (`s3 =\n  max_concurrent_requests = 10` gives
    /// `[("max_concurrent_requests", "10")]`), in file order; empty when there are none.
    pub fn sub_properties(&self, key: &str) -> Vec<(&str, &str)> {
        self.raw(key)
            .into_iter()
            .flat_map(str::lines)
            .filter_map(|line| {
                let (k, v) = line.split_once('=')?;
                let k = k.trim();
                (!k.is_empty()).then(|| (k, v.trim()))
            })
            .collect()
    }

    /// One sub-property of `key` (the last one of that name).
    pub fn sub_property(&self, key: &str, sub_key: &str) -> Option<&str> {
        self.sub_properties(key)
            .into_iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(sub_key))
            .map(|(_, v)| v)
    }

    /// True when the section has no properties.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }
}

// Property values may be secrets (aws_secret_access_key): show names only.
impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("name", &self.name)
            .field("properties", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What happened when looking for one file, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FileState {
    /// No path: no home directory and no variable naming the file.
    NoPath,
    NotFound(String),
    Read(String),
}

/// Both files, parsed: every profile, `sso-session` and `services` section, and which profile
/// is selected (`AWS_PROFILE`, else `default`, unless given explicitly).
#[derive(Clone, Debug, Default)]
pub struct ProfileSet {
    selected: String,
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
    config_file: Option<FileState>,
    credentials_file: Option<FileState>,
}

/// A syntax error in one of the files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong, in the words of the AWS SDKs' parser suite.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ProfileSet {
    /// Finds and parses both files. The selected profile is `profile` if given, else
    /// `AWS_PROFILE`, else `default`. A missing file counts as empty; an unreadable or invalid
    /// one is an error naming the file and line.
    pub fn load(env: &Env, fs: &Fs, profile: Option<&str>) -> Result<Self, ConfigError> {
        let locations = FileLocations::from_env(env, Platform::current());
        let mut set = ProfileSet {
            selected: match profile {
                Some(name) => name.to_owned(),
                None => text_var(env, "AWS_PROFILE").unwrap_or_else(|| "default".to_owned()),
            },
            ..ProfileSet::default()
        };
        // Config first, so that the credentials file overwrites what both define.
        for (kind, path) in [
            (FileKind::Config, locations.config),
            (FileKind::Credentials, locations.credentials),
        ] {
            let state = match path {
                None => FileState::NoPath,
                Some(path) => match fs.read(&PathBuf::from(&path)) {
                    Ok(bytes) => {
                        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Profile {
                            path: PathBuf::from(&path),
                            line: None,
                            reason: "the file is not UTF-8".to_owned(),
                        })?;
                        set.add(&text, kind).map_err(|e| ConfigError::Profile {
                            path: PathBuf::from(&path),
                            line: Some(e.line),
                            reason: e.message,
                        })?;
                        FileState::Read(path)
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileState::NotFound(path),
                    Err(e) => {
                        return Err(ConfigError::Profile {
                            path: PathBuf::from(path),
                            line: None,
                            reason: format!("cannot read the file: {e}"),
                        })
                    }
                },
            };
            match kind {
                FileKind::Config => set.config_file = Some(state),
                FileKind::Credentials => set.credentials_file = Some(state),
            }
        }
        Ok(set)
    }

    /// Parses file texts (either may be absent), selecting profile `default`.
    pub fn parse(config: Option<&str>, credentials: Option<&str>) -> Result<Self, ParseError> {
        let mut set = ProfileSet {
            selected: "default".to_owned(),
            ..ProfileSet::default()
        };
        if let Some(text) = config {
            set.add(text, FileKind::Config)?;
        }
        if let Some(text) = credentials {
            set.add(text, FileKind::Credentials)?;
        }
        Ok(set)
    }

    /// The same files with another profile selected.
    pub fn with_selected(mut self, profile: impl Into<String>) -> Self {
        self.selected = profile.into();
        self
    }

    /// The selected profile's name.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if either file defines it.
    pub fn selected(&self) -> Option<&Section> {
        self.profiles.get(&self.selected)
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    /// Every profile, sorted by name.
    pub fn profiles(&self) -> impl Iterator<Item = &Section> {
        self.profiles.values()
    }

    /// An `[sso-session NAME]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// Every `sso-session` section.
    pub fn sso_sessions(&self) -> impl Iterator<Item = &Section> {
        self.sso_sessions.values()
    }

    /// A `[services NAME]` section.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// Every `services` section.
    pub fn all_services(&self) -> impl Iterator<Item = &Section> {
        self.services.values()
    }

    /// A property of the selected profile.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.selected()?.get(key)
    }

    /// "profile `dev` in /home/u/.aws/config (file not found)", for messages.
    pub fn describe_config_file(&self) -> String {
        format!(
            "profile `{}` in {}",
            self.selected,
            describe(
                self.config_file.as_ref(),
                "config",
                self.selected().is_some()
            )
        )
    }

    /// "profile `dev` in /home/u/.aws/credentials (...) and /home/u/.aws/config (...)".
    pub fn describe_both_files(&self) -> String {
        let found = self.selected().is_some();
        format!(
            "profile `{}` in {} and {}",
            self.selected,
            describe(self.credentials_file.as_ref(), "credentials", found),
            describe(self.config_file.as_ref(), "config", found)
        )
    }

    /// Parses `text` as a file of `kind` and merges it in.
    fn add(&mut self, text: &str, kind: FileKind) -> Result<(), ParseError> {
        let raw = parse_sections(text)?;
        // In the config file `[profile default]` wins over `[default]`: if both appear, every
        // `[default]` section is ignored.
        let has_prefixed_default = kind == FileKind::Config
            && raw
                .iter()
                .any(|s| section_kind(&s.header, kind) == Some((Kind::Profile, "default", true)));
        for section in raw {
            let Some((which, name, prefixed)) = section_kind(&section.header, kind) else {
                tracing::warn!(header = %section.header, "ignoring a section of the shared AWS files that is not a valid profile");
                continue;
            };
            if which == Kind::Profile && name == "default" && !prefixed && has_prefixed_default {
                continue;
            }
            let map = match which {
                Kind::Profile => &mut self.profiles,
                Kind::SsoSession => &mut self.sso_sessions,
                Kind::Services => &mut self.services,
            };
            let target = map.entry(name.to_owned()).or_insert_with(|| Section {
                name: name.to_owned(),
                properties: BTreeMap::new(),
            });
            for (key, value) in section.properties {
                if is_valid_name(&key) {
                    target.properties.insert(key.to_ascii_lowercase(), value);
                } else {
                    tracing::warn!(profile = name, property = %key, "ignoring a property with an invalid name");
                }
            }
        }
        Ok(())
    }
}

fn describe(state: Option<&FileState>, which: &str, found: bool) -> String {
    match state {
        None | Some(FileState::NoPath) => {
            format!("the shared {which} file (no home directory: HOME is not set)")
        }
        Some(FileState::NotFound(path)) => format!("{path} (file not found)"),
        Some(FileState::Read(path)) if found => path.clone(),
        Some(FileState::Read(path)) => format!("{path} (no such profile)"),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Profile,
    SsoSession,
    Services,
}

/// What a section header names: (kind, name, whether `profile ` prefixed it). `None` for a
/// section to ignore.
fn section_kind(header: &str, kind: FileKind) -> Option<(Kind, &str, bool)> {
    let (which, name, prefixed) = match kind {
        FileKind::Credentials => (Kind::Profile, header, false),
        FileKind::Config => {
            if header == "default" {
                (Kind::Profile, header, false)
            } else if let Some(name) = prefixed_name(header, "profile") {
                (Kind::Profile, name, true)
            } else if let Some(name) = prefixed_name(header, "sso-session") {
                (Kind::SsoSession, name, false)
            } else if let Some(name) = prefixed_name(header, "services") {
                (Kind::Services, name, false)
            } else {
                return None;
            }
        }
    };
    is_valid_name(name).then_some((which, name, prefixed))
}

/// `profile foo` → `foo`: the prefix must be followed by whitespace (`profilefoo` is nothing).
fn prefixed_name<'a>(header: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = header.strip_prefix(prefix)?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(rest.trim_matches([' ', '\t']))
}

/// Letters, digits and `-/.%@_:+`.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/.%@_:+".contains(c))
}

/// A section as written, before the file kind gives it a meaning.
struct RawSection {
    header: String,
    properties: Vec<(String, String)>,
}

const WHITESPACE: [char; 2] = [' ', '\t'];

/// Splits the text into sections and properties, validating the syntax.
fn parse_sections(text: &str) -> Result<Vec<RawSection>, ParseError> {
    let mut sections: Vec<RawSection> = Vec::new();
    // The property that indented lines continue: (index in the current section, whether it
    // takes sub-properties). None right after a section header.
    let mut current: Option<(usize, bool)> = None;

    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let error = |message: &str| ParseError {
            line: index + 1,
            message: message.to_owned(),
        };
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line, false);
            let name = header
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .ok_or_else(|| error("Profile definition must end with ']'"))?;
            sections.push(RawSection {
                header: name.trim_matches(WHITESPACE).to_owned(),
                properties: Vec::new(),
            });
            current = None;
        } else if line.starts_with(WHITESPACE) {
            let Some(section) = sections.last_mut() else {
                return Err(error("Expected a profile definition, found continuation"));
            };
            let Some((at, takes_sub_properties)) = current else {
                return Err(error("Expected a property definition, found continuation"));
            };
            let continued = line.trim_matches(WHITESPACE);
            if takes_sub_properties {
                let (key, _) = continued
                    .split_once('=')
                    .ok_or_else(|| error("Expected an '=' sign defining a sub-property"))?;
                if key.trim_matches(WHITESPACE).is_empty() {
                    return Err(error("Sub-property did not have a name"));
                }
            }
            let value = &mut section.properties[at].1;
            value.push('\n');
            value.push_str(continued);
        } else {
            let Some(section) = sections.last_mut() else {
                return Err(error("Expected a profile definition"));
            };
            let property = strip_comment(line, true);
            let (key, value) = property
                .split_once('=')
                .ok_or_else(|| error("Expected an '=' sign defining a property"))?;
            let key = key.trim_matches(WHITESPACE);
            if key.is_empty() {
                return Err(error("Property did not have a name"));
            }
            let value = value.trim_matches(WHITESPACE);
            section.properties.push((key.to_owned(), value.to_owned()));
            current = Some((section.properties.len() - 1, value.is_empty()));
        }
    }
    Ok(sections)
}

/// The line without surrounding whitespace and without a trailing `#` or `;` comment. In a
/// property line the comment sign must follow whitespace (`value;x` is a value).
fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut previous_whitespace = false;
    for (at, c) in line.char_indices() {
        if (c == '#' || c == ';') && (previous_whitespace || !needs_whitespace) {
            return line[..at].trim_matches(WHITESPACE);
        }
        previous_whitespace = c.is_whitespace();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_profiles_sessions_and_services() {
        let config = "\
# comment
[default]
region = us-east-1
s3 =
  max_concurrent_requests = 10

[profile dev]
region=eu-west-1
; another comment
Aws_Access_Key_Id = AKIDDEV
services = local
[sso-session corp]
sso_region = us-east-1
[services local]
ecr =
  endpoint_url = http://127.0.0.1:5000
[profilefoo]
region = ignored
";
        let set = ProfileSet::parse(Some(config), Some("[dev]\nregion = from-credentials\n"))
            .unwrap()
            .with_selected("dev");
        let dev = set.selected().unwrap();
        assert_eq!(dev.get("region"), Some("from-credentials"));
        assert_eq!(dev.get("aws_access_key_id"), Some("AKIDDEV"));
        assert_eq!(
            set.profile("default")
                .unwrap()
                .sub_property("s3", "max_concurrent_requests"),
            Some("10")
        );
        assert_eq!(
            set.sso_session("corp").unwrap().get("sso_region"),
            Some("us-east-1")
        );
        assert_eq!(
            set.services("local")
                .unwrap()
                .sub_property("ecr", "endpoint_url"),
            Some("http://127.0.0.1:5000")
        );
        assert!(set.profile("profilefoo").is_none() && set.profile("foo").is_none());
    }

    #[test]
    fn reports_syntax_errors_with_line_numbers() {
        let err = ProfileSet::parse(Some("[default]\nnot a property\n"), None).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("Expected an '=' sign"), "{err}");
    }

    #[test]
    fn finds_files_by_platform() {
        let env = Env::from_map([("HOME", "/home/u"), ("AWS_CONFIG_FILE", "~/x/config")]);
        let at = FileLocations::from_env(&env, Platform::Unix);
        assert_eq!(at.config.as_deref(), Some("/home/u/x/config"));
        assert_eq!(at.credentials.as_deref(), Some("/home/u/.aws/credentials"));
        let none = FileLocations::from_env(&Env::from_map([("X", "y")]), Platform::Unix);
        assert_eq!(none.config, None);
    }
}
