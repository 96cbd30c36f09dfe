//! A model read from a live database, made comparable with the model of a schema.
//!
//! A database keeps some definitions in its own words: PostgreSQL prints a check as
//! `CHECK ((age > 0))` where the schema wrote `"users"."age" > 0`, and an index expression, a
//! partial index's `WHERE`, a generated column's expression, a policy's `USING` and a view's query
//! come back rewritten the same way. Where an entity of the same name is in both models, [`align`]
//! takes these texts from the schema's model, so that `push` sees no change in them (drizzle-kit's
//! push ignores them the same way). A changed check or index expression is therefore not pushed;
//! `build` sees it.

use super::pg::{self, Map, PgSnapshot};
use crate::schema::Dialect;

/// Copies into `live` the texts a database rewrites, from the entities of the same name in
/// `desired`.
pub fn align(live: &mut PgSnapshot, desired: &PgSnapshot) {
    for (key, table) in live.tables.iter_mut() {
        let Some(want) = desired.tables.get(key) else {
            continue;
        };
        for (name, check) in table.check_constraints.iter_mut() {
            if let Some(w) = want.check_constraints.get(name) {
                check.value.clone_from(&w.value);
            }
        }
        for (name, index) in table.indexes.iter_mut() {
            let Some(w) = want.indexes.get(name) else {
                continue;
            };
            if index.columns.len() == w.columns.len() {
                for (c, wc) in index.columns.iter_mut().zip(&w.columns) {
                    if c.is_expression && wc.is_expression {
                        c.expression.clone_from(&wc.expression);
                    }
                }
            }
            if index.where_clause.is_some() && w.where_clause.is_some() {
                index.where_clause.clone_from(&w.where_clause);
            }
            // Not a property of the index: how it was created.
            index.concurrently = w.concurrently;
        }
        for (name, column) in table.columns.iter_mut() {
            let Some(w) = want.columns.get(name) else {
                continue;
            };
            if let (Some(g), Some(wg)) = (column.generated.as_mut(), w.generated.as_ref()) {
                g.expression.clone_from(&wg.expression);
            }
        }
        for (name, policy) in table.policies.iter_mut() {
            if let Some(w) = want.policies.get(name) {
                align_policy(policy, w);
            }
        }
    }
    for (name, policy) in live.policies.iter_mut() {
        if let Some(w) = desired.policies.get(name) {
            align_policy(policy, w);
        }
    }
    for (key, view) in live.views.iter_mut() {
        if let Some(w) = desired.views.get(key)
            && view.definition.is_some()
            && w.definition.is_some()
        {
            view.definition.clone_from(&w.definition);
        }
    }
    match super::dialect_of(&desired.dialect) {
        Some(Dialect::Mysql) => mysql(live, desired),
        Some(Dialect::Sqlite) => sqlite(live, desired),
        _ => return,
    }
    order_like(live, desired);
}

fn align_policy(policy: &mut super::pg::Policy, want: &super::pg::Policy) {
    if policy.using.is_some() && want.using.is_some() {
        policy.using.clone_from(&want.using);
    }
    if policy.with_check.is_some() && want.with_check.is_some() {
        policy.with_check.clone_from(&want.with_check);
    }
}

