//! MySQL introspection on a real MariaDB: every MySQL schema of the fixtures, applied with
//! `export`'s statements to a fresh database and read back, is the model `from_schema` makes of
//! it (after `snapshot::live::align`); plus the tables filter and a database made by hand.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemac_compiler::schema::{Casing, Dialect, Schema};

use schemac_compiler::snapshot::pg::Default as ColumnDefault;
use schemac_runtime::introspect::{Filters, TablesFilter};
use support::introspect_cases::{push_each_version, read_back_differences};
use support::migrate::{export, model};
use support::{TempDb, fixtures, introspect};

/// Every MySQL schema of the fixtures, with the casing it is written for.
fn schemas() -> Vec<(PathBuf, Option<Casing>)> {
    let f = fixtures();
    let mut out: Vec<(PathBuf, Option<Casing>)> = [
        "corpus/mysql1_features.ts",
        "corpus/mysql2_types.ts",
        "corpus/steps/mysql_v1.ts",
        "corpus/steps/mysql_v2.ts",
        "corpus/steps/mysql_v2_norename.ts",
        "mysql/builders.ts",
        "mysql/fixes.ts",
    ]
    .iter()
    .map(|p| (f.join(p), None))
    .collect();
    out.push((f.join("mysql/casing.ts"), Some(Casing::SnakeCase)));
    for v in 1..=6 {
        out.push((f.join(format!("evolve_mysql/v{v}.ts")), None));
    }
    for v in 1..=4 {
        out.push((f.join(format!("diff/mysql_v{v}.ts")), None));
    }
    out
}

fn compile(file: &Path, casing: Option<Casing>) -> Arc<Schema> {
    support::migrate::compile_with_casing(file, Dialect::Mysql, casing)
}

/// The database of `file`'s export, introspected and aligned with the schema's model: `None`
/// when equal, else a readable difference.
fn round_trip(file: &Path, casing: Option<Casing>) -> Option<String> {
    let schema = compile(file, casing);
    let mut desired = model(&schema);
    // `.existing()` views are not the schema's to create: export leaves them out.
    desired.views.retain(|_, v| !v.is_existing);
    let db = TempDb::mysql("introspect");
    db.execute(&export(&schema))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let live = introspect(&db.url, &Filters::default())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    read_back_differences(&file.display().to_string(), &desired, live, &schema)
}

