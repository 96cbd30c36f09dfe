//! The TypeScript parser (chumsky), from [`lexer`] tokens to an [`ast::Module`].
//!
//! The grammar is built from chumsky combinators. Some pieces are `custom` parsers that look
//! at the token array directly, because chumsky's input cannot do that cheaply:
//! - automatic semicolon insertion and the other line-break rules (tokens carry a flag);
//! - the arrow-function lookahead, through a precomputed table of matching brackets (O(1)
//!   per `(` instead of a rescan);
//! - `>>`, `>=`, `>>>=` re-assembled from the lexer's single `>` tokens;
//! - statement-level error recovery, and picking the statement form by its first token;
//! - "direct paths" for the simple expressions that make up most of a schema file (see that
//!   section): they skip the general grammar for speed, and a test checks they build the same
//!   tree.
//!
//! Types are parsed fully (so their errors are reported) and then dropped. Class bodies are
//! skipped as balanced braces.
//!
//! Every recursive cycle goes through [`chumsky::recursive::recursive`], whose inner handles
//! are weak, so building a parser per call does not leak; its `stacker` support keeps deeply
//! nested input from overflowing the stack.

use chumsky::{
    DefaultExpected,
    error::LabelError,
    extra,
    input::{InputRef, MappedInput},
    prelude::*,
    recursive::Direct,
    util::MaybeRef,
};

use super::ast::*;
use super::lexer::{
    self, TOKEN_KIND_COUNT, Token, TokenKind as K, ident_value, number_value, string_value,
    template_raw, template_value,
};
use super::{Parsed, SyntaxError};
use crate::span::Span;

/// Chumsky reads the lexer's tokens in place; spans are our own [`Span`].
type In<'a> = MappedInput<'a, Token<'a>, Span, &'a [Token<'a>], SplitFn<'a>>;
type SplitFn<'a> = fn(&'a Token<'a>) -> (&'a Token<'a>, &'a Span);

fn split_token<'a>(t: &'a Token<'a>) -> (&'a Token<'a>, &'a Span) {
    (t, &t.span)
}

impl chumsky::span::Span for Span {
    type Context = ();
    type Offset = u32;

    fn new((): (), range: std::ops::Range<u32>) -> Span {
        // An empty parse between two tokens yields `next start..previous end`; clamp it.
        Span {
            start: range.start.min(range.end),
            end: range.end,
        }
    }

    fn context(&self) {}

    fn start(&self) -> u32 {
        self.start
    }

    fn end(&self) -> u32 {
        self.end
    }
}

/// The parser's state is the source text, which token texts are sliced from (tokens hold
/// only spans).
type Ex<'a> = extra::Full<PErr<'a>, extra::SimpleState<&'a str>, ()>;
type Bx<'a, O> = chumsky::Boxed<'a, 'a, In<'a>, O, Ex<'a>>;
type Rec<'a, O> = Recursive<Direct<'a, 'a, In<'a>, O, Ex<'a>>>;
type Inp<'a, 'p> = InputRef<'a, 'p, In<'a>, Ex<'a>>;

/// Parses a TypeScript module; see [`super::parse`].
pub fn parse_module(text: &str) -> Parsed {
    if text.len() >= SPLIT_MIN_BYTES
        && let Some(at) = split_point(text)
        && let Some(parsed) = parse_halves(text, at)
    {
        return parsed;
    }
    lexer::with_atoms(|| parse_from(text, 0))
}

/// Files from this size on are parsed in two halves, one on a second thread: a schema of a few
/// hundred tables in one file is mostly parsing, and the second core is otherwise idle. Below
/// it, starting a thread costs more than it saves.
const SPLIT_MIN_BYTES: usize = 64 * 1024;

/// Where a large file may be cut in two: the start of the first line after the middle that
/// begins with `export ` or `const `. Neither word can continue an expression, so when the text
/// before the cut parses without an error, the cut falls between two statements of the whole
/// file (see [`parse_halves`]).
fn split_point(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = text.len() / 2;
    while let Some(n) = bytes[i..].iter().position(|&b| b == b'\n') {
        let at = i + n + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"export ") || rest.starts_with(b"const ") {
            return Some(at);
        }
        i = at;
    }
    None
}

/// Parses `text[..at]` on this thread and `text[at..]` on another, and joins the two modules.
///
/// The result is the module that one parse of the whole text gives, or `None` (then the
/// caller parses the whole): when either half has an error, the cut may be inside a statement,
/// a literal or a comment, so nothing of the halves is used. When the first half lexes and
/// parses cleanly, the lexer is at the top level at the cut (no literal, comment or template
/// is open) and every statement before it is complete, so the second half's statements are
/// the whole file's. Errors are reported by the parse of the whole, exactly as without a cut.
fn parse_halves(text: &str, at: usize) -> Option<Parsed> {
    #[cfg(test)]
    let direct = DIRECT_PATHS.with(|d| d.get());
    let (first, second) = std::thread::scope(|s| {
        let second = std::thread::Builder::new()
            .spawn_scoped(s, move || {
                #[cfg(test)]
                DIRECT_PATHS.with(|d| d.set(direct));
                lexer::with_atoms(|| parse_from(text, at))
            })
            .ok()?;
        let first = lexer::with_atoms(|| parse_from(&text[..at], 0));
        Some((first, second.join().ok()?))
    })?;
    if !first.errors.is_empty() || !second.errors.is_empty() {
        return None;
    }
    let mut module = first.module;
    module.body.extend(second.module.body);
    module.comments.extend(second.module.comments);
    Some(Parsed {
        module,
        errors: Vec::new(),
    })
}

/// Parses `text` from byte `start` on (spans are offsets into `text`).
fn parse_from(text: &str, start: usize) -> Parsed {
    let lexed = lexer::lex_from(text, start);
    let close = matching_brackets(&lexed.tokens);
    let lk = Lk {
        src: text,
        toks: &lexed.tokens,
        close: &close,
        eoi: text.len(),
    };
    let eoi = Span::new(text.len(), text.len());
    let input = lexed.tokens.as_slice().map(eoi, split_token as SplitFn<'_>);
    let (body, perrs) = module_parser(lk)
        .parse_with_state(input, &mut extra::SimpleState(text))
        .into_output_errors();

    let body = body.unwrap_or_else(|| {
        // Unreachable in practice: top-level recovery always succeeds. Keep a statement so
        // the errors have something to point at.
        vec![Stmt {
            kind: StmtKind::Error,
            span: Span::new(start, text.len()),
        }]
    });

    // A bad character or unterminated literal was reported by the lexer; the parser's
    // complaint at the same spot (or at the end of a file cut short) adds nothing.
    let mut lexer_spans: Vec<(u32, u32)> = lexed
        .errors
        .iter()
        .map(|e| (e.span.start, e.span.end.max(e.span.start)))
        .collect();
    lexer_spans.sort_unstable();
    let cut_short = lexer_spans
        .iter()
        .any(|&(_, end)| end as usize == text.len());
    let reported_by_lexer = |at: u32| {
        let i = lexer_spans.partition_point(|&(start, _)| start <= at);
        (i > 0 && at <= lexer_spans[i - 1].1) || (cut_short && at as usize == text.len())
    };
    let mut errors = lexed.errors.clone();
    for e in perrs {
        let err = e.into_syntax_error(&lexed.tokens, text);
        if !reported_by_lexer(err.span.start) {
            errors.push(err);
        }
    }
    errors.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.message).cmp(&(b.span.start, b.span.end, &b.message))
    });
    errors.dedup();

    Parsed {
        module: Module {
            body,
            comments: lexed.comments,
        },
        errors,
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// What the parser expected at an error: labels for whole constructs, or contexts that name
/// the construct an error happened in (for "expected `)` to close `(` of this call").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Lbl {
    Expression,
    Identifier,
    PropertyName,
    Pattern,
    Type,
    Statement,
    StringLit,
    // Contexts.
    Call,
    Params,
    Paren,
    Condition,
    ForHead,
    ArrayLit,
    ObjectLit,
    Block,
    Index,
    TypeParams,
    ObjectType,
    Tuple,
    ClassBody,
    EnumBody,
    NamedList,
    SwitchBody,
    TemplateSubst,
    ArrayPattern,
    ObjectPattern,
}

impl Lbl {
    fn is_context(self) -> bool {
        self as u8 >= Lbl::Call as u8
    }

    /// Contexts whose elements are separated by `,`.
    fn is_list(self) -> bool {
        matches!(
            self,
            Lbl::Call
                | Lbl::Params
                | Lbl::ArrayLit
                | Lbl::ObjectLit
                | Lbl::NamedList
                | Lbl::EnumBody
                | Lbl::ArrayPattern
                | Lbl::ObjectPattern
                | Lbl::Tuple
                | Lbl::TypeParams
        )
    }

    fn describe(self) -> &'static str {
        match self {
            Lbl::Expression => "an expression",
            Lbl::Identifier => "an identifier",
            Lbl::PropertyName => "a property name",
            Lbl::Pattern => "a binding name or pattern",
            Lbl::Type => "a type",
            Lbl::Statement => "a statement",
            Lbl::StringLit => "a string literal",
            _ => "",
        }
    }

    /// For contexts: the opening and closing delimiter and what the construct is called.
    fn delimiters(self) -> Option<(&'static str, K, &'static str)> {
        Some(match self {
            Lbl::Call => ("(", K::RParen, "of this call"),
            Lbl::Params => ("(", K::RParen, "of this parameter list"),
            Lbl::Paren => ("(", K::RParen, "of this parenthesized expression"),
            Lbl::Condition => ("(", K::RParen, "of this condition"),
            Lbl::ForHead => ("(", K::RParen, "of this `for` head"),
            Lbl::ArrayLit => ("[", K::RBracket, "of this array"),
            Lbl::ObjectLit => ("{", K::RBrace, "of this object literal"),
            Lbl::Block => ("{", K::RBrace, "of this block"),
            Lbl::Index => ("[", K::RBracket, "of this index"),
            Lbl::TypeParams => ("<", K::Gt, "of these type parameters"),
            Lbl::ObjectType => ("{", K::RBrace, "of this object type"),
            Lbl::Tuple => ("[", K::RBracket, "of this tuple type"),
            Lbl::ClassBody => ("{", K::RBrace, "of this class body"),
            Lbl::EnumBody => ("{", K::RBrace, "of this enum"),
            Lbl::NamedList => ("{", K::RBrace, "of this list of names"),
            Lbl::SwitchBody => ("{", K::RBrace, "of this switch"),
            Lbl::TemplateSubst => ("${", K::TemplateTail, "of this template substitution"),
            Lbl::ArrayPattern => ("[", K::RBracket, "of this array pattern"),
            Lbl::ObjectPattern => ("{", K::RBrace, "of this object pattern"),
            _ => return None,
        })
    }
}

/// A set of expected token kinds and labels, as bits (errors are created on every failed
/// alternative, so they must be cheap to make and merge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Expected {
    tokens: [u64; TOKEN_KIND_COUNT.div_ceil(64)],
    labels: u32,
    eof: bool,
}

impl Expected {
    fn token(k: K) -> Expected {
        let mut e = Expected::default();
        e.add_token(k);
        e
    }

    fn label(l: Lbl) -> Expected {
        Expected {
            labels: 1 << l as u32,
            ..Expected::default()
        }
    }

    fn add_token(&mut self, k: K) {
        self.tokens[k as usize / 64] |= 1 << (k as usize % 64);
    }

    fn has_token(&self, k: K) -> bool {
        self.tokens[k as usize / 64] & (1 << (k as usize % 64)) != 0
    }

    fn union(&mut self, other: &Expected) {
        for (a, b) in self.tokens.iter_mut().zip(other.tokens) {
            *a |= b;
        }
        self.labels |= other.labels;
        self.eof |= other.eof;
    }

    /// Human-readable alternatives: labels first, then tokens.
    fn items(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in [
            Lbl::Statement,
            Lbl::Expression,
            Lbl::Type,
            Lbl::Pattern,
            Lbl::Identifier,
            Lbl::PropertyName,
            Lbl::StringLit,
        ] {
            if self.labels & (1 << l as u32) != 0 {
                out.push(l.describe().to_string());
            }
        }
        for (i, &k) in ALL_KINDS.iter().enumerate() {
            if self.tokens[i / 64] & (1 << (i % 64)) != 0 {
                // Template continuations are what closes a `${`; show them as `}`.
                let text = match k {
                    K::TemplateMiddle | K::TemplateTail => "`}`".to_string(),
                    _ if !k.text().is_empty() => format!("`{}`", k.text()),
                    _ => k.describe().to_string(),
                };
                if !out.contains(&text) {
                    out.push(text);
                }
            }
        }
        if self.eof {
            out.push("end of file".into());
        }
        out
    }
}

/// Every token kind, indexed by its discriminant (checked by a test).
#[rustfmt::skip]
const ALL_KINDS: [K; TOKEN_KIND_COUNT] = {
    use K::*;
    [
        Ident, PrivateName, Str, Num, BigInt, Regex, Template, TemplateHead, TemplateMiddle,
        TemplateTail, Invalid, Break, Case, Catch, Class, Const, Continue, Debugger, Default,
        Delete, Do, Else, Enum, Export, Extends, False, Finally, For, Function, If, Import, In,
        Instanceof, New, Null, Return, Super, Switch, This, Throw, True, Try, Typeof, Var, Void,
        While, With, Abstract, Accessor, As, Asserts, Async, Await, Declare, From, Get, Global,
        Implements, Infer, Interface, Is, Keyof, Let, Module, Namespace, Of, Override, Package,
        Private, Protected, Public, Readonly, Satisfies, Set, Static, Type, Unique, Yield, LBrace,
        RBrace, LParen, RParen, LBracket, RBracket, Semi, Comma, Lt, LtEq, Shl, ShlEq, Gt, Eq,
        EqEq, EqEqEq, Bang, BangEq, BangEqEq, Plus, PlusPlus, PlusEq, Minus, MinusMinus, MinusEq,
        Star, StarStar, StarEq, StarStarEq, Slash, SlashEq, Percent, PercentEq, Amp, AmpAmp,
        AmpAmpEq, AmpEq, Pipe, PipePipe, PipePipeEq, PipeEq, Caret, CaretEq, Tilde, Question,
        QuestionQuestion, QuestionQuestionEq, QuestionDot, Colon, Dot, DotDotDot, Arrow, At,
    ]
};

/// A custom error's text.
#[derive(Debug, Clone, PartialEq)]
struct Custom {
    message: String,
    label: String,
    help: Option<String>,
}

/// The parser's error type: cheap to create and merge, turned into a [`SyntaxError`] at the
/// end.
#[derive(Debug, Clone)]
struct PErr<'a> {
    span: Span,
    expected: Expected,
    /// The innermost delimited construct the error happened in.
    context: Option<Lbl>,
    custom: Option<Box<Custom>>,
    /// Errors belong to one token input (the found token is looked up by span at the end,
    /// which keeps errors small: they are created for every failed alternative).
    phantom: std::marker::PhantomData<Token<'a>>,
}

impl<'a> PErr<'a> {
    fn new(expected: Expected, span: Span) -> Self {
        PErr {
            span,
            expected,
            context: None,
            custom: None,
            phantom: std::marker::PhantomData,
        }
    }

    fn custom(span: Span, message: String, label: &str, help: Option<&str>) -> Self {
        PErr {
            span,
            expected: Expected::default(),
            context: None,
            phantom: std::marker::PhantomData,
            custom: Some(Box::new(Custom {
                message,
                label: label.into(),
                help: help.map(Into::into),
            })),
        }
    }

    fn into_syntax_error(self, toks: &[Token<'_>], src: &str) -> SyntaxError {
        let span = self.span;
        let found = toks
            .binary_search_by_key(&span.start, |t| t.span.start)
            .ok()
            .map(|i| toks[i]);
        if let Some(c) = self.custom {
            return SyntaxError {
                span,
                message: c.message,
                label: c.label,
                help: c.help,
            };
        }
        let found_text = describe_found(found.as_ref(), src);
        let starts_expr = found.is_some_and(|t| starts_expression(t.kind));
        if let Some(ctx) = self.context
            && let Some((open, close, what)) = ctx.delimiters()
            && (self.expected.has_token(close)
                || (close == K::TemplateTail && self.expected.has_token(K::TemplateMiddle)))
        {
            let close_text = if close == K::TemplateTail {
                "}"
            } else {
                close.text()
            };
            // Only lists are separated by `,` (a `,` also continues an expression, which is
            // not worth mentioning at the end of a block).
            let comma = ctx.is_list() && self.expected.has_token(K::Comma);
            let help = if comma && starts_expr {
                Some("a `,` may be missing before this".to_string())
            } else if found.is_none() {
                Some(format!("add `{close_text}` to close the `{open}`"))
            } else {
                None
            };
            return SyntaxError {
                span,
                message: format!(
                    "expected `{close_text}` to close `{open}` {what}, found {found_text}"
                ),
                label: if comma {
                    format!("expected `,` or `{close_text}`")
                } else {
                    format!("expected `{close_text}`")
                },
                help,
            };
        }
        let items = self.expected.items();
        if items.is_empty() {
            return SyntaxError {
                span,
                message: format!("unexpected {found_text}"),
                label: "unexpected here".into(),
                help: None,
            };
        }
        let list = join_alternatives(&items);
        let help = if self.expected.labels & (1 << Lbl::Expression as u32) != 0
            && found.is_some_and(|t| t.kind.is_reserved() && !starts_expression(t.kind))
        {
            Some(format!(
                "`{}` is a reserved word and cannot start an expression",
                found.map_or("", |t| t.kind.text())
            ))
        } else {
            None
        };
        SyntaxError {
            span,
            message: format!("expected {list}, found {found_text}"),
            label: format!("expected {}", short_list(&items)),
            help,
        }
    }
}

fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if items.len() <= 6 => format!("{} or {last}", init.join(", ")),
        _ => format!("one of {}", items.join(", ")),
    }
}

fn short_list(items: &[String]) -> String {
    if items.len() <= 2 {
        join_alternatives(items)
    } else {
        format!("{} or ...", items[..2].join(", "))
    }
}

fn describe_found(t: Option<&Token<'_>>, src: &str) -> String {
    let Some(t) = t else {
        return "end of file".into();
    };
    let text = &src[t.span.start as usize..t.span.end as usize];
    match t.kind {
        K::Ident => format!("identifier `{}`", text),
        K::Num | K::BigInt => format!("number `{}`", text),
        K::Str => "string literal".into(),
        K::Template | K::TemplateHead => "template literal".into(),
        K::TemplateMiddle | K::TemplateTail => "`}`".into(),
        K::Regex => "regular expression".into(),
        K::PrivateName => format!("private name `{}`", text),
        K::Invalid => "invalid character".into(),
        k if k.is_ident_name() => format!("keyword `{}`", text),
        _ => format!("`{}`", text),
    }
}

impl<'a> chumsky::error::Error<'a, In<'a>> for PErr<'a> {
    fn merge(mut self, other: Self) -> Self {
        if self.custom.is_none() && other.custom.is_some() {
            return other;
        }
        self.expected.union(&other.expected);
        if self.context.is_none() {
            self.context = other.context;
        }
        self
    }
}

impl<'a> LabelError<'a, In<'a>, DefaultExpected<'a, Token<'a>>> for PErr<'a> {
    fn expected_found<E: IntoIterator<Item = DefaultExpected<'a, Token<'a>>>>(
        expected: E,
        _found: Option<MaybeRef<'a, Token<'a>>>,
        span: Span,
    ) -> Self {
        let mut set = Expected::default();
        for e in expected {
            match e {
                DefaultExpected::Token(t) => set.add_token(t.kind),
                DefaultExpected::EndOfInput => set.eof = true,
                _ => {}
            }
        }
        PErr::new(set, span)
    }
}

