//! OLE compound files: what a file is by its streams, then Word 97-2003, PowerPoint 97-2003
//! and Outlook .msg readers, and summary-information metadata.
#![no_main]

#[path = "common.rs"]
mod common;

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use piimap::extract::{metadata, ole};

fuzz_target!(|data: &[u8]| {
    let _ = ole::kind(Cursor::new(data));
    let _ = metadata::of_ole(Cursor::new(data));
    let visit = |_: u64, text: &str| {
        std::hint::black_box(text);
    };
    let _ = ole::for_each_doc_paragraph(Cursor::new(data), &common::CAPS, visit);
    let _ = ole::for_each_ppt_text(Cursor::new(data), &common::CAPS, visit);
    let _ = ole::read_msg(
        Cursor::new(data),
        &common::CAPS,
        |_, text| {
            std::hint::black_box(text);
        },
        |attachment| {
            std::hint::black_box(attachment);
        },
    );
});
