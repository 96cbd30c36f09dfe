//! The incremental layer (salsa). Source texts are inputs; parsing each file, reading its
//! imports and exports, and evaluating the program are tracked queries, so an edit re-parses one
//! file and re-evaluates only when something it reads changed.
//!
//! Salsa stays inside this module: the queries wrap plain functions of the other stages, and
//! their results are plain data.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::eval::{self, EvalOptions, ImportTarget, ModuleInput};
use crate::schema::Schema;
use crate::span::Span;
use crate::syntax::{self, Parsed, ast};

#[salsa::db]
#[derive(Default, Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
}

#[salsa::db]
impl salsa::Database for Database {}

impl Database {
    /// A database that records every query it executes (not the ones it reuses), e.g.
    /// `parse(Id(1))`: for tests of incrementality.
    pub fn with_execution_log(log: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> Database {
        Database {
            storage: salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
                if let salsa::EventKind::WillExecute { database_key } = event.kind
                    && let Ok(mut log) = log.lock()
                {
                    log.push(format!("{database_key:?}"));
                }
            }))),
        }
    }
}

/// One source file.
#[salsa::input]
pub struct SourceFile {
    #[returns(ref)]
    pub path: Arc<Path>,
    #[returns(ref)]
    pub text: String,
}

/// How one import specifier of a file resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resolved {
    /// Index into [`Program::files`].
    File(usize),
    /// A drizzle-orm / drizzle-kit module specifier.
    Drizzle(String),
    External(String),
    NotFound,
}

/// The whole program: every file reachable from the entry files, how each import resolved,
/// and what evaluation needs from outside.
#[salsa::input]
pub struct Program {
    #[returns(ref)]
    pub files: Vec<SourceFile>,
    /// Per file: specifier → resolution.
    #[returns(ref)]
    pub imports: Vec<BTreeMap<String, Resolved>>,
    /// The schema files (or the config file), in load order.
    #[returns(ref)]
    pub entries: Vec<usize>,
    /// `process.env` as the program sees it.
    #[returns(ref)]
    pub env: BTreeMap<String, String>,
    /// The working directory (`process.cwd()`).
    #[returns(ref)]
    pub cwd: PathBuf,
    pub options: EvalOptions,
}

/// Parses a file.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn salsa::Database, file: SourceFile) -> Parsed {
    if file.path(db).extension().is_some_and(|e| e == "json") {
        syntax::parse_json_module(file.text(db))
    } else {
        syntax::parse(file.text(db))
    }
}

/// A module specifier written in a file, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRef {
    pub specifier: ast::Atom,
    pub span: Span,
}

/// The module specifiers a file imports or re-exports from (imports TypeScript removes are
/// excluded).
#[salsa::tracked(returns(ref))]
pub fn imports(db: &dyn salsa::Database, file: SourceFile) -> Vec<ImportRef> {
    let parsed = parse(db, file);
    let imported = parsed.module.body.iter().flat_map(|s| match &s.kind {
        ast::StmtKind::Import(i) => Some(syntax::visit::value_bindings(i)),
        _ => None,
    });
    let text = file.text(db);
    let used = syntax::visit::referenced_names(&parsed.module, text, imported.flatten());
    let mut out: Vec<ImportRef> = Vec::new();
    for s in &parsed.module.body {
        let src = match &s.kind {
            // Imports used only in types are removed by TypeScript: their modules are not loaded.
            ast::StmtKind::Import(i) if !syntax::visit::is_elided(i, &used) => Some(&i.source),
            ast::StmtKind::ExportNamed(e) if !e.type_only => e.source.as_ref(),
            ast::StmtKind::ExportAll(e) if !e.type_only => Some(&e.source),
            _ => None,
        };
        if let Some(src) = src
            && !out.iter().any(|i| i.specifier == src.value)
        {
            out.push(ImportRef {
                specifier: src.value.clone(),
                span: src.span,
            });
        }
    }
    // CommonJS: `require('x')` loads a module too (inside functions only in files that have
    // one: compiled and bundled JavaScript).
    // A file without the word has none (and its tree is not walked).
    let requires = if text.contains("require") {
        syntax::visit::literal_requires(&parsed.module, text.contains("require("))
    } else {
        Vec::new()
    };
    for (spec, span) in requires {
        if !out.iter().any(|i| i.specifier == spec) {
            out.push(ImportRef {
                specifier: spec.into(),
                span,
            });
        }
    }
    out
}

