//! SLA clocks from the event history: pauses, priority and policy changes, reopen, support
//! level budgets, escalation thresholds (idempotent, repeating), simulation, bad config.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::Given;
use foliodesk_core::sla::{EscalationAction, Sla, SlaState, Target};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

/// UTC office hours 09:00–17:00 Monday to Friday; P3: first response 2 h, resolution 8 h
/// (one business day), update every 4 h; P5 (the highest): 30 min and 2 h. Kit::t0() is Monday
/// 2 March 2026, 09:00 UTC.
const CONFIG: &str = r#"
    [sla.calendars.office]
    timezone = "UTC"
    hours = { mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]] }

    [[sla.policies]]
    id = "standard"
    calendar = "office"
    default = true
    targets.p3 = { first_response = "2h", resolution = "8h", update_every = "4h" }
    targets.p5 = { first_response = "30m", resolution = "2h" }
    levels = { n1 = "4h", n2 = "4h" }

    [[sla.escalation]]
    target = "resolution"
    at_percent = 75
    actions = ["notify_assignee"]
    [[sla.escalation]]
    target = "resolution"
    at_percent = 100
    actions = ["functional", "notify_supervisor"]
    repeat_every = "2h"
"#;

fn kit(extra: &str) -> Kit {
    let mut kit = Kit::new();
    let text = format!("{CONFIG}\n{extra}");
    let cfg: Config = Config::from_toml_str(&text, "<sla test>").unwrap();
    kit.config.sla = cfg.sla;
    kit
}

fn h(n: i64) -> Duration {
    Duration::hours(n)
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn sla(kit: &Kit) -> Sla {
    Sla::new(&kit.config.sla).unwrap()
}

fn assign(g: &mut Given, when: &str) {
    g.run(
        "bob",
        Command::Assign {
            team: Some("n1".into()),
            assignee: Some("bob".into()),
        },
        at(when),
    )
    .unwrap();
}

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

#[test]
fn thresholds_cross_once_repeat_and_simulate() {
    let kit = kit("");
    let s = sla(&kit);
    let mut g = Given::opened(kit);
    assign(&mut g, "2026-03-02T09:00:00Z");
    // 75 % of 8 h = 6 h → Monday 15:00; 100 % → Monday 17:00; repeats every 2 business
    // hours → Tuesday 11:00, 13:00…
    assert_eq!(
        s.next_crossing(&g.ticket, None),
        Some(at("2026-03-02T15:00:00Z"))
    );
    assert!(s
        .crossings(&g.ticket, None, at("2026-03-02T14:59:00Z"))
        .is_empty());
    let c = s.crossings(&g.ticket, None, at("2026-03-02T15:00:00Z"));
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].percent, c[0].repeat, c[0].at),
        (75, 0, at("2026-03-02T15:00:00Z"))
    );
    let record = |g: &mut Given, c: &sla::Crossing, when: DateTime<Utc>| {
        g.run(
            "system",
            Command::SlaAlert {
                target: c.target,
                percent: c.percent,
                repeat: c.repeat,
                actions: c.actions.clone(),
            },
            when,
        )
        .unwrap();
    };
    record(&mut g, &c[0], at("2026-03-02T15:00:00Z"));
    let Some(Event::SlaAlert { notify, .. }) = g.events.last().map(|e| &e.event) else {
        panic!("alert recorded")
    };
    assert_eq!(notify, &vec![UserId::new("bob")]);
    // Recorded: the same instant finds nothing; the next milestone is 100 %.
    assert!(s
        .crossings(&g.ticket, None, at("2026-03-02T15:00:00Z"))
        .is_empty());
    assert_eq!(
        s.next_crossing(&g.ticket, None),
        Some(at("2026-03-02T17:00:00Z"))
    );
    // The desk was down until Tuesday 14:00: one 100 % crossing, its latest repeat (2).
    let c = s.crossings(&g.ticket, None, at("2026-03-03T14:00:00Z"));
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].percent, c[0].repeat, c[0].at),
        (100, 2, at("2026-03-03T13:00:00Z"))
    );
    record(&mut g, &c[0], at("2026-03-03T14:00:00Z"));
    // Functional escalation to n2 and the supervisor alerted.
    assert_eq!(g.ticket.level, SupportLevel::N2);
    let kinds: Vec<&str> = g
        .events
        .iter()
        .rev()
        .take(2)
        .map(|e| e.event.type_name())
        .collect();
    assert_eq!(kinds, ["escalated", "sla_alert"]);
    assert_eq!(
        s.next_crossing(&g.ticket, None),
        Some(at("2026-03-03T15:00:00Z"))
    );
    // Simulation from the fresh ticket lists every crossing up to Tuesday 17:00, in order,
    // and changes nothing.
    let fresh = Given::opened(self::kit(""));
    let mut f = fresh;
    assign(&mut f, "2026-03-02T09:00:00Z");
    let before = f.ticket.clone();
    let plan = s.simulate(&f.ticket, None, at("2026-03-03T17:00:00Z"));
    let got: Vec<(u16, u32, DateTime<Utc>)> =
        plan.iter().map(|c| (c.percent, c.repeat, c.at)).collect();
    assert_eq!(
        got,
        vec![
            (75, 0, at("2026-03-02T15:00:00Z")),
            (100, 0, at("2026-03-02T17:00:00Z")),
            (100, 1, at("2026-03-03T11:00:00Z")),
            (100, 2, at("2026-03-03T13:00:00Z")),
            (100, 3, at("2026-03-03T15:00:00Z")),
            (100, 4, at("2026-03-03T17:00:00Z")),
        ]
    );
    assert!(plan
        .iter()
        .all(|c| c.actions.contains(&EscalationAction::Functional) == (c.percent == 100)));
    assert_eq!(f.ticket, before);
}

