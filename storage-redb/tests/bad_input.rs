//! A directory, a file that is not a redb database, a file another process holds, and a
//! file from a newer Foliodesk: each gives an error that says which.

use foliodesk_core::ErrorKind;
use foliodesk_redb::RedbStore;

fn tmp(name: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[tokio::test]
async fn a_directory_is_refused_by_name() {
    let err = RedbStore::open(env!("CARGO_TARGET_TMPDIR"))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("url"));
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[tokio::test]
async fn a_foreign_file_is_not_a_redb_database() {
    let path = tmp("not-redb.redb");
    std::fs::write(&path, vec![b'x'; 8192]).unwrap();
    let err = RedbStore::open(&path).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(
        err.to_string()
            .to_lowercase()
            .contains("not a redb database"),
        "{err}"
    );
}

#[tokio::test]
async fn a_file_held_elsewhere_is_reported_as_open() {
    let path = tmp("held.redb");
    let _first = RedbStore::open(&path).await.unwrap();
    let err = RedbStore::open(&path).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(
        err.to_string().contains("is open in another process"),
        "{err}"
    );
}

#[tokio::test]
async fn bad_urls_name_the_url() {
    let err = RedbStore::open_url("redb://").await.unwrap_err();
    assert_eq!(err.field(), Some("url"));
    let err = RedbStore::open_url("sqlite://x.db").await.unwrap_err();
    assert_eq!(err.field(), Some("url"));
}
