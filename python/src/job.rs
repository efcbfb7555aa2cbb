//! The corpus command's work on one input file, for the Spark job (python/boildown/
//! spark.py), one call per file with the GIL released and the results packed into
//! bytes or written to the executor's local files (no Python object per page):
//!
//! - `CorpusJob.prepare_file` reads a file into its prepared pages and partial site
//!   models, written to two local files (stage 1; `spilled_models` reads the models);
//! - `CorpusJob.finish_file` decides its pages with the merged models into the rows of
//!   `boildown corpus` (packed, or written to a local file), with each document's
//!   MinHash band keys, shingles and id packed per partition of the near-duplicate
//!   stage (stage 2, and near.rs for stage 3);
//! - `CorpusJob.write_part` writes its rows, with `dup_of`, as one Parquet file (stage
//!   4).
//!
//! Each is a pure function of its inputs, and each file is written whole or not at
//! all: a retried task, or one that makes again what a lost executor kept, gives the
//! same bytes.

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
    /// pass does). The models are written to the file `{spill}.models` (read back with
    /// `spilled_models`) and the prepared pages to `{spill}.pages` (for `finish_file`),
    /// each whole or not at all (written under a temporary name, then renamed), so that
    /// they stay on the machine that read them, as the command's temporary file does.
    ///
    /// Returns a dict of `documents`, `records`, `page_bytes`, `skipped` (kind → count),
    /// `rejects` (a list of `(position_kind, position, reason)`), `readable` (a record
    /// was read) and `extra_names` (the passed-through fields, in the order they first
    /// appear).
    fn prepare_file<'py>(
        &self,
        py: Python<'py>,
        path: std::path::PathBuf,
        spill: std::path::PathBuf,
        keep: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let input = input(path)?;
        let (state, rejects) = py.detach(|| -> PyResult<_> {
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
            let models = postcard::to_stdvec(&snapshots(model)).expect("models serialize");
            write_whole(&with_suffix(&spill, "models"), &models)?;
            if keep {
                write_whole(&with_suffix(&spill, "pages"), &pages)?;
            }
            Ok((state, rejects))
        })?;
        let out = state.into_dict(py)?;
        out.set_item("rejects", rejects)?;
        Ok(out)
    }

    /// The partial site models that `prepare_file` wrote to `{spill}.models`:
    /// `(site, snapshot)`, sorted by site.
    fn spilled_models<'py>(
        &self,
        py: Python<'py>,
        spill: std::path::PathBuf,
    ) -> PyResult<Vec<(String, Bound<'py, PyBytes>)>> {
        let models = py.detach(|| -> PyResult<Vec<(String, Vec<u8>)>> {
            let path = with_suffix(&spill, "models");
            let bytes = read_whole(&path)?;
            postcard::from_bytes(&bytes).map_err(|e| {
                Error::new_err(format!("{}: not a file of models: {e}", path.display()))
            })
        })?;
        Ok(models
            .into_iter()
            .map(|(site, bytes)| (site, PyBytes::new(py, &bytes)))
            .collect())
    }

    /// Stage 2: the rows of input file number `file`, each page decided with its sites'
    /// models (`models`: snapshots of complete models, one per site; none: an empty
    /// model). The pages are those `prepare_file` kept in `pages` (a spill path), or
    /// without it the input file `path` read again (with `report`, or when the spill is
    /// gone). A document is numbered `file << 32 | k`, `k` its place among the file's
    /// documents: the run's order, known without the other files' counts.
    ///
    /// Returns a dict: `parts`, one `(keys, shingles, ids)` of packed bytes per partition
    /// of stage 3 (`parts` of them: band keys by `key % parts`; the shingles and the id
    /// of each document with keys by `document % parts`), and, unless they are written
    /// to the file `rows` (whole or not at all), `rows`: the file's rows, its rejects
    /// and counts, packed for `write_part`.
    #[pyo3(signature = (path, models, file, parts, *, pages = None, rows = None))]
    #[allow(clippy::too_many_arguments)]
    fn finish_file<'py>(
        &self,
        py: Python<'py>,
        path: std::path::PathBuf,
        models: Vec<Vec<u8>>,
        file: u64,
        parts: u64,
        pages: Option<std::path::PathBuf>,
        rows: Option<std::path::PathBuf>,
    ) -> PyResult<Bound<'py, PyDict>> {
        if parts == 0 {
            return Err(Error::new_err("`parts` must be at least 1"));
        }
        if file > u64::from(u32::MAX) {
            return Err(Error::new_err("`file` must be below 2**32"));
        }
        let input = input(path)?;
        let budget = self.budget;
        let (done, packed) = py.detach(|| -> PyResult<(Finished, Option<Vec<u8>>)> {
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
            let base = file << 32;
            let mut out = Finished::new(parts, base);
            match &pages {
                Some(spill) => {
                    let pages = read_whole(spill)?;
                    let mut r = Reader::new(&pages);
                    while !r.is_empty() {
                        let (k, body) = r.framed()?;
                        let kept: Kept = postcard::from_bytes(body)
                            .map_err(|e| Error::new_err(format!("not a prepared page: {e}")))?;
                        out.add(k, self.finish(model, kept));
                    }
                }
                None => {
                    let mut k = 0;
                    for item in items(&input, &self.read) {
                        if let Item::Document(document) = item {
                            out.add(k, self.make(model, &document));
                            k += 1;
                        }
                        // Skipped and rejected records: counted and listed by stage 1.
                    }
                }
            }
            let packed = postcard::to_stdvec(&out.rows).expect("rows serialize");
            match &rows {
                Some(path) => {
                    write_whole(path, &packed)?;
                    Ok((out, None))
                }
                None => Ok((out, Some(packed))),
            }
        })?;
        let d = PyDict::new(py);
        let parts: Vec<(Bound<'_, PyBytes>, Bound<'_, PyBytes>, Bound<'_, PyBytes>)> = done
            .keys
            .iter()
            .zip(&done.shingles)
            .zip(&done.ids)
            .map(|((k, s), i)| {
                (
                    PyBytes::new(py, k),
                    PyBytes::new(py, s),
                    PyBytes::new(py, i),
                )
            })
            .collect();
        d.set_item("parts", parts)?;
        if let Some(packed) = packed {
            d.set_item("rows", PyBytes::new(py, &packed))?;
        }
        Ok(d)
    }

    /// Stage 4: writes file number `file`'s rows (`finish_file`'s `rows`, or the path of
    /// the file it wrote them to), in order, as the Parquet file `path` (written beside
    /// it under a hidden name, then renamed: a retried task leaves one whole file).
    /// `dups` are packed `(document, root, root's id)` for the file's near-duplicates
    /// (`star_round`); `firsts[f]` is the run's number of input file `f`'s first
    /// document (a document without an id is `#N`, the run's Nth). With `drop_dups`
    /// the near-duplicates are left out.
    ///
    /// Returns a dict: `written` (rows), `cleaned`, `duplicates`, `text_bytes`,
    /// `stats` (the sums of the rows' six counts) and `rejects` (pages that could not
    /// be cleaned: a bug, caught).
    #[pyo3(signature = (rows, file, dups, firsts, extra_names, path, *, drop_dups = false))]
    #[allow(clippy::too_many_arguments)]
    fn write_part<'py>(
        &self,
        py: Python<'py>,
        rows: &Bound<'py, PyAny>,
        file: usize,
        dups: Vec<Vec<u8>>,
        firsts: Vec<u64>,
        extra_names: Vec<String>,
        path: std::path::PathBuf,
        drop_dups: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        enum Source {
            Bytes(Vec<u8>),
            Path(std::path::PathBuf),
        }
        let source = match rows.cast::<PyBytes>() {
            Ok(bytes) => Source::Bytes(bytes.as_bytes().to_vec()),
            Err(_) => Source::Path(rows.extract()?),
        };
        let first = *firsts
            .get(file)
            .ok_or_else(|| Error::new_err(format!("no first number for file {file}")))?;
        let report = self.report;
        let (rows, cleaned, written, duplicates) =
            py.detach(|| -> PyResult<(FileRows, u64, u64, u64)> {
                let fail = |e: &dyn std::fmt::Display| {
                    Error::new_err(format!("cannot write {}: {e}", path.display()))
                };
                let packed = match source {
                    Source::Bytes(b) => b,
                    Source::Path(p) => read_whole(&p)?,
                };
                let mut rows: FileRows = postcard::from_bytes(&packed)
                    .map_err(|e| Error::new_err(format!("not the rows of a file: {e}")))?;
                let cleaned = rows.rows.len() as u64;
                let dups = dup_ids(&dups, &firsts)?;
                let mut written = 0;
                let mut duplicates = 0;
                write_whole_with(&path, |out| {
                    let mut sink =
                        ParquetRows::new(out, &extra_names, report).map_err(|e| fail(&e))?;
                    for (k, stored) in std::mem::take(&mut rows.rows) {
                        let dup = dups.get(&((file as u64) << 32 | k)).map(String::as_str);
                        duplicates += u64::from(dup.is_some());
                        if dup.is_some() && drop_dups {
                            continue;
                        }
                        sink.push(&stored.into_row(first + k), dup)
                            .map_err(|e| fail(&e))?;
                        written += 1;
                    }
                    sink.finish().map_err(|e| fail(&e))?;
                    Ok(())
                })?;
                Ok((rows, cleaned, written, duplicates))
            })?;
        let d = PyDict::new(py);
        d.set_item("written", written)?;
        d.set_item("cleaned", cleaned)?;
        d.set_item("duplicates", duplicates)?;
        d.set_item("text_bytes", rows.text_bytes)?;
        d.set_item("stats", rows.stats.values().to_vec())?;
        d.set_item("rejects", rows.rejects)?;
        Ok(d)
    }
}

