//! The knowledge base through the facade: writing, reviewing and reading articles, and
//! archiving a ticket's solution as a draft (phase 12 of seed 003).

use std::collections::HashSet;

use foliodesk_core::knowledge::suggest::{recurring, Recurring};
use foliodesk_core::knowledge::{Article, ArticleAction, ArticleDraft, ArticleStatus};
use foliodesk_core::query::{Cursor, QueryTickets, MAX_PAGE};
use foliodesk_core::store::ArticleWrite;
use foliodesk_core::{Error, Result, Status, Ticket, TicketFilter, TicketId, UserId, Visibility};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::Desk;

/// How often a change is re-read and re-applied when another writer got there first.
const RETRIES: usize = 8;

/// Which articles to list; every field narrows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ArticleFilter {
    /// In this status.
    pub status: Option<ArticleStatus>,
    /// Translations of this article (and the article itself).
    pub translations_of: Option<String>,
    /// Archived from this ticket.
    pub source_ticket: Option<TicketId>,
}

impl Desk {
    /// Writes a new draft article as `actor` (staff). A `translation_of` must name an
    /// article; the new one joins that article's translations.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use foliodesk::core::knowledge::ArticleDraft;
    /// let desk = foliodesk::Desk::open("memory://").await?;
    /// # desk.put_user("system", foliodesk::User::new("bob", "Bob", foliodesk::Role::Agent)).await?;
    /// let draft = ArticleDraft {
    ///     title: "La impresora no imprime".into(),
    ///     body: "Apague y encienda la impresora; si sigue, abra un ticket.".into(),
    ///     lang: None,
    ///     visibility: foliodesk::Visibility::Public,
    ///     category: None,
    ///     services: vec![],
    ///     translation_of: None,
    /// };
    /// let article = desk.write_article("bob", draft).await?;
    /// assert_eq!(article.status.as_str(), "draft");
    /// # Ok::<(), foliodesk::Error>(()) }).unwrap();
    /// ```
    pub async fn write_article(
        &self,
        actor: impl Into<UserId>,
        draft: ArticleDraft,
    ) -> Result<Article> {
        let actor = self.actor(&actor.into()).await?;
        self.new_article(&actor, draft, None).await
    }

    async fn new_article(
        &self,
        actor: &Actor,
        mut draft: ArticleDraft,
        source: Option<TicketId>,
    ) -> Result<Article> {
        draft.translation_of = self.original(draft.translation_of.take()).await?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut article = Article::new(id, draft, &actor.user.id, actor.user.role, self.now())?;
        article.source_ticket = source;
        article.revision = 1;
        let index = article.search_doc();
        let write = ArticleWrite {
            article,
            expected: 0,
            index,
        };
        self.store().put_article(write.clone()).await?;
        Ok(write.article)
    }

    /// The article a translation joins: the original of `of`'s group.
    async fn original(&self, of: Option<String>) -> Result<Option<String>> {
        let Some(id) = of else { return Ok(None) };
        let article =
            (self.store().article(&id).await?).ok_or_else(|| Error::not_found("article", &id))?;
        Ok(Some(article.translation_of.unwrap_or(article.id)))
    }

    /// One article, if `actor` may read it (requesters: published public ones); else
    /// `NotFound`.
    pub async fn article(&self, actor: impl Into<UserId>, id: &str) -> Result<Article> {
        let actor = self.actor(&actor.into()).await?;
        self.readable(&actor, id).await
    }

    async fn readable(&self, actor: &Actor, id: &str) -> Result<Article> {
        match self.store().article(id).await? {
            Some(a) if a.readable_by(actor.user.role) => Ok(shown(actor, a)),
            _ => Err(Error::not_found("article", id)),
        }
    }

    /// The articles `actor` may read that match `filter`, most recently changed first.
    pub async fn articles(
        &self,
        actor: impl Into<UserId>,
        filter: ArticleFilter,
    ) -> Result<Vec<Article>> {
        let actor = self.actor(&actor.into()).await?;
        let mut found: Vec<Article> = (self.store().articles().await?.into_iter())
            .filter(|a| a.readable_by(actor.user.role))
            .filter(|a| filter.status.is_none_or(|s| a.status == s))
            .filter(|a| {
                filter
                    .source_ticket
                    .as_ref()
                    .is_none_or(|t| a.source_ticket.as_ref() == Some(t))
            })
            .filter(|a| {
                filter
                    .translations_of
                    .as_deref()
                    .is_none_or(|t| a.id == t || a.translation_of.as_deref() == Some(t))
            })
            .map(|a| shown(&actor, a))
            .collect();
        found.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(found)
    }

