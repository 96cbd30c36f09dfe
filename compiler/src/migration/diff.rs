//! The diff of two PostgreSQL schemas: the previous migration's snapshot and the current Schema
//! IR, as Migration IR operations in drizzle-kit's statement order (`spec/build.md`).
//!
//! Both sides are compared as snapshots (the current schema through [`snapshot::from_schema`]),
//! so "changed" means what drizzle-kit's json diff calls changed. Created and altered entities are
//! borrowed from the current Schema IR; dropped ones are addressed by name. Renames are decided
//! before the diff ([`super::rename`]); the diff applies them to the previous snapshot first and
//! compares the result. What this version cannot migrate is returned as [`Unsupported`].

use super::rename::{self, Kind, Rename};
use super::{Operation, TableRef};
use crate::schema::{self, Schema};
use crate::snapshot::{self, PgSnapshot, pg};

/// Why a diff cannot be written yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unsupported {
    /// Changes this version of the diff does not migrate (`view "public"."v"`, ...).
    pub changes: Vec<String>,
}

fn key(schema: Option<&str>, name: &str) -> String {
    format!("{}.{name}", schema.unwrap_or("public"))
}

fn old_ref(t: &pg::Table) -> TableRef {
    TableRef {
        schema: (!t.schema.is_empty() && t.schema != "public").then(|| t.schema.clone()),
        name: t.name.clone(),
    }
}

fn display(t: &TableRef) -> String {
    match &t.schema {
        Some(s) => format!("\"{s}\".\"{}\"", t.name),
        None => format!("\"{}\"", t.name),
    }
}

/// The names in `old` whose entry `new` lacks or defines differently: what to drop.
fn gone_or_changed<'m, T: PartialEq>(
    old: &'m pg::Map<T>,
    new: &'m pg::Map<T>,
) -> impl Iterator<Item = (&'m String, &'m T)> {
    old.iter().filter(move |(n, v)| new.get(*n) != Some(*v))
}

/// Whether the entry named `name` differs between the two sides: what to (re)create.
fn changed<T: PartialEq>(old: &pg::Map<T>, new: &pg::Map<T>, name: &str) -> bool {
    old.get(name) != new.get(name)
}

/// drizzle-kit ignores a type change that only removes the space before `(`.
fn same_type(a: &str, b: &str) -> bool {
    a.replace(" (", "(") == b.replace(" (", "(")
}

/// The `USING` expression PostgreSQL needs to change a column from `old` to `new` type: none when
/// an implicit or assignment cast exists (any type to a string type, among numeric types, the
/// same base type with other modifiers, among date/time types), `"c"::new` otherwise.
pub fn using_cast(column: &str, old: &str, new: &str) -> Option<String> {
    let base = |t: &str| -> (String, bool) {
        let t = t.trim().to_ascii_lowercase();
        let array = t.ends_with(']');
        let head = t.split(['(', '[']).next().unwrap_or("").trim().to_string();
        (head, array)
    };
    let (o, oa) = base(old);
    let (n, na) = base(new);
    let family = |t: &str| -> &'static str {
        match t {
            "text" | "varchar" | "character varying" | "char" | "character" | "bpchar" => "string",
            "smallint" | "integer" | "int" | "int2" | "int4" | "int8" | "bigint" | "real"
            | "double precision" | "numeric" | "decimal" => "number",
            "date" => "date",
            _ if t.starts_with("timestamp") => "date",
            _ => "",
        }
    };
    let fits = oa == na
        && (o == n
            || (family(&n) == "string" && !na)
            || (!family(&o).is_empty() && family(&o) == family(&n)));
    (!fits).then(|| format!("{}::{new}", crate::codegen::postgres::ident(column)))
}

