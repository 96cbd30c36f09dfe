//! Run-time values of the schema program.
//!
//! The evaluator is a partial JavaScript interpreter: it knows the values schema files build
//! (literals, objects, arrays, functions, Drizzle builders) and represents everything else as
//! [`Value::Opaque`], which is fine until it reaches SQL.

use crate::syntax::ast::Atom;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use indexmap::IndexMap;

use super::drizzle::Host;
use super::{Builtin, ModuleId};
use crate::diagnostics::Location;
use crate::syntax::ast;

#[derive(Clone)]
pub enum Value<'a> {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    /// A bigint literal's decimal digits.
    BigInt(Atom),
    Str(Atom),
    Array(Rc<RefCell<Vec<Value<'a>>>>),
    Object(Rc<RefCell<Object<'a>>>),
    Function(Rc<Closure<'a>>),
    /// A function or namespace implemented by schemac (JavaScript globals, Drizzle exports).
    Builtin(Rc<Builtin<'a>>),
    /// A Drizzle object: a column builder, table, enum, index, `sql` fragment, ...
    Host(Rc<Host<'a>>),
    /// A class (`eval/class.rs`).
    Class(Rc<Class<'a>>),
    /// A value schemac cannot know at compile time.
    Opaque(Rc<Opaque>),
}

/// A class: its declaration, the scope it closes over, and its static members.
pub struct Class<'a> {
    pub decl: &'a ast::ClassDecl,
    pub env: super::interp::Env<'a>,
    pub module: ModuleId,
    /// What it `extends`: a class, or an unknown value.
    pub parent: Option<Value<'a>>,
    /// The methods its instances share (the prototype); inherited ones through its `proto`.
    pub prototype: Value<'a>,
    /// Static members, and properties assigned onto the class.
    pub statics: RefCell<Props<'a>>,
}

/// Why a value is unknown, and where it came from.
#[derive(Debug, Clone)]
pub struct Opaque {
    pub reason: OpaqueReason,
    pub origin: Option<Location>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpaqueReason {
    /// Imported from an npm package whose code schemac does not run.
    External { package: String, name: String },
    /// A Drizzle or JavaScript helper that only exists at run time.
    RuntimeOnly(String),
    /// Something schemac does not evaluate, e.g. `Date.now()`.
    Unsupported(String),
    /// The result of an expression that already failed with an error; never reported again.
    Poisoned,
    /// The result of a function call whose code branched on an unknown value.
    Undecided(String),
}

impl Opaque {
    pub fn describe(&self) -> String {
        match &self.reason {
            OpaqueReason::External { package, name } => {
                format!("`{name}` from the package `{package}`, whose code schemac does not run")
            }
            OpaqueReason::RuntimeOnly(what) => format!("{what}, which only exists at run time"),
            OpaqueReason::Unsupported(what) => what.clone(),
            OpaqueReason::Poisoned => "a value that failed to evaluate".into(),
            OpaqueReason::Undecided(what) => what.clone(),
        }
    }
}

/// An object's properties in insertion order (keys hashed with FxHash: they are short names).
pub type Props<'a> = IndexMap<Atom, Value<'a>, rustc_hash::FxBuildHasher>;

/// A JavaScript object: properties in insertion order.
#[derive(Clone, Default)]
pub struct Object<'a> {
    pub props: Props<'a>,
    /// For an object schemac knows only in part (a stand-in for a package's value): what every
    /// other property is.
    pub rest: Option<Rc<Opaque>>,
    /// The object properties not found here are read from: a class instance's methods.
    pub proto: Option<Value<'a>>,
}

/// A function defined in the schema program, with the scope it closes over.
pub struct Closure<'a> {
    pub func: &'a ast::Function,
    pub env: super::interp::Env<'a>,
    pub module: ModuleId,
    /// `this` captured by an arrow function, or bound for a method.
    pub this: Option<Value<'a>>,
    /// Properties assigned onto the function (`fn.helper = ...`, `Object.assign(fn, ...)`):
    /// a JavaScript function is an object.
    pub props: RefCell<Props<'a>>,
}

impl<'a> Value<'a> {
    pub fn str(s: &str) -> Value<'a> {
        Value::Str(Atom::from(s))
    }

    pub fn array(items: Vec<Value<'a>>) -> Value<'a> {
        Value::Array(Rc::new(RefCell::new(items)))
    }

    pub fn object(props: Props<'a>) -> Value<'a> {
        Value::Object(Rc::new(RefCell::new(Object {
            props,
            rest: None,
            proto: None,
        })))
    }

    pub fn host(h: Host<'a>) -> Value<'a> {
        Value::Host(Rc::new(h))
    }

    pub fn poisoned() -> Value<'a> {
        Value::Opaque(Rc::new(Opaque {
            reason: OpaqueReason::Poisoned,
            origin: None,
        }))
    }

    pub fn opaque(reason: OpaqueReason, origin: Option<Location>) -> Value<'a> {
        Value::Opaque(Rc::new(Opaque { reason, origin }))
    }

    pub fn is_poisoned(&self) -> bool {
        matches!(self, Value::Opaque(o) if o.reason == OpaqueReason::Poisoned)
    }

    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null)
    }

    /// JavaScript `typeof`.
    pub fn type_of(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "object",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::BigInt(_) => "bigint",
            Value::Str(_) => "string",
            Value::Function(_) | Value::Class(_) => "function",
            Value::Builtin(b) if b.is_callable() => "function",
            Value::Host(h) if h.is_callable() => "function",
            _ => "object",
        }
    }

    /// JavaScript truthiness. Opaque values count as true (an object).
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::BigInt(s) => &**s != "0",
            Value::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// A short description for error messages: "a string", "an object", "a column builder".
    pub fn kind_name(&self) -> String {
        match self {
            Value::Undefined => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(_) => "a boolean".into(),
            Value::Number(_) => "a number".into(),
            Value::BigInt(_) => "a bigint".into(),
            Value::Str(_) => "a string".into(),
            Value::Array(_) => "an array".into(),
            Value::Object(_) => "an object".into(),
            Value::Function(_) => "a function".into(),
            Value::Class(c) => match &c.decl.name {
                Some(n) => format!("the class `{}`", n.name),
                None => "a class".into(),
            },
            Value::Builtin(b) => b.kind_name(),
            Value::Host(h) => h.kind_name(),
            Value::Opaque(o) => o.describe(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Reads `obj[key]` of a plain object; `None` for other values.
    pub fn get_prop(&self, key: &str) -> Option<Value<'a>> {
        match self {
            Value::Object(o) => o.borrow().props.get(key).cloned(),
            _ => None,
        }
    }

    /// Defines an own property of an object or a function (`Object.assign`,
    /// `Object.defineProperty`); `false` for other values, which are left as they are.
    pub fn define_own(&self, key: Atom, value: Value<'a>) -> bool {
        match self {
            Value::Object(o) => o.borrow_mut().props.insert(key, value),
            Value::Function(c) => c.props.borrow_mut().insert(key, value),
            Value::Class(c) => c.statics.borrow_mut().insert(key, value),
            Value::Host(h) if let Host::Column(cell) = &**h => cell
                .borrow_mut()
                .own
                .get_or_insert_default()
                .insert(key, value),
            _ => return false,
        };
        true
    }

    /// Same value, as JavaScript's `===` sees it (objects by identity).
    pub fn strict_eq(&self, other: &Value<'a>) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::BigInt(a), Value::BigInt(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            (Value::Function(a), Value::Function(b)) => Rc::ptr_eq(a, b),
            (Value::Class(a), Value::Class(b)) => Rc::ptr_eq(a, b),
            (Value::Host(a), Value::Host(b)) => Rc::ptr_eq(a, b),
            (Value::Builtin(a), Value::Builtin(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// `==`: strict equality plus `null == undefined` and number/string coercion.
    pub fn loose_eq(&self, other: &Value<'a>) -> bool {
        match (self, other) {
            (a, b) if a.is_nullish() && b.is_nullish() => true,
            (Value::Number(a), Value::Str(b)) | (Value::Str(b), Value::Number(a)) => {
                to_number_str(b) == *a
            }
            (Value::Bool(a), b) | (b, Value::Bool(a)) => {
                Value::Number(if *a { 1.0 } else { 0.0 }).loose_eq(b)
            }
            _ => self.strict_eq(other),
        }
    }

    /// `ToNumber` for primitives; `None` for values schemac cannot convert.
    pub fn to_number(&self) -> Option<f64> {
        Some(match self {
            Value::Undefined => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Number(n) => *n,
            Value::Str(s) => to_number_str(s),
            Value::BigInt(s) => s.parse().ok()?,
            Value::Array(a) => {
                let a = a.borrow();
                match a.len() {
                    0 => 0.0,
                    1 => a[0].to_number()?,
                    _ => f64::NAN,
                }
            }
            // A date is its time value (`+date`, `a - b`).
            Value::Host(h) if let Host::Date(ms) = **h => ms,
            _ => return None,
        })
    }

    /// `ToString` for values with a JavaScript string form; `None` for host and opaque values.
    pub fn to_js_string(&self) -> Option<String> {
        Some(match self {
            Value::Undefined => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => number_to_string(*n),
            Value::BigInt(s) => s.to_string(),
            Value::Str(s) => s.to_string(),
            Value::Array(a) => {
                let mut out = String::new();
                for (i, v) in a.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !v.is_nullish() {
                        out.push_str(&v.to_js_string()?);
                    }
                }
                out
            }
            Value::Object(_) => "[object Object]".into(),
            Value::Host(h) => return h.to_js_string(),
            _ => return None,
        })
    }
}

/// `Number("...")` for a string.
pub fn to_number_str(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let parse_radix = |digits: &str, radix: u32| {
        u64::from_str_radix(digits, radix)
            .map(|v| v as f64)
            .unwrap_or(f64::NAN)
    };
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return parse_radix(h, 16);
    }
    if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return parse_radix(b, 2);
    }
    if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return parse_radix(o, 8);
    }
    match t {
        "Infinity" | "+Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        _ if t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) => {
            t.parse().unwrap_or(f64::NAN)
        }
        _ => f64::NAN,
    }
}

