//! The TypeScript lexer.
//!
//! [logos] recognises the regular tokens. A hand-written driver around it does what a regular
//! language cannot: template literals with nested `${ }` (a stack of brace depths), regex
//! literals (decided by the previous token), strings and comments with precise "unterminated"
//! errors, and the line-break flags that automatic semicolon insertion needs.
//!
//! `>` is always a single-character token, as in TypeScript's scanner, so that
//! `Array<Array<number>>` closes two type-argument lists; the parser re-assembles `>>`, `>=`,
//! `>>>=` and friends from adjacent tokens.

use std::cell::RefCell;

use logos::Logos;
use rustc_hash::FxHashSet;

use super::SyntaxError;
use super::ast::{Atom, Comment};
use crate::span::Span;

/// The kind of a [`Token`]; its source text is in [`Token::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TokenKind {
    // Names and literals.
    Ident,
    /// `#name` (class private names).
    PrivateName,
    /// A string literal, quotes included in the text.
    Str,
    Num,
    /// `10n`, `0xFFn`.
    BigInt,
    /// `/re/flags`.
    Regex,
    /// `` `text` `` without substitutions.
    Template,
    /// `` `text${ ``.
    TemplateHead,
    /// `}text${`.
    TemplateMiddle,
    /// `` }text` ``.
    TemplateTail,
    /// Characters that start no token; the lexer already reported them.
    Invalid,

    // Reserved words.
    Break,
    Case,
    Catch,
    Class,
    Const,
    Continue,
    Debugger,
    Default,
    Delete,
    Do,
    Else,
    Enum,
    Export,
    Extends,
    False,
    Finally,
    For,
    Function,
    If,
    Import,
    In,
    Instanceof,
    New,
    Null,
    Return,
    Super,
    Switch,
    This,
    Throw,
    True,
    Try,
    Typeof,
    Var,
    Void,
    While,
    With,

    // Contextual keywords: keywords in some positions, identifiers everywhere else.
    Abstract,
    Accessor,
    As,
    Asserts,
    Async,
    Await,
    Declare,
    From,
    Get,
    Global,
    Implements,
    Infer,
    Interface,
    Is,
    Keyof,
    Let,
    Module,
    Namespace,
    Of,
    Override,
    Package,
    Private,
    Protected,
    Public,
    Readonly,
    Satisfies,
    Set,
    Static,
    Type,
    Unique,
    Yield,

    // Punctuators.
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Lt,
    LtEq,
    Shl,
    ShlEq,
    /// Always a single `>`; see the module docs.
    Gt,
    Eq,
    EqEq,
    EqEqEq,
    Bang,
    BangEq,
    BangEqEq,
    Plus,
    PlusPlus,
    PlusEq,
    Minus,
    MinusMinus,
    MinusEq,
    Star,
    StarStar,
    StarEq,
    StarStarEq,
    Slash,
    SlashEq,
    Percent,
    PercentEq,
    Amp,
    AmpAmp,
    AmpAmpEq,
    AmpEq,
    Pipe,
    PipePipe,
    PipePipeEq,
    PipeEq,
    Caret,
    CaretEq,
    Tilde,
    Question,
    QuestionQuestion,
    QuestionQuestionEq,
    QuestionDot,
    Colon,
    Dot,
    DotDotDot,
    Arrow,
    At,
}

/// Number of [`TokenKind`] variants (for bit sets indexed by kind).
pub(super) const TOKEN_KIND_COUNT: usize = TokenKind::At as usize + 1;

impl TokenKind {
    /// Reserved words cannot be used as binding or reference names.
    pub fn is_reserved(self) -> bool {
        (self as u8) >= (TokenKind::Break as u8) && (self as u8) <= (TokenKind::With as u8)
    }

    /// Identifiers and contextual keywords: anything usable as a variable name.
    pub fn is_ident_like(self) -> bool {
        self == TokenKind::Ident
            || ((self as u8) >= (TokenKind::Abstract as u8)
                && (self as u8) <= (TokenKind::Yield as u8))
    }

    /// Anything usable as a property name after `.` or as an object key.
    pub fn is_ident_name(self) -> bool {
        self.is_ident_like() || self.is_reserved()
    }

