//! JavaScript's globals and the methods of arrays, strings, numbers and objects — the part of
//! the standard library schema files use. Anything else evaluates to an opaque value, which is
//! only an error if it reaches SQL.

use crate::syntax::ast::Atom;
use std::cell::RefCell;
use std::rc::Rc;

use super::interp::{Flow, R};
use super::value::{OpaqueReason, Props, Value, number_to_string, to_number_str};
use super::{Args, Builtin, Evaluator};
use crate::diagnostics::codes;
use crate::span::Span;

/// The prefix of the strings that stand for symbols (`Symbol.for('x')`).
pub const SYMBOL_PREFIX: &str = "\u{0}symbol:";

/// What JavaScript's `encodeURIComponent` escapes: everything but letters, digits and
/// `-_.!~*'()`.
const URI_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

fn encode_uri_component(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, URI_COMPONENT).to_string()
}

/// JavaScript's `decodeURIComponent` (a malformed escape is kept as written).
fn decode_uri_component(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Global names with a meaning in schemac.
const GLOBALS: &[&str] = &[
    "Object",
    "Array",
    "JSON",
    "Math",
    "Number",
    "String",
    "Boolean",
    "BigInt",
    "parseInt",
    "parseFloat",
    "isNaN",
    "isFinite",
    "process",
    "console",
    "Date",
    "Symbol",
    "Map",
    "Set",
    "WeakMap",
    "Promise",
    "Error",
    "TypeError",
    "RangeError",
    "RegExp",
    "crypto",
    "Buffer",
    "require",
    "module",
    "exports",
    "globalThis",
    "encodeURIComponent",
    "decodeURIComponent",
    "structuredClone",
    "__dirname",
    "__filename",
    "URL",
    "path",
    "url",
    "global",
    // Web and Node.js globals that only exist at run time: opaque, an error only if they reach SQL.
    "TextEncoder",
    "TextDecoder",
    "Intl",
    "URLSearchParams",
    "fetch",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "Reflect",
    "Proxy",
    "WeakSet",
    "WeakRef",
    "performance",
    "queueMicrotask",
    "AbortController",
    "Headers",
    "Request",
    "Response",
    "FormData",
    "Blob",
    "atob",
    "btoa",
    "Uint8Array",
    "ArrayBuffer",
    "DataView",
    "Function",
    // The rest of Node.js 20's globals.
    "File",
    "BroadcastChannel",
    "EventTarget",
    "Event",
    "CustomEvent",
    "ReadableStream",
    "WritableStream",
    "TransformStream",
    "ReadableStreamDefaultReader",
    "TextEncoderStream",
    "TextDecoderStream",
    "ByteLengthQueuingStrategy",
    "CountQueuingStrategy",
    "CompressionStream",
    "DecompressionStream",
    "MessageChannel",
    "MessagePort",
    "MessageEvent",
    "DOMException",
    "AbortSignal",
    "SharedArrayBuffer",
    "Atomics",
    "WebAssembly",
    "setImmediate",
    "clearImmediate",
    "PerformanceObserver",
    "PerformanceEntry",
    "FinalizationRegistry",
    "AggregateError",
    "EvalError",
    "ReferenceError",
    "SyntaxError",
    "URIError",
    "Int8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "Float32Array",
    "Float64Array",
    "BigInt64Array",
    "BigUint64Array",
    "encodeURI",
    "decodeURI",
    "escape",
    "unescape",
    "navigator",
    "WebSocket",
    "Iterator",
    "Bun",
    "Deno",
];

pub fn is_global(name: &str) -> bool {
    matches!(name, "undefined" | "NaN" | "Infinity") || GLOBALS.contains(&name)
}

/// Globals that are namespaces rather than functions.
pub fn is_namespace(name: &str) -> bool {
    matches!(
        name,
        "path"
            | "url"
            | "global"
            | "Intl"
            | "Reflect"
            | "performance"
            | "process.env"
            | "JSON"
            | "Math"
            | "process"
            | "Bun"
            | "Deno"
            | "Deno.env"
            | "console"
            | "globalThis"
            | "crypto"
            | "module"
            | "exports"
    )
}

pub fn global<'a>(name: &str) -> Option<Value<'a>> {
    match name {
        "undefined" => Some(Value::Undefined),
        "NaN" => Some(Value::Number(f64::NAN)),
        "Infinity" => Some(Value::Number(f64::INFINITY)),
        _ => GLOBALS
            .iter()
            .find(|g| **g == name)
            .map(|g| Value::Builtin(Rc::new(Builtin::Global(g)))),
    }
}

/// Static members of globals, as `"Object.keys"`-style names.
const MEMBERS: &[&str] = &[
    "Object.keys",
    "Object.values",
    "Object.entries",
    "Object.fromEntries",
    "Object.assign",
    "Object.freeze",
    "Object.seal",
    "Object.getOwnPropertyNames",
    "Object.create",
    "Object.getPrototypeOf",
    "Object.defineProperty",
    "Object.defineProperties",
    "Object.getOwnPropertyDescriptor",
    "Object.hasOwn",
    "Array.isArray",
    "Array.from",
    "Array.of",
    "JSON.stringify",
    "JSON.parse",
    "Math.max",
    "Math.min",
    "Math.floor",
    "Math.ceil",
    "Math.round",
    "Math.abs",
    "Math.pow",
    "Math.sqrt",
    "Math.trunc",
    "Math.sign",
    "Math.log10",
    "Math.PI",
    "Number.isInteger",
    "Number.isFinite",
    "Number.isNaN",
    "Number.parseInt",
    "Number.parseFloat",
    "Number.MAX_SAFE_INTEGER",
    "Number.MIN_SAFE_INTEGER",
    "console.log",
    "console.warn",
    "console.error",
    "console.info",
    "console.debug",
    "Symbol.for",
    "String.raw",
    "String.fromCharCode",
    "String.fromCodePoint",
    "Date.UTC",
    "Date.parse",
    "path.join",
    "path.resolve",
    "path.dirname",
    "path.basename",
    "path.extname",
    "path.relative",
    "path.normalize",
    "path.isAbsolute",
    "url.fileURLToPath",
    "url.pathToFileURL",
    "fs.readdirSync",
    "dotenv.config",
    "dotenv.configDotenv",
    "require.resolve",
    "module.createRequire",
    "fs.existsSync",
    "fs.readFileSync",
];

pub fn builtin_member<'a>(
    ev: &mut Evaluator<'a>,
    b: &Rc<Builtin<'a>>,
    key: &str,
    span: Span,
) -> R<'a> {
    match &**b {
        Builtin::HostMethod(..)
        | Builtin::ArrayMethod(..)
        | Builtin::StringMethod(..)
        | Builtin::ObjectMethod(..)
        | Builtin::NumberMethod(..)
        | Builtin::FunctionMethod(..)
            if key == "call" || key == "apply" =>
        {
            Ok(Value::Builtin(Rc::new(Builtin::FunctionMethod(
                Value::Builtin(b.clone()),
                Atom::from(key),
            ))))
        }
        // `Object.assign.apply(null, arguments)` (tsc's ES5 `__assign`).
        Builtin::Global(g) if (key == "call" || key == "apply") && MEMBERS.contains(g) => {
            Ok(Value::Builtin(Rc::new(Builtin::FunctionMethod(
                Value::Builtin(b.clone()),
                Atom::from(key),
            ))))
        }
        Builtin::Global("module") if key == "exports" => Ok(ev.cjs_exports_object()),
        Builtin::Global("process") => Ok(match key {
            "env" => Value::Builtin(Rc::new(Builtin::Global("process.env"))),
            "platform" => Value::str("linux"),
            "cwd" => Value::Builtin(Rc::new(Builtin::Global("process.cwd"))),
            "loadEnvFile" => Value::Builtin(Rc::new(Builtin::Global("process.loadEnvFile"))),
            _ => Value::opaque(
                OpaqueReason::RuntimeOnly(format!("`process.{key}`")),
                Some(ev.location(span)),
            ),
        }),
        // Bun's `Bun.env` is `process.env`; Deno's environment is read with `Deno.env.get(name)`.
        Builtin::Global("Bun") if key == "env" => {
            Ok(Value::Builtin(Rc::new(Builtin::Global("process.env"))))
        }
        Builtin::Global("Deno") if key == "env" => {
            Ok(Value::Builtin(Rc::new(Builtin::Global("Deno.env"))))
        }
        Builtin::Global("Deno") if key == "cwd" => {
            Ok(Value::Builtin(Rc::new(Builtin::Global("Deno.cwd"))))
        }
        Builtin::Global("Deno.env") if matches!(key, "get" | "has" | "toObject") => {
            Ok(Value::Builtin(Rc::new(Builtin::Global(match key {
                "get" => "Deno.env.get",
                "has" => "Deno.env.has",
                _ => "Deno.env.toObject",
            }))))
        }
        Builtin::Global(g @ ("Bun" | "Deno" | "Deno.env")) => Ok(Value::opaque(
            OpaqueReason::RuntimeOnly(format!("`{g}.{key}`")),
            Some(ev.location(span)),
        )),
        // `process.env.X`: unset variables are remembered, so a config that fails because of
        // one can say which.
        Builtin::Global("process.env") => Ok(match ev.env_overlay.get(key).or(ev.env.get(key)) {
            Some(v) => Value::str(v),
            None => {
                ev.missing_env.push((key.to_string(), ev.location(span)));
                Value::Undefined
            }
        }),
        // zod: only `z.enum([...])` and `z.nativeEnum(E)` are known (their values are used for
        // pgEnum); every other schema builder is opaque.
        Builtin::Global("zod") => Ok(match key {
            "z" | "default" | "coerce" => Value::Builtin(b.clone()),
            "enum" => Value::Builtin(Rc::new(Builtin::Global("zod.enum"))),
            "nativeEnum" => Value::Builtin(Rc::new(Builtin::Global("zod.nativeEnum"))),
            // Schema makers (`z.string()`, `z.coerce.number()`, `z.object({...})`): a schema
            // whose default is known.
            "object" | "strictObject" | "looseObject" => {
                Value::Builtin(Rc::new(Builtin::Global("zod.object")))
            }
            k if k.starts_with(|c: char| c.is_ascii_lowercase()) => {
                Value::Builtin(Rc::new(Builtin::Global("zod.schema")))
            }
            _ => Value::opaque(
                OpaqueReason::External {
                    package: "zod".into(),
                    name: key.into(),
                },
                Some(ev.location(span)),
            ),
        }),
        Builtin::Global("globalThis" | "global") => Ok(ev
            .globals
            .get(key)
            .cloned()
            .or_else(|| global(key))
            .unwrap_or(Value::Undefined)),
        Builtin::Global("path") if key == "sep" => Ok(Value::str("/")),
        Builtin::Global("path") if key == "delimiter" => Ok(Value::str(":")),
        Builtin::Global("path") if key == "posix" => Ok(Value::Builtin(b.clone())),
        Builtin::Global("Math") if key == "PI" => Ok(Value::Number(std::f64::consts::PI)),
        // Well-known symbols (`get [Symbol.toStringTag]()` in a class), as property keys.
        Builtin::Global("Symbol")
            if matches!(
                key,
                "iterator" | "asyncIterator" | "toStringTag" | "toPrimitive" | "hasInstance"
            ) =>
        {
            Ok(Value::str(&format!("{SYMBOL_PREFIX}Symbol.{key}")))
        }
        Builtin::Global("Number") if key == "MAX_SAFE_INTEGER" => {
            Ok(Value::Number(9007199254740991.0))
        }
        Builtin::Global("Number") if key == "MIN_SAFE_INTEGER" => {
            Ok(Value::Number(-9007199254740991.0))
        }
        Builtin::Global(g) => {
            let full = format!("{g}.{key}");
            match MEMBERS.iter().find(|m| **m == full) {
                Some(m) => Ok(Value::Builtin(Rc::new(Builtin::Global(m)))),
                // The clock and randomness: values of the running program.
                None if matches!(*g, "Date" | "Math" | "performance" | "crypto") => {
                    Ok(Value::opaque(
                        OpaqueReason::RuntimeOnly(format!("`{full}`")),
                        Some(ev.location(span)),
                    ))
                }
                None => Ok(Value::opaque(
                    OpaqueReason::Unsupported(format!("`{full}`")),
                    Some(ev.location(span)),
                )),
            }
        }
        Builtin::Drizzle { .. } | Builtin::DrizzleNamespace(_) => {
            super::drizzle::builtin_member(ev, b, key, span)
        }
        _ => Ok(Value::Undefined),
    }
}

