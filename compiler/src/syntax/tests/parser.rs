//! Parser tests: every syntax form schema files use, ASI, precedence, spans, recovery and
//! robustness.

use super::*;
use crate::syntax::parse;

#[path = "sexp.rs"]
mod sexp;

#[path = "spans.rs"]
mod spans;

/// The statements of `src` as S-expressions (no errors allowed).
fn body(src: &str) -> String {
    sexp::stmts(&ok(src).body)
}

/// The one expression statement of `src` as an S-expression.
fn e(src: &str) -> String {
    let m = ok(src);
    assert_eq!(m.body.len(), 1, "{src}: {}", sexp::stmts(&m.body));
    match &m.body[0].kind {
        StmtKind::Expr(x) => sexp::expr(x),
        other => panic!("{src}: not an expression statement: {other:?}"),
    }
}

/// The errors of `src` as `(start..end message)`.
fn errors(src: &str) -> Vec<(std::ops::Range<usize>, String)> {
    parse(src)
        .errors
        .into_iter()
        .map(|e| (e.span.range(), e.message))
        .collect()
}

/// Parses `src` and fails the test on any error.
fn ok(src: &str) -> Module {
    let parsed = parse(src);
    assert!(
        parsed.errors.is_empty(),
        "unexpected errors for {src:?}: {:#?}",
        parsed.errors
    );
    parsed.module
}

#[test]
fn smoke() {
    for src in [
        "const x = 1",
        "const x = a.b.c()",
        "export const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name').notNull() });",
        "import { a, b as c } from 'x'",
        "let x = a ? b : c",
        "x = y => y * 2",
        "f((a, b) => { return a + b })",
        "const t = sql`lower(${t.name})`",
        "a >> b >>> c >= d > e",
        "x >>= 1; y >>>= 2",
        "const a: Array<Array<number>> = []",
    ] {
        let m = ok(src);
        assert!(!m.body.is_empty(), "{src}");
    }
}

/// Prints the AST of `$SCHEMAC_PARSE` (a file path or source text); a debugging aid.
#[test]
#[ignore]
fn dump() {
    let Ok(arg) = std::env::var("SCHEMAC_PARSE") else {
        return;
    };
    let src = std::fs::read_to_string(&arg).unwrap_or(arg);
    let parsed = parse(&src);
    println!("{:#?}", parsed.module.body);
    for e in &parsed.errors {
        println!("{e:?} {:?}", &src[e.span.range()]);
    }
}

const FIXTURES: &[(&str, &str)] = &[
    ("pg_schema.ts", include_str!("fixtures/pg_schema.ts")),
    ("no_semi.ts", include_str!("fixtures/no_semi.ts")),
    (
        "drizzle.config.ts",
        include_str!("fixtures/drizzle.config.ts"),
    ),
    ("mysql_sqlite.ts", include_str!("fixtures/mysql_sqlite.ts")),
    ("ts_features.ts", include_str!("fixtures/ts_features.ts")),
    ("statements.ts", include_str!("fixtures/statements.ts")),
];

#[test]
fn fixtures_parse_without_errors() {
    for (name, src) in FIXTURES {
        let parsed = parse(src);
        let errs: Vec<String> = parsed
            .errors
            .iter()
            .map(|e| {
                format!(
                    "{name}:{:?} {:?}: {}",
                    e.span,
                    &src[e.span.range()],
                    e.message
                )
            })
            .collect();
        assert!(errs.is_empty(), "{}", errs.join("\n"));
    }
}

#[test]
fn precedence_and_associativity() {
    let cases = [
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a ** b ** c", "(** a (** b c))"),
        ("-a ** b", "(** (- a) b)"),
        (
            "a || b && c | d ^ e & f == g < h << i + j * k",
            "(|| a (&& b (| c (^ d (& e (== f (< g (<< h (+ i (* j k))))))))))",
        ),
        ("a ?? b", "(?? a b)"),
        ("a ?? b || c", "(?? a (|| b c))"),
        ("a = b = c", "(= a (= b c))"),
        ("a += b ??= c", "(+= a (??= b c))"),
        ("a ? b : c ? d : e", "(? a b (? c d e))"),
        ("a ? b ? c : d : e", "(? a (? b c d) e)"),
        ("a, b, c", "(, a b c)"),
        ("!a instanceof B", "(instanceof (! a) B)"),
        (
            "'x' in o && typeof o.x === 'string'",
            "(&& (in \"x\" o) (=== (typeof o.x) \"string\"))",
        ),
        ("x++ + ++y", "(+ (++post x) (++pre y))"),
        ("- -x", "(- (- x))"),
        ("void 0", "(void 0)"),
        ("delete a[b]", "(delete a[b])"),
        ("await a.b()", "(await (call a.b))"),
        ("a >> b >>> c", "(>>> (>> a b) c)"),
        ("a >= b > c", "(> (>= a b) c)"),
        ("a > b >= c", "(>= (> a b) c)"),
        ("x >>= 1", "(>>= x 1)"),
        ("x >>>= 1", "(>>>= x 1)"),
        ("a < b == c > d", "(== (< a b) (> c d))"),
        ("a as any as B", "a"),
        ("a + b as T", "(+ a b)"),
        ("x! + y!", "(+ x y)"),
        ("<T>x + 1", "(+ x 1)"),
        ("(a, b) * c", "(* (, a b) c)"),
        ("a = (b, c)", "(= a (, b c))"),
        ("new a.b.C()", "(new a.b.C)"),
        ("new A().b()", "(call (new A).b)"),
        ("new new A()()", "(new (new A))"),
        ("new A", "(new A)"),
        ("new (f())()", "(new (call f))"),
        ("a?.b.c?.[d]?.(e)", "(call? a?.b.c?.[d] e)"),
        ("f<T>(x)", "(call f x)"),
        ("a < b && c > d", "(&& (< a b) (> c d))"),
        ("f(a < b, c > d)", "(call f (< a b) (> c d))"),
        ("text().$type<'a' | 'b'>()", "(call (call text).$type)"),
        ("sql<number>`count(*)`", "(tag sql `count(*)`)"),
        ("a.default.enum.delete.new", "a.default.enum.delete.new"),
        ("this.#secret", "this.#secret"),
        ("x = y => z => y + z", "(= x (=> (y) (=> (z) (+ y z))))"),
        ("async x => x", "(async => (x) x)"),
        ("async (x) => { await x }", "(async => (x) {(await x)})"),
        ("async(x)", "(call async x)"),
        ("(a, b = 1, ...c) => a", "(=> (a b=1 ...c) a)"),
        ("({ a, b: [c] }) => a", "(=> ({a:a b:[c]}) a)"),
        (
            "(a: string = 'x', ...rest: T[]): Ret => a",
            "(=> (a=\"x\" ...rest) a)",
        ),
        ("<T,>(x: T) => x", "(=> (x) x)"),
        ("<T extends object>(x: T): T => x", "(=> (x) x)"),
        (
            "c ? (x: number) => x : (y) => y",
            "(? c (=> (x) x) (=> (y) y))",
        ),
        ("c ? (x) : y", "(? c x y)"),
        ("[a, b] = [b, a]", "(= [a b] [b a])"),
        ("({ a, b: { c = 1 } } = o)", "(= {a:a b:{c:c=1}} o)"),
        ("[a.b, ...c[0]] = xs", "(= [a.b ...c[0]] xs)"),
        (
            "import('x').then(m => m)",
            "(call (import \"x\").then (=> (m) m))",
        ),
        ("import.meta.url", "import.meta.url"),
        ("/re/g.test(s) ? 1 : 2", "(? (call /re/g.test s) 1 2)"),
        ("a / b / c", "(/ (/ a b) c)"),
        (
            "(function* g() { yield; yield a; yield* b })",
            "(fn* g () {(yield) (yield a) (yield* b)})",
        ),
        ("(function () {})()", "(call (fn () {}))"),
        ("(class extends Base {})", "(class extends Base)"),
    ];
    for (src, want) in cases {
        assert_eq!(e(src), want, "{src}");
    }
}

