//! Documents as located text: one entry point that reads any document format (workbooks,
//! word-processing and presentation files, PDFs, RTF) or message (eml, msg) and hands over
//! each piece of its text with where it was found.

use std::io::{Read, Seek};

use super::mail::{self, Attachment, MailPart};
use super::{Caps, ExtractError, Format, Shortfall, cell, office, ole, pdf, rtf, spreadsheet};
use crate::inventory::Location;

/// Where a document's extractor found a piece of text. A cell stays a sheet and two numbers
/// until a finding there is kept as a sample: a workbook has millions of cells, and each one's
/// `Location` (sheet name and A1 reference) cost two allocations.
pub enum Place<'a> {
    /// A spreadsheet cell.
    Cell {
        /// The sheet's name.
        sheet: &'a str,
        /// Zero-based row and column.
        position: (u32, u32),
    },
    /// Anywhere else, located already.
    Located(Location),
}

impl Place<'_> {
    /// The location for the inventory.
    pub fn location(&self) -> Location {
        match self {
            Place::Cell { sheet, position } => Location::cell(sheet, cell::a1(*position)),
            Place::Located(location) => location.clone(),
        }
    }
}

impl From<Location> for Place<'_> {
    fn from(location: Location) -> Self {
        Place::Located(location)
    }
}

/// What a document hands over: a piece of text, where it is, and (in a table) the header of
/// its column.
pub type Visit<'v> = dyn FnMut(Place<'_>, &str, Option<&str>) + 'v;

/// Reads the document `reader` holds as `format` (of [`super::Family::Document`]) and hands
/// each piece of its text to `visit`. Returns the parts not read to their end.
pub fn for_each_segment<R: Read + Seek>(
    reader: R,
    format: Format,
    caps: &Caps,
    visit: &mut Visit<'_>,
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut paragraph = |part: &str, number: u64, text: &str| {
        visit(Location::paragraph(part, number).into(), text, None)
    };
    match format {
        Format::Docx | Format::Docm | Format::Pptx | Format::Pptm | Format::Odt | Format::Odp => {
            office::for_each_paragraph(reader, format, caps, &mut paragraph)
        }
        Format::Doc => ole::for_each_doc_paragraph(reader, caps, &mut paragraph),
        Format::Ppt => ole::for_each_ppt_text(reader, caps, &mut paragraph),
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods => {
            spreadsheet::for_each_cell(reader, format, caps, |sheet, position, text, header| {
                visit(Place::Cell { sheet, position }, text, header)
            })
        }
        Format::Pdf => pdf::for_each_page(reader, caps, |page, text| {
            visit(Location::page(page).into(), text, None)
        }),
        Format::Rtf => rtf::for_each_line(reader, caps, |line, text| {
            visit(Location::line(line).into(), text, None)
        }),
        other => Err(ExtractError::Corrupt(format!(
            "{other} is not a document format"
        ))),
    }
}

/// Reads the message `reader` holds as `format` (eml or msg): each address header and the
/// subject as `Name: text` at the part `Name`, each body line at its body and line, and each
/// attachment handed to `attach`, to be scanned as a member of its own.
pub fn read_message<R: Read + Seek>(
    reader: R,
    format: Format,
    caps: &Caps,
    visit: &mut Visit<'_>,
    attach: &mut dyn FnMut(Attachment),
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut line = String::new();
    let mut part = |part: MailPart, text: &str| match part {
        MailPart::Header(name) => {
            line.clear();
            line.push_str(name);
            line.push_str(": ");
            line.push_str(text);
            visit(Location::part(name).into(), &line, None);
        }
        MailPart::Body { body, line } => visit(Location::body_line(body, line).into(), text, None),
    };
    match format {
        Format::Eml => mail::read_message(reader, caps, &mut part, attach),
        Format::Msg => ole::read_msg(reader, caps, &mut part, attach),
        other => Err(ExtractError::Corrupt(format!(
            "{other} is not a message format"
        ))),
    }
}
