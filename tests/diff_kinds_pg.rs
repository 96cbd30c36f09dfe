//! Every change kind of the PostgreSQL diff against a real database: for each kind, `schemac
//! build` of a v1 and then a v2 schema; a third build reports no changes; the two migrations
//! apply to a fresh database (v2 in one transaction, as drizzle's migrator runs it; over rows
//! where the kind keeps data); and, with the oracle, that
//! database's catalog equals the catalog of `export` of v2 applied to another fresh database.
//! Then the way back: v1 again, applied after both, equal to `export` of v1.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::{
    TempDb, catalog, export_statements, migration_statements, ok, oracle, pg_build_args, schemac,
    stderr, stdout,
};

fn project(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemac-kinds-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn build(dir: &Path, text: &str, name: &str) -> Output {
    build_answering(dir, text, name, &[])
}

/// A build whose rename questions are answered by `answers` (`--create` and `--rename` flags).
fn build_answering(dir: &Path, text: &str, name: &str, answers: &[String]) -> Output {
    std::fs::write(dir.join("schema.ts"), text).unwrap();
    let mut args = pg_build_args(name);
    args.extend(answers.iter().map(String::as_str));
    schemac(dir, &args)
}

/// `--create` for each name: the entities are new, not renamed.
fn creates(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| ["--create".to_string(), n.to_string()])
        .collect()
}

/// One step v1 → v2 for real.
struct Step {
    label: &'static str,
    v1: String,
    v2: String,
    /// Statements run after v1 (rows that v2 must keep).
    rows: Vec<String>,
    /// Statements run after v2 that fail (`RAISE`) when the data is not as expected.
    check: Vec<String>,
    /// Roles the step creates (cluster-wide): dropped afterwards, and no export comparison
    /// (the export would create them a second time).
    roles: Vec<String>,
    /// The way back re-adds columns (generated ones), which puts them last: compare the
    /// catalogs' lines in any order.
    reorders: bool,
    /// Answers to the rename questions of v2 and of the way back: what is dropped and added in
    /// one step here is new, not renamed.
    answers: Vec<String>,
    back_answers: Vec<String>,
}

impl Step {
    fn new(label: &'static str, v1: &str, v2: &str) -> Step {
        Step {
            label,
            v1: v1.to_string(),
            v2: v2.to_string(),
            rows: vec![],
            check: vec![],
            roles: vec![],
            reorders: false,
            answers: vec![],
            back_answers: vec![],
        }
    }

    /// Builds, applies and compares; returns the SQL of the v2 migration.
    fn run(self) -> String {
        let dir = project(self.label);
        ok(&build(&dir, &self.v1, "v1"));
        ok(&build_answering(&dir, &self.v2, "v2", &self.answers));
        let again = build(&dir, &self.v2, "v3");
        ok(&again);
        assert!(
            stdout(&again).contains("No schema changes"),
            "{}: a build after the build found changes:\n{}",
            self.label,
            stdout(&again)
        );
        let out = dir.join("drizzle");
        let sql = std::fs::read_to_string(out.join("0001_v2.sql")).unwrap();
        let mut db = TempDb::postgres(&format!("kinds{}", self.label));
        db.roles = self.roles.clone();
        db.execute(&migration_statements(&out.join("0000_v1.sql")))
            .unwrap_or_else(|e| panic!("{}: v1 does not apply: {e}", self.label));
        db.execute(&self.rows).unwrap();
        // In one transaction, as drizzle's migrator runs a migration.
        let mut v2 = vec!["BEGIN".to_string()];
        v2.extend(migration_statements(&out.join("0001_v2.sql")));
        v2.push("COMMIT".into());
        db.execute(&v2)
            .unwrap_or_else(|e| panic!("{}: v2 does not apply: {e}\n{sql}", self.label));
        db.execute(&self.check)
            .unwrap_or_else(|e| panic!("{}: data after v2: {e}", self.label));
        if self.roles.is_empty()
            && let Some(dk) = oracle()
        {
            let fresh = TempDb::postgres(&format!("kindsexp{}", self.label));
            fresh
                .execute(&export_statements(
                    &dir,
                    &["--dialect", "postgresql", "--schema", "schema.ts"],
                ))
                .unwrap();
            assert_eq!(
                catalog(&dk, &db.url),
                catalog(&dk, &fresh.url),
                "{}: the migrated database differs from export of v2\n{sql}",
                self.label
            );
        }
        if self.roles.is_empty() {
            self.back(&dir);
        }
        let _ = std::fs::remove_dir_all(&dir);
        sql
    }

