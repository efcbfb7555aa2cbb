//! `boildown score`: any tool's predictions scored against a dataset.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::dataset::{file_name, gold_pages, json_lines};
use crate::score;

#[derive(clap::Args)]
pub struct ScoreArgs {
    /// The dataset folder, holding `pages.jsonl`.
    dataset: PathBuf,
    /// One `{"id": …, "text": …}` per line; a page without a line scores as empty output.
    predictions: PathBuf,
    /// Print one JSON object (the keys of `score.py --json`).
    #[arg(long)]
    json: bool,
}

pub fn run(args: ScoreArgs) -> Result<(), String> {
    let pages = gold_pages(&args.dataset)?;
    let mut predictions = HashMap::new();
    let mut duplicates = 0;
    for line in json_lines(&args.predictions)? {
        // As score.py: ids compare as strings, a missing or null text is empty output.
        let id = match &line["id"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => "None".to_owned(),
            other => other.to_string(),
        };
        let text = line["text"].as_str().unwrap_or("").to_owned();
        duplicates += usize::from(predictions.insert(id, text).is_some());
    }
    let summary = score::score(&pages, &predictions, duplicates);
    let dataset = file_name(&args.dataset);
    let predictions_name = file_name(&args.predictions);
    if args.json {
        let mut value = serde_json::to_value(&summary).map_err(|e| e.to_string())?;
        value["dataset"] = dataset.into();
        value["predictions"] = predictions_name.into();
        println!("{value}");
    } else {
        score::print_human(&dataset, &predictions_name, &summary);
    }
    Ok(())
}