#[test]
fn literals() {
    let cases = [
        ("1_000", "1000"),
        ("0xFF", "255"),
        (".5e1", "5"),
        ("10n", "10n"),
        ("0xFFn", "0xFFn"),
        ("'a\\nb'", "\"a\\nb\""),
        ("`a${b}c${d}`", "`a${b}c${d}`"),
        ("`outer ${`inner ${x}`} end`", "`outer ${`inner ${x}`} end`"),
        ("[1, , 3, ...r,]", "[1 _ 3 ...r]"),
        ("[,]", "[_]"),
        ("[]", "[]"),
        ("true === !false", "(=== true (! false))"),
        ("null ?? this", "(?? null this)"),
        ("/[/]\\//gi", "/[/]\\//gi"),
    ];
    for (src, want) in cases {
        assert_eq!(e(src), want, "{src}");
    }
}

#[test]
fn object_literals() {
    assert_eq!(
        e(
            "({ a, 'b-c': 1, 2: x, [k]: v, ...s, m() { return 1 }, async n() {}, *g() {}, get x() { return 1 }, set x(v) {}, default: 1, get: 2, set, async: 3, })"
        ),
        "{a \"b-c\":1 2:x [k]:v ...s m:(fn m () {(return 1)}) n:(async fn n () {}) g:(fn* g () {}) get x:(fn x () {(return 1)}) set x:(fn x (v) {}) default:1 get:2 set async:3}"
    );
    assert_eq!(
        e("customType<{ data: string; driverData: string }>({ dataType() { return 'citext' } })"),
        "(call customType {dataType:(fn dataType () {(return \"citext\")})})"
    );
}

#[test]
fn automatic_semicolon_insertion() {
    assert_eq!(body("a\nb"), "a b");
    assert_eq!(body("a\n++b"), "a (++pre b)");
    assert_eq!(body("a++\nb"), "(++post a) b");
    assert_eq!(body("return\nx"), "(return) x");
    assert_eq!(body("function f() { return\n1 }"), "(fn f () {(return) 1})");
    assert_eq!(body("throw x\ny"), "(throw x) y");
    assert_eq!(body("a\n.b()\n.c()"), "(call (call a.b).c)");
    assert_eq!(body("a +\nb"), "(+ a b)");
    assert_eq!(body("a\n(b)"), "(call a b)");
    assert_eq!(body("const x = 1\nconst y = 2"), "(const x=1) (const y=2)");
    assert_eq!(body("{ a } b"), "{a} b");
    assert_eq!(body("if (a) b\nelse c"), "(if a b c)");
    assert_eq!(body("do x; while (y) z"), "(do x y) z");
    assert_eq!(body("let a = b\n[c].map(f)"), "(let a=(call b[c].map f))");
    assert_eq!(body("x\n!y"), "x (! y)");
    assert_eq!(body("a\n?.b"), "a?.b");
    assert_eq!(body("type\nFoo = 1"), "type (= Foo 1)");
    assert_eq!(body("x\nas\ny"), "x as y");
    assert_eq!(
        body("for (;;) {\n break\n label }"),
        "(for _ _ _ {break label})"
    );
    // Two statements on one line need a `;`.
    assert_eq!(errors("a b").len(), 1);
    assert_eq!(errors("if (a) b else c").len(), 1);
}

#[test]
fn imports() {
    let cases = [
        ("import x from 'y'", "(import \"y\" default=x)"),
        ("import * as ns from 'y'", "(import \"y\" ns=ns)"),
        (
            "import { a, b as c, type T, default as d } from 'y'",
            "(import \"y\" a:a b:c type T:T default:d)",
        ),
        ("import x, { a } from 'y'", "(import \"y\" default=x a:a)"),
        (
            "import x, * as ns from 'y'",
            "(import \"y\" default=x ns=ns)",
        ),
        (
            "import type { A, B } from 'y'",
            "(import-type \"y\" A:A B:B)",
        ),
        ("import type X from 'y'", "(import-type \"y\" default=X)"),
        ("import type from 'y'", "(import \"y\" default=type)"),
        ("import { type } from 'y'", "(import \"y\" type:type)"),
        ("import { type as t } from 'y'", "(import \"y\" type:t)"),
        ("import 'side-effect'", "(import \"side-effect\")"),
        (
            "import data from './x.json' with { type: 'json' }",
            "(import \"./x.json\" default=data)",
        ),
        ("import {} from 'y'", "(import \"y\")"),
        ("import type Fs = require('fs')", "(type-decl Fs)"),
    ];
    for (src, want) in cases {
        assert_eq!(body(src), want, "{src}");
    }
    // CommonJS TypeScript: the `const` tsc emits.
    assert_eq!(
        body("import fs = require('fs')"),
        "(const fs=(call require \"fs\"))"
    );
    assert!(errors("import fs = require('fs')").is_empty());
}

