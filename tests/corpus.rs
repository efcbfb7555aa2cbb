//! `boildown corpus` run as a user would, on the real WARC files of `../shared/corpus`
//! (skipped when the folder is absent) and on damaged copies of them.

use std::io::{Read, Write};

use arrow_array::Array;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("dolma-sample-0000.warc.gz").exists() {
        Some(dir)
    } else {
        eprintln!("no ../shared/corpus: skipped");
        None
    }
}

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("corpus-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn boildown(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_boildown"))
        .arg("corpus")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("boildown runs");
    let mut pipe = child.stdin.take().unwrap();
    let _ = pipe.write_all(stdin);
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn ok(args: &[&str]) -> Output {
    let out = boildown(args, b"");
    assert!(
        out.status.success(),
        "boildown corpus {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn rows(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn stats(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn every_record_of_the_real_archives_is_cleaned_skipped_or_rejected() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("real");
    let (out, st, rj) = (
        tmp.join("out.jsonl"),
        tmp.join("st.json"),
        tmp.join("rj.jsonl"),
    );
    ok(&[
        s(&dir),
        "-o",
        s(&out),
        "--stats",
        s(&st),
        "--rejects",
        s(&rj),
        "-q",
    ]);
    let st = stats(&st);
    // FastWARC's counts (SOURCE.md): 48 + 34 + 50 + 30 records, and 3 block-sized
    // ones; the clipped file's one record is a reject.
    assert_eq!(st["records"], 166);
    assert_eq!(st["pages"], 82);
    assert_eq!(st["cleaned"], 82);
    assert_eq!(st["rows"], 82);
    assert_eq!(st["skipped"]["request"], 54);
    assert_eq!(st["skipped"]["metadata"], 18);
    assert_eq!(st["rejected"]["damaged compressed data at byte N"], 1);
    assert_eq!(st["inputs"], 6);
    assert_eq!(st["unreadable_inputs"], 1);
    assert_eq!(st["sites"]["models"], "learned");
    let rejects = std::fs::read_to_string(&rj).unwrap();
    assert_eq!(rejects.lines().count(), 1);
    assert!(rejects.contains("resiliparse-clipped.warc.gz"), "{rejects}");
    let rows = rows(&out);
    assert_eq!(rows.len(), 82);
    // The keys in their documented order.
    let first = std::fs::read_to_string(&out).unwrap();
    let at = |key: &str| first.find(&format!("\"{key}\":")).unwrap();
    let order = [
        "id", "url", "site", "title", "format", "text", "dup_of", "stats",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])));
    assert_eq!(rows[0].as_object().unwrap().len(), order.len());
    for row in &rows {
        assert!(
            row["id"].as_str().unwrap().starts_with("<urn:uuid:"),
            "{row}"
        );
        assert_eq!(row["format"], "html");
        assert!(row["site"].is_string());
    }
    // The one-site crawls teach the template: some blocks are removed as such.
    assert!(st["blocks"]["site_template"].as_u64().unwrap() > 0);
    // Every dup_of names an earlier row's id.
    let mut seen = std::collections::HashSet::new();
    for row in &rows {
        if let Some(of) = row["dup_of"].as_str() {
            assert!(seen.contains(of), "{of} is not an earlier row");
        }
        seen.insert(row["id"].as_str().unwrap().to_owned());
    }
    assert!(st["duplicates"].as_u64().unwrap() >= 1);
}

#[test]
fn the_output_is_the_same_bytes_whatever_the_threads_and_the_file_split() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("determinism");
    // Not the clipped file: its cut member, followed by others, is a different damage
    // from the same member at the end of a file.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_str().unwrap().ends_with(".warc.gz") && !p.to_str().unwrap().contains("clipped")
        })
        .collect();
    files.sort();
    // One file: the gzip files one after the other (gzip members concatenate).
    let one = tmp.join("all.warc.gz");
    let bytes: Vec<u8> = files
        .iter()
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    std::fs::write(&one, bytes).unwrap();
    // Three files of the same records, in the same order.
    let split = tmp.join("split");
    std::fs::create_dir_all(&split).unwrap();
    for (i, group) in files.chunks(2).enumerate() {
        let bytes: Vec<u8> = group
            .iter()
            .flat_map(|f| std::fs::read(f).unwrap())
            .collect();
        std::fs::write(split.join(format!("part-{i}.warc.gz")), bytes).unwrap();
    }
    let run = |input: &Path, threads: &str, name: &str| {
        let out = tmp.join(name);
        ok(&[s(input), "-o", s(&out), "--threads", threads, "-q"]);
        std::fs::read(out).unwrap()
    };
    let base = run(&one, "1", "one-1.jsonl");
    assert!(base.len() > 100_000);
    assert!(base == run(&one, "3", "one-3.jsonl"), "1 vs 3 threads");
    assert!(
        base == run(&split, "1", "split-1.jsonl"),
        "one file vs three"
    );
    assert!(
        base == run(&split, "2", "split-2.jsonl"),
        "three files, 2 threads"
    );
}

