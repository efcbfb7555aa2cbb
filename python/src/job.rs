//! The corpus command's work on one input file, for the Spark job (python/boildown/
//! spark.py): `CorpusJob.learn(path)` reads a file into its partial site models (stage
//! 1), `CorpusJob.rows(path, model, first)` cleans it into the rows of `boildown
//! corpus` with their MinHash band keys and shingles (stage 2), and
//! `CorpusJob.near(a, b)` is the near-duplicate check of a candidate pair (stage 3).
//! Each is a pure function of its inputs: a retried task gives the same results.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use boildown::corpus::{self, Cleaning, SiteKey};
use boildown::SiteBudget;
use boildown_corpus::minhash::{jaccard as jaccard_of, MinHashParams, MinHasher, Scheme};
use boildown_corpus::{items, Document, Item, ReadOptions};

use crate::cleaning::Cleaner;
use crate::options::{boolean, fraction, optional_string, whole_in};
use crate::reading::{input, position, read_options};
use crate::site::SiteModel;
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

    /// Stage 1: reads one input file, counting its records as `boildown corpus` does,
    /// and folds its pages into partial site models. Returns a dict: `documents`,
    /// `records`, `page_bytes`, `skipped` (kind → count), `rejects` (a list of
    /// `(position_kind, position, reason)`), `readable` (a record was read), and
    /// `models`, a list of `(site, snapshot)` of partial models, sorted by site.
    fn learn<'py>(
        &self,
        py: Python<'py>,
        path: std::path::PathBuf,
    ) -> PyResult<Bound<'py, PyDict>> {
        let input = input(path)?;
        let (state, rejects, models) = py.detach(|| {
            let mut state = PrepareState::default();
            let mut rejects = Vec::new();
            let model = boildown::SiteModel::partial(self.budget);
            let cleaning = Cleaning {
                cleaner: &self.cleaner,
                model: empty_model(),
                site_key: self.site_key,
                report: false,
            };
            for item in items(&input, &self.read) {
                match state.count(item) {
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
            (state, rejects, snapshots(model))
        });
        let out = state.into_dict(py, models)?;
        out.set_item("rejects", rejects)?;
        Ok(out)
    }

    /// Stage 1, keeping the pages: reads one input file as `learn` does, and prepares
    /// each page as far as it goes without its site's complete model (as `boildown
    /// corpus` does in its first pass), counting it into the file's partial models.
    /// Yields `("page", k, prepared)` for the file's k-th document (from 0; `prepared`
    /// is bytes for `finish`), `("reject", position_kind, position, reason)` for each
    /// reject, and last `("done", learned)`: the dict of `learn` without `rejects`.
    fn prepare(slf: PyRef<'_, Self>, path: std::path::PathBuf) -> PyResult<Preparing> {
        let input = input(path)?;
        let items = Mutex::new(items(&input, &slf.read));
        let model = boildown::SiteModel::partial(slf.budget);
        Ok(Preparing {
            job: slf.into(),
            items,
            state: Mutex::new((PrepareState::default(), Some(model))),
        })
    }

    /// Stage 2 of a prepared page: its row, decided with its site's complete model
    /// (`None`: an empty one), as `rows` yields it; `number` is its number in the run.
    fn finish(
        &self,
        py: Python<'_>,
        prepared: &[u8],
        model: Option<PyRef<'_, SiteModel>>,
        number: u64,
    ) -> PyResult<Py<PyAny>> {
        let model = model.as_ref().map_or(empty_model(), |m| &m.inner);
        let made = py.detach(|| -> PyResult<Made> {
            let kept: Kept = postcard::from_bytes(prepared)
                .map_err(|e| Error::new_err(format!("not a prepared page: {e}")))?;
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
            Ok(match finished {
                Ok((row, keys, shingles)) => Made::Row(number, Box::new(row), keys, shingles),
                Err(payload) => {
                    let reason = crate::panicked("cleaning", payload).to_string();
                    Made::Reject(kind_name(kept.position.0), kept.position.1, reason)
                }
            })
        })?;
        made.into_python(py)
    }

    /// Stage 2: cleans every page of one input file with its sites' model (`None`: an
    /// empty one), numbering its documents from `first` (the run's count of documents
    /// before this file, plus one: a document without an id is `#N`). Yields, in
    /// order, `("row", number, (id, url, site, title, format, text), stats, extra,
    /// report, band_keys, shingles)` for each page (`stats`: the six counts of
    /// `RowStats`; `extra`: `(name, JSON)` pairs; `band_keys`: signed 64-bit ints;
    /// `shingles`: the distinct shingle hashes, 4 bytes each, little-endian) and
    /// `("reject", position_kind, position, reason)` for a page that could not be
    /// cleaned (a bug, caught).
    #[pyo3(signature = (path, model, first))]
    fn rows(
        slf: PyRef<'_, Self>,
        path: std::path::PathBuf,
        model: Option<Py<SiteModel>>,
        first: u64,
    ) -> PyResult<FileRows> {
        let input = input(path)?;
        let items = Mutex::new(items(&input, &slf.read));
        Ok(FileRows {
            job: slf.into(),
            model,
            items,
            next: Mutex::new(first),
        })
    }

    /// Whether two documents' shingles (as `rows` gives them) are near-duplicates: their
    /// Jaccard similarity reaches the threshold.
    fn near(&self, a: &[u8], b: &[u8]) -> bool {
        let threshold = self.hasher.as_ref().map_or(1.0, |h| h.params().threshold);
        jaccard_of(&shingles(a), &shingles(b)) >= threshold
    }
}