impl<'a> LabelError<'a, In<'a>, Lbl> for PErr<'a> {
    fn expected_found<E: IntoIterator<Item = Lbl>>(
        expected: E,
        _found: Option<MaybeRef<'a, Token<'a>>>,
        span: Span,
    ) -> Self {
        let mut set = Expected::default();
        for l in expected {
            set.labels |= 1 << l as u32;
        }
        PErr::new(set, span)
    }

    fn label_with(&mut self, label: Lbl) {
        if !label.is_context() && self.custom.is_none() {
            self.expected = Expected::label(label);
        }
    }

    fn in_context(&mut self, label: Lbl, _span: Span) {
        if label.is_context() && self.context.is_none() {
            self.context = Some(label);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lookahead over the token array
// ---------------------------------------------------------------------------------------------

const NONE: u32 = u32::MAX;

/// For every `(`, `[`, `{` and template head, the index of its closing token (and the other
/// way round), or [`NONE`]. Mismatched closers close the nearest matching opener.
fn matching_brackets(toks: &[Token<'_>]) -> Vec<u32> {
    let mut close = vec![NONE; toks.len()];
    let mut stack: Vec<(K, usize)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let opener = match t.kind {
            K::LParen | K::LBracket | K::LBrace | K::TemplateHead => {
                stack.push((t.kind, i));
                continue;
            }
            K::RParen => K::LParen,
            K::RBracket => K::LBracket,
            K::RBrace => K::LBrace,
            K::TemplateTail => K::TemplateHead,
            _ => continue,
        };
        if let Some(depth) = stack.iter().rposition(|&(k, _)| k == opener) {
            let (_, j) = stack[depth];
            stack.truncate(depth);
            close[j] = i as u32;
            close[i] = j as u32;
        }
    }
    close
}

/// The token array, for lookahead that chumsky's input cannot do cheaply.
#[derive(Clone, Copy)]
struct Lk<'a> {
    src: &'a str,
    toks: &'a [Token<'a>],
    close: &'a [u32],
    eoi: usize,
}

impl<'a> Lk<'a> {
    /// The source text of `t`.
    #[inline]
    fn text(&self, t: &Token<'a>) -> &'a str {
        t.text(self.src)
    }

    fn kind(&self, i: usize) -> Option<K> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is(&self, i: usize, k: K) -> bool {
        self.kind(i) == Some(k)
    }

    /// Token `i` exists and no line break precedes it.
    fn same_line(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.nl_before)
    }

    fn adjacent(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.span.end == b.span.start,
            _ => false,
        }
    }

    fn span(&self, i: usize) -> Span {
        match self.toks.get(i) {
            Some(t) => t.span,
            None => Span::new(self.eoi, self.eoi),
        }
    }

    fn close_of(&self, i: usize) -> Option<usize> {
        match self.close.get(i) {
            Some(&j) if j != NONE && j as usize > i => Some(j as usize),
            _ => None,
        }
    }

    /// How many items the bracketed list opening at `i` holds (commas at its own level, plus
    /// one unless it is empty or ends with a comma): the capacity to build it with, so the
    /// tree keeps no spare slots.
    fn list_len(&self, i: usize) -> usize {
        let Some(end) = self.close_of(i) else {
            return 0;
        };
        let (mut n, mut j, mut last_comma) = (0, i + 1, true);
        while j < end {
            last_comma = self.is(j, K::Comma);
            if last_comma {
                n += 1;
            }
            j = self.close_of(j).unwrap_or(j) + 1;
        }
        if last_comma { n } else { n + 1 }
    }

    /// Whether `.name` is at `i`, without building the name (scanning only checks shapes;
    /// interning the text there would be thrown away).
    fn is_member_name_at(&self, i: usize) -> bool {
        self.is(i, K::Dot)
            && self.toks.get(i + 1).is_some_and(|t| {
                (t.kind.is_ident_name() && !(t.col0 && matches!(t.kind, K::Export | K::Import)))
                    || t.kind == K::PrivateName
            })
    }

    /// `.name` at `i`: the property name.
    fn member_name_at(&self, i: usize) -> Option<Ident> {
        if !self.is_member_name_at(i) {
            return None;
        }
        let t = &self.toks[i + 1];
        Some(Ident {
            name: if t.kind == K::PrivateName {
                lexer::atom(self.text(t))
            } else {
                ident_value(self.text(t))
            },
            span: t.span,
        })
    }

    /// Whether the token at `i` can continue an expression that ends before it (a member
    /// access, call, operator, `?:`, assignment or `=>`).
    fn continues_expression(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        match t.kind {
            K::Comma | K::RParen | K::RBracket | K::RBrace | K::Semi | K::Colon => false,
            K::Question | K::Arrow => true,
            _ if self.tail_at(i) => true,
            // `!`, `++`, `--` after a line break start the next statement.
            K::Bang | K::PlusPlus | K::MinusMinus => false,
            _ => binary_op_at(self, i).is_some() || assign_op_at(self, i).is_some(),
        }
    }

    /// Whether a member access, call, index, tagged template, type arguments or a postfix
    /// operator (`!`, `++`, `--` on the same line) continues an expression at `i`.
    fn tail_at(&self, i: usize) -> bool {
        match self.kind(i) {
            Some(
                K::Dot
                | K::QuestionDot
                | K::LBracket
                | K::LParen
                | K::Template
                | K::TemplateHead
                | K::Lt,
            ) => true,
            Some(K::Bang | K::PlusPlus | K::MinusMinus) => self.same_line(i),
            _ => false,
        }
    }

    /// Whether an arrow function starts at `i` (not counting a leading `async`).
    fn arrow_at(&self, i: usize) -> bool {
        match self.kind(i) {
            Some(k) if k.is_ident_like() => self.is(i + 1, K::Arrow) && self.same_line(i + 1),
            Some(K::LParen) => self.paren_arrow(i),
            Some(K::Lt) => {
                // `<T,>(x: T) => x`: skip the type parameters by counting angle brackets.
                let mut depth = 0usize;
                let mut j = i;
                while let Some(k) = self.kind(j) {
                    match k {
                        K::Lt => depth += 1,
                        K::Gt => {
                            depth -= 1;
                            if depth == 0 {
                                return self.is(j + 1, K::LParen) && self.paren_arrow(j + 1);
                            }
                        }
                        K::Semi | K::RParen | K::RBrace => return false,
                        K::LParen | K::LBracket | K::LBrace => match self.close_of(j) {
                            Some(c) => j = c,
                            None => return false,
                        },
                        _ => {}
                    }
                    j += 1;
                    if j - i > 512 {
                        return false;
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// `(` at `i` whose matching `)` is followed by `=>` or a return type annotation.
    fn paren_arrow(&self, i: usize) -> bool {
        self.close_of(i).is_some_and(|j| {
            (self.is(j + 1, K::Arrow) && self.same_line(j + 1)) || self.is(j + 1, K::Colon)
        })
    }
}

/// Index of the next token.
fn pos(inp: &mut Inp<'_, '_>) -> usize {
    inp.cursor().inner().0
}

/// The span of the next token (the end-of-input span at the end).
fn here(inp: &mut Inp<'_, '_>) -> Span {
    match inp.peek() {
        Some(t) => t.span,
        None => {
            let c = inp.cursor();
            inp.span_since(&c)
        }
    }
}

/// A token of kind `k`.
fn tok<'a>(k: K) -> impl Parser<'a, In<'a>, Token<'a>, Ex<'a>> + Clone {
    custom(move |inp: &mut Inp<'a, '_>| match inp.peek() {
        Some(t) if t.kind == k => {
            inp.skip();
            Ok(t)
        }
        _ => {
            let span = here(inp);
            Err(PErr::new(Expected::token(k), span))
        }
    })
}

/// Succeeds without consuming anything when `f(lookahead, next index)` holds.
fn guard<'a>(
    lk: Lk<'a>,
    f: impl Fn(&Lk<'a>, usize) -> bool + Clone + 'a,
) -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if f(&lk, i) {
            Ok(())
        } else {
            Err(PErr::new(Expected::default(), lk.span(i)))
        }
    })
}

/// Fails (cheaply) at a `k`: put before list items so an empty list or a trailing comma
/// does not try every kind of item first.
fn not_at<'a>(lk: Lk<'a>, k: K) -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    guard(lk, move |lk, i| !lk.is(i, k))
}

/// Takes one token if `f` maps it to a value; otherwise fails expecting `label`.
fn take<'a, O: 'a>(
    label: Lbl,
    f: impl Fn(&Token<'a>, &'a str) -> Option<O> + Clone + 'a,
) -> impl Parser<'a, In<'a>, O, Ex<'a>> + Clone {
    custom(move |inp: &mut Inp<'a, '_>| {
        let src: &'a str = inp.state().0;
        if let Some(t) = inp.peek()
            && let Some(out) = f(&t, t.text(src))
        {
            inp.skip();
            return Ok(out);
        }
        let span = here(inp);
        Err(PErr::new(Expected::label(label), span))
    })
}

/// A binding or reference name (identifiers and contextual keywords).
fn ident<'a>() -> impl Parser<'a, In<'a>, Ident, Ex<'a>> + Clone {
    take(Lbl::Identifier, |t, text| {
        t.kind.is_ident_like().then(|| Ident {
            name: ident_value(text),
            span: t.span,
        })
    })
}

/// A property name: any identifier or keyword. A keyword `export`/`import` at the start of a
/// line is taken as the start of the next declaration instead, so an unclosed `{` does not
/// swallow the rest of the file.
fn name<'a>() -> impl Parser<'a, In<'a>, Ident, Ex<'a>> + Clone {
    take(Lbl::PropertyName, |t, text| {
        (t.kind.is_ident_name() && !(t.col0 && matches!(t.kind, K::Export | K::Import))).then(
            || Ident {
                name: ident_value(text),
                span: t.span,
            },
        )
    })
}

fn string_lit<'a>() -> impl Parser<'a, In<'a>, StrLit, Ex<'a>> + Clone {
    take(Lbl::StringLit, |t, text| {
        (t.kind == K::Str).then(|| StrLit {
            value: string_value(text),
            span: t.span,
        })
    })
}

/// Automatic semicolon insertion: a `;`, or nothing before a line break, `}` or the end.
fn semi<'a>() -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    custom(|inp: &mut Inp<'a, '_>| match inp.peek() {
        Some(t) if t.kind == K::Semi => {
            inp.skip();
            Ok(())
        }
        Some(t) if t.kind == K::RBrace || t.nl_before => Ok(()),
        None => Ok(()),
        Some(t) => Err(PErr::custom(
            t.span,
            format!(
                "expected `;` or a line break, found {}",
                describe_found(Some(&t), inp.state().0)
            ),
            "expected `;` before this",
            Some(
                "end the previous statement with `;` or start this one on a new line; \
                 if this continues the expression, an operator or `,` is missing",
            ),
        )),
    })
}

fn starts_expression(k: K) -> bool {
    k.is_ident_like()
        || matches!(
            k,
            K::Str
                | K::Num
                | K::BigInt
                | K::Regex
                | K::Template
                | K::TemplateHead
                | K::PrivateName
                | K::This
                | K::Super
                | K::Null
                | K::True
                | K::False
                | K::Function
                | K::Class
                | K::New
                | K::Typeof
                | K::Void
                | K::Delete
                | K::Import
                | K::LParen
                | K::LBracket
                | K::LBrace
                | K::Bang
                | K::Tilde
                | K::Plus
                | K::Minus
                | K::PlusPlus
                | K::MinusMinus
                | K::Lt
                | K::Slash
                | K::SlashEq
        )
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

/// The operators spelt with `>`, which the lexer splits into single characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GtOp {
    Gt,
    GtEq,
    Shr,
    UShr,
    ShrEq,
    UShrEq,
}

/// The longest `>`-operator at `i` and how many tokens it spans.
fn gt_op(lk: &Lk<'_>, i: usize) -> Option<(GtOp, usize)> {
    if !lk.is(i, K::Gt) {
        return None;
    }
    let glued = |j: usize, k: K| lk.is(j, k) && lk.adjacent(j - 1);
    Some(if glued(i + 1, K::Gt) {
        if glued(i + 2, K::Gt) {
            if glued(i + 3, K::Eq) {
                (GtOp::UShrEq, 4)
            } else {
                (GtOp::UShr, 3)
            }
        } else if glued(i + 2, K::Eq) {
            (GtOp::ShrEq, 3)
        } else {
            (GtOp::Shr, 2)
        }
    } else if glued(i + 1, K::Eq) {
        (GtOp::GtEq, 2)
    } else {
        (GtOp::Gt, 1)
    })
}

/// What kind of binary operator starts at `i` (and how many tokens it spans); `None` for
/// `as`/`satisfies`, whose right side is a type.
fn binary_op_at(lk: &Lk<'_>, i: usize) -> Option<(Option<BinaryOp>, usize)> {
    use BinaryOp as B;
    let k = lk.kind(i)?;
    let op = match k {
        K::As | K::Satisfies if lk.same_line(i) => return Some((None, 1)),
        K::Gt => {
            return match gt_op(lk, i)? {
                (GtOp::Gt, n) => Some((Some(B::Gt), n)),
                (GtOp::GtEq, n) => Some((Some(B::GtEq), n)),
                (GtOp::Shr, n) => Some((Some(B::Shr), n)),
                (GtOp::UShr, n) => Some((Some(B::UShr), n)),
                // `>>=` and `>>>=` assign.
                (GtOp::ShrEq | GtOp::UShrEq, _) => None,
            };
        }
        K::QuestionQuestion => B::Nullish,
        K::PipePipe => B::Or,
        K::AmpAmp => B::And,
        K::Pipe => B::BitOr,
        K::Caret => B::BitXor,
        K::Amp => B::BitAnd,
        K::EqEq => B::Eq,
        K::BangEq => B::NotEq,
        K::EqEqEq => B::StrictEq,
        K::BangEqEq => B::StrictNotEq,
        K::Lt => B::Lt,
        K::LtEq => B::LtEq,
        K::Instanceof => B::InstanceOf,
        K::In => B::In,
        K::Shl => B::Shl,
        K::Plus => B::Add,
        K::Minus => B::Sub,
        K::Star => B::Mul,
        K::Slash => B::Div,
        K::Percent => B::Rem,
        K::StarStar => B::Exp,
        _ => return None,
    };
    Some((Some(op), 1))
}

/// A binary operator (not `as`), `>`-operators assembled from single tokens.
fn binary_op<'a>(lk: Lk<'a>) -> impl Parser<'a, In<'a>, BinaryOp, Ex<'a>> + Clone {
    custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        match binary_op_at(&lk, i) {
            Some((Some(op), n)) => {
                for _ in 0..n {
                    inp.skip();
                }
                Ok(op)
            }
            _ => Err(PErr::new(Expected::default(), lk.span(i))),
        }
    })
}

/// Binding strength; higher binds tighter. `as T` sits between equality and relational.
fn precedence(op: Option<BinaryOp>) -> u8 {
    use BinaryOp::*;
    match op {
        // `??` cannot be mixed with `||`/`&&` without parentheses; accepted anyway.
        Some(Nullish) => 2,
        Some(Or) => 4,
        Some(And) => 6,
        Some(BitOr) => 8,
        Some(BitXor) => 10,
        Some(BitAnd) => 12,
        Some(Eq | NotEq | StrictEq | StrictNotEq) => 14,
        None => 15,
        Some(Lt | LtEq | Gt | GtEq | In | InstanceOf) => 16,
        Some(Shl | Shr | UShr) => 18,
        Some(Add | Sub) => 20,
        Some(Mul | Div | Rem) => 22,
        Some(Exp) => 24,
    }
}

/// Builds the tree for `first (op operand)*` by precedence (shunting-yard). Operands come
/// with the span of their source text, parentheses included. `None` items are `as T`.
fn fold_binary(first: (Expr, Span), rest: Vec<Option<(BinaryOp, (Expr, Span))>>) -> Expr {
    if rest.is_empty() {
        return first.0;
    }
    let mut operands = vec![first];
    let mut ops: Vec<BinaryOp> = Vec::new();
    let reduce = |operands: &mut Vec<(Expr, Span)>, ops: &mut Vec<BinaryOp>| {
        if let (Some(op), Some((r, rs)), Some((l, ls))) =
            (ops.pop(), operands.pop(), operands.pop())
        {
            let s = ls.to(rs);
            let e = Expr {
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(l),
                    right: Box::new(r),
                },
                span: s,
            };
            operands.push((e, s));
        }
    };
    for item in rest {
        let op = item.as_ref().map(|(op, _)| *op);
        let prec = precedence(op);
        // `**` is right-associative; everything else left.
        let right_assoc = op == Some(BinaryOp::Exp);
        while let Some(&top) = ops.last() {
            let top_prec = precedence(Some(top));
            if top_prec > prec || (top_prec == prec && !right_assoc) {
                reduce(&mut operands, &mut ops);
            } else {
                break;
            }
        }
        // `x as T` is `x`: the type is dropped.
        if let Some((op, operand)) = item {
            ops.push(op);
            operands.push(operand);
        }
    }
    while !ops.is_empty() {
        reduce(&mut operands, &mut ops);
    }
    operands.pop().map_or(
        Expr {
            kind: ExprKind::Error,
            span: Span::default(),
        },
        |(e, _)| e,
    )
}

/// The assignment operator at `i` (including `>>=` and `>>>=`) and its length in tokens.
fn assign_op_at(lk: &Lk<'_>, i: usize) -> Option<(AssignOp, usize)> {
    let bin = |op| Some((AssignOp::Op(op), 1));
    match lk.kind(i)? {
        K::Eq => Some((AssignOp::Assign, 1)),
        K::PlusEq => bin(BinaryOp::Add),
        K::MinusEq => bin(BinaryOp::Sub),
        K::StarEq => bin(BinaryOp::Mul),
        K::SlashEq => bin(BinaryOp::Div),
        K::PercentEq => bin(BinaryOp::Rem),
        K::StarStarEq => bin(BinaryOp::Exp),
        K::ShlEq => bin(BinaryOp::Shl),
        K::AmpEq => bin(BinaryOp::BitAnd),
        K::PipeEq => bin(BinaryOp::BitOr),
        K::CaretEq => bin(BinaryOp::BitXor),
        K::AmpAmpEq => bin(BinaryOp::And),
        K::PipePipeEq => bin(BinaryOp::Or),
        K::QuestionQuestionEq => bin(BinaryOp::Nullish),
        K::Gt => match gt_op(lk, i) {
            Some((GtOp::ShrEq, n)) => Some((AssignOp::Op(BinaryOp::Shr), n)),
            Some((GtOp::UShrEq, n)) => Some((AssignOp::Op(BinaryOp::UShr), n)),
            _ => None,
        },
        _ => None,
    }
}

