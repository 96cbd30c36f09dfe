//! Walks over a module's syntax tree.

use rustc_hash::FxHashSet as HashSet;

use super::ast::*;
use crate::span::Span;

/// Which of `names` the module reads as a value: identifiers in expressions, shorthand
/// properties, and local names it re-exports. Types were dropped by the parser, so a name that is
/// only used in types does not appear. The walk stops at the first top-level statement after
/// which every name has been seen: the imports of a schema file are all used by its first tables.
/// A name that `text` (the module's source) does not hold as a word outside its import
/// declarations cannot be read, and is not looked for: an unused import would otherwise walk the
/// whole tree.
pub fn referenced_names<'m>(
    module: &'m Module,
    text: &str,
    names: impl IntoIterator<Item = &'m str>,
) -> HashSet<&'m str> {
    let imports: Vec<Span> = module
        .body
        .iter()
        .filter(|s| matches!(s.kind, StmtKind::Import(_)))
        .map(|s| s.span)
        .collect();
    let mut out = Seen {
        wanted: names
            .into_iter()
            .filter(|n| mentioned(text, n, &imports))
            .collect(),
        found: HashSet::default(),
    };
    for s in &module.body {
        if out.wanted.is_empty() {
            break;
        }
        stmt(s, &mut out);
    }
    out.found
}

/// Whether `name` occurs in `text` as a whole word outside the `skip` spans. Conservative: a
/// word in a string or a comment counts.
fn mentioned(text: &str, name: &str, skip: &[Span]) -> bool {
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let end = at + name.len();
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let whole_word =
            !before.is_some_and(is_word) && !bytes.get(end).copied().is_some_and(is_word);
        let in_import = skip
            .iter()
            .any(|s| s.start as usize <= at && end <= s.end as usize);
        whole_word && !in_import
    })
}

/// Whether a function reads `name` (in its parameters' defaults or its body, nested functions
/// included): a function that reads `arguments` gets it.
pub fn function_reads(f: &Function, name: &str) -> bool {
    let mut out = Seen {
        wanted: std::iter::once(name).collect(),
        found: HashSet::default(),
    };
    function(f, &mut out);
    !out.found.is_empty()
}

/// The names a walk looks for, and those it has seen.
struct Seen<'m> {
    wanted: HashSet<&'m str>,
    found: HashSet<&'m str>,
}

impl<'m> Seen<'m> {
    fn insert(&mut self, name: &'m str) {
        if self.wanted.remove(name) {
            self.found.insert(name);
        }
    }
}

