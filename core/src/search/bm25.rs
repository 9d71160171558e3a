//! BM25 (Robertson–Spärck Jones, with the Lucene idf that never goes negative), and a fixed
//! order for ties, so every backend ranks the same documents the same way.

/// The usual constants: term-frequency saturation and length normalisation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// Saturation (1.2).
    pub k1: f64,
    /// Length normalisation (0.75).
    pub b: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params { k1: 1.2, b: 0.75 }
    }
}

/// What the collection says of one query term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Collection {
    /// Documents in the collection.
    pub documents: u64,
    /// Their mean length in terms.
    pub mean_length: f64,
}

/// The inverse document frequency of a term found in `df` of `n` documents.
///
/// ```
/// use foliodesk_core::search::bm25::idf;
/// assert!(idf(1, 1000) > idf(10, 1000));
/// assert!(idf(1000, 1000) > 0.0);
/// ```
pub fn idf(df: u64, n: u64) -> f64 {
    let (df, n) = (df as f64, n as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The BM25 contribution of a term occurring `tf` times in a document of `length` terms,
/// the term being in `df` documents of the collection.
pub fn score(tf: u32, df: u64, length: u32, c: Collection, p: Params) -> f64 {
    if tf == 0 || c.documents == 0 {
        return 0.0;
    }
    weight(tf, length, idf(df, c.documents), c.mean_length, p)
}

/// [`score`] with the term's idf given: the one formula every backend computes, in this
/// order of operations (SQL backends write it out as [`Weight::sql`] says), so that their
/// figures agree to the last bits.
pub fn weight(tf: u32, length: u32, idf: f64, mean_length: f64, p: Params) -> f64 {
    let w = Weight::new(mean_length, p);
    w.of(f64::from(tf), f64::from(length), idf)
}

/// The constants of [`weight`] for one collection, as a backend binds them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weight {
    /// `k1 + 1`.
    pub k1_plus_one: f64,
    /// `k1`.
    pub k1: f64,
    /// `1 - b`.
    pub one_minus_b: f64,
    /// `b`.
    pub b: f64,
    /// The mean document length, at least 1.
    pub mean_length: f64,
}

impl Weight {
    /// The constants for a collection of `mean_length`.
    pub fn new(mean_length: f64, p: Params) -> Weight {
        Weight {
            k1_plus_one: p.k1 + 1.0,
            k1: p.k1,
            one_minus_b: 1.0 - p.b,
            b: p.b,
            mean_length: mean_length.max(1.0),
        }
    }

    /// The weight of a term of `idf` occurring `tf` times in a document of `length`.
    pub fn of(&self, tf: f64, length: f64, idf: f64) -> f64 {
        idf * tf * self.k1_plus_one
            / (tf + self.k1 * (self.one_minus_b + self.b * length / self.mean_length))
    }

    /// The same in SQL over columns `idf`, `tf` and `length`, with `?` for
    /// [`Weight::binds`] in order.
    pub const SQL: &'static str = "idf * tf * ? / (tf + ? * (? + ? * length / ?))";

    /// The constants in the order of [`Weight::SQL`]'s placeholders.
    pub fn binds(&self) -> [f64; 5] {
        [
            self.k1_plus_one,
            self.k1,
            self.one_minus_b,
            self.b,
            self.mean_length,
        ]
    }
}

/// Sorts `(id, score)` hits best first; scores equal to nine decimals by id, so the order
/// is the same on every backend and run whatever order floating-point sums came in.
///
/// ```
/// use foliodesk_core::search::bm25::rank;
/// let mut hits = vec![("b", 1.0), ("c", 2.0), ("a", 1.0 + 1e-12)];
/// rank(&mut hits);
/// assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), ["c", "a", "b"]);
/// ```
pub fn rank<T: Ord>(hits: &mut [(T, f64)]) {
    hits.sort_by(|(a, sa), (b, sb)| order((a, *sa), (b, *sb)));
}

/// A score to nine decimals: quantised, the comparison is a total order (a tolerance would
/// not be transitive).
pub fn quantise(score: f64) -> i64 {
    (score * 1e9).round() as i64
}

/// [`rank`]'s order of two hits: the higher score to nine decimals first, then by id.
pub fn order<T: Ord>((a, sa): (&T, f64), (b, sb): (&T, f64)) -> std::cmp::Ordering {
    quantise(sb).cmp(&quantise(sa)).then_with(|| a.cmp(b))
}
