//! Status messages (seed 002, keeping the requester informed): when the update interval
//! passes without a public update, the requester is told where the ticket stands, again
//! every interval, in business time; a public update starts a new interval.

mod common;

use chrono::{DateTime, Utc};
use common::sla_fixture::{assign, at, kit, sla};
use common::Given;
use foliodesk_core::notify;
use foliodesk_core::sla::{Crossing, EscalationAction, Sla, Target};
use foliodesk_core::*;

/// The update-interval crossings of `g`'s ticket due by `when`.
fn update_crossings(s: &Sla, g: &Given, when: &str) -> Vec<Crossing> {
    s.crossings(&g.ticket, None, at(when))
        .into_iter()
        .filter(|c| c.target == Target::Update)
        .collect()
}

fn record(g: &mut Given, c: &Crossing, when: DateTime<Utc>) {
    let command = Command::SlaAlert {
        target: c.target,
        percent: c.percent,
        repeat: c.repeat,
        actions: c.actions.clone(),
    };
    g.run("system", command, when).unwrap();
}

fn comment(g: &mut Given, when: &str) {
    let body = "Seguimos revisando la impresora".into();
    let visibility = Visibility::Public;
    g.run("bob", Command::Comment { body, visibility }, at(when))
        .unwrap();
}

#[test]
fn a_silent_interval_tells_the_requester_and_repeats_every_interval() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T09:00:00Z");
    // P3 updates every 4 business hours: Monday 13:00.
    assert!(update_crossings(&s, &g, "2026-03-02T12:59:00Z").is_empty());
    let c = update_crossings(&s, &g, "2026-03-02T13:00:00Z");
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].percent, c[0].repeat), (100, 0));
    assert_eq!(c[0].actions, [EscalationAction::InformRequester]);
    record(&mut g, &c[0], at("2026-03-02T13:00:00Z"));

    let last: Vec<&Event> = g.events.iter().rev().take(2).map(|e| &e.event).collect();
    let Event::StatusReported { status, level } = last[0] else {
        panic!("a status report follows the alert: {last:?}")
    };
    assert_eq!((*status, *level), (Status::Open, SupportLevel::N1));
    assert!(matches!(last[1], Event::SlaAlert { notify, teams, .. }
        if notify.is_empty() && teams.is_empty()));
    // The requester hears of it; the staff-only alert beside it reaches nobody.
    let rows = notify::derive(
        &g.ticket,
        &g.events[g.events.len() - 2..],
        &Default::default(),
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].event, "status_reported");
    assert!(rows[0].public);
    assert_eq!(rows[0].users, [UserId::new("ana")]);

    // The next one a further 4 business hours on: Monday 17:00 (as the office closes),
    // not before; a desk down until Tuesday 14:00 (13 business hours) sends only the
    // latest repeat, the one of Tuesday 13:00.
    assert!(update_crossings(&s, &g, "2026-03-02T16:59:00Z").is_empty());
    let c = update_crossings(&s, &g, "2026-03-03T10:00:00Z");
    assert_eq!((c.len(), c[0].repeat), (1, 1));
    assert_eq!(c[0].at, at("2026-03-02T17:00:00Z"));
    let c = update_crossings(&s, &g, "2026-03-03T14:00:00Z");
    assert_eq!((c.len(), c[0].repeat), (1, 2));
    assert_eq!(c[0].at, at("2026-03-03T13:00:00Z"));
}

#[test]
fn a_public_update_starts_a_new_interval() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T09:00:00Z");
    let c = update_crossings(&s, &g, "2026-03-02T13:00:00Z");
    record(&mut g, &c[0], at("2026-03-02T13:00:00Z"));
    // Two public answers in a row: the interval runs from the second (15:00), so the next
    // message is due 4 business hours later, Tuesday 11:00, as a first one (repeat 0).
    comment(&mut g, "2026-03-02T14:00:00Z");
    comment(&mut g, "2026-03-02T15:00:00Z");
    assert!(g
        .ticket
        .sla_alerts
        .iter()
        .all(|a| a.target != Target::Update));
    assert!(update_crossings(&s, &g, "2026-03-03T10:59:00Z").is_empty());
    let c = update_crossings(&s, &g, "2026-03-03T11:00:00Z");
    assert_eq!((c.len(), c[0].repeat, c[0].percent), (1, 0, 100));
    record(&mut g, &c[0], at("2026-03-03T11:00:00Z"));
    assert_eq!(
        g.events.last().unwrap().event.type_name(),
        "status_reported"
    );
    // An internal note is no update: the interval keeps running.
    let body = "mirar el driver".into();
    let visibility = Visibility::Internal;
    g.run(
        "bob",
        Command::Comment { body, visibility },
        at("2026-03-03T12:00:00Z"),
    )
    .unwrap();
    assert_eq!(
        update_crossings(&s, &g, "2026-03-03T15:00:00Z")[0].repeat,
        1
    );
}

#[test]
fn waiting_on_the_requester_sends_nothing() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T09:00:00Z");
    let pending = Command::SetPending {
        reason: "¿Qué modelo de impresora es?".into(),
        waiting_on: WaitingOn::Requester,
    };
    g.run("bob", pending, at("2026-03-02T10:00:00Z")).unwrap();
    assert!(update_crossings(&s, &g, "2026-03-06T17:00:00Z").is_empty());
}

#[test]
fn an_explicit_rule_at_the_interval_gets_the_message_and_it_can_be_off() {
    let rule = r#"
        [[sla.escalation]]
        target = "update"
        at_percent = 100
        actions = ["notify_assignee"]
        repeat_every = "1h"
    "#;
    let kit = kit(rule);
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T09:00:00Z");
    let c = update_crossings(&s, &g, "2026-03-02T13:00:00Z");
    assert_eq!(c.len(), 1, "one rule at 100 %, not two: {c:?}");
    assert_eq!(
        c[0].actions,
        [
            EscalationAction::NotifyAssignee,
            EscalationAction::InformRequester
        ]
    );
    // The explicit rule's repeat wins: an hour later.
    record(&mut g, &c[0], at("2026-03-02T13:00:00Z"));
    assert_eq!(
        update_crossings(&s, &g, "2026-03-02T14:00:00Z")[0].repeat,
        1
    );

    let mut off = self::kit(rule);
    off.config.sla.status_messages = false;
    let s = sla(&off);
    let mut g = Given::opened(off);
    assign(&mut g, "2026-03-02T09:00:00Z");
    let c = update_crossings(&s, &g, "2026-03-02T13:00:00Z");
    assert_eq!(c[0].actions, [EscalationAction::NotifyAssignee]);
    // Off and no rule: nothing at all.
    let mut none = self::kit("");
    none.config.sla.status_messages = false;
    let s = sla(&none);
    let mut g = Given::opened(none);
    assign(&mut g, "2026-03-02T09:00:00Z");
    assert!(update_crossings(&s, &g, "2026-03-06T17:00:00Z").is_empty());
}
