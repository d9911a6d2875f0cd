//! Embeds every `rules/*.toml` file into the binary as the built-in rule set.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut names: Vec<String> = fs::read_dir("rules")
        .expect("rules/ directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let root = env::var("CARGO_MANIFEST_DIR").expect("manifest dir");
    let entries: String = names
        .iter()
        .map(|n| {
            format!(
                "({n:?}, include_str!({:?})),\n",
                Path::new(&root).join("rules").join(n)
            )
        })
        .collect();
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).join("builtin_rules.rs");
    fs::write(out, format!("&[\n{entries}]\n")).expect("write builtin_rules.rs");
}
