//! The `boildown` command line.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use boildown::{Cleaner, Config, RepeatPolicy};
use clap::{Parser, Subcommand, ValueEnum};

mod score;

/// Boils scraped web pages down to their own content.
#[derive(Parser)]
#[command(name = "boildown", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean one page: print the cleaned text, or with --json the report of every block.
    Clean(CleanArgs),
    /// Score any tool's predictions against a dataset of the evaluation format
    /// (`pages.jsonl`): word-bag, 4-gram and snippet precision, recall and F1, computed
    /// exactly as the pack's `score.py` computes them.
    Score(ScoreArgs),
}

#[derive(clap::Args)]
struct ScoreArgs {
    /// The dataset folder, holding `pages.jsonl`.
    dataset: PathBuf,
    /// One `{"id": …, "text": …}` per line; a page without a line scores as empty output.
    predictions: PathBuf,
    /// Print one JSON object (the keys of `score.py --json`).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct CleanArgs {
    /// The page to clean; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// What the input is. `auto` treats it as plain text (HTML support comes later).
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// Print the JSON report (every block with its span, fingerprints, verdict, reason).
    #[arg(long)]
    json: bool,
    /// Only remove repeats, no other page furniture.
    #[arg(long)]
    dedup_only: bool,
    /// Remove every copy of a repeated block, the first one included.
    #[arg(long)]
    remove_all: bool,
    /// Largest SimHash distance for near repeats (0 to 32).
    #[arg(long, default_value_t = boildown::DEFAULT_NEAR_DISTANCE)]
    near_distance: u32,
    /// Fewest tokens a block needs to be compared as a near repeat.
    #[arg(long, default_value_t = boildown::DEFAULT_NEAR_MIN_TOKENS)]
    near_min_tokens: u32,
    /// Only exact repeats; no near-repeat search.
    #[arg(long)]
    exact_only: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Auto,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Score(args) => score_predictions(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("boildown: {message}");
            ExitCode::FAILURE
        }
    }
}

fn clean(args: CleanArgs) -> Result<(), String> {
    let policy = if args.remove_all {
        RepeatPolicy::RemoveAll
    } else {
        RepeatPolicy::KeepFirst
    };
    let config = Config::default()
        .with_policy(policy)
        .with_near_repeats(!args.exact_only)
        .with_near_distance(args.near_distance)
        .with_near_min_tokens(args.near_min_tokens)
        .with_dedup_only(args.dedup_only);
    let cleaner = Cleaner::new(config).map_err(|e| e.to_string())?;
    // Both formats are plain text for now; the flag is parsed so scripts can name it.
    let (Format::Auto | Format::Text) = args.format;

    let (bytes, name) = read_input(args.file.as_ref())?;
    let input = decode(&bytes, &name);
    let cleaned = cleaner.clean(&input);

    let mut out = io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer(&mut out, &cleaned)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
    } else if cleaned.text().is_empty() {
        Ok(())
    } else {
        out.write_all(cleaned.text().as_bytes())
            .and_then(|()| out.write_all(b"\n"))
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`boildown clean page.txt | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}

fn read_input(file: Option<&PathBuf>) -> Result<(Vec<u8>, String), String> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let bytes =
                fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok((bytes, path.display().to_string()))
        }
        _ => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok((bytes, "standard input".to_owned()))
        }
    }
}

/// Decodes UTF-8, replacing invalid sequences with U+FFFD and saying so on stderr.
fn decode(bytes: &[u8], name: &str) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let invalid = bytes
                .utf8_chunks()
                .filter(|chunk| !chunk.invalid().is_empty())
                .count();
            eprintln!(
                "boildown: warning: {name} is not valid UTF-8; \
                 {invalid} invalid byte sequence(s) replaced with U+FFFD"
            );
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// The lines of a JSON Lines file, parsed.
fn json_lines(path: &PathBuf) -> Result<Vec<serde_json::Value>, String> {
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
fn gold_pages(dataset: &Path) -> Result<Vec<score::GoldPage>, String> {
    json_lines(&dataset.join("pages.jsonl"))?
        .iter()
        .map(score::GoldPage::from_json)
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn score_predictions(args: ScoreArgs) -> Result<(), String> {
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