    /// The way back: v1 built again after v2 (a third build has no changes); all three
    /// migrations apply to a fresh database (no rows: going back may need what rows lack, such
    /// as no NULLs for an identity), equal to `export` of v1.
    fn back(&self, dir: &Path) {
        ok(&build_answering(dir, &self.v1, "back", &self.back_answers));
        let again = build(dir, &self.v1, "again");
        ok(&again);
        assert!(
            stdout(&again).contains("No schema changes"),
            "{}",
            stdout(&again)
        );
        let out = dir.join("drizzle");
        let db = TempDb::postgres(&format!("kindsback{}", self.label));
        for f in ["0000_v1.sql", "0001_v2.sql", "0002_back.sql"] {
            apply_in_transaction(&db, &out.join(f)).unwrap_or_else(|e| {
                panic!(
                    "{}: {f} does not apply on the way back: {e}\n{}",
                    self.label,
                    std::fs::read_to_string(out.join(f)).unwrap()
                )
            });
        }
        same_as_export_in(
            &db,
            dir,
            &format!("kindsbackexp{}", self.label),
            self.reorders,
        );
    }
}

fn assert_sql(sql: &str, parts: &[&str]) {
    for p in parts {
        assert!(sql.contains(p), "missing `{p}` in:\n{sql}");
    }
}

/// `DO` block that raises unless `cond` holds.
fn expect(cond: &str) -> String {
    format!(
        "DO $$ BEGIN IF NOT ({cond}) THEN RAISE EXCEPTION 'not as expected: {}'; END IF; END $$",
        cond.replace('\'', "''")
    )
}

const HEAD: &str = "import { sql } from 'drizzle-orm';\nimport { bigint, bigserial, check, index, integer, pgEnum, pgMaterializedView, pgPolicy, pgRole, pgSchema, pgSequence, pgTable, pgView, serial, smallserial, text } from 'drizzle-orm/pg-core';\n";

#[test]
fn schemas_and_sequences() {
    let v1 = format!(
        "{HEAD}
export const gone = pgSchema('gone_s');
export const old = gone.table('old', {{ id: integer('id') }});
export const oldSeq = gone.sequence('old_seq');
export const counter = pgSequence('counter', {{ startWith: 10 }});
export const dropped = pgSequence('dropped');
"
    );
    let v2 = format!(
        "{HEAD}
export const fresh = pgSchema('fresh_s');
export const mood = fresh.enum('mood', ['a', 'b']);
export const counter = pgSequence('counter', {{ startWith: 10, increment: 5, cycle: true, maxValue: 1000 }});
export const added = fresh.sequence('added', {{ cache: 3 }});
"
    );
    let mut step = Step::new("schemas", &v1, &v2);
    step.answers = creates(&["fresh_s", "sequence:fresh_s.added"]);
    step.back_answers = creates(&["gone_s", "sequence:gone_s.old_seq", "sequence:dropped"]);
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "CREATE SCHEMA \"fresh_s\";",
            "ALTER SEQUENCE \"public\".\"counter\" INCREMENT BY 5",
            "DROP SEQUENCE \"gone_s\".\"old_seq\";",
            "DROP SCHEMA \"gone_s\";",
        ],
    );
    assert!(
        sql.find("DROP TABLE \"gone_s\".\"old\"").unwrap() < sql.find("DROP SCHEMA").unwrap(),
        "{sql}"
    );
}

