//! The corpus command's work on one input file, for the Spark job (python/boildown/
//! spark.py), one call per file with the GIL released and the results packed into
//! bytes (no Python object per page): `CorpusJob.prepare_file` reads a file into its
//! prepared pages and partial site models (stage 1), `CorpusJob.finish_file` decides
//! its pages with the merged models into the rows of `boildown corpus`, with their
//! MinHash band keys and shingles packed per partition of the near-duplicate stage
//! (stage 2, and near.rs for stage 3), and `CorpusJob.write_part` writes its rows, with
//! `dup_of`, as one Parquet file (stage 4). Each is a pure function of its inputs: a
//! retried task gives the same results.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use boildown::corpus::parquet::ParquetRows;
use boildown::corpus::{self, Cleaning, SiteKey};
use boildown::SiteBudget;
use boildown_corpus::minhash::{jaccard as jaccard_of, MinHashParams, MinHasher, Scheme};
use boildown_corpus::{items, Document, Item, ReadOptions};

use crate::cleaning::Cleaner;
use crate::near::{put_framed, put_shingles, unpack, Reader};
use crate::options::{boolean, fraction, optional_string, whole_in};
use crate::reading::{input, position, read_options};
use crate::site::load;
use crate::Error;

/// The options of a corpus run, as `boildown corpus` takes them (keyword arguments
/// named as its flags, `-` as `_`; the cleaner's options beside them).
#[pyclass(frozen, module = "boildown")]
pub struct CorpusJob {
    cleaner: boildown::Cleaner,
    site_key: SiteKey,
    /// False: `--no-sites`.
    sites: bool,
    report: bool,
    /// `None`: `--no-dedup`.
    hasher: Option<MinHasher>,
    read: ReadOptions,
    budget: SiteBudget,
}

/// The keyword arguments of `CorpusJob`, beside the cleaner's options.
const JOB_KEYS: [&str; 16] = [
    "site_key",
    "sites",
    "report",
    "dedup",
    "shingle",
    "bands",
    "rows",
    "threshold",
    "scheme",
    "site_budget",
    "id_field",
    "url_field",
    "html_field",
    "text_field",
    "max_page_bytes",
    "pages_per_site",
];

