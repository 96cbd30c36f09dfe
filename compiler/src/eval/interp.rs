//! The JavaScript semantics of the evaluator: scopes, statements, expressions, functions and
//! modules. Drizzle's objects live in [`super::drizzle`], JavaScript's globals in
//! [`super::builtins`].

use crate::syntax::ast::Atom;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::cell::RefCell;
use std::rc::Rc;

use super::value::{Closure, Object, OpaqueReason, Props, Value};
use super::{Args, Builtin, Evaluator, ImportTarget, ModuleId, Status};
use crate::diagnostics::{Diagnostic, Location, codes};
use crate::span::Span;
use crate::syntax::ast::{self, ExprKind, PatternKind, StmtKind};

/// Non-local control flow, and errors.
pub enum Flow<'a> {
    Error(Box<Diagnostic>),
    /// An error whose cause was already reported (a poisoned value was used).
    Poisoned,
    Return(Value<'a>),
    Break(Option<String>),
    Continue(Option<String>),
    /// A JavaScript exception, with where it was thrown.
    Throw(Value<'a>, Location),
    /// An optional link (`a?.b`) met `null` or `undefined`: the rest of the chain is skipped
    /// and the chain is `undefined` (see `Evaluator::chain_link`). Never leaves `expr`.
    ShortCircuit,
}

pub type R<'a, T = Value<'a>> = Result<T, Flow<'a>>;

pub type Env<'a> = Rc<Scope<'a>>;

/// One lexical scope.
#[derive(Default)]
pub struct Scope<'a> {
    vars: RefCell<FxHashMap<Atom, Binding<'a>>>,
    parent: Option<Env<'a>>,
}

#[derive(Clone)]
pub enum Binding<'a> {
    /// `None` until the declaration runs (the temporal dead zone of `let`/`const`/`class`).
    Value {
        value: Option<Value<'a>>,
        mutable: bool,
    },
    /// A live import binding, read from the other module when used.
    Import {
        target: ImportTarget,
        /// The exported name, or `None` for a namespace import.
        name: Option<Atom>,
        span: Span,
    },
}

