//! Attachment bytes: content-addressed, stored once, read back byte for byte.

use super::Harness;
use crate::attachment::sha256_hex;

/// `put_blob` keeps bytes under their SHA-256 and returns it; the same bytes again change
/// nothing; every byte value, an empty file and a multi-megabyte one come back exactly; an
/// unknown key reads as absent.
pub async fn blobs_are_content_addressed(h: &dyn Harness) {
    let store = h.store("blobs_are_content_addressed").await;
    let small: Vec<u8> = (0..=255u8).collect();
    let key = sha256_hex(&small);
    assert_eq!(store.blob(&key).await.unwrap(), None);
    assert_eq!(store.put_blob(small.clone()).await.unwrap(), key);
    assert_eq!(store.put_blob(small.clone()).await.unwrap(), key);
    assert_eq!(store.blob(&key).await.unwrap().as_deref(), Some(&small[..]));

    // A 5 MiB file: larger than a page, a packet or an inline value in every engine.
    let big: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let big_key = store.put_blob(big.clone()).await.unwrap();
    assert_eq!(big_key, sha256_hex(&big));
    let back = store.blob(&big_key).await.unwrap().unwrap();
    assert!(back == big, "the 5 MiB blob came back changed");

    let empty = store.put_blob(Vec::new()).await.unwrap();
    assert_eq!(store.blob(&empty).await.unwrap(), Some(Vec::new()));
    assert_eq!(store.blob(&"0".repeat(64)).await.unwrap(), None);
    assert_eq!(store.blob(&key).await.unwrap().as_deref(), Some(&small[..]));
}
