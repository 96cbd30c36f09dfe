//! A plain description of each operation, for `build --plan` (`spec/build.md`): what it does,
//! to which entity, and whether it loses data.

use serde::Serialize;

use super::{Operation, TableRef};

/// One line of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// `create`, `drop`, `alter` or `rename`.
    pub action: &'static str,
    /// `table`, `column`, `index`, ...
    pub kind: &'static str,
    /// The entity: `users`, `users.email`, `archive.users`.
    pub name: String,
    /// What changes, when the action alone does not say (`type text → integer`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Dropping it (or converting it) loses data already in the database.
    pub destructive: bool,
}

fn table(t: &TableRef) -> String {
    match &t.schema {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    }
}

fn in_schema(schema: &Option<String>, name: &str) -> String {
    match schema.as_deref() {
        Some(s) if s != "public" => format!("{s}.{name}"),
        _ => name.to_string(),
    }
}

fn step(action: &'static str, kind: &'static str, name: String) -> Step {
    Step {
        action,
        kind,
        name,
        detail: String::new(),
        destructive: false,
    }
}

impl Step {
    fn detail(mut self, detail: impl Into<String>) -> Step {
        self.detail = detail.into();
        self
    }

    fn destructive(mut self) -> Step {
        self.destructive = true;
        self
    }
}

