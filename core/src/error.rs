//! The one error type of Foliodesk and its portable [`ErrorKind`].

use crate::command::CommandKind;
use crate::directory::Role;
use crate::status::Status;

/// Result with Foliodesk's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A foreign error kept as the source of a storage failure.
pub type BoxDynError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in Foliodesk.
///
/// Rule violations (the caller asked for something the process does not allow) are kept apart
/// from infrastructure failures ([`Error::Storage`]). Whenever an error is returned, nothing
/// was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The named entity does not exist. Check the id; nothing to retry.
    #[error("{entity} `{id}` not found")]
    NotFound {
        /// What was looked up: `ticket`, `user`, `team`, `organisation`.
        entity: &'static str,
        /// The id that was not found.
        id: String,
    },
    /// The actor's role does not allow this command on this ticket. Show it to the user.
    #[error("permission denied: the {role} role may not {command}: {reason}")]
    PermissionDenied {
        /// The actor's role.
        role: Role,
        /// The command that was refused.
        command: CommandKind,
        /// Why, in words.
        reason: String,
    },
    /// The actor's role does not allow a desk-wide operation (changing the configuration
    /// or the directory, simulating SLA rules). Same kind as [`Error::PermissionDenied`].
    #[error("permission denied: the {role} role may not {operation}: {reason}")]
    Forbidden {
        /// The actor's role.
        role: Role,
        /// The operation that was refused (`reconfigure`, `put_user`…).
        operation: &'static str,
        /// Why, in words.
        reason: String,
    },
    /// The ticket's status does not allow this command (see the transition table).
    #[error("invalid transition: cannot {command} a ticket that is {status}")]
    InvalidTransition {
        /// The ticket's current status.
        status: Status,
        /// The command that was refused.
        command: CommandKind,
    },
    /// A field has a value the rules do not accept. Fix the input; `field` names it.
    #[error("invalid {field}: {reason}")]
    Validation {
        /// The offending field, as a dotted path (`impact`, `priority.matrix[2][4]`).
        field: String,
        /// Why it was refused.
        reason: String,
    },
    /// The configuration file (or text) is not valid.
    #[error("configuration error in {origin} at `{key}`: {reason}")]
    Config {
        /// The file name, or `<string>` / `<stored>`.
        origin: String,
        /// The dotted key path of the offending entry (empty for a syntax error).
        key: String,
        /// Why it was refused.
        reason: String,
    },
    /// Someone else changed the ticket first. The facade re-decides and retries; callers of
    /// the store see it when they race.
    #[error("conflict on ticket `{ticket}`: expected version {expected}, found {actual}")]
    Conflict {
        /// The ticket that was being changed.
        ticket: String,
        /// The version the writer based its decision on.
        expected: u64,
        /// The version found in storage.
        actual: u64,
    },
    /// The storage backend failed (I/O, connection, corrupt data). May be retried.
    #[error("storage error: {message}")]
    Storage {
        /// What failed, and what to do about it where known.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<BoxDynError>,
    },
    /// A server the desk talks to (an IMAP mailbox) failed or refused: unreachable, wrong
    /// credentials, a protocol error. May be retried once the server or the settings are
    /// mended; nothing was lost.
    #[error("{service} error: {message}")]
    Remote {
        /// Which server (`imap`).
        service: String,
        /// What failed.
        message: String,
    },
}

/// The portable classification of an [`Error`], which both bindings switch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::PermissionDenied`] and [`Error::Forbidden`].
    PermissionDenied,
    /// [`Error::InvalidTransition`].
    InvalidTransition,
    /// [`Error::Validation`] and [`Error::Config`].
    Validation,
    /// [`Error::Conflict`].
    Conflict,
    /// [`Error::Storage`].
    Storage,
    /// [`Error::Remote`].
    Remote,
}

impl ErrorKind {
    /// The stable code used by the bindings (`NOT_FOUND`, `VALIDATION`…).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::PermissionDenied => "PERMISSION_DENIED",
            ErrorKind::InvalidTransition => "INVALID_TRANSITION",
            ErrorKind::Validation => "VALIDATION",
            ErrorKind::Conflict => "CONFLICT",
            ErrorKind::Storage => "STORAGE",
            ErrorKind::Remote => "REMOTE",
        }
    }
}

impl Error {
    /// The portable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::PermissionDenied { .. } | Error::Forbidden { .. } => ErrorKind::PermissionDenied,
            Error::InvalidTransition { .. } => ErrorKind::InvalidTransition,
            Error::Validation { .. } | Error::Config { .. } => ErrorKind::Validation,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Remote { .. } => ErrorKind::Remote,
        }
    }

    /// The field a validation error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            Error::Config { key, .. } => Some(key),
            _ => None,
        }
    }

    /// A validation error on `field`.
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A storage error with a source.
    pub fn storage(message: impl Into<String>, source: impl Into<BoxDynError>) -> Self {
        Error::Storage {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A storage error without a foreign source (e.g. corrupt data found by a check).
    pub fn storage_msg(message: impl Into<String>) -> Self {
        Error::Storage {
            message: message.into(),
            source: None,
        }
    }

    /// A not-found error.
    pub fn not_found(entity: &'static str, id: impl std::fmt::Display) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }
}