    /// How the token is described in error messages.
    pub fn describe(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident => "identifier",
            PrivateName => "private name",
            Str => "string literal",
            Num => "number",
            BigInt => "bigint literal",
            Regex => "regular expression",
            Template | TemplateHead => "template literal",
            TemplateMiddle | TemplateTail => "template continuation",
            Invalid => "invalid character",
            _ => self.text(),
        }
    }

    /// The fixed text of keywords and punctuators (empty for the others).
    pub fn text(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident | PrivateName | Str | Num | BigInt | Regex | Template | TemplateHead
            | TemplateMiddle | TemplateTail | Invalid => "",
            Break => "break",
            Case => "case",
            Catch => "catch",
            Class => "class",
            Const => "const",
            Continue => "continue",
            Debugger => "debugger",
            Default => "default",
            Delete => "delete",
            Do => "do",
            Else => "else",
            Enum => "enum",
            Export => "export",
            Extends => "extends",
            False => "false",
            Finally => "finally",
            For => "for",
            Function => "function",
            If => "if",
            Import => "import",
            In => "in",
            Instanceof => "instanceof",
            New => "new",
            Null => "null",
            Return => "return",
            Super => "super",
            Switch => "switch",
            This => "this",
            Throw => "throw",
            True => "true",
            Try => "try",
            Typeof => "typeof",
            Var => "var",
            Void => "void",
            While => "while",
            With => "with",
            Abstract => "abstract",
            Accessor => "accessor",
            As => "as",
            Asserts => "asserts",
            Async => "async",
            Await => "await",
            Declare => "declare",
            From => "from",
            Get => "get",
            Global => "global",
            Implements => "implements",
            Infer => "infer",
            Interface => "interface",
            Is => "is",
            Keyof => "keyof",
            Let => "let",
            Module => "module",
            Namespace => "namespace",
            Of => "of",
            Override => "override",
            Package => "package",
            Private => "private",
            Protected => "protected",
            Public => "public",
            Readonly => "readonly",
            Satisfies => "satisfies",
            Set => "set",
            Static => "static",
            Type => "type",
            Unique => "unique",
            Yield => "yield",
            LBrace => "{",
            RBrace => "}",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            Semi => ";",
            Comma => ",",
            Lt => "<",
            LtEq => "<=",
            Shl => "<<",
            ShlEq => "<<=",
            Gt => ">",
            Eq => "=",
            EqEq => "==",
            EqEqEq => "===",
            Bang => "!",
            BangEq => "!=",
            BangEqEq => "!==",
            Plus => "+",
            PlusPlus => "++",
            PlusEq => "+=",
            Minus => "-",
            MinusMinus => "--",
            MinusEq => "-=",
            Star => "*",
            StarStar => "**",
            StarEq => "*=",
            StarStarEq => "**=",
            Slash => "/",
            SlashEq => "/=",
            Percent => "%",
            PercentEq => "%=",
            Amp => "&",
            AmpAmp => "&&",
            AmpAmpEq => "&&=",
            AmpEq => "&=",
            Pipe => "|",
            PipePipe => "||",
            PipePipeEq => "||=",
            PipeEq => "|=",
            Caret => "^",
            CaretEq => "^=",
            Tilde => "~",
            Question => "?",
            QuestionQuestion => "??",
            QuestionQuestionEq => "??=",
            QuestionDot => "?.",
            Colon => ":",
            Dot => ".",
            DotDotDot => "...",
            Arrow => "=>",
            At => "@",
        }
    }

    fn keyword(word: &str) -> Option<TokenKind> {
        use TokenKind::*;
        Some(match word {
            "break" => Break,
            "case" => Case,
            "catch" => Catch,
            "class" => Class,
            "const" => Const,
            "continue" => Continue,
            "debugger" => Debugger,
            "default" => Default,
            "delete" => Delete,
            "do" => Do,
            "else" => Else,
            "enum" => Enum,
            "export" => Export,
            "extends" => Extends,
            "false" => False,
            "finally" => Finally,
            "for" => For,
            "function" => Function,
            "if" => If,
            "import" => Import,
            "in" => In,
            "instanceof" => Instanceof,
            "new" => New,
            "null" => Null,
            "return" => Return,
            "super" => Super,
            "switch" => Switch,
            "this" => This,
            "throw" => Throw,
            "true" => True,
            "try" => Try,
            "typeof" => Typeof,
            "var" => Var,
            "void" => Void,
            "while" => While,
            "with" => With,
            "abstract" => Abstract,
            "accessor" => Accessor,
            "as" => As,
            "asserts" => Asserts,
            "async" => Async,
            "await" => Await,
            "declare" => Declare,
            "from" => From,
            "get" => Get,
            "global" => Global,
            "implements" => Implements,
            "infer" => Infer,
            "interface" => Interface,
            "is" => Is,
            "keyof" => Keyof,
            "let" => Let,
            "module" => Module,
            "namespace" => Namespace,
            "of" => Of,
            "override" => Override,
            "package" => Package,
            "private" => Private,
            "protected" => Protected,
            "public" => Public,
            "readonly" => Readonly,
            "satisfies" => Satisfies,
            "set" => Set,
            "static" => Static,
            "type" => Type,
            "unique" => Unique,
            "yield" => Yield,
            _ => return None,
        })
    }
}