#[test]
fn roles_and_the_policies_that_name_them() {
    let pid = std::process::id();
    let (kept, gone, added) = (
        format!("schemac_kept_{pid}"),
        format!("schemac_gone_{pid}"),
        format!("schemac_added_{pid}"),
    );
    let v1 = format!(
        "{HEAD}
export const kept = pgRole('{kept}');
export const gone = pgRole('{gone}', {{ createDb: true }});
export const t = pgTable('t', {{ id: integer('id') }}, () => [
  pgPolicy('p_gone', {{ to: gone, using: sql`true` }}),
]);
"
    );
    let v2 = format!(
        "{HEAD}
export const kept = pgRole('{kept}', {{ createDb: true, createRole: true, inherit: false }});
export const added = pgRole('{added}');
export const t = pgTable('t', {{ id: integer('id') }});
"
    );
    let mut step = Step::new("roles", &v1, &v2);
    step.roles = vec![kept.clone(), gone.clone(), added.clone()];
    step.answers = creates(&[&added]);
    step.check = vec![
        expect(&format!(
            "(select rolcreatedb and rolcreaterole and not rolinherit from pg_roles where rolname = '{kept}')"
        )),
        expect(&format!(
            "exists (select 1 from pg_roles where rolname = '{added}')"
        )),
        expect(&format!(
            "not exists (select 1 from pg_roles where rolname = '{gone}')"
        )),
        expect("not (select relrowsecurity from pg_class where relname = 't')"),
    ];
    let sql = step.run();
    assert!(
        sql.find("DROP POLICY \"p_gone\"").unwrap() < sql.find("DROP ROLE").unwrap(),
        "{sql}"
    );
}

#[test]
fn policies_and_row_level_security() {
    let v1 = format!(
        "{HEAD}
export const t = pgTable('t', {{ id: integer('id'), n: integer('n'), x: integer('x') }}, (t) => [
  pgPolicy('kept', {{ using: sql`true` }}),
  pgPolicy('over_n', {{ for: 'select', using: sql`${{t.n}} > 0` }}),
  pgPolicy('over_x', {{ for: 'select', using: sql`${{t.x}} > 0` }}),
  pgPolicy('altered', {{ for: 'select', using: sql`true` }}),
  pgPolicy('refor', {{ for: 'select', using: sql`true` }}),
  pgPolicy('gone', {{ for: 'delete', using: sql`true` }}),
]);
export const u = pgTable('u', {{ id: integer('id') }}, () => [pgPolicy('only', {{ using: sql`true` }})]);
export const w = pgTable('w', {{ id: integer('id') }});
export const alone = pgPolicy('alone', {{ for: 'select', using: sql`false` }}).link(u);
"
    );
    let v2 = format!(
        "{HEAD}
export const t = pgTable('t', {{ id: integer('id'), n: bigint('n', {{ mode: 'number' }}) }}, (t) => [
  pgPolicy('kept', {{ using: sql`true` }}),
  pgPolicy('over_n', {{ for: 'select', using: sql`${{t.n}} > 0` }}),
  pgPolicy('altered', {{ for: 'select', to: 'current_user', using: sql`${{t.id}} > 0` }}),
  pgPolicy('refor', {{ for: 'update', using: sql`true` }}),
  pgPolicy('added', {{ for: 'insert', withCheck: sql`${{t.id}} > 0` }}),
]);
export const u = pgTable('u', {{ id: integer('id') }});
export const w = pgTable('w', {{ id: integer('id') }}).enableRLS();
export const alone = pgPolicy('alone', {{ for: 'select', using: sql`true` }}).link(w);
"
    );
    let mut step = Step::new("policies", &v1, &v2);
    step.answers = creates(&["t.added"]);
    step.back_answers = creates(&["t.over_x", "t.gone"]);
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "ALTER TABLE \"u\" DISABLE ROW LEVEL SECURITY;",
            "ALTER TABLE \"w\" ENABLE ROW LEVEL SECURITY;",
            "ALTER POLICY \"altered\" ON \"t\" TO current_user USING (\"t\".\"id\" > 0);",
            "DROP POLICY \"refor\" ON \"t\" CASCADE;",
            "DROP POLICY \"alone\" ON \"u\" CASCADE;",
            "CREATE POLICY \"alone\" ON \"w\"",
            // Over a column changing type, and a dropped one: dropped before.
            "DROP POLICY \"over_n\" ON \"t\" CASCADE;",
            "DROP POLICY \"over_x\" ON \"t\" CASCADE;",
            "CREATE POLICY \"over_n\" ON \"t\"",
        ],
    );
}

