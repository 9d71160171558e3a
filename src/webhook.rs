//! Webhook delivery (the transport needs feature `webhooks`): each message as an HTTP POST of JSON, signed so
//! the receiver can tell it came from the desk and is fresh.
//!
//! Headers: `X-Foliodesk-Timestamp` (unix seconds) and `X-Foliodesk-Signature:
//! sha256=<hex>`, the HMAC-SHA256 with the shared secret of `<timestamp>.<body>`. A
//! receiver recomputes it and refuses old timestamps. 2xx is delivered; 408, 429 and 5xx,
//! timeouts and refused connections are retried; any other status is permanent.

#[cfg(feature = "webhooks")]
use std::time::Duration;

#[cfg(feature = "webhooks")]
use async_trait::async_trait;
#[cfg(feature = "webhooks")]
use foliodesk_core::notify::render::OutgoingMessage;
#[cfg(feature = "webhooks")]
use foliodesk_core::{Error, Result};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

#[cfg(feature = "webhooks")]
use crate::delivery::{SendError, Transport};

/// Where to POST and with which secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// `https://…` (or `http://` on a trusted network).
    pub url: String,
    /// The shared secret the signature is made with.
    pub secret: String,
    /// Seconds before a slow receiver counts as failed (10 by default).
    #[serde(default = "ten")]
    pub timeout_seconds: u64,
}

fn ten() -> u64 {
    10
}

/// The signature header value of `body` sent at `timestamp`.
///
/// ```
/// let s = foliodesk::webhook::signature("secret", 1_700_000_000, b"{}");
/// assert!(s.starts_with("sha256=") && s.len() == 7 + 64);
/// ```
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(feature = "webhooks")]
/// A webhook [`Transport`].
#[derive(Clone, Debug)]
pub struct Webhook {
    settings: WebhookSettings,
    agent: ureq::Agent,
}

#[cfg(feature = "webhooks")]
impl Webhook {
    /// A transport for `settings`; refuses a URL that is not http(s) and an empty secret.
    pub fn new(settings: WebhookSettings) -> Result<Webhook> {
        if !(settings.url.starts_with("https://") || settings.url.starts_with("http://")) {
            return Err(Error::validation(
                "webhook.url",
                "must start with https:// or http://",
            ));
        }
        if settings.secret.is_empty() {
            return Err(Error::validation("webhook.secret", "must not be empty"));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(settings.timeout_seconds.max(1))))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Ok(Webhook { settings, agent })
    }
}

#[cfg(feature = "webhooks")]
#[async_trait]
impl Transport for Webhook {
    async fn send(&self, message: &OutgoingMessage) -> std::result::Result<(), SendError> {
        let body = serde_json::to_vec(message).map_err(|e| SendError {
            reason: format!("cannot encode the message: {e}"),
            permanent: true,
        })?;
        let timestamp = chrono::Utc::now().timestamp();
        let signed = signature(&self.settings.secret, timestamp, &body);
        let (agent, url) = (self.agent.clone(), self.settings.url.clone());
        // ureq is blocking: keep it off the async workers.
        let status = tokio::task::spawn_blocking(move || {
            agent
                .post(&url)
                .header("Content-Type", "application/json")
                .header("X-Foliodesk-Timestamp", timestamp.to_string())
                .header("X-Foliodesk-Signature", signed)
                .send(&body[..])
                .map(|r| r.status().as_u16())
        })
        .await
        .map_err(|e| SendError {
            reason: format!("the webhook call did not finish: {e}"),
            permanent: false,
        })?
        .map_err(|e| SendError {
            reason: format!("webhook: {e}"),
            permanent: false,
        })?;
        match status {
            200..=299 => Ok(()),
            408 | 429 | 500..=599 => Err(SendError {
                reason: format!("webhook answered {status}"),
                permanent: false,
            }),
            _ => Err(SendError {
                reason: format!("webhook refused the message with {status}"),
                permanent: true,
            }),
        }
    }
}
