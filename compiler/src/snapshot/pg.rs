//! drizzle-kit's PostgreSQL snapshot, version 7, as serde types.
//!
//! Field order is the key order drizzle-kit writes (`JSON.stringify` keeps insertion order), so
//! serializing these types gives drizzle-kit's text. Optional keys that drizzle-kit leaves out
//! (`undefined`) are `Option`s skipped when `None`. Keyed maps are `IndexMap`s: their order is the
//! order entities were declared in (see `spec/snapshots.md`). Keys that 0.31 always writes but
//! older v7 writers did not are `#[serde(default)]` when read.

use indexmap::IndexMap;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// `prevId` of the first snapshot of a folder.
pub const ORIGIN_UUID: &str = "00000000-0000-0000-0000-000000000000";

/// The snapshot version this module reads and writes.
pub const VERSION: &str = "7";

/// Keyed by entity name. Hashed with FxHash, not SipHash: the keys are names from the user's own
/// schema and snapshot, and building and probing these maps is a good part of reading a
/// snapshot of a thousand tables.
pub type Map<T> = IndexMap<String, T, rustc_hash::FxBuildHasher>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PgSnapshot {
    pub id: String,
    #[serde(rename = "prevId")]
    pub prev_id: String,
    pub version: String,
    pub dialect: String,
    pub tables: Map<Table>,
    pub enums: Map<Enum>,
    pub schemas: Map<String>,
    #[serde(default)]
    pub sequences: Map<Sequence>,
    #[serde(default)]
    pub roles: Map<Role>,
    #[serde(default)]
    pub policies: Map<Policy>,
    #[serde(default)]
    pub views: Map<View>,
    #[serde(rename = "_meta", default)]
    pub meta: Meta,
    /// Only in snapshots written by `pull`: introspection details, kept as they are.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub internal: Option<serde_json::Value>,
}

/// drizzle-kit before 0.22 wrote enum columns without `typeSchema` (0.21 also left it off enum
/// arrays), and its `up` does not add it; drizzle-kit compares such a column as unchanged. A
/// column whose type names one of the snapshot's enums is of that enum (the one in `public` if
/// several schemas have one of that name), so it is not taken for a change of type.
pub(crate) fn fill_type_schemas(s: &mut PgSnapshot) {
    if s.enums.is_empty() {
        return;
    }
    // Each enum name's schema: `public` when several schemas have one of that name, none when
    // several do and `public` is not one of them.
    let mut schema_of: rustc_hash::FxHashMap<&str, Option<&str>> = rustc_hash::FxHashMap::default();
    for e in s.enums.values() {
        let schema = e.schema.as_str();
        schema_of
            .entry(e.name.as_str())
            .and_modify(|known| {
                if schema == "public" {
                    *known = Some(schema);
                } else if *known != Some("public") {
                    *known = None;
                }
            })
            .or_insert(Some(schema));
    }
    for t in s.tables.values_mut() {
        for c in t.columns.values_mut() {
            if c.type_schema.is_none()
                && let Some(Some(schema)) = schema_of.get(c.sql_type.trim_end_matches("[]"))
            {
                c.type_schema = Some((*schema).to_string());
            }
        }
    }
}

