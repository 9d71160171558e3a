//! Walks one incident through the whole process (docs/process.md) and prints its timeline.
//!
//! ```sh
//! cargo run --example walkthrough            # SQLite, a fresh file in the temp directory
//! cargo run --example walkthrough -- URL     # any backend URL, e.g. postgres://…, redb://…
//! ```

use std::sync::Arc;

use chrono::Duration;
use foliodesk::{
    Channel, Desk, DeskOptions, EscalationKind, FixedClock, NewTicket, Organisation, Role,
    SupportLevel, Team, TicketKind, User, Visibility, SYSTEM,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = match std::env::args().nth(1) {
        Some(url) => url,
        None => {
            let path = std::env::temp_dir().join("foliodesk-walkthrough.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite://{}", path.display())
        }
    };
    println!("Desk at {url}");
    let config = foliodesk::load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))?;
    let clock = Arc::new(FixedClock::at("2026-03-02T08:55:00Z".parse()?));
    let options = DeskOptions {
        config: Some(config),
        clock: Some(clock.clone()),
    };
    let desk = Desk::open_with(&url, options).await?;

    // The directory: a customer, its requester, two technicians and the owner.
    let mut acme = Organisation::new("acme", "ACME Logística");
    acme.services = Some(vec!["correo".into(), "vpn".into()]);
    desk.put_organisation(SYSTEM, acme).await?;
    let mut ana = User::new("ana", "Ana Pérez", Role::Requester);
    ana.organisation = Some("acme".into());
    desk.put_user(SYSTEM, ana).await?;
    for (id, name, role, team, level) in [
        (
            "bob",
            "Bob (N1)",
            Role::Agent,
            "service-desk",
            SupportLevel::N1,
        ),
        ("eva", "Eva (N2)", Role::Agent, "networks", SupportLevel::N2),
        (
            "sue",
            "Sue (owner)",
            Role::Supervisor,
            "service-desk",
            SupportLevel::N1,
        ),
    ] {
        let mut u = User::new(id, name, role);
        u.teams = vec![team.into()];
        u.level = Some(level);
        desk.put_user(SYSTEM, u).await?;
    }
    let mut n2 = desk.team("networks").await?;
    n2.supervisor = Some("sue".into());
    desk.put_team(SYSTEM, n2).await?;
    let _: Team = desk.team("service-desk").await?;

    let step = |minutes| clock.advance(Duration::minutes(minutes));
    // 1–5. Identify, register, entitle, classify, prioritise, route.
    let mut new = NewTicket::new(
        TicketKind::Incident,
        Channel::Email,
        "ana",
        "No VPN from home",
    )
    .description("Since this morning the VPN client says 'authentication failed'.")
    .category("Red/VPN")
    .impact_urgency(2, 4);
    new.services = vec!["vpn".into()];
    new.users_affected = 12;
    let t = desk.open_ticket("ana", new).await?;
    let id = t.id.clone();
    println!(
        "Registered {} (priority {}, team {:?})",
        t.folio, t.priority, t.team
    );

    // 6–8. Assign, analyse, ask the requester, escalate.
    step(5);
    desk.assign("eva", &id, Some("networks".into()), Some("eva".into()))
        .await?;
    step(10);
    desk.comment(
        "eva",
        &id,
        "Certificate expired on the RADIUS server?",
        Visibility::Internal,
    )
    .await?;
    desk.set_pending("eva", &id, "Which client version do you run?")
        .await?;
    step(30);
    desk.comment(
        "ana",
        &id,
        "Version 5.2, on Windows 11.",
        Visibility::Public,
    )
    .await?;
    step(20);
    desk.escalate(
        "eva",
        &id,
        EscalationKind::Hierarchical,
        None,
        "Needs a change window",
    )
    .await?;

    // 9. Resolve → validate (first attempt rejected).
    step(60);
    desk.propose_solution("eva", &id, "Renewed the RADIUS certificate.")
        .await?;
    step(15);
    desk.reject_solution("ana", &id, "Still failing on my laptop.")
        .await?;
    step(30);
    desk.comment(
        "eva",
        &id,
        "Pushed the new CA to your laptop; please retry.",
        Visibility::Public,
    )
    .await?;
    desk.propose_solution(
        "eva",
        &id,
        "Renewed the certificate and deployed the new CA.",
    )
    .await?;
    step(10);
    desk.confirm_solution("ana", &id).await?;

    // SLA: every target computed from the history on the Madrid calendar, waits excluded.
    if let Some(sla) = desk.sla("sue", &id).await? {
        println!(
            "\nSLA policy `{}`, calendar `{}`:",
            sla.policy, sla.calendar
        );
        for t in &sla.targets {
            println!(
                "  {:<15} {:<8} {:>4} min of {:>4} min business time",
                t.target.as_str(),
                format!("{:?}", t.state).to_lowercase(),
                t.elapsed.num_minutes(),
                t.budget.num_minutes()
            );
        }
    }

    // 10–11. Survey, owner review and closure.
    desk.rate("ana", &id, 4, Some("Quick once escalated".into()))
        .await?;
    step(60);
    let t = desk
        .close("sue", &id, Some("Reviewed: root cause documented".into()))
        .await?;

    println!(
        "\nTimeline of {} — {} ({} reopen, status {})",
        t.folio, t.title, t.reopen_count, t.status
    );
    for e in desk.history("sue", &id).await? {
        println!(
            "  #{:<2} {}  {:<4} {:<18} {}",
            e.sequence,
            e.at.format("%Y-%m-%d %H:%M"),
            e.actor,
            e.event.type_name(),
            &e.hash[..12]
        );
    }
    let requester_view = desk.history("ana", &id).await?;
    println!(
        "\nThe requester sees {} of those events (no internal notes).",
        requester_view.len()
    );
    let check = desk.verify(&id).await?;
    println!(
        "History verified: {} events, intact = {}",
        check.checked,
        check.is_intact()
    );
    Ok(())
}
