//! Legacy Office files in OLE compound files (read with cfb): Word 97-2003 `.doc` (its text
//! through the piece table), PowerPoint 97-2003 `.ppt` (its text atoms), and Outlook `.msg`
//! (sender, recipients, subject, body, attachments).

use std::io::{Read, Seek};

use encoding_rs::{UTF_16LE, WINDOWS_1252, WINDOWS_1257};

use super::mail::{Attachment, MailPart};
use super::{Caps, ExtractError, Format, Shortfall};

/// What an OLE compound file holds, judged by its streams.
pub fn kind<R: Read + Seek>(reader: R) -> Option<Format> {
    let file = cfb::CompoundFile::open(reader).ok()?;
    let has = |name: &str| file.exists(name);
    if has(WORD_STREAM) {
        Some(Format::Doc)
    } else if has(POWERPOINT_STREAM) {
        Some(Format::Ppt)
    } else if has("/__substg1.0_0037001F") || has("/__properties_version1.0") {
        Some(Format::Msg)
    } else if has("/Workbook") || has("/Book") {
        Some(Format::Xls)
    } else {
        None
    }
}

/// The stream of a Word document's text.
const WORD_STREAM: &str = "/WordDocument";

/// The stream of a PowerPoint presentation's records.
const POWERPOINT_STREAM: &str = "/PowerPoint Document";

/// A stream's name as a location's part (`WordDocument`).
fn part_name(stream: &str) -> &str {
    stream.trim_start_matches('/')
}

fn open<R: Read + Seek>(reader: R) -> Result<cfb::CompoundFile<R>, ExtractError> {
    cfb::CompoundFile::open(reader).map_err(|e| ExtractError::Corrupt(e.to_string()))
}

fn read_stream<R: Read + Seek>(
    file: &mut cfb::CompoundFile<R>,
    path: &str,
    max: u64,
) -> Option<Vec<u8>> {
    let stream = file.open_stream(path).ok()?;
    let mut data = Vec::new();
    stream.take(max).read_to_end(&mut data).ok()?;
    Some(data)
}

/// Reads a Word 97-2003 document's main text, paragraph by paragraph, as `visit(part,
/// paragraph, text)` with the part `WordDocument`. When the piece table cannot be followed,
/// the text runs found in the stream are read instead and the result is a `Shortfall` (the
/// document is `partial`).
pub fn for_each_doc_paragraph<R: Read + Seek>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(&str, u64, &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max = caps.max_part;
    let mut file = open(reader)?;
    let word = read_stream(&mut file, WORD_STREAM, max)
        .ok_or_else(|| ExtractError::Corrupt("no WordDocument stream".into()))?;
    let flags = u16_at(&word, 0x0A).ok_or_else(|| ExtractError::Corrupt("short FIB".into()))?;
    if flags & 0x0100 != 0 {
        return Err(ExtractError::Encrypted);
    }
    let table_name = if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let table = read_stream(&mut file, table_name, max).unwrap_or_default();
    let (text, shortfalls) = match piece_table_text(&word, &table) {
        Some(text) => (text, Vec::new()),
        None => (
            text_runs(&word),
            vec![Shortfall::Unreadable(
                "WordDocument: piece table unreadable, only text runs recovered".into(),
            )],
        ),
    };
    let mut paragraph = 0;
    for piece in text.split(['\r', '\n', '\x07', '\x0B', '\x0C']) {
        paragraph += 1;
        if !piece.trim().is_empty() {
            visit(part_name(WORD_STREAM), paragraph, piece);
        }
    }
    Ok(shortfalls)
}

