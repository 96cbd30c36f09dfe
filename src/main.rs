//! The `schemac` command line.

#[cfg(feature = "mimalloc")]
mod alloc;
mod commands;
mod output;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: alloc::MiMalloc = alloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "schemac",
    version,
    about = "A schema compiler and migration tool for Drizzle ORM schemas"
)]
struct Cli {
    /// How to print diagnostics and results.
    #[arg(long, value_enum, global = true, default_value_t = Format::Human)]
    format: Format,
    /// When to use colours in terminal output.
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Print the SQL that creates the whole schema in an empty database.
    Export(ExportArgs),
    /// Write the next migration of the migrations folder (drizzle-kit's `generate`).
    #[command(alias = "generate")]
    Build(BuildArgs),
    /// Check that the migrations folder is consistent: journal, SQL files, snapshots, their chain.
    Check(FolderArgs),
    /// Remove one migration (its SQL file, snapshot and journal entry); never touches a database.
    Drop(DropArgs),
    /// Upgrade the folder's PostgreSQL snapshots of versions 5 and 6 to version 7, in place.
    Up(FolderArgs),
    /// Apply the folder's migrations that the database lacks (drizzle-orm's migrations table).
    Migrate(MigrateArgs),
    /// Show which migrations the database has: applied, pending, out of order, modified.
    Status(DbArgs),
    /// Make a live database match the schema, without migration files: data-losing changes are
    /// measured and need a yes or --force.
    Push(PushArgs),
    /// Write a live database as a Drizzle schema (schema.ts, relations.ts) and, in a folder
    /// without migrations, its first migration and snapshot.
    #[command(alias = "introspect")]
    Pull(PullArgs),
}

/// The migrations folder and the database, for `migrate` and `status`.
#[derive(Args, Clone, Default)]
pub struct DbArgs {
    /// The config file (default: drizzle.config.ts, .js or .json in the current directory; not
    /// read when both --url and --out are given).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The migrations folder (default: config `out`).
    #[arg(long)]
    pub out: Option<String>,
    /// The database, instead of the config's dbCredentials: postgres://..., mysql://..., or a
    /// SQLite file path.
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Apply migrations older than the newest applied one (merged from another branch), in
    /// folder order, instead of refusing.
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Go on when applied migration files have changed, recording their new hash.
    #[arg(long)]
    pub accept_modified: bool,
    /// Seconds to wait for another run's lock.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub lock_timeout: u64,
}

/// Where the migrations folder is, for commands that need no schema.
#[derive(Args, Clone, Default)]
pub struct FolderArgs {
    /// The config file, read only for `out` and `dialect` (default: drizzle.config.ts, .js or
    /// .json in the current directory; not read when --out is given without --config).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The migrations folder (default: config `out`).
    #[arg(long)]
    pub out: Option<String>,
    /// postgresql, mysql or sqlite (turso): must be the folder's dialect (E0003 otherwise).
    #[arg(long)]
    pub dialect: Option<String>,
}

#[derive(Args)]
pub struct DropArgs {
    #[command(flatten)]
    pub folder: FolderArgs,
    /// The tag of the migration to drop (as in meta/_journal.json, e.g. 0003_brave_otter).
    #[arg(value_name = "TAG")]
    pub tag: Option<String>,
    /// The tag of the migration to drop (the same as the positional TAG).
    #[arg(long = "tag", value_name = "TAG", conflicts_with = "tag")]
    pub tag_flag: Option<String>,
    /// Drop the last migration of the journal.
    #[arg(long, conflicts_with_all = ["tag", "tag_flag"])]
    pub last: bool,
}

/// Where the schema comes from: a config file, or flags.
#[derive(Args, Clone, Default)]
pub struct SchemaSource {
    /// The config file (default: drizzle.config.ts, .js or .json in the current directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The dialect, when no config file is used.
    #[arg(long)]
    pub dialect: Option<String>,
    /// Schema files, folders or globs, when no config file is used.
    #[arg(long)]
    pub schema: Vec<String>,
    /// How column names are derived from keys: camelCase or snake_case.
    #[arg(long)]
    pub casing: Option<String>,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub source: SchemaSource,
    /// Accepted for compatibility with drizzle-kit (SQL is the only output).
    #[arg(long, default_value_t = true)]
    pub sql: bool,
}

/// How migration tags start (`--prefix`, config `migrations.prefix`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Prefix {
    /// `0000`, `0001`, ...
    Index,
    /// `YYYYMMDDHHMMSS` (UTC).
    Timestamp,
    /// The same as timestamp.
    Supabase,
    /// Seconds since the Unix epoch.
    Unix,
    /// No prefix: the tag is `_<name>`.
    None,
}

