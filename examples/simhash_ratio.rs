//! boildown's fingerprinting against the `simhash` crate's `simhash()` on the same
//! blocks, timed alternately (one round of each, fifteen times), so that the drift of a
//! shared machine hits both sides alike; prints the median of each and their ratio.
//! The criterion benches (`cargo bench --bench core`) measure the two one after the
//! other, minutes apart.
//!
//! ```text
//! cargo run --release --example simhash_ratio
//! ```

use std::hint::black_box;
use std::time::Instant;

#[path = "../support/eval_pages.rs"]
mod eval_pages;

fn main() {
    let pages = eval_pages::gold_pages(&eval_pages::DATASETS);
    if pages.is_empty() {
        eprintln!("no eval pack at {}", eval_pages::eval_dir().display());
        return;
    }
    let blocks: Vec<&str> = pages
        .iter()
        .flat_map(|p| boildown::text_blocks(p).map(move |r| &p[r]))
        .collect();
    let bytes: usize = blocks.iter().map(|b| b.len()).sum();
    let mut fingerprinter = boildown::Fingerprinter::new();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        let start = Instant::now();
        let x = blocks.iter().fold(0u64, |acc, t| {
            acc ^ fingerprinter.fingerprint(black_box(t)).simhash.as_u64()
        });
        ours.push(start.elapsed().as_secs_f64());
        black_box(x);
        let start = Instant::now();
        let y = blocks
            .iter()
            .fold(0u64, |acc, t| acc ^ simhash::simhash(black_box(t)));
        theirs.push(start.elapsed().as_secs_f64());
        black_box(y);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (a, b) = (median(&mut ours), median(&mut theirs));
    let mib = bytes as f64 / (1 << 20) as f64;
    println!(
        "{} blocks, {bytes} bytes: boildown {:.1} MiB/s, simhash crate {:.1} MiB/s, ratio {:.2}x",
        blocks.len(),
        mib / a,
        mib / b,
        b / a
    );
}
