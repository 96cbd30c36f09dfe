//! The Schema IR: a typed, dialect-aware description of every database object a schema
//! declares, with the source location of each. Evaluation produces it, semantic checks read it,
//! the planner turns it into migration operations, and snapshots are written from it
//! (`crate::snapshot`).
//!
//! Names are database names (after casing). Type strings and default expressions are kept
//! exactly as drizzle-kit writes them into its snapshots, so snapshots written by schemac and
//! by drizzle-kit compare equal.

pub mod casing;
#[cfg(test)]
pub(crate) mod testing;

use crate::diagnostics::Location;
pub use casing::Casing;
pub use schemac_stdlib::Dialect;

#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub dialect: Dialect,
    /// Database schemas declared with `pgSchema` (never `public`).
    pub schemas: Vec<NamedSchema>,
    pub enums: Vec<Enum>,
    pub sequences: Vec<Sequence>,
    pub roles: Vec<Role>,
    pub tables: Vec<Table>,
    pub views: Vec<View>,
    /// Policies linked to a table that is not part of the schema.
    pub policies: Vec<Policy>,
}

impl Schema {
    pub fn empty(dialect: Dialect) -> Schema {
        Schema {
            dialect,
            schemas: Vec::new(),
            enums: Vec::new(),
            sequences: Vec::new(),
            roles: Vec::new(),
            tables: Vec::new(),
            views: Vec::new(),
            policies: Vec::new(),
        }
    }

    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.schema.as_deref() == schema && t.name == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema {
    pub name: String,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// `None` is the default schema (`public`).
    pub schema: Option<String>,
    pub name: String,
    pub values: Vec<String>,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub schema: Option<String>,
    pub name: String,
    pub options: SequenceOptions,
    pub origin: Location,
}

/// Sequence and identity parameters, as decimal strings (drizzle-kit's snapshot form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceOptions {
    pub increment: String,
    pub min_value: String,
    pub max_value: String,
    pub start_with: String,
    pub cache: String,
    pub cycle: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub name: String,
    pub create_db: bool,
    pub create_role: bool,
    pub inherit: bool,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<Column>,
    /// A primary key declared with `primaryKey({ columns })` (column-level `.primaryKey()` is
    /// on the column).
    pub primary_key: Option<PrimaryKey>,
    pub foreign_keys: Vec<ForeignKey>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub indexes: Vec<Index>,
    pub policies: Vec<Policy>,
    /// `.enableRLS()` was called (drizzle-kit's `isRLSEnabled`). Row level security is also on
    /// when the table has a policy: see [`Table::row_level_security`].
    pub rls_enabled: bool,
    pub origin: Location,
}

impl Table {
    /// Whether row level security is enabled: by `.enableRLS()` or by any policy.
    pub fn row_level_security(&self) -> bool {
        self.rls_enabled || !self.policies.is_empty()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// `"schema"."name"` or `"name"`, for messages.
    pub fn display_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The SQL type as drizzle writes it, e.g. `varchar(256)`, `timestamp (3) with time zone`,
    /// `integer[]`. For enum columns it is the enum's name (plus any array suffix).
    pub sql_type: String,
    /// For enum columns: the enum's schema (`public` by default).
    pub enum_schema: Option<String>,
    pub primary_key: bool,
    pub not_null: bool,
    pub default: Option<DefaultValue>,
    pub generated: Option<Box<Generated>>,
    pub identity: Option<Box<Identity>>,
    pub auto_increment: bool,
    pub on_update_now: bool,
    pub origin: Location,
}

impl Column {
    pub fn is_enum(&self) -> bool {
        self.enum_schema.is_some()
    }
}

/// A column default as drizzle-kit stores it: a number or boolean stays a JSON value, anything
/// else is the SQL text of the default (`'active'`, `now()`, `'{}'::jsonb`).
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Sql(String),
    Number(String),
    Bool(bool),
    /// JavaScript's `null` (`.default(null)`): SQL `null`, JSON `null` in snapshots.
    Null,
    /// A value drizzle-orm sends as a literal of the column's type (a `point`, `line`, `vector`
    /// or `halfvec` given as `[1, 2]` or `{ x: 1, y: 2 }`): the SQL of that literal, and the
    /// value itself, which drizzle-kit's snapshots hold as JSON.
    Value {
        sql: String,
        json: serde_json::Value,
    },
}

