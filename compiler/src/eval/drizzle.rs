//! Drizzle's objects inside the evaluator: column builders, tables, enums, indexes,
//! constraints, views, policies, `sql` fragments and the view query builder.
//!
//! Which names exist and what they build comes from the stdlib data
//! ([`schemac_stdlib::Library`]); this module gives each *kind* of builder its behaviour.
//! Builders are immutable values here: a modifier returns a changed copy, which gives the same
//! result as Drizzle's mutate-and-return-`this` for the way schema files use them.

use crate::syntax::ast::Atom;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use schemac_stdlib::{ColumnBuilder as ColumnEntry, Dialect, Function, Modifier, Module, Operator};

use super::interp::{Flow, R};
use super::value::{OpaqueReason, Props, Value};
use super::{Args, Builtin, Evaluator};
use crate::diagnostics::{Diagnostic, Location, codes};
use crate::span::Span;

/// A Drizzle object.
pub enum Host<'a> {
    Column(ColumnCell<'a>),
    /// `table.column`, as used in references, indexes, constraints and `sql`.
    ColumnRef(ColumnRef<'a>),
    /// `t.col.desc().nullsFirst().op('...')` inside an index.
    IndexColumn(IndexColumn<'a>),
    Table(Rc<TableDef<'a>>),
    /// The function `pgTableCreator(fn)` returns.
    TableCreator(TableCreator<'a>),
    Enum(Rc<EnumDef>),
    Schema(Rc<SchemaDef>),
    Sequence(Rc<SequenceDef<'a>>),
    View(Box<ViewDef<'a>>),
    Role(RoleDef),
    Policy(PolicyDef<'a>),
    Index(IndexDef<'a>),
    PrimaryKey(PrimaryKeyDef<'a>),
    ForeignKey(ForeignKeyDef<'a>),
    Unique(UniqueDef<'a>),
    Check(CheckDef<'a>),
    Sql(SqlFrag<'a>),
    /// The view query builder (`qb.select(...).from(...)`).
    Query(Box<QueryDef<'a>>),
    /// A named query for a `with` clause (`qb.$with('sq').as(...)`).
    Cte(Rc<CteDef<'a>>),
    /// `alias(table, 'name')`: the table under another name in a query (`"users" "mgr"`), its
    /// columns read through that name (`"mgr"."id"`). Not a database object.
    Alias(Rc<(Rc<TableDef<'a>>, Atom)>),
    /// The column builder function `customType(...)` returns.
    CustomType(CustomTypeDef<'a>),
    /// What `relations()` returns: no SQL effect.
    Relations,
    /// A `Date`, as milliseconds since the epoch.
    Date(f64),
    /// A regular expression.
    Regex(super::regex::RegexValue),
    /// A JavaScript `Map` of known entries, in insertion order (`collections.rs`).
    Map(std::cell::RefCell<Vec<(Value<'a>, Value<'a>)>>),
    /// A JavaScript `Set` of known items, in insertion order.
    Set(std::cell::RefCell<Vec<Value<'a>>>),
    /// A zod schema (`z.string().optional().default('')`): only its default is known, which
    /// `parse(undefined)` gives (the `@t3-oss/env` stand-in applies it to unset variables), and
    /// an object schema's `shape`. What `parse` gives for an object schema, or after
    /// `.transform()`/`.pipe()`, is unknown.
    Zod {
        default: Option<Value<'a>>,
        shape: Option<Value<'a>>,
        transformed: bool,
    },
}

/// What kind of column a builder makes.
#[derive(Clone)]
pub enum ColumnKind<'a> {
    Builtin {
        name: Atom,
        entry: &'static ColumnEntry,
    },
    Enum(Rc<EnumDef>),
    Custom(Box<CustomTypeDef<'a>>),
}

/// A column builder as JavaScript holds it: one object, which its methods change in place and
/// return, as drizzle-orm's builders do (`createdAt.notNull()` changes `createdAt` for the
/// tables made after it). A table keeps the builder as it was when the table was made: it holds
/// the inner `Rc`, which a later change copies first.
pub struct ColumnCell<'a>(RefCell<Rc<ColumnBuilder<'a>>>);

impl<'a> ColumnCell<'a> {
    pub fn new(b: ColumnBuilder<'a>) -> Self {
        ColumnCell(RefCell::new(Rc::new(b)))
    }

    /// The builder as it is now.
    pub fn get(&self) -> Rc<ColumnBuilder<'a>> {
        self.0.borrow().clone()
    }

    pub fn borrow(&self) -> std::cell::Ref<'_, ColumnBuilder<'a>> {
        std::cell::Ref::map(self.0.borrow(), |b| &**b)
    }

    /// The builder, to change in place (copied first if a table holds it).
    pub fn borrow_mut(&self) -> std::cell::RefMut<'_, ColumnBuilder<'a>> {
        std::cell::RefMut::map(self.0.borrow_mut(), Rc::make_mut)
    }
}

#[derive(Clone)]
pub struct ColumnBuilder<'a> {
    pub dialect: Dialect,
    pub kind: ColumnKind<'a>,
    /// The name given to the builder; `None` means "use the key" (and casing).
    pub name: Option<Atom>,
    /// For a builder made without a name: the key of the first table column made from it.
    /// drizzle-orm's `setName` names the builder object once, so a builder shared by two tables
    /// under different keys has the first key in both (casing still applies).
    pub key_name: Option<Atom>,
    /// The config object given to the builder.
    pub config: Value<'a>,
    pub not_null: bool,
    pub primary_key: bool,
    pub default: Option<Box<(Value<'a>, Location)>>,
    pub unique: Option<Box<ColumnUnique>>,
    /// Thin vectors: most columns have no reference and no array dimension.
    pub references: thin_vec::ThinVec<ColumnReference<'a>>,
    /// The expression, where it was given, and the config (`{ mode }`: SQLite and MySQL).
    pub generated: Option<Box<(Value<'a>, Location, Value<'a>)>>,
    pub identity: Option<Box<(bool, Value<'a>, Location)>>,
    /// One entry per `.array(size?)`.
    pub array: thin_vec::ThinVec<Option<u32>>,
    pub auto_increment: bool,
    pub on_update_now: bool,
    pub origin: Location,
    /// Properties the program set on the builder (`Object.assign(builder, { defaultNow() {} })`):
    /// a drizzle-orm builder is a plain object.
    pub own: Option<Box<Props<'a>>>,
}

#[derive(Clone)]
pub struct ColumnUnique {
    pub name: Option<Atom>,
    pub nulls_not_distinct: bool,
}

#[derive(Clone)]
pub struct ColumnReference<'a> {
    /// `() => other.col`.
    pub target: Value<'a>,
    pub on_delete: Option<Atom>,
    pub on_update: Option<Atom>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct ColumnRef<'a> {
    pub table: Rc<TableDef<'a>>,
    pub key: Atom,
    /// The view it is read through (`view.id` of a view selecting `t.id`): SQL names the view
    /// (schema, name) instead of the table, as drizzle-orm's view field proxies do.
    pub through: Option<Rc<(Option<Atom>, Atom)>>,
}

/// The builder inside a table's column entry.
impl<'a> ColumnBuilder<'a> {
    /// The name drizzle-orm gives the column of key `key` (no casing): the builder's name, or
    /// the key that named it first, or `key`.
    pub fn drizzle_name<'k>(&'k self, key: &'k Atom) -> &'k Atom {
        self.name.as_ref().or(self.key_name.as_ref()).unwrap_or(key)
    }
}

impl<'a> ColumnRef<'a> {
    pub fn builder(&self) -> &ColumnBuilder<'a> {
        // Invariant: a ColumnRef is only made for a key of its table.
        let (_, b) = self
            .table
            .columns
            .iter()
            .find(|(k, _)| *k == self.key)
            .expect("ColumnRef keys come from the table");
        b
    }
}

#[derive(Clone)]
pub struct IndexColumn<'a> {
    pub column: ColumnRef<'a>,
    pub asc: bool,
    pub nulls_first: Option<bool>,
    pub opclass: Option<Atom>,
}

pub struct TableDef<'a> {
    pub id: u32,
    pub dialect: Dialect,
    pub name: Atom,
    pub schema: Option<Atom>,
    /// Keys and column builders, as they were when the table was made.
    pub columns: Vec<(Atom, Rc<ColumnBuilder<'a>>)>,
    /// The third argument: a callback or an object.
    pub extra: Option<(Value<'a>, Location)>,
    pub rls: Cell<bool>,
    /// Columns whose `getSQLType` was replaced (`table.col.getSQLType = function () {...}`).
    pub sql_types: RefCell<Vec<(Atom, Value<'a>)>>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct TableCreator<'a> {
    pub dialect: Dialect,
    pub name_fn: Value<'a>,
    pub origin: Location,
}

pub struct EnumDef {
    pub id: u32,
    pub name: Atom,
    pub schema: Option<Atom>,
    pub values: Vec<Atom>,
    pub origin: Location,
}

pub struct SchemaDef {
    pub id: u32,
    pub dialect: Dialect,
    pub name: Atom,
    pub origin: Location,
}

pub struct SequenceDef<'a> {
    pub id: u32,
    pub name: Atom,
    pub schema: Option<Atom>,
    pub options: Value<'a>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct ViewDef<'a> {
    pub id: u32,
    pub name: Atom,
    pub schema: Option<Atom>,
    pub materialized: bool,
    pub columns: Option<Value<'a>>,
    pub with: Option<Value<'a>>,
    pub using: Option<Atom>,
    pub tablespace: Option<Atom>,
    pub with_no_data: bool,
    pub existing: bool,
    /// MySQL's view options (`algorithm`, `sqlSecurity`, `withCheckOption`), as (snake_case
    /// key, value) in the order they were given.
    pub mysql: Vec<(&'static str, Atom)>,
    /// `None` until `.as(...)`.
    pub definition: Option<(Value<'a>, Location)>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct RoleDef {
    pub name: Atom,
    pub create_db: bool,
    pub create_role: bool,
    pub inherit: bool,
    pub existing: bool,
    pub origin: Location,
}

#[derive(Clone)]
pub struct PolicyDef<'a> {
    pub name: Atom,
    pub options: Value<'a>,
    pub link: Option<Rc<TableDef<'a>>>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct IndexDef<'a> {
    /// The core module that made it: each dialect's index builder has its own methods.
    pub dialect: Dialect,
    pub name: Option<Atom>,
    pub unique: bool,
    /// `None` until `.on(...)`/`.using(...)`.
    pub columns: Option<Vec<(Value<'a>, Location)>>,
    pub method: Option<Atom>,
    pub concurrently: bool,
    pub with: Option<Value<'a>>,
    pub where_: Option<(Value<'a>, Location)>,
    /// MySQL's `.algorithm(...)` and `.lock(...)`.
    pub algorithm: Option<Atom>,
    pub lock: Option<Atom>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct PrimaryKeyDef<'a> {
    pub name: Option<Atom>,
    pub columns: Vec<(Value<'a>, Location)>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct ForeignKeyDef<'a> {
    pub name: Option<Atom>,
    /// The config object or a callback returning it (`foreignKey(() => ({...}))`, old form).
    pub columns: Vec<(Value<'a>, Location)>,
    pub foreign_columns: Vec<(Value<'a>, Location)>,
    pub on_delete: Option<Atom>,
    pub on_update: Option<Atom>,
    pub origin: Location,
}

#[derive(Clone)]
pub struct UniqueDef<'a> {
    pub name: Option<Atom>,
    pub columns: Option<Vec<(Value<'a>, Location)>>,
    pub nulls_not_distinct: bool,
    pub origin: Location,
}

#[derive(Clone)]
pub struct CheckDef<'a> {
    pub name: Atom,
    pub value: Value<'a>,
    pub origin: Location,
}

/// A `sql` fragment: text and interpolated values, rendered when the schema is lowered.
#[derive(Clone)]
pub struct SqlFrag<'a> {
    pub chunks: Vec<SqlChunk<'a>>,
    pub alias: Option<Atom>,
    pub origin: Location,
}

#[derive(Clone)]
pub enum SqlChunk<'a> {
    Text(Atom),
    /// `sql.identifier(name)`.
    Ident(Atom),
    /// An interpolated value (column, table, fragment or a parameter), with where it was written.
    Value(Value<'a>, Location),
}

#[derive(Clone, Default)]
pub struct QueryDef<'a> {
    pub distinct: bool,
    /// `selectDistinctOn([...])`: the expressions of `distinct on (...)` (PostgreSQL).
    pub distinct_on: Vec<Value<'a>>,
    pub fields: Option<Value<'a>>,
    pub from: Option<Value<'a>>,
    pub joins: Vec<(&'static str, Value<'a>, Value<'a>)>,
    pub where_: Option<Value<'a>>,
    pub group_by: Vec<Value<'a>>,
    pub having: Option<Value<'a>>,
    pub order_by: Vec<Value<'a>>,
    pub limit: Option<Value<'a>>,
    pub offset: Option<Value<'a>>,
    /// The named queries of `qb.with(...)` (each a [`Host::Cte`]), written before `select`.
    pub with: Vec<Value<'a>>,
    /// `.union(q)`, `.exceptAll(q)`, ... in order; each combines everything before it.
    pub set_ops: Vec<SetOp<'a>>,
}

/// One set operation of a query, as drizzle-orm keeps it: the `orderBy`, `limit` and `offset`
/// written after it belong to it and apply to the combined result.
#[derive(Clone)]
pub struct SetOp<'a> {
    /// `union`, `intersect` or `except`.
    pub kind: &'static str,
    /// The `all` variant (`unionAll`).
    pub all: bool,
    /// The query on the right.
    pub right: Value<'a>,
    pub origin: Location,
    pub order_by: Vec<Value<'a>>,
    pub limit: Option<Value<'a>>,
    pub offset: Option<Value<'a>>,
}

/// `qb.$with(name)`, and once given its query with `.as(query)`, a named query that
/// `qb.with(...)` puts in a `with` clause and `from` and joins read by name.
#[derive(Clone)]
pub struct CteDef<'a> {
    pub name: Atom,
    /// The query (a [`Host::Query`]); `None` until `.as(...)`.
    pub query: Option<Value<'a>>,
    /// A subquery (`query.as('sub')`): written in place, `(select ...) "sub"`, where it is
    /// used, not in a `with` clause.
    pub inline: bool,
    pub origin: Location,
}

/// The set operation a method or function of drizzle-orm's query builder names: its SQL
/// keyword and whether it is the `all` variant.
fn set_operator(name: &str) -> Option<(&'static str, bool)> {
    Some(match name {
        "union" => ("union", false),
        "unionAll" => ("union", true),
        "intersect" => ("intersect", false),
        "intersectAll" => ("intersect", true),
        "except" => ("except", false),
        "exceptAll" => ("except", true),
        _ => return None,
    })
}

#[derive(Clone)]
pub struct CustomTypeDef<'a> {
    pub dialect: Dialect,
    /// The object given to `customType` (with `dataType`).
    pub options: Value<'a>,
    pub origin: Location,
}

impl<'a> Host<'a> {
    /// A schema entity drizzle-kit collects from the exports (a table, enum, view, ...).
    pub fn is_entity(&self) -> bool {
        matches!(
            self,
            Host::Table(_)
                | Host::Enum(_)
                | Host::Schema(_)
                | Host::Sequence(_)
                | Host::View(_)
                | Host::Role(_)
                | Host::Policy(_)
        )
    }

    pub fn is_callable(&self) -> bool {
        matches!(
            self,
            Host::TableCreator(_) | Host::Enum(_) | Host::CustomType(_)
        )
    }

    pub fn kind_name(&self) -> String {
        match self {
            Host::Column(c) => format!("a column builder (`{}`)", c.borrow().kind_label()),
            Host::ColumnRef(r) => format!("the column `{}.{}`", r.table.name, r.key),
            Host::IndexColumn(_) => "an index column".into(),
            Host::Table(t) => format!("the table `{}`", t.name),
            Host::TableCreator(_) => "a table creator".into(),
            Host::Enum(e) => format!("the enum `{}`", e.name),
            Host::Schema(s) => format!("the schema `{}`", s.name),
            Host::Sequence(s) => format!("the sequence `{}`", s.name),
            Host::View(v) => format!("the view `{}`", v.name),
            Host::Role(r) => format!("the role `{}`", r.name),
            Host::Policy(p) => format!("the policy `{}`", p.name),
            Host::Index(_) => "an index".into(),
            Host::PrimaryKey(_) => "a primary key".into(),
            Host::ForeignKey(_) => "a foreign key".into(),
            Host::Unique(_) => "a unique constraint".into(),
            Host::Check(_) => "a check constraint".into(),
            Host::Sql(_) => "a `sql` fragment".into(),
            Host::Query(_) => "a query".into(),
            Host::Cte(c) => format!("the `with` query `{}`", c.name),
            Host::Alias(a) => format!("the alias `{}` of the table `{}`", a.1, a.0.name),
            Host::CustomType(_) => "a custom type".into(),
            Host::Relations => "relations".into(),
            Host::Date(_) => "a date".into(),
            Host::Regex(r) => format!("the regular expression /{}/{}", r.source, r.flags),
            Host::Map(_) => "a Map".into(),
            Host::Set(_) => "a Set".into(),
            Host::Zod { .. } => "a zod schema".into(),
        }
    }

    pub fn to_js_string(&self) -> Option<String> {
        match self {
            Host::Table(t) => Some(t.name.to_string()),
            Host::Enum(e) => Some(e.name.to_string()),
            Host::ColumnRef(r) => Some(r.builder().drizzle_name(&r.key).to_string()),
            Host::Date(ms) => Some(iso_date(*ms)),
            _ => None,
        }
    }

    pub fn to_json(&self) -> Option<serde_json::Value> {
        match self {
            Host::Date(ms) => Some(serde_json::Value::String(iso_date(*ms))),
            _ => None,
        }
    }
}

impl ColumnBuilder<'_> {
    pub fn kind_label(&self) -> String {
        match &self.kind {
            ColumnKind::Builtin { name, .. } => format!("{name}()"),
            ColumnKind::Enum(e) => format!("enum {}", e.name),
            ColumnKind::Custom(_) => "customType".into(),
        }
    }
}

// ------------------------------------------------------------------ helpers for arguments

impl<'a> Evaluator<'a> {
    fn expect_str(&self, args: &Args<'a>, i: usize, what: &str) -> R<'a, Atom> {
        match args.get(i) {
            Value::Str(s) => Ok(s),
            v if v.is_poisoned() => Err(Flow::Poisoned),
            v @ Value::Opaque(_) => Err(Flow::Error(Box::new(self.opaque_error(
                &v,
                args.span(i),
                what,
            )))),
            v => Err(self.error(
                codes::BAD_ARGUMENT,
                args.span(i),
                format!("{what} must be a string, found {}", v.kind_name()),
                "expected a string",
            )),
        }
    }

    fn opt_str(&self, v: &Value<'a>, span: Span, what: &str) -> R<'a, Option<Atom>> {
        match v {
            Value::Undefined | Value::Null => Ok(None),
            Value::Str(s) => Ok(Some(s.clone())),
            v if v.is_poisoned() => Err(Flow::Poisoned),
            v @ Value::Opaque(_) => Err(Flow::Error(Box::new(self.opaque_error(v, span, what)))),
            v => Err(self.error(
                codes::BAD_ARGUMENT,
                span,
                format!("{what} must be a string, found {}", v.kind_name()),
                "expected a string",
            )),
        }
    }
}

/// Splits Drizzle's `(name?, config?)` builder arguments.
fn name_and_config<'a>(ev: &Evaluator<'a>, args: &Args<'a>) -> R<'a, (Option<Atom>, Value<'a>)> {
    match args.get(0) {
        Value::Str(s) => Ok(((!s.is_empty()).then_some(s), args.get(1))),
        Value::Undefined => Ok((None, args.get(1))),
        v @ Value::Object(_) => Ok((None, v)),
        v if v.is_poisoned() => Err(Flow::Poisoned),
        v @ Value::Opaque(_) => Err(Flow::Error(Box::new(ev.opaque_error(
            &v,
            args.span(0),
            "used as a column name",
        )))),
        v => Err(ev.error(
            codes::BAD_ARGUMENT,
            args.span(0),
            format!("a column name must be a string, found {}", v.kind_name()),
            "expected a string or a config object",
        )),
    }
}

// ------------------------------------------------------------------ module exports

impl<'a> Evaluator<'a> {
    /// The value of `name` imported from a Drizzle module.
    pub(crate) fn drizzle_export(
        &mut self,
        module: &'static Module,
        name: &str,
        span: Span,
    ) -> R<'a> {
        if module.functions.contains_key(name)
            || module.columns.contains_key(name)
            || module.operators.contains_key(name)
        {
            return Ok(Value::Builtin(Rc::new(Builtin::Drizzle {
                module,
                name: Atom::from(name),
            })));
        }
        if module.runtime_only.iter().any(|n| n == name) {
            return Ok(Value::opaque(
                OpaqueReason::RuntimeOnly(format!("`{name}` from `{}`", module.specifier)),
                Some(self.location(span)),
            ));
        }
        if let Some(help) = module.unsupported.get(name) {
            return Ok(Value::opaque(
                OpaqueReason::Unsupported(format!("`{name}` from `{}` ({help})", module.specifier)),
                Some(self.location(span)),
            ));
        }
        let known = module
            .value_exports()
            .chain(module.runtime_only.iter().map(String::as_str));
        let mut d = Diagnostic::error(
            codes::UNKNOWN_BUILDER,
            format!("`{}` has no export named `{name}`", module.specifier),
        )
        .with_label(&self.file(), span, "imported here");
        if let Some(note) = drizzle_v1_note(name) {
            return Err(Flow::Error(Box::new(d.with_note(note))));
        }
        match crate::suggest::closest(name, known) {
            Some(best) => d = d.with_help(format!("did you mean `{best}`?")),
            None => {
                d = d.with_note(format!(
                    "schemac knows the exports of `{}` listed in its stdlib; `{name}` is not one of them",
                    module.specifier
                ))
            }
        }
        Err(Flow::Error(Box::new(d)))
    }
}

pub fn builtin_member<'a>(
    ev: &mut Evaluator<'a>,
    b: &Rc<Builtin<'a>>,
    key: &str,
    span: Span,
) -> R<'a> {
    match &**b {
        // Compiled `import * as t` reads the module's `__esModule` marker and `default`
        // (tsc's `__importStar`, esbuild's `__toESM`, Babel's `_interopRequireWildcard`).
        Builtin::DrizzleNamespace(_) if key == "__esModule" => Ok(Value::Bool(true)),
        Builtin::DrizzleNamespace(_) if key == "default" => Ok(Value::Builtin(b.clone())),
        Builtin::DrizzleNamespace(module) => ev.drizzle_export(module, key, span),
        Builtin::Drizzle { module, name }
            if module.functions.get(&**name) == Some(&Function::Sql) =>
        {
            match key {
                "raw" | "join" | "identifier" | "empty" | "placeholder" | "param" => {
                    Ok(Value::Builtin(Rc::new(Builtin::Drizzle {
                        module,
                        name: Atom::from(format!("sql.{key}").as_str()),
                    })))
                }
                _ => Ok(Value::Undefined),
            }
        }
        _ => Ok(Value::Undefined),
    }
}

// ------------------------------------------------------------------ calls

/// Calls a Drizzle export or a method of a Drizzle object.
pub fn call_builtin<'a>(
    ev: &mut Evaluator<'a>,
    b: &Rc<Builtin<'a>>,
    _this: Option<Value<'a>>,
    args: Args<'a>,
) -> R<'a> {
    match &**b {
        Builtin::Drizzle { module, name } => call_export(ev, module, name, args),
        Builtin::HostMethod(host, name) => call_method(ev, host.clone(), name, args),
        Builtin::DrizzleNamespace(m) => Err(ev.error(
            codes::NOT_CALLABLE,
            args.call,
            format!("the module `{}` cannot be called", m.specifier),
            "not a function",
        )),
        _ => Ok(Value::Undefined),
    }
}

fn call_export<'a>(
    ev: &mut Evaluator<'a>,
    module: &'static Module,
    atom: &Atom,
    args: Args<'a>,
) -> R<'a> {
    let name = atom.as_str();
    if let Some(entry) = module.columns.get(name) {
        let dialect = module.dialect.unwrap_or(Dialect::Postgresql);
        return new_column(
            ev,
            dialect,
            ColumnKind::Builtin {
                name: atom.clone(),
                entry,
            },
            &args,
            name,
        );
    }
    if let Some(op) = module.operators.get(name) {
        return Ok(operator(ev, op, &args));
    }
    if let Some(rest) = name.strip_prefix("sql.") {
        return sql_helper(ev, rest, &args);
    }
    let dialect = module.dialect.unwrap_or(Dialect::Postgresql);
    let Some(function) = module.functions.get(name) else {
        return Ok(Value::Undefined);
    };
    let loc = ev.location(args.call);
    match function {
        Function::Table => new_table(ev, dialect, None, &args, None),
        Function::TableCreator => Ok(Value::host(Host::TableCreator(TableCreator {
            dialect,
            name_fn: args.get(0),
            origin: loc,
        }))),
        Function::Schema => {
            let name = ev.expect_str(&args, 0, "the schema name")?;
            if &*name == "public" && dialect == Dialect::Postgresql {
                return Err(Flow::Error(Box::new(
                    Diagnostic::error(codes::BAD_ARGUMENT, "`pgSchema('public')` is not allowed")
                        .with_label(&ev.file(), args.span(0), "the public schema")
                        .with_help("tables without a schema are already in `public`: use `pgTable(...)` instead"),
                )));
            }
            Ok(Value::host(Host::Schema(Rc::new(SchemaDef {
                id: ev.fresh_id(),
                dialect,
                name,
                origin: loc,
            }))))
        }
        Function::Enum => new_enum(ev, None, &args),
        Function::Sequence => new_sequence(ev, None, &args),
        Function::View | Function::MaterializedView => {
            new_view(ev, None, &args, *function == Function::MaterializedView)
        }
        Function::Role => {
            let name = ev.expect_str(&args, 0, "the role name")?;
            let opts = args.get(1);
            let flag = |k: &str, d: bool| opts.get_prop(k).map(|v| v.truthy()).unwrap_or(d);
            Ok(Value::host(Host::Role(RoleDef {
                name,
                create_db: flag("createDb", false),
                create_role: flag("createRole", false),
                inherit: flag("inherit", true),
                existing: false,
                origin: loc,
            })))
        }
        Function::Policy => {
            let name = ev.expect_str(&args, 0, "the policy name")?;
            Ok(Value::host(Host::Policy(PolicyDef {
                name,
                options: args.get(1),
                link: None,
                origin: loc,
            })))
        }
        Function::Index | Function::UniqueIndex => {
            let name = ev.opt_str(&args.get(0), args.span(0), "the index name")?;
            Ok(Value::host(Host::Index(IndexDef {
                dialect,
                name,
                unique: *function == Function::UniqueIndex,
                columns: None,
                method: None,
                concurrently: false,
                with: None,
                where_: None,
                algorithm: None,
                lock: None,
                origin: loc,
            })))
        }
        Function::PrimaryKey => {
            let first = args.get(0);
            if let Value::Object(_) = first {
                let name = ev.opt_str(
                    &first.get_prop("name").unwrap_or(Value::Undefined),
                    args.span(0),
                    "the primary key name",
                )?;
                let cols = first.get_prop("columns").unwrap_or(Value::Undefined);
                let columns = located_list(ev, &cols, args.span(0), "`columns`")?;
                Ok(Value::host(Host::PrimaryKey(PrimaryKeyDef {
                    name,
                    columns,
                    origin: loc,
                })))
            } else {
                // The deprecated variadic form `primaryKey(a, b)`.
                let columns = args
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.clone(), ev.location(args.span(i))))
                    .collect();
                Ok(Value::host(Host::PrimaryKey(PrimaryKeyDef {
                    name: None,
                    columns,
                    origin: loc,
                })))
            }
        }
        Function::ForeignKey => {
            let mut cfg = args.get(0);
            if matches!(cfg, Value::Function(_)) {
                cfg = ev.call(&cfg, None, Args::new(Vec::new(), Vec::new(), args.call))?;
            }
            let name = ev.opt_str(
                &cfg.get_prop("name").unwrap_or(Value::Undefined),
                args.span(0),
                "the foreign key name",
            )?;
            let columns = located_list(
                ev,
                &cfg.get_prop("columns").unwrap_or(Value::Undefined),
                args.span(0),
                "`columns`",
            )?;
            let foreign_columns = located_list(
                ev,
                &cfg.get_prop("foreignColumns").unwrap_or(Value::Undefined),
                args.span(0),
                "`foreignColumns`",
            )?;
            Ok(Value::host(Host::ForeignKey(ForeignKeyDef {
                name,
                columns,
                foreign_columns,
                on_delete: None,
                on_update: None,
                origin: loc,
            })))
        }
        Function::Unique => {
            let name = ev.opt_str(&args.get(0), args.span(0), "the constraint name")?;
            Ok(Value::host(Host::Unique(UniqueDef {
                name,
                columns: None,
                nulls_not_distinct: false,
                origin: loc,
            })))
        }
        Function::Check => {
            let name = ev.expect_str(&args, 0, "the check name")?;
            Ok(Value::host(Host::Check(CheckDef {
                name,
                value: args.get(1),
                origin: loc,
            })))
        }
        Function::CustomType => Ok(Value::host(Host::CustomType(CustomTypeDef {
            dialect,
            options: args.get(0),
            origin: loc,
        }))),
        Function::Sql => sql_call(ev, &args),
        Function::Identity => Ok(args.get(0)),
        Function::Relations => Ok(Value::host(Host::Relations)),
        Function::Alias => {
            let table = match &args.get(0) {
                v @ Value::Opaque(_) => return Ok(v.clone()),
                Value::Host(h) if let Host::Table(t) = &**h => t.clone(),
                _ => {
                    let why = "`alias` needs a table: `alias(table, 'name')`";
                    return Err(super::builtins::bad_arg(ev, &args, 0, why));
                }
            };
            let name = ev.expect_str(&args, 1, "the alias")?;
            Ok(Value::host(Host::Alias(Rc::new((table, name)))))
        }
        Function::GetTableColumns => match args.get(0) {
            Value::Host(h) => match &*h {
                Host::Table(t) => Ok(columns_object(t)),
                _ => Err(super::builtins::bad_arg(
                    ev,
                    &args,
                    0,
                    "`getTableColumns` needs a table",
                )),
            },
            v @ Value::Opaque(_) => Ok(v),
            _ => Err(super::builtins::bad_arg(
                ev,
                &args,
                0,
                "`getTableColumns` needs a table",
            )),
        },
        Function::ColumnBuilders => {
            let mut props = Props::default();
            let names = module.columns.keys().map(|k| &**k).chain(
                module
                    .functions
                    .iter()
                    .filter(|(_, f)| matches!(f, Function::CustomType | Function::Enum))
                    .map(|(k, _)| &**k),
            );
            for name in names {
                props.insert(
                    Atom::from(name),
                    Value::Builtin(Rc::new(Builtin::Drizzle {
                        module,
                        name: Atom::from(name),
                    })),
                );
            }
            Ok(Value::object(props))
        }
        Function::GetTableName => match args.get(0) {
            Value::Host(h) => match &*h {
                Host::Table(t) => Ok(Value::Str(t.name.clone())),
                _ => Err(super::builtins::bad_arg(
                    ev,
                    &args,
                    0,
                    "`getTableName` needs a table",
                )),
            },
            v => Ok(v),
        },
        // A class: JavaScript throws when it is called without `new`.
        Function::QueryBuilder => Err(ev.error(
            codes::NOT_CALLABLE,
            args.call,
            format!("the class `{name}` cannot be called without `new`"),
            "write `new` before it",
        )),
        Function::Union => combine(ev, "union", false, &args),
        Function::UnionAll => combine(ev, "union", true, &args),
        Function::Intersect => combine(ev, "intersect", false, &args),
        Function::IntersectAll => combine(ev, "intersect", true, &args),
        Function::Except => combine(ev, "except", false, &args),
        Function::ExceptAll => combine(ev, "except", true, &args),
    }
}

/// `union(a, b, ...rest)` and the other set operation functions: `a` combined with each
/// query after it, as `a.union(b).union(...)`.
fn combine<'a>(ev: &mut Evaluator<'a>, kind: &'static str, all: bool, args: &Args<'a>) -> R<'a> {
    let first = args.get(0);
    let mut q = match &first {
        Value::Host(h) if let Host::Query(q) = &**h => q.clone(),
        v if v.is_poisoned() || matches!(v, Value::Opaque(_)) => return Ok(first),
        v => {
            return Err(super::builtins::bad_arg(
                ev,
                args,
                0,
                format!("`{kind}` combines queries, found {}", v.kind_name()),
            ));
        }
    };
    for i in 1..args.len() {
        q.set_ops.push(SetOp {
            kind,
            all,
            right: args.get(i),
            origin: ev.location(args.span(i)),
            order_by: Vec::new(),
            limit: None,
            offset: None,
        });
    }
    Ok(Value::host(Host::Query(q)))
}

/// `new QueryBuilder(config?)`: the query builder `.as(qb => ...)` receives. Its config
/// (`{ casing }`, a dialect) changes nothing schemac compiles: the schema's casing applies.
pub fn new_query_builder<'a>() -> Value<'a> {
    Value::host(Host::Query(Box::default()))
}

/// Reads an array argument, keeping where each item came from.
fn located_list<'a>(
    ev: &mut Evaluator<'a>,
    v: &Value<'a>,
    span: Span,
    what: &str,
) -> R<'a, Vec<(Value<'a>, Location)>> {
    match v {
        Value::Array(a) => Ok(a
            .borrow()
            .iter()
            .map(|x| (x.clone(), ev.location(span)))
            .collect()),
        v if v.is_poisoned() => Err(Flow::Poisoned),
        v => Err(ev.error(
            codes::BAD_ARGUMENT,
            span,
            format!(
                "{what} must be an array of columns, found {}",
                v.kind_name()
            ),
            "expected an array",
        )),
    }
}

/// Calls a callable Drizzle object (an enum, a table creator, a custom type).
pub fn call_host<'a>(ev: &mut Evaluator<'a>, h: &Rc<Host<'a>>, args: Args<'a>) -> R<'a> {
    match &**h {
        Host::Enum(e) => new_column(
            ev,
            Dialect::Postgresql,
            ColumnKind::Enum(e.clone()),
            &args,
            &e.name,
        ),
        Host::CustomType(c) => new_column(
            ev,
            c.dialect,
            ColumnKind::Custom(Box::new(c.clone())),
            &args,
            "customType",
        ),
        Host::TableCreator(tc) => {
            let tc = tc.clone();
            new_table(ev, tc.dialect, None, &args, Some(&tc.name_fn))
        }
        _ => Err(ev.error(
            codes::NOT_CALLABLE,
            args.call,
            format!("{} cannot be called", h.kind_name()),
            "not a function",
        )),
    }
}

fn new_column<'a>(
    ev: &mut Evaluator<'a>,
    dialect: Dialect,
    kind: ColumnKind<'a>,
    args: &Args<'a>,
    label: &str,
) -> R<'a> {
    let listed = matches!(&kind, ColumnKind::Builtin { entry, .. } if entry.value_list);
    let (name, config) = if listed {
        listed_values(ev, args)?
    } else {
        name_and_config(ev, args)?
    };
    let auto_increment = matches!(&kind, ColumnKind::Builtin { entry, .. } if entry.auto_increment);
    if let (ColumnKind::Builtin { entry, name: bname }, Value::Object(o), false) =
        (&kind, &config, listed)
    {
        for (key, allowed) in &entry.values {
            if let Some(Value::Str(v)) = o.borrow().props.get(key.as_str())
                && !allowed.iter().any(|a| **a == **v)
            {
                let span = args.span(if args.len() > 1 { 1 } else { 0 });
                let mut d =
                    Diagnostic::error(codes::BAD_ARGUMENT, format!("`{bname}` has no {key} `{v}`"))
                        .with_label(&ev.file(), span, "in this config")
                        .with_note(format!("its {key}s are: {}", allowed.join(", ")));
                if let Some(best) = crate::suggest::closest(v, allowed.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                }
                return Err(Flow::Error(Box::new(d)));
            }
        }
        // Sizes the type string shows (`varchar({length})`): a whole number, as SQL reads it
        // (PostgreSQL and MySQL refuse `varchar(x)`, `varchar(-5)`, `varchar(50.5)`). A length
        // of 0 only PostgreSQL refuses (MySQL takes `char(0)`); SQLite's types do not show
        // their sizes.
        let least_length = if dialect == Dialect::Postgresql {
            1.0
        } else {
            0.0
        };
        // A config has few keys: its own are looked at, not every size, and nothing is
        // allocated unless one is bad.
        let mut bad_size = None;
        if dialect != Dialect::Sqlite {
            for (key, value) in o.borrow().props.iter() {
                let least = match &**key {
                    "length" => least_length,
                    // PostgreSQL 15 takes a negative scale (`numeric(10, -3)` rounds to
                    // thousands).
                    "scale" if dialect == Dialect::Postgresql => -1000.0,
                    "precision" | "scale" | "fsp" => 0.0,
                    "dimensions" => 1.0,
                    _ => continue,
                };
                if !entry.options.iter().any(|k| **k == **key) {
                    continue;
                }
                let most = entry
                    .largest
                    .get(&**key)
                    .map_or(f64::INFINITY, |m| *m as f64);
                let fits = |n: f64| n >= least && n <= most;
                let bad = match value {
                    Value::Undefined => None,
                    Value::Number(n) if n.fract() == 0.0 && fits(*n) => None,
                    Value::Str(t) if t.parse::<i64>().is_ok_and(|n| fits(n as f64)) => None,
                    Value::Number(n) => Some(format!("{n}")),
                    Value::Str(t) => Some(format!("'{t}'")),
                    v if v.is_poisoned() || matches!(v, Value::Opaque(_)) => None,
                    v => Some(v.kind_name().to_string()),
                };
                if let Some(bad) = bad {
                    bad_size = Some((key.clone(), least, bad));
                    break;
                }
            }
        }
        if let Some((key, least, bad)) = bad_size {
            let span = args.span(if args.len() > 1 { 1 } else { 0 });
            let range = match entry.largest.get(&*key) {
                Some(most) => format!("a whole number from {least} to {most}"),
                None => format!("a whole number from {least}"),
            };
            let d = Diagnostic::error(
                codes::BAD_ARGUMENT,
                format!("`{bname}`'s `{key}` is {bad}; it must be {range}"),
            )
            .with_label(&ev.file(), span, "in this config")
            .with_note("it is written into the column's SQL type, which the database would refuse");
            return Err(Flow::Error(Box::new(d)));
        }
        let known: Vec<&str> = entry.options.iter().map(String::as_str).collect();
        unknown_options(ev, args, usize::from(args.len() > 1), bname, &known);
    }
    let _ = label;
    Ok(Value::host(Host::Column(ColumnCell::new(ColumnBuilder {
        dialect,
        kind,
        name,
        key_name: None,
        config,
        not_null: false,
        primary_key: false,
        default: None,
        unique: None,
        references: thin_vec::ThinVec::new(),
        generated: None,
        identity: None,
        array: thin_vec::ThinVec::new(),
        auto_increment,
        on_update_now: false,
        origin: ev.location(args.call),
        own: None,
    }))))
}

/// The name and values of a builder that lists its values (`mysqlEnum(name?, values)`): the
/// values become the option `values` of a config object, each quoted with `'` doubled, as the
/// type lists them. A TypeScript enum object gives its string values.
fn listed_values<'a>(ev: &Evaluator<'a>, args: &Args<'a>) -> R<'a, (Option<Atom>, Value<'a>)> {
    let (name, at) = match args.get(0) {
        Value::Str(s) => ((!s.is_empty()).then_some(s), 1),
        _ => (None, 0),
    };
    let items: Vec<Value<'a>> = match args.get(at) {
        Value::Array(a) => a.borrow().clone(),
        // `Object.values` order: integer-like keys first.
        v @ Value::Object(_) => {
            let mut out = Vec::new();
            if let Value::Object(o) = &v {
                let o = o.borrow();
                for k in ev.string_keys_of(&v) {
                    out.extend(o.props.get(&k).cloned());
                }
            }
            out
        }
        v if v.is_poisoned() => return Err(Flow::Poisoned),
        v @ Value::Opaque(_) => {
            return Err(Flow::Error(Box::new(ev.opaque_error(
                &v,
                args.span(at),
                "used as enum values",
            ))));
        }
        v => {
            return Err(ev.error(
                codes::BAD_ARGUMENT,
                args.span(at),
                format!(
                    "enum values must be an array of strings, found {}",
                    v.kind_name()
                ),
                "expected `['a', 'b', ...]`",
            ));
        }
    };
    let mut quoted = Vec::with_capacity(items.len());
    for v in &items {
        match v {
            Value::Str(s) => quoted.push(format!("'{}'", s.replace('\'', "''"))),
            // A numeric member of a TypeScript enum maps back to its name: skipped.
            Value::Number(_) => {}
            v => {
                return Err(ev.error(
                    codes::BAD_ARGUMENT,
                    args.span(at),
                    format!("enum values must be strings, found {}", v.kind_name()),
                    "in these values",
                ));
            }
        }
    }
    if quoted.is_empty() {
        return Err(ev.error(
            codes::BAD_ARGUMENT,
            args.span(at),
            "an enum needs at least one value",
            "no values here",
        ));
    }
    let mut props = super::value::Props::default();
    props.insert(Atom::from("values"), Value::str(&quoted.join(",")));
    Ok((name, Value::object(props)))
}

fn new_table<'a>(
    ev: &mut Evaluator<'a>,
    dialect: Dialect,
    schema: Option<Atom>,
    args: &Args<'a>,
    name_fn: Option<&Value<'a>>,
) -> R<'a> {
    let mut name = ev.expect_str(args, 0, "the table name")?;
    if let Some(f) = name_fn {
        let v = ev.call(
            f,
            None,
            Args::new(
                vec![Value::Str(name.clone())],
                vec![args.span(0)],
                args.call,
            ),
        )?;
        name = match v {
            Value::Str(s) => s,
            v => {
                return Err(ev.error(
                    codes::BAD_ARGUMENT,
                    args.span(0),
                    format!(
                        "the table creator returned {} instead of a table name",
                        v.kind_name()
                    ),
                    "for this table",
                ));
            }
        };
    }
    let mut cols = args.get(1);
    let cols_span = args.span(1);
    if matches!(cols, Value::Function(_)) {
        let module = ev
            .lib
            .dialect(dialect)
            .expect("every dialect has a stdlib module");
        let b = Value::Builtin(Rc::new(Builtin::DrizzleNamespace(module)));
        cols = ev.call(&cols, None, Args::new(vec![b], vec![cols_span], cols_span))?;
    }
    let mut columns = Vec::new();
    match &cols {
        Value::Object(o) => {
            // Drizzle reads the columns with `Object.entries`: integer-like keys first, no
            // symbol keys.
            let props = o.borrow();
            let reordered = props
                .props
                .keys()
                .any(|k| k.as_bytes().first().is_some_and(u8::is_ascii_digit));
            let entries: Vec<(&Atom, &Value<'a>)> = if reordered {
                let keys = super::interp::own_keys(&props.props);
                let mut entries = Vec::with_capacity(keys.len());
                for k in keys {
                    entries.extend(props.props.get_key_value(&k));
                }
                entries
            } else {
                props.props.iter().collect()
            };
            let named = entries
                .into_iter()
                .filter(|(k, _)| !k.starts_with(super::builtins::SYMBOL_PREFIX));
            for (k, v) in named {
                match v {
                    Value::Host(h) if let Host::Column(cell) = &**h => {
                        let c = cell.get();
                        if c.dialect != dialect {
                            let d = Diagnostic::error(
                                codes::WRONG_DIALECT,
                                format!(
                                    "column `{k}` is a {} column in a {} table",
                                    c.dialect.name(),
                                    dialect.name()
                                ),
                            )
                            .with_location(&c.origin, format!("a {} builder", c.dialect.name()))
                            .with_label(&ev.file(), cols_span, "in these columns")
                            .with_help(format!(
                                "import the builder from `{}`",
                                dialect.core_module()
                            ));
                            return Err(Flow::Error(Box::new(d)));
                        }
                        // drizzle-orm's `setName`: an unnamed builder is named by the first
                        // table column made from it.
                        let c = if c.name.is_none() && c.key_name.is_none() {
                            drop(c);
                            cell.borrow_mut().key_name = Some(k.clone());
                            cell.get()
                        } else {
                            c
                        };
                        // drizzle-orm names an unnamed `.unique()` on the builder when the
                        // first table column is made from it, so a builder shared by tables
                        // gives them all that first name. Followed on MySQL, where unique
                        // names are per table; on PostgreSQL and SQLite the names would
                        // collide (drizzle-kit's SQL fails), so each table names its own.
                        let c = match &c.unique {
                            Some(u) if u.name.is_none() && dialect == Dialect::Mysql => {
                                let column = c.name.as_ref().or(c.key_name.as_ref()).unwrap_or(k);
                                let unique = Atom::from(format!("{name}_{column}_unique").as_str());
                                drop(c);
                                if let Some(u) = &mut cell.borrow_mut().unique {
                                    u.name = Some(unique);
                                }
                                cell.get()
                            }
                            _ => c,
                        };
                        columns.push((k.clone(), c));
                    }
                    v if v.is_poisoned() => return Err(Flow::Poisoned),
                    v => {
                        let mut d = Diagnostic::error(
                            codes::BAD_ARGUMENT,
                            format!("`{k}` in the columns of table `{name}` is {}, not a column builder", v.kind_name()),
                        )
                        .with_label(&ev.file(), cols_span, "in these columns");
                        if let Value::Opaque(o) = v
                            && let Some(origin) = &o.origin
                        {
                            d = d.with_location(origin, "the value comes from here");
                        }
                        return Err(Flow::Error(Box::new(d.with_help(
                            "each property must be a column such as `integer()` or `text('name')`",
                        ))));
                    }
                }
            }
        }
        v if v.is_poisoned() => return Err(Flow::Poisoned),
        v => {
            return Err(ev.error(
                codes::BAD_ARGUMENT,
                cols_span,
                format!(
                    "the columns of table `{name}` must be an object, found {}",
                    v.kind_name()
                ),
                "expected `{ column: builder(), ... }`",
            ));
        }
    }
    let extra = match args.get(2) {
        Value::Undefined => None,
        v => Some((v, ev.location(args.span(2)))),
    };
    Ok(Value::host(Host::Table(Rc::new(TableDef {
        id: ev.fresh_id(),
        dialect,
        name,
        schema,
        columns,
        extra,
        rls: Cell::new(false),
        sql_types: RefCell::new(Vec::new()),
        origin: ev.location(args.span(0)),
    }))))
}

fn new_enum<'a>(ev: &mut Evaluator<'a>, schema: Option<Atom>, args: &Args<'a>) -> R<'a> {
    let name = ev.expect_str(args, 0, "the enum name")?;
    let raw = args.get(1);
    let items: Vec<Value<'a>> = match &raw {
        Value::Array(a) => a.borrow().clone(),
        Value::Object(o) => {
            // A TypeScript enum object: its string values (numeric members map both ways, the
            // reverse entries are skipped as drizzle does by taking `Object.values`, in
            // JavaScript's key order).
            let keys = ev.string_keys_of(&raw);
            let o = o.borrow();
            keys.iter()
                .filter_map(|k| o.props.get(k))
                .filter(|v| matches!(v, Value::Str(_)))
                .cloned()
                .collect()
        }
        v if v.is_poisoned() => return Err(Flow::Poisoned),
        v @ Value::Opaque(_) => {
            return Err(Flow::Error(Box::new(ev.opaque_error(
                v,
                args.span(1),
                "used as enum values",
            ))));
        }
        v => {
            return Err(ev.error(
                codes::BAD_ARGUMENT,
                args.span(1),
                format!(
                    "the values of enum `{name}` must be an array of strings, found {}",
                    v.kind_name()
                ),
                "expected `['a', 'b', ...]`",
            ));
        }
    };
    let mut values = Vec::new();
    for v in items {
        match v {
            Value::Str(s) => values.push(s),
            v if v.is_poisoned() => return Err(Flow::Poisoned),
            v => {
                return Err(ev.error(
                    codes::BAD_ARGUMENT,
                    args.span(1),
                    format!(
                        "enum `{name}` has a value that is {}, not a string",
                        v.kind_name()
                    ),
                    "in these values",
                ));
            }
        }
    }
    Ok(Value::host(Host::Enum(Rc::new(EnumDef {
        id: ev.fresh_id(),
        name,
        schema,
        values,
        origin: ev.location(args.span(0)),
    }))))
}

fn new_sequence<'a>(ev: &mut Evaluator<'a>, schema: Option<Atom>, args: &Args<'a>) -> R<'a> {
    let name = ev.expect_str(args, 0, "the sequence name")?;
    Ok(Value::host(Host::Sequence(Rc::new(SequenceDef {
        id: ev.fresh_id(),
        name,
        schema,
        options: args.get(1),
        origin: ev.location(args.span(0)),
    }))))
}

fn new_view<'a>(
    ev: &mut Evaluator<'a>,
    schema: Option<Atom>,
    args: &Args<'a>,
    materialized: bool,
) -> R<'a> {
    let name = ev.expect_str(args, 0, "the view name")?;
    let columns = match args.get(1) {
        Value::Undefined => None,
        v => Some(v),
    };
    Ok(Value::host(Host::View(Box::new(ViewDef {
        id: ev.fresh_id(),
        name,
        schema,
        materialized,
        columns,
        with: None,
        using: None,
        tablespace: None,
        with_no_data: false,
        existing: false,
        mysql: Vec::new(),
        definition: None,
        origin: ev.location(args.span(0)),
    }))))
}

