//! Schema IR → the snapshot model, as drizzle-kit 0.31's serializers build their snapshots:
//! PostgreSQL v7, and what MySQL v5 and SQLite v6 files hold (`snapshot::mysql`,
//! `snapshot::sqlite` write those files from the model). The dialects differ in a few rules,
//! each a `match` below:
//!
//! - MySQL: a column's `.primaryKey()` is a primary key entry `<table>_<column>` (the column's
//!   `primaryKey` is false), every primary key column is not null, columns carry
//!   `autoincrement` and `onUpdate`, generated columns are `stored` or `virtual`, indexes keep
//!   `using`, `algorithm` and `lock`, views keep `algorithm`, `sqlSecurity` and
//!   `withCheckOption` (in `with`).
//! - SQLite: unique constraints are unique indexes (`uniqueConstraints` stays empty), a
//!   one-column `primaryKey({ columns })` is the column's `primaryKey`, columns carry
//!   `autoincrement`, a generated column's `as` is parenthesized.

use super::pg::{self, Map, PgSnapshot};
use super::{mysql, sqlite};
use crate::schema::{self, Casing, DefaultValue, Dialect, OptionValue, Schema};

/// The snapshot of `schema` with the given `id` and `prev_id` ([`pg::ORIGIN_UUID`] for the first
/// migration of a folder).
pub fn from_schema(schema: &Schema, id: &str, prev_id: &str) -> PgSnapshot {
    let dialect = schema.dialect;
    // Sized up front: a table entry is large, and growing the map would move every one of them.
    let mut tables = Map::with_capacity_and_hasher(schema.tables.len(), Default::default());
    for t in &schema.tables {
        tables.insert(
            format!("{}.{}", t.schema.as_deref().unwrap_or("public"), t.name),
            table(t, dialect),
        );
    }
    let mut enums = Map::default();
    for e in &schema.enums {
        let s = e.schema.as_deref().unwrap_or("public");
        enums.insert(
            format!("{s}.{}", e.name),
            pg::Enum {
                name: e.name.clone(),
                schema: s.into(),
                values: e.values.clone(),
            },
        );
    }
    let schemas = schema
        .schemas
        .iter()
        .map(|s| (s.name.clone(), s.name.clone()))
        .collect();
    let mut sequences = Map::default();
    for q in &schema.sequences {
        let s = q.schema.as_deref().unwrap_or("public");
        sequences.insert(
            format!("{s}.{}", q.name),
            pg::Sequence {
                name: q.name.clone(),
                schema: s.into(),
                options: sequence_options(&q.options),
            },
        );
    }
    let roles = schema
        .roles
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                pg::Role {
                    name: r.name.clone(),
                    create_db: r.create_db,
                    create_role: r.create_role,
                    inherit: r.inherit,
                },
            )
        })
        .collect();
    let policies = schema
        .policies
        .iter()
        .map(|p| (p.name.clone(), policy(p)))
        .collect();
    // drizzle-kit collects views and materialized views separately and writes views first.
    let mut views = Map::default();
    for materialized in [false, true] {
        for v in schema
            .views
            .iter()
            .filter(|v| v.materialized == materialized)
        {
            let s = v.schema.as_deref().unwrap_or("public");
            views.insert(format!("{s}.{}", v.name), view(v, dialect));
        }
    }
    PgSnapshot {
        id: id.into(),
        prev_id: prev_id.into(),
        version: version(dialect).into(),
        dialect: dialect.name().into(),
        tables,
        enums,
        schemas,
        sequences,
        roles,
        policies,
        views,
        meta: pg::Meta::default(),
        internal: None,
    }
}

/// The snapshot version of a dialect's files (the journal entries' `version`).
pub fn version(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgresql => pg::VERSION,
        Dialect::Mysql => mysql::VERSION,
        Dialect::Sqlite => sqlite::VERSION,
    }
}