#[pymethods]
impl CorpusJob {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, PyDict>>) -> PyResult<CorpusJob> {
        let py_options = |keys: &[&str]| -> PyResult<Option<Bound<'_, PyDict>>> {
            let Some(options) = options else {
                return Ok(None);
            };
            let out = PyDict::new(options.py());
            for (k, v) in options.iter() {
                if keys.contains(&k.extract::<String>()?.as_str()) {
                    out.set_item(k, v)?;
                }
            }
            Ok(Some(out))
        };
        let get = |key: &str| -> Option<Bound<'_, PyAny>> {
            options
                .and_then(|o| o.get_item(key).ok().flatten())
                .filter(|v| !v.is_none())
        };
        if let Some(options) = options {
            for k in options.keys() {
                let k: String = k.extract()?;
                if !JOB_KEYS.contains(&k.as_str()) && !crate::options::KEYS.contains(&k.as_str()) {
                    let mut known: Vec<&str> = JOB_KEYS.to_vec();
                    known.extend(crate::options::KEYS);
                    return Err(crate::options::unknown("option", &k, &known));
                }
            }
        }
        let cleaner = Cleaner::from_options(py_options(&crate::options::KEYS)?.as_ref())?;
        let site_key = match optional_string("site_key", get("site_key").as_ref())?.as_deref() {
            None | Some("host") => SiteKey::Host,
            Some("domain") => SiteKey::Domain,
            Some(other) => {
                return Err(Error::new_err(format!(
                    "unknown `site_key` {other:?}: expected \"host\" or \"domain\""
                )))
            }
        };
        let flag = |key: &str, default: bool| -> PyResult<bool> {
            get(key).map_or(Ok(default), |v| boolean(key, &v))
        };
        let count = |key: &str, default: usize| -> PyResult<usize> {
            get(key).map_or(Ok(default), |v| {
                whole_in(key, &v, u32::MAX.into()).map(|n| n as usize)
            })
        };
        let chosen = MinHashParams::CHOSEN;
        let params = MinHashParams {
            shingle: count("shingle", chosen.shingle)?,
            bands: count("bands", chosen.bands)?,
            rows: count("rows", chosen.rows)?,
            threshold: get("threshold")
                .map_or(Ok(chosen.threshold), |v| fraction("threshold", &v))?,
            scheme: match optional_string("scheme", get("scheme").as_ref())?.as_deref() {
                None | Some("one-permutation") => Scheme::OnePermutation,
                Some("permutations") => Scheme::Permutations,
                Some(other) => {
                    return Err(Error::new_err(format!(
                    "unknown `scheme` {other:?}: expected \"one-permutation\" or \"permutations\""
                )))
                }
            },
        };
        if params.shingle == 0 || params.bands == 0 || params.rows == 0 {
            return Err(Error::new_err(
                "`shingle`, `bands` and `rows` must be at least 1",
            ));
        }
        let budget = SiteBudget::default()
            .with_blocks_per_site(count("site_budget", SiteBudget::default().blocks_per_site)?)
            .with_pages_per_site(count(
                "pages_per_site",
                SiteBudget::default().pages_per_site,
            )?);
        Ok(CorpusJob {
            cleaner,
            site_key,
            sites: flag("sites", true)?,
            report: flag("report", false)?,
            hasher: flag("dedup", true)?.then(|| MinHasher::new(params)),
            read: read_options(
                get("id_field").as_ref(),
                get("url_field").as_ref(),
                get("html_field").as_ref(),
                get("text_field").as_ref(),
                get("max_page_bytes").as_ref(),
            )?,
            budget,
        })
    }

    /// Whether site models are learned (`sites=False`: each page cleaned alone).
    #[getter]
    fn sites(&self) -> bool {
        self.sites
    }

    /// Whether near-duplicates are looked for.
    #[getter]
    fn dedup(&self) -> bool {
        self.hasher.is_some()
    }

    /// The site budget: `{"blocks_per_site", "pages_per_site"}`.
    #[getter]
    fn budget<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("blocks_per_site", self.budget.blocks_per_site)?;
        d.set_item("pages_per_site", self.budget.pages_per_site)?;
        Ok(d)
    }

    /// How many documents of a bucket a later document of it is compared with.
    #[getter]
    fn max_comparisons(&self) -> usize {
        boildown_corpus::minhash::MAX_COMPARISONS
    }

    /// The near-duplicate threshold (Jaccard similarity of shingles).
    #[getter]
    fn threshold(&self) -> f64 {
        self.hasher.as_ref().map_or(1.0, |h| h.params().threshold)
    }

    /// Stage 1: reads one input file, counting its records as `boildown corpus` does,
    /// and folds its pages into partial site models; with `keep`, prepares each page as
    /// far as it goes without its site's complete model (as the corpus command's first
    /// pass does). Returns `(summary, pages)`: `summary` a dict of `documents`,
    /// `records`, `page_bytes`, `skipped` (kind → count), `rejects` (a list of
    /// `(position_kind, position, reason)`), `readable` (a record was read),
    /// `extra_names` (the passed-through fields, in the order they first appear) and
    /// `models` (`(site, snapshot)` of partial models, sorted by site); `pages` the
    /// prepared pages, packed, for `finish_file` (empty without `keep`).
    fn prepare_file<'py>(
        &self,
        py: Python<'py>,
        path: std::path::PathBuf,
        keep: bool,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyBytes>)> {
        let input = input(path)?;
        let (state, rejects, models, pages) = py.detach(|| {
            let mut state = PrepareState::default();
            let mut rejects = Vec::new();
            let mut pages = Vec::new();
            let model = boildown::SiteModel::partial(self.budget);
            let cleaning = Cleaning {
                cleaner: &self.cleaner,
                model: empty_model(),
                site_key: self.site_key,
                report: false,
            };
            for item in items(&input, &self.read) {
                match state.count(item) {
                    Counted::Document(document, k) if keep => {
                        let kept = catch_unwind(AssertUnwindSafe(|| self.keep(&model, &document)));
                        match kept {
                            Ok((bytes, extra)) => {
                                note_names(&mut state.extra_names, &extra);
                                put_framed(&mut pages, k, &bytes);
                            }
                            Err(payload) => {
                                let (kind, at) = position(document.position);
                                let reason = crate::panicked("preparing", payload).to_string();
                                rejects.push((kind, at, reason));
                            }
                        }
                    }
                    Counted::Document(document, _) => {
                        if !document.extra.is_empty() {
                            note_names(&mut state.extra_names, &cleaning.meta(&document, 0).extra);
                        }
                        // A page that cannot be observed (a bug) is cleaned, and
                        // rejected, in stage 2.
                        if self.sites {
                            if let Ok(Some(observation)) = catch_unwind(AssertUnwindSafe(|| {
                                corpus::observe(&document, self.site_key)
                            })) {
                                model.add(&observation);
                            }
                        }
                    }
                    Counted::Reject(kind, at, reason) => rejects.push((kind, at, reason)),
                    Counted::Other => {}
                }
            }
            (state, rejects, snapshots(model), pages)
        });
        let out = state.into_dict(py, models)?;
        out.set_item("rejects", rejects)?;
        Ok((out, PyBytes::new(py, &pages)))
    }

    /// Stage 2: the rows of one input file, each page decided with its sites' models
    /// (`models`: snapshots of complete models, one per site; none: an empty model).
    /// `source` is `prepare_file`'s pages, or the file's path (read and cleaned again:
    /// with `report`). Documents are numbered from `first` (the run's count of
    /// documents before this file, plus one: a document without an id is `#N`).
    ///
    /// Returns a dict: `rows` (packed, for `write_part` and `row_ids`), `keys` and
    /// `shingles` (one packed part per partition of stage 3, `parts` of them: band keys
    /// by `key % parts`, the shingles of documents with keys by `document % parts`),
    /// `rejects` (pages that could not be cleaned: a bug, caught), `cleaned` (rows),
    /// `text_bytes`, and `stats` (the sums of the rows' six counts).
    fn finish_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
        models: Vec<Vec<u8>>,
        first: u64,
        parts: u64,
    ) -> PyResult<Bound<'py, PyDict>> {
        if parts == 0 {
            return Err(Error::new_err("`parts` must be at least 1"));
        }
        enum Source {
            Pages(Vec<u8>),
            Path(boildown_corpus::Input),
        }
        let source = match source.cast::<PyBytes>() {
            Ok(bytes) => Source::Pages(bytes.as_bytes().to_vec()),
            Err(_) => Source::Path(input(source.extract()?)?),
        };
        let budget = self.budget;
        let done = py.detach(|| -> PyResult<Finished> {
            let merged;
            let model = if models.is_empty() {
                empty_model()
            } else {
                merged = boildown::SiteModel::with_budget(budget);
                for snapshot in &models {
                    merged.merge(&load(snapshot, budget)?);
                }
                &merged
            };
            let mut out = Finished::new(parts);
            match &source {
                Source::Pages(pages) => {
                    let mut r = Reader::new(pages);
                    while !r.is_empty() {
                        let (k, body) = r.framed()?;
                        let kept: Kept = postcard::from_bytes(body)
                            .map_err(|e| Error::new_err(format!("not a prepared page: {e}")))?;
                        out.add(self.finish(model, kept, first + k));
                    }
                }
                Source::Path(input) => {
                    let mut number = first;
                    for item in items(input, &self.read) {
                        if let Item::Document(document) = item {
                            out.add(self.make(model, &document, number));
                            number += 1;
                        }
                        // Skipped and rejected records: counted and listed by stage 1.
                    }
                }
            }
            Ok(out)
        })?;
        done.into_dict(py)
    }

    /// The ids of the rows of these numbers, from `finish_file`'s `rows`, as
    /// `(number, id)` (numbers not among them are left out).
    fn row_ids(
        &self,
        py: Python<'_>,
        rows: &[u8],
        numbers: Vec<u64>,
    ) -> PyResult<Vec<(u64, String)>> {
        py.detach(|| {
            let wanted: std::collections::HashSet<u64> = numbers.into_iter().collect();
            let mut out = Vec::new();
            let mut r = Reader::new(rows);
            while !r.is_empty() {
                let (number, body) = r.framed()?;
                if wanted.contains(&number) {
                    let (id, _): (String, _) = postcard::take_from_bytes(body)
                        .map_err(|e| Error::new_err(format!("not a packed row: {e}")))?;
                    out.push((number, id));
                }
            }
            Ok(out)
        })
    }

    /// Stage 4: writes one file's rows (`finish_file`'s `rows`), in order, as the
    /// Parquet file `path` (written beside it under a hidden name, then renamed: a
    /// retried task leaves one whole file). `dups` gives `(number, id of its cluster's
    /// earliest)` for the rows that are near-duplicates; with `drop_dups` they are left
    /// out. Returns the rows written.
    #[pyo3(signature = (rows, dups, extra_names, path, *, drop_dups = false))]
    fn write_part(
        &self,
        py: Python<'_>,
        rows: &[u8],
        dups: Vec<(u64, String)>,
        extra_names: Vec<String>,
        path: std::path::PathBuf,
        drop_dups: bool,
    ) -> PyResult<u64> {
        let report = self.report;
        py.detach(|| -> PyResult<u64> {
            let fail = |e: &dyn std::fmt::Display| {
                Error::new_err(format!("cannot write {}: {e}", path.display()))
            };
            let dups: HashMap<u64, String> = dups.into_iter().collect();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("part");
            let unique = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let temp = path.with_file_name(format!(".{name}.{}.{unique}.tmp", std::process::id()));
            let file = std::fs::File::create(&temp).map_err(|e| fail(&e))?;
            let written = (|| -> PyResult<u64> {
                let out = std::io::BufWriter::with_capacity(1 << 20, file);
                let mut sink = ParquetRows::new(out, &extra_names, report).map_err(|e| fail(&e))?;
                let mut written = 0;
                let mut r = Reader::new(rows);
                while !r.is_empty() {
                    let (number, body) = r.framed()?;
                    let stored: Stored = postcard::from_bytes(body)
                        .map_err(|e| Error::new_err(format!("not a packed row: {e}")))?;
                    let dup = dups.get(&number).map(String::as_str);
                    if dup.is_some() && drop_dups {
                        continue;
                    }
                    sink.push(&stored.into_row(), dup).map_err(|e| fail(&e))?;
                    written += 1;
                }
                let mut out = sink.finish().map_err(|e| fail(&e))?;
                out.flush().map_err(|e| fail(&e))?;
                out.get_ref().sync_all().map_err(|e| fail(&e))?;
                Ok(written)
            })();
            match written {
                Ok(n) => {
                    std::fs::rename(&temp, &path).map_err(|e| fail(&e))?;
                    Ok(n)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&temp);
                    Err(e)
                }
            }
        })
    }
}

