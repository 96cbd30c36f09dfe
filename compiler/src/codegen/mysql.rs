//! MySQL SQL for each migration operation, in drizzle-kit 0.31's templates (reference §5.6) —
//! except where drizzle-kit's SQL fails on MySQL or MariaDB (`serial AUTO_INCREMENT`, `ON UPDATE`
//! without the column's precision), see `spec/differences.md`.
//!
//! The operations `export` plans and those of the MySQL diff (`migration::for_dialect`):
//! renames, `ADD`/`DROP`/`MODIFY COLUMN`, keys dropped by kind, views replaced or altered.

use crate::migration::{KeyKind, Operation, TableRef};
use crate::schema::{Column, Index, OptionValue, Table, View};

/// `` `name` `` with embedded backticks doubled.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `` `a`,`b` ``: a column list as drizzle-kit writes it (no space).
fn ident_list(names: &[String]) -> String {
    names.iter().map(|n| ident(n)).collect::<Vec<_>>().join(",")
}

pub fn operation(op: &Operation<'_>) -> Vec<String> {
    match op {
        Operation::CreateTable(t) => vec![create_table(t)],
        Operation::CreateForeignKey { table, fk } => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}({}) ON DELETE {} ON UPDATE {};",
            ident(&table.name),
            ident(&fk.name),
            ident_list(&fk.columns),
            ident(&fk.ref_table),
            ident_list(&fk.ref_columns),
            fk.on_delete.as_str(),
            fk.on_update.as_str()
        )],
        Operation::CreateIndex { table, index } => create_index(table, index).into_iter().collect(),
        Operation::CreateView(v) => vec![create_view(v, false)],
        Operation::ReplaceView(v) => vec![create_view(v, true)],
        Operation::AlterViewOptions { view, .. } => vec![alter_view(view)],
        Operation::DropView { name, .. } => vec![format!("DROP VIEW {};", ident(name))],
        Operation::DropTable(t) => vec![format!("DROP TABLE {};", ident(&t.name))],
        Operation::RenameObject { from, to, .. } => vec![format!(
            "RENAME TABLE {} TO {};",
            ident(&from.1),
            ident(&to.1)
        )],
        Operation::RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            ident(&table.name),
            ident(from),
            ident(to)
        )],
        Operation::AddColumn { table, column } => vec![format!(
            "ALTER TABLE {} ADD {};",
            ident(&table.name),
            added_column(column)
        )],
        Operation::DropColumn { table, column } => vec![format!(
            "ALTER TABLE {} DROP COLUMN {};",
            ident(&table.name),
            ident(column)
        )],
        Operation::ModifyColumn { table, column } => vec![format!(
            "ALTER TABLE {} MODIFY COLUMN {};",
            ident(&table.name),
            column_definition(column)
        )],
        Operation::DropKey { table, name, kind } => vec![drop_key(&table.name, name, *kind)],
        Operation::AddUnique { table, unique } => {
            vec![add_unique(&table.name, &unique.name, &unique.columns)]
        }
        Operation::AddUniqueIndex { table, index } => {
            let cols: Vec<String> = index.columns.iter().map(|c| c.expression.clone()).collect();
            vec![add_unique(&table.name, &index.name, &cols)]
        }
        Operation::AddCheck { table, check } => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({});",
            ident(&table.name),
            ident(&check.name),
            check.expression
        )],
        Operation::AddPrimaryKey { table, pk } => vec![format!(
            "ALTER TABLE {} ADD PRIMARY KEY({});",
            ident(&table.name),
            ident_list(&pk.columns)
        )],
        Operation::AddColumnPrimaryKey { table, column } => vec![format!(
            "ALTER TABLE {} ADD PRIMARY KEY ({});",
            ident(&table.name),
            ident(column)
        )],
        _ => Vec::new(),
    }
}

fn add_unique(table: &str, name: &str, columns: &[String]) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE({});",
        ident(table),
        ident(name),
        ident_list(columns)
    )
}

/// drizzle-kit's drop of each kind (its foreign key drop ends with a newline).
fn drop_key(table: &str, name: &str, kind: KeyKind) -> String {
    let table = ident(table);
    match kind {
        KeyKind::Unique => format!("ALTER TABLE {table} DROP INDEX {};", ident(name)),
        KeyKind::Index => format!("DROP INDEX {} ON {table};", ident(name)),
        KeyKind::ForeignKey => format!("ALTER TABLE {table} DROP FOREIGN KEY {};\n", ident(name)),
        KeyKind::Check => format!("ALTER TABLE {table} DROP CONSTRAINT {};", ident(name)),
        KeyKind::PrimaryKey => format!("ALTER TABLE {table} DROP PRIMARY KEY;"),
    }
}

/// A column of `ADD`: drizzle-kit's order there is `[ PRIMARY KEY][ AUTO_INCREMENT][ DEFAULT]
/// [ GENERATED ..][ NOT NULL][ ON UPDATE ..]`; a generated column has no default, so the
/// generation clause follows the type as MySQL requires.
fn added_column(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.sql_type);
    if c.primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if c.auto_increment && c.sql_type != "serial" {
        s.push_str(" AUTO_INCREMENT");
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
    if c.on_update_now {
        s.push_str(" ON UPDATE ");
        s.push_str(&current_timestamp(&c.sql_type));
    }
    s
}

/// Whether an index is written as a `UNIQUE` constraint of its table: drizzle-kit moves every
/// unique index on plain columns into the table's unique constraints.
pub fn is_unique_constraint(index: &Index) -> bool {
    index.unique && index.columns.iter().all(|c| !c.is_expression)
}

