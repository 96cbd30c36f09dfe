use std::path::Path;

use super::*;
use crate::schema::testing::{col, loc};
use crate::schema::{self, DefaultValue, Dialect, Schema};

fn sample() -> PgSnapshot {
    let mut s = Schema::empty(Dialect::Postgresql);
    let mut id = col("id", "integer");
    id.primary_key = true;
    id.not_null = true;
    let mut big = col("big", "bigint");
    big.default = Some(DefaultValue::Number("9007199254740993".into()));
    let mut ratio = col("ratio", "real");
    ratio.default = Some(DefaultValue::Number("1.5e-7".into()));
    let mut on = col("on", "boolean");
    on.default = Some(DefaultValue::Bool(false));
    let mut note = col("note", "text");
    note.default = Some(DefaultValue::Sql("'a \"b\"\n'".into()));
    s.tables.push(schema::Table {
        schema: None,
        name: "t".into(),
        columns: vec![id, big, ratio, on, note],
        primary_key: None,
        foreign_keys: vec![],
        uniques: vec![],
        checks: vec![],
        indexes: vec![schema::Index {
            name: "t_expr".into(),
            unique: false,
            columns: vec![schema::IndexColumn {
                expression: "lower(\"note\")".into(),
                is_expression: true,
                asc: true,
                nulls_first: false,
                opclass: None,
            }],
            method: "btree".into(),
            concurrently: false,
            with: vec![(
                "fillfactor".into(),
                schema::OptionValue::Number("70".into()),
            )],
            where_clause: None,
            origin: loc(),
        }],
        policies: vec![],
        rls_enabled: false,
        origin: loc(),
    });
    from_schema(&s, "11111111-1111-1111-1111-111111111111", ORIGIN_UUID)
}

#[test]
fn round_trip() {
    let snap = sample();
    let text = to_json(&snap);
    let back = read(Path::new("s.json"), &text).unwrap();
    assert_eq!(back, snap);
    assert_eq!(to_json(&back), text);
    assert!(!text.ends_with('\n'));
    assert!(text.contains("\"default\": 9007199254740993"), "{text}");
    assert!(text.contains(
        "{\n              \"expression\": \"lower(\\\"note\\\")\",\n              \"asc\": true,\n              \"isExpression\": true,"
    ), "{text}");
    assert!(
        text.contains("\"with\": {\n            \"fillfactor\": 70\n          }"),
        "{text}"
    );
}

#[test]
fn journal_round_trip() {
    let mut j = Journal::new("postgresql");
    j.entries.push(JournalEntry {
        idx: j.next_idx(),
        version: "7".into(),
        when: 1_795_823_969_032,
        tag: "0000_bizarre_sleeper".into(),
        breakpoints: true,
    });
    let text = journal_to_json(&j);
    assert_eq!(
        text,
        "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [\n    {\n      \"idx\": 0,\n      \"version\": \"7\",\n      \"when\": 1795823969032,\n      \"tag\": \"0000_bizarre_sleeper\",\n      \"breakpoints\": true\n    }\n  ]\n}"
    );
    assert_eq!(read_journal(Path::new("_journal.json"), &text).unwrap(), j);
    assert_eq!(j.next_idx(), 1);
}

#[test]
fn corrupt_json_is_located() {
    let text = "{\n  \"id\": \"x\",\n  \"prevId\" \"y\"\n}";
    let d = read(Path::new("meta/0000_snapshot.json"), text).unwrap_err();
    assert_eq!(d.code, codes::SNAPSHOT_INVALID);
    assert!(
        d.notes[0].ends_with("meta/0000_snapshot.json:3:12"),
        "{d:?}"
    );
    let loc = d.primary().unwrap();
    assert_eq!(&text[loc.span.start as usize..], "\"y\"\n}");
}

#[test]
fn wrong_shape_is_located() {
    let mut v: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    v["tables"]["public.t"]["columns"]["id"]["notNull"] = serde_json::json!("yes");
    let text = serde_json::to_string_pretty(&v).unwrap();
    let d = read(Path::new("s.json"), &text).unwrap_err();
    assert_eq!(d.code, codes::SNAPSHOT_INVALID);
    let loc = d.primary().unwrap();
    let line = text[..loc.span.start as usize].lines().last().unwrap();
    assert!(line.contains("\"notNull\""), "{line}");
}

#[test]
fn older_versions_say_run_up() {
    let text = "{\"id\":\"x\",\"prevId\":\"y\",\"version\":\"6\",\"dialect\":\"postgresql\"}";
    let d = read(Path::new("s.json"), text).unwrap_err();
    assert_eq!(d.code, codes::SNAPSHOT_VERSION);
    assert!(d.help.as_deref().unwrap().contains("schemac up"), "{d:?}");
    let text = text.replace("\"6\"", "\"8\"");
    let d = read(Path::new("s.json"), &text).unwrap_err();
    assert_eq!(d.code, codes::SNAPSHOT_VERSION);
    assert!(d.message.contains("newer"), "{d:?}");
}

#[test]
fn not_a_snapshot() {
    for text in ["[1]", "{\"id\": \"x\"}", "{\"version\": 7}", ""] {
        let d = read(Path::new("s.json"), text).unwrap_err();
        assert_eq!(d.code, codes::SNAPSHOT_INVALID, "{text}: {d:?}");
    }
    let d = read(
        Path::new("s.json"),
        "{\"version\": \"6\", \"dialect\": \"sqlite\"}",
    )
    .unwrap_err();
    assert!(d.message.contains("sqlite"), "{d:?}");
}

#[test]
fn keys_older_v7_writers_left_out_read_as_defaults() {
    let text = r#"{"id":"a","prevId":"b","version":"7","dialect":"postgresql",
      "tables":{"public.t":{"name":"t","schema":"","columns":{},
        "indexes":{"i":{"name":"i","columns":[{"expression":"c","isExpression":false,"asc":true,"nulls":"last"}],"isUnique":false}},
        "foreignKeys":{},"compositePrimaryKeys":{},"uniqueConstraints":{}}},
      "enums":{},"schemas":{}}"#;
    let s = read(Path::new("s.json"), text).unwrap();
    let t = &s.tables["public.t"];
    assert!(!t.is_rls_enabled && t.policies.is_empty() && t.check_constraints.is_empty());
    assert_eq!(t.indexes["i"].method, "btree");
    assert!(s.views.is_empty() && s.roles.is_empty() && s.meta == pg::Meta::default());
}