pub fn array_method<'a>(a: &Rc<RefCell<Vec<Value<'a>>>>, key: &str) -> Value<'a> {
    const METHODS: &[&str] = &[
        "map",
        "filter",
        "forEach",
        "reduce",
        "find",
        "findIndex",
        "findLast",
        "some",
        "every",
        "includes",
        "indexOf",
        "join",
        "concat",
        "slice",
        "flat",
        "flatMap",
        "push",
        "pop",
        "shift",
        "unshift",
        "reverse",
        "sort",
        "keys",
        "values",
        "entries",
        "at",
        "toString",
        "fill",
        "lastIndexOf",
        "toSorted",
        "toReversed",
        "splice",
        "toSpliced",
        "with",
        "reduceRight",
        "findLastIndex",
    ];
    if METHODS.contains(&key) {
        Value::Builtin(Rc::new(Builtin::ArrayMethod(a.clone(), Atom::from(key))))
    } else {
        Value::Undefined
    }
}

pub fn string_method<'a>(s: &Atom, key: &str) -> Value<'a> {
    const METHODS: &[&str] = &[
        "toLowerCase",
        "toUpperCase",
        "trim",
        "trimStart",
        "trimEnd",
        "startsWith",
        "endsWith",
        "includes",
        "indexOf",
        "lastIndexOf",
        "slice",
        "substring",
        "substr",
        "split",
        "replace",
        "replaceAll",
        "match",
        "matchAll",
        "search",
        "padStart",
        "padEnd",
        "repeat",
        "charAt",
        "charCodeAt",
        "codePointAt",
        "concat",
        "at",
        "toString",
        "valueOf",
        "localeCompare",
        "normalize",
        "toLocaleLowerCase",
        "toLocaleUpperCase",
    ];
    if METHODS.contains(&key) {
        Value::Builtin(Rc::new(Builtin::StringMethod(s.clone(), Atom::from(key))))
    } else {
        Value::Undefined
    }
}

/// `toString`, `valueOf` and `toLocaleString` of a bigint (its decimal digits).
pub fn bigint_method<'a>(digits: &Atom, key: &str) -> Value<'a> {
    if matches!(key, "toString" | "valueOf" | "toLocaleString") {
        Value::Builtin(Rc::new(Builtin::BigIntMethod(
            digits.clone(),
            Atom::from(key),
        )))
    } else {
        Value::Undefined
    }
}

pub fn number_method<'a>(n: f64, key: &str) -> Value<'a> {
    if matches!(key, "toString" | "toFixed" | "toPrecision" | "valueOf") {
        Value::Builtin(Rc::new(Builtin::NumberMethod(n, Atom::from(key))))
    } else {
        Value::Undefined
    }
}

pub fn object_method<'a>(obj: &Value<'a>, key: &str) -> Option<Value<'a>> {
    let search_params =
        matches!(key, "get" | "getAll" | "has") && obj.get_prop(SEARCH_PARAMS).is_some();
    (matches!(key, "hasOwnProperty" | "toString") || search_params)
        .then(|| Value::Builtin(Rc::new(Builtin::ObjectMethod(obj.clone(), Atom::from(key)))))
}

fn num_arg<'a>(ev: &Evaluator<'a>, args: &Args<'a>, i: usize) -> R<'a, f64> {
    let v = args.get(i);
    v.to_number().ok_or_else(|| {
        ev.error(
            codes::BAD_OPERATION,
            args.span(i),
            format!("expected a number, found {}", v.kind_name()),
            "not a number",
        )
    })
}

fn str_arg<'a>(ev: &mut Evaluator<'a>, args: &Args<'a>, i: usize) -> R<'a, Option<String>> {
    ev.stringify(&args.get(i), args.span(i))
}

/// Calls a builtin function.
pub fn call<'a>(
    ev: &mut Evaluator<'a>,
    b: &Rc<Builtin<'a>>,
    this: Option<Value<'a>>,
    args: Args<'a>,
) -> R<'a> {
    // An opaque argument makes the result opaque for pure functions.
    match &**b {
        Builtin::Global(g) => call_global(ev, g, args),
        // `Array.prototype.slice.call(list, 1)`: the method of the array given as `this`.
        Builtin::ArrayMethod(a, m) => match &this {
            Some(Value::Array(other)) if !Rc::ptr_eq(a, other) => call_array(ev, other, m, args),
            _ => call_array(ev, a, m, args),
        },
        Builtin::StringMethod(s, m) => call_string(ev, s, m, args),
        Builtin::NumberMethod(n, m) => Ok(match &**m {
            "toFixed" => {
                let d = args.get(0).to_number().unwrap_or(0.0).clamp(0.0, 100.0) as usize;
                Value::str(&format!("{n:.d$}"))
            }
            "toString" if !args.is_empty() => {
                let radix = num_arg(ev, &args, 0)? as u32;
                if !(2..=36).contains(&radix) {
                    return Err(ev.error(
                        codes::BAD_OPERATION,
                        args.span(0),
                        "toString() radix must be between 2 and 36",
                        "this radix",
                    ));
                }
                if radix != 10 && n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
                    Value::str(&integer_in_radix(*n as i64, radix))
                } else if radix != 10 && n.is_finite() {
                    return Err(ev.error(
                        codes::BAD_OPERATION,
                        args.span(0),
                        "schemac writes fractions in base 10 only",
                        "this radix",
                    ));
                } else {
                    Value::str(&number_to_string(*n))
                }
            }
            "toPrecision" if !matches!(args.get(0), Value::Undefined) => {
                let p = num_arg(ev, &args, 0)?;
                if !(1.0..=100.0).contains(&p) {
                    return Err(ev.error(
                        codes::BAD_OPERATION,
                        args.span(0),
                        "toPrecision() argument must be between 1 and 100",
                        "here",
                    ));
                }
                Value::str(&to_precision(*n, p as usize))
            }
            "valueOf" => Value::Number(*n),
            _ => Value::str(&number_to_string(*n)),
        }),
        Builtin::BigIntMethod(digits, m) => Ok(match &**m {
            "valueOf" => Value::BigInt(digits.clone()),
            _ if !matches!(args.get(0), Value::Undefined)
                && args.get(0).to_number() != Some(10.0) =>
            {
                return Err(ev.error(
                    codes::BAD_OPERATION,
                    args.span(0),
                    "schemac writes bigints in base 10 only",
                    "this radix",
                ));
            }
            _ => Value::Str(digits.clone()),
        }),
        // Called with another `this` (`hasOwnProperty.call(other, k)`): a method of that object.
        Builtin::ObjectMethod(obj, m) => Ok(match &**m {
            _ if let Some(other) = this
                .as_ref()
                .filter(|t| !t.strict_eq(obj) && !t.is_nullish()) =>
            {
                return call(
                    ev,
                    &Rc::new(Builtin::ObjectMethod(other.clone(), m.clone())),
                    None,
                    args,
                );
            }
            "get" | "getAll" | "has" | "toString"
                if let Some(v) =
                    search_params_method(obj, m, args.get(0).to_js_string().as_deref()) =>
            {
                v
            }
            "hasOwnProperty" => {
                let key = args.get(0).to_js_string().unwrap_or_default();
                Value::Bool(ev.keys_of(obj).iter().any(|k| **k == *key))
            }
            _ => Value::str("[object Object]"),
        }),
        Builtin::Drizzle { .. } | Builtin::DrizzleNamespace(_) | Builtin::HostMethod(..) => {
            super::drizzle::call_builtin(ev, b, this, args)
        }
        Builtin::SuperCall(class, target, this) => ev.super_call(class, target, this, args),
        Builtin::FunctionMethod(f, m) => {
            let this = args.get(0);
            let (values, spans): (Vec<_>, Vec<_>) = if &**m == "apply" {
                let items = match args.get(1) {
                    Value::Undefined | Value::Null => Vec::new(),
                    v => ev.iterate(&v, args.span(1))?,
                };
                let spans = vec![args.span(1); items.len()];
                (items, spans)
            } else {
                (
                    args.values.iter().skip(1).cloned().collect(),
                    args.spans.iter().skip(1).copied().collect(),
                )
            };
            ev.call(f, Some(this), Args::new(values, spans, args.call))
        }
    }
}

