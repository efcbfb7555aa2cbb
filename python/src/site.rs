//! `SiteModel`: per-site counts of blocks over pages, shared with Rust and JavaScript
//! through the same snapshot bytes.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use boildown::{Fingerprint, SiteBudget};

use crate::cleaning::PageSpec;
use crate::options::whole_in;
use crate::{panicked, Error};

/// Per-site counts of block fingerprints over distinct pages: observe a site's pages,
/// then clean them in their site (`Cleaner.clean(page, model=...)`). Safe to share
/// between threads. `partial=True` makes a model of one part of the pages, to be merged
/// (a file's, in the Spark job): merged into a plain `SiteModel()`, partial models
/// give the counts, template candidates and near matches of one model of all the pages.
#[pyclass(frozen, module = "boildown")]
pub struct SiteModel {
    pub inner: boildown::SiteModel,
}

/// A budget from keyword arguments (`None`: the default).
pub fn budget(
    blocks_per_site: Option<&Bound<'_, PyAny>>,
    pages_per_site: Option<&Bound<'_, PyAny>>,
) -> PyResult<SiteBudget> {
    let mut budget = SiteBudget::default();
    if let Some(n) = blocks_per_site.filter(|v| !v.is_none()) {
        budget =
            budget.with_blocks_per_site(whole_in("blocks_per_site", n, u32::MAX.into())? as usize);
    }
    if let Some(n) = pages_per_site.filter(|v| !v.is_none()) {
        budget =
            budget.with_pages_per_site(whole_in("pages_per_site", n, u32::MAX.into())? as usize);
    }
    Ok(budget)
}

pub(crate) fn load(bytes: &[u8], budget: SiteBudget) -> PyResult<boildown::SiteModel> {
    boildown::SiteModel::from_bytes_with_budget(bytes, budget)
        .map_err(|e| Error::new_err(e.to_string()))
}

#[pymethods]
impl SiteModel {
    #[new]
    #[pyo3(signature = (*, blocks_per_site = None, pages_per_site = None, partial = false))]
    fn new(
        blocks_per_site: Option<&Bound<'_, PyAny>>,
        pages_per_site: Option<&Bound<'_, PyAny>>,
        partial: bool,
    ) -> PyResult<SiteModel> {
        let budget = budget(blocks_per_site, pages_per_site)?;
        Ok(SiteModel {
            inner: if partial {
                boildown::SiteModel::partial(budget)
            } else {
                boildown::SiteModel::with_budget(budget)
            },
        })
    }

    /// Counts a page's blocks as standing on one more page of its site. False, and
    /// nothing counted, if the page has no site key (no `url` or `site`) or was observed
    /// before.
    #[pyo3(signature = (page, *, format = "auto", url = None, charset = None, site = None))]
    fn observe(
        &self,
        py: Python<'_>,
        page: &Bound<'_, PyAny>,
        format: &str,
        url: Option<&Bound<'_, PyAny>>,
        charset: Option<&Bound<'_, PyAny>>,
        site: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let spec = PageSpec::of(page, format, url, charset, site)?;
        let inner = &self.inner;
        py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| inner.observe(spec.page())))
                .map_err(|p| panicked("observing a page", p))
        })
    }

    /// How many distinct pages of `site` were observed.
    fn pages(&self, site: &str) -> u32 {
        self.inner.pages(site)
    }

    /// On how many observed pages of `site` the block of this exact fingerprint (16
    /// hex digits, as `fingerprint(text)["exact"]` and the report give it) stands.
    fn count(&self, site: &str, exact: &str) -> PyResult<u32> {
        let exact: Fingerprint = exact
            .parse()
            .map_err(|e: boildown::Error| Error::new_err(e.to_string()))?;
        Ok(self.inner.count(site, exact))
    }

    /// The sites observed, sorted.
    fn sites(&self) -> Vec<String> {
        self.inner.sites()
    }

    /// The blocks of `site` on at least `min_pages` pages (at least 2), most pages
    /// first: `{"text", "pages", "fingerprint"}` each.
    #[pyo3(signature = (site, min_pages = 2))]
    fn template<'py>(
        &self,
        py: Python<'py>,
        site: &str,
        min_pages: u32,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.inner
            .template(site, min_pages)
            .into_iter()
            .map(|t| {
                let d = PyDict::new(py);
                d.set_item("text", t.text)?;
                d.set_item("pages", t.pages)?;
                d.set_item("fingerprint", t.fingerprint.to_string())?;
                Ok(d)
            })
            .collect()
    }

    /// Adds `other`'s pages and counts to this model.
    fn merge(&self, py: Python<'_>, other: PyRef<'_, SiteModel>) {
        let (mine, theirs) = (&self.inner, &other.inner);
        py.detach(|| mine.merge(theirs));
    }

    /// The model split by site: `(site, model)` pairs, sorted by site.
    fn split(&self) -> Vec<(String, SiteModel)> {
        self.inner
            .split()
            .into_iter()
            .map(|(site, inner)| (site, SiteModel { inner }))
            .collect()
    }

    /// Whether this is a partial model (`SiteModel(partial=True)`).
    #[getter]
    fn partial(&self) -> bool {
        self.inner.is_partial()
    }

    /// The budget: `{"blocks_per_site", "pages_per_site"}`.
    #[getter]
    fn budget<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let b = self.inner.budget();
        let d = PyDict::new(py);
        d.set_item("blocks_per_site", b.blocks_per_site)?;
        d.set_item("pages_per_site", b.pages_per_site)?;
        Ok(d)
    }

    /// What the model holds: `{"sites", "blocks", "candidates", "bytes"}`.
    fn memory<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = self.inner.memory();
        let d = PyDict::new(py);
        d.set_item("sites", m.sites)?;
        d.set_item("blocks", m.blocks)?;
        d.set_item("candidates", m.candidates)?;
        d.set_item("bytes", m.bytes)?;
        Ok(d)
    }

    /// The snapshot: the bytes of `SiteModel::to_bytes` in Rust and `toBytes()` in
    /// JavaScript (the same counts give the same bytes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let inner = &self.inner;
        let bytes = py.detach(|| inner.to_bytes());
        PyBytes::new(py, &bytes)
    }

    /// A model from a snapshot; a damaged or other-version one is a `boildown.Error`.
    #[staticmethod]
    #[pyo3(signature = (data, *, blocks_per_site = None, pages_per_site = None))]
    fn from_bytes(
        py: Python<'_>,
        data: &[u8],
        blocks_per_site: Option<&Bound<'_, PyAny>>,
        pages_per_site: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SiteModel> {
        let budget = budget(blocks_per_site, pages_per_site)?;
        let inner = py.detach(|| load(data, budget))?;
        Ok(SiteModel { inner })
    }

    fn __repr__(&self) -> String {
        let m = self.inner.memory();
        format!(
            "SiteModel(sites={}, blocks={}, partial={})",
            m.sites,
            m.blocks,
            if self.inner.is_partial() {
                "True"
            } else {
                "False"
            }
        )
    }

    /// Pickling: the snapshot and the budget.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let restore = py
            .import("boildown._core")?
            .getattr("_restore_site_model")?;
        let b = self.inner.budget();
        Ok((
            restore,
            (self.to_bytes(py), b.blocks_per_site, b.pages_per_site),
        ))
    }
}

