//! Where the inventory goes: stdout, a device written in place, or a private temporary file
//! beside the target that is renamed over it when the scan finishes (so a reader never sees
//! half an inventory), removed if the scan is interrupted.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The inventory's write buffer: a re-scan can write hundreds of megabytes, and fewer, larger
/// writes took about 5 % off one (docs/BENCHMARKS.md).
const OUTPUT_BUFFER: usize = 1 << 20;

/// Where the inventory goes.
pub enum Destination {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// An existing target that is not a regular file (`/dev/null`, a FIFO, a terminal): written
    /// in place. Renaming a temporary file over it would replace the device itself.
    Special(BufWriter<std::fs::File>),
    /// A temporary file beside the target, renamed over it when the scan finishes.
    File {
        /// The temporary file (owner-only permissions).
        temp: BufWriter<tempfile::NamedTempFile>,
        /// Where it goes.
        target: PathBuf,
    },
}

impl Destination {
    /// Stdout, or `path` (atomically, owner-only permissions).
    pub fn create(path: Option<&Path>) -> Result<Destination> {
        let special = path
            .and_then(|p| std::fs::metadata(p).ok())
            .is_some_and(|m| !m.is_file());
        Ok(match path {
            None => Destination::Stdout(BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout())),
            Some(target) if special => Destination::Special(BufWriter::with_capacity(
                OUTPUT_BUFFER,
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .with_context(|| format!("cannot write to {}", target.display()))?,
            )),
            Some(target) => {
                let dir = target
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                remove_stale_temps(dir);
                let temp = tempfile::Builder::new()
                    .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .with_context(|| format!("cannot create output file in {}", dir.display()))?;
                remove_on_interrupt(temp.path());
                Destination::File {
                    temp: BufWriter::with_capacity(OUTPUT_BUFFER, temp),
                    target: target.to_path_buf(),
                }
            }
        })
    }

    /// The temporary file being written (so the scan can leave it out), if writing to a file.
    pub fn temp_path(&self) -> Option<&Path> {
        match self {
            Destination::File { temp, .. } => Some(temp.get_ref().path()),
            Destination::Stdout(_) | Destination::Special(_) => None,
        }
    }

    /// Flushes what was written and, for a file, renames it into place.
    pub fn commit(self) -> Result<()> {
        match self {
            Destination::Stdout(mut w) => w.flush().context("cannot write the inventory to stdout"),
            Destination::Special(mut w) => w.flush().context("cannot write the inventory"),
            Destination::File { temp, target } => {
                let temp = temp.into_inner().map_err(|e| e.into_error())?;
                temp.as_file().sync_all()?;
                temp.persist(&target).with_context(|| {
                    format!("cannot move the inventory into {}", target.display())
                })?;
                Ok(())
            }
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::Stdout(w) => w.write(buf),
            Destination::Special(w) => w.write(buf),
            Destination::File { temp, .. } => temp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Destination::Stdout(w) => w.write_all(buf),
            Destination::Special(w) => w.write_all(buf),
            Destination::File { temp, .. } => temp.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::Stdout(w) => w.flush(),
            Destination::Special(w) => w.flush(),
            Destination::File { temp, .. } => temp.flush(),
        }
    }
}

/// Temporary inventories are named `.piimap-<pid>-<random>.tmp` beside their target.
const TEMP_PREFIX: &str = ".piimap-";

/// Files to remove if the scan is interrupted (Ctrl-C, SIGTERM, SIGHUP).
static ON_INTERRUPT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remove_on_interrupt(path: &Path) {
    if let Ok(mut paths) = ON_INTERRUPT.lock() {
        paths.push(path.to_path_buf());
    }
}

/// Ends the program after an interrupt: the temporary inventory is removed (the store, if
/// any, is left consistent by SQLite), and the exit code is the shell's for a signal, 130.
pub fn exit_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        if let Ok(paths) = ON_INTERRUPT.lock() {
            for path in paths.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        eprintln!("piimap: interrupted; the inventory was not written");
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("piimap: warning: an interrupt will leave the temporary inventory behind: {e}");
    }
}

/// Removes the temporary inventories in `dir` left by scans that were killed (whose process is
/// gone); on systems where that cannot be told, those over a day old.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !rest.ends_with(".tmp") || pid == std::process::id() || process_alive(pid, &entry) {
            continue;
        }
        let _ = std::fs::remove_file(entry.path());
    }
}

#[cfg(unix)]
fn process_alive(pid: u32, _entry: &std::fs::DirEntry) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only asks whether the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32, entry: &std::fs::DirEntry) -> bool {
    let day = std::time::Duration::from_secs(86_400);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .map_or(true, |t| t.elapsed().map_or(true, |age| age < day))
}
