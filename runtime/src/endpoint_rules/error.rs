//! What can go wrong loading or evaluating rules.

use std::error::Error;
use std::fmt;

/// A rule set, partition data or endpoint test could not be loaded.
///
/// `Display` names what was being read, where in it (a JSON path such as
/// `rules[1].rules[0].conditions[2]`), and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    path: String,
    reason: String,
}

impl ParseError {
    pub(crate) fn new(
        what: &'static str,
        path: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            what,
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// What was being read: `endpoint rule set`, `partition data`, ...
    pub fn what(&self) -> &str {
        self.what
    }

    /// Where in the JSON document the problem is (empty for the document itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid {}: {}", self.what, self.reason)
        } else {
            write!(f, "invalid {} at {}: {}", self.what, self.path, self.reason)
        }
    }
}

impl Error for ParseError {}

/// Resolution did not produce an endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveError {
    /// An error rule matched. `Display` is the rule's message exactly as the rule set words it,
    /// for example `Invalid Configuration: FIPS and custom endpoint are not supported`.
    Rule {
        /// The rule's message.
        message: String,
    },
    /// A required parameter has no value and no default.
    MissingParameter {
        /// The parameter's name.
        name: String,
    },
    /// A parameter was given a value of the wrong type.
    ParameterType {
        /// The parameter's name.
        name: String,
        /// The declared type.
        expected: &'static str,
        /// The type of the value given.
        found: &'static str,
    },
    /// No rule matched: the rule set does not cover these parameters.
    NoRuleMatched,
    /// An expression could not be evaluated (for example a function given a value of the wrong
    /// type, or a template referring to an unset value).
    Evaluation {
        /// What went wrong.
        message: String,
    },
}

impl ResolveError {
    pub(crate) fn eval(message: impl Into<String>) -> Self {
        ResolveError::Evaluation {
            message: message.into(),
        }
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Rule { message } => f.write_str(message),
            ResolveError::MissingParameter { name } => {
                write!(f, "the endpoint parameter `{name}` is required but not set")
            }
            ResolveError::ParameterType {
                name,
                expected,
                found,
            } => write!(
                f,
                "the endpoint parameter `{name}` must be a {expected}, but a {found} was given"
            ),
            ResolveError::NoRuleMatched => f.write_str(
                "no endpoint rule matched these parameters (the rule set does not cover them)",
            ),
            ResolveError::Evaluation { message } => {
                write!(f, "cannot evaluate the endpoint rules: {message}")
            }
        }
    }
}

impl Error for ResolveError {}
