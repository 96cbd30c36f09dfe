//! `schemac pull` (alias `introspect`): writes a live database as a Drizzle schema. See
//! `spec/pull.md`.
//!
//! The database is read into the snapshot model (`schemac_runtime::introspect`) and printed as
//! TypeScript (`tsgen`): `schema.ts` and `relations.ts` in the output folder. The files are read
//! back by schemac's own front end before anything is written, so what pull writes always
//! compiles; the compiled schema gives the first migration (its SQL commented out, as drizzle-kit
//! writes it) and snapshot, when the folder has no migrations yet, so that `build` continues
//! from the database as it is.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::Project;
use schemac_compiler::schema::Dialect;
use schemac_compiler::snapshot::{self, Journal, JournalEntry};
use schemac_compiler::tsgen;
use schemac_compiler::{codegen, config, migration};
use schemac_runtime::connect::Kind;
use schemac_runtime::introspect;

use super::build::{self, prefix_of, random_name};
use super::folder;
use super::migrate;
use super::push;
use crate::output::Output;
use crate::{Format, Prefix, PullArgs};

/// The head drizzle-kit puts on the first migration of a pulled database.
const INTROSPECT_HEAD: &str = "-- Current sql file was generated after introspecting the database\n-- If you want to run this migration please uncomment this code before executing migrations\n/*\n";

