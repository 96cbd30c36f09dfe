//! A compact S-expression rendering of the AST, so tests can state expected shapes in one
//! line: `a + b * c` is `(+ a (* b c))`.

use crate::syntax::ast::*;

pub fn stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Import(i) => {
            let mut parts = vec![format!("{:?}", i.source.value)];
            if let Some(d) = &i.default {
                parts.push(format!("default={}", d.name));
            }
            if let Some(n) = &i.namespace {
                parts.push(format!("ns={}", n.name));
            }
            for s in &i.named {
                parts.push(format!(
                    "{}{}:{}",
                    if s.type_only { "type " } else { "" },
                    s.imported.name,
                    s.local.name
                ));
            }
            format!(
                "(import{} {})",
                if i.type_only { "-type" } else { "" },
                parts.join(" ")
            )
        }
        StmtKind::ExportNamed(e) => {
            let specs: Vec<String> = e
                .specs
                .iter()
                .map(|s| {
                    format!(
                        "{}{}:{}",
                        if s.type_only { "type " } else { "" },
                        s.local.name,
                        s.exported.name
                    )
                })
                .collect();
            let from = e
                .source
                .as_ref()
                .map(|s| format!(" from {:?}", s.value))
                .unwrap_or_default();
            format!(
                "(export{} {}{from})",
                if e.type_only { "-type" } else { "" },
                specs.join(" ")
            )
        }
        StmtKind::ExportAll(e) => format!(
            "(export-all{}{} {:?})",
            if e.type_only { "-type" } else { "" },
            e.alias
                .as_ref()
                .map(|a| format!(" as {}", a.name))
                .unwrap_or_default(),
            e.source.value
        ),
        StmtKind::ExportDefault(e) => format!("(export-default {})", expr(e)),
        StmtKind::ExportAssign(e) => format!("(export= {})", expr(e)),
        StmtKind::Var(v) => {
            let kind = match v.kind {
                VarKind::Const => "const",
                VarKind::Let => "let",
                VarKind::Var => "var",
            };
            let decls: Vec<String> = v
                .decls
                .iter()
                .map(|d| match &d.init {
                    Some(i) => format!("{}={}", pat(&d.target), expr(i)),
                    None => pat(&d.target),
                })
                .collect();
            format!(
                "({}{}{kind} {})",
                if v.exported { "export " } else { "" },
                if v.declare { "declare " } else { "" },
                decls.join(" ")
            )
        }
        StmtKind::Function(f) if f.exported => format!("(export {})", func(&f.func)),
        StmtKind::Function(f) => func(&f.func),
        StmtKind::Class(c) => class(c),
        StmtKind::Enum(e) => {
            let members: Vec<String> = e
                .members
                .iter()
                .map(|m| match &m.init {
                    Some(i) => format!("{}={}", m.name.name, expr(i)),
                    None => m.name.name.to_string(),
                })
                .collect();
            format!(
                "({}{}{}enum {} {})",
                if e.exported { "export " } else { "" },
                if e.declare { "declare " } else { "" },
                if e.is_const { "const " } else { "" },
                e.name.name,
                members.join(" ")
            )
        }
        StmtKind::TypeDecl { name, exported } => format!(
            "({}type-decl{})",
            if *exported { "export " } else { "" },
            name.as_ref()
                .map(|n| format!(" {}", n.name))
                .unwrap_or_default()
        ),
        StmtKind::Namespace(n) => format!(
            "({}namespace {} {{{}}})",
            if n.exported { "export " } else { "" },
            n.name.name,
            stmts(&n.body)
        ),
        StmtKind::Expr(e) => expr(e),
        StmtKind::Block(b) => format!("{{{}}}", stmts(b)),
        StmtKind::If { test, cons, alt } => match alt {
            Some(a) => format!("(if {} {} {})", expr(test), stmt(cons), stmt(a)),
            None => format!("(if {} {})", expr(test), stmt(cons)),
        },
        StmtKind::Return(e) => match e {
            Some(e) => format!("(return {})", expr(e)),
            None => "(return)".into(),
        },
        StmtKind::Throw(e) => format!("(throw {})", expr(e)),
        StmtKind::For {
            init,
            test,
            update,
            body,
        } => format!(
            "(for {} {} {} {})",
            init.as_ref().map_or("_".into(), |s| stmt(s)),
            test.as_ref().map_or("_".into(), expr),
            update.as_ref().map_or("_".into(), expr),
            stmt(body)
        ),
        StmtKind::ForInOf {
            left,
            right,
            body,
            of,
        } => {
            let left = match left {
                ForHead::Decl(k, p) => format!("{k:?} {}", pat(p)).to_lowercase(),
                ForHead::Pattern(p) => pat(p),
            };
            format!(
                "(for-{} {left} {} {})",
                if *of { "of" } else { "in" },
                expr(right),
                stmt(body)
            )
        }
        StmtKind::While { test, body } => format!("(while {} {})", expr(test), stmt(body)),
        StmtKind::DoWhile { body, test } => format!("(do {} {})", stmt(body), expr(test)),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Switch {
            discriminant,
            cases,
        } => {
            let cases: Vec<String> = cases
                .iter()
                .map(|c| {
                    format!(
                        "({} {})",
                        c.test.as_ref().map_or("default".into(), expr),
                        stmts(&c.body)
                    )
                })
                .collect();
            format!("(switch {} {})", expr(discriminant), cases.join(" "))
        }
        StmtKind::Try {
            block,
            param,
            handler,
            finalizer,
        } => format!(
            "(try {{{}}}{}{})",
            stmts(block),
            handler.as_ref().map_or(String::new(), |h| format!(
                " (catch {}{{{}}})",
                param
                    .as_ref()
                    .map_or(String::new(), |p| format!("{} ", pat(p))),
                stmts(h)
            )),
            finalizer
                .as_ref()
                .map_or(String::new(), |f| format!(" (finally {{{}}})", stmts(f)))
        ),
        StmtKind::Empty => ";".into(),
        StmtKind::Error => "ERROR".into(),
    }
}

