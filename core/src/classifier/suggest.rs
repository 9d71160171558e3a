//! The desk's classifier: three naive Bayes models — category, team, priority — taught by
//! solved tickets and kept in step as they change.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Guess, NaiveBayes};
use crate::search::{analyze, detect};
use crate::status::Status;
use crate::ticket::Ticket;
use crate::TicketId;

/// How many guesses of each kind a suggestion lists.
pub const SHOWN: usize = 3;

/// What the classifier suggests for a text: for each of category, team and priority, up to
/// three labels, most likely first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suggestion {
    /// Category paths.
    pub category: Vec<Guess>,
    /// Team ids.
    pub team: Vec<Guess>,
    /// Priorities, `"1"` to `"5"`.
    pub priority: Vec<Guess>,
    /// How many solved tickets taught the models.
    pub examples: u32,
}

/// The labels one ticket teaches.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Labels {
    category: String,
    team: Option<String>,
    priority: String,
}

/// The models, and what each taught ticket added (so a change can be taken back exactly).
#[derive(Clone, Debug, Default)]
pub struct Classifier {
    category: NaiveBayes,
    team: NaiveBayes,
    priority: NaiveBayes,
    taught: HashMap<TicketId, (Vec<String>, Labels)>,
}

/// The terms a ticket is classified by: the title twice (it says most in fewest words),
/// then the description, in the language detected from both.
pub fn terms(title: &str, description: &str) -> Vec<String> {
    let text = format!("{title}\n{title}\n{description}");
    analyze(&text, detect(&text))
        .iter()
        .map(|t| t.key())
        .collect()
}

/// Whether `ticket` teaches: solved (its labels are the ones the work ended with), not
/// cancelled, and categorised.
pub fn teaches(ticket: &Ticket) -> bool {
    matches!(
        ticket.status,
        Status::Resolved | Status::Confirmed | Status::Closed
    ) && ticket.category.is_some()
}

impl Classifier {
    /// Brings the models in step with `ticket` as it is now: its previous lesson, if any,
    /// is taken back, and it teaches again if it [`teaches`].
    pub fn learn(&mut self, ticket: &Ticket) {
        let labels = ticket.category.as_ref().map(|c| Labels {
            category: c.to_string(),
            team: ticket.team.as_ref().map(|t| t.to_string()),
            priority: ticket.priority.get().to_string(),
        });
        let fresh = labels.filter(|_| teaches(ticket));
        if let Some((_, old)) = self.taught.get(&ticket.id) {
            if Some(old) == fresh.as_ref() {
                return;
            }
        }
        self.forget(&ticket.id);
        if let Some(labels) = fresh {
            let words = terms(&ticket.title, &ticket.description);
            self.category.add(&words, &labels.category);
            if let Some(team) = &labels.team {
                self.team.add(&words, team);
            }
            self.priority.add(&words, &labels.priority);
            self.taught.insert(ticket.id.clone(), (words, labels));
        }
    }

    /// Takes back what ticket `id` taught.
    pub fn forget(&mut self, id: &TicketId) {
        if let Some((words, labels)) = self.taught.remove(id) {
            self.category.remove(&words, &labels.category);
            if let Some(team) = &labels.team {
                self.team.remove(&words, team);
            }
            self.priority.remove(&words, &labels.priority);
        }
    }

    /// How many tickets taught the models.
    pub fn examples(&self) -> u32 {
        self.category.documents()
    }

    /// The suggestion for a ticket with this title and description.
    pub fn suggest(&self, title: &str, description: &str) -> Suggestion {
        let words = terms(title, description);
        let top = |m: &NaiveBayes| {
            let mut g = m.predict(&words);
            g.truncate(SHOWN);
            g
        };
        Suggestion {
            category: top(&self.category),
            team: top(&self.team),
            priority: top(&self.priority),
            examples: self.examples(),
        }
    }
}
