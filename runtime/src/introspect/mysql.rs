//! MySQL and MariaDB introspection: the current database (`DATABASE()`) read from
//! `information_schema` with a fixed number of queries (columns, indexes, keys, checks, views, the
//! server's version and the database's name), whatever the number of tables.
//!
//! The model is the one `from_schema` makes of a MySQL schema: type strings without the display
//! widths MariaDB adds (`int(11)` is `int`), `boolean` for `tinyint(1)`, `serial` for the
//! `bigint unsigned` column with the unique key `SERIAL` makes (the key left out), `json` for
//! MariaDB's `longtext` with its `json_valid` check (the check left out), defaults in drizzle-kit's
//! words (`'text'`, `('text')` on `text` and `json` columns, numbers bare, `(now())` for
//! `current_timestamp()`), primary keys named `<table>_<columns>`, unique keys as unique
//! constraints. What the database cannot tell apart (`real` from `double`, `decimal(8)` from
//! `decimal(8,0)`, a key's name, an expression's spelling) is settled by `snapshot::live::align`.

use schemac_compiler::snapshot::PgSnapshot;
use schemac_compiler::snapshot::file;
use schemac_compiler::snapshot::pg::{self, Map};
use sqlx::Row;
use sqlx::mysql::{MySqlConnection, MySqlRow};

use super::{Error, Filters, reading};

/// The table drizzle's migrator keeps its journal in; never part of a schema.
const MIGRATIONS_TABLE: &str = "__drizzle_migrations";

