//! The wall clock.

use chrono::{DateTime, Utc};
use foliodesk_core::Clock;

/// The system's clock, the default of every desk.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