/// An assignment operator.
fn assign_op<'a>(lk: Lk<'a>) -> impl Parser<'a, In<'a>, AssignOp, Ex<'a>> + Clone {
    custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        match assign_op_at(&lk, i) {
            Some((op, n)) => {
                for _ in 0..n {
                    inp.skip();
                }
                Ok(op)
            }
            None => Err(PErr::new(Expected::default(), lk.span(i))),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Direct paths
// ---------------------------------------------------------------------------------------------
//
// Most of a schema file is "simple" expressions: names, literals, `a.b.c`, calls whose
// arguments are simple, object and array literals of simple values, templates. Going through
// the general grammar costs dozens of combinator calls per token, so these are recognised
// directly on the token array first: a side-effect-free scan finds where a simple expression
// ends, then the tree is built. Anything else (operators, arrows, `?.`, spreads...) makes the
// scan give up, and the general grammar parses it. The scan is bounded in depth and length,
// so it stays linear and shallow on any input. A test checks that both paths build the same
// tree.

/// Deeper nesting is left to the general grammar.
const DIRECT_MAX_DEPTH: u32 = 24;
/// Longer expressions are left to the general grammar.
const DIRECT_MAX_TOKENS: usize = 1024;

#[cfg(test)]
thread_local! {
    /// Tests turn the direct paths off to compare with the general grammar.
    pub(super) static DIRECT_PATHS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Whether the direct paths are used (always, outside tests).
#[inline]
fn direct_paths() -> bool {
    #[cfg(test)]
    {
        DIRECT_PATHS.with(|d| d.get())
    }
    #[cfg(not(test))]
    {
        true
    }
}

/// A token that is a whole primary expression by itself (see [`literal_expr`]).
fn is_atom(t: &Token<'_>) -> bool {
    match t.kind {
        K::Num
        | K::BigInt
        | K::Str
        | K::True
        | K::False
        | K::Null
        | K::This
        | K::Super
        | K::Regex
        | K::Invalid
        | K::Template => true,
        // `async x => ...`, `yield x`, `await x` are not names.
        K::Async | K::Yield | K::Await => false,
        k => k.is_ident_like(),
    }
}

impl Lk<'_> {
    /// A simple expression at `i` that ends where nothing continues it: the tree and the
    /// index after it.
    fn simple_expr_at(&self, i: usize) -> Option<(Expr, usize)> {
        if !direct_paths() {
            return None;
        }
        let end = self.scan_simple(i, 0, i + DIRECT_MAX_TOKENS)?;
        if self.continues_expression(end) {
            return None;
        }
        self.build_simple(i)
    }

    /// Where the simple expression at `i` ends, if there is one.
    fn scan_simple(&self, i: usize, depth: u32, limit: usize) -> Option<usize> {
        if depth > DIRECT_MAX_DEPTH || i > limit {
            return None;
        }
        let t = self.toks.get(i)?;
        if let Some(body) = self.simple_arrow_head(i) {
            return self.scan_arrow_body(body, depth + 1, limit);
        }
        let mut j = match t.kind {
            K::LBracket => self.scan_list(i + 1, K::RBracket, limit, |j| {
                self.scan_simple(j, depth + 1, limit)
            })?,
            K::LBrace => self.scan_list(i + 1, K::RBrace, limit, |j| {
                self.scan_prop(j, depth + 1, limit)
            })?,
            K::TemplateHead => self.scan_template(i, depth, limit)?,
            _ if is_atom(t) => i + 1,
            _ => return None,
        };
        loop {
            j = match self.kind(j) {
                Some(K::Dot) if self.is_member_name_at(j) => j + 2,
                Some(K::LParen) => self.scan_list(j + 1, K::RParen, limit, |k| {
                    self.scan_simple(k, depth + 1, limit)
                })?,
                Some(K::Template) => j + 1,
                Some(K::TemplateHead) => self.scan_template(j, depth, limit)?,
                _ => return Some(j),
            };
            if j > limit {
                return None;
            }
        }
    }

    /// An arrow function whose parameters are plain names (`x => ...`, `(a, b) => ...`,
    /// `() => ...`) starts at `i`: the index of its body.
    fn simple_arrow_head(&self, i: usize) -> Option<usize> {
        let mut j = match self.kind(i)? {
            K::Ident => i + 1,
            K::LParen => {
                let mut j = i + 1;
                while !self.is(j, K::RParen) {
                    if !self.is(j, K::Ident) {
                        return None;
                    }
                    j += 1;
                    if self.is(j, K::Comma) {
                        j += 1;
                    }
                }
                j + 1
            }
            _ => return None,
        };
        (self.is(j, K::Arrow) && self.same_line(j)).then(|| {
            j += 1;
            j
        })
    }

    /// A simple arrow body at `j` (a simple expression, or one in parentheses such as
    /// `({ a: b })`): the index after it. Block bodies are left to the general grammar.
    fn scan_arrow_body(&self, j: usize, depth: u32, limit: usize) -> Option<usize> {
        if self.is(j, K::LParen) {
            let end = self.scan_simple(j + 1, depth, limit)?;
            return self.is(end, K::RParen).then_some(end + 1);
        }
        self.scan_simple(j, depth, limit)
    }

    /// `item, item, ... close` (trailing comma allowed) from `j`: the index after `close`.
    fn scan_list(
        &self,
        mut j: usize,
        close: K,
        limit: usize,
        item: impl Fn(usize) -> Option<usize>,
    ) -> Option<usize> {
        loop {
            if self.is(j, close) {
                return Some(j + 1);
            }
            j = item(j)?;
            match self.kind(j) {
                Some(K::Comma) => j += 1,
                Some(k) if k == close => return Some(j + 1),
                _ => return None,
            }
            if j > limit {
                return None;
            }
        }
    }

    /// A `key: simple` or shorthand property at `j`: the index after it.
    fn scan_prop(&self, j: usize, depth: u32, limit: usize) -> Option<usize> {
        let t = self.toks.get(j)?;
        if matches!(self.kind(j + 1), Some(K::Comma | K::RBrace)) {
            return (t.kind.is_ident_like() && !matches!(t.kind, K::Yield | K::Await))
                .then_some(j + 1);
        }
        let key_ok = matches!(t.kind, K::Str | K::Num)
            || (t.kind.is_ident_name() && !(t.col0 && matches!(t.kind, K::Export | K::Import)));
        if !key_ok || !self.is(j + 1, K::Colon) {
            return None;
        }
        self.scan_simple(j + 2, depth, limit)
    }

    /// A template with substitutions starting at the head at `i`: the index after its tail.
    fn scan_template(&self, i: usize, depth: u32, limit: usize) -> Option<usize> {
        let mut j = i + 1;
        loop {
            j = self.scan_simple(j, depth + 1, limit)?;
            match self.kind(j) {
                Some(K::TemplateMiddle) => j += 1,
                Some(K::TemplateTail) => return Some(j + 1),
                _ => return None,
            }
        }
    }

    /// Builds the simple expression at `i` (which [`Lk::scan_simple`] accepted).
    fn build_simple(&self, i: usize) -> Option<(Expr, usize)> {
        let t = self.toks.get(i)?;
        if let Some(body) = self.simple_arrow_head(i) {
            return self.build_arrow(i, body);
        }
        let (mut e, mut j) = match t.kind {
            K::LBracket => {
                let (items, j) = self.build_list(i, K::RBracket, |j| {
                    self.build_simple(j)
                        .map(|(e, end)| (ArrayElem::Expr(e), end))
                })?;
                let span = t.span.to(self.toks.get(j)?.span);
                (
                    Expr {
                        kind: ExprKind::Array(items),
                        span,
                    },
                    j + 1,
                )
            }
            K::LBrace => {
                let (props, j) = self.build_list(i, K::RBrace, |j| self.build_prop(j))?;
                let span = t.span.to(self.toks.get(j)?.span);
                (
                    Expr {
                        kind: ExprKind::Object(props),
                        span,
                    },
                    j + 1,
                )
            }
            K::Template | K::TemplateHead => {
                let (template, end) = self.build_template(i)?;
                (
                    Expr {
                        span: template.span,
                        kind: ExprKind::Template(Box::new(template)),
                    },
                    end,
                )
            }
            _ => (literal_expr(t, self.text(t))?, i + 1),
        };
        loop {
            match self.kind(j) {
                Some(K::Dot) => {
                    let prop = self.member_name_at(j)?;
                    let span = e.span.to(prop.span);
                    e = apply_tail(e, Tail::Member(prop, false), span);
                    j += 2;
                }
                Some(K::LParen) => {
                    let args;
                    (args, j) = self.build_list(j, K::RParen, |j| {
                        self.build_simple(j).map(|(e, end)| (Arg::Expr(e), end))
                    })?;
                    let span = e.span.to(self.toks.get(j)?.span);
                    e = apply_tail(e, Tail::Call(args, false), span);
                    j += 1;
                }
                Some(K::Template | K::TemplateHead) => {
                    let (quasi, end) = self.build_template(j)?;
                    let span = e.span.to(quasi.span);
                    e = apply_tail(e, Tail::Tagged(quasi), span);
                    j = end;
                }
                _ => return Some((e, j)),
            }
        }
    }

    /// Builds the items of the list whose opening bracket is at `i` (which [`Lk::scan_list`]
    /// accepted), sized exactly: the items and the index of `close`.
    fn build_list<T>(
        &self,
        i: usize,
        close: K,
        item: impl Fn(usize) -> Option<(T, usize)>,
    ) -> Option<(Vec<T>, usize)> {
        let mut items = Vec::with_capacity(self.list_len(i));
        let mut j = i + 1;
        while !self.is(j, close) {
            let (x, end) = item(j)?;
            items.push(x);
            j = if self.is(end, K::Comma) { end + 1 } else { end };
        }
        Some((items, j))
    }

    /// Builds the arrow function at `i` whose body starts at `body` (see
    /// [`Lk::simple_arrow_head`]).
    fn build_arrow(&self, i: usize, body: usize) -> Option<(Expr, usize)> {
        let params = self.toks[i..body - 1]
            .iter()
            .filter(|t| t.kind == K::Ident)
            .map(|t| Param {
                span: t.span,
                pattern: Pattern {
                    span: t.span,
                    kind: PatternKind::Ident(Ident {
                        name: ident_value(self.text(t)),
                        span: t.span,
                    }),
                },
                default: None,
                rest: false,
                property: false,
            })
            .collect();
        let (expr, end) = if self.is(body, K::LParen) {
            let (e, end) = self.build_simple(body + 1)?;
            (e, self.is(end, K::RParen).then_some(end + 1)?)
        } else {
            self.build_simple(body)?
        };
        let span = self.toks[i].span.to(self.toks.get(end - 1)?.span);
        let func = Function {
            name: None,
            params,
            body: FunctionBody::Expr(Box::new(expr)),
            is_arrow: true,
            is_async: false,
            is_generator: false,
            span,
        };
        Some((
            Expr {
                kind: ExprKind::Function(Box::new(func)),
                span,
            },
            end,
        ))
    }

    /// Builds the property at `j` (which [`Lk::scan_prop`] accepted).
    fn build_prop(&self, j: usize) -> Option<(Prop, usize)> {
        let t = self.toks.get(j)?;
        if !self.is(j + 1, K::Colon) {
            let id = Ident {
                name: ident_value(self.text(t)),
                span: t.span,
            };
            return Some((Prop::Shorthand(id), j + 1));
        }
        let key = match t.kind {
            K::Str => PropKey::Str(StrLit {
                value: string_value(self.text(t)),
                span: t.span,
            }),
            K::Num => PropKey::Number(number_value(self.text(t)), t.span),
            _ => PropKey::Ident(Ident {
                name: ident_value(self.text(t)),
                span: t.span,
            }),
        };
        let (value, end) = self.build_simple(j + 2)?;
        Some((Prop::KeyValue { key, value }, end))
    }

    /// Builds the template starting at `i` (a `Template` or a `TemplateHead`).
    fn build_template(&self, i: usize) -> Option<(Template, usize)> {
        let head = self.toks.get(i)?;
        if head.kind == K::Template {
            let quasis = vec![template_value(head, self.text(head))];
            let template = Template {
                raw: raw_pieces(&quasis, vec![template_raw(head, self.text(head))]),
                quasis,
                exprs: Vec::new(),
                span: head.span,
            };
            return Some((template, i + 1));
        }
        let mut quasis = vec![template_value(head, self.text(head))];
        let mut raw = vec![template_raw(head, self.text(head))];
        let mut exprs = Vec::new();
        let mut j = i + 1;
        loop {
            let (e, end) = self.build_simple(j)?;
            exprs.push(e);
            let t = self.toks.get(end)?;
            quasis.push(template_value(t, self.text(t)));
            raw.push(template_raw(t, self.text(t)));
            if t.kind == K::TemplateTail {
                let span = head.span.to(t.span);
                return Some((
                    Template {
                        raw: raw_pieces(&quasis, raw),
                        quasis,
                        exprs,
                        span,
                    },
                    end + 1,
                ));
            }
            j = end + 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions to patterns
// ---------------------------------------------------------------------------------------------

/// Reinterprets an assignment's left side (`[a, b] = xs`, `({ a } = o)`, `obj.x = 1`) as a
/// pattern. Fails with the span of the first part that cannot be a target.
fn expr_to_pattern(e: Expr, depth: usize) -> Result<Pattern, Span> {
    let span = e.span;
    // Plain recursion (no stacker here): nobody nests destructuring this deep.
    if depth > 64 {
        return Err(span);
    }
    let kind = match e.kind {
        ExprKind::Ident(name) => PatternKind::Ident(Ident { name, span }),
        ExprKind::Member { .. } | ExprKind::Index { .. } => PatternKind::Expr(Box::new(e)),
        ExprKind::Object(props) => {
            let mut out = Vec::new();
            let mut rest = None;
            let n = props.len();
            for (i, p) in props.into_iter().enumerate() {
                match p {
                    Prop::KeyValue { key, value } => {
                        let (value, default) = split_default(value, depth)?;
                        out.push(ObjectPatternProp {
                            key,
                            value,
                            default,
                        });
                    }
                    Prop::Shorthand(id) => out.push(ObjectPatternProp {
                        key: PropKey::Ident(id.clone()),
                        value: Pattern {
                            span: id.span,
                            kind: PatternKind::Ident(id),
                        },
                        default: None,
                    }),
                    Prop::Spread(e) if i + 1 == n => {
                        rest = Some(Box::new(expr_to_pattern(e, depth + 1)?));
                    }
                    Prop::Spread(e) => return Err(e.span),
                    Prop::Method { func, .. }
                    | Prop::Getter { func, .. }
                    | Prop::Setter { func, .. } => return Err(func.span),
                }
            }
            PatternKind::Object { props: out, rest }
        }
        ExprKind::Array(elems) => {
            let mut out = Vec::new();
            let mut rest = None;
            let n = elems.len();
            for (i, el) in elems.into_iter().enumerate() {
                match el {
                    ArrayElem::Hole => out.push(None),
                    ArrayElem::Expr(e) => {
                        let (pattern, default) = split_default(e, depth)?;
                        out.push(Some(ArrayPatternElem { pattern, default }));
                    }
                    ArrayElem::Spread(e) if i + 1 == n => {
                        rest = Some(Box::new(expr_to_pattern(e, depth + 1)?));
                    }
                    ArrayElem::Spread(e) => return Err(e.span),
                }
            }
            PatternKind::Array { elems: out, rest }
        }
        _ => return Err(span),
    };
    Ok(Pattern { kind, span })
}

/// `a = 1` inside a destructuring target: the target and its default.
fn split_default(e: Expr, depth: usize) -> Result<(Pattern, Option<Expr>), Span> {
    match e.kind {
        ExprKind::Assign {
            op: AssignOp::Assign,
            target,
            value,
        } => Ok((*target, Some(*value))),
        kind => Ok((
            expr_to_pattern(Expr { kind, span: e.span }, depth + 1)?,
            None,
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The grammar
// ---------------------------------------------------------------------------------------------

/// Parsers built inside the expression recursion and needed by statements.
#[derive(Clone)]
struct Shared<'a> {
    ty: Bx<'a, ()>,
    pat: Bx<'a, Pattern>,
    type_params: Bx<'a, ()>,
    object_type: Bx<'a, ()>,
    params: Bx<'a, Vec<Param>>,
    ret_annot: Bx<'a, ()>,
    fn_body: Bx<'a, Vec<Stmt>>,
    lhs: Bx<'a, Expr>,
    decorators: Bx<'a, ()>,
    class: Bx<'a, ClassDecl>,
}

/// The module: statements with recovery, up to the end of input.
fn module_parser<'a>(lk: Lk<'a>) -> Bx<'a, Vec<Stmt>> {
    let stmt = recursive(|stmt: Rec<'a, Stmt>| statement(lk, stmt));
    recovering(lk, stmt, ListKind::Top)
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(end())
        .boxed()
}

/// Where a statement list is: it decides where recovery stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Top,
    Block,
    Case,
}

/// A statement, or on error an [`StmtKind::Error`] statement covering the tokens skipped to
/// get past it. Fails (so the enclosing list ends) only where no statement can start: at the
/// end, at a `}` closing the enclosing block, or (nested) at a top-level declaration.
fn recovering<'a>(lk: Lk<'a>, stmt: Rec<'a, Stmt>, list: ListKind) -> Bx<'a, Stmt> {
    custom(move |inp: &mut Inp<'a, '_>| {
        let start = pos(inp);
        let Some(first) = lk.toks.get(start) else {
            return Err(PErr::new(Expected::label(Lbl::Statement), lk.span(start)));
        };
        let stops_here = match first.kind {
            K::RBrace => list != ListKind::Top,
            K::Case | K::Default => list == ListKind::Case,
            K::Export | K::Import => list != ListKind::Top && first.col0,
            _ => false,
        };
        if stops_here {
            return Err(PErr::new(Expected::label(Lbl::Statement), lk.span(start)));
        }
        let before = inp.save();
        let err = match inp.parse(&stmt) {
            Ok(s) => return Ok(s),
            Err(e) => e,
        };
        inp.rewind(before);
        let end = skip_bad_statement(&lk, start, err.span.start as usize, list);
        for _ in start..end {
            inp.skip();
        }
        inp.emit(err);
        let last = lk.toks.get(end - 1).map_or(first.span, |t| t.span);
        let span = first.span.to(last);
        Ok(Stmt {
            kind: bad_declaration(&lk, start, span).unwrap_or(StmtKind::Error),
            span,
        })
    })
    .boxed()
}

/// `import x = <value>` as the `const x = <value>` tsc emits for it.
fn alias_decl(name: Ident, value: Expr, exported: bool) -> StmtKind {
    let span = name.span.to(value.span);
    StmtKind::Var(VarDecl {
        kind: VarKind::Const,
        decls: vec![VarDeclarator {
            target: Pattern {
                span: name.span,
                kind: PatternKind::Ident(name),
            },
            init: Some(value),
            span,
        }],
        exported,
        declare: false,
    })
}

/// A bad statement that declares one name (`[export] const x = <error>`): the name is still
/// declared, with an [`ExprKind::Error`] value, so that the code using it (and the modules
/// importing it) do not report it missing after the one syntax error.
fn bad_declaration(lk: &Lk<'_>, start: usize, span: Span) -> Option<StmtKind> {
    let mut i = start;
    let exported = lk.is(i, K::Export);
    if exported {
        i += 1;
    }
    if lk.is(i, K::Declare) {
        return None;
    }
    let kind = match lk.kind(i)? {
        K::Const => VarKind::Const,
        K::Let => VarKind::Let,
        K::Var => VarKind::Var,
        _ => return None,
    };
    let name = lk.toks.get(i + 1).filter(|t| t.kind == K::Ident)?;
    if !matches!(lk.kind(i + 2), Some(K::Eq | K::Colon)) {
        return None;
    }
    let ident = Ident {
        name: lk.text(name).into(),
        span: name.span,
    };
    Some(StmtKind::Var(VarDecl {
        kind,
        decls: vec![VarDeclarator {
            target: Pattern {
                kind: PatternKind::Ident(ident),
                span: name.span,
            },
            init: Some(Expr {
                kind: ExprKind::Error,
                span,
            }),
            span,
        }],
        exported,
        declare: false,
    }))
}

/// Where a statement that failed to parse ends: past the error, at a `;` or a line break at
/// its own bracket depth, before a `}` that closes the enclosing block, or before a
/// declaration starting in column 0. Always skips at least one token.
fn skip_bad_statement(lk: &Lk<'_>, start: usize, error_at: usize, list: ListKind) -> usize {
    let for_stmt = lk.is(start, K::For);
    let mut stack: Vec<K> = Vec::new();
    let mut i = start;
    while let Some(t) = lk.toks.get(i) {
        if i > start {
            let past_error = t.span.start as usize > error_at;
            if t.col0 && starts_declaration(t.kind) {
                break;
            }
            if stack.is_empty() && past_error && t.nl_before && starts_statement(t.kind) {
                break;
            }
            if list == ListKind::Case && stack.is_empty() && matches!(t.kind, K::Case | K::Default)
            {
                break;
            }
        }
        match t.kind {
            K::Semi if stack.is_empty() => return i + 1,
            // A `;` inside unclosed `(`/`[` most likely ends the statement (unless in a
            // `for` head).
            K::Semi if !for_stmt && matches!(stack.last(), Some(K::LParen | K::LBracket)) => {
                return i + 1;
            }
            K::LParen | K::LBracket | K::LBrace | K::TemplateHead => stack.push(t.kind),
            K::RParen | K::RBracket | K::RBrace | K::TemplateTail => {
                let opener = match t.kind {
                    K::RParen => K::LParen,
                    K::RBracket => K::LBracket,
                    K::RBrace => K::LBrace,
                    _ => K::TemplateHead,
                };
                if let Some(d) = stack.iter().rposition(|&k| k == opener) {
                    stack.truncate(d);
                } else if t.kind == K::RBrace && list != ListKind::Top && i > start {
                    // Closes the enclosing block.
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i.max(start + 1).min(lk.toks.len().max(start + 1))
}

/// Keywords that begin a top-level declaration (for recovery at column 0).
fn starts_declaration(k: K) -> bool {
    matches!(
        k,
        K::Export
            | K::Import
            | K::Const
            | K::Let
            | K::Var
            | K::Function
            | K::Class
            | K::Interface
            | K::Type
            | K::Enum
            | K::Declare
            | K::Async
            | K::Abstract
            | K::Namespace
            | K::At
    )
}

/// Tokens that begin a statement after a line break (for recovery).
fn starts_statement(k: K) -> bool {
    starts_declaration(k)
        || k == K::Ident
        || matches!(
            k,
            K::If
                | K::For
                | K::While
                | K::Do
                | K::Return
                | K::Throw
                | K::Try
                | K::Switch
                | K::Break
                | K::Continue
        )
}

/// Statements. `stmt` is the recursive handle used for nested statements.
fn statement<'a>(lk: Lk<'a>, stmt: Rec<'a, Stmt>) -> Bx<'a, Stmt> {
    let block_list = recovering(lk, stmt.clone(), ListKind::Block)
        .repeated()
        .collect::<Vec<_>>()
        .boxed();
    let block = tok(K::LBrace)
        .ignore_then(block_list.clone())
        .then_ignore(tok(K::RBrace))
        .labelled(Lbl::Block)
        .as_context()
        .boxed();

    let mut shared: Option<Shared<'a>> = None;
    let assign = recursive(|assign: Rec<'a, Expr>| {
        let (assign_parser, sh) = expressions(lk, assign, block.clone());
        shared = Some(sh);
        assign_parser
    });
    let Some(sh) = shared else {
        unreachable!("`recursive` calls its closure exactly once")
    };
    let assign = assign.boxed();
    let expr = comma_expr(assign.clone());
    let Shared {
        ty,
        pat,
        type_params,
        object_type,
        params,
        ret_annot,
        fn_body,
        lhs,
        decorators,
        class,
    } = sh;
    let span = |e: &mut chumsky::input::MapExtra<'a, '_, In<'a>, Ex<'a>>| e.span();
    let st = move |kind: StmtKind, s: Span| Stmt { kind, span: s };

    let paren_expr = tok(K::LParen)
        .ignore_then(expr.clone())
        .then_ignore(tok(K::RParen))
        .labelled(Lbl::Condition)
        .as_context()
        .boxed();

    // `const`/`let`/`var` and their declarators (without the terminator).
    let var_kind = choice((
        guard(lk, |lk, i| lk.is(i, K::Const) && !lk.is(i + 1, K::Enum))
            .ignore_then(tok(K::Const))
            .to(VarKind::Const),
        guard(lk, |lk, i| {
            lk.is(i, K::Let)
                && lk
                    .kind(i + 1)
                    .is_some_and(|k| k.is_ident_like() || matches!(k, K::LBracket | K::LBrace))
        })
        .ignore_then(tok(K::Let))
        .to(VarKind::Let),
        tok(K::Var).to(VarKind::Var),
    ))
    .boxed();
    let declarator = pat
        .clone()
        .then_ignore(
            guard(lk, |lk, i| lk.same_line(i))
                .ignore_then(tok(K::Bang))
                .or_not(),
        )
        .then_ignore(tok(K::Colon).ignore_then(ty.clone()).or_not())
        .then(tok(K::Eq).ignore_then(assign.clone()).or_not())
        .map_with(move |(target, init), e| VarDeclarator {
            target,
            init,
            span: span(e),
        })
        .boxed();
    let var_decl = var_kind
        .clone()
        .then(
            declarator
                .separated_by(tok(K::Comma))
                .at_least(1)
                .collect::<Vec<_>>(),
        )
        .map(|(kind, mut decls)| VarDecl {
            kind,
            // Nearly always one declarator, in a vector grown to room for four.
            decls: {
                decls.shrink_to_fit();
                decls
            },
            exported: false,
            declare: false,
        })
        .boxed();
    let var_stmt = var_decl
        .clone()
        .then_ignore(semi())
        .validate(|v: VarDecl, _, emitter| {
            if v.kind == VarKind::Const {
                for d in v.decls.iter().filter(|d| d.init.is_none()) {
                    emitter.emit(PErr::custom(
                        d.span,
                        "`const` declarations must be initialized".into(),
                        "missing `= value`",
                        Some("add an initializer, or use `let` or `declare const`"),
                    ));
                }
            }
            v
        })
        .map_with(move |v, e| st(StmtKind::Var(v), span(e)))
        .boxed();

    // Functions: `[async] function [*] name<T>(params): R { body }`; without a body it is an
    // overload signature.
    let async_fn = guard(lk, |lk, i| {
        lk.is(i, K::Async) && lk.is(i + 1, K::Function) && lk.same_line(i + 1)
    })
    .ignore_then(tok(K::Async))
    .or_not()
    .map(|a| a.is_some());
    let fn_head = async_fn
        .then_ignore(tok(K::Function))
        .then(tok(K::Star).or_not().map(|s| s.is_some()))
        .then(ident().or_not())
        .then_ignore(type_params.clone().or_not())
        .then(params.clone())
        .then_ignore(ret_annot.clone().or_not())
        .boxed();
    let fn_decl = fn_head
        .clone()
        .then(choice((fn_body.clone().map(Some), semi().to(None))))
        .map_with(
            move |((((is_async, is_generator), name), params), body), e| {
                let s = span(e);
                match body {
                    Some(body) => st(
                        StmtKind::Function(FunctionDecl {
                            func: Function {
                                name,
                                params,
                                body: FunctionBody::Block(body),
                                is_arrow: false,
                                is_async,
                                is_generator,
                                span: s,
                            },
                            exported: false,
                        }),
                        s,
                    ),
                    None => st(
                        StmtKind::TypeDecl {
                            name,
                            exported: false,
                        },
                        s,
                    ),
                }
            },
        )
        .boxed();
    let named_fn_decl = guard(lk, |lk, i| {
        lk.is(i, K::Function)
            || (lk.is(i, K::Async) && lk.is(i + 1, K::Function) && lk.same_line(i + 1))
    })
    .ignore_then(fn_decl.clone())
    .validate(|s: Stmt, _, emitter| {
        let unnamed = match &s.kind {
            StmtKind::Function(f) => f.func.name.is_none(),
            StmtKind::TypeDecl { name, .. } => name.is_none(),
            _ => false,
        };
        if unnamed {
            emitter.emit(PErr::custom(
                s.span,
                "function declarations need a name".into(),
                "unnamed function",
                Some("give the function a name, or assign a function expression to a variable"),
            ));
        }
        s
    })
    .boxed();

    let class_stmt = class
        .clone()
        .map_with(move |c, e| st(StmtKind::Class(c), span(e)))
        .boxed();

    // `[const] enum Name { A, B = 'b' }`.
    let enum_member = choice((
        name(),
        string_lit().map(|s| Ident {
            name: s.value,
            span: s.span,
        }),
    ))
    .then(tok(K::Eq).ignore_then(assign.clone()).or_not())
    .map(|(name, init)| EnumMember { name, init })
    .boxed();
    let enum_decl = guard(lk, |lk, i| {
        lk.is(i, K::Enum) || (lk.is(i, K::Const) && lk.is(i + 1, K::Enum))
    })
    .ignore_then(tok(K::Const).or_not())
    .then_ignore(tok(K::Enum))
    .then(ident())
    .then(
        tok(K::LBrace)
            .ignore_then(
                not_at(lk, K::RBrace)
                    .ignore_then(enum_member)
                    .separated_by(tok(K::Comma))
                    .allow_trailing()
                    .collect::<Vec<_>>(),
            )
            .then_ignore(tok(K::RBrace))
            .labelled(Lbl::EnumBody)
            .as_context(),
    )
    .map_with(move |((c, name), members), e| {
        st(
            StmtKind::Enum(EnumDecl {
                name,
                members,
                exported: false,
                is_const: c.is_some(),
                declare: false,
            }),
            span(e),
        )
    })
    .boxed();

    // TypeScript-only declarations.
    let type_decl = move |name: Option<Ident>, s: Span| {
        st(
            StmtKind::TypeDecl {
                name,
                exported: false,
            },
            s,
        )
    };
    let interface = guard(lk, |lk, i| {
        lk.is(i, K::Interface)
            && lk.same_line(i + 1)
            && lk.kind(i + 1).is_some_and(K::is_ident_like)
    })
    .ignore_then(tok(K::Interface))
    .ignore_then(ident())
    .then_ignore(type_params.clone().or_not())
    .then_ignore(
        tok(K::Extends)
            .ignore_then(ty.clone().separated_by(tok(K::Comma)).at_least(1))
            .or_not(),
    )
    .then_ignore(object_type.clone())
    .map_with(move |name, e| type_decl(Some(name), span(e)))
    .boxed();
    let type_alias = guard(lk, |lk, i| {
        lk.is(i, K::Type) && lk.same_line(i + 1) && lk.kind(i + 1).is_some_and(K::is_ident_like)
    })
    .ignore_then(tok(K::Type))
    .ignore_then(ident())
    .then_ignore(type_params.clone().or_not())
    .then_ignore(tok(K::Eq))
    .then_ignore(ty.clone())
    .then_ignore(semi())
    .map_with(move |name, e| type_decl(Some(name), span(e)))
    .boxed();
    let skip_braces = skip_balanced(lk, K::LBrace, Lbl::Block);
    let ambient = guard(lk, |lk, i| {
        matches!(lk.kind(i), Some(K::Namespace | K::Module))
            && lk.same_line(i + 1)
            && lk
                .kind(i + 1)
                .is_some_and(|k| k.is_ident_like() || k == K::Str)
    })
    .ignore_then(choice((tok(K::Namespace), tok(K::Module))))
    .ignore_then(choice((
        ident()
            .then_ignore(tok(K::Dot).ignore_then(name()).repeated())
            .map(Some),
        string_lit().to(None),
    )))
    .then_ignore(choice((skip_braces.clone(), semi())))
    .map_with(move |name, e| type_decl(name, span(e)))
    .boxed();
    // A namespace with a body, which may hold values (`declare namespace` stays `ambient`).
    let namespace = guard(lk, |lk, i| {
        matches!(lk.kind(i), Some(K::Namespace | K::Module))
            && lk.same_line(i + 1)
            && lk.kind(i + 1).is_some_and(K::is_ident_like)
    })
    .ignore_then(choice((tok(K::Namespace), tok(K::Module))))
    .ignore_then(ident())
    .then(
        tok(K::Dot)
            .ignore_then(ident())
            .repeated()
            .collect::<Vec<_>>(),
    )
    .then(block.clone())
    .map_with(move |((name, inner), body), e| namespace_decl(name, inner, body, span(e)))
    .boxed();
    let global = tok(K::Global)
        .ignore_then(skip_braces.clone())
        .map_with(move |_, e| type_decl(None, span(e)))
        .boxed();
    let abstract_class = guard(lk, |lk, i| {
        lk.is(i, K::Abstract) && lk.is(i + 1, K::Class) && lk.same_line(i + 1)
    })
    .ignore_then(class_stmt.clone());
    let declare = guard(lk, |lk, i| {
        lk.is(i, K::Declare)
            && lk.same_line(i + 1)
            && lk.kind(i + 1).is_some_and(|k| {
                matches!(
                    k,
                    K::Const
                        | K::Let
                        | K::Var
                        | K::Function
                        | K::Async
                        | K::Class
                        | K::Abstract
                        | K::Enum
                        | K::Namespace
                        | K::Module
                        | K::Global
                        | K::Interface
                        | K::Type
                )
            })
    })
    .ignore_then(tok(K::Declare))
    .ignore_then(choice((
        var_decl
            .clone()
            .then_ignore(semi())
            .map_with(move |mut v, e| {
                v.declare = true;
                st(StmtKind::Var(v), span(e))
            }),
        fn_head
            .clone()
            .then_ignore(choice((fn_body.clone().ignored(), semi())))
            .map_with(move |(((_, _), name), _), e| type_decl(name, span(e))),
        class
            .clone()
            .map_with(move |c, e| type_decl(c.name, span(e))),
        enum_decl.clone().map(|mut s| {
            if let StmtKind::Enum(en) = &mut s.kind {
                en.declare = true;
            }
            s
        }),
        ambient.clone(),
        global,
        interface.clone(),
        type_alias.clone(),
    )))
    .map_with(move |mut s: Stmt, e| {
        s.span = span(e);
        s
    })
    .boxed();

    let ts_decl = choice((
        interface.clone(),
        type_alias.clone(),
        namespace,
        ambient,
        declare.clone(),
    ))
    .boxed();

    // Declarations that `export` can precede.
    let declaration = guard(lk, |lk, i| {
        matches!(
            lk.kind(i),
            Some(
                K::Const
                    | K::Let
                    | K::Var
                    | K::Enum
                    | K::Function
                    | K::Async
                    | K::Class
                    | K::At
                    | K::Abstract
                    | K::Interface
                    | K::Type
                    | K::Namespace
                    | K::Module
                    | K::Declare
            )
        )
    })
    .ignore_then(choice((
        var_stmt.clone(),
        enum_decl.clone(),
        named_fn_decl.clone(),
        class_stmt.clone(),
        abstract_class.clone(),
        ts_decl.clone(),
    )))
    .boxed();

    // Imports.
    // Import attributes, `with { type: 'json' }` (or the older `assert { ... }`), are skipped.
    let attributes = guard(lk, |lk, i| {
        lk.same_line(i)
            && lk.is(i + 1, K::LBrace)
            && lk.toks.get(i).is_some_and(|t| {
                t.kind == K::With || (t.kind == K::Ident && lk.text(t) == "assert")
            })
    })
    .ignore_then(take(Lbl::Identifier, |_, _| Some(())))
    .then(skip_braces.clone())
    .or_not()
    .ignored()
    .boxed();
    let import_spec = choice((
        guard(lk, |lk, i| {
            // `type X` marks a type-only import, but `{ type }` and `{ type as x }` import a
            // binding called `type`.
            lk.is(i, K::Type)
                && !matches!(lk.kind(i + 1), Some(K::Comma | K::RBrace) | None)
                && !(lk.is(i + 1, K::As)
                    && matches!(lk.kind(i + 3), Some(K::Comma | K::RBrace) | None))
        })
        .ignore_then(tok(K::Type))
        .to(true),
        empty().to(false),
    ))
    .then(choice((
        name(),
        string_lit().map(|s| Ident {
            name: s.value,
            span: s.span,
        }),
    )))
    .then(tok(K::As).ignore_then(ident()).or_not())
    .map(|((type_only, imported), local)| ImportSpec {
        local: local.unwrap_or_else(|| imported.clone()),
        imported,
        type_only,
    })
    .boxed();
    let named_imports = tok(K::LBrace)
        .ignore_then(
            not_at(lk, K::RBrace)
                .ignore_then(import_spec)
                .separated_by(tok(K::Comma))
                .allow_trailing()
                .collect::<Vec<_>>(),
        )
        .then_ignore(tok(K::RBrace))
        .labelled(Lbl::NamedList)
        .as_context()
        .boxed();
    let namespace_import = tok(K::Star)
        .ignore_then(tok(K::As))
        .ignore_then(ident())
        .boxed();
    type Bindings = (Option<Ident>, Option<Ident>, Vec<ImportSpec>);
    let bindings: Bx<'a, Bindings> = choice((
        ident()
            .then(
                tok(K::Comma)
                    .ignore_then(choice((
                        namespace_import.clone().map(|n| (Some(n), Vec::new())),
                        named_imports.clone().map(|v| (None, v)),
                    )))
                    .or_not(),
            )
            .map(|(d, rest)| {
                let (ns, named) = rest.unwrap_or((None, Vec::new()));
                (Some(d), ns, named)
            }),
        namespace_import
            .clone()
            .map(|n| (None, Some(n), Vec::new())),
        named_imports.clone().map(|v| (None, None, v)),
    ))
    .boxed();
    let import_from = bindings
        .then_ignore(tok(K::From))
        .then(string_lit())
        .then_ignore(attributes.clone())
        .then_ignore(semi())
        .boxed();
    let import_equals = ident()
        .then_ignore(tok(K::Eq))
        .then(lhs.clone())
        .then_ignore(semi())
        .boxed();
    let import_decl = guard(lk, |lk, i| {
        lk.is(i, K::Import) && !matches!(lk.kind(i + 1), Some(K::LParen | K::Dot))
    })
    .ignore_then(tok(K::Import))
    .ignore_then(choice((
        string_lit()
            .then_ignore(attributes.clone())
            .then_ignore(semi())
            .map(|source| {
                StmtKind::Import(ImportDecl {
                    source,
                    default: None,
                    namespace: None,
                    named: Vec::new(),
                    type_only: false,
                })
            }),
        import_from
            .clone()
            .map(|((default, namespace, named), source)| {
                StmtKind::Import(ImportDecl {
                    source,
                    default,
                    namespace,
                    named,
                    type_only: false,
                })
            }),
        tok(K::Type).ignore_then(import_from.clone()).map(
            |((default, namespace, named), source)| {
                StmtKind::Import(ImportDecl {
                    source,
                    default,
                    namespace,
                    named,
                    type_only: true,
                })
            },
        ),
        tok(K::Type)
            .ignore_then(import_equals.clone())
            .map(|(name, _)| StmtKind::TypeDecl {
                name: Some(name),
                exported: false,
            }),
        // `import x = require('y')` (CommonJS TypeScript) and `import x = N.member` (an
        // alias): `const x = ...`, as tsc emits them.
        import_equals
            .clone()
            .map(|(name, value)| alias_decl(name, value, false)),
    )))
    .map_with(move |kind, e| st(kind, span(e)))
    .boxed();

    // Exports.
    let export_spec = tok(K::Type)
        .then_ignore(guard(lk, |lk, i| {
            !matches!(lk.kind(i), Some(K::Comma | K::RBrace | K::As) | None)
        }))
        .or_not()
        .map(|t| t.is_some())
        .then(choice((
            name(),
            string_lit().map(|s| Ident {
                name: s.value,
                span: s.span,
            }),
        )))
        .then(
            tok(K::As)
                .ignore_then(choice((
                    name(),
                    string_lit().map(|s| Ident {
                        name: s.value,
                        span: s.span,
                    }),
                )))
                .or_not(),
        )
        .map(|((type_only, local), exported)| ExportSpec {
            exported: exported.unwrap_or_else(|| local.clone()),
            local,
            type_only,
        })
        .boxed();
    let export_named = tok(K::Type)
        .or_not()
        .then(
            tok(K::LBrace)
                .ignore_then(
                    not_at(lk, K::RBrace)
                        .ignore_then(export_spec)
                        .separated_by(tok(K::Comma))
                        .allow_trailing()
                        .collect::<Vec<_>>(),
                )
                .then_ignore(tok(K::RBrace))
                .labelled(Lbl::NamedList)
                .as_context(),
        )
        .then(tok(K::From).ignore_then(string_lit()).or_not())
        .then_ignore(attributes.clone())
        .then_ignore(semi())
        .map(|((t, specs), source)| {
            StmtKind::ExportNamed(ExportNamed {
                specs,
                source,
                type_only: t.is_some(),
            })
        })
        .boxed();
    let export_all = tok(K::Type)
        .or_not()
        .then_ignore(tok(K::Star))
        .then(tok(K::As).ignore_then(name()).or_not())
        .then_ignore(tok(K::From))
        .then(string_lit())
        .then_ignore(attributes.clone())
        .then_ignore(semi())
        .map(|((t, alias), source)| {
            StmtKind::ExportAll(ExportAll {
                source,
                alias,
                type_only: t.is_some(),
            })
        })
        .boxed();
    let default_fn = fn_head
        .clone()
        .then(fn_body.clone())
        .map_with(
            move |((((is_async, is_generator), name), params), body), e| Expr {
                span: span(e),
                kind: ExprKind::Function(Box::new(Function {
                    name,
                    params,
                    body: FunctionBody::Block(body),
                    is_arrow: false,
                    is_async,
                    is_generator,
                    span: span(e),
                })),
            },
        )
        .boxed();
    let export_default = tok(K::Default)
        .ignore_then(choice((
            default_fn.map(StmtKind::ExportDefault),
            guard(lk, |lk, i| {
                matches!(lk.kind(i), Some(K::Class | K::At))
                    || (lk.is(i, K::Abstract) && lk.is(i + 1, K::Class))
            })
            .ignore_then(class.clone())
            .map(|c| {
                StmtKind::ExportDefault(Expr {
                    span: c.span,
                    kind: ExprKind::Class(Box::new(c)),
                })
            }),
            interface.clone().map(|s| mark_exported(s).kind),
            assign
                .clone()
                .then_ignore(semi())
                .map(StmtKind::ExportDefault),
        )))
        .boxed();
    let export_assign = tok(K::Eq)
        .ignore_then(expr.clone())
        .then_ignore(semi())
        .map(StmtKind::ExportAssign)
        .boxed();
    let export_as_namespace = tok(K::As)
        .ignore_then(tok(K::Namespace))
        .ignore_then(ident())
        .then_ignore(semi())
        .map(|name| StmtKind::TypeDecl {
            name: Some(name),
            exported: true,
        })
        .boxed();
    let export_import = tok(K::Import)
        .ignore_then(import_equals.clone())
        .map(|(name, value)| alias_decl(name, value, true))
        .boxed();
    let export_decl = tok(K::Export)
        .ignore_then(choice((
            declaration.clone().map(|s| mark_exported(s).kind),
            export_named,
            export_all,
            export_default,
            export_assign,
            export_as_namespace,
            export_import,
        )))
        .map_with(move |kind, e| st(kind, span(e)))
        .boxed();
    let decorated_export = guard(lk, |lk, i| lk.is(i, K::At))
        .ignore_then(decorators.clone())
        .ignore_then(export_decl.clone())
        .map_with(move |mut s: Stmt, e| {
            s.span = span(e);
            s
        })
        .boxed();

    // Control flow.
    let if_stmt = tok(K::If)
        .ignore_then(paren_expr.clone())
        .then(stmt.clone())
        .then(tok(K::Else).ignore_then(stmt.clone()).or_not())
        .map_with(move |((test, cons), alt), e| {
            st(
                StmtKind::If {
                    test,
                    cons: Box::new(cons),
                    alt: alt.map(Box::new),
                },
                span(e),
            )
        })
        .boxed();
    let in_or_of = choice((tok(K::Of).to(true), tok(K::In).to(false)));
    let for_in_of = choice((
        var_kind
            .clone()
            .then(pat.clone())
            .then_ignore(tok(K::Colon).ignore_then(ty.clone()).or_not())
            .map(|(k, p)| ForHead::Decl(k, p)),
        lhs.clone().try_map(|e, s| {
            expr_to_pattern(e, 0)
                .map(ForHead::Pattern)
                .map_err(|_| PErr::new(Expected::label(Lbl::Pattern), s))
        }),
    ))
    .then(in_or_of)
    .then(expr.clone())
    .map(|((left, of), right)| (left, of, right))
    .boxed();
    let for_init = choice((
        var_decl
            .clone()
            .map_with(move |v, e| st(StmtKind::Var(v), span(e))),
        expr.clone()
            .map_with(move |x, e| st(StmtKind::Expr(x), span(e))),
    ))
    .or_not()
    .boxed();
    let for_classic = for_init
        .then_ignore(tok(K::Semi))
        .then(expr.clone().or_not())
        .then_ignore(tok(K::Semi))
        .then(expr.clone().or_not())
        .boxed();
    #[derive(Clone)]
    enum Head {
        InOf(ForHead, bool, Expr),
        Classic(Option<Stmt>, Option<Expr>, Option<Expr>),
    }
    let for_stmt = tok(K::For)
        .ignore_then(tok(K::Await).or_not())
        .ignore_then(
            tok(K::LParen)
                .ignore_then(choice((
                    for_in_of.map(|(l, of, r)| Head::InOf(l, of, r)),
                    for_classic.map(|((i, t), u)| Head::Classic(i, t, u)),
                )))
                .then_ignore(tok(K::RParen))
                .labelled(Lbl::ForHead)
                .as_context(),
        )
        .then(stmt.clone())
        .map_with(move |(head, body), e| {
            let body = Box::new(body);
            let kind = match head {
                Head::InOf(left, of, right) => StmtKind::ForInOf {
                    left,
                    right,
                    body,
                    of,
                },
                Head::Classic(init, test, update) => StmtKind::For {
                    init: init.map(Box::new),
                    test,
                    update,
                    body,
                },
            };
            st(kind, span(e))
        })
        .boxed();
    let while_stmt = tok(K::While)
        .ignore_then(paren_expr.clone())
        .then(stmt.clone())
        .map_with(move |(test, body), e| {
            st(
                StmtKind::While {
                    test,
                    body: Box::new(body),
                },
                span(e),
            )
        })
        .boxed();
    let do_while = tok(K::Do)
        .ignore_then(stmt.clone())
        .then_ignore(tok(K::While))
        .then(paren_expr.clone())
        // After `do ... while (x)` a `;` is inserted even without a line break.
        .then_ignore(tok(K::Semi).or_not())
        .map_with(move |(body, test), e| {
            st(
                StmtKind::DoWhile {
                    body: Box::new(body),
                    test,
                },
                span(e),
            )
        })
        .boxed();
    // `return`, `throw`, `break` and `continue` end at a line break.
    let same_line_operand = guard(lk, |lk, i| {
        lk.same_line(i) && !matches!(lk.kind(i), Some(K::Semi | K::RBrace))
    });
    let return_stmt = tok(K::Return)
        .ignore_then(same_line_operand.clone().ignore_then(expr.clone()).or_not())
        .then_ignore(semi())
        .map_with(move |x, e| st(StmtKind::Return(x), span(e)))
        .boxed();
    let throw_stmt = tok(K::Throw)
        .ignore_then(expr.clone())
        .then_ignore(semi())
        .map_with(move |x, e| st(StmtKind::Throw(x), span(e)))
        .boxed();
    // TODO(ast): `Break`/`Continue` have no label field, so `break outer` loses `outer`.
    let jump = choice((tok(K::Break).to(true), tok(K::Continue).to(false)))
        .then_ignore(same_line_operand.clone().ignore_then(ident()).or_not())
        .then_ignore(semi())
        .map_with(move |brk, e| {
            st(
                if brk {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                },
                span(e),
            )
        })
        .boxed();
    let case_list = recovering(lk, stmt.clone(), ListKind::Case)
        .repeated()
        .collect::<Vec<_>>();
    let case = choice((
        tok(K::Case).ignore_then(expr.clone()).map(Some),
        tok(K::Default).to(None),
    ))
    .then_ignore(tok(K::Colon))
    .then(case_list)
    .map(|(test, body)| SwitchCase { test, body })
    .boxed();
    let switch_stmt = tok(K::Switch)
        .ignore_then(paren_expr.clone())
        .then(
            tok(K::LBrace)
                .ignore_then(case.repeated().collect::<Vec<_>>())
                .then_ignore(tok(K::RBrace))
                .labelled(Lbl::SwitchBody)
                .as_context(),
        )
        .map_with(move |(discriminant, cases), e| {
            st(
                StmtKind::Switch {
                    discriminant,
                    cases,
                },
                span(e),
            )
        })
        .boxed();
    let catch_param = tok(K::LParen)
        .ignore_then(pat.clone())
        .then_ignore(tok(K::Colon).ignore_then(ty.clone()).or_not())
        .then_ignore(tok(K::RParen))
        .labelled(Lbl::Paren)
        .as_context();
    let try_stmt = tok(K::Try)
        .ignore_then(block.clone())
        .then(
            tok(K::Catch)
                .ignore_then(catch_param.or_not())
                .then(block.clone())
                .or_not(),
        )
        .then(tok(K::Finally).ignore_then(block.clone()).or_not())
        .validate(|((b, c), f), e, emitter| {
            if c.is_none() && f.is_none() {
                emitter.emit(PErr::custom(
                    e.span(),
                    "`try` needs a `catch` or `finally` block".into(),
                    "incomplete `try`",
                    None,
                ));
            }
            ((b, c), f)
        })
        .map_with(move |((block, c), finalizer), e| {
            let (param, handler) = match c {
                Some((p, h)) => (p, Some(h)),
                None => (None, None),
            };
            st(
                StmtKind::Try {
                    block,
                    param,
                    handler,
                    finalizer,
                },
                span(e),
            )
        })
        .boxed();
    // `label: stmt` keeps only the statement.
    // TODO(ast): there is no labeled-statement node, so the label is dropped.
    let labeled = guard(lk, |lk, i| {
        lk.kind(i).is_some_and(K::is_ident_like) && lk.is(i + 1, K::Colon)
    })
    .ignore_then(ident())
    .ignore_then(tok(K::Colon))
    .ignore_then(stmt.clone())
    .map_with(move |mut s: Stmt, e| {
        s.span = span(e);
        s
    })
    .boxed();
    let expr_stmt = guard(lk, |lk, i| {
        let async_function = lk.is(i, K::Async) && lk.is(i + 1, K::Function) && lk.same_line(i + 1);
        !(async_function || matches!(lk.kind(i), Some(K::LBrace | K::Function | K::Class)))
    })
    .ignore_then(expr.clone())
    .then_ignore(semi())
    .map_with(move |x, e| st(StmtKind::Expr(x), span(e)))
    .boxed();

    let control = choice((
        block
            .clone()
            .map_with(move |b, e| st(StmtKind::Block(b), span(e))),
        tok(K::Semi).map_with(move |_, e| st(StmtKind::Empty, span(e))),
        if_stmt,
        for_stmt,
        while_stmt,
        do_while,
        return_stmt,
        throw_stmt,
        jump,
        switch_stmt,
        try_stmt,
        tok(K::Debugger)
            .then_ignore(semi())
            .map_with(move |_, e| st(StmtKind::Empty, span(e))),
    ));

    // Pick the statement form by its first token instead of trying each in turn: statements
    // are frequent and every failed alternative costs an error value. The chosen parser's
    // own error is the statement's error (nothing else competes at this point).
    let control = control.boxed();
    let by_name = choice((declaration.clone(), labeled.clone(), expr_stmt.clone())).boxed();
    let by_ident = choice((labeled, expr_stmt.clone())).boxed();
    let by_import = choice((import_decl, expr_stmt.clone())).boxed();
    let by_at = choice((decorated_export, declaration.clone())).boxed();
    let other = expr_stmt.labelled(Lbl::Statement).boxed();
    custom(move |inp: &mut Inp<'a, '_>| {
        let parser = match lk.kind(pos(inp)) {
            Some(K::Ident) => &by_ident,
            Some(K::Export) => &export_decl,
            Some(K::Import) => &by_import,
            Some(K::At) => &by_at,
            Some(K::Const | K::Var | K::Enum | K::Function | K::Class) => &declaration,
            Some(
                K::LBrace
                | K::Semi
                | K::If
                | K::For
                | K::While
                | K::Do
                | K::Return
                | K::Throw
                | K::Break
                | K::Continue
                | K::Switch
                | K::Try
                | K::Debugger,
            ) => &control,
            Some(k) if k.is_ident_like() => &by_name,
            _ => &other,
        };
        inp.parse(parser)
    })
    .boxed()
}

/// `namespace A.B.C { body }`: `A` holding an exported `B` holding an exported `C`. A namespace
/// without values is erased by TypeScript: it stays a type declaration.
fn namespace_decl(name: Ident, inner: Vec<Ident>, mut body: Vec<Stmt>, span: Span) -> Stmt {
    let mut names = inner;
    while let Some(n) = names.pop() {
        body = vec![namespace_stmt(n, body, span, true)];
    }
    namespace_stmt(name, body, span, false)
}

fn namespace_stmt(name: Ident, body: Vec<Stmt>, span: Span, exported: bool) -> Stmt {
    let kind = if has_values(&body) {
        StmtKind::Namespace(NamespaceDecl {
            name,
            body,
            exported: false,
        })
    } else {
        StmtKind::TypeDecl {
            name: Some(name),
            exported: false,
        }
    };
    let s = Stmt { kind, span };
    if exported { mark_exported(s) } else { s }
}

/// Does a namespace body declare values (TypeScript's "instantiated" namespace)?
fn has_values(body: &[Stmt]) -> bool {
    body.iter().any(|s| {
        !matches!(
            &s.kind,
            StmtKind::TypeDecl { .. } | StmtKind::Empty | StmtKind::ExportNamed(_)
        ) && !matches!(&s.kind, StmtKind::Var(v) if v.declare)
            && !matches!(&s.kind, StmtKind::Enum(e) if e.is_const || e.declare)
    })
}

/// Sets the `exported` flag of a declaration.
fn mark_exported(mut s: Stmt) -> Stmt {
    match &mut s.kind {
        StmtKind::Var(v) => v.exported = true,
        StmtKind::Function(f) => f.exported = true,
        StmtKind::Class(c) => c.exported = true,
        StmtKind::Enum(e) => e.exported = true,
        StmtKind::Namespace(n) => n.exported = true,
        StmtKind::TypeDecl { exported, .. } => *exported = true,
        _ => {}
    }
    s
}

/// Skips a balanced `open ... close` group using the bracket table.
fn skip_balanced<'a>(lk: Lk<'a>, open: K, ctx: Lbl) -> Bx<'a, ()> {
    custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if !lk.is(i, open) {
            return Err(PErr::new(Expected::token(open), lk.span(i)));
        }
        match lk.close_of(i) {
            Some(j) => {
                for _ in i..=j {
                    inp.skip();
                }
                Ok(())
            }
            None => {
                let (o, close, what) = ctx.delimiters().unwrap_or(("{", K::RBrace, ""));
                Err(PErr::custom(
                    lk.span(i),
                    format!("`{o}` {what} is never closed"),
                    &format!("unclosed `{o}`"),
                    Some(&format!("add the matching `{}`", close.text())),
                ))
            }
        }
    })
    .boxed()
}

/// `a, b, c` as one expression.
fn comma_expr<'a>(assign: Bx<'a, Expr>) -> Bx<'a, Expr> {
    assign
        .clone()
        // Collecting an empty `Vec` does not allocate: single expressions stay cheap.
        .then(
            tok(K::Comma)
                .ignore_then(assign)
                .repeated()
                .collect::<Vec<_>>(),
        )
        .map_with(|(first, rest), e| {
            if rest.is_empty() {
                first
            } else {
                let mut items = Vec::with_capacity(rest.len() + 1);
                items.push(first);
                items.extend(rest);
                Expr {
                    kind: ExprKind::Seq(items),
                    span: e.span(),
                }
            }
        })
        .boxed()
}

