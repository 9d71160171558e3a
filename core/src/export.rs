//! Tables out of the desk as CSV that opens right in a spreadsheet: UTF-8 with an optional
//! byte-order mark (without it Excel garbles `Tramitación`), `,` or `;` between cells (`;` is
//! what a Spanish Excel expects), and cells that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@`, a tab or a carriage return first) neutralised with a leading `'`.
//! Numbers, negative ones included, stay numbers. Quoting is the `csv` crate's.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How to write a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CsvOptions {
    /// `;` instead of `,` between cells.
    pub semicolon: bool,
    /// Start with the UTF-8 byte-order mark (true by default: Excel reads accents right).
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            semicolon: false,
            bom: true,
        }
    }
}

/// `headers` then `rows` as CSV bytes.
///
/// ```
/// use foliodesk_core::export::{csv, CsvOptions};
/// let opts = CsvOptions { semicolon: true, bom: false };
/// let out = csv(&["folio", "título"], [vec!["INC-1".into(), "=HYPERLINK(\"x\")".into()]], opts).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "folio;título\nINC-1;\"'=HYPERLINK(\"\"x\"\")\"\n");
/// ```
pub fn csv<I>(headers: &[&str], rows: I, options: CsvOptions) -> Result<Vec<u8>>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut out = Vec::new();
    if options.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(if options.semicolon { b';' } else { b',' })
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let fail = |e: ::csv::Error| Error::storage_msg(format!("cannot write CSV: {e}"));
    w.write_record(headers.iter().map(|h| neutralise(h).into_owned()))
        .map_err(fail)?;
    for (i, row) in rows.into_iter().enumerate() {
        if row.len() != headers.len() {
            return Err(Error::validation(
                format!("rows[{i}]"),
                format!("has {} cells for {} columns", row.len(), headers.len()),
            ));
        }
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::storage_msg(format!("cannot write CSV: {e}")))
}

/// `cell`, with a `'` in front when a spreadsheet would read it as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}