/// What MySQL and MariaDB cannot give back as the schema wrote it.
fn mysql(live: &mut PgSnapshot, desired: &PgSnapshot) {
    for (key, table) in live.tables.iter_mut() {
        let Some(want) = desired.tables.get(key) else {
            continue;
        };
        for (name, column) in table.columns.iter_mut() {
            let Some(w) = want.columns.get(name) else {
                continue;
            };
            // One type under two names: `real` is `double`, `decimal(8)` is `decimal(8,0)`,
            // `binary` is `binary(1)`.
            if mysql_type_key(&column.sql_type) == mysql_type_key(&w.sql_type) {
                column.sql_type.clone_from(&w.sql_type);
            }
            if same_mysql_default(column.default.as_ref(), w.default.as_ref())
                || truncated_time(column, w)
            {
                column.default.clone_from(&w.default);
            }
        }
        rename_primary_keys(table, want);
        // A unique index and a unique constraint are one thing in MySQL (a unique key): read as
        // a constraint, it is the schema's unique index where the schema has one of that name
        // and those columns.
        let uniques: Vec<String> = table.unique_constraints.keys().cloned().collect();
        for name in uniques {
            let Some(w) = want.indexes.get(&name) else {
                continue;
            };
            let u = &table.unique_constraints[&name];
            let columns: Vec<&str> = w.columns.iter().map(|c| c.expression.as_str()).collect();
            if w.is_unique && w.columns.iter().all(|c| !c.is_expression) && columns == u.columns {
                table.unique_constraints.shift_remove(&name);
                table.indexes.insert(name, w.clone());
            }
        }
        for (name, index) in table.indexes.iter_mut() {
            let Some(w) = want.indexes.get(name) else {
                continue;
            };
            // BTREE is the default the database reports when the schema named none.
            if index.method.is_empty() && w.method.eq_ignore_ascii_case("btree") {
                index.method.clone_from(&w.method);
            }
            // How the index was built, not a property of it.
            index.algorithm.clone_from(&w.algorithm);
            index.lock.clone_from(&w.lock);
        }
    }
    view_columns(live, desired);
}

/// A view's columns are derived from its query (taken from the schema by `align`); MySQL and
/// SQLite report them without the flags of the table columns they select (auto-increment,
/// defaults, primary key), and the schema may know none of them (an `sql` query).
fn view_columns(live: &mut PgSnapshot, desired: &PgSnapshot) {
    for (key, view) in live.views.iter_mut() {
        if let Some(w) = desired.views.get(key)
            && view.definition.is_some()
            && w.definition.is_some()
        {
            view.columns.clone_from(&w.columns);
        }
    }
}

/// Whether the default of a date-time column without fractional seconds is the schema's
/// with them cut off, as the database stores it (`'2020-01-02 03:04:05.678'` is kept as
/// `'2020-01-02 03:04:05'`).
fn truncated_time(live: &pg::Column, want: &pg::Column) -> bool {
    let (Some(pg::Default::Sql(l)), Some(pg::Default::Sql(w))) = (&live.default, &want.default)
    else {
        return false;
    };
    let Some(value) = l.strip_suffix('\'').filter(|v| v.starts_with('\'')) else {
        return false;
    };
    ["datetime", "timestamp", "time"].contains(&want.sql_type.as_str())
        && w.strip_prefix(value)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|rest| {
                rest.strip_suffix('\'')
                    .is_some_and(|f| f.bytes().all(|b| b.is_ascii_digit()))
            })
}

/// A MySQL type for comparison: `real` is `double`, `decimal(p)` is `decimal(p,0)`, a `char`
/// or `binary` without a length has length 1, spaces after commas do not count.
fn mysql_type_key(t: &str) -> String {
    let t = t.to_ascii_lowercase().replace(", ", ",");
    let t = match t.strip_prefix("real") {
        Some(rest) => format!("double{rest}"),
        None => t,
    };
    for one in ["char", "binary"] {
        if t == one {
            return format!("{one}(1)");
        }
    }
    if let Some(rest) = t.strip_prefix("decimal(")
        && let Some((args, tail)) = rest.split_once(')')
        && !args.contains(',')
    {
        return format!("decimal({args},0){tail}");
    }
    if t == "decimal" || t.starts_with("decimal ") {
        return t.replacen("decimal", "decimal(10,0)", 1);
    }
    t
}

/// Whether a default read from MySQL is the schema's: the same number however written (`0` and
/// `'0.00'`, `1` and `true`), `NULL` and no default, or the same expression up to case,
/// spaces, backticks, parentheses and `now()`'s synonyms (MariaDB writes `current_timestamp()`).
fn same_mysql_default(live: Option<&pg::Default>, want: Option<&pg::Default>) -> bool {
    use pg::Default as D;
    let number = |d: &D| -> Option<f64> {
        match d {
            D::Number(n) => n.parse().ok(),
            D::Bool(b) => Some(f64::from(u8::from(*b))),
            D::Sql(s) => s
                .trim_matches(|c| c == '(' || c == ')')
                .trim_matches('\'')
                .parse()
                .ok(),
        }
    };
    match (live, want) {
        (None, None) => true,
        (None, Some(D::Sql(s))) => s
            .trim_matches(|c| c == '(' || c == ')')
            .eq_ignore_ascii_case("null"),
        (Some(l), Some(w)) => {
            if let (Some(a), Some(b)) = (number(l), number(w)) {
                return a == b;
            }
            match (l, w) {
                (D::Sql(a), D::Sql(b)) => mysql_expression_key(a) == mysql_expression_key(b),
                _ => false,
            }
        }
        _ => false,
    }
}

