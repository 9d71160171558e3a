//! SLA escalation thresholds (crossed once, repeating, in business hours), simulation, and
//! bad SLA configuration naming the field.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::sla_fixture::{assign, at, kit, sla};
use common::Given;
use foliodesk_core::sla::{EscalationAction, Sla};
use foliodesk_core::*;

#[test]
fn thresholds_cross_once_repeat_and_simulate() {
    // Status messages (the update interval) have their own test: sla_status_messages.rs.
    let mut kit = kit("");
    kit.config.sla.status_messages = false;
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
    let mut quiet = self::kit("");
    quiet.config.sla.status_messages = false;
    let fresh = Given::opened(quiet);
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
