//! The `boildown` command line.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod args;
mod commands;
mod dataset;
mod score;

use commands::{clean, corpus, eval, score as score_command, site};

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
    Clean(clean::CleanArgs),
    /// Clean a scraped corpus (WARC, WET, JSONL, saved pages) on every core: each site's
    /// template learned over the whole corpus, one row per page out (JSONL or Parquet),
    /// near-duplicate documents marked.
    Corpus(Box<corpus::CorpusArgs>),
    /// Score any tool's predictions against a dataset of the evaluation format
    /// (`pages.jsonl`): word-bag, 4-gram and snippet precision, recall and F1, computed
    /// exactly as the pack's `score.py` computes them.
    Score(score_command::ScoreArgs),
    /// Clean every page of a dataset of the evaluation format (`pages.jsonl` and
    /// `html/*.html.gz`) and score the result as `score` does.
    Eval(eval::EvalArgs),
    /// Site memory: learn each site's template from its pages, and show it.
    Site {
        #[command(subcommand)]
        command: site::SiteCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Corpus(args) => corpus::run(*args),
        Command::Score(args) => score_command::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Site { command } => site::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("boildown: {message}");
            ExitCode::FAILURE
        }
    }
}
