//! The whole scan of one file, with the production caps and panic handling. See `piimap_fuzz::scan_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::scan_file(data));
