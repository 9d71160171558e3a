//! Ed25519 signatures over checkpoints: the `[anchor]` configuration names the public key
//! every checkpoint must be signed with, and where the signing key is kept.
//!
//! The signing key is never part of the configuration (which the store keeps beside the
//! data it protects): the configuration names a file, and the host reads it. Whoever holds
//! only the database cannot forge a signed checkpoint.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::Checkpoint;
use crate::{Error, Result};

/// The `[anchor]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AnchorConfig {
    /// Hex Ed25519 public key (32 bytes). When set, every checkpoint must carry a valid
    /// signature by it.
    pub public_key: Option<String>,
    /// A file holding the hex Ed25519 signing key (32-byte seed) checkpoints are signed
    /// with; read when a checkpoint is taken.
    pub signing_key_file: Option<String>,
}

impl AnchorConfig {
    /// Checks that the public key is a valid Ed25519 key.
    pub fn validate(&self) -> Result<()> {
        if let Some(k) = &self.public_key {
            verifying_key(k)?;
        }
        Ok(())
    }
}

fn bytes32(field: &str, hex_text: &str) -> Result<[u8; 32]> {
    let bytes = hex::decode(hex_text.trim())
        .map_err(|e| Error::validation(field, format!("not hexadecimal: {e}")))?;
    bytes
        .try_into()
        .map_err(|_| Error::validation(field, "must be 32 bytes (64 hex digits)"))
}

fn verifying_key(hex_text: &str) -> Result<VerifyingKey> {
    let bytes = bytes32("anchor.public_key", hex_text)?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|e| Error::validation("anchor.public_key", format!("not an Ed25519 key: {e}")))
}

/// The hex public key of a hex signing key (seed).
///
/// ```
/// let public = foliodesk_core::anchor::public_key_of(&"11".repeat(32)).unwrap();
/// assert_eq!(public.len(), 64);
/// ```
pub fn public_key_of(signing_key_hex: &str) -> Result<String> {
    let seed = bytes32("anchor.signing_key_file", signing_key_hex)?;
    Ok(hex::encode(
        SigningKey::from_bytes(&seed).verifying_key().as_bytes(),
    ))
}

/// Signs `cp` (its hash) with the hex signing key; refuses a key whose public half is not
/// `expected_public` when one is configured.
pub fn sign(
    cp: &mut Checkpoint,
    signing_key_hex: &str,
    expected_public: Option<&str>,
) -> Result<()> {
    let seed = bytes32("anchor.signing_key_file", signing_key_hex)?;
    let key = SigningKey::from_bytes(&seed);
    if let Some(expected) = expected_public {
        if verifying_key(expected)? != key.verifying_key() {
            return Err(Error::validation(
                "anchor.signing_key_file",
                "the signing key does not match anchor.public_key",
            ));
        }
    }
    cp.signature = Some(hex::encode(key.sign(cp.hash.as_bytes()).to_bytes()));
    Ok(())
}

/// Why `cp` does not carry a valid signature by `public_key_hex`, if it does not.
pub fn signature_problem(cp: &Checkpoint, public_key_hex: &str) -> Option<&'static str> {
    let Ok(key) = verifying_key(public_key_hex) else {
        return Some("the configured public key is invalid");
    };
    let Some(sig) = &cp.signature else {
        return Some("it is not signed");
    };
    let Ok(bytes) = hex::decode(sig) else {
        return Some("its signature is not hexadecimal");
    };
    let Ok(sig) = Signature::from_slice(&bytes) else {
        return Some("its signature is malformed");
    };
    key.verify(cp.hash.as_bytes(), &sig)
        .err()
        .map(|_| "its signature does not verify")
}