/// The operations that change a database at `old` into `new`, in drizzle-kit's order (§5.3),
/// given the renames decided for the step ([`rename::resolve`]). Whatever was removed and not
/// renamed is dropped.
pub fn diff<'s>(
    old: &PgSnapshot,
    new: &'s Schema,
    renames: &[Rename],
) -> Result<Vec<Operation<'s>>, Unsupported> {
    let cur = snapshot::from_schema(new, "", "");
    let renamed = rename_ops(old, &cur, renames);
    let patched = rename::apply(old, &cur, renames);
    let old = &patched;
    let mut un = Unsupported::default();

    // What this slice does not migrate.
    let mut whole = |what: &str, changed: bool| {
        if changed {
            un.changes.push(what.to_string());
        }
    };
    whole("schemas", old.schemas != cur.schemas);
    whole("sequences", old.sequences != cur.sequences);
    whole("roles", old.roles != cur.roles);
    whole("policies", old.policies != cur.policies);
    whole("views", old.views != cur.views);

    // Enums.
    let mut create_enums = Vec::new();
    let mut add_values = Vec::new();
    for e in &new.enums {
        let k = key(e.schema.as_deref(), &e.name);
        match old.enums.get(&k) {
            None => create_enums.push(Operation::CreateEnum(e)),
            Some(o) if o.values == e.values => {}
            Some(o) => {
                // Only additions, with the old values in their order.
                let kept: Vec<&String> = e.values.iter().filter(|v| o.values.contains(v)).collect();
                if kept.len() != o.values.len() || kept.iter().zip(&o.values).any(|(a, b)| *a != b)
                {
                    un.changes
                        .push(format!("enum \"{k}\": values removed or reordered"));
                    continue;
                }
                for (i, v) in e.values.iter().enumerate() {
                    if o.values.contains(v) {
                        continue;
                    }
                    // drizzle-kit: BEFORE the next value that already exists; appended otherwise.
                    let before = e.values[i + 1..]
                        .iter()
                        .find(|w| o.values.contains(w))
                        .cloned();
                    add_values.push(Operation::AddEnumValue {
                        enum_: e,
                        value: v.clone(),
                        before,
                    });
                }
            }
        }
    }
    let dropped_enums: Vec<(String, &pg::Enum)> = old
        .enums
        .iter()
        .filter(|(k, _)| !cur.enums.contains_key(*k))
        .map(|(k, e)| (k.clone(), e))
        .collect();

    // Tables.
    let created: Vec<&schema::Table> = new
        .tables
        .iter()
        .filter(|t| !old.tables.contains_key(&key(t.schema.as_deref(), &t.name)))
        .collect();
    let dropped: Vec<&pg::Table> = old
        .tables
        .iter()
        .filter(|(k, _)| !cur.tables.contains_key(*k))
        .map(|(_, t)| t)
        .collect();

    #[derive(Default)]
    struct Steps<'s> {
        drop_unique: Vec<Operation<'s>>,
        drop_check: Vec<Operation<'s>>,
        drop_fk: Vec<Operation<'s>>,
        drop_index: Vec<Operation<'s>>,
        drop_pk: Vec<Operation<'s>>,
        alter_columns: Vec<Operation<'s>>,
        add_pk: Vec<Operation<'s>>,
        add_column: Vec<Operation<'s>>,
        create_fk_new: Vec<Operation<'s>>,
        create_index_new: Vec<Operation<'s>>,
        create_fk: Vec<Operation<'s>>,
        create_index: Vec<Operation<'s>>,
        drop_column: Vec<Operation<'s>>,
        add_unique: Vec<Operation<'s>>,
        add_check: Vec<Operation<'s>>,
    }
    let mut st = Steps::default();

    for t in &new.tables {
        let k = key(t.schema.as_deref(), &t.name);
        let tref = TableRef::of(t);
        let Some(o) = old.tables.get(&k) else {
            for fk in &t.foreign_keys {
                st.create_fk_new.push(Operation::CreateForeignKey {
                    table: tref.clone(),
                    fk,
                });
            }
            for index in &t.indexes {
                st.create_index_new.push(Operation::CreateIndex {
                    table: tref.clone(),
                    index,
                });
            }
            continue;
        };
        let c = &cur.tables[&k];
        let shown = display(&tref);
        if o.policies != c.policies || o.is_rls_enabled != c.is_rls_enabled {
            un.changes
                .push(format!("table {shown}: policies or row level security"));
        }

        // Columns.
        let added: Vec<&schema::Column> = t
            .columns
            .iter()
            .filter(|col| !o.columns.contains_key(&col.name))
            .collect();
        let removed: Vec<&String> = o
            .columns
            .keys()
            .filter(|n| !c.columns.contains_key(*n))
            .collect();
        for col in &added {
            st.add_column.push(Operation::AddColumn {
                table: tref.clone(),
                column: col,
            });
        }
        for name in &removed {
            st.drop_column.push(Operation::DropColumn {
                table: tref.clone(),
                column: (*name).clone(),
            });
        }
        for col in &t.columns {
            let Some(oc) = o.columns.get(&col.name) else {
                continue;
            };
            let cc = &c.columns[&col.name];
            let what = |w: &str| format!("column {shown}.\"{}\": {w}", col.name);
            if oc.identity != cc.identity {
                un.changes.push(what("identity changed"));
            }
            if oc.generated != cc.generated {
                un.changes.push(what("generated expression changed"));
            }
            if oc.primary_key != cc.primary_key {
                un.changes.push(what("column primary key changed"));
            }
            let type_changed =
                !same_type(&oc.sql_type, &cc.sql_type) || oc.type_schema != cc.type_schema;
            if type_changed {
                let serial = |t: &str| t.contains("serial");
                if oc.type_schema.is_some() || cc.type_schema.is_some() {
                    un.changes.push(what("type change to or from an enum"));
                } else if serial(&oc.sql_type) || serial(&cc.sql_type) {
                    un.changes.push(what("type change to or from serial"));
                } else {
                    st.alter_columns.push(Operation::SetColumnType {
                        table: tref.clone(),
                        column: col,
                        using: using_cast(&col.name, &oc.sql_type, &cc.sql_type),
                    });
                }
            }
            if oc.default != cc.default || (type_changed && cc.default.is_some()) {
                st.alter_columns.push(match cc.default {
                    Some(_) => Operation::SetDefault {
                        table: tref.clone(),
                        column: col,
                    },
                    None => Operation::DropDefault {
                        table: tref.clone(),
                        column: col.name.clone(),
                    },
                });
            }
            if oc.not_null != cc.not_null && cc.identity.is_none() {
                st.alter_columns.push(Operation::SetNotNull {
                    table: tref.clone(),
                    column: col.name.clone(),
                    not_null: cc.not_null,
                });
            }
        }

        // Constraints and indexes: keyed by name; a changed one is dropped and added.
        let drop = |name: &str| Operation::DropConstraint {
            table: tref.clone(),
            name: name.to_string(),
        };
        for (n, _) in gone_or_changed(&o.unique_constraints, &c.unique_constraints) {
            st.drop_unique.push(drop(n));
        }
        for u in t
            .uniques
            .iter()
            .filter(|u| changed(&o.unique_constraints, &c.unique_constraints, &u.name))
        {
            st.add_unique.push(Operation::AddUnique {
                table: tref.clone(),
                unique: u,
            });
        }
        for (n, _) in gone_or_changed(&o.check_constraints, &c.check_constraints) {
            st.drop_check.push(drop(n));
        }
        for x in t
            .checks
            .iter()
            .filter(|x| changed(&o.check_constraints, &c.check_constraints, &x.name))
        {
            st.add_check.push(Operation::AddCheck {
                table: tref.clone(),
                check: x,
            });
        }
        // A foreign key to a dropped table goes with it (`DROP TABLE .. CASCADE` runs first);
        // dropping it again would fail.
        let to_dropped = |f: &pg::ForeignKey| {
            let to = key(f.schema_to.as_deref(), &f.table_to);
            dropped.iter().any(|d| {
                key(
                    Some(&d.schema)
                        .filter(|s| !s.is_empty())
                        .map(|s| s.as_str()),
                    &d.name,
                ) == to
            })
        };
        for (n, _) in
            gone_or_changed(&o.foreign_keys, &c.foreign_keys).filter(|(_, f)| !to_dropped(f))
        {
            st.drop_fk.push(drop(n));
        }
        for fk in t
            .foreign_keys
            .iter()
            .filter(|f| changed(&o.foreign_keys, &c.foreign_keys, &f.name))
        {
            st.create_fk.push(Operation::CreateForeignKey {
                table: tref.clone(),
                fk,
            });
        }
        for (n, _) in gone_or_changed(&o.composite_primary_keys, &c.composite_primary_keys) {
            st.drop_pk.push(drop(n));
        }
        if let Some(pk) = t.primary_key.as_ref().filter(|pk| {
            changed(
                &o.composite_primary_keys,
                &c.composite_primary_keys,
                &pk.name,
            )
        }) {
            st.add_pk.push(Operation::AddPrimaryKey {
                table: tref.clone(),
                pk,
            });
        }
        for (n, _) in gone_or_changed(&o.indexes, &c.indexes) {
            st.drop_index.push(Operation::DropIndex {
                schema: tref.schema.clone(),
                name: n.clone(),
            });
        }
        for index in t
            .indexes
            .iter()
            .filter(|i| changed(&o.indexes, &c.indexes, &i.name))
        {
            st.create_index.push(Operation::CreateIndex {
                table: tref.clone(),
                index,
            });
        }
    }

    if !un.changes.is_empty() {
        return Err(un);
    }

    let of = |kind: Kind| {
        renamed
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, op)| op.clone())
    };
    let mut ops: Vec<Operation<'s>> = of(Kind::Schema).collect();
    ops.extend(create_enums);
    ops.extend(of(Kind::Enum));
    ops.extend(add_values);
    ops.extend(of(Kind::Sequence));
    ops.extend(of(Kind::Role));
    ops.extend(created.into_iter().map(Operation::CreateTable));
    ops.extend(of(Kind::View));
    ops.extend(dropped.iter().map(|t| Operation::DropTable(old_ref(t))));
    ops.extend(of(Kind::Table));
    ops.extend(of(Kind::Column));
    for step in [
        st.drop_unique,
        st.drop_check,
        st.drop_fk,
        st.drop_index,
        st.drop_pk,
        st.alter_columns,
        // drizzle-kit adds primary keys before columns; after them, a key on a new column works.
        st.add_column,
        st.add_pk,
        st.create_fk_new,
        st.create_index_new,
        st.create_fk,
        st.create_index,
        st.drop_column,
        st.add_unique,
        st.add_check,
    ] {
        ops.extend(step);
    }
    ops.extend(of(Kind::Policy));
    ops.extend(dropped_enums.iter().map(|(_, e)| Operation::DropEnum {
        schema: e.schema.clone(),
        name: e.name.clone(),
    }));
    Ok(ops)
}

