//! Drizzle's builder API as data.
//!
//! Each module a schema file can import from (`drizzle-orm`, `drizzle-orm/pg-core`, ...) is one
//! TOML file under `data/`. The file lists every export and what it is: a column builder with
//! the SQL type it makes, a table/index/constraint/entity builder, a SQL operator, or a
//! runtime-only helper. The compiler's evaluator reads these entries; it does not hard-code
//! builder names. Adding a column type is one entry here.
//!
//! The format is described in `spec/stdlib.md`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

mod type_template;

pub use type_template::{OptionValue, TypeTemplate, TypeTemplateError};

/// A SQL dialect schemac compiles for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgresql,
    Mysql,
    Sqlite,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }

    /// The drizzle-orm module that holds this dialect's builders.
    pub fn core_module(self) -> &'static str {
        match self {
            Dialect::Postgresql => "drizzle-orm/pg-core",
            Dialect::Mysql => "drizzle-orm/mysql-core",
            Dialect::Sqlite => "drizzle-orm/sqlite-core",
        }
    }

    /// Is a generated column without `{ mode }` stored? PostgreSQL has stored ones only;
    /// drizzle-orm's SQLite and MySQL builders default to virtual.
    pub fn generated_stored_by_default(self) -> bool {
        self == Dialect::Postgresql
    }

    /// Must a foreign key's columns have a type comparable with the referenced ones? SQLite
    /// accepts any pair (values are compared with type affinity).
    pub fn foreign_keys_need_comparable_types(self) -> bool {
        self != Dialect::Sqlite
    }

    /// Is `AUTOINCREMENT` allowed only on an `integer` primary key column? SQLite refuses it
    /// anywhere else ("AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY").
    pub fn auto_increment_needs_integer_key(self) -> bool {
        self == Dialect::Sqlite
    }

    /// Do a table's columns have `.asc()`, `.desc()`, `.nullsFirst()`, `.nullsLast()` and `.op()`
    /// for index definitions? Only pg-core's do; elsewhere drizzle-orm throws "is not a function".
    pub fn index_column_order(self) -> bool {
        self == Dialect::Postgresql
    }

    /// Is a column's `.unique()` a unique index (drizzle-kit's SQLite snapshot lists it with the
    /// indexes) rather than a unique constraint?
    pub fn column_unique_is_index(self) -> bool {
        self == Dialect::Sqlite
    }

    /// Does a generated expression name its columns with their table (`"t"."c"`)? drizzle-kit
    /// renders SQLite's like index expressions, with bare column names.
    pub fn generated_qualified(self) -> bool {
        self != Dialect::Sqlite
    }
}

/// A module's exports by name: looked up for every builder call of a schema, so hashed
/// (FxHash: short names) rather than ordered. Nothing may depend on their order: suggestions
/// break ties by name.
pub type Names<V> = std::collections::HashMap<String, V, rustc_hash::FxBuildHasher>;

/// One importable module.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub specifier: String,
    /// Set for a dialect's core module.
    pub dialect: Option<Dialect>,
    /// Non-column exports, by name.
    #[serde(default)]
    pub functions: Names<Function>,
    /// Column builders, by name.
    #[serde(default)]
    pub columns: Names<ColumnBuilder>,
    /// Methods on every column builder of this dialect, by name.
    #[serde(default)]
    pub modifiers: Names<Modifier>,
    /// SQL operators and helpers that build expressions (`eq`, `and`, `isNull`, ...).
    #[serde(default)]
    pub operators: Names<Operator>,
    /// Exports that exist at run time but make no SQL (`relations`, `alias`, types re-exported
    /// as values...). Using them in a place that makes SQL is an error.
    #[serde(default)]
    pub runtime_only: Vec<String>,
    /// Exports schemac knows but does not support yet, with what to do instead.
    #[serde(default)]
    pub unsupported: Names<String>,
}

