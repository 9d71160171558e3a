//! The knowledge base and search through the facade, on every backend: articles from draft
//! to retired with their versions and votes, who reads what, archiving a solution, the FAQ
//! search for requesters, ticket search and similar incidents for the staff, and typed
//! refusals that name the field.

mod common;

use common::{desk_at, example_config, incident};
use foliodesk::core::knowledge::{ArticleAction, ArticleDraft, ArticleStatus};
use foliodesk::core::search::{DocAttrs, DocKind, SearchDoc, Terms};
use foliodesk::*;

fn draft(title: &str, body: &str, visibility: Visibility) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        body: body.into(),
        lang: None,
        visibility,
        category: Some("Hardware/Impresoras".into()),
        services: vec![],
        translation_of: None,
    }
}

fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: t.into(),
        ..SearchQuery::default()
    }
}

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;

    // Articles: agents write, supervisors publish; requesters read published public ones.
    let faq = draft(
        "La impresora no imprime",
        "Compruebe que la impresora tiene papel y tóner; apáguela y enciéndala.",
        Visibility::Public,
    );
    let a = d.write_article("bob", faq).await.unwrap();
    assert_eq!((a.status, a.versions.len()), (ArticleStatus::Draft, 1));
    let e = d
        .write_article("ana", draft("x", "y", Visibility::Public))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    assert_eq!(
        d.article("ana", &a.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let submit = ArticleAction::Submit {
        note: Some("¿Vale?".into()),
    };
    d.change_article("bob", &a.id, submit).await.unwrap();
    let publish = ArticleAction::Publish { note: None };
    let e = d
        .change_article("bob", &a.id, publish.clone())
        .await
        .unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::PermissionDenied,
        "agents do not publish: {e}"
    );
    let a = d.change_article("sue", &a.id, publish).await.unwrap();
    assert_eq!(a.status, ArticleStatus::Published);
    let actions: Vec<_> = a
        .versions
        .iter()
        .map(|v| (v.action.as_str(), v.author.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("created", "bob"),
            ("submitted", "bob"),
            ("published", "sue")
        ]
    );
    assert_eq!(d.article("ana", &a.id).await.unwrap().title, a.title);

    // A translation joins the original; an internal article stays with the staff.
    let mut en = draft(
        "The printer does not print",
        "Check paper and toner, then restart it.",
        Visibility::Public,
    );
    en.translation_of = Some(a.id.clone());
    let en = d.write_article("bob", en).await.unwrap();
    assert_eq!(en.translation_of.as_deref(), Some(a.id.as_str()));
    let filter = ArticleFilter {
        translations_of: Some(a.id.clone()),
        ..Default::default()
    };
    assert_eq!(d.articles("bob", filter).await.unwrap().len(), 2);
    let internal = draft(
        "Reinicio del spooler de impresión",
        "net stop spooler; net start spooler",
        Visibility::Internal,
    );
    let internal = d.write_article("bob", internal).await.unwrap();
    d.change_article("sue", &internal.id, ArticleAction::Publish { note: None })
        .await
        .unwrap();

    // Votes: one per reader, the last counts.
    for (who, helpful) in [("ana", true), ("leo", false), ("leo", true)] {
        d.change_article(who, &a.id, ArticleAction::Vote { helpful })
            .await
            .unwrap();
    }
    let a = d.article("bob", &a.id).await.unwrap();
    assert_eq!((a.helpful, a.not_helpful), (2, 0));
    assert_eq!(
        d.article("ana", &a.id).await.unwrap().votes.len(),
        1,
        "only their own vote"
    );

    // The FAQ: requesters find published public articles, by incomplete words too.
    let hits = d
        .search_articles("ana", text("impresora no imprim"))
        .await
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        [a.id.as_str()]
    );
    let hits = d
        .search_articles("bob", text("impresora spooler"))
        .await
        .unwrap();
    assert_eq!(
        hits[0].id, internal.id,
        "staff see internal articles: {hits:?}"
    );
    assert!(
        hits.iter().all(|h| h.id != en.id),
        "drafts only with `unpublished`"
    );
    let all = SearchQuery {
        unpublished: true,
        ..text("printer")
    };
    assert_eq!(
        d.search_articles("bob", all.clone()).await.unwrap()[0].id,
        en.id
    );
    let e = d.search_articles("ana", all).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");

    // Tickets: similar incidents with their solutions, for the staff only.
    let mut old = incident("La impresora de la 2ª planta no imprime");
    old.description = "Sale una hoja en blanco y luego error 0x80070005".into();
    let old = d.open_ticket("ana", old).await.unwrap();
    d.assign("bob", &old.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &old.id, "Reinstalado el controlador de la impresora")
        .await
        .unwrap();
    let other = d
        .open_ticket("ana", incident("No llega el correo"))
        .await
        .unwrap();
    let new = d
        .open_ticket("ana", incident("Impresora: error 0x80070005"))
        .await
        .unwrap();
    let similar = d
        .similar_tickets("bob", &new.id, SearchQuery::default())
        .await
        .unwrap();
    assert_eq!(similar[0].id, old.id, "{similar:?}");
    assert_eq!(
        similar[0].solution.as_deref(),
        Some("Reinstalado el controlador de la impresora")
    );
    assert!(similar.iter().all(|h| h.id != new.id && h.id != other.id));
    let found = d.search_tickets("bob", text("controlador")).await.unwrap();
    assert_eq!(found.iter().map(|h| &h.id).collect::<Vec<_>>(), [&old.id]);
    let resolved = SearchQuery {
        status: vec![Status::New],
        ..text("impresora")
    };
    let found = d.search_tickets("bob", resolved).await.unwrap();
    assert_eq!(found.iter().map(|h| &h.id).collect::<Vec<_>>(), [&new.id]);
    let e = d
        .search_tickets("ana", text("impresora"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");

    // Archiving the solution: a draft linked to the ticket; an unresolved one is refused.
    let kb = d.archive_to_knowledge("bob", &old.id).await.unwrap();
    assert_eq!(
        (kb.status, kb.source_ticket.as_ref()),
        (ArticleStatus::Draft, Some(&old.id))
    );
    assert!(kb.body.contains("Reinstalado el controlador"));
    let e = d.archive_to_knowledge("bob", &other.id).await.unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "ticket.solution"),
        "{e}"
    );

    // Bad input names the field and writes nothing.
    let before = d
        .articles("sue", ArticleFilter::default())
        .await
        .unwrap()
        .len();
    let e = d
        .write_article("bob", draft(" ", "body", Visibility::Public))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "article.title"),
        "{e}"
    );
    let mut bad = draft("t", "b", Visibility::Public);
    bad.translation_of = Some("nope".into());
    assert_eq!(
        d.write_article("bob", bad).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let e = d
        .search_tickets(
            "bob",
            SearchQuery {
                limit: Some(0),
                ..text("x")
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "query.limit"),
        "{e}"
    );
    let retire = ArticleAction::Retire { note: None };
    let e = d.change_article("sue", &kb.id, retire).await.unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "article.status"),
        "{e}"
    );
    assert_eq!(
        d.articles("sue", ArticleFilter::default())
            .await
            .unwrap()
            .len(),
        before
    );

    // An index built by another analysis (here: emptied, and marked version 0) is rebuilt
    // when a desk opens on the store.
    let blank = SearchDoc {
        key: DocKind::Ticket.key(old.id.as_str()),
        kind: DocKind::Ticket,
        attrs: DocAttrs::default(),
        terms: Some(Terms::default()),
    };
    d.store().put_search_docs(vec![blank]).await.unwrap();
    d.store()
        .put_meta("search.analyzer", Some("0".into()))
        .await
        .unwrap();
    assert!(d
        .search_tickets("bob", text("controlador"))
        .await
        .unwrap()
        .is_empty());
    let reopened = Desk::with_store(d.store().clone(), DeskOptions::default())
        .await
        .unwrap();
    let found = reopened
        .search_tickets("bob", text("controlador"))
        .await
        .unwrap();
    assert_eq!(found.iter().map(|h| &h.id).collect::<Vec<_>>(), [&old.id]);
    assert_eq!(
        reopened.reindex_if_stale().await.unwrap(),
        0,
        "once is enough"
    );
}

on_every_backend!(scenario, "knowledge");
