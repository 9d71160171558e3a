//! Conformance checks for packed report facts: a day's block replaces the rows it took in
//! only if they did not change, and only one of two packers of one day wins.

use super::Harness;
use crate::report::block::{day_of, Block, Pack, DAY};
use crate::report::{Fact, FactQuery};
use crate::status::Status;
use crate::store::Store;

const BASE: i64 = 1_772_323_200_000_000; // 2026-03-01T00:00:00Z, a day's start
const HOUR: i64 = 3_600_000_000;

pub(super) fn fact(id: &str, opened: i64, status: Status) -> Fact {
    Fact {
        ticket: id.into(),
        opened,
        kind: crate::TicketKind::Incident,
        channel: crate::Channel::Email,
        category: None,
        service: Some("vpn".into()),
        organisation: None,
        priority: 3,
        status,
        waiting_on_requester: false,
        level: crate::status::SupportLevel::N1,
        team: Some("service-desk".into()),
        assignee: Some("bob".into()),
        assigned: None,
        responded: None,
        resolved: None,
        finished: None,
        attention_business: None,
        response_business: None,
        resolution_business: None,
        reopens: 0,
        functional: 0,
        hierarchical: 0,
        satisfaction: None,
        surveyed: false,
        problem: None,
        occurrences: 1,
        security: false,
        policy: None,
        targets: Vec::new(),
        levels: Vec::new(),
        alerted: None,
    }
}

async fn rows(store: &dyn Store) -> Vec<String> {
    let q = FactQuery {
        limit: 100,
        ..FactQuery::default()
    };
    let got = store.facts(&q).await.expect("facts");
    got.into_iter().map(|f| f.ticket.to_string()).collect()
}

/// `first_finished_fact` finds the earliest finished row; `pack_facts` writes a day's
/// block at the expected version only, deletes the packed rows still holding the packed
/// fact and keeps a row changed since; `fact_blocks` reads `[from, to)` by day, limited.
pub async fn report_facts_pack_into_day_blocks(h: &dyn Harness) {
    let store = h.store("report_facts_pack_into_day_blocks").await;
    let s = store.as_ref();
    assert_eq!(s.first_finished_fact().await.expect("first"), None);
    let done_a = fact("p-a", BASE + HOUR, Status::Closed);
    let done_b = fact("p-b", BASE + 2 * HOUR, Status::Cancelled);
    let live = fact("p-c", BASE + 3 * HOUR, Status::Open);
    let next_day = fact("p-d", BASE + DAY + HOUR, Status::Closed);
    let all = vec![
        done_a.clone(),
        done_b.clone(),
        live.clone(),
        next_day.clone(),
    ];
    s.put_facts(all).await.expect("put");
    assert_eq!(
        s.first_finished_fact().await.expect("first"),
        Some(done_a.opened),
        "the earliest finished row, not the live one"
    );

    let day = day_of(done_a.opened);
    let body = Block::encode(&[done_a.clone(), done_b.clone()]).expect("encode");
    let pack = Pack {
        day,
        expected: None,
        body: body.clone(),
        packed: vec![done_a.clone(), done_b.clone()],
    };
    // p-b changes after the packer read it: its row stays and wins.
    let mut changed = done_b.clone();
    changed.satisfaction = Some(5);
    s.put_facts(vec![changed.clone()]).await.expect("change");
    assert!(s.pack_facts(pack.clone()).await.expect("pack"));
    assert_eq!(
        rows(s).await,
        ["p-b", "p-c", "p-d"],
        "p-a packed, p-b changed"
    );
    assert!(
        !s.pack_facts(pack).await.expect("second packer"),
        "the day has a block now: a packer that read none loses"
    );

    let blocks = s.fact_blocks(day, day + 2 * DAY, 10).await.expect("blocks");
    assert_eq!(blocks.len(), 1, "one block, the first day's");
    assert_eq!((blocks[0].day, blocks[0].version), (day, 1));
    assert_eq!(blocks[0].body, body);
    let plain = crate::report::block::unpack(&blocks[0].body).expect("unpack");
    let decoded = Block::decode(&plain).expect("decode");
    let facts: Vec<Fact> = decoded.entries().map(|e| decoded.fact(&e)).collect();
    assert_eq!(facts, [done_a.clone(), done_b.clone()], "facts round-trip");

    let again = Pack {
        day,
        expected: Some(1),
        body: Block::encode(&[done_a.clone(), changed.clone()]).expect("encode"),
        packed: vec![changed],
    };
    assert!(s.pack_facts(again).await.expect("repack"));
    let stale = Pack {
        day,
        expected: Some(1),
        body: Vec::new(),
        packed: Vec::new(),
    };
    assert!(
        !s.pack_facts(stale).await.expect("stale"),
        "version moved on"
    );
    assert_eq!(rows(s).await, ["p-c", "p-d"]);
    assert_eq!(
        s.first_finished_fact().await.expect("first"),
        Some(next_day.opened)
    );

    let second = Pack {
        day: day + DAY,
        expected: None,
        body: Block::encode(std::slice::from_ref(&next_day)).expect("encode"),
        packed: vec![next_day],
    };
    assert!(s.pack_facts(second).await.expect("second day"));
    assert_eq!(s.first_finished_fact().await.expect("first"), None);
    let days = |b: Vec<crate::report::block::StoredBlock>| -> Vec<(i64, u64)> {
        b.iter().map(|b| (b.day, b.version)).collect()
    };
    let both = s.fact_blocks(day, day + 2 * DAY, 10).await.expect("both");
    assert_eq!(days(both), [(day, 2), (day + DAY, 1)]);
    let first = s.fact_blocks(day, day + 2 * DAY, 1).await.expect("limit");
    assert_eq!(days(first), [(day, 2)]);
    let later = s
        .fact_blocks(day + 1, day + 2 * DAY, 10)
        .await
        .expect("from");
    assert_eq!(
        days(later),
        [(day + DAY, 1)],
        "from is inclusive of days after it"
    );
    assert!(s.fact_blocks(day, day, 10).await.expect("empty").is_empty());
    assert_eq!(rows(s).await, ["p-c"], "the live row is never packed");
}