/// A member-access or call step after an expression.
#[derive(Clone)]
enum Tail {
    Member(Ident, bool),
    Index(Expr, bool),
    Call(Vec<Arg>, bool),
    Tagged(Template),
    /// `x++`: a postfix update ends the chain in valid code; read here so operands need no
    /// extra check.
    Update(UpdateOp),
    /// `x!` or an instantiation expression `f<T>`: nothing in the AST.
    Nothing,
}

fn apply_tail(object: Expr, tail: Tail, span: Span) -> Expr {
    let object = Box::new(object);
    let kind = match tail {
        Tail::Member(prop, optional) => ExprKind::Member {
            object,
            prop,
            optional,
        },
        Tail::Index(index, optional) => ExprKind::Index {
            object,
            index: Box::new(index),
            optional,
        },
        Tail::Call(args, optional) => ExprKind::Call {
            callee: object,
            args: args.into_boxed_slice(),
            optional,
        },
        Tail::Tagged(quasi) => ExprKind::TaggedTemplate {
            tag: object,
            quasi: Box::new(quasi),
        },
        Tail::Update(op) => ExprKind::Update {
            op,
            prefix: false,
            arg: object,
        },
        Tail::Nothing => return *object,
    };
    Expr { kind, span }
}

/// Expressions, types and patterns (mutually recursive). Returns the assignment-expression
/// parser and the pieces statements need.
fn expressions<'a>(
    lk: Lk<'a>,
    assign: Rec<'a, Expr>,
    block: Bx<'a, Vec<Stmt>>,
) -> (Bx<'a, Expr>, Shared<'a>) {
    let span = |e: &mut chumsky::input::MapExtra<'a, '_, In<'a>, Ex<'a>>| e.span();
    let expr = comma_expr(assign.clone().boxed());

    // Property keys: names, strings, numbers, `[computed]`.
    let prop_key = choice((
        name().map(PropKey::Ident),
        string_lit().map(PropKey::Str),
        take(Lbl::PropertyName, |t, text| {
            matches!(t.kind, K::Num | K::BigInt)
                .then(|| PropKey::Number(number_value(text.trim_end_matches('n')), t.span))
        }),
        tok(K::LBracket)
            .ignore_then(assign.clone())
            .then_ignore(tok(K::RBracket))
            .labelled(Lbl::Index)
            .as_context()
            .map(|e| PropKey::Computed(Box::new(e))),
    ))
    .labelled(Lbl::PropertyName)
    .boxed();

    // Binding patterns.
    let default = tok(K::Eq).ignore_then(assign.clone()).or_not().boxed();
    let pat = recursive(|pat: Rec<'a, Pattern>| {
        #[derive(Clone)]
        enum ObjItem {
            Prop(ObjectPatternProp),
            Rest(Pattern),
        }
        let obj_item = choice((
            tok(K::DotDotDot)
                .ignore_then(pat.clone())
                .map(ObjItem::Rest),
            prop_key
                .clone()
                .then_ignore(tok(K::Colon))
                .then(pat.clone())
                .then(default.clone())
                .map(|((key, value), default)| {
                    ObjItem::Prop(ObjectPatternProp {
                        key,
                        value,
                        default,
                    })
                }),
            ident().then(default.clone()).map(|(id, default)| {
                ObjItem::Prop(ObjectPatternProp {
                    key: PropKey::Ident(id.clone()),
                    value: Pattern {
                        span: id.span,
                        kind: PatternKind::Ident(id),
                    },
                    default,
                })
            }),
        ));
        let object = tok(K::LBrace)
            .ignore_then(
                not_at(lk, K::RBrace)
                    .ignore_then(obj_item)
                    .separated_by(tok(K::Comma))
                    .allow_trailing()
                    .collect::<Vec<_>>(),
            )
            .then_ignore(tok(K::RBrace))
            .labelled(Lbl::ObjectPattern)
            .as_context()
            .map(|items| {
                let mut props = Vec::new();
                let mut rest = None;
                for it in items {
                    match it {
                        ObjItem::Prop(p) => props.push(p),
                        ObjItem::Rest(r) => rest = Some(Box::new(r)),
                    }
                }
                PatternKind::Object { props, rest }
            });
        #[derive(Clone)]
        enum ArrItem {
            Elem(ArrayPatternElem),
            Rest(Pattern),
        }
        let arr_item = choice((
            tok(K::DotDotDot)
                .ignore_then(pat.clone())
                .map(ArrItem::Rest),
            pat.clone()
                .then(default.clone())
                .map(|(pattern, default)| ArrItem::Elem(ArrayPatternElem { pattern, default })),
        ));
        let array = tok(K::LBracket)
            .ignore_then(
                not_at(lk, K::RBracket)
                    .ignore_then(arr_item)
                    .or_not()
                    .separated_by(tok(K::Comma))
                    .collect::<Vec<_>>(),
            )
            .then_ignore(tok(K::RBracket))
            .labelled(Lbl::ArrayPattern)
            .as_context()
            .map(|mut items| {
                // A trailing comma (or `[]`) leaves one empty item that is not a hole.
                if matches!(items.last(), Some(None)) {
                    items.pop();
                }
                let mut elems = Vec::new();
                let mut rest = None;
                for it in items {
                    match it {
                        None => elems.push(None),
                        Some(ArrItem::Elem(e)) => elems.push(Some(e)),
                        Some(ArrItem::Rest(r)) => rest = Some(Box::new(r)),
                    }
                }
                PatternKind::Array { elems, rest }
            });
        choice((ident().map(PatternKind::Ident), object, array))
            .map_with(move |kind, e| Pattern {
                kind,
                span: span(e),
            })
            .labelled(Lbl::Pattern)
            .boxed()
    })
    .boxed();

    // Types: parsed, then dropped.
    let mut type_parsers: Option<TypeParsers<'a>> = None;
    let ty = recursive(|ty: Rec<'a, ()>| {
        let parsers = types(
            lk,
            ty.boxed(),
            pat.clone(),
            prop_key.clone(),
            assign.clone().boxed(),
        );
        let out = parsers.ty.clone();
        type_parsers = Some(parsers);
        out
    })
    .boxed();
    let Some(TypeParsers {
        type_params,
        type_args,
        object_type,
        ret_type,
        ..
    }) = type_parsers
    else {
        unreachable!("`recursive` calls its closure exactly once")
    };
    let ret_annot = tok(K::Colon).ignore_then(ret_type).boxed();
    let params = params(lk, pat.clone(), ty.clone(), assign.clone().boxed());

    // Function bodies and functions.
    let fn_body = block.clone();
    let func_rest = type_params
        .clone()
        .or_not()
        .ignore_then(params.clone())
        .then_ignore(ret_annot.clone().or_not())
        .then(fn_body.clone())
        .boxed();

    // Literals and names.
    let literal = take(Lbl::Expression, literal_expr).boxed();
    // Names and literals not starting `async function`: the most common operand, parsed
    // without going through the alternatives below.
    // Member accesses `a.b.c` after it are read here too, without a parser call per step.
    let quick = custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if !direct_paths() {
            return Err(PErr::new(Expected::default(), lk.span(i)));
        }
        let Some(t) = lk.toks.get(i) else {
            return Err(PErr::new(Expected::label(Lbl::Expression), lk.span(i)));
        };
        if t.kind == K::Async && lk.is(i + 1, K::Function) {
            return Err(PErr::new(Expected::label(Lbl::Expression), lk.span(i)));
        }
        let Some(mut e) = literal_expr(t, lk.text(t)) else {
            return Err(PErr::new(Expected::label(Lbl::Expression), lk.span(i)));
        };
        inp.skip();
        let mut j = i + 1;
        while let Some(prop) = lk.member_name_at(j) {
            inp.skip();
            inp.skip();
            let span = e.span.to(prop.span);
            e = apply_tail(e, Tail::Member(prop, false), span);
            j += 2;
        }
        Ok(e)
    });

    let template = templates(lk, expr.clone());

    // `[a, , ...b]`.
    let array_elem = choice((
        tok(K::DotDotDot)
            .ignore_then(assign.clone())
            .map(ArrayElem::Spread),
        assign.clone().map(ArrayElem::Expr),
    ));
    let array_lit = tok(K::LBracket)
        .ignore_then(
            not_at(lk, K::RBracket)
                .ignore_then(array_elem)
                .or_not()
                .separated_by(tok(K::Comma))
                .collect::<Vec<_>>(),
        )
        .then_ignore(tok(K::RBracket))
        .labelled(Lbl::ArrayLit)
        .as_context()
        .map_with(move |mut items, e| {
            if matches!(items.last(), Some(None)) {
                items.pop();
            }
            Expr {
                kind: ExprKind::Array(
                    items
                        .into_iter()
                        .map(|i| i.unwrap_or(ArrayElem::Hole))
                        .collect(),
                ),
                span: span(e),
            }
        })
        .boxed();

    // Object literals.
    let method = move |key: PropKey,
                       is_async: bool,
                       is_generator: bool,
                       (params, body): (Vec<Param>, Vec<Stmt>),
                       s: Span| {
        let name = match &key {
            PropKey::Ident(id) => Some(id.clone()),
            _ => None,
        };
        (
            key,
            Function {
                name,
                params,
                body: FunctionBody::Block(body),
                is_arrow: false,
                is_async,
                is_generator,
                span: s,
            },
        )
    };
    let accessor_guard = |k: K| {
        guard(lk, move |lk, i| {
            lk.is(i, k)
                && !matches!(
                    lk.kind(i + 1),
                    Some(K::LParen | K::Colon | K::Comma | K::RBrace | K::Lt | K::Eq) | None
                )
        })
    };
    // Spreads, accessors, async and generator methods start with a marker token; checking
    // for it first keeps the common `key: value` cheap.
    let special_prop_at = |lk: &Lk<'a>, i: usize| match lk.kind(i) {
        Some(K::DotDotDot | K::Star) => true,
        Some(K::Get | K::Set | K::Async) => !matches!(
            lk.kind(i + 1),
            Some(K::LParen | K::Colon | K::Comma | K::RBrace | K::Lt | K::Eq) | None
        ),
        _ => false,
    };
    let special = choice((
        tok(K::DotDotDot)
            .ignore_then(assign.clone())
            .map(Prop::Spread),
        accessor_guard(K::Get)
            .ignore_then(tok(K::Get))
            .ignore_then(prop_key.clone())
            .then(func_rest.clone())
            .map_with(move |(key, rest), e| {
                let (key, func) = method(key, false, false, rest, span(e));
                Prop::Getter {
                    key,
                    func: Box::new(func),
                }
            }),
        accessor_guard(K::Set)
            .ignore_then(tok(K::Set))
            .ignore_then(prop_key.clone())
            .then(func_rest.clone())
            .map_with(move |(key, rest), e| {
                let (key, func) = method(key, false, false, rest, span(e));
                Prop::Setter {
                    key,
                    func: Box::new(func),
                }
            }),
        accessor_guard(K::Async)
            .ignore_then(tok(K::Async))
            .ignore_then(tok(K::Star).or_not())
            .then(prop_key.clone())
            .then(func_rest.clone())
            .map_with(move |((star, key), rest), e| {
                let (key, func) = method(key, true, star.is_some(), rest, span(e));
                Prop::Method {
                    key,
                    func: Box::new(func),
                }
            }),
        tok(K::Star)
            .ignore_then(prop_key.clone())
            .then(func_rest.clone())
            .map_with(move |(key, rest), e| {
                let (key, func) = method(key, false, true, rest, span(e));
                Prop::Method {
                    key,
                    func: Box::new(func),
                }
            }),
    ));
    // `key: 'literal'` and shorthand `key` read directly (options objects are full of them).
    let simple_prop = custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if !direct_paths() {
            return Err(PErr::new(Expected::default(), lk.span(i)));
        }
        let fail = || Err(PErr::new(Expected::default(), lk.span(i)));
        let Some(t) = lk.toks.get(i) else {
            return fail();
        };
        let after = lk.kind(i + 1);
        if matches!(after, Some(K::Comma | K::RBrace))
            && t.kind.is_ident_like()
            && !matches!(t.kind, K::Yield | K::Await)
        {
            inp.skip();
            return Ok(Prop::Shorthand(Ident {
                name: ident_value(lk.text(t)),
                span: t.span,
            }));
        }
        if after != Some(K::Colon)
            || !(t.kind.is_ident_name() || t.kind == K::Str)
            || t.col0 && matches!(t.kind, K::Export | K::Import)
        {
            return fail();
        }
        let Some((value, end)) = lk
            .simple_expr_at(i + 2)
            .filter(|&(_, end)| matches!(lk.kind(end), Some(K::Comma | K::RBrace)))
        else {
            return fail();
        };
        let key = if t.kind == K::Str {
            PropKey::Str(StrLit {
                value: string_value(lk.text(t)),
                span: t.span,
            })
        } else {
            PropKey::Ident(Ident {
                name: ident_value(lk.text(t)),
                span: t.span,
            })
        };
        for _ in i..end {
            inp.skip();
        }
        Ok(Prop::KeyValue { key, value })
    });
    let prop = choice((
        simple_prop,
        guard(lk, move |lk, i| !special_prop_at(lk, i)).ignore_then(
            prop_key
                .clone()
                .then(choice((
                    tok(K::Colon)
                        .ignore_then(assign.clone())
                        .map(|v| (1u8, Some(v), None)),
                    func_rest.clone().map(|r| (2u8, None, Some(r))),
                    tok(K::Eq)
                        .ignore_then(assign.clone())
                        .map(|v| (3u8, Some(v), None)),
                    empty().to((0u8, None, None)),
                )))
                .validate(move |(key, (what, value, rest)), e, emitter| {
                    let s = span(e);
                    match (what, key, value, rest) {
                        (1, key, Some(value), _) => Prop::KeyValue { key, value },
                        (2, key, _, Some(rest)) => {
                            let (key, func) = method(key, false, false, rest, s);
                            Prop::Method {
                                key,
                                func: Box::new(func),
                            }
                        }
                        // `{ a = 1 }` is only valid as a destructuring target; keep it as an
                        // assignment so converting the object to a pattern finds the default.
                        (3, PropKey::Ident(id), Some(value), _) => Prop::KeyValue {
                            key: PropKey::Ident(id.clone()),
                            value: Expr {
                                span: s,
                                kind: ExprKind::Assign {
                                    op: AssignOp::Assign,
                                    target: Box::new(Pattern {
                                        span: id.span,
                                        kind: PatternKind::Ident(id),
                                    }),
                                    value: Box::new(value),
                                },
                            },
                        },
                        (_, PropKey::Ident(id), _, _) if !lexer::is_reserved_word(&id.name) => {
                            Prop::Shorthand(id)
                        }
                        (_, key, _, _) => {
                            emitter.emit(PErr::custom(
                                e.span(),
                                "expected `:` after this property name".into(),
                                "expected `:` and a value",
                                Some("write `key: value`"),
                            ));
                            Prop::KeyValue {
                                key,
                                value: Expr {
                                    kind: ExprKind::Error,
                                    span: s,
                                },
                            }
                        }
                    }
                }),
        ),
        special,
    ))
    .boxed();
    let object_lit = tok(K::LBrace)
        .ignore_then(
            not_at(lk, K::RBrace)
                .ignore_then(prop)
                .separated_by(tok(K::Comma))
                .allow_trailing()
                .collect::<Vec<_>>(),
        )
        .then_ignore(tok(K::RBrace))
        .labelled(Lbl::ObjectLit)
        .as_context()
        .map_with(move |props, e| Expr {
            kind: ExprKind::Object(props),
            span: span(e),
        })
        .boxed();

    // `function` expressions.
    let function_expr = guard(lk, |lk, i| {
        lk.is(i, K::Function)
            || (lk.is(i, K::Async) && lk.is(i + 1, K::Function) && lk.same_line(i + 1))
    })
    .ignore_then(tok(K::Async).or_not())
    .then_ignore(tok(K::Function))
    .then(tok(K::Star).or_not())
    .then(ident().or_not())
    .then(func_rest.clone())
    .map_with(move |(((a, star), name), (params, body)), e| {
        let s = span(e);
        Expr {
            span: s,
            kind: ExprKind::Function(Box::new(Function {
                name,
                params,
                body: FunctionBody::Block(body),
                is_arrow: false,
                is_async: a.is_some(),
                is_generator: star.is_some(),
                span: s,
            })),
        }
    })
    .boxed();

    // `(a, 'b', c.d)`: arguments that are all simple expressions, read directly.
    let simple_args = custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if !direct_paths() {
            return Err(PErr::new(Expected::default(), lk.span(i)));
        }
        let fail = || Err(PErr::new(Expected::default(), lk.span(i)));
        if !lk.is(i, K::LParen) {
            return fail();
        }
        let mut args = Vec::with_capacity(lk.list_len(i));
        let mut j = i + 1;
        loop {
            if lk.is(j, K::RParen) {
                break;
            }
            let Some((e, end)) = lk.simple_expr_at(j) else {
                return fail();
            };
            args.push(Arg::Expr(e));
            match lk.kind(end) {
                Some(K::Comma) => j = end + 1,
                Some(K::RParen) => {
                    j = end;
                    break;
                }
                _ => return fail(),
            }
        }
        for _ in i..=j {
            inp.skip();
        }
        Ok(args)
    });
    let args = tok(K::LParen)
        .ignore_then(
            not_at(lk, K::RParen)
                .ignore_then(choice((
                    tok(K::DotDotDot)
                        .ignore_then(assign.clone())
                        .map(Arg::Spread),
                    assign.clone().map(Arg::Expr),
                )))
                .separated_by(tok(K::Comma))
                .allow_trailing()
                .collect::<Vec<_>>(),
        )
        .then_ignore(tok(K::RParen))
        .labelled(Lbl::Call)
        .as_context();
    let args = simple_args.or(args).boxed();

    // The member chain: `a.b[c](d)`, `a?.b`, ``tag`x` ``, `f<T>(x)`, `x!`, and `new`.
    let index = tok(K::LBracket)
        .ignore_then(expr.clone())
        .then_ignore(tok(K::RBracket))
        .labelled(Lbl::Index)
        .as_context()
        .boxed();
    let private_name = take(Lbl::PropertyName, |t: &Token<'a>, text: &'a str| {
        (t.kind == K::PrivateName).then(|| Ident {
            name: lexer::atom(text),
            span: t.span,
        })
    });
    let dot_member = custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if !direct_paths() {
            return Err(PErr::new(Expected::default(), lk.span(i)));
        }
        match lk.member_name_at(i) {
            Some(prop) => {
                inp.skip();
                inp.skip();
                Ok(Tail::Member(prop, false))
            }
            None => Err(PErr::new(Expected::token(K::Dot), lk.span(i))),
        }
    })
    .boxed();
    // Only reached for a `.` not followed by a name: reports "expected a property name".
    let bad_dot = tok(K::Dot)
        .ignore_then(choice((name(), private_name)))
        .map(|n| Tail::Member(n, false))
        .boxed();
    let non_null = guard(lk, |lk, i| lk.is(i, K::Bang) && lk.same_line(i))
        .ignore_then(tok(K::Bang))
        .to(Tail::Nothing)
        .boxed();
    // `f<T>(x)` / ``sql<T>`...` `` / `f<T>` (instantiation): only when what follows the `>`
    // makes the `<` unlikely to be a comparison.
    let after_type_args = guard(lk, |lk, i| {
        lk.toks.get(i).is_none_or(|t| {
            t.nl_before
                || matches!(
                    t.kind,
                    K::RParen
                        | K::RBracket
                        | K::Comma
                        | K::Semi
                        | K::RBrace
                        | K::Dot
                        | K::QuestionDot
                )
        })
    });
    let generic = guard(lk, |lk, i| lk.is(i, K::Lt))
        .ignore_then(type_args.clone())
        .ignore_then(choice((
            args.clone().map(|a| Tail::Call(a, false)),
            template.clone().map(Tail::Tagged),
            after_type_args.to(Tail::Nothing),
        )))
        .boxed();
    let postfix_update = guard(lk, |lk, i| {
        matches!(lk.kind(i), Some(K::PlusPlus | K::MinusMinus)) && lk.same_line(i)
    })
    .ignore_then(take(Lbl::Expression, |t: &Token<'a>, _: &'a str| {
        Some(if t.kind == K::PlusPlus {
            UpdateOp::Inc
        } else {
            UpdateOp::Dec
        })
    }))
    .boxed();
    let tail_start = |lk: &Lk<'a>, i: usize| lk.tail_at(i);
    let member_tail = guard(lk, tail_start)
        .ignore_then(choice((
            dot_member.clone(),
            index.clone().map(|i| Tail::Index(i, false)),
            template.clone().map(Tail::Tagged),
            non_null.clone(),
            bad_dot.clone(),
        )))
        .boxed();
    let call_tail = guard(lk, tail_start)
        .ignore_then(choice((
            dot_member,
            args.clone().map(|a| Tail::Call(a, false)),
            tok(K::QuestionDot)
                .ignore_then(choice((
                    name().map(|n| Tail::Member(n, true)),
                    index.clone().map(|i| Tail::Index(i, true)),
                    type_args
                        .clone()
                        .or_not()
                        .ignore_then(args.clone())
                        .map(|a| Tail::Call(a, true)),
                )))
                .boxed(),
            index.map(|i| Tail::Index(i, false)),
            template.clone().map(Tail::Tagged),
            generic,
            non_null,
            postfix_update.map(Tail::Update),
            bad_dot,
        )))
        .boxed();

    let paren = tok(K::LParen)
        .ignore_then(expr.clone())
        .then_ignore(tok(K::RParen))
        .labelled(Lbl::Paren)
        .as_context()
        .boxed();
    let import_expr = tok(K::Import)
        .ignore_then(choice((
            tok(K::Dot)
                .ignore_then(take(Lbl::Identifier, |_: &Token<'a>, text: &'a str| {
                    (text == "meta").then_some(())
                }))
                .to(ExprKind::ImportMeta),
            args.clone().map(ExprKind::ImportCall),
        )))
        .map_with(move |kind, e| Expr {
            kind,
            span: span(e),
        })
        .boxed();

    // Primary expressions, `new`, decorators and classes (bodies skipped).
    let mut class_slot: Option<(Bx<'a, Expr>, Bx<'a, ()>, Bx<'a, ClassDecl>)> = None;
    let primary = recursive(|primary: Rec<'a, Expr>| {
        let new_expr = recursive(|new_expr: Rec<'a, Expr>| {
            tok(K::New)
                .ignore_then(choice((
                    // `new.target`: read as the name `new.target` (see `Evaluator::lookup`).
                    tok(K::Dot).ignore_then(name()).validate(|n, e, emitter| {
                        if n.name != "target" {
                            emitter.emit(PErr::custom(
                                e.span(),
                                format!("`new.{}` is not JavaScript", n.name),
                                "expected `new.target`",
                                None,
                            ));
                            return (None, Vec::new(), true);
                        }
                        let target = Expr {
                            kind: ExprKind::Ident("new.target".into()),
                            span: e.span(),
                        };
                        (Some(target), Vec::new(), true)
                    }),
                    choice((new_expr.clone(), primary.clone()))
                        .foldl_with(member_tail.clone().repeated(), move |obj, t, e| {
                            apply_tail(obj, t, span(e))
                        })
                        .then_ignore(type_args.clone().or_not())
                        .then(args.clone().or_not())
                        .map(|(callee, args)| (Some(callee), args.unwrap_or_default(), false)),
                )))
                .map_with(move |(callee, args, special), e| match callee {
                    Some(callee) if !special => Expr {
                        kind: ExprKind::New {
                            callee: Box::new(callee),
                            args: args.into_boxed_slice(),
                        },
                        span: span(e),
                    },
                    // `new.target`
                    Some(target) => Expr {
                        span: span(e),
                        ..target
                    },
                    _ => Expr {
                        kind: ExprKind::Error,
                        span: span(e),
                    },
                })
                .boxed()
        });
        // Inside the recursion `primary` is a weak handle; the strong one is used for `lhs`
        // below, which keeps it alive.
        let lhs = choice((new_expr.clone(), primary.clone()))
            .labelled(Lbl::Expression)
            .foldl_with(call_tail.clone().repeated(), move |obj, t, e| {
                apply_tail(obj, t, span(e))
            })
            .boxed();
        let decorators = tok(K::At)
            .ignore_then(lhs.clone())
            .repeated()
            .ignored()
            .boxed();
        // Class bodies, member by member. Members that are only types are read and left out:
        // index signatures, overloads and abstract methods (no body), `declare` and `abstract`
        // fields.
        let method_head = type_params
            .clone()
            .or_not()
            .ignore_then(params.clone())
            .then_ignore(ret_annot.clone().or_not())
            .then(fn_body.clone().or_not())
            .boxed();
        let member_modifiers = custom(move |inp: &mut Inp<'a, '_>| {
            let (mut is_static, mut type_only) = (false, false);
            loop {
                let i = pos(inp);
                let Some(k) = lk.kind(i) else { break };
                if !matches!(
                    k,
                    K::Static
                        | K::Public
                        | K::Private
                        | K::Protected
                        | K::Readonly
                        | K::Abstract
                        | K::Override
                        | K::Declare
                        | K::Accessor
                ) {
                    break;
                }
                // A modifier is followed by the member's name (or by `{` after `static`: a
                // static block); otherwise it is the name (`static() {}`, `readonly = 1`).
                let names_member = match lk.kind(i + 1) {
                    None
                    | Some(
                        K::LParen
                        | K::Eq
                        | K::Semi
                        | K::Colon
                        | K::Question
                        | K::Bang
                        | K::RBrace
                        | K::Lt,
                    ) => false,
                    Some(K::LBrace) => k == K::Static,
                    Some(_) => true,
                };
                if !names_member {
                    break;
                }
                is_static |= k == K::Static;
                type_only |= matches!(k, K::Declare | K::Abstract);
                inp.skip();
            }
            Ok((is_static, type_only))
        });
        let member_key = choice((
            take(Lbl::PropertyName, |t, text| {
                (t.kind == K::PrivateName).then(|| {
                    PropKey::Ident(Ident {
                        name: ident_value(text),
                        span: t.span,
                    })
                })
            }),
            prop_key.clone(),
        ))
        .boxed();
        type Member = Option<(Option<PropKey>, ClassMemberKind)>;
        let function = move |key: PropKey,
                             is_async: bool,
                             is_generator: bool,
                             (params, body): (Vec<Param>, Option<Vec<Stmt>>),
                             s: Span| {
            body.map(|body| {
                let (key, func) = method(key, is_async, is_generator, (params, body), s);
                (key, Box::new(func))
            })
        };
        let member_body = choice((
            guard(lk, |lk, i| lk.is(i, K::LBrace))
                .ignore_then(fn_body.clone())
                .map(|b| -> Member { Some((None, ClassMemberKind::StaticBlock(b))) }),
            // `[key: string]: T;`
            guard(lk, |lk, i| lk.is(i, K::LBracket) && lk.is(i + 2, K::Colon))
                .ignore_then(skip_balanced(lk, K::LBracket, Lbl::Index))
                .ignore_then(tok(K::Colon).ignore_then(ty.clone()).or_not())
                .to(None),
            accessor_guard(K::Get)
                .ignore_then(tok(K::Get))
                .ignore_then(member_key.clone())
                .then(method_head.clone())
                .map_with(move |(key, head), e| -> Member {
                    function(key, false, false, head, span(e))
                        .map(|(k, f)| (Some(k), ClassMemberKind::Getter(f)))
                }),
            accessor_guard(K::Set)
                .ignore_then(tok(K::Set))
                .ignore_then(member_key.clone())
                .then(method_head.clone())
                .map_with(move |(key, head), e| -> Member {
                    function(key, false, false, head, span(e))
                        .map(|(k, f)| (Some(k), ClassMemberKind::Setter(f)))
                }),
            accessor_guard(K::Async)
                .ignore_then(tok(K::Async))
                .ignore_then(tok(K::Star).or_not())
                .then(member_key.clone())
                .then(method_head.clone())
                .map_with(move |((star, key), head), e| -> Member {
                    function(key, true, star.is_some(), head, span(e))
                        .map(|(k, f)| (Some(k), ClassMemberKind::Method(f)))
                }),
            tok(K::Star)
                .ignore_then(member_key.clone())
                .then(method_head.clone())
                .map_with(move |(key, head), e| -> Member {
                    function(key, false, true, head, span(e))
                        .map(|(k, f)| (Some(k), ClassMemberKind::Method(f)))
                }),
            member_key
                .clone()
                .then_ignore(choice((tok(K::Question), tok(K::Bang))).or_not())
                .then(choice((
                    method_head.clone().map(Ok),
                    tok(K::Colon)
                        .ignore_then(ty.clone())
                        .or_not()
                        .ignore_then(tok(K::Eq).ignore_then(assign.clone()).or_not())
                        .map(Err),
                )))
                .map_with(move |(key, what), e| -> Member {
                    match what {
                        Ok(head) => function(key, false, false, head, span(e))
                            .map(|(k, f)| (Some(k), ClassMemberKind::Method(f))),
                        Err(init) => Some((Some(key), ClassMemberKind::Field(init))),
                    }
                }),
        ));
        let class_member = decorators
            .clone()
            .ignore_then(member_modifiers)
            .then(member_body)
            .map_with(move |((is_static, type_only), member), e| {
                let s = span(e);
                member
                    .filter(|_| !type_only)
                    .map(|(key, kind)| ClassMember {
                        key: key.unwrap_or(PropKey::Ident(Ident {
                            name: "static".into(),
                            span: s,
                        })),
                        is_static,
                        kind,
                        span: s,
                    })
            });
        let class_body = choice((
            // An unclosed body is reported by the skip below.
            guard(lk, |lk, i| lk.close_of(i).is_some())
                .ignore_then(tok(K::LBrace))
                .ignore_then(
                    choice((
                        tok(K::Semi).to(None),
                        not_at(lk, K::RBrace).ignore_then(class_member),
                    ))
                    .repeated()
                    .collect::<Vec<_>>(),
                )
                .then_ignore(tok(K::RBrace))
                .map(|members| Some(members.into_iter().flatten().collect::<Vec<_>>())),
            // What the member grammar does not read is skipped as before.
            skip_balanced(lk, K::LBrace, Lbl::ClassBody).to(None),
        ))
        .boxed();
        let class = decorators
            .clone()
            .ignore_then(tok(K::Abstract).or_not())
            .ignore_then(tok(K::Class))
            .ignore_then(
                guard(lk, |lk, i| !lk.is(i, K::Implements))
                    .ignore_then(ident())
                    .or_not(),
            )
            .then_ignore(type_params.clone().or_not())
            .then(
                tok(K::Extends)
                    .ignore_then(lhs.clone())
                    .then_ignore(type_args.clone().or_not())
                    .or_not(),
            )
            .then_ignore(
                tok(K::Implements)
                    .ignore_then(ty.clone().separated_by(tok(K::Comma)).at_least(1))
                    .or_not(),
            )
            .then(class_body)
            .map_with(move |((name, extends), members), e| ClassDecl {
                name,
                exported: false,
                extends: extends.map(Box::new),
                members,
                span: span(e),
            })
            .boxed();
        class_slot = Some((new_expr.boxed(), decorators, class.clone()));
        // Most frequent first: each failed alternative costs an error value.
        choice((
            guard(lk, |lk, i| {
                !(lk.is(i, K::Async) && lk.is(i + 1, K::Function) && lk.same_line(i + 1))
            })
            .ignore_then(literal.clone()),
            object_lit.clone(),
            array_lit.clone(),
            paren.clone(),
            function_expr.clone(),
            template.clone().map(|t| Expr {
                span: t.span,
                kind: ExprKind::Template(Box::new(t)),
            }),
            class.map(|c| Expr {
                span: c.span,
                kind: ExprKind::Class(Box::new(c)),
            }),
            import_expr.clone(),
        ))
        .boxed()
    });
    let Some((new_expr, decorators, class)) = class_slot else {
        unreachable!("`recursive` calls its closure exactly once")
    };
    let lhs = choice((quick, new_expr, primary.boxed()))
        .labelled(Lbl::Expression)
        .foldl_with(call_tail.repeated(), move |obj, t, e| {
            apply_tail(obj, t, span(e))
        })
        .boxed();

    // Unary operators: prefix chains recurse; `x++` needs the operand on the same line.
    #[derive(Clone, Copy)]
    enum Pre {
        Unary(UnaryOp),
        Update(UpdateOp),
        Await,
        Cast,
    }
    let prefix_op = take(Lbl::Expression, |t: &Token<'a>, _: &'a str| {
        Some(match t.kind {
            K::Bang => Pre::Unary(UnaryOp::Not),
            K::Minus => Pre::Unary(UnaryOp::Neg),
            K::Plus => Pre::Unary(UnaryOp::Plus),
            K::Tilde => Pre::Unary(UnaryOp::BitNot),
            K::Typeof => Pre::Unary(UnaryOp::Typeof),
            K::Void => Pre::Unary(UnaryOp::Void),
            K::Delete => Pre::Unary(UnaryOp::Delete),
            K::PlusPlus => Pre::Update(UpdateOp::Inc),
            K::MinusMinus => Pre::Update(UpdateOp::Dec),
            K::Await => Pre::Await,
            _ => return None,
        })
    })
    .boxed();
    // `<T>x`: a type assertion (generic arrows were tried before this).
    let cast = tok(K::Lt)
        .ignore_then(ty.clone())
        .then_ignore(tok(K::Gt))
        .to(Pre::Cast)
        .boxed();
    let unary = recursive(|unary: Rec<'a, Expr>| {
        let prefixed = guard(lk, |lk, i| {
            matches!(
                lk.kind(i),
                Some(
                    K::Bang
                        | K::Minus
                        | K::Plus
                        | K::Tilde
                        | K::Typeof
                        | K::Void
                        | K::Delete
                        | K::PlusPlus
                        | K::MinusMinus
                        | K::Await
                        | K::Lt
                )
            )
        })
        .ignore_then(choice((prefix_op, cast)))
        .then(unary)
        .map_with(move |(op, arg), e| {
            let arg = Box::new(arg);
            let kind = match op {
                Pre::Unary(op) => ExprKind::Unary { op, arg },
                Pre::Update(op) => ExprKind::Update {
                    op,
                    prefix: true,
                    arg,
                },
                Pre::Await => ExprKind::Await(arg),
                Pre::Cast => return *arg,
            };
            Expr {
                kind,
                span: span(e),
            }
        });
        // A name or literal with no member access or call after it needs no chain parsing.
        let plain = custom(move |inp: &mut Inp<'a, '_>| {
            let i = pos(inp);
            if !direct_paths() {
                return Err(PErr::new(Expected::default(), lk.span(i)));
            }
            if let Some(t) = lk.toks.get(i)
                && !matches!(t.kind, K::Async | K::Yield)
                && !lk.tail_at(i + 1)
                // `!`, `++`, `--` on the next line and `=>` are left to the general grammar.
                && !matches!(
                    lk.kind(i + 1),
                    Some(K::Bang | K::PlusPlus | K::MinusMinus | K::Arrow)
                )
                && let Some(e) = literal_expr(t, lk.text(t))
            {
                inp.skip();
                return Ok(e);
            }
            Err(PErr::new(Expected::default(), lk.span(i)))
        });
        // Plain operands first: they are the common case.
        choice((plain, lhs.clone(), prefixed)).boxed()
    });

    // Binary operators: operands and operators are read as a flat list and folded by
    // precedence afterwards, so each operand costs one operator lookup.
    let operand = unary.map_with(move |x, e| (x, span(e))).boxed();
    let as_type = choice((tok(K::As), tok(K::Satisfies)))
        .ignore_then(choice((tok(K::Const).ignored(), ty.clone())))
        .to(None);
    let operators = operand
        .clone()
        .then(
            guard(lk, |lk, i| binary_op_at(lk, i).is_some())
                .ignore_then(choice((as_type, binary_op(lk).then(operand).map(Some))))
                .repeated()
                .collect::<Vec<_>>(),
        )
        .map(|(first, rest)| fold_binary(first, rest))
        .boxed();

    // `test ? a : b` or `target op= value` after the operators (one lookahead check when
    // neither follows, which is almost always).
    #[derive(Clone)]
    enum After {
        Cond(Expr, Expr),
        Assign(AssignOp, Expr),
    }
    let after = guard(lk, |lk, i| {
        lk.is(i, K::Question) || assign_op_at(lk, i).is_some()
    })
    .ignore_then(choice((
        tok(K::Question)
            .ignore_then(assign.clone())
            .then_ignore(tok(K::Colon))
            .then(assign.clone())
            .map(|(cons, alt)| After::Cond(cons, alt)),
        assign_op(lk)
            .then(assign.clone())
            .map(|(op, value)| After::Assign(op, value)),
    )))
    .or_not();
    let assignment = operators
        .then(after)
        .validate(move |(left, after), e, emitter| match after {
            None => left,
            Some(After::Cond(cons, alt)) => Expr {
                kind: ExprKind::Cond {
                    test: Box::new(left),
                    cons: Box::new(cons),
                    alt: Box::new(alt),
                },
                span: span(e),
            },
            Some(After::Assign(op, value)) => {
                let target_span = left.span;
                let target = expr_to_pattern(left, 0).unwrap_or_else(|bad| {
                    emitter.emit(PErr::custom(
                        bad,
                        "invalid assignment target".into(),
                        "cannot be assigned to",
                        Some("only names, properties and destructuring patterns can be assigned"),
                    ));
                    Pattern {
                        kind: PatternKind::Error,
                        span: target_span,
                    }
                });
                Expr {
                    kind: ExprKind::Assign {
                        op,
                        target: Box::new(target),
                        value: Box::new(value),
                    },
                    span: span(e),
                }
            }
        })
        .boxed();

    // Arrow functions.
    let arrow_params = choice((
        ident().map(|id| {
            vec![Param {
                span: id.span,
                pattern: Pattern {
                    span: id.span,
                    kind: PatternKind::Ident(id),
                },
                default: None,
                rest: false,
                property: false,
            }]
        }),
        type_params
            .clone()
            .or_not()
            .ignore_then(params.clone())
            .then_ignore(ret_annot.clone().or_not()),
    ));
    let arrow_body = choice((
        block.clone().map(FunctionBody::Block),
        assign.clone().map(|e| FunctionBody::Expr(Box::new(e))),
    ));
    let arrow = choice((
        guard(lk, |lk, i| {
            lk.is(i, K::Async) && lk.same_line(i + 1) && lk.arrow_at(i + 1)
        })
        .ignore_then(tok(K::Async))
        .to(true),
        empty().to(false),
    ))
    .then(arrow_params)
    .then_ignore(guard(lk, |lk, i| lk.same_line(i)))
    .then_ignore(tok(K::Arrow))
    .then(arrow_body)
    .map_with(move |((is_async, params), body), e| {
        let s = span(e);
        Expr {
            span: s,
            kind: ExprKind::Function(Box::new(Function {
                name: None,
                params,
                body,
                is_arrow: true,
                is_async,
                is_generator: false,
                span: s,
            })),
        }
    })
    .boxed();

    let yield_expr = tok(K::Yield)
        .ignore_then(
            guard(lk, |lk, i| {
                lk.same_line(i)
                    && lk
                        .kind(i)
                        .is_some_and(|k| starts_expression(k) || k == K::Star)
            })
            .ignore_then(tok(K::Star).or_not())
            .then(assign.clone())
            .or_not(),
        )
        .map_with(move |arg, e| Expr {
            kind: ExprKind::Yield {
                delegate: arg.as_ref().is_some_and(|(star, _)| star.is_some()),
                arg: arg.map(|(_, a)| Box::new(a)),
            },
            span: span(e),
        })
        .boxed();

    // A lone name or literal before `,`, `)`, `]`, `}` or `;` (call arguments, property
    // values, array elements): by far the most common expression in schemas, so it skips
    // the operator machinery.
    let lone = custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        match lk.simple_expr_at(i) {
            Some((e, end)) => {
                for _ in i..end {
                    inp.skip();
                }
                Ok(e)
            }
            None => Err(PErr::new(Expected::default(), lk.span(i))),
        }
    });
    // Arrows and `yield` are rare: one lookahead check rules both out.
    let arrow_or_yield = |lk: &Lk<'a>, i: usize| {
        lk.is(i, K::Yield)
            || lk.arrow_at(i)
            || (lk.is(i, K::Async) && lk.same_line(i + 1) && lk.arrow_at(i + 1))
    };
    // The guard succeeds for ordinary expressions, so they cost no failed attempt.
    let assign_parser = choice((
        lone,
        guard(lk, move |lk, i| !arrow_or_yield(lk, i)).ignore_then(assignment.clone()),
        // `(x) : y` in a conditional looks like an arrow's return type, so an arrow that
        // does not work out is read as an ordinary expression after all.
        guard(lk, arrow_or_yield).ignore_then(choice((arrow, yield_expr, assignment))),
    ))
    .boxed();

    let shared = Shared {
        ty,
        pat,
        type_params,
        object_type,
        params,
        ret_annot,
        fn_body,
        lhs,
        decorators,
        class,
    };
    (assign_parser, shared)
}