/// A reject's reason as the run's summary counts it (`boildown corpus --stats`):
/// digits as `N`, details after a colon left out.
#[pyfunction]
pub fn reason_class(reason: &str) -> String {
    corpus::reason_class(reason)
}

/// The Jaccard similarity of two documents' shingles (4 bytes each, little-endian).
#[pyfunction]
pub fn jaccard(a: &[u8], b: &[u8]) -> f64 {
    jaccard_of(&unpack(a), &unpack(b))
}

/// A row as the workers make it.
enum Made {
    Row(u64, Box<corpus::Row>, Vec<u64>, Vec<u8>),
    Reject(&'static str, u64, String),
}

fn empty_model() -> &'static boildown::SiteModel {
    static EMPTY: OnceLock<boildown::SiteModel> = OnceLock::new();
    EMPTY.get_or_init(boildown::SiteModel::new)
}

impl CorpusJob {
    /// A row with its band keys and shingles (none without near-duplicates).
    fn sketched(&self, row: corpus::Row) -> (corpus::Row, Vec<u64>, Vec<u8>) {
        match &self.hasher {
            Some(hasher) => {
                let sketch = hasher.sketch(&corpus::words(&row.text));
                let keys = hasher.band_keys(&sketch.signature);
                let bytes = sketch
                    .shingles
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect();
                (row, keys, bytes)
            }
            None => (row, Vec::new(), Vec::new()),
        }
    }

