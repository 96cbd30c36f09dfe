//! A model read from a live database, made comparable with the model of a schema.
//!
//! A database keeps some definitions in its own words: PostgreSQL prints a check as
//! `CHECK ((age > 0))` where the schema wrote `"users"."age" > 0`, and an index expression, a
//! partial index's `WHERE`, a generated column's expression, a policy's `USING` and a view's query
//! come back rewritten the same way. Where an entity of the same name is in both models, [`align`]
//! takes these texts from the schema's model, so that `push` sees no change in them (drizzle-kit's
//! push ignores them the same way). A changed check or index expression is therefore not pushed;
//! `build` sees it.

use super::pg::PgSnapshot;

/// Copies into `live` the texts a database rewrites, from the entities of the same name in
/// `desired`.
pub fn align(live: &mut PgSnapshot, desired: &PgSnapshot) {
    for (key, table) in live.tables.iter_mut() {
        let Some(want) = desired.tables.get(key) else {
            continue;
        };
        for (name, check) in table.check_constraints.iter_mut() {
            if let Some(w) = want.check_constraints.get(name) {
                check.value.clone_from(&w.value);
            }
        }
        for (name, index) in table.indexes.iter_mut() {
            let Some(w) = want.indexes.get(name) else {
                continue;
            };
            if index.columns.len() == w.columns.len() {
                for (c, wc) in index.columns.iter_mut().zip(&w.columns) {
                    if c.is_expression && wc.is_expression {
                        c.expression.clone_from(&wc.expression);
                    }
                }
            }
            if index.where_clause.is_some() && w.where_clause.is_some() {
                index.where_clause.clone_from(&w.where_clause);
            }
            // Not a property of the index: how it was created.
            index.concurrently = w.concurrently;
        }
        for (name, column) in table.columns.iter_mut() {
            let Some(w) = want.columns.get(name) else {
                continue;
            };
            if let (Some(g), Some(wg)) = (column.generated.as_mut(), w.generated.as_ref()) {
                g.expression.clone_from(&wg.expression);
            }
        }
        for (name, policy) in table.policies.iter_mut() {
            if let Some(w) = want.policies.get(name) {
                align_policy(policy, w);
            }
        }
    }
    for (name, policy) in live.policies.iter_mut() {
        if let Some(w) = desired.policies.get(name) {
            align_policy(policy, w);
        }
    }
    for (key, view) in live.views.iter_mut() {
        if let Some(w) = desired.views.get(key)
            && view.definition.is_some()
            && w.definition.is_some()
        {
            view.definition.clone_from(&w.definition);
        }
    }
}

fn align_policy(policy: &mut super::pg::Policy, want: &super::pg::Policy) {
    if policy.using.is_some() && want.using.is_some() {
        policy.using.clone_from(&want.using);
    }
    if policy.with_check.is_some() && want.with_check.is_some() {
        policy.with_check.clone_from(&want.with_check);
    }
}
