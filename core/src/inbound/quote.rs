//! Cutting the quoted history and the signature off a reply, so the ticket gets what the
//! person wrote: the text above the first line that starts a quotation in Spanish or English
//! ("El lun, 2 mar 2026 … escribió:", "On Mon, … wrote:", "-----Mensaje original-----",
//! Outlook's "De: … Enviado:" block, `>` lines) and above the signature separator (`-- `).

/// Lines that start the quoted part on their own.
const MARKERS: &[&str] = &[
    "-----original message-----",
    "-----mensaje original-----",
    "________________________________",
    "-------- original message --------",
    "-------- mensaje original --------",
    "begin forwarded message:",
];

/// Header lines of a quoted message in Outlook's style, in both languages.
const HEADERS: &[&str] = &["from:", "de:", "sent:", "enviado:", "enviado el:"];

/// The part of `text` a person wrote above the quoted history and signature; `None` when
/// nothing was cut. An answer that is only a quotation keeps the whole text.
pub fn strip(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines
        .iter()
        .enumerate()
        .position(|(i, l)| starts_quote(l, lines.get(i + 1).copied()))?;
    let kept = lines[..cut].join("\n");
    let kept = kept.trim_end();
    if kept.trim().is_empty() {
        return None;
    }
    Some(kept.to_owned())
}

fn starts_quote(line: &str, next: Option<&str>) -> bool {
    let l = line.trim();
    let lower = l.to_lowercase();
    if line == "-- " || l == "--" {
        return true;
    }
    if l.starts_with('>') {
        return true;
    }
    if MARKERS.iter().any(|m| lower.starts_with(m)) {
        return true;
    }
    // "On Mon, 2 Mar 2026 at 09:00, Ana <ana@…> wrote:" (possibly wrapped onto two lines).
    let attribution = |s: &str| {
        let s = s.trim().to_lowercase();
        (s.ends_with("wrote:") || s.ends_with("escribió:") || s.ends_with("escribio:"))
            && s.len() < 300
    };
    if (lower.starts_with("on ") || lower.starts_with("el ")) && attribution(l) {
        return true;
    }
    if (lower.starts_with("on ") || lower.starts_with("el "))
        && !lower.ends_with(['.', '?', '!'])
        && next.is_some_and(attribution)
    {
        return true;
    }
    // Outlook: "De: Ana …" followed by "Enviado: …" (or From/Sent).
    HEADERS[..2].iter().any(|h| lower.starts_with(h))
        && next.is_some_and(|n| {
            let n = n.trim().to_lowercase();
            HEADERS[2..].iter().any(|h| n.starts_with(h))
        })
}
