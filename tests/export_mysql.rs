//! `schemac export` on MySQL schemas: the SQL applies to a fresh MariaDB database and builds the
//! same catalog as drizzle-kit's generate + migrate (`dk.sh compare mysql`, when the oracle is on
//! this machine); broken MySQL inputs give located diagnostics.

mod support;

use std::path::Path;

use support::{
    MYSQL_CORPUS, TempDb, dk_compare, export_statements, fixtures, oracle, schemac, stderr,
};

/// A schema to export: its folder, file and casing.
struct Case {
    dir: std::path::PathBuf,
    schema: &'static str,
    casing: Option<&'static str>,
}

/// The corpus schemas, then schemac's own fixtures (`fixtures/mysql`): every builder, and keys
/// under `snake_case` with defaults of every kind and a joined query view.
fn schemas() -> Vec<Case> {
    let mut out: Vec<_> = MYSQL_CORPUS
        .iter()
        .map(|s| Case {
            dir: fixtures().join("corpus"),
            schema: s,
            casing: None,
        })
        .collect();
    out.push(Case {
        dir: fixtures().join("mysql"),
        schema: "builders.ts",
        casing: None,
    });
    out.push(Case {
        dir: fixtures().join("mysql"),
        schema: "casing.ts",
        casing: Some("snake_case"),
    });
    out
}

fn export_mysql(dir: &Path, schema: &str) -> Vec<String> {
    export_statements(dir, &["--dialect", "mysql", "--schema", schema])
}

fn export_case(c: &Case) -> Vec<String> {
    let mut args = vec!["--dialect", "mysql", "--schema", c.schema];
    if let Some(casing) = c.casing {
        args.extend(["--casing", casing]);
    }
    export_statements(&c.dir, &args)
}

#[test]
fn exports_apply_to_a_fresh_mariadb_database() {
    for c in schemas() {
        let (statements, schema) = (export_case(&c), c.schema);
        assert!(!statements.is_empty(), "{schema}: no statements");
        let db = TempDb::mysql("export");
        if let Err(e) = db.execute(&statements) {
            panic!("{schema}: the exported SQL does not apply: {e}");
        }
    }
}

#[test]
fn catalogs_equal_drizzle_kit() {
    let Some(dk) = oracle() else { return };
    let tmp = std::env::temp_dir().join(format!("schemac-oracle-mysql-{}", std::process::id()));
    let mut failures = Vec::new();
    for c in schemas() {
        let (statements, schema) = (export_case(&c), c.schema);
        failures.extend(dk_compare(
            &dk,
            "mysql",
            &c.dir.join(schema),
            &statements,
            c.casing,
            &tmp,
        ));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "catalogs differ from drizzle-kit's:\n{}",
        failures.join("\n")
    );
}

/// The exact text for the first corpus schema: drizzle-kit's templates (checked by hand against
/// `dk.sh generate mysql`), backticks, unique indexes as table constraints.
#[test]
fn export_text_follows_drizzle_kit_templates() {
    let statements = export_mysql(&fixtures().join("corpus"), "mysql1_features.ts");
    let find = |prefix: &str| {
        statements
            .iter()
            .find(|s| s.starts_with(prefix))
            .unwrap_or_else(|| panic!("no statement starting with {prefix}: {statements:#?}"))
            .clone()
    };
    let orders = find("CREATE TABLE `orders`");
    assert_eq!(
        orders,
        "CREATE TABLE `orders` (\n\t`id` bigint unsigned AUTO_INCREMENT NOT NULL,\n\t`customer_id` int NOT NULL,\n\t`code` varchar(32) NOT NULL,\n\t`status` enum('new','paid','shipped','cancelled') DEFAULT 'new',\n\t`total` decimal(12,2),\n\t`note` text,\n\t`placed_at` datetime,\n\tCONSTRAINT `orders_id` PRIMARY KEY(`id`),\n\tCONSTRAINT `orders_code_uq` UNIQUE(`code`)\n);\n"
    );
    assert_eq!(
        find("ALTER TABLE `orders`"),
        "ALTER TABLE `orders` ADD CONSTRAINT `orders_customer_id_customers_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON DELETE cascade ON UPDATE cascade;"
    );
    assert_eq!(
        find("CREATE INDEX `customers_name_idx`"),
        "CREATE INDEX `customers_name_idx` ON `customers` (`last_name`,`first_name`);"
    );
    assert_eq!(
        find("CREATE ALGORITHM"),
        "CREATE ALGORITHM = undefined\nSQL SECURITY definer\nVIEW `active_customers` AS (select `id`, `email` from `customers` where `customers`.`is_active` = true);"
    );
    let customers = find("CREATE TABLE `customers`");
    for line in [
        "`updated_at` timestamp DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP,",
        "`full_name` varchar(201) GENERATED ALWAYS AS (concat(first_name, ' ', last_name)) STORED,",
        "CONSTRAINT `credit_non_negative` CHECK(`customers`.`credit` >= 0)",
    ] {
        assert!(customers.contains(line), "{line}\n{customers}");
    }
}

