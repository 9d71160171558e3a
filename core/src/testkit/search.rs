//! Search documents and articles: written with what they index, and read back exactly as
//! the reference index ([`MemoryIndex`]) answers for the same documents.

use super::{seeded, Harness, Kit};
use crate::command::Command;
use crate::knowledge::{Article, ArticleAction, ArticleDraft};
use crate::search::index::{DocAttrs, DocKind, SearchDoc, Terms};
use crate::search::memory::MemoryIndex;
use crate::search::top::top_of;
use crate::search::{Postings, PostingsQuery, QueryPlan, TopDocs, TopQuery};
use crate::store::{ArticleWrite, Store};
use crate::vocabulary::Visibility;
use crate::{Channel, Error, NewTicket, TicketKind};

fn sorted(mut p: Postings) -> Postings {
    for list in p.lists.values_mut() {
        list.sort();
    }
    p
}

/// The store's answer equals the reference's, for each query text, on both kinds: its
/// postings, and its ranking page by page.
pub(super) async fn same_answers(store: &dyn Store, reference: &MemoryIndex, queries: &[&str]) {
    for text in queries {
        for kind in [DocKind::Ticket, DocKind::Article] {
            let q = QueryPlan::of(text).postings_query(kind);
            let got = sorted(store.postings(&q).await.expect("postings"));
            assert_eq!(
                got,
                sorted(reference.answer(&q)),
                "query {text:?} on {kind:?}"
            );
            for (offset, limit) in [(0, 2), (1, 2), (0, 50)] {
                let top = TopQuery {
                    terms: q.clone(),
                    within: None,
                    offset,
                    limit,
                };
                same_ranking(store, reference, &top).await;
            }
        }
    }
}

/// The store's page of `q` is the reference's: the same documents in the same order with
/// the same attributes, and scores equal but for the last bits of a sum's order.
pub(super) async fn same_ranking(store: &dyn Store, reference: &MemoryIndex, q: &TopQuery) {
    let got = store.top_documents(q).await.expect("top_documents");
    let want = top_of(q, &reference.answer(&q.postings_query()));
    let keys = |t: &TopDocs| t.hits.iter().map(|h| h.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&got), keys(&want), "{q:?}");
    assert_eq!(got.more, want.more, "{q:?}");
    for (g, w) in got.hits.iter().zip(&want.hits) {
        assert!(
            (g.score - w.score).abs() < 1e-9,
            "{q:?}: {} vs {}",
            g.score,
            w.score
        );
        assert_eq!(g.attrs, w.attrs, "{q:?}");
    }
}

pub(super) fn incident(title: &str, description: &str) -> NewTicket {
    let mut new = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", title);
    new.description = description.into();
    new
}

/// An append writes its ticket's document with it: the whole document when the text (or a
/// mark, such as a link to a problem) changes, the attributes alone when only they do; a
/// refused append writes none. A
/// document that loses terms loses their postings.
pub async fn search_documents_follow_appends(h: &dyn Harness) {
    let (store, kit) = seeded(h, "search_documents_follow_appends").await;
    let mut reference = MemoryIndex::default();
    let texts = [
        ("La impresora no imprime", "Atasco de papel en la 2ª planta"),
        (
            "VPN drops every hour",
            "ERR_CONNECTION_RESET from vpn-02.acme.local",
        ),
        ("Contraseña caducada", "No puedo entrar al correo"),
    ];
    let mut tickets = Vec::new();
    for (i, (title, description)) in texts.iter().enumerate() {
        let req = kit.open(
            &format!("s{i}"),
            Kit::at(i as i64),
            "ana",
            incident(title, description),
        );
        reference.put(req.index.clone().expect("a new ticket is indexed"));
        tickets.push(store.append(req).await.expect("open").ticket);
    }
    let queries = [
        "impresora",
        "vpn-02.acme.local",
        "imprim",
        "contraseñas correo",
        "err_conn",
        "zzz",
    ];
    same_answers(&*store, &reference, &queries).await;

    // A comment changes the text; an assignment only the status.
    let comment = Command::Comment {
        body: "Cambiado el tóner; la impresora imprime otra vez".into(),
        visibility: Visibility::Internal,
    };
    let req = kit.then(&tickets[0], Kit::at(10), "bob", comment);
    assert!(req.index.as_ref().is_some_and(|d| d.terms.is_some()));
    reference.put(req.index.clone().unwrap());
    tickets[0] = store.append(req).await.expect("comment").ticket;
    let assign = Command::Assign {
        team: None,
        assignee: Some("bob".into()),
    };
    let req = kit.then(&tickets[1], Kit::at(11), "bob", assign);
    let doc = req.index.clone().expect("the status changed");
    assert!(doc.terms.is_none(), "only the attributes changed");
    reference.put(doc);
    tickets[1] = store.append(req).await.expect("assign").ticket;
    same_answers(&*store, &reference, &["toner impresora", "vpn", "hour"]).await;

    // A link to a problem is a mark in the document, found by exact lookup alone.
    let link = Command::LinkProblem {
        problem: "prb-1".into(),
    };
    let req = kit.then(&tickets[1], Kit::at(11), "bob", link);
    reference.put(req.index.clone().expect("the marks changed"));
    tickets[1] = store.append(req).await.expect("link").ticket;
    let q = PostingsQuery {
        kind: DocKind::Ticket,
        terms: vec![crate::problem::link_term(&"prb-1".into())],
        prefix: None,
        prefix_limit: 0,
    };
    let got = sorted(store.postings(&q).await.expect("postings"));
    assert_eq!(got.lists.len(), 1, "the linked ticket is found by its mark");
    assert_eq!(got, sorted(reference.answer(&q)));
    // … and ranks only what holds it, when a ranking asks.
    let within = TopQuery {
        terms: QueryPlan::of("vpn impresora ").postings_query(DocKind::Ticket),
        within: q.terms.first().cloned(),
        offset: 0,
        limit: 10,
    };
    same_ranking(&*store, &reference, &within).await;
    let found = store.top_documents(&within).await.expect("top_documents");
    assert_eq!(found.hits.len(), 1, "{found:?}");

    // A refused append (stale version) writes no document.
    let mut stale = kit.then(
        &tickets[2],
        Kit::at(12),
        "bob",
        Command::Comment {
            body: "nunca escrito".into(),
            visibility: Visibility::Public,
        },
    );
    stale.expected_version += 5;
    assert!(matches!(
        store.append(stale).await,
        Err(Error::Conflict { .. })
    ));
    same_answers(&*store, &reference, &["escrito nunca"]).await;

    // A document that loses terms (as after a reindex with another analysis) loses their
    // postings, in an append and outside one.
    let mut shrink = kit.then(
        &tickets[2],
        Kit::at(13),
        "bob",
        Command::Comment {
            body: "x".into(),
            visibility: Visibility::Internal,
        },
    );
    let mut doc = shrink.index.clone().expect("text changed");
    doc.terms = Some(Terms::of("Contraseña", &[]));
    shrink.index = Some(doc.clone());
    reference.put(doc);
    store.append(shrink).await.expect("shrink");
    let outside = SearchDoc {
        key: DocKind::Ticket.key("s1"),
        kind: DocKind::Ticket,
        attrs: DocAttrs {
            status: "open".into(),
            ..DocAttrs::default()
        },
        terms: Some(Terms::of("VPN", &["reset"])),
    };
    reference.put(outside.clone());
    store
        .put_search_docs(vec![outside])
        .await
        .expect("put_search_docs");
    same_answers(&*store, &reference, &queries).await;
    same_answers(
        &*store,
        &reference,
        &["contraseña caducada", "vpn hour reset"],
    )
    .await;
}

