//! Ranking pages stay exact where a backend prunes (`search::prune`): a collection where
//! one word is in every ticket and a few are rare, so a page can be ranked among the rare
//! words' documents alone.

use super::search::{incident, same_ranking};
use super::{seeded, Harness, Kit};
use crate::search::memory::MemoryIndex;
use crate::search::{DocKind, QueryPlan, TopQuery};

/// Pages of queries mixing a word every ticket holds with rare ones (some repeated, so
/// counts differ) and a prefix, at several offsets, equal the reference's.
pub async fn search_pages_are_exact_when_pruned(h: &dyn Harness) {
    let (store, kit) = seeded(h, "search_pages_are_exact_when_pruned").await;
    let mut reference = MemoryIndex::default();
    for i in 0..80u32 {
        let mut description = String::from("La impresora de la planta no responde.");
        if i % 27 == 3 {
            description.push_str(" Sin tóner; pedido el tóner nuevo.");
        }
        if i % 11 == 5 {
            description.push_str(" Atasco de papel.");
        }
        if i % 16 == 1 {
            description.push_str(" Tonalidad rara en la copia.");
        }
        let title = format!("Impresora {i}");
        let req = kit.open(
            &format!("p{i}"),
            Kit::at(i64::from(i)),
            "ana",
            incident(&title, &description),
        );
        reference.put(req.index.clone().expect("a new ticket is indexed"));
        store.append(req).await.expect("open");
    }
    for text in [
        "impresora toner",
        "impresora atasco toner",
        "impresora papel",
        "impresora ton",
        "toner",
    ] {
        let terms = QueryPlan::of(text).postings_query(DocKind::Ticket);
        for (offset, limit) in [(0, 1), (0, 2), (1, 3), (0, 10), (5, 10)] {
            let q = TopQuery {
                terms: terms.clone(),
                within: None,
                offset,
                limit,
            };
            same_ranking(&*store, &reference, &q).await;
        }
    }
}
