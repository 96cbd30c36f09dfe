//! PostgreSQL introspection: the catalog of the filtered schemas read into the model.
//!
//! Ten queries at most, whatever the number of tables: schemas, enums, sequences (with the
//! column that owns each), relations (tables, views, materialized views), then columns,
//! constraints, indexes and policies of every kept relation at once (their oids as one array
//! parameter), and roles when the roles filter asks for them. The rows are then assembled in
//! memory. Objects that belong to an extension (`pg_depend.deptype = 'e'`) are never read.

mod values;

use std::collections::HashMap;

use schemac_compiler::schema::Casing;
use schemac_compiler::snapshot::pg::{
    self, Check, Column, Enum, ForeignKey, Generated, Identity, Index, IndexColumn, Map,
    PgSnapshot, Policy, PrimaryKey, Role, Sequence, SequenceOptions, Table, Unique, View,
};
use sqlx::Row;
use sqlx::postgres::{PgConnection, PgRow};

use self::values::{Class, default_value, type_name};
use super::{Error, Filters, RolesFilter, reading};

/// drizzle-orm's migrations table, never part of a schema.
const MIGRATIONS_TABLE: &str = "__drizzle_migrations";

/// Tables an extension makes without owning them, by the name used in `extensionsFilters`.
const EXTENSION_TABLES: &[(&str, &[&str])] = &[(
    "postgis",
    &["spatial_ref_sys", "geometry_columns", "geography_columns"],
)];

/// `NOT EXISTS` an extension owning the object `$oid` of catalog `$catalog`.
macro_rules! not_extension {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '",
            $catalog,
            "'::regclass AND dep.objid = ",
            $oid,
            " AND dep.deptype = 'e')"
        )
    };
}

const SCHEMAS: &str = concat!(
    "SELECT n.nspname::text AS name FROM pg_namespace n \
     WHERE n.nspname = ANY($1) AND ",
    not_extension!("pg_namespace", "n.oid"),
    " ORDER BY n.nspname"
);

const ENUMS: &str = concat!(
    "SELECT n.nspname::text AS schema, t.typname::text AS name, \
       COALESCE(array_agg(e.enumlabel::text ORDER BY e.enumsortorder) \
         FILTER (WHERE e.enumlabel IS NOT NULL), '{}') AS labels \
     FROM pg_type t \
     JOIN pg_namespace n ON n.oid = t.typnamespace \
     LEFT JOIN pg_enum e ON e.enumtypid = t.oid \
     WHERE t.typtype = 'e' AND n.nspname = ANY($1) AND ",
    not_extension!("pg_type", "t.oid"),
    " GROUP BY n.nspname, t.typname ORDER BY n.nspname, t.typname"
);

/// Every sequence of the filtered schemas, and every sequence a column owns (serial: `a`,
/// identity: `i`) wherever it is.
const SEQUENCES: &str = concat!(
    "SELECT n.nspname::text AS schema, c.relname::text AS name, \
       s.seqincrement::text AS increment, s.seqstart::text AS start, s.seqmin::text AS min, \
       s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle, \
       d.refobjid::int8 AS owner, d.refobjsubid::int4 AS owner_column, d.deptype::text AS kind \
     FROM pg_sequence s \
     JOIN pg_class c ON c.oid = s.seqrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid \
       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') \
     WHERE (n.nspname = ANY($1) OR d.objid IS NOT NULL) AND ",
    not_extension!("pg_class", "c.oid"),
    " ORDER BY n.nspname, c.relname"
);

const RELATIONS: &str = concat!(
    "SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.relname::text AS name, \
       c.relkind::text AS kind, c.relrowsecurity AS rls, \
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS definition, \
       coalesce(c.reloptions::text[], '{}') AS options, ts.spcname::text AS tablespace, \
       am.amname::text AS access_method, c.relispopulated AS populated, \
       current_setting('default_table_access_method') AS default_access_method \
     FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace \
     LEFT JOIN pg_am am ON am.oid = c.relam \
     WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition AND ",
    not_extension!("pg_class", "c.oid"),
    " ORDER BY n.nspname, c.relname"
);

