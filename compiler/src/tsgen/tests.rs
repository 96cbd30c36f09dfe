//! Unit tests of the generator on small hand-made models; the round trips over the fixtures are
//! in `tests/pull_ts.rs`.

use super::*;
use crate::snapshot::pg::{self, Map};

fn column(name: &str, ty: &str) -> pg::Column {
    pg::Column {
        name: name.into(),
        sql_type: ty.into(),
        type_schema: None,
        primary_key: false,
        not_null: false,
        generated: None,
        identity: None,
        default: None,
        autoincrement: None,
        on_update: None,
    }
}

fn table(name: &str, columns: Vec<pg::Column>) -> pg::Table {
    pg::Table {
        name: name.into(),
        schema: String::new(),
        columns: columns.into_iter().map(|c| (c.name.clone(), c)).collect(),
        indexes: Map::default(),
        foreign_keys: Map::default(),
        composite_primary_keys: Map::default(),
        unique_constraints: Map::default(),
        policies: Map::default(),
        check_constraints: Map::default(),
        is_rls_enabled: false,
    }
}

fn model(tables: Vec<pg::Table>) -> PgSnapshot {
    PgSnapshot {
        id: String::new(),
        prev_id: String::new(),
        version: "7".into(),
        dialect: "postgresql".into(),
        tables: tables
            .into_iter()
            .map(|t| (format!("public.{}", t.name), t))
            .collect(),
        enums: Map::default(),
        schemas: Map::default(),
        sequences: Map::default(),
        roles: Map::default(),
        policies: Map::default(),
        views: Map::default(),
        meta: pg::Meta::default(),
        internal: None,
    }
}

#[test]
fn names_that_clash_with_imports_and_each_other_get_suffixes() {
    let m = model(vec![
        table("text", vec![column("id", "integer")]),
        table("Text", vec![column("id", "integer")]),
        table(
            "my table",
            vec![column("first name", "text"), column("firstName", "text")],
        ),
    ]);
    let g = generate(&m, &Options::default());
    assert!(
        g.schema
            .contains("export const textTable = pgTable(\"text\""),
        "{}",
        g.schema
    );
    assert!(
        g.schema
            .contains("export const textTable2 = pgTable(\"Text\""),
        "{}",
        g.schema
    );
    assert!(
        g.schema
            .contains("export const myTable = pgTable(\"my table\""),
        "{}",
        g.schema
    );
    // `first name` takes `firstName`; the column named `firstName` gets its own name quoted.
    assert!(
        g.schema.contains("\tfirstName: text(\"first name\"),"),
        "{}",
        g.schema
    );
    assert!(
        g.schema.contains("\tfirstName_2: text(\"firstName\"),"),
        "{}",
        g.schema
    );
}

#[test]
fn sql_texts_are_escaped_in_templates() {
    let mut c = column("note", "text");
    c.default = Some(pg::Default::Sql("concat('`', '${x}', '\\')".into()));
    let m = model(vec![table("t", vec![c])]);
    let g = generate(&m, &Options::default());
    assert!(
        g.schema
            .contains(".default(sql`concat('\\`', '\\${x}', '\\\\')`)"),
        "{}",
        g.schema
    );
}

#[test]
fn preserve_keeps_names_and_never_passes_them() {
    let m = model(vec![table(
        "user_posts",
        vec![column("author_id", "integer")],
    )]);
    let g = generate(
        &m,
        &Options {
            casing: Casing::Preserve,
        },
    );
    assert!(
        g.schema.contains(
            "export const user_posts = pgTable(\"user_posts\", {\n\tauthor_id: integer(),"
        ),
        "{}",
        g.schema
    );
}

#[test]
fn relations_pair_both_sides_and_name_ambiguous_ones() {
    let mut posts = table(
        "posts",
        vec![
            column("id", "integer"),
            column("author_id", "integer"),
            column("editor_id", "integer"),
        ],
    );
    for (name, col) in [
        ("posts_author_fk", "author_id"),
        ("posts_editor_fk", "editor_id"),
    ] {
        posts.foreign_keys.insert(
            name.into(),
            pg::ForeignKey {
                name: name.into(),
                table_from: "posts".into(),
                table_to: "users".into(),
                schema_to: None,
                columns_from: vec![col.into()],
                columns_to: vec!["id".into()],
                on_delete: Some("cascade".into()),
                on_update: Some("no action".into()),
            },
        );
    }
    let m = model(vec![table("users", vec![column("id", "integer")]), posts]);
    let g = generate(&m, &Options::default());
    assert!(g.relations.contains("\tauthor: one(users, {\n\t\tfields: [posts.authorId],\n\t\treferences: [users.id],\n\t\trelationName: \"posts_author_fk\",\n\t}),"), "{}", g.relations);
    assert!(
        g.relations
            .contains("\tpostsEditorId: many(posts, { relationName: \"posts_editor_fk\" }),"),
        "{}",
        g.relations
    );
    assert!(
        g.schema.contains("}).onDelete(\"cascade\"),"),
        "{}",
        g.schema
    );
}

