//! The semantic checks. Each one states a rule PostgreSQL (or drizzle-kit) enforces later, and
//! reports it now, at the schema source, with both locations where two places disagree.

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::{Diagnostic, Location, codes};
use crate::schema::{Column, DefaultValue, Dialect, Schema, Table};

/// Names that share a namespace must be unique in it: relations (tables, views, sequences,
/// indexes, and the indexes behind primary keys and unique constraints) per database schema;
/// columns, constraints and policies per table; enums per schema; roles globally.
pub fn duplicate_names(schema: &Schema, out: &mut Vec<Diagnostic>) {
    // Every table, view and sequence, and per table about three indexes and keys: sized once.
    let relations_count = schema.tables.len() * 4 + schema.views.len() + schema.sequences.len();
    let mut relations = Namespace {
        names: HashMap::with_capacity_and_hasher(relations_count, Default::default()),
        postgres: schema.dialect == Dialect::Postgresql,
        shared_by: match schema.dialect {
            Dialect::Postgresql => {
                "tables, views, sequences, indexes, primary keys and unique constraints share one namespace per schema"
            }
            Dialect::Mysql => "tables and views share one namespace in a MySQL database",
            Dialect::Sqlite => {
                "tables, views and indexes (unique constraints are unique indexes) share one namespace in a SQLite database"
            }
        },
        ..Namespace::default()
    };
    let tables: Vec<&Table> = schema.tables.iter().collect();
    for t in &tables {
        relations.claim(out, t.schema.as_deref(), &t.name, "table", &t.origin);
    }
    for v in &schema.views {
        relations.claim(
            out,
            v.schema.as_deref(),
            &v.name,
            if v.materialized {
                "materialized view"
            } else {
                "view"
            },
            &v.origin,
        );
    }
    for s in &schema.sequences {
        relations.claim(out, s.schema.as_deref(), &s.name, "sequence", &s.origin);
    }
    for t in &tables {
        // MySQL names indexes (unique keys among them) per table, and every primary key
        // `PRIMARY`; PostgreSQL and SQLite name indexes beside tables (SQLite's primary keys are
        // not named objects).
        let mut own = Namespace {
            table: Some(t),
            ..Namespace::default()
        };
        let (keys, ns) = match schema.dialect {
            Dialect::Mysql => (&mut own, None),
            _ => (&mut relations, t.schema.as_deref()),
        };
        for i in &t.indexes {
            keys.claim(out, ns, &i.name, "index", &i.origin);
        }
        if let Some(pk) = &t.primary_key
            && schema.dialect == Dialect::Postgresql
        {
            keys.claim(out, ns, &pk.name, "primary key", &pk.origin);
        }
        for u in &t.uniques {
            keys.claim(out, ns, &u.name, "unique constraint", &u.origin);
        }
    }
    // MySQL (InnoDB) names foreign keys per database, not per table.
    if schema.dialect == Dialect::Mysql {
        let mut fks: HashMap<&str, (&Table, &Location)> = HashMap::default();
        for t in &tables {
            for f in &t.foreign_keys {
                match fks.get(f.name.as_str()) {
                    Some((other, prev)) if other.name != t.name => out.push(
                        Diagnostic::error(
                            codes::DUPLICATE_NAME,
                            format!(
                                "tables `{}` and `{}` both have a foreign key named `{}`",
                                other.display_name(),
                                t.display_name(),
                                f.name
                            ),
                        )
                        .with_location(&f.origin, "this foreign key")
                        .with_location(prev, "the first one")
                        .with_note("MySQL and MariaDB name foreign keys per database")
                        .with_help("give one of them another name (`foreignKey({ name, ... })`)"),
                    ),
                    Some(_) => {}
                    None => {
                        fks.insert(&f.name, (t, &f.origin));
                    }
                }
            }
        }
    }
    for t in &tables {
        let mut cols: HashMap<&str, &Column> =
            HashMap::with_capacity_and_hasher(t.columns.len(), Default::default());
        for c in &t.columns {
            if let Some(prev) = cols.insert(&c.name, c) {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_NAME,
                        format!(
                            "table `{}` has two columns named `{}`",
                            t.display_name(),
                            c.name
                        ),
                    )
                    .with_location(&c.origin, "this column")
                    .with_location(&prev.origin, "the first one")
                    .with_help(
                        "two keys map to the same column name (check explicit names and `casing`)",
                    ),
                );
            }
        }
        let mut constraints: HashMap<&str, &Location> = HashMap::default();
        let named = t
            .foreign_keys
            .iter()
            .map(|f| (f.name.as_str(), &f.origin))
            .chain(t.checks.iter().map(|c| (c.name.as_str(), &c.origin)));
        for (name, loc) in named {
            if let Some(prev) = constraints.insert(name, loc) {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_NAME,
                        format!(
                            "table `{}` has two constraints named `{name}`",
                            t.display_name()
                        ),
                    )
                    .with_location(loc, "this constraint")
                    .with_location(prev, "the first one")
                    .with_help("give one of them another name"),
                );
            }
        }
        let mut policies: HashMap<&str, &Location> = HashMap::default();
        for p in &t.policies {
            if let Some(prev) = policies.insert(&p.name, &p.origin) {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_NAME,
                        format!(
                            "table `{}` has two policies named `{}`",
                            t.display_name(),
                            p.name
                        ),
                    )
                    .with_location(&p.origin, "this policy")
                    .with_location(prev, "the first one"),
                );
            }
        }
        if t.columns.is_empty() {
            out.push(
                Diagnostic::error(
                    codes::EMPTY_TABLE,
                    format!("table `{}` has no columns", t.display_name()),
                )
                .with_location(&t.origin, "this table"),
            );
        }
    }
    // Enums of one name are one by the time they get here: lowering keeps the last (W5013).
    let mut roles: HashMap<&str, &Location> = HashMap::default();
    for r in &schema.roles {
        if let Some(prev) = roles.insert(&r.name, &r.origin) {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    format!("two roles are named `{}`", r.name),
                )
                .with_location(&r.origin, "this role")
                .with_location(prev, "the first one"),
            );
        }
    }
}