pub fn stmts(body: &[Stmt]) -> String {
    body.iter().map(stmt).collect::<Vec<_>>().join(" ")
}

fn class(c: &ClassDecl) -> String {
    format!(
        "({}class{}{})",
        if c.exported { "export " } else { "" },
        c.name
            .as_ref()
            .map(|n| format!(" {}", n.name))
            .unwrap_or_default(),
        c.extends
            .as_ref()
            .map(|e| format!(" extends {}", expr(e)))
            .unwrap_or_default()
    )
}

fn func(f: &Function) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| {
            let mut s = String::new();
            if p.rest {
                s.push_str("...");
            }
            s.push_str(&pat(&p.pattern));
            if let Some(d) = &p.default {
                s.push('=');
                s.push_str(&expr(d));
            }
            s
        })
        .collect();
    let body = match &f.body {
        FunctionBody::Expr(e) => expr(e),
        FunctionBody::Block(b) => format!("{{{}}}", stmts(b)),
    };
    format!(
        "({}{}{}{} ({}) {body})",
        if f.is_async { "async " } else { "" },
        if f.is_arrow { "=>" } else { "fn" },
        if f.is_generator { "*" } else { "" },
        f.name
            .as_ref()
            .map(|n| format!(" {}", n.name))
            .unwrap_or_default(),
        params.join(" ")
    )
}

pub fn pat(p: &Pattern) -> String {
    match &p.kind {
        PatternKind::Ident(i) => i.name.to_string(),
        PatternKind::Object { props, rest } => {
            let mut parts: Vec<String> = props
                .iter()
                .map(|pp| {
                    let mut s = format!("{}:{}", key(&pp.key), pat(&pp.value));
                    if let Some(d) = &pp.default {
                        s.push('=');
                        s.push_str(&expr(d));
                    }
                    s
                })
                .collect();
            if let Some(r) = rest {
                parts.push(format!("...{}", pat(r)));
            }
            format!("{{{}}}", parts.join(" "))
        }
        PatternKind::Array { elems, rest } => {
            let mut parts: Vec<String> = elems
                .iter()
                .map(|e| match e {
                    None => "_".into(),
                    Some(e) => match &e.default {
                        Some(d) => format!("{}={}", pat(&e.pattern), expr(d)),
                        None => pat(&e.pattern),
                    },
                })
                .collect();
            if let Some(r) = rest {
                parts.push(format!("...{}", pat(r)));
            }
            format!("[{}]", parts.join(" "))
        }
        PatternKind::Expr(e) => expr(e),
        PatternKind::Error => "ERROR".into(),
    }
}

fn key(k: &PropKey) -> String {
    match k {
        PropKey::Ident(i) => i.name.to_string(),
        PropKey::Str(s) => format!("{:?}", s.value),
        PropKey::Number(n, _) => n.to_string(),
        PropKey::Computed(e) => format!("[{}]", expr(e)),
    }
}

