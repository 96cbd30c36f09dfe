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
            algorithm: None,
            lock: None,
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
        d.help
            .as_deref()
            .is_some_and(|h| h.starts_with("restore it")),
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
    // A SQLite header is read as a SQLite snapshot (here: without its keys).
    let d = read(
        Path::new("s.json"),
        "{\"version\": \"6\", \"dialect\": \"sqlite\"}",
    )
    .unwrap_err();
    assert_eq!(d.code, codes::SNAPSHOT_INVALID, "{d:?}");
    assert!(d.labels[0].message.contains("missing field"), "{d:?}");
    let d = read(
        Path::new("s.json"),
        "{\"version\": \"1\", \"dialect\": \"singlestore\"}",
    )
    .unwrap_err();
    assert!(d.message.contains("singlestore"), "{d:?}");
    // A MySQL snapshot of another version than 5.
    let d = read(
        Path::new("s.json"),
        "{\"version\": \"4\", \"dialect\": \"mysql\"}",
    )
    .unwrap_err();
    assert_eq!(d.code, codes::SNAPSHOT_VERSION, "{d:?}");
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

/// A folder of `n` chained migrations `000i_m` with empty snapshots.
fn chained_folder(n: usize) -> folder::FolderFiles {
    let mut files = folder::FolderFiles {
        out: "drizzle".into(),
        ..Default::default()
    };
    let mut journal = Journal::new("postgresql");
    let mut prev = ORIGIN_UUID.to_string();
    for i in 0..n {
        let tag = format!("{i:04}_m");
        let id = format!("00000000-0000-4000-8000-{i:012}");
        let snap = from_schema(&Schema::empty(Dialect::Postgresql), &id, &prev);
        files
            .snapshots
            .insert(folder::snapshot_file(&tag), to_json(&snap));
        files.sql_files.insert(format!("{tag}.sql"));
        journal.entries.push(JournalEntry {
            idx: i as u32,
            version: "7".into(),
            when: 1 + i as u64,
            tag,
            breakpoints: true,
        });
        prev = id;
    }
    files.journal = Some(journal_to_json(&journal));
    files
}

fn folder_codes(files: &folder::FolderFiles) -> Vec<&'static str> {
    let mut c: Vec<&str> = folder::check(files)
        .diagnostics
        .iter()
        .map(|d| d.code.0)
        .collect();
    c.sort();
    c
}

