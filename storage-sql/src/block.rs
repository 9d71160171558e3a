//! A block of one term's postings on SQLite (`fd_term_blocks.data`): up to [`MOST`]
//! postings in document order (each document's `seq`, see [`crate::merge`]), each with its
//! document's key, so a search scores a block without looking anything else up.
//!
//! Layout: a format byte, then per posting the varint (LEB128) gap from the previous
//! posting's `seq` (the first posting's own `seq`), the key's length and bytes (UTF-8), the
//! term's count and the document's length.

/// The layout written; a block of another is refused as damaged.
const FORMAT: u8 = 1;

/// Postings per block: a block is rewritten whole when one of its postings changes, and
/// read whole by a search; 128 postings of ~40 bytes span about a page and a half.
pub(crate) const MOST: usize = 128;

/// A posting as the merge handles it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub seq: i64,
    pub key: String,
    pub tf: u32,
    pub length: u32,
}

/// `entries` (ascending by `seq`) as a block.
pub(crate) fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + entries.len() * 44);
    out.push(FORMAT);
    let mut previous = 0i64;
    for e in entries {
        put(&mut out, (e.seq - previous) as u64);
        previous = e.seq;
        put(&mut out, e.key.len() as u64);
        out.extend_from_slice(e.key.as_bytes());
        put(&mut out, u64::from(e.tf));
        put(&mut out, u64::from(e.length));
    }
    out
}

/// Calls `each(seq, key, tf, length)` for every posting of block `data`, in order; an error
/// names what is damaged.
pub(crate) fn decode(
    data: &[u8],
    mut each: impl FnMut(i64, &str, u32, u32),
) -> Result<(), &'static str> {
    let Some((&FORMAT, mut rest)) = data.split_first() else {
        return Err("a search block of an unknown format");
    };
    let mut seq = 0i64;
    while !rest.is_empty() {
        let gap = take(&mut rest)?;
        seq = seq
            .checked_add_unsigned(gap)
            .ok_or("a search block's seq overflows")?;
        let len = take(&mut rest)? as usize;
        if len > rest.len() {
            return Err("a search block's key runs past its end");
        }
        let (key, after) = rest.split_at(len);
        let key = std::str::from_utf8(key).map_err(|_| "a search block's key is not UTF-8")?;
        rest = after;
        let tf = u32::try_from(take(&mut rest)?).map_err(|_| "a search block's count")?;
        let length = u32::try_from(take(&mut rest)?).map_err(|_| "a search block's length")?;
        each(seq, key, tf, length);
    }
    Ok(())
}

/// `data`'s postings, owned.
pub(crate) fn entries(data: &[u8]) -> Result<Vec<Entry>, &'static str> {
    let mut out = Vec::new();
    decode(data, |seq, key, tf, length| {
        let key = key.to_owned();
        out.push(Entry {
            seq,
            key,
            tf,
            length,
        });
    })?;
    Ok(out)
}

fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn take(rest: &mut &[u8]) -> Result<u64, &'static str> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let Some((&byte, after)) = rest.split_first() else {
            return Err("a search block ends inside a number");
        };
        *rest = after;
        n |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(n);
        }
    }
    Err("a search block's number is too long")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, key: &str, tf: u32, length: u32) -> Entry {
        let key = key.to_owned();
        Entry {
            seq,
            key,
            tf,
            length,
        }
    }

    #[test]
    fn a_block_reads_back_what_was_written() {
        let written = vec![
            entry(1, "t:a", 1, 40),
            entry(300, "t:ñandú", 3, 70_000),
            entry(i64::from(u32::MAX) + 9, "a:x", u32::MAX, 0),
        ];
        assert_eq!(entries(&encode(&written)).unwrap(), written);
        assert_eq!(entries(&encode(&[])).unwrap(), vec![]);
    }

    #[test]
    fn a_damaged_block_is_refused_not_misread() {
        let data = encode(&[entry(5, "t:abc", 2, 9)]);
        for cut in 2..data.len() {
            assert!(entries(&data[..cut]).is_err(), "cut at {cut}");
        }
        assert!(entries(&[]).is_err());
        assert!(entries(&[2]).is_err(), "another format");
        let mut bad = data.clone();
        bad[3] = 0xff; // inside the key
        assert!(entries(&bad).is_err());
    }
}
