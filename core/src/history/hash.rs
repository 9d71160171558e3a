//! The tamper-evident chain: each event's hash covers its content and the previous hash.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::event::EventEnvelope;

/// `prev_hash` of a ticket's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical encoding that is hashed: fixed field order, microsecond RFC 3339 time.
#[derive(Serialize)]
struct Canonical<'a> {
    ticket_id: &'a str,
    sequence: u64,
    at: String,
    actor: &'a str,
    schema: u16,
    event: &'a crate::event::Event,
    prev_hash: &'a str,
}

/// The hash an envelope must carry, computed from its content and `prev_hash`.
pub fn compute(env: &EventEnvelope) -> String {
    let canonical = Canonical {
        ticket_id: env.ticket_id.as_str(),
        sequence: env.sequence,
        at: env.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        actor: env.actor.as_str(),
        schema: env.schema,
        event: &env.event,
        prev_hash: &env.prev_hash,
    };
    // Serialising plain structs and enums to a Vec cannot fail.
    let bytes = serde_json::to_vec(&canonical).expect("canonical event encodes");
    hex::encode(Sha256::digest(&bytes))
}

/// What [`verify`] found wrong at the first broken link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Breach {
    /// The stored hash does not match the content: the event was altered.
    HashMismatch,
    /// `prev_hash` does not match the previous event's hash: an event was removed or
    /// inserted.
    BrokenLink,
    /// Sequences are not 1, 2, 3…: an event is missing.
    SequenceGap,
    /// The events do not all belong to one ticket.
    ForeignEvent,
}

/// The outcome of checking a ticket's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Verification {
    /// How many events were checked.
    pub checked: u64,
    /// The sequence number of the first broken event and what is wrong with it, if any.
    pub first_broken: Option<(u64, Breach)>,
}

impl Verification {
    /// True when the whole chain holds.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Checks a ticket's events in order and reports the first broken link.
///
/// ```
/// use foliodesk_core::hash::verify;
/// assert!(verify(&[]).is_intact());
/// ```
pub fn verify(events: &[EventEnvelope]) -> Verification {
    let mut prev = GENESIS.to_owned();
    for (i, env) in events.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        let breach = if env.ticket_id != events[0].ticket_id {
            Some(Breach::ForeignEvent)
        } else if env.sequence != expected_seq {
            Some(Breach::SequenceGap)
        } else if env.prev_hash != prev {
            Some(Breach::BrokenLink)
        } else if compute(env) != env.hash {
            Some(Breach::HashMismatch)
        } else {
            None
        };
        if let Some(b) = breach {
            return Verification {
                checked: expected_seq,
                first_broken: Some((expected_seq, b)),
            };
        }
        prev.clone_from(&env.hash);
    }
    Verification {
        checked: events.len() as u64,
        first_broken: None,
    }
}
