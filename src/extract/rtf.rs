//! Rich Text Format: control words stripped, text kept line by line (`\par`, `\line`, table
//! rows end a line). `\'xx` bytes are decoded in the document's code page (`\ansicpg1257`,
//! Windows-1257 when none is given), `\uN` as Unicode. Destinations that hold no document text
//! (font and colour tables, styles, pictures, embedded objects, `\*` extensions) are skipped.

use std::io::Read;

use encoding_rs::{Encoding, WINDOWS_1257};

use super::{Caps, ExtractError, Shortfall};

/// Destinations whose content is not document text.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "pict",
    "object",
    "objdata",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "filetbl",
    "revtbl",
];

/// Whether `head` starts an RTF document.
pub fn is_rtf(head: &[u8]) -> bool {
    head.starts_with(b"{\\rtf")
}

/// Reads an RTF document (at most `caps.max_part` bytes of it) and hands each line of its
/// text, with its 1-based number, to `visit`.
pub fn for_each_line<R: Read>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(u64, &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max = caps.max_part;
    let (data, over) = super::read_up_to(reader, max)?;
    let mut shortfalls = Vec::new();
    if over {
        shortfalls.push(Shortfall::Capped(format!(
            "document: read up to {max} bytes (--max-extracted-size)"
        )));
    }
    let text = to_text(&data);
    for (i, line) in text.lines().enumerate() {
        if !line.trim().is_empty() {
            visit(i as u64 + 1, line);
        }
    }
    Ok(shortfalls)
}

/// Where a group's text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// Document text.
    Text,
    /// Nowhere: a destination that holds no document text.
    Skip,
    /// Nowhere, but `\author` and `\operator` inside it name people.
    Info,
    /// The document's author (`\info{\author ...}`).
    Author,
    /// Who last saved it (`\info{\operator ...}`).
    Operator,
}

/// Per-group state.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// Where its text goes.
    sink: Sink,
    /// Fallback characters that follow a `\uN` (`\ucN`).
    unicode_skip: usize,
}

/// What an RTF document says: its text and the people its `\info` group names.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parsed {
    text: String,
    author: String,
    operator: String,
}

impl Parsed {
    /// The buffer that text for `sink` goes to, if any.
    fn buffer(&mut self, sink: Sink) -> Option<&mut String> {
        match sink {
            Sink::Text => Some(&mut self.text),
            Sink::Author => Some(&mut self.author),
            Sink::Operator => Some(&mut self.operator),
            Sink::Skip | Sink::Info => None,
        }
    }
}

/// The people an RTF document's `\info` group names (`author`, `last_modified_by`). The group
/// sits in the header, so only the first 64 KiB are read.
pub fn people<R: Read>(reader: R) -> Vec<(&'static str, String)> {
    let Ok((data, _)) = super::read_up_to(reader, 1 << 16) else {
        return Vec::new();
    };
    let parsed = parse(&data);
    [
        ("author", parsed.author),
        ("last_modified_by", parsed.operator),
    ]
    .into_iter()
    .map(|(field, name)| (field, name.trim().to_string()))
    .filter(|(_, name)| !name.is_empty())
    .collect()
}

/// The text of an RTF document.
fn to_text(data: &[u8]) -> String {
    parse(data).text
}

/// Groups nested deeper than this share the state of the deepest one kept: real documents nest
/// a few dozen deep, and a file of nothing but `{` once took 16 bytes of memory per brace.
const MAX_DEPTH: usize = 1024;

