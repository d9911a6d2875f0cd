//! Text files, read in bounded chunks and decoded to UTF-8. Each chunk becomes a *window* of
//! text that carries some text over from the previous one, so a value or its context keyword
//! that straddles a chunk edge is neither lost nor reported twice.

use std::io::{self, Read};
use std::ops::Range;

use encoding_rs::Encoding;

use super::TextEncoding;

use crate::inventory::Location;

/// Bytes read from the file per chunk.
pub const CHUNK: usize = 1 << 20;
/// Decoded bytes at the end of a window whose matches are left to the next window: longer than
/// any value plus its after-context, so every match that starts before it ends inside the window.
const TAIL: usize = 4096;
/// Decoded bytes carried before the next window's report range, for before-context.
const BEHIND: usize = 1024;

/// One window of decoded text.
#[derive(Debug)]
pub struct Window<'a> {
    /// The decoded text, including carried-over context.
    pub text: &'a str,
    /// Matches starting in this range belong to this window.
    pub report: Range<usize>,
    /// Where matching may start (after a value already reported by the previous window).
    pub resume: usize,
    /// Offset of `text[0]` in the whole decoded file.
    pub base: u64,
}

/// How streaming a file ended.
#[derive(Debug)]
pub struct Streamed {
    /// Raw bytes read (and scanned).
    pub bytes_read: u64,
    /// The encoding used (the fallback, if the first chunk needed it).
    pub encoding: &'static Encoding,
    /// The I/O error that cut reading short, if any.
    pub error: Option<io::Error>,
}

/// Reads `reader` to the end into `buf` chunk by chunk. `buf[..filled]` already holds the first
/// chunk (as sniffed); the BOM is skipped. With `markup` (HTML, XML), character references
/// (`&nbsp;`, `&#64;`, `&amacr;`) are decoded; in all text, no-break and thin spaces become plain
/// spaces, so `26&nbsp;123&nbsp;456` is a phone number. One character becomes one character,
/// so columns stay exact; in markup they count the decoded text. If the first chunk is not valid in the encoding and
/// there is a fallback, the fallback is used. `visit` scans a window and returns the position
/// (in the window) where the next window's matching may resume.
pub fn stream_windows<R: Read>(
    reader: &mut R,
    buf: &mut [u8],
    mut filled: usize,
    text_encoding: TextEncoding,
    markup: bool,
    mut visit: impl FnMut(&Window<'_>) -> usize,
) -> Streamed {
    let mut normalizer = Normalizer {
        markup,
        pending: String::new(),
    };
    let TextEncoding {
        mut encoding,
        bom_len,
        mut fallback,
    } = text_encoding;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut window = String::new();
    let mut base = 0u64;
    let mut report_from = 0usize;
    let mut resume = 0u64;
    let mut total = filled as u64;
    let mut start = bom_len.min(filled);
    loop {
        let eof = filled < buf.len();
        let src = &buf[start..filled];
        window.reserve(
            decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3),
        );
        let fresh_from = window.len();
        let (_, _, malformed) = decoder.decode_to_string(src, &mut window, eof);
        if let Some(other) = fallback.take().filter(|_| malformed) {
            encoding = other;
            decoder = other.new_decoder_without_bom_handling();
            window.clear();
            window.reserve(
                decoder
                    .max_utf8_buffer_length(src.len())
                    .unwrap_or(src.len() * 3),
            );
            let _ = decoder.decode_to_string(src, &mut window, eof);
        }
        normalizer.apply(&mut window, fresh_from, eof);
        let until = if eof {
            window.len()
        } else {
            floor_char_boundary(&window, window.len().saturating_sub(TAIL))
        };
        if until > report_from || (eof && report_from == 0) {
            let local_resume = usize::try_from(resume.saturating_sub(base)).unwrap_or(usize::MAX);
            let w = Window {
                text: &window,
                report: report_from..until,
                resume: local_resume.max(report_from),
                base,
            };
            let next = visit(&w);
            resume = resume.max(base + next as u64);
        }
        if eof {
            return Streamed {
                bytes_read: total,
                encoding,
                error: None,
            };
        }
        let keep_from = floor_char_boundary(&window, until.saturating_sub(BEHIND));
        window.drain(..keep_from);
        base += keep_from as u64;
        report_from = until - keep_from;
        start = 0;
        filled = match read_full(reader, buf) {
            Ok(n) => n,
            Err(error) => {
                return Streamed {
                    bytes_read: total,
                    encoding,
                    error: Some(error),
                };
            }
        };
        total += filled as u64;
    }
}

/// Rewrites freshly decoded text before it is scanned.
struct Normalizer {
    /// Decode HTML/XML character references.
    markup: bool,
    /// A character reference cut by the end of the previous chunk.
    pending: String,
}

