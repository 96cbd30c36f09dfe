//! PostgreSQL SQL for each migration operation, in drizzle-kit 0.31's templates — except where
//! drizzle-kit's SQL is wrong (types it quotes, `$1` placeholders), see `spec/differences.md`.

use crate::migration::{IdentityChange, Operation, TableRef};
use crate::schema::{
    Column, Enum, Identity, Index, Policy, Role, Sequence, SequenceOptions, Table, View,
};

pub fn ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_ident(&mut out, name);
    out
}

/// Appends `"name"` (embedded quotes doubled).
fn push_ident(out: &mut String, name: &str) {
    out.reserve(name.len() + 2);
    out.push('"');
    let mut parts = name.split('"');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        out.push_str("\"\"");
        out.push_str(part);
    }
    out.push('"');
}

/// `"schema"."name"`, or `"name"` in the default schema.
fn table_name(schema: &Option<String>, name: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", ident(s), ident(name)),
        None => ident(name),
    }
}

/// `"schema"."name"` with `public` spelled out (enums, sequences and views always carry a schema).
fn qualified(schema: &Option<String>, name: &str) -> String {
    format!(
        "{}.{}",
        ident(schema.as_deref().unwrap_or("public")),
        ident(name)
    )
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The SQL statements of one operation.
pub fn operation(op: &Operation<'_>) -> Vec<String> {
    match op {
        Operation::CreateSchema(name) => vec![format!("CREATE SCHEMA {};\n", ident(name))],
        Operation::CreateEnum(e) => vec![create_enum(e)],
        Operation::CreateSequence(s) => vec![create_sequence(s)],
        Operation::CreateRole(r) => vec![create_role(r)],
        Operation::CreateTable(t) => create_table(t),
        Operation::CreateForeignKey { table, fk } => {
            let cols = fk
                .columns
                .iter()
                .map(|c| ident(c))
                .collect::<Vec<_>>()
                .join(",");
            let ref_cols = fk
                .ref_columns
                .iter()
                .map(|c| ident(c))
                .collect::<Vec<_>>()
                .join(",");
            vec![format!(
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({cols}) REFERENCES {}({ref_cols}) ON DELETE {} ON UPDATE {};",
                table_name(&table.schema, &table.name),
                ident(&fk.name),
                qualified(&fk.ref_schema, &fk.ref_table),
                fk.on_delete.as_str(),
                fk.on_update.as_str()
            )]
        }
        Operation::CreateIndex { table, index } => vec![create_index(table, index)],
        Operation::CreateView(v) => vec![create_view(v)],
        Operation::CreatePolicy { table, policy } => vec![create_policy(table, policy)],
        Operation::AddEnumValue {
            enum_,
            value,
            before,
        } => vec![format!(
            "ALTER TYPE {} ADD VALUE {}{};",
            qualified(&enum_.schema, &enum_.name),
            literal(value),
            before
                .as_ref()
                .map(|b| format!(" BEFORE {}", literal(b)))
                .unwrap_or_default()
        )],
        Operation::DropEnum { schema, name } => {
            vec![format!("DROP TYPE {}.{};", ident(schema), ident(name))]
        }
        Operation::DropTable(t) => vec![format!(
            "DROP TABLE {} CASCADE;",
            table_name(&t.schema, &t.name)
        )],
        Operation::AddColumn { table, column } => vec![format!(
            "ALTER TABLE {} ADD COLUMN {};",
            table_name(&table.schema, &table.name),
            column_definition(column, &table.schema)
        )],
        Operation::DropColumn { table, column } => vec![format!(
            "ALTER TABLE {} DROP COLUMN {};",
            table_name(&table.schema, &table.name),
            ident(column)
        )],
        Operation::SetColumnType {
            table,
            column,
            using,
        } => {
            let mut out = vec![format!(
                "{} SET DATA TYPE {}{};",
                alter_column(table, &column.name),
                column_type(column),
                using
                    .as_ref()
                    .map(|u| format!(" USING {u}"))
                    .unwrap_or_default()
            )];
            if column.default.is_some() {
                out.push(set_default(table, column));
            }
            out
        }
        Operation::SetDefault { table, column } => vec![set_default(table, column)],
        Operation::DropDefault { table, column } => {
            vec![format!("{} DROP DEFAULT;", alter_column(table, column))]
        }
        Operation::SetNotNull {
            table,
            column,
            not_null,
        } => vec![format!(
            "{} {} NOT NULL;",
            alter_column(table, column),
            if *not_null { "SET" } else { "DROP" }
        )],
        Operation::DropConstraint { table, name } => vec![format!(
            "ALTER TABLE {} DROP CONSTRAINT {};",
            table_name(&table.schema, &table.name),
            ident(name)
        )],
        Operation::AddUnique { table, unique } => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE{}({});",
            table_name(&table.schema, &table.name),
            ident(&unique.name),
            if unique.nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            idents(&unique.columns)
        )],
        Operation::AddCheck { table, check } => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({});",
            table_name(&table.schema, &table.name),
            ident(&check.name),
            check.expression
        )],
        Operation::AddPrimaryKey { table, pk } => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY({});",
            table_name(&table.schema, &table.name),
            ident(&pk.name),
            idents(&pk.columns)
        )],
        Operation::DropIndex { schema, name, .. } => {
            vec![format!("DROP INDEX {};", table_name(schema, name))]
        }
        Operation::RenameSchema { from, to } => {
            vec![format!(
                "ALTER SCHEMA {} RENAME TO {};\n",
                ident(from),
                ident(to)
            )]
        }
        Operation::RenameObject {
            kind,
            materialized,
            from,
            to,
        } => rename_object(*kind, *materialized, from, to),
        Operation::RenameRole { from, to } => {
            vec![format!(
                "ALTER ROLE {} RENAME TO {};",
                ident(from),
                ident(to)
            )]
        }
        Operation::RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            table_name(&table.schema, &table.name),
            ident(from),
            ident(to)
        )],
        Operation::RenameConstraint { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
            table_name(&table.schema, &table.name),
            ident(from),
            ident(to)
        )],
        Operation::RenamePolicy { table, from, to } => vec![format!(
            "ALTER POLICY {} ON {} RENAME TO {};",
            ident(from),
            table_name(&table.schema, &table.name),
            ident(to)
        )],
        other => object_operation(other),
    }
}

