//! E-mail messages. See `piimap_fuzz::mail`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::mail(data));
