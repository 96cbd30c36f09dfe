//! A module's export table, read from its syntax alone (no other module is needed), so it can be
//! computed per file and cached.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::ast::{Atom, Module, PatternKind, StmtKind};

/// What a module exports, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportTable {
    /// In source order.
    pub names: IndexMap<Atom, Export>,
    /// The specifiers of `export * from '...'`, in order.
    pub stars: Vec<Atom>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Export {
    /// A binding of the module itself (`*default*` for the default export).
    Local(Atom),
    /// Another module's export (`name`), or that module's namespace (`None`).
    Reexport { specifier: Atom, name: Option<Atom> },
}

fn pattern_names(p: &super::ast::Pattern, out: &mut Vec<Atom>) {
    match &p.kind {
        PatternKind::Ident(id) => out.push(id.name.clone()),
        PatternKind::Object { props, rest } => {
            props.iter().for_each(|pr| pattern_names(&pr.value, out));
            if let Some(r) = rest {
                pattern_names(r, out);
            }
        }
        PatternKind::Array { elems, rest } => {
            elems
                .iter()
                .flatten()
                .for_each(|e| pattern_names(&e.pattern, out));
            if let Some(r) = rest {
                pattern_names(r, out);
            }
        }
        PatternKind::Expr(_) | PatternKind::Error => {}
    }
}

/// The export table of a module.
pub fn export_table(module: &Module) -> ExportTable {
    let mut table = ExportTable::default();
    // Names imported into this module, for `export { imported }`.
    let mut imported: HashMap<&str, (&str, Option<Atom>)> = HashMap::new();
    for s in &module.body {
        if let StmtKind::Import(i) = &s.kind {
            let spec = i.source.value.as_str();
            if let Some(d) = &i.default {
                imported.insert(&d.name, (spec, Some("default".into())));
            }
            if let Some(ns) = &i.namespace {
                imported.insert(&ns.name, (spec, None));
            }
            for n in &i.named {
                imported.insert(&n.local.name, (spec, Some(n.imported.name.clone())));
            }
        }
    }
    let names = &mut table.names;
    let local = |n: &Atom| Export::Local(n.clone());
    for s in &module.body {
        match &s.kind {
            StmtKind::Var(v) if v.exported => {
                let mut found = Vec::new();
                v.decls
                    .iter()
                    .for_each(|d| pattern_names(&d.target, &mut found));
                for n in found {
                    names.insert(n.clone(), Export::Local(n));
                }
            }
            StmtKind::Function(f) if f.exported => {
                if let Some(n) = &f.func.name {
                    names.insert(n.name.clone(), local(&n.name));
                }
            }
            StmtKind::Class(c) if c.exported => {
                if let Some(n) = &c.name {
                    names.insert(n.name.clone(), local(&n.name));
                }
            }
            StmtKind::Enum(e) if e.exported => {
                names.insert(e.name.name.clone(), local(&e.name.name));
            }
            StmtKind::Namespace(n) if n.exported => {
                names.insert(n.name.name.clone(), local(&n.name.name));
            }
            // `export = x` is CommonJS's `module.exports = x` (the evaluator sets it): its
            // properties are the module's exports, and `x` the default of an `import`.
            StmtKind::ExportDefault(_) => {
                names.insert("default".into(), local(&Atom::from("*default*")));
            }
            StmtKind::ExportNamed(e) if !e.type_only => {
                for spec in e.specs.iter().filter(|s| !s.type_only) {
                    let entry = match &e.source {
                        Some(src) => Export::Reexport {
                            specifier: src.value.clone(),
                            name: Some(spec.local.name.clone()),
                        },
                        None => match imported.get(spec.local.name.as_str()) {
                            Some((specifier, name)) => Export::Reexport {
                                specifier: Atom::from(*specifier),
                                name: name.clone(),
                            },
                            None => local(&spec.local.name),
                        },
                    };
                    names.insert(spec.exported.name.clone(), entry);
                }
            }
            StmtKind::ExportAll(e) if !e.type_only => match &e.alias {
                Some(alias) => {
                    names.insert(
                        alias.name.clone(),
                        Export::Reexport {
                            specifier: e.source.value.clone(),
                            name: None,
                        },
                    );
                }
                None => table.stars.push(e.source.value.clone()),
            },
            _ => {}
        }
    }
    table
}