/// Columns of the relations `$1`, in attnum order. The type is read on its element type for
/// arrays, with the column's modifier; the collation when it is not the type's.
const COLUMNS: &str = "SELECT a.attrelid::int8 AS rel, a.attnum::int4 AS num, a.attname::text AS name, \
       a.attnotnull AS not_null, a.attndims::int4 AS dims, a.attidentity::text AS identity, \
       a.attgenerated::text AS generated, t.typcategory::text = 'A' AS is_array, \
       format_type(bt.oid, a.atttypmod) AS formatted, bt.typname::text AS base, \
       bt.typtype::text AS base_kind, btn.nspname::text AS base_schema, \
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr, \
       coll.collname::text AS collation \
     FROM pg_attribute a \
     JOIN pg_type t ON t.oid = a.atttypid \
     JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END \
     JOIN pg_namespace btn ON btn.oid = bt.typnamespace \
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
     LEFT JOIN pg_collation coll ON coll.oid = a.attcollation AND a.attcollation <> t.typcollation \
     WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY a.attrelid, a.attnum";

/// Primary keys, uniques, foreign keys and checks of the relations `$1`, with their columns by
/// name (in key order).
const CONSTRAINTS: &str = "SELECT con.conrelid::int8 AS rel, con.conname::text AS name, con.contype::text AS kind, \
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, i) \
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.i) \
         AS columns, \
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, i) \
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.i) \
         AS ref_columns, \
       fn.nspname::text AS ref_schema, fc.relname::text AS ref_table, \
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete, \
       pg_get_constraintdef(con.oid) AS definition \
     FROM pg_constraint con \
     LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
     WHERE con.conrelid = ANY($1::int8[]::oid[]) AND con.contype IN ('p', 'u', 'f', 'c') \
     ORDER BY con.conrelid, con.conname";

/// Indexes of the relations `$1` that no constraint made: per key column its attnum (0 for an
/// expression), its text, its `indoption` bits and its operator class when not the default.
const INDEXES: &str = "SELECT i.indrelid::int8 AS rel, ic.relname::text AS name, i.indisunique AS is_unique, \
       am.amname::text AS method, coalesce(ic.reloptions::text[], '{}') AS options, \
       pg_get_expr(i.indpred, i.indrelid) AS predicate, \
       ARRAY(SELECT i.indkey[k - 1]::int4 FROM generate_series(1, i.indnkeyatts) k ORDER BY k) \
         AS keys, \
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k \
             ORDER BY k) AS texts, \
       ARRAY(SELECT i.indoption[k - 1]::int4 FROM generate_series(1, i.indnkeyatts) k ORDER BY k) \
         AS flags, \
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END \
             FROM generate_series(1, i.indnkeyatts) k \
             JOIN pg_opclass oc ON oc.oid = i.indclass[k - 1] ORDER BY k) AS opclasses \
     FROM pg_index i \
     JOIN pg_class ic ON ic.oid = i.indexrelid \
     JOIN pg_am am ON am.oid = ic.relam \
     WHERE i.indrelid = ANY($1::int8[]::oid[]) \
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid \
                       AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) \
     ORDER BY i.indrelid, ic.relname";

const POLICIES: &str = "SELECT p.polrelid::int8 AS rel, p.polname::text AS name, p.polpermissive AS permissive, \
       p.polcmd::text AS command, \
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END \
             FROM unnest(p.polroles) r) AS roles, \
       pg_get_expr(p.polqual, p.polrelid) AS using_expr, \
       pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr \
     FROM pg_policy p \
     WHERE p.polrelid = ANY($1::int8[]::oid[]) \
     ORDER BY p.polrelid, p.polname";

/// Policies of the tables named by `$1` (schemas) and `$2` (names), pairwise.
const LINKED_POLICIES: &str = "SELECT n.nspname::text AS schema, c.relname::text AS table_name, \
       p.polname::text AS name, p.polpermissive AS permissive, p.polcmd::text AS command, \
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END \
             FROM unnest(p.polroles) r) AS roles, \
       pg_get_expr(p.polqual, p.polrelid) AS using_expr, \
       pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr \
     FROM pg_policy p \
     JOIN pg_class c ON c.oid = p.polrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[])) \
     ORDER BY n.nspname, c.relname, p.polname";