#[test]
fn exports() {
    let cases = [
        ("export const a = 1, b = 2", "(export const a=1 b=2)"),
        ("export let a", "(export let a)"),
        ("export var a = 1", "(export var a=1)"),
        ("export function f() {}", "(export (fn f () {}))"),
        (
            "export async function f() {}",
            "(export (async fn f () {}))",
        ),
        ("export class A extends B {}", "(export class A extends B)"),
        ("export abstract class A {}", "(export class A)"),
        ("export enum E { A }", "(export enum E A)"),
        ("export const enum E { A = 1 }", "(export const enum E A=1)"),
        ("export declare enum E { A }", "(export declare enum E A)"),
        ("export interface I {}", "(export type-decl I)"),
        ("export type T = string", "(export type-decl T)"),
        ("export declare const x: number", "(export declare const x)"),
        ("export declare function f(): void", "(export type-decl f)"),
        ("export namespace N {}", "(export type-decl N)"),
        ("export { a, b as c }", "(export a:a b:c)"),
        ("export { a as default }", "(export a:default)"),
        ("export { a } from './x'", "(export a:a from \"./x\")"),
        (
            "export { default } from './x'",
            "(export default:default from \"./x\")",
        ),
        ("export { type T, v }", "(export type T:T v:v)"),
        (
            "export type { T } from './x'",
            "(export-type T:T from \"./x\")",
        ),
        ("export * from './x'", "(export-all \"./x\")"),
        ("export * as ns from './x'", "(export-all as ns \"./x\")"),
        ("export type * from './x'", "(export-all-type \"./x\")"),
        ("export default expr;", "(export-default expr)"),
        (
            "export default function f() {}",
            "(export-default (fn f () {}))",
        ),
        (
            "export default async function () {}",
            "(export-default (async fn () {}))",
        ),
        ("export default class {}", "(export-default (class))"),
        (
            "export default abstract class X {}",
            "(export-default (class X))",
        ),
        ("export default interface I {}", "(export type-decl I)"),
        ("export default { a: 1 }", "(export-default {a:1})"),
        ("export default (a) => a", "(export-default (=> (a) a))"),
        ("export = x", "(export= x)"),
        ("export as namespace Lib", "(export type-decl Lib)"),
        ("export import A = B.C", "(export const A=B.C)"),
    ];
    for (src, want) in cases {
        assert_eq!(body(src), want, "{src}");
    }
}

#[test]
fn declarations() {
    let cases = [
        (
            "const { a, b: [c, , d = 1, ...e], ...f } = g",
            "(const {a:a b:[c _ d=1 ...e] ...f}=g)",
        ),
        (
            "const [x = 1, { y: { z } }] = w",
            "(const [x=1 {y:{z:z}}]=w)",
        ),
        ("const x: Foo<Bar> = 1", "(const x=1)"),
        ("let x!: T", "(let x)"),
        ("let x: number, y: string = 'a'", "(let x y=\"a\")"),
        ("var a = 1, b", "(var a=1 b)"),
        ("declare const VERSION: string", "(declare const VERSION)"),
        (
            "function f<T extends X = Y>(this: Window, a?: T, { b }: O = {}): void {}",
            "(fn f (a {b:b}={}) {})",
        ),
        (
            "function f(a: string): string;\nfunction f(a: any) { return a }",
            "(type-decl f) (fn f (a) {(return a)})",
        ),
        ("async function* g() {}", "(async fn* g () {})"),
        (
            "class A { constructor(private db: Db, public readonly x = 1) { super() } }",
            "(class A)",
        ),
        ("@dec() @other class A {}", "(class A)"),
        (
            "abstract class A<T> extends B<T> implements C, D<T> {}",
            "(class A extends B)",
        ),
        (
            "class A extends mixin(B, C) {}",
            "(class A extends (call mixin B C))",
        ),
        (
            "enum E { A = 'a', 'b-c' = 2, C = A.length, D }",
            "(enum E A=\"a\" b-c=2 C=A.length D)",
        ),
        ("declare enum E { A }", "(declare enum E A)"),
        (
            "interface I<T> extends J<T>, K { a: T; b?(): void; readonly [k: string]: unknown }",
            "(type-decl I)",
        ),
        (
            "type T<K extends string> = { [P in K]?: P }",
            "(type-decl T)",
        ),
        (
            "namespace A.B.C { export const x = 1 }",
            "(namespace A {(export namespace B {(export namespace C {(export const x=1)})})})",
        ),
        (
            "namespace T { export type X = 1; export namespace U { interface I {} } }",
            "(type-decl T)",
        ),
        ("module Foo { }", "(type-decl Foo)"),
        (
            "declare module 'x' { export const y: number }",
            "(type-decl)",
        ),
        (
            "declare global { interface Window { a: 1 } }",
            "(type-decl)",
        ),
        ("declare namespace NS { const a: 1 }", "(type-decl NS)"),
        ("declare class C { m(): void }", "(type-decl C)"),
    ];
    for (src, want) in cases {
        assert_eq!(body(src), want, "{src}");
    }
}

