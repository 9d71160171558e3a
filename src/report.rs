//! Reports through the facade: the KPI report of a window, the supervisor's live
//! dashboard, and keeping the stored report facts in step with how they are derived
//! (docs/reports.md). Staff read reports of what their role lets them see: supervisors and
//! administrators any team or the desk, agents their own teams.

use foliodesk_core::contact::ContactRange;
use foliodesk_core::export::CsvOptions;
use foliodesk_core::report::rows::ReportTable;
use foliodesk_core::schedule::tier;
use foliodesk_core::{Result, TeamId, TicketFilter, UserId};

use crate::Desk;

mod chart;
mod mail;
mod packing;

pub use mail::SentReport;

pub use foliodesk_core::report::*;

/// The bookkeeping key under which the version of the stored facts is kept.
pub const FACTS_KEY: &str = "report.facts";

impl Desk {
    /// Rewrites every ticket's report fact unless they were derived by this build
    /// ([`FACTS_VERSION`]), packing the finished ones; returns how many were written. Runs
    /// when the desk opens.
    pub async fn refresh_report_facts_if_stale(&self) -> Result<u64> {
        let current = FACTS_VERSION.to_string();
        if self.store().meta(FACTS_KEY).await?.as_deref() == Some(current.as_str()) {
            return Ok(0);
        }
        let written = self.rewrite_facts().await?;
        self.store().put_meta(FACTS_KEY, Some(current)).await?;
        Ok(written)
    }

    /// Rewrites every ticket's report fact under the rules in force, as an admin (after an
    /// SLA policy change, to judge closed tickets by the new one too), and packs the
    /// finished ones into day blocks again; returns how many were written.
    pub async fn rebuild_report_facts(&self, actor: impl Into<UserId>) -> Result<u64> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_administer("rebuild report facts")?;
        self.rewrite_facts().await
    }

    async fn rewrite_facts(&self) -> Result<u64> {
        let rules = self.rules();
        let facts = self.directory_facts().await?;
        let mut written = 0u64;
        let mut after = None;
        loop {
            let (page, next) = self.scan_page(&TicketFilter::default(), after).await?;
            let batch: Vec<Fact> = (page.iter())
                .map(|t| Fact::of(t, &rules, tier(t, &facts)))
                .collect();
            written += batch.len() as u64;
            self.store().put_facts(batch).await?;
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        // Every finished ticket's row was written again and wins over its block: pack them
        // now, or reports read a row per ticket until `tick` has repacked every day.
        self.pack_report_facts(u32::MAX).await?;
        Ok(written)
    }

    /// The KPI report of `window` for `team` (or the whole desk) as things stand now:
    /// supervisors, administrators and the desk itself may ask for any team or the desk,
    /// agents for a team of theirs. A window that ends before it starts is refused:
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use foliodesk::report::{Every, Window};
    /// let desk = foliodesk::Desk::open("memory://").await.unwrap();
    /// let window = Window {
    ///     from: "2026-04-01".parse().unwrap(),
    ///     to: "2026-03-01".parse().unwrap(),
    ///     time_zone: "Europe/Madrid".into(),
    ///     every: Every::Week,
    /// };
    /// let err = desk.report("system", window, None).await.unwrap_err();
    /// assert_eq!(err.field(), Some("window.to"), "{err}");
    /// # });
    /// ```
    pub async fn report(
        &self,
        actor: impl Into<UserId>,
        window: Window,
        team: Option<TeamId>,
    ) -> Result<Report> {
        let request = ReportRequest { window, team };
        self.may_report(&actor.into(), request.team.as_ref())
            .await?;
        let mut fold = ReportFold::new(request, self.now())?;
        let (from, to) = fold.span();
        self.fold_facts(from, to, &mut fold).await?;
        let (since, until) = fold.contact_span();
        let mut range = ContactRange {
            from: since,
            to: until,
            after: None,
            limit: 1000,
        };
        loop {
            let page = self.store().contacts(&range).await?;
            page.iter().for_each(|c| fold.add_contact(c));
            match page.last() {
                Some(c) if page.len() == range.limit as usize => {
                    range.after = Some((c.started_at, c.id.clone()));
                }
                _ => break,
            }
        }
        Ok(fold.finish())
    }

    /// [`Desk::report`] as flat rows, for spreadsheets and data frames.
    pub async fn report_table(
        &self,
        actor: impl Into<UserId>,
        window: Window,
        team: Option<TeamId>,
    ) -> Result<ReportTable> {
        let report = self.report(actor, window, team).await?;
        Ok(ReportTable {
            rows: report.rows(),
        })
    }

    /// [`Desk::report`]'s rows as CSV text (see [`CsvOptions`]).
    pub async fn report_csv(
        &self,
        actor: impl Into<UserId>,
        window: Window,
        team: Option<TeamId>,
        options: CsvOptions,
    ) -> Result<String> {
        let report = self.report(actor, window, team).await?;
        String::from_utf8(report.csv(options)?)
            .map_err(|e| foliodesk_core::Error::storage("CSV is not UTF-8", e))
    }

    /// One chart of [`Desk::report`] as an SVG document.
    pub async fn report_chart(
        &self,
        actor: impl Into<UserId>,
        window: Window,
        team: Option<TeamId>,
        chart: Chart,
    ) -> Result<String> {
        let report = self.report(actor, window, team).await?;
        chart::svg(&report, chart)
    }

    /// Mails the report of `window` to `to` through `smtp`, from the desk's sender
    /// (`notifications.delivery.from`): the headline figures beside the previous window as
    /// the text, the rows as `report.csv` and the four charts as SVG attachments. Without
    /// the `mail` feature, a validation error saying so.
    pub async fn send_report(
        &self,
        actor: impl Into<UserId>,
        window: Window,
        team: Option<TeamId>,
        to: Vec<String>,
        smtp: crate::smtp::SmtpSettings,
    ) -> Result<SentReport> {
        let report = self.report(actor, window, team).await?;
        #[cfg(feature = "mail")]
        {
            let from = self.rules().config.notifications.delivery.from.clone();
            mail::send(&report, &from, &to, &smtp).await
        }
        #[cfg(not(feature = "mail"))]
        {
            let _ = (report, to, smtp);
            Err(foliodesk_core::Error::validation(
                "smtp",
                "this build of Foliodesk has no SMTP transport (feature `mail`)",
            ))
        }
    }

    /// The supervisor's live figures for `team` (or the desk): tickets at risk are those
    /// with a running SLA target due within `risk_minutes`; "today" is the local day in
    /// `time_zone` (an IANA name).
    pub async fn dashboard(
        &self,
        actor: impl Into<UserId>,
        team: Option<TeamId>,
        risk_minutes: u32,
        time_zone: &str,
    ) -> Result<Dashboard> {
        self.may_report(&actor.into(), team.as_ref()).await?;
        let now = self.now();
        let today = period::today_start("time_zone", time_zone, now)?;
        let now_micros = now.timestamp_micros();
        let q = PulseQuery {
            team: team.clone(),
            now: now_micros,
            horizon: now_micros + i64::from(risk_minutes) * 60_000_000,
            today_from: today.timestamp_micros(),
        };
        Ok(self.store().pulse(&q).await?.dashboard(now, team))
    }

    async fn may_report(&self, actor: &UserId, team: Option<&TeamId>) -> Result<()> {
        let actor = self.actor(actor).await?;
        let member = team.is_some_and(|t| actor.teams.contains(t));
        if actor.role.is_staff() && member {
            return Ok(());
        }
        actor.must_oversee("read reports of other teams or the whole desk")
    }
}
