//! OLE compound files: Word, PowerPoint, Outlook, summary information. See `piimap_fuzz::ole`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::ole(data));