/// The document text through the piece table (the CLX in the table stream, [MS-DOC] 2.9.38).
fn piece_table_text(word: &[u8], table: &[u8]) -> Option<String> {
    // FibRgFcLcb97: fcClx at 0x01A2, lcbClx at 0x01A6 of the FIB.
    let fc_clx = u32_at(word, 0x01A2)? as usize;
    let lcb_clx = u32_at(word, 0x01A6)? as usize;
    let clx = table.get(fc_clx..fc_clx.checked_add(lcb_clx)?)?;
    let mut at = 0;
    // Skip Prc entries (grpprl of property modifiers).
    while *clx.get(at)? == 0x01 {
        at += 3 + usize::from(u16_at(clx, at + 1)?);
    }
    if *clx.get(at)? != 0x02 {
        return None;
    }
    let len = u32_at(clx, at + 1)? as usize;
    let plc = clx.get(at + 5..at + 5 + len)?;
    // (n + 1) character positions, then n piece descriptors of 8 bytes.
    let n = (len - 4) / 12;
    let mut text = String::new();
    for i in 0..n {
        let cp_start = u32_at(plc, i * 4)?;
        let cp_end = u32_at(plc, (i + 1) * 4)?;
        let chars = cp_end.checked_sub(cp_start)? as usize;
        let fc = u32_at(plc, (n + 1) * 4 + i * 8 + 2)?;
        if fc & 0x4000_0000 != 0 {
            let start = ((fc & !0x4000_0000) / 2) as usize;
            let bytes = word.get(start..start + chars)?;
            text.push_str(&WINDOWS_1252.decode_without_bom_handling(bytes).0);
        } else {
            let start = fc as usize;
            let bytes = word.get(start..start + chars * 2)?;
            text.push_str(&UTF_16LE.decode_without_bom_handling(bytes).0);
        }
    }
    Some(text)
}

/// Runs of printable UTF-16LE text of at least eight characters, one per line.
fn text_runs(data: &[u8]) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for unit in data.chunks_exact(2) {
        let c = char::from_u32(u32::from(u16::from_le_bytes([unit[0], unit[1]])));
        match c {
            Some(c) if !c.is_control() || c == '\t' => run.push(c),
            _ => {
                if run.chars().count() >= 8 {
                    out.push_str(&run);
                    out.push('\n');
                }
                run.clear();
            }
        }
    }
    if run.chars().count() >= 8 {
        out.push_str(&run);
    }
    out
}

/// Reads a PowerPoint 97-2003 presentation's text atoms (slides, notes, masters) in order,
/// as `visit(part, number, text)` with the part `PowerPoint Document` and numbers from 1.
pub fn for_each_ppt_text<R: Read + Seek>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(&str, u64, &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max = caps.max_part;
    let mut file = open(reader)?;
    if file.exists("/EncryptedSummary") {
        return Err(ExtractError::Encrypted);
    }
    let doc = read_stream(&mut file, POWERPOINT_STREAM, max)
        .ok_or_else(|| ExtractError::Corrupt("no PowerPoint Document stream".into()))?;
    let mut at = 0;
    let mut number = 0;
    while at + 8 <= doc.len() {
        let ver_instance = u16_at(&doc, at).unwrap_or(0);
        let kind = u16_at(&doc, at + 2).unwrap_or(0);
        let len = u32_at(&doc, at + 4).unwrap_or(0) as usize;
        let body = at + 8;
        if ver_instance & 0x000F == 0x000F {
            // A container: its records follow.
            at = body;
            continue;
        }
        let Some(data) = doc.get(body..body.saturating_add(len)) else {
            return Ok(vec![Shortfall::Unreadable(
                "PowerPoint Document: a record runs past the stream's end".into(),
            )]);
        };
        let text = match kind {
            0x0FA0 => Some(UTF_16LE.decode_without_bom_handling(data).0),
            0x0FA8 => Some(WINDOWS_1252.decode_without_bom_handling(data).0),
            _ => None,
        };
        if let Some(text) = text {
            number += 1;
            for line in text.split(['\r', '\x0B']) {
                if !line.trim().is_empty() {
                    visit(part_name(POWERPOINT_STREAM), number, line);
                }
            }
        }
        at = body + len;
    }
    Ok(Vec::new())
}

/// Attached Outlook items inside attached items are read this deep.
const MAX_EMBEDDED: usize = 8;