impl<'a> Scope<'a> {
    pub fn new(parent: Option<Env<'a>>) -> Env<'a> {
        Rc::new(Scope {
            vars: RefCell::default(),
            parent,
        })
    }

    /// Drops every binding (see `Evaluator`'s `Drop`).
    fn clear(&self) {
        let vars = std::mem::take(&mut *self.vars.borrow_mut());
        drop(vars);
    }

    pub fn declare(&self, name: impl Into<Atom>, binding: Binding<'a>) {
        self.vars.borrow_mut().insert(name.into(), binding);
    }

    pub fn define(&self, name: impl Into<Atom>, value: Value<'a>, mutable: bool) {
        self.declare(
            name,
            Binding::Value {
                value: Some(value),
                mutable,
            },
        );
    }

    fn lookup(&self, name: &str) -> Option<Binding<'a>> {
        if let Some(b) = self.vars.borrow().get(name) {
            return Some(b.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }

    /// Replaces the import binding `name` (in whichever scope holds it) by its value.
    pub fn settle_import(&self, name: &str, v: Value<'a>) {
        if let Some(b) = self.vars.borrow_mut().get_mut(name) {
            *b = Binding::Value {
                value: Some(v),
                mutable: false,
            };
            return;
        }
        if let Some(p) = &self.parent {
            p.settle_import(name, v);
        }
    }

    /// Is `name` declared in this very scope (not a parent)?
    pub fn has_own(&self, name: &str) -> bool {
        self.vars.borrow().contains_key(name)
    }

    /// Initializes a declared name if it is still in its dead zone.
    pub fn poison_uninitialized(&self, name: &str) {
        if let Some(Binding::Value { value, .. }) = self.vars.borrow_mut().get_mut(name)
            && value.is_none()
        {
            *value = Some(Value::poisoned());
        }
    }

    /// Assigns to the nearest binding of `name`. `Err(true)` if it is a constant, `Err(false)`
    /// if it is not declared.
    fn assign(&self, name: &str, v: Value<'a>) -> Result<(), bool> {
        if let Some(b) = self.vars.borrow_mut().get_mut(name) {
            return match b {
                Binding::Value { value, mutable } if *mutable || value.is_none() => {
                    *value = Some(v);
                    Ok(())
                }
                _ => Err(true),
            };
        }
        match &self.parent {
            Some(p) => p.assign(name, v),
            None => Err(false),
        }
    }
}

/// How a pattern binds names.
#[derive(Clone, Copy, PartialEq)]
pub enum BindMode {
    Const,
    Let,
    /// Assignment to existing bindings (`[a, b] = xs`).
    Assign,
}

const MAX_STEPS: u64 = 20_000_000;
const MAX_DEPTH: u32 = 400;

impl<'a> Evaluator<'a> {
    /// A new scope inside `parent`, remembered so that dropping the evaluator can clear it.
    pub(crate) fn new_scope(&mut self, parent: &Env<'a>) -> Env<'a> {
        let scope = Scope::new(Some(parent.clone()));
        if self.scopes.len() == self.scopes.capacity() && self.scopes.len() >= 1024 {
            self.scopes.retain(|s| s.strong_count() > 0);
        }
        self.scopes.push(Rc::downgrade(&scope));
        scope
    }

    pub(crate) fn error(
        &self,
        code: crate::diagnostics::Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Flow<'a> {
        Flow::Error(Box::new(Diagnostic::error(code, message).with_label(
            &self.file(),
            span,
            label,
        )))
    }

    fn tick(&mut self, span: Span) -> R<'a, ()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self.error(
                codes::EVAL_LIMIT,
                span,
                "the schema program runs too long (an endless loop?)",
                "evaluation stopped here",
            ));
        }
        Ok(())
    }

    // ---------------------------------------------------------------- modules

    /// Evaluates a module and the modules it imports, once each (ECMAScript module order).
    pub(crate) fn run_module(&mut self, id: ModuleId) {
        if self.modules[id].status != Status::Unevaluated {
            return;
        }
        self.modules[id].status = Status::Evaluating;
        let ast = self.modules[id].ast;
        // Dependencies first, in import order.
        for s in &ast.body {
            let source = match &s.kind {
                StmtKind::Import(i) if !i.type_only => Some(&i.source),
                StmtKind::ExportNamed(e) if !e.type_only => e.source.as_ref(),
                StmtKind::ExportAll(e) if !e.type_only => Some(&e.source),
                _ => None,
            };
            if let Some(src) = source
                && let ImportTarget::Module(dep) = self.modules[id].import(&src.value)
            {
                self.run_module(dep);
            }
        }
        let saved = std::mem::replace(&mut self.current, id);
        let env = self.modules[id].scope.clone();
        self.hoist(&ast.body, &env);
        for (i, s) in ast.body.iter().enumerate() {
            if self.top_level(s, &env) {
                // An uncaught exception ends the module, as in JavaScript; what it would have
                // declared stays unknown (and is not reported again).
                for rest in &ast.body[i + 1..] {
                    for name in declared_names(rest) {
                        env.poison_uninitialized(&name);
                    }
                }
                break;
            }
        }
        self.settle_accessors(id);
        self.current = saved;
        self.modules[id].status = Status::Done;
    }

    /// Defines the accessor property `key` of `target`: its getter is read now, or, when it
    /// cannot run yet or gives `undefined`, again when the module has run (see
    /// [`super::Accessor`]).
    pub(crate) fn define_accessor(
        &mut self,
        target: &Value<'a>,
        key: Atom,
        getter: Value<'a>,
        span: Span,
    ) {
        let call = Args::new(Vec::new(), Vec::new(), span);
        // `undefined` may be a `var` not assigned yet (esbuild's CommonJS exports): read again.
        let (value, pending) = match self.call(&getter, Some(target.clone()), call) {
            Ok(Value::Undefined) | Err(_) => (Value::Undefined, true),
            Ok(v) => (v, false),
        };
        target.define_own(key.clone(), value);
        self.accessors.push(super::Accessor {
            module: self.current,
            target: target.clone(),
            key,
            getter,
            span,
            pending,
        });
    }

    /// A getter that objects reading through `proto` (class instances) run on each read, with
    /// the object as `this`.
    pub(crate) fn inherited_getter(
        &mut self,
        proto: &Value<'a>,
        key: Atom,
        getter: Value<'a>,
        span: Span,
    ) {
        self.accessors.push(super::Accessor {
            module: self.current,
            target: proto.clone(),
            key,
            getter,
            span,
            pending: false,
        });
    }

    /// The getter for `key` on the prototype chain starting at `proto`.
    fn proto_getter(&self, proto: &Value<'a>, key: &str) -> Option<Value<'a>> {
        let mut p = proto.clone();
        loop {
            if let Some(g) = self.accessor_getter(&p, key) {
                return Some(g);
            }
            let next = match &p {
                Value::Object(o) => {
                    let o = o.borrow();
                    if o.props.contains_key(key) {
                        return None;
                    }
                    o.proto.clone()
                }
                _ => None,
            };
            p = next?;
        }
    }

    /// The getter of an accessor property defined with [`Evaluator::define_accessor`].
    pub(crate) fn accessor_getter(&self, target: &Value<'a>, key: &str) -> Option<Value<'a>> {
        self.accessors
            .iter()
            .rev()
            .find(|a| &*a.key == key && a.target.strict_eq(target))
            .map(|a| a.getter.clone())
    }

    /// Reads the accessors of module `id` whose getters could not run when they were defined.
    /// A getter of the module's exports that still fails is an error (the export would be
    /// missing); any other is left undefined, as JavaScript runs a getter only when read.
    fn settle_accessors(&mut self, id: ModuleId) {
        for i in 0..self.accessors.len() {
            let a = &mut self.accessors[i];
            if !a.pending || a.module != id {
                continue;
            }
            a.pending = false;
            let (target, key, getter, span) =
                (a.target.clone(), a.key.clone(), a.getter.clone(), a.span);
            self.steps = 0;
            let call = Args::new(Vec::new(), Vec::new(), span);
            match self.call(&getter, Some(target.clone()), call) {
                Ok(v) => {
                    target.define_own(key, v);
                }
                Err(Flow::Error(d))
                    if self.modules[id]
                        .cjs_exports
                        .as_ref()
                        .is_some_and(|e| e.strict_eq(&target)) =>
                {
                    self.diags.push(*d);
                }
                Err(_) => {}
            }
        }
    }

    /// Runs one top-level statement; an error is recorded and the names it declares are
    /// poisoned so later uses do not report it again.
    /// Returns whether the statement threw (which ends the module).
    fn top_level(&mut self, s: &'a ast::Stmt, env: &Env<'a>) -> bool {
        // Each top-level statement gets its own step budget, so one endless loop is reported
        // once and the statements after it still run.
        self.steps = 0;
        self.undecided = None;
        self.skipped_guard = false;
        let result = match &s.kind {
            StmtKind::ExportDefault(e) if self.lenient_default == Some(self.current) => {
                self.lenient_expr(e, env).map(|v| {
                    env.define("*default*", v, false);
                })
            }
            // `export default class Name {}` also declares `Name`.
            StmtKind::ExportDefault(e) if let ExprKind::Class(c) = &e.kind => {
                self.class_value(c, env, c.name.is_some()).map(|v| {
                    env.define("*default*", v, false);
                })
            }
            StmtKind::ExportDefault(e) => self.expr(e, env).map(|v| {
                env.define("*default*", v, false);
            }),
            _ => self.stmt(s, env),
        };
        // A throw reached after a guard on an unknown value was skipped (a config's env
        // helper: `if (value !== undefined) return value; throw ...`) may never happen when
        // the program really runs: what the statement declares is unknown, not an error.
        if matches!(result, Err(Flow::Throw(..))) && self.skipped_guard {
            for name in declared_names(s) {
                env.poison_uninitialized(&name);
            }
            return false;
        }
        let threw = matches!(result, Err(Flow::Throw(..)));
        match result {
            Ok(()) => {}
            Err(Flow::Error(d)) => {
                self.diags.push(*d);
                for name in declared_names(s) {
                    env.poison_uninitialized(&name);
                }
            }
            Err(Flow::Throw(v, at)) => {
                let what = self.describe_thrown(&v);
                let program = if self.lenient_default.is_some() {
                    "config"
                } else {
                    "schema program"
                };
                self.diags.push(
                    Diagnostic::error(codes::THROWN, format!("the {} throws: {what}", program))
                        .with_location(&at, "thrown here"),
                );
                for name in declared_names(s) {
                    env.poison_uninitialized(&name);
                }
            }
            Err(Flow::Poisoned) => {
                for name in declared_names(s) {
                    env.poison_uninitialized(&name);
                }
            }
            Err(_) => {}
        }
        threw
    }

    /// Evaluates a config's default export property by property: a property whose value fails
    /// becomes opaque and its error is kept in `deferred`, so keys that evaluate still count
    /// (a `dbCredentials` built by an env library does not hide `schema`).
    fn lenient_expr(&mut self, e: &'a ast::Expr, env: &Env<'a>) -> R<'a> {
        match &e.kind {
            ExprKind::Call { callee, args, .. } if args.len() == 1 => {
                let f = self.expr(callee, env)?;
                let is_identity = matches!(&f, Value::Builtin(b) if matches!(&**b,
                    Builtin::Drizzle { module, name } if module.functions.get(&**name) == Some(&schemac_stdlib::Function::Identity)));
                match (&args[0], is_identity) {
                    (ast::Arg::Expr(arg), true) => self.lenient_expr(arg, env),
                    _ => self.expr(e, env),
                }
            }
            ExprKind::Object(props) => {
                let mut out = Props::default();
                for p in props {
                    let (key, value) = match p {
                        ast::Prop::KeyValue { key, value } => (self.prop_key(key, env)?, value),
                        ast::Prop::Shorthand(id) => {
                            let k: Atom = id.name.clone();
                            let r = self.lookup(&id.name, env, id.span);
                            let v = self.lenient_value(&k, r, id.span);
                            out.insert(k, v);
                            continue;
                        }
                        ast::Prop::Spread(x) => {
                            let v = self.expr(x, env)?;
                            for k in self.keys_of(&v) {
                                let pv = self.get(&v, &k, x.span)?;
                                out.insert(k, pv);
                            }
                            continue;
                        }
                        _ => continue,
                    };
                    let v = if matches!(value.kind, ExprKind::Object(_)) {
                        self.lenient_expr(value, env)
                    } else {
                        self.expr(value, env)
                    };
                    let v = self.lenient_value(&key, v, value.span);
                    out.insert(key, v);
                }
                Ok(Value::object(out))
            }
            _ => self.expr(e, env),
        }
    }

    fn lenient_value(&mut self, key: &str, r: R<'a>, span: Span) -> Value<'a> {
        let d = match r {
            Ok(v) => return v,
            Err(Flow::Error(d)) => *d,
            Err(Flow::Throw(v, at)) => Diagnostic::error(
                codes::THROWN,
                format!("the config throws: {}", self.describe_thrown(&v)),
            )
            .with_location(&at, "thrown here"),
            Err(_) => return Value::poisoned(),
        };
        self.deferred.push((key.to_string(), d));
        Value::opaque(OpaqueReason::Poisoned, Some(self.location(span)))
    }

    /// The truth of a value that decides which code runs (`if`, loops). In schema files an
    /// unknown value cannot decide: that is an error rather than a guess.
    pub(crate) fn condition(&mut self, v: &Value<'a>, span: Span) -> R<'a, bool> {
        match v {
            // Configs guard on things only known at run time (`existsSync('.env.local')`, a zod
            // `safeParse(process.env).success`); their keys are checked afterwards anyway, so
            // the guarded branch is skipped rather than failing the whole config.
            Value::Opaque(_) if self.lenient_default.is_some() => {
                self.skipped_guard = true;
                Ok(false)
            }
            v if v.is_poisoned() => Err(Flow::Poisoned),
            Value::Opaque(o) => {
                // Inside a function this error becomes the call's unknown result (see
                // `call_closure`): code that never reaches SQL may branch on run-time values.
                self.undecided = Some(Rc::new(super::value::Opaque {
                    reason: OpaqueReason::Undecided(format!(
                        "the result of a function whose code branches on {}",
                        o.describe()
                    )),
                    origin: Some(self.location(span)),
                }));
                Err(Flow::Error(Box::new(self.opaque_error(
                    v,
                    span,
                    "used as a condition",
                ))))
            }
            v => Ok(v.truthy()),
        }
    }

    fn describe_thrown(&self, v: &Value<'a>) -> String {
        if let Some(msg) = v.get_prop("message").and_then(|m| m.to_js_string()) {
            return msg;
        }
        v.to_js_string().unwrap_or_else(|| v.kind_name())
    }

    /// Reads the export `name` of a module (following re-exports and `export *`).
    pub(crate) fn module_export(
        &mut self,
        target: &ImportTarget,
        name: Option<&str>,
        span: Span,
    ) -> R<'a> {
        match target {
            ImportTarget::Module(id) => {
                let id = *id;
                // A CommonJS module imported with `import`: its `module.exports` is the default
                // export and its properties are the named ones.
                let m = &self.modules[id];
                if let Some(cjs) = m.cjs_exports.clone()
                    && m.exports.is_empty()
                    && m.star_exports.is_empty()
                {
                    return match name {
                        None => Ok(cjs),
                        Some("default") => Ok(self.cjs_default(&cjs)),
                        Some(n) => self.get(&cjs, n, span),
                    };
                }
                match name {
                    None => Ok(self.namespace_object(id)),
                    Some(name) => match self.find_export(id, name, &mut Vec::new()) {
                        Some(v) => v.ok_or_else(|| {
                            self.error(
                                codes::UNINITIALIZED,
                                span,
                                format!(
                                    "`{name}` is used before `{}` has finished evaluating",
                                    self.modules[id].display_name()
                                ),
                                "used here",
                            )
                        }),
                        None => Err(self.missing_export(id, name, span, "imported here")),
                    },
                }
            }
            ImportTarget::Drizzle(module) => match name {
                None => Ok(Value::Builtin(Rc::new(Builtin::DrizzleNamespace(module)))),
                Some(name) => self.drizzle_export(module, name, span),
            },
            ImportTarget::Node(m) => {
                let ns: Rc<Builtin<'a>> = Rc::new(Builtin::Global(m));
                match name {
                    None | Some("default") => Ok(Value::Builtin(ns)),
                    Some(n) => super::builtins::builtin_member(self, &ns, n, span),
                }
            }
            ImportTarget::External(pkg) => Ok(Value::opaque(
                OpaqueReason::External {
                    package: pkg.clone(),
                    name: name.unwrap_or("*").to_string(),
                },
                Some(self.location(span)),
            )),
            ImportTarget::Unresolved => Ok(Value::poisoned()),
        }
    }

    fn missing_export(&self, id: ModuleId, name: &str, span: Span, label: &str) -> Flow<'a> {
        let names = self.export_names(id);
        let mut d = Diagnostic::error(
            codes::MISSING_EXPORT,
            format!(
                "`{}` has no export named `{name}`",
                self.modules[id].display_name()
            ),
        )
        .with_label(&self.file(), span, label);
        if let Some(best) = crate::suggest::closest(name, names.iter().map(|s| s.as_str())) {
            d = d.with_help(format!("did you mean `{best}`?"));
        }
        Flow::Error(Box::new(d))
    }

    /// Finds an export: `Some(Some(v))` found, `Some(None)` exists but not yet initialized,
    /// `None` no such export.
    fn find_export(
        &mut self,
        id: ModuleId,
        name: &str,
        visiting: &mut Vec<ModuleId>,
    ) -> Option<Option<Value<'a>>> {
        if visiting.contains(&id) {
            return None;
        }
        // A CommonJS module (reached by `export * from`): the properties of its
        // `module.exports`.
        let m = &self.modules[id];
        if let Some(cjs) = m.cjs_exports.clone()
            && m.exports.is_empty()
            && m.star_exports.is_empty()
        {
            let has = self.keys_of(&cjs).iter().any(|k| **k == *name);
            return has.then(|| self.get(&cjs, name, Span::default()).ok());
        }
        visiting.push(id);
        let entry = self.modules[id].exports.get(name).cloned();
        let found = match entry {
            Some(super::ExportEntry::Local(local)) => {
                Some(self.read_binding(&self.modules[id].scope.clone(), &local))
            }
            Some(super::ExportEntry::Reexport {
                target,
                name: Some(n),
            }) => match target {
                // A type the other module exports is erased (`undefined`, as bundlers give it);
                // a name it does not export at all was reported where it is re-exported
                // (`stmt`): unknown here.
                ImportTarget::Module(m) => self.find_export(m, &n, visiting).or_else(|| {
                    Some(Some(if self.exports_type(m, &n, &mut Vec::new()) {
                        Value::Undefined
                    } else {
                        Value::poisoned()
                    }))
                }),
                // drizzle-orm's types (`InferSelectModel`) are not in the stdlib: erased.
                t @ ImportTarget::Drizzle(_) => Some(Some(
                    self.module_export(&t, Some(&n), Span::default())
                        .unwrap_or(Value::Undefined),
                )),
                other => self
                    .module_export(&other, Some(&n), Span::default())
                    .ok()
                    .map(Some),
            },
            Some(super::ExportEntry::Reexport { target, name: None }) => match target {
                ImportTarget::Module(m) => Some(Some(self.namespace_object(m))),
                other => self
                    .module_export(&other, None, Span::default())
                    .ok()
                    .map(Some),
            },
            None if name != "default" => {
                let stars = self.modules[id].star_exports.clone();
                stars
                    .iter()
                    .find_map(|t| match t {
                        ImportTarget::Module(m) => self.find_export(*m, name, visiting),
                        ImportTarget::Drizzle(module) => self
                            .drizzle_export(module, name, Span::default())
                            .ok()
                            .map(Some),
                        _ => None,
                    })
                    .or_else(|| {
                        // `export * from 'some-package'`: schemac does not read the package, so
                        // any other name may come from it, as an opaque value (an error only
                        // where it would reach SQL).
                        stars.iter().find_map(|t| match t {
                            ImportTarget::External(_) => self
                                .module_export(t, Some(name), Span::default())
                                .ok()
                                .map(Some),
                            _ => None,
                        })
                    })
            }
            None => None,
        };
        visiting.pop();
        // A type (`interface`, `type X = ...`) named in a value export list, as barrels often do
        // without `type`: TypeScript erases it, and the bundler drizzle-kit loads schemas with
        // exports `undefined` for it.
        found.or_else(|| {
            self.declares_type(id, name)
                .then_some(Some(Value::Undefined))
        })
    }

    /// Whether the module exports a type named `name`: declared at its top level, named in an
    /// `export type { .. }` (or `export { type .. }`, with or without `from`), or exported by a
    /// module it re-exports all of.
    fn exports_type(&self, id: ModuleId, name: &str, visiting: &mut Vec<ModuleId>) -> bool {
        if visiting.contains(&id) {
            return false;
        }
        visiting.push(id);
        let m = &self.modules[id];
        let named = m.ast.body.iter().any(|s| match &s.kind {
            StmtKind::ExportNamed(e) => e
                .specs
                .iter()
                .any(|spec| (e.type_only || spec.type_only) && *spec.exported.name == *name),
            _ => false,
        });
        named
            || self.declares_type(id, name)
            || m.star_exports.clone().iter().any(|t| match t {
                ImportTarget::Module(other) => self.exports_type(*other, name, visiting),
                _ => false,
            })
    }

    /// Whether the module declares a type named `name` at its top level.
    fn declares_type(&self, id: ModuleId, name: &str) -> bool {
        self.modules[id].ast.body.iter().any(
            |s| matches!(&s.kind, StmtKind::TypeDecl { name: Some(n), .. } if *n.name == *name),
        )
    }

    fn read_binding(&self, env: &Env<'a>, name: &str) -> Option<Value<'a>> {
        match env.lookup(name) {
            Some(Binding::Value { value, .. }) => value,
            _ => None,
        }
    }

    /// Every name a module exports (for suggestions and `import * as ns`).
    pub(crate) fn export_names(&self, id: ModuleId) -> Vec<Atom> {
        let mut names = Vec::new();
        let mut seen = vec![id];
        let mut stack = vec![id];
        while let Some(m) = stack.pop() {
            for k in self.modules[m].exports.keys() {
                if m == id || k != "default" {
                    names.push(k.clone());
                }
            }
            for t in &self.modules[m].star_exports {
                if let ImportTarget::Module(d) = t
                    && !seen.contains(d)
                {
                    seen.push(*d);
                    stack.push(*d);
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// The current module's `module.exports` (CommonJS), an empty object until it is assigned.
    /// The default export of a CommonJS module: `exports.default` when it was compiled from an
    /// ES module (`__esModule` set, as tsc and Babel write), else `module.exports` itself.
    pub(crate) fn cjs_default(&self, cjs: &Value<'a>) -> Value<'a> {
        if let Value::Object(o) = cjs {
            let o = o.borrow();
            if o.props.get("__esModule").is_some_and(|v| v.truthy())
                && let Some(d) = o.props.get("default")
            {
                return d.clone();
            }
        }
        cjs.clone()
    }

    pub(crate) fn cjs_exports_object(&mut self) -> Value<'a> {
        let m = &mut self.modules[self.current];
        m.cjs_exports
            .get_or_insert_with(|| Value::object(Props::default()))
            .clone()
    }

    /// `require('x')` of a specifier the module requires with a literal (see
    /// `visit::literal_requires`): the module runs now if it has not yet, and its value is its
    /// `module.exports`, or for an ES module its namespace object.
    pub(crate) fn require(&mut self, specifier: &str, span: Span) -> R<'a> {
        let target = self.modules[self.current].import(specifier);
        if let ImportTarget::Module(id) = target {
            self.run_module(id);
            if let Some(v) = &self.modules[id].cjs_exports {
                return Ok(v.clone());
            }
            return Ok(self.namespace_object(id));
        }
        if matches!(target, ImportTarget::Unresolved)
            && !self.modules[self.current].imports.contains_key(specifier)
        {
            // Not a `require` with a literal string: its module was never loaded.
            return Ok(Value::opaque(
                OpaqueReason::Unsupported(format!(
                    "a value loaded with `require('{specifier}')`, whose specifier is computed"
                )),
                Some(self.location(span)),
            ));
        }
        self.module_export(&target, None, span)
    }

    fn namespace_object(&mut self, id: ModuleId) -> Value<'a> {
        let mut props = Props::default();
        for name in self.export_names(id) {
            if let Some(Some(v)) = self.find_export(id, &name, &mut Vec::new()) {
                props.insert(Atom::from(name.as_str()), v);
            }
        }
        Value::object(props)
    }

    // ---------------------------------------------------------------- statements

    /// Declares what a block declares before it runs: functions (initialized), `var`
    /// (undefined) and `let`/`const`/`class`/`enum` (dead until their declaration runs).
    pub(crate) fn hoist(&mut self, body: &'a [ast::Stmt], env: &Env<'a>) {
        for s in body {
            match &s.kind {
                StmtKind::Function(f) => {
                    if let Some(name) = &f.func.name {
                        let c = self.closure(&f.func, env, None);
                        env.define(&name.name, c, true);
                    }
                }
                StmtKind::Var(v) => {
                    for d in &v.decls {
                        for name in pattern_names(&d.target) {
                            if v.kind == ast::VarKind::Var {
                                if !env.has_own(&name) {
                                    env.define(&name, Value::Undefined, true);
                                }
                            } else {
                                env.declare(
                                    &name,
                                    Binding::Value {
                                        value: None,
                                        mutable: v.kind == ast::VarKind::Let,
                                    },
                                );
                            }
                        }
                    }
                }
                StmtKind::Class(c) => {
                    if let Some(n) = &c.name {
                        env.declare(
                            &n.name,
                            Binding::Value {
                                value: None,
                                mutable: true,
                            },
                        );
                    }
                }
                StmtKind::Enum(e) if !env.has_own(&e.name.name) => {
                    env.declare(
                        &e.name.name,
                        Binding::Value {
                            value: None,
                            mutable: true,
                        },
                    );
                }
                // tsc's `var N;`: merges with a function, class or enum of the same name.
                StmtKind::Namespace(n) if !env.has_own(&n.name.name) => {
                    env.define(&n.name.name, Value::Undefined, true);
                }
                StmtKind::Import(i) if !i.type_only => self.bind_import(i, env),
                StmtKind::ExportDefault(e) => {
                    env.declare(
                        "*default*",
                        Binding::Value {
                            value: None,
                            mutable: false,
                        },
                    );
                    // `export default function f() {}` also declares `f`.
                    if let ExprKind::Function(f) = &e.kind
                        && let Some(name) = &f.name
                    {
                        let c = self.closure(f, env, None);
                        env.define(&name.name, c, true);
                    }
                }
                _ => {}
            }
        }
    }

    fn bind_import(&mut self, i: &'a ast::ImportDecl, env: &Env<'a>) {
        let target = self.modules[self.current].import(&i.source.value);
        if let Some(d) = &i.default {
            env.declare(
                &d.name,
                Binding::Import {
                    target: target.clone(),
                    name: Some(Atom::from("default")),
                    span: d.span,
                },
            );
        }
        if let Some(ns) = &i.namespace {
            env.declare(
                &ns.name,
                Binding::Import {
                    target: target.clone(),
                    name: None,
                    span: ns.span,
                },
            );
        }
        for spec in &i.named {
            if spec.type_only {
                continue;
            }
            env.declare(
                &spec.local.name,
                Binding::Import {
                    target: target.clone(),
                    name: Some(spec.imported.name.clone()),
                    span: spec.imported.span,
                },
            );
        }
    }

    pub(crate) fn block(&mut self, body: &'a [ast::Stmt], env: &Env<'a>) -> R<'a, ()> {
        let scope = self.new_scope(env);
        self.hoist(body, &scope);
        for s in body {
            self.stmt(s, &scope)?;
        }
        Ok(())
    }

    pub(crate) fn stmt(&mut self, s: &'a ast::Stmt, env: &Env<'a>) -> R<'a, ()> {
        self.tick(s.span)?;
        match &s.kind {
            // `export { a } from './m'` of a name `./m` does not export: an error of this
            // module, at the name (JavaScript fails to link it); the name is exported unknown.
            StmtKind::ExportNamed(e) if !e.type_only && e.source.is_some() => {
                let target = e
                    .source
                    .as_ref()
                    .map(|src| self.modules[self.current].import(&src.value));
                if let Some(ImportTarget::Module(m)) = target {
                    for spec in e.specs.iter().filter(|s| !s.type_only) {
                        let name = &spec.local.name;
                        if self.find_export(m, name, &mut Vec::new()).is_none()
                            && !self.exports_type(m, name, &mut Vec::new())
                            && let Flow::Error(d) =
                                self.missing_export(m, name, spec.local.span, "re-exported here")
                        {
                            self.diags.push(*d);
                        }
                    }
                }
                Ok(())
            }
            StmtKind::Import(_)
            | StmtKind::ExportNamed(_)
            | StmtKind::ExportAll(_)
            | StmtKind::TypeDecl { .. }
            | StmtKind::Empty
            | StmtKind::Function(_) => Ok(()),
            StmtKind::ExportDefault(e) => {
                let v = self.expr(e, env)?;
                env.define("*default*", v, false);
                Ok(())
            }
            // TypeScript's `export = x`: CommonJS's `module.exports = x`.
            StmtKind::ExportAssign(e) => {
                let v = self.expr(e, env)?;
                self.modules[self.current].cjs_exports = Some(v);
                Ok(())
            }
            StmtKind::Error => Ok(()),
            StmtKind::Var(v) => {
                if v.declare {
                    for d in &v.decls {
                        for name in pattern_names(&d.target) {
                            env.define(
                                &name,
                                Value::opaque(
                                    OpaqueReason::Unsupported(format!(
                                        "`{name}`, which is only declared (`declare`)"
                                    )),
                                    Some(self.location(d.span)),
                                ),
                                true,
                            );
                        }
                    }
                    return Ok(());
                }
                let mode = if v.kind == ast::VarKind::Const {
                    BindMode::Const
                } else {
                    BindMode::Let
                };
                for d in &v.decls {
                    let value = match &d.init {
                        Some(e) => {
                            let val = self.expr(e, env)?;
                            self.name_function(&val, &d.target);
                            val
                        }
                        // `var x;` again keeps what `x` holds (it was hoisted): swc's output
                        // declares a namespace's variable after the code that fills it.
                        None if v.kind == ast::VarKind::Var => continue,
                        None => Value::Undefined,
                    };
                    self.bind_pattern(&d.target, value, env, mode)?;
                }
                Ok(())
            }
            StmtKind::Class(c) => {
                if c.name.is_some() {
                    let v = self.class_value(c, env, true)?;
                    if let (Value::Opaque(_), Some(n)) = (&v, &c.name) {
                        env.define(&n.name, v, true);
                    }
                }
                Ok(())
            }
            StmtKind::Enum(e) => {
                let v = self.enum_value(e, env)?;
                env.define(&e.name.name, v, true);
                Ok(())
            }
            StmtKind::Namespace(n) => {
                let v = self.namespace_value(n, env)?;
                env.define(&n.name.name, v, true);
                Ok(())
            }
            StmtKind::Expr(e) => self.expr(e, env).map(|_| ()),
            StmtKind::Block(b) => self.block(b, env),
            StmtKind::If { test, cons, alt } => {
                let t = self.expr(test, env)?;
                // A config's guard on a run-time value (`if (existsSync(f)) load(f); else throw`)
                // runs neither branch: either could be wrong, and its keys are checked after.
                if matches!(t, Value::Opaque(_)) && self.lenient_default.is_some() {
                    self.skipped_guard = true;
                    return Ok(());
                }
                if self.condition(&t, test.span)? {
                    self.stmt(cons, env)
                } else if let Some(alt) = alt {
                    self.stmt(alt, env)
                } else {
                    Ok(())
                }
            }
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.expr(e, env)?,
                    None => Value::Undefined,
                };
                Err(Flow::Return(v))
            }
            StmtKind::Throw(e) => {
                let v = self.expr(e, env)?;
                Err(Flow::Throw(v, self.location(s.span)))
            }
            StmtKind::For {
                init,
                test,
                update,
                body,
            } => {
                let mut scope = self.new_scope(env);
                // `let`/`const` in the head: each iteration has its own copy of the variables
                // (closures made in the body keep their iteration's values), as in JavaScript.
                let mut per_iteration = Vec::new();
                if let Some(init) = init {
                    if let StmtKind::Var(v) = &init.kind {
                        self.hoist(std::slice::from_ref(init), &scope);
                        if v.kind != ast::VarKind::Var {
                            per_iteration = declared_names(init);
                        }
                    }
                    self.stmt(init, &scope)?;
                }
                let next_iteration = |ev: &mut Self, scope: &Env<'a>| -> Env<'a> {
                    if per_iteration.is_empty() {
                        return scope.clone();
                    }
                    let next = ev.new_scope(env);
                    for name in &per_iteration {
                        if let Some(b) = scope.vars.borrow().get(name) {
                            next.declare(name.clone(), b.clone());
                        }
                    }
                    next
                };
                scope = next_iteration(self, &scope);
                loop {
                    self.tick(s.span)?;
                    if let Some(t) = test {
                        let v = self.expr(t, &scope)?;
                        if !self.condition(&v, t.span)? {
                            break;
                        }
                    }
                    match self.stmt(body, &scope) {
                        Ok(()) | Err(Flow::Continue(None)) => {}
                        Err(Flow::Break(None)) => break,
                        Err(e) => return Err(e),
                    }
                    scope = next_iteration(self, &scope);
                    if let Some(u) = update {
                        self.expr(u, &scope)?;
                    }
                }
                Ok(())
            }
            StmtKind::ForInOf {
                left,
                right,
                body,
                of,
            } => {
                let iterable = self.expr(right, env)?;
                // An unknown collection cannot say how often the loop runs (as a condition).
                if let Value::Opaque(_) = iterable {
                    self.condition(&iterable, right.span)?;
                    return Ok(());
                }
                let items = if *of {
                    self.iterate(&iterable, right.span)?
                } else {
                    self.string_keys_of(&iterable)
                        .into_iter()
                        .map(Value::Str)
                        .collect()
                };
                for item in items {
                    self.tick(s.span)?;
                    let scope = self.new_scope(env);
                    match left {
                        ast::ForHead::Decl(kind, pat) => {
                            let mode = if *kind == ast::VarKind::Const {
                                BindMode::Const
                            } else {
                                BindMode::Let
                            };
                            self.bind_pattern(pat, item, &scope, mode)?;
                        }
                        ast::ForHead::Pattern(pat) => {
                            self.bind_pattern(pat, item, &scope, BindMode::Assign)?
                        }
                    }
                    match self.stmt(body, &scope) {
                        Ok(()) | Err(Flow::Continue(None)) => {}
                        Err(Flow::Break(None)) => break,
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            StmtKind::While { test, body } => {
                loop {
                    let t = self.expr(test, env)?;
                    if !self.condition(&t, test.span)? {
                        break;
                    }
                    self.tick(s.span)?;
                    match self.stmt(body, env) {
                        Ok(()) | Err(Flow::Continue(None)) => {}
                        Err(Flow::Break(None)) => break,
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            StmtKind::DoWhile { body, test } => {
                loop {
                    self.tick(s.span)?;
                    match self.stmt(body, env) {
                        Ok(()) | Err(Flow::Continue(None)) => {}
                        Err(Flow::Break(None)) => break,
                        Err(e) => return Err(e),
                    }
                    let t = self.expr(test, env)?;
                    if !self.condition(&t, test.span)? {
                        break;
                    }
                }
                Ok(())
            }
            StmtKind::Break => Err(Flow::Break(None)),
            StmtKind::Continue => Err(Flow::Continue(None)),
            StmtKind::Switch {
                discriminant,
                cases,
            } => {
                let d = self.expr(discriminant, env)?;
                let scope = self.new_scope(env);
                let mut matched = None;
                for (i, c) in cases.iter().enumerate() {
                    if let Some(t) = &c.test
                        && self.expr(t, &scope)?.strict_eq(&d)
                    {
                        matched = Some(i);
                        break;
                    }
                }
                let start = matched.or_else(|| cases.iter().position(|c| c.test.is_none()));
                if let Some(start) = start {
                    for c in &cases[start..] {
                        self.hoist(&c.body, &scope);
                        for st in &c.body {
                            match self.stmt(st, &scope) {
                                Ok(()) => {}
                                Err(Flow::Break(None)) => return Ok(()),
                                Err(e) => return Err(e),
                            }
                        }
                    }
                }
                Ok(())
            }
            StmtKind::Try {
                block,
                param,
                handler,
                finalizer,
            } => {
                let result = match self.block(block, env) {
                    Err(Flow::Throw(v, _)) if handler.is_some() => {
                        let scope = self.new_scope(env);
                        if let Some(p) = param {
                            self.bind_pattern(p, v, &scope, BindMode::Let)?;
                        }
                        self.block(handler.as_deref().unwrap_or(&[]), &scope)
                    }
                    other => other,
                };
                if let Some(f) = finalizer {
                    self.block(f, env)?;
                }
                result
            }
        }
    }

    /// Gives an anonymous function or class the name of the variable it is assigned to (as
    /// JavaScript does); used for messages only.
    fn name_function(&self, _v: &Value<'a>, _target: &ast::Pattern) {}

    /// A TypeScript `enum` is an object: `Name.Member` gives the value; numeric members also
    /// map back from value to name, as `tsc` emits them.
    /// A namespace with values, as tsc emits it: its body runs in its own scope and each
    /// exported member becomes a property of the namespace object, or of the function, class or
    /// object already declared under its name (declarations merge).
    fn namespace_value(&mut self, n: &'a ast::NamespaceDecl, env: &Env<'a>) -> R<'a> {
        let target = match env.lookup(&n.name.name) {
            Some(Binding::Value {
                value: Some(v @ (Value::Object(_) | Value::Function(_))),
                ..
            }) if env.has_own(&n.name.name) => v,
            _ => Value::object(Props::default()),
        };
        let scope = self.new_scope(env);
        self.hoist(&n.body, &scope);
        let export = |s: &'a ast::Stmt, scope: &Env<'a>| {
            for name in exported_member_names(s) {
                if let Some(Binding::Value { value: Some(v), .. }) = scope.lookup(&name) {
                    target.define_own(name, v);
                }
            }
        };
        // In statement order, as tsc assigns them (`N.f = f` where `f` is declared).
        for s in &n.body {
            self.stmt(s, &scope)?;
            export(s, &scope);
        }
        Ok(target)
    }

    fn enum_value(&mut self, e: &'a ast::EnumDecl, env: &Env<'a>) -> R<'a> {
        let mut props: Props<'a> = Props::default();
        let mut reverse: Vec<(Atom, Value<'a>)> = Vec::new();
        let mut next = Some(0.0);
        // Members can refer to earlier members by bare name.
        let scope = self.new_scope(env);
        for m in &e.members {
            let v = match &m.init {
                Some(init) => self.expr(init, &scope)?,
                None => match next {
                    Some(n) => Value::Number(n),
                    None => {
                        return Err(self.error(
                            codes::BAD_OPERATION,
                            m.name.span,
                            format!("enum member `{}` needs an initializer", m.name.name),
                            "after a string member, every member needs a value",
                        ));
                    }
                },
            };
            next = v.as_number().map(|n| n + 1.0);
            if let Value::Number(n) = v {
                reverse.push((
                    Atom::from(super::value::number_to_string(n).as_str()),
                    Value::Str(m.name.name.clone()),
                ));
            }
            scope.define(&m.name.name, v.clone(), false);
            props.insert(m.name.name.clone(), v);
        }
        for (k, v) in reverse {
            props.insert(k, v);
        }
        Ok(Value::Object(Rc::new(RefCell::new(Object {
            props,
            rest: None,
            proto: None,
        }))))
    }

    // ---------------------------------------------------------------- patterns

    pub(crate) fn bind_pattern(
        &mut self,
        pat: &'a ast::Pattern,
        value: Value<'a>,
        env: &Env<'a>,
        mode: BindMode,
    ) -> R<'a, ()> {
        match &pat.kind {
            PatternKind::Ident(id) => match mode {
                BindMode::Assign => self.assign_name(&id.name, value, env, id.span),
                BindMode::Const | BindMode::Let => {
                    env.define(&id.name, value, mode == BindMode::Let);
                    Ok(())
                }
            },
            PatternKind::Object { props, rest } => {
                if value.is_nullish() {
                    return Err(self.error(
                        codes::BAD_OPERATION,
                        pat.span,
                        format!("cannot destructure {}", value.kind_name()),
                        "this value is null or undefined",
                    ));
                }
                let mut used = Vec::new();
                for p in props {
                    let key = self.prop_key(&p.key, env)?;
                    let mut v = self.get(&value, &key, pat.span)?;
                    if matches!(v, Value::Undefined)
                        && let Some(d) = &p.default
                    {
                        v = self.expr(d, env)?;
                    }
                    used.push(key);
                    self.bind_pattern(&p.value, v, env, mode)?;
                }
                if let Some(rest) = rest {
                    let mut props = Props::default();
                    for k in self.keys_of(&value) {
                        if !used.iter().any(|u| **u == *k) {
                            let v = self.get(&value, &k, pat.span)?;
                            props.insert(k, v);
                        }
                    }
                    self.bind_pattern(rest, Value::object(props), env, mode)?;
                }
                Ok(())
            }
            PatternKind::Array { elems, rest } => {
                let items = self.iterate(&value, pat.span)?;
                for (i, e) in elems.iter().enumerate() {
                    if let Some(e) = e {
                        let mut v = items.get(i).cloned().unwrap_or(Value::Undefined);
                        if matches!(v, Value::Undefined)
                            && let Some(d) = &e.default
                        {
                            v = self.expr(d, env)?;
                        }
                        self.bind_pattern(&e.pattern, v, env, mode)?;
                    }
                }
                if let Some(rest) = rest {
                    let tail = items.get(elems.len()..).unwrap_or(&[]).to_vec();
                    self.bind_pattern(rest, Value::array(tail), env, mode)?;
                }
                Ok(())
            }
            PatternKind::Expr(target) => self.assign_to(target, value, env),
            PatternKind::Error => Ok(()),
        }
    }

    fn assign_name(
        &mut self,
        name: &str,
        value: Value<'a>,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a, ()> {
        match env.assign(name, value) {
            Ok(()) => Ok(()),
            Err(true) => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("cannot assign to `{name}` because it is a constant"),
                "assignment to a constant",
            )),
            Err(false) => Err(self.error(
                codes::UNDEFINED_NAME,
                span,
                format!("cannot assign to `{name}`: it is not declared"),
                "not declared",
            )),
        }
    }

    fn assign_to(&mut self, target: &'a ast::Expr, value: Value<'a>, env: &Env<'a>) -> R<'a, ()> {
        match &target.kind {
            ExprKind::Ident(name) => self.assign_name(name, value, env, target.span),
            ExprKind::Member { object, prop, .. } => {
                let obj = self.expr(object, env)?;
                self.set(&obj, &prop.name, value, target.span)
            }
            ExprKind::Index { object, index, .. } => {
                let obj = self.expr(object, env)?;
                let key = self.expr(index, env)?;
                let key = self.key_string(&key, index.span)?;
                self.set(&obj, &key, value, target.span)
            }
            _ => Err(self.error(
                codes::UNSUPPORTED_SYNTAX,
                target.span,
                "schemac cannot assign to this expression",
                "unsupported assignment target",
            )),
        }
    }

    fn set(&mut self, obj: &Value<'a>, key: &str, value: Value<'a>, span: Span) -> R<'a, ()> {
        match obj {
            Value::Object(o) => {
                o.borrow_mut().props.insert(Atom::from(key), value);
                Ok(())
            }
            Value::Array(a) => {
                if let Ok(i) = key.parse::<usize>() {
                    let mut a = a.borrow_mut();
                    if i >= a.len() {
                        if i > a.len() + 100_000 {
                            return Err(self.error(
                                codes::EVAL_LIMIT,
                                span,
                                "array index too large",
                                "here",
                            ));
                        }
                        a.resize(i + 1, Value::Undefined);
                    }
                    a[i] = value;
                    Ok(())
                } else if key == "length" {
                    let n = value.to_number().unwrap_or(0.0).max(0.0) as usize;
                    a.borrow_mut().resize(n.min(1_000_000), Value::Undefined);
                    Ok(())
                } else {
                    Ok(())
                }
            }
            Value::Opaque(_) => Ok(()),
            // `process.env.X = ...`: later reads see it (as strings, as Node stores them).
            Value::Builtin(b) if matches!(**b, Builtin::Global("process.env")) => {
                if let Some(text) = value.to_js_string() {
                    self.env_overlay.insert(key.to_string(), text);
                }
                Ok(())
            }
            Value::Builtin(b) if matches!(**b, Builtin::Global("globalThis" | "global")) => {
                self.globals.insert(key.to_string(), value);
                Ok(())
            }
            // CommonJS: `module.exports = ...` is the module's value (a `.js` config).
            Value::Builtin(b) if matches!(**b, Builtin::Global("module")) && key == "exports" => {
                self.modules[self.current].cjs_exports = Some(value);
                Ok(())
            }
            // A function is an object (`fn.helper = () => ...`); `name` and `length` are
            // read-only, and assigning them throws in module (strict) code.
            Value::Function(_) if matches!(key, "name" | "length") => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("cannot assign to the read-only property `{key}` of a function"),
                "read-only",
            )),
            Value::Function(c) => {
                c.props.borrow_mut().insert(Atom::from(key), value);
                Ok(())
            }
            Value::Class(c) => {
                c.statics.borrow_mut().insert(Atom::from(key), value);
                Ok(())
            }
            Value::Builtin(_) => Ok(()),
            // `table.col.getSQLType = function () { ... }` (e.g. to add a COLLATE clause).
            Value::Host(h)
                if key == "getSQLType" && matches!(**h, super::drizzle::Host::ColumnRef(_)) =>
            {
                if let super::drizzle::Host::ColumnRef(r) = &**h {
                    r.table.sql_types.borrow_mut().push((r.key.clone(), value));
                }
                Ok(())
            }
            // Metadata kept under a symbol (documentation helpers): Drizzle reads none of it.
            Value::Host(_) if key.starts_with(super::builtins::SYMBOL_PREFIX) => Ok(()),
            // A helper set on a column builder (`base.req = () => base.notNull()`).
            Value::Host(h) if matches!(**h, super::drizzle::Host::Column(_)) => {
                obj.define_own(Atom::from(key), value);
                Ok(())
            }
            Value::Host(_) => Err(self.error(
                codes::UNSUPPORTED_SYNTAX,
                span,
                format!(
                    "schemac does not support assigning to properties of {}",
                    obj.kind_name()
                ),
                "assignment to a Drizzle object",
            )),
            _ => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("cannot set property `{key}` of {}", obj.kind_name()),
                "not an object",
            )),
        }
    }

    // ---------------------------------------------------------------- expressions

    pub(crate) fn expr(&mut self, e: &'a ast::Expr, env: &Env<'a>) -> R<'a> {
        match &e.kind {
            ExprKind::Ident(name) => self.lookup(name, env, e.span),
            ExprKind::This => Ok(self.lookup_this(env)),
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Number(n) => Ok(Value::Number(*n)),
            ExprKind::BigInt(digits) => {
                Ok(Value::BigInt(Atom::from(bigint_decimal(digits).as_str())))
            }
            ExprKind::Str(s) => Ok(Value::Str(s.clone())),
            ExprKind::Template(t) => self.template(t, env),
            ExprKind::TaggedTemplate { tag, quasi } => {
                let tag_v = self.expr(tag, env)?;
                let mut values = Vec::with_capacity(quasi.exprs.len());
                let mut spans = Vec::with_capacity(quasi.exprs.len());
                for x in &quasi.exprs {
                    values.push(self.expr(x, env)?);
                    spans.push(x.span);
                }
                // `String.raw` reads the pieces as written.
                if let Value::Builtin(b) = &tag_v
                    && matches!(**b, super::Builtin::Global("String.raw"))
                {
                    let raw = quasi.raw.as_deref().unwrap_or(&quasi.quasis);
                    return self.string_raw(raw, &values, &spans);
                }
                self.tagged_template(&tag_v, &quasi.quasis, values, spans, e.span)
            }
            ExprKind::Regex { pattern, flags } => {
                Ok(super::regex::literal(self, pattern, flags, e.span))
            }
            ExprKind::Array(elems) => {
                let mut out = Vec::with_capacity(elems.len());
                for el in elems {
                    match el {
                        ast::ArrayElem::Hole => out.push(Value::Undefined),
                        ast::ArrayElem::Expr(x) => out.push(self.expr(x, env)?),
                        ast::ArrayElem::Spread(x) => {
                            let v = self.expr(x, env)?;
                            out.extend(self.iterate(&v, x.span)?);
                        }
                    }
                }
                Ok(Value::array(out))
            }
            ExprKind::Object(props) => self.object_literal(props, env),
            ExprKind::Function(f) => {
                let this = if f.is_arrow {
                    Some(self.lookup_this(env))
                } else {
                    None
                };
                Ok(self.closure(f, env, this))
            }
            ExprKind::Class(c) => self.class_value(c, env, false),
            ExprKind::Unary { op, arg } => {
                if *op == ast::UnaryOp::Typeof
                    && let ExprKind::Ident(name) = &arg.kind
                    && env.lookup(name).is_none()
                    && (!super::builtins::is_global(name) || matches!(&**name, "Bun" | "Deno"))
                {
                    // drizzle-kit runs on Node: runtime checks for Bun and Deno take Node's
                    // branch, though their environment objects can be read.
                    return Ok(Value::str("undefined"));
                }
                let v = self.expr(arg, env)?;
                self.unary(*op, v, e.span)
            }
            ExprKind::Update { op, prefix, arg } => {
                let old = self.expr(arg, env)?;
                let n = old.to_number().unwrap_or(f64::NAN);
                let new = match op {
                    ast::UpdateOp::Inc => n + 1.0,
                    ast::UpdateOp::Dec => n - 1.0,
                };
                self.assign_to(arg, Value::Number(new), env)?;
                Ok(Value::Number(if *prefix { new } else { n }))
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.expr(left, env)?;
                if let Value::Opaque(o) = &l
                    && matches!(op, ast::BinaryOp::And | ast::BinaryOp::Or)
                {
                    // Whether the right side runs is unknown, so is the result.
                    return Ok(Value::Opaque(o.clone()));
                }
                match op {
                    ast::BinaryOp::And => {
                        if !l.truthy() {
                            Ok(l)
                        } else {
                            self.expr(right, env)
                        }
                    }
                    ast::BinaryOp::Or => {
                        if l.truthy() {
                            Ok(l)
                        } else {
                            self.expr(right, env)
                        }
                    }
                    ast::BinaryOp::Nullish => {
                        if !l.is_nullish() {
                            Ok(l)
                        } else {
                            self.expr(right, env)
                        }
                    }
                    _ => {
                        let r = self.expr(right, env)?;
                        self.binary(*op, l, r, e.span)
                    }
                }
            }
            ExprKind::Assign { op, target, value } => {
                let v = match op {
                    ast::AssignOp::Assign => self.expr(value, env)?,
                    ast::AssignOp::Op(bop) => {
                        let PatternKind::Expr(t) = &target.kind else {
                            let PatternKind::Ident(id) = &target.kind else {
                                return Err(self.error(
                                    codes::UNSUPPORTED_SYNTAX,
                                    e.span,
                                    "unsupported compound assignment",
                                    "here",
                                ));
                            };
                            let old = self.lookup(&id.name, env, id.span)?;
                            let v = self.logical_or_binary(*bop, old, value, env, e.span)?;
                            self.assign_name(&id.name, v.clone(), env, id.span)?;
                            return Ok(v);
                        };
                        let old = self.expr(t, env)?;
                        self.logical_or_binary(*bop, old, value, env, e.span)?
                    }
                };
                self.bind_pattern(target, v.clone(), env, BindMode::Assign)?;
                Ok(v)
            }
            ExprKind::Cond { test, cons, alt } => {
                let t = self.expr(test, env)?;
                if let Value::Opaque(o) = &t {
                    // Either branch may be taken: an unknown choice, which a schema file may
                    // not export (it might be a table), as for a function that branches.
                    if o.reason == OpaqueReason::Poisoned {
                        return Ok(t);
                    }
                    return Ok(Value::opaque(
                        OpaqueReason::Undecided(format!("a choice (`?:`) on {}", o.describe())),
                        Some(self.location(test.span)),
                    ));
                }
                if t.truthy() {
                    self.expr(cons, env)
                } else {
                    self.expr(alt, env)
                }
            }
            ExprKind::Call {
                callee,
                args,
                optional,
            } => match self.call_expr(callee, args, *optional, env, e.span) {
                Err(Flow::ShortCircuit) => Ok(Value::Undefined),
                r => r,
            },
            ExprKind::New { callee, args } => {
                let c = self.expr(callee, env)?;
                let args = self.args(args, env, e.span)?;
                self.construct(&c, args, e.span)
            }
            ExprKind::Member { .. } | ExprKind::Index { .. } => match self.chain_link(e, env) {
                Err(Flow::ShortCircuit) => Ok(Value::Undefined),
                r => r,
            },
            ExprKind::Seq(items) => {
                let mut last = Value::Undefined;
                for x in items {
                    last = self.expr(x, env)?;
                }
                Ok(last)
            }
            ExprKind::Await(x) => self.expr(x, env),
            ExprKind::ImportMeta => {
                let file = self.file();
                let text = file.to_string_lossy().into_owned();
                let mut props = Props::default();
                props.insert(Atom::from("url"), Value::str(&format!("file://{text}")));
                props.insert(
                    Atom::from("dirname"),
                    Value::str(&super::node::dirname(&text)),
                );
                props.insert(Atom::from("filename"), Value::str(&text));
                // Bun's names for the same, and the environment Vite and Bun expose here.
                props.insert(Atom::from("dir"), Value::str(&super::node::dirname(&text)));
                props.insert(Atom::from("path"), Value::str(&text));
                props.insert(
                    Atom::from("env"),
                    Value::Builtin(Rc::new(Builtin::Global("process.env"))),
                );
                Ok(Value::object(props))
            }
            ExprKind::Yield { arg, delegate } if !self.yields.is_empty() => {
                let v = match arg {
                    Some(a) => self.expr(a, env)?,
                    None => Value::Undefined,
                };
                let items = if *delegate {
                    self.iterate(&v, e.span)?
                } else {
                    vec![v]
                };
                if let Some(top) = self.yields.last_mut() {
                    top.extend(items);
                }
                // What `next(x)` would pass in: nothing, when run to the end at once.
                Ok(Value::Undefined)
            }
            ExprKind::Yield { .. } | ExprKind::ImportCall(_) => Ok(Value::opaque(
                OpaqueReason::Unsupported("`yield`, `import()` or `import.meta`".into()),
                Some(self.location(e.span)),
            )),
            ExprKind::Error => Ok(Value::poisoned()),
        }
    }

    fn logical_or_binary(
        &mut self,
        op: ast::BinaryOp,
        old: Value<'a>,
        value: &'a ast::Expr,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a> {
        match op {
            ast::BinaryOp::And => {
                if old.truthy() {
                    self.expr(value, env)
                } else {
                    Ok(old)
                }
            }
            ast::BinaryOp::Or => {
                if old.truthy() {
                    Ok(old)
                } else {
                    self.expr(value, env)
                }
            }
            ast::BinaryOp::Nullish => {
                if old.is_nullish() {
                    self.expr(value, env)
                } else {
                    Ok(old)
                }
            }
            _ => {
                let r = self.expr(value, env)?;
                self.binary(op, old, r, span)
            }
        }
    }

    fn lookup(&mut self, name: &str, env: &Env<'a>, span: Span) -> R<'a> {
        match env.lookup(name) {
            Some(Binding::Value { value: Some(v), .. }) => Ok(v),
            Some(Binding::Value { value: None, .. }) => Err(self.error(
                codes::UNINITIALIZED,
                span,
                format!("`{name}` is used before its declaration has run"),
                "used here before it is initialized",
            )),
            Some(Binding::Import {
                target: target @ (ImportTarget::Drizzle(_) | ImportTarget::Node(_)),
                name: export,
                span: import_span,
            }) => {
                // Drizzle's and Node's exports never change: resolve the import once.
                let v = self.module_export(&target, export.as_deref(), import_span)?;
                env.settle_import(name, v.clone());
                Ok(v)
            }
            Some(Binding::Import {
                target,
                name: export,
                span: import_span,
            }) => {
                let saved_span = span;
                match self.module_export(&target, export.as_deref(), import_span) {
                    Ok(v) => Ok(v),
                    Err(Flow::Error(mut d)) if d.code == codes::UNINITIALIZED => {
                        d.labels[0].location.span = saved_span;
                        d.help = Some("the modules import each other; use it inside a function (e.g. `() => table.id`) so it is read after both have loaded".into());
                        Err(Flow::Error(d))
                    }
                    Err(e) => Err(e),
                }
            }
            // CommonJS: `exports` is the module's `module.exports` object.
            None if name == "exports" => Ok(self.cjs_exports_object()),
            // `new.target` outside a class constructor (a function called without `new`).
            None if name == "new.target" => Ok(Value::Undefined),
            None if name == "__dirname" || name == "__filename" => {
                let file = self.file();
                let text = file.to_string_lossy();
                Ok(Value::str(&if name == "__dirname" {
                    super::node::dirname(&text)
                } else {
                    text.into_owned()
                }))
            }
            None => match super::builtins::global(name) {
                Some(v) => Ok(v),
                None => {
                    let mut d = Diagnostic::error(
                        codes::UNDEFINED_NAME,
                        format!("cannot find name `{name}`"),
                    )
                    .with_label(
                        &self.file(),
                        span,
                        "not defined in this scope",
                    );
                    let candidates = env.all_names();
                    let best = crate::suggest::closest(name, candidates.iter().map(|s| &**s));
                    // `uniqeIndex` imported and `uniqueIndex` used: the import is the typo.
                    let misspelled_import = best.and_then(|best| match env.lookup(best) {
                        Some(Binding::Import {
                            target: ImportTarget::Drizzle(module),
                            name: Some(imported),
                            span,
                        }) if !module.has_export(&imported) && module.has_export(name) => {
                            Some((module.specifier.as_str(), imported, span))
                        }
                        _ => None,
                    });
                    if let Some((specifier, imported, at)) = misspelled_import {
                        d = d
                            .with_label(&self.file(), at, format!("imported as `{imported}`"))
                            .with_help(format!(
                                "the import is misspelled: `{specifier}` exports `{name}`, not `{imported}`"
                            ));
                    } else if let Some(best) = best {
                        d = d.with_help(format!("did you mean `{best}`?"));
                    } else {
                        d = d.with_help(format!("declare `{name}` or import it"));
                    }
                    Err(Flow::Error(Box::new(d)))
                }
            },
        }
    }

    fn lookup_this(&self, env: &Env<'a>) -> Value<'a> {
        match env.lookup("this") {
            Some(Binding::Value { value: Some(v), .. }) => v,
            _ => Value::Undefined,
        }
    }

    fn template(&mut self, t: &'a ast::Template, env: &Env<'a>) -> R<'a> {
        let mut out = String::new();
        for (i, q) in t.quasis.iter().enumerate() {
            out.push_str(q);
            if let Some(x) = t.exprs.get(i) {
                let v = self.expr(x, env)?;
                match self.stringify(&v, x.span)? {
                    Some(s) => out.push_str(&s),
                    None => return Ok(v),
                }
            }
        }
        Ok(Value::str(&out))
    }

    /// `String(v)` where schemac can compute it; `Ok(None)` for opaque values (the caller
    /// propagates them).
    pub(crate) fn stringify(&mut self, v: &Value<'a>, span: Span) -> R<'a, Option<String>> {
        if let Value::Opaque(_) = v {
            return Ok(None);
        }
        match v.to_js_string() {
            Some(s) => Ok(Some(s)),
            None => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("schemac cannot turn {} into a string", v.kind_name()),
                "used as a string here",
            )),
        }
    }

    fn object_literal(&mut self, props: &'a [ast::Prop], env: &Env<'a>) -> R<'a> {
        let obj = Rc::new(RefCell::new(Object::default()));
        let this = Value::Object(obj.clone());
        for p in props {
            match p {
                ast::Prop::KeyValue { key, value } => {
                    let k = self.prop_key(key, env)?;
                    let v = self.expr(value, env)?;
                    obj.borrow_mut().props.insert(k, v);
                }
                ast::Prop::Shorthand(id) => {
                    let v = self.lookup(&id.name, env, id.span)?;
                    obj.borrow_mut().props.insert(id.name.clone(), v);
                }
                ast::Prop::Spread(x) => {
                    let v = self.expr(x, env)?;
                    match &v {
                        Value::Opaque(_) => return Ok(v),
                        Value::Undefined | Value::Null => {}
                        _ => {
                            for k in self.keys_of(&v) {
                                let pv = self.get(&v, &k, x.span)?;
                                obj.borrow_mut().props.insert(k, pv);
                            }
                        }
                    }
                }
                ast::Prop::Method { key, func } => {
                    let k = self.prop_key(key, env)?;
                    let c = self.closure(func, env, Some(this.clone()));
                    obj.borrow_mut().props.insert(k, c);
                }
                ast::Prop::Getter { key, func } => {
                    let k = self.prop_key(key, env)?;
                    let c = self.closure(func, env, Some(this.clone()));
                    self.define_accessor(&this, k, c, func.span);
                }
                ast::Prop::Setter { .. } => {}
            }
        }
        Ok(this)
    }

    pub(crate) fn prop_key(&mut self, key: &'a ast::PropKey, env: &Env<'a>) -> R<'a, Atom> {
        Ok(match key {
            ast::PropKey::Ident(id) => id.name.clone(),
            ast::PropKey::Str(s) => s.value.clone(),
            ast::PropKey::Number(n, _) => Atom::from(super::value::number_to_string(*n).as_str()),
            ast::PropKey::Computed(x) => {
                let v = self.expr(x, env)?;
                Atom::from(self.key_string(&v, x.span)?.as_str())
            }
        })
    }

    fn key_string(&mut self, key: &Value<'a>, span: Span) -> R<'a, String> {
        match key {
            Value::Str(s) => Ok(s.to_string()),
            Value::Number(_)
            | Value::Bool(_)
            | Value::Null
            | Value::Undefined
            | Value::BigInt(_) => Ok(key.to_js_string().unwrap_or_default()),
            _ => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("schemac cannot use {} as a property key", key.kind_name()),
                "property key",
            )),
        }
    }

    pub(crate) fn closure(
        &self,
        f: &'a ast::Function,
        env: &Env<'a>,
        this: Option<Value<'a>>,
    ) -> Value<'a> {
        Value::Function(Rc::new(Closure {
            func: f,
            env: env.clone(),
            module: self.current,
            this,
            props: RefCell::default(),
        }))
    }

    pub(crate) fn args(
        &mut self,
        args: &'a [ast::Arg],
        env: &Env<'a>,
        call: Span,
    ) -> R<'a, Args<'a>> {
        let mut values = SmallVec::with_capacity(args.len());
        let mut spans = SmallVec::with_capacity(args.len());
        for a in args {
            match a {
                ast::Arg::Expr(x) => {
                    values.push(self.expr(x, env)?);
                    spans.push(x.span);
                }
                ast::Arg::Spread(x) => {
                    let v = self.expr(x, env)?;
                    for item in self.iterate(&v, x.span)? {
                        values.push(item);
                        spans.push(x.span);
                    }
                }
            }
        }
        Ok(Args::new(values, spans, call))
    }

    /// The object of a member access or call: a link of the same chain propagates a
    /// short-circuit (`a?.b.c` is `undefined` when `a` is), anything else is evaluated.
    fn chain_object(&mut self, object: &'a ast::Expr, env: &Env<'a>) -> R<'a> {
        match &object.kind {
            ExprKind::Member { .. } | ExprKind::Index { .. } => self.chain_link(object, env),
            ExprKind::Call {
                callee,
                args,
                optional,
            } => self.call_expr(callee, args, *optional, env, object.span),
            _ => self.expr(object, env),
        }
    }

    /// A member access of an optional chain: `Flow::ShortCircuit` when an optional link meets
    /// `null` or `undefined`.
    fn chain_link(&mut self, e: &'a ast::Expr, env: &Env<'a>) -> R<'a> {
        match &e.kind {
            ExprKind::Member {
                object,
                prop,
                optional,
            } => {
                let obj = self.chain_object(object, env)?;
                if *optional && obj.is_nullish() {
                    return Err(Flow::ShortCircuit);
                }
                self.get(&obj, &prop.name, prop.span)
            }
            ExprKind::Index {
                object,
                index,
                optional,
            } => {
                let obj = self.chain_object(object, env)?;
                if *optional && obj.is_nullish() {
                    return Err(Flow::ShortCircuit);
                }
                let key = self.expr(index, env)?;
                if let Value::Opaque(_) = key {
                    return Ok(key);
                }
                let key = self.key_string(&key, index.span)?;
                self.get(&obj, &key, index.span)
            }
            _ => self.expr(e, env),
        }
    }

    fn call_expr(
        &mut self,
        callee: &'a ast::Expr,
        args: &'a [ast::Arg],
        optional: bool,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a> {
        // A method call passes its object as `this`; its diagnostics point at `.method(...)`,
        // not at the whole chain before it.
        let mut span = span;
        let (f, this) = match &callee.kind {
            ExprKind::Member {
                object,
                prop,
                optional: opt_member,
            } => {
                let obj = self.chain_object(object, env)?;
                if *opt_member && obj.is_nullish() {
                    return Err(Flow::ShortCircuit);
                }
                span = Span::new(prop.span.start as usize, span.end as usize);
                // Builder chains (`integer().notNull().default(0)`) call Drizzle methods directly,
                // without making a bound method value first.
                if let Value::Host(h) = &obj
                    && super::drizzle::is_builder(h)
                {
                    let args = self.args(args, env, span)?;
                    self.tick(span)?;
                    let Value::Host(h) = obj else {
                        unreachable!("matched above")
                    };
                    // Passed by value: a builder no one else holds is changed in place.
                    return super::drizzle::call_method(self, h, &prop.name, args);
                }
                let f = self.get(&obj, &prop.name, prop.span)?;
                // `super.method()`: the parent's method, called on this object.
                if matches!(&object.kind, ExprKind::Ident(n) if n == "super") {
                    (f, Some(self.lookup_this(env)))
                } else {
                    (f, Some(obj))
                }
            }
            ExprKind::Index {
                object,
                index,
                optional: opt_member,
            } => {
                let obj = self.chain_object(object, env)?;
                if *opt_member && obj.is_nullish() {
                    return Err(Flow::ShortCircuit);
                }
                let key = self.expr(index, env)?;
                let key = self.key_string(&key, index.span)?;
                let f = self.get(&obj, &key, index.span)?;
                (f, Some(obj))
            }
            _ => (self.chain_object(callee, env)?, None),
        };
        if optional && f.is_nullish() {
            return Err(Flow::ShortCircuit);
        }
        let args = self.args(args, env, span)?;
        if f.is_nullish() {
            let what = callee_text(callee);
            let mut e = self.error(
                codes::NOT_CALLABLE,
                callee.span,
                format!("`{what}` is {} and cannot be called", f.kind_name()),
                "not a function",
            );
            let method = what.rsplit('.').next().unwrap_or_default();
            if let (Flow::Error(d), Some(note)) = (&mut e, super::drizzle::drizzle_v1_note(method))
            {
                d.notes.push(note);
            }
            return Err(e);
        }
        self.call(&f, this, args)
    }

    /// Calls any callable value.
    pub(crate) fn call(&mut self, f: &Value<'a>, this: Option<Value<'a>>, args: Args<'a>) -> R<'a> {
        self.tick(args.call)?;
        match f {
            Value::Function(c) => self.call_closure(c, this, args),
            Value::Builtin(b) => super::builtins::call(self, b, this, args),
            Value::Host(h) => super::drizzle::call_host(self, h, args),
            Value::Opaque(o) => Ok(Value::Opaque(o.clone())),
            Value::Class(c) => Err(self.class_called(c, args.call)),
            _ => Err(self.error(
                codes::NOT_CALLABLE,
                args.call,
                format!("{} cannot be called", f.kind_name()),
                "not a function",
            )),
        }
    }

    pub(crate) fn call_closure(
        &mut self,
        c: &Rc<Closure<'a>>,
        this: Option<Value<'a>>,
        args: Args<'a>,
    ) -> R<'a> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                codes::EVAL_LIMIT,
                args.call,
                "too much recursion in the schema program",
                "call nested too deeply",
            ));
        }
        let f = c.func;
        let scope = self.new_scope(&c.env);
        let this = if f.is_arrow {
            c.this.clone()
        } else {
            this.or_else(|| c.this.clone())
        };
        if !f.is_arrow {
            scope.define("this", this.unwrap_or(Value::Undefined), false);
            // `arguments` (tsc's ES5 `__assign` helper reads it), for functions that read it.
            let reads = *self
                .reads_arguments
                .entry(std::ptr::from_ref(f))
                .or_insert_with(|| crate::syntax::visit::function_reads(f, "arguments"));
            if reads {
                scope.define("arguments", Value::array(args.values.to_vec()), true);
            }
        }
        if f.is_generator && f.is_async {
            return Ok(Value::opaque(
                OpaqueReason::Unsupported("an async generator".into()),
                Some(self.location(args.call)),
            ));
        }
        // A generator runs to its end at once: its value is the list of what it yielded (an
        // endless one stops at the step budget).
        if f.is_generator {
            self.yields.push(Vec::new());
        }
        let saved = std::mem::replace(&mut self.current, c.module);
        self.depth += 1;
        let args_call = args.call;
        let result = self.run_function(f, &scope, args);
        self.depth -= 1;
        self.current = saved;
        let result = match (f.is_generator.then(|| self.yields.pop()).flatten(), result) {
            (Some(items), Ok(_)) => Ok(Value::array(items)),
            (_, result) => result,
        };
        // An async function's body runs now (its effects happen), but its result is a
        // promise: a value of the running program, settled or rejected later (a failure in it
        // rejects the promise, which `.catch(...)` handles; a file that runs `main()` at load).
        if f.is_async {
            if matches!(&result, Err(Flow::Error(d)) if d.code == codes::OPAQUE_VALUE) {
                self.undecided = None;
            }
            return match result {
                Err(Flow::Break(_) | Flow::Continue(_) | Flow::ShortCircuit) => result,
                _ => Ok(Value::opaque(
                    OpaqueReason::RuntimeOnly("a promise (what an async function returns)".into()),
                    Some(self.location(args_call)),
                )),
            };
        }
        match result {
            // The function branched on an unknown value: its result is unknown too, an error
            // only where it reaches SQL (or is exported by a schema file).
            Err(Flow::Error(d)) if d.code == codes::OPAQUE_VALUE && self.undecided.is_some() => {
                Ok(Value::Opaque(self.undecided.take().unwrap_or_else(|| {
                    Rc::new(super::value::Opaque {
                        reason: OpaqueReason::Poisoned,
                        origin: None,
                    })
                })))
            }
            r => r,
        }
    }

    fn run_function(&mut self, f: &'a ast::Function, scope: &Env<'a>, args: Args<'a>) -> R<'a> {
        let mut values = args.values.into_iter();
        for p in &f.params {
            let v = if p.rest {
                Value::array(values.by_ref().collect())
            } else {
                let mut v = values.next().unwrap_or(Value::Undefined);
                if matches!(v, Value::Undefined)
                    && let Some(d) = &p.default
                {
                    v = self.expr(d, scope)?;
                }
                v
            };
            self.bind_pattern(&p.pattern, v, scope, BindMode::Let)?;
            // `constructor(private readonly name: string)` assigns `this.name`.
            if p.property
                && let ast::PatternKind::Ident(id) = &p.pattern.kind
            {
                let v = self.lookup(&id.name, scope, id.span)?;
                self.lookup_this(scope).define_own(id.name.clone(), v);
            }
        }
        match &f.body {
            ast::FunctionBody::Expr(x) => self.expr(x, scope),
            ast::FunctionBody::Block(body) => {
                self.hoist(body, scope);
                for s in body {
                    match self.stmt(s, scope) {
                        Ok(()) => {}
                        Err(Flow::Return(v)) => return Ok(v),
                        Err(e) => return Err(e),
                    }
                }
                Ok(Value::Undefined)
            }
        }
    }

    fn construct(&mut self, c: &Value<'a>, args: Args<'a>, span: Span) -> R<'a> {
        match c {
            Value::Builtin(b) => super::builtins::construct(self, b, args),
            Value::Class(class) => self.construct_class(class, args),
            Value::Opaque(o) => Ok(Value::Opaque(o.clone())),
            _ => Ok(Value::opaque(
                OpaqueReason::Unsupported(format!(
                    "an object made with `new` from {}",
                    c.kind_name()
                )),
                Some(self.location(span)),
            )),
        }
    }

    /// ``String.raw`...` ``: the raw pieces with the values between them as strings.
    fn string_raw(&mut self, raw: &[Atom], values: &[Value<'a>], spans: &[Span]) -> R<'a> {
        let mut out = String::new();
        for (i, piece) in raw.iter().enumerate() {
            out.push_str(piece);
            if let (Some(v), Some(span)) = (values.get(i), spans.get(i)) {
                match self.stringify(v, *span)? {
                    Some(s) => out.push_str(&s),
                    None => return Ok(v.clone()),
                }
            }
        }
        Ok(Value::str(&out))
    }

    fn tagged_template(
        &mut self,
        tag: &Value<'a>,
        quasis: &[Atom],
        values: Vec<Value<'a>>,
        spans: Vec<Span>,
        span: Span,
    ) -> R<'a> {
        if let Some(v) = super::drizzle::sql_template(self, tag, quasis, &values, &spans, span) {
            return v;
        }
        let strings = Value::array(quasis.iter().map(|q| Value::Str(q.clone())).collect());
        let mut all = vec![strings];
        all.extend(values);
        let mut all_spans = vec![span];
        all_spans.extend(spans);
        self.call(tag, None, Args::new(all, all_spans, span))
    }

    /// Property read `obj.key` for every kind of value.
    pub(crate) fn get(&mut self, obj: &Value<'a>, key: &str, span: Span) -> R<'a> {
        match obj {
            Value::Function(c) if let Some(v) = c.props.borrow().get(key) => Ok(v.clone()),
            // `Object.prototype.hasOwnProperty.call(o, k)`, as bundlers write it: an object with
            // the methods every object has.
            Value::Builtin(b) if key == "prototype" && matches!(**b, Builtin::Global("Object")) => {
                Ok(Value::object(Props::default()))
            }
            // `Array.prototype.slice.call(list, 1)`: an array, whose methods take `this`.
            Value::Builtin(b) if key == "prototype" && matches!(**b, Builtin::Global("Array")) => {
                Ok(Value::array(Vec::new()))
            }
            // A function's prototype, e.g. monkey-patched with methods that only run at run time:
            // an object schemac does not know, that assignments may change.
            Value::Function(_) | Value::Builtin(_) if key == "prototype" => Ok(Value::opaque(
                OpaqueReason::RuntimeOnly("a function's prototype".into()),
                Some(self.location(span)),
            )),
            Value::Object(o) => {
                let proto = {
                    let o = o.borrow();
                    if let Some(v) = o.props.get(key) {
                        return Ok(v.clone());
                    }
                    o.proto.clone()
                };
                // A class instance's methods and getters.
                if let Some(p) = proto {
                    if let Some(getter) = self.proto_getter(&p, key) {
                        let args = Args::new(Vec::new(), Vec::new(), span);
                        return self.call(&getter, Some(obj.clone()), args);
                    }
                    let v = self.get(&p, key, span)?;
                    if !matches!(v, Value::Undefined) {
                        return Ok(v);
                    }
                }
                let o = o.borrow();
                Ok(match &o.rest {
                    Some(rest) => Value::Opaque(rest.clone()),
                    None => super::builtins::object_method(obj, key).unwrap_or(Value::Undefined),
                })
            }
            Value::Class(c) => self.class_member(c, key, span),
            Value::Array(a) => {
                if let Ok(i) = key.parse::<usize>() {
                    return Ok(a.borrow().get(i).cloned().unwrap_or(Value::Undefined));
                }
                if key == "length" {
                    return Ok(Value::Number(a.borrow().len() as f64));
                }
                Ok(super::builtins::array_method(a, key))
            }
            Value::Str(s) => {
                if key == "length" {
                    return Ok(Value::Number(s.encode_utf16().count() as f64));
                }
                if let Ok(i) = key.parse::<usize>() {
                    return Ok(s
                        .chars()
                        .nth(i)
                        .map(|c| Value::str(&c.to_string()))
                        .unwrap_or(Value::Undefined));
                }
                Ok(super::builtins::string_method(s, key))
            }
            Value::Number(n) => Ok(super::builtins::number_method(*n, key)),
            Value::Builtin(b) => Ok(super::builtins::builtin_member(self, b, key, span)?),
            Value::Host(h) => super::drizzle::get_prop(self, h, key, span),
            Value::Opaque(o) => Ok(Value::Opaque(o.clone())),
            Value::Function(c) => Ok(match key {
                "name" => Value::str(c.func.name.as_ref().map(|n| n.name.as_str()).unwrap_or("")),
                "call" | "apply" => Value::Builtin(Rc::new(Builtin::FunctionMethod(
                    obj.clone(),
                    Atom::from(key),
                ))),
                "length" => Value::Number(
                    c.func
                        .params
                        .iter()
                        .filter(|p| !p.rest && p.default.is_none())
                        .count() as f64,
                ),
                _ => Value::Undefined,
            }),
            Value::Undefined | Value::Null => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("cannot read `{key}` of {}", obj.kind_name()),
                format!("this is {}", obj.kind_name()),
            )),
            Value::BigInt(d) => Ok(super::builtins::bigint_method(d, key)),
            Value::Bool(_) => Ok(Value::Undefined),
        }
    }

    /// Own enumerable keys (`Object.keys`), in JavaScript's order.
    pub(crate) fn keys_of(&self, v: &Value<'a>) -> Vec<Atom> {
        match v {
            Value::Object(o) => own_keys(&o.borrow().props),
            Value::Function(c) => own_keys(&c.props.borrow()),
            Value::Class(c) => own_keys(&c.statics.borrow()),
            Value::Array(a) => (0..a.borrow().len())
                .map(|i| Atom::from(i.to_string().as_str()))
                .collect(),
            Value::Str(s) => (0..s.chars().count())
                .map(|i| Atom::from(i.to_string().as_str()))
                .collect(),
            Value::Host(h) => super::drizzle::keys(h),
            // A drizzle module's exports (copied by compiled `import * as`).
            Value::Builtin(b) if matches!(**b, Builtin::DrizzleNamespace(_)) => {
                let Builtin::DrizzleNamespace(m) = &**b else {
                    unreachable!()
                };
                m.value_exports().map(Atom::from).collect()
            }
            Value::Builtin(b) if matches!(**b, Builtin::Global("process.env")) => {
                let mut keys: Vec<Atom> = self.env.keys().map(|k| Atom::from(k.as_str())).collect();
                keys.extend(
                    self.env_overlay
                        .keys()
                        .filter(|k| !self.env.contains_key(*k))
                        .map(|k| Atom::from(k.as_str())),
                );
                keys
            }
            _ => Vec::new(),
        }
    }

    /// The own keys that are strings, as `Object.keys` and `for…in` list them: without the
    /// symbol keys, which spreading and `Object.assign` copy.
    pub(crate) fn string_keys_of(&self, v: &Value<'a>) -> Vec<Atom> {
        let mut keys = self.keys_of(v);
        keys.retain(|k| !k.starts_with(super::builtins::SYMBOL_PREFIX));
        keys
    }

    /// The items of an iterable (`for..of`, spread, destructuring).
    pub(crate) fn iterate(&mut self, v: &Value<'a>, span: Span) -> R<'a, Vec<Value<'a>>> {
        match v {
            Value::Array(a) => Ok(a.borrow().clone()),
            Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
            Value::Opaque(_) => Err(Flow::Error(Box::new(
                self.opaque_error(v, span, "iterated"),
            ))),
            Value::Host(h) => match super::drizzle::iterate(h) {
                Some(items) => Ok(items),
                None => Err(self.error(
                    codes::BAD_OPERATION,
                    span,
                    format!("{} is not iterable", v.kind_name()),
                    "not iterable",
                )),
            },
            _ => Err(self.error(
                codes::BAD_OPERATION,
                span,
                format!("{} is not iterable", v.kind_name()),
                "spread or iterated here",
            )),
        }
    }

    /// The error for an opaque value used where its content matters.
    pub(crate) fn opaque_error(&self, v: &Value<'a>, span: Span, used: &str) -> Diagnostic {
        let Value::Opaque(o) = v else {
            return Diagnostic::error(
                codes::OPAQUE_VALUE,
                format!("{} cannot be {used} here", v.kind_name()),
            )
            .with_label(&self.file(), span, "here");
        };
        let mut d = Diagnostic::error(
            codes::OPAQUE_VALUE,
            format!(
                "this value must be known when schemac compiles the schema, but it is {}",
                o.describe()
            ),
        )
        .with_label(&self.file(), span, format!("{used} here"));
        if let Some(origin) = &o.origin {
            d = d.with_location(origin, "the value comes from here");
        }
        d.with_help("write the value in the schema (or in a file of this project), or keep this code inside `$defaultFn`, `$onUpdate` or `$type`, where schemac does not need it")
    }

    fn unary(&mut self, op: ast::UnaryOp, v: Value<'a>, span: Span) -> R<'a> {
        use ast::UnaryOp::*;
        // `typeof` too: an unknown value's type is unknown.
        if let Value::Opaque(_) = v {
            return Ok(v);
        }
        Ok(match op {
            Neg => match &v {
                Value::BigInt(s) => Value::BigInt(Atom::from(
                    s.strip_prefix('-')
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("-{s}"))
                        .as_str(),
                )),
                _ => Value::Number(-self.number(&v, span)?),
            },
            Plus => Value::Number(self.number(&v, span)?),
            Not => Value::Bool(!v.truthy()),
            BitNot => Value::Number(!(to_i32(self.number(&v, span)?)) as f64),
            Typeof => Value::str(v.type_of()),
            Void => Value::Undefined,
            Delete => Value::Bool(true),
        })
    }

    fn number(&self, v: &Value<'a>, span: Span) -> R<'a, f64> {
        v.to_number().ok_or_else(|| {
            self.error(
                codes::BAD_OPERATION,
                span,
                format!("schemac cannot use {} as a number", v.kind_name()),
                "used as a number here",
            )
        })
    }

    pub(crate) fn binary(
        &mut self,
        op: ast::BinaryOp,
        l: Value<'a>,
        r: Value<'a>,
        span: Span,
    ) -> R<'a> {
        use ast::BinaryOp::*;
        // Comparing with, or looking into, an unknown value gives an unknown answer.
        if matches!(op, StrictEq | StrictNotEq | Eq | NotEq | InstanceOf)
            && let Some(o) = [&l, &r].into_iter().find(|v| matches!(v, Value::Opaque(_)))
        {
            return Ok(o.clone());
        }
        if op == In && matches!(r, Value::Opaque(_)) {
            return Ok(r);
        }
        match op {
            StrictEq => return Ok(Value::Bool(l.strict_eq(&r))),
            StrictNotEq => return Ok(Value::Bool(!l.strict_eq(&r))),
            Eq => return Ok(Value::Bool(l.loose_eq(&r))),
            NotEq => return Ok(Value::Bool(!l.loose_eq(&r))),
            // An instance of a class of the program: its prototype is on the object's chain.
            InstanceOf => {
                let Value::Class(class) = &r else {
                    return Ok(Value::Bool(false));
                };
                let mut proto = match &l {
                    Value::Object(o) => o.borrow().proto.clone(),
                    _ => None,
                };
                while let Some(p) = proto {
                    if p.strict_eq(&class.prototype) {
                        return Ok(Value::Bool(true));
                    }
                    proto = match &p {
                        Value::Object(o) => o.borrow().proto.clone(),
                        _ => None,
                    };
                }
                return Ok(Value::Bool(false));
            }
            In => {
                let key = self.key_string(&l, span)?;
                return Ok(Value::Bool(self.keys_of(&r).iter().any(|k| **k == *key)));
            }
            _ => {}
        }
        for v in [&l, &r] {
            if let Value::Opaque(_) = v {
                return Ok(v.clone());
            }
        }
        if op == Add {
            let is_stringy = |v: &Value<'a>| {
                matches!(
                    v,
                    Value::Str(_) | Value::Array(_) | Value::Object(_) | Value::Host(_)
                )
            };
            if is_stringy(&l) || is_stringy(&r) {
                let a = self.stringify(&l, span)?.unwrap_or_default();
                let b = self.stringify(&r, span)?.unwrap_or_default();
                return Ok(Value::Str(Atom::from(format!("{a}{b}").as_str())));
            }
        }
        if let (Value::BigInt(a), Value::BigInt(b)) = (&l, &r)
            && matches!(op, Add | Sub | Mul | Div | Rem | Exp)
        {
            // BigInt arithmetic, within 128 bits.
            let result = match (a.parse::<i128>(), b.parse::<i128>()) {
                (Ok(a), Ok(b)) => match op {
                    Add => a.checked_add(b),
                    Sub => a.checked_sub(b),
                    Mul => a.checked_mul(b),
                    Div => a.checked_div(b),
                    Rem => a.checked_rem(b),
                    _ => u32::try_from(b).ok().and_then(|b| a.checked_pow(b)),
                },
                _ => None,
            };
            return match result {
                Some(n) => Ok(Value::BigInt(Atom::from(n.to_string().as_str()))),
                None => Err(self.error(
                    codes::BAD_OPERATION,
                    span,
                    "this BigInt arithmetic divides by zero, has a negative exponent or goes beyond 128 bits",
                    "here",
                )),
            };
        }
        if matches!(op, Lt | LtEq | Gt | GtEq)
            && let (Value::Str(a), Value::Str(b)) = (&l, &r)
        {
            let ord = a.encode_utf16().cmp(b.encode_utf16());
            return Ok(Value::Bool(match op {
                Lt => ord.is_lt(),
                LtEq => ord.is_le(),
                Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }));
        }
        let a = self.number(&l, span)?;
        let b = self.number(&r, span)?;
        Ok(match op {
            Add => Value::Number(a + b),
            Sub => Value::Number(a - b),
            Mul => Value::Number(a * b),
            Div => Value::Number(a / b),
            Rem => Value::Number(a % b),
            Exp => Value::Number(a.powf(b)),
            Lt => Value::Bool(a < b),
            LtEq => Value::Bool(a <= b),
            Gt => Value::Bool(a > b),
            GtEq => Value::Bool(a >= b),
            Shl => Value::Number((to_i32(a).wrapping_shl(to_i32(b) as u32 & 31)) as f64),
            Shr => Value::Number((to_i32(a) >> (to_i32(b) as u32 & 31)) as f64),
            UShr => Value::Number(((to_i32(a) as u32) >> (to_i32(b) as u32 & 31)) as f64),
            BitAnd => Value::Number((to_i32(a) & to_i32(b)) as f64),
            BitOr => Value::Number((to_i32(a) | to_i32(b)) as f64),
            BitXor => Value::Number((to_i32(a) ^ to_i32(b)) as f64),
            _ => Value::Undefined,
        })
    }
}