// ------------------------------------------------------------------ properties

pub fn get_prop<'a>(ev: &mut Evaluator<'a>, h: &Rc<Host<'a>>, key: &str, span: Span) -> R<'a> {
    let method = || {
        Ok(Value::Builtin(Rc::new(Builtin::HostMethod(
            h.clone(),
            Atom::from(key),
        ))))
    };
    match &**h {
        Host::Column(cell)
            if let Some(v) = cell.borrow().own.as_ref().and_then(|own| own.get(key)) =>
        {
            Ok(v.clone())
        }
        Host::Alias(a) => {
            let (t, alias) = &**a;
            if let Some((k, _)) = t.columns.iter().find(|(k, _)| **k == *key) {
                return Ok(Value::host(Host::ColumnRef(ColumnRef {
                    table: t.clone(),
                    key: k.clone(),
                    through: Some(Rc::new((None, alias.clone()))),
                })));
            }
            Ok(match key.strip_prefix(super::builtins::SYMBOL_PREFIX) {
                Some("drizzle:Name") => Value::Str(alias.clone()),
                Some("drizzle:OriginalName" | "drizzle:BaseName") => Value::Str(t.name.clone()),
                Some("drizzle:IsAlias") => Value::Bool(true),
                _ => Value::Undefined,
            })
        }
        Host::Table(t) => {
            if let Some((k, _)) = t.columns.iter().find(|(k, _)| **k == *key) {
                return Ok(Value::host(Host::ColumnRef(ColumnRef {
                    table: t.clone(),
                    key: k.clone(),
                    through: None,
                })));
            }
            match key.strip_prefix(super::builtins::SYMBOL_PREFIX) {
                Some("drizzle:Name" | "drizzle:BaseName" | "drizzle:OriginalName") => {
                    return Ok(Value::Str(t.name.clone()));
                }
                Some("drizzle:Schema") => {
                    return Ok(t.schema.clone().map(Value::Str).unwrap_or(Value::Undefined));
                }
                Some("drizzle:Columns") => return Ok(columns_object(t)),
                Some(_) => return Ok(Value::Undefined),
                None => {}
            }
            match key {
                "enableRLS" | "getSQL" => method(),
                "_" => {
                    let mut props = Props::default();
                    props.insert(Atom::from("name"), Value::Str(t.name.clone()));
                    props.insert(
                        Atom::from("schema"),
                        t.schema.clone().map(Value::Str).unwrap_or(Value::Undefined),
                    );
                    Ok(Value::object(props))
                }
                "$inferSelect" | "$inferInsert" => Ok(Value::Undefined),
                _ => {
                    let mut d = Diagnostic::error(
                        codes::BAD_ARGUMENT,
                        format!("table `{}` has no column `{key}`", t.name),
                    )
                    .with_label(&ev.file(), span, "no such column")
                    .with_location(&t.origin, "the table is defined here");
                    if let Some(best) =
                        crate::suggest::closest(key, t.columns.iter().map(|(k, _)| &**k))
                    {
                        d = d.with_help(format!("did you mean `{best}`?"));
                    }
                    Err(Flow::Error(Box::new(d)))
                }
            }
        }
        Host::Enum(e) => Ok(match key {
            "enumValues" => Value::array(e.values.iter().map(|v| Value::Str(v.clone())).collect()),
            "enumName" => Value::Str(e.name.clone()),
            "schema" => e.schema.clone().map(Value::Str).unwrap_or(Value::Undefined),
            _ => Value::Undefined,
        }),
        Host::Schema(s) => match key {
            "schemaName" => Ok(Value::Str(s.name.clone())),
            _ => method(),
        },
        Host::ColumnRef(r) => match key {
            "name" => Ok(Value::Str(r.builder().drizzle_name(&r.key).clone())),
            "table" => Ok(Value::host(Host::Table(r.table.clone()))),
            "getSQLType" => {
                let replaced = r
                    .table
                    .sql_types
                    .borrow()
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == r.key)
                    .map(|(_, f)| f.clone());
                match replaced {
                    Some(f) => Ok(f),
                    None => method(),
                }
            }
            "enumValues" => Ok(match &r.builder().kind {
                ColumnKind::Enum(e) => {
                    Value::array(e.values.iter().map(|v| Value::Str(v.clone())).collect())
                }
                _ => Value::Undefined,
            }),
            _ => method(),
        },
        Host::Sequence(s) => Ok(match key {
            "seqName" => Value::Str(s.name.clone()),
            "schema" => s.schema.clone().map(Value::Str).unwrap_or(Value::Undefined),
            _ => Value::Undefined,
        }),
        Host::Role(r) => match key {
            "name" => Ok(Value::Str(r.name.clone())),
            _ => method(),
        },
        Host::Date(_) if DATE_METHODS.contains(&key) => Ok(Value::Builtin(Rc::new(
            Builtin::HostMethod(h.clone(), Atom::from(key)),
        ))),
        Host::View(v) => match view_fields(v).into_iter().find(|(k, _)| **k == *key) {
            Some((_, field)) => Ok(field),
            None => method(),
        },
        Host::Relations | Host::Date(_) => Ok(Value::Undefined),
        Host::Regex(r) => Ok(super::regex::property(r, key).unwrap_or_else(|| {
            Value::Builtin(Rc::new(Builtin::HostMethod(h.clone(), Atom::from(key))))
        })),
        Host::Policy(p) if key == "name" => Ok(Value::Str(p.name.clone())),
        Host::Map(_) | Host::Set(_) => match super::collections::size(h) {
            Some(size) if key == "size" => Ok(size),
            _ if super::collections::methods(h).contains(&key) => method(),
            _ => Ok(Value::Undefined),
        },
        // Properties of a zod schema that are not methods: an object schema's `shape`, or
        // unknown.
        Host::Zod { shape, .. } => Ok(match (key, shape) {
            ("shape", Some(shape)) => shape.clone(),
            ("shape" | "_def" | "def" | "element" | "options" | "enum" | "description", _) => {
                Value::opaque(
                    OpaqueReason::External {
                        package: "zod".into(),
                        name: key.into(),
                    },
                    Some(ev.location(span)),
                )
            }
            _ => method()?,
        }),
        Host::Cte(c) if c.query.is_none() => method(),
        Host::Cte(c) => Ok(cte_fields(c)
            .into_iter()
            .find(|(k, _)| **k == *key)
            .map_or(Value::Undefined, |(_, field)| field)),
        _ => method(),
    }
}

