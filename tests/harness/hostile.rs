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

/// Gzip members one after another (`cat a.gz b.gz`): together, one file's content.
pub fn gzip_members(members: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for member in members {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(member).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

/// A tar of one `(name, content)` member of entry type `kind` (`b'0'`, `b'7'`...).
pub fn tar_of(kind: u8, name: &str, content: &[u8]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_ustar();
    header.set_size(content.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::new(kind));
    header.set_mtime(1_700_000_000);
    header.set_path(name).unwrap();
    header.set_cksum();
    tar.append(&header, content).unwrap();
    tar.into_inner().unwrap()
}

/// Writes an octal field (NUL-terminated) into a tar header.
fn octal(field: &mut [u8], value: u64) {
    let text = format!("{value:0width$o}\0", width = field.len() - 1);
    field.copy_from_slice(text.as_bytes());
}

/// Sets a raw tar header's checksum.
fn checksum(header: &mut [u8; 512]) {
    header[148..156].fill(b' ');
    let sum: u64 = header.iter().map(|&b| u64::from(b)).sum();
    let text = format!("{sum:06o}\0 ");
    header[148..156].copy_from_slice(text.as_bytes());
}

/// A pre-POSIX (v7) tar: no `ustar` magic, type `\0`.
pub fn v7_tar(name: &str, content: &[u8]) -> Vec<u8> {
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut header[100..108], 0o644);
    octal(&mut header[108..116], 0);
    octal(&mut header[116..124], 0);
    octal(&mut header[124..136], content.len() as u64);
    octal(&mut header[136..148], 1_700_000_000);
    checksum(&mut header);
    let mut out = header.to_vec();
    out.extend_from_slice(content);
    out.resize(out.len().div_ceil(512) * 512 + 1024, 0);
    out
}

/// A GNU sparse tar member (`S`): `text` repeated into 96 KiB of data, then a hole of 4 KiB
/// (a sparse log).
pub fn gnu_sparse_tar(name: &str, text: &[u8]) -> Vec<u8> {
    const DATA: u64 = 96 << 10;
    const REAL: u64 = DATA + 4096;
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut header[100..108], 0o644);
    octal(&mut header[108..116], 0);
    octal(&mut header[116..124], 0);
    octal(&mut header[124..136], DATA);
    octal(&mut header[136..148], 1_700_000_000);
    header[156] = b'S';
    header[257..265].copy_from_slice(b"ustar  \0");
    // Sparse entries: the data at 0, then the end (nothing at REAL); the real size.
    octal(&mut header[386..398], 0);
    octal(&mut header[398..410], DATA);
    octal(&mut header[410..422], REAL);
    octal(&mut header[422..434], 0);
    octal(&mut header[483..495], REAL);
    checksum(&mut header);
    let mut data: Vec<u8> = text.iter().copied().cycle().take(DATA as usize).collect();
    data.truncate(DATA as usize);
    let mut out = header.to_vec();
    out.extend(data);
    out.extend([0u8; 1024]);
    out
}

/// A zip of one member compressed with zip method number `method` (the deflated data is
/// kept: deflate64 reads it, since a stream without deflate64's long codes is both).
pub fn zip_with_method(name: &str, content: &[u8], method: u16) -> Vec<u8> {
    let mut zip = zip_of(&[(name, content)]);
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(4) {
        let signature = &zip[at..at + 4];
        let field = match signature {
            b"PK\x03\x04" => at + 8,
            b"PK\x01\x02" => at + 10,
            _ => continue,
        };
        zip[field..field + 2].copy_from_slice(&method.to_le_bytes());
        patched += 1;
    }
    assert_eq!(patched, 2);
    zip
}