#[test]
fn alerts_fall_in_business_hours() {
    // 7 h resolution from Monday 16:00 Madrid with 10 % steps: every crossing is open time
    // or a closing instant, never the night.
    let kit = kit(r#"
        [sla.calendars.madrid]
        timezone = "Europe/Madrid"
        hours = { mon = [["09:00", "14:00"], ["15:00", "18:00"]], tue = [["09:00", "14:00"], ["15:00", "18:00"]] }
    "#);
    let mut cfg = kit.config.sla.clone();
    cfg.policies[0].calendar = Some("madrid".into());
    cfg.escalation[0].repeat_every = Some(std::time::Duration::from_secs(1800));
    let s = Sla::new(&cfg).unwrap();
    let cal = cfg.calendar("madrid").unwrap();
    let g = Given::opened(kit);
    for c in s.simulate(&g.ticket, None, at("2026-03-20T00:00:00Z")) {
        let open = cal.is_open(c.at) || cal.is_open(c.at - Duration::seconds(1));
        assert!(open, "crossing at {} falls outside business hours", c.at);
    }
}

#[test]
fn bad_sla_config_names_the_field() {
    let cases = [
        ("[[sla.policies]]\nid = \"x\"\ntargets.p3 = { resolution = \"0s\" }", "sla.policies[0].targets.p3.resolution"),
        ("[[sla.policies]]\nid = \"x\"\ntargets.p9 = { resolution = \"1h\" }", "sla.policies[0].targets.p9"),
        ("[[sla.policies]]\nid = \"x\"\ncalendar = \"nope\"", "sla.policies[0].calendar"),
        ("[[sla.escalation]]\ntarget = \"resolution\"\nat_percent = 100\nactions = [\"notify_assignee\"]\n[[sla.escalation]]\ntarget = \"resolution\"\nat_percent = 50\nactions = [\"notify_assignee\"]", "sla.escalation[1].at_percent"),
        ("[[sla.escalation]]\ntarget = \"resolution\"\nat_percent = 0\nactions = [\"notify_assignee\"]", "sla.escalation[0].at_percent"),
        ("[sla.calendars.c]\ntimezone = \"Moon/Base\"", "sla.calendars.c.timezone"),
        ("[sla.calendars.c]\ntimezone = \"UTC\"\nhours = { mon = [[\"10:00\", \"09:00\"]] }", "sla.calendars.c.hours.mon[0]"),
        ("[sla.calendars.c]\ntimezone = \"UTC\"\nholiday_sets = [\"none\"]", "sla.calendars.c.holiday_sets"),
    ];
    for (text, field) in cases {
        let e = Config::from_toml_str(text, "<t>").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{text}: {e}");
        assert_eq!(e.field(), Some(field), "{text}: {e}");
    }
}
