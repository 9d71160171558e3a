//! The one description of the operations (`foliodesk::api`) against what it describes: the
//! facade's method names and parameter types, and the `Command` enum's variants and fields.
//! Any difference fails here, before a binding can drift.

use std::collections::BTreeMap;

use foliodesk::api;
use serde_json::Value;

/// The facade's methods that are not operations: constructors and the host's handles.
const HOST_ONLY: &[&str] = &[
    "open",
    "open_with",
    "with_store",
    "store",
    "shutdown",
    "deliver",
    // Takes a progress callback; the bindings feed `import_tickets` batch by batch.
    "import_all",
    // Run when the desk opens.
    "reindex_if_stale",
    "refresh_report_facts_if_stale",
];

/// `name -> [(parameter, type)]` for every public method of `Desk`, read from its source.
fn facade() -> BTreeMap<String, Vec<(String, String)>> {
    let mut methods = BTreeMap::new();
    for file in [
        "src/desk.rs",
        "src/ops.rs",
        "src/tick.rs",
        "src/sla.rs",
        "src/reconfigure.rs",
        "src/anchor.rs",
        "src/directory.rs",
        "src/delivery.rs",
        "src/survey.rs",
        "src/ingest.rs",
        "src/imap.rs",
        "src/attach.rs",
        "src/contacts.rs",
        "src/responses.rs",
        "src/workload.rs",
        "src/classify.rs",
        "src/import.rs",
        "src/knowledge.rs",
        "src/search.rs",
        "src/reindex.rs",
        "src/problem.rs",
        "src/report.rs",
        "src/report/packing.rs",
        "src/evidence.rs",
    ] {
        let text =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = ["\n    pub async fn ", "\n    pub fn "]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
            .min()
        {
            let signature = &rest[at.0 + at.1..];
            let name: String = signature
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let open = signature.find('(').unwrap();
            let close = closing(signature, open);
            rest = &signature[close..];
            if !HOST_ONLY.contains(&name.as_str()) {
                methods.insert(name, parameters(&signature[open + 1..close]));
            }
        }
    }
    methods
}

/// The index of the parenthesis closing the one at `open`.
fn closing(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices().skip(open) {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' if !text[..i].ends_with('-') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced signature: {text}")
}

/// `(name, type)` of each parameter but `&self`, types in the form the description writes.
fn parameters(list: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    let mut parts = Vec::new();
    for (i, c) in list.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&list[start..]);
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if part == "&self" {
            continue;
        }
        let (name, ty) = part.split_once(':').unwrap();
        let name = name.trim().trim_start_matches("mut ");
        out.push((name.to_owned(), normalise(ty)));
    }
    out
}

/// Borrowed and `impl Into` forms written as the owned type a binding sends.
fn normalise(ty: &str) -> String {
    let ty = unqualified(&ty.split_whitespace().collect::<String>());
    let ty = match ty.strip_prefix("implInto<") {
        Some(inner) => inner.strip_suffix('>').unwrap().to_owned(),
        None => ty,
    };
    match ty.as_str() {
        "&str" => "String".to_owned(),
        // Bytes travel as base64 on the wire.
        "Base64" => "Vec<u8>".to_owned(),
        t if t.starts_with("&[") => format!("Vec<{}>", &t[2..t.len() - 1]),
        t => t.trim_start_matches('&').to_owned(),
    }
}

/// `Option<foliodesk_core::TicketKind>` as `Option<TicketKind>`: module paths dropped.
fn unqualified(ty: &str) -> String {
    let mut out = String::new();
    for (i, piece) in ty.split("::").enumerate() {
        if i > 0 {
            let keep = out.trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '_');
            out.truncate(keep.len());
        }
        out.push_str(piece);
    }
    out
}

#[test]
fn the_description_matches_the_facade() {
    let facade = facade();
    assert!(facade.len() > 30, "read the facade: {facade:?}");
    let (operations, _) = api::operations();
    let described: BTreeMap<String, Vec<(String, String)>> = operations
        .iter()
        .map(|o| {
            let args = o
                .rust_arguments
                .iter()
                .map(|(n, t)| (n.to_string(), normalise(t)));
            (o.name.to_owned(), args.collect())
        })
        .collect();
    for (name, params) in &facade {
        assert_eq!(
            described.get(name),
            Some(params),
            "`Desk::{name}` and its description differ"
        );
    }
    let extra: Vec<&String> = described
        .keys()
        .filter(|n| !facade.contains_key(*n))
        .collect();
    assert!(
        extra.is_empty(),
        "described but not on the facade: {extra:?}"
    );
    let names: Vec<&str> = operations.iter().map(|o| o.name).collect();
    assert_eq!(
        names,
        *api::OPERATIONS,
        "the dispatcher lists what the description lists"
    );
}

/// A schema without its prose and defaults: what a binding must send.
fn shape(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "description" | "default"))
            .map(|(k, v)| (k.clone(), shape(v)))
            .collect(),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        other => other.clone(),
    }
}

/// Commands only the desk issues, from `tick`.
/// `received` wraps the commands `ingest` runs for an inbound message.
const DESK_ONLY: &[&str] = &["auto_confirm", "sla_alert", "received", "recur", "run_rule"];
/// Commands whose operation takes something else: `attach` takes the file's bytes, and the
/// command the record of them once stored.
const OTHER_ARGUMENTS: &[&str] = &["attach"];

/// The operation that carries each command, where its name differs.
fn operation_for(command: &str) -> &str {
    match command {
        "open" => "open_ticket",
        // `set_pending` is the common case of it, waiting on the requester.
        "set_pending" => "set_waiting",
        other => other,
    }
}

#[test]
fn every_command_is_an_operation_with_its_fields() {
    let description = api::description();
    let definitions = &description["definitions"];
    let operations = description["operations"].as_array().unwrap();
    let variants = definitions["Command"]["oneOf"].as_array().unwrap();
    assert!(variants.len() > 15, "read the Command schema: {variants:?}");
    for variant in variants {
        let mut fields = variant["properties"].as_object().unwrap().clone();
        let name = fields.remove("command").unwrap()["const"]
            .as_str()
            .unwrap()
            .to_owned();
        if DESK_ONLY.contains(&name.as_str()) {
            continue;
        }
        let op = operation_for(&name);
        if OTHER_ARGUMENTS.contains(&name.as_str()) {
            assert!(
                operations.iter().any(|o| o["name"] == op),
                "no operation `{op}`"
            );
            continue;
        }
        let described = operations.iter().find(|o| o["name"] == op);
        let described = described.unwrap_or_else(|| panic!("command `{name}` has no operation"));
        let mut args = described["arguments"]["properties"]
            .as_object()
            .unwrap()
            .clone();
        for common in ["actor", "id"] {
            args.remove(common);
        }
        // A command wrapping one record takes that record as its one argument.
        if let [(_, only)] = args.iter().collect::<Vec<_>>()[..] {
            if let Some(reference) = only["$ref"].as_str() {
                let name = reference.trim_start_matches("#/$defs/");
                if let Some(record) = definitions[name]["properties"].as_object() {
                    args = record.clone();
                }
            }
        }
        let wanted: BTreeMap<_, _> = fields.iter().map(|(k, v)| (k, shape(v))).collect();
        let got: BTreeMap<_, _> = args.iter().map(|(k, v)| (k, shape(v))).collect();
        assert_eq!(
            got, wanted,
            "operation `{op}` and command `{name}` take different fields"
        );
    }
}
