//! Problem management on every backend (seeds 001, 002): repeated incidents suggest a
//! problem; incidents are linked and unlinked; a known error's workaround is offered on
//! linked and similar incidents; solving the problem proposes its solution to each open
//! incident, which its own requester validates. Requesters see none of it.

mod common;

use common::{desk_at, example_config, incident};
use foliodesk::core::problem::{ProblemState, ProblemUpdate};
use foliodesk::*;

fn field_of(e: &Error) -> &str {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other}"),
    }
}

/// The types of ticket `id`'s events, oldest first.
async fn event_types(d: &Desk, id: &TicketId) -> Vec<&'static str> {
    (d.history("bob", id).await.unwrap().iter())
        .map(|e| e.event.type_name())
        .collect()
}

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let mut vpn = Vec::new();
    for title in [
        "La VPN se desconecta cada diez minutos",
        "VPN se desconecta cada diez minutos en casa",
        "La VPN se desconecta cada diez minutos desde ayer",
    ] {
        vpn.push(d.open_ticket("ana", incident(title)).await.unwrap());
    }
    d.open_ticket(
        "ana",
        incident("La impresora del tercer piso atasca el papel"),
    )
    .await
    .unwrap();

    // Three alike incidents within the window suggest a problem.
    let groups = d.problem_suggestions("sue").await.unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let ids: Vec<TicketId> = vpn.iter().map(|t| t.id.clone()).collect();
    assert_eq!(groups[0].tickets, ids);

    let new = NewTicket::new(
        TicketKind::Problem,
        Channel::Portal,
        "bob",
        "VPN drops sessions",
    );
    let prb = d.open_ticket("bob", new).await.unwrap();
    assert!(prb.folio.starts_with("PRB-"), "{}", prb.folio);
    assert_eq!(prb.problem.as_ref().unwrap().state, ProblemState::Analysis);
    for t in &vpn[..2] {
        let linked = d.link_problem("bob", &t.id, &prb.id).await.unwrap();
        assert_eq!(linked.problem_id.as_ref(), Some(&prb.id));
    }
    // Linked incidents no longer count as a repeat still to look at.
    assert!(d.problem_suggestions("sue").await.unwrap().is_empty());
    let linked = d.problem_incidents("eva", &prb.id).await.unwrap();
    assert_eq!(
        linked.iter().map(|t| &t.id).collect::<Vec<_>>(),
        [&ids[0], &ids[1]]
    );

    // No workaround to offer until it is a known error, which needs both fields.
    assert!(d.known_errors("bob", &vpn[0].id).await.unwrap().is_empty());
    let half = ProblemUpdate {
        root_cause: Some("El concentrador VPN corta las sesiones inactivas".into()),
        state: Some(ProblemState::KnownError),
        ..Default::default()
    };
    let e = d.update_problem("bob", &prb.id, half).await.unwrap_err();
    assert_eq!(field_of(&e), "workaround", "{e}");
    let known = ProblemUpdate {
        root_cause: Some(
            "El concentrador VPN corta las sesiones inactivas a los diez minutos".into(),
        ),
        workaround: Some("Activar keepalive en el cliente VPN".into()),
        state: Some(ProblemState::KnownError),
    };
    let prb_now = d.update_problem("bob", &prb.id, known).await.unwrap();
    let record = prb_now.problem.clone().unwrap();
    assert_eq!(record.state, ProblemState::KnownError);
    assert!(record.known_error_at.is_some());

    // Offered on a linked incident, and on a similar one that is not linked.
    let offered = d.known_errors("bob", &vpn[0].id).await.unwrap();
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert!(offered[0].linked && offered[0].score.is_none());
    assert_eq!(offered[0].workaround, "Activar keepalive en el cliente VPN");
    let similar = d.known_errors("eva", &vpn[2].id).await.unwrap();
    assert_eq!(similar.len(), 1, "{similar:?}");
    assert_eq!(similar[0].problem, prb.id);
    assert!(!similar[0].linked && similar[0].score.unwrap() > 0.0);
    let printer = d
        .open_ticket("ana", incident("El escáner no envía correos"))
        .await
        .unwrap();
    assert!(d.known_errors("bob", &printer.id).await.unwrap().is_empty());

    // Unlinking takes it out of the problem's incidents; linking again puts it back.
    d.link_problem("bob", &vpn[2].id, &prb.id).await.unwrap();
    d.unlink_problem("bob", &vpn[1].id).await.unwrap();
    let linked = d.problem_incidents("bob", &prb.id).await.unwrap();
    assert_eq!(
        linked.iter().map(|t| &t.id).collect::<Vec<_>>(),
        [&ids[0], &ids[2]]
    );
    let kinds = event_types(d, &vpn[1].id).await;
    assert!(
        kinds.ends_with(&["problem_linked", "problem_unlinked"]),
        "{kinds:?}"
    );

    // Solving the problem proposes its solution to the open incident; the new one cannot
    // take it yet and is listed with the reason.
    d.assign("bob", &vpn[0].id, None, Some("bob".into()))
        .await
        .unwrap();
    d.assign("bob", &prb.id, None, Some("bob".into()))
        .await
        .unwrap();
    let done = d
        .resolve_problem(
            "bob",
            &prb.id,
            "Actualizado el firmware del concentrador VPN",
        )
        .await
        .unwrap();
    assert_eq!(done.problem.problem.unwrap().state, ProblemState::Resolved);
    assert_eq!(done.proposed.len(), 1);
    assert_eq!(done.proposed[0].id, vpn[0].id);
    assert_eq!(done.proposed[0].status, Status::Resolved);
    assert!(done.proposed[0]
        .solution
        .as_ref()
        .unwrap()
        .contains(&prb.folio));
    assert_eq!(done.not_proposed.len(), 1);
    assert_eq!(done.not_proposed[0].id, vpn[2].id);
    assert!(
        done.not_proposed[0].reason.contains("new"),
        "{:?}",
        done.not_proposed
    );
    // Run again (after an interruption, say), it proposes only to what is still open; with
    // another solution it is refused.
    let again = d
        .resolve_problem(
            "bob",
            &prb.id,
            "Actualizado el firmware del concentrador VPN",
        )
        .await
        .unwrap();
    assert!(again.proposed.is_empty());
    assert_eq!(again.not_proposed.len(), 1);
    let e = d
        .resolve_problem("bob", &prb.id, "Otra cosa")
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), "solution", "{e}");
    // Each incident is still validated by its own requester.
    let confirmed = d.confirm_solution("ana", &vpn[0].id).await.unwrap();
    assert!(matches!(
        confirmed.status,
        Status::Confirmed | Status::Closed
    ));
    // A resolved problem is no known error to offer.
    assert!(d.known_errors("bob", &vpn[2].id).await.unwrap().is_empty());

    // An incident that turns out to be a problem itself loses its link, in its history.
    let moved = d
        .reclassify("bob", &vpn[2].id, Some(TicketKind::Problem), None)
        .await
        .unwrap();
    assert_eq!(moved.problem_id, None);
    assert!(moved.problem.is_some());
    let kinds = event_types(d, &vpn[2].id).await;
    assert!(
        kinds.ends_with(&["problem_unlinked", "reclassified"]),
        "{kinds:?}"
    );

    // Requesters see neither problems nor links; bad input names the field.
    let mine = d.ticket("ana", &vpn[0].id).await.unwrap();
    assert_eq!(mine.problem_id, None);
    let e = d.problem_incidents("ana", &prb.id).await.unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::NotFound | ErrorKind::PermissionDenied),
        "{e}"
    );
    let e = d.problem_suggestions("ana").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let e = d
        .link_problem("bob", &printer.id, &vpn[0].id)
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), "problem", "{e}");
    let e = d.link_problem("bob", &prb.id, &prb.id).await.unwrap_err();
    assert_eq!(field_of(&e), "ticket", "{e}");
    let e = d.unlink_problem("bob", &printer.id).await.unwrap_err();
    assert_eq!(field_of(&e), "problem", "{e}");
    let e = (d.update_problem("bob", &printer.id, ProblemUpdate::default()))
        .await
        .unwrap_err();
    assert_eq!(field_of(&e), "kind", "{e}");
    let e = d
        .link_problem("bob", &printer.id, &TicketId::new("no-such"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

on_every_backend!(scenario, "problems");
