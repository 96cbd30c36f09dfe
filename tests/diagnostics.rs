//! Broken inputs (tests/fixtures/broken): each gives a located error with its code, exit code 1
//! and no SQL — in JSON and in the terminal format.

mod support;

use support::{fixtures, schemac, stderr, stdout};

/// (case, code, file, line, column) of the first error. A `.ts`/`.js` case is compiled with
/// `--dialect postgresql --schema <case>`; a folder case has its own drizzle.config.ts.
const CASES: &[(&str, &str, &str, u64, u64)] = &[
    ("bad_fk_action.ts", "E4002", "bad_fk_action.ts", 6, 34),
    ("bad_type_length.ts", "E4002", "bad_type_length.ts", 6, 25),
    ("cjs_getter_fails.js", "E3005", "cjs_getter_fails.js", 7, 27),
    (
        "choice_on_unknown_export.ts",
        "E3003",
        "choice_on_unknown_export.ts",
        4,
        18,
    ),
    (
        "branch_on_runtime_value.ts",
        "E3003",
        "branch_on_runtime_value.ts",
        6,
        7,
    ),
    ("duplicate_column.ts", "E5001", "duplicate_column.ts", 6, 13),
    (
        "duplicate_index_name.ts",
        "E5001",
        "duplicate_index_name.ts",
        4,
        3,
    ),
    ("drizzle_v1_api.ts", "E3002", "drizzle_v1_api.ts", 4, 22),
    (
        "drizzle_orm_unknown_module.ts",
        "E2001",
        "drizzle_orm_unknown_module.ts",
        3,
        33,
    ),
    (
        "key_on_other_table_column.ts",
        "E4002",
        "key_on_other_table_column.ts",
        7,
        41,
    ),
    ("endless_loop.ts", "E3006", "endless_loop.ts", 4, 14),
    ("fs_missing_file.ts", "E3007", "fs_missing_file.ts", 5, 41),
    (
        "enum_default_outside.ts",
        "E5004",
        "enum_default_outside.ts",
        6,
        11,
    ),
    (
        "expression_index_unnamed.ts",
        "E5006",
        "expression_index_unnamed.ts",
        5,
        3,
    ),
    (
        "external_value_as_name.ts",
        "E3003",
        "external_value_as_name.ts",
        4,
        30,
    ),
    (
        "external_value_in_sql.ts",
        "E3003",
        "external_value_in_sql.ts",
        4,
        68,
    ),
    ("fk_not_unique.ts", "E5002", "fk_not_unique.ts", 6, 24),
    ("fk_type_mismatch.ts", "E5003", "fk_type_mismatch.ts", 6, 31),
    (
        "fk_unknown_column.ts",
        "E4002",
        "fk_unknown_column.ts",
        6,
        57,
    ),
    ("missing_export.ts", "E2002", "missing_export.ts", 2, 10),
    (
        "missing_required_option.ts",
        "E4002",
        "missing_required_option.ts",
        3,
        50,
    ),
    (
        "no_such_column_on_table.ts",
        "E4002",
        "no_such_column_on_table.ts",
        4,
        33,
    ),
    ("not_a_column.ts", "E4002", "not_a_column.ts", 3, 39),
    ("public_schema.ts", "E4002", "public_schema.ts", 3, 29),
    (
        "sql_called_as_function.ts",
        "E4002",
        "sql_called_as_function.ts",
        4,
        68,
    ),
    (
        "syntax_bad_character.ts",
        "E1001",
        "syntax_bad_character.ts",
        4,
        22,
    ),
    (
        "syntax_missing_comma.ts",
        "E1001",
        "syntax_missing_comma.ts",
        5,
        3,
    ),
    (
        "syntax_stray_keyword.ts",
        "E1001",
        "syntax_stray_keyword.ts",
        3,
        14,
    ),
    (
        "syntax_unclosed_paren.ts",
        "E1001",
        "syntax_unclosed_paren.ts",
        3,
        50,
    ),
    (
        "syntax_unclosed_template.ts",
        "E1001",
        "syntax_unclosed_template.ts",
        5,
        33,
    ),
    (
        "syntax_unterminated_string.ts",
        "E1001",
        "syntax_unterminated_string.ts",
        3,
        30,
    ),
    ("throw_in_helper.ts", "E3007", "throw_in_helper.ts", 4, 25),
    // One error at the first conflict marker, not one per line the conflict breaks.
    (
        "syntax_merge_conflict.ts",
        "E1001",
        "syntax_merge_conflict.ts",
        4,
        1,
    ),
    ("typeof_unknown.ts", "E3003", "typeof_unknown.ts", 5, 26),
    ("undefined_name.ts", "E3001", "undefined_name.ts", 3, 52),
    (
        "import_misspelled.ts",
        "E3001",
        "import_misspelled.ts",
        4,
        3,
    ),
    ("unknown_builder.ts", "E4001", "unknown_builder.ts", 1, 19),
    ("unknown_modifier.ts", "E4005", "unknown_modifier.ts", 3, 60),
    (
        "unresolved_relative_import.ts",
        "E2001",
        "unresolved_relative_import.ts",
        2,
        28,
    ),
    (
        "unmapped_path_alias.ts",
        "E2001",
        "unmapped_path_alias.ts",
        2,
        26,
    ),
    (
        "vector_index_no_opclass.ts",
        "E5007",
        "vector_index_no_opclass.ts",
        4,
        45,
    ),
    (
        "wrong_dialect_import.ts",
        "E4004",
        "wrong_dialect_import.ts",
        3,
        34,
    ),
    (
        "wrong_type_method.ts",
        "E4005",
        "wrong_type_method.ts",
        3,
        60,
    ),
    ("config_bad_dialect", "E0003", "drizzle.config.ts", 4, 12),
    ("config_env_missing", "E0002", "drizzle.config.ts", 5, 11),
    ("config_no_dialect", "E0002", "drizzle.config.ts", 3, 29),
    // At the misspelled key, and no W0007 for the unset variable of `dbCredentials`.
    (
        "config_schema_key_typo",
        "E0002",
        "drizzle.config.ts",
        5,
        12,
    ),
    (
        "config_no_schema_files",
        "E0004",
        "drizzle.config.ts",
        5,
        11,
    ),
    ("config_syntax", "E1001", "drizzle.config.ts", 5, 3),
    ("cycle_uninitialized", "E3008", "b.ts", 5, 37),
    // Reported where the bad re-export is written, not at the entry's `export *`.
    ("reexport_missing", "E2002", "sub/index.ts", 2, 10),
    ("mysql_fulltext_index", "E4002", "schema.ts", 4, 43),
    ("mysql_enum_default_outside", "E5004", "schema.ts", 6, 9),
    ("mysql_text_primary_key", "E5018", "schema.ts", 5, 7),
    ("mysql_size_too_large", "E4002", "schema.ts", 5, 22),
    ("mysql_fk_to_serial", "E5003", "schema.ts", 8, 34),
    ("mysql_autoincrement_unkeyed", "E5021", "schema.ts", 6, 7),
    ("mysql_autoincrement_varchar", "E4005", "schema.ts", 5, 50),
    (
        "two_column_primary_keys.ts",
        "E5015",
        "two_column_primary_keys.ts",
        4,
        11,
    ),
];

