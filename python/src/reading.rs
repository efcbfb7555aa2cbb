//! The corpus command's readers as Python iterators: `read(path)` yields a `Document`
//! for every page (a WARC/WET record to clean, a JSONL row, a saved page), a `Skipped`
//! for every record of another kind and a `Rejected` for every part that cannot be
//! read, with its position and reason: nothing is lost silently.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use boildown_corpus::{
    expand, items, DocumentFormat, Fields, Input, InputKind, Item, Position, ReadOptions,
};

use crate::options::{optional_string, whole_in};
use crate::Error;

/// `(kind, position)`: "offset" (a byte offset in the decompressed WARC stream) or
/// "line" (a JSONL line number, from 1).
pub fn position(p: Position) -> (&'static str, u64) {
    match p {
        Position::Offset(n) => ("offset", n),
        Position::Line(n) => ("line", n),
    }
}

pub fn format_name(f: DocumentFormat) -> &'static str {
    match f {
        DocumentFormat::Html => "html",
        DocumentFormat::Text => "text",
        DocumentFormat::Sniff => "auto",
    }
}

/// A page of an input.
#[pyclass(frozen, module = "boildown")]
pub struct Document {
    /// `WARC-Record-ID`, or the JSONL id field.
    #[pyo3(get)]
    id: Option<String>,
    #[pyo3(get)]
    url: Option<String>,
    /// "html", "text" or "auto" (to be sniffed).
    #[pyo3(get)]
    format: &'static str,
    /// The HTTP header's charset label, if any.
    #[pyo3(get)]
    charset: Option<String>,
    /// The page as fetched (the HTTP body of a WARC response).
    #[pyo3(get)]
    body: Py<PyBytes>,
    /// "offset" or "line".
    #[pyo3(get)]
    position_kind: &'static str,
    #[pyo3(get)]
    position: u64,
    /// The JSONL row's other fields: name → the value's JSON text.
    #[pyo3(get)]
    extra: Py<PyDict>,
}

#[pymethods]
impl Document {
    /// The page, for `clean` and `SiteModel.observe`: a `Page` with its format, URL and
    /// charset.
    fn page(&self, py: Python<'_>) -> PyResult<Py<crate::cleaning::Page>> {
        let page = py
            .get_type::<crate::cleaning::Page>()
            .call(
                (self.body.clone_ref(py),),
                Some(&{
                    let k = PyDict::new(py);
                    k.set_item("format", self.format)?;
                    k.set_item("url", &self.url)?;
                    k.set_item("charset", &self.charset)?;
                    k
                }),
            )?
            .cast_into::<crate::cleaning::Page>()?;
        Ok(page.unbind())
    }

    fn __repr__(&self) -> String {
        format!(
            "Document(id={:?}, url={:?}, {}={})",
            self.id, self.url, self.position_kind, self.position
        )
    }
}

/// A record of another kind (a request, a PDF response, …): counted, not cleaned.
#[pyclass(frozen, module = "boildown")]
pub struct Skipped {
    /// The WARC type, with the media type for responses ("response application/pdf").
    #[pyo3(get)]
    kind: String,
    #[pyo3(get)]
    position_kind: &'static str,
    #[pyo3(get)]
    position: u64,
}

#[pymethods]
impl Skipped {
    fn __repr__(&self) -> String {
        format!(
            "Skipped(kind={:?}, {}={})",
            self.kind, self.position_kind, self.position
        )
    }
}

/// A part of an input that could not be read, and why; reading goes on after it.
#[pyclass(frozen, module = "boildown")]
pub struct Rejected {
    #[pyo3(get)]
    reason: String,
    #[pyo3(get)]
    position_kind: &'static str,
    #[pyo3(get)]
    position: u64,
}

#[pymethods]
impl Rejected {
    fn __repr__(&self) -> String {
        format!(
            "Rejected(reason={:?}, {}={})",
            self.reason, self.position_kind, self.position
        )
    }
}

/// The records of one input, in order (`read(path)`).
#[pyclass(frozen, module = "boildown")]
pub struct Records {
    items: Mutex<Box<dyn Iterator<Item = Item> + Send>>,
}

