//! The description's JSON Schemas reduced to what a binding needs: records, unions, string
//! enums and aliases, and field types that say which values are instants or durations.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A value's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// A string, number, boolean or anything else passed through unchanged.
    Plain(&'static str),
    /// An RFC 3339 instant.
    Instant,
    /// A duration in whole seconds.
    Seconds,
    /// One of these strings.
    Literal(Vec<String>),
    /// A list.
    List(Box<Ty>),
    /// A fixed-length list of these types.
    Tuple(Vec<Ty>),
    /// A map with user-chosen keys, kept verbatim.
    Map(Box<Ty>),
    /// The value or null.
    Opt(Box<Ty>),
    /// A named definition.
    Named(String),
    /// An object defined in place (an event's data).
    Inline(Box<Def>),
}

/// A named (or inline) type.
#[derive(Clone, Debug, PartialEq)]
pub enum Def {
    /// An object with fields; `verbatim` ones keep their keys in every language.
    Record { fields: Vec<Field>, verbatim: bool },
    /// An object that is one of several shapes, told apart by constant fields.
    Union(Vec<Variant>),
    /// Another name for a type.
    Alias(Ty),
}

/// A record's field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub doc: String,
    /// The default when it is a plain JSON scalar.
    pub default: Option<Value>,
}

/// One shape of a union: its constant fields (`type: "opened"`) and the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub consts: Vec<(String, String)>,
    pub fields: Vec<Field>,
    pub doc: String,
}

/// A described operation.
#[derive(Clone, Debug)]
pub struct Op {
    pub name: String,
    pub doc: String,
    pub args: Vec<Field>,
    pub result: Ty,
    pub spread: Vec<String>,
}

/// The whole description, reduced.
pub struct Model {
    pub ops: Vec<Op>,
    pub defs: BTreeMap<String, (Def, String)>,
}

impl Model {
    /// Reads `foliodesk::api::description()`.
    pub fn from_description(description: &Value) -> Model {
        let defs = description["definitions"]
            .as_object()
            .expect("definitions")
            .iter()
            .map(|(name, schema)| (name.clone(), (def(schema), doc(schema))))
            .collect();
        let ops = description["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .map(|o| Op {
                name: text(&o["name"]),
                doc: text(&o["doc"]),
                args: fields(&o["arguments"]),
                result: ty(&o["result"]),
                spread: o["spread"].as_array().unwrap().iter().map(text).collect(),
            })
            .collect();
        Model { ops, defs }
    }

    /// The definition named `name`, following aliases.
    pub fn resolve<'a>(&'a self, ty: &'a Ty) -> &'a Ty {
        match ty {
            Ty::Named(n) => match &self.defs[n].0 {
                Def::Alias(inner) => self.resolve(inner),
                _ => ty,
            },
            _ => ty,
        }
    }

    /// The fields of a record type (for spreading an argument), if it is one.
    pub fn record_fields(&self, ty: &Ty) -> Option<&[Field]> {
        match self.resolve(ty) {
            Ty::Named(n) => match &self.defs[n].0 {
                Def::Record { fields, .. } => Some(fields),
                _ => None,
            },
            _ => None,
        }
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn doc(schema: &Value) -> String {
    let d = text(&schema["description"]);
    // Rust examples and intra-doc links mean nothing to a binding's reader.
    let d = d.split("\n```").next().unwrap_or_default().trim();
    d.replace("[`", "`").replace("`]", "`")
}

fn def(schema: &Value) -> Def {
    if let Some(variants) = schema["oneOf"].as_array() {
        if variants.iter().all(|v| v["properties"].is_object()) {
            return Def::Union(variants.iter().map(variant).collect());
        }
    }
    if schema["properties"].is_object() {
        let verbatim = schema["x-verbatim"] == Value::Bool(true);
        return Def::Record {
            fields: fields(schema),
            verbatim,
        };
    }
    Def::Alias(ty(schema))
}

fn variant(schema: &Value) -> Variant {
    let mut consts = Vec::new();
    let mut rest = Map::new();
    for (k, v) in schema["properties"].as_object().unwrap() {
        match v["const"].as_str() {
            Some(c) => consts.push((k.clone(), c.to_owned())),
            None => {
                rest.insert(k.clone(), v.clone());
            }
        }
    }
    let mut stripped = schema.clone();
    stripped["properties"] = Value::Object(rest);
    Variant {
        consts,
        fields: fields(&stripped),
        doc: doc(schema),
    }
}

fn fields(schema: &Value) -> Vec<Field> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, s)| Field {
            name: name.clone(),
            ty: ty(s),
            required: required.contains(&name.as_str()),
            doc: doc(s),
            default: s
                .get("default")
                .filter(|d| !d.is_object() && !d.is_array())
                .cloned(),
        })
        .collect()
}

fn ty(schema: &Value) -> Ty {
    if let Some(r) = schema["$ref"].as_str() {
        return Ty::Named(r.trim_start_matches("#/$defs/").to_owned());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema[key].as_array() {
            let not_null: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
            if let [only] = not_null[..] {
                let inner = ty(only);
                return if not_null.len() < options.len() {
                    Ty::Opt(Box::new(inner))
                } else {
                    inner
                };
            }
            if options.iter().all(|o| o["const"].is_string()) {
                return Ty::Literal(options.iter().map(|o| text(&o["const"])).collect());
            }
            if options.iter().all(|o| o["properties"].is_object()) {
                return Ty::Inline(Box::new(def(schema)));
            }
            return Ty::Plain("any");
        }
    }
    if let Some(values) = schema["enum"].as_array() {
        return Ty::Literal(values.iter().map(text).collect());
    }
    if let Some(c) = schema["const"].as_str() {
        return Ty::Literal(vec![c.to_owned()]);
    }
    let (kind, nullable) = match &schema["type"] {
        Value::String(s) => (s.as_str(), false),
        Value::Array(a) => {
            let kinds: Vec<&str> = a
                .iter()
                .filter_map(Value::as_str)
                .filter(|k| *k != "null")
                .collect();
            (
                kinds.first().copied().unwrap_or("null"),
                kinds.len() < a.len(),
            )
        }
        _ => ("any", false),
    };
    let base = match (kind, schema["format"].as_str()) {
        ("string", Some("date-time")) => Ty::Instant,
        // Bytes travel as base64; the bindings encode bytes / Uint8Array themselves.
        ("string", Some("byte")) => Ty::Plain("bytes"),
        ("integer", Some("seconds")) => Ty::Seconds,
        ("string", _) => Ty::Plain("string"),
        ("integer", _) => Ty::Plain("integer"),
        ("number", _) => Ty::Plain("number"),
        ("boolean", _) => Ty::Plain("boolean"),
        ("null", _) => Ty::Plain("null"),
        ("array", _) if schema["prefixItems"].is_array() => Ty::Tuple(
            schema["prefixItems"]
                .as_array()
                .unwrap()
                .iter()
                .map(ty)
                .collect(),
        ),
        ("array", _) => match schema.get("items") {
            Some(items) if items.is_object() => Ty::List(Box::new(ty(items))),
            _ => Ty::List(Box::new(Ty::Plain("any"))),
        },
        ("object", _) if schema["properties"].is_object() => Ty::Inline(Box::new(def(schema))),
        ("object", _) => match schema.get("additionalProperties") {
            Some(v) if v.is_object() => Ty::Map(Box::new(ty(v))),
            _ => Ty::Map(Box::new(Ty::Plain("any"))),
        },
        _ => Ty::Plain("any"),
    };
    if nullable {
        Ty::Opt(Box::new(base))
    } else {
        base
    }
}
