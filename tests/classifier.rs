//! Automatic categorisation on every backend (seed 000): taught by the desk's solved
//! tickets, the classifier suggests category, team and priority to staff, applies a sure
//! category (and its routing) to a new ticket, and follows the agents' corrections.

mod common;

use common::{desk_at, example_config, incident};
use foliodesk::core::classifier::ClassifierConfig;
use foliodesk::*;

const PRINTERS: &[&str] = &[
    "La impresora no imprime",
    "Impresora atascada con papel",
    "La impresora de la planta dos no responde",
    "Printer out of toner",
    "The printer jams every page",
    "Impresora sin tóner en recepción",
];
const VPN: &[&str] = &[
    "La VPN no conecta desde casa",
    "VPN se desconecta cada rato",
    "Cannot connect to the VPN",
    "VPN client asks for the password again",
    "Error de certificado en la VPN",
    "La VPN va muy lenta",
];

fn config() -> Config {
    let mut c = example_config();
    c.classifier = ClassifierConfig {
        apply_above: Some(80),
        min_examples: 10,
    };
    c
}

/// Opens, files and solves a ticket: a lesson for the classifier.
async fn solved(d: &Desk, title: &str, category: &str) -> Ticket {
    let mut new = incident(title);
    new.category = Some(category.into());
    let t = d.open_ticket("ana", new).await.unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &t.id, "Hecho").await.unwrap()
}

fn confidence(s: &[core::classifier::Guess], label: &str) -> f64 {
    s.iter()
        .find(|g| g.label == label)
        .map_or(0.0, |g| g.confidence)
}

async fn scenario(url: &str) {
    let f = desk_at(url, config()).await;
    let d = &f.desk;
    for round in 0..2 {
        for title in PRINTERS {
            solved(d, &format!("{title} ({round})"), "Hardware/Impresoras").await;
        }
        for title in VPN {
            solved(d, &format!("{title} ({round})"), "Red/VPN").await;
        }
    }

    let s = (d.suggest_classification("bob", "Impresora atascada".into(), String::new()))
        .await
        .unwrap();
    assert_eq!(s.examples, 24);
    assert_eq!(s.category[0].label, "Hardware/Impresoras", "{s:?}");
    assert!(s.category[0].confidence > 0.8, "{s:?}");
    assert_eq!(s.team[0].label, "service-desk", "{s:?}");
    assert_eq!(s.priority[0].label, "3", "{s:?}");
    let sum: f64 = s.category.iter().map(|g| g.confidence).sum();
    assert!((sum - 1.0).abs() < 1e-9, "two categories known: {s:?}");

    // A sure guess is applied to a new ticket, and routes it; the history says so.
    let t = d
        .open_ticket("ana", incident("La impresora vuelve a atascar el papel"))
        .await
        .unwrap();
    assert_eq!(t.category.as_ref().unwrap().as_str(), "Hardware/Impresoras");
    assert_eq!(t.team.as_ref().unwrap().as_str(), "service-desk");
    let history = d.history("bob", &t.id).await.unwrap();
    let confidence_recorded = history
        .iter()
        .any(|e| matches!(&e.event, Event::Reclassified { confidence: Some(p), .. } if *p >= 80));
    assert!(confidence_recorded, "{history:?}");
    // An unsure one is not.
    let vague = d.open_ticket("ana", incident("Hola, una consulta")).await;
    assert_eq!(vague.unwrap().category, None);

    // An agent's correction teaches once the ticket is solved, without retraining.
    let before = (d.suggest_classification("bob", t.title.clone(), String::new()))
        .await
        .unwrap();
    d.reclassify("bob", &t.id, None, Some("Red/VPN".into()))
        .await
        .unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &t.id, "Era la VPN")
        .await
        .unwrap();
    let after = (d.suggest_classification("bob", t.title.clone(), String::new()))
        .await
        .unwrap();
    assert_eq!(after.examples, 25);
    assert!(
        confidence(&after.category, "Red/VPN") > confidence(&before.category, "Red/VPN"),
        "{before:?} → {after:?}"
    );
    // Retraining from the store gives the same models.
    assert_eq!(d.train_classifier("sue").await.unwrap(), 25);
    let again = (d.suggest_classification("bob", t.title.clone(), String::new()))
        .await
        .unwrap();
    assert_eq!(again, after);

    let e = (d.suggest_classification("ana", "x".into(), String::new()))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let e = d.train_classifier("bob").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
}

#[test]
fn a_threshold_is_a_percentage() {
    let e = Config::from_toml_str("[classifier]\napply_above = 0", "desk.toml").unwrap_err();
    assert!(e.to_string().contains("classifier.apply_above"), "{e}");
    let e = Config::from_toml_str("[classifier]\napply_above = 101", "desk.toml").unwrap_err();
    assert!(e.to_string().contains("classifier.apply_above"), "{e}");
}

on_every_backend!(scenario, "classifier");