/// `Object.defineProperty(target, key, desc)`: a data property (`{ value }`) or an accessor
/// (`{ get }`).
fn define_property<'a>(
    ev: &mut Evaluator<'a>,
    target: &Value<'a>,
    key: Atom,
    desc: &Value<'a>,
    span: Span,
) {
    let Value::Object(d) = desc else { return };
    let (value, getter) = {
        let d = d.borrow();
        (d.props.get("value").cloned(), d.props.get("get").cloned())
    };
    match (value, getter) {
        (Some(v), _) => {
            target.define_own(key, v);
        }
        (None, Some(f @ Value::Function(_))) => {
            ev.define_accessor(target, key, f, span);
        }
        _ => {}
    }
}

fn call_global<'a>(ev: &mut Evaluator<'a>, g: &str, args: Args<'a>) -> R<'a> {
    let a0 = args.get(0);
    if let Value::Opaque(_) = a0
        && !g.starts_with("console.")
    {
        return Ok(a0);
    }
    Ok(match g {
        "Object.keys" | "Object.getOwnPropertyNames" => {
            Value::array(ev.string_keys_of(&a0).into_iter().map(Value::Str).collect())
        }
        "Object.values" => {
            let mut out = Vec::new();
            for k in ev.string_keys_of(&a0) {
                out.push(ev.get(&a0, &k, args.span(0))?);
            }
            Value::array(out)
        }
        "Object.entries" => {
            let mut out = Vec::new();
            for k in ev.string_keys_of(&a0) {
                let v = ev.get(&a0, &k, args.span(0))?;
                out.push(Value::array(vec![Value::Str(k), v]));
            }
            Value::array(out)
        }
        "Object.fromEntries" => {
            let mut props = Props::default();
            for entry in ev.iterate(&a0, args.span(0))? {
                let k = ev.get(&entry, "0", args.span(0))?;
                let v = ev.get(&entry, "1", args.span(0))?;
                let k = ev.stringify(&k, args.span(0))?.unwrap_or_default();
                props.insert(Atom::from(k.as_str()), v);
            }
            Value::object(props)
        }
        // The target may be a function: `Object.assign(() => ..., { helper })`.
        "Object.assign" => {
            let column =
                |h: &Rc<super::drizzle::Host<'a>>| matches!(**h, super::drizzle::Host::Column(_));
            if !matches!(&a0, Value::Object(_) | Value::Function(_) | Value::Class(_))
                && !matches!(&a0, Value::Host(h) if column(h))
            {
                return Ok(a0);
            }
            for (i, src) in args.values.iter().enumerate().skip(1) {
                for k in ev.keys_of(src) {
                    let v = ev.get(src, &k, args.span(i))?;
                    a0.define_own(k, v);
                }
            }
            a0
        }
        "Object.freeze" | "Object.seal" => a0,
        // A data property (`{ value }`), as compiled CommonJS modules write `__esModule`, or an
        // accessor (`{ get }`, how tsc and swc export; see `Evaluator::define_accessor`).
        "Object.defineProperty" => {
            if let Some(k) = args.get(1).as_str() {
                define_property(ev, &a0, Atom::from(k), &args.get(2), args.call);
            }
            a0
        }
        // Babel's tagged templates: `Object.defineProperties(strings, { raw: { value } })`.
        "Object.defineProperties" => {
            let descs = args.get(1);
            for k in ev.string_keys_of(&descs) {
                let desc = ev.get(&descs, &k, args.span(1))?;
                define_property(ev, &a0, k, &desc, args.call);
            }
            a0
        }
        // `{ get }` for an accessor, `{ value, ... }` for any other own property.
        "Object.getOwnPropertyDescriptor" => {
            let Some(k) = args.get(1).as_str().map(Atom::from) else {
                return Ok(Value::Undefined);
            };
            let mut desc = Props::default();
            if let Some(getter) = ev.accessor_getter(&a0, &k) {
                desc.insert(Atom::from("get"), getter);
                desc.insert(Atom::from("set"), Value::Undefined);
            } else if ev.keys_of(&a0).contains(&k) {
                let v = ev.get(&a0, &k, args.span(1))?;
                desc.insert(Atom::from("value"), v);
                desc.insert(Atom::from("writable"), Value::Bool(true));
            } else {
                return Ok(Value::Undefined);
            }
            desc.insert(Atom::from("enumerable"), Value::Bool(true));
            desc.insert(Atom::from("configurable"), Value::Bool(true));
            Value::object(desc)
        }
        // Env files loaded while the program runs: dotenv's `config({ path, override })` (a
        // missing file is no error) and Node's `process.loadEnvFile(path)` (it throws).
        "dotenv.config" | "dotenv.configDotenv" | "process.loadEnvFile" => {
            return load_env_files(ev, g == "process.loadEnvFile", &args);
        }
        "process.cwd" | "Deno.cwd" => Value::str(&ev.cwd.to_string_lossy()),
        "Deno.env.get" | "Deno.env.has" => {
            let Some(key) = args.get(0).as_str().map(Atom::from) else {
                return Ok(Value::Undefined);
            };
            let env = Value::Builtin(Rc::new(Builtin::Global("process.env")));
            let v = ev.get(&env, &key, args.span(0))?;
            if g == "Deno.env.has" {
                Value::Bool(!matches!(v, Value::Undefined))
            } else {
                v
            }
        }
        "Deno.env.toObject" => {
            let env = Value::Builtin(Rc::new(Builtin::Global("process.env")));
            let mut props = Props::default();
            for k in ev.keys_of(&env) {
                let v = ev.get(&env, &k, args.call)?;
                props.insert(k, v);
            }
            Value::object(props)
        }
        // Node's `fs`, read only: a config listing its schema files (`schema:
        // fs.readdirSync(dir).map(...)`), a view's SQL kept in a file. Failures throw, as in Node.
        "fs.readdirSync" | "fs.existsSync" | "fs.readFileSync" => {
            let Some(p) = args.get(0).as_str().map(str::to_string) else {
                return Ok(Value::opaque(
                    OpaqueReason::Unsupported(format!("`{g}` of a path schemac does not know")),
                    Some(ev.location(args.call)),
                ));
            };
            let path = super::node::resolve(&ev.cwd.to_string_lossy(), &[p]);
            let options = args.get(1);
            let text_wanted = options.as_str().is_some()
                || options
                    .get_prop("encoding")
                    .is_some_and(|e| e.as_str().is_some());
            let typed = options
                .get_prop("withFileTypes")
                .is_some_and(|v| v.truthy());
            let failed = |what: &str, e: std::io::Error| {
                Flow::Throw(
                    error_object(&Value::str(&format!("{what} '{path}': {e}"))),
                    ev.location(args.call),
                )
            };
            match g {
                "fs.existsSync" => Value::Bool(std::path::Path::new(&path).exists()),
                "fs.readdirSync" if typed => Value::opaque(
                    OpaqueReason::Unsupported("`fs.readdirSync` with `withFileTypes`".into()),
                    Some(ev.location(args.call)),
                ),
                "fs.readdirSync" => {
                    let entries = std::fs::read_dir(&path).map_err(|e| failed("cannot list", e))?;
                    // Node (libuv) lists a folder's names sorted by their bytes.
                    let mut names: Vec<String> = entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    names.sort();
                    Value::array(names.iter().map(|n| Value::str(n)).collect())
                }
                _ if !text_wanted => Value::opaque(
                    OpaqueReason::Unsupported(
                        "`fs.readFileSync` without an encoding (a Buffer)".into(),
                    ),
                    Some(ev.location(args.call)),
                ),
                _ => Value::str(
                    &std::fs::read_to_string(&path).map_err(|e| failed("cannot read", e))?,
                ),
            }
        }
        "zod.enum" | "zod.nativeEnum" => zod_enum(ev, g == "zod.enum", &args),
        "zod.schema" | "zod.object" => Value::host(super::drizzle::Host::Zod {
            default: None,
            shape: (g == "zod.object").then(|| args.get(0)),
            transformed: false,
        }),
        g if g.starts_with("path.") || g.starts_with("url.") => {
            let mut strs = Vec::new();
            for i in 0..args.len() {
                // A URL object (`new URL(...)`) stands for its `href`.
                let arg = match args.get(i) {
                    v @ Value::Object(_) => v.get_prop("href").unwrap_or(v),
                    v => v,
                };
                match ev.stringify(&arg, args.span(i))? {
                    Some(t) => strs.push(t),
                    None => return Ok(args.get(i)),
                }
            }
            let first = strs.first().cloned().unwrap_or_default();
            let second = strs.get(1).map(String::as_str);
            let cwd = ev.cwd.to_string_lossy().into_owned();
            match g {
                "path.join" => Value::str(&super::node::join(&strs)),
                "path.resolve" => Value::str(&super::node::resolve(&cwd, &strs)),
                "path.dirname" => Value::str(&super::node::dirname(&first)),
                "path.basename" => Value::str(&super::node::basename(&first, second)),
                "path.extname" => Value::str(&super::node::extname(&first)),
                "path.relative" => {
                    Value::str(&super::node::relative(&cwd, &first, second.unwrap_or("")))
                }
                "path.normalize" => Value::str(&super::node::normalize(&first)),
                "path.isAbsolute" => Value::Bool(first.starts_with('/')),
                "url.fileURLToPath" => Value::str(&super::node::file_url_to_path(&first)),
                _ => {
                    let mut props = Props::default();
                    props.insert(Atom::from("href"), Value::str(&format!("file://{first}")));
                    props.insert(Atom::from("pathname"), Value::str(&first));
                    Value::object(props)
                }
            }
        }
        // Properties not its own are read from the prototype (`Object.create(base)`).
        "Object.create" => {
            let made = Value::object(Props::default());
            if let (Value::Object(o), Value::Object(_)) = (&made, &a0) {
                o.borrow_mut().proto = Some(a0.clone());
            }
            made
        }
        // A class instance's prototype; `null` for others (esbuild's `__toESM` makes its copy
        // of a module with `Object.create(Object.getPrototypeOf(module))`).
        "Object.getPrototypeOf" => match &a0 {
            Value::Object(o) => o.borrow().proto.clone().unwrap_or(Value::Null),
            _ => Value::Null,
        },
        "Array.isArray" => Value::Bool(matches!(a0, Value::Array(_))),
        "Object.hasOwn" => {
            let key = args.get(1).to_js_string().unwrap_or_default();
            Value::Bool(ev.keys_of(&a0).iter().any(|k| **k == *key))
        }
        "Array.from" => {
            let items = match &a0 {
                Value::Object(_) => {
                    // `Array.from({ length: n }, (_, i) => ...)`
                    let n = a0
                        .get_prop("length")
                        .and_then(|l| l.to_number())
                        .unwrap_or(0.0);
                    if n > 100_000.0 {
                        return Err(ev.error(
                            codes::EVAL_LIMIT,
                            args.span(0),
                            "array too large",
                            "here",
                        ));
                    }
                    vec![Value::Undefined; n.max(0.0) as usize]
                }
                _ => ev.iterate(&a0, args.span(0))?,
            };
            let f = args.get(1);
            if matches!(f, Value::Undefined) {
                Value::array(items)
            } else {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    out.push(ev.call(
                        &f,
                        None,
                        Args::new(
                            vec![item, Value::Number(i as f64)],
                            vec![args.span(1); 2],
                            args.call,
                        ),
                    )?);
                }
                Value::array(out)
            }
        }
        "Array.of" => Value::array(args.values.to_vec()),
        // `Array(n)`: n empty slots (`undefined` here); otherwise the arguments.
        "Array" => match args.values.as_slice() {
            [Value::Number(n)] if n.fract() == 0.0 && *n >= 0.0 && *n <= 100_000.0 => {
                Value::array(vec![Value::Undefined; *n as usize])
            }
            _ => Value::array(args.values.to_vec()),
        },
        "JSON.stringify" => match to_json(&a0) {
            Ok(j) => {
                let indent = args.get(2);
                let text = match indent.to_number() {
                    Some(n) if n > 0.0 && !matches!(indent, Value::Undefined) => {
                        let pad = " ".repeat(n as usize);
                        let mut buf = Vec::new();
                        let fmt = serde_json::ser::PrettyFormatter::with_indent(pad.as_bytes());
                        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
                        serde::Serialize::serialize(&j, &mut ser).ok();
                        String::from_utf8(buf).unwrap_or_default()
                    }
                    _ => json_text(&j),
                };
                Value::str(&text)
            }
            Err(what) => {
                return Err(ev.error(
                    codes::BAD_OPERATION,
                    args.span(0),
                    format!("schemac cannot turn {what} into JSON"),
                    "passed to JSON.stringify",
                ));
            }
        },
        "JSON.parse" => {
            let text = str_arg(ev, &args, 0)?.unwrap_or_default();
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(j) => from_json(&j),
                Err(e) => {
                    return Err(ev.error(
                        codes::THROWN,
                        args.span(0),
                        format!("invalid JSON: {e}"),
                        "parsed here",
                    ));
                }
            }
        }
        "Math.max" | "Math.min" => {
            let mut acc = if g == "Math.max" {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            for i in 0..args.len() {
                let n = num_arg(ev, &args, i)?;
                acc = if g == "Math.max" {
                    acc.max(n)
                } else {
                    acc.min(n)
                };
            }
            Value::Number(acc)
        }
        "Math.floor" => Value::Number(num_arg(ev, &args, 0)?.floor()),
        "Math.ceil" => Value::Number(num_arg(ev, &args, 0)?.ceil()),
        "Math.round" => Value::Number((num_arg(ev, &args, 0)? + 0.5).floor()),
        "Math.abs" => Value::Number(num_arg(ev, &args, 0)?.abs()),
        "Math.trunc" => Value::Number(num_arg(ev, &args, 0)?.trunc()),
        "Math.sign" => Value::Number(num_arg(ev, &args, 0)?.signum()),
        "Math.sqrt" => Value::Number(num_arg(ev, &args, 0)?.sqrt()),
        "Math.log10" => Value::Number(num_arg(ev, &args, 0)?.log10()),
        "Math.pow" => Value::Number(num_arg(ev, &args, 0)?.powf(num_arg(ev, &args, 1)?)),
        "Number" => Value::Number(if args.is_empty() {
            0.0
        } else {
            num_arg(ev, &args, 0)?
        }),
        "Number.isInteger" => Value::Bool(
            a0.as_number()
                .is_some_and(|n| n.fract() == 0.0 && n.is_finite()),
        ),
        "Number.isFinite" | "isFinite" => Value::Bool(a0.to_number().is_some_and(f64::is_finite)),
        "Number.isNaN" | "isNaN" => Value::Bool(a0.to_number().is_none_or(f64::is_nan)),
        "parseInt" | "Number.parseInt" => {
            let s = str_arg(ev, &args, 0)?.unwrap_or_default();
            // A radix of 0 or none is 10, or 16 for a `0x` prefix; one outside 2..=36 is NaN.
            let given = args.get(1).to_number().map_or(0, |r| r.trunc() as i64);
            let t = s.trim();
            let (neg, t) = t
                .strip_prefix('-')
                .map(|r| (true, r))
                .unwrap_or((false, t.strip_prefix('+').unwrap_or(t)));
            let hex = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"));
            let (radix, t) = match (given, hex) {
                (0 | 16, Some(rest)) => (16, rest),
                (0, None) => (10, t),
                (r, _) => (r, t),
            };
            if !(2..=36).contains(&radix) {
                Value::Number(f64::NAN)
            } else {
                let radix = radix as u32;
                let digits: Vec<u32> = t.chars().map_while(|c| c.to_digit(radix)).collect();
                if digits.is_empty() {
                    Value::Number(f64::NAN)
                } else {
                    let n = digits
                        .iter()
                        .fold(0.0f64, |acc, &d| acc * f64::from(radix) + f64::from(d));
                    Value::Number(if neg { -n } else { n })
                }
            }
        }
        "parseFloat" | "Number.parseFloat" => {
            let s = str_arg(ev, &args, 0)?.unwrap_or_default();
            let t = s.trim();
            let end = t
                .char_indices()
                .take_while(|(i, c)| {
                    c.is_ascii_digit()
                        || *c == '.'
                        || ((*c == '-' || *c == '+') && *i == 0)
                        || *c == 'e'
                        || *c == 'E'
                })
                .map(|(i, c)| i + c.len_utf8())
                .last()
                .unwrap_or(0);
            Value::Number(t[..end].parse().unwrap_or(f64::NAN))
        }
        "String" => match str_arg(ev, &args, 0)? {
            Some(s) if !args.is_empty() => Value::str(&s),
            _ => Value::str(""),
        },
        // Called as a function (not a tag): `String.raw({ raw: [...] }, ...values)`.
        "String.raw" => {
            let raw = args.get(0).get_prop("raw").unwrap_or(Value::Undefined);
            let pieces = ev.iterate(&raw, args.span(0))?;
            let mut out = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 && i < args.len() {
                    match ev.stringify(&args.get(i), args.span(i))? {
                        Some(s) => out.push_str(&s),
                        None => return Ok(args.get(i)),
                    }
                }
                match ev.stringify(piece, args.span(0))? {
                    Some(s) => out.push_str(&s),
                    None => return Ok(piece.clone()),
                }
            }
            Value::str(&out)
        }
        "Boolean" => Value::Bool(a0.truthy()),
        "BigInt" => match a0 {
            Value::Number(n) if n.fract() == 0.0 => {
                Value::BigInt(Atom::from(format!("{n:.0}").as_str()))
            }
            Value::Str(s) => Value::BigInt(Atom::from(s.trim())),
            Value::BigInt(_) => a0,
            _ => {
                return Err(ev.error(
                    codes::BAD_OPERATION,
                    args.span(0),
                    "cannot convert to a bigint",
                    "here",
                ));
            }
        },
        "encodeURIComponent" => match a0.as_str() {
            Some(t) => Value::str(&encode_uri_component(t)),
            None => a0,
        },
        "decodeURIComponent" => match a0.as_str() {
            Some(t) => Value::str(&decode_uri_component(t)),
            None => a0,
        },
        "structuredClone" => from_json(&to_json(&a0).unwrap_or(serde_json::Value::Null)),
        "Error" | "TypeError" | "RangeError" | "AggregateError" | "EvalError"
        | "ReferenceError" | "SyntaxError" | "URIError" => error_object(&a0),
        g if g.starts_with("console.") => Value::Undefined,
        // Well-known symbols are property keys; drizzle-orm exposes table metadata under
        "String.fromCharCode" => {
            let mut units = Vec::with_capacity(args.len());
            for i in 0..args.len() {
                // ToUint16: the number modulo 2^16.
                units.push(num_arg(ev, &args, i)?.trunc().rem_euclid(65_536.0) as u16);
            }
            Value::str(&String::from_utf16_lossy(&units))
        }
        "String.fromCodePoint" => {
            let mut out = String::new();
            for i in 0..args.len() {
                let n = num_arg(ev, &args, i)?;
                match (n.fract() == 0.0 && n >= 0.0)
                    .then(|| char::from_u32(n as u32))
                    .flatten()
                {
                    Some(c) => out.push(c),
                    None => {
                        return Err(ev.error(
                            codes::BAD_OPERATION,
                            args.span(i),
                            format!("invalid code point {}", number_to_string(n)),
                            "not a code point",
                        ));
                    }
                }
            }
            Value::str(&out)
        }
        "Date.UTC" => {
            let mut fields = Vec::with_capacity(args.len());
            for v in &args.values {
                match v {
                    Value::Opaque(_) => return Ok(v.clone()),
                    v => fields.push(v.to_number().unwrap_or(f64::NAN)),
                }
            }
            Value::Number(super::drizzle::utc_time(&fields))
        }
        // An ISO date literal; other formats are implementation-defined in JavaScript.
        "Date.parse" => match &a0 {
            Value::Opaque(_) => a0,
            v => Value::Number(
                v.as_str()
                    .and_then(super::drizzle::parse_iso_date)
                    .unwrap_or(f64::NAN),
            ),
        },
        // `Symbol.for('drizzle:Name')` and friends. A symbol is represented by a string no
        // source text can spell (it starts with NUL).
        "Symbol.for" => match a0.as_str() {
            Some(d) => Value::str(&format!("{SYMBOL_PREFIX}{d}")),
            None => Value::opaque(
                OpaqueReason::Unsupported("a symbol".into()),
                Some(ev.location(args.call)),
            ),
        },
        // `Symbol('x')`: a key no other call site makes (a call site makes the same one each
        // time it runs, which schema files never tell apart).
        "Symbol" => {
            let at = ev.location(args.call);
            Value::str(&format!(
                "{SYMBOL_PREFIX}{}:{}:{}",
                at.file.display(),
                args.call.start,
                a0.as_str().unwrap_or("")
            ))
        }
        // `createRequire(import.meta.url)` makes a `require` for the module: the same one.
        "module.createRequire" => Value::Builtin(Rc::new(Builtin::Global("require"))),
        // The path of the module `require` would load (resolved with the program's imports).
        "require.resolve" => match a0.as_str().map(|s| ev.modules[ev.current].import(s)) {
            Some(super::ImportTarget::Module(id)) => {
                Value::str(&ev.modules[id].path.to_string_lossy())
            }
            _ => Value::opaque(
                OpaqueReason::Unsupported(
                    "the path of a module `require.resolve` could not find".into(),
                ),
                Some(ev.location(args.call)),
            ),
        },
        "require" => match a0.as_str() {
            Some(spec) => {
                let spec = spec.to_string();
                return ev.require(&spec, args.call);
            }
            None => Value::opaque(
                OpaqueReason::Unsupported("a value loaded with `require()`".into()),
                Some(ev.location(args.call)),
            ),
        },
        other => Value::opaque(
            OpaqueReason::Unsupported(format!("the result of `{other}(...)`")),
            Some(ev.location(args.call)),
        ),
    })
}