#[test]
fn types_are_parsed_and_dropped() {
    for ty in [
        "string | number",
        "| 'a' | 'b'",
        "A & B & { c: 1 }",
        "T extends U ? X : Y",
        "T extends readonly (infer E)[] ? E : never",
        "T extends [infer H extends string, ...infer R] ? H : never",
        "(U extends any ? (k: U) => void : never) extends (k: infer I) => void ? I : never",
        "T extends new (...a: any[]) => infer R ? R : never",
        "T extends <A>(x: A) => infer R ? R : T extends (x: 1) => 2 ? 3 : 4",
        "{ [K in keyof T as `get${Capitalize<string & K>}`]-?: () => T[K] }",
        "{ readonly [K in keyof T]+?: T[K] }",
        "{ -readonly [K in keyof T]: T[K]; }",
        "`prefix-${string}`",
        "typeof x",
        "typeof x.y.z",
        "typeof import('x')",
        "keyof typeof obj",
        "T['k']",
        "T[number][]",
        "readonly string[]",
        "[name: string, age?: number, ...rest: boolean[]]",
        "[string, number?]",
        "(a: string, b?: number) => void",
        "(...args: any[]) => unknown",
        "new (x: number) => Foo",
        "abstract new () => object",
        "<T>(x: T) => T",
        "import('./mod').Lazy<string>",
        "unique symbol",
        "-1 | 0n | true | null | undefined | void | this",
        "Array<Array<number>>",
        "Map<string, Array<Record<string, Set<number>>>>",
        "(A | B)[]",
        "{ a: string, b(): void; new (): X; (x: number): string; get c(): number; set c(v: number) }",
        "{}",
        "Promise<typeof users.$inferSelect>",
        "NonNullable<Parameters<typeof fn>[0]>",
    ] {
        let src = format!("type X = {ty}");
        assert_eq!(body(&src), "(type-decl X)", "{src}");
        let src = format!("let x: {ty} = 1");
        assert_eq!(body(&src), "(let x=1)", "{src}");
    }
    assert_eq!(
        body("function isS(x: unknown): x is string { return true }"),
        "(fn isS (x) {(return true)})"
    );
    assert_eq!(
        body("function a(x: unknown): asserts x is string {}"),
        "(fn a (x) {})"
    );
    assert_eq!(body("function a(this: T): asserts this {}"), "(fn a () {})");
    assert_eq!(body("const x = y satisfies Z"), "(const x=y)");
    assert_eq!(body("const x = [1] as const"), "(const x=[1])");
    assert_eq!(body("type A<T>= T"), "(type-decl A)");
}

#[test]
fn statements() {
    let cases = [
        (
            "if (a) b; else if (c) d; else { e }",
            "(if a b (if c d {e}))",
        ),
        (
            "for (let i = 0; i < n; i++) {}",
            "(for (let i=0) (< i n) (++post i) {})",
        ),
        ("for (;;) ;", "(for _ _ _ ;)"),
        (
            "for (i = 0, j = 1; ; ) x",
            "(for (, (= i 0) (= j 1)) _ _ x)",
        ),
        (
            "for (const [k, v] of Object.entries(o)) {}",
            "(for-of const [k v] (call Object.entries o) {})",
        ),
        ("for (const k in o) x", "(for-in const k o x)"),
        ("for (x.y of z) ;", "(for-of x.y z ;)"),
        ("for await (const x of xs) {}", "(for-of const x xs {})"),
        ("while (a) b", "(while a b)"),
        ("do a(); while (b)", "(do (call a) b)"),
        (
            "l: for (;;) { break l; continue l }",
            "(for _ _ _ {break continue})",
        ),
        (
            "switch (x) { case 1: case 2: a; break; default: b }",
            "(switch x (1 ) (2 a break) (default b))",
        ),
        ("try { a } catch { b }", "(try {a} (catch {b}))"),
        (
            "try { a } catch (e: unknown) { b } finally { c }",
            "(try {a} (catch e {b}) (finally {c}))",
        ),
        ("try { a } finally { c }", "(try {a} (finally {c}))"),
        ("throw new Error('x')", "(throw (new Error \"x\"))"),
        (";", ";"),
        ("debugger", ";"),
        ("{}", "{}"),
        ("'use strict'", "\"use strict\""),
    ];
    for (src, want) in cases {
        assert_eq!(body(src), want, "{src}");
    }
}

