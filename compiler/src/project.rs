//! The front end's driver: finds the files of a program, loads them into the incremental
//! database, resolves their imports, and runs the queries. The CLI talks to this module.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use salsa::Setter;

use crate::db::{self, Database, Program, Resolved, SourceFile, Sources};
use crate::diagnostics::{Diagnostic, codes, sort_and_dedup};
use crate::eval::EvalOptions;
use crate::resolve::{RealFs, Resolution, Resolver};
use crate::schema::Schema;
use crate::span::Span;

/// A front end session over one working directory; keeps parsed files between compilations.
pub struct Project {
    pub db: Database,
    sources: Sources,
    resolver: Resolver<RealFs>,
    program: Option<Program>,
    pub cwd: PathBuf,
}

/// The files of a program being loaded, in discovery order.
#[derive(Default)]
struct Loading {
    files: Vec<SourceFile>,
    index: HashMap<PathBuf, usize>,
    /// Per file, how each of its imports resolved.
    imports: Vec<BTreeMap<String, Resolved>>,
    /// Files whose imports are still to resolve.
    queue: VecDeque<usize>,
}

impl Loading {
    fn add(&mut self, path: PathBuf, file: SourceFile) -> usize {
        let i = self.files.len();
        self.index.insert(path, i);
        self.files.push(file);
        self.imports.push(BTreeMap::new());
        self.queue.push_back(i);
        i
    }
}

/// What compiling the schema gave.
pub struct Compilation {
    pub schema: Arc<Schema>,
    /// Sorted by file and position; errors make `schema` unusable.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Project {
    pub fn new(cwd: &Path) -> Project {
        Project::with_database(cwd, Database::default())
    }

    /// A project over a given database (e.g. one that logs query executions).
    pub fn with_database(cwd: &Path, db: Database) -> Project {
        Project {
            db,
            sources: Sources::default(),
            resolver: Resolver::new(RealFs),
            program: None,
            cwd: cwd.to_path_buf(),
        }
    }

    /// Every loaded file's text (for rendering diagnostics).
    pub fn source_texts(&self) -> HashMap<PathBuf, String> {
        self.sources.texts(&self.db)
    }

