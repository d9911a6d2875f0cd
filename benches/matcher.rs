//! Matcher throughput on generated Latvian text (with and without planted personal data), and
//! the cost of each validator on one candidate. Run: `cargo bench --bench matcher`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piimap::detect::RuleSet;
use piimap::detect::validators::Validator;
use piimap_corpus::{Rng, latvian_text};

fn detector(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in rules");
    let mut group = c.benchmark_group("detector");
    let mut inputs = Vec::new();
    for (name, density) in [
        ("latvian_text_200_per_MB", 200),
        ("latvian_text_almost_clean", 1),
    ] {
        inputs.push((name, latvian_text(&mut Rng::new(42), 4 << 20, density).0));
    }
    // Regression guard: context and validators once scanned back to the line start for every
    // candidate, quadratic on a line-less file (a 300 MB one-line file took 179 s, now 8 s).
    inputs.push((
        "line_less_dense",
        "Jānis personas kods 161175-19997 e-pasts janis@pasts.lv summa 12,50 EUR; ".repeat(50_000),
    ));
    // Regression guard: every start inside a long digit run was once a candidate of its own, so
    // a CSV column of invalid account numbers ran at 0.5 MB/s.
    let mut rng = Rng::new(7);
    inputs.push((
        "invalid_account_column",
        (0..100_000)
            .map(|i| {
                let (check, account) = (rng.below(100), rng.below(10_000_000_000_000));
                format!("{i};LV{check:02}BANK{account:013}\n")
            })
            .collect(),
    ));
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            let mut det = rules.detector();
            let mut out = Vec::new();
            b.iter(|| {
                out.clear();
                det.scan(black_box(text), 0..text.len(), 0, &mut out);
                out.len()
            })
        });
    }
    group.finish();
}

fn validators(c: &mut Criterion) {
    let mut group = c.benchmark_group("validator");
    let cases = [
        ("lv_personal_code", "161175-19997"),
        ("lv_company_code", "40003521600"),
        ("email", "janis.berzins@pasts.lv"),
        ("phone", "+371 2612 3456"),
        ("iban", "LV80 BANK 0000 4351 9500 1"),
        ("ipv4", "83.241.12.7"),
        ("ipv6", "2001:db8:85a3::8a2e:370:7334"),
        ("payment_card", "4111 1111 1111 1111"),
    ];
    for (name, value) in cases {
        let validator = Validator::named(name).expect("a built-in validator");
        group.bench_function(name, |b| {
            b.iter(|| validator.validate(black_box(value), 0, value.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, detector, validators);
criterion_main!(benches);