/// Shows `src` with the errors' spans, for eyeballing messages.
fn show_errors(src: &str) -> String {
    parse(src)
        .errors
        .iter()
        .map(|e| {
            format!(
                "{:?} {:?}: {} [{}]{}",
                e.span.range(),
                &src[e.span.range()],
                e.message,
                e.label,
                e.help
                    .as_ref()
                    .map(|h| format!(" help: {h}"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every broken input gets a message and a label (and the list doubles as a way to review
/// the messages).
#[test]
fn error_messages_are_complete() {
    for src in [
        "foo(a, b;",
        "foo(a b)",
        "const x = ;",
        "const = 1",
        "const x = {a: 1 b: 2}",
        "const x = [1 2]",
        "let x = (1 + 2",
        "if (x { y }",
        "function f(a b) {}",
        "const x = 'abc",
        "const x = 1 § 2",
        "const x = `abc${",
        "import { a from 'b'",
        "export const x = pgTable('x', {\n  id: serial('id'),\n\nexport const y = 1",
        "class A {",
        "type T = ;",
        "a = 1 +",
        "x = y z",
        "const x = a.",
        "const { a = } = b",
        "1 = 2",
        "const x",
        ")",
        "export const x = pgTable('x', { id: serial('id').primaryKey() }",
        "function f() {\n  return 1\n",
        "type T = { a: string",
        "enum E { A B }",
        "x = a ?",
        "const { a: } = b",
    ] {
        // Run with `--nocapture` to read them.
        let shown = show_errors(src);
        println!("--- {src}\n{shown}");
        let errs = parse(src).errors;
        assert!(!errs.is_empty(), "{src}");
        assert!(
            errs.iter()
                .all(|e| !e.message.is_empty() && !e.label.is_empty()),
            "{src}"
        );
    }
}

/// Kinds of the top-level statements, for recovery tests.
fn stmt_kinds(src: &str) -> Vec<&'static str> {
    parse(src)
        .module
        .body
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Var(v)
                if v.decls[0]
                    .init
                    .as_ref()
                    .is_some_and(|e| e.kind == ExprKind::Error) =>
            {
                "bad var"
            }
            StmtKind::Var(_) => "var",
            StmtKind::Error => "error",
            StmtKind::Import(_) => "import",
            StmtKind::Function(_) => "function",
            StmtKind::Expr(_) => "expr",
            StmtKind::TypeDecl { .. } => "type",
            StmtKind::Class(_) => "class",
            _ => "other",
        })
        .collect()
}

#[test]
fn recovery_keeps_the_other_declarations() {
    let src = "\
export const a = pgTable('a', { id: serial('id').primaryKey() });
export const b = pgTable('b', { id: serial('id').primaryKey(), name: text('name' });
export const c = pgTable('c', { id: serial('id') });
export const d = pgTable('d', { id: serial('id') });
";
    let parsed = parse(src);
    let kinds: Vec<_> = parsed
        .module
        .body
        .iter()
        .map(|s| matches!(s.kind, StmtKind::Var(_)))
        .collect();
    // The bad declaration still declares `b`, with an error value.
    assert_eq!(kinds, [true, true, true, true]);
    assert_eq!(stmt_kinds(src), ["var", "bad var", "var", "var"]);
    // The error statement covers the whole bad line.
    let line2 = src.lines().nth(1).unwrap_or_default();
    assert_eq!(&src[parsed.module.body[1].span.range()], line2);
    assert_eq!(parsed.errors.len(), 1, "{:#?}", parsed.errors);
    let err = &parsed.errors[0];
    let at = src
        .find("' });\nexport const c")
        .map(|i| i + 2)
        .unwrap_or_default();
    assert_eq!(err.span.range(), at..at + 1);
    assert_eq!(
        err.message,
        "expected `)` to close `(` of this call, found `}`"
    );
    let names: Vec<String> = parsed
        .module
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Var(v) => Some(sexp::pat(&v.decls[0].target)),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
}

#[test]
fn recovery_without_semicolons_and_unclosed_brackets() {
    // Semicolon-free: recovery stops at the next line that starts a statement.
    let src = "const a = 1\nconst b = foo(1 2)\nconst c = 3\nconst d = 4\n";
    assert_eq!(stmt_kinds(src), ["var", "bad var", "var", "var"]);
    assert_eq!(errors(src).len(), 1);

    // An unclosed `{` does not swallow the declarations after it.
    let src = "export const a = pgTable('a', {\n  id: serial('id'),\n\nexport const b = 1\nexport const c = 2\n";
    assert_eq!(stmt_kinds(src), ["bad var", "var", "var"]);
    let errs = errors(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .1
            .starts_with("expected `}` to close `{` of this object literal"),
        "{errs:?}"
    );

    // An unclosed function body.
    let src = "export function f() {\n  return 1\n\nexport const b = 1\n";
    assert_eq!(stmt_kinds(src), ["error", "var"]);
    assert_eq!(errors(src).len(), 1);

    // Errors inside function bodies are recovered there.
    let src = "function f() {\n  const x = ;\n  return 1\n}\nconst y = 2";
    let m = parse(src);
    assert_eq!(m.errors.len(), 1);
    assert_eq!(
        sexp::stmts(&m.module.body),
        "(fn f () {(const x=ERROR) (return 1)}) (const y=2)"
    );

    // Several independent errors are all reported.
    let src = "const a = ;\nconst b = 1\nconst c = (;\nconst d = [1 2]\nconst e = 5";
    assert_eq!(
        stmt_kinds(src),
        ["bad var", "var", "bad var", "bad var", "var"]
    );
    assert_eq!(errors(src).len(), 3);

    // A stray closer at the top level is skipped.
    let src = "const a = 1\n}\nconst b = 2";
    assert_eq!(stmt_kinds(src), ["var", "error", "var"]);
    assert_eq!(errors(src).len(), 1);

    // In a switch, recovery stops at the next `case`.
    let src = "switch (x) { case 1: a b; case 2: c }";
    let m = parse(src);
    assert_eq!(m.errors.len(), 1);
    assert_eq!(sexp::stmts(&m.module.body), "(switch x (1 ERROR) (2 c))");
}

#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        (
            "foo(a, b;",
            "expected `)` to close `(` of this call, found `;`",
        ),
        ("const x = ;", "expected an expression, found `;`"),
        ("const = 1", "expected a binding name or pattern, found `=`"),
        ("a = 1 +", "expected an expression, found end of file"),
        (
            "x = y z",
            "expected `;` or a line break, found identifier `z`",
        ),
        ("type T = ;", "expected a type, found `;`"),
        ("class A {", "`{` of this class body is never closed"),
        ("const x = 'abc", "unterminated string literal"),
        ("1 = 2", "invalid assignment target"),
        (
            "if (x { y }",
            "expected `)` to close `(` of this condition, found `{`",
        ),
        (
            "const x = [1 2]",
            "expected `]` to close `[` of this array, found number `2`",
        ),
        (
            "import { a from 'b'",
            "expected `}` to close `{` of this list of names, found keyword `from`",
        ),
        (
            "const x = a.",
            "expected a property name, found end of file",
        ),
        (
            "const x = `a${b c}`",
            "expected `}` to close `${` of this template substitution, found identifier `c`",
        ),
    ];
    for (src, want) in cases {
        let errs = parse(src).errors;
        assert_eq!(errs.len(), 1, "{src}: {errs:#?}");
        assert_eq!(errs[0].message, *want, "{src}");
        assert!(!errs[0].label.is_empty());
    }
    let errs = parse("foo(a b)").errors;
    assert_eq!(
        errs[0].help.as_deref(),
        Some("a `,` may be missing before this")
    );
    assert_eq!(errs[0].label, "expected `,` or `)`");
}

#[test]
fn lexer_errors_are_not_repeated_by_the_parser() {
    for src in [
        "const § = 1",
        "const x = §",
        "const x = `abc${",
        "const x = `abc",
        "/* open",
        "f('abc",
    ] {
        let errs = parse(src).errors;
        assert_eq!(errs.len(), 1, "{src}: {errs:#?}");
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    const N: usize = 5000;
    let cases = [
        format!("x = {}1{}", "(".repeat(N), ")".repeat(N)),
        format!("x = {}1{}", "[".repeat(N), "]".repeat(N)),
        format!("x = {}1{}", "{a:".repeat(N), "}".repeat(N)),
        format!("x = {}1{}", "f(".repeat(N), ")".repeat(N)),
        format!("{}{}", "{".repeat(N), "}".repeat(N)),
        format!("x = {}1", "a => ".repeat(N)),
        format!("x = {}y", "!".repeat(N)),
        format!("x = {}1", "1 + ".repeat(N)),
        format!("x = {}1", "a ? b : ".repeat(N)),
        format!("x = {}", "`${".repeat(N) + &"}`".repeat(N)),
        format!("let x: {}T{}", "Array<".repeat(N), ">".repeat(N)),
        format!("if (a) {}b", "if (a) ".repeat(N)),
        format!("{}a{} = b", "[".repeat(N), "]".repeat(N)),
        format!("({}a{} = b)", "{a:".repeat(N), "}".repeat(N)),
        // Unclosed: errors, not a crash.
        format!("x = {}", "(".repeat(N)),
        format!("x = {}", "[{".repeat(N)),
    ];
    for src in &cases {
        let parsed = parse(src);
        assert!(!parsed.module.body.is_empty());
    }
}

/// A realistic schema file, mutated byte by byte: the parser must always return.
#[test]
fn never_panics_or_hangs_on_damaged_input() {
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let src = include_str!("fixtures/pg_schema.ts");
        let boundaries: Vec<usize> = src
            .char_indices()
            .map(|(i, _)| i)
            .chain([src.len()])
            .collect();
        let mut runs = 0usize;
        // Every prefix.
        for &end in &boundaries {
            let _ = parse(&src[..end]);
            runs += 1;
        }
        // Every character deleted, and replaced by each of these in turn (so every
        // replacement lands on hundreds of different positions).
        let replacements = [
            "(", "{", "'", "`", "/", "*", "é", "\u{2028}", "}", "<", ")", "\\",
        ];
        let mut edited = String::with_capacity(src.len() + 4);
        for (n, w) in boundaries.windows(2).enumerate() {
            let (at, next) = (w[0], w[1]);
            for replacement in ["", replacements[n % replacements.len()]] {
                edited.clear();
                edited.push_str(&src[..at]);
                edited.push_str(replacement);
                edited.push_str(&src[next..]);
                let _ = parse(&edited);
                runs += 1;
            }
        }
        let _ = done.send(runs);
    });
    let runs = wait
        .recv_timeout(std::time::Duration::from_secs(600))
        .expect("the parser panicked or took too long");
    assert!(runs > 8_000);
}

/// Parses with the direct paths for simple expressions turned off.
fn parse_general(src: &str) -> crate::syntax::Parsed {
    super::DIRECT_PATHS.with(|d| d.set(false));
    let parsed = parse(src);
    super::DIRECT_PATHS.with(|d| d.set(true));
    parsed
}

#[test]
fn direct_paths_build_the_same_tree_as_the_grammar() {
    let mut sources: Vec<String> = FIXTURES.iter().map(|(_, s)| s.to_string()).collect();
    sources.extend(
        [
            "f(a, 'b', c.d, [1, 2,], { x: 1, 'y': z, 3: w, v, }, `t${a.b}u${c}`, sql`x`)",
            "x = a.b.c(d)(e).f`g${h}`.i",
            "f({ a: { b: [{ c: d }] } })",
            "f(a,)",
            "[[], {}, ``, `${a}`]",
            "f(a)\n(b)",
            "a\n`x`",
            "x = { default: 1, delete: a.enum, async, get, set }",
            "f(this.a, super.b, 10n, /re/g, null, true)",
            "f(a, b + c)",
            "f(a?.b)",
            "f(...a)",
            "f(x => x)",
            "f(async)",
            "a.b\n++c",
            "x = { a: b = c }",
            "x = [a, , b]",
            "f((t) => [index('a').on(t.x)], () => a.b, x => ({ a: x }), (a, b,) => a)",
            "x = (a) => b\n.c",
            "x = () => ({ a }).b",
            "f(() => {}, (a) => a + 1, (a)\n=> a, async () => a, (a: T) => a)",
            "x = t => t => t",
            "f((a, b) => [a, b])",
        ]
        .map(String::from),
    );
    for src in &sources {
        let fast = parse(src);
        let general = parse_general(src);
        assert_eq!(fast, general, "{src}");
    }
}

#[test]
fn every_span_covers_its_source_text() {
    let mut sources: Vec<&str> = FIXTURES.iter().map(|(_, s)| *s).collect();
    sources.extend([
        "x = (a + b) * c",
        "({ a = 1, b: [c] } = o)",
        "f(x => ({ y: x }))",
        "const { a: { b } = {} } = c",
        "label: for (const [k, v] of m) { if (k) continue label }",
        "export default class extends Base {}",
        "new a.b.C<T>(d)!.e?.[f]`g${h}`",
        "a ? b : c = d",
        "x = class {}",
        "x = `a${`b${c}`}`",
        "x = <T,>(y: T): T => y",
        "x = !-~+typeof void delete a++",
        "x = /re/.source, y = 0x1Fn",
        "const a = 1; broken = ; const b = 2",
    ]);
    for src in sources {
        let parsed = parse(src);
        let mut checker = spans::Checker {
            src,
            problems: Vec::new(),
        };
        checker.module(&parsed.module);
        for e in &parsed.errors {
            assert!(e.span.start <= e.span.end && e.span.end as usize <= src.len());
        }
        assert!(
            checker.problems.is_empty(),
            "{src:?}:\n{}",
            checker.problems.join("\n")
        );
    }
    // The checker itself notices a wrong span.
    let mut parsed = parse("const x = a + b");
    if let StmtKind::Var(v) = &mut parsed.module.body[0].kind {
        v.decls[0].span = Span::new(0, 3);
    }
    let mut checker = spans::Checker {
        src: "const x = a + b",
        problems: Vec::new(),
    };
    checker.module(&parsed.module);
    assert!(!checker.problems.is_empty());
}

/// The exported `const` names and initializer shapes of a module.
fn exported_consts(m: &Module) -> Vec<(String, String)> {
    m.body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Var(v) if v.exported => Some(v),
            _ => None,
        })
        .flat_map(|v| &v.decls)
        .map(|d| {
            let init = d.init.as_ref().map_or(String::new(), sexp::expr);
            (sexp::pat(&d.target), init)
        })
        .collect()
}

