//! RTF: raw bytes through the text reader and the `\info` reader.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use piimap::extract::rtf;

fuzz_target!(|data: &[u8]| {
    let _ = rtf::people(data);
    let _ = rtf::for_each_line(data, &common::CAPS, |_, text| {
        std::hint::black_box(text);
    });
});
