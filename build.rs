//! Links the `schemac` executable at a fixed address (not position-independent): the loader
//! then has no relocations to apply at start-up, which saves the pages they would dirty (about
//! 0.6 MiB of a run's resident memory; `bench/RESULTS-export.md`).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
