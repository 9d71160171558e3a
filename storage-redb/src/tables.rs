//! The layout: every table, and the version of the layout.

use redb::TableDefinition;

/// The layout this build writes; a file with a higher one is refused.
pub const LAYOUT_VERSION: u64 = 1;

/// `layout`, `outbox_next`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// id → the ticket's projection (JSON).
pub const TICKETS: TableDefinition<&str, &str> = TableDefinition::new("tickets");
/// id → (version, head hash, indexed due instant in µs).
pub const HEADS: TableDefinition<&str, (u64, &str, Option<i64>)> = TableDefinition::new("heads");
/// (id, sequence) → the event envelope (JSON).
pub const EVENTS: TableDefinition<(&str, u64), &str> = TableDefinition::new("events");
/// folio → id.
pub const BY_FOLIO: TableDefinition<&str, &str> = TableDefinition::new("by_folio");
/// (kind prefix, year) → last folio number drawn.
pub const FOLIOS: TableDefinition<(&str, i32), u64> = TableDefinition::new("folios");
/// (term, opened µs, id) → (): the secondary indexes, see `index::terms`.
pub const INDEX: TableDefinition<(&str, i64, &str), ()> = TableDefinition::new("index");
/// (due µs, id) → (): the due index for `tick`.
pub const DUE: TableDefinition<(i64, &str), ()> = TableDefinition::new("due");
/// id → notification (JSON).
pub const OUTBOX: TableDefinition<u64, &str> = TableDefinition::new("outbox");
/// Directory and configuration documents (JSON).
pub const USERS: TableDefinition<&str, &str> = TableDefinition::new("users");
/// Organisations (JSON).
pub const ORGANISATIONS: TableDefinition<&str, &str> = TableDefinition::new("organisations");
/// Teams (JSON).
pub const TEAMS: TableDefinition<&str, &str> = TableDefinition::new("teams");
/// `config` → the desk's configuration (JSON).
pub const CONFIG: TableDefinition<&str, &str> = TableDefinition::new("config");
