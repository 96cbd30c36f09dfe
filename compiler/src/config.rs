//! The config loader: finds `drizzle.config.ts` / `.js` / `.json`, evaluates it with the same
//! front end as schema files (so `defineConfig`, `process.env.X!` and constants imported from
//! other files work), loads `.env` when the config imports `dotenv`, and checks every key
//! drizzle-kit reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value as J;

use crate::diagnostics::{Diagnostic, Location, codes};
use crate::project::Project;
use crate::schema::{Casing, Dialect};
use crate::span::Span;
use crate::syntax::ast;

/// The names drizzle-kit looks for, in order.
pub const CONFIG_NAMES: &[&str] = &[
    "drizzle.config.ts",
    "drizzle.config.js",
    "drizzle.config.json",
];

/// The keys every command reads; the others (credentials, filters) are read by the commands that
/// need them.
const NEEDED_KEYS: &[&str] = &[
    "",
    "dialect",
    "schema",
    "out",
    "casing",
    "breakpoints",
    "migrations",
];

/// Every key of drizzle-kit's config, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The config file.
    pub path: PathBuf,
    /// As written (`turso` and `singlestore` are kept so commands can say they are not
    /// supported).
    pub dialect_name: String,
    pub dialect: Dialect,
    pub schema: Vec<String>,
    pub out: String,
    pub driver: Option<String>,
    pub db_credentials: Option<J>,
    pub casing: Option<Casing>,
    pub breakpoints: bool,
    pub tables_filter: Vec<String>,
    pub schema_filter: Vec<String>,
    pub extensions_filters: Vec<String>,
    pub entities_roles: Option<J>,
    pub introspect_casing: String,
    pub migrations_table: String,
    pub migrations_schema: String,
    pub migrations_prefix: String,
    pub verbose: bool,
    pub strict: bool,
    /// `process.env` as the config saw it (with `.env` loaded), for the schema program too.
    pub env: BTreeMap<String, String>,
    /// Where each top-level key is written (`""`: the whole config object), for messages.
    pub key_spans: BTreeMap<String, Span>,
    /// Environment variables the config read that are not set.
    pub missing_env: Vec<(String, Location)>,
    /// Warnings about the config that did not stop it from being read (W0009).
    pub warnings: Vec<Diagnostic>,
}

impl Config {
    /// Warnings for the variables the config read that are not set (a config that fails often
    /// fails because of one).
    pub fn missing_env_warnings(&self) -> Vec<Diagnostic> {
        missing_env_warnings(&self.missing_env, None)
    }

    /// [`Config::missing_env_warnings`] for a failure of the config itself (its `schema`, its
    /// `dialect`): variables read inside `dbCredentials` cannot cause it, and are left out.
    pub fn missing_env_warnings_for_config(&self) -> Vec<Diagnostic> {
        let credentials = self.key_spans.get("dbCredentials");
        missing_env_warnings(
            &self.missing_env,
            credentials.map(|s| (self.path.as_path(), s)),
        )
    }
}

/// The top-level keys of drizzle-kit's config.
const CONFIG_KEYS: [&str; 15] = [
    "dialect",
    "schema",
    "out",
    "driver",
    "dbCredentials",
    "breakpoints",
    "tablesFilter",
    "schemaFilter",
    "extensionsFilters",
    "entities",
    "casing",
    "introspect",
    "migrations",
    "verbose",
    "strict",
];

/// A key of the config that is not one of drizzle-kit's but is close to `wanted` (`schemas`,
/// `dialet`): a missing `wanted` is likely that typo.
pub fn misspelled_key<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    wanted: &str,
) -> Option<&'k str> {
    keys.into_iter()
        .find(|k| !CONFIG_KEYS.contains(k) && crate::suggest::closest(k, [wanted]).is_some())
}

/// W0007 for each variable of `missing`, except those read inside `besides` (a file's span).
fn missing_env_warnings(
    missing: &[(String, Location)],
    besides: Option<(&Path, &Span)>,
) -> Vec<Diagnostic> {
    let inside = |loc: &Location| {
        besides.is_some_and(|(file, b)| {
            *loc.file == *file && b.start <= loc.span.start && loc.span.end <= b.end
        })
    };
    missing
        .iter()
        .filter(|(_, loc)| !inside(loc))
        .map(|(name, loc)| {
            Diagnostic::warning(
                codes::ENV_MISSING,
                format!("the environment variable `{name}` is not set"),
            )
            .with_location(loc, "read here")
            .with_help("set it, or put it in `.env` and `import 'dotenv/config'` in the config")
        })
        .collect()
}

