//! Times `Cleaner::clean` on pages given as bytes, as the Python package's benchmark
//! compares it (benches/python/clean.py): the pages are read and decompressed first,
//! then every page is cleaned `ROUNDS` times over; each round's seconds are printed.
//!
//! ```text
//! cargo run --release --example clean_pages -- LIST ROUNDS
//! ```
//! `LIST`: a file of page paths, one per line (`.gz` files are decompressed).

use std::io::Read;
use std::time::Instant;

use boildown::{Cleaner, Page};

fn main() {
    let mut args = std::env::args().skip(1);
    let list = args.next().expect("a file of page paths");
    let rounds: usize = args.next().map_or(5, |r| r.parse().expect("ROUNDS"));
    let pages: Vec<Vec<u8>> = std::fs::read_to_string(&list)
        .expect("the list of pages")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|path| {
            let bytes = std::fs::read(path).expect("a page");
            if path.ends_with(".gz") {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut out)
                    .expect("a gzip page");
                out
            } else {
                bytes
            }
        })
        .collect();
    let cleaner = Cleaner::default();
    for _ in 0..rounds {
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let mut kept = 0usize;
        for page in &pages {
            kept += cleaner.clean(Page::from_bytes(page), None).text().len();
        }
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu).map_or(f64::NAN, |(b, a)| b - a);
        println!(
            "{{\"seconds\": {seconds}, \"cpu\": {cpu}, \"pages\": {}, \"text_bytes\": {kept}}}",
            pages.len()
        );
    }
}

/// The process's CPU time so far (Linux: `/proc/self/schedstat`, nanoseconds on CPU).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
