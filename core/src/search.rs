//! Text search that gives the same answer on every backend: the analysis of text into terms
//! ([`analyze`]) and the BM25 ranking ([`bm25`]) live here, in core; backends only store the
//! postings. Spanish and English are both first-class.

pub mod analyze;
pub mod bm25;
pub mod index;
pub mod memory;
pub mod prune;
pub mod query;
mod stopwords;
pub mod tally;
pub mod top;

pub use analyze::{analyze, detect, Lang, Term, ANALYZER_VERSION};
pub use index::{DocAttrs, DocKind, SearchDoc, Terms};
pub use query::{Postings, PostingsQuery, QueryPlan};
pub use top::{TopDocs, TopHit, TopQuery};