/// `SET SCHEMA` when the schema changed, then `RENAME TO` when the name changed (under the new
/// schema). Tables in `public` are named without it, as drizzle-kit names them.
fn rename_object(
    kind: crate::migration::rename::Kind,
    materialized: bool,
    (from_schema, from): &(String, String),
    (to_schema, to): &(String, String),
) -> Vec<String> {
    use crate::migration::rename::Kind;
    let what = match kind {
        Kind::Enum => "TYPE",
        Kind::Sequence => "SEQUENCE",
        Kind::View if materialized => "MATERIALIZED VIEW",
        Kind::View => "VIEW",
        _ => "TABLE",
    };
    let name = |schema: &str, name: &str| {
        if kind == Kind::Table && schema == "public" {
            ident(name)
        } else {
            format!("{}.{}", ident(schema), ident(name))
        }
    };
    let mut out = Vec::new();
    if from_schema != to_schema {
        out.push(format!(
            "ALTER {what} {} SET SCHEMA {};",
            format_args!("{}.{}", ident(from_schema), ident(from)),
            ident(to_schema)
        ));
    }
    if from != to {
        out.push(format!(
            "ALTER {what} {} RENAME TO {};",
            name(to_schema, from),
            ident(to)
        ));
    }
    out
}

/// The SQL of the operations on schemas, sequences, roles, policies, views and of the column
/// changes beyond type, default and not null.
fn object_operation(op: &Operation<'_>) -> Vec<String> {
    let table = |t: &TableRef| table_name(&t.schema, &t.name);
    let sql = match op {
        Operation::SetColumnTypeTo {
            table,
            column,
            sql_type,
            using,
        } => format!(
            "{} SET DATA TYPE {sql_type}{};",
            alter_column(table, column),
            using
                .as_ref()
                .map(|u| format!(" USING {u}"))
                .unwrap_or_default()
        ),
        Operation::DropSchema(name) => format!("DROP SCHEMA {};\n", ident(name)),
        Operation::AlterSequence(s) => format!(
            "ALTER SEQUENCE {} {}{};",
            qualified(&s.schema, &s.name),
            sequence_params(&s.options),
            // drizzle-kit writes nothing here, so a sequence never stops cycling.
            if s.options.cycle { "" } else { " NO CYCLE" }
        ),
        Operation::DropSequence { schema, name } => {
            format!("DROP SEQUENCE {}.{};", ident(schema), ident(name))
        }
        Operation::AlterRole(r) => format!(
            "ALTER ROLE {} WITH {}CREATEDB {}CREATEROLE {}INHERIT;",
            ident(&r.name),
            if r.create_db { "" } else { "NO" },
            if r.create_role { "" } else { "NO" },
            if r.inherit { "" } else { "NO" }
        ),
        Operation::DropRole(name) => format!("DROP ROLE {};", ident(name)),
        Operation::AlterPolicy { table: t, policy } => {
            let mut s = format!(
                "ALTER POLICY {} ON {} TO {}",
                ident(&policy.name),
                table(t),
                policy_roles(&policy.to)
            );
            if let Some(u) = &policy.using {
                s.push_str(&format!(" USING ({u})"));
            }
            if let Some(w) = &policy.with_check {
                s.push_str(&format!(" WITH CHECK ({w})"));
            }
            s.push(';');
            s
        }
        Operation::DropPolicy { table: t, name } => {
            format!("DROP POLICY {} ON {} CASCADE;", ident(name), table(t))
        }
        Operation::SetRowLevelSecurity { table: t, enabled } => format!(
            "ALTER TABLE {} {} ROW LEVEL SECURITY;",
            table(t),
            if *enabled { "ENABLE" } else { "DISABLE" }
        ),
        Operation::DropView {
            schema,
            name,
            materialized,
        } => format!(
            "DROP {}VIEW {}.{};",
            if *materialized { "MATERIALIZED " } else { "" },
            ident(schema),
            ident(name)
        ),
        Operation::AlterViewOptions { view, set, reset } => {
            let mut out = Vec::new();
            if !set.is_empty() {
                let set = set
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(format!("{} SET ({set});", alter_view(view)));
            }
            if !reset.is_empty() {
                out.push(format!(
                    "{} RESET ({});",
                    alter_view(view),
                    reset.join(", ")
                ));
            }
            return out;
        }
        Operation::SetViewTablespace { view, tablespace } => {
            format!("{} SET TABLESPACE {tablespace};", alter_view(view))
        }
        Operation::SetViewAccessMethod { view, method } => {
            format!("{} SET ACCESS METHOD {};", alter_view(view), ident(method))
        }
        Operation::AddIdentity { table: t, column } => {
            let i = column.identity.as_deref();
            format!(
                "{} ADD{};",
                alter_column(t, &column.name),
                i.map(|i| identity(i, &t.schema)).unwrap_or_default()
            )
        }
        Operation::DropIdentity { table: t, column } => {
            format!("{} DROP IDENTITY;", alter_column(t, column))
        }
        Operation::AlterIdentity {
            table: t,
            column,
            change,
        } => match change {
            IdentityChange::SequenceName { schema, from, to } => format!(
                "ALTER SEQUENCE {} RENAME TO {};",
                table_name(schema, from),
                ident(to)
            ),
            IdentityChange::Generated(always) => format!(
                "{} SET GENERATED {};",
                alter_column(t, column),
                if *always { "ALWAYS" } else { "BY DEFAULT" }
            ),
            IdentityChange::Option(kw, value) => {
                format!("{} SET {kw} {value};", alter_column(t, column))
            }
            IdentityChange::Cycle(cycle) => format!(
                "{} SET {}CYCLE;",
                alter_column(t, column),
                if *cycle { "" } else { "NO " }
            ),
        },
        Operation::DropExpression { table: t, column } => {
            format!("{} DROP EXPRESSION;", alter_column(t, column))
        }
        Operation::AddColumnPrimaryKey { table: t, column } => {
            format!(
                "ALTER TABLE {} ADD PRIMARY KEY ({});",
                table(t),
                ident(column)
            )
        }
        Operation::CreateSerialSequence {
            table: t,
            column,
            sequence,
            int_type,
        } => {
            let seq = table_name(&t.schema, sequence);
            return vec![
                format!(
                    "CREATE SEQUENCE {seq} AS {int_type} OWNED BY {}.{};",
                    table(t),
                    ident(column)
                ),
                format!(
                    "{} SET DEFAULT nextval({}::regclass);",
                    alter_column(t, column),
                    literal(&seq)
                ),
                format!(
                    "SELECT setval({}, greatest(coalesce(max({}), 0), 0) + 1, false) FROM {};",
                    literal(&seq),
                    ident(column),
                    table(t)
                ),
            ];
        }
        Operation::DropSerialSequence {
            table: t,
            column,
            sequence,
        } => {
            return vec![
                format!("{} DROP DEFAULT;", alter_column(t, column)),
                format!("DROP SEQUENCE {};", table_name(&t.schema, sequence)),
            ];
        }
        Operation::AlterSerialSequence {
            table: t,
            sequence,
            int_type,
        } => format!(
            "ALTER SEQUENCE {} AS {int_type};",
            table_name(&t.schema, sequence)
        ),
        _ => return Vec::new(),
    };
    vec![sql]
}

