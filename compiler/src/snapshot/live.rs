//! A model read from a live database, made comparable with the model of a schema.
//!
//! A database keeps some definitions in its own words: PostgreSQL prints a check as
//! `CHECK ((age > 0))` where the schema wrote `"users"."age" > 0`, and an index expression, a
//! partial index's `WHERE`, a generated column's expression, a policy's `USING` and a view's query
//! come back rewritten the same way. Where an entity of the same name is in both models, [`align`]
//! takes these texts from the schema's model, so that `push` sees no change in them (drizzle-kit's
//! push ignores them the same way). A changed check or index expression is therefore not pushed;
//! `build` sees it.
//!
//! Other values come back in another spelling of the same thing (a type, a default's casts, a
//! name cut to 63 bytes) or are implied where the schema's model leaves them out (the NOT NULL
//! of primary key columns, RLS for policies); these are taken from the schema's model only when
//! they mean the same. The rules are listed in spec/introspection.md.

use super::pg::{self, Map, PgSnapshot};
use crate::schema::Dialect;

/// Copies into `live` the texts a database rewrites and the spellings that mean the same, from
/// the entities of the same name in `desired`.
pub fn align(live: &mut PgSnapshot, desired: &PgSnapshot) {
    for (key, table) in live.tables.iter_mut() {
        let Some(want) = desired.tables.get(key) else {
            continue;
        };
        untruncate_names(table, want);
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
                    if wc.is_expression && (c.is_expression || ordered_column(wc, c)) {
                        *c = wc.clone();
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
            align_column(column, w);
            // A primary key makes its columns NOT NULL; the schema's model says so only for a
            // column's own `.primaryKey()`.
            if column.not_null
                && !w.not_null
                && table
                    .composite_primary_keys
                    .values()
                    .any(|pk| pk.columns.iter().any(|c| c == name))
            {
                column.not_null = false;
            }
        }
        // A table with policies has row-level security on (the migration enables it); the
        // schema's model keeps the flag only for `.enableRLS()`.
        if table.is_rls_enabled && !want.is_rls_enabled && !want.policies.is_empty() {
            table.is_rls_enabled = false;
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
        let Some(w) = desired.views.get(key) else {
            continue;
        };
        if view.definition.is_some() && w.definition.is_some() {
            view.definition.clone_from(&w.definition);
        }
        // The schema's model gives a view the selected table columns with their keys, NOT NULL
        // and defaults (and no computed columns), which a view does not have; a view's columns
        // follow from its query, whose text is the schema's too.
        view.columns.clone_from(&w.columns);
        // How a materialized view was created, not a property it keeps (a refresh fills it).
        view.with_no_data = w.with_no_data;
    }
    match super::dialect_of(&desired.dialect) {
        Some(Dialect::Mysql) => mysql(live, desired),
        Some(Dialect::Sqlite) => sqlite(live, desired),
        _ => return,
    }
    order_like(live, desired);
}

/// drizzle's `desc(t.c)` in an index is the expression `"c" desc`: the database keeps it as the
/// column `c`, descending. Whether `want` is such an expression for the live column `c`.
fn ordered_column(want: &super::pg::IndexColumn, c: &super::pg::IndexColumn) -> bool {
    let e = want.expression.trim();
    let Some(q) = e.chars().next().filter(|q| matches!(q, '"' | '`')) else {
        return false;
    };
    let Some(end) = e[1..].find(q).map(|i| i + 1) else {
        return false;
    };
    if e[1..end] != c.expression {
        return false;
    }
    let rest = e[end + 1..].trim().to_ascii_lowercase();
    let words: Vec<&str> = rest.split_whitespace().collect();
    let (asc, nulls) = match words.as_slice() {
        [] | ["asc"] => (true, None),
        ["desc"] => (false, None),
        ["asc", "nulls", n] => (true, Some(*n)),
        ["desc", "nulls", n] => (false, Some(*n)),
        ["nulls", n] => (true, Some(*n)),
        _ => return false,
    };
    asc == c.asc && nulls.is_none_or(|n| n == c.nulls)
}

/// PostgreSQL cuts names to 63 bytes: a constraint or index whose name is the cut name of one
/// in the schema takes the schema's name.
fn untruncate_names(table: &mut super::pg::Table, want: &super::pg::Table) {
    fn rename<T>(
        live: &mut super::pg::Map<T>,
        want: &super::pg::Map<T>,
        set: impl Fn(&mut T, &str),
    ) {
        let long: Vec<&String> = want.keys().filter(|k| k.len() > MAX_NAME).collect();
        if long.is_empty() {
            return;
        }
        let renames: Vec<(String, String)> = live
            .keys()
            .filter(|k| !want.contains_key(*k))
            .filter_map(|k| {
                long.iter()
                    .find(|w| truncated(w) == k.as_str() && !live.contains_key(w.as_str()))
                    .map(|w| (k.clone(), w.to_string()))
            })
            .collect();
        for (from, to) in renames {
            if let Some(i) = live.get_index_of(&from) {
                let (_, mut v) = live
                    .shift_remove_index(i)
                    .expect("the index was just found");
                set(&mut v, &to);
                live.shift_insert(i, to, v);
            }
        }
    }
    rename(&mut table.foreign_keys, &want.foreign_keys, |v, n| {
        v.name = n.into()
    });
    rename(&mut table.indexes, &want.indexes, |v, n| v.name = n.into());
    rename(
        &mut table.unique_constraints,
        &want.unique_constraints,
        |v, n| v.name = n.into(),
    );
    rename(
        &mut table.composite_primary_keys,
        &want.composite_primary_keys,
        |v, n| v.name = n.into(),
    );
    rename(
        &mut table.check_constraints,
        &want.check_constraints,
        |v, n| v.name = n.into(),
    );
}

/// PostgreSQL's longest name in bytes (`NAMEDATALEN - 1`).
const MAX_NAME: usize = 63;

/// A name as PostgreSQL keeps it: its first 63 bytes, not cutting a character.
fn truncated(name: &str) -> &str {
    let mut end = name.len().min(MAX_NAME);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// A column's type and default in the schema's words where they name what the database has.
fn align_column(column: &mut super::pg::Column, want: &super::pg::Column) {
    // `timestamp(3)` (string mode) and `timestamp (3)` (date mode) are one type, as are
    // `numeric(10)` and `numeric(10, 0)`, and `char` and `char(1)`.
    if column.sql_type != want.sql_type && same_type(&column.sql_type, &want.sql_type) {
        column.sql_type.clone_from(&want.sql_type);
    }
    // A default the database keeps in its own words: with the casts it adds (`'{}'::text[]`,
    // `'utc'::text`), its keyword case, spacing and parentheses. Where only those differ, the
    // schema's text; any other change stays a change.
    if let (Some(super::pg::Default::Sql(live)), Some(super::pg::Default::Sql(w))) =
        (&column.default, &want.default)
        && live != w
        && sql_shape(live) == sql_shape(w)
    {
        column.default.clone_from(&want.default);
    }
    // jsonb keeps an object's keys in its own order (shorter keys first).
    if let (Some(super::pg::Default::Sql(live)), Some(super::pg::Default::Sql(w))) =
        (&column.default, &want.default)
        && live != w
        && let (Some(a), Some(b)) = (jsonb_literal(live), jsonb_literal(w))
        && a == b
    {
        column.default.clone_from(&want.default);
    }
    // A number written as a JSON number (numeric's number mode) reads as the quoted numeric.
    if let (Some(super::pg::Default::Sql(live)), Some(super::pg::Default::Number(n))) =
        (&column.default, &want.default)
        && let Some(text) = live.strip_prefix('\'').and_then(|t| t.strip_suffix('\''))
        && let (Ok(a), Ok(b)) = (text.parse::<f64>(), n.parse::<f64>())
        && a == b
    {
        column.default.clone_from(&want.default);
    }
    // A number written as `sql` (`sql\`0\``, `sql\`'0'::bigint\``): the database gives back the
    // number itself, which introspection reads as a number.
    if let (Some(super::pg::Default::Number(n)), Some(super::pg::Default::Sql(w))) =
        (&column.default, &want.default)
        && let shape = sql_shape(w)
        && let (Ok(a), Ok(b)) = (n.parse::<f64>(), shape.trim_matches('\'').parse::<f64>())
        && a == b
    {
        column.default.clone_from(&want.default);
    }
    // A `Date` default: drizzle writes milliseconds (and `Z` with a zone), PostgreSQL prints
    // the same instant its way (`'2024-01-01 00:00:00+00'`).
    if let (Some(super::pg::Default::Sql(live)), Some(super::pg::Default::Sql(w))) =
        (&column.default, &want.default)
        && live != w
        && let (Some(a), Some(b)) = (instant(live), instant(w))
        && a == b
    {
        column.default.clone_from(&want.default);
    }
    // A value default (`point`, `line`, `vector`): the database keeps drizzle-orm's literal.
    if let (Some(super::pg::Default::Sql(live)), Some(super::pg::Default::Value(v))) =
        (&column.default, &want.default)
        && let Some(literal) = crate::schema::value_literal(v, &want.sql_type)
        && sql_shape(live) == sql_shape(&literal)
    {
        column.default.clone_from(&want.default);
    }
    // `DEFAULT null` is no default: PostgreSQL keeps none.
    if column.default.is_none()
        && match &want.default {
            Some(super::pg::Default::Null) => true,
            Some(super::pg::Default::Sql(w)) => w.eq_ignore_ascii_case("null"),
            _ => false,
        }
    {
        column.default.clone_from(&want.default);
    }
}

/// A quoted timestamp literal (`'YYYY-MM-DD[ T]HH:MM:SS[.fff][Z|±HH[:MM]]'`) as seconds and
/// whether it names a zone: seconds since 1970 in UTC with a zone, local ones without.
fn instant(sql: &str) -> Option<(i64, u32, bool)> {
    let t = sql.strip_prefix('\'')?.strip_suffix('\'')?;
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, rest) = (t.get(..10)?, t.get(10..)?);
    let mut d = date.split('-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let rest = rest.strip_prefix([' ', 'T'])?;
    let (h, mi, sec) = (
        num(rest.get(0..2)?)?,
        num(rest.get(3..5)?)?,
        num(rest.get(6..8)?)?,
    );
    let mut rest = rest.get(8..)?;
    // Milliseconds: `.5` and `.500` are the same.
    let mut millis = 0u32;
    if let Some(f) = rest.strip_prefix('.') {
        let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
        let digits = format!("{:0<3}", &f[..end]);
        millis = digits.get(..3)?.parse().ok()?;
        if digits[3..].bytes().any(|b| b != b'0') {
            return None;
        }
        rest = &f[end..];
    }
    let (zoned, offset) = match rest {
        "" => (false, 0),
        "Z" | "+00" | "+00:00" => (true, 0),
        z => {
            let sign = match z.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = match z[1..].split_once(':') {
                Some((a, b)) => (num(a)?, num(b)?),
                None => (num(&z[1..])?, 0),
            };
            (true, sign * (oh * 3600 + om * 60))
        }
    };
    // Days since 1970-01-01 of a proleptic Gregorian date.
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((
        days * 86_400 + h * 3600 + mi * 60 + sec - offset,
        millis,
        zoned,
    ))
}

/// The document of a `'…'::jsonb` default; object keys compare in any order.
fn jsonb_literal(sql: &str) -> Option<serde_json::Value> {
    let text = sql
        .strip_suffix("::jsonb")?
        .strip_prefix('\'')?
        .strip_suffix('\'')?;
    serde_json::from_str(&text.replace("''", "'")).ok()
}

/// SQL text without what PostgreSQL changes when it prints an expression back: casts
/// (`::type`), case outside quotes, white space and parentheses.
fn sql_shape(sql: &str) -> String {
    let c: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\'' | '"' => {
                let q = c[i];
                out.push(q);
                i += 1;
                while i < c.len() {
                    out.push(c[i]);
                    i += 1;
                    if c[i - 1] == q {
                        if c.get(i) == Some(&q) {
                            out.push(q);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            ':' if c.get(i + 1) == Some(&':') => {
                i += 2;
                skip_type(&c, &mut i);
            }
            ch if ch.is_whitespace() || ch == '(' || ch == ')' => i += 1,
            ch => {
                out.extend(ch.to_lowercase());
                i += 1;
            }
        }
    }
    out
}

/// Moves `i` past a type name after `::`: words of a type (`character varying`,
/// `timestamp with time zone`), a quoted or qualified name, a modifier and `[]`s.
fn skip_type(c: &[char], i: &mut usize) {
    const MORE: &[&str] = &["varying", "precision", "with", "without", "time", "zone"];
    let word = |i: &mut usize| {
        let start = *i;
        while *i < c.len() && (c[*i].is_alphanumeric() || c[*i] == '_' || c[*i] == '.') {
            *i += 1;
        }
        *i > start
    };
    while *i < c.len() && c[*i] == ' ' {
        *i += 1;
    }
    loop {
        if c.get(*i) == Some(&'"') {
            *i += 1;
            while *i < c.len() && c[*i] != '"' {
                *i += 1;
            }
            *i += 1;
        } else if !word(i) {
            return;
        }
        // A following word that continues the type name.
        let mut j = *i;
        while j < c.len() && c[j] == ' ' {
            j += 1;
        }
        let mut k = j;
        word(&mut k);
        let next: String = c[j..k].iter().collect::<String>().to_lowercase();
        if k > j && MORE.contains(&next.as_str()) {
            *i = j;
            continue;
        }
        if c.get(*i) == Some(&'.') {
            *i += 1;
            continue;
        }
        break;
    }
    if c.get(*i) == Some(&'(') {
        while *i < c.len() && c[*i] != ')' {
            *i += 1;
        }
        *i += 1;
    }
    while c.get(*i) == Some(&'[') {
        while *i < c.len() && c[*i] != ']' {
            *i += 1;
        }
        *i += 1;
    }
}

fn same_type(a: &str, b: &str) -> bool {
    let norm = |t: &str| {
        // PostgreSQL keeps an array's dimensions, not their sizes (`integer[3]` is `integer[]`).
        let mut inside = false;
        let t: String = t
            .replace(" (", "(")
            .chars()
            .filter(|&c| {
                inside = match c {
                    '[' => true,
                    ']' => false,
                    _ => inside,
                };
                !(inside && c.is_ascii_digit())
            })
            .collect();
        // `char` is `char(1)`.
        let t = match t.strip_prefix("char") {
            Some(rest) if rest.is_empty() || rest.starts_with('[') => format!("char(1){rest}"),
            _ => t,
        };
        match t
            .strip_prefix("numeric(")
            .and_then(|r| r.strip_suffix(", 0)"))
        {
            Some(p) if !p.contains(',') => format!("numeric({p})"),
            _ => t,
        }
    };
    norm(a) == norm(b)
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
        // A schema with a column primary key and a composite one (W5012) has both in its model,
        // as drizzle-kit's snapshot does, but the database has only the one the export created:
        // the schema's pair stands for it.
        if want.composite_primary_keys.len() > 1
            && table.composite_primary_keys.len() == 1
            && table
                .composite_primary_keys
                .keys()
                .all(|k| want.composite_primary_keys.contains_key(k))
        {
            table
                .composite_primary_keys
                .clone_from(&want.composite_primary_keys);
        }
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
            D::Null | D::Value(_) => None,
            D::Sql(s) => s
                .trim_matches(|c| c == '(' || c == ')')
                .trim_matches('\'')
                .parse()
                .ok(),
        }
    };
    match (live, want) {
        (None, None) | (None, Some(D::Null)) => true,
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
            // `INTEGER PRIMARY KEY` is the rowid: it never holds NULL, declared NOT NULL or not.
            if column.primary_key
                && w.primary_key
                && column.sql_type.eq_ignore_ascii_case("integer")
            {
                column.not_null = w.not_null;
            }
            // `DEFAULT NULL` is no default.
            if column.default.is_none()
                && match &w.default {
                    Some(pg::Default::Null) => true,
                    Some(pg::Default::Sql(d)) => {
                        d.trim_matches(['(', ')']).eq_ignore_ascii_case("null")
                    }
                    _ => false,
                }
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

#[cfg(test)]
mod pg_tests {
    use super::sql_shape;

    #[test]
    fn sql_shapes() {
        let same = |a: &str, b: &str| assert_eq!(sql_shape(a), sql_shape(b), "{a} / {b}");
        same("'{}'::text[]", "'{}'");
        same(
            "(now() AT TIME ZONE 'utc'::text)",
            "(now() at time zone 'utc')",
        );
        same("('x'::character varying)::text", "'x'");
        same("'2024-01-01'::timestamp without time zone", "'2024-01-01'");
        same("nextval('s'::regclass)", "nextval('s')");
        same("'a'::\"My Type\"", "'a'");
        let differ = |a: &str, b: &str| assert_ne!(sql_shape(a), sql_shape(b), "{a} / {b}");
        differ("'A'", "'a'");
        differ("now()", "clock_timestamp()");
        differ("(1 + 2)", "(1 - 2)");
        differ("'it''s'", "'its'");
    }

    #[test]
    fn instants() {
        use super::instant;
        assert_eq!(
            instant("'2024-01-01 00:00:00.000'"),
            instant("'2024-01-01 00:00:00'")
        );
        assert_eq!(
            instant("'2024-03-01T10:20:30.500Z'"),
            instant("'2024-03-01 12:20:30.5+02'")
        );
        assert_eq!(instant("'1970-01-01 00:00:01+00'"), Some((1, 0, true)));
        assert_ne!(
            instant("'2024-01-01 00:00:00'"),
            instant("'2024-01-01 00:00:00+00'")
        );
        assert_ne!(
            instant("'2024-01-01 00:00:00.001'"),
            instant("'2024-01-01 00:00:00'")
        );
        assert_eq!(instant("'2024-01-01'"), None);
        assert_eq!(instant("'not a date at all'"), None);
    }
}