/// Parses an RTF document.
fn parse(data: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let mut stack = vec![Group {
        sink: Sink::Text,
        unicode_skip: 1,
    }];
    let mut code_page: &'static Encoding = WINDOWS_1257;
    // Fallback characters still to drop after a `\uN`.
    let mut pending_skip = 0usize;
    // A group just opened: its first control word may name a destination.
    let mut group_start = false;
    // Groups open beyond `MAX_DEPTH`.
    let mut too_deep = 0usize;
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let top = *stack.last().expect("the document group");
        match b {
            b'{' => {
                if stack.len() < MAX_DEPTH {
                    stack.push(top);
                    group_start = true;
                } else {
                    too_deep += 1;
                }
                i += 1;
                continue;
            }
            b'}' => {
                if too_deep > 0 {
                    too_deep -= 1;
                } else if stack.len() > 1 {
                    stack.pop();
                }
                pending_skip = 0;
                i += 1;
            }
            b'\\' => {
                let (token, next) = control(data, i);
                i = next;
                let at_start = std::mem::take(&mut group_start);
                let skip_char = |pending: &mut usize| {
                    if *pending > 0 {
                        *pending -= 1;
                        true
                    } else {
                        false
                    }
                };
                match token {
                    Control::Ignorable if at_start && top.sink != Sink::Info => {
                        stack.last_mut().expect("group").sink = Sink::Skip;
                    }
                    Control::Ignorable => {}
                    Control::Word(word, param) => {
                        if at_start {
                            let sink = match (top.sink, word) {
                                (Sink::Text, "info") => Some(Sink::Info),
                                (Sink::Info, "author") => Some(Sink::Author),
                                (Sink::Info, "operator") => Some(Sink::Operator),
                                (_, word) if SKIPPED.contains(&word) => Some(Sink::Skip),
                                _ => None,
                            };
                            if let Some(sink) = sink {
                                stack.last_mut().expect("group").sink = sink;
                            }
                        }
                        let buffer = parsed.buffer(top.sink);
                        match word {
                            "bin" => i += param.unwrap_or(0).max(0) as usize,
                            "ansicpg" => {
                                let label = format!("windows-{}", param.unwrap_or(1257));
                                code_page =
                                    Encoding::for_label(label.as_bytes()).unwrap_or(WINDOWS_1257);
                            }
                            "uc" => {
                                stack.last_mut().expect("group").unicode_skip =
                                    param.unwrap_or(1).max(0) as usize;
                            }
                            "u" => {
                                let n = param.unwrap_or(0);
                                let code = if n < 0 { n + 65_536 } else { n };
                                if let Some(buffer) = buffer {
                                    buffer.extend(char::from_u32(code as u32));
                                }
                                pending_skip = top.unicode_skip;
                            }
                            word => {
                                let c = match word {
                                    "par" | "line" | "row" | "sect" | "page" => '\n',
                                    "tab" | "cell" => '\t',
                                    "emdash" | "endash" => '-',
                                    "lquote" | "rquote" => '\'',
                                    "ldblquote" | "rdblquote" => '"',
                                    _ => continue,
                                };
                                if let Some(buffer) = buffer {
                                    buffer.push(c);
                                }
                            }
                        }
                        continue;
                    }
                    Control::Hex(byte) => {
                        if !skip_char(&mut pending_skip)
                            && let Some(buffer) = parsed.buffer(top.sink)
                        {
                            let bytes = [byte];
                            let (decoded, _) = code_page.decode_without_bom_handling(&bytes);
                            buffer.push_str(&decoded);
                        }
                    }
                    Control::Symbol(c) => {
                        if !skip_char(&mut pending_skip)
                            && let Some(buffer) = parsed.buffer(top.sink)
                        {
                            buffer.extend(c);
                        }
                    }
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                if pending_skip == 0 {
                    // Runs of plain text: ASCII in a well-formed document.
                    let end = data[i..]
                        .iter()
                        .position(|c| matches!(c, b'{' | b'}' | b'\\' | b'\r' | b'\n'))
                        .map_or(data.len(), |p| i + p);
                    if let Some(buffer) = parsed.buffer(top.sink) {
                        let (decoded, _) = code_page.decode_without_bom_handling(&data[i..end]);
                        buffer.push_str(&decoded);
                    }
                    i = end;
                } else {
                    pending_skip -= 1;
                    i += 1;
                }
            }
        }
        group_start = false;
    }
    parsed
}

/// One control token after a backslash.
enum Control<'a> {
    /// A control word and its numeric parameter.
    Word(&'a str, Option<i64>),
    /// `\'hh`.
    Hex(u8),
    /// A control symbol, with the character it stands for (if any).
    Symbol(Option<char>),
    /// `\*`: the group is a destination a reader may ignore.
    Ignorable,
}

