//! Module resolution: from an import specifier, as written in a TypeScript file, to the file it
//! names, without running Node.
//!
//! [`Resolver::resolve`] is the one entry point. It answers one import at a time, so import
//! cycles between files are the caller's business; the resolver itself never loops (cycles of
//! `extends` and loops of symlinks are cut and reported).
//!
//! # The algorithm
//!
//! A specifier is resolved by the first rule that applies:
//!
//! 1. `drizzle-orm` and `drizzle-orm/…` are [`Resolution::Drizzle`], installed or not: schemac
//!    knows that package's API and never reads it from `node_modules`.
//! 2. A specifier with a URL scheme (`node:crypto`, `npm:x`, `https://…`) is
//!    [`Resolution::External`].
//! 3. A relative (`./x`, `../y/z`, `.`, `..`) or absolute specifier is a path from the importing
//!    file's directory, probed as described in [Probing a path](self#probing-a-path).
//! 4. Any other (bare) specifier goes through, in this order:
//!    1. `compilerOptions.paths` of the nearest `tsconfig.json` (see the `tsconfig` module);
//!    2. `compilerOptions.baseUrl` of that tsconfig: the specifier as a path below it;
//!    3. for `#…` specifiers, the `imports` map of the nearest `package.json`;
//!    4. the packages of the monorepo workspaces above the importing file (see the `workspace`
//!       module), entered through their `package.json` (see the `package` module);
//!    5. a `node_modules/<name>` symlink, found walking up, that points at a directory outside
//!       any `node_modules` (how pnpm and yarn link workspace packages): treated as a workspace
//!       package;
//!    6. the package that contains the importing file, when the specifier names it and it has
//!       `exports` (Node's self-reference).
//!
//!    A bare specifier that none of these resolves is [`Resolution::External`] (`zod`,
//!    `dotenv/config`, `crypto`), except a `#…` specifier, one that matched a `paths`
//!    pattern other than the catch-alls `*` and `@*` and is not installed in `node_modules`,
//!    and one
//!    that is no valid npm package name (`@/db`, `~/server`, `$lib/x`): those are
//!    broken aliases, so they are [`Resolution::NotFound`].
//!
//! # Probing a path
//!
//! A path is tried in two passes, TypeScript sources first, so a `.js` file is taken only when no
//! TypeScript file fits anywhere (not as a file and not as a directory):
//!
//! * **source pass**: a path written with a TypeScript extension (`.ts`, `.tsx`, `.mts`, `.cts`)
//!   as written; a path written with a JavaScript extension with it swapped for the TypeScript
//!   one (ESM style: `./users.js` means `./users.ts` or `./users.tsx`, `.jsx` means `.tsx`,
//!   `.mjs` means `.mts`, `.cjs` means `.cts`); any other path with `.ts`, `.tsx`, `.mts`, `.cts`
//!   appended; then, if the path is a directory, the source entry of its `package.json`
//!   (`types`, `typings`, `module`, `main`, each with the guesses for unbuilt packages of the
//!   `package` module; `exports` is not used for a relative import, as in TypeScript) and
//!   `index.ts`, `index.tsx`.
//! * **built pass**: the path as written (any existing file, e.g. `./users.js` or `./data.json`);
//!   for a path without a JavaScript extension, `.js`, `.jsx`, `.mjs`, `.cjs` appended; then, if
//!   it is a directory, its `package.json` entry as written and `index.js`, `index.jsx`.
//!
//! Declaration files (`.d.ts`, `.d.mts`, `.d.cts`) are never a result: they have no values.
//! Any other existing file named with its extension is (`./seed.json`, `./logo.svg`): what to
//! make of it is the caller's business.
//!
//! Paths returned are absolute and normalized lexically (no `.` or `..` segments). Symlinks are
//! not resolved, so a result is the path the user knows, except for the `node_modules` links of
//! rule 4.5, which are followed to the package directory they point at.
//!
//! # Not supported
//!
//! `typesVersions`, `rootDirs`, `moduleSuffixes`, `jsconfig.json`, solution-style tsconfigs
//! (`references` and `files`/`include` are ignored: the nearest `tsconfig.json` owns every file
//! below it), `exports` folder mappings ending in `/` (removed from Node), workspaces listed
//! only in `lerna.json` or `rush.json`, and packages installed from a registry (they are
//! [`Resolution::External`], never read).

