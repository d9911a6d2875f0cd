//! Document metadata that names people: the author and who last modified an office document
//! (`docProps/core.xml` in Office Open XML, `meta.xml` in OpenDocument) or a PDF (`/Author` in
//! the Info dictionary). Best effort: a document whose metadata cannot be read simply has none.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::Event;

/// Fields that name people, as `(field, value)`: `author`, `last_modified_by`.
pub type Fields = Vec<(&'static str, String)>;

/// The largest metadata part read.
const MAX_PART: u64 = 1 << 20;

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
}