const ROLES: &str = "SELECT rolname::text AS name, rolcreatedb AS create_db, rolcreaterole AS create_role, \
       rolinherit AS inherit, rolsuper OR rolname = current_user AS administers FROM pg_roles ORDER BY rolname";

/// A kept table or view while the model is assembled.
struct Relation {
    oid: i64,
    schema: String,
    name: String,
    kind: Kind,
    /// Table or view column names by attnum.
    columns: HashMap<i32, String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Table,
    View,
    Materialized,
}

/// The kept relations, by oid.
struct Relations {
    list: Vec<Relation>,
    by_oid: HashMap<i64, usize>,
    oids: Vec<i64>,
}

impl Relations {
    /// The kept table `oid` and its entry in the model.
    fn table<'m>(&self, model: &'m mut PgSnapshot, oid: i64) -> Option<(&Relation, &'m mut Table)> {
        let r = &self.list[*self.by_oid.get(&oid)?];
        let table = model.tables.get_mut(&format!("{}.{}", r.schema, r.name))?;
        Some((r, table))
    }
}

/// A sequence owned by a column, by (table oid, attnum).
struct Owned {
    identity: bool,
    name: String,
    schema: String,
    options: SequenceOptions,
}

pub async fn introspect(conn: &mut PgConnection, filters: &Filters) -> Result<PgSnapshot, Error> {
    let schemas = filters.schemas();
    let mut model = PgSnapshot {
        id: String::new(),
        prev_id: String::new(),
        version: pg::VERSION.into(),
        dialect: "postgresql".into(),
        tables: Map::default(),
        enums: Map::default(),
        schemas: Map::default(),
        sequences: Map::default(),
        roles: Map::default(),
        policies: Map::default(),
        views: Map::default(),
        meta: pg::Meta::default(),
        internal: None,
    };
    read_schemas(conn, &schemas, &mut model).await?;
    read_enums(conn, &schemas, &mut model).await?;
    let owned = read_sequences(conn, &schemas, &mut model).await?;
    let (mut rels, views) = read_relations(conn, filters, &schemas, &mut model).await?;
    read_columns(conn, &mut rels, views, &owned, &mut model).await?;
    read_constraints(conn, &rels, &mut model).await?;
    read_indexes(conn, &rels, &mut model).await?;
    read_policies(conn, &rels, &mut model).await?;
    if filters.roles != RolesFilter::None {
        read_roles(conn, &filters.roles, &mut model).await?;
    }
    Ok(model)
}

/// The filtered schemas but `public`.
async fn read_schemas(
    conn: &mut PgConnection,
    schemas: &[String],
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    for row in fetch(conn, SCHEMAS, schemas, "schemas").await? {
        let name: String = get(&row, "name", "schemas")?;
        if name != "public" {
            model.schemas.insert(name.clone(), name);
        }
    }
    Ok(())
}

async fn read_enums(
    conn: &mut PgConnection,
    schemas: &[String],
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    for row in fetch(conn, ENUMS, schemas, "enums").await? {
        let schema: String = get(&row, "schema", "enums")?;
        let name: String = get(&row, "name", "enums")?;
        let values: Vec<String> = get(&row, "labels", "enums")?;
        model.enums.insert(
            format!("{schema}.{name}"),
            Enum {
                name,
                schema,
                values,
            },
        );
    }
    Ok(())
}

