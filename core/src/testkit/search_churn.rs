//! Many tickets opened and changed at once, with searches between the rounds: what a store
//! keeps in more than one place (SQLite's pending postings, merged into the term-ordered
//! ones from time to time) must answer as one index, whatever moved where.

use std::sync::Arc;

use super::group::race;
use super::search::{incident, same_answers, same_ranking};
use super::{seeded, Harness, Kit};
use crate::command::Command;
use crate::search::index::{DocAttrs, DocKind, SearchDoc, Terms};
use crate::search::memory::MemoryIndex;
use crate::search::{QueryPlan, TopQuery};
use crate::store::{AppendEvents, Store};
use crate::vocabulary::Visibility;
use crate::Ticket;

/// Words of both languages; "printer", "printing" and "prioridad" share the prefix "pri",
/// so a document can hold several words a query's prefix stands for.
const WORDS: [&str; 24] = [
    "impresora",
    "papel",
    "atasco",
    "correo",
    "contraseña",
    "caducada",
    "vpn",
    "drops",
    "printer",
    "toner",
    "outlook",
    "license",
    "servidor",
    "caído",
    "backup",
    "failed",
    "printing",
    "prioridad",
    "wifi",
    "slow",
    "acceso",
    "denegado",
    "disk",
    "full",
];
const ROUNDS: usize = 5;
const NEW_PER_ROUND: usize = 6;
const QUERIES: [&str; 8] = [
    "impresora papel",
    "vpn drops wifi",
    "correo contraseña caducada",
    "backup failed disk full",
    "servidor caído acceso",
    "toner pri",
    "slow outlook licen",
    "acceso den",
];

/// `n` words of [`WORDS`], the same for the same seed.
fn words(seed: usize, n: usize) -> String {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12_345);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.push(WORDS[(x >> 33) % WORDS.len()]);
    }
    out.join(" ")
}

/// Per round, new tickets and comments on earlier ones (new words, lost words for none),
/// all at once; between rounds, every query ranks as the reference does. Then documents
/// replaced outside an append (a reindex) and a last round.
pub async fn search_answers_through_churn(h: &dyn Harness) {
    let (store, kit) = seeded(h, "search_answers_through_churn").await;
    let mut reference = MemoryIndex::default();
    let mut tickets: Vec<Ticket> = Vec::new();
    for round in 0..=ROUNDS {
        let at = Kit::at(round as i64);
        let mut reqs: Vec<AppendEvents> = (0..NEW_PER_ROUND)
            .map(|i| {
                let n = round * NEW_PER_ROUND + i;
                let new = incident(&words(n, 3), &words(n + 1_000, 6 + n % 9));
                kit.open(&format!("c{n}"), at, "ana", new)
            })
            .collect();
        reqs.extend(tickets.iter().step_by(2 + round % 2).map(|t| {
            let body = words(round * 7_919 + t.version as usize, 4);
            let comment = Command::Comment {
                body,
                visibility: Visibility::Internal,
            };
            kit.then(t, at, "bob", comment)
        }));
        for req in &reqs {
            reference.put(req.index.clone().expect("new text is indexed"));
        }
        for answer in race(&store, reqs).await {
            let ticket = answer.expect("each append stands alone").ticket;
            match tickets.iter_mut().find(|t| t.id == ticket.id) {
                Some(t) => *t = ticket,
                None => tickets.push(ticket),
            }
        }
        if round == ROUNDS - 1 {
            reindex(&store, &mut reference, &tickets).await;
        }
        same_answers(&*store, &reference, &QUERIES).await;
        for (offset, limit) in [(0, 10), (3, 7)] {
            let q = TopQuery {
                terms: QueryPlan::of("impresora vpn backup acceso wifi pri")
                    .postings_query(DocKind::Ticket),
                within: None,
                offset,
                limit,
            };
            same_ranking(&*store, &reference, &q).await;
        }
    }
}

/// Every third ticket's document replaced outside an append, with fewer words.
async fn reindex(store: &Arc<dyn Store>, reference: &mut MemoryIndex, tickets: &[Ticket]) {
    let docs: Vec<SearchDoc> = (tickets.iter().step_by(3))
        .enumerate()
        .map(|(i, t)| SearchDoc {
            key: DocKind::Ticket.key(t.id.as_str()),
            kind: DocKind::Ticket,
            attrs: DocAttrs {
                status: "open".into(),
                ..DocAttrs::default()
            },
            terms: Some(Terms::of(&words(i + 50_000, 2), &[])),
        })
        .collect();
    for doc in &docs {
        reference.put(doc.clone());
    }
    store.put_search_docs(docs).await.expect("put_search_docs");
}
