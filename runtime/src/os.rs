//! The seams to the operating system: environment variables, files and the clock.
//!
//! Everything in this crate that needs one of them takes it from here, so that tests can run
//! the same code on an in-memory environment ([`Env::from_map`]), an in-memory filesystem
//! ([`Fs::from_map`]) and a fixed clock ([`Clock::fixed`]) without touching the process.
//! Nothing above this module reads `std::env`, the disk or `SystemTime::now` directly.

use crate::error::ConfigError;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Why an environment variable could not be read as text.
///
/// Unlike `std::env::VarError` it never carries the value, which may be a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarError {
    /// The variable is not set.
    NotPresent,
    /// The variable is set, but its value is not valid UTF-8.
    NotUnicode,
}

impl fmt::Display for VarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VarError::NotPresent => "not set",
            VarError::NotUnicode => "set, but not valid UTF-8",
        })
    }
}

impl std::error::Error for VarError {}

/// Environment variables: the process's ([`Env::real`], the default) or a fixed set.
///
/// Cheap to clone. `Debug` never shows values.
#[derive(Clone, Default)]
pub struct Env(EnvInner);

#[derive(Clone, Default)]
enum EnvInner {
    #[default]
    Real,
    Map(Arc<HashMap<String, OsString>>),
}

impl Env {
    /// The process environment.
    pub fn real() -> Self {
        Env(EnvInner::Real)
    }

    /// An environment holding exactly `vars` (values may be non-UTF-8 `OsString`s).
    pub fn from_map<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<OsString>,
    {
        Env(EnvInner::Map(Arc::new(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )))
    }

    /// The value of `name` as text; tells "not set" from "set but not UTF-8".
    pub fn get(&self, name: &str) -> Result<String, VarError> {
        match self.get_os(name) {
            None => Err(VarError::NotPresent),
            Some(value) => value.into_string().map_err(|_| VarError::NotUnicode),
        }
    }

    /// The raw value of `name`.
    pub fn get_os(&self, name: &str) -> Option<OsString> {
        match &self.0 {
            EnvInner::Real => std::env::var_os(name),
            EnvInner::Map(map) => map.get(name).cloned(),
        }
    }

    /// The names of the variables that start with `prefix`, in no particular order (for settings such as
    /// `AWS_ENDPOINT_URL_<SERVICE>` whose names are not known in advance).
    pub fn names_with_prefix(&self, prefix: &str) -> Vec<String> {
        match &self.0 {
            EnvInner::Real => std::env::vars_os()
                .filter_map(|(name, _)| name.into_string().ok())
                .filter(|name| name.starts_with(prefix))
                .collect(),
            EnvInner::Map(map) => map
                .keys()
                .filter(|name| name.starts_with(prefix))
                .cloned()
                .collect(),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            EnvInner::Real => f.write_str("Env::real"),
            // A count only: listing names would keep sorting code in every binary.
            EnvInner::Map(map) => write!(f, "Env::from_map({} variables)", map.len()),
        }
    }
}

/// A set, non-blank variable, trimmed; a value that is not UTF-8 is an error naming the
/// variable (never the value).
pub(crate) fn setting(env: &Env, name: &str) -> Result<Option<String>, ConfigError> {
    match env.get(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode) => Err(ConfigError::InvalidSetting {
            setting: name.to_owned(),
            value: "<not UTF-8>".to_owned(),
            expected: "UTF-8 text".to_owned(),
        }),
    }
}

/// Files: the real filesystem ([`Fs::real`], the default) or an in-memory one.
///
/// Cheap to clone; clones of an in-memory filesystem share their files (so a write is seen by
/// every clone). `Debug` never shows contents.
#[derive(Clone, Default)]
pub struct Fs(FsInner);

#[derive(Clone, Default)]
enum FsInner {
    #[default]
    Real,
    Map(Arc<Mutex<HashMap<PathBuf, Vec<u8>>>>),
}

impl Fs {
    /// The real filesystem.
    pub fn real() -> Self {
        Fs(FsInner::Real)
    }

