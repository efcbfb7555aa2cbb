//! The one reader of datasets in the evaluation format: a folder with `pages.jsonl`
//! (one page per line: `id`, `html` (its file, gzipped or not), `gold`, `with`,
//! `without`, `site`) and the page files. Used by the commands, and by the examples,
//! benches and tests through `support/eval_pages.rs`.
// Each includer uses some of these.
#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

/// One page of a dataset, as far as scoring needs it.
pub struct GoldPage {
    pub id: String,
    /// The page's file, relative to the dataset folder.
    pub html: Option<String>,
    pub gold: Option<String>,
    pub with: Vec<String>,
    pub without: Vec<String>,
    /// The page's site (host), if the dataset names one.
    pub site: Option<String>,
}

impl GoldPage {
    /// From one line of `pages.jsonl`.
    pub fn from_json(value: &Value) -> Result<GoldPage, String> {
        let id = match &value["id"] {
            Value::String(s) => s.clone(),
            Value::Null => return Err("a page has no id".into()),
            other => other.to_string(),
        };
        let strings = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(GoldPage {
            html: value["html"].as_str().map(str::to_owned),
            gold: value["gold"].as_str().map(str::to_owned),
            with: strings("with"),
            without: strings("without"),
            site: value["site"].as_str().map(str::to_owned),
            id,
        })
    }
}

/// The lines of a JSON Lines file, parsed.
pub fn json_lines(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    let data =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    data.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .map_err(|e| format!("{}, line {}: invalid JSON: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The gold pages of a dataset folder.
pub fn gold_pages(dataset: &Path) -> Result<Vec<GoldPage>, String> {
    json_lines(&dataset.join("pages.jsonl"))?
        .iter()
        .map(GoldPage::from_json)
        .collect()
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A page file's bytes, gunzipped if `gzip` (every command that reads pages uses it).
pub fn read_page(path: &Path, gzip: bool) -> Result<Vec<u8>, String> {
    let raw = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !gzip {
        return Ok(raw);
    }
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot gunzip {}: {e}", path.display()))?;
    Ok(bytes)
}
