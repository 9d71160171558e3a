//! The desk-wide anchor: checkpoints that chain the heads of every ticket.
//!
//! A ticket's hash chain ([`crate::hash`]) proves that its events were not altered, but not
//! that the ticket still exists or that its last events were not cut off: deleting rows
//! leaves a shorter chain that still verifies. A checkpoint records, for every ticket that
//! changed since the previous checkpoint, its version and head hash; it carries the Merkle
//! root of all heads and the hash of the previous checkpoint. The newest checkpoint's hash
//! is the *anchor*: a short value the host can publish or sign elsewhere. Whoever holds it
//! can tell a deleted ticket, a truncated tail, a replaced event or a projection that
//! disagrees with its events ([`Finding`]).
//!
//! ```
//! use foliodesk_core::anchor::{Anchor, Head};
//! let heads = vec![Head { ticket_id: "t1".into(), version: 3, hash: "ab".repeat(32) }];
//! let cp = Anchor::default().next(heads, "2026-03-02T09:00:00Z".parse().unwrap());
//! assert_eq!(cp.seq, 1);
//! assert_eq!(cp.tickets, 1);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod check;
mod signing;

pub use check::{check_ticket, DeskVerification, Finding};
pub use signing::{public_key_of, sign, signature_problem, AnchorConfig};

use crate::hash::GENESIS;
use crate::TicketId;

/// A ticket's head: how many events it had and the hash of the last one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Head {
    /// The ticket.
    pub ticket_id: TicketId,
    /// Its version (the sequence of its last event).
    pub version: u64,
    /// The hash of that event.
    pub hash: String,
}

/// One link of the desk's chain of checkpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Checkpoint {
    /// 1, 2, 3…
    pub seq: u64,
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// The hash of the previous checkpoint ([`GENESIS`] for the first).
    pub prev: String,
    /// The heads that changed since the previous checkpoint, by ticket id.
    pub heads: Vec<Head>,
    /// How many tickets the desk had, all checkpoints folded.
    pub tickets: u64,
    /// The Merkle root over every ticket's head, in ticket-id order.
    pub root: String,
    /// SHA-256 over the fields above: the anchor when this checkpoint is the newest.
    pub hash: String,
    /// Hex Ed25519 signature of `hash`, when the desk signs its checkpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Checkpoint {
    /// The hash this checkpoint must carry.
    pub fn compute_hash(&self) -> String {
        #[derive(Serialize)]
        struct Canonical<'a> {
            seq: u64,
            at: String,
            prev: &'a str,
            heads: &'a [Head],
            tickets: u64,
            root: &'a str,
        }
        let canonical = Canonical {
            seq: self.seq,
            at: self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            prev: &self.prev,
            heads: &self.heads,
            tickets: self.tickets,
            root: &self.root,
        };
        // Plain strings and numbers always encode.
        let bytes = serde_json::to_vec(&canonical).expect("canonical checkpoint encodes");
        hex::encode(Sha256::digest(&bytes))
    }
}

/// The heads every checkpoint so far vouches for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Anchor {
    /// The newest checkpoint's number (0: none yet).
    pub seq: u64,
    /// The newest checkpoint's hash ([`GENESIS`] before the first).
    pub hash: String,
    /// Every anchored ticket's head.
    pub heads: BTreeMap<TicketId, (u64, String)>,
}

impl Anchor {
    /// Folds stored checkpoints (oldest first), checking each link and, with
    /// `public_key`, each signature. Returns the anchor of the intact prefix and a finding
    /// for the first checkpoint that breaks the chain.
    pub fn fold(checkpoints: &[Checkpoint], public_key: Option<&str>) -> (Anchor, Option<Finding>) {
        let mut anchor = Anchor::default();
        for cp in checkpoints {
            let broken = |reason: &str| Finding::BrokenCheckpoint {
                seq: cp.seq,
                reason: reason.to_owned(),
            };
            if let Some(problem) = public_key.and_then(|k| signature_problem(cp, k)) {
                return (anchor, Some(broken(problem)));
            }
            if cp.seq != anchor.seq + 1 {
                return (anchor, Some(broken("a checkpoint is missing before it")));
            }
            if cp.prev != anchor.prev_hash() {
                return (anchor, Some(broken("it does not link to the previous one")));
            }
            if cp.compute_hash() != cp.hash {
                return (anchor, Some(broken("its content does not match its hash")));
            }
            let mut next = anchor.clone();
            for h in &cp.heads {
                next.heads
                    .insert(h.ticket_id.clone(), (h.version, h.hash.clone()));
            }
            if next.heads.len() as u64 != cp.tickets || next.root() != cp.root {
                return (
                    anchor,
                    Some(broken("its Merkle root does not match its heads")),
                );
            }
            next.seq = cp.seq;
            next.hash.clone_from(&cp.hash);
            anchor = next;
        }
        (anchor, None)
    }