#[test]
fn views_plain_and_materialized() {
    let v1 = format!(
        "{HEAD}
export const t = pgTable('t', {{ id: integer('id'), n: integer('n') }});
export const def = pgView('def').as((qb) => qb.select().from(t));
export const overT = pgView('over_t', {{ n: integer('n') }}).as(sql`select ${{t.n}} from ${{t}}`);
export const overView = pgView('over_view', {{ n: integer('n') }}).as(sql`select n from \"over_t\"`);
export const s = pgTable('s', {{ id: integer('id') }});
export const opts = pgView('opts').with({{ securityBarrier: true, checkOption: 'local' }}).as((qb) => qb.select().from(s));
export const mat = pgMaterializedView('mat').with({{ fillfactor: 70 }}).as((qb) => qb.select().from(s));
export const gone = pgView('gone').as(sql`select 1 as one`);
export const ext = pgView('ext', {{ x: integer('x') }}).existing();
"
    );
    let v2 = format!(
        "{HEAD}
export const t = pgTable('t', {{ id: integer('id'), n: bigint('n', {{ mode: 'number' }}) }});
export const def = pgView('def').as((qb) => qb.select({{ id: t.id }}).from(t));
export const overT = pgView('over_t', {{ n: integer('n') }}).as(sql`select ${{t.n}} from ${{t}}`);
export const overView = pgView('over_view', {{ n: integer('n') }}).as(sql`select n from \"over_t\"`);
export const s = pgTable('s', {{ id: integer('id') }});
export const opts = pgView('opts').with({{ securityInvoker: true }}).as((qb) => qb.select().from(s));
export const mat = pgMaterializedView('mat').with({{ fillfactor: 50, autovacuumEnabled: false }}).as((qb) => qb.select().from(s));
export const ext = pgView('ext', {{ x: integer('x') }}).existing();
"
    );
    let mut step = Step::new("views", &v1, &v2);
    step.rows = vec!["INSERT INTO t VALUES (1, 2)".into()];
    step.check = vec![expect("(select n from over_view) = 2")];
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "DROP VIEW \"public\".\"over_view\";",
            "DROP VIEW \"public\".\"gone\";",
            "ALTER VIEW \"public\".\"opts\" SET (security_invoker = true);",
            "ALTER VIEW \"public\".\"opts\" RESET (check_option, security_barrier);",
            "ALTER MATERIALIZED VIEW \"public\".\"mat\" SET (fillfactor = 50, autovacuum_enabled = false);",
            "CREATE VIEW \"public\".\"over_view\"",
        ],
    );
    assert!(!sql.contains("\"ext\""), "{sql}");
}

#[test]
fn identity_columns() {
    let v1 = format!(
        "{HEAD}
export const t = pgTable('t', {{
  a: integer('a'),
  b: integer('b').generatedAlwaysAsIdentity(),
  c: integer('c').generatedAlwaysAsIdentity({{ startWith: 5 }}),
}});
"
    );
    let v2 = format!(
        "{HEAD}
export const t = pgTable('t', {{
  a: integer('a').generatedByDefaultAsIdentity({{ startWith: 100 }}),
  b: integer('b'),
  c: integer('c').generatedByDefaultAsIdentity({{ startWith: 5, increment: 10, cycle: true, maxValue: 100000 }}),
}});
"
    );
    let mut step = Step::new("identity", &v1, &v2);
    step.rows = vec!["INSERT INTO t (a) VALUES (1)".into()];
    step.check = vec![
        "INSERT INTO t (b) VALUES (NULL)".into(),
        expect("(select count(*) from t where a = 100) = 1"),
        expect("(select count(*) from t where c = 15) = 1"),
    ];
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "ALTER TABLE \"t\" ALTER COLUMN \"a\" SET NOT NULL;",
            "ALTER TABLE \"t\" ALTER COLUMN \"b\" DROP IDENTITY;",
            "ALTER TABLE \"t\" ALTER COLUMN \"b\" DROP NOT NULL;",
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET INCREMENT BY 10;",
        ],
    );
}

