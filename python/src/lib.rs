//! `boildown._core`: the Python bindings of boildown (PyO3), imported by the package
//! `boildown` (python/boildown/), which adds the Spark job and the datatrove step.
//!
//! - `cleaning`: `clean`, `Cleaner`, `Page`, the result `Cleaned`;
//! - `site`: `SiteModel`;
//! - `reading`: the corpus command's readers (WARC, WET, JSONL) as iterators;
//! - `job`: the corpus command's steps for one input file (prepare, finish, write),
//!   the bricks of the Spark job; `near`: its near-duplicate stage and connected
//!   components, per partition;
//! - `options`: keyword arguments checked by name and type;
//! - `value`: JSON values (the report) as Python objects.
//!
//! The work runs with the GIL released; a panic, which should not happen, is caught
//! and becomes a `boildown.Error` (or, in a batch, the record's reject), never a
//! crashed interpreter or a lost record.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

mod cleaning;
mod job;
mod near;
mod options;
mod reading;
mod site;
mod value;

pyo3::create_exception!(
    boildown,
    Error,
    pyo3::exceptions::PyValueError,
    "An unknown or ill-typed option, a bad value, or a damaged site model snapshot: the \
     message names it. A `ValueError`."
);

/// The error of a caught panic (a bug: the message says where).
pub(crate) fn panicked(what: &str, payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into());
    Error::new_err(format!("internal error while {what}: {message}"))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Error", m.py().get_type::<Error>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("OPTIONS", options::KEYS.to_vec())?;
    m.add_class::<cleaning::Cleaner>()?;
    m.add_class::<cleaning::Cleaned>()?;
    m.add_class::<cleaning::Page>()?;
    m.add_class::<site::SiteModel>()?;
    m.add_class::<reading::Records>()?;
    m.add_class::<reading::Document>()?;
    m.add_class::<reading::Skipped>()?;
    m.add_class::<reading::Rejected>()?;
    m.add_class::<job::CorpusJob>()?;
    m.add_function(wrap_pyfunction!(cleaning::clean, m)?)?;
    m.add_function(wrap_pyfunction!(cleaning::fingerprint, m)?)?;
    m.add_function(wrap_pyfunction!(reading::read, m)?)?;
    m.add_function(wrap_pyfunction!(reading::inputs, m)?)?;
    m.add_function(wrap_pyfunction!(job::jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(job::reason_class, m)?)?;
    m.add_function(wrap_pyfunction!(site::merge_snapshots, m)?)?;
    m.add_function(wrap_pyfunction!(site::merge_models, m)?)?;
    m.add_function(wrap_pyfunction!(near::near_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(near::near_attach, m)?)?;
    m.add_function(wrap_pyfunction!(near::near_links, m)?)?;
    m.add_function(wrap_pyfunction!(near::star_round, m)?)?;
    m.add_function(wrap_pyfunction!(near::star_small, m)?)?;
    site::register(m)?;
    Ok(())
}
