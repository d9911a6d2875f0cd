//! `piimap-corpus DIR`: writes a seeded synthetic share with planted personal data under
//! `DIR/share` and its ground truth to `DIR/truth.json`, for piimap's benchmarks
//! (`benches/*.sh`) and anyone who wants to measure a scanner on data of known content.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use piimap_corpus::{CorpusSpec, WorkbookLayout, generate};

/// `piimap-corpus DIR [options]`.
#[derive(Debug, Parser)]
#[command(name = "piimap-corpus", version, about, max_term_width = 100)]
struct CorpusArgs {
    /// Directory to create (must not exist or be empty).
    dir: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Approximate total size, e.g. 100M.
    #[arg(long, default_value = "10M", value_parser = parse_size)]
    size: u64,
    /// Planted values per MB of text (density of personal data).
    #[arg(long, default_value_t = 200)]
    density: u32,
    /// Also write `darbinieki.xlsx`, a people list of at least CELLS cells (e.g. 1000000).
    #[arg(long, value_name = "CELLS")]
    xlsx_cells: Option<u64>,
    /// How workbooks store their cells: inline strings as streaming exporters write them, or
    /// a shared-strings table as Excel saves them.
    #[arg(long, value_enum, default_value_t = WorkbookLayout::Streaming)]
    xlsx_layout: WorkbookLayout,
    /// A share-like mix: about one file in five is an xlsx, docx, PDF or zip (default: text,
    /// CSV, logs and HTML only, which ripgrep can read too).
    #[arg(long)]
    mixed: bool,
    /// Also write `liels_zurnals.log`, one text file of SIZE (e.g. 500M).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    big_text: Option<u64>,
    /// Also write `eksports.json`, one file of SIZE without a line break (e.g. 1G).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    line_less: Option<u64>,
    /// Also write `gada_parskats.pdf`, a PDF of about PAGES pages of text.
    #[arg(long, value_name = "PAGES")]
    pdf_pages: Option<u64>,
    /// Also write N one-line files under `mazie/` (one in ten with a personal code).
    #[arg(long, value_name = "N", default_value_t = 0)]
    tiny_files: u64,
}

/// Parses a size: bytes, or with K, M, G, T (powers of 1024), `B`/`iB` allowed after them.
fn parse_size(s: &str) -> Result<u64, String> {
    parse_size::Config::new()
        .with_binary()
        .parse_size(s.trim())
        .map_err(|e| format!("`{s}` is not a size ({e})"))
}

fn main() -> ExitCode {
    let args = CorpusArgs::parse();
    let spec = CorpusSpec {
        seed: args.seed,
        size: args.size,
        density: args.density,
        workbook_cells: args.xlsx_cells,
        workbook_layout: args.xlsx_layout,
        mixed: args.mixed,
        big_text: args.big_text,
        line_less: args.line_less,
        pdf_pages: args.pdf_pages,
        tiny_files: args.tiny_files,
    };
    let dir: PathBuf = args.dir;
    match generate(&dir, &spec)
        .with_context(|| format!("cannot generate a corpus in {}", dir.display()))
    {
        Ok(truth) => {
            eprintln!(
                "piimap-corpus: wrote {} files, {} planted values, to {}",
                truth.files,
                truth.planted,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("piimap-corpus: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("512"), Ok(512));
        assert!(parse_size("5X").is_err());
    }
}
