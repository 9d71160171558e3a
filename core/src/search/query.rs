//! A search from query text to ranked documents: the plan of terms to look up, what a
//! backend answers with ([`Postings`]), and the BM25 scoring of that answer, all in core
//! so every backend ranks alike.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use unicode_normalization::UnicodeNormalization;

use super::analyze::fold;
use super::bm25::{self, Collection, Params};
use super::index::{DocAttrs, DocKind};
use super::{analyze, Lang};

/// How many index terms an incomplete last word may stand for.
pub const PREFIX_TERMS: u32 = 32;

/// The shortest incomplete word expanded by prefix (shorter ones match too much).
pub const PREFIX_CHARS: usize = 3;

/// The terms a query looks up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryPlan {
    /// Terms matched exactly ([`super::Term::key`]): the query analysed as Spanish and as
    /// English, since one desk holds both.
    pub exact: BTreeSet<String>,
    /// The last word, when the query does not end with a space, lower-cased and folded:
    /// it also matches every index term it begins (`impres` → `impresor`, `impresion`).
    pub prefix: Option<String>,
}

impl QueryPlan {
    /// The plan for `text`.
    ///
    /// ```
    /// use foliodesk_core::search::query::QueryPlan;
    /// let plan = QueryPlan::of("impresora atasc");
    /// assert!(plan.exact.contains("impresor"));
    /// assert_eq!(plan.prefix.as_deref(), Some("atasc"));
    /// assert_eq!(QueryPlan::of("impresora ").prefix, None);
    /// ```
    pub fn of(text: &str) -> QueryPlan {
        let mut exact = BTreeSet::new();
        for lang in [Lang::Es, Lang::En] {
            exact.extend(analyze(text, lang).iter().map(super::Term::key));
        }
        let prefix = if text.ends_with(char::is_whitespace) {
            None
        } else {
            text.split_whitespace().last().and_then(|chunk| {
                let word: String = chunk.nfkc().collect::<String>().to_lowercase();
                let word = word.rsplit(|c: char| !c.is_alphanumeric()).next()?;
                let word = fold(word);
                (word.chars().count() >= PREFIX_CHARS).then_some(word)
            })
        };
        QueryPlan { exact, prefix }
    }

    /// True when nothing can match.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefix.is_none()
    }

    /// What to ask a backend for documents of `kind`.
    pub fn postings_query(&self, kind: DocKind) -> PostingsQuery {
        PostingsQuery {
            kind,
            terms: self.exact.iter().cloned().collect(),
            prefix: self.prefix.clone(),
            prefix_limit: PREFIX_TERMS,
        }
    }
}

/// What a backend looks up: postings of documents of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostingsQuery {
    /// The kind of documents.
    pub kind: DocKind,
    /// Terms matched exactly, sorted.
    pub terms: Vec<String>,
    /// Also the first `prefix_limit` stored terms (in byte order) that begin with this.
    pub prefix: Option<String>,
    /// See `prefix`.
    pub prefix_limit: u32,
}

impl PostingsQuery {
    /// Whether a stored term is looked up: one of `terms`, or begins with `prefix`.
    pub fn wants_prefix(&self, term: &str) -> bool {
        self.prefix.as_deref().is_some_and(|p| term.starts_with(p))
    }
}

/// A backend's answer to a [`PostingsQuery`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Postings {
    /// Documents of the kind in the whole index.
    pub documents: u64,
    /// Their lengths summed.
    pub total_length: u64,
    /// For each term found: the documents holding it with its count there. Terms not
    /// found may be left out.
    pub lists: BTreeMap<String, Vec<(String, u32)>>,
    /// Every document named in `lists`: its length and attributes.
    pub docs: HashMap<String, (u32, DocAttrs)>,
}

/// `postings` scored for `plan` by BM25 and ranked best first (ties by key), keeping only
/// documents `keep` accepts. Each exact term adds its score; the words an incomplete last
/// word stands for add the best of theirs, once.
pub fn score(
    plan: &QueryPlan,
    postings: &Postings,
    keep: impl Fn(&DocAttrs) -> bool,
) -> Vec<(String, f64)> {
    let collection = Collection {
        documents: postings.documents,
        mean_length: postings.total_length as f64 / postings.documents.max(1) as f64,
    };
    let params = Params::default();
    let mut exact: HashMap<&str, f64> = HashMap::new();
    let mut prefixed: HashMap<&str, f64> = HashMap::new();
    for (term, list) in &postings.lists {
        let is_exact = plan.exact.contains(term);
        let is_prefixed =
            !is_exact && (plan.prefix.as_deref()).is_some_and(|p| term.starts_with(p));
        if !is_exact && !is_prefixed {
            continue;
        }
        let df = list.len() as u64;
        for (doc, tf) in list {
            let Some((length, attrs)) = postings.docs.get(doc) else {
                continue;
            };
            if !keep(attrs) {
                continue;
            }
            let s = bm25::score(*tf, df, *length, collection, params);
            if is_exact {
                *exact.entry(doc).or_default() += s;
            } else {
                let best = prefixed.entry(doc).or_default();
                *best = best.max(s);
            }
        }
    }
    for (doc, s) in prefixed {
        *exact.entry(doc).or_default() += s;
    }
    let mut hits: Vec<(String, f64)> = exact.into_iter().map(|(d, s)| (d.to_owned(), s)).collect();
    bm25::rank(&mut hits);
    hits
}
