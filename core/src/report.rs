//! Reports and KPIs, computed here from report facts so every backend gives the same
//! figures (docs/reports.md).
//!
//! A backend stores one [`Fact`] per ticket, written in the same transaction as the
//! ticket's change, and hands them back by opening instant ([`FactQuery`]). A report folds
//! the facts of its window, of the window before it, and of the tickets still live, one
//! page at a time: memory is the groups' counters plus four bytes per measured duration.
//!
//! ```
//! use chrono::NaiveDate;
//! use foliodesk_core::report::{Every, Window};
//! let w = Window {
//!     from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
//!     to: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
//!     time_zone: "Europe/Madrid".into(),
//!     every: Every::Week,
//! };
//! // Sunday 1 March, then each Monday: the first week is cut short.
//! assert_eq!(w.len().unwrap(), 6);
//! assert_eq!(w.previous().unwrap().from, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::contact::Contact;
use crate::{Result, TeamId, TicketId};

pub mod block;
pub mod dashboard;
pub mod fact;
pub mod figures;
pub mod period;
pub mod pulse;
pub mod rows;
pub mod series;
pub mod stats;
pub mod summary;

pub use block::{Block, Names, Row};
pub use dashboard::{Dashboard, DashboardFold};
pub use fact::{Fact, LevelFact, TargetFact, TargetOutcome, FACTS_VERSION};
pub use figures::{Figures, Fold};
pub use period::{Buckets, Every, Window};
pub use pulse::{Pulse, PulseFold, PulseQuery, PulseRow};
pub use series::{Backlog, Point, PointFold};
pub use stats::{Durations, Rate};

crate::vocab::string_enum!(
    /// A chart of a report (drawn as SVG by the facade).
    Chart, "chart" {
        /// Tickets opened and resolved per bucket of the window.
        Trend = "trend",
        /// SLA compliance per priority, the window beside the previous one.
        SlaByPriority = "sla_by_priority",
        /// The backlog by age.
        BacklogAge = "backlog_age",
        /// Tickets held and resolved per technician.
        Technicians = "technicians",
    }
);

/// Which facts a backend returns: opened in `[opened_from, opened_to)`, only the live ones
/// if asked, after `after`, at most `limit`, in (opened, ticket) order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactQuery {
    /// First opening instant, microseconds.
    pub opened_from: Option<i64>,
    /// First opening instant after the range.
    pub opened_to: Option<i64>,
    /// Only tickets not closed or cancelled.
    pub live_only: bool,
    /// The last fact of the previous page.
    pub after: Option<(i64, TicketId)>,
    /// Page size.
    pub limit: u32,
}

impl FactQuery {
    /// Whether `fact` belongs in the answer (ignoring `limit`).
    pub fn matches(&self, fact: &Fact) -> bool {
        self.opened_from.is_none_or(|f| fact.opened >= f)
            && self.opened_to.is_none_or(|t| fact.opened < t)
            && (!self.live_only || fact.live())
            && self
                .after
                .as_ref()
                .is_none_or(|(o, id)| (fact.opened, &fact.ticket) > (*o, id))
    }
}

/// What to report on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReportRequest {
    /// The window and how its series is cut.
    pub window: Window,
    /// Only this team's tickets (their team now).
    #[serde(default)]
    pub team: Option<TeamId>,
}

/// Calls and chats in the window (from contact records).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactFigures {
    /// Contacts started.
    pub total: u64,
    /// Answered.
    pub answered: u64,
    /// Start to answer, seconds.
    pub answer_time: Durations,
    /// Given up before an answer, out of all.
    pub abandonment: Rate,
}

/// A KPI report: the window's figures, the previous window's beside them, the series and
/// the backlog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// What was asked.
    pub request: ReportRequest,
    /// The instant the figures describe.
    pub at: DateTime<Utc>,
    /// The window's figures.
    pub current: Figures,
    /// The same number of days, weeks or months just before.
    pub previous: Figures,
    /// Per bucket of the window.
    pub series: Vec<Point>,
    /// Tickets live at `at`.
    pub backlog: Backlog,
    /// Calls and chats started in the window (all teams).
    pub contacts: ContactFigures,
}

