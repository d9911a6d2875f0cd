//! The `piimap` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// mimalloc instead of the system allocator: records are built on worker threads and freed on
/// the writer thread, and glibc's malloc serialises such cross-thread frees on its arena locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = piimap::cli::Cli::parse_from(&argv);
    piimap::commands::run(cli, &argv).into()
}
