//! Reports and the dashboard through the facade on every backend: a week of the example
//! desk — answered, escalated, reopened, cancelled, waiting and untouched tickets, calls —
//! gives the KPI figures worked out by hand, the same on every backend as on the reference
//! memory store; the dashboard sees the live backlog; typed refusals.

mod common;

use chrono::Duration;
use common::{desk_at, example_config, incident};
use foliodesk::core::contact::Contact;
use foliodesk::report::{Chart, Every, Report, ReportRequest, Window};
use foliodesk::*;

fn week() -> ReportRequest {
    ReportRequest {
        window: Window {
            from: "2026-03-02".parse().unwrap(),
            to: "2026-03-09".parse().unwrap(),
            time_zone: "Europe/Madrid".into(),
            every: Every::Day,
        },
        team: None,
    }
}

fn call(id: &str, at: chrono::DateTime<chrono::Utc>, answer_after: Option<i64>) -> Contact {
    Contact {
        id: id.into(),
        channel: Channel::Phone,
        from: "+34600111222".into(),
        started_at: at,
        answered_at: answer_after.map(|s| at + Duration::seconds(s)),
        ended_at: None,
        abandoned: answer_after.is_none(),
        agent: None,
        ticket: None,
    }
}

/// Monday 2 March 2026 from 10:00 Madrid: five tickets, two calls; the report is read on
/// Tuesday at 10:00 Madrid.
async fn week_of(url: &str) -> (Report, Desk, common::Fixture) {
    let f = desk_at(url, example_config()).await;
    let d = f.desk.clone();
    let sd = Some(TeamId::from("service-desk"));
    let mut ids = Vec::new();
    for title in [
        "VPN caída",
        "Correo lento",
        "Impresora",
        "Duplicado",
        "Pantalla",
    ] {
        ids.push(d.open_ticket("ana", incident(title)).await.unwrap().id);
        f.clock.advance(Duration::minutes(1));
    }
    let bob = || UserId::from("bob");
    // 1: answered at N1 in 10 minutes, solved, confirmed, rated 5: first contact resolution.
    d.assign("bob", &ids[0], sd.clone(), Some(bob()))
        .await
        .unwrap();
    f.clock.advance(Duration::minutes(10));
    d.comment("bob", &ids[0], "Mirando", Visibility::Public)
        .await
        .unwrap();
    f.clock.advance(Duration::minutes(50));
    d.propose_solution("bob", &ids[0], "Reiniciado")
        .await
        .unwrap();
    d.confirm_solution("ana", &ids[0]).await.unwrap();
    d.rate("ana", &ids[0], 5, None).await.unwrap();
    // 2: escalated to networks, solved there, rejected once (a reopen), solved again.
    d.assign("bob", &ids[1], sd.clone(), Some(bob()))
        .await
        .unwrap();
    let kind = EscalationKind::Functional;
    let networks = Some(TeamId::from("networks"));
    d.escalate("bob", &ids[1], kind, networks, "red")
        .await
        .unwrap();
    d.assign("eva", &ids[1], None, Some("eva".into()))
        .await
        .unwrap();
    d.propose_solution("eva", &ids[1], "Router").await.unwrap();
    d.reject_solution("ana", &ids[1], "sigue").await.unwrap();
    f.clock.advance(Duration::minutes(30));
    d.propose_solution("eva", &ids[1], "Router cambiado")
        .await
        .unwrap();
    // 3: untouched. 4: cancelled. 5: waiting on the requester.
    d.cancel("bob", &ids[3], CancelReason::Duplicate, "ver VPN")
        .await
        .unwrap();
    d.assign("bob", &ids[4], sd.clone(), Some(bob()))
        .await
        .unwrap();
    d.set_pending("bob", &ids[4], "¿modelo?").await.unwrap();
    let t0 = f.clock.now();
    d.record_contact(SYSTEM, call("c1", t0, Some(20)))
        .await
        .unwrap();
    d.record_contact(SYSTEM, call("c2", t0 + Duration::minutes(1), None))
        .await
        .unwrap();
    d.record_contact(SYSTEM, call("c3", t0 + Duration::minutes(2), Some(40)))
        .await
        .unwrap();
    f.clock.set("2026-03-03T09:00:00Z".parse().unwrap());
    let report = d.report("sue", week().window, None).await.unwrap();
    (report, d, f)
}

