//! `schema.ts`: names for every entity first (so that any declaration can refer to any other),
//! then the declarations in drizzle-kit's order: schemas, roles, enums, sequences, custom types
//! and referenced-only tables, tables, views, policies of tables outside the model.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;

use super::types::{self, Builder, ColumnType, Data};
use super::words::{self, json_literal, key, member, sql_template, string};
use crate::schema::Dialect;
use crate::snapshot::pg::{self, PgSnapshot};

/// Every name the generated files import: no variable may take one.
const IMPORTED: &[&str] = &[
    "pgTable",
    "pgSchema",
    "pgEnum",
    "pgSequence",
    "pgView",
    "pgMaterializedView",
    "pgRole",
    "pgPolicy",
    "mysqlTable",
    "mysqlView",
    "mysqlEnum",
    "sqliteTable",
    "sqliteView",
    "index",
    "uniqueIndex",
    "primaryKey",
    "foreignKey",
    "unique",
    "check",
    "customType",
    "integer",
    "smallint",
    "bigint",
    "serial",
    "smallserial",
    "bigserial",
    "boolean",
    "text",
    "real",
    "doublePrecision",
    "json",
    "jsonb",
    "uuid",
    "date",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "point",
    "line",
    "geometry",
    "vector",
    "halfvec",
    "sparsevec",
    "bit",
    "varchar",
    "char",
    "numeric",
    "timestamp",
    "time",
    "interval",
    "int",
    "tinyint",
    "mediumint",
    "decimal",
    "float",
    "double",
    "tinytext",
    "mediumtext",
    "longtext",
    "binary",
    "varbinary",
    "datetime",
    "year",
    "blob",
    "PgTableExtraConfigValue",
    "MySqlTableExtraConfigValue",
    "SQLiteTableExtraConfigValue",
];

/// Variable names in use in one module.
#[derive(Default)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    fn free(&self, n: &str) -> bool {
        !self.used.contains(n) && !words::is_reserved(n) && !IMPORTED.contains(&n)
    }

    /// `base`, or `base<suffix>`, or `base<suffix>2`, ...: the first one free, now taken.
    pub fn claim(&mut self, base: &str, suffix: &str) -> String {
        let mut name = base.to_string();
        if !self.free(&name) {
            name = format!("{base}{suffix}");
            let mut n = 2;
            while !self.free(&name) {
                name = format!("{base}{suffix}{n}");
                n += 1;
            }
        }
        self.used.insert(name.clone());
        name
    }

    pub fn take(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }
}

/// A table that foreign keys or policies name but the model does not hold: declared, not
/// exported, so that the references compile without adding a table.
struct Stub {
    var: String,
    schema: Option<String>,
    name: String,
    columns: IndexMap<String, pg::Column>,
}

pub struct SchemaFile<'m> {
    pub model: &'m PgSnapshot,
    pub dialect: Dialect,
    camel: bool,
    /// Schema name → variable, and whether it is exported (in the model's `schemas`).
    schema_vars: IndexMap<String, (String, bool)>,
    enum_vars: HashMap<String, String>,
    sequence_vars: HashMap<String, String>,
    role_vars: HashMap<String, String>,
    /// Table key (`schema.name`) → variable.
    pub table_vars: HashMap<String, String>,
    /// Table or view key → column name → key in the columns object.
    pub column_keys: HashMap<String, IndexMap<String, String>>,
    view_vars: HashMap<String, String>,
    policy_vars: HashMap<String, String>,
    custom_vars: IndexMap<String, String>,
    stubs: IndexMap<String, Stub>,
    imports: RefCell<BTreeSet<&'static str>>,
    uses_sql: RefCell<bool>,
    /// `desc(...)` from drizzle-orm: a descending key of a SQLite index (sqlite-core's index
    /// builder takes columns, not pg-core's `.desc()`).
    uses_desc: RefCell<bool>,
}

/// The model's key of a table or view in `schema` (`""` and `None` are `public`).
pub fn entity_key(schema: Option<&str>, name: &str) -> String {
    let s = match schema {
        None | Some("") => "public",
        Some(s) => s,
    };
    format!("{s}.{name}")
}

fn is_public(schema: &str) -> bool {
    schema.is_empty() || schema == "public"
}

