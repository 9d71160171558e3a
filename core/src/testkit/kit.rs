//! Fixtures for the conformance checks: a small directory and appends built with the real
//! `decide`, so backends are tested on the events they will really store.

use chrono::{DateTime, Duration, Utc};

use crate::command::{Command, NewTicket};
use crate::config::Config;
use crate::decide::{decide, Context, Facts};
use crate::directory::{Organisation, Role, Team, User};
use crate::due::next_due;
use crate::event::PendingEvent;
use crate::status::SupportLevel;
use crate::store::{AppendEvents, FolioKey, Store};
use crate::ticket::Ticket;
use crate::{Channel, TicketId, TicketKind, UserId};

/// A directory (requesters `ana` and `leo` of `acme`, agent `bob` in `n1`, agent `eva` in
/// `n2`, supervisor `sue`) and a configuration with a category tree.
#[derive(Clone, Debug)]
pub struct Kit {
    /// The configuration used to decide.
    pub config: Config,
    /// The directory.
    pub facts: Facts,
}

impl Default for Kit {
    fn default() -> Self {
        Kit::new()
    }
}

impl Kit {
    /// The fixture.
    pub fn new() -> Kit {
        let config = Config::from_toml_str(
            r#"
            [[categories]]
            path = "Hardware"
            team = "n1"
            [[categories]]
            path = "Hardware/Printers"
            [[categories]]
            path = "Network/VPN"
            team = "n2"
            [[responses]]
            id = "restarted"
            title = "Reiniciado"
            visibility = "internal"
            body = "Servicio reiniciado en {{ ticket.folio }} por {{ agent }}."
            [[macros]]
            id = "restart"
            title = "Reiniciar servicio"
            response = "restarted"
            tags = ["restarted"]
            [[rules]]
            id = "remind"
            on = ["solution_rejected"]
            then = [{ action = "remind_requester" }]
            "#,
            "<kit>",
        )
        .expect("kit config is valid");
        let mut facts = Facts::default();
        let acme = Organisation::new("acme", "ACME");
        facts.organisations.insert(acme.id.clone(), acme);
        let mut n1 = Team::new("n1", "Service desk", SupportLevel::N1);
        n1.supervisor = Some(UserId::new("sue"));
        let n2 = Team::new("n2", "Network", SupportLevel::N2);
        for t in [n1, n2] {
            facts.teams.insert(t.id.clone(), t);
        }
        let mut users = vec![];
        for (id, role) in [("ana", Role::Requester), ("leo", Role::Requester)] {
            let mut u = User::new(id, id.to_uppercase(), role);
            u.organisation = Some("acme".into());
            users.push(u);
        }
        for (id, role, team, level) in [
            ("bob", Role::Agent, "n1", SupportLevel::N1),
            ("eva", Role::Agent, "n2", SupportLevel::N2),
            ("sue", Role::Supervisor, "n1", SupportLevel::N1),
        ] {
            let mut u = User::new(id, id.to_uppercase(), role);
            u.teams = vec![team.into()];
            u.level = Some(level);
            users.push(u);
        }
        for u in users {
            facts.users.insert(u.id.clone(), u);
        }
        Kit { config, facts }
    }

    /// Writes the directory and configuration into `store`.
    pub async fn seed(&self, store: &dyn Store) {
        for u in self.facts.users.values() {
            store.put_user(u.clone()).await.expect("put_user");
        }
        for o in self.facts.organisations.values() {
            store
                .put_organisation(o.clone())
                .await
                .expect("put_organisation");
        }
        for t in self.facts.teams.values() {
            store.put_team(t.clone()).await.expect("put_team");
        }
        store
            .save_config(self.config.to_json())
            .await
            .expect("save_config");
    }

    /// A fixed starting instant: Monday 2 March 2026, 09:00 UTC.
    pub fn t0() -> DateTime<Utc> {
        "2026-03-02T09:00:00Z".parse().expect("valid instant")
    }

    /// `t0` plus `minutes`.
    pub fn at(minutes: i64) -> DateTime<Utc> {
        Self::t0() + Duration::minutes(minutes)
    }

    /// The append that opens ticket `id` as `actor`.
    pub fn open(&self, id: &str, at: DateTime<Utc>, actor: &str, new: NewTicket) -> AppendEvents {
        let kind = new.kind;
        let events = self.decide(None, at, actor, Command::Open(Box::new(new)));
        let plain: Vec<_> = events.iter().map(|e| e.event.clone()).collect();
        let preview = Ticket::preview_new(&TicketId::new(id), &plain, at, &UserId::new(actor))
            .expect("kit events apply");
        AppendEvents {
            ticket_id: TicketId::new(id),
            expected_version: 0,
            base: None,
            events,
            folio: Some(FolioKey::for_ticket(kind, at)),
            due_at: None,
            sla_due: None,
            notify: std::sync::Arc::new(self.config.notifications.clone()),
            index: Some(crate::search::index::ticket_doc(&preview)),
            fact: Some(self.fact(&preview)),
        }
    }

    /// A plain incident for `ana`.
    pub fn incident(&self, id: &str, at: DateTime<Utc>) -> AppendEvents {
        let new = NewTicket::new(
            TicketKind::Incident,
            Channel::Email,
            "ana",
            format!("Case {id}"),
        );
        self.open(id, at, "ana", new)
    }

    /// The append of `command` by `actor` on `ticket`, with its due instant.
    pub fn then(
        &self,
        ticket: &Ticket,
        at: DateTime<Utc>,
        actor: &str,
        command: Command,
    ) -> AppendEvents {
        let events = self.decide(Some(ticket), at, actor, command);
        let plain: Vec<_> = events.iter().map(|e| e.event.clone()).collect();
        let after = ticket
            .preview(&plain, at, &UserId::new(actor))
            .expect("kit events apply");
        AppendEvents {
            ticket_id: ticket.id.clone(),
            expected_version: ticket.version,
            base: Some(ticket.clone()),
            events,
            folio: None,
            due_at: next_due(&after, &self.config),
            sla_due: None,
            notify: std::sync::Arc::new(self.config.notifications.clone()),
            index: crate::search::index::ticket_change(Some(ticket), &after),
            fact: Some(self.fact(&after)),
        }
    }

    /// The report fact of `ticket` under the kit's configuration.
    pub fn fact(&self, ticket: &Ticket) -> crate::report::Fact {
        let rules = crate::schedule::Rules::new(self.config.clone()).expect("kit config is valid");
        crate::report::Fact::of(ticket, &rules, None)
    }

    fn decide(
        &self,
        ticket: Option<&Ticket>,
        at: DateTime<Utc>,
        actor: &str,
        command: Command,
    ) -> Vec<PendingEvent> {
        let user = self
            .facts
            .users
            .get(&UserId::new(actor))
            .expect("kit actor exists");
        let ctx = Context {
            now: at,
            config: &self.config,
            facts: &self.facts,
        };
        let events = decide(ticket, &command, user, &ctx).expect("kit command is valid");
        PendingEvent::batch(events, at, &user.id)
    }
}
