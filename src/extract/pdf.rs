//! PDF: the text of each page, read with lopdf's object model and piimap's own content
//! interpreter (`pdf_content.rs`).
//!
//! - Pages come from one walk of the page tree that remembers where it has been (a node that
//!   lists itself, or an ancestor, does not hide the others), or, in a file whose tree is gone,
//!   from every object that says it is a page. The deadline is checked page by page.
//! - Text is shown by `Tj`, `TJ`, `'` and `"`, in form XObjects too (scanned-page text layers
//!   and stamps live there), decoded by the font's ToUnicode map when it has one (also for a
//!   Type0 font whose encoding is an embedded CMap), else by its encoding.
//! - Runs are separated as they are laid out: a move to another line is a line break, a gap
//!   wider than two ems a tab (table cells), one wider than a fifth of an em a space (glyph
//!   widths from the font's `Widths` or `W`), so adjacent cells are not read as one number.
//! - Content streams are decoded as they are read, never held whole, within
//!   `--max-extracted-size` per page; image data is dropped as the file is loaded.
//! - A file encrypted with an empty user password (it opens without one) is decrypted and read;
//!   one that needs a password is `encrypted`.

use std::collections::HashSet;
use std::io::{self, Read};

use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId, Stream};

use super::pdf_content::{Lexer, Operand};
use super::{Caps, ExtractError, Shortfall};

/// Form XObjects inside form XObjects are followed this deep.
const MAX_FORM_DEPTH: usize = 12;

/// Page text is handed over in pieces of about this size (at a line break).
const PIECE: usize = 1 << 20;

/// Calls `visit(page, text)` for the text of every page (in pieces of at most about 1 MiB).
/// Returns what was not read: damaged objects, unreadable text, pages without a text layer,
/// caps that bit.
pub fn for_each_page<R: Read>(
    mut reader: R,
    caps: &Caps,
    mut visit: impl FnMut(u32, &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let limit = usize::try_from(caps.max_part).unwrap_or(usize::MAX);
    let mut data = Vec::new();
    reader
        .read_to_end(&mut data)
        .map_err(|e| ExtractError::Corrupt(format!("read failed: {}", e.kind())))?;
    // No load filter: lopdf rebuilds a damaged page tree only for an unfiltered load.
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(&data, options).map_err(load_error)?;
    drop(data);
    drop_image_data(&mut doc);
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    let mut shortfalls = Vec::new();
    if matches!(
        doc.xref_recovery,
        Some(lopdf::xref::XrefRecovery::Reconstructed)
    ) {
        shortfalls.push(Shortfall::Unreadable(
            "cross-reference table rebuilt: the file is damaged and objects may be missing".into(),
        ));
    }
    let pages = page_ids(&doc);
    let mut without_text = Vec::new();
    let mut unreadable = Vec::new();
    for (index, &page) in pages.iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if caps.out_of_time() {
            shortfalls.push(Shortfall::Capped(format!(
                "stopped at page {number} of {} (--max-file-time)",
                pages.len()
            )));
            break;
        }
        let mut page_text = PageText::new(number, &mut visit);
        let read = read_page(&doc, page, caps, limit, &mut page_text);
        let shown = page_text.finish();
        match read {
            Ok(()) => {}
            Err(PageError::Capped(why)) => {
                shortfalls.push(Shortfall::Capped(format!("page {number}: {why}")))
            }
            Err(PageError::Unreadable) => unreadable.push(number.to_string()),
        }
        if !shown {
            without_text.push(number.to_string());
        }
    }
    if !unreadable.is_empty() {
        shortfalls.push(Shortfall::Unreadable(format!(
            "text of {} pages could not be decoded: {}",
            unreadable.len(),
            list(&unreadable)
        )));
    }
    if !without_text.is_empty() {
        shortfalls.push(Shortfall::NoText(format!(
            "{} of {} pages have no text layer (scanned?): {}",
            without_text.len(),
            pages.len(),
            list(&without_text)
        )));
    }
    Ok(shortfalls)
}

/// At most 20 page numbers, then how many more.
fn list(pages: &[String]) -> String {
    if pages.len() <= 20 {
        pages.join(", ")
    } else {
        format!("{}, and {} more", pages[..20].join(", "), pages.len() - 20)
    }
}

