//! Solutions that recur across tickets, suggested for the knowledge base (seed 003,
//! phase 12): the same fix written for several tickets is an article waiting to be written.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use crate::search::{analyze, detect};
use crate::{Ticket, TicketId};

/// How alike two solutions must be (Jaccard similarity of their terms) to count as one.
pub const SIMILAR: f64 = 0.5;

/// A solution given to several tickets and not archived yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Recurring {
    /// The solution of the group's first ticket.
    pub solution: String,
    /// The tickets it solved, oldest first.
    pub tickets: Vec<TicketId>,
    /// Their folios, in the same order.
    pub folios: Vec<String>,
    /// The first ticket's category, if any.
    pub category: Option<String>,
}

/// The distinct analysed terms of `text`, in its own language.
fn terms(text: &str) -> BTreeSet<String> {
    analyze(text, detect(text))
        .iter()
        .map(crate::search::Term::key)
        .collect()
}

/// Shared terms over all terms: 1 for the same set, 0 for sets with nothing in common.
fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let all = a.len() + b.len() - shared;
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}

/// Groups the solutions of `tickets` (taken in the order given) that are alike, leaving out
/// tickets in `archived`, and returns the groups of at least `min_tickets`, largest first
/// (then by their first folio). Each ticket joins the first group whose first solution is
/// similar enough, so the result does not depend on anything but the order given.
///
/// ```
/// use foliodesk_core::knowledge::suggest::recurring;
/// assert!(recurring(&[], &Default::default(), 2).is_empty());
/// ```
pub fn recurring(
    tickets: &[Ticket],
    archived: &HashSet<TicketId>,
    min_tickets: usize,
) -> Vec<Recurring> {
    let solved = (tickets.iter())
        .filter(|t| !archived.contains(&t.id))
        .filter_map(|t| Some((t, t.solution.as_deref()?)));
    let groups = alike(solved, SIMILAR, min_tickets);
    (groups.into_iter())
        .map(|g| Recurring {
            solution: g[0].solution.clone().unwrap_or_default(),
            tickets: g.iter().map(|t| t.id.clone()).collect(),
            folios: g.iter().map(|t| t.folio.clone()).collect(),
            category: g[0].category.as_ref().map(ToString::to_string),
        })
        .collect()
}

/// Tickets grouped by how alike their texts are (Jaccard of their terms, at least
/// `similar`), taken in the order given: each joins the first group whose first ticket is
/// alike; tickets whose text has no terms are left out. The groups of at least `min`
/// (and of 1 at least), largest first, then by their first folio.
pub(crate) fn alike<'a>(
    texts: impl Iterator<Item = (&'a Ticket, &'a str)>,
    similar: f64,
    min: usize,
) -> Vec<Vec<&'a Ticket>> {
    let mut groups: Vec<(BTreeSet<String>, Vec<&Ticket>)> = Vec::new();
    for (t, text) in texts {
        let mine = terms(text);
        if mine.is_empty() {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(first, _)| jaccard(first, &mine) >= similar)
        {
            Some((_, g)) => g.push(t),
            None => groups.push((mine, vec![t])),
        }
    }
    let mut out: Vec<Vec<&Ticket>> = (groups.into_iter())
        .map(|(_, g)| g)
        .filter(|g| g.len() >= min.max(1))
        .collect();
    out.sort_by(|a, b| (b.len().cmp(&a.len())).then_with(|| a[0].folio.cmp(&b[0].folio)));
    out
}