pub async fn introspect(
    conn: &mut MySqlConnection,
    filters: &Filters,
) -> Result<PgSnapshot, Error> {
    let version = fetch(conn, "SELECT VERSION()", "the server version").await?;
    let mariadb = version
        .first()
        .and_then(|r| text(r, 0))
        .is_some_and(|v| v.to_ascii_lowercase().contains("mariadb"));
    let database = fetch(conn, "SELECT DATABASE()", "the database name").await?;
    let Some(database) = database.first().and_then(|r| text(r, 0)) else {
        return Err(Error {
            reading: "the database name",
            message: "no database is selected: name one in the URL (mysql://host/database)".into(),
        });
    };
    let keep = |table: &str| table != MIGRATIONS_TABLE && filters.tables.keeps(table);

    let views = fetch(
        conn,
        if mariadb {
            "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, ALGORITHM \
             FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"
        } else {
            // MySQL keeps no algorithm in information_schema (only `SHOW CREATE VIEW` has it).
            "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, NULL \
             FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"
        },
        "views",
    )
    .await?;
    let view_names: Vec<String> = views.iter().filter_map(|r| text(r, 0)).collect();
    let is_view = |t: &str| view_names.iter().any(|v| v == t);

    let columns = fetch(
        conn,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, \
         GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
        "columns",
    )
    .await?;
    let statistics = fetch(
        conn,
        "SELECT TABLE_NAME, INDEX_NAME, CAST(NON_UNIQUE AS CHAR), COLUMN_NAME, INDEX_TYPE \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        "indexes",
    )
    .await?;
    let keys = fetch(
        conn,
        "SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME, \
         k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE \
         FROM information_schema.TABLE_CONSTRAINTS tc \
         JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
           AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
         LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc \
           ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND rc.TABLE_NAME = tc.TABLE_NAME \
           AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
         WHERE tc.TABLE_SCHEMA = DATABASE() \
           AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'FOREIGN KEY') \
         ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        "primary and foreign keys",
    )
    .await?;
    let checks = fetch(
        conn,
        if mariadb {
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"
        } else {
            // MySQL's check names are unique in a schema; the table is in TABLE_CONSTRAINTS.
            "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE \
             FROM information_schema.CHECK_CONSTRAINTS cc \
             JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA \
               AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' \
             WHERE cc.CONSTRAINT_SCHEMA = DATABASE() ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
        },
        "check constraints",
    )
    .await?;

    // Checks first: a `json_valid` column check tells a `json` column from a `longtext` one.
    let mut table_checks: Map<Map<pg::Check>> = Map::default();
    for r in &checks {
        let (Some(table), Some(name), Some(clause)) = (text(r, 0), text(r, 1), text(r, 2)) else {
            continue;
        };
        table_checks.entry(table).or_default().insert(
            name.clone(),
            pg::Check {
                name,
                value: clause,
            },
        );
    }
    // Unique keys of one column, by table: `SERIAL`'s key and drizzle-kit's `serial` test.
    let unique_of = |table: &str, name: &str| -> Vec<String> {
        statistics
            .iter()
            .filter(|r| {
                text(r, 0).as_deref() == Some(table)
                    && text(r, 1).as_deref() == Some(name)
                    && text(r, 2).as_deref() == Some("0")
            })
            .filter_map(|r| text(r, 3))
            .collect()
    };

    let mut tables: Map<pg::Table> = Map::default();
    let mut view_columns: Map<Map<pg::Column>> = Map::default();
    // Keys (`SERIAL`'s unique keys, json checks) the columns explain, left out below.
    let mut implied_uniques: Vec<(String, String)> = Vec::new();
    for r in &columns {
        let (Some(table), Some(name), Some(raw_type)) = (text(r, 0), text(r, 1), text(r, 2)) else {
            continue;
        };
        if !keep(&table) {
            continue;
        }
        let not_null = text(r, 3).as_deref() == Some("NO");
        let extra = text(r, 5).unwrap_or_default().to_ascii_lowercase();
        let autoincrement = extra.contains("auto_increment");
        let mut sql_type = column_type(&raw_type);
        let json_check = table_checks
            .get(&table)
            .and_then(|c| c.get(&name))
            .is_some_and(|c| {
                c.value.replace('`', "").to_ascii_lowercase()
                    == format!("json_valid({})", name.to_ascii_lowercase())
            });
        if sql_type == "longtext" && json_check {
            sql_type = "json".into();
            if let Some(c) = table_checks.get_mut(&table) {
                c.shift_remove(&name);
            }
        }
        if sql_type == "bigint unsigned"
            && not_null
            && autoincrement
            && unique_of(&table, &name) == [name.clone()]
        {
            sql_type = "serial".into();
            implied_uniques.push((table.clone(), name.clone()));
        }
        let generated = text(r, 6).filter(|g| !g.is_empty()).map(|g| pg::Generated {
            expression: g,
            kind: if extra.contains("virtual") {
                "virtual"
            } else {
                "stored"
            }
            .into(),
        });
        let default = if generated.is_some() {
            None
        } else {
            text(r, 4).and_then(|d| default_value(&d, &sql_type, &extra, mariadb))
        };
        let column = pg::Column {
            name: name.clone(),
            sql_type,
            type_schema: None,
            primary_key: false,
            not_null,
            generated,
            identity: None,
            default,
            autoincrement: Some(autoincrement),
            on_update: extra
                .contains("on update current_timestamp")
                .then_some(true),
        };
        if is_view(&table) {
            view_columns.entry(table).or_default().insert(name, column);
            continue;
        }
        tables
            .entry(file::model_key(&table))
            .or_insert_with(|| {
                file::model_table(
                    table.clone(),
                    Map::default(),
                    Map::default(),
                    Map::default(),
                    Map::default(),
                    Map::default(),
                    Map::default(),
                )
            })
            .columns
            .insert(name, column);
    }

    for r in &keys {
        let (Some(table), Some(name), Some(kind), Some(column)) =
            (text(r, 0), text(r, 1), text(r, 2), text(r, 3))
        else {
            continue;
        };
        let Some(t) = tables.get_mut(&file::model_key(&table)) else {
            continue;
        };
        if kind == "PRIMARY KEY" {
            // MySQL's primary key is always named PRIMARY: the model's name is drizzle-kit's
            // `<table>_<columns>`, made once every column is in.
            let pk = t
                .composite_primary_keys
                .entry(String::new())
                .or_insert_with(|| pg::PrimaryKey {
                    name: String::new(),
                    columns: Vec::new(),
                });
            pk.columns.push(column);
            continue;
        }
        let fk = t
            .foreign_keys
            .entry(name.clone())
            .or_insert_with(|| pg::ForeignKey {
                name,
                table_from: table.clone(),
                table_to: text(r, 4).unwrap_or_default(),
                schema_to: None,
                columns_from: Vec::new(),
                columns_to: Vec::new(),
                on_delete: text(r, 7).map(|a| a.to_ascii_lowercase()),
                on_update: text(r, 6).map(|a| a.to_ascii_lowercase()),
            });
        fk.columns_from.push(column);
        fk.columns_to.push(text(r, 5).unwrap_or_default());
    }
    for t in tables.values_mut() {
        if let Some(mut pk) = t.composite_primary_keys.shift_remove("") {
            pk.name = format!("{}_{}", t.name, pk.columns.join("_"));
            for c in &pk.columns {
                if let Some(col) = t.columns.get_mut(c) {
                    col.not_null = true;
                }
            }
            t.composite_primary_keys.insert(pk.name.clone(), pk);
        }
    }

    for r in &statistics {
        let (Some(table), Some(name), Some(non_unique)) = (text(r, 0), text(r, 1), text(r, 2))
        else {
            continue;
        };
        let Some(t) = tables.get_mut(&file::model_key(&table)) else {
            continue;
        };
        let unique = non_unique == "0";
        if name == "PRIMARY" || implied_uniques.contains(&(table.clone(), name.clone())) {
            continue;
        }
        // The index MySQL makes for a foreign key's columns is named after the key.
        if !unique && t.foreign_keys.contains_key(&name) {
            continue;
        }
        // FULLTEXT and SPATIAL keys have no drizzle builder: left out, so pull does not write
        // what drizzle cannot read and push does not drop them.
        if text(r, 4).is_some_and(|m| {
            m.eq_ignore_ascii_case("fulltext") || m.eq_ignore_ascii_case("spatial")
        }) {
            continue;
        }
        // A key on an expression (MySQL 8) has no column name: its text is not read.
        let column = text(r, 3).unwrap_or_default();
        if unique {
            t.unique_constraints
                .entry(name.clone())
                .or_insert_with(|| pg::Unique {
                    name,
                    nulls_not_distinct: false,
                    columns: Vec::new(),
                })
                .columns
                .push(column);
        } else {
            let method = match text(r, 4).map(|m| m.to_ascii_lowercase()) {
                Some(m) if m != "btree" => Some(m),
                _ => None,
            };
            t.indexes
                .entry(name.clone())
                .or_insert_with(|| file::model_index(name, Vec::new(), false, method))
                .columns
                .push(pg::IndexColumn {
                    expression: column,
                    is_expression: false,
                    asc: true,
                    nulls: "last".into(),
                    opclass: None,
                });
        }
    }
    for (table, checks) in table_checks {
        if let Some(t) = tables.get_mut(&file::model_key(&table)) {
            t.check_constraints = checks;
        }
    }

    let mut model_views: Map<pg::View> = Map::default();
    for r in &views {
        let Some(name) = text(r, 0) else { continue };
        if !keep(&name) {
            continue;
        }
        let lower = |i: usize| text(r, i).map(|s| s.to_ascii_lowercase());
        let mut with: Map<serde_json::Value> = Map::default();
        with.insert(
            "algorithm".into(),
            lower(4).unwrap_or_else(|| "undefined".into()).into(),
        );
        with.insert(
            "sqlSecurity".into(),
            lower(3).unwrap_or_else(|| "definer".into()).into(),
        );
        if let Some(o) = lower(2).filter(|o| o != "none") {
            with.insert("withCheckOption".into(), o.into());
        }
        let definition = text(r, 1).map(|d| view_definition(&d, &database));
        let view = file::model_view(
            name.clone(),
            view_columns.shift_remove(&name).unwrap_or_default(),
            definition,
            false,
            Some(with),
        );
        model_views.insert(file::model_key(&name), view);
    }

    Ok(file::model_snapshot(
        [
            schemac_compiler::snapshot::mysql::VERSION.into(),
            "mysql".into(),
            String::new(),
            String::new(),
        ],
        tables,
        model_views,
        pg::Meta::default(),
    ))
}