mod package;
mod probe;
mod tsconfig;
mod workspace;

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use package::PackageJson;
use tsconfig::{RawOptions, TsPaths};
use workspace::Workspace;

/// What the resolver needs from the file system, so tests and a future virtual file system can
/// stand in for the disk.
pub trait FileSystem {
    /// The whole text of a file.
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
    /// Whether `path` is a file (following symlinks).
    fn is_file(&self, path: &Path) -> bool;
    /// Whether `path` is a directory (following symlinks).
    fn is_dir(&self, path: &Path) -> bool;
    /// The entries of a directory, as full paths, in any order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// The target of a symlink, as stored in the link (possibly relative to the link's
    /// directory). An error for anything that is not a symlink; the default has no symlinks.
    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a symlink", path.display()),
        ))
    }
}

/// The real file system, through `std::fs`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect()
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::read_link(path)
    }
}

/// Where an import specifier leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A source file of the project (absolute, normalized path).
    File(PathBuf),
    /// `drizzle-orm` or one of its subpaths, e.g. `drizzle-orm/pg-core`; carries the specifier.
    Drizzle(String),
    /// Another npm package, or a Node builtin (`node:crypto`, `crypto`), that is not a workspace
    /// package: its values are opaque to schemac. Carries the specifier.
    External(String),
    /// Nothing found: every path tried (for the error message) and what to do about it, when
    /// there is something useful to say.
    NotFound {
        tried: Vec<PathBuf>,
        hint: Option<String>,
    },
}

/// A problem in a configuration file met while resolving (a `tsconfig.json` or `package.json`
/// that does not parse, an `extends` that leads nowhere or in a circle, a bad workspace glob).
/// Resolution goes on without the broken part; the caller turns these into diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveWarning {
    /// The configuration file at fault.
    pub file: PathBuf,
    pub message: String,
}

/// Resolves import specifiers to files. Keeps what it has read of configuration files, so one
/// resolver should serve a whole compilation; it never sees a file change after reading it.
pub struct Resolver<F: FileSystem> {
    fs: F,
    warnings: Vec<ResolveWarning>,
    /// `package.json` by the directory that holds it (`None`: no file, or it did not parse).
    package_json: HashMap<PathBuf, Option<Rc<PackageJson>>>,
    /// Each `tsconfig.json` read, with its `extends` chain applied, by its path.
    tsconfig_files: HashMap<PathBuf, Rc<RawOptions>>,
    /// The nearest `tsconfig.json`'s resolution options, by the directory asked from.
    nearest_tsconfig: HashMap<PathBuf, Option<Rc<TsPaths>>>,
    /// The workspace rooted at a directory, by that directory (`None`: it is no workspace root).
    workspaces: HashMap<PathBuf, Option<Rc<Workspace>>>,
}

impl<F: FileSystem> Resolver<F> {
    pub fn new(fs: F) -> Self {
        Resolver {
            fs,
            warnings: Vec::new(),
            package_json: HashMap::new(),
            tsconfig_files: HashMap::new(),
            nearest_tsconfig: HashMap::new(),
            workspaces: HashMap::new(),
        }
    }

    /// The problems met in configuration files so far, each once.
    pub fn warnings(&self) -> &[ResolveWarning] {
        &self.warnings
    }

    /// Takes the problems met so far, leaving none.
    pub fn take_warnings(&mut self) -> Vec<ResolveWarning> {
        std::mem::take(&mut self.warnings)
    }