impl<'m> SchemaFile<'m> {
    pub fn new(model: &'m PgSnapshot, dialect: Dialect, camel: bool) -> SchemaFile<'m> {
        let mut f = SchemaFile {
            model,
            dialect,
            camel,
            schema_vars: IndexMap::new(),
            enum_vars: HashMap::new(),
            sequence_vars: HashMap::new(),
            role_vars: HashMap::new(),
            table_vars: HashMap::new(),
            column_keys: HashMap::new(),
            view_vars: HashMap::new(),
            policy_vars: HashMap::new(),
            custom_vars: IndexMap::new(),
            stubs: IndexMap::new(),
            imports: RefCell::new(BTreeSet::new()),
            uses_sql: RefCell::new(false),
            uses_desc: RefCell::new(false),
        };
        let mut namer = Namer::default();
        f.name_entities(&mut namer);
        f
    }

    fn var(&self, name: &str, schema: &str) -> String {
        let base = if is_public(schema) {
            name.to_string()
        } else {
            let s = self
                .schema_vars
                .get(schema)
                .map_or_else(|| words::variable(schema, self.camel), |(v, _)| v.clone());
            let mut cap = s.chars();
            let cap: String = cap
                .next()
                .map(|c| c.to_uppercase().chain(cap).collect())
                .unwrap_or_default();
            format!("{name}In{cap}")
        };
        words::variable(&base, self.camel)
    }

    fn name_entities(&mut self, namer: &mut Namer) {
        let m = self.model;
        let pg = self.dialect == Dialect::Postgresql;
        if pg {
            // `pgSchema("public")` throws in drizzle: public is the default, never declared.
            for s in m.schemas.values().filter(|s| !is_public(s)) {
                let v = namer.claim(&words::variable(s, self.camel), "Schema");
                self.schema_vars.insert(s.clone(), (v, true));
            }
            // Schemas that tables, enums, sequences or views are in but the model does not list.
            let used = m
                .tables
                .values()
                .map(|t| t.schema.as_str())
                .chain(m.enums.values().map(|e| e.schema.as_str()))
                .chain(m.sequences.values().map(|s| s.schema.as_str()))
                .chain(m.views.values().map(|v| v.schema.as_str()))
                .collect::<Vec<_>>();
            for s in used {
                if !is_public(s) && !self.schema_vars.contains_key(s) {
                    let v = namer.claim(&words::variable(s, self.camel), "Schema");
                    self.schema_vars.insert(s.to_string(), (v, false));
                }
            }
            for (k, r) in &m.roles {
                let v = namer.claim(&words::variable(&r.name, self.camel), "Role");
                self.role_vars.insert(k.clone(), v);
            }
            for (k, e) in &m.enums {
                let v = namer.claim(&self.var(&e.name, &e.schema), "Enum");
                self.enum_vars.insert(k.clone(), v);
            }
            for (k, s) in &m.sequences {
                let v = namer.claim(&self.var(&s.name, &s.schema), "Sequence");
                self.sequence_vars.insert(k.clone(), v);
            }
        }
        for (k, t) in &m.tables {
            let v = namer.claim(&self.var(&t.name, &t.schema), "Table");
            self.table_vars.insert(k.clone(), v);
            self.column_keys
                .insert(k.clone(), self.keys(t.columns.values()));
        }
        for (k, v) in &m.views {
            let var = namer.claim(&self.var(&v.name, &v.schema), "View");
            self.view_vars.insert(k.clone(), var);
            self.column_keys
                .insert(k.clone(), self.keys(v.columns.values()));
        }
        for (k, p) in &m.policies {
            let var = namer.claim(&words::variable(&p.name, self.camel), "Policy");
            self.policy_vars.insert(k.clone(), var);
        }
        // Custom types, from every column's type.
        let columns = m
            .tables
            .values()
            .flat_map(|t| t.columns.values())
            .chain(m.views.values().flat_map(|v| v.columns.values()));
        for c in columns {
            if let Builder::Custom(ty) = types::map(self.dialect, c, &m.enums).builder
                && !self.custom_vars.contains_key(&ty)
            {
                let v = namer.claim(&words::variable(&ty, true), "Type");
                self.custom_vars.insert(ty, v);
            }
        }
        self.name_stubs(namer);
    }

    fn name_stubs(&mut self, namer: &mut Namer) {
        let m = self.model;
        for t in m.tables.values() {
            for fk in t.foreign_keys.values() {
                let key = entity_key(fk.schema_to.as_deref(), &fk.table_to);
                if m.tables.contains_key(&key) {
                    continue;
                }
                if !self.stubs.contains_key(&key) {
                    let schema = fk.schema_to.clone().filter(|s| !is_public(s));
                    let base = self.var_for_stub(&fk.table_to, schema.as_deref());
                    let stub = Stub {
                        var: namer.claim(&base, "Ref"),
                        schema,
                        name: fk.table_to.clone(),
                        columns: IndexMap::new(),
                    };
                    self.stubs.insert(key.clone(), stub);
                }
                let stub = &mut self.stubs[&key];
                for (from, to) in fk.columns_from.iter().zip(&fk.columns_to) {
                    if stub.columns.contains_key(to) {
                        continue;
                    }
                    let mut c = t.columns.get(from).cloned().unwrap_or_else(|| pg::Column {
                        name: to.clone(),
                        sql_type: "integer".into(),
                        type_schema: None,
                        primary_key: false,
                        not_null: false,
                        generated: None,
                        identity: None,
                        default: None,
                        autoincrement: None,
                        on_update: None,
                    });
                    c.name = to.clone();
                    c.primary_key = false;
                    c.not_null = false;
                    c.generated = None;
                    c.identity = None;
                    c.default = None;
                    c.autoincrement = None;
                    c.on_update = None;
                    stub.columns.insert(to.clone(), c);
                }
            }
        }
        for p in m.policies.values() {
            let Some((schema, table)) = p.on.as_deref().and_then(split_qualified) else {
                continue;
            };
            let key = entity_key(Some(&schema), &table);
            if m.tables.contains_key(&key) {
                continue;
            }
            if !self.stubs.contains_key(&key) {
                let schema = Some(schema).filter(|s| !is_public(s));
                let base = self.var_for_stub(&table, schema.as_deref());
                self.stubs.insert(
                    key,
                    Stub {
                        var: namer.claim(&base, "Ref"),
                        schema,
                        name: table,
                        columns: IndexMap::new(),
                    },
                );
            }
        }
        // Schemas of stubs that have no variable yet.
        let missing: Vec<String> = self
            .stubs
            .values()
            .filter_map(|s| s.schema.clone())
            .filter(|s| !self.schema_vars.contains_key(s))
            .collect();
        for s in missing {
            // Several stubs may be in one schema.
            if self.schema_vars.contains_key(&s) {
                continue;
            }
            let v = namer.claim(&words::variable(&s, self.camel), "Schema");
            self.schema_vars.insert(s, (v, false));
        }
    }

    fn var_for_stub(&self, name: &str, schema: Option<&str>) -> String {
        self.var(name, schema.unwrap_or(""))
    }

    /// Keys of a columns object: the camel-cased (or kept) names, unique, never `__proto__`.
    fn keys<'a>(&self, columns: impl Iterator<Item = &'a pg::Column>) -> IndexMap<String, String> {
        let mut out = IndexMap::new();
        let mut used = HashSet::new();
        used.insert("__proto__".to_string());
        for c in columns {
            let preferred = if self.camel {
                crate::schema::Casing::CamelCase.apply(&c.name)
            } else {
                c.name.clone()
            };
            let mut k = [preferred, c.name.clone()]
                .into_iter()
                .find(|k| !k.is_empty() && !used.contains(k))
                .unwrap_or_else(|| c.name.clone());
            let base = k.clone();
            let mut n = 2;
            while used.contains(&k) {
                k = format!("{base}_{n}");
                n += 1;
            }
            used.insert(k.clone());
            out.insert(c.name.clone(), k);
        }
        out
    }