pub fn run(out: &Output, args: PullArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut sources: HashMap<PathBuf, String> = HashMap::new();
    let mut project = Project::new(&cwd);
    let cfg = match config_for(&args, &cwd, &mut project) {
        Ok(c) => c,
        Err(d) => {
            sources.extend(project.source_texts());
            return build::fail(out, &d, &sources);
        }
    };
    sources.extend(project.source_texts());
    let cfg = cfg.as_ref();
    let credentials = match migrate::credentials(cfg, args.url.as_deref(), &cwd) {
        Ok(c) => c,
        Err(d) => return build::fail(out, &d, &sources),
    };
    let dialect = match credentials.kind() {
        Kind::Postgres => Dialect::Postgresql,
        Kind::Mysql => Dialect::Mysql,
        Kind::Sqlite => Dialect::Sqlite,
    };
    let casing_name = args
        .casing
        .clone()
        .or_else(|| cfg.map(|c| c.introspect_casing.clone()))
        .unwrap_or_else(|| "camel".into());
    let Some(casing) = tsgen::Casing::parse(&casing_name) else {
        let d = Diagnostic::error(
            codes::CONFIG_UNKNOWN_VALUE,
            format!("unknown introspect casing `{casing_name}`"),
        )
        .with_help("use camel or preserve");
        return build::fail(out, &[d], &sources);
    };
    let filters = match push::filters(&args.filters, cfg, &[], &[]) {
        Ok(f) => f,
        Err(d) => return build::fail(out, &[d], &sources),
    };
    let out_dir = PathBuf::from(
        args.out
            .clone()
            .or_else(|| cfg.map(|c| c.out.clone()))
            .unwrap_or_else(|| "drizzle".into()),
    );

    let rt = migrate::runtime();
    let mut conn = match rt.block_on(migrate::open(
        &credentials,
        std::time::Duration::from_secs(5),
    )) {
        Ok(c) => c,
        Err(d) => return build::fail(out, &d, &sources),
    };
    let spinner = out.spinner(&format!("Reading {}", credentials.display));
    let model = rt.block_on(introspect::introspect(&mut conn, &filters));
    drop(spinner);
    rt.block_on(conn.close());
    let model = match model {
        Ok(m) => m,
        Err(e) => {
            let d = Diagnostic::error(
                codes::INTROSPECT_FAILED,
                format!("cannot read the database {}", credentials.display),
            )
            .with_note(credentials.scrub(&e.to_string()));
            return build::fail(out, &[d], &sources);
        }
    };
    let files = tsgen::generate(&model, &tsgen::Options { casing });

    // Read the files back before writing them: pull never writes a schema schemac cannot read.
    let check_dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            let d = folder::folder_error(format!("cannot create a temporary folder: {e}"));
            return build::fail(out, &[d], &sources);
        }
    };
    let staged = check_dir.path().join("schema.ts");
    let written = std::fs::write(&staged, &files.schema)
        .and_then(|()| std::fs::write(check_dir.path().join("relations.ts"), &files.relations));
    if let Err(e) = written {
        let d = folder::folder_error(format!("cannot write a temporary file: {e}"));
        return build::fail(out, &[d], &sources);
    }
    let mut check = Project::new(check_dir.path());
    let compiled = check.compile_schema(
        &[staged],
        Default::default(),
        EvalOptions {
            dialect: Some(dialect),
            casing: None,
        },
    );
    if compiled.has_errors() {
        let mut diags = compiled.diagnostics.clone();
        diags.push(
            Diagnostic::error(
                codes::INTROSPECT_FAILED,
                "the schema written from the database does not compile; nothing was written",
            )
            .with_note("this is a bug in schemac's pull: please report it with the database's DDL"),
        );
        return build::fail(out, &diags, &check.source_texts());
    }
    let schema = &compiled.schema;

    // The first migration, when the folder has none.
    let mut migration_file = None;
    let previous = match folder::read_folder(&out_dir, &mut sources) {
        Ok((p, _)) => p,
        Err(d) => return build::fail(out, &d, &sources),
    };
    let mut migration_note = None;
    if previous.is_none() {
        let statements = codegen::statements(dialect, &migration::plan_create(schema));
        let breakpoints = args
            .breakpoints
            .or(cfg.map(|c| c.breakpoints))
            .unwrap_or(true);
        let prefix = args.prefix.unwrap_or_else(|| {
            cfg.and_then(|c| Prefix::from_name(&c.migrations_prefix))
                .unwrap_or(Prefix::Index)
        });
        let (prefix_text, when) = prefix_of(prefix, 0);
        let tag = format!("{prefix_text}_{}", random_name());
        let sql = format!(
            "{INTROSPECT_HEAD}{}\n*/",
            build::join(&statements, breakpoints)
        );
        let mut snap = snapshot::from_schema(schema, snapshot::ORIGIN_UUID, "");
        snap.id = snapshot::ORIGIN_UUID.to_string();
        snap.prev_id = String::new();
        let files = build::migration_files(
            Journal::new(dialect.name()),
            JournalEntry {
                idx: 0,
                version: snapshot::version(dialect).into(),
                when,
                tag,
                breakpoints,
            },
            &prefix_text,
            sql,
            &snap,
        );
        if let Err(d) = build::write_atomically(&out_dir, &files) {
            return build::fail(out, &[*d], &sources);
        }
        migration_file = Some(out_dir.join(&files[0].0));
    } else {
        migration_note = Some("the folder has migrations already: no migration was written");
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (name, text) in [
        ("schema.ts", &files.schema),
        ("relations.ts", &files.relations),
    ] {
        let path = out_dir.join(name);
        if let Err(d) = folder::write_atomically(&path, text) {
            return build::fail(out, &[d], &sources);
        }
        written.push(path);
    }
    written.extend(migration_file);
    let tables = model.tables.len();
    match out.format {
        Format::Human => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(
                stdout,
                "{tables} table{} read from {}",
                if tables == 1 { "" } else { "s" },
                credentials.display
            );
            for p in &written {
                let _ = writeln!(stdout, "  ➜ {}", p.display());
            }
            if let Some(n) = migration_note {
                let _ = writeln!(stdout, "{n}");
            }
        }
        Format::Json => out.json(
            &[],
            &sources,
            serde_json::json!({
                "ok": true,
                "tables": tables,
                "files": written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            }),
        ),
    }
    0
}

/// The config: `--config`, else the one in the current directory; without `--config`, `--url`
/// makes it optional.
fn config_for(
    args: &PullArgs,
    cwd: &Path,
    project: &mut Project,
) -> Result<Option<config::Config>, Vec<Diagnostic>> {
    let path = match config::find(cwd, args.config.as_deref()) {
        Ok(p) => p,
        Err(_) if args.url.is_some() && args.config.is_none() => return Ok(None),
        Err(d) => return Err(vec![d.with_help("pass a config with --config, or --url")]),
    };
    match config::load(project, &path) {
        // With --url and no --config, the config is optional (drizzle-kit reads none when
        // the database is given on the command line): one that does not load is left out.
        Err(_) if args.url.is_some() && args.config.is_none() => Ok(None),
        r => r.map(Some),
    }
}
