//! Configuration: the documented file equals the defaults where it says so; errors name
//! file, key and reason.

use foliodesk::*;

#[test]
fn documented_file_matches_the_defaults() {
    let c = load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))
    .unwrap();
    let d = Config::default();
    assert_eq!(c.priority, d.priority);
    assert_eq!(c.intake, d.intake);
    assert_eq!(c.support, d.support);
    assert_eq!(c.lifecycle, d.lifecycle);
    assert_eq!(c.teams.len(), 3);
    assert_eq!(
        Config::from_toml_str("", "empty.toml").unwrap(),
        d,
        "an empty file is the defaults"
    );
}

#[test]
fn errors_name_file_key_and_reason() {
    let cases = [
        ("[priority]\nmatrix = [[1,2,3,4,5],[1,2,3,4,5],[1,2,3,4,5],[1,2,3,4,9],[1,2,3,4,5]]", "priority.matrix[3][4]"),
        ("[priority]\nmatrix = [[1]]", "priority.matrix"),
        ("[lifecycle]\nauto_confirm_after = \"soon\"", "lifecycle.auto_confirm_after"),
        ("[lifecycle]\nauto_confirm_after = \"0s\"", "lifecycle.auto_confirm_after"),
        ("[lifecycle]\nreopen_windw = \"1d\"", "lifecycle.reopen_windw"),
        ("[intake]\ndefault_impact = 7", "intake.default_impact"),
        ("[support]\nentry_level = \"n4\"", "support.entry_level"),
        ("[[categories]]\npath = \"A\"\n[[categories]]\npath = \"A\"", "categories[1].path"),
        ("[[categories]]\npath = \"A//B\"", "categories[0].path"),
        ("[[teams]]\nid = \"\"\nname = \"x\"\nlevel = \"n1\"", "teams[0].id"),
        ("[priority]\nusers_impact = [{ min_users = 50, impact = 4 }, { min_users = 10, impact = 5 }]", "priority.users_impact[1].min_users"),
    ];
    for (text, key) in cases {
        match Config::from_toml_str(text, "desk.toml") {
            Err(Error::Config {
                origin,
                key: k,
                reason,
            }) => {
                assert_eq!(origin, "desk.toml");
                assert_eq!(k, key, "{text}: {reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("{text}: expected a config error, got {other:?}"),
        }
    }
    let syntax = Config::from_toml_str("[priority", "desk.toml").unwrap_err();
    assert!(syntax.to_string().contains("desk.toml"), "{syntax}");
    let missing = load_config("/nonexistent/desk.toml").unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/desk.toml"),
        "{missing}"
    );
}

#[tokio::test]
async fn configuration_is_stored_with_the_desk() {
    let store: std::sync::Arc<dyn foliodesk::core::store::Store> =
        std::sync::Arc::new(foliodesk::core::store::memory::MemoryStore::new());
    let mut c = Config::default();
    c.lifecycle.require_owner_review = false;
    Desk::with_store(
        store.clone(),
        DeskOptions {
            config: Some(c.clone()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let reopened = Desk::with_store(store, DeskOptions::default())
        .await
        .unwrap();
    assert_eq!(reopened.config(), c);
}

#[test]
fn template_files_beside_the_configuration_replace_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "desk.toml",
        "[notifications]\ntemplates_dir = \"plantillas\"\n[notifications.templates]\n\
         \"en/closed\" = \"{% block subject %}inline{% endblock %}{% block body %}x{% endblock %}\"\n",
    );
    let opened = "{% block subject %}Recibido {{ ticket.folio }}{% endblock %}\n\
                  {% block body %}Gracias.{% endblock %}";
    write("plantillas/es/opened.j2", opened);
    write(
        "plantillas/en/closed.j2",
        "{% block subject %}from the file{% endblock %}",
    );
    write("plantillas/README.md", "not a template");
    let c = load_config(dir.path().join("desk.toml")).unwrap();
    assert_eq!(c.notifications.templates["es/opened"], opened);
    assert!(
        c.notifications.templates["en/closed"].contains("inline"),
        "the configuration's own text wins over a file"
    );

    // A file that does not compile names the template and the line.
    write(
        "plantillas/es/opened.j2",
        "{% block subject %}\n{{ oops( %}",
    );
    let e = load_config(dir.path().join("desk.toml")).unwrap_err();
    assert_eq!(e.field(), Some("notifications.templates.es/opened"), "{e}");
    assert!(e.to_string().contains("line 2"), "{e}");
    // A file that is no template kind is named too.
    std::fs::remove_file(dir.path().join("plantillas/es/opened.j2")).unwrap();
    write(
        "plantillas/es/opnened.j2",
        "{% block subject %}x{% endblock %}",
    );
    let e = load_config(dir.path().join("desk.toml")).unwrap_err();
    assert!(e.to_string().contains("es/opnened"), "{e}");
    // A directory that is not there.
    write(
        "desk.toml",
        "[notifications]\ntemplates_dir = \"nowhere\"\n",
    );
    let e = load_config(dir.path().join("desk.toml")).unwrap_err();
    assert_eq!(e.field(), Some("notifications.templates_dir"), "{e}");
}
