//! CSV that opens right in a spreadsheet: the BOM for Excel's sake, `;` on request, quoting
//! of separators, quotes and line breaks, and formulas neutralised while numbers stay
//! numbers (PITFALLS: GLPI #24086, formula injection).

use foliodesk_core::export::{csv, neutralise, CsvOptions};

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

#[test]
fn a_bom_by_default_and_semicolons_on_request() {
    let rows = [vec!["Tramitación".to_owned(), "3,5".to_owned()]];
    let out = csv(&["estado", "horas"], rows.clone(), CsvOptions::default()).unwrap();
    assert!(out.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert_eq!(&text(out)[3..], "estado,horas\nTramitación,\"3,5\"\n");
    let opts = CsvOptions {
        semicolon: true,
        bom: false,
    };
    assert_eq!(
        text(csv(&["estado", "horas"], rows, opts).unwrap()),
        "estado;horas\nTramitación;3,5\n"
    );
}

#[test]
fn formulas_are_neutralised_and_numbers_kept() {
    for risky in [
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\r=1",
    ] {
        assert!(neutralise(risky).starts_with('\''), "{risky:?}");
    }
    for safe in [
        "-5",
        "-3.25",
        "+7",
        "INC-2026-000042",
        "ana@example.com",
        "",
    ] {
        assert_eq!(neutralise(safe), safe);
    }
    let opts = CsvOptions {
        semicolon: false,
        bom: false,
    };
    let out = csv(
        &["a", "b"],
        [vec!["=1+1".into(), "dice \"hola\"\ny adiós".into()]],
        opts,
    );
    assert_eq!(
        text(out.unwrap()),
        "a,b\n'=1+1,\"dice \"\"hola\"\"\ny adiós\"\n"
    );
}

#[test]
fn a_row_of_the_wrong_width_names_it() {
    let e = csv(&["a", "b"], [vec!["1".into()]], CsvOptions::default()).unwrap_err();
    assert_eq!(e.field(), Some("rows[0]"), "{e}");
}
