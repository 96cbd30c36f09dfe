//! Shared by commands that compile the schema: config or flags → files → Schema IR.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use schemac_compiler::config;
use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::{self, Compilation, Project};
use schemac_compiler::schema::{Casing, Dialect};

use crate::SchemaSource;

/// What a command compiles: the dialect, options and schema files.
pub struct Loaded {
    pub project: Project,
    pub compilation: Option<Compilation>,
    /// Diagnostics from before compilation (config, file lookup).
    pub diagnostics: Vec<Diagnostic>,
    /// The config file, when one was read (not with `--dialect`/`--schema`).
    pub config: Option<config::Config>,
}

impl Loaded {
    pub fn sources(&self) -> HashMap<PathBuf, String> {
        self.project.source_texts()
    }

    /// Every diagnostic, config first.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut d = self.diagnostics.clone();
        if let Some(c) = &self.compilation {
            d.extend(c.diagnostics.iter().cloned());
        }
        d
    }

    pub fn has_errors(&self) -> bool {
        self.all_diagnostics().iter().any(Diagnostic::is_error)
    }
}

/// Loads the config (or reads the flags) and compiles the schema, when its dialect is one the
/// command supports.
pub fn compile_for(source: &SchemaSource, supported: &[Dialect]) -> Loaded {
    compile_alongside(source, supported, |_| ()).0
}

