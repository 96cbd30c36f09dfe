//! SQLite introspection: `sqlite_master` with the `pragma_table_xinfo`,
//! `pragma_foreign_key_list` and `pragma_index_list`/`pragma_index_xinfo` table-valued functions
//! (and `pragma_table_list` for the shadow tables of virtual tables), six queries whatever the
//! number of tables.
//!
//! What the pragmas do not tell (a generated column's expression, `AUTOINCREMENT`, named checks,
//! an index's expressions and `WHERE`, a view's query) is read from the `CREATE` text SQLite
//! keeps, with a scanner that skips strings, quoted names and comments and balances
//! parentheses. The model is the one `from_schema` makes of a SQLite schema: types in lower
//! case as declared, a one-column primary key on its column, longer ones named
//! `<table>_<columns>_pk`, foreign keys named drizzle-kit's way
//! (`<table>_<columns>_<target>_<columns>_fk`: SQLite keeps no names), unique constraints as
//! unique indexes (an inline `UNIQUE` named `<table>_<columns>_unique`).

use schemac_compiler::snapshot::PgSnapshot;
use schemac_compiler::snapshot::pg::{self, Map};
use schemac_compiler::snapshot::{file, live};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnection, SqliteRow};

use super::{Error, Filters, reading};

/// Names drizzle-kit never reads: its migrations table, SQLite's own tables and those of
/// Cloudflare D1, Litestream and libSQL.
fn ignored(name: &str) -> bool {
    name == "__drizzle_migrations"
        || ["sqlite_", "_cf_", "_litestream_", "libsql_"]
            .iter()
            .any(|p| name.starts_with(p))
}