/// What a non-column export builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Function {
    /// `pgTable(name, columns, extra?)`.
    Table,
    /// `pgTableCreator(fn)`.
    TableCreator,
    /// `pgSchema(name)`.
    Schema,
    /// `pgEnum(name, values)`.
    Enum,
    /// `pgSequence(name, options)`.
    Sequence,
    View,
    MaterializedView,
    Role,
    Policy,
    Index,
    UniqueIndex,
    PrimaryKey,
    ForeignKey,
    Unique,
    Check,
    /// `customType<...>({ dataType() { ... } })`.
    CustomType,
    /// The `sql` tagged template (with `.raw`, `.join`, `.identifier`, `.empty`).
    Sql,
    /// `drizzle-kit`'s `defineConfig`: returns its argument.
    Identity,
    /// `relations(table, cb)`: collected, no SQL effect.
    Relations,
    /// `getTableColumns(table)`: the table's columns as an object.
    GetTableColumns,
    /// `alias(table, name)` (`aliasedTable` in drizzle-orm): the table under another name in
    /// a query.
    Alias,
    /// `getTableName(table)`: the table's name.
    GetTableName,
    /// `getPgColumnBuilders()` (`drizzle-orm/pg-core/columns/all`, and the other dialects'):
    /// the dialect's column builders as an object.
    ColumnBuilders,
    /// `new QueryBuilder()`: the standalone query builder, the one `.as(qb => ...)` receives.
    QueryBuilder,
    /// `union(a, b, ...)`: the first query combined with the others (`union`).
    Union,
    /// `unionAll(a, b, ...)`.
    UnionAll,
    /// `intersect(a, b, ...)`.
    Intersect,
    /// `intersectAll(a, b, ...)`.
    IntersectAll,
    /// `except(a, b, ...)`.
    Except,
    /// `exceptAll(a, b, ...)`.
    ExceptAll,
}

impl Module {
    /// Whether drizzle-orm's module exports `name` (something schemac builds, or knows exists).
    pub fn has_export(&self, name: &str) -> bool {
        self.functions.contains_key(name)
            || self.columns.contains_key(name)
            || self.operators.contains_key(name)
            || self.runtime_only.iter().any(|n| n == name)
            || self.unsupported.contains_key(name)
    }

    /// The names it exports that build something (functions, column builders, operators),
    /// without those that exist only at run time.
    pub fn value_exports(&self) -> impl Iterator<Item = &str> {
        self.functions
            .keys()
            .chain(self.columns.keys())
            .chain(self.operators.keys())
            .map(String::as_str)
    }
}

impl Function {
    /// Whether it makes a schema entity drizzle-kit collects from the exports (a table, enum,
    /// view, ...).
    pub fn makes_entity(&self) -> bool {
        matches!(
            self,
            Function::Table
                | Function::Schema
                | Function::Enum
                | Function::Sequence
                | Function::View
                | Function::MaterializedView
                | Function::Role
                | Function::Policy
        )
    }
}

/// A column builder: the SQL type it makes and what it implies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnBuilder {
    /// The SQL type, as a template over the builder's options (see [`TypeTemplate`]).
    #[serde(rename = "type")]
    pub sql_type: TypeTemplate,
    /// Option keys the builder's config object takes (others are reported).
    #[serde(default)]
    pub options: Vec<String>,
    /// The builder makes a `NOT NULL` column by itself (serial types).
    #[serde(default)]
    pub not_null: bool,
    /// A condition over the options under which the builder is NOT NULL by itself (drizzle's
    /// `bigserial` is NOT NULL in number mode only), e.g. `"{?mode=number}"`.
    pub not_null_when: Option<TypeTemplate>,
    /// The column has a database-side default without a DEFAULT clause (serial types).
    #[serde(default)]
    pub implicit_default: bool,
    /// Which kind of values the type stores; decides how `.default(value)` is written.
    #[serde(default)]
    pub class: TypeClass,
    /// Builder-specific methods (e.g. `defaultNow`, `generatedAlwaysAsIdentity`).
    #[serde(default)]
    pub methods: BTreeMap<String, Modifier>,
    /// The largest value of the type, for identity columns.
    pub max_value: Option<String>,
    /// The largest value a size option may take, where the database refuses more (MySQL
    /// `char`'s `length`: 255).
    #[serde(default)]
    pub largest: BTreeMap<String, u64>,
    /// Options that must be given (e.g. `bigint`'s `mode`); a missing one is reported.
    #[serde(default)]
    pub required: Vec<String>,
    /// The column is auto-incremented by itself (MySQL's `serial`).
    #[serde(default)]
    pub auto_increment: bool,
    /// The builder takes a list of values after the optional name (`mysqlEnum(name?, values)`):
    /// the type template sees them as the option `values`, each quoted, comma-separated.
    #[serde(default)]
    pub value_list: bool,
    /// The values a string option may take (e.g. SQLite `integer`'s `mode`); another value is an
    /// error, since drizzle-orm would silently treat it as the default.
    #[serde(default)]
    pub values: BTreeMap<String, Vec<String>>,
    /// Type strings drizzle-orm writes shorter, as the database's default for the type (MySQL
    /// `decimal(10,0)` and `decimal(10)` are `decimal`), before any ` unsigned`.
    #[serde(default)]
    pub shorter: BTreeMap<String, String>,
}

