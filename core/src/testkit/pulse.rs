//! Conformance checks for the dashboard's count: whatever way a backend counts the live
//! backlog, it equals the count folded from its live facts, and the figures worked out by
//! hand; an append's fact is counted at once.

use super::packing::fact;
use super::{Harness, Kit};
use crate::report::pulse::{from_live_facts, PulseQuery};
use crate::report::{TargetFact, TargetOutcome};
use crate::sla::Target;
use crate::status::{Status, SupportLevel};

const BASE: i64 = 1_772_323_200_000_000; // 2026-03-01T00:00:00Z
const HOUR: i64 = 3_600_000_000;

fn query(team: Option<&str>, now: i64) -> PulseQuery {
    PulseQuery {
        team: team.map(Into::into),
        now,
        horizon: now + HOUR,
        today_from: now - 2 * HOUR,
    }
}

/// `pulse` counts the live facts by status, level, assignment and waiting, with breached
/// (for good, or running past due), at risk (due within the horizon) and alerted today,
/// and finds the oldest in hand, for the desk and for a team.
pub async fn report_pulse_counts_the_live_backlog(h: &dyn Harness) {
    let store = h.store("report_pulse_counts_the_live_backlog").await;
    let s = store.as_ref();
    let running = |due| TargetFact {
        target: Target::Resolution,
        outcome: TargetOutcome::Running(due),
    };
    let now = BASE + 10 * HOUR;
    let mut facts = Vec::new();
    let mut a = fact("q-a", BASE + HOUR, Status::New);
    a.assignee = None;
    a.targets = vec![running(now + HOUR / 2)]; // at risk
    facts.push(a);
    let mut b = fact("q-b", BASE, Status::Open);
    b.targets = vec![running(now - 1)]; // breached: running past due
    b.alerted = Some(now - HOUR);
    facts.push(b);
    let mut c = fact("q-c", BASE + 2 * HOUR, Status::Pending);
    c.waiting_on_requester = true;
    c.team = Some("networks".into());
    c.level = SupportLevel::N2;
    c.targets = vec![TargetFact {
        target: Target::FirstResponse,
        outcome: TargetOutcome::Breached,
    }];
    facts.push(c);
    let mut d = fact("q-d", BASE + 3 * HOUR, Status::Resolved);
    d.alerted = Some(now - 3 * HOUR); // before today
    facts.push(d);
    facts.push(fact("q-e", BASE - HOUR, Status::Closed)); // not live
    s.put_facts(facts).await.expect("put");

    let desk = s.pulse(&query(None, now)).await.expect("pulse");
    let reference = from_live_facts(s, &query(None, now)).await.expect("fold");
    assert_eq!(desk, reference, "the backend's count is the facts' fold");
    let sum =
        |f: fn(&crate::report::pulse::PulseGroup) -> u64| desk.groups.iter().map(f).sum::<u64>();
    assert_eq!(sum(|g| g.tickets), 4, "the closed ticket is not live");
    assert_eq!(sum(|g| g.breached), 2, "{desk:?}");
    assert_eq!(sum(|g| g.at_risk), 1);
    assert_eq!(sum(|g| g.alerted), 1);
    assert_eq!(desk.oldest.as_ref().map(|(_, t)| t.as_str()), Some("q-b"));
    let board = desk.dashboard(Kit::t0(), None);
    assert_eq!(
        (board.in_hand, board.new_unassigned, board.validating),
        (3, 1, 1)
    );
    assert_eq!(board.waiting_on_requester, 1);

    for (team, at) in [
        (Some("networks"), now),
        (Some("service-desk"), now + 2 * HOUR),
        (Some("nobody"), now),
        (None, BASE),
    ] {
        let q = query(team, at);
        let got = s.pulse(&q).await.expect("pulse");
        assert_eq!(got, from_live_facts(s, &q).await.expect("fold"), "{q:?}");
    }
    let nets = s.pulse(&query(Some("networks"), now)).await.expect("team");
    assert_eq!(nets.oldest.map(|(_, t)| t.to_string()), Some("q-c".into()));

    // An append writes its ticket's pulse with the change.
    let kit = Kit::new();
    kit.seed(s).await;
    s.append(kit.incident("q-new", Kit::at(0)))
        .await
        .expect("open");
    let q = query(None, Kit::at(1).timestamp_micros());
    let after = s.pulse(&q).await.expect("pulse");
    assert_eq!(after, from_live_facts(s, &q).await.expect("fold"));
    let tickets: u64 = after.groups.iter().map(|g| g.tickets).sum();
    assert_eq!(tickets, 5);
}
