//! Search through the facade: the knowledge base for everyone (requesters see published
//! public articles: the FAQ), tickets for the staff — similar incidents before diagnosing
//! (seed 001). Ranked by the core's BM25 over the store's postings, so every backend
//! answers alike.

use chrono::{DateTime, Utc};
use foliodesk_core::knowledge::ArticleStatus;
use foliodesk_core::search::index::id_of;
use foliodesk_core::search::{DocAttrs, DocKind, Lang, QueryPlan, TopHit};
use foliodesk_core::vocabulary::Category;
use foliodesk_core::{Error, Result, Status, TicketId, UserId, Visibility};
use serde::{Deserialize, Serialize};

use crate::ranking::Ranking;
use crate::Desk;

/// The most hits one search returns.
pub const MAX_HITS: u32 = 100;

/// A search and its filters; every filter narrows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SearchQuery {
    /// The words; the last one, unless followed by a space, also matches as a prefix.
    pub text: String,
    /// Within this category (or below it).
    pub category: Option<String>,
    /// Concerning this service.
    pub service: Option<String>,
    /// Tickets only: in one of these statuses (any when empty).
    pub status: Vec<Status>,
    /// Tickets opened, or articles changed, at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// … and before this one.
    pub until: Option<DateTime<Utc>>,
    /// Articles only, staff only: drafts, articles in review and retired ones too.
    pub unpublished: bool,
    /// At most this many hits (default 10, at most 100).
    pub limit: Option<u32>,
}

/// An article found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ArticleHit {
    /// The article's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The start of its body.
    pub excerpt: String,
    /// Its language.
    pub lang: Lang,
    /// Its status.
    pub status: ArticleStatus,
    /// Public or internal.
    pub visibility: Visibility,
    /// BM25 score: higher is closer.
    pub score: f64,
}

/// A ticket found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TicketHit {
    /// The ticket's id.
    pub id: TicketId,
    /// Its folio.
    pub folio: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// Its category.
    pub category: Option<String>,
    /// When it was opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// Its solution, if one was proposed.
    pub solution: Option<String>,
    /// BM25 score: higher is closer.
    pub score: f64,
}

const EXCERPT_CHARS: usize = 200;

impl SearchQuery {
    fn limit(&self) -> Result<usize> {
        match self.limit.unwrap_or(10) {
            0 => Err(Error::validation("query.limit", "must be at least 1")),
            n if n > MAX_HITS => Err(Error::validation(
                "query.limit",
                format!("must be at most {MAX_HITS}"),
            )),
            n => Ok(n as usize),
        }
    }

    /// Whether a document's attributes pass the filters (the status filter is the
    /// caller's: it differs for tickets and articles).
    fn keeps(&self, category: Option<&Category>, attrs: &DocAttrs) -> bool {
        let in_category = category.is_none_or(|c| {
            (attrs.category.as_deref())
                .and_then(|a| Category::parse("category", a).ok())
                .is_some_and(|a| a.is_within(c))
        });
        let at = attrs.at.unwrap_or(DateTime::<Utc>::MIN_UTC);
        in_category
            && self
                .service
                .as_ref()
                .is_none_or(|s| attrs.services.contains(s))
            && self.since.is_none_or(|s| at >= s)
            && self.until.is_none_or(|u| at < u)
    }

    fn category(&self) -> Result<Option<Category>> {
        (self.category.as_deref())
            .map(|c| Category::parse("query.category", c))
            .transpose()
    }
}