/// A name or literal token as an expression.
fn literal_expr(t: &Token<'_>, text: &str) -> Option<Expr> {
    let kind = match t.kind {
        K::Num => ExprKind::Number(number_value(text)),
        K::BigInt => ExprKind::BigInt(lexer::atom(text.strip_suffix('n').unwrap_or(text))),
        K::Str => ExprKind::Str(string_value(text)),
        K::True => ExprKind::Bool(true),
        K::False => ExprKind::Bool(false),
        K::Null => ExprKind::Null,
        K::This => ExprKind::This,
        // TODO(ast): there is no `Super` expression; `super` becomes a name (it only appears
        // in method bodies, which rarely matter to schemas).
        K::Super => ExprKind::Ident("super".into()),
        K::Regex => {
            let body = text.get(1..).unwrap_or("");
            match body.rfind('/') {
                Some(end) if !t.unterminated => ExprKind::Regex {
                    pattern: body[..end].into(),
                    flags: body[end + 1..].into(),
                },
                _ => ExprKind::Regex {
                    pattern: body.into(),
                    flags: Atom::default(),
                },
            }
        }
        // Already reported by the lexer.
        K::Invalid => ExprKind::Error,
        // `await` is an operator in modules, never a name.
        K::Await => return None,
        k if k.is_ident_like() => ExprKind::Ident(ident_value(text)),
        _ => return None,
    };
    Some(Expr { kind, span: t.span })
}

