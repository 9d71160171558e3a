//! Generates the Python and Node layers from `foliodesk::api::description()`; see
//! `cargo run -p xtask -- bindings`.

mod model;
mod node;
mod python;
mod shapes;

/// `(path relative to the workspace, contents)` of every generated file.
pub fn generated() -> Vec<(&'static str, String)> {
    let model = model::Model::from_description(&foliodesk::api::description());
    let mut files = python::files(&model);
    files.extend(node::files(&model));
    files
}

/// The workspace root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The generated files whose copy on disk differs.
pub fn stale() -> Vec<&'static str> {
    generated()
        .into_iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root().join(path)).ok().as_ref() != Some(text)
        })
        .map(|(path, _)| path)
        .collect()
}
