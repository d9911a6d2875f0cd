//! zip, gzip and tar members under the archive caps. See `piimap_fuzz::archive`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::archive(data));
