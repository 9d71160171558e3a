//! ISO 27001 enforced: a security incident is not resolved before its discovery is
//! recorded, nor closed before the responsible person's action and the follow-up control;
//! each refusal names every missing field, and what is required is configuration.

mod common;

use common::{desk_with, example_config};
use foliodesk::core::{DiscovererAction, Severity};
use foliodesk::*;

fn seguridad() -> NewTicket {
    common::incident("Phishing mail opened").category("Seguridad")
}

#[tokio::test]
async fn a_security_incident_needs_its_record_to_resolve_and_close() {
    let f = desk_with(example_config()).await;
    let d = &f.desk;
    let t = d.open_ticket("ana", seguridad()).await.unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    let err = d.propose_solution("bob", &t.id, "Reset").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("security.discovered_where"));
    for field in [
        "discovered_at",
        "discovered_by",
        "discoverer_action",
        "reported_to",
        "report_written_at",
        "severity",
    ] {
        assert!(
            err.to_string().contains(&format!("security.{field}")),
            "{err}"
        );
    }
    let now = d.now();
    let discovery = SecurityRecord {
        discovered_where: Some("Mail gateway".into()),
        discovered_at: Some(now),
        discovered_by: Some("Ana".into()),
        discoverer_action: Some(DiscovererAction::Reported),
        reported_to: Some("SOC".into()),
        report_written_at: Some(now),
        severity: Some(Severity::Medium),
        ..Default::default()
    };
    d.update_security("bob", &t.id, discovery).await.unwrap();
    d.propose_solution("bob", &t.id, "Credentials reset")
        .await
        .unwrap();
    d.confirm_solution("ana", &t.id).await.unwrap();
    let err = d.close("sue", &t.id, None).await.unwrap_err();
    assert_eq!(err.field(), Some("security.responsible_action"), "{err}");
    assert!(err.to_string().contains("security.follow_up_at"), "{err}");
    let control = SecurityRecord {
        responsible_action: Some("Blocked the sender domain".into()),
        follow_up_by: Some("sue".into()),
        follow_up_at: Some(now),
        ..Default::default()
    };
    d.update_security("bob", &t.id, control).await.unwrap();
    let closed = d.close("sue", &t.id, None).await.unwrap();
    assert_eq!(closed.status, Status::Closed);
}

#[tokio::test]
async fn requirements_are_configuration() {
    let mut config = example_config();
    config.security.require_to_resolve.clear();
    config.lifecycle.require_owner_review = false;
    let f = desk_with(config).await;
    let d = &f.desk;
    let t = d.open_ticket("ana", seguridad()).await.unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &t.id, "Reset").await.unwrap();
    // Without owner review a confirmation closes, but not an incomplete security incident.
    let t = d.confirm_solution("ana", &t.id).await.unwrap();
    assert_eq!(t.status, Status::Confirmed);
    // An ordinary incident is untouched by the policy.
    let plain = d
        .open_ticket("ana", common::incident("Printer"))
        .await
        .unwrap();
    d.assign("bob", &plain.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &plain.id, "Toner").await.unwrap();
    let plain = d.confirm_solution("ana", &plain.id).await.unwrap();
    assert_eq!(plain.status, Status::Closed);

    let bad = Config::from_toml_str("[security]\nrequire_to_close = [\"who\"]", "desk.toml");
    let err = bad.unwrap_err();
    assert!(
        err.to_string().contains("security.require_to_close"),
        "{err}"
    );
    let bad = Config::from_toml_str("[security]\ncategories = [\"\"]", "desk.toml");
    assert_eq!(bad.unwrap_err().field(), Some("security.categories[0]"));
}
