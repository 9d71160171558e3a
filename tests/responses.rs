//! Canned responses and macros through the facade: rendered for the ticket with the names
//! and folio filled in, offered by team, applied in one append that the process checks
//! step by step; bad templates are refused when the configuration is read.

mod common;

use common::{desk_at, example_config, incident};
use foliodesk::*;

const RESPONSES: &str = r#"
[[responses]]
id = "ask-logs"
title = "Pedir registros"
category = "Diagnóstico"
body = "Hola {{ requester }}: ¿puede enviarnos el registro de {{ ticket.folio }}? {{ agent }}"

[[responses]]
id = "restart"
title = "Reinicio del concentrador"
teams = ["networks"]
visibility = "internal"
body = "Concentrador reiniciado."

[[responses]]
id = "typo"
title = "Con errata"
body = "{{ ticket.no_such_field }}"

[[macros]]
id = "ask-for-logs"
title = "Esperando registros"
response = "ask-logs"
tags = ["waiting-logs"]
status = "pending"

[[macros]]
id = "restart-vpn"
title = "Reiniciar VPN"
teams = ["networks"]
response = "restart"
"#;

fn config() -> Config {
    let extra = Config::from_toml_str(RESPONSES, "<responses>").unwrap();
    let mut c = example_config();
    c.responses = extra.responses;
    c.macros = extra.macros;
    c
}

#[tokio::test]
async fn responses_render_and_macros_apply_in_one_append() {
    let f = desk_at("memory://", config()).await;
    let d = &f.desk;
    let t = d.open_ticket("ana", incident("Sin VPN")).await.unwrap();
    let t = d
        .assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();

    // Bob (service desk) is offered the team-free responses, rendered for this ticket.
    let offered = d.responses("bob", &t.id).await;
    let e = offered.unwrap_err();
    assert_eq!(
        e.field(),
        Some("responses.typo.body"),
        "a misspelt variable: {e}"
    );
    let mut ok = config();
    ok.responses.retain(|r| r.id != "typo");
    let f = desk_at("memory://", ok).await;
    let d = &f.desk;
    let t = d.open_ticket("ana", incident("Sin VPN")).await.unwrap();
    let t = d
        .assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    let offered = d.responses("bob", &t.id).await.unwrap();
    assert_eq!(
        offered.len(),
        1,
        "the networks-only one is not offered: {offered:?}"
    );
    let expected = format!("Hola ANA: ¿puede enviarnos el registro de {}? BOB", t.folio);
    assert_eq!(offered[0].body, expected);
    assert_eq!(d.responses("eva", &t.id).await.unwrap().len(), 2);
    let e = d.responses("ana", &t.id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");

    // The macro: tag, public answer, waiting on the requester — one append.
    let before = t.version;
    let after = d.apply_macro("bob", &t.id, "ask-for-logs").await.unwrap();
    assert_eq!(after.status, Status::Pending);
    assert!(after.tags.contains(&"waiting-logs".to_owned()));
    assert_eq!(after.comments.last().unwrap().body, expected);
    let history = d.history("bob", &t.id).await.unwrap();
    let added: Vec<&str> = (history.iter())
        .filter(|e| e.sequence > before)
        .map(|e| e.event.type_name())
        .collect();
    assert_eq!(added, ["edited", "commented", "pending_set"]);
    let at: std::collections::BTreeSet<_> = (history.iter())
        .filter(|e| e.sequence > before)
        .map(|e| e.at)
        .collect();
    assert_eq!(at.len(), 1, "one command, one instant");

    // Refusals: another team's macro, an unknown one, a status the process refuses.
    let e = d
        .apply_macro("bob", &t.id, "restart-vpn")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let e = d.apply_macro("bob", &t.id, "nope").await.unwrap_err();
    assert_eq!(e.field(), Some("macro_id"), "{e}");
    let e = d
        .apply_macro("bob", &t.id, "ask-for-logs")
        .await
        .unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::InvalidTransition,
        "pending already: {e}"
    );
    assert_eq!(d.ticket("bob", &t.id).await.unwrap().version, after.version);
    assert_eq!(d.macros("bob").await.unwrap().len(), 1);
    assert!(d.macros("ana").await.unwrap().is_empty());
}

#[test]
fn bad_responses_and_macros_are_refused_with_the_field() {
    let bad = |toml: &str| Config::from_toml_str(toml, "<t>").unwrap_err();
    let e = bad("[[responses]]\nid = \"a\"\ntitle = \"A\"\nbody = \"{{ ticket.folio \"\n");
    assert!(e.to_string().contains("responses[0].body"), "{e}");
    let e = bad("[[macros]]\nid = \"m\"\ntitle = \"M\"\nresponse = \"none\"\n");
    assert!(e.to_string().contains("macros[0].response"), "{e}");
    let e = bad("[[responses]]\nid = \"a\"\ntitle = \"A\"\nbody = \"x\"\n[[macros]]\nid = \"m\"\ntitle = \"M\"\nstatus = \"resolved\"\n");
    assert!(e.to_string().contains("macros[0].status"), "{e}");
}