/// An e-mail message with `headers` (CRLF added) and a text body.
pub fn eml(headers: &[&str], body: &str) -> Vec<u8> {
    let mut text = String::new();
    for h in headers {
        text.push_str(h);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}

/// A message holding a message holding a message... `depth` levels deep; the innermost one
/// holds the personal code.
pub fn nested_messages(depth: usize) -> Vec<u8> {
    let mut message = String::from(
        "From: a@piemers.lv\r\nTo: b@piemers.lv\r\nSubject: iekseja\r\n\r\npersonas kods 161175-19997\r\n",
    );
    for d in 1..=depth {
        message = format!(
            "From: x{d}@piemers.lv\r\nTo: y@piemers.lv\r\nSubject: limenis {d}\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b{d}\"\r\n\r\n--b{d}\r\nContent-Type: text/plain\r\n\r\n\
             limenis {d}\r\n--b{d}\r\nContent-Type: message/rfc822\r\n\r\n{message}\r\n--b{d}--\r\n"
        );
    }
    message.into_bytes()
}

/// A message with `count` attachments all named `a.txt`, the last holding a personal code.
pub fn many_attachments(count: usize) -> Vec<u8> {
    let mut text = String::from(
        "From: a@piemers.lv\r\nTo: b@piemers.lv\r\nSubject: daudz\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsk.\r\n",
    );
    for i in 0..count {
        let body = if i + 1 == count {
            "personas kods 161175-19997"
        } else {
            "nekas"
        };
        text.push_str(&format!(
            "--b\r\nContent-Type: text/plain; name=\"a.txt\"\r\nContent-Disposition: attachment; \
             filename=\"a.txt\"\r\n\r\n{body}\r\n"
        ));
    }
    text.push_str("--b--\r\n");
    text.into_bytes()
}

/// The committed `darbinieki.xls` with its first sheet's DIMENSIONS record declaring `rows` x
/// `cols` (calamine reserved that many cells up front, and aborted).
pub fn xls_declaring(rows: u32, cols: u16) -> Vec<u8> {
    let mut xls =
        std::fs::read(super::repo().join("tests/fixtures/spreadsheets/darbinieki.xls")).unwrap();
    let at = xls
        .windows(4)
        .position(|w| w == b"\x00\x02\x0e\x00")
        .expect("a BIFF8 DIMENSIONS record");
    xls[at + 8..at + 12].copy_from_slice(&rows.to_le_bytes());
    xls[at + 14..at + 16].copy_from_slice(&cols.to_le_bytes());
    xls
}

/// The committed `darbinieki.xls` cut to its first `len` bytes.
pub fn truncated_xls(len: usize) -> Vec<u8> {
    let mut xls =
        std::fs::read(super::repo().join("tests/fixtures/spreadsheets/darbinieki.xls")).unwrap();
    xls.truncate(len);
    xls
}

/// An ods whose `content.xml` is `tables` (inside the usual wrapper).
pub fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

/// An ods of `rows` rows, each a row of 16,384 repeated empty cells and one with content
/// after them (an 18 KB file once grew past 9 GB).
pub fn ods_repeating(rows: usize) -> Vec<u8> {
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    ods(&format!(
        r#"<table:table table:name="Lapa1"><table:table-row><table:table-cell office:value-type="string"><text:p>personas kods 161175-19997</text:p></table:table-cell></table:table-row>{}</table:table>"#,
        row.repeat(rows)
    ))
}

/// A PDF of `objects` (numbered from 1; object 1 must be the catalog), with a correct
/// cross-reference table.
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A stream object: `dict` entries (without `Length`), and `content`, Flate-compressed if
/// `compress`.
pub fn pdf_stream(dict: &str, content: &[u8], compress: bool) -> Vec<u8> {
    let (data, filter) = if compress {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(content).unwrap();
        (z.finish().unwrap(), " /Filter /FlateDecode")
    } else {
        (content.to_vec(), "")
    };
    let mut out = format!("<< {dict}{filter} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// The usual objects of a PDF whose pages are `contents` (each page's content stream,
/// Flate-compressed), in Helvetica: catalog (1), pages (2), font (3), then each page and its
/// content. `extra` objects follow, numbered from `4 + 2 * pages`.
pub fn pdf_pages(contents: &[Vec<u8>], extra: &[Vec<u8>], resources_extra: &str) -> Vec<u8> {
    let first_page = 4;
    let kids: Vec<String> = (0..contents.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            contents.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, content) in contents.iter().enumerate() {
        let page = first_page + 2 * i;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R \
                 /Resources << /Font << /F1 3 0 R >> {resources_extra} >> >>",
                page + 1
            )
            .into_bytes(),
        );
        objects.push(pdf_stream("", content, true));
    }
    objects.extend(extra.iter().cloned());
    pdf(&objects)
}

/// A page content stream showing `lines` in Helvetica 12, one per line.
pub fn pdf_lines(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 72 770 Td 14 TL\n");
    for line in lines {
        content.push_str(&format!("({line}) Tj T*\n"));
    }
    content.push_str("ET\n");
    content.into_bytes()
}