/// What a file exports (read from its syntax).
#[salsa::tracked(returns(ref))]
pub fn exports(db: &dyn salsa::Database, file: SourceFile) -> syntax::exports::ExportTable {
    syntax::exports::export_table(&parse(db, file).module)
}

/// The result of evaluating the schema program.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaResult {
    /// Shared: callers keep it without copying.
    pub schema: Arc<Schema>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Evaluates the program's schema files into the Schema IR.
#[salsa::tracked(returns(ref))]
pub fn schema(db: &dyn salsa::Database, program: Program) -> SchemaResult {
    let modules = module_inputs(db, program);
    let out = eval::evaluate_schema(
        eval::Program {
            modules,
            entries: program.entries(db).clone(),
            env: program.env(db),
            cwd: program.cwd(db),
        },
        *program.options(db),
    );
    SchemaResult {
        schema: Arc::new(out.schema),
        diagnostics: out.diagnostics,
    }
}

/// The default export of the program's first entry, as plain data (config files).
#[salsa::tracked(returns(ref))]
pub fn default_export(db: &dyn salsa::Database, program: Program) -> eval::DefaultExport {
    let modules = module_inputs(db, program);
    let entry = program.entries(db).first().copied().unwrap_or(0);
    eval::evaluate_default_export(
        eval::Program {
            modules,
            entries: vec![entry],
            env: program.env(db),
            cwd: program.cwd(db),
        },
        entry,
    )
}

fn module_inputs(db: &dyn salsa::Database, program: Program) -> Vec<ModuleInput<'_>> {
    let lib = schemac_stdlib::Library::get();
    let files = program.files(db);
    let imports = program.imports(db);
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let map = imports
                .get(i)
                .map(|m| {
                    m.iter()
                        .map(|(spec, r)| {
                            let t = match r {
                                Resolved::File(j) => ImportTarget::Module(*j),
                                Resolved::Drizzle(s) => match lib.module(s) {
                                    Some(m) => ImportTarget::Drizzle(m),
                                    None => ImportTarget::External(s.clone()),
                                },
                                Resolved::External(s) => match s.strip_prefix("node:").unwrap_or(s)
                                {
                                    "path" | "path/posix" => ImportTarget::Node("path"),
                                    "url" => ImportTarget::Node("url"),
                                    "fs" => ImportTarget::Node("fs"),
                                    "module" => ImportTarget::Node("module"),
                                    "dotenv" => ImportTarget::Node("dotenv"),
                                    "process" => ImportTarget::Node("process"),
                                    "zod" | "zod/v4" | "zod/v3" => ImportTarget::Node("zod"),
                                    _ => ImportTarget::External(s.clone()),
                                },
                                Resolved::NotFound => ImportTarget::Unresolved,
                            };
                            (spec.clone(), t)
                        })
                        .collect()
                })
                .unwrap_or_default();
            ModuleInput {
                path: f.path(db).clone(),
                ast: &parse(db, *f).module,
                exports: exports(db, *f),
                imports: map,
            }
        })
        .collect()
}

/// Keeps one [`SourceFile`] per path and only bumps an input when its text really changed
/// (setting an input to an equal value would still re-run its dependents).
#[derive(Default)]
pub struct Sources {
    files: HashMap<PathBuf, SourceFile>,
}

impl Sources {
    pub fn get(&self, path: &Path) -> Option<SourceFile> {
        self.files.get(path).copied()
    }

    pub fn set(&mut self, db: &mut Database, path: &Path, text: String) -> SourceFile {
        use salsa::Setter;
        match self.files.get(path) {
            Some(f) => {
                if *f.text(db) != text {
                    f.set_text(db).to(text);
                }
                *f
            }
            None => {
                let f = SourceFile::new(db, Arc::from(path), text);
                self.files.insert(path.to_path_buf(), f);
                f
            }
        }
    }

    /// Every loaded file's text, for rendering diagnostics.
    pub fn texts(&self, db: &Database) -> HashMap<PathBuf, String> {
        self.files
            .iter()
            .map(|(p, f)| (p.clone(), f.text(db).clone()))
            .collect()
    }
}
