//! SLA clocks from the event history: pauses, priority and policy changes, reopen, support
//! level budgets. Escalation thresholds and bad configuration are in `sla_escalation.rs`.

mod common;

use chrono::Duration;
use common::sla_fixture::{assign, at, h, kit, sla};
use common::Given;
use foliodesk_core::sla::{SlaState, Target};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

#[test]
fn clocks_run_in_business_time_and_stop_at_their_events() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assert_eq!(g.ticket.priority.get(), 3);
    let v = s.view(&g.ticket, None, at("2026-03-02T10:00:00Z")).unwrap();
    assert_eq!(
        (v.policy.as_str(), v.calendar.as_str()),
        ("standard", "office")
    );
    let fr = v.target(Target::FirstResponse).unwrap();
    assert_eq!(
        (fr.elapsed, fr.remaining, fr.state),
        (h(1), h(1), SlaState::Running)
    );
    assert_eq!(fr.due, Some(at("2026-03-02T11:00:00Z")));
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!(res.due, Some(at("2026-03-02T17:00:00Z")));
    // Overnight costs nothing: Tuesday 09:30 is 8.5 business hours after opening.
    let v = s.view(&g.ticket, None, at("2026-03-03T09:30:00Z")).unwrap();
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!(
        (res.elapsed, res.state),
        (h(8) + Duration::minutes(30), SlaState::Breached)
    );
    assert_eq!(
        v.target(Target::FirstResponse).unwrap().state,
        SlaState::Breached
    );

    // A public reply stops first response; an internal note would not.
    assign(&mut g, "2026-03-02T09:20:00Z");
    g.run(
        "bob",
        Command::Comment {
            body: "checking".into(),
            visibility: Visibility::Internal,
        },
        at("2026-03-02T09:30:00Z"),
    )
    .unwrap();
    g.run(
        "bob",
        Command::Comment {
            body: "On it".into(),
            visibility: Visibility::Public,
        },
        at("2026-03-02T09:45:00Z"),
    )
    .unwrap();
    let v = s.view(&g.ticket, None, at("2026-03-02T12:00:00Z")).unwrap();
    let fr = v.target(Target::FirstResponse).unwrap();
    assert_eq!(
        (fr.elapsed, fr.state),
        (Duration::minutes(45), SlaState::Met)
    );
    assert_eq!(fr.stopped_at, Some(at("2026-03-02T09:45:00Z")));
    // The update clock restarted at that reply.
    let up = v.target(Target::Update).unwrap();
    assert_eq!(up.elapsed, Duration::minutes(135));
    assert_eq!(up.due, Some(at("2026-03-02T13:45:00Z")));
}

#[test]
fn waiting_on_the_requester_pauses_and_the_reply_resumes() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T10:00:00Z");
    g.run(
        "bob",
        Command::SetPending {
            reason: "Which floor?".into(),
            waiting_on: WaitingOn::Requester,
        },
        at("2026-03-02T11:00:00Z"),
    )
    .unwrap();
    let v = s.view(&g.ticket, None, at("2026-03-03T15:00:00Z")).unwrap();
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!(
        (res.elapsed, res.state, res.due),
        (h(2), SlaState::Paused, None)
    );
    // The requester answers on Wednesday at 10:00: 6 h left, due Wednesday 16:00.
    g.run(
        "ana",
        Command::Comment {
            body: "Third".into(),
            visibility: Visibility::Public,
        },
        at("2026-03-04T10:00:00Z"),
    )
    .unwrap();
    assert_eq!(g.ticket.status, Status::Open);
    let v = s.view(&g.ticket, None, at("2026-03-04T12:00:00Z")).unwrap();
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!((res.elapsed, res.state), (h(4), SlaState::Running));
    assert_eq!(res.due, Some(at("2026-03-04T16:00:00Z")));
}

#[test]
fn third_party_waits_pause_only_when_the_policy_says_so() {
    let wait = |kit: Kit| {
        let s = sla(&kit);
        let mut g = Given::opened(kit);
        assign(&mut g, "2026-03-02T09:00:00Z");
        g.run(
            "bob",
            Command::SetPending {
                reason: "Vendor ticket 77".into(),
                waiting_on: WaitingOn::ThirdParty,
            },
            at("2026-03-02T10:00:00Z"),
        )
        .unwrap();
        s.view(&g.ticket, None, at("2026-03-02T13:00:00Z"))
            .unwrap()
            .target(Target::Resolution)
            .unwrap()
            .elapsed
    };
    assert_eq!(wait(kit("")), h(4));
    let mut k = kit("");
    k.config.sla.policies[0]
        .pause
        .resolution
        .push(WaitingOn::ThirdParty);
    assert_eq!(wait(k), h(1));
}

