//! Extraction: decide from content (magic bytes first, extension second) what a file is, and
//! turn readable files into UTF-8 text with locations.

pub mod archive;
pub mod cell;
pub mod delimited;
pub mod document;
mod format;
pub mod mail;
pub mod metadata;
pub mod ods;
pub mod office;
pub mod ole;
pub mod pdf;
mod pdf_content;
pub mod rtf;
pub mod spreadsheet;
pub mod text;
pub mod xlsx;
mod xml;

use std::path::Path;
use std::time::Instant;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1257};

pub use format::{Family, Format};

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Text; how to decode it.
    Text(TextEncoding),
    /// UTF-32 text with a byte-order mark (big-endian if `true`), which encoding_rs does not
    /// decode: read through [`text::Utf32Reader`].
    Utf32(bool),
    /// A document, workbook, message or archive format: read by its own extractor, or listed
    /// as `unsupported_format` when piimap has none for it.
    Document(Format),
    /// An encrypted Office Open XML document (a CFB container with an `EncryptedPackage`).
    Encrypted(Format),
    /// Content that is not text (images, media, executables, unknown binary).
    Binary(Format),
}

/// Why a structured document (workbook, office document) could not be read at all.
#[derive(Debug, PartialEq, Eq)]
pub enum ExtractError {
    /// Password protected (encrypted).
    Encrypted,
    /// Not readable (truncated, corrupt); the parser's message.
    Corrupt(String),
    /// Not read at all because a cap forbids it (the message names the cap).
    Capped(String),
}

/// A part of a structured document that was not read to its end.
#[derive(Debug, PartialEq, Eq)]
pub enum Shortfall {
    /// The part could not be parsed (`part: message`).
    Unreadable(String),
    /// A size cap stopped reading the part (`part: message`).
    Capped(String),
    /// Pages with no text to read (a scanned PDF): OCR would be needed.
    NoText(String),
}

/// What reading one file may cost: the caps every extractor applies as it reads.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// No part of a document is decompressed beyond this many bytes (`--max-extracted-size`).
    pub max_part: u64,
    /// Cells read per sheet (`--max-cells`).
    pub max_cells: u64,
    /// Bytes of one message or attachment held in memory (`--max-member-size`).
    pub max_member: u64,
    /// Members of one archive, attachments of one message (`--max-archive-members`).
    pub max_members: usize,
    /// Memory reading one file may take (`--max-file-memory`): what a file declares it holds
    /// (string counts, sizes) is checked against it before a parser is trusted with it.
    pub max_memory: u64,
    /// When reading must stop (`--max-file-time`).
    pub deadline: Option<Instant>,
}

impl Caps {
    /// Caps for unit tests: 1 MiB parts and members, a million cells, 256 MiB, no deadline.
    #[cfg(test)]
    pub(crate) const TEST: Caps = Caps {
        max_part: 1 << 20,
        max_cells: 1_000_000,
        max_member: 1 << 20,
        max_members: 1000,
        max_memory: 256 << 20,
        deadline: None,
    };

    /// Whether the deadline has passed.
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// How to decode a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip.
    pub bom_len: usize,
    /// The encoding to use instead if the first chunk is not valid in `encoding` (unmarked
    /// text is tried as UTF-8, else read as Windows-1257, the legacy Latvian code page).
    pub fallback: Option<&'static Encoding>,
}

impl TextEncoding {
    fn marked(encoding: &'static Encoding, bom_len: usize) -> Sniffed {
        Sniffed::Text(TextEncoding {
            encoding,
            bom_len,
            fallback: None,
        })
    }
}

/// Magic numbers of formats that are not plain text.
const MAGIC: &[(&[u8], Format)] = &[
    (b"%PDF-", Format::Pdf),
    (b"PK\x03\x04", Format::Zip),
    (b"PK\x05\x06", Format::Zip),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Format::Ole),
    (b"\x1F\x8B", Format::Gzip),
    (b"7z\xBC\xAF\x27\x1C", Format::SevenZip),
    (b"Rar!\x1A\x07", Format::Rar),
    (b"BZh", Format::Bzip2),
    (b"\xFD7zXZ\x00", Format::Xz),
    (b"SQLite format 3\x00", Format::Sqlite),
    (b"\x89PNG\r\n\x1A\n", Format::Png),
    (b"\xFF\xD8\xFF", Format::Jpeg),
    (b"GIF87a", Format::Gif),
    (b"GIF89a", Format::Gif),
    (b"II*\x00", Format::Tiff),
    (b"MM\x00*", Format::Tiff),
    (b"\x7FELF", Format::Elf),
    (b"OggS", Format::Ogg),
    (b"fLaC", Format::Flac),
    (b"ID3", Format::Mp3),
];