/// Why the document could not be loaded at all.
fn load_error(e: lopdf::Error) -> ExtractError {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            ExtractError::Capped("a stream decompresses past --max-extracted-size: not read".into())
        }
        e => ExtractError::Corrupt(e.to_string()),
    }
}

/// Frees the data of images (most of a scan's bytes; no text is read from them).
fn drop_image_data(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|s| s == b"Image")
        {
            stream.content = Vec::new();
        }
    }
}

/// The pages in order: one walk of the page tree that never visits a node twice; in a file
/// whose tree gives none, every object whose type is `Page`.
fn page_ids(doc: &Document) -> Vec<ObjectId> {
    let mut pages = Vec::new();
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok());
    let mut visited = HashSet::new();
    let mut stack: Vec<ObjectId> = root.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !visited.insert(id) {
            continue;
        }
        let Ok(node) = doc.get_dictionary(id) else {
            continue;
        };
        match node.get(b"Kids").and_then(Object::as_array) {
            Ok(kids) if !node.has_type(b"Page") => {
                // Pushed in reverse, so the first kid is read first.
                stack.extend(kids.iter().rev().filter_map(|k| k.as_reference().ok()));
            }
            _ => pages.push(id),
        }
    }
    if pages.is_empty() {
        pages = doc
            .objects
            .iter()
            .filter(|(_, o)| o.as_dict().is_ok_and(|d| d.has_type(b"Page")))
            .map(|(id, _)| *id)
            .collect();
    }
    pages
}

/// Why a page (or part of it) was not read.
enum PageError {
    /// A cap bit (the message says which).
    Capped(String),
    /// Its content or fonts could not be read.
    Unreadable,
}

/// The page's resources: its own, or inherited from an ancestor in the page tree.
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(resources) = node.get_deref(b"Resources", doc).and_then(Object::as_dict) {
            return Some(resources);
        }
        node = node
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

/// Reads one page's content streams.
fn read_page(
    doc: &Document,
    page: ObjectId,
    caps: &Caps,
    limit: usize,
    out: &mut PageText<'_>,
) -> Result<(), PageError> {
    let resources = page_resources(doc, page);
    let fonts = Fonts::of(doc, resources, limit);
    let mut state = TextState::default();
    let mut reader = PageReader {
        doc,
        caps,
        budget: limit as u64,
        forms: Vec::new(),
        out,
    };
    for id in doc.get_page_contents(page) {
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        reader.run_stream(stream, resources, &fonts, &mut state)?;
    }
    if fonts.failed || state.undecodable {
        return Err(PageError::Unreadable);
    }
    Ok(())
}

/// What reading one page's streams shares: the document, the caps, the bytes of content the
/// page may still decode, the forms being shown (to stop a form showing itself), the text.
struct PageReader<'a, 'v> {
    doc: &'a Document,
    caps: &'a Caps,
    budget: u64,
    forms: Vec<ObjectId>,
    out: &'a mut PageText<'v>,
}

