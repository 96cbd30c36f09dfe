//! The syntax tree of a TypeScript module, as far as schema files use TypeScript.
//!
//! Types are parsed and dropped: `x as T`, `x!`, `x satisfies T`, `<T>x` become `x`; type
//! annotations, interfaces and type aliases leave no trace beyond a [`StmtKind::TypeDecl`].
//! Every node carries the byte [`Span`] of its source text.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::span::Span;

/// Shared, immutable text of a name or string: each distinct text of a parse is allocated once
/// (the lexer interns them) and the evaluator passes it on without copying.
///
/// A thin pointer (`Arc<Box<str>>`, 8 bytes): names sit in every identifier node and string
/// value, and interning makes the second allocation per distinct text negligible.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Atom(Arc<Box<str>>);

impl Atom {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Atom {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Atom {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Atom {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Atom {
    fn from(s: &str) -> Atom {
        Atom(Arc::new(Box::from(s)))
    }
}

impl From<String> for Atom {
    fn from(s: String) -> Atom {
        Atom(Arc::new(Box::from(s)))
    }
}

impl From<&String> for Atom {
    fn from(s: &String) -> Atom {
        Atom(Arc::new(Box::from(s.as_str())))
    }
}

impl From<&Atom> for Atom {
    fn from(a: &Atom) -> Atom {
        a.clone()
    }
}

impl From<Atom> for String {
    fn from(a: Atom) -> String {
        a.0.to_string()
    }
}

impl PartialEq<str> for Atom {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Atom {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Atom {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

/// A parsed file: its statements in source order and the comments between them (trivia, kept
/// for annotations such as `// @renamed-from`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Module {
    pub body: Vec<Stmt>,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub span: Span,
    /// The comment's text without its delimiters (`//`, `/*`, `*/`).
    pub text: String,
    pub block: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: Atom,
    pub span: Span,
}

/// A string literal with its cooked (escape-decoded) value.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub value: Atom,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `import ... from 'x'`, `import 'x'`, `import type ...`.
    Import(ImportDecl),
    /// `export { a, b as c }`, `export { a as b } from 'x'`, `export * as ns from 'x'`.
    ExportNamed(ExportNamed),
    /// `export * from 'x'`.
    ExportAll(ExportAll),
    /// `export default <expr>` (also `export default function f() {}` / `class`).
    ExportDefault(Expr),
    /// `export = x` (TypeScript CommonJS interop); kept so it can be reported.
    ExportAssign(Expr),
    Var(VarDecl),
    Function(FunctionDecl),
    Class(ClassDecl),
    Enum(EnumDecl),
    /// `namespace N { ... }` with values (an instantiated namespace): an object whose
    /// properties are the body's exported members. A namespace of types only, `declare
    /// namespace` and `module 'x' { }` are a [`StmtKind::TypeDecl`].
    Namespace(NamespaceDecl),
    /// `interface`, `type X = ...`, `declare ...`, `namespace` bodies: no runtime value.
    /// `name` is the declared name where there is one (so `export type { X }` can be ignored).
    TypeDecl {
        name: Option<Ident>,
        exported: bool,
    },
    Expr(Expr),
    Block(Vec<Stmt>),
    If {
        test: Expr,
        cons: Box<Stmt>,
        alt: Option<Box<Stmt>>,
    },
    Return(Option<Expr>),
    Throw(Expr),
    /// `for (init; test; update) body`.
    For {
        init: Option<Box<Stmt>>,
        test: Option<Expr>,
        update: Option<Expr>,
        body: Box<Stmt>,
    },
    /// `for (const x of xs) body` (`of: true`) and `for (const k in obj) body` (`of: false`).
    ForInOf {
        left: ForHead,
        right: Expr,
        body: Box<Stmt>,
        of: bool,
    },
    While {
        test: Expr,
        body: Box<Stmt>,
    },
    DoWhile {
        body: Box<Stmt>,
        test: Expr,
    },
    Break,
    Continue,
    Switch {
        discriminant: Expr,
        cases: Vec<SwitchCase>,
    },
    Try {
        block: Vec<Stmt>,
        param: Option<Pattern>,
        handler: Option<Vec<Stmt>>,
        finalizer: Option<Vec<Stmt>>,
    },
    Empty,
    /// A statement the parser could not read; its error was reported.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ForHead {
    Decl(VarKind, Pattern),
    Pattern(Pattern),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SwitchCase {
    /// `None` for `default:`.
    pub test: Option<Expr>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportDecl {
    pub source: StrLit,
    pub default: Option<Ident>,
    pub namespace: Option<Ident>,
    pub named: Vec<ImportSpec>,
    /// `import type ...`: no runtime binding.
    pub type_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportSpec {
    /// The name exported by the other module (`default` for `import { default as x }`).
    pub imported: Ident,
    pub local: Ident,
    /// `import { type X }`.
    pub type_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportNamed {
    pub specs: Vec<ExportSpec>,
    pub source: Option<StrLit>,
    /// `export type { ... }`.
    pub type_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportSpec {
    /// The local name (or, with a `source`, the other module's export name).
    pub local: Ident,
    /// The name this module exports it as.
    pub exported: Ident,
    pub type_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportAll {
    pub source: StrLit,
    /// `export * as ns from 'x'`.
    pub alias: Option<Ident>,
    pub type_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Const,
    Let,
    Var,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VarDecl {
    pub kind: VarKind,
    pub decls: Vec<VarDeclarator>,
    pub exported: bool,
    /// `declare const x: T;` (no value at run time).
    pub declare: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VarDeclarator {
    pub target: Pattern,
    pub init: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDecl {
    pub func: Function,
    pub exported: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassDecl {
    pub name: Option<Ident>,
    pub exported: bool,
    /// `extends X`, when the heritage is a plain expression.
    pub extends: Option<Box<Expr>>,
    /// The members that have a value (methods, accessors, fields, static blocks); members that
    /// are only types (index signatures, overloads, `declare` and `abstract` members) are left
    /// out. `None` when the body could not be read member by member (it was skipped).
    pub members: Option<Vec<ClassMember>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassMember {
    pub key: PropKey,
    pub is_static: bool,
    pub kind: ClassMemberKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClassMemberKind {
    /// A method; the one named `constructor` (not static) is the constructor.
    Method(Box<Function>),
    Getter(Box<Function>),
    Setter(Box<Function>),
    /// `x = value` or `x: T` (no initializer: `undefined`).
    Field(Option<Expr>),
    /// `static { ... }`.
    StaticBlock(Vec<Stmt>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub members: Vec<EnumMember>,
    pub exported: bool,
    pub is_const: bool,
    pub declare: bool,
}

/// `namespace N { ... }`; `namespace A.B { }` is `A` holding an exported `B`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamespaceDecl {
    pub name: Ident,
    pub body: Vec<Stmt>,
    pub exported: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    /// The member name (identifier or string literal key).
    pub name: Ident,
    pub init: Option<Expr>,
}

/// A function expression, arrow function, function declaration or method.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: Option<Ident>,
    pub params: Vec<Param>,
    pub body: FunctionBody,
    pub is_arrow: bool,
    pub is_async: bool,
    pub is_generator: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FunctionBody {
    /// `x => expr`.
    Expr(Box<Expr>),
    Block(Vec<Stmt>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub pattern: Pattern,
    pub default: Option<Box<Expr>>,
    /// `...rest`.
    pub rest: bool,
    /// A TypeScript parameter property (`constructor(private readonly name: string)`): the
    /// constructor assigns it to `this`.
    pub property: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatternKind {
    Ident(Ident),
    Object {
        props: Vec<ObjectPatternProp>,
        rest: Option<Box<Pattern>>,
    },
    Array {
        /// `None` is a hole: `[, b]`.
        elems: Vec<Option<ArrayPatternElem>>,
        rest: Option<Box<Pattern>>,
    },
    /// An assignment target that is not a binding, e.g. `obj.x = 1` or `[a.b] = xs`.
    Expr(Box<Expr>),
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPatternProp {
    pub key: PropKey,
    /// For shorthand `{ a }` this is the identifier pattern `a`.
    pub value: Pattern,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArrayPatternElem {
    pub pattern: Pattern,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Ident(Atom),
    This,
    Null,
    Bool(bool),
    Number(f64),
    /// `10n`: the digits without the `n`, as written (may be hex, `0x1F`).
    BigInt(Atom),
    Str(Atom),
    Template(Box<Template>),
    /// ``tag`...` `` e.g. ``sql`lower(${t.name})` ``.
    TaggedTemplate {
        tag: Box<Expr>,
        quasi: Box<Template>,
    },
    Regex {
        pattern: Atom,
        flags: Atom,
    },
    Array(Vec<ArrayElem>),
    Object(Vec<Prop>),
    Function(Box<Function>),
    Class(Box<ClassDecl>),
    Unary {
        op: UnaryOp,
        arg: Box<Expr>,
    },
    /// `++x`, `x--`.
    Update {
        op: UpdateOp,
        prefix: bool,
        arg: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Assign {
        op: AssignOp,
        target: Box<Pattern>,
        value: Box<Expr>,
    },
    Cond {
        test: Box<Expr>,
        cons: Box<Expr>,
        alt: Box<Expr>,
    },
    Call {
        callee: Box<Expr>,
        args: Box<[Arg]>,
        /// `f?.(x)`.
        optional: bool,
    },
    New {
        callee: Box<Expr>,
        args: Box<[Arg]>,
    },
    /// `obj.prop` / `obj?.prop` / `obj.#private` (private names keep their `#`).
    Member {
        object: Box<Expr>,
        prop: Ident,
        optional: bool,
    },
    /// `obj[index]` / `obj?.[index]`.
    Index {
        object: Box<Expr>,
        index: Box<Expr>,
        optional: bool,
    },
    Seq(Vec<Expr>),
    Await(Box<Expr>),
    /// `yield x`, or with `delegate` `yield* iterable`.
    Yield {
        arg: Option<Box<Expr>>,
        delegate: bool,
    },
    /// `import('x')` or `import.meta`: kept so it can be reported.
    ImportCall(Vec<Arg>),
    ImportMeta,
    /// An expression the parser could not read; its error was reported.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Cooked text pieces; always `exprs.len() + 1` of them.
    pub quasis: Vec<Atom>,
    /// The raw text of each piece (`String.raw`), where one differs from its cooked text.
    pub raw: Option<Box<[Atom]>>,
    pub exprs: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArrayElem {
    Hole,
    Expr(Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Expr(Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    KeyValue {
        key: PropKey,
        value: Expr,
    },
    /// `{ a }`.
    Shorthand(Ident),
    /// `{ ...rest }`.
    Spread(Expr),
    /// `{ m() {} }`, `{ async m() {} }`.
    Method {
        key: PropKey,
        func: Box<Function>,
    },
    /// `{ get x() {} }`.
    Getter {
        key: PropKey,
        func: Box<Function>,
    },
    /// `{ set x(v) {} }`.
    Setter {
        key: PropKey,
        func: Box<Function>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum PropKey {
    Ident(Ident),
    Str(StrLit),
    Number(f64, Span),
    Computed(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
    /// `!x`
    Not,
    /// `~x`
    BitNot,
    Typeof,
    Void,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOp {
    Inc,
    Dec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Exp,
    Eq,
    NotEq,
    StrictEq,
    StrictNotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Shl,
    Shr,
    UShr,
    BitAnd,
    BitOr,
    BitXor,
    And,
    Or,
    Nullish,
    In,
    InstanceOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Assign,
    /// `+=`, `-=`, ... : the binary operator applied before assigning.
    Op(BinaryOp),
}
