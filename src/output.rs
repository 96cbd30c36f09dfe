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

    /// Whether output for people is coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// A spinner with `message` on stderr, on a terminal only (never with `--format json`).
    pub fn spinner(&self, message: &str) -> Progress {
        if !self.shows_progress() {
            return Progress(None);
        }
        let p = indicatif::ProgressBar::new_spinner().with_message(message.to_string());
        p.enable_steady_tick(std::time::Duration::from_millis(100));
        Progress(Some(p))
    }

    /// A bar of `len` steps with `message` on stderr, on a terminal only.
    pub fn bar(&self, len: u64, message: &str) -> Progress {
        if !self.shows_progress() {
            return Progress(None);
        }
        let style = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
        let p = indicatif::ProgressBar::new(len)
            .with_style(style)
            .with_message(message.to_string());
        Progress(Some(p))
    }

    fn shows_progress(&self) -> bool {
        self.format == Format::Human && std::io::stderr().is_terminal()
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

/// A progress display on a terminal (nothing elsewhere); cleared when finished or dropped.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn set(&self, pos: u64) {
        if let Some(p) = &self.0 {
            p.set_position(pos);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            p.finish_and_clear();
        }
    }
}
