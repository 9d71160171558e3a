//! What may be done to an article, by whom and in which status.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{forbidden, Article, ArticleDraft, ArticleStatus};
use crate::directory::Role;
use crate::search::detect;
use crate::{Error, Result, UserId};

/// A change to an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ArticleAction {
    /// A new version of the content. Agents edit drafts and articles in review;
    /// supervisors and admins also published ones, which stay published.
    Edit {
        /// The new content.
        draft: ArticleDraft,
    },
    /// Draft → review (staff).
    Submit {
        /// For the reviewer.
        #[serde(default)]
        note: Option<String>,
    },
    /// Draft or review → published (supervisors and admins).
    Publish {
        /// Why, or what changed.
        #[serde(default)]
        note: Option<String>,
    },
    /// Review → draft, with the reason (supervisors and admins).
    SendBack {
        /// What to mend.
        note: String,
    },
    /// Published → retired (supervisors and admins).
    Retire {
        /// Why.
        #[serde(default)]
        note: Option<String>,
    },
    /// A reader's vote on a published article: helpful or not. One per reader.
    Vote {
        /// True when it helped.
        helpful: bool,
    },
}

impl ArticleAction {
    /// Its name, as versions record it.
    pub fn name(&self) -> &'static str {
        match self {
            ArticleAction::Edit { .. } => "edited",
            ArticleAction::Submit { .. } => "submitted",
            ArticleAction::Publish { .. } => "published",
            ArticleAction::SendBack { .. } => "sent_back",
            ArticleAction::Retire { .. } => "retired",
            ArticleAction::Vote { .. } => "voted",
        }
    }
}

fn supervises(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

impl Article {
    /// Applies `action` by `actor` of `role` at `at`, or explains why not (nothing
    /// changed then).
    pub fn act(
        &mut self,
        action: ArticleAction,
        actor: &UserId,
        role: Role,
        at: DateTime<Utc>,
    ) -> Result<()> {
        use ArticleStatus::*;
        let name = action.name();
        let wrong_status = |status: ArticleStatus| {
            Error::validation(
                "article.status",
                format!("cannot {} an article that is {status}", verb(name)),
            )
        };
        if !matches!(action, ArticleAction::Vote { .. }) && !role.is_staff() {
            return Err(forbidden(
                role,
                "change articles",
                "articles are kept by the staff",
            ));
        }
        match action {
            ArticleAction::Edit { draft } => {
                match self.status {
                    Draft | Review => {}
                    Published if supervises(role) => {}
                    Published => {
                        return Err(forbidden(
                            role,
                            "edit a published article",
                            "a supervisor edits published articles",
                        ))
                    }
                    Retired => return Err(wrong_status(Retired)),
                }
                let category = draft.validate()?;
                self.lang = draft
                    .lang
                    .unwrap_or_else(|| detect(&format!("{} {}", draft.title, draft.body)));
                self.title = draft.title.trim().to_owned();
                self.body = draft.body;
                self.visibility = draft.visibility;
                self.category = category;
                self.services = draft.services;
                self.translation_of = draft.translation_of;
                self.record(actor, at, name, None);
            }
            ArticleAction::Submit { note } => {
                if self.status != Draft {
                    return Err(wrong_status(self.status));
                }
                self.status = Review;
                self.record(actor, at, name, note);
            }
            ArticleAction::Publish { note } => {
                if !supervises(role) {
                    return Err(forbidden(role, "publish articles", "supervisors publish"));
                }
                if !matches!(self.status, Draft | Review) {
                    return Err(wrong_status(self.status));
                }
                self.status = Published;
                self.record(actor, at, name, note);
            }
            ArticleAction::SendBack { note } => {
                if !supervises(role) {
                    return Err(forbidden(role, "review articles", "supervisors review"));
                }
                if self.status != Review {
                    return Err(wrong_status(self.status));
                }
                if note.trim().is_empty() {
                    return Err(Error::validation("note", "say what to mend"));
                }
                self.status = Draft;
                self.record(actor, at, name, Some(note));
            }
            ArticleAction::Retire { note } => {
                if !supervises(role) {
                    return Err(forbidden(role, "retire articles", "supervisors retire"));
                }
                if self.status != Published {
                    return Err(wrong_status(self.status));
                }
                self.status = Retired;
                self.record(actor, at, name, note);
            }
            ArticleAction::Vote { helpful } => {
                if self.status != Published || !self.readable_by(role) {
                    return Err(wrong_status(self.status));
                }
                self.votes.insert(actor.clone(), helpful);
                self.helpful = self.votes.values().filter(|h| **h).count() as u32;
                self.not_helpful = self.votes.len() as u32 - self.helpful;
            }
        }
        Ok(())
    }
}

fn verb(name: &str) -> &str {
    match name {
        "edited" => "edit",
        "submitted" => "submit",
        "published" => "publish",
        "sent_back" => "send back",
        "retired" => "retire",
        _ => "vote on",
    }
}
