//! Lowering: the Drizzle objects the schema files export → the Schema IR.
//!
//! This is where Drizzle's naming rules (default constraint names, casing), default-value
//! serialization and `sql` rendering live. Lazy parts of the program run here, after every
//! module has been evaluated: `.references(() => other.id)` callbacks and the third argument
//! of table builders.

use crate::syntax::ast::Atom;
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use schemac_stdlib::{Dialect, OptionValue, TypeClass};

use super::drizzle::{
    ColumnBuilder, ColumnKind, ColumnRef, Host, QueryDef, SetOp, SqlChunk, SqlFrag, TableDef,
    ViewDef,
};
use super::interp::Flow;
use super::value::{OpaqueReason, Value, number_to_string};
use super::{Args, EvalOptions, Evaluator, ModuleId};
use crate::diagnostics::{Diagnostic, Location, codes};
use crate::schema::{self, Casing, DefaultValue, FkAction, Schema, SequenceOptions};

pub struct Exported<'a> {
    pub module: ModuleId,
    pub name: String,
    pub value: Value<'a>,
}

/// Where the prelude modules of the stdlib (`drizzle-orm/supabase`, ...) live in paths.
pub const PRELUDE_ROOT: &str = "/<schemac>";

/// How `sql` renders column references.
#[derive(Clone, Copy, PartialEq)]
enum SqlMode {
    /// `"table"."column"` (checks, `where`, policies, views, defaults).
    Qualified,
    /// `"column"` (index expressions, view select lists).
    Bare,
}

struct Lowerer<'e, 'a> {
    ev: &'e mut Evaluator<'a>,
    casing: Option<Casing>,
    dialect: Dialect,
    /// Ids of the tables that are part of the schema.
    exported_tables: HashSet<u32>,
    /// Tables referenced by foreign keys that are not part of the schema: the first reference
    /// and how many there are.
    external_refs: indexmap::IndexMap<u32, (String, Location, usize)>,
}

type Res<T> = Result<T, ()>;

pub fn lower<'a>(
    ev: &mut Evaluator<'a>,
    exported: Vec<Exported<'a>>,
    options: EvalOptions,
) -> Schema {
    let dialect = options.dialect.unwrap_or(Dialect::Postgresql);
    let mut l = Lowerer {
        ev,
        casing: options.casing,
        dialect,
        exported_tables: HashSet::new(),
        external_refs: indexmap::IndexMap::new(),
    };
    l.lower_all(exported)
}

