//! What a change does to the rows already in the database, for `push` (`spec/push.md`).
//!
//! Each operation that can lose data or cannot apply to some rows becomes a [`Hazard`] with the
//! query that counts the rows concerned; the caller runs the queries and shows only hazards
//! whose count is not zero, so a change that harms nothing is never questioned. Pure: the
//! queries are text.

use super::{Operation, TableRef};
use crate::schema::{Column, Dialect};
use crate::snapshot::PgSnapshot;

/// What happens to the counted rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Their data is gone after the change (a dropped table or column, values cut by a narrower
    /// type): applied only when confirmed (`--force`, or a yes on a terminal).
    Loss,
    /// The change cannot apply while they exist (NOT NULL over NULLs, a unique key over
    /// duplicates): refused, the database would reject it half-way.
    Blocks,
}

/// One thing a change does to existing rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    pub effect: Effect,
    /// What the change is: `drop table "users"`.
    pub change: String,
    /// What the count counts: `rows`, `non-NULL values`, `rows with NULL`, ...
    pub counts: &'static str,
    /// One number: how many rows are concerned.
    pub count_sql: String,
    /// What to do instead, for [`Effect::Blocks`].
    pub help: Option<String>,
    /// For a loss the change alone would not carry out (the database refuses to cut a value to
    /// a shorter type): the statement that makes the loss explicit, run first when the loss is
    /// accepted.
    pub prepare: Option<String>,
}

impl Hazard {
    /// `n` of what the count counts, in the singular for one: `1 row`, `3 rows with NULL`.
    pub fn counted(&self, n: i64) -> String {
        if n == 1 {
            let one = self.counts.replacen("rows", "row", 1);
            format!("1 {}", one.replacen("values", "value", 1))
        } else {
            format!("{n} {}", self.counts)
        }
    }
}

