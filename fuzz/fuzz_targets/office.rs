//! Documents: docx, pptx and odt skeletons carrying fuzzed XML, raw docx. See `piimap_fuzz::office`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::office(data));
