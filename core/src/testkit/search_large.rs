//! A ticket whose text holds tens of thousands of distinct words — a pasted log of
//! hostnames and error codes — is indexed whole, in its append and outside one.

use super::search::{incident, same_answers};
use super::{seeded, Harness, Kit};
use crate::command::Command;
use crate::search::index::{DocAttrs, DocKind, SearchDoc, Terms};
use crate::search::memory::MemoryIndex;
use crate::vocabulary::Visibility;

/// Words `from..from + n`, each distinct: `h000000x h000001x …` (9 characters with the
/// space, so 11,000 of them stay under a text field's 100,000).
fn codes(from: usize, n: usize) -> String {
    let words: Vec<String> = (from..from + n).map(|i| format!("h{i:06}x")).collect();
    words.join(" ")
}

/// A new ticket of 11,000 distinct words, a comment adding 11,000 more (22,000 postings
/// in one append, more than a statement's binds allow on SQLite or PostgreSQL), and a
/// document of 30,000 written outside an append: every posting is stored and found.
pub async fn large_documents_are_indexed_whole(h: &dyn Harness) {
    let (store, kit) = seeded(h, "large_documents_are_indexed_whole").await;
    let mut reference = MemoryIndex::default();
    let new = incident("Registro del servidor", &codes(0, 11_000));
    let req = kit.open("big", Kit::at(0), "ana", new);
    reference.put(req.index.clone().expect("a new ticket is indexed"));
    let ticket = (store.append(req).await)
        .expect("a ticket of 11,000 words")
        .ticket;
    let comment = Command::Comment {
        body: codes(11_000, 11_000),
        visibility: Visibility::Internal,
    };
    let req = kit.then(&ticket, Kit::at(1), "bob", comment);
    let doc = req.index.clone().expect("the text changed");
    let terms = doc.terms.as_ref().expect("terms").counts.len();
    assert!(terms > 22_000, "{terms} terms");
    reference.put(doc);
    store.append(req).await.expect("a comment of 11,000 words");
    let queries = ["h000000x", "h021999x servidor", "h01234"];
    same_answers(&*store, &reference, &queries).await;

    let outside = SearchDoc {
        key: DocKind::Ticket.key("big"),
        kind: DocKind::Ticket,
        attrs: DocAttrs {
            status: "open".into(),
            ..DocAttrs::default()
        },
        terms: Some(Terms::of("Registro", &[&codes(40_000, 30_000)])),
    };
    reference.put(outside.clone());
    (store.put_search_docs(vec![outside]).await).expect("a document of 30,000 words");
    same_answers(&*store, &reference, &["h000000x", "h069999x", "h0400"]).await;
}