fn table(t: &schema::Table, dialect: Dialect) -> pg::Table {
    // SQLite: a one-column primary key is the column's; only longer ones are entries.
    let table_pk = t
        .primary_key
        .as_ref()
        .filter(|pk| dialect != Dialect::Sqlite || pk.columns.len() > 1);
    let sqlite_column_pk = match &t.primary_key {
        Some(pk) if table_pk.is_none() => pk.columns.first().map(String::as_str),
        _ => None,
    };
    let in_pk = |c: &str| {
        t.primary_key
            .iter()
            .any(|pk| pk.columns.iter().any(|p| p == c))
    };
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let mut col = column(c, t.schema.as_deref(), dialect);
            match dialect {
                Dialect::Mysql => col.not_null |= c.primary_key || in_pk(&c.name),
                Dialect::Sqlite => col.primary_key |= sqlite_column_pk == Some(c.name.as_str()),
                Dialect::Postgresql => {}
            }
            (c.name.clone(), col)
        })
        .collect();
    // SQLite: unique constraints are unique indexes, after the table's indexes. (The evaluator
    // already moves them there, columns' ahead of the indexes, third argument's after them; this
    // serves an IR built otherwise.)
    let unique_indexes = t
        .uniques
        .iter()
        .filter(|_| dialect == Dialect::Sqlite)
        .map(|u| {
            let columns = u
                .columns
                .iter()
                .map(|c| pg::IndexColumn {
                    expression: c.clone(),
                    is_expression: false,
                    asc: true,
                    nulls: "last".into(),
                    opclass: None,
                })
                .collect();
            (
                u.name.clone(),
                super::file::model_index(u.name.clone(), columns, true, None),
            )
        });
    let indexes = t
        .indexes
        .iter()
        .map(|i| (i.name.clone(), index(i, dialect)))
        .chain(unique_indexes)
        .collect();
    let foreign_keys = t
        .foreign_keys
        .iter()
        .map(|fk| {
            (
                fk.name.clone(),
                pg::ForeignKey {
                    name: fk.name.clone(),
                    table_from: t.name.clone(),
                    table_to: fk.ref_table.clone(),
                    schema_to: fk.ref_schema.clone(),
                    columns_from: fk.columns.clone(),
                    columns_to: fk.ref_columns.clone(),
                    on_delete: Some(fk.on_delete.as_str().into()),
                    on_update: Some(fk.on_update.as_str().into()),
                },
            )
        })
        .collect();
    // MySQL: a column's `.primaryKey()` is an entry `<table>_<column>`, before the table's.
    let column_pks = t
        .columns
        .iter()
        .filter(|c| dialect == Dialect::Mysql && c.primary_key)
        .map(|c| {
            let name = format!("{}_{}", t.name, c.name);
            (
                name.clone(),
                pg::PrimaryKey {
                    name,
                    columns: vec![c.name.clone()],
                },
            )
        });
    let composite_primary_keys = column_pks
        .chain(table_pk.map(|pk| {
            (
                pk.name.clone(),
                pg::PrimaryKey {
                    name: pk.name.clone(),
                    columns: pk.columns.clone(),
                },
            )
        }))
        .collect();
    let unique_constraints = t
        .uniques
        .iter()
        .filter(|_| dialect != Dialect::Sqlite)
        .map(|u| {
            (
                u.name.clone(),
                pg::Unique {
                    name: u.name.clone(),
                    nulls_not_distinct: u.nulls_not_distinct,
                    columns: u.columns.clone(),
                },
            )
        })
        .collect();
    let check_constraints = t
        .checks
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                pg::Check {
                    name: c.name.clone(),
                    value: c.expression.clone(),
                },
            )
        })
        .collect();
    let policies = t
        .policies
        .iter()
        .map(|p| (p.name.clone(), policy(p)))
        .collect();
    pg::Table {
        name: t.name.clone(),
        schema: t.schema.clone().unwrap_or_default(),
        columns,
        indexes,
        foreign_keys,
        composite_primary_keys,
        unique_constraints,
        policies,
        check_constraints,
        is_rls_enabled: t.rls_enabled,
    }
}

/// A column of a table or view in `owner_schema`: an identity's sequence lives in the same schema.
fn column(c: &schema::Column, owner_schema: Option<&str>, dialect: Dialect) -> pg::Column {
    pg::Column {
        name: c.name.clone(),
        sql_type: c.sql_type.clone(),
        type_schema: c.enum_schema.clone(),
        // MySQL: a primary key entry instead (`table`), also for the columns of views.
        primary_key: c.primary_key && dialect != Dialect::Mysql,
        not_null: c.not_null,
        generated: c.generated.as_ref().map(|g| pg::Generated {
            expression: match dialect {
                Dialect::Sqlite => format!("({})", g.expression),
                _ => g.expression.clone(),
            },
            kind: if g.stored || dialect == Dialect::Postgresql {
                "stored"
            } else {
                "virtual"
            }
            .into(),
        }),
        identity: c.identity.as_ref().map(|i| pg::Identity {
            kind: if i.always { "always" } else { "byDefault" }.into(),
            name: i.sequence_name.clone(),
            schema: i
                .sequence_schema
                .as_deref()
                .or(owner_schema)
                .unwrap_or("public")
                .into(),
            options: sequence_options(&i.options),
        }),
        default: c.default.as_ref().map(|d| match d {
            DefaultValue::Sql(s) => pg::Default::Sql(s.clone()),
            DefaultValue::Number(n) => pg::Default::Number(n.clone()),
            DefaultValue::Bool(b) => pg::Default::Bool(*b),
            DefaultValue::Null => pg::Default::Null,
            DefaultValue::Value { json, .. } => pg::Default::Value(json.clone()),
        }),
        autoincrement: (dialect != Dialect::Postgresql).then_some(c.auto_increment),
        on_update: (dialect == Dialect::Mysql && c.on_update_now).then_some(true),
    }
}