fn run(case: &str, json: bool) -> std::process::Output {
    let dir = fixtures().join("broken");
    let format: &[&str] = if json {
        &["--format", "json"]
    } else {
        &["--color", "never"]
    };
    if case.ends_with(".ts") || case.ends_with(".js") {
        let mut args = format.to_vec();
        args.extend(["export", "--dialect", "postgresql", "--schema", case]);
        schemac(&dir, &args)
    } else {
        let mut args = format.to_vec();
        args.push("export");
        schemac(&dir.join(case), &args)
    }
}

#[test]
fn every_broken_input_gives_a_located_error_and_exit_1() {
    assert!(CASES.len() >= 30);
    let mut failures = Vec::new();
    for (case, code, file, line, column) in CASES {
        let out = run(case, true);
        if out.status.code() != Some(1) {
            failures.push(format!("{case}: exit code {:?}", out.status.code()));
            continue;
        }
        let doc: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{case}: output is not JSON: {e}: {}", stdout(&out)));
                continue;
            }
        };
        assert_eq!(doc["ok"], false, "{case}");
        assert!(
            doc.get("statements").is_none(),
            "{case}: SQL printed despite errors"
        );
        let first = doc["diagnostics"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["severity"] == "error"))
            .cloned();
        let Some(first) = first else {
            failures.push(format!("{case}: no error diagnostic"));
            continue;
        };
        let got = (
            first["code"].as_str().unwrap_or(""),
            first["file"].as_str().unwrap_or(""),
            first["line"].as_u64().unwrap_or(0),
            first["column"].as_u64().unwrap_or(0),
        );
        if got != (*code, *file, *line, *column) {
            failures.push(format!(
                "{case}: expected {code} at {file}:{line}:{column}, got {got:?}: {}",
                first["message"]
            ));
        }
        if first["message"]
            .as_str()
            .is_none_or(|m| m.is_empty() || m.contains("poisoned"))
        {
            failures.push(format!("{case}: bad message {}", first["message"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn terminal_diagnostics_name_the_file_line_and_column() {
    for (case, code, file, line, column) in CASES.iter().take(8) {
        let out = run(case, false);
        assert_eq!(out.status.code(), Some(1), "{case}");
        assert!(
            stdout(&out).is_empty(),
            "{case}: stdout must stay empty on errors"
        );
        let err = stderr(&out);
        assert!(err.contains(&format!("[{code}] Error")), "{case}: {err}");
        assert!(
            err.contains(&format!("{file}:{line}:{column}")),
            "{case}: {err}"
        );
    }
}

/// Three enums of one name with different values (three files): drizzle-kit creates the last
/// one; so does schemac, with one W5013 naming every declaration, exit 0.
#[test]
fn an_enum_redeclared_with_other_values_warns_and_the_last_one_is_created() {
    let doc = export_with_one_warning("redeclared_enum");
    let d = &doc["diagnostics"];
    assert_eq!(d[0]["code"], "W5013");
    assert!(
        d[0]["message"].as_str().unwrap().starts_with(
            "3 enums are named `status` with different values; the last one, ('active', 'inactive')"
        ),
        "{d:#}"
    );
    assert_eq!(d[0]["file"], "redeclared_enum/users.ts");
    let others: Vec<&str> = d[0]["labels"].as_array().unwrap()[1..]
        .iter()
        .map(|l| l["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        others,
        ["redeclared_enum/accounts.ts", "redeclared_enum/orders.ts"]
    );
    let statements = doc["statements"].as_array().unwrap();
    assert_eq!(
        statements[0],
        r#"CREATE TYPE "public"."status" AS ENUM('active', 'inactive');"#
    );
    assert_eq!(statements.len(), 4);
}

/// `export --format json` of a schema in tests/fixtures/warnings: exit 0 and exactly one
/// diagnostic; the JSON document.
fn export_with_one_warning(schema: &str) -> serde_json::Value {
    let out = schemac(
        &fixtures().join("warnings"),
        &[
            "--format",
            "json",
            "export",
            "--dialect",
            "postgresql",
            "--schema",
            schema,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagnostics"];
    assert_eq!(d.as_array().map(Vec::len), Some(1), "{d:#}");
    doc
}

/// A misspelled option of `.references()` (also of identity and SQLite's `primaryKey`) is
/// W4009 with the option meant: drizzle-orm ignores it, and the SQL silently lacks it.
#[test]
fn a_misspelled_reference_option_warns() {
    let doc = export_with_one_warning("misspelled_reference_option.ts");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W4009", "{d:#}");
    assert_eq!(d["line"], 7, "{d:#}");
    assert_eq!(d["help"], "did you mean `onDelete`?", "{d:#}");
}

/// A config that fails for its own keys does not blame an unset variable of `dbCredentials`,
/// which `export` and `build` never read (it did: W0007 beside "the config has no `schema`").
#[test]
fn a_config_failure_does_not_blame_credentials_variables() {
    let out = run("config_schema_key_typo", true);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E0002"], "{doc:#}");
    assert_eq!(
        doc["diagnostics"][0]["help"],
        "`schemas` is not a config key: did you mean `schema`?"
    );
}

/// An export made by JavaScript schemac does not evaluate is W3010, not a silent gap; values
/// of the running program (`Date.now()`) are no gap and say nothing.
#[test]
fn an_unknown_export_is_a_warning() {
    let doc = export_with_one_warning("unknown_export.js");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W3010", "{d:#}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("the export `posts` is unknown to schemac (`Object.fromAsync`)"),
        "{d:#}"
    );
    assert_eq!(doc["statements"].as_array().map(Vec::len), Some(1));
}

/// One syntax error in a declaration is one diagnostic: the name it declares is still
/// declared (with an error value), so its uses, in the file and in the files importing it, do
/// not each report it missing.
#[test]
fn a_syntax_error_in_a_declaration_is_one_error() {
    let out = schemac(
        &fixtures().join("broken/syntax_error_cascade"),
        &[
            "--format",
            "json",
            "export",
            "--dialect",
            "postgresql",
            "--schema",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = doc["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["code"], "E1001");
    assert_eq!(
        (d[0]["line"].as_i64(), d[0]["column"].as_i64()),
        (Some(7), Some(7))
    );
}

/// A default written as text where a call was meant (`'now()'` on a timestamp: frozen at
/// `CREATE TABLE`) is W5017, with the builder that does it.
#[test]
fn a_call_written_as_a_text_default_warns() {
    let doc = export_with_one_warning("default_text_not_call.ts");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W5017", "{d:#}");
    assert_eq!(d["line"], 6, "{d:#}");
    assert!(
        d["help"].as_str().unwrap().contains(".defaultNow()"),
        "{d:#}"
    );
}

/// A key naming another table's column that the table also has (by name) is on the table's
/// column, as drizzle-orm takes it, with W4010 saying so.
#[test]
fn a_key_on_another_tables_column_of_the_same_name_warns() {
    let doc = export_with_one_warning("key_on_other_table_column.ts");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W4010", "{d:#}");
    assert_eq!(
        (d["line"].as_i64(), d["column"].as_i64()),
        (Some(8), Some(41))
    );
    let statements = doc["statements"].as_array().unwrap();
    assert!(
        statements[0]
            .as_str()
            .unwrap()
            .contains("CONSTRAINT \"members_name_uq\" UNIQUE(\"name\")"),
        "{statements:#?}"
    );
}

/// Two tables of one name with different definitions (a real project has two): drizzle-kit
/// creates the one it meets last (a file's exports in name order), and so does schemac, with
/// W5016 pointing at both.
#[test]
fn a_table_redeclared_with_another_definition_warns_and_one_is_created() {
    let doc = export_with_one_warning("duplicate_table.ts");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W5016", "{d:#}");
    assert_eq!(d["line"], 3, "{d:#}");
    assert_eq!(d["labels"][1]["line"], 4, "{d:#}");
    let statements = doc["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert!(!statements[0].as_str().unwrap().contains("\"name\""));
}

/// A `driver` the dialect does not take is W0009 at the key, with the fix; the export runs.
#[test]
fn a_wrong_driver_is_a_warning_at_the_key() {
    let out = schemac(
        &fixtures().join("warnings/config_driver"),
        &["--format", "json", "export"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W0009", "{d:#}");
    assert_eq!(
        (d["line"].as_i64(), d["column"].as_i64()),
        (Some(2), Some(45))
    );
    assert_eq!(d["help"], "write `dialect: 'turso'` and remove `driver`");
    assert_eq!(doc["statements"].as_array().map(Vec::len), Some(1));
}

/// A `schema` entry that matches no file beside entries that do (a renamed file) is W0010 at
/// the config's `schema`; the export runs with the other files.
#[test]
fn a_schema_entry_matching_nothing_is_a_warning() {
    let out = schemac(
        &fixtures().join("warnings/schema_entry_unmatched"),
        &["--format", "json", "export"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W0010", "{d:#}");
    assert!(
        d["message"].as_str().unwrap().contains("`./src/old.ts`"),
        "{d:#}"
    );
    assert_eq!(d["line"], 6, "{d:#}");
    assert_eq!(doc["statements"].as_array().map(Vec::len), Some(1));
}

/// Two modules of a barrel (`export *` each) exporting one name as two tables: the first is
/// used, as on the CommonJS object drizzle-kit loads, and W3011 says which table is left out.
#[test]
fn a_name_two_star_exports_give_is_a_warning() {
    let out = schemac(
        &fixtures().join("warnings/ambiguous_star_export"),
        &["--format", "json", "export"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W3011", "{d:#}");
    assert!(
        d["message"].as_str().unwrap().contains("`LegacyTag`"),
        "{d:#}"
    );
    assert_eq!(d["line"], 2, "{d:#}");
    let statements = doc["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert!(statements[0].as_str().unwrap().contains("\"Tag\""));
}

/// A table made by a builder imported from a package other than drizzle-orm (one that
/// re-exports it): W3010 says it is left out and how to fix the import, not an empty schema.
#[test]
fn a_builder_from_another_package_is_a_warning() {
    let doc = export_with_one_warning("builder_from_package.ts");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "W3010", "{d:#}");
    assert!(
        d["message"].as_str().unwrap().starts_with(
            "the export `brands` is made by `pgTable` from the package `acme-drizzle-proxy/pg-core`"
        ),
        "{d:#}"
    );
    assert_eq!(
        d["help"],
        "if `acme-drizzle-proxy/pg-core` re-exports drizzle-orm, import `pgTable` from drizzle-orm"
    );
}