impl ColumnBuilder {
    /// The SQL type for the builder's options: [`Self::sql_type`] rendered, then shortened as
    /// drizzle-orm shortens it ([`Self::shorter`]).
    pub fn render_type(
        &self,
        options: &BTreeMap<String, OptionValue>,
    ) -> Result<String, TypeTemplateError> {
        let t = self.sql_type.render(options)?;
        for (long, short) in &self.shorter {
            if let Some(rest) = t.strip_prefix(long.as_str())
                && (rest.is_empty() || rest.starts_with(' '))
            {
                return Ok(format!("{short}{rest}"));
            }
        }
        Ok(t)
    }
}

/// How values of a type are written as SQL literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeClass {
    #[default]
    Other,
    Number,
    Boolean,
    Text,
    Json,
    Jsonb,
    Date,
    Timestamp,
    Time,
    Binary,
}

/// What a method on a column builder does.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action", deny_unknown_fields)]
pub enum Modifier {
    NotNull,
    /// `.primaryKey(options?)`.
    PrimaryKey,
    /// `.default(value | sql)`.
    Default,
    /// A default with fixed SQL, e.g. `defaultNow()` → `now()`.
    DefaultSql {
        sql: String,
    },
    /// `.unique(name?, options?)`.
    Unique,
    /// `.references(() => col, actions?)`.
    References,
    /// `.generatedAlwaysAs(sql | value | () => sql, config?)`.
    Generated,
    /// `.generatedAlwaysAsIdentity(options?)` / `.generatedByDefaultAsIdentity(options?)`.
    Identity {
        always: bool,
    },
    /// `.array(size?)`.
    Array,
    /// `.autoincrement()` (mysql).
    AutoIncrement,
    /// `.onUpdateNow()` (mysql).
    OnUpdateNow,
    /// Has no SQL effect: `$type`, `$defaultFn`, `$onUpdate`, ...
    RuntimeOnly,
}

/// A SQL expression helper such as `eq(a, b)`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Operator {
    /// A template with `{0}`, `{1}`, ... for the arguments, e.g. `"{0} = {1}"`.
    Template(String),
    /// Joins every (defined) argument with `sep`, in parentheses when there is more than one.
    Join { join: String },
}

/// Every module schemac knows, loaded once.
#[derive(Debug)]
pub struct Library {
    modules: Vec<Module>,
}

/// The data files, as the build converted them from `data/*.toml` to JSON (`build.rs`).
const SOURCES: &[(&str, &str)] = &[
    (
        "drizzle-orm.toml",
        include_str!(concat!(env!("OUT_DIR"), "/drizzle-orm.json")),
    ),
    (
        "pg-core.toml",
        include_str!(concat!(env!("OUT_DIR"), "/pg-core.json")),
    ),
    (
        "mysql-core.toml",
        include_str!(concat!(env!("OUT_DIR"), "/mysql-core.json")),
    ),
    (
        "drizzle-kit.toml",
        include_str!(concat!(env!("OUT_DIR"), "/drizzle-kit.json")),
    ),
    (
        "sqlite-core.toml",
        include_str!(concat!(env!("OUT_DIR"), "/sqlite-core.json")),
    ),
];

impl ColumnBuilder {
    /// Does the builder make a NOT NULL column by itself, with these options?
    pub fn implies_not_null(&self, options: &BTreeMap<String, OptionValue>) -> bool {
        self.not_null
            || self
                .not_null_when
                .as_ref()
                .is_some_and(|c| c.render(options).is_ok())
    }
}