    /// Resolves `specifier` as written in an import of `from_file`, by the rules in the
    /// [module documentation](self). `from_file` should be absolute; a relative one is taken
    /// against the current directory.
    pub fn resolve(&mut self, specifier: &str, from_file: &Path) -> Resolution {
        let from_file = absolute(from_file);
        let from_dir = from_file.parent().unwrap_or(&from_file).to_path_buf();
        let mut trace = Trace::default();

        if specifier.is_empty() {
            return Resolution::NotFound {
                tried: Vec::new(),
                hint: Some("the import specifier is empty".to_string()),
            };
        }
        if is_drizzle(specifier) {
            return Resolution::Drizzle(specifier.to_string());
        }
        // Deno's `npm:drizzle-orm@0.45/pg-core` is the package.
        if let Some(package) = specifier.strip_prefix("npm:").map(without_version)
            && is_drizzle(&package)
        {
            return Resolution::Drizzle(package);
        }
        if let Some(module) = payload_drizzle(specifier) {
            return Resolution::Drizzle(module);
        }
        if has_url_scheme(specifier) {
            return Resolution::External(specifier.to_string());
        }
        if is_path_specifier(specifier) {
            let path = normalize(&from_dir.join(specifier));
            // `../node_modules/drizzle-orm` is the package itself, as Node finds it.
            if let Some(package) = path
                .to_str()
                .and_then(|p| p.rsplit_once("/node_modules/"))
                .map(|(_, package)| package.trim_end_matches('/'))
                && is_drizzle(package)
            {
                return Resolution::Drizzle(package.to_string());
            }
            return match self.load_path(&path, &mut trace) {
                Some(file) => Resolution::File(file),
                None => {
                    let hint = self.path_hint(&path);
                    trace.not_found(hint)
                }
            };
        }
        self.resolve_bare(specifier, &from_dir, &mut trace)
    }

    /// Rule 4 of the module documentation.
    fn resolve_bare(&mut self, specifier: &str, from_dir: &Path, trace: &mut Trace) -> Resolution {
        // 4.1 and 4.2: tsconfig `paths` and `baseUrl`.
        let mut alias_hint = None;
        if let Some(ts) = self.nearest_tsconfig(from_dir) {
            if let Some(m) = ts.match_paths(specifier) {
                for target in &m.targets {
                    if let Some(file) = self.load_path(target, trace) {
                        return Resolution::File(file);
                    }
                }
                // `*` and `@*` catch every (scoped) package name: a package they do not map
                // is looked up as a package, as TypeScript falls back to.
                if m.pattern != "*" && m.pattern != "@*" {
                    alias_hint = Some(format!(
                        "`{specifier}` matches the pattern `{}` of `compilerOptions.paths` in {}, \
                         but none of its targets exists",
                        m.pattern,
                        ts.paths_config.display()
                    ));
                }
            }
            if let Some(base_url) = &ts.base_url {
                let path = normalize(&base_url.join(specifier));
                if let Some(file) = self.load_path(&path, trace) {
                    return Resolution::File(file);
                }
            }
        }

        // 4.3: subpath imports. A `#…` specifier names no npm package, so it goes no further.
        if specifier.starts_with('#') {
            if let Some(resolution) = self.resolve_subpath_import(specifier, from_dir, trace) {
                return resolution;
            }
            let hint = alias_hint.unwrap_or_else(|| match self.package_scope(from_dir) {
                Some(scope) => format!(
                    "`{specifier}` is no entry of the `imports` of {}",
                    scope.join("package.json").display()
                ),
                None => format!("`{specifier}` needs an `imports` entry in a package.json"),
            });
            return trace.not_found(Some(hint));
        }

        let (name, subpath) = split_package_name(specifier);

        // 4.4: workspace packages.
        for ws in self.workspaces_above(from_dir) {
            if let Some(dir) = ws.packages.get(name) {
                return self.resolve_in_package(dir, name, subpath, trace);
            }
        }

        // 4.5: `node_modules` links to local packages.
        match self.find_in_node_modules(name, from_dir) {
            Some(Installed::Local(dir)) => {
                return self.resolve_in_package(&dir, name, subpath, trace);
            }
            Some(Installed::Package) => return Resolution::External(specifier.to_string()),
            None => {}
        }

        // 4.6: self-reference.
        if let Some(dir) = self.package_scope(from_dir)
            && let Some(pkg) = self.package_json(&dir)
            && pkg.name.as_deref() == Some(name)
            && pkg.exports.is_some()
        {
            return self.resolve_in_package(&dir, name, subpath, trace);
        }

        match alias_hint {
            Some(hint) => trace.not_found(Some(hint)),
            // `@/db`, `~/server`, `$lib/x`: no npm package can have such a name, so it is an
            // alias that nothing maps (Node fails on it too), not a package schemac skips.
            None if !is_package_name(name) => trace.not_found(Some(format!(
                "`{specifier}` is no npm package name, so it must be a path alias, but no \
                 `compilerOptions.paths` of a tsconfig.json maps it"
            ))),
            None => Resolution::External(specifier.to_string()),
        }
    }

