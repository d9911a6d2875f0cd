//! PDF through lopdf: the text of each page (`extract_text_chunks`, so one bad text object does
//! not lose the page). A password-protected PDF is `encrypted`; pages without a text layer (a
//! scan) and a damaged file that lopdf had to rebuild are reported, never passed as clean.

use std::io::Read;

use lopdf::{Document, LoadOptions, xref::XrefRecovery};

use super::{Caps, ExtractError, Shortfall};

/// Calls `visit(page, text)` for every page with text. No stream is decompressed beyond
/// `caps.max_part` bytes. Returns what was not read: damaged objects, unreadable text, pages
/// without a text layer.
pub fn for_each_page<R: Read>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(u32, &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let limit = usize::try_from(caps.max_part).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let doc = Document::load_from_with_options(reader, options)
        .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
    let pages = doc.get_pages();
    if doc.is_encrypted() && pages.is_empty() {
        return Err(ExtractError::Encrypted);
    }
    let mut shortfalls = Vec::new();
    if matches!(doc.xref_recovery, Some(XrefRecovery::Reconstructed)) {
        shortfalls.push(Shortfall::Unreadable(
            "cross-reference table rebuilt: the file is damaged and objects may be missing".into(),
        ));
    }
    let mut without_text = Vec::new();
    let mut text = String::new();
    for &page in pages.keys() {
        text.clear();
        for chunk in doc.extract_text_chunks_with_limit(&[page], limit) {
            match chunk {
                Ok(t) => text.push_str(&t),
                Err(e) => shortfalls.push(Shortfall::Unreadable(format!("page {page}: {e}"))),
            }
        }
        if text.trim().is_empty() {
            without_text.push(page.to_string());
        } else {
            visit(page, &text);
        }
    }
    if doc.is_encrypted() && without_text.len() == pages.len() {
        return Err(ExtractError::Encrypted);
    }
    if !without_text.is_empty() {
        let message = format!(
            "{} of {} pages have no text layer (scanned?): {}",
            without_text.len(),
            pages.len(),
            without_text.join(", ")
        );
        shortfalls.push(Shortfall::NoText(message));
    }
    Ok(shortfalls)
}
