//! What an inbound message leads to: dropped with the reason, a new ticket with the
//! mailbox's defaults, a comment, a rejected solution, a reopening within the window, a new
//! ticket that follows a finished one. Every plan that adds to a ticket is then run through
//! `decide` as the sender, so the plan is one the process accepts.

mod common;

use chrono::Duration;
use common::Given;
use foliodesk_core::inbound::plan::{plan, title, Action, Ignored, Plan};
use foliodesk_core::inbound::{Automatic, InboundMessage};
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

fn msg(from: &str, subject: &str, text: &str) -> InboundMessage {
    InboundMessage {
        channel: Channel::Email,
        from: from.into(),
        from_name: None,
        to: vec!["soporte@example.com".into()],
        subject: subject.into(),
        text: text.into(),
        original_text: None,
        html: None,
        message_id: Some("m1@acme.example".into()),
        thread_hints: Vec::new(),
        automatic: None,
        received_at: None,
        external_id: None,
        attachments: Vec::new(),
        thread_key: None,
        recovery: false,
        contact: None,
    }
}

fn user(g: &Given, id: &str) -> User {
    g.kit.facts.users[&UserId::new(id)].clone()
}

/// Plans `m` from `who` against `g`'s ticket at `minutes` after t0, and runs what it adds.
fn reply(g: &mut Given, who: &str, m: &InboundMessage, minutes: i64) -> Plan {
    let at = Kit::at(minutes);
    let p = plan(
        m,
        Some(&user(g, who)),
        Some(&g.ticket),
        0,
        &g.kit.config,
        at,
    );
    if let Action::Add {
        command,
        folio,
        by_desk,
        ..
    } = &p.action
    {
        assert_eq!(folio, &g.ticket.folio);
        let who = if *by_desk { "system" } else { who };
        g.run(who, (**command).clone(), at)
            .expect("the plan is one the process accepts");
    }
    p
}

fn ignored(p: &Plan) -> Option<&Ignored> {
    match &p.action {
        Action::Ignore { ignored } => Some(ignored),
        _ => None,
    }
}

#[test]
fn loops_machines_strangers_and_empty_mail_are_dropped_with_the_reason() {
    let mut kit = Kit::new();
    kit.config.intake.email.addresses = vec!["Soporte@Example.com".into()];
    let g = Given::opened(kit);
    let cfg = &g.kit.config;
    let own = plan(
        &msg("soporte@example.com", "x", "y"),
        None,
        None,
        0,
        cfg,
        Kit::t0(),
    );
    assert_eq!(ignored(&own), Some(&Ignored::OwnAddress));
    let mut auto = msg("ana@acme.example", "Fuera de la oficina", "Vuelvo el lunes");
    auto.automatic = Some(Automatic::AutoReply);
    let p = plan(
        &auto,
        Some(&user(&g, "ana")),
        Some(&g.ticket),
        0,
        cfg,
        Kit::t0(),
    );
    assert_eq!(ignored(&p), Some(&Ignored::Automatic(Automatic::AutoReply)));
    let empty = plan(
        &msg("ana@acme.example", " ", ""),
        Some(&user(&g, "ana")),
        None,
        0,
        cfg,
        Kit::t0(),
    );
    assert_eq!(ignored(&empty), Some(&Ignored::Empty));

    let mut refuse = g.kit.config.clone();
    refuse.intake.email.unknown_senders = "refuse".parse().unwrap();
    let p = plan(
        &msg("who@nowhere.example", "Hola", "?"),
        None,
        None,
        0,
        &refuse,
        Kit::t0(),
    );
    assert_eq!(ignored(&p), Some(&Ignored::UnknownSender));
    assert!(p.why.contains("who@nowhere.example"));
}