/// The fields of a view built with a query builder, as other queries see them (`view.id`): a
/// selected column is that column read through the view (`"v"."id"`), an aliased `sql` field
/// is its alias (`"n"`). Without fields, the columns of the table it selects from.
pub fn view_fields<'a>(v: &ViewDef<'a>) -> Vec<(Atom, Value<'a>)> {
    match &v.definition {
        Some((Value::Host(h), _)) if let Host::Query(q) = &**h => {
            query_fields(q, Rc::new((v.schema.clone(), v.name.clone())))
        }
        _ => Vec::new(),
    }
}

/// The fields of a `with` query as the query selecting from it sees them (`sq.id` is
/// `"sq"."id"`), the same way as [`view_fields`].
pub fn cte_fields<'a>(c: &CteDef<'a>) -> Vec<(Atom, Value<'a>)> {
    match &c.query {
        Some(Value::Host(h)) if let Host::Query(q) = &**h => {
            query_fields(q, Rc::new((None, c.name.clone())))
        }
        _ => Vec::new(),
    }
}

/// The fields of a query read through the view or `with` query it defines (`through`).
fn query_fields<'a>(q: &QueryDef<'a>, through: Rc<(Option<Atom>, Atom)>) -> Vec<(Atom, Value<'a>)> {
    let seen = |field: &Value<'a>| -> Option<Value<'a>> {
        let Value::Host(fh) = field else { return None };
        match &**fh {
            Host::ColumnRef(r) => Some(Value::host(Host::ColumnRef(ColumnRef {
                through: Some(through.clone()),
                ..r.clone()
            }))),
            // An aliased `sql` field is its alias; a field read through a subquery or `with`
            // query (already the bare name) is that name.
            Host::Sql(s) => s
                .alias
                .clone()
                .or_else(|| match s.chunks.as_slice() {
                    [SqlChunk::Ident(a)] => Some(a.clone()),
                    _ => None,
                })
                .map(|a| {
                    Value::host(Host::Sql(SqlFrag {
                        chunks: vec![SqlChunk::Ident(a)],
                        alias: None,
                        origin: s.origin.clone(),
                    }))
                }),
            _ => None,
        }
    };
    let fields: Vec<(Atom, Value<'a>)> = match (&q.fields, &q.from) {
        (Some(Value::Object(o)), _) => o
            .borrow()
            .props
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        (None, Some(Value::Host(fh))) => match &**fh {
            Host::Table(t) => column_refs(t, None),
            Host::Alias(a) => alias_column_refs(a),
            Host::View(inner) => view_fields(inner),
            Host::Cte(c) => cte_fields(c),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    fields
        .into_iter()
        .filter_map(|(k, f)| seen(&f).map(|f| (k, f)))
        .collect()
}

/// A table's columns as an object of column references (`getTableColumns(table)`).
fn columns_object<'a>(t: &Rc<TableDef<'a>>) -> Value<'a> {
    Value::object(column_refs(t, None).into_iter().collect())
}

