//! Cleans the eval gold texts many times over, for a profiler to look at:
//! `cargo build --release --example profile_clean && perf record target/release/examples/profile_clean`.

use std::path::Path;

fn main() {
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let mut pages = Vec::new();
    for name in [
        "wcxb-dev-sample",
        "wcxb-dev-multisite",
        "cleaneval-dev",
        "cleanportaleval-dev",
        "readability-cases",
    ] {
        let Ok(data) = std::fs::read_to_string(eval.join(name).join("pages.jsonl")) else {
            continue;
        };
        for line in data.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            if let Some(gold) = value["gold"].as_str() {
                pages.push(gold.to_owned());
            }
        }
    }
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let cleaner = boildown::Cleaner::default();
    let start = std::time::Instant::now();
    let mut kept = 0;
    for _ in 0..rounds {
        for p in &pages {
            kept += cleaner.clean(p).stats().kept;
        }
    }
    let bytes: usize = pages.iter().map(String::len).sum::<usize>() * rounds;
    let secs = start.elapsed().as_secs_f64();
    println!("{kept} kept; {:.1} MB/s", bytes as f64 / secs / 1e6);
}