/// Renames drizzle-kit recorded. For PostgreSQL it never records any (always empty maps).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub columns: Map<String>,
    #[serde(default)]
    pub schemas: Map<String>,
    #[serde(default)]
    pub tables: Map<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// `""` for tables in `public`.
    pub schema: String,
    pub columns: Map<Column>,
    pub indexes: Map<Index>,
    #[serde(rename = "foreignKeys")]
    pub foreign_keys: Map<ForeignKey>,
    #[serde(rename = "compositePrimaryKeys")]
    pub composite_primary_keys: Map<PrimaryKey>,
    #[serde(rename = "uniqueConstraints")]
    pub unique_constraints: Map<Unique>,
    #[serde(default)]
    pub policies: Map<Policy>,
    #[serde(rename = "checkConstraints", default)]
    pub check_constraints: Map<Check>,
    #[serde(rename = "isRLSEnabled", default)]
    pub is_rls_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub sql_type: String,
    /// Enum columns only: the enum's schema.
    #[serde(
        rename = "typeSchema",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub type_schema: Option<String>,
    #[serde(rename = "primaryKey")]
    pub primary_key: bool,
    #[serde(rename = "notNull")]
    pub not_null: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub generated: Option<Generated>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub identity: Option<Identity>,
    /// Absent: no default; `null`: `.default(null)`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "present"
    )]
    pub default: Option<Default>,
    /// MySQL and SQLite only (their snapshots' `autoincrement`); `None` on PostgreSQL.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub autoincrement: Option<bool>,
    /// MySQL only: `onUpdate` (`.onUpdateNow()`); `None` elsewhere.
    #[serde(rename = "onUpdate", skip_serializing_if = "Option::is_none", default)]
    pub on_update: Option<bool>,
}

/// A column default: SQL text, or a raw JSON number, boolean or value (drizzle-kit's §4.8 rules).
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    Sql(String),
    /// The number exactly as written in the JSON text (BigInt defaults keep every digit).
    Number(String),
    Bool(bool),
    /// `"default": null`, which drizzle-kit writes for `.default(null)`.
    Null,
    /// An array or object: a `point`, `line`, `vector` or `halfvec` default given as a value,
    /// which drizzle-kit keeps as written (schemac's SQL is the literal drizzle-orm sends).
    Value(serde_json::Value),
}

/// A key that is present is `Some`, even when `null`.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl Serialize for Default {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Default::Sql(t) => s.serialize_str(t),
            Default::Bool(b) => s.serialize_bool(*b),
            Default::Null => s.serialize_unit(),
            Default::Value(v) => v.serialize(s),
            Default::Number(n) => raw_number(n)
                .map_err(serde::ser::Error::custom)?
                .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Default {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(d)?;
        let text = raw.get();
        match text.as_bytes().first() {
            Some(b'"') => Ok(Default::Sql(
                serde_json::from_str(text).map_err(D::Error::custom)?,
            )),
            Some(b't') => Ok(Default::Bool(true)),
            Some(b'f') => Ok(Default::Bool(false)),
            Some(b'-' | b'0'..=b'9') => Ok(Default::Number(text.to_string())),
            Some(b'n') if text == "null" => Ok(Default::Null),
            Some(b'[' | b'{') => Ok(Default::Value(
                serde_json::from_str(text).map_err(D::Error::custom)?,
            )),
            _ => Err(D::Error::custom(format!(
                "a default is a string, a number, a boolean, an array or an object, found `{text}`"
            ))),
        }
    }
}

/// A JSON number from its text; `NaN` and the infinities are `null`, as `JSON.stringify` writes
/// them.
fn raw_number(n: &str) -> Result<Box<RawValue>, serde_json::Error> {
    let valid = n.parse::<f64>().is_ok_and(f64::is_finite)
        && serde_json::from_str::<serde_json::Number>(n).is_ok();
    RawValue::from_string(if valid { n.to_string() } else { "null".into() })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    #[serde(rename = "as")]
    pub expression: String,
    /// Always `stored` on PostgreSQL.
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// `always` or `byDefault`.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub schema: String,
    #[serde(flatten)]
    pub options: SequenceOptions,
}