#[test]
fn a_stranger_becomes_a_requester_of_the_organisation_of_their_domain() {
    let mut cfg = Kit::new().config;
    cfg.intake
        .email
        .domains
        .insert("acme.example".into(), "acme".into());
    let mut m = msg("pia@acme.example", "Sin impresora", "No imprime");
    m.from_name = Some("Pía Ruiz".into());
    let p = plan(&m, None, None, 0, &cfg, Kit::t0());
    let u = p.new_requester.expect("a requester to create");
    assert_eq!(
        (u.id.as_str(), u.name.as_str()),
        ("pia@acme.example", "Pía Ruiz")
    );
    assert_eq!(
        (u.role, u.email.as_deref()),
        (Role::Requester, Some("pia@acme.example"))
    );
    assert_eq!(u.organisation, Some(OrgId::new("acme")));
    let Action::Open { ticket } = p.action else {
        panic!("opens a ticket")
    };
    assert_eq!(ticket.requester, u.id);
}

#[test]
fn a_new_message_opens_a_ticket_with_the_mailboxs_defaults() {
    let mut kit = Kit::new();
    let defaults = &mut kit.config.intake.email.mailboxes;
    let sec = foliodesk_core::inbound::policy::MailboxDefaults {
        kind: Some(TicketKind::Incident),
        category: Some("Hardware/Printers".into()),
    };
    defaults.insert("Seguridad@example.com".into(), sec);
    let g = Given::opened(kit);
    let mut m = msg(
        "ana@acme.example",
        "RV: RE: [INC-2026-000099] Impresora",
        "Otra vez",
    );
    m.to = vec!["otra@example.com".into(), "seguridad@example.com".into()];
    let p = plan(
        &m,
        Some(&user(&g, "ana")),
        None,
        0,
        &g.kit.config,
        Kit::t0(),
    );
    let Action::Open { ticket } = p.action else {
        panic!("opens a ticket")
    };
    assert_eq!(ticket.title, "Impresora");
    assert_eq!(ticket.description, "Otra vez");
    assert_eq!(
        (ticket.channel, ticket.kind),
        (Channel::Email, TicketKind::Incident)
    );
    assert_eq!(ticket.category.as_deref(), Some("Hardware/Printers"));
    // The process accepts it as ana, and the category routes it.
    let opened = common::try_decide(&g.kit, None, "ana", &Command::Open(ticket), Kit::t0());
    let routed = opened
        .unwrap()
        .iter()
        .any(|e| matches!(e, Event::Assigned { team: Some(_), .. }));
    assert!(routed, "the category's team");
}

#[test]
fn replies_comment_reject_reopen_or_follow_by_the_tickets_status() {
    let m = msg(
        "ana@acme.example",
        "RE: [INC-2026-000001] Printer jams",
        "Sigue igual",
    );
    // Open: a public comment by the requester.
    let mut g = Given::in_status(Status::Open);
    let p = reply(&mut g, "ana", &m, 100);
    assert!(p.why.starts_with("reply to"), "{}", p.why);
    let last = &g.ticket.comments.last().unwrap();
    assert_eq!(
        (last.body.as_str(), last.visibility),
        ("Sigue igual", Visibility::Public)
    );
    // Pending on the requester: the reply resumes it.
    let mut g = Given::in_status(Status::Pending);
    reply(&mut g, "ana", &m, 100);
    assert_eq!(g.ticket.status, Status::Open);
    // A proposed solution: the reply says it is not solved.
    let mut g = Given::in_status(Status::Resolved);
    reply(&mut g, "ana", &m, 100);
    assert_eq!((g.ticket.status, g.ticket.reopen_count), (Status::Open, 1));
    // Closed, within the 30-day window: reopened with the reply as the reason.
    let mut g = Given::in_status(Status::Closed);
    reply(&mut g, "ana", &m, 60 * 24);
    assert_eq!(g.ticket.status, Status::Open);
    // Closed long ago: a new ticket that follows it.
    let mut g = Given::in_status(Status::Closed);
    let late = Duration::days(40).num_minutes();
    let p = reply(&mut g, "ana", &m, late);
    let Action::Open { ticket } = &p.action else {
        panic!("{p:?}")
    };
    assert_eq!(ticket.tags, [format!("follows:{}", g.ticket.folio)]);
    assert_eq!(g.ticket.status, Status::Closed, "the old one is left alone");
}

