//! Reader processes: a child process that reads files for the scanner, so that whatever one file
//! does to its parser — allocate without bound, recurse until the stack overflows, abort, loop —
//! costs that file and not the night's scan.
//!
//! The child is the same program, run with the hidden subcommand [`READER_COMMAND`]. The two talk
//! over the child's stdin and stdout in frames: a magic number, a little-endian length and one
//! JSON value. The first frame sent is the setup; after that, each request is answered by any
//! number of frames, and the child reads the next request when it is done. This module knows
//! nothing of what the frames hold: `crate::scan` defines them.
//!
//! A child that goes quiet past its deadline is killed. When a child ends (killed, over its
//! memory budget, crashed), [`ReaderProcess::receive`] says how, and the caller starts another.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::time::Instant;

use crossbeam_channel::{Receiver, RecvTimeoutError};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::memory;

/// The hidden subcommand that makes `piimap` a reader process.
pub const READER_COMMAND: &str = "reader";

/// Every frame starts with these bytes: a stray write to the child's stdout is caught at once.
const MAGIC: &[u8; 4] = b"PIIM";

/// Frames larger than this are refused (a record is far smaller).
const MAX_FRAME: usize = 1 << 30;

/// Writes `value` as one frame and flushes.
pub fn write_frame(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let json = serde_json::to_vec(value).map_err(io::Error::other)?;
    let len = u32::try_from(json.len()).map_err(|_| io::Error::other("frame too large"))?;
    out.write_all(MAGIC)?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&json)?;
    out.flush()
}