/// The table a standalone policy is linked to (`on` is `"schema"."table"`).
fn policy_table(p: &pg::Policy) -> Option<TableRef> {
    let on = p.on.as_deref()?;
    let (schema, name) = on.split_once("\".\"")?;
    let (schema, name) = (schema.trim_matches('"'), name.trim_matches('"'));
    Some(TableRef {
        schema: (schema != "public").then(|| schema.to_string()),
        name: name.to_string(),
    })
}

/// The statements of the decided renames, by kind: names before from `old`, after from `cur`.
fn rename_ops(
    old: &PgSnapshot,
    cur: &PgSnapshot,
    renames: &[Rename],
) -> Vec<(Kind, Operation<'static>)> {
    let table_ref = |key: &Option<String>| -> Option<TableRef> {
        key.as_ref().and_then(|k| cur.tables.get(k)).map(old_ref)
    };
    let object = |kind: Kind,
                  materialized: bool,
                  from: Option<(&String, &String)>,
                  to: Option<(&String, &String)>| {
        let ((fs, f), (ts, t)) = (from?, to?);
        let public = |s: &String| {
            if s.is_empty() {
                "public".to_string()
            } else {
                s.clone()
            }
        };
        Some(Operation::RenameObject {
            kind,
            materialized,
            from: (public(fs), f.clone()),
            to: (public(ts), t.clone()),
        })
    };
    renames
        .iter()
        .filter_map(|r| {
            let op = match r.kind {
                Kind::Schema => Some(Operation::RenameSchema {
                    from: r.from.clone(),
                    to: r.to.clone(),
                }),
                Kind::Role => Some(Operation::RenameRole {
                    from: r.from.clone(),
                    to: r.to.clone(),
                }),
                Kind::Enum => object(
                    r.kind,
                    false,
                    old.enums.get(&r.from).map(|e| (&e.schema, &e.name)),
                    cur.enums.get(&r.to).map(|e| (&e.schema, &e.name)),
                ),
                Kind::Sequence => object(
                    r.kind,
                    false,
                    old.sequences.get(&r.from).map(|e| (&e.schema, &e.name)),
                    cur.sequences.get(&r.to).map(|e| (&e.schema, &e.name)),
                ),
                Kind::View => object(
                    r.kind,
                    old.views.get(&r.from).is_some_and(|v| v.materialized),
                    old.views.get(&r.from).map(|e| (&e.schema, &e.name)),
                    cur.views.get(&r.to).map(|e| (&e.schema, &e.name)),
                ),
                Kind::Table => object(
                    r.kind,
                    false,
                    old.tables.get(&r.from).map(|e| (&e.schema, &e.name)),
                    cur.tables.get(&r.to).map(|e| (&e.schema, &e.name)),
                ),
                Kind::Column => table_ref(&r.scope).map(|table| Operation::RenameColumn {
                    table,
                    from: r.from.clone(),
                    to: r.to.clone(),
                }),
                Kind::Policy => table_ref(&r.scope)
                    .or_else(|| cur.policies.get(&r.to).and_then(policy_table))
                    .map(|table| Operation::RenamePolicy {
                        table,
                        from: r.from.clone(),
                        to: r.to.clone(),
                    }),
            };
            op.map(|op| (r.kind, op))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::testing::{col, loc, table};
    use crate::schema::{DefaultValue, Dialect};

    fn schema(tables: Vec<schema::Table>, enums: Vec<schema::Enum>) -> Schema {
        let mut s = Schema::empty(Dialect::Postgresql);
        s.tables = tables;
        s.enums = enums;
        s
    }

    fn mood(values: &[&str]) -> schema::Enum {
        schema::Enum {
            schema: None,
            name: "mood".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            origin: loc(),
        }
    }

    fn sql(old: &Schema, new: &Schema) -> Vec<String> {
        let prev = snapshot::from_schema(old, "", "");
        let ops = diff(&prev, new, &[]).expect("supported");
        crate::codegen::statements(Dialect::Postgresql, &ops)
    }

    #[test]
    fn columns_constraints_and_enums_in_drizzle_kit_order() {
        let mut t1 = table("t", vec![col("id", "integer"), col("code", "text")]);
        t1.checks.push(schema::Check {
            name: "t_check".into(),
            expression: "\"id\" > 0".into(),
            origin: loc(),
        });
        let old = schema(vec![t1], vec![mood(&["sad", "happy"])]);

        let mut code = col("code", "integer");
        code.not_null = true;
        code.default = Some(DefaultValue::Number("0".into()));
        let mut t2 = table("t", vec![col("id", "integer"), code, col("extra", "text")]);
        t2.checks.push(schema::Check {
            name: "t_check".into(),
            expression: "\"id\" > 1".into(),
            origin: loc(),
        });
        t2.uniques.push(schema::Unique {
            name: "t_extra_unique".into(),
            columns: vec!["extra".into()],
            nulls_not_distinct: false,
            origin: loc(),
        });
        let new = schema(
            vec![t2, table("u", vec![col("id", "integer")])],
            vec![mood(&["sad", "ok", "happy", "ecstatic"])],
        );
        assert_eq!(
            sql(&old, &new),
            [
                "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ok' BEFORE 'happy';",
                "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ecstatic';",
                "CREATE TABLE \"u\" (\n\t\"id\" integer\n);\n",
                "ALTER TABLE \"t\" DROP CONSTRAINT \"t_check\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"code\" SET DATA TYPE integer USING \"code\"::integer;",
                "ALTER TABLE \"t\" ALTER COLUMN \"code\" SET DEFAULT 0;",
                "ALTER TABLE \"t\" ALTER COLUMN \"code\" SET NOT NULL;",
                "ALTER TABLE \"t\" ADD COLUMN \"extra\" text;",
                "ALTER TABLE \"t\" ADD CONSTRAINT \"t_extra_unique\" UNIQUE(\"extra\");",
                "ALTER TABLE \"t\" ADD CONSTRAINT \"t_check\" CHECK (\"id\" > 1);",
            ]
        );
    }

    #[test]
    fn drops_come_last_and_enums_after_tables() {
        let mut f = col("feeling", "mood");
        f.enum_schema = Some("public".into());
        let old = schema(
            vec![
                table("t", vec![col("id", "integer"), f]),
                table("gone", vec![col("id", "integer")]),
            ],
            vec![mood(&["sad"])],
        );
        let new = schema(vec![table("t", vec![col("id", "integer")])], vec![]);
        assert_eq!(
            sql(&old, &new),
            [
                "DROP TABLE \"gone\" CASCADE;",
                "ALTER TABLE \"t\" DROP COLUMN \"feeling\";",
                "DROP TYPE \"public\".\"mood\";",
            ]
        );
    }

    #[test]
    fn a_foreign_key_to_a_dropped_table_goes_with_it() {
        let fk = schema::ForeignKey {
            name: "t_p_fk".into(),
            columns: vec!["p".into()],
            ref_schema: None,
            ref_table: "parent".into(),
            ref_columns: vec!["id".into()],
            on_delete: schema::FkAction::NoAction,
            on_update: schema::FkAction::NoAction,
            origin: loc(),
        };
        let mut t = table("t", vec![col("id", "integer"), col("p", "integer")]);
        t.foreign_keys.push(fk);
        let old = schema(vec![t, table("parent", vec![col("id", "integer")])], vec![]);
        let new = schema(vec![table("t", vec![col("id", "integer")])], vec![]);
        assert_eq!(
            sql(&old, &new),
            [
                "DROP TABLE \"parent\" CASCADE;",
                "ALTER TABLE \"t\" DROP COLUMN \"p\";",
            ]
        );
    }

    #[test]
    fn renames_decided_before_the_diff_become_renames_not_drops() {
        let old = schema(
            vec![table("a", vec![col("id", "integer"), col("x", "text")])],
            vec![],
        );
        let new = schema(
            vec![table(
                "b",
                vec![col("id", "integer"), col("y", "text"), col("z", "text")],
            )],
            vec![],
        );
        let prev = snapshot::from_schema(&old, "", "");
        // Without answers, a gone table is dropped and a new one created.
        let ops = diff(&prev, &new, &[]).unwrap();
        let plain = crate::codegen::statements(Dialect::Postgresql, &ops);
        assert_eq!(plain[1], "DROP TABLE \"a\" CASCADE;");
        let renames = [
            Rename {
                kind: Kind::Table,
                scope: None,
                from: "public.a".into(),
                to: "public.b".into(),
            },
            Rename {
                kind: Kind::Column,
                scope: Some("public.b".into()),
                from: "x".into(),
                to: "y".into(),
            },
        ];
        let ops = diff(&prev, &new, &renames).unwrap();
        assert_eq!(
            crate::codegen::statements(Dialect::Postgresql, &ops),
            [
                "ALTER TABLE \"a\" RENAME TO \"b\";",
                "ALTER TABLE \"b\" RENAME COLUMN \"x\" TO \"y\";",
                "ALTER TABLE \"b\" ADD COLUMN \"z\" text;",
            ]
        );
    }

    #[test]
    fn unsupported_changes_are_refused() {
        let old = schema(vec![table("a", vec![col("x", "text")])], vec![]);
        let prev = snapshot::from_schema(&old, "", "");
        let mut g = col("x", "text");
        g.generated = Some(Box::new(schema::Generated {
            expression: "'a'".into(),
            stored: true,
        }));
        let generated = schema(vec![table("a", vec![g])], vec![]);
        let un = diff(&prev, &generated, &[]).unwrap_err();
        assert!(un.changes[0].contains("generated"), "{un:?}");
        assert!(diff(&prev, &old, &[]).unwrap().is_empty());
    }

    #[test]
    fn using_casts_only_where_postgres_needs_them() {
        assert_eq!(using_cast("c", "integer", "bigint"), None);
        assert_eq!(using_cast("c", "varchar(50)", "varchar(120)"), None);
        assert_eq!(using_cast("c", "integer", "text"), None);
        assert_eq!(
            using_cast("c", "timestamp", "timestamp with time zone"),
            None
        );
        assert_eq!(
            using_cast("c", "text", "bigint").as_deref(),
            Some("\"c\"::bigint")
        );
        assert_eq!(
            using_cast("c", "integer", "boolean").as_deref(),
            Some("\"c\"::boolean")
        );
        assert_eq!(
            using_cast("c", "text", "text[]").as_deref(),
            Some("\"c\"::text[]")
        );
    }
}
