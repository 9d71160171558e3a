//! Repeated-incident detection (seed 001: a problem is the unknown cause of repeated
//! incidents): incidents alike in their words, opened within the configured window and not
//! yet linked to a problem, grouped; a group of `repeats` or more suggests a problem.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ProblemsConfig;
use crate::knowledge::suggest::{jaccard, terms};
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
    let similar = f64::from(config.similarity_percent) / 100.0;
    let mut groups: Vec<(std::collections::BTreeSet<String>, Repeated)> = Vec::new();
    for t in incidents.iter().filter(|t| t.problem_id.is_none()) {
        let mine = terms(&format!("{}\n{}", t.title, t.description));
        if mine.is_empty() {
            continue;
        }
        let at = t.milestones.opened_at;
        match groups
            .iter_mut()
            .find(|(first, _)| jaccard(first, &mine) >= similar)
        {
            Some((_, g)) => {
                g.tickets.push(t.id.clone());
                g.folios.push(t.folio.clone());
                g.last_at = at;
            }
            None => groups.push((
                mine,
                Repeated {
                    title: t.title.clone(),
                    tickets: vec![t.id.clone()],
                    folios: vec![t.folio.clone()],
                    category: t.category.as_ref().map(ToString::to_string),
                    first_at: at,
                    last_at: at,
                },
            )),
        }
    }
    let min = config.repeats.max(2) as usize;
    let mut out: Vec<Repeated> = (groups.into_iter())
        .map(|(_, g)| g)
        .filter(|g| g.tickets.len() >= min)
        .collect();
    out.sort_by(|a, b| {
        (b.tickets.len().cmp(&a.tickets.len())).then_with(|| a.folios[0].cmp(&b.folios[0]))
    });
    out
}
