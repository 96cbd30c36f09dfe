//! How the `schemac` executable is linked (`bench/RESULTS-export.md` has the measurements):
//!
//! - At a fixed address (not position-independent): the loader then has no relocations to
//!   apply at start-up, which saves the pages they would dirty (about 0.6 MiB of a run's
//!   resident memory).
//! - With the functions everyday commands run laid out together (`src/hot.order`, written by
//!   `bench/order.sh`), where the linker is LLD (Rust's default on x86-64 Linux since 1.90). The
//!   kernel maps a binary's code 64 KiB around each page a run touches; packed, `export` keeps
//!   about 1.4 MB of the binary resident instead of 4.9 MB.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/hot.order");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    if links_with_rust_lld() {
        let order = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
            .join("src")
            .join("hot.order");
        if order.is_file() {
            println!(
                "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
                order.display()
            );
            // Names of functions a later change removed or renamed are skipped.
            println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        }
    }
}

/// Whether the link uses the toolchain's own LLD: x86-64 Linux (GNU) with Rust 1.90 or later,
/// and no linker chosen by the user (another linker may not know `--symbol-ordering-file`).
fn links_with_rust_lld() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_ARCH") != "x86_64" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return false;
    }
    if std::env::var_os("RUSTC_LINKER").is_some() {
        return false;
    }
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    if ["fuse-ld", "linker-flavor", "link-self-contained", "linker="]
        .iter()
        .any(|f| flags.contains(f))
    {
        return false;
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8_lossy(&out.stdout);
    let mut parts = version
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (1, 90)
}
