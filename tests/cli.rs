//! The `boildown` binary, run as a user would.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{expected_repeats, fixture_path, fixture_text, line_of};

/// The run exited 0; else its stderr is the failure message.
fn assert_succeeded(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn boildown(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_boildown"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("boildown runs");
    let mut pipe = child.stdin.take().unwrap();
    // A run that fails early (bad arguments, missing file) may exit before reading.
    match pipe.write_all(stdin.unwrap_or_default()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => panic!("cannot write to boildown: {e}"),
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

#[test]
fn fixture_report_names_the_repeated_line_of_each_removed_line() {
    let path = fixture_path("txt");
    let out = boildown(
        &[
            "clean",
            path.to_str().unwrap(),
            "--format",
            "text",
            "--json",
            "--dedup-only",
        ],
        None,
    );
    assert_succeeded(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = fixture_text();
    let blocks = report["blocks"].as_array().unwrap();
    let mut removed = BTreeMap::new();
    for block in blocks {
        let start = block["start"].as_u64().unwrap() as usize;
        let end = block["end"].as_u64().unwrap() as usize;
        assert_eq!(&text[start..end], block["text"].as_str().unwrap());
        assert_eq!(block["exact"].as_str().unwrap().len(), 16);
        assert_eq!(block["simhash"].as_str().unwrap().len(), 16);
        match block["verdict"].as_str().unwrap() {
            "keep" => assert!(block["reason"].is_null()),
            "remove" => {
                let of = block["reason"]["of"].as_u64().unwrap() as usize;
                let of_start = blocks[of]["start"].as_u64().unwrap() as usize;
                removed.insert(line_of(&text, start), line_of(&text, of_start));
            }
            other => panic!("verdict {other}"),
        }
    }
    assert_eq!(removed, expected_repeats());
    assert_eq!(
        report["text"]
            .as_str()
            .unwrap()
            .matches("Editor's choice")
            .count(),
        1
    );
}

#[test]
fn text_output_from_standard_input() {
    let out = boildown(&["clean", "-"], Some(b"Menu\r\nStory.\r\nMenu\r\n"));
    assert!(out.status.success());
    assert_eq!(out.stdout, b"Menu\n\nStory.\n");
    let out = boildown(&["clean"], Some(b""));
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn legacy_encodings_are_detected_and_invalid_bytes_replaced_with_a_warning() {
    // Not UTF-8: detection takes windows-1252, and says so.
    let latin = b"caf\xe9 au lait\nna\xefve text\ncaf\xe9 au lait\n";
    let out = boildown(&["clean"], Some(latin));
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("decoded as windows-1252"), "{stderr}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "café au lait\n\nnaïve text\n"
    );

    // Declared UTF-8, which the bytes contradict: decoded as detection says, and said.
    let out = boildown(
        &["clean", "--charset", "utf-8"],
        Some(b"caf\xe9 au lait\nna\xefve text\ncaf\xe9 au lait\n"),
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("declares UTF-8, which its bytes contradict; decoded as windows-1252"),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "café au lait\n\nnaïve text\n"
    );

    // UTF-8 with a few invalid bytes: replaced and counted.
    let mut bytes = "café au lait\nnaïve crème, très bien\n~ junk\ncafé au lait\n"
        .as_bytes()
        .to_vec();
    let tilde = bytes.iter().position(|&b| b == b'~').unwrap();
    bytes[tilde] = 0xFF;
    let out = boildown(&["clean", "--charset", "utf-8"], Some(&bytes));
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("1 invalid byte sequence"), "{stderr}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "café au lait\n\nnaïve crème, très bien\n\n\u{fffd} junk\n"
    );

    // The JSON report says how the bytes were decoded.
    let out = boildown(
        &["clean", "--json", "--charset", "latin1"],
        Some("Rücker’s".as_bytes()),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["decoding"],
        serde_json::json!({"encoding": "UTF-8", "source": "utf8", "overruled": "windows-1252", "replaced": 0})
    );

    let out = boildown(&["clean", "--charset", "klingon"], Some(b"x"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unknown character encoding"));
}

#[test]
fn html_is_sniffed_decoded_and_segmented() {
    const BODY: &str = "The café on the square opened on Monday, after a winter of works on \
        its kitchen, its terrace and its old bar, and the first customers, who had waited for an \
        hour in the rain, said the coffee was as good as it was before.";
    let page = b"<!DOCTYPE html><html><head><meta charset=windows-1252><title>T</title>\
        <script>var menu = 1;</script></head><body><nav><a href=/>Home</a></nav>\
        <h1>Caf\xe9 news</h1><p>The caf\xe9 on the square opened on Monday, after a winter of \
        works on its kitchen, its terrace and its old bar, and the first customers, who had \
        waited for an hour in the rain, said the coffee was as good as it was before.</p><nav><a href=/>Home</a></nav></body></html>";
    for args in [&["clean"][..], &["clean", "--format", "html"]] {
        let out = boildown(args, Some(page));
        assert!(out.status.success());
        // The headline may go or stay (the classifier's call): the story stays, the
        // menus and the script go.
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.ends_with(&format!("{BODY}\n")), "{text}");
        assert!(!text.contains("Home") && !text.contains("menu"), "{text}");
    }
    // Only repeats: the first menu stays.
    let out = boildown(&["clean", "--dedup-only"], Some(page));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("Home\n\nCafé news\n\n{BODY}\n")
    );
    // As text, the same bytes are lines of markup.
    let out = boildown(&["clean", "--format", "text"], Some(page));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
}

#[test]
fn errors_are_clear_and_not_panics() {
    let out = boildown(&["clean", "/no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("boildown: cannot read /no/such/file.txt"),
        "{stderr}"
    );

    let out = boildown(&["clean", "--near-distance", "40"], Some(b"x"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("near_distance is 40"));

    let out = boildown(&["clean", "--format", "pdf"], Some(b"x"));
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8(out.stderr).unwrap().contains("panicked"));
}

#[test]
fn remove_all_and_exact_only_flags() {
    let out = boildown(&["clean", "--remove-all"], Some(b"Menu\nStory.\nMenu\n"));
    assert_eq!(out.stdout, b"Story.\n");
    let para = "The committee approved the new budget for the coming year after a long debate \
                on schools and roads, and the mayor said that the money for the new library would \
                come from the sale of the old post office building on the main square";
    let edited = para.replace("long", "lengthy");
    let input = format!("{para}\n{edited}\n");
    let near = boildown(&["clean"], Some(input.as_bytes()));
    assert_eq!(String::from_utf8(near.stdout).unwrap(), format!("{para}\n"));
    let exact = boildown(&["clean", "--exact-only"], Some(input.as_bytes()));
    assert_eq!(
        String::from_utf8(exact.stdout).unwrap(),
        format!("{para}\n\n{edited}\n")
    );
}

#[test]
fn html_output_and_html_block_info() {
    let page = b"<html><body><nav><a href=/>Home</a></nav><article><h1>Harbour</h1>\
        <p onclick=\"x()\">The old harbour reopened on Saturday, two years after the council \
        closed it for <b>repairs</b> to the sea wall, the quays and the fish market, and the \
        fishermen came back.<script>track()</script></p>\
        <ul><li>The quays are wider and safer than they were before the works began.</li>\
        <li>The berths cost more than they did, the fishermen said on the first morning.</li></ul>\
        </article></body></html>";
    let out = boildown(&["clean", "--html"], Some(page));
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<b>repairs</b>"), "{html}");
    assert!(!html.contains("script") && !html.contains("onclick") && !html.contains("Home"));
    let out = boildown(&["clean", "--json"], Some(page));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let blocks = report["blocks"].as_array().unwrap();
    let item = blocks
        .iter()
        .find(|b| b["text"].as_str().unwrap().starts_with("The quays"))
        .unwrap();
    assert_eq!(item["html"]["tag"], "li");
    assert_eq!(item["html"]["list"], true);
    assert!(item["html"]["path"].as_str().unwrap().ends_with("ul>li"));
    // Kept list items one per line, paragraphs a blank line apart.
    let text = report["text"].as_str().unwrap();
    assert!(text.contains("fishermen came back.\n\nThe quays"), "{text}");
    assert!(
        text.contains("before the works began.\nThe berths"),
        "{text}"
    );
}

#[test]
fn site_learn_show_and_clean_with_a_model() {
    let dir = std::env::temp_dir().join(format!("boildown-site-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let pages = dir.join("pages").join("example.org");
    std::fs::create_dir_all(&pages).unwrap();
    for (i, story) in ["harbour", "market", "school"].iter().enumerate() {
        let text = format!(
            "Menu\nThe {story} story, long enough to be the page's own text, with a clause or two and a full stop.\nSign up to our newsletter, every Friday morning.\n"
        );
        std::fs::write(pages.join(format!("{i}.txt")), text).unwrap();
    }
    let model = dir.join("site.model");
    let (from, model_arg) = (dir.join("pages"), model.to_str().unwrap().to_owned());
    let learn = || {
        boildown(
            &[
                "site",
                "learn",
                "--format",
                "text",
                "--from",
                from.to_str().unwrap(),
                "--model",
                &model_arg,
            ],
            None,
        )
    };
    let out = learn();
    assert_succeeded(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("3 pages read (3 new"), "{stderr}");
    assert!(
        stderr.contains("1 sites, 5 tracked blocks (2 on 2+ pages)"),
        "{stderr}"
    );
    // No temporary file is left beside the model.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");

    let out = boildown(&["site", "show", &model_arg], None);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("example.org: 3 pages, 2 template blocks"),
        "{shown}"
    );
    assert!(shown.contains("    3/3  Menu"), "{shown}");

    let page = pages.join("1.txt");
    let out = boildown(
        &[
            "clean",
            "--model",
            &model_arg,
            "--site",
            "example.org",
            page.to_str().unwrap(),
        ],
        None,
    );
    assert_succeeded(&out);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "The market story, long enough to be the page's own text, with a clause or two and a full stop.\n"
    );

    // Learning the same pages again adds nothing; a damaged model is a clear error.
    let out = learn();
    assert!(String::from_utf8(out.stderr).unwrap().contains("(0 new"));
    let mut bytes = std::fs::read(&model).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&model, &bytes).unwrap();
    let out = boildown(&["site", "show", &model_arg], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("invalid site model: checksum mismatch"),
        "{stderr}"
    );

    // An HTML page names its site by its canonical URL; without one, a clear error.
    let html = dir.join("page.html");
    std::fs::write(&html, "<html><head><link rel=canonical href=\"https://www.Example.org/a\"></head><body><p>Hi</p></body></html>").unwrap();
    let fresh = dir.join("fresh.model");
    let learn_html = || {
        boildown(
            &[
                "site",
                "learn",
                html.to_str().unwrap(),
                "--model",
                fresh.to_str().unwrap(),
            ],
            None,
        )
    };
    let out = learn_html();
    assert_succeeded(&out);
    let out = boildown(&["site", "show", fresh.to_str().unwrap()], None);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("example.org: 1 pages"));
    std::fs::write(&html, "<p>No canonical URL</p>").unwrap();
    let out = learn_html();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot tell the site of"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn eval_honours_the_cleaning_options() {
    // A dataset of one page of our own: the sample news article, its story as gold.
    let dir = std::env::temp_dir().join(format!("boildown-eval-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("html")).unwrap();
    let page = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/samples/news-article.html"),
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&page).unwrap();
    std::fs::write(dir.join("html/a.html.gz"), gz.finish().unwrap()).unwrap();
    let gold = "The old harbour reopened on Saturday, two years after the council closed it.";
    let line = serde_json::json!({"id": "a", "site": "example.org", "html": "html/a.html.gz", "gold": gold});
    std::fs::write(dir.join("pages.jsonl"), format!("{line}\n")).unwrap();
    let precision = |extra: &[&str]| -> f64 {
        let dataset = dir.to_str().unwrap();
        let out = boildown(&[&["eval", dataset, "--json"][..], extra].concat(), None);
        assert_succeeded(&out);
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        summary["word"]["precision"].as_f64().unwrap()
    };
    // With only repeats removed, the menu, share buttons and footer are kept too.
    let (all, dedup_only) = (precision(&[]), precision(&["--dedup-only"]));
    assert!(dedup_only < all, "{dedup_only} vs {all}");
    let out = boildown(
        &["eval", dir.to_str().unwrap(), "--near-distance", "40"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("near"));
    std::fs::remove_dir_all(&dir).unwrap();
}
