//! From text to search terms, the same way for a document and a query:
//!
//! 1. Unicode NFKC, so full-width and composed forms compare equal.
//! 2. Split on white space; a chunk that looks like an identifier — a folio
//!    (`INC-2026-000042`), a host (`web-01.acme.local`), an error code (`0x80070005`,
//!    `ERR_CONNECTION_REFUSED`) — is kept whole as a keyword, lower-cased, besides its parts.
//! 3. Words: lower-cased, stop words dropped, Snowball-stemmed in the text's language, then
//!    accents folded (`contraseñas` → `contraseñ` → `contrasen`): stemming first, because
//!    the Spanish stemmer reads the accents. A word whose accents change its stem
//!    (`información` → `inform`) also gives the stem of its unaccented spelling
//!    (`informacion`), so text typed without accents still matches.
//!
//! Changing any of this changes the terms of stored documents: [`ANALYZER_VERSION`] says
//! which analysis an index was built with, and a different one means reindexing.

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::stopwords;

/// The version of the analysis; stored with an index.
pub const ANALYZER_VERSION: u32 = 1;

/// Chunks and words longer than this (in characters) are left out: they are encoded data
/// (a base64 blob, a stack trace's mangled name), never typed in a search, and a term fits
/// in every backend's index key.
pub const MAX_TERM_CHARS: usize = 64;

/// A text's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Spanish.
    Es,
    /// English.
    En,
}

/// One term of an analysed text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A word, stemmed and folded.
    Word(String),
    /// An identifier kept whole (lower-cased): a folio, a host, an error code.
    Keyword(String),
}

impl Term {
    /// The term as stored: keywords are marked so a word never meets one.
    pub fn key(&self) -> String {
        match self {
            Term::Word(w) => w.clone(),
            Term::Keyword(k) => format!("#{k}"),
        }
    }
}

/// The terms of `text` in `lang`, in order, repeats kept (they count for BM25).
///
/// ```
/// use foliodesk_core::search::{analyze, Lang, Term};
/// let t = analyze("Olvidé mis contraseñas del INC-2026-000042", Lang::Es);
/// assert!(t.contains(&Term::Word("contrasen".into())));
/// assert!(t.contains(&Term::Keyword("inc-2026-000042".into())));
/// assert!(!t.contains(&Term::Word("mis".into())));
/// ```
pub fn analyze(text: &str, lang: Lang) -> Vec<Term> {
    let stemmer = Stemmer::create(match lang {
        Lang::Es => Algorithm::Spanish,
        Lang::En => Algorithm::English,
    });
    let stop = match lang {
        Lang::Es => stopwords::SPANISH,
        Lang::En => stopwords::ENGLISH,
    };
    let text: String = text.nfkc().collect();
    let mut terms = Vec::new();
    for chunk in text.split_whitespace() {
        let chunk = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if chunk.is_empty() || chunk.chars().count() > MAX_TERM_CHARS {
            continue;
        }
        if is_identifier(chunk) {
            terms.push(Term::Keyword(chunk.to_lowercase()));
        }
        for word in chunk.split(|c: char| !c.is_alphanumeric()) {
            let lower = word.to_lowercase();
            if lower.is_empty() || stop.contains(&lower.as_str()) {
                continue;
            }
            if lower.chars().any(|c| c.is_ascii_digit()) {
                terms.push(Term::Word(lower));
                continue;
            }
            let stem = fold(&stemmer.stem(&lower));
            // Typed without its accents (`informacion`) a word escapes the suffixes the
            // stemmer knows; its unaccented stem is kept too, on both sides, so the two
            // spellings meet.
            let bare = fold(&stemmer.stem(&fold(&lower)));
            if bare != stem {
                terms.push(Term::Word(bare));
            }
            terms.push(Term::Word(stem));
        }
    }
    terms
}

/// Guesses the language of `text` by its stop words (Spanish when undecided: the seeds'
/// own language).
///
/// ```
/// use foliodesk_core::search::{detect, Lang};
/// assert_eq!(detect("The printer on the second floor is jammed"), Lang::En);
/// assert_eq!(detect("La impresora de la segunda planta no imprime"), Lang::Es);
/// ```
pub fn detect(text: &str) -> Lang {
    let (mut es, mut en) = (0, 0);
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        es += usize::from(stopwords::SPANISH.contains(&w.as_str()));
        en += usize::from(stopwords::ENGLISH.contains(&w.as_str()));
    }
    if en > es {
        Lang::En
    } else {
        Lang::Es
    }
}

/// Accents and other marks removed (`ñ` → `n`, `ü` → `u`).
pub(crate) fn fold(word: &str) -> String {
    word.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Whether a chunk is an identifier to keep whole: letters or digits joined by `-`, `.`,
/// `_`, `/`, `:` or `@`, with a digit or a joiner other than a lone hyphen between words
/// (`e-mail` is a word; `web-01`, `acme.local`, `E_FAIL` are identifiers). A chunk of
/// letters and digits alone is one when it mixes them (`0x80070005`, `E1234`).
fn is_identifier(chunk: &str) -> bool {
    let joiners = ['-', '.', '_', '/', ':', '@'];
    if !chunk
        .chars()
        .all(|c| c.is_alphanumeric() || joiners.contains(&c))
    {
        return false;
    }
    let has_digit = chunk.chars().any(|c| c.is_ascii_digit());
    let has_alpha = chunk.chars().any(char::is_alphabetic);
    let joined = chunk.contains(joiners);
    let strong_joiner = chunk.contains(['.', '_', '/', ':', '@']);
    (joined && (has_digit || strong_joiner)) || (has_digit && has_alpha)
}