/// `ALTER [MATERIALIZED ]VIEW "s"."v"`.
fn alter_view(v: &View) -> String {
    format!(
        "ALTER {}VIEW {}",
        if v.materialized { "MATERIALIZED " } else { "" },
        qualified(&v.schema, &v.name)
    )
}

fn policy_roles(to: &[String]) -> String {
    to.iter()
        .map(|r| policy_role(r))
        .collect::<Vec<_>>()
        .join(", ")
}

fn idents(names: &[String]) -> String {
    names.iter().map(|c| ident(c)).collect::<Vec<_>>().join(",")
}

fn alter_column(table: &TableRef, column: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        table_name(&table.schema, &table.name),
        ident(column)
    )
}

fn set_default(table: &TableRef, column: &Column) -> String {
    let d = column.default.as_ref().map(|d| d.sql()).unwrap_or_default();
    format!("{} SET DEFAULT {d};", alter_column(table, &column.name))
}

fn create_enum(e: &Enum) -> String {
    let values = e
        .values
        .iter()
        .map(|v| literal(v))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TYPE {} AS ENUM({values});",
        qualified(&e.schema, &e.name)
    )
}

fn sequence_params(o: &SequenceOptions) -> String {
    format!(
        "INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        o.increment,
        o.min_value,
        o.max_value,
        o.start_with,
        o.cache,
        if o.cycle { " CYCLE" } else { "" }
    )
}

