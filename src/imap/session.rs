//! One poll: connect (TLS with rustls, or clear text on loopback), authenticate (LOGIN or
//! XOAUTH2), select the folder, fetch what is above the remembered UID, take each message
//! in, then flag or move it and remember its UID — in that order, so a crash at any point
//! re-reads at most the message in hand, which is then a duplicate.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Client;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::{ImapPoll, ImapSecurity, ImapSettings, Position, Quarantined};
use crate::{Desk, Error, IngestOutcome, Result};

fn remote(message: impl std::fmt::Display) -> Error {
    Error::Remote {
        service: "imap".into(),
        message: message.to_string(),
    }
}

/// `fut`, bounded by the settings' timeout.
async fn bounded<T, E: std::fmt::Display>(
    imap: &ImapSettings,
    what: &str,
    fut: impl std::future::Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
    let limit = Duration::from_secs(imap.timeout_seconds.max(1));
    match tokio::time::timeout(limit, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(remote(format!("{what}: {e}"))),
        Err(_) => Err(remote(format!("{what}: no answer within {limit:?}"))),
    }
}

pub(super) async fn poll(desk: &Desk, imap: &ImapSettings) -> Result<ImapPoll> {
    let address = (imap.host.as_str(), imap.port);
    let tcp = bounded(imap, "connect", TcpStream::connect(address)).await?;
    match imap.security {
        ImapSecurity::None => run(desk, imap, tcp).await,
        ImapSecurity::Tls => {
            let connector = TlsConnector::from(Arc::new(tls_config(imap)?));
            let name = ServerName::try_from(imap.host.clone())
                .map_err(|e| Error::validation("imap.host", e.to_string()))?;
            let tls = bounded(imap, "TLS handshake", connector.connect(name, tcp)).await?;
            run(desk, imap, tls).await
        }
    }
}

