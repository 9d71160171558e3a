//! What the IMAP reader is told (where, how, which folders) and what it reports.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Where and how to read mail.
///
/// ```
/// let settings: foliodesk::ImapSettings = serde_json::from_value(serde_json::json!({
///     "host": "imap.example.com", "username": "soporte@example.com", "password": "…",
/// })).unwrap();
/// assert_eq!((settings.port, settings.folder.as_str()), (993, "INBOX"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImapSettings {
    /// Server host name.
    pub host: String,
    /// Port (993 by default).
    #[serde(default = "port")]
    pub port: u16,
    /// `tls` (the default) or `none`, which is refused unless the host is loopback: a
    /// password never crosses a network in clear text.
    #[serde(default)]
    pub security: ImapSecurity,
    /// The account.
    pub username: String,
    /// Its password (LOGIN).
    #[serde(default)]
    pub password: Option<String>,
    /// An OAuth 2 access token the host obtained (Microsoft 365, Google): authenticates
    /// with XOAUTH2 instead of a password.
    #[serde(default)]
    pub oauth_token: Option<String>,
    /// The folder read (`INBOX` by default).
    #[serde(default = "inbox")]
    pub folder: String,
    /// Where handled mail is moved; when absent it stays, flagged `\Seen`.
    #[serde(default)]
    pub processed_folder: Option<String>,
    /// Where mail that cannot be taken in is moved (`Quarantine` by default; created when
    /// missing).
    #[serde(default = "quarantine")]
    pub quarantine_folder: String,
    /// At most this many messages per poll (500 by default); the next poll goes on.
    #[serde(default = "batch")]
    pub batch: u32,
    /// Bound of each exchange with the server, in seconds (30 by default).
    #[serde(default = "thirty")]
    pub timeout_seconds: u64,
    /// A PEM file of CA certificates to trust instead of the public roots (a company CA).
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// How the connection to the IMAP server is protected.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ImapSecurity {
    /// TLS from the first byte (IMAPS, port 993).
    #[default]
    Tls,
    /// None: for a server on loopback only.
    None,
}

fn port() -> u16 {
    993
}
fn inbox() -> String {
    "INBOX".into()
}
fn quarantine() -> String {
    "Quarantine".into()
}
fn batch() -> u32 {
    500
}
fn thirty() -> u64 {
    30
}

/// What one poll of a folder did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImapPoll {
    /// The folder read.
    pub folder: String,
    /// Its UIDVALIDITY.
    pub uid_validity: u32,
    /// True when it differs from the one remembered: the folder was recreated, so every
    /// message in it was read again (the ones taken in before are duplicates).
    pub validity_changed: bool,
    /// The last UID handled before this poll, and after it.
    pub resumed_after: u32,
    /// The last UID handled now.
    pub last_uid: u32,
    /// Messages fetched.
    pub fetched: u32,
    /// Tickets opened.
    pub opened: u32,
    /// Messages added to their tickets.
    pub added: u32,
    /// Messages dropped, with a reason the desk gave (a machine's, a loop…).
    pub ignored: u32,
    /// Messages taken in before.
    pub duplicates: u32,
    /// Messages moved to the quarantine folder, each with its reason.
    pub quarantined: Vec<Quarantined>,
}

/// A message that could not be taken in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Quarantined {
    /// Its UID in the folder read.
    pub uid: u32,
    /// Why.
    pub reason: String,
}

impl ImapSettings {
    /// Refuses settings that cannot work or would expose a password.
    pub fn check(&self) -> Result<()> {
        let bad = |field: &str, reason: &str| Err(Error::validation(field, reason));
        if self.host.trim().is_empty() {
            return bad("imap.host", "must not be empty");
        }
        if self.username.trim().is_empty() {
            return bad("imap.username", "must not be empty");
        }
        if self.password.is_none() == self.oauth_token.is_none() {
            return bad(
                "imap.password",
                "give either a password or an oauth_token, not both",
            );
        }
        let loopback = matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "::1");
        if self.security == ImapSecurity::None && !loopback {
            return bad(
                "imap.security",
                "clear text is allowed only to a server on loopback",
            );
        }
        for (field, name) in [
            ("imap.folder", &self.folder),
            ("imap.quarantine_folder", &self.quarantine_folder),
        ] {
            if name.trim().is_empty() || name.contains(['"', '\r', '\n']) {
                return bad(field, "must be a folder name without quotes or line breaks");
            }
        }
        if let Some(p) = &self.processed_folder {
            if p.trim().is_empty() || p.contains(['"', '\r', '\n']) || *p == self.folder {
                return bad(
                    "imap.processed_folder",
                    "must be another folder than the one read",
                );
            }
        }
        if self.batch == 0 {
            return bad("imap.batch", "must be at least 1");
        }
        Ok(())
    }

    /// The bookkeeping key under which the reader's position in this folder is kept.
    pub(crate) fn position_key(&self) -> String {
        use sha2::{Digest, Sha256};
        let who = format!(
            "{}\0{}\0{}\0{}",
            self.host.to_lowercase(),
            self.port,
            self.username.to_lowercase(),
            self.folder
        );
        let digest = Sha256::digest(who.as_bytes());
        format!("intake/imap/{}", hex::encode(&digest[..16]))
    }
}

/// The XOAUTH2 SASL response (Google, Microsoft 365) for `user` with access token `token`.
///
/// ```
/// let r = foliodesk::imap::xoauth2("soporte@example.com", "tok");
/// assert_eq!(r, "user=soporte@example.com\x01auth=Bearer tok\x01\x01");
/// ```
pub fn xoauth2(user: &str, token: &str) -> String {
    format!("user={user}\x01auth=Bearer {token}\x01\x01")
}

/// The reader's position in a folder, as remembered between polls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Position {
    pub uid_validity: u32,
    pub last_uid: u32,
}