/// Where drizzle-kit's SQL fails on MariaDB (`serial AUTO_INCREMENT`, `ON UPDATE
/// CURRENT_TIMESTAMP` on a `timestamp(3)`), schemac's applies, and the columns are what the
/// schema says.
#[test]
fn serial_and_on_update_with_fsp_apply_on_mariadb() {
    let statements = export_mysql(&fixtures().join("mysql"), "fixes.ts");
    let db = TempDb::mysql("fixes");
    db.execute(&statements)
        .unwrap_or_else(|e| panic!("fixes.ts: {e}"));
    let query = |column: &str| {
        db.mysql_texts(&format!(
            "SELECT CONCAT(COLUMN_TYPE, ' ', EXTRA) FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = '{}' AND TABLE_NAME = 'events' AND COLUMN_NAME = '{column}'",
            db.name
        ))
        .join("")
        .to_lowercase()
    };
    let id = query("id");
    assert!(
        id.starts_with("bigint") && id.contains("unsigned") && id.contains("auto_increment"),
        "{id}"
    );
    let changed = query("changed_at");
    assert!(changed.starts_with("timestamp(3)"), "{changed}");
    assert!(
        changed.contains("on update current_timestamp(3)"),
        "{changed}"
    );
}

/// Runs export on a broken MySQL fixture; returns (exit code, JSON diagnostics).
fn broken(case: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let dir = fixtures().join("mysql/broken");
    let out = schemac(
        &dir,
        &[
            "--format",
            "json",
            "export",
            "--dialect",
            "mysql",
            "--schema",
            case,
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{case}: not JSON ({e}): {}", stderr(&out)));
    let diags = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    (out.status.code(), diags)
}

/// The diagnostic of `code` and where it points (line, column).
fn located(diags: &[serde_json::Value], code: &str) -> (u64, u64) {
    let d = diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"));
    (
        d["line"].as_u64().unwrap_or(0),
        d["column"].as_u64().unwrap_or(0),
    )
}

#[test]
fn broken_mysql_inputs_give_located_diagnostics() {
    // A pg-core builder in a mysql table: an error at the builder.
    let (code, d) = broken("pg_builder_in_mysql.ts");
    assert_eq!(code, Some(1));
    assert_eq!(located(&d, "E4004"), (6, 10));
    // An unknown option: a warning at the config, and the missing required one an error.
    let (code, d) = broken("unknown_option.ts");
    assert_eq!(code, Some(1));
    let warning = d
        .iter()
        .find(|x| x["severity"] == "warning")
        .expect("a warning for the unknown option");
    assert_eq!(warning["code"], "W4009");
    assert_eq!(
        (warning["line"].as_u64(), warning["column"].as_u64()),
        (Some(5), Some(25))
    );
    assert!(warning["help"].as_str().unwrap_or("").contains("length"));
    // A pg-only method on a mysql column.
    let (code, d) = broken("unknown_method.ts");
    assert_eq!(code, Some(1));
    assert_eq!(located(&d, "E4005"), (4, 30));
    // A PostgreSQL-only index method (drizzle-orm's MySQL index builder has no `where`).
    let (code, d) = broken("index_where.ts");
    assert_eq!(code, Some(1));
    assert_eq!(located(&d, "E4005"), (6, 34));
    // Foreign keys between integers of another size or sign, which MySQL refuses.
    let (code, d) = broken("fk_int_width.ts");
    assert_eq!(code, Some(1));
    let mismatches: Vec<_> = d.iter().filter(|x| x["code"] == "E5003").collect();
    assert_eq!(mismatches.len(), 2, "{d:#?}");
    // An identifier MySQL would refuse: the column primary key's `<table>_<column>` name.
    let (code, d) = broken("long_name.ts");
    assert_eq!(code, Some(1));
    assert_eq!(located(&d, "E5011"), (4, 7));
    // Foreign key names are per database in MySQL (index names are per table).
    let (code, d) = broken("duplicate_fk_name.ts");
    assert_eq!(code, Some(1));
    assert_eq!(located(&d, "E5001"), (8, 3));
    // A table in a mysqlSchema is skipped with a warning, as drizzle-kit skips it.
    let (code, d) = broken("schema_table.ts");
    assert_eq!(code, Some(0));
    assert_eq!(located(&d, "W4008"), (7, 37));
}

/// Tables and enums of another dialect are skipped with a warning, as drizzle-kit skips them; a
/// schema of nothing but another dialect's tables is an error.
#[test]
fn tables_of_another_dialect_are_skipped() {
    let (code, d) = broken("mixed_dialects.ts");
    assert_eq!(code, Some(0));
    assert_eq!(located(&d, "W4006"), (4, 26));
    // The pg enum too (enums as types are PostgreSQL's): one warning for both entities of the
    // file and package.
    let w: Vec<_> = d.iter().filter(|x| x["code"] == "W4006").collect();
    assert_eq!(w.len(), 1, "{d:#?}");
    assert!(
        w[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 entities ("),
        "{d:#?}"
    );
    let statements = export_mysql(&fixtures().join("mysql/broken"), "mixed_dialects.ts");
    assert_eq!(
        statements,
        vec!["CREATE TABLE `b` (\n\t`id` int\n);\n".to_string()]
    );
    let out = schemac(
        &fixtures().join("mysql"),
        &["export", "--dialect", "postgresql", "--schema", "fixes.ts"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E4004"), "{}", stderr(&out));
}

/// `dialect: 'mysql'` in the config does what `--dialect mysql` does, for `export` and for
/// `build` (a MySQL folder: see `build_mysql.rs`).
#[test]
fn the_config_dialect_selects_mysql() {
    let dir = fixtures().join("mysql");
    let from_config = export_statements(&dir, &[]);
    assert_eq!(from_config, export_mysql(&dir, "builders.ts"));
    let out_dir = std::env::temp_dir().join(format!("schemac-mysql-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let out = schemac(&dir, &["build", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let journal = std::fs::read_to_string(out_dir.join("meta/_journal.json")).unwrap();
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(journal.contains("\"dialect\": \"mysql\""), "{journal}");
    assert!(journal.contains("\"version\": \"5\""), "{journal}");
}
