//! Counts the records of WARC files by kind, and lists what was rejected:
//! `cargo run -p boildown-corpus --release --example warc_counts -- FILE...`
use std::collections::BTreeMap;

use boildown_corpus::{Decompressed, Records};

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let started = std::time::Instant::now();
        let records = Records::new(Decompressed::new(std::fs::File::open(&path)?)?);
        let mut bytes = 0;
        for item in records {
            match item {
                Ok(record) => {
                    bytes += record.content.len();
                    *kinds.entry(record.kind()).or_default() += 1;
                }
                Err(reject) => println!("{path}: byte {}: {}", reject.offset, reject.reason),
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!("{path}: {kinds:?}, {bytes} content bytes in {seconds:.3} s");
    }
    Ok(())
}
