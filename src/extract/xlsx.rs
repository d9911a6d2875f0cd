//! xlsx and xlsm workbooks (Office Open XML), streamed from the zip with quick-xml: the
//! workbook's sheet list and relationships, the shared strings, then each sheet's cells in
//! document order. Nothing a file declares is trusted for memory: the shared-string count is
//! ignored (strings are stored as they come, in one buffer, and stop at `--max-file-memory`),
//! every part is read at most `--max-extracted-size`, and sheets are never held whole. Chart and
//! dialog sheets hold no cells and are passed over; macro sheets (Excel 4) are read like
//! worksheets; a sheet that cannot be read does not stop the others.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::Event;
use zip::ZipArchive;

use super::cell::CellValue;
use super::xml;
use super::{Caps, ExtractError, Shortfall};

/// The read buffer of a sheet or shared-strings part.
const XML_BUFFER: usize = 64 << 10;

/// A sheet as the workbook lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPart {
    /// Its name (`Darbinieki`).
    pub name: String,
    /// The zip member holding it (`xl/worksheets/sheet1.xml`).
    pub part: String,
    /// Its relationship type's last word: `worksheet`, `chartsheet`, `xlMacrosheet`...
    pub kind: String,
}

/// An open workbook: its zip, its sheets and its shared strings.
pub struct Workbook<R: Read + Seek> {
    zip: ZipArchive<R>,
    /// The sheets, in the workbook's order.
    pub sheets: Vec<SheetPart>,
    strings: SharedStrings,
}

/// The shared strings, concatenated: string `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Debug, Default)]
struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

impl<R: Read + Seek> Workbook<R> {
    /// Opens the workbook: its sheet list, then its shared strings (what could not be read of
    /// them goes into `shortfalls`).
    pub fn open(
        reader: R,
        caps: &Caps,
        shortfalls: &mut Vec<Shortfall>,
    ) -> Result<Workbook<R>, ExtractError> {
        let mut zip = ZipArchive::new(reader).map_err(|e| ExtractError::Corrupt(e.to_string()))?;
        let workbook = office_document(&mut zip, caps).unwrap_or_else(|| "xl/workbook.xml".into());
        let rels = relationships(&mut zip, &rels_path(&workbook), caps);
        let sheets = sheet_list(&mut zip, &workbook, &rels, caps)?;
        let strings_part = rels
            .values()
            .find(|(_, kind)| kind == "sharedStrings")
            .map(|(target, _)| target.clone())
            .unwrap_or_else(|| "xl/sharedStrings.xml".into());
        let strings = match zip.by_name(&strings_part) {
            Ok(part) => {
                let size = part.size();
                if size > caps.max_part {
                    shortfalls.push(Shortfall::Capped(format!(
                        "{strings_part}: {size} bytes, over --max-extracted-size: the cells \
                         that use shared strings are not read"
                    )));
                    SharedStrings::default()
                } else {
                    read_shared_strings(part, &strings_part, caps, shortfalls)
                }
            }
            Err(_) => SharedStrings::default(),
        };
        Ok(Workbook {
            zip,
            sheets,
            strings,
        })
    }

