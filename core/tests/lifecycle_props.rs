//! Property tests: any sequence of commands by any actors keeps the invariants, and
//! `fold(events) == state` with an intact hash chain.

mod common;

use chrono::Duration;
use common::{sample, Given};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;
use proptest::prelude::*;

const ACTORS: [&str; 6] = ["ana", "leo", "bob", "eva", "sue", "system"];

fn count(g: &Given, pred: impl Fn(&Event) -> bool) -> u32 {
    g.events.iter().filter(|e| pred(&e.event)).count() as u32
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_sequence_keeps_the_invariants(
        steps in prop::collection::vec((0..ACTORS.len(), 0..CommandKind::ALL.len(), 0u32..4, 0i64..6000), 1..60)
    ) {
        let mut g = Given::opened(Kit::new());
        let mut at = Kit::t0();
        for (a, c, variant, minutes) in steps {
            at += Duration::minutes(minutes);
            let kind = CommandKind::ALL[c];
            let (_, mut cmd) = sample(kind);
            // Vary arguments so validation failures are exercised too.
            match (&mut cmd, variant) {
                (Command::Rate { score, .. }, v) => *score = v as u8 * 2,
                (Command::Comment { visibility, .. }, 1) => *visibility = Visibility::Internal,
                (Command::Assign { team, assignee }, 1) => { *team = None; *assignee = Some("bob".into()); }
                (Command::Assign { team, .. }, 2) => *team = Some("n1".into()),
                (Command::Escalate { kind, team, .. }, 1) => { *kind = EscalationKind::Hierarchical; *team = None; }
                (Command::ChangePriority(p), 2) => { p.manual = Some(5); p.reason = Some("VIP".into()); }
                (Command::SetPending { reason, .. }, 3) => reason.clear(),
                _ => {}
            }
            // Loading only the teams `TeamsNeeded` names must decide exactly as with all.
            let mut narrow = g.kit.clone();
            if let TeamsNeeded::Named(ids) = TeamsNeeded::of(&cmd, &g.kit.config) {
                narrow.facts.teams.retain(|id, _| ids.contains(id));
            }
            let full = common::try_decide(&g.kit, Some(&g.ticket), ACTORS[a], &cmd, at);
            let part = common::try_decide(&narrow, Some(&g.ticket), ACTORS[a], &cmd, at);
            prop_assert_eq!(format!("{full:?}"), format!("{part:?}"));
            let before = g.ticket.clone();
            match g.run(ACTORS[a], cmd, at) {
                Ok(()) => {}
                Err(e) => {
                    prop_assert!(matches!(e.kind(),
                        ErrorKind::PermissionDenied | ErrorKind::InvalidTransition | ErrorKind::Validation),
                        "unexpected error {e}");
                    prop_assert_eq!(&g.ticket, &before, "a refused command changes nothing");
                }
            }
            let t = &g.ticket;
            prop_assert_eq!(t.version, g.events.len() as u64);
            prop_assert_eq!(&Ticket::replay(&g.events).unwrap(), t, "fold(events) == state");
            prop_assert!(verify(&g.events).is_intact());
            prop_assert_eq!(t.reopen_count, count(&g, |e| matches!(e, Event::SolutionRejected { .. } | Event::Reopened { .. })));
            prop_assert!(count(&g, |e| matches!(e, Event::Rated { .. })) <= 1, "rated at most once");
            prop_assert_eq!(t.comments.len() as u32, count(&g, |e| matches!(e, Event::Commented { .. })));
            match t.status {
                Status::Resolved => prop_assert!(t.solution.is_some() && t.milestones.resolved_at.is_some()),
                Status::Closed => prop_assert!(t.milestones.closed_at.is_some()),
                Status::Cancelled => prop_assert!(t.cancellation.is_some()),
                Status::Pending => prop_assert!(t.pending_reason.is_some()),
                Status::Open => prop_assert!(t.milestones.assigned_at.is_some()),
                _ => {}
            }
            if let Some(s) = &t.satisfaction { prop_assert!((1..=5).contains(&s.score)); }
            // Internal notes never carry `by_staff = false`: only staff write them.
            for e in &g.events {
                if let Event::Commented { visibility: Visibility::Internal, by_staff, .. } = &e.event {
                    prop_assert!(*by_staff);
                }
            }
        }
    }
}

#[test]
fn opening_needs_only_the_routed_team() {
    let kit = Kit::new();
    for (team, category) in [
        (None, None),
        (Some("n2"), None),
        (Some("nope"), None),
        (None, Some("Hardware/Printers")),
        (None, Some("Network/VPN")),
        (None, Some("Network")),
    ] {
        let mut new = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", "Printer jams");
        new.team = team.map(Into::into);
        new.category = category.map(Into::into);
        let cmd = Command::Open(Box::new(new));
        let TeamsNeeded::Named(ids) = TeamsNeeded::of(&cmd, &kit.config) else {
            panic!("open names its teams")
        };
        let mut narrow = kit.clone();
        narrow.facts.teams.retain(|id, _| ids.contains(id));
        let at = Kit::t0();
        let full = common::try_decide(&kit, None, "ana", &cmd, at);
        let part = common::try_decide(&narrow, None, "ana", &cmd, at);
        assert_eq!(
            format!("{full:?}"),
            format!("{part:?}"),
            "{team:?} {category:?}"
        );
        assert!(ids.len() <= 1);
    }
}

#[test]
fn tampering_is_found_at_the_first_broken_link() {
    let g = Given::in_status(Status::Closed);
    let n = g.events.len();
    assert!(verify(&g.events).is_intact());

    let mut altered = g.events.clone();
    if let Event::Closed { note } = &mut altered[n - 1].event {
        *note = Some("forged".into());
    }
    assert_eq!(
        verify(&altered).first_broken,
        Some((n as u64, hash::Breach::HashMismatch))
    );

    let mut altered = g.events.clone();
    altered[1].at += Duration::seconds(1);
    assert_eq!(
        verify(&altered).first_broken,
        Some((2, hash::Breach::HashMismatch))
    );

    let mut removed = g.events.clone();
    removed.remove(2);
    assert_eq!(
        verify(&removed).first_broken,
        Some((3, hash::Breach::SequenceGap))
    );

    let mut relinked = g.events.clone();
    relinked[2].prev_hash = relinked[0].hash.clone();
    assert_eq!(
        verify(&relinked).first_broken,
        Some((3, hash::Breach::BrokenLink))
    );
}
