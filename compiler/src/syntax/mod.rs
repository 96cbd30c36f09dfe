//! Stage 1 and 2 of the pipeline: source text → tokens ([`lexer`]) → syntax tree ([`ast`]).
//!
//! [`parse`] is the one entry point. It never fails: a file with syntax errors still yields a
//! module (bad statements become [`ast::StmtKind::Error`]) plus the errors, so one mistake does
//! not hide the declarations after it.

pub mod ast;
pub mod exports;
pub mod lexer;
pub mod parser;
pub mod visit;

use crate::span::Span;

/// A syntax error at a byte range of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    /// What is wrong, e.g. "expected `)`, found `;`".
    pub message: String,
    /// A short text for the label under the span, e.g. "unclosed `(`".
    pub label: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

/// The result of parsing one file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub module: ast::Module,
    pub errors: Vec<SyntaxError>,
}

/// Parses a TypeScript module. Never panics, whatever the input.
pub fn parse(text: &str) -> Parsed {
    parser::parse_module(text)
}

/// A `.json` file as a module: its value is the default export, and each top-level key that is
/// an identifier is also a named export (as bundlers allow).
pub fn parse_json_module(text: &str) -> Parsed {
    use ast::*;
    let whole = Span::new(0, text.len());
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            // serde_json reports 1-based line and column.
            let offset = text
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum::<usize>()
                + e.column().saturating_sub(1);
            let at = offset.min(text.len());
            return Parsed {
                module: Module::default(),
                errors: vec![SyntaxError {
                    span: Span::new(at, (at + 1).min(text.len())),
                    message: format!("invalid JSON: {e}"),
                    label: "here".into(),
                    help: None,
                }],
            };
        }
    };
    fn expr(v: &serde_json::Value, span: Span) -> Expr {
        let kind = match v {
            serde_json::Value::Null => ExprKind::Null,
            serde_json::Value::Bool(b) => ExprKind::Bool(*b),
            serde_json::Value::Number(n) => ExprKind::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => ExprKind::Str(s.into()),
            serde_json::Value::Array(a) => {
                ExprKind::Array(a.iter().map(|x| ArrayElem::Expr(expr(x, span))).collect())
            }
            serde_json::Value::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, x)| Prop::KeyValue {
                        key: PropKey::Str(StrLit {
                            value: k.into(),
                            span,
                        }),
                        value: expr(x, span),
                    })
                    .collect(),
            ),
        };
        Expr { kind, span }
    }
    let mut body = Vec::new();
    if let serde_json::Value::Object(o) = &value {
        for (k, x) in o {
            let is_ident = k
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
            if is_ident && k != "default" {
                body.push(Stmt {
                    kind: StmtKind::Var(VarDecl {
                        kind: VarKind::Const,
                        decls: vec![VarDeclarator {
                            target: Pattern {
                                kind: PatternKind::Ident(Ident {
                                    name: k.into(),
                                    span: whole,
                                }),
                                span: whole,
                            },
                            init: Some(expr(x, whole)),
                            span: whole,
                        }],
                        exported: true,
                        declare: false,
                    }),
                    span: whole,
                });
            }
        }
    }
    body.push(Stmt {
        kind: StmtKind::ExportDefault(expr(&value, whole)),
        span: whole,
    });
    Parsed {
        module: Module {
            body,
            comments: Vec::new(),
        },
        errors: Vec::new(),
    }
}