/// Sequence parameters as decimal strings; shared by sequences and identities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequenceOptions {
    pub increment: String,
    #[serde(rename = "startWith")]
    pub start_with: String,
    #[serde(rename = "minValue")]
    pub min_value: String,
    #[serde(rename = "maxValue")]
    pub max_value: String,
    pub cache: String,
    pub cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<IndexColumn>,
    #[serde(rename = "isUnique")]
    pub is_unique: bool,
    #[serde(rename = "where", skip_serializing_if = "Option::is_none", default)]
    pub where_clause: Option<String>,
    #[serde(default)]
    pub concurrently: bool,
    #[serde(default = "btree")]
    pub method: String,
    /// Storage parameters with their JavaScript values (`{"fillfactor": 70}`).
    #[serde(default)]
    pub with: Map<serde_json::Value>,
    /// MySQL only: `ALGORITHM=` and `LOCK=` of the index; `None` elsewhere.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lock: Option<String>,
}

fn btree() -> String {
    "btree".into()
}

/// One index key. drizzle-kit writes `expression, isExpression, asc, nulls` for columns and
/// `expression, asc, isExpression, nulls` for SQL expressions; serialization follows
/// `is_expression`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IndexColumn {
    pub expression: String,
    #[serde(rename = "isExpression")]
    pub is_expression: bool,
    pub asc: bool,
    /// `first` or `last`.
    pub nulls: String,
    #[serde(default)]
    pub opclass: Option<String>,
}

impl Serialize for IndexColumn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("expression", &self.expression)?;
        if self.is_expression {
            m.serialize_entry("asc", &self.asc)?;
            m.serialize_entry("isExpression", &self.is_expression)?;
        } else {
            m.serialize_entry("isExpression", &self.is_expression)?;
            m.serialize_entry("asc", &self.asc)?;
        }
        m.serialize_entry("nulls", &self.nulls)?;
        if let Some(o) = &self.opclass {
            m.serialize_entry("opclass", o)?;
        }
        m.end()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    #[serde(rename = "tableFrom")]
    pub table_from: String,
    #[serde(rename = "tableTo")]
    pub table_to: String,
    /// Left out when the referenced table is in `public`.
    #[serde(rename = "schemaTo", skip_serializing_if = "Option::is_none", default)]
    pub schema_to: Option<String>,
    #[serde(rename = "columnsFrom")]
    pub columns_from: Vec<String>,
    #[serde(rename = "columnsTo")]
    pub columns_to: Vec<String>,
    #[serde(rename = "onDelete", skip_serializing_if = "Option::is_none", default)]
    pub on_delete: Option<String>,
    #[serde(rename = "onUpdate", skip_serializing_if = "Option::is_none", default)]
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unique {
    pub name: String,
    #[serde(rename = "nullsNotDistinct")]
    pub nulls_not_distinct: bool,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub value: String,
}

/// A policy; `schema` and `on` are set only on top-level (standalone) policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    /// `PERMISSIVE` or `RESTRICTIVE`.
    #[serde(rename = "as", skip_serializing_if = "Option::is_none", default)]
    pub as_: Option<String>,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    #[serde(rename = "for", skip_serializing_if = "Option::is_none", default)]
    pub for_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub to: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub using: Option<String>,
    #[serde(rename = "withCheck", skip_serializing_if = "Option::is_none", default)]
    pub with_check: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub schema: Option<String>,
    /// `"schema"."table"`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enum {
    pub name: String,
    pub schema: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: String,
    pub schema: String,
    #[serde(flatten)]
    pub options: SequenceOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    #[serde(rename = "createDb", default)]
    pub create_db: bool,
    #[serde(rename = "createRole", default)]
    pub create_role: bool,
    #[serde(default = "yes")]
    pub inherit: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// The view's columns: an explicit column list, or the table columns its query selects.
    #[serde(default)]
    pub columns: Map<Column>,
    /// Left out for `.existing()` views.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub definition: Option<String>,
    pub name: String,
    pub schema: String,
    #[serde(rename = "isExisting")]
    pub is_existing: bool,
    /// Options under their camelCase drizzle names, with their JavaScript values.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub with: Option<Map<serde_json::Value>>,
    #[serde(
        rename = "withNoData",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub with_no_data: Option<bool>,
    pub materialized: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tablespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub using: Option<String>,
}