/// One token and the layout facts the parser needs: 12 bytes. Its text is not stored (a
/// `&str` would add 16 bytes to every token, a third of the lexer's memory); the span slices
/// it out of the source, see [`Token::text`]. The lifetime ties tokens to that source.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    /// Byte range of the raw source text, delimiters included (quotes, `` ` ``, `${`, `}`).
    pub span: Span,
    /// What kind of token this is; keywords have their own kinds.
    pub kind: TokenKind,
    /// A line break (or a comment spanning lines) separates this token from the previous one.
    pub nl_before: bool,
    /// The token is the first on its line and starts in column 0 (error recovery uses this
    /// to find the next top-level declaration).
    pub col0: bool,
    /// A string, template or regex that runs into a line end or the end of the file.
    pub unterminated: bool,
    source: std::marker::PhantomData<&'a str>,
}

impl<'a> Token<'a> {
    /// The raw text of the token in `src`, the text it was lexed from.
    #[inline]
    pub fn text(&self, src: &'a str) -> &'a str {
        &src[self.span.start as usize..self.span.end as usize]
    }
}

/// The result of [`lex`].
#[derive(Debug, Clone, Default)]
pub struct Lexed<'a> {
    /// The tokens in source order (comments and whitespace excluded).
    pub tokens: Vec<Token<'a>>,
    /// Comments, in source order: trivia for annotations such as `// @renamed-from`.
    pub comments: Vec<Comment>,
    /// Invalid characters, unterminated literals and comments, bad escapes.
    pub errors: Vec<SyntaxError>,
}

/// The regular part of the token grammar. Strings, templates, regexes and block comments are
/// only recognised by their first characters here; the driver scans the rest by hand.
#[derive(Logos, Debug, Clone, Copy, PartialEq)]
#[logos(skip r"[ \t\x0B\x0C\x{A0}\x{FEFF}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]+")]
enum Raw {
    #[regex(r"\n|\r\n?|\x{2028}|\x{2029}")]
    Newline,
    #[regex(r"//[^\n\r\x{2028}\x{2029}]*", allow_greedy = true)]
    LineComment,
    #[token("/*")]
    BlockCommentStart,
    #[regex(r"(?:[$_\p{ID_Start}]|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]+\})(?:[$\p{ID_Continue}\x{200C}\x{200D}]|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]+\})*")]
    Ident,
    #[regex(r"#(?:[$_\p{ID_Start}]|\\u[0-9a-fA-F]{4})(?:[$\p{ID_Continue}\x{200C}\x{200D}]|\\u[0-9a-fA-F]{4})*")]
    PrivateName,
    #[regex(r"[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?")]
    #[regex(r"\.[0-9][0-9_]*(?:[eE][+-]?[0-9_]+)?")]
    #[regex(r"0[xX][0-9a-fA-F_]+")]
    #[regex(r"0[oO][0-7_]+")]
    #[regex(r"0[bB][01_]+")]
    Num,
    #[regex(r"[0-9][0-9_]*n")]
    #[regex(r"0[xX][0-9a-fA-F_]+n")]
    #[regex(r"0[oO][0-7_]+n")]
    #[regex(r"0[bB][01_]+n")]
    BigInt,
    #[token("'")]
    #[token("\"")]
    Quote,
    #[token("`")]
    Backtick,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token("<")]
    Lt,
    #[token("<=")]
    LtEq,
    #[token("<<")]
    Shl,
    #[token("<<=")]
    ShlEq,
    #[token(">")]
    Gt,
    #[token("=")]
    Eq,
    #[token("==")]
    EqEq,
    #[token("===")]
    EqEqEq,
    #[token("!")]
    Bang,
    #[token("!=")]
    BangEq,
    #[token("!==")]
    BangEqEq,
    #[token("+")]
    Plus,
    #[token("++")]
    PlusPlus,
    #[token("+=")]
    PlusEq,
    #[token("-")]
    Minus,
    #[token("--")]
    MinusMinus,
    #[token("-=")]
    MinusEq,
    #[token("*")]
    Star,
    #[token("**")]
    StarStar,
    #[token("*=")]
    StarEq,
    #[token("**=")]
    StarStarEq,
    #[token("/")]
    Slash,
    #[token("/=")]
    SlashEq,
    #[token("%")]
    Percent,
    #[token("%=")]
    PercentEq,
    #[token("&")]
    Amp,
    #[token("&&")]
    AmpAmp,
    #[token("&&=")]
    AmpAmpEq,
    #[token("&=")]
    AmpEq,
    #[token("|")]
    Pipe,
    #[token("||")]
    PipePipe,
    #[token("||=")]
    PipePipeEq,
    #[token("|=")]
    PipeEq,
    #[token("^")]
    Caret,
    #[token("^=")]
    CaretEq,
    #[token("~")]
    Tilde,
    #[token("?")]
    Question,
    #[token("??")]
    QuestionQuestion,
    #[token("??=")]
    QuestionQuestionEq,
    #[token("?.")]
    QuestionDot,
    #[token(":")]
    Colon,
    #[token(".")]
    Dot,
    #[token("...")]
    DotDotDot,
    #[token("=>")]
    Arrow,
    #[token("@")]
    At,
}