#[test]
fn pg_schema_structure() {
    let src = include_str!("fixtures/pg_schema.ts");
    let m = ok(src);
    let consts = exported_consts(&m);
    let names: Vec<&str> = consts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "createTable",
            "roles",
            "roleEnum",
            "statusEnum",
            "users",
            "accounts",
            "posts",
            "usersRelations",
            "postsRelations"
        ]
    );
    let init = |name: &str| {
        consts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| i.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        init("createTable"),
        "(call pgTableCreator (=> (name) `app_${name}`))"
    );
    assert_eq!(init("roles"), "[\"admin\" \"member\" \"guest\"]");
    assert_eq!(
        init("statusEnum"),
        "(call pgEnum \"status\" [Status.Active Status.Disabled Status.Pending])"
    );
    assert_eq!(
        init("postsRelations"),
        "(call relations posts (=> ({one:one}) {author:(call one users {fields:[posts.authorId] references:[users.id]})}))"
    );
    let users = init("users");
    assert!(users.starts_with("(call createTable \"user\" {id:(call (call (call uuid \"id\").primaryKey).defaultRandom)"), "{users}");
    assert!(users.contains("...timestamps}"), "{users}");
    assert!(
        users.contains(
            "(=> (t) [(call (call uniqueIndex \"user_email_idx\").on (tag sql `lower(${t.email})`))"
        ),
        "{users}"
    );
    assert!(
        users.contains("settings:(call (call (call jsonb \"settings\").$type).default {})"),
        "{users}"
    );
    let accounts = init("accounts");
    assert!(accounts.contains("(call (call (call uuid \"user_id\").notNull).references (=> () users.id) {onDelete:\"cascade\"})"), "{accounts}");
    assert!(accounts.ends_with("(=> (account) {compoundKey:(call primaryKey {columns:[account.provider account.providerAccountId]}) userIdIdx:(call (call index \"account_user_id_idx\").on account.userId)}))"), "{accounts}");

    // `enum Status`, the `customType` helper, the type aliases and the imports.
    let stmts = sexp::stmts(&m.body);
    assert!(stmts.contains(
        "(export enum Status Active=\"active\" Disabled=\"disabled\" Pending=\"pending\")"
    ));
    assert!(stmts.contains(
        "(const citext=(call customType {dataType:(fn dataType () {(return \"citext\")})}))"
    ));
    assert!(stmts.contains("(export type-decl User) (export type-decl NewUser)"));
    assert!(stmts.starts_with("(import \"drizzle-orm\" relations:relations sql:sql type InferSelectModel:InferSelectModel)"));
    assert!(stmts.contains("(import-type \"next-auth/adapters\" AdapterAccount:AdapterAccount)"));

    // Comments are kept as trivia.
    let comments: Vec<&str> = m.comments.iter().map(|c| c.text.trim()).collect();
    assert_eq!(
        comments,
        [
            "* Every table is prefixed so several apps can share one database.",
            "A case-insensitive text column."
        ]
    );
    assert!(m.comments[0].block && !m.comments[1].block);
}

