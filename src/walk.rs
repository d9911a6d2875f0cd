//! The walk: roots → entries, with `ignore`'s parallel walker. A file share is not a repository,
//! so no .gitignore or hidden-file filtering; symbolic links are not followed unless asked;
//! unreadable directories come back as errors to be listed, never dropped.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkParallel};

/// What the walk met at one path.
#[derive(Debug)]
pub enum WalkItem {
    /// A regular file.
    File(PathBuf),
    /// A symbolic link that is not followed.
    Symlink(PathBuf),
    /// A FIFO, socket or device.
    Special(PathBuf),
    /// The walk could not go on at this path (typically a directory it could not list).
    Error {
        /// Where, if known.
        path: Option<PathBuf>,
        /// The OS error kind, if one.
        io_kind: Option<std::io::ErrorKind>,
        /// The walker's message.
        message: String,
    },
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Roots (files or directories).
    pub roots: Vec<PathBuf>,
    /// Glob patterns of paths to leave out (gitignore-style globs).
    pub exclude: Vec<String>,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Walker threads.
    pub threads: usize,
}

/// Builds the parallel walker.
pub fn build(options: &WalkOptions) -> Result<WalkParallel> {
    let (first, rest) = options.roots.split_first().context("no root to scan")?;
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    let mut overrides = OverrideBuilder::new(common_base(first));
    for glob in &options.exclude {
        overrides
            .add(&format!("!{glob}"))
            .with_context(|| format!("bad --exclude glob `{glob}`"))?;
    }
    builder
        .standard_filters(false)
        .follow_links(options.follow_links)
        .overrides(overrides.build().context("bad --exclude globs")?)
        .threads(options.threads);
    Ok(builder.build_parallel())
}

/// Globs are matched relative to this directory (the first root, or its parent for a file).
fn common_base(root: &Path) -> &Path {
    if root.is_dir() {
        root
    } else {
        root.parent().unwrap_or(root)
    }
}

/// Classifies one walker result. Directories yield `None` (their files follow).
pub fn classify(result: Result<ignore::DirEntry, ignore::Error>) -> Option<WalkItem> {
    match result {
        Ok(entry) => {
            let ft = entry.file_type()?; // stdin has no file type; never produced here
            let path = entry.into_path();
            if ft.is_dir() {
                None
            } else if ft.is_file() {
                Some(WalkItem::File(path))
            } else if ft.is_symlink() {
                Some(WalkItem::Symlink(path))
            } else {
                Some(WalkItem::Special(path))
            }
        }
        Err(err) => {
            let path = error_path(&err).map(Path::to_path_buf);
            let io_kind = err.io_error().map(std::io::Error::kind);
            Some(WalkItem::Error {
                path,
                io_kind,
                message: err.to_string(),
            })
        }
    }
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}