#[test]
fn generated_columns_and_column_primary_keys() {
    let v1 = format!(
        "{HEAD}
export const t = pgTable('t', {{
  id: integer('id').primaryKey(),
  k: integer('k').notNull(),
  n: integer('n'),
  kept: integer('kept').generatedAlwaysAs(sql`2`),
  g: integer('g').generatedAlwaysAs(sql`1`),
  plain: integer('plain'),
}}, (t) => [index('t_g_idx').on(t.g), check('t_plain_check', sql`${{t.plain}} <> 0`)]);
export const u = pgTable('u', {{ id: integer('id').notNull() }});
"
    );
    let v2 = format!(
        "{HEAD}
export const t = pgTable('t', {{
  id: integer('id').notNull(),
  k: integer('k').primaryKey(),
  n: integer('n'),
  kept: integer('kept'),
  // Dropped and added again: last, where ADD COLUMN puts them.
  g: integer('g').generatedAlwaysAs(sql`\"n\" * 2`),
  plain: integer('plain').generatedAlwaysAs(sql`\"n\" + 1`),
}}, (t) => [index('t_g_idx').on(t.g), check('t_plain_check', sql`${{t.plain}} <> 0`)]);
export const u = pgTable('u', {{ id: integer('id').primaryKey() }});
"
    );
    let mut step = Step::new("generated", &v1, &v2);
    step.reorders = true;
    step.rows = vec!["INSERT INTO t (id, k, n) VALUES (1, 7, 21)".into()];
    step.check = vec![expect(
        "(select g = 42 and plain = 22 and kept = 2 from t where k = 7)",
    )];
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "ALTER TABLE \"t\" DROP CONSTRAINT \"t_pkey\";",
            "ALTER TABLE \"t\" ADD PRIMARY KEY (\"k\");",
            "ALTER TABLE \"u\" ADD PRIMARY KEY (\"id\");",
            "ALTER TABLE \"t\" ALTER COLUMN \"kept\" DROP EXPRESSION;",
            // Dropped with their columns, added again.
            "CREATE INDEX \"t_g_idx\"",
            "ADD CONSTRAINT \"t_plain_check\"",
        ],
    );
}

/// A primary-key column dropped while the table gets another key (composite, or a new key
/// column): the old key is dropped first (it went only with its column, after the new one was
/// added: "multiple primary keys"). Seen replaying real histories.
#[test]
fn a_dropped_key_column_and_a_new_key() {
    let v1 = format!(
        "{HEAD}import {{ primaryKey }} from 'drizzle-orm/pg-core';
export const links = pgTable('links', {{ id: text('id').primaryKey(), a: text('a').notNull(), b: text('b').notNull() }});
export const m = pgTable('m', {{ v: text('v'), metaId: bigint('metaId', {{ mode: 'number' }}).primaryKey() }});
"
    );
    let v2 = format!(
        "{HEAD}import {{ primaryKey }} from 'drizzle-orm/pg-core';
export const links = pgTable('links', {{ a: text('a').notNull(), b: text('b').notNull() }}, (t) => [primaryKey({{ columns: [t.a, t.b] }})]);
export const m = pgTable('m', {{ v: text('v'), metaId: bigint('meta_id', {{ mode: 'number' }}).primaryKey() }});
"
    );
    let mut step = Step::new("dropkey", &v1, &v2);
    step.reorders = true;
    step.answers = creates(&["m.meta_id"]);
    step.back_answers = creates(&["m.metaId"]);
    step.rows = vec!["INSERT INTO links VALUES ('x', 'a', 'b')".into()];
    step.check = vec![expect("(select count(*) = 1 from links where a = 'a')")];
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "ALTER TABLE \"links\" DROP CONSTRAINT \"links_pkey\";",
            "ALTER TABLE \"links\" ADD CONSTRAINT \"links_a_b_pk\" PRIMARY KEY(\"a\",\"b\");",
            "ALTER TABLE \"links\" DROP COLUMN \"id\";",
            "ALTER TABLE \"m\" DROP CONSTRAINT \"m_pkey\";",
        ],
    );
}

