//! The evidence's Markdown set as an A4 PDF (krilla; DejaVu Sans Mono shipped with the
//! crate, so the same words in the same places on every machine): headings in bold, tables
//! as aligned columns, long lines wrapped. The text layer is real text that `pdftotext`
//! reads back.

use std::sync::Arc;

use foliodesk_core::{Error, Result};
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono-Bold.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 40.0;
const SIZE: f32 = 7.5;
/// DejaVu Sans Mono advances 0.602 em per character.
const COLUMNS: usize = ((WIDTH - 2.0 * MARGIN) / (SIZE * 0.602)) as usize;

fn font(bytes: &'static [u8]) -> Result<Font> {
    let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
    Font::new(data.into(), 0).ok_or_else(|| Error::storage_msg("the PDF font does not load"))
}

/// One line to set: its text, bold or not, its size.
struct Line {
    text: String,
    bold: bool,
    size: f32,
}

/// Cuts `text` into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    while rest.len() > width {
        let cut = (rest[..width].iter().rposition(|c| *c == ' ')).filter(|i| *i > width / 2);
        let at = cut.unwrap_or(width);
        out.push(rest[..at].iter().collect());
        rest = rest[at..]
            .iter()
            .skip_while(|c| **c == ' ')
            .copied()
            .collect();
        rest.splice(0..0, "  ".chars());
    }
    out.push(rest.into_iter().collect());
    out
}

/// The lines of `markdown`, tables aligned in columns.
fn lines(markdown: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush = |table: &mut Vec<Vec<String>>, out: &mut Vec<Line>| {
        if table.is_empty() {
            return;
        }
        let n = table.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; n];
        for row in table.iter() {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        for (r, row) in table.drain(..).enumerate() {
            let cells: Vec<String> = (row.iter().enumerate())
                .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
                .collect();
            for text in wrap(cells.join("  ").trim_end(), COLUMNS) {
                out.push(Line {
                    text,
                    bold: r == 0,
                    size: SIZE,
                });
            }
        }
    };
    for raw in markdown.lines() {
        if let Some(row) = raw.strip_prefix('|') {
            let cells: Vec<String> = row
                .trim_end_matches('|')
                .split(" | ")
                .map(|c| c.trim().replace("\\|", "|"))
                .collect();
            if !cells.iter().all(|c| c.chars().all(|ch| ch == '-')) {
                table.push(cells);
            }
            continue;
        }
        flush(&mut table, &mut out);
        let (text, bold, size) = match raw {
            h if h.starts_with("# ") => (&h[2..], true, 14.0),
            h if h.starts_with("## ") => (&h[3..], true, 10.0),
            t => (t, false, SIZE),
        };
        let width = ((WIDTH - 2.0 * MARGIN) / (size * 0.602)) as usize;
        for text in wrap(text, width) {
            out.push(Line { text, bold, size });
        }
    }
    flush(&mut table, &mut out);
    out
}

/// `markdown` as PDF bytes, titled `title`.
pub fn render(markdown: &str, title: &str) -> Result<Vec<u8>> {
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let mut document = Document::new();
    document.set_metadata(krilla::metadata::Metadata::new().title(title.to_owned()));
    let settings =
        || PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::storage_msg("bad page size"));
    let all = lines(markdown);
    let mut i = 0;
    while i < all.len() || i == 0 {
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        let mut y = MARGIN;
        while let Some(line) = all.get(i) {
            let step = line.size * 1.45;
            if y + step > HEIGHT - MARGIN {
                break;
            }
            y += step;
            let f = if line.bold {
                bold.clone()
            } else {
                regular.clone()
            };
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                f,
                line.size,
                &line.text,
                false,
                TextDirection::Auto,
            );
            i += 1;
        }
        surface.finish();
        page.finish();
        if all.is_empty() {
            break;
        }
    }
    document
        .finish()
        .map_err(|e| Error::storage_msg(format!("cannot write the PDF: {e:?}")))
}
