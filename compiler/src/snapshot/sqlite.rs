//! drizzle-kit's SQLite snapshot, version 6 (turso folders too), as serde types, and its
//! conversion to and from the snapshot model. Field order is drizzle-kit's key order (see
//! `pg.rs` for the conventions).

use serde::{Deserialize, Serialize};

use super::file::{self, Column, ForeignKey, InternalIndex, Meta, Unique};
use super::pg::{self, Map, PgSnapshot};

/// The snapshot version of SQLite files.
pub const VERSION: &str = "6";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: String,
    pub dialect: String,
    pub id: String,
    #[serde(rename = "prevId")]
    pub prev_id: String,
    pub tables: Map<Table>,
    #[serde(default)]
    pub views: Map<View>,
    /// Always `{}`.
    #[serde(default)]
    pub enums: Map<serde_json::Value>,
    #[serde(rename = "_meta", default)]
    pub meta: Meta,
    #[serde(default)]
    pub internal: Internal,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Internal {
    #[serde(default)]
    pub indexes: Map<InternalIndex>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Map<Column>,
    pub indexes: Map<Index>,
    #[serde(rename = "foreignKeys")]
    pub foreign_keys: Map<ForeignKey>,
    #[serde(rename = "compositePrimaryKeys")]
    pub composite_primary_keys: Map<PrimaryKey>,
    #[serde(rename = "uniqueConstraints", default)]
    pub unique_constraints: Map<Unique>,
    #[serde(rename = "checkConstraints", default)]
    pub check_constraints: Map<pg::Check>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    /// Column names, or the SQL of expressions (`internal.indexes` tells which).
    pub columns: Vec<String>,
    #[serde(rename = "isUnique")]
    pub is_unique: bool,
    #[serde(rename = "where", skip_serializing_if = "Option::is_none", default)]
    pub where_clause: Option<String>,
}

/// `columns, name`: SQLite's order (MySQL and PostgreSQL write `name` first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub columns: Vec<String>,
    /// Older drizzle-kit versions wrote no `name`: the entry's key is the name.
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    #[serde(default)]
    pub columns: Map<Column>,
    pub name: String,
    #[serde(rename = "isExisting")]
    pub is_existing: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub definition: Option<String>,
}

impl Snapshot {
    pub fn from_model(s: &PgSnapshot) -> Snapshot {
        let tables = s
            .tables
            .values()
            .map(|t| {
                let table = Table {
                    name: t.name.clone(),
                    columns: file::columns_from_model(&t.columns),
                    indexes: t
                        .indexes
                        .iter()
                        .map(|(k, i)| {
                            (
                                k.clone(),
                                Index {
                                    name: i.name.clone(),
                                    columns: i
                                        .columns
                                        .iter()
                                        .map(|c| c.expression.clone())
                                        .collect(),
                                    is_unique: i.is_unique,
                                    where_clause: i.where_clause.clone(),
                                },
                            )
                        })
                        .collect(),
                    foreign_keys: file::foreign_keys_from_model(&t.foreign_keys),
                    composite_primary_keys: t
                        .composite_primary_keys
                        .iter()
                        .map(|(k, p)| {
                            (
                                k.clone(),
                                PrimaryKey {
                                    columns: p.columns.clone(),
                                    name: p.name.clone(),
                                },
                            )
                        })
                        .collect(),
                    unique_constraints: file::uniques_from_model(&t.unique_constraints),
                    check_constraints: t.check_constraints.clone(),
                };
                (t.name.clone(), table)
            })
            .collect();
        let views = s
            .views
            .values()
            .map(|v| {
                let view = View {
                    columns: file::columns_from_model(&v.columns),
                    name: v.name.clone(),
                    is_existing: v.is_existing,
                    definition: v.definition.clone(),
                };
                (v.name.clone(), view)
            })
            .collect();
        Snapshot {
            version: s.version.clone(),
            dialect: s.dialect.clone(),
            id: s.id.clone(),
            prev_id: s.prev_id.clone(),
            tables,
            views,
            enums: Map::default(),
            meta: Meta::from_model(&s.meta),
            internal: Internal {
                indexes: file::internal_indexes(s.tables.values().flat_map(|t| t.indexes.values())),
            },
        }
    }

    pub fn into_model(self) -> PgSnapshot {
        let internal = self.internal.indexes;
        let tables = self
            .tables
            .into_values()
            .map(|t| {
                let indexes = t
                    .indexes
                    .into_iter()
                    .map(|(k, i)| {
                        let columns = file::index_columns_into_model(&i.name, i.columns, &internal);
                        let mut index = file::model_index(i.name, columns, i.is_unique, None);
                        index.where_clause = i.where_clause;
                        (k, index)
                    })
                    .collect();
                let primary_keys = t
                    .composite_primary_keys
                    .into_iter()
                    .map(|(k, p)| {
                        let name = if p.name.is_empty() { k.clone() } else { p.name };
                        (
                            k,
                            pg::PrimaryKey {
                                name,
                                columns: p.columns,
                            },
                        )
                    })
                    .collect();
                let table = file::model_table(
                    t.name,
                    file::columns_into_model(t.columns),
                    indexes,
                    file::foreign_keys_into_model(t.foreign_keys),
                    primary_keys,
                    file::uniques_into_model(t.unique_constraints),
                    t.check_constraints,
                );
                (file::model_key(&table.name), table)
            })
            .collect();
        let views = self
            .views
            .into_values()
            .map(|v| {
                let view = file::model_view(
                    v.name,
                    file::columns_into_model(v.columns),
                    v.definition,
                    v.is_existing,
                    None,
                );
                (file::model_key(&view.name), view)
            })
            .collect();
        file::model_snapshot(
            [self.version, self.dialect, self.id, self.prev_id],
            tables,
            views,
            self.meta.into_model(),
        )
    }
}