/// [`compile_for`], running `side` on another thread while the schema compiles, with the config
/// (when one was read). Its result is `None` when loading stopped before compiling (a bad
/// config or flags, no schema files): nothing was run.
///
/// For work that does not need the schema but takes as long as part of compiling it, such as
/// reading the migrations folder: on two cores the two overlap.
pub fn compile_alongside<T: Send>(
    source: &SchemaSource,
    supported: &[Dialect],
    side: impl FnOnce(Option<&config::Config>) -> T + Send,
) -> (Loaded, Option<T>) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut project = Project::new(&cwd);
    let uses_flags = source.dialect.is_some() || !source.schema.is_empty();
    let mut schema_span = None;
    let fail = |project: Project, d: Vec<Diagnostic>| {
        let loaded = Loaded {
            project,
            compilation: None,
            diagnostics: d,
            config: None,
        };
        (loaded, None)
    };
    let mut loaded_config = None;
    let (dialect, casing, patterns, env) = if uses_flags && source.config.is_none() {
        let Some(dialect) = source.dialect.as_deref() else {
            return fail(
                project,
                vec![
                    Diagnostic::error(codes::CLI_CONFLICT, "--schema needs --dialect")
                        .with_help("add --dialect=postgresql"),
                ],
            );
        };
        let dialect = match schemac_compiler::config::dialect_named(dialect) {
            Ok(d) => d,
            Err(d) => return fail(project, vec![d]),
        };
        if source.schema.is_empty() {
            return fail(
                project,
                vec![
                    Diagnostic::error(codes::CLI_CONFLICT, "--dialect needs --schema")
                        .with_help("add --schema=./src/schema.ts"),
                ],
            );
        }
        let casing = match source.casing.as_deref().map(|c| (c, Casing::parse(c))) {
            None => None,
            Some((_, Some(c))) => Some(c),
            Some((c, None)) => {
                return fail(
                    project,
                    vec![
                        Diagnostic::error(
                            codes::CONFIG_UNKNOWN_VALUE,
                            format!("unknown casing `{c}`"),
                        )
                        .with_help("use snake_case or camelCase"),
                    ],
                );
            }
        };
        (
            dialect,
            casing,
            source.schema.clone(),
            config::environment(&[cwd.join(".env")]),
        )
    } else {
        if uses_flags || source.casing.is_some() {
            return fail(
                project,
                vec![
                    Diagnostic::error(
                        codes::CLI_CONFLICT,
                        "--config cannot be combined with --dialect, --schema or --casing",
                    )
                    .with_help("put the options in the config file, or drop --config"),
                ],
            );
        }
        let path = match config::find(&cwd, source.config.as_deref()) {
            Ok(p) => p,
            Err(d) => return fail(project, vec![d]),
        };
        let cfg = match config::load(&mut project, &path) {
            Ok(c) => c,
            Err(d) => return fail(project, d),
        };
        let file: std::sync::Arc<std::path::Path> = std::sync::Arc::from(path.as_path());
        if cfg.schema.is_empty() {
            let span = cfg
                .key_spans
                .get("schema")
                .or_else(|| cfg.key_spans.get(""))
                .copied()
                .unwrap_or_default();
            let d = Diagnostic::error(codes::CONFIG_INVALID, "the config has no `schema`");
            let typo = config::misspelled_key(cfg.key_spans.keys().map(String::as_str), "schema");
            let d = match typo.and_then(|k| Some((k, cfg.key_spans.get(k)?))) {
                Some((k, at)) => d
                    .with_label(&file, *at, format!("`{k}`"))
                    .with_help(format!("`{k}` is not a config key: did you mean `schema`?")),
                None => d
                    .with_label(&file, span, "this config")
                    .with_help("add `schema: './src/db/schema.ts'` (a file, a folder or a glob)"),
            };
            let mut diags = vec![d];
            diags.extend(cfg.missing_env_warnings_for_config());
            return fail(project, diags);
        }
        schema_span = cfg.key_spans.get("schema").map(|s| (file.clone(), *s));
        let values = (cfg.dialect, cfg.casing, cfg.schema.clone(), cfg.env.clone());
        loaded_config = Some(cfg);
        values
    };
    if !supported.contains(&dialect) {
        let names: Vec<_> = supported.iter().map(|d| d.name()).collect();
        return fail(
            project,
            vec![
                Diagnostic::error(
                    codes::CONFIG_UNKNOWN_VALUE,
                    format!(
                        "this command does not handle {} schemas yet",
                        dialect.name()
                    ),
                )
                .with_note(format!("it handles: {}", names.join(", "))),
            ],
        );
    }
    let (files, misses) = match project::schema_files_and_misses(&cwd, &patterns) {
        Ok(f) => f,
        Err(mut d) => {
            if let Some((file, span)) = schema_span {
                d = d.with_label(&file, span, "the `schema` of the config");
            }
            return fail(project, vec![d]);
        }
    };
    // An entry that matches nothing beside others that do (a moved or renamed file): its
    // tables would be dropped by the next migration.
    let unmatched: Vec<Diagnostic> = misses
        .iter()
        .map(|pat| {
            let mut d = Diagnostic::warning(
                codes::SCHEMA_ENTRY_UNMATCHED,
                format!("the schema entry `{pat}` matches no file; it is left out"),
            )
            .with_note(format!("paths are relative to `{}`", cwd.display()))
            .with_help("fix or remove the entry: a file moved or renamed leaves its tables out of the schema");
            if let Some((file, span)) = &schema_span {
                d = d.with_label(file, *span, "the `schema` of the config");
            }
            d
        })
        .collect();
    let env: BTreeMap<String, String> = env;
    let options = EvalOptions {
        dialect: Some(dialect),
        casing,
    };
    let config = loaded_config.as_ref();
    // Where no thread can be started, the closure is still here and runs after compiling.
    let side = std::sync::Mutex::new(Some(side));
    let run_side = || {
        let f = side.lock().ok()?.take()?;
        Some(f(config))
    };
    let (compilation, ran) = std::thread::scope(|s| {
        let handle = std::thread::Builder::new().spawn_scoped(s, run_side).ok();
        let compilation = project.compile_schema(&files, env, options);
        let ran = handle.and_then(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (compilation, ran)
    });
    let side = ran.or_else(run_side);
    let loaded = Loaded {
        project,
        compilation: Some(compilation),
        diagnostics: loaded_config
            .as_ref()
            .map(|c| c.warnings.clone())
            .unwrap_or_default()
            .into_iter()
            .chain(unmatched)
            .collect(),
        config: loaded_config,
    };
    (loaded, side)
}
