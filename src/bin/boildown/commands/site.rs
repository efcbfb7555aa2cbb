//! `boildown site learn` and `boildown site show`: build a site model from pages, save
//! it, and list each site's template for review.

use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use boildown::{Format, Page, SiteBudget, SiteModel};

use crate::args::FormatArg;
use crate::dataset::read_page;

#[derive(clap::Subcommand)]
pub enum SiteCommand {
    /// Observe pages and save (or add to) a site model.
    Learn(LearnArgs),
    /// List each site of a model: its pages and its template blocks with their page
    /// counts, for a person to review.
    Show(ShowArgs),
}

#[derive(clap::Args)]
pub struct LearnArgs {
    /// Page files (HTML, or what `--format` says).
    pages: Vec<PathBuf>,
    /// Also every page under this folder: a dataset of the evaluation format (a
    /// `pages.jsonl` naming each page's site and its `html/*.html.gz`), or a tree of
    /// files whose first folder under DIR is the site (`DIR/example.org/a.html`).
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// The model file: read first if it exists, then written anew (atomically: a
    /// temporary file beside it, then a rename).
    #[arg(long, value_name = "FILE")]
    model: PathBuf,
    /// The site of every page given (else the page's `<link rel=canonical>` or
    /// `og:url`, else its folder under `--from`).
    #[arg(long, value_name = "HOST")]
    site: Option<String>,
    /// What the pages are (`auto` sniffs each, as `clean` does).
    #[arg(long, value_enum, default_value_t = FormatArg::Html)]
    format: FormatArg,
    /// Tracked blocks per site before the least seen are forgotten.
    #[arg(long, value_name = "N", default_value_t = SiteBudget::default().blocks_per_site)]
    budget: usize,
    /// Threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The model file.
    model: PathBuf,
    /// Only this site.
    #[arg(long, value_name = "HOST")]
    site: Option<String>,
    /// Only blocks on at least this many pages.
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_pages: u32,
    /// At most this many blocks per site (0: all).
    #[arg(long, value_name = "N", default_value_t = 40)]
    limit: usize,
}

pub fn run(command: SiteCommand) -> Result<(), String> {
    match command {
        SiteCommand::Learn(args) => learn(args),
        SiteCommand::Show(args) => show(args),
    }
}

/// Reads a model file.
pub fn load(path: &Path) -> Result<SiteModel, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    SiteModel::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a model file atomically: a temporary file in the same folder, then a rename,
/// so a reader never sees half a model and a crash leaves the old one.
pub fn save(model: &SiteModel, path: &Path) -> Result<(), String> {
    let bytes = model.to_bytes();
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = fs::File::create(&tmp).and_then(|mut f| {
        std::io::Write::write_all(&mut f, &bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}

/// A page to observe: where its bytes are and its site, if known yet.
struct Job {
    path: PathBuf,
    gzip: bool,
    site: Option<String>,
}

fn learn(args: LearnArgs) -> Result<(), String> {
    let budget = SiteBudget::default().with_blocks_per_site(args.budget);
    let model = if args.model.exists() {
        let bytes = fs::read(&args.model)
            .map_err(|e| format!("cannot read {}: {e}", args.model.display()))?;
        SiteModel::from_bytes_with_budget(&bytes, budget)
            .map_err(|e| format!("{}: {e}", args.model.display()))?
    } else {
        SiteModel::with_budget(budget)
    };
    let mut jobs: Vec<Job> = args
        .pages
        .iter()
        .map(|p| Job {
            path: p.clone(),
            gzip: p.extension().is_some_and(|e| e == "gz"),
            site: args.site.clone(),
        })
        .collect();
    if let Some(dir) = &args.from {
        jobs.extend(jobs_under(dir, args.site.as_deref())?);
    }
    if jobs.is_empty() {
        return Err("no pages: give page files or --from DIR".into());
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 256);
    let next = AtomicUsize::new(0);
    let (done, read) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let started = std::time::Instant::now();
    let results: Vec<Result<(usize, usize), String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<(usize, usize), String> {
                    let (mut new, mut bytes) = (0, 0);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            return Ok((new, bytes));
                        };
                        let raw = read_page(&job.path, job.gzip)?;
                        bytes += raw.len();
                        read.fetch_add(raw.len(), Ordering::Relaxed);
                        let page = Page::from_bytes(&raw).with_format(args.format.into());
                        let found;
                        let site = match job.site.as_deref() {
                            Some(site) => site,
                            // An HTML page may name its site (its canonical URL).
                            None if page.format() == Format::Html => {
                                let decoded = boildown::decode_html(&raw, None);
                                found =
                                    page_host(&decoded.text).ok_or_else(|| no_site(&job.path))?;
                                &found
                            }
                            None => return Err(no_site(&job.path)),
                        };
                        let seen = model.observe(page.with_site(site));
                        new += usize::from(seen);
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        // Progress on a terminal, every half second.
        if std::io::stderr().is_terminal() {
            while workers.iter().any(|w| !w.is_finished()) {
                std::thread::sleep(std::time::Duration::from_millis(500));
                let mb = read.load(Ordering::Relaxed) as f64 / 1e6;
                eprint!(
                    "\rboildown: {} of {} pages, {mb:.1} MB, {:.0} MB/s   ",
                    done.load(Ordering::Relaxed),
                    jobs.len(),
                    mb / started.elapsed().as_secs_f64().max(1e-9)
                );
            }
            eprint!("\r");
        }
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err("a worker panicked".into())))
            .collect()
    });
    let (mut new, mut bytes) = (0, 0);
    for r in results {
        let (n, b) = r?;
        new += n;
        bytes += b;
    }
    let seconds = started.elapsed().as_secs_f64();
    save(&model, &args.model)?;
    let memory = model.memory();
    eprintln!(
        "boildown: {} pages read ({new} new, {:.1} MB, {:.0} MB/s on {threads} threads); {} sites, {} tracked blocks ({} on 2+ pages), {:.1} bytes per tracked block; wrote {}",
        jobs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-9),
        memory.sites,
        memory.blocks,
        memory.candidates,
        memory.bytes as f64 / memory.blocks.max(1) as f64,
        args.model.display()
    );
    Ok(())
}