/// `path` with `.suffix` added to its name.
fn with_suffix(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

fn read_whole(path: &std::path::Path) -> PyResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::new_err(format!("cannot read {}: {e}", path.display())))
}

/// Writes `bytes` to `path` whole or not at all.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> PyResult<()> {
    write_whole_with(path, |out| {
        out.write_all(bytes)
            .map_err(|e| Error::new_err(format!("cannot write {}: {e}", path.display())))
    })
}

/// Writes a file whole or not at all: `write` fills a buffered temporary file beside
/// `path` (a hidden name, unique to the process and the moment), which is synced and
/// renamed to `path`; on an error it is removed. Two writers of the same file (a task
/// and its retry, or a speculative copy) each leave a whole file.
fn write_whole_with(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> PyResult<()>,
) -> PyResult<()> {
    let fail = |e: std::io::Error| Error::new_err(format!("cannot write {}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("part");
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let temp = path.with_file_name(format!(".{name}.{}.{unique}.tmp", std::process::id()));
    let file = std::fs::File::create(&temp).map_err(fail)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let done = write(&mut out).and_then(|()| {
        let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)
    });
    match done {
        Ok(()) => std::fs::rename(&temp, path).map_err(fail),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// `dup_of` by document, from packed `(document, root, root's id)` records: the id, or
/// `#N` for a root without one (`firsts`: each file's first number in the run).
fn dup_ids(dups: &[Vec<u8>], firsts: &[u64]) -> PyResult<HashMap<u64, String>> {
    let mut out = HashMap::new();
    for blob in dups {
        let mut r = Reader::new(blob);
        while !r.is_empty() {
            let (doc, root, id) = crate::near::read_dup(&mut r)?;
            let id = match id {
                Some(id) => id.to_owned(),
                None => {
                    let first = firsts.get((root >> 32) as usize).ok_or_else(|| {
                        Error::new_err(format!("no first number for the file of document {root}"))
                    })?;
                    format!("#{}", first + (root & u64::from(u32::MAX)))
                }
            };
            out.insert(doc, id);
        }
    }
    Ok(out)
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

/// A row as the workers make it: its row (with the document's own id, if it has one),
/// its band keys and shingles; or a reject.
enum Made {
    Row(Option<String>, Box<corpus::Row>, Vec<u64>, Vec<u8>),
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

    /// A document cleaned in one step (stage 2 of a file read again). Its row's id is
    /// set when it is written (`Stored::to_row`).
    fn make(&self, model: &boildown::SiteModel, document: &Document) -> Made {
        let cleaning = Cleaning {
            cleaner: &self.cleaner,
            model,
            site_key: self.site_key,
            report: self.report,
        };
        let made = catch_unwind(AssertUnwindSafe(|| {
            self.sketched(cleaning.row(document, 0))
        }));
        match made {
            Ok((row, keys, shingles)) => {
                Made::Row(document.id.clone(), Box::new(row), keys, shingles)
            }
            Err(payload) => {
                let message = crate::panicked("cleaning", payload).to_string();
                let (kind, at) = position(document.position);
                Made::Reject(kind, at, message)
            }
        }
    }

    /// A prepared page decided with its site's complete model (its row's id is set
    /// when it is written).
    fn finish(&self, model: &boildown::SiteModel, kept: Kept) -> Made {
        let cleaning = Cleaning {
            cleaner: &self.cleaner,
            model,
            site_key: self.site_key,
            report: false,
        };
        let row = corpus::Row {
            url: kept.url,
            site: kept.site,
            extra: kept.extra,
            ..corpus::Row::default()
        };
        let finished = catch_unwind(AssertUnwindSafe(|| {
            self.sketched(cleaning.finish(row, &kept.prepared))
        }));
        match finished {
            Ok((row, keys, shingles)) => Made::Row(kept.id, Box::new(row), keys, shingles),
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

/// What `finish_file` makes of a file: its rows, and stage 3's records per partition.
struct Finished {
    parts: u64,
    /// The file's number in a document number's high half (`file << 32`).
    base: u64,
    rows: FileRows,
    keys: Vec<Vec<u8>>,
    shingles: Vec<Vec<u8>>,
    ids: Vec<Vec<u8>>,
}

impl Finished {
    fn new(parts: u64, base: u64) -> Finished {
        Finished {
            parts,
            base,
            rows: FileRows::default(),
            keys: vec![Vec::new(); parts as usize],
            shingles: vec![Vec::new(); parts as usize],
            ids: vec![Vec::new(); parts as usize],
        }
    }

    /// Adds what became of the file's `k`th document.
    fn add(&mut self, k: u64, made: Made) {
        match made {
            Made::Row(id, row, keys, shingles) => {
                let number = self.base | k;
                self.rows.text_bytes += row.text.len() as u64;
                self.rows.stats.add(&row.stats);
                for key in &keys {
                    let part = &mut self.keys[(key % self.parts) as usize];
                    part.extend_from_slice(&key.to_le_bytes());
                    part.extend_from_slice(&number.to_le_bytes());
                }
                if !keys.is_empty() {
                    let at = (number % self.parts) as usize;
                    put_shingles(&mut self.shingles[at], number, &shingles);
                    crate::near::put_id(&mut self.ids[at], number, id.as_deref());
                }
                self.rows.rows.push((k, Stored::of(*row, id)));
            }
            Made::Reject(kind, at, reason) => {
                self.rows.rejects.push((kind.to_owned(), at, reason));
            }
        }
    }
}

/// A file's rows as stage 2 leaves them for stage 4, with its rejects and counts.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct FileRows {
    /// Each row with its place `k` among the file's documents.
    rows: Vec<(u64, Stored)>,
    /// Pages that could not be cleaned (a bug, caught): `(position_kind, position,
    /// reason)`.
    rejects: Vec<(String, u64, String)>,
    text_bytes: u64,
    stats: corpus::RowStats,
}

/// A row as stage 2 packs it for stage 4.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    /// The document's own id; without one it is `#N`, numbered when written.
    id: Option<String>,
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
    fn of(row: corpus::Row, id: Option<String>) -> Stored {
        Stored {
            id,
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

    /// The row, `number` its document's number in the run (for `#N`).
    fn into_row(self, number: u64) -> corpus::Row {
        corpus::Row {
            id: corpus::id_or_number(self.id, number),
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

    /// The counts, as `prepare_file` returns them (without `rejects`).
    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let out = PyDict::new(py);
        out.set_item("documents", self.documents)?;
        out.set_item("records", self.records)?;
        out.set_item("page_bytes", self.page_bytes)?;
        out.set_item("skipped", self.skipped)?;
        out.set_item("readable", self.readable)?;
        out.set_item("extra_names", self.extra_names)?;
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
