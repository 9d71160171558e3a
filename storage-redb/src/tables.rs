//! The layout: every table, and the version of the layout.

use redb::TableDefinition;

/// The layout this build writes; a file with a higher one is refused.
pub const LAYOUT_VERSION: u64 = 5;

/// `layout` → the layout version.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// id → (version, head hash, indexed due instant in µs, the projection as JSON). The head
/// rides with the projection so an append dirties one table for both.
pub const TICKETS: TableDefinition<&str, (u64, &str, Option<i64>, &str)> =
    TableDefinition::new("tickets");
/// (id, sequence) → the event envelope (JSON).
pub const EVENTS: TableDefinition<(&str, u64), &str> = TableDefinition::new("events");
/// (kind prefix, year) → last folio number drawn; [`OUTBOX_COUNTER`] → next outbox id.
pub const COUNTERS: TableDefinition<(&str, i32), u64> = TableDefinition::new("counters");
/// The key of the outbox counter in [`COUNTERS`]; no folio prefix starts with NUL.
pub const OUTBOX_COUNTER: (&str, i32) = ("\0outbox", 0);
/// (term, instant µs, id) → (): the secondary indexes, the folio lookup and the due index,
/// see `index`. One table, because every table a write transaction touches costs pages.
pub const INDEX: TableDefinition<(&str, i64, &str), ()> = TableDefinition::new("index");
/// id → notification (JSON).
pub const OUTBOX: TableDefinition<u64, &str> = TableDefinition::new("outbox");
/// An outbox row's delivery state: (available µs, attempts, lease end µs, lease token,
/// dead-letter reason).
pub type DeliveryState<'a> = (i64, u64, Option<i64>, Option<&'a str>, Option<&'a str>);
/// id → delivery state, for rows a worker has touched (layout 2).
pub const DELIVERY: TableDefinition<u64, DeliveryState<'static>> = TableDefinition::new("delivery");
/// Directory and configuration documents (JSON).
pub const USERS: TableDefinition<&str, &str> = TableDefinition::new("users");
/// Organisations (JSON).
pub const ORGANISATIONS: TableDefinition<&str, &str> = TableDefinition::new("organisations");
/// Teams (JSON).
pub const TEAMS: TableDefinition<&str, &str> = TableDefinition::new("teams");
/// `config` → the desk's configuration (JSON).
pub const CONFIG: TableDefinition<&str, &str> = TableDefinition::new("config");
/// The desk's bookkeeping values (reconfiguration progress…), by key.
pub const BOOKS: TableDefinition<&str, &str> = TableDefinition::new("books");
/// Attachment bytes by their SHA-256 (lower-case hex).
pub const BLOBS: TableDefinition<&str, &[u8]> = TableDefinition::new("blobs");
/// Contact id → (start µs, the contact as JSON).
pub const CONTACTS: TableDefinition<&str, (i64, &str)> = TableDefinition::new("contacts");
/// (start µs, contact id) → (): contacts by start.
pub const CONTACTS_BY_START: TableDefinition<(i64, &str), ()> =
    TableDefinition::new("contacts_by_start");
/// Desk-anchor checkpoints (JSON), by number.
pub const CHECKPOINTS: TableDefinition<u64, &str> = TableDefinition::new("checkpoints");
/// Article id → (revision, the article as JSON) (layout 3).
pub const ARTICLES: TableDefinition<&str, (u64, &str)> = TableDefinition::new("articles");
/// Search document key → (length, attributes line, its terms joined by `\n`) (layout 3).
pub const SEARCH_DOCS: TableDefinition<&str, (u32, &str, &str)> =
    TableDefinition::new("search_docs");
/// (kind code, term, document key) → (the term's count in the document, the document's
/// length), so that ranking reads postings alone (layout 3).
pub const POSTINGS: TableDefinition<(&str, &str, &str), (u32, u32)> =
    TableDefinition::new("postings");
/// The keys in [`COUNTERS`] of a kind's document count and summed length.
pub fn search_stats(kind: &str) -> [(String, i32); 2] {
    [
        (format!("\0docs:{kind}"), 0),
        (format!("\0length:{kind}"), 0),
    ]
}
/// (opened, ticket) → the ticket's report fact (postcard bytes) (layout 4).
pub const FACTS: TableDefinition<(i64, &str), &[u8]> = TableDefinition::new("facts");
/// The same, for the tickets not closed or cancelled only: the dashboard's.
pub const LIVE_FACTS: TableDefinition<(i64, &str), &[u8]> = TableDefinition::new("live_facts");
/// The keys in [`FACTS`] of finished tickets: what packing takes next (layout 5).
pub const DONE_FACTS: TableDefinition<(i64, &str), ()> = TableDefinition::new("done_facts");
/// (opened, ticket) → the pulse of a live fact (postcard), what the dashboard counts.
pub const LIVE_PULSE: TableDefinition<(i64, &str), &[u8]> = TableDefinition::new("live_pulse");
/// UTC day → a block of packed facts: its version (8 bytes, little-endian), then its bytes.
pub const FACT_BLOCKS: TableDefinition<i64, &[u8]> = TableDefinition::new("fact_blocks");
