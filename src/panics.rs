//! What a panic may say. A panic's message can quote the text being read (a string slice cut
//! inside a character quotes the string), so it is never printed nor written: the hook keeps
//! only where the panic happened, for the file's `internal_error` record and one line on stderr.

use std::cell::RefCell;

thread_local! {
    /// Where this thread last panicked (`src/file.rs:12:5`).
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the standard panic hook, which prints the message, with one that does not.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}:{}", crate_relative(l.file()), l.line(), l.column()));
        eprintln!(
            "piimap: internal error at {} (a bug: please report it; the file being read is \
             listed as internal_error)",
            at.as_deref().unwrap_or("an unknown place")
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
        LAST.with(|last| *last.borrow_mut() = at);
    }));
}

/// A dependency's source path from its crate folder on (`calamine-0.38.0/src/cfb.rs`), not the
/// build machine's registry path; piimap's own paths as they are (`src/scan.rs`).
fn crate_relative(file: &str) -> &str {
    match file.find("/registry/src/") {
        Some(at) => {
            let rest = &file[at + "/registry/src/".len()..];
            rest.split_once('/').map_or(rest, |(_index, path)| path)
        }
        None => file,
    }
}

/// Where the calling thread last panicked, if the hook saw it.
pub fn last_location() -> Option<String> {
    LAST.with(|last| last.borrow_mut().take())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_paths_start_at_their_crate() {
        assert_eq!(
            crate_relative(
                "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/calamine-0.38.0/src/cfb.rs"
            ),
            "calamine-0.38.0/src/cfb.rs"
        );
        assert_eq!(crate_relative("src/scan.rs"), "src/scan.rs");
    }
}
