//! Problem management through the facade (seeds 001, 002): a problem is a ticket of kind
//! `problem` (`PRB` folio) with a root cause, a workaround and a state; incidents are
//! linked to it; a known error's workaround is offered on linked and similar incidents;
//! solving the problem proposes its solution to its open incidents; repeated incidents
//! suggest a problem. Staff work throughout: requesters never see problems.

use chrono::Duration;
use foliodesk_core::problem::repeats::{repeated, Repeated};
use foliodesk_core::problem::{link_term, ProblemState, ProblemUpdate, KNOWN_ERROR_TERM};
use foliodesk_core::search::index::id_of;
use foliodesk_core::search::query::PostingsQuery;
use foliodesk_core::search::{DocKind, QueryPlan};
use foliodesk_core::{
    Command, Error, Result, Status, Ticket, TicketFilter, TicketId, TicketKind, UserId,
};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::ranking::Ranking;
use crate::Desk;

/// How many similar known errors [`Desk::known_errors`] offers besides the linked one.
pub const SIMILAR_KNOWN_ERRORS: usize = 5;

/// A known error's workaround, offered on an incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KnownError {
    /// The problem's id.
    pub problem: TicketId,
    /// Its folio (`PRB-…`).
    pub folio: String,
    /// Its title.
    pub title: String,
    /// The root cause.
    pub root_cause: String,
    /// What to do until it is solved.
    pub workaround: String,
    /// True for the problem the incident is linked to; false for a similar one.
    pub linked: bool,
    /// For a similar one, its BM25 score against the incident: higher is closer.
    pub score: Option<f64>,
}

/// A linked incident the problem's solution was not proposed to, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotProposed {
    /// The incident.
    pub id: TicketId,
    /// Its folio.
    pub folio: String,
    /// Why (the refusal's message).
    pub reason: String,
}

/// What solving a problem did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProblemResolution {
    /// The problem, resolved.
    pub problem: Ticket,
    /// The open incidents the solution was proposed to, each now waiting for its own
    /// requester's validation.
    pub proposed: Vec<Ticket>,
    /// Unfinished incidents it was not proposed to (new or pending ones, say).
    pub not_proposed: Vec<NotProposed>,
}

