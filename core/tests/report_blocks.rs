//! Facts packed into day blocks give the very report the facts give one by one: random
//! facts with names from small pools (one team is called `-`, like the "none" group),
//! some packed, some rows, some in both (a newer row wins over its block entry), with
//! and without a team asked for. And a block gives back the facts packed into it. The
//! dashboard counted from pulse rows equals the dashboard folded from the facts.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use foliodesk_core::report::block::{day_of, unpack, Block};
use foliodesk_core::report::{
    DashboardFold, Every, Fact, LevelFact, PulseFold, PulseQuery, PulseRow, ReportFold,
    ReportRequest, TargetFact, TargetOutcome, Window,
};
use foliodesk_core::sla::Target;
use foliodesk_core::{Category, Channel, Status, SupportLevel, TeamId, TicketKind};
use proptest::prelude::*;

const BASE: i64 = 1_772_323_200_000_000; // 2026-03-01T00:00:00Z
const HOUR: i64 = 3_600_000_000;
const TEAMS: [Option<&str>; 4] = [None, Some("-"), Some("service-desk"), Some("networks")];
const NAMES: [Option<&str>; 4] = [None, Some("a"), Some("b/c"), Some("ñ")];

type Spec = (i64, [u8; 8], Option<u32>, u8);

fn fact(i: usize, (hours, pick, resolved, outcome): Spec) -> Fact {
    let opened = BASE + hours * HOUR / 3;
    let name = |k: usize| NAMES[usize::from(pick[k]) % 4].map(str::to_owned);
    let outcome = match outcome % 4 {
        0 => TargetOutcome::Met,
        1 => TargetOutcome::Breached,
        2 => TargetOutcome::Running(opened + 30 * HOUR),
        _ => TargetOutcome::Paused,
    };
    Fact {
        ticket: format!("t{i:04}").into(),
        opened,
        kind: TicketKind::ALL[usize::from(pick[0]) % TicketKind::ALL.len()],
        channel: Channel::ALL[usize::from(pick[1]) % Channel::ALL.len()],
        category: name(2).map(|c| Category::parse("category", &c).unwrap()),
        service: name(3),
        organisation: name(4).map(Into::into),
        priority: 1 + pick[5] % 5,
        status: Status::ALL[usize::from(pick[6]) % Status::ALL.len()],
        waiting_on_requester: pick[6] % 2 == 0,
        level: SupportLevel::ALL[usize::from(pick[7]) % SupportLevel::ALL.len()],
        team: TEAMS[usize::from(pick[7] / 3) % 4].map(Into::into),
        assignee: name(5).map(Into::into),
        assigned: resolved.map(|s| opened + i64::from(s / 3) * 1_000_000),
        responded: Some(opened + 60_000_000),
        resolved: resolved.map(|s| opened + i64::from(s) * 1_000_000),
        finished: None,
        attention_business: resolved.map(|s| s / 4),
        response_business: Some(60),
        resolution_business: resolved.map(|s| s / 2),
        reopens: u32::from(pick[0] % 5 == 0),
        functional: u32::from(pick[1] % 3 == 0),
        hierarchical: u32::from(pick[2] % 7 == 0),
        satisfaction: (pick[3] % 3 == 0).then_some(1 + pick[4] % 5),
        surveyed: pick[3] % 2 == 0,
        problem: name(6).map(Into::into),
        occurrences: 1 + u32::from(pick[4] % 4 == 0),
        security: pick[5] % 6 == 0,
        policy: name(7),
        targets: vec![TargetFact {
            target: Target::ALL[usize::from(outcome_index(outcome)) % Target::ALL.len()],
            outcome,
        }],
        levels: (0..pick[0] % 3)
            .map(|l| LevelFact {
                level: SupportLevel::ALL[usize::from(l)],
                used: u32::from(pick[1]) * 60,
                budget: (l == 0).then_some(7_200),
            })
            .collect(),
        alerted: None,
    }
}

fn outcome_index(o: TargetOutcome) -> u8 {
    match o {
        TargetOutcome::Met => 0,
        TargetOutcome::Breached => 1,
        _ => 2,
    }
}

