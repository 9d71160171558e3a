//! Contact records: kept by id (a later record of the same contact replaces it), read back
//! by start time in pages.

use chrono::{Duration, TimeZone, Utc};

use super::Harness;
use crate::contact::{Contact, ContactRange};
use crate::vocabulary::Channel;

fn call(id: &str, minute: i64) -> Contact {
    Contact {
        id: id.into(),
        channel: Channel::Phone,
        from: "+34 600 111 222".into(),
        started_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minute),
        answered_at: None,
        ended_at: None,
        abandoned: false,
        agent: None,
        ticket: None,
    }
}

/// `put_contact` keeps one record per id, the last written; `contacts` returns those
/// started in `[from, to)` by (start, id), `limit` at a time, resuming after `after`.
pub async fn contacts_are_kept_and_read_by_start(h: &dyn Harness) {
    let store = h.store("contacts_are_kept_and_read_by_start").await;
    let t0 = call("x", 0).started_at;
    let range = |after: Option<(chrono::DateTime<Utc>, String)>, limit| ContactRange {
        from: t0,
        to: t0 + Duration::hours(1),
        after,
        limit,
    };
    assert!(store.contacts(&range(None, 10)).await.unwrap().is_empty());
    for (id, minute) in [
        ("c-3", 30),
        ("c-1", 5),
        ("c-2", 5),
        ("late", 60),
        ("early", -1),
    ] {
        store.put_contact(call(id, minute)).await.unwrap();
    }
    // The same call, completed: answered, ended, and its start corrected.
    let mut answered = call("c-3", 20);
    answered.answered_at = Some(answered.started_at + Duration::seconds(42));
    answered.ended_at = Some(answered.started_at + Duration::minutes(4));
    answered.agent = Some("bob".into());
    answered.ticket = Some("t-1".into());
    store.put_contact(answered.clone()).await.unwrap();

    let all = store.contacts(&range(None, 10)).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c-1", "c-2", "c-3"]);
    assert_eq!(all[2], answered);
    let first = store.contacts(&range(None, 2)).await.unwrap();
    assert_eq!(first.len(), 2);
    let last = first.last().unwrap();
    let rest = store
        .contacts(&range(Some((last.started_at, last.id.clone())), 2))
        .await
        .unwrap();
    assert_eq!(rest, [answered]);
}
