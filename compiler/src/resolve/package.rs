//! Entering a package through its `package.json`: `exports` (and `imports` for `#…`
//! specifiers), else `types`/`typings`/`module`/`main`, else an `index` file.
//!
//! # Targets, sources first
//!
//! An `exports` entry is a target string, an array of fallbacks, or an object of conditions,
//! possibly nested. schemac wants TypeScript sources, so it does not pick one condition as Node
//! would: it lists every target of the entry, conditions in the order `types`, `import`,
//! `default`, `require`, `node`, then any other (custom) condition in written order, and
//! probes that list in the two passes of the [module documentation](super#probing-a-path):
//! first a source file for any target, then a built file as written for any target.
//!
//! # Unbuilt internal packages
//!
//! Internal packages of a monorepo often point `exports` or `main` at build output such as
//! `./dist/index.js` that was never built (or was built, but schemac wants the sources). So in
//! the source pass a target also stands for the source files that would produce it:
//!
//! * the same path with a TypeScript extension (`dist/index.js`, `dist/index.d.ts` →
//!   `dist/index.ts`; `.mjs` → `.mts` first, then `.ts`, and so on);
//! * the path with its leading output directory (`dist/`, `build/`, `lib/`, `out/`) replaced by
//!   `src/` (`dist/schema/users.js` → `src/schema/users.ts`), also without a format directory
//!   right below it (`dist/esm/index.js` → `src/index.ts`);
//! * the path without its output directory (`dist/src/index.js` → `src/index.ts`).
//!
//! A source file in place of the target wins over the built target, even when that exists.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::probe::{
    Kind, Pass, TS_EXTENSIONS, file_name, kind_of, source_extensions_for, stem_of, with_suffix,
};
use super::{FileSystem, Resolution, Resolver, Trace, normalize};

/// Build output directories that stand for `src/` in the source pass.
const OUT_DIRS: [&str; 4] = ["dist", "build", "lib", "out"];
/// Module-format directories inside an output directory (`dist/esm/`), dropped in the guess.
const FORMAT_DIRS: [&str; 5] = ["esm", "cjs", "mjs", "es", "types"];
/// Conditions tried first, in this order; any other condition comes after them.
const PREFERRED_CONDITIONS: [&str; 5] = ["types", "import", "default", "require", "node"];

/// The parts of a `package.json` the resolver reads.
#[derive(Debug, Clone, Default)]
pub(super) struct PackageJson {
    /// The `package.json` file itself.
    pub path: PathBuf,
    pub name: Option<String>,
    pub exports: Option<Value>,
    pub imports: Option<Value>,
    /// `types`, `typings`, `module`, `main`, in that order, as present.
    pub entries: Vec<String>,
    /// `workspaces` (an array, or `{ "packages": [...] }`); `None` when absent.
    pub workspaces: Option<Vec<String>>,
    /// The `tsconfig` field, used when a tsconfig `extends` names the package.
    pub tsconfig: Option<String>,
}

impl<F: FileSystem> Resolver<F> {
    /// The `package.json` in `dir`, read once; `None` when there is none or it does not parse
    /// (which is warned about).
    pub(super) fn package_json(&mut self, dir: &Path) -> Option<Rc<PackageJson>> {
        if let Some(cached) = self.package_json.get(dir) {
            return cached.clone();
        }
        let path = dir.join("package.json");
        let pkg = if self.fs.is_file(&path) {
            self.read_package_json(&path).map(Rc::new)
        } else {
            None
        };
        self.package_json.insert(dir.to_path_buf(), pkg.clone());
        pkg
    }

