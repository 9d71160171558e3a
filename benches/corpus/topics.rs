//! The help-desk topics the search corpus is written from: per case, how people name the
//! thing and the trouble in Spanish and English, details that recur (models, codes, hosts),
//! and the searches an agent or a requester types for it, worded differently from the
//! tickets on purpose (other inflections, synonyms, missing accents, unfinished words).

mod office;
mod people;

/// One kind of trouble with one thing.
pub struct Case {
    pub es_thing: &'static [&'static str],
    pub es_trouble: &'static [&'static str],
    pub en_thing: &'static [&'static str],
    pub en_trouble: &'static [&'static str],
    pub details: &'static [&'static str],
    pub queries: &'static [&'static str],
}

/// Cases grouped by the thing they concern (a topic): a case's own tickets are the most
/// relevant to its queries, the topic's others somewhat.
pub fn topics() -> Vec<&'static [Case]> {
    office::TOPICS
        .iter()
        .chain(people::TOPICS)
        .copied()
        .collect()
}
