//! The crate's one error type.

use std::fmt;

/// An error from boildown: an invalid configuration or an unparsable value.
///
/// The error is opaque: its message says what went wrong; match on nothing but its
/// presence. Cleaning text itself never fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    InvalidConfig(String),
    InvalidFingerprint(String),
}

impl Error {
    pub(crate) fn invalid_config(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::InvalidConfig(message.into()),
        }
    }

    pub(crate) fn invalid_fingerprint(input: &str) -> Self {
        let shown: String = input.chars().take(40).collect();
        Error {
            kind: ErrorKind::InvalidFingerprint(shown),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::InvalidConfig(message) => write!(f, "invalid configuration: {message}"),
            ErrorKind::InvalidFingerprint(input) => {
                write!(f, "invalid fingerprint {input:?}: expected 16 hex digits")
            }
        }
    }
}

impl std::error::Error for Error {}
