//! Every input the fuzzers ever found a crash, an out-of-memory or a timeout with, kept in
//! `fuzz/regressions/<target>/`, replayed through its target's harness (`fuzz/src/lib.rs`) by an
//! ordinary `cargo test`: no nightly toolchain, no libFuzzer. A target's checks panic when
//! they fail, which fails this test with the input's name.

use std::path::Path;

#[test]
fn every_kept_fuzz_input_is_handled() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (target, run) in piimap_fuzz::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut inputs: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        inputs.sort();
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let started = std::time::Instant::now();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(
                outcome.is_ok(),
                "fuzz/regressions/{target}/{}: the target panicked",
                input.file_name().unwrap().to_string_lossy()
            );
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "fuzz/regressions/{target}/{}: took {:?}",
                input.file_name().unwrap().to_string_lossy(),
                started.elapsed()
            );
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} kept fuzz inputs");
}
