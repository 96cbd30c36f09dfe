//! Monorepo workspaces: which directories are workspace roots, and which packages they hold.
//!
//! A directory is a workspace root when it has a `pnpm-workspace.yaml` (its `packages:` list is
//! used, and a `workspaces` field of its `package.json` is not), or else a `package.json` with
//! `workspaces`: an array of globs (npm, yarn, bun) or `{ "packages": [...] }` (yarn classic).
//!
//! The globs are relative to the root and match directories: `*` stays within one path segment,
//! `**` crosses any number, a leading `!` excludes (`!**/test/**` also excludes a directory
//! named `test` itself). Every matched directory with a `package.json` that has a `name` is a
//! package of the workspace. The walk never enters `node_modules`, hidden directories, or
//! symlinked directories (which may loop), and goes at most 8 levels below the literal part of
//! a `**` glob.
//!
//! Workspaces nest: an import sees the packages of every root above it, the nearest first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::{FileSystem, Resolver};

/// How deep a `**` glob is followed below its literal prefix.
const MAX_GLOB_DEPTH: usize = 8;

/// One workspace: its packages by name.
#[derive(Debug, Default)]
pub(super) struct Workspace {
    pub packages: BTreeMap<String, PathBuf>,
}

impl<F: FileSystem> Resolver<F> {
    /// The workspaces rooted at `dir` or above it, nearest first.
    pub(super) fn workspaces_above(&mut self, dir: &Path) -> Vec<Rc<Workspace>> {
        dir.ancestors()
            .filter_map(|a| self.workspace_at(a))
            .collect()
    }

    /// The workspace rooted at `dir`, if `dir` is a workspace root; computed once.
    fn workspace_at(&mut self, dir: &Path) -> Option<Rc<Workspace>> {
        if let Some(cached) = self.workspaces.get(dir) {
            return cached.clone();
        }
        let workspace = self
            .workspace_globs(dir)
            .map(|(globs, config)| Rc::new(self.expand_workspace(dir, &globs, &config)));
        self.workspaces.insert(dir.to_path_buf(), workspace.clone());
        workspace
    }

    /// The package globs of a workspace root, with the file that lists them.
    fn workspace_globs(&mut self, dir: &Path) -> Option<(Vec<String>, PathBuf)> {
        let pnpm = dir.join("pnpm-workspace.yaml");
        if self.fs.is_file(&pnpm) {
            let globs = match self.fs.read_to_string(&pnpm) {
                Ok(text) => match pnpm_packages(&text) {
                    Ok(globs) => globs,
                    Err(message) => {
                        self.warn(&pnpm, message);
                        Vec::new()
                    }
                },
                Err(e) => {
                    self.warn(&pnpm, format!("cannot read this file: {e}"));
                    Vec::new()
                }
            };
            return Some((globs, pnpm));
        }
        let pkg = self.package_json(dir)?;
        let globs = pkg.workspaces.clone()?;
        Some((globs, pkg.path.clone()))
    }