    /// Streams one sheet's cells to `visit(position, value)` (zero-based row and column), until
    /// it returns `false`. Sheets without cells (charts, dialogs) give none.
    pub fn read_sheet(
        &mut self,
        sheet: &SheetPart,
        caps: &Caps,
        mut visit: impl FnMut((u32, u32), CellValue<'_>) -> bool,
    ) -> Result<(), Shortfall> {
        if matches!(sheet.kind.as_str(), "chartsheet" | "dialogsheet") {
            return Ok(());
        }
        let part = self.zip.by_name(&sheet.part).map_err(|e| {
            Shortfall::Unreadable(format!("{}: its part {} ({e})", sheet.name, sheet.part))
        })?;
        let size = part.size();
        if size > caps.max_part {
            return Err(Shortfall::Capped(format!(
                "{}: {size} bytes, over --max-extracted-size",
                sheet.name
            )));
        }
        let mut limited = part.take(caps.max_part);
        let strings = &self.strings;
        // A large buffer: inflating into small ones costs more per byte.
        let input = BufReader::with_capacity(XML_BUFFER, &mut limited);
        let read = read_cells(input, strings, &mut visit);
        if limited.limit() == 0 {
            return Err(Shortfall::Capped(format!(
                "{}: cut at --max-extracted-size ({} bytes)",
                sheet.name, caps.max_part
            )));
        }
        read.map_err(|e| Shortfall::Unreadable(format!("{}: {e}", sheet.name)))
    }
}

/// The `_rels/.rels` file beside a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`).
fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the folder of the part that names it.
fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The main part the package's relationships name (`xl/workbook.xml`, as a rule).
fn office_document<R: Read + Seek>(zip: &mut ZipArchive<R>, caps: &Caps) -> Option<String> {
    relationships(zip, "_rels/.rels", caps)
        .into_values()
        .find(|(_, kind)| kind == "officeDocument")
        .map(|(target, _)| target)
}

/// The relationships in `path`: id → (resolved target, last word of the type). Unreadable
/// relationships give none.
fn relationships<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
    caps: &Caps,
) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    let Ok(part) = zip.by_name(path) else {
        return out;
    };
    let base = path
        .strip_suffix(".rels")
        .and_then(|p| p.rsplit_once("/_rels/").map(|(dir, _)| dir))
        .or_else(|| path.strip_prefix("_rels/").map(|_| ""))
        .unwrap_or("");
    let mut xml = Reader::from_reader(BufReader::new(part.take(caps.max_part)));
    let mut buf = Vec::new();
    while let Ok(event) = xml.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target), Some(kind)) = (
                    xml::attr(&e, "Id"),
                    xml::attr(&e, "Target"),
                    xml::attr(&e, "Type"),
                ) {
                    let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                    out.insert(id.into_owned(), (resolve(base, &target), kind));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The sheets `workbook` lists, with their parts from `rels`.
fn sheet_list<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    workbook: &str,
    rels: &HashMap<String, (String, String)>,
    caps: &Caps,
) -> Result<Vec<SheetPart>, ExtractError> {
    let part = zip
        .by_name(workbook)
        .map_err(|e| ExtractError::Corrupt(format!("no workbook part {workbook} ({e})")))?;
    let mut xml = Reader::from_reader(BufReader::new(part.take(caps.max_part)));
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| {
            ExtractError::Corrupt(format!("{workbook}: {}", xml::error_message(&e, &xml)))
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let name = xml::attr(&e, "name").unwrap_or_default().into_owned();
                let id = xml::attr(&e, "id").unwrap_or_default();
                match rels.get(id.as_ref()) {
                    Some((target, kind)) => sheets.push(SheetPart {
                        name,
                        part: target.clone(),
                        kind: kind.clone(),
                    }),
                    // A sheet without its part: its cells cannot be found.
                    None => sheets.push(SheetPart {
                        name,
                        part: String::new(),
                        kind: "missing".into(),
                    }),
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

/// Reads the shared strings: each `si`'s text runs (`t`), without phonetic runs (`rPh`).
fn read_shared_strings(
    part: impl Read,
    name: &str,
    caps: &Caps,
    shortfalls: &mut Vec<Shortfall>,
) -> SharedStrings {
    let mut strings = SharedStrings::default();
    let input = BufReader::with_capacity(XML_BUFFER, part.take(caps.max_part));
    let mut xml = Reader::from_reader(input);
    let mut buf = Vec::new();
    let (mut in_text, mut in_phonetic, mut in_item) = (false, false, false);
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                shortfalls.push(Shortfall::Unreadable(format!(
                    "{name}: {}",
                    xml::error_message(&e, &xml)
                )));
                break;
            }
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => in_item = true,
                "t" => in_text = true,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Text(t) if in_item && in_text && !in_phonetic => strings.text.push_str(&t),
            Event::GeneralRef(r) if in_item && in_text && !in_phonetic => {
                xml::push_reference(&r, &mut strings.text)
            }
            Event::End(e) => match e.local_name().as_ref() {
                "si" => {
                    in_item = false;
                    strings.ends.push(strings.text.len());
                    // Eight bytes per string besides the text: stop where the budget would.
                    let held = strings.text.len() as u64 + 8 * strings.ends.len() as u64;
                    if held > caps.max_memory / 2 {
                        shortfalls.push(Shortfall::Capped(format!(
                            "{name}: shared strings past {} read (--max-file-memory); cells \
                             using later ones are not read",
                            strings.ends.len()
                        )));
                        break;
                    }
                }
                "t" => in_text = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => {
                strings.ends.push(strings.text.len())
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    strings
}

/// What a cell's `t` attribute says it holds.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum CellKind {
    /// A number (no `t`, or `n`).
    #[default]
    Number,
    /// An index into the shared strings (`s`).
    Shared,
    /// Text inside the cell (`inlineStr`) or a formula's text result (`str`).
    Text,
    /// A boolean, an error or an ISO date (`b`, `e`, `d`): not read.
    Other,
}

/// A cell's position and kind, from its `r` and `t` attributes (one pass over them, without
/// the duplicate checks: this runs for every cell).
fn cell_start(
    e: &quick_xml::events::BytesStart<'_>,
    row: u32,
    next_col: u32,
) -> ((u32, u32), CellKind) {
    let mut position = None;
    let mut kind = CellKind::Number;
    for a in e.attributes().with_checks(false).flatten() {
        match a.key.local_name().as_ref() {
            "r" => position = cell_reference(&a.value),
            "t" => {
                kind = match a.value.as_ref() {
                    "n" => CellKind::Number,
                    "s" => CellKind::Shared,
                    "inlineStr" | "str" => CellKind::Text,
                    _ => CellKind::Other,
                }
            }
            _ => {}
        }
    }
    (position.unwrap_or((row, next_col)), kind)
}

/// Streams a sheet part's cells.
fn read_cells(
    part: impl BufRead,
    strings: &SharedStrings,
    visit: &mut impl FnMut((u32, u32), CellValue<'_>) -> bool,
) -> Result<(), String> {
    let mut xml = Reader::from_reader(part);
    let mut buf = Vec::new();
    let mut row = 0u32;
    let mut next_row = 0u32;
    let mut next_col = 0u32;
    // The cell being read, and its value's text (one buffer for every cell).
    let mut cell: Option<((u32, u32), CellKind)> = None;
    let mut value = String::new();
    // Inside `v`, or inside an inline string's `t`; never inside a formula `f`.
    let mut in_value = false;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| xml::error_message(&e, &xml))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                row = xml::attr(&e, "r")
                    .and_then(|r| r.parse::<u32>().ok())
                    .map_or(next_row, |r| r.saturating_sub(1));
                next_row = row.saturating_add(1);
                next_col = 0;
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let (position, kind) = cell_start(&e, row, next_col);
                next_col = position.1.saturating_add(1);
                cell = Some((position, kind));
                value.clear();
            }
            Event::Empty(e) if e.local_name().as_ref() == "c" => {
                next_col = cell_start(&e, row, next_col).0.1.saturating_add(1);
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), "v" | "t") => {
                in_value = cell.is_some()
            }
            Event::Text(t) if in_value => value.push_str(&t),
            Event::GeneralRef(r) if in_value => xml::push_reference(&r, &mut value),
            Event::End(e) => match e.local_name().as_ref() {
                "v" | "t" => in_value = false,
                "c" => {
                    if let Some((position, kind)) = cell.take()
                        && let Some(value) = cell_value(kind, &value, strings)
                        && !visit(position, value)
                    {
                        return Ok(());
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The value of a finished cell of `kind` whose text is `value`.
fn cell_value<'c>(
    kind: CellKind,
    value: &'c str,
    strings: &'c SharedStrings,
) -> Option<CellValue<'c>> {
    match kind {
        CellKind::Shared => strings
            .get(value.trim().parse::<usize>().ok()?)
            .map(CellValue::Text),
        CellKind::Text => Some(CellValue::Text(value)),
        CellKind::Number => {
            let value = value.trim();
            // Most numbers in a people list are whole: read them as integers, not floats (up to
            // 15 digits, all a double keeps exactly; longer ones take the float path's rules).
            let digits = value.strip_prefix('-').unwrap_or(value);
            if !digits.is_empty()
                && digits.len() <= 15
                && digits.bytes().all(|b| b.is_ascii_digit())
            {
                return value.parse::<i64>().ok().map(CellValue::Int);
            }
            value.parse::<f64>().ok().map(CellValue::Float)
        }
        CellKind::Other => None,
    }
}

/// `C7` → zero-based `(6, 2)`.
fn cell_reference(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r.as_bytes()[..letters].iter().try_fold(0u32, |acc, b| {
        Some(acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    let row: u32 = r[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_reference("A1"), Some((0, 0)));
        assert_eq!(cell_reference("C7"), Some((6, 2)));
        assert_eq!(cell_reference("AA10"), Some((9, 26)));
        assert_eq!(cell_reference("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_reference("A0"), None);
        assert_eq!(cell_reference("7"), None);
    }

    #[test]
    fn targets_resolve_against_their_part() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/sheet.xml"), "xl/sheet.xml");
        assert_eq!(
            resolve("xl/worksheets", "../sharedStrings.xml"),
            "xl/sharedStrings.xml"
        );
        assert_eq!(rels_path("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }

    #[test]
    fn cells_of_every_kind() {
        let mut strings = SharedStrings::default();
        strings.text.push_str("VārdsAnna");
        strings.ends.extend(["Vārds".len(), "VārdsAnna".len()]);
        let sheet = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Tālr. &amp; e-pasts</t></is></c></row>
            <row r="3"><c r="A3" t="s"><v>1</v></c><c><v>26123456</v></c><c t="b"><v>1</v></c>
              <c r="E3" t="str"><f>A3&amp;"x"</f><v>Annax</v></c><c r="F3"/><c t="s"><v>99</v></c></row>
        </sheetData></worksheet>"#;
        let mut got = Vec::new();
        read_cells(sheet.as_bytes(), &strings, &mut |p, v| {
            got.push((p, format!("{v:?}")));
            true
        })
        .unwrap();
        assert_eq!(
            got,
            [
                ((0, 0), "Text(\"Vārds\")".to_string()),
                ((0, 1), "Text(\"Tālr. & e-pasts\")".into()),
                ((2, 0), "Text(\"Anna\")".into()),
                ((2, 1), "Int(26123456)".into()),
                ((2, 4), "Text(\"Annax\")".into()),
            ]
        );
    }
}
