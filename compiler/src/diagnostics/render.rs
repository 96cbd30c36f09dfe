//! Renders diagnostics for people (ariadne, with colour on a terminal) and machines (JSON).

use std::io::Write;
use std::path::Path;

use ariadne::{Color, Config, IndexType, Label as ALabel, Report, ReportKind, Source};
use serde::Serialize;

use super::{Diagnostic, LineIndex, Severity, SourceTexts};

/// Writes diagnostics for a terminal. Paths are shown relative to `cwd` when they are under it.
pub fn terminal(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &dyn SourceTexts,
    cwd: &Path,
    color: bool,
) -> std::io::Result<()> {
    for d in diags {
        write_one(out, d, sources, cwd, color)?;
    }
    Ok(())
}

fn display_path(file: &Path, cwd: &Path) -> String {
    file.strip_prefix(cwd).unwrap_or(file).display().to_string()
}

fn write_one(
    out: &mut dyn Write,
    d: &Diagnostic,
    sources: &dyn SourceTexts,
    cwd: &Path,
    color: bool,
) -> std::io::Result<()> {
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    // ariadne draws one source per report well; labels in other files are listed as notes
    // with their line:column so nothing is lost.
    let primary = d.labels.first();
    let primary_text = primary.and_then(|l| sources.text(&l.location.file));
    let (Some(primary), Some(text)) = (primary, primary_text) else {
        return write_plain(out, d, sources, cwd);
    };
    let name = display_path(&primary.location.file, cwd);
    let config = Config::new()
        .with_index_type(IndexType::Byte)
        .with_color(color);
    let clamp = |r: std::ops::Range<usize>| {
        let end = r.end.min(text.len());
        let start = r.start.min(end);
        start..end
    };
    let mut report = Report::build(kind, (name.clone(), clamp(primary.location.span.range())))
        .with_config(config)
        .with_code(d.code)
        .with_message(&d.message);
    let mut notes = d.notes.clone();
    for (i, label) in d.labels.iter().enumerate() {
        if label.location.file == primary.location.file {
            // In the order of the file: ariadne starts a new section (headed by the primary
            // location again) at a label on an earlier line than the one before it.
            let order = i32::try_from(label.location.span.start).unwrap_or(i32::MAX);
            let mut l = ALabel::new((name.clone(), clamp(label.location.span.range())))
                .with_message(&label.message)
                .with_order(order);
            if color {
                l = l.with_color(if i == 0 { Color::Red } else { Color::Blue });
            }
            report = report.with_label(l);
        } else {
            notes.push(format!(
                "{}: {}",
                location_text(&label.location, sources, cwd),
                label.message
            ));
        }
    }
    for n in notes {
        report = report.with_note(n);
    }
    if let Some(h) = &d.help {
        report = report.with_help(h);
    }
    let mut buf = Vec::new();
    report
        .finish()
        .write((name, Source::from(text)), &mut buf)?;
    out.write_all(&buf)
}

/// `path:line:column` of a location.
fn location_text(loc: &super::Location, sources: &dyn SourceTexts, cwd: &Path) -> String {
    let path = display_path(&loc.file, cwd);
    match sources.text(&loc.file) {
        Some(text) => {
            let (line, col) = LineIndex::new(text).line_col(loc.span.start as usize);
            format!("{path}:{line}:{col}")
        }
        None => path,
    }
}

fn write_plain(
    out: &mut dyn Write,
    d: &Diagnostic,
    sources: &dyn SourceTexts,
    cwd: &Path,
) -> std::io::Result<()> {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    writeln!(out, "{sev}[{}]: {}", d.code, d.message)?;
    for label in &d.labels {
        writeln!(
            out,
            "  --> {}: {}",
            location_text(&label.location, sources, cwd),
            label.message
        )?;
    }
    for n in &d.notes {
        writeln!(out, "  = note: {n}")?;
    }
    if let Some(h) = &d.help {
        writeln!(out, "  = help: {h}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: super::Code,
    severity: Severity,
    message: &'a str,
    /// The primary location, duplicated here for consumers that only want one.
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: String,
    start: u32,
    end: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

/// The JSON form: `{"diagnostics": [...]}`; lines and columns are 1-based, columns count characters.
pub fn json(diags: &[Diagnostic], sources: &dyn SourceTexts, cwd: &Path) -> serde_json::Value {
    let list: Vec<JsonDiagnostic> = diags
        .iter()
        .map(|d| {
            let labels: Vec<JsonLabel> = d
                .labels
                .iter()
                .map(|l| {
                    let text = sources.text(&l.location.file).unwrap_or("");
                    let index = LineIndex::new(text);
                    let (line, column) = index.line_col(l.location.span.start as usize);
                    let (end_line, end_column) = index.line_col(l.location.span.end as usize);
                    JsonLabel {
                        file: display_path(&l.location.file, cwd),
                        start: l.location.span.start,
                        end: l.location.span.end,
                        line,
                        column,
                        end_line,
                        end_column,
                        message: &l.message,
                    }
                })
                .collect();
            JsonDiagnostic {
                code: d.code,
                severity: d.severity,
                message: &d.message,
                file: labels.first().map(|l| l.file.clone()),
                line: labels.first().map(|l| l.line),
                column: labels.first().map(|l| l.column),
                labels,
                notes: &d.notes,
                help: d.help.as_deref(),
            }
        })
        .collect();
    serde_json::json!({ "diagnostics": list })
}
