//! Every [`Desk`] operation described once: name, doc, argument and result schemas. The
//! JSON dispatcher ([`call`], which both bindings use) and the generated Python and Node
//! layers (`cargo run -p xtask -- bindings`) come from this one list, so they cannot drift
//! from each other; `tests/api.rs` checks the facade's signatures and the [`Command`]
//! enum against it.
//!
//! ```
//! let d = foliodesk::api::description();
//! let comment = d["operations"].as_array().unwrap().iter().find(|o| o["name"] == "comment").unwrap();
//! assert_eq!(comment["arguments"]["required"][2], "body");
//! ```
//!
//! [`Command`]: foliodesk_core::Command

mod bytes;
mod list;
mod list_reports;
mod macros;
mod names;

use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::{Error, Result};

/// Every operation, in the facade's order.
pub static OPERATIONS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| [list::NAMES, list_reports::NAMES].concat());

/// Runs operation `op` with `arguments` (a JSON object named like the parameters).
pub async fn call(desk: &crate::Desk, op: &str, arguments: Value) -> Result<Value> {
    let done = if list::NAMES.contains(&op) {
        list::call_here(desk, op, arguments).await
    } else {
        list_reports::call_here(desk, op, arguments).await
    };
    done.unwrap_or_else(|| {
        Err(Error::validation(
            "operation",
            format!("`{op}` is not a Desk operation"),
        ))
    })
}

/// One operation as the bindings see it.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// The snake_case name, as in Rust and Python.
    pub name: &'static str,
    /// What it does, for the bindings' doc comments.
    pub doc: String,
    /// The argument object: `properties` in parameter order, `required` for those without
    /// a default.
    pub arguments: Schema,
    /// Each parameter's name and Rust type as written, for the facade parity test.
    pub rust_arguments: Vec<(&'static str, &'static str)>,
    /// The result's schema.
    pub result: Schema,
    /// Object arguments whose fields the bindings also accept one by one (keyword
    /// arguments in Python, the options object in Node).
    pub spread: Vec<&'static str>,
}

/// The operations with their schemas.
pub fn operations() -> (Vec<Operation>, Value) {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let mut operations = list::describe(&mut generator);
    operations.extend(list_reports::describe(&mut generator));
    let definitions = serde_json::to_value(generator.definitions()).unwrap_or(Value::Null);
    (operations, definitions)
}

/// The whole description as JSON: `{"operations": […], "definitions": {name: schema}}`,
/// references written `#/$defs/Name`.
pub fn description() -> Value {
    let (operations, definitions) = operations();
    json!({ "operations": operations, "definitions": definitions })
}

/// Joins doc-comment lines into one paragraph-preserving text.
fn doc(lines: &[&str]) -> String {
    let text: Vec<&str> = lines
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    text.join("\n").trim().to_owned()
}

/// Decodes the arguments of `op`; errors name the argument at fault.
fn decode<T: DeserializeOwned>(op: &str, value: &Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { op.to_owned() } else { path };
        Error::validation(field, e.into_inner().to_string())
    })
}

fn encode<T: Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::storage(format!("cannot encode a result: {e}"), e))
}