#[test]
fn enum_values_removed_and_type_changes_with_enums() {
    let v1 = format!(
        "{HEAD}
export const mood = pgEnum('mood', ['sad', 'meh', 'happy']);
export const letters = pgEnum('letters', ['a', 'b']);
export const t = pgTable('t', {{
  m: mood('m').default('sad'),
  ms: mood('ms').array(),
  toText: mood('to_text').default('happy'),
  toEnum: text('to_enum').default('a'),
  toOther: letters('to_other'),
}}, (t) => [
  index('t_happy_idx').on(t.toEnum).where(sql`${{t.m}} = 'happy'`),
  index('t_m_expr_idx').on(sql`(${{t.m}} = 'sad')`),
  check('t_m_not_meh', sql`${{t.m}} <> 'meh'`),
]);
"
    );
    let v2 = format!(
        "{HEAD}
export const mood = pgEnum('mood', ['happy', 'sad', 'b']);
export const letters = pgEnum('letters', ['a', 'b']);
export const created = pgTable('created', {{ m: mood('m').default('happy') }});
export const t = pgTable('t', {{
  m: mood('m').default('sad'),
  ms: mood('ms').array(),
  toText: text('to_text').default('happy'),
  toEnum: letters('to_enum').default('a'),
  toOther: mood('to_other'),
}}, (t) => [
  // Partial and expression indexes and checks comparing the rewritten enum's column with its
  // values: dropped before it becomes text, created again after.
  index('t_happy_idx').on(t.toEnum).where(sql`${{t.m}} = 'happy'`),
  index('t_m_expr_idx').on(sql`(${{t.m}} = 'sad')`),
  check('t_m_not_meh', sql`${{t.m}} <> 'b'`),
]);
"
    );
    let mut step = Step::new("enums", &v1, &v2);
    step.rows = vec![
        "INSERT INTO t (m, ms, to_text, to_enum, to_other) VALUES ('happy', '{sad,happy}', 'sad', 'b', 'b')"
            .into(),
    ];
    step.check = vec![
        expect(
            "(select m = 'happy' and ms = '{sad,happy}' and to_text = 'sad' and to_enum = 'b' and to_other = 'b' from t)",
        ),
        "INSERT INTO t DEFAULT VALUES".into(),
        expect("(select count(*) from t where m = 'sad' and to_enum = 'a') = 1"),
    ];
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "DROP INDEX \"t_happy_idx\";",
            "ALTER TABLE \"t\" DROP CONSTRAINT \"t_m_not_meh\";",
            "DROP TYPE \"public\".\"mood\";",
            "CREATE TYPE \"public\".\"mood\" AS ENUM('happy', 'sad', 'b');",
            "USING \"to_enum\"::text::\"letters\";",
            "CREATE INDEX \"t_happy_idx\"",
            "ADD CONSTRAINT \"t_m_not_meh\" CHECK",
        ],
    );
}

#[test]
fn serial_types_become_integers_sequences_and_defaults() {
    let v1 = format!(
        "{HEAD}
export const t = pgTable('t', {{
  a: integer('a').notNull(),
  b: serial('b'),
  c: serial('c'),
  d: bigint('d', {{ mode: 'number' }}).default(5).notNull(),
}});
"
    );
    let v2 = format!(
        "{HEAD}
export const t = pgTable('t', {{
  a: serial('a'),
  b: integer('b'),
  c: bigserial('c', {{ mode: 'number' }}),
  d: smallserial('d'),
}});
"
    );
    let mut step = Step::new("serial", &v1, &v2);
    step.rows = vec!["INSERT INTO t (a, d) VALUES (41, 7)".into()];
    step.check = vec![
        "INSERT INTO t (b) VALUES (NULL)".into(),
        expect("(select count(*) from t where a = 42 and c = 2 and d = 8) = 1"),
        expect("(select count(*) from t where a = 41 and b = 1 and c = 1 and d = 7) = 1"),
    ];
    let sql = step.run();
    assert_sql(
        &sql,
        &[
            "CREATE SEQUENCE \"t_a_seq\" AS integer OWNED BY \"t\".\"a\";",
            "DROP SEQUENCE \"t_b_seq\";",
            "ALTER SEQUENCE \"t_c_seq\" AS bigint;",
        ],
    );
}

