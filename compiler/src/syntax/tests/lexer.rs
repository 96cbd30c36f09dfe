//! Lexer tests: token kinds, cooked values, templates, regexes, trivia and errors.

use super::*;
use TokenKind as K;

fn kinds(src: &str) -> Vec<TokenKind> {
    lex(src).tokens.iter().map(|t| t.kind).collect()
}

fn texts(src: &str) -> Vec<&str> {
    lex(src).tokens.iter().map(|t| t.text(src)).collect()
}

#[test]
fn keywords_identifiers_and_punctuators() {
    assert_eq!(
        kinds("export const x = a?.b ?? c;"),
        [
            K::Export,
            K::Const,
            K::Ident,
            K::Eq,
            K::Ident,
            K::QuestionDot,
            K::Ident,
            K::QuestionQuestion,
            K::Ident,
            K::Semi
        ]
    );
    assert_eq!(
        kinds("type as from of satisfies $x _y éà #priv"),
        [
            K::Type,
            K::As,
            K::From,
            K::Of,
            K::Satisfies,
            K::Ident,
            K::Ident,
            K::Ident,
            K::PrivateName
        ]
    );
    assert_eq!(
        kinds("... => ??= **= &&= ||= >>>= !== ==="),
        [
            K::DotDotDot,
            K::Arrow,
            K::QuestionQuestionEq,
            K::StarStarEq,
            K::AmpAmpEq,
            K::PipePipeEq,
            K::Gt,
            K::Gt,
            K::Gt,
            K::Eq,
            K::BangEqEq,
            K::EqEqEq
        ]
    );
    assert!(K::Type.is_ident_like() && !K::Const.is_ident_like() && K::Const.is_ident_name());
}

#[test]
fn greater_than_is_always_single() {
    assert_eq!(
        kinds("Array<Array<number>>"),
        [K::Ident, K::Lt, K::Ident, K::Lt, K::Ident, K::Gt, K::Gt]
    );
    let toks = lex("a >>= b").tokens;
    assert_eq!(toks[1].span, Span::new(2, 3));
    assert_eq!(toks[2].span, Span::new(3, 4));
    assert_eq!(toks[3].kind, K::Eq);
}