/// JavaScript's `Number.prototype.toString()`: the shortest digits that round-trip (which Rust's
/// `{:e}` also gives), laid out by ECMAScript's Number::toString rules.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let k = digits.len() as i64;
    // The decimal point sits after `point` digits: value = 0.digits × 10^point.
    let point = exp.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let e = point - 1;
        let mut out = digits[..1].to_string();
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{}", if e >= 0 { "+" } else { "-" }, e.abs());
        out
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_does() {
        assert_eq!(number_to_string(1.0), "1");
        assert_eq!(number_to_string(-12.5), "-12.5");
        assert_eq!(number_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(9007199254740993.0), "9007199254740992");
        assert_eq!(
            number_to_string(9223372036854775808.0),
            "9223372036854776000"
        );
        assert_eq!(number_to_string(0.00000015), "1.5e-7");
        assert_eq!(number_to_string(0.000001), "0.000001");
        assert_eq!(number_to_string(123.456), "123.456");
        assert_eq!(number_to_string(-1e-7), "-1e-7");
        assert_eq!(number_to_string(1.5e300), "1.5e+300");
    }

    #[test]
    fn strings_convert_to_numbers() {
        assert_eq!(to_number_str(" 42 "), 42.0);
        assert_eq!(to_number_str("0x1F"), 31.0);
        assert!(to_number_str("abc").is_nan());
        assert_eq!(to_number_str(""), 0.0);
    }
}