    /// A document cleaned in one step (stage 2 of a file read again).
    fn make(&self, model: &boildown::SiteModel, document: &Document, number: u64) -> Made {
        let cleaning = Cleaning {
            cleaner: &self.cleaner,
            model,
            site_key: self.site_key,
            report: self.report,
        };
        let made = catch_unwind(AssertUnwindSafe(|| {
            self.sketched(cleaning.row(document, number))
        }));
        match made {
            Ok((row, keys, shingles)) => Made::Row(number, Box::new(row), keys, shingles),
            Err(payload) => {
                let message = crate::panicked("cleaning", payload).to_string();
                let (kind, at) = position(document.position);
                Made::Reject(kind, at, message)
            }
        }
    }

    /// A prepared page decided with its site's complete model.
    fn finish(&self, model: &boildown::SiteModel, kept: Kept, number: u64) -> Made {
        let cleaning = Cleaning {
            cleaner: &self.cleaner,
            model,
            site_key: self.site_key,
            report: false,
        };
        let row = corpus::Row {
            id: corpus::id_or_number(kept.id, number),
            url: kept.url,
            site: kept.site,
            extra: kept.extra,
            ..corpus::Row::default()
        };
        let finished = catch_unwind(AssertUnwindSafe(|| {
            self.sketched(cleaning.finish(row, &kept.prepared))
        }));
        match finished {
            Ok((row, keys, shingles)) => Made::Row(number, Box::new(row), keys, shingles),
            Err(payload) => {
                let reason = crate::panicked("cleaning", payload).to_string();
                Made::Reject(kind_name(kept.position.0), kept.position.1, reason)
            }
        }
    }

