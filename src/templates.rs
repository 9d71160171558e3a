//! Notification templates kept as files beside the configuration
//! (`notifications.templates_dir`): `es/closed.j2`, `en/commented.j2`…

use std::collections::BTreeMap;
use std::path::Path;

use crate::{Error, Result};

/// Every `LOCALE/KIND.j2` under `dir`, by `LOCALE/KIND`. Other files are ignored; a
/// directory that cannot be read is a validation error naming it.
pub(crate) fn read_dir(dir: &Path) -> Result<BTreeMap<String, String>> {
    let field = "notifications.templates_dir";
    let unreadable = |p: &Path, e: std::io::Error| {
        Error::validation(field, format!("cannot read `{}`: {e}", p.display()))
    };
    let mut out = BTreeMap::new();
    for locale in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let locale = locale.map_err(|e| unreadable(dir, e))?.path();
        let Some(lang) = locale
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned)
        else {
            continue;
        };
        if !locale.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&locale).map_err(|e| unreadable(&locale, e))? {
            let file = file.map_err(|e| unreadable(&locale, e))?.path();
            let Some(kind) = file
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".j2"))
            else {
                continue;
            };
            let source = std::fs::read_to_string(&file).map_err(|e| unreadable(&file, e))?;
            out.insert(format!("{lang}/{kind}"), source);
        }
    }
    Ok(out)
}