impl PageReader<'_, '_> {
    /// Interprets one content stream (a page's or a form's) with its resources and fonts.
    fn run_stream(
        &mut self,
        stream: &Stream,
        resources: Option<&Dictionary>,
        fonts: &Fonts<'_>,
        state: &mut TextState,
    ) -> Result<(), PageError> {
        let reader = decoded(stream, self.budget)?;
        let mut lexer = Lexer::new(reader);
        let mut operands = Vec::new();
        let mut operations = 0u64;
        loop {
            let op = match lexer.next_operation(&mut operands) {
                Ok(Some(op)) => op,
                Ok(None) => break,
                Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                    return Err(PageError::Capped(
                        "content over --max-extracted-size; the rest not read".into(),
                    ));
                }
                Err(_) => return Err(PageError::Unreadable),
            };
            operations += 1;
            if operations.is_multiple_of(1 << 16) && self.caps.out_of_time() {
                return Err(PageError::Capped("stopped at --max-file-time".into()));
            }
            if op == b"Do" {
                if let Some(Operand::Name(name)) = operands.first()
                    && let Some(id) = self.xobject(resources, name)
                {
                    self.run_form(id, resources, state)?;
                }
                continue;
            }
            state.operate(&op, &operands, fonts, self.out);
        }
        self.budget = self.budget.saturating_sub(lexer.consumed);
        Ok(())
    }

    /// The object id of XObject `name` in `resources`.
    fn xobject(&self, resources: Option<&Dictionary>, name: &[u8]) -> Option<ObjectId> {
        resources
            .and_then(|r| {
                r.get_deref(b"XObject", self.doc)
                    .and_then(Object::as_dict)
                    .ok()
            })
            .and_then(|x| x.get(name).ok())
            .and_then(|o| o.as_reference().ok())
    }

    /// Shows a form XObject (not an image), with its own resources if it has them.
    fn run_form(
        &mut self,
        id: ObjectId,
        parent_resources: Option<&Dictionary>,
        state: &mut TextState,
    ) -> Result<(), PageError> {
        // A form that shows itself (or an ancestor) is shown once.
        if self.forms.contains(&id) || self.forms.len() >= MAX_FORM_DEPTH {
            return Ok(());
        }
        let doc = self.doc;
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        let is_form = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s == b"Form");
        if !is_form {
            return Ok(());
        }
        let resources = stream
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
            .ok()
            .or(parent_resources);
        let limit = usize::try_from(self.budget).unwrap_or(usize::MAX);
        let fonts = Fonts::of(doc, resources, limit);
        self.forms.push(id);
        // Text inside a form starts on a line of its own.
        state.pending = state.pending.max(Gap::Line);
        let shown = self.run_stream(stream, resources, &fonts, state);
        self.forms.pop();
        shown
    }
}

/// A stream's content, decoded as it is read: Flate (the usual filter) streamed, other
/// filters through lopdf; at most `budget` bytes (one more is an error of kind
/// `FileTooLarge`).
fn decoded(stream: &Stream, budget: u64) -> Result<Box<dyn Read + '_>, PageError> {
    let filters = stream.filters().unwrap_or_default();
    let has_params = stream.dict.get(b"DecodeParms").is_ok();
    let raw: Box<dyn Read + '_> = match filters.as_slice() {
        [] => Box::new(&stream.content[..]),
        [b"FlateDecode"] if !has_params => {
            Box::new(flate2::read::ZlibDecoder::new(&stream.content[..]))
        }
        _ => {
            let limit = usize::try_from(budget).unwrap_or(usize::MAX);
            match stream.decompressed_content_with_limit(limit) {
                Ok(content) => Box::new(io::Cursor::new(content)),
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => {
                    return Err(PageError::Capped(
                        "content over --max-extracted-size; not read".into(),
                    ));
                }
                Err(_) => return Err(PageError::Unreadable),
            }
        }
    };
    Ok(Box::new(Capped {
        inner: raw,
        left: budget,
    }))
}

/// A reader that fails (`FileTooLarge`) once it has given `left` bytes and has more.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::ErrorKind::FileTooLarge.into()),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The fonts of a resource dictionary: how their codes become text, and how wide they are.
struct Fonts<'d> {
    fonts: Vec<(Vec<u8>, Font<'d>)>,
    /// A font's encoding could not be read.
    failed: bool,
}

/// One font.
struct Font<'d> {
    encoding: Encoding<'d>,
    /// Bytes per character code: 2 for Type0 (composite) fonts, else 1.
    code_len: usize,
    widths: Widths,
}

/// Glyph widths in thousandths of the font size.
enum Widths {
    /// A simple font: `Widths` from `FirstChar`, and the width of codes outside them.
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    /// A composite font: `W` ranges, and `DW` for the rest.
    Composite {
        ranges: Vec<(u32, u32, f32)>,
        default: f32,
    },
}

impl Widths {
    fn of(&self, code: u32) -> f32 {
        match self {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .filter(|w| *w > 0.0)
                .unwrap_or(*missing),
            Widths::Composite { ranges, default } => {
                // Sorted by first code: the last range starting at or before `code`.
                let at = ranges.partition_point(|r| r.0 <= code);
                at.checked_sub(1)
                    .map(|i| ranges[i])
                    .filter(|r| code <= r.1)
                    .map_or(*default, |r| r.2)
            }
        }
    }
}

