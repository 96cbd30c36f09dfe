//! `tsconfig.json`: the `compilerOptions.paths` and `compilerOptions.baseUrl` of the nearest
//! one, with its `extends` chain applied.
//!
//! * **Which file.** The nearest `tsconfig.json` at or above the importing file's directory owns
//!   the file, even if it sets neither option (`references`, `include`, `files` are ignored).
//!   It is JSONC: comments and trailing commas are fine.
//! * **`extends`.** A string or (TypeScript 5) an array; later bases override earlier ones and
//!   the file overrides its bases, option by option (`paths` is replaced whole, never merged). A
//!   path (`./base`, `../../tsconfig.base.json`, absolute) is taken from the extending file's
//!   directory, with `.json` added when the path as written is no file. Anything else names a
//!   package: `node_modules/<name>` in the extending file's directory or above it (else a
//!   workspace package of that name), then the subpath (`@tsconfig/node20/tsconfig.json`,
//!   through the package's `exports` first, with `.json` added when needed) or, for the package
//!   itself, its `package.json` `tsconfig` field, else its `tsconfig.json`.
//! * **Relative paths** in an option are relative to the file that declares the option.
//!   `paths` targets are relative to `baseUrl` when one is set anywhere in the chain, else to
//!   the file that declares `paths` (TypeScript 4.1+). `${configDir}` stands for the directory
//!   of the nearest tsconfig (TypeScript 5.5).
//! * **Matching `paths`.** A pattern without `*` must equal the specifier and wins; else among
//!   the patterns with one `*` whose prefix and suffix fit, the longest prefix wins. Its targets
//!   are tried in order, with `*` replaced by what it matched, each probed like a relative path.
//!
//! A tsconfig that does not parse, a base that cannot be found and a cycle of `extends` are
//! warnings; the broken part is left out.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value;

use super::package::match_exports;
use super::{FileSystem, Resolver, is_path_specifier, normalize, split_package_name};

/// A `compilerOptions` value with the tsconfig that declared it.
#[derive(Debug, Clone)]
struct Declared<T> {
    value: T,
    /// The tsconfig file that declares the value.
    file: PathBuf,
}

impl<T> Declared<T> {
    fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(&self.file)
    }
}

/// `paths` patterns and their targets, in written order.
type PathsMap = Vec<(String, Vec<String>)>;

/// The options of one tsconfig with its `extends` chain applied, relative paths still tied to
/// the file that declared them.
#[derive(Debug, Clone, Default)]
pub(super) struct RawOptions {
    base_url: Option<Declared<String>>,
    paths: Option<Declared<PathsMap>>,
}

impl RawOptions {
    /// Lets every option set in `over` replace the one here.
    fn overlay(&mut self, over: &RawOptions) {
        if over.base_url.is_some() {
            self.base_url = over.base_url.clone();
        }
        if over.paths.is_some() {
            self.paths = over.paths.clone();
        }
    }
}

/// The module resolution options of the nearest tsconfig, as absolute paths.
#[derive(Debug, Clone)]
pub(super) struct TsPaths {
    /// `baseUrl`, when set.
    pub base_url: Option<PathBuf>,
    /// `paths` (with `${configDir}` replaced).
    pub paths: PathsMap,
    /// What `paths` targets are relative to.
    pub paths_base: PathBuf,
    /// The tsconfig that declares `paths`, for hints.
    pub paths_config: PathBuf,
}

/// The `paths` pattern that matched a specifier, with its targets as absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PathsMatch {
    pub pattern: String,
    pub targets: Vec<PathBuf>,
}

impl TsPaths {
    /// The `paths` pattern that `specifier` matches, by the rule of the module documentation.
    pub fn match_paths(&self, specifier: &str) -> Option<PathsMatch> {
        let found = |pattern: &str, targets: &[String], capture: Option<&str>| PathsMatch {
            pattern: pattern.to_string(),
            targets: targets
                .iter()
                .map(|t| {
                    let t = match capture {
                        Some(capture) => t.replacen('*', capture, 1),
                        None => t.clone(),
                    };
                    normalize(&self.paths_base.join(t))
                })
                .collect(),
        };
        if let Some((pattern, targets)) = self
            .paths
            .iter()
            .find(|(p, _)| !p.contains('*') && p == specifier)
        {
            return Some(found(pattern, targets, None));
        }
        let mut best: Option<(&str, &[String], &str)> = None;
        for (pattern, targets) in &self.paths {
            let Some((prefix, suffix)) = pattern.split_once('*') else {
                continue;
            };
            if suffix.contains('*')
                || specifier.len() < prefix.len() + suffix.len()
                || !specifier.starts_with(prefix)
                || !specifier.ends_with(suffix)
            {
                continue;
            }
            if best.is_none_or(|(b, _, _)| prefix.len() > b.find('*').unwrap_or(0)) {
                let capture = &specifier[prefix.len()..specifier.len() - suffix.len()];
                best = Some((pattern, targets, capture));
            }
        }
        best.map(|(pattern, targets, capture)| found(pattern, targets, Some(capture)))
    }
}