impl Raw {
    /// The public kind of a token logos recognises completely.
    fn kind(self) -> TokenKind {
        use TokenKind as K;
        match self {
            Raw::LBrace => K::LBrace,
            Raw::RBrace => K::RBrace,
            Raw::LParen => K::LParen,
            Raw::RParen => K::RParen,
            Raw::LBracket => K::LBracket,
            Raw::RBracket => K::RBracket,
            Raw::Semi => K::Semi,
            Raw::Comma => K::Comma,
            Raw::Lt => K::Lt,
            Raw::LtEq => K::LtEq,
            Raw::Shl => K::Shl,
            Raw::ShlEq => K::ShlEq,
            Raw::Gt => K::Gt,
            Raw::Eq => K::Eq,
            Raw::EqEq => K::EqEq,
            Raw::EqEqEq => K::EqEqEq,
            Raw::Bang => K::Bang,
            Raw::BangEq => K::BangEq,
            Raw::BangEqEq => K::BangEqEq,
            Raw::Plus => K::Plus,
            Raw::PlusPlus => K::PlusPlus,
            Raw::PlusEq => K::PlusEq,
            Raw::Minus => K::Minus,
            Raw::MinusMinus => K::MinusMinus,
            Raw::MinusEq => K::MinusEq,
            Raw::Star => K::Star,
            Raw::StarStar => K::StarStar,
            Raw::StarEq => K::StarEq,
            Raw::StarStarEq => K::StarStarEq,
            Raw::Slash => K::Slash,
            Raw::SlashEq => K::SlashEq,
            Raw::Percent => K::Percent,
            Raw::PercentEq => K::PercentEq,
            Raw::Amp => K::Amp,
            Raw::AmpAmp => K::AmpAmp,
            Raw::AmpAmpEq => K::AmpAmpEq,
            Raw::AmpEq => K::AmpEq,
            Raw::Pipe => K::Pipe,
            Raw::PipePipe => K::PipePipe,
            Raw::PipePipeEq => K::PipePipeEq,
            Raw::PipeEq => K::PipeEq,
            Raw::Caret => K::Caret,
            Raw::CaretEq => K::CaretEq,
            Raw::Tilde => K::Tilde,
            Raw::Question => K::Question,
            Raw::QuestionQuestion => K::QuestionQuestion,
            Raw::QuestionQuestionEq => K::QuestionQuestionEq,
            Raw::QuestionDot => K::QuestionDot,
            Raw::Colon => K::Colon,
            Raw::Dot => K::Dot,
            Raw::DotDotDot => K::DotDotDot,
            Raw::Arrow => K::Arrow,
            Raw::At => K::At,
            Raw::Num => K::Num,
            Raw::BigInt => K::BigInt,
            Raw::PrivateName => K::PrivateName,
            // Handled by the driver before this is called.
            Raw::Ident => K::Ident,
            Raw::Newline
            | Raw::LineComment
            | Raw::BlockCommentStart
            | Raw::Quote
            | Raw::Backtick => K::Invalid,
        }
    }
}

/// Splits `text` into tokens and comments. Never fails: problems become [`Lexed::errors`]
/// and lexing continues after them.
pub fn lex(text: &str) -> Lexed<'_> {
    lex_from(text, 0)
}

/// [`lex`] from byte `start` of `text` on, as if lexing began at the start of a line outside
/// any literal or comment; spans stay offsets into the whole of `text`. `start` must be on a
/// character boundary.
pub fn lex_from(text: &str, start: usize) -> Lexed<'_> {
    let mut driver = Driver {
        src: text,
        // Schema code has about one token per 3.5 bytes: reserving one per 3 avoids regrowing (a
        // copy of the whole vector); capacity never written to costs no memory.
        out: Lexed {
            tokens: Vec::with_capacity((text.len() - start) / 3 + 16),
            ..Lexed::default()
        },
        nl_before: true,
        templates: Vec::new(),
        template_cut_off: false,
    };
    driver.run(start);
    driver.out
}

/// An open `${` of a template literal: the braces opened inside it so far, and where the
/// template started (for the "unterminated" error).
struct OpenTemplate {
    depth: u32,
    start: usize,
}

struct Driver<'a> {
    src: &'a str,
    out: Lexed<'a>,
    nl_before: bool,
    templates: Vec<OpenTemplate>,
    /// An "unterminated template literal" error was reported already.
    template_cut_off: bool,
}

