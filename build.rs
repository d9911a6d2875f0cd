//! Embeds every `rules/*.toml` file into the binary as the built-in rule set, and writes the
//! first names' forms table (`rules/names/first_names.txt` declined) as Rust statics.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

// The declension and the table builder, as the crate has them (`name_forms` reaches the
// declension as `super::declension`, here the crate root's).
#[allow(dead_code)]
#[path = "src/detect/validators/declension.rs"]
mod declension;
#[path = "src/detect/validators/name_forms.rs"]
mod name_forms;
#[allow(dead_code)]
#[path = "src/detect/plain_letters.rs"]
mod plain_letters;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    for source in [
        "src/detect/validators/declension.rs",
        "src/detect/validators/name_forms.rs",
        "src/detect/plain_letters.rs",
    ] {
        println!("cargo:rerun-if-changed={source}");
    }
    embed_rules();
    write_name_forms();
}

/// `builtin_rules.rs`: every rule file's name and text.
fn embed_rules() {
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

/// `name_forms.rs`: `NAME_LIST`, `AMBIGUOUS`, `READINGS` (made by `r`, see
/// `person_name.rs`) and `FORMS`, a compile-time hash map of each form to its readings' range.
fn write_name_forms() {
    use declension::{Case, Gender};
    let list = fs::read_to_string("rules/names/first_names.txt").expect("first_names.txt");
    let table = name_forms::build(&list, plain_letters::without_diacritics);
    let mut out = String::new();
    let n = table.names.len();
    writeln!(out, "static NAME_LIST: [&str; {n}] = {:?};", table.names).unwrap();
    writeln!(
        out,
        "static AMBIGUOUS: [bool; {n}] = {:?};",
        table.ambiguous
    )
    .unwrap();
    writeln!(
        out,
        "static READINGS: [FormReading; {}] = [",
        table.readings.len()
    )
    .unwrap();
    for reading in &table.readings {
        let gender = match reading.gender {
            None => 0,
            Some(Gender::Male) => 1,
            Some(Gender::Female) => 2,
        };
        let case = match reading.case {
            Case::Nominative => 0,
            Case::Genitive => 1,
            Case::Dative => 2,
            Case::Accusative => 3,
        };
        writeln!(
            out,
            "r({}, {gender}, {case}, {}),",
            reading.name, reading.plain
        )
        .unwrap();
    }
    out.push_str("];\n");
    let mut forms = phf_codegen::Map::new();
    for (form, start, len) in &table.forms {
        forms.entry(form.as_str(), &format!("({start}, {len})"));
    }
    writeln!(
        out,
        "static FORMS: phf::Map<&'static str, (u32, u32)> = {};",
        forms.build()
    )
    .unwrap();
    let path = Path::new(&env::var("OUT_DIR").expect("out dir")).join("name_forms.rs");
    fs::write(path, out).expect("write name_forms.rs");
}
