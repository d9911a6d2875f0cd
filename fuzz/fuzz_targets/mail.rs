//! E-mail: raw bytes as an RFC 5322 message (headers, bodies, attachments).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use piimap::extract::mail;

fuzz_target!(|data: &[u8]| {
    let _ = mail::read_message(
        data,
        &common::CAPS,
        |_, text| {
            std::hint::black_box(text);
        },
        |attachment| {
            std::hint::black_box(attachment);
        },
    );
});
