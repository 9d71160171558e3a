//! The satisfaction survey by signed token: the requester's confirmation message carries
//! it; a portal rates with it once; forged, altered, expired and reused tokens are refused.

mod common;

use chrono::Duration;
use common::*;
use foliodesk::*;

/// A solved and confirmed ticket, and the survey link mailed to its requester.
async fn confirmed(f: &Fixture) -> (Ticket, String) {
    with_email(&f.desk, &["ana", "bob"]).await;
    let d = &f.desk;
    let t = d
        .open_ticket("ana", incident("Sin impresora"))
        .await
        .unwrap();
    d.assign("sue", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    d.propose_solution("bob", &t.id, "Driver reinstalado")
        .await
        .unwrap();
    d.confirm_solution("ana", &t.id).await.unwrap();
    f.clock.advance(Duration::seconds(61));
    let capture = Capture::default();
    while d.deliver(&capture, 50).await.unwrap() != DeliveryReport::default() {}
    let sent = capture.0.into_inner().unwrap();
    let invitation = sent
        .iter()
        .find(|m| m.to == "ana@example.com" && m.subject.contains("¿Qué tal le hemos atendido?"))
        .expect("ana is invited to rate, though she confirmed herself");
    let line = invitation
        .text
        .lines()
        .find(|l| l.starts_with("https://portal.example/rate?token="))
        .expect("the configured survey link");
    let token = line.trim_start_matches("https://portal.example/rate?token=");
    assert!(
        !sent
            .iter()
            .any(|m| m.to == "bob@example.com" && m.text.contains(token)),
        "only the requester gets the token"
    );
    (t, token.to_owned())
}

fn with_survey_url() -> Config {
    let mut c = example_config();
    c.notifications.survey_url = Some("https://portal.example/rate?token={token}".into());
    c
}

fn field_and_reason(e: Error) -> (String, String) {
    match e {
        Error::Validation { field, reason } => (field, reason),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_token_rates_once_and_forgeries_are_refused() {
    let f = desk_with(with_survey_url()).await;
    let (t, token) = confirmed(&f).await;
    let mut forged = token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    let (field, reason) =
        field_and_reason(f.desk.rate_with_token(forged, 5, None).await.unwrap_err());
    assert_eq!(field, "token");
    assert!(reason.contains("signature"), "{reason}");
    let other_ticket = token.replacen(t.id.as_str(), "00000000-0000-0000-0000-000000000000", 1);
    let (_, reason) = field_and_reason(
        f.desk
            .rate_with_token(other_ticket, 5, None)
            .await
            .unwrap_err(),
    );
    assert!(
        reason.contains("signature"),
        "a token is bound to its ticket: {reason}"
    );
    let (_, reason) = field_and_reason(
        f.desk
            .rate_with_token("hello".into(), 5, None)
            .await
            .unwrap_err(),
    );
    assert!(reason.contains("not a survey token"), "{reason}");
    let (field, _) = field_and_reason(
        f.desk
            .rate_with_token(token.clone(), 9, None)
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "score", "the score is checked like any rating");

    let rated = f
        .desk
        .rate_with_token(token.clone(), 4, Some("Rápido y amable".into()))
        .await
        .unwrap();
    assert_eq!(rated.satisfaction.as_ref().map(|s| s.score), Some(4));
    let history = f.desk.history("sue", &t.id).await.unwrap();
    assert_eq!(
        history.last().unwrap().actor.as_str(),
        "ana",
        "recorded as the requester"
    );
    let (_, reason) = field_and_reason(f.desk.rate_with_token(token, 5, None).await.unwrap_err());
    assert!(reason.contains("already used"), "{reason}");
}

#[tokio::test]
async fn a_token_expires() {
    let f = desk_with(with_survey_url()).await;
    let (_, token) = confirmed(&f).await;
    f.clock.advance(Duration::days(15));
    let (field, reason) =
        field_and_reason(f.desk.rate_with_token(token, 5, None).await.unwrap_err());
    assert_eq!(field, "token");
    assert!(reason.contains("expired"), "{reason}");
}

#[tokio::test]
async fn a_survey_url_without_a_place_for_the_token_is_refused() {
    let text = "[notifications]\nsurvey_url = \"https://portal.example/rate\"\n";
    let err = Config::from_toml_str(text, "desk.toml").unwrap_err();
    assert!(
        err.to_string().contains("notifications.survey_url"),
        "{err}"
    );
}