fn no_site(path: &Path) -> String {
    format!(
        "cannot tell the site of {}: it names no canonical URL; give --site HOST or put it under --from DIR/HOST/",
        path.display()
    )
}

/// The pages under `dir`: a dataset's `pages.jsonl`, or every file of the tree with
/// its first folder as the site.
fn jobs_under(dir: &Path, site: Option<&str>) -> Result<Vec<Job>, String> {
    let list = dir.join("pages.jsonl");
    if list.is_file() {
        let text = fs::read_to_string(&list)
            .map_err(|e| format!("cannot read {}: {e}", list.display()))?;
        let mut jobs = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| format!("{}, line {}: {e}", list.display(), i + 1))?;
            let file = v["html"]
                .as_str()
                .ok_or_else(|| format!("{}, line {}: no \"html\"", list.display(), i + 1))?;
            jobs.push(Job {
                path: dir.join(file),
                gzip: file.ends_with(".gz"),
                site: site
                    .map(str::to_owned)
                    .or_else(|| v["site"].as_str().map(str::to_owned)),
            });
        }
        return Ok(jobs);
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    Ok(files
        .into_iter()
        .map(|path| {
            let folder = path.strip_prefix(dir).ok().and_then(|rest| {
                let mut parts = rest.components();
                let first = parts.next()?;
                parts.next()?; // a folder, not a file directly under DIR
                first.as_os_str().to_str().map(str::to_owned)
            });
            Job {
                gzip: path.extension().is_some_and(|e| e == "gz"),
                site: site.map(str::to_owned).or(folder),
                path,
            }
        })
        .collect())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if kind.is_dir() {
            walk(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// The host of a page's `<link rel=canonical href>` or `<meta property=og:url>`,
/// lowercased, without `www.`: a light scan of the first 64 KiB, not a parse.
pub fn page_host(html: &str) -> Option<String> {
    let mut end = html.len().min(64 * 1024);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    for tag_start in lower.match_indices('<').map(|(i, _)| i) {
        let tag_end = lower[tag_start..]
            .find('>')
            .map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        let url_attr = if tag.starts_with("<link")
            && attr(tag, "rel").is_some_and(|r| r == "canonical")
        {
            "href"
        } else if tag.starts_with("<meta") && attr(tag, "property").is_some_and(|p| p == "og:url") {
            "content"
        } else {
            continue;
        };
        if let Some(host) = attr(tag, url_attr).and_then(|url| boildown::site_key(&url)) {
            return Some(host);
        }
    }
    None
}

/// An attribute's value in a lowercased tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().last();
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_owned(),
        });
    }
    None
}

fn show(args: ShowArgs) -> Result<(), String> {
    let model = load(&args.model)?;
    let sites = match &args.site {
        Some(site) => vec![site.clone()],
        None => model.sites(),
    };
    let memory = model.memory();
    println!(
        "{}: {} sites, {} tracked blocks ({} on 2+ pages), {:.1} bytes per tracked block",
        args.model.display(),
        memory.sites,
        memory.blocks,
        memory.candidates,
        memory.bytes as f64 / memory.blocks.max(1) as f64
    );
    for site in &sites {
        let pages = model.pages(site);
        let template = model.template(site, args.min_pages);
        println!(
            "\n{site}: {pages} pages, {} template blocks on {}+ pages",
            template.len(),
            args.min_pages.max(2)
        );
        let limit = if args.limit == 0 {
            usize::MAX
        } else {
            args.limit
        };
        for block in template.iter().take(limit) {
            let text = block.text.as_deref().map_or_else(
                || format!("(text not kept; fingerprint {})", block.fingerprint),
                |t| t.split_whitespace().collect::<Vec<_>>().join(" "),
            );
            println!("  {:>5}/{pages}  {text}", block.pages);
        }
        if template.len() > limit {
            println!("  … {} more (--limit 0 shows all)", template.len() - limit);
        }
    }
    if args.site.is_some() && model.pages(&sites[0]) == 0 {
        return Err(format!("{} is not in the model", sites[0]));
    }
    Ok(())
}