async fn scenario(url: &str) {
    let (r, d, _f) = week_of(url).await;
    let c = &r.current;
    assert_eq!((c.volume, r.previous.volume), (5, 0));
    assert_eq!(c.by_channel.get("email"), Some(&5));
    assert_eq!(c.by_kind.get("incident"), Some(&5));
    assert_eq!(c.resolved, 2, "{c:#?}");
    // Opened 09:00, answered 09:15 (UTC): 15 minutes, all within Madrid's office hours.
    let first = d.ticket("sue", &r_ids(&d).await[0]).await.unwrap();
    let answered =
        first.milestones.first_response_at.unwrap() - first.milestones.opened_at.unwrap();
    assert_eq!(answered, Duration::minutes(15));
    assert_eq!(
        c.first_response.calendar.p90,
        15 * 60,
        "{:?}",
        c.first_response
    );
    assert_eq!(c.first_response.business.p90, 15 * 60);
    assert_eq!(c.first_contact_resolution.part, 1);
    assert_eq!(c.first_contact_resolution.of, 2);
    assert_eq!(c.reopen_rate.part, 1);
    assert_eq!(c.functional_escalation.part, 1);
    assert_eq!(c.satisfaction.distribution, [0, 0, 0, 0, 1]);
    assert_eq!(c.satisfaction.response_rate.of, 1);
    let bob = c.technicians.iter().find(|t| t.agent == "bob").unwrap();
    assert_eq!((bob.volume, bob.resolved), (2, 1), "{bob:?}");
    assert!(c.sla_by_target.contains_key("first_response"), "{c:#?}");
    assert_eq!(r.series.len(), 7);
    assert_eq!(r.series[0].opened, 5, "all opened on Monday, Madrid time");
    assert_eq!(r.series.iter().map(|p| p.opened).sum::<u64>(), 5);
    assert_eq!(r.backlog.total, 2, "untouched and waiting");
    assert_eq!(r.backlog.validating, 1);
    assert_eq!((r.contacts.total, r.contacts.answered), (3, 2));
    assert_eq!(r.contacts.abandonment.part, 1);
    assert_eq!(r.contacts.answer_time.p90, 40);

    // The same figures as the reference store.
    let (reference, _, _) = week_of("memory://").await;
    assert_eq!(r.current, reference.current);
    assert_eq!(r.series, reference.series);
    assert_eq!(r.backlog, reference.backlog);
    assert_eq!(r.contacts, reference.contacts);
    let csv = String::from_utf8(r.csv(Default::default()).unwrap()).unwrap();
    assert!(csv.contains("volume,opened,*,current,5\n"), "{csv}");

    // Charts: SVG documents with their titles and labels as text.
    for (chart, words) in [
        (Chart::Trend, ["Tickets opened and resolved", "2026-03-02"]),
        (Chart::SlaByPriority, ["SLA compliance by priority", "P3"]),
        (Chart::BacklogAge, ["Backlog by age", "&lt;1d"]),
        (Chart::Technicians, ["Tickets per technician", "bob"]),
    ] {
        let svg = d
            .report_chart("sue", week().window, None, chart)
            .await
            .unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{chart}"
        );
        for w in words {
            assert!(svg.contains(w), "{chart}: no {w:?} in {svg}");
        }
    }

    // The dashboard: live tickets of the desk, and of one team.
    let all = d.dashboard("sue", None, 60, "Europe/Madrid").await.unwrap();
    assert_eq!((all.in_hand, all.new_unassigned, all.unassigned), (2, 1, 1));
    assert_eq!((all.waiting_on_requester, all.validating), (1, 1));
    assert_eq!(all.per_level.get("n1"), Some(&2));
    assert!(all.oldest.is_some());
    let sd = d
        .dashboard("bob", Some("service-desk".into()), 60, "UTC")
        .await
        .unwrap();
    assert_eq!(sd.in_hand, 1, "the untouched ticket has no team: {sd:?}");

    // The desk itself (a host's scheduled job) may report too.
    let system = d.report(SYSTEM, week().window, None).await.unwrap();
    assert_eq!(system.current, r.current);

    // Refusals, typed and named.
    let e = d.dashboard("bob", None, 60, "UTC").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let e = d.report("ana", week().window, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let e = d
        .dashboard("sue", None, 60, "Mars/Olympus")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("time_zone"), "{e}");
    let mut bad = week();
    bad.window.to = bad.window.from;
    let e = d.report("sue", bad.window, None).await.unwrap_err();
    assert_eq!(e.field(), Some("window.to"), "{e}");
}

/// The week's tickets, oldest first.
async fn r_ids(d: &Desk) -> Vec<TicketId> {
    let page = d
        .query("sue", TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    let mut items = page.items;
    items.sort_by_key(|t| t.milestones.opened_at);
    items.into_iter().map(|t| t.id).collect()
}

on_every_backend!(scenario, "reports");

/// Packing finished tickets' facts into day blocks changes no figure: before and after,
/// for the desk and a team; a rebuild writes every row again and packs the finished ones.
async fn packed(url: &str) {
    let (_, d, f) = week_of(url).await;
    let ids = r_ids(&d).await;
    d.close("sue", &ids[0], None).await.unwrap();
    let sd = Some(TeamId::from("service-desk"));
    let figures = |r: Report| (r.current, r.previous, r.series, r.backlog);
    let desk_before = figures(d.report("sue", week().window, None).await.unwrap());
    let team_before = figures(d.report("sue", week().window, sd.clone()).await.unwrap());
    assert_eq!(desk_before.0.by_kind.get("incident"), Some(&5));

    assert_eq!(
        d.pack_report_facts(30).await.unwrap(),
        2,
        "closed and cancelled"
    );
    assert_eq!(
        d.pack_report_facts(30).await.unwrap(),
        0,
        "nothing left to pack"
    );
    let desk_after = figures(d.report("sue", week().window, None).await.unwrap());
    assert_eq!(desk_after, desk_before);
    let team_after = figures(d.report("sue", week().window, sd.clone()).await.unwrap());
    assert_eq!(team_after, team_before);

    // A rebuild writes every ticket's row again, and packs the finished ones as it ends.
    assert_eq!(d.rebuild_report_facts(SYSTEM).await.unwrap(), 5);
    assert_eq!(d.store().first_finished_fact().await.unwrap(), None);
    let rebuilt = figures(d.report("sue", week().window, None).await.unwrap());
    assert_eq!(rebuilt, desk_before);
    f.clock.advance(Duration::minutes(1));
    assert_eq!(
        d.tick().await.unwrap().packed_facts,
        0,
        "nothing left for tick"
    );
    let repacked = figures(d.report("sue", week().window, sd).await.unwrap());
    assert_eq!(repacked, team_before);
    let dash = d.dashboard("sue", None, 60, "UTC").await.unwrap();
    assert_eq!(dash.in_hand, 2, "live tickets are never packed");
}

mod packing {
    use super::*;
    on_every_backend!(packed, "report_packing");
}
