//! JavaScript's `Map` and `Set` made from known values: insertion order, keys compared as
//! `SameValueZero` (`===`, except that `NaN` equals itself), iterated by spreading, `for … of`
//! and `Array.from`. `keys()`, `values()` and `entries()` are arrays (like generators here:
//! spreading and iterating them work, `.next()` does not).

use std::cell::RefCell;
use std::rc::Rc;

use super::drizzle::Host;
use super::interp::R;
use super::value::Value;
use super::{Args, Evaluator, codes};

/// `new Map(entries?)` or `new Set(items?)`; `None` when the iterable is not known (the object
/// then stays opaque, an error only where it reaches SQL).
pub fn construct<'a>(ev: &mut Evaluator<'a>, map: bool, args: &Args<'a>) -> Option<R<'a>> {
    let source = args.get(0);
    let items = match &source {
        Value::Undefined | Value::Null => Vec::new(),
        Value::Opaque(_) => return None,
        v => match ev.iterate(v, args.span(0)) {
            Ok(items) => items,
            Err(e) => return Some(Err(e)),
        },
    };
    if !map {
        let mut set = Vec::new();
        for item in items {
            insert(&mut set, item);
        }
        return Some(Ok(Value::host(Host::Set(RefCell::new(set)))));
    }
    let mut entries = Vec::new();
    for entry in items {
        let Value::Array(pair) = &entry else {
            return Some(Err(ev.error(
                codes::BAD_OPERATION,
                args.span(0),
                format!(
                    "a Map entry must be a [key, value] array, found {}",
                    entry.kind_name()
                ),
                "the entries",
            )));
        };
        let pair = pair.borrow();
        let key = pair.first().cloned().unwrap_or(Value::Undefined);
        let value = pair.get(1).cloned().unwrap_or(Value::Undefined);
        set_entry(&mut entries, key, value);
    }
    Some(Ok(Value::host(Host::Map(RefCell::new(entries)))))
}

/// `Map`'s and `Set`'s key equality.
fn same_value_zero<'a>(a: &Value<'a>, b: &Value<'a>) -> bool {
    a.strict_eq(b)
        || matches!((a, b), (Value::Number(x), Value::Number(y)) if x.is_nan() && y.is_nan())
}

fn insert<'a>(set: &mut Vec<Value<'a>>, item: Value<'a>) {
    if !set.iter().any(|x| same_value_zero(x, &item)) {
        set.push(item);
    }
}

fn set_entry<'a>(entries: &mut Vec<(Value<'a>, Value<'a>)>, key: Value<'a>, value: Value<'a>) {
    match entries.iter_mut().find(|(k, _)| same_value_zero(k, &key)) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

const MAP_METHODS: &[&str] = &[
    "get", "set", "has", "delete", "clear", "forEach", "keys", "values", "entries",
];
const SET_METHODS: &[&str] = &[
    "add", "has", "delete", "clear", "forEach", "keys", "values", "entries",
];

/// The methods a `Map` or `Set` has, for property reads and error messages.
pub fn methods(h: &Host<'_>) -> &'static [&'static str] {
    match h {
        Host::Map(_) => MAP_METHODS,
        _ => SET_METHODS,
    }
}

/// `size`; `None` for other keys (methods, or undefined).
pub fn size<'a>(h: &Host<'a>) -> Option<Value<'a>> {
    match h {
        Host::Map(m) => Some(Value::Number(m.borrow().len() as f64)),
        Host::Set(s) => Some(Value::Number(s.borrow().len() as f64)),
        _ => None,
    }
}

/// The items of a `Map` (`[key, value]` arrays) or `Set`, as iterating it gives them.
pub fn items<'a>(h: &Host<'a>) -> Option<Vec<Value<'a>>> {
    match h {
        Host::Map(m) => Some(
            m.borrow()
                .iter()
                .map(|(k, v)| Value::array(vec![k.clone(), v.clone()]))
                .collect(),
        ),
        Host::Set(s) => Some(s.borrow().clone()),
        _ => None,
    }
}

/// Calls a method of a `Map` or `Set`; `None` when it has no such method.
pub fn call<'a>(
    ev: &mut Evaluator<'a>,
    h: &Rc<Host<'a>>,
    name: &str,
    args: &Args<'a>,
) -> Option<R<'a>> {
    let key = args.get(0);
    let this = Value::Host(h.clone());
    let result = match (&**h, name) {
        (Host::Map(m), "get") => {
            let m = m.borrow();
            let found = m.iter().find(|(k, _)| same_value_zero(k, &key));
            found.map_or(Value::Undefined, |(_, v)| v.clone())
        }
        (Host::Map(m), "set") => {
            set_entry(&mut m.borrow_mut(), key, args.get(1));
            this
        }
        (Host::Map(m), "has") => {
            Value::Bool(m.borrow().iter().any(|(k, _)| same_value_zero(k, &key)))
        }
        (Host::Map(m), "delete") => {
            let mut m = m.borrow_mut();
            let before = m.len();
            m.retain(|(k, _)| !same_value_zero(k, &key));
            Value::Bool(m.len() != before)
        }
        (Host::Map(m), "clear") => {
            m.borrow_mut().clear();
            Value::Undefined
        }
        (Host::Map(m), "keys") => Value::array(m.borrow().iter().map(|(k, _)| k.clone()).collect()),
        (Host::Map(m), "values") => {
            Value::array(m.borrow().iter().map(|(_, v)| v.clone()).collect())
        }
        (Host::Set(s), "add") => {
            insert(&mut s.borrow_mut(), key);
            this
        }
        (Host::Set(s), "has") => Value::Bool(s.borrow().iter().any(|x| same_value_zero(x, &key))),
        (Host::Set(s), "delete") => {
            let mut s = s.borrow_mut();
            let before = s.len();
            s.retain(|x| !same_value_zero(x, &key));
            Value::Bool(s.len() != before)
        }
        (Host::Set(s), "clear") => {
            s.borrow_mut().clear();
            Value::Undefined
        }
        (Host::Set(s), "keys" | "values") => Value::array(s.borrow().clone()),
        (Host::Set(s), "entries") => Value::array(
            s.borrow()
                .iter()
                .map(|x| Value::array(vec![x.clone(), x.clone()]))
                .collect(),
        ),
        (Host::Map(_), "entries") => Value::array(items(h).unwrap_or_default()),
        (Host::Map(_) | Host::Set(_), "forEach") => {
            // The callback sees (value, key, collection); a Set's key is the value itself.
            let entries: Vec<(Value<'a>, Value<'a>)> = match &**h {
                Host::Map(m) => m
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                Host::Set(s) => s.borrow().iter().map(|x| (x.clone(), x.clone())).collect(),
                _ => Vec::new(),
            };
            let callback = args.get(0);
            for (k, v) in entries {
                let call = Args::new(vec![v, k, this.clone()], vec![args.span(0); 3], args.call);
                if let Err(e) = ev.call(&callback, None, call) {
                    return Some(Err(e));
                }
            }
            Value::Undefined
        }
        _ => return None,
    };
    Some(Ok(result))
}