    /// Reads a file into the database; `None` (with a diagnostic) when it cannot be read.
    fn load_file(
        &mut self,
        path: &Path,
        diags: &mut Vec<Diagnostic>,
        from: Option<(&Arc<Path>, Span)>,
    ) -> Option<SourceFile> {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Some(self.sources.set(&mut self.db, path, text)),
                Err(_) => {
                    let mut d = Diagnostic::error(
                        codes::IO,
                        format!("`{}` is not UTF-8 text", path.display()),
                    );
                    if let Some((file, span)) = from {
                        d = d.with_label(file, span, "imported here");
                    }
                    diags.push(d);
                    None
                }
            },
            Err(e) => {
                let mut d =
                    Diagnostic::error(codes::IO, format!("cannot read `{}`: {e}", path.display()));
                if let Some((file, span)) = from {
                    d = d.with_label(file, span, "imported here");
                }
                diags.push(d);
                None
            }
        }
    }

    /// Loads `entries` and every file they import (transitively), and updates the program input.
    pub fn load(
        &mut self,
        entries: &[PathBuf],
        env: BTreeMap<String, String>,
        options: EvalOptions,
    ) -> (Program, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut l = Loading::default();
        let mut entry_ids = Vec::new();
        for e in entries {
            let path = normalize(&self.cwd.join(e));
            if let Some(&i) = l.index.get(&path) {
                entry_ids.push(i);
                continue;
            }
            if let Some(f) = self.load_file(&path, &mut diags, None) {
                entry_ids.push(l.add(path, f));
            }
        }
        parse_in_parallel(&self.db, &l.files);
        while let Some(i) = l.queue.pop_front() {
            let file = l.files[i];
            let path: Arc<Path> = file.path(&self.db).clone();
            let refs = db::imports(&self.db, file).clone();
            let mut resolved = BTreeMap::new();
            for r in refs {
                let res = match self.resolver.resolve(&r.specifier, &path) {
                    Resolution::File(p) => {
                        if !is_script(&p) {
                            diags.push(
                                Diagnostic::error(codes::UNRESOLVED_IMPORT, format!("`{}` is not a TypeScript or JavaScript module", r.specifier))
                                    .with_label(&path, r.span, "imported here")
                                    .with_note(format!("it resolves to `{}`", p.display()))
                                    .with_help("schemac reads TypeScript, JavaScript and JSON modules; move the data into a .ts file"),
                            );
                            Resolved::NotFound
                        } else if let Some(&j) = l.index.get(&p) {
                            Resolved::File(j)
                        } else {
                            match self.load_file(&p, &mut diags, Some((&path, r.span))) {
                                Some(f) => Resolved::File(l.add(p, f)),
                                None => Resolved::NotFound,
                            }
                        }
                    }
                    Resolution::Drizzle(s) | Resolution::External(s)
                        if schemac_stdlib::prelude(&s).is_some() =>
                    {
                        // Modules schemac evaluates from its own sources (stdlib/modules).
                        let text = schemac_stdlib::prelude(&s).unwrap_or_default();
                        let p = PathBuf::from(format!("{}/{s}.ts", crate::eval::PRELUDE_ROOT));
                        match l.index.get(&p) {
                            Some(&j) => Resolved::File(j),
                            None => {
                                let f = self.sources.set(&mut self.db, &p, text.to_string());
                                Resolved::File(l.add(p, f))
                            }
                        }
                    }
                    // `drizzle-orm/mysql`: Node refuses it (drizzle-kit too); evaluated as an
                    // unknown module, every table from it would be silently left out.
                    Resolution::Drizzle(s)
                        if let Some(meant) = schemac_stdlib::unknown_drizzle_orm_module(&s) =>
                    {
                        let mut d = Diagnostic::error(
                            codes::UNRESOLVED_IMPORT,
                            format!("drizzle-orm has no module `{s}`"),
                        )
                        .with_label(&path, r.span, "imported here");
                        d = match meant {
                            Some(m) => d.with_help(format!("did you mean `{m}`?")),
                            None => d.with_help(
                                "the table builders are in `drizzle-orm/pg-core`, `drizzle-orm/mysql-core` and `drizzle-orm/sqlite-core`",
                            ),
                        };
                        diags.push(d);
                        Resolved::NotFound
                    }
                    Resolution::Drizzle(s) => Resolved::Drizzle(s),
                    Resolution::External(s) => {
                        if s == "drizzle-kit" {
                            Resolved::Drizzle(s)
                        } else {
                            Resolved::External(s)
                        }
                    }
                    Resolution::NotFound { tried, hint } => {
                        let mut d = Diagnostic::error(
                            codes::UNRESOLVED_IMPORT,
                            format!("cannot find module `{}`", r.specifier),
                        )
                        .with_label(&path, r.span, "imported here");
                        if !tried.is_empty() {
                            let shown: Vec<String> = tried
                                .iter()
                                .take(6)
                                .map(|t| {
                                    t.strip_prefix(&self.cwd).unwrap_or(t).display().to_string()
                                })
                                .collect();
                            d = d.with_note(format!(
                                "tried {}{}",
                                shown.join(", "),
                                if tried.len() > 6 {
                                    format!(" and {} more", tried.len() - 6)
                                } else {
                                    String::new()
                                }
                            ));
                        }
                        d = d.with_help(hint.unwrap_or_else(|| {
                            "check the path, or the `paths` of your tsconfig.json".into()
                        }));
                        diags.push(d);
                        Resolved::NotFound
                    }
                };
                resolved.insert(r.specifier.to_string(), res);
            }
            l.imports[i] = resolved;
        }
        for w in self.resolver.take_warnings() {
            diags.push(
                Diagnostic::warning(codes::RESOLVE_CONFIG, w.message)
                    .with_note(format!("in `{}`", w.file.display())),
            );
        }
        let Loading { files, imports, .. } = l;
        let program = match self.program {
            Some(p) => {
                if *p.files(&self.db) != files {
                    p.set_files(&mut self.db).to(files);
                }
                if *p.imports(&self.db) != imports {
                    p.set_imports(&mut self.db).to(imports);
                }
                if *p.entries(&self.db) != entry_ids {
                    p.set_entries(&mut self.db).to(entry_ids);
                }
                if *p.env(&self.db) != env {
                    p.set_env(&mut self.db).to(env);
                }
                if *p.options(&self.db) != options {
                    p.set_options(&mut self.db).to(options);
                }
                p
            }
            None => {
                let p = Program::new(
                    &self.db,
                    files,
                    imports,
                    entry_ids,
                    env,
                    self.cwd.clone(),
                    options,
                );
                self.program = Some(p);
                p
            }
        };
        (program, diags)
    }

    /// Syntax errors of every file of the program.
    fn syntax_diagnostics(&self, program: Program) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for f in program.files(&self.db) {
            let parsed = db::parse(&self.db, *f);
            let path = f.path(&self.db);
            // A file left mid-merge: one error at the first marker, not one per line it breaks.
            if !parsed.errors.is_empty()
                && let Some(at) = crate::diagnostics::conflict_marker(f.text(&self.db))
            {
                out.push(
                    Diagnostic::error(codes::SYNTAX, "this file holds merge-conflict markers")
                        .with_label(path, Span::new(at, at + 7), "a conflict starts here")
                        .with_help(
                            "resolve the conflict: keep the lines meant (of one side or both) \
                             and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines",
                        ),
                );
                continue;
            }
            for e in &parsed.errors {
                let mut d =
                    Diagnostic::error(codes::SYNTAX, &e.message).with_label(path, e.span, &e.label);
                if let Some(h) = &e.help {
                    d = d.with_help(h);
                }
                out.push(d);
            }
        }
        out
    }

    /// Compiles the schema files into the Schema IR and runs the semantic checks.
    pub fn compile_schema(
        &mut self,
        entries: &[PathBuf],
        env: BTreeMap<String, String>,
        options: EvalOptions,
    ) -> Compilation {
        let timings = std::env::var_os("SCHEMAC_TIMINGS").is_some();
        let t = std::time::Instant::now();
        let (program, mut diags) = self.load(entries, env, options);
        let t_load = t.elapsed();
        let hwm_load = if timings {
            peak_memory()
        } else {
            String::new()
        };
        diags.extend(self.syntax_diagnostics(program));
        let t_parse = t.elapsed();
        let result = db::schema(&self.db, program);
        let t_eval = t.elapsed();
        let hwm_eval = if timings {
            peak_memory()
        } else {
            String::new()
        };
        diags.extend(result.diagnostics.iter().cloned());
        let schema = result.schema.clone();
        // Checks read a whole schema: after evaluation errors they would report consequences.
        if !diags.iter().any(Diagnostic::is_error) {
            diags.extend(crate::passes::check(&schema));
        }
        sort_and_dedup(&mut diags);
        if timings {
            eprintln!(
                "timings: load+parse {:?}, syntax {:?}, evaluate {:?}, checks {:?}; peak memory after load+parse {hwm_load}, after evaluation {hwm_eval}",
                t_load,
                t_parse - t_load,
                t_eval - t_parse,
                t.elapsed() - t_eval
            );
        }
        Compilation {
            schema,
            diagnostics: diags,
        }
    }

    /// Evaluates one file (a config) and returns its default export as plain data.
    pub fn default_export(
        &mut self,
        file: &Path,
        env: BTreeMap<String, String>,
    ) -> crate::eval::DefaultExport {
        let (program, mut diags) = self.load(&[file.to_path_buf()], env, EvalOptions::default());
        diags.extend(self.syntax_diagnostics(program));
        let mut result = db::default_export(&self.db, program).clone();
        diags.append(&mut result.diagnostics);
        sort_and_dedup(&mut diags);
        result.diagnostics = diags;
        result
    }

    /// The syntax tree of a loaded file.
    pub fn parsed(&self, path: &Path) -> Option<&crate::syntax::Parsed> {
        self.sources.get(path).map(|f| db::parse(&self.db, f))
    }
}

