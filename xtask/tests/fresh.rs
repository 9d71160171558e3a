//! The committed Python and Node layers are what the generator writes today.

#[test]
fn generated_bindings_are_fresh() {
    let stale = xtask::stale();
    assert!(
        stale.is_empty(),
        "{stale:?} differ from foliodesk::api; run `cargo run -p xtask -- bindings` and commit"
    );
}
