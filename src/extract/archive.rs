//! Archives: zip (stored, deflate, deflate64, bzip2), gzip (every member of a multi-member
//! file) and tar (ustar, GNU with sparse files, and pre-POSIX v7). Each member is read into
//! memory, within caps that stop zip bombs, and handed to the caller, which scans it as a file
//! of its own. Zip members in other methods (implode, LZMA, XZ, Zstandard, PPMd...) are listed
//! as `unsupported_format`.

use std::io::{self, Read, Seek};
use std::time::{Duration, UNIX_EPOCH};

use super::{ExtractError, Format, Shortfall};

/// A member is never flagged as a bomb below this size, however well it compresses.
const RATIO_FLOOR: u64 = 1 << 20;

/// Caps on what archives may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Members read per archive; the rest are counted, not read.
    pub max_members: usize,
    /// Decompressed bytes of one member (it is held in memory to be scanned).
    pub max_member_size: u64,
    /// Decompressed bytes over compressed bytes, for a member over 1 MiB.
    pub max_ratio: u64,
}

/// Decompressed bytes one file on disk may still expand into, shared by all its nested
/// archives.
#[derive(Debug)]
pub struct Budget {
    remaining: std::cell::Cell<u64>,
}

impl Budget {
    /// A budget of `bytes`.
    pub fn new(bytes: u64) -> Budget {
        Budget {
            remaining: std::cell::Cell::new(bytes),
        }
    }

    /// Takes `n` bytes; false when the budget is spent.
    fn take(&self, n: u64) -> bool {
        let left = self.remaining.get().saturating_sub(n);
        self.remaining.set(left);
        left > 0
    }
}

/// One member of an archive.
#[derive(Debug)]
pub struct Member {
    /// Its path inside the archive.
    pub name: String,
    /// Its modification time, seconds since the Unix epoch, when the archive records one
    /// (zip times have no zone and are read as UTC).
    pub modified: Option<std::time::SystemTime>,
    /// Its content, or why it was not read.
    pub content: Result<Vec<u8>, Unread>,
}

/// Why a member was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Password protected.
    Encrypted,
    /// A cap stopped it (the message names the cap).
    Capped(String),
    /// The archive could not give it (the parser's message).
    Corrupt(String),
    /// Stored in a way piimap does not read (a zip compression method).
    Unsupported(String),
}

/// Reads the members of the archive `reader` holds (`format`: zip, gzip or tar; `name` is the
/// archive's own name, for the one member of a gzip file). Returns what was not read of the
/// archive itself: members over the count cap, the rest of a damaged archive.
pub fn for_each_member<R: Read + Seek>(
    mut reader: R,
    format: Format,
    name: &str,
    limits: Limits,
    budget: &Budget,
    mut visit: impl FnMut(Member),
) -> Result<Vec<Shortfall>, ExtractError> {
    reader
        .rewind()
        .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
    match format {
        Format::Zip => zip_members(reader, limits, budget, &mut visit),
        Format::Gzip => {
            let compressed = reader
                .seek(io::SeekFrom::End(0))
                .and_then(|n| reader.rewind().map(|()| n))
                .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
            // A gzip file may hold several members one after another (`cat a.gz b.gz`,
            // appending log rotators): together they are the content.
            let mut decoder = flate2::read::MultiGzDecoder::new(reader);
            let member_name = decoder
                .header()
                .and_then(|h| h.filename())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_else(|| gunzipped_name(name));
            let content = read_capped(&mut decoder, Some(compressed), limits, budget);
            visit(Member {
                name: member_name,
                modified: None,
                content,
            });
            Ok(Vec::new())
        }
        Format::Tar => tar_members(reader, limits, budget, &mut visit),
        other => Err(ExtractError::Corrupt(format!("{other} is not an archive"))),
    }
}

