//! PostgreSQL introspection: a schema's export applied to a fresh database reads back as the
//! schema's own model (`snapshot::from_schema`), after `snapshot::live::align` (the texts the
//! database rewrites). Plus the filters, extensions' objects, a hand-made database and many
//! tables at once.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemac_compiler::codegen;
use schemac_compiler::config;
use schemac_compiler::eval::EvalOptions;
use schemac_compiler::migration;
use schemac_compiler::project::{self, Project};
use schemac_compiler::schema::{Casing, Dialect, Schema};
use schemac_compiler::snapshot::{self, PgSnapshot};
use schemac_runtime::introspect::{Filters, RolesFilter, TablesFilter};
use serde_json::Value as J;
use support::{TempDb, fixtures, introspect, pg_admin};

/// The Schema IR of schema files compiled together.
fn compile(dir: &Path, files: &[PathBuf], casing: Option<Casing>) -> Arc<Schema> {
    let mut project = Project::new(dir);
    let c = project.compile_schema(
        files,
        Default::default(),
        EvalOptions {
            dialect: Some(Dialect::Postgresql),
            casing,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", dir.display(), c.diagnostics);
    c.schema
}

/// The Schema IR of the project whose config is in `dir`.
fn compile_project(dir: &Path) -> Arc<Schema> {
    let mut project = Project::new(dir);
    let path = config::find(dir, None).unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
    let cfg =
        config::load(&mut project, &path).unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
    let files = project::schema_files(dir, &cfg.schema)
        .unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
    let c = project.compile_schema(
        &files,
        cfg.env.clone(),
        EvalOptions {
            dialect: Some(cfg.dialect),
            casing: cfg.casing,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", dir.display(), c.diagnostics);
    c.schema
}

/// The filters that cover a schema: its PostgreSQL schemas and its roles.
fn filters_for(schema: &Schema) -> Filters {
    let mut schemas = vec!["public".to_string()];
    schemas.extend(schema.schemas.iter().map(|s| s.name.clone()));
    let roles = if schema.roles.is_empty() {
        RolesFilter::None
    } else {
        RolesFilter::Some {
            include: schema.roles.iter().map(|r| r.name.clone()).collect(),
            exclude: Vec::new(),
        }
    };
    Filters {
        schemas,
        roles,
        ..Filters::default()
    }
}

/// JSON with every object's keys sorted, for a comparison that ignores map order.
fn sorted(v: J) -> J {
    match v {
        J::Object(o) => {
            let mut entries: Vec<(String, J)> = o.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            J::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        J::Array(a) => J::Array(a.into_iter().map(sorted).collect()),
        v => v,
    }
}

/// Every place where two JSON documents differ, one line each.
fn differences(path: &str, live: &J, want: &J, out: &mut Vec<String>) {
    match (live, want) {
        (J::Object(a), J::Object(b)) => {
            for (k, v) in b {
                match a.get(k) {
                    Some(x) => differences(&format!("{path}.{k}"), x, v, out),
                    None => out.push(format!(
                        "{path}.{k}: missing in the database, schema has {v}"
                    )),
                }
            }
            for (k, v) in a {
                if !b.contains_key(k) {
                    out.push(format!("{path}.{k}: only in the database: {v}"));
                }
            }
        }
        _ if live != want => out.push(format!("{path}:\n    database {live}\n    schema   {want}")),
        _ => {}
    }
}

/// `None` when the models are equal, else their differences.
fn compare(live: &PgSnapshot, desired: &PgSnapshot) -> Option<String> {
    if live == desired {
        return None;
    }
    let a = sorted(serde_json::to_value(live).unwrap());
    let b = sorted(serde_json::to_value(desired).unwrap());
    let mut out = Vec::new();
    differences("", &a, &b, &mut out);
    if out.is_empty() {
        out.push("the models differ in a way their JSON does not show".into());
    }
    Some(out.join("\n"))
}

/// Applies the schema's export to a fresh database (after `setup`), reads it back and compares
/// with the schema's model; `Err` describes what differs.
fn round_trip(label: &str, schema: &Schema, setup: Option<String>) -> Result<(), String> {
    let statements = codegen::statements(Dialect::Postgresql, &migration::plan_create(schema));
    let mut db = TempDb::postgres(label);
    db.roles = schema.roles.iter().map(|r| r.name.clone()).collect();
    if let Some(setup) = setup {
        db.execute(&[setup])
            .map_err(|e| format!("{label}: setup: {e}"))?;
    }
    db.execute(&statements)
        .map_err(|e| format!("{label}: the export does not apply: {e}"))?;
    let mut live = introspect(&db.url, &filters_for(schema))?;
    let desired = snapshot::from_schema(schema, "", "");
    snapshot::live::align(&mut live, &desired);
    match compare(&live, &desired) {
        None => Ok(()),
        Some(d) => Err(format!(
            "{label}: the database reads back differently:\n{d}"
        )),
    }
}

fn corpus_file(name: &str) -> (PathBuf, Vec<PathBuf>) {
    let path = fixtures().join("corpus").join(name);
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        (path, files)
    } else {
        (path.parent().unwrap().to_path_buf(), vec![path])
    }
}

#[test]
fn corpus_reads_back_as_its_model() {
    let mut failures = Vec::new();
    for name in support::PG_CORPUS {
        let (dir, files) = corpus_file(name);
        let schema = compile(&dir, &files, None);
        if let Err(e) = round_trip(name, &schema, None) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn evolve_versions_read_back_as_their_models() {
    // The policies of v4 and v5 name a role; roles are cluster-wide, so one for this run.
    let role = format!("schemac_introspect_reader_{}", std::process::id());
    pg_admin(&[format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') \
         THEN CREATE ROLE \"{role}\"; END IF; END $$"
    )])
    .unwrap();
    let dir =
        std::env::temp_dir().join(format!("schemac-introspect-evolve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for v in 1..=6 {
        let text = std::fs::read_to_string(fixtures().join(format!("evolve/v{v}.ts")))
            .unwrap()
            .replace("__ROLE__", &role);
        let file = dir.join(format!("v{v}.ts"));
        std::fs::write(&file, text).unwrap();
        let schema = compile(&dir, std::slice::from_ref(&file), None);
        if let Err(e) = round_trip(&format!("evolve_v{v}"), &schema, None) {
            failures.push(e);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = pg_admin(&[format!("DROP ROLE IF EXISTS \"{role}\"")]);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The PostgreSQL projects (tests/fixtures/projects) and cases that apply to a plain
/// PostgreSQL: folder to run in and whether it has `expected/setup.sql`.
#[test]
fn projects_and_cases_read_back_as_their_models() {
    let projects = fixtures().join("projects");
    let cases = fixtures().join("cases");
    let dirs: Vec<PathBuf> = vec![
        projects.join("monorepo/apps/api"),
        projects.join("saas"),
        projects.join("third-arg-forms"),
        projects.join("casing"),
        projects.join("rls-supabase"),
        projects.join("constants-and-functions"),
        cases.join("config-env-library"),
        cases.join("config-node-paths"),
        cases.join("evaluation-features"),
        cases.join("array-wraps-builder"),
        cases.join("bigint-literal-default"),
        cases.join("compat-details"),
        cases.join("config-commonjs"),
        cases.join("config-runtime-guards"),
        cases.join("js-semantics"),
        cases.join("scouted-pg"),
        cases.join("commonjs-schema"),
        cases.join("config-cjs-esmodule"),
        cases.join("replaced-sql-type"),
        cases.join("runtime-branches"),
    ];
    let mut failures = Vec::new();
    for dir in dirs {
        let label = dir.strip_prefix(fixtures()).unwrap().display().to_string();
        let schema = compile_project(&dir);
        let setup = [
            dir.join("expected/setup.sql"),
            dir.join("../../expected/setup.sql"),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .map(|p| std::fs::read_to_string(p).unwrap());
        if let Err(e) = round_trip(&label, &schema, setup) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Introspects `db` with `filters` and no alignment, as JSON.
fn read(db: &TempDb, filters: &Filters) -> J {
    serde_json::to_value(introspect(&db.url, filters).unwrap()).unwrap()
}

fn statements(sql: &str) -> Vec<String> {
    sql.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A database made by hand (not by schemac), read exactly: every kind of object and the texts
/// PostgreSQL prints.
#[test]
fn hand_made_database_reads_as_drizzle_writes_it() {
    let db = TempDb::postgres("introspect_hand");
    db.execute(&statements(
        r#"
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE app.counter INCREMENT BY 2 START WITH 10;
CREATE TABLE app.people (
  id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 5) PRIMARY KEY,
  name varchar(100) NOT NULL DEFAULT 'anon',
  mood app.mood DEFAULT 'ok',
  moods app.mood[],
  score numeric(8, 3) DEFAULT 1.5,
  born timestamp(3) with time zone DEFAULT now(),
  tags text[] DEFAULT '{a,"b c"}',
  grid integer[][],
  flag boolean DEFAULT false,
  n bigint DEFAULT -7,
  doc jsonb DEFAULT '{"a": [1, 2]}',
  upper_name text GENERATED ALWAYS AS (upper(name)) STORED,
  CONSTRAINT people_score_check CHECK (score > 0)
);
CREATE TABLE things (
  id serial PRIMARY KEY,
  owner integer REFERENCES app.people(id) ON DELETE CASCADE,
  code text,
  a integer,
  CONSTRAINT things_code_uq UNIQUE NULLS NOT DISTINCT (code)
);
CREATE TABLE pairs (
  x integer, y integer,
  CONSTRAINT pairs_xy PRIMARY KEY (x, y)
);
CREATE INDEX things_code_idx ON things USING btree (code DESC NULLS LAST, lower(code)) WITH (fillfactor = 70) WHERE a > 0;
ALTER TABLE things ENABLE ROW LEVEL SECURITY;
CREATE POLICY things_read ON things AS RESTRICTIVE FOR SELECT TO public USING (a > 0);
CREATE VIEW app.people_names WITH (security_barrier = true) AS SELECT id, name FROM app.people;
CREATE MATERIALIZED VIEW big_things AS SELECT id FROM things WITH NO DATA
"#,
    ))
    .unwrap();
    let m = read(
        &db,
        &Filters {
            schemas: vec!["public".into(), "app".into()],
            ..Filters::default()
        },
    );
    assert_eq!(m["schemas"], serde_json::json!({ "app": "app" }));
    assert_eq!(
        m["enums"],
        serde_json::json!({ "app.mood": { "name": "mood", "schema": "app", "values": ["sad", "ok", "happy"] } })
    );
    // The identity's and the serial's sequences are their columns'.
    assert_eq!(
        m["sequences"],
        serde_json::json!({ "app.counter": {
            "name": "counter", "schema": "app", "increment": "2", "startWith": "10",
            "minValue": "1", "maxValue": "9223372036854775807", "cache": "1", "cycle": false
        } })
    );
    let people = &m["tables"]["app.people"];
    assert_eq!(people["schema"], "app");
    let cols = &people["columns"];
    assert_eq!(
        cols["id"],
        serde_json::json!({
            "name": "id", "type": "integer", "primaryKey": true, "notNull": true,
            "identity": { "type": "byDefault", "name": "people_id_seq", "schema": "app",
                "increment": "1", "startWith": "5", "minValue": "1", "maxValue": "2147483647",
                "cache": "1", "cycle": false }
        })
    );
    let col = |c: &str| (cols[c]["type"].clone(), cols[c]["default"].clone());
    assert_eq!(col("name"), (J::from("varchar(100)"), J::from("'anon'")));
    assert_eq!(col("mood"), (J::from("mood"), J::from("'ok'")));
    assert_eq!(cols["mood"]["typeSchema"], "app");
    assert_eq!(cols["moods"]["type"], "mood[]");
    assert_eq!(cols["moods"]["typeSchema"], "app");
    assert_eq!(col("score"), (J::from("numeric(8, 3)"), J::from("'1.5'")));
    assert_eq!(
        col("born"),
        (J::from("timestamp (3) with time zone"), J::from("now()"))
    );
    assert_eq!(
        col("tags"),
        (J::from("text[]"), J::from("'{\"a\",\"b c\"}'"))
    );
    assert_eq!(cols["grid"]["type"], "integer[][]");
    assert_eq!(col("flag"), (J::from("boolean"), J::from(false)));
    assert_eq!(col("n"), (J::from("bigint"), J::from(-7)));
    assert_eq!(
        col("doc"),
        (J::from("jsonb"), J::from("'{\"a\":[1,2]}'::jsonb"))
    );
    assert_eq!(
        cols["upper_name"]["generated"],
        serde_json::json!({ "as": "upper((name)::text)", "type": "stored" })
    );
    assert_eq!(
        people["checkConstraints"]["people_score_check"]["value"],
        "score > (0)::numeric"
    );

    let things = &m["tables"]["public.things"];
    assert_eq!(things["schema"], "");
    assert_eq!(
        things["columns"]["id"],
        serde_json::json!({ "name": "id", "type": "serial", "primaryKey": true, "notNull": true })
    );
    assert_eq!(
        things["foreignKeys"]["things_owner_fkey"],
        serde_json::json!({
            "name": "things_owner_fkey", "tableFrom": "things", "tableTo": "people",
            "schemaTo": "app", "columnsFrom": ["owner"], "columnsTo": ["id"],
            "onDelete": "cascade", "onUpdate": "no action"
        })
    );
    assert_eq!(
        things["uniqueConstraints"]["things_code_uq"],
        serde_json::json!({ "name": "things_code_uq", "nullsNotDistinct": true, "columns": ["code"] })
    );
    assert_eq!(
        things["indexes"]["things_code_idx"],
        serde_json::json!({
            "name": "things_code_idx",
            "columns": [
                { "expression": "code", "isExpression": false, "asc": false, "nulls": "last" },
                { "expression": "lower(code)", "asc": true, "isExpression": true, "nulls": "last" }
            ],
            "isUnique": false, "where": "(a > 0)", "concurrently": false, "method": "btree",
            "with": { "fillfactor": 70 }
        })
    );
    assert_eq!(things["isRLSEnabled"], true);
    assert_eq!(
        things["policies"]["things_read"],
        serde_json::json!({
            "name": "things_read", "as": "RESTRICTIVE", "for": "SELECT", "to": ["public"],
            "using": "(a > 0)"
        })
    );
    assert_eq!(
        m["tables"]["public.pairs"]["compositePrimaryKeys"],
        serde_json::json!({ "pairs_xy": { "name": "pairs_xy", "columns": ["x", "y"] } })
    );

    let view = &m["views"]["app.people_names"];
    assert_eq!(view["materialized"], false);
    assert_eq!(view["with"], serde_json::json!({ "securityBarrier": true }));
    assert!(
        view["definition"]
            .as_str()
            .unwrap()
            .contains("FROM app.people"),
        "{view}"
    );
    assert_eq!(view["columns"]["name"]["type"], "varchar(100)");
    let mat = &m["views"]["public.big_things"];
    assert_eq!(mat["materialized"], true);
    assert_eq!(mat["withNoData"], true);
    assert_eq!(mat.get("using"), None);

    // Roles: none unless asked for.
    assert_eq!(m["roles"], serde_json::json!({}));
}

/// drizzle-kit's tablesFilter (`!` leaves out) on tables and views; drizzle's migrations table
/// is never read.
#[test]
fn tables_filter_and_the_migrations_table() {
    let db = TempDb::postgres("introspect_filter");
    db.execute(&statements(
        "CREATE TABLE users (id integer);
CREATE TABLE audit_log (id integer);
CREATE TABLE audit_trail (id integer);
CREATE VIEW audit_view AS SELECT id FROM audit_log;
CREATE SCHEMA drizzle;
CREATE TABLE drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL)",
    ))
    .unwrap();
    let keys = |m: &J, k: &str| -> Vec<String> {
        let mut v: Vec<String> = m[k].as_object().unwrap().keys().cloned().collect();
        v.sort();
        v
    };
    let filter = |p: &[&str]| Filters {
        tables: TablesFilter::new(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap(),
        schemas: vec!["public".into(), "drizzle".into()],
        ..Filters::default()
    };
    let m = read(&db, &filter(&[]));
    assert_eq!(
        keys(&m, "tables"),
        ["public.audit_log", "public.audit_trail", "public.users"]
    );
    assert_eq!(keys(&m, "views"), ["public.audit_view"]);
    assert_eq!(keys(&m, "schemas"), ["drizzle"]);
    let m = read(&db, &filter(&["!audit*"]));
    assert_eq!(keys(&m, "tables"), ["public.users"]);
    assert!(keys(&m, "views").is_empty());
    let m = read(&db, &filter(&["audit*"]));
    assert_eq!(
        keys(&m, "tables"),
        ["public.audit_log", "public.audit_trail"]
    );
    assert_eq!(keys(&m, "views"), ["public.audit_view"]);
    // drizzle-kit's rule: a negated pattern that does not match votes to keep, so `users`
    // stays beside `audit_log`.
    let m = read(&db, &filter(&["audit*", "!audit_trail"]));
    assert_eq!(keys(&m, "tables"), ["public.audit_log", "public.users"]);
    // Only the schemas asked for.
    let m = read(&db, &Filters::default());
    assert!(keys(&m, "schemas").is_empty());
}

/// Objects an extension owns (types, functions, views, tables) are left out; columns of its
/// types and indexes with its operator classes are read.
#[test]
fn extension_objects_are_left_out() {
    let db = TempDb::postgres("introspect_ext");
    db.execute(&statements(
        "CREATE EXTENSION hstore;
CREATE EXTENSION citext;
CREATE EXTENSION pg_trgm;
CREATE EXTENSION pg_stat_statements;
CREATE TABLE notes (id integer, body citext, attrs hstore, title text);
CREATE INDEX notes_title_trgm ON notes USING gin (title gin_trgm_ops)",
    ))
    .unwrap();
    let m = read(&db, &Filters::default());
    let tables: Vec<&String> = m["tables"].as_object().unwrap().keys().collect();
    assert_eq!(tables, ["public.notes"]);
    assert_eq!(
        m["views"],
        serde_json::json!({}),
        "pg_stat_statements' views"
    );
    assert_eq!(m["enums"], serde_json::json!({}));
    assert_eq!(m["sequences"], serde_json::json!({}));
    let notes = &m["tables"]["public.notes"];
    assert_eq!(notes["columns"]["body"]["type"], "citext");
    assert_eq!(notes["columns"]["attrs"]["type"], "hstore");
    assert_eq!(
        notes["indexes"]["notes_title_trgm"]["columns"][0]["opclass"],
        "gin_trgm_ops"
    );
    assert_eq!(notes["indexes"]["notes_title_trgm"]["method"], "gin");
}

/// `extensionsFilters: ['postgis']` leaves out the tables PostGIS makes (PostGIS is not installed
/// here: a table of the same name stands in for its own).
#[test]
fn postgis_tables_left_out_by_the_extensions_filter() {
    let db = TempDb::postgres("introspect_postgis");
    db.execute(&statements(
        "CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY);
CREATE TABLE places (id integer)",
    ))
    .unwrap();
    let tables = |extensions: Vec<String>| -> Vec<String> {
        let m = introspect(
            &db.url,
            &Filters {
                extensions,
                ..Filters::default()
            },
        )
        .unwrap();
        let mut v: Vec<String> = m.tables.keys().cloned().collect();
        v.sort();
        v
    };
    assert_eq!(tables(vec![]), ["public.places", "public.spatial_ref_sys"]);
    assert_eq!(tables(vec!["postgis".into()]), ["public.places"]);
}

/// Many tables at once: the catalog is read with a fixed set of queries over all tables (the
/// module has no per-table query), so 300 tables with keys and indexes read back whole.
#[test]
fn many_tables_read_at_once() {
    let db = TempDb::postgres("introspect_many");
    let mut sql = vec!["CREATE TABLE t0 (id serial PRIMARY KEY, name text)".to_string()];
    for i in 1..300 {
        sql.push(format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, parent integer REFERENCES t{}(id), \
             name varchar(20) DEFAULT 'x', CONSTRAINT t{i}_name_uq UNIQUE (name))",
            i - 1
        ));
        sql.push(format!("CREATE INDEX t{i}_parent_idx ON t{i} (parent)"));
    }
    db.execute(&sql).unwrap();
    let start = std::time::Instant::now();
    let m = introspect(&db.url, &Filters::default()).unwrap();
    eprintln!("300 tables introspected in {:?}", start.elapsed());
    // The same number of queries for one table as for 300: each query is a transaction of the
    // database (pg_stat_database.xact_commit, reported when the session ends).
    let one = TablesFilter::new(&["t7".to_string()]).unwrap();
    let one = Filters {
        tables: one,
        ..Filters::default()
    };
    // Autovacuum may work in the database meanwhile (its transactions count too, and only add):
    // the least of three counts.
    let least = |f: &Filters| (0..3).map(|_| statements_of(&db, f)).min().unwrap_or(0);
    let for_one = least(&one);
    let for_all = least(&Filters::default());
    assert_eq!(for_one, for_all, "transactions for one table and for 300");
    // Nine queries here (no roles), each prepared and then run, and the session's start.
    assert!(for_all > 0 && for_all <= 30, "{for_all} transactions");
    assert_eq!(m.tables.len(), 300);
    for i in 1..300 {
        let t = &m.tables[&format!("public.t{i}")];
        assert_eq!(t.columns.len(), 3, "t{i}");
        assert_eq!(t.foreign_keys.len(), 1, "t{i}");
        assert_eq!(t.indexes.len(), 1, "t{i}");
        assert_eq!(t.unique_constraints.len(), 1, "t{i}");
        assert!(t.columns["id"].primary_key, "t{i}");
    }
}

/// Roles per `entities.roles`: none by default, all (but the server's `pg_` roles, superusers and
/// the connected role, unless included by name) with `true`, the included ones otherwise; their
/// flags as the model writes them.
#[test]
fn roles_per_filter() {
    let db = TempDb::postgres("introspect_roles");
    let role = format!("schemac_introspect_role_{}", std::process::id());
    pg_admin(&[format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') \
         THEN CREATE ROLE \"{role}\" CREATEDB NOINHERIT; END IF; END $$"
    )])
    .unwrap();
    let with = |roles: RolesFilter| {
        introspect(
            &db.url,
            &Filters {
                roles,
                ..Filters::default()
            },
        )
    };
    let none = with(RolesFilter::None);
    let all = with(RolesFilter::All);
    let some = with(RolesFilter::Some {
        include: vec![role.clone()],
        exclude: Vec::new(),
    });
    let excluded = with(RolesFilter::Some {
        include: Vec::new(),
        exclude: vec![role.clone()],
    });
    let named = with(RolesFilter::Some {
        include: vec!["postgres".into()],
        exclude: Vec::new(),
    });
    let _ = pg_admin(&[format!("DROP ROLE IF EXISTS \"{role}\"")]);
    assert!(none.unwrap().roles.is_empty());
    let all = all.unwrap();
    assert!(all.roles.contains_key(&role));
    // The superuser this test connects as is read only when `include` names it.
    assert!(!all.roles.contains_key("postgres"));
    assert!(named.unwrap().roles.contains_key("postgres"));
    assert!(!all.roles.keys().any(|r| r.starts_with("pg_")));
    let some = some.unwrap();
    assert_eq!(some.roles.keys().collect::<Vec<_>>(), [&role]);
    let r = &some.roles[&role];
    assert!(r.create_db && !r.create_role && !r.inherit);
    let excluded = excluded.unwrap();
    assert!(!excluded.roles.contains_key(&role) && !excluded.roles.contains_key("postgres"));
}

/// How many transactions one introspection of `db` runs: the database's committed transactions
/// counted before and after (another session reads them, from the `postgres` database).
fn statements_of(db: &TempDb, filters: &Filters) -> i64 {
    let commits = || -> i64 {
        let name = db.name.clone();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut c =
                schemac_runtime::postgres::connect(&format!("{}/postgres", support::PG_BASE))
                    .await
                    .unwrap();
            let n: i64 =
                sqlx::query_scalar("SELECT xact_commit FROM pg_stat_database WHERE datname = $1")
                    .bind(name)
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
            n
        })
    };
    // Sessions report their counts when they end, a moment after they close: wait for a count
    // that holds still.
    let settled = || {
        let mut last = commits();
        for _ in 0..50 {
            std::thread::sleep(std::time::Duration::from_millis(150));
            let now = commits();
            if now == last {
                return now;
            }
            last = now;
        }
        last
    };
    let before = settled();
    introspect(&db.url, filters).unwrap();
    let mut after = settled();
    // The introspecting session may end after the first quiet read.
    for _ in 0..10 {
        if after > before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        after = settled();
    }
    after - before
}

/// Things schemas do not make still read without errors: quoted names, a domain, a partitioned
/// table, an exclusion constraint, a table without columns, an index with INCLUDE columns, a
/// check option on a view.
#[test]
fn unusual_database_reads() {
    let db = TempDb::postgres("introspect_odd");
    db.execute(&statements(
        r#"
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TYPE "Odd ""Enum""" AS ENUM ('a b', 'it''s');
CREATE TABLE "Weird ""Name""" (
  "Mixed Case" integer PRIMARY KEY,
  amount positive,
  kinds "Odd ""Enum"""[] DEFAULT '{"a b"}',
  span int4range,
  note text DEFAULT 'say "hi"',
  EXCLUDE USING gist (span WITH &&)
);
CREATE TABLE empty ();
CREATE TABLE events (id integer, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNIQUE INDEX weird_amount_idx ON "Weird ""Name""" (amount) INCLUDE (note);
CREATE VIEW checked AS SELECT "Mixed Case" AS id FROM "Weird ""Name""" WHERE amount > 1 WITH LOCAL CHECK OPTION
"#,
    ))
    .unwrap();
    let m = read(&db, &Filters::default());
    let mut tables: Vec<&String> = m["tables"].as_object().unwrap().keys().collect();
    tables.sort();
    assert_eq!(
        tables,
        ["public.Weird \"Name\"", "public.empty", "public.events"]
    );
    assert_eq!(
        m["tables"]["public.empty"]["columns"],
        serde_json::json!({})
    );
    let weird = &m["tables"]["public.Weird \"Name\""];
    // PostgreSQL's own name for the key: `<table>_pkey`.
    assert_eq!(weird["columns"]["Mixed Case"]["primaryKey"], true);
    assert_eq!(weird["columns"]["amount"]["type"], "positive");
    assert_eq!(weird["columns"]["kinds"]["type"], "Odd \"Enum\"[]");
    assert_eq!(weird["columns"]["kinds"]["default"], "'{\"a b\"}'");
    assert_eq!(weird["columns"]["note"]["default"], "'say \"hi\"'");
    let indexes: Vec<&String> = weird["indexes"].as_object().unwrap().keys().collect();
    assert_eq!(
        indexes,
        ["weird_amount_idx"],
        "the exclusion constraint's index is not one"
    );
    assert_eq!(
        weird["indexes"]["weird_amount_idx"]["columns"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "INCLUDE columns are not keys"
    );
    assert_eq!(weird["indexes"]["weird_amount_idx"]["isUnique"], true);
    assert_eq!(
        m["enums"]["public.Odd \"Enum\""]["values"],
        serde_json::json!(["a b", "it's"])
    );
    assert_eq!(
        m["views"]["public.checked"]["with"],
        serde_json::json!({ "checkOption": "local" })
    );
}

/// Defaults of every kind read back as the schema writes them.
#[test]
fn defaults_read_back_as_their_model() {
    let dir = std::env::temp_dir().join(format!(
        "schemac-introspect-defaults-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("schema.ts");
    std::fs::write(
        &file,
        r#"import { sql } from 'drizzle-orm';
import {
  bigint, boolean, char, date, doublePrecision, integer, interval, json, jsonb, numeric, pgEnum,
  pgTable, real, smallint, text, time, timestamp, uuid, varchar,
} from 'drizzle-orm/pg-core';

export const mood = pgEnum('mood', ['sad', 'ok', 'happy']);

export const d = pgTable('d', {
  i: integer().default(-5),
  s: smallint().default(7),
  b: bigint({ mode: 'bigint' }).default(9007199254740993n),
  r: real().default(1.5),
  dp: doublePrecision().default(0.25),
  n: numeric({ precision: 10, scale: 2 }).default('12.50'),
  nn: numeric({ mode: 'number' }).default(2.5),
  bool: boolean().default(false),
  t: text().default("it's"),
  v: varchar({ length: 10 }).default('v'),
  c: char({ length: 2 }).default('ab'),
  c1: char().default('z'),
  m: mood().default('happy'),
  ms: mood().array().default(['sad', 'ok']),
  tags: text().array().default(['a', 'b c']),
  nums: integer().array().default([1, 2, 3]),
  empty: text().array().default(sql`'{}'::text[]`),
  j: json().default({ a: 1, b: [true, null] }),
  jb: jsonb().default([1, 'x']),
  jo: jsonb().default({ name: 'x', a: 1, nested: { zz: true, b: null } }),
  u: uuid().defaultRandom(),
  ts: timestamp().defaultNow(),
  utc: timestamp().default(sql`(now() at time zone 'utc')`),
  day: date().default('2024-01-02'),
  at: timestamp().default(new Date('2024-05-06T07:08:09.250Z')),
  atz: timestamp({ withTimezone: true }).default(new Date('2024-05-06T07:08:09Z')),
  tm: time().default('12:30:00'),
  iv: interval().default('1 day'),
  expr: integer().default(sql`1 + 2`),
  nul: text().default(sql`null`),
  down: integer().generatedAlwaysAsIdentity({ increment: -1 }),
});
"#,
    )
    .unwrap();
    let schema = compile(&dir, std::slice::from_ref(&file), None);
    let result = round_trip("defaults", &schema, None);
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap();
}

/// A standalone policy linked to a table the schema does not declare (Supabase's `auth.users`)
/// is the model's top-level policy; `linked_policies` reads it as such.
#[test]
fn linked_policies_read_as_top_level() {
    let dir =
        std::env::temp_dir().join(format!("schemac-introspect-linked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("schema.ts");
    std::fs::write(
        &file,
        r#"import { sql } from 'drizzle-orm';
import { pgPolicy, pgTable, uuid } from 'drizzle-orm/pg-core';
import { authUsers } from 'drizzle-orm/supabase';

export const profiles = pgTable('profiles', { id: uuid().primaryKey() });

export const ownUser = pgPolicy('own user', {
  for: 'update',
  using: sql`${authUsers.id} = gen_random_uuid()`,
  withCheck: sql`true`,
}).link(authUsers);
"#,
    )
    .unwrap();
    let schema = compile(&dir, std::slice::from_ref(&file), None);
    let _ = std::fs::remove_dir_all(&dir);
    let db = TempDb::postgres("introspect_linked");
    db.execute(&statements(
        "CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY)",
    ))
    .unwrap();
    db.execute(&codegen::statements(
        Dialect::Postgresql,
        &migration::plan_create(&schema),
    ))
    .unwrap();
    let desired = snapshot::from_schema(&schema, "", "");
    let on: Vec<(String, String)> = desired
        .policies
        .values()
        .map(|p| {
            let s = p.schema.clone().unwrap();
            let t =
                p.on.as_deref()
                    .unwrap()
                    .rsplit('.')
                    .next()
                    .unwrap()
                    .trim_matches('"')
                    .to_string();
            (s, t)
        })
        .collect();
    assert_eq!(on, [("auth".to_string(), "users".to_string())]);
    let mut live = introspect(&db.url, &filters_for(&schema)).unwrap();
    let url = db.url.clone();
    live.policies = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let mut c = schemac_runtime::postgres::connect(&url).await.unwrap();
            schemac_runtime::introspect::postgres::linked_policies(&mut c, &on).await
        })
        .unwrap();
    assert_eq!(
        serde_json::to_value(&live.policies["own user"]).unwrap(),
        serde_json::json!({
            "name": "own user", "as": "PERMISSIVE", "for": "UPDATE", "to": ["public"],
            "using": "(id = gen_random_uuid())", "withCheck": "true",
            "schema": "auth", "on": "\"auth\".\"users\""
        })
    );
    snapshot::live::align(&mut live, &desired);
    if let Some(d) = compare(&live, &desired) {
        panic!("{d}");
    }
}
