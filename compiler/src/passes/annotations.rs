//! `@renamed-from` annotations: comments in the schema source that answer rename questions
//! (`spec/renames.md`).
//!
//! ```ts
//! // @renamed-from users
//! export const customers = pgTable("customers", {
//!   /** @renamed-from name */
//!   fullName: text("full_name"),
//!   email: text(), // @renamed-from mail
//! });
//! ```
//!
//! An annotation belongs to the entity whose declaration follows it with only a declaration
//! head in between (`export const x =`, `key:`), or, as a line comment, to the entity declared
//! earlier on the same line.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location, codes};
use crate::migration::rename::{Hint, HintSource, Kind};
use crate::schema::Schema;
use crate::syntax::ast::Comment;

const TAG: &str = "@renamed-from";

/// One file's text and comments.
pub type FileSource<'a> = (&'a str, &'a [Comment]);

/// Whether a source text can hold an annotation: [`renamed_from`] finds nothing in a program
/// none of whose texts can (every annotation is a comment holding the tag), and a caller can skip
/// it, which walks every entity of the schema.
pub fn may_annotate(text: &str) -> bool {
    text.contains(TAG)
}

/// The rename hints the schema's annotations give, and diagnostics for annotations that are
/// malformed or belong to nothing.
pub fn renamed_from<'a>(
    schema: &Schema,
    source: &dyn Fn(&Path) -> Option<FileSource<'a>>,
) -> (Vec<Hint>, Vec<Diagnostic>) {
    let entities = entities(schema);
    let mut files: Vec<&Path> = entities.iter().map(|e| &*e.origin.file).collect();
    files.sort();
    files.dedup();
    let mut hints = Vec::new();
    let mut diags = Vec::new();
    for file in files {
        let Some((text, comments)) = source(file) else {
            continue;
        };
        let here: Vec<&Entity> = entities
            .iter()
            .filter(|e| &*e.origin.file == file)
            .collect();
        for c in comments.iter().filter(|c| c.text.contains(TAG)) {
            let at = Location {
                file: file.into(),
                span: c.span,
            };
            let Some(from) = annotated_name(&c.text) else {
                diags.push(
                    Diagnostic::error(
                        codes::ANNOTATION_INVALID,
                        "`@renamed-from` needs the old name".to_string(),
                    )
                    .with_location(&at, "this annotation")
                    .with_help("write `// @renamed-from old_name` above the declaration"),
                );
                continue;
            };
            match attached(text, comments, c, &here) {
                Some(e) => hints.push(e.hint(from)),
                None => diags.push(
                    Diagnostic::warning(
                        codes::ANNOTATION_IGNORED,
                        "this `@renamed-from` annotation is not on a table, column or other \
                         schema entity, so it is ignored"
                            .to_string(),
                    )
                    .with_location(&at, "not attached to a declaration")
                    .with_help(
                        "put it on the line right above the declaration (`export const t = \
                         pgTable(...)` or `column: text()`), or at the end of the column's line",
                    ),
                ),
            }
        }
    }
    (hints, diags)
}

/// The old name after the tag: the next word, without quotes.
fn annotated_name(comment: &str) -> Option<String> {
    let rest = &comment[comment.find(TAG)? + TAG.len()..];
    let word = rest
        .split_whitespace()
        .next()?
        .trim_matches(|c| matches!(c, '"' | '\'' | '`'));
    (!word.is_empty() && !word.starts_with('@') && !word.starts_with('*')).then(|| word.to_string())
}

/// A declared entity an annotation can name.
struct Entity {
    kind: Kind,
    /// For columns: the table's key.
    scope: Option<String>,
    /// The entity's key (`schema.name` for kinds in a schema).
    key: String,
    /// Its schema, for completing an unqualified old name.
    schema: String,
    origin: Location,
}

impl Entity {
    fn hint(&self, from: String) -> Hint {
        let from = if self.kind.in_schema() && !from.contains('.') {
            format!("{}.{from}", self.schema)
        } else {
            from
        };
        Hint {
            kind: Some(self.kind),
            scope: self.scope.clone(),
            rename_from: Some(from),
            to: self.key.clone(),
            source: HintSource::Annotation(self.origin.clone()),
        }
    }
}

fn entities(schema: &Schema) -> Vec<Entity> {
    let key = |s: &Option<String>, n: &str| format!("{}.{n}", s.as_deref().unwrap_or("public"));
    let public = |s: &Option<String>| s.as_deref().unwrap_or("public").to_string();
    let mut out = Vec::new();
    let mut push = |kind, scope, key: String, schema: String, origin: &Location| {
        out.push(Entity {
            kind,
            scope,
            key,
            schema,
            origin: origin.clone(),
        })
    };
    for s in &schema.schemas {
        push(
            Kind::Schema,
            None,
            s.name.clone(),
            s.name.clone(),
            &s.origin,
        );
    }
    for e in &schema.enums {
        push(
            Kind::Enum,
            None,
            key(&e.schema, &e.name),
            public(&e.schema),
            &e.origin,
        );
    }
    for q in &schema.sequences {
        push(
            Kind::Sequence,
            None,
            key(&q.schema, &q.name),
            public(&q.schema),
            &q.origin,
        );
    }
    for r in &schema.roles {
        push(Kind::Role, None, r.name.clone(), String::new(), &r.origin);
    }
    for t in &schema.tables {
        let tkey = key(&t.schema, &t.name);
        push(
            Kind::Table,
            None,
            tkey.clone(),
            public(&t.schema),
            &t.origin,
        );
        for c in &t.columns {
            push(
                Kind::Column,
                Some(tkey.clone()),
                c.name.clone(),
                String::new(),
                &c.origin,
            );
        }
        for p in &t.policies {
            push(
                Kind::Policy,
                Some(tkey.clone()),
                p.name.clone(),
                String::new(),
                &p.origin,
            );
        }
    }
    for p in &schema.policies {
        push(Kind::Policy, None, p.name.clone(), String::new(), &p.origin);
    }
    for v in &schema.views {
        push(
            Kind::View,
            None,
            key(&v.schema, &v.name),
            public(&v.schema),
            &v.origin,
        );
    }
    out
}