impl<F: FileSystem> Resolver<F> {
    /// The options of the nearest `tsconfig.json` at or above `dir`; looked up once per
    /// directory.
    pub(super) fn nearest_tsconfig(&mut self, dir: &Path) -> Option<Rc<TsPaths>> {
        let mut visited = Vec::new();
        let mut result = None;
        for ancestor in dir.ancestors() {
            if let Some(cached) = self.nearest_tsconfig.get(ancestor) {
                result = cached.clone();
                break;
            }
            visited.push(ancestor.to_path_buf());
            let file = ancestor.join("tsconfig.json");
            if self.fs.is_file(&file) {
                result = Some(Rc::new(self.effective_options(&file)));
                break;
            }
        }
        for dir in visited {
            self.nearest_tsconfig.insert(dir, result.clone());
        }
        result
    }

    /// The options of the tsconfig `file` as used for the files it owns.
    fn effective_options(&mut self, file: &Path) -> TsPaths {
        let raw = self.load_tsconfig(file, &mut Vec::new());
        let config_dir = file.parent().unwrap_or(file).to_string_lossy().into_owned();
        let expand = |s: &str| s.replace("${configDir}", &config_dir);
        let base_url = raw
            .base_url
            .as_ref()
            .map(|d| normalize(&d.dir().join(expand(&d.value))));
        match &raw.paths {
            Some(paths) => TsPaths {
                paths_base: base_url
                    .clone()
                    .unwrap_or_else(|| paths.dir().to_path_buf()),
                paths: paths
                    .value
                    .iter()
                    .map(|(p, targets)| (p.clone(), targets.iter().map(|t| expand(t)).collect()))
                    .collect(),
                paths_config: paths.file.clone(),
                base_url,
            },
            None => TsPaths {
                base_url,
                paths: Vec::new(),
                paths_base: PathBuf::from(&config_dir),
                paths_config: file.to_path_buf(),
            },
        }
    }

    /// Reads the tsconfig `file` and its `extends` chain; `stack` holds the files being read,
    /// to cut cycles.
    fn load_tsconfig(&mut self, file: &Path, stack: &mut Vec<PathBuf>) -> Rc<RawOptions> {
        if let Some(cached) = self.tsconfig_files.get(file) {
            return cached.clone();
        }
        if let Some(start) = stack.iter().position(|f| f == file) {
            let chain: Vec<String> = stack[start..]
                .iter()
                .chain(std::iter::once(&file.to_path_buf()))
                .map(|f| f.display().to_string())
                .collect();
            self.warn(
                file,
                format!(
                    "`extends` goes in a circle: {}; the repeated base is left out",
                    chain.join(" → ")
                ),
            );
            return Rc::default();
        }
        stack.push(file.to_path_buf());
        let options = self.read_tsconfig(file, stack);
        stack.pop();
        let options = Rc::new(options);
        self.tsconfig_files
            .insert(file.to_path_buf(), options.clone());
        options
    }