#[test]
fn every_output_format_holds_the_same_rows() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("formats");
    let input = dir.join("dolma-sample-0001.warc.gz");
    let jsonl = tmp.join("out.jsonl");
    ok(&[s(&input), "-o", s(&jsonl), "-q"]);
    let want = std::fs::read(&jsonl).unwrap();
    let gz = tmp.join("out.jsonl.gz");
    ok(&[s(&input), "-o", s(&gz), "-q"]);
    assert!(gunzip(&gz) == want, ".jsonl.gz");
    let zst = tmp.join("out.jsonl.zst");
    ok(&[s(&input), "-o", s(&zst), "-q"]);
    assert!(
        zstd::decode_all(std::fs::File::open(&zst).unwrap()).unwrap() == want,
        ".jsonl.zst"
    );
    let stdout = ok(&[s(&input), "-o", "-", "-q"]).stdout;
    assert!(stdout == want, "standard output");
    // With --report (the pages read twice, cleaned in one step) the same rows, and
    // each block's report.
    let report = tmp.join("report.jsonl");
    ok(&[s(&input), "-o", s(&report), "--report", "-q"]);
    let mut with_report = rows(&report);
    for row in &mut with_report {
        let blocks = row["report"]["blocks"].as_array().unwrap();
        assert_eq!(
            blocks.len() as u64,
            row["stats"]["blocks"].as_u64().unwrap()
        );
        row.as_object_mut().unwrap().remove("report");
    }
    assert_eq!(with_report, rows(&jsonl));

    let parquet = tmp.join("out.parquet");
    ok(&[s(&input), "-o", s(&parquet), "-q"]);
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(&parquet).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let want_rows = rows(&jsonl);
    let mut got = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let col = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .unwrap()
                .clone()
        };
        let (id, text, dup_of) = (col("id"), col("text"), col("dup_of"));
        let stats = batch
            .column_by_name("stats")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::StructArray>()
            .unwrap()
            .clone();
        let kept = stats
            .column_by_name("kept")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::Int64Array>()
            .unwrap()
            .clone();
        for i in 0..batch.num_rows() {
            got.push(serde_json::json!({
                "id": id.value(i),
                "text": text.value(i),
                "dup_of": (!dup_of.is_null(i)).then(|| dup_of.value(i)),
                "kept": kept.value(i),
            }));
        }
    }
    let want: Vec<serde_json::Value> = want_rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r["id"], "text": r["text"], "dup_of": r["dup_of"], "kept": r["stats"]["kept"],
            })
        })
        .collect();
    assert_eq!(got, want);
    // No temporary files are left beside the outputs.
    let left: Vec<String> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn jsonl_rows_keep_their_other_fields_and_bad_lines_are_listed() {
    let tmp = scratch("jsonl");
    let page = "<html><head><title>T</title></head><body><nav><a href=/>Home</a></nav><article><h1>The harbour</h1>\
        <p>A story about the harbour and the boats that come in every morning with the tide, told by the people who have waited on the quay for forty years.</p>\
        <p>The fish market opens at five, and by seven the best of the catch has gone to the restaurants of the old town, where the cooks argue over the prices.</p>\
        <p>In winter the storms keep the fleet in port for weeks at a time, and the crews mend their nets in the sheds along the sea wall while they wait.</p>\
        </article></body></html>";
    let input = [
        serde_json::json!({"id": "a", "url": "https://news.example/a", "html": page, "lang": "en", "title": "given"}).to_string(),
        "not json".to_owned(),
        serde_json::json!({"id": "c"}).to_string(),
        serde_json::json!({"text": "Plain text.\nTwo lines of it, long enough to be a block."}).to_string(),
    ]
    .join("\n");
    let (out, rj, st) = (
        tmp.join("out.jsonl"),
        tmp.join("rejects.jsonl"),
        tmp.join("st.json"),
    );
    let run = boildown(
        &[
            "-",
            "-o",
            s(&out),
            "--rejects",
            s(&rj),
            "--stats",
            s(&st),
            "-q",
        ],
        input.as_bytes(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rows = rows(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "a");
    assert_eq!(rows[0]["lang"], "en");
    assert_eq!(rows[0]["input.title"], "given");
    assert_eq!(rows[0]["site"], "news.example");
    assert_eq!(rows[0]["format"], "html");
    assert!(rows[0]["text"].as_str().unwrap().contains("harbour"));
    // No id: the document's number in the run.
    assert_eq!(rows[1]["id"], "#2"); // no id: its number among the run's pages
    assert_eq!(rows[1]["format"], "text");
    let rejects: Vec<serde_json::Value> = std::fs::read_to_string(&rj)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejects.len(), 2);
    assert_eq!(
        (rejects[0]["input"].as_str(), rejects[0]["line"].as_u64()),
        (Some("-"), Some(2))
    );
    assert_eq!(rejects[1]["line"], 3);
    let st = stats(&st);
    assert_eq!(
        (st["records"].as_u64(), st["pages"].as_u64()),
        (Some(4), Some(2))
    );
}

#[test]
fn damaged_and_unreadable_inputs_lose_only_themselves() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("damaged");
    let good = dir.join("resiliparse-warcfile.warc.gz");
    let plain = gunzip(&good);
    // A wrong Content-Length in the third record of a plain copy.
    let text = String::from_utf8_lossy(&plain).into_owned();
    let third = text.match_indices("WARC/1.").nth(2).unwrap().0;
    let at = third + text[third..].find("Content-Length: ").unwrap() + 16;
    let mut edited = plain.clone();
    edited.splice(at..at, b"1".iter().copied());
    std::fs::write(tmp.join("wrong-length.warc"), &edited).unwrap();
    // A gzip file cut in the middle.
    let gz = std::fs::read(&good).unwrap();
    std::fs::write(tmp.join("truncated.warc.gz"), &gz[..gz.len() / 2]).unwrap();
    // A file that cannot be opened (a dangling link).
    std::os::unix::fs::symlink(tmp.join("nowhere"), tmp.join("gone.warc")).unwrap();
    let (out, st, rj) = (
        tmp.join("out.jsonl"),
        tmp.join("st.json"),
        tmp.join("rj.jsonl"),
    );
    ok(&[
        s(&tmp.join("wrong-length.warc")),
        s(&tmp.join("truncated.warc.gz")),
        s(&tmp.join("gone.warc")),
        s(&good),
        "-o",
        s(&out),
        "--stats",
        s(&st),
        "--rejects",
        s(&rj),
        "-q",
    ]);
    let st = stats(&st);
    let rejected: u64 = st["rejected"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(rejected >= 3, "{st}");
    assert_eq!(st["unreadable_inputs"], 1);
    // The good file's 16 responses, all of the edited copy's but the damaged one, and
    // those of the first half of the cut file.
    let pages = st["pages"].as_u64().unwrap();
    assert!(pages >= 16 + 15 + 4, "{pages}");
    let listed = std::fs::read_to_string(&rj).unwrap();
    assert!(
        listed.contains("gone.warc") && listed.contains("unreadable"),
        "{listed}"
    );
    assert!(listed.contains("does not end the record"), "{listed}");
    assert_eq!(rows(&out).len() as u64, pages);

    // Records over --max-page-bytes are rejects; the others are kept.
    let small = tmp.join("small.jsonl");
    let st2 = tmp.join("st2.json");
    ok(&[
        s(&good),
        "-o",
        s(&small),
        "--max-page-bytes",
        "30000",
        "--stats",
        s(&st2),
        "-q",
    ]);
    let st2 = stats(&st2);
    let over = st2["rejected"]["content of N bytes, over the limit of N"]
        .as_u64()
        .unwrap();
    assert!(over >= 1);
    assert!(st2["pages"].as_u64().unwrap() >= 1);

    // Nothing readable, or an output that cannot be written: a failure, and no file.
    let none = boildown(
        &[
            s(&tmp.join("gone.warc")),
            "-o",
            s(&tmp.join("x.jsonl")),
            "-q",
        ],
        b"",
    );
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("no input could be read"));
    assert!(!tmp.join("x.jsonl").exists());
    let unwritable = boildown(
        &[s(&good), "-o", s(&tmp.join("no/such/dir/x.jsonl")), "-q"],
        b"",
    );
    assert!(!unwritable.status.success());
    // --strict: the first reject fails the run, and no output is written.
    let strict = boildown(
        &[
            s(&dir.join("resiliparse-clipped.warc.gz")),
            s(&good),
            "-o",
            s(&tmp.join("strict.jsonl")),
            "--strict",
            "-q",
        ],
        b"",
    );
    assert!(!strict.status.success());
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
    assert!(!tmp.join("strict.jsonl").exists());
}