impl Library {
    /// The library built into this binary. The data files are checked by this crate's tests, so
    /// loading cannot fail at run time.
    pub fn get() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(|| Library::load().expect("stdlib data files are validated by tests"))
    }

    /// Parses every data file.
    pub fn load() -> Result<Library, String> {
        let mut modules = Vec::new();
        for (name, text) in SOURCES {
            let module: Module = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            modules.push(module);
        }
        Ok(Library { modules })
    }

    /// The module a specifier names. Paths inside a module's folder name the module: a
    /// dialect's files (`drizzle-orm/pg-core/table`, `drizzle-orm/pg-core/columns/integer.js`)
    /// export parts of its core module, `drizzle-orm/sql/sql.js` and the operator paths of older
    /// versions (`drizzle-orm/expressions`) parts of `drizzle-orm`.
    pub fn module(&self, specifier: &str) -> Option<&Module> {
        let path = specifier
            .strip_suffix(".js")
            .or_else(|| specifier.strip_suffix(".cjs"))
            .or_else(|| specifier.strip_suffix(".mjs"))
            .or_else(|| specifier.strip_suffix(".d.ts"))
            .unwrap_or(specifier);
        let path = path.strip_suffix("/index").unwrap_or(path);
        let canonical = match path.strip_prefix("drizzle-orm/") {
            Some(rest) => {
                let head = rest.split('/').next().unwrap_or(rest);
                match head {
                    "expressions" | "sql" | "index" => "drizzle-orm",
                    _ if head.ends_with("-core") => &path[..("drizzle-orm/".len() + head.len())],
                    _ => path,
                }
            }
            None => path,
        };
        self.modules.iter().find(|m| m.specifier == canonical)
    }

    /// The core module of a dialect.
    pub fn dialect(&self, dialect: Dialect) -> Option<&Module> {
        self.module(dialect.core_module())
    }

    pub fn modules(&self) -> &[Module] {
        &self.modules
    }
}

/// Modules schemac evaluates from its own TypeScript sources (see `modules/`): drizzle-orm modules
/// written with the builders (Supabase's and Neon's predefined roles, tables and policy helpers),
/// and small stand-ins for packages configs and schemas commonly read values through.
const PRELUDES: &[(&str, &str)] = &[
    (
        "drizzle-orm/supabase",
        include_str!("../modules/drizzle-orm/supabase.ts"),
    ),
    (
        "drizzle-orm/neon",
        include_str!("../modules/drizzle-orm/neon.ts"),
    ),
    // Env validation libraries that configs and schemas read settings through.
    ("@t3-oss/env-core", include_str!("../modules/t3-oss/env.ts")),
    (
        "@t3-oss/env-nextjs",
        include_str!("../modules/t3-oss/env.ts"),
    ),
    ("@t3-oss/env-nuxt", include_str!("../modules/t3-oss/env.ts")),
    // TypeScript's runtime helpers, called by code compiled with `importHelpers`.
    ("tslib", include_str!("../modules/tslib/tslib.ts")),
];

/// The TypeScript source of a prelude module, if `specifier` is one.
pub fn prelude(specifier: &str) -> Option<&'static str> {
    PRELUDES
        .iter()
        .find(|(s, _)| *s == specifier)
        .map(|(_, text)| *text)
}

/// Is `specifier` a module of drizzle-orm schemac has no data for (e.g. `drizzle-orm/gel-core`)?
pub fn is_drizzle_specifier(specifier: &str) -> bool {
    specifier == "drizzle-orm"
        || specifier.starts_with("drizzle-orm/")
        || specifier == "drizzle-kit"
}

