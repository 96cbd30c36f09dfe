//! What drizzle-kit's MySQL (v5) and SQLite (v6) snapshot files share: the column, foreign key,
//! unique constraint, `_meta` and `internal.indexes` shapes, and their conversions to and from
//! the snapshot model ([`PgSnapshot`](super::PgSnapshot), see `spec/snapshots.md`).
//!
//! In the model, MySQL and SQLite tables and views are keyed `public.<name>` (with schema `""`
//! and `public`), as PostgreSQL's tables in the default schema are, so that one diff and one set
//! of rename questions serve all three dialects; the files key them by bare name.

use serde::{Deserialize, Serialize};

use super::pg::{self, Map};

/// The model's key of a MySQL or SQLite table or view.
pub fn model_key(name: &str) -> String {
    format!("public.{name}")
}

/// A column: `name, type, primaryKey, notNull, autoincrement, onUpdate? (MySQL), generated?,
/// default?`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub sql_type: String,
    #[serde(rename = "primaryKey")]
    pub primary_key: bool,
    #[serde(rename = "notNull")]
    pub not_null: bool,
    #[serde(default)]
    pub autoincrement: bool,
    #[serde(rename = "onUpdate", skip_serializing_if = "Option::is_none", default)]
    pub on_update: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub generated: Option<pg::Generated>,
    /// Absent: no default; `null`: `.default(null)`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "pg::present"
    )]
    pub default: Option<pg::Default>,
}

impl Column {
    pub fn from_model(c: &pg::Column) -> Column {
        Column {
            name: c.name.clone(),
            sql_type: c.sql_type.clone(),
            primary_key: c.primary_key,
            not_null: c.not_null,
            autoincrement: c.autoincrement.unwrap_or(false),
            on_update: c.on_update,
            generated: c.generated.clone(),
            default: c.default.clone(),
        }
    }

    pub fn into_model(self) -> pg::Column {
        pg::Column {
            name: self.name,
            sql_type: self.sql_type,
            type_schema: None,
            primary_key: self.primary_key,
            not_null: self.not_null,
            generated: self.generated,
            identity: None,
            default: self.default,
            autoincrement: Some(self.autoincrement),
            on_update: self.on_update,
        }
    }
}

pub fn columns_from_model(columns: &Map<pg::Column>) -> Map<Column> {
    columns
        .iter()
        .map(|(k, c)| (k.clone(), Column::from_model(c)))
        .collect()
}

pub fn columns_into_model(columns: Map<Column>) -> Map<pg::Column> {
    columns
        .into_iter()
        .map(|(k, c)| (k, c.into_model()))
        .collect()
}

/// A foreign key: `name, tableFrom, tableTo, columnsFrom, columnsTo, onDelete, onUpdate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    #[serde(rename = "tableFrom")]
    pub table_from: String,
    #[serde(rename = "tableTo")]
    pub table_to: String,
    #[serde(rename = "columnsFrom")]
    pub columns_from: Vec<String>,
    #[serde(rename = "columnsTo")]
    pub columns_to: Vec<String>,
    #[serde(rename = "onDelete", skip_serializing_if = "Option::is_none", default)]
    pub on_delete: Option<String>,
    #[serde(rename = "onUpdate", skip_serializing_if = "Option::is_none", default)]
    pub on_update: Option<String>,
}

pub fn foreign_keys_from_model(fks: &Map<pg::ForeignKey>) -> Map<ForeignKey> {
    fks.iter()
        .map(|(k, f)| {
            (
                k.clone(),
                ForeignKey {
                    name: f.name.clone(),
                    table_from: f.table_from.clone(),
                    table_to: f.table_to.clone(),
                    columns_from: f.columns_from.clone(),
                    columns_to: f.columns_to.clone(),
                    on_delete: f.on_delete.clone(),
                    on_update: f.on_update.clone(),
                },
            )
        })
        .collect()
}

pub fn foreign_keys_into_model(fks: Map<ForeignKey>) -> Map<pg::ForeignKey> {
    fks.into_iter()
        .map(|(k, f)| {
            (
                k,
                pg::ForeignKey {
                    name: f.name,
                    table_from: f.table_from,
                    table_to: f.table_to,
                    schema_to: None,
                    columns_from: f.columns_from,
                    columns_to: f.columns_to,
                    on_delete: f.on_delete,
                    on_update: f.on_update,
                },
            )
        })
        .collect()
}

/// A unique constraint: `name, columns` (no `nullsNotDistinct`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unique {
    pub name: String,
    pub columns: Vec<String>,
}

pub fn uniques_from_model(uniques: &Map<pg::Unique>) -> Map<Unique> {
    uniques
        .iter()
        .map(|(k, u)| {
            (
                k.clone(),
                Unique {
                    name: u.name.clone(),
                    columns: u.columns.clone(),
                },
            )
        })
        .collect()
}