fn create_sequence(s: &Sequence) -> String {
    format!(
        "CREATE SEQUENCE {} {};",
        qualified(&s.schema, &s.name),
        sequence_params(&s.options)
    )
}

fn create_role(r: &Role) -> String {
    let mut opts = String::new();
    if r.create_db {
        opts.push_str(" CREATEDB");
    }
    if r.create_role {
        opts.push_str(" CREATEROLE");
    }
    if !r.inherit {
        opts.push_str(" NOINHERIT");
    }
    if opts.is_empty() {
        format!("CREATE ROLE {};", ident(&r.name))
    } else {
        format!("CREATE ROLE {} WITH{opts};", ident(&r.name))
    }
}

/// A column's type as SQL: enums are quoted identifiers (schema-qualified outside `public`),
/// and so is a custom type named by one plain identifier with capitals (`Mood`, which would
/// fold to `mood` unquoted); every other type is printed as written.
pub fn column_type(c: &Column) -> String {
    let (base, arrays) = split_array(&c.sql_type);
    match &c.enum_schema {
        Some(schema) => {
            let name = if schema == "public" {
                ident(base)
            } else {
                format!("{}.{}", ident(schema), ident(base))
            };
            format!("{name}{arrays}")
        }
        None if is_capitalized_name(base) => format!("{}{arrays}", ident(base)),
        None => c.sql_type.clone(),
    }
}

/// A plain identifier (letters, digits, `_`, `$`) with at least one capital letter that is not
/// a built-in type written in capitals (`TEXT`, `Integer`: unquoted, they name the type;
/// quoted, as drizzle-kit prints them, they name nothing).
fn is_capitalized_name(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_uppercase())
        && !t.starts_with(|c: char| c.is_ascii_digit())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        && !BUILT_IN_TYPES.contains(&t.to_ascii_lowercase().as_str())
}