    fn read_package_json(&mut self, path: &Path) -> Option<PackageJson> {
        let text = match self.fs.read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                self.warn(path, format!("cannot read this package.json: {e}"));
                return None;
            }
        };
        let json: Value = match jsonc_parser::parse_to_serde_value(&text, &Default::default()) {
            Ok(json) => json,
            Err(e) => {
                self.warn(path, format!("this package.json does not parse: {e}"));
                return None;
            }
        };
        let Value::Object(json) = json else {
            self.warn(path, "this package.json is not a JSON object".to_string());
            return None;
        };
        let string = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_string);
        let workspaces = match json.get("workspaces") {
            None => None,
            Some(Value::Array(list)) => Some(strings(list)),
            Some(Value::Object(obj)) => match obj.get("packages") {
                Some(Value::Array(list)) => Some(strings(list)),
                _ => {
                    self.warn(
                        path,
                        "`workspaces.packages` should be an array of globs".into(),
                    );
                    Some(Vec::new())
                }
            },
            Some(_) => {
                self.warn(
                    path,
                    "`workspaces` should be an array of globs or `{ \"packages\": [...] }`".into(),
                );
                Some(Vec::new())
            }
        };
        Some(PackageJson {
            path: path.to_path_buf(),
            name: string("name"),
            exports: json.get("exports").cloned(),
            imports: json.get("imports").cloned(),
            entries: ["types", "typings", "module", "main"]
                .iter()
                .filter_map(|key| string(key))
                .collect(),
            workspaces,
            tsconfig: string("tsconfig"),
        })
    }

    /// The directory of the nearest `package.json` at or above `dir` (the package that
    /// contains `dir`).
    pub(super) fn package_scope(&mut self, dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .find(|a| self.package_json(a).is_some())
            .map(Path::to_path_buf)
    }

    /// Resolves `subpath` (empty for the package itself) of the package `name` in `dir`.
    pub(super) fn resolve_in_package(
        &mut self,
        dir: &Path,
        name: &str,
        subpath: &str,
        trace: &mut Trace,
    ) -> Resolution {
        let pkg = self.package_json(dir).unwrap_or_default();
        let where_ = pkg.path.display().to_string();

        if let Some(exports) = &pkg.exports {
            let key = if subpath.is_empty() {
                ".".to_string()
            } else {
                format!("./{subpath}")
            };
            let targets = match_exports(exports, &key).unwrap_or_default();
            if targets.is_empty() {
                let listed = exported_keys(exports).join("`, `");
                return trace.not_found(Some(format!(
                    "package `{name}` ({where_}) does not export `{key}`; its `exports` has `{listed}`"
                )));
            }
            if let Some(file) = self.load_targets(dir, &targets, trace) {
                return Resolution::File(file);
            }
            return trace.not_found(Some(format!(
                "the `exports` entry `{key}` of package `{name}` ({where_}) points at `{}`, \
                 which does not exist, and no TypeScript source was found in its place; \
                 point it at the package's `.ts` sources, or build the package",
                targets.join("`, `")
            )));
        }

        if !subpath.is_empty() {
            let path = normalize(&dir.join(subpath));
            return match self.load_path(&path, trace) {
                Some(file) => Resolution::File(file),
                None => {
                    let hint = self.path_hint(&path);
                    trace.not_found(hint)
                }
            };
        }

        for pass in [Pass::Source, Pass::Built] {
            if let Some(file) = self.load_entry_fields(dir, &pkg, pass, trace) {
                return Resolution::File(file);
            }
            let defaults: &[&str] = match pass {
                Pass::Source => &["index.ts", "index.tsx", "src/index.ts", "src/index.tsx"],
                Pass::Built => &["index.js", "index.jsx"],
            };
            if let Some(file) = defaults
                .iter()
                .map(|d| dir.join(d))
                .find(|c| self.exists(c, trace))
            {
                return Resolution::File(file);
            }
        }
        trace.not_found(Some(format!(
            "package `{name}` in {} has no entry file: give its package.json an `exports` or \
             `main` that points at a TypeScript source, or add `src/index.ts`",
            dir.display()
        )))
    }

    /// The entry named by the `types`, `typings`, `module` or `main` field of a package in
    /// `dir`, in one pass.
    pub(super) fn load_entry_fields(
        &mut self,
        dir: &Path,
        pkg: &PackageJson,
        pass: Pass,
        trace: &mut Trace,
    ) -> Option<PathBuf> {
        pkg.entries
            .iter()
            .find_map(|target| self.load_target(dir, target, pass, trace))
    }

    /// Probes a list of targets of a package in `dir`: the source pass for all, then the built
    /// pass for all.
    fn load_targets(
        &mut self,
        dir: &Path,
        targets: &[String],
        trace: &mut Trace,
    ) -> Option<PathBuf> {
        [Pass::Source, Pass::Built].into_iter().find_map(|pass| {
            targets
                .iter()
                .find_map(|target| self.load_target(dir, target, pass, trace))
        })
    }

    /// Probes one target path of a package in `dir` (e.g. `./dist/index.js`) in one pass; in
    /// the source pass, with the guesses of the [module documentation](self).
    fn load_target(
        &mut self,
        dir: &Path,
        target: &str,
        pass: Pass,
        trace: &mut Trace,
    ) -> Option<PathBuf> {
        let path = normalize(&dir.join(target));
        match pass {
            Pass::Source => source_candidates(dir, &path)
                .into_iter()
                .find(|c| self.exists(c, trace)),
            Pass::Built => self.load_file(&path, Pass::Built, trace).or_else(|| {
                if path == dir || !self.fs.is_dir(&path) {
                    return None;
                }
                ["index.js", "index.jsx"]
                    .iter()
                    .map(|i| path.join(i))
                    .find(|c| self.exists(c, trace))
            }),
        }
    }

    /// Rule 4.3 of the module documentation: a `#…` specifier through the `imports` map of the
    /// package that contains `from_dir`. `None` when there is no such entry.
    pub(super) fn resolve_subpath_import(
        &mut self,
        specifier: &str,
        from_dir: &Path,
        trace: &mut Trace,
    ) -> Option<Resolution> {
        let scope = self.package_scope(from_dir)?;
        let pkg = self.package_json(&scope)?;
        let Some(Value::Object(imports)) = &pkg.imports else {
            return None;
        };
        let targets = match_subpath(imports, specifier)?;
        let (paths, bare): (Vec<String>, Vec<String>) = targets
            .into_iter()
            .partition(|t| t.starts_with("./") || t.starts_with("../"));
        if let Some(file) = self.load_targets(&scope, &paths, trace) {
            return Some(Resolution::File(file));
        }
        if let Some(target) = bare.into_iter().find(|t| !t.starts_with('#')) {
            return Some(self.resolve(&target, &pkg.path));
        }
        Some(trace.not_found(Some(format!(
            "the `imports` entry for `{specifier}` in {} points at no existing file",
            pkg.path.display()
        ))))
    }
}

