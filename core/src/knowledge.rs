//! The knowledge base: articles that answer questions before a ticket is opened (the FAQ
//! of seed 000) and keep the solutions of closed tickets (phase 12 of seed 003).
//!
//! An article goes draft → review → published → retired. Agents write drafts and send them
//! for review; supervisors publish, send back and retire. Requesters read published public
//! articles only. Every change of text or status is kept as a version with its author and
//! time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::directory::Role;
use crate::search::index::{DocAttrs, DocKind, SearchDoc, Terms};
use crate::search::{detect, Lang};
use crate::vocab::string_enum;
use crate::vocabulary::{Category, Visibility};
use crate::{Error, Result, TicketId, UserId};

pub mod suggest;
mod transition;

pub use transition::ArticleAction;

string_enum!(
    /// Where an article is in its life.
    ArticleStatus, "article status" {
        /// Being written; staff only.
        Draft = "draft",
        /// Waiting for a supervisor.
        Review = "review",
        /// Readable: by requesters too when public.
        Published = "published",
        /// Withdrawn; kept for the record.
        Retired = "retired",
    }
);

/// The longest title, in characters.
pub const TITLE_CHARS: usize = 200;
/// The longest body, in bytes.
pub const BODY_BYTES: usize = 200_000;

/// What an author writes: the content of a new article or of a new version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleDraft {
    /// The question or problem it answers.
    pub title: String,
    /// The answer (Markdown).
    pub body: String,
    /// Its language; guessed from the text when absent.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Public (requesters may read it once published) or internal (staff only).
    #[serde(default = "internal")]
    pub visibility: Visibility,
    /// `Parent/Child` category path.
    #[serde(default)]
    pub category: Option<String>,
    /// Services it concerns.
    #[serde(default)]
    pub services: Vec<String>,
    /// The article this one translates (they are listed as each other's translations).
    #[serde(default)]
    pub translation_of: Option<String>,
}

fn internal() -> Visibility {
    Visibility::Internal
}

/// One version of an article, as it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ArticleVersion {
    /// 1, 2, 3…
    pub number: u32,
    /// Who made it.
    pub author: UserId,
    /// When.
    pub at: DateTime<Utc>,
    /// What was done (`created`, `edited`, `submitted`, `published`…).
    pub action: String,
    /// The status it left the article in.
    pub status: ArticleStatus,
    /// The title then.
    pub title: String,
    /// The body then.
    pub body: String,
    /// A reviewer's or author's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A knowledge-base article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Article {
    /// Its id, chosen by the desk.
    pub id: String,
    /// The current title.
    pub title: String,
    /// The current body.
    pub body: String,
    /// Its language.
    pub lang: Lang,
    /// Public or internal.
    pub visibility: Visibility,
    /// Its category.
    pub category: Option<Category>,
    /// Services it concerns.
    pub services: Vec<String>,
    /// Where it is in its life.
    pub status: ArticleStatus,
    /// The article it translates, if any.
    pub translation_of: Option<String>,
    /// The ticket whose solution it was archived from, if any.
    pub source_ticket: Option<TicketId>,
    /// Who created it.
    pub author: UserId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Its last change.
    pub updated_at: DateTime<Utc>,
    /// Readers who found it helpful.
    pub helpful: u32,
    /// Readers who did not.
    pub not_helpful: u32,
    /// Each reader's vote (true: helpful); one per reader, the last one counts.
    pub votes: BTreeMap<UserId, bool>,
    /// Every version, oldest first.
    pub versions: Vec<ArticleVersion>,
    /// Stored changes: the optimistic-concurrency version.
    pub revision: u64,
}

impl ArticleDraft {
    /// Checks the draft, naming the bad field; its category parsed.
    pub fn validate(&self) -> Result<Option<Category>> {
        if self.title.trim().is_empty() {
            return Err(Error::validation("article.title", "must not be empty"));
        }
        if self.title.chars().count() > TITLE_CHARS {
            return Err(Error::validation(
                "article.title",
                format!("must be at most {TITLE_CHARS} characters"),
            ));
        }
        if self.body.trim().is_empty() {
            return Err(Error::validation("article.body", "must not be empty"));
        }
        if self.body.len() > BODY_BYTES {
            return Err(Error::validation(
                "article.body",
                format!("must be at most {BODY_BYTES} bytes"),
            ));
        }
        for (i, s) in self.services.iter().enumerate() {
            crate::ids::validate_id(&format!("article.services[{i}]"), s)?;
        }
        if let Some(t) = &self.translation_of {
            crate::ids::validate_id("article.translation_of", t)?;
        }
        (self.category.as_deref())
            .map(|c| Category::parse("article.category", c))
            .transpose()
    }
}

impl Article {
    /// A new draft by `author`.
    pub fn new(
        id: String,
        draft: ArticleDraft,
        author: &UserId,
        role: Role,
        at: DateTime<Utc>,
    ) -> Result<Article> {
        if !role.is_staff() {
            return Err(forbidden(
                role,
                "write articles",
                "articles are written by the staff",
            ));
        }
        let category = draft.validate()?;
        let lang = draft
            .lang
            .unwrap_or_else(|| detect(&format!("{} {}", draft.title, draft.body)));
        let mut article = Article {
            id,
            title: draft.title.trim().to_owned(),
            body: draft.body,
            lang,
            visibility: draft.visibility,
            category,
            services: draft.services,
            status: ArticleStatus::Draft,
            translation_of: draft.translation_of,
            source_ticket: None,
            author: author.clone(),
            created_at: at,
            updated_at: at,
            helpful: 0,
            not_helpful: 0,
            votes: BTreeMap::new(),
            versions: Vec::new(),
            revision: 0,
        };
        article.record(author, at, "created", None);
        Ok(article)
    }

    /// Whether a user of `role` may read it: staff always, requesters once it is
    /// published and public.
    pub fn readable_by(&self, role: Role) -> bool {
        role.is_staff()
            || (self.status == ArticleStatus::Published && self.visibility == Visibility::Public)
    }

    /// What search stores for it.
    pub fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            key: DocKind::Article.key(&self.id),
            kind: DocKind::Article,
            attrs: DocAttrs {
                status: self.status.to_string(),
                category: self.category.as_ref().map(ToString::to_string),
                services: self.services.clone(),
                at: Some(self.updated_at),
                public: self.status == ArticleStatus::Published
                    && self.visibility == Visibility::Public,
            },
            terms: Some(Terms::of(&self.title, &[&self.body])),
        }
    }

    fn record(&mut self, author: &UserId, at: DateTime<Utc>, action: &str, note: Option<String>) {
        self.updated_at = at;
        self.versions.push(ArticleVersion {
            number: self.versions.len() as u32 + 1,
            author: author.clone(),
            at,
            action: action.to_owned(),
            status: self.status,
            title: self.title.clone(),
            body: self.body.clone(),
            note,
        });
    }
}

fn forbidden(role: Role, operation: &'static str, reason: &str) -> Error {
    Error::Forbidden {
        role,
        operation,
        reason: reason.to_owned(),
    }
}