/// The sequences of the filtered schemas into the model, but those owned by a column: these are
/// returned by (table oid, attnum) for the columns to read.
async fn read_sequences(
    conn: &mut PgConnection,
    schemas: &[String],
    model: &mut PgSnapshot,
) -> Result<HashMap<(i64, i32), Owned>, Error> {
    let mut owned: HashMap<(i64, i32), Owned> = HashMap::new();
    for row in fetch(conn, SEQUENCES, schemas, "sequences").await? {
        let what = "sequences";
        let schema: String = get(&row, "schema", what)?;
        let name: String = get(&row, "name", what)?;
        let options = SequenceOptions {
            increment: get(&row, "increment", what)?,
            start_with: get(&row, "start", what)?,
            min_value: get(&row, "min", what)?,
            max_value: get(&row, "max", what)?,
            cache: get(&row, "cache", what)?,
            cycle: get(&row, "cycle", what)?,
        };
        let owner: Option<i64> = get(&row, "owner", what)?;
        let owner_column: Option<i32> = get(&row, "owner_column", what)?;
        match (owner, owner_column) {
            (Some(table), Some(column)) => {
                let kind: Option<String> = get(&row, "kind", what)?;
                owned.insert(
                    (table, column),
                    Owned {
                        identity: kind.as_deref() == Some("i"),
                        name,
                        schema,
                        options,
                    },
                );
            }
            _ => {
                if schemas.contains(&schema) {
                    model.sequences.insert(
                        format!("{schema}.{name}"),
                        Sequence {
                            name,
                            schema,
                            options,
                        },
                    );
                }
            }
        }
    }
    Ok(owned)
}

/// The kept tables into the model (without their columns and constraints yet), and the kept
/// views, which go into the model once their columns are read.
async fn read_relations(
    conn: &mut PgConnection,
    filters: &Filters,
    schemas: &[String],
    model: &mut PgSnapshot,
) -> Result<(Relations, Vec<(usize, View)>), Error> {
    let mut relations: Vec<Relation> = Vec::new();
    let mut views: Vec<(usize, View)> = Vec::new();
    let left_out: Vec<&str> = EXTENSION_TABLES
        .iter()
        .filter(|(ext, _)| filters.extensions.iter().any(|e| e == ext))
        .flat_map(|(_, tables)| tables.iter().copied())
        .collect();
    for row in fetch(conn, RELATIONS, schemas, "tables").await? {
        let what = "tables";
        let name: String = get(&row, "name", what)?;
        if name == MIGRATIONS_TABLE
            || left_out.contains(&name.as_str())
            || !filters.tables.keeps(&name)
        {
            continue;
        }
        let schema: String = get(&row, "schema", what)?;
        let kind = match get::<String>(&row, "kind", what)?.as_str() {
            "v" => Kind::View,
            "m" => Kind::Materialized,
            _ => Kind::Table,
        };
        let index = relations.len();
        relations.push(Relation {
            oid: get(&row, "oid", what)?,
            schema: schema.clone(),
            name: name.clone(),
            kind,
            columns: HashMap::new(),
        });
        if kind == Kind::Table {
            model.tables.insert(
                format!("{schema}.{name}"),
                Table {
                    name,
                    schema: if schema == "public" {
                        String::new()
                    } else {
                        schema
                    },
                    columns: Map::default(),
                    indexes: Map::default(),
                    foreign_keys: Map::default(),
                    composite_primary_keys: Map::default(),
                    unique_constraints: Map::default(),
                    policies: Map::default(),
                    check_constraints: Map::default(),
                    is_rls_enabled: get(&row, "rls", what)?,
                },
            );
            continue;
        }
        let options: Vec<String> = get(&row, "options", what)?;
        let with: Map<serde_json::Value> = options
            .iter()
            .map(|o| {
                let (k, v) = option(o);
                (Casing::CamelCase.apply(&k), v)
            })
            .collect();
        let materialized = kind == Kind::Materialized;
        let access_method: Option<String> = get(&row, "access_method", what)?;
        let default_access_method: String = get(&row, "default_access_method", what)?;
        let populated: bool = get(&row, "populated", what)?;
        views.push((
            index,
            View {
                columns: Map::default(),
                definition: get::<Option<String>>(&row, "definition", what)?.map(|d| one_line(&d)),
                name,
                schema,
                is_existing: false,
                with: (!with.is_empty()).then_some(with),
                // A materialized view not yet populated was made `WITH NO DATA` (or not refreshed
                // since); `align` takes the schema's word for it.
                with_no_data: (materialized && !populated).then_some(true),
                materialized,
                tablespace: get(&row, "tablespace", what)?,
                using: access_method.filter(|m| materialized && *m != default_access_method),
            },
        ));
    }
    let oids = relations.iter().map(|r| r.oid).collect();
    let by_oid = relations
        .iter()
        .enumerate()
        .map(|(i, r)| (r.oid, i))
        .collect();
    Ok((
        Relations {
            list: relations,
            by_oid,
            oids,
        },
        views,
    ))
}

