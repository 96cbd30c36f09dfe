//! Where results and diagnostics go: diagnostics to stderr for people (coloured on a terminal),
//! or everything as one JSON document on stdout with `--format json`.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use schemac_compiler::diagnostics::{Diagnostic, render};

use crate::{Color, Format};

pub struct Output {
    pub format: Format,
    color: bool,
    pub cwd: PathBuf,
}

impl Output {
    pub fn new(format: Format, color: Color) -> Output {
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Output {
            format,
            color,
            cwd: std::env::current_dir().unwrap_or_default(),
        }
    }

    /// Prints diagnostics for people (no-op in JSON mode, where they go in the document).
    pub fn diagnostics(&self, diags: &[Diagnostic], sources: &HashMap<PathBuf, String>) {
        if self.format == Format::Json || diags.is_empty() {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = render::terminal(&mut err, diags, sources, &self.cwd, self.color);
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        let mut summary = Vec::new();
        if errors > 0 {
            summary.push(format!(
                "{errors} error{}",
                if errors == 1 { "" } else { "s" }
            ));
        }
        if warnings > 0 {
            summary.push(format!(
                "{warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            ));
        }
        let _ = writeln!(err, "{}", summary.join(", "));
    }

    /// Prints the JSON document of a command: `extra` fields plus `diagnostics`.
    pub fn json(
        &self,
        diags: &[Diagnostic],
        sources: &HashMap<PathBuf, String>,
        extra: serde_json::Value,
    ) {
        let mut doc = render::json(diags, sources, &self.cwd);
        if let (Some(obj), serde_json::Value::Object(more)) = (doc.as_object_mut(), extra) {
            for (k, v) in more {
                obj.insert(k, v);
            }
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    }
}
