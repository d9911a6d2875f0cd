//! Word-processing and presentation documents: docx/docm and pptx/pptm (Office Open XML), odt
//! and odp (OpenDocument). They are zip archives of XML parts, read with zip + quick-xml. Each
//! paragraph becomes one text segment, located by its part and its paragraph number there.
//! docx parts: body, headers, footers, footnotes, endnotes, comments; tracked deletions
//! (`w:delText`) are read too, since deleted text is still in the file.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::{Caps, ExtractError, Format, Shortfall};

/// How a format marks paragraphs and text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// Office Open XML: text only inside `t` (and `delText`) elements.
    Ooxml,
    /// OpenDocument: all text inside `p`/`h`, with `s`, `tab`, `line-break` elements.
    Odf,
}

/// Calls `visit(part, paragraph, text)` for every non-empty paragraph of the document read
/// from `reader`. No part is decompressed beyond `caps.max_part`. Returns the parts not read
/// to their end; fails if the file is not a readable zip archive or is an
/// encrypted OpenDocument file.
pub fn for_each_paragraph<R: Read + Seek>(
    reader: R,
    format: Format,
    caps: &Caps,
    mut visit: impl FnMut(&str, u64, &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max_part_bytes = caps.max_part;
    let mut zip = ZipArchive::new(BufReader::new(reader))
        .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
    if odf_encrypted(&mut zip) {
        return Err(ExtractError::Encrypted);
    }
    let dialect = match format {
        Format::Odt | Format::Odp => Dialect::Odf,
        _ => Dialect::Ooxml,
    };
    let mut parts: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| is_text_part(format, n))
        .collect();
    parts.sort();
    let mut read = Vec::new();
    for part in &parts {
        let file = match zip.by_name(part) {
            Ok(file) => file,
            Err(e) => {
                read.push(Shortfall::Unreadable(format!("{part}: {e}")));
                continue;
            }
        };
        let mut limited = file.take(max_part_bytes);
        let outcome = read_part(&mut limited, dialect, |n, text| visit(part, n, text));
        // Hitting the limit means the part was cut (its declared size may lie, as in a zip bomb).
        if limited.limit() == 0 {
            let message = format!("{part}: cut at --max-extracted-size ({max_part_bytes} bytes)");
            read.push(Shortfall::Capped(message));
        } else if let Err(message) = outcome {
            read.push(Shortfall::Unreadable(format!("{part}: {message}")));
        }
    }
    Ok(read)
}

/// An encrypted OpenDocument file keeps its zip structure but lists `encryption-data` for its
/// parts in the manifest.
pub(super) fn odf_encrypted<R: Read + Seek>(zip: &mut ZipArchive<R>) -> bool {
    let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    manifest.take(1 << 20).read_to_string(&mut text).is_ok() && text.contains("encryption-data")
}

/// Whether a zip member holds document text for this format.
fn is_text_part(format: Format, name: &str) -> bool {
    let in_dir = |dir: &str, prefix: &str| {
        name.strip_prefix(dir).is_some_and(|rest| {
            rest.starts_with(prefix) && rest.ends_with(".xml") && !rest.contains('/')
        })
    };
    match format {
        Format::Docx | Format::Docm => {
            [
                "word/document.xml",
                "word/footnotes.xml",
                "word/endnotes.xml",
                "word/comments.xml",
            ]
            .contains(&name)
                || in_dir("word/", "header")
                || in_dir("word/", "footer")
        }
        Format::Pptx | Format::Pptm => {
            in_dir("ppt/slides/", "slide") || in_dir("ppt/notesSlides/", "notesSlide")
        }
        _ => name == "content.xml" || name == "styles.xml",
    }
}

