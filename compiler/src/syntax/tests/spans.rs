//! Checks that every node's span covers its source text: spans are well-formed, lie inside
//! their parent's span, and names and literals sit exactly on their text.

use crate::span::Span;
use crate::syntax::ast::*;

pub struct Checker<'s> {
    pub src: &'s str,
    pub problems: Vec<String>,
}

impl Checker<'_> {
    fn inside(&mut self, what: &str, span: Span, parent: Span) {
        if span.start > span.end || span.end as usize > self.src.len() {
            self.problems
                .push(format!("{what}: malformed span {span:?}"));
        } else if span.start < parent.start || span.end > parent.end {
            self.problems.push(format!(
                "{what} {span:?} {:?} is outside its parent {parent:?} {:?}",
                &self.src[span.range()],
                self.src.get(parent.range()).unwrap_or("")
            ));
        }
    }

    fn ident(&mut self, id: &Ident, parent: Span) {
        self.inside("ident", id.span, parent);
        let text = self.src.get(id.span.range()).unwrap_or("");
        if !text.contains('\\') && text != &*id.name && !(id.name.is_empty() && text.is_empty()) {
            // String-literal names (`enum E { 'a-b' }`) keep their quotes in the source.
            let unquoted = text.trim_matches(|c| c == '\'' || c == '"');
            if unquoted != &*id.name {
                self.problems
                    .push(format!("ident {:?} has text {text:?}", id.name));
            }
        }
    }

    fn str_lit(&mut self, s: &StrLit, parent: Span) {
        self.inside("string", s.span, parent);
        let text = self.src.get(s.span.range()).unwrap_or("");
        if !(text.starts_with('\'') || text.starts_with('"')) {
            self.problems
                .push(format!("string {:?} has text {text:?}", s.value));
        }
    }

    pub fn module(&mut self, m: &Module) {
        let all = Span::new(0, self.src.len());
        for s in &m.body {
            self.stmt(s, all);
        }
        for c in &m.comments {
            self.inside("comment", c.span, all);
        }
    }

    fn stmts(&mut self, body: &[Stmt], parent: Span) {
        for s in body {
            self.stmt(s, parent);
        }
    }

    fn stmt(&mut self, s: &Stmt, parent: Span) {
        self.inside("statement", s.span, parent);
        let p = s.span;
        match &s.kind {
            StmtKind::Import(i) => {
                self.str_lit(&i.source, p);
                for id in i.default.iter().chain(&i.namespace) {
                    self.ident(id, p);
                }
                for spec in &i.named {
                    self.ident(&spec.local, p);
                    self.inside("import name", spec.imported.span, p);
                }
            }
            StmtKind::ExportNamed(e) => {
                for spec in &e.specs {
                    self.inside("export name", spec.local.span, p);
                    self.inside("export name", spec.exported.span, p);
                }
                if let Some(src) = &e.source {
                    self.str_lit(src, p);
                }
            }
            StmtKind::ExportAll(e) => {
                self.str_lit(&e.source, p);
                if let Some(a) = &e.alias {
                    self.ident(a, p);
                }
            }
            StmtKind::ExportDefault(e) | StmtKind::ExportAssign(e) | StmtKind::Expr(e) => {
                self.expr(e, p)
            }
            StmtKind::Var(v) => {
                for d in &v.decls {
                    self.inside("declarator", d.span, p);
                    self.pattern(&d.target, d.span);
                    if let Some(i) = &d.init {
                        self.expr(i, d.span);
                    }
                }
            }
            StmtKind::Function(f) => self.function(&f.func, p),
            StmtKind::Class(c) => self.class(c, p),
            StmtKind::Enum(e) => {
                self.ident(&e.name, p);
                for m in &e.members {
                    self.ident(&m.name, p);
                    if let Some(i) = &m.init {
                        self.expr(i, p);
                    }
                }
            }
            StmtKind::TypeDecl { name, .. } => {
                if let Some(n) = name {
                    self.ident(n, p);
                }
            }
            StmtKind::Block(b) => self.stmts(b, p),
            StmtKind::Namespace(n) => {
                self.ident(&n.name, p);
                self.stmts(&n.body, p);
            }
            StmtKind::If { test, cons, alt } => {
                self.expr(test, p);
                self.stmt(cons, p);
                if let Some(a) = alt {
                    self.stmt(a, p);
                }
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e, p);
                }
            }
            StmtKind::Throw(e) => self.expr(e, p),
            StmtKind::For {
                init,
                test,
                update,
                body,
            } => {
                if let Some(i) = init {
                    self.stmt(i, p);
                }
                for e in test.iter().chain(update) {
                    self.expr(e, p);
                }
                self.stmt(body, p);
            }
            StmtKind::ForInOf {
                left, right, body, ..
            } => {
                match left {
                    ForHead::Decl(_, pat) | ForHead::Pattern(pat) => self.pattern(pat, p),
                }
                self.expr(right, p);
                self.stmt(body, p);
            }
            StmtKind::While { test, body } | StmtKind::DoWhile { body, test } => {
                self.expr(test, p);
                self.stmt(body, p);
            }
            StmtKind::Switch {
                discriminant,
                cases,
            } => {
                self.expr(discriminant, p);
                for c in cases {
                    if let Some(t) = &c.test {
                        self.expr(t, p);
                    }
                    self.stmts(&c.body, p);
                }
            }
            StmtKind::Try {
                block,
                param,
                handler,
                finalizer,
            } => {
                self.stmts(block, p);
                if let Some(pat) = param {
                    self.pattern(pat, p);
                }
                for b in handler.iter().chain(finalizer) {
                    self.stmts(b, p);
                }
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Empty | StmtKind::Error => {}
        }
    }

    fn class(&mut self, c: &ClassDecl, parent: Span) {
        self.inside("class", c.span, parent);
        if let Some(n) = &c.name {
            self.ident(n, c.span);
        }
        if let Some(e) = &c.extends {
            self.expr(e, c.span);
        }
    }

    fn function(&mut self, f: &Function, parent: Span) {
        self.inside("function", f.span, parent);
        let p = f.span;
        if let Some(n) = &f.name {
            self.ident(n, p);
        }
        for param in &f.params {
            self.inside("param", param.span, p);
            self.pattern(&param.pattern, param.span);
            if let Some(d) = &param.default {
                self.expr(d, param.span);
            }
        }
        match &f.body {
            FunctionBody::Expr(e) => self.expr(e, p),
            FunctionBody::Block(b) => self.stmts(b, p),
        }
    }

    fn key(&mut self, k: &PropKey, parent: Span) {
        match k {
            PropKey::Ident(i) => self.ident(i, parent),
            PropKey::Str(s) => self.str_lit(s, parent),
            PropKey::Number(_, s) => self.inside("number key", *s, parent),
            PropKey::Computed(e) => self.expr(e, parent),
        }
    }

    fn pattern(&mut self, pat: &Pattern, parent: Span) {
        self.inside("pattern", pat.span, parent);
        let p = pat.span;
        match &pat.kind {
            PatternKind::Ident(i) => self.ident(i, p),
            PatternKind::Object { props, rest } => {
                for prop in props {
                    self.key(&prop.key, p);
                    self.pattern(&prop.value, p);
                    if let Some(d) = &prop.default {
                        self.expr(d, p);
                    }
                }
                if let Some(r) = rest {
                    self.pattern(r, p);
                }
            }
            PatternKind::Array { elems, rest } => {
                for el in elems.iter().flatten() {
                    self.pattern(&el.pattern, p);
                    if let Some(d) = &el.default {
                        self.expr(d, p);
                    }
                }
                if let Some(r) = rest {
                    self.pattern(r, p);
                }
            }
            PatternKind::Expr(e) => self.expr(e, p),
            PatternKind::Error => {}
        }
    }

    fn template(&mut self, t: &Template, parent: Span) {
        self.inside("template", t.span, parent);
        if t.quasis.len() != t.exprs.len() + 1 {
            self.problems.push(format!(
                "template with {} quasis, {} exprs",
                t.quasis.len(),
                t.exprs.len()
            ));
        }
        for e in &t.exprs {
            self.expr(e, t.span);
        }
    }

    fn expr(&mut self, e: &Expr, parent: Span) {
        self.inside("expression", e.span, parent);
        let p = e.span;
        let text = self.src.get(p.range()).unwrap_or("");
        match &e.kind {
            ExprKind::Ident(name) if !text.contains('\\') && text != &**name && name != "super" => {
                self.problems
                    .push(format!("identifier {name:?} has text {text:?}"));
            }
            ExprKind::Str(_) if !(text.starts_with('\'') || text.starts_with('"')) => {
                self.problems.push(format!("string has text {text:?}"));
            }
            ExprKind::Template(t) => self.template(t, p),
            ExprKind::TaggedTemplate { tag, quasi } => {
                self.expr(tag, p);
                self.template(quasi, p);
            }
            ExprKind::Array(items) => {
                for i in items {
                    if let ArrayElem::Expr(x) | ArrayElem::Spread(x) = i {
                        self.expr(x, p);
                    }
                }
            }
            ExprKind::Object(props) => {
                for prop in props {
                    match prop {
                        Prop::KeyValue { key, value } => {
                            self.key(key, p);
                            self.expr(value, p);
                        }
                        Prop::Shorthand(i) => self.ident(i, p),
                        Prop::Spread(x) => self.expr(x, p),
                        Prop::Method { key, func }
                        | Prop::Getter { key, func }
                        | Prop::Setter { key, func } => {
                            self.key(key, p);
                            self.function(func, p);
                        }
                    }
                }
            }
            ExprKind::Function(f) => self.function(f, p),
            ExprKind::Class(c) => self.class(c, p),
            ExprKind::Unary { arg, .. } | ExprKind::Update { arg, .. } | ExprKind::Await(arg) => {
                self.expr(arg, p)
            }
            ExprKind::Binary { left, right, .. } => {
                self.expr(left, p);
                self.expr(right, p);
            }
            ExprKind::Assign { target, value, .. } => {
                self.pattern(target, p);
                self.expr(value, p);
            }
            ExprKind::Cond { test, cons, alt } => {
                self.expr(test, p);
                self.expr(cons, p);
                self.expr(alt, p);
            }
            ExprKind::Call { callee, args, .. } | ExprKind::New { callee, args } => {
                self.expr(callee, p);
                for a in args {
                    let (Arg::Expr(x) | Arg::Spread(x)) = a;
                    self.expr(x, p);
                }
            }
            ExprKind::Member { object, prop, .. } => {
                self.expr(object, p);
                self.inside("property", prop.span, p);
            }
            ExprKind::Index { object, index, .. } => {
                self.expr(object, p);
                self.expr(index, p);
            }
            ExprKind::Seq(items) => {
                for x in items {
                    self.expr(x, p);
                }
            }
            ExprKind::Yield { arg: Some(a), .. } => self.expr(a, p),
            ExprKind::ImportCall(args) => {
                for a in args {
                    let (Arg::Expr(x) | Arg::Spread(x)) = a;
                    self.expr(x, p);
                }
            }
            _ => {}
        }
    }
}
