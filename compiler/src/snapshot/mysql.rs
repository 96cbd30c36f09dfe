//! drizzle-kit's MySQL snapshot, version 5, as serde types, and its conversion to and from the
//! snapshot model. Field order is drizzle-kit's key order (see `pg.rs` for the conventions).

use serde::{Deserialize, Serialize};

use super::file::{self, Column, ForeignKey, InternalIndex, Meta, Unique};
use super::pg::{self, Map, PgSnapshot};

/// The snapshot version of MySQL files.
pub const VERSION: &str = "5";

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
    #[serde(rename = "_meta", default)]
    pub meta: Meta,
    #[serde(default)]
    pub internal: Internal,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Internal {
    /// Only in snapshots `pull` wrote; kept in the model's `internal` as it is.
    #[serde(default)]
    pub tables: Map<serde_json::Value>,
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
    pub composite_primary_keys: Map<pg::PrimaryKey>,
    #[serde(rename = "uniqueConstraints", default)]
    pub unique_constraints: Map<Unique>,
    /// Singular in drizzle-kit's MySQL snapshots.
    #[serde(rename = "checkConstraint", default)]
    pub check_constraint: Map<pg::Check>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    /// Column names, or the SQL of expressions (`internal.indexes` tells which).
    pub columns: Vec<String>,
    #[serde(rename = "isUnique")]
    pub is_unique: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub using: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lock: Option<String>,
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
    #[serde(
        rename = "withCheckOption",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub with_check_option: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub algorithm: Option<String>,
    #[serde(
        rename = "sqlSecurity",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub sql_security: Option<String>,
}

/// The model keeps MySQL's view options in `View::with`, under these keys.
pub const VIEW_OPTIONS: [&str; 3] = ["algorithm", "sqlSecurity", "withCheckOption"];

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
                                    using: (!i.method.is_empty()).then(|| i.method.clone()),
                                    algorithm: i.algorithm.clone(),
                                    lock: i.lock.clone(),
                                },
                            )
                        })
                        .collect(),
                    foreign_keys: file::foreign_keys_from_model(&t.foreign_keys),
                    composite_primary_keys: t.composite_primary_keys.clone(),
                    unique_constraints: file::uniques_from_model(&t.unique_constraints),
                    check_constraint: t.check_constraints.clone(),
                };
                (t.name.clone(), table)
            })
            .collect();
        let views = s
            .views
            .values()
            .map(|v| {
                let option = |key: &str| {
                    v.with
                        .as_ref()
                        .and_then(|w| w.get(key))
                        .and_then(|o| o.as_str())
                        .map(str::to_string)
                };
                let view = View {
                    columns: file::columns_from_model(&v.columns),
                    name: v.name.clone(),
                    is_existing: v.is_existing,
                    definition: v.definition.clone(),
                    with_check_option: option("withCheckOption"),
                    algorithm: option("algorithm"),
                    sql_security: option("sqlSecurity"),
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
            meta: Meta::from_model(&s.meta),
            internal: Internal {
                tables: s
                    .internal
                    .as_ref()
                    .and_then(|i| i.get("tables"))
                    .and_then(|t| serde_json::from_value(t.clone()).ok())
                    .unwrap_or_default(),
                indexes: file::internal_indexes(s.tables.values().flat_map(|t| t.indexes.values())),
            },
        }
    }

    pub fn into_model(self) -> PgSnapshot {
        let internal = self.internal.indexes;
        let pulled = (!self.internal.tables.is_empty())
            .then(|| serde_json::json!({ "tables": self.internal.tables }));
        let tables = self
            .tables
            .into_values()
            .map(|t| {
                let indexes = t
                    .indexes
                    .into_iter()
                    .map(|(k, i)| {
                        let columns = file::index_columns_into_model(&i.name, i.columns, &internal);
                        let mut index = file::model_index(i.name, columns, i.is_unique, i.using);
                        index.algorithm = i.algorithm;
                        index.lock = i.lock;
                        (k, index)
                    })
                    .collect();
                let table = file::model_table(
                    t.name,
                    file::columns_into_model(t.columns),
                    indexes,
                    file::foreign_keys_into_model(t.foreign_keys),
                    t.composite_primary_keys,
                    file::uniques_into_model(t.unique_constraints),
                    t.check_constraint,
                );
                (file::model_key(&table.name), table)
            })
            .collect();
        let views = self
            .views
            .into_values()
            .map(|v| {
                let with: Map<serde_json::Value> = [
                    ("algorithm", v.algorithm),
                    ("sqlSecurity", v.sql_security),
                    ("withCheckOption", v.with_check_option),
                ]
                .into_iter()
                .filter_map(|(k, o)| o.map(|o| (k.to_string(), serde_json::Value::String(o))))
                .collect();
                let view = file::model_view(
                    v.name,
                    file::columns_into_model(v.columns),
                    v.definition,
                    v.is_existing,
                    Some(with),
                );
                (file::model_key(&view.name), view)
            })
            .collect();
        let mut model = file::model_snapshot(
            [self.version, self.dialect, self.id, self.prev_id],
            tables,
            views,
            self.meta.into_model(),
        );
        model.internal = pulled;
        model
    }
}

/// The model as drizzle-kit compares two MySQL snapshots: unique indexes (of columns only) are
/// unique constraints (reference §5.4), so that `uniqueIndex('x')` and `unique('x')` on the same
/// columns are the same. Other dialects' models are returned as they are.
pub fn comparable(s: &PgSnapshot) -> std::borrow::Cow<'_, PgSnapshot> {
    let moves = |t: &pg::Table| {
        t.indexes
            .values()
            .any(|i| i.is_unique && i.columns.iter().all(|c| !c.is_expression))
    };
    if s.dialect != "mysql" || !s.tables.values().any(moves) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut s = s.clone();
    for t in s.tables.values_mut() {
        let (unique, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut t.indexes)
            .into_iter()
            .partition(|(_, i)| i.is_unique && i.columns.iter().all(|c| !c.is_expression));
        t.indexes = kept.into_iter().collect();
        for (k, i) in unique {
            t.unique_constraints.insert(
                k,
                pg::Unique {
                    name: i.name,
                    nulls_not_distinct: false,
                    columns: i.columns.into_iter().map(|c| c.expression).collect(),
                },
            );
        }
    }
    std::borrow::Cow::Owned(s)
}
