//! SQLite SQL, as drizzle-kit 0.31 writes it (`sqliteCreateTableTemplate`, its index and view
//! templates). SQLite cannot add constraints to an existing table, so a table's primary key,
//! foreign keys and checks are written inside its `CREATE TABLE`; unique constraints become
//! unique indexes, as drizzle-kit writes them.

use crate::migration::{Operation, Rebuild};
use crate::schema::{Column, ForeignKey, Index, Table, Unique, View};

/// The statements of one operation: those `plan_create` makes and those of the SQLite diff
/// (`migration::for_dialect`): renames, `ADD`/`DROP COLUMN`, indexes, views, table rebuilds.
pub fn operation(op: &Operation<'_>) -> Vec<String> {
    match op {
        // drizzle-kit writes a new table's indexes right after it; `CreateIndex` for the same
        // index then makes the same text, which `codegen::statements` drops as a duplicate.
        Operation::CreateTable(t) => create_table(t),
        // Written inline by `create_table`.
        Operation::CreateForeignKey { .. } => Vec::new(),
        Operation::CreateIndex { table, index } => vec![create_index(&table.name, index)],
        Operation::CreateView(v) => create_view(v).into_iter().collect(),
        Operation::DropView { name, .. } => vec![format!("DROP VIEW {};", ident(name))],
        Operation::DropTable(t) => vec![format!("DROP TABLE {};", ident(&t.name))],
        Operation::RenameObject { from, to, .. } => vec![format!(
            "ALTER TABLE {} RENAME TO {};",
            ident(&from.1),
            ident(&to.1)
        )],
        Operation::RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN \"{from}\" TO \"{to}\";",
            ident(&table.name)
        )],
        Operation::AddColumn { table, column: c } => vec![format!(
            "ALTER TABLE {} ADD {};",
            ident(&table.name),
            column(c)
        )],
        Operation::AddColumnReferencing {
            table,
            column: c,
            fk,
        } => {
            // drizzle-kit's text (names unquoted); it leaves the actions out, which loses
            // them: written here when they are not `no action`.
            let mut s = format!(
                "ALTER TABLE {} ADD {} REFERENCES {}({})",
                ident(&table.name),
                column(c),
                fk.ref_table,
                fk.ref_columns.join(",")
            );
            for (clause, action) in [
                ("UPDATE", fk.on_update.as_str()),
                ("DELETE", fk.on_delete.as_str()),
            ] {
                if action != "no action" {
                    s.push_str(&format!(" ON {clause} {action}"));
                }
            }
            s.push(';');
            vec![s]
        }
        Operation::DropColumn { table, column } => vec![format!(
            "ALTER TABLE {} DROP COLUMN {};",
            ident(&table.name),
            ident(column)
        )],
        Operation::DropIndex { name, .. } => vec![format!("DROP INDEX {};", ident(name))],
        Operation::AddUnique { table, unique } => vec![unique_index(&table.name, unique)],
        Operation::RebuildTables(tables) => rebuild(tables),
        _ => Vec::new(),
    }
}

/// The old table's name while its replacement is built.
fn old_name(table: &str) -> String {
    format!("__old_{table}")
}

/// Recreates tables keeping every row, correct inside a transaction and with foreign keys on
/// (drizzle-orm's migrator runs each migration in one, where `PRAGMA foreign_keys` does
/// nothing): each old table is renamed away, the new one created under the real name, rows
/// copied (parents first), the old tables dropped (children first, so that dropping one never
/// deletes rows through `ON DELETE CASCADE` of a table still in use), then the indexes
/// created. Renaming a table also rewrites its own check constraints (which may name it) and the
/// foreign keys naming it; `migration::for_dialect` rebuilds every table referencing a changed
/// one, so no kept foreign key names a renamed-away table, and drops the views around the
/// rebuild. See `spec/build.md`.
///
/// The renames run under `PRAGMA legacy_alter_table=ON`, so that views and triggers outside the
/// schema that name a table keep naming it (the new table) rather than following the old one
/// to its drop. A table whose SQL names it is renamed with the pragma off (the legacy rename
/// refuses it), first: a rename under the current rules checks every view and trigger, which
/// must not name a table already renamed away.
fn rebuild(tables: &[Rebuild<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let existing = || tables.iter().filter(|r| r.existed);
    let rename = |r: &Rebuild<'_>| {
        format!(
            "ALTER TABLE {} RENAME TO {};",
            ident(&r.table.name),
            ident(&old_name(&r.table.name))
        )
    };
    out.extend(existing().filter(|r| r.names_itself).map(rename));
    if existing().any(|r| !r.names_itself) {
        out.push("PRAGMA legacy_alter_table=ON;".to_string());
        out.extend(existing().filter(|r| !r.names_itself).map(rename));
        out.push("PRAGMA legacy_alter_table=OFF;".to_string());
    }
    let mut indexes = Vec::new();
    for r in tables {
        let mut created = create_table(r.table).into_iter();
        out.extend(created.next());
        indexes.extend(created);
    }
    for r in tables.iter().filter(|r| !r.copy.is_empty()) {
        let cols = r
            .copy
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(format!(
            "INSERT INTO {}({cols}) SELECT {cols} FROM {};",
            ident(&r.table.name),
            ident(&old_name(&r.table.name))
        ));
    }
    for r in tables.iter().rev().filter(|r| r.existed) {
        out.push(format!("DROP TABLE {};", ident(&old_name(&r.table.name))));
    }
    out.extend(indexes);
    out
}

