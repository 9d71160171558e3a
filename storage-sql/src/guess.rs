//! Folio numbers guessed ahead, so that a new ticket on a server is one round trip.
//!
//! Drawing a folio under a row lock needs the number back before the events can be hashed,
//! then the writes, then the COMMIT: three round trips. A store that knows the counter's
//! last value can instead guess the next number, seal with it, and send one statement that
//! moves the counter from `n - 1` to `n` *only if it is still at `n - 1`* and writes the
//! ticket in the same implicit transaction. If the counter moved (another process, or a
//! guess of this one that failed), nothing is written and the append falls back to the
//! locked draw, which also teaches the store the counter's value again.
//!
//! Folios stay unique and gap-free either way: the compare-and-set is what moves the
//! counter, and it commits or rolls back with the ticket.

use std::collections::HashMap;
use std::sync::Mutex;

use foliodesk_core::store::{seal, AppendEvents, Appended, FolioKey};

use crate::append::Failed;
use crate::session::Session;
use crate::SqlStore;

/// A new ticket in one round trip, sealed with folio `number` of `key`: `None` if the
/// counter was no longer at `number - 1`, in which case nothing was written.
pub(crate) async fn append(
    store: &SqlStore,
    req: &AppendEvents,
    key: &FolioKey,
    number: u64,
) -> std::result::Result<Option<Appended>, Failed> {
    let sealed = seal(req, 0, None, Some(number))?;
    let mut s = Session::pooled(&store.pool).await?;
    s.opening();
    let result = match store
        .engine()
        .guessed(store, s.conn(), req, &sealed, (key, number))
        .await
    {
        Ok(result) => result,
        Err(e) => {
            s.rollback().await;
            return Err(e.into());
        }
    };
    match result {
        Ok(written) => {
            s.closed();
            Ok(written.then_some(Appended {
                ticket: sealed.ticket,
                events: sealed.envelopes,
            }))
        }
        Err(e) => {
            s.rollback().await;
            Err(Failed::of(req, "cannot write the append", e))
        }
    }
}

/// The next number to guess, per counter, as this store last saw it.
#[derive(Debug, Default)]
pub(crate) struct Guesses {
    next: Mutex<HashMap<FolioKey, u64>>,
}

impl Guesses {
    /// A number to try for `key`, reserved so that concurrent appends of this store guess
    /// consecutive numbers; `None` until a locked draw has taught the store the counter.
    pub fn take(&self, key: &FolioKey) -> Option<u64> {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let n = next.get_mut(key)?;
        *n += 1;
        Some(*n - 1)
    }

    /// The counter was seen at `number` (a locked draw, or a guess that held).
    pub fn learn(&self, key: &FolioKey, number: u64) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let n = next.entry(key.clone()).or_insert(number + 1);
        *n = (*n).max(number + 1);
    }

    /// A guess failed: stop guessing for `key` until a locked draw succeeds.
    pub fn forget(&self, key: &FolioKey) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        next.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;

    /// A wrong guess, too low or too high, writes nothing and leaves the counter; the
    /// right one writes the ticket with its folio.
    #[cfg(feature = "testkit")]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn only_the_right_guess_writes() {
        use foliodesk_core::store::Store;
        use foliodesk_core::testkit::Kit;

        for d in [Dialect::Postgres, Dialect::MySql] {
            if !crate::testkit::reachable(d).await {
                continue;
            }
            let dir = std::env::temp_dir();
            let db = crate::testkit::fresh_db(d, &format!("guess_{d:?}"), &dir).await;
            let store = SqlStore::open(&db.url).await.unwrap();
            let kit = Kit::new();
            kit.seed(&store).await;
            store.append(kit.incident("t1", Kit::at(0))).await.unwrap();
            let next = kit.incident("t2", Kit::at(1));
            let key = next.folio.clone().unwrap();
            for wrong in [1, 3, 7] {
                let got = append(&store, &next, &key, wrong).await.unwrap();
                assert!(got.is_none(), "{d:?}: guess {wrong} must not write");
                assert!(store.ticket(&"t2".into()).await.unwrap().is_none());
                assert!(store.events(&"t2".into()).await.unwrap().is_empty());
            }
            let done = append(&store, &next, &key, 2)
                .await
                .unwrap()
                .expect("2 holds");
            assert_eq!(done.ticket.folio, "INC-2026-000002");
            assert_eq!(store.ticket(&"t2".into()).await.unwrap(), Some(done.ticket));
            let t3 = store.append(kit.incident("t3", Kit::at(2))).await.unwrap();
            assert_eq!(t3.ticket.folio, "INC-2026-000003", "the counter moved once");
            store.close().await;
        }
    }

    #[test]
    fn guesses_follow_the_last_draw_and_stop_after_a_miss() {
        let g = Guesses::default();
        let key = FolioKey {
            prefix: "INC".into(),
            year: 2026,
        };
        assert_eq!(g.take(&key), None, "nothing learnt yet");
        g.learn(&key, 7);
        assert_eq!(g.take(&key), Some(8));
        assert_eq!(
            g.take(&key),
            Some(9),
            "concurrent appends guess in sequence"
        );
        g.learn(&key, 8);
        assert_eq!(
            g.take(&key),
            Some(10),
            "an older draw never moves a guess back"
        );
        g.forget(&key);
        assert_eq!(g.take(&key), None);
    }
}
