//! RTF text and its `\info` group. See `piimap_fuzz::rtf`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::rtf(data));