fn is_script(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs" | "json")
    )
}

/// Removes `.` and `..` segments without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The schema files named by the config's `schema` entries, as drizzle-kit finds them: a file,
/// a directory (its files, not recursive) or a glob; in the order given, each glob's matches
/// sorted.
pub fn schema_files(cwd: &Path, patterns: &[String]) -> Result<Vec<PathBuf>, Diagnostic> {
    schema_files_and_misses(cwd, patterns).map(|(files, _)| files)
}

/// [`schema_files`], and the patterns that matched no file (when another did: none at all is
/// the error).
pub fn schema_files_and_misses<'p>(
    cwd: &Path,
    patterns: &'p [String],
) -> Result<(Vec<PathBuf>, Vec<&'p str>), Diagnostic> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut misses = Vec::new();
    for pat in patterns {
        let mut found = Vec::new();
        if pat.contains(['*', '?', '[', '{']) || has_extglob(pat) {
            // A pattern ending in `/` matches folders only; an absolute one, absolute paths.
            // `./` also leads brace alternatives (`{./schema.ts,./auth.ts}`), as glob takes it.
            let body = pat
                .trim_start_matches("./")
                .replace("{./", "{")
                .replace(",./", ",");
            let folders_only = body.ends_with('/');
            let absolute = body.starts_with('/');
            let (positive, negative) = extglob(body.trim_end_matches('/'));
            let compile = |p: &str| {
                globset::GlobBuilder::new(p)
                    .literal_separator(true)
                    .empty_alternates(true)
                    .build()
                    .map(|g| g.compile_matcher())
                    .map_err(|e| {
                        Diagnostic::error(
                            codes::CONFIG_INVALID,
                            format!("`{pat}` is not a valid glob: {e}"),
                        )
                        .with_help("fix the `schema` entry of your config")
                    })
            };
            let positive = compile(&positive)?;
            let negative = negative.as_deref().map(compile).transpose()?;
            let glob = GlobMatch { positive, negative };
            let base = glob_base(pat);
            // Matches may be files or folders (`./schema/*` matches `schema/auth/`).
            let mut matches = Vec::new();
            walk(&cwd.join(&base), &mut |p| {
                let candidate = if absolute { Ok(p) } else { p.strip_prefix(cwd) };
                if let Ok(candidate) = candidate
                    && glob.is_match(candidate)
                    && (!folders_only || p.is_dir())
                {
                    matches.push(p.to_path_buf());
                }
            });
            // glob (v8, as drizzle-kit uses it) sorts its matches with `localeCompare`; a matched
            // folder stands for the files directly in it.
            matches.sort_by(|a, b| locale_compare(&a.to_string_lossy(), &b.to_string_lossy()));
            for m in matches {
                if m.is_dir() {
                    found.extend(folder_files(&m));
                } else if is_schema_source(&m) {
                    found.push(m);
                }
            }
        } else {
            let p = normalize(&cwd.join(pat));
            if p.is_dir() {
                found.extend(folder_files(&p));
            } else if p.is_file() {
                found.push(p);
            }
        }
        if found.is_empty() {
            misses.push(pat.as_str());
        }
        for f in found {
            let f = normalize(&f);
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    if out.is_empty() {
        return Err(Diagnostic::error(
            codes::NO_SCHEMA_FILES,
            format!("no schema files found for {}", patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")),
        )
        .with_note(format!("paths are relative to `{}`", cwd.display()))
        .with_help("set `schema` in drizzle.config.ts to a file, a folder or a glob such as `./src/db/schema/*.ts`"));
    }
    Ok((out, misses))
}

/// An approximation of `String.prototype.localeCompare` in English (ICU's root collation) for
/// file paths: punctuation before digits before letters, letters compared case-insensitively,
/// and only then lowercase before uppercase. Node's directory listings, by contrast, are in byte
/// order.
pub fn locale_compare(a: &str, b: &str) -> std::cmp::Ordering {
    const PUNCTUATION: &str = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
    let primary = |c: char| -> (u8, u32) {
        if let Some(i) = PUNCTUATION.find(c) {
            (0, i as u32)
        } else if c.is_ascii_digit() {
            (1, c as u32)
        } else if c.is_alphabetic() {
            (2, c.to_lowercase().next().unwrap_or(c) as u32)
        } else {
            (0, 1000 + c as u32)
        }
    };
    let ka: Vec<(u8, u32)> = a.chars().map(primary).collect();
    let kb: Vec<(u8, u32)> = b.chars().map(primary).collect();
    ka.cmp(&kb).then_with(|| {
        // Tertiary: at the first case difference, lowercase first.
        for (x, y) in a.chars().zip(b.chars()) {
            if x != y {
                return x.is_uppercase().cmp(&y.is_uppercase());
            }
        }
        a.len().cmp(&b.len())
    })
}

/// The schema sources directly in a folder (not recursive), in byte order as Node lists them.
fn folder_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_schema_source(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A file that can be a schema file: a script, not JSON, not a declaration file.
fn is_schema_source(p: &Path) -> bool {
    is_script(p) && !is_json(p) && !is_declaration(p)
}

fn is_json(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "json")
}

fn is_declaration(p: &Path) -> bool {
    p.file_name()
        .and_then(|f| f.to_str())
        .is_some_and(|f| f.ends_with(".d.ts") || f.ends_with(".d.mts") || f.ends_with(".d.cts"))
}

/// The literal directory a glob starts from (`src/db` for `./src/db/**/*.ts`).
/// A glob, and for an extglob `!(...)` what it must not match.
struct GlobMatch {
    positive: globset::GlobMatcher,
    negative: Option<globset::GlobMatcher>,
}

impl GlobMatch {
    fn is_match(&self, p: &Path) -> bool {
        self.positive.is_match(p) && !self.negative.as_ref().is_some_and(|n| n.is_match(p))
    }
}

/// Does the pattern use an extglob group (`!(a|b)`, `@(a|b)`, `?(..)`, `+(..)`, `*(..)`)? A
/// parenthesis after anything else is a literal (Next.js route groups: `app/(auth)/db.ts`).
fn has_extglob(pat: &str) -> bool {
    pat.as_bytes()
        .windows(2)
        .any(|w| matches!(w[0], b'!' | b'@' | b'?' | b'+' | b'*') && w[1] == b'(')
}

/// An extglob pattern (as drizzle-kit's `glob` package reads it) as globset patterns:
/// `@(a|b)` is `{a,b}`; `?(a|b)` and `*(a|b)` are `{,a,b}` and `+(a|b)` is `{a,b}` (one
/// repetition at most); `!(a|b)` is `*`, with `{a,b}` in its place in a second pattern whose
/// matches are left out.
fn extglob(pat: &str) -> (String, Option<String>) {
    if !has_extglob(pat) {
        return (pat.to_string(), None);
    }
    let (mut positive, mut negative) = (String::new(), String::new());
    let mut negated = false;
    let bytes = pat.as_bytes();
    let mut i = 0;
    while i < pat.len() {
        let c = bytes[i];
        let group =
            matches!(c, b'!' | b'@' | b'?' | b'+' | b'*') && bytes.get(i + 1) == Some(&b'(');
        let close = group
            .then(|| pat[i + 2..].find(')').map(|j| i + 2 + j))
            .flatten();
        let Some(close) = close else {
            positive.push(c as char);
            negative.push(c as char);
            i += 1;
            continue;
        };
        let alts = pat[i + 2..close].replace('|', ",");
        let (pos, neg) = match c {
            b'!' if !negated => {
                negated = true;
                ("*".to_string(), format!("{{{alts}}}"))
            }
            b'!' => ("*".to_string(), "*".to_string()),
            b'@' | b'+' => (format!("{{{alts}}}"), format!("{{{alts}}}")),
            _ => (format!("{{,{alts}}}"), format!("{{,{alts}}}")),
        };
        positive.push_str(&pos);
        negative.push_str(&neg);
        i = close + 1;
    }
    (positive, negated.then_some(negative))
}

fn glob_base(pat: &str) -> PathBuf {
    let mut base = if pat.starts_with('/') {
        PathBuf::from("/")
    } else {
        PathBuf::new()
    };
    for seg in pat.trim_start_matches("./").split('/') {
        if seg.contains(['*', '?', '[', '{']) || has_extglob(seg) {
            break;
        }
        if !seg.is_empty() {
            base.push(seg);
        }
    }
    base
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if name != "node_modules" && !name.starts_with('.') {
                f(&p);
                walk(&p, f);
            }
        } else {
            f(&p);
        }
    }
}

/// Parses the schema files on two threads (the memoized results then serve the loading loop):
/// parsing is most of the work for a schema split over files, and the second core is otherwise
/// idle. Files are dealt alternately, so similar files split evenly.
fn parse_in_parallel(db: &Database, files: &[SourceFile]) {
    if files.len() < 2 {
        return;
    }
    let other = db.clone();
    std::thread::scope(|s| {
        // Where no thread can be started, the loading loop parses everything itself.
        let _ = std::thread::Builder::new().spawn_scoped(s, move || {
            for &f in files.iter().skip(1).step_by(2) {
                db::imports(&other, f);
            }
        });
        for &f in files.iter().step_by(2) {
            db::imports(db, f);
        }
    });
}

/// The process's peak resident memory so far (`VmHWM` of `/proc/self/status`; Linux), and what
/// is resident now, for `SCHEMAC_TIMINGS`.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?", str::trim)
    };
    format!(
        "{} (now: heap and stacks {}, mapped files {})",
        field("VmHWM:"),
        field("RssAnon:"),
        field("RssFile:")
    )
}

