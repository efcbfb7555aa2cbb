//! Throughput of the core over real text: the gold texts of `../shared/eval` when that
//! folder is there (each gold text is one page), else the seed fixture page.
//!
//! ```text
//! cargo bench --bench core
//! ```

use std::hint::black_box;
use std::path::Path;

use boildown::{fingerprint, normalize, text_blocks, Cleaner, Fingerprinter};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "../support/eval_pages.rs"]
mod eval_pages;

/// The pages to measure on, and where they come from.
fn pages() -> (Vec<String>, &'static str) {
    let pages = eval_pages::gold_pages(&eval_pages::DATASETS);
    if pages.is_empty() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/commonspace-azerbaijan-china.txt");
        let text = std::fs::read_to_string(fixture).expect("the fixture page");
        return (vec![text], "the seed fixture");
    }
    (pages, "the eval gold texts")
}

fn benches(c: &mut Criterion) {
    let (pages, source) = pages();
    let page_bytes: usize = pages.iter().map(String::len).sum();
    let blocks: Vec<&str> = pages
        .iter()
        .flat_map(|p| text_blocks(p).map(move |r| &p[r]))
        .collect();
    let block_bytes: usize = blocks.iter().map(|b| b.len()).sum();
    eprintln!(
        "corpus: {source}: {} pages, {page_bytes} bytes, {} blocks",
        pages.len(),
        blocks.len()
    );

    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(page_bytes as u64));
    group.bench_function("text_blocks", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| text_blocks(black_box(p)).count())
                .sum::<usize>()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("fingerprint");
    group.throughput(Throughput::Bytes(block_bytes as u64));
    group.bench_function("boildown exact+simhash", |b| {
        let mut fingerprinter = Fingerprinter::new();
        b.iter(|| {
            blocks.iter().fold(0u64, |acc, t| {
                acc ^ fingerprinter.fingerprint(black_box(t)).simhash.as_u64()
            })
        })
    });
    group.bench_function("boildown fingerprint() per block", |b| {
        b.iter(|| {
            blocks.iter().fold(0u64, |acc, t| {
                acc ^ fingerprint(black_box(t)).simhash.as_u64()
            })
        })
    });
    group.bench_function("boildown exact (normalize+xxh3)", |b| {
        b.iter(|| {
            blocks.iter().fold(0u64, |acc, t| {
                acc ^ xxhash_rust::xxh3::xxh3_64(normalize(black_box(t)).as_bytes())
            })
        })
    });
    group.bench_function("simhash crate simhash()", |b| {
        b.iter(|| {
            blocks
                .iter()
                .fold(0u64, |acc, t| acc ^ simhash::simhash(black_box(t)))
        })
    });
    group.finish();

    let cleaner = Cleaner::default();
    let mut group = c.benchmark_group("clean");
    group.throughput(Throughput::Bytes(page_bytes as u64));
    group.bench_function("plain text, default config", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| {
                    cleaner
                        .clean(boildown::Page::text(black_box(p)), None)
                        .stats()
                        .kept
                })
                .sum::<usize>()
        })
    });
    group.finish();

    // HTML: raw pages of the pack, decoded and cleaned (segmentation, repeats, the
    // content classifier), as `boildown eval` does.
    let mut group = c.benchmark_group("clean_html");
    for dataset in ["cleaneval-dev", "cleanportaleval-dev", "wcxb-dev-sample"] {
        let pages = eval_pages::html_pages(&eval_pages::eval_dir().join(dataset));
        if pages.is_empty() {
            continue;
        }
        let bytes: usize = pages.iter().map(Vec::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{dataset} ({} pages)", pages.len()), |b| {
            b.iter(|| {
                pages
                    .iter()
                    .map(|p| {
                        let decoded = boildown::decode_html(black_box(p), None);
                        cleaner
                            .clean(boildown::Page::html(&decoded.text), None)
                            .stats()
                            .kept
                    })
                    .sum::<usize>()
            })
        });
    }
    group.finish();

    // Site memory on the pack's multi-page sites (decoded pages): one page at a time,
    // then batch (observe every page, then clean each with its site) and incremental
    // (clean each with what is known, then observe it), each from an empty model.
    let mut group = c.benchmark_group("site");
    for dataset in ["wcxb-dev-multisite", "cleanportaleval-dev"] {
        let pages = eval_pages::site_pages(&eval_pages::eval_dir().join(dataset));
        if pages.is_empty() {
            continue;
        }
        let bytes: usize = pages.iter().map(|(_, p)| p.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        let name = |mode: &str| format!("{dataset} ({} pages), {mode}", pages.len());
        group.bench_function(name("single page"), |b| {
            b.iter(|| {
                pages
                    .iter()
                    .map(|(_, p)| {
                        cleaner
                            .clean(boildown::Page::html(black_box(p)), None)
                            .stats()
                            .kept
                    })
                    .sum::<usize>()
            })
        });
        group.bench_function(name("batch: observe all, clean in site"), |b| {
            b.iter(|| {
                let model = boildown::SiteModel::new();
                for (site, p) in &pages {
                    model.observe(boildown::Page::html(black_box(p)).with_site(site));
                }
                pages
                    .iter()
                    .map(|(site, p)| {
                        cleaner
                            .clean(boildown::Page::html(p).with_site(site), &model)
                            .stats()
                            .kept
                    })
                    .sum::<usize>()
            })
        });
        group.bench_function(name("incremental: clean in site, observe"), |b| {
            b.iter(|| {
                let model = boildown::SiteModel::new();
                pages
                    .iter()
                    .map(|(site, p)| {
                        let cleaned = cleaner
                            .clean(boildown::Page::html(black_box(p)).with_site(site), &model);
                        model.observe_cleaned(site, &cleaned);
                        cleaned.stats().kept
                    })
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = core;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(core);