/// PostgreSQL's built-in type names (and the extension types schema files use) that are one
/// word, with their aliases.
const BUILT_IN_TYPES: &[&str] = &[
    "bigint",
    "bigserial",
    "bit",
    "bool",
    "boolean",
    "box",
    "bpchar",
    "bytea",
    "char",
    "character",
    "cidr",
    "circle",
    "citext",
    "date",
    "daterange",
    "datemultirange",
    "decimal",
    "float4",
    "float8",
    "geography",
    "geometry",
    "halfvec",
    "hstore",
    "inet",
    "int",
    "int2",
    "int4",
    "int4range",
    "int4multirange",
    "int8",
    "int8range",
    "int8multirange",
    "integer",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "line",
    "lseg",
    "ltree",
    "macaddr",
    "macaddr8",
    "money",
    "name",
    "numeric",
    "nummultirange",
    "numrange",
    "oid",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "real",
    "record",
    "regclass",
    "regproc",
    "regtype",
    "serial",
    "serial2",
    "serial4",
    "serial8",
    "smallint",
    "smallserial",
    "sparsevec",
    "text",
    "time",
    "timestamp",
    "timestamptz",
    "timetz",
    "tsmultirange",
    "tsquery",
    "tsrange",
    "tstzmultirange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
    "uuid",
    "varbit",
    "varchar",
    "vector",
    "xid",
    "xid8",
    "xml",
];

/// `("mood", "[][]")` for `mood[][]`.
fn split_array(t: &str) -> (&str, &str) {
    match t.find('[') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    }
}

fn identity(i: &Identity, table_schema: &Option<String>) -> String {
    let seq = match table_schema.as_ref().or(i.sequence_schema.as_ref()) {
        Some(s) => format!("{}.{}", ident(s), ident(&i.sequence_name)),
        None => ident(&i.sequence_name),
    };
    format!(
        " GENERATED {} AS IDENTITY (sequence name {seq} {})",
        if i.always { "ALWAYS" } else { "BY DEFAULT" },
        sequence_params(&i.options)
    )
}

/// A column definition as in `CREATE TABLE` and `ADD COLUMN`.
pub fn column_definition(c: &Column, table_schema: &Option<String>) -> String {
    let mut s = String::with_capacity(64);
    push_column_definition(&mut s, c, table_schema);
    s
}

fn push_column_definition(s: &mut String, c: &Column, table_schema: &Option<String>) {
    push_ident(s, &c.name);
    s.push(' ');
    match &c.enum_schema {
        None if !is_capitalized_name(split_array(&c.sql_type).0) => s.push_str(&c.sql_type),
        _ => s.push_str(&column_type(c)),
    }
    if c.primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        match d {
            crate::schema::DefaultValue::Sql(t)
            | crate::schema::DefaultValue::Number(t)
            | crate::schema::DefaultValue::Value { sql: t, .. } => s.push_str(t),
            crate::schema::DefaultValue::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
            crate::schema::DefaultValue::Null => s.push_str("null"),
        }
    }
    if let Some(g) = &c.generated {
        s.push_str(" GENERATED ALWAYS AS (");
        s.push_str(&g.expression);
        s.push_str(") STORED");
    }
    if c.not_null && c.identity.is_none() {
        s.push_str(" NOT NULL");
    }
    if let Some(i) = &c.identity {
        s.push_str(&identity(i, table_schema));
    }
}

