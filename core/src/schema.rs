//! Schema stand-ins for values whose serde form is not their Rust type's: durations as whole
//! seconds or as humantime text, time zones by IANA name. The bindings convert by these
//! formats (`seconds` becomes a `timedelta` or milliseconds), never by key names.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// A duration serialised as whole seconds (`"format": "seconds"`).
pub struct Seconds;

impl JsonSchema for Seconds {
    fn schema_name() -> Cow<'static, str> {
        "Seconds".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "format": "seconds" })
    }
}

/// A duration written as humantime text, such as `"4h"` or `"2days 4h"`
/// (`"format": "humantime"`).
pub struct Humantime;

impl JsonSchema for Humantime {
    fn schema_name() -> Cow<'static, str> {
        "Humantime".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "humantime" })
    }
}

/// An IANA time-zone name such as `"Europe/Madrid"`.
pub struct TimeZone;

impl JsonSchema for TimeZone {
    fn schema_name() -> Cow<'static, str> {
        "TimeZone".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "iana-time-zone" })
    }
}
