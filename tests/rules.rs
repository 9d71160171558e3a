//! Rules that act without a person, on every backend (seeds 000, 004): a reminder and an
//! abandonment after business days pending, found by `tick` through the due index; closing
//! after a good rating; a rule that retriggers itself stops at the depth limit; every action
//! attributed to its rule.

mod common;

use common::{desk_at, incident};
use foliodesk::core::automation::MAX_DEPTH;
use foliodesk::*;

fn config() -> Config {
    let rules = r#"
        [[responses]]
        id = "echo"
        title = "Eco"
        visibility = "internal"
        body = "Visto en {{ ticket.folio }}."

        [[rules]]
        id = "remind-pending"
        after = { since = "pending", duration = "16h", calendar = "madrid" }
        when = { status = ["pending"] }
        then = [{ action = "remind_requester" }]

        [[rules]]
        id = "abandon"
        after = { since = "pending", duration = "40h", calendar = "madrid" }
        when = { status = ["pending"] }
        then = [{ action = "cancel", reason = "withdrawn", note = "Sin respuesta en 5 días laborables" }]

        [[rules]]
        id = "close-rated-well"
        on = ["rated"]
        when = { status = ["confirmed"], min_score = 4 }
        then = [{ action = "close", note = "Cerrado tras una buena valoración" }]

        [[rules]]
        id = "file-vpn"
        on = ["opened"]
        when = { tags = ["vpn"] }
        then = [{ action = "reclassify", category = "Red/VPN" }, { action = "add_tags", tags = ["auto"] }]

        [[rules]]
        id = "echo"
        on = ["commented"]
        when = { tags = ["loop"] }
        then = [{ action = "comment", response = "echo" }]
    "#;
    let example = include_str!("../examples/foliodesk.toml");
    Config::from_toml_str(&format!("{example}\n{rules}"), "<rules>").unwrap()
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

/// `(actor, type)` of the ticket's events after the first `skip`.
async fn tail(d: &Desk, id: &TicketId, skip: usize) -> Vec<(String, &'static str)> {
    let h = d.history("sue", id).await.unwrap();
    (h.iter().skip(skip))
        .map(|e| (e.actor.to_string(), e.event.type_name()))
        .collect()
}

async fn pending(d: &Desk, title: &str) -> Ticket {
    let t = d.open_ticket("ana", incident(title)).await.unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.set_pending("bob", &t.id, "¿Qué modelo es?")
        .await
        .unwrap()
}

async fn scenario(url: &str) {
    let f = desk_at(url, config()).await;
    let d = &f.desk;
    // Monday 10:00 in Madrid: 16 open hours (two 8-hour days) end Wednesday 10:00, 09:00 UTC.
    let silent = pending(d, "Impresora sin conexión").await;
    let answered = pending(d, "Pantalla parpadea").await;
    d.comment("ana", &answered.id, "Es un Dell P2419H", Visibility::Public)
        .await
        .unwrap();
    assert!(d
        .tick_at(at("2026-03-04T08:59:00Z"))
        .await
        .unwrap()
        .rules_fired
        .is_empty());
    let before = d.history("sue", &silent.id).await.unwrap().len();
    let report = d.tick_at(at("2026-03-04T09:01:00Z")).await.unwrap();
    assert_eq!(
        report.rules_fired,
        vec![(silent.id.clone(), "remind-pending".to_owned())]
    );
    let rule = "rule:remind-pending".to_owned();
    assert_eq!(
        tail(d, &silent.id, before).await,
        [(rule.clone(), "rule_fired"), (rule, "status_reported")]
    );
    let again = d.tick_at(at("2026-03-04T12:00:00Z")).await.unwrap();
    assert!(again.rules_fired.is_empty(), "a trigger is answered once");

    // 40 open hours (the 7-hour Friday included) end Monday 9 March, 11:00 in Madrid.
    let report = d.tick_at(at("2026-03-09T10:30:00Z")).await.unwrap();
    assert_eq!(
        report.rules_fired,
        vec![(silent.id.clone(), "abandon".to_owned())]
    );
    let t = d.ticket("sue", &silent.id).await.unwrap();
    assert_eq!(t.status, Status::Cancelled);
    assert_eq!(t.cancellation.unwrap().reason, CancelReason::Withdrawn);
    let t = d.ticket("sue", &answered.id).await.unwrap();
    assert_eq!(t.status, Status::Open, "the reply stopped both rules");

    // Moving on after the rating (seed 004): a good score closes, a poor one waits.
    for (title, score, status) in [
        ("Correo lleno", 5, Status::Closed),
        ("VPN lenta", 2, Status::Confirmed),
    ] {
        let t = d.open_ticket("ana", incident(title)).await.unwrap();
        d.assign("bob", &t.id, None, Some("bob".into()))
            .await
            .unwrap();
        d.propose_solution("bob", &t.id, "Hecho").await.unwrap();
        d.confirm_solution("ana", &t.id).await.unwrap();
        let rated = d.rate("ana", &t.id, score, None).await.unwrap();
        assert_eq!(rated.status, status, "score {score}");
        let closer = d.history("sue", &t.id).await.unwrap();
        let closed_by = closer.iter().find(|e| e.event.type_name() == "closed");
        assert_eq!(
            closed_by.map(|e| e.actor.to_string()),
            (score >= 4).then(|| "rule:close-rated-well".to_owned())
        );
    }

    // Setting fields: a tagged ticket is filed by the rule in the same breath as opened.
    let mut vpn = incident("No conecta");
    vpn.tags = vec!["vpn".into()];
    let t = d.open_ticket("ana", vpn).await.unwrap();
    assert_eq!(t.category.unwrap().as_str(), "Red/VPN");
    assert_eq!(t.tags, ["vpn", "auto"]);

    // A rule that answers its own event stops at the depth limit.
    let mut looped = incident("Bucle");
    looped.tags = vec!["loop".into()];
    let t = d.open_ticket("ana", looped).await.unwrap();
    let t = d
        .comment("bob", &t.id, "Miro", Visibility::Internal)
        .await
        .unwrap();
    let fired = tail(d, &t.id, 0).await;
    let echoes = fired.iter().filter(|e| e.1 == "rule_fired").count();
    assert_eq!(echoes, MAX_DEPTH, "{fired:?}");
    assert_eq!(t.comments.len(), 1 + MAX_DEPTH);
    assert_eq!(
        t.milestones.first_response_at, None,
        "a rule's words are no agent's answer (bob's note is internal)"
    );

    let e = d
        .put_user(SYSTEM, User::new("rule:x", "X", Role::Agent))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "user.id"),
        "{e}"
    );
}