/// Finds the config file: `explicit` (`--config`), else the first of [`CONFIG_NAMES`] in `cwd`.
pub fn find(cwd: &Path, explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(p) = explicit {
        let p = cwd.join(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(Diagnostic::error(
                codes::CONFIG_NOT_FOUND,
                format!("the config file `{}` does not exist", p.display()),
            )
            .with_help("check the path given to --config"))
        };
    }
    for name in CONFIG_NAMES {
        let p = cwd.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(Diagnostic::error(codes::CONFIG_NOT_FOUND, format!("no drizzle.config.ts, drizzle.config.js or drizzle.config.json in `{}`", cwd.display()))
        .with_help("create one (see https://orm.drizzle.team/docs/drizzle-config-file), pass --config=FILE, or give --dialect and --schema"))
}

/// The process environment plus `.env`-style files (existing variables win, as with dotenv).
pub fn environment(files: &[PathBuf]) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = std::env::vars().collect();
    for f in files {
        if let Ok(iter) = dotenvy::from_path_iter(f) {
            for (k, v) in iter.flatten() {
                env.entry(k).or_insert(v);
            }
        }
    }
    env
}

/// Which env files a config asks for: `.env` when it imports `dotenv` (or `dotenv/config`),
/// a literal `path` given to `config({ path })`, and Next.js's files for `@next/env`.
fn env_files(module: &ast::Module, dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut uses_dotenv = false;
    for s in &module.body {
        if let ast::StmtKind::Import(i) = &s.kind {
            match i.source.value.as_str() {
                "dotenv" | "dotenv/config" | "dotenv-flow/config" => uses_dotenv = true,
                "@next/env" => {
                    for f in [
                        ".env.development.local",
                        ".env.local",
                        ".env.development",
                        ".env",
                    ] {
                        files.push(dir.join(f));
                    }
                }
                _ => {}
            }
        }
    }
    // CommonJS configs: `require('dotenv').config()` or `require('dotenv/config')`.
    if !uses_dotenv && module_requires_dotenv(module) {
        uses_dotenv = true;
    }
    if uses_dotenv {
        // `config({ path: '.env.local' })` with a literal path.
        for p in literal_config_paths(module) {
            files.push(dir.join(p));
        }
        files.push(dir.join(".env"));
    }
    files
}

/// Does the module call `require('dotenv')` or `require('dotenv/config')` anywhere at the top?
fn module_requires_dotenv(module: &ast::Module) -> bool {
    fn requires(e: &ast::Expr) -> bool {
        match &e.kind {
            ast::ExprKind::Call { callee, args, .. } => {
                let is_require = matches!(&callee.kind, ast::ExprKind::Ident(n) if n == "require")
                    && matches!(args.first(), Some(ast::Arg::Expr(a))
                        if matches!(&a.kind, ast::ExprKind::Str(s) if s == "dotenv" || s == "dotenv/config"));
                is_require || requires(callee)
            }
            ast::ExprKind::Member { object, .. } => requires(object),
            _ => false,
        }
    }
    module.body.iter().any(|s| match &s.kind {
        ast::StmtKind::Expr(e) => requires(e),
        ast::StmtKind::Var(v) => v
            .decls
            .iter()
            .any(|d| d.init.as_ref().is_some_and(requires)),
        _ => false,
    })
}

fn literal_config_paths(module: &ast::Module) -> Vec<String> {
    let mut out = Vec::new();
    for s in &module.body {
        let ast::StmtKind::Expr(e) = &s.kind else {
            continue;
        };
        let ast::ExprKind::Call { callee, args, .. } = &e.kind else {
            continue;
        };
        let is_config = match &callee.kind {
            ast::ExprKind::Ident(n) => n == "config",
            ast::ExprKind::Member { prop, .. } => prop.name == "config",
            _ => false,
        };
        if !is_config {
            continue;
        }
        if let Some(ast::Arg::Expr(arg)) = args.first()
            && let ast::ExprKind::Object(props) = &arg.kind
        {
            for p in props {
                if let ast::Prop::KeyValue {
                    key: ast::PropKey::Ident(k),
                    value,
                } = p
                    && k.name == "path"
                    && let ast::ExprKind::Str(v) = &value.kind
                {
                    out.push(v.to_string());
                }
            }
        }
    }
    out
}

