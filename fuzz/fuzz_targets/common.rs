//! What the fuzz targets share: the production caps, and zip skeletons that carry fuzzed XML
//! into the office and spreadsheet parsers (mutating whole compressed files rarely gets past
//! the zip layer).

#![allow(dead_code)] // each target uses a part

use std::io::Write;

use piimap::extract::Caps;

/// The caps a scan runs with by default, but for parts (64 MiB instead of 1 GiB, so that one
/// input stays within the fuzzer's memory limit, which is the reader's budget).
pub const CAPS: Caps = Caps {
    max_part: 64 << 20,
    max_cells: 1_000_000,
    max_member: 64 << 20,
    max_members: 100_000,
    max_memory: 256 << 20,
    deadline: None,
};

/// A zip of `members`, deflated.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

/// Splits fuzz input into two parts at the first NUL byte (or gives the whole as the first).
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