/// Reads an Outlook message: sender, recipients and subject as headers, the plain-text body,
/// and each attached file. An attached Outlook item (a message forwarded as an attachment) is
/// handed on as a message of its own, `name.eml`, with its own attachments.
pub fn read_msg<R: Read + Seek>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(MailPart, &str),
    mut attachment: impl FnMut(Attachment),
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut file = open(reader)?;
    Ok(read_msg_storage(
        &mut file,
        "",
        caps,
        &mut visit,
        &mut attachment,
        0,
    ))
}

/// A string property of the storage at `storage` (`""` for the message itself): the Unicode
/// stream (`001F`), else the 8-bit one (`001E`, read as Windows-1257).
fn msg_string<R: Read + Seek>(
    file: &mut cfb::CompoundFile<R>,
    storage: &str,
    tag: &str,
    max: u64,
) -> Option<String> {
    let unicode = read_stream(file, &format!("{storage}/__substg1.0_{tag}001F"), max)
        .map(|d| UTF_16LE.decode_without_bom_handling(&d).0.into_owned());
    unicode
        .or_else(|| {
            read_stream(file, &format!("{storage}/__substg1.0_{tag}001E"), max)
                .map(|d| WINDOWS_1257.decode_without_bom_handling(&d).0.into_owned())
        })
        .map(|s| s.trim_end_matches('\0').to_string())
        .filter(|s| !s.is_empty())
}