impl Prefix {
    pub fn from_name(name: &str) -> Option<Prefix> {
        Prefix::from_str(name, false).ok()
    }
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub source: SchemaSource,
    /// The migration's name (the tag is `<prefix>_<name>`); default: a random one.
    #[arg(long)]
    pub name: Option<String>,
    /// How the tag starts (default: config `migrations.prefix`, else index).
    #[arg(long, value_enum)]
    pub prefix: Option<Prefix>,
    /// Put `--> statement-breakpoint` between statements (default: config `breakpoints`, else true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub breakpoints: Option<bool>,
    /// The migrations folder (default: config `out`, else drizzle).
    #[arg(long)]
    pub out: Option<String>,
    /// Write an empty migration to fill in by hand.
    #[arg(long)]
    pub custom: bool,
    /// Print the operations and SQL of the next migration without writing anything.
    #[arg(long, alias = "dry-run")]
    pub plan: bool,
    #[command(flatten)]
    pub renames: commands::renames::RenameArgs,
}

/// What of a live database `push` and `pull` manage (default: the config's filters).
#[derive(Args, Clone, Default)]
pub struct FilterArgs {
    /// Tables (and views) to read: globs on the table name, `!glob` to leave out (default:
    /// config `tablesFilter`). Repeatable.
    #[arg(long = "tablesFilter", alias = "tables-filter", value_name = "GLOB")]
    pub tables_filter: Vec<String>,
    /// PostgreSQL schemas to read (default: config `schemaFilter`; else `push` reads `public`
    /// and the schemas the schema uses, `pull` reads `public`). Repeatable.
    #[arg(long = "schemaFilters", alias = "schema-filter", value_name = "SCHEMA")]
    pub schema_filter: Vec<String>,
    /// Extensions whose tables are left alone, e.g. postgis (default: config
    /// `extensionsFilters`). Objects an extension owns are always left alone.
    #[arg(
        long = "extensionsFilters",
        alias = "extensions-filter",
        value_name = "EXTENSION"
    )]
    pub extensions_filters: Vec<String>,
}

#[derive(Args)]
pub struct PushArgs {
    #[command(flatten)]
    pub source: SchemaSource,
    /// The database, instead of the config's dbCredentials: postgres://..., mysql://..., or a
    /// SQLite file path.
    #[arg(long)]
    pub url: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print the SQL before applying it.
    #[arg(long)]
    pub verbose: bool,
    /// Ask before every statement (needs a terminal).
    #[arg(long)]
    pub strict: bool,
    /// Apply changes that lose data without asking.
    #[arg(long)]
    pub force: bool,
    /// Print the changes, their SQL and the data they would lose; apply nothing.
    #[arg(long, alias = "dry-run")]
    pub plan: bool,
    #[command(flatten)]
    pub renames: commands::renames::RenameArgs,
}

#[derive(Args)]
pub struct PullArgs {
    /// The config file (default: drizzle.config.ts, .js or .json in the current directory;
    /// optional with --url).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The database, instead of the config's dbCredentials: postgres://..., mysql://..., or a
    /// SQLite file path.
    #[arg(long)]
    pub url: Option<String>,
    /// Where schema.ts, relations.ts and the migrations go (default: config `out`, else drizzle).
    #[arg(long)]
    pub out: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Keys and variable names: camel (camelCase keys, the database name passed where it
    /// differs) or preserve (the database names). Default: config `introspect.casing`, else camel.
    #[arg(long, alias = "introspect-casing")]
    pub casing: Option<String>,
    /// Put `--> statement-breakpoint` between the first migration's statements (default: config
    /// `breakpoints`, else true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub breakpoints: Option<bool>,
    /// How the first migration's tag starts (default: config `migrations.prefix`, else index).
    #[arg(long, value_enum)]
    pub prefix: Option<Prefix>,
}

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    alloc::tune();
    let cli = Cli::parse();
    let out = output::Output::new(cli.format, cli.color);
    let code = match cli.command {
        Command::Export(args) => commands::export::run(&out, args),
        Command::Build(args) => commands::build::run(&out, args),
        Command::Check(args) => commands::check::run(&out, args),
        Command::Drop(args) => commands::drop::run(&out, args),
        Command::Up(args) => commands::up::run(&out, args),
        Command::Migrate(args) => commands::migrate::run(&out, args),
        Command::Status(args) => commands::status::run(&out, args),
        Command::Push(args) => commands::push::run(&out, args),
        Command::Pull(args) => commands::pull::run(&out, args),
    };
    ExitCode::from(code)
}
