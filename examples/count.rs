//! Runs one stage once over the eval gold texts, for valgrind to count instructions:
//! `valgrind --tool=cachegrind --branch-sim=yes target/release/examples/count clean`.
use std::path::Path;
fn main() {
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let mut pages = Vec::new();
    for name in ["wcxb-dev-sample", "cleaneval-dev"] {
        let data = std::fs::read_to_string(eval.join(name).join("pages.jsonl")).unwrap();
        for line in data.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(gold) = value["gold"].as_str() {
                pages.push(gold.to_owned());
            }
        }
    }
    let bytes: usize = pages.iter().map(String::len).sum();
    let stage = std::env::args().nth(1).unwrap_or_default();
    let cleaner = boildown::Cleaner::default();
    let mut x = 0u64;
    for p in &pages {
        match stage.as_str() {
            "clean" => x += cleaner.clean(p).stats().kept as u64,
            "fingerprint" => {
                for r in boildown::text_blocks(p) {
                    x ^= boildown::fingerprint(&p[r]).simhash.as_u64();
                }
            }
            "segment" => x += boildown::text_blocks(p).count() as u64,
            "fp-ascii" | "fp-wide" => {
                for r in boildown::text_blocks(p) {
                    if p[r.clone()].is_ascii() == (stage == "fp-ascii") {
                        x ^= boildown::fingerprint(&p[r]).simhash.as_u64();
                    }
                }
            }
            "bytes-ascii" => {
                x += boildown::text_blocks(p)
                    .filter(|r| p[r.clone()].is_ascii())
                    .map(|r| r.len() as u64)
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    eprintln!("{stage}: {bytes} bytes ({x})");
}