/// One namespace of relation names: per database schema, or (MySQL's indexes) per table.
#[derive(Default)]
struct Namespace<'s> {
    names: HashMap<(Option<&'s str>, &'s str), (&'static str, &'s Location)>,
    /// The table whose indexes this namespace holds, when it is one table's.
    table: Option<&'s Table>,
    /// PostgreSQL compares names cut to 63 bytes.
    postgres: bool,
    /// What shares the namespace, for the note (one table's namespace, MySQL's indexes, has its
    /// own).
    shared_by: &'static str,
}

impl<'s> Namespace<'s> {
    fn claim(
        &mut self,
        out: &mut Vec<Diagnostic>,
        ns: Option<&'s str>,
        name: &'s str,
        kind: &'static str,
        loc: &'s Location,
    ) {
        // PostgreSQL compares names after cutting them to 63 bytes.
        let name = if self.postgres {
            truncate_identifier(name, 63)
        } else {
            name
        };
        match self.names.get(&(ns, name)) {
            Some((other_kind, other)) => out.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    match self.table {
                        Some(t) => format!(
                            "table `{}` has two indexes named `{name}`",
                            t.display_name()
                        ),
                        None if self.postgres => format!(
                            "the name `{name}` is used by two objects in schema `{}`",
                            ns.unwrap_or("public")
                        ),
                        None => format!("the name `{name}` is used by two objects"),
                    },
                )
                .with_location(loc, format!("this {kind}"))
                .with_location(other, format!("the {other_kind} already named `{name}`"))
                .with_note(match self.table {
                    Some(_) => "a MySQL table's indexes and unique keys share one namespace",
                    None => self.shared_by,
                })
                .with_help("rename one of them"),
            ),
            None => {
                self.names.insert((ns, name), (kind, loc));
            }
        }
    }
}

/// The comparison family of a column type for foreign keys: PostgreSQL accepts a foreign key
/// between two columns only when their types can be compared by the referenced key's index.
/// `None` for types schemac does not classify (custom types), which are not checked.
fn type_family(c: &Column) -> Option<String> {
    if let Some(schema) = &c.enum_schema {
        return Some(format!("enum {schema}.{}", c.sql_type));
    }
    let t = c.sql_type.to_lowercase();
    let (base, arrays) = match t.find('[') {
        Some(i) => (t[..i].trim().to_string(), t[i..].matches('[').count()),
        None => (t.clone(), 0),
    };
    let family = match type_head(&base) {
        "smallint" | "integer" | "bigint" | "serial" | "smallserial" | "bigserial" | "int"
        | "int2" | "int4" | "int8" => "integer",
        "numeric" | "decimal" => "numeric",
        "real" | "double" | "float4" | "float8" => "float",
        "text" | "varchar" | "char" | "character" => "text",
        "uuid" => "uuid",
        "boolean" | "bool" => "boolean",
        "date" | "timestamp" => "datetime",
        "time" => "time",
        "interval" => "interval",
        "jsonb" => "jsonb",
        "json" => "json",
        "inet" | "cidr" => "network",
        "macaddr" => "macaddr",
        "macaddr8" => "macaddr8",
        "bytea" => "bytea",
        _ => return None,
    };
    Some(format!("{family}{}", "[]".repeat(arrays)))
}

/// The first word of a column's SQL type, before any size, array suffix or modifier:
/// `varchar(20)` → `varchar`, `double precision` → `double`, `integer[]` → `integer`.
fn type_head(sql_type: &str) -> &str {
    sql_type.split(['(', ' ', '[']).next().unwrap_or("")
}

/// A MySQL integer type as (size, unsigned): `serial` is `bigint unsigned`; display widths are
/// ignored. `None` for other types.
fn mysql_integer(sql_type: &str) -> Option<(&'static str, bool)> {
    let t = sql_type.to_ascii_lowercase();
    let size = match type_head(&t) {
        "tinyint" => "tinyint",
        "smallint" => "smallint",
        "mediumint" => "mediumint",
        "int" | "integer" => "int",
        "bigint" => "bigint",
        "serial" => return Some(("bigint", true)),
        _ => return None,
    };
    Some((size, t.split_whitespace().any(|w| w == "unsigned")))
}

