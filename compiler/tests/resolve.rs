//! The module resolver against the fixture projects in `tests/fixtures/resolve/` (and, for
//! symlinks, projects built in a scratch directory).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use schemac_compiler::resolve::{FileSystem, RealFs, Resolution, Resolver};

fn fixtures() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .unwrap_or(manifest)
        .join("tests/fixtures/resolve")
}

/// A resolver over one fixture project, with paths relative to the project root.
struct Project {
    root: PathBuf,
    resolver: Resolver<RealFs>,
}

impl Project {
    fn new(name: &str) -> Project {
        Project {
            root: fixtures().join(name),
            resolver: Resolver::new(RealFs),
        }
    }

    fn resolve(&mut self, specifier: &str, from: &str) -> Resolution {
        self.resolver.resolve(specifier, &self.root.join(from))
    }

    /// Asserts that `specifier` imported from `from` is the file `expected`.
    #[track_caller]
    fn file(&mut self, specifier: &str, from: &str, expected: &str) {
        assert_eq!(
            self.resolve(specifier, from),
            Resolution::File(self.root.join(expected)),
            "`{specifier}` from {from}"
        );
    }

    /// Asserts that `specifier` imported from `from` is not found, and returns the hint.
    #[track_caller]
    fn not_found(&mut self, specifier: &str, from: &str) -> (Vec<PathBuf>, String) {
        match self.resolve(specifier, from) {
            Resolution::NotFound { tried, hint } => (tried, hint.unwrap_or_default()),
            other => panic!("`{specifier}` from {from}: expected NotFound, got {other:?}"),
        }
    }

    fn warnings(&self) -> Vec<String> {
        self.resolver
            .warnings()
            .iter()
            .map(|w| format!("{}: {}", w.file.display(), w.message))
            .collect()
    }
}

/// Every test sits in this module so that `cargo test -p schemac-compiler resolve` runs them.
mod resolve {
    use super::*;

    // ---- single-package project -------------------------------------------------------------

    const POSTS: &str = "src/db/schema/posts.ts";

    #[test]
    fn relative_imports_with_and_without_extensions() {
        let mut p = Project::new("single");
        p.file("./users.js", POSTS, "src/db/schema/users.ts");
        p.file("./users", POSTS, "src/db/schema/users.ts");
        p.file("./users.ts", POSTS, "src/db/schema/users.ts");
        p.file("./enums", POSTS, "src/db/schema/enums.ts");
        p.file("../columns", POSTS, "src/db/columns.ts");
        p.file("../../lib/env", POSTS, "src/lib/env.ts");
        p.file(
            "./src/db/schema/index.ts",
            "drizzle.config.ts",
            "src/db/schema/index.ts",
        );
    }

    #[test]
    fn barrels_and_esm_suffixes() {
        let mut p = Project::new("single");
        p.file("./schema", "src/db/index.ts", "src/db/schema/index.ts");
        p.file(
            "./schema/index.js",
            "src/db/index.ts",
            "src/db/schema/index.ts",
        );
        p.file("../lib", "src/db/index.ts", "src/lib/index.ts");
        p.file(".", "src/db/schema/users.ts", "src/db/schema/index.ts");
        p.file("..", "src/db/schema/users.ts", "src/db/index.ts");
    }

    #[test]
    fn typescript_extension_families() {
        let mut p = Project::new("single");
        let from = "src/db/index.ts";
        p.file("../utils/Button", from, "src/utils/Button.tsx");
        p.file("../utils/Button.js", from, "src/utils/Button.tsx");
        p.file("../utils/Button.jsx", from, "src/utils/Button.tsx");
        p.file("../utils/counter.mjs", from, "src/utils/counter.mts");
        p.file("../utils/counter", from, "src/utils/counter.mts");
    }