impl<'a> Driver<'a> {
    fn run(&mut self, start: usize) {
        let src = self.src;
        let mut lx = Raw::lexer(src);
        if start > 0 {
            lx.bump(start);
        } else if src.starts_with("#!") {
            // A shebang line is not JavaScript; skip it like a comment.
            lx.bump(line_end(src, 0));
        }
        while let Some(next) = lx.next() {
            let span = lx.span();
            let raw = match next {
                Ok(raw) => raw,
                Err(()) => {
                    let bad = &src[span.clone()];
                    self.error(
                        span.start,
                        span.end,
                        format!("invalid character `{}`", bad.escape_debug()),
                        "not valid in TypeScript",
                        Some("remove it (or put it inside a string or comment)"),
                    );
                    self.push(TokenKind::Invalid, span.start, span.end, false);
                    continue;
                }
            };
            match raw {
                Raw::Newline => self.nl_before = true,
                Raw::LineComment => self.comment(span.start + 2, span.end, false),
                Raw::BlockCommentStart => {
                    let body = span.end;
                    match src[body..].find("*/") {
                        Some(n) => {
                            self.comment(body, body + n, true);
                            lx.bump(n + 2);
                        }
                        None => {
                            self.error(
                                span.start,
                                src.len(),
                                "unterminated block comment".into(),
                                "this comment is never closed",
                                Some("close it with `*/`"),
                            );
                            self.comment(body, src.len(), true);
                            lx.bump(src.len() - body);
                        }
                    }
                }
                Raw::Ident => {
                    let word = &src[span.clone()];
                    let kind = TokenKind::keyword(word).unwrap_or(TokenKind::Ident);
                    self.push(kind, span.start, span.end, false);
                }
                Raw::Num | Raw::BigInt => {
                    self.push(raw.kind(), span.start, span.end, false);
                    self.check_after_number(span.end);
                }
                Raw::Quote => {
                    let end = self.string(span.start);
                    lx.bump(end - span.end);
                }
                Raw::Backtick => {
                    let end = self.template_chunk(span.start, span.start);
                    lx.bump(end - span.end);
                }
                Raw::LBrace => {
                    if let Some(t) = self.templates.last_mut() {
                        t.depth += 1;
                    }
                    self.push(TokenKind::LBrace, span.start, span.end, false);
                }
                Raw::RBrace => match self.templates.last_mut() {
                    Some(t) if t.depth == 0 => {
                        let start = t.start;
                        self.templates.pop();
                        let end = self.template_chunk(span.start, start);
                        lx.bump(end - span.end);
                    }
                    other => {
                        if let Some(t) = other {
                            t.depth -= 1;
                        }
                        self.push(TokenKind::RBrace, span.start, span.end, false);
                    }
                },
                Raw::Slash | Raw::SlashEq if self.regex_allowed() => {
                    let end = self.regex(span.start);
                    lx.bump(end - span.end);
                }
                Raw::QuestionDot if src[span.end..].starts_with(|c: char| c.is_ascii_digit()) => {
                    // `a?.5:b` is a conditional with `.5`, not optional chaining.
                    self.push(TokenKind::Question, span.start, span.start + 1, false);
                    let end = span.start + 1 + number_len(&src[span.start + 1..]);
                    self.push(TokenKind::Num, span.start + 1, end, false);
                    lx.bump(end - span.end);
                    self.check_after_number(end);
                }
                _ => self.push(raw.kind(), span.start, span.end, false),
            }
        }
        if let Some(t) = self.templates.first()
            && !self.template_cut_off
        {
            // The chunk scan reports templates cut off inside their text; this catches ones
            // cut off inside a `${ }`.
            let start = t.start;
            self.error(
                start,
                src.len(),
                "unterminated template literal".into(),
                "this template literal is never closed",
                Some("close the `${` with `}` and the template with `` ` ``"),
            );
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize, unterminated: bool) {
        // A token right after `\n` or `\r` always follows a line break token, so the byte is
        // only looked at then.
        let col0 = self.nl_before
            && (start == 0 || matches!(self.src.as_bytes()[start - 1], b'\n' | b'\r'));
        self.out.tokens.push(Token {
            kind,
            span: Span::new(start, end),
            nl_before: self.nl_before,
            col0,
            unterminated,
            source: std::marker::PhantomData,
        });
        self.nl_before = false;
    }

    fn error(
        &mut self,
        start: usize,
        end: usize,
        message: String,
        label: &str,
        help: Option<&str>,
    ) {
        self.out.errors.push(SyntaxError {
            span: Span::new(start, end),
            message,
            label: label.into(),
            help: help.map(Into::into),
        });
    }

    fn comment(&mut self, start: usize, end: usize, block: bool) {
        let text = &self.src[start..end];
        if block && text.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
            // A comment containing a line break counts as one for semicolon insertion.
            self.nl_before = true;
        }
        let delim_start = start - 2;
        let delim_end = if block && self.src[end..].starts_with("*/") {
            end + 2
        } else {
            end
        };
        self.out.comments.push(Comment {
            span: Span::new(delim_start, delim_end),
            text: text.to_string(),
            block,
        });
    }