/// A table's columns by key, as references to them, read `through` a view or alias when given.
fn column_refs<'a>(
    t: &Rc<TableDef<'a>>,
    through: Option<Rc<(Option<Atom>, Atom)>>,
) -> Vec<(Atom, Value<'a>)> {
    t.columns
        .iter()
        .map(|(k, _)| {
            let r = ColumnRef {
                table: t.clone(),
                key: k.clone(),
                through: through.clone(),
            };
            (k.clone(), Value::host(Host::ColumnRef(r)))
        })
        .collect()
}

/// An aliased table's columns by key, read through the alias (`"mgr"."id"`).
pub fn alias_column_refs<'a>(a: &Rc<(Rc<TableDef<'a>>, Atom)>) -> Vec<(Atom, Value<'a>)> {
    column_refs(&a.0, Some(Rc::new((None, a.1.clone()))))
}

/// `Object.keys` of a Drizzle object: a table's column keys.
pub fn keys(h: &Host<'_>) -> Vec<Atom> {
    match h {
        Host::Table(t) => t.columns.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    }
}

pub fn iterate<'a>(h: &Host<'a>) -> Option<Vec<Value<'a>>> {
    super::collections::items(h)
}

// ------------------------------------------------------------------ methods

/// Is this a Drizzle object whose every property is a method (a builder in a chain)?
pub fn is_builder(h: &Host<'_>) -> bool {
    matches!(
        h,
        Host::Column(_)
            | Host::IndexColumn(_)
            | Host::Index(_)
            | Host::ForeignKey(_)
            | Host::Unique(_)
            | Host::View(_)
            | Host::Query(_)
            | Host::Sql(_)
            | Host::Zod { .. }
    )
}