#[test]
fn folder_check_accepts_a_chain_and_reports_each_problem() {
    let good = chained_folder(3);
    let checked = folder::check(&good);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert_eq!(checked.snapshots.len(), 3);
    assert!(checked.snapshots.iter().all(Option::is_some));

    assert_eq!(
        folder::snapshot_file("0003_brave_otter"),
        "0003_snapshot.json"
    );
    assert_eq!(folder::snapshot_file("_init"), "_snapshot.json");

    // A collision: the third snapshot made on top of the first, as the second was.
    let mut f = good.clone();
    let third = f.snapshots.get_mut("0002_snapshot.json").unwrap();
    *third = third.replace(
        "\"prevId\": \"00000000-0000-4000-8000-000000000001\"",
        "\"prevId\": \"00000000-0000-4000-8000-000000000000\"",
    );
    let d = folder::check(&f).diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, codes::FOLDER_COLLISION);
    assert!(d[0].message.contains("`0001_m`") && d[0].message.contains("`0002_m`"));
    assert!(
        d[0].message
            .contains("meta/0000_snapshot.json (migration `0000_m`)")
    );
    assert_eq!(d[0].labels.len(), 2);

    // A migration's SQL file renamed (or its tag): one error naming both, the fix a rename,
    // not also "delete it" for the file.
    let mut f = good.clone();
    f.sql_files.remove("0001_m.sql");
    f.sql_files.insert("0001_renamed.sql".into());
    assert_eq!(folder_codes(&f), vec!["E6003"]);
    let d = folder::check(&f).diagnostics;
    assert!(
        d[0].help
            .as_deref()
            .is_some_and(|h| h.contains("rename 0001_renamed.sql to 0001_m.sql")),
        "{d:?}"
    );

    // The last snapshot a copy of the one before (a migration written by hand): the duplicate
    // id only, not also a broken chain, and the help keeps the hand-written SQL.
    let mut f = good.clone();
    let copy = f.snapshots["0001_snapshot.json"].clone();
    f.snapshots.insert("0002_snapshot.json".into(), copy);
    assert_eq!(folder_codes(&f), vec!["E6008"]);
    let d = folder::check(&f).diagnostics;
    assert!(
        d[0].help
            .as_deref()
            .is_some_and(|h| h.contains("build --custom")),
        "{d:?}"
    );

    // A first snapshot that is its own parent (id = prevId = the zero UUID, as an old `pull`
    // wrote): said so once, not as a collision with the snapshot built on it.
    let mut f = good.clone();
    let first = f.snapshots.get_mut("0000_snapshot.json").unwrap();
    *first = first.replace("00000000-0000-4000-8000-000000000000", ORIGIN_UUID);
    let second = f.snapshots.get_mut("0001_snapshot.json").unwrap();
    *second = second.replace("00000000-0000-4000-8000-000000000000", ORIGIN_UUID);
    let d = folder::check(&f).diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("names itself as its parent"), "{d:?}");

    // A broken chain (not a collision): the first prevId is not the zero UUID.
    let mut f = good.clone();
    let first = f.snapshots.get_mut("0000_snapshot.json").unwrap();
    *first = first.replace(ORIGIN_UUID, "00000000-0000-4000-8000-999999999999");
    assert_eq!(folder_codes(&f), vec!["E6007"]);

    // A pulled first snapshot (prevId "") is the start of a chain too.
    let mut f = good.clone();
    let first = f.snapshots.get_mut("0000_snapshot.json").unwrap();
    *first = first.replace(
        &format!("\"prevId\": \"{ORIGIN_UUID}\""),
        "\"prevId\": \"\"",
    );
    assert_eq!(folder_codes(&f), Vec::<&str>::new());

    // Missing and stray files.
    let mut f = good.clone();
    f.sql_files.remove("0001_m.sql");
    f.sql_files.insert("extra.sql".into());
    assert_eq!(folder_codes(&f), vec!["E6003", "W6006"]);
    let mut f = good.clone();
    let copy = f.snapshots["0002_snapshot.json"].clone();
    f.snapshots.insert("0007_snapshot.json".into(), copy);
    assert_eq!(folder_codes(&f), vec!["E6005", "E6008"]);

    // An old version, and another dialect's journal.
    let mut f = good.clone();
    let s = f.snapshots.get_mut("0001_snapshot.json").unwrap();
    *s = s.replace("\"version\": \"7\"", "\"version\": \"6\"");
    assert_eq!(folder_codes(&f), vec!["E6002"]);
    let mut f = good.clone();
    f.journal = f
        .journal
        .map(|j| j.replace("\"postgresql\"", "\"singlestore\""));
    // A journal naming another dialect than its snapshots (an old pulled folder): the
    // snapshots' dialect is used, as drizzle-kit reads only them.
    assert_eq!(folder_codes(&f), vec!["W6014"]);
    let mut f = good.clone();
    f.journal = f.journal.map(|j| j.replace("\"postgresql\"", "\"sqlite\""));
    assert_eq!(folder_codes(&f), vec!["W6014"]);
    // A snapshot of another dialect than the others and the journal.
    let mut f = good.clone();
    let s = f.snapshots.get_mut("0000_snapshot.json").unwrap();
    *s = s.replace("\"dialect\": \"postgresql\"", "\"dialect\": \"sqlite\"");
    // (a version-7 SQLite snapshot: read as SQLite, whose snapshots are version 6)
    assert_eq!(folder_codes(&f), vec!["E6002"]);
    // The journal lists a tag twice.
    let mut j: Journal = serde_json::from_str(good.journal.as_deref().unwrap()).unwrap();
    j.entries.push(j.entries[2].clone());
    let mut f = good.clone();
    f.journal = Some(journal_to_json(&j));
    assert!(folder_codes(&f).contains(&"E6003"));

    // No journal: the SQL files are outside it, and the snapshots are still compared.
    let mut f = good;
    f.journal = None;
    assert_eq!(folder_codes(&f), vec!["E6003", "W6006", "W6006", "W6006"]);
    let copy = f.snapshots["0002_snapshot.json"].clone();
    f.snapshots.insert("0007_snapshot.json".into(), copy);
    assert_eq!(
        folder_codes(&f),
        vec!["E6003", "E6008", "W6006", "W6006", "W6006"]
    );
}

