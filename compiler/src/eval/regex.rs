//! Regular expressions: JavaScript regex literals run with the `regex` crate. Patterns it
//! cannot express (lookaround, backreferences) are opaque values.

use crate::syntax::ast::Atom;

use super::drizzle::Host;
use super::interp::R;
use super::value::{OpaqueReason, Value};
use super::{Args, Evaluator};
use crate::span::Span;

pub struct RegexValue {
    pub source: Atom,
    pub flags: Atom,
    pub re: regex::Regex,
    /// The `g` flag: `replace` replaces every match, `match` returns every match.
    pub global: bool,
}

/// A regex literal `/pattern/flags` (also `new RegExp(pattern, flags)`).
pub fn literal<'a>(ev: &Evaluator<'a>, pattern: &str, flags: &str, span: Span) -> Value<'a> {
    let mut inline = String::new();
    for f in flags.chars() {
        if matches!(f, 'i' | 'm' | 's') {
            inline.push(f);
        }
    }
    // JavaScript allows escaping `/` (and other punctuation) where Rust's syntax does not need it.
    let translated = pattern.replace("\\/", "/");
    let full = if inline.is_empty() {
        translated
    } else {
        format!("(?{inline}){translated}")
    };
    match regex::Regex::new(&full) {
        Ok(re) => Value::host(Host::Regex(RegexValue {
            source: Atom::from(pattern),
            flags: Atom::from(flags),
            re,
            global: flags.contains('g'),
        })),
        Err(_) => Value::opaque(
            OpaqueReason::Unsupported(format!(
                "the regular expression /{pattern}/{flags} (lookaround and backreferences are not supported)"
            )),
            Some(ev.location(span)),
        ),
    }
}

/// The match array JavaScript's `exec` returns (whole match, then groups), or `null`.
fn exec<'a>(r: &RegexValue, s: &str) -> Value<'a> {
    match r.re.captures(s) {
        Some(c) => Value::array(
            c.iter()
                .map(|m| {
                    m.map(|m| Value::str(m.as_str()))
                        .unwrap_or(Value::Undefined)
                })
                .collect(),
        ),
        None => Value::Null,
    }
}

pub fn method<'a>(
    ev: &mut Evaluator<'a>,
    r: &RegexValue,
    name: &str,
    args: &Args<'a>,
) -> Option<R<'a>> {
    let s = match args.get(0) {
        Value::Opaque(o) => return Some(Ok(Value::Opaque(o))),
        v => v.to_js_string().unwrap_or_default(),
    };
    let _ = ev;
    Some(Ok(match name {
        "test" => Value::Bool(r.re.is_match(&s)),
        "exec" => exec(r, &s),
        _ => return None,
    }))
}

pub fn property<'a>(r: &RegexValue, key: &str) -> Option<Value<'a>> {
    Some(match key {
        "source" => Value::Str(r.source.clone()),
        "flags" => Value::Str(r.flags.clone()),
        "global" => Value::Bool(r.global),
        _ => return None,
    })
}

/// `str.match(re)`.
pub fn string_match<'a>(r: &RegexValue, s: &str) -> Value<'a> {
    if r.global {
        let all: Vec<Value<'a>> = r.re.find_iter(s).map(|m| Value::str(m.as_str())).collect();
        if all.is_empty() {
            Value::Null
        } else {
            Value::array(all)
        }
    } else {
        exec(r, s)
    }
}

/// `str.matchAll(re)` as an array of match arrays.
pub fn string_match_all<'a>(r: &RegexValue, s: &str) -> Value<'a> {
    Value::array(
        r.re.captures_iter(s)
            .map(|c| {
                Value::array(
                    c.iter()
                        .map(|m| {
                            m.map(|m| Value::str(m.as_str()))
                                .unwrap_or(Value::Undefined)
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

/// `str.search(re)`: the character index of the first match, or -1.
pub fn search(r: &RegexValue, s: &str) -> f64 {
    r.re.find(s)
        .map(|m| s[..m.start()].chars().count() as f64)
        .unwrap_or(-1.0)
}

/// `str.split(re)`.
pub fn split<'a>(r: &RegexValue, s: &str) -> Value<'a> {
    Value::array(r.re.split(s).map(Value::str).collect())
}

/// `str.replace(re, replacement)` / `replaceAll`: a string replacement understands `$&`, `$1`..,
/// `$<name>` and `$$`; a function is called with the match, the groups, the offset and the string.
pub fn replace<'a>(
    ev: &mut Evaluator<'a>,
    r: &RegexValue,
    s: &str,
    replacement: &Value<'a>,
    all: bool,
    span: Span,
) -> R<'a> {
    let mut out = String::new();
    let mut last = 0;
    for c in r.re.captures_iter(s) {
        let Some(whole) = c.get(0) else { continue };
        out.push_str(&s[last..whole.start()]);
        match replacement {
            Value::Function(_) | Value::Builtin(_) => {
                let mut call_args: Vec<Value<'a>> = c
                    .iter()
                    .map(|m| {
                        m.map(|m| Value::str(m.as_str()))
                            .unwrap_or(Value::Undefined)
                    })
                    .collect();
                call_args.push(Value::Number(s[..whole.start()].chars().count() as f64));
                call_args.push(Value::str(s));
                let spans = vec![span; call_args.len()];
                let v = ev.call(replacement, None, Args::new(call_args, spans, span))?;
                match ev.stringify(&v, span)? {
                    Some(t) => out.push_str(&t),
                    None => return Ok(v),
                }
            }
            v => {
                let template = v.to_js_string().unwrap_or_default();
                expand(&template, &c, &mut out);
            }
        }
        last = whole.end();
        if !(all || r.global) {
            break;
        }
    }
    out.push_str(&s[last..]);
    Ok(Value::str(&out))
}

fn expand(template: &str, c: &regex::Captures, out: &mut String) {
    let mut chars = template.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '$' {
            out.push(ch);
            continue;
        }
        match chars.peek().copied() {
            Some('$') => {
                chars.next();
                out.push('$');
            }
            Some('&') => {
                chars.next();
                out.push_str(c.get(0).map(|m| m.as_str()).unwrap_or(""));
            }
            Some(d) if d.is_ascii_digit() => {
                chars.next();
                let mut n = d.to_digit(10).unwrap_or(0) as usize;
                if let Some(d2) = chars.peek().copied().filter(char::is_ascii_digit)
                    && n * 10 + (d2 as usize - '0' as usize) < c.len()
                {
                    chars.next();
                    n = n * 10 + (d2 as usize - '0' as usize);
                }
                out.push_str(c.get(n).map(|m| m.as_str()).unwrap_or(""));
            }
            Some('<') => {
                chars.next();
                let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
                out.push_str(c.name(&name).map(|m| m.as_str()).unwrap_or(""));
            }
            _ => out.push('$'),
        }
    }
}