/// Shingle hashes from their bytes.
fn shingles(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A reject's reason as the run's summary counts it (`boildown corpus --stats`):
/// digits as `N`, details after a colon left out.
#[pyfunction]
pub fn reason_class(reason: &str) -> String {
    corpus::reason_class(reason)
}

/// The Jaccard similarity of two documents' shingles (as `CorpusJob.rows` gives them).
#[pyfunction]
pub fn jaccard(a: &[u8], b: &[u8]) -> f64 {
    jaccard_of(&shingles(a), &shingles(b))
}

/// The rows of one file (`CorpusJob.rows`), read and cleaned as they are asked for.
#[pyclass(frozen, module = "boildown")]
pub struct FileRows {
    job: Py<CorpusJob>,
    model: Option<Py<SiteModel>>,
    items: Mutex<Box<dyn Iterator<Item = Item> + Send>>,
    next: Mutex<u64>,
}

/// A row as the workers make it, before it is a Python tuple.
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
}

#[pymethods]
impl FileRows {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let job = self.job.get();
        let model = self
            .model
            .as_ref()
            .map_or(empty_model(), |m| &m.get().inner);
        let (items, next) = (&self.items, &self.next);
        let made = py.detach(|| {
            let mut items = items.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                match items.next()? {
                    Item::Document(document) => {
                        let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                        let number = *next;
                        *next += 1;
                        return Some(job.make(model, &document, number));
                    }
                    // Counted and listed by stage 1.
                    Item::Skipped { .. } | Item::Rejected { .. } => continue,
                }
            }
        });
        match made {
            Some(made) => made.into_python(py).map(Some),
            None => Ok(None),
        }
    }
}

impl Made {
    /// The tuple `rows` yields.
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Made::Row(number, row, keys, shingles) => {
                let row = *row;
                let stats = row.stats.values();
                let keys: Vec<i64> = keys.into_iter().map(|k| k as i64).collect();
                (
                    "row",
                    number,
                    (row.id, row.url, row.site, row.title, row.format, row.text),
                    (stats[0], stats[1], stats[2], stats[3], stats[4], stats[5]),
                    row.extra,
                    row.report,
                    keys,
                    PyBytes::new(py, &shingles),
                )
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()
            }
            Made::Reject(kind, at, reason) => ("reject", kind, at, reason)
                .into_pyobject(py)?
                .into_any()
                .unbind(),
        })
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

/// What stage 1 has counted of a file so far (`learn`'s dict).
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

    /// The counts and the partial models, as `learn` returns them (without `rejects`).
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

/// The items of `CorpusJob.prepare`.
#[pyclass(frozen, module = "boildown")]
pub struct Preparing {
    job: Py<CorpusJob>,
    items: Mutex<Box<dyn Iterator<Item = Item> + Send>>,
    /// The counts, and the file's partial model (`None` once the end was given).
    state: Mutex<(PrepareState, Option<boildown::SiteModel>)>,
}

enum Step {
    Page(u64, Vec<u8>),
    Reject(&'static str, u64, String),
    Done(PrepareState, Vec<(String, Vec<u8>)>),
}

impl Preparing {
    /// The next item: reads records until a page or a reject, or the end.
    fn step(&self, job: &CorpusJob) -> Option<Step> {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, model) = &mut *guard;
        model.as_ref()?;
        loop {
            let Some(item) = items.next() else {
                let models = snapshots(model.take()?);
                return Some(Step::Done(std::mem::take(state), models));
            };
            match state.count(item) {
                Counted::Document(document, k) => {
                    let model = model.as_ref()?;
                    let kept = catch_unwind(AssertUnwindSafe(|| job.keep(model, &document)));
                    return Some(match kept {
                        Ok((bytes, extra)) => {
                            note_names(&mut state.extra_names, &extra);
                            Step::Page(k, bytes)
                        }
                        Err(payload) => {
                            let (kind, at) = position(document.position);
                            let reason = crate::panicked("preparing", payload).to_string();
                            Step::Reject(kind, at, reason)
                        }
                    });
                }
                Counted::Reject(kind, at, reason) => return Some(Step::Reject(kind, at, reason)),
                Counted::Other => {}
            }
        }
    }
}

impl CorpusJob {
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

#[pymethods]
impl Preparing {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let job = self.job.get();
        let next = py.detach(|| self.step(job));
        let object = match next {
            None => return Ok(None),
            Some(Step::Page(k, bytes)) => ("page", k, PyBytes::new(py, &bytes))
                .into_pyobject(py)?
                .into_any(),
            Some(Step::Reject(kind, at, reason)) => {
                ("reject", kind, at, reason).into_pyobject(py)?.into_any()
            }
            Some(Step::Done(state, models)) => ("done", state.into_dict(py, models)?)
                .into_pyobject(py)?
                .into_any(),
        };
        Ok(Some(object.unbind()))
    }
}
