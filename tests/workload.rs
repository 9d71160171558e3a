//! The workload view (seed 001) through the facade: per team, the unassigned tickets and
//! each member's open load, weighted by priority, idle members included; supervisors only.

mod common;

use common::{desk_at, example_config, incident};
use foliodesk::*;

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let sd = TeamId::from("service-desk");
    let mut ids = Vec::new();
    for title in ["VPN", "Correo", "Impresora", "Pantalla"] {
        ids.push(d.open_ticket("ana", incident(title)).await.unwrap().id);
    }
    for id in &ids[..3] {
        d.assign("bob", id, Some(sd.clone()), Some("bob".into()))
            .await
            .unwrap();
    }
    d.set_pending("bob", &ids[1], "esperando datos")
        .await
        .unwrap();
    d.change_priority(
        "bob",
        &ids[2],
        PriorityChange {
            impact: Some(5),
            urgency: Some(5),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Solved work is not load.
    d.assign("bob", &ids[3], Some(sd.clone()), Some("sue".into()))
        .await
        .unwrap();
    d.propose_solution("sue", &ids[3], "Cable cambiado")
        .await
        .unwrap();

    let loads = d.workload("sue", Some(sd.clone())).await.unwrap();
    assert_eq!(loads.len(), 1);
    let team = &loads[0];
    let mut p = Vec::new();
    for id in &ids {
        p.push(u32::from(d.ticket("bob", id).await.unwrap().priority.get()));
    }
    let weights = p[0] + p[1] + p[2];
    assert_eq!(
        (team.total, team.unassigned, team.weighted),
        (3, 0, weights)
    );
    let agents: Vec<(&str, u32, u32, u32)> = (team.agents.iter())
        .map(|a| (a.agent.as_str(), a.open, a.pending, a.weighted))
        .collect();
    assert_eq!(
        agents,
        [("bob", 2, 1, weights), ("sue", 0, 0, 0)],
        "{team:?}"
    );
    assert_eq!(p[2], 5);

    let all = d.workload("sue", None).await.unwrap();
    assert!(all
        .iter()
        .any(|t| t.team.as_str() == "networks" && t.total == 0));
    for who in ["bob", "ana"] {
        let e = d.workload(who, None).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{who}: {e}");
    }
    let e = d.workload("sue", Some("nope".into())).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

on_every_backend!(scenario, "workload");