/// Loads and checks a config file.
pub fn load(project: &mut Project, path: &Path) -> Result<Config, Vec<Diagnostic>> {
    let file: Arc<Path> = Arc::from(path);
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut missing_env = Vec::new();
    let mut unavailable: Vec<(String, Diagnostic)> = Vec::new();
    let (value, env) = if path.extension().is_some_and(|e| e == "json") {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::error(
                codes::IO,
                format!("cannot read `{}`: {e}", path.display()),
            )]
        })?;
        let v: J = serde_json::from_str(&text).map_err(|e| {
            vec![Diagnostic::error(
                codes::CONFIG_INVALID,
                format!("`{}` is not valid JSON: {e}", path.display()),
            )]
        })?;
        (v, environment(&[]))
    } else {
        // Read the imports first to know which env files to load.
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::error(
                codes::IO,
                format!("cannot read `{}`: {e}", path.display()),
            )]
        })?;
        let parsed = crate::syntax::parse(&text);
        let mut env = environment(&env_files(&parsed.module, &dir));
        let result = project.default_export(path, env.clone());
        env.extend(result.env_set.clone());
        missing_env = result.missing_env;
        unavailable = result.unavailable;
        if result.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(result.diagnostics);
        }
        match result.value {
            Some(v) => (v, env),
            None if result.diagnostics.is_empty() => {
                // Never a failure without a message.
                return Err(vec![
                    Diagnostic::error(
                        codes::CONFIG_INVALID,
                        format!(
                            "the default export of `{}` could not be evaluated",
                            path.display()
                        ),
                    )
                    .with_help(
                        "export the config object itself: `export default defineConfig({ ... })`",
                    ),
                ]);
            }
            None => return Err(result.diagnostics),
        }
    };
    let spans = project
        .parsed(path)
        .map(|p| key_spans(&p.module))
        .unwrap_or_default();
    // Keys that could not be evaluated only matter when they are needed: `dbCredentials` built
    // by an env library does not stop `export`.
    let mut needed_failures: Vec<Diagnostic> = unavailable
        .into_iter()
        .filter(|(path, _)| {
            let top = path.split('.').next().unwrap_or("");
            NEEDED_KEYS.contains(&top)
        })
        .map(|(_, d)| d)
        .collect();
    let result = if needed_failures.is_empty() {
        read(&file, &value, &spans, env)
    } else {
        Err(std::mem::take(&mut needed_failures))
    };
    match result {
        Ok(mut c) => {
            c.missing_env = missing_env;
            Ok(c)
        }
        Err(mut diags) => {
            let credentials = spans.get("dbCredentials").map(|s| (&*file, s));
            diags.extend(missing_env_warnings(&missing_env, credentials));
            Err(diags)
        }
    }
}

/// Spans of the top-level keys of the default-exported object literal, for messages.
fn key_spans(module: &ast::Module) -> BTreeMap<String, Span> {
    let mut out = BTreeMap::new();
    let export = module.body.iter().find_map(|s| match &s.kind {
        ast::StmtKind::ExportDefault(e) | ast::StmtKind::ExportAssign(e) => Some(e),
        _ => None,
    });
    let Some(mut e) = export else { return out };
    if let ast::ExprKind::Call { args, .. } = &e.kind
        && let Some(ast::Arg::Expr(a)) = args.first()
    {
        e = a;
    }
    out.insert(String::new(), e.span);
    if let ast::ExprKind::Object(props) = &e.kind {
        for p in props {
            match p {
                ast::Prop::KeyValue {
                    key: ast::PropKey::Ident(k),
                    value,
                } => {
                    out.insert(k.name.to_string(), value.span);
                }
                ast::Prop::KeyValue {
                    key: ast::PropKey::Str(k),
                    value,
                } => {
                    out.insert(k.value.to_string(), value.span);
                }
                ast::Prop::Shorthand(id) => {
                    out.insert(id.name.to_string(), id.span);
                }
                _ => {}
            }
        }
    }
    out
}

