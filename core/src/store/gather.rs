//! The queue of a group commit: requests wait here until a committer takes them all
//! (redb's; see `foliodesk-redb`'s `group` module).
//!
//! A committer that takes the queue the moment the writer frees up gathers only the
//! requests that arrived during the previous commit. Writers answered by that commit are
//! still preparing their next request, so under steady load the groups split into two
//! alternating parts, each paying a full commit. [`Gather::wait_for_company`] lets the
//! committer wait briefly (like PostgreSQL's `commit_delay`) until as many requests are
//! queued as were in flight at once since the last group was taken. One writer sees one in
//! flight and never waits.
//!
//! ```
//! use foliodesk_core::store::gather::Gather;
//! let queue = Gather::default();
//! queue.push("a");
//! assert!(queue.ready());
//! let group = queue.take();
//! queue.push("b"); // arrives while "a" commits: two in flight
//! queue.answered(group.len());
//! assert!(!queue.ready(), "a's writer will be back");
//! ```

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Requests waiting for a group commit, and how many writers are about.
#[derive(Debug)]
pub struct Gather<T> {
    state: Mutex<State<T>>,
    arrived: Condvar,
}

#[derive(Debug)]
struct State<T> {
    queued: Vec<T>,
    /// Requests pushed and not yet answered.
    in_flight: usize,
    /// The most in flight at once since the last `take`.
    seen: usize,
}

impl<T> State<T> {
    fn ready(&self) -> bool {
        self.queued.len() >= self.seen.max(1)
    }
}

impl<T> Default for Gather<T> {
    fn default() -> Self {
        let state = State {
            queued: Vec::new(),
            in_flight: 0,
            seen: 0,
        };
        Gather {
            state: Mutex::new(state),
            arrived: Condvar::new(),
        }
    }
}

impl<T> Gather<T> {
    fn state(&self) -> MutexGuard<'_, State<T>> {
        // Each update is a few plain assignments: a panic elsewhere cannot tear them.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a request; the committer that takes it reports it [`Gather::answered`].
    pub fn push(&self, item: T) {
        let mut s = self.state();
        s.queued.push(item);
        s.in_flight += 1;
        s.seen = s.seen.max(s.in_flight);
        self.arrived.notify_all();
    }

    /// Requests queued now.
    pub fn len(&self) -> usize {
        self.state().queued.len()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether as many requests are queued as were in flight at once since the last group
    /// was taken.
    pub fn ready(&self) -> bool {
        self.state().ready()
    }

    /// Blocks until [`Gather::ready`], or `at_most` has passed.
    pub fn wait_for_company(&self, at_most: Duration) {
        let deadline = Instant::now() + at_most;
        let mut s = self.state();
        while !s.ready() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return;
            };
            s = (self.arrived.wait_timeout(s, left))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Takes every queued request, in order.
    pub fn take(&self) -> Vec<T> {
        let mut s = self.state();
        s.seen = s.in_flight;
        std::mem::take(&mut s.queued)
    }

    /// `n` requests taken earlier have been answered.
    pub fn answered(&self, n: usize) {
        let mut s = self.state();
        s.in_flight = s.in_flight.saturating_sub(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_never_waits() {
        let q = Gather::default();
        for i in 0..5 {
            q.push(i);
            assert!(q.ready());
            assert_eq!(q.take(), vec![i]);
            q.answered(1);
        }
    }

    #[test]
    fn alternating_parts_wait_for_each_other() {
        let q = Gather::default();
        (0..4).for_each(|i| q.push(i));
        let first = q.take();
        (4..8).for_each(|i| q.push(i)); // queued while the first part commits
        q.answered(first.len());
        assert!(!q.ready(), "the first part will be back");
        (0..3).for_each(|i| q.push(i));
        assert!(!q.ready());
        q.push(3);
        assert!(q.ready());
        assert_eq!(q.take().len(), 8);
    }

    #[test]
    fn the_estimate_falls_when_writers_leave() {
        let q = Gather::default();
        (0..8).for_each(|i| q.push(i));
        q.answered(q.take().len());
        q.push(1);
        assert!(!q.ready());
        let group = q.take(); // the committer gave up waiting for the others
        q.answered(group.len());
        q.push(2);
        assert!(q.ready());
    }

    #[test]
    fn waiting_ends_when_company_arrives_or_time_is_up() {
        let q = std::sync::Arc::new(Gather::default());
        (0..2).for_each(|i| q.push(i));
        q.answered(q.take().len());
        q.push(2);
        let start = Instant::now();
        q.wait_for_company(Duration::from_millis(20));
        assert!(start.elapsed() >= Duration::from_millis(20), "nobody came");
        let other = q.clone();
        let late = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(5));
            other.push(3);
        });
        q.wait_for_company(Duration::from_secs(600)); // returns on the arrival
        assert_eq!(q.len(), 2);
        late.join().unwrap();
    }
}
