//! SMTP delivery: the settings, and (feature `mail`) a transport through lettre over rustls.

#[cfg(feature = "mail")]
use std::time::Duration;

#[cfg(feature = "mail")]
use async_trait::async_trait;
#[cfg(feature = "mail")]
use foliodesk_core::notify::render::OutgoingMessage;
#[cfg(feature = "mail")]
use foliodesk_core::{Error, Result};
#[cfg(feature = "mail")]
use lettre::message::header::{HeaderName, HeaderValue};
#[cfg(feature = "mail")]
use lettre::message::{Mailbox, MultiPart};
#[cfg(feature = "mail")]
use lettre::transport::smtp::authentication::Credentials;
#[cfg(feature = "mail")]
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
#[cfg(feature = "mail")]
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
#[cfg(feature = "mail")]
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

#[cfg(feature = "mail")]
use crate::delivery::{SendError, Transport};

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain text (a relay on the same host or network).
    None,
    /// Upgrade with STARTTLS (port 587), refusing a server that does not offer it.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// Where and how to send mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// The server's host name.
    pub host: String,
    /// Its port (25, 465, 587…).
    pub port: u16,
    /// Connection protection; `starttls` by default.
    #[serde(default = "starttls")]
    pub security: SmtpSecurity,
    /// Login name, with `password`.
    #[serde(default)]
    pub username: Option<String>,
    /// Password for `username`.
    #[serde(default)]
    pub password: Option<String>,
    /// Seconds before a stalled conversation fails (30 by default).
    #[serde(default = "thirty")]
    pub timeout_seconds: u64,
    /// A PEM file of certificate authorities to trust besides the public ones: a relay
    /// whose certificate a company CA signed. Certificates are always verified.
    #[serde(default)]
    pub ca_file: Option<String>,
}

fn starttls() -> SmtpSecurity {
    SmtpSecurity::Starttls
}

fn thirty() -> u64 {
    30
}

#[cfg(feature = "mail")]
/// An SMTP [`Transport`] with a connection pool. It may be made anywhere: the pool starts
/// on the first send, inside the caller's Tokio runtime, and a transport dropped outside a
/// runtime lets the operating system close its connections instead of panicking.
///
/// ```
/// use foliodesk::smtp::{Smtp, SmtpSecurity, SmtpSettings};
/// let smtp = Smtp::new(&SmtpSettings {
///     host: "127.0.0.1".into(), port: 2525, security: SmtpSecurity::None,
///     username: None, password: None, timeout_seconds: 10, ca_file: None,
/// }).unwrap();
/// # let _ = smtp;
/// ```
pub struct Smtp {
    builder: AsyncSmtpTransportBuilder,
    /// The whole conversation's bound: lettre's own timeout covers only the connection.
    timeout: Duration,
    mailer: std::sync::OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
}

#[cfg(feature = "mail")]
impl Drop for Smtp {
    fn drop(&mut self) {
        // lettre's pool spawns its shutdown on the current runtime, and panics without one.
        if tokio::runtime::Handle::try_current().is_err() {
            if let Some(mailer) = self.mailer.take() {
                std::mem::forget(mailer);
            }
        }
    }
}

#[cfg(feature = "mail")]
impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp").finish_non_exhaustive()
    }
}