/// The control token at `data[at]` (a backslash) and where the text after it starts.
fn control(data: &[u8], at: usize) -> (Control<'_>, usize) {
    let Some(&c) = data.get(at + 1) else {
        return (Control::Symbol(None), at + 1);
    };
    if c.is_ascii_alphabetic() {
        let start = at + 1;
        let mut end = start;
        while data.get(end).is_some_and(u8::is_ascii_alphabetic) {
            end += 1;
        }
        let word = std::str::from_utf8(&data[start..end]).unwrap_or_default();
        let mut num_end = end;
        if data.get(num_end) == Some(&b'-') {
            num_end += 1;
        }
        while data.get(num_end).is_some_and(u8::is_ascii_digit) {
            num_end += 1;
        }
        let param = std::str::from_utf8(&data[end..num_end])
            .ok()
            .and_then(|s| s.parse().ok());
        let mut next = if param.is_some() { num_end } else { end };
        if data.get(next) == Some(&b' ') {
            next += 1;
        }
        return (Control::Word(word, param), next);
    }
    match c {
        b'\'' => {
            let hex = data
                .get(at + 2..at + 4)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => (Control::Hex(byte), at + 4),
                None => (Control::Symbol(None), at + 2),
            }
        }
        b'*' => (Control::Ignorable, at + 2),
        b'\\' | b'{' | b'}' => (Control::Symbol(Some(c as char)), at + 2),
        b'~' => (Control::Symbol(Some(' ')), at + 2),
        b'_' => (Control::Symbol(Some('-')), at + 2),
        b'\r' | b'\n' => (Control::Word("par", None), at + 2),
        _ => (Control::Symbol(None), at + 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_kept_and_control_words_dropped() {
        let rtf = br"{\rtf1\ansi\ansicpg1257\deff0{\fonttbl{\f0 Times New Roman;}}{\colortbl;\red0\green0\blue0;}
{\*\generator Riched20;}\pard\f0\fs24 J\'e2nis B\'e7rzi\'f2\'f0, personas kods 161175-19997\par
{\b t\'e2lr.} 26000005\line e-pasts: janis@piemers.lv\par
\u256?dolfs\tab {\pict\pngblip 89504e47}beigas\par}";
        assert_eq!(
            to_text(rtf),
            "Jānis Bērziņš, personas kods 161175-19997\ntālr. 26000005\ne-pasts: janis@piemers.lv\nĀdolfs\tbeigas\n"
        );
    }

    #[test]
    fn escapes_and_binary_data() {
        assert_eq!(to_text(br"{\rtf1 a\{b\}c\\d\~e}"), "a{b}c\\d e");
        // \bin skips raw bytes, braces included.
        assert_eq!(to_text(b"{\\rtf1 x\\bin3 {}\\y}"), "xy");
        // Unbalanced braces and a dangling backslash do not panic.
        assert_eq!(to_text(b"{\\rtf1 a}}}b\\"), "ab");
    }

    #[test]
    fn info_names_author_and_operator_but_adds_no_text() {
        let rtf = br"{\rtf1\ansi\ansicpg1257{\info{\title L\'e7gums}{\author Anna B\'e7rzi\'f2a}
{\operator J\u257?nis}{\*\company Iest\'e2de}{\creatim\yr2024}}\pard Teksts\par}";
        assert_eq!(to_text(rtf), "Teksts\n");
        assert_eq!(
            people(&rtf[..]),
            [
                ("author", "Anna Bērziņa".to_string()),
                ("last_modified_by", "Jānis".to_string())
            ]
        );
        assert!(people(&b"{\\rtf1 x}"[..]).is_empty());
    }

    #[test]
    fn lines_are_numbered() {
        let mut lines = Vec::new();
        for_each_line(&b"{\\rtf1 one\\par\\par three}"[..], &Caps::TEST, |n, t| {
            lines.push((n, t.to_string()))
        })
        .unwrap();
        assert_eq!(lines, [(1, "one".into()), (3, "three".into())]);
    }

    /// Regression: a 40 MB file of `{` took 848 MB (16 bytes per open group).
    #[test]
    fn deep_groups_take_no_memory_per_brace() {
        let mut doc = b"{\\rtf1 ".to_vec();
        doc.extend(std::iter::repeat_n(b'{', 1 << 20));
        doc.extend(b"personas kods 161175-19997");
        doc.extend(std::iter::repeat_n(b'}', 1 << 20));
        doc.extend(b" beigas}");
        let text = to_text(&doc);
        assert!(text.contains("personas kods 161175-19997"), "{text}");
        assert!(text.contains("beigas"));
    }
}
