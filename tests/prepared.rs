//! `Cleaner::prepare` then `Cleaner::finish` decide every page as `Cleaner::clean` does,
//! in its site and alone, also after a serde round trip of the prepared page (what
//! `boildown corpus` keeps on disk between its passes). Natively: it reads the pack.
#![cfg(not(target_arch = "wasm32"))]

use boildown::{Cleaner, Config, Format, Page, SiteModel};

#[path = "../support/eval_pages.rs"]
mod eval_pages;

fn page((site, bytes, format): &(String, Vec<u8>, Format)) -> Page<'_> {
    Page::from_bytes(bytes)
        .with_format(*format)
        .with_site(site.as_str())
}

fn check(cleaner: &Cleaner, pages: &[(String, Vec<u8>, Format)]) {
    let model = SiteModel::new();
    let prepared: Vec<boildown::Prepared> =
        pages.iter().map(|p| cleaner.prepare(page(p))).collect();
    for p in &prepared {
        model.add(&p.observation().expect("a site"));
    }
    for (i, p) in pages.iter().enumerate() {
        let json = serde_json::to_string(&prepared[i]).unwrap();
        let back: boildown::Prepared = serde_json::from_str(&json).unwrap();
        assert!(back == prepared[i], "page {i}: the serde round trip");
        let bytes = postcard::to_stdvec(&prepared[i]).unwrap();
        let back: boildown::Prepared = postcard::from_bytes(&bytes).unwrap();
        assert!(back == prepared[i], "page {i}: the postcard round trip");
        for model in [Some(&model), None] {
            let want = cleaner.clean(page(p), model);
            let got = cleaner.finish(&back, model);
            let verdicts: Vec<_> = want.blocks().iter().map(|b| b.verdict.clone()).collect();
            assert_eq!(got.text(), want.text(), "page {i}");
            assert_eq!(got.title(), want.title(), "page {i}");
            assert_eq!(got.stats(), want.stats(), "page {i}");
            assert_eq!(got.verdicts(), &verdicts[..], "page {i}");
            assert_eq!(got.site(), want.site(), "page {i}");
        }
    }
}

#[test]
fn prepared_pages_are_decided_as_clean_decides_them() {
    let dir = eval_pages::eval_dir().join("wcxb-dev-multisite");
    let mut pages: Vec<(String, Vec<u8>, Format)> = eval_pages::pages_with(&dir)
        .into_iter()
        .filter_map(|(page, bytes)| Some((page.site?, bytes, Format::Html)))
        .collect();
    if pages.is_empty() {
        eprintln!("no {}: only the small pages", dir.display());
    }
    // Plain text in a site, and pages with repeats.
    for story in ["the harbour", "the market", "the school"] {
        let text = format!(
            "Menu\nHome | News | Sport\nA story about {story}, told by the people who live there.\nIt goes on for a while.\nIt goes on for a while.\nFooter: all rights reserved"
        );
        pages.push(("news.example".into(), text.into_bytes(), Format::Text));
    }
    for config in [Config::default(), Config::default().with_dedup_only(true)] {
        check(&Cleaner::new(config).unwrap(), &pages);
    }
}
