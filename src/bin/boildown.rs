//! The `boildown` command line.

#![forbid(unsafe_code)]

use std::fs;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use boildown::{Cleaner, Config, RepeatPolicy};
use clap::{Parser, Subcommand, ValueEnum};

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