/// Template literals: `` `a${b}c` ``.
fn templates<'a>(lk: Lk<'a>, expr: Bx<'a, Expr>) -> Bx<'a, Template> {
    let src = lk.src;
    choice((
        tok(K::Template).map(|t| {
            let quasis = vec![template_value(&t, t.text(src))];
            Template {
                raw: raw_pieces(&quasis, vec![template_raw(&t, t.text(src))]),
                quasis,
                exprs: Vec::new(),
                span: t.span,
            }
        }),
        tok(K::TemplateHead)
            .then(expr.clone())
            .then(
                tok(K::TemplateMiddle)
                    .then(expr)
                    .repeated()
                    .collect::<Vec<_>>(),
            )
            .then(tok(K::TemplateTail))
            .labelled(Lbl::TemplateSubst)
            .as_context()
            .map(|(((head, first), rest), tail)| {
                let mut quasis = vec![template_value(&head, head.text(src))];
                let mut raw = vec![template_raw(&head, head.text(src))];
                let mut exprs = vec![first];
                for (mid, e) in rest {
                    quasis.push(template_value(&mid, mid.text(src)));
                    raw.push(template_raw(&mid, mid.text(src)));
                    exprs.push(e);
                }
                quasis.push(template_value(&tail, tail.text(src)));
                raw.push(template_raw(&tail, tail.text(src)));
                Template {
                    raw: raw_pieces(&quasis, raw),
                    quasis,
                    exprs,
                    span: head.span.to(tail.span),
                }
            }),
    ))
    .boxed()
}