#[test]
fn upgrade_v6_index_columns_and_v5_keys() {
    let v6 = r#"{"id":"a","prevId":"00000000-0000-0000-0000-000000000000","version":"6","dialect":"pg",
      "tables":{"public.t":{"name":"t","schema":"","columns":{},"indexes":{"i":{"name":"i","columns":["x","y"],"isUnique":true}},
      "foreignKeys":{},"compositePrimaryKeys":{},"uniqueConstraints":{}}},
      "enums":{"public.e":{"name":"e","schema":"public","values":["a"]}},"schemas":{},"_meta":{"columns":{},"schemas":{},"tables":{}}}"#;
    let Upgrade::Upgraded { from, text } = upgrade(Path::new("s.json"), v6).unwrap() else {
        panic!("not upgraded")
    };
    assert_eq!(from, 6);
    let s = read(Path::new("s.json"), &text).unwrap();
    assert_eq!(s.dialect, "postgresql");
    let index = &s.tables["public.t"].indexes["i"];
    assert_eq!(index.columns.len(), 2);
    assert_eq!(index.columns[1].expression, "y");
    assert!(!index.columns[1].is_expression && index.columns[1].asc);
    assert_eq!(index.columns[1].nulls, "last");
    assert!(index.is_unique);

    let v5 = v6
        .replace("\"version\":\"6\"", "\"version\":\"5\"")
        .replace("\"public.t\"", "\"t\"")
        .replace(
            r#""public.e":{"name":"e","schema":"public","values":["a"]}"#,
            r#""e":{"name":"e","values":{"a":"a","b":"b"}}"#,
        )
        .replace(r#""schema":"","#, r#""schema":"app","#);
    let Upgrade::Upgraded { from: 5, text } = upgrade(Path::new("s.json"), &v5).unwrap() else {
        panic!("not upgraded from 5")
    };
    let s = read(Path::new("s.json"), &text).unwrap();
    assert!(s.tables.contains_key("app.t"), "{text}");
    assert_eq!(s.enums["public.e"].values, vec!["a", "b"]);
    assert_eq!(s.enums["public.e"].schema, "public");

    // Version 7 is left alone; a v6 shape v7 cannot read is an error.
    assert_eq!(
        upgrade(Path::new("s.json"), &text).unwrap(),
        Upgrade::Current
    );
    let bad = v6.replace(r#""columns":{}"#, r#""columns":[]"#);
    let e = upgrade(Path::new("s.json"), &bad).unwrap_err();
    assert_eq!(e.code, codes::SNAPSHOT_INVALID);
}

/// `build` reads only the last snapshot whole; the others' ids still make the chain and
/// collision checks, and their versions and JSON are still checked.
#[test]
fn folder_check_for_build_reads_the_last_snapshot_whole() {
    let good = chained_folder(3);
    let checked = folder::check_with(&good, folder::Depth::Last);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let whole: Vec<bool> = checked.snapshots.iter().map(Option::is_some).collect();
    assert_eq!(whole, [false, false, true]);

    let codes_at_last = |f: &folder::FolderFiles| -> Vec<&'static str> {
        folder::check_with(f, folder::Depth::Last)
            .diagnostics
            .iter()
            .map(|d| d.code.0)
            .collect()
    };
    let mut f = good.clone();
    let third = f.snapshots.get_mut("0002_snapshot.json").unwrap();
    *third = third.replace(
        "\"prevId\": \"00000000-0000-4000-8000-000000000001\"",
        "\"prevId\": \"00000000-0000-4000-8000-000000000000\"",
    );
    assert_eq!(codes_at_last(&f), ["E6009"]);

    let mut f = good.clone();
    let first = f.snapshots.get_mut("0000_snapshot.json").unwrap();
    *first = first.replace("\"version\": \"7\"", "\"version\": \"6\"");
    assert_eq!(codes_at_last(&f), ["E6002"]);

    let mut f = good.clone();
    let second = f.snapshots.get_mut("0001_snapshot.json").unwrap();
    second.truncate(second.len() / 2);
    assert_eq!(codes_at_last(&f), ["E6001"]);
}

