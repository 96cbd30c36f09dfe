//! `schemac up`'s conversion: PostgreSQL snapshots of versions 5 and 6 to version 7. The old
//! versions have no types here; they are rewritten as `serde_json::Value`s, step by step
//! (5 → 6 → 7), and the result must then read as a [`PgSnapshot`]. See `spec/folder.md`.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, codes};
use crate::span::Span;

use super::{PgSnapshot, json_error, read};

/// What [`upgrade`] did to one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub enum Upgrade {
    /// Already version 7: nothing to do.
    Current,
    /// Upgraded from `from`; the new text, as [`super::to_json`] writes it.
    Upgraded { from: u32, text: String },
}

/// Upgrades one PostgreSQL snapshot's text to version 7. `file` only locates errors. A snapshot
/// that is not JSON, of another dialect, of an unknown version, or whose upgrade does not read as
/// version 7 is an error.
pub fn upgrade(file: &Path, text: &str) -> Result<Upgrade, Box<Diagnostic>> {
    let arc: Arc<Path> = Arc::from(file);
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| json_error(&arc, text, &e, "snapshot"))?;
    let version = value
        .get("version")
        .and_then(Value::as_str)
        .and_then(|v| v.parse::<u32>().ok());
    // MySQL (version 5) and SQLite (version 6) snapshots are current; `read` checks them.
    let dialect = value.get("dialect").and_then(Value::as_str);
    if dialect
        .and_then(super::dialect_of)
        .is_some_and(|d| d != crate::schema::Dialect::Postgresql)
    {
        read(file, text)?;
        return Ok(Upgrade::Current);
    }
    let from = match version {
        Some(7) => {
            read(file, text)?;
            return Ok(Upgrade::Current);
        }
        Some(v @ (5 | 6)) => v,
        _ => {
            // `read` says what is wrong: no version, a newer one, another dialect.
            read(file, text)?;
            return Ok(Upgrade::Current);
        }
    };
    let Some(obj) = value.as_object_mut() else {
        return Err(shape_error(&arc, "a snapshot is a JSON object"));
    };
    let dialect = obj.get("dialect").and_then(Value::as_str).unwrap_or("");
    if !matches!(dialect, "pg" | "postgresql") {
        return Err(shape_error(
            &arc,
            &format!("`schemac up` upgrades PostgreSQL snapshots; this one is `{dialect}`"),
        ));
    }
    if from == 5 {
        v5_to_v6(obj).map_err(|m| shape_error(&arc, &m))?;
    }
    v6_to_v7(obj).map_err(|m| shape_error(&arc, &m))?;
    let snapshot: PgSnapshot = serde_json::from_value(value).map_err(|e| {
        shape_error(
            &arc,
            &format!("the upgraded snapshot does not have version 7's shape: {e}"),
        )
    })?;
    Ok(Upgrade::Upgraded {
        from,
        text: super::to_json(&snapshot),
    })
}

fn shape_error(file: &Arc<Path>, message: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            codes::SNAPSHOT_INVALID,
            format!("this snapshot cannot be upgraded: {message}"),
        )
        .with_label(file, Span::new(0, 0), "this file")
        .with_help("nothing was changed; fix the file or restore it from version control"),
    )
}

/// The object under `key`, or an error naming it.
fn object_mut<'a>(
    obj: &'a mut Map<String, Value>,
    key: &str,
) -> Result<&'a mut Map<String, Value>, String> {
    obj.entry(key.to_string())
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| format!("`{key}` is not an object"))
}

/// Version 5 → 6: tables are keyed `<schema or public>.<name>`; enums are keyed `public.<name>`,
/// get `schema: "public"`, and their `values` map becomes the array of its values.
fn v5_to_v6(obj: &mut Map<String, Value>) -> Result<(), String> {
    let tables = std::mem::take(object_mut(obj, "tables")?);
    let mut keyed = Map::new();
    for (key, table) in tables {
        let name = table.get("name").and_then(Value::as_str).unwrap_or(&key);
        let schema = table
            .get("schema")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("public");
        keyed.insert(format!("{schema}.{name}"), table);
    }
    obj.insert("tables".into(), Value::Object(keyed));
    let enums = std::mem::take(object_mut(obj, "enums")?);
    let mut keyed = Map::new();
    for (key, e) in enums {
        let name = e
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(&key)
            .to_string();
        let values: Vec<Value> = match e.get("values") {
            Some(Value::Object(m)) => m.values().cloned().collect(),
            Some(Value::Array(a)) => a.clone(),
            _ => return Err(format!("the enum `{name}` has no `values`")),
        };
        keyed.insert(
            format!("public.{name}"),
            json!({ "name": name, "schema": "public", "values": values }),
        );
    }
    obj.insert("enums".into(), Value::Object(keyed));
    obj.insert("version".into(), json!("6"));
    Ok(())
}

/// Version 6 → 7: index columns become `{expression, isExpression: false, asc: true, nulls:
/// "last"}` and indexes get `with: {}`; tables get `policies`, `checkConstraints` and
/// `isRLSEnabled: false`; the snapshot gets empty `sequences`, `policies`, `views`, `roles`.
fn v6_to_v7(obj: &mut Map<String, Value>) -> Result<(), String> {
    for (key, table) in object_mut(obj, "tables")?.iter_mut() {
        let table = table
            .as_object_mut()
            .ok_or_else(|| format!("the table `{key}` is not an object"))?;
        for (name, index) in object_mut(table, "indexes")?.iter_mut() {
            let index = index
                .as_object_mut()
                .ok_or_else(|| format!("the index `{name}` of `{key}` is not an object"))?;
            if let Some(Value::Array(columns)) = index.get_mut("columns") {
                for c in columns.iter_mut() {
                    if let Value::String(expression) = c {
                        *c = json!({
                            "expression": expression,
                            "isExpression": false,
                            "asc": true,
                            "nulls": "last",
                        });
                    }
                }
            }
            index.entry("with").or_insert_with(|| json!({}));
        }
        table.entry("policies").or_insert_with(|| json!({}));
        table.entry("checkConstraints").or_insert_with(|| json!({}));
        table.entry("isRLSEnabled").or_insert(json!(false));
    }
    for key in ["sequences", "policies", "views", "roles"] {
        obj.entry(key).or_insert_with(|| json!({}));
    }
    obj.insert("version".into(), json!("7"));
    obj.insert("dialect".into(), json!("postgresql"));
    Ok(())
}
