//! Stage 3: evaluation. The schema program (every module reachable from the schema files) is
//! run by a partial JavaScript interpreter; the Drizzle objects it builds are then lowered into
//! the Schema IR ([`crate::schema`]).
//!
//! [`evaluate_schema`] is the entry point for schema files, [`evaluate_default_export`] for a
//! `drizzle.config.ts`.

pub mod builtins;
mod class;
mod collections;
pub mod drizzle;
pub mod interp;
mod lower;
mod node;
pub use lower::PRELUDE_ROOT;
pub mod regex;
pub mod value;

use crate::syntax::ast::Atom;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};
use schemac_stdlib::Library;
use smallvec::SmallVec;

use crate::diagnostics::{Diagnostic, Location, codes};
use crate::schema::{Casing, Schema};
use crate::span::Span;
use crate::syntax::ast::{self, StmtKind};
use crate::syntax::exports::{Export, ExportTable};
pub use value::Value;

pub type ModuleId = usize;

/// What an import specifier of a module refers to (decided by the module resolver).
#[derive(Debug, Clone)]
pub enum ImportTarget {
    /// A module of the program.
    Module(ModuleId),
    /// A module of drizzle-orm (or drizzle-kit) schemac knows.
    Drizzle(&'static schemac_stdlib::Module),
    /// An npm package whose values are opaque.
    External(String),
    /// A Node.js module schemac implements in part (`path`, `url`, `process`).
    Node(&'static str),
    /// Not found; already reported.
    Unresolved,
}

/// One module of the program, parsed and with its imports resolved.
pub struct ModuleInput<'a> {
    pub path: Arc<Path>,
    pub ast: &'a ast::Module,
    pub exports: &'a ExportTable,
    pub imports: HashMap<String, ImportTarget>,
}

/// The schema program: its modules and which of them are schema files (in the order
/// drizzle-kit loads them).
pub struct Program<'a> {
    pub modules: Vec<ModuleInput<'a>>,
    pub entries: Vec<ModuleId>,
    /// `process.env`, with `.env` loaded when the config imports `dotenv/config`.
    pub env: &'a BTreeMap<String, String>,
    /// The working directory (`process.cwd()`, `path.resolve`).
    pub cwd: &'a Path,
}

/// Options that change how the program is lowered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EvalOptions {
    pub dialect: Option<schemac_stdlib::Dialect>,
    pub casing: Option<Casing>,
}

/// The arguments of a call, with the span of each (for messages).
pub struct Args<'a> {
    pub values: SmallVec<[Value<'a>; 3]>,
    pub spans: SmallVec<[Span; 3]>,
    /// The whole call expression.
    pub call: Span,
}

impl<'a> Args<'a> {
    pub fn new(
        values: impl Into<SmallVec<[Value<'a>; 3]>>,
        spans: impl Into<SmallVec<[Span; 3]>>,
        call: Span,
    ) -> Args<'a> {
        Args {
            values: values.into(),
            spans: spans.into(),
            call,
        }
    }

