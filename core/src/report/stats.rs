//! Summaries of durations and rates, exact: a report keeps the seconds of each measured
//! ticket (4 bytes apiece) and sorts them once, so the median and the 90th percentile are
//! the nearest-rank values an auditor can recompute by hand.

use serde::{Deserialize, Serialize};

/// Mean, median and 90th percentile of a set of durations, in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Durations {
    /// How many tickets were measured.
    pub count: u64,
    /// The mean (0 when none).
    pub mean: f64,
    /// The nearest-rank median (the lower of the two middle values).
    pub median: u32,
    /// The nearest-rank 90th percentile.
    pub p90: u32,
}

/// The nearest-rank `p`-th percentile of sorted `v` (`p` in 1..=100).
pub fn percentile(sorted: &[u32], p: u32) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1);
    sorted[(rank - 1) as usize]
}

impl Durations {
    /// The summary of `values` (sorted in place).
    pub fn of(values: &mut [u32]) -> Durations {
        values.sort_unstable();
        let sum: u64 = values.iter().map(|v| u64::from(*v)).sum();
        let count = values.len() as u64;
        Durations {
            count,
            mean: if count == 0 {
                0.0
            } else {
                round3(sum as f64 / count as f64)
            },
            median: percentile(values, 50),
            p90: percentile(values, 90),
        }
    }
}

/// A share: `part` of `of`, and the rate in percent (0 when `of` is 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rate {
    /// The tickets that count.
    pub part: u64,
    /// Out of these.
    pub of: u64,
    /// `part / of` in percent, to three decimals.
    pub percent: f64,
}

impl Rate {
    /// `part` out of `of`.
    pub fn new(part: u64, of: u64) -> Rate {
        Rate {
            part,
            of,
            percent: if of == 0 {
                0.0
            } else {
                round3(100.0 * part as f64 / of as f64)
            },
        }
    }
}

/// Rounds to three decimals, so figures print the same everywhere.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Met and breached counts of settled SLA targets.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Tally {
    /// Met.
    pub met: u64,
    /// Breached.
    pub breached: u64,
}

impl Tally {
    /// Counts one settled target.
    pub fn count(&mut self, breached: bool) {
        if breached {
            self.breached += 1;
        } else {
            self.met += 1;
        }
    }

    /// Compliance: met out of settled.
    pub fn compliance(&self) -> Rate {
        Rate::new(self.met, self.met + self.breached)
    }
}

/// Counters by name number as a map by name (`-` for none), keeping those `keep` wants;
/// two numbers with one name (a team called `-`) are added together.
pub(crate) fn grouped<T: Merge>(
    names: &super::block::Names,
    counters: Vec<T>,
    keep: impl Fn(&T) -> bool,
) -> std::collections::BTreeMap<String, T> {
    let mut out = std::collections::BTreeMap::<String, T>::new();
    for (id, c) in counters.into_iter().enumerate() {
        if keep(&c) {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            let name = names.get(id).unwrap_or("-");
            match out.get_mut(name) {
                Some(into) => into.merge(c),
                None => {
                    out.insert(name.to_owned(), c);
                }
            }
        }
    }
    out
}

/// Counters that two groups of one name add up.
pub(crate) trait Merge {
    fn merge(&mut self, other: Self);
}

impl Merge for u64 {
    fn merge(&mut self, other: u64) {
        *self += other;
    }
}

impl Merge for Tally {
    fn merge(&mut self, other: Tally) {
        self.met += other.met;
        self.breached += other.breached;
    }
}
