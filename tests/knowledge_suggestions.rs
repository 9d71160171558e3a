//! Recurring solutions suggested for the knowledge base, on every backend: alike solutions
//! grouped, archived tickets left out, staff only, a bad minimum named.

mod common;

use common::{desk_at, example_config, incident};
use foliodesk::*;

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let mut solved = Vec::new();
    for (title, solution) in [
        ("VPN caída", "Renovado el certificado de usuario de la VPN"),
        ("Sin VPN", "Certificado de usuario de la VPN renovado"),
        ("Impresora", "Cambiado el tóner"),
        (
            "VPN otra vez",
            "Renovado el certificado de la VPN del usuario",
        ),
        ("Sigue sin imprimir", "Cambiado el tóner negro"),
    ] {
        let t = d.open_ticket("ana", incident(title)).await.unwrap();
        d.assign("bob", &t.id, None, Some("bob".into()))
            .await
            .unwrap();
        d.propose_solution("bob", &t.id, solution).await.unwrap();
        solved.push(t);
    }
    let open = d.open_ticket("ana", incident("Pendiente")).await.unwrap();

    let groups = d.knowledge_suggestions("sue", None).await.unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let folios: Vec<&str> = [0, 1, 3].map(|i| solved[i].folio.as_str()).to_vec();
    assert_eq!(groups[0].folios, folios);
    assert_eq!(
        groups[0].solution,
        "Renovado el certificado de usuario de la VPN"
    );
    let pairs = d.knowledge_suggestions("bob", Some(2)).await.unwrap();
    assert_eq!(
        pairs.iter().map(|g| g.tickets.len()).collect::<Vec<_>>(),
        [3, 2]
    );
    assert!(pairs.iter().all(|g| !g.tickets.contains(&open.id)));

    // Archived tickets are not suggested again.
    d.archive_to_knowledge("bob", &solved[0].id).await.unwrap();
    let groups = d.knowledge_suggestions("sue", Some(2)).await.unwrap();
    assert_eq!(
        groups.iter().map(|g| g.tickets.len()).collect::<Vec<_>>(),
        [2, 2]
    );

    let e = d.knowledge_suggestions("ana", None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let e = d.knowledge_suggestions("sue", Some(1)).await.unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "min_tickets"),
        "{e}"
    );
}

on_every_backend!(scenario, "knowledge_suggestions");