    /// `1in`, `3x`: JavaScript forbids an identifier right after a number.
    fn check_after_number(&mut self, end: usize) {
        if let Some(c) = self.src[end..].chars().next()
            && (c == '$' || c == '_' || c == '\\' || c.is_alphanumeric())
        {
            self.error(
                end,
                end + c.len_utf8(),
                "identifier starts immediately after a number".into(),
                "separate this from the number",
                Some("add a space between the number and what follows"),
            );
        }
    }

    /// Whether a `/` here starts a regex rather than a division, judged by the previous
    /// token: after something that ends an operand it divides, otherwise it starts a regex.
    fn regex_allowed(&self) -> bool {
        use TokenKind as K;
        let Some(prev) = self.out.tokens.last() else {
            return true;
        };
        match prev.kind {
            K::Ident
            | K::PrivateName
            | K::Str
            | K::Num
            | K::BigInt
            | K::Regex
            | K::Template
            | K::TemplateTail
            | K::RParen
            | K::RBracket
            | K::RBrace
            | K::This
            | K::Super
            | K::Null
            | K::True
            | K::False
            | K::PlusPlus
            | K::MinusMinus => false,
            // Contextual keywords are mostly used as plain names (`type / 2`), except these.
            k if k.is_ident_like() => matches!(k, K::Await | K::Yield | K::Of),
            _ => true,
        }
    }

    /// Scans a string literal starting at the quote at `start`; returns its end.
    fn string(&mut self, start: usize) -> usize {
        let src = self.src;
        let bytes = src.as_bytes();
        let quote = bytes[start];
        let mut i = start + 1;
        loop {
            match bytes.get(i) {
                None | Some(b'\n' | b'\r') => {
                    self.error(
                        start,
                        i,
                        "unterminated string literal".into(),
                        "this string is never closed",
                        Some(if quote == b'\'' {
                            "add the closing `'` (strings cannot span lines; use a template literal or `\\` at the line end)"
                        } else {
                            "add the closing `\"` (strings cannot span lines; use a template literal or `\\` at the line end)"
                        }),
                    );
                    self.push(TokenKind::Str, start, i, true);
                    self.validate_escapes(start + 1, i, false);
                    return i;
                }
                Some(&b) if b == quote => {
                    self.push(TokenKind::Str, start, i + 1, false);
                    self.validate_escapes(start + 1, i, false);
                    return i + 1;
                }
                Some(b'\\') => {
                    // Skip the escaped character (a whole line break for continuations).
                    i += 1;
                    match bytes.get(i) {
                        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                        Some(_) => i += char_len_at(src, i),
                        None => {}
                    }
                }
                Some(_) => i += 1,
            }
        }
    }

    /// Scans template text starting at the `` ` `` or `}` at `start` up to and including the
    /// next `` ` `` or `${`; returns its end. `template_start` is where the whole template
    /// began, for errors.
    fn template_chunk(&mut self, start: usize, template_start: usize) -> usize {
        let src = self.src;
        let bytes = src.as_bytes();
        let opening = bytes[start] == b'`';
        let mut i = start + 1;
        loop {
            match bytes.get(i) {
                None => {
                    self.template_cut_off = true;
                    self.error(
                        template_start,
                        src.len(),
                        "unterminated template literal".into(),
                        "this template literal is never closed",
                        Some("close it with `` ` ``"),
                    );
                    let kind = if opening {
                        TokenKind::Template
                    } else {
                        TokenKind::TemplateTail
                    };
                    self.push(kind, start, i, true);
                    return i;
                }
                Some(b'`') => {
                    let kind = if opening {
                        TokenKind::Template
                    } else {
                        TokenKind::TemplateTail
                    };
                    self.push(kind, start, i + 1, false);
                    self.validate_escapes(start + 1, i, true);
                    return i + 1;
                }
                Some(b'$') if bytes.get(i + 1) == Some(&b'{') => {
                    let kind = if opening {
                        TokenKind::TemplateHead
                    } else {
                        TokenKind::TemplateMiddle
                    };
                    self.push(kind, start, i + 2, false);
                    self.validate_escapes(start + 1, i, true);
                    self.templates.push(OpenTemplate {
                        depth: 0,
                        start: template_start,
                    });
                    return i + 2;
                }
                Some(b'\\') => {
                    i += 1;
                    if i < bytes.len() {
                        i += char_len_at(src, i);
                    }
                }
                Some(_) => i += 1,
            }
        }
    }

