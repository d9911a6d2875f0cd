//! PDF page text and metadata. See `piimap_fuzz::pdf`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::pdf(data));