/// The primary key of a table as drizzle-kit's MySQL snapshot has it: the composite one, or
/// the `.primaryKey()` columns as a constraint named `<table>_<column>`.
fn primary_key(t: &Table) -> Option<(String, Vec<String>)> {
    // A column `.primaryKey()` wins over a composite `primaryKey()` of the same table, and the
    // first of two such columns over the second, as in drizzle-kit (its snapshot lists them
    // all; checks warn, W5012).
    if let Some(c) = t.columns.iter().find(|c| c.primary_key) {
        return Some((format!("{}_{}", t.name, c.name), vec![c.name.clone()]));
    }
    t.primary_key
        .as_ref()
        .map(|pk| (pk.name.clone(), pk.columns.clone()))
}

fn create_table(t: &Table) -> String {
    let mut lines: Vec<String> = t.columns.iter().map(column_definition).collect();
    if let Some((name, cols)) = primary_key(t) {
        lines.push(format!(
            "CONSTRAINT {} PRIMARY KEY({})",
            ident(&name),
            ident_list(&cols)
        ));
    }
    for u in &t.uniques {
        lines.push(format!(
            "CONSTRAINT {} UNIQUE({})",
            ident(&u.name),
            ident_list(&u.columns)
        ));
    }
    for ix in t.indexes.iter().filter(|ix| is_unique_constraint(ix)) {
        let cols: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
        lines.push(format!(
            "CONSTRAINT {} UNIQUE({})",
            ident(&ix.name),
            ident_list(&cols)
        ));
    }
    for c in &t.checks {
        lines.push(format!(
            "CONSTRAINT {} CHECK({})",
            ident(&c.name),
            c.expression
        ));
    }
    format!(
        "CREATE TABLE {} (\n\t{}\n);\n",
        ident(&t.name),
        lines.join(",\n\t")
    )
}

/// `` `c` type[ AUTO_INCREMENT][ GENERATED ALWAYS AS (e) VIRTUAL|STORED][ NOT NULL][ DEFAULT d][ ON UPDATE ...] ``.
fn column_definition(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.sql_type);
    // `serial` is auto-incremented by definition; MariaDB rejects `serial AUTO_INCREMENT`.
    if c.auto_increment && c.sql_type != "serial" {
        s.push_str(" AUTO_INCREMENT");
    }
    if let Some(g) = &c.generated {
        s.push_str(&super::generated_clause(g));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(&d.sql());
    }
    if c.on_update_now {
        s.push_str(" ON UPDATE ");
        s.push_str(&current_timestamp(&c.sql_type));
    }
    s
}

/// `CURRENT_TIMESTAMP`, with the column's fractional seconds precision when it has one (MySQL
/// and MariaDB refuse `ON UPDATE CURRENT_TIMESTAMP` on a `timestamp(3)`).
fn current_timestamp(sql_type: &str) -> String {
    match sql_type.find('(') {
        Some(i) => format!("CURRENT_TIMESTAMP{}", &sql_type[i..]),
        None => "CURRENT_TIMESTAMP".into(),
    }
}

/// `CREATE INDEX`; `None` for a unique index created as a constraint of its table.
/// drizzle-kit ignores `using`, `algorithm` and `lock`.
fn create_index(table: &TableRef, index: &Index) -> Option<String> {
    if is_unique_constraint(index) {
        return None;
    }
    let cols: Vec<String> = index
        .columns
        .iter()
        .map(|c| {
            if c.is_expression {
                format!("({})", c.expression)
            } else {
                ident(&c.expression)
            }
        })
        .collect();
    Some(format!(
        "CREATE {}INDEX {} ON {} ({});",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        ident(&table.name),
        cols.join(",")
    ))
}

/// A view option given with `.algorithm(...)`, `.sqlSecurity(...)`, `.withCheckOption(...)`.
fn view_option(v: &View, key: &str) -> Option<String> {
    v.with
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, val)| match val {
            OptionValue::Text(t) | OptionValue::Number(t) => t.clone(),
            OptionValue::Bool(b) => b.to_string(),
        })
}

fn create_view(v: &View, replace: bool) -> String {
    let mut s = format!(
        "CREATE {}ALGORITHM = {}\nSQL SECURITY {}\nVIEW {} AS ({})",
        if replace { "OR REPLACE " } else { "" },
        view_option(v, "algorithm").unwrap_or_else(|| "undefined".into()),
        view_option(v, "sql_security").unwrap_or_else(|| "definer".into()),
        ident(&v.name),
        v.definition.as_deref().unwrap_or_default()
    );
    if let Some(c) = view_option(v, "with_check_option") {
        s.push_str(&format!("\nWITH {c} CHECK OPTION"));
    }
    s.push(';');
    s
}

/// A view's algorithm, security or check option changed: `ALTER ALGORITHM = ..` with its
/// definition again.
fn alter_view(v: &View) -> String {
    let mut s = format!(
        "ALTER ALGORITHM = {}\nSQL SECURITY {}\nVIEW {} AS {}",
        view_option(v, "algorithm").unwrap_or_else(|| "undefined".into()),
        view_option(v, "sql_security").unwrap_or_else(|| "definer".into()),
        ident(&v.name),
        v.definition.as_deref().unwrap_or_default()
    );
    if let Some(c) = view_option(v, "with_check_option") {
        s.push_str(&format!("\nWITH {c} CHECK OPTION"));
    }
    s.push(';');
    s
}