pub(crate) fn call_method<'a>(
    ev: &mut Evaluator<'a>,
    h: Rc<Host<'a>>,
    name: &str,
    args: Args<'a>,
) -> R<'a> {
    if let Host::Column(_) = &*h {
        return column_method(ev, h, name, args);
    }
    let h = &h;
    let loc = ev.location(args.call);
    match &**h {
        Host::Column(_) => unreachable!("handled above"),
        // Drizzle's own `getSQLType()`: known while lowering this column's replaced one.
        Host::ColumnRef(r) if name == "getSQLType" => Ok(match &ev.own_sql_type {
            Some((id, key, t)) if *id == r.table.id && *key == r.key => Value::str(t),
            _ => Value::opaque(
                OpaqueReason::Unsupported(format!(
                    "`{}.{}.getSQLType()` outside the column's own type",
                    r.table.name, r.key
                )),
                Some(loc),
            ),
        }),
        // Only pg-core columns have `.asc()`, `.desc()`, `.nullsFirst()`, `.op()` in indexes.
        Host::ColumnRef(r) if !r.table.dialect.index_column_order() => {
            unknown_method(ev, h, name, &args, &[])
        }
        Host::ColumnRef(r) => index_column_method(
            ev,
            IndexColumn {
                column: r.clone(),
                asc: true,
                nulls_first: None,
                opclass: None,
            },
            name,
            &args,
            h,
        ),
        Host::IndexColumn(ic) => index_column_method(ev, ic.clone(), name, &args, h),
        Host::Table(t) => match name {
            "enableRLS" => {
                t.rls.set(true);
                Ok(Value::Host(h.clone()))
            }
            _ => unknown_method(ev, h, name, &args, &["enableRLS"]),
        },
        Host::Schema(s) => {
            let schema = Some(s.name.clone());
            match name {
                "table" => new_table(ev, s.dialect, schema, &args, None),
                "enum" => new_enum(ev, schema, &args),
                "sequence" => new_sequence(ev, schema, &args),
                "view" => new_view(ev, schema, &args, false),
                "materializedView" => new_view(ev, schema, &args, true),
                _ => unknown_method(
                    ev,
                    h,
                    name,
                    &args,
                    &["table", "enum", "sequence", "view", "materializedView"],
                ),
            }
        }
        Host::View(v) => {
            let mut v = v.clone();
            match name {
                "with" => v.with = Some(args.get(0)),
                "using" => v.using = ev.opt_str(&args.get(0), args.span(0), "the access method")?,
                "tablespace" => {
                    v.tablespace = ev.opt_str(&args.get(0), args.span(0), "the tablespace")?
                }
                "withNoData" => v.with_no_data = true,
                "existing" => v.existing = true,
                "algorithm" | "sqlSecurity" | "withCheckOption" => {
                    let key = match name {
                        "algorithm" => "algorithm",
                        "sqlSecurity" => "sql_security",
                        _ => "with_check_option",
                    };
                    // `withCheckOption()` without an argument is drizzle's `cascaded`.
                    let value = ev
                        .opt_str(&args.get(0), args.span(0), "the option's value")?
                        .unwrap_or_else(|| Atom::from("cascaded"));
                    v.mysql.retain(|(k, _)| *k != key);
                    v.mysql.push((key, value));
                }
                "as" => {
                    let mut def = args.get(0);
                    if matches!(def, Value::Function(_)) {
                        let qb = new_query_builder();
                        def = ev.call(
                            &def,
                            None,
                            Args::new(vec![qb], vec![args.span(0)], args.span(0)),
                        )?;
                    }
                    v.definition = Some((def, ev.location(args.span(0))));
                }
                _ => {
                    return unknown_method(
                        ev,
                        h,
                        name,
                        &args,
                        &[
                            "as",
                            "with",
                            "existing",
                            "using",
                            "tablespace",
                            "withNoData",
                            "algorithm",
                            "sqlSecurity",
                            "withCheckOption",
                        ],
                    );
                }
            }
            Ok(Value::host(Host::View(v)))
        }
        Host::Role(r) => match name {
            "existing" => Ok(Value::host(Host::Role(RoleDef {
                existing: true,
                ..r.clone()
            }))),
            _ => unknown_method(ev, h, name, &args, &["existing"]),
        },
        Host::Policy(p) => match name {
            "link" => match args.get(0) {
                Value::Host(t) => match &*t {
                    Host::Table(t) => Ok(Value::host(Host::Policy(PolicyDef {
                        link: Some(t.clone()),
                        ..p.clone()
                    }))),
                    _ => Err(super::builtins::bad_arg(
                        ev,
                        &args,
                        0,
                        "`link` needs a table",
                    )),
                },
                v if v.is_poisoned() => Ok(v),
                _ => Err(super::builtins::bad_arg(
                    ev,
                    &args,
                    0,
                    "`link` needs a table",
                )),
            },
            _ => unknown_method(ev, h, name, &args, &["link"]),
        },
        Host::Index(ix) => {
            // drizzle-orm's index builders: PostgreSQL's has `on`, `onOnly`, `using`, then
            // `concurrently`, `with`, `where`; MySQL's `on`, then `using`, `algorithm`, `lock`;
            // SQLite's `on`, then `where`. Another dialect's method is a TypeError there.
            let methods = index_methods(ix.dialect);
            if !methods.contains(&name) {
                let title = |d: Dialect| match d {
                    Dialect::Postgresql => "PostgreSQL",
                    Dialect::Mysql => "MySQL",
                    Dialect::Sqlite => "SQLite",
                };
                let others: Vec<&str> = [Dialect::Postgresql, Dialect::Mysql, Dialect::Sqlite]
                    .into_iter()
                    .filter(|&d| d != ix.dialect && index_methods(d).contains(&name))
                    .map(title)
                    .collect();
                if others.is_empty() {
                    return unknown_method(ev, h, name, &args, methods);
                }
                let d = Diagnostic::error(
                    codes::UNKNOWN_METHOD,
                    format!("a {} index has no method `{name}`", title(ix.dialect)),
                )
                .with_label(&ev.file(), args.call, "called here")
                .with_note(format!(
                    "`{name}` is a method of {} indexes; drizzle-orm's {} index builder has {}",
                    others.join(" and "),
                    title(ix.dialect),
                    methods.join(", ")
                ))
                .with_help("remove it");
                return Err(Flow::Error(Box::new(d)));
            }
            let mut ix = ix.clone();
            match name {
                "on" | "onOnly" => ix.columns = Some(located_args(ev, &args, 0)),
                "using" => {
                    ix.method = ev.opt_str(&args.get(0), args.span(0), "the index method")?;
                    // drizzle-kit's MySQL snapshot takes `btree` and `hash` only (its schema
                    // check fails on any other); a FULLTEXT or SPATIAL key has no builder.
                    if ix.dialect == Dialect::Mysql
                        && let Some(m) = &ix.method
                        && !matches!(m.as_str(), "btree" | "hash")
                    {
                        let d = Diagnostic::error(
                            codes::BAD_ARGUMENT,
                            format!("`{m}` is no index method of MySQL's index builder"),
                        )
                        .with_label(&ev.file(), args.span(0), "`btree` or `hash`")
                        .with_note(
                            "drizzle-orm's MySQL indexes take `using('btree')` or `using('hash')`",
                        )
                        .with_help(
                            "create a FULLTEXT or SPATIAL index in a custom migration \
                             (`schemac build --custom`)",
                        );
                        return Err(Flow::Error(Box::new(d)));
                    }
                    // PostgreSQL's `using(method, ...columns)`; MySQL's `.on(...).using(method)`
                    // keeps the columns given to `on`.
                    if args.len() > 1 || ix.columns.is_none() {
                        ix.columns = Some(located_args(ev, &args, 1));
                    }
                }
                "concurrently" => ix.concurrently = true,
                "with" => ix.with = Some(args.get(0)),
                "where" => ix.where_ = Some((args.get(0), loc)),
                // MySQL's index options (drizzle-kit keeps them in MySQL snapshots only).
                "lock" => ix.lock = ev.opt_str(&args.get(0), args.span(0), "the lock option")?,
                "algorithm" => {
                    ix.algorithm = ev.opt_str(&args.get(0), args.span(0), "the algorithm")?;
                }
                _ => return unknown_method(ev, h, name, &args, methods),
            }
            Ok(Value::host(Host::Index(ix)))
        }
        Host::ForeignKey(fk) => {
            let mut fk = fk.clone();
            let action = ev.opt_str(&args.get(0), args.span(0), "the action")?;
            match name {
                "onDelete" => fk.on_delete = action,
                "onUpdate" => fk.on_update = action,
                _ => return unknown_method(ev, h, name, &args, &["onDelete", "onUpdate"]),
            }
            Ok(Value::host(Host::ForeignKey(fk)))
        }
        Host::Unique(u) => {
            let mut u = u.clone();
            match name {
                "on" => u.columns = Some(located_args(ev, &args, 0)),
                "nullsNotDistinct" => u.nulls_not_distinct = true,
                _ => return unknown_method(ev, h, name, &args, &["on", "nullsNotDistinct"]),
            }
            Ok(Value::host(Host::Unique(u)))
        }
        Host::Sql(s) => {
            let mut s = s.clone();
            match name {
                "as" => s.alias = ev.opt_str(&args.get(0), args.span(0), "the alias")?,
                "append" => {
                    if let Value::Host(other) = args.get(0)
                        && let Host::Sql(o) = &*other
                    {
                        s.chunks.extend(o.chunks.iter().cloned());
                    }
                }
                "mapWith" | "inlineParams" | "getSQL" | "if" | "shouldOmitSQLParens" => {}
                _ => {
                    return unknown_method(
                        ev,
                        h,
                        name,
                        &args,
                        &["as", "append", "mapWith", "inlineParams"],
                    );
                }
            }
            Ok(Value::host(Host::Sql(s)))
        }
        Host::Query(q) => query_method(ev, q, name, args, h),
        Host::Cte(c) => cte_method(ev, c, name, args, h),
        Host::Date(ms) => match date_method(*ms, name) {
            Some(v) => Ok(v),
            None => unknown_method(ev, h, name, &args, DATE_METHODS),
        },
        Host::Regex(r) => match super::regex::method(ev, r, name, &args) {
            Some(result) => result,
            None => unknown_method(ev, h, name, &args, &["test", "exec"]),
        },
        Host::Map(_) | Host::Set(_) => match super::collections::call(ev, h, name, &args) {
            Some(result) => result,
            None => unknown_method(ev, h, name, &args, super::collections::methods(h)),
        },
        Host::Zod {
            default,
            shape,
            transformed,
        } => Ok(zod_method(
            ev,
            (default, shape, *transformed),
            h,
            name,
            &args,
        )),
        _ => unknown_method(ev, h, name, &args, &[]),
    }
}