    fn prev_hash(&self) -> &str {
        if self.seq == 0 {
            GENESIS
        } else {
            &self.hash
        }
    }

    /// The Merkle root over every anchored head, in ticket-id order.
    pub fn root(&self) -> String {
        let leaves = self
            .heads
            .iter()
            .map(|(id, (v, h))| hex::encode(Sha256::digest(format!("{id}\n{v}\n{h}").as_bytes())));
        merkle_root(leaves.collect())
    }

    /// The checkpoint that follows this anchor with `changed` heads.
    pub fn next(&self, mut changed: Vec<Head>, at: DateTime<Utc>) -> Checkpoint {
        changed.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
        let mut after = self.clone();
        for h in &changed {
            after
                .heads
                .insert(h.ticket_id.clone(), (h.version, h.hash.clone()));
        }
        let mut cp = Checkpoint {
            seq: self.seq + 1,
            at,
            prev: self.prev_hash().to_owned(),
            tickets: after.heads.len() as u64,
            root: after.root(),
            heads: changed,
            hash: String::new(),
            signature: None,
        };
        cp.hash = cp.compute_hash();
        cp
    }
}

/// Pairwise SHA-256 up to one root; an odd node is carried up unchanged.
fn merkle_root(mut level: Vec<String>) -> String {
    if level.is_empty() {
        return GENESIS.to_owned();
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => hex::encode(Sha256::digest(format!("{a}{b}").as_bytes())),
                [a] => a.clone(),
                _ => unreachable!("chunks(2)"),
            })
            .collect();
    }
    level.remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(id: &str, v: u64) -> Head {
        Head {
            ticket_id: id.into(),
            version: v,
            hash: format!("{id}{v}"),
        }
    }

    #[test]
    fn checkpoints_chain_and_fold() {
        let at: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        let first = Anchor::default().next(vec![head("b", 1), head("a", 2)], at);
        let (a1, broken) = Anchor::fold(std::slice::from_ref(&first), None);
        assert_eq!(broken, None);
        let second = a1.next(vec![head("a", 3)], at);
        let (a2, broken) = Anchor::fold(&[first.clone(), second.clone()], None);
        assert_eq!(broken, None);
        assert_eq!(a2.heads.len(), 2);
        assert_eq!(a2.hash, second.hash);
        assert_eq!(second.tickets, 2);
        // Any edit, removal or reordering is named.
        let mut edited = second.clone();
        edited.heads[0].version = 2;
        let (kept, broken) = Anchor::fold(&[first.clone(), edited], None);
        assert_eq!(kept, a1);
        assert!(matches!(
            broken,
            Some(Finding::BrokenCheckpoint { seq: 2, .. })
        ));
        let (_, broken) = Anchor::fold(std::slice::from_ref(&second), None);
        assert!(matches!(
            broken,
            Some(Finding::BrokenCheckpoint { seq: 2, .. })
        ));
        let mut rehashed = second.clone();
        rehashed.heads.clear();
        rehashed.hash = rehashed.compute_hash();
        let (_, broken) = Anchor::fold(&[first.clone(), rehashed], None);
        assert!(matches!(
            broken,
            Some(Finding::BrokenCheckpoint { seq: 2, .. })
        ));
    }

    #[test]
    fn signed_checkpoints_verify_and_forgeries_do_not() {
        let at: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        let seed = "42".repeat(32);
        let public = public_key_of(&seed).unwrap();
        let mut first = Anchor::default().next(vec![head("a", 1)], at);
        let unsigned = Anchor::fold(std::slice::from_ref(&first), Some(&public)).1;
        assert!(matches!(
            unsigned,
            Some(Finding::BrokenCheckpoint { seq: 1, .. })
        ));
        sign(&mut first, &seed, Some(&public)).unwrap();
        let (a1, broken) = Anchor::fold(std::slice::from_ref(&first), Some(&public));
        assert_eq!(broken, None);
        // Someone with the database but not the key: a re-hashed, re-signed forgery fails.
        let mut forged = a1.next(vec![head("a", 9)], at);
        sign(&mut forged, &"13".repeat(32), None).unwrap();
        let broken = Anchor::fold(&[first, forged], Some(&public)).1;
        assert!(matches!(
            broken,
            Some(Finding::BrokenCheckpoint { seq: 2, .. })
        ));
        let wrong = sign(&mut a1.next(vec![], at), &"13".repeat(32), Some(&public));
        assert_eq!(wrong.unwrap_err().field(), Some("anchor.signing_key_file"));
    }

    #[test]
    fn merkle_root_depends_on_every_leaf() {
        let leaves: Vec<String> = (0..5).map(|i| format!("{i:064}")).collect();
        let root = merkle_root(leaves.clone());
        for i in 0..5 {
            let mut other = leaves.clone();
            other[i] = "f".repeat(64);
            assert_ne!(merkle_root(other), root, "leaf {i}");
        }
        assert_eq!(merkle_root(vec![]), GENESIS);
    }
}
