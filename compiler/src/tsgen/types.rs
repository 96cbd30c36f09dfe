//! A column's type string → the builder call that makes it, per dialect: the inverse of the type
//! templates in `stdlib/data/{pg,mysql,sqlite}-core.toml`. A type no builder makes is a
//! `customType` whose `dataType()` returns the string as it is.

use super::words;
use crate::schema::Dialect;
use crate::snapshot::pg::{self, Map};

/// Which function makes the column.
#[derive(Debug, Clone, PartialEq)]
pub enum Builder {
    /// A builder of the dialect's core module.
    Core(&'static str),
    /// A PostgreSQL enum: the model's key (`schema.name`).
    Enum(String),
    /// A `customType` made for this type string.
    Custom(String),
}

/// What TypeScript value `.default(x)` accepts for the column (the builder's data type).
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Number,
    BigInt,
    Bool,
    Text,
    Json,
    /// One of these strings (an enum's values).
    OneOf(Vec<String>),
    /// Anything else (tuples, buffers, dates): defaults are written as `sql`.
    Other,
}

#[derive(Debug, Clone)]
pub struct ColumnType {
    pub builder: Builder,
    /// Options object entries, values already JavaScript.
    pub options: Vec<(&'static str, String)>,
    /// `mysqlEnum`'s value list.
    pub values: Option<Vec<String>>,
    /// `.array(size?)` calls, in order.
    pub arrays: Vec<Option<String>>,
    pub data: Data,
    /// The default text `.defaultNow()` makes on this builder.
    pub now: Option<&'static str>,
    /// The default text `.defaultRandom()` makes.
    pub random: Option<&'static str>,
    /// A comment line written above the column.
    pub comment: Option<&'static str>,
}

impl ColumnType {
    fn core(name: &'static str, data: Data) -> ColumnType {
        ColumnType {
            builder: Builder::Core(name),
            options: Vec::new(),
            values: None,
            arrays: Vec::new(),
            data,
            now: None,
            random: None,
            comment: None,
        }
    }

    fn custom(ty: &str) -> ColumnType {
        ColumnType {
            builder: Builder::Custom(ty.to_string()),
            ..ColumnType::core("customType", Data::Text)
        }
    }

    fn opt(mut self, key: &'static str, value: String) -> ColumnType {
        self.options.push((key, value));
        self
    }

    fn now(mut self, text: &'static str) -> ColumnType {
        self.now = Some(text);
        self
    }
}

const BIGINT_COMMENT: &str =
    "// mode \"number\" loses precision beyond 2^53; use { mode: \"bigint\" } for larger values";

/// The builder of a column of `dialect`.
pub fn map(dialect: Dialect, col: &pg::Column, enums: &Map<pg::Enum>) -> ColumnType {
    match dialect {
        Dialect::Postgresql => postgres(col, enums),
        Dialect::Mysql => mysql(col),
        Dialect::Sqlite => sqlite(col),
    }
}

/// `name(a, b)` → `[a, b]` (trimmed); `None` when `ty` is not a call of `name`.
fn args<'a>(ty: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let inner = ty
        .strip_prefix(name)?
        .strip_prefix('(')?
        .strip_suffix(')')?;
    Some(inner.split(',').map(str::trim).collect())
}

fn uint(s: &str) -> Option<String> {
    (!s.is_empty() && s.len() < 10 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.trim_start_matches('0').to_string())
        .map(|d| if d.is_empty() { "0".into() } else { d })
}

/// The integer default's fit in a JavaScript number.
fn safe_integer(d: Option<&pg::Default>) -> bool {
    match d {
        // i128: unsigned `bigint` defaults go past i64.
        Some(pg::Default::Number(n)) => n
            .parse::<i128>()
            .map_or(true, |v| v.unsigned_abs() < (1u128 << 53)),
        _ => true,
    }
}

fn number_default(d: Option<&pg::Default>) -> bool {
    matches!(d, Some(pg::Default::Number(_)))
}

/// `text[]`, `integer[3][]` → the base type and the `.array()` sizes in the order applied.
fn split_arrays(ty: &str) -> (&str, Vec<Option<String>>) {
    let mut base = ty.trim_end();
    let mut dims = Vec::new();
    while let Some(rest) = base.strip_suffix(']') {
        let Some(open) = rest.rfind('[') else { break };
        let size = &rest[open + 1..];
        if !size.is_empty() && uint(size).is_none() {
            break;
        }
        dims.push(uint(size));
        base = rest[..open].trim_end();
    }
    dims.reverse();
    (base, dims)
}