impl Desk {
    /// The articles `actor` may read that match `query`, best first. Requesters search
    /// published public articles (the FAQ); staff also internal ones, and with
    /// `unpublished` drafts, reviews and retired ones.
    pub async fn search_articles(
        &self,
        actor: impl Into<UserId>,
        query: SearchQuery,
    ) -> Result<Vec<ArticleHit>> {
        let actor = self.actor(&actor.into()).await?;
        let (limit, category) = (query.limit()?, query.category()?);
        let staff = actor.user.role.is_staff();
        if query.unpublished && !staff {
            return Err(Error::validation(
                "query.unpublished",
                "unpublished articles are for the staff",
            ));
        }
        let plan = QueryPlan::of(&query.text);
        let mut ranking = Ranking::new(plan.postings_query(DocKind::Article), None, limit);
        let mut hits = Vec::new();
        while hits.len() < limit {
            let Some(TopHit { key, score, attrs }) = ranking.next(&**self.store()).await? else {
                break;
            };
            let visible = if staff { true } else { attrs.public };
            let published = attrs.status == ArticleStatus::Published.as_str();
            let wanted = (published || query.unpublished) && query.keeps(category.as_ref(), &attrs);
            if !visible || !wanted {
                continue;
            }
            // The index says who may read it; the stored article has the final word.
            let Some(a) = self.store().article(id_of(&key)).await? else {
                continue;
            };
            if !a.readable_by(actor.user.role) {
                continue;
            }
            hits.push(ArticleHit {
                excerpt: a.body.chars().take(EXCERPT_CHARS).collect(),
                id: a.id,
                title: a.title,
                lang: a.lang,
                status: a.status,
                visibility: a.visibility,
                score,
            });
        }
        Ok(hits)
    }

    /// The tickets `actor` (staff) may see that match `query`, best first: by title,
    /// description, comments and solution.
    pub async fn search_tickets(
        &self,
        actor: impl Into<UserId>,
        query: SearchQuery,
    ) -> Result<Vec<TicketHit>> {
        self.find_tickets(&actor.into(), &query, &QueryPlan::of(&query.text), None)
            .await
    }

    /// The tickets most like ticket `id` (by its title and description), best first: what
    /// was done for earlier incidents like it. Staff only.
    pub async fn similar_tickets(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        query: SearchQuery,
    ) -> Result<Vec<TicketHit>> {
        let actor = actor.into();
        let (_, ticket, _) = self.read_ticket(&actor, id).await?;
        // A trailing space: nothing of a stored text is an incomplete word.
        let text = format!("{} {} ", ticket.title, ticket.description);
        self.find_tickets(&actor, &query, &QueryPlan::of(&text), Some(id))
            .await
    }

    async fn find_tickets(
        &self,
        actor: &UserId,
        query: &SearchQuery,
        plan: &QueryPlan,
        except: Option<&TicketId>,
    ) -> Result<Vec<TicketHit>> {
        let actor = self.actor(actor).await?;
        if !actor.user.role.is_staff() {
            return Err(Error::Forbidden {
                role: actor.user.role,
                operation: "search tickets",
                reason: "ticket search reads internal notes; requesters search the knowledge base"
                    .into(),
            });
        }
        let (limit, category) = (query.limit()?, query.category()?);
        let mut ranking = Ranking::new(plan.postings_query(DocKind::Ticket), None, limit);
        let config = self.rules().config.clone();
        let mut hits = Vec::new();
        while hits.len() < limit {
            let Some(TopHit { key, score, attrs }) = ranking.next(&**self.store()).await? else {
                break;
            };
            let status =
                query.status.is_empty() || query.status.iter().any(|s| s.as_str() == attrs.status);
            if !status || !query.keeps(category.as_ref(), &attrs) {
                continue;
            }
            let id = TicketId::new(id_of(&key));
            if except == Some(&id) {
                continue;
            }
            let Some(t) = self.store().ticket(&id).await? else {
                continue;
            };
            if !actor.can_view(&t, &config) {
                continue;
            }
            hits.push(TicketHit {
                id: t.id,
                folio: t.folio,
                title: t.title,
                status: t.status,
                category: t.category.map(|c| c.to_string()),
                opened_at: t.milestones.opened_at,
                solution: t.solution,
                score,
            });
        }
        Ok(hits)
    }
}
