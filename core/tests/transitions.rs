//! The full transition table: every status × every command, allowed or the exact
//! `InvalidTransition` error. The expectation below is written out by hand from docs/process.md,
//! independently of `lifecycle::TRANSITIONS`.

mod common;

use common::{now, sample, try_decide, Given};
use foliodesk_core::{CommandKind, Error, Status};

const EXPECTED: &str = "
                  new open pending resolved confirmed closed cancelled
open              .   .    .       .        .         .      .
comment           Y   Y    Y       .        .         .      .
assign            Y   Y    Y       .        .         .      .
reclassify        Y   Y    Y       .        .         .      .
change_priority   Y   Y    Y       .        .         .      .
set_pending       .   Y    .       .        .         .      .
resume            .   .    Y       .        .         .      .
escalate          Y   Y    Y       .        .         .      .
propose_solution  .   Y    .       .        .         .      .
confirm_solution  .   .    .       Y        .         .      .
reject_solution   .   .    .       Y        .         .      .
auto_confirm      .   .    .       Y        .         .      .
rate              .   .    .       .        Y         Y      .
close             .   .    .       .        Y         .      .
cancel            Y   Y    Y       .        .         .      .
reopen            .   .    .       .        .         Y      .
add_watcher       Y   Y    Y       Y        Y         .      .
update_security   Y   Y    Y       Y        Y         Y      .
sla_alert         Y   Y    Y       .        .         .      .
edit              Y   Y    Y       Y        .         .      .
recur             Y   Y    Y       Y        .         .      .
attach            Y   Y    Y       Y        .         .      .
apply_macro       Y   Y    Y       .        .         .      .
update_problem    Y   Y    Y       Y        .         .      .
link_problem      Y   Y    Y       Y        .         .      .
unlink_problem    Y   Y    Y       Y        .         .      .
run_rule          Y   Y    Y       Y        Y         Y      .
";

#[test]
fn every_status_times_every_command() {
    let mut lines = EXPECTED.lines().filter(|l| !l.trim().is_empty());
    let statuses: Vec<Status> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(statuses, Status::ALL);
    let mut rows = 0;
    for line in lines {
        let mut cells = line.split_whitespace();
        let command: CommandKind = cells.next().unwrap().parse().unwrap();
        for (status, cell) in statuses.iter().zip(cells) {
            let given = Given::in_status(*status).fit_for(command);
            assert_eq!(given.ticket.status, *status);
            let (who, cmd) = sample(command);
            let got = try_decide(&given.kit, Some(&given.ticket), who, &cmd, now());
            match (cell, got) {
                ("Y", Ok(events)) => assert!(!events.is_empty()),
                (
                    ".",
                    Err(Error::InvalidTransition {
                        status: s,
                        command: c,
                    }),
                ) => {
                    assert_eq!((s, c), (*status, command));
                }
                (cell, got) => panic!("{command} on {status}: expected {cell}, got {got:?}"),
            }
        }
        rows += 1;
    }
    assert_eq!(rows, CommandKind::ALL.len(), "every command has a row");
}

#[test]
fn resulting_statuses_follow_the_process() {
    use Status::*;
    let cases = [
        (Open, CommandKind::SetPending, Pending),
        (Pending, CommandKind::Resume, Open),
        (Open, CommandKind::ProposeSolution, Resolved),
        (Resolved, CommandKind::ConfirmSolution, Confirmed),
        (Resolved, CommandKind::AutoConfirm, Confirmed),
        (Resolved, CommandKind::RejectSolution, Open),
        (Confirmed, CommandKind::Close, Closed),
        (Closed, CommandKind::Reopen, Open),
        (New, CommandKind::Cancel, Cancelled),
        (New, CommandKind::Assign, Open),
        (Open, CommandKind::Escalate, Open),
        (Open, CommandKind::Recur, Open),
        (Resolved, CommandKind::Recur, Open),
    ];
    for (from, command, to) in cases {
        let mut g = Given::in_status(from);
        let (who, cmd) = sample(command);
        g.run(who, cmd, now()).unwrap();
        assert_eq!(g.ticket.status, to, "{command} from {from}");
    }
}

#[test]
fn reject_and_reopen_count() {
    let mut g = Given::in_status(Status::Resolved);
    let (who, cmd) = sample(CommandKind::RejectSolution);
    g.run(who, cmd, now()).unwrap();
    assert_eq!(g.ticket.reopen_count, 1);
    assert_eq!(g.ticket.solution, None);
    let mut g = Given::in_status(Status::Closed);
    let (who, cmd) = sample(CommandKind::Reopen);
    g.run(who, cmd, now()).unwrap();
    assert_eq!(g.ticket.reopen_count, 1);
}

/// The table's outcome column holds: every command, run in every status the table allows
/// it in, leaves the ticket where the table says (`Same`: where it was).
#[test]
fn every_allowed_cell_ends_where_the_table_says() {
    use foliodesk_core::lifecycle::{Outcome, TRANSITIONS};
    let mut checked = 0;
    for (command, from, outcome) in TRANSITIONS {
        for status in from.iter() {
            let expected = match outcome {
                Outcome::To(s) => *s,
                Outcome::Same => *status,
                // Depends on the arguments: covered by `resulting_statuses_follow_the_process`.
                Outcome::Varies => continue,
            };
            let mut g = Given::in_status(*status).fit_for(*command);
            let (who, cmd) = sample(*command);
            g.run(who, cmd, now())
                .unwrap_or_else(|e| panic!("{command} on {status}: {e}"));
            assert_eq!(g.ticket.status, expected, "{command} from {status}");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} cells checked");
}
