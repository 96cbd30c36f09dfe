//! The little template language of SQL type strings.
//!
//! A template is text with two kinds of holes:
//! - `{name}` is replaced by the option `name`;
//! - `[...]` is an optional group: it is kept only when every `{name}` inside has a value and
//!   every condition inside holds. Groups nest.
//!
//! Conditions render nothing and only gate their group: `{?name}` (the option is set and truthy
//! as JavaScript sees it), `{!name}` (it is not), `{?name=value}` and `{?name!=value}` (an unset
//! option is never equal).
//!
//! Examples: `varchar[({length})]`, `numeric[({precision}[, {scale}])]`,
//! `timestamp[{?mode!=string} ({precision})][{?mode=string}({precision})][{?withTimezone} with time zone]`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// An option value given to a builder.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    Bool(bool),
    Number(f64),
    Str(String),
}

impl OptionValue {
    /// Appends the value as a type string shows it.
    fn write_text(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = match self {
            OptionValue::Bool(b) => write!(out, "{b}"),
            OptionValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                write!(out, "{}", *n as i64)
            }
            OptionValue::Number(n) => write!(out, "{n}"),
            OptionValue::Str(s) => {
                out.push_str(s);
                Ok(())
            }
        };
    }

    /// Whether the value shows as `text`.
    fn shows_as(&self, text: &str) -> bool {
        match self {
            OptionValue::Str(s) => s == text,
            _ => {
                let mut buf = String::new();
                self.write_text(&mut buf);
                buf == text
            }
        }
    }

    /// JavaScript truthiness: `false`, `0` and `""` are falsy.
    fn truthy(&self) -> bool {
        match self {
            OptionValue::Bool(b) => *b,
            OptionValue::Number(n) => *n != 0.0 && !n.is_nan(),
            OptionValue::Str(s) => !s.is_empty(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Hole(String),
    Cond { name: String, test: Test },
    Group(Vec<Piece>),
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Set,
    Unset,
    Eq(String),
    Ne(String),
}

/// A parsed type template.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeTemplate {
    source: String,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeTemplateError {
    /// `{name}` had no value outside any optional group.
    Missing(String),
    Syntax(String),
}

impl std::fmt::Display for TypeTemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeTemplateError::Missing(n) => write!(f, "option `{n}` is required"),
            TypeTemplateError::Syntax(s) => write!(f, "bad type template: {s}"),
        }
    }
}

impl TypeTemplate {
    pub fn parse(source: &str) -> Result<TypeTemplate, TypeTemplateError> {
        let mut chars = source.chars().peekable();
        let pieces = parse_seq(&mut chars, false)?;
        Ok(TypeTemplate {
            source: source.to_string(),
            pieces,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Renders the type for the given options.
    pub fn render(
        &self,
        options: &BTreeMap<String, OptionValue>,
    ) -> Result<String, TypeTemplateError> {
        let mut out = String::new();
        match render_seq(&self.pieces, options, &mut out) {
            Ok(()) => Ok(out),
            Err(name) => Err(TypeTemplateError::Missing(name.to_string())),
        }
    }
}

fn parse_seq(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    in_group: bool,
) -> Result<Vec<Piece>, TypeTemplateError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Group(parse_seq(chars, true)?));
            }
            ']' if in_group => {
                flush(&mut text, &mut pieces);
                return Ok(pieces);
            }
            '{' => {
                flush(&mut text, &mut pieces);
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(TypeTemplateError::Syntax("unclosed `{`".into())),
                    }
                }
                pieces.push(parse_hole(&inner));
            }
            c => text.push(c),
        }
    }
    if in_group {
        return Err(TypeTemplateError::Syntax("unclosed `[`".into()));
    }
    flush(&mut text, &mut pieces);
    Ok(pieces)
}

fn parse_hole(inner: &str) -> Piece {
    if let Some(rest) = inner.strip_prefix('?') {
        if let Some((name, value)) = rest.split_once("!=") {
            return Piece::Cond {
                name: name.into(),
                test: Test::Ne(value.into()),
            };
        }
        if let Some((name, value)) = rest.split_once('=') {
            return Piece::Cond {
                name: name.into(),
                test: Test::Eq(value.into()),
            };
        }
        return Piece::Cond {
            name: rest.into(),
            test: Test::Set,
        };
    }
    if let Some(rest) = inner.strip_prefix('!') {
        return Piece::Cond {
            name: rest.into(),
            test: Test::Unset,
        };
    }
    Piece::Hole(inner.to_string())
}

fn flush(text: &mut String, pieces: &mut Vec<Piece>) {
    if !text.is_empty() {
        pieces.push(Piece::Text(std::mem::take(text)));
    }
}

/// Renders into `out`; `Err(name)` when a hole or condition fails (what was written for the
/// failing sequence is then to be discarded by the caller).
fn render_seq<'t>(
    pieces: &'t [Piece],
    options: &BTreeMap<String, OptionValue>,
    out: &mut String,
) -> Result<(), &'t str> {
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Hole(name) => match options.get(name) {
                Some(v) => v.write_text(out),
                None => return Err(name),
            },
            Piece::Cond { name, test } => {
                let v = options.get(name);
                let ok = match test {
                    Test::Set => v.is_some_and(OptionValue::truthy),
                    Test::Unset => !v.is_some_and(OptionValue::truthy),
                    Test::Eq(x) => v.is_some_and(|v| v.shows_as(x)),
                    Test::Ne(x) => v.is_none_or(|v| !v.shows_as(x)),
                };
                if !ok {
                    return Err(name);
                }
            }
            Piece::Group(inner) => {
                let mark = out.len();
                if render_seq(inner, options, out).is_err() {
                    out.truncate(mark);
                }
            }
        }
    }
    Ok(())
}

impl<'de> Deserialize<'de> for TypeTemplate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TypeTemplate::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &str, opts: &[(&str, OptionValue)]) -> String {
        let map = opts
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        TypeTemplate::parse(t).unwrap().render(&map).unwrap()
    }

    #[test]
    fn optional_groups_and_conditions() {
        use OptionValue::*;
        let numeric = "numeric[({precision}[, {scale}])]";
        assert_eq!(render(numeric, &[]), "numeric");
        assert_eq!(
            render(numeric, &[("precision", Number(10.0))]),
            "numeric(10)"
        );
        assert_eq!(
            render(
                numeric,
                &[("precision", Number(10.0)), ("scale", Number(2.0))]
            ),
            "numeric(10, 2)"
        );
        let ts = "timestamp[{?mode!=string} ({precision})][{?mode=string}({precision})][{?withTimezone} with time zone]";
        assert_eq!(render(ts, &[]), "timestamp");
        assert_eq!(render(ts, &[("precision", Number(3.0))]), "timestamp (3)");
        assert_eq!(
            render(
                ts,
                &[("precision", Number(3.0)), ("mode", Str("string".into()))]
            ),
            "timestamp(3)"
        );
        assert_eq!(
            render(ts, &[("withTimezone", Bool(true))]),
            "timestamp with time zone"
        );
        assert_eq!(render(ts, &[("withTimezone", Bool(false))]), "timestamp");
    }

    #[test]
    fn a_required_hole_outside_a_group_is_an_error() {
        let t = TypeTemplate::parse("vector({dimensions})").unwrap();
        assert_eq!(
            t.render(&BTreeMap::new()),
            Err(TypeTemplateError::Missing("dimensions".into()))
        );
    }
}
