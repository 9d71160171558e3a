//! Repeated-incident detection (seed 001: a problem is the unknown cause of repeated
//! incidents): incidents alike in their words, opened within the configured window and not
//! yet linked to a problem, grouped; a group of `repeats` or more suggests a problem.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ProblemsConfig;
use crate::knowledge::suggest::alike;
use crate::{Ticket, TicketId};

/// Incidents that look like one cause happening again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Repeated {
    /// The first incident's title.
    pub title: String,
    /// The incidents, oldest first.
    pub tickets: Vec<TicketId>,
    /// Their folios, in the same order.
    pub folios: Vec<String>,
    /// The first incident's category, if any.
    pub category: Option<String>,
    /// When the first was opened.
    pub first_at: Option<DateTime<Utc>>,
    /// When the last was opened.
    pub last_at: Option<DateTime<Utc>>,
}

/// Groups `incidents` (oldest first) by the words of their title and description: each
/// joins the first group whose first incident is alike by at least
/// `config.similarity_percent`. Incidents already linked to a problem are left out. The
/// groups of at least `config.repeats`, largest first, then by first folio.
///
/// ```
/// use foliodesk_core::problem::{repeats::repeated, ProblemsConfig};
/// assert!(repeated(&[], &ProblemsConfig::default()).is_empty());
/// ```
pub fn repeated(incidents: &[Ticket], config: &ProblemsConfig) -> Vec<Repeated> {
    let texts: Vec<(&Ticket, String)> = (incidents.iter())
        .filter(|t| t.problem_id.is_none())
        .map(|t| (t, format!("{}\n{}", t.title, t.description)))
        .collect();
    let similar = f64::from(config.similarity_percent) / 100.0;
    let texts = texts.iter().map(|(t, text)| (*t, text.as_str()));
    (alike(texts, similar, config.repeats.max(2) as usize).into_iter())
        .map(|g| Repeated {
            title: g[0].title.clone(),
            tickets: g.iter().map(|t| t.id.clone()).collect(),
            folios: g.iter().map(|t| t.folio.clone()).collect(),
            category: g[0].category.as_ref().map(ToString::to_string),
            first_at: g[0].milestones.opened_at,
            last_at: g[g.len() - 1].milestones.opened_at,
        })
        .collect()
}
