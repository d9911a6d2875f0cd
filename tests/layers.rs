//! The crate's modules import one way. Each top-level module sits in a layer and may use only
//! modules of lower layers (`docs/ARCHITECTURE.md` shows the same table), and the files inside a
//! folder module (`extract/mail.rs`, `extract/ole.rs`...) import each other without cycles.
//!
//! Imports are read from the source: every `crate::` and `super::` path outside comments,
//! with `use` groups (`crate::{a, b::c}`) unfolded. Run it with `cargo test --test layers`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use the modules of the layers below its own, never
/// one of its own layer or above. A new module must be placed here.
const LAYERS: &[&[&str]] = &[
    // The contract and process-wide leaves: they import nothing of the crate.
    &["inventory", "exit_code", "memory", "panics"],
    // What the leaves are made into: rules and detection, the walk, reader processes'
    // frames, a scanned file's outcome, retention periods.
    &["detect", "walk", "isolation", "outcome", "retention"],
    // Reading files; folding findings into a file's summaries.
    &["extract", "findings"],
    // Tables: column classes and their tallies.
    &["tables"],
    // The scan, the store, the writers.
    &["scan", "store", "report"],
    // What the commands are made of.
    &["diff", "find", "register", "cli"],
    &["config"],
    &["commands"],
];

/// A module's files: `src/a.rs` is `a`, `src/a/b.rs` is `a::b`, `src/a/mod.rs` is `a`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (line comments, doc comments, block comments) and without the
/// contents of string literals, so that neither can look like an import.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut depth = 1;
                let mut last = ' ';
                for c in chars.by_ref() {
                    match (last, c) {
                        ('*', '/') => {
                            depth -= 1;
                            last = ' ';
                            if depth == 0 {
                                break;
                            }
                        }
                        ('/', '*') => {
                            depth += 1;
                            last = ' ';
                        }
                        _ => last = c,
                    }
                }
            }
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push('"');
            }
            // A char literal such as '"' would open a string; lifetimes ('a) stay as they are.
            '\'' => {
                out.push('\'');
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\\") || rest.chars().nth(1) == Some('\'') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                    out.push('\'');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Every path that starts at `crate::` or `super::`, as segments from the crate root, for a
/// file of module `module`: `use crate::{a::b, c}` gives `[a, b]` and `[c]`.
fn paths_used(code: &str, module: &[String], is_folder_root: bool) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let rest = &code[i..];
        let base = if !word_start {
            None
        } else if rest.starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if rest.starts_with("super::") {
            // `super` of `a/b.rs` is `a`; of `a/mod.rs` (module `a`) it is the crate root.
            let mut parent = module.to_vec();
            if !is_folder_root || !parent.is_empty() {
                parent.pop();
            }
            let mut skip = "super::".len();
            while code[i + skip..].starts_with("super::") {
                parent.pop();
                skip += "super::".len();
            }
            Some((parent, skip))
        } else {
            None
        };
        match base {
            Some((prefix, skip)) => {
                let end = parse_tree(&code[i + skip..], prefix, &mut found);
                i += skip + end;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

/// Parses a path tree (`a::b`, `a::{b, c::d}`, `{a, b}`) at the start of `text`, pushing each
/// full path; returns how many bytes it took.
fn parse_tree(text: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    let mut i = 0;
    loop {
        let rest = &text[i..];
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if trimmed.starts_with('{') {
            i += 1;
            loop {
                i += parse_tree(&text[i..], path.clone(), out);
                let rest = text[i..].trim_start();
                i = text.len() - rest.len();
                if rest.starts_with(',') {
                    i += 1;
                } else {
                    if rest.starts_with('}') {
                        i += 1;
                    }
                    return i;
                }
                if text[i..].trim_start().starts_with('}') {
                    i = text.len() - text[i..].trim_start().len() + 1;
                    return i;
                }
            }
        }
        let ident: String = trimmed
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            out.push(path);
            return i;
        }
        i += ident.len();
        if ident != "self" {
            path.push(ident);
        }
        if text[i..].starts_with("::") {
            i += 2;
        } else {
            out.push(path);
            return i;
        }
    }
}

/// The module a path names: its longest prefix that is a module of the crate.
fn target_module(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains(prefix))
}

struct Imports {
    /// Top-level module → the top-level modules it uses, with one file that does.
    top: BTreeMap<String, BTreeMap<String, String>>,
    /// Folder module → edges between its direct submodules.
    inner: BTreeMap<Vec<String>, BTreeSet<(String, String)>>,
}

fn imports() -> Imports {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| !m.is_empty() && m != &["main"] && m != &["lib"])
        .collect();
    let mut top: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut inner: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        if module.is_empty() || module == ["main"] || module == ["lib"] {
            continue;
        }
        let is_folder_root = file.file_name().is_some_and(|n| n == "mod.rs");
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for path in paths_used(&code, &module, is_folder_root) {
            let Some(target) = target_module(&path, &modules) else {
                continue;
            };
            if target[0] != module[0] {
                top.entry(module[0].clone()).or_default().insert(
                    target[0].clone(),
                    file.strip_prefix(&src).unwrap().display().to_string(),
                );
                continue;
            }
            // Inside one folder module: the two files' first differing segments, when both
            // are below the same parent (siblings), are an edge between siblings.
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                inner
                    .entry(module[..common].to_vec())
                    .or_default()
                    .insert((module[common].clone(), target[common].clone()));
            }
        }
    }
    Imports { top, inner }
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn every_module_imports_only_lower_layers() {
    let imports = imports();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for top in files.iter().map(|f| module_of(&src, f)[0].clone()) {
        if top != "main" && top != "lib" && layer_of(&top).is_none() {
            problems.push(format!("module `{top}` is in no layer of tests/layers.rs"));
        }
    }
    for (from, uses) in &imports.top {
        for (to, file) in uses {
            let (Some(a), Some(b)) = (layer_of(from), layer_of(to)) else {
                continue;
            };
            if b >= a {
                problems.push(format!(
                    "{from} (layer {a}) uses {to} (layer {b}) in src/{file}"
                ));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_files_of_a_folder_module_import_each_other_without_cycles() {
    let imports = imports();
    let mut cycles = Vec::new();
    for (parent, edges) in &imports.inner {
        // A cycle exists if some node reaches itself.
        let nodes: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
        for start in nodes {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<(&String, Vec<&String>)> = vec![(start, vec![start])];
            while let Some((node, trail)) = stack.pop() {
                for (_, next) in edges.iter().filter(|(a, _)| a == node) {
                    if next == start {
                        let mut trail = trail.clone();
                        trail.push(next);
                        let names: Vec<&str> = trail.iter().map(|s| s.as_str()).collect();
                        cycles.push(format!("{}: {}", parent.join("::"), names.join(" -> ")));
                    } else if seen.insert(next) {
                        let mut trail = trail.clone();
                        trail.push(next);
                        stack.push((next, trail));
                    }
                }
            }
        }
    }
    assert!(cycles.is_empty(), "{}", cycles.join("\n"));
}

#[test]
fn the_import_reader_sees_groups_supers_and_ignores_comments() {
    let code = code_only(
        "// use crate::nope;\nuse crate::{a::b, c::{d, e::F}};\n/* crate::x */ let s = \"crate::y\";\nsuper::z::q();",
    );
    let module = vec!["m".to_string(), "n".to_string()];
    let paths = paths_used(&code, &module, false);
    let names: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(names, ["a::b", "c::d", "c::e::F", "m::z::q"]);
}