fn sequence_options(o: &schema::SequenceOptions) -> pg::SequenceOptions {
    pg::SequenceOptions {
        increment: o.increment.clone(),
        start_with: o.start_with.clone(),
        min_value: o.min_value.clone(),
        max_value: o.max_value.clone(),
        cache: o.cache.clone(),
        cycle: o.cycle,
    }
}

fn index(i: &schema::Index, dialect: Dialect) -> pg::Index {
    let mysql = dialect == Dialect::Mysql;
    pg::Index {
        name: i.name.clone(),
        columns: i
            .columns
            .iter()
            .map(|c| pg::IndexColumn {
                expression: c.expression.clone(),
                is_expression: c.is_expression,
                asc: c.asc,
                nulls: if c.nulls_first { "first" } else { "last" }.into(),
                opclass: c.opclass.clone(),
            })
            .collect(),
        is_unique: i.unique,
        where_clause: i.where_clause.clone(),
        concurrently: i.concurrently,
        method: i.method.clone(),
        with: options(&i.with, |k| k.to_string()),
        algorithm: i.algorithm.clone().filter(|_| mysql),
        lock: i.lock.clone().filter(|_| mysql),
    }
}

/// `with` options as drizzle-kit keeps them: the JavaScript value under the given key.
fn options(with: &[(String, OptionValue)], key: impl Fn(&str) -> String) -> Map<serde_json::Value> {
    with.iter()
        .map(|(k, v)| {
            let value = match v {
                OptionValue::Text(s) => serde_json::Value::String(s.clone()),
                OptionValue::Bool(b) => serde_json::Value::Bool(*b),
                OptionValue::Number(n) => serde_json::from_str::<serde_json::Number>(n)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number),
            };
            (key(k), value)
        })
        .collect()
}

fn policy(p: &schema::Policy) -> pg::Policy {
    let (schema, on) = match &p.on {
        Some((s, t)) => {
            let s = s.as_deref().unwrap_or("public");
            (Some(s.to_string()), Some(format!("\"{s}\".\"{t}\"")))
        }
        None => (None, None),
    };
    pg::Policy {
        name: p.name.clone(),
        as_: Some(
            if p.restrictive {
                "RESTRICTIVE"
            } else {
                "PERMISSIVE"
            }
            .into(),
        ),
        for_: Some(p.command.clone()),
        to: Some(p.to.clone()),
        using: p.using.clone(),
        with_check: p.with_check.clone(),
        schema,
        on,
    }
}

fn view(v: &schema::View, dialect: Dialect) -> pg::View {
    let with = match dialect {
        // The IR keeps the SQL (snake_case) names; the snapshot has drizzle's camelCase keys.
        Dialect::Postgresql => {
            (!v.with.is_empty()).then(|| options(&v.with, |k| Casing::CamelCase.apply(k)))
        }
        // MySQL's options, with drizzle-kit's defaults.
        Dialect::Mysql => {
            let mut with = options(&v.with, |k| Casing::CamelCase.apply(k));
            for (key, default) in [("algorithm", "undefined"), ("sqlSecurity", "definer")] {
                with.entry(key.into())
                    .or_insert_with(|| serde_json::Value::String(default.into()));
            }
            Some(with)
        }
        Dialect::Sqlite => None,
    };
    pg::View {
        columns: v
            .columns
            .iter()
            .map(|c| (c.name.clone(), column(c, v.schema.as_deref(), dialect)))
            .collect(),
        definition: v.definition.clone(),
        name: v.name.clone(),
        schema: v.schema.clone().unwrap_or_else(|| "public".into()),
        is_existing: v.existing,
        with,
        with_no_data: v.with_no_data.then_some(true),
        materialized: v.materialized,
        tablespace: v.tablespace.clone(),
        using: v.using.clone(),
    }
}