fn zip_members<R: Read + Seek>(
    reader: R,
    limits: Limits,
    budget: &Budget,
    visit: &mut impl FnMut(Member),
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
            ExtractError::Encrypted
        }
        e => ExtractError::Corrupt(e.to_string()),
    })?;
    let mut shortfalls = Vec::new();
    let mut files = 0usize;
    for i in 0..archive.len() {
        let entry = match archive.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                shortfalls.push(Shortfall::Unreadable(format!("member #{}: {e}", i + 1)));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_or_else(|_| format!("#{}", i + 1), |n| n.into_owned());
        let modified = entry.last_modified().and_then(zip_time);
        let encrypted = entry.encrypted();
        let compressed = entry.compressed_size();
        drop(entry);
        files += 1;
        if files > limits.max_members {
            let total = (i..archive.len()).count() + limits.max_members;
            shortfalls.push(Shortfall::Capped(format!(
                "members: only the first {} of about {total} were read (--max-archive-members)",
                limits.max_members
            )));
            break;
        }
        let content = if encrypted {
            Err(Unread::Encrypted)
        } else {
            match archive.by_index(i) {
                Ok(mut file) => read_capped(&mut file, Some(compressed), limits, budget),
                Err(zip::result::ZipError::UnsupportedArchive(m)) => Err(Unread::Unsupported(
                    format!("stored in a way piimap does not read: {m}"),
                )),
                Err(e) => Err(Unread::Corrupt(e.to_string())),
            }
        };
        visit(Member {
            name,
            modified,
            content,
        });
    }
    Ok(shortfalls)
}

fn tar_members<R: Read>(
    reader: R,
    limits: Limits,
    budget: &Budget,
    visit: &mut impl FnMut(Member),
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
    let mut files = 0usize;
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => return Ok(vec![Shortfall::Unreadable(format!("tar: {e}"))]),
        };
        // Regular files of every tar dialect: `0` and pre-POSIX `\0`, contiguous `7`, GNU
        // sparse `S` (its holes read as zeros). Directories, links and devices hold no data.
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()) {
            continue;
        }
        files += 1;
        if files > limits.max_members {
            return Ok(vec![Shortfall::Capped(format!(
                "members: only the first {} were read (--max-archive-members)",
                limits.max_members
            ))]);
        }
        let name = entry.path().map_or_else(
            |_| format!("#{files}"),
            |p| p.to_string_lossy().into_owned(),
        );
        let modified = entry
            .header()
            .mtime()
            .ok()
            .map(|s| UNIX_EPOCH + Duration::from_secs(s));
        let content = read_capped(&mut entry, None, limits, budget);
        visit(Member {
            name,
            modified,
            content,
        });
    }
    Ok(Vec::new())
}

/// Reads a member to its end, unless it grows past the member cap, the shared budget, or (for
/// a member over 1 MiB) `max_ratio` times its compressed size.
fn read_capped(
    reader: &mut impl Read,
    compressed: Option<u64>,
    limits: Limits,
    budget: &Budget,
) -> Result<Vec<u8>, Unread> {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::Unsupported => {
                let method = e.get_ref().and_then(|inner| match inner.downcast_ref() {
                    Some(zip::result::ZipError::CompressionMethodNotSupported(m)) => Some(*m),
                    _ => None,
                });
                return Err(Unread::Unsupported(match method {
                    Some(m) => format!(
                        "compressed with zip method {m} ({}), which piimap does not read",
                        zip_method_name(m)
                    ),
                    None => format!("stored in a way piimap does not read: {e}"),
                }));
            }
            Err(e) => return Err(Unread::Corrupt(e.to_string())),
        };
        out.extend_from_slice(&chunk[..n]);
        let size = out.len() as u64;
        let within_budget = budget.take(n as u64);
        if size > limits.max_member_size {
            return Err(Unread::Capped(format!(
                "over {} bytes decompressed (--max-member-size)",
                limits.max_member_size
            )));
        }
        if let Some(compressed) = compressed
            && size > RATIO_FLOOR
            && size > compressed.max(1).saturating_mul(limits.max_ratio)
        {
            return Err(Unread::Capped(format!(
                "{size} bytes from {compressed} compressed and growing: over {}:1 \
                 (--max-compression-ratio; a zip bomb?)",
                limits.max_ratio
            )));
        }
        if !within_budget {
            return Err(Unread::Capped(
                "the file's decompressed bytes ran over --max-archive-bytes".into(),
            ));
        }
    }
}

/// Whether `head` starts with a pre-POSIX (v7) tar header, which has no `ustar` magic: a
/// NUL-terminated name, octal size and time fields, and a checksum that matches.
pub fn is_v7_tar(head: &[u8]) -> bool {
    let Some(header) = head.get(..512) else {
        return false;
    };
    let octal = |field: &[u8]| -> Option<u64> {
        let digits = std::str::from_utf8(field)
            .ok()?
            .trim_matches(|c: char| c == '\0' || c == ' ');
        if digits.is_empty() {
            return None;
        }
        u64::from_str_radix(digits, 8).ok()
    };
    if header[0] == 0 || !header[..100].contains(&0) {
        return false;
    }
    let (Some(stored), Some(_size)) = (octal(&header[148..156]), octal(&header[124..136])) else {
        return false;
    };
    // The checksum is the byte sum of the header with its own field read as spaces.
    let sum: u64 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    sum == stored
}

