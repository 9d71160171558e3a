//! What every storage benchmark shares: the runtime, a scratch directory, the ticket opened,
//! and the agent-queue query.

#![allow(dead_code)]

use foliodesk::*;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Whether criterion's command-line filter (`cargo bench --bench x -- open_ticket`) can
/// select a benchmark of group `group`, so a filtered run skips the setup of groups it will
/// not measure (loading 1,000,000 tickets, say). A filter is matched as a substring, either
/// way round, which is what criterion's regular expressions amount to for plain names.
pub fn selected(group: &str) -> bool {
    // Criterion's options that take a value (`--warm-up-time 1`): the value is no filter.
    const VALUED: &[&str] = &[
        "--warm-up-time",
        "--measurement-time",
        "--sample-size",
        "--save-baseline",
        "--baseline",
        "--profile-time",
        "--noise-threshold",
        "--significance-level",
        "--confidence-level",
        "--nresamples",
        "--output-format",
        "--color",
    ];
    let mut filters: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if VALUED.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') {
            filters.push(a);
        }
    }
    filters.is_empty()
        || filters
            .iter()
            .any(|f| group.contains(f.as_str()) || f.contains(group))
}

pub fn tmp() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `n`th incident a requester reports by e-mail.
pub fn incident(n: u64) -> NewTicket {
    let mut t = NewTicket::new(
        TicketKind::Incident,
        Channel::Email,
        "ana",
        format!("VPN down {n}"),
    );
    t.description = "The VPN client says the certificate is invalid since this morning.".into();
    t
}

/// Opens `count` incidents back to back on `desk`, numbering them from `next`; the time it
/// took (the bulk-import measurement).
pub async fn open_many(
    desk: &Desk,
    count: u64,
    next: &std::sync::atomic::AtomicU64,
) -> std::time::Duration {
    let start = std::time::Instant::now();
    for _ in 0..count {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        desk.open_ticket("ana", incident(i)).await.unwrap();
    }
    start.elapsed()
}

/// About the size of a new ticket's row plus its first event, for the raw baselines.
pub fn raw_body() -> String {
    "x".repeat(1200)
}

/// Synthetic queue rows: ticket `n` is in team `team{n % 20}` with status `n % 7` (new,
/// open, pending, resolved, closed, closed, closed) — 7 and 20 are coprime, so every team
/// holds every status.
pub const TEAMS: u64 = 20;

/// The agent queue: team 7's new and open tickets, oldest first, 50 per page.
pub fn agent_queue() -> foliodesk_core::QueryTickets {
    foliodesk_core::QueryTickets {
        filter: TicketFilter {
            team: Some("team7".into()),
            status: vec![Status::New, Status::Open],
            ..TicketFilter::default()
        },
        after: None,
        limit: 50,
        newest_first: false,
    }
}

/// The status of synthetic ticket `n`.
pub fn status_of(n: u64) -> Status {
    match n % 7 {
        0 => Status::New,
        1 => Status::Open,
        2 => Status::Pending,
        3 => Status::Resolved,
        _ => Status::Closed,
    }
}

/// A desk on `store` with the example configuration (routing by category, SLA policies,
/// notification rules) and its people: what "open a ticket" costs in a real deployment.
pub async fn example_desk(store: std::sync::Arc<dyn foliodesk_core::store::Store>) -> Desk {
    let config = load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ));
    let options = DeskOptions {
        config: Some(config.unwrap()),
        clock: None,
    };
    let desk = Desk::with_store(store, options).await.unwrap();
    desk.put_organisation(SYSTEM, Organisation::new("acme", "ACME"))
        .await
        .unwrap();
    for (id, role, team) in [
        ("ana", Role::Requester, None),
        ("bob", Role::Agent, Some("service-desk")),
        ("eva", Role::Agent, Some("networks")),
    ] {
        let mut u = User::new(id, id.to_uppercase(), role);
        u.organisation = Some("acme".into());
        u.teams = team.into_iter().map(TeamId::from).collect();
        desk.put_user(SYSTEM, u).await.unwrap();
    }
    desk
}

/// The `n`th VPN incident: routed to the networks team, under an SLA policy, with outbox
/// rows for the requester's folio confirmation and the team.
pub fn routed_incident(n: u64) -> NewTicket {
    let mut t = incident(n);
    t.category = Some("Red/VPN".into());
    t
}

/// `count` opens of routed incidents by `writers` concurrent tasks; the time they took.
pub async fn open_concurrently(
    desk: &Desk,
    writers: u64,
    count: u64,
    next: &std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> std::time::Duration {
    let start = std::time::Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (desk, next) = (desk.clone(), next.clone());
            let share = count / writers + u64::from(w < count % writers);
            tokio::spawn(async move {
                for _ in 0..share {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    desk.open_ticket("ana", routed_incident(i)).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}

/// The Madrid calendar of the calendar benches: 09:00–14:00 and 15:00–18:00, Monday to
/// Friday, with national and regional holidays.
pub fn madrid_spec() -> foliodesk_core::calendar::CalendarSpec {
    let mut spec = foliodesk_core::calendar::CalendarSpec {
        timezone: "Europe/Madrid".into(),
        horizon_days: 1830,
        ..Default::default()
    };
    for d in ["mon", "tue", "wed", "thu", "fri"] {
        spec.hours.insert(
            d.into(),
            vec![
                ("09:00".into(), "14:00".into()),
                ("15:00".into(), "18:00".into()),
            ],
        );
    }
    spec.holidays = [
        "2026-03-19",
        "2026-04-02",
        "2026-04-03",
        "2026-05-01",
        "05-15",
        "08-15",
        "10-12",
        "11-01",
        "12-08",
        "12-25",
        "01-01",
        "01-06",
    ]
    .map(String::from)
    .to_vec();
    spec
}