/// The first segment of every subpath drizzle-orm exports (`drizzle-orm/<segment>[/...]`), in
/// 0.45 and in its 1.0 betas: an import of any other (`drizzle-orm/mysql`) fails in Node
/// (`ERR_PACKAGE_PATH_NOT_EXPORTED`).
const DRIZZLE_ORM_SUBPATHS: &[&str] = &[
    "alias",
    "arktype",
    "aws-data-api",
    "batch",
    "better-sqlite3",
    "bun-sql",
    "bun-sqlite",
    "cache",
    "casing",
    "cockroach",
    "cockroach-core",
    "column",
    "column-builder",
    "d1",
    "durable-sqlite",
    "effect-postgres",
    "effect-schema",
    "entity",
    "errors",
    "expo-sqlite",
    "expressions",
    "gel",
    "gel-core",
    "knex",
    "kysely",
    "libsql",
    "logger",
    "migrator",
    "mssql-core",
    "mysql-core",
    "mysql-proxy",
    "mysql2",
    "neon",
    "neon-http",
    "neon-serverless",
    "netlify-db",
    "node-mssql",
    "node-postgres",
    "op-sqlite",
    "operations",
    "pg-core",
    "pg-proxy",
    "pglite",
    "planetscale-serverless",
    "postgres-js",
    "primary-key",
    "prisma",
    "query-builders",
    "query-promise",
    "relations",
    "runnable-query",
    "selection-proxy",
    "session",
    "singlestore",
    "singlestore-core",
    "singlestore-proxy",
    "sql",
    "sql-js",
    "sqlite-cloud",
    "sqlite-core",
    "sqlite-proxy",
    "subquery",
    "supabase",
    "table",
    "table.utils",
    "tidb-serverless",
    "tracing",
    "tracing-utils",
    "tursodatabase",
    "typebox",
    "utils",
    "valibot",
    "vercel-postgres",
    "version",
    "view-common",
    "xata-http",
    "zod",
];

