//! The `piimap` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// mimalloc instead of the system allocator: records are built on worker threads and freed on
/// the writer thread, and glibc's malloc serialises such cross-thread frees on its arena locks.
/// In a reader process, `Counting` holds each file to its memory budget (`piimap::memory`).
#[global_allocator]
static GLOBAL: piimap::memory::Counting<mimalloc::MiMalloc> =
    piimap::memory::Counting(mimalloc::MiMalloc);

fn main() -> std::process::ExitCode {
    piimap::panics::install_hook();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = piimap::cli::Cli::parse_from(&argv);
    piimap::commands::run(cli, &argv).into()
}
