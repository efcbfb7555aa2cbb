use std::path::Path;
use std::time::Instant;
fn main() {
    let eval = Path::new("../shared/eval");
    let mut pages = Vec::new();
    for name in [
        "wcxb-dev-sample",
        "wcxb-dev-multisite",
        "cleaneval-dev",
        "cleanportaleval-dev",
        "readability-cases",
    ] {
        let data = std::fs::read_to_string(eval.join(name).join("pages.jsonl")).unwrap();
        for line in data.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(gold) = value["gold"].as_str() {
                pages.push(gold.to_owned());
            }
        }
    }
    let blocks: Vec<&str> = pages
        .iter()
        .flat_map(|p| boildown::text_blocks(p).map(move |r| &p[r]))
        .collect();
    let ascii: Vec<&str> = blocks.iter().copied().filter(|b| b.is_ascii()).collect();
    let wide: Vec<&str> = blocks.iter().copied().filter(|b| !b.is_ascii()).collect();
    let t = |name: &str, set: &[&str], f: &dyn Fn(&str) -> u64| {
        let bytes: usize = set.iter().map(|b| b.len()).sum();
        let mut best = f64::MAX;
        for _ in 0..7 {
            let s = Instant::now();
            let mut x = 0;
            for b in set {
                x ^= f(b);
            }
            std::hint::black_box(x);
            best = best.min(s.elapsed().as_secs_f64());
        }
        println!(
            "{name:34} {:8.1} MB/s (best of 7)",
            bytes as f64 / best / 1e6
        );
    };
    if std::env::args().count() > 1 {
        for _ in 0..30 {
            let mut x = 0;
            for b in &ascii {
                x ^= boildown::fingerprint(b).simhash.as_u64();
            }
            std::hint::black_box(x);
        }
        return;
    }
    t("fingerprint all", &blocks, &|b| {
        boildown::fingerprint(b).simhash.as_u64()
    });
    t("fingerprint ascii blocks", &ascii, &|b| {
        boildown::fingerprint(b).simhash.as_u64()
    });
    t("fingerprint non-ascii blocks", &wide, &|b| {
        boildown::fingerprint(b).simhash.as_u64()
    });
    t("nfkc quick check non-ascii", &wide, &|b| {
        (unicode_normalization::is_nfkc_quick(b.chars())
            == unicode_normalization::IsNormalized::Yes) as u64
    });
    t("simhash crate all", &blocks, &|b| simhash::simhash(b));
    let cleaner = boildown::Cleaner::default();
    let pages_ref: Vec<&str> = pages.iter().map(|p| p.as_str()).collect();
    t("clean pages", &pages_ref, &|p| {
        cleaner.clean(p).stats().kept as u64
    });
}