impl<'d> Fonts<'d> {
    fn of(doc: &'d Document, resources: Option<&'d Dictionary>, limit: usize) -> Fonts<'d> {
        let mut fonts = Vec::new();
        let mut failed = false;
        let entries = resources
            .and_then(|r| r.get_deref(b"Font", doc).and_then(Object::as_dict).ok())
            .map(|d| d.iter().collect::<Vec<_>>())
            .unwrap_or_default();
        for (name, font) in entries {
            let Ok(dict) = doc.dereference(font).and_then(|(_, f)| f.as_dict()) else {
                continue;
            };
            match font_of(doc, dict, limit) {
                Some(font) => fonts.push((name.clone(), font)),
                None => failed = true,
            }
        }
        Fonts { fonts, failed }
    }

    fn get(&self, name: &[u8]) -> Option<&Font<'d>> {
        self.fonts.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }
}

/// A font's decoding and widths; `None` when its encoding cannot be read at all (a
/// decompression bomb in its ToUnicode map, say).
fn font_of<'d>(doc: &'d Document, dict: &'d Dictionary, limit: usize) -> Option<Font<'d>> {
    let composite = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Type0");
    // ToUnicode says what the codes mean wherever it is: lopdf looks at /Encoding first,
    // and an embedded CMap there (a stream) made it give up on the font.
    let to_unicode = dict
        .get_deref(b"ToUnicode", doc)
        .and_then(Object::as_stream)
        .ok()
        .and_then(|s| to_unicode(s, limit));
    let encoding = match to_unicode {
        Some(encoding) => encoding,
        None => dict.get_font_encoding_with_limit(doc, limit).ok()?,
    };
    let number = |o: &Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|i| i as f32))
    };
    let widths = if composite {
        let descendant = dict
            .get_deref(b"DescendantFonts", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|d| doc.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok());
        let default = descendant
            .and_then(|d| d.get(b"DW").ok())
            .and_then(number)
            .unwrap_or(1000.0);
        let mut ranges = Vec::new();
        if let Some(w) =
            descendant.and_then(|d| d.get_deref(b"W", doc).and_then(Object::as_array).ok())
        {
            let mut i = 0;
            while i + 1 < w.len() && ranges.len() < 1 << 16 {
                let Some(first) = number(&w[i]) else { break };
                let first = first as u32;
                match doc.dereference(&w[i + 1]).map(|(_, o)| o) {
                    Ok(Object::Array(list)) => {
                        for (k, width) in list.iter().take(1 << 16).enumerate() {
                            if let Some(width) = number(width) {
                                let code = first.saturating_add(k as u32);
                                ranges.push((code, code, width));
                            }
                        }
                        i += 2;
                    }
                    Ok(last) => {
                        let (Some(last), Some(width)) =
                            (number(last), w.get(i + 2).and_then(number))
                        else {
                            break;
                        };
                        ranges.push((first, last as u32, width));
                        i += 3;
                    }
                    Err(_) => break,
                }
            }
        }
        ranges.sort_by_key(|r| r.0);
        Widths::Composite { ranges, default }
    } else {
        let first = dict.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
        let widths = dict
            .get_deref(b"Widths", doc)
            .and_then(Object::as_array)
            .map(|a| {
                a.iter()
                    .take(1 << 16)
                    .map(|w| number(w).unwrap_or(0.0))
                    .collect()
            })
            .unwrap_or_default();
        let missing = dict
            .get_deref(b"FontDescriptor", doc)
            .and_then(Object::as_dict)
            .ok()
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(number)
            .filter(|w| *w > 0.0)
            .unwrap_or_else(|| standard_width(dict));
        Widths::Simple {
            first,
            widths,
            missing,
        }
    };
    Some(Font {
        encoding,
        code_len: if composite { 2 } else { 1 },
        widths,
    })
}