    fn import(&self, name: &'static str) -> &'static str {
        self.imports.borrow_mut().insert(name);
        name
    }

    fn sql(&self, text: &str) -> String {
        *self.uses_sql.borrow_mut() = true;
        sql_template(text)
    }

    /// The whole `schema.ts`.
    pub fn write(&self) -> String {
        let mut blocks: Vec<String> = Vec::new();
        let m = self.model;
        for (s, (v, exported)) in &self.schema_vars {
            let export = if *exported { "export " } else { "" };
            blocks.push(format!(
                "{export}const {v} = {}({});",
                self.import("pgSchema"),
                string(s)
            ));
        }
        for (k, r) in &m.roles {
            let mut opts = Vec::new();
            if r.create_db {
                opts.push("createDb: true");
            }
            if r.create_role {
                opts.push("createRole: true");
            }
            if !r.inherit {
                opts.push("inherit: false");
            }
            let opts = if opts.is_empty() {
                String::new()
            } else {
                format!(", {{ {} }}", opts.join(", "))
            };
            blocks.push(format!(
                "export const {} = {}({}{opts});",
                self.role_vars[k],
                self.import("pgRole"),
                string(&r.name)
            ));
        }
        for (k, e) in &m.enums {
            let values: Vec<String> = e.values.iter().map(|v| string(v)).collect();
            // drizzle's types want at least one value; a database enum may have none.
            let values = if values.is_empty() {
                "[] as unknown as [string]".to_string()
            } else {
                format!("[{}]", values.join(", "))
            };
            blocks.push(format!(
                "export const {} = {}({}, {values});",
                self.enum_vars[k],
                self.in_schema(&e.schema, "pgEnum", "enum"),
                string(&e.name),
            ));
        }
        for (k, s) in &m.sequences {
            let o = &s.options;
            blocks.push(format!(
                "export const {} = {}({}, {{ startWith: {}, increment: {}, minValue: {}, maxValue: {}, cache: {}, cycle: {} }});",
                self.sequence_vars[k],
                self.in_schema(&s.schema, "pgSequence", "sequence"),
                string(&s.name),
                string(&o.start_with),
                string(&o.increment),
                string(&o.min_value),
                string(&o.max_value),
                string(&o.cache),
                o.cycle
            ));
        }
        for (ty, v) in &self.custom_vars {
            blocks.push(format!(
                "// A type no builder of drizzle-orm makes: declared with customType.\nconst {v} = {}<{{ data: string }}>({{\n\tdataType() {{\n\t\treturn {};\n\t}},\n}});",
                self.import("customType"),
                string(ty)
            ));
        }
        for stub in self.stubs.values() {
            blocks.push(self.stub(stub));
        }
        for (k, t) in &m.tables {
            blocks.push(self.table(k, t));
        }
        for (k, v) in &m.views {
            blocks.push(self.view(k, v));
        }
        for (k, p) in &m.policies {
            let target =
                p.on.as_deref()
                    .and_then(split_qualified)
                    .map(|(s, t)| entity_key(Some(&s), &t))
                    .and_then(|key| {
                        self.table_vars
                            .get(&key)
                            .or_else(|| self.stubs.get(&key).map(|s| &s.var))
                    });
            let link = target.map_or(String::new(), |t| format!(".link({t})"));
            blocks.push(format!(
                "export const {} = {}{link};",
                self.policy_vars[k],
                self.policy(p)
            ));
        }
        let mut out = String::new();
        let imports = self.imports.borrow();
        if !imports.is_empty() {
            let names: Vec<&str> = imports.iter().copied().collect();
            out.push_str(&format!(
                "import {{ {} }} from \"{}\";\n",
                names.join(", "),
                self.core_module()
            ));
        }
        let orm: Vec<&str> = [
            (*self.uses_desc.borrow(), "desc"),
            (*self.uses_sql.borrow(), "sql"),
        ]
        .into_iter()
        .filter_map(|(used, name)| used.then_some(name))
        .collect();
        if !orm.is_empty() {
            out.push_str(&format!(
                "import {{ {} }} from \"drizzle-orm\";\n",
                orm.join(", ")
            ));
        }
        for b in blocks {
            out.push('\n');
            out.push_str(&b);
            out.push('\n');
        }
        out
    }

    fn core_module(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgresql => "drizzle-orm/pg-core",
            Dialect::Mysql => "drizzle-orm/mysql-core",
            Dialect::Sqlite => "drizzle-orm/sqlite-core",
        }
    }

