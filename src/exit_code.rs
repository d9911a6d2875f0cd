//! The process exit codes: a contract with scheduled jobs (documented in `docs/cli.md`).

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything asked was done; every file was fully scanned (or holds no text: images, links).
    Success,
    /// A fatal error stopped the run (unreadable rules, unwritable output), or `rules check`
    /// found failing examples.
    FatalError,
    /// The command line was wrong (also clap's own code for usage errors).
    UsageError,
    /// The scan finished, but some files that may hold personal data were not fully scanned
    /// (too large, unreadable, unsupported format...): see the summary.
    Incomplete,
}

impl ExitCode {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::FatalError => 1,
            ExitCode::UsageError => 2,
            ExitCode::Incomplete => 3,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}