impl DefaultValue {
    pub fn sql(&self) -> String {
        match self {
            DefaultValue::Sql(s) | DefaultValue::Number(s) | DefaultValue::Value { sql: s, .. } => {
                s.clone()
            }
            DefaultValue::Bool(b) => b.to_string(),
            DefaultValue::Null => "null".into(),
        }
    }
}

/// The SQL literal of a `vector`/`halfvec` value (`'[1,2,3]'`), a `point` (`'(1,2)'`, from
/// `[x, y]` or `{ x, y }`) or a `line` (`'{1,2,3}'`, from `[a, b, c]` or `{ a, b, c }`), as
/// drizzle-orm sends them: numbers only. `None` for other types and shapes.
pub fn value_literal(v: &serde_json::Value, ty: &str) -> Option<String> {
    use serde_json::Value as J;
    let numbers = |keys: &[&str]| -> Option<Vec<String>> {
        let number = |x: &J| x.as_number().map(ToString::to_string);
        match v {
            J::Array(items) => items.iter().map(number).collect(),
            J::Object(o) if !keys.is_empty() => keys.iter().map(|k| number(o.get(*k)?)).collect(),
            _ => None,
        }
    };
    if ty.starts_with("vector(") || ty.starts_with("halfvec(") {
        return numbers(&[]).map(|n| format!("'[{}]'", n.join(",")));
    }
    match ty {
        "point" => numbers(&["x", "y"])
            .filter(|n| n.len() == 2)
            .map(|n| format!("'({})'", n.join(","))),
        "line" => numbers(&["a", "b", "c"])
            .filter(|n| n.len() == 3)
            .map(|n| format!("'{{{}}}'", n.join(","))),
        _ => None,
    }
}

/// The value of a `with` option: its JavaScript type matters to snapshots (`{"fillfactor": 70}`,
/// `{"securityBarrier": true}`); `Display` gives the SQL text.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Text(String),
    /// A number as JavaScript prints it.
    Number(String),
    Bool(bool),
}

impl std::fmt::Display for OptionValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionValue::Text(s) | OptionValue::Number(s) => f.write_str(s),
            OptionValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub expression: String,
    pub stored: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub always: bool,
    pub sequence_name: String,
    pub sequence_schema: Option<String>,
    pub options: SequenceOptions,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub origin: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn parse(s: &str) -> Option<FkAction> {
        Some(match s {
            "no action" => FkAction::NoAction,
            "restrict" => FkAction::Restrict,
            "cascade" => FkAction::Cascade,
            "set null" => FkAction::SetNull,
            "set default" => FkAction::SetDefault,
            _ => return None,
        })
    }

    /// The lowercase form drizzle-kit writes.
    pub fn as_str(self) -> &'static str {
        match self {
            FkAction::NoAction => "no action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set null",
            FkAction::SetDefault => "set default",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unique {
    pub name: String,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub name: String,
    pub expression: String,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub columns: Vec<IndexColumn>,
    /// `USING`: PostgreSQL's default is `btree`; on MySQL `""` unless `.using(...)` was called;
    /// `""` on SQLite.
    pub method: String,
    pub concurrently: bool,
    /// Storage parameters (`with`), in declaration order, under the keys as written.
    pub with: Vec<(String, OptionValue)>,
    pub where_clause: Option<String>,
    /// MySQL only: `.algorithm(...)` and `.lock(...)`.
    pub algorithm: Option<String>,
    pub lock: Option<String>,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexColumn {
    /// A column name, or the SQL of an expression.
    pub expression: String,
    pub is_expression: bool,
    pub asc: bool,
    /// Drizzle stores `nulls: 'last'` unless `.nullsFirst()` was called.
    pub nulls_first: bool,
    pub opclass: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub restrictive: bool,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// Role names, sorted.
    pub to: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    /// For standalone policies: the table they are on.
    pub on: Option<(Option<String>, String)>,
    pub origin: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub schema: Option<String>,
    pub name: String,
    pub materialized: bool,
    /// Explicit columns (`pgView(name, { ... })`), or for query-built views the table columns
    /// the query selects (lowered as columns of the view), as drizzle-kit snapshots them.
    pub columns: Vec<Column>,
    /// `None` for `.existing()` views.
    pub definition: Option<String>,
    pub existing: bool,
    /// `with` options as (snake_case key, value).
    pub with: Vec<(String, OptionValue)>,
    pub with_no_data: bool,
    pub tablespace: Option<String>,
    pub using: Option<String>,
    pub origin: Location,
}
