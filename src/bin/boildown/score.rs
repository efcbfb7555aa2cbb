//! The quality metrics of the evaluation pack (`../shared/eval/README.md`), computed as
//! its reference `score.py` computes them, so that the figures are the same to the last
//! digit: word-bag P/R/F1, word 4-gram shingle P/R/F1, and with/without snippets.
//!
//! Python details reproduced on purpose: `\w` is a letter or number by general category
//! (L*, N*) or `_` (combining marks are not word characters); `\s` is Python's white
//! space (Unicode White_Space plus U+001C..U+001F); lowercase is full Unicode lowercase.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

use crate::dataset::GoldPage;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Python's `\w` for one character.
fn is_word_char(c: char) -> bool {
    c == '_'
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
            ))
}

/// Python's `\s` for one character.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The `\w+` runs of a text.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn counts<T: Hash + Eq>(items: impl IntoIterator<Item = T>) -> HashMap<T, usize> {
    let mut map = HashMap::new();
    for item in items {
        *map.entry(item).or_insert(0) += 1;
    }
    map
}

/// Size of the multiset intersection.
fn overlap<T: Hash + Eq>(a: &HashMap<T, usize>, b: &HashMap<T, usize>) -> usize {
    a.iter()
        .map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0)))
        .sum()
}

/// Word-bag precision, recall and F1 of one page.
pub fn word_prf(pred: &str, gold: &str) -> (f64, f64, f64) {
    let (pred, gold) = (pred.to_lowercase(), gold.to_lowercase());
    let (p_tokens, g_tokens) = (words(&pred), words(&gold));
    if g_tokens.is_empty() {
        return if p_tokens.is_empty() {
            (1.0, 1.0, 1.0)
        } else {
            (0.0, 0.0, 0.0)
        };
    }
    if p_tokens.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let common = overlap(&counts(p_tokens.iter()), &counts(g_tokens.iter())) as f64;
    let p = common / p_tokens.len() as f64;
    let r = common / g_tokens.len() as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// The 4-gram shingles of a text (one shorter shingle for 1-3 tokens) and its tokens.
fn shingles(text: &str) -> (HashMap<Vec<&str>, usize>, Vec<&str>) {
    let tokens = words(text);
    let map = match tokens.len() {
        0 => HashMap::new(),
        1..=3 => counts([tokens.clone()]),
        _ => counts(tokens.windows(4).map(<[&str]>::to_vec)),
    };
    (map, tokens)
}

/// Normalised (tp, fp, fn) shingle counts of one page, and whether the token
/// sequences are equal.
pub fn shingle_counts(pred: &str, gold: &str) -> ((f64, f64, f64), bool) {
    let (g, g_tokens) = shingles(gold);
    let (p, p_tokens) = shingles(pred);
    let tp = overlap(&g, &p);
    let g_total: usize = g.values().sum();
    let p_total: usize = p.values().sum();
    let (fp, fn_) = (p_total - tp, g_total - tp);
    let sum = (tp + fp + fn_) as f64;
    let (mut tp, mut fp, mut fn_) = (tp as f64, fp as f64, fn_ as f64);
    if sum > 0.0 {
        (tp, fp, fn_) = (tp / sum, fp / sum, fn_ / sum);
    }
    ((tp, fp, fn_), g_tokens == p_tokens)
}

/// score.py's `_prec` and `_rec`: `tp / (tp + miss)`, 1 when nothing was missed either
/// way, 0 when there is neither a hit nor a miss of this kind.
fn share(tp: f64, miss: f64, other_miss: f64) -> f64 {
    if miss == 0.0 && other_miss == 0.0 {
        1.0
    } else if tp == 0.0 && miss == 0.0 {
        0.0
    } else {
        tp / (tp + miss)
    }
}

fn precision((tp, fp, fn_): (f64, f64, f64)) -> f64 {
    share(tp, fp, fn_)
}

fn recall((tp, fp, fn_): (f64, f64, f64)) -> f64 {
    share(tp, fn_, fp)
}

fn shingle_page_f1(c: (f64, f64, f64)) -> f64 {
    let (tp, fp, fn_) = c;
    if tp == 0.0 && fp == 0.0 && fn_ == 0.0 {
        return 1.0;
    }
    if tp + fp == 0.0 || tp + fn_ == 0.0 {
        return 0.0;
    }
    let (p, r) = (precision(c), recall(c));
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// White space runs to one space, trimmed.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split(is_space).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// (tp, fp, fn, tn) of one page's snippets.
pub fn snippet_counts(pred: &str, with: &[String], without: &[String]) -> [usize; 4] {
    let text = squeeze(pred);
    let tp = with.iter().filter(|s| text.contains(&squeeze(s))).count();
    let fp = without
        .iter()
        .filter(|s| text.contains(&squeeze(s)))
        .count();
    [tp, fp, with.len() - tp, without.len() - fp]
}

struct Row {
    predicted: bool,
    word: Option<(f64, f64, f64)>,
    shingle: Option<((f64, f64, f64), bool, f64)>,
    snippet: Option<[usize; 4]>,
}

/// The figures of one dataset: the keys and values of `score.py --json`.
#[derive(Serialize)]
pub struct Summary {
    pub pages: usize,
    pub gold_pages: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<WordFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shingle: Option<ShingleFigures>,
    pub snippet_pages: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<SnippetFigures>,
    pub predicted_pages: usize,
    pub missing_predictions: usize,
    pub unknown_prediction_ids: usize,
    pub duplicate_prediction_ids: usize,
}

#[derive(Serialize)]
pub struct WordFigures {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

#[derive(Serialize)]
pub struct ShingleFigures {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: f64,
    pub page_f1: Option<f64>,
    pub exact: Option<f64>,
    pub n_precision_pages: usize,
    pub n_recall_pages: usize,
}

#[derive(Serialize)]
pub struct SnippetFigures {
    pub tp: usize,
    #[serde(rename = "fp")]
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    pub page_accuracy: Option<f64>,
}

fn mean(xs: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for x in xs {
        sum += x;
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// Scores `predictions` (page id to text; a missing page counts as empty output).
/// `duplicates` is the number of repeated ids in the predictions file, reported as is.
pub fn score(
    pages: &[GoldPage],
    predictions: &HashMap<String, String>,
    duplicates: usize,
) -> Summary {
    let rows: Vec<Row> = pages
        .iter()
        .map(|page| {
            let pred = predictions.get(&page.id).map(String::as_str).unwrap_or("");
            let (word, shingle) = match &page.gold {
                Some(gold) => {
                    let (counts, exact) = shingle_counts(pred, gold);
                    let f1 = shingle_page_f1(counts);
                    (Some(word_prf(pred, gold)), Some((counts, exact, f1)))
                }
                None => (None, None),
            };
            let snippet = (!page.with.is_empty() || !page.without.is_empty())
                .then(|| snippet_counts(pred, &page.with, &page.without));
            Row {
                predicted: predictions.contains_key(&page.id),
                word,
                shingle,
                snippet,
            }
        })
        .collect();

    let gold_rows: Vec<&Row> = rows.iter().filter(|r| r.word.is_some()).collect();
    let (word, shingle) = if gold_rows.is_empty() {
        (None, None)
    } else {
        let w = |f: fn(&(f64, f64, f64)) -> f64| {
            mean(gold_rows.iter().filter_map(|r| r.word.as_ref().map(f)))
        };
        let sh: Vec<_> = gold_rows.iter().filter_map(|r| r.shingle).collect();
        let ps: Vec<f64> = sh
            .iter()
            .filter(|s| s.0 .0 + s.0 .1 > 0.0)
            .map(|s| precision(s.0))
            .collect();
        let rs: Vec<f64> = sh
            .iter()
            .filter(|s| s.0 .0 + s.0 .2 > 0.0)
            .map(|s| recall(s.0))
            .collect();
        let (p, r) = (mean(ps.iter().copied()), mean(rs.iter().copied()));
        let f1 = match (p, r) {
            (Some(p), Some(r)) if p + r > 0.0 => 2.0 * p * r / (p + r),
            _ => 0.0,
        };
        (
            Some(WordFigures {
                precision: w(|x| x.0),
                recall: w(|x| x.1),
                f1: w(|x| x.2),
            }),
            Some(ShingleFigures {
                precision: p,
                recall: r,
                f1,
                page_f1: mean(sh.iter().map(|s| s.2)),
                exact: mean(sh.iter().map(|s| if s.1 { 1.0 } else { 0.0 })),
                n_precision_pages: ps.len(),
                n_recall_pages: rs.len(),
            }),
        )
    };

    let snippet_rows: Vec<[usize; 4]> = rows.iter().filter_map(|r| r.snippet).collect();
    let snippet = (!snippet_rows.is_empty()).then(|| {
        let sum = |i: usize| snippet_rows.iter().map(|s| s[i]).sum::<usize>();
        let (tp, fp, fn_, tn) = (sum(0), sum(1), sum(2), sum(3));
        let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        SnippetFigures {
            tp,
            fp,
            fn_,
            tn,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1: ratio(2 * tp, 2 * tp + fp + fn_),
            accuracy: ratio(tp + tn, tp + fp + fn_ + tn),
            page_accuracy: mean(
                snippet_rows
                    .iter()
                    .filter(|s| s.iter().sum::<usize>() > 0)
                    .map(|s| (s[0] + s[3]) as f64 / s.iter().sum::<usize>() as f64),
            ),
        }
    });

    let predicted_pages = rows.iter().filter(|r| r.predicted).count();
    let ids: std::collections::HashSet<&str> = pages.iter().map(|p| p.id.as_str()).collect();
    let unknown = predictions
        .keys()
        .filter(|id| !ids.contains(id.as_str()))
        .count();
    Summary {
        pages: pages.len(),
        gold_pages: gold_rows.len(),
        word,
        shingle,
        snippet_pages: snippet_rows.len(),
        snippet,
        predicted_pages,
        missing_predictions: pages.len() - predicted_pages,
        unknown_prediction_ids: unknown,
        duplicate_prediction_ids: duplicates,
    }
}

fn show(x: Option<f64>) -> String {
    x.map_or_else(|| "  -  ".to_owned(), |x| format!("{x:.3}"))
}

/// The figures as `score.py` prints them for people.
pub fn print_human(dataset: &str, predictions: &str, s: &Summary) {
    println!("dataset {dataset}  predictions {predictions}");
    println!(
        "pages {} (gold text: {}, snippets: {}); predicted {}, missing {} (scored as empty), unknown ids {}",
        s.pages,
        s.gold_pages,
        s.snippet_pages,
        s.predicted_pages,
        s.missing_predictions,
        s.unknown_prediction_ids
    );
    if let (Some(w), Some(sh)) = (&s.word, &s.shingle) {
        println!(
            "word bag   P {}  R {}  F1 {}",
            show(w.precision),
            show(w.recall),
            show(w.f1)
        );
        println!(
            "4-gram     P {}  R {}  F1 {}  (page-mean F1 {}, exact {})",
            show(sh.precision),
            show(sh.recall),
            show(Some(sh.f1)),
            show(sh.page_f1),
            show(sh.exact)
        );
    }
    if let Some(sn) = &s.snippet {
        println!(
            "snippets   P {}  R {}  F1 {}  acc {}  (TP {} FP {} FN {} TN {})",
            show(Some(sn.precision)),
            show(Some(sn.recall)),
            show(Some(sn.f1)),
            show(Some(sn.accuracy)),
            sn.tp,
            sn.fp,
            sn.fn_,
            sn.tn
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_python() {
        assert_eq!(
            words("Hello, wörld_1 ½ e\u{301}x 中文"),
            ["Hello", "wörld_1", "½", "e", "x", "中文"]
        );
        assert_eq!(squeeze("  a \u{a0}\u{1c} b\n"), "a b");
    }

    #[test]
    fn word_and_shingle_figures() {
        assert_eq!(
            word_prf("a b c", "a b d"),
            (2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0)
        );
        assert_eq!(word_prf("", ""), (1.0, 1.0, 1.0));
        assert_eq!(word_prf("x", ""), (0.0, 0.0, 0.0));
        let ((tp, fp, fn_), exact) = shingle_counts("a b c d e", "a b c d");
        assert!(!exact);
        assert_eq!((tp, fp, fn_), (0.5, 0.5, 0.0));
        assert_eq!(shingle_counts("A b", "A b"), ((1.0, 0.0, 0.0), true));
    }
}