    /// Scans a regex literal starting at the `/` at `start`; returns its end.
    fn regex(&mut self, start: usize) -> usize {
        let src = self.src;
        let bytes = src.as_bytes();
        let mut i = start + 1;
        let mut in_class = false;
        loop {
            match bytes.get(i) {
                None | Some(b'\n' | b'\r') => {
                    self.error(
                        start,
                        i,
                        "unterminated regular expression literal".into(),
                        "this regular expression is never closed",
                        Some("close it with `/`, or escape the `/` if you meant division"),
                    );
                    self.push(TokenKind::Regex, start, i, true);
                    return i;
                }
                Some(b'\\') => {
                    i += 1;
                    if matches!(bytes.get(i), Some(b'\n' | b'\r') | None) {
                        continue;
                    }
                    i += char_len_at(src, i);
                }
                Some(b'[') => {
                    in_class = true;
                    i += 1;
                }
                Some(b']') => {
                    in_class = false;
                    i += 1;
                }
                Some(b'/') if !in_class => {
                    i += 1;
                    // Flags.
                    while let Some(c) = src[i..].chars().next() {
                        if c == '$' || c == '_' || c.is_alphanumeric() {
                            i += c.len_utf8();
                        } else {
                            break;
                        }
                    }
                    self.push(TokenKind::Regex, start, i, false);
                    return i;
                }
                Some(_) => i += char_len_at(src, i),
            }
        }
    }

    /// Reports bad escape sequences in string or template text `start..end`.
    fn validate_escapes(&mut self, start: usize, end: usize, template: bool) {
        let body = &self.src[start..end];
        if !body.contains('\\') {
            return;
        }
        let mut problems = Vec::new();
        cook_into(body, template, &mut |offset, len, msg| {
            problems.push((offset, len, msg))
        });
        for (offset, len, msg) in problems {
            self.error(
                start + offset,
                start + offset + len,
                msg.into(),
                "invalid escape sequence",
                Some("write `\\\\` for a literal backslash"),
            );
        }
    }
}

/// The byte length of the character at byte offset `i` (1 if `i` is not a char boundary).
fn char_len_at(src: &str, i: usize) -> usize {
    src.get(i..)
        .and_then(|s| s.chars().next())
        .map_or(1, char::len_utf8)
}

/// The offset of the end of the line that contains `start`.
fn line_end(src: &str, start: usize) -> usize {
    src[start..]
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .map_or(src.len(), |n| start + n)
}

/// Length of the decimal number at the start of `s` (which starts with `.` or a digit).
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
            *i += 1;
        }
    };
    digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        digits(&mut i);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            i = j;
            digits(&mut i);
        }
    }
    i
}

/// The cooked value of a string literal token's text (quotes included).
pub(super) fn string_value(text: &str) -> Atom {
    // The common case, a closed string without escapes (so without `\r` either, which ends a
    // string): the text between the quotes, as it is.
    let b = text.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'\'' | b'"') && b[b.len() - 1] == b[0] && !b.contains(&b'\\')
    {
        return atom(&text[1..text.len() - 1]);
    }
    let body = text.get(1..).unwrap_or("");
    let body = match (text.chars().next(), body.chars().last()) {
        (Some(q), Some(l)) if q == l && !body.is_empty() && !ends_with_escape(body) => {
            &body[..body.len() - 1]
        }
        _ => body,
    };
    cooked_atom(body, false)
}

/// Whether the last character of `s` is escaped by an odd run of backslashes.
fn ends_with_escape(s: &str) -> bool {
    let without_last = &s[..s.len() - s.chars().last().map_or(0, char::len_utf8)];
    without_last
        .bytes()
        .rev()
        .take_while(|&b| b == b'\\')
        .count()
        % 2
        == 1
}

/// The cooked text of a template token (`Template`, `TemplateHead`, `TemplateMiddle`,
/// `TemplateTail`), without its delimiters; `text` is the token's text.
pub(super) fn template_value(token: &Token<'_>, text: &str) -> Atom {
    cooked_atom(template_body(token, text), true)
}

/// A template token's text without its delimiters (`` ` `` or `}` before, `${` or `` ` `` after).
fn template_body<'t>(token: &Token<'_>, text: &'t str) -> &'t str {
    let body = text.get(1..).unwrap_or("");
    match token.kind {
        TokenKind::TemplateHead | TokenKind::TemplateMiddle => {
            body.strip_suffix("${").unwrap_or(body)
        }
        _ if !token.unterminated => body.strip_suffix('`').unwrap_or(body),
        _ => body,
    }
}

/// The raw text of a template token (escapes kept, line breaks as `\n`), or `None` where it
/// is its cooked text (no `\` and no carriage return).
pub(super) fn template_raw(token: &Token<'_>, text: &str) -> Option<Atom> {
    if !text.bytes().any(|b| b == b'\\' || b == b'\r') {
        return None;
    }
    let body = template_body(token, text);
    Some(atom(&body.replace("\r\n", "\n").replace('\r', "\n")))
}

/// The name an identifier token stands for (decoding `\u0061`-style escapes).
pub(super) fn ident_value(text: &str) -> Atom {
    // Names have no line breaks, so only `\` escapes need decoding.
    if text.as_bytes().contains(&b'\\') {
        cooked_atom(text, false)
    } else {
        atom(text)
    }
}

