//! Reading files on disk: opened without blocking and without touching their access times,
//! refused once they are no longer regular files, and unreadable past their deadline.

use std::fs::{self, File};
use std::io::{self, Read, Seek};
use std::path::Path;
use std::time::Instant;

use crate::inventory::AccessTimes;

/// Bytes of a file read to sniff what it is (the sniffer looks at no more than 64 KiB).
pub(super) const SNIFF_HEAD: usize = 64 << 10;

/// A file that refuses to be read once its deadline has passed (`--max-file-time`), so that a
/// parser reading from it stops wherever it is.
pub(super) struct TimedReader<R> {
    /// What is read.
    pub(super) inner: R,
    /// When reading must stop.
    pub(super) deadline: Option<Instant>,
}

impl<R: Read> Read for TimedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the file's --max-file-time is up",
            ));
        }
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for TimedReader<R> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

/// Opens a file on disk for reading: never blocking (a file replaced by a FIFO since the walk
/// would block `open` until a writer came), refusing anything that is no longer a regular file,
/// and without updating its access time where the OS allows it (Linux `O_NOATIME`: the
/// file's owner, or root; see [`AccessTimes`]).
pub(super) fn open_for_scan(path: &Path) -> io::Result<File> {
    let file = open_without_blocking(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no longer a regular file (replaced by a FIFO, socket or device after the walk): not read",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: F_GETFL/F_SETFL on a descriptor this function owns.
        unsafe {
            let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    #[cfg(target_os = "linux")]
    {
        // O_NOATIME is refused (EPERM) for files the user does not own; fall back then.
        if let Ok(f) = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOATIME)
            .open(path)
        {
            return Ok(f);
        }
    }
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Whether reading leaves files' last-access times as they were, as far as this process can
/// tell before it starts (recorded in the scan header).
pub fn access_times() -> AccessTimes {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            AccessTimes::Unchanged
        } else {
            AccessTimes::UnchangedForOwnFiles
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        AccessTimes::MayChange
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Regression: a file replaced by a FIFO between the walk and the open blocked the scan
    /// forever in `open()`.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("was-a-file.txt");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(open_for_scan(&fifo).map(|_| ())).unwrap());
        let opened = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("open blocked on a FIFO");
        assert_eq!(opened.unwrap_err().kind(), io::ErrorKind::InvalidInput);
    }
}
