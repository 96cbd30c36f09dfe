//! Stage 1 and 2 of the pipeline: source text → tokens ([`lexer`]) → syntax tree ([`ast`]).
//!
//! [`parse`] is the one entry point. It never fails: a file with syntax errors still yields a
//! module (bad statements become [`ast::StmtKind::Error`]) plus the errors, so one mistake does
//! not hide the declarations after it.

pub mod ast;
pub mod lexer;
pub mod parser;

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