#[test]
fn bad_rules_name_the_key() {
    let bad = |rule: &str| {
        let text = format!("[[rules]]\nid = \"r\"\n{rule}");
        Config::from_toml_str(&text, "desk.toml")
            .unwrap_err()
            .to_string()
    };
    let remind = "then = [{ action = \"remind_requester\" }]";
    let cases = [
        (remind.to_string(), "rules[0].on"),
        (
            format!(
                "on = [\"rated\"]\nafter = {{ since = \"opened\", duration = \"1h\" }}\n{remind}"
            ),
            "rules[0].on",
        ),
        (format!("on = [\"rattled\"]\n{remind}"), "rules[0].on[0]"),
        ("on = [\"rated\"]\nthen = []".to_owned(), "rules[0].then"),
        (
            "on = [\"rated\"]\nthen = [{ action = \"comment\", response = \"nope\" }]".to_owned(),
            "rules[0].then[0].response",
        ),
        (
            format!(
                "after = {{ since = \"opened\", duration = \"1h\", calendar = \"x\" }}\n{remind}"
            ),
            "rules[0].after.calendar",
        ),
        (
            format!("on = [\"rated\"]\nwhen = {{ min_score = 9 }}\n{remind}"),
            "rules[0].when.min_score",
        ),
        (
            "on = [\"rated\"]\nthen = [{ action = \"reclassify\", category = \"Nope\" }]"
                .to_owned(),
            "rules[0].then[0].category",
        ),
    ];
    for (rule, key) in cases {
        let e = bad(&rule);
        assert!(e.contains(key), "{key}: {e}");
    }
}

on_every_backend!(scenario, "rules");
