//! Files on a ticket. The bytes are kept by the store under their SHA-256 (the same file
//! twice is stored once); the ticket and its history hold what describes them — name, type,
//! size, hash, who may see them. What a desk accepts is configuration: a size limit and a
//! list of allowed types (`[attachments]`).

use serde::{Deserialize, Serialize};

use crate::vocabulary::Visibility;
use crate::{Error, Result};

/// A file on a ticket, as its history records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The SHA-256 of the bytes, lower-case hex: the key the store keeps them under.
    pub sha256: String,
    /// File name, as given.
    pub name: String,
    /// MIME type (`image/png`).
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Public (the requester sees it) or internal (staff only).
    #[serde(default)]
    pub visibility: Visibility,
}

/// What a desk accepts as an attachment.
///
/// ```toml
/// [attachments]
/// max_bytes = 10485760
/// allowed_types = ["image/*", "application/pdf", "text/plain"]
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentPolicy {
    /// The largest file accepted, in bytes (10 MiB by default).
    pub max_bytes: u64,
    /// MIME types accepted; `type/*` accepts a whole family. By default images, PDF, plain
    /// text, CSV, logs, office documents and zip archives — not executables or scripts.
    pub allowed_types: Vec<String>,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        AttachmentPolicy {
            max_bytes: 10 * 1024 * 1024,
            allowed_types: [
                "image/*",
                "application/pdf",
                "text/plain",
                "text/csv",
                "message/rfc822",
                "application/zip",
                "application/msword",
                "application/vnd.openxmlformats-officedocument.*",
                "application/vnd.oasis.opendocument.*",
                "application/vnd.ms-excel",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// The longest file name kept.
pub const MAX_NAME: usize = 255;

impl AttachmentPolicy {
    /// Refuses a file this desk does not take, naming the field and the reason.
    pub fn check(&self, name: &str, content_type: &str, size: u64) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME || name.contains(['/', '\\', '\0']) {
            return Err(Error::validation(
                "attachment.name",
                format!("must be a file name of 1 to {MAX_NAME} characters without slashes"),
            ));
        }
        if size > self.max_bytes {
            return Err(Error::validation(
                "attachment.size",
                format!(
                    "`{name}` has {size} bytes; this desk takes at most {}",
                    self.max_bytes
                ),
            ));
        }
        if !self.allows(content_type) {
            return Err(Error::validation(
                "attachment.content_type",
                format!("`{content_type}` (`{name}`) is not among the types this desk takes"),
            ));
        }
        Ok(())
    }

    /// Whether `content_type` (parameters such as `; charset=…` ignored) is allowed.
    pub fn allows(&self, content_type: &str) -> bool {
        let t = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        self.allowed_types.iter().any(|a| {
            let a = a.trim().to_ascii_lowercase();
            match a.strip_suffix('*') {
                Some(prefix) => t.starts_with(prefix) && t.len() > prefix.len(),
                None => t == a,
            }
        })
    }
}

/// The SHA-256 of `bytes` in lower-case hex, as attachments are keyed.
///
/// ```
/// use foliodesk_core::attachment::sha256_hex;
/// assert_eq!(sha256_hex(b"").len(), 64);
/// assert!(sha256_hex(b"abc").starts_with("ba7816bf"));
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Checks an attachment described in a command: a well-formed hash, and what the policy
/// says of its name, type and size.
pub(crate) fn validate(a: &Attachment, policy: &AttachmentPolicy) -> Result<Attachment> {
    let well_formed = a.sha256.len() == 64
        && a.sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !well_formed {
        return Err(Error::validation(
            "attachment.sha256",
            "must be 64 lower-case hex digits",
        ));
    }
    policy.check(&a.name, &a.content_type, a.size)?;
    Ok(Attachment {
        name: a.name.trim().to_owned(),
        ..a.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_exact_types_and_parameters() {
        let p = AttachmentPolicy::default();
        assert!(p.allows("image/png"));
        assert!(p.allows("Text/Plain; charset=utf-8"));
        assert!(p.allows("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
        assert!(!p.allows("image/"));
        assert!(!p.allows("application/x-msdownload"));
        assert!(!p.allows("text/html"));
    }

    #[test]
    fn refusals_name_the_field() {
        let p = AttachmentPolicy::default();
        let field = |r: Result<()>| r.unwrap_err().field().unwrap().to_owned();
        assert_eq!(
            field(p.check("a.exe", "application/x-msdownload", 10)),
            "attachment.content_type"
        );
        assert_eq!(
            field(p.check("a.png", "image/png", p.max_bytes + 1)),
            "attachment.size"
        );
        assert_eq!(
            field(p.check("../a.png", "image/png", 1)),
            "attachment.name"
        );
        assert_eq!(field(p.check("  ", "image/png", 1)), "attachment.name");
        assert!(p.check("captura.png", "image/png", p.max_bytes).is_ok());
    }
}
