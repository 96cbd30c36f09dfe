//! `schemac push`: makes a live database match the schema, without a migrations folder. See
//! `spec/push.md`.
//!
//! The database is read into the snapshot model (`schemac_runtime::introspect`), the texts it
//! rewrites are aligned with the schema's (`snapshot::live::align`), and the two are diffed as
//! `build` diffs a folder's last snapshot and the schema: the same renames, the same operations,
//! the same SQL. Before anything runs, every change that touches existing rows is measured with
//! real counts (`migration::hazards`): a change that cannot apply to the rows there is refused,
//! one that loses data needs a yes on a terminal or `--force`, a harmless one is not questioned.
//! The statements run in one transaction on PostgreSQL and SQLite.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::migration::hazards::{self, Effect, Hazard};
use schemac_compiler::schema::{Dialect, Schema};
use schemac_compiler::snapshot;
use schemac_compiler::{codegen, migration};
use schemac_runtime::connect::Kind;
use schemac_runtime::introspect::{self, Filters, RolesFilter, TablesFilter};
use schemac_runtime::migrate::apply;

use super::build::{self, Refused};
use super::{load, migrate};
use crate::output::Output;
use crate::{FilterArgs, Format, PushArgs};

pub fn run(out: &Output, args: PushArgs) -> u8 {
    let loaded = load::compile_for(
        &args.source,
        &[Dialect::Postgresql, Dialect::Mysql, Dialect::Sqlite],
    );
    let mut diags = loaded.all_diagnostics();
    let sources = loaded.sources();
    let Some(compilation) = loaded.compilation.as_ref().filter(|_| !loaded.has_errors()) else {
        return build::fail(out, &diags, &sources);
    };
    let cfg = loaded.config.as_ref();
    let cwd = std::env::current_dir().unwrap_or_default();
    let credentials = match migrate::credentials(cfg, args.url.as_deref(), &cwd) {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d);
            return build::fail(out, &diags, &sources);
        }
    };
    let schema = &compilation.schema;
    let kind = match schema.dialect {
        Dialect::Postgresql => Kind::Postgres,
        Dialect::Mysql => Kind::Mysql,
        Dialect::Sqlite => Kind::Sqlite,
    };
    if credentials.kind() != kind {
        diags.push(
            Diagnostic::error(
                codes::DB_CREDENTIALS,
                format!(
                    "the schema is {} but {} is not a {} database",
                    schema.dialect.name(),
                    credentials.display,
                    schema.dialect.name()
                ),
            )
            .with_help("point --url or `dbCredentials` at a database of the schema's dialect"),
        );
        return build::fail(out, &diags, &sources);
    }
    let declared: Vec<String> = schema.roles.iter().map(|r| r.name.clone()).collect();
    let filters = match filters(&args.filters, cfg, &used_schemas(schema), &declared) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return build::fail(out, &diags, &sources);
        }
    };
    // The schema as far as the filters see it: tables and views they leave out are neither
    // created nor dropped.
    let schema = filtered(schema, &filters);
    let desired = snapshot::from_schema(&schema, "", "");

    let rt = migrate::runtime();
    let mut conn = match rt.block_on(migrate::open(
        &credentials,
        std::time::Duration::from_secs(5),
    )) {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d);
            return build::fail(out, &diags, &sources);
        }
    };
    let spinner = out.spinner(&format!("Reading {}", credentials.display));
    let mut live = rt.block_on(introspect::introspect(&mut conn, &filters));
    drop(spinner);
    // Standalone policies of the schema linked to tables it does not declare (Supabase's
    // `auth.users`): read from those tables.
    if let Ok(live_model) = live.as_mut()
        && let schemac_runtime::connect::Connection::Postgres(pg) = &mut conn
    {
        let linked: Vec<(String, String)> = desired
            .policies
            .values()
            .filter_map(|p| p.on.as_deref().and_then(qualified_parts))
            .collect();
        match rt.block_on(introspect::postgres::linked_policies(pg, &linked)) {
            Ok(policies) => live_model.policies.extend(policies),
            Err(e) => live = Err(e),
        }
    }
    let mut live = match live {
        Ok(l) => l,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    codes::INTROSPECT_FAILED,
                    format!("cannot read the database {}", credentials.display),
                )
                .with_note(credentials.scrub(&e.to_string())),
            );
            return build::fail(out, &diags, &sources);
        }
    };
    snapshot::live::align(&mut live, &desired);

    let ops_result = if build::same_schema(&live, &desired) {
        Ok(Vec::new())
    } else {
        match build::decide_renames(&loaded, &args.renames, &live, &desired, out) {
            Ok((renames, warnings)) => {
                diags.extend(warnings);
                migration::diff(&live, &schema, &desired, &renames)
                    .map(|ops| migration::for_dialect(ops, &live, &desired, &renames, &schema))
                    .and_then(|ops| match build::unwritten(schema.dialect, &ops) {
                        Some(un) => Err(un),
                        None => Ok(ops),
                    })
                    .map_err(|un| {
                        let mut d = Diagnostic::error(
                            codes::DIFF_UNSUPPORTED,
                            "schemac cannot push these changes yet",
                        );
                        for c in &un.changes {
                            d = d.with_note(format!("not supported yet: {c}"));
                        }
                        d.with_help("nothing was applied; change the database by hand for this step, or use `schemac build --custom` and `schemac migrate`")
                    })
            }
            Err(Refused { diagnostics, open }) => {
                diags.extend(diagnostics);
                return build::refuse(out, &diags, &sources, &open);
            }
        }
    };
    let ops = match ops_result {
        Ok(ops) => ops,
        Err(d) => {
            diags.push(d);
            return build::fail(out, &diags, &sources);
        }
    };
    let statements = codegen::statements(schema.dialect, &ops);
    if statements.is_empty() {
        out.diagnostics(&diags, &sources);
        match out.format {
            Format::Human => {
                let _ = writeln!(std::io::stdout().lock(), "No changes detected");
            }
            Format::Json => out.json(
                &diags,
                &sources,
                serde_json::json!({ "ok": true, "changes": false }),
            ),
        }
        rt.block_on(conn.close());
        return 0;
    }

    // What the change does to the rows there.
    let mut found: Vec<(Hazard, i64)> = Vec::new();
    for h in hazards::hazards(schema.dialect, &live, &ops) {
        match rt.block_on(conn.scalar(&h.count_sql)) {
            Ok(n) if n.unwrap_or(0) > 0 => found.push((h, n.unwrap_or(0))),
            Ok(_) => {}
            // A count that cannot run (a table the step creates first): nothing to measure.
            Err(_) => {}
        }
    }
    let steps = build::steps(schema.dialect, &ops);
    let blocked: Vec<&(Hazard, i64)> = found
        .iter()
        .filter(|(h, _)| h.effect == Effect::Blocks)
        .collect();
    let losses: Vec<&(Hazard, i64)> = found
        .iter()
        .filter(|(h, _)| h.effect == Effect::Loss)
        .collect();

    if out.format == Format::Human {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "Changes to {}:", credentials.display);
        let color = out.color() && std::io::stdout().is_terminal();
        let _ = build::write_steps(&mut stdout, &steps, color);
        if args.verbose || args.plan {
            let _ = writeln!(stdout, "\n-- SQL");
            for (h, _) in &losses {
                if let Some(p) = &h.prepare {
                    let _ = writeln!(stdout, "{p}; -- when the loss is accepted");
                }
            }
            let _ = writeln!(stdout, "{}", build::join(&statements, false));
        }
    }
    let report = |applied: bool, diags: &[Diagnostic]| {
        if out.format == Format::Json {
            out.json(
                diags,
                &sources,
                serde_json::json!({
                    "ok": applied || (args.plan && blocked.is_empty()),
                    "changes": true,
                    "applied": applied,
                    "plan": build::steps_json(&steps),
                    "statements": statements,
                    "hazards": found.iter().map(|(h, n)| serde_json::json!({
                        "effect": match h.effect { Effect::Loss => "loss", Effect::Blocks => "blocks" },
                        "change": h.change,
                        "count": n,
                        "counts": h.counts,
                    })).collect::<Vec<_>>(),
                }),
            );
        }
    };

    if !blocked.is_empty() {
        for (h, n) in &blocked {
            let mut d = Diagnostic::error(
                codes::PUSH_BLOCKED,
                format!("cannot {}: the database has {}", h.change, h.counted(*n)),
            )
            .with_note("nothing was applied");
            if let Some(help) = &h.help {
                d = d.with_help(help.clone());
            }
            diags.push(d);
        }
        out.diagnostics(&diags, &sources);
        report(false, &diags);
        rt.block_on(conn.close());
        return 1;
    }
    if args.plan {
        for (h, n) in &losses {
            diags.push(Diagnostic::warning(
                codes::DATA_LOSS,
                format!("{} loses {}", h.change, h.counted(*n)),
            ));
        }
        out.diagnostics(&diags, &sources);
        report(false, &diags);
        rt.block_on(conn.close());
        return 0;
    }

    let interactive = out.format == Format::Human && super::renames::can_prompt();
    if !losses.is_empty() && !args.force {
        let summary: Vec<String> = losses
            .iter()
            .map(|(h, n)| format!("{}: {}", h.change, h.counted(*n)))
            .collect();
        if interactive {
            out.diagnostics(&diags, &sources);
            diags.clear();
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "\nThese changes lose data that is in the database:");
            for line in &summary {
                let _ = writeln!(err, "  ! {line}");
            }
            drop(err);
            if !ask("Apply them, losing this data?") {
                rt.block_on(conn.close());
                return 0;
            }
        } else {
            let mut d = Diagnostic::error(
                codes::DATA_LOSS,
                "these changes lose data that is in the database; nothing was applied",
            )
            .with_help("run on a terminal to confirm, or pass --force to accept the loss");
            for line in summary {
                d = d.with_note(line);
            }
            diags.push(d);
            out.diagnostics(&diags, &sources);
            report(false, &diags);
            rt.block_on(conn.close());
            return 2;
        }
    }
    if args.strict && !args.force {
        if !interactive {
            diags.push(
                Diagnostic::error(
                    codes::DATA_LOSS,
                    "--strict asks before every statement, and there is no terminal to ask on",
                )
                .with_help("run on a terminal, or drop --strict (or pass --force)"),
            );
            out.diagnostics(&diags, &sources);
            report(false, &diags);
            rt.block_on(conn.close());
            return 2;
        }
        for s in &statements {
            let _ = writeln!(std::io::stderr().lock(), "\n{s}");
            if !ask("Run this statement?") {
                rt.block_on(conn.close());
                return 0;
            }
        }
    }

    // The losses accepted that the change alone would not carry out (values cut to a shorter
    // type), made explicit first.
    let mut run: Vec<String> = losses
        .iter()
        .filter_map(|(h, _)| h.prepare.clone())
        .collect();
    let prepared = run.len();
    run.extend(statements.iter().cloned());
    let bar = out.bar(run.len() as u64, "Applying");
    let result = rt.block_on(apply::apply_statements(&mut conn, &run, &mut |n| {
        bar.set(n as u64)
    }));
    drop(bar);
    rt.block_on(conn.close());
    match result {
        Ok(()) => {
            out.diagnostics(&diags, &sources);
            match out.format {
                Format::Human => {
                    let _ = writeln!(
                        std::io::stdout().lock(),
                        "Changes applied ({} statement{})",
                        run.len(),
                        if run.len() == 1 { "" } else { "s" }
                    );
                }
                Format::Json => report(true, &diags),
            }
            0
        }
        Err(f) => {
            let failed = f.statement.map(|i| run[i].as_str());
            let kept = if kind == Kind::Mysql {
                match f.committed.saturating_sub(prepared) {
                    0 => "no statement was applied (MySQL commits each DDL statement by itself)"
                        .to_string(),
                    1 => "the statement before it stays applied: MySQL commits each DDL statement by itself".to_string(),
                    n => format!(
                        "the {n} statements before it stay applied: MySQL commits each DDL statement by itself"
                    ),
                }
            } else {
                "nothing was applied: the transaction was rolled back".to_string()
            };
            let mut d = Diagnostic::error(
                codes::PUSH_FAILED,
                format!(
                    "the database refused a statement: {}",
                    credentials.scrub(&f.error.message)
                ),
            )
            .with_note(kept);
            if let Some(sql) = failed {
                d = d.with_note(format!("the statement:\n{}", sql.trim()));
            }
            if let Some(code) = &f.error.code {
                d = d.with_note(format!("error code {code}"));
            }
            diags.push(d);
            out.diagnostics(&diags, &sources);
            report(false, &diags);
            1
        }
    }
}

