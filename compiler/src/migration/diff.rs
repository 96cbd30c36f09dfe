//! The diff of two PostgreSQL schemas: the previous migration's snapshot and the current Schema
//! IR, as Migration IR operations in drizzle-kit's statement order (`spec/build.md`).
//!
//! Both sides are compared as snapshots (the current schema through [`snapshot::from_schema`]),
//! so "changed" means what drizzle-kit's json diff calls changed. Created and altered entities are
//! borrowed from the current Schema IR; dropped ones are addressed by name. Renames are decided
//! before the diff ([`super::rename`]); the diff applies them to the previous snapshot first and
//! compares the result. Kinds beside tables, columns, constraints and indexes come from
//! `objects.rs`. What cannot be migrated (a type change between an enum and a serial type) is
//! returned as [`Unsupported`].

use super::objects;
use super::rename::{self, Kind, Rename};
use super::{Operation, TableRef};
use crate::schema::{self, Dialect, Schema};
use crate::snapshot::{PgSnapshot, pg};

/// Why a diff cannot be written yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unsupported {
    /// Changes the diff does not migrate, each with its reason.
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

/// Whether two columns have one type. An enum column (`typeSchema`) is of the same type as a
/// custom type named by the enum's qualified name (`"app"."status"`: how `pull` writes an enum
/// of a schema it did not read).
fn same_column_type(a: &pg::Column, b: &pg::Column) -> bool {
    if same_type(&a.sql_type, &b.sql_type) && a.type_schema == b.type_schema {
        return true;
    }
    let qualified = |c: &pg::Column| match &c.type_schema {
        Some(s) => {
            let base = c.sql_type.trim_end_matches("[]");
            format!("\"{s}\".\"{base}\"{}", &c.sql_type[base.len()..])
        }
        None => c.sql_type.clone(),
    };
    (a.type_schema.is_some() != b.type_schema.is_some()) && qualified(a) == qualified(b)
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
/// given `new`'s snapshot (`snapshot::from_schema`, which the caller has already made) and the
/// renames decided for the step ([`rename::resolve`]). Whatever was removed and not renamed is
/// dropped.
pub fn diff<'s>(
    old: &PgSnapshot,
    new: &'s Schema,
    cur: &PgSnapshot,
    renames: &[Rename],
) -> Result<Vec<Operation<'s>>, Unsupported> {
    let renamed = rename_ops(old, cur, renames, new.dialect);
    let patched = rename::apply(old, cur, renames);
    let old = &patched;
    let mut un = Unsupported::default();

    let globals = objects::globals(old, cur, new);

    // Enums. Values removed or reordered: the enum is rewritten (`objects::enum_rewrites`).
    let (rewritten, enum_rewrite) = objects::enum_rewrites(old, cur, new);
    let mut create_enums = Vec::new();
    let mut add_values = Vec::new();
    for e in &new.enums {
        let k = key(e.schema.as_deref(), &e.name);
        match old.enums.get(&k) {
            None => create_enums.push(Operation::CreateEnum(e)),
            Some(o) if o.values == e.values || rewritten.contains(&k) => {}
            Some(o) => {
                // Only additions, with the old values in their order.
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
        rls: Vec<Operation<'s>>,
        drop_index: Vec<Operation<'s>>,
        /// Indexes whose `where` or expressions read a column of a rewritten enum: dropped
        /// before the column becomes `text` (`text = mood` has no operator), created again
        /// after.
        drop_index_early: Vec<Operation<'s>>,
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
    let mut policies = objects::Policies::default();
    // Tables whose columns change in a way PostgreSQL refuses under a view.
    let mut touched: Vec<String> = dropped.iter().map(|t| t.name.clone()).collect();

    for t in &new.tables {
        let k = key(t.schema.as_deref(), &t.name);
        let tref = TableRef::of(t);
        let Some(o) = old.tables.get(&k) else {
            objects::table_policies(&mut policies, t, None, &cur.tables[&k]);
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
        st.rls.extend(objects::row_level_security(o, t));

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
        // Column primary keys: drops, then adds, before the other column changes.
        let pk_changes: Vec<_> = t
            .columns
            .iter()
            .filter_map(|col| Some((o.columns.get(&col.name)?, &c.columns[&col.name])))
            .map(|(oc, cc)| objects::column_primary_key(&tref, oc, cc))
            .collect();
        let (pk_drops, pk_adds): (Vec<_>, Vec<_>) = pk_changes.into_iter().unzip();
        st.alter_columns.extend(pk_drops.into_iter().flatten());
        // A removed column that was the primary key takes the key with it, but only when it is
        // dropped, after the new key is added (PostgreSQL: "multiple primary keys"): the old key
        // goes first when the table has a new one.
        if removed.iter().any(|n| o.columns[*n].primary_key)
            && (t.primary_key.is_some() || t.columns.iter().any(|col| col.primary_key))
        {
            st.alter_columns.push(Operation::DropConstraint {
                table: tref.clone(),
                name: objects::pkey_name(&t.name),
            });
        }
        st.alter_columns.extend(pk_adds.into_iter().flatten());
        let mut reshaped = !removed.is_empty();
        // Columns dropped and added again: their indexes and constraints are added again too.
        let mut regen: Vec<String> = Vec::new();
        let mut retyped: Vec<String> = Vec::new();
        for col in &t.columns {
            let Some(oc) = o.columns.get(&col.name) else {
                continue;
            };
            let cc = &c.columns[&col.name];
            let what = |w: &str| format!("column {shown}.\"{}\": {w}", col.name);
            if objects::regenerated(oc, cc) {
                // Dropped and added with its new expression (its values are computed again).
                reshaped = true;
                regen.push(col.name.clone());
                st.alter_columns.push(Operation::DropColumn {
                    table: tref.clone(),
                    column: col.name.clone(),
                });
                st.alter_columns.push(Operation::AddColumn {
                    table: tref.clone(),
                    column: col,
                });
                continue;
            }
            let (identity_first, identity_then) = objects::identity(&tref, col, oc, cc);
            // A generated column becomes plain before anything else changes (PostgreSQL refuses
            // `USING` on a generated column).
            st.alter_columns
                .extend(objects::drop_expression(&tref, oc, cc));
            let type_changed = !same_column_type(oc, cc);
            let serial = objects::serial_change(&tref, col, oc, cc);
            if type_changed {
                reshaped = true;
                retyped.push(col.name.clone());
                if let Some(serial) = &serial {
                    match serial {
                        Ok(ops) => st.alter_columns.extend(ops.iter().cloned()),
                        Err(why) => un.changes.push(what(why)),
                    }
                } else {
                    let using = if oc.type_schema.is_some() || cc.type_schema.is_some() {
                        objects::enum_using(col)
                    } else {
                        using_cast(&col.name, &oc.sql_type, &cc.sql_type)
                    };
                    // PostgreSQL casts the default with the column only when an assignment
                    // cast exists; where `USING` is needed, the default goes first.
                    if using.is_some() && oc.default.is_some() {
                        st.alter_columns.push(Operation::DropDefault {
                            table: tref.clone(),
                            column: col.name.clone(),
                        });
                    }
                    st.alter_columns.push(Operation::SetColumnType {
                        table: tref.clone(),
                        column: col,
                        using,
                    });
                }
            }
            // A serial change sets the default itself.
            if !(type_changed && serial.is_some())
                && (oc.default != cc.default || (type_changed && cc.default.is_some()))
            {
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
            // DROP IDENTITY before DROP NOT NULL (refused on an identity column); SET NOT NULL
            // before ADD GENERATED .. AS IDENTITY (which needs it).
            st.alter_columns.extend(identity_first);
            // A column of the primary key stays NOT NULL on PostgreSQL whatever the schema
            // says: `DROP NOT NULL` on it fails (`column is in a primary key`), and a fresh
            // `CREATE TABLE` gives the same catalog without it.
            let stays_keyed = new.dialect == schema::Dialect::Postgresql
                && !cc.not_null
                && (cc.primary_key
                    || t.primary_key
                        .as_ref()
                        .is_some_and(|pk| pk.columns.contains(&col.name)));
            if oc.not_null != cc.not_null
                && !(oc.identity.is_some() && cc.identity.is_some())
                && !stays_keyed
            {
                st.alter_columns.push(Operation::SetNotNull {
                    table: tref.clone(),
                    column: col.name.clone(),
                    not_null: cc.not_null,
                });
            }
            st.alter_columns.extend(identity_then);
            // MySQL's `AUTO_INCREMENT` and `ON UPDATE` (never set on PostgreSQL): the column's
            // whole definition again.
            if oc.autoincrement != cc.autoincrement || oc.on_update != cc.on_update {
                st.alter_columns.push(Operation::ModifyColumn {
                    table: tref.clone(),
                    column: col,
                });
            }
        }
        if reshaped {
            touched.push(t.name.clone());
        }
        // Policies over columns that change type or are dropped: dropped first, created again.
        let mut affected: Vec<String> = removed.iter().map(|n| (*n).clone()).collect();
        affected.extend(regen.iter().cloned());
        affected.extend(retyped);
        affected.extend(enum_rewrite.iter().filter_map(|op| match op {
            Operation::SetColumnTypeTo { table, column, .. } if *table == tref => {
                Some(column.clone())
            }
            _ => None,
        }));
        // Checks and partial or expression indexes reading a column of a rewritten enum
        // compare it with the enum's values, which `text` has no operator for: they go before
        // the rewrite and come back after.
        let enum_columns: Vec<String> = enum_rewrite
            .iter()
            .filter_map(|op| match op {
                Operation::SetColumnTypeTo { table, column, .. } if *table == tref => {
                    Some(column.clone())
                }
                _ => None,
            })
            .collect();
        let reads_enum = |sql: &str| enum_columns.iter().any(|n| objects::mentions(sql, n));
        let old_index_reads_enum = |i: &pg::Index| {
            i.where_clause.as_deref().is_some_and(reads_enum)
                || i.columns
                    .iter()
                    .any(|c| c.is_expression && reads_enum(&c.expression))
        };
        objects::policies_over_columns(&mut policies, old, o, &affected);
        objects::table_policies(&mut policies, t, Some(o), c);

        // Constraints and indexes: keyed by name; a changed one is dropped and added.
        let drop = |name: &str| Operation::DropConstraint {
            table: tref.clone(),
            name: name.to_string(),
        };
        for (n, _) in gone_or_changed(&o.unique_constraints, &c.unique_constraints) {
            st.drop_unique.push(drop(n));
        }
        // A dialect's snapshot may keep a unique constraint as a unique index (SQLite) or a
        // unique index as a unique constraint (MySQL): what changed is looked up in both maps.
        let unique_changed = |name: &str| {
            if c.indexes.contains_key(name) {
                changed(&o.indexes, &c.indexes, name)
            } else {
                changed(&o.unique_constraints, &c.unique_constraints, name)
            }
        };
        for u in t
            .uniques
            .iter()
            .filter(|u| unique_changed(&u.name) || u.columns.iter().any(|n| regen.contains(n)))
        {
            st.add_unique.push(Operation::AddUnique {
                table: tref.clone(),
                unique: u,
            });
        }
        for (n, x) in &o.check_constraints {
            // `changed` is also true for a check that is gone.
            if changed(&o.check_constraints, &c.check_constraints, n) || reads_enum(&x.value) {
                st.drop_check.push(drop(n));
            }
        }
        for x in t.checks.iter().filter(|x| {
            changed(&o.check_constraints, &c.check_constraints, &x.name)
                || regen.iter().any(|n| objects::mentions(&x.expression, n))
                || o.check_constraints
                    .get(&x.name)
                    .is_some_and(|old| reads_enum(&old.value))
        }) {
            st.add_check.push(Operation::AddCheck {
                table: tref.clone(),
                check: x,
            });
        }
        // On PostgreSQL a foreign key to a dropped table goes with it (`DROP TABLE .. CASCADE`
        // runs first); dropping it again would fail. MySQL and SQLite drop it themselves.
        let to_dropped = |f: &pg::ForeignKey| {
            if new.dialect != schema::Dialect::Postgresql {
                return false;
            }
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
        for fk in t.foreign_keys.iter().filter(|f| {
            changed(&o.foreign_keys, &c.foreign_keys, &f.name)
                || f.columns.iter().any(|n| regen.contains(n))
        }) {
            st.create_fk.push(Operation::CreateForeignKey {
                table: tref.clone(),
                fk,
            });
        }
        // MySQL and SQLite primary keys have no name of their own (MySQL's is always
        // `PRIMARY`): one whose columns stay is unchanged, whatever drizzle's name for it
        // became (a renamed table: dropping and adding it fails on an AUTO_INCREMENT column).
        fn key_columns(keys: &crate::snapshot::pg::Map<pg::PrimaryKey>) -> Vec<&Vec<String>> {
            let mut cols: Vec<&Vec<String>> = keys.values().map(|pk| &pk.columns).collect();
            cols.sort();
            cols.dedup();
            cols
        }
        let same_keys = new.dialect != schema::Dialect::Postgresql
            && key_columns(&o.composite_primary_keys) == key_columns(&c.composite_primary_keys);
        for (n, _) in gone_or_changed(&o.composite_primary_keys, &c.composite_primary_keys)
            .filter(|_| !same_keys)
        {
            st.drop_pk.push(drop(n));
        }
        for (n, pk) in c.composite_primary_keys.iter().filter(|(n, _)| {
            !same_keys && changed(&o.composite_primary_keys, &c.composite_primary_keys, n)
        }) {
            match t.primary_key.as_ref().filter(|pk| pk.name == **n) {
                Some(pk) => st.add_pk.push(Operation::AddPrimaryKey {
                    table: tref.clone(),
                    pk,
                }),
                // MySQL's snapshot keeps a `.primaryKey()` column as a key named
                // `<table>_<column>`.
                None => {
                    st.add_pk
                        .extend(pk.columns.iter().map(|col| Operation::AddColumnPrimaryKey {
                            table: tref.clone(),
                            column: col.clone(),
                        }))
                }
            }
        }
        for (n, oi) in &o.indexes {
            let op = Operation::DropIndex {
                schema: tref.schema.clone(),
                table: tref.name.clone(),
                name: n.clone(),
            };
            if old_index_reads_enum(oi) {
                st.drop_index_early.push(op);
            } else if changed(&o.indexes, &c.indexes, n) {
                st.drop_index.push(op);
            }
        }
        let index_changed = |name: &str| {
            if c.unique_constraints.contains_key(name) {
                changed(&o.unique_constraints, &c.unique_constraints, name)
            } else {
                changed(&o.indexes, &c.indexes, name)
            }
        };
        for index in t.indexes.iter().filter(|i| {
            index_changed(&i.name)
                || objects::index_uses(i, &regen)
                // dropped ahead of the rewrite (`drop_index_early`)
                || o.indexes.get(&i.name).is_some_and(old_index_reads_enum)
        }) {
            st.create_index.push(Operation::CreateIndex {
                table: tref.clone(),
                index,
            });
        }
    }

    if !un.changes.is_empty() {
        return Err(un);
    }

    touched.extend(enum_rewrite.iter().filter_map(|op| match op {
        Operation::SetColumnTypeTo { table, .. } => Some(table.name.clone()),
        _ => None,
    }));
    let views = objects::views(old, cur, new, &touched);
    let gone = |t: &TableRef| dropped.iter().any(|d| old_ref(d) == *t);
    objects::standalone_policies(&mut policies, old, cur, new, &gone);

    let of = |kind: Kind| {
        renamed
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, op)| op.clone())
    };
    let mut ops = globals.create_schema;
    ops.extend(of(Kind::Schema));
    ops.extend(create_enums);
    ops.extend(of(Kind::Enum));
    ops.extend(add_values);
    ops.extend(globals.create_sequence);
    ops.extend(of(Kind::Sequence));
    ops.extend(globals.alter_sequence);
    ops.extend(of(Kind::Role));
    ops.extend(globals.create_role);
    ops.extend(globals.alter_role);
    let create_tables: Vec<Operation<'s>> =
        created.into_iter().map(Operation::CreateTable).collect();
    let drop_tables: Vec<Operation<'s>> = dropped
        .iter()
        .map(|t| Operation::DropTable(old_ref(t)))
        .collect();
    let steps: Vec<Vec<Operation<'s>>> = match new.dialect {
        Dialect::Postgresql => vec![
            create_tables,
            st.rls,
            views.drop,
            of(Kind::View).collect(),
            views.alter,
            drop_tables,
            of(Kind::Table).collect(),
            of(Kind::Column).collect(),
            // drizzle-kit renames policies later; here, before anything drops or alters a
            // policy under its new name.
            of(Kind::Policy).collect(),
            // Foreign keys go first: one may depend on a unique constraint dropped here.
            st.drop_fk,
            st.drop_unique,
            st.drop_check,
            policies.drop_early,
            st.drop_index_early,
            enum_rewrite,
            st.drop_index,
            st.drop_pk,
            st.alter_columns,
            // drizzle-kit adds primary keys before columns; after them, a key on a new column
            // works.
            st.add_column,
            st.add_pk,
            // Before the foreign keys (drizzle-kit adds uniques last): a foreign key needs the
            // unique constraint on the columns it references.
            st.add_unique,
            st.create_fk_new,
            st.create_index_new,
            st.create_fk,
            st.create_index,
            st.drop_column,
            st.add_check,
            views.create,
        ],
        // drizzle-kit's MySQL order (§5.4), but foreign keys are dropped before the unique
        // keys they may need and primary keys added after the columns they may name, as above.
        Dialect::Mysql => vec![
            create_tables,
            drop_tables,
            of(Kind::Table).collect(),
            of(Kind::Column).collect(),
            views.drop,
            of(Kind::View).collect(),
            views.alter,
            st.drop_fk,
            st.drop_unique,
            st.drop_check,
            st.drop_index_early,
            st.drop_index,
            st.drop_pk,
            st.alter_columns,
            st.add_column,
            st.add_pk,
            st.add_unique,
            st.create_fk_new,
            st.create_index_new,
            st.add_check,
            st.create_fk,
            st.create_index,
            st.drop_column,
            views.create,
        ],
        // drizzle-kit's SQLite order (§5.5) before its combiner (`for_dialect`), but views
        // are dropped before the tables under them change (SQLite refuses to drop a column a
        // view names).
        Dialect::Sqlite => vec![
            create_tables,
            drop_tables,
            of(Kind::Table).collect(),
            of(Kind::Column).collect(),
            views.drop,
            of(Kind::View).collect(),
            views.alter,
            st.drop_fk,
            st.drop_check,
            st.drop_index_early,
            st.drop_index,
            st.drop_unique,
            st.drop_pk,
            st.alter_columns,
            st.add_pk,
            st.add_column,
            st.create_index_new,
            st.create_index,
            st.add_unique,
            st.add_check,
            st.create_fk_new,
            st.create_fk,
            st.drop_column,
            views.create,
        ],
    };
    ops.extend(steps.into_iter().flatten());
    if new.dialect != schema::Dialect::Sqlite {
        super::keys_after_their_indexes(&mut ops);
    }
    for step in [
        policies.drop,
        policies.create,
        policies.alter,
        // After the policies: a role that a policy names cannot be dropped before it.
        globals.drop_role,
    ] {
        ops.extend(step);
    }
    ops.extend(dropped_enums.iter().map(|(_, e)| Operation::DropEnum {
        schema: e.schema.clone(),
        name: e.name.clone(),
    }));
    ops.extend(globals.drop_sequence);
    ops.extend(globals.drop_schema);
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
    dialect: schema::Dialect,
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
    let mut out = Vec::new();
    for r in renames {
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
        out.extend(op.map(|op| (r.kind, op)));
        // MySQL names every primary key `PRIMARY` and has no sequences; SQLite names neither.
        if dialect == schema::Dialect::Postgresql {
            out.extend(
                names_postgres_chose(old, cur, r)
                    .into_iter()
                    .map(|op| (r.kind, op)),
            );
        }
    }
    out
}

/// The names PostgreSQL derived from a table's or column's name and keeps through a rename:
/// a column primary key's `<table>_pkey` and a serial column's `<table>_<column>_seq`. Renamed
/// with it, so that the database has the names a fresh `export` gives (and that later steps,
/// which address them by those names, find). drizzle-kit leaves them.
fn names_postgres_chose(old: &PgSnapshot, cur: &PgSnapshot, r: &Rename) -> Vec<Operation<'static>> {
    let serial = |c: &pg::Column| c.sql_type.trim().ends_with("serial");
    let mut out = Vec::new();
    match r.kind {
        Kind::Table => {
            let (Some(o), Some(n)) = (old.tables.get(&r.from), cur.tables.get(&r.to)) else {
                return out;
            };
            let table = old_ref(n);
            let schema = table.schema.clone().unwrap_or_else(|| "public".into());
            if o.columns.values().any(|c| c.primary_key) && o.name != n.name {
                out.push(Operation::RenameConstraint {
                    table: table.clone(),
                    from: objects::pkey_name(&o.name),
                    to: objects::pkey_name(&n.name),
                });
            }
            for c in o.columns.values().filter(|c| serial(c)) {
                let (from, to) = (
                    objects::serial_sequence_name(&o.name, &c.name),
                    objects::serial_sequence_name(&n.name, &c.name),
                );
                if from != to {
                    out.push(Operation::RenameObject {
                        kind: Kind::Sequence,
                        materialized: false,
                        // `SET SCHEMA` on the table moved its sequences along.
                        from: (schema.clone(), from),
                        to: (schema.clone(), to),
                    });
                }
            }
        }
        Kind::Column => {
            let Some(t) = r.scope.as_ref().and_then(|k| cur.tables.get(k)) else {
                return out;
            };
            if t.columns.get(&r.to).is_some_and(serial) {
                let schema = old_ref(t).schema.unwrap_or_else(|| "public".into());
                out.push(Operation::RenameObject {
                    kind: Kind::Sequence,
                    materialized: false,
                    from: (
                        schema.clone(),
                        objects::serial_sequence_name(&t.name, &r.from),
                    ),
                    to: (schema, objects::serial_sequence_name(&t.name, &r.to)),
                });
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::testing::{col, loc, table, unique_index};
    use crate::schema::{DefaultValue, Dialect};
    use crate::snapshot;

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
        let ops = diff(&prev, new, &snapshot::from_schema(new, "", ""), &[]).expect("supported");
        crate::codegen::statements(Dialect::Postgresql, &ops)
    }

    /// A foreign key to columns unique only through an index made in the same step comes after
    /// that index (drizzle-kit's order, indexes last, fails on PostgreSQL).
    #[test]
    fn a_key_comes_after_the_unique_index_it_needs() {
        let parent = || table("parent", vec![col("a", "integer"), col("b", "integer")]);
        let child = || table("child", vec![col("a", "integer"), col("b", "integer")]);
        let old = schema(vec![parent(), child()], vec![]);
        let mut p = parent();
        p.indexes.push(unique_index("parent_ab", &["a", "b"]));
        let mut c = child();
        c.foreign_keys.push(schema::ForeignKey {
            name: "child_fk".into(),
            columns: vec!["a".into(), "b".into()],
            ref_schema: None,
            ref_table: "parent".into(),
            ref_columns: vec!["b".into(), "a".into()],
            on_delete: schema::FkAction::NoAction,
            on_update: schema::FkAction::NoAction,
            origin: loc(),
        });
        let new = schema(vec![p, c], vec![]);
        let out = sql(&old, &new);
        let index = out
            .iter()
            .position(|s| s.starts_with("CREATE UNIQUE INDEX"));
        let key = out.iter().position(|s| s.contains("child_fk"));
        assert!(index.is_some() && key.is_some() && index < key, "{out:#?}");
    }

    #[test]
    fn an_enum_column_is_of_its_qualified_custom_type() {
        let mut e = col("st", "status[]");
        e.enum_schema = Some("app".into());
        let old = schema(vec![table("t", vec![e])], vec![]);
        let new = schema(
            vec![table("t", vec![col("st", "\"app\".\"status\"[]")])],
            vec![],
        );
        assert!(sql(&old, &new).is_empty(), "{:?}", sql(&old, &new));
        let other = schema(
            vec![table("t", vec![col("st", "\"app\".\"other\"[]")])],
            vec![],
        );
        assert!(!sql(&old, &other).is_empty());
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
    fn uniques_come_before_the_foreign_keys_that_need_them_and_after_those_dropped() {
        let unique = schema::Unique {
            name: "a_code_unique".into(),
            columns: vec!["code".into()],
            nulls_not_distinct: false,
            origin: loc(),
        };
        let fk = schema::ForeignKey {
            name: "b_acode_fk".into(),
            columns: vec!["acode".into()],
            ref_schema: None,
            ref_table: "a".into(),
            ref_columns: vec!["code".into()],
            on_delete: schema::FkAction::NoAction,
            on_update: schema::FkAction::NoAction,
            origin: loc(),
        };
        let plain = || {
            vec![
                table("a", vec![col("code", "text")]),
                table("b", vec![col("acode", "text")]),
            ]
        };
        let mut keyed = plain();
        keyed[0].uniques.push(unique);
        keyed[1].foreign_keys.push(fk);
        let (without, with) = (schema(plain(), vec![]), schema(keyed, vec![]));
        assert_eq!(
            sql(&without, &with),
            [
                "ALTER TABLE \"a\" ADD CONSTRAINT \"a_code_unique\" UNIQUE(\"code\");",
                "ALTER TABLE \"b\" ADD CONSTRAINT \"b_acode_fk\" FOREIGN KEY (\"acode\") REFERENCES \"public\".\"a\"(\"code\") ON DELETE no action ON UPDATE no action;",
            ]
        );
        assert_eq!(
            sql(&with, &without),
            [
                "ALTER TABLE \"b\" DROP CONSTRAINT \"b_acode_fk\";",
                "ALTER TABLE \"a\" DROP CONSTRAINT \"a_code_unique\";",
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

    /// PostgreSQL keeps the columns of a primary key NOT NULL: a key column losing
    /// `.notNull()` is no change (`DROP NOT NULL` fails on it); once it leaves the key, it is.
    #[test]
    fn a_key_column_losing_not_null_stays_not_null() {
        let keyed = |not_null: bool, in_key: bool| {
            let mut a = col("a", "integer");
            a.not_null = not_null;
            let mut b = col("b", "integer");
            b.not_null = true;
            let mut t = table("t", vec![a, b]);
            t.primary_key = Some(schema::PrimaryKey {
                name: "t_pk".into(),
                columns: if in_key {
                    vec!["a".into(), "b".into()]
                } else {
                    vec!["b".into()]
                },
                origin: loc(),
            });
            schema(vec![t], vec![])
        };
        assert!(sql(&keyed(true, true), &keyed(false, true)).is_empty());
        let out = sql(&keyed(true, true), &keyed(false, false));
        assert!(
            out.contains(&"ALTER TABLE \"t\" ALTER COLUMN \"a\" DROP NOT NULL;".to_string()),
            "{out:#?}"
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
        let cur = snapshot::from_schema(&new, "", "");
        let ops = diff(&prev, &new, &cur, &[]).unwrap();
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
        let ops = diff(&prev, &new, &cur, &renames).unwrap();
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
        let mut m = col("x", "mood");
        m.enum_schema = Some("public".into());
        let enum_col = schema(vec![table("a", vec![m])], vec![mood(&["a"])]);
        let serial = schema(
            vec![table("a", vec![col("x", "serial")])],
            vec![mood(&["a"])],
        );
        let un = diff(
            &snapshot::from_schema(&enum_col, "", ""),
            &serial,
            &snapshot::from_schema(&serial, "", ""),
            &[],
        )
        .unwrap_err();
        assert!(un.changes[0].contains("serial"), "{un:?}");
        assert!(diff(&prev, &old, &prev, &[]).unwrap().is_empty());
    }

    fn opts(increment: &str) -> schema::SequenceOptions {
        schema::SequenceOptions {
            increment: increment.into(),
            min_value: "1".into(),
            max_value: "2147483647".into(),
            start_with: "1".into(),
            cache: "1".into(),
            cycle: false,
        }
    }

    fn sequence(name: &str, increment: &str) -> schema::Sequence {
        schema::Sequence {
            schema: None,
            name: name.into(),
            options: opts(increment),
            origin: loc(),
        }
    }

    fn role(name: &str, create_db: bool) -> schema::Role {
        schema::Role {
            name: name.into(),
            create_db,
            create_role: false,
            inherit: true,
            origin: loc(),
        }
    }

    fn policy(name: &str, command: &str, using: &str) -> schema::Policy {
        schema::Policy {
            name: name.into(),
            restrictive: false,
            command: command.into(),
            to: vec!["public".into()],
            using: Some(using.into()),
            with_check: None,
            on: None,
            origin: loc(),
        }
    }

    fn view(name: &str, definition: &str) -> schema::View {
        schema::View {
            schema: None,
            name: name.into(),
            materialized: false,
            columns: vec![],
            definition: Some(definition.into()),
            existing: false,
            with: vec![],
            with_no_data: false,
            tablespace: None,
            using: None,
            origin: loc(),
        }
    }

    fn named_schema(name: &str) -> schema::NamedSchema {
        schema::NamedSchema {
            name: name.into(),
            origin: loc(),
        }
    }

    #[test]
    fn schemas_sequences_and_roles_are_created_altered_and_dropped() {
        let mut old = schema(vec![], vec![]);
        old.schemas = vec![named_schema("gone")];
        old.sequences = vec![sequence("s1", "1"), sequence("s_gone", "1")];
        old.roles = vec![role("r1", false), role("r_gone", false)];
        let mut new = schema(vec![], vec![]);
        new.schemas = vec![named_schema("fresh")];
        new.sequences = vec![sequence("s1", "2"), sequence("s2", "1")];
        new.roles = vec![role("r1", true), role("r2", false)];
        assert_eq!(
            sql(&old, &new),
            [
                "CREATE SCHEMA \"fresh\";\n",
                "CREATE SEQUENCE \"public\".\"s2\" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1;",
                "ALTER SEQUENCE \"public\".\"s1\" INCREMENT BY 2 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;",
                "CREATE ROLE \"r2\";",
                "ALTER ROLE \"r1\" WITH CREATEDB NOCREATEROLE INHERIT;",
                "DROP ROLE \"r_gone\";",
                "DROP SEQUENCE \"public\".\"s_gone\";",
                "DROP SCHEMA \"gone\";\n",
            ]
        );
    }

    #[test]
    fn policies_alter_in_place_or_drop_and_create_and_rls_follows() {
        let mut t1 = table("t", vec![col("id", "integer")]);
        t1.policies = vec![
            policy("kept", "SELECT", "true"),
            policy("altered", "SELECT", "true"),
            policy("refor", "SELECT", "true"),
            policy("gone", "SELECT", "true"),
        ];
        let mut u1 = table("u", vec![col("id", "integer")]);
        u1.policies = vec![policy("only", "ALL", "true")];
        let old = schema(vec![t1, u1, table("w", vec![col("id", "integer")])], vec![]);
        let mut t2 = table("t", vec![col("id", "integer")]);
        t2.policies = vec![
            policy("kept", "SELECT", "true"),
            policy("altered", "SELECT", "\"id\" > 0"),
            policy("refor", "UPDATE", "true"),
            policy("added", "INSERT", "true"),
        ];
        let mut w2 = table("w", vec![col("id", "integer")]);
        w2.rls_enabled = true;
        let mut standalone = policy("alone", "SELECT", "false");
        standalone.on = Some((None, "w".into()));
        let mut new = schema(vec![t2, table("u", vec![col("id", "integer")]), w2], vec![]);
        new.policies = vec![standalone];
        assert_eq!(
            sql(&old, &new),
            [
                "ALTER TABLE \"u\" DISABLE ROW LEVEL SECURITY;",
                "ALTER TABLE \"w\" ENABLE ROW LEVEL SECURITY;",
                "DROP POLICY \"refor\" ON \"t\" CASCADE;",
                "DROP POLICY \"gone\" ON \"t\" CASCADE;",
                "DROP POLICY \"only\" ON \"u\" CASCADE;",
                "CREATE POLICY \"refor\" ON \"t\" AS PERMISSIVE FOR UPDATE TO public USING (true);",
                "CREATE POLICY \"added\" ON \"t\" AS PERMISSIVE FOR INSERT TO public USING (true);",
                "CREATE POLICY \"alone\" ON \"w\" AS PERMISSIVE FOR SELECT TO public USING (false);",
                "ALTER POLICY \"altered\" ON \"t\" TO public USING (\"id\" > 0);",
            ]
        );
    }

    #[test]
    fn views_recreated_for_definitions_and_tables_under_them() {
        let t1 = table("t", vec![col("id", "integer"), col("n", "integer")]);
        let mut opts = view("opts", "select 1");
        let old = {
            let mut s = schema(vec![t1], vec![]);
            s.views = vec![
                view("def", "select 1"),
                view("over_t", "select \"n\" from \"t\""),
                view("over_view", "select * from \"over_t\""),
                opts.clone(),
                view("gone", "select 2"),
            ];
            s
        };
        opts.with = vec![("security_barrier".into(), schema::OptionValue::Bool(true))];
        let mut existing = view("ext", "");
        existing.definition = None;
        existing.existing = true;
        let new = {
            let mut s = schema(
                vec![table("t", vec![col("id", "integer"), col("n", "bigint")])],
                vec![],
            );
            s.views = vec![
                view("def", "select 2"),
                view("over_t", "select \"n\" from \"t\""),
                view("over_view", "select * from \"over_t\""),
                opts,
                existing,
            ];
            s
        };
        assert_eq!(
            sql(&old, &new),
            [
                "DROP VIEW \"public\".\"def\";",
                "DROP VIEW \"public\".\"gone\";",
                "DROP VIEW \"public\".\"over_view\";",
                "DROP VIEW \"public\".\"over_t\";",
                "ALTER VIEW \"public\".\"opts\" SET (security_barrier = true);",
                "ALTER TABLE \"t\" ALTER COLUMN \"n\" SET DATA TYPE bigint;",
                "CREATE VIEW \"public\".\"def\" AS (select 2);",
                "CREATE VIEW \"public\".\"over_t\" AS (select \"n\" from \"t\");",
                "CREATE VIEW \"public\".\"over_view\" AS (select * from \"over_t\");",
            ]
        );
    }

    fn identity(always: bool, increment: &str) -> Option<Box<schema::Identity>> {
        Some(Box::new(schema::Identity {
            always,
            sequence_name: "t_id_seq".into(),
            sequence_schema: None,
            options: opts(increment),
        }))
    }

    #[test]
    fn identity_generated_and_column_primary_keys() {
        let mut plain = col("a", "integer");
        plain.not_null = false;
        let mut ident_b = col("b", "integer");
        ident_b.not_null = true;
        ident_b.identity = identity(true, "1");
        let mut ident_c = col("c", "integer");
        ident_c.not_null = true;
        ident_c.identity = identity(true, "1");
        let mut gen_d = col("d", "text");
        gen_d.generated = Some(Box::new(schema::Generated {
            expression: "'x'".into(),
            stored: true,
        }));
        let mut pk = col("e", "integer");
        pk.primary_key = true;
        pk.not_null = true;
        let old = schema(
            vec![table(
                "t",
                vec![plain, ident_b, ident_c, gen_d, pk, col("f", "text")],
            )],
            vec![],
        );

        let mut a = col("a", "integer");
        a.not_null = true;
        a.identity = identity(true, "1");
        let b = col("b", "integer");
        let mut c = col("c", "integer");
        c.not_null = true;
        c.identity = identity(false, "5");
        let d = col("d", "text");
        let e = col("e", "integer");
        let mut f = col("f", "text");
        f.generated = Some(Box::new(schema::Generated {
            expression: "'y'".into(),
            stored: true,
        }));
        let new = schema(vec![table("t", vec![a, b, c, d, e, f])], vec![]);
        assert_eq!(
            sql(&old, &new),
            [
                "ALTER TABLE \"t\" DROP CONSTRAINT \"t_pkey\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"a\" SET NOT NULL;",
                "ALTER TABLE \"t\" ALTER COLUMN \"a\" ADD GENERATED ALWAYS AS IDENTITY (sequence name \"t_id_seq\" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);",
                "ALTER TABLE \"t\" ALTER COLUMN \"b\" DROP IDENTITY;",
                "ALTER TABLE \"t\" ALTER COLUMN \"b\" DROP NOT NULL;",
                "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET GENERATED BY DEFAULT;",
                "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET INCREMENT BY 5;",
                "ALTER TABLE \"t\" ALTER COLUMN \"d\" DROP EXPRESSION;",
                "ALTER TABLE \"t\" ALTER COLUMN \"e\" DROP NOT NULL;",
                "ALTER TABLE \"t\" DROP COLUMN \"f\";",
                "ALTER TABLE \"t\" ADD COLUMN \"f\" text GENERATED ALWAYS AS ('y') STORED;",
            ]
        );
        // And back: the column gains its primary key.
        let gains = sql(&new, &old);
        assert!(
            gains.contains(&"ALTER TABLE \"t\" ADD PRIMARY KEY (\"e\");".to_string()),
            "{gains:?}"
        );
    }

    #[test]
    fn enum_values_removed_rewrite_through_text_and_type_changes_cast() {
        let enum_col = |name: &str, e: &str| {
            let mut c = col(name, e);
            c.enum_schema = Some("public".into());
            c
        };
        let mut f = enum_col("f", "mood");
        f.default = Some(DefaultValue::Sql("'sad'".into()));
        let mut to_text = enum_col("g", "mood");
        to_text.default = Some(DefaultValue::Sql("'sad'".into()));
        let mut to_enum = col("h", "text");
        to_enum.default = Some(DefaultValue::Sql("'a'".into()));
        let old = schema(
            vec![table("t", vec![f.clone(), to_text, to_enum])],
            vec![mood(&["sad", "happy", "meh"])],
        );
        let mut g = col("g", "text");
        g.default = Some(DefaultValue::Sql("'sad'".into()));
        let mut h = enum_col("h", "letters");
        h.default = Some(DefaultValue::Sql("'a'".into()));
        let mut letters = mood(&["a", "b"]);
        letters.name = "letters".into();
        let new = schema(
            vec![table("t", vec![f, g, h])],
            vec![mood(&["happy", "sad"]), letters],
        );
        assert_eq!(
            sql(&old, &new),
            [
                "CREATE TYPE \"public\".\"letters\" AS ENUM('a', 'b');",
                "ALTER TABLE \"t\" ALTER COLUMN \"f\" DROP DEFAULT;",
                "ALTER TABLE \"t\" ALTER COLUMN \"f\" SET DATA TYPE text USING \"f\"::text;",
                "ALTER TABLE \"t\" ALTER COLUMN \"g\" DROP DEFAULT;",
                "ALTER TABLE \"t\" ALTER COLUMN \"g\" SET DATA TYPE text USING \"g\"::text;",
                "DROP TYPE \"public\".\"mood\";",
                "CREATE TYPE \"public\".\"mood\" AS ENUM('happy', 'sad');",
                "ALTER TABLE \"t\" ALTER COLUMN \"f\" SET DATA TYPE \"mood\" USING \"f\"::\"mood\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"f\" SET DEFAULT 'sad';",
                "ALTER TABLE \"t\" ALTER COLUMN \"g\" SET DATA TYPE text;",
                "ALTER TABLE \"t\" ALTER COLUMN \"g\" SET DEFAULT 'sad';",
                "ALTER TABLE \"t\" ALTER COLUMN \"h\" DROP DEFAULT;",
                "ALTER TABLE \"t\" ALTER COLUMN \"h\" SET DATA TYPE \"letters\" USING \"h\"::text::\"letters\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"h\" SET DEFAULT 'a';",
            ]
        );
    }

    #[test]
    fn policies_over_changing_columns_go_first_and_existing_views_stay() {
        let mut t1 = table("t", vec![col("n", "integer"), col("x", "integer")]);
        t1.policies = vec![
            policy("over_n", "SELECT", "\"n\" > 0"),
            policy("over_x", "SELECT", "\"x\" > 0"),
            policy("other", "SELECT", "true"),
        ];
        let mut old = schema(vec![t1], vec![]);
        old.views = vec![view("now_existing", "select 1")];
        let mut t2 = table("t", vec![col("n", "bigint")]);
        t2.policies = vec![
            policy("over_n", "SELECT", "\"n\" > 0"),
            policy("other", "SELECT", "true"),
        ];
        let mut new = schema(vec![t2], vec![]);
        let mut ext = view("now_existing", "");
        ext.definition = None;
        ext.existing = true;
        new.views = vec![ext];
        assert_eq!(
            sql(&old, &new),
            [
                "DROP POLICY \"over_n\" ON \"t\" CASCADE;",
                "DROP POLICY \"over_x\" ON \"t\" CASCADE;",
                "ALTER TABLE \"t\" ALTER COLUMN \"n\" SET DATA TYPE bigint;",
                "ALTER TABLE \"t\" DROP COLUMN \"x\";",
                "CREATE POLICY \"over_n\" ON \"t\" AS PERMISSIVE FOR SELECT TO public USING (\"n\" > 0);",
            ]
        );
    }

    #[test]
    fn serial_types_are_an_integer_a_sequence_and_a_default() {
        let mut d = col("d", "bigint");
        d.default = Some(DefaultValue::Number("5".into()));
        let old = schema(
            vec![table(
                "t",
                vec![
                    col("a", "integer"),
                    col("b", "serial"),
                    col("c", "serial"),
                    d,
                ],
            )],
            vec![],
        );
        let new = schema(
            vec![table(
                "t",
                vec![
                    col("a", "serial"),
                    col("b", "integer"),
                    col("c", "bigserial"),
                    col("d", "smallserial"),
                ],
            )],
            vec![],
        );
        assert_eq!(
            sql(&old, &new),
            [
                "CREATE SEQUENCE \"t_a_seq\" AS integer OWNED BY \"t\".\"a\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"a\" SET DEFAULT nextval('\"t_a_seq\"'::regclass);",
                "SELECT setval('\"t_a_seq\"', greatest(coalesce(max(\"a\"), 0), 0) + 1, false) FROM \"t\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"b\" DROP DEFAULT;",
                "DROP SEQUENCE \"t_b_seq\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DATA TYPE bigint;",
                "ALTER SEQUENCE \"t_c_seq\" AS bigint;",
                "ALTER TABLE \"t\" ALTER COLUMN \"d\" DROP DEFAULT;",
                "ALTER TABLE \"t\" ALTER COLUMN \"d\" SET DATA TYPE smallint;",
                "CREATE SEQUENCE \"t_d_seq\" AS smallint OWNED BY \"t\".\"d\";",
                "ALTER TABLE \"t\" ALTER COLUMN \"d\" SET DEFAULT nextval('\"t_d_seq\"'::regclass);",
                "SELECT setval('\"t_d_seq\"', greatest(coalesce(max(\"d\"), 0), 0) + 1, false) FROM \"t\";",
            ]
        );
    }

    #[test]
    fn materialized_view_storage_changes_in_place() {
        let mut before = view("m", "select 1");
        before.materialized = true;
        before.with = vec![(
            "fillfactor".into(),
            schema::OptionValue::Number("70".into()),
        )];
        let mut after = before.clone();
        before.tablespace = Some("pg_default".into());
        after.using = Some("heap".into());
        after.with = vec![];
        let mut old = schema(vec![], vec![]);
        old.views = vec![before];
        let mut new = schema(vec![], vec![]);
        new.views = vec![after];
        assert_eq!(
            sql(&old, &new),
            [
                "ALTER MATERIALIZED VIEW \"public\".\"m\" RESET (fillfactor);",
                "ALTER MATERIALIZED VIEW \"public\".\"m\" SET TABLESPACE pg_default;",
                "ALTER MATERIALIZED VIEW \"public\".\"m\" SET ACCESS METHOD \"heap\";",
            ]
        );
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