/// What to say of a name that drizzle-orm 1.0 (beta) added, where schemac follows 0.45.
pub(crate) fn drizzle_v1_note(name: &str) -> Option<String> {
    let spelling = match name {
        "withRLS" => "`pgTable(...).enableRLS()`",
        "defineRelations" | "defineRelationsPart" => "`relations(table, ({ one, many }) => ...)`",
        "camelCase" | "snakeCase" => "`casing: 'snake_case'` in drizzle.config.ts",
        _ => return None,
    };
    Some(format!(
        "`{name}` is drizzle-orm 1.0's API; schemac follows drizzle-orm 0.45 and drizzle-kit 0.31, where it is written {spelling}"
    ))
}

/// A zod schema's method: `default(v)` records the default, `parse`/`safeParse` give their
/// input (the default for `undefined`) without validating, every other method (refinements,
/// `optional()`, `min()`, ...) keeps the schema as it is.
fn zod_method<'a>(
    ev: &Evaluator<'a>,
    (default, shape, transformed): (&Option<Value<'a>>, &Option<Value<'a>>, bool),
    h: &Rc<Host<'a>>,
    name: &str,
    args: &Args<'a>,
) -> Value<'a> {
    let parsed = || match args.get(0) {
        _ if transformed || shape.is_some() => Value::opaque(
            OpaqueReason::External {
                package: "zod".into(),
                name: name.into(),
            },
            Some(ev.location(args.call)),
        ),
        Value::Undefined => default.clone().unwrap_or(Value::Undefined),
        v => v,
    };
    match name {
        "default" | "catch" => Value::host(Host::Zod {
            default: Some(args.get(0)),
            shape: shape.clone(),
            transformed,
        }),
        "transform" | "pipe" | "overwrite" => Value::host(Host::Zod {
            default: None,
            shape: None,
            transformed: true,
        }),
        "parse" => parsed(),
        "safeParse" => {
            let mut props = Props::default();
            props.insert(Atom::from("success"), Value::Bool(true));
            props.insert(Atom::from("data"), parsed());
            Value::object(props)
        }
        _ => Value::Host(h.clone()),
    }
}

fn located_args<'a>(
    ev: &Evaluator<'a>,
    args: &Args<'a>,
    from: usize,
) -> Vec<(Value<'a>, Location)> {
    (from..args.len())
        .map(|i| (args.get(i), ev.location(args.span(i))))
        .collect()
}

/// The methods of a dialect's index builder in drizzle-orm.
fn index_methods(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Postgresql => &["on", "onOnly", "using", "concurrently", "with", "where"],
        Dialect::Mysql => &["on", "using", "algorithm", "lock"],
        Dialect::Sqlite => &["on", "where"],
    }
}

fn unknown_method<'a>(
    ev: &Evaluator<'a>,
    h: &Rc<Host<'a>>,
    name: &str,
    args: &Args<'a>,
    known: &[&str],
) -> R<'a> {
    let mut d = Diagnostic::error(
        codes::UNKNOWN_METHOD,
        format!("{} has no method `{name}`", h.kind_name()),
    )
    .with_label(&ev.file(), args.call, "called here");
    if let Some(best) = crate::suggest::closest(name, known.iter().copied()) {
        d = d.with_help(format!("did you mean `{best}`?"));
    } else if !known.is_empty() {
        d = d.with_note(format!("its methods are: {}", known.join(", ")));
    }
    Err(Flow::Error(Box::new(d)))
}

fn column_method<'a>(
    ev: &mut Evaluator<'a>,
    mut h: Rc<Host<'a>>,
    name: &str,
    args: Args<'a>,
) -> R<'a> {
    let Host::Column(cell) = &*h else {
        unreachable!("called for column builders")
    };
    let c = cell.get();
    let module = ev
        .lib
        .dialect(c.dialect)
        .expect("every dialect has a stdlib module");
    let specific = match &c.kind {
        ColumnKind::Builtin { entry, .. } => entry.methods.get(name),
        _ => None,
    };
    let own = c.own.as_ref().and_then(|own| own.get(name)).cloned();
    if let Some(f) = own {
        drop(c);
        return ev.call(&f, Some(Value::Host(h)), args);
    }
    let Some(modifier) = specific.or_else(|| module.modifiers.get(name)) else {
        let mut known: Vec<&str> = module.modifiers.keys().map(String::as_str).collect();
        if let ColumnKind::Builtin { entry, .. } = &c.kind {
            known.extend(entry.methods.keys().map(String::as_str));
        }
        // Methods other column types have get a clearer message.
        let mut elsewhere: Vec<&str> = module
            .columns
            .iter()
            .filter(|(_, e)| e.methods.contains_key(name))
            .map(|(n, _)| n.as_str())
            .collect();
        elsewhere.sort_unstable();
        let mut d = Diagnostic::error(
            codes::UNKNOWN_METHOD,
            format!("column builder `{}` has no method `{name}`", c.kind_label()),
        )
        .with_label(&ev.file(), args.call, "called here");
        if !elsewhere.is_empty() {
            let list: Vec<String> = elsewhere.iter().map(|n| format!("`{n}()`")).collect();
            d = d.with_note(format!("`{name}` exists on {} columns", list.join(", ")));
        } else if let Some(best) = crate::suggest::closest(name, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{best}`?"));
        }
        return Err(Flow::Error(Box::new(d)));
    };
    let modifier = modifier.clone();
    // `.array()` wraps the builder in a new one; every other method changes the builder itself
    // and returns it, so `const base = text(); base.notNull()` makes `base` not null.
    if matches!(modifier, Modifier::Array) {
        h = Rc::new(Host::Column(ColumnCell::new((*c).clone())));
    }
    drop(c);
    let Host::Column(cell) = &*h else {
        unreachable!("called for column builders")
    };
    let mut c = cell.borrow_mut();
    let loc = ev.location(args.call);
    match &modifier {
        Modifier::NotNull => c.not_null = true,
        Modifier::PrimaryKey => {
            let known: &[&str] = match c.dialect {
                Dialect::Sqlite => &["autoIncrement", "onConflict"],
                _ => &[],
            };
            unknown_options(ev, &args, 0, "primaryKey", known);
            c.primary_key = true;
            c.not_null = true;
            if let Some(auto) = args.get(0).get_prop("autoIncrement") {
                c.auto_increment = auto.truthy();
            }
        }
        Modifier::Default => c.default = Some(Box::new((args.get(0), ev.location(args.span(0))))),
        Modifier::DefaultSql { sql } => {
            let frag = SqlFrag {
                chunks: vec![SqlChunk::Text(Atom::from(sql.as_str()))],
                alias: None,
                origin: loc.clone(),
            };
            c.default = Some(Box::new((Value::host(Host::Sql(frag)), loc)));
        }
        Modifier::Unique => {
            let (uname, cfg) = match args.get(0) {
                Value::Str(s) => (Some(s), args.get(1)),
                Value::Object(_) => (None, args.get(0)),
                _ => (None, args.get(1)),
            };
            unknown_options(
                ev,
                &args,
                usize::from(uname.is_some()),
                "unique",
                &["nulls"],
            );
            let nnd = cfg
                .get_prop("nulls")
                .and_then(|n| n.as_str().map(|s| s == "not distinct"))
                .unwrap_or(false);
            c.unique = Some(Box::new(ColumnUnique {
                name: uname,
                nulls_not_distinct: nnd,
            }));
        }
        Modifier::References => {
            unknown_options(ev, &args, 1, "references", &["onDelete", "onUpdate"]);
            let opts = args.get(1);
            let action = |k: &str| opts.get_prop(k).and_then(|v| v.as_str().map(Atom::from));
            c.references.reserve_exact(1);
            c.references.push(ColumnReference {
                target: args.get(0),
                on_delete: action("onDelete"),
                on_update: action("onUpdate"),
                origin: ev.location(args.call),
            });
        }
        Modifier::Generated => {
            c.generated = Some(Box::new((
                args.get(0),
                ev.location(args.span(0)),
                args.get(1),
            )));
        }
        Modifier::Identity { always } => {
            let known = [
                "name",
                "startWith",
                "increment",
                "minValue",
                "maxValue",
                "cache",
                "cycle",
            ];
            let what = if *always {
                "generatedAlwaysAsIdentity"
            } else {
                "generatedByDefaultAsIdentity"
            };
            unknown_options(ev, &args, 0, what, &known);
            c.identity = Some(Box::new((*always, args.get(0), loc)));
            c.not_null = true;
        }
        Modifier::Array => {
            // Drizzle's `.array()` wraps the builder in a new one: what was set on the element
            // builder before (`.notNull().array()`) is dropped, only its type is kept.
            let size = args.get(0).as_number().map(|n| n as u32);
            c.array.push(size);
            c.not_null = false;
            c.primary_key = false;
            c.default = None;
            c.unique = None;
            c.references.clear();
            c.generated = None;
            c.identity = None;
            c.auto_increment = false;
            c.on_update_now = false;
        }
        Modifier::AutoIncrement => c.auto_increment = true,
        Modifier::OnUpdateNow => c.on_update_now = true,
        Modifier::RuntimeOnly => {}
    }
    drop(c);
    Ok(Value::Host(h))
}

fn index_column_method<'a>(
    ev: &mut Evaluator<'a>,
    mut ic: IndexColumn<'a>,
    name: &str,
    args: &Args<'a>,
    h: &Rc<Host<'a>>,
) -> R<'a> {
    match name {
        "asc" => ic.asc = true,
        "desc" => ic.asc = false,
        "nullsFirst" => ic.nulls_first = Some(true),
        "nullsLast" => ic.nulls_first = Some(false),
        "op" => ic.opclass = ev.opt_str(&args.get(0), args.span(0), "the operator class")?,
        "getSQL" => return Ok(Value::Host(h.clone())),
        _ => {
            return unknown_method(
                ev,
                h,
                name,
                args,
                &["asc", "desc", "nullsFirst", "nullsLast", "op"],
            );
        }
    }
    Ok(Value::host(Host::IndexColumn(ic)))
}

/// W4009 for each key of the config object given as argument `at` that is not one of `known`:
/// drizzle-orm ignores it, so the SQL silently lacks what it asked for (`{ ondelete: 'cascade' }`).
fn unknown_options(ev: &mut Evaluator<'_>, args: &Args<'_>, at: usize, what: &str, known: &[&str]) {
    let Value::Object(o) = args.get(at) else {
        return;
    };
    for key in o.borrow().props.keys() {
        if known.contains(&&**key) {
            continue;
        }
        let mut d = Diagnostic::warning(
            codes::UNKNOWN_OPTION,
            format!("`{what}` has no option `{key}`; it is ignored"),
        )
        .with_label(&ev.file(), args.span(at), "in this config");
        if let Some(best) = crate::suggest::closest(key, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{best}`?"));
        } else if known.is_empty() {
            d = d.with_note(format!("`{what}` takes no options"));
        } else {
            d = d.with_note(format!("its options are: {}", known.join(", ")));
        }
        ev.diags.push(d);
    }
}