fn read(
    file: &Arc<Path>,
    v: &J,
    spans: &BTreeMap<String, Span>,
    env: BTreeMap<String, String>,
) -> Result<Config, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let at = |key: &str, d: Diagnostic| -> Diagnostic {
        match spans.get(key) {
            Some(span) if !key.is_empty() => d.with_label(file, *span, format!("`{key}`")),
            Some(span) => d.with_label(file, *span, "this config"),
            None => d.with_label(file, Span::default(), "in this config"),
        }
    };
    let J::Object(obj) = v else {
        return Err(vec![at(
            "",
            Diagnostic::error(codes::CONFIG_INVALID, "the config must be an object"),
        )]);
    };
    let string = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<String> {
        match obj.get(key) {
            None | Some(J::Null) => None,
            Some(J::String(s)) => Some(s.clone()),
            Some(other) => {
                diags.push(at(
                    key,
                    Diagnostic::error(
                        codes::CONFIG_INVALID,
                        format!("`{key}` must be a string, found {other}"),
                    ),
                ));
                None
            }
        }
    };
    let list = |key: &str, diags: &mut Vec<Diagnostic>| -> Vec<String> {
        match obj.get(key) {
            None | Some(J::Null) => Vec::new(),
            Some(J::String(s)) => vec![s.clone()],
            Some(J::Array(a)) => a
                .iter()
                .filter_map(|x| match x {
                    J::String(s) => Some(s.clone()),
                    // An entry that could not be evaluated: an error where the command needs
                    // the key (above, `NEEDED_KEYS`), nothing otherwise.
                    J::Null => None,
                    other => {
                        diags.push(at(
                            key,
                            Diagnostic::error(
                                codes::CONFIG_INVALID,
                                format!("`{key}` must list strings, found {other}"),
                            ),
                        ));
                        None
                    }
                })
                .collect(),
            Some(other) => {
                diags.push(at(
                    key,
                    Diagnostic::error(
                        codes::CONFIG_INVALID,
                        format!("`{key}` must be a string or an array of strings, found {other}"),
                    ),
                ));
                Vec::new()
            }
        }
    };
    let boolean = |key: &str, default: bool, diags: &mut Vec<Diagnostic>| -> bool {
        match obj.get(key) {
            None | Some(J::Null) => default,
            Some(J::Bool(b)) => *b,
            Some(other) => {
                diags.push(at(
                    key,
                    Diagnostic::error(
                        codes::CONFIG_INVALID,
                        format!("`{key}` must be true or false, found {other}"),
                    ),
                ));
                default
            }
        }
    };
    let dialect_name = string("dialect", &mut diags);
    let dialect = match dialect_name.as_deref() {
        Some(name) => match dialect_named(name) {
            Ok(d) => Some(d),
            Err(d) => {
                diags.push(at("dialect", d));
                None
            }
        },
        None => {
            if !obj.contains_key("dialect") {
                let d = Diagnostic::error(codes::CONFIG_INVALID, "the config has no `dialect`");
                diags.push(
                    match misspelled_key(obj.keys().map(String::as_str), "dialect") {
                        Some(k) => at(
                            k,
                            d.with_help(format!(
                                "`{k}` is not a config key: did you mean `dialect`?"
                            )),
                        ),
                        None => at(
                            "",
                            d.with_help("add `dialect: 'postgresql'` (or mysql, sqlite)"),
                        ),
                    },
                );
            }
            None
        }
    };
    // drizzle-kit 0.31 refuses a `driver` its dialect does not take; schemac needs one only to
    // connect (the dialect picks the database client), so a wrong one is a warning.
    let driver = string("driver", &mut diags);
    if let (Some(drv), Some(d)) = (&driver, dialect) {
        let known: &[&str] = match d {
            Dialect::Postgresql => &["aws-data-api", "pglite"],
            Dialect::Sqlite => &["d1-http", "expo", "durable-sqlite"],
            Dialect::Mysql => &[],
        };
        if !known.contains(&drv.as_str()) {
            let help = match drv.as_str() {
                "turso" | "libsql" => "write `dialect: 'turso'` and remove `driver`".to_string(),
                _ if known.is_empty() => "remove `driver`: the dialect chooses the client".into(),
                _ => format!(
                    "remove `driver` (the dialect chooses the client), or use one of {}",
                    known.join(", ")
                ),
            };
            diags.push(at(
                "driver",
                Diagnostic::warning(
                    codes::CONFIG_DRIVER,
                    format!(
                        "`driver: '{drv}'` is no driver of the {} dialect; drizzle-kit refuses this config",
                        dialect_name.as_deref().unwrap_or_default()
                    ),
                )
                .with_help(help),
            ));
        }
    }
    let casing = match string("casing", &mut diags) {
        None => None,
        Some(c) => match Casing::parse(&c) {
            Some(c) => Some(c),
            None => {
                diags.push(at(
                    "casing",
                    Diagnostic::error(codes::CONFIG_UNKNOWN_VALUE, format!("unknown casing `{c}`"))
                        .with_help("use 'snake_case' or 'camelCase'"),
                ));
                None
            }
        },
    };
    let migrations = obj.get("migrations").cloned().unwrap_or(J::Null);
    let mig = |k: &str| {
        migrations
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let prefix = mig("prefix").unwrap_or_else(|| "index".into());
    if !["index", "timestamp", "supabase", "unix", "none"].contains(&prefix.as_str()) {
        diags.push(at(
            "migrations",
            Diagnostic::error(
                codes::CONFIG_UNKNOWN_VALUE,
                format!("unknown migrations prefix `{prefix}`"),
            )
            .with_help("use index, timestamp, supabase, unix or none"),
        ));
    }
    let introspect_casing = obj
        .get("introspect")
        .and_then(|i| i.get("casing"))
        .and_then(|c| c.as_str())
        .unwrap_or("camel")
        .to_string();
    if !["camel", "preserve"].contains(&introspect_casing.as_str()) {
        diags.push(at(
            "introspect",
            Diagnostic::error(
                codes::CONFIG_UNKNOWN_VALUE,
                format!("unknown introspect casing `{introspect_casing}`"),
            )
            .with_help("use 'camel' or 'preserve'"),
        ));
    }
    let config = Config {
        path: file.to_path_buf(),
        dialect_name: dialect_name.clone().unwrap_or_default(),
        dialect: dialect.unwrap_or(Dialect::Postgresql),
        schema: list("schema", &mut diags),
        out: string("out", &mut diags).unwrap_or_else(|| "drizzle".into()),
        driver,
        db_credentials: obj.get("dbCredentials").cloned(),
        casing,
        breakpoints: boolean("breakpoints", true, &mut diags),
        tables_filter: list("tablesFilter", &mut diags),
        schema_filter: {
            let l = list("schemaFilter", &mut diags);
            if l.is_empty() {
                vec!["public".into()]
            } else {
                l
            }
        },
        extensions_filters: list("extensionsFilters", &mut diags),
        entities_roles: obj.get("entities").and_then(|e| e.get("roles")).cloned(),
        introspect_casing,
        migrations_table: mig("table").unwrap_or_else(|| "__drizzle_migrations".into()),
        migrations_schema: mig("schema").unwrap_or_else(|| "drizzle".into()),
        migrations_prefix: prefix,
        verbose: boolean("verbose", false, &mut diags),
        strict: boolean("strict", false, &mut diags),
        env,
        key_spans: spans.clone(),
        missing_env: Vec::new(),
        warnings: Vec::new(),
    };
    if !diags.iter().any(Diagnostic::is_error) && dialect.is_some() {
        Ok(Config {
            warnings: diags,
            ..config
        })
    } else {
        Err(diags)
    }
}

