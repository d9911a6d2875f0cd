//! Text in any encoding, window by window, with the detector. See `piimap_fuzz::text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::text(data));