/// Foreign keys must point at an existing table and columns, at columns of a comparable type,
/// and at a primary key or unique constraint.
pub fn foreign_keys(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let tables: HashMap<(Option<&str>, &str), &Table> = schema
        .tables
        .iter()
        .map(|t| ((t.schema.as_deref(), t.name.as_str()), t))
        .collect();
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            // References to tables outside the schema are reported by lowering (W5009).
            let Some(&target) = tables.get(&(fk.ref_schema.as_deref(), fk.ref_table.as_str()))
            else {
                continue;
            };
            let mut ok = true;
            for (from, to) in fk.columns.iter().zip(&fk.ref_columns) {
                let (Some(fc), Some(tc)) = (t.column(from), target.column(to)) else {
                    ok = false;
                    continue;
                };
                let mysql = schema.dialect == Dialect::Mysql;
                let incomparable = schema.dialect.foreign_keys_need_comparable_types()
                    && matches!((type_family(fc), type_family(tc)), (Some(a), Some(b)) if a != b);
                // MySQL also wants integer keys of the same size and sign.
                let other_integer = mysql
                    && matches!(
                        (mysql_integer(&fc.sql_type), mysql_integer(&tc.sql_type)),
                        (Some(a), Some(b)) if a != b
                    );
                if incomparable || other_integer {
                    ok = false;
                    out.push(
                        Diagnostic::error(
                            codes::FK_TYPE_MISMATCH,
                            format!(
                                "foreign key `{}`: column `{}.{from}` is `{}` but the referenced `{}.{to}` is `{}`",
                                fk.name,
                                t.name,
                                fc.sql_type,
                                target.name,
                                tc.sql_type
                            ),
                        )
                        .with_location(&fk.origin, "this reference")
                        .with_location(&fc.origin, format!("`{from}` is {}", fc.sql_type))
                        .with_location(&tc.origin, format!("`{to}` is {}", tc.sql_type))
                        .with_help(if mysql && tc.sql_type == "serial" {
                            // Not `serial` too: a second auto-incremented column.
                            format!(
                                "MySQL refuses foreign keys between columns of different types: `serial` is `bigint unsigned` (auto-incremented), so declare `{from}` as `bigint('{from}', {{ mode: 'number', unsigned: true }})`"
                            )
                        } else if mysql {
                            "MySQL refuses foreign keys between columns of different types (integers of another size or sign included): give both columns the same type".to_string()
                        } else {
                            "PostgreSQL refuses foreign keys between incomparable types: give both columns the same type".to_string()
                        }),
                    );
                }
            }
            if ok && !is_unique_key(target, &fk.ref_columns) {
                out.push(
                    Diagnostic::error(
                        codes::UNKNOWN_REFERENCE,
                        format!(
                            "foreign key `{}` references ({}) of `{}`, which is neither a primary key nor unique",
                            fk.name,
                            fk.ref_columns.join(", "),
                            target.display_name()
                        ),
                    )
                    .with_location(&fk.origin, "this reference")
                    .with_location(&target.origin, "the referenced table")
                    .with_help("reference the primary key, or add `.unique()` (or a unique constraint on these columns)"),
                );
            }
        }
    }
}

/// Is this set of columns a primary key or covered exactly by a unique constraint or a plain
/// (non-partial, non-expression) unique index?
fn is_unique_key(t: &Table, cols: &[String]) -> bool {
    let same = |a: &[String]| {
        let mut x: Vec<&str> = a.iter().map(String::as_str).collect();
        let mut y: Vec<&str> = cols.iter().map(String::as_str).collect();
        x.sort();
        y.sort();
        x == y
    };
    if cols.len() == 1 && t.column(&cols[0]).is_some_and(|c| c.primary_key) {
        return true;
    }
    if t.primary_key.as_ref().is_some_and(|pk| same(&pk.columns)) {
        return true;
    }
    if t.uniques.iter().any(|u| same(&u.columns)) {
        return true;
    }
    t.indexes.iter().any(|i| {
        i.unique
            && i.where_clause.is_none()
            && i.columns.iter().all(|c| !c.is_expression)
            && same(
                &i.columns
                    .iter()
                    .map(|c| c.expression.clone())
                    .collect::<Vec<_>>(),
            )
    })
}

/// The values of a MySQL `enum('a','b')` type (quotes doubled inside).
fn mysql_enum_values(sql_type: &str) -> Option<Vec<String>> {
    let inner = sql_type.strip_prefix("enum(")?.strip_suffix(')')?;
    let mut values = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut v = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    v.push('\'');
                } else {
                    break;
                }
            } else {
                v.push(c);
            }
        }
        values.push(v);
    }
    Some(values)
}