#[cfg(feature = "mail")]
impl Smtp {
    /// A transport for `settings`; refuses an empty host or half-given credentials.
    pub fn new(settings: &SmtpSettings) -> Result<Smtp> {
        if settings.host.trim().is_empty() {
            return Err(Error::validation("smtp.host", "must not be empty"));
        }
        let tls = |host: &str| {
            let mut params = TlsParameters::builder(host.to_owned());
            for cert in ca_certificates(settings.ca_file.as_deref())? {
                params = params.add_root_certificate(cert);
            }
            params
                .build_rustls()
                .map_err(|e| Error::validation("smtp.host", format!("cannot set up TLS: {e}")))
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
                .port(settings.port)
                .timeout(Some(Duration::from_secs(settings.timeout_seconds.max(1))));
        builder = match settings.security {
            SmtpSecurity::None => builder.tls(Tls::None),
            SmtpSecurity::Starttls => builder.tls(Tls::Required(tls(&settings.host)?)),
            SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls(&settings.host)?)),
        };
        match (&settings.username, &settings.password) {
            (Some(u), Some(p)) => {
                builder = builder.credentials(Credentials::new(u.clone(), p.clone()))
            }
            (None, None) => {}
            _ => {
                return Err(Error::validation(
                    "smtp.password",
                    "username and password come together",
                ))
            }
        }
        Ok(Smtp {
            builder,
            timeout: Duration::from_secs(settings.timeout_seconds.max(1)),
            mailer: std::sync::OnceLock::new(),
        })
    }

    fn mailer(&self) -> &AsyncSmtpTransport<Tokio1Executor> {
        self.mailer.get_or_init(|| self.builder.clone().build())
    }
}

#[cfg(feature = "mail")]
/// The certificates of the PEM file at `path`, each its own root.
fn ca_certificates(path: Option<&str>) -> Result<Vec<Certificate>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let field = "smtp.ca_file";
    let pem = std::fs::read_to_string(path)
        .map_err(|e| Error::validation(field, format!("cannot read `{path}`: {e}")))?;
    let blocks: Vec<&str> = pem
        .split_inclusive("-----END CERTIFICATE-----")
        .filter(|b| b.contains("-----BEGIN CERTIFICATE-----"))
        .collect();
    if blocks.is_empty() {
        return Err(Error::validation(
            field,
            format!("`{path}` holds no PEM certificate"),
        ));
    }
    blocks
        .into_iter()
        .map(|b| {
            Certificate::from_pem(b.trim().as_bytes())
                .map_err(|e| Error::validation(field, format!("`{path}`: {e}")))
        })
        .collect()
}

#[cfg(feature = "mail")]
/// The RFC 5322 message for `m`: text and HTML alternatives, threading and auto-reply
/// suppression headers.
pub fn to_email(m: &OutgoingMessage) -> std::result::Result<Message, SendError> {
    let permanent = |what: &str, e: &dyn std::fmt::Display| SendError {
        reason: format!("{what}: {e}"),
        permanent: true,
    };
    let from: Mailbox = m
        .from
        .parse()
        .map_err(|e| permanent("the sender address is not valid", &e))?;
    let to = Mailbox::new(
        Some(m.to_name.clone()),
        m.to.parse()
            .map_err(|e| permanent("the recipient address is not valid", &e))?,
    );
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}>", m.message_id)))
        .in_reply_to(format!("<{}>", m.in_reply_to))
        .references(format!("<{}>", m.in_reply_to));
    for (name, value) in &m.headers {
        let name = HeaderName::new_from_ascii(name.clone())
            .map_err(|e| permanent("a header name is not valid", &e))?;
        builder = builder.raw_header(HeaderValue::new(name, value.clone()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            m.text.clone(),
            m.html.clone(),
        ))
        .map_err(|e| permanent("cannot build the message", &e))
}

#[cfg(feature = "mail")]
#[async_trait]
impl Transport for Smtp {
    async fn send(&self, message: &OutgoingMessage) -> std::result::Result<(), SendError> {
        self.send_email(to_email(message)?).await
    }
}

#[cfg(feature = "mail")]
impl Smtp {
    /// Sends a built message, bounded by the settings' timeout.
    pub(crate) async fn send_email(&self, email: Message) -> std::result::Result<(), SendError> {
        // A server that accepts the connection and then says nothing must not hold the
        // worker (and the lease) for ever: the attempt fails and is retried.
        match tokio::time::timeout(self.timeout, self.mailer().send(email)).await {
            Ok(sent) => sent.map(|_| ()).map_err(|e| SendError {
                reason: e.to_string(),
                permanent: e.is_permanent(),
            }),
            Err(_) => Err(SendError {
                reason: format!(
                    "the SMTP server did not answer within {} s",
                    self.timeout.as_secs()
                ),
                permanent: false,
            }),
        }
    }
}