fn window() -> Window {
    Window {
        from: "2026-03-02".parse().unwrap(),
        to: "2026-03-16".parse().unwrap(),
        time_zone: "Europe/Madrid".into(),
        every: Every::Day,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn blocks_fold_like_facts(
        specs in prop::collection::vec((0i64..(3 * 24 * 16), any::<[u8; 8]>(), prop::option::of(60u32..400_000), any::<u8>()), 0..120),
        placement in prop::collection::vec(0u8..3, 120),
        team in 0usize..4,
    ) {
        let at = DateTime::<Utc>::from_timestamp_micros(BASE + 20 * 24 * HOUR).unwrap();
        let facts: Vec<Fact> = specs.into_iter().enumerate().map(|(i, s)| fact(i, s)).collect();
        let team = TEAMS[team].map(Into::into);
        let request = ReportRequest { window: window(), team };

        let mut one_by_one = ReportFold::new(request.clone(), at).unwrap();
        facts.iter().for_each(|f| one_by_one.add(f));

        // 0: a row; 1: packed; 2: packed in an older form and a row now.
        let mut rows = Vec::new();
        let mut days: BTreeMap<i64, Vec<Fact>> = BTreeMap::new();
        for (f, p) in facts.iter().zip(&placement) {
            if *p != 1 {
                rows.push(f.clone());
            }
            if *p != 0 {
                let mut packed = f.clone();
                if *p == 2 {
                    packed.team = Some("stale".into());
                    packed.reopens += 3;
                }
                days.entry(day_of(f.opened)).or_default().push(packed);
            }
        }
        let mut mixed = ReportFold::new(request, at).unwrap();
        let rowed: HashSet<String> = rows.iter().map(|f| f.ticket.to_string()).collect();
        rows.iter().for_each(|f| mixed.add(f));
        for packed in days.values() {
            let bytes = unpack(&Block::encode(packed).unwrap()).unwrap();
            let block = Block::decode(&bytes).unwrap();
            let back: Vec<Fact> = block.entries().map(|e| block.fact(&e)).collect();
            prop_assert_eq!(&back, packed);
            mixed.add_block(&block, |t| rowed.contains(t));
        }
        prop_assert_eq!(mixed.finish(), one_by_one.finish());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_pulse_gives_the_dashboard_of_the_facts(
        specs in prop::collection::vec((0i64..(3 * 24 * 16), any::<[u8; 8]>(), prop::option::of(60u32..400_000), any::<u8>()), 0..80),
        alerts in prop::collection::vec(prop::option::of(0i64..(3 * 24 * 16)), 80),
        team in 0usize..4,
        now_hours in 0i64..(24 * 20),
        risk in 0u32..3_000,
    ) {
        let at = DateTime::<Utc>::from_timestamp_micros(BASE + now_hours * HOUR).unwrap();
        let today = DateTime::<Utc>::from_timestamp_micros(BASE + (now_hours - now_hours % 24) * HOUR).unwrap();
        let team: Option<TeamId> = TEAMS[team].map(Into::into);
        let mut facts: Vec<Fact> = specs.into_iter().enumerate().map(|(i, s)| fact(i, s)).collect();
        for (f, a) in facts.iter_mut().zip(&alerts) {
            f.alerted = a.map(|h| BASE + h * HOUR / 3);
        }
        let mut reference = DashboardFold::new(at, team.clone(), risk, today);
        facts.iter().for_each(|f| reference.add(f));
        let now = at.timestamp_micros();
        let mut pulse = PulseFold::new(PulseQuery {
            team: team.clone(),
            now,
            horizon: now + i64::from(risk) * 60_000_000,
            today_from: today.timestamp_micros(),
        });
        for f in facts.iter().filter(|f| f.live()) {
            pulse.add(f.opened, f.ticket.as_str(), &PulseRow::of(f));
        }
        prop_assert_eq!(pulse.finish().dashboard(at, team), reference.finish());
    }
}

#[test]
fn a_damaged_block_is_refused() {
    let facts = vec![fact(1, (5, [1; 8], Some(600), 0))];
    let stored = Block::encode(&facts).unwrap();
    let err = unpack(&stored[..stored.len() - 3]).expect_err("cut short");
    assert!(err.to_string().contains("block of report facts"), "{err}");
    let bytes = unpack(&stored).unwrap();
    let err = Block::decode(&bytes[..bytes.len() - 3])
        .err()
        .expect("cut short");
    assert!(err.to_string().contains("block of report facts"), "{err}");
}
