//! A report by mail (scheduled reports): the headline figures as the text, the rows as
//! CSV and the charts as SVG attachments, sent through the SMTP transport notifications
//! use.

use foliodesk_core::export::CsvOptions;
use foliodesk_core::report::{Chart, Report};
use foliodesk_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// What [`crate::Desk::send_report`] sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentReport {
    /// The subject line.
    pub subject: String,
    /// Who it went to.
    pub to: Vec<String>,
    /// The attachments' file names.
    pub attachments: Vec<String>,
}

/// The attachments of `report`: its CSV, then one SVG per chart.
pub fn attachments(report: &Report) -> Result<Vec<(String, &'static str, Vec<u8>)>> {
    let mut out = vec![(
        "report.csv".to_owned(),
        "text/csv; charset=utf-8",
        report.csv(CsvOptions::default())?,
    )];
    for chart in Chart::ALL {
        let svg = super::chart::svg(report, *chart)?;
        out.push((format!("{chart}.svg"), "image/svg+xml", svg.into_bytes()));
    }
    Ok(out)
}

#[cfg(feature = "mail")]
pub(crate) async fn send(
    report: &Report,
    from: &str,
    to: &[String],
    smtp: &crate::smtp::SmtpSettings,
) -> Result<SentReport> {
    use lettre::message::header::ContentType;
    use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

    if to.is_empty() {
        return Err(Error::validation("to", "name at least one recipient"));
    }
    let w = &report.request.window;
    let subject = format!("Foliodesk report {} to {}", w.from, w.to);
    let from: Mailbox = from.parse().map_err(|e| {
        Error::validation(
            "notifications.delivery.from",
            format!("not a valid sender address: {e}"),
        )
    })?;
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(subject.clone());
    for (i, address) in to.iter().enumerate() {
        let mailbox: Mailbox = (address.parse()).map_err(|e| {
            Error::validation(format!("to[{i}]"), format!("not a valid address: {e}"))
        })?;
        builder = builder.to(mailbox);
    }
    let files = attachments(report)?;
    let mut body = MultiPart::mixed().singlepart(SinglePart::plain(report.summary()));
    for (name, kind, bytes) in &files {
        let kind =
            ContentType::parse(kind).map_err(|e| Error::storage_msg(format!("{kind}: {e}")))?;
        body = body.singlepart(Attachment::new(name.clone()).body(bytes.clone(), kind));
    }
    let email = (builder.multipart(body))
        .map_err(|e| Error::storage_msg(format!("cannot build the report message: {e}")))?;
    let transport = crate::smtp::Smtp::new(smtp)?;
    transport.send_email(email).await.map_err(|e| {
        Error::storage_msg(format!(
            "the SMTP server did not take the report: {}",
            e.reason
        ))
    })?;
    Ok(SentReport {
        subject,
        to: to.to_vec(),
        attachments: files.into_iter().map(|f| f.0).collect(),
    })
}