/// `` `name` `` with backticks doubled.
fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `` `a`,`b` `` (drizzle-kit's separator varies by clause: see the callers).
fn idents(names: &[String], sep: &str) -> String {
    names.iter().map(|n| ident(n)).collect::<Vec<_>>().join(sep)
}

/// The CREATE TABLE, then its indexes, then one unique index per unique constraint.
fn create_table(t: &Table) -> Vec<String> {
    let mut lines: Vec<String> = t.columns.iter().map(column).collect();
    if let Some(pk) = &t.primary_key {
        lines.push(format!("PRIMARY KEY({})", idents(&pk.columns, ", ")));
    }
    lines.extend(t.foreign_keys.iter().map(foreign_key));
    lines.extend(
        t.checks
            .iter()
            .map(|c| format!("CONSTRAINT \"{}\" CHECK({})", c.name, c.expression)),
    );
    let mut out = vec![format!(
        "CREATE TABLE {} (\n\t{}\n);\n",
        ident(&t.name),
        lines.join(",\n\t")
    )];
    out.extend(t.indexes.iter().map(|i| create_index(&t.name, i)));
    out.extend(t.uniques.iter().map(|u| unique_index(&t.name, u)));
    out
}

/// `` `c` type[ PRIMARY KEY][ AUTOINCREMENT][ DEFAULT d][ GENERATED ALWAYS AS (e) VIRTUAL|STORED][ NOT NULL] ``
fn column(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.sql_type);
    if c.primary_key {
        s.push_str(" PRIMARY KEY");
        if c.auto_increment {
            s.push_str(" AUTOINCREMENT");
        }
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(&d.sql());
    }
    if let Some(g) = &c.generated {
        s.push_str(&super::generated_clause(g));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

fn foreign_key(fk: &ForeignKey) -> String {
    format!(
        "FOREIGN KEY ({}) REFERENCES {}({}) ON UPDATE {} ON DELETE {}",
        idents(&fk.columns, ","),
        ident(&fk.ref_table),
        idents(&fk.ref_columns, ","),
        fk.on_update.as_str(),
        fk.on_delete.as_str()
    )
}

fn unique_index(table: &str, u: &Unique) -> String {
    format!(
        "CREATE UNIQUE INDEX {} ON {} ({});",
        ident(&u.name),
        ident(table),
        idents(&u.columns, ",")
    )
}

/// `` CREATE [UNIQUE ]INDEX `n` ON `t` (`a`,expr)[ WHERE w]; ``
fn create_index(table: &str, index: &Index) -> String {
    let cols: Vec<String> = index
        .columns
        .iter()
        .map(|c| {
            if c.is_expression {
                c.expression.clone()
            } else {
                ident(&c.expression)
            }
        })
        .collect();
    let mut s = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        ident(table),
        cols.join(",")
    );
    if let Some(w) = &index.where_clause {
        s.push_str(" WHERE ");
        s.push_str(w);
    }
    s.push(';');
    s
}

/// `` CREATE VIEW `v` AS <definition>; `` (nothing for `.existing()` views).
fn create_view(v: &View) -> Option<String> {
    let def = v.definition.as_ref()?;
    Some(format!("CREATE VIEW {} AS {};", ident(&v.name), def))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::testing::{col, loc, table};
    use crate::schema::{DefaultValue, Generated, PrimaryKey};

    #[test]
    fn column_clauses_follow_drizzle_kits_order() {
        let mut id = col("id", "integer");
        id.primary_key = true;
        id.auto_increment = true;
        id.not_null = true;
        let mut g = col("g", "text");
        g.default = Some(DefaultValue::Sql("'x'".into()));
        g.generated = Some(Box::new(Generated {
            expression: "lower(\"n\")".into(),
            stored: false,
        }));
        g.not_null = true;
        assert_eq!(
            column(&id),
            "`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL"
        );
        assert_eq!(
            column(&g),
            "`g` text DEFAULT 'x' GENERATED ALWAYS AS (lower(\"n\")) VIRTUAL NOT NULL"
        );
    }

    /// AUTOINCREMENT belongs to a column primary key only; a plain column never gets it.
    #[test]
    fn autoincrement_needs_the_column_primary_key() {
        let mut c = col("n", "integer");
        c.auto_increment = true;
        assert_eq!(column(&c), "`n` integer");
    }

    #[test]
    fn backticks_in_names_are_doubled() {
        assert_eq!(ident("a`b"), "`a``b`");
    }

    #[test]
    fn a_table_ends_with_its_keys_then_its_unique_indexes() {
        let mut t = table("t", vec![col("a", "integer"), col("b", "text")]);
        t.primary_key = Some(PrimaryKey {
            name: "t_a_b_pk".into(),
            columns: vec!["a".into(), "b".into()],
            origin: loc(),
        });
        t.uniques.push(Unique {
            name: "t_b_unique".into(),
            columns: vec!["b".into()],
            nulls_not_distinct: false,
            origin: loc(),
        });
        assert_eq!(
            create_table(&t),
            [
                "CREATE TABLE `t` (\n\t`a` integer,\n\t`b` text,\n\tPRIMARY KEY(`a`, `b`)\n);\n",
                "CREATE UNIQUE INDEX `t_b_unique` ON `t` (`b`);",
            ]
        );
    }
}
