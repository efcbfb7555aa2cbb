//! The `boildown` command line.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use boildown::{Cleaner, Config, Format, Page, RepeatPolicy, SiteModel};
use clap::{Parser, Subcommand, ValueEnum};

mod score;
mod site;

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
    /// Clean every page of a dataset of the evaluation format (`pages.jsonl` and
    /// `html/*.html.gz`) and score the result as `score` does.
    Eval(EvalArgs),
    /// Site memory: learn each site's template from its pages, and show it.
    Site {
        #[command(subcommand)]
        command: site::SiteCommand,
    },
}

#[derive(clap::Args)]
struct EvalArgs {
    /// The dataset folder, holding `pages.jsonl` and `html/`.
    dataset: PathBuf,
    /// Also write one `{"id": …, "text": …, "verdicts": …, "report": …}` line per page
    /// here: the kept text, a letter per block's verdict, and the hash of the JSON report.
    #[arg(long, value_name = "OUT.jsonl")]
    predictions: Option<PathBuf>,
    /// Print one JSON object (the keys of `score.py --json`, plus timing).
    #[arg(long)]
    json: bool,
    /// Clean each page this many times and take its median time (for timing).
    #[arg(long, default_value_t = 1, value_name = "N")]
    repeat: u32,
    /// Clean every page on its own, even where pages share a site (by default the pages
    /// of a site with two or more pages are all observed first, then each is cleaned
    /// with the site's other pages as evidence).
    #[arg(long)]
    no_site: bool,
    #[command(flatten)]
    config: ConfigArgs,
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
    /// What the input is. `auto` sniffs: HTML if it starts (after white space) with a
    /// tag such as `<!DOCTYPE html`, `<html`, `<head`, `<body`, `<div`, `<p` or a comment,
    /// as the WHATWG MIME sniffing rules say; plain text otherwise.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// The input's character encoding, if known from outside (an HTTP header's
    /// charset). Otherwise a byte order mark, an HTML page's own `<meta charset>`, or
    /// statistical detection decide.
    #[arg(long, value_name = "LABEL")]
    charset: Option<String>,
    /// Print the JSON report (every block with its span, fingerprints, verdict, reason,
    /// and for HTML where it stands in the page).
    #[arg(long, conflicts_with = "html")]
    json: bool,
    /// Print the cleaned HTML: the kept blocks' markup, with only emphasis and safe
    /// links kept (no scripts, styles, event handlers or other attributes).
    #[arg(long)]
    html: bool,
    #[command(flatten)]
    config: ConfigArgs,
    /// A site model (`boildown site learn`): blocks of the site's template on this page
    /// are removed too.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// The page's site in the model (default: the host of its canonical URL).
    #[arg(long, value_name = "HOST", requires = "model")]
    site: Option<String>,
    /// After cleaning, observe the page and save the model (a crawler's incremental
    /// use: each page is cleaned with what the model knew before it).
    #[arg(long, requires = "model")]
    learn: bool,
}

/// The cleaning options, shared by every command that cleans (`clean`, `eval`) and
/// turned into a [`Config`] in one place.
#[derive(clap::Args)]
struct ConfigArgs {
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
    /// Read broken raw text and comments as the HTML standard says (a `<title>`,
    /// `<script>` or comment that never ends hides the rest of the page), instead of
    /// recovering as lenient parsers do.
    #[arg(long)]
    no_html_recovery: bool,
}

impl ConfigArgs {
    /// The cleaner these options ask for; an invalid value is an error naming it.
    fn cleaner(&self) -> Result<Cleaner, String> {
        let policy = if self.remove_all {
            RepeatPolicy::RemoveAll
        } else {
            RepeatPolicy::KeepFirst
        };
        let config = Config::default()
            .with_policy(policy)
            .with_near_repeats(!self.exact_only)
            .with_near_distance(self.near_distance)
            .with_near_min_tokens(self.near_min_tokens)
            .with_dedup_only(self.dedup_only)
            .with_html_recovery(!self.no_html_recovery);
        Cleaner::new(config).map_err(|e| e.to_string())
    }
}

/// What the input is (`--format`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Auto,
    Text,
    Html,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Text => Format::Text,
            FormatArg::Html => Format::Html,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Score(args) => score_predictions(args),
        Command::Eval(args) => eval(args),
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

