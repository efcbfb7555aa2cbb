//! The inputs of a corpus run, by path: WARC files (`.warc`, `.warc.gz`, `.warc.zst`,
//! and Common Crawl's WET text extracts `.wet`, `.wet.gz`, `.wet.zst`), JSONL files
//! (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`), folders (read recursively, in the byte order of
//! their paths: the files above and saved pages, `.html`, `.htm`, optionally `.gz`), and
//! `-` for JSONL on standard input. Compression is sniffed from the bytes, whatever the
//! extension says.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::compression::Decompressed;
use crate::document::{Document, DocumentFormat, Item, Position};
use crate::jsonl::{Fields, Rows};
use crate::warc::Records;

/// What an input file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// WARC (or WET) records.
    Warc,
    /// JSONL rows.
    Jsonl,
    /// One saved HTML page.
    Html,
}

impl InputKind {
    /// The kind of a file by its name, if it is one of the inputs.
    pub fn of(path: &Path) -> Option<InputKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = [".gz", ".zst"]
            .iter()
            .find_map(|ext| name.strip_suffix(ext))
            .unwrap_or(&name);
        if name.ends_with(".warc") || name.ends_with(".wet") || name.ends_with(".arc.warc") {
            Some(InputKind::Warc)
        } else if name.ends_with(".jsonl") {
            Some(InputKind::Jsonl)
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            Some(InputKind::Html)
        } else {
            None
        }
    }
}

/// One input: a file and what it holds, or standard input (JSONL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path (`-` for standard input).
    pub path: PathBuf,
    /// What it holds.
    pub kind: InputKind,
}

impl Input {
    /// How many bytes it has (for progress), if known.
    pub fn size(&self) -> Option<u64> {
        (self.path != Path::new("-"))
            .then(|| std::fs::metadata(&self.path).ok().map(|m| m.len()))
            .flatten()
    }
}

/// The inputs that `paths` name, folders expanded (recursively, sorted by path), in
/// order. A path that is neither an input file, a folder nor `-` is an error naming it;
/// a folder's other files are left out.
pub fn expand(paths: &[PathBuf]) -> io::Result<Vec<Input>> {
    let mut out = Vec::new();
    for path in paths {
        if path == Path::new("-") {
            out.push(Input {
                path: path.clone(),
                kind: InputKind::Jsonl,
            });
        } else if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            out.extend(
                files
                    .into_iter()
                    .filter_map(|path| InputKind::of(&path).map(|kind| Input { path, kind })),
            );
        } else if let Some(kind) = InputKind::of(path) {
            out.push(Input {
                path: path.clone(),
                kind,
            });
        } else if path.exists() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: not an input (.warc, .wet, .jsonl, .html, .htm, optionally .gz or .zst; a folder; -)",
                    path.display()
                ),
            ));
        } else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no such file or folder", path.display()),
            ));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// How the items of an input are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// JSONL field names.
    pub fields: Fields,
    /// The largest record, row or page read, in bytes.
    pub max_page_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            fields: Fields::default(),
            max_page_bytes: crate::warc::DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// The items of one input, in order. An input that cannot be opened gives one reject.
pub fn items(input: &Input, options: &ReadOptions) -> Box<dyn Iterator<Item = Item> + Send> {
    items_counted(input, options, None)
}

/// [`items`], adding to `read` the bytes read from the file as they are read (before
/// decompression, so that they can be compared with [`Input::size`]): progress.
pub fn items_counted(
    input: &Input,
    options: &ReadOptions,
    read: Option<Arc<AtomicU64>>,
) -> Box<dyn Iterator<Item = Item> + Send> {
    match open(input, options, read) {
        Ok(items) => items,
        Err(e) => Box::new(std::iter::once(Item::Rejected {
            position: Position::Offset(0),
            reason: format!("unreadable: {e}"),
        })),
    }
}

fn open(
    input: &Input,
    options: &ReadOptions,
    read: Option<Arc<AtomicU64>>,
) -> io::Result<Box<dyn Iterator<Item = Item> + Send>> {
    let reader: Box<dyn Read + Send> = if input.path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(&input.path)?)
    };
    let reader: Box<dyn Read + Send> = match read {
        Some(read) => Box::new(Counted {
            inner: reader,
            read,
        }),
        None => reader,
    };
    let stream = Decompressed::new(reader)?;
    Ok(match input.kind {
        InputKind::Warc => Box::new(
            Records::new(stream)
                .with_max_record_bytes(options.max_page_bytes)
                .map(|r| r.map_or_else(Item::from, Item::from_record)),
        ),
        InputKind::Jsonl => Box::new(
            Rows::new(stream, options.fields.clone())
                .with_max_line_bytes(usize::try_from(options.max_page_bytes).unwrap_or(usize::MAX)),
        ),
        InputKind::Html => {
            let mut body = Vec::new();
            let read = stream
                .take(options.max_page_bytes + 1)
                .read_to_end(&mut body);
            let item = match read {
                Err(e) => Item::Rejected {
                    position: Position::Offset(0),
                    reason: format!("unreadable: {e}"),
                },
                Ok(_) if body.len() as u64 > options.max_page_bytes => Item::Rejected {
                    position: Position::Offset(0),
                    reason: format!("a page over {} bytes", options.max_page_bytes),
                },
                Ok(_) => {
                    let mut document =
                        Document::new(Position::Offset(0), DocumentFormat::Html, body);
                    document.id = Some(input.path.display().to_string());
                    Item::Document(document)
                }
            };
            Box::new(std::iter::once(item))
        }
    })
}

/// A reader that adds the bytes it reads to a shared counter.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        for (name, kind) in [
            ("CC-MAIN-1.warc.gz", Some(InputKind::Warc)),
            ("x.WET.gz", Some(InputKind::Warc)),
            ("x.warc.zst", Some(InputKind::Warc)),
            ("dump.jsonl.zst", Some(InputKind::Jsonl)),
            ("page.htm", Some(InputKind::Html)),
            ("page.html.gz", Some(InputKind::Html)),
            ("notes.txt", None),
            ("x.gz", None),
        ] {
            assert_eq!(InputKind::of(Path::new(name)), kind, "{name}");
        }
    }

    #[test]
    fn folders_expand_in_path_order_and_bad_paths_are_errors() {
        let dir =
            std::env::temp_dir().join(format!("boildown-corpus-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b")).unwrap();
        for name in ["b/2.html", "a.jsonl", "b/1.warc.gz", "skip.txt"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let inputs = expand(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<String> = inputs
            .iter()
            .map(|i| i.path.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.jsonl", "b/1.warc.gz", "b/2.html"]);
        assert!(expand(&[dir.join("skip.txt")])
            .unwrap_err()
            .to_string()
            .contains("not an input"));
        assert!(expand(&[dir.join("nothing")])
            .unwrap_err()
            .to_string()
            .contains("no such file"));
        let page = Input {
            path: dir.join("b/2.html"),
            kind: InputKind::Html,
        };
        std::fs::write(&page.path, "<p>saved</p>").unwrap();
        let read: Vec<Item> = items(&page, &ReadOptions::default()).collect();
        assert!(matches!(&read[..], [Item::Document(d)] if d.body() == b"<p>saved</p>"));
        let gone = Input {
            path: dir.join("gone.warc"),
            kind: InputKind::Warc,
        };
        let items: Vec<Item> = items(&gone, &ReadOptions::default()).collect();
        assert!(
            matches!(&items[..], [Item::Rejected { reason, .. }] if reason.starts_with("unreadable"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