/// What `__reduce__` returns: the function that restores, and its arguments.
type Reduced<'py> = (Bound<'py, PyAny>, (Bound<'py, PyBytes>, usize, usize));

/// Merges snapshots in the order given into one snapshot: a partial model if
/// `partial`, else a model to clean with. For the Spark job's tree of merges, without
/// a Python object per model.
#[pyfunction]
#[pyo3(signature = (snapshots, *, partial, blocks_per_site = None, pages_per_site = None))]
pub fn merge_snapshots<'py>(
    py: Python<'py>,
    snapshots: Vec<Vec<u8>>,
    partial: bool,
    blocks_per_site: Option<&Bound<'_, PyAny>>,
    pages_per_site: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let budget = budget(blocks_per_site, pages_per_site)?;
    let bytes = py.detach(|| -> PyResult<Vec<u8>> {
        let merged = if partial {
            boildown::SiteModel::partial(budget)
        } else {
            boildown::SiteModel::with_budget(budget)
        };
        for snapshot in &snapshots {
            merged.merge(&load(snapshot, budget)?);
        }
        Ok(merged.to_bytes())
    })?;
    Ok(PyBytes::new(py, &bytes))
}

/// One level of the Spark job's tree of merges, for a whole partition at once: each
/// record is `(site, group, order, files, snapshot)`; the snapshots of a `(site,
/// group)` are merged in the order of `order` (the least input file they cover: input
/// order, deterministic) into a partial model if `partial`, else a model to clean with.
/// Returns `(site, group, files, snapshot)` per group, sorted, `files` the sorted union
/// of the group's.
#[pyfunction]
#[pyo3(signature = (records, *, partial, blocks_per_site = None, pages_per_site = None))]
#[allow(clippy::type_complexity)]
pub fn merge_models<'py>(
    py: Python<'py>,
    mut records: Vec<(String, u64, u64, Vec<u64>, Vec<u8>)>,
    partial: bool,
    blocks_per_site: Option<&Bound<'_, PyAny>>,
    pages_per_site: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<(String, u64, Vec<u64>, Bound<'py, PyBytes>)>> {
    let budget = budget(blocks_per_site, pages_per_site)?;
    let merged = py.detach(|| -> PyResult<Vec<(String, u64, Vec<u64>, Vec<u8>)>> {
        records.sort_unstable_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
        let mut out = Vec::new();
        for group in records.chunk_by(|a, b| (&a.0, a.1) == (&b.0, b.1)) {
            let model = if partial {
                boildown::SiteModel::partial(budget)
            } else {
                boildown::SiteModel::with_budget(budget)
            };
            let mut files = Vec::new();
            for (_, _, _, covered, snapshot) in group {
                model.merge(&load(snapshot, budget)?);
                files.extend_from_slice(covered);
            }
            files.sort_unstable();
            files.dedup();
            out.push((group[0].0.clone(), group[0].1, files, model.to_bytes()));
        }
        Ok(out)
    })?;
    Ok(merged
        .into_iter()
        .map(|(site, group, files, bytes)| (site, group, files, PyBytes::new(py, &bytes)))
        .collect())
}

/// Unpickles a `SiteModel` (`__reduce__`).
#[pyfunction]
#[pyo3(name = "_restore_site_model")]
fn restore(
    py: Python<'_>,
    data: &[u8],
    blocks_per_site: usize,
    pages_per_site: usize,
) -> PyResult<SiteModel> {
    let budget = SiteBudget::default()
        .with_blocks_per_site(blocks_per_site)
        .with_pages_per_site(pages_per_site);
    let inner = py.detach(|| load(data, budget))?;
    Ok(SiteModel { inner })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(restore, m)?)
}
