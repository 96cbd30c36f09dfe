//! The builder data is written in TOML (`data/*.toml`, easy to edit) and shipped as JSON: the
//! build converts each file once, so the binary parses JSON at start-up (with serde_json, which
//! it has anyway) instead of running a TOML parser on every invocation.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let data = Path::new("data");
    println!("cargo::rerun-if-changed=data");
    for entry in std::fs::read_dir(data).expect("stdlib/data") {
        let path = entry.expect("a data file").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("a readable data file");
        let value: serde_json::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_stem().expect("a file name").to_string_lossy();
        std::fs::write(
            Path::new(&out).join(format!("{name}.json")),
            serde_json::to_string(&value).expect("JSON"),
        )
        .expect("OUT_DIR is writable");
    }
}