/// An SQL expression for comparison: lowercase outside strings, without spaces, backticks and
/// parentheses, with `now`, `current_timestamp` and `localtimestamp` one name.
fn mysql_expression_key(s: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    for c in s.chars() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            _ if in_string => out.push(c),
            '(' | ')' | '`' => {}
            c if c.is_whitespace() => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    for synonym in ["localtimestamp", "current_timestamp"] {
        out = out.replace(synonym, "now");
    }
    // `now()` on a column with fractional seconds is reported with them: `current_timestamp(3)`.
    if out
        .strip_prefix("now")
        .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    {
        out.truncate(3);
    }
    out
}

/// What SQLite cannot give back as the schema wrote it.
fn sqlite(live: &mut PgSnapshot, desired: &PgSnapshot) {
    for (key, table) in live.tables.iter_mut() {
        let Some(want) = desired.tables.get(key) else {
            continue;
        };
        // SQLite keeps no names of foreign keys and primary keys: the schema's for the same
        // keys.
        let fks: Vec<String> = table.foreign_keys.keys().cloned().collect();
        for k in fks {
            let fk = &table.foreign_keys[&k];
            if let Some(w) = want.foreign_keys.values().find(|w| {
                w.table_to == fk.table_to
                    && w.columns_from == fk.columns_from
                    && w.columns_to == fk.columns_to
            }) && w.name != k
                && !table.foreign_keys.contains_key(&w.name)
            {
                let name = w.name.clone();
                if let Some(mut fk) = table.foreign_keys.shift_remove(&k) {
                    fk.name.clone_from(&name);
                    table.foreign_keys.insert(name, fk);
                }
            }
        }
        rename_primary_keys(table, want);
        for (name, column) in table.columns.iter_mut() {
            let Some(w) = want.columns.get(name) else {
                continue;
            };
            // Introspection writes a declared type as drizzle's builders would (`varchar(20)` is
            // `text(20)`); SQLite gives a column no more than the type's affinity, so a schema
            // type that reads the same is the schema's (a custom `varchar(20)`, `INTEGER`).
            if sqlite_type(&w.sql_type) == column.sql_type {
                column.sql_type.clone_from(&w.sql_type);
            }
            // `DEFAULT NULL` is no default.
            if column.default.is_none()
                && matches!(&w.default, Some(pg::Default::Sql(d)) if d.trim_matches(['(', ')']).eq_ignore_ascii_case("null"))
            {
                column.default.clone_from(&w.default);
            }
            // SQLite gives back a default's expression without its outer parentheses.
            if let (Some(pg::Default::Sql(l)), Some(pg::Default::Sql(d))) =
                (&column.default, &w.default)
                && l.trim_matches(['(', ')']) == d.trim_matches(['(', ')'])
            {
                column.default.clone_from(&w.default);
            }
        }
    }
    view_columns(live, desired);
}

/// A declared SQLite column type as drizzle's SQLite builders name it, by SQLite's affinity
/// rules as drizzle-kit applies them: integer names are `integer`, character names `text` (with
/// their length: `varchar(20)` is `text(20)`), `blob`, floating-point names `real`, any other
/// `numeric`.
pub fn sqlite_type(declared: &str) -> String {
    let t = declared.trim().to_ascii_lowercase();
    let starts = |names: &[&str]| names.iter().any(|n| t.starts_with(n));
    if starts(&[
        "int",
        "integer",
        "tinyint",
        "smallint",
        "mediumint",
        "bigint",
        "unsigned big int",
    ]) {
        return "integer".into();
    }
    if starts(&[
        "character",
        "varchar",
        "varying character",
        "national varying character",
        "nchar",
        "native character",
        "nvarchar",
        "text",
        "clob",
    ]) {
        let digits: String = t
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        return if digits.is_empty() {
            "text".into()
        } else {
            format!("text({digits})")
        };
    }
    if t.starts_with("blob") {
        return "blob".into();
    }
    if starts(&["real", "double", "float"]) {
        return "real".into();
    }
    "numeric".into()
}