/// What `z.enum(values)` / `z.nativeEnum(E)` give: an object whose `options`, `enum`, `Enum`
/// and `Values` are known; its other properties (schema methods) are opaque.
fn zod_enum<'a>(ev: &mut Evaluator<'a>, from_list: bool, args: &Args<'a>) -> Value<'a> {
    let arg = args.get(0);
    let values: Vec<Value<'a>> = if from_list {
        match &arg {
            Value::Array(a) => a.borrow().clone(),
            // zod 4 also takes an object of values.
            Value::Object(o) => o.borrow().props.values().cloned().collect(),
            _ => Vec::new(),
        }
    } else {
        match &arg {
            Value::Object(o) => o
                .borrow()
                .props
                .values()
                .filter(|v| matches!(v, Value::Str(_)))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    };
    let by_name: Props<'a> = values
        .iter()
        .filter_map(|v| v.as_str().map(|s| (Atom::from(s), v.clone())))
        .collect();
    let mut props = Props::default();
    props.insert(Atom::from("options"), Value::array(values));
    let map = if from_list {
        Value::object(by_name)
    } else {
        arg.clone()
    };
    for k in ["enum", "Enum", "Values"] {
        props.insert(Atom::from(k), map.clone());
    }
    let rest = Rc::new(super::value::Opaque {
        reason: OpaqueReason::External {
            package: "zod".into(),
            name: "enum".into(),
        },
        origin: Some(ev.location(args.call)),
    });
    Value::Object(Rc::new(RefCell::new(super::value::Object {
        props,
        rest: Some(rest),
        proto: None,
    })))
}

