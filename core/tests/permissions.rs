//! The permission table: every role × every command on a ticket where the command is
//! allowed by status. `Y` allowed, `.` PermissionDenied. Written out by hand.

mod common;

use common::{now, sample, try_decide, Given};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

// Columns: the ticket's requester, another requester, an agent, a supervisor, an admin,
// the desk itself.
const EXPECTED: &str = "
                  ana leo bob sue ada system
open              Y   .   Y   Y   Y   .
comment           Y   .   Y   Y   Y   .
assign            .   .   Y   Y   Y   .
reclassify        .   .   Y   Y   Y   .
change_priority   .   .   Y   Y   Y   .
set_pending       .   .   Y   Y   Y   .
resume            .   .   Y   Y   Y   .
escalate          .   .   Y   Y   Y   .
propose_solution  .   .   Y   Y   Y   .
confirm_solution  Y   .   .   .   .   .
reject_solution   Y   .   .   .   .   .
auto_confirm      .   .   .   .   .   Y
rate              Y   .   .   .   .   .
close             .   .   .   Y   Y   .
cancel            Y   .   Y   Y   Y   .
reopen            Y   .   Y   Y   Y   .
add_watcher       Y   .   Y   Y   Y   .
update_security   .   .   Y   Y   Y   .
recur             .   .   .   .   .   Y
attach            Y   .   Y   Y   Y   .
apply_macro       .   .   Y   Y   Y   .
update_problem    .   .   Y   Y   Y   .
link_problem      .   .   Y   Y   Y   .
unlink_problem    .   .   Y   Y   Y   .
run_rule          .   .   .   .   .   Y
";

fn status_allowing(command: CommandKind) -> Status {
    *Status::ALL
        .iter()
        .find(|s| lifecycle::allows(**s, command))
        .unwrap_or(&Status::New)
}

#[test]
fn every_role_times_every_command() {
    let mut lines = EXPECTED.lines().filter(|l| !l.trim().is_empty());
    let actors: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    for line in lines {
        let mut cells = line.split_whitespace();
        let command: CommandKind = cells.next().unwrap().parse().unwrap();
        for (who, cell) in actors.iter().zip(cells) {
            let mut given = Given::in_status(status_allowing(command)).fit_for(command);
            let mut ada = User::new("ada", "Ada", Role::Admin);
            ada.teams = vec!["n1".into()];
            given.kit.facts.users.insert(ada.id.clone(), ada);
            let (_, mut cmd) = sample(command);
            if let Command::Open(new) = &mut cmd {
                // Everyone opens for ana; only ana herself, or staff, may.
                new.requester = "ana".into();
            }
            if let Command::AddWatcher { user } = &mut cmd {
                *user = "eva".into();
            }
            let ticket = (command != CommandKind::Open).then_some(&given.ticket);
            let got = try_decide(&given.kit, ticket, who, &cmd, now());
            match (cell, &got) {
                ("Y", Ok(_)) => {}
                (".", Err(Error::PermissionDenied { command: c, .. })) => assert_eq!(*c, command),
                _ => panic!("{who} {command}: expected {cell}, got {got:?}"),
            }
        }
    }
}

#[test]
fn requesters_cannot_write_internal_notes_or_set_staff_fields() {
    let g = Given::in_status(Status::Open);
    let note = Command::Comment {
        body: "psst".into(),
        visibility: Visibility::Internal,
    };
    let err = try_decide(&g.kit, Some(&g.ticket), "ana", &note, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let mut new = NewTicket::new(TicketKind::Incident, Channel::Portal, "ana", "x");
    new.team = Some("n2".into());
    let err = try_decide(&g.kit, None, "ana", &Command::Open(Box::new(new)), now()).unwrap_err();
    assert!(err.to_string().contains("team"), "{err}");
    let cancel = Command::Cancel {
        reason: CancelReason::Spam,
        note: "x".into(),
    };
    let err = try_decide(&g.kit, Some(&g.ticket), "ana", &cancel, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
}

#[test]
fn inactive_users_cannot_act() {
    let mut kit = Kit::new();
    kit.facts.users.get_mut(&UserId::new("bob")).unwrap().active = false;
    let g = Given::opened(kit);
    let (_, cmd) = sample(CommandKind::Comment);
    let err = try_decide(&g.kit, Some(&g.ticket), "bob", &cmd, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
}

#[test]
fn views_hide_internal_work_from_requesters() {
    let g = Given::in_status(Status::Open)
        .then(
            "bob",
            Command::Comment {
                body: "internal".into(),
                visibility: Visibility::Internal,
            },
        )
        .then(
            "bob",
            Command::Comment {
                body: "public".into(),
                visibility: Visibility::Public,
            },
        )
        .then("bob", sample(CommandKind::UpdateSecurity).1);
    let ana = common::actor(&g.kit, "ana");
    let leo = common::actor(&g.kit, "leo");
    let bob = common::actor(&g.kit, "bob");
    let teams: Vec<Team> = g.kit.facts.teams.values().cloned().collect();
    let scope = |u: &User| view::Scope::of(u, &teams);
    assert!(view::can_view(&ana, &scope(&ana), &g.ticket, &g.kit.config));
    assert!(
        !view::can_view(&leo, &scope(&leo), &g.ticket, &g.kit.config),
        "other requesters see nothing"
    );
    assert!(view::can_view(&bob, &scope(&bob), &g.ticket, &g.kit.config));
    // A team that serves only another organisation keeps its agents out.
    let mut elsewhere = teams.clone();
    for t in &mut elsewhere {
        t.serves = Some(vec!["globex".into()]);
    }
    let narrow = view::Scope::of(&bob, &elsewhere);
    assert!(!view::can_view(&bob, &narrow, &g.ticket, &g.kit.config));
    let seen = view::redact(&ana, g.ticket.clone());
    assert_eq!(seen.comments.len(), 1);
    assert_eq!(seen.comments[0].body, "public");
    assert!(seen.security.is_none());
    assert_eq!(view::redact(&bob, g.ticket.clone()), g.ticket);
    let history = view::history(&ana, g.events.clone());
    assert!(history.iter().all(|e| e.event.is_public()));
    assert_eq!(
        history.len(),
        g.events.len() - 2,
        "internal note and security update hidden"
    );
}