/// A template's raw pieces where any differs from its cooked one (see [`template_raw`]).
fn raw_pieces(quasis: &[Atom], raw: Vec<Option<Atom>>) -> Option<Box<[Atom]>> {
    if raw.iter().all(Option::is_none) {
        return None;
    }
    Some(
        raw.into_iter()
            .zip(quasis)
            .map(|(r, q)| r.unwrap_or_else(|| q.clone()))
            .collect(),
    )
}

/// Parameter lists: `(a, b?: T, { c } = {}, ...rest: U[])`, with `this: T` and constructor
/// parameter modifiers accepted and dropped.
fn params<'a>(
    lk: Lk<'a>,
    pat: Bx<'a, Pattern>,
    ty: Bx<'a, ()>,
    assign: Bx<'a, Expr>,
) -> Bx<'a, Vec<Param>> {
    let modifier = guard(lk, |lk, i| {
        matches!(
            lk.kind(i),
            Some(K::Public | K::Private | K::Protected | K::Readonly | K::Override)
        ) && lk
            .kind(i + 1)
            .is_some_and(|k| k.is_ident_like() || matches!(k, K::LBrace | K::LBracket))
    })
    .ignore_then(take(Lbl::Identifier, |_, _| Some(())));
    let decorator = tok(K::At).ignore_then(
        name().separated_by(tok(K::Dot)).at_least(1).then(
            tok(K::LParen)
                .ignore_then(assign.clone().separated_by(tok(K::Comma)).allow_trailing())
                .then_ignore(tok(K::RParen))
                .or_not(),
        ),
    );
    // A bare name (`(t) => ...`, `(a, b)`) needs none of the machinery below.
    let simple = custom(move |inp: &mut Inp<'a, '_>| {
        let i = pos(inp);
        if !direct_paths() {
            return Err(PErr::new(Expected::default(), lk.span(i)));
        }
        match lk.toks.get(i) {
            Some(t)
                if t.kind.is_ident_like()
                    && !matches!(
                        t.kind,
                        K::Public | K::Private | K::Protected | K::Readonly | K::Override
                    )
                    && matches!(lk.kind(i + 1), Some(K::Comma | K::RParen)) =>
            {
                inp.skip();
                let id = Ident {
                    name: ident_value(lk.text(t)),
                    span: t.span,
                };
                Ok(Some(Param {
                    span: t.span,
                    pattern: Pattern {
                        span: t.span,
                        kind: PatternKind::Ident(id),
                    },
                    default: None,
                    rest: false,
                    property: false,
                }))
            }
            _ => Err(PErr::new(Expected::default(), lk.span(i))),
        }
    });
    let param = decorator
        .repeated()
        .ignore_then(modifier.repeated().count())
        .then(choice((
            tok(K::This)
                .then(tok(K::Colon).ignore_then(ty.clone()).or_not())
                .to(None),
            tok(K::DotDotDot)
                .or_not()
                .then(pat)
                .then_ignore(tok(K::Question).or_not())
                .then_ignore(tok(K::Colon).ignore_then(ty).or_not())
                .then(tok(K::Eq).ignore_then(assign).or_not())
                .map_with(|((rest, pattern), default), e| {
                    Some(Param {
                        pattern,
                        default: default.map(Box::new),
                        rest: rest.is_some(),
                        property: false,
                        span: (e.span()),
                    })
                }),
        )))
        .map(|(modifiers, p)| {
            p.map(|p| Param {
                property: modifiers > 0,
                ..p
            })
        });
    tok(K::LParen)
        .ignore_then(
            not_at(lk, K::RParen)
                .ignore_then(choice((simple, param)))
                .separated_by(tok(K::Comma))
                .allow_trailing()
                .collect::<Vec<_>>(),
        )
        .then_ignore(tok(K::RParen))
        .labelled(Lbl::Params)
        .as_context()
        .map(|ps| ps.into_iter().flatten().collect())
        .boxed()
}