/// A table `t (id primary key, a, b)` with a composite primary key `(a, b)` and a unique
/// constraint on `b`, in `dialect`.
fn dialect_sample(dialect: Dialect) -> PgSnapshot {
    use crate::schema::testing::table;
    let mut s = Schema::empty(dialect);
    let mut id = col("id", "integer");
    id.primary_key = true;
    id.not_null = true;
    id.auto_increment = true;
    let mut b = col("b", "text");
    b.on_update_now = true;
    let mut t = table("t", vec![id, col("a", "integer"), b]);
    t.primary_key = Some(schema::PrimaryKey {
        name: "t_a_b_pk".into(),
        columns: vec!["a".into(), "b".into()],
        origin: loc(),
    });
    t.uniques.push(schema::Unique {
        name: "t_b_unique".into(),
        columns: vec!["b".into()],
        nulls_not_distinct: false,
        origin: loc(),
    });
    s.tables.push(t);
    from_schema(&s, "11111111-1111-1111-1111-111111111111", ORIGIN_UUID)
}

#[test]
fn mysql_rules_and_round_trip() {
    let snap = dialect_sample(Dialect::Mysql);
    assert_eq!(
        (snap.version.as_str(), snap.dialect.as_str()),
        ("5", "mysql")
    );
    let t = &snap.tables["public.t"];
    // A column primary key is an entry `<table>_<column>`, ahead of the table's.
    assert_eq!(
        t.composite_primary_keys.keys().collect::<Vec<_>>(),
        ["t_id", "t_a_b_pk"]
    );
    assert!(t.columns.values().all(|c| !c.primary_key));
    // Primary key columns are not null; autoincrement and onUpdate are kept.
    assert!(t.columns["a"].not_null && t.columns["b"].not_null);
    assert_eq!(t.columns["id"].autoincrement, Some(true));
    assert_eq!(t.columns["b"].on_update, Some(true));
    assert_eq!(t.columns["a"].on_update, None);
    assert!(t.unique_constraints.contains_key("t_b_unique"));
    let text = to_json(&snap);
    assert!(text.starts_with("{\n  \"version\": \"5\",\n  \"dialect\": \"mysql\",\n  \"id\""));
    assert!(text.contains("\"checkConstraint\": {}"), "{text}");
    assert!(text.contains("\"tables\": {\n    \"t\": {"), "{text}");
    let back = read(Path::new("s.json"), &text).unwrap();
    assert_eq!(back, snap);
    assert_eq!(to_json(&back), text);
}