/// The hazards of `ops`, which change the database described by `old` (the introspected
/// model).
pub fn hazards(dialect: Dialect, old: &PgSnapshot, ops: &[Operation<'_>]) -> Vec<Hazard> {
    let q = Quote(dialect);
    let mut out = Vec::new();
    for op in ops {
        match op {
            Operation::DropTable(t) => out.push(Hazard {
                effect: Effect::Loss,
                change: format!("drop table {}", q.table(t)),
                counts: "rows",
                count_sql: format!("SELECT count(*) FROM {}", q.table(t)),
                help: None,
                prepare: None,
            }),
            Operation::DropColumn { table, column } => out.push(drop_column(&q, table, column)),
            Operation::SetColumnType { table, column, .. }
            | Operation::ModifyColumn { table, column } => {
                if let Some(old_type) = old_column(old, table, &column.name).map(|c| &c.sql_type)
                    && let Some(h) = narrowing(&q, table, &column.name, old_type, &column.sql_type)
                {
                    out.push(h);
                }
                if let Operation::ModifyColumn { .. } = op
                    && column.not_null
                    && old_column(old, table, &column.name).is_some_and(|c| !c.not_null)
                {
                    out.push(nulls(&q, table, &column.name));
                }
            }
            Operation::SetNotNull {
                table,
                column,
                not_null: true,
            } => out.push(nulls(&q, table, column)),
            Operation::AddColumn { table, column } if needs_value(column) => out.push(Hazard {
                effect: Effect::Blocks,
                change: format!(
                    "add NOT NULL column {} without a default to {}",
                    q.id(&column.name),
                    q.table(table)
                ),
                counts: "rows",
                count_sql: format!("SELECT count(*) FROM {}", q.table(table)),
                help: Some(format!(
                    "give `{}` a default (`.default(...)`), or make it nullable, push, fill it, then add `.notNull()`",
                    column.name
                )),
                prepare: None,
            }),
            Operation::AddUnique { table, unique } => out.push(duplicates(
                &q,
                table,
                &unique.columns,
                unique.nulls_not_distinct,
            )),
            Operation::AddUniqueIndex { table, index }
            | Operation::CreateIndex { table, index }
                if index.unique
                    && old_table(old, table).is_some()
                    && index.columns.iter().all(|c| !c.is_expression) =>
            {
                let cols: Vec<String> =
                    index.columns.iter().map(|c| c.expression.clone()).collect();
                out.push(duplicates(&q, table, &cols, false));
            }
            Operation::AddPrimaryKey { table, pk } => {
                out.push(duplicates(&q, table, &pk.columns, true));
                for c in &pk.columns {
                    if old_column(old, table, c).is_some_and(|c| !c.not_null) {
                        out.push(nulls(&q, table, c));
                    }
                }
            }
            Operation::AddColumnPrimaryKey { table, column } => {
                out.push(duplicates(&q, table, std::slice::from_ref(column), true));
            }
            Operation::RebuildTables(rebuilds) => {
                for r in rebuilds.iter().filter(|r| r.existed) {
                    let t = TableRef::of(r.table);
                    let Some(before) = old_table(old, &t) else {
                        continue;
                    };
                    for c in before.columns.keys() {
                        if !r.copy.contains(c) {
                            out.push(drop_column(&q, &t, c));
                        }
                    }
                    for c in r.table.columns.iter() {
                        if !r.copy.contains(&c.name) && needs_value(c) {
                            out.push(Hazard {
                                effect: Effect::Blocks,
                                change: format!(
                                    "add NOT NULL column {} without a default to {}",
                                    q.id(&c.name),
                                    q.table(&t)
                                ),
                                counts: "rows",
                                count_sql: format!("SELECT count(*) FROM {}", q.table(&t)),
                                help: Some(format!(
                                    "give `{}` a default (`.default(...)`), or make it nullable",
                                    c.name
                                )),
                                prepare: None,
                            });
                        } else if r.copy.contains(&c.name)
                            && c.not_null
                            && before.columns.get(&c.name).is_some_and(|b| !b.not_null)
                        {
                            out.push(nulls(&q, &t, &c.name));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A new NOT NULL column that existing rows have no value for.
fn needs_value(c: &Column) -> bool {
    c.not_null
        && c.default.is_none()
        && c.generated.is_none()
        && c.identity.is_none()
        && !c.auto_increment
        && !c.sql_type.ends_with("serial")
}

fn drop_column(q: &Quote, table: &TableRef, column: &str) -> Hazard {
    Hazard {
        effect: Effect::Loss,
        change: format!("drop column {} of {}", q.id(column), q.table(table)),
        counts: "non-NULL values",
        count_sql: format!(
            "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
            q.table(table),
            q.id(column)
        ),
        help: None,
        prepare: None,
    }
}

fn nulls(q: &Quote, table: &TableRef, column: &str) -> Hazard {
    Hazard {
        effect: Effect::Blocks,
        change: format!("set NOT NULL on {}.{}", q.table(table), q.id(column)),
        counts: "rows with NULL",
        count_sql: format!(
            "SELECT count(*) FROM {} WHERE {} IS NULL",
            q.table(table),
            q.id(column)
        ),
        help: Some(format!(
            "fill the NULLs of `{column}` first (UPDATE ... SET {column} = ... WHERE {column} IS NULL), or give it a default and push twice"
        )),
        prepare: None,
    }
}

fn duplicates(q: &Quote, table: &TableRef, columns: &[String], nulls_equal: bool) -> Hazard {
    let cols: Vec<String> = columns.iter().map(|c| q.id(c)).collect();
    let list = cols.join(", ");
    let filter = if nulls_equal {
        String::new()
    } else {
        format!(
            " WHERE {}",
            cols.iter()
                .map(|c| format!("{c} IS NOT NULL"))
                .collect::<Vec<_>>()
                .join(" AND ")
        )
    };
    Hazard {
        effect: Effect::Blocks,
        change: format!("make ({list}) of {} unique", q.table(table)),
        counts: "duplicated values",
        count_sql: format!(
            "SELECT count(*) FROM (SELECT 1 AS d FROM {}{filter} GROUP BY {list} HAVING count(*) > 1) AS dups",
            q.table(table)
        ),
        help: Some("remove or change the duplicated rows first".into()),
        prepare: None,
    }
}

/// A type change that can cut or reject values: a shorter string (a loss: the values are cut
/// first when it is accepted), a narrower integer (blocks: the values out of range must change
/// first), a smaller numeric or a change to another family of types (other than to text: a
/// loss, as the values are converted or the change fails). SQLite keeps values whatever the
/// declared type: never a hazard there.
fn narrowing(q: &Quote, table: &TableRef, column: &str, old: &str, new: &str) -> Option<Hazard> {
    if q.0 == Dialect::Sqlite {
        return None;
    }
    let (old_base, old_len) = type_parts(old);
    let (new_base, new_len) = type_parts(new);
    let col = q.id(column);
    let t = q.table(table);
    let hazard = |effect, counts, filter: &str| Hazard {
        effect,
        change: format!("change the type of {t}.{col} from {old} to {new}"),
        counts,
        count_sql: format!("SELECT count(*) FROM {t} WHERE {filter}"),
        help: None,
        prepare: None,
    };
    let old_family = family(&old_base);
    let new_family = family(&new_base);
    if old_family == Family::String && new_family == Family::String {
        let new_len = new_len?;
        if old_len.is_some_and(|o| o <= new_len) {
            return None;
        }
        let (length, substring) = match q.0 {
            Dialect::Mysql => ("CHAR_LENGTH", "SUBSTRING"),
            _ => ("length", "substr"),
        };
        let filter = format!("{length}({col}) > {new_len}");
        let mut h = hazard(Effect::Loss, "values longer than the new length", &filter);
        h.change = format!("{} (values cut to {new_len} characters)", h.change);
        h.prepare = Some(format!(
            "UPDATE {t} SET {col} = {substring}({col}, 1, {new_len}) WHERE {filter}"
        ));
        return Some(h);
    }
    if let (Some(o), Some(n)) = (int_rank(&old_base), int_rank(&new_base)) {
        if n.0 >= o.0 {
            return None;
        }
        let mut h = hazard(
            Effect::Blocks,
            "values out of the new range",
            &format!("{col} < {} OR {col} > {}", n.1, n.2),
        );
        h.help = Some(format!(
            "change or delete the values of {column} outside {}..{} first",
            n.1, n.2
        ));
        return Some(h);
    }
    if old_base == new_base && old == new {
        return None;
    }
    if new_family == Family::String && new_len.is_none() {
        // Anything converts to unbounded text.
        return None;
    }
    if old_family == new_family && old_family == Family::Numeric && old_len <= new_len {
        return None;
    }
    Some(hazard(
        Effect::Loss,
        "non-NULL values to convert",
        &format!("{col} IS NOT NULL"),
    ))
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Family {
    String,
    Integer,
    Numeric,
    Other,
}

fn family(base: &str) -> Family {
    match base {
        "text" | "varchar" | "character varying" | "char" | "character" | "tinytext"
        | "mediumtext" | "longtext" => Family::String,
        _ if int_rank(base).is_some() => Family::Integer,
        "numeric" | "decimal" => Family::Numeric,
        _ => Family::Other,
    }
}

/// Integer types by width, with their range.
fn int_rank(base: &str) -> Option<(u8, i64, i64)> {
    Some(match base {
        "tinyint" => (1, -128, 127),
        "smallint" | "smallserial" | "int2" => (2, -32768, 32767),
        "mediumint" => (3, -8_388_608, 8_388_607),
        "integer" | "int" | "serial" | "int4" => (4, -2_147_483_648, 2_147_483_647),
        "bigint" | "bigserial" | "int8" => (5, i64::MIN, i64::MAX),
        _ => return None,
    })
}

/// `varchar(20)` → (`varchar`, 20); `numeric(10, 2)` → (`numeric`, 10); `text` → (`text`, None).
fn type_parts(t: &str) -> (String, Option<u64>) {
    let t = t.trim().to_ascii_lowercase();
    match t.split_once('(') {
        Some((base, rest)) => {
            let n = rest
                .split([',', ')'])
                .next()
                .and_then(|n| n.trim().parse().ok());
            (base.trim().to_string(), n)
        }
        None => (t, None),
    }
}

fn old_table<'a>(old: &'a PgSnapshot, t: &TableRef) -> Option<&'a crate::snapshot::pg::Table> {
    let key = format!("{}.{}", t.schema.as_deref().unwrap_or("public"), t.name);
    old.tables.get(&key)
}

fn old_column<'a>(
    old: &'a PgSnapshot,
    t: &TableRef,
    column: &str,
) -> Option<&'a crate::snapshot::pg::Column> {
    old_table(old, t)?.columns.get(column)
}

/// Identifier quoting of a dialect.
struct Quote(Dialect);

impl Quote {
    fn id(&self, name: &str) -> String {
        match self.0 {
            Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    fn table(&self, t: &TableRef) -> String {
        match (&t.schema, self.0) {
            (Some(s), Dialect::Postgresql) => format!("{}.{}", self.id(s), self.id(&t.name)),
            _ => self.id(&t.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn narrow(old: &str, new: &str) -> Option<String> {
        let t = TableRef {
            schema: None,
            name: "t".into(),
        };
        narrowing(&Quote(Dialect::Postgresql), &t, "c", old, new).map(|h| h.count_sql)
    }

    #[test]
    fn narrowing_type_changes() {
        assert_eq!(
            narrow("varchar(20)", "varchar(10)").as_deref(),
            Some("SELECT count(*) FROM \"t\" WHERE length(\"c\") > 10")
        );
        assert_eq!(narrow("varchar(10)", "varchar(20)"), None);
        assert_eq!(narrow("varchar(10)", "text"), None);
        assert!(narrow("text", "varchar(5)").is_some());
        assert_eq!(narrow("integer", "bigint"), None);
        assert_eq!(
            narrow("bigint", "integer").as_deref(),
            Some("SELECT count(*) FROM \"t\" WHERE \"c\" < -2147483648 OR \"c\" > 2147483647")
        );
        assert_eq!(narrow("integer", "text"), None);
        assert!(narrow("text", "integer").is_some());
        assert_eq!(narrow("numeric(10, 2)", "numeric(12, 2)"), None);
        assert!(narrow("numeric(12, 2)", "numeric(10, 2)").is_some());
    }
}