fn postgres(col: &pg::Column, enums: &Map<pg::Enum>) -> ColumnType {
    let (base, arrays) = split_arrays(&col.sql_type);
    let mut t = postgres_base(base, col, enums);
    if !arrays.is_empty() {
        t.arrays = arrays;
        // An array column's data is an array: defaults are SQL.
        t.data = Data::Other;
        t.now = None;
        t.random = None;
    }
    t
}

fn postgres_base(base: &str, col: &pg::Column, enums: &Map<pg::Enum>) -> ColumnType {
    use ColumnType as T;
    // Enum columns name their enum's schema (`typeSchema`); a built-in type never does, also
    // when an enum has the same name (an enum `text`).
    let key = col
        .type_schema
        .as_deref()
        .map(|schema| format!("{schema}.{base}"));
    if let Some(key) = key
        && let Some(e) = enums.get(&key)
    {
        return ColumnType {
            builder: Builder::Enum(key),
            ..T::core("pgEnum", Data::OneOf(e.values.clone()))
        };
    }
    // An enum of a schema that was not pulled: a custom type of its qualified name, so the
    // column still names that enum.
    if let Some(schema) = col.type_schema.as_deref().filter(|s| *s != "public") {
        return T::custom(&format!("\"{schema}\".\"{base}\""));
    }
    let default = col.default.as_ref();
    let big = |name: &'static str| {
        if safe_integer(default) {
            let mut t = T::core(name, Data::Number).opt("mode", words::string("number"));
            t.comment = Some(BIGINT_COMMENT);
            t
        } else {
            T::core(name, Data::BigInt).opt("mode", words::string("bigint"))
        }
    };
    match base {
        "integer" | "int4" | "int" => return T::core("integer", Data::Number),
        "smallint" | "int2" => return T::core("smallint", Data::Number),
        "bigint" | "int8" => return big("bigint"),
        "serial" | "serial4" => return T::core("serial", Data::Number),
        "smallserial" | "serial2" => return T::core("smallserial", Data::Number),
        // drizzle's number-mode bigserial is NOT NULL by itself; the bigint mode is not.
        "bigserial" | "serial8" => {
            let mode = if col.not_null { "number" } else { "bigint" };
            let data = if col.not_null {
                Data::Number
            } else {
                Data::BigInt
            };
            return T::core("bigserial", data).opt("mode", words::string(mode));
        }
        "boolean" | "bool" => return T::core("boolean", Data::Bool),
        "text" => return T::core("text", Data::Text),
        "real" | "float4" => return T::core("real", Data::Number),
        "double precision" | "float8" => return T::core("doublePrecision", Data::Number),
        "json" => return T::core("json", Data::Json),
        "jsonb" => return T::core("jsonb", Data::Json),
        "uuid" => {
            let mut t = T::core("uuid", Data::Text);
            t.random = Some("gen_random_uuid()");
            return t;
        }
        "date" => {
            return T::core("date", Data::Text)
                .opt("mode", words::string("string"))
                .now("now()");
        }
        "inet" | "cidr" | "macaddr" | "macaddr8" => {
            let name = match base {
                "inet" => "inet",
                "cidr" => "cidr",
                "macaddr" => "macaddr",
                _ => "macaddr8",
            };
            return T::core(name, Data::Text);
        }
        "point" => return T::core("point", Data::Other),
        "line" => return T::core("line", Data::Other),
        "geometry(point)" => {
            return T::core("geometry", Data::Other).opt("type", words::string("point"));
        }
        "varchar" | "character varying" => return T::core("varchar", Data::Text),
        "char" | "character" => return T::core("char", Data::Text),
        "numeric" | "decimal" => return numeric(T::core("numeric", Data::Text), default),
        _ => {}
    }
    for (names, builder) in [
        (&["varchar", "character varying"][..], "varchar"),
        (&["char", "character"][..], "char"),
    ] {
        for name in names {
            if let Some(a) = args(base, name)
                && let [n] = a.as_slice()
                && let Some(n) = uint(n)
            {
                return T::core(builder, Data::Text).opt("length", n);
            }
        }
    }
    for name in ["numeric", "decimal"] {
        if let Some(a) = args(base, name) {
            match a.as_slice() {
                [p] if uint(p).is_some() => {
                    return numeric(
                        T::core("numeric", Data::Text)
                            .opt("precision", uint(p).unwrap_or_default()),
                        default,
                    );
                }
                [p, s] if uint(p).is_some() && uint(s).is_some() => {
                    return numeric(
                        T::core("numeric", Data::Text)
                            .opt("precision", uint(p).unwrap_or_default())
                            .opt("scale", uint(s).unwrap_or_default()),
                        default,
                    );
                }
                _ => {}
            }
        }
    }
    for (name, data) in [
        ("vector", Data::Other),
        ("halfvec", Data::Other),
        ("sparsevec", Data::Other),
        ("bit", Data::Text),
    ] {
        if let Some(a) = args(base, name)
            && let [n] = a.as_slice()
            && let Some(n) = uint(n)
        {
            let builder = match name {
                "vector" => "vector",
                "halfvec" => "halfvec",
                "sparsevec" => "sparsevec",
                _ => "bit",
            };
            return T::core(builder, data).opt("dimensions", n);
        }
    }
    if let Some(t) = timestamp(base) {
        return t;
    }
    if let Some(t) = time(base) {
        return t;
    }
    if let Some(t) = interval(base) {
        return t;
    }
    T::custom(base)
}