#[test]
fn every_mysql_schema_reads_back_as_its_model() {
    let failures: Vec<String> = schemas()
        .into_iter()
        .filter_map(|(f, casing)| round_trip(&f, casing))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A database made by hand, not by drizzle: keys without drizzle's names, an index MariaDB adds
/// for a foreign key, a view with options, the migrations table.
const HAND_MADE: &[&str] = &[
    "CREATE TABLE people (\n\
       id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n\
       email varchar(100) NOT NULL,\n\
       nick varchar(20) DEFAULT 'it''s',\n\
       flag tinyint(1) NOT NULL DEFAULT 1,\n\
       small tinyint DEFAULT -3,\n\
       data json,\n\
       notes text DEFAULT 'n',\n\
       born date DEFAULT '2000-01-01',\n\
       seen timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n\
       total decimal(8,2) DEFAULT 0.50,\n\
       half double GENERATED ALWAYS AS (total / 2) VIRTUAL,\n\
       UNIQUE KEY uq_email (email),\n\
       KEY by_nick (nick, flag),\n\
       CONSTRAINT chk_nick CHECK (nick <> ')')\n\
     )",
    "CREATE TABLE pets (id bigint unsigned NOT NULL, owner int, name varchar(10) NOT NULL, \
     PRIMARY KEY (id, name), \
     CONSTRAINT owner_fk FOREIGN KEY (owner) REFERENCES people (id) ON DELETE SET NULL)",
    "CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW adults AS \
     SELECT id, email FROM people WHERE flag = 1 WITH CASCADED CHECK OPTION",
    "CREATE TABLE __drizzle_migrations (id int)",
];

fn hand_made() -> TempDb {
    let db = TempDb::mysql("introspecthand");
    let statements: Vec<String> = HAND_MADE.iter().map(|s| s.to_string()).collect();
    db.execute(&statements).expect("the hand-made database");
    db
}

#[test]
fn a_hand_made_database_reads_as_drizzle_kit_would_name_it() {
    let db = hand_made();
    let model = introspect(&db.url, &Filters::default()).unwrap();
    let mut tables: Vec<&str> = model.tables.keys().map(String::as_str).collect();
    tables.sort();
    assert_eq!(tables, ["public.people", "public.pets"]);

    let people = &model.tables["public.people"];
    let column = |c: &str| &people.columns[c];
    let ty = |c: &str| column(c).sql_type.as_str();
    assert_eq!(
        ["id", "email", "flag", "small", "data", "total", "half"].map(ty),
        [
            "int",
            "varchar(100)",
            "boolean",
            "tinyint",
            "json",
            "decimal(8,2)",
            "double"
        ]
    );
    assert_eq!(column("id").autoincrement, Some(true));
    assert_eq!(column("seen").on_update, Some(true));
    let default = |c: &str| column(c).default.clone();
    assert_eq!(default("nick"), Some(ColumnDefault::Sql("'it''s'".into())));
    assert_eq!(default("flag"), Some(ColumnDefault::Bool(true)));
    assert_eq!(default("small"), Some(ColumnDefault::Number("-3".into())));
    assert_eq!(default("notes"), Some(ColumnDefault::Sql("('n')".into())));
    assert_eq!(
        default("born"),
        Some(ColumnDefault::Sql("'2000-01-01'".into()))
    );
    assert_eq!(default("seen"), Some(ColumnDefault::Sql("(now())".into())));
    assert_eq!(default("total"), Some(ColumnDefault::Sql("'0.50'".into())));
    assert_eq!(default("email"), None);
    let half = column("half")
        .generated
        .as_ref()
        .expect("a generated column");
    assert_eq!(
        (half.expression.as_str(), half.kind.as_str()),
        ("`total` / 2", "virtual")
    );
    // The primary key has drizzle's name for a column's key.
    assert_eq!(people.composite_primary_keys["people_id"].columns, ["id"]);
    assert_eq!(people.unique_constraints["uq_email"].columns, ["email"]);
    let by_nick: Vec<&str> = people.indexes["by_nick"]
        .columns
        .iter()
        .map(|c| c.expression.as_str())
        .collect();
    assert_eq!(by_nick, ["nick", "flag"]);
    // The json column's own check is not the schema's.
    let checks: Vec<&str> = people
        .check_constraints
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(checks, ["chk_nick"]);
    assert_eq!(people.check_constraints["chk_nick"].value, "`nick` <> ')'");

    let pets = &model.tables["public.pets"];
    assert_eq!(
        pets.composite_primary_keys["pets_id_name"].columns,
        ["id", "name"]
    );
    assert!(pets.columns["id"].not_null && pets.columns["name"].not_null);
    let fk = &pets.foreign_keys["owner_fk"];
    assert_eq!(
        (fk.table_to.as_str(), fk.columns_to.as_slice()),
        ("people", &["id".to_string()][..])
    );
    assert_eq!(fk.on_delete.as_deref(), Some("set null"));
    // MariaDB's index for the foreign key is not one of the schema's.
    assert!(pets.indexes.is_empty(), "{:?}", pets.indexes.keys());

    let adults = &model.views["public.adults"];
    let with = adults.with.as_ref().expect("MySQL view options");
    assert_eq!(with["algorithm"], "merge");
    assert_eq!(with["sqlSecurity"], "invoker");
    assert_eq!(with["withCheckOption"], "cascaded");
    let definition = adults.definition.as_deref().unwrap();
    assert!(!definition.contains(&db.name), "{definition}");
    assert!(
        definition.starts_with("select `people`.`id`"),
        "{definition}"
    );
}

#[test]
fn the_tables_filter_applies_to_tables_and_views() {
    let db = hand_made();
    let names = |patterns: &[&str]| -> Vec<String> {
        let filters = Filters {
            tables: TablesFilter::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
                .unwrap(),
            ..Filters::default()
        };
        let m = introspect(&db.url, &filters).unwrap();
        let mut names: Vec<String> = m
            .tables
            .values()
            .map(|t| t.name.clone())
            .chain(m.views.values().map(|v| v.name.clone()))
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&["!pets"]), ["adults", "people"]);
    assert_eq!(names(&["p*"]), ["people", "pets"]);
    assert_eq!(names(&["a*"]), ["adults"]);
    assert_eq!(names(&["__drizzle*"]), Vec::<String>::new());
}

#[test]
fn each_version_is_pushed_onto_the_database_of_the_last() {
    let f = fixtures();
    let db = TempDb::mysql("introspectpush");
    let versions: Vec<Arc<Schema>> = (1..=6)
        .map(|v| compile(&f.join(format!("evolve_mysql/v{v}.ts")), None))
        .collect();
    db.execute(&export(&versions[0])).unwrap();
    push_each_version(&versions, &db.url.clone(), &|s| db.execute(s));
}

#[test]
fn a_url_without_a_database_is_an_error() {
    let e = introspect(support::MY_BASE, &Filters::default()).unwrap_err();
    assert!(e.contains("no database is selected"), "{e}");
}

/// What MariaDB allows and drizzle never makes does not stop introspection: a view over a
/// dropped table, names with backticks in them, key prefixes, a full-text index.
#[test]
fn odd_databases_are_read() {
    let db = TempDb::mysql("introspectodd");
    db.execute(
        &[
            "CREATE TABLE a (x int)",
            "CREATE VIEW stale AS SELECT x FROM a",
            "DROP TABLE a",
            "CREATE TABLE `we``ird` (`c``1` int PRIMARY KEY, k varchar(20), \
             KEY pre (k(5)), FULLTEXT KEY ft (k))",
        ]
        .map(String::from),
    )
    .unwrap();
    let model = introspect(&db.url, &Filters::default()).unwrap();
    let tables: Vec<&str> = model.tables.keys().map(String::as_str).collect();
    assert_eq!(tables, ["public.we`ird"]);
    let weird = &model.tables["public.we`ird"];
    assert_eq!(weird.composite_primary_keys["we`ird_c`1"].columns, ["c`1"]);
    // A key prefix is not read: the index is on the column.
    assert_eq!(weird.indexes["pre"].columns[0].expression, "k");
    // A FULLTEXT key has no drizzle builder: left out (pull does not write it, push keeps it).
    assert!(!weird.indexes.contains_key("ft"));
    let stale = &model.views["public.stale"];
    assert_eq!(
        stale.definition.as_deref(),
        Some("select `a`.`x` AS `x` from `a`")
    );
    assert!(stale.columns.is_empty());
}
