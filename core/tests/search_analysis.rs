//! The text analysis and BM25 ranking that every backend's search will share: Spanish and
//! English stemming with accents folded after the stem, stop words, identifiers kept whole,
//! and a ranking whose order does not depend on the order documents or sums come in.

use foliodesk_core::search::bm25::{idf, rank, score, Collection, Params};
use foliodesk_core::search::{analyze, detect, Lang, Term};
use proptest::prelude::*;

fn words(text: &str, lang: Lang) -> Vec<String> {
    analyze(text, lang)
        .into_iter()
        .filter_map(|t| match t {
            Term::Word(w) => Some(w),
            Term::Keyword(_) => None,
        })
        .collect()
}

fn keywords(text: &str) -> Vec<String> {
    analyze(text, Lang::Es)
        .into_iter()
        .filter_map(|t| match t {
            Term::Keyword(k) => Some(k),
            Term::Word(_) => None,
        })
        .collect()
}

#[test]
fn spanish_inflections_and_accents_meet() {
    let one = |w: &str| words(w, Lang::Es);
    assert_eq!(one("contraseña"), ["contrasen"]);
    assert_eq!(one("Contraseñas"), one("contraseña"));
    // Typed without accents, a word still meets its accented form.
    let accented = one("información");
    assert!(accented.contains(&one("informacion")[0]), "{accented:?}");
    assert_eq!(one("impresoras"), one("impresora"));
    assert_eq!(one("conexión"), one("conexiones"));
    assert_eq!(
        words("No puedo acceder a la VPN desde casa", Lang::Es),
        ["no", "pued", "acced", "vpn", "cas"]
    );
}

#[test]
fn english_inflections_meet_and_stop_words_go() {
    let one = |w: &str| words(w, Lang::En);
    assert_eq!(one("connections"), one("connection"));
    assert_eq!(one("connecting"), one("connect"));
    assert_eq!(one("printers"), one("printer"));
    assert_eq!(
        words("The printer on the second floor is jammed", Lang::En),
        ["printer", "second", "floor", "jam"]
    );
}

#[test]
fn identifiers_are_kept_whole_besides_their_parts() {
    assert_eq!(keywords("Ver INC-2026-000042."), ["inc-2026-000042"]);
    assert_eq!(
        keywords("ping web-01.acme.local falla"),
        ["web-01.acme.local"]
    );
    assert_eq!(keywords("error 0x80070005 al instalar"), ["0x80070005"]);
    assert_eq!(
        keywords("ERR_CONNECTION_REFUSED en Chrome"),
        ["err_connection_refused"]
    );
    assert_eq!(keywords("la IP 192.168.1.10"), ["192.168.1.10"]);
    assert_eq!(keywords("mi e-mail y el Wi-Fi"), Vec::<String>::new());
    let all = analyze("web-01.acme.local", Lang::Es);
    assert!(all.contains(&Term::Word("acme".into())), "{all:?}");
    assert!(all.contains(&Term::Word("01".into())), "{all:?}");
    assert_eq!(Term::Keyword("x-1".into()).key(), "#x-1");
}

#[test]
fn compatibility_forms_and_punctuation_do_not_matter() {
    assert_eq!(words("ＶＰＮ", Lang::Es), ["vpn"]);
    assert_eq!(words("¿¡Correo!?", Lang::Es), words("correo", Lang::Es));
    assert!(analyze("  … — ", Lang::Es).is_empty());
}

#[test]
fn language_is_guessed_from_stop_words() {
    assert_eq!(detect("I cannot log in to the VPN"), Lang::En);
    assert_eq!(detect("No puedo entrar en la VPN"), Lang::Es);
    assert_eq!(detect("VPN"), Lang::Es);
}

/// A tiny index over analysed documents, scored with the shared functions: the reference
/// the backends' postings will be checked against.
fn search(docs: &[(&str, &str)], query: &str, lang: Lang) -> Vec<String> {
    let analysed: Vec<(String, Vec<String>)> = docs
        .iter()
        .map(|(id, text)| {
            let terms = analyze(text, lang).iter().map(Term::key).collect();
            (id.to_string(), terms)
        })
        .collect();
    let n = analysed.len() as u64;
    let mean = analysed.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / n as f64;
    let c = Collection {
        documents: n,
        mean_length: mean,
    };
    let q: Vec<String> = analyze(query, lang).iter().map(Term::key).collect();
    let mut hits: Vec<(String, f64)> = analysed
        .iter()
        .map(|(id, terms)| {
            let s = q
                .iter()
                .map(|qt| {
                    let tf = terms.iter().filter(|t| *t == qt).count() as u32;
                    let df = analysed.iter().filter(|(_, t)| t.contains(qt)).count() as u64;
                    score(tf, df, terms.len() as u32, c, Params::default())
                })
                .sum();
            (id.clone(), s)
        })
        .filter(|(_, s)| *s > 0.0)
        .collect();
    rank(&mut hits);
    hits.into_iter().map(|(id, _)| id).collect()
}

#[test]
fn the_reference_ranking_finds_the_right_ticket() {
    let docs = [
        ("t1", "No puedo imprimir en la impresora de la planta 2"),
        ("t2", "He olvidado mi contraseña del correo"),
        ("t3", "Restablecer contraseñas caducadas de la VPN"),
        ("t4", "La VPN se desconecta cada hora"),
        ("t5", "Error 0x80070005 al instalar actualizaciones"),
    ];
    assert_eq!(search(&docs, "contraseña olvidada", Lang::Es)[0], "t2");
    // Same term frequency and length: the tie goes by id.
    assert_eq!(search(&docs, "vpn", Lang::Es), ["t3", "t4"]);
    assert_eq!(search(&docs, "informacion contrasena", Lang::Es)[0], "t2");
    assert_eq!(search(&docs, "0x80070005", Lang::Es), ["t5"]);
    assert!(search(&docs, "teclado", Lang::Es).is_empty());
}

proptest! {
    #[test]
    fn bm25_grows_with_term_frequency_and_shrinks_with_length(
        tf in 1u32..50, df in 1u64..1000, length in 1u32..500, extra in 1u32..100,
    ) {
        let c = Collection { documents: 1000, mean_length: 60.0 };
        let p = Params::default();
        prop_assert!(score(tf + 1, df, length, c, p) >= score(tf, df, length, c, p));
        prop_assert!(score(tf, df, length + extra, c, p) <= score(tf, df, length, c, p));
        prop_assert!(idf(df, 1000) >= idf(df + 1, 1000));
        prop_assert!(score(tf, df, length, c, p) > 0.0);
    }

    #[test]
    fn ranking_does_not_depend_on_the_order_hits_come_in(
        scores in prop::collection::vec((0u8..20, 0u8..5), 1..30), seed in any::<u64>(),
    ) {
        let hits: Vec<(u8, f64)> = scores.iter().map(|(id, s)| (*id, f64::from(*s) / 3.0)).collect();
        let mut a = hits.clone();
        let mut b = hits;
        let n = b.len();
        b.rotate_left(seed as usize % n);
        b.reverse();
        rank(&mut a);
        rank(&mut b);
        prop_assert_eq!(a, b);
    }
}
