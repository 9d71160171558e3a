//! JSON encoding of stored documents, with storage errors that name what failed.

use serde::de::DeserializeOwned;

use crate::{Error, Result};

/// Encodes a document for storage.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::storage("cannot encode a document", e))
}

/// Decodes a stored `what` ("ticket", "event"…).
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::storage(format!("stored {what} cannot be decoded"), e))
}