pub async fn introspect(
    conn: &mut SqliteConnection,
    filters: &Filters,
) -> Result<PgSnapshot, Error> {
    let objects = fetch(
        conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid",
        "sqlite_master",
    )
    .await?;
    // Virtual tables are left out: their columns are their module's, and a pragma on one whose
    // module is missing fails.
    let mut columns = fetch(
        conn,
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
         FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
         WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' \
         ORDER BY m.name, p.cid",
        "columns",
    )
    .await?;
    // A view over a table that no longer exists fails the pragma: its columns are then not
    // read (the views themselves are).
    if let Ok(view_columns) = fetch(
        conn,
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
         FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
         WHERE m.type = 'view' ORDER BY m.name, p.cid",
        "view columns",
    )
    .await
    {
        columns.extend(view_columns);
    }
    // The tables a virtual table's module keeps its data in (`shadow`, SQLite 3.37 and later)
    // are the module's, not the schema's.
    let shadow: Vec<String> = fetch(
        conn,
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
        "table kinds",
    )
    .await
    .map(|rows| rows.iter().filter_map(|r| text(r, 0)).collect())
    .unwrap_or_default();
    let foreign_keys = fetch(
        conn,
        "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
         WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' \
         ORDER BY m.name, f.id, f.seq",
        "foreign keys",
    )
    .await?;
    let indexes = fetch(
        conn,
        "SELECT m.name, l.name, l.\"unique\", l.origin, i.cid, i.name, i.\"desc\" \
         FROM sqlite_master m JOIN pragma_index_list(m.name) l \
         JOIN pragma_index_xinfo(l.name) i \
         WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND i.key = 1 \
         ORDER BY m.name, l.seq DESC, i.seqno",
        "indexes",
    )
    .await?;

    let keep = |name: &str| {
        !ignored(name) && !shadow.iter().any(|s| s == name) && filters.tables.keeps(name)
    };
    // The CREATE texts of indexes by name, and the scanned shapes of tables by name, read once.
    let index_sql: Map<String> = objects
        .iter()
        .filter(|r| text(r, 0).as_deref() == Some("index"))
        .filter_map(|r| Some((text(r, 1)?, text(r, 3)?)))
        .collect();
    let mut shapes: Map<TableShape> = Map::default();

    let mut tables: Map<pg::Table> = Map::default();
    let mut views: Map<pg::View> = Map::default();
    for r in &objects {
        let (Some(kind), Some(name)) = (text(r, 0), text(r, 1)) else {
            continue;
        };
        let sql = text(r, 3).unwrap_or_default();
        if !keep(&name) {
            continue;
        }
        match kind.as_str() {
            "table" if !starts_with_words(&sql, &["CREATE", "VIRTUAL"]) => {
                let mut shape = table_shape(&sql);
                let mut checks = Map::default();
                let mut unnamed = 0;
                for (n, value) in std::mem::take(&mut shape.checks) {
                    let n = n.unwrap_or_else(|| {
                        unnamed += 1;
                        format!("{name}_check_{unnamed}")
                    });
                    checks.insert(n.clone(), pg::Check { name: n, value });
                }
                shapes.insert(name.clone(), shape);
                tables.insert(
                    file::model_key(&name),
                    file::model_table(
                        name,
                        Map::default(),
                        Map::default(),
                        Map::default(),
                        Map::default(),
                        Map::default(),
                        checks,
                    ),
                );
            }
            "view" => {
                let view = file::model_view(
                    name.clone(),
                    Map::default(),
                    view_definition(&sql),
                    false,
                    None,
                );
                views.insert(file::model_key(&name), view);
            }
            _ => {}
        }
    }

    // Columns, with the primary key positions SQLite reports.
    let mut pk_positions: Map<Vec<(i64, String)>> = Map::default();
    for r in &columns {
        let (Some(owner), Some(name)) = (text(r, 0), text(r, 1)) else {
            continue;
        };
        let key = file::model_key(&owner);
        let hidden: i64 = r.try_get(6).unwrap_or(0);
        // 1: a virtual table's hidden column, not part of the schema.
        if hidden == 1 {
            continue;
        }
        let def = shapes
            .get(&owner)
            .and_then(|s| s.columns.iter().find(|c| c.name == name));
        let generated = def
            .and_then(|d| d.generated.clone())
            .filter(|_| hidden == 2 || hidden == 3)
            .map(|expression| pg::Generated {
                expression,
                kind: if hidden == 3 { "stored" } else { "virtual" }.into(),
            });
        let column = pg::Column {
            name: name.clone(),
            sql_type: live::sqlite_type(&text(r, 2).unwrap_or_default()),
            type_schema: None,
            primary_key: false,
            not_null: r.try_get::<i64, _>(3).unwrap_or(0) != 0,
            generated,
            identity: None,
            default: text(r, 4).and_then(|d| default_value(&d)),
            autoincrement: Some(def.is_some_and(|d| d.autoincrement)),
            on_update: None,
        };
        let pk: i64 = r.try_get(5).unwrap_or(0);
        if let Some(t) = tables.get_mut(&key) {
            if pk > 0 {
                pk_positions
                    .entry(key.clone())
                    .or_default()
                    .push((pk, name.clone()));
            }
            t.columns.insert(name, column);
        } else if let Some(v) = views.get_mut(&key) {
            v.columns.insert(name, column);
        }
    }
    // A one-column primary key is the column's; longer ones are entries, as from_schema has them.
    for (key, mut positions) in pk_positions {
        let Some(t) = tables.get_mut(&key) else {
            continue;
        };
        positions.sort();
        let columns: Vec<String> = positions.into_iter().map(|(_, c)| c).collect();
        if let [only] = columns.as_slice() {
            if let Some(c) = t.columns.get_mut(only) {
                c.primary_key = true;
            }
        } else {
            let name = format!("{}_{}_pk", t.name, columns.join("_"));
            t.composite_primary_keys
                .insert(name.clone(), pg::PrimaryKey { name, columns });
        }
    }

    // Foreign keys, grouped by SQLite's id; named as drizzle-kit names them.
    let mut grouped: Map<pg::ForeignKey> = Map::default();
    for r in &foreign_keys {
        let (Some(table), Some(target), Some(from)) = (text(r, 0), text(r, 2), text(r, 3)) else {
            continue;
        };
        if !tables.contains_key(&file::model_key(&table)) {
            continue;
        }
        let id: i64 = r.try_get(1).unwrap_or(0);
        let fk = grouped
            .entry(format!("{table}\u{0}{id}"))
            .or_insert_with(|| pg::ForeignKey {
                name: String::new(),
                table_from: table.clone(),
                table_to: target.clone(),
                schema_to: None,
                columns_from: Vec::new(),
                columns_to: Vec::new(),
                on_delete: text(r, 6).map(|a| a.to_ascii_lowercase()),
                on_update: text(r, 5).map(|a| a.to_ascii_lowercase()),
            });
        fk.columns_from.push(from);
        // No column named: the target's primary key.
        if let Some(to) = text(r, 4) {
            fk.columns_to.push(to);
        }
    }
    for mut fk in grouped.into_values() {
        if fk.columns_to.is_empty()
            && let Some(target) = tables.get(&file::model_key(&fk.table_to))
        {
            fk.columns_to = primary_key_of(target);
        }
        fk.name = format!(
            "{}_{}_{}_{}_fk",
            fk.table_from,
            fk.columns_from.join("_"),
            fk.table_to,
            fk.columns_to.join("_")
        );
        if let Some(t) = tables.get_mut(&file::model_key(&fk.table_from)) {
            t.foreign_keys.insert(fk.name.clone(), fk);
        }
    }

    // Indexes: those made by CREATE INDEX (origin `c`) and inline UNIQUE constraints (`u`);
    // the primary key's own index (`pk`) is the primary key.
    for r in &indexes {
        let (Some(table), Some(name), Some(origin)) = (text(r, 0), text(r, 1), text(r, 3)) else {
            continue;
        };
        if origin == "pk" {
            continue;
        }
        let Some(t) = tables.get_mut(&file::model_key(&table)) else {
            continue;
        };
        let unique = r.try_get::<i64, _>(2).unwrap_or(0) != 0;
        let entry = t
            .indexes
            .entry(name.clone())
            .or_insert_with(|| file::model_index(name.clone(), Vec::new(), unique, None));
        let position = entry.columns.len();
        let asc = r.try_get::<i64, _>(6).unwrap_or(0) == 0;
        let key = match text(r, 5) {
            Some(column) => pg::IndexColumn {
                expression: column,
                is_expression: false,
                asc,
                nulls: "last".into(),
                opclass: None,
            },
            // An expression (cid -2): its text is in the CREATE INDEX statement.
            None => pg::IndexColumn {
                expression: index_sql
                    .get(&name)
                    .and_then(|sql| index_shape(sql).keys.get(position).cloned())
                    .unwrap_or_default(),
                is_expression: true,
                asc: true,
                nulls: "last".into(),
                opclass: None,
            },
        };
        entry.columns.push(key);
    }
    for t in tables.values_mut() {
        let automatic: Vec<String> = t
            .indexes
            .keys()
            .filter(|k| k.starts_with("sqlite_autoindex_"))
            .cloned()
            .collect();
        for k in automatic {
            if let Some(mut index) = t.indexes.shift_remove(&k) {
                let columns: Vec<&str> = index
                    .columns
                    .iter()
                    .map(|c| c.expression.as_str())
                    .collect();
                let named = shapes.get(&t.name).and_then(|s| {
                    s.uniques
                        .iter()
                        .find(|(_, c)| c.iter().map(String::as_str).eq(columns.iter().copied()))
                });
                index.name = match named {
                    Some((name, _)) => name.clone(),
                    None => format!("{}_{}_unique", t.name, columns.join("_")),
                };
                t.indexes.insert(index.name.clone(), index);
            }
        }
        for index in t.indexes.values_mut() {
            if let Some(sql) = index_sql.get(&index.name) {
                index.where_clause = index_shape(sql).where_clause;
            }
        }
    }

    Ok(file::model_snapshot(
        [
            schemac_compiler::snapshot::sqlite::VERSION.into(),
            "sqlite".into(),
            String::new(),
            String::new(),
        ],
        tables,
        views,
        pg::Meta::default(),
    ))
}