    /// `pgEnum` or `authSchema.enum`: the function declaring an entity in `schema`.
    fn in_schema(&self, schema: &str, public: &'static str, method: &str) -> String {
        match self.schema_vars.get(schema) {
            Some((v, _)) if !is_public(schema) => format!("{v}.{method}"),
            _ => self.import(public).to_string(),
        }
    }

    fn table_function(&self, schema: &str) -> String {
        match self.dialect {
            Dialect::Postgresql => self.in_schema(schema, "pgTable", "table"),
            Dialect::Mysql => self.import("mysqlTable").into(),
            Dialect::Sqlite => self.import("sqliteTable").into(),
        }
    }

    fn stub(&self, stub: &Stub) -> String {
        let mut s = format!(
            "// Named by foreign keys or policies but not part of this schema: not exported.\nconst {} = {}({}, {{",
            stub.var,
            self.table_function(stub.schema.as_deref().unwrap_or("")),
            string(&stub.name)
        );
        let keys = self.keys(stub.columns.values());
        for (name, c) in &stub.columns {
            let k = &keys[name];
            let (_, expr) = self.column(k, c, false);
            s.push_str(&format!("\n\t{}: {expr},", key(k)));
        }
        if !stub.columns.is_empty() {
            s.push('\n');
        }
        s.push_str("});");
        s
    }

