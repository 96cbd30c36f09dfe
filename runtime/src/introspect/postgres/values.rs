//! Catalog texts → the model's texts: type strings and column defaults as `from_schema` writes
//! them for the schema that made the column.

use schemac_compiler::snapshot::pg::Default;

/// The model's type string for `format_type`'s text of a column's (element) type: drizzle's
/// spellings (`varchar(256)`, `numeric(10, 2)`, `timestamp (3) with time zone`, `time(3)`).
pub fn type_name(formatted: &str) -> String {
    let (base, zone) = match formatted.strip_suffix(" without time zone") {
        Some(b) => (b, ""),
        None => match formatted.strip_suffix(" with time zone") {
            Some(b) => (b, " with time zone"),
            None => (formatted, ""),
        },
    };
    let (name, args) = match base.split_once('(') {
        Some((n, rest)) => (n, Some(rest.trim_end_matches(')'))),
        None => (base, None),
    };
    let name = match name {
        "character varying" => "varchar",
        "character" | "bpchar" => "char",
        n => n,
    };
    match (name, args) {
        // drizzle's date-mode timestamp: a space before the precision.
        ("timestamp", Some(p)) => format!("timestamp ({p}){zone}"),
        ("numeric", Some(a)) => match a.split_once(',') {
            Some((p, s)) => format!("numeric({}, {})", p.trim(), s.trim()),
            None => format!("numeric({a})"),
        },
        (n, Some(a)) => format!("{n}({a}){zone}"),
        (n, None) => format!("{n}{zone}"),
    }
}

/// What kind of value a column holds, for reading its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// integer, smallint, bigint, real, double precision: defaults are JSON numbers.
    Number,
    /// numeric: defaults are quoted strings, as drizzle's string mode writes them.
    Numeric,
    Bool,
    Json,
    Jsonb,
    Other,
}

impl Class {
    /// The class of a base type by its `pg_type` name.
    pub fn of(typname: &str) -> Class {
        match typname {
            "int2" | "int4" | "int8" | "float4" | "float8" => Class::Number,
            "numeric" => Class::Numeric,
            "bool" => Class::Bool,
            "json" => Class::Json,
            "jsonb" => Class::Jsonb,
            _ => Class::Other,
        }
    }
}

/// A column default from `pg_get_expr`'s text, as the model writes it: literals without the cast
/// PostgreSQL adds (`'a'::text` → `'a'`), numbers and booleans as JSON values, JSON compacted
/// with its cast (`'{"a":1}'::jsonb`), array literals with drizzle's element quoting
/// (`'{"a","b"}'`), `nextval('s'::regclass)` as `nextval('s')`. Other expressions as they are.
pub fn default_value(expr: &str, class: Class, array: bool) -> Default {
    let expr = expr.trim();
    if let Some((literal, _cast)) = cast_literal(expr) {
        let text = unquote(literal);
        if array {
            return match array_elements(&text) {
                Some(v) => Default::Sql(quote(&render_array(&v, class))),
                None => Default::Sql(literal.to_string()),
            };
        }
        return match class {
            Class::Number if is_number(&text) => Default::Number(text),
            Class::Bool if text == "true" || text == "false" => Default::Bool(text == "true"),
            Class::Json | Class::Jsonb => Default::Sql(json_default(&text, class, literal)),
            _ => Default::Sql(literal.to_string()),
        };
    }
    if expr == "NULL" || expr.strip_prefix("NULL::").is_some_and(is_type_name) {
        return Default::Sql("null".into());
    }
    match class {
        Class::Number if is_number(expr) => return Default::Number(expr.to_string()),
        Class::Numeric if is_number(expr) => return Default::Sql(quote(expr)),
        Class::Bool if expr == "true" || expr == "false" => return Default::Bool(expr == "true"),
        _ => {}
    }
    Default::Sql(without_regclass(expr))
}

/// `'…'::type` (one quoted literal and one cast, the whole text): the literal with its quotes
/// and the type.
fn cast_literal(expr: &str) -> Option<(&str, &str)> {
    let bytes = expr.as_bytes();
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    let end = loop {
        match bytes.get(i)? {
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => break i,
            _ => i += 1,
        }
    };
    let cast = expr[end + 1..].strip_prefix("::")?;
    // A type name, possibly qualified, quoted, with words, a modifier or `[]`; not an
    // expression going on after the cast.
    is_type_name(cast).then(|| (&expr[..=end], cast))
}

fn is_type_name(t: &str) -> bool {
    !t.is_empty()
        && !t.contains("::")
        && t.chars()
            .all(|c| c.is_alphanumeric() || " _.\"[]()".contains(c))
}

