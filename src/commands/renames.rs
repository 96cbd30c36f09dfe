//! Answers to the rename questions of a `build` step (`spec/renames.md`): from `@renamed-from`
//! annotations, `--rename`/`--create` flags and a hints file, in that order; then a prompt on
//! a terminal. Without a terminal, open questions are errors (exit code 2) that say exactly
//! which flag or annotation answers each.

use std::io::IsTerminal;
use std::path::Path;

use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::migration::rename::{self, Answer, Hint, HintSource, Kind, Question, Rename};
use schemac_compiler::passes::annotations;
use schemac_compiler::schema::Schema;
use schemac_compiler::snapshot::PgSnapshot;

/// The flags of `build` that answer rename questions.
#[derive(clap::Args, Clone, Default)]
pub struct RenameArgs {
    /// Answers a rename question: `old=new` (`table.old=table.new` for columns; a kind may lead,
    /// as in `enum:mood=feeling`). Repeatable.
    #[arg(long = "rename", value_name = "OLD=NEW")]
    pub renames: Vec<String>,
    /// Answers a rename question with "it is new": `name` (`table.column` for columns).
    /// Repeatable.
    #[arg(long = "create", value_name = "NAME")]
    pub creates: Vec<String>,
    /// A JSON file of answers: `{"rename": ["old=new", ...], "create": ["name", ...]}`.
    #[arg(long, value_name = "FILE")]
    pub hints: Option<std::path::PathBuf>,
}

/// What deciding the renames gave.
pub enum Decided {
    Renames(Vec<Rename>, Vec<Diagnostic>),
    /// Errors: bad or unused hints, open questions (`open` > 0 means exit code 2), an aborted
    /// prompt.
    Failed {
        diagnostics: Vec<Diagnostic>,
        open: Vec<Question>,
    },
}

