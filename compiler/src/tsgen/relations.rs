//! `relations.ts`: drizzle's `relations()` from the foreign keys. Each foreign key between two
//! tables of the model gives its table a `one` (named after the target, singular) and the target
//! a `many` (named after the source, plural); both sides carry the same `relationName` when a
//! table has more than one foreign key to the same target, or references itself, so that
//! drizzle can pair them.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::schema_file::{Namer, SchemaFile, entity_key};
use super::words::{self, member, string};

struct Relation {
    field: String,
    /// `one(...)` or `many(...)` text.
    call: String,
}

pub fn write(file: &SchemaFile) -> String {
    let model = file.model;
    // Per table key: its relations, in the order foreign keys are met.
    let mut per_table: IndexMap<String, Vec<Relation>> = IndexMap::new();
    let mut fields: HashMap<String, HashSet<String>> = HashMap::new();
    for k in model.tables.keys() {
        per_table.entry(k.clone()).or_default();
        // Relation fields must not hide the table's columns in query results.
        fields.insert(k.clone(), file.column_keys[k].values().cloned().collect());
    }
    let claim = |fields: &mut HashMap<String, HashSet<String>>, table: &str, base: &str| {
        let set = fields.entry(table.to_string()).or_default();
        let base = if base.is_empty() { "related" } else { base };
        let mut name = base.to_string();
        let mut n = 2;
        while set.contains(&name) || name == "__proto__" {
            name = format!("{base}{n}");
            n += 1;
        }
        set.insert(name.clone());
        name
    };
    for (k, t) in &model.tables {
        let from_var = &file.table_vars[k];
        let from_keys = &file.column_keys[k];
        for fk in t.foreign_keys.values() {
            let target = entity_key(fk.schema_to.as_deref(), &fk.table_to);
            let Some(to_var) = file.table_vars.get(&target) else {
                continue;
            };
            let to_keys = &file.column_keys[&target];
            let ambiguous = target == *k
                || t.foreign_keys
                    .values()
                    .filter(|f| entity_key(f.schema_to.as_deref(), &f.table_to) == target)
                    .count()
                    > 1;
            let relation_name = ambiguous.then(|| string(&fk.name));
            let refs = |var: &str, keys: &IndexMap<String, String>, cols: &[String]| {
                cols.iter()
                    .map(|c| member(var, keys.get(c).unwrap_or(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut one = format!(
                "one({to_var}, {{\n\t\tfields: [{}],\n\t\treferences: [{}],",
                refs(from_var, from_keys, &fk.columns_from),
                refs(to_var, to_keys, &fk.columns_to)
            );
            if let Some(r) = &relation_name {
                one.push_str(&format!("\n\t\trelationName: {r},"));
            }
            one.push_str("\n\t})");
            let one_base = if ambiguous {
                // `author` for `author_id`, else the target's name.
                let first = fk.columns_from.first().map(String::as_str).unwrap_or("");
                let stem = first
                    .strip_suffix("_id")
                    .or_else(|| first.strip_suffix("Id"))
                    .filter(|s| !s.is_empty());
                match stem {
                    Some(s) => words::variable(s, true),
                    None => format!(
                        "{}{}",
                        words::singular(to_var),
                        capitalized(&words::variable(first, true))
                    ),
                }
            } else {
                words::singular(to_var)
            };
            let field = claim(&mut fields, k, &one_base);
            per_table[k.as_str()].push(Relation { field, call: one });
            let many = match &relation_name {
                Some(r) => format!("many({from_var}, {{ relationName: {r} }})"),
                None => format!("many({from_var})"),
            };
            let many_base = if ambiguous {
                format!(
                    "{}{}",
                    words::plural(from_var),
                    capitalized(&words::variable(
                        fk.columns_from.first().map(String::as_str).unwrap_or(""),
                        true
                    ))
                )
            } else {
                words::plural(from_var)
            };
            let field = claim(&mut fields, &target, &many_base);
            per_table[target.as_str()].push(Relation { field, call: many });
        }
    }
    // Variable names: not the schema's exports (imported here), not each other.
    let mut namer = Namer::default();
    for v in file.table_vars.values() {
        namer.take(v);
    }
    let mut imports: Vec<&str> = Vec::new();
    let mut blocks = Vec::new();
    for (k, rels) in &per_table {
        if rels.is_empty() {
            continue;
        }
        let var = &file.table_vars[k];
        let name = namer.claim(&format!("{var}Relations"), "_");
        let has_one = rels.iter().any(|r| r.call.starts_with("one("));
        let has_many = rels.iter().any(|r| r.call.starts_with("many("));
        let params = match (has_one, has_many) {
            (true, true) => "{ one, many }",
            (true, false) => "{ one }",
            _ => "{ many }",
        };
        let mut s = format!("export const {name} = relations({var}, ({params}) => ({{\n");
        for r in rels {
            s.push_str(&format!("\t{}: {},\n", words::key(&r.field), r.call));
        }
        s.push_str("}));");
        blocks.push(s);
    }
    // Every table with a relation is named in its own `relations()` call.
    for k in model.tables.keys() {
        if !per_table[k.as_str()].is_empty() {
            imports.push(file.table_vars[k].as_str());
        }
    }
    let mut out = String::from("import { relations } from \"drizzle-orm/relations\";\n");
    if !imports.is_empty() {
        out.push_str(&format!(
            "import {{ {} }} from \"./schema\";\n",
            imports.join(", ")
        ));
    }
    for b in blocks {
        out.push('\n');
        out.push_str(&b);
        out.push('\n');
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
