//! `boildown clean`: one page in, its cleaned text (or report, or HTML) out.

use std::fs;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use boildown::{Format, Page};

use crate::args::{ConfigArgs, FormatArg};
use crate::commands::site;

#[derive(clap::Args)]
pub struct CleanArgs {
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

pub fn run(args: CleanArgs) -> Result<(), String> {
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