    fn table(&self, k: &str, t: &pg::Table) -> String {
        let keys = &self.column_keys[k];
        // MySQL keeps a column's `.primaryKey()` as a primary key `<table>_<column>`.
        let inline_pk: Option<&str> = match self.dialect {
            Dialect::Mysql => t
                .composite_primary_keys
                .values()
                .find(|pk| {
                    pk.columns.len() == 1 && pk.name == format!("{}_{}", t.name, pk.columns[0])
                })
                .map(|pk| pk.columns[0].as_str()),
            _ => None,
        };
        let mut s = format!(
            "export const {} = {}({}, {{\n",
            self.table_vars[k],
            self.table_function(&t.schema),
            string(&t.name)
        );
        // SQLite: a nullable primary key column (SQLite allows one) is a one-column
        // `primaryKey()` of the table; `.primaryKey()` would make it NOT NULL.
        let nullable_pk = |c: &pg::Column| {
            self.dialect == Dialect::Sqlite
                && c.primary_key
                && !c.not_null
                && c.autoincrement != Some(true)
        };
        for (name, c) in &t.columns {
            let ck = &keys[name];
            let primary_key = match self.dialect {
                Dialect::Mysql => inline_pk == Some(name.as_str()),
                _ => c.primary_key && !nullable_pk(c),
            };
            let (comment, expr) = self.column(ck, c, primary_key);
            if let Some(comment) = comment {
                s.push_str(&format!("\t{comment}\n"));
            }
            s.push_str(&format!("\t{}: {expr},\n", key(ck)));
        }
        s.push('}');
        let mut items = Vec::new();
        for i in t.indexes.values() {
            items.push(self.index(keys, i));
        }
        for fk in t.foreign_keys.values() {
            items.push(self.foreign_key(k, keys, fk));
        }
        for c in t.columns.values().filter(|c| nullable_pk(c)) {
            items.push(format!(
                "{}({{ columns: [{}] }})",
                self.import("primaryKey"),
                self.column_refs("table", keys, std::slice::from_ref(&c.name))
            ));
        }
        for pk in t.composite_primary_keys.values() {
            if inline_pk.is_some()
                && pk.columns.len() == 1
                && inline_pk == Some(pk.columns[0].as_str())
            {
                continue;
            }
            items.push(format!(
                "{}({{ columns: [{}], name: {} }})",
                self.import("primaryKey"),
                self.column_refs("table", keys, &pk.columns),
                string(&pk.name)
            ));
        }
        for u in t.unique_constraints.values() {
            let nnd = if u.nulls_not_distinct && self.dialect == Dialect::Postgresql {
                ".nullsNotDistinct()"
            } else {
                ""
            };
            items.push(format!(
                "{}({}).on({}){nnd}",
                self.import("unique"),
                string(&u.name),
                self.column_refs("table", keys, &u.columns)
            ));
        }
        for c in t.check_constraints.values() {
            items.push(format!(
                "{}({}, {})",
                self.import("check"),
                string(&c.name),
                self.sql(&c.value)
            ));
        }
        for p in t.policies.values() {
            items.push(self.policy(p));
        }
        if !items.is_empty() {
            // A foreign key to another table can close a cycle of initializers, which tsc can
            // only type (TS7022) when the callback's return type is written out.
            let cycle_possible = t.foreign_keys.values().any(|fk| {
                let target = entity_key(fk.schema_to.as_deref(), &fk.table_to);
                target != k && self.table_vars.contains_key(&target)
            });
            if cycle_possible {
                let ty = self.import(match self.dialect {
                    Dialect::Postgresql => "type PgTableExtraConfigValue",
                    Dialect::Mysql => "type MySqlTableExtraConfigValue",
                    Dialect::Sqlite => "type SQLiteTableExtraConfigValue",
                });
                let ty = ty.trim_start_matches("type ");
                s.push_str(&format!(", (table): {ty}[] => [\n"));
            } else {
                s.push_str(", (table) => [\n");
            }
            for i in items {
                s.push_str(&format!("\t{i},\n"));
            }
            s.push(']');
        }
        s.push(')');
        if t.is_rls_enabled {
            s.push_str(".enableRLS()");
        }
        s.push(';');
        s
    }