    /// A filesystem holding exactly `files` (path, contents). Paths are used as given: no
    /// `~`, no `..`, no current directory.
    pub fn from_map<P, C>(files: impl IntoIterator<Item = (P, C)>) -> Self
    where
        P: Into<PathBuf>,
        C: Into<Vec<u8>>,
    {
        Fs(FsInner::Map(Arc::new(Mutex::new(
            files
                .into_iter()
                .map(|(p, c)| (p.into(), c.into()))
                .collect(),
        ))))
    }

    /// The whole file. A missing file is an error of kind [`io::ErrorKind::NotFound`].
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match &self.0 {
            FsInner::Real => std::fs::read(path),
            FsInner::Map(files) => lock(files).get(path).cloned().ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    "no such file (in-memory filesystem)",
                )
            }),
        }
    }

    /// The whole file as UTF-8 text (invalid UTF-8 is an [`io::ErrorKind::InvalidData`] error).
    pub fn read_to_string(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.read(path)?)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8"))
    }

    /// Replaces the file's contents (creating it; for the real filesystem the directory must
    /// exist).
    pub fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        match &self.0 {
            FsInner::Real => std::fs::write(path, contents),
            FsInner::Map(files) => {
                lock(files).insert(path.to_owned(), contents.to_vec());
                Ok(())
            }
        }
    }
}

/// Locks `mutex`, also after a panic elsewhere while it was held: every state this crate keeps
/// behind a mutex is whole after each statement (a map, a cache slot, a list), so a poisoned
/// lock holds nothing half-written.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl fmt::Debug for Fs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            FsInner::Real => f.write_str("Fs::real"),
            FsInner::Map(files) => write!(f, "Fs::from_map({} files)", lock(files).len()),
        }
    }
}

type ClockFn = dyn Fn() -> SystemTime + Send + Sync;

/// The time: the system clock ([`Clock::system`], the default), a fixed instant, or a function.
///
/// Used for signing and for credential expiry. Cheap to clone.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<ClockFn>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(None)
    }

    /// Always `at`.
    pub fn fixed(at: SystemTime) -> Self {
        Clock(Some(Arc::new(move || at)))
    }

    /// Whatever `now` returns (for a clock a test moves forward).
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Clock(Some(Arc::new(now)))
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.0 {
            Some(now) => now(),
            None => SystemTime::now(),
        }
    }

    /// True for the system clock.
    pub fn is_system(&self) -> bool {
        self.0.is_none()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_system() {
            "Clock::system"
        } else {
            "Clock::custom"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_tells_unset_from_not_unicode() {
        #[cfg(unix)]
        let bad = {
            use std::os::unix::ffi::OsStringExt;
            OsString::from_vec(vec![0x66, 0x6f, 0x80])
        };
        #[cfg(not(unix))]
        let bad = OsString::from("x");
        let env = Env::from_map([("AWS_REGION", OsString::from("eu-west-1")), ("BAD", bad)]);
        assert_eq!(env.get("AWS_REGION").as_deref(), Ok("eu-west-1"));
        assert_eq!(env.get("MISSING"), Err(VarError::NotPresent));
        #[cfg(unix)]
        assert_eq!(env.get("BAD"), Err(VarError::NotUnicode));
        assert_eq!(env.names_with_prefix("AWS_"), vec!["AWS_REGION"]);
        assert!(!format!("{env:?}").contains("eu-west-1"));
    }

    #[test]
    fn fs_from_map_reads_and_writes() {
        let fs = Fs::from_map([("/home/u/.aws/config", "[default]\n")]);
        assert_eq!(
            fs.read_to_string(Path::new("/home/u/.aws/config")).unwrap(),
            "[default]\n"
        );
        let missing = fs.read(Path::new("/nope")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let clone = fs.clone();
        clone.write(Path::new("/tmp/x"), b"1").unwrap();
        assert_eq!(fs.read(Path::new("/tmp/x")).unwrap(), b"1");
    }
}
