//! The crate's one error type.

use std::fmt;

/// An error from boildown: an invalid configuration, an unparsable value, or a site
/// model snapshot that cannot be read.
///
/// The error is opaque: its message says what went wrong; match on nothing but its
/// presence. Cleaning text itself never fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    Config(String),
    Fingerprint(String),
    Snapshot(String),
}

impl Error {
    pub(crate) fn invalid_config(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Config(message.into()),
        }
    }

    pub(crate) fn invalid_snapshot(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Snapshot(message.into()),
        }
    }

    pub(crate) fn invalid_fingerprint(input: &str) -> Self {
        let shown: String = input.chars().take(40).collect();
        Error {
            kind: ErrorKind::Fingerprint(shown),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Config(message) => write!(f, "invalid configuration: {message}"),
            ErrorKind::Snapshot(message) => write!(f, "invalid site model: {message}"),
            ErrorKind::Fingerprint(input) => {
                write!(f, "invalid fingerprint \"{input}\": expected 16 hex digits")
            }
        }
    }
}

impl std::error::Error for Error {}
