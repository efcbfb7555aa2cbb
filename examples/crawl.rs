//! A crawler that cleans each page as it arrives, with the incremental site scope.
//!
//! A static server on 127.0.0.1 (a few lines of `std::net`: tiny_http stalled for 42 s
//! on some of the crawler's concurrent connections) serves the pages of `../shared/eval/wcxb-dev-multisite`
//! under their sites (`/<site>/<n>.html`, an index of the sites at `/` and of each
//! site's pages at `/<site>/`); the `spider` crawler crawls it from `/`, and each page
//! it delivers is cleaned on a task of the crawler's runtime with what one shared
//! `SiteModel` knows of the page's site so far, then counted in it. Each page prints a
//! line: its URL, its bytes, its kept text's bytes and how many of its blocks were
//! removed as the site's template; the end, each site's pages and template blocks.
//!
//! ```text
//! cargo run --release --features crawl-example --example crawl -- [DATASET_DIR] [SITES]
//! ```
//!
//! `SITES` (default 5) is how many of the dataset's sites to serve: the first ones in
//! file order that have three pages or more. Nothing listens or is called beyond
//! 127.0.0.1.
#[path = "../support/eval_pages.rs"]
mod eval_pages;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;

use boildown::{Cleaner, Format, Page, SiteModel};

/// The pages served, by site, in file order.
type Sites = BTreeMap<String, Vec<Vec<u8>>>;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| eval_pages::eval_dir().join("wcxb-dev-multisite"));
    let wanted: usize = args
        .next()
        .map_or(5, |n| n.parse().expect("SITES: a number"));
    let sites = sites(&dir, wanted);
    if sites.is_empty() {
        println!("no pages under {}: nothing to crawl", dir.display());
        return;
    }
    let total: usize = sites.values().map(Vec::len).sum();
    let server = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let port = server.local_addr().expect("an address").port();
    let served = Arc::new(sites);
    let pages = Arc::clone(&served);
    std::thread::spawn(move || serve(server, pages));

    let cleaner = Arc::new(Cleaner::default());
    let model = Arc::new(SiteModel::new());
    let mut website = spider::website::Website::new(&format!("http://127.0.0.1:{port}/"));
    website
        .with_respect_robots_txt(false)
        .with_limit(total as u32 + 1 + served.len() as u32)
        .with_request_timeout(Some(std::time::Duration::from_secs(60)))
        .with_retry(2);
    let mut arrivals = website.subscribe(total + 16);
    let cleaning = {
        let (cleaner, model) = (Arc::clone(&cleaner), Arc::clone(&model));
        tokio::spawn(async move {
            let mut tasks = Vec::new();
            while let Ok(page) = arrivals.recv().await {
                let url = page.get_url().to_owned();
                // Only the pages themselves; the indexes are the crawler's way in.
                let Some(site) = site_of(&url) else { continue };
                let bytes = page.get_bytes().map(<[u8]>::to_vec).unwrap_or_default();
                let (cleaner, model) = (Arc::clone(&cleaner), Arc::clone(&model));
                tasks.push(tokio::spawn(async move {
                    let page = Page::from_bytes(&bytes)
                        .with_format(Format::Html)
                        .with_site(site.as_str());
                    // With what the model knows so far, then counted: a crawler's use.
                    let cleaned = cleaner.clean(page, &*model);
                    model.observe_cleaned(&site, &cleaned);
                    let template = cleaned.stats().site_template;
                    println!(
                        "{url}\t{} bytes\tkept {} bytes\t{template} template blocks",
                        bytes.len(),
                        cleaned.text().len()
                    );
                }));
            }
            for task in tasks {
                task.await.expect("a cleaning task");
            }
        })
    };
    let started = std::time::Instant::now();
    website.crawl().await;
    eprintln!(
        "crawl: the crawler took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    website.unsubscribe();
    // The channel closes when its last sender goes, the crawler's.
    drop(website);
    cleaning.await.expect("the cleaning loop");
    for site in model.sites() {
        println!(
            "site {site}: {} of {} pages cleaned, {} template blocks on 2 pages or more",
            model.pages(&site),
            served.get(&site).map_or(0, Vec::len),
            model.template(&site, 2).len()
        );
    }
}

/// The first `wanted` sites of the dataset with three pages or more, and their pages.
fn sites(dir: &std::path::Path, wanted: usize) -> Sites {
    let mut all: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for (page, bytes) in eval_pages::pages_with(dir) {
        let Some(site) = page.site else { continue };
        match all.iter_mut().find(|(s, _)| *s == site) {
            Some((_, pages)) => pages.push(bytes),
            None => all.push((site, vec![bytes])),
        }
    }
    all.into_iter()
        .filter(|(site, pages)| pages.len() >= 3 && !site.contains('/'))
        .take(wanted)
        .collect()
}

/// A page's site: the first segment of a path `/<site>/<n>.html`.
fn site_of(url: &str) -> Option<String> {
    let path = url.split_once("://")?.1.split_once('/')?.1;
    let (site, file) = path.split_once('/')?;
    (file.ends_with(".html") && !file.starts_with("index")).then(|| site.to_owned())
}

/// Answers every connection on a thread of its own (the crawler asks several at once),
/// one request a connection: the index of sites, a site's index, a page, or 404.
fn serve(server: TcpListener, sites: Arc<Sites>) {
    for stream in server.incoming().flatten() {
        let sites = Arc::clone(&sites);
        std::thread::spawn(move || {
            if let Err(e) = answer(stream, &sites) {
                eprintln!("crawl: could not answer: {e}");
            }
        });
    }
}

fn answer(stream: TcpStream, sites: &Sites) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The request's headers, read to their end and not needed.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request
        .split(' ')
        .nth(1)
        .unwrap_or("/")
        .trim_start_matches('/');
    let body = match path.split_once('/') {
        None if path.is_empty() => Some(links(sites.keys().map(|s| format!("/{s}/index.html")))),
        Some((site, file)) => sites.get(site).and_then(|pages| {
            if file == "index.html" {
                Some(links((0..pages.len()).map(|n| format!("/{site}/{n}.html"))))
            } else {
                let n: usize = file.strip_suffix(".html")?.parse().ok()?;
                pages.get(n).cloned()
            }
        }),
        None => None,
    };
    let (status, body) = match body {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", Vec::new()),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

fn links(targets: impl Iterator<Item = String>) -> Vec<u8> {
    let items: String = targets
        .map(|t| format!("<li><a href=\"{t}\">{t}</a></li>"))
        .collect();
    format!("<!doctype html><ul>{items}</ul>").into_bytes()
}