    /// Expands the globs of the workspace at `root` into its packages.
    fn expand_workspace(&mut self, root: &Path, globs: &[String], config: &Path) -> Workspace {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        // Where to walk from (relative to the root) and how deep.
        let mut walks: Vec<(String, usize)> = Vec::new();
        for raw in globs {
            let (negated, glob) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw.as_str()),
            };
            let glob = glob.trim_start_matches("./").trim_end_matches('/');
            if glob.is_empty() || glob == "." {
                continue;
            }
            let compiled = match GlobBuilder::new(glob).literal_separator(true).build() {
                Ok(compiled) => compiled,
                Err(e) => {
                    self.warn(config, format!("bad workspace glob `{raw}`: {e}"));
                    continue;
                }
            };
            if negated {
                exclude.add(compiled);
                continue;
            }
            include.add(compiled);
            let segments: Vec<&str> = glob.split('/').collect();
            let literal = segments
                .iter()
                .take_while(|s| !s.contains(['*', '?', '[', '{']))
                .count();
            let rest = &segments[literal..];
            let depth = if rest.contains(&"**") {
                MAX_GLOB_DEPTH
            } else {
                rest.len()
            };
            walks.push((segments[..literal].join("/"), depth));
        }
        let (include, exclude) = match (include.build(), exclude.build()) {
            (Ok(include), Ok(exclude)) => (include, exclude),
            (Err(e), _) | (_, Err(e)) => {
                self.warn(config, format!("bad workspace globs: {e}"));
                return Workspace::default();
            }
        };

        let mut candidates = BTreeSet::new();
        for (base, depth) in walks {
            self.walk_dirs(root, base, depth, &mut candidates);
        }

        let mut packages: BTreeMap<String, PathBuf> = BTreeMap::new();
        for rel in candidates {
            if !include.is_match(&rel) || is_excluded(&exclude, &rel) {
                continue;
            }
            let dir = root.join(&rel);
            let Some(pkg) = self.package_json(&dir) else {
                continue;
            };
            let Some(name) = pkg.name.clone() else {
                continue;
            };
            if let Some(first) = packages.get(&name) {
                let message = format!(
                    "two workspace packages are named `{name}`: {} and {}; the first is used",
                    first.display(),
                    dir.display()
                );
                self.warn(config, message);
                continue;
            }
            packages.insert(name, dir);
        }
        Workspace { packages }
    }

    /// Adds `base` (relative to `root`, `/`-separated) and the directories below it, down to
    /// `depth` levels, to `out`.
    fn walk_dirs(&self, root: &Path, base: String, depth: usize, out: &mut BTreeSet<String>) {
        let start = if base.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&base)
        };
        if !self.fs.is_dir(&start) {
            return;
        }
        let mut stack = vec![(start, base, depth)];
        while let Some((dir, rel, depth)) = stack.pop() {
            if !rel.is_empty() {
                out.insert(rel.clone());
            }
            if depth == 0 {
                continue;
            }
            // A symlinked directory is a candidate, but the walk does not go through it.
            if !rel.is_empty() && self.fs.read_link(&dir).is_ok() {
                continue;
            }
            let Ok(mut entries) = self.fs.read_dir(&dir) else {
                continue;
            };
            entries.sort();
            for entry in entries {
                let Some(name) = entry.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                if name == "node_modules" || name.starts_with('.') || !self.fs.is_dir(&entry) {
                    continue;
                }
                let child_rel = if rel.is_empty() {
                    name.to_string()
                } else {
                    format!("{rel}/{name}")
                };
                stack.push((entry.clone(), child_rel, depth - 1));
            }
        }
    }
}

/// Whether a negated glob excludes the directory `rel`. `a/**` is taken to cover `a` too, as
/// in the glob libraries of npm and pnpm.
fn is_excluded(exclude: &GlobSet, rel: &str) -> bool {
    exclude.is_match(rel) || exclude.is_match(format!("{rel}/_"))
}

/// The `packages:` list of a `pnpm-workspace.yaml`.
fn pnpm_packages(text: &str) -> Result<Vec<String>, String> {
    let docs = yaml_rust2::YamlLoader::load_from_str(text)
        .map_err(|e| format!("this pnpm-workspace.yaml does not parse: {e}"))?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    let packages = &doc["packages"];
    if packages.is_badvalue() || packages.is_null() {
        return Ok(Vec::new());
    }
    let Some(list) = packages.as_vec() else {
        return Err("`packages` in pnpm-workspace.yaml should be a list of globs".to_string());
    };
    Ok(list
        .iter()
        .filter_map(|item| item.as_str().map(str::to_string))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pnpm_packages() {
        let text = "# workspace\npackages:\n  - 'packages/*'\n  - \"apps/**\"\n  - '!**/test/**'\ncatalog:\n  zod: ^3\n";
        assert_eq!(
            pnpm_packages(text),
            Ok(vec![
                "packages/*".to_string(),
                "apps/**".to_string(),
                "!**/test/**".to_string()
            ])
        );
        assert!(pnpm_packages("packages: [").is_err());
        assert_eq!(pnpm_packages(""), Ok(Vec::new()));
    }

    #[test]
    fn negations_cover_the_directory_itself() {
        let mut b = GlobSetBuilder::new();
        for glob in ["**/test/**"] {
            if let Ok(g) = GlobBuilder::new(glob).literal_separator(true).build() {
                b.add(g);
            }
        }
        let Ok(set) = b.build() else {
            panic!("globs build");
        };
        assert!(is_excluded(&set, "packages/test"));
        assert!(is_excluded(&set, "packages/test/fixture"));
        assert!(!is_excluded(&set, "packages/testing"));
    }
}
