//! What a backend stores to search a document: its terms with their counts, its length and
//! the attributes searches filter on. Core builds it, so every backend indexes alike.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{analyze, detect};

/// What a search document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocKind {
    /// A ticket: title, description, comments and solution.
    Ticket,
    /// A knowledge-base article: title and body.
    Article,
}

impl DocKind {
    /// The prefix of its documents' keys, and its name in storage.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Ticket => "t",
            DocKind::Article => "a",
        }
    }

    /// The key of document `id` of this kind: `t:<ticket id>`, `a:<article id>`.
    pub fn key(self, id: &str) -> String {
        format!("{}:{id}", self.code())
    }
}

/// The id inside a document key (`t:abc` → `abc`).
pub fn id_of(key: &str) -> &str {
    key.split_once(':').map_or(key, |(_, id)| id)
}

/// What searches filter a document on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocAttrs {
    /// Ticket status, or article status.
    pub status: String,
    /// Category path, if any.
    pub category: Option<String>,
    /// Services.
    pub services: Vec<String>,
    /// When the ticket was opened, or the article last changed.
    pub at: Option<DateTime<Utc>>,
    /// Readable by requesters (a published public article).
    pub public: bool,
}

impl DocAttrs {
    /// One line of text for storage: status, public, instant, category, services, tab
    /// separated (no field holds a tab: ids and paths refuse control characters).
    pub fn encode(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.status,
            u8::from(self.public),
            self.at
                .map_or(String::new(), |a| a.timestamp_micros().to_string()),
            self.category.as_deref().unwrap_or(""),
            self.services.join("\t"),
        )
    }

    /// Reads [`DocAttrs::encode`]'s line back; a line it cannot read gives empty attributes
    /// (which no status filter matches), not an error: they are an index, rebuilt at will.
    pub fn decode(line: &str) -> DocAttrs {
        let mut parts = line.split('\t');
        let status = parts.next().unwrap_or_default().to_owned();
        let public = parts.next() == Some("1");
        let at = parts
            .next()
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(DateTime::from_timestamp_micros);
        let category = parts.next().filter(|c| !c.is_empty()).map(str::to_owned);
        let services = parts.filter(|s| !s.is_empty()).map(str::to_owned).collect();
        DocAttrs {
            status,
            category,
            services,
            at,
            public,
        }
    }
}

/// A document's terms: how often each occurs, and how many there are in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    /// Terms in the document, repeats counted.
    pub length: u32,
    /// Each distinct term ([`super::Term::key`]) with its count, by term.
    pub counts: Vec<(String, u32)>,
}

/// How many times a title counts: a word in the title says more about the document than
/// the same word in a long description.
pub const TITLE_WEIGHT: u32 = 2;

impl Terms {
    /// The terms of a document made of `title` and `body` parts, each in its own language
    /// as [`detect`] guesses it.
    pub fn of(title: &str, body: &[&str]) -> Terms {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let mut length = 0u32;
        let mut add = |text: &str, weight: u32| {
            for term in analyze(text, detect(text)) {
                *counts.entry(term.key()).or_default() += weight;
                length += weight;
            }
        };
        add(title, TITLE_WEIGHT);
        for part in body {
            add(part, 1);
        }
        Terms {
            length,
            counts: counts.into_iter().collect(),
        }
    }

    /// With `marks` added once each: terms no text yields (see [`ticket_marks`]), found by
    /// exact lookup and left out of the length, so ranking is as without them.
    pub fn marked(mut self, marks: Vec<String>) -> Terms {
        for mark in marks {
            if let Err(at) = self.counts.binary_search_by(|(t, _)| t.as_str().cmp(&mark)) {
                self.counts.insert(at, (mark, 1));
            }
        }
        self
    }
}

/// One document as a backend stores it. `terms` is `None` when only the attributes
/// changed: the stored terms and length stay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// `t:<ticket id>` or `a:<article id>` (see [`DocKind::key`]).
    pub key: String,
    /// Its kind.
    pub kind: DocKind,
    /// What searches filter on.
    pub attrs: DocAttrs,
    /// Its terms, when they changed.
    pub terms: Option<Terms>,
}

/// The text of a ticket that search reads: title, description, every comment and note,
/// the solution.
pub fn ticket_text(ticket: &crate::Ticket) -> Vec<&str> {
    let mut parts = vec![ticket.description.as_str()];
    parts.extend(ticket.comments.iter().map(|c| c.body.as_str()));
    parts.extend(ticket.solution.as_deref());
    if let Some(p) = &ticket.problem {
        parts.extend(p.root_cause.as_deref());
        parts.extend(p.workaround.as_deref());
    }
    parts
}

/// A ticket's marks in the index: the link to its problem, and whether it is a known
/// error (see [`crate::problem`]).
pub fn ticket_marks(ticket: &crate::Ticket) -> Vec<String> {
    use crate::problem::{link_term, ProblemState, KNOWN_ERROR_TERM};
    let mut marks: Vec<String> = ticket.problem_id.iter().map(link_term).collect();
    if ticket.problem.as_ref().map(|p| p.state) == Some(ProblemState::KnownError) {
        marks.push(KNOWN_ERROR_TERM.to_owned());
    }
    marks
}

/// A ticket's filter attributes.
pub fn ticket_attrs(ticket: &crate::Ticket) -> DocAttrs {
    DocAttrs {
        status: ticket.status.to_string(),
        category: ticket.category.as_ref().map(ToString::to_string),
        services: ticket.services.clone(),
        at: ticket.milestones.opened_at,
        public: false,
    }
}

/// What to index for `after`, the ticket as an append leaves it, given `before` (`None`
/// for a new ticket): the whole document when its text changed, the attributes alone when
/// only they did, nothing when neither did.
pub fn ticket_change(before: Option<&crate::Ticket>, after: &crate::Ticket) -> Option<SearchDoc> {
    let Some(before) = before else {
        return Some(ticket_doc(after));
    };
    let attrs = ticket_attrs(after);
    if before.title != after.title
        || ticket_text(before) != ticket_text(after)
        || ticket_marks(before) != ticket_marks(after)
    {
        return Some(ticket_doc(after));
    }
    (ticket_attrs(before) != attrs).then(|| SearchDoc {
        key: DocKind::Ticket.key(after.id.as_str()),
        kind: DocKind::Ticket,
        attrs,
        terms: None,
    })
}

/// The whole document of a ticket: what a new ticket, or reindexing, writes.
pub fn ticket_doc(ticket: &crate::Ticket) -> SearchDoc {
    SearchDoc {
        key: DocKind::Ticket.key(ticket.id.as_str()),
        kind: DocKind::Ticket,
        attrs: ticket_attrs(ticket),
        terms: Some(Terms::of(&ticket.title, &ticket_text(ticket)).marked(ticket_marks(ticket))),
    }
}