/// An item as a Python object.
pub fn item_object(py: Python<'_>, item: Item) -> PyResult<Py<PyAny>> {
    Ok(match item {
        Item::Document(d) => {
            let (position_kind, position) = position(d.position);
            let extra = PyDict::new(py);
            for (name, value) in &d.extra {
                extra.set_item(name, value)?;
            }
            Py::new(
                py,
                Document {
                    body: PyBytes::new(py, d.body()).unbind(),
                    id: d.id,
                    url: d.url,
                    format: format_name(d.format),
                    charset: d.charset,
                    position_kind,
                    position,
                    extra: extra.unbind(),
                },
            )?
            .into_any()
        }
        Item::Skipped { position: p, kind } => {
            let (position_kind, position) = position(p);
            Py::new(
                py,
                Skipped {
                    kind,
                    position_kind,
                    position,
                },
            )?
            .into_any()
        }
        Item::Rejected {
            position: p,
            reason,
        } => {
            let (position_kind, position) = position(p);
            Py::new(
                py,
                Rejected {
                    reason,
                    position_kind,
                    position,
                },
            )?
            .into_any()
        }
    })
}

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let items = &self.items;
        // Reading and decompressing with the GIL released.
        let next = py.detach(|| items.lock().unwrap_or_else(|e| e.into_inner()).next());
        next.map(|item| item_object(py, item)).transpose()
    }
}

/// The read options from keyword arguments.
pub fn read_options(
    id_field: Option<&Bound<'_, PyAny>>,
    url_field: Option<&Bound<'_, PyAny>>,
    html_field: Option<&Bound<'_, PyAny>>,
    text_field: Option<&Bound<'_, PyAny>>,
    max_page_bytes: Option<&Bound<'_, PyAny>>,
) -> PyResult<ReadOptions> {
    let defaults = Fields::default();
    let field = |key, v, default: String| -> PyResult<String> {
        Ok(optional_string(key, v)?.unwrap_or(default))
    };
    Ok(ReadOptions {
        fields: Fields {
            id: field("id_field", id_field, defaults.id)?,
            url: field("url_field", url_field, defaults.url)?,
            html: field("html_field", html_field, defaults.html)?,
            text: field("text_field", text_field, defaults.text)?,
        },
        max_page_bytes: match max_page_bytes {
            Some(v) if !v.is_none() => whole_in("max_page_bytes", v, u64::MAX)?,
            _ => boildown_corpus::DEFAULT_MAX_RECORD_BYTES,
        },
    })
}

/// An input file by its name's kind, or an error naming the kinds.
pub fn input(path: PathBuf) -> PyResult<Input> {
    match InputKind::of(&path) {
        Some(kind) => Ok(Input { path, kind }),
        None => Err(Error::new_err(format!(
            "{}: not an input: the inputs are .warc, .wet, .jsonl (each optionally .gz or .zst) and .html/.htm pages",
            path.display()
        ))),
    }
}

/// The records of one input file: `Document`, `Skipped` and `Rejected` objects, in
/// order. A file that cannot be opened gives one `Rejected`.
#[pyfunction]
#[pyo3(signature = (path, *, id_field = None, url_field = None, html_field = None, text_field = None, max_page_bytes = None))]
pub fn read(
    path: PathBuf,
    id_field: Option<&Bound<'_, PyAny>>,
    url_field: Option<&Bound<'_, PyAny>>,
    html_field: Option<&Bound<'_, PyAny>>,
    text_field: Option<&Bound<'_, PyAny>>,
    max_page_bytes: Option<&Bound<'_, PyAny>>,
) -> PyResult<Records> {
    let options = read_options(id_field, url_field, html_field, text_field, max_page_bytes)?;
    let input = input(path)?;
    Ok(Records {
        items: Mutex::new(items(&input, &options)),
    })
}

/// The input files that paths name, as `boildown corpus` reads them: files as given,
/// folders read recursively in path order.
#[pyfunction]
pub fn inputs(paths: Vec<PathBuf>) -> PyResult<Vec<String>> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::new_err("standard input (-) is not an input here"));
    }
    let found = expand(&paths).map_err(|e| Error::new_err(e.to_string()))?;
    Ok(found
        .into_iter()
        .map(|i| i.path.to_string_lossy().into_owned())
        .collect())
}