/// The targets of `exports` for `key` (`.` or `./sub/path`), best first; `None` when the key
/// is not exported. The sugar forms (a string, an array, an object of conditions) export `.`
/// only.
pub(super) fn match_exports(exports: &Value, key: &str) -> Option<Vec<String>> {
    match exports {
        Value::Object(map) if map.keys().any(|k| k.starts_with('.')) => match_subpath(map, key),
        _ => (key == ".").then(|| flatten_targets(exports, None)),
    }
}

/// The keys of an `exports` value, for hints.
fn exported_keys(exports: &Value) -> Vec<String> {
    match exports {
        Value::Object(map) if map.keys().any(|k| k.starts_with('.')) => {
            map.keys().filter(|k| k.starts_with('.')).cloned().collect()
        }
        _ => vec![".".to_string()],
    }
}

/// Looks `key` up in a subpath map (`exports` or `imports`): an exact key without `*` first,
/// else the pattern key with one `*` whose prefix before the `*` is longest (then the longest
/// key), its targets with every `*` replaced by what the `*` matched.
pub(super) fn match_subpath(map: &Map<String, Value>, key: &str) -> Option<Vec<String>> {
    if !key.contains('*')
        && let Some(value) = map.get(key)
    {
        return Some(flatten_targets(value, None));
    }
    let mut best: Option<(&str, &Value, &str)> = None;
    for (pattern, value) in map {
        let Some(star) = pattern.find('*') else {
            continue;
        };
        let (prefix, suffix) = (&pattern[..star], &pattern[star + 1..]);
        if key.len() < pattern.len() || !key.starts_with(prefix) || !key.ends_with(suffix) {
            continue;
        }
        let better = match best {
            None => true,
            Some((b, _, _)) => {
                let b_star = b.find('*').unwrap_or(b.len());
                star > b_star || (star == b_star && pattern.len() > b.len())
            }
        };
        if better {
            best = Some((pattern, value, &key[prefix.len()..key.len() - suffix.len()]));
        }
    }
    best.map(|(_, value, capture)| flatten_targets(value, Some(capture)))
}

/// Every target string of an `exports`/`imports` value: a string is itself (with `*` replaced
/// by `capture`), an array is its items in order, an object of conditions is its values in
/// the order of the module documentation, `null` is nothing.
fn flatten_targets(value: &Value, capture: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    flatten_into(value, capture, &mut out);
    out
}

fn flatten_into(value: &Value, capture: Option<&str>, out: &mut Vec<String>) {
    match value {
        Value::String(target) => {
            let target = match capture {
                Some(capture) => target.replace('*', capture),
                None => target.clone(),
            };
            if !out.contains(&target) {
                out.push(target);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten_into(item, capture, out);
            }
        }
        Value::Object(conditions) => {
            for condition in PREFERRED_CONDITIONS {
                if let Some(v) = conditions.get(condition) {
                    flatten_into(v, capture, out);
                }
            }
            for (condition, v) in conditions {
                if !PREFERRED_CONDITIONS.contains(&condition.as_str()) {
                    flatten_into(v, capture, out);
                }
            }
        }
        _ => {}
    }
}