#[test]
fn sqlite_rules_and_round_trip() {
    let snap = dialect_sample(Dialect::Sqlite);
    assert_eq!(
        (snap.version.as_str(), snap.dialect.as_str()),
        ("6", "sqlite")
    );
    let t = &snap.tables["public.t"];
    // Uniques are unique indexes; the composite primary key (two columns) stays an entry.
    assert!(t.unique_constraints.is_empty());
    assert!(t.indexes["t_b_unique"].is_unique);
    assert!(t.composite_primary_keys.contains_key("t_a_b_pk"));
    assert!(t.columns["id"].primary_key);
    assert_eq!(t.columns["b"].on_update, None);
    let text = to_json(&snap);
    assert!(
        text.contains("\"enums\": {},\n  \"_meta\": {\n    \"schemas\": {}"),
        "{text}"
    );
    assert!(text.contains("\"columns\": [\n            \"a\",\n            \"b\"\n          ],\n          \"name\": \"t_a_b_pk\""), "{text}");
    let back = read(Path::new("s.json"), &text).unwrap();
    assert_eq!(back, snap);
    assert_eq!(to_json(&back), text);
    // Older drizzle-kit versions wrote composite keys without `name`: the key names it.
    let old = text.replace(",\n          \"name\": \"t_a_b_pk\"", "");
    assert_ne!(old, text);
    let back = read(Path::new("old.json"), &old).unwrap();
    assert_eq!(back, snap);

    // A one-column `primaryKey({ columns })` is the column's own.
    let mut s = Schema::empty(Dialect::Sqlite);
    let mut t = crate::schema::testing::table("u", vec![col("x", "integer")]);
    t.primary_key = Some(schema::PrimaryKey {
        name: "u_x_pk".into(),
        columns: vec!["x".into()],
        origin: loc(),
    });
    s.tables.push(t);
    let snap = from_schema(&s, "a", ORIGIN_UUID);
    assert!(snap.tables["public.u"].composite_primary_keys.is_empty());
    assert!(snap.tables["public.u"].columns["x"].primary_key);
}

#[test]
fn the_dialect_is_found_near_the_start_or_anywhere() {
    assert_eq!(
        sniff_dialect("{\"version\":\"5\",\"dialect\" : \"mysql\"}"),
        Some(Dialect::Mysql)
    );
    assert_eq!(sniff_dialect("{\"dialect\": 7}"), None);
    assert_eq!(sniff_dialect(""), None);
    // A MySQL file whose `dialect` comes last (edited by hand) still reads as MySQL.
    let text = to_json(&dialect_sample(Dialect::Mysql));
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let obj = value.as_object_mut().unwrap();
    let dialect = obj.remove("dialect").unwrap();
    let padding = "x".repeat(600);
    obj.insert("padding".into(), serde_json::Value::String(padding));
    obj.insert("dialect".into(), dialect);
    let moved = serde_json::to_string(&value).unwrap();
    assert_eq!(sniff_dialect(&moved), None);
    let back = read(Path::new("s.json"), &moved).unwrap();
    assert_eq!(back, dialect_sample(Dialect::Mysql));
}

#[test]
fn mysql_internal_tables_of_pull_are_kept() {
    let text = to_json(&dialect_sample(Dialect::Mysql));
    let pulled = text.replace(
        "\"internal\": {\n    \"tables\": {}",
        "\"internal\": {\n    \"tables\": {\n      \"t\": {\n        \"columns\": {\n          \"b\": {\n            \"isDefaultAnExpression\": true\n          }\n        }\n      }\n    }",
    );
    assert_ne!(pulled, text);
    let back = read(Path::new("s.json"), &pulled).unwrap();
    assert!(back.internal.is_some());
    assert_eq!(to_json(&back), pulled);
}

