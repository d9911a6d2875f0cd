//! Hostile and odd files, built in code (a few kilobytes each, however much they claim to hold):
//! each reproduces one way a file once cost a whole scan, or was read wrongly. Used by
//! `tests/hostile.rs`, one test per case and one scan of all of them mixed with ordinary files.

use std::io::Write;

/// A zip of `members`, deflated.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(members, zip::CompressionMethod::Deflated)
}

/// A zip of `members`, compressed with `method`.
pub fn zip_with(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, data) in members {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

const XLSX_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
const XLSX_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// One sheet of a workbook: its name, the relationship type's last word (`worksheet`,
/// `chartsheet`, `macrosheet`...), its part's file name under `xl/`, and its XML.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub part: &'a str,
    pub xml: String,
}

impl<'a> Sheet<'a> {
    /// A worksheet `name` in `xl/worksheets/<part>` with these rows of inline-string cells.
    pub fn with_rows(name: &'a str, part: &'a str, rows: &[&[&str]]) -> Sheet<'a> {
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, text) in row.iter().enumerate() {
                let col = char::from(b'A' + c as u8);
                data.push_str(&format!(
                    "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{text}</t></is></c>",
                    r + 1
                ));
            }
            data.push_str("</row>");
        }
        Sheet {
            name,
            kind: "worksheet",
            part,
            xml: worksheet(&data),
        }
    }
}

/// A worksheet part with `sheet_data` inside `<sheetData>`.
pub fn worksheet(sheet_data: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    )
}

/// An xlsx with these sheets and, if given, this shared-strings part.
pub fn xlsx(sheets: &[Sheet<'_>], shared_strings: Option<&str>) -> Vec<u8> {
    let mut workbook = String::from(
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let id = i + 1;
        workbook.push_str(&format!(
            r#"<sheet name="{}" sheetId="{id}" r:id="rId{id}"/>"#,
            sheet.name
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" Target="{}"/>"#,
            sheet.kind, sheet.part
        ));
        parts.push((format!("xl/{}", sheet.part), sheet.xml.clone().into_bytes()));
    }
    workbook.push_str("</sheets></workbook>");
    if let Some(sst) = shared_strings {
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        parts.push(("xl/sharedStrings.xml".into(), sst.as_bytes().to_vec()));
    }
    rels.push_str("</Relationships>");
    let mut members: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", XLSX_TYPES.as_bytes()),
        ("_rels/.rels", XLSX_RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
    ];
    members.extend(parts.iter().map(|(n, d)| (n.as_str(), d.as_slice())));
    zip_of(&members)
}

/// A shared-strings part holding `strings`, declaring `unique_count` of them.
pub fn shared_strings(unique_count: &str, strings: &[&str]) -> String {
    let items: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="{unique_count}">{items}</sst>"#,
        strings.len()
    )
}

/// One worksheet whose cell A1 is shared string 0, and a shared-strings part declaring
/// `unique_count` strings (a hundred trillion once made calamine reserve 2.4 PB and abort).
pub fn xlsx_declaring_strings(unique_count: &str, first: &str) -> Vec<u8> {
    let sheet = Sheet {
        name: "Saraksts",
        kind: "worksheet",
        part: "worksheets/sheet1.xml",
        xml: worksheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
    };
    xlsx(&[sheet], Some(&shared_strings(unique_count, &[first])))
}
