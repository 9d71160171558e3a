//! Python binding of Foliodesk (`foliodesk._foliodesk`).
//!
//! This crate holds the binding's skeleton; the whole `Desk` API arrives with its own issue.

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _foliodesk(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
