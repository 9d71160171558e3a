//! Conformance checks for report facts: written with the append that changes them, one per
//! ticket, read back by opening instant exactly as `FactQuery::matches` selects.

use super::{Harness, Kit};
use crate::command::Command;
use crate::report::{Fact, FactQuery};
use crate::store::{Reschedule, Store};
use crate::vocabulary::CancelReason;

async fn all(store: &dyn Store, q: FactQuery) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::new();
    loop {
        let page = store
            .facts(&FactQuery {
                after: out.last().map(|f| (f.opened, f.ticket.clone())),
                ..q.clone()
            })
            .await
            .expect("facts");
        let done = page.len() < q.limit as usize;
        out.extend(page);
        if done {
            return out;
        }
    }
}

/// Each append writes its ticket's fact in place of the old one; `facts` filters by
/// opening instant and liveness, pages by (opened, ticket) without repeats or gaps;
/// `put_facts` replaces; a reschedule writes its fact only when it applies.
pub async fn report_facts_follow_appends(h: &dyn Harness) {
    let store = h.store("report_facts_follow_appends").await;
    let kit = Kit::new();
    kit.seed(store.as_ref()).await;
    let mut tickets = Vec::new();
    // Two tickets share an instant: the id breaks the tie.
    for (id, minute) in [
        ("f-b", 0),
        ("f-a", 0),
        ("f-ñ 'x'", 10),
        ("f-c", 20),
        ("f-d", 30),
    ] {
        let t = store
            .append(kit.incident(id, Kit::at(minute)))
            .await
            .expect("open");
        tickets.push(t.ticket);
    }
    let assign = Command::Assign {
        team: None,
        assignee: Some("bob".into()),
    };
    let a = store
        .append(kit.then(&tickets[2], Kit::at(40), "bob", assign))
        .await
        .expect("assign")
        .ticket;
    let cancel = Command::Cancel {
        reason: CancelReason::Duplicate,
        note: "dup".into(),
    };
    let c = store
        .append(kit.then(&tickets[3], Kit::at(41), "bob", cancel))
        .await
        .expect("cancel")
        .ticket;
    tickets[2] = a;
    tickets[3] = c;

    let mut expected: Vec<Fact> = tickets.iter().map(|t| kit.fact(t)).collect();
    expected.sort_by(|x, y| (x.opened, &x.ticket).cmp(&(y.opened, &y.ticket)));
    let every = FactQuery {
        limit: 2,
        ..FactQuery::default()
    };
    let got = all(store.as_ref(), every.clone()).await;
    assert_eq!(
        got, expected,
        "one fact per ticket, the latest, in (opened, id) order"
    );
    assert_eq!(got[2].assignee.as_ref().map(|u| u.as_str()), Some("bob"));

    let live = all(
        store.as_ref(),
        FactQuery {
            live_only: true,
            ..every.clone()
        },
    )
    .await;
    let want: Vec<_> = expected.iter().filter(|f| f.live()).cloned().collect();
    assert_eq!(live, want, "the cancelled ticket is not live");
    assert_eq!(live.len(), 4);

    let range = FactQuery {
        opened_from: Some(Kit::at(10).timestamp_micros()),
        opened_to: Some(Kit::at(30).timestamp_micros()),
        limit: 10,
        ..FactQuery::default()
    };
    let got = store.facts(&range).await.expect("range");
    let want: Vec<_> = expected
        .iter()
        .filter(|f| range.matches(f))
        .cloned()
        .collect();
    assert_eq!(got, want, "[from, to) by opening instant");
    assert_eq!(got.len(), 2);

    // A rebuild replaces, it does not add; given twice in one call, the last one wins.
    let mut changed = expected[0].clone();
    changed.reopens = 6;
    let earlier = changed.clone();
    changed.reopens = 7;
    store
        .put_facts(vec![earlier, changed.clone()])
        .await
        .expect("put_facts");
    let got = all(store.as_ref(), every.clone()).await;
    assert_eq!(got.len(), expected.len());
    assert_eq!(got[0], changed);

    // A reschedule writes its fact, unless the ticket moved on.
    let t = &tickets[4];
    let mut fact = kit.fact(t);
    fact.hierarchical = 3;
    let req = Reschedule {
        ticket: t.clone(),
        due_at: None,
        fact: Some(fact.clone()),
    };
    assert!(store.reschedule(req).await.expect("reschedule"));
    let mut stale = tickets[2].clone();
    stale.version -= 1;
    let mut ignored = kit.fact(&stale);
    ignored.hierarchical = 9;
    let req = Reschedule {
        ticket: stale,
        due_at: None,
        fact: Some(ignored),
    };
    assert!(!store.reschedule(req).await.expect("stale reschedule"));
    let got = all(store.as_ref(), every).await;
    let of = |id: &str| got.iter().find(|f| f.ticket.as_str() == id).cloned();
    assert_eq!(of("f-d"), Some(fact));
    assert_eq!(
        of("f-ñ 'x'").map(|f| f.hierarchical),
        Some(0),
        "stale: not written"
    );
}
