//! The detector on any text. See `piimap_fuzz::detector`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::detector(data));
