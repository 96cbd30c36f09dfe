//! Builders of Schema IR values for unit tests: a column or table with everything else at its
//! default, located in `schema.ts`.

use std::path::Path;
use std::sync::Arc;

use super::{Column, Index, IndexColumn, Table};
use crate::diagnostics::Location;
use crate::span::Span;

pub fn loc() -> Location {
    Location {
        file: Arc::from(Path::new("schema.ts")),
        span: Span::default(),
    }
}

pub fn col(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        sql_type: ty.into(),
        enum_schema: None,
        primary_key: false,
        not_null: false,
        default: None,
        generated: None,
        identity: None,
        auto_increment: false,
        on_update_now: false,
        origin: loc(),
    }
}

pub fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        schema: None,
        name: name.into(),
        columns,
        primary_key: None,
        foreign_keys: vec![],
        uniques: vec![],
        checks: vec![],
        indexes: vec![],
        policies: vec![],
        rls_enabled: false,
        origin: loc(),
    }
}

/// A plain unique index (btree, ascending) on `columns`.
pub fn unique_index(name: &str, columns: &[&str]) -> Index {
    Index {
        name: name.into(),
        unique: true,
        columns: columns
            .iter()
            .map(|c| IndexColumn {
                expression: (*c).into(),
                is_expression: false,
                asc: true,
                nulls_first: false,
                opclass: None,
            })
            .collect(),
        method: "btree".into(),
        concurrently: false,
        with: vec![],
        where_clause: None,
        algorithm: None,
        lock: None,
        origin: loc(),
    }
}