    #[test]
    fn javascript_only_when_no_typescript_exists() {
        let mut p = Project::new("single");
        let from = "src/db/index.ts";
        p.file("../legacy/slugify", from, "src/legacy/slugify.js");
        p.file("../legacy/slugify.js", from, "src/legacy/slugify.js");
        p.file("../legacy/format.js", from, "src/legacy/format.ts");
        p.file("../legacy/format", from, "src/legacy/format.ts");
    }

    #[test]
    fn declaration_files_are_no_sources() {
        let mut p = Project::new("single");
        let from = "src/db/index.ts";
        let (_, hint) = p.not_found("../only-types", from);
        assert!(hint.contains("only-types/index.d.ts"), "{hint}");
        let (_, hint) = p.not_found("../only-types/globals", from);
        assert!(hint.contains("declaration file"), "{hint}");
        let (_, hint) = p.not_found("../only-types/globals.d.ts", from);
        assert!(hint.contains("declaration file"), "{hint}");
    }

    #[test]
    fn directory_with_a_package_json() {
        let mut p = Project::new("single");
        let from = "src/db/index.ts";
        // `types: ./lib/money.d.ts`, never built: its source stands in for it.
        p.file("../vendor/money", from, "src/vendor/money/src/money.ts");
        p.file("../vendor/clock", from, "src/vendor/clock/clock.ts");
    }

    #[test]
    fn missing_relative_file_lists_what_was_tried() {
        let mut p = Project::new("single");
        let (tried, hint) = p.not_found("./nope", POSTS);
        let dir = p.root.join("src/db/schema");
        for expected in [
            "nope.ts", "nope.tsx", "nope.mts", "nope.cts", "nope.js", "nope.mjs",
        ] {
            assert!(
                tried.contains(&dir.join(expected)),
                "{expected} in {tried:?}"
            );
        }
        assert!(tried.iter().all(|t| t.is_absolute()));
        assert_eq!(hint, "");
    }

    #[test]
    fn tsconfig_paths_and_base_url() {
        let mut p = Project::new("single");
        p.file("@/lib/env", "src/db/index.ts", "src/lib/env.ts");
        p.file("@/lib", "src/db/index.ts", "src/lib/index.ts");
        p.file("~db/columns", POSTS, "src/db/columns.ts");
        // `@/db/*` has a longer prefix than `@/*`.
        p.file("@/db/schema", POSTS, "src/db/schema/index.ts");
        p.file("@/db/schema/users.js", POSTS, "src/db/schema/users.ts");
        // `baseUrl: "."`
        p.file("src/db/columns", POSTS, "src/db/columns.ts");
        assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    }

    #[test]
    fn broken_alias_is_not_found() {
        let mut p = Project::new("single");
        let (tried, hint) = p.not_found("~missing/thing", POSTS);
        assert!(hint.contains("~missing/*"), "{hint}");
        assert!(
            tried.contains(&p.root.join("nowhere/thing.ts")),
            "{tried:?}"
        );
        // The catch-all `@*` maps no scoped package here: it is a package, as TypeScript falls
        // back to node_modules.
        assert_eq!(
            p.resolve("@t3-oss/env-nextjs", POSTS),
            Resolution::External("@t3-oss/env-nextjs".into())
        );
        // The base's `paths` are replaced whole by the child's, so `#legacy/*` is gone.
        let (_, hint) = p.not_found("#legacy/slugify", POSTS);
        assert!(hint.contains("imports"), "{hint}");
    }

