//! Archives: raw bytes as zip, gzip or tar, every member read under the archive caps.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use piimap::extract::archive::{self, Budget, Limits};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else { return };
    let format = ["zip", "gzip", "tar"][usize::from(selector % 3)];
    let limits = Limits {
        max_members: 10_000,
        max_member_size: 64 << 20,
        max_ratio: 200,
    };
    let budget = Budget::new(256 << 20);
    let _ = archive::for_each_member(Cursor::new(data), format, "a.gz", limits, &budget, |member| {
        std::hint::black_box(member);
    });
});
