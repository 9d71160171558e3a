//! The JSON surface the bindings call: it covers every facade operation (parity), decodes
//! arguments with errors naming them, and runs the process end to end.

mod common;

use common::desk;
use foliodesk::wire::{call, error_json, OPERATIONS};
use foliodesk::ErrorKind;
use serde_json::json;

/// The public methods of `Desk`, read from its source.
fn facade_operations() -> Vec<String> {
    let mut ops = Vec::new();
    for file in [
        "src/desk.rs",
        "src/ops.rs",
        "src/tick.rs",
        "src/sla.rs",
        "src/reconfigure.rs",
        "src/anchor.rs",
        "src/directory.rs",
    ] {
        let text =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for line in text.lines() {
            let l = line.trim_start();
            let rest = l
                .strip_prefix("pub async fn ")
                .or_else(|| l.strip_prefix("pub fn "));
            if let (Some(rest), true) = (rest, line.starts_with("    pub")) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let own = ["open", "open_with", "with_store", "store", "shutdown"];
                if !own.contains(&name.as_str()) {
                    ops.push(name);
                }
            }
        }
    }
    ops
}

#[test]
fn every_facade_operation_is_on_the_wire() {
    let facade = facade_operations();
    assert!(facade.len() > 30, "read the facade: {facade:?}");
    let missing: Vec<&String> = facade
        .iter()
        .filter(|o| !OPERATIONS.contains(&o.as_str()))
        .collect();
    assert!(missing.is_empty(), "the wire lacks {missing:?}");
    let extra: Vec<&&str> = OPERATIONS
        .iter()
        .filter(|o| !facade.contains(&o.to_string()))
        .collect();
    assert!(
        extra.is_empty(),
        "the wire has {extra:?}, which the facade lacks"
    );
}

#[tokio::test]
async fn every_listed_operation_dispatches() {
    let f = desk().await;
    for op in OPERATIONS {
        // Empty arguments: either it runs or it names what is missing; never "unknown".
        if let Err(e) = call(&f.desk, op, json!({})).await {
            assert_ne!(e.field(), Some("operation"), "{op} is not dispatched");
        }
    }
    let e = call(&f.desk, "drop_everything", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("operation"))
    );
}

#[tokio::test]
async fn arguments_are_checked_and_named() {
    let f = desk().await;
    let e = call(&f.desk, "comment", json!({"actor": "bob", "id": "x"}))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.to_string().contains("body"), "{e}");
    let e = call(
        &f.desk,
        "rate",
        json!({"actor": "ana", "id": "x", "score": "five"}),
    )
    .await
    .unwrap_err();
    assert_eq!(e.field(), Some("score"));
    let e = call(&f.desk, "open_ticket", json!({"actor": "ana", "ticket": {"kind": "incident", "channel": "pigeon", "requester": "ana", "title": "t"}})).await.unwrap_err();
    assert_eq!(e.field(), Some("ticket.channel"));
    let e = call(
        &f.desk,
        "ticket",
        json!({"actor": "ana", "id": "x", "extra": 1}),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("extra"), "{e}");
    let j = error_json(&e);
    assert_eq!(j["code"], "VALIDATION");
}

#[tokio::test]
async fn the_process_runs_through_the_wire() {
    let f = desk().await;
    let d = &f.desk;
    let t = call(d, "open_ticket", json!({"actor": "ana", "ticket": {"kind": "incident", "channel": "portal", "requester": "ana", "title": "VPN down", "category": "Red/VPN"}})).await.unwrap();
    let id = t["id"].as_str().unwrap().to_owned();
    call(
        d,
        "assign",
        json!({"actor": "bob", "id": id, "assignee": "bob"}),
    )
    .await
    .unwrap();
    call(
        d,
        "comment",
        json!({"actor": "bob", "id": id, "body": "secret", "visibility": "internal"}),
    )
    .await
    .unwrap();
    call(
        d,
        "propose_solution",
        json!({"actor": "bob", "id": id, "solution": "Renewed"}),
    )
    .await
    .unwrap();
    let done = call(d, "confirm_solution", json!({"actor": "ana", "id": id}))
        .await
        .unwrap();
    assert_eq!(done["status"], "confirmed");
    let mine = call(d, "ticket", json!({"actor": "ana", "id": id}))
        .await
        .unwrap();
    assert!(
        mine["comments"].as_array().unwrap().is_empty(),
        "internal note hidden"
    );
    let page = call(
        d,
        "query",
        json!({"actor": "bob", "filter": {"status": ["confirmed"]}, "page": {"limit": 10}}),
    )
    .await
    .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let v = call(d, "verify", json!({"id": id})).await.unwrap();
    assert!(
        v["first_broken"].is_null() && v["checked"].as_u64() == Some(6),
        "{v}"
    );
    let sla = call(d, "sla", json!({"actor": "bob", "id": id}))
        .await
        .unwrap();
    assert_eq!(sla["policy"], "standard");
    assert!(
        sla["targets"][0]["elapsed"].is_i64(),
        "durations are seconds: {sla}"
    );
}

/// A binding's desk closes deterministically: later calls are refused with a typed error,
/// and the same redb file opens again in the same process at once.
#[tokio::test]
async fn a_closed_desk_releases_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("redb://{}", dir.path().join("desk.redb").display());
    let opened = foliodesk::wire::open(&url, None, None, None).await.unwrap();
    let desk = opened.desk().unwrap();
    call(&desk, "users", json!({})).await.unwrap();
    drop(desk);
    opened.close().await;
    let err = opened.desk().unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("desk"))
    );
    opened.close().await;
    let again = foliodesk::wire::open(&url, None, None, None).await.unwrap();
    assert!(again.desk().is_ok());
}