/// The dialect drizzle-kit's name `name` stands for (`dialect` in a config, `--dialect`).
pub fn dialect_named(name: &str) -> Result<Dialect, Diagnostic> {
    match name {
        "postgresql" => Ok(Dialect::Postgresql),
        "mysql" | "singlestore" => Ok(Dialect::Mysql),
        "sqlite" | "turso" => Ok(Dialect::Sqlite),
        "gel" => Err(Diagnostic::error(
            codes::CONFIG_UNKNOWN_VALUE,
            "schemac does not support drizzle-kit's `gel` dialect",
        )
        .with_help("use one of postgresql, mysql, sqlite, turso, singlestore")),
        other => {
            let mut d = Diagnostic::error(
                codes::CONFIG_UNKNOWN_VALUE,
                format!("unknown dialect `{other}`"),
            );
            const NAMES: [&str; 6] = [
                "postgresql",
                "mysql",
                "sqlite",
                "turso",
                "singlestore",
                "gel",
            ];
            if let Some(near) = crate::suggest::closest(other, NAMES.iter().copied()) {
                d = d.with_note(format!("did you mean `{near}`?"));
            }
            Err(d.with_help("use one of postgresql, mysql, sqlite, turso, singlestore"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_paths_are_read_from_dotenv_calls() {
        let parsed = crate::syntax::parse(
            "import * as dotenv from 'dotenv';\ndotenv.config({ path: '.env.local' });\n",
        );
        let files = env_files(&parsed.module, Path::new("/p"));
        assert_eq!(
            files,
            vec![PathBuf::from("/p/.env.local"), PathBuf::from("/p/.env")]
        );
    }
}
