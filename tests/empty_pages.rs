//! Never nothing where there is content: on the evaluation pack's full-text sets, the
//! pages that come out empty although their gold has text are exactly the ones listed
//! here, each with its cause (the README's list). A page that newly comes out empty,
//! or one that no longer does, fails the test until the list says so.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../support/eval_pages.rs"]
mod eval_pages;

/// (dataset, page id, why it comes out empty)
#[rustfmt::skip]
const EMPTY: &[(&str, &str, &str)] = &[
    ("wcxb-dev-multisite", "4147", "no text in its HTML: a forum rendered by script"),
    ("wcxb-dev-multisite", "4314", "no text in its HTML: a forum rendered by script"),
    ("wcxb-dev-multisite", "0658", "1% of its gold in its HTML: a shop's grid rendered by script"),
    ("wcxb-dev-multisite", "0582", "29% of its gold in its HTML: a product page"),
    ("wcxb-dev-multisite", "0583", "38% of its gold in its HTML: a product page"),
    ("wcxb-dev-multisite", "0638", "37% of its gold in its HTML: a collection page"),
    ("wcxb-dev-multisite", "2922", "52% of its gold in its HTML: a best-seller grid"),
    ("cleaneval-dev", "47", "37% of its gold in its HTML; 131 characters of gold"),
    ("wcxb-dev-multisite", "3039", "finder: a product page inside elements named as furniture"),
];

#[test]
fn the_pages_that_come_out_empty_are_the_listed_ones() {
    let cleaner = boildown::Cleaner::default();
    let mut empty = Vec::new();
    let mut read = 0;
    for dataset in eval_pages::DATASETS {
        let dir = eval_pages::eval_dir().join(dataset);
        for (id, gold, bytes) in eval_pages::gold_html_pages(&dir) {
            if gold.is_none_or(|g| g.trim().is_empty()) {
                continue;
            }
            read += 1;
            let html = boildown::decode_html(&bytes, None).text;
            if cleaner
                .clean(boildown::Page::html(&html), None)
                .text()
                .trim()
                .is_empty()
            {
                empty.push((dataset, id));
            }
        }
    }
    if read == 0 {
        eprintln!("skipped: the evaluation pack is not there");
        return;
    }
    let mut listed: Vec<(&str, String)> =
        EMPTY.iter().map(|(d, i, _)| (*d, i.to_string())).collect();
    listed.sort();
    empty.sort();
    eprintln!(
        "{} of {read} pages with gold text come out empty",
        empty.len()
    );
    assert_eq!(
        empty, listed,
        "the pages that come out empty changed: update the list and the README"
    );
}
