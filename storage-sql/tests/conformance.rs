//! The shared storage conformance suite on each SQL engine.

mod sqlite {
    use foliodesk_sql::testkit::Sql;
    foliodesk_core::conformance_tests!(Sql::new(
        foliodesk_sql::Dialect::Sqlite,
        env!("CARGO_TARGET_TMPDIR")
    ));
}

mod postgres {
    use foliodesk_sql::testkit::Sql;
    foliodesk_core::conformance_tests!(Sql::new(
        foliodesk_sql::Dialect::Postgres,
        env!("CARGO_TARGET_TMPDIR")
    ));
}

mod mysql {
    use foliodesk_sql::testkit::Sql;
    foliodesk_core::conformance_tests!(Sql::new(
        foliodesk_sql::Dialect::MySql,
        env!("CARGO_TARGET_TMPDIR")
    ));
}