#[test]
fn saved_models_clean_a_new_crawl_in_one_pass_with_the_same_rows() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("model");
    let input = dir.join("resiliparse-clueweb-quirk.warc.gz");
    let (model, a, b, st) = (
        tmp.join("sites.model"),
        tmp.join("a.jsonl"),
        tmp.join("b.jsonl"),
        tmp.join("st.json"),
    );
    ok(&[s(&input), "-o", s(&a), "--model", s(&model), "-q"]);
    assert!(model.exists());
    ok(&[
        s(&input),
        "-o",
        s(&b),
        "--model",
        s(&model),
        "--stats",
        s(&st),
        "-q",
    ]);
    assert_eq!(stats(&st)["sites"]["models"], "loaded");
    assert_eq!(stats(&st)["seconds"]["learn"], 0.0);
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    // The shop's template is found with the sites, and only with them.
    let c = tmp.join("c.jsonl");
    ok(&[s(&input), "-o", s(&c), "--no-sites", "-q"]);
    let template = |p: &Path| {
        rows(p)
            .iter()
            .map(|r| r["stats"]["site_template"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert!(template(&a) > 29 * 10, "{}", template(&a));
    assert_eq!(template(&c), 0);
}

#[test]
fn duplicates_can_be_dropped_or_not_looked_for() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("dups");
    let (all, dropped, none) = (
        tmp.join("all.jsonl"),
        tmp.join("dropped.jsonl"),
        tmp.join("none.jsonl"),
    );
    ok(&[s(&dir), "-o", s(&all), "-q"]);
    ok(&[s(&dir), "-o", s(&dropped), "--drop-dups", "-q"]);
    ok(&[s(&dir), "-o", s(&none), "--no-dedup", "-q"]);
    let all = rows(&all);
    let kept: Vec<&serde_json::Value> = all.iter().filter(|r| r["dup_of"].is_null()).collect();
    assert!(kept.len() < all.len());
    assert_eq!(rows(&dropped).iter().collect::<Vec<_>>(), kept);
    assert!(rows(&none).iter().all(|r| r["dup_of"].is_null()));
    assert_eq!(rows(&none).len(), all.len());
}

#[test]
fn sites_are_hosts_or_registrable_domains() {
    let Some(dir) = corpus_dir() else { return };
    let tmp = scratch("sitekey");
    let input = dir.join("dolma-sample-0000.warc.gz");
    let (host, domain) = (tmp.join("host.jsonl"), tmp.join("domain.jsonl"));
    ok(&[s(&input), "-o", s(&host), "-q"]);
    ok(&[s(&input), "-o", s(&domain), "--site-key", "domain", "-q"]);
    let sites = |p: &Path| -> Vec<String> {
        rows(p)
            .iter()
            .map(|r| r["site"].as_str().unwrap().to_owned())
            .collect()
    };
    let (hosts, domains) = (sites(&host), sites(&domain));
    assert!(
        hosts.iter().any(|h| h == "homes.cs.washington.edu"),
        "{hosts:?}"
    );
    assert!(domains.iter().any(|h| h == "washington.edu"), "{domains:?}");
    assert!(!domains.iter().any(|h| h.ends_with(".washington.edu")));
    assert!(
        domains.iter().any(|h| h == "maria-antoniak.github.io"),
        "github.io is a public suffix"
    );
}