/// The parsers of the type grammar that the rest of the grammar uses.
struct TypeParsers<'a> {
    ty: Bx<'a, ()>,
    /// `<T extends X = Y, ...>`.
    type_params: Bx<'a, ()>,
    /// `<A, B>`.
    type_args: Bx<'a, ()>,
    /// `{ a: T; m(): U }` (interface bodies).
    object_type: Bx<'a, ()>,
    /// A return type, which may be a type predicate (`x is T`, `asserts x`).
    ret_type: Bx<'a, ()>,
}

/// The type grammar (`ty` is its recursive handle).
fn types<'a>(
    lk: Lk<'a>,
    ty: Bx<'a, ()>,
    pat: Bx<'a, Pattern>,
    prop_key: Bx<'a, PropKey>,
    assign: Bx<'a, Expr>,
) -> TypeParsers<'a> {
    let annot = tok(K::Colon).ignore_then(ty.clone()).boxed();
    let type_args = tok(K::Lt)
        .ignore_then(
            ty.clone()
                .separated_by(tok(K::Comma))
                .allow_trailing()
                .at_least(1),
        )
        .then_ignore(tok(K::Gt))
        .ignored()
        .boxed();
    let type_param = tok(K::Const)
        .or_not()
        .ignore_then(tok(K::In).or_not())
        .ignore_then(
            guard(lk, |lk, i| {
                lk.toks.get(i).is_some_and(|t| lk.text(t) == "out")
                    && lk.kind(i + 1).is_some_and(K::is_ident_like)
            })
            .ignore_then(ident())
            .or_not(),
        )
        .ignore_then(ident())
        .ignore_then(tok(K::Extends).ignore_then(ty.clone()).or_not())
        .ignore_then(tok(K::Eq).ignore_then(ty.clone()).or_not());
    let type_params = tok(K::Lt)
        .ignore_then(
            type_param
                .separated_by(tok(K::Comma))
                .allow_trailing()
                .at_least(1),
        )
        .then_ignore(tok(K::Gt))
        .labelled(Lbl::TypeParams)
        .as_context()
        .ignored()
        .boxed();
    let params = params(lk, pat, ty.clone(), assign);

    // Return types may be type predicates: `x is T`, `asserts x`, `asserts x is T`.
    let predicate_subject = choice((ident().ignored(), tok(K::This).ignored()));
    let ret_type = choice((
        guard(lk, |lk, i| {
            lk.is(i, K::Asserts)
                && lk.same_line(i + 1)
                && lk
                    .kind(i + 1)
                    .is_some_and(|k| k.is_ident_like() || k == K::This)
        })
        .ignore_then(tok(K::Asserts))
        .ignore_then(predicate_subject.clone())
        .ignore_then(tok(K::Is).ignore_then(ty.clone()).or_not())
        .ignored(),
        guard(lk, |lk, i| {
            lk.kind(i)
                .is_some_and(|k| k.is_ident_like() || k == K::This)
                && lk.is(i + 1, K::Is)
                && lk.same_line(i + 1)
        })
        .ignore_then(predicate_subject)
        .ignore_then(tok(K::Is))
        .ignore_then(ty.clone()),
        ty.clone(),
    ))
    .boxed();

    // Object types (interface bodies) and mapped types.
    let sep = choice((
        tok(K::Semi).ignored(),
        tok(K::Comma).ignored(),
        guard(lk, |lk, i| {
            lk.toks
                .get(i)
                .is_none_or(|t| t.nl_before || t.kind == K::RBrace)
        }),
    ));
    let optional = tok(K::Question).or_not();
    let signature = type_params
        .clone()
        .or_not()
        .ignore_then(params.clone())
        .ignore_then(tok(K::Colon).ignore_then(ret_type.clone()).or_not())
        .ignored()
        .boxed();
    let index_signature = guard(lk, |lk, i| {
        lk.is(i, K::LBracket)
            && lk.kind(i + 1).is_some_and(K::is_ident_like)
            && lk.is(i + 2, K::Colon)
    })
    .ignore_then(tok(K::LBracket))
    .ignore_then(ident())
    .ignore_then(annot.clone())
    .ignore_then(tok(K::RBracket))
    .ignore_then(optional.clone())
    .ignore_then(annot.clone().or_not())
    .ignored();
    let modifier_then_key = |k: K| {
        guard(lk, move |lk, i| {
            lk.is(i, k)
                && lk.kind(i + 1).is_some_and(|n| {
                    n.is_ident_name() || matches!(n, K::Str | K::Num | K::LBracket)
                })
        })
        .ignore_then(tok(k))
    };
    let member = choice((
        index_signature.clone(),
        modifier_then_key(K::Readonly)
            .ignore_then(index_signature)
            .ignored(),
        signature.clone(),
        tok(K::New).ignore_then(signature.clone()),
        choice((modifier_then_key(K::Get), modifier_then_key(K::Set)))
            .ignore_then(prop_key.clone())
            .ignore_then(signature.clone()),
        modifier_then_key(K::Readonly)
            .or_not()
            .ignore_then(prop_key.clone())
            .ignore_then(optional.clone())
            .ignore_then(choice((
                signature.clone(),
                annot.clone().or_not().ignored(),
            ))),
    ))
    .boxed();
    let plus_minus = choice((tok(K::Plus), tok(K::Minus))).or_not();
    let mapped = plus_minus
        .clone()
        .then(tok(K::Readonly))
        .or_not()
        .ignore_then(tok(K::LBracket))
        .ignore_then(ident())
        .ignore_then(tok(K::In))
        .ignore_then(ty.clone())
        .ignore_then(tok(K::As).ignore_then(ty.clone()).or_not())
        .ignore_then(tok(K::RBracket))
        .ignore_then(plus_minus.then(tok(K::Question)).or_not())
        .ignore_then(annot.clone().or_not())
        .ignore_then(tok(K::Semi).or_not())
        .ignored();
    let object_type = tok(K::LBrace)
        .ignore_then(choice((
            guard(lk, |lk, i| {
                let j = if matches!(lk.kind(i), Some(K::Plus | K::Minus)) {
                    i + 1
                } else {
                    i
                };
                let j = if lk.is(j, K::Readonly) { j + 1 } else { j };
                lk.is(j, K::LBracket) && lk.is(j + 2, K::In)
            })
            .ignore_then(mapped),
            member.then_ignore(sep).repeated(),
        )))
        .then_ignore(tok(K::RBrace))
        .labelled(Lbl::ObjectType)
        .as_context()
        .ignored()
        .boxed();

    // `[a: string, b?: number, ...rest: T[]]`.
    let tuple_elem = tok(K::DotDotDot)
        .or_not()
        .ignore_then(
            guard(lk, |lk, i| {
                lk.kind(i).is_some_and(K::is_ident_name)
                    && (lk.is(i + 1, K::Colon)
                        || (lk.is(i + 1, K::Question) && lk.is(i + 2, K::Colon)))
            })
            .ignore_then(name())
            .ignore_then(optional.clone())
            .ignore_then(tok(K::Colon))
            .or_not(),
        )
        .ignore_then(ty.clone())
        .ignore_then(optional.clone());
    let tuple = tok(K::LBracket)
        .ignore_then(tuple_elem.separated_by(tok(K::Comma)).allow_trailing())
        .then_ignore(tok(K::RBracket))
        .labelled(Lbl::Tuple)
        .as_context()
        .ignored()
        .boxed();

    let entity = name()
        .ignored()
        .then(tok(K::Dot).ignore_then(name()).repeated())
        .ignored()
        .boxed();
    let import_type = tok(K::Import)
        .ignore_then(tok(K::LParen))
        .ignore_then(string_lit())
        .ignore_then(tok(K::Comma).ignore_then(assign_free_object(lk)).or_not())
        .ignore_then(tok(K::Comma).or_not())
        .ignore_then(tok(K::RParen))
        .ignore_then(tok(K::Dot).ignore_then(entity.clone()).or_not())
        .ignore_then(type_args.clone().or_not())
        .ignored()
        .boxed();
    let typeof_type = tok(K::Typeof)
        .ignore_then(choice((import_type.clone(), entity.clone())))
        .ignore_then(type_args.clone().or_not())
        .ignored()
        .boxed();
    let template_type = choice((
        tok(K::Template).ignored(),
        tok(K::TemplateHead)
            .ignore_then(ty.clone())
            .ignore_then(tok(K::TemplateMiddle).ignore_then(ty.clone()).repeated())
            .ignore_then(tok(K::TemplateTail))
            .labelled(Lbl::TemplateSubst)
            .as_context()
            .ignored(),
    ));
    let literal_type = take(Lbl::Type, |t: &Token<'a>, _: &'a str| {
        matches!(
            t.kind,
            K::Str | K::Num | K::BigInt | K::True | K::False | K::Null | K::Void | K::This
        )
        .then_some(())
    });
    let negative = tok(K::Minus).ignore_then(take(Lbl::Type, |t: &Token<'a>, _: &'a str| {
        matches!(t.kind, K::Num | K::BigInt).then_some(())
    }));
    let infer = tok(K::Infer)
        .ignore_then(ident())
        .ignore_then(
            tok(K::Extends)
                .ignore_then(ty.clone())
                .then_ignore(guard(lk, |lk, i| !lk.is(i, K::Question)))
                .or_not(),
        )
        .ignored();
    let type_ref = entity
        .clone()
        .ignore_then(
            guard(lk, |lk, i| lk.is(i, K::Lt))
                .ignore_then(type_args.clone())
                .or_not(),
        )
        .ignored();
    let paren = tok(K::LParen)
        .ignore_then(ty.clone())
        .then_ignore(tok(K::RParen))
        .labelled(Lbl::Paren)
        .as_context();
    let primary = choice((
        object_type.clone(),
        tuple,
        template_type,
        typeof_type,
        import_type,
        infer,
        literal_type,
        negative,
        type_ref,
        paren,
    ))
    .boxed();
    // `T[]`, `T[K]` (not across a line break: `type A = B\n[1].map()` is two statements).
    let postfix_type = primary
        .then_ignore(
            guard(lk, |lk, i| lk.is(i, K::LBracket) && lk.same_line(i))
                .ignore_then(tok(K::LBracket))
                .ignore_then(ty.clone().or_not())
                .ignore_then(tok(K::RBracket))
                .repeated(),
        )
        .boxed();
    let operator_type = guard(lk, |lk, i| {
        matches!(lk.kind(i), Some(K::Keyof | K::Unique | K::Readonly))
            && lk
                .kind(i + 1)
                .is_some_and(|k| k != K::Colon && k != K::Comma)
    })
    .ignore_then(take(Lbl::Type, |_, _| Some(())))
    .repeated()
    .ignore_then(postfix_type)
    .boxed();
    let intersection = tok(K::Amp)
        .or_not()
        .ignore_then(operator_type.separated_by(tok(K::Amp)).at_least(1))
        .boxed();
    let union = tok(K::Pipe)
        .or_not()
        .ignore_then(intersection.separated_by(tok(K::Pipe)).at_least(1))
        .boxed();
    let function_type = guard(lk, |lk, i| match lk.kind(i) {
        Some(K::LParen) => lk.close_of(i).is_some_and(|j| lk.is(j + 1, K::Arrow)),
        Some(K::Lt) => true,
        _ => false,
    })
    .ignore_then(type_params.clone().or_not())
    .ignore_then(params)
    .ignore_then(tok(K::Arrow))
    .ignore_then(ret_type.clone())
    .boxed();
    let constructor_type = tok(K::Abstract)
        .or_not()
        .ignore_then(tok(K::New))
        .ignore_then(function_type.clone())
        .boxed();
    let conditional = union
        .clone()
        .then_ignore(
            guard(lk, |lk, i| lk.is(i, K::Extends) && lk.same_line(i))
                .ignore_then(tok(K::Extends))
                // The type after `extends` may be a function or constructor type
                // (`U extends (x: infer I) => void ? I : never`), though not a conditional.
                .ignore_then(choice((
                    function_type.clone(),
                    constructor_type.clone(),
                    union,
                )))
                .ignore_then(tok(K::Question))
                .ignore_then(ty.clone())
                .ignore_then(tok(K::Colon))
                .ignore_then(ty.clone())
                .or_not(),
        )
        .boxed();
    let full = choice((function_type, constructor_type, conditional))
        .labelled(Lbl::Type)
        .boxed();
    TypeParsers {
        ty: full,
        type_params,
        type_args,
        object_type,
        ret_type,
    }
}

/// `{ with: { ... } }` import-type options: skipped as balanced braces.
fn assign_free_object<'a>(lk: Lk<'a>) -> Bx<'a, ()> {
    skip_balanced(lk, K::LBrace, Lbl::ObjectLit)
}

#[cfg(test)]
#[path = "tests/parser.rs"]
mod tests;
