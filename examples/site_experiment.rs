//! A first measurement for the site memory (issue 5): batch mode over a dataset's
//! sites, removing kept blocks whose exact fingerprint stands on at least `MIN_PAGES`
//! pages of the site, and scoring the result with the pack's word F1.
//!
//! ```text
//! cargo run --release --features cli --example site_experiment -- ../shared/eval/wcxb-dev-multisite [MIN_PAGES] [LEAD]
//! ```
use std::collections::{HashMap, HashSet};
use std::io::Read;

fn words(s: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in s
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_owned()).or_insert(0) += 1;
    }
    m
}

fn f1(pred: &str, gold: &str) -> f64 {
    let (p, g) = (words(pred), words(gold));
    let (np, ng): (usize, usize) = (p.values().sum(), g.values().sum());
    if ng == 0 {
        return if np == 0 { 1.0 } else { 0.0 };
    }
    if np == 0 {
        return 0.0;
    }
    let ov: usize = p
        .iter()
        .map(|(w, c)| (*c).min(*g.get(w).unwrap_or(&0)))
        .sum();
    if ov == 0 {
        return 0.0;
    }
    let (pr, rc) = (ov as f64 / np as f64, ov as f64 / ng as f64);
    2.0 * pr * rc / (pr + rc)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("DATASET_DIR"));
    let min_pages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let mode = args.next().unwrap_or_default();
    let lead = mode == "lead";
    let rescue: Option<usize> = mode.strip_prefix("rescue").and_then(|n| n.parse().ok());
    let list = std::fs::read_to_string(dir.join("pages.jsonl")).unwrap();
    let cleaner = boildown::Cleaner::default();
    let mut pages = Vec::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let gz = std::fs::read(dir.join(v["html"].as_str().unwrap())).unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut bytes)
            .unwrap();
        let decoded = boildown::decode_html(&bytes, None);
        let cleaned = cleaner.clean_html(&decoded.text);
        pages.push((
            v["site"].as_str().unwrap().to_owned(),
            v["gold"].as_str().map(str::to_owned),
            cleaned,
        ));
    }
    // Pages per site and, per site, on how many pages each exact fingerprint stands.
    let mut counts: HashMap<(String, u64), usize> = HashMap::new();
    let mut site_pages: HashMap<String, usize> = HashMap::new();
    for (site, _, cleaned) in &pages {
        *site_pages.entry(site.clone()).or_default() += 1;
        let distinct: HashSet<u64> = cleaned.blocks().iter().map(|b| b.exact.as_u64()).collect();
        for fp in distinct {
            *counts.entry((site.clone(), fp)).or_default() += 1;
        }
    }
    let (mut before, mut after, mut n) = (0.0, 0.0, 0);
    for (site, gold, cleaned) in &pages {
        let Some(gold) = gold else { continue };
        let template = |b: &boildown::Block| counts[&(site.clone(), b.exact.as_u64())] >= min_pages;
        let blocks = cleaned.blocks();
        let kept: Vec<&str> = blocks
            .iter()
            .enumerate()
            .filter(|(i, b)| {
                if let (Some(min_chars), Some(boildown::Reason::Boilerplate(e))) =
                    (rescue, b.verdict.reason())
                {
                    // The page's own text: on no other page of the site, long enough,
                    // not in furniture or links.
                    return !template(b)
                        && b.text().chars().count() >= min_chars
                        && matches!(
                            e.rule,
                            boildown::BoilerplateRule::OutsideMainContent
                                | boildown::BoilerplateRule::LowContentScore
                        );
                }
                if !b.verdict.is_keep() || !template(b) {
                    return b.verdict.is_keep();
                }
                // A lead is not a teaser: keep a template block that runs into the
                // page's own kept text (the next kept block is unique to the page).
                lead && blocks[i + 1..]
                    .iter()
                    .find(|n| n.verdict.is_keep())
                    .is_some_and(|n| !template(n) && n.text().len() > 100)
            })
            .map(|(_, b)| b.text())
            .collect();
        before += f1(cleaned.text(), gold);
        after += f1(&kept.join("\n\n"), gold);
        n += 1;
    }
    println!(
        "{}: {} pages, {} sites; word F1 single page {:.3}, site scope (>= {min_pages} pages, {}) {:.3}",
        dir.display(),
        n,
        site_pages.len(),
        before / n as f64,
        mode,
        after / n as f64
    );
}
