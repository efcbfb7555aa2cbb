//! The later stages' inputs for `scripts/train.py`, computed by the library itself so
//! that the script only fits trees: one JSON request per line on standard input, one
//! JSON answer per line on standard output, for as long as the input lasts.
//!
//! ```text
//! {"stage": 2, "p": [...], "chars": [...], "paths": [...], "parents": [...]}
//! {"stage": 3, "p": [...], "own": [[ln_chars, link_density, in_region], ...],
//!  "paths": [...], "parents": [...], "other_pages": 3, "block_pages": [...]}
//! -> {"x": [[...], ...]}   one row per block: STAGE2_CONTEXT_NAMES or the site stage's names
//! ```
//!
//! `{"names": true}` answers `{"stage2": [...], "stage3": [...]}`.
use std::io::{BufRead, Write};

use serde_json::{json, Value};

fn numbers<T: serde::de::DeserializeOwned>(request: &Value, key: &str) -> Vec<T> {
    serde_json::from_value(request[key].clone()).unwrap_or_else(|e| panic!("{key}: {e}"))
}

fn main() {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let line = line.expect("standard input");
        let request: Value = serde_json::from_str(&line).expect("a JSON request");
        let answer = if request["names"].as_bool() == Some(true) {
            json!({"stage2": boildown::STAGE2_CONTEXT_NAMES, "stage3": boildown::site_stage_names()})
        } else {
            let p: Vec<f64> = numbers(&request, "p");
            let paths: Vec<u32> = numbers(&request, "paths");
            let parents: Vec<u32> = numbers(&request, "parents");
            let x = match request["stage"].as_u64() {
                Some(2) => boildown::stage2_inputs(
                    &p,
                    &numbers::<u32>(&request, "chars"),
                    &paths,
                    &parents,
                ),
                Some(3) => boildown::site_stage_inputs(
                    &p,
                    &numbers::<[f32; 3]>(&request, "own"),
                    &paths,
                    &parents,
                    request["other_pages"].as_u64().expect("other_pages") as u32,
                    &numbers::<u32>(&request, "block_pages"),
                ),
                other => panic!("unknown stage {other:?}"),
            };
            json!({ "x": x })
        };
        writeln!(out, "{answer}").expect("standard output");
        out.flush().expect("standard output");
    }
}