#[test]
fn semicolon_free_and_config_files() {
    let m = ok(include_str!("fixtures/no_semi.ts"));
    let stmts: Vec<String> = m.body.iter().map(sexp::stmt).collect();
    assert_eq!(stmts.len(), 11, "{stmts:#?}");
    assert_eq!(stmts[5], "(let counter=0)");
    // `counter++` takes the `;` that starts the next line.
    assert_eq!(stmts[6], "(++post counter)");
    assert_eq!(stmts[7], "(call [1 2 3].forEach (=> (n) (+= counter n)))");
    assert_eq!(stmts[9], "(export (fn total (a b=2) {(return (+ a b))}))");
    assert_eq!(stmts[10], "(export-default members)");
    assert!(
        stmts[3].ends_with("(=> (t) [(tag sql `check (${t.nickname} <> '')`)])))"),
        "{}",
        stmts[3]
    );

    let m = ok(include_str!("fixtures/drizzle.config.ts"));
    assert_eq!(
        sexp::stmts(&m.body),
        "(import \"drizzle-kit\" defineConfig:defineConfig) (import \"dotenv/config\") \
         (export-default (call defineConfig {schema:\"./src/db/schema.ts\" out:\"./drizzle\" \
         dialect:\"postgresql\" dbCredentials:{url:process.env.DATABASE_URL} tablesFilter:[\"app_*\"] \
         verbose:true strict:true}))"
    );

    let m = ok(include_str!("fixtures/mysql_sqlite.ts"));
    let consts = exported_consts(&m);
    assert_eq!(consts.len(), 3);
    assert!(
        consts[1]
            .1
            .contains("bits:(call (call t.integer).default (& 255 (~ 10)))"),
        "{}",
        consts[1].1
    );
    assert!(
        consts[1]
            .1
            .contains("big:(call (call t.blob {mode:\"bigint\"}).default 10n)"),
        "{}",
        consts[1].1
    );
    assert!(
        consts[2].1.contains("...(call columnsFor \"actor\")"),
        "{}",
        consts[2].1
    );
}

#[test]
fn snapshots() {
    let cases = [
        (
            "table",
            "export const users = pgTable('users', {\n  id: serial('id').primaryKey(),\n  ...timestamps,\n}, (t) => [index('i').on(t.id)]);\n",
        ),
        (
            "imports_and_exports",
            "import db, { type T, sql as s } from './db'\nexport * as all from './all'\nexport { db as default }\n",
        ),
        (
            "enum_and_template",
            "export const enum Role { Admin = 'admin', User }\nconst q = sql`select ${Role.Admin}`\n",
        ),
        (
            "destructuring_arrow",
            "const f = async ({ a, b: [c = 1] }, ...rest) => a ?? c\n",
        ),
        ("recovery", "const a = 1\nconst b = (2 +;\nconst c = 3\n"),
    ];
    for (name, src) in cases {
        insta::assert_debug_snapshot!(name, parse(src));
    }
}

#[test]
fn assorted_typescript() {
    for src in [
        "const id = <const T,>(x: T) => x",
        "const f = (): Foo => ({})",
        "const a = b satisfies B as C",
        "f?.<T>()",
        "class A implements B {}",
        "x = y as unknown as T[]",
        "type O = { m<T>(x: T): T; readonly [k: string]: unknown }",
        "interface I { get x(): number; set x(v: number) }",
        "declare module '*.svg' { const c: string; export default c }",
        "type K = keyof typeof x[number]",
        "function f(xs: readonly string[], t?: [a: string, b?: number]) {}",
        "const g = <T = string>(x: T) => x",
        "a!.b!.c = 5",
        "x! = 5",
        "export type Row = typeof users.$inferSelect;",
        "export const t = pgTable('t', { id: text().$defaultFn(() => crypto.randomUUID()) }, (t) => ({ pk: primaryKey({ columns: [t.id] }) }))",
        "export const v = vector('embedding', { dimensions: 1536 }).array()",
        "foreignKey({ columns: [t.a], foreignColumns: [other.id] }).onDelete('cascade')",
        "const enum E { A = 1 << 0, B = A | 2, C = 'c'.length }",
        "let x: Array<{ a: string }>[] = []",
        "function f<T extends (...args: any) => any>(fn: T): ReturnType<T> { return fn() }",
        "type A = new () => void",
        "type B = T extends string ? 'a' : T extends number ? 'b' : never",
        "x = a ? (b) : c",
        "x = a ? (b, c) : d",
        "x = (a) ? b : c",
        "const { default: d } = await import('./x')",
        "if (a) { } else { }",
        "export { type A as B, c as 'd-e' }",
        "abstract class A { abstract m(): void; protected x = 1; static { init() } }",
        "const x = { async *gen() { yield* other() }, [`k${i}`]: 1 }",
        "label: { break label }",
        "for (let i = 0, j = n; i < j; i++, j--) swap(i, j)",
        "while (true) { if (x) break; else continue }",
        "function F() { if (!new.target) return new F(); }",
    ] {
        let errors = parse(src).errors;
        assert!(errors.is_empty(), "{src}: {errors:#?}");
    }
}