/// A primary key has no name in MySQL (it is PRIMARY) nor in SQLite: the schema's name for the
/// same columns.
fn rename_primary_keys(table: &mut pg::Table, want: &pg::Table) {
    let live_pks: Vec<String> = table.composite_primary_keys.keys().cloned().collect();
    for k in live_pks {
        let columns = table.composite_primary_keys[&k].columns.clone();
        if let Some(w) = want
            .composite_primary_keys
            .values()
            .find(|p| p.columns == columns)
            && w.name != k
        {
            table.composite_primary_keys.shift_remove(&k);
            table
                .composite_primary_keys
                .insert(w.name.clone(), w.clone());
        }
    }
}

/// Entities in `desired`'s order (the order of the schema's declarations; a database lists
/// them by name), those only in `live` after them. Columns keep the database's order.
fn order_like(live: &mut PgSnapshot, desired: &PgSnapshot) {
    reorder(&mut live.tables, &desired.tables);
    reorder(&mut live.views, &desired.views);
    for (key, table) in live.tables.iter_mut() {
        let Some(want) = desired.tables.get(key) else {
            continue;
        };
        reorder(&mut table.indexes, &want.indexes);
        reorder(&mut table.foreign_keys, &want.foreign_keys);
        reorder(
            &mut table.composite_primary_keys,
            &want.composite_primary_keys,
        );
        reorder(&mut table.unique_constraints, &want.unique_constraints);
        reorder(&mut table.check_constraints, &want.check_constraints);
    }
}

fn reorder<T, U>(live: &mut Map<T>, desired: &Map<U>) {
    let rank = |k: &String| desired.get_index_of(k).unwrap_or(usize::MAX);
    live.sort_by(|a, _, b, _| rank(a).cmp(&rank(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_types_under_two_names() {
        assert_eq!(mysql_type_key("real(8, 3)"), mysql_type_key("double(8,3)"));
        assert_eq!(mysql_type_key("decimal(8)"), mysql_type_key("decimal(8,0)"));
        assert_eq!(mysql_type_key("decimal"), mysql_type_key("decimal(10,0)"));
        assert_eq!(mysql_type_key("binary"), mysql_type_key("binary(1)"));
        assert_ne!(mysql_type_key("decimal(8,2)"), mysql_type_key("decimal(8)"));
        assert_ne!(mysql_type_key("varchar(10)"), mysql_type_key("varchar(20)"));
    }

    #[test]
    fn mysql_defaults_with_one_value() {
        use pg::Default as D;
        let same = |a: Option<D>, b: Option<D>| same_mysql_default(a.as_ref(), b.as_ref());
        let sql = |s: &str| Some(D::Sql(s.into()));
        assert!(same(
            Some(D::Number("0.00".into())),
            Some(D::Number("0".into()))
        ));
        assert!(same(sql("'0.50'"), Some(D::Number("0.5".into()))));
        assert!(same(Some(D::Bool(true)), Some(D::Number("1".into()))));
        assert!(same(None, sql("null")));
        assert!(same(sql("(now())"), sql("CURRENT_TIMESTAMP")));
        assert!(same(sql("(current_timestamp(3))"), sql("(now())")));
        assert!(!same(sql("'a'"), sql("'A'")));
        assert!(!same(sql("'1'"), Some(D::Number("2".into()))));
        assert!(!same(None, sql("'x'")));
    }

    #[test]
    fn sqlite_types_by_affinity() {
        assert_eq!(sqlite_type("INTEGER"), "integer");
        assert_eq!(sqlite_type("varchar(20)"), "text(20)");
        assert_eq!(sqlite_type("TEXT"), "text");
        assert_eq!(sqlite_type("double precision"), "real");
        assert_eq!(sqlite_type("blob"), "blob");
        assert_eq!(sqlite_type("decimal(10,2)"), "numeric");
    }
}
