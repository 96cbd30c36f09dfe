//! `JSON.stringify(value, null, 2)` for the snapshot and journal: serde_json's compact
//! serializer with a formatter that lays out containers as JavaScript does.
//!
//! serde_json's own `PrettyFormatter` gives the same text, but writes the indentation two bytes
//! at a time; a snapshot of a thousand tables is about a million indented lines, so here a line
//! break and its indentation are one write.

use std::io::{self, Write};

use serde::Serialize;

/// `JSON.stringify(value, null, 2)`: two-space indentation, `": "` after keys, `{}` and `[]` for
/// empty containers, no trailing newline. `size_hint` is the capacity reserved for the text.
pub(super) fn stringify<T: Serialize>(value: &T, size_hint: usize) -> String {
    let mut out = Vec::with_capacity(size_hint);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, JsFormatter::default());
    value
        .serialize(&mut ser)
        .expect("snapshot types always serialize");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A line break followed by the indentation of the deepest level written in one piece; deeper
/// levels (only possible in nested option values) repeat it.
const BREAK: &[u8] = b"\n                                                                ";

/// The layout state: how deep the writer is, and whether the current container has an element
/// (an empty container closes on the same line: `{}`, `[]`).
#[derive(Default)]
struct JsFormatter {
    depth: usize,
    has_value: bool,
}

impl JsFormatter {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            new_line(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn element<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        new_line(w, self.depth)
    }
}

/// A line break and `depth` levels of two-space indentation.
fn new_line<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    let mut spaces = depth * 2;
    let first = spaces.min(BREAK.len() - 1);
    w.write_all(&BREAK[..=first])?;
    spaces -= first;
    while spaces > 0 {
        let n = spaces.min(BREAK.len() - 1);
        w.write_all(&BREAK[1..=n])?;
        spaces -= n;
    }
    Ok(())
}

impl serde_json::ser::Formatter for JsFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::stringify;

    /// The layout of `JSON.stringify(v, null, 2)` (the expected texts are what Node.js prints),
    /// including nesting deeper than one piece of indentation covers.
    #[test]
    fn lays_out_like_javascript() {
        let v = serde_json::json!({"a": [], "b": {}, "c": [1, {"d": "x\"y"}], "e": true});
        assert_eq!(
            stringify(&v, 0),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": \"x\\\"y\"\n    }\n  ],\n  \"e\": true\n}"
        );
        let mut deep = serde_json::json!(1);
        for _ in 0..40 {
            deep = serde_json::json!([deep]);
        }
        let pretty = {
            let mut out = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b"  ");
            let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
            serde::Serialize::serialize(&deep, &mut ser).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(stringify(&deep, 0), pretty);
        assert!(pretty.contains(&format!("\n{}1\n", " ".repeat(80))));
    }
}
