//! Where an inbound message belongs: the folio tag in its subject (`[INC-2026-000042]`),
//! then the folios inside the message ids it answers that the desk made itself — the
//! thread root `<INC-2026-000042@domain>` and each message's
//! `<INC-2026-000042.3-5.k2x9@domain>` ([`crate::notify::render::message_id`]). Encoding the
//! folio in the id lets a reply find its ticket even when the subject was rewritten, with
//! no lookup table.

/// The folios `subject` and `hints` (message ids, nearest first) name, most trusted first
/// and without repeats. Only ids made at `domain` count: a folio-shaped id from elsewhere
/// is not the desk's.
///
/// ```
/// use foliodesk_core::inbound::thread::folios;
/// let hints = vec!["INC-2026-000042.3-5.k2x9@soporte.example.com".to_owned()];
/// assert_eq!(folios("RE: [INC-2026-000042] Sin red", &hints, "soporte.example.com"),
///            ["INC-2026-000042"]);
/// assert!(folios("Sin red", &["INC-2026-000042@elsewhere.example".into()],
///                "soporte.example.com").is_empty());
/// ```
pub fn folios(subject: &str, hints: &[String], domain: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |f: &str| {
        if !out.iter().any(|o| o == f) {
            out.push(f.to_owned());
        }
    };
    for f in in_subject(subject) {
        push(f);
    }
    for id in hints {
        if let Some(f) = in_message_id(id, domain) {
            push(f);
        }
    }
    out
}

/// The bracketed folios in a subject, in order.
pub fn in_subject(subject: &str) -> Vec<&str> {
    subject
        .split('[')
        .skip(1)
        .filter_map(|s| s.split_once(']').map(|(inside, _)| inside.trim()))
        .filter(|s| is_folio(s))
        .collect()
}

/// The folio a desk-made message id at `domain` carries.
pub fn in_message_id<'a>(id: &'a str, domain: &str) -> Option<&'a str> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, host) = id.rsplit_once('@')?;
    if !host.eq_ignore_ascii_case(domain) {
        return None;
    }
    let folio = local.split('.').next()?;
    is_folio(folio).then_some(folio)
}

/// `PREFIX-YYYY-NNNNNN`: 2–5 capital letters, a four-digit year, a number of 6 or more
/// digits.
pub fn is_folio(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(prefix), Some(year), Some(number), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    (2..=5).contains(&prefix.len())
        && prefix.bytes().all(|b| b.is_ascii_uppercase())
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && (6..=12).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}