fn draft(title: &str, body: &str) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        body: body.into(),
        lang: None,
        visibility: Visibility::Public,
        category: Some("Hardware/Printers".into()),
        services: vec!["print".into()],
        translation_of: None,
    }
}

/// Articles are written with their documents and a revision check: a new one at 0, each
/// change at the revision read; a stale revision is a conflict and writes nothing.
pub async fn articles_are_written_with_their_documents(h: &dyn Harness) {
    let store = h.store("articles_are_written_with_their_documents").await;
    let mut reference = MemoryIndex::default();
    let at = Kit::t0();
    let role = crate::directory::Role::Agent;
    let mut a = Article::new(
        "kb1".into(),
        draft("Atasco de papel", "Abra la bandeja 2"),
        &"bob".into(),
        role,
        at,
    )
    .expect("valid draft");
    a.revision = 1;
    let write = |a: &Article, expected| ArticleWrite {
        article: a.clone(),
        expected,
        index: a.search_doc(),
    };
    store.put_article(write(&a, 0)).await.expect("new article");
    reference.put(a.search_doc());
    assert!(matches!(
        store.put_article(write(&a, 0)).await,
        Err(Error::Conflict { .. })
    ));
    let sue = crate::directory::Role::Supervisor;
    let mut b = a.clone();
    b.act(
        ArticleAction::Publish { note: None },
        &"sue".into(),
        sue,
        at,
    )
    .expect("publish");
    b.revision = 2;
    store.put_article(write(&b, 1)).await.expect("publish");
    reference.put(b.search_doc());
    let mut stale = a.clone();
    stale.title = "never".into();
    stale.revision = 2;
    assert!(matches!(
        store.put_article(write(&stale, 1)).await,
        Err(Error::Conflict { .. })
    ));
    assert_eq!(store.article("kb1").await.unwrap(), Some(b.clone()));
    assert_eq!(store.article("nope").await.unwrap(), None);
    let mut c = Article::new(
        "kb0".into(),
        draft("VPN setup", "Install the client"),
        &"bob".into(),
        role,
        at,
    )
    .unwrap();
    c.revision = 1;
    store
        .put_article(write(&c, 0))
        .await
        .expect("second article");
    reference.put(c.search_doc());
    let all = store.articles().await.unwrap();
    assert_eq!(
        all.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["kb0", "kb1"]
    );
    same_answers(
        &*store,
        &reference,
        &["atasco papel", "bandeja", "never", "vpn clien"],
    )
    .await;
    let q = PostingsQuery {
        kind: DocKind::Article,
        terms: vec![],
        prefix: None,
        prefix_limit: 0,
    };
    let size = store.postings(&q).await.unwrap();
    assert_eq!(size.documents, 2);
    assert!(size.lists.is_empty());
}
