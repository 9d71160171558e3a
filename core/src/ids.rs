//! Identifiers. They are opaque strings chosen by the host application (users, teams,
//! organisations) or by the desk (tickets).

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Wraps a string.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

string_id!(
    /// A ticket's internal, immutable id (the folio is its human name).
    TicketId
);
string_id!(
    /// A user of the desk: requester, agent, supervisor or admin.
    UserId
);
string_id!(
    /// A customer organisation.
    OrgId
);
string_id!(
    /// A support team.
    TeamId
);

/// Checks that an id is usable: not blank, no control characters, at most 200 bytes.
pub(crate) fn validate_id(field: &str, id: &str) -> crate::Result<()> {
    if id.trim().is_empty() {
        return Err(crate::Error::validation(field, "must not be empty"));
    }
    if id.len() > 200 {
        return Err(crate::Error::validation(field, "must be at most 200 bytes"));
    }
    if id.chars().any(char::is_control) {
        return Err(crate::Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}
