//! A desk with a directory, on a fixed clock.

#![allow(dead_code)]

use std::sync::Arc;

use foliodesk::*;

pub mod child;

pub struct Fixture {
    pub desk: Desk,
    pub clock: Arc<FixedClock>,
}

pub async fn desk_with(config: Config) -> Fixture {
    desk_at("memory://", config).await
}

pub fn example_config() -> Config {
    foliodesk::load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))
    .unwrap()
}

/// The example configuration with its `[sla]` replaced: an `office` calendar (09:00–17:00
/// UTC, Monday to Friday) and a default policy `standard` on it with `targets` (TOML keys
/// such as `targets.p3 = {…}`), then `rules` (escalation rules, TOML).
pub fn office_sla(targets: &str, rules: &str) -> Config {
    let text = format!(
        r#"
        [sla.calendars.office]
        timezone = "UTC"
        hours = {{ mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]] }}
        [[sla.policies]]
        id = "standard"
        calendar = "office"
        default = true
        {targets}
        {rules}
        "#
    );
    let mut c = example_config();
    c.sla = Config::from_toml_str(&text, "<sla>").unwrap().sla;
    // The example's time rules count in its `madrid` calendar, gone with its `[sla]`.
    for after in c.rules.iter_mut().filter_map(|r| r.after.as_mut()) {
        after.calendar = Some("office".into());
    }
    c
}

/// The fixture's directory on a desk at `url`.
pub async fn desk_at(url: &str, config: Config) -> Fixture {
    let clock = Arc::new(FixedClock::at("2026-03-02T09:00:00Z".parse().unwrap()));
    let options = DeskOptions {
        config: Some(config),
        clock: Some(clock.clone()),
    };
    let desk = Desk::open_with(url, options).await.unwrap();
    let mut acme = Organisation::new("acme", "ACME");
    acme.services = Some(vec!["vpn".into(), "correo".into()]);
    desk.put_organisation(SYSTEM, acme).await.unwrap();
    for (id, role, team, level) in [
        ("ana", Role::Requester, None, None),
        ("leo", Role::Requester, None, None),
        (
            "bob",
            Role::Agent,
            Some("service-desk"),
            Some(SupportLevel::N1),
        ),
        ("eva", Role::Agent, Some("networks"), Some(SupportLevel::N2)),
        (
            "sue",
            Role::Supervisor,
            Some("service-desk"),
            Some(SupportLevel::N1),
        ),
    ] {
        let mut u = User::new(id, id.to_uppercase(), role);
        if role == Role::Requester {
            u.organisation = Some("acme".into());
        }
        u.teams = team.into_iter().map(TeamId::from).collect();
        u.level = level;
        desk.put_user(SYSTEM, u).await.unwrap();
    }
    let mut sd = desk.team("service-desk").await.unwrap();
    sd.supervisor = Some("sue".into());
    desk.put_team(SYSTEM, sd).await.unwrap();
    Fixture { desk, clock }
}

pub async fn desk() -> Fixture {
    desk_with(example_config()).await
}

pub fn incident(title: &str) -> NewTicket {
    NewTicket::new(TicketKind::Incident, Channel::Email, "ana", title)
}

/// A database for one SQL test, dropped when the returned guard is; `None` when the run
/// left the engine out (`FOLIODESK_SKIP`).
pub async fn fresh(
    d: foliodesk_sql::Dialect,
    name: &str,
) -> Option<foliodesk_sql::testkit::FreshDb> {
    if !foliodesk_sql::testkit::reachable(d).await {
        return None;
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    Some(foliodesk_sql::testkit::fresh_db(d, name, dir).await)
}

/// Gives each of `ids` the address `<id>@example.com`.
pub async fn with_email(desk: &Desk, ids: &[&str]) {
    for id in ids {
        let mut u = desk.user(*id).await.unwrap();
        u.email = Some(format!("{id}@example.com"));
        desk.put_user(SYSTEM, u).await.unwrap();
    }
}

/// A transport that keeps every message it is given.
#[derive(Default)]
pub struct Capture(pub std::sync::Mutex<Vec<OutgoingMessage>>);

#[async_trait::async_trait]
impl Transport for Capture {
    async fn send(&self, m: &OutgoingMessage) -> std::result::Result<(), SendError> {
        self.0.lock().unwrap().push(m.clone());
        Ok(())
    }
}

/// One `#[tokio::test]` per backend — memory, redb, SQLite, PostgreSQL, MySQL — each
/// running `$scenario(url)` on a fresh store named after `$name`.
#[macro_export]
macro_rules! on_every_backend {
    ($scenario:ident, $name:literal) => {
        #[tokio::test]
        async fn memory() {
            $scenario("memory://").await;
        }

        #[tokio::test]
        async fn redb() {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join(concat!($name, ".redb"));
            $scenario(&format!("redb://{}", file.display())).await;
        }

        async fn sql(d: foliodesk_sql::Dialect) {
            if let Some(db) = common::fresh(d, &format!(concat!($name, "_{:?}"), d)).await {
                $scenario(&db.url).await;
            }
        }

        #[tokio::test]
        async fn sqlite() {
            sql(foliodesk_sql::Dialect::Sqlite).await;
        }

        #[tokio::test]
        async fn postgres() {
            sql(foliodesk_sql::Dialect::Postgres).await;
        }

        #[tokio::test]
        async fn mysql() {
            sql(foliodesk_sql::Dialect::MySql).await;
        }
    };
}