/// The text of a quoted literal.
fn unquote(literal: &str) -> String {
    literal[1..literal.len() - 1].replace("''", "'")
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn is_number(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A JSON literal compacted as `JSON.stringify` writes it, with the column's cast.
fn json_default(text: &str, class: Class, literal: &str) -> String {
    let cast = if class == Class::Json {
        "json"
    } else {
        "jsonb"
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => format!("{}::{cast}", quote(&v.to_string())),
        Err(_) => format!("{literal}::{cast}"),
    }
}

/// `nextval('s'::regclass)` → `nextval('s')`: the cast PostgreSQL adds to a sequence name.
fn without_regclass(expr: &str) -> String {
    expr.replace("'::regclass)", "')")
}

/// One element of an array literal: a nested array, NULL, or a value's text.
#[derive(Debug, PartialEq)]
enum Element {
    Array(Vec<Element>),
    Null,
    Value(String),
}

/// The elements of a PostgreSQL array literal (`{a,"b c",{1,2}}`); `None` when it is not one.
fn array_elements(text: &str) -> Option<Vec<Element>> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut pos = 0;
    let v = parse_array(&chars, &mut pos)?;
    (pos == chars.len()).then_some(v)
}

fn parse_array(c: &[char], pos: &mut usize) -> Option<Vec<Element>> {
    if c.get(*pos) != Some(&'{') {
        return None;
    }
    *pos += 1;
    let mut out = Vec::new();
    if c.get(*pos) == Some(&'}') {
        *pos += 1;
        return Some(out);
    }
    loop {
        match c.get(*pos)? {
            '{' => out.push(Element::Array(parse_array(c, pos)?)),
            '"' => {
                *pos += 1;
                let mut s = String::new();
                loop {
                    match c.get(*pos)? {
                        '\\' => {
                            s.push(*c.get(*pos + 1)?);
                            *pos += 2;
                        }
                        '"' => {
                            *pos += 1;
                            break;
                        }
                        ch => {
                            s.push(*ch);
                            *pos += 1;
                        }
                    }
                }
                out.push(Element::Value(s));
            }
            _ => {
                let start = *pos;
                while !matches!(c.get(*pos)?, ',' | '}') {
                    *pos += 1;
                }
                let s: String = c[start..*pos].iter().collect::<String>().trim().to_string();
                out.push(if s.eq_ignore_ascii_case("NULL") {
                    Element::Null
                } else {
                    Element::Value(s)
                });
            }
        }
        match c.get(*pos)? {
            ',' => *pos += 1,
            '}' => {
                *pos += 1;
                return Some(out);
            }
            _ => return None,
        }
    }
}

/// An array literal as drizzle writes a default array: numbers and booleans bare, other values
/// in double quotes.
fn render_array(items: &[Element], class: Class) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|e| match e {
            Element::Array(inner) => render_array(inner, class),
            Element::Null => "NULL".into(),
            Element::Value(v) => match class {
                Class::Number | Class::Numeric if is_number(v) => v.clone(),
                Class::Bool if v == "t" || v == "true" => "true".into(),
                Class::Bool if v == "f" || v == "false" => "false".into(),
                _ => format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")),
            },
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_drizzles() {
        for (pg, model) in [
            ("character varying(256)", "varchar(256)"),
            ("character varying", "varchar"),
            ("character(2)", "char(2)"),
            ("numeric(10,2)", "numeric(10, 2)"),
            ("numeric", "numeric"),
            (
                "timestamp(3) with time zone",
                "timestamp (3) with time zone",
            ),
            ("timestamp without time zone", "timestamp"),
            ("timestamp with time zone", "timestamp with time zone"),
            ("time(0) without time zone", "time(0)"),
            ("time with time zone", "time with time zone"),
            ("interval day to second", "interval day to second"),
            ("double precision", "double precision"),
            ("bit(3)", "bit(3)"),
        ] {
            assert_eq!(type_name(pg), model, "{pg}");
        }
    }

    fn sql(s: &str) -> Default {
        Default::Sql(s.into())
    }

    #[test]
    fn defaults_are_drizzles() {
        assert_eq!(
            default_value("'n/a'::text", Class::Other, false),
            sql("'n/a'")
        );
        assert_eq!(
            default_value("'it''s'::character varying", Class::Other, false),
            sql("'it''s'")
        );
        assert_eq!(
            default_value("'EUR'::billing.currency", Class::Other, false),
            sql("'EUR'")
        );
        assert_eq!(
            default_value("0", Class::Number, false),
            Default::Number("0".into())
        );
        assert_eq!(
            default_value("'-1'::integer", Class::Number, false),
            Default::Number("-1".into())
        );
        assert_eq!(default_value("0.00", Class::Numeric, false), sql("'0.00'"));
        assert_eq!(
            default_value("'99'::numeric", Class::Numeric, false),
            sql("'99'")
        );
        assert_eq!(
            default_value("true", Class::Bool, false),
            Default::Bool(true)
        );
        assert_eq!(
            default_value("'{\"a\": 1, \"b\": [1, 2]}'::jsonb", Class::Jsonb, false),
            sql("'{\"a\":1,\"b\":[1,2]}'::jsonb")
        );
        assert_eq!(
            default_value("'{x,\"y z\"}'::text[]", Class::Other, true),
            sql("'{\"x\",\"y z\"}'")
        );
        assert_eq!(
            default_value("'{1,2}'::integer[]", Class::Number, true),
            sql("'{1,2}'")
        );
        assert_eq!(
            default_value("'{t,f}'::boolean[]", Class::Bool, true),
            sql("'{true,false}'")
        );
        assert_eq!(default_value("now()", Class::Other, false), sql("now()"));
        assert_eq!(
            default_value(
                "nextval('order_number_seq'::regclass)",
                Class::Number,
                false
            ),
            sql("nextval('order_number_seq')")
        );
        assert_eq!(
            default_value("(now() + '1 day'::interval)", Class::Other, false),
            sql("(now() + '1 day'::interval)")
        );
        assert_eq!(
            default_value("'a'::text || 'b'::text", Class::Other, false),
            sql("'a'::text || 'b'::text")
        );
    }
}
