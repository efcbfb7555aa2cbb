//! `boildown eval`: every page of a dataset cleaned (with its site's other pages) and
//! scored.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use boildown::{Format, Page, SiteModel};

use crate::args::ConfigArgs;
use crate::dataset::{file_name, gold_pages, read_page, GoldPage};
use crate::score;

#[derive(clap::Args)]
pub struct EvalArgs {
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

pub fn run(args: EvalArgs) -> Result<(), String> {
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
        files.push(read_page(&args.dataset.join(file), file.ends_with(".gz"))?);
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
        page: &'a GoldPage,
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
