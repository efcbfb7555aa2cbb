//! Builds the decoding test set: pages of the evaluation pack whose text is known,
//! re-encoded in six encodings with right, wrong and missing declarations and wrong
//! HTTP hints, and decodes every case with boildown. `scripts/decoding_eval.py` then
//! decodes the same bytes with trafilatura's and Resiliparse's decoders and scores all
//! three (README, "Decoding").
//!
//! ```text
//! cargo run --release --features cli --example decoding_set -- ../shared/eval target/decoding
//! python3 scripts/decoding_eval.py target/decoding
//! ```
//!
//! The known text of a page is the pack's page as boildown decodes it (the pack's pages
//! are nearly all UTF-8, and the rest declare their encoding). Its own charset
//! declarations are taken out, the case's declaration (if any) is put after `<head>`,
//! and the text is encoded (characters the encoding lacks become numeric character
//! references, as browsers submit forms). The truth of a case is its bytes decoded
//! with the encoding they are in.
//!
//! Writes `OUT/bytes/ID.html.gz` (a case's bytes) and `OUT/cases.jsonl`, one case a
//! line: its id, page, group (the encoding it is in), condition, `meta` and `hint`
//! labels, the truth's SHA-256 and its non-ASCII characters with their counts, and
//! boildown's decoding (encoding, rule, SHA-256 and non-ASCII counts of the text). And
//! `OUT/pack.jsonl`: every page of the pack with boildown's decoding of its bytes (the
//! JavaScript tests check that the WebAssembly build decodes them the same).
#[path = "../support/eval_pages.rs"]
mod eval_pages;

use std::io::Write;
use std::path::Path;

use encoding_rs::Encoding;

/// The datasets, in the order the pages are taken.
const DATASETS: &[&str] = &[
    "cleaneval-dev",
    "cleanportaleval-dev",
    "readability-cases",
    "trafilatura-eval",
    "wcxb-dev-multisite",
    "wcxb-dev-sample",
];
/// Pages at most per group (the largest groups are capped; the others take every page
/// that fits).
const MAX_PAGES: usize = 40;

/// An encoding of the set: its label, the wrong labels it is given, and which pages
/// it takes.
struct Group {
    label: &'static str,
    wrong: &'static [&'static str],
    fits: fn(&Script) -> bool,
}

const GROUPS: &[Group] = &[
    // UTF-8 declared as Latin-1: the case of the news pages of 2008.
    Group {
        label: "UTF-8",
        wrong: &["iso-8859-1"],
        fits: |s| s.non_ascii >= 50,
    },
    Group {
        label: "windows-1252",
        wrong: &["utf-8", "iso-8859-2"],
        fits: |s| s.western >= 30 && s.unmappable_1252 == 0,
    },
    Group {
        label: "ISO-8859-2",
        wrong: &["iso-8859-1", "utf-8"],
        fits: |s| s.central >= 30,
    },
    Group {
        label: "Shift_JIS",
        wrong: &["euc-jp", "utf-8"],
        fits: |s| s.kana >= 100,
    },
    Group {
        label: "GBK",
        wrong: &["big5", "utf-8"],
        fits: |s| s.han >= 200 && s.kana < 20,
    },
    Group {
        label: "KOI8-R",
        wrong: &["windows-1251", "iso-8859-1"],
        fits: |s| s.cyrillic >= 200,
    },
];

/// What a page's text is written in.
#[derive(Default)]
struct Script {
    non_ascii: usize,
    western: usize,
    central: usize,
    cyrillic: usize,
    kana: usize,
    han: usize,
    unmappable_1252: usize,
}

fn script(text: &str) -> Script {
    let mut s = Script::default();
    for c in text.chars().filter(|c| !c.is_ascii()) {
        s.non_ascii += 1;
        match c {
            'À'..='ÿ' => s.western += 1,
            'Ā'..='ž' => s.central += 1,
            '\u{0400}'..='\u{04FF}' => s.cyrillic += 1,
            '\u{3040}'..='\u{30FF}' => s.kana += 1,
            '\u{4E00}'..='\u{9FFF}' => s.han += 1,
            _ => {}
        }
        let mut buf = [0u8; 4];
        let (_, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        s.unmappable_1252 += usize::from(unmappable);
    }
    s
}

/// The page without its own charset declarations (`<meta charset>`, `<meta
/// http-equiv=Content-Type>`), and with `meta` declared after `<head>` if given.
fn declared(text: &str, meta: Option<&str>) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len() + 40);
    let mut at = 0;
    let mut from = 0;
    while let Some(start) = lower[from..].find("<meta").map(|i| i + from) {
        let Some(end) = lower[start..].find('>').map(|i| i + start + 1) else {
            break;
        };
        if lower[start..end].contains("charset") {
            out.push_str(&text[at..start]);
            at = end;
        }
        from = end;
    }
    out.push_str(&text[at..]);
    let Some(meta) = meta else { return out };
    let tag = format!("<meta charset=\"{meta}\">");
    let head = out
        .to_ascii_lowercase()
        .find("<head")
        .filter(|&i| i < 512)
        .and_then(|i| out[i..].find('>').map(|j| i + j + 1));
    out.insert_str(head.unwrap_or(0), &tag);
    out
}