/// The source files that may stand for the target `path` of the package in `dir`, best first
/// (see the module documentation).
fn source_candidates(dir: &Path, path: &Path) -> Vec<PathBuf> {
    let mut bases = vec![path.to_path_buf()];
    if let Ok(inner) = path.strip_prefix(dir) {
        let segments: Vec<String> = inner
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if segments.len() >= 2 && OUT_DIRS.contains(&segments[0].as_str()) {
            let rest = &segments[1..];
            bases.push(dir.join("src").join(rest.iter().collect::<PathBuf>()));
            if rest.len() >= 2 && FORMAT_DIRS.contains(&rest[0].as_str()) {
                bases.push(dir.join("src").join(rest[1..].iter().collect::<PathBuf>()));
            }
            bases.push(dir.join(rest.iter().collect::<PathBuf>()));
        }
    }

    let mut out: Vec<PathBuf> = Vec::new();
    for base in bases {
        let name = file_name(&base);
        match kind_of(&name) {
            Kind::Other => {
                out.extend(TS_EXTENSIONS.iter().map(|ext| with_suffix(&base, ext)));
                out.extend(["index.ts", "index.tsx"].iter().map(|i| base.join(i)));
            }
            Kind::Declaration | Kind::Script | Kind::Source => {
                let stem = base.with_file_name(stem_of(&name));
                let preferred = source_extensions_for(&name);
                let extensions = preferred
                    .iter()
                    .chain(TS_EXTENSIONS.iter().filter(|e| !preferred.contains(e)));
                out.extend(extensions.map(|ext| with_suffix(&stem, ext)));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

fn strings(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exports_sugar_exports_the_root_only() {
        let exports = json!("./dist/index.js");
        assert_eq!(
            match_exports(&exports, "."),
            Some(vec!["./dist/index.js".to_string()])
        );
        assert_eq!(match_exports(&exports, "./x"), None);
    }

    #[test]
    fn conditions_are_listed_types_first() {
        let exports = json!({
            ".": {
                "require": "./dist/index.cjs",
                "development": "./src/dev.ts",
                "import": { "types": "./dist/index.d.mts", "default": "./dist/index.mjs" },
                "types": "./dist/index.d.ts",
                "browser": null
            }
        });
        assert_eq!(
            match_exports(&exports, ".").unwrap_or_default(),
            vec![
                "./dist/index.d.ts",
                "./dist/index.d.mts",
                "./dist/index.mjs",
                "./dist/index.cjs",
                "./src/dev.ts",
            ]
        );
    }

    #[test]
    fn longest_pattern_prefix_wins() {
        let exports = json!({
            "./*": "./src/*.ts",
            "./schema/*": "./src/db/schema/*.ts",
            "./schema/internal/*": null,
            "./package.json": "./package.json"
        });
        assert_eq!(
            match_exports(&exports, "./schema/users").unwrap_or_default(),
            vec!["./src/db/schema/users.ts"]
        );
        assert_eq!(
            match_exports(&exports, "./utils").unwrap_or_default(),
            vec!["./src/utils.ts"]
        );
        assert_eq!(
            match_exports(&exports, "./schema/internal/x").unwrap_or_default(),
            Vec::<String>::new()
        );
        assert_eq!(match_exports(&exports, "."), None);
    }

    #[test]
    fn guesses_sources_for_build_output() {
        let dir = Path::new("/p");
        let c = source_candidates(dir, Path::new("/p/dist/esm/index.mjs"));
        let pos = |p: &str| c.iter().position(|x| x == Path::new(p));
        assert_eq!(pos("/p/dist/esm/index.mts"), Some(0));
        assert!(pos("/p/src/esm/index.mts").is_some());
        assert!(pos("/p/src/index.ts").is_some());
        assert!(pos("/p/esm/index.ts").is_some());
        assert!(pos("/p/src/esm/index.mts") < pos("/p/src/index.ts"));
        let c = source_candidates(dir, Path::new("/p/dist/schema/users.d.ts"));
        assert!(c.contains(&PathBuf::from("/p/src/schema/users.ts")));
        let c = source_candidates(dir, Path::new("/p/src/db"));
        assert_eq!(c[0], PathBuf::from("/p/src/db.ts"));
        assert!(c.contains(&PathBuf::from("/p/src/db/index.ts")));
    }
}