fn numeric(t: ColumnType, default: Option<&pg::Default>) -> ColumnType {
    if number_default(default) {
        ColumnType {
            data: Data::Number,
            ..t.opt("mode", words::string("number"))
        }
    } else {
        t
    }
}

/// `(p)` or ` (p)` at the start of `rest`: the precision, whether a space came first, and what
/// follows.
fn precision(rest: &str) -> Option<(Option<String>, bool, &str)> {
    let (spaced, r) = match rest.strip_prefix(" (") {
        Some(r) => (true, r),
        None => match rest.strip_prefix('(') {
            Some(r) => (false, r),
            None => return Some((None, false, rest)),
        },
    };
    let close = r.find(')')?;
    let p = uint(&r[..close])?;
    Some((Some(p), spaced, &r[close + 1..]))
}

/// drizzle writes `timestamp (p)` in date mode and `timestamp(p)` in string mode; a type
/// without precision is the same in both, and string mode is what `pull` writes.
fn timestamp(base: &str) -> Option<ColumnType> {
    let rest = base.strip_prefix("timestamp")?;
    let (p, spaced, rest) = precision(rest)?;
    let with_tz = match rest {
        "" | " without time zone" => false,
        " with time zone" => true,
        _ => return None,
    };
    let mut t = ColumnType::core("timestamp", if spaced { Data::Other } else { Data::Text });
    if let Some(p) = p {
        t = t.opt("precision", p);
    }
    if with_tz {
        t = t.opt("withTimezone", "true".into());
    }
    if !spaced {
        t = t.opt("mode", words::string("string"));
    }
    Some(t.now("now()"))
}

fn time(base: &str) -> Option<ColumnType> {
    let rest = base.strip_prefix("time")?;
    let (p, spaced, rest) = precision(rest)?;
    if spaced {
        return None;
    }
    let with_tz = match rest {
        "" | " without time zone" => false,
        " with time zone" => true,
        _ => return None,
    };
    let mut t = ColumnType::core("time", Data::Text);
    if let Some(p) = p {
        t = t.opt("precision", p);
    }
    if with_tz {
        t = t.opt("withTimezone", "true".into());
    }
    Some(t.now("now()"))
}

const INTERVAL_FIELDS: &[&str] = &[
    "year to month",
    "day to hour",
    "day to minute",
    "day to second",
    "hour to minute",
    "hour to second",
    "minute to second",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
];

fn interval(base: &str) -> Option<ColumnType> {
    let rest = base.strip_prefix("interval")?;
    let mut t = ColumnType::core("interval", Data::Text);
    let rest = match rest.strip_prefix(' ') {
        Some(r) => {
            let f = INTERVAL_FIELDS.iter().find(|f| r.starts_with(**f))?;
            t = t.opt("fields", words::string(f));
            &r[f.len()..]
        }
        None => rest,
    };
    let (p, spaced, rest) = precision(rest)?;
    if spaced || !rest.is_empty() {
        return None;
    }
    if let Some(p) = p {
        t = t.opt("precision", p);
    }
    Some(t)
}

