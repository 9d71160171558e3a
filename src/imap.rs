//! Reading a mailbox over IMAP: each new message in a folder is taken in with
//! [`Desk::ingest_email`], then flagged `\Seen` or moved, and the reader remembers where it
//! stopped (the folder's UIDVALIDITY and the last UID handled) in the desk's own store, so a
//! restart resumes there. A message that cannot be read is moved to a quarantine folder with
//! the reason in the report: one bad message never blocks the rest. Taking a message in
//! twice (a crash between ingesting and flagging it) is harmless: the second time is a
//! `duplicate`.

use crate::{Desk, Result};

#[cfg(feature = "imap")]
mod session;
mod settings;

use settings::Position;
pub use settings::{xoauth2, ImapPoll, ImapSecurity, ImapSettings, Quarantined};

impl Desk {
    /// Reads the new mail in an IMAP folder and takes each message in (see the module
    /// docs). Without the `imap` feature, a validation error saying so.
    pub async fn poll_imap(&self, imap: ImapSettings) -> Result<ImapPoll> {
        imap.check()?;
        #[cfg(feature = "imap")]
        {
            session::poll(self, &imap).await
        }
        #[cfg(not(feature = "imap"))]
        {
            Err(crate::Error::validation(
                "imap",
                "this build of Foliodesk has no IMAP reader (feature `imap`)",
            ))
        }
    }

    pub(crate) async fn position(&self, imap: &ImapSettings) -> Result<Position> {
        let stored = self.store().meta(&imap.position_key()).await?;
        Ok(stored
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    pub(crate) async fn remember(&self, imap: &ImapSettings, at: Position) -> Result<()> {
        let json = serde_json::to_string(&at).expect("two numbers serialise");
        self.store()
            .put_meta(&imap.position_key(), Some(json))
            .await
    }
}