/// An enum column's default must be one of the enum's values (MySQL refuses the table: "Invalid
/// default value"; PostgreSQL the default).
pub fn enum_defaults(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for t in &schema.tables {
        for c in &t.columns {
            if schema.dialect == Dialect::Mysql
                && let (Some(values), Some(DefaultValue::Sql(d))) =
                    (mysql_enum_values(&c.sql_type), &c.default)
                && let Some(value) = d.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))
            {
                let value = value.replace("''", "'");
                if !values.contains(&value) {
                    out.push(
                        Diagnostic::error(
                            codes::ENUM_DEFAULT,
                            format!(
                                "`{value}` is not a value of the enum of `{}.{}`",
                                t.name, c.name
                            ),
                        )
                        .with_location(&c.origin, "this column")
                        .with_note(format!("its values are: {}", values.join(", ")))
                        .with_help("use one of the enum's values, or add this one to the enum"),
                    );
                }
                continue;
            }
            let (Some(es), Some(DefaultValue::Sql(d))) = (&c.enum_schema, &c.default) else {
                continue;
            };
            if c.sql_type.contains('[') {
                continue;
            }
            let Some(e) = schema
                .enums
                .iter()
                .find(|e| e.name == c.sql_type && e.schema.as_deref().unwrap_or("public") == es)
            else {
                continue;
            };
            let Some(value) = d.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) else {
                continue;
            };
            let value = value.replace("''", "'");
            if !e.values.contains(&value) {
                out.push(
                    Diagnostic::error(
                        codes::ENUM_DEFAULT,
                        format!("`{value}` is not a value of enum `{}`", e.name),
                    )
                    .with_location(&c.origin, format!("the default of `{}.{}`", t.name, c.name))
                    .with_location(&e.origin, "the enum is defined here")
                    .with_note(format!("its values are: {}", e.values.join(", ")))
                    .with_help("use one of the enum's values, or add this one to the enum"),
                );
            }
        }
    }
}

