//! Impact, urgency and priority, and the matrix that turns the first two into the third.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Result, UserId};

macro_rules! level {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(try_from = "u8", into = "u8")]
        pub struct $name(u8);

        impl $name {
            /// The lowest value, 1.
            pub const MIN: $name = $name(1);
            /// The highest value, 5.
            pub const MAX: $name = $name(5);

            /// Accepts 1 to 5; anything else is a validation error naming the field.
            pub fn new(value: u8) -> Result<Self> {
                if (1..=5).contains(&value) {
                    Ok($name(value))
                } else {
                    Err(Error::validation($field, format!("{value} is out of range 1..=5")))
                }
            }

            /// The value, 1 to 5 (5 = highest).
            pub fn get(self) -> u8 {
                self.0
            }
        }

        impl TryFrom<u8> for $name {
            type Error = Error;
            fn try_from(value: u8) -> Result<Self> {
                $name::new(value)
            }
        }

        impl From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

level!(
    /// How much of the business is affected, 1 (one person) to 5 (everyone).
    Impact, "impact"
);
level!(
    /// How soon it must be dealt with, 1 (can wait) to 5 (now).
    Urgency, "urgency"
);
level!(
    /// The resulting priority, 1 (very low) to 5 (major).
    Priority, "priority"
);

/// Impact × urgency → priority. Rows are urgency 1–5, columns impact 1–5.
///
/// ```
/// use foliodesk_core::{Impact, PriorityMatrix, Urgency};
/// let m = PriorityMatrix::default();
/// let p = m.priority(Impact::new(5).unwrap(), Urgency::new(4).unwrap());
/// assert_eq!(p.get(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "Vec<Vec<u8>>", into = "Vec<Vec<u8>>")]
pub struct PriorityMatrix([[Priority; 5]; 5]);

impl Default for PriorityMatrix {
    /// GLPI's default matrix.
    fn default() -> Self {
        let rows: Vec<Vec<u8>> = vec![
            vec![1, 1, 2, 2, 2],
            vec![1, 2, 2, 3, 3],
            vec![2, 2, 3, 4, 4],
            vec![2, 3, 4, 4, 5],
            vec![2, 3, 4, 5, 5],
        ];
        PriorityMatrix::try_from(rows).expect("the default matrix is valid")
    }
}

impl PriorityMatrix {
    /// The priority for this impact and urgency.
    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        self.0[usize::from(urgency.get() - 1)][usize::from(impact.get() - 1)]
    }
}

impl TryFrom<Vec<Vec<u8>>> for PriorityMatrix {
    type Error = Error;
    fn try_from(rows: Vec<Vec<u8>>) -> Result<Self> {
        if rows.len() != 5 {
            return Err(Error::validation(
                "priority.matrix",
                format!("needs 5 rows (urgency 1..=5), found {}", rows.len()),
            ));
        }
        let mut out = [[Priority::MIN; 5]; 5];
        for (u, row) in rows.iter().enumerate() {
            if row.len() != 5 {
                return Err(Error::validation(
                    format!("priority.matrix[{u}]"),
                    format!("needs 5 columns (impact 1..=5), found {}", row.len()),
                ));
            }
            for (i, &v) in row.iter().enumerate() {
                out[u][i] = Priority::new(v).map_err(|_| {
                    Error::validation(
                        format!("priority.matrix[{u}][{i}]"),
                        format!("{v} is out of range 1..=5"),
                    )
                })?;
            }
        }
        Ok(PriorityMatrix(out))
    }
}

impl From<PriorityMatrix> for Vec<Vec<u8>> {
    fn from(m: PriorityMatrix) -> Self {
        m.0.iter()
            .map(|row| row.iter().map(|p| p.get()).collect())
            .collect()
    }
}

/// Raises impact when many users are affected: at `min_users` or more, impact is at least
/// `impact`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsersImpact {
    /// Threshold of affected users.
    pub min_users: u32,
    /// The impact reached at that threshold.
    pub impact: Impact,
}

/// How priority is computed: matrix, users-affected thresholds and tier bonuses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityConfig {
    /// Urgency rows × impact columns.
    pub matrix: PriorityMatrix,
    /// Impact floors by users affected, in increasing order of `min_users`.
    pub users_impact: Vec<UsersImpact>,
    /// Priority steps added for a requester tier (`vip = 1`), capped at 5.
    pub tier_bonus: BTreeMap<String, u8>,
}

impl Default for PriorityConfig {
    fn default() -> Self {
        PriorityConfig {
            matrix: PriorityMatrix::default(),
            users_impact: vec![
                UsersImpact {
                    min_users: 10,
                    impact: Impact(3),
                },
                UsersImpact {
                    min_users: 50,
                    impact: Impact(4),
                },
                UsersImpact {
                    min_users: 250,
                    impact: Impact(5),
                },
            ],
            tier_bonus: BTreeMap::from([("vip".to_owned(), 1)]),
        }
    }
}

impl PriorityConfig {
    /// Impact after the users-affected floors.
    pub fn effective_impact(&self, impact: Impact, users_affected: u32) -> Impact {
        self.users_impact
            .iter()
            .filter(|t| users_affected >= t.min_users)
            .map(|t| t.impact)
            .fold(impact, Ord::max)
    }

    /// The computed priority: matrix(effective impact, urgency) plus the tier bonus.
    pub fn compute(
        &self,
        impact: Impact,
        urgency: Urgency,
        users_affected: u32,
        tier: Option<&str>,
    ) -> Priority {
        let base = self
            .matrix
            .priority(self.effective_impact(impact, users_affected), urgency);
        let bonus = tier
            .and_then(|t| self.tier_bonus.get(t))
            .copied()
            .unwrap_or(0);
        Priority(base.get().saturating_add(bonus).min(5))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        for (n, pair) in self.users_impact.windows(2).enumerate() {
            if pair[1].min_users <= pair[0].min_users {
                return Err(Error::validation(
                    format!("priority.users_impact[{}].min_users", n + 1),
                    "thresholds must increase strictly",
                ));
            }
        }
        for (tier, bonus) in &self.tier_bonus {
            if *bonus > 4 {
                return Err(Error::validation(
                    format!("priority.tier_bonus.{tier}"),
                    format!("{bonus} is more than 4 steps"),
                ));
            }
        }
        Ok(())
    }
}

/// A manual priority that replaces the computed one, with who set it and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PriorityOverride {
    /// The priority imposed.
    pub priority: Priority,
    /// Who imposed it.
    pub by: UserId,
    /// Why (required).
    pub reason: String,
}