async fn fetch(
    conn: &mut MySqlConnection,
    query: &'static str,
    what: &'static str,
) -> Result<Vec<MySqlRow>, Error> {
    sqlx::query(query)
        .fetch_all(&mut *conn)
        .await
        .map_err(reading(what))
}

/// A column of a catalog row as text: information_schema columns are text on MariaDB and
/// sometimes binary strings on MySQL.
fn text(row: &MySqlRow, i: usize) -> Option<String> {
    match row.try_get::<Option<String>, _>(i) {
        Ok(v) => v,
        Err(_) => row
            .try_get::<Option<Vec<u8>>, _>(i)
            .ok()
            .flatten()
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
    }
}

/// A `COLUMN_TYPE` as drizzle-kit writes the type: integer display widths dropped (MariaDB
/// writes `int(11)`), `tinyint(1)` is `boolean`, `decimal(10,0)` is `decimal`.
fn column_type(raw: &str) -> String {
    // In lower case, except the quoted values of `enum(...)` and `set(...)`.
    let mut quoted = false;
    let t: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c == '\'' {
                quoted = !quoted;
            }
            if quoted { c } else { c.to_ascii_lowercase() }
        })
        .collect();
    if t == "tinyint(1)" {
        return "boolean".into();
    }
    if t == "decimal(10,0)" {
        return "decimal".into();
    }
    for int in ["tinyint", "smallint", "mediumint", "int", "bigint", "year"] {
        if let Some(rest) = t.strip_prefix(int).and_then(|r| r.strip_prefix('('))
            && let Some((width, tail)) = rest.split_once(')')
            && width.bytes().all(|b| b.is_ascii_digit())
        {
            return format!("{int}{tail}");
        }
    }
    t
}