impl<'a> Scope<'a> {
    /// Every name visible from this scope (for "did you mean" hints).
    pub fn all_names(&self) -> Vec<Atom> {
        let mut out: Vec<Atom> = self
            .vars
            .borrow()
            .keys()
            .filter(|k| !k.starts_with('*'))
            .cloned()
            .collect();
        if let Some(p) = &self.parent {
            out.extend(p.all_names());
        }
        out
    }
}

fn to_i32(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    (n.trunc() as i64 as u64 & 0xffff_ffff) as u32 as i32
}

/// The decimal digits of a bigint literal (which may be written in hex, octal or binary).
fn bigint_decimal(digits: &str) -> String {
    let d = digits.replace('_', "");
    let parsed = if let Some(h) = d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()
    } else if let Some(b) = d.strip_prefix("0b").or_else(|| d.strip_prefix("0B")) {
        i128::from_str_radix(b, 2).ok()
    } else if let Some(o) = d.strip_prefix("0o").or_else(|| d.strip_prefix("0O")) {
        i128::from_str_radix(o, 8).ok()
    } else {
        None
    };
    parsed.map(|n| n.to_string()).unwrap_or(d)
}

/// Source-like text of a callee, for messages (`users.id`, `pgTable`).
fn callee_text(e: &ast::Expr) -> String {
    match &e.kind {
        ExprKind::Ident(n) => n.to_string(),
        ExprKind::Member { object, prop, .. } => format!("{}.{}", callee_text(object), prop.name),
        ExprKind::Call { callee, .. } => format!("{}(...)", callee_text(callee)),
        ExprKind::New { callee, .. } => format!("new {}(...)", callee_text(callee)),
        ExprKind::This => "this".into(),
        ExprKind::Index { object, .. } => format!("{}[...]", callee_text(object)),
        ExprKind::Array(_) => "[...]".into(),
        ExprKind::Object(_) => "{...}".into(),
        ExprKind::Str(s) if s.len() <= 20 => format!("'{s}'"),
        ExprKind::Str(_) | ExprKind::Template(_) => "'...'".into(),
        ExprKind::Number(n) => format!("({})", crate::eval::value::number_to_string(*n)),
        _ => "(...)".into(),
    }
}