    /// Changes an article (edit, submit, publish, send back, retire, vote) as `actor`,
    /// re-reading it if someone else changed it meanwhile.
    pub async fn change_article(
        &self,
        actor: impl Into<UserId>,
        id: &str,
        action: ArticleAction,
    ) -> Result<Article> {
        let actor = self.actor(&actor.into()).await?;
        let mut action = action;
        if let ArticleAction::Edit { draft } = &mut action {
            draft.translation_of = self.original(draft.translation_of.take()).await?;
            if draft.translation_of.as_deref() == Some(id) {
                draft.translation_of = None;
            }
        }
        for _ in 0..RETRIES {
            let stored = (self.store().article(id).await?)
                .filter(|a| a.readable_by(actor.user.role))
                .ok_or_else(|| Error::not_found("article", id))?;
            let mut article = stored.clone();
            article.act(action.clone(), &actor.user.id, actor.user.role, self.now())?;
            article.revision = stored.revision + 1;
            let index = article.search_doc();
            let write = ArticleWrite {
                article,
                expected: stored.revision,
                index,
            };
            match self.store().put_article(write.clone()).await {
                Err(Error::Conflict { .. }) => continue,
                Err(e) => return Err(e),
                Ok(()) => return Ok(shown(&actor, write.article)),
            }
        }
        Err(Error::storage_msg(format!(
            "article {id} kept changing under {RETRIES} attempts; try again"
        )))
    }

    /// Turns ticket `id`'s solution into a draft article linked to it (staff): its title,
    /// the description as the question and the solution as the answer, its category and
    /// services. Internal until someone makes it public.
    pub async fn archive_to_knowledge(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<Article> {
        let (actor, ticket, _) = self.read_ticket(&actor.into(), id).await?;
        let Some(solution) = ticket.solution.clone().filter(|_| {
            matches!(
                ticket.status,
                Status::Resolved | Status::Confirmed | Status::Closed
            )
        }) else {
            return Err(Error::validation(
                "ticket.solution",
                format!(
                    "ticket {} has no solution yet: archive it once resolved",
                    ticket.folio
                ),
            ));
        };
        let draft = ArticleDraft {
            title: ticket.title.clone(),
            body: format!("{}\n\n---\n\n{solution}", ticket.description.trim()),
            lang: None,
            visibility: Visibility::Internal,
            category: ticket.category.as_ref().map(ToString::to_string),
            services: ticket.services.clone(),
            translation_of: None,
        };
        self.new_article(&actor, draft, Some(ticket.id.clone()))
            .await
    }
}

impl Desk {
    /// Solutions given to at least `min_tickets` (default 3) of the tickets `actor` (staff)
    /// may see, alike in their words and not archived yet: candidates for the knowledge
    /// base, largest group first.
    pub async fn knowledge_suggestions(
        &self,
        actor: impl Into<UserId>,
        min_tickets: Option<u32>,
    ) -> Result<Vec<Recurring>> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_be_staff("see knowledge suggestions", "they are for the staff")?;
        let min = min_tickets.unwrap_or(3);
        if min < 2 {
            return Err(Error::validation(
                "min_tickets",
                "a solution recurs in 2 tickets or more",
            ));
        }
        let mut filter = TicketFilter {
            status: vec![Status::Resolved, Status::Confirmed, Status::Closed],
            ..TicketFilter::default()
        };
        actor.narrow(&mut filter, &self.rules().config);
        let solved = self.every_ticket(filter).await?;
        let archived: HashSet<TicketId> = (self.store().articles().await?.into_iter())
            .filter_map(|a| a.source_ticket)
            .collect();
        Ok(recurring(&solved, &archived, min as usize))
    }
}

impl Desk {
    /// Every ticket `filter` matches, oldest first, read page by page.
    pub(crate) async fn every_ticket(&self, filter: TicketFilter) -> Result<Vec<Ticket>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let q = QueryTickets {
                filter: filter.clone(),
                after,
                limit: MAX_PAGE,
                newest_first: false,
            };
            let page = self.store().query(q).await?;
            after = page.items.last().map(Cursor::after);
            all.extend(page.items);
            if page.next.is_none() {
                return Ok(all);
            }
        }
    }
}

/// What `actor` sees of an article: requesters do not see who voted.
fn shown(actor: &Actor, mut article: Article) -> Article {
    if !actor.user.role.is_staff() {
        let mine = article.votes.get(&actor.user.id).copied();
        article.votes.clear();
        if let Some(vote) = mine {
            article.votes.insert(actor.user.id.clone(), vote);
        }
    }
    article
}