impl Desk {
    /// Sets a problem's root cause, workaround or state (`analysis`, `known_error`; a known
    /// error needs both). Staff only.
    pub async fn update_problem(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        update: ProblemUpdate,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::UpdateProblem(update))
            .await
    }

    /// Links incident `id` to `problem` (moving it from another problem if it had one).
    /// `problem` must be an unfinished ticket of kind `problem` the actor may see.
    pub async fn link_problem(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        problem: &TicketId,
    ) -> Result<Ticket> {
        let actor = actor.into();
        let (_, p) = self.problem_ticket(&actor, problem).await?;
        if matches!(p.status, Status::Closed | Status::Cancelled) {
            return Err(Error::validation(
                "problem",
                format!(
                    "{} is {}; link incidents to an open problem",
                    p.folio, p.status
                ),
            ));
        }
        let command = Command::LinkProblem {
            problem: problem.clone(),
        };
        self.execute(actor, id, command).await
    }

    /// Undoes incident `id`'s link to its problem.
    pub async fn unlink_problem(&self, actor: impl Into<UserId>, id: &TicketId) -> Result<Ticket> {
        self.execute(actor, id, Command::UnlinkProblem).await
    }

    /// The incidents linked to `problem` that the actor may see, oldest first.
    pub async fn problem_incidents(
        &self,
        actor: impl Into<UserId>,
        problem: &TicketId,
    ) -> Result<Vec<Ticket>> {
        let (who, _) = self.problem_ticket(&actor.into(), problem).await?;
        self.linked(&who, problem).await
    }

    /// Proposes `solution` for `problem`, then to each of its open incidents (citing the
    /// problem), where it waits for that incident's requester like any solution. Incidents
    /// that cannot take it now (new, pending) are listed with the reason. On a problem
    /// already resolved with this solution it only proposes to the incidents still open:
    /// run it again after an interruption, or once a listed incident can take it.
    pub async fn resolve_problem(
        &self,
        actor: impl Into<UserId>,
        problem: &TicketId,
        solution: impl Into<String>,
    ) -> Result<ProblemResolution> {
        let actor = actor.into();
        let solution = solution.into();
        let (who, p) = self.problem_ticket(&actor, problem).await?;
        let resolved = match p.problem.as_ref().map(|r| r.state) {
            Some(ProblemState::Resolved) => {
                if p.solution.as_deref().map(str::trim) != Some(solution.trim()) {
                    return Err(Error::validation(
                        "solution",
                        format!("{} was resolved with another solution", p.folio),
                    ));
                }
                p
            }
            _ => {
                self.propose_solution(actor.clone(), problem, solution.clone())
                    .await?
            }
        };
        let cited = format!(
            "{}\n\n({}: {})",
            solution.trim(),
            resolved.folio,
            resolved.title
        );
        let mut proposed = Vec::new();
        let mut not_proposed = Vec::new();
        for incident in self.linked(&who, problem).await? {
            if !matches!(
                incident.status,
                Status::New | Status::Open | Status::Pending
            ) {
                continue;
            }
            match self
                .propose_solution(actor.clone(), &incident.id, cited.clone())
                .await
            {
                Ok(t) => proposed.push(t),
                Err(e) => not_proposed.push(NotProposed {
                    id: incident.id,
                    folio: incident.folio,
                    reason: e.to_string(),
                }),
            }
        }
        Ok(ProblemResolution {
            problem: resolved,
            proposed,
            not_proposed,
        })
    }

    /// The known errors whose workaround applies to incident `id`: the problem it is
    /// linked to, if that is a known error, then up to [`SIMILAR_KNOWN_ERRORS`] known
    /// errors most like it (by its title and description). Staff only.
    pub async fn known_errors(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<Vec<KnownError>> {
        let actor = actor.into();
        let (who, incident, _) = self.read_ticket(&actor, id).await?;
        who.must_be_staff("see known errors", "problems are the staff's work")?;
        let config = self.rules().config.clone();
        let mut out = Vec::new();
        if let Some(pid) = &incident.problem_id {
            if let Some(p) = self.store().ticket(pid).await? {
                if who.can_view(&p, &config) {
                    out.extend(known_error(p, true, None));
                }
            }
        }
        let plan = QueryPlan::of(&format!("{} {} ", incident.title, incident.description));
        let within = Some(KNOWN_ERROR_TERM.to_owned());
        let mut ranking = Ranking::new(plan.postings_query(DocKind::Ticket), within, 6);
        let mut similar = 0;
        while similar < SIMILAR_KNOWN_ERRORS {
            let Some(hit) = ranking.next(&**self.store()).await? else {
                break;
            };
            let (pid, s) = (TicketId::new(id_of(&hit.key)), hit.score);
            if incident.problem_id.as_ref() == Some(&pid) {
                continue;
            }
            let Some(p) = self.store().ticket(&pid).await? else {
                continue;
            };
            if who.can_view(&p, &config) {
                if let Some(k) = known_error(p, false, Some(s)) {
                    out.push(k);
                    similar += 1;
                }
            }
        }
        Ok(out)
    }

    /// Groups of similar incidents opened within the configured window (`[problems]`) and
    /// not linked to a problem yet: each suggests opening one. Staff only.
    pub async fn problem_suggestions(&self, actor: impl Into<UserId>) -> Result<Vec<Repeated>> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_be_staff("see problem suggestions", "problems are the staff's work")?;
        let config = &self.rules().config.problems;
        let mut filter = TicketFilter {
            kind: vec![TicketKind::Incident],
            opened_from: Some(self.now() - Duration::days(i64::from(config.window_days))),
            ..TicketFilter::default()
        };
        actor.narrow(&mut filter, &self.rules().config);
        let incidents = self.every_ticket(filter).await?;
        let live: Vec<Ticket> = (incidents.into_iter())
            .filter(|t| t.status != Status::Cancelled)
            .collect();
        Ok(repeated(&live, config))
    }

    /// The actor, and problem `id` as they may see it; a validation error on `problem` when
    /// it is another kind of ticket.
    async fn problem_ticket(&self, actor: &UserId, id: &TicketId) -> Result<(Actor, Ticket)> {
        let (who, p, _) = self.read_ticket(actor, id).await?;
        who.must_be_staff("work on problems", "problems are the staff's work")?;
        if p.kind != TicketKind::Problem {
            return Err(Error::validation(
                "problem",
                format!("{} is a {}, not a problem", p.folio, p.kind),
            ));
        }
        Ok((who, p))
    }

    /// The incidents the index links to `problem`, as their stored state confirms, oldest
    /// first.
    async fn linked(&self, actor: &Actor, problem: &TicketId) -> Result<Vec<Ticket>> {
        let query = PostingsQuery {
            kind: DocKind::Ticket,
            terms: vec![link_term(problem)],
            prefix: None,
            prefix_limit: 0,
        };
        let postings = self.store().postings(&query).await?;
        let config = self.rules().config.clone();
        let mut out = Vec::new();
        for (doc, _) in postings.lists.values().flatten() {
            let Some(t) = self.store().ticket(&TicketId::new(id_of(doc))).await? else {
                continue;
            };
            if t.problem_id.as_ref() == Some(problem) && actor.can_view(&t, &config) {
                out.push(foliodesk_core::view::redact(&actor.user, t));
            }
        }
        out.sort_by(|a, b| (a.milestones.opened_at, &a.id).cmp(&(b.milestones.opened_at, &b.id)));
        Ok(out)
    }
}

/// Problem `p` as a known error to offer, if it is one.
fn known_error(p: Ticket, linked: bool, score: Option<f64>) -> Option<KnownError> {
    let record = p.problem.filter(|r| r.state == ProblemState::KnownError)?;
    Some(KnownError {
        problem: p.id,
        folio: p.folio,
        title: p.title,
        root_cause: record.root_cause?,
        workaround: record.workaround?,
        linked,
        score,
    })
}

/// The guide's examples compile.
#[cfg(doctest)]
#[doc = include_str!("../docs/problems.md")]
struct ProblemsGuide;