/// The ToUnicode map of a font as an encoding, if it parses: lopdf builds one when the font
/// has no /Encoding, so it is asked with a copy of the font dictionary that has only it.
fn to_unicode(stream: &Stream, limit: usize) -> Option<Encoding<'static>> {
    let mut doc = Document::new();
    let id = doc.add_object(Object::Stream(stream.clone()));
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("ToUnicode", Object::Reference(id));
    let encoding = font.get_font_encoding_with_limit(&doc, limit).ok()?;
    match encoding {
        // Owned: it borrows nothing from the copy, which is dropped here.
        Encoding::UnicodeMapEncoding(map) => Some(Encoding::UnicodeMapEncoding(map)),
        _ => None,
    }
}

/// An average glyph width for a font without widths (the standard 14 fonts): Courier's is
/// 600, Helvetica's lower case about 556, Times' about 500.
fn standard_width(font: &Dictionary) -> f32 {
    let base = font
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .unwrap_or_default();
    let has = |s: &[u8]| base.windows(s.len()).any(|w| w.eq_ignore_ascii_case(s));
    if has(b"Courier") || has(b"Mono") {
        600.0
    } else if has(b"Times") || has(b"Serif") {
        500.0
    } else {
        556.0
    }
}

/// What separates the next shown text from the last.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    /// Nothing: the same run.
    #[default]
    None,
    /// A space: a gap between words.
    Space,
    /// A tab: a gap of more than two ems on the same line, as between table cells (with a
    /// space, two cells of four-digit groups read as a card number).
    Column,
    /// A line break.
    Line,
}

/// The text state of a content stream, as far as laying out words goes (PDF 32000-1 §9.3).
struct TextState {
    /// The font's index in the current `Fonts`, by name.
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal: f32,
    leading: f32,
    /// Text matrix `[a b c d e f]` and the line matrix (the start of the line).
    matrix: [f32; 6],
    line: [f32; 6],
    /// Where the last shown text ended (x, y), in user space.
    end: Option<(f32, f32)>,
    pending: Gap,
    /// Some text could not be decoded.
    undecodable: bool,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal: 1.0,
            leading: 0.0,
            matrix: IDENTITY,
            line: IDENTITY,
            end: None,
            pending: Gap::None,
            undecodable: false,
        }
    }
}

