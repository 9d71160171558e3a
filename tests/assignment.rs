//! Automatic assignment on every backend (seeds 000, 001): round robin, least loaded and
//! by skill, honouring absences and working calendars; functional escalation routed by a
//! rule per category and level; every choice an `assigned` event marked with its strategy.

mod common;

use chrono::{Duration, Utc};
use common::{desk_at, example_config, incident};
use foliodesk::core::assignment::{Absence, Strategy};
use foliodesk::core::config::CategoryConfig;
use foliodesk::*;

fn field_of(e: &Error) -> &str {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other}"),
    }
}

/// The example, with strategies: service desk in turn, networks by load, security by
/// skill; a manual n2 team `apps` that sorts before `networks`; and a rule sending
/// escalated hardware to networks.
fn config() -> Config {
    let mut c = example_config();
    for t in &mut c.teams {
        t.assignment = match t.id.as_str() {
            "service-desk" => Strategy::RoundRobin,
            "networks" => Strategy::LeastLoaded,
            _ => Strategy::Skill,
        };
    }
    c.teams
        .push(Team::new("apps", "Applications", SupportLevel::N2));
    let hardware = c.categories.iter_mut().find(|c| c.path == "Hardware");
    (hardware.unwrap().escalate).insert(SupportLevel::N2, "networks".into());
    for path in ["Seguridad/Malware", "Software/Correo"] {
        c.categories.retain(|c| c.path != path);
        c.categories.push(CategoryConfig {
            path: path.into(),
            team: None,
            escalate: Default::default(),
        });
    }
    c
}

async fn agent(d: &Desk, id: &str, team: &str, level: SupportLevel, skills: &[&str]) {
    let mut u = User::new(id, id.to_uppercase(), Role::Agent);
    u.teams = vec![team.into()];
    u.level = Some(level);
    u.skills = skills.iter().map(|s| s.to_string()).collect();
    d.put_user(SYSTEM, u).await.unwrap();
}

fn filed(title: &str, category: &str) -> NewTicket {
    let mut t = incident(title);
    t.category = Some(category.into());
    t
}

async fn assignee(d: &Desk, title: &str, category: &str) -> Option<String> {
    let t = d.open_ticket("ana", filed(title, category)).await.unwrap();
    t.assignee.map(|a| a.to_string())
}

