//! Imports: a batch of tickets with their histories written in one transaction, at their
//! original instants, skipping what is stored already.

use chrono::{DateTime, Duration, Utc};

use super::{Harness, Kit};
use crate::command::{Command, NewTicket};
use crate::import::{plan, ImportStep, ImportTicket};
use crate::schedule::Rules;
use crate::store::AppendEvents;
use crate::{Channel, Status, TicketKind, UserId, Visibility};

fn past(days: i64) -> DateTime<Utc> {
    "2025-06-02T09:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::days(days)
}

fn item(reference: &str, kind: TicketKind, opened: DateTime<Utc>) -> ImportTicket {
    let step = |minutes: i64, actor: &str, command| ImportStep {
        at: opened + Duration::minutes(minutes),
        actor: UserId::new(actor),
        command,
    };
    ImportTicket {
        source: "glpi".into(),
        reference: reference.into(),
        opened_at: opened,
        opened_by: UserId::new("ana"),
        ticket: NewTicket::new(kind, Channel::Email, "ana", format!("Old case {reference}")),
        history: vec![
            step(
                5,
                "bob",
                Command::Assign {
                    team: Some("n1".into()),
                    assignee: Some("bob".into()),
                },
            ),
            step(
                30,
                "bob",
                Command::Comment {
                    body: "Mirando".into(),
                    visibility: Visibility::Public,
                },
            ),
            step(
                90,
                "bob",
                Command::ProposeSolution {
                    solution: "Cable nuevo".into(),
                },
            ),
        ],
    }
}

fn planned(kit: &Kit, items: &[ImportTicket]) -> Vec<AppendEvents> {
    // A delay long enough that the solutions are still awaiting confirmation at the import.
    let mut config = kit.config.clone();
    config.lifecycle.auto_confirm_after = std::time::Duration::from_secs(3650 * 86_400);
    let rules = Rules::new(config).expect("kit rules");
    let now = past(400);
    (items.iter())
        .map(|i| {
            plan(i, &UserId::new("system"), &rules, &kit.facts, now).expect("kit import is valid")
        })
        .collect()
}

/// `import` writes new tickets with folios drawn in order, events at their own instants
/// chained from genesis, the due index, and no notifications; the same tickets again are
/// skipped; a batch with a bad request writes nothing and draws no folio. Written tickets
/// are indexed for search in the same transaction.
pub async fn import_writes_batches_once(h: &dyn Harness) {
    let store = h.store("import_writes_batches_once").await;
    let kit = Kit::new();
    kit.seed(&*store).await;
    let items = [
        item("1001", TicketKind::Incident, past(0)),
        item("1002", TicketKind::ServiceRequest, past(1)),
        item("1003", TicketKind::Incident, past(2)),
    ];
    let batch = planned(&kit, &items);
    let folios = store.import(batch.clone()).await.expect("import");
    let want = ["INC-2025-000001", "REQ-2025-000001", "INC-2025-000002"];
    assert_eq!(folios, want.map(|f| Some(f.to_owned())));

    let id = &batch[0].ticket_id;
    let ticket = store.ticket(id).await.unwrap().expect("imported ticket");
    assert_eq!(ticket.status, Status::Resolved);
    assert_eq!(ticket.milestones.opened_at, Some(past(0)));
    assert_eq!(
        ticket.imported.as_ref().map(|r| r.reference.as_str()),
        Some("1001")
    );
    let events = store.events(id).await.unwrap();
    assert_eq!(events.len() as u64, ticket.version);
    let last = events.last().unwrap();
    assert_eq!(last.event.type_name(), "imported");
    assert_eq!((last.at, last.actor.as_str()), (past(400), "system"));
    assert_eq!(events[events.len() - 2].at, past(0) + Duration::minutes(90));
    assert!(crate::verify(&events).is_intact());
    let by_folio = store.ticket_by_folio("REQ-2025-000001").await.unwrap();
    assert_eq!(by_folio.map(|t| t.id), Some(batch[1].ticket_id.clone()));
    assert!(
        store.outbox(100).await.unwrap().is_empty(),
        "history is not news"
    );
    // Resolved tickets auto-confirm some day: the due index holds all three.
    let far = past(4000);
    assert!(store.due(past(400), 10).await.unwrap().is_empty());
    assert_eq!(store.due(far, 10).await.unwrap().len(), 3);

    // Again, with one new ticket and one repeated within the batch: only it is written.
    let mut again = batch.clone();
    let new = planned(&kit, &[item("1004", TicketKind::Incident, past(3))]);
    again.extend([new[0].clone(), new[0].clone()]);
    let folios = store.import(again).await.expect("import again");
    let want = [None, None, None, Some("INC-2025-000003".to_owned()), None];
    assert_eq!(folios, want);
    assert_eq!(
        store.events(id).await.unwrap(),
        events,
        "a skipped ticket is untouched"
    );
    // The written tickets are searchable, each indexed once.
    let mut reference = crate::search::memory::MemoryIndex::default();
    for req in batch.iter().chain(&new[..1]) {
        reference.put(req.index.clone().expect("an import indexes its tickets"));
    }
    super::search::same_answers(&*store, &reference, &["old case", "cable mirando", "1004"]).await;

    // A bad request spoils its batch: nothing of it is stored, no folio is drawn.
    let mut bad = planned(&kit, &[item("1005", TicketKind::Incident, past(4))]);
    let mut follow_up = bad[0].clone();
    follow_up.expected_version = 3;
    bad.push(follow_up);
    assert!(store.import(bad.clone()).await.is_err());
    assert!(store.ticket(&bad[0].ticket_id).await.unwrap().is_none());
    let folios = store.import(vec![bad[0].clone()]).await.expect("import");
    assert_eq!(folios, [Some("INC-2025-000004".to_owned())]);
    assert!(store.import(Vec::new()).await.unwrap().is_empty());
}