fn query_method<'a>(
    ev: &mut Evaluator<'a>,
    q: &QueryDef<'a>,
    name: &str,
    args: Args<'a>,
    h: &Rc<Host<'a>>,
) -> R<'a> {
    let mut q = q.clone();
    match name {
        "select" => q.fields = Some(args.get(0)).filter(|v| !matches!(v, Value::Undefined)),
        "selectDistinct" => {
            q.distinct = true;
            q.fields = Some(args.get(0)).filter(|v| !matches!(v, Value::Undefined));
        }
        "selectDistinctOn" => {
            q.distinct_on = match args.get(0) {
                Value::Array(items) => items.borrow().clone(),
                one => vec![one],
            };
            q.fields = Some(args.get(1)).filter(|v| !matches!(v, Value::Undefined));
        }
        "from" => q.from = Some(args.get(0)),
        "where" => {
            let w = selection_callback(ev, &q, &args, Selected::Sql)?;
            q.where_ = Some(w).filter(|v| !matches!(v, Value::Undefined));
        }
        "leftJoin" | "innerJoin" | "rightJoin" | "fullJoin" => {
            let kind = match name {
                "leftJoin" => "left join",
                "innerJoin" => "inner join",
                "rightJoin" => "right join",
                _ => "full join",
            };
            // The `on` callback sees the selection with the joined table in it.
            q.joins.push((kind, args.get(0), Value::Undefined));
            let on = Args::new(vec![args.get(1)], vec![args.span(1)], args.call);
            let on = selection_callback(ev, &q, &on, Selected::Sql)?;
            if let Some(join) = q.joins.last_mut() {
                join.2 = on;
            }
        }
        // Each call replaces the list, as in drizzle-orm.
        "groupBy" => q.group_by = selection_list(ev, &q, &args)?,
        "having" => q.having = Some(selection_callback(ev, &q, &args, Selected::Sql)?),
        // After a set operation these apply to the combined result: drizzle-orm keeps them
        // on the last one.
        "orderBy" => {
            let list = selection_list(ev, &q, &args)?;
            match q.set_ops.last_mut() {
                Some(op) => op.order_by = list,
                None => q.order_by = list,
            }
        }
        "limit" => match q.set_ops.last_mut() {
            Some(op) => op.limit = Some(args.get(0)),
            None => q.limit = Some(args.get(0)),
        },
        "offset" => match q.set_ops.last_mut() {
            Some(op) => op.offset = Some(args.get(0)),
            None => q.offset = Some(args.get(0)),
        },
        _ if let Some((kind, all)) = set_operator(name) => q.set_ops.push(SetOp {
            kind,
            all,
            right: args.get(0),
            origin: ev.location(args.span(0)),
            order_by: Vec::new(),
            limit: None,
            offset: None,
        }),
        "$with" => {
            let name = ev.expect_str(&args, 0, "the name of the `with` query")?;
            return Ok(Value::host(Host::Cte(Rc::new(CteDef {
                name,
                query: None,
                inline: false,
                origin: ev.location(args.call),
            }))));
        }
        // A subquery: `qb.select(...).from(t).as('sub')`, selected from like a table.
        "as" => {
            let name = ev.expect_str(&args, 0, "the name of the subquery")?;
            return Ok(Value::host(Host::Cte(Rc::new(CteDef {
                name,
                query: Some(Value::Host(h.clone())),
                inline: true,
                origin: ev.location(args.call),
            }))));
        }
        "with" => q.with = args.values.to_vec(),
        "$dynamic" => {}
        _ => {
            return unknown_method(
                ev,
                h,
                name,
                &args,
                &[
                    "select",
                    "selectDistinct",
                    "selectDistinctOn",
                    "from",
                    "where",
                    "leftJoin",
                    "innerJoin",
                    "rightJoin",
                    "fullJoin",
                    "groupBy",
                    "having",
                    "orderBy",
                    "limit",
                    "offset",
                    "union",
                    "unionAll",
                    "intersect",
                    "intersectAll",
                    "except",
                    "exceptAll",
                    "$with",
                    "with",
                ],
            );
        }
    }
    Ok(Value::host(Host::Query(Box::new(q))))
}

/// `.as(query)` of `qb.$with(name)`: the query, or a callback given a query builder.
fn cte_method<'a>(
    ev: &mut Evaluator<'a>,
    c: &CteDef<'a>,
    name: &str,
    args: Args<'a>,
    h: &Rc<Host<'a>>,
) -> R<'a> {
    if name != "as" || c.query.is_some() {
        return unknown_method(ev, h, name, &args, &["as"]);
    }
    let mut query = args.get(0);
    if matches!(query, Value::Function(_)) {
        let qb = new_query_builder();
        query = ev.call(
            &query,
            None,
            Args::new(vec![qb], vec![args.span(0)], args.span(0)),
        )?;
    }
    Ok(Value::host(Host::Cte(Rc::new(CteDef {
        query: Some(query),
        ..c.clone()
    }))))
}

/// How a callback of the query builder sees an aliased field (``sql`...`.as('n')``) of the
/// selection: as its expression (`where`, `having`, a join's `on`) or as its alias (`groupBy`,
/// `orderBy`), as drizzle-orm's selection proxy gives them.
#[derive(Clone, Copy, PartialEq)]
enum Selected {
    Sql,
    Alias,
}

/// The argument of `where`, `having` or a join's `on`: a condition, or a callback called with
/// the query's selection.
fn selection_callback<'a>(
    ev: &mut Evaluator<'a>,
    q: &QueryDef<'a>,
    args: &Args<'a>,
    seen: Selected,
) -> R<'a> {
    let arg = args.get(0);
    if arg.type_of() != "function" {
        return Ok(arg);
    }
    let selection = selection(q, seen);
    ev.call(
        &arg,
        None,
        Args::new(vec![selection], vec![args.span(0)], args.call),
    )
}

/// The arguments of `groupBy` or `orderBy`: the items, or a callback called with the query's
/// selection that returns an item or an array of them.
fn selection_list<'a>(
    ev: &mut Evaluator<'a>,
    q: &QueryDef<'a>,
    args: &Args<'a>,
) -> R<'a, Vec<Value<'a>>> {
    if args.get(0).type_of() != "function" {
        return Ok(args.values.to_vec());
    }
    Ok(match selection_callback(ev, q, args, Selected::Alias)? {
        Value::Array(items) => items.borrow().clone(),
        item => vec![item],
    })
}

/// What the query builder's callbacks receive: the selected fields, or without `select` fields
/// the table of `from` (with joins: an object of the tables by name).
fn selection<'a>(q: &QueryDef<'a>, seen: Selected) -> Value<'a> {
    if let Some(fields) = &q.fields {
        return selected(fields, seen);
    }
    let from = q.from.clone().unwrap_or(Value::Undefined);
    if q.joins.is_empty() {
        return from;
    }
    let mut tables = Props::default();
    for t in std::iter::once(&from).chain(q.joins.iter().map(|(_, t, _)| t)) {
        if let Value::Host(h) = t {
            match &**h {
                Host::Table(td) => tables.insert(td.name.clone(), t.clone()),
                Host::Alias(a) => tables.insert(a.1.clone(), t.clone()),
                Host::Cte(c) => tables.insert(c.name.clone(), t.clone()),
                _ => None,
            };
        }
    }
    Value::object(tables)
}

/// A selected field as the selection proxy gives it: an aliased `sql` field as its expression
/// or as a reference to its alias (`"n"`); nested objects field by field; anything else as is.
fn selected<'a>(field: &Value<'a>, seen: Selected) -> Value<'a> {
    match field {
        Value::Object(o) => Value::object(
            o.borrow()
                .props
                .iter()
                .map(|(k, v)| (k.clone(), selected(v, seen)))
                .collect(),
        ),
        Value::Host(h)
            if let Host::Sql(s) = &**h
                && let Some(alias) = &s.alias =>
        {
            let chunks = match seen {
                Selected::Sql => s.chunks.clone(),
                Selected::Alias => vec![SqlChunk::Ident(alias.clone())],
            };
            Value::host(Host::Sql(SqlFrag {
                chunks,
                alias: None,
                origin: s.origin.clone(),
            }))
        }
        v => v.clone(),
    }
}

// ------------------------------------------------------------------ sql

/// Evaluates `` sql`...` `` when `tag` is Drizzle's `sql`; `None` for other tags.
pub fn sql_template<'a>(
    ev: &mut Evaluator<'a>,
    tag: &Value<'a>,
    quasis: &[Atom],
    values: &[Value<'a>],
    spans: &[Span],
    span: Span,
) -> Option<R<'a>> {
    let Value::Builtin(b) = tag else { return None };
    let Builtin::Drizzle { module, name } = &**b else {
        return None;
    };
    if module.functions.get(&**name) != Some(&Function::Sql) {
        return None;
    }
    Some(Ok(template_frag(ev, quasis, values, spans, span)))
}

/// The SQL of a template: its texts with the values between them.
fn template_frag<'a>(
    ev: &Evaluator<'a>,
    quasis: &[Atom],
    values: &[Value<'a>],
    spans: &[Span],
    span: Span,
) -> Value<'a> {
    let mut chunks = Vec::new();
    for (i, q) in quasis.iter().enumerate() {
        if !q.is_empty() {
            chunks.push(SqlChunk::Text(q.clone()));
        }
        if let Some(v) = values.get(i) {
            chunks.push(SqlChunk::Value(
                v.clone(),
                ev.location(spans.get(i).copied().unwrap_or(span)),
            ));
        }
    }
    Value::host(Host::Sql(SqlFrag {
        chunks,
        alias: None,
        origin: ev.location(span),
    }))
}

/// `sql(...)` called as a function. With an array of strings first it is a tagged template
/// compiled for older targets (TypeScript's ES5 `__makeTemplateObject`, Babel's
/// `_taggedTemplateLiteral`): `sql(strings, ...values)`, as drizzle-orm takes it.
/// `sql('raw text')` is not valid Drizzle, but `sql.raw` is; report it.
fn sql_call<'a>(ev: &mut Evaluator<'a>, args: &Args<'a>) -> R<'a> {
    if let Value::Array(strings) = args.get(0) {
        let strings = strings.borrow();
        let texts: Option<Vec<Atom>> = strings.iter().map(|s| s.as_str().map(Atom::from)).collect();
        if let Some(texts) = texts {
            // One value between each two texts (`undefined` where the call gives none).
            let holes = texts.len().saturating_sub(1);
            let values: Vec<Value<'a>> = (1..=holes).map(|i| args.get(i)).collect();
            let spans: Vec<Span> = (1..=holes).map(|i| args.span(i)).collect();
            return Ok(template_frag(ev, &texts, &values, &spans, args.call));
        }
    }
    Err(Flow::Error(Box::new(
        Diagnostic::error(
            codes::BAD_ARGUMENT,
            "`sql` is a tagged template, not a function",
        )
        .with_label(&ev.file(), args.call, "called as a function")
        .with_help("write sql`...` or sql.raw('...')"),
    )))
}

