//! ISO 27001 evidence through the facade: an information-security incident's report, and
//! the register of a period's security incidents, in Markdown and PDF (docs/reports.md).
//! Supervisors, administrators and the desk itself only: the report carries the record and
//! internal notes.

use foliodesk_core::report::Window;
use foliodesk_core::security::evidence::{
    incident_markdown, register_markdown, AnchorProof, RegisterEntry,
};
use foliodesk_core::{verify, Error, Result, TicketId, UserId};

use crate::Desk;

mod pdf;

impl Desk {
    /// The auditor's report on security incident `id` in Markdown: the record's questions
    /// and answers, the timeline, the hash chain, the desk anchor and the verdict.
    pub async fn security_evidence(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<String> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_oversee("read security evidence")?;
        let ticket =
            (self.store().ticket(id).await?).ok_or_else(|| Error::not_found("ticket", id))?;
        if ticket.security.is_none() {
            return Err(Error::validation(
                "id",
                format!("{} is not an information-security incident", ticket.folio),
            ));
        }
        let events = self.store().events(id).await?;
        let verification = verify(&events);
        let (stored, anchor, finding) = self.anchor().await?;
        let last = stored.last();
        let head = anchor.heads.get(id).cloned();
        let head_matches = head.as_ref().is_some_and(|(seq, hash)| {
            (events.iter()).any(|e| e.sequence == *seq && &e.hash == hash)
        });
        let public_key = self.rules().config.anchor.public_key.is_some();
        let proof = AnchorProof {
            checkpoint: anchor.seq,
            anchor: (anchor.seq > 0).then(|| anchor.hash.clone()),
            taken_at: last.map(|c| c.at),
            signed: public_key && finding.is_none() && last.is_some_and(|c| c.signature.is_some()),
            head,
            head_matches,
            finding: finding.map(|f| format!("{f:?}")),
        };
        Ok(incident_markdown(
            &ticket,
            &events,
            &verification,
            &proof,
            self.now(),
        ))
    }

    /// [`Desk::security_evidence`] as a PDF.
    pub async fn security_evidence_pdf(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<Vec<u8>> {
        let markdown = self.security_evidence(actor, id).await?;
        pdf::render(&markdown, &format!("Security incident {id}"))
    }

    /// The register of the information-security incidents registered in `window` (its
    /// `every` is ignored), mapped to ISO/IEC 27001:2022 Annex A 5.24–5.28, in Markdown.
    pub async fn security_register(
        &self,
        actor: impl Into<UserId>,
        window: Window,
    ) -> Result<String> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_oversee("read the security register")?;
        window.validate()?;
        let b = window.buckets()?;
        let mut security = Vec::new();
        self.each_fact(b.start(), b.end(), |f| {
            if f.security {
                security.push((f.opened, f.ticket.clone()));
            }
        })
        .await?;
        security.sort();
        let mut entries = Vec::new();
        for (_, id) in &security {
            if let Some(t) = self.store().ticket(id).await? {
                let intact = verify(&self.store().events(id).await?).is_intact();
                entries.push(RegisterEntry::of(&t, intact));
            }
        }
        let period = format!("{} to {} ({})", window.from, window.to, window.time_zone);
        Ok(register_markdown(&period, &entries, self.now()))
    }

    /// [`Desk::security_register`] as a PDF.
    pub async fn security_register_pdf(
        &self,
        actor: impl Into<UserId>,
        window: Window,
    ) -> Result<Vec<u8>> {
        let markdown = self.security_register(actor, window).await?;
        pdf::render(&markdown, "Register of information-security incidents")
    }
}