    #[test]
    fn drizzle_and_external_packages() {
        let mut p = Project::new("single");
        for specifier in [
            "drizzle-orm",
            "drizzle-orm/pg-core",
            "drizzle-orm/postgres-js",
        ] {
            assert_eq!(
                p.resolve(specifier, POSTS),
                Resolution::Drizzle(specifier.to_string())
            );
        }
        // Deno's npm specifiers, with or without a version.
        for (specifier, package) in [
            ("npm:drizzle-orm/pg-core", "drizzle-orm/pg-core"),
            ("npm:drizzle-orm@0.45.1/pg-core", "drizzle-orm/pg-core"),
            ("npm:drizzle-orm@^0.45", "drizzle-orm"),
        ] {
            assert_eq!(
                p.resolve(specifier, POSTS),
                Resolution::Drizzle(package.to_string())
            );
        }
        // A relative path into node_modules is the package (whether installed or not).
        for (specifier, package) in [
            ("../../node_modules/drizzle-orm", "drizzle-orm"),
            (
                "../../node_modules/drizzle-orm/mysql-core/",
                "drizzle-orm/mysql-core",
            ),
        ] {
            assert_eq!(
                p.resolve(specifier, POSTS),
                Resolution::Drizzle(package.to_string())
            );
        }
        for specifier in [
            "dotenv/config",
            "zod",
            "nanoid",
            "@paralleldrive/cuid2",
            "node:crypto",
            "crypto",
            "drizzle-zod",
            "drizzle-kit",
            "postgres",
        ] {
            assert_eq!(
                p.resolve(specifier, POSTS),
                Resolution::External(specifier.to_string())
            );
        }
        assert!(matches!(p.resolve("", POSTS), Resolution::NotFound { .. }));
        // Aliases that no `paths` maps are not packages: no npm package has such a name.
        for specifier in ["~/server/db", "$lib/server/schema", "~"] {
            let (_, hint) = p.not_found(specifier, POSTS);
            assert!(hint.contains("path alias"), "{specifier}: {hint}");
        }
    }

    // ---- yarn-style monorepo ----------------------------------------------------------------

    const WEB_SCHEMA: &str = "apps/web/src/db/schema.ts";

    #[test]
    fn workspace_packages_through_exports() {
        let mut p = Project::new("monorepo-yarn");
        // Every target is `./dist/...`, which was never built.
        p.file("@acme/db", WEB_SCHEMA, "packages/db/src/index.ts");
        p.file(
            "@acme/db/schema",
            WEB_SCHEMA,
            "packages/db/src/schema/index.ts",
        );
        p.file(
            "@acme/db/schema/users",
            WEB_SCHEMA,
            "packages/db/src/schema/users.ts",
        );
        p.file("@acme/db/client", WEB_SCHEMA, "packages/db/src/client.ts");
        p.file(
            "@acme/db/package.json",
            WEB_SCHEMA,
            "packages/db/package.json",
        );
        let (_, hint) = p.not_found("@acme/db/migrate", WEB_SCHEMA);
        assert!(hint.contains("does not export `./migrate`"), "{hint}");
        assert!(hint.contains("`./schema/*`"), "{hint}");
    }

    #[test]
    fn workspace_package_with_main() {
        let mut p = Project::new("monorepo-yarn");
        p.file("@acme/shared", WEB_SCHEMA, "packages/shared/src/index.ts");
        p.file(
            "@acme/shared",
            "packages/db/src/schema/users.ts",
            "packages/shared/src/index.ts",
        );
        // Without `exports`, a subpath is a path in the package.
        p.file(
            "@acme/shared/src/ids",
            WEB_SCHEMA,
            "packages/shared/src/ids.ts",
        );
    }

    #[test]
    fn app_tsconfig_extends_the_root_base() {
        let mut p = Project::new("monorepo-yarn");
        p.file("@/lib/env", WEB_SCHEMA, "apps/web/src/lib/env.ts");
        assert_eq!(
            p.resolve("next", WEB_SCHEMA),
            Resolution::External("next".to_string())
        );
        assert_eq!(
            p.resolve("drizzle-orm/pg-core", WEB_SCHEMA),
            Resolution::Drizzle("drizzle-orm/pg-core".to_string())
        );
        // `extends: "../../tsconfig.base"` (no `.json`): the root's `paths`, relative to the root.
        p.file(
            "@root/db/src/client",
            "packages/shared/src/ids.ts",
            "packages/db/src/client.ts",
        );
        // `extends: "@acme/tsconfig/base.json"`, a workspace package that is not installed; its
        // `paths` are relative to it and replace the root's.
        p.file(
            "~shared/ids",
            "packages/db/src/schema/users.ts",
            "packages/shared/src/ids.ts",
        );
        assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    }

