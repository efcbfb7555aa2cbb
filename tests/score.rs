//! `boildown score` computes the figures of the evaluation pack's `score.py`, to the
//! last digit: on a small dataset of our own with figures worked out by hand, and, where
//! `../shared/eval` and python3 are present, against `score.py` itself on predictions
//! made from each dataset's gold (paragraphs dropped, boilerplate added, pages missing,
//! ids repeated or unknown).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("boildown-score-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_lines(path: &Path, lines: &[Value]) {
    let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(path, text).unwrap();
}

fn boildown_score(dataset: &Path, predictions: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_boildown"))
        .args(["score", "--json"])
        .arg(dataset)
        .arg(predictions)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn python_score(dataset: &Path, predictions: &Path) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/score.py");
    if !script.exists() {
        return None;
    }
    let out = Command::new("python3")
        .arg(script)
        .arg(dataset)
        .arg(predictions)
        .arg("--json")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// Equal keys, equal integers and strings, floats within 1e-12.
fn assert_same(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let (kx, ky): (Vec<_>, Vec<_>) = (x.keys().collect(), y.keys().collect());
            assert_eq!(kx, ky, "keys at {path}");
            for (k, v) in x {
                assert_same(v, &y[k], &format!("{path}.{k}"));
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() < 1e-12, "{path}: {x} != {y}");
        }
        _ => assert_eq!(a, b, "at {path}"),
    }
}

#[test]
fn figures_worked_out_by_hand() {
    let dir = temp_dir("hand");
    write_lines(
        &dir.join("pages.jsonl"),
        &[
            json!({"id": "a", "site": "x", "gold": "One two three four five.", "with": ["two three"], "without": ["Menu"]}),
            json!({"id": "b", "site": "x", "gold": ""}),
            json!({"id": "c", "site": "x", "gold": null, "with": ["kept words"], "without": []}),
        ],
    );
    let predictions = dir.join("pred.jsonl");
    write_lines(
        &predictions,
        &[
            json!({"id": "a", "text": "Menu\n\none TWO three four"}),
            json!({"id": "b", "text": ""}),
            json!({"id": "zzz", "text": "unknown"}),
        ],
    );
    let got = boildown_score(&dir, &predictions);
    // Page a: words "menu one two three four" vs "one two three four five": overlap 4,
    // P 4/5, R 4/5. Page b: both empty, 1. Means: P = R = F1 = 0.9.
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-12;
    assert!(close(&got["word"]["precision"], 0.9), "{}", got["word"]);
    assert!(close(&got["word"]["f1"], 0.9), "{}", got["word"]);
    // Shingles, case kept: a has no common 4-gram ("one TWO…"); b counts in neither mean.
    assert_eq!(got["shingle"]["n_precision_pages"], 1);
    assert_eq!(got["shingle"]["precision"], 0.0);
    // Snippets: a finds "two three"? No: the output says "TWO three" (case-sensitive); it
    // has "Menu" (FP). c: no prediction, its with-snippet is missed.
    assert_eq!(
        got["snippet"],
        json!({"tp": 0, "fp": 1, "fn": 2, "tn": 0, "precision": 0.0,
        "recall": 0.0, "f1": 0.0, "accuracy": 0.0, "page_accuracy": 0.0})
    );
    assert_eq!(
        (
            got["missing_predictions"].clone(),
            got["unknown_prediction_ids"].clone()
        ),
        (json!(1), json!(1))
    );
    if let Some(python) = python_score(&dir, &predictions) {
        assert_same(&python, &got, "");
    }
    std::fs::remove_dir_all(dir).ok();
}

/// Predictions from the gold: drop some paragraphs, add boilerplate (non-ASCII
/// included), leave every 17th page out, repeat every 23rd, add an unknown id.
fn predictions_from_gold(pages: &[Value]) -> Vec<Value> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % 100
    };
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i % 17 == 5 {
            continue;
        }
        let gold = match page["gold"].as_str() {
            Some(g) => g.to_owned(),
            None => page["with"]
                .as_array()
                .into_iter()
                .flatten()
                .take(2)
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        };
        let mut kept: Vec<&str> = gold.split("\n\n").filter(|_| random() >= 30).collect();
        if random() < 50 {
            kept.push(
                "Subscribe to our newsletter! Cookie policy © 2024 — Ünïcödé ½ e\u{301}x ΣΑΣ",
            );
        }
        let text = kept.join("\n\n");
        if i % 23 == 0 {
            out.push(json!({"id": page["id"], "text": text.to_uppercase()}));
        }
        out.push(json!({"id": page["id"], "text": text}));
    }
    out.push(json!({"id": "no-such-page", "text": "x"}));
    out
}

#[test]
fn equals_score_py_on_the_eval_pack() {
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !eval.join("score.py").exists() || !python {
        eprintln!("skipped: no ../shared/eval or no python3");
        return;
    }
    let dir = temp_dir("pack");
    let mut compared = 0;
    for name in [
        "wcxb-dev-sample",
        "wcxb-dev-multisite",
        "cleaneval-dev",
        "cleanportaleval-dev",
        "readability-cases",
        "trafilatura-eval",
    ] {
        let dataset = eval.join(name);
        let Ok(data) = std::fs::read_to_string(dataset.join("pages.jsonl")) else {
            continue;
        };
        let pages: Vec<Value> = data
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let predictions = dir.join(format!("{name}.jsonl"));
        write_lines(&predictions, &predictions_from_gold(&pages));
        let ours = boildown_score(&dataset, &predictions);
        let theirs = python_score(&dataset, &predictions).unwrap();
        assert_same(&theirs, &ours, name);
        compared += 1;
    }
    assert!(compared >= 5, "only {compared} datasets compared");
    std::fs::remove_dir_all(dir).ok();
}
