//! The conversion table both bindings walk at run time: for each value, whether it is an
//! instant (`"t"`), a duration in seconds (`"d"`), bytes as base64 (`"b"`), a list (`["l", s]`) or map (`["m", s]`)
//! of such, or a record or union (by name, or in place). `null` means "pass it through";
//! a record's keys are renamed (Node camelCase) unless it is verbatim (`{"v": 1}`).

use serde_json::{json, Map, Value};

use crate::model::{Def, Field, Model, Ty};

/// The shape of a value of type `ty`.
pub fn shape(model: &Model, ty: &Ty) -> Value {
    match ty {
        Ty::Instant => json!("t"),
        Ty::Seconds => json!("d"),
        // Bytes travel as base64: the bindings decode them to bytes / Buffer.
        Ty::Plain("bytes") => json!("b"),
        Ty::Plain(_) | Ty::Literal(_) => Value::Null,
        Ty::Opt(inner) => shape(model, inner),
        Ty::List(inner) => wrap("l", shape(model, inner)),
        Ty::Tuple(items) => {
            let shapes: Vec<Value> = items.iter().map(|t| shape(model, t)).collect();
            // Always a shape: Python gives tuples for tuples.
            json!(["p", shapes])
        }
        Ty::Map(inner) => wrap("m", shape(model, inner)),
        Ty::Named(name) => match &model.defs[name].0 {
            Def::Alias(inner) => shape(model, inner),
            _ => json!(name),
        },
        Ty::Inline(def) => def_shape(model, def),
    }
}

fn wrap(kind: &str, inner: Value) -> Value {
    if inner.is_null() {
        Value::Null
    } else {
        json!([kind, inner])
    }
}

fn fields_shape(model: &Model, fields: &[Field]) -> Value {
    let mut out = Map::new();
    for f in fields {
        let s = shape(model, &f.ty);
        if !s.is_null() {
            out.insert(f.name.clone(), s);
        }
    }
    Value::Object(out)
}

/// The table entry of a record or union.
pub fn def_shape(model: &Model, def: &Def) -> Value {
    match def {
        Def::Record { verbatim: true, .. } => json!({ "v": 1 }),
        Def::Record { fields, .. } => json!({ "f": fields_shape(model, fields) }),
        Def::Union(variants) => {
            let vs: Vec<Value> = variants
                .iter()
                .map(|v| {
                    let consts: Map<String, Value> = v
                        .consts
                        .iter()
                        .map(|(k, c)| (k.clone(), json!(c)))
                        .collect();
                    json!({ "c": consts, "f": fields_shape(model, &v.fields) })
                })
                .collect();
            json!({ "u": vs })
        }
        Def::Alias(_) => Value::Null,
    }
}

/// Every record and union by name.
pub fn table(model: &Model) -> Value {
    let mut out = Map::new();
    for (name, (def, _)) in &model.defs {
        let s = def_shape(model, def);
        if !s.is_null() {
            out.insert(name.clone(), s);
        }
    }
    Value::Object(out)
}