/// The specifiers a CommonJS module loads with `require('x')` at its top level, with the span
/// of each string: in a variable's initializer (`const { a } = require('x')`,
/// `const b = require('y').b`) or in an expression statement (`exports.c = require('z')`),
/// also inside object and array literals there. `require.resolve('x')` counts too. With
/// `in_functions`, also in the bodies of functions (a UMD wrapper's `factory(exports,
/// require('x'))`, a webpack bundle's module functions): the caller passes it only for a file
/// whose text has `require(`, so TypeScript schemas are not walked through.
pub fn literal_requires(module: &Module, in_functions: bool) -> Vec<(&str, Span)> {
    struct Walk<'m> {
        out: Vec<(&'m str, Span)>,
        in_functions: bool,
    }
    fn function<'m>(f: &'m Function, w: &mut Walk<'m>) {
        match &f.body {
            FunctionBody::Expr(e) => walk(e, w),
            FunctionBody::Block(b) => stmts(b, w),
        }
    }
    fn walk<'m>(e: &'m Expr, w: &mut Walk<'m>) {
        match &e.kind {
            ExprKind::Call { callee, args, .. } => {
                // `require('x')`, and `require.resolve('x')` (the module's path: it is resolved
                // the same way, and does not run)
                let is_require = match &callee.kind {
                    ExprKind::Ident(f) => f == "require",
                    ExprKind::Member { object, prop, .. } => {
                        prop.name == "resolve"
                            && matches!(&object.kind, ExprKind::Ident(f) if f == "require")
                    }
                    _ => false,
                };
                if let [Arg::Expr(a)] = &args[..]
                    && is_require
                    && let ExprKind::Str(spec) = &a.kind
                {
                    w.out.push((spec.as_str(), a.span));
                } else {
                    // `Object.assign({}, require('./a'))`
                    walk(callee, w);
                    for Arg::Expr(e) | Arg::Spread(e) in args.iter() {
                        walk(e, w);
                    }
                }
            }
            ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => walk(object, w),
            ExprKind::Assign { value, .. } => walk(value, w),
            ExprKind::Function(f) if w.in_functions => function(f, w),
            // `desktop ? require('./sqlite') : require('./pg')`; the branch not taken is
            // loaded, and runs only if required.
            ExprKind::Cond { test, cons, alt } => {
                walk(test, w);
                walk(cons, w);
                walk(alt, w);
            }
            ExprKind::Binary { left, right, .. } => {
                walk(left, w);
                walk(right, w);
            }
            // `module.exports = { ...require('./users'), posts: require('./posts').posts }`
            ExprKind::Object(props) => {
                for p in props {
                    if let Prop::KeyValue { value: e, .. } | Prop::Spread(e) = p {
                        walk(e, w);
                    }
                }
            }
            ExprKind::Array(elems) => {
                for el in elems {
                    if let ArrayElem::Expr(e) | ArrayElem::Spread(e) = el {
                        walk(e, w);
                    }
                }
            }
            _ => {}
        }
    }
    // Statements that run with the module, also inside blocks, `if` and `try` (a config's
    // `try { const { defineConfig } = require('drizzle-kit'); ... } catch {}`); in functions
    // only with `in_functions`.
    fn stmts<'m>(body: &'m [Stmt], w: &mut Walk<'m>) {
        for s in body {
            match &s.kind {
                StmtKind::Var(v) => {
                    for d in &v.decls {
                        if let Some(init) = &d.init {
                            walk(init, w);
                        }
                    }
                }
                StmtKind::Expr(e) | StmtKind::ExportDefault(e) | StmtKind::ExportAssign(e) => {
                    walk(e, w)
                }
                StmtKind::Return(Some(e)) if w.in_functions => walk(e, w),
                StmtKind::Function(f) if w.in_functions => function(&f.func, w),
                StmtKind::Block(b) => stmts(b, w),
                StmtKind::If { cons, alt, .. } => {
                    stmts(std::slice::from_ref(cons), w);
                    if let Some(alt) = alt {
                        stmts(std::slice::from_ref(alt), w);
                    }
                }
                StmtKind::Try {
                    block,
                    handler,
                    finalizer,
                    ..
                } => {
                    stmts(block, w);
                    for b in [handler, finalizer].into_iter().flatten() {
                        stmts(b, w);
                    }
                }
                _ => {}
            }
        }
    }
    let mut w = Walk {
        out: Vec::new(),
        in_functions,
    };
    stmts(&module.body, &mut w);
    w.out
}

/// Is this import removed when TypeScript is compiled (every binding it makes is used only in
/// types, or it is `import type`)? Such an import does not load its module, as with `tsc` and
/// esbuild. A side-effect import (`import 'x'`) is kept.
pub fn is_elided(import: &ImportDecl, used: &HashSet<&str>) -> bool {
    if import.type_only {
        return true;
    }
    let has_specifiers =
        import.default.is_some() || import.namespace.is_some() || !import.named.is_empty();
    has_specifiers && !value_bindings(import).any(|n| used.contains(n))
}

/// The local names an import binds as values (not those of `import type` or `type` specifiers).
pub fn value_bindings(import: &ImportDecl) -> impl Iterator<Item = &str> {
    let all = !import.type_only;
    let default = import.default.iter().chain(&import.namespace);
    default
        .map(|d| d.name.as_str())
        .chain(
            import
                .named
                .iter()
                .filter(|s| !s.type_only)
                .map(|s| s.local.name.as_str()),
        )
        .filter(move |_| all)
}