#[cfg(test)]
mod tests {
    use super::{locale_compare, schema_files};
    use std::cmp::Ordering::*;

    /// Globs match as drizzle-kit's `glob` matches them: relative to the working directory or
    /// absolute (a config's `path.resolve(__dirname, 'src/**/*.ts')`); a pattern ending in `/`
    /// matches folders, which stand for the files in them.
    #[test]
    fn absolute_globs_and_folder_globs_find_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for f in ["src/a/a.ts", "src/b/b.ts", "src/b/deep/c.ts", "src/top.ts"] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "export {};").unwrap();
        }
        let names = |pattern: String| -> Vec<String> {
            schema_files(&root, &[pattern])
                .unwrap()
                .iter()
                .map(|p| {
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        let abs = root.to_string_lossy();
        assert_eq!(
            names(format!("{abs}/src/**/*.ts")),
            ["src/a/a.ts", "src/b/b.ts", "src/b/deep/c.ts", "src/top.ts"]
        );
        assert_eq!(names(format!("{abs}/src/*.ts")), ["src/top.ts"]);
        assert_eq!(names("./src/*/".into()), ["src/a/a.ts", "src/b/b.ts"]);
        assert_eq!(names(format!("{abs}/src/*/")), ["src/a/a.ts", "src/b/b.ts"]);
        assert_eq!(names("src/*/*.ts".into()), ["src/a/a.ts", "src/b/b.ts"]);
        // `./` inside brace alternatives, as glob reads it.
        assert_eq!(
            names("{./src/top.ts,./src/a/a.ts}".into()),
            ["src/a/a.ts", "src/top.ts"]
        );
        assert_eq!(
            names("{./src/top,src/a/a}.ts".into()),
            ["src/a/a.ts", "src/top.ts"]
        );
        // Extglobs, as drizzle-kit's `glob` reads them.
        std::fs::write(root.join("src/top.test.ts"), "export {};").unwrap();
        assert_eq!(names("./src/!(*.test).ts".into()), ["src/top.ts"]);
        assert_eq!(
            names("src/@(a|b)/*.ts".into()),
            ["src/a/a.ts", "src/b/b.ts"]
        );
        assert_eq!(names("src/+(a)/*.ts".into()), ["src/a/a.ts"]);
        assert_eq!(
            names("src/top?(.test).ts".into()),
            ["src/top.test.ts", "src/top.ts"]
        );
    }

    #[test]
    fn paths_sort_as_locale_compare_sorts_them() {
        assert_eq!(locale_compare("datasets.ts", "datasetVersions.ts"), Less);
        assert_eq!(locale_compare("user_roles.ts", "user.ts"), Less);
        assert_eq!(locale_compare("a.ts", "B.ts"), Less);
        assert_eq!(locale_compare("b.ts", "B.ts"), Less);
        assert_eq!(locale_compare("file10.ts", "file2.ts"), Less);
        assert_eq!(locale_compare("x.ts", "x.ts"), Equal);
    }
}