/// Columns of the tables, and of the views, which then go into the model.
async fn read_columns(
    conn: &mut PgConnection,
    rels: &mut Relations,
    views: Vec<(usize, View)>,
    owned: &HashMap<(i64, i32), Owned>,
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    let mut view_columns: HashMap<usize, Map<Column>> = HashMap::new();
    for row in fetch_oids(conn, COLUMNS, &rels.oids, "columns").await? {
        let what = "columns";
        let rel: i64 = get(&row, "rel", what)?;
        let Some(&ri) = rels.by_oid.get(&rel) else {
            continue;
        };
        let num: i32 = get(&row, "num", what)?;
        let name: String = get(&row, "name", what)?;
        rels.list[ri].columns.insert(num, name.clone());
        let column = column(&row, owned.get(&(rel, num)))?;
        let r = &rels.list[ri];
        match r.kind {
            Kind::Table => {
                if let Some(t) = model.tables.get_mut(&format!("{}.{}", r.schema, r.name)) {
                    t.columns.insert(name, column);
                }
            }
            Kind::View | Kind::Materialized => {
                view_columns.entry(ri).or_default().insert(name, column);
            }
        }
    }
    for (ri, mut view) in views {
        view.columns = view_columns.remove(&ri).unwrap_or_default();
        let r = &rels.list[ri];
        model.views.insert(format!("{}.{}", r.schema, r.name), view);
    }
    Ok(())
}

