//! `clean`, `Cleaner`, `Page` and the result, `Cleaned`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use pyo3::prelude::*;

use boildown::Format;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMemoryView, PyString};

use crate::options::{self, optional_string};
use crate::site::SiteModel;
use crate::{panicked, value, Error};

/// A page's content: a `str` (read as it is) or bytes (decoded as natively: BOM,
/// `charset`, `<meta>`, UTF-8, detection).
pub enum Body {
    Text(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl Body {
    pub fn of(value: &Bound<'_, PyAny>) -> PyResult<Body> {
        if let Ok(s) = value.cast::<PyString>() {
            return Ok(Body::Text(s.clone().try_into()?));
        }
        if value.is_instance_of::<PyBytes>()
            || value.is_instance_of::<PyByteArray>()
            || value.is_instance_of::<PyMemoryView>()
        {
            let bytes: PyBackedBytes = if value.is_instance_of::<PyMemoryView>() {
                PyBytes::new(value.py(), &value.extract::<Vec<u8>>()?)
                    .into_any()
                    .extract()?
            } else {
                value.extract()?
            };
            return Ok(Body::Bytes(bytes));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a page is a str or bytes, not {}",
            value.get_type().name()?
        )))
    }
}

/// A page and what is known of it, as the Rust `Page` takes it.
pub struct PageSpec {
    pub body: Body,
    pub format: Format,
    pub url: Option<String>,
    pub charset: Option<String>,
    pub site: Option<String>,
}

impl PageSpec {
    /// The page from a `str`, bytes or a `Page`, with the keyword arguments given
    /// beside it (which a `Page` must not also carry).
    pub fn of(
        page: &Bound<'_, PyAny>,
        format: &str,
        url: Option<&Bound<'_, PyAny>>,
        charset: Option<&Bound<'_, PyAny>>,
        site: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PageSpec> {
        let given = |v: Option<&Bound<'_, PyAny>>| v.is_some_and(|v| !v.is_none());
        if let Ok(p) = page.cast::<Page>() {
            if format != "auto" || given(url) || given(charset) || given(site) {
                return Err(Error::new_err(
                    "a Page carries its format, url, charset and site: give them to Page(), not beside it",
                ));
            }
            let p = p.get();
            return Ok(PageSpec {
                body: Body::of(p.body.bind(page.py()))?,
                format: p.format,
                url: p.url.clone(),
                charset: p.charset.clone(),
                site: p.site.clone(),
            });
        }
        Ok(PageSpec {
            body: Body::of(page)?,
            format: options::format(format)?,
            url: optional_string("url", url)?,
            charset: optional_string("charset", charset)?,
            site: optional_string("site", site)?,
        })
    }

    pub fn page(&self) -> boildown::Page<'_> {
        let page = match &self.body {
            Body::Text(s) => boildown::Page::new(s).with_format(self.format),
            Body::Bytes(b) => boildown::Page::from_bytes(b).with_format(self.format),
        };
        page.with_charset(self.charset.as_deref())
            .with_url(self.url.as_deref())
            .with_site(self.site.as_deref())
    }

    /// The text that a result's `start`/`end` index, if it is the page itself (a `str`).
    fn into_indexed(self) -> Option<PyBackedStr> {
        match self.body {
            Body::Text(s) => Some(s),
            Body::Bytes(_) => None,
        }
    }
}

/// A page with what is known of it, for `clean`, `Cleaner.clean_many` and
/// `SiteModel.observe`: its content (`str` or bytes), `format` ("auto", "text",
/// "html"), `url`, `charset` (the HTTP header's, for bytes) and `site` (a site key in
/// place of the URL's host).
#[pyclass(frozen, module = "boildown")]
pub struct Page {
    body: Py<PyAny>,
    format: Format,
    url: Option<String>,
    charset: Option<String>,
    site: Option<String>,
}

#[pymethods]
impl Page {
    #[new]
    #[pyo3(signature = (body, *, format = "auto", url = None, charset = None, site = None))]
    fn new(
        body: &Bound<'_, PyAny>,
        format: &str,
        url: Option<&Bound<'_, PyAny>>,
        charset: Option<&Bound<'_, PyAny>>,
        site: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Page> {
        Body::of(body)?;
        Ok(Page {
            body: body.clone().unbind(),
            format: options::format(format)?,
            url: optional_string("url", url)?,
            charset: optional_string("charset", charset)?,
            site: optional_string("site", site)?,
        })
    }

    #[getter]
    fn body(&self, py: Python<'_>) -> Py<PyAny> {
        self.body.clone_ref(py)
    }
    #[getter]
    fn format(&self) -> &'static str {
        self.format.name()
    }
    #[getter]
    fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
    #[getter]
    fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }
    #[getter]
    fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "Page(format={:?}, url={:?}, site={:?})",
            self.format.name(),
            self.url,
            self.site
        )
    }
}

/// Cleans pages with one set of options: build it once and use it from any thread.
#[pyclass(frozen, module = "boildown")]
pub struct Cleaner {
    pub inner: boildown::Cleaner,
}

