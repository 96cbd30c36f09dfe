//! Names for generated TypeScript: identifiers, quoted keys, string and template literals, and
//! the small English rules `relations.ts` uses for singular and plural relation names.

use crate::schema::Casing as SchemaCasing;

/// Words no generated variable may be named: JavaScript's reserved words (strict mode, modules)
/// and globals a declaration would shadow.
const RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "undefined",
    "NaN",
    "Infinity",
    "Object",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Symbol",
    "JSON",
    "Math",
    "Date",
    "Error",
    "Promise",
    "BigInt",
    "Map",
    "Set",
    "globalThis",
    "require",
    "module",
    "exports",
    "process",
    "console",
    // Names the generated files use themselves: the third argument's parameter and relations'.
    "table",
    "sql",
    "relations",
    "one",
    "many",
];

/// Whether `s` is a plain ASCII JavaScript identifier (what generated code uses unquoted).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Whether `s` may not be a variable's name.
pub fn is_reserved(s: &str) -> bool {
    RESERVED.contains(&s)
}

/// `name` as a variable: camel-cased as drizzle's `toCamelCase` does (or kept), then every
/// character an identifier cannot hold replaced by `_`, and a leading digit prefixed.
pub fn variable(name: &str, camel: bool) -> String {
    let cased = if camel {
        SchemaCasing::CamelCase.apply(name)
    } else {
        name.to_string()
    };
    let mut out: String = cased
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '$' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A property key: bare when an identifier, else a string literal.
pub fn key(s: &str) -> String {
    if is_identifier(s) {
        s.to_string()
    } else {
        string(s)
    }
}

/// `object.key`, or `object["key"]` when the key is not an identifier.
pub fn member(object: &str, k: &str) -> String {
    if is_identifier(k) {
        format!("{object}.{k}")
    } else {
        format!("{object}[{}]", string(k))
    }
}

/// A double-quoted JavaScript string literal of `s`.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// ``sql`...` `` whose cooked text is exactly `s`: backslashes, backticks and `${` escaped.
pub fn sql_template(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 6);
    out.push_str("sql`");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            // A carriage return in a template is read as a newline; keep it as written.
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// A JSON value as a JavaScript expression (JSON is one, except the keys `__proto__`, which an
/// object literal would take as its prototype: those are computed keys).
pub fn json_literal(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    let k = if k == "__proto__" {
                        format!("[{}]", string(k))
                    } else {
                        string(k)
                    };
                    format!("{k}: {}", json_literal(v))
                })
                .collect();
            if items.is_empty() {
                "{}".into()
            } else {
                format!("{{ {} }}", items.join(", "))
            }
        }
        serde_json::Value::Array(a) => {
            let items: Vec<String> = a.iter().map(json_literal).collect();
            format!("[{}]", items.join(", "))
        }
        serde_json::Value::String(s) => string(s),
        other => other.to_string(),
    }
}

/// A name's singular for a `one` relation: the last word's plural ending removed.
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let cut = |n: usize| name[..name.len() - n].to_string();
    if lower.ends_with("ies") && name.len() > 3 {
        return format!(
            "{}{}",
            cut(3),
            if name.ends_with("IES") { "Y" } else { "y" }
        );
    }
    for ending in ["sses", "shes", "ches", "xes", "zes"] {
        if lower.ends_with(ending) && name.len() > ending.len() {
            return cut(2);
        }
    }
    if lower.ends_with('s')
        && !["ss", "us", "is"].iter().any(|e| lower.ends_with(e))
        && name.len() > 1
    {
        return cut(1);
    }
    name.to_string()
}

/// A name's plural for a `many` relation; a name that already looks plural is kept.
pub fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let upper = name.ends_with(|c: char| c.is_ascii_uppercase());
    let s = |t: &str| {
        if upper {
            t.to_ascii_uppercase()
        } else {
            t.to_string()
        }
    };
    if name.is_empty() {
        return "items".into();
    }
    if lower.ends_with('s') && !["ss", "us", "is"].iter().any(|e| lower.ends_with(e)) {
        return name.to_string();
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return format!("{name}{}", s("es"));
    }
    let mut tail = lower.chars().rev();
    if tail.next() == Some('y') && tail.next().is_some_and(|c| !"aeiou".contains(c)) {
        return format!("{}{}", &name[..name.len() - 1], s("ies"));
    }
    format!("{name}{}", s("s"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_identifiers() {
        assert_eq!(variable("user_posts", true), "userPosts");
        assert_eq!(variable("user_posts", false), "user_posts");
        assert_eq!(variable("2fa codes", false), "_2fa_codes");
        assert_eq!(variable("", true), "_");
        assert_eq!(variable("naïve-table", false), "na_ve_table");
    }

    #[test]
    fn literals_escape() {
        assert_eq!(string("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(sql_template("a`b${c}\\d$e"), "sql`a\\`b\\${c}\\\\d$e`");
        assert_eq!(key("first name"), "\"first name\"");
        assert_eq!(member("table", "id"), "table.id");
        assert_eq!(member("table", "my col"), "table[\"my col\"]");
        let v: serde_json::Value =
            serde_json::from_str(r#"{"__proto__":1,"a":[true,null]}"#).unwrap();
        assert_eq!(
            json_literal(&v),
            r#"{ ["__proto__"]: 1, "a": [true, null] }"#
        );
    }

    #[test]
    fn singular_and_plural() {
        for (one, many) in [
            ("post", "posts"),
            ("category", "categories"),
            ("box", "boxes"),
            ("match", "matches"),
            ("day", "days"),
            ("postTag", "postTags"),
        ] {
            assert_eq!(singular(many), one, "singular of {many}");
            assert_eq!(plural(one), many, "plural of {one}");
        }
        assert_eq!(plural("users"), "users");
        assert_eq!(plural("status"), "statuses");
        assert_eq!(singular("usersInAuth"), "usersInAuth");
    }
}