    // ---- pnpm monorepo ----------------------------------------------------------------------

    const SERVER: &str = "apps/api/src/server.ts";
    const SEED: &str = "apps/tools/seed/src/seed.ts";

    #[test]
    fn pnpm_workspace_globs() {
        let mut p = Project::new("monorepo-pnpm");
        // `apps/**` reaches nested packages.
        p.file("@acme/api", SEED, "apps/api/src/server.ts");
        p.file("@acme/seed", SERVER, "apps/tools/seed/src/seed.ts");
        // `!**/test/**` leaves test fixtures out.
        assert_eq!(
            p.resolve("@acme/test-fixture", SEED),
            Resolution::External("@acme/test-fixture".to_string())
        );
        assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    }

    #[test]
    fn nested_conditions_and_wildcard_exports() {
        let mut p = Project::new("monorepo-pnpm");
        p.file(
            "@acme/db",
            "apps/api/src/db/sessions.ts",
            "packages/db/src/index.ts",
        );
        p.file(
            "@acme/db/schema/accounts",
            SERVER,
            "packages/db/src/schema/accounts.ts",
        );
        let (_, hint) = p.not_found("@acme/db/internal/secret", SERVER);
        assert!(hint.contains("does not export"), "{hint}");
        p.file("@acme/ui/button", SEED, "packages/ui/button.tsx");
        let (_, hint) = p.not_found("@acme/ui", SEED);
        assert!(hint.contains("does not export `.`"), "{hint}");
    }

    #[test]
    fn build_output_maps_to_sources() {
        let mut p = Project::new("monorepo-pnpm");
        // `main: ./build/esm/index.js`, `types: ./build/types/index.d.ts`
        p.file("@acme/legacy", SEED, "packages/legacy/src/index.ts");
        // Only a declaration file is there: no values to read.
        let (tried, hint) = p.not_found("@acme/types-only", SEED);
        assert!(hint.contains("./dist/index.d.ts"), "{hint}");
        assert!(
            tried.contains(&p.root.join("packages/types-only/src/index.ts")),
            "{tried:?}"
        );
    }

    #[test]
    fn subpath_imports() {
        let mut p = Project::new("monorepo-pnpm");
        p.file("#env", SERVER, "apps/api/src/env.ts");
        p.file("#db/sessions", SERVER, "apps/api/src/db/sessions.ts");
        p.file(
            "#db/sessions",
            "apps/api/src/db/sessions.ts",
            "apps/api/src/db/sessions.ts",
        );
        assert_eq!(
            p.resolve("#zod", SERVER),
            Resolution::External("zod".to_string())
        );
        let (_, hint) = p.not_found("#nope", SERVER);
        assert!(hint.contains("apps/api/package.json"), "{hint}");
    }

    // ---- tsconfig details -------------------------------------------------------------------

    #[test]
    fn paths_without_base_url_are_relative_to_their_tsconfig() {
        let mut p = Project::new("tsconfig/paths-relative");
        p.file("@lib/math", "src/main.ts", "lib/math.ts");
    }

    #[test]
    fn inherited_base_url_is_relative_to_its_tsconfig() {
        let mut p = Project::new("tsconfig/baseurl-inherited");
        p.file("@app/routes", "src/index.ts", "src/app/routes.ts");
        p.file("models/user", "src/index.ts", "src/models/user.ts");
    }

    #[test]
    fn extends_array_later_bases_win() {
        let mut p = Project::new("tsconfig/extends-array");
        p.file("@x/which", "src/main.ts", "src/b/which.ts");
        assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    }