/// The hints from flags and the hints file, or errors for malformed ones.
pub fn hints(args: &RenameArgs) -> Result<Vec<Hint>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut add =
        |text: &str, create: bool, source: HintSource| match Hint::parse(text, create, source) {
            Ok(h) => out.push(h),
            Err(e) => errors.push(
                Diagnostic::error(codes::RENAME_HINT_INVALID, e)
                    .with_help("write `--rename old=new` or `--create name`"),
            ),
        };
    for r in &args.renames {
        add(r, false, HintSource::Flag(format!("--rename {r}")));
    }
    for c in &args.creates {
        add(c, true, HintSource::Flag(format!("--create {c}")));
    }
    if let Some(file) = &args.hints {
        match read_hints_file(file) {
            Ok(file_hints) => {
                for (text, create) in file_hints {
                    add(&text, create, HintSource::File(file.clone(), text.clone()));
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HintsFile {
    #[serde(default)]
    rename: Vec<String>,
    #[serde(default)]
    create: Vec<String>,
}

fn read_hints_file(file: &Path) -> Result<Vec<(String, bool)>, Diagnostic> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Diagnostic::error(
            codes::RENAME_HINT_INVALID,
            format!("cannot read the hints file {}: {e}", file.display()),
        )
    })?;
    let parsed: HintsFile = serde_json::from_str(&text).map_err(|e| {
        Diagnostic::error(
            codes::RENAME_HINT_INVALID,
            format!("the hints file {} is not valid: {e}", file.display()),
        )
        .with_help(r#"a hints file is `{"rename": ["old=new"], "create": ["name"]}`"#)
    })?;
    Ok(parsed
        .rename
        .into_iter()
        .map(|r| (r, false))
        .chain(parsed.create.into_iter().map(|c| (c, true)))
        .collect())
}

/// Decides the renames from `prev` to `cur` (the snapshot of `schema`).
pub fn decide(
    prev: &PgSnapshot,
    cur: &PgSnapshot,
    hints: &[Hint],
    interactive: bool,
    schema: &Schema,
) -> Decided {
    let mut used = vec![false; hints.len()];
    let mut asked: Vec<Question> = Vec::new();
    let mut open: Vec<Question> = Vec::new();
    let mut aborted = false;
    let renames = rename::resolve(prev, cur, &mut |q| {
        asked.push(q.clone());
        for (i, h) in hints.iter().enumerate() {
            if let Some(a) = h.answer(q) {
                used[i] = true;
                return a;
            }
        }
        if aborted {
            return Answer::Create;
        }
        if interactive {
            match prompt(q) {
                Some(a) => return a,
                None => {
                    aborted = true;
                    return Answer::Create;
                }
            }
        }
        open.push(q.clone());
        // Assume a rename from the likeliest candidate, so that the questions a rename leads to
        // (a renamed table's columns) are listed too.
        Answer::Rename(q.candidates[0].removed.clone())
    });

    // The open questions above assumed renames, and a removed entity taken by one is not
    // offered to the next added one: asked again assuming "new", the same step lists the
    // other added entities it may have been renamed to, so that one run gives every question
    // its answers can close (one removed table, nine added: nine questions, not one per run).
    if !open.is_empty() && !interactive && !aborted {
        let mut more = Vec::new();
        let _ = rename::resolve(prev, cur, &mut |q| {
            if let Some(a) = hints.iter().find_map(|h| h.answer(q)) {
                return a;
            }
            more.push(q.clone());
            Answer::Create
        });
        for q in more {
            let same = |o: &Question| o.kind == q.kind && o.scope == q.scope && o.added == q.added;
            if !open.iter().any(same) {
                open.push(q);
            }
        }
    }

    // A `--create` for an entity that is new, whose question another answer closed (`old=c`
    // leaves `d` nothing to be renamed from, `--create t` leaves no question about `t.c`), is no
    // mistake: every added entity is asked about when all are taken as new, and a new table's
    // columns are new.
    // (Asked only when such a `--create` is left: most steps have none.)
    let unused_create = |used: &[bool]| {
        hints
            .iter()
            .zip(used)
            .any(|(h, u)| !u && h.rename_from.is_none())
    };
    if unused_create(&used) {
        let mut all_added = Vec::new();
        let _ = rename::resolve(prev, cur, &mut |q| {
            all_added.push(q.clone());
            Answer::Create
        });
        for (h, u) in hints.iter().zip(used.iter_mut()) {
            if !*u
                && h.rename_from.is_none()
                && (all_added.iter().any(|q| h.answer(q).is_some()) || h.names_new(prev, cur))
            {
                *u = true;
            }
        }
    }

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (h, _) in hints.iter().zip(&used).filter(|(_, u)| !**u) {
        match &h.source {
            HintSource::Annotation(at) => {
                // Asked about but not answered: the old name is not among the removed ones. Not
                // asked about: the rename is already in an earlier migration (or nothing of the
                // kind was removed), and the annotation can stay.
                let was_asked = asked
                    .iter()
                    .any(|q| Some(q.kind) == h.kind && q.scope == h.scope && q.added == h.to);
                if was_asked {
                    warnings.push(
                        Diagnostic::warning(
                            codes::ANNOTATION_UNUSED,
                            format!(
                                "`@renamed-from {}`: no {} of that name was removed since the \
                                 last migration",
                                short(h.rename_from.as_deref().unwrap_or_default()),
                                h.kind.map_or("entity", Kind::noun)
                            ),
                        )
                        .with_location(at, "this declaration"),
                    );
                }
            }
            HintSource::Flag(text) | HintSource::File(_, text) => {
                let mut d = Diagnostic::error(
                    codes::RENAME_HINT_UNUSED,
                    format!(
                        "`{text}` answers no rename question of this step{}",
                        match &h.source {
                            HintSource::File(f, _) => format!(" (in {})", f.display()),
                            _ => String::new(),
                        }
                    ),
                );
                for q in &asked {
                    d = d.with_note(format!("a question of this step: {}", question_text(q)));
                }
                if asked.is_empty() {
                    d = d.with_note("nothing was both removed and added since the last migration");
                }
                errors.push(d.with_help(
                    "name the entity as it is in the schema: `old=new`, `table.old=table.new` for \
                     a column",
                ));
            }
        }
    }
    if aborted {
        errors.push(Diagnostic::error(
            codes::RENAME_UNANSWERED,
            "the rename question was not answered; nothing was written".to_string(),
        ));
    }
    for q in &open {
        errors.push(unanswered(q, schema));
    }
    if errors.is_empty() {
        Decided::Renames(renames, warnings)
    } else {
        errors.extend(warnings);
        Decided::Failed {
            diagnostics: errors,
            open,
        }
    }
}

/// Whether questions may be asked: stdin and stderr are terminals.
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The name without `public.`.
fn short(key: &str) -> &str {
    key.strip_prefix("public.").unwrap_or(key)
}

/// `table "customers"`, `column "full_name" of table "customers"`.
fn entity(kind: Kind, scope: Option<&str>, key: &str) -> String {
    match scope {
        Some(t) => format!("{} \"{key}\" of table \"{}\"", kind.noun(), short(t)),
        None => format!("{} \"{}\"", kind.noun(), short(key)),
    }
}

fn question_text(q: &Question) -> String {
    format!(
        "{} is new, and {} {} removed: renamed or created?",
        entity(q.kind, q.scope.as_deref(), &q.added),
        q.candidates
            .iter()
            .map(|c| format!("\"{}\"", short(&c.removed)))
            .collect::<Vec<_>>()
            .join(", "),
        if q.candidates.len() == 1 {
            "was"
        } else {
            "were"
        }
    )
}

/// How a user names an entity in `--rename`/`--create`.
fn flag_name(q: &Question, key: &str) -> String {
    match &q.scope {
        Some(t) => format!("{}.{key}", short(t)),
        None => short(key).to_string(),
    }
}

/// E7003: an open question, with the exact flag or annotation that answers it each way.
fn unanswered(q: &Question, schema: &Schema) -> Diagnostic {
    let mut d = Diagnostic::error(
        codes::RENAME_UNANSWERED,
        format!(
            "is {} renamed from another {}, or new?",
            entity(q.kind, q.scope.as_deref(), &q.added),
            q.kind.noun()
        ),
    );
    if let Some(at) = annotations::declaration(schema, q.kind, q.scope.as_deref(), &q.added) {
        d = d.with_location(&at, "declared here");
    }
    for c in &q.candidates {
        d = d.with_note(format!(
            "removed: {} (likeness {:.0}%)",
            entity(q.kind, q.scope.as_deref(), &c.removed),
            c.score * 100.0
        ));
    }
    let mut help = Vec::new();
    if let Some(from) = q.candidates.first().map(|c| c.removed.as_str()) {
        // An annotation's unqualified name is in the entity's own schema.
        let schema_of = |key: &str| key.rsplit_once('.').map(|(s, _)| s.to_string());
        let old = match q.kind {
            k if k.in_schema() && schema_of(from) == schema_of(&q.added) => {
                from.rsplit_once('.').map_or(from, |(_, n)| n).to_string()
            }
            Kind::Column | Kind::Policy => from.to_string(),
            _ => short(from).to_string(),
        };
        help.push(format!(
            "if it was renamed: put `// @renamed-from {old}` on the line above its declaration, \
             or pass `--rename {}={}`",
            flag_name(q, from),
            flag_name(q, &q.added)
        ));
    }
    let loses = match q.kind {
        Kind::Table | Kind::Column | Kind::Schema => " with its data",
        _ => "",
    };
    help.push(format!(
        "if it is new (the removed one is dropped{loses}): pass `--create {}`",
        flag_name(q, &q.added)
    ));
    d.with_help(help.join("\n"))
}

/// Asks on the terminal; `None` when the user aborts (Esc).
fn prompt(q: &Question) -> Option<Answer> {
    let added = short(&q.added).to_string();
    let mut items = vec![format!("+ {added}   create {}", q.kind.noun())];
    for c in &q.candidates {
        items.push(format!(
            "~ {} › {added}   rename {}",
            short(&c.removed),
            q.kind.noun()
        ));
    }
    let default = q
        .suggestion()
        .and_then(|s| q.candidates.iter().position(|c| c.removed == s))
        .map_or(0, |i| i + 1);
    let title = match &q.scope {
        Some(t) => format!(
            "Is {} \"{added}\" in table \"{}\" created or renamed from another {}?",
            q.kind.noun(),
            short(t),
            q.kind.noun()
        ),
        None => format!(
            "Is {} \"{added}\" created or renamed from another {}?",
            q.kind.noun(),
            q.kind.noun()
        ),
    };
    let chosen = dialoguer::Select::new()
        .with_prompt(title)
        .items(&items)
        .default(default)
        .interact_on_opt(&dialoguer::console::Term::stderr())
        .ok()??;
    Some(match chosen {
        0 => Answer::Create,
        i => Answer::Rename(q.candidates[i - 1].removed.clone()),
    })
}