#[test]
fn enum_to_serial_is_refused_with_the_reason() {
    let dir = project("enumserial");
    ok(&build(
        &dir,
        &format!(
            "{HEAD}export const e = pgEnum('e', ['a']);\nexport const t = pgTable('t', {{ id: e('id') }});\n"
        ),
        "v1",
    ));
    let o = build(
        &dir,
        &format!(
            "{HEAD}export const e = pgEnum('e', ['a']);\nexport const t = pgTable('t', {{ id: serial('id') }});\n"
        ),
        "v2",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("E6004") && err.contains("serial"), "{err}");
    assert!(!dir.join("drizzle/0001_v2.sql").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `ADD VALUE` and a default using the new value cannot share a transaction: the enum is
/// rewritten instead.
#[test]
fn an_enum_value_added_and_used_as_a_default() {
    let v1 = format!(
        "{HEAD}
export const mood = pgEnum('mood', ['a']);
export const t = pgTable('t', {{ m: mood('m').default('a') }});
"
    );
    let v2 = format!(
        "{HEAD}
export const mood = pgEnum('mood', ['a', 'x']);
export const t = pgTable('t', {{ m: mood('m').default('x'), n: mood('n').default('x') }});
"
    );
    let mut step = Step::new("enumadded", &v1, &v2);
    step.rows = vec!["INSERT INTO t VALUES ('a')".into()];
    step.check = vec![
        "INSERT INTO t DEFAULT VALUES".into(),
        expect("(select count(*) from t where m = 'x' and n = 'x') = 1"),
        expect("(select count(*) from t where m = 'a' and n = 'x') = 1"),
    ];
    let sql = step.run();
    assert!(!sql.contains("ADD VALUE"), "{sql}");
}

/// Applies the migration `file` in one transaction.
fn apply_in_transaction(db: &TempDb, file: &Path) -> Result<(), String> {
    let mut all = vec!["BEGIN".to_string()];
    all.extend(migration_statements(file));
    all.push("COMMIT".into());
    db.execute(&all)
}

/// With the oracle: the catalog of `db` equals that of `export` of `dir`'s schema on a fresh
/// database.
fn same_as_export(db: &TempDb, dir: &Path, label: &str) {
    same_as_export_in(db, dir, label, false)
}

/// [`same_as_export`], with the catalogs' lines compared in any order when `any_order`.
fn same_as_export_in(db: &TempDb, dir: &Path, label: &str, any_order: bool) {
    let Some(dk) = oracle() else { return };
    let fresh = TempDb::postgres(label);
    fresh
        .execute(&export_statements(
            dir,
            &["--dialect", "postgresql", "--schema", "schema.ts"],
        ))
        .unwrap();
    let (mut a, mut b) = (catalog(&dk, &db.url), catalog(&dk, &fresh.url));
    if any_order {
        let sorted = |t: &str| {
            let mut l: Vec<&str> = t.lines().collect();
            l.sort();
            l.join("\n")
        };
        (a, b) = (sorted(&a), sorted(&b));
    }
    assert_eq!(a, b, "{label}");
}

/// Every kind at once: each corpus schema created by the diff (from a schema with one unrelated
/// table), then dropped by it again; each time the database equals `export` of the schema.
#[test]
fn corpus_schemas_created_and_dropped_by_the_diff() {
    let keep = "\nimport { pgTable as keepTable, integer as keepInt } from 'drizzle-orm/pg-core';\n\
                export const keepMe = keepTable('keep_me', { id: keepInt('id') });\n";
    for name in ["pg1_features.ts", "pg2_more.ts"] {
        let corpus =
            std::fs::read_to_string(support::fixtures().join("corpus").join(name)).unwrap();
        let dir = project(&format!("corpus-{name}"));
        ok(&build(&dir, keep, "v1"));
        ok(&build(&dir, &format!("{corpus}{keep}"), "v2"));
        let out = dir.join("drizzle");
        let db = TempDb::postgres("kindscorpus");
        apply_in_transaction(&db, &out.join("0000_v1.sql")).unwrap();
        apply_in_transaction(&db, &out.join("0001_v2.sql"))
            .unwrap_or_else(|e| panic!("{name}: creating by the diff does not apply: {e}"));
        same_as_export(&db, &dir, "kindscorpusup");
        ok(&build(&dir, keep, "back"));
        apply_in_transaction(&db, &out.join("0002_back.sql"))
            .unwrap_or_else(|e| panic!("{name}: dropping by the diff does not apply: {e}"));
        same_as_export(&db, &dir, "kindscorpusdown");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