/// Longest character reference held back at a chunk edge (`&CounterClockwiseContourIntegral;`).
const MAX_REFERENCE: usize = 40;

impl Normalizer {
    /// Normalises `window[from..]`, the text decoded from the latest chunk.
    fn apply(&mut self, window: &mut String, from: usize, eof: bool) {
        if !self.pending.is_empty() {
            window.insert_str(from, &self.pending);
            self.pending.clear();
        }
        if self.markup {
            if !eof
                && let Some(amp) = window[from..].rfind('&')
                && window.len() - (from + amp) < MAX_REFERENCE
                && !window[from + amp..].contains(';')
            {
                self.pending.push_str(&window[from + amp..]);
                window.truncate(from + amp);
            }
            if window[from..].contains('&') {
                let decoded = html_escape::decode_html_entities(&window[from..]).into_owned();
                window.truncate(from);
                window.push_str(&decoded);
            }
        }
        // No-break (U+00A0, U+2007, U+202F) and thin (U+2009) spaces are C2 A0 and E2 80 xx;
        // E2 also starts the dashes and „quotes“ of Latvian text, so look at the whole sequence.
        let bytes = &window.as_bytes()[from..];
        let spaces = memchr::memchr2_iter(0xC2, 0xE2, bytes).any(|i| {
            matches!(
                bytes[i..],
                [0xC2, 0xA0, ..] | [0xE2, 0x80, 0x87 | 0x89 | 0xAF, ..]
            )
        });
        if spaces {
            let spaced: String = window[from..]
                .chars()
                .map(|c| {
                    if matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{2009}') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            window.truncate(from);
            window.push_str(&spaced);
        }
    }
}

/// Reads until `buf` is full or the reader is at its end; returns the bytes read.
pub fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// UTF-32 turned into UTF-8 as it is read (after the byte-order mark); code units that are no
/// character become U+FFFD.
pub struct Utf32Reader<R> {
    inner: R,
    big_endian: bool,
    /// A code unit cut by a read, and UTF-8 not yet handed out.
    partial: Vec<u8>,
    out: Vec<u8>,
    at: usize,
}

impl<R: Read> Utf32Reader<R> {
    /// Reads UTF-32 in the given byte order from `inner` (positioned after the BOM).
    pub fn new(inner: R, big_endian: bool) -> Self {
        Utf32Reader {
            inner,
            big_endian,
            partial: Vec::new(),
            out: Vec::new(),
            at: 0,
        }
    }
}

impl<R: Read> Read for Utf32Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            self.out.clear();
            self.at = 0;
            let mut raw = [0u8; 16 << 10];
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                if !self.partial.is_empty() {
                    self.partial.clear();
                    self.out.extend("\u{fffd}".as_bytes());
                    continue;
                }
                return Ok(0);
            }
            self.partial.extend_from_slice(&raw[..n]);
            let whole = self.partial.len() / 4 * 4;
            for unit in self.partial[..whole].chunks_exact(4) {
                let bytes = [unit[0], unit[1], unit[2], unit[3]];
                let value = if self.big_endian {
                    u32::from_be_bytes(bytes)
                } else {
                    u32::from_le_bytes(bytes)
                };
                let c = char::from_u32(value).unwrap_or('\u{fffd}');
                let mut utf8 = [0u8; 4];
                self.out
                    .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
            self.partial.drain(..whole);
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Turns byte offsets of the decoded file into line and column, moving forward only; newlines
/// are counted lazily, up to each finding.
#[derive(Debug)]
pub struct LineTracker {
    pos: u64,
    line: u64,
    column: u64,
}

impl Default for LineTracker {
    fn default() -> Self {
        LineTracker {
            pos: 0,
            line: 1,
            column: 0,
        }
    }
}

impl LineTracker {
    /// The location of absolute offset `at`, which must not be before the previous one and must
    /// lie in `window`.
    pub fn locate(&mut self, window: &Window<'_>, at: u64) -> Location {
        self.advance(window, at);
        self.here()
    }

    /// The location of the current offset.
    pub fn here(&self) -> Location {
        Location::text(self.line, self.column + 1)
    }

    /// The current absolute offset.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Moves to absolute offset `to` (call with the end of each window's report range, so the
    /// tracker never falls behind the text a window keeps).
    pub fn advance(&mut self, window: &Window<'_>, to: u64) {
        let from = (self.pos - window.base) as usize;
        let to_rel = (to - window.base) as usize;
        let seg = &window.text.as_bytes()[from..to_rel];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count() as u64;
                self.column = count_chars(&seg[last + 1..]);
            }
            None => self.column += count_chars(seg),
        }
        self.pos = to;
    }
}