/// The names a pattern binds.
pub fn pattern_names(p: &ast::Pattern) -> Vec<Atom> {
    let mut out = Vec::new();
    collect_names(p, &mut out);
    out
}

fn collect_names(p: &ast::Pattern, out: &mut Vec<Atom>) {
    match &p.kind {
        PatternKind::Ident(id) => out.push(id.name.clone()),
        PatternKind::Object { props, rest } => {
            for pr in props {
                collect_names(&pr.value, out);
            }
            if let Some(r) = rest {
                collect_names(r, out);
            }
        }
        PatternKind::Array { elems, rest } => {
            for e in elems.iter().flatten() {
                collect_names(&e.pattern, out);
            }
            if let Some(r) = rest {
                collect_names(r, out);
            }
        }
        PatternKind::Expr(_) | PatternKind::Error => {}
    }
}

/// The names a namespace member exports (`export const a`, `export function f`, ...).
fn exported_member_names(s: &ast::Stmt) -> Vec<Atom> {
    match &s.kind {
        StmtKind::Var(v) if v.exported => declared_names(s),
        StmtKind::Function(f) if f.exported => f.func.name.iter().map(|n| n.name.clone()).collect(),
        StmtKind::Class(c) if c.exported => declared_names(s),
        StmtKind::Enum(e) if e.exported => declared_names(s),
        StmtKind::Namespace(n) if n.exported => declared_names(s),
        _ => Vec::new(),
    }
}