/// The filters of the flags, else of the config. PostgreSQL without a `schemaFilter`: `public`
/// and the schemas in `used` (for `push`, every schema the schema uses: drizzle-kit reads only
/// `public` and then fails to create the other schemas' tables a second time). Without
/// `entities.roles`, the roles in `declared_roles` (those the schema declares) are read.
pub fn filters(
    flags: &FilterArgs,
    cfg: Option<&schemac_compiler::config::Config>,
    used: &[&str],
    declared_roles: &[String],
) -> Result<Filters, Diagnostic> {
    let pick = |flag: &Vec<String>, key: fn(&schemac_compiler::config::Config) -> &Vec<String>| {
        if flag.is_empty() {
            cfg.map(key).cloned().unwrap_or_default()
        } else {
            flag.clone()
        }
    };
    let tables = pick(&flags.tables_filter, |c| &c.tables_filter);
    let mut schemas = pick(&flags.schema_filter, |c| &c.schema_filter);
    let explicit = !flags.schema_filter.is_empty()
        || cfg.is_some_and(|c| c.key_spans.contains_key("schemaFilter"));
    if !explicit {
        schemas = vec!["public".to_string()];
        for s in used {
            if !schemas.iter().any(|x| x == s) {
                schemas.push(s.to_string());
            }
        }
    }
    let tables = TablesFilter::new(&tables).map_err(|e| {
        Diagnostic::error(codes::CONFIG_INVALID, e).with_help("fix the glob of tablesFilter")
    })?;
    let mut roles = RolesFilter::from_json(cfg.and_then(|c| c.entities_roles.as_ref()));
    if roles == RolesFilter::None && !declared_roles.is_empty() {
        // Without `entities.roles` the roles the schema declares are still its own: read those
        // (and only those), so that a second push does not create them again.
        roles = RolesFilter::Some {
            include: declared_roles.to_vec(),
            exclude: Vec::new(),
        };
    }
    Ok(Filters {
        tables,
        schemas,
        extensions: pick(&flags.extensions_filters, |c| &c.extensions_filters),
        roles,
    })
}