    /// A hint for a relative or aliased path that led nowhere.
    fn path_hint(&self, path: &Path) -> Option<String> {
        let declarations = [
            path.to_path_buf(),
            probe::declaration_sibling(path),
            path.join("index.d.ts"),
        ];
        if let Some(declaration) = declarations.iter().find(|d| {
            probe::kind_of(&probe::file_name(d)) == probe::Kind::Declaration && self.fs.is_file(d)
        }) {
            return Some(format!(
                "only the declaration file {} exists, and declarations have no values; \
                 schemac reads TypeScript sources",
                declaration.display()
            ));
        }
        if self.fs.is_dir(path) {
            return Some(format!(
                "{} is a directory without an `index.ts`; import a file in it, or add an \
                 `index.ts` that re-exports its modules",
                path.display()
            ));
        }
        None
    }

    fn warn(&mut self, file: &Path, message: String) {
        let warning = ResolveWarning {
            file: file.to_path_buf(),
            message,
        };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }
}

/// What `node_modules/<name>` holds.
enum Installed {
    /// A symlink to this directory outside any `node_modules`: a local package.
    Local(PathBuf),
    /// A package installed from a registry (or a link into another `node_modules`).
    Package,
}

impl<F: FileSystem> Resolver<F> {
    /// Looks for `node_modules/<name>` in `dir` and its ancestors; the first one found decides.
    fn find_in_node_modules(&mut self, name: &str, dir: &Path) -> Option<Installed> {
        for ancestor in dir.ancestors() {
            if ancestor.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            let candidate = ancestor.join("node_modules").join(name);
            if !self.fs.is_dir(&candidate) {
                continue;
            }
            return Some(match self.follow_links(&candidate) {
                Some(target) if target != candidate && !in_node_modules(&target) => {
                    Installed::Local(target)
                }
                _ => Installed::Package,
            });
        }
        None
    }

    /// Follows a chain of symlinks lexically, at most 32 links deep (a loop gives `None`).
    fn follow_links(&self, path: &Path) -> Option<PathBuf> {
        let mut current = path.to_path_buf();
        for _ in 0..32 {
            match self.fs.read_link(&current) {
                Ok(target) => {
                    let parent = current.parent().unwrap_or(&current);
                    current = normalize(&parent.join(target));
                }
                Err(_) => return Some(current),
            }
        }
        None
    }
}

/// The paths probed for one resolution, kept for [`Resolution::NotFound`].
#[derive(Debug, Default)]
struct Trace {
    tried: Vec<PathBuf>,
}

impl Trace {
    fn push(&mut self, path: &Path) {
        if !self.tried.iter().any(|p| p == path) {
            self.tried.push(path.to_path_buf());
        }
    }

    fn not_found(&mut self, hint: Option<String>) -> Resolution {
        Resolution::NotFound {
            tried: std::mem::take(&mut self.tried),
            hint,
        }
    }
}

/// `drizzle-orm` or `drizzle-orm/…`.
/// `drizzle-orm@0.45.1/pg-core` → `drizzle-orm/pg-core` (a version after the package name).
fn without_version(specifier: &str) -> String {
    let (name, subpath) = split_package_name(specifier);
    let bare = match name.rfind('@') {
        Some(at) if at > 0 => &name[..at],
        _ => name,
    };
    if subpath.is_empty() {
        bare.to_string()
    } else {
        format!("{bare}/{subpath}")
    }
}

/// Payload CMS's database adapters re-export drizzle-orm as `<adapter>/drizzle[/...]`
/// (`@payloadcms/db-postgres/drizzle/pg-core` is `export * from 'drizzle-orm/pg-core'`), and the
/// schemas Payload generates import from there: the drizzle-orm module of that path.
fn payload_drizzle(specifier: &str) -> Option<String> {
    if !specifier.starts_with("@payloadcms/") {
        return None;
    }
    let (_, subpath) = split_package_name(specifier);
    let rest = subpath.strip_prefix("drizzle")?;
    (rest.is_empty() || rest.starts_with('/')).then(|| format!("drizzle-orm{rest}"))
}

