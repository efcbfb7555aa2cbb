//! Keyword arguments, checked by name and type: the cleaner's options (the Rust
//! `Config`'s names, as in JavaScript), and the page's `format`, `url`, `charset`,
//! `site`. An unknown or ill-typed one is a `boildown.Error` that names it.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString};

use boildown::{Config, Format, RepeatPolicy};

use crate::Error;

/// The cleaner's options, as the serialized `Config` spells them.
pub const KEYS: [&str; 6] = Config::OPTIONS;

/// The configuration that keyword arguments describe (`None` meaning the default).
pub fn config(options: Option<&Bound<'_, PyDict>>) -> PyResult<Config> {
    let mut config = Config::default();
    let Some(options) = options else {
        return Ok(config);
    };
    for (key, value) in options.iter() {
        let key: String = key.extract()?;
        if !KEYS.contains(&key.as_str()) {
            return Err(unknown("option", &key, &KEYS));
        }
        if value.is_none() {
            continue;
        }
        config = match key.as_str() {
            "policy" => config.with_policy(match string(&key, &value)?.as_str() {
                "keep_first" => RepeatPolicy::KeepFirst,
                "remove_all" => RepeatPolicy::RemoveAll,
                other => {
                    return Err(Error::new_err(format!(
                        "unknown `policy` {other:?}: expected \"keep_first\" or \"remove_all\""
                    )))
                }
            }),
            "near_repeats" => config.with_near_repeats(boolean(&key, &value)?),
            "near_distance" => config.with_near_distance(whole(&key, &value)?),
            "near_min_tokens" => config.with_near_min_tokens(whole(&key, &value)?),
            "dedup_only" => config.with_dedup_only(boolean(&key, &value)?),
            _ => config.with_html_recovery(boolean(&key, &value)?),
        };
    }
    Ok(config)
}

/// The options of a configuration, as keyword arguments would give them.
pub fn to_dict<'py>(py: Python<'py>, config: &Config) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item(
        "policy",
        match config.policy() {
            RepeatPolicy::KeepFirst => "keep_first",
            RepeatPolicy::RemoveAll => "remove_all",
        },
    )?;
    dict.set_item("near_repeats", config.near_repeats())?;
    dict.set_item("near_distance", config.near_distance())?;
    dict.set_item("near_min_tokens", config.near_min_tokens())?;
    dict.set_item("dedup_only", config.dedup_only())?;
    dict.set_item("html_recovery", config.html_recovery())?;
    Ok(dict)
}

/// An unknown name among `known`.
pub fn unknown(what: &str, name: &str, known: &[&str]) -> PyErr {
    Error::new_err(format!(
        "unknown {what} `{name}`: the {what}s are {}",
        known.join(", ")
    ))
}

/// The name of a value's type, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn invalid_type(key: &str, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
    Error::new_err(format!(
        "invalid type for `{key}`: expected {expected}, not {}",
        type_name(value)
    ))
}

/// A `str`, or an error naming `key`.
pub fn string(key: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Err(invalid_type(key, "a str", value)),
    }
}

/// A `str` or `None`.
pub fn optional_string(key: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => string(key, v).map(Some),
    }
}

/// A `bool` (not any object with a truth value: `1` is an error).
pub fn boolean(key: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    match value.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(invalid_type(key, "a bool", value)),
    }
}

/// An `int` from 0 to 2³² − 1 (a `bool` is an error).
pub fn whole(key: &str, value: &Bound<'_, PyAny>) -> PyResult<u32> {
    whole_in(key, value, u64::from(u32::MAX)).map(|n| n as u32)
}

/// An `int` from 0 to `max` (a `bool` is an error).
pub fn whole_in(key: &str, value: &Bound<'_, PyAny>, max: u64) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(invalid_type(key, "an int", value));
    }
    match value.extract::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(Error::new_err(format!(
            "`{key}` must be a whole number from 0 to {max}, not {}",
            value.repr().map(|r| r.to_string()).unwrap_or_default()
        ))),
    }
}

/// A `float` (or an `int`) from 0 to 1.
pub fn fraction(key: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    if value.is_instance_of::<PyBool>() {
        return Err(invalid_type(key, "a float", value));
    }
    match value.extract::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(x) => Err(Error::new_err(format!(
            "`{key}` must be from 0 to 1, not {x}"
        ))),
        Err(_) => Err(invalid_type(key, "a float", value)),
    }
}

/// `format`: "auto", "text" or "html".
pub fn format(value: &str) -> PyResult<Format> {
    value
        .parse()
        .map_err(|e: boildown::Error| Error::new_err(format!("`format`: {e}")))
}
