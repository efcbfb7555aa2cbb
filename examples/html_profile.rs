//! Times the stages of HTML cleaning over the pages of an evaluation dataset, or runs
//! one stage for a profiler:
//!
//! ```text
//! cargo run --release --example html_profile -- ../shared/eval/wcxb-dev-sample [STAGE] [ROUNDS]
//! ```
//!
//! Stages: `decode`, `dedup` (decode + clean_html with dedup_only: segmentation and
//! repeats), `clean` (decode + clean_html), `all` (each in turn, printed).

use std::time::Instant;

#[path = "../support/eval_pages.rs"]
mod eval_pages;

use boildown::{Cleaner, Config};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/eval/wcxb-dev-sample".into());
    let stage = args.next().unwrap_or_else(|| "all".into());
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let pages = eval_pages::html_pages(std::path::Path::new(&dir));
    if pages.is_empty() {
        eprintln!("no dataset at {dir}");
        return;
    }
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let full = Cleaner::default();
    let dedup = Cleaner::new(Config::default().with_dedup_only(true)).unwrap();
    let stages: Vec<&str> = if stage == "all" {
        vec!["decode", "dedup", "clean"]
    } else {
        vec![stage.as_str()]
    };
    for stage in stages {
        let started = Instant::now();
        let mut sink = 0usize;
        for _ in 0..rounds {
            for page in &pages {
                let text = boildown::decode_html(page, None).text;
                sink += match stage {
                    "decode" => text.len(),
                    "dedup" => dedup.clean(boildown::Page::html(&text), None).stats().kept,
                    _ => full.clean(boildown::Page::html(&text), None).stats().kept,
                };
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{stage:>6}: {:.2} ms per page, {:.1} MB/s ({} pages, {:.1} MB; {sink})",
            secs * 1e3 / (pages.len() * rounds) as f64,
            (bytes * rounds) as f64 / secs / 1e6,
            pages.len(),
            bytes as f64 / 1e6
        );
    }
}