/// dotenv's `config(options)` (`node`: Node's `process.loadEnvFile(path)`): the files' variables
/// join the environment the program reads, without replacing those already set (unless
/// `override`).
fn load_env_files<'a>(ev: &mut Evaluator<'a>, node: bool, args: &Args<'a>) -> R<'a> {
    let options = args.get(0);
    let given = if node {
        options.clone()
    } else {
        options.get_prop("path").unwrap_or(Value::Undefined)
    };
    let paths: Vec<String> = match given {
        Value::Undefined => vec![".env".to_string()],
        Value::Array(a) => a
            .borrow()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        v => match v.as_str() {
            Some(p) => vec![p.to_string()],
            None => return Ok(Value::Undefined),
        },
    };
    let overriding = !node && options.get_prop("override").is_some_and(|v| v.truthy());
    let cwd = ev.cwd.to_string_lossy().into_owned();
    let mut parsed = Props::default();
    for p in paths {
        let path = super::node::resolve(&cwd, &[p]);
        match dotenvy::from_path_iter(&path) {
            Ok(iter) => {
                for (k, v) in iter.flatten() {
                    parsed.insert(Atom::from(k.as_str()), Value::str(&v));
                    let set = ev.env.contains_key(&k) || ev.env_overlay.contains_key(&k);
                    if overriding || !set {
                        ev.env_overlay.insert(k, v);
                    }
                }
            }
            Err(e) if node => {
                return Err(Flow::Throw(
                    error_object(&Value::str(&format!("cannot read '{path}': {e}"))),
                    ev.location(args.call),
                ));
            }
            Err(_) => {}
        }
    }
    if node {
        return Ok(Value::Undefined);
    }
    let mut out = Props::default();
    out.insert(Atom::from("parsed"), Value::object(parsed));
    Ok(Value::object(out))
}

fn error_object<'a>(msg: &Value<'a>) -> Value<'a> {
    let mut props = Props::default();
    props.insert(
        Atom::from("message"),
        Value::str(&msg.to_js_string().unwrap_or_default()),
    );
    Value::object(props)
}

/// The hidden property of a `URLSearchParams` object: its pairs, in order.
const SEARCH_PARAMS: &str = "\u{0}symbol:URLSearchParams";

