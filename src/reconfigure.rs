//! Reconfiguration as a reviewed operation: what a new configuration changes for open
//! tickets, and the refresh of their schedules when it is applied.

use foliodesk_core::query::Cursor;
use foliodesk_core::report::Fact;
use foliodesk_core::schedule::{compare, tier, Rules, TicketChange};
use foliodesk_core::store::doc::{from_json, to_json};
use foliodesk_core::store::Reschedule;
use foliodesk_core::{Config, Facts, Result, Status, Ticket, TicketFilter, UserId};
use serde::{Deserialize, Serialize};

use crate::Desk;

/// The bookkeeping key of an unfinished schedule refresh (its cursor).
const REFRESH: &str = "reconfigure.refresh";

/// What [`Desk::reconfigure`] found, and did when not a dry run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reconfiguration {
    /// True when the configuration was stored and the schedules refreshed.
    pub applied: bool,
    /// Open tickets examined.
    pub open_tickets: u64,
    /// Every open ticket whose schedule, SLA policy or SLA states change, with the
    /// escalation rules that would fire at once.
    pub changes: Vec<TicketChange>,
    /// Tickets whose due entry and SLA due instant were rewritten.
    pub rescheduled: u64,
}

#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct Progress {
    /// Where the refresh stopped (`None`: from the start).
    after: Option<String>,
}

impl Desk {
    /// Reviews (`dry_run`) or applies a new configuration, as `actor` (an admin, or
    /// [`crate::SYSTEM`]).
    ///
    /// The review lists, for every open ticket, what changes: due instants, the SLA policy,
    /// target states, and the alerts that would fire now. Applying stores the configuration
    /// and refreshes every open ticket's due entry and SLA-state queue entry, page by page;
    /// an interrupted refresh resumes when the desk next opens. An invalid configuration is
    /// refused with the key at fault and nothing changes.
    pub async fn reconfigure(
        &self,
        actor: impl Into<UserId>,
        config: Config,
        dry_run: bool,
    ) -> Result<Reconfiguration> {
        self.actor(&actor.into())
            .await?
            .must_administer("reconfigure")?;
        let next = Rules::new(config)?;
        let current = self.rules();
        let facts = self.directory_facts().await?;
        let now = self.now();
        let open = open_tickets();
        let mut report = Reconfiguration::default();
        let mut after = None;
        loop {
            let (page, cursor) = self.scan_page(&open, after).await?;
            for t in &page {
                report.open_tickets += 1;
                report
                    .changes
                    .extend(compare(t, tier(t, &facts), now, &current, &next));
            }
            match cursor {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        if dry_run {
            return Ok(report);
        }
        // Marked first: a crash before the refresh ends resumes it on the next open.
        self.mark_refresh(None).await?;
        self.store().save_config(next.config.to_json()).await?;
        crate::desk::sync_teams(&**self.store(), &next.config).await?;
        self.set_rules(next);
        report.rescheduled = self.resume_refresh().await?;
        report.applied = true;
        Ok(report)
    }

    /// Finishes a refresh of every open ticket's schedule under the rules in force, if one
    /// is marked; returns how many tickets were rewritten.
    pub(crate) async fn resume_refresh(&self) -> Result<u64> {
        let Some(json) = self.store().meta(REFRESH).await? else {
            return Ok(0);
        };
        let progress: Progress = from_json("reconfiguration progress", &json)?;
        let mut after = progress.after.as_deref().map(Cursor::decode).transpose()?;
        let rules = self.rules();
        let facts = self.directory_facts().await?;
        let open = open_tickets();
        let mut written = 0;
        loop {
            let (page, cursor) = self.scan_page(&open, after).await?;
            for t in page {
                written += u64::from(self.refresh_one(&rules, &facts, t).await?);
            }
            match cursor {
                Some(c) => {
                    self.mark_refresh(Some(c.encode())).await?;
                    after = Some(c);
                }
                None => break,
            }
        }
        self.store().put_meta(REFRESH, None).await?;
        Ok(written)
    }

    /// Rewrites one ticket's schedule; false when an append moved it first (that append
    /// scheduled it under the same rules).
    async fn refresh_one(&self, rules: &Rules, facts: &Facts, mut t: Ticket) -> Result<bool> {
        let schedule = rules.schedule(&t, tier(&t, facts));
        t.sla_due = schedule.sla_due;
        let fact = Fact::of(&t, rules, tier(&t, facts));
        self.store()
            .reschedule(Reschedule {
                ticket: t,
                due_at: schedule.due_at,
                fact: Some(fact),
            })
            .await
    }

    async fn mark_refresh(&self, after: Option<String>) -> Result<()> {
        let json = to_json(&Progress { after })?;
        self.store().put_meta(REFRESH, Some(json)).await
    }

    /// Marks a refresh from the start on `store`, before its configuration is replaced.
    pub(crate) async fn mark_refresh_on(store: &dyn foliodesk_core::store::Store) -> Result<()> {
        let json = to_json(&Progress { after: None })?;
        store.put_meta(REFRESH, Some(json)).await
    }

    /// The whole directory, for work over many tickets (a scan, an import): one read per
    /// kind of entry.
    pub(crate) async fn directory_facts(&self) -> Result<Facts> {
        let mut facts = Facts::default();
        for u in self.store().users().await? {
            facts.users.insert(u.id.clone(), u);
        }
        for o in self.store().organisations().await? {
            facts.organisations.insert(o.id.clone(), o);
        }
        for t in self.store().teams().await? {
            facts.teams.insert(t.id.clone(), t);
        }
        Ok(facts)
    }
}

/// Every ticket not closed or cancelled, read through the status index.
fn open_tickets() -> TicketFilter {
    TicketFilter {
        status: Status::ALL
            .iter()
            .copied()
            .filter(|s| !s.is_terminal())
            .collect(),
        ..TicketFilter::default()
    }
}
