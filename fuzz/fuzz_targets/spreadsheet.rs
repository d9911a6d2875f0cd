//! Workbooks: xlsx and ods skeletons carrying fuzzed XML, raw xls and xlsb. See `piimap_fuzz::spreadsheet`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| piimap_fuzz::spreadsheet(data));
