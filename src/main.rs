//! The `piimap` binary: parse the command line, run it, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = piimap::cli::Cli::parse();
    piimap::commands::run(cli).into()
}
