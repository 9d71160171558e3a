//! Reading e-mail, apart from the durable append: the nine fixture mails of
//! `core/tests/mail` (replies through Outlook and Gmail, a forward, auto-replies, a bounce, a
//! monitoring alert, a list, an inline image), taken in turn.
//!
//! - `mail-parser alone`: `MessageParser::parse` and the first text body, the least any
//!   reader of mail does;
//! - `foliodesk`: `inbound::email::parse` (the same parse, the quoted history cut, machines
//!   told from people), the folios of the thread, and the plan for the message under the
//!   example configuration.
//!
//! Throughput is in mails: criterion prints mails per second for each.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use foliodesk::core::inbound::{email, plan::plan, thread};
use foliodesk::{Role, User};

fn fixtures() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/core/tests/mail");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    names.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn intake(c: &mut Criterion) {
    let mails = fixtures();
    assert_eq!(mails.len(), 9, "the fixture set");
    let config = foliodesk::load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))
    .unwrap();
    let now = chrono::Utc::now();
    let mut sender = User::new("ana", "Ana García", Role::Requester);
    sender.email = Some("ana.garcia@acme.example".into());
    let domain = config.notifications.delivery.domain.clone();

    let mut g = c.benchmark_group("intake");
    g.throughput(Throughput::Elements(mails.len() as u64));
    g.bench_function("mail-parser alone", |b| {
        b.iter(|| {
            for raw in &mails {
                let m = mail_parser::MessageParser::default().parse(black_box(raw));
                black_box(m.as_ref().and_then(|m| m.body_text(0).map(|t| t.len())));
            }
        })
    });
    g.bench_function("foliodesk", |b| {
        b.iter(|| {
            for raw in &mails {
                let Ok(m) = email::parse(black_box(raw)) else {
                    continue;
                };
                let folios = thread::folios(&m.subject, &m.thread_hints, &domain);
                black_box(folios);
                black_box(plan(&m, Some(&sender), None, 0, &config, now));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, intake);
criterion_main!(benches);
