//! The cleaner's options from a JavaScript object (`Options`), read key by key: each
//! known key of its type, `undefined` or `null` meaning the default. Read by hand, not
//! with serde: a deserializer brings the formatting of floating-point numbers for its
//! error messages, 6 KB of the package.

use wasm_bindgen::prelude::*;

use crate::{Config, RepeatPolicy};

/// The options' names, as the serialized [`Config`] spells them (a test checks).
pub(crate) const KEYS: [&str; 6] = Config::OPTIONS;

/// The configuration that `options` describe; keys not in [`KEYS`] are skipped (the
/// caller checks them).
pub(crate) fn config(options: &JsValue) -> Result<Config, JsError> {
    let mut config = Config::default();
    for key in KEYS {
        let value = js_sys::Reflect::get(options, &JsValue::from_str(key))
            .map_err(|_| JsError::new("invalid options: cannot be read"))?;
        if value.is_undefined() || value.is_null() {
            continue;
        }
        config = match key {
            "policy" => config.with_policy(match string("invalid options", key, &value)?.as_str() {
                "keep_first" => RepeatPolicy::KeepFirst,
                "remove_all" => RepeatPolicy::RemoveAll,
                other => {
                    return Err(JsError::new(&format!(
                        "invalid options: unknown `policy` \"{other}\", expected \"keep_first\" or \"remove_all\""
                    )))
                }
            }),
            "near_repeats" => config.with_near_repeats(boolean(key, &value)?),
            "near_distance" => config.with_near_distance(whole(key, &value)?),
            "near_min_tokens" => config.with_near_min_tokens(whole(key, &value)?),
            "dedup_only" => config.with_dedup_only(boolean(key, &value)?),
            _ => config.with_html_recovery(boolean(key, &value)?),
        };
    }
    Ok(config)
}

/// A string value, or an error naming `key` (`what` starts the message).
pub(crate) fn string(what: &str, key: &str, value: &JsValue) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| invalid_type(what, key, "a string", value))
}

fn boolean(key: &str, value: &JsValue) -> Result<bool, JsError> {
    value
        .as_bool()
        .ok_or_else(|| invalid_type("invalid options", key, "a boolean", value))
}

/// A whole number from 0 to 2³² − 1.
fn whole(key: &str, value: &JsValue) -> Result<u32, JsError> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
        Some(_) => Err(JsError::new(&format!(
            "invalid options: `{key}` must be a whole number from 0 to 4294967295, not {}",
            String::from(
                value
                    .unchecked_ref::<js_sys::Number>()
                    .to_string_with_radix(10)
                    .unwrap_or_default()
            )
        ))),
        None => Err(invalid_type(
            "invalid options",
            key,
            "a whole number",
            value,
        )),
    }
}

fn invalid_type(what: &str, key: &str, expected: &str, value: &JsValue) -> JsError {
    JsError::new(&format!(
        "{what}: invalid type for `{key}`: expected {expected}, not {}",
        value.js_typeof().as_string().unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_keys_are_the_serialized_configs() {
        let config = super::super::to_js(&crate::Config::default())
            .ok()
            .unwrap_or_default();
        let keys: Vec<String> = js_sys::Object::keys(&config.into())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        assert_eq!(keys, super::KEYS);
    }
}