/// The plan line of `op`.
pub fn describe(op: &Operation<'_>) -> Step {
    use Operation as O;
    match op {
        O::CreateSchema(name) => step("create", "schema", name.to_string()),
        O::CreateEnum(e) => {
            step("create", "enum", in_schema(&e.schema, &e.name)).detail(e.values.join(", "))
        }
        O::CreateSequence(s) => step("create", "sequence", in_schema(&s.schema, &s.name)),
        O::CreateRole(r) => step("create", "role", r.name.clone()),
        O::CreateTable(t) => step("create", "table", in_schema(&t.schema, &t.name))
            .detail(format!("{} columns", t.columns.len())),
        O::CreateForeignKey { table: t, fk } => {
            step("create", "foreign key", format!("{}.{}", table(t), fk.name)).detail(format!(
                "({}) → {}({})",
                fk.columns.join(", "),
                in_schema(&fk.ref_schema, &fk.ref_table),
                fk.ref_columns.join(", ")
            ))
        }
        O::CreateIndex { table: t, index } => {
            step("create", "index", format!("{}.{}", table(t), index.name))
        }
        O::CreateView(v) => step(
            "create",
            if v.materialized {
                "materialized view"
            } else {
                "view"
            },
            in_schema(&v.schema, &v.name),
        ),
        O::CreatePolicy { table: t, policy } => {
            step("create", "policy", format!("{}.{}", table(t), policy.name))
        }
        O::AddEnumValue {
            enum_,
            value,
            before,
        } => step("alter", "enum", in_schema(&enum_.schema, &enum_.name)).detail(match before {
            Some(b) => format!("add value '{value}' before '{b}'"),
            None => format!("add value '{value}'"),
        }),
        O::DropEnum { schema, name } => {
            step("drop", "enum", in_schema(&Some(schema.clone()), name)).destructive()
        }
        O::DropTable(t) => step("drop", "table", table(t)).destructive(),
        O::AddColumn { table: t, column } => {
            step("create", "column", format!("{}.{}", table(t), column.name))
                .detail(column.sql_type.clone())
        }
        O::DropColumn { table: t, column } => {
            step("drop", "column", format!("{}.{column}", table(t))).destructive()
        }
        O::SetColumnType {
            table: t,
            column,
            using,
        } => {
            let s = step("alter", "column", format!("{}.{}", table(t), column.name));
            match using {
                // A cast PostgreSQL does not do implicitly may fail on, or change, existing rows.
                Some(u) => s
                    .detail(format!("type → {} (USING {u})", column.sql_type))
                    .destructive(),
                None => s.detail(format!("type → {}", column.sql_type)),
            }
        }
        O::SetDefault { table: t, column } => {
            step("alter", "column", format!("{}.{}", table(t), column.name)).detail("set default")
        }
        O::DropDefault { table: t, column } => {
            step("alter", "column", format!("{}.{column}", table(t))).detail("drop default")
        }
        O::SetNotNull {
            table: t,
            column,
            not_null,
        } => step("alter", "column", format!("{}.{column}", table(t))).detail(if *not_null {
            "set not null"
        } else {
            "drop not null"
        }),
        O::DropConstraint { table: t, name } => {
            step("drop", "constraint", format!("{}.{name}", table(t)))
        }
        O::AddUnique { table: t, unique } => {
            step("create", "unique", format!("{}.{}", table(t), unique.name))
                .detail(unique.columns.join(", "))
        }
        O::AddCheck { table: t, check } => {
            step("create", "check", format!("{}.{}", table(t), check.name))
                .detail(check.expression.clone())
        }
        O::AddPrimaryKey { table: t, pk } => {
            step("create", "primary key", format!("{}.{}", table(t), pk.name))
                .detail(pk.columns.join(", "))
        }
        O::DropIndex { schema, name, .. } => step("drop", "index", in_schema(schema, name)),
        O::RenameSchema { from, to } => {
            step("rename", "schema", to.clone()).detail(format!("from {from}"))
        }
        O::RenameObject { kind, from, to, .. } => {
            step("rename", kind.noun(), in_schema(&Some(to.0.clone()), &to.1)).detail(format!(
                "from {}",
                in_schema(&Some(from.0.clone()), &from.1)
            ))
        }
        O::RenameRole { from, to } => {
            step("rename", "role", to.clone()).detail(format!("from {from}"))
        }
        O::RenameColumn { table: t, from, to } => {
            step("rename", "column", format!("{}.{to}", table(t))).detail(format!("from {from}"))
        }
        O::RenameConstraint { table: t, from, to } => {
            step("rename", "constraint", format!("{}.{to}", table(t)))
                .detail(format!("from {from}"))
        }
        O::RenamePolicy { table: t, from, to } => {
            step("rename", "policy", format!("{}.{to}", table(t))).detail(format!("from {from}"))
        }
        O::SetColumnTypeTo {
            table: t,
            column,
            sql_type,
            ..
        } => step("alter", "column", format!("{}.{column}", table(t)))
            .detail(format!("type → {sql_type}")),
        O::DropSchema(name) => step("drop", "schema", name.clone()).destructive(),
        O::AlterSequence(q) => step("alter", "sequence", in_schema(&q.schema, &q.name)),
        O::DropSequence { schema, name } => {
            step("drop", "sequence", in_schema(&Some(schema.clone()), name))
        }
        O::AlterRole(r) => step("alter", "role", r.name.clone()),
        O::DropRole(name) => step("drop", "role", name.clone()),
        O::AlterPolicy { table: t, policy } => {
            step("alter", "policy", format!("{}.{}", table(t), policy.name))
        }
        O::DropPolicy { table: t, name } => step("drop", "policy", format!("{}.{name}", table(t))),
        O::SetRowLevelSecurity { table: t, enabled } => {
            step("alter", "table", table(t)).detail(if *enabled {
                "enable row level security"
            } else {
                "disable row level security"
            })
        }
        O::DropView {
            schema,
            name,
            materialized,
        } => step(
            "drop",
            if *materialized {
                "materialized view"
            } else {
                "view"
            },
            in_schema(&Some(schema.clone()), name),
        ),
        O::AlterViewOptions { view, .. } => {
            step("alter", "view", in_schema(&view.schema, &view.name)).detail("options")
        }
        O::SetViewTablespace { view, tablespace } => {
            step("alter", "view", in_schema(&view.schema, &view.name))
                .detail(format!("tablespace {tablespace}"))
        }
        O::SetViewAccessMethod { view, method } => {
            step("alter", "view", in_schema(&view.schema, &view.name))
                .detail(format!("access method {method}"))
        }
        O::AddIdentity { table: t, column } => {
            step("alter", "column", format!("{}.{}", table(t), column.name)).detail("add identity")
        }
        O::DropIdentity { table: t, column } => {
            step("alter", "column", format!("{}.{column}", table(t))).detail("drop identity")
        }
        O::AlterIdentity {
            table: t, column, ..
        } => step("alter", "column", format!("{}.{column}", table(t))).detail("identity"),
        O::DropExpression { table: t, column } => {
            step("alter", "column", format!("{}.{column}", table(t))).detail("drop expression")
        }
        O::CreateSerialSequence {
            table: t, column, ..
        } => step("alter", "column", format!("{}.{column}", table(t))).detail("becomes serial"),
        O::DropSerialSequence {
            table: t, column, ..
        } => step("alter", "column", format!("{}.{column}", table(t))).detail("no longer serial"),
        O::AlterSerialSequence {
            table: t, sequence, ..
        } => step("alter", "sequence", format!("{}.{sequence}", table(t))),
        O::AddColumnPrimaryKey { table: t, column } => {
            step("create", "primary key", format!("{}.{column}", table(t)))
        }
        O::ModifyColumn { table: t, column } => {
            step("alter", "column", format!("{}.{}", table(t), column.name))
                .detail(format!("definition {}", column.sql_type))
        }
        O::DropKey {
            table: t,
            name,
            kind,
        } => step(
            "drop",
            match kind {
                super::KeyKind::Unique => "unique",
                super::KeyKind::Check => "check",
                super::KeyKind::ForeignKey => "foreign key",
                super::KeyKind::PrimaryKey => "primary key",
                super::KeyKind::Index => "index",
            },
            format!("{}.{name}", table(t)),
        ),
        O::AddUniqueIndex { table: t, index } => {
            step("create", "unique", format!("{}.{}", table(t), index.name))
        }
        O::ReplaceView(v) => {
            step("alter", "view", in_schema(&v.schema, &v.name)).detail("definition")
        }
        O::AddColumnReferencing {
            table: t,
            column,
            fk,
        } => step("create", "column", format!("{}.{}", table(t), column.name))
            .detail(format!("{} → {}", column.sql_type, fk.ref_table)),
        O::RebuildTables(tables) => step(
            "alter",
            "table",
            tables
                .iter()
                .map(|r| in_schema(&r.table.schema, &r.table.name))
                .collect::<Vec<_>>()
                .join(", "),
        )
        .detail("recreated, rows kept"),
    }
}