#[test]
fn integer_defaults_beyond_two_to_the_53_are_bigints() {
    let mut c = column("big", "bigint");
    c.default = Some(pg::Default::Number("9007199254740993".into()));
    let mut small = column("small", "bigint");
    small.default = Some(pg::Default::Number("42".into()));
    // Past i64 (MySQL's `bigint unsigned`) is a bigint too, not a rounded number.
    let mut huge = column("huge", "bigint");
    huge.default = Some(pg::Default::Number("18446744073709551615".into()));
    let m = model(vec![table("t", vec![c, small, huge])]);
    let g = generate(&m, &Options::default());
    assert!(
        g.schema
            .contains("\tbig: bigint({ mode: \"bigint\" }).default(9007199254740993n),"),
        "{}",
        g.schema
    );
    assert!(
        g.schema
            .contains("\tsmall: bigint({ mode: \"number\" }).default(42),"),
        "{}",
        g.schema
    );
    assert!(
        g.schema
            .contains("\thuge: bigint({ mode: \"bigint\" }).default(18446744073709551615n),"),
        "{}",
        g.schema
    );
}

/// SQLite's `integer` has no bigint mode: a default past 2^53 keeps its digits in `sql` (as a
/// JavaScript number it compiled to another value, and push never settled).
#[test]
fn sqlite_integer_defaults_past_two_to_the_53_keep_their_digits() {
    let mut c = column("big", "integer");
    c.default = Some(pg::Default::Number("9007199254740993".into()));
    let mut small = column("small", "integer");
    small.default = Some(pg::Default::Number("-42".into()));
    let mut m = model(vec![table("t", vec![c, small])]);
    m.dialect = "sqlite".into();
    let g = generate(&m, &Options::default());
    assert!(
        g.schema
            .contains("big: integer().default(sql`9007199254740993`)"),
        "{}",
        g.schema
    );
    assert!(
        g.schema.contains("small: integer().default(-42)"),
        "{}",
        g.schema
    );
}

#[test]
fn public_is_never_declared_as_a_schema() {
    let mut m = model(vec![table("t", vec![column("id", "integer")])]);
    m.schemas.insert("public".into(), "public".into());
    let g = generate(&m, &Options::default());
    assert!(!g.schema.contains("pgSchema"), "{}", g.schema);
    assert!(
        g.schema.contains("export const t = pgTable(\"t\""),
        "{}",
        g.schema
    );
}

fn foreign_key(name: &str, from: &str, col: &str, to: &str) -> (String, pg::ForeignKey) {
    (
        name.into(),
        pg::ForeignKey {
            name: name.into(),
            table_from: from.into(),
            table_to: to.into(),
            schema_to: None,
            columns_from: vec![col.into()],
            columns_to: vec!["id".into()],
            on_delete: Some("no action".into()),
            on_update: Some("no action".into()),
        },
    )
}

#[test]
fn tables_referencing_each_other_name_every_relation_and_type_the_third_argument() {
    let mut a = table(
        "a",
        vec![column("id", "integer"), column("b_id", "integer")],
    );
    a.foreign_keys
        .extend([foreign_key("a_b_fk", "a", "b_id", "b")]);
    let mut b = table(
        "b",
        vec![column("id", "integer"), column("a_id", "integer")],
    );
    b.foreign_keys
        .extend([foreign_key("b_a_fk", "b", "a_id", "a")]);
    let g = generate(&model(vec![a, b]), &Options::default());
    assert_eq!(
        g.relations.matches("relationName: \"a_b_fk\"").count(),
        2,
        "{}",
        g.relations
    );
    assert_eq!(
        g.relations.matches("relationName: \"b_a_fk\"").count(),
        2,
        "{}",
        g.relations
    );
    assert!(
        g.schema
            .contains("}, (table): PgTableExtraConfigValue[] => [\n"),
        "{}",
        g.schema
    );
    assert!(
        g.schema.contains("type PgTableExtraConfigValue"),
        "{}",
        g.schema
    );
}

/// A JSON string default stays `sql`: `.default("str")` would be the SQL `'str'`, no JSON.
#[test]
fn json_string_defaults_stay_sql() {
    let mut s = column("s", "json");
    s.default = Some(pg::Default::Sql("'\"str\"'::json".into()));
    let mut o = column("o", "jsonb");
    o.default = Some(pg::Default::Sql("'{\"a\":1}'::jsonb".into()));
    let g = generate(&model(vec![table("t", vec![s, o])]), &Options::default());
    assert!(
        g.schema
            .contains("\ts: json().default(sql`'\"str\"'::json`),"),
        "{}",
        g.schema
    );
    assert!(
        g.schema.contains("\to: jsonb().default({ \"a\": 1 }),"),
        "{}",
        g.schema
    );
}
