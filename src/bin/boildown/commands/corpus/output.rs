//! The output, by the name's extension: JSONL (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`),
//! Parquet (`.parquet`, zstd-compressed, the same columns), or JSONL on standard output
//! (`-`). A file is written to a temporary file beside it and renamed when complete, so
//! a failed run leaves no half file (and an older file of that name stays as it was).
//!
//! A row's keys, in order: `id`, `url`, `site`, `title`, `format`, `text`, `dup_of`,
//! `stats` (an object; in Parquet a struct), the passed-through fields of a JSONL input
//! as they were written (in Parquet, a string column each, holding the raw JSON value),
//! and with `--report` `report` (in Parquet, the JSON text).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use boildown::corpus::parquet::ParquetRows;

use super::rows::{Row, RowStats};

/// What the output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Jsonl,
    JsonlGz,
    JsonlZst,
    Parquet,
    Stdout,
}

impl OutputKind {
    /// The kind an output name asks for.
    pub fn of(path: &Path) -> Result<OutputKind, String> {
        if path == Path::new("-") {
            return Ok(OutputKind::Stdout);
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        [
            (".jsonl", OutputKind::Jsonl),
            (".jsonl.gz", OutputKind::JsonlGz),
            (".jsonl.zst", OutputKind::JsonlZst),
            (".parquet", OutputKind::Parquet),
        ]
        .into_iter()
        .find(|(ext, _)| name.ends_with(ext))
        .map(|(_, kind)| kind)
        .ok_or_else(|| {
            format!(
                "{}: the output must end in .jsonl, .jsonl.gz, .jsonl.zst or .parquet (or be - for standard output)",
                path.display()
            )
        })
    }
}

/// The folder where the output, and the run's temporary files, go.
pub fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        _ if path == Path::new("-") => std::env::temp_dir(),
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

type FileOut = Counting<BufWriter<File>>;

enum Sink {
    /// A file or standard output, as it is.
    Plain(Box<dyn Write>),
    Gz(flate2::write::GzEncoder<FileOut>),
    Zst(zstd::Encoder<'static, FileOut>),
    Parquet(Box<ParquetRows<FileOut>>),
}

/// An output being written.
pub struct Output {
    path: PathBuf,
    temp: Option<tempfile::TempPath>,
    sink: Sink,
    bytes: Counter,
}

/// Counts the bytes written through it.
#[derive(Clone, Default)]
struct Counter(Arc<std::sync::atomic::AtomicU64>);

struct Counting<W> {
    inner: W,
    count: Counter,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count
            .0
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Output {
    /// Starts writing `path`, with these passed-through field names (for Parquet's
    /// columns).
    pub fn create(path: &Path, extra_names: &[String], report: bool) -> Result<Output, String> {
        let kind = OutputKind::of(path)?;
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
        let bytes = Counter::default();
        let (temp, file) = if kind == OutputKind::Stdout {
            (None, None)
        } else {
            let mut builder = tempfile::Builder::new();
            builder.prefix(".boildown-");
            // A temporary file is private (0600); the output is made as any file
            // (0666 less the umask).
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            let temp = builder.tempfile_in(folder(path)).map_err(|e| fail(&e))?;
            let (file, temp) = temp.into_parts();
            (Some(temp), Some(file))
        };
        let file_out = |file: Option<File>| Counting {
            inner: BufWriter::with_capacity(1 << 20, file.expect("a file for a file output")),
            count: bytes.clone(),
        };
        let sink = match kind {
            OutputKind::Stdout => Sink::Plain(Box::new(Counting {
                inner: BufWriter::with_capacity(1 << 20, io::stdout()),
                count: bytes.clone(),
            })),
            OutputKind::Jsonl => Sink::Plain(Box::new(file_out(file))),
            OutputKind::JsonlGz => Sink::Gz(flate2::write::GzEncoder::new(
                file_out(file),
                flate2::Compression::default(),
            )),
            OutputKind::JsonlZst => {
                Sink::Zst(zstd::Encoder::new(file_out(file), 3).map_err(|e| fail(&e))?)
            }
            OutputKind::Parquet => Sink::Parquet(Box::new(
                ParquetRows::new(file_out(file), extra_names, report).map_err(|e| fail(&e))?,
            )),
        };
        Ok(Output {
            path: path.to_owned(),
            temp,
            sink,
            bytes,
        })
    }

    /// Writes a row, with the id of the row it duplicates.
    pub fn write(&mut self, row: &Row, dup_of: Option<&str>) -> Result<(), String> {
        let written = match &mut self.sink {
            Sink::Plain(out) => write_json(out, row, dup_of),
            Sink::Gz(out) => write_json(out, row, dup_of),
            Sink::Zst(out) => write_json(out, row, dup_of),
            Sink::Parquet(sink) => sink.push(row, dup_of).map_err(io::Error::other),
        };
        written.map_err(|e| self.error(&e))
    }

    fn error(&self, e: &io::Error) -> String {
        if self.temp.is_none() && e.kind() == io::ErrorKind::BrokenPipe {
            "standard output was closed".to_owned()
        } else {
            format!("cannot write {}: {e}", self.path.display())
        }
    }

    /// Completes the output (the rename, for a file); returns the bytes written.
    pub fn finish(self) -> Result<u64, String> {
        let path = self.path.clone();
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
        let finished = match self.sink {
            Sink::Plain(mut out) => out.flush(),
            Sink::Gz(out) => out.finish().and_then(|mut f| f.flush()),
            Sink::Zst(out) => out.finish().and_then(|mut f| f.flush()),
            Sink::Parquet(sink) => sink
                .finish()
                .map_err(io::Error::other)
                .and_then(|mut f| f.flush()),
        };
        finished.map_err(|e| fail(&e))?;
        if let Some(temp) = self.temp {
            temp.persist(&path).map_err(|e| fail(&e.error))?;
        }
        Ok(self.bytes.0.load(std::sync::atomic::Ordering::Relaxed))
    }
}

fn write_json(out: &mut dyn Write, row: &Row, dup_of: Option<&str>) -> io::Result<()> {
    let mut line = Vec::with_capacity(row.text.len() + 256);
    let s = |line: &mut Vec<u8>, v: Option<&str>| {
        serde_json::to_writer(line, &v).expect("strings serialize");
    };
    line.extend_from_slice(b"{\"id\":");
    s(&mut line, Some(&row.id));
    line.extend_from_slice(b",\"url\":");
    s(&mut line, row.url.as_deref());
    line.extend_from_slice(b",\"site\":");
    s(&mut line, row.site.as_deref());
    line.extend_from_slice(b",\"title\":");
    s(&mut line, row.title.as_deref());
    line.extend_from_slice(b",\"format\":");
    s(&mut line, Some(row.format));
    line.extend_from_slice(b",\"text\":");
    s(&mut line, Some(&row.text));
    line.extend_from_slice(b",\"dup_of\":");
    s(&mut line, dup_of);
    line.extend_from_slice(b",\"stats\":{");
    for (i, (name, value)) in RowStats::NAMES.iter().zip(row.stats.values()).enumerate() {
        if i > 0 {
            line.push(b',');
        }
        line.extend_from_slice(format!("\"{name}\":{value}").as_bytes());
    }
    line.push(b'}');
    for (name, value) in &row.extra {
        line.push(b',');
        s(&mut line, Some(name));
        line.push(b':');
        line.extend_from_slice(value.as_bytes());
    }
    if let Some(report) = &row.report {
        line.extend_from_slice(b",\"report\":");
        line.extend_from_slice(report.as_bytes());
    }
    line.extend_from_slice(b"}\n");
    out.write_all(&line)
}