/// The database schemas a schema uses: declared, and of its tables and enums.
fn used_schemas(schema: &Schema) -> Vec<&str> {
    schema
        .schemas
        .iter()
        .map(|s| s.name.as_str())
        .chain(schema.tables.iter().filter_map(|t| t.schema.as_deref()))
        .chain(schema.enums.iter().filter_map(|e| e.schema.as_deref()))
        .collect()
}

/// The schema without the tables and views the filters leave out.
fn filtered(schema: &Arc<Schema>, f: &Filters) -> Arc<Schema> {
    let schemas = f.schemas();
    let in_schemas = |s: &Option<String>| {
        schema.dialect != Dialect::Postgresql
            || schemas
                .iter()
                .any(|x| x == s.as_deref().unwrap_or("public"))
    };
    let keeps_all = schema
        .tables
        .iter()
        .all(|t| in_schemas(&t.schema) && f.tables.keeps(&t.name))
        && schema
            .views
            .iter()
            .all(|v| in_schemas(&v.schema) && f.tables.keeps(&v.name));
    if keeps_all {
        return schema.clone();
    }
    let mut s = (**schema).clone();
    s.tables
        .retain(|t| in_schemas(&t.schema) && f.tables.keeps(&t.name));
    s.views
        .retain(|v| in_schemas(&v.schema) && f.tables.keeps(&v.name));
    Arc::new(s)
}

/// A yes/no question on the terminal, no by default; a no (or an interrupted prompt) says that
/// nothing was applied.
fn ask(prompt: &str) -> bool {
    let yes = dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()
        .unwrap_or(false);
    if !yes {
        let _ = writeln!(std::io::stdout().lock(), "Nothing was applied");
    }
    yes
}

/// `"schema"."table"` (a policy's `on`) → `(schema, table)`.
fn qualified_parts(on: &str) -> Option<(String, String)> {
    let (schema, table) = on
        .strip_prefix('"')?
        .strip_suffix('"')?
        .split_once("\".\"")?;
    Some((schema.replace("\"\"", "\""), table.replace("\"\"", "\"")))
}