fn class<'m>(c: &'m ClassDecl, out: &mut Seen<'m>) {
    if let Some(e) = &c.extends {
        expr(e, out);
    }
    for m in c.members.iter().flatten() {
        if let PropKey::Computed(k) = &m.key {
            expr(k, out);
        }
        match &m.kind {
            ClassMemberKind::Method(f)
            | ClassMemberKind::Getter(f)
            | ClassMemberKind::Setter(f) => function(f, out),
            ClassMemberKind::Field(init) => {
                if let Some(i) = init {
                    expr(i, out);
                }
            }
            ClassMemberKind::StaticBlock(body) => body.iter().for_each(|s| stmt(s, out)),
        }
    }
}

fn stmt<'m>(s: &'m Stmt, out: &mut Seen<'m>) {
    match &s.kind {
        StmtKind::ExportNamed(e) if e.source.is_none() => {
            for spec in e.specs.iter().filter(|s| !s.type_only) {
                out.insert(spec.local.name.as_str());
            }
        }
        StmtKind::ExportDefault(e)
        | StmtKind::ExportAssign(e)
        | StmtKind::Expr(e)
        | StmtKind::Throw(e) => expr(e, out),
        StmtKind::Var(v) => {
            for d in &v.decls {
                pattern(&d.target, out);
                if let Some(i) = &d.init {
                    expr(i, out);
                }
            }
        }
        StmtKind::Function(f) => function(&f.func, out),
        StmtKind::Class(c) => class(c, out),
        StmtKind::Enum(e) => {
            for m in &e.members {
                if let Some(i) = &m.init {
                    expr(i, out);
                }
            }
        }
        StmtKind::Block(b) => b.iter().for_each(|s| stmt(s, out)),
        StmtKind::Namespace(n) => n.body.iter().for_each(|s| stmt(s, out)),
        StmtKind::If { test, cons, alt } => {
            expr(test, out);
            stmt(cons, out);
            if let Some(a) = alt {
                stmt(a, out);
            }
        }
        StmtKind::Return(Some(e)) => expr(e, out),
        StmtKind::For {
            init,
            test,
            update,
            body,
        } => {
            if let Some(i) = init {
                stmt(i, out);
            }
            for e in test.iter().chain(update.iter()) {
                expr(e, out);
            }
            stmt(body, out);
        }
        StmtKind::ForInOf {
            left, right, body, ..
        } => {
            match left {
                ForHead::Decl(_, p) | ForHead::Pattern(p) => pattern(p, out),
            }
            expr(right, out);
            stmt(body, out);
        }
        StmtKind::While { test, body } | StmtKind::DoWhile { body, test } => {
            expr(test, out);
            stmt(body, out);
        }
        StmtKind::Switch {
            discriminant,
            cases,
        } => {
            expr(discriminant, out);
            for c in cases {
                if let Some(t) = &c.test {
                    expr(t, out);
                }
                c.body.iter().for_each(|s| stmt(s, out));
            }
        }
        StmtKind::Try {
            block,
            param,
            handler,
            finalizer,
        } => {
            block.iter().for_each(|s| stmt(s, out));
            if let Some(p) = param {
                pattern(p, out);
            }
            for b in handler.iter().chain(finalizer.iter()) {
                b.iter().for_each(|s| stmt(s, out));
            }
        }
        _ => {}
    }
}

fn function<'m>(f: &'m Function, out: &mut Seen<'m>) {
    for p in &f.params {
        pattern(&p.pattern, out);
        if let Some(d) = &p.default {
            expr(d, out);
        }
    }
    match &f.body {
        FunctionBody::Expr(e) => expr(e, out),
        FunctionBody::Block(b) => b.iter().for_each(|s| stmt(s, out)),
    }
}

/// Patterns can hold default values and (as assignment targets) expressions.
fn pattern<'m>(p: &'m Pattern, out: &mut Seen<'m>) {
    match &p.kind {
        PatternKind::Object { props, rest } => {
            for pr in props {
                if let PropKey::Computed(e) = &pr.key {
                    expr(e, out);
                }
                pattern(&pr.value, out);
                if let Some(d) = &pr.default {
                    expr(d, out);
                }
            }
            if let Some(r) = rest {
                pattern(r, out);
            }
        }
        PatternKind::Array { elems, rest } => {
            for e in elems.iter().flatten() {
                pattern(&e.pattern, out);
                if let Some(d) = &e.default {
                    expr(d, out);
                }
            }
            if let Some(r) = rest {
                pattern(r, out);
            }
        }
        PatternKind::Expr(e) => expr(e, out),
        PatternKind::Ident(_) | PatternKind::Error => {}
    }
}

