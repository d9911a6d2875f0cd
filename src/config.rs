//! The config file (`piimap scan --config piimap.toml`): every key is a `scan` flag, so a
//! scheduled job is one command. The file's settings become flags placed before those on the
//! command line, which therefore win (lists such as `exclude` and `retention` add up). Relative
//! paths in the file are relative to the file's folder.
//!
//! ```toml
//! roots = ["/srv/share"]
//! exclude = ["*.iso"]
//! store = "/var/lib/piimap/store.db"
//! output = "/var/lib/piimap/inventory.json"
//! key_file = "/etc/piimap/fingerprint.key"
//! max_file_size = "2G"
//!
//! [retention]
//! default = "10y"
//! "**/Pasakumi/**" = "1y"
//! "**/Personals/**" = "75y"
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::CommandFactory;

use crate::cli::Cli;

/// Keys whose values are paths, resolved against the config file's folder.
const PATH_KEYS: &[&str] = &["roots", "output", "store", "key_file", "rules"];

/// Keys that are not `scan` flags.
const NOT_FLAGS: &[&str] = &["roots", "retention", "config"];

/// The settings of a config file, as `scan` arguments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ConfigArgs {
    /// Flags and their values, in file order (`--exclude`, `*.iso`, `--quiet`...).
    pub flags: Vec<OsString>,
    /// `roots`: scanned when the command line names no paths.
    pub roots: Vec<PathBuf>,
}

/// Reads a config file into `scan` arguments; unknown keys and ill-typed values are errors
/// that name the key.
pub fn load(path: &Path) -> Result<ConfigArgs> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("config file {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    to_args(&table, base).with_context(|| format!("config file {}", path.display()))
}

fn to_args(table: &toml::Table, base: &Path) -> Result<ConfigArgs> {
    let command = Cli::command();
    let scan = command
        .find_subcommand("scan")
        .expect("the scan subcommand exists");
    let known: Vec<String> = scan
        .get_arguments()
        .filter_map(|a| a.get_long())
        .map(|l| l.replace('-', "_"))
        .collect();
    let mut out = ConfigArgs::default();
    for (key, value) in table {
        if key == "retention" {
            retention_args(value, &mut out.flags)?;
            continue;
        }
        if key == "roots" {
            for v in values_of(key, value)? {
                out.roots.push(base.join(v));
            }
            continue;
        }
        if NOT_FLAGS.contains(&key.as_str()) || !known.contains(key) {
            bail!("unknown key `{key}` (keys are the `piimap scan` flags, with _ for -)");
        }
        let flag = format!("--{}", key.replace('_', "-"));
        if let toml::Value::Boolean(on) = value {
            if *on {
                out.flags.push(flag.into());
            }
            continue;
        }
        for v in values_of(key, value)? {
            out.flags.push(flag.clone().into());
            out.flags.push(if PATH_KEYS.contains(&key.as_str()) {
                base.join(v).into_os_string()
            } else {
                v.into()
            });
        }
    }
    Ok(out)
}

/// `[retention]`: `default = PERIOD` and `"GLOB" = PERIOD` lines, in file order.
fn retention_args(value: &toml::Value, flags: &mut Vec<OsString>) -> Result<()> {
    let toml::Value::Table(policies) = value else {
        bail!("`retention` must be a table of GLOB = PERIOD lines");
    };
    for (glob, period) in policies {
        let toml::Value::String(period) = period else {
            bail!("retention `{glob}`: the period must be a string such as \"1y\"");
        };
        if glob == "default" {
            flags.push("--default-retention".into());
            flags.push(period.into());
        } else {
            flags.push("--retention".into());
            flags.push(format!("{glob}={period}").into());
        }
    }
    Ok(())
}

/// A value or an array of values as flag values.
fn values_of(key: &str, value: &toml::Value) -> Result<Vec<String>> {
    let one = |v: &toml::Value| match v {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        other => bail!(
            "`{key}`: expected a string or a number, found {}",
            other.type_str()
        ),
    };
    match value {
        toml::Value::Array(items) => items.iter().map(one).collect(),
        v => Ok(vec![one(v)?]),
    }
}

/// The command line with a config file's settings in place: its flags go right after `scan`
/// (so the command line's own flags, later, win) and its roots at the end when the command
/// line names no paths.
pub fn merge(argv: &[OsString], config: &ConfigArgs, has_paths: bool) -> Vec<OsString> {
    let at = argv
        .iter()
        .position(|a| a == "scan")
        .map_or(argv.len(), |i| i + 1);
    let mut merged: Vec<OsString> = argv[..at].to_vec();
    merged.extend(config.flags.iter().cloned());
    merged.extend(argv[at..].iter().cloned());
    if !has_paths && !config.roots.is_empty() {
        if !merged.iter().any(|a| a == "--") {
            merged.push("--".into());
        }
        merged.extend(config.roots.iter().map(|r| r.clone().into_os_string()));
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Result<ConfigArgs> {
        to_args(&toml::from_str(text).unwrap(), Path::new("/etc/piimap"))
    }

    #[test]
    fn keys_become_flags_and_paths_resolve_against_the_file() {
        let got = args(
            r#"
            roots = ["share", "/srv/b"]
            exclude = ["*.iso", "tmp/"]
            store = "store.db"
            threads = 8
            quiet = true
            follow_links = false
            [retention]
            default = "10y"
            "**/Pasakumi/**" = "1y"
            "#,
        )
        .unwrap();
        let flags: Vec<String> = got
            .flags
            .iter()
            .map(|f| f.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            got.roots,
            [PathBuf::from("/etc/piimap/share"), PathBuf::from("/srv/b")]
        );
        for pair in [
            ["--exclude", "*.iso"],
            ["--exclude", "tmp/"],
            ["--store", "/etc/piimap/store.db"],
            ["--threads", "8"],
            ["--default-retention", "10y"],
            ["--retention", "**/Pasakumi/**=1y"],
        ] {
            assert!(flags.windows(2).any(|w| w == pair), "{pair:?} in {flags:?}");
        }
        assert!(flags.contains(&"--quiet".to_string()));
        assert!(!flags.contains(&"--follow-links".to_string()));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let err = args("max_file_sise = \"1G\"").unwrap_err().to_string();
        assert!(err.contains("max_file_sise"), "{err}");
        let err = args("exclude = [{a = 1}]").unwrap_err().to_string();
        assert!(err.contains("exclude"), "{err}");
        let err = args("[retention]\n\"a/**\" = 1").unwrap_err().to_string();
        assert!(err.contains("a/**"), "{err}");
    }

    #[test]
    fn command_line_flags_come_after_the_file_and_roots_only_without_paths() {
        let argv: Vec<OsString> = ["piimap", "scan", "-o", "x.json"]
            .map(OsString::from)
            .into();
        let config = ConfigArgs {
            flags: vec!["-o".into(), "y.json".into()],
            roots: vec![PathBuf::from("/srv")],
        };
        let merged = merge(&argv, &config, false);
        assert_eq!(
            merged,
            [
                "piimap", "scan", "-o", "y.json", "-o", "x.json", "--", "/srv"
            ]
            .map(OsString::from)
        );
        assert!(!merge(&argv, &config, true).contains(&OsString::from("/srv")));
    }
}