/// Characters in valid UTF-8 bytes: every byte that is not a continuation byte.
fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_8, UTF_16LE, WINDOWS_1257};

    /// Streams `data` with a small chunk and collects, per window, the reported text.
    fn windows_of(
        data: &[u8],
        chunk: usize,
        encoding: &'static Encoding,
    ) -> (String, Vec<(u64, usize, usize)>) {
        let marked = TextEncoding {
            encoding,
            bom_len: 0,
            fallback: None,
        };
        let (text, spans, _) = decode(data, chunk, marked);
        (text, spans)
    }

    /// Streams `data` with a small chunk; returns the reported text, the windows and the
    /// encoding used.
    fn decode(
        data: &[u8],
        chunk: usize,
        enc: TextEncoding,
    ) -> (String, Vec<(u64, usize, usize)>, &'static Encoding) {
        decode_markup(data, chunk, enc, false)
    }

    fn decode_markup(
        data: &[u8],
        chunk: usize,
        enc: TextEncoding,
        markup: bool,
    ) -> (String, Vec<(u64, usize, usize)>, &'static Encoding) {
        let mut reader = io::Cursor::new(data);
        let mut buf = vec![0u8; chunk];
        let filled = read_full(&mut reader, &mut buf).unwrap();
        let mut reported = String::new();
        let mut spans = Vec::new();
        let streamed = stream_windows(&mut reader, &mut buf, filled, enc, markup, |w| {
            reported.push_str(&w.text[w.report.clone()]);
            spans.push((w.base, w.report.start, w.report.end));
            w.report.end
        });
        assert!(streamed.error.is_none());
        (reported, spans, streamed.encoding)
    }

    #[test]
    fn markup_references_are_decoded_across_chunk_edges() {
        let utf8 = TextEncoding {
            encoding: UTF_8,
            bom_len: 0,
            fallback: None,
        };
        let line = "<p>T&#257;lr.&nbsp;26&nbsp;123&nbsp;456, janis&#64;pasts.lv &amacr;&amp;</p>\n";
        let want = "<p>Tālr. 26 123 456, janis@pasts.lv ā&</p>\n";
        // Chunk sizes that cut the references at every position.
        for chunk in [7, 11, 13, 64] {
            let data = line.repeat(50);
            let (text, _, _) = decode_markup(data.as_bytes(), chunk, utf8, true);
            assert_eq!(text, want.repeat(50), "chunk {chunk}");
        }
        // Outside markup the references stay, but no-break spaces still become spaces.
        let (text, _, _) = decode(line.as_bytes(), 64, utf8);
        assert_eq!(text, line);
        let (text, _, _) = decode("26\u{a0}123\u{202f}456".as_bytes(), 64, utf8);
        assert_eq!(text, "26 123 456");
    }

    #[test]
    fn unmarked_text_falls_back_to_windows_1257() {
        let unmarked = TextEncoding {
            encoding: UTF_8,
            bom_len: 0,
            fallback: Some(WINDOWS_1257),
        };
        let text = "Vārds; Uzvārds; Tālrunis\n".repeat(500);
        let (cp1257, _, _) = WINDOWS_1257.encode(&text);
        let (decoded, _, used) = decode(&cp1257, 4096, unmarked);
        assert_eq!((decoded.as_str(), used), (text.as_str(), WINDOWS_1257));
        // UTF-8 whose first chunk ends inside "ā" is still UTF-8.
        let utf8 = format!("{}ā{}", "x".repeat(4095), text);
        let (decoded, _, used) = decode(utf8.as_bytes(), 4096, unmarked);
        assert_eq!((decoded.len(), used), (utf8.len(), UTF_8));
    }

    #[test]
    fn report_ranges_tile_the_text_exactly() {
        let text: String = (0..3000)
            .map(|i| format!("rinda {i}: Jānis Bērziņš\n"))
            .collect();
        let (reported, spans) = windows_of(text.as_bytes(), 8192, UTF_8);
        assert_eq!(reported, text);
        assert!(spans.len() > 5);
    }

    #[test]
    fn utf16_and_cp1257_decode_across_chunks() {
        let text: String = "Vārds Uzvārds ".repeat(2000);
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(windows_of(&utf16, 4099, UTF_16LE).0, text);
        let (cp1257, _, _) = WINDOWS_1257.encode(&text);
        assert_eq!(windows_of(&cp1257, 5000, WINDOWS_1257).0, text);
    }

    #[test]
    fn line_tracker_counts_lines_and_characters() {
        let text = "a\nāāā x\nyy z";
        let w = Window {
            text,
            report: 0..text.len(),
            resume: 0,
            base: 0,
        };
        let mut t = LineTracker::default();
        assert_eq!(
            t.locate(&w, text.find('x').unwrap() as u64),
            Location::text(2, 5)
        );
        assert_eq!(
            t.locate(&w, text.find('z').unwrap() as u64),
            Location::text(3, 4)
        );
    }
}
