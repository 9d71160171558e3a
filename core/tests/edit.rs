//! Ticket edits: each change recorded before and after and folded; users affected
//! recomputes the priority; requesters edit only what configuration allows, and never see
//! staff-only fields change; bad input names the field.

mod common;

use common::Given;
use foliodesk_core::edit::{EditableField, Edited, ListChange, TextChange, TicketEdit};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

fn edited(g: &Given) -> &Edited {
    match &g.events.last().unwrap().event {
        Event::Edited(e) => e,
        other => panic!("not an edit: {other:?}"),
    }
}

fn run(g: &mut Given, who: &str, edit: TicketEdit) -> Result<()> {
    let at = Kit::t0() + chrono::Duration::minutes(g.ticket.version as i64);
    g.run(who, Command::Edit(edit), at)
}

#[test]
fn a_staff_edit_records_before_and_after_and_folds() {
    let mut g = Given::opened(Kit::new());
    let edit = TicketEdit {
        title: Some("  Printer jams on floor 2 ".into()),
        services: Some(vec!["printing".into()]),
        possible_causes: Some(vec!["worn roller".into()]),
        tags: Some(vec!["hardware".into(), " hardware ".into()]),
        // Same as now: not recorded.
        description: Some(g.ticket.description.clone()),
        ..Default::default()
    };
    run(&mut g, "bob", edit).unwrap();
    let e = edited(&g);
    assert_eq!(
        e.title,
        Some(TextChange {
            before: "Printer jams".into(),
            after: "Printer jams on floor 2".into()
        })
    );
    assert_eq!(e.description, None);
    assert_eq!(
        e.tags,
        Some(ListChange {
            before: vec![],
            after: vec!["hardware".into()]
        })
    );
    assert_eq!(g.ticket.title, "Printer jams on floor 2");
    assert_eq!(g.ticket.services, ["printing"]);
    assert_eq!(g.ticket.possible_causes, ["worn roller"]);
    assert_eq!(g.ticket.tags, ["hardware"]);
    // The history verifies and refolds to the same ticket.
    assert!(verify(&g.events).is_intact());
}

#[test]
fn users_affected_recomputes_the_priority() {
    let mut g = Given::opened(Kit::new());
    let before = g.ticket.priority;
    let edit = TicketEdit {
        users_affected: Some(500),
        ..Default::default()
    };
    run(&mut g, "bob", edit).unwrap();
    let Event::PriorityChanged {
        users_affected,
        priority,
        ..
    } = &g.events.last().unwrap().event
    else {
        panic!("a priority change follows")
    };
    assert_eq!(*users_affected, 500);
    assert!(*priority > before, "{priority:?} > {before:?}");
    assert_eq!(g.ticket.priority, *priority);
}

#[test]
fn bad_edits_name_the_field_and_change_nothing() {
    let mut g = Given::opened(Kit::new());
    let version = g.ticket.version;
    let cases = [
        (
            TicketEdit {
                title: Some("   ".into()),
                ..Default::default()
            },
            "title",
        ),
        (
            TicketEdit {
                title: Some("x".repeat(251)),
                ..Default::default()
            },
            "title",
        ),
        (
            TicketEdit {
                users_affected: Some(0),
                ..Default::default()
            },
            "users_affected",
        ),
        (
            TicketEdit {
                title: Some(g.ticket.title.clone()),
                ..Default::default()
            },
            "edit",
        ),
        (TicketEdit::default(), "edit"),
    ];
    for (edit, field) in cases {
        let e = run(&mut g, "bob", edit).unwrap_err();
        assert!(
            matches!(&e, Error::Validation { field: f, .. } if f == field),
            "{e}"
        );
    }
    assert_eq!(g.ticket.version, version);
}

#[test]
fn requesters_edit_only_what_the_configuration_lets_them() {
    let mut g = Given::opened(Kit::new());
    let description = TicketEdit {
        description: Some("It jams on every second page".into()),
        ..Default::default()
    };
    let e = run(&mut g, "ana", description.clone()).unwrap_err();
    assert!(e.to_string().contains("`description`"), "{e}");

    let mut kit = Kit::new();
    kit.config.intake.requester_may_edit = vec![EditableField::Description];
    let mut g = Given::opened(kit);
    run(&mut g, "ana", description).unwrap();
    assert_eq!(g.ticket.description, "It jams on every second page");
    let title = TicketEdit {
        title: Some("Mine".into()),
        ..Default::default()
    };
    let e = run(&mut g, "ana", title.clone()).unwrap_err();
    assert!(
        matches!(&e, Error::PermissionDenied { reason, .. } if reason.contains("`title`")),
        "{e}"
    );
    // Another requester's ticket: never.
    let e = run(&mut g, "leo", title).unwrap_err();
    assert!(matches!(e, Error::PermissionDenied { .. }), "{e}");

    // Staff-only fields cannot be granted.
    let mut cfg = Config::default();
    cfg.intake.requester_may_edit = vec![EditableField::PossibleCauses];
    let e = cfg.validate().unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "intake.requester_may_edit"),
        "{e}"
    );
}

#[test]
fn requesters_never_see_staff_fields_change() {
    let mut g = Given::opened(Kit::new());
    let both = TicketEdit {
        title: Some("Printer jams again".into()),
        possible_causes: Some(vec!["fuser".into()]),
        ..Default::default()
    };
    run(&mut g, "bob", both).unwrap();
    let staff_only = TicketEdit {
        assigned_resources: Some(vec!["spare roller".into()]),
        ..Default::default()
    };
    run(&mut g, "bob", staff_only).unwrap();
    let ana = common::actor(&g.kit, "ana");
    let seen = view::history(&ana, g.events.clone());
    let edits: Vec<&Edited> = seen
        .iter()
        .filter_map(|e| match &e.event {
            Event::Edited(e) => Some(&**e),
            _ => None,
        })
        .collect();
    assert_eq!(edits.len(), 1, "the staff-only edit is hidden");
    assert!(edits[0].title.is_some());
    assert!(edits[0].possible_causes.is_none());
    let bob = common::actor(&g.kit, "bob");
    assert_eq!(view::history(&bob, g.events.clone()).len(), g.events.len());
}