/// Reads `reader` up to `max` bytes; the flag says whether there was more (one byte past `max`
/// is read to tell, and dropped).
pub fn read_up_to(reader: impl std::io::Read, max: u64) -> Result<(Vec<u8>, bool), ExtractError> {
    use std::io::Read;
    let mut data = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
    let over = data.len() as u64 > max;
    data.truncate(max.min(data.len() as u64) as usize);
    Ok((data, over))
}

/// Sniffs `head` (the first bytes of the file).
pub fn sniff(head: &[u8], path: &Path) -> Sniffed {
    // Before the UTF-16 BOM, which UTF-32LE's begins with.
    if head.starts_with(b"\xFF\xFE\x00\x00") {
        return Sniffed::Utf32(false);
    }
    if head.starts_with(b"\x00\x00\xFE\xFF") {
        return Sniffed::Utf32(true);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return TextEncoding::marked(encoding, bom_len);
    }
    if let Some(&(_, format)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        let format = match extension(path) {
            Some(ext) if matches!(format, Format::Zip | Format::Ole) => {
                Format::of_container_extension(&ext).unwrap_or(format)
            }
            _ => format,
        };
        if format != Format::Ole
            && head.starts_with(b"\xD0\xCF\x11\xE0")
            && holds_encrypted_package(head)
        {
            return Sniffed::Encrypted(format);
        }
        return if format.family() == Family::Binary {
            Sniffed::Binary(format)
        } else {
            Sniffed::Document(format)
        };
    }
    if head.get(257..262) == Some(b"ustar") || archive::is_v7_tar(head) {
        return Sniffed::Document(Format::Tar);
    }
    if extension(path).as_deref() == Some("eml") || mail::looks_like_message(head) {
        // Before the NUL count: a message with a raw binary (UTF-16) part is still a message.
        return Sniffed::Document(Format::Eml);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Sniffed::Binary(Format::Mp4);
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") {
        return Sniffed::Binary(Format::Riff);
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return TextEncoding::marked(encoding, 0);
    }
    // Binary content is full of NUL bytes; a text file with a stray NUL (a corrupted log) is
    // still text and must be scanned, not skipped as binary.
    let sample = &head[..head.len().min(64 << 10)];
    if memchr::memchr_iter(0, sample).count() * 200 > sample.len() {
        return Sniffed::Binary(Format::Binary);
    }
    if rtf::is_rtf(head) {
        return Sniffed::Document(Format::Rtf);
    }
    // Validity is decided by the decoder on the first chunk (one pass instead of two).
    Sniffed::Text(TextEncoding {
        encoding: UTF_8,
        bom_len: 0,
        fallback: Some(WINDOWS_1257),
    })
}

/// Whether a CFB container names an `EncryptedPackage` stream (how Office stores a password
/// protected docx/xlsx/pptx): directory entry names are UTF-16LE.
fn holds_encrypted_package(head: &[u8]) -> bool {
    const NAME: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    memchr::memmem::find(head, NAME).is_some()
}