impl Cleaner {
    pub fn from_options(options: Option<&Bound<'_, PyDict>>) -> PyResult<boildown::Cleaner> {
        boildown::Cleaner::new(options::config(options)?).map_err(|e| Error::new_err(e.to_string()))
    }

    /// Cleans one page with the GIL released.
    fn run(&self, py: Python<'_>, spec: PageSpec, model: Option<&SiteModel>) -> PyResult<Cleaned> {
        let inner = &self.inner;
        let model = model.map(|m| &m.inner);
        let cleaned = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| inner.clean(spec.page(), model)))
                .map_err(|p| panicked("cleaning a page", p))
        })?;
        Ok(Cleaned {
            inner: cleaned,
            indexed: spec.into_indexed(),
        })
    }
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, PyDict>>) -> PyResult<Cleaner> {
        Ok(Cleaner {
            inner: Cleaner::from_options(options)?,
        })
    }

    /// The options, all of them, as keyword arguments would give them.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        options::to_dict(py, self.inner.config())
    }

    #[pyo3(signature = (page, *, format = "auto", url = None, charset = None, site = None, model = None))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn clean(
        &self,
        py: Python<'_>,
        page: &Bound<'_, PyAny>,
        format: &str,
        url: Option<&Bound<'_, PyAny>>,
        charset: Option<&Bound<'_, PyAny>>,
        site: Option<&Bound<'_, PyAny>>,
        model: Option<PyRef<'_, SiteModel>>,
    ) -> PyResult<Cleaned> {
        let spec = PageSpec::of(page, format, url, charset, site)?;
        self.run(py, spec, model.as_deref())
    }

    /// Cleans many pages on `threads` threads (default: every core) with the GIL
    /// released; the results in the pages' order.
    #[pyo3(signature = (pages, *, model = None, threads = None))]
    fn clean_many(
        &self,
        py: Python<'_>,
        pages: &Bound<'_, PyAny>,
        model: Option<PyRef<'_, SiteModel>>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Cleaned>> {
        let threads = match threads {
            Some(t) if !t.is_none() => Some(options::whole_in("threads", t, 4096)? as usize),
            _ => None,
        };
        if threads == Some(0) {
            return Err(Error::new_err("`threads` must be at least 1"));
        }
        let specs: Vec<PageSpec> = pages
            .try_iter()?
            .map(|p| PageSpec::of(&p?, "auto", None, None, None))
            .collect::<PyResult<_>>()?;
        let inner = &self.inner;
        let model = model.as_deref().map(|m| &m.inner);
        let results = py.detach(|| -> PyResult<Vec<boildown::Cleaned>> {
            use rayon::prelude::*;
            let work = || {
                specs
                    .par_iter()
                    .map(|spec| {
                        catch_unwind(AssertUnwindSafe(|| inner.clean(spec.page(), model)))
                            .map_err(|p| panicked("cleaning a page", p))
                    })
                    .collect::<PyResult<Vec<_>>>()
            };
            match threads {
                None => work(),
                Some(n) => rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| Error::new_err(format!("cannot start {n} threads: {e}")))?
                    .install(work),
            }
        })?;
        Ok(results
            .into_iter()
            .zip(specs)
            .map(|(inner, spec)| Cleaned {
                inner,
                indexed: spec.into_indexed(),
            })
            .collect())
    }

    /// Pickling (and copying): a cleaner of the same options.
    fn __getnewargs_ex__<'py>(&self, py: Python<'py>) -> PyResult<((), Bound<'py, PyDict>)> {
        Ok(((), self.options(py)?))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let options = self.options(py)?;
        let parts: Vec<String> = options
            .iter()
            .map(|(k, v)| Ok(format!("{k}={}", v.repr()?)))
            .collect::<PyResult<_>>()?;
        Ok(format!("Cleaner({})", parts.join(", ")))
    }
}

/// The cleaner of the default options, built once.
fn default_cleaner() -> &'static Cleaner {
    static DEFAULT: OnceLock<Cleaner> = OnceLock::new();
    DEFAULT.get_or_init(|| Cleaner {
        inner: boildown::Cleaner::default(),
    })
}

/// Cleans one page: `clean(page, *, format="auto", url=None, charset=None, site=None,
/// model=None, **options)`.
#[pyfunction]
#[pyo3(signature = (page, *, format = "auto", url = None, charset = None, site = None, model = None, **options))]
#[allow(clippy::too_many_arguments)]
pub fn clean(
    py: Python<'_>,
    page: &Bound<'_, PyAny>,
    format: &str,
    url: Option<&Bound<'_, PyAny>>,
    charset: Option<&Bound<'_, PyAny>>,
    site: Option<&Bound<'_, PyAny>>,
    model: Option<PyRef<'_, SiteModel>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Cleaned> {
    let spec = PageSpec::of(page, format, url, charset, site)?;
    match options {
        Some(o) if !o.is_empty() => {
            let cleaner = Cleaner {
                inner: Cleaner::from_options(Some(o))?,
            };
            cleaner.run(py, spec, model.as_deref())
        }
        _ => default_cleaner().run(py, spec, model.as_deref()),
    }
}