    #[test]
    fn extends_package_with_tsconfig_field_and_config_dir() {
        let mut p = Project::new("tsconfig/extends-package");
        p.file("$lib/x", "src/main.ts", "src/lib/x.ts");
        // `baseUrl: "${configDir}"` is the project, not the package.
        p.file("src/lib/x", "src/main.ts", "src/lib/x.ts");
        assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    }

    #[test]
    fn extends_cycle_is_cut_and_reported() {
        let mut p = Project::new("tsconfig/cycle");
        p.file("@/ok", "src/main.ts", "src/ok.ts");
        let warnings = p.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("circle"), "{warnings:?}");
    }

    #[test]
    fn broken_tsconfig_is_reported() {
        let mut p = Project::new("tsconfig/broken");
        p.file("./ok", "src/main.ts", "src/ok.ts");
        // Without its `paths`, `@/ok` is an alias nothing maps (no package has that name).
        let (_, hint) = p.not_found("@/ok", "src/main.ts");
        assert!(hint.contains("path alias"), "{hint}");
        let warnings = p.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("does not parse"), "{warnings:?}");
    }

    #[test]
    fn missing_bases_are_reported() {
        let mut p = Project::new("tsconfig/missing-base");
        p.file("@/ok", "src/main.ts", "src/ok.ts");
        let warnings = p.warnings().join("\n");
        assert!(warnings.contains("`./tsconfig.nope.json`"), "{warnings}");
        assert!(
            warnings.contains("(`./tsconfig.shared.json`)"),
            "{warnings}"
        );
        assert!(warnings.contains("`@acme/not-installed`"), "{warnings}");
        assert_eq!(p.resolver.take_warnings().len(), 3);
        assert!(p.resolver.warnings().is_empty());
    }

    // ---- symlinks ---------------------------------------------------------------------------

    #[cfg(unix)]
    mod symlinks {
        use super::*;
        use std::fs;
        use std::os::unix::fs::symlink;

        fn write(path: &Path, text: &str) {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).expect("create dir");
            }
            fs::write(path, text).expect("write file");
        }

        fn link(target: &str, at: &Path) {
            if let Some(dir) = at.parent() {
                fs::create_dir_all(dir).expect("create dir");
            }
            symlink(target, at).expect("symlink");
        }

        /// A pnpm-style layout: no workspace file, but `node_modules` links.
        fn project() -> tempfile::TempDir {
            let tmp = tempfile::tempdir().expect("temp dir");
            let root = tmp.path();
            write(
                &root.join("packages/db/package.json"),
                r#"{ "name": "@acme/db", "main": "./dist/index.js" }"#,
            );
            write(
                &root.join("packages/db/src/index.ts"),
                "export const db = 1;\n",
            );
            write(
                &root.join("packages/db/src/extra.ts"),
                "export const extra = 1;\n",
            );
            write(&root.join("app/package.json"), r#"{ "name": "app" }"#);
            write(&root.join("app/src/main.ts"), "import '@acme/db';\n");
            link(
                "../../../packages/db",
                &root.join("app/node_modules/@acme/db"),
            );
            write(
                &root.join("app/node_modules/.pnpm/zod@3.23.8/node_modules/zod/package.json"),
                r#"{ "name": "zod", "main": "./lib/index.js" }"#,
            );
            link(
                ".pnpm/zod@3.23.8/node_modules/zod",
                &root.join("app/node_modules/zod"),
            );
            link("loop", &root.join("app/node_modules/loop"));
            link("ping", &root.join("app/node_modules/pong"));
            link("pong", &root.join("app/node_modules/ping"));
            link("../../packages/db/src", &root.join("app/src/linked"));
            tmp
        }

        #[test]
        fn node_modules_links_to_local_packages() {
            let tmp = project();
            let root = tmp.path();
            let from = root.join("app/src/main.ts");
            let mut r = Resolver::new(RealFs);
            assert_eq!(
                r.resolve("@acme/db", &from),
                Resolution::File(root.join("packages/db/src/index.ts"))
            );
            assert_eq!(
                r.resolve("@acme/db/src/extra", &from),
                Resolution::File(root.join("packages/db/src/extra.ts"))
            );
            assert_eq!(
                r.resolve("zod", &from),
                Resolution::External("zod".to_string())
            );
            for looping in ["loop", "ping"] {
                assert_eq!(
                    r.resolve(looping, &from),
                    Resolution::External(looping.to_string())
                );
            }
        }

        #[test]
        fn paths_through_symlinks_are_kept() {
            let tmp = project();
            let root = tmp.path();
            let mut r = Resolver::new(RealFs);
            assert_eq!(
                r.resolve("./linked/extra", &root.join("app/src/main.ts")),
                Resolution::File(root.join("app/src/linked/extra.ts"))
            );
        }

        #[test]
        fn workspace_walk_survives_directory_loops() {
            let tmp = tempfile::tempdir().expect("temp dir");
            let root = tmp.path();
            write(
                &root.join("package.json"),
                r#"{ "private": true, "workspaces": { "packages": ["packages/**"] } }"#,
            );
            write(
                &root.join("packages/group/db/package.json"),
                r#"{ "name": "@acme/db", "exports": "./src/index.ts" }"#,
            );
            write(&root.join("packages/group/db/src/index.ts"), "export {};\n");
            link("..", &root.join("packages/group/db/up"));
            link(".", &root.join("packages/group/self"));
            let mut r = Resolver::new(RealFs);
            assert_eq!(
                r.resolve("@acme/db", &root.join("packages/group/db/src/index.ts")),
                Resolution::File(root.join("packages/group/db/src/index.ts"))
            );
        }
    }

    // ---- another file system ----------------------------------------------------------------

    /// Files in memory: directories are the parents of files.
    struct MemoryFs(HashMap<PathBuf, String>);

    impl FileSystem for MemoryFs {
        fn read_to_string(&self, path: &Path) -> io::Result<String> {
            self.0
                .get(path)
                .cloned()
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        }

        fn is_file(&self, path: &Path) -> bool {
            self.0.contains_key(path)
        }

        fn is_dir(&self, path: &Path) -> bool {
            self.0.keys().any(|f| f.starts_with(path) && f != path)
        }

        fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
            let mut entries: Vec<PathBuf> = self
                .0
                .keys()
                .filter_map(|f| f.strip_prefix(path).ok()?.components().next())
                .map(|c| path.join(c))
                .collect();
            entries.sort();
            entries.dedup();
            Ok(entries)
        }
    }

    #[test]
    fn resolver_runs_on_any_file_system() {
        let files = [
            (
                "/repo/pnpm-workspace.yaml",
                "packages:\n  - packages/*\n  - apps/*\n",
            ),
            (
                "/repo/packages/db/package.json",
                r#"{ "name": "@acme/db", "exports": { "./*": { "types": "./dist/*.d.ts" } } }"#,
            ),
            ("/repo/packages/db/src/users.ts", "export {};"),
            (
                "/repo/apps/web/tsconfig.json",
                "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\",], }, }, } // jsonc",
            ),
            ("/repo/apps/web/src/env.ts", "export {};"),
            ("/repo/apps/web/src/schema.ts", "export {};"),
        ];
        let fs = MemoryFs(
            files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), t.to_string()))
                .collect(),
        );
        let mut r = Resolver::new(fs);
        let from = Path::new("/repo/apps/web/src/schema.ts");
        assert_eq!(
            r.resolve("@acme/db/users", from),
            Resolution::File(PathBuf::from("/repo/packages/db/src/users.ts"))
        );
        assert_eq!(
            r.resolve("@/env", from),
            Resolution::File(PathBuf::from("/repo/apps/web/src/env.ts"))
        );
        assert!(r.warnings().is_empty(), "{:?}", r.warnings());
    }
}