    pub fn get(&self, i: usize) -> Value<'a> {
        self.values.get(i).cloned().unwrap_or(Value::Undefined)
    }

    /// The arguments after the first (`fill(value, start, end)`'s range).
    pub fn shifted(&self) -> Args<'a> {
        Args {
            values: self.values.iter().skip(1).cloned().collect(),
            spans: self.spans.iter().skip(1).copied().collect(),
            call: self.call,
        }
    }

    /// The span of argument `i`, or of the call when it was not given.
    pub fn span(&self, i: usize) -> Span {
        self.spans.get(i).copied().unwrap_or(self.call)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A function or namespace implemented by schemac itself.
pub enum Builtin<'a> {
    /// A JavaScript global or one of its members (`Object`, `Object.keys`, `JSON.stringify`).
    Global(&'static str),
    /// A method of an array, bound to it.
    ArrayMethod(Rc<std::cell::RefCell<Vec<Value<'a>>>>, Atom),
    /// A method of a string, bound to it.
    StringMethod(Atom, Atom),
    /// A method of a number, bound to it.
    NumberMethod(f64, Atom),
    /// A method of a bigint (its decimal digits), bound to it.
    BigIntMethod(Atom, Atom),
    /// A method of a plain object inherited from `Object.prototype`.
    ObjectMethod(Value<'a>, Atom),
    /// An export of a Drizzle module.
    Drizzle {
        module: &'static schemac_stdlib::Module,
        name: Atom,
    },
    /// A Drizzle module as a namespace (`import * as pg from 'drizzle-orm/pg-core'`), also the
    /// builder set handed to `pgTable(name, (b) => ({ ... }))`.
    DrizzleNamespace(&'static schemac_stdlib::Module),
    /// A method of a Drizzle object, bound to it.
    HostMethod(Rc<drizzle::Host<'a>>, Atom),
    /// `f.call` / `f.apply`, bound to the function `f`.
    FunctionMethod(Value<'a>, Atom),
    /// `super` in the constructor of a class (the class, the class `new` was called on, and the
    /// object being made).
    SuperCall(Rc<value::Class<'a>>, Rc<value::Class<'a>>, Value<'a>),
}

impl Builtin<'_> {
    pub fn is_callable(&self) -> bool {
        !matches!(self, Builtin::DrizzleNamespace(_))
            && !matches!(self, Builtin::Global(g) if builtins::is_namespace(g))
    }

    pub fn kind_name(&self) -> String {
        match self {
            Builtin::Global(g) => format!("`{g}`"),
            Builtin::Drizzle { module, name } => format!("`{name}` from `{}`", module.specifier),
            Builtin::DrizzleNamespace(m) => format!("the module `{}`", m.specifier),
            Builtin::HostMethod(h, name) => format!("the method `{name}` of {}", h.kind_name()),
            Builtin::ArrayMethod(_, n)
            | Builtin::StringMethod(_, n)
            | Builtin::NumberMethod(_, n)
            | Builtin::BigIntMethod(_, n)
            | Builtin::ObjectMethod(_, n)
            | Builtin::FunctionMethod(_, n) => {
                format!("the method `{n}`")
            }
            Builtin::SuperCall(..) => "`super`".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Unevaluated,
    Evaluating,
    Done,
}

/// How a module exports a name.
#[derive(Debug, Clone)]
pub(crate) enum ExportEntry {
    /// A binding of the module's own scope.
    Local(Atom),
    /// `export { x as y } from './m'` (`name` is `x`) or `export * as y from './m'` (`None`).
    Reexport {
        target: ImportTarget,
        name: Option<Atom>,
    },
}

pub(crate) struct ModuleState<'a> {
    pub path: Arc<Path>,
    pub ast: &'a ast::Module,
    pub imports: HashMap<String, ImportTarget>,
    pub scope: interp::Env<'a>,
    pub status: Status,
    pub exports: IndexMap<Atom, ExportEntry>,
    pub star_exports: Vec<ImportTarget>,
    /// CommonJS: the module's `module.exports` once it reads or assigns it (or `exports`).
    pub cjs_exports: Option<Value<'a>>,
}

impl ModuleState<'_> {
    pub fn import(&self, specifier: &str) -> ImportTarget {
        self.imports
            .get(specifier)
            .cloned()
            .unwrap_or(ImportTarget::Unresolved)
    }

    pub fn display_name(&self) -> String {
        self.path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

/// The interpreter's state.
pub struct Evaluator<'a> {
    pub(crate) modules: Vec<ModuleState<'a>>,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) current: ModuleId,
    pub(crate) steps: u64,
    pub(crate) depth: u32,
    pub(crate) env: &'a BTreeMap<String, String>,
    pub(crate) cwd: &'a Path,
    /// Properties written to `globalThis`.
    pub(crate) globals: HashMap<String, Value<'a>>,
    pub(crate) lib: &'static Library,
    /// Identity counter for Drizzle objects (tables are deduplicated by identity).
    pub(crate) next_id: std::cell::Cell<u32>,
    /// `process.env.X` reads of variables that are not set.
    pub(crate) missing_env: Vec<(String, Location)>,
    /// The module whose default export is read property by property (a config file): an error
    /// in one property does not lose the others.
    pub(crate) lenient_default: Option<ModuleId>,
    /// Errors of such properties, by property name.
    pub(crate) deferred: Vec<(String, Diagnostic)>,
    /// The unknown value of the last `if`/loop condition that failed: the function call it
    /// happened in returns it as its (unknown) result instead of failing.
    pub(crate) undecided: Option<std::rc::Rc<value::Opaque>>,
    /// The scopes of function calls and blocks (see `Drop for Evaluator`).
    pub(crate) scopes: Vec<std::rc::Weak<interp::Scope<'a>>>,
    /// While lowering calls a column's replaced `getSQLType`: the table id, the column key and
    /// the type Drizzle's own `getSQLType()` returns for it.
    pub(crate) own_sql_type: Option<(u32, Atom, String)>,
    /// The values yielded so far by each generator call being run, innermost last.
    pub(crate) yields: Vec<Vec<Value<'a>>>,
    /// Accessor properties (`get x() {}` in an object literal, `Object.defineProperty` with
    /// `get`): see [`Accessor`].
    pub(crate) accessors: Vec<Accessor<'a>>,
    /// Functions (by syntax node) that read `arguments`, found on their first call.
    pub(crate) reads_arguments: rustc_hash::FxHashMap<*const ast::Function, bool>,
    /// Variables loaded while the program runs (`dotenv.config({ path })` in a branch,
    /// `process.loadEnvFile()`), and those it assigns; read before `env`.
    pub(crate) env_overlay: BTreeMap<String, String>,
    /// A config's guard on an unknown value was skipped in the current top-level statement.
    pub(crate) skipped_guard: bool,
}

/// An accessor property. schemac stores plain values in objects, so a getter is read when the
/// property is defined; one that cannot run yet (it reads a declaration further down, as swc's
/// CommonJS exports do) is read again when its module has run, and the property set then.
pub(crate) struct Accessor<'a> {
    pub module: ModuleId,
    pub target: Value<'a>,
    pub key: Atom,
    pub getter: Value<'a>,
    pub span: crate::span::Span,
    /// Read when its module has run (the first read failed).
    pub pending: bool,
}

impl<'a> Evaluator<'a> {
    fn new(program: Program<'a>) -> Evaluator<'a> {
        let modules = program
            .modules
            .into_iter()
            .map(|m| {
                let (exports, star_exports) = export_table(m.exports, &m.imports);
                ModuleState {
                    path: m.path,
                    ast: m.ast,
                    imports: m.imports,
                    scope: interp::Scope::new(None),
                    status: Status::Unevaluated,
                    exports,
                    star_exports,
                    cjs_exports: None,
                }
            })
            .collect();
        Evaluator {
            modules,
            diags: Vec::new(),
            current: 0,
            steps: 0,
            depth: 0,
            undecided: None,
            scopes: Vec::new(),
            env: program.env,
            cwd: program.cwd,
            globals: HashMap::new(),
            lib: Library::get(),
            next_id: std::cell::Cell::new(1),
            missing_env: Vec::new(),
            lenient_default: None,
            deferred: Vec::new(),
            own_sql_type: None,
            yields: Vec::new(),
            accessors: Vec::new(),
            reads_arguments: rustc_hash::FxHashMap::default(),
            env_overlay: BTreeMap::new(),
            skipped_guard: false,
        }
    }

    /// The file of the code running now.
    pub(crate) fn file(&self) -> Arc<Path> {
        self.modules[self.current].path.clone()
    }

    pub(crate) fn location(&self, span: Span) -> Location {
        Location {
            file: self.file(),
            span,
        }
    }

    pub(crate) fn fresh_id(&self) -> u32 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// The names a module exports, in the order drizzle-kit sees them on the CommonJS object
    /// esbuild makes of the module: its own exports (declarations and named re-exports) sorted
    /// by UTF-16 code units, then each `export * from` module's names in statement order,
    /// skipping names already there.
    fn export_order(&self, id: ModuleId, visiting: &mut Vec<ModuleId>, out: &mut IndexSet<Atom>) {
        if visiting.contains(&id) {
            return;
        }
        visiting.push(id);
        let mut own: Vec<&Atom> = self.modules[id].exports.keys().collect();
        own.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        for name in own {
            out.insert(name.clone());
        }
        for t in &self.modules[id].star_exports {
            if let ImportTarget::Module(m) = t {
                let mut inner = IndexSet::new();
                self.export_order(*m, visiting, &mut inner);
                for name in inner {
                    if name != "default" {
                        out.insert(name);
                    }
                }
            }
        }
        visiting.pop();
    }

    /// W3011 for a name two `export * from` of a schema file both export as different schema
    /// entities (two tables `tag`): the first wins, as on the CommonJS object drizzle-kit
    /// loads, and the other entity is silently left out (tsc: TS2308).
    fn ambiguous_star_exports(&mut self, id: ModuleId) {
        let stars: Vec<ModuleId> = self.modules[id]
            .star_exports
            .iter()
            .filter_map(|t| match t {
                ImportTarget::Module(m) => Some(*m),
                _ => None,
            })
            .collect();
        if stars.len() < 2 || self.modules[id].star_exports.len() != stars.len() {
            return;
        }
        // Each name with the first star exporting it.
        let mut first: IndexMap<Atom, usize> = IndexMap::new();
        for (i, m) in stars.iter().enumerate() {
            let mut names = IndexSet::new();
            self.export_order(*m, &mut Vec::new(), &mut names);
            for name in names {
                if name == "default" || self.modules[id].exports.contains_key(&name) {
                    continue;
                }
                let Some(&j) = first.get(&name) else {
                    first.insert(name, i);
                    continue;
                };
                let saved = std::mem::replace(&mut self.current, id);
                let value = |ev: &mut Self, m: ModuleId| {
                    ev.module_export(&ImportTarget::Module(m), Some(&name), Span::default())
                        .ok()
                };
                let (kept, lost) = (value(self, stars[j]), value(self, *m));
                self.current = saved;
                let (Some(Value::Host(kept)), Some(Value::Host(lost))) = (kept, lost) else {
                    continue;
                };
                if Rc::ptr_eq(&kept, &lost) || !lost.is_entity() {
                    continue;
                }
                let spans: Vec<Span> = self.modules[id]
                    .ast
                    .body
                    .iter()
                    .filter_map(|s| match &s.kind {
                        ast::StmtKind::ExportAll(e) if !e.type_only && e.alias.is_none() => {
                            Some(e.source.span)
                        }
                        _ => None,
                    })
                    .collect();
                let file = self.modules[id].path.clone();
                let mut d = Diagnostic::warning(
                    codes::EXPORT_AMBIGUOUS,
                    format!(
                        "`{name}` is exported by two `export *`: the first one's is used, and {} is left out",
                        lost.kind_name()
                    ),
                );
                if let (Some(a), Some(b)) = (spans.get(j), spans.get(i)) {
                    d = d
                        .with_label(&file, *b, format!("{} (left out)", lost.kind_name()))
                        .with_label(&file, *a, format!("{} (used)", kept.kind_name()));
                }
                self.diags.push(d.with_help(format!(
                    "give one of them another name, or export the one meant by name: `export {{ {name} }} from '...'`"
                )));
            }
        }
    }

    /// The values a module exports, in the order drizzle-kit visits them.
    fn sorted_exports(&mut self, id: ModuleId) -> Vec<(String, Value<'a>)> {
        // CommonJS: the properties of `module.exports`, in their order (`Object.entries`).
        let m = &self.modules[id];
        if let Some(cjs) = m.cjs_exports.clone()
            && m.exports.is_empty()
            && m.star_exports.is_empty()
        {
            let saved = std::mem::replace(&mut self.current, id);
            let mut out = Vec::new();
            for key in self.keys_of(&cjs) {
                match self.get(&cjs, &key, Span::default()) {
                    Ok(v) => out.push((key.to_string(), v)),
                    Err(interp::Flow::Error(d)) => self.diags.push(*d),
                    Err(_) => {}
                }
            }
            self.current = saved;
            return out;
        }
        let mut names = IndexSet::new();
        self.export_order(id, &mut Vec::new(), &mut names);
        let mut out = Vec::new();
        for name in names {
            let target = ImportTarget::Module(id);
            let saved = std::mem::replace(&mut self.current, id);
            match self.module_export(&target, Some(&name), Span::default()) {
                Ok(v) => out.push((name.to_string(), v)),
                Err(interp::Flow::Error(d)) => self.diags.push(*d),
                Err(_) => {}
            }
            self.current = saved;
        }
        out
    }
}

/// A module's export table with its specifiers resolved.
fn export_table(
    table: &ExportTable,
    imports: &HashMap<String, ImportTarget>,
) -> (IndexMap<Atom, ExportEntry>, Vec<ImportTarget>) {
    let target = |spec: &str| {
        imports
            .get(spec)
            .cloned()
            .unwrap_or(ImportTarget::Unresolved)
    };
    let exports = table
        .names
        .iter()
        .map(|(k, e)| {
            let entry = match e {
                Export::Local(l) => ExportEntry::Local(l.clone()),
                Export::Reexport { specifier, name } => ExportEntry::Reexport {
                    target: target(specifier),
                    name: name.clone(),
                },
            };
            (k.clone(), entry)
        })
        .collect();
    let stars = table.stars.iter().map(|s| target(s)).collect();
    (exports, stars)
}

/// The result of evaluating the schema program.
pub struct SchemaOutput {
    pub schema: Schema,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the schema program and lowers what its schema files export into the Schema IR.
pub fn evaluate_schema(program: Program<'_>, options: EvalOptions) -> SchemaOutput {
    let entries = program.entries.clone();
    let mut ev = Evaluator::new(program);
    for &id in &entries {
        ev.run_module(id);
    }
    let mut exported = Vec::new();
    for &id in &entries {
        ev.ambiguous_star_exports(id);
        for (name, value) in ev.sorted_exports(id) {
            exported.push(lower::Exported {
                module: id,
                name,
                value,
            });
        }
    }
    let schema = lower::lower(&mut ev, exported, options);
    SchemaOutput {
        schema,
        diagnostics: std::mem::take(&mut ev.diags),
    }
}

/// Runs one module and returns its default export as plain data (for config files). Values
/// that are not plain data (functions, opaque values) are reported.
/// A module's default export as plain data (config files).
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultExport {
    pub value: Option<serde_json::Value>,
    pub diagnostics: Vec<Diagnostic>,
    /// Environment variables the module read that are not set, with where they were read.
    pub missing_env: Vec<(String, Location)>,
    /// Properties (dotted paths) whose value could not be known, with why. They are `null` in
    /// `value`; a caller reports them only for the keys it needs.
    pub unavailable: Vec<(String, Diagnostic)>,
    /// Environment variables the module loaded or set while it ran (`dotenv.config(...)` in a
    /// branch, `process.env.X = ...`): the schema program sees them, as in one Node process.
    pub env_set: BTreeMap<String, String>,
}

pub fn evaluate_default_export(program: Program<'_>, module: ModuleId) -> DefaultExport {
    let mut ev = Evaluator::new(program);
    ev.lenient_default = Some(module);
    ev.run_module(module);
    ev.current = module;
    let mut unavailable = std::mem::take(&mut ev.deferred);
    // A CommonJS config (`module.exports = {...}`, or tsc's `exports.default = ...` with
    // `__esModule`) counts as a default export.
    // The config's own `module.exports` (a CommonJS file it requires sets its own).
    // drizzle-kit reads `required.default ?? required`: a `default` property counts even
    // without `__esModule`.
    let commonjs = ev.modules[module].cjs_exports.clone().map(|cjs| {
        let cjs = ev.cjs_default(&cjs);
        let inner = match &cjs {
            Value::Object(o) => o.borrow().props.get("default").cloned(),
            _ => None,
        };
        match inner {
            Some(d) if !matches!(d, Value::Undefined | Value::Null) => d,
            _ => cjs,
        }
    });
    let has_default = ev.modules[module].exports.contains_key("default") || commonjs.is_some();
    let value = if let Some(v) = commonjs {
        Ok(v)
    } else if has_default {
        ev.module_export(
            &ImportTarget::Module(module),
            Some("default"),
            Span::default(),
        )
    } else {
        Err(interp::Flow::Poisoned)
    };
    let out = match value {
        Ok(v) if v.is_poisoned() => None,
        Ok(v) => {
            let mut opaque = Vec::new();
            let j = builtins::to_json_lenient(&v, "", &mut opaque);
            let span = default_export_span(ev.modules[module].ast);
            for (path, o) in opaque {
                let mut d = Diagnostic::error(
                    codes::CONFIG_INVALID,
                    format!(
                        "`{path}` must be known when schemac reads the config, but it is {}",
                        o.describe()
                    ),
                )
                .with_label(&ev.modules[module].path, span, "in this config");
                if let Some(origin) = &o.origin {
                    d = d.with_location(origin, "the value comes from here");
                }
                unavailable.push((path, d));
            }
            Some(j)
        }
        Err(_) if !has_default => {
            let path = ev.modules[module].path.clone();
            let has_syntax_errors = ev.modules[module]
                .ast
                .body
                .iter()
                .any(|s| matches!(s.kind, StmtKind::Error));
            if !has_syntax_errors {
                ev.diags.push(
                    Diagnostic::error(
                        codes::CONFIG_INVALID,
                        "the config file has no default export",
                    )
                    .with_label(&path, Span::default(), "in this file")
                    .with_help("end the file with `export default defineConfig({ ... })`"),
                );
            }
            None
        }
        Err(interp::Flow::Error(d)) => {
            ev.diags.push(*d);
            None
        }
        Err(_) => None,
    };
    DefaultExport {
        value: out,
        diagnostics: std::mem::take(&mut ev.diags),
        missing_env: std::mem::take(&mut ev.missing_env),
        env_set: std::mem::take(&mut ev.env_overlay),
        unavailable,
    }
}

fn default_export_span(module: &ast::Module) -> Span {
    module
        .body
        .iter()
        .find_map(|s| match &s.kind {
            StmtKind::ExportDefault(e) | StmtKind::ExportAssign(e) => Some(e.span),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};
    use std::path::Path;
    use std::rc::Rc;

    use super::{Evaluator, ModuleInput, Program};
    use crate::syntax;

    /// Runs `src` as the one module of a program and hands the evaluator to `then`.
    fn evaluated<T>(src: &str, then: impl FnOnce(Evaluator<'_>) -> T) -> T {
        let parsed = syntax::parse(src);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let exports = syntax::exports::export_table(&parsed.module);
        let env = BTreeMap::new();
        let program = Program {
            modules: vec![ModuleInput {
                path: Path::new("/t/schema.ts").into(),
                ast: &parsed.module,
                exports: &exports,
                imports: HashMap::new(),
            }],
            entries: vec![0],
            env: &env,
            cwd: Path::new("/t"),
        };
        let mut ev = Evaluator::new(program);
        ev.run_module(0);
        then(ev)
    }

    /// Runs `src` as the one module of a program: its exports by name (as `String(value)`, or
    /// the value's kind) and the messages of its diagnostics.
    fn run(src: &str) -> (BTreeMap<String, String>, Vec<String>) {
        evaluated(src, |mut ev| {
            let values = ev
                .sorted_exports(0)
                .into_iter()
                .map(|(k, v)| (k, v.to_js_string().unwrap_or_else(|| v.kind_name())))
                .collect();
            let diags = ev.diags.iter().map(|d| d.message.clone()).collect();
            (values, diags)
        })
    }

    /// A function is an object: properties assigned onto it (directly, with `Object.assign` or
    /// `Object.defineProperty`) are read back, listed and spread, and it can still be called.
    #[test]
    fn functions_keep_the_properties_assigned_to_them() {
        let (values, diags) = run("
            const id = (n) => n + 1;
            id.twice = (n) => id(id(n));
            function named() { return 'called'; }
            named.tag = 'x';
            const mk = Object.assign(() => 'base', { extra: () => 'extra' });
            export const keys = Object.keys(mk).join();
            Object.defineProperty(mk, 'hidden', { value: 7 });
            export const twice = id.twice(1);
            export const plain = id(1);
            export const tag = named.tag + named();
            export const assigned = mk.extra() + mk() + mk.hidden;
            export const spread = Object.keys({ ...id }).join();
            export const kind = typeof mk;
            export const missing = typeof named.other;
            export const name = named.name;
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("twice", "3"),
            ("plain", "2"),
            ("tag", "xcalled"),
            ("assigned", "extrabase7"),
            ("keys", "extra"),
            ("spread", "twice"),
            ("kind", "function"),
            ("missing", "undefined"),
            ("name", "named"),
        ];
        for (k, v) in expect {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
    }

    /// Classes as JavaScript runs them: fields and parameter properties on the instance,
    /// methods on the prototype (not own keys), `extends` with `super(...)` (the parent's
    /// fields first), statics and static blocks with `this` the class, getters, class
    /// expressions, and a class called without `new` is an error.
    #[test]
    fn classes_construct_instances_and_hold_static_members() {
        let (values, diags) = run("
            class Base {
              static count = 0;
              static { Base.count += 10; }
              kind = 'base';
              constructor(public readonly prefix: string) { Base.count++; }
              name(n: string) { return this.prefix + '_' + n; }
              get label() { return 'L:' + this.kind; }
            }
            class Child extends Base {
              extra = this.kind + '+';
              constructor(p: string) { super(p.toUpperCase()); this.kind = 'child'; }
              static make() { return new this('c'); }
              name(n: string) { return 'child:' + super.name(n); }
            }
            const c = Child.make();
            export const named = c.name('x');
            export const fields = Object.keys(c).join();
            export const extra = c.extra;
            export const kind = c.kind;
            export const label = c.label;
            export const count = Base.count;
            export const inherited = typeof Child.count;
            export const expr = new (class { v = 3 })().v;
            export const type = typeof Child;
            export const className = Child.name;
            export const isBase = c instanceof Base && !(new Base('x') instanceof Child);
            export default class Named { static tag = 'n'; }
            export const namedTag = Named.tag;
        ");
        assert!(diags.is_empty(), "{diags:?}");
        for (k, v) in [
            ("named", "child:C_x"),
            ("fields", "kind,prefix,extra"),
            ("extra", "base+"),
            ("kind", "child"),
            ("label", "L:child"),
            ("count", "11"),
            ("inherited", "number"),
            ("expr", "3"),
            ("type", "function"),
            ("className", "Child"),
            ("isBase", "true"),
            ("namedTag", "n"),
        ] {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
        let (values, diags) = run("
            import { Base } from 'some-orm';
            class Repo extends Base { own = 1; }
            const r = new Repo();
            export const inherited = typeof r.save;
            export const own = r.own;
        ");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(values.get("own").map(String::as_str), Some("1"));
        assert_ne!(
            values.get("inherited").map(String::as_str),
            Some("undefined")
        );
        let (_, diags) = run("class A {} export const a = A();");
        assert_eq!(diags, ["the class `A` cannot be called without `new`"]);
    }

    /// Static methods and getters exist before static fields run (a field may call one
    /// declared after it); `new.target` is the class `new` was called on, also in a parent's
    /// constructor.
    #[test]
    fn static_members_and_new_target_follow_javascript() {
        let (values, diags) = run("
            class Names {
              static readonly USERS = Names.prefixed('users');
              static readonly LABEL = Names.label;
              static prefixed(n: string) { return Names.PREFIX + n; }
              static get label() { return 'label:' + Names.PREFIX; }
              static readonly PREFIX = 'app_';
            }
            class Base { kind: string; constructor() { this.kind = new.target.name; } }
            class Users extends Base {}
            function plain() { return typeof new.target; }
            export const users = Names.USERS;
            export const label = Names.LABEL;
            export const later = Names.label;
            export const kind = new Users().kind;
            export const called = plain();
        ");
        assert!(diags.is_empty(), "{diags:?}");
        for (k, v) in [
            ("users", "undefinedusers"),
            ("label", "label:undefined"),
            ("later", "label:app_"),
            ("kind", "Users"),
            ("called", "undefined"),
        ] {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
    }

    /// An optional link that meets `null` or `undefined` makes the whole chain `undefined`:
    /// the member accesses and calls after it are skipped.
    #[test]
    fn optional_chains_short_circuit() {
        let (values, diags) = run("
            const u: any = undefined;
            const o = { list: 'a,b', none: null as any };
            export const a = u?.split(',').map((x: string) => x.trim()) ?? 'fallback';
            export const b = typeof u?.b.c;
            export const c = typeof u?.[0].z;
            export const d = typeof u?.x.y();
            export const e = o.list?.split(',').length;
            export const f = typeof o.none?.deep.deeper;
            export const g = typeof o.missing?.();
        ");
        assert!(diags.is_empty(), "{diags:?}");
        for (k, v) in [
            ("a", "fallback"),
            ("b", "undefined"),
            ("c", "undefined"),
            ("d", "undefined"),
            ("e", "2"),
            ("f", "undefined"),
            ("g", "undefined"),
        ] {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
        let (_, diags) = run("const o: any = {}; export const x = o.a.b;");
        assert_eq!(diags, ["cannot read `b` of undefined"]);
    }

    /// A getter runs when its property is defined, or, when it reads a declaration further
    /// down, once the module has run; `Object.getOwnPropertyDescriptor` hands back the getter
    /// (swc's `_export` helper) or a data property's value.
    #[test]
    fn getters_that_read_later_declarations_run_when_the_module_has_run() {
        let (values, diags) = run("
            const box = {};
            const all = { get late() { return later + 1; }, get early() { return 'e'; } };
            for (const k in all) {
                Object.defineProperty(box, k, { get: Object.getOwnPropertyDescriptor(all, k).get });
            }
            Object.defineProperty(box, 'viaFn', { get: function () { return later * 2; } });
            export const data = Object.getOwnPropertyDescriptor({ x: 5 }, 'x').value;
            export const none = typeof Object.getOwnPropertyDescriptor({}, 'x');
            export const early = box.early;
            export const seenEarly = typeof box.late;
            const later = 41;
            export const result = box;
        ");
        assert!(diags.is_empty(), "{diags:?}");
        for (k, v) in [
            ("data", "5"),
            ("none", "undefined"),
            ("early", "e"),
            ("seenEarly", "undefined"),
        ] {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
        let box_props = evaluated(
            "const b = {}; Object.defineProperty(b, 'v', { get() { return x; } }); const x = 3; export const out = b;",
            |mut ev| {
                let out = ev.sorted_exports(0).into_iter().find(|(k, _)| k == "out");
                out.and_then(|(_, v)| v.get_prop("v"))
                    .and_then(|v| v.to_js_string())
            },
        );
        assert_eq!(box_props.as_deref(), Some("3"));
    }

    /// A namespace with values is an object of its exported members (nested and dotted
    /// namespaces too, merged into a function of the same name); one of types only, and
    /// `declare namespace`, leave no value, as tsc erases them.
    #[test]
    fn namespaces_with_values_are_objects() {
        let (values, diags) = run("
            export namespace Naming {
                export const prefix = 'app_';
                const hidden = '!';
                export function table(n: string) { return prefix + n + hidden; }
                export namespace Inner { export const x = 1; }
                export interface Shape { a: string }
            }
            namespace Outer.Mid.Leaf { export const y = 2; }
            function tool() { return 't'; }
            namespace tool { export const version = 3; }
            namespace OnlyTypes { export type T = string; }
            declare namespace Ambient { const z: number; }
            export const table = Naming.table('items');
            export const keys = Object.keys(Naming).join();
            export const inner = Naming.Inner.x + Outer.Mid.Leaf.y;
            export const merged = tool() + tool.version;
            export const erased = typeof OnlyTypes + ',' + typeof Ambient;
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("table", "app_items!"),
            ("keys", "prefix,table,Inner"),
            ("inner", "3"),
            ("merged", "t3"),
            ("erased", "undefined,undefined"),
            ("Naming", "[object Object]"),
        ];
        for (k, v) in expect {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
    }

    /// A `Date` made from a literal has its time value and UTC fields; a missing method is named
    /// by its expression in the error.
    #[test]
    fn dates_from_literals_have_their_fields() {
        let (values, diags) = run("
            const d = new Date('2020-02-29T13:14:15.678Z');
            export const time = new Date('2020-01-01T00:00:00Z').getTime() / 1000;
            export const value = new Date(86400000).valueOf();
            export const iso = new Date(2021, 11, 31).toISOString();
            export const fields = [d.getUTCFullYear(), d.getMonth(), d.getDate(), d.getUTCDay(),
                d.getHours(), d.getUTCMinutes(), d.getSeconds(), d.getMilliseconds(),
                d.getTimezoneOffset()].join();
            export const diff = (d - new Date('2020-02-29T00:00:00Z')) / 1000;
            export const json = JSON.stringify({ d: new Date(0) });
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("time", "1577836800"),
            ("value", "86400000"),
            ("iso", "2021-12-31T00:00:00.000Z"),
            ("fields", "2020,1,29,6,13,14,15,678,0"),
            ("diff", "47655.678"),
            ("json", r#"{"d":"1970-01-01T00:00:00.000Z"}"#),
        ];
        for (k, v) in expect {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
        let (_, diags) = run("export const x = new Date(0).toFancyString();");
        assert_eq!(
            diags,
            ["`new Date(...).toFancyString` is undefined and cannot be called"]
        );
    }

    /// A generator call runs to its end at once and is the list of what it yielded (`yield*`
    /// yields each item of an iterable); an endless one stops at the step budget.
    #[test]
    fn bigint_arithmetic_stays_bigint() {
        let (values, diags) = run("
            export const pow = BigInt(2) ** BigInt(32);
            export const sum = 9007199254740993n + 1n;
            export const diff = 5n - 7n;
            export const product = 3n * 4n;
            export const quotient = 7n / 2n;
            export const rest = 7n % 4n;
            export const kind = typeof (2n ** 3n);
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("pow", "4294967296"),
            ("sum", "9007199254740994"),
            ("diff", "-2"),
            ("product", "12"),
            ("quotient", "3"),
            ("rest", "3"),
            ("kind", "bigint"),
        ];
        for (k, v) in expect {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
        let (_, diags) = run("export const x = 1n / 0n;");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].contains("divides by zero"), "{diags:?}");
    }

    #[test]
    fn generators_give_what_they_yield() {
        let (values, diags) = run("
            function* letters() { yield 'a'; yield 'b'; }
            function* numbered(n) { for (let i = 1; i <= n; i++) { const got = yield i; if (got) yield 'no'; } return 'done'; }
            function* both() { yield* letters(); yield* [1, 2]; yield; }
            const obj = { *items() { yield this.x; }, x: 'x' };
            export const spread = [...letters()].join();
            export const looped = (() => { let s = ''; for (const n of numbered(3)) s += n; return s; })();
            export const delegated = Array.from(both()).join('/');
            export const method = [...obj.items()].join();
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("spread", "a,b"),
            ("looped", "123"),
            ("delegated", "a/b/1/2/"),
            ("method", "x"),
        ];
        for (k, v) in expect {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
        let (_, diags) = run("
            function* forever() { let i = 0; while (true) yield i++; }
            export const xs = [...forever()];
        ");
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    /// ``String.raw`...` `` keeps escapes as written; called as a function it joins `raw`.
    #[test]
    fn string_raw_keeps_escapes() {
        let (values, diags) = run(r#"
            const n = 2;
            export const tagged = String.raw`^\d+$`;
            export const subst = String.raw`a\n${n}\t${'x'}`;
            export const plain = String.raw`plain ${n}`;
            export const called = String.raw({ raw: ['1', '2', '3'] }, 'a', 'b', 'c');
        "#);
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("tagged", r"^\d+$"),
            ("subst", r"a\n2\tx"),
            ("plain", "plain 2"),
            ("called", "1a2b3"),
        ];
        for (k, v) in expect {
            assert_eq!(values.get(k).map(String::as_str), Some(v), "`{k}`");
        }
    }

    /// A function's `name` and `length` are read-only: assigning them throws in module code.
    #[test]
    fn a_functions_name_cannot_be_assigned() {
        let (_, diags) = run("
            const f = () => 1;
            f.name = 'g';
        ");
        assert_eq!(
            diags,
            ["cannot assign to the read-only property `name` of a function"]
        );
    }

    /// Closures and the scopes they close over form reference cycles; dropping the evaluator
    /// must still free every scope of the run (a long-running process evaluates many times).
    #[test]
    fn dropping_the_evaluator_frees_scopes_held_in_cycles() {
        let src = "
            const make = (n) => { const self = { n, get: () => self.n }; return self; };
            export const a = make(1);
            export const f = () => a;
        ";
        evaluated(src, |ev| {
            assert!(ev.diags.is_empty(), "{:?}", ev.diags);
            let module_scope = Rc::downgrade(&ev.modules[0].scope);
            let inner: Vec<_> = ev.scopes.clone();
            assert!(!inner.is_empty());
            drop(ev);
            assert!(
                module_scope.upgrade().is_none(),
                "the module scope outlived the run"
            );
            assert!(
                inner.iter().all(|s| s.upgrade().is_none()),
                "a call scope outlived the run"
            );
        });
    }

    /// `Map` and `Set` built from known values, in insertion order, with `SameValueZero` keys:
    /// their methods, `size`, spreading, `for … of`, `Array.from` and `forEach`.
    #[test]
    fn maps_and_sets_of_known_values() {
        let (values, diags) = run("
            const s = new Set(['a', 'a', 'b', NaN, NaN]);
            s.add('c').add('a');
            s.delete('b');
            export const set = [...s].join() + '|' + s.size + s.has('a') + s.has('b') + s.has(NaN);
            const m = new Map([['k', 'v'], ['n', 1]]);
            m.set('k', 'w').set(2, 'two');
            export const map = m.get('k') + m.get(2) + m.get('2') + m.size + m.has('n');
            export const entries = Array.from(m.entries()).map(([k, v]) => k + '=' + v).join();
            export const keys = [...m.keys()].join() + '/' + [...m.values()].join();
            let seen = '';
            for (const [k, v] of m) seen += k + v;
            m.forEach((v, k, self) => { seen += k + (self === m); });
            export const loops = seen;
            export const fromSet = Array.from(new Set('hello')).join('');
            export const empty = new Map().size + new Set().size;
            m.delete('n');
            m.clear();
            export const cleared = m.size;
            const obj = {};
            export const identity = new Set([obj, {}, obj]).size;
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("set", "a,NaN,c|3truefalsetrue"),
            ("map", "wtwoundefined3true"),
            ("entries", "k=w,n=1,2=two"),
            ("keys", "k,n,2/w,1,two"),
            ("loops", "kwn12twoktruentrue3"),
            ("fromSet", "helo"),
            ("empty", "0"),
            ("cleared", "0"),
            ("identity", "2"),
        ];
        for (k, v) in expect {
            assert_eq!(values[k], v, "{k}");
        }
    }

    /// `String.fromCharCode`/`fromCodePoint`, `codePointAt`, a bigint's `toString`,
    /// `Date.UTC` and `Date.parse` of an ISO literal.
    #[test]
    fn string_bigint_and_date_statics() {
        let (values, diags) = run("
            export const chars = String.fromCharCode(65, 66, 65 + 65536) + String.fromCodePoint(0x1F600).length;
            export const points = 'a'.codePointAt(0) + ',' + '😀'.codePointAt(0) + ',' + '😀'.codePointAt(1) + ',' + 'a'.codePointAt(5);
            export const big = BigInt(5).toString() + (10n).toString() + typeof BigInt(5).valueOf();
            export const utc = Date.UTC(2020, 0, 1);
            export const iso = new Date(Date.UTC(2020, 13, 1, 2, 3, 4, 5)).toISOString();
            export const twoDigit = new Date(Date.UTC(99, 0)).toISOString();
            export const parsed = Date.parse('2021-03-04T05:06:07.008Z');
            export const bad = Date.parse('not a date');
        ");
        assert!(diags.is_empty(), "{diags:?}");
        let expect = [
            ("chars", "ABA2"),
            ("points", "97,128512,56832,undefined"),
            ("big", "510bigint"),
            ("utc", "1577836800000"),
            ("iso", "2021-02-01T02:03:04.005Z"),
            ("twoDigit", "1999-01-01T00:00:00.000Z"),
            ("parsed", "1614834367008"),
            ("bad", "NaN"),
        ];
        for (k, v) in expect {
            assert_eq!(values[k], v, "{k}");
        }
    }
}