fn args(a: &[Arg]) -> String {
    a.iter()
        .map(|a| match a {
            Arg::Expr(e) => expr(e),
            Arg::Spread(e) => format!("...{}", expr(e)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn template(t: &Template) -> String {
    let mut s = String::from("`");
    for (i, q) in t.quasis.iter().enumerate() {
        s.push_str(q);
        if let Some(e) = t.exprs.get(i) {
            s.push_str(&format!("${{{}}}", expr(e)));
        }
    }
    s.push('`');
    s
}

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Ident(n) => n.to_string(),
        ExprKind::This => "this".into(),
        ExprKind::Null => "null".into(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Number(n) => n.to_string(),
        ExprKind::BigInt(b) => format!("{b}n"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Template(t) => template(t),
        ExprKind::TaggedTemplate { tag, quasi } => {
            format!("(tag {} {})", expr(tag), template(quasi))
        }
        ExprKind::Regex { pattern, flags } => format!("/{pattern}/{flags}"),
        ExprKind::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| match i {
                    ArrayElem::Hole => "_".into(),
                    ArrayElem::Expr(e) => expr(e),
                    ArrayElem::Spread(e) => format!("...{}", expr(e)),
                })
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ExprKind::Object(props) => format!(
            "{{{}}}",
            props
                .iter()
                .map(|p| match p {
                    Prop::KeyValue { key: k, value } => format!("{}:{}", key(k), expr(value)),
                    Prop::Shorthand(i) => i.name.to_string(),
                    Prop::Spread(e) => format!("...{}", expr(e)),
                    Prop::Method { key: k, func: f } => format!("{}:{}", key(k), func(f)),
                    Prop::Getter { key: k, func: f } => format!("get {}:{}", key(k), func(f)),
                    Prop::Setter { key: k, func: f } => format!("set {}:{}", key(k), func(f)),
                })
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ExprKind::Function(f) => func(f),
        ExprKind::Class(c) => class(c),
        ExprKind::Unary { op, arg } => {
            let op = match op {
                UnaryOp::Neg => "-",
                UnaryOp::Plus => "+",
                UnaryOp::Not => "!",
                UnaryOp::BitNot => "~",
                UnaryOp::Typeof => "typeof",
                UnaryOp::Void => "void",
                UnaryOp::Delete => "delete",
            };
            format!("({op} {})", expr(arg))
        }
        ExprKind::Update { op, prefix, arg } => {
            let op = match op {
                UpdateOp::Inc => "++",
                UpdateOp::Dec => "--",
            };
            if *prefix {
                format!("({op}pre {})", expr(arg))
            } else {
                format!("({op}post {})", expr(arg))
            }
        }
        ExprKind::Binary { op, left, right } => {
            format!("({} {} {})", binop(*op), expr(left), expr(right))
        }
        ExprKind::Assign { op, target, value } => {
            let op = match op {
                AssignOp::Assign => "=".to_string(),
                AssignOp::Op(b) => format!("{}=", binop(*b)),
            };
            format!("({op} {} {})", pat(target), expr(value))
        }
        ExprKind::Cond { test, cons, alt } => {
            format!("(? {} {} {})", expr(test), expr(cons), expr(alt))
        }
        ExprKind::Call {
            callee,
            args: a,
            optional,
        } => format!(
            "(call{} {}{}{})",
            if *optional { "?" } else { "" },
            expr(callee),
            if a.is_empty() { "" } else { " " },
            args(a)
        ),
        ExprKind::New { callee, args: a } => format!(
            "(new {}{}{})",
            expr(callee),
            if a.is_empty() { "" } else { " " },
            args(a)
        ),
        ExprKind::Member {
            object,
            prop,
            optional,
        } => {
            format!(
                "{}{}{}",
                expr(object),
                if *optional { "?." } else { "." },
                prop.name
            )
        }
        ExprKind::Index {
            object,
            index,
            optional,
        } => {
            format!(
                "{}{}[{}]",
                expr(object),
                if *optional { "?." } else { "" },
                expr(index)
            )
        }
        ExprKind::Seq(items) => {
            format!(
                "(, {})",
                items.iter().map(expr).collect::<Vec<_>>().join(" ")
            )
        }
        ExprKind::Await(e) => format!("(await {})", expr(e)),
        ExprKind::Yield { arg, delegate } => match arg {
            Some(e) => format!("(yield{} {})", if *delegate { "*" } else { "" }, expr(e)),
            None => "(yield)".into(),
        },
        ExprKind::ImportCall(a) => format!("(import {})", args(a)),
        ExprKind::ImportMeta => "import.meta".into(),
        ExprKind::Error => "ERROR".into(),
    }
}

fn binop(op: BinaryOp) -> &'static str {
    use BinaryOp::*;
    match op {
        Add => "+",
        Sub => "-",
        Mul => "*",
        Div => "/",
        Rem => "%",
        Exp => "**",
        Eq => "==",
        NotEq => "!=",
        StrictEq => "===",
        StrictNotEq => "!==",
        Lt => "<",
        LtEq => "<=",
        Gt => ">",
        GtEq => ">=",
        Shl => "<<",
        Shr => ">>",
        UShr => ">>>",
        BitAnd => "&",
        BitOr => "|",
        BitXor => "^",
        And => "&&",
        Or => "||",
        Nullish => "??",
        In => "in",
        InstanceOf => "instanceof",
    }
}
