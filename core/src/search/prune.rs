//! Which postings a page of the ranking can come from (MaxScore): a term can add at most
//! its weight at its highest count in its shortest document, so a document holding only
//! terms whose bounds sum to less than the score the page's last hit already beats cannot
//! reach the page. A backend that scores where the postings are scores a few documents
//! first (those of the rarest terms) to learn such a score, then only the documents that
//! hold one of the other, *essential*, terms — and gives exactly the page it would give
//! scoring every document, because the bounds are upper bounds and the margin covers the
//! ranking's nine decimals.
//!
//! ```
//! use foliodesk_core::search::prune::{essential, seeds, Bound};
//! let bounds = [
//!     Bound { exact: true, most: 0.3, df: 9_000 }, // a word in most tickets
//!     Bound { exact: true, most: 4.0, df: 12 },    // a rare one
//! ];
//! assert_eq!(seeds(&bounds, 10), vec![1]);
//! // Once ten documents are known to score 2.0, the common word alone cannot get one in.
//! assert_eq!(essential(&bounds, 2.0), vec![1]);
//! ```

/// What one query term can add to a document's score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// An exact term (its weights add up); otherwise a word the prefix stands for (the
    /// prefix counts its best word once).
    pub exact: bool,
    /// Its weight at its highest count in its shortest document: no document gets more.
    pub most: f64,
    /// How many documents hold it.
    pub df: u64,
}

/// Below the threshold by more than this, a bound cannot tie at nine decimals, whatever
/// order the engine sums in.
pub const MARGIN: f64 = 1e-6;

/// The rarest terms (by index), enough that their documents could fill a page of `k`:
/// scoring those documents in full gives a score the page's last hit reaches. Empty when
/// all of them would be needed anyway.
pub fn seeds(bounds: &[Bound], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bounds.len()).collect();
    order.sort_by_key(|&i| (bounds[i].df, i));
    let mut held = 0u64;
    let mut out = Vec::new();
    for i in order {
        if held >= k as u64 {
            break;
        }
        held += bounds[i].df;
        out.push(i);
    }
    if out.len() == bounds.len() {
        out.clear();
    }
    out
}

/// The terms (by index, ascending) a document must hold one of to score `threshold` or
/// more: the others, smallest bounds first, for as long as a document holding only them
/// stays under it by [`MARGIN`].
pub fn essential(bounds: &[Bound], threshold: f64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bounds.len()).collect();
    order.sort_by(|&a, &b| bounds[a].most.total_cmp(&bounds[b].most).then(a.cmp(&b)));
    let (mut sum, mut best) = (0.0f64, 0.0f64);
    let mut left_out = 0;
    for &i in &order {
        let b = bounds[i];
        let (s, m) = match b.exact {
            true => (sum + b.most, best),
            false => (sum, best.max(b.most)),
        };
        // `>=` would let a NaN bound through as prunable; this keeps it.
        let under = s + m < threshold - MARGIN;
        if !under {
            break;
        }
        (sum, best) = (s, m);
        left_out += 1;
    }
    let mut kept = order.split_off(left_out);
    kept.sort_unstable();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(exact: bool, most: f64, df: u64) -> Bound {
        Bound { exact, most, df }
    }

    #[test]
    fn seeds_are_the_rarest_until_a_page() {
        let bounds = [
            b(true, 1.0, 500),
            b(true, 3.0, 4),
            b(false, 2.0, 8),
            b(true, 1.0, 90),
        ];
        assert_eq!(seeds(&bounds, 10), vec![1, 2]);
        assert_eq!(seeds(&bounds, 1), vec![1]);
        assert!(seeds(&bounds, 10_000).is_empty(), "every term: no pruning");
    }

    #[test]
    fn the_prefix_counts_its_best_word_once() {
        // Two prefix words of 1.0 add up to 1.0, not 2.0: both stay out under 1.5.
        let bounds = [b(false, 1.0, 50), b(false, 1.0, 60), b(true, 5.0, 3)];
        assert_eq!(essential(&bounds, 1.5), vec![2]);
        // Exact ones add up: the second would reach 2.0.
        let bounds = [b(true, 1.0, 50), b(true, 1.0, 60), b(true, 5.0, 3)];
        assert_eq!(essential(&bounds, 1.5), vec![1, 2]);
    }

    #[test]
    fn nothing_is_left_out_without_a_threshold() {
        let bounds = [b(true, 0.1, 5), b(false, 0.2, 6)];
        assert_eq!(essential(&bounds, 0.0), vec![0, 1]);
        // A bound a hair under the threshold could still tie: kept.
        assert_eq!(essential(&bounds, 0.1 + MARGIN / 2.0), vec![0, 1]);
    }
}
