//! Helpers shared by the core's integration tests: drive `decide` + `seal` without a store.

#![allow(dead_code)]

pub mod calendar;
pub mod sla_fixture;

use chrono::{DateTime, Duration, Utc};
use foliodesk_core::store::{seal, AppendEvents, FolioKey};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

pub struct Given {
    pub kit: Kit,
    pub ticket: Ticket,
    pub events: Vec<EventEnvelope>,
}

pub fn now() -> DateTime<Utc> {
    Kit::t0() + Duration::days(10)
}

pub fn actor(kit: &Kit, id: &str) -> User {
    if id == "system" {
        return system_actor();
    }
    kit.facts
        .users
        .get(&UserId::new(id))
        .cloned()
        .expect("known actor")
}

pub fn try_decide(
    kit: &Kit,
    ticket: Option<&Ticket>,
    who: &str,
    cmd: &Command,
    at: DateTime<Utc>,
) -> Result<Vec<Event>> {
    let ctx = Context {
        now: at,
        config: &kit.config,
        facts: &kit.facts,
    };
    decide(ticket, cmd, &actor(kit, who), &ctx)
}

impl Given {
    pub fn opened(kit: Kit) -> Given {
        let new = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", "Printer jams");
        let events =
            try_decide(&kit, None, "ana", &Command::Open(Box::new(new)), Kit::t0()).unwrap();
        let req = AppendEvents {
            ticket_id: "t1".into(),
            expected_version: 0,
            base: None,
            events: PendingEvent::batch(events, Kit::t0(), &"ana".into()),
            folio: Some(FolioKey::for_ticket(TicketKind::Incident, Kit::t0())),
            due_at: None,
            sla_due: None,
            notify: Default::default(),
            index: None,
            fact: None,
        };
        let sealed = seal(&req, 0, None, Some(1)).unwrap();
        Given {
            kit,
            ticket: sealed.ticket,
            events: sealed.envelopes,
        }
    }

    /// Runs a command; on success folds and chains its events.
    pub fn run(&mut self, who: &str, cmd: Command, at: DateTime<Utc>) -> Result<()> {
        let events = try_decide(&self.kit, Some(&self.ticket), who, &cmd, at)?;
        let req = AppendEvents {
            ticket_id: self.ticket.id.clone(),
            expected_version: self.ticket.version,
            base: Some(self.ticket.clone()),
            events: PendingEvent::batch(events, at, &who.into()),
            folio: None,
            due_at: None,
            sla_due: None,
            notify: Default::default(),
            index: None,
            fact: None,
        };
        let head = self.events.last().map(|e| e.hash.clone());
        let sealed = seal(&req, self.ticket.version, head.as_deref(), None)?;
        self.ticket = sealed.ticket;
        self.events.extend(sealed.envelopes);
        Ok(())
    }

    pub fn then(mut self, who: &str, cmd: Command) -> Given {
        let at = Kit::t0() + Duration::minutes(self.ticket.version as i64);
        self.run(who, cmd, at).expect("setup step is valid");
        self
    }

    /// A ticket in `status`, reached by the ordinary process.
    pub fn in_status(status: Status) -> Given {
        let g = Given::opened(Kit::new());
        let assign = || Command::Assign {
            team: None,
            assignee: Some("bob".into()),
        };
        let solve = || Command::ProposeSolution {
            solution: "Replaced the fuser".into(),
        };
        match status {
            Status::New => g,
            Status::Open => g.then("bob", assign()),
            Status::Pending => g.then("bob", assign()).then(
                "bob",
                Command::SetPending {
                    reason: "Which floor?".into(),
                    waiting_on: WaitingOn::Requester,
                },
            ),
            Status::Resolved => g.then("bob", assign()).then("bob", solve()),
            Status::Confirmed => g
                .then("bob", assign())
                .then("bob", solve())
                .then("ana", Command::ConfirmSolution),
            Status::Closed => g
                .then("bob", assign())
                .then("bob", solve())
                .then("ana", Command::ConfirmSolution)
                .then("sue", Command::Close { note: None }),
            Status::Cancelled => g.then(
                "bob",
                Command::Cancel {
                    reason: CancelReason::Duplicate,
                    note: "see INC-1".into(),
                },
            ),
        }
    }
}

