//! The `piimap` binary: parse the command line, run it, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = piimap::cli::Cli::parse_from(&argv);
    piimap::commands::run(cli, &argv).into()
}