/// The names a top-level statement declares.
pub fn declared_names(s: &ast::Stmt) -> Vec<Atom> {
    match &s.kind {
        StmtKind::Var(v) => v
            .decls
            .iter()
            .flat_map(|d| pattern_names(&d.target))
            .collect(),
        StmtKind::Class(c) => c.name.iter().map(|n| n.name.clone()).collect(),
        StmtKind::Enum(e) => vec![e.name.name.clone()],
        StmtKind::Namespace(n) => vec![n.name.name.clone()],
        StmtKind::ExportDefault(_) => vec!["*default*".into()],
        _ => Vec::new(),
    }
}

impl Drop for Evaluator<'_> {
    /// A closure holds its scope and a scope holds the closures bound in it: these cycles would
    /// keep every value of the run alive. Clearing the scopes breaks them.
    fn drop(&mut self) {
        for s in std::mem::take(&mut self.scopes) {
            if let Some(s) = s.upgrade() {
                s.clear();
            }
        }
        for m in &self.modules {
            m.scope.clear();
        }
    }
}

/// The array index a property key stands for: a canonical decimal below 2³² − 1.
/// Own keys in JavaScript's order: array-index keys first, in ascending order, then the others
/// in insertion order (`{ b: 1, 2: x, 1: y }` → `1, 2, b`).
pub(crate) fn own_keys(props: &Props<'_>) -> Vec<Atom> {
    let mut keys: Vec<Atom> = props.keys().cloned().collect();
    if keys.iter().any(|k| array_index(k).is_some()) {
        keys.sort_by_key(|k| array_index(k).map_or((1, 0), |i| (0, i)));
    }
    keys
}

fn array_index(key: &str) -> Option<u32> {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty());
    key.parse::<u32>()
        .ok()
        .filter(|i| canonical && *i < u32::MAX && key.bytes().all(|b| b.is_ascii_digit()))
}

/// How an opaque value made by a class describes itself (lowering recognises it, W3009).
pub(crate) const CLASS_VALUE: &str = "an instance or member of the class";