/// A WHATWG URL as JavaScript's `URL` shows it: `href`, `protocol`, `username`, `password`,
/// `host`, `hostname`, `port`, `pathname`, `search`, `hash`, `origin`, `searchParams`.
fn url_object<'a>(u: &url::Url) -> Value<'a> {
    let mut props = Props::default();
    let mut set = |k: &str, v: &str| {
        props.insert(Atom::from(k), Value::str(v));
    };
    set("href", u.as_str());
    set("protocol", &format!("{}:", u.scheme()));
    set("username", u.username());
    set("password", u.password().unwrap_or(""));
    let hostname = u.host_str().unwrap_or("");
    let port = u.port().map(|p| p.to_string()).unwrap_or_default();
    set("hostname", hostname);
    set("port", &port);
    set(
        "host",
        &if port.is_empty() {
            hostname.to_string()
        } else {
            format!("{hostname}:{port}")
        },
    );
    set("pathname", u.path());
    set(
        "search",
        &u.query().map(|q| format!("?{q}")).unwrap_or_default(),
    );
    set(
        "hash",
        &u.fragment().map(|f| format!("#{f}")).unwrap_or_default(),
    );
    set("origin", &u.origin().ascii_serialization());
    let pairs = u
        .query_pairs()
        .map(|(k, v)| Value::array(vec![Value::str(&k), Value::str(&v)]))
        .collect();
    let mut params = Props::default();
    params.insert(Atom::from(SEARCH_PARAMS), Value::array(pairs));
    props.insert(Atom::from("searchParams"), Value::object(params));
    Value::object(props)
}

/// `URLSearchParams` methods: `get`, `getAll`, `has`, `toString` of the pairs under
/// [`SEARCH_PARAMS`].
fn search_params_method<'a>(
    obj: &Value<'a>,
    method: &str,
    name: Option<&str>,
) -> Option<Value<'a>> {
    let pairs = obj.get_prop(SEARCH_PARAMS)?;
    let Value::Array(pairs) = pairs else {
        return None;
    };
    let pairs: Vec<(String, String)> = pairs
        .borrow()
        .iter()
        .filter_map(|p| match p {
            Value::Array(kv) => {
                let kv = kv.borrow();
                Some((kv.first()?.to_js_string()?, kv.get(1)?.to_js_string()?))
            }
            _ => None,
        })
        .collect();
    let matching = pairs.iter().filter(|(k, _)| Some(k.as_str()) == name);
    Some(match method {
        "get" => matching
            .map(|(_, v)| Value::str(v))
            .next()
            .unwrap_or(Value::Null),
        "getAll" => Value::array(matching.map(|(_, v)| Value::str(v)).collect()),
        "has" => Value::Bool(matching.count() > 0),
        _ => Value::str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs.iter())
                .finish(),
        ),
    })
}

/// `new X(...)` for builtins.
pub fn construct<'a>(ev: &mut Evaluator<'a>, b: &Rc<Builtin<'a>>, args: Args<'a>) -> R<'a> {
    match &**b {
        Builtin::Global(
            "Error" | "TypeError" | "RangeError" | "EvalError" | "ReferenceError" | "SyntaxError"
            | "URIError",
        ) => Ok(error_object(&args.get(0))),
        Builtin::Global("Date") => super::drizzle::new_date(ev, args),
        Builtin::Global(g @ ("Map" | "Set"))
            if let Some(made) = super::collections::construct(ev, *g == "Map", &args) =>
        {
            made
        }
        Builtin::Drizzle { module, name }
            if module.functions.get(&**name) == Some(&schemac_stdlib::Function::QueryBuilder) =>
        {
            Ok(super::drizzle::new_query_builder())
        }
        // `new URL(relative, base)` for file URLs, as configs use it with `import.meta.url`.
        Builtin::Global("URL") => {
            let href_of = |v: Value<'a>| match v {
                Value::Undefined => None,
                v @ Value::Object(_) => v.get_prop("href").and_then(|h| h.to_js_string()),
                v => v.to_js_string(),
            };
            let input = href_of(args.get(0)).unwrap_or_default();
            let href = match (input.strip_prefix("file://"), href_of(args.get(1))) {
                (Some(_), _) => input.clone(),
                (None, Some(base)) if base.starts_with("file://") => {
                    let base_path = base.trim_start_matches("file://");
                    let dir = if base.ends_with('/') {
                        base_path.to_string()
                    } else {
                        super::node::dirname(base_path)
                    };
                    format!("file://{}", super::node::join(&[dir, input.clone()]))
                }
                (None, base) => {
                    let parsed = match &base {
                        Some(b) => url::Url::parse(b).and_then(|b| b.join(&input)),
                        None => url::Url::parse(&input),
                    };
                    return Ok(match parsed {
                        Ok(u) => url_object(&u),
                        // `new URL('not a url')` throws in JavaScript.
                        Err(e) => {
                            return Err(crate::eval::interp::Flow::Throw(
                                error_object(&Value::str(&format!("Invalid URL: {e}"))),
                                ev.location(args.call),
                            ));
                        }
                    });
                }
            };
            let mut props = Props::default();
            props.insert(
                Atom::from("pathname"),
                Value::str(href.trim_start_matches("file://")),
            );
            props.insert(Atom::from("href"), Value::str(&href));
            Ok(Value::object(props))
        }
        Builtin::Global("RegExp") => {
            let pattern = match args.get(0) {
                Value::Host(h) => match &*h {
                    super::drizzle::Host::Regex(r) => r.source.to_string(),
                    _ => String::new(),
                },
                v => v.to_js_string().unwrap_or_default(),
            };
            let flags = args.get(1).as_str().unwrap_or("").to_string();
            Ok(super::regex::literal(ev, &pattern, &flags, args.call))
        }
        Builtin::Global("Array") => call_global(ev, "Array", args),
        Builtin::Global("Number" | "String" | "Boolean") => call(ev, b, None, args),
        _ => Ok(Value::opaque(
            OpaqueReason::Unsupported(format!(
                "an object made with `new {}`",
                b.kind_name().trim_matches('`')
            )),
            Some(ev.location(args.call)),
        )),
    }
}

fn callback<'a>(ev: &mut Evaluator<'a>, f: &Value<'a>, args: Vec<Value<'a>>, span: Span) -> R<'a> {
    let spans = vec![span; args.len()];
    ev.call(f, None, Args::new(args, spans, span))
}