#[test]
fn token_kind_table_matches_discriminants() {
    for (i, k) in super::ALL_KINDS.iter().enumerate() {
        assert_eq!(*k as usize, i, "{k:?}");
    }
}

/// The tree of a 1000-table schema holds about a hundred thousand expressions: their size is
/// most of the front end's memory (see bench/README.md). Grow them only on purpose.
#[test]
fn syntax_nodes_stay_small() {
    use crate::syntax::ast::{Arg, Atom, Expr, Prop};
    assert_eq!(size_of::<Atom>(), 8, "names are thin pointers");
    assert!(
        size_of::<Expr>() <= 40,
        "Expr is {} bytes",
        size_of::<Expr>()
    );
    assert!(size_of::<Arg>() <= 48, "Arg is {} bytes", size_of::<Arg>());
    assert!(
        size_of::<Prop>() <= 64,
        "Prop is {} bytes",
        size_of::<Prop>()
    );
}

/// The parse of the whole text in one piece, as files under [`SPLIT_MIN_BYTES`] are parsed.
fn whole(text: &str) -> Parsed {
    crate::syntax::lexer::with_atoms(|| parse_from(text, 0))
}

/// The fixtures one after the other (a shebang line only where it is valid: first), `times`
/// times.
fn fixtures_joined(times: usize) -> String {
    let mut text = String::new();
    for _ in 0..times {
        for (_, src) in FIXTURES {
            let src = match src.strip_prefix("#!") {
                Some(rest) if !text.is_empty() => &rest[rest.find('\n').unwrap_or(0)..],
                _ => src,
            };
            text.push_str(src);
            text.push('\n');
        }
    }
    text
}

/// Fixtures repeated until the text is large enough to be parsed in two halves.
fn large_schema() -> String {
    let times = SPLIT_MIN_BYTES / fixtures_joined(1).len() + 2;
    fixtures_joined(times)
}

#[test]
fn a_large_file_parsed_in_halves_is_the_whole_parse() {
    let text = large_schema();
    let at = split_point(&text).expect("a cut point after the middle");
    assert!(at > text.len() / 2);
    let one = whole(&text);
    assert!(one.errors.is_empty(), "{:#?}", one.errors);
    assert!(parse_halves(&text, at) == Some(one.clone()));
    assert!(parse(&text) == one);
}

#[test]
fn every_cut_at_a_statement_start_gives_the_whole_parse() {
    let text = fixtures_joined(2);
    let one = whole(&text);
    assert!(one.errors.is_empty(), "{:#?}", one.errors);
    let mut cuts = 0;
    for (i, _) in text.match_indices('\n') {
        let at = i + 1;
        let rest = &text[at..];
        if rest.starts_with("export ") || rest.starts_with("const ") {
            assert!(parse_halves(&text, at) == Some(one.clone()), "cut at {at}");
            cuts += 1;
        }
    }
    assert!(cuts > 20, "{cuts} cuts");
}

#[test]
fn a_cut_inside_a_literal_or_comment_falls_back_to_the_whole_parse() {
    let head = large_schema();
    for trap in [
        "const a = `\nexport const b = 1\n`;\n",
        "/*\nconst b = 1\n*/\nconst a = 2;\n",
        "const a = 'one \\\nconst b = 2';\n",
        "const f = () => {\nconst b = 1\n};\n",
        "const a = [\nexport const b = 1\n",
    ] {
        let cut = trap.find("\nexport ").or(trap.find("\nconst b")).unwrap() + 1;
        let text = format!("{head}{trap}const tail = 1;\n");
        let at = head.len() + cut;
        assert!(parse_halves(&text, at).is_none(), "{trap:?}");
        assert!(parse(&text) == whole(&text), "{trap:?}");
    }
}

#[test]
fn errors_in_a_large_file_are_those_of_the_whole_parse() {
    let text = large_schema();
    let at = split_point(&text).unwrap();
    for broken in [
        format!("{}const = ;\n{}", &text[..at], &text[at..]),
        format!("{}{})\n", &text[..at], &text[at..]),
        format!("{}`\n{}", &text[..at], &text[at..]),
    ] {
        let parsed = parse(&broken);
        assert!(!parsed.errors.is_empty());
        assert!(parsed == whole(&broken));
    }
}

/// Damaged large files (cut short, a byte replaced, a line dropped) parse exactly as the whole
/// does, wherever the damage falls relative to the cut.
#[test]
fn damaged_large_files_parse_as_the_whole() {
    let text = large_schema();
    let at = split_point(&text).unwrap();
    let replacements = ["(", "{", "'", "`", "/*", "}", ")", "\n", "export ", ""];
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // Positions spread over the file and packed around the cut.
    let mut positions: Vec<usize> = (1..40).map(|k| text.len() * k / 40).collect();
    positions.extend((0..20).map(|k| at.saturating_sub(200) + k * 20));
    for (n, &p) in positions.iter().enumerate() {
        let p = boundary(p.min(text.len() - 1));
        let next = boundary((p + 1).min(text.len()));
        let r = replacements[n % replacements.len()];
        for damaged in [
            text[..p].to_string(),
            format!("{}{r}{}", &text[..p], &text[next..]),
        ] {
            assert!(parse(&damaged) == whole(&damaged), "damage at {p} ({r:?})");
        }
    }
}