    /// A document prepared (and counted into the file's partial model), as bytes.
    fn keep(
        &self,
        model: &boildown::SiteModel,
        document: &Document,
    ) -> (Vec<u8>, Vec<(String, String)>) {
        let cleaning = Cleaning {
            cleaner: &self.cleaner,
            model,
            site_key: self.site_key,
            report: false,
        };
        let (row, prepared) = cleaning.prepare(document, 0);
        if self.sites {
            if let Some(observation) = prepared.observation() {
                model.add(&observation);
            }
        }
        let position = match document.position {
            boildown_corpus::Position::Offset(n) => (0, n),
            boildown_corpus::Position::Line(n) => (1, n),
        };
        let kept = Kept {
            id: document.id.clone(),
            url: row.url,
            site: row.site,
            extra: row.extra,
            position,
            prepared,
        };
        let bytes = postcard::to_stdvec(&kept).expect("a prepared page serializes");
        (bytes, kept.extra)
    }
}

/// What `finish_file` makes of a file.
struct Finished {
    parts: u64,
    rows: Vec<u8>,
    keys: Vec<Vec<u8>>,
    shingles: Vec<Vec<u8>>,
    rejects: Vec<(&'static str, u64, String)>,
    cleaned: u64,
    text_bytes: u64,
    stats: corpus::RowStats,
}

impl Finished {
    fn new(parts: u64) -> Finished {
        Finished {
            parts,
            rows: Vec::new(),
            keys: vec![Vec::new(); parts as usize],
            shingles: vec![Vec::new(); parts as usize],
            rejects: Vec::new(),
            cleaned: 0,
            text_bytes: 0,
            stats: corpus::RowStats::default(),
        }
    }

    fn add(&mut self, made: Made) {
        match made {
            Made::Row(number, row, keys, shingles) => {
                self.cleaned += 1;
                self.text_bytes += row.text.len() as u64;
                self.stats.add(&row.stats);
                for key in &keys {
                    let part = &mut self.keys[(key % self.parts) as usize];
                    part.extend_from_slice(&key.to_le_bytes());
                    part.extend_from_slice(&number.to_le_bytes());
                }
                if !keys.is_empty() {
                    put_shingles(
                        &mut self.shingles[(number % self.parts) as usize],
                        number,
                        &shingles,
                    );
                }
                let body = postcard::to_stdvec(&Stored::of(*row)).expect("a row serializes");
                put_framed(&mut self.rows, number, &body);
            }
            Made::Reject(kind, at, reason) => self.rejects.push((kind, at, reason)),
        }
    }

    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        let many = |parts: &[Vec<u8>]| -> Vec<Bound<'_, PyBytes>> {
            parts.iter().map(|p| PyBytes::new(py, p)).collect()
        };
        d.set_item("rows", PyBytes::new(py, &self.rows))?;
        d.set_item("keys", many(&self.keys))?;
        d.set_item("shingles", many(&self.shingles))?;
        d.set_item("rejects", self.rejects)?;
        d.set_item("cleaned", self.cleaned)?;
        d.set_item("text_bytes", self.text_bytes)?;
        d.set_item("stats", self.stats.values().to_vec())?;
        Ok(d)
    }
}