fn call_array<'a>(
    ev: &mut Evaluator<'a>,
    a: &Rc<RefCell<Vec<Value<'a>>>>,
    m: &str,
    args: Args<'a>,
) -> R<'a> {
    let items = a.borrow().clone();
    let this = Value::Array(a.clone());
    let f = args.get(0);
    let span = args.span(0);
    let idx = |i: usize| Value::Number(i as f64);
    Ok(match m {
        "map" => {
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.into_iter().enumerate() {
                out.push(callback(ev, &f, vec![x, idx(i), this.clone()], span)?);
            }
            Value::array(out)
        }
        "flatMap" => {
            let mut out = Vec::new();
            for (i, x) in items.into_iter().enumerate() {
                match callback(ev, &f, vec![x, idx(i), this.clone()], span)? {
                    Value::Array(inner) => out.extend(inner.borrow().iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::array(out)
        }
        "filter" => {
            let mut out = Vec::new();
            for (i, x) in items.into_iter().enumerate() {
                if callback(ev, &f, vec![x.clone(), idx(i), this.clone()], span)?.truthy() {
                    out.push(x);
                }
            }
            Value::array(out)
        }
        "forEach" => {
            for (i, x) in items.into_iter().enumerate() {
                callback(ev, &f, vec![x, idx(i), this.clone()], span)?;
            }
            Value::Undefined
        }
        "reduce" | "reduceRight" => {
            let mut indexed: Vec<(usize, Value<'a>)> = items.into_iter().enumerate().collect();
            if m == "reduceRight" {
                indexed.reverse();
            }
            let mut iter = indexed.into_iter();
            let mut acc = if args.len() > 1 {
                args.get(1)
            } else {
                match iter.next() {
                    Some((_, x)) => x,
                    None => {
                        return Err(ev.error(
                            codes::BAD_OPERATION,
                            args.call,
                            "reduce of an empty array with no initial value",
                            "here",
                        ));
                    }
                }
            };
            for (i, x) in iter {
                acc = callback(ev, &f, vec![acc, x, idx(i), this.clone()], span)?;
            }
            acc
        }
        "find" | "findIndex" | "findLast" | "findLastIndex" | "some" | "every" => {
            let mut found = None;
            let order: Vec<usize> = if m.starts_with("findLast") {
                (0..items.len()).rev().collect()
            } else {
                (0..items.len()).collect()
            };
            for i in order {
                let x = items[i].clone();
                let hit = callback(ev, &f, vec![x.clone(), idx(i), this.clone()], span)?.truthy();
                if hit != (m == "every") {
                    found = Some((i, x));
                    break;
                }
            }
            match m {
                "find" | "findLast" => found.map(|(_, x)| x).unwrap_or(Value::Undefined),
                "findIndex" | "findLastIndex" => {
                    Value::Number(found.map(|(i, _)| i as f64).unwrap_or(-1.0))
                }
                "some" => Value::Bool(found.is_some()),
                _ => Value::Bool(found.is_none()),
            }
        }
        // The second argument is where the search starts (counted from the end when
        // negative); `lastIndexOf` searches backwards from it.
        "includes" | "indexOf" => {
            let (from, _) = range_args(ev, &args.shifted(), items.len())?;
            let hit = items.iter().enumerate().skip(from).find(|(_, x)| {
                x.strict_eq(&f)
                    || (m == "includes"
                        && x.as_number().is_some_and(f64::is_nan)
                        && f.as_number().is_some_and(f64::is_nan))
            });
            match m {
                "includes" => Value::Bool(hit.is_some()),
                _ => Value::Number(hit.map_or(-1.0, |(i, _)| i as f64)),
            }
        }
        "lastIndexOf" => {
            let len = items.len() as f64;
            let from = match args.get(1).to_number().filter(|_| args.len() > 1) {
                None => len - 1.0,
                Some(n) if n < 0.0 => len + n,
                Some(n) => n.min(len - 1.0),
            };
            Value::Number(if from < 0.0 {
                -1.0
            } else {
                items[..=from as usize]
                    .iter()
                    .rposition(|x| x.strict_eq(&f))
                    .map_or(-1.0, |i| i as f64)
            })
        }
        "splice" | "toSpliced" => {
            let len = items.len();
            let (start, _) = range_args(ev, &args, len)?;
            let count = match args.len() {
                0 => 0,
                1 => len - start,
                _ => (num_arg(ev, &args, 1)?.max(0.0) as usize).min(len - start),
            };
            let inserted: Vec<Value<'a>> = args.values.iter().skip(2).cloned().collect();
            let mut v = items;
            let removed: Vec<Value<'a>> = v.splice(start..start + count, inserted).collect();
            if m == "splice" {
                *a.borrow_mut() = v;
                Value::array(removed)
            } else {
                Value::array(v)
            }
        }
        "with" => {
            let n = num_arg(ev, &args, 0)? as i64;
            let i = if n < 0 { items.len() as i64 + n } else { n };
            let Some(i) = usize::try_from(i).ok().filter(|i| *i < items.len()) else {
                return Err(ev.error(
                    codes::BAD_OPERATION,
                    args.span(0),
                    "invalid index for `with`",
                    "this index",
                ));
            };
            let mut v = items;
            v[i] = args.get(1);
            Value::array(v)
        }
        "join" => {
            let sep = match f {
                Value::Undefined => ",".to_string(),
                _ => str_arg(ev, &args, 0)?.unwrap_or_default(),
            };
            let mut parts = Vec::new();
            for x in &items {
                if x.is_nullish() {
                    parts.push(String::new());
                } else {
                    match ev.stringify(x, args.call)? {
                        Some(s) => parts.push(s),
                        None => return Ok(x.clone()),
                    }
                }
            }
            Value::str(&parts.join(&sep))
        }
        "toString" => Value::str(&this.to_js_string().unwrap_or_default()),
        "concat" => {
            let mut out = items;
            for v in args.values {
                match v {
                    Value::Array(b) => out.extend(b.borrow().iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::array(out)
        }
        "slice" => {
            let (s, e) = range_args(ev, &args, items.len())?;
            Value::array(items.get(s..e.max(s)).unwrap_or(&[]).to_vec())
        }
        "at" => {
            let n = num_arg(ev, &args, 0)? as i64;
            let i = if n < 0 { items.len() as i64 + n } else { n };
            usize::try_from(i)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or(Value::Undefined)
        }
        "flat" => {
            let depth = args
                .get(0)
                .to_number()
                .filter(|_| !args.is_empty())
                .unwrap_or(1.0);
            Value::array(flatten(items, depth as i32))
        }
        "push" => {
            let mut v = a.borrow_mut();
            v.extend(args.values);
            Value::Number(v.len() as f64)
        }
        "unshift" => {
            let mut v = a.borrow_mut();
            for (i, x) in args.values.into_iter().enumerate() {
                v.insert(i, x);
            }
            Value::Number(v.len() as f64)
        }
        "pop" => a.borrow_mut().pop().unwrap_or(Value::Undefined),
        "shift" => {
            let mut v = a.borrow_mut();
            if v.is_empty() {
                Value::Undefined
            } else {
                v.remove(0)
            }
        }
        "reverse" => {
            a.borrow_mut().reverse();
            this
        }
        "toReversed" => {
            let mut v = items;
            v.reverse();
            Value::array(v)
        }
        "fill" => {
            let (start, end) = range_args(ev, &args.shifted(), items.len())?;
            let mut v = a.borrow_mut();
            for x in v.iter_mut().take(end).skip(start) {
                *x = f.clone();
            }
            this.clone()
        }
        "sort" | "toSorted" => {
            let mut v = items;
            let mut err = None;
            if matches!(f, Value::Undefined) {
                let keyed: Vec<(String, Value<'a>)> = v
                    .into_iter()
                    .map(|x| (x.to_js_string().unwrap_or_default(), x))
                    .collect();
                let mut keyed = keyed;
                keyed.sort_by(|x, y| x.0.encode_utf16().cmp(y.0.encode_utf16()));
                v = keyed.into_iter().map(|(_, x)| x).collect();
            } else {
                // Insertion sort with the comparator: stable, and errors can escape.
                let mut sorted: Vec<Value<'a>> = Vec::with_capacity(v.len());
                for x in v {
                    let mut pos = sorted.len();
                    while pos > 0 {
                        match callback(ev, &f, vec![sorted[pos - 1].clone(), x.clone()], span) {
                            Ok(r) if r.to_number().unwrap_or(0.0) > 0.0 => pos -= 1,
                            Ok(_) => break,
                            Err(e) => {
                                err = Some(e);
                                break;
                            }
                        }
                    }
                    if err.is_some() {
                        break;
                    }
                    sorted.insert(pos, x);
                }
                v = sorted;
            }
            if let Some(e) = err {
                return Err(e);
            }
            if m == "sort" {
                *a.borrow_mut() = v;
                this
            } else {
                Value::array(v)
            }
        }
        "keys" => Value::array((0..items.len()).map(idx).collect()),
        "values" => Value::array(items),
        "entries" => Value::array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| Value::array(vec![idx(i), x]))
                .collect(),
        ),
        _ => Value::Undefined,
    })
}

fn flatten<'a>(items: Vec<Value<'a>>, depth: i32) -> Vec<Value<'a>> {
    let mut out = Vec::new();
    for x in items {
        match x {
            Value::Array(inner) if depth > 0 => {
                out.extend(flatten(inner.borrow().clone(), depth - 1))
            }
            x => out.push(x),
        }
    }
    out
}

/// `slice(start, end)` arguments, clamped to `0..=len` with negative values from the end.
fn range_args<'a>(ev: &Evaluator<'a>, args: &Args<'a>, len: usize) -> R<'a, (usize, usize)> {
    let clamp = |n: f64| -> usize {
        if n < 0.0 {
            (len as f64 + n).max(0.0) as usize
        } else {
            (n as usize).min(len)
        }
    };
    let s = if args.is_empty() || matches!(args.get(0), Value::Undefined) {
        0
    } else {
        clamp(num_arg(ev, args, 0)?)
    };
    let e = if args.len() < 2 || matches!(args.get(1), Value::Undefined) {
        len
    } else {
        clamp(num_arg(ev, args, 1)?)
    };
    Ok((s, e))
}

fn call_string<'a>(ev: &mut Evaluator<'a>, s: &Atom, m: &str, args: Args<'a>) -> R<'a> {
    let a0 = args.get(0);
    if let Value::Opaque(_) = a0 {
        return Ok(a0);
    }
    if let Value::Host(h) = &a0
        && let super::drizzle::Host::Regex(r) = &**h
    {
        use super::regex;
        return Ok(match m {
            "match" => regex::string_match(r, s),
            "matchAll" => regex::string_match_all(r, s),
            "search" => Value::Number(regex::search(r, s)),
            "split" => regex::split(r, s),
            "replace" | "replaceAll" => {
                return regex::replace(ev, r, s, &args.get(1), m == "replaceAll", args.span(1));
            }
            _ => Value::Undefined,
        });
    }
    let chars: Vec<char> = s.chars().collect();
    let text = |v: &Value<'a>| v.to_js_string().unwrap_or_default();
    Ok(match m {
        "match" | "matchAll" | "search" => {
            // A string pattern is a regex of that literal text.
            let r = super::regex::literal(
                ev,
                &regex::escape(&text(&a0)),
                if m == "matchAll" { "g" } else { "" },
                args.span(0),
            );
            let Value::Host(h) = &r else { return Ok(r) };
            let super::drizzle::Host::Regex(r) = &**h else {
                return Ok(Value::Undefined);
            };
            match m {
                "match" => super::regex::string_match(r, s),
                "matchAll" => super::regex::string_match_all(r, s),
                _ => Value::Number(super::regex::search(r, s)),
            }
        }
        "toLowerCase" | "toLocaleLowerCase" => Value::str(&s.to_lowercase()),
        "toUpperCase" | "toLocaleUpperCase" => Value::str(&s.to_uppercase()),
        "trim" => Value::str(s.trim()),
        "trimStart" => Value::str(s.trim_start()),
        "trimEnd" => Value::str(s.trim_end()),
        // Positions count characters; an optional second argument starts (or, for `endsWith`
        // and `lastIndexOf`, ends) the search.
        "startsWith" | "endsWith" | "includes" | "indexOf" | "lastIndexOf" => {
            let needle: Vec<char> = text(&a0).chars().collect();
            let len = chars.len();
            let pos = |default: usize| -> usize {
                match args.get(1).to_number().filter(|_| args.len() > 1) {
                    Some(n) if n.is_nan() => 0,
                    Some(n) => n.clamp(0.0, len as f64) as usize,
                    None => default,
                }
            };
            let at = |i: usize| chars[i..].starts_with(&needle);
            match m {
                "startsWith" => Value::Bool(at(pos(0))),
                "endsWith" => {
                    let end = pos(len);
                    Value::Bool(chars[..end].ends_with(&needle))
                }
                "includes" => Value::Bool((pos(0)..=len).any(at)),
                "indexOf" => {
                    Value::Number((pos(0)..=len).find(|&i| at(i)).map_or(-1.0, |i| i as f64))
                }
                _ => {
                    let from = pos(len).min(len.saturating_sub(needle.len()));
                    Value::Number((0..=from).rev().find(|&i| at(i)).map_or(-1.0, |i| i as f64))
                }
            }
        }
        "slice" | "substring" | "substr" => {
            let (mut st, mut en) = range_args(ev, &args, chars.len())?;
            if m == "substring" && st > en {
                std::mem::swap(&mut st, &mut en);
            }
            if m == "substr" {
                let n = args
                    .get(1)
                    .to_number()
                    .filter(|_| args.len() > 1)
                    .unwrap_or(chars.len() as f64);
                en = (st + n.max(0.0) as usize).min(chars.len());
            }
            Value::str(&chars[st..en.max(st)].iter().collect::<String>())
        }
        "split" => {
            if matches!(a0, Value::Undefined) {
                Value::array(vec![Value::Str(s.clone())])
            } else {
                let sep = text(&a0);
                let limit = match args.get(1) {
                    Value::Undefined => usize::MAX,
                    v => v.to_number().unwrap_or(0.0).max(0.0) as usize,
                };
                let parts: Vec<Value<'a>> = if sep.is_empty() {
                    chars
                        .iter()
                        .take(limit)
                        .map(|c| Value::str(&c.to_string()))
                        .collect()
                } else {
                    s.split(sep.as_str()).take(limit).map(Value::str).collect()
                };
                Value::array(parts)
            }
        }
        "replace" | "replaceAll" => {
            let pat = text(&a0);
            let rep = args.get(1);
            let replacement = match &rep {
                Value::Function(_) | Value::Builtin(_) => {
                    let Some(pos) = s.find(&pat) else {
                        return Ok(Value::Str(s.clone()));
                    };
                    let r = callback(
                        ev,
                        &rep,
                        vec![Value::str(&pat), Value::Number(pos as f64)],
                        args.span(1),
                    )?;
                    text(&r)
                }
                v => text(v).replace("$&", &pat),
            };
            if m == "replaceAll" {
                Value::str(&s.replace(&pat, &replacement))
            } else {
                Value::str(&s.replacen(&pat, &replacement, 1))
            }
        }
        "padStart" | "padEnd" => {
            let width = num_arg(ev, &args, 0)? as usize;
            let fill = match args.get(1) {
                Value::Undefined => " ".to_string(),
                v => text(&v),
            };
            let missing = width.saturating_sub(chars.len());
            let pad: String = fill
                .chars()
                .cycle()
                .take(if fill.is_empty() { 0 } else { missing })
                .collect();
            Value::str(&if m == "padStart" {
                format!("{pad}{s}")
            } else {
                format!("{s}{pad}")
            })
        }
        "repeat" => {
            let n = num_arg(ev, &args, 0)?;
            if !(0.0..=10_000.0).contains(&n) {
                return Err(ev.error(
                    codes::BAD_OPERATION,
                    args.span(0),
                    "invalid count for repeat",
                    "here",
                ));
            }
            Value::str(&s.repeat(n as usize))
        }
        "charAt" | "at" => {
            let n = args.get(0).to_number().unwrap_or(0.0) as i64;
            let i = if n < 0 && m == "at" {
                chars.len() as i64 + n
            } else {
                n
            };
            usize::try_from(i)
                .ok()
                .and_then(|i| chars.get(i))
                .map(|c| Value::str(&c.to_string()))
                .unwrap_or(if m == "at" {
                    Value::Undefined
                } else {
                    Value::str("")
                })
        }
        "charCodeAt" => {
            let i = args.get(0).to_number().unwrap_or(0.0) as usize;
            s.encode_utf16()
                .nth(i)
                .map(|c| Value::Number(c as f64))
                .unwrap_or(Value::Number(f64::NAN))
        }
        // The code point starting at that UTF-16 index (a lone trailing surrogate as itself);
        // past the end, `undefined`.
        "codePointAt" => {
            let i = args.get(0).to_number().unwrap_or(0.0);
            let units: Vec<u16> = s.encode_utf16().collect();
            if i < 0.0 || i as usize >= units.len() {
                Value::Undefined
            } else {
                let i = i as usize;
                let cp = char::decode_utf16(units[i..].iter().copied())
                    .next()
                    .and_then(Result::ok)
                    .map_or(units[i] as u32, |c| c as u32);
                Value::Number(cp as f64)
            }
        }
        "concat" => {
            let mut out = s.to_string();
            for v in &args.values {
                out.push_str(&text(v));
            }
            Value::str(&out)
        }
        "localeCompare" => {
            let o = text(&a0);
            Value::Number(match (**s).cmp(o.as_str()) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            })
        }
        _ => Value::Str(s.clone()),
    })
}

/// An integer written in base `radix` (2..=36), as JavaScript's `toString(radix)`.
fn integer_in_radix(n: i64, radix: u32) -> String {
    let mut digits = Vec::new();
    let mut m = n.unsigned_abs();
    loop {
        digits.push(std::char::from_digit((m % u64::from(radix)) as u32, radix).unwrap_or('0'));
        m /= u64::from(radix);
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// `Number.prototype.toPrecision(p)`: `p` significant digits, in exponent form when the
/// exponent is below -6 or not below `p`.
fn to_precision(n: f64, p: usize) -> String {
    if !n.is_finite() {
        return number_to_string(n);
    }
    if n == 0.0 {
        return if p > 1 {
            format!("0.{}", "0".repeat(p - 1))
        } else {
            "0".into()
        };
    }
    let e = format!("{:.*e}", p - 1, n);
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -6 || exp >= p as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        format!("{n:.decimals$}")
    }
}

/// Plain data as JSON (`JSON.stringify` semantics); `Err` names what is not plain data.
pub fn to_json(v: &Value<'_>) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match v {
        Value::Null | Value::Undefined => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => json_number(*n),
        Value::Str(s) => J::String(s.to_string()),
        Value::BigInt(_) => return Err("a bigint".into()),
        Value::Array(a) => J::Array(
            a.borrow()
                .iter()
                .map(|x| match x {
                    Value::Function(_) | Value::Undefined => Ok(J::Null),
                    x => to_json(x),
                })
                .collect::<Result<_, _>>()?,
        ),
        // `JSON.stringify`'s order: integer-like keys first, ascending, then the others.
        Value::Object(o) => {
            let o = o.borrow();
            let mut map = serde_json::Map::new();
            for k in super::interp::own_keys(&o.props) {
                let x = &o.props[&k];
                if matches!(x, Value::Undefined | Value::Function(_)) {
                    continue;
                }
                map.insert(k.to_string(), to_json(x)?);
            }
            J::Object(map)
        }
        Value::Host(h) => match h.to_json() {
            Some(j) => j,
            None => return Err(h.kind_name()),
        },
        Value::Function(_) | Value::Builtin(_) | Value::Class(_) => {
            return Err("a function".into());
        }
        Value::Opaque(o) => return Err(o.describe()),
    })
}

