//! `examples/crawl.rs` run for real: a static server on 127.0.0.1, the spider crawler,
//! every page cleaned with the incremental site scope (feature `crawl-example`).

use std::path::PathBuf;
use std::process::Command;

/// The example's binary, which `cargo test` builds beside the tests.
fn example() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/PROFILE");
    profile
        .join("examples")
        .join(format!("crawl{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn the_crawler_cleans_every_page_of_every_site_and_learns_their_templates() {
    let dataset =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/wcxb-dev-multisite");
    if !dataset.join("pages.jsonl").is_file() {
        eprintln!("skipped: no {}", dataset.display());
        return;
    }
    let out = Command::new(example())
        .arg(&dataset)
        .arg("3")
        .output()
        .expect("the crawl example runs (cargo test builds it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("http://127.0.0.1:"))
        .collect();
    let sites: Vec<&str> = stdout.lines().filter(|l| l.starts_with("site ")).collect();
    assert_eq!(sites.len(), 3, "{stdout}");
    let mut served = 0;
    for site in &sites {
        // "site S: N of M pages cleaned, T template blocks on 2 pages or more"
        let words: Vec<&str> = site.split_whitespace().collect();
        assert_eq!(
            words[2], words[4],
            "every page served was crawled and cleaned: {site}"
        );
        served += words[4].parse::<usize>().unwrap();
    }
    assert_eq!(pages.len(), served, "{stdout}");
    assert!(
        sites.iter().any(|s| !s.contains(", 0 template blocks")),
        "a site's template was learned: {stdout}"
    );
    assert!(
        pages.iter().any(|p| !p.ends_with("\t0 template blocks")),
        "pages were cleaned with their site's template: {stdout}"
    );
}