#[test]
fn numbers() {
    let cases = [
        ("1_000", 1000.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.5E-1", 0.15),
        ("0xFF", 255.0),
        ("0o17", 15.0),
        ("0b101", 5.0),
        ("3.", 3.0),
    ];
    for (src, value) in cases {
        let lexed = lex(src);
        assert!(lexed.errors.is_empty(), "{src}: {:?}", lexed.errors);
        assert_eq!(lexed.tokens.len(), 1, "{src}");
        assert_eq!(lexed.tokens[0].kind, K::Num, "{src}");
        assert_eq!(number_value(lexed.tokens[0].text(src)), value, "{src}");
    }
    assert_eq!(kinds("10n 0xFFn"), [K::BigInt, K::BigInt]);
    assert_eq!(texts("a?.5:1"), ["a", "?", ".5", ":", "1"]);
    let bad = lex("3in");
    assert_eq!(bad.errors.len(), 1);
    assert_eq!(bad.errors[0].span, Span::new(1, 2));
}

#[test]
fn strings_are_cooked() {
    let src = r#"'a\'b' "q\"\\\n\t" '\x41\u0042\u{1F600}\uD83D\uDE00' 'line\
cont' '\0'"#;
    let lexed = lex(src);
    assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
    let values: Vec<_> = lexed
        .tokens
        .iter()
        .map(|t| string_value(t.text(src)))
        .collect();
    assert_eq!(
        values,
        ["a'b", "q\"\\\n\t", "AB\u{1F600}\u{1F600}", "linecont", "\0"]
    );
}

#[test]
fn plain_strings_and_integers_take_the_short_path_to_the_same_values() {
    assert_eq!(string_value("''"), "");
    assert_eq!(string_value(r#"'say "hi"'"#), r#"say "hi""#);
    assert_eq!(string_value(r#""it's""#), "it's");
    // Not closed by its own quote: only the opening quote is dropped.
    assert_eq!(string_value(r#"'abc""#), "abc\"");
    assert_eq!(number_value("100"), 100.0);
    assert_eq!(number_value("007"), 7.0);
    assert_eq!(number_value("999999999999999"), 999_999_999_999_999.0);
    assert_eq!(
        number_value("12345678901234567890"),
        12_345_678_901_234_567_890.0
    );
}

#[test]
fn bad_escapes_and_unterminated_strings() {
    let lexed = lex(r"'\x4' '\u12'");
    assert_eq!(lexed.errors.len(), 2, "{:?}", lexed.errors);
    assert_eq!(lexed.errors[0].span, Span::new(1, 3));

    let src = "const a = 'abc\nconst b = 1";
    let lexed = lex(src);
    assert_eq!(lexed.errors.len(), 1);
    assert_eq!(lexed.errors[0].message, "unterminated string literal");
    assert_eq!(lexed.errors[0].span, Span::new(10, 14));
    // Lexing continues on the next line.
    assert_eq!(lexed.tokens.last().map(|t| t.kind), Some(K::Num));
    assert!(lexed.tokens[3].unterminated);
    assert_eq!(string_value(lexed.tokens[3].text(src)), "abc");
}

#[test]
fn templates_nest() {
    let src = "`a${ `b${c}` }d${ {x: '}'}.x }e`";
    let lexed = lex(src);
    assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
    assert_eq!(
        kinds(src),
        [
            K::TemplateHead,
            K::TemplateHead,
            K::Ident,
            K::TemplateTail,
            K::TemplateMiddle,
            K::LBrace,
            K::Ident,
            K::Colon,
            K::Str,
            K::RBrace,
            K::Dot,
            K::Ident,
            K::TemplateTail
        ]
    );
    let values: Vec<_> = lexed
        .tokens
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                K::TemplateHead | K::TemplateMiddle | K::TemplateTail
            )
        })
        .map(|t| template_value(t, t.text(src)))
        .collect();
    assert_eq!(values, ["a", "b", "", "d", "e"]);
    let escaped = "`x\\`y\r\nz`";
    let token = lex(escaped).tokens[0];
    assert_eq!(template_value(&token, token.text(escaped)), "x`y\nz");
}

#[test]
fn unterminated_template() {
    let lexed = lex("sql`select ${a");
    assert_eq!(lexed.errors.len(), 1, "{:?}", lexed.errors);
    assert_eq!(lexed.errors[0].span, Span::new(3, 14));
    let src = "x = `abc";
    let lexed = lex(src);
    assert_eq!(lexed.errors.len(), 1);
    assert_eq!(lexed.tokens[2].kind, K::Template);
    assert_eq!(
        template_value(&lexed.tokens[2], lexed.tokens[2].text(src)),
        "abc"
    );
}

#[test]
fn regex_or_division() {
    assert_eq!(
        kinds("a / b / c"),
        [K::Ident, K::Slash, K::Ident, K::Slash, K::Ident]
    );
    assert_eq!(
        kinds("x = /ab+c/gi.test(s)"),
        [
            K::Ident,
            K::Eq,
            K::Regex,
            K::Dot,
            K::Ident,
            K::LParen,
            K::Ident,
            K::RParen
        ]
    );
    assert_eq!(texts("f(/[/]\\//)"), ["f", "(", "/[/]\\//", ")"]);
    assert_eq!(
        kinds("(a) / 2"),
        [K::LParen, K::Ident, K::RParen, K::Slash, K::Num]
    );
    assert_eq!(kinds("return /x/"), [K::Return, K::Regex]);
    let lexed = lex("x = /abc\ny");
    assert_eq!(lexed.errors.len(), 1);
    assert_eq!(
        lexed.errors[0].message,
        "unterminated regular expression literal"
    );
}

#[test]
fn comments_are_trivia() {
    let src = "#!/usr/bin/env node\n// one\nconst /* two */ x = 1 /** three\n */ y";
    let lexed = lex(src);
    assert!(lexed.errors.is_empty());
    let texts: Vec<&str> = lexed.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" one", " two ", "* three\n "]);
    assert_eq!(&src[lexed.comments[1].span.range()], "/* two */");
    assert_eq!(kinds(src), [K::Const, K::Ident, K::Eq, K::Num, K::Ident]);
    // The multi-line comment counts as a line break before `y`.
    assert!(lexed.tokens[4].nl_before);
    assert!(!lexed.tokens[3].nl_before);

    let lexed = lex("a /* never closed");
    assert_eq!(lexed.errors.len(), 1);
    assert_eq!(lexed.errors[0].message, "unterminated block comment");
}

#[test]
fn line_flags() {
    let lexed = lex("a\n  b c\nd");
    let flags: Vec<(bool, bool)> = lexed.tokens.iter().map(|t| (t.nl_before, t.col0)).collect();
    assert_eq!(
        flags,
        [(true, true), (true, false), (false, false), (true, true)]
    );
}

#[test]
fn invalid_characters() {
    let lexed = lex("a § b");
    assert_eq!(kinds("a § b"), [K::Ident, K::Invalid, K::Ident]);
    assert_eq!(lexed.errors.len(), 1);
    assert_eq!(lexed.errors[0].span, Span::new(2, 4));
    assert!(lexed.errors[0].message.contains('§'));
    assert_eq!(lex("# x").errors.len(), 1);
}

#[test]
fn tokens_are_twelve_bytes() {
    // The token vector is the largest allocation of a parse; its text is sliced by span.
    assert_eq!(size_of::<Token<'_>>(), 12);
}

#[test]
fn identifier_escapes() {
    let src = r"\u0061bc";
    let lexed = lex(src);
    assert_eq!(lexed.tokens.len(), 1);
    assert_eq!(ident_value(lexed.tokens[0].text(src)), "abc");
}