/// The sub-storages of `root` whose names start with `prefix`.
fn msg_children<R: Read + Seek>(
    file: &cfb::CompoundFile<R>,
    root: &str,
    prefix: &str,
) -> Vec<String> {
    let root = if root.is_empty() { "/" } else { root };
    file.read_storage(root)
        .map(|entries| {
            entries
                .filter(|e| e.is_storage() && e.name().starts_with(prefix))
                .map(|e| e.path().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the message whose properties are in storage `root` (`""`: the file's own).
fn read_msg_storage<R: Read + Seek>(
    file: &mut cfb::CompoundFile<R>,
    root: &str,
    caps: &Caps,
    visit: &mut dyn FnMut(MailPart, &str),
    attachment: &mut dyn FnMut(Attachment),
    depth: usize,
) -> Vec<Shortfall> {
    let max = caps.max_member;
    let sender_name = msg_string(file, root, "0C1A", max);
    let sender_address =
        msg_string(file, root, "5D01", max).or_else(|| msg_string(file, root, "0C1F", max));
    let from = [sender_name, sender_address.map(|a| format!("<{a}>"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !from.is_empty() {
        visit(MailPart::Header("From"), &from);
    }
    // Recipients by header: PidTagRecipientType 1 = To, 2 = Cc, 3 = Bcc.
    let mut recipients: [Vec<String>; 3] = Default::default();
    for storage in msg_children(file, root, "__recip_version1.0_") {
        let name = msg_string(file, &storage, "3001", max);
        let address = msg_string(file, &storage, "39FE", max)
            .or_else(|| msg_string(file, &storage, "3003", max));
        let recipient = match (name, address) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (n, a) => n.or(a).unwrap_or_default(),
        };
        let properties = read_stream(file, &format!("{storage}/__properties_version1.0"), max);
        let header = match properties
            .as_deref()
            .and_then(|p| fixed_property(p, 8, 0x0C15_0003))
        {
            Some(2) => 1,
            Some(3) => 2,
            _ => 0,
        };
        if !recipient.is_empty() {
            recipients[header].push(recipient);
        }
    }
    for (header, list) in ["To", "Cc", "Bcc"].into_iter().zip(recipients) {
        if !list.is_empty() {
            visit(MailPart::Header(header), &list.join(", "));
        }
    }
    if let Some(subject) = msg_string(file, root, "0037", max) {
        visit(MailPart::Header("Subject"), &subject);
    }
    if let Some(body) = msg_string(file, root, "1000", max) {
        for (line, text) in body.lines().enumerate() {
            visit(
                MailPart::Body {
                    body: 1,
                    line: line as u64 + 1,
                },
                text,
            );
        }
    }
    let mut shortfalls = Vec::new();
    let attachments = msg_children(file, root, "__attach_version1.0_");
    for (i, storage) in attachments.iter().enumerate() {
        if i >= caps.max_members {
            shortfalls.push(super::mail::too_many_attachments(
                caps.max_members,
                attachments.len(),
            ));
            break;
        }
        let name = msg_string(file, storage, "3707", max)
            .or_else(|| msg_string(file, storage, "3704", max))
            .map(|n| n.replace('/', "_"))
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        if let Some(content) = read_stream(file, &format!("{storage}/__substg1.0_37010102"), max) {
            attachment(Attachment { name, content });
            continue;
        }
        let embedded = format!("{storage}/__substg1.0_3701000D");
        if !file.exists(&embedded) {
            continue;
        }
        if depth >= MAX_EMBEDDED {
            shortfalls.push(Shortfall::Capped(format!(
                "{name}: an Outlook item attached {} deep is not read",
                depth + 2
            )));
            continue;
        }
        let mut message = MimeMessage::default();
        let mut inner_attachments = Vec::new();
        let inner = read_msg_storage(
            file,
            &embedded,
            caps,
            &mut |part, text| message.add(part, text),
            &mut |a| inner_attachments.push(a),
            depth + 1,
        );
        message.attachments = inner_attachments;
        shortfalls.extend(inner);
        let name = if name.to_ascii_lowercase().ends_with(".eml") {
            name
        } else {
            format!("{name}.eml")
        };
        attachment(Attachment {
            name,
            content: message.to_bytes(),
        });
    }
    shortfalls
}

/// An attached Outlook item written out as an RFC 5322 message (headers, body and attachments
/// in MIME), so that it is read like any attached message.
#[derive(Default)]
struct MimeMessage {
    headers: Vec<(&'static str, String)>,
    body: String,
    attachments: Vec<Attachment>,
}

impl MimeMessage {
    fn add(&mut self, part: MailPart, text: &str) {
        match part {
            MailPart::Header(name) => self.headers.push((name, text.to_string())),
            MailPart::Body { .. } => {
                self.body.push_str(text);
                self.body.push('\n');
            }
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        use base64::Engine;
        let b64 = |data: &[u8]| base64::engine::general_purpose::STANDARD.encode(data);
        let boundary = "piimap-attached-item";
        let mut out = String::new();
        for (name, value) in &self.headers {
            // Encoded words keep any character; an address header stays readable as one.
            out.push_str(&format!(
                "{name}: =?utf-8?b?{}?=\r\n",
                b64(value.as_bytes())
            ));
        }
        out.push_str(&format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
        ));
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            b64(self.body.as_bytes())
        ));
        for a in &self.attachments {
            let name = format!("=?utf-8?b?{}?=", b64(a.name.as_bytes()));
            out.push_str(&format!(
                "--{boundary}\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
                 Content-Disposition: attachment; filename=\"{name}\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
                b64(&a.content)
            ));
        }
        out.push_str(&format!("--{boundary}--\r\n"));
        out.into_bytes()
    }
}

/// A fixed-size property's value from a `.msg` property stream: 16-byte entries (tag, flags,
/// value) after a `header`-byte header (8 in recipient and attachment storages).
fn fixed_property(stream: &[u8], header: usize, tag: u32) -> Option<u32> {
    stream
        .get(header..)?
        .chunks_exact(16)
        .find(|entry| entry[..4] == tag.to_le_bytes())
        .and_then(|entry| u32_at(entry, 8))
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_runs_keep_long_utf16_runs() {
        let mut data = Vec::new();
        for c in "\u{1}\u{2}ab\u{0}Personas kods 161175-19997\u{0}xy".encode_utf16() {
            data.extend_from_slice(&c.to_le_bytes());
        }
        assert_eq!(text_runs(&data), "Personas kods 161175-19997\n");
    }
}
