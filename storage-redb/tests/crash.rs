//! Crash safety: a child process opens tickets and comments on them, printing each folio
//! after `append` returned; the parent kills it with SIGKILL at random moments, 24 times,
//! and after every kill reopens the file and checks that every printed folio is there with
//! its full history and an intact hash chain.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use foliodesk_core::query::{Cursor, QueryTickets};
use foliodesk_core::store::Store;
use foliodesk_core::testkit::Kit;
use foliodesk_core::Visibility;
use foliodesk_redb::RedbStore;

const KILLS: u32 = 24;

/// The child: appends until killed. Each ticket gets an `opened` and a comment (two
/// transactions), so a kill can land between them too.
#[tokio::test]
#[ignore = "run by crash_safety_under_sigkill"]
async fn child_writer() {
    let path = std::env::var("FOLIODESK_CRASH_FILE").expect("FOLIODESK_CRASH_FILE");
    let tag = std::env::var("FOLIODESK_CRASH_TAG").expect("FOLIODESK_CRASH_TAG");
    let store = RedbStore::open(&path).await.unwrap();
    let kit = Kit::new();
    for i in 0.. {
        let id = format!("{tag}-{i}");
        let opened = store.append(kit.incident(&id, Kit::t0())).await.unwrap();
        println!("{}", opened.ticket.folio);
        let comment = foliodesk_core::Command::Comment {
            body: format!("note {i}"),
            visibility: Visibility::Internal,
        };
        store
            .append(kit.then(&opened.ticket, Kit::at(1), "bob", comment))
            .await
            .unwrap();
    }
}

/// A small deterministic generator, so a failing run can be repeated.
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_safety_under_sigkill() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("crash.redb");
    let _ = std::fs::remove_file(&path);
    let exe = std::env::current_exe().unwrap();
    let mut seed = 0x5eed_u64;
    let mut printed: Vec<String> = Vec::new();
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "child_writer",
                "--ignored",
                "--nocapture",
                "--quiet",
            ])
            .env("FOLIODESK_CRASH_FILE", &path)
            .env("FOLIODESK_CRASH_TAG", format!("r{round}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.starts_with("INC-"))
                .collect::<Vec<_>>()
        });
        // Let it write for 150–650 ms, then kill it mid-flight.
        let wait = Duration::from_millis(150 + next(&mut seed) % 500);
        let started = Instant::now();
        while started.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        printed.extend(reader.join().unwrap());

        let store = RedbStore::open(&path)
            .await
            .expect("the file opens after a kill");
        for folio in &printed {
            let t = store
                .ticket_by_folio(folio)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("round {round}: printed folio {folio} is missing"));
            let events = store.events(&t.id).await.unwrap();
            assert_eq!(events.len() as u64, t.version, "{folio}: full history");
            let v = foliodesk_core::verify(&events);
            assert!(v.is_intact(), "{folio}: {v:?}");
        }
        drop(store);
    }
    assert!(
        printed.len() > KILLS as usize,
        "the children wrote: {}",
        printed.len()
    );
    // Folios stay gap-free across the kills: a killed append consumed no number.
    let store = RedbStore::open(&path).await.unwrap();
    let mut n = 0;
    while store
        .ticket_by_folio(&format!("INC-2026-{:06}", n + 1))
        .await
        .unwrap()
        .is_some()
    {
        n += 1;
    }
    assert!(n >= printed.len());
    let mut total = 0;
    let mut after = None;
    loop {
        let page = store
            .query(QueryTickets {
                filter: Default::default(),
                after,
                limit: 1000,
                newest_first: false,
            })
            .await
            .unwrap();
        total += page.items.len();
        match page.next {
            Some(c) => after = Some(Cursor::decode(&c).unwrap()),
            None => break,
        }
    }
    assert_eq!(total, n, "every stored ticket has a consecutive folio");
}