async fn fetch(
    conn: &mut SqliteConnection,
    query: &'static str,
    what: &'static str,
) -> Result<Vec<SqliteRow>, Error> {
    sqlx::query(query)
        .fetch_all(&mut *conn)
        .await
        .map_err(reading(what))
}

fn text(row: &SqliteRow, i: usize) -> Option<String> {
    row.try_get::<Option<String>, _>(i).ok().flatten()
}

fn primary_key_of(t: &pg::Table) -> Vec<String> {
    match t.composite_primary_keys.values().next() {
        Some(pk) => pk.columns.clone(),
        None => t
            .columns
            .values()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect(),
    }
}

/// A `dflt_value` as from_schema writes SQLite defaults: numbers and booleans bare, string
/// literals as they are, any other expression parenthesized.
fn default_value(raw: &str) -> Option<pg::Default> {
    let t = raw.trim();
    // `DEFAULT NULL` is no default.
    if t.eq_ignore_ascii_case("null") {
        return None;
    }
    Some(default_expression(t))
}

fn default_expression(t: &str) -> pg::Default {
    if is_number(t) {
        // `1e3`, `1.50`: as JavaScript writes the number (`.default(1e3)` is `1000` in the
        // schema's SQL); integers stay as written (a bigint would lose digits).
        let as_js = t
            .contains(['.', 'e', 'E'])
            .then(|| t.parse::<f64>().ok())
            .flatten()
            .filter(|n| n.is_finite())
            .map(schemac_compiler::eval::value::number_to_string);
        return pg::Default::Number(as_js.unwrap_or_else(|| t.to_string()));
    }
    // SQLite reads a double-quoted default as a string (a legacy of its parser): written as
    // one, since `DEFAULT ("dq")` is refused as not constant.
    if let Some(inner) = t.strip_prefix('"').and_then(|r| r.strip_suffix('"'))
        && t.len() > 1
    {
        let text = inner.replace("\"\"", "\"");
        return pg::Default::Sql(format!("'{}'", text.replace('\'', "''")));
    }
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return pg::Default::Bool(t.eq_ignore_ascii_case("true"));
    }
    let literal = (t.starts_with('\'') && t.ends_with('\'') && t.len() > 1)
        || (t.starts_with('(') && t.ends_with(')') && balanced_group(t));
    pg::Default::Sql(if literal {
        t.to_string()
    } else {
        format!("({t})")
    })
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix('-').unwrap_or(e))),
        None => (s, None),
    };
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().filter(|&b| b == b'.').count() <= 1
        && mantissa.bytes().any(|b| b.is_ascii_digit())
        && exponent.is_none_or(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `s` is one parenthesized group (its first parenthesis closes at its end).
fn balanced_group(s: &str) -> bool {
    let toks = tokens(s);
    matches!(toks.first(), Some(t) if t.kind == Kind::Open)
        && closing(&toks, 0) == Some(toks.len() - 1)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A keyword or a name, quoted or not.
    Word,
    /// A string literal.
    Str,
    Open,
    Close,
    Comma,
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// The name without its quotes, for words.
    word: String,
    start: usize,
    end: usize,
}

/// The tokens of SQL text, without spaces and comments: enough of SQLite's lexer to find
/// parentheses, commas and words outside strings and quoted names.
fn tokens(sql: &str) -> Vec<Token> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let (kind, word) = match c {
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(b.len());
                continue;
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                let mut inner = Vec::new();
                while i < b.len() {
                    if b[i] == close {
                        // A doubled quote is the quote itself (not inside brackets).
                        if close != b']' && b.get(i + 1) == Some(&close) {
                            inner.push(close);
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    inner.push(b[i]);
                    i += 1;
                }
                i = (i + 1).min(b.len());
                let word = String::from_utf8_lossy(&inner).into_owned();
                if c == b'\'' {
                    (Kind::Str, word)
                } else {
                    (Kind::Word, word)
                }
            }
            b'(' => {
                i += 1;
                (Kind::Open, String::new())
            }
            b')' => {
                i += 1;
                (Kind::Close, String::new())
            }
            b',' => {
                i += 1;
                (Kind::Comma, String::new())
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 => {
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                (Kind::Word, sql[start..i].to_string())
            }
            _ => {
                i += 1;
                (Kind::Other, String::new())
            }
        };
        out.push(Token {
            kind,
            word,
            start,
            end: i,
        });
    }
    out
}

/// The index of the `)` closing the `(` at `open`.
fn closing(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The items between the parentheses at `open` and `close`, split at their commas.
fn items(toks: &[Token], open: usize, close: usize) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut from = open + 1;
    for i in open + 1..close {
        match toks[i].kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Comma if depth == 0 => {
                out.push(&toks[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    if from < close {
        out.push(&toks[from..close]);
    }
    out
}

fn is_word(t: &Token, w: &str) -> bool {
    t.kind == Kind::Word && t.word.eq_ignore_ascii_case(w)
}

fn starts_with_words(sql: &str, words: &[&str]) -> bool {
    let toks = tokens(sql);
    toks.len() >= words.len() && toks.iter().zip(words).all(|(t, w)| is_word(t, w))
}

/// What a CREATE TABLE text tells beyond the pragmas.
#[derive(Debug, Default)]
struct TableShape {
    columns: Vec<ColumnShape>,
    /// `(name, expression)`; unnamed checks have no name.
    checks: Vec<(Option<String>, String)>,
    /// Named UNIQUE constraints, `(name, columns)` (SQLite's index for one is
    /// `sqlite_autoindex_*`).
    uniques: Vec<(String, Vec<String>)>,
}

#[derive(Debug)]
struct ColumnShape {
    name: String,
    /// `(expression)` of `AS (expression)`, parenthesized as from_schema writes it.
    generated: Option<String>,
    autoincrement: bool,
}

fn table_shape(sql: &str) -> TableShape {
    let toks = tokens(sql);
    let mut shape = TableShape::default();
    let Some(open) = toks.iter().position(|t| t.kind == Kind::Open) else {
        return shape;
    };
    // `CREATE TABLE t AS SELECT ...` has no definitions.
    if toks[..open].iter().any(|t| is_word(t, "AS")) {
        return shape;
    }
    let Some(close) = closing(&toks, open) else {
        return shape;
    };
    for item in items(&toks, open, close) {
        let Some(first) = item.first() else { continue };
        let constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|k| is_word(first, k) && !quoted(sql, first));
        // Checks, of the table or of a column.
        let mut i = 0;
        while i < item.len() {
            if is_word(&item[i], "CHECK") && item.get(i + 1).is_some_and(|t| t.kind == Kind::Open) {
                let name = (i >= 2 && is_word(&item[i - 2], "CONSTRAINT"))
                    .then(|| item[i - 1].word.clone());
                if let Some(end) = closing(item, i + 1) {
                    let value = sql[item[i + 1].end..item[end].start].trim().to_string();
                    shape.checks.push((name, value));
                    i = end;
                }
            }
            i += 1;
        }
        // Named unique constraints, of the table (`CONSTRAINT u UNIQUE (a, b)`) or of a column.
        for i in 2..item.len() {
            if !(is_word(&item[i], "UNIQUE") && is_word(&item[i - 2], "CONSTRAINT")) {
                continue;
            }
            let columns = match item.get(i + 1) {
                Some(t) if t.kind == Kind::Open => closing(item, i + 1)
                    .map(|end| {
                        items(item, i + 1, end)
                            .into_iter()
                            .filter_map(|key| key.first().map(|t| t.word.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                _ if !constraint && first.kind == Kind::Word => vec![first.word.clone()],
                _ => Vec::new(),
            };
            shape.uniques.push((item[i - 1].word.clone(), columns));
        }
        if constraint || first.kind != Kind::Word {
            continue;
        }
        let mut column = ColumnShape {
            name: first.word.clone(),
            generated: None,
            autoincrement: item.iter().any(|t| is_word(t, "AUTOINCREMENT")),
        };
        if let Some(a) = item.iter().position(|t| is_word(t, "AS"))
            && item.get(a + 1).is_some_and(|t| t.kind == Kind::Open)
            && let Some(end) = closing(item, a + 1)
        {
            column.generated = Some(sql[item[a + 1].start..item[end].end].to_string());
        }
        shape.columns.push(column);
    }
    shape
}

/// Whether a word token was written quoted (a column named `check` is a column).
fn quoted(sql: &str, t: &Token) -> bool {
    matches!(
        sql.as_bytes().get(t.start),
        Some(b'"' | b'`' | b'[' | b'\'')
    )
}

/// What a CREATE INDEX text tells beyond the pragmas: the text of each key, the `WHERE`.
#[derive(Debug, Default)]
struct IndexShape {
    keys: Vec<String>,
    where_clause: Option<String>,
}

fn index_shape(sql: &str) -> IndexShape {
    let toks = tokens(sql);
    let mut shape = IndexShape::default();
    let Some(on) = toks.iter().position(|t| is_word(t, "ON")) else {
        return shape;
    };
    let Some(open) = toks
        .iter()
        .skip(on)
        .position(|t| t.kind == Kind::Open)
        .map(|p| p + on)
    else {
        return shape;
    };
    let Some(close) = closing(&toks, open) else {
        return shape;
    };
    shape.keys = items(&toks, open, close)
        .into_iter()
        .filter_map(|item| Some(sql[item.first()?.start..item.last()?.end].to_string()))
        .collect();
    if let Some(w) = toks.get(close + 1).filter(|t| is_word(t, "WHERE"))
        && let Some(next) = toks.get(close + 2)
    {
        let _ = w;
        shape.where_clause = Some(
            sql[next.start..]
                .trim()
                .trim_end_matches(';')
                .trim()
                .to_string(),
        );
    }
    shape
}

/// The query of a CREATE VIEW text: what follows its first `AS`.
fn view_definition(sql: &str) -> Option<String> {
    let toks = tokens(sql);
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ if depth == 0 && is_word(t, "AS") => {
                let next = toks.get(i + 1)?;
                return Some(
                    sql[next.start..]
                        .trim()
                        .trim_end_matches(';')
                        .trim()
                        .to_string(),
                );
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_balance_parentheses_and_skip_strings() {
        let shape = table_shape(
            "CREATE TABLE \"t\" (\n\t`a` text CONSTRAINT \"inline\" CHECK (a <> ')'),\n\
             \t\"check\" integer, -- a comment with CHECK (\n\
             \tCONSTRAINT \"c1\" CHECK((length(a) > 1) AND a NOT LIKE '%(%'),\n\
             \tCHECK (\"check\" > 0)\n)",
        );
        assert_eq!(
            shape.checks,
            vec![
                (Some("inline".into()), "a <> ')'".into()),
                (
                    Some("c1".into()),
                    "(length(a) > 1) AND a NOT LIKE '%(%'".into()
                ),
                (None, "\"check\" > 0".into()),
            ]
        );
        let names: Vec<&str> = shape.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "check"]);
    }

    #[test]
    fn generated_columns_and_autoincrement() {
        let shape = table_shape(
            "CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT, b text GENERATED ALWAYS AS \
             (lower(\"x)\")) STORED, c AS (1 + (2)))",
        );
        assert!(shape.columns[0].autoincrement);
        assert_eq!(
            shape.columns[1].generated.as_deref(),
            Some("(lower(\"x)\"))")
        );
        assert_eq!(shape.columns[2].generated.as_deref(), Some("(1 + (2))"));
    }

    #[test]
    fn index_keys_and_where() {
        let shape = index_shape(
            "CREATE UNIQUE INDEX `i` ON `t` (`a`, lower(b), (c + 1)) WHERE \"t\".\"d\" = ')';",
        );
        assert_eq!(shape.keys, ["`a`", "lower(b)", "(c + 1)"]);
        assert_eq!(shape.where_clause.as_deref(), Some("\"t\".\"d\" = ')'"));
    }

    #[test]
    fn defaults() {
        let d = default_value;
        assert_eq!(d("0.5"), Some(pg::Default::Number("0.5".into())));
        assert_eq!(d("false"), Some(pg::Default::Bool(false)));
        assert_eq!(d("'a'"), Some(pg::Default::Sql("'a'".into())));
        assert_eq!(
            d("unixepoch()"),
            Some(pg::Default::Sql("(unixepoch())".into()))
        );
        assert_eq!(d("NULL"), None);
        // As the schema writes them: JavaScript's number, and a double-quoted string as a string.
        assert_eq!(d("1e3"), Some(pg::Default::Number("1000".into())));
        assert_eq!(d("1.50"), Some(pg::Default::Number("1.5".into())));
        assert_eq!(
            d("9223372036854775807"),
            Some(pg::Default::Number("9223372036854775807".into()))
        );
        assert_eq!(d("\"d'q\""), Some(pg::Default::Sql("'d''q'".into())));
        assert_eq!(
            view_definition("CREATE VIEW `v` AS select (1) as x"),
            Some("select (1) as x".into())
        );
    }
}