    /// `table.a, table.b`: columns by their keys (a name the table does not have is written as
    /// its name, which tsc then reports).
    fn column_refs(
        &self,
        object: &str,
        keys: &IndexMap<String, String>,
        columns: &[String],
    ) -> String {
        columns
            .iter()
            .map(|c| member(object, keys.get(c).unwrap_or(c)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A column's builder call and modifiers, and the comment line above it; `primary_key`:
    /// whether to write `.primaryKey()`.
    fn column(&self, k: &str, c: &pg::Column, primary_key: bool) -> (Option<&'static str>, String) {
        let ty = types::map(self.dialect, c, &self.model.enums);
        let callee = match &ty.builder {
            Builder::Core(n) => self.import(n).to_string(),
            Builder::Enum(key) => self.enum_vars.get(key).cloned().unwrap_or_default(),
            Builder::Custom(t) => self.custom_vars.get(t).cloned().unwrap_or_default(),
        };
        let mut args = Vec::new();
        if k != c.name {
            args.push(string(&c.name));
        }
        if let Some(values) = &ty.values {
            let v: Vec<String> = values.iter().map(|v| string(v)).collect();
            args.push(format!("[{}]", v.join(", ")));
        }
        if !ty.options.is_empty() {
            let o: Vec<String> = ty
                .options
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            args.push(format!("{{ {} }}", o.join(", ")));
        }
        let mut e = format!("{callee}({})", args.join(", "));
        for a in &ty.arrays {
            e.push_str(&format!(".array({})", a.as_deref().unwrap_or("")));
        }
        let autoincrement = c.autoincrement == Some(true);
        if primary_key {
            if self.dialect == Dialect::Sqlite && autoincrement {
                e.push_str(".primaryKey({ autoIncrement: true })");
            } else {
                e.push_str(".primaryKey()");
            }
        }
        if self.dialect == Dialect::Mysql && autoincrement && ty.builder != Builder::Core("serial")
        {
            e.push_str(".autoincrement()");
        }
        if let Some(d) = &c.default {
            e.push_str(&self.default(d, c, &ty));
        }
        if self.dialect == Dialect::Mysql
            && c.on_update == Some(true)
            && ty.builder == Builder::Core("timestamp")
        {
            e.push_str(".onUpdateNow()");
        }
        if c.not_null {
            e.push_str(".notNull()");
        }
        if let Some(i) = &c.identity {
            let o = &i.options;
            let mut opts = vec![format!("name: {}", string(&i.name))];
            for (name, v) in [
                ("startWith", &o.start_with),
                ("increment", &o.increment),
                ("minValue", &o.min_value),
                ("maxValue", &o.max_value),
                ("cache", &o.cache),
            ] {
                opts.push(format!("{name}: {}", number_or_string(v)));
            }
            if o.cycle {
                opts.push("cycle: true".into());
            }
            let method = if i.kind == "always" {
                "generatedAlwaysAsIdentity"
            } else {
                "generatedByDefaultAsIdentity"
            };
            e.push_str(&format!(".{method}({{ {} }})", opts.join(", ")));
        }
        if let Some(g) = &c.generated {
            let expr = match self.dialect {
                // The model holds SQLite's expression in the parentheses drizzle-kit adds.
                Dialect::Sqlite => g
                    .expression
                    .strip_prefix('(')
                    .and_then(|x| x.strip_suffix(')'))
                    .unwrap_or(&g.expression),
                _ => &g.expression,
            };
            let mode = if self.dialect != Dialect::Postgresql && g.kind == "stored" {
                ", { mode: \"stored\" }"
            } else {
                ""
            };
            e.push_str(&format!(".generatedAlwaysAs({}{mode})", self.sql(expr)));
        }
        (ty.comment, e)
    }

    /// `.default(...)`: a literal where the builder takes one and it gives the same text, else
    /// `sql`.
    fn default(&self, d: &pg::Default, c: &pg::Column, ty: &ColumnType) -> String {
        let sql = |text: &str| format!(".default({})", self.sql(text));
        match d {
            pg::Default::Null => ".default(null)".into(),
            // JSON is JavaScript (a snapshot's point or vector value; introspection gives SQL).
            pg::Default::Value(v) => format!(".default({v})"),
            pg::Default::Bool(b) => match ty.data {
                Data::Bool => format!(".default({b})"),
                _ => sql(&b.to_string()),
            },
            pg::Default::Number(n) => match ty.data {
                // An integer a JavaScript number cannot hold (past 2^53) would compile to
                // another value: its digits are kept in `sql`.
                Data::Number if !exact_in_javascript(n) => sql(n),
                Data::Number => format!(".default({n})"),
                Data::BigInt if n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                    format!(".default({n}n)")
                }
                _ => sql(n),
            },
            pg::Default::Sql(s) => {
                if ty.now == Some(s.as_str()) {
                    return ".defaultNow()".into();
                }
                if ty.random == Some(s.as_str()) {
                    return ".defaultRandom()".into();
                }
                // MySQL wraps literal defaults of text, json and blob columns in parentheses.
                let wrapped = self.dialect == Dialect::Mysql
                    && (c.sql_type == "text"
                        || c.sql_type.starts_with("json")
                        || c.sql_type.starts_with("blob"));
                let literal = if wrapped {
                    s.strip_prefix('(')
                        .and_then(|x| x.strip_suffix(')'))
                        .and_then(unquote)
                } else {
                    unquote(s)
                };
                match (&ty.data, literal) {
                    (Data::Text, Some(v)) => format!(".default({})", string(&v)),
                    (Data::OneOf(values), Some(v)) if values.contains(&v) => {
                        format!(".default({})", string(&v))
                    }
                    (Data::Json, _) => match self.json_default(s, c, wrapped) {
                        Some(v) => format!(".default({v})"),
                        None => sql(s),
                    },
                    _ => sql(s),
                }
            }
        }
    }

    /// A JSON default as a JavaScript value, when drizzle would write exactly `s` for it. Not
    /// a JSON string: drizzle writes a string default as the SQL text itself (`.default("x")`
    /// is `'x'`, which is no JSON), so `'"x"'::json` stays `sql`.
    fn json_default(&self, s: &str, c: &pg::Column, wrapped: bool) -> Option<String> {
        let inner = match self.dialect {
            Dialect::Postgresql => unquote(s.strip_suffix(&format!("::{}", c.sql_type))?)?,
            _ if wrapped => unquote(s.strip_prefix('(')?.strip_suffix(')')?)?,
            _ => unquote(s)?,
        };
        let v: serde_json::Value = serde_json::from_str(&inner).ok()?;
        if v.is_string() {
            return None;
        }
        (serde_json::to_string(&v).ok()? == inner).then(|| json_literal(&v))
    }

    fn index(&self, keys: &IndexMap<String, String>, i: &pg::Index) -> String {
        let f = self.import(if i.is_unique { "uniqueIndex" } else { "index" });
        let pg = self.dialect == Dialect::Postgresql;
        let cols: Vec<String> = i
            .columns
            .iter()
            .map(|c| {
                if c.is_expression || !keys.contains_key(&c.expression) {
                    return self.sql(&c.expression);
                }
                let mut e = member("table", &keys[&c.expression]);
                if pg {
                    if !c.asc {
                        e.push_str(".desc()");
                    }
                    if c.nulls == "first" {
                        e.push_str(".nullsFirst()");
                    }
                    if let Some(op) = &c.opclass {
                        e.push_str(&format!(".op({})", string(op)));
                    }
                } else if !c.asc && self.dialect == Dialect::Sqlite {
                    *self.uses_desc.borrow_mut() = true;
                    e = format!("desc({e})");
                }
                e
            })
            .collect();
        let cols = cols.join(", ");
        let mut s = format!("{f}({})", string(&i.name));
        if pg && i.method != "btree" && !i.method.is_empty() {
            s.push_str(&format!(".using({}, {cols})", string(&i.method)));
        } else {
            s.push_str(&format!(".on({cols})"));
        }
        match self.dialect {
            Dialect::Postgresql => {
                if i.concurrently {
                    s.push_str(".concurrently()");
                }
                if !i.with.is_empty() {
                    let o: Vec<String> = i
                        .with
                        .iter()
                        .map(|(k, v)| format!("{}: {}", key(k), json_literal(v)))
                        .collect();
                    s.push_str(&format!(".with({{ {} }})", o.join(", ")));
                }
            }
            Dialect::Mysql => {
                if !i.method.is_empty() {
                    s.push_str(&format!(".using({})", string(&i.method)));
                }
                if let Some(a) = &i.algorithm {
                    s.push_str(&format!(".algorithm({})", string(a)));
                }
                if let Some(l) = &i.lock {
                    s.push_str(&format!(".lock({})", string(l)));
                }
            }
            Dialect::Sqlite => {}
        }
        if let Some(w) = &i.where_clause
            && self.dialect != Dialect::Mysql
        {
            s.push_str(&format!(".where({})", self.sql(w)));
        }
        s
    }

    fn foreign_key(
        &self,
        table_key: &str,
        keys: &IndexMap<String, String>,
        fk: &pg::ForeignKey,
    ) -> String {
        let target = entity_key(fk.schema_to.as_deref(), &fk.table_to);
        let foreign = if target == table_key {
            self.column_refs("table", keys, &fk.columns_to)
        } else if let Some(v) = self.table_vars.get(&target) {
            self.column_refs(v, &self.column_keys[&target], &fk.columns_to)
        } else if let Some(stub) = self.stubs.get(&target) {
            let stub_keys = self.keys(stub.columns.values());
            self.column_refs(&stub.var, &stub_keys, &fk.columns_to)
        } else {
            String::new()
        };
        let mut s = format!(
            "{}({{\n\t\tcolumns: [{}],\n\t\tforeignColumns: [{foreign}],\n\t\tname: {},\n\t}})",
            self.import("foreignKey"),
            self.column_refs("table", keys, &fk.columns_from),
            string(&fk.name)
        );
        for (method, action) in [("onUpdate", &fk.on_update), ("onDelete", &fk.on_delete)] {
            if let Some(a) = action
                && a != "no action"
            {
                s.push_str(&format!(".{method}({})", string(a)));
            }
        }
        s
    }

    fn policy(&self, p: &pg::Policy) -> String {
        let mut opts = Vec::new();
        if let Some(a) = &p.as_
            && a != "PERMISSIVE"
        {
            opts.push(format!("as: {}", string(&a.to_lowercase())));
        }
        if let Some(f) = &p.for_
            && f != "ALL"
        {
            opts.push(format!("for: {}", string(&f.to_lowercase())));
        }
        if let Some(to) = &p.to
            && to.as_slice() != ["public"]
        {
            let roles: Vec<String> = to.iter().map(|r| string(r)).collect();
            opts.push(format!("to: [{}]", roles.join(", ")));
        }
        if let Some(u) = &p.using {
            opts.push(format!("using: {}", self.sql(u)));
        }
        if let Some(w) = &p.with_check {
            opts.push(format!("withCheck: {}", self.sql(w)));
        }
        let opts = if opts.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", opts.join(", "))
        };
        format!("{}({}{opts})", self.import("pgPolicy"), string(&p.name))
    }

    fn view(&self, k: &str, v: &pg::View) -> String {
        let keys = &self.column_keys[k];
        let function = match self.dialect {
            Dialect::Postgresql if v.materialized => {
                self.in_schema(&v.schema, "pgMaterializedView", "materializedView")
            }
            Dialect::Postgresql => self.in_schema(&v.schema, "pgView", "view"),
            Dialect::Mysql => self.import("mysqlView").into(),
            Dialect::Sqlite => self.import("sqliteView").into(),
        };
        let mut s = format!(
            "export const {} = {function}({}, {{",
            self.view_vars[k],
            string(&v.name)
        );
        for (name, c) in &v.columns {
            let ck = &keys[name];
            let (comment, expr) = self.column(ck, c, c.primary_key);
            if let Some(comment) = comment {
                s.push_str(&format!("\n\t{comment}"));
            }
            s.push_str(&format!("\n\t{}: {expr},", key(ck)));
        }
        if !v.columns.is_empty() {
            s.push('\n');
        }
        s.push_str("})");
        let with = v.with.as_ref();
        match self.dialect {
            Dialect::Postgresql => {
                if let Some(u) = &v.using {
                    s.push_str(&format!(".using({})", string(u)));
                }
                if let Some(t) = &v.tablespace {
                    s.push_str(&format!(".tablespace({})", string(t)));
                }
                if let Some(w) = with.filter(|w| !w.is_empty()) {
                    let o: Vec<String> = w
                        .iter()
                        .map(|(k, v)| format!("{}: {}", key(k), json_literal(v)))
                        .collect();
                    s.push_str(&format!(".with({{ {} }})", o.join(", ")));
                }
                if v.with_no_data == Some(true) {
                    s.push_str(".withNoData()");
                }
            }
            Dialect::Mysql => {
                let get = |name: &str| with.and_then(|w| w.get(name)).and_then(|v| v.as_str());
                for (option, method, default) in [
                    ("algorithm", "algorithm", Some("undefined")),
                    ("sqlSecurity", "sqlSecurity", Some("definer")),
                    ("withCheckOption", "withCheckOption", None),
                ] {
                    if let Some(value) = get(option)
                        && Some(value) != default
                    {
                        s.push_str(&format!(".{method}({})", string(value)));
                    }
                }
            }
            Dialect::Sqlite => {}
        }
        match &v.definition {
            Some(d) if !v.is_existing => s.push_str(&format!(".as({})", self.sql(d))),
            _ => s.push_str(".existing()"),
        }
        s.push(';');
        s
    }
}

/// `'it''s'` → `it's`; `None` when `s` is not one single-quoted SQL string.
fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// `"schema"."table"` → (`schema`, `table`).
fn split_qualified(on: &str) -> Option<(String, String)> {
    let inner = on.strip_prefix('"')?.strip_suffix('"')?;
    let (s, t) = inner.split_once("\".\"")?;
    Some((s.replace("\"\"", "\""), t.replace("\"\"", "\"")))
}

/// A sequence parameter: a number when JavaScript holds it exactly, else its string.
fn number_or_string(v: &str) -> String {
    match v.parse::<i64>() {
        Ok(n) if n.unsigned_abs() < (1u64 << 53) => n.to_string(),
        _ => string(v),
    }
}

/// Whether a JSON number's text is the number JavaScript reads from it: false for integers past
/// 2^53 that a double rounds (`9007199254740993`).
fn exact_in_javascript(n: &str) -> bool {
    let digits = n.strip_prefix('-').unwrap_or(n);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    n.parse::<f64>()
        .is_ok_and(|f| crate::eval::value::number_to_string(f) == n)
}