/// The interned cooked text of `body`: escapes decoded only where there are any.
fn cooked_atom(body: &str, template: bool) -> Atom {
    if body.bytes().any(|b| b == b'\\' || b == b'\r') {
        atom(&cook_into(body, template, &mut |_, _, _| {}))
    } else {
        atom(body)
    }
}

thread_local! {
    /// The texts interned by the parse running on this thread (see [`with_atoms`]).
    static ATOMS: RefCell<FxHashSet<Atom>> = RefCell::default();
}

/// The shared [`Atom`] for `text`: within one parse, equal names and strings share one
/// allocation (a schema file repeats the same few dozen names thousands of times).
pub(super) fn atom(text: &str) -> Atom {
    ATOMS.with_borrow_mut(|set| {
        if let Some(a) = set.get(text) {
            return a.clone();
        }
        let a = Atom::from(text);
        set.insert(a.clone());
        a
    })
}

/// Runs a parse with its own interning table, freed when the parse ends.
pub(super) fn with_atoms<R>(parse: impl FnOnce() -> R) -> R {
    let out = parse();
    ATOMS.with_borrow_mut(|set| *set = FxHashSet::default());
    out
}

/// Whether `word` is a reserved word (not usable as a variable name).
pub(super) fn is_reserved_word(word: &str) -> bool {
    TokenKind::keyword(word).is_some_and(TokenKind::is_reserved)
}

/// The value of a number token.
pub(super) fn number_value(text: &str) -> f64 {
    // Most numbers in a schema are short decimal integers (`length: 100`): read them without
    // the copy below. Up to 15 digits the value is exact in an f64.
    if text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .bytes()
            .fold(0.0, |acc, b| acc * 10.0 + f64::from(b - b'0'));
    }
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    let radix = match digits.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => return digits.parse::<f64>().unwrap_or(f64::NAN),
    };
    digits[2..].chars().fold(0.0, |acc, c| {
        acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
    })
}

/// Decodes the escapes of string or template text; `report(offset, len, message)` is told of
/// invalid ones (which are kept as written).
fn cook_into(
    body: &str,
    template: bool,
    report: &mut dyn FnMut(usize, usize, &'static str),
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\r' && template {
            // Template text normalises line breaks to `\n`.
            if chars.peek().map(|&(_, c)| c) == Some('\n') {
                chars.next();
            }
            out.push('\n');
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            report(i, 1, "a `\\` at the end of the text escapes nothing");
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' if !chars.peek().is_some_and(|&(_, c)| c.is_ascii_digit()) => out.push('\0'),
            '0'..='9' => {
                report(i, 2, "octal escape sequences are not allowed in modules");
                out.push(e);
            }
            '\r' => {
                if chars.peek().map(|&(_, c)| c) == Some('\n') {
                    chars.next();
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' => {}
            'x' => {
                let hex: String = body[i + 2..].chars().take(2).collect();
                match (hex.len() == 2)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                {
                    Some(v) => {
                        out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                        chars.next();
                        chars.next();
                    }
                    None => {
                        report(
                            i,
                            2,
                            "invalid hexadecimal escape: expected `\\x` and two hex digits",
                        );
                        out.push('x');
                    }
                }
            }
            'u' => match unicode_escape(&body[i + 2..]) {
                Some((mut code, len)) => {
                    for _ in 0..body[i + 2..i + 2 + len].chars().count() {
                        chars.next();
                    }
                    // A surrogate pair written as two escapes is one character.
                    if (0xD800..0xDC00).contains(&code) {
                        let rest = &body[i + 2 + len..];
                        if let Some(after) = rest.strip_prefix("\\u")
                            && let Some((low, len2)) = unicode_escape(after)
                            && (0xDC00..0xE000).contains(&low)
                        {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            for _ in 0..2 + len2 {
                                chars.next();
                            }
                        }
                    }
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                }
                None => {
                    report(
                        i,
                        2,
                        "invalid unicode escape: expected `\\uXXXX` or `\\u{X...}`",
                    );
                    out.push('u');
                }
            },
            other => out.push(other),
        }
    }
    out
}

/// Parses the part after `\u`: `XXXX` or `{X...}`; returns the code point and its length.
fn unicode_escape(s: &str) -> Option<(u32, usize)> {
    if let Some(rest) = s.strip_prefix('{') {
        let close = rest.find('}')?;
        let hex = &rest[..close];
        if hex.is_empty() || hex.len() > 8 {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        (v <= 0x10FFFF).then_some((v, close + 2))
    } else {
        let hex = s.get(..4)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some((u32::from_str_radix(hex, 16).ok()?, 4))
    }
}

#[cfg(test)]
#[path = "tests/lexer.rs"]
mod tests;
