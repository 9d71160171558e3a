//! A labelled help-desk corpus written for the search benchmarks (no external data): tickets
//! and articles in Spanish and English generated from [`topics::topics`], and the queries
//! with their graded relevance — 2 for a document of the query's own case, 1 for one of the
//! same topic, 0 otherwise. Deterministic for a seed.

#![allow(dead_code)]

pub mod topics;

use topics::{topics, Case};

/// A generated ticket or article.
#[derive(Clone, Debug)]
pub struct Doc {
    pub id: String,
    pub topic: usize,
    pub case: usize,
    pub spanish: bool,
    pub title: String,
    pub body: String,
}

/// A search with what it is about.
#[derive(Clone, Debug)]
pub struct Query {
    pub text: String,
    pub topic: usize,
    pub case: usize,
}

/// SplitMix64: enough randomness for test data, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Sentences any ticket may carry, some naming other topics' things in passing, as real
/// tickets do.
const ES_NOISE: &[&str] = &[
    "Lo necesito para hoy, tengo una reunión con clientes.",
    "Ya he reiniciado el ordenador y sigue igual.",
    "Ayer funcionaba bien.",
    "Estoy trabajando desde casa esta semana.",
    "Le pasa también a un compañero de mi departamento.",
    "Gracias de antemano.",
    "Es urgente porque bloquea el cierre de mes.",
    "Adjunto captura de pantalla.",
];
const EN_NOISE: &[&str] = &[
    "I need it today, I have a customer meeting.",
    "I already restarted the computer and nothing changed.",
    "It worked fine yesterday.",
    "I am working from home this week.",
    "A colleague in my team has the same issue.",
    "Thanks in advance.",
    "It is urgent because it blocks the month-end close.",
    "Screenshot attached.",
];

fn cases() -> Vec<(usize, usize, &'static Case)> {
    let mut out = Vec::new();
    for (t, topic) in topics().into_iter().enumerate() {
        for case in topic.iter() {
            out.push((t, out.len(), case));
        }
    }
    out
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn ticket(rng: &mut Rng, id: String, topic: usize, case_no: usize, case: &Case) -> Doc {
    let spanish = rng.below(10) < 7;
    let (thing, trouble, noise) = if spanish {
        (case.es_thing, case.es_trouble, ES_NOISE)
    } else {
        (case.en_thing, case.en_trouble, EN_NOISE)
    };
    let title = match rng.below(3) {
        0 => format!("{} {}", capital(rng.pick(thing)), rng.pick(trouble)),
        1 if spanish => format!("Problema: {} {}", rng.pick(thing), rng.pick(trouble)),
        1 => format!("Issue: {} {}", rng.pick(thing), rng.pick(trouble)),
        _ => capital(rng.pick(thing)),
    };
    let detail = rng.pick(case.details);
    let body = if spanish {
        format!(
            "Hola, {} {} ({detail}). {} {}",
            rng.pick(thing),
            rng.pick(trouble),
            rng.pick(noise),
            rng.pick(noise)
        )
    } else {
        format!(
            "Hi, {} {} ({detail}). {} {}",
            rng.pick(thing),
            rng.pick(trouble),
            rng.pick(noise),
            rng.pick(noise)
        )
    };
    Doc {
        id,
        topic,
        case: case_no,
        spanish,
        title,
        body,
    }
}

/// `n` tickets spread over every case, from `seed`.
pub fn tickets(n: usize, seed: u64) -> Vec<Doc> {
    let mut rng = Rng::new(seed);
    let all = cases();
    (0..n)
        .map(|i| {
            let (topic, case_no, case) = all[rng.below(all.len())];
            ticket(&mut rng, format!("t{i:06}"), topic, case_no, case)
        })
        .collect()
}

/// `per_case` articles for every case, in both languages in turn, from `seed`: each a
/// question-like title and an answer naming the trouble and its details.
pub fn articles(per_case: usize, seed: u64) -> Vec<Doc> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for (topic, case_no, case) in cases() {
        for k in 0..per_case {
            let spanish = k % 2 == 0;
            let (thing, trouble) = if spanish {
                (case.es_thing, case.es_trouble)
            } else {
                (case.en_thing, case.en_trouble)
            };
            let title = if spanish {
                format!("¿Qué hacer si {} {}?", rng.pick(thing), rng.pick(trouble))
            } else {
                format!("What to do when {} {}", rng.pick(thing), rng.pick(trouble))
            };
            let body = format!(
                "{} {}. {}: {}.",
                capital(rng.pick(thing)),
                rng.pick(trouble),
                if spanish { "Revise" } else { "Check" },
                case.details.join(", ")
            );
            let id = format!("a{:04}", out.len());
            out.push(Doc {
                id,
                topic,
                case: case_no,
                spanish,
                title,
                body,
            });
        }
    }
    out
}

/// Every case's queries.
pub fn queries() -> Vec<Query> {
    let mut out = Vec::new();
    for (topic, case_no, case) in cases() {
        for q in case.queries {
            out.push(Query {
                text: (*q).to_owned(),
                topic,
                case: case_no,
            });
        }
    }
    out
}

/// `text`'s words (letters and digits, lower-cased) joined by `or`, the last one written
/// by `prefix`: the query the SQL anchors get (FTS5: `"a" OR "b"*`; PostgreSQL: `a | b:*`).
pub fn or_query(text: &str, quote: fn(&str) -> String, or: &str, prefix: &str) -> String {
    let words: Vec<String> = (text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| quote(&w.to_lowercase()))
        .collect();
    format!("{}{prefix}", words.join(or))
}

/// [`or_query`] for SQLite FTS5.
pub fn fts5_query(text: &str) -> String {
    or_query(text, |w| format!("\"{w}\""), " OR ", "*")
}

/// [`or_query`] for PostgreSQL's `to_tsquery`.
pub fn tsquery(text: &str) -> String {
    or_query(text, str::to_owned, " | ", ":*")
}

/// The graded relevance of `doc` to `query`.
pub fn relevance(query: &Query, doc: &Doc) -> u32 {
    if doc.case == query.case {
        2
    } else if doc.topic == query.topic {
        1
    } else {
        0
    }
}

/// nDCG@k of a ranking (document indexes into `docs`), gains 2^rel − 1.
pub fn ndcg(query: &Query, docs: &[Doc], ranked: &[usize], k: usize) -> f64 {
    let gain = |rel: u32| f64::from((1u32 << rel) - 1);
    let dcg: f64 = (ranked.iter().take(k).enumerate())
        .map(|(i, d)| gain(relevance(query, &docs[*d])) / ((i + 2) as f64).log2())
        .sum();
    let mut ideal: Vec<u32> = docs.iter().map(|d| relevance(query, d)).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = (ideal.iter().take(k).enumerate())
        .map(|(i, r)| gain(*r) / ((i + 2) as f64).log2())
        .sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Recall@k of the case's own documents, out of as many as k could hold.
pub fn recall(query: &Query, docs: &[Doc], ranked: &[usize], k: usize) -> f64 {
    let wanted = docs
        .iter()
        .filter(|d| relevance(query, d) == 2)
        .count()
        .min(k);
    let found = (ranked.iter().take(k))
        .filter(|d| relevance(query, &docs[**d]) == 2)
        .count();
    if wanted == 0 {
        0.0
    } else {
        found as f64 / wanted as f64
    }
}