fn template<'m>(t: &'m Template, out: &mut Seen<'m>) {
    t.exprs.iter().for_each(|e| expr(e, out));
}

fn args<'m>(a: &'m [Arg], out: &mut Seen<'m>) {
    for x in a {
        match x {
            Arg::Expr(e) | Arg::Spread(e) => expr(e, out),
        }
    }
}

fn expr<'m>(e: &'m Expr, out: &mut Seen<'m>) {
    match &e.kind {
        ExprKind::Ident(n) => {
            out.insert(n.as_str());
        }
        ExprKind::Template(t) => template(t, out),
        ExprKind::TaggedTemplate { tag, quasi } => {
            expr(tag, out);
            template(quasi, out);
        }
        ExprKind::Array(items) => {
            for i in items {
                if let ArrayElem::Expr(x) | ArrayElem::Spread(x) = i {
                    expr(x, out);
                }
            }
        }
        ExprKind::Object(props) => {
            for p in props {
                match p {
                    Prop::KeyValue { key, value } => {
                        if let PropKey::Computed(k) = key {
                            expr(k, out);
                        }
                        expr(value, out);
                    }
                    Prop::Shorthand(id) => {
                        out.insert(id.name.as_str());
                    }
                    Prop::Spread(x) => expr(x, out),
                    Prop::Method { key, func }
                    | Prop::Getter { key, func }
                    | Prop::Setter { key, func } => {
                        if let PropKey::Computed(k) = key {
                            expr(k, out);
                        }
                        function(func, out);
                    }
                }
            }
        }
        ExprKind::Function(f) => function(f, out),
        ExprKind::Class(c) => class(c, out),
        ExprKind::Unary { arg, .. } | ExprKind::Update { arg, .. } | ExprKind::Await(arg) => {
            expr(arg, out)
        }
        ExprKind::Yield { arg: Some(arg), .. } => expr(arg, out),
        ExprKind::Binary { left, right, .. } => {
            expr(left, out);
            expr(right, out);
        }
        ExprKind::Assign { target, value, .. } => {
            pattern(target, out);
            if let PatternKind::Ident(id) = &target.kind {
                out.insert(id.name.as_str());
            }
            expr(value, out);
        }
        ExprKind::Cond { test, cons, alt } => {
            expr(test, out);
            expr(cons, out);
            expr(alt, out);
        }
        ExprKind::Call {
            callee, args: a, ..
        }
        | ExprKind::New { callee, args: a } => {
            expr(callee, out);
            args(a, out);
        }
        ExprKind::ImportCall(a) => args(a, out),
        ExprKind::Member { object, .. } => expr(object, out),
        ExprKind::Index { object, index, .. } => {
            expr(object, out);
            expr(index, out);
        }
        ExprKind::Seq(items) => items.iter().for_each(|x| expr(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk stops early only once every name is seen: a name read in the last statement
    /// still counts, and one read only in types does not.
    #[test]
    fn referenced_names_finds_late_uses_and_skips_types() {
        let src = "
            import { a, b, type T } from './x';
            import c from './y';
            import * as ns from './z';
            export const t1 = a('t1');
            export const t2: T = a('t2');
            const x: c = 1;
            export const last = { ns, nested: () => [b] };
            import { d, e } from './w';
            const dd = 'e';
        ";
        let parsed = crate::syntax::parse(src);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let imports: Vec<&ImportDecl> = parsed
            .module
            .body
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Import(i) => Some(i),
                _ => None,
            })
            .collect();
        let bound: Vec<&str> = imports.iter().flat_map(|i| value_bindings(i)).collect();
        assert_eq!(bound, ["a", "b", "c", "ns", "d", "e"]);
        let used = referenced_names(&parsed.module, src, bound);
        let mut used: Vec<&str> = used.into_iter().collect();
        used.sort();
        assert_eq!(used, ["a", "b", "ns"]);
        assert!(!is_elided(imports[0], &HashSet::from_iter(["b"])));
        assert!(is_elided(imports[1], &HashSet::from_iter(["a"])));
    }
}
