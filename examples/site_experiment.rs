//! What the site memory changes on a dataset whose pages share sites (issue 5): every
//! page of a site with two or more pages is observed, then each page is cleaned on its
//! own and with its site (batch mode, as `boildown eval` does). Prints word F1 both
//! ways, and for the blocks that stand on other pages of their site, split by the gold
//! (content when half of the block's word trigrams are in the gold text, as
//! `scripts/train.py` labels), how many were kept each way: repeated content (leads,
//! shared headings) should stay, repeated furniture go.
//!
//! ```text
//! cargo run --release --features cli --example site_experiment -- ../shared/eval/wcxb-dev-multisite
//! ```
#[path = "../support/eval_pages.rs"]
mod eval_pages;

use std::collections::{HashMap, HashSet};

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn f1(pred: &str, gold: &str) -> f64 {
    let count = |s: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for w in words(s) {
            *m.entry(w).or_default() += 1;
        }
        m
    };
    let (p, g) = (count(pred), count(gold));
    let (np, ng): (usize, usize) = (p.values().sum(), g.values().sum());
    if ng == 0 {
        return if np == 0 { 1.0 } else { 0.0 };
    }
    let overlap: usize = p
        .iter()
        .map(|(w, c)| (*c).min(g.get(w).copied().unwrap_or(0)))
        .sum();
    if overlap == 0 {
        return 0.0;
    }
    let (pr, rc) = (overlap as f64 / np as f64, overlap as f64 / ng as f64);
    2.0 * pr * rc / (pr + rc)
}

/// Content if at least half of the block's word trigrams are in the gold (blocks of
/// fewer than three words: `None`, not counted).
fn is_content(text: &str, gold: &HashSet<[String; 3]>) -> Option<bool> {
    let w = words(text);
    if w.len() < 3 {
        return None;
    }
    let grams: Vec<[String; 3]> = w
        .windows(3)
        .map(|t| [t[0].clone(), t[1].clone(), t[2].clone()])
        .collect();
    let found = grams.iter().filter(|g| gold.contains(*g)).count();
    Some(found * 2 >= grams.len())
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("DATASET_DIR"));
    let mut pages = Vec::new();
    for (page, bytes) in eval_pages::pages_with(&dir) {
        pages.push((
            page.site.expect("a site"),
            page.gold,
            boildown::decode_html(&bytes, None).text,
        ));
    }
    let mut per_site: HashMap<&str, usize> = HashMap::new();
    for (site, _, _) in &pages {
        *per_site.entry(site).or_default() += 1;
    }
    let model = boildown::SiteModel::new();
    for (site, _, html) in &pages {
        if per_site[site.as_str()] >= 2 {
            model.observe(boildown::Page::html(html).with_site(site.as_str()));
        }
    }
    let cleaner = boildown::Cleaner::default();
    let (mut single_f1, mut site_f1, mut n) = (0.0, 0.0, 0);
    // [repeated content, repeated furniture] × [blocks, kept alone, kept in site]
    let mut tally = [[0usize; 3]; 2];
    for (site, gold, html) in &pages {
        let Some(gold) = gold else { continue };
        if per_site[site.as_str()] < 2 {
            continue;
        }
        let alone = cleaner.clean(boildown::Page::html(html), None);
        let in_site = cleaner.clean(boildown::Page::html(html).with_site(site.as_str()), &model);
        single_f1 += f1(alone.text(), gold);
        site_f1 += f1(in_site.text(), gold);
        n += 1;
        let g = words(gold);
        let trigrams: HashSet<[String; 3]> = g
            .windows(3)
            .map(|t| [t[0].clone(), t[1].clone(), t[2].clone()])
            .collect();
        for (a, b) in alone.blocks().iter().zip(in_site.blocks()) {
            // On another page of the site (on more pages than this one), and not a
            // repeat inside the page (removed either way).
            let in_page_repeat = a.verdict.reason().and_then(|r| r.repeat()).is_some();
            if model.count(site, a.exact) < 2 || in_page_repeat {
                continue;
            }
            let Some(content) = is_content(a.text(), &trigrams) else {
                continue;
            };
            let row = &mut tally[usize::from(!content)];
            row[0] += 1;
            row[1] += usize::from(a.verdict.is_keep());
            row[2] += usize::from(b.verdict.is_keep());
        }
    }
    let n = n.max(1) as f64;
    println!(
        "{}: {} pages in sites of 2+ pages; word F1 one page at a time {:.3}, with the site {:.3}",
        dir.display(),
        n,
        single_f1 / n,
        site_f1 / n
    );
    for (name, row) in [
        "repeated content (leads, shared headings)",
        "repeated furniture",
    ]
    .iter()
    .zip(tally)
    {
        println!(
            "  blocks on other pages of the site, {name}: {}; kept alone {} ({:.1}%), kept with the site {} ({:.1}%)",
            row[0],
            row[1],
            100.0 * row[1] as f64 / row[0].max(1) as f64,
            row[2],
            100.0 * row[2] as f64 / row[0].max(1) as f64
        );
    }
}