fn mysql(col: &pg::Column) -> ColumnType {
    use ColumnType as T;
    let ty = col.sql_type.as_str();
    let default = col.default.as_ref();
    let (base, unsigned) = match ty.strip_suffix(" unsigned") {
        Some(b) => (b, true),
        None => (ty, false),
    };
    let with_unsigned = |t: ColumnType| {
        if unsigned {
            t.opt("unsigned", "true".into())
        } else {
            t
        }
    };
    let string_mode =
        |name: &'static str| T::core(name, Data::Text).opt("mode", words::string("string"));
    match base {
        "int" | "tinyint" | "smallint" | "mediumint" => {
            let name = match base {
                "int" => "int",
                "tinyint" => "tinyint",
                "smallint" => "smallint",
                _ => "mediumint",
            };
            return with_unsigned(T::core(name, Data::Number));
        }
        "bigint" => {
            let t = if safe_integer(default) {
                let mut t = T::core("bigint", Data::Number).opt("mode", words::string("number"));
                t.comment = Some(BIGINT_COMMENT);
                t
            } else {
                T::core("bigint", Data::BigInt).opt("mode", words::string("bigint"))
            };
            return with_unsigned(t);
        }
        "decimal" => return with_unsigned(numeric(T::core("decimal", Data::Text), default)),
        "float" => return with_unsigned(T::core("float", Data::Number)),
        "double" => return with_unsigned(T::core("double", Data::Number)),
        _ => {}
    }
    if !unsigned {
        match base {
            "serial" => return T::core("serial", Data::Number),
            "real" => return T::core("real", Data::Number),
            "char" => return T::core("char", Data::Text),
            "text" | "tinytext" | "mediumtext" | "longtext" => {
                let name = match base {
                    "text" => "text",
                    "tinytext" => "tinytext",
                    "mediumtext" => "mediumtext",
                    _ => "longtext",
                };
                return T::core(name, Data::Text);
            }
            "binary" => return T::core("binary", Data::Text),
            "boolean" => return T::core("boolean", Data::Bool),
            "json" => return T::core("json", Data::Json),
            "date" => return string_mode("date"),
            "datetime" => return string_mode("datetime"),
            "timestamp" => return string_mode("timestamp").now("(now())"),
            "time" => return T::core("time", Data::Text),
            "year" => return T::core("year", Data::Number),
            _ => {}
        }
    }
    // Precision and scale: `(p,s)` without a space, `real(p, s)` with one.
    for (name, data, spaced) in [
        ("decimal", Data::Text, false),
        ("float", Data::Number, false),
        ("double", Data::Number, false),
        ("real", Data::Number, true),
    ] {
        if spaced && unsigned {
            continue;
        }
        let Some(a) = args(base, name) else { continue };
        let inner = &base[name.len() + 1..base.len() - 1];
        let builder = match name {
            "decimal" => "decimal",
            "float" => "float",
            "double" => "double",
            _ => "real",
        };
        let t = match a.as_slice() {
            [p] if uint(p).is_some() && inner == *p => {
                T::core(builder, data).opt("precision", uint(p).unwrap_or_default())
            }
            [p, s]
                if uint(p).is_some()
                    && uint(s).is_some()
                    && inner == format!("{p},{}{s}", if spaced { " " } else { "" }) =>
            {
                T::core(builder, data)
                    .opt("precision", uint(p).unwrap_or_default())
                    .opt("scale", uint(s).unwrap_or_default())
            }
            _ => continue,
        };
        let t = if name == "decimal" {
            numeric(t, default)
        } else {
            t
        };
        return with_unsigned(t);
    }
    if unsigned {
        return T::custom(ty);
    }
    for (name, builder, data) in [
        ("varchar", "varchar", Data::Text),
        ("char", "char", Data::Text),
        ("binary", "binary", Data::Text),
        ("varbinary", "varbinary", Data::Text),
    ] {
        if let Some(a) = args(base, name)
            && let [n] = a.as_slice()
            && let Some(n) = uint(n)
        {
            return T::core(builder, data).opt("length", n);
        }
    }
    for (name, builder) in [
        ("datetime", "datetime"),
        ("timestamp", "timestamp"),
        ("time", "time"),
    ] {
        if let Some(a) = args(base, name)
            && let [n] = a.as_slice()
            && let Some(n) = uint(n)
        {
            let mut t = if name == "time" {
                T::core(builder, Data::Text)
            } else {
                string_mode(builder)
            };
            t = t.opt("fsp", n);
            if name == "timestamp" {
                t = t.now("(now())");
            }
            return t;
        }
    }
    if let Some(values) = mysql_enum_values(base) {
        return ColumnType {
            values: Some(values.clone()),
            ..T::core("mysqlEnum", Data::OneOf(values))
        };
    }
    T::custom(ty)
}

