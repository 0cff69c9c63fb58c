//! The generator's one error type: it names the shape (when there is one) and the reason.

use std::fmt;

/// Why the generator could not produce code. Nothing is written when this is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    shape: Option<String>,
    reason: String,
}

impl Error {
    /// An error about the model or the settings as a whole.
    pub fn new(reason: impl Into<String>) -> Self {
        Error {
            shape: None,
            reason: reason.into(),
        }
    }

    /// An error about one shape (or member: `ns#Shape$member`).
    pub fn shape(shape: impl Into<String>, reason: impl Into<String>) -> Self {
        Error {
            shape: Some(shape.into()),
            reason: reason.into(),
        }
    }

    /// The shape id the error is about, if any.
    pub fn shape_id(&self) -> Option<&str> {
        self.shape.as_deref()
    }

    /// Why it failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shape {
            Some(shape) => write!(f, "shape `{shape}`: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

impl std::error::Error for Error {}
