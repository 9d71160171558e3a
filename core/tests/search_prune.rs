//! Pruning by bounds (`search::prune`) gives exactly the page scoring every document gives:
//! random collections, queries mixing exact terms and a prefix's words, pages anywhere.

use foliodesk_core::search::bm25::{self, Params, Weight};
use foliodesk_core::search::prune::{essential, seeds, Bound};
use proptest::prelude::*;

/// A collection: document lengths, and per query term whether it is exact and its
/// postings (document, count).
#[derive(Debug, Clone)]
struct Case {
    lengths: Vec<u32>,
    terms: Vec<(bool, Vec<(usize, u32)>)>,
    offset: usize,
    limit: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..60).prop_flat_map(|docs| {
        let lengths = prop::collection::vec(1u32..60, docs);
        let postings = prop::collection::btree_map(0..docs, 1u32..6, 0..docs.min(40))
            .prop_map(|m| m.into_iter().collect::<Vec<_>>());
        let terms = prop::collection::vec((any::<bool>(), postings), 1..8);
        (lengths, terms, 0usize..6, 1usize..12).prop_map(|(lengths, terms, offset, limit)| Case {
            lengths,
            terms,
            offset,
            limit,
        })
    })
}

/// The collection's size and BM25 constants.
fn collection(c: &Case) -> (u64, Weight) {
    let n = c.lengths.len() as u64;
    let mean = c.lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n as f64;
    (n, Weight::new(mean, Params::default()))
}

/// Every document's score: exact weights add up, the prefix's best counts once.
fn scores(c: &Case, only: Option<&[usize]>) -> Vec<(String, f64)> {
    let (n, w) = collection(c);
    let mut sums = vec![(0.0f64, 0.0f64, false); c.lengths.len()];
    for (exact, postings) in &c.terms {
        let idf = bm25::idf(postings.len() as u64, n);
        for &(d, tf) in postings {
            let x = w.of(f64::from(tf), f64::from(c.lengths[d]), idf);
            let s = &mut sums[d];
            if *exact {
                s.0 += x;
            } else {
                s.1 = s.1.max(x);
            }
            s.2 = true;
        }
    }
    let mut hits: Vec<(String, f64)> = (sums.iter().enumerate())
        .filter(|(d, s)| s.2 && only.is_none_or(|o| o.contains(d)))
        .map(|(d, s)| (format!("d{d:03}"), s.0 + s.1))
        .collect();
    bm25::rank(&mut hits);
    hits
}

fn bounds(c: &Case) -> Vec<Bound> {
    let (n, w) = collection(c);
    (c.terms.iter())
        .map(|(exact, postings)| {
            let idf = bm25::idf(postings.len() as u64, n);
            let tf = postings.iter().map(|p| p.1).max().unwrap_or(0);
            let length = postings.iter().map(|p| c.lengths[p.0]).min().unwrap_or(1);
            Bound {
                exact: *exact,
                most: w.of(f64::from(tf), f64::from(length), idf),
                df: postings.len() as u64,
            }
        })
        .collect()
}

/// The documents holding one of `terms`.
fn holding(c: &Case, terms: &[usize]) -> Vec<usize> {
    let mut docs: Vec<usize> = (terms.iter())
        .flat_map(|&t| c.terms[t].1.iter().map(|p| p.0))
        .collect();
    docs.sort_unstable();
    docs.dedup();
    docs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn pruned_pages_are_exact(c in case()) {
        let k = c.offset + c.limit;
        let page = |hits: Vec<(String, f64)>| -> Vec<(String, f64)> {
            hits.into_iter().skip(c.offset).take(c.limit).collect()
        };
        let full = page(scores(&c, None));
        let bounds = bounds(&c);
        let seeded = seeds(&bounds, k);
        let threshold = match seeded.is_empty() {
            true => 0.0,
            false => {
                let seen = scores(&c, Some(&holding(&c, &seeded)));
                seen.get(k - 1).map_or(0.0, |h| h.1)
            }
        };
        let kept = essential(&bounds, threshold);
        let pruned = page(scores(&c, Some(&holding(&c, &kept))));
        prop_assert_eq!(pruned, full);
    }
}