    fn read_tsconfig(&mut self, file: &Path, stack: &mut Vec<PathBuf>) -> RawOptions {
        let text = match self.fs.read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                self.warn(file, format!("cannot read this tsconfig: {e}"));
                return RawOptions::default();
            }
        };
        let json: Value = match jsonc_parser::parse_to_serde_value(&text, &Default::default()) {
            Ok(json) => json,
            Err(e) => {
                self.warn(file, format!("this tsconfig does not parse: {e}"));
                return RawOptions::default();
            }
        };
        let dir = file.parent().unwrap_or(file).to_path_buf();

        let bases: Vec<String> = match json.get("extends") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(base)) => vec![base.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect(),
            Some(_) => {
                self.warn(
                    file,
                    "`extends` should be a string or an array of strings".into(),
                );
                Vec::new()
            }
        };
        let mut options = RawOptions::default();
        for base in bases {
            match self.find_extended_config(&base, &dir) {
                Some(base_file) => {
                    let inherited = self.load_tsconfig(&base_file, stack);
                    options.overlay(&inherited);
                }
                None => {
                    let mut message = format!("cannot find the tsconfig `{base}` it extends");
                    if !is_path_specifier(&base) && self.fs.is_file(&dir.join(&base)) {
                        message.push_str(&format!(
                            "; a relative path must start with `./` (`./{base}`)"
                        ));
                    }
                    self.warn(file, message);
                }
            }
        }
        let own = self.compiler_options(file, &json);
        options.overlay(&own);
        options
    }

    /// `baseUrl` and `paths` as written in one tsconfig.
    fn compiler_options(&mut self, file: &Path, json: &Value) -> RawOptions {
        let mut options = RawOptions::default();
        let Some(compiler_options) = json.get("compilerOptions") else {
            return options;
        };
        match compiler_options.get("baseUrl") {
            None | Some(Value::Null) => {}
            Some(Value::String(base_url)) => {
                options.base_url = Some(Declared {
                    value: base_url.clone(),
                    file: file.to_path_buf(),
                });
            }
            Some(_) => self.warn(file, "`compilerOptions.baseUrl` should be a string".into()),
        }
        match compiler_options.get("paths") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                let mut paths = Vec::new();
                for (pattern, targets) in map {
                    if pattern.matches('*').count() > 1 {
                        self.warn(
                            file,
                            format!("the `paths` pattern `{pattern}` has more than one `*`; it is ignored"),
                        );
                        continue;
                    }
                    let Some(targets) = targets.as_array() else {
                        self.warn(
                            file,
                            format!("the targets of the `paths` pattern `{pattern}` should be an array of strings"),
                        );
                        continue;
                    };
                    let targets = targets
                        .iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect();
                    paths.push((pattern.clone(), targets));
                }
                options.paths = Some(Declared {
                    value: paths,
                    file: file.to_path_buf(),
                });
            }
            Some(_) => self.warn(file, "`compilerOptions.paths` should be an object".into()),
        }
        options
    }

    /// The file named by `extends: "<base>"` in a tsconfig in `dir`, by the rule of the module
    /// documentation.
    fn find_extended_config(&mut self, base: &str, dir: &Path) -> Option<PathBuf> {
        if is_path_specifier(base) {
            let path = normalize(&dir.join(base));
            if self.fs.is_file(&path) {
                return Some(path);
            }
            let with_json = super::probe::with_suffix(&path, "json");
            return (!base.ends_with(".json") && self.fs.is_file(&with_json)).then_some(with_json);
        }
        let (name, subpath) = split_package_name(base);
        let installed = dir
            .ancestors()
            .filter(|a| !a.ends_with("node_modules"))
            .map(|a| a.join("node_modules").join(name))
            .find(|candidate| self.fs.is_dir(candidate));
        let package_dir = match installed {
            Some(dir) => dir,
            None => self
                .workspaces_above(dir)
                .iter()
                .find_map(|ws| ws.packages.get(name).cloned())?,
        };
        self.config_in_package(&package_dir, subpath)
    }

    /// The tsconfig that `subpath` (empty for the package itself) names in a package.
    fn config_in_package(&mut self, dir: &Path, subpath: &str) -> Option<PathBuf> {
        let pkg = self.package_json(dir);
        let mut candidates = Vec::new();
        if subpath.is_empty() {
            if let Some(field) = pkg.as_ref().and_then(|p| p.tsconfig.clone()) {
                candidates.push(dir.join(field));
            }
            candidates.push(dir.join("tsconfig.json"));
        } else {
            let exported = pkg
                .as_ref()
                .and_then(|p| p.exports.as_ref())
                .and_then(|e| match_exports(e, &format!("./{subpath}")))
                .unwrap_or_default();
            for target in exported.iter().map(String::as_str).chain([subpath]) {
                let path = dir.join(target);
                let with_json = super::probe::with_suffix(&path, "json");
                candidates.push(path);
                if !target.ends_with(".json") {
                    candidates.push(with_json);
                }
            }
        }
        candidates
            .into_iter()
            .map(|c| normalize(&c))
            .find(|c| self.fs.is_file(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(paths: &[(&str, &[&str])]) -> TsPaths {
        TsPaths {
            base_url: None,
            paths: paths
                .iter()
                .map(|(p, t)| (p.to_string(), t.iter().map(|s| s.to_string()).collect()))
                .collect(),
            paths_base: PathBuf::from("/proj"),
            paths_config: PathBuf::from("/proj/tsconfig.json"),
        }
    }

    #[test]
    fn longest_prefix_wins_and_exact_beats_patterns() {
        let t = ts(&[
            ("*", &["./types/*"]),
            ("@/*", &["./src/*"]),
            ("@/db/*", &["./src/database/*", "./generated/*"]),
            ("@/db/client", &["./src/client.ts"]),
        ]);
        let m = t.match_paths("@/db/schema").map(|m| (m.pattern, m.targets));
        assert_eq!(
            m,
            Some((
                "@/db/*".to_string(),
                vec![
                    PathBuf::from("/proj/src/database/schema"),
                    PathBuf::from("/proj/generated/schema")
                ]
            ))
        );
        assert_eq!(
            t.match_paths("@/db/client").map(|m| m.pattern),
            Some("@/db/client".to_string())
        );
        assert_eq!(
            t.match_paths("@/lib/x").map(|m| m.targets),
            Some(vec![PathBuf::from("/proj/src/lib/x")])
        );
        assert_eq!(
            t.match_paths("zod").map(|m| m.pattern),
            Some("*".to_string())
        );
        assert_eq!(ts(&[("~db/*", &["src/db/*"])]).match_paths("zod"), None);
    }
}