/// A decoded text's SHA-256, in hex.
fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The non-ASCII characters of a text with their counts, in code point order.
fn non_ascii(text: &str) -> std::collections::BTreeMap<char, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for c in text.chars().filter(|c| !c.is_ascii()) {
        *counts.entry(c).or_default() += 1;
    }
    counts
}

/// boildown's decoding as the JSON reports give it (encoding, source, overruled,
/// replaced), with the text's SHA-256 and non-ASCII characters.
fn decoding(decoded: &boildown::Decoded) -> serde_json::Value {
    let mut value = serde_json::to_value(decoded).unwrap();
    value["sha256"] = sha256(&decoded.text).into();
    value["non_ascii"] = serde_json::to_value(non_ascii(&decoded.text)).unwrap();
    value
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(eval), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: decoding_set EVAL_DIR OUT_DIR");
        std::process::exit(2);
    };
    let (eval, out) = (Path::new(&eval), Path::new(&out));
    std::fs::create_dir_all(out.join("bytes")).expect("the output folder");
    let mut pack =
        std::io::BufWriter::new(std::fs::File::create(out.join("pack.jsonl")).expect("pack.jsonl"));
    // Every page's known text, in a stable order: by dataset, then by a hash of the id
    // (so that a capped group takes pages from across a dataset).
    let mut pages: Vec<(String, String)> = Vec::new();
    for dataset in DATASETS {
        let dir = eval.join(dataset);
        let mut these = Vec::new();
        for (page, bytes) in eval_pages::pages_with(&dir) {
            let (id, file) = (page.id.as_str(), page.html.as_deref().unwrap_or_default());
            let decoded = boildown::decode_html(&bytes, None);
            let record = serde_json::json!({
                "page": format!("{dataset}/{id}"), "file": format!("{dataset}/{file}"),
                "boildown": decoding(&decoded),
            });
            writeln!(pack, "{record}").unwrap();
            let text = decoded.text;
            let key = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
            these.push((key, format!("{dataset}/{id}"), text));
        }
        these.sort_by_key(|(key, _, _)| *key);
        pages.extend(these.into_iter().map(|(_, id, text)| (id, text)));
    }
    let mut cases = std::io::BufWriter::new(
        std::fs::File::create(out.join("cases.jsonl")).expect("cases.jsonl"),
    );
    let mut n = 0;
    for group in GROUPS {
        let encoding = Encoding::for_label(group.label.as_bytes()).expect("a label");
        let chosen: Vec<&(String, String)> = pages
            .iter()
            .filter(|(_, text)| (group.fits)(&script(text)))
            .take(MAX_PAGES)
            .collect();
        for (page, text) in chosen {
            let right = Some(group.label);
            let mut conditions = vec![("right", right, None), ("none", None, None)];
            for &wrong in group.wrong {
                conditions.push(("wrong meta", Some(wrong), None));
                conditions.push(("wrong hint, right meta", right, Some(wrong)));
                conditions.push(("wrong hint, no meta", None, Some(wrong)));
            }
            for (condition, meta, hint) in conditions {
                let page_text = declared(text, meta);
                let (bytes, _, _) = encoding.encode(&page_text);
                let truth = encoding.decode_without_bom_handling(&bytes).0;
                let decoded = boildown::decode_html(&bytes, hint);
                let id = format!("{n:05}");
                let file = std::fs::File::create(out.join("bytes").join(format!("{id}.html.gz")));
                let mut gz =
                    flate2::write::GzEncoder::new(file.unwrap(), flate2::Compression::fast());
                gz.write_all(&bytes).unwrap();
                gz.finish().unwrap();
                let record = serde_json::json!({
                    "id": id, "page": page, "group": group.label, "condition": condition,
                    "meta": meta, "hint": hint,
                    "truth": {"sha256": sha256(&truth), "non_ascii": non_ascii(&truth)},
                    "boildown": decoding(&decoded),
                });
                writeln!(cases, "{record}").unwrap();
                n += 1;
            }
        }
    }
    cases.flush().unwrap();
    pack.flush().unwrap();
    eprintln!("{n} cases in {}", out.display());
}