impl Given {
    /// The ticket made fit for `command`'s [`sample`]: a problem for `update_problem`, an
    /// incident linked to one for `unlink_problem`.
    pub fn fit_for(mut self, command: CommandKind) -> Given {
        match command {
            CommandKind::UpdateProblem => {
                self.ticket.kind = TicketKind::Problem;
                self.ticket.problem = Some(foliodesk_core::problem::ProblemRecord::new());
            }
            CommandKind::UnlinkProblem => self.ticket.problem_id = Some("prb-1".into()),
            _ => {}
        }
        self
    }
}

/// A valid instance of every command, with the actor the permission table allows.
pub fn sample(kind: CommandKind) -> (&'static str, Command) {
    use CommandKind as C;
    match kind {
        C::Open => (
            "ana",
            Command::Open(Box::new(NewTicket::new(
                TicketKind::Incident,
                Channel::Portal,
                "ana",
                "Another",
            ))),
        ),
        C::Comment => (
            "bob",
            Command::Comment {
                body: "On it".into(),
                visibility: Visibility::Public,
            },
        ),
        C::Assign => (
            "bob",
            Command::Assign {
                team: Some("n2".into()),
                assignee: Some("eva".into()),
            },
        ),
        C::Reclassify => (
            "bob",
            Command::Reclassify {
                kind: None,
                category: Some("Hardware/Printers".into()),
            },
        ),
        C::ChangePriority => (
            "bob",
            Command::ChangePriority(PriorityChange {
                impact: Some(5),
                ..Default::default()
            }),
        ),
        C::SetPending => (
            "bob",
            Command::SetPending {
                reason: "Which floor?".into(),
                waiting_on: WaitingOn::Requester,
            },
        ),
        C::Resume => ("bob", Command::Resume),
        C::Escalate => (
            "bob",
            Command::Escalate {
                kind: EscalationKind::Functional,
                team: None,
                reason: "Needs N2".into(),
            },
        ),
        C::ProposeSolution => (
            "bob",
            Command::ProposeSolution {
                solution: "Fixed".into(),
            },
        ),
        C::ConfirmSolution => ("ana", Command::ConfirmSolution),
        C::RejectSolution => (
            "ana",
            Command::RejectSolution {
                reason: "Still broken".into(),
            },
        ),
        C::AutoConfirm => ("system", Command::AutoConfirm),
        C::Attach => (
            "ana",
            Command::Attach {
                attachment: foliodesk_core::attachment::Attachment {
                    sha256: "ab".repeat(32),
                    name: "captura.png".into(),
                    content_type: "image/png".into(),
                    size: 2048,
                    visibility: Visibility::Public,
                },
            },
        ),
        C::UpdateProblem => (
            "bob",
            Command::UpdateProblem(foliodesk_core::problem::ProblemUpdate {
                root_cause: Some("Firmware 2.1 leaks memory".into()),
                ..Default::default()
            }),
        ),
        C::LinkProblem => (
            "bob",
            Command::LinkProblem {
                problem: "prb-1".into(),
            },
        ),
        C::UnlinkProblem => ("bob", Command::UnlinkProblem),
        C::RunRule => (
            "system",
            Command::RunRule {
                rule: "remind".into(),
                key: "event@1".into(),
            },
        ),
        C::ApplyMacro => (
            "bob",
            Command::ApplyMacro {
                macro_id: "restart".into(),
            },
        ),
        C::Recur => (
            "system",
            Command::Recur {
                summary: "CPU load 98% on web-01".into(),
                cleared: false,
            },
        ),
        C::Rate => (
            "ana",
            Command::Rate {
                score: 5,
                comment: None,
            },
        ),
        C::Close => ("sue", Command::Close { note: None }),
        C::Cancel => (
            "bob",
            Command::Cancel {
                reason: CancelReason::Withdrawn,
                note: "No longer needed".into(),
            },
        ),
        C::Reopen => (
            "ana",
            Command::Reopen {
                reason: "It came back".into(),
            },
        ),
        C::AddWatcher => ("bob", Command::AddWatcher { user: "leo".into() }),
        C::UpdateSecurity => (
            "bob",
            Command::UpdateSecurity(SecurityRecord {
                severity: Some(Severity::High),
                ..Default::default()
            }),
        ),
        C::SlaAlert => (
            "system",
            Command::SlaAlert {
                target: sla::Target::Resolution,
                percent: 100,
                repeat: 0,
                actions: vec![
                    sla::EscalationAction::NotifyAssignee,
                    sla::EscalationAction::Functional,
                ],
            },
        ),
        C::Edit => (
            "bob",
            Command::Edit(edit::TicketEdit {
                title: Some("Printer jams on the 2nd floor".into()),
                tags: Some(vec!["printers".into()]),
                ..Default::default()
            }),
        ),
    }
}
