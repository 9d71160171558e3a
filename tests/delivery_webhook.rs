//! Webhook delivery against a local HTTP server that fails twice, then accepts; the
//! signature is checked the way a receiver would. And a receiver too slow to answer.

mod common;

use std::sync::{Arc, Mutex};

use chrono::Duration;
use common::*;
use foliodesk::webhook::{signature, Webhook, WebhookSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Default)]
struct Received {
    statuses: Vec<u16>,
    bodies: Vec<(String, String, Vec<u8>)>,
}

/// Answers each POST with the next of `answers` (the last one repeats), after `delay`.
async fn server(answers: Vec<u16>, delay: std::time::Duration) -> (String, Arc<Mutex<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Received::default()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body) = loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), Vec::new());
                }
                buf.extend_from_slice(&chunk[..n]);
                let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&buf[..end]).to_string();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                while buf.len() < end + 4 + length {
                    let n = socket.read(&mut chunk).await.unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                }
                break (head, buf[end + 4..end + 4 + length].to_vec());
            };
            let header = |name: &str| {
                head.lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                    })
                    .unwrap_or_default()
            };
            let status = {
                let mut r = log.lock().unwrap();
                let status = answers[r.statuses.len().min(answers.len() - 1)];
                r.statuses.push(status);
                r.bodies.push((
                    header("X-Foliodesk-Timestamp"),
                    header("X-Foliodesk-Signature"),
                    body,
                ));
                status
            };
            tokio::time::sleep(delay).await;
            let reply =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    (url, seen)
}

async fn one_ticket() -> Fixture {
    let f = desk_with(example_config()).await;
    with_email(&f.desk, &["ana"]).await;
    f.desk
        .open_ticket("ana", incident("Webhook"))
        .await
        .unwrap();
    f.clock.advance(Duration::seconds(61));
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_receiver_gets_retries_until_it_accepts_a_signed_message() {
    let (url, seen) = server(vec![503, 500, 200], std::time::Duration::ZERO).await;
    let f = one_ticket().await;
    let hook = Webhook::new(WebhookSettings {
        url,
        secret: "s3cret".into(),
        timeout_seconds: 5,
    })
    .unwrap();
    for round in 0..3 {
        let r = f.desk.deliver(&hook, 10).await.unwrap();
        assert_eq!(
            (r.sent, r.failed),
            if round < 2 { (0, 1) } else { (1, 0) },
            "{round}: {r:?}"
        );
        f.clock.advance(Duration::hours(1));
    }
    assert!(f.desk.outbox(10).await.unwrap().is_empty());
    let seen = seen.lock().unwrap();
    assert_eq!(seen.statuses, [503, 500, 200]);
    let (timestamp, signed, body) = seen.bodies.last().unwrap();
    let expected = signature("s3cret", timestamp.parse().unwrap(), body);
    assert_eq!(signed, &expected, "the receiver's check passes");
    assert_ne!(
        signed,
        &signature("other", timestamp.parse().unwrap(), body)
    );
    let message: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(message["to"], "ana@example.com");
    // Each try carried the same Message-ID: the receiver can drop repeats.
    let ids: Vec<String> = seen
        .bodies
        .iter()
        .map(|(_, _, b)| {
            serde_json::from_slice::<serde_json::Value>(b).unwrap()["message_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_receiver_times_out_and_a_refusal_is_permanent() {
    let (url, _) = server(vec![200], std::time::Duration::from_secs(5)).await;
    let f = one_ticket().await;
    let hook = Webhook::new(WebhookSettings {
        url,
        secret: "k".into(),
        timeout_seconds: 1,
    })
    .unwrap();
    let r = f.desk.deliver(&hook, 10).await.unwrap();
    assert_eq!((r.failed, r.retried, r.dead), (1, 1, 0), "{r:?}");
    let (url, _) = server(vec![410], std::time::Duration::ZERO).await;
    f.clock.advance(Duration::hours(1));
    let gone = Webhook::new(WebhookSettings {
        url,
        secret: "k".into(),
        timeout_seconds: 1,
    })
    .unwrap();
    let r = f.desk.deliver(&gone, 10).await.unwrap();
    assert_eq!((r.failed, r.dead), (1, 1), "{r:?}");
    assert!(f.desk.dead_letters(10).await.unwrap()[0]
        .reason
        .contains("410"));
}

#[test]
fn bad_settings_name_the_field() {
    let err = Webhook::new(WebhookSettings {
        url: "ftp://x".into(),
        secret: "k".into(),
        timeout_seconds: 1,
    })
    .unwrap_err();
    assert_eq!(err.field(), Some("webhook.url"));
}
