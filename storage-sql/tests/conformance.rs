//! The shared storage conformance suite on each SQL engine; and its search checks again
//! with pruning off, so that every search takes the unfiltered ranking statement.

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

/// A harness that never prunes (every ranking on the servers reads every posting of its
/// terms) and, on SQLite, never packs (every posting stays pending).
fn unpruned(dialect: foliodesk_sql::Dialect) -> foliodesk_sql::testkit::Sql {
    let options = foliodesk_sql::SqlOptions {
        search_prune_from: u64::MAX,
        search_merge_at: u64::MAX,
        ..Default::default()
    };
    foliodesk_sql::testkit::Sql::with_options(dialect, env!("CARGO_TARGET_TMPDIR"), options)
}

mod unpruned {
    macro_rules! search_checks {
        ($($engine:ident: $dialect:ident),+) => {
            $(mod $engine {
                foliodesk_core::conformance_tests!(@each super::super::unpruned(
                    foliodesk_sql::Dialect::$dialect);
                    search_documents_follow_appends,
                    articles_are_written_with_their_documents,
                    search_answers_through_churn,
                );
            })+
        };
    }
    search_checks!(sqlite: Sqlite, postgres: Postgres, mysql: MySql);
}