/// Like [`to_json`], but values that are not plain data become `null` and are listed with their
/// dotted path (for config files, where only some keys matter).
pub fn to_json_lenient(
    v: &Value<'_>,
    path: &str,
    opaque: &mut Vec<(String, super::value::Opaque)>,
) -> serde_json::Value {
    use serde_json::Value as J;
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Array(a) => J::Array(
            a.borrow()
                .iter()
                .enumerate()
                .map(|(i, x)| to_json_lenient(x, &join(&i.to_string()), opaque))
                .collect(),
        ),
        Value::Object(o) => {
            let mut map = serde_json::Map::new();
            for (k, x) in &o.borrow().props {
                if matches!(x, Value::Undefined | Value::Function(_)) {
                    continue;
                }
                map.insert(k.to_string(), to_json_lenient(x, &join(k), opaque));
            }
            J::Object(map)
        }
        Value::Opaque(o) => {
            if o.reason != OpaqueReason::Poisoned {
                opaque.push((path.to_string(), (**o).clone()));
            }
            J::Null
        }
        other => match to_json(other) {
            Ok(j) => j,
            Err(what) => {
                opaque.push((
                    path.to_string(),
                    super::value::Opaque {
                        reason: OpaqueReason::Unsupported(what),
                        origin: None,
                    },
                ));
                J::Null
            }
        },
    }
}

pub fn json_number(n: f64) -> serde_json::Value {
    if !n.is_finite() {
        return serde_json::Value::Null;
    }
    if n.fract() == 0.0 && n.abs() < 9007199254740992.0 {
        return serde_json::Value::from(n as i64);
    }
    serde_json::Number::from_f64(n)
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null)
}

/// `JSON.stringify` text of plain data (compact).
pub fn json_text(j: &serde_json::Value) -> String {
    serde_json::to_string(j).unwrap_or_default()
}

pub fn from_json<'a>(j: &serde_json::Value) -> Value<'a> {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::str(s),
        J::Array(a) => Value::array(a.iter().map(from_json).collect()),
        J::Object(o) => Value::object(
            o.iter()
                .map(|(k, v)| (Atom::from(k.as_str()), from_json(v)))
                .collect(),
        ),
    }
}

/// `to_number_str` re-exported for the Drizzle side.
pub fn parse_number(s: &str) -> f64 {
    to_number_str(s)
}

/// An error for a call with a missing or wrong argument.
pub fn bad_arg<'a>(
    ev: &Evaluator<'a>,
    args: &Args<'a>,
    i: usize,
    message: impl Into<String>,
) -> Flow<'a> {
    ev.error(codes::BAD_ARGUMENT, args.span(i), message, "this argument")
}