/// UTF-16 without a BOM: Latin-script text in UTF-16 has a NUL in most code units, at odd byte
/// positions (little-endian) or even ones (big-endian), and almost never in the other half.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    let units = sample.len() / 2;
    if units < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 10 >= units * 4 && even * 20 <= units {
        Some(UTF_16LE)
    } else if even * 10 >= units * 4 && odd * 20 <= units {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The lower-case extension of a path.
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The format of a text file, from its extension.
pub fn text_format(path: &Path) -> Format {
    Format::of_text_extension(extension(path).as_deref())
}

impl Sniffed {
    /// The format a sniffed file is recorded under until its reader says more (text by its
    /// name).
    pub fn format(self, name: &Path) -> Format {
        match self {
            Sniffed::Text(_) | Sniffed::Utf32(_) => text_format(name),
            Sniffed::Document(f) | Sniffed::Encrypted(f) | Sniffed::Binary(f) => f,
        }
    }

    /// Whether reading it runs parsers other than piimap's own streaming text code: documents,
    /// messages, archives and OLE containers (a scan reads those in reader processes).
    pub fn is_read_by_parsers(self) -> bool {
        match self {
            Sniffed::Document(format) => {
                matches!(
                    format.family(),
                    Family::Document | Family::Message | Family::Archive
                ) || format == Format::Ole
            }
            Sniffed::Text(_) | Sniffed::Utf32(_) | Sniffed::Encrypted(_) | Sniffed::Binary(_) => {
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unmarked() -> Sniffed {
        Sniffed::Text(TextEncoding {
            encoding: UTF_8,
            bom_len: 0,
            fallback: Some(WINDOWS_1257),
        })
    }

    #[test]
    fn unmarked_text_is_tried_as_utf8_then_windows_1257() {
        assert_eq!(sniffed(b"V\xE2rds", "a.csv"), unmarked());
        assert_eq!(sniffed("Vārds".as_bytes(), "a.csv"), unmarked());
    }

    fn sniffed(bytes: &[u8], name: &str) -> Sniffed {
        sniff(bytes, Path::new(name))
    }

    #[test]
    fn boms() {
        assert_eq!(
            sniffed(b"\xEF\xBB\xBFa", "a"),
            TextEncoding::marked(UTF_8, 3)
        );
        assert_eq!(
            sniffed(b"\xFF\xFEa\x00", "a"),
            TextEncoding::marked(UTF_16LE, 2)
        );
        assert_eq!(
            sniffed(b"\xFE\xFF\x00a", "a"),
            TextEncoding::marked(UTF_16BE, 2)
        );
    }

    /// Regression: UTF-32 with a BOM was `binary` (big-endian) or complete-and-empty
    /// (little-endian, taken for UTF-16).
    #[test]
    fn utf32_boms() {
        assert_eq!(
            sniffed(b"\xFF\xFE\x00\x00a\x00\x00\x00", "a"),
            Sniffed::Utf32(false)
        );
        assert_eq!(
            sniffed(b"\x00\x00\xFE\xFF\x00\x00\x00a", "a"),
            Sniffed::Utf32(true)
        );
    }

    #[test]
    fn utf16_without_bom_is_text_not_binary() {
        let le: Vec<u8> = "Personas kods"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Personas kods"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniffed(&le, "a.txt"), TextEncoding::marked(UTF_16LE, 0));
        assert_eq!(sniffed(&be, "a.txt"), TextEncoding::marked(UTF_16BE, 0));
        assert_eq!(
            sniffed(b"\x00\x01\x02\x03\x00\x00\x07\x08", "a"),
            Sniffed::Binary(Format::Binary)
        );
    }

    #[test]
    fn a_stray_nul_does_not_make_text_binary() {
        let mut log = "2024-03-12 saņemts, e-pasts anna@piemers.lv\n"
            .repeat(100)
            .into_bytes();
        log[500] = 0;
        assert_eq!(sniffed(&log, "a.log"), unmarked());
    }

    #[test]
    fn magic_before_extension() {
        assert_eq!(
            sniffed(b"%PDF-1.7", "x.txt"),
            Sniffed::Document(Format::Pdf)
        );
        assert_eq!(
            sniffed(b"PK\x03\x04rest", "a.DOCX"),
            Sniffed::Document(Format::Docx)
        );
        assert_eq!(
            sniffed(b"PK\x03\x04rest", "a.bin"),
            Sniffed::Document(Format::Zip)
        );
        assert_eq!(
            sniffed(b"\x89PNG\r\n\x1A\nxx", "a.png"),
            Sniffed::Binary(Format::Png)
        );
        assert_eq!(
            sniffed(b"{\\rtf1\\ansi x}", "a.txt"),
            Sniffed::Document(Format::Rtf)
        );
    }
}
