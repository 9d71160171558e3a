//! The macro that turns the one list of operations into argument types, the dispatcher and
//! the description.

/// For each `name(arg: Type, …) -> Result { body }`: an argument struct (serde and
/// schema), a dispatch arm that decodes the arguments, binds them by name and runs `body`,
/// and an [`Operation`](super::Operation) describing it. `spread a, b` marks object
/// arguments whose fields the bindings also accept one by one.
macro_rules! operations {
    (|$desk:ident| $(
        $(#[doc = $doc:literal])*
        $name:ident ( $( $(#[$meta:meta])* $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty
        $(, spread $($spread:ident),+)?
        $body:block
    )*) => {
        /// One argument struct per operation, named after it.
        #[allow(non_camel_case_types)]
        mod arguments {
            use super::*;
            $(
                #[derive(serde::Deserialize, schemars::JsonSchema)]
                #[serde(deny_unknown_fields)]
                pub struct $name { $( $(#[$meta])* pub $arg: $ty ),* }
            )*
        }

        /// Runs operation `op` with `arguments` (a JSON object named like the parameters),
        /// if it is one of this group's; `None` otherwise.
        pub(super) async fn call_here(desk: &Desk, op: &str, arguments: Value) -> Option<Result<Value>> {
            Some(match op {
                $(stringify!($name) => {
                    async {
                        let arguments::$name { $($arg),* } = decode(op, &arguments)?;
                        let $desk = desk;
                        let result: Result<$ret> = $body;
                        encode(result?)
                    }.await
                })*
                _ => return None,
            })
        }

        /// This group's operations, in the facade's order.
        pub(super) const NAMES: &[&str] = &[$(stringify!($name)),*];

        pub(super) fn describe(generator: &mut SchemaGenerator) -> Vec<Operation> {
            vec![$(Operation {
                name: stringify!($name),
                doc: doc(&[$($doc),*]),
                arguments: <arguments::$name as JsonSchema>::json_schema(generator),
                rust_arguments: vec![$((stringify!($arg), stringify!($ty))),*],
                result: generator.subschema_for::<$ret>(),
                spread: vec![$($(stringify!($spread)),+)?],
            }),*]
        }
    };
}
pub(crate) use operations;