/// Primary keys, uniques, foreign keys and checks.
async fn read_constraints(
    conn: &mut PgConnection,
    rels: &Relations,
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    for row in fetch_oids(conn, CONSTRAINTS, &rels.oids, "constraints").await? {
        let what = "constraints";
        let rel: i64 = get(&row, "rel", what)?;
        let Some((r, table)) = rels.table(model, rel) else {
            continue;
        };
        let name: String = get(&row, "name", what)?;
        let columns: Vec<String> = get(&row, "columns", what)?;
        let definition: String = get(&row, "definition", what)?;
        match get::<String>(&row, "kind", what)?.as_str() {
            "p" => {
                // A one-column key with PostgreSQL's own name is the column's `.primaryKey()`.
                if columns.len() == 1
                    && name == format!("{}_pkey", r.name)
                    && let Some(c) = table.columns.get_mut(&columns[0])
                {
                    c.primary_key = true;
                    continue;
                }
                table
                    .composite_primary_keys
                    .insert(name.clone(), PrimaryKey { name, columns });
            }
            "u" => {
                let nulls_not_distinct = definition.starts_with("UNIQUE NULLS NOT DISTINCT");
                table.unique_constraints.insert(
                    name.clone(),
                    Unique {
                        name,
                        nulls_not_distinct,
                        columns,
                    },
                );
            }
            "f" => {
                let ref_schema: Option<String> = get(&row, "ref_schema", what)?;
                let ref_table: Option<String> = get(&row, "ref_table", what)?;
                let on_update: String = get(&row, "on_update", what)?;
                let on_delete: String = get(&row, "on_delete", what)?;
                table.foreign_keys.insert(
                    name.clone(),
                    ForeignKey {
                        name,
                        table_from: r.name.clone(),
                        table_to: ref_table.unwrap_or_default(),
                        schema_to: ref_schema.filter(|s| s != "public"),
                        columns_from: columns,
                        columns_to: get(&row, "ref_columns", what)?,
                        on_delete: Some(action(&on_delete).into()),
                        on_update: Some(action(&on_update).into()),
                    },
                );
            }
            "c" => {
                table.check_constraints.insert(
                    name.clone(),
                    Check {
                        name,
                        value: check_text(&definition),
                    },
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// Indexes of tables (an index on a materialized view has no place in the model).
async fn read_indexes(
    conn: &mut PgConnection,
    rels: &Relations,
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    for row in fetch_oids(conn, INDEXES, &rels.oids, "indexes").await? {
        let what = "indexes";
        let rel: i64 = get(&row, "rel", what)?;
        let Some((r, table)) = rels.table(model, rel) else {
            continue;
        };
        let name: String = get(&row, "name", what)?;
        let keys: Vec<i32> = get(&row, "keys", what)?;
        let texts: Vec<String> = get(&row, "texts", what)?;
        let flags: Vec<i32> = get(&row, "flags", what)?;
        let opclasses: Vec<String> = get(&row, "opclasses", what)?;
        let columns = keys
            .iter()
            .enumerate()
            .map(|(k, &num)| {
                let flag = flags.get(k).copied().unwrap_or(0);
                let text = texts.get(k).cloned().unwrap_or_default();
                let column = (num != 0).then(|| r.columns.get(&num).cloned()).flatten();
                IndexColumn {
                    is_expression: column.is_none(),
                    expression: column.unwrap_or(text),
                    // indoption: bit 0 DESC, bit 1 NULLS FIRST.
                    asc: flag & 1 == 0,
                    nulls: if flag & 2 != 0 { "first" } else { "last" }.into(),
                    opclass: opclasses.get(k).filter(|o| !o.is_empty()).cloned(),
                }
            })
            .collect();
        let options: Vec<String> = get(&row, "options", what)?;
        table.indexes.insert(
            name.clone(),
            Index {
                name,
                columns,
                is_unique: get(&row, "is_unique", what)?,
                where_clause: get(&row, "predicate", what)?,
                concurrently: false,
                method: get(&row, "method", what)?,
                with: options.iter().map(|o| option(o)).collect(),
                algorithm: None,
                lock: None,
            },
        );
    }
    Ok(())
}

/// Policies, inside their table.
async fn read_policies(
    conn: &mut PgConnection,
    rels: &Relations,
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    for row in fetch_oids(conn, POLICIES, &rels.oids, "policies").await? {
        let what = "policies";
        let rel: i64 = get(&row, "rel", what)?;
        let Some((_, table)) = rels.table(model, rel) else {
            continue;
        };
        let (name, policy) = policy(&row)?;
        table.policies.insert(name, policy);
    }
    Ok(())
}

async fn read_roles(
    conn: &mut PgConnection,
    filter: &RolesFilter,
    model: &mut PgSnapshot,
) -> Result<(), Error> {
    let rows = sqlx::query(ROLES)
        .fetch_all(&mut *conn)
        .await
        .map_err(reading("roles"))?;
    for row in rows {
        let name: String = get(&row, "name", "roles")?;
        // `pg_` names are reserved for the server's own roles. Superusers and the role push
        // connects as administer the database: never dropped or altered unless named in
        // `include`.
        let administers: bool = get(&row, "administers", "roles")?;
        if name.starts_with("pg_") || !filter.keeps(&name) || (administers && !filter.names(&name))
        {
            continue;
        }
        model.roles.insert(
            name.clone(),
            Role {
                name,
                create_db: get(&row, "create_db", "roles")?,
                create_role: get(&row, "create_role", "roles")?,
                inherit: get(&row, "inherit", "roles")?,
            },
        );
    }
    Ok(())
}

/// A policy row of [`POLICIES`] or [`LINKED_POLICIES`], by name.
fn policy(row: &PgRow) -> Result<(String, Policy), Error> {
    let what = "policies";
    let name: String = get(row, "name", what)?;
    let permissive: bool = get(row, "permissive", what)?;
    let command = match get::<String>(row, "command", what)?.as_str() {
        "r" => "SELECT",
        "a" => "INSERT",
        "w" => "UPDATE",
        "d" => "DELETE",
        _ => "ALL",
    };
    let mut to: Vec<String> = get(row, "roles", what)?;
    to.sort();
    let policy = Policy {
        name: name.clone(),
        as_: Some(
            if permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            }
            .into(),
        ),
        for_: Some(command.into()),
        to: Some(to),
        using: get(row, "using_expr", what)?,
        with_check: get(row, "check_expr", what)?,
        schema: None,
        on: None,
    };
    Ok((name, policy))
}

/// The policies on the given tables (`(schema, table)`), as the model's top-level policies:
/// keyed by name, with `schema` and `on`. These are the tables a schema's standalone policies
/// are linked to (`pgPolicy(…).link(table)` on a table the schema does not declare, such as
/// Supabase's `auth.users`); `push` reads them beside [`introspect`] (drizzle-kit reads the
/// policies of the schemas such policies name).
pub async fn linked_policies(
    conn: &mut PgConnection,
    tables: &[(String, String)],
) -> Result<Map<Policy>, Error> {
    let mut out = Map::default();
    if tables.is_empty() {
        return Ok(out);
    }
    let (schemas, names): (Vec<String>, Vec<String>) = tables.iter().cloned().unzip();
    let rows = sqlx::query(LINKED_POLICIES)
        .bind(schemas)
        .bind(names)
        .fetch_all(&mut *conn)
        .await
        .map_err(reading("policies"))?;
    for row in rows {
        let schema: String = get(&row, "schema", "policies")?;
        let table: String = get(&row, "table_name", "policies")?;
        let (name, mut policy) = policy(&row)?;
        policy.on = Some(format!("\"{schema}\".\"{table}\""));
        policy.schema = Some(schema);
        out.insert(name, policy);
    }
    Ok(out)
}

/// One column of a table or view.
fn column(row: &PgRow, owned: Option<&Owned>) -> Result<Column, Error> {
    let what = "columns";
    let name: String = get(row, "name", what)?;
    let base: String = get(row, "base", what)?;
    let base_kind: String = get(row, "base_kind", what)?;
    let is_array: bool = get(row, "is_array", what)?;
    let dims: i32 = get(row, "dims", what)?;
    let formatted: String = get(row, "formatted", what)?;
    let is_enum = base_kind == "e";
    let mut sql_type = if is_enum {
        base.clone()
    } else {
        type_name(&formatted)
    };
    if is_array {
        for _ in 0..dims.max(1) {
            sql_type.push_str("[]");
        }
    }
    let collation: Option<String> = get(row, "collation", what)?;
    if let Some(c) = collation {
        sql_type.push_str(&format!(" COLLATE \"{c}\""));
    }
    let identity_kind: String = get(row, "identity", what)?;
    let generated_kind: String = get(row, "generated", what)?;
    let expr: Option<String> = get(row, "default_expr", what)?;
    let mut default = None;
    let mut generated = None;
    let mut identity = None;
    match (identity_kind.as_str(), generated_kind.as_str(), owned) {
        ("a" | "d", _, Some(seq)) if seq.identity => {
            identity = Some(Identity {
                kind: if identity_kind == "a" {
                    "always"
                } else {
                    "byDefault"
                }
                .into(),
                name: seq.name.clone(),
                schema: seq.schema.clone(),
                options: seq.options.clone(),
            });
        }
        // `s`: stored; `v`: virtual (PostgreSQL 18), which drizzle's PostgreSQL builders do not
        // make but the model can say.
        (_, "s" | "v", _) => {
            generated = expr.map(|e| Generated {
                expression: e,
                kind: if generated_kind == "v" {
                    "virtual"
                } else {
                    "stored"
                }
                .into(),
            });
        }
        // serial, smallserial, bigserial: an owned sequence behind a `nextval` default.
        (_, _, Some(seq))
            if !seq.identity
                && !is_array
                && expr.as_deref().is_some_and(|e| e.starts_with("nextval("))
                && matches!(base.as_str(), "int2" | "int4" | "int8") =>
        {
            sql_type = match base.as_str() {
                "int2" => "smallserial",
                "int4" => "serial",
                _ => "bigserial",
            }
            .into();
        }
        _ => {
            default = expr.map(|e| default_value(&e, Class::of(&base), is_array));
        }
    }
    let base_schema: String = get(row, "base_schema", what)?;
    Ok(Column {
        name,
        sql_type,
        type_schema: is_enum.then_some(base_schema),
        primary_key: false,
        not_null: get(row, "not_null", what)?,
        generated,
        identity,
        default,
        autoincrement: None,
        on_update: None,
    })
}

/// A foreign key action letter as the model's word.
fn action(letter: &str) -> &'static str {
    match letter {
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        _ => "no action",
    }
}

/// The condition of `CHECK (…)` as `pg_get_constraintdef` prints it, without the parentheses
/// PostgreSQL puts around it (drizzle-kit's pull does the same).
fn check_text(definition: &str) -> String {
    let d = definition
        .strip_suffix(" NOT VALID")
        .unwrap_or(definition)
        .trim();
    let inner = match d.strip_prefix("CHECK (").and_then(|r| r.strip_suffix(')')) {
        Some(inner) => inner,
        None => return d.to_string(),
    };
    unparenthesized(inner).to_string()
}

/// `text` without one pair of parentheses around all of it.
fn unparenthesized(text: &str) -> &str {
    let Some(body) = text.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return text;
    };
    // The first parenthesis must close at the very end, outside string literals.
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != text.len() - 1 {
                    return text;
                }
            }
            _ => {}
        }
    }
    body
}