/// drizzle-kit before 0.22 wrote enum columns (and 0.21 enum arrays) without `typeSchema`; they
/// are of the snapshot's enum, or every build would "change" their type.
#[test]
fn enum_columns_without_type_schema_are_of_the_enum() {
    let text = r#"{"id": "11983349-4d88-4e36-9211-1badcfe9bef6", "prevId": "00000000-0000-0000-0000-000000000000", "version": "7", "dialect": "postgresql", "tables": {"public.t": {"name": "t", "schema": "", "columns": {"id": {"name": "id", "type": "serial", "primaryKey": true, "notNull": true}, "m": {"name": "m", "type": "mood", "primaryKey": false, "notNull": false, "default": "'sad'"}, "roles": {"name": "roles", "type": "mood[]", "primaryKey": false, "notNull": false}, "note": {"name": "note", "type": "text", "primaryKey": false, "notNull": false}}, "indexes": {}, "foreignKeys": {}, "compositePrimaryKeys": {}, "uniqueConstraints": {}, "policies": {}, "checkConstraints": {}, "isRLSEnabled": false}}, "enums": {"public.mood": {"name": "mood", "schema": "public", "values": ["sad", "happy"]}}, "schemas": {}, "sequences": {}, "roles": {}, "policies": {}, "views": {}, "_meta": {"columns": {}, "schemas": {}, "tables": {}}}"#;
    let s = read(Path::new("0000_snapshot.json"), text).unwrap();
    let cols = &s.tables["public.t"].columns;
    assert_eq!(cols["m"].type_schema.as_deref(), Some("public"));
    assert_eq!(cols["roles"].type_schema.as_deref(), Some("public"));
    assert_eq!(cols["note"].type_schema, None);
}

/// `.default(null)`: drizzle-kit writes `"default": null` (PostgreSQL, and MySQL columns other
/// than text, blob and json); it must read back as that default, not as none, or every build
/// on drizzle-kit's folder finds a change.
#[test]
fn null_default_round_trips() {
    let text = r#"{"id":"1","prevId":"0","version":"7","dialect":"postgresql","tables":{"public.t":{"name":"t","schema":"","columns":{"a":{"name":"a","type":"text","primaryKey":false,"notNull":false,"default":null},"b":{"name":"b","type":"text","primaryKey":false,"notNull":false}},"indexes":{},"foreignKeys":{},"compositePrimaryKeys":{},"uniqueConstraints":{},"policies":{},"checkConstraints":{},"isRLSEnabled":false}},"enums":{},"schemas":{},"sequences":{},"roles":{},"policies":{},"views":{},"_meta":{"columns":{},"schemas":{},"tables":{}}}"#;
    let s = read(Path::new("0000_snapshot.json"), text).unwrap();
    let cols = &s.tables["public.t"].columns;
    assert_eq!(cols["a"].default, Some(pg::Default::Null));
    assert_eq!(cols["b"].default, None);
    let written = to_json(&s);
    assert!(written.contains("\"default\": null"), "{written}");

    let mut schema = Schema::empty(Dialect::Postgresql);
    let mut a = col("a", "text");
    a.default = Some(DefaultValue::Null);
    schema
        .tables
        .push(crate::schema::testing::table("t", vec![a]));
    let snap = from_schema(&schema, "1", "0");
    assert_eq!(
        snap.tables["public.t"].columns["a"].default,
        Some(pg::Default::Null)
    );
}

#[test]
fn the_journal_override_reads_a_snapshot_only_up_to_its_dialect() {
    use super::folder::leading_dialect;
    let d = |t: &str| leading_dialect(t);
    assert_eq!(
        d(r#"{"id": "x", "version": "7", "dialect": "mysql", "tables": {}}"#).as_deref(),
        Some("mysql")
    );
    // What follows the key is not read: the full read reports it.
    assert_eq!(
        d(r#"{"version": "6", "dialect": "sqlite", "tables": {"#).as_deref(),
        Some("sqlite")
    );
    assert_eq!(d(r#"{"dialect": 7}"#), None);
    assert_eq!(d(r#"{"tables": {"dialect": "mysql"}}"#), None);
    assert_eq!(d(r#"["dialect", "mysql"]"#), None);
    assert_eq!(d("not json"), None);
}
