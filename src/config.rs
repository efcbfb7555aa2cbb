//! What a [`Cleaner`](crate::Cleaner) does, with documented defaults.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Default for [`Config::with_near_distance`]: see that method for the measurement.
pub const DEFAULT_NEAR_DISTANCE: u32 = 12;
/// Default for [`Config::with_near_min_tokens`]: see that method for the measurement.
pub const DEFAULT_NEAR_MIN_TOKENS: u32 = 16;
/// The largest near-repeat distance accepted: beyond it unrelated texts match.
pub const MAX_NEAR_DISTANCE: u32 = 32;

/// Which copies of a repeated block are removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatPolicy {
    /// Keep the first copy, remove the later ones (default).
    #[default]
    KeepFirst,
    /// Remove every copy, the first one included.
    RemoveAll,
}

/// The settings of a [`Cleaner`](crate::Cleaner).
///
/// Build it from [`Config::default()`] and the `with_*` methods; each documents its
/// default. [`Cleaner::new`](crate::Cleaner::new) checks the values.
///
/// ```
/// use boildown::{Cleaner, Config, RepeatPolicy};
/// let config = Config::default()
///     .with_policy(RepeatPolicy::RemoveAll)
///     .with_near_distance(8);
/// let cleaner = Cleaner::new(config)?;
/// let cleaned = cleaner.clean(boildown::Page::text("Subscribe now\nReal text.\nSubscribe now"), None);
/// assert_eq!(cleaned.text(), "Real text.");
/// # Ok::<(), boildown::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    policy: RepeatPolicy,
    near_repeats: bool,
    near_distance: u32,
    near_min_tokens: u32,
    dedup_only: bool,
    html_recovery: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            policy: RepeatPolicy::KeepFirst,
            near_repeats: true,
            near_distance: DEFAULT_NEAR_DISTANCE,
            near_min_tokens: DEFAULT_NEAR_MIN_TOKENS,
            dedup_only: false,
            html_recovery: true,
        }
    }
}

impl Config {
    /// Which copies of a repeat are removed. Default: [`RepeatPolicy::KeepFirst`].
    pub fn with_policy(mut self, policy: RepeatPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Whether near repeats (edited copies) are detected, not only exact ones.
    /// Default: `true`.
    pub fn with_near_repeats(mut self, enabled: bool) -> Self {
        self.near_repeats = enabled;
        self
    }

    /// The largest SimHash Hamming distance at which two blocks are near repeats,
    /// `0..=32`. Default: 12 ([`DEFAULT_NEAR_DISTANCE`]).
    ///
    /// Measured on the paragraphs of the gold texts of the evaluation pack
    /// (`docs/near-repeats.md`): a one-word edit moves SimHash by a median of 10 bits
    /// in a paragraph of 16-31 tokens, 7 bits at 32-63 and 5 bits at 64-127, while
    /// unrelated paragraphs sit 31.8 bits apart on average and almost never within 12.
    /// `k = 12` finds 78%, 97% and 99.8% of one-word edits in those three sizes; the
    /// classic `k = 3` finds 2%, 9% and 24%.
    pub fn with_near_distance(mut self, k: u32) -> Self {
        self.near_distance = k;
        self
    }

    /// The fewest tokens both blocks must have to be compared as near repeats; shorter
    /// blocks are only compared exactly. Default: 16 ([`DEFAULT_NEAR_MIN_TOKENS`]).
    ///
    /// Below 16 tokens a one-word edit moves SimHash by a median of 14 bits, as far as
    /// some unrelated texts: such blocks are only compared exactly
    /// (`docs/near-repeats.md`).
    pub fn with_near_min_tokens(mut self, m: u32) -> Self {
        self.near_min_tokens = m;
        self
    }

    /// Only remove repeats, never page furniture found by other means. Default: `false`.
    ///
    /// For plain text, repeat detection is all boildown does so far, so both settings
    /// give the same result; the furniture classifier for HTML honours it.
    pub fn with_dedup_only(mut self, dedup_only: bool) -> Self {
        self.dedup_only = dedup_only;
        self
    }

    /// Recover, as lenient parsers (libxml2) do, from HTML that a browser would show
    /// nothing after: a `<title>`, `<textarea>`, `<style>`, `<script>`, `<xmp>`,
    /// `<iframe>`, `<noembed>` or `<noframes>` whose end tag never comes ends at the next
    /// tag, and a comment that never ends at the next `>`. Default: `true`. With
    /// `false`, pages are read exactly as the HTML standard builds their tree.
    pub fn with_html_recovery(mut self, recover: bool) -> Self {
        self.html_recovery = recover;
        self
    }

    /// The options' names, as the serialized configuration spells them and the
    /// JavaScript and Python packages take them (in this order).
    pub const OPTIONS: [&'static str; 6] = [
        "policy",
        "near_repeats",
        "near_distance",
        "near_min_tokens",
        "dedup_only",
        "html_recovery",
    ];

    /// The repeat policy.
    pub fn policy(&self) -> RepeatPolicy {
        self.policy
    }

    /// Whether near repeats are detected.
    pub fn near_repeats(&self) -> bool {
        self.near_repeats
    }

    /// The near-repeat Hamming distance.
    pub fn near_distance(&self) -> u32 {
        self.near_distance
    }

    /// The fewest tokens for a near-repeat comparison.
    pub fn near_min_tokens(&self) -> u32 {
        self.near_min_tokens
    }

    /// Whether only repeats are removed.
    pub fn dedup_only(&self) -> bool {
        self.dedup_only
    }

    /// Whether HTML that never ends its raw text or comment is recovered from.
    pub fn html_recovery(&self) -> bool {
        self.html_recovery
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.near_distance > MAX_NEAR_DISTANCE {
            return Err(Error::invalid_config(format!(
                "near_distance is {}, at most {MAX_NEAR_DISTANCE} is allowed",
                self.near_distance
            )));
        }
        if self.near_min_tokens == 0 {
            return Err(Error::invalid_config("near_min_tokens must be at least 1"));
        }
        Ok(())
    }
}

// (In WebAssembly, src/wasm/options.rs's test checks the same through JavaScript.)
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn the_option_names_are_the_serialized_configs() {
        let config = serde_json::to_value(super::Config::default()).unwrap();
        let keys: Vec<&str> = config
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut names = super::Config::OPTIONS.to_vec();
        names.sort_unstable(); // serde_json's map is sorted
        assert_eq!(keys, names);
    }
}
