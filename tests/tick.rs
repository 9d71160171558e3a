//! Time-driven work: auto-confirmation of unanswered solutions.

mod common;

use chrono::Duration;
use common::{desk, desk_with, incident};
use foliodesk::*;

async fn resolved(d: &Desk) -> TicketId {
    let t = d
        .open_ticket("ana", incident("Mail bounces").category("Software/Correo"))
        .await
        .unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &t.id, "Quota raised")
        .await
        .unwrap();
    t.id
}

#[tokio::test]
async fn unanswered_solutions_auto_confirm_once() {
    let f = desk().await;
    let id = resolved(&f.desk).await;
    let other = resolved(&f.desk).await;
    f.desk.confirm_solution("ana", &other).await.unwrap();
    let start = f.desk.now();
    let early = f
        .desk
        .tick_at(start + Duration::days(3) - Duration::seconds(1))
        .await
        .unwrap();
    assert!(early.auto_confirmed.is_empty());
    let due = f.desk.tick_at(start + Duration::days(3)).await.unwrap();
    assert_eq!(due.auto_confirmed, vec![id.clone()]);
    let again = f.desk.tick_at(start + Duration::days(3)).await.unwrap();
    assert!(
        again.auto_confirmed.is_empty(),
        "ticking twice adds nothing"
    );
    let t = f.desk.ticket("sue", &id).await.unwrap();
    assert_eq!(t.status, Status::Confirmed);
    let last = f.desk.history("sue", &id).await.unwrap().pop().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.event),
        ("system", Event::SolutionConfirmed { auto: true })
    );
}

#[tokio::test]
async fn without_owner_review_confirmation_closes() {
    let mut config = foliodesk::load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))
    .unwrap();
    config.lifecycle.require_owner_review = false;
    config.lifecycle.auto_confirm_after = std::time::Duration::from_secs(3600);
    let f = desk_with(config).await;
    let id = resolved(&f.desk).await;
    f.clock.advance(Duration::hours(1));
    assert_eq!(
        f.desk.tick().await.unwrap().auto_confirmed,
        vec![id.clone()]
    );
    assert_eq!(
        f.desk.ticket("sue", &id).await.unwrap().status,
        Status::Closed
    );
}