/// For a `drizzle-orm/<x>` specifier drizzle-orm does not export: the module it most likely
/// meant (`drizzle-orm/mysql` → `drizzle-orm/mysql-core`), or `Some(None)` when none is close.
/// `None` for the package itself and its real subpaths.
pub fn unknown_drizzle_orm_module(specifier: &str) -> Option<Option<String>> {
    let rest = specifier.strip_prefix("drizzle-orm/")?;
    let first = rest.split('/').next().unwrap_or(rest);
    if DRIZZLE_ORM_SUBPATHS.contains(&first) {
        return None;
    }
    let core = format!("{first}-core");
    // The builder modules' names for their databases as people say them (`postgres-core`).
    let named = match first.strip_suffix("-core").unwrap_or(first) {
        "postgres" | "postgresql" | "pg" => Some("pg-core"),
        "mysql" | "mariadb" | "planetscale" => Some("mysql-core"),
        "sqlite" | "sqlite3" | "libsql" | "turso" | "d1" => Some("sqlite-core"),
        _ => None,
    };
    let meant = if DRIZZLE_ORM_SUBPATHS.contains(&core.as_str()) {
        Some(core)
    } else if first.ends_with("-core")
        && let Some(n) = named
    {
        Some(n.to_string())
    } else {
        DRIZZLE_ORM_SUBPATHS
            .iter()
            .map(|s| (strsim::jaro_winkler(first, s), *s))
            .filter(|(score, _)| *score >= 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s.to_string())
    };
    Some(meant.map(|m| format!("drizzle-orm/{m}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// drizzle-orm writes MySQL's default decimal size as plain `decimal`.
    #[test]
    fn mysql_decimal_of_the_default_size_is_plain() {
        let lib = Library::load().unwrap();
        let dec = &lib.dialect(Dialect::Mysql).unwrap().columns["decimal"];
        let render = |p: f64, s: Option<f64>, unsigned: bool| {
            let mut o = BTreeMap::new();
            o.insert("precision".to_string(), OptionValue::Number(p));
            if let Some(s) = s {
                o.insert("scale".to_string(), OptionValue::Number(s));
            }
            if unsigned {
                o.insert("unsigned".to_string(), OptionValue::Bool(true));
            }
            dec.render_type(&o).unwrap()
        };
        assert_eq!(render(10.0, None, false), "decimal");
        assert_eq!(render(10.0, Some(0.0), true), "decimal unsigned");
        assert_eq!(render(10.0, Some(2.0), false), "decimal(10,2)");
        assert_eq!(render(12.0, None, false), "decimal(12)");
    }

    #[test]
    fn unknown_drizzle_orm_modules_and_what_they_meant() {
        assert_eq!(unknown_drizzle_orm_module("drizzle-orm"), None);
        assert_eq!(unknown_drizzle_orm_module("drizzle-orm/pg-core"), None);
        assert_eq!(
            unknown_drizzle_orm_module("drizzle-orm/pg-core/columns/all"),
            None
        );
        assert_eq!(
            unknown_drizzle_orm_module("drizzle-orm/mysql"),
            Some(Some("drizzle-orm/mysql-core".into()))
        );
        assert_eq!(
            unknown_drizzle_orm_module("drizzle-orm/mysql-cor"),
            Some(Some("drizzle-orm/mysql-core".into()))
        );
        assert_eq!(unknown_drizzle_orm_module("drizzle-orm/zzzzzz"), Some(None));
        // A builder module named after its database: not the driver of a similar name.
        assert_eq!(
            unknown_drizzle_orm_module("drizzle-orm/postgres-core"),
            Some(Some("drizzle-orm/pg-core".into()))
        );
        assert_eq!(
            unknown_drizzle_orm_module("drizzle-orm/libsql-core"),
            Some(Some("drizzle-orm/sqlite-core".into()))
        );
    }

    #[test]
    fn paths_inside_a_module_name_it() {
        let lib = Library::load().unwrap();
        for (path, module) in [
            ("drizzle-orm/pg-core/table", "drizzle-orm/pg-core"),
            (
                "drizzle-orm/pg-core/columns/integer.js",
                "drizzle-orm/pg-core",
            ),
            ("drizzle-orm/pg-core/index.js", "drizzle-orm/pg-core"),
            ("drizzle-orm/sqlite-core/index", "drizzle-orm/sqlite-core"),
            ("drizzle-orm/mysql-core", "drizzle-orm/mysql-core"),
            ("drizzle-orm/sql/sql.js", "drizzle-orm"),
            ("drizzle-orm/expressions", "drizzle-orm"),
            ("drizzle-orm", "drizzle-orm"),
        ] {
            assert_eq!(
                lib.module(path).map(|m| m.specifier.as_str()),
                Some(module),
                "{path}"
            );
        }
        assert!(lib.module("drizzle-orm/gel-core/table").is_none());
    }

    #[test]
    fn every_data_file_loads() {
        let lib = Library::load().unwrap();
        assert!(lib.dialect(Dialect::Postgresql).is_some());
        assert!(lib.dialect(Dialect::Mysql).is_some());
        assert!(lib.dialect(Dialect::Sqlite).is_some());
        assert!(lib.module("drizzle-orm").is_some());
    }

    /// Every option value list names an option the builder takes, so no list is dead.
    #[test]
    fn option_value_lists_name_taken_options() {
        let lib = Library::load().unwrap();
        for m in lib.modules() {
            for (name, c) in &m.columns {
                for key in c.values.keys() {
                    assert!(
                        c.options.contains(key),
                        "{}: {name}.values.{key}",
                        m.specifier
                    );
                }
            }
        }
    }

    #[test]
    fn sqlite_text_takes_its_length() {
        let lib = Library::load().unwrap();
        let text = &lib.dialect(Dialect::Sqlite).unwrap().columns["text"];
        let mut options = BTreeMap::new();
        assert_eq!(text.sql_type.render(&options).unwrap(), "text");
        options.insert("length".to_string(), OptionValue::Number(255.0));
        assert_eq!(text.sql_type.render(&options).unwrap(), "text(255)");
        // drizzle-orm tests the length for truth: 0 shows nothing.
        options.insert("length".to_string(), OptionValue::Number(0.0));
        assert_eq!(text.sql_type.render(&options).unwrap(), "text");
    }

    #[test]
    fn type_templates_render_or_name_the_missing_option() {
        let lib = Library::load().unwrap();
        for m in lib.modules() {
            for (name, col) in &m.columns {
                match col.sql_type.render(&BTreeMap::new()) {
                    Ok(t) => assert!(!t.is_empty(), "{}: {name}", m.specifier),
                    Err(TypeTemplateError::Missing(opt)) => {
                        let listed = col.value_list && opt == "values";
                        assert!(
                            listed || col.options.contains(&opt),
                            "{}: {name}: {opt}",
                            m.specifier
                        )
                    }
                    Err(e) => panic!("{}: {name}: {e}", m.specifier),
                }
            }
        }
    }
}