/// The exact and SimHash fingerprints of a text (16 hex digits each) and its tokens.
#[pyfunction]
pub fn fingerprint<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
    let fp = boildown::fingerprint(text);
    let dict = PyDict::new(py);
    dict.set_item("exact", fp.exact.to_string())?;
    dict.set_item("simhash", fp.simhash.to_string())?;
    dict.set_item("tokens", fp.tokens)?;
    Ok(dict)
}

/// The result of cleaning one page: the cleaned `text`, the `title`, every block with
/// its verdict and reason (`blocks`), the counts (`stats`); `to_dict()` is the JSON
/// report of `boildown clean --json`, key for key, with `start`/`end` indexing the
/// Python string (the page given as a `str`, else the decoded `source`).
#[pyclass(frozen, module = "boildown")]
pub struct Cleaned {
    pub inner: boildown::Cleaned,
    /// The page, when it was given as a `str`.
    indexed: Option<PyBackedStr>,
}

impl Cleaned {
    /// The text that `start`/`end` index.
    fn indexed(&self) -> &str {
        match &self.indexed {
            Some(s) => s,
            None => self.inner.source().unwrap_or(""),
        }
    }

    /// The report as JSON, `start`/`end` turned into character indices.
    fn report(&self) -> serde_json::Value {
        let mut report = serde_json::to_value(&self.inner)
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }));
        let mut chars = CharCursor::new(self.indexed());
        if let Some(blocks) = report.get_mut("blocks").and_then(|b| b.as_array_mut()) {
            for (block, b) in blocks.iter_mut().zip(self.inner.blocks()) {
                block["start"] = chars.advance_to(b.start).into();
                block["end"] = chars.advance_to(b.end).into();
            }
        }
        report
    }
}

#[pymethods]
impl Cleaned {
    /// The kept blocks, one blank line between blocks.
    #[getter]
    fn text(&self) -> &str {
        self.inner.text()
    }
    /// HTML: the page's `<title>`, white space collapsed; `None` if it has none.
    #[getter]
    fn title(&self) -> Option<&str> {
        self.inner.title()
    }
    /// What the page was read as: "text" or "html".
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.format().name()
    }
    /// The site key the page was cleaned in, if it was cleaned with a model.
    #[getter]
    fn site(&self) -> Option<&str> {
        self.inner.site()
    }
    /// For a page given as bytes: the decoded page, which `start`/`end` index.
    #[getter]
    fn source(&self) -> Option<&str> {
        self.inner.source()
    }
    /// HTML: the kept blocks' markup, safe to insert in a page.
    #[getter]
    fn html(&self) -> String {
        self.inner.html()
    }
    /// The counts: blocks, kept, and the removed by reason.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stats =
            serde_json::to_value(self.inner.stats()).map_err(|e| Error::new_err(e.to_string()))?;
        value::to_python(py, &stats)
    }
    /// For a page given as bytes: how they were decoded.
    #[getter]
    fn decoding<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .decoding()
            .map(|d| {
                let d = serde_json::to_value(d).map_err(|e| Error::new_err(e.to_string()))?;
                value::to_python(py, &d)
            })
            .transpose()
    }
    /// Every block, as `to_dict()["blocks"]`.
    #[getter]
    fn blocks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = self.report();
        value::to_python(py, report.get("blocks").unwrap_or(&serde_json::Value::Null))
    }

    /// The JSON report (`boildown clean --json`), `start`/`end` as Python string indices.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value::to_python(py, &self.report())
    }

    /// `to_dict()` as JSON text.
    fn to_json(&self) -> String {
        self.report().to_string()
    }

    fn __repr__(&self) -> String {
        let stats = self.inner.stats();
        format!(
            "Cleaned(format={:?}, blocks={}, kept={}, text={} chars)",
            self.inner.format().name(),
            stats.blocks,
            stats.kept,
            self.inner.text().chars().count()
        )
    }

    fn __str__(&self) -> &str {
        self.inner.text()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Cleaned>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "unhashable type: 'Cleaned'",
        ))
    }
}

/// Turns increasing UTF-8 byte offsets of a text into character (code point) indices,
/// as Python indexes a `str`.
struct CharCursor<'a> {
    bytes: &'a [u8],
    ascii: bool,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        CharCursor {
            bytes: text.as_bytes(),
            ascii: text.is_ascii(),
            byte: 0,
            chars: 0,
        }
    }

    fn advance_to(&mut self, to: usize) -> usize {
        let to = to.min(self.bytes.len());
        if self.ascii {
            return to;
        }
        if to < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.bytes[self.byte..to]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        self.byte = to;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::CharCursor;

    #[test]
    fn byte_offsets_become_character_indices() {
        let text = "aé€😀b";
        let mut c = CharCursor::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (index, offset) in offsets.iter().enumerate() {
            assert_eq!(c.advance_to(*offset), index);
        }
        assert_eq!(c.advance_to(text.len()), 5);
        assert_eq!(c.advance_to(1), 1); // backwards: starts over
    }
}
