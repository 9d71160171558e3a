//! The desk-wide anchor through the facade: taking checkpoints and verifying the whole desk
//! against them (see [`foliodesk_core::anchor`]).

use foliodesk_core::anchor::{check_ticket, Anchor, Checkpoint, DeskVerification, Finding, Head};
use foliodesk_core::query::{Cursor, QueryTickets};
use foliodesk_core::store::doc::{from_json, to_json};
use foliodesk_core::{Error, Result, Ticket, TicketFilter};

use crate::Desk;

/// How many projections one read of the scan takes.
const SCAN_PAGE: u32 = 1000;

impl Desk {
    /// Takes a checkpoint: records the head of every ticket that changed since the previous
    /// one, chained to it, and returns it. Its `hash` is the desk's anchor: publish or sign
    /// it elsewhere, and [`Desk::verify_desk`] proves everything up to it.
    ///
    /// A ticket whose chain is broken, or whose projection disagrees with its events, is
    /// not anchored: the call fails with a `STORAGE` error naming it. With nothing changed
    /// the newest checkpoint is returned as it is. Reads every projection once.
    pub async fn checkpoint(&self) -> Result<Checkpoint> {
        let (stored, anchor, broken) = self.anchor().await?;
        if let Some(Finding::BrokenCheckpoint { seq, reason }) = broken {
            return Err(Error::storage_msg(format!(
                "checkpoint {seq} is broken ({reason}); verify the desk before anchoring more"
            )));
        }
        let mut changed = Vec::new();
        let mut seen = 0_u64;
        let mut after = None;
        loop {
            let (page, next) = self.scan_page(&TicketFilter::default(), after).await?;
            seen += page.len() as u64;
            changed.extend(
                page.into_iter()
                    .filter(|t| anchor.heads.get(&t.id).map(|(v, _)| *v) != Some(t.version)),
            );
            match next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        if changed.is_empty() && seen == anchor.heads.len() as u64 {
            if let Some(last) = stored.last() {
                return Ok(last.clone());
            }
        }
        let mut heads = Vec::with_capacity(changed.len());
        for t in changed {
            let events = self.store().events(&t.id).await?;
            let findings = check_ticket(&t.id, anchor.heads.get(&t.id), &events, Some(&t));
            if let Some(f) = findings.first() {
                return Err(Error::storage_msg(format!(
                    "ticket {} cannot be anchored: {f:?}",
                    t.folio
                )));
            }
            let last = events.last().expect("checked: a projection has events");
            heads.push(Head {
                ticket_id: t.id.clone(),
                version: last.sequence,
                hash: last.hash.clone(),
            });
        }
        let mut cp = anchor.next(heads, self.now());
        let signing = self.rules().config.anchor.clone();
        if let Some(path) = &signing.signing_key_file {
            let key = std::fs::read_to_string(path).map_err(|e| {
                Error::validation(
                    "anchor.signing_key_file",
                    format!("cannot read `{path}`: {e}"),
                )
            })?;
            foliodesk_core::anchor::sign(&mut cp, &key, signing.public_key.as_deref())?;
        }
        self.store()
            .append_checkpoint(cp.seq, to_json(&cp)?)
            .await?;
        Ok(cp)
    }

    /// Verifies the whole desk: the chain of checkpoints; every anchored ticket still there
    /// with its anchored head (no deleted ticket, no truncated tail, no replaced event);
    /// every ticket's own hash chain; every projection equal to what its events fold to.
    /// Each problem is named in [`DeskVerification::findings`]. Tickets that changed after
    /// the newest checkpoint are checked by their own chain only, up to their head.
    pub async fn verify_desk(&self) -> Result<DeskVerification> {
        let (stored, anchor, broken) = self.anchor().await?;
        let mut report = DeskVerification {
            anchor: (anchor.seq > 0).then(|| anchor.hash.clone()),
            checkpoints: stored.len() as u64,
            ..Default::default()
        };
        report.findings.extend(broken);
        let mut unseen = anchor.heads.clone();
        let mut after = None;
        loop {
            let (page, next) = self.scan_page(&TicketFilter::default(), after).await?;
            for t in &page {
                unseen.remove(&t.id);
                let events = self.store().events(&t.id).await?;
                let anchored = anchor.heads.get(&t.id);
                report
                    .findings
                    .extend(check_ticket(&t.id, anchored, &events, Some(t)));
            }
            report.tickets += page.len() as u64;
            match next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        // Anchored tickets with no projection left: deleted, or their events orphaned.
        for (id, head) in &unseen {
            let events = self.store().events(id).await?;
            report
                .findings
                .extend(check_ticket(id, Some(head), &events, None));
        }
        report.tickets += unseen.len() as u64;
        Ok(report)
    }

    /// The stored checkpoints, the anchor of their intact prefix, and what breaks the
    /// chain after it, if anything.
    pub(crate) async fn anchor(&self) -> Result<(Vec<Checkpoint>, Anchor, Option<Finding>)> {
        let stored = self
            .store()
            .checkpoints(0)
            .await?
            .iter()
            .map(|b| from_json("checkpoint", b))
            .collect::<Result<Vec<Checkpoint>>>()?;
        let public = self.rules().config.anchor.public_key.clone();
        let (anchor, broken) = Anchor::fold(&stored, public.as_deref());
        Ok((stored, anchor, broken))
    }

    /// One page of the projections `filter` selects in (opened, id) order, and where the
    /// next starts.
    pub(crate) async fn scan_page(
        &self,
        filter: &TicketFilter,
        after: Option<Cursor>,
    ) -> Result<(Vec<Ticket>, Option<Cursor>)> {
        let page = self
            .store()
            .query(QueryTickets {
                filter: filter.clone(),
                after,
                limit: SCAN_PAGE,
                newest_first: false,
            })
            .await?;
        let next = match (&page.next, page.items.last()) {
            (Some(_), Some(last)) => Some(Cursor::after(last)),
            _ => None,
        };
        Ok((page.items, next))
    }
}
