//! The satisfaction survey without a login (seeds 000, 004): when a solution is confirmed,
//! the requester's message carries a signed, expiring token; a portal hands it back with
//! the rating to [`Desk::rate_with_token`].
//!
//! A token is `v1.<ticket id>.<expiry, unix seconds>.<HMAC-SHA256>`, signed with a key the
//! desk keeps in its store (made on first use), so every process on one database accepts
//! the tokens of the others.

use chrono::{DateTime, Utc};
use foliodesk_core::notify::NotifyConfig;
use foliodesk_core::{Command, Error, Result, Ticket, TicketId};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Desk;

const KEY: &str = "survey_key";
const VERSION: &str = "v1";

fn bad(reason: &str) -> Error {
    Error::validation("token", reason)
}

fn signature(key: &[u8], payload: &str) -> Result<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| Error::storage_msg("the survey key is empty"))?;
    mac.update(payload.as_bytes());
    Ok(mac)
}

impl Desk {
    /// The desk's signing key, made and stored on first use. Concurrent first uses both
    /// store a key; each then reads back the one that stayed, so all sign alike.
    async fn survey_key(&self) -> Result<Vec<u8>> {
        let stored = match self.store().meta(KEY).await? {
            Some(stored) => stored,
            None => {
                let fresh = format!(
                    "{}{}",
                    uuid::Uuid::new_v4().simple(),
                    uuid::Uuid::new_v4().simple()
                );
                self.store().put_meta(KEY, Some(fresh)).await?;
                self.store().meta(KEY).await?.unwrap_or_default()
            }
        };
        hex::decode(stored).map_err(|_| Error::storage_msg("the survey key is damaged"))
    }

    /// The invitation for the requester of `ticket`: the configured survey URL with a
    /// fresh token in it, or the token alone.
    pub(crate) async fn survey_link(
        &self,
        ticket: &TicketId,
        config: &NotifyConfig,
    ) -> Result<String> {
        let valid = chrono::Duration::from_std(config.survey_valid_for)
            .map_err(|_| Error::validation("notifications.survey_valid_for", "is too long"))?;
        let token = self.survey_token(ticket, self.now() + valid).await?;
        Ok(match &config.survey_url {
            Some(url) => url.replace("{token}", &token),
            None => token,
        })
    }

    /// A token that lets the requester of `ticket` rate it until `expires`.
    pub(crate) async fn survey_token(
        &self,
        ticket: &TicketId,
        expires: DateTime<Utc>,
    ) -> Result<String> {
        let payload = format!("{VERSION}.{ticket}.{}", expires.timestamp());
        let mac = signature(&self.survey_key().await?, &payload)?;
        Ok(format!(
            "{payload}.{}",
            hex::encode(mac.finalize().into_bytes())
        ))
    }

    /// Records the requester's rating from a survey token, without a login. A forged,
    /// altered or expired token, or one whose ticket was already rated, is a validation
    /// error on `token`; a score outside 1–5 one on `score`.
    pub async fn rate_with_token(
        &self,
        token: String,
        score: u8,
        comment: Option<String>,
    ) -> Result<Ticket> {
        let parts: Vec<&str> = token.split('.').collect();
        let [version, id, expires, sig] = parts[..] else {
            return Err(bad("not a survey token"));
        };
        if version != VERSION {
            return Err(bad("not a survey token"));
        }
        let sig = hex::decode(sig).map_err(|_| bad("not a survey token"))?;
        let payload = format!("{version}.{id}.{expires}");
        signature(&self.survey_key().await?, &payload)?
            .verify_slice(&sig)
            .map_err(|_| bad("the signature does not match: altered or forged"))?;
        let expires: i64 = expires.parse().map_err(|_| bad("not a survey token"))?;
        if self.now().timestamp() >= expires {
            return Err(bad("expired: ask the desk for a new invitation"));
        }
        let id = TicketId::new(id);
        let ticket = self
            .store()
            .ticket(&id)
            .await?
            .ok_or_else(|| bad("its ticket no longer exists"))?;
        if ticket.satisfaction.is_some() {
            return Err(bad("already used: the ticket is rated"));
        }
        let requester = ticket.requester.clone();
        self.execute(requester, &id, Command::Rate { score, comment })
            .await
    }
}