/// A default the column's type cannot take, or one that is text where a call was meant: W5017.
/// drizzle-kit writes them as given; the database refuses most of them when the table is
/// created (`DEFAULT 'abc'` on an integer), and takes `'now()'` on a timestamp as the time of
/// the `CREATE TABLE`, frozen. Warnings, not errors: a custom type's name may say less than it
/// seems. SQLite (which stores any value in any column) is only checked for calls written as text.
pub fn default_types(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let pg = schema.dialect == Dialect::Postgresql;
    for t in &schema.tables {
        for c in &t.columns {
            let Some(default) = &c.default else { continue };
            if c.is_enum() || c.sql_type.contains('[') {
                continue;
            }
            // drizzle's builders write their types in lower case.
            let family = type_family_of(type_head(&c.sql_type));
            let text = match default {
                DefaultValue::Sql(d) => d
                    .strip_prefix('\'')
                    .and_then(|v| v.strip_suffix('\''))
                    .filter(|v| !v.contains('\''))
                    .map(str::to_string),
                _ => None,
            };
            let problem = match (default, &text) {
                // PostgreSQL reads `'now'` once, when the table is created: frozen.
                (_, Some(v))
                    if pg
                        && family == Family::Time
                        && matches!(
                            v.trim().to_ascii_lowercase().as_str(),
                            "now" | "today" | "tomorrow" | "yesterday"
                        ) =>
                {
                    Some((
                        format!("is the text '{v}', which PostgreSQL reads once, when the table is created"),
                        "to default to the time of each insert, write `.defaultNow()` or `.default(sql`now()`)`".to_string(),
                    ))
                }
                // SQLite's `CURRENT_TIMESTAMP` is text (`2024-01-01 10:00:00`): in an integer
                // column drizzle reads it as an invalid date.
                (DefaultValue::Sql(d), _)
                    if schema.dialect == Dialect::Sqlite
                        && family == Family::Integer
                        && matches!(
                            d.trim_matches(['(', ')', ' ']).to_ascii_uppercase().as_str(),
                            "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME"
                        ) =>
                {
                    Some((
                        format!("is {d}, a text, in an integer column (drizzle reads it as an invalid date)"),
                        "for seconds since 1970, as `integer({ mode: 'timestamp' })` holds them, write `.default(sql`(unixepoch())`)`".to_string(),
                    ))
                }
                (_, Some(v)) if family != Family::Text && looks_like_call(v) => Some((
                    format!("is the text '{v}', not a call to `{v}`"),
                    match (family, v.to_ascii_lowercase().as_str()) {
                        (Family::Time, "now()" | "current_timestamp") => {
                            "to default to the time of each insert, write `.defaultNow()` or `.default(sql`now()`)`".to_string()
                        }
                        (Family::Uuid, _) => {
                            "for a random uuid per row, write `.defaultRandom()` (or `.default(sql`...`)` with the call)".to_string()
                        }
                        // SQLite has no `now()`; its clock is `CURRENT_TIMESTAMP` (text) or
                        // `unixepoch()` (seconds, what `integer({ mode: 'timestamp' })` holds).
                        _ if schema.dialect == Dialect::Sqlite => "write the SQL as SQL: `.default(sql`(unixepoch())`)` for an integer timestamp, `.default(sql`(CURRENT_TIMESTAMP)`)` for text".to_string(),
                        _ => format!("write the SQL as SQL: `.default(sql`{v}`)`"),
                    },
                )),
                _ if schema.dialect == Dialect::Sqlite => None,
                (_, Some(v)) if family == Family::Integer && v.trim().parse::<i128>().is_err() => {
                    Some((format!("is '{v}', not an integer"), "give a number: `.default(0)`".to_string()))
                }
                (_, Some(v)) if family == Family::Number && v.trim().parse::<f64>().is_err() => {
                    Some((format!("is '{v}', not a number"), "give a number: `.default('0')`".to_string()))
                }
                (_, Some(v)) if pg && family == Family::Uuid && !is_uuid_text(v) => {
                    Some((format!("is '{v}', not a uuid"), "give a uuid, or `.defaultRandom()`".to_string()))
                }
                (DefaultValue::Number(n), _) if pg && family == Family::Bool => Some((
                    format!("is the number {n}, which a boolean column does not take"),
                    "give `true` or `false`".to_string(),
                )),
                (DefaultValue::Bool(b), _)
                    if pg && matches!(family, Family::Integer | Family::Number) =>
                {
                    Some((
                        format!("is the boolean {b}, which a number column does not take"),
                        "give a number".to_string(),
                    ))
                }
                _ => None,
            };
            if let Some((what, help)) = problem {
                out.push(
                    Diagnostic::warning(
                        codes::DEFAULT_TYPE,
                        format!(
                            "the default of `{}.{}` ({}) {what}",
                            t.name, c.name, c.sql_type
                        ),
                    )
                    .with_location(&c.origin, "this column")
                    .with_help(help),
                );
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Text,
    Integer,
    Number,
    Bool,
    Time,
    Uuid,
    Other,
}

fn type_family_of(base: &str) -> Family {
    match base {
        "text" | "varchar" | "char" | "character" | "citext" | "tinytext" | "mediumtext"
        | "longtext" | "json" | "jsonb" | "blob" | "bytea" | "binary" | "varbinary" | "enum"
        | "set" => Family::Text,
        "integer" | "int" | "smallint" | "bigint" | "tinyint" | "mediumint" | "int2" | "int4"
        | "int8" | "serial" | "smallserial" | "bigserial" => Family::Integer,
        "numeric" | "decimal" | "real" | "double" | "float" | "float4" | "float8" => Family::Number,
        "boolean" | "bool" => Family::Bool,
        "uuid" => Family::Uuid,
        "date" | "datetime" | "interval" => Family::Time,
        // `time`, `timestamp`, `timestamptz`, `timetz`.
        b if b.starts_with("time") => Family::Time,
        _ => Family::Other,
    }
}

/// A uuid as PostgreSQL reads it: 32 hex digits, optionally in braces, hyphens after any group
/// of four.
fn is_uuid_text(v: &str) -> bool {
    let v = v.trim();
    let v = v
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(v);
    let digits = v.chars().filter(char::is_ascii_hexdigit).count();
    digits == 32 && v.chars().all(|ch| ch.is_ascii_hexdigit() || ch == '-') && !v.starts_with('-')
}

/// Defaults frozen at `CREATE TABLE` (PostgreSQL's `'now'`) and SQLite's text clock in an
/// integer column are W5017; the right forms are not.
#[cfg(test)]
#[test]
fn frozen_and_text_clock_defaults_warn() {
    use crate::schema::testing::{col, table};
    let warned = |dialect: Dialect, ty: &str, default: &str| {
        let mut c = col("c", ty);
        c.default = Some(DefaultValue::Sql(default.into()));
        let mut s = Schema::empty(dialect);
        s.tables = vec![table("t", vec![c])];
        let mut out = Vec::new();
        default_types(&s, &mut out);
        out.iter().any(|d| d.code == codes::DEFAULT_TYPE)
    };
    assert!(warned(Dialect::Postgresql, "timestamp", "'now'"));
    assert!(warned(Dialect::Postgresql, "date", "'today'"));
    assert!(!warned(Dialect::Postgresql, "timestamp", "now()"));
    assert!(!warned(Dialect::Postgresql, "text", "'now'"));
    assert!(warned(Dialect::Sqlite, "integer", "(CURRENT_TIMESTAMP)"));
    assert!(!warned(Dialect::Sqlite, "integer", "(unixepoch())"));
    assert!(!warned(Dialect::Sqlite, "text", "(CURRENT_TIMESTAMP)"));
}

#[cfg(test)]
#[test]
fn uuid_texts_as_postgres_reads_them() {
    assert!(is_uuid_text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    assert!(is_uuid_text("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"));
    assert!(is_uuid_text("a0eebc999c0b4ef8bb6d6bb9bd380a11"));
    assert!(is_uuid_text("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"));
    assert!(!is_uuid_text("gen_random_uuid()"));
    assert!(!is_uuid_text("a0eebc99"));
}

/// `now()`, `gen_random_uuid()`, `CURRENT_TIMESTAMP`: SQL a default was meant to run.
fn looks_like_call(v: &str) -> bool {
    let v = v.trim();
    let upper = v.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME" | "LOCALTIMESTAMP"
    ) {
        return true;
    }
    let Some(open) = v.find('(') else {
        return false;
    };
    let name = &v[..open];
    !name.is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.')
        && name
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphabetic() || ch == '_')
        && v.ends_with(')')
}

/// An identifier as PostgreSQL stores it: cut to `limit` bytes at a character boundary.
pub fn truncate_identifier(name: &str, limit: usize) -> &str {
    if name.len() <= limit {
        return name;
    }
    let mut end = limit;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// PostgreSQL truncates identifiers to 63 bytes, silently: two long names can collide, and the
/// name in the database no longer matches the schema (so every diff would see a change).
pub fn identifier_lengths(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let limit = match schema.dialect {
        Dialect::Postgresql => 63,
        Dialect::Mysql => 64,
        Dialect::Sqlite => return,
    };
    let mut check = |kind: &str, name: &str, loc: &Location| {
        if schema.dialect == Dialect::Mysql {
            if let Some(d) = mysql_identifier_length(kind, name, loc) {
                out.push(d);
            }
            return;
        }
        if name.len() > limit {
            let cut = truncate_identifier(name, limit);
            out.push(
                Diagnostic::warning(
                    codes::NAME_TOO_LONG,
                    format!(
                        "the {kind} name `{name}` is {} bytes long; the limit is {limit}",
                        name.len()
                    ),
                )
                .with_location(loc, format!("this {kind}"))
                .with_note(format!(
                    "the database will call it `{cut}`: migrations still work, but the names in the schema and in the database differ"
                ))
                .with_help(format!("give the {kind} a shorter name")),
            );
        }
    };
    for s in &schema.schemas {
        check("schema", &s.name, &s.origin);
    }
    for e in &schema.enums {
        check("enum", &e.name, &e.origin);
    }
    for s in &schema.sequences {
        check("sequence", &s.name, &s.origin);
    }
    for v in &schema.views {
        check("view", &v.name, &v.origin);
    }
    for t in &schema.tables {
        check("table", &t.name, &t.origin);
        for c in &t.columns {
            check("column", &c.name, &c.origin);
            if let Some(i) = &c.identity {
                check("identity sequence", &i.sequence_name, &c.origin);
            }
        }
        for i in &t.indexes {
            check("index", &i.name, &i.origin);
        }
        for f in &t.foreign_keys {
            check("foreign key", &f.name, &f.origin);
        }
        for u in &t.uniques {
            check("unique constraint", &u.name, &u.origin);
        }
        for c in &t.checks {
            check("check constraint", &c.name, &c.origin);
        }
        if let Some(pk) = &t.primary_key {
            check("primary key", &pk.name, &pk.origin);
        } else if schema.dialect == Dialect::Mysql
            && let Some(c) = t.columns.iter().find(|c| c.primary_key)
        {
            // drizzle-kit names a MySQL column primary key `<table>_<column>`.
            check("primary key", &format!("{}_{}", t.name, c.name), &c.origin);
        }
        for p in &t.policies {
            check("policy", &p.name, &p.origin);
        }
    }
}

/// MySQL and MariaDB refuse identifiers longer than 64 characters (error 1059) rather than
/// truncating them, so the SQL would not apply: an error.
fn mysql_identifier_length(kind: &str, name: &str, loc: &Location) -> Option<Diagnostic> {
    const LIMIT: usize = 64;
    let len = name.chars().count();
    (len > LIMIT).then(|| {
        Diagnostic::error(
            codes::IDENT_TOO_LONG,
            format!("the {kind} name `{name}` is {len} characters long; MySQL's limit is {LIMIT}"),
        )
        .with_location(loc, format!("this {kind}"))
        .with_note(
            "MySQL and MariaDB refuse longer identifiers (error 1059, identifier name is too long)",
        )
        .with_help(format!("give the {kind} a shorter name"))
        .with_subject(name)
    })
}

/// An enum used by a column must be part of the schema, or the column's type does not exist.
pub fn enums_exist(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for t in &schema.tables {
        for c in &t.columns {
            let Some(es) = &c.enum_schema else { continue };
            let base = c.sql_type.split('[').next().unwrap_or("");
            let found = schema
                .enums
                .iter()
                .any(|e| e.name == base && e.schema.as_deref().unwrap_or("public") == es);
            if !found {
                out.push(
                    Diagnostic::warning(codes::NOT_EXPORTED, format!("column `{}.{}` uses enum `{base}`, which is not exported", t.name, c.name))
                        .with_location(&c.origin, "this column")
                        .with_note("only exported enums are created; the migration assumes this type already exists")
                        .with_help(format!("export the enum: `export const ... = pgEnum('{base}', [...])`")),
                );
            }
        }
    }
}

/// MySQL keys a `text` or `blob` column only by a prefix length, which drizzle cannot write:
/// a primary key on one is refused by MySQL and MariaDB ("BLOB/TEXT column used in key
/// specification without a key length"), E5018; an index or unique key by MySQL (MariaDB hashes
/// it), W5019. drizzle-kit writes both.
pub fn mysql_text_keys(schema: &Schema, out: &mut Vec<Diagnostic>) {
    if schema.dialect != Dialect::Mysql {
        return;
    }
    let unkeyable = |c: &Column| {
        matches!(
            type_head(&c.sql_type),
            "text"
                | "tinytext"
                | "mediumtext"
                | "longtext"
                | "blob"
                | "tinyblob"
                | "mediumblob"
                | "longblob"
                | "json"
        )
    };
    for t in &schema.tables {
        let mut keys: Vec<(&str, &Location, Vec<&str>)> = Vec::new();
        for c in t.columns.iter().filter(|c| c.primary_key) {
            keys.push(("primary key", &c.origin, vec![c.name.as_str()]));
        }
        if let Some(pk) = &t.primary_key {
            keys.push((
                "primary key",
                &pk.origin,
                pk.columns.iter().map(String::as_str).collect(),
            ));
        }
        for u in &t.uniques {
            keys.push((
                "unique key",
                &u.origin,
                u.columns.iter().map(String::as_str).collect(),
            ));
        }
        for i in &t.indexes {
            let cols = i
                .columns
                .iter()
                .filter(|c| !c.is_expression)
                .map(|c| c.expression.as_str())
                .collect();
            keys.push(("index", &i.origin, cols));
        }
        for (what, origin, cols) in keys {
            for c in cols
                .iter()
                .filter_map(|n| t.column(n))
                .filter(|c| unkeyable(c))
            {
                let message = format!(
                    "the {what} of `{}` is on `{}`, a {} column, which MySQL keys only by a prefix length",
                    t.name, c.name, c.sql_type
                );
                let d = if what == "primary key" {
                    Diagnostic::error(codes::MYSQL_TEXT_PRIMARY_KEY, message)
                        .with_note("MySQL and MariaDB refuse the table: BLOB/TEXT column used in key specification without a key length")
                } else {
                    Diagnostic::warning(codes::MYSQL_TEXT_KEY, message)
                        .with_note("MySQL refuses it (MariaDB takes it): BLOB/TEXT column used in key specification without a key length")
                };
                let mut d = d.with_location(origin, format!("this {what}"));
                if *origin != c.origin {
                    d = d.with_location(&c.origin, "the column");
                }
                out.push(d.with_help(
                    "make the column a `varchar({ length: ... })` (up to 768 characters can be keyed whole)",
                ));
            }
        }
    }
}

/// `.primaryKey()` on two columns of one table: PostgreSQL and SQLite refuse the table ("multiple
/// primary keys"), an error (E5015); on MySQL drizzle-kit keeps the first column's key, and so
/// does schemac, with warning W5012.
pub fn column_primary_keys(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for t in &schema.tables {
        let mut keys = t.columns.iter().filter(|c| c.primary_key);
        let (Some(first), Some(second)) = (keys.next(), keys.next()) else {
            continue;
        };
        let message = format!(
            "table `{}` has `.primaryKey()` on two columns, `{}` and `{}`",
            t.display_name(),
            first.name,
            second.name
        );
        let d = if schema.dialect == Dialect::Mysql {
            Diagnostic::warning(codes::TWO_PRIMARY_KEYS, message)
                .with_location(&first.origin, "the primary key the table gets")
                .with_location(&second.origin, "ignored")
        } else {
            Diagnostic::error(codes::COLUMN_PRIMARY_KEYS, message)
                .with_location(&second.origin, "a second primary key")
                .with_location(&first.origin, "the first")
                .with_note(format!(
                    "{} refuses a table with two primary keys",
                    if schema.dialect == Dialect::Sqlite {
                        "SQLite"
                    } else {
                        "PostgreSQL"
                    }
                ))
        };
        out.push(d.with_help(
            "for one key over both columns, use `primaryKey({ columns: [...] })` in the table's third argument; else remove one `.primaryKey()`",
        ));
    }
}

/// A MySQL table with a column `.primaryKey()` and a composite `primaryKey()` gets the column's
/// key only (drizzle-kit's choice): the composite one is reported as ignored.
pub fn two_primary_keys(schema: &Schema, out: &mut Vec<Diagnostic>) {
    if schema.dialect != Dialect::Mysql {
        return;
    }
    for t in &schema.tables {
        let (Some(pk), Some(col)) = (&t.primary_key, t.columns.iter().find(|c| c.primary_key))
        else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                codes::TWO_PRIMARY_KEYS,
                format!(
                    "table `{}` has two primary keys; the composite one is ignored",
                    t.display_name()
                ),
            )
            .with_location(&pk.origin, "ignored")
            .with_location(&col.origin, "the primary key the table gets")
            .with_help("a table has one primary key: remove `.primaryKey()` from the column, or the composite key"),
        );
    }
}

/// MySQL's rules for auto-incremented columns, which it checks only when the table is created
/// (E5021): one per table (`serial` is one), the first column of a key (error 1075), and of an
/// integer or floating type (`decimal`: error 1063). drizzle-kit writes what it is given.
pub fn mysql_auto_increment(schema: &Schema, out: &mut Vec<Diagnostic>) {
    if schema.dialect != Dialect::Mysql {
        return;
    }
    for t in &schema.tables {
        let autos: Vec<&Column> = t.columns.iter().filter(|c| c.auto_increment).collect();
        if let [first, second, ..] = autos.as_slice() {
            out.push(
                Diagnostic::error(
                    codes::MYSQL_AUTO_INCREMENT,
                    format!(
                        "`{}` has two auto-incremented columns, `{}` and `{}`; MySQL allows one",
                        t.name, first.name, second.name
                    ),
                )
                .with_location(&second.origin, "the second")
                .with_location(&first.origin, "the first")
                .with_note("`serial` is auto-incremented by itself")
                .with_help("keep `.autoincrement()` (or `serial`) on one column"),
            );
            continue;
        }
        let Some(c) = autos.first() else { continue };
        let base = type_head(&c.sql_type);
        if matches!(base, "decimal" | "numeric") {
            out.push(
                Diagnostic::error(
                    codes::MYSQL_AUTO_INCREMENT,
                    format!(
                        "`{}`.`{}` is `{}`, which MySQL cannot auto-increment",
                        t.name, c.name, c.sql_type
                    ),
                )
                .with_location(&c.origin, "this column")
                .with_help("use an integer type (`int`, `bigint`) for an auto-incremented column"),
            );
            continue;
        }
        let leads = |cols: &mut dyn Iterator<Item = &str>| cols.next() == Some(c.name.as_str());
        let keyed = c.primary_key
            || base == "serial"
            || t.primary_key
                .as_ref()
                .is_some_and(|pk| leads(&mut pk.columns.iter().map(String::as_str)))
            || t.uniques
                .iter()
                .any(|u| leads(&mut u.columns.iter().map(String::as_str)))
            || t.indexes.iter().any(|i| {
                i.columns
                    .first()
                    .is_some_and(|k| !k.is_expression && k.expression == c.name)
            });
        if !keyed {
            out.push(
                Diagnostic::error(
                    codes::MYSQL_AUTO_INCREMENT,
                    format!(
                        "`{}`.`{}` is auto-incremented but not the first column of a key",
                        t.name, c.name
                    ),
                )
                .with_location(&c.origin, "this column")
                .with_note("MySQL refuses the table: there can be only one auto column and it must be defined as a key")
                .with_help("make it the primary key (`.primaryKey()`), or give it a unique key or an index of which it is the first column"),
            );
        }
    }
}

/// SQLite takes as a column default a literal (a number, a string, a blob, `NULL`, `TRUE`,
/// `FALSE`, `CURRENT_TIME`, `CURRENT_DATE`, `CURRENT_TIMESTAMP`) or an expression in
/// parentheses: `DEFAULT datetime('now')` is a syntax error, and the table is refused when the
/// migration runs. E5020, with the parenthesised form; drizzle-kit writes it as given.
pub fn sqlite_expression_defaults(schema: &Schema, out: &mut Vec<Diagnostic>) {
    if schema.dialect != Dialect::Sqlite {
        return;
    }
    for t in &schema.tables {
        for c in &t.columns {
            let Some(DefaultValue::Sql(d)) = &c.default else {
                continue;
            };
            if sqlite_default_literal(d.trim()) {
                continue;
            }
            out.push(
                Diagnostic::error(
                    codes::SQLITE_DEFAULT_EXPRESSION,
                    format!(
                        "the default of `{}`.`{}` is the expression `{d}`, which SQLite takes only in parentheses",
                        t.name, c.name
                    ),
                )
                .with_location(&c.origin, "this column")
                .with_note("SQLite refuses the table: a default is a literal or an expression in parentheses")
                .with_help(format!("write it in parentheses: .default(sql`({d})`)")),
            );
        }
    }
}

/// Whether `d` is a default SQLite takes as it is: a literal, a keyword of its own, or a whole
/// expression in parentheses.
fn sqlite_default_literal(d: &str) -> bool {
    const KEYWORDS: [&str; 6] = [
        "null",
        "true",
        "false",
        "current_time",
        "current_date",
        "current_timestamp",
    ];
    if KEYWORDS.iter().any(|k| d.eq_ignore_ascii_case(k)) {
        return true;
    }
    // SQLite takes a lone identifier as a string (`DEFAULT pending`, `"pending"`).
    let unquoted = [('"', '"'), ('`', '`'), ('[', ']')]
        .iter()
        .find_map(|(open, close)| d.strip_prefix(*open)?.strip_suffix(*close))
        .unwrap_or(d);
    if !unquoted.is_empty()
        && !unquoted.starts_with(|c: char| c.is_ascii_digit())
        && unquoted
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    {
        return true;
    }
    // A signed literal, the sign apart or not (`-1`, `- 1`).
    let number = d.strip_prefix(['-', '+']).map_or(d, str::trim_start);
    if number.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && (number.parse::<f64>().is_ok()
            || number
                .strip_prefix("0x")
                .or_else(|| number.strip_prefix("0X"))
                .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit())))
    {
        return true;
    }
    let quoted = d.strip_prefix(['x', 'X']).unwrap_or(d);
    if let Some(inner) = quoted.strip_prefix('\'').and_then(|r| r.strip_suffix('\''))
        && !inner.replace("''", "").contains('\'')
    {
        return true;
    }
    // One pair of parentheses around the whole (quotes skipped when matching them).
    if d.starts_with('(') && d.ends_with(')') {
        let mut depth = 0usize;
        let mut in_quote = None;
        for (i, ch) in d.char_indices() {
            match (in_quote, ch) {
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"' | '`') => in_quote = Some(ch),
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i == d.len() - 1;
                    }
                }
                _ => {}
            }
        }
    }
    false
}

#[cfg(test)]
#[test]
fn sqlite_defaults_are_literals_or_parenthesised() {
    for ok in [
        "0",
        "-1.5",
        "+2e3",
        "0x1F",
        "'a''b'",
        "X'00ff'",
        "NULL",
        "current_timestamp",
        "(datetime('now'))",
        "(strftime('%s', 'now') || ')')",
        "('a' || (1))",
        "pending",
        "\"pending\"",
        "`pending`",
        "[pending]",
        "- 1",
    ] {
        assert!(sqlite_default_literal(ok), "{ok}");
    }
    for bad in [
        "datetime('now')",
        "unixepoch()",
        "lower(hex(randomblob(16)))",
        "(1) + (2)",
        "'a' || 'b'",
        "1 + 1",
        "\"two words\"",
    ] {
        assert!(!sqlite_default_literal(bad), "{bad}");
    }
}
