//! Serde for `BTreeMap<SupportLevel, Duration>` written as humantime strings (`n2 = "4h"`).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::status::SupportLevel;

pub fn serialize<S: Serializer>(
    map: &BTreeMap<SupportLevel, Duration>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let text: BTreeMap<&SupportLevel, String> = map
        .iter()
        .map(|(k, v)| {
            (
                k,
                humantime_serde::re::humantime::format_duration(*v).to_string(),
            )
        })
        .collect();
    text.serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<SupportLevel, Duration>, D::Error> {
    let text = BTreeMap::<SupportLevel, String>::deserialize(d)?;
    text.into_iter()
        .map(|(k, v)| {
            humantime_serde::re::humantime::parse_duration(&v)
                .map(|d| (k, d))
                .map_err(|e| serde::de::Error::custom(format!("{k}: {e}")))
        })
        .collect()
}