fn create_table(t: &Table) -> Vec<String> {
    let mut s = String::with_capacity(64 + 48 * t.columns.len());
    s.push_str("CREATE TABLE ");
    s.push_str(&table_name(&t.schema, &t.name));
    s.push_str(" (\n");
    let mut first = true;
    let mut line = |s: &mut String| {
        if !first {
            s.push_str(",\n");
        }
        first = false;
        s.push('\t');
    };
    for c in &t.columns {
        line(&mut s);
        push_column_definition(&mut s, c, &t.schema);
    }
    let push_cols = |s: &mut String, cols: &[String]| {
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            push_ident(s, c);
        }
    };
    if let Some(pk) = &t.primary_key {
        line(&mut s);
        s.push_str("CONSTRAINT ");
        push_ident(&mut s, &pk.name);
        s.push_str(" PRIMARY KEY(");
        push_cols(&mut s, &pk.columns);
        s.push(')');
    }
    for u in &t.uniques {
        line(&mut s);
        s.push_str("CONSTRAINT ");
        push_ident(&mut s, &u.name);
        s.push_str(if u.nulls_not_distinct {
            " UNIQUE NULLS NOT DISTINCT("
        } else {
            " UNIQUE("
        });
        push_cols(&mut s, &u.columns);
        s.push(')');
    }
    for c in &t.checks {
        line(&mut s);
        s.push_str("CONSTRAINT ");
        push_ident(&mut s, &c.name);
        s.push_str(" CHECK (");
        s.push_str(&c.expression);
        s.push(')');
    }
    s.push_str("\n);\n");
    let mut out = vec![s];
    if t.row_level_security() {
        out.push(format!(
            "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
            table_name(&t.schema, &t.name)
        ));
    }
    out
}

fn create_index(table: &TableRef, ix: &Index) -> String {
    let cols = ix
        .columns
        .iter()
        .map(|c| {
            let mut s = if c.is_expression {
                c.expression.clone()
            } else {
                ident(&c.expression)
            };
            if let Some(op) = &c.opclass {
                s.push(' ');
                s.push_str(op);
            }
            if !c.asc {
                s.push_str(" DESC");
            }
            // PostgreSQL's default is NULLS LAST for ascending, NULLS FIRST for descending.
            if !c.asc || c.nulls_first {
                s.push_str(if c.nulls_first {
                    " NULLS FIRST"
                } else {
                    " NULLS LAST"
                });
            }
            s
        })
        .collect::<Vec<_>>()
        .join(",");
    let mut s = format!(
        "CREATE {}INDEX{} {} ON {} USING {} ({cols})",
        if ix.unique { "UNIQUE " } else { "" },
        if ix.concurrently { " CONCURRENTLY" } else { "" },
        ident(&ix.name),
        table_name(&table.schema, &table.name),
        ix.method
    );
    if !ix.with.is_empty() {
        let with = ix
            .with
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        s.push_str(&format!(" WITH ({with})"));
    }
    if let Some(w) = &ix.where_clause {
        s.push_str(&format!(" WHERE {w}"));
    }
    s.push(';');
    s
}

fn create_view(v: &View) -> String {
    let mut s = format!(
        "CREATE {}VIEW {}",
        if v.materialized { "MATERIALIZED " } else { "" },
        qualified(&v.schema, &v.name)
    );
    if let Some(u) = &v.using {
        s.push_str(&format!(" USING {}", ident(u)));
    }
    if !v.with.is_empty() {
        let with = v
            .with
            .iter()
            .map(|(k, val)| format!("{k} = {val}"))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(" WITH ({with})"));
    }
    if let Some(ts) = &v.tablespace {
        s.push_str(&format!(" TABLESPACE {ts}"));
    }
    s.push_str(&format!(" AS ({})", v.definition.as_deref().unwrap_or("")));
    if v.with_no_data {
        s.push_str(" WITH NO DATA");
    }
    s.push(';');
    s
}

fn policy_role(r: &str) -> String {
    match r {
        "public" | "current_role" | "current_user" | "session_user" => r.to_string(),
        _ => ident(r),
    }
}

fn create_policy(table: &TableRef, p: &Policy) -> String {
    let mut s = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        ident(&p.name),
        table_name(&table.schema, &table.name),
        if p.restrictive {
            "RESTRICTIVE"
        } else {
            "PERMISSIVE"
        },
        p.command,
        policy_roles(&p.to)
    );
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({w})"));
    }
    s.push(';');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn identifiers_double_their_quotes() {
        assert_eq!(super::ident("users"), r#""users""#);
        assert_eq!(super::ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(super::ident(r#""x""#), r#""""x""""#);
        assert_eq!(super::ident(""), r#""""#);
        assert_eq!(super::ident("é\"ü"), "\"é\"\"ü\"");
    }
}