fn is_drizzle(specifier: &str) -> bool {
    specifier == "drizzle-orm" || specifier.starts_with("drizzle-orm/")
}

/// `node:fs`, `npm:x`, `https://…`: a scheme of two or more characters (so a Windows drive
/// letter is none) before the first `/`.
fn has_url_scheme(specifier: &str) -> bool {
    let Some(colon) = specifier.find(':') else {
        return false;
    };
    let scheme = &specifier[..colon];
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `.`, `..`, `./…`, `../…` or an absolute path.
fn is_path_specifier(specifier: &str) -> bool {
    specifier == "."
        || specifier == ".."
        || specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier.starts_with('/')
        || Path::new(specifier).is_absolute()
}

/// Splits a bare specifier into package name and subpath: `@acme/db/schema` →
/// (`@acme/db`, `schema`), `zod` → (`zod`, ``).
fn split_package_name(specifier: &str) -> (&str, &str) {
    let segments = if specifier.starts_with('@') { 2 } else { 1 };
    let mut end = specifier.len();
    let mut seen = 0;
    for (i, c) in specifier.char_indices() {
        if c == '/' {
            seen += 1;
            if seen == segments {
                end = i;
                break;
            }
        }
    }
    let name = &specifier[..end];
    let subpath = specifier[end..].trim_start_matches('/');
    (name, subpath)
}

/// Whether `name` (from [`split_package_name`]) can name an npm package: `name` or
/// `@scope/name`, each part non-empty, of URL-safe characters, not starting with `.` or `_`
/// (the rules npm applies to new packages, minus the case and length limits older packages
/// escape).
fn is_package_name(name: &str) -> bool {
    let part_ok = |p: &str| {
        !p.is_empty()
            && !p.starts_with(['.', '_'])
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(scope, pkg)| part_ok(scope) && part_ok(pkg)),
        None => part_ok(name),
    }
}

/// Whether a path has a `node_modules` segment.
fn in_node_modules(path: &Path) -> bool {
    path.components()
        .any(|c| matches!(c, Component::Normal(n) if n == "node_modules"))
}

/// Makes `path` absolute against the current directory, and normalizes it.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return normalize(path);
    }
    match std::env::current_dir() {
        Ok(cwd) => normalize(&cwd.join(path)),
        Err(_) => normalize(path),
    }
}

/// Removes `.` and `..` segments without touching the file system (`..` at the root stays at
/// the root).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    }

    #[test]
    fn splits_package_names() {
        assert_eq!(split_package_name("zod"), ("zod", ""));
        assert_eq!(split_package_name("dotenv/config"), ("dotenv", "config"));
        assert_eq!(split_package_name("@acme/db"), ("@acme/db", ""));
        assert_eq!(
            split_package_name("@acme/db/schema/users"),
            ("@acme/db", "schema/users")
        );
    }

    #[test]
    fn classifies_specifiers() {
        assert!(is_drizzle("drizzle-orm"));
        assert!(is_drizzle("drizzle-orm/pg-core"));
        assert!(!is_drizzle("drizzle-orm-extra"));
        assert!(!is_drizzle("drizzle-zod"));
        assert!(has_url_scheme("node:crypto"));
        assert!(has_url_scheme("https://esm.sh/zod"));
        assert!(!has_url_scheme("C:/x"));
        assert!(!has_url_scheme("@acme/db"));
        assert!(is_path_specifier("./x"));
        assert!(is_path_specifier(".."));
        assert!(!is_path_specifier(".hidden"));
        assert!(!is_path_specifier("@/db"));
        assert_eq!(
            payload_drizzle("@payloadcms/db-postgres/drizzle/pg-core").as_deref(),
            Some("drizzle-orm/pg-core")
        );
        assert_eq!(
            payload_drizzle("@payloadcms/db-sqlite/drizzle").as_deref(),
            Some("drizzle-orm")
        );
        assert_eq!(payload_drizzle("@payloadcms/db-postgres"), None);
        assert_eq!(payload_drizzle("@payloadcms/drizzle-extra"), None);
    }
}