pub fn uniques_into_model(uniques: Map<Unique>) -> Map<pg::Unique> {
    uniques
        .into_iter()
        .map(|(k, u)| {
            (
                k,
                pg::Unique {
                    name: u.name,
                    nulls_not_distinct: false,
                    columns: u.columns,
                },
            )
        })
        .collect()
}

/// `_meta`: the renames of this migration, keys `schemas, tables, columns` (PostgreSQL's order
/// differs).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub schemas: Map<String>,
    #[serde(default)]
    pub tables: Map<String>,
    #[serde(default)]
    pub columns: Map<String>,
}

impl Meta {
    pub fn from_model(m: &pg::Meta) -> Meta {
        Meta {
            schemas: m.schemas.clone(),
            tables: m.tables.clone(),
            columns: m.columns.clone(),
        }
    }

    pub fn into_model(self) -> pg::Meta {
        pg::Meta {
            columns: self.columns,
            schemas: self.schemas,
            tables: self.tables,
        }
    }
}

/// `internal.indexes[<index>].columns[<sql>].isExpression`: which index keys are SQL
/// expressions (the file's index `columns` are plain strings).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InternalIndex {
    #[serde(default)]
    pub columns: Map<InternalIndexColumn>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InternalIndexColumn {
    #[serde(rename = "isExpression", default)]
    pub is_expression: bool,
}

/// The `internal.indexes` entries of the model's indexes that have expression keys.
pub fn internal_indexes<'a>(indexes: impl Iterator<Item = &'a pg::Index>) -> Map<InternalIndex> {
    let mut out = Map::default();
    for i in indexes {
        let columns: Map<InternalIndexColumn> = i
            .columns
            .iter()
            .filter(|c| c.is_expression)
            .map(|c| {
                (
                    c.expression.clone(),
                    InternalIndexColumn {
                        is_expression: true,
                    },
                )
            })
            .collect();
        if !columns.is_empty() {
            out.insert(i.name.clone(), InternalIndex { columns });
        }
    }
    out
}

/// The model's index keys of a file index's `columns`, with `internal` telling expressions.
pub fn index_columns_into_model(
    index: &str,
    columns: Vec<String>,
    internal: &Map<InternalIndex>,
) -> Vec<pg::IndexColumn> {
    let expressions = internal.get(index);
    columns
        .into_iter()
        .map(|expression| pg::IndexColumn {
            is_expression: expressions
                .and_then(|i| i.columns.get(&expression))
                .is_some_and(|c| c.is_expression),
            expression,
            asc: true,
            nulls: "last".into(),
            opclass: None,
        })
        .collect()
}

/// A model index of MySQL or SQLite (their files hold no order, nulls, `with` or
/// `concurrently`).
pub fn model_index(
    name: String,
    columns: Vec<pg::IndexColumn>,
    is_unique: bool,
    method: Option<String>,
) -> pg::Index {
    pg::Index {
        name,
        columns,
        is_unique,
        where_clause: None,
        concurrently: false,
        method: method.unwrap_or_default(),
        with: Map::default(),
        algorithm: None,
        lock: None,
    }
}

/// A model table of MySQL or SQLite, in the default schema (`""`), without policies.
#[allow(clippy::too_many_arguments)]
pub fn model_table(
    name: String,
    columns: Map<pg::Column>,
    indexes: Map<pg::Index>,
    foreign_keys: Map<pg::ForeignKey>,
    composite_primary_keys: Map<pg::PrimaryKey>,
    unique_constraints: Map<pg::Unique>,
    check_constraints: Map<pg::Check>,
) -> pg::Table {
    pg::Table {
        name,
        schema: String::new(),
        columns,
        indexes,
        foreign_keys,
        composite_primary_keys,
        unique_constraints,
        policies: Map::default(),
        check_constraints,
        is_rls_enabled: false,
    }
}

/// A model view of MySQL or SQLite, in `public`, not materialized.
pub fn model_view(
    name: String,
    columns: Map<pg::Column>,
    definition: Option<String>,
    is_existing: bool,
    with: Option<Map<serde_json::Value>>,
) -> pg::View {
    pg::View {
        columns,
        definition,
        name,
        schema: "public".into(),
        is_existing,
        with,
        with_no_data: None,
        materialized: false,
        tablespace: None,
        using: None,
    }
}

/// A model snapshot of MySQL or SQLite: tables, views and renames; no enums, schemas,
/// sequences, roles or policies.
pub fn model_snapshot(
    header: [String; 4],
    tables: Map<pg::Table>,
    views: Map<pg::View>,
    meta: pg::Meta,
) -> pg::PgSnapshot {
    let [version, dialect, id, prev_id] = header;
    pg::PgSnapshot {
        id,
        prev_id,
        version,
        dialect,
        tables,
        enums: Map::default(),
        schemas: Map::default(),
        sequences: Map::default(),
        roles: Map::default(),
        policies: Map::default(),
        views,
        meta,
        internal: None,
    }
}
