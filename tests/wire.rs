//! The JSON surface the bindings call: every listed operation dispatches, arguments are
//! decoded with errors naming them, and the process runs end to end. Parity with the
//! facade is `tests/api.rs`.

mod common;

use common::desk;
use foliodesk::wire::{call, error_json, OPERATIONS};
use foliodesk::ErrorKind;
use serde_json::json;

#[tokio::test]
async fn every_listed_operation_dispatches() {
    let f = desk().await;
    for op in OPERATIONS.iter() {
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