impl<'a> Lowerer<'_, 'a> {
    fn report(&mut self, d: Diagnostic) {
        self.ev.diags.push(d);
    }

    /// Turns an evaluation result into `Res`, reporting the error.
    fn check<T>(&mut self, r: Result<T, Flow<'a>>) -> Res<T> {
        match r {
            Ok(v) => Ok(v),
            Err(Flow::Error(d)) => {
                self.report(*d);
                Err(())
            }
            Err(Flow::Poisoned) => Err(()),
            Err(Flow::Throw(v, at)) => {
                let msg = v
                    .get_prop("message")
                    .and_then(|m| m.to_js_string())
                    .unwrap_or_else(|| v.kind_name());
                let d =
                    Diagnostic::error(codes::THROWN, format!("the schema program throws: {msg}"))
                        .with_location(&at, "thrown here");
                self.report(d);
                Err(())
            }
            Err(_) => Err(()),
        }
    }

    fn err(
        &mut self,
        code: crate::diagnostics::Code,
        loc: &Location,
        message: impl Into<String>,
        label: impl Into<String>,
    ) {
        let d = Diagnostic::error(code, message).with_location(loc, label);
        self.report(d);
    }

    fn lower_all(&mut self, exported: Vec<Exported<'a>>) -> Schema {
        let mut schema = Schema::empty(self.dialect);
        let mut seen = HashSet::new();
        // The same object exported twice (a barrel re-exporting a file of the schema) is one
        // entity; tables, enums, schemas and sequences also carry ids.
        let mut seen_objects: HashSet<*const Host<'a>> = HashSet::new();
        let mut tables: Vec<Rc<TableDef<'a>>> = Vec::new();
        let mut policies = Vec::new();
        let mut other_dialect = Vec::new();
        // Enums that a later one of the same name and other values replaced (W5013).
        let mut replaced_enums: Vec<schema::Enum> = Vec::new();
        for e in exported {
            self.ev.current = e.module;
            match &e.value {
                Value::Host(h) if !seen_objects.insert(Rc::as_ptr(h)) => {}
                Value::Host(h) => match &**h {
                    Host::Table(t) => {
                        if t.dialect != self.dialect {
                            // Skipped like any entity of another dialect (W4006, below).
                            other_dialect.push((
                                e.name.clone(),
                                t.dialect.core_module().into(),
                                Some((t.origin.clone(), "declared here")),
                            ));
                        } else if self.dialect == Dialect::Mysql && t.schema.is_some() {
                            self.skip_in_mysql_schema(&e.name, &t.origin);
                        } else if seen.insert(t.id) {
                            tables.push(t.clone());
                        }
                    }
                    Host::Enum(en) if self.dialect == Dialect::Postgresql && seen.insert(en.id) => {
                        let e = schema::Enum {
                            schema: en.schema.as_deref().map(str::to_string),
                            name: en.name.to_string(),
                            values: en.values.iter().map(|v| v.to_string()).collect(),
                            origin: en.origin.clone(),
                        };
                        // The same enum declared twice (two files of the schema each declare
                        // it) is one type, as for drizzle-kit. Declared twice with different
                        // values, drizzle-kit creates the last one, and every column of either
                        // has that type: the same here, with a warning.
                        match schema
                            .enums
                            .iter_mut()
                            .find(|o| o.schema == e.schema && o.name == e.name)
                        {
                            None => schema.enums.push(e),
                            Some(o) if o.values == e.values => {}
                            Some(o) => replaced_enums.push(std::mem::replace(o, e)),
                        }
                    }
                    // Enums as types, sequences, roles and policies are PostgreSQL's only.
                    Host::Enum(_) | Host::Sequence(_) | Host::Role(_) | Host::Policy(_)
                        if self.dialect != Dialect::Postgresql =>
                    {
                        let origin = match &**h {
                            Host::Enum(x) => x.origin.clone(),
                            Host::Sequence(x) => x.origin.clone(),
                            Host::Role(x) => x.origin.clone(),
                            Host::Policy(x) => x.origin.clone(),
                            _ => unreachable!("matched above"),
                        };
                        other_dialect.push((
                            e.name.clone(),
                            Dialect::Postgresql.core_module().into(),
                            Some((origin, "declared here")),
                        ));
                    }
                    // MySQL has no schemas inside a database: `mysqlSchema` names another
                    // database, which drizzle-kit does not create.
                    Host::Schema(_) if self.dialect == Dialect::Mysql => {}
                    Host::View(v) if self.dialect == Dialect::Mysql && v.schema.is_some() => {
                        self.skip_in_mysql_schema(&e.name, &v.origin);
                    }
                    Host::Schema(s) if seen.insert(s.id) => {
                        schema.schemas.push(schema::NamedSchema {
                            name: s.name.to_string(),
                            origin: s.origin.clone(),
                        });
                    }
                    Host::Sequence(s) => {
                        if seen.insert(s.id)
                            && let Ok(options) = self.sequence_options(&s.options, None, &s.origin)
                        {
                            schema.sequences.push(schema::Sequence {
                                schema: s.schema.as_deref().map(str::to_string),
                                name: s.name.to_string(),
                                options,
                                origin: s.origin.clone(),
                            });
                        }
                    }
                    Host::Role(r) if !r.existing => {
                        let role = schema::Role {
                            name: r.name.to_string(),
                            create_db: r.create_db,
                            create_role: r.create_role,
                            inherit: r.inherit,
                            origin: r.origin.clone(),
                        };
                        // Declared twice the same way: one role (as for enums above).
                        if !schema.roles.iter().any(|o| {
                            o.name == role.name
                                && (o.create_db, o.create_role, o.inherit)
                                    == (role.create_db, role.create_role, role.inherit)
                        }) {
                            schema.roles.push(role);
                        }
                    }
                    Host::Policy(p) => policies.push(p.clone()),
                    Host::View(v) => {
                        if let Ok(view) = self.view(v) {
                            schema.views.push(view);
                        }
                    }
                    _ => {}
                },
                Value::Opaque(o) => {
                    // An export that might be a table but is unknown: no silent gap in the schema.
                    if let OpaqueReason::Undecided(what) = &o.reason {
                        let mut d = Diagnostic::error(
                            codes::OPAQUE_VALUE,
                            format!(
                                "the export `{}` must be known when schemac compiles the schema, but it is {what}",
                                e.name
                            ),
                        )
                        .with_help("write the value in the schema (or in a file of this project), or keep this code inside `$defaultFn`, `$onUpdate` or `$type`, where schemac does not need it");
                        if let Some(origin) = &o.origin {
                            d = d.with_location(origin, "used as a condition here");
                        }
                        self.report(d);
                        continue;
                    }
                    // A table a class makes is unknown to schemac: say it is left out.
                    if let OpaqueReason::Unsupported(what) = &o.reason
                        && what.starts_with(super::interp::CLASS_VALUE)
                        // (the class itself, exported: nothing to say)
                        && !what.contains(&format!("class `{}`", e.name))
                    {
                        let mut d = Diagnostic::warning(
                            codes::EXPORT_FROM_CLASS,
                            format!(
                                "the export `{}` is {what}; if it is a table or another Drizzle object, it is left out",
                                e.name
                            ),
                        )
                        .with_help("make it with a function instead of a class, so that schemac can evaluate it");
                        if let Some(origin) = &o.origin {
                            d = d.with_location(origin, "the class");
                        }
                        self.report(d);
                        continue;
                    }
                    // Made by JavaScript schemac does not evaluate: say what is left out, rather
                    // than leave a silent gap (a bundle's helpers once made a schema empty).
                    if let OpaqueReason::Unsupported(what) = &o.reason {
                        let mut d = Diagnostic::warning(
                            codes::EXPORT_UNKNOWN,
                            format!(
                                "the export `{}` is unknown to schemac ({what}); if it is a table or another Drizzle object, it is left out",
                                e.name
                            ),
                        )
                        .with_help("if it is one, write it so that schemac can evaluate it (spec/typescript.md lists what it evaluates)");
                        if let Some(origin) = &o.origin {
                            d = d.with_location(origin, "not evaluated");
                        }
                        self.report(d);
                        continue;
                    }
                    // A Drizzle builder from another package (one re-exporting drizzle-orm):
                    // drizzle-kit runs it and gets the table; schemac cannot.
                    if let OpaqueReason::External { package, name } = &o.reason
                        && !package.starts_with("drizzle-orm")
                        && self.ev.lib.modules().iter().any(|m| {
                            m.functions
                                .get(name.as_str())
                                .is_some_and(schemac_stdlib::Function::makes_entity)
                        })
                    {
                        let mut d = Diagnostic::warning(
                            codes::EXPORT_UNKNOWN,
                            format!(
                                "the export `{}` is made by `{name}` from the package `{package}`, whose code schemac does not run; it is left out",
                                e.name
                            ),
                        )
                        .with_help(format!("if `{package}` re-exports drizzle-orm, import `{name}` from drizzle-orm"));
                        if let Some(origin) = &o.origin {
                            d = d.with_location(origin, "made here");
                        }
                        self.report(d);
                        continue;
                    }
                    if let OpaqueReason::External { package, .. } = &o.reason
                        && (package.starts_with("drizzle-orm/mysql-core")
                            || package.starts_with("drizzle-orm/sqlite-core")
                            || package.starts_with("drizzle-orm/singlestore-core")
                            || package.starts_with("drizzle-orm/gel-core"))
                    {
                        other_dialect.push((
                            e.name.clone(),
                            package.clone(),
                            o.origin.clone().map(|at| (at, "made here")),
                        ));
                    }
                }
                _ => {}
            }
        }
        // Entities of another dialect are skipped, as drizzle-kit skips them; a schema with
        // nothing else is most likely compiled with the wrong dialect.
        let nothing_else = tables.is_empty() && schema.enums.is_empty() && schema.views.is_empty();
        for created in &schema.enums {
            let others: Vec<&schema::Enum> = replaced_enums
                .iter()
                .filter(|o| {
                    o.schema == created.schema
                        && o.name == created.name
                        && o.values != created.values
                })
                .collect();
            if !others.is_empty() {
                self.report(redeclared_enum(&others, created));
            }
        }
        // One diagnostic per file and package: a folder holding one schema file per dialect
        // (a layout drizzle-kit accepts) gives three lines, not one per entity.
        type Group<E> = (Option<std::path::PathBuf>, String, Vec<E>);
        let mut groups: Vec<Group<(String, _)>> = Vec::new();
        for (name, package, origin) in other_dialect {
            let file = origin.as_ref().map(|(o, _)| o.file.to_path_buf());
            match groups
                .iter_mut()
                .find(|(f, p, _)| *f == file && *p == package)
            {
                Some((_, _, entities)) => entities.push((name, origin)),
                None => groups.push((file, package, vec![(name, origin)])),
            }
        }
        for (_, package, entities) in groups {
            let dialect = self.dialect.name();
            let (first, origin) = &entities[0];
            let names = match entities.len() {
                1 => format!("`{first}` comes from"),
                n => {
                    let listed: Vec<String> = entities
                        .iter()
                        .take(3)
                        .map(|(n, _)| format!("`{n}`"))
                        .collect();
                    let more = if n > 3 { ", ..." } else { "" };
                    format!("{n} entities ({}{more}) come from", listed.join(", "))
                }
            };
            let mut d = if nothing_else {
                Diagnostic::error(
                    codes::WRONG_DIALECT,
                    format!("{names} `{package}`, but the dialect is {dialect}"),
                )
                .with_note("import the builders of the config's dialect")
            } else {
                let them = if entities.len() == 1 { "it" } else { "them" };
                Diagnostic::warning(
                    codes::OTHER_DIALECT,
                    format!("{names} `{package}`; a {dialect} schema ignores {them}"),
                )
            };
            if let Some((origin, label)) = origin {
                d = d.with_location(origin, *label);
            }
            self.report(d);
        }
        self.exported_tables = tables.iter().map(|t| t.id).collect();
        for t in &tables {
            self.ev.current = self.module_of(&t.origin);
            if let Ok(table) = self.table(t) {
                schema.tables.push(table);
            }
        }
        // Two table objects of one name and the same definition (a copy-paste slip): drizzle-kit
        // creates one table, and so does schemac. Different definitions stay, for the checks.
        // (Pairwise only when a name repeats: this runs on every compile.)
        let mut names = HashSet::with_capacity(schema.tables.len());
        if !schema
            .tables
            .iter()
            .all(|t| names.insert((t.schema.as_deref(), t.name.as_str())))
        {
            let dialect = schema.dialect;
            merge_same(&mut schema.tables, |a, b| {
                a.name == b.name && a.schema == b.schema && same_table(dialect, a, b)
            });
            // Different definitions under one name: drizzle-kit keeps the last (its snapshot
            // is keyed by name), and so does schemac, with W5016 (a real project has two).
            let mut last: rustc_hash::FxHashMap<(Option<&str>, &str), usize> =
                rustc_hash::FxHashMap::default();
            for (i, t) in schema.tables.iter().enumerate() {
                last.insert((t.schema.as_deref(), t.name.as_str()), i);
            }
            let mut reports = Vec::new();
            let mut keep = vec![true; schema.tables.len()];
            for (i, dropped) in schema.tables.iter().enumerate() {
                let at = last[&(dropped.schema.as_deref(), dropped.name.as_str())];
                if at == i {
                    continue;
                }
                keep[i] = false;
                let kept = &schema.tables[at];
                reports.push(Diagnostic::warning(
                    codes::TABLE_REDECLARED,
                    format!(
                        "two tables are named `{}` with different definitions; only one is created",
                        kept.display_name()
                    ),
                )
                .with_location(&kept.origin, "this table is created")
                .with_location(&dropped.origin, "this one is not")
                .with_note("as drizzle-kit does, the one met last is kept (schema files in order, a file's exports in name order)")
                .with_help("give them different names, or declare the table once and import it"));
            }
            let mut keep = keep.into_iter();
            schema.tables.retain(|_| keep.next().unwrap_or(true));
            for d in reports {
                self.report(d);
            }
        }
        self.report_external_references();
        // Standalone policies: into their table when it is part of the schema.
        for p in policies {
            let Some(link) = &p.link else {
                let d = Diagnostic::warning(
                    codes::POLICY_NOT_LINKED,
                    format!(
                        "policy `{}` is not linked to a table, so it is skipped",
                        p.name
                    ),
                )
                .with_location(&p.origin, "defined here")
                .with_help(
                    "link it with `.link(table)` or declare it in the table's third argument",
                );
                self.report(d);
                continue;
            };
            let Ok(mut policy) = self.policy(&p) else {
                continue;
            };
            let target = schema
                .tables
                .iter_mut()
                .find(|t| t.name == *link.name && t.schema.as_deref() == link.schema.as_deref());
            match target {
                Some(t) if tables.iter().any(|x| x.id == link.id) => t.policies.push(policy),
                _ => {
                    policy.on = Some((
                        link.schema.as_deref().map(str::to_string),
                        link.name.to_string(),
                    ));
                    schema.policies.push(policy);
                }
            }
        }
        schema
    }

    /// drizzle-kit leaves out MySQL tables and views declared in a `mysqlSchema` (another
    /// database); schemac does the same, and says so.
    fn skip_in_mysql_schema(&mut self, name: &str, origin: &Location) {
        let d = Diagnostic::warning(
            codes::SCHEMA_TABLE_SKIPPED,
            format!("`{name}` is declared in a `mysqlSchema`, so it is skipped"),
        )
        .with_location(origin, "declared here")
        .with_note("drizzle-kit creates only the tables and views of the database it connects to")
        .with_help("declare it with `mysqlTable`/`mysqlView` to create it");
        self.report(d);
    }

    fn module_of(&self, loc: &Location) -> ModuleId {
        self.ev
            .modules
            .iter()
            .position(|m| m.path == loc.file)
            .unwrap_or(self.ev.current)
    }

    /// Remembers a foreign key to a table that is not part of the schema. Tables drizzle-orm
    /// itself predefines (`auth.users` of `drizzle-orm/supabase`, evaluated from schemac's
    /// preludes) exist by definition and are not remembered.
    fn note_reference(&mut self, target: &Rc<TableDef<'a>>, origin: &Location) {
        if self.exported_tables.contains(&target.id) || target.origin.file.starts_with(PRELUDE_ROOT)
        {
            return;
        }
        let name = match &target.schema {
            Some(s) => format!("{s}.{}", target.name),
            None => target.name.to_string(),
        };
        self.external_refs
            .entry(target.id)
            .and_modify(|e| e.2 += 1)
            .or_insert((name, origin.clone(), 1));
    }

    /// One warning per table that foreign keys reference but the schema does not create.
    fn report_external_references(&mut self) {
        for (_, (name, origin, count)) in std::mem::take(&mut self.external_refs) {
            let more = if count > 1 {
                format!(" ({count} references)")
            } else {
                String::new()
            };
            let d = Diagnostic::warning(
                codes::NOT_EXPORTED,
                format!("table `{name}` is referenced by foreign keys but is not part of the schema{more}"),
            )
            .with_location(&origin, "referenced here")
            .with_note("only tables exported from the schema files are created; the migration assumes this one already exists")
            .with_help("export the table if schemac should create it");
            self.report(d);
        }
    }

    // ------------------------------------------------------------ names

    /// The database name of a column: its explicit name, or its key with casing applied.
    fn column_name(&self, key: &str, b: &ColumnBuilder<'a>) -> String {
        match &b.name {
            Some(n) => n.to_string(),
            None => {
                let key = b.key_name.as_deref().unwrap_or(key);
                match self.casing {
                    Some(c) => c.apply(key),
                    None => key.to_string(),
                }
            }
        }
    }

    /// The name Drizzle itself gives the column (explicit name or key, no casing), used in
    /// default constraint names.
    fn raw_column_name(key: &str, b: &ColumnBuilder<'a>) -> String {
        b.name
            .as_deref()
            .or(b.key_name.as_deref())
            .unwrap_or(key)
            .to_string()
    }

    fn ref_name(&self, r: &ColumnRef<'a>) -> String {
        self.column_name(&r.key, r.builder())
    }

    /// Checks that a column given to one of `t`'s keys or indexes is `t`'s (a copied line
    /// naming another table's column: drizzle-orm takes only its name). Another table's column
    /// is an error when `t` has no column of that name (the SQL would not apply), and a
    /// warning when it has one (the key is on that column).
    fn own_column(&mut self, t: &TableDef<'a>, r: &ColumnRef<'a>, loc: &Location) -> Res<()> {
        if r.table.name == t.name && r.table.schema == t.schema {
            return Ok(());
        }
        let name = self.ref_name(r);
        let (table, other) = (&t.name, &r.table.name);
        if t.columns
            .iter()
            .any(|(k, b)| self.column_name(k, b) == name)
        {
            let d = Diagnostic::warning(
                codes::OTHER_TABLE_COLUMN,
                format!("a column of table `{other}` is given for table `{table}`"),
            )
            .with_location(loc, format!("`{other}`.`{name}`"))
            .with_note(format!(
                "drizzle-orm takes only its name: this is `{table}`'s column `{name}`"
            ))
            .with_help(format!(
                "name `{table}`'s column through the callback's parameter (`t.{}`)",
                r.key
            ));
            self.report(d);
            return Ok(());
        }
        let d = Diagnostic::error(
            codes::BAD_ARGUMENT,
            format!("`{other}`.`{name}` is a column of table `{other}`, not of `{table}`"),
        )
        .with_location(loc, format!("a column of `{other}`"))
        .with_note(format!(
            "`{table}` has no column `{name}`: the SQL would not apply"
        ))
        .with_help(format!(
            "name one of `{table}`'s columns, through the callback's parameter (`(t) => [...]`)"
        ));
        self.report(d);
        Err(())
    }

    /// `as_column_ref` for each of the columns of one of `t`'s keys, which must be `t`'s.
    fn own_columns(
        &mut self,
        t: &TableDef<'a>,
        cols: &[(Value<'a>, Location)],
        what: &str,
    ) -> Res<Vec<ColumnRef<'a>>> {
        let mut out = Vec::with_capacity(cols.len());
        let mut ok = true;
        for (v, l) in cols {
            match self.as_column_ref(v, l, what) {
                Ok(c) if self.own_column(t, &c, l).is_ok() => out.push(c),
                _ => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }

    /// A default constraint name: built from raw column names, then each raw name's first
    /// occurrence replaced by the cased name (drizzle-kit's rule).
    fn recased(&self, mut name: String, cols: &[ColumnRef<'a>]) -> String {
        if self.casing.is_some() {
            for c in cols {
                let raw = Self::raw_column_name(&c.key, c.builder());
                let cased = self.ref_name(c);
                if raw != cased {
                    name = name.replacen(&raw, &cased, 1);
                }
            }
        }
        name
    }

    // ------------------------------------------------------------ tables

    fn table(&mut self, t: &Rc<TableDef<'a>>) -> Res<schema::Table> {
        let mut table = schema::Table {
            schema: t.schema.as_deref().map(str::to_string),
            name: t.name.to_string(),
            columns: Vec::with_capacity(t.columns.len()),
            primary_key: None,
            foreign_keys: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            indexes: Vec::new(),
            policies: Vec::new(),
            rls_enabled: t.rls.get(),
            origin: t.origin.clone(),
        };
        let mut failed = false;
        for (key, b) in &t.columns {
            match self
                .column(&t.name, key, b)
                .and_then(|c| self.replaced_sql_type(t, key, c))
            {
                Ok(c) => table.columns.push(c),
                Err(()) => failed = true,
            }
            if let Some(u) = &b.unique {
                table.uniques.push(schema::Unique {
                    name: u.name.as_deref().map(str::to_string).unwrap_or_else(|| {
                        format!("{}_{}_unique", t.name, Self::raw_column_name(key, b))
                    }),
                    columns: vec![self.column_name(key, b)],
                    nulls_not_distinct: u.nulls_not_distinct,
                    origin: b.origin.clone(),
                });
            }
            for r in &b.references {
                let from = ColumnRef {
                    table: t.clone(),
                    key: key.clone(),
                    through: None,
                };
                if let Ok(fk) = self.column_reference(t, &from, r) {
                    table.foreign_keys.push(fk);
                }
            }
        }
        if self.dialect.column_unique_is_index() {
            uniques_to_indexes(&mut table, true);
        }
        if let Some((extra, loc)) = &t.extra {
            self.table_extra(t, extra, loc, &mut table);
        }
        // drizzle-kit keys constraints by name: the same constraint declared twice (inline and in
        // the third argument) is one. Different constraints under one name stay, for the checks
        // to report.
        merge_same(&mut table.columns, |a, b| {
            // Two keys for one column (a copy-paste slip drizzle-kit tolerates): one column when
            // they define it the same way; otherwise the checks report the clash.
            a.name == b.name && {
                let mut b = b.clone();
                b.origin = a.origin.clone();
                *a == b
            }
        });
        merge_same(&mut table.foreign_keys, |a, b| {
            a.name == b.name
                && (
                    &a.columns,
                    &a.ref_schema,
                    &a.ref_table,
                    &a.ref_columns,
                    a.on_delete,
                    a.on_update,
                ) == (
                    &b.columns,
                    &b.ref_schema,
                    &b.ref_table,
                    &b.ref_columns,
                    b.on_delete,
                    b.on_update,
                )
        });
        merge_same(&mut table.uniques, |a, b| {
            a.name == b.name
                && a.columns == b.columns
                && a.nulls_not_distinct == b.nulls_not_distinct
        });
        // SQLite: the third argument's `unique()`s are unique indexes too, after the table's
        // indexes (so the IR holds what the snapshot does, and the diff finds them there).
        if self.dialect.column_unique_is_index() {
            uniques_to_indexes(&mut table, false);
        }
        // An index declared twice the same way under one name (on SQLite also a column's
        // `.unique()` and a `uniqueIndex` of its name) is one index, as in drizzle-kit.
        merge_same(&mut table.indexes, |a, b| {
            a.name == b.name && {
                let mut b = b.clone();
                b.origin = a.origin.clone();
                *a == b
            }
        });
        // The IR lives until the end of the command: keep no spare slots (a table has one or
        // two of each kind of constraint, where a grown vector has room for four).
        table.foreign_keys.shrink_to_fit();
        table.uniques.shrink_to_fit();
        table.checks.shrink_to_fit();
        table.indexes.shrink_to_fit();
        table.policies.shrink_to_fit();
        if failed { Err(()) } else { Ok(table) }
    }

    /// A column whose `getSQLType` the schema replaced: its type is what the replacement returns
    /// (called with the column as `this`; Drizzle's own `getSQLType()` gives the usual type).
    fn replaced_sql_type(
        &mut self,
        t: &Rc<TableDef<'a>>,
        key: &Atom,
        mut c: schema::Column,
    ) -> Res<schema::Column> {
        let replaced = t
            .sql_types
            .borrow()
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, f)| f.clone());
        let Some(f) = replaced else { return Ok(c) };
        let this = Value::host(Host::ColumnRef(ColumnRef {
            table: t.clone(),
            key: key.clone(),
            through: None,
        }));
        self.ev.own_sql_type = Some((t.id, key.clone(), c.sql_type.clone()));
        let origin = t.origin.clone();
        let r = self.ev.call(
            &f,
            Some(this),
            Args::new(Vec::new(), Vec::new(), origin.span),
        );
        self.ev.own_sql_type = None;
        match self.check(r)? {
            Value::Str(s) => {
                c.sql_type = s.to_string();
                Ok(c)
            }
            v => {
                let d = match &v {
                    Value::Opaque(_) => {
                        self.ev
                            .opaque_error(&v, origin.span, "returned by `getSQLType()`")
                    }
                    _ => Diagnostic::error(
                        codes::BAD_ARGUMENT,
                        format!("`getSQLType()` returned {}, not a type name", v.kind_name()),
                    )
                    .with_location(&origin, "this table"),
                };
                self.report(d);
                Err(())
            }
        }
    }

    fn column(&mut self, table: &str, key: &str, b: &ColumnBuilder<'a>) -> Res<schema::Column> {
        let name = self.column_name(key, b);
        let (mut sql_type, class, entry, implied_not_null) = self.column_type(b)?;
        let enum_schema = match &b.kind {
            ColumnKind::Enum(e) => Some(e.schema.as_deref().unwrap_or("public").to_string()),
            _ => None,
        };
        for dim in &b.array {
            match dim {
                Some(n) => sql_type.push_str(&format!("[{n}]")),
                None => sql_type.push_str("[]"),
            }
        }
        if b.auto_increment
            && self.dialect.auto_increment_needs_integer_key()
            && !sql_type.eq_ignore_ascii_case("integer")
        {
            let d = Diagnostic::error(
                codes::BAD_ARGUMENT,
                format!("`{name}` is `{sql_type}`: SQLite allows AUTOINCREMENT only on an integer primary key"),
            )
            .with_location(&b.origin, "this column")
            .with_help("make it `integer(...).primaryKey({ autoIncrement: true })`, or drop `autoIncrement`");
            self.report(d);
            return Err(());
        }
        let not_null = b.not_null || b.primary_key || implied_not_null;
        let default = match b.default.as_deref() {
            Some((v, loc)) => Some(self.default_value(v, loc, &sql_type, class, b)?),
            None => None,
        };
        let generated = match b.generated.as_deref() {
            Some((v, loc, config)) => {
                let stored = match config.get_prop("mode").as_ref().and_then(|m| m.as_str()) {
                    Some(mode) => mode == "stored",
                    None => self.dialect.generated_stored_by_default(),
                };
                let mode = if self.dialect.generated_qualified() {
                    SqlMode::Qualified
                } else {
                    SqlMode::Bare
                };
                let mut v = v.clone();
                if matches!(v, Value::Function(_)) {
                    let r = self
                        .ev
                        .call(&v, None, Args::new(Vec::new(), Vec::new(), loc.span));
                    v = self.check(r)?;
                }
                Some(Box::new(schema::Generated {
                    expression: self.render(&v, loc, mode)?,
                    stored,
                }))
            }
            None => None,
        };
        let identity = match b.identity.as_deref() {
            Some((always, opts, loc)) => {
                let max = entry.and_then(|e| e.max_value.clone());
                let seq_name = opts
                    .get_prop("name")
                    .and_then(|v| v.as_str().map(str::to_string));
                let options =
                    self.sequence_options(opts, Some(max.as_deref().unwrap_or("2147483647")), loc)?;
                Some(Box::new(schema::Identity {
                    always: *always,
                    sequence_name: seq_name.unwrap_or_else(|| format!("{table}_{name}_seq")),
                    sequence_schema: None,
                    options,
                }))
            }
            None => None,
        };
        Ok(schema::Column {
            name,
            sql_type,
            enum_schema,
            primary_key: b.primary_key,
            not_null: not_null || identity.is_some(),
            default,
            generated,
            identity,
            auto_increment: b.auto_increment,
            on_update_now: b.on_update_now,
            origin: b.origin.clone(),
        })
    }

    /// The SQL type of a column (without array suffixes), its value class, stdlib entry and
    /// whether the builder makes it NOT NULL by itself.
    fn column_type(
        &mut self,
        b: &ColumnBuilder<'a>,
    ) -> Res<(
        String,
        TypeClass,
        Option<&'static schemac_stdlib::ColumnBuilder>,
        bool,
    )> {
        match &b.kind {
            ColumnKind::Builtin { name, entry } => {
                let options = self.options(&b.config, &b.origin)?;
                for req in &entry.required {
                    if !options.contains_key(req) {
                        let d = Diagnostic::error(
                            codes::BAD_ARGUMENT,
                            format!("`{name}` needs the option `{req}`"),
                        )
                        .with_location(&b.origin, "this column")
                        .with_help(format!("write `{name}('column_name', {{ {req}: ... }})`"));
                        self.report(d);
                        return Err(());
                    }
                }
                match entry.render_type(&options) {
                    Ok(t) => Ok((
                        t,
                        entry.class,
                        Some(*entry),
                        entry.implies_not_null(&options),
                    )),
                    Err(e) => {
                        let d =
                            Diagnostic::error(codes::BAD_ARGUMENT, format!("`{name}` column: {e}"))
                                .with_location(&b.origin, "this column");
                        self.report(d);
                        Err(())
                    }
                }
            }
            ColumnKind::Enum(e) => Ok((e.name.to_string(), TypeClass::Text, None, false)),
            ColumnKind::Custom(c) => {
                let data_type = c.options.get_prop("dataType");
                let Some(f) = data_type.filter(|f| !f.is_nullish()) else {
                    self.err(
                        codes::BAD_ARGUMENT,
                        &c.origin,
                        "`customType` needs a `dataType()` method",
                        "this custom type",
                    );
                    return Err(());
                };
                let cfg = b.config.clone();
                let r = self.ev.call(
                    &f,
                    Some(c.options.clone()),
                    Args::new(vec![cfg], vec![b.origin.span], b.origin.span),
                );
                match self.check(r)? {
                    Value::Str(s) => {
                        // drizzle-kit decides how to write a default by the SQL type's name, so a
                        // custom `json`/`jsonb` type takes object defaults like the built-in ones.
                        let class = match s.trim().to_lowercase().as_str() {
                            "json" => TypeClass::Json,
                            "jsonb" => TypeClass::Jsonb,
                            _ => TypeClass::Other,
                        };
                        Ok((s.to_string(), class, None, false))
                    }
                    v => {
                        let d = match &v {
                            Value::Opaque(_) => {
                                self.ev
                                    .opaque_error(&v, c.origin.span, "returned by `dataType()`")
                            }
                            _ => Diagnostic::error(
                                codes::BAD_ARGUMENT,
                                format!("`dataType()` returned {}, not a type name", v.kind_name()),
                            )
                            .with_location(&c.origin, "this custom type"),
                        };
                        self.report(d);
                        Err(())
                    }
                }
            }
        }
    }

    /// A builder's config object as option values.
    fn options(
        &mut self,
        config: &Value<'a>,
        origin: &Location,
    ) -> Res<BTreeMap<String, OptionValue>> {
        let mut out = BTreeMap::new();
        let Value::Object(o) = config else {
            return Ok(out);
        };
        for (k, v) in &o.borrow().props {
            let ov = match v {
                Value::Undefined => continue,
                Value::Bool(b) => OptionValue::Bool(*b),
                Value::Number(n) => OptionValue::Number(*n),
                Value::Str(s) => OptionValue::Str(s.to_string()),
                // `enum: [...]` and other non-scalar options do not change the type.
                Value::Array(_) | Value::Object(_) | Value::Function(_) | Value::Null => continue,
                // A text column's `enum` only narrows its TypeScript type: its values may come
                // from an npm package.
                Value::Opaque(_) if &**k == "enum" => continue,
                v if v.is_poisoned() => return Err(()),
                v @ Value::Opaque(_) => {
                    let d =
                        self.ev
                            .opaque_error(v, origin.span, &format!("used as the option `{k}`"));
                    self.report(d);
                    return Err(());
                }
                _ => continue,
            };
            out.insert(k.to_string(), ov);
        }
        Ok(out)
    }

    fn default_value(
        &mut self,
        v: &Value<'a>,
        loc: &Location,
        sql_type: &str,
        class: TypeClass,
        b: &ColumnBuilder<'a>,
    ) -> Res<DefaultValue> {
        if self.dialect == Dialect::Sqlite {
            return self.sqlite_default(v, loc, sql_type, b);
        }
        let ty = sql_type.to_lowercase();
        if self.dialect == Dialect::Mysql {
            return self.mysql_default(v, loc, &ty, class, b);
        }
        Ok(match v {
            Value::Host(h) if matches!(**h, Host::Sql(_)) => {
                DefaultValue::Sql(self.render(v, loc, SqlMode::Qualified)?)
            }
            Value::Str(s) => DefaultValue::Sql(quote_literal(s)),
            Value::Number(n) if !matches!(class, TypeClass::Json | TypeClass::Jsonb) => {
                DefaultValue::Number(number_to_string(*n))
            }
            Value::Bool(x) if !matches!(class, TypeClass::Json | TypeClass::Jsonb) => {
                DefaultValue::Bool(*x)
            }
            Value::BigInt(d) => DefaultValue::Number(d.to_string()),
            // `null` on json columns is the JSON document `null`, as drizzle-kit writes it.
            Value::Null if !matches!(class, TypeClass::Json | TypeClass::Jsonb) => {
                DefaultValue::Null
            }
            _ if matches!(class, TypeClass::Json | TypeClass::Jsonb) && !ty.ends_with(']') => {
                let j = self.json(v, loc)?;
                DefaultValue::Sql(format!(
                    "{}::{}",
                    quote_literal(&j),
                    if class == TypeClass::Json {
                        "json"
                    } else {
                        "jsonb"
                    }
                ))
            }
            Value::Host(h) if matches!(**h, Host::Date(_)) => {
                let Host::Date(ms) = **h else { unreachable!() };
                DefaultValue::Sql(format!("'{}'", date_text(ms, &ty, false)))
            }
            Value::Array(_) if ty.ends_with(']') => {
                DefaultValue::Sql(quote_literal(&self.array_literal(v, &ty, loc)?))
            }
            // The literals drizzle-orm sends for these types' values (drizzle-kit writes
            // `DEFAULT 1,2,3` and `[object Object]`, which do not parse).
            v => match super::builtins::to_json(v)
                .ok()
                .and_then(|json| Some((crate::schema::value_literal(&json, &ty)?, json)))
            {
                Some((sql, json)) => DefaultValue::Value { sql, json },
                None => return self.bad_default(v, loc, sql_type, b),
            },
        })
    }

    /// A MySQL default as drizzle-kit writes it: JSON without a cast, dates without a zone,
    /// and plain values on `text`, `blob` and `json` columns in parentheses (MySQL allows
    /// only expression defaults there).
    fn mysql_default(
        &mut self,
        v: &Value<'a>,
        loc: &Location,
        ty: &str,
        class: TypeClass,
        b: &ColumnBuilder<'a>,
    ) -> Res<DefaultValue> {
        if let Value::Host(h) = v {
            match &**h {
                Host::Sql(_) => {
                    return Ok(DefaultValue::Sql(self.render(
                        v,
                        loc,
                        SqlMode::Qualified,
                    )?));
                }
                Host::Date(ms) => {
                    let iso = super::drizzle::iso_date(*ms);
                    let text = if ty == "date" {
                        iso[..10].to_string()
                    } else {
                        iso.replace('T', " ")[..23].to_string()
                    };
                    return Ok(DefaultValue::Sql(quote_literal(&text)));
                }
                _ => {}
            }
        }
        let plain = match v {
            // drizzle-kit writes a string default of a json column as it is (the JSON text,
            // `.default('[]')`), and other values as JSON.
            Value::Str(s) => DefaultValue::Sql(quote_literal(s)),
            _ if class == TypeClass::Json => DefaultValue::Sql(quote_literal(&self.json(v, loc)?)),
            Value::Number(n) => DefaultValue::Number(number_to_string(*n)),
            Value::BigInt(d) => DefaultValue::Number(d.to_string()),
            Value::Bool(x) => DefaultValue::Bool(*x),
            Value::Null => DefaultValue::Null,
            _ => return self.bad_default(v, loc, ty, b),
        };
        let wrapped = ty == "text" || ty.starts_with("json") || ty.starts_with("blob");
        Ok(match plain {
            DefaultValue::Sql(s) if wrapped => DefaultValue::Sql(format!("({s})")),
            DefaultValue::Null if wrapped => DefaultValue::Sql("(null)".into()),
            other => other,
        })
    }

    fn bad_default(
        &mut self,
        v: &Value<'a>,
        loc: &Location,
        sql_type: &str,
        b: &ColumnBuilder<'a>,
    ) -> Res<DefaultValue> {
        if v.is_poisoned() {
            return Err(());
        }
        let d = if let Value::Opaque(_) = v {
            self.ev
                .opaque_error(v, loc.span, "used as a column default")
        } else {
            Diagnostic::error(
                codes::BAD_ARGUMENT,
                format!(
                    "{} cannot be the default of a `{sql_type}` column",
                    v.kind_name()
                ),
            )
            .with_location(loc, "this default")
            .with_location(&b.origin, "the column")
            .with_help("use a value of the column's type, or sql`...` for an expression")
        };
        self.report(d);
        Err(())
    }

    /// A default as drizzle-kit writes SQLite's: whatever the column's type or mode, a string is
    /// quoted, a number or boolean is bare, and any object, array, `null` or `Date` is its JSON
    /// text quoted (so a `Date` becomes `'"2024-01-01T00:00:00.000Z"'`). Unlike drizzle-kit, a
    /// quote inside that JSON is doubled, so the SQL stays valid.
    fn sqlite_default(
        &mut self,
        v: &Value<'a>,
        loc: &Location,
        sql_type: &str,
        b: &ColumnBuilder<'a>,
    ) -> Res<DefaultValue> {
        Ok(match v {
            Value::Host(h) if matches!(**h, Host::Sql(_)) => {
                DefaultValue::Sql(self.render(v, loc, SqlMode::Qualified)?)
            }
            Value::Str(s) => DefaultValue::Sql(quote_literal(s)),
            Value::Number(n) => DefaultValue::Number(number_to_string(*n)),
            Value::Bool(x) => DefaultValue::Bool(*x),
            // drizzle-orm stores `blob({ mode: 'bigint' })` values as a blob of their decimal
            // text, and reads nothing else back: the default is that blob.
            Value::BigInt(d) if sql_type.eq_ignore_ascii_case("blob") => {
                let hex: String = d.to_string().bytes().map(|b| format!("{b:02x}")).collect();
                DefaultValue::Sql(format!("X'{hex}'"))
            }
            Value::BigInt(d) => DefaultValue::Number(d.to_string()),
            Value::Host(h) if matches!(**h, Host::Date(_)) => {
                let Host::Date(ms) = **h else { unreachable!() };
                let iso = super::drizzle::iso_date(ms);
                DefaultValue::Sql(quote_literal(&format!("\"{iso}\"")))
            }
            Value::Null | Value::Array(_) | Value::Object(_) => {
                DefaultValue::Sql(quote_literal(&self.json(v, loc)?))
            }
            _ => return self.bad_default(v, loc, sql_type, b),
        })
    }

    fn json(&mut self, v: &Value<'a>, loc: &Location) -> Res<String> {
        match super::builtins::to_json(v) {
            Ok(j) => Ok(super::builtins::json_text(&j)),
            Err(what) => {
                let d = Diagnostic::error(
                    codes::BAD_ARGUMENT,
                    format!("this default contains {what}, which cannot be written as JSON"),
                )
                .with_location(loc, "this default");
                self.report(d);
                Err(())
            }
        }
    }

    /// A PostgreSQL array literal (`{"a","b"}`), as drizzle-kit's `buildArrayString` writes it.
    fn array_literal(&mut self, v: &Value<'a>, ty: &str, loc: &Location) -> Res<String> {
        let Value::Array(items) = v else {
            return Ok(String::new());
        };
        let items = items.borrow().clone();
        let mut parts = Vec::new();
        for item in &items {
            parts.push(match item {
                Value::Number(n) => number_to_string(*n),
                Value::BigInt(d) => d.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Array(_) => self.array_literal(item, ty, loc)?,
                Value::Host(h) if matches!(**h, Host::Date(_)) => {
                    let Host::Date(ms) = **h else { unreachable!() };
                    format!("\"{}\"", date_text(ms, ty, true))
                }
                Value::Object(_) => format!("\"{}\"", self.json(item, loc)?.replace('"', "\\\"")),
                Value::Null => "NULL".into(),
                Value::Str(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
                other => {
                    let d = Diagnostic::error(
                        codes::BAD_ARGUMENT,
                        format!(
                            "{} cannot be an element of an array default",
                            other.kind_name()
                        ),
                    )
                    .with_location(loc, "this default");
                    self.report(d);
                    return Err(());
                }
            });
        }
        Ok(format!("{{{}}}", parts.join(",")))
    }

    fn sequence_options(
        &mut self,
        opts: &Value<'a>,
        identity_max: Option<&str>,
        loc: &Location,
    ) -> Res<SequenceOptions> {
        let mut get = |k: &str| -> Res<Option<String>> {
            match opts.get_prop(k) {
                None | Some(Value::Undefined) | Some(Value::Null) => Ok(None),
                // A number literal at the edge of bigint, such as the `maxValue:
                // 9223372036854775807` drizzle-kit's pull writes, is a double that prints
                // beyond it (9223372036854776000, refused by PostgreSQL): the edge itself.
                Some(Value::Number(n)) if n >= 2f64.powi(63) => Ok(Some(i64::MAX.to_string())),
                Some(Value::Number(n)) if n <= -(2f64.powi(63)) => Ok(Some(i64::MIN.to_string())),
                Some(Value::Number(n)) => Ok(Some(number_to_string(n))),
                Some(Value::Str(s)) => Ok(Some(s.to_string())),
                Some(Value::BigInt(s)) => Ok(Some(s.to_string())),
                Some(v) => {
                    let d = Diagnostic::error(
                        codes::BAD_ARGUMENT,
                        format!(
                            "the sequence option `{k}` must be a number, found {}",
                            v.kind_name()
                        ),
                    )
                    .with_location(loc, "in these options");
                    self.report(d);
                    Err(())
                }
            }
        };
        let increment = get("increment")?.unwrap_or_else(|| "1".into());
        let negative = increment.starts_with('-');
        let min = get("minValue")?;
        let max = get("maxValue")?;
        let start = get("startWith")?;
        let cache = get("cache")?.unwrap_or_else(|| "1".into());
        let cycle = opts.get_prop("cycle").is_some_and(|v| v.truthy());
        let (min_value, max_value) = match identity_max {
            // Identity columns: drizzle-kit's defaults (including its -32768 minimum for
            // negative increments, see spec/differences.md).
            Some(type_max) => {
                if negative {
                    (
                        min.unwrap_or_else(|| "-32768".into()),
                        max.unwrap_or_else(|| "-1".into()),
                    )
                } else {
                    (
                        min.unwrap_or_else(|| "1".into()),
                        max.unwrap_or_else(|| type_max.into()),
                    )
                }
            }
            None => {
                if negative {
                    (
                        min.unwrap_or_else(|| "-9223372036854775808".into()),
                        max.unwrap_or_else(|| "-1".into()),
                    )
                } else {
                    (
                        min.unwrap_or_else(|| "1".into()),
                        max.unwrap_or_else(|| "9223372036854775807".into()),
                    )
                }
            }
        };
        let start_with = start.unwrap_or_else(|| {
            if negative {
                max_value.clone()
            } else {
                min_value.clone()
            }
        });
        Ok(SequenceOptions {
            increment,
            min_value,
            max_value,
            start_with,
            cache,
            cycle,
        })
    }

    // ------------------------------------------------------------ constraints

    fn as_column_ref(&mut self, v: &Value<'a>, loc: &Location, what: &str) -> Res<ColumnRef<'a>> {
        match v {
            Value::Host(h) => match &**h {
                Host::ColumnRef(r) => Ok(r.clone()),
                Host::IndexColumn(ic) => Ok(ic.column.clone()),
                _ => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        loc,
                        format!(
                            "{what} must be a column of a table, found {}",
                            h.kind_name()
                        ),
                        "here",
                    );
                    Err(())
                }
            },
            v if v.is_poisoned() => Err(()),
            v @ Value::Opaque(_) => {
                let d = self.ev.opaque_error(v, loc.span, what);
                self.report(d);
                Err(())
            }
            v => {
                let d = Diagnostic::error(
                    codes::BAD_ARGUMENT,
                    format!(
                        "{what} must be a column of a table, found {}",
                        v.kind_name()
                    ),
                )
                .with_location(loc, "here")
                .with_help("write `table.column`, e.g. `users.id`");
                self.report(d);
                Err(())
            }
        }
    }

    fn action(&mut self, a: &Option<Atom>, loc: &Location) -> Res<FkAction> {
        match a {
            None => Ok(FkAction::NoAction),
            // Plain JavaScript schemas have no type checker to keep `'CASCADE'` out; SQL
            // reads it the same.
            Some(s) => FkAction::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
                let d = Diagnostic::error(
                    codes::BAD_ARGUMENT,
                    format!("`{s}` is not a foreign key action"),
                )
                .with_location(loc, "here")
                .with_note("the actions are: cascade, restrict, no action, set null, set default");
                self.report(d);
            }),
        }
    }

    fn column_reference(
        &mut self,
        t: &Rc<TableDef<'a>>,
        from: &ColumnRef<'a>,
        r: &super::drizzle::ColumnReference<'a>,
    ) -> Res<schema::ForeignKey> {
        let target = match &r.target {
            f @ (Value::Function(_) | Value::Builtin(_)) => {
                let res = self
                    .ev
                    .call(f, None, Args::new(Vec::new(), Vec::new(), r.origin.span));
                self.check(res)?
            }
            v => v.clone(),
        };
        let to = self.as_column_ref(
            &target,
            &r.origin,
            "the referenced column (returned by the `references` callback)",
        )?;
        let on_delete = self.action(&r.on_delete, &r.origin)?;
        let on_update = self.action(&r.on_update, &r.origin)?;
        let raw = format!(
            "{}_{}_{}_{}_fk",
            t.name,
            Self::raw_column_name(&from.key, from.builder()),
            to.table.name,
            Self::raw_column_name(&to.key, to.builder())
        );
        self.note_reference(&to.table, &r.origin);
        Ok(schema::ForeignKey {
            name: self.recased(raw, &[from.clone(), to.clone()]),
            columns: vec![self.ref_name(from)],
            ref_schema: to.table.schema.as_deref().map(str::to_string),
            ref_table: to.table.name.to_string(),
            ref_columns: vec![self.ref_name(&to)],
            on_delete,
            on_update,
            origin: r.origin.clone(),
        })
    }

    fn table_extra(
        &mut self,
        t: &Rc<TableDef<'a>>,
        extra: &Value<'a>,
        loc: &Location,
        table: &mut schema::Table,
    ) {
        let value = if matches!(extra, Value::Function(_)) {
            let this = Value::host(Host::Table(t.clone()));
            let r = self
                .ev
                .call(extra, None, Args::new(vec![this], vec![loc.span], loc.span));
            match self.check(r) {
                Ok(v) => v,
                Err(()) => return,
            }
        } else {
            extra.clone()
        };
        // An array (nested arrays flattened one level) or an object whose values are used.
        let items: Vec<Value<'a>> = match &value {
            Value::Array(a) => a
                .borrow()
                .iter()
                .flat_map(|x| match x {
                    Value::Array(inner) => inner.borrow().clone(),
                    x => vec![x.clone()],
                })
                .collect(),
            Value::Object(o) => o.borrow().props.values().cloned().collect(),
            Value::Undefined | Value::Null => Vec::new(),
            v if v.is_poisoned() => return,
            v => {
                self.err(
                    codes::BAD_ARGUMENT,
                    loc,
                    format!("the third argument of a table must give an array (or object) of indexes and constraints, found {}", v.kind_name()),
                    "here",
                );
                return;
            }
        };
        for item in items {
            let h = match &item {
                Value::Host(h) => h,
                Value::Opaque(o) if o.reason != OpaqueReason::Poisoned => {
                    // Drizzle ignores what it does not recognise; an unknown value here may well
                    // have been policies or indexes, so say it is dropped.
                    let mut d = Diagnostic::warning(
                        codes::IGNORED_ITEM,
                        format!(
                            "an item of table `{}`'s third argument is {}; it is ignored",
                            t.name,
                            o.describe()
                        ),
                    )
                    .with_location(loc, "in this third argument")
                    .with_help(
                        "return indexes, constraints and policies built with drizzle-orm here",
                    );
                    if let Some(origin) = &o.origin {
                        d = d.with_location(origin, "the value comes from here");
                    }
                    self.report(d);
                    continue;
                }
                _ => continue,
            };
            match &**h {
                Host::Index(ix) => {
                    if let Ok(i) = self.index(t, ix) {
                        table.indexes.push(i);
                    }
                }
                Host::PrimaryKey(pk) => {
                    let Ok(cols) = self.own_columns(t, &pk.columns, "a primary key column") else {
                        continue;
                    };
                    let raw = format!(
                        "{}_{}_pk",
                        t.name,
                        cols.iter()
                            .map(|c| Self::raw_column_name(&c.key, c.builder()))
                            .collect::<Vec<_>>()
                            .join("_")
                    );
                    let name = match &pk.name {
                        Some(n) => n.to_string(),
                        None => self.recased(raw, &cols),
                    };
                    let columns: Vec<String> = cols.iter().map(|c| self.ref_name(c)).collect();
                    // A second `primaryKey()`: drizzle-kit writes the first.
                    if let Some(first) = &table.primary_key {
                        let d = Diagnostic::warning(
                            codes::TWO_PRIMARY_KEYS,
                            format!(
                                "table `{}` has two composite primary keys; the first is created",
                                table.name
                            ),
                        )
                        .with_location(&first.origin, "the primary key the table gets")
                        .with_location(&pk.origin, "ignored")
                        .with_help("a table has one primary key: remove one");
                        self.report(d);
                        continue;
                    }
                    // drizzle-kit writes a MySQL key's columns NOT NULL (its snapshot says so).
                    if self.dialect == Dialect::Mysql {
                        for c in table
                            .columns
                            .iter_mut()
                            .filter(|c| columns.contains(&c.name))
                        {
                            c.not_null = true;
                        }
                    }
                    table.primary_key = Some(schema::PrimaryKey {
                        name,
                        columns,
                        origin: pk.origin.clone(),
                    });
                }
                Host::ForeignKey(fk) => {
                    let from = self.own_columns(t, &fk.columns, "a foreign key column");
                    let to: Res<Vec<_>> = fk
                        .foreign_columns
                        .iter()
                        .map(|(v, l)| self.as_column_ref(v, l, "a referenced column"))
                        .collect();
                    let (Ok(from), Ok(to)) = (from, to) else {
                        continue;
                    };
                    let (Ok(on_delete), Ok(on_update)) = (
                        self.action(&fk.on_delete, &fk.origin),
                        self.action(&fk.on_update, &fk.origin),
                    ) else {
                        continue;
                    };
                    let Some(target) = to.first().map(|c| c.table.clone()) else {
                        self.err(
                            codes::BAD_ARGUMENT,
                            &fk.origin,
                            "a foreign key needs `foreignColumns`",
                            "this foreign key",
                        );
                        continue;
                    };
                    if from.len() != to.len() {
                        self.err(
                            codes::BAD_ARGUMENT,
                            &fk.origin,
                            format!(
                                "this foreign key has {} columns but {} referenced columns",
                                from.len(),
                                to.len()
                            ),
                            "this foreign key",
                        );
                        continue;
                    }
                    let raw = format!(
                        "{}_{}_{}_{}_fk",
                        t.name,
                        from.iter()
                            .map(|c| Self::raw_column_name(&c.key, c.builder()))
                            .collect::<Vec<_>>()
                            .join("_"),
                        target.name,
                        to.iter()
                            .map(|c| Self::raw_column_name(&c.key, c.builder()))
                            .collect::<Vec<_>>()
                            .join("_")
                    );
                    let all: Vec<_> = from.iter().chain(to.iter()).cloned().collect();
                    self.note_reference(&target, &fk.origin);
                    table.foreign_keys.push(schema::ForeignKey {
                        name: match &fk.name {
                            Some(n) => n.to_string(),
                            None => self.recased(raw, &all),
                        },
                        columns: from.iter().map(|c| self.ref_name(c)).collect(),
                        ref_schema: target.schema.as_deref().map(str::to_string),
                        ref_table: target.name.to_string(),
                        ref_columns: to.iter().map(|c| self.ref_name(c)).collect(),
                        on_delete,
                        on_update,
                        origin: fk.origin.clone(),
                    });
                }
                Host::Unique(u) => {
                    let Some(cols) = &u.columns else {
                        self.err(
                            codes::BAD_ARGUMENT,
                            &u.origin,
                            "`unique()` needs its columns: `unique().on(t.a, t.b)`",
                            "this constraint",
                        );
                        continue;
                    };
                    let Ok(cols) = self.own_columns(t, cols, "a unique column") else {
                        continue;
                    };
                    table.uniques.push(schema::Unique {
                        name: u.name.as_deref().map(str::to_string).unwrap_or_else(|| {
                            format!(
                                "{}_{}_unique",
                                t.name,
                                cols.iter()
                                    .map(|c| Self::raw_column_name(&c.key, c.builder()))
                                    .collect::<Vec<_>>()
                                    .join("_")
                            )
                        }),
                        columns: cols.iter().map(|c| self.ref_name(c)).collect(),
                        nulls_not_distinct: u.nulls_not_distinct,
                        origin: u.origin.clone(),
                    });
                }
                Host::Check(c) => {
                    if let Ok(expression) = self.render(&c.value, &c.origin, SqlMode::Qualified) {
                        table.checks.push(schema::Check {
                            name: c.name.to_string(),
                            expression,
                            origin: c.origin.clone(),
                        });
                    }
                }
                Host::Policy(p) => {
                    if let Ok(policy) = self.policy(p) {
                        table.policies.push(policy);
                    }
                }
                _ => {}
            }
        }
    }

    fn index(
        &mut self,
        t: &Rc<TableDef<'a>>,
        ix: &super::drizzle::IndexDef<'a>,
    ) -> Res<schema::Index> {
        let Some(cols) = &ix.columns else {
            self.err(
                codes::BAD_ARGUMENT,
                &ix.origin,
                "this index has no columns",
                "call `.on(...)` on it",
            );
            return Err(());
        };
        let mut columns = Vec::with_capacity(cols.len());
        let mut name_parts = Vec::new();
        let mut has_expression = false;
        for (v, loc) in cols {
            match v {
                Value::Host(h) => match &**h {
                    Host::ColumnRef(r) => {
                        self.own_column(t, r, loc)?;
                        let n = self.ref_name(r);
                        name_parts.push(n.clone());
                        self.check_vector_opclass(r, None, loc)?;
                        columns.push(schema::IndexColumn {
                            expression: n,
                            is_expression: false,
                            asc: true,
                            nulls_first: false,
                            opclass: None,
                        });
                    }
                    Host::IndexColumn(ic) => {
                        self.own_column(t, &ic.column, loc)?;
                        let n = self.ref_name(&ic.column);
                        name_parts.push(n.clone());
                        self.check_vector_opclass(&ic.column, ic.opclass.as_deref(), loc)?;
                        columns.push(schema::IndexColumn {
                            expression: n,
                            is_expression: false,
                            asc: ic.asc,
                            nulls_first: ic.nulls_first.unwrap_or(false),
                            opclass: ic.opclass.as_deref().map(str::to_string),
                        });
                    }
                    Host::Sql(_) => {
                        has_expression = true;
                        let e = self.render(v, loc, SqlMode::Bare)?;
                        columns.push(schema::IndexColumn {
                            expression: e,
                            is_expression: true,
                            asc: true,
                            nulls_first: false,
                            opclass: None,
                        });
                    }
                    _ => {
                        self.err(
                            codes::BAD_ARGUMENT,
                            loc,
                            format!(
                                "an index column must be a column or sql`...`, found {}",
                                h.kind_name()
                            ),
                            "here",
                        );
                        return Err(());
                    }
                },
                v => {
                    self.as_column_ref(v, loc, "an index column")?;
                }
            }
        }
        let name = match &ix.name {
            Some(n) => n.to_string(),
            None if has_expression => {
                let d = Diagnostic::error(
                    codes::INDEX_NEEDS_NAME,
                    "an index on an expression needs a name",
                )
                .with_location(&ix.origin, "this index")
                .with_help("give it one: `index('my_index').on(sql`...`)`");
                self.report(d);
                return Err(());
            }
            None => format!("{}_{}_index", t.name, name_parts.join("_")),
        };
        let mut with = Vec::new();
        if let Some(Value::Object(o)) = &ix.with {
            for (k, v) in &o.borrow().props {
                with.push((k.to_string(), option_value(v)));
            }
        }
        let where_clause = match &ix.where_ {
            Some((v, loc)) if !v.is_nullish() => Some(self.render(v, loc, SqlMode::Qualified)?),
            _ => None,
        };
        Ok(schema::Index {
            name,
            unique: ix.unique,
            columns,
            method: ix
                .method
                .as_deref()
                .unwrap_or(if self.dialect == Dialect::Postgresql {
                    "btree"
                } else {
                    ""
                })
                .to_string(),
            concurrently: ix.concurrently,
            with,
            where_clause,
            algorithm: ix.algorithm.as_deref().map(str::to_string),
            lock: ix.lock.as_deref().map(str::to_string),
            origin: ix.origin.clone(),
        })
    }

    fn check_vector_opclass(
        &mut self,
        r: &ColumnRef<'a>,
        opclass: Option<&str>,
        loc: &Location,
    ) -> Res<()> {
        let ColumnKind::Builtin { name, .. } = &r.builder().kind else {
            return Ok(());
        };
        if matches!(&**name, "vector" | "halfvec" | "sparsevec" | "bit") && opclass.is_none() {
            let d = Diagnostic::error(codes::VECTOR_OPCLASS, format!("an index on the {name} column `{}` needs an operator class", r.key))
                .with_location(loc, "this column")
                .with_help(format!("add `.op('vector_cosine_ops')` (or another): `t.{}.op('vector_l2_ops')`", r.key))
                .with_note("the operator classes are vector_l2_ops, vector_ip_ops, vector_cosine_ops, vector_l1_ops, bit_hamming_ops, bit_jaccard_ops, halfvec_l2_ops, sparsevec_l2_ops");
            self.report(d);
            return Err(());
        }
        Ok(())
    }

    fn policy(&mut self, p: &super::drizzle::PolicyDef<'a>) -> Res<schema::Policy> {
        let o = &p.options;
        let text = |k: &str| o.get_prop(k).and_then(|v| v.as_str().map(str::to_string));
        let restrictive = text("as").is_some_and(|a| a == "restrictive");
        let command = text("for").unwrap_or_else(|| "all".into()).to_uppercase();
        let mut to = Vec::new();
        let roles = match o.get_prop("to") {
            Some(Value::Array(a)) => a.borrow().clone(),
            Some(Value::Undefined) | None => Vec::new(),
            Some(v) => vec![v],
        };
        for r in roles {
            match &r {
                Value::Str(s) => to.push(s.to_string()),
                Value::Host(h) => match &**h {
                    Host::Role(role) => to.push(role.name.to_string()),
                    _ => {
                        self.err(
                            codes::BAD_ARGUMENT,
                            &p.origin,
                            format!(
                                "a policy's `to` must list roles or role names, found {}",
                                h.kind_name()
                            ),
                            "this policy",
                        );
                        return Err(());
                    }
                },
                v if v.is_poisoned() => return Err(()),
                v => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        &p.origin,
                        format!(
                            "a policy's `to` must list roles or role names, found {}",
                            v.kind_name()
                        ),
                        "this policy",
                    );
                    return Err(());
                }
            }
        }
        if to.is_empty() {
            to.push("public".into());
        }
        to.sort();
        let using = match o.get_prop("using") {
            Some(v) if !v.is_nullish() => Some(self.render(&v, &p.origin, SqlMode::Qualified)?),
            _ => None,
        };
        let with_check = match o.get_prop("withCheck") {
            Some(v) if !v.is_nullish() => Some(self.render(&v, &p.origin, SqlMode::Qualified)?),
            _ => None,
        };
        Ok(schema::Policy {
            name: p.name.to_string(),
            restrictive,
            command,
            to,
            using,
            with_check,
            on: None,
            origin: p.origin.clone(),
        })
    }

    // ------------------------------------------------------------ views

    fn view(&mut self, v: &ViewDef<'a>) -> Res<schema::View> {
        let mut columns = Vec::new();
        if let Some(Value::Object(o)) = &v.columns {
            let props: Vec<_> = o
                .borrow()
                .props
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (k, c) in props {
                if let Value::Host(h) = &c
                    && let Host::Column(cell) = &**h
                {
                    columns.push(self.column(&v.name, &k, &cell.get())?);
                }
            }
        } else if let Some((Value::Host(h), _)) = &v.definition
            && let Host::Query(q) = &**h
        {
            columns = self.selected_columns(&v.name, q)?;
        }
        let definition = if v.existing {
            None
        } else {
            match &v.definition {
                Some((d, loc)) => Some(self.view_definition(d, loc)?),
                None => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        &v.origin,
                        format!("view `{}` has no definition", v.name),
                        "give it one with `.as(...)` or mark it `.existing()`",
                    );
                    return Err(());
                }
            }
        };
        let mut with: Vec<_> = v
            .mysql
            .iter()
            .map(|(k, val)| (k.to_string(), schema::OptionValue::Text(val.to_string())))
            .collect();
        if let Some(Value::Object(o)) = &v.with {
            let o = o.borrow();
            let mut given: Vec<(&Atom, &Value<'a>)> = o
                .props
                .iter()
                .filter(|(_, val)| !matches!(val, Value::Undefined))
                .collect();
            // drizzle-kit's snapshot schema puts the options in its own order (and the SQL
            // follows it); options it does not know go last, as written.
            given.sort_by_key(|(k, _)| {
                VIEW_OPTION_ORDER
                    .iter()
                    .position(|o| o == &&***k)
                    .unwrap_or(VIEW_OPTION_ORDER.len())
            });
            for (k, val) in given {
                with.push((Casing::SnakeCase.apply(k), option_value(val)));
            }
        }
        if v.materialized
            && v.columns.is_none()
            && matches!(v.definition, Some((Value::Host(ref h), _)) if matches!(**h, Host::Sql(_)))
        {
            // drizzle-orm throws here at load time; schemac accepts it (see spec/differences.md).
        }
        Ok(schema::View {
            schema: v.schema.as_deref().map(str::to_string),
            name: v.name.to_string(),
            materialized: v.materialized,
            columns,
            definition,
            existing: v.existing,
            with,
            with_no_data: v.with_no_data,
            tablespace: v.tablespace.as_deref().map(str::to_string),
            using: v.using.as_deref().map(str::to_string),
            origin: v.origin.clone(),
        })
    }

    fn view_definition(&mut self, d: &Value<'a>, loc: &Location) -> Res<String> {
        match d {
            Value::Host(h) => match &**h {
                Host::Sql(_) => self.render(d, loc, SqlMode::Qualified),
                Host::Query(q) => self.query(q, loc),
                _ => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        loc,
                        format!(
                            "a view is defined by a query or sql`...`, found {}",
                            h.kind_name()
                        ),
                        "here",
                    );
                    Err(())
                }
            },
            v if v.is_poisoned() => Err(()),
            v => {
                let d = match v {
                    Value::Opaque(_) => {
                        self.ev
                            .opaque_error(v, loc.span, "used as a view definition")
                    }
                    _ => Diagnostic::error(
                        codes::BAD_ARGUMENT,
                        format!(
                            "a view is defined by a query or sql`...`, found {}",
                            v.kind_name()
                        ),
                    )
                    .with_location(loc, "here"),
                };
                self.report(d);
                Err(())
            }
        }
    }

    /// The columns of a query-built view as drizzle-kit records them in snapshots: each selected
    /// field that is a table column, lowered as if it were a column of the view (so an identity's
    /// sequence is named after the view). `select()` without fields selects the columns of its
    /// one table; with joins, or for `sql` fields, there are none.
    fn selected_columns(&mut self, view: &str, q: &QueryDef<'a>) -> Res<Vec<schema::Column>> {
        let mut refs = Vec::new();
        match &q.fields {
            Some(Value::Object(o)) => {
                for v in o.borrow().props.values() {
                    if let Value::Host(h) = v
                        && let Host::ColumnRef(r) = &**h
                    {
                        refs.push((r.table.clone(), r.key.clone()));
                    }
                }
            }
            None if q.joins.is_empty() => match &q.from {
                Some(Value::Host(h)) if let Host::Table(td) = &**h => {
                    refs.extend(td.columns.iter().map(|(k, _)| (td.clone(), k.clone())));
                }
                // The columns a `with` query selects, read through it.
                Some(Value::Host(h)) if let Host::Cte(c) = &**h => {
                    for (_, f) in super::drizzle::cte_fields(c) {
                        if let Value::Host(fh) = &f
                            && let Host::ColumnRef(r) = &**fh
                        {
                            refs.push((r.table.clone(), r.key.clone()));
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
        let mut columns: Vec<schema::Column> = Vec::new();
        for (td, key) in refs {
            if let Some((_, b)) = td.columns.iter().find(|(k, _)| *k == key) {
                let mut c = self.column(view, &key, b)?;
                // drizzle-kit's MySQL serializer names a view's columns without the casing it
                // applies to tables (observed: `titleText`, not `title_text`).
                if self.dialect == Dialect::Mysql {
                    c.name = Self::raw_column_name(&key, b);
                }
                // drizzle-kit's SQLite serializer quotes a view column's string default without
                // doubling its quotes (observed: `'it's'`).
                if self.dialect == Dialect::Sqlite
                    && let Some((Value::Str(text), _)) = b.default.as_deref()
                {
                    c.default = Some(DefaultValue::Sql(format!("'{text}'")));
                }
                // Keyed by name in the snapshot: a later field of the same name replaces it.
                match columns.iter_mut().find(|x| x.name == c.name) {
                    Some(x) => *x = c,
                    None => columns.push(c),
                }
            }
        }
        Ok(columns)
    }

    /// Compiles the view query builder to SQL, as drizzle-orm's PostgreSQL dialect writes it.
    fn query(&mut self, q: &QueryDef<'a>, loc: &Location) -> Res<String> {
        let Some(from) = &q.from else {
            self.err(
                codes::BAD_ARGUMENT,
                loc,
                "this query has no `.from(table)`",
                "the view's query",
            );
            return Err(());
        };
        let qualify = !q.joins.is_empty();
        let mode = if qualify {
            SqlMode::Qualified
        } else {
            SqlMode::Bare
        };
        let mut fields = Vec::new();
        match &q.fields {
            Some(Value::Object(o)) => {
                let props: Vec<_> = o.borrow().props.values().cloned().collect();
                self.select_fields(&props, mode, loc, &mut fields)?;
            }
            Some(v) => {
                self.err(
                    codes::BAD_ARGUMENT,
                    loc,
                    format!(
                        "`select` takes an object of fields, found {}",
                        v.kind_name()
                    ),
                    "here",
                );
                return Err(());
            }
            None => {
                // All columns of the tables in the query.
                let mut tables = vec![from.clone()];
                tables.extend(q.joins.iter().map(|(_, t, _)| t.clone()));
                for t in tables {
                    let Value::Host(h) = &t else { continue };
                    match &**h {
                        Host::Table(td) => {
                            for (k, _) in &td.columns {
                                let r = Value::host(Host::ColumnRef(ColumnRef {
                                    table: td.clone(),
                                    key: k.clone(),
                                    through: None,
                                }));
                                fields.push(self.render(&r, loc, mode)?);
                            }
                        }
                        Host::View(v) => {
                            for (_, f) in super::drizzle::view_fields(v) {
                                fields.push(self.render(&f, loc, mode)?);
                            }
                        }
                        Host::Alias(a) => {
                            for (_, f) in super::drizzle::alias_column_refs(a) {
                                fields.push(self.render(&f, loc, mode)?);
                            }
                        }
                        Host::Cte(c) => {
                            for (_, f) in super::drizzle::cte_fields(c) {
                                fields.push(self.render(&f, loc, mode)?);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let mut sql = self.with_clause(q, loc)?;
        let distinct = if !q.distinct_on.is_empty() {
            let on: Res<Vec<_>> = q
                .distinct_on
                .iter()
                .map(|e| self.render(e, loc, SqlMode::Qualified))
                .collect();
            format!("distinct on ({}) ", on?.join(", "))
        } else if q.distinct {
            "distinct ".to_string()
        } else {
            String::new()
        };
        sql += &format!(
            "select {distinct}{} from {}",
            fields.join(", "),
            self.render(from, loc, SqlMode::Qualified)?
        );
        for (kind, t, on) in &q.joins {
            sql.push_str(&format!(
                " {kind} {} on {}",
                self.render(t, loc, SqlMode::Qualified)?,
                self.render(on, loc, SqlMode::Qualified)?
            ));
        }
        if let Some(w) = &q.where_ {
            sql.push_str(&format!(
                " where {}",
                self.render(w, loc, SqlMode::Qualified)?
            ));
        }
        if !q.group_by.is_empty() {
            let parts: Res<Vec<_>> = q
                .group_by
                .iter()
                .map(|g| self.render(g, loc, SqlMode::Qualified))
                .collect();
            sql.push_str(&format!(" group by {}", parts?.join(", ")));
        }
        if let Some(h) = &q.having {
            sql.push_str(&format!(
                " having {}",
                self.render(h, loc, SqlMode::Qualified)?
            ));
        }
        if !q.order_by.is_empty() {
            let parts: Res<Vec<_>> = q
                .order_by
                .iter()
                .map(|g| self.render(g, loc, SqlMode::Qualified))
                .collect();
            sql.push_str(&format!(" order by {}", parts?.join(", ")));
        }
        self.push_limit_offset(&mut sql, &q.limit, &q.offset, loc)?;
        for op in &q.set_ops {
            sql = self.set_operation(sql, q, op)?;
        }
        Ok(sql)
    }

    /// `with "sq" as (select ...), ... ` before a query's `select`, as drizzle-orm writes it.
    fn with_clause(&mut self, q: &QueryDef<'a>, loc: &Location) -> Res<String> {
        if q.with.is_empty() {
            return Ok(String::new());
        }
        let mut parts = Vec::new();
        for cte in &q.with {
            match cte {
                Value::Host(h)
                    if let Host::Cte(c) = &**h
                        && let Some(Value::Host(qh)) = &c.query
                        && let Host::Query(inner) = &**qh =>
                {
                    let text = self.query(inner, &c.origin)?;
                    parts.push(format!("{} as ({text})", self.ident(&c.name)));
                }
                Value::Host(h) if let Host::Cte(c) = &**h => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        &c.origin,
                        format!("the `with` query `{}` has no query", c.name),
                        "give it one with `.as(qb.select(...)...)`",
                    );
                    return Err(());
                }
                v if v.is_poisoned() => return Err(()),
                v => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        loc,
                        format!(
                            "`with` takes queries made with `$with(name).as(...)`, found {}",
                            v.kind_name()
                        ),
                        "in this query",
                    );
                    return Err(());
                }
            }
        }
        Ok(format!("with {} ", parts.join(", ")))
    }

    /// `left` combined with the query of a set operation, and the `order by`, `limit` and
    /// `offset` that follow it. drizzle-orm parenthesises both sides on PostgreSQL and MySQL and
    /// ends its `order by` with a space there; SQLite takes neither.
    fn set_operation(&mut self, left: String, q: &QueryDef<'a>, op: &SetOp<'a>) -> Res<String> {
        let loc = &op.origin;
        let right = match &op.right {
            Value::Host(h) if let Host::Query(r) = &**h => r,
            v if v.is_poisoned() => return Err(()),
            v => {
                let what = match v {
                    Value::Function(_) => "a function (write the query itself)".to_string(),
                    v => v.kind_name(),
                };
                self.err(
                    codes::BAD_ARGUMENT,
                    loc,
                    format!("`{}` takes a query, found {what}", op.kind),
                    "here",
                );
                return Err(());
            }
        };
        let sqlite = self.dialect == Dialect::Sqlite;
        if sqlite && op.all && op.kind != "union" {
            self.err(
                codes::BAD_ARGUMENT,
                loc,
                format!("SQLite has no `{} all`", op.kind),
                "drizzle-orm's SQLite query builder has no such method",
            );
            return Err(());
        }
        if let (Some(l), Some(r)) = (self.field_keys(q), self.field_keys(right))
            && l != r
        {
            self.err(
                codes::BAD_ARGUMENT,
                loc,
                format!(
                    "the queries of `{}` select different fields ({} and {})",
                    op.kind,
                    l.join(", "),
                    r.join(", ")
                ),
                "drizzle-orm throws: the fields must be the same, in the same order",
            );
            return Err(());
        }
        let right = self.query(right, loc)?;
        let keyword = if op.all { " all" } else { "" };
        let mut sql = if sqlite {
            format!("{left} {}{keyword} {right}", op.kind)
        } else {
            format!("({left}) {}{keyword} ({right})", op.kind)
        };
        if !op.order_by.is_empty() {
            let mut items = Vec::new();
            for item in &op.order_by {
                items.push(self.set_order_item(item, loc)?);
            }
            sql.push_str(&format!(" order by {}", items.join(", ")));
            if !sqlite {
                sql.push(' ');
            }
        }
        self.push_limit_offset(&mut sql, &op.limit, &op.offset, loc)?;
        Ok(sql)
    }

    /// An `orderBy` item after a set operation: a column is its bare name (on PostgreSQL the
    /// name without casing, as drizzle-orm reads `column.name` there), and so is a column
    /// written directly in a `sql` item.
    fn set_order_item(&mut self, item: &Value<'a>, loc: &Location) -> Res<String> {
        match item {
            Value::Host(h) if let Host::ColumnRef(r) = &**h => {
                Ok(if self.dialect == Dialect::Postgresql {
                    self.ident(&Self::raw_column_name(&r.key, r.builder()))
                } else {
                    self.ident(&self.ref_name(r))
                })
            }
            Value::Host(h) if let Host::Sql(s) = &**h => {
                let mut text = String::new();
                for c in &s.chunks {
                    match c {
                        SqlChunk::Text(t) => text.push_str(t),
                        SqlChunk::Ident(i) => text.push_str(&self.ident(i)),
                        SqlChunk::Value(Value::Host(xh), _) if let Host::ColumnRef(r) = &**xh => {
                            let r = Value::host(Host::ColumnRef(r.clone()));
                            text.push_str(&self.set_order_item(&r, loc)?);
                        }
                        SqlChunk::Value(x, l) => {
                            self.render_into(x, l, SqlMode::Qualified, &mut text, 1)?
                        }
                    }
                }
                Ok(text)
            }
            v => self.render(v, loc, SqlMode::Qualified),
        }
    }

    /// The keys of the fields a query selects, for drizzle-orm's check that the queries of a
    /// set operation select the same ones; `None` when they are not known here.
    fn field_keys(&self, q: &QueryDef<'a>) -> Option<Vec<String>> {
        match (&q.fields, &q.from) {
            (Some(Value::Object(o)), _) => {
                Some(o.borrow().props.keys().map(|k| k.to_string()).collect())
            }
            (None, Some(Value::Host(h))) if q.joins.is_empty() => match &**h {
                Host::Table(t) => Some(t.columns.iter().map(|(k, _)| k.to_string()).collect()),
                _ => None,
            },
            _ => None,
        }
    }

    fn select_fields(
        &mut self,
        values: &[Value<'a>],
        mode: SqlMode,
        loc: &Location,
        out: &mut Vec<String>,
    ) -> Res<()> {
        for v in values {
            match v {
                Value::Object(o) => {
                    let inner: Vec<_> = o.borrow().props.values().cloned().collect();
                    self.select_fields(&inner, mode, loc, out)?;
                }
                Value::Host(h) if matches!(**h, Host::Sql(_)) => {
                    let Host::Sql(s) = &**h else { unreachable!() };
                    // drizzle-orm unqualifies the columns written directly in a field's `sql` when
                    // the query has one table; columns in nested fragments stay qualified.
                    let mut text = String::new();
                    for c in &s.chunks {
                        match c {
                            SqlChunk::Text(t) => text.push_str(t),
                            SqlChunk::Ident(i) => text.push_str(&self.ident(i)),
                            SqlChunk::Value(x, l) => {
                                let direct_column = matches!(x, Value::Host(xh) if matches!(**xh, Host::ColumnRef(_)));
                                let m = if direct_column {
                                    mode
                                } else {
                                    SqlMode::Qualified
                                };
                                self.render_into(x, l, m, &mut text, 1)?;
                            }
                        }
                    }
                    out.push(match &s.alias {
                        Some(a) => format!("{text} as {}", self.ident(a)),
                        None => text,
                    });
                }
                v => out.push(self.render(v, loc, mode)?),
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ sql

    /// A query's ` limit n` and ` offset m`, where given.
    fn push_limit_offset(
        &mut self,
        sql: &mut String,
        limit: &Option<Value<'a>>,
        offset: &Option<Value<'a>>,
        loc: &Location,
    ) -> Res<()> {
        for (word, v) in [("limit", limit), ("offset", offset)] {
            if let Some(v) = v {
                let text = self.render(v, loc, SqlMode::Qualified)?;
                sql.push_str(&format!(" {word} {text}"));
            }
        }
        Ok(())
    }

    /// Renders a value in SQL position. Parameters are inlined as literals (drizzle-kit leaves
    /// `$1` placeholders in some places, a bug: see spec/differences.md).
    fn render(&mut self, v: &Value<'a>, loc: &Location, mode: SqlMode) -> Res<String> {
        let mut out = String::new();
        self.render_into(v, loc, mode, &mut out, 0)?;
        Ok(out)
    }

    fn render_into(
        &mut self,
        v: &Value<'a>,
        loc: &Location,
        mode: SqlMode,
        out: &mut String,
        depth: u32,
    ) -> Res<()> {
        if depth > 64 {
            self.err(
                codes::EVAL_LIMIT,
                loc,
                "this sql fragment nests too deeply",
                "here",
            );
            return Err(());
        }
        match v {
            Value::Host(h) => match &**h {
                Host::Sql(SqlFrag { chunks, .. }) => {
                    for c in chunks {
                        match c {
                            SqlChunk::Text(t) => out.push_str(t),
                            SqlChunk::Ident(i) => out.push_str(&self.ident(i)),
                            SqlChunk::Value(v, l) => {
                                self.render_into(v, l, mode, out, depth + 1)?
                            }
                        }
                    }
                }
                Host::ColumnRef(r) => {
                    if mode == SqlMode::Qualified {
                        let (schema, name) = match &r.through {
                            Some(view) => (&view.0, &view.1),
                            None => (&r.table.schema, &r.table.name),
                        };
                        out.push_str(&self.table_ref(schema, name));
                        out.push('.');
                    }
                    out.push_str(&self.ident(&self.ref_name(r)));
                }
                Host::IndexColumn(ic) => {
                    let r = Value::host(Host::ColumnRef(ic.column.clone()));
                    self.render_into(&r, loc, mode, out, depth + 1)?;
                }
                Host::Table(t) => out.push_str(&self.table_ref(&t.schema, &t.name)),
                Host::Alias(a) => {
                    out.push_str(&self.table_ref(&a.0.schema, &a.0.name));
                    out.push(' ');
                    out.push_str(&self.ident(&a.1));
                }
                Host::View(view) => out.push_str(&self.table_ref(&view.schema, &view.name)),
                Host::Cte(c)
                    if c.inline
                        && let Some(Value::Host(qh)) = &c.query
                        && let Host::Query(inner) = &**qh =>
                {
                    let text = self.query(inner, &c.origin)?;
                    out.push('(');
                    out.push_str(&text);
                    out.push_str(") ");
                    out.push_str(&self.ident(&c.name));
                }
                Host::Cte(c) => out.push_str(&self.ident(&c.name)),
                Host::Enum(e) => out.push_str(&self.table_ref(&e.schema, &e.name)),
                Host::Query(q) => {
                    let s = self.query(q, loc)?;
                    out.push('(');
                    out.push_str(&s);
                    out.push(')');
                }
                Host::Date(ms) => out.push_str(&quote_literal(&super::drizzle::iso_date(*ms))),
                other => {
                    self.err(
                        codes::BAD_ARGUMENT,
                        loc,
                        format!("{} cannot be used inside sql`...`", other.kind_name()),
                        "interpolated here",
                    );
                    return Err(());
                }
            },
            Value::Str(s) => out.push_str(&quote_literal(s)),
            Value::Number(n) => out.push_str(&number_to_string(*n)),
            Value::BigInt(d) => out.push_str(d),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Null => out.push_str("null"),
            Value::Array(a) => {
                let items = a.borrow().clone();
                out.push('(');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.render_into(x, loc, mode, out, depth + 1)?;
                }
                out.push(')');
            }
            Value::Object(_) => {
                let j = self.json(v, loc)?;
                out.push_str(&quote_literal(&j));
            }
            v if v.is_poisoned() => return Err(()),
            v @ Value::Opaque(_) => {
                let d = self.ev.opaque_error(v, loc.span, "interpolated into SQL");
                self.report(d);
                return Err(());
            }
            Value::Undefined => {
                self.err(
                    codes::BAD_ARGUMENT,
                    loc,
                    "`undefined` cannot be used in SQL",
                    "this value is undefined",
                );
                return Err(());
            }
            v => {
                self.err(
                    codes::BAD_ARGUMENT,
                    loc,
                    format!("{} cannot be used in SQL", v.kind_name()),
                    "interpolated here",
                );
                return Err(());
            }
        }
        Ok(())
    }
}

/// Moves the unique constraints to unique indexes, as drizzle-kit's SQLite snapshot holds them:
/// those of columns (all of `uniques` before the third argument is read) `ahead` of the table's
/// own indexes, those of the third argument after them.
fn uniques_to_indexes(table: &mut schema::Table, ahead: bool) {
    let indexes = table.uniques.drain(..).map(|u| schema::Index {
        name: u.name,
        unique: true,
        columns: u
            .columns
            .into_iter()
            .map(|c| schema::IndexColumn {
                expression: c,
                is_expression: false,
                asc: true,
                nulls_first: false,
                opclass: None,
            })
            .collect(),
        method: String::new(),
        concurrently: false,
        with: Vec::new(),
        where_clause: None,
        algorithm: None,
        lock: None,
        origin: u.origin,
    });
    if ahead {
        let rest = std::mem::take(&mut table.indexes);
        table.indexes = indexes.chain(rest).collect();
    } else {
        let moved: Vec<_> = indexes.collect();
        table.indexes.extend(moved);
    }
}

/// Removes later items equal (by `same`) to an earlier one.
/// Whether two tables define the same thing, as drizzle-kit's snapshot sees them (locations
/// aside).
fn same_table(dialect: Dialect, a: &schema::Table, b: &schema::Table) -> bool {
    let snapshot = |t: &schema::Table| {
        let mut s = Schema::empty(dialect);
        s.tables.push(t.clone());
        crate::snapshot::from_schema(&s, "", "").tables
    };
    snapshot(a) == snapshot(b)
}

fn merge_same<T>(items: &mut Vec<T>, same: impl Fn(&T, &T) -> bool) {
    let mut i = 0;
    while i < items.len() {
        if items[..i].iter().any(|earlier| same(earlier, &items[i])) {
            items.remove(i);
        } else {
            i += 1;
        }
    }
}

/// `"name"` with embedded quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with embedded quotes doubled.
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An identifier quoted the dialect's way: backticks for MySQL, double quotes otherwise
/// (drizzle-orm's `escapeName`), the quote character doubled inside.
pub fn quote_ident_in(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => quote_ident(name),
    }
}

impl Lowerer<'_, '_> {
    fn ident(&self, name: &str) -> String {
        quote_ident_in(self.dialect, name)
    }

    fn table_ref(&self, schema: &Option<Atom>, name: &str) -> String {
        match schema {
            Some(s) => format!("{}.{}", self.ident(s), self.ident(name)),
            None => self.ident(name),
        }
    }
}

/// A date default as drizzle-kit writes it: the date part for `date`, `YYYY-MM-DD HH:MM:SS.mmm`
/// for plain `timestamp`, the full ISO string otherwise.
fn date_text(ms: f64, ty: &str, _in_array: bool) -> String {
    let iso = super::drizzle::iso_date(ms);
    let base = ty.trim_end_matches("[]");
    if base == "date" {
        iso[..10].to_string()
    } else if base == "timestamp" {
        iso.replace('T', " ")[..23].to_string()
    } else {
        iso
    }
}

/// A `with` option's value, keeping its JavaScript type for snapshots.
fn option_value(v: &Value<'_>) -> schema::OptionValue {
    match v {
        Value::Str(s) => schema::OptionValue::Text(s.to_string()),
        Value::Number(n) => schema::OptionValue::Number(number_to_string(*n)),
        Value::Bool(b) => schema::OptionValue::Bool(*b),
        v => schema::OptionValue::Text(v.to_js_string().unwrap_or_default()),
    }
}

/// The order of view options in drizzle-kit's snapshots, and so in its SQL: a view's, then a
/// materialized view's.
const VIEW_OPTION_ORDER: &[&str] = &[
    "checkOption",
    "securityBarrier",
    "securityInvoker",
    "fillfactor",
    "toastTupleTarget",
    "parallelWorkers",
    "autovacuumEnabled",
    "vacuumIndexCleanup",
    "vacuumTruncate",
    "autovacuumVacuumThreshold",
    "autovacuumVacuumScaleFactor",
    "autovacuumVacuumCostDelay",
    "autovacuumVacuumCostLimit",
    "autovacuumFreezeMinAge",
    "autovacuumFreezeMaxAge",
    "autovacuumFreezeTableAge",
    "autovacuumMultixactFreezeMinAge",
    "autovacuumMultixactFreezeMaxAge",
    "autovacuumMultixactFreezeTableAge",
    "logAutovacuumMinDuration",
    "userCatalogTable",
];

/// W5013: `last` is created; `others`, enums of the same name with other values, are not.
fn redeclared_enum(others: &[&schema::Enum], last: &schema::Enum) -> Diagnostic {
    let values = |e: &schema::Enum| {
        e.values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut d = Diagnostic::warning(
        codes::ENUM_REDECLARED,
        format!(
            "{} enums are named `{}` with different values; the last one, ({}), is created",
            others.len() + 1,
            last.name,
            values(last)
        ),
    )
    .with_location(&last.origin, "this enum is created");
    for o in others {
        d = d.with_location(&o.origin, format!("this one, ({}), is not", values(o)));
    }
    d.with_note("the database has one type of this name: the columns of all of them get the last one's values, as with drizzle-kit")
        .with_help("give them different names, or declare the enum once and import it")
}
