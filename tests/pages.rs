//! Snapshot tests of the project's own HTML pages (`tests/pages/<case>/source.html`),
//! one for each layout that matters: a news article, a shop listing, a forum thread, an
//! old table layout, a page with no `<body>` tag. Each case keeps its expected kept text
//! (`expected.txt`) and every block's verdict (`verdicts.txt`: verdict, reason, tag,
//! text), so that a change in the finder shows as a readable diff. After a deliberate
//! change, rewrite them and review the diff in git:
//!
//! ```text
//! BOILDOWN_UPDATE_SNAPSHOTS=1 cargo test --release --test pages
//! ```
//!
//! Scores are left out of `verdicts.txt`: a retrained model moves every score, and
//! what a reader needs to see is which blocks change sides.

use std::fmt::Write;
use std::path::Path;

use boildown::{Cleaner, Reason};

/// Every block of a cleaned page, a line each: `keep`, or `remove` and the reason
/// (kind and rule, or the page counts of a site template), its tag, its text's start.
fn verdicts(cleaned: &boildown::Cleaned) -> String {
    let mut out = String::new();
    for block in cleaned.blocks() {
        let why = match block.verdict.reason() {
            None => "keep".to_owned(),
            Some(Reason::Boilerplate(b)) => {
                let rule = serde_json::to_value(b.rule).unwrap();
                format!("remove boilerplate/{}", rule.as_str().unwrap_or("?"))
            }
            Some(Reason::ExactRepeat(r)) => format!("remove exact repeat of {}", r.of),
            Some(Reason::NearRepeat(r)) => format!("remove near repeat of {}", r.of),
            Some(Reason::SiteTemplate(t)) => format!("remove site template {}/{}", t.pages, t.of),
            Some(_) => "remove".to_owned(),
        };
        let tag = block.html.as_ref().map_or("-", |h| h.tag.as_str());
        let text: String = block.text().chars().take(72).collect();
        writeln!(out, "{why:<36} {tag:<6} {text}").unwrap();
    }
    out
}

/// Compares `actual` with the file, or writes it when updating; the mismatch, as a
/// unified diff, if any.
fn check(path: &Path, actual: &str, update: bool) -> Option<String> {
    if update {
        std::fs::write(path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    (expected != actual).then(|| {
        similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header(
                &path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(path)
                    .display()
                    .to_string(),
                "now",
            )
            .to_string()
    })
}

#[test]
fn the_projects_own_pages_clean_as_their_snapshots_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages");
    let update = std::env::var_os("BOILDOWN_UPDATE_SNAPSHOTS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("source.html").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let bytes = std::fs::read(case.join("source.html")).unwrap();
        let decoded = boildown::decode_html(&bytes, None);
        let cleaned = Cleaner::default().clean(boildown::Page::html(&decoded.text), None);
        let text = format!("{}\n", cleaned.text());
        failures.extend(check(&case.join("expected.txt"), &text, update));
        failures.extend(check(
            &case.join("verdicts.txt"),
            &verdicts(&cleaned),
            update,
        ));
    }
    assert!(
        failures.is_empty(),
        "{}\n(after a deliberate change: BOILDOWN_UPDATE_SNAPSHOTS=1 cargo test --release --test pages)",
        failures.join("\n")
    );
}