/// `enum('a','o''b')` → `["a", "o'b"]`.
fn mysql_enum_values(ty: &str) -> Option<Vec<String>> {
    let inner = ty.strip_prefix("enum(")?.strip_suffix(')')?;
    let mut values = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut v = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    v.push('\'');
                }
                '\'' => break,
                c => v.push(c),
            }
        }
        values.push(v);
        match chars.next() {
            None => return Some(values),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

fn sqlite(col: &pg::Column) -> ColumnType {
    use ColumnType as T;
    let ty = col.sql_type.as_str();
    let lower = ty.to_ascii_lowercase();
    let default = col.default.as_ref();
    match lower.as_str() {
        "integer" => {
            return if matches!(default, Some(pg::Default::Bool(_))) {
                T::core("integer", Data::Bool).opt("mode", words::string("boolean"))
            } else {
                T::core("integer", Data::Number)
            };
        }
        "real" => return T::core("real", Data::Number),
        "numeric" => return numeric(T::core("numeric", Data::Text), default),
        "text" => return T::core("text", Data::Text),
        "blob" => return T::core("blob", Data::Other),
        _ => {}
    }
    if let Some(a) = args(&lower, "text")
        && let [n] = a.as_slice()
        && let Some(n) = uint(n)
    {
        return T::core("text", Data::Text).opt("length", n);
    }
    T::custom(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(ty: &str) -> pg::Column {
        pg::Column {
            name: "c".into(),
            sql_type: ty.into(),
            type_schema: None,
            primary_key: false,
            not_null: false,
            generated: None,
            identity: None,
            default: None,
            autoincrement: None,
            on_update: None,
        }
    }

    fn call(dialect: Dialect, ty: &str) -> String {
        let t = map(dialect, &column(ty), &Map::default());
        let name = match &t.builder {
            Builder::Core(n) => n.to_string(),
            Builder::Enum(k) => k.clone(),
            Builder::Custom(c) => format!("custom:{c}"),
        };
        let opts: Vec<String> = t.options.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let arrays: Vec<String> = t
            .arrays
            .iter()
            .map(|a| format!("[{}]", a.clone().unwrap_or_default()))
            .collect();
        format!("{name}({}){}", opts.join(","), arrays.concat())
    }

    #[test]
    fn postgres_types() {
        let pg = |t| call(Dialect::Postgresql, t);
        assert_eq!(pg("varchar(320)"), "varchar(length=320)");
        assert_eq!(pg("numeric(12, 2)"), "numeric(precision=12,scale=2)");
        assert_eq!(
            pg("timestamp (3) with time zone"),
            "timestamp(precision=3,withTimezone=true)"
        );
        assert_eq!(pg("timestamp(3)"), "timestamp(precision=3,mode=\"string\")");
        assert_eq!(
            pg("time(2) with time zone"),
            "time(precision=2,withTimezone=true)"
        );
        assert_eq!(
            pg("interval day to second(3)"),
            "interval(fields=\"day to second\",precision=3)"
        );
        assert_eq!(pg("integer[][3]"), "integer()[][3]");
        assert_eq!(pg("vector(3)"), "vector(dimensions=3)");
        assert_eq!(pg("citext[]"), "custom:citext()[]");
        assert_eq!(pg("timestamp (3) foo"), "custom:timestamp (3) foo()");
    }

    #[test]
    fn mysql_and_sqlite_types() {
        let my = |t| call(Dialect::Mysql, t);
        assert_eq!(my("int unsigned"), "int(unsigned=true)");
        assert_eq!(my("decimal(10,2)"), "decimal(precision=10,scale=2)");
        assert_eq!(my("real(8, 2)"), "real(precision=8,scale=2)");
        assert_eq!(my("real(8,2)"), "custom:real(8,2)()");
        assert_eq!(my("datetime(3)"), "datetime(mode=\"string\",fsp=3)");
        assert_eq!(my("enum('a','o''b')"), "mysqlEnum()");
        assert_eq!(mysql_enum_values("enum('a','o''b')").unwrap(), ["a", "o'b"]);
        assert_eq!(my("geometry"), "custom:geometry()");
        let lite = |t| call(Dialect::Sqlite, t);
        assert_eq!(lite("text(10)"), "text(length=10)");
        assert_eq!(lite("varchar(10)"), "custom:varchar(10)()");
    }
}