/// Reads one frame's JSON bytes; `None` at a clean end of input (between frames).
pub fn read_frame_bytes(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut head = [0u8; 8];
    let mut got = 0;
    while got < head.len() {
        match input.read(&mut head[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if &head[..4] != MAGIC {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a reader frame (something else wrote to the reader's output)",
        ));
    }
    let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut json = vec![0u8; len];
    input.read_exact(&mut json)?;
    Ok(Some(json))
}

/// Reads one frame as a `T`; `None` at a clean end of input.
pub fn read_frame<T: DeserializeOwned>(input: &mut impl Read) -> io::Result<Option<T>> {
    read_frame_bytes(input)?
        .map(|json| serde_json::from_slice(&json).map_err(io::Error::other))
        .transpose()
}

/// How a reader process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// It went over the memory budget of the file it was reading.
    OverBudget,
    /// The system refused it memory.
    AllocationFailed,
    /// It did not answer by its deadline and was killed.
    TimedOut,
    /// It was killed by a signal it did not ask for (the out-of-memory killer, say), or crashed:
    /// the signal's number and name.
    Signal(i32, &'static str),
    /// It exited on its own with this code (101: a panic outside any file's guard).
    Exited(i32),
    /// It sent something that is not a frame of the protocol.
    Protocol(String),
}

impl Ended {
    fn from_status(status: ExitStatus, killed_by_us: bool) -> Ended {
        if killed_by_us {
            return Ended::TimedOut;
        }
        match status.code() {
            Some(memory::EXIT_OVER_BUDGET) => Ended::OverBudget,
            Some(memory::EXIT_ALLOCATION_FAILED) => Ended::AllocationFailed,
            Some(code) => Ended::Exited(code),
            None => signal_of(status),
        }
    }
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Ended {
    use std::os::unix::process::ExitStatusExt;
    let signal = status.signal().unwrap_or(0);
    let name = match signal {
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE",
        _ => "signal",
    };
    Ended::Signal(signal, name)
}

#[cfg(not(unix))]
fn signal_of(_status: ExitStatus) -> Ended {
    Ended::Exited(-1)
}

/// What [`ReaderProcess::receive`] got.
#[derive(Debug)]
pub enum Received<T> {
    /// A frame.
    Frame(T),
    /// The process ended (and was waited for).
    Ended(Ended),
}

/// A running reader process.
pub struct ReaderProcess {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    frames: Receiver<io::Result<Vec<u8>>>,
}

impl ReaderProcess {
    /// Starts `program READER_COMMAND` and sends it `setup`. Its stderr is the scanner's.
    pub fn spawn(program: &Path, setup: &impl Serialize) -> io::Result<ReaderProcess> {
        let mut child = Command::new(program)
            .arg(READER_COMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stdin = child.stdin.take().expect("piped stdin");
        // Frames are read on a thread of their own, so that waiting for one can time out.
        let (tx, frames) = crossbeam_channel::bounded(64);
        std::thread::Builder::new()
            .name("piimap-reader-output".into())
            .spawn(move || {
                let mut stdout = BufReader::new(stdout);
                loop {
                    let frame = read_frame_bytes(&mut stdout);
                    let end = !matches!(frame, Ok(Some(_)));
                    let sent = match frame {
                        Ok(Some(json)) => tx.send(Ok(json)),
                        Ok(None) => break,
                        Err(e) => tx.send(Err(e)),
                    };
                    if sent.is_err() || end {
                        break;
                    }
                }
            })?;
        let mut process = ReaderProcess {
            child,
            stdin: Some(BufWriter::new(stdin)),
            frames,
        };
        if let Err(e) = process.send(setup) {
            process.kill_and_wait();
            return Err(e);
        }
        Ok(process)
    }

    /// Sends one frame.
    pub fn send(&mut self, value: &impl Serialize) -> io::Result<()> {
        let stdin = self.stdin.as_mut().ok_or(io::ErrorKind::BrokenPipe)?;
        write_frame(stdin, value)
    }

    /// Waits for the next frame until `deadline` (`None`: as long as it takes). If the deadline
    /// passes, the process is killed; if it has ended, it is waited for and the way it ended is
    /// returned. After `Received::Ended`, the process is gone.
    pub fn receive<T: DeserializeOwned>(&mut self, deadline: Option<Instant>) -> Received<T> {
        let frame = match deadline {
            Some(deadline) => match self.frames.recv_deadline(deadline) {
                Ok(frame) => Some(frame),
                Err(RecvTimeoutError::Timeout) => {
                    self.kill_and_wait();
                    return Received::Ended(Ended::TimedOut);
                }
                Err(RecvTimeoutError::Disconnected) => None,
            },
            None => self.frames.recv().ok(),
        };
        match frame {
            Some(Ok(json)) => match serde_json::from_slice(&json) {
                Ok(value) => Received::Frame(value),
                Err(e) => {
                    self.kill_and_wait();
                    Received::Ended(Ended::Protocol(e.to_string()))
                }
            },
            Some(Err(e)) if e.kind() != io::ErrorKind::UnexpectedEof => {
                self.kill_and_wait();
                Received::Ended(Ended::Protocol(e.to_string()))
            }
            // The output closed: the process ended (or is ending) on its own.
            Some(Err(_)) | None => {
                self.stdin = None;
                Received::Ended(match self.child.wait() {
                    Ok(status) => Ended::from_status(status, false),
                    Err(e) => Ended::Protocol(e.to_string()),
                })
            }
        }
    }

    fn kill_and_wait(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ReaderProcess {
    /// Closing its input ends an idle reader; one that is not idle is killed.
    fn drop(&mut self) {
        self.stdin = None;
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let waited = (0..50).any(|_| {
                std::thread::sleep(std::time::Duration::from_millis(2));
                matches!(self.child.try_wait(), Ok(Some(_)))
            });
            if !waited {
                self.kill_and_wait();
            }
        }
    }
}

/// Makes the calling reader process end with its parent (Linux: `PR_SET_PDEATHSIG`), so a
/// scanner killed with `kill -9` leaves no reader behind busy with a file. Elsewhere a reader
/// ends when its input closes, between files.
pub fn end_with_parent() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with these arguments only sets a flag on the calling process.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_strays_are_refused() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &("a", 1)).unwrap();
        write_frame(&mut buf, &vec![2, 3]).unwrap();
        let mut input = &buf[..];
        assert_eq!(
            read_frame::<(String, i32)>(&mut input).unwrap(),
            Some(("a".into(), 1))
        );
        assert_eq!(
            read_frame::<Vec<i32>>(&mut input).unwrap(),
            Some(vec![2, 3])
        );
        assert_eq!(read_frame::<Vec<i32>>(&mut input).unwrap(), None);
        let mut stray = &b"hello world\n"[..];
        assert!(read_frame::<i32>(&mut stray).is_err());
        let mut cut = &buf[..6];
        assert!(read_frame::<i32>(&mut cut).is_err());
    }
}