/// The name of a zip compression method (APPNOTE 4.4.5).
fn zip_method_name(method: u16) -> &'static str {
    match method {
        1 => "shrink",
        2..=5 => "reduce",
        6 => "implode",
        10 => "PKWARE DCL implode",
        12 => "bzip2",
        14 => "LZMA",
        93 => "Zstandard",
        95 => "XZ",
        96 => "JPEG",
        97 => "WavPack",
        98 => "PPMd",
        99 => "AES",
        _ => "unknown",
    }
}

/// A zip timestamp (no zone) read as UTC.
fn zip_time(t: zip::DateTime) -> Option<std::time::SystemTime> {
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    humantime::parse_rfc3339(&text).ok()
}

/// The name of a gzip file's content when its header names none: `a.csv.gz` → `a.csv`,
/// `b.tgz` → `b.tar`.
fn gunzipped_name(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    if lower.ends_with(".tgz") {
        format!("{}.tar", &base[..base.len() - 4])
    } else if lower.ends_with(".gz") {
        base[..base.len() - 3].to_string()
    } else {
        format!("{base}.out")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    const LIMITS: Limits = Limits {
        max_members: 100,
        max_member_size: 8 << 20,
        max_ratio: 100,
    };

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in members {
            w.start_file(*name, options).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    fn members(
        data: Vec<u8>,
        format: Format,
        limits: Limits,
    ) -> Vec<(String, Result<usize, Unread>)> {
        let budget = Budget::new(1 << 30);
        let mut out = Vec::new();
        for_each_member(Cursor::new(data), format, "a.gz", limits, &budget, |m| {
            out.push((m.name, m.content.map(|c| c.len())))
        })
        .unwrap();
        out
    }

    #[test]
    fn zip_members_are_read_with_their_paths() {
        let data = zip_of(&[("a.txt", b"hello"), ("dir/b.csv", b"x;y\n")]);
        assert_eq!(
            members(data, Format::Zip, LIMITS),
            [("a.txt".into(), Ok(5)), ("dir/b.csv".into(), Ok(4))]
        );
    }

    #[test]
    fn a_member_that_expands_too_far_is_capped() {
        let zeros = vec![0u8; 4 << 20];
        let got = members(zip_of(&[("bomb.txt", &zeros)]), Format::Zip, LIMITS);
        assert!(
            matches!(&got[0].1, Err(Unread::Capped(m)) if m.contains("zip bomb")),
            "{got:?}"
        );
        let small = Limits {
            max_member_size: 1000,
            ..LIMITS
        };
        let got = members(zip_of(&[("big.txt", &[b'x'; 5000])]), Format::Zip, small);
        assert!(matches!(&got[0].1, Err(Unread::Capped(m)) if m.contains("--max-member-size")));
    }

    #[test]
    fn the_member_count_is_capped() {
        let few = Limits {
            max_members: 2,
            ..LIMITS
        };
        let data = zip_of(&[("1", b"a"), ("2", b"b"), ("3", b"c")]);
        let budget = Budget::new(1 << 30);
        let mut seen = 0;
        let shortfalls = for_each_member(
            Cursor::new(data),
            Format::Zip,
            "x.zip",
            few,
            &budget,
            |_| seen += 1,
        )
        .unwrap();
        assert_eq!(seen, 2);
        assert!(
            matches!(&shortfalls[..], [Shortfall::Capped(m)] if m.contains("first 2 of about 3"))
        );
    }

    #[test]
    fn gzip_and_tar() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"personas kods").unwrap();
        let got = members(gz.finish().unwrap(), Format::Gzip, LIMITS);
        assert_eq!(got, [("a".into(), Ok(13))]);

        let mut tar = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(3);
        header.set_mode(0o644);
        header.set_mtime(1_700_000_000);
        header.set_cksum();
        tar.append_data(&mut header, "d/x.txt", &b"abc"[..])
            .unwrap();
        let got = members(tar.into_inner().unwrap(), Format::Tar, LIMITS);
        assert_eq!(got, [("d/x.txt".into(), Ok(3))]);
    }

    #[test]
    fn names_and_times() {
        assert_eq!(gunzipped_name("dir/a.csv.gz"), "a.csv");
        assert_eq!(gunzipped_name("B.TGZ"), "B.tar");
        let t = zip::DateTime::from_date_and_time(2024, 3, 1, 12, 30, 0).unwrap();
        assert_eq!(
            zip_time(t),
            Some(UNIX_EPOCH + Duration::from_secs(1_709_296_200))
        );
    }
}
