//! Documents: fuzzed XML as a docx body, header or comments part, a pptx slide, or an odt or
//! odp content.xml, inside fixed zip skeletons; and raw bytes as a zip document.
#![no_main]

#[path = "common.rs"]
mod common;

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use piimap::extract::{metadata, office};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, xml)) = data.split_first() else { return };
    let (format, file) = match selector % 6 {
        0 => ("docx", common::zip_of(&[("word/document.xml", xml)])),
        1 => ("docx", common::zip_of(&[("word/header1.xml", xml), ("word/comments.xml", xml)])),
        2 => ("pptx", common::zip_of(&[("ppt/slides/slide1.xml", xml)])),
        3 => ("odt", common::zip_of(&[("content.xml", xml), ("META-INF/manifest.xml", xml)])),
        4 => ("docx", common::zip_of(&[("word/document.xml", b"<w:document/>"), ("docProps/core.xml", xml)])),
        _ => ("docx", xml.to_vec()),
    };
    let _ = metadata::of_document(&mut Cursor::new(&file), format);
    let _ = office::for_each_paragraph(Cursor::new(file), format, &common::CAPS, |_, _, text| {
        std::hint::black_box(text);
    });
});