fn clean(args: CleanArgs) -> Result<(), String> {
    let cleaner = args.config.cleaner()?;
    let (bytes, name) = read_input(args.file.as_ref())?;
    if let Some(label) = &args.charset {
        if encoding_label_unknown(label) {
            return Err(format!("unknown character encoding {label:?}"));
        }
    }
    let page = Page::from_bytes(&bytes)
        .with_format(args.format.into())
        .with_charset(args.charset.as_deref());
    let model = args.model.as_deref().map(site::load).transpose()?;
    let cleaned = match &model {
        None => cleaner.clean(page, None),
        Some(model) => {
            let host = match &args.site {
                Some(site) => site.clone(),
                None if page.format() == Format::Html => {
                    // The canonical URL is in the page: decoded once to read it.
                    let decoded = boildown::decode_html(&bytes, args.charset.as_deref());
                    site::page_host(&decoded.text).ok_or_else(|| {
                        format!("cannot tell the site of {name}: it names no canonical URL; give --site HOST")
                    })?
                }
                None => return Err("plain text names no site: give --site HOST".into()),
            };
            let cleaned = cleaner.clean(page.with_site(host.as_str()), model);
            if args.learn {
                model.observe_cleaned(&host, &cleaned);
                site::save(model, args.model.as_deref().expect("a model"))?;
            }
            cleaned
        }
    };
    if let Some(decoding) = cleaned.decoding() {
        report_decoding(decoding, &name);
    }

    let mut out = io::stdout().lock();
    let written = if args.json {
        // The report, and how the bytes were decoded.
        // Through a `Value`, whose keys are sorted: the report's bytes as before.
        let report = serde_json::to_value(&cleaned).map_err(|e| e.to_string())?;
        serde_json::to_writer(&mut out, &report)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
    } else if args.html {
        out.write_all(cleaned.html().as_bytes())
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

/// Says on stderr what decoding did when it is worth knowing: a declaration the bytes
/// contradict, a legacy encoding chosen by detection, or bytes that had to be replaced.
fn report_decoding(decoded: &boildown::Decoding, name: &str) {
    if let Some(declared) = decoded.overruled {
        eprintln!(
            "boildown: note: {name} declares {declared}, which its bytes contradict; \
             decoded as {}",
            decoded.encoding
        );
    } else if decoded.source == boildown::EncodingSource::Detected {
        eprintln!(
            "boildown: note: {name} is not UTF-8; decoded as {}, which detection chose \
             (--charset gives it)",
            decoded.encoding
        );
    }
    if decoded.replaced > 0 {
        eprintln!(
            "boildown: warning: {name} is not valid {}; {} invalid byte sequence(s) \
             replaced with U+FFFD",
            decoded.encoding, decoded.replaced
        );
    }
}

fn encoding_label_unknown(label: &str) -> bool {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()).is_none()
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

/// A page's verdicts, one letter a block (`k` kept; removed as an `e`xact or `n`ear
/// repeat, as `b`oilerplate, as `s`ite template), and the xxh3 of its JSON report: what
/// `--predictions` writes beside the text, so that a change shows in a diff
/// (`scripts/diff-predictions.sh`).
fn verdicts_and_report(cleaned: &boildown::Cleaned) -> Result<(String, String), String> {
    use boildown::Reason;
    let verdicts = cleaned
        .blocks()
        .iter()
        .map(|b| match b.verdict.reason() {
            None => 'k',
            Some(Reason::ExactRepeat(_)) => 'e',
            Some(Reason::NearRepeat(_)) => 'n',
            Some(Reason::Boilerplate(_)) => 'b',
            Some(Reason::SiteTemplate(_)) => 's',
            Some(_) => '?',
        })
        .collect();
    let report = serde_json::to_string(cleaned).map_err(|e| e.to_string())?;
    let hash = xxhash_rust::xxh3::xxh3_64(report.as_bytes());
    Ok((verdicts, format!("{hash:016x}")))
}

fn eval(args: EvalArgs) -> Result<(), String> {
    let pages = gold_pages(&args.dataset)?;
    let cleaner = args.config.cleaner()?;
    let mut predictions = HashMap::new();
    let mut reports = HashMap::new();
    let mut cleaning = std::time::Duration::ZERO;
    let mut page_times = Vec::with_capacity(pages.len());
    let mut bytes_in = 0usize;
    let mut files = Vec::with_capacity(pages.len());
    for page in &pages {
        let file = page
            .html
            .as_ref()
            .ok_or_else(|| format!("page {} has no html file", page.id))?;
        files.push(site::read_page(
            &args.dataset.join(file),
            file.ends_with(".gz"),
        )?);
    }
    // Batch site scope: every page of a site with two or more pages is observed first.
    let model = SiteModel::new();
    let mut per_site: HashMap<&str, usize> = HashMap::new();
    for page in &pages {
        if let Some(site) = &page.site {
            *per_site.entry(site).or_default() += 1;
        }
    }
    fn site_of<'a>(
        page: &'a score::GoldPage,
        per_site: &HashMap<&str, usize>,
        no_site: bool,
    ) -> Option<&'a str> {
        page.site
            .as_deref()
            .filter(|s| !no_site && per_site[s] >= 2)
    }
    let site_of = |page| site_of(page, &per_site, args.no_site);
    let mut observing = std::time::Duration::ZERO;
    let mut site_pages = 0;
    for (page, bytes) in pages.iter().zip(&files) {
        if let Some(site) = site_of(page) {
            let started = std::time::Instant::now();
            model.observe(
                Page::from_bytes(bytes)
                    .with_format(Format::Html)
                    .with_site(site),
            );
            observing += started.elapsed();
            site_pages += 1;
        }
    }
    for (page, bytes) in pages.iter().zip(&files) {
        let mut times = Vec::new();
        let mut text = String::new();
        for _ in 0..args.repeat.max(1) {
            let started = std::time::Instant::now();
            // Decoded here, not by `clean`, so that the report (hashed for
            // `--predictions`) has no `decoding` and stays that of a decoded page.
            let decoded = boildown::decode_html(bytes, None);
            let input = Page::html(&decoded.text).with_site(site_of(page));
            let cleaned = cleaner.clean(input, &model);
            times.push(started.elapsed());
            if args.predictions.is_some() {
                reports.insert(page.id.clone(), verdicts_and_report(&cleaned)?);
            }
            text = cleaned.into_text();
        }
        times.sort_unstable();
        let time = times[times.len() / 2];
        cleaning += time;
        page_times.push(time);
        bytes_in += bytes.len();
        predictions.insert(page.id.clone(), text);
    }
    if let Some(path) = &args.predictions {
        let body: String = pages
            .iter()
            .map(|p| {
                let (verdicts, report) = &reports[&p.id];
                let line = serde_json::json!({
                    "id": p.id, "text": predictions[&p.id],
                    "verdicts": verdicts, "report": report,
                });
                format!("{line}\n")
            })
            .collect();
        fs::write(path, body).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let summary = score::score(&pages, &predictions, 0);
    let dataset = file_name(&args.dataset);
    let ms_per_page = cleaning.as_secs_f64() * 1e3 / pages.len().max(1) as f64;
    page_times.sort_unstable();
    let median_ms = page_times
        .get(page_times.len() / 2)
        .map_or(0.0, |t| t.as_secs_f64() * 1e3);
    if args.json {
        let mut value = serde_json::to_value(&summary).map_err(|e| e.to_string())?;
        value["dataset"] = dataset.into();
        value["predictions"] = "boildown".into();
        value["ms_per_page"] = ms_per_page.into();
        value["median_ms_per_page"] = median_ms.into();
        value["site_pages"] = site_pages.into();
        value["observe_ms"] = (observing.as_secs_f64() * 1e3).into();
        println!("{value}");
    } else {
        score::print_human(&dataset, "boildown", &summary);
        println!(
            "time       {ms_per_page:.2} ms per page, median {median_ms:.2} ms, on one core (decode + clean; {} pages, {:.1} MB)",
            pages.len(),
            bytes_in as f64 / 1e6
        );
        if site_pages > 0 {
            println!(
                "site scope {site_pages} pages cleaned with their site's other pages (--no-site: each alone); observing them took {:.0} ms",
                observing.as_secs_f64() * 1e3
            );
        }
    }
    Ok(())
}
