//! Document metadata that names people: the author and who last modified an office document
//! (`docProps/core.xml` in Office Open XML, `meta.xml` in OpenDocument, the summary information
//! property set of Word, Excel and PowerPoint 97-2003 files) or a PDF (`/Author` in the Info
//! dictionary). Best effort: a document whose metadata cannot be read simply has none.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Format;

/// Fields that name people, as `(field, value)`: `author`, `last_modified_by`.
pub type Fields = Vec<(&'static str, String)>;

/// The largest metadata part read.
const MAX_PART: u64 = 1 << 20;

/// The people a document's metadata names, by format (none for formats without metadata, and
/// none when it cannot be read). Reads from the start of `reader` and leaves it anywhere.
pub fn of_document<R: Read + Seek>(reader: &mut R, format: Format) -> Fields {
    if reader.rewind().is_err() {
        return Fields::new();
    }
    match format {
        Format::Pdf => of_pdf(reader),
        Format::Doc | Format::Xls | Format::Ppt => of_ole(reader),
        Format::Rtf => super::rtf::people(reader),
        format if format.is_zip_package() => of_zip_document(reader),
        _ => Fields::new(),
    }
}

/// The people named in an Office Open XML or OpenDocument file's metadata part.
pub fn of_zip_document<R: Read + Seek>(reader: R) -> Fields {
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(reader)) else {
        return Fields::new();
    };
    // (part, element local name → field)
    let sources: [(&str, &[(&str, &'static str)]); 2] = [
        (
            "docProps/core.xml",
            &[
                ("creator", "author"),
                ("lastModifiedBy", "last_modified_by"),
            ],
        ),
        (
            "meta.xml",
            &[
                ("initial-creator", "author"),
                ("creator", "last_modified_by"),
            ],
        ),
    ];
    for (part, elements) in sources {
        let Ok(file) = zip.by_name(part) else {
            continue;
        };
        let mut xml = String::new();
        if file.take(MAX_PART).read_to_string(&mut xml).is_err() {
            return Fields::new();
        }
        return fields_of_xml(&xml, elements);
    }
    Fields::new()
}

/// The text of the named elements (by local name) of an XML document; the first of each.
fn fields_of_xml(xml: &str, elements: &[(&str, &'static str)]) -> Fields {
    let mut reader = Reader::from_str(xml);
    let mut fields = Fields::new();
    let mut current = None;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name().into_inner();
                current = elements
                    .iter()
                    .find(|(element, _)| *element == name)
                    .map(|(_, field)| *field);
                text.clear();
            }
            Ok(Event::Text(t)) if current.is_some() => text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if current.is_some() => {
                let name = r.xml10_content();
                if let Some(resolved) = quick_xml::escape::resolve_xml_entity(&name) {
                    text.push_str(resolved);
                } else if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                }
            }
            Ok(Event::End(_)) => {
                if let Some(field) = current.take() {
                    let value = text.trim();
                    if !value.is_empty() && fields.iter().all(|(f, _)| *f != field) {
                        fields.push((field, value.to_string()));
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    fields
}

/// The author named in a PDF's Info dictionary.
pub fn of_pdf<R: Read>(reader: R) -> Fields {
    lopdf::Document::load_metadata_from(reader)
        .ok()
        .and_then(|m| m.author)
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .map(|a| vec![("author", a)])
        .unwrap_or_default()
}

/// The summary information property set's format id (`F29F85E0-4FF9-1068-AB91-08002B27B3D9`).
const SUMMARY_INFORMATION: [u8; 16] = [
    0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9,
];

/// The people named in the summary information of an OLE compound file (Word, Excel and
/// PowerPoint 97-2003): `PIDSI_AUTHOR` (4) and `PIDSI_LASTAUTHOR` (8).
pub fn of_ole<R: Read + Seek>(reader: R) -> Fields {
    let Ok(mut file) = cfb::CompoundFile::open(reader) else {
        return Fields::new();
    };
    let Ok(stream) = file.open_stream("/\u{5}SummaryInformation") else {
        return Fields::new();
    };
    let mut data = Vec::new();
    if stream.take(MAX_PART).read_to_end(&mut data).is_err() {
        return Fields::new();
    }
    of_property_set(&data)
}

/// Author and last author of a serialised property set (MS-OLEPS), first section.
fn of_property_set(data: &[u8]) -> Fields {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
    };
    let Some(section) = (|| {
        // Header (28 bytes), then (format id, offset) pairs.
        (data.get(28..44)? == SUMMARY_INFORMATION).then_some(())?;
        Some(u32_at(44)? as usize)
    })() else {
        return Fields::new();
    };
    let count = u32_at(section + 4).unwrap_or(0).min(1024) as usize;
    let property = |id: u32| -> Option<usize> {
        (0..count).find_map(|i| {
            let entry = section + 8 + i * 8;
            (u32_at(entry)? == id).then(|| Some(section + u32_at(entry + 4)? as usize))?
        })
    };
    // PIDSI_CODEPAGE (1): a VT_I2 for the 8-bit strings.
    let code_page = property(1)
        .and_then(|at| data.get(at + 4..at + 6))
        .map(|b| u16::from_le_bytes([b[0], b[1]]));
    let encoding = match code_page {
        Some(65001) => encoding_rs::UTF_8,
        Some(cp) => encoding_rs::Encoding::for_label(format!("windows-{cp}").as_bytes())
            .unwrap_or(encoding_rs::WINDOWS_1257),
        None => encoding_rs::WINDOWS_1257,
    };
    let string = |at: usize| -> Option<String> {
        let kind = u32_at(at)?;
        let len = u32_at(at + 4)? as usize;
        let text = match kind {
            // VT_LPSTR: a byte count, then bytes in the code page.
            0x1E => encoding
                .decode_without_bom_handling(data.get(at + 8..at + 8 + len.min(MAX_PART as usize))?)
                .0
                .into_owned(),
            // VT_LPWSTR: a character count, then UTF-16LE.
            0x1F => encoding_rs::UTF_16LE
                .decode_without_bom_handling(data.get(at + 8..at + 8 + 2 * len.min(1 << 16))?)
                .0
                .into_owned(),
            _ => return None,
        };
        let text = text.trim_end_matches('\0').trim();
        (!text.is_empty()).then(|| text.to_string())
    };
    [(4, "author"), (8, "last_modified_by")]
        .into_iter()
        .filter_map(|(id, field)| Some((field, string(property(id)?)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_properties_name_author_and_last_editor() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y">
            <dc:title>Saraksts</dc:title><dc:creator>Anna Bērziņa</dc:creator>
            <cp:lastModifiedBy>J&#257;nis O&apos;Ozoliņš</cp:lastModifiedBy></cp:coreProperties>"#;
        let fields = fields_of_xml(
            xml,
            &[
                ("creator", "author"),
                ("lastModifiedBy", "last_modified_by"),
            ],
        );
        assert_eq!(
            fields,
            [
                ("author", "Anna Bērziņa".to_string()),
                ("last_modified_by", "Jānis O'Ozoliņš".to_string())
            ]
        );
    }

    /// The summary information of `tests/fixtures/legacy/iesniegums.doc`, written by
    /// `examples/make_legacy_fixtures.rs` as MS-OLEPS 2.21 lays it out: a code page (1257), an
    /// 8-bit author in that code page and a UTF-16 last author.
    fn fixture_summary_information() -> Vec<u8> {
        let doc = include_bytes!("../../tests/fixtures/legacy/iesniegums.doc");
        let mut file = cfb::CompoundFile::open(std::io::Cursor::new(&doc[..])).unwrap();
        let mut data = Vec::new();
        file.open_stream("/\u{5}SummaryInformation")
            .unwrap()
            .read_to_end(&mut data)
            .unwrap();
        data
    }

    #[test]
    fn summary_information_names_author_and_last_author_in_its_code_page() {
        let doc = include_bytes!("../../tests/fixtures/legacy/iesniegums.doc");
        assert_eq!(
            of_ole(std::io::Cursor::new(&doc[..])),
            [
                ("author", "Anna Bērziņa".to_string()),
                ("last_modified_by", "Jānis Ozoliņš".to_string())
            ]
        );
    }

    #[test]
    fn other_property_sets_and_damage_name_nobody() {
        let mut data = fixture_summary_information();
        assert_eq!(of_property_set(&data).len(), 2);
        assert!(of_property_set(&data[..60]).is_empty());
        data[28] ^= 0xFF;
        assert!(of_property_set(&data).is_empty());
    }
}
