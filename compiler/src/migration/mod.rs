//! The Migration IR: typed operations that change a database from one schema to another, in
//! the order they must run. [`plan_create`] gives the operations that build a whole schema from
//! an empty database (what `schemac export` prints); the diff of two schemas builds on the same
//! operations ([`diff`]).

pub mod describe;
mod dialect;
mod diff;
pub mod hazards;
mod objects;
pub mod rename;

pub use dialect::for_dialect;
pub use diff::{Unsupported, diff, using_cast};

use crate::schema::{self, Schema};

/// A table addressed by schema and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    pub schema: Option<String>,
    pub name: String,
}

impl TableRef {
    pub fn of(t: &schema::Table) -> TableRef {
        TableRef {
            schema: t.schema.clone(),
            name: t.name.clone(),
        }
    }
}

/// One change to the database. Operations borrow the schemas they come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation<'s> {
    CreateSchema(&'s str),
    CreateEnum(&'s schema::Enum),
    CreateSequence(&'s schema::Sequence),
    CreateRole(&'s schema::Role),
    /// A table with its columns, primary key, unique and check constraints. Row level security
    /// is enabled with it when the table asks for it.
    CreateTable(&'s schema::Table),
    CreateForeignKey {
        table: TableRef,
        fk: &'s schema::ForeignKey,
    },
    CreateIndex {
        table: TableRef,
        index: &'s schema::Index,
    },
    CreateView(&'s schema::View),
    CreatePolicy {
        table: TableRef,
        policy: &'s schema::Policy,
    },
    /// `ALTER TYPE .. ADD VALUE`, before the next existing value (appended when `None`).
    AddEnumValue {
        enum_: &'s schema::Enum,
        value: String,
        before: Option<String>,
    },
    DropEnum {
        /// The enum's schema (`public` included).
        schema: String,
        name: String,
    },
    DropTable(TableRef),
    AddColumn {
        table: TableRef,
        column: &'s schema::Column,
    },
    DropColumn {
        table: TableRef,
        column: String,
    },
    /// `SET DATA TYPE` with the `USING` expression PostgreSQL needs, then the column's default
    /// again when it has one (as drizzle-kit does).
    SetColumnType {
        table: TableRef,
        column: &'s schema::Column,
        using: Option<String>,
    },
    SetDefault {
        table: TableRef,
        column: &'s schema::Column,
    },
    DropDefault {
        table: TableRef,
        column: String,
    },
    SetNotNull {
        table: TableRef,
        column: String,
        not_null: bool,
    },
    /// Drops a unique, check, foreign key or primary key constraint by name.
    DropConstraint {
        table: TableRef,
        name: String,
    },
    AddUnique {
        table: TableRef,
        unique: &'s schema::Unique,
    },
    AddCheck {
        table: TableRef,
        check: &'s schema::Check,
    },
    AddPrimaryKey {
        table: TableRef,
        pk: &'s schema::PrimaryKey,
    },
    DropIndex {
        /// The table's schema (`None` for `public`).
        schema: Option<String>,
        /// The table (after the step's renames): MySQL names indexes per table.
        table: String,
        name: String,
    },
    /// `ALTER SCHEMA .. RENAME TO`.
    RenameSchema {
        from: String,
        to: String,
    },
    /// An enum, sequence, view or table moved to another schema (`SET SCHEMA`) and/or renamed
    /// (`RENAME TO`); `from` and `to` are `(schema, name)` with the schema spelled out.
    RenameObject {
        kind: rename::Kind,
        /// For views: whether it is materialized (the statement says so).
        materialized: bool,
        from: (String, String),
        to: (String, String),
    },
    RenameRole {
        from: String,
        to: String,
    },
    RenameColumn {
        /// The table under its new name.
        table: TableRef,
        from: String,
        to: String,
    },
    RenamePolicy {
        /// The table under its new name.
        table: TableRef,
        from: String,
        to: String,
    },
    /// `ALTER TABLE .. RENAME CONSTRAINT` (a primary key named after a renamed table).
    RenameConstraint {
        table: TableRef,
        from: String,
        to: String,
    },
    /// `SET DATA TYPE` to a type given as SQL text (the enum rewrite goes through `text`); no
    /// default is re-applied.
    SetColumnTypeTo {
        table: TableRef,
        column: String,
        sql_type: String,
        using: Option<String>,
    },
    DropSchema(String),
    /// Every option of the sequence, as `CREATE SEQUENCE` writes them.
    AlterSequence(&'s schema::Sequence),
    DropSequence {
        /// The sequence's schema (`public` included).
        schema: String,
        name: String,
    },
    /// `CREATEDB`, `CREATEROLE` and `INHERIT`, each set or unset.
    AlterRole(&'s schema::Role),
    DropRole(String),
    /// `TO`, `USING` and `WITH CHECK` of an existing policy.
    AlterPolicy {
        table: TableRef,
        policy: &'s schema::Policy,
    },
    DropPolicy {
        table: TableRef,
        name: String,
    },
    SetRowLevelSecurity {
        table: TableRef,
        enabled: bool,
    },
    DropView {
        /// The view's schema (`public` included).
        schema: String,
        name: String,
        materialized: bool,
    },
    /// `with` options set (snake_case key, SQL value) and reset (snake_case keys).
    AlterViewOptions {
        view: &'s schema::View,
        set: Vec<(String, String)>,
        reset: Vec<String>,
    },
    /// A materialized view's tablespace (`pg_default` when it no longer names one).
    SetViewTablespace {
        view: &'s schema::View,
        tablespace: String,
    },
    /// A materialized view's access method (`heap` when it no longer names one).
    SetViewAccessMethod {
        view: &'s schema::View,
        method: String,
    },
    AddIdentity {
        table: TableRef,
        column: &'s schema::Column,
    },
    DropIdentity {
        table: TableRef,
        column: String,
    },
    /// One changed field of an identity column.
    AlterIdentity {
        table: TableRef,
        column: String,
        change: IdentityChange,
    },
    /// A generated column becomes a plain column, keeping its values.
    DropExpression {
        table: TableRef,
        column: String,
    },
    /// A column becomes `serial`: its sequence (`AS` the integer type, owned by the column, in
    /// the table's schema), the `nextval` default, and the sequence moved past the column's
    /// largest value.
    CreateSerialSequence {
        table: TableRef,
        column: String,
        sequence: String,
        int_type: &'static str,
    },
    /// A column stops being `serial`: its default, then its sequence, are dropped.
    DropSerialSequence {
        table: TableRef,
        column: String,
        sequence: String,
    },
    /// A `serial` column changes width: `ALTER SEQUENCE .. AS` the new integer type.
    AlterSerialSequence {
        table: TableRef,
        sequence: String,
        int_type: &'static str,
    },
    /// A column gains `.primaryKey()`: `ADD PRIMARY KEY ("c")` (named `<table>_pkey` by
    /// PostgreSQL).
    AddColumnPrimaryKey {
        table: TableRef,
        column: String,
    },
    /// MySQL: `ALTER TABLE .. MODIFY COLUMN` with the column's complete new definition; every
    /// change of one column (type, default, not null, autoincrement, on update) is one of these.
    ModifyColumn {
        table: TableRef,
        column: &'s schema::Column,
    },
    /// MySQL: a constraint or key dropped the way its kind is dropped (`DROP INDEX`,
    /// `DROP FOREIGN KEY`, `DROP CONSTRAINT`, `DROP PRIMARY KEY`).
    DropKey {
        table: TableRef,
        name: String,
        kind: KeyKind,
    },
    /// MySQL: a unique index of an existing table, added as the unique constraint drizzle-kit
    /// keeps it as (`ADD CONSTRAINT .. UNIQUE`).
    AddUniqueIndex {
        table: TableRef,
        index: &'s schema::Index,
    },
    /// MySQL: a view whose definition changed (`CREATE OR REPLACE`).
    ReplaceView(&'s schema::View),
    /// SQLite: `ADD COLUMN` with the one-column foreign key of the new column inline.
    AddColumnReferencing {
        table: TableRef,
        column: &'s schema::Column,
        fk: &'s schema::ForeignKey,
    },
    /// SQLite: tables recreated with their new definitions, keeping every row (parents before
    /// the tables that reference them), then their indexes. See `codegen::sqlite`.
    RebuildTables(Vec<Rebuild<'s>>),
}

/// What kind of constraint a [`Operation::DropKey`] drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Unique,
    Check,
    ForeignKey,
    PrimaryKey,
    /// An index written as a unique constraint (MySQL moves unique indexes there).
    Index,
}

/// One table of a SQLite rebuild: its new definition and the columns whose values are copied
/// from the table as it is before the rebuild (renames already applied).
#[derive(Debug, Clone, PartialEq)]
pub struct Rebuild<'s> {
    pub table: &'s schema::Table,
    pub copy: Vec<String>,
    /// Whether the table is in the database before the step. A table created in the step that
    /// references a rebuilt one is only created, in the block, after the tables it references.
    pub existed: bool,
    /// Whether the table's SQL names the table (`"t"."c" > 0`, as drizzle-orm writes a column
    /// in a check, an index's `where` or expression, a generated column): SQLite's legacy
    /// rename refuses such a table, so it is renamed under the current rules (which carry the
    /// rename into views and triggers).
    pub names_itself: bool,
}

/// What changed in an identity column's sequence.
#[derive(Debug, Clone, PartialEq)]
pub enum IdentityChange {
    /// `GENERATED ALWAYS` (true) or `BY DEFAULT`.
    Generated(bool),
    /// `INCREMENT BY`, `MINVALUE`, `MAXVALUE`, `START WITH` or `CACHE` and its new value.
    Option(&'static str, String),
    Cycle(bool),
    /// The identity's sequence is renamed (`ALTER SEQUENCE .. RENAME TO`), keeping its value.
    SequenceName {
        schema: Option<String>,
        from: String,
        to: String,
    },
}

/// The operations that create `schema` in an empty database, in drizzle-kit's order: schemas,
/// enums, sequences, roles, tables, foreign keys, indexes, views, policies.
/// A foreign key whose referenced columns are unique only through a unique index needs that
/// index first (PostgreSQL: "there is no unique constraint matching given keys"; MariaDB:
/// errno 150), but drizzle-kit's order creates indexes after foreign keys. Such a key, created
/// before an index of its referenced columns in the same step, moves to just after the index;
/// every other operation keeps its place.
fn keys_after_their_indexes(ops: &mut Vec<Operation<'_>>) {
    // Plain unique indexes by their table: (position, index). Usually none, so one pass.
    let mut unique_indexes: rustc_hash::FxHashMap<(&str, &str), Vec<(usize, &schema::Index)>> =
        rustc_hash::FxHashMap::default();
    for (at, op) in ops.iter().enumerate() {
        if let Operation::CreateIndex { table, index } = op
            && index.unique
            && index.where_clause.is_none()
            && index.columns.iter().all(|c| !c.is_expression)
        {
            unique_indexes
                .entry((table.schema.as_deref().unwrap_or("public"), &table.name))
                .or_default()
                .push((at, index));
        }
    }
    if unique_indexes.is_empty() {
        return;
    }
    // Each such foreign key goes after the last index of its referenced columns made later.
    let mut moves: Vec<(usize, usize)> = Vec::new();
    for (at, op) in ops.iter().enumerate() {
        let Operation::CreateForeignKey { fk, .. } = op else {
            continue;
        };
        let key = (
            fk.ref_schema.as_deref().unwrap_or("public"),
            fk.ref_table.as_str(),
        );
        let after = unique_indexes.get(&key).and_then(|indexes| {
            indexes
                .iter()
                .filter(|(pos, index)| {
                    *pos > at
                        && index.columns.len() == fk.ref_columns.len()
                        && index
                            .columns
                            .iter()
                            .all(|c| fk.ref_columns.contains(&c.expression))
                })
                .map(|(pos, _)| *pos)
                .max()
        });
        if let Some(after) = after {
            moves.push((at, after));
        }
    }
    if moves.is_empty() {
        return;
    }
    let mut slots: Vec<Option<Operation<'_>>> = std::mem::take(ops).into_iter().map(Some).collect();
    let mut moved: Vec<Vec<Operation<'_>>> = (0..slots.len()).map(|_| Vec::new()).collect();
    for (from, to) in moves {
        if let Some(op) = slots[from].take() {
            moved[to].push(op);
        }
    }
    for (slot, after) in slots.into_iter().zip(moved) {
        ops.extend(slot);
        ops.extend(after);
    }
}

pub fn plan_create(schema: &Schema) -> Vec<Operation<'_>> {
    let mut ops = Vec::new();
    ops.extend(
        schema
            .schemas
            .iter()
            .map(|s| Operation::CreateSchema(&s.name)),
    );
    ops.extend(schema.enums.iter().map(Operation::CreateEnum));
    ops.extend(schema.sequences.iter().map(Operation::CreateSequence));
    ops.extend(schema.roles.iter().map(Operation::CreateRole));
    ops.extend(schema.tables.iter().map(Operation::CreateTable));
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            ops.push(Operation::CreateForeignKey {
                table: TableRef::of(t),
                fk,
            });
        }
    }
    for t in &schema.tables {
        for index in &t.indexes {
            ops.push(Operation::CreateIndex {
                table: TableRef::of(t),
                index,
            });
        }
    }
    // Views before materialized views (drizzle-kit collects them in two lists).
    for materialized in [false, true] {
        ops.extend(
            schema
                .views
                .iter()
                .filter(|v| !v.existing && v.materialized == materialized)
                .map(Operation::CreateView),
        );
    }
    for t in &schema.tables {
        for p in &t.policies {
            ops.push(Operation::CreatePolicy {
                table: TableRef::of(t),
                policy: p,
            });
        }
    }
    // SQLite declares foreign keys in `CREATE TABLE` and checks them only when rows change.
    if schema.dialect != schema::Dialect::Sqlite {
        keys_after_their_indexes(&mut ops);
    }
    for p in &schema.policies {
        if let Some((s, name)) = &p.on {
            ops.push(Operation::CreatePolicy {
                table: TableRef {
                    schema: s.clone(),
                    name: name.clone(),
                },
                policy: p,
            });
        }
    }
    ops
}