/// Streams one XML part, calling `visit(paragraph number, text)` at the end of each paragraph.
fn read_part(
    part: impl Read,
    dialect: Dialect,
    mut visit: impl FnMut(u64, &str),
) -> Result<(), String> {
    let mut xml = Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut text = String::new();
    let mut paragraph = 0u64;
    let mut in_paragraph = false;
    let mut in_text = false;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| super::xml::error_message(&e, &xml))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "p" | "h" if dialect == Dialect::Odf || e.local_name().as_ref() == "p" => {
                    paragraph += 1;
                    in_paragraph = true;
                }
                "t" | "delText" if dialect == Dialect::Ooxml => in_text = true,
                _ => {}
            },
            Event::Empty(e) => push_spacing(&e, dialect, &mut text),
            Event::Text(t) if in_text || (dialect == Dialect::Odf && in_paragraph) => {
                text.push_str(&t.xml10_content())
            }
            Event::GeneralRef(r) if in_text || (dialect == Dialect::Odf && in_paragraph) => {
                super::xml::push_reference(&r, &mut text)
            }
            Event::End(e) => match e.local_name().as_ref() {
                "p" | "h" if dialect == Dialect::Odf || e.local_name().as_ref() == "p" => {
                    if !text.trim().is_empty() {
                        visit(paragraph, &text);
                    }
                    text.clear();
                    in_paragraph = false;
                }
                "t" | "delText" => in_text = false,
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Tabs, line breaks and runs of spaces written as elements.
fn push_spacing(e: &BytesStart<'_>, dialect: Dialect, text: &mut String) {
    match (dialect, e.local_name().as_ref()) {
        (_, "tab") => text.push('\t'),
        (Dialect::Ooxml, "br" | "cr") | (Dialect::Odf, "line-break") => text.push('\n'),
        (Dialect::Odf, "s") => {
            let count = e
                .attributes()
                .flatten()
                .find(|a| a.key.local_name().as_ref() == "c")
                .and_then(|a| a.value.parse::<usize>().ok())
                .unwrap_or(1);
            text.extend(std::iter::repeat_n(' ', count.min(64)));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(xml: &str, dialect: Dialect) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        read_part(xml.as_bytes(), dialect, |n, t| out.push((n, t.to_string()))).unwrap();
        out
    }

    #[test]
    fn ooxml_runs_join_into_paragraphs() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>Personas kods: 161175</w:t></w:r><w:r><w:t>-19997</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">tālr.</w:t><w:tab/><w:t>26123456 &amp; </w:t><w:delText>dzēsts</w:delText></w:r></w:p>
            <w:p><w:pPr/></w:p>
        </w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml, Dialect::Ooxml),
            vec![
                (1, "Personas kods: 161175-19997".into()),
                (2, "tālr.\t26123456 & dzēsts".into())
            ]
        );
    }

    #[test]
    fn odf_text_spans_and_spaces() {
        let xml = r#"<office:document-content xmlns:text="t"><office:body><office:text>
            <text:h>Iesniegums</text:h>
            <text:p>e-pasts: <text:span>anna@piemers.lv</text:span><text:s text:c="2"/>tālr.<text:tab/>26123456</text:p>
        </office:text></office:body></office:document-content>"#;
        assert_eq!(
            paragraphs(xml, Dialect::Odf),
            vec![
                (1, "Iesniegums".into()),
                (2, "e-pasts: anna@piemers.lv  tālr.\t26123456".into())
            ]
        );
    }

    #[test]
    fn text_parts_per_format() {
        assert!(is_text_part(Format::Docx, "word/document.xml"));
        assert!(is_text_part(Format::Docx, "word/header2.xml"));
        assert!(!is_text_part(Format::Docx, "word/styles.xml"));
        assert!(is_text_part(Format::Pptx, "ppt/slides/slide12.xml"));
        assert!(!is_text_part(
            Format::Pptx,
            "ppt/slides/_rels/slide1.xml.rels"
        ));
        assert!(is_text_part(Format::Odt, "content.xml"));
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(read_part("<w:p><w:t>x</w:p>".as_bytes(), Dialect::Ooxml, |_, _| {}).is_err());
    }
}