fn tls_config(imap: &ImapSettings) -> Result<ClientConfig> {
    let mut roots = RootCertStore::empty();
    match &imap.ca_file {
        Some(path) => {
            let field = "imap.ca_file";
            let pem = std::fs::read(path)
                .map_err(|e| Error::validation(field, format!("cannot read `{path}`: {e}")))?;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert = cert.map_err(|e| Error::validation(field, e.to_string()))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::validation(field, e.to_string()))?;
            }
            if roots.is_empty() {
                return Err(Error::validation(field, "holds no certificate"));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::validation("imap.security", e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// XOAUTH2 (Google, Microsoft): the user and the bearer token in one SASL response.
pub(crate) struct XOAuth2<'a> {
    pub user: &'a str,
    pub token: &'a str,
}

impl async_imap::Authenticator for &XOAuth2<'_> {
    type Response = String;
    fn process(&mut self, _challenge: &[u8]) -> String {
        super::xoauth2(self.user, self.token)
    }
}

async fn run<T>(desk: &Desk, imap: &ImapSettings, stream: T) -> Result<ImapPoll>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let mut client = Client::new(stream);
    bounded(imap, "greeting", async {
        match client.read_response().await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err("the server closed the connection".to_string()),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    let login = async {
        match (&imap.oauth_token, &imap.password) {
            (Some(token), _) => {
                let auth = XOAuth2 {
                    user: &imap.username,
                    token,
                };
                client.authenticate("XOAUTH2", &auth).await
            }
            (None, password) => {
                let password = password.as_deref().unwrap_or_default();
                client.login(&imap.username, password).await
            }
        }
        .map_err(|(e, _)| e)
    };
    let mut session = bounded(imap, "authentication", login).await?;
    let result = read_folder(desk, imap, &mut session).await;
    // Leaving politely is a courtesy: the result stands either way.
    let _ = tokio::time::timeout(Duration::from_secs(2), session.logout()).await;
    result
}

async fn read_folder<T>(
    desk: &Desk,
    imap: &ImapSettings,
    session: &mut async_imap::Session<T>,
) -> Result<ImapPoll>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let mailbox = bounded(imap, "select", session.select(&imap.folder)).await?;
    let uid_validity = mailbox
        .uid_validity
        .ok_or_else(|| remote("the server gave the folder no UIDVALIDITY"))?;
    let mut at = desk.position(imap).await?;
    let validity_changed = at.uid_validity != 0 && at.uid_validity != uid_validity;
    if at.uid_validity != uid_validity {
        at = Position {
            uid_validity,
            last_uid: 0,
        };
    }
    let mut report = ImapPoll {
        folder: imap.folder.clone(),
        uid_validity,
        validity_changed,
        resumed_after: at.last_uid,
        last_uid: at.last_uid,
        ..ImapPoll::default()
    };
    // `n:*` also names the last message when every UID is below n: filter them out.
    let range = format!("{}:*", at.last_uid + 1);
    let mut uids: Vec<u32> = bounded(imap, "search", session.uid_search(format!("UID {range}")))
        .await?
        .into_iter()
        .filter(|u| *u > at.last_uid)
        .collect();
    uids.sort_unstable();
    uids.truncate(imap.batch as usize);
    let mut quarantine_ready = false;
    let mut processed_ready = false;
    for uid in uids {
        let raw = fetch(imap, session, uid).await?;
        report.fetched += 1;
        let Some(raw) = raw else {
            // Expunged between the search and the fetch: nothing to take in.
            at.last_uid = uid;
            continue;
        };
        match desk.ingest_email(&raw).await {
            Ok(got) => {
                match got.outcome {
                    IngestOutcome::Opened => report.opened += 1,
                    IngestOutcome::Added => report.added += 1,
                    IngestOutcome::Ignored => report.ignored += 1,
                    IngestOutcome::Duplicate => report.duplicates += 1,
                }
                done_with(imap, session, uid, &mut processed_ready).await?;
            }
            // The message itself is at fault: set it aside and go on.
            Err(e @ (Error::Validation { .. } | Error::PermissionDenied { .. })) => {
                if !quarantine_ready {
                    ensure_folder(imap, session, &imap.quarantine_folder).await?;
                    quarantine_ready = true;
                }
                let moved = session.uid_mv(uid.to_string(), &imap.quarantine_folder);
                bounded(imap, "move to quarantine", moved).await?;
                report.quarantined.push(Quarantined {
                    uid,
                    reason: e.to_string(),
                });
            }
            // The desk's store failed: stop here, this message is read again next time.
            Err(e) => {
                desk.remember(imap, at).await?;
                return Err(e);
            }
        }
        at.last_uid = uid;
        desk.remember(imap, at).await?;
    }
    report.last_uid = at.last_uid;
    Ok(report)
}

async fn fetch<T>(
    imap: &ImapSettings,
    session: &mut async_imap::Session<T>,
    uid: u32,
) -> Result<Option<Vec<u8>>>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    bounded(imap, "fetch", async {
        let mut fetches = session.uid_fetch(uid.to_string(), "BODY.PEEK[]").await?;
        let mut body = None;
        while let Some(f) = fetches.try_next().await? {
            if f.uid == Some(uid) {
                body = f.body().map(<[u8]>::to_vec);
            }
        }
        Ok::<_, async_imap::error::Error>(body)
    })
    .await
}

/// Marks a message handled: moved to `processed_folder` (made sure of once per poll), or
/// flagged `\Seen`.
async fn done_with<T>(
    imap: &ImapSettings,
    session: &mut async_imap::Session<T>,
    uid: u32,
    folder_ready: &mut bool,
) -> Result<()>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    match &imap.processed_folder {
        Some(folder) => {
            if !*folder_ready {
                ensure_folder(imap, session, folder).await?;
                *folder_ready = true;
            }
            bounded(imap, "move", session.uid_mv(uid.to_string(), folder)).await
        }
        None => {
            bounded(imap, "flag", async {
                let flagged = session.uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)");
                flagged.await?.try_collect::<Vec<_>>().await?;
                Ok::<_, async_imap::error::Error>(())
            })
            .await
        }
    }
}

/// Creates `folder` unless it exists.
async fn ensure_folder<T>(
    imap: &ImapSettings,
    session: &mut async_imap::Session<T>,
    folder: &str,
) -> Result<()>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let exists = bounded(imap, "status", session.status(folder, "(UIDNEXT)")).await;
    if exists.is_err() {
        bounded(imap, "create folder", session.create(folder)).await?;
    }
    Ok(())
}
