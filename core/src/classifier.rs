//! Automatic categorisation (seed 000): multinomial naive Bayes over the search analysis
//! of a ticket's title and description, one model per thing suggested (category, team,
//! priority). Counting is the whole of training, so a correction is a subtraction and an
//! addition, and the model follows the agents as they reclassify.
//!
//! ```
//! use foliodesk_core::classifier::NaiveBayes;
//! use foliodesk_core::search::{analyze, Lang};
//! let mut nb = NaiveBayes::default();
//! let terms = |s: &str| analyze(s, Lang::Es).iter().map(|t| t.key()).collect::<Vec<_>>();
//! nb.add(&terms("la impresora no imprime"), "Hardware/Impresoras");
//! nb.add(&terms("no puedo conectar a la VPN"), "Red/VPN");
//! let guesses = nb.predict(&terms("impresora atascada"));
//! assert_eq!(guesses[0].label, "Hardware/Impresoras");
//! assert!(guesses[0].confidence > 0.5);
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

pub mod suggest;

/// When the classifier's suggestion is applied to a new ticket that came without a
/// category (`[classifier]`); below the threshold, or before enough tickets taught it, it
/// only suggests. Priority is only ever suggested: the matrix is the rule of record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifierConfig {
    /// The confidence, in percent, from which the category (and its routing, or the
    /// suggested team when the category routes nowhere) is applied; none (the default)
    /// never applies.
    pub apply_above: Option<u8>,
    /// How many solved tickets must have taught the classifier before it applies anything.
    pub min_examples: u32,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        ClassifierConfig {
            apply_above: None,
            min_examples: 50,
        }
    }
}

impl ClassifierConfig {
    /// A threshold is a percentage, above one in a hundred.
    pub fn validate(&self) -> crate::Result<()> {
        match self.apply_above {
            Some(p) if !(1..=100).contains(&p) => Err(crate::Error::validation(
                "classifier.apply_above",
                "must be a percentage from 1 to 100",
            )),
            _ => Ok(()),
        }
    }

    /// Whether `guess` is sure enough to apply, with `examples` taught.
    pub fn applies(&self, guess: &Guess, examples: u32) -> bool {
        self.apply_above.is_some_and(|p| {
            examples >= self.min_examples && guess.confidence * 100.0 >= f64::from(p)
        })
    }
}

/// Laplace smoothing: an unseen term counts as seen this often in every label.
const ALPHA: f64 = 0.1;

/// One label's counts.
#[derive(Clone, Debug, Default, PartialEq)]
struct LabelCounts {
    docs: u32,
    terms: u64,
    counts: HashMap<String, u32>,
}

/// A multinomial naive Bayes model: per label, how many documents and how often each term.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NaiveBayes {
    labels: BTreeMap<String, LabelCounts>,
    /// In how many labels' counts each term appears (the vocabulary, with a refcount so a
    /// removal can shrink it).
    vocabulary: HashMap<String, u32>,
    docs: u32,
}

/// A suggested label with the model's confidence in it (0–1; the guesses of one
/// prediction add up to 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Guess {
    /// The category path, team id or priority (`"4"`).
    pub label: String,
    /// The posterior probability.
    pub confidence: f64,
}

impl NaiveBayes {
    /// Counts one document's `terms` under `label`.
    pub fn add(&mut self, terms: &[String], label: &str) {
        let counts = self.labels.entry(label.to_owned()).or_default();
        counts.docs += 1;
        self.docs += 1;
        for term in terms {
            let n = counts.counts.entry(term.clone()).or_insert(0);
            if *n == 0 {
                *self.vocabulary.entry(term.clone()).or_insert(0) += 1;
            }
            *n += 1;
            counts.terms += 1;
        }
    }

    /// Takes back a document [`NaiveBayes::add`] counted (the same terms and label). A
    /// document never added is ignored term by term.
    pub fn remove(&mut self, terms: &[String], label: &str) {
        let Some(counts) = self.labels.get_mut(label) else {
            return;
        };
        if counts.docs == 0 {
            return;
        }
        counts.docs -= 1;
        self.docs -= 1;
        for term in terms {
            let Some(n) = counts.counts.get_mut(term) else {
                continue;
            };
            *n -= 1;
            counts.terms -= 1;
            if *n == 0 {
                counts.counts.remove(term);
                if let Some(v) = self.vocabulary.get_mut(term) {
                    *v -= 1;
                    if *v == 0 {
                        self.vocabulary.remove(term);
                    }
                }
            }
        }
        if counts.docs == 0 {
            self.labels.remove(label);
        }
    }

    /// How many documents are counted.
    pub fn documents(&self) -> u32 {
        self.docs
    }

    /// Every label, most likely first (ties by label), with posterior probabilities.
    /// Terms never seen in training are left out; with no known term the guesses are the
    /// labels' shares of the documents.
    pub fn predict(&self, terms: &[String]) -> Vec<Guess> {
        if self.docs == 0 {
            return Vec::new();
        }
        let v = self.vocabulary.len() as f64;
        let known: Vec<&String> = (terms.iter())
            .filter(|t| self.vocabulary.contains_key(*t))
            .collect();
        let mut scores: Vec<(&String, f64)> = (self.labels.iter())
            .map(|(label, c)| {
                let prior = (f64::from(c.docs) / f64::from(self.docs)).ln();
                let denominator = (c.terms as f64 + ALPHA * v).ln();
                let likelihood: f64 = (known.iter())
                    .map(|t| {
                        let n = c.counts.get(*t).copied().unwrap_or(0);
                        (f64::from(n) + ALPHA).ln() - denominator
                    })
                    .sum();
                (label, prior + likelihood)
            })
            .collect();
        let top = scores.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = scores.iter().map(|s| (s.1 - top).exp()).sum();
        for s in &mut scores {
            s.1 = (s.1 - top).exp() / total;
        }
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        (scores.into_iter())
            .map(|(label, confidence)| Guess {
                label: label.clone(),
                confidence,
            })
            .collect()
    }
}