/// A `COLUMN_DEFAULT` in drizzle-kit's words for a column of `sql_type`. MariaDB quotes string
/// literals and writes `NULL` for a nullable column without a default; MySQL writes literals
/// bare and marks expressions `DEFAULT_GENERATED` in `EXTRA`.
fn default_value(raw: &str, sql_type: &str, extra: &str, mariadb: bool) -> Option<pg::Default> {
    if mariadb && raw.eq_ignore_ascii_case("null") {
        return None;
    }
    let number = is_number(raw);
    let expression = if mariadb {
        !raw.starts_with('\'') && !number
    } else {
        extra.contains("default_generated")
    };
    if expression {
        let e = raw.trim();
        if e.eq_ignore_ascii_case("current_timestamp()")
            || e.eq_ignore_ascii_case("current_timestamp")
        {
            return Some(pg::Default::Sql("(now())".into()));
        }
        return Some(pg::Default::Sql(format!("({e})")));
    }
    let quoted_by_server = mariadb && raw.starts_with('\'');
    if number && !quoted_by_server {
        if sql_type == "boolean" {
            return Some(pg::Default::Bool(raw != "0"));
        }
        // drizzle's decimal takes its values as strings; char types are text anyway.
        let textual = [
            "decimal", "char", "varchar", "enum", "text", "date", "time", "year",
        ]
        .iter()
        .any(|t| sql_type.starts_with(t))
            && !sql_type.starts_with("year");
        if !textual {
            return Some(pg::Default::Number(raw.to_string()));
        }
    }
    let literal = if quoted_by_server {
        raw.to_string()
    } else {
        format!("'{}'", raw.replace('\'', "''"))
    };
    let wrapped =
        sql_type == "text" || sql_type.starts_with("json") || sql_type.starts_with("blob");
    Some(pg::Default::Sql(if wrapped {
        format!("({literal})")
    } else {
        literal
    }))
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

/// A view's query as the server keeps it, without the database's name before each table
/// (MariaDB qualifies every name) and without the parentheses MariaDB keeps around it.
fn view_definition(raw: &str, database: &str) -> String {
    let qualifier = format!("`{}`.", database.replace('`', "``"));
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    // Outside string literals only.
    let mut in_string = false;
    while let Some(c) = rest.chars().next() {
        if !in_string && rest.starts_with(&qualifier) {
            rest = &rest[qualifier.len()..];
            continue;
        }
        if c == '\'' {
            in_string = !in_string;
        } else if c == '\\' && in_string && rest.len() > 1 {
            let next = rest[1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&rest[..1 + next]);
            rest = &rest[1 + next..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let trimmed = out.trim();
    match trimmed.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) if balanced(inner) => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Whether the parentheses of `s` balance (outside string literals).
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    for c in s.chars() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_lose_display_widths() {
        assert_eq!(column_type("int(11)"), "int");
        assert_eq!(column_type("bigint(20) unsigned"), "bigint unsigned");
        assert_eq!(column_type("tinyint(1)"), "boolean");
        assert_eq!(column_type("tinyint(4)"), "tinyint");
        assert_eq!(column_type("year(4)"), "year");
        assert_eq!(column_type("decimal(10,0)"), "decimal");
        assert_eq!(column_type("varchar(20)"), "varchar(20)");
        assert_eq!(column_type("int unsigned"), "int unsigned");
        // Values keep their case (a pulled `mysqlEnum` must store the same values).
        assert_eq!(
            column_type("ENUM('S','M','it''s XL')"),
            "enum('S','M','it''s XL')"
        );
        assert_eq!(column_type("set('Alpha','beta')"), "set('Alpha','beta')");
    }

    #[test]
    fn defaults_in_drizzle_kits_words() {
        let d = |raw: &str, ty: &str| default_value(raw, ty, "", true);
        assert_eq!(d("NULL", "int"), None);
        assert_eq!(d("1", "int"), Some(pg::Default::Number("1".into())));
        assert_eq!(d("1", "boolean"), Some(pg::Default::Bool(true)));
        assert_eq!(
            d("0.00", "decimal(10,2)"),
            Some(pg::Default::Sql("'0.00'".into()))
        );
        assert_eq!(
            d("'it''s'", "varchar(9)"),
            Some(pg::Default::Sql("'it''s'".into()))
        );
        assert_eq!(d("'a'", "text"), Some(pg::Default::Sql("('a')".into())));
        assert_eq!(
            d("current_timestamp()", "timestamp"),
            Some(pg::Default::Sql("(now())".into()))
        );
        assert_eq!(
            d("curdate()", "date"),
            Some(pg::Default::Sql("(curdate())".into()))
        );
    }

    #[test]
    fn view_definitions_lose_the_database_name() {
        assert_eq!(
            view_definition(
                "(select `db`.`t`.`a` AS `a` from `db`.`t` where `b` = '`db`.')",
                "db"
            ),
            "select `t`.`a` AS `a` from `t` where `b` = '`db`.'"
        );
        assert_eq!(
            view_definition("(select 1) union (select 2)", "db"),
            "(select 1) union (select 2)"
        );
    }
}