/// A row as stage 2 packs it for stage 4 (its id first: `row_ids` reads only that).
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    id: String,
    url: Option<String>,
    site: Option<String>,
    title: Option<String>,
    /// `html` or `text`.
    format: String,
    text: String,
    stats: corpus::RowStats,
    extra: Vec<(String, String)>,
    report: Option<String>,
}

impl Stored {
    fn of(row: corpus::Row) -> Stored {
        Stored {
            id: row.id,
            url: row.url,
            site: row.site,
            title: row.title,
            format: row.format.to_owned(),
            text: row.text,
            stats: row.stats,
            extra: row.extra,
            report: row.report,
        }
    }

    fn into_row(self) -> corpus::Row {
        corpus::Row {
            id: self.id,
            url: self.url,
            site: self.site,
            title: self.title,
            format: if self.format == "html" {
                "html"
            } else {
                "text"
            },
            text: self.text,
            stats: self.stats,
            extra: self.extra,
            report: self.report,
        }
    }
}

/// A page as stage 1 keeps it: what its row says of it, and the page prepared.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    id: Option<String>,
    url: Option<String>,
    site: Option<String>,
    extra: Vec<(String, String)>,
    /// Where it is (0: an offset, 1: a line).
    position: (u8, u64),
    prepared: boildown::Prepared,
}

fn kind_name(kind: u8) -> &'static str {
    if kind == 0 {
        "offset"
    } else {
        "line"
    }
}

/// What stage 1 has counted of a file so far (`prepare_file`'s summary).
#[derive(Default)]
struct PrepareState {
    documents: u64,
    records: u64,
    page_bytes: u64,
    skipped: BTreeMap<String, u64>,
    readable: bool,
    /// The names of the passed-through fields, in the order they first appear.
    extra_names: Vec<String>,
}

/// What a record is to stage 1, once counted.
enum Counted {
    /// A page, and its number among the file's documents (from 0).
    Document(Box<Document>, u64),
    Reject(&'static str, u64, String),
    /// A skipped record.
    Other,
}

impl PrepareState {
    /// Counts one record as `boildown corpus` does.
    fn count(&mut self, item: Item) -> Counted {
        self.records += 1;
        match item {
            Item::Document(document) => {
                self.readable = true;
                let k = self.documents;
                self.documents += 1;
                self.page_bytes += document.body().len() as u64;
                Counted::Document(Box::new(document), k)
            }
            Item::Skipped { kind, .. } => {
                self.readable = true;
                *self.skipped.entry(kind).or_insert(0) += 1;
                Counted::Other
            }
            Item::Rejected {
                position: p,
                reason,
            } => {
                let (kind, at) = position(p);
                Counted::Reject(kind, at, reason)
            }
        }
    }

    /// The counts and the partial models, as `prepare_file` returns them (without
    /// `rejects`).
    fn into_dict(
        self,
        py: Python<'_>,
        models: Vec<(String, Vec<u8>)>,
    ) -> PyResult<Bound<'_, PyDict>> {
        let out = PyDict::new(py);
        out.set_item("documents", self.documents)?;
        out.set_item("records", self.records)?;
        out.set_item("page_bytes", self.page_bytes)?;
        out.set_item("skipped", self.skipped)?;
        out.set_item("readable", self.readable)?;
        out.set_item("extra_names", self.extra_names)?;
        let models: Vec<(String, Bound<'_, PyBytes>)> = models
            .into_iter()
            .map(|(site, bytes)| (site, PyBytes::new(py, &bytes)))
            .collect();
        out.set_item("models", models)?;
        Ok(out)
    }
}

/// A partial model's snapshots, one per site, sorted by site.
fn snapshots(model: boildown::SiteModel) -> Vec<(String, Vec<u8>)> {
    model
        .split()
        .into_iter()
        .map(|(site, m)| (site, m.to_bytes()))
        .collect()
}

/// Adds the names of a row's passed-through fields not seen yet.
fn note_names(names: &mut Vec<String>, extra: &[(String, String)]) {
    for (name, _) in extra {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
}
