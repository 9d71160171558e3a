//! The shared storage conformance suite on each SQL engine.

mod common;

mod sqlite {
    use super::common::Sql;
    foliodesk_core::conformance_tests!(Sql(foliodesk_sql::Dialect::Sqlite));
}

mod postgres {
    use super::common::Sql;
    foliodesk_core::conformance_tests!(Sql(foliodesk_sql::Dialect::Postgres));
}

mod mysql {
    use super::common::Sql;
    foliodesk_core::conformance_tests!(Sql(foliodesk_sql::Dialect::MySql));
}