/// Builds a [`Report`] from facts fed in any order.
pub struct ReportFold {
    request: ReportRequest,
    at: DateTime<Utc>,
    now: i64,
    current: Fold,
    previous: Fold,
    buckets: Buckets,
    before: Buckets,
    points: Vec<PointFold>,
    backlog: Backlog,
    answers: Vec<u32>,
    contacts: u64,
    abandoned: u64,
    /// The numbering of every name met, shared by the folds.
    names: Names,
    /// The number of the team asked for, if any.
    team: Option<u32>,
    /// A block's numbering mapped to `names`, reused from block to block.
    map: Vec<u32>,
}

impl ReportFold {
    /// A report on `request` as things stand at `at`.
    pub fn new(request: ReportRequest, at: DateTime<Utc>) -> Result<ReportFold> {
        request.window.validate()?;
        let buckets = request.window.buckets()?;
        let before = request.window.previous()?.buckets()?;
        let mut names = Names::default();
        let team = request.team.as_ref().map(|t| names.id(Some(t.as_str())));
        let points = buckets
            .starts
            .iter()
            .map(|_| PointFold::default())
            .collect();
        Ok(ReportFold {
            request,
            at,
            now: at.timestamp_micros(),
            current: Fold::default(),
            previous: Fold::default(),
            buckets,
            before,
            points,
            backlog: Backlog::default(),
            answers: Vec::new(),
            contacts: 0,
            abandoned: 0,
            names,
            team,
            map: Vec::new(),
        })
    }

    /// The opening instants to read facts for: `[start of previous window, end of window)`.
    pub fn span(&self) -> (i64, i64) {
        (self.before.start(), self.buckets.end())
    }

    /// The contact start instants to read: the window.
    pub fn contact_span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let t = |m| DateTime::from_timestamp_micros(m).unwrap_or_default();
        (t(self.buckets.start()), t(self.buckets.end()))
    }

    /// Adds a fact opened in [`ReportFold::span`] (others are ignored).
    pub fn add(&mut self, fact: &Fact) {
        let row = Row::of(fact, &mut self.names);
        self.add_row(&row, &fact.targets, &fact.levels);
    }

    /// Adds the facts of `block` opened in [`ReportFold::span`], but not those of the
    /// tickets `overridden` names (their rows, added with [`ReportFold::add`], win).
    pub fn add_block(&mut self, block: &Block<'_>, overridden: impl Fn(&str) -> bool) {
        let mut map = std::mem::take(&mut self.map);
        map.clear();
        map.push(0);
        map.extend(block.names().iter().map(|n| self.names.id(Some(n))));
        for e in block.entries() {
            if !overridden(e.ticket) {
                self.add_row(&e.row.renumbered(&map), e.targets, e.levels);
            }
        }
        self.map = map;
    }

    fn add_row(&mut self, row: &Row, targets: &[TargetFact], levels: &[LevelFact]) {
        if self.team.is_some_and(|t| row.team != t) {
            return;
        }
        if let Some(i) = self.buckets.index(row.opened) {
            self.current.add(row, targets, levels, self.now);
            self.points[i].add(row, targets, self.now);
        } else if self.before.index(row.opened).is_some() {
            self.previous.add(row, targets, levels, self.now);
        }
    }

    /// Adds a live fact (any opening instant) to the backlog.
    pub fn add_live(&mut self, fact: &Fact) {
        let team = self.request.team.as_ref();
        if team.is_none_or(|t| fact.team.as_ref() == Some(t)) && fact.opened <= self.now {
            self.backlog.add(fact, self.now);
        }
    }

    /// Adds a contact started in [`ReportFold::contact_span`].
    pub fn add_contact(&mut self, contact: &Contact) {
        self.contacts += 1;
        self.abandoned += u64::from(contact.abandoned);
        if let Some(s) = contact.answer_seconds() {
            self.answers
                .push(u32::try_from(s.max(0)).unwrap_or(u32::MAX));
        }
    }

    /// The report.
    pub fn finish(mut self) -> Report {
        let series = self
            .points
            .into_iter()
            .zip(&self.buckets.starts)
            .map(|(p, d)| p.finish(*d))
            .collect();
        Report {
            request: self.request,
            at: self.at,
            current: self.current.finish(&self.names),
            previous: self.previous.finish(&self.names),
            series,
            backlog: self.backlog,
            contacts: ContactFigures {
                total: self.contacts,
                answered: self.answers.len() as u64,
                answer_time: Durations::of(&mut self.answers),
                abandonment: Rate::new(self.abandoned, self.contacts),
            },
        }
    }
}