const IDENTITY: [f32; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

impl TextState {
    /// The font size in user space (the text matrix scales it).
    fn em(&self) -> f32 {
        (self.size * self.matrix[3].abs().max(self.matrix[0].abs()))
            .abs()
            .max(0.01)
    }

    /// Moves to the start of the next line, `tx, ty` from the current line's start.
    fn move_line(&mut self, tx: f32, ty: f32) {
        let [a, b, c, d, e, f] = self.line;
        self.line = [a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f];
        self.matrix = self.line;
    }

    fn operate(
        &mut self,
        op: &[u8],
        operands: &[Operand],
        fonts: &Fonts<'_>,
        out: &mut PageText<'_>,
    ) {
        let num = |i: usize| match operands.get(i) {
            Some(Operand::Number(n)) => *n,
            _ => 0.0,
        };
        match op {
            b"BT" => {
                self.matrix = IDENTITY;
                self.line = IDENTITY;
            }
            b"ET" => self.pending = self.pending.max(Gap::Line),
            b"Tf" => {
                self.font = match operands.first() {
                    Some(Operand::Name(name)) => Some(name.clone()),
                    _ => None,
                };
                self.size = num(1);
            }
            b"Tc" => self.char_spacing = num(0),
            b"Tw" => self.word_spacing = num(0),
            b"Tz" => self.horizontal = num(0) / 100.0,
            b"TL" => self.leading = num(0),
            b"Td" => self.move_line(num(0), num(1)),
            b"TD" => {
                self.leading = -num(1);
                self.move_line(num(0), num(1));
            }
            b"Tm" if operands.len() >= 6 => {
                self.line = [num(0), num(1), num(2), num(3), num(4), num(5)];
                self.matrix = self.line;
            }
            b"T*" => self.move_line(0.0, -self.leading),
            b"Tj" => self.show_operand(operands.first(), fonts, out),
            b"'" => {
                self.move_line(0.0, -self.leading);
                self.show_operand(operands.first(), fonts, out);
            }
            b"\"" => {
                self.word_spacing = num(0);
                self.char_spacing = num(1);
                self.move_line(0.0, -self.leading);
                self.show_operand(operands.get(2), fonts, out);
            }
            b"TJ" => {
                let Some(Operand::Array(items)) = operands.first() else {
                    return;
                };
                for item in items {
                    match item {
                        Operand::Number(n) => {
                            // A negative number moves right: a large move is a space.
                            let shift = -n / 1000.0 * self.size * self.horizontal;
                            self.advance(shift);
                            if shift > 0.2 * self.size {
                                self.pending = self.pending.max(Gap::Space);
                            }
                        }
                        item => self.show_operand(Some(item), fonts, out),
                    }
                }
            }
            _ => {}
        }
    }

    /// Moves the text position `dx` along the line (text space).
    fn advance(&mut self, dx: f32) {
        self.matrix[4] += dx * self.matrix[0];
        self.matrix[5] += dx * self.matrix[1];
    }

    fn show_operand(
        &mut self,
        operand: Option<&Operand>,
        fonts: &Fonts<'_>,
        out: &mut PageText<'_>,
    ) {
        let Some(Operand::String(bytes)) = operand else {
            return;
        };
        let font = self.font.as_deref().and_then(|name| fonts.get(name));
        let Some(font) = font else {
            // Text in a font the page does not have: nothing to decode it with.
            if !bytes.is_empty() {
                self.undecodable = true;
            }
            return;
        };
        // Where this text starts against where the last ended: another line, a gap, or
        // the same run.
        let (x, y) = (self.matrix[4], self.matrix[5]);
        if let Some((end_x, end_y)) = self.end {
            let em = self.em();
            if (y - end_y).abs() > 0.5 * em {
                self.pending = self.pending.max(Gap::Line);
            } else if (x - end_x).abs() > 2.0 * em {
                self.pending = self.pending.max(Gap::Column);
            } else if (x - end_x).abs() > 0.2 * em {
                self.pending = self.pending.max(Gap::Space);
            }
        }
        let mut text = String::new();
        if font.encoding.write_to_string(bytes, &mut text).is_err() {
            self.undecodable = true;
        }
        out.push(self.pending, &text);
        self.pending = Gap::None;
        // The width of what was shown.
        let mut width = 0.0;
        for code in bytes.chunks(font.code_len) {
            let code = code.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b));
            width += font.widths.of(code) / 1000.0 * self.size + self.char_spacing;
            if font.code_len == 1 && code == 32 {
                width += self.word_spacing;
            }
        }
        self.advance(width * self.horizontal);
        self.end = Some((self.matrix[4], self.matrix[5]));
    }
}

/// A page's text as it is shown, handed on in pieces.
struct PageText<'v> {
    page: u32,
    text: String,
    shown: bool,
    visit: &'v mut dyn FnMut(u32, &str),
}

impl<'v> PageText<'v> {
    fn new(page: u32, visit: &'v mut dyn FnMut(u32, &str)) -> Self {
        PageText {
            page,
            text: String::new(),
            shown: false,
            visit,
        }
    }

    fn push(&mut self, gap: Gap, text: &str) {
        if text.is_empty() {
            return;
        }
        let ends_blank = self.text.ends_with(char::is_whitespace);
        match gap {
            Gap::Line if !self.text.is_empty() && !self.text.ends_with('\n') => {
                self.text.push('\n');
                if self.text.len() > PIECE {
                    self.flush();
                }
            }
            Gap::Space if !self.text.is_empty() && !ends_blank && !text.starts_with(' ') => {
                self.text.push(' ')
            }
            Gap::Column if !self.text.is_empty() && !self.text.ends_with(['\t', '\n']) => {
                self.text.push('\t')
            }
            _ => {}
        }
        self.text.push_str(text);
    }

    fn flush(&mut self) {
        if !self.text.trim().is_empty() {
            self.shown = true;
            (self.visit)(self.page, &self.text);
        }
        self.text.clear();
    }

    /// Hands on what is left; whether the page showed any text.
    fn finish(mut self) -> bool {
        self.flush();
        self.shown
    }
}