#[test]
fn staff_and_outsiders_replying() {
    let m = msg(
        "bob@example.com",
        "RE: [INC-2026-000001] Printer jams",
        "Cambiado el fusor",
    );
    let mut g = Given::in_status(Status::Open);
    reply(&mut g, "bob", &m, 100);
    assert_eq!(g.ticket.comments.last().unwrap().author, UserId::new("bob"));
    let mut g = Given::in_status(Status::Closed);
    let p = reply(&mut g, "bob", &m, 100);
    assert_eq!(ignored(&p), Some(&Ignored::NotOpen));
    // Leo is no part of ana's ticket: his words go to a ticket of his own.
    let mut g = Given::in_status(Status::Open);
    let p = reply(&mut g, "leo", &m, 100);
    let Action::Open { ticket } = &p.action else {
        panic!("{p:?}")
    };
    assert_eq!(ticket.requester, UserId::new("leo"));
    assert_eq!(g.ticket.comments.len(), 0);
}

#[test]
fn a_storm_from_one_sender_is_cut_at_the_rate_limit() {
    let g = Given::opened(Kit::new());
    let cfg = &g.kit.config;
    assert_eq!(cfg.intake.email.rate_limit.tickets, 20);
    let m = msg("ana@acme.example", "Printer", "Again");
    let ana = user(&g, "ana");
    let p = plan(&m, Some(&ana), None, 19, cfg, Kit::t0());
    assert!(matches!(p.action, Action::Open { .. }));
    let p = plan(&m, Some(&ana), None, 20, cfg, Kit::t0());
    assert_eq!(ignored(&p), Some(&Ignored::RateLimited));
    assert!(p.why.contains("20 tickets within 1h"), "{}", p.why);
    // Replies to her own open ticket still go through.
    let mut g = Given::in_status(Status::Open);
    let p = plan(
        &m,
        Some(&ana),
        Some(&g.ticket),
        20,
        &g.kit.config,
        Kit::t0(),
    );
    assert!(matches!(p.action, Action::Add { .. }));
    // 0 turns the limit off.
    g.kit.config.intake.email.rate_limit.tickets = 0;
    let p = plan(&m, Some(&ana), None, 500, &g.kit.config, Kit::t0());
    assert!(matches!(p.action, Action::Open { .. }));
}

#[test]
fn a_mail_longer_than_a_field_is_kept_in_part_not_refused() {
    let g = Given::opened(Kit::new());
    let long = msg(
        "ana@acme.example",
        &"Asunto ".repeat(60),
        &"texto ".repeat(20_000),
    );
    let p = plan(
        &long,
        Some(&user(&g, "ana")),
        None,
        0,
        &g.kit.config,
        Kit::t0(),
    );
    let Action::Open { ticket } = p.action else {
        panic!("opens")
    };
    assert_eq!(ticket.title.chars().count(), 250);
    assert!(ticket.title.ends_with(" …"));
    assert_eq!(ticket.description.chars().count(), 100_000);
    let opened = common::try_decide(&g.kit, None, "ana", &Command::Open(ticket), Kit::t0());
    assert!(opened.is_ok(), "{opened:?}");
}

#[test]
fn titles_lose_reply_prefixes_and_folio_tags_only() {
    for (subject, expected) in [
        ("RE: RV: [INC-2026-000042] Sin red", "Sin red"),
        ("Re: [REQ-2026-000001]Alta de usuario", "Alta de usuario"),
        ("Fwd: Factura [pagada]", "Factura [pagada]"),
        ("[urgente] Servidor caído", "[urgente] Servidor caído"),
        ("Reunión", "Reunión"),
    ] {
        assert_eq!(title(subject), expected, "{subject}");
    }
}