/// A view's query as `pg_get_viewdef` prints it, on one line: runs of white space outside string
/// literals are one space, without the final `;` (drizzle-kit's pull does the same).
fn one_line(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut quoted = false;
    let mut space = false;
    for c in query.trim().trim_end_matches(';').trim_end().chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        if !quoted && c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// A storage parameter `name=value` with its value as drizzle keeps it: a number, a boolean or
/// text.
fn option(text: &str) -> (String, serde_json::Value) {
    let (k, v) = text.split_once('=').unwrap_or((text, ""));
    let value = match v {
        "true" | "on" => serde_json::Value::Bool(true),
        "false" | "off" => serde_json::Value::Bool(false),
        _ => serde_json::from_str::<serde_json::Number>(v)
            .map(serde_json::Value::Number)
            .unwrap_or_else(|_| serde_json::Value::String(v.to_string())),
    };
    (k.to_string(), value)
}

async fn fetch(
    conn: &mut PgConnection,
    query: &'static str,
    schemas: &[String],
    what: &'static str,
) -> Result<Vec<PgRow>, Error> {
    sqlx::query(query)
        .bind(schemas)
        .fetch_all(&mut *conn)
        .await
        .map_err(reading(what))
}

async fn fetch_oids(
    conn: &mut PgConnection,
    query: &'static str,
    oids: &[i64],
    what: &'static str,
) -> Result<Vec<PgRow>, Error> {
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query(query)
        .bind(oids)
        .fetch_all(&mut *conn)
        .await
        .map_err(reading(what))
}

fn get<'r, T>(row: &'r PgRow, column: &str, what: &'static str) -> Result<T, Error>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(reading(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_checks() {
        assert_eq!(option("fillfactor=70"), ("fillfactor".into(), 70.into()));
        assert_eq!(
            option("security_barrier=true"),
            ("security_barrier".into(), true.into())
        );
        assert_eq!(
            option("check_option=local"),
            ("check_option".into(), "local".into())
        );
        assert_eq!(check_text("CHECK ((age > 0))"), "age > 0");
        assert_eq!(check_text("CHECK ((a > 0)) NOT VALID"), "a > 0");
        assert_eq!(
            check_text("CHECK (((a > 0) OR (b > 0)))"),
            "(a > 0) OR (b > 0)"
        );
        assert_eq!(
            check_text("CHECK ((a > 0) AND (b > 0))"),
            "(a > 0) AND (b > 0)"
        );
        assert_eq!(check_text("CHECK ((a <> ')'::text))"), "a <> ')'::text");
        assert_eq!(
            one_line(" SELECT users.id,\n    'a  b'::text AS t\n   FROM users;"),
            "SELECT users.id, 'a  b'::text AS t FROM users"
        );
    }
}