/// The entity the annotation comment `c` belongs to.
fn attached<'e>(
    text: &str,
    comments: &[Comment],
    c: &Comment,
    entities: &[&'e Entity],
) -> Option<&'e Entity> {
    // The span includes the delimiters.
    let (opener, end) = (c.span.range().start, c.span.range().end);
    let at = |e: &Entity| e.origin.span.range().start;
    let line_start = text.get(..opener)?.rfind('\n').map_or(0, |i| i + 1);
    if !c.block && !text[line_start..opener].trim().is_empty() {
        // Trailing: a line comment after code belongs to the declaration that starts on its line.
        return entities
            .iter()
            .filter(|e| (line_start..opener).contains(&at(e)))
            .max_by_key(|e| at(e))
            .copied();
    }
    // Leading: the first declaration after the comment, with only a declaration head between.
    entities
        .iter()
        .filter(|e| at(e) >= end)
        .min_by_key(|e| at(e))
        .filter(|e| is_head(text, comments, end, at(e)))
        .copied()
}

/// Whether `text[from..to]` holds only what may stand between an annotation and the declaration
/// it is on: other comments, whitespace, names, `export const x =`, `key:`, quoted keys.
fn is_head(text: &str, comments: &[Comment], from: usize, to: usize) -> bool {
    let mut pos = from;
    for r in comments
        .iter()
        .map(|c| c.span.range())
        .filter(|r| r.start >= from && r.end <= to)
    {
        if !text.get(pos..r.start).is_some_and(head_chars) {
            return false;
        }
        pos = r.end;
    }
    text.get(pos..to).is_some_and(head_chars)
}

/// Declaration heads (`export const t = pgTable(`, `key:`). A table's declaration starts at its name argument, so
/// the call's head (`pgTable(`, `mySchema.table(`) is part of it.
fn head_chars(s: &str) -> bool {
    s.chars().all(|ch| {
        ch.is_alphanumeric()
            || ch.is_whitespace()
            || matches!(ch, '_' | '$' | ':' | '=' | '"' | '\'' | '(' | '.')
    })
}

/// Where the entity `key` of `kind` (in the table `scope` for columns and table policies) is
/// declared.
pub fn declaration(
    schema: &Schema,
    kind: Kind,
    scope: Option<&str>,
    key: &str,
) -> Option<Location> {
    entities(schema)
        .into_iter()
        .find(|e| e.kind == kind && e.scope.as_deref() == scope && e.key == key)
        .map(|e| e.origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;

    /// A hint as `(kind, scope, from, to)`.
    type HintParts = (Kind, Option<String>, String, String);

    /// Compiles `source` as `schema.ts` and returns the hints and diagnostics of its annotations.
    fn hints_of(source: &str) -> (Vec<HintParts>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("schema.ts");
        std::fs::write(&file, source).unwrap();
        let mut project = Project::new(dir.path());
        let c = project.compile_schema(
            std::slice::from_ref(&file),
            Default::default(),
            Default::default(),
        );
        assert!(!c.has_errors(), "{:?}", c.diagnostics);
        let texts = project.source_texts();
        let (hints, diags) = renamed_from(&c.schema, &|p| {
            Some((
                texts.get(p)?.as_str(),
                project.parsed(p)?.module.comments.as_slice(),
            ))
        });
        let hints = hints
            .into_iter()
            .map(|h| (h.kind.unwrap(), h.scope, h.rename_from.unwrap(), h.to))
            .collect();
        (hints, diags)
    }

    #[test]
    fn annotations_above_and_after_declarations() {
        let (hints, diags) = hints_of(
            r#"import { pgTable, integer, text, pgEnum } from "drizzle-orm/pg-core";
// @renamed-from users
export const customers = pgTable("customers", {
  id: integer().primaryKey(),
  /** @renamed-from name */
  fullName: text("full_name"),
  email: text(), // @renamed-from mail
  /** The phone. */
  // @renamed-from tel
  phone: text(),
});
/**
 * Moods.
 * @renamed-from feelings
 */
export const mood = pgEnum("mood", ["a"]);
"#,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let t = Some("public.customers".to_string());
        assert_eq!(
            hints,
            [
                (
                    Kind::Table,
                    None,
                    "public.users".into(),
                    "public.customers".into()
                ),
                (Kind::Column, t.clone(), "name".into(), "full_name".into()),
                (Kind::Column, t.clone(), "mail".into(), "email".into()),
                (Kind::Column, t, "tel".into(), "phone".into()),
                (
                    Kind::Enum,
                    None,
                    "public.feelings".into(),
                    "public.mood".into()
                ),
            ]
        );
    }

    #[test]
    fn stray_and_empty_annotations_are_reported() {
        let (hints, diags) = hints_of(
            r#"import { pgTable, integer } from "drizzle-orm/pg-core";
const x = 1; // @renamed-from nothing
export const t = pgTable("t", {
  id: integer(),
  // @renamed-from
  n: integer(),
});
"#,
        );
        assert!(hints.is_empty(), "{hints:?}");
        let codes: Vec<&str> = diags.iter().map(|d| d.code.0).collect();
        assert_eq!(codes, ["W7001", "E7002"]);
    }
}