#[test]
fn priority_policy_and_calendar_changes_recompute_existing_tickets() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit.clone());
    assign(&mut g, "2026-03-02T09:00:00Z");
    g.run(
        "bob",
        Command::SetPending {
            reason: "?".into(),
            waiting_on: WaitingOn::Requester,
        },
        at("2026-03-02T09:30:00Z"),
    )
    .unwrap();
    g.run(
        "ana",
        Command::Comment {
            body: "!".into(),
            visibility: Visibility::Public,
        },
        at("2026-03-02T12:30:00Z"),
    )
    .unwrap();
    // P3 → P5 (the highest) at 13:00: the 2 h resolution target counts from opening, pause excluded:
    // 09:00–09:30 and 12:30–14:00 make 2 h at 14:00.
    g.run(
        "bob",
        Command::ChangePriority(PriorityChange {
            manual: Some(5),
            reason: Some("CEO".into()),
            ..Default::default()
        }),
        at("2026-03-02T13:00:00Z"),
    )
    .unwrap();
    assert_eq!(g.ticket.priority.get(), 5);
    let v = s.view(&g.ticket, None, at("2026-03-02T13:00:00Z")).unwrap();
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!((res.budget, res.elapsed), (h(2), Duration::minutes(60)));
    assert_eq!(res.due, Some(at("2026-03-02T14:00:00Z")));
    // A new policy for P5 (4 h) gives the existing ticket a new due instant, same pause.
    let mut k2 = kit.clone();
    k2.config.sla.policies[0]
        .targets
        .get_mut("p5")
        .unwrap()
        .resolution = Some(std::time::Duration::from_secs(4 * 3600));
    let v = sla(&k2)
        .view(&g.ticket, None, at("2026-03-02T13:00:00Z"))
        .unwrap();
    assert_eq!(
        v.target(Target::Resolution).unwrap().due,
        Some(at("2026-03-02T16:00:00Z"))
    );
    // A calendar that closes at 15:00 moves it to the next morning.
    let mut k3 = k2.clone();
    for ivs in k3
        .config
        .sla
        .calendars
        .get_mut("office")
        .unwrap()
        .hours
        .values_mut()
    {
        ivs[0].1 = "15:00".into();
    }
    let v = sla(&k3)
        .view(&g.ticket, None, at("2026-03-02T13:00:00Z"))
        .unwrap();
    assert_eq!(
        v.target(Target::Resolution).unwrap().due,
        Some(at("2026-03-03T10:00:00Z"))
    );
}

#[test]
fn solution_stops_resolution_rejection_resumes_it_and_levels_share_the_time() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T09:00:00Z");
    g.run(
        "bob",
        Command::Escalate {
            kind: EscalationKind::Functional,
            team: None,
            reason: "network".into(),
        },
        at("2026-03-02T11:00:00Z"),
    )
    .unwrap();
    assert_eq!(g.ticket.level, SupportLevel::N2);
    g.run(
        "eva",
        Command::ProposeSolution {
            solution: "New cable".into(),
        },
        at("2026-03-02T14:00:00Z"),
    )
    .unwrap();
    let v = s.view(&g.ticket, None, at("2026-03-03T12:00:00Z")).unwrap();
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!((res.elapsed, res.state), (h(5), SlaState::Met));
    let used: Vec<(SupportLevel, Duration)> =
        res.levels.iter().map(|l| (l.level, l.used)).collect();
    assert_eq!(
        used,
        vec![(SupportLevel::N1, h(2)), (SupportLevel::N2, h(3))]
    );
    assert_eq!(res.levels[0].budget, Some(h(4)));
    // Rejected on Tuesday 10:00: the clock resumes with its 5 h, due 13:00.
    g.run(
        "ana",
        Command::RejectSolution {
            reason: "Still down".into(),
        },
        at("2026-03-03T10:00:00Z"),
    )
    .unwrap();
    let v = s.view(&g.ticket, None, at("2026-03-03T11:00:00Z")).unwrap();
    let res = v.target(Target::Resolution).unwrap();
    assert_eq!((res.elapsed, res.state), (h(6), SlaState::AtRisk));
    assert_eq!(res.due, Some(at("2026-03-03T13:00:00Z")));
}
