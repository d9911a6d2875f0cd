//! PDF: raw bytes through the page-text extractor and the metadata reader.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use piimap::extract::{metadata, pdf};

fuzz_target!(|data: &[u8]| {
    let _ = metadata::of_pdf(data);
    let _ = pdf::for_each_page(data, &common::CAPS, |_, text| {
        std::hint::black_box(text);
    });
});
