//! Runs one stage of boildown over the eval gold texts, for a profiler or for
//! valgrind's instruction counts (repeatable on a noisy machine, unlike timings):
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=cachegrind --branch-sim=yes target/release/examples/profile clean 1
//! perf record -g target/release/examples/profile fingerprint 20
//! ```
//!
//! Stages: `segment`, `fingerprint`, `clean`, and `load` (reading only, to subtract).

use std::time::Instant;

#[path = "../support/eval_pages.rs"]
mod eval_pages;

fn main() {
    let mut args = std::env::args().skip(1);
    let stage = args.next().unwrap_or_else(|| "clean".into());
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let pages = eval_pages::gold_pages(&eval_pages::DATASETS);
    if pages.is_empty() {
        eprintln!("no eval pack at {}", eval_pages::eval_dir().display());
        return;
    }
    let cleaner = boildown::Cleaner::default();
    let start = Instant::now();
    let mut sink = 0u64;
    for _ in 0..rounds {
        for p in &pages {
            match stage.as_str() {
                "segment" => sink += boildown::text_blocks(p).count() as u64,
                "fingerprint" => {
                    for r in boildown::text_blocks(p) {
                        sink ^= boildown::fingerprint(&p[r]).simhash.as_u64();
                    }
                }
                "clean" => sink += cleaner.clean(boildown::Page::text(p), None).stats().kept as u64,
                _ => {}
            }
        }
    }
    let bytes: usize = pages.iter().map(String::len).sum::<usize>() * rounds;
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{stage}: {bytes} bytes in {secs:.3} s, {:.1} MB/s ({sink})",
        bytes as f64 / secs / 1e6
    );
}
