//! Folio counters: one per kind prefix and year.

use chrono::{DateTime, Utc};

/// The counter a new ticket's folio is drawn from: one per kind prefix and year.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FolioKey {
    /// `INC`, `REQ`…
    pub prefix: String,
    /// The year the ticket was opened (UTC).
    pub year: i32,
}

impl FolioKey {
    /// The counter for a ticket of `kind` opened at `at` (the UTC year).
    pub fn for_ticket(kind: crate::TicketKind, at: DateTime<Utc>) -> FolioKey {
        FolioKey {
            prefix: kind.folio_prefix().to_owned(),
            year: chrono::Datelike::year(&at),
        }
    }

    /// The folio for the `number`-th ticket of this key, e.g. `INC-2026-000042`.
    pub fn folio(&self, number: u64) -> String {
        format!("{}-{}-{:06}", self.prefix, self.year, number)
    }
}