fn sql_helper<'a>(ev: &mut Evaluator<'a>, helper: &str, args: &Args<'a>) -> R<'a> {
    let loc = ev.location(args.call);
    let frag = |chunks| {
        Ok(Value::host(Host::Sql(SqlFrag {
            chunks,
            alias: None,
            origin: loc.clone(),
        })))
    };
    match helper {
        "raw" => {
            let v = args.get(0);
            match ev.stringify(&v, args.span(0))? {
                Some(s) => frag(vec![SqlChunk::Text(Atom::from(s.as_str()))]),
                None => Ok(v),
            }
        }
        "identifier" => {
            let s = ev.expect_str(args, 0, "the identifier")?;
            frag(vec![SqlChunk::Ident(s)])
        }
        "empty" => frag(Vec::new()),
        "join" => {
            let items = ev.iterate(&args.get(0), args.span(0))?;
            let sep = args.get(1);
            let mut chunks = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 && !matches!(sep, Value::Undefined) {
                    chunks.push(SqlChunk::Value(sep.clone(), ev.location(args.span(1))));
                }
                chunks.push(SqlChunk::Value(item, ev.location(args.span(0))));
            }
            frag(chunks)
        }
        _ => Ok(Value::opaque(
            OpaqueReason::RuntimeOnly(format!("`sql.{helper}`")),
            Some(loc),
        )),
    }
}

/// Builds the `sql` fragment of an operator such as `eq(a, b)` or `and(...)`.
fn operator<'a>(ev: &mut Evaluator<'a>, op: &Operator, args: &Args<'a>) -> Value<'a> {
    let loc = ev.location(args.call);
    let mut chunks = Vec::new();
    match op {
        Operator::Template(t) => {
            let mut rest = t.as_str();
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else {
                    break;
                };
                if open > 0 {
                    chunks.push(SqlChunk::Text(Atom::from(&rest[..open])));
                }
                // `{0}`, or `{0|*}`: the argument, or the text after `|` when it is not given.
                let (idx, fallback) = match rest[open + 1..open + close].split_once('|') {
                    Some((idx, text)) => (idx, Some(text)),
                    None => (&rest[open + 1..open + close], None),
                };
                let idx: usize = idx.parse().unwrap_or(0);
                let value = match idx {
                    0 => args.get(0),
                    _ => encode_param(ev, &args.get(0), args.get(idx)),
                };
                match fallback {
                    Some(text) if matches!(value, Value::Undefined) => {
                        chunks.push(SqlChunk::Text(Atom::from(text)));
                    }
                    _ => chunks.push(SqlChunk::Value(value, ev.location(args.span(idx)))),
                }
                rest = &rest[open + close + 1..];
            }
            if !rest.is_empty() {
                chunks.push(SqlChunk::Text(Atom::from(rest)));
            }
        }
        Operator::Join { join } => {
            let items: Vec<usize> = (0..args.len())
                .filter(|i| !matches!(args.get(*i), Value::Undefined))
                .collect();
            if items.is_empty() {
                return Value::Undefined;
            }
            let wrap = items.len() > 1;
            if wrap {
                chunks.push(SqlChunk::Text(Atom::from("(")));
            }
            for (n, i) in items.iter().enumerate() {
                if n > 0 {
                    chunks.push(SqlChunk::Text(Atom::from(join.as_str())));
                }
                chunks.push(SqlChunk::Value(args.get(*i), ev.location(args.span(*i))));
            }
            if wrap {
                chunks.push(SqlChunk::Text(Atom::from(")")));
            }
        }
    }
    Value::host(Host::Sql(SqlFrag {
        chunks,
        alias: None,
        origin: loc,
    }))
}

/// A value compared with a column (`eq(col, value)`) as drizzle-orm binds it: through the
/// column's own mapping to the driver value: a custom type's `toDriver`, SQLite's integer modes
/// (`true` is `1`, a `Date` is seconds or milliseconds); every other value is kept.
fn encode_param<'a>(ev: &mut Evaluator<'a>, column: &Value<'a>, value: Value<'a>) -> Value<'a> {
    let Value::Host(h) = column else {
        return value;
    };
    let Host::ColumnRef(r) = &**h else {
        return value;
    };
    let b = r.builder();
    if let ColumnKind::Custom(def) = &b.kind
        && let Some(to_driver) = def.options.get_prop("toDriver")
        && matches!(to_driver, Value::Function(_))
        && !matches!(&value, Value::Host(_))
    {
        let span = def.origin.span;
        let args = Args::new(vec![value.clone()], vec![span], span);
        return ev.call(&to_driver, None, args).unwrap_or(value);
    }
    if b.dialect != Dialect::Sqlite {
        return value;
    }
    let mode = b.config.get_prop("mode");
    let mode = mode.as_ref().and_then(|m| m.as_str());
    match (&value, mode) {
        (Value::Bool(x), Some("boolean")) => Value::Number(if *x { 1.0 } else { 0.0 }),
        (Value::Host(d), Some("timestamp")) if matches!(**d, Host::Date(_)) => {
            let Host::Date(ms) = **d else { return value };
            Value::Number((ms / 1000.0).floor())
        }
        (Value::Host(d), Some("timestamp_ms")) if matches!(**d, Host::Date(_)) => {
            let Host::Date(ms) = **d else { return value };
            Value::Number(ms)
        }
        _ => value,
    }
}

// ------------------------------------------------------------------ dates

/// `new Date(...)`: a literal date string or a number of milliseconds; the current time is
/// not known at compile time.
pub fn new_date<'a>(ev: &mut Evaluator<'a>, args: Args<'a>) -> R<'a> {
    let ms = match args.get(0) {
        Value::Number(n) if args.len() == 1 => Some(n),
        Value::Str(s) if args.len() == 1 => parse_iso_date(&s),
        Value::Host(h) if matches!(*h, Host::Date(_)) => match *h {
            Host::Date(ms) => Some(ms),
            _ => None,
        },
        _ if args.len() >= 3 => {
            let mut parts = [0.0; 7];
            parts[2] = 1.0;
            for (i, p) in parts.iter_mut().enumerate().take(args.len().min(7)) {
                *p = args.get(i).to_number().unwrap_or(f64::NAN);
            }
            // Month is 0-based in the Date constructor; local time is taken as UTC.
            Some(
                days_from_civil(parts[0] as i64, parts[1] as i64 + 1, parts[2] as i64) as f64
                    * 86_400_000.0
                    + parts[3] * 3_600_000.0
                    + parts[4] * 60_000.0
                    + parts[5] * 1000.0
                    + parts[6],
            )
        }
        _ => None,
    };
    let reason = match ms {
        Some(ms) if ms.is_finite() => return Ok(Value::host(Host::Date(ms))),
        _ if args.is_empty() => {
            return Ok(Value::opaque(
                OpaqueReason::RuntimeOnly("`new Date()` (the time the program runs)".into()),
                Some(ev.location(args.call)),
            ));
        }
        _ => match args.get(0) {
            // JavaScript's Invalid Date: `toISOString` throws on it, and drizzle-kit with it.
            Value::Str(s) if args.len() == 1 => format!(
                "an invalid date: `{s}` is not a date JavaScript reads (Invalid Date); write an ISO date such as `2024-01-31` or `2024-01-31T12:00:00Z`"
            ),
            _ => "a date made from values that are not known at compile time".into(),
        },
    };
    Ok(Value::opaque(
        OpaqueReason::Unsupported(reason),
        Some(ev.location(args.call)),
    ))
}

/// `Date.UTC(year, month?, day?, hours?, minutes?, seconds?, ms?)`: the time value of those
/// fields in UTC (month 0-based and carried into the year; years 0 to 99 are 1900 to 1999), or
/// NaN when one is not a number.
pub fn utc_time(fields: &[f64]) -> f64 {
    let mut parts = [f64::NAN, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    for (p, f) in parts.iter_mut().zip(fields) {
        *p = *f;
    }
    if parts.iter().any(|p| !p.is_finite()) {
        return f64::NAN;
    }
    let parts = parts.map(f64::trunc);
    let year = if (0.0..=99.0).contains(&parts[0]) {
        1900.0 + parts[0]
    } else {
        parts[0]
    };
    let year = year as i64 + parts[1].div_euclid(12.0) as i64;
    let month = parts[1].rem_euclid(12.0) as i64 + 1;
    let day = days_from_civil(year, month, 1) as f64 + parts[2] - 1.0;
    day * 86_400_000.0 + parts[3] * 3_600_000.0 + parts[4] * 60_000.0 + parts[5] * 1000.0 + parts[6]
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM]` (date-only and `Z` forms are
/// UTC; a time without a zone is taken as UTC too, as on a server in UTC).
pub fn parse_iso_date(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, time) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: i64 = dp.next().map(|x| x.parse().ok()).unwrap_or(Some(1))?;
    let d: i64 = dp.next().map(|x| x.parse().ok()).unwrap_or(Some(1))?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d) as f64 * 86_400_000.0;
    if let Some(t) = time {
        let (clock, offset) = match t.find(['Z', '+', '-']) {
            Some(i) => (&t[..i], &t[i..]),
            None => (t, ""),
        };
        let mut cp = clock.split(':');
        let h: f64 = cp.next()?.parse().ok()?;
        let mi: f64 = cp.next().map(|x| x.parse().ok()).unwrap_or(Some(0.0))?;
        let sec: f64 = cp.next().map(|x| x.parse().ok()).unwrap_or(Some(0.0))?;
        ms += h * 3_600_000.0 + mi * 60_000.0 + (sec * 1000.0).round();
        if let Some(rest) = offset.strip_prefix(['+', '-']) {
            let sign = if offset.starts_with('-') { 1.0 } else { -1.0 };
            let mut op = rest.split(':');
            let oh: f64 = op.next()?.parse().ok()?;
            let om: f64 = op.next().map(|x| x.parse().ok()).unwrap_or(Some(0.0))?;
            ms += sign * (oh * 3_600_000.0 + om * 60_000.0);
        }
    }
    Some(ms)
}

/// The methods of a `Date` schemac evaluates. Local time is UTC, as on a server in UTC.
const DATE_METHODS: &[&str] = &[
    "getTime",
    "valueOf",
    "toISOString",
    "toJSON",
    "getFullYear",
    "getUTCFullYear",
    "getMonth",
    "getUTCMonth",
    "getDate",
    "getUTCDate",
    "getDay",
    "getUTCDay",
    "getHours",
    "getUTCHours",
    "getMinutes",
    "getUTCMinutes",
    "getSeconds",
    "getUTCSeconds",
    "getMilliseconds",
    "getUTCMilliseconds",
    "getTimezoneOffset",
];

/// A `Date` method's result for the date `ms` milliseconds after the epoch.
fn date_method<'a>(ms: f64, name: &str) -> Option<Value<'a>> {
    let days = (ms / 86_400_000.0).floor() as i64;
    // Milliseconds into the day: a whole number, as dates hold whole milliseconds.
    let in_day = (ms - days as f64 * 86_400_000.0) as i64;
    let (y, m, d) = civil_from_days(days);
    let n = |v: i64| Some(Value::Number(v as f64));
    match name
        .strip_prefix("getUTC")
        .or_else(|| name.strip_prefix("get"))
    {
        Some("Time") => Some(Value::Number(ms)),
        Some("FullYear") => n(y),
        Some("Month") => n(m - 1),
        Some("Date") => n(d),
        // 1970-01-01 was a Thursday (4).
        Some("Day") => n((days + 4).rem_euclid(7)),
        Some("Hours") => n(in_day / 3_600_000),
        Some("Minutes") => n(in_day / 60_000 % 60),
        Some("Seconds") => n(in_day / 1000 % 60),
        Some("Milliseconds") => n(in_day % 1000),
        Some("TimezoneOffset") => n(0),
        _ => match name {
            "valueOf" => Some(Value::Number(ms)),
            "toISOString" | "toJSON" => Some(Value::str(&iso_date(ms))),
            _ => None,
        },
    }
}

/// `Date.prototype.toISOString()`.
pub fn iso_date(ms: f64) -> String {
    let days = (ms / 86_400_000.0).floor() as i64;
    let rem = ms - days as f64 * 86_400_000.0;
    let (y, m, d) = civil_from_days(days);
    let rem = rem as i64;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_iso_strings() {
        assert_eq!(iso_date(0.0), "1970-01-01T00:00:00.000Z");
        let ms = parse_iso_date("2024-02-29T12:34:56.789Z").unwrap();
        assert_eq!(iso_date(ms), "2024-02-29T12:34:56.789Z");
        assert_eq!(
            iso_date(parse_iso_date("2020-01-01").unwrap()),
            "2020-01-01T00:00:00.000Z"
        );
        assert_eq!(
            iso_date(parse_iso_date("2020-01-01T10:00:00+02:00").unwrap()),
            "2020-01-01T08:00:00.000Z"
        );
    }
}