async fn scenario(url: &str) {
    let f = desk_at(url, config()).await;
    let d = &f.desk;
    agent(d, "ray", "service-desk", SupportLevel::N1, &[]).await;
    agent(d, "max", "networks", SupportLevel::N2, &[]).await;
    agent(
        d,
        "sam",
        "security",
        SupportLevel::N3,
        &["Seguridad/Malware"],
    )
    .await;
    agent(d, "tom", "security", SupportLevel::N3, &["vpn"]).await;

    // Round robin: members in id order, whoever opened the ticket.
    let mut turns = Vec::new();
    for n in 0..4 {
        turns.push(assignee(d, &format!("Pantalla {n}"), "Hardware").await);
    }
    let names = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
    assert_eq!(turns, names(&["bob", "ray", "sue", "bob"]));
    let t = d
        .open_ticket("ana", filed("Teclado", "Hardware"))
        .await
        .unwrap();
    assert_eq!(t.status, Status::Open);
    let history = d.history("sue", &t.id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.actor.as_str(), "ana");
    match &last.event {
        Event::Assigned {
            assignee, strategy, ..
        } => {
            assert_eq!(assignee.as_ref().map(|a| a.as_str()), Some("ray"));
            assert_eq!(*strategy, Some(Strategy::RoundRobin));
        }
        other => panic!("expected the strategy's assignment, got {other:?}"),
    }

    // Away members are skipped, and so are members outside their working hours.
    let mut sue = d.user("sue").await.unwrap();
    sue.away = vec![Absence {
        from: f.clock.now() - Duration::hours(1),
        until: f.clock.now() + Duration::days(2),
    }];
    d.put_user(SYSTEM, sue).await.unwrap();
    assert_eq!(assignee(d, "Ratón", "Hardware").await, names(&["bob"])[0]);
    let mut ray = d.user("ray").await.unwrap();
    ray.calendar = Some("madrid".into());
    d.put_user(SYSTEM, ray).await.unwrap();
    // Monday 19:00 in Madrid: ray's day is over.
    f.clock.set("2026-03-02T18:00:00Z".parse().unwrap());
    assert_eq!(assignee(d, "Monitor", "Hardware").await, names(&["bob"])[0]);
    f.clock.set("2026-03-03T08:30:00Z".parse().unwrap());
    assert_eq!(assignee(d, "Cable", "Hardware").await, names(&["ray"])[0]);

    // Least loaded: the lighter of eva and max, by the priorities of their open work.
    let mut urgent = filed("Caída total de la VPN", "Red/VPN");
    urgent.impact = Some(5);
    urgent.urgency = Some(5);
    let first = d.open_ticket("ana", urgent).await.unwrap();
    assert_eq!(
        first.assignee.as_ref().unwrap().as_str(),
        "eva",
        "a tie goes by id"
    );
    assert!(first.priority.get() > 3);
    let next: Vec<_> = [
        assignee(d, "VPN lenta", "Red/VPN").await,
        assignee(d, "VPN corta", "Red/VPN").await,
    ]
    .into();
    assert_eq!(next, names(&["max", "max"]), "eva carries the heavy one");

    // By skill: the category (or an ancestor) or a service; nobody skilled, nobody chosen.
    assert_eq!(
        assignee(d, "Troyano", "Seguridad/Malware").await,
        names(&["sam"])[0]
    );
    let mut phishing = filed("Correo sospechoso en la VPN", "Seguridad");
    phishing.services = vec!["vpn".into()];
    let t = d.open_ticket("ana", phishing).await.unwrap();
    assert_eq!(t.assignee.as_ref().map(|a| a.as_str()), Some("tom"));
    let t = d
        .open_ticket("ana", filed("Acceso raro", "Seguridad"))
        .await
        .unwrap();
    assert_eq!(
        (t.team.as_ref().unwrap().as_str(), t.assignee),
        ("security", None)
    );

    // Functional escalation follows the category's rule (networks, not `apps`, the first
    // n2 team by id), and networks' strategy picks the technician.
    let hw = d
        .open_ticket("ana", filed("Disco", "Hardware"))
        .await
        .unwrap();
    let up = (d.escalate("bob", &hw.id, EscalationKind::Functional, None, "red"))
        .await
        .unwrap();
    assert_eq!(up.team.as_ref().unwrap().as_str(), "networks");
    assert_eq!(
        up.assignee.as_ref().unwrap().as_str(),
        "eva",
        "5 against 3 + 3"
    );
    // Without a rule: the first n2 team, manual, so the ticket waits in its queue.
    let mail = d.open_ticket("ana", filed("Buzón lleno", "Software/Correo"));
    let mail = mail.await.unwrap();
    let mail = d
        .assign("bob", &mail.id, None, Some("bob".into()))
        .await
        .unwrap();
    let up = (d.escalate("bob", &mail.id, EscalationKind::Functional, None, "n2"))
        .await
        .unwrap();
    assert_eq!((up.team.unwrap().as_str(), up.assignee), ("apps", None));

    // Assigning to a team alone lets the team choose; naming a technician does not.
    let t = d
        .open_ticket("ana", filed("Wifi", "Software/Correo"))
        .await
        .unwrap();
    assert_eq!(t.assignee, None, "the category routes nowhere");
    let t = d
        .assign("bob", &t.id, Some("networks".into()), None)
        .await
        .unwrap();
    assert!(t.assignee.is_some());
    let t = d
        .assign("sue", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    assert_eq!(t.assignee.unwrap().as_str(), "bob");

    bad_input(d).await;
}

async fn bad_input(d: &Desk) {
    let mut u = d.user("bob").await.unwrap();
    u.calendar = Some("nowhere".into());
    let e = d.put_user(SYSTEM, u.clone()).await.unwrap_err();
    assert_eq!(field_of(&e), "user.calendar", "{e}");
    u.calendar = None;
    let now = Utc::now();
    u.away = vec![Absence {
        from: now,
        until: now,
    }];
    let e = d.put_user(SYSTEM, u.clone()).await.unwrap_err();
    assert_eq!(field_of(&e), "user.away[0].until", "{e}");
    u.away.clear();
    u.skills = vec![" ".into()];
    let e = d.put_user(SYSTEM, u).await.unwrap_err();
    assert_eq!(field_of(&e), "user.skills[0]", "{e}");
    let mut ana = d.user("ana").await.unwrap();
    ana.skills = vec!["Hardware".into()];
    let e = d.put_user(SYSTEM, ana).await.unwrap_err();
    assert_eq!(field_of(&e), "user.skills", "{e}");
    assert_eq!(d.user("bob").await.unwrap().skills, Vec::<String>::new());
}

#[test]
fn configuration_errors_name_the_key() {
    let bad = |toml: &str| {
        Config::from_toml_str(toml, "desk.toml")
            .unwrap_err()
            .to_string()
    };
    let e = bad("[[teams]]\nid = \"a\"\nname = \"A\"\nlevel = \"n1\"\nassignment = \"fastest\"");
    assert!(e.contains("assignment") && e.contains("fastest"), "{e}");
    let e = bad("[[categories]]\npath = \"Red\"\nescalate = { n1 = \"networks\" }");
    assert!(e.contains("categories[0].escalate.n1"), "{e}");
    let e = bad(concat!(
        "[[teams]]\nid = \"net\"\nname = \"Net\"\nlevel = \"n3\"\n",
        "[[categories]]\npath = \"Red\"\nescalate = { n2 = \"net\" }"
    ));
    assert!(
        e.contains("categories[0].escalate.n2") && e.contains("n3"),
        "{e}"
    );
}

on_every_backend!(scenario, "assignment");
