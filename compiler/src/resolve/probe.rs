//! Probing a path for a module file: the two passes described in the
//! [module documentation](super#probing-a-path).

use std::path::{Path, PathBuf};

use super::{FileSystem, Resolver, Trace};

/// TypeScript source extensions, in the order they are tried.
pub(super) const TS_EXTENSIONS: [&str; 4] = ["ts", "tsx", "mts", "cts"];
/// JavaScript extensions, in the order they are tried.
pub(super) const JS_EXTENSIONS: [&str; 4] = ["js", "jsx", "mjs", "cjs"];

/// The two passes of probing: TypeScript sources everywhere first, then anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    Source,
    Built,
}

/// What a file name's extension says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `.d.ts`, `.d.mts`, `.d.cts`: types only, never a result.
    Declaration,
    /// `.ts`, `.tsx`, `.mts`, `.cts`.
    Source,
    /// `.js`, `.jsx`, `.mjs`, `.cjs`.
    Script,
    /// Anything else, including no extension.
    Other,
}

/// Sorts a file name by its extension.
pub(super) fn kind_of(name: &str) -> Kind {
    if [".d.ts", ".d.mts", ".d.cts"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return Kind::Declaration;
    }
    match extension(name) {
        Some(ext) if TS_EXTENSIONS.contains(&ext) => Kind::Source,
        Some(ext) if JS_EXTENSIONS.contains(&ext) => Kind::Script,
        _ => Kind::Other,
    }
}

/// The extension after the last `.` of a file name (not of a leading dot).
fn extension(name: &str) -> Option<&str> {
    let dot = name.rfind('.')?;
    (dot > 0).then(|| &name[dot + 1..])
}

/// A file name without its JavaScript or declaration extension: `users.js` → `users`,
/// `index.d.mts` → `index`; other names unchanged.
pub(super) fn stem_of(name: &str) -> &str {
    match kind_of(name) {
        Kind::Declaration => {
            let end = name.rfind(".d.").unwrap_or(name.len());
            &name[..end]
        }
        Kind::Script | Kind::Source => name.rfind('.').map_or(name, |dot| &name[..dot]),
        Kind::Other => name,
    }
}

/// The TypeScript extensions that stand for the extension of `name`, best first: `.js` →
/// `.ts`, `.tsx`; `.jsx` → `.tsx`; `.mjs` → `.mts`; `.cjs` → `.cts` (TypeScript's rule for
/// imports written ESM style). Declarations map like the script they describe.
pub(super) fn source_extensions_for(name: &str) -> &'static [&'static str] {
    let ext = if kind_of(name) == Kind::Declaration {
        name.rsplit('.').next().unwrap_or("ts")
    } else {
        extension(name).unwrap_or("")
    };
    match ext {
        "js" | "ts" => &["ts", "tsx"],
        "jsx" | "tsx" => &["tsx"],
        "mjs" | "mts" => &["mts"],
        "cjs" | "cts" => &["cts"],
        _ => &[],
    }
}

/// `path` with `.ext` added to its full name (`users.schema` → `users.schema.ts`).
pub(super) fn with_suffix(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// The declaration file that would describe `path`, for hints: `x` → `x.d.ts`, `x.js` →
/// `x.d.ts`.
pub(super) fn declaration_sibling(path: &Path) -> PathBuf {
    let name = file_name(path);
    let stem = stem_of(&name);
    path.with_file_name(format!("{stem}.d.ts"))
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl<F: FileSystem> Resolver<F> {
    /// Whether `path` is a file, noting it as tried.
    pub(super) fn exists(&self, path: &Path, trace: &mut Trace) -> bool {
        trace.push(path);
        self.fs.is_file(path)
    }

    /// Probes `path` as a file, then as a directory, sources first (both passes).
    pub(super) fn load_path(&mut self, path: &Path, trace: &mut Trace) -> Option<PathBuf> {
        [Pass::Source, Pass::Built].into_iter().find_map(|pass| {
            self.load_file(path, pass, trace)
                .or_else(|| self.load_dir(path, pass, trace))
        })
    }

    /// Probes `path` as a file in one pass.
    pub(super) fn load_file(
        &mut self,
        path: &Path,
        pass: Pass,
        trace: &mut Trace,
    ) -> Option<PathBuf> {
        let name = file_name(path);
        let kind = kind_of(&name);
        let candidates: Vec<PathBuf> = match (pass, kind) {
            (_, Kind::Declaration) => Vec::new(),
            (Pass::Source, Kind::Source) => vec![path.to_path_buf()],
            (Pass::Source, Kind::Script) => {
                let stem = path.with_file_name(stem_of(&name));
                source_extensions_for(&name)
                    .iter()
                    .map(|ext| with_suffix(&stem, ext))
                    .collect()
            }
            (Pass::Source, Kind::Other) => TS_EXTENSIONS
                .iter()
                .map(|ext| with_suffix(path, ext))
                .collect(),
            (Pass::Built, Kind::Source) => Vec::new(),
            (Pass::Built, Kind::Script) => vec![path.to_path_buf()],
            (Pass::Built, Kind::Other) => std::iter::once(path.to_path_buf())
                .chain(JS_EXTENSIONS.iter().map(|ext| with_suffix(path, ext)))
                .collect(),
        };
        candidates.into_iter().find(|c| self.exists(c, trace))
    }

    /// Probes `dir` as a directory in one pass: the entry named by its `package.json`, then its
    /// `index` file.
    pub(super) fn load_dir(
        &mut self,
        dir: &Path,
        pass: Pass,
        trace: &mut Trace,
    ) -> Option<PathBuf> {
        if !self.fs.is_dir(dir) {
            return None;
        }
        if let Some(pkg) = self.package_json(dir)
            && let Some(file) = self.load_entry_fields(dir, &pkg, pass, trace)
        {
            return Some(file);
        }
        let extensions: &[&str] = match pass {
            Pass::Source => &["ts", "tsx"],
            Pass::Built => &["js", "jsx"],
        };
        extensions
            .iter()
            .map(|ext| dir.join(format!("index.{ext}")))
            .find(|c| self.exists(c, trace))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_extensions() {
        assert_eq!(kind_of("users.ts"), Kind::Source);
        assert_eq!(kind_of("users.d.ts"), Kind::Declaration);
        assert_eq!(kind_of("index.d.mts"), Kind::Declaration);
        assert_eq!(kind_of("users.mjs"), Kind::Script);
        assert_eq!(kind_of("users.schema"), Kind::Other);
        assert_eq!(kind_of(".env"), Kind::Other);
        assert_eq!(stem_of("index.d.mts"), "index");
        assert_eq!(stem_of("users.js"), "users");
        assert_eq!(stem_of("users.schema"), "users.schema");
        assert_eq!(source_extensions_for("a.js"), &["ts", "tsx"]);
        assert_eq!(source_extensions_for("a.d.cts"), &["cts"]);
        assert_eq!(source_extensions_for("a.mjs"), &["mts"]);
    }
}
