//! Concurrent commands through the facade: conflicts are re-decided, nothing is lost.

mod common;

use std::sync::Arc;

use common::{desk, incident};
use foliodesk::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_comments_are_all_kept_in_one_chain() {
    let f = desk().await;
    let desk = Arc::new(f.desk);
    let t = desk
        .open_ticket("ana", incident("Shared drive slow"))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|w| {
            let (desk, id) = (desk.clone(), t.id.clone());
            tokio::spawn(async move {
                for i in 0..5 {
                    let body = format!("worker {w} note {i}");
                    desk.comment("bob", &id, body, Visibility::Internal)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let t = desk.ticket("bob", &t.id).await.unwrap();
    assert_eq!(t.comments.len(), 40, "no lost update");
    let numbers: Vec<u32> = t.comments.iter().map(|c| c.number).collect();
    assert_eq!(
        numbers,
        (1..=40).collect::<Vec<_>>(),
        "numbered in chain order"
    );
    assert_eq!(t.version, 41);
    assert!(desk.verify(&t.id).await.unwrap().is_intact());
}

#[tokio::test]
async fn reopening_keeps_a_supervisor_set_in_the_directory() {
    let f = desk().await;
    let store = f.desk.store().clone();
    let config = f.desk.config().clone();
    assert_eq!(
        f.desk.team("service-desk").await.unwrap().supervisor,
        Some("sue".into())
    );
    let again = Desk::with_store(
        store,
        DeskOptions {
            config: Some(config),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        again.team("service-desk").await.unwrap().supervisor,
        Some("sue".into())
    );
}
