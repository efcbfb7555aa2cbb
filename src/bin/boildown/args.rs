//! The argument types that several commands share.

use boildown::{Cleaner, Config, Format, RepeatPolicy};
use clap::ValueEnum;

/// The cleaning options, shared by every command that cleans (`clean`, `eval`) and
/// turned into a [`Config`] in one place.
#[derive(clap::Args)]
pub struct ConfigArgs {
    /// Only remove repeats, no other page furniture.
    #[arg(long)]
    dedup_only: bool,
    /// Remove every copy of a repeated block, the first one included.
    #[arg(long)]
    remove_all: bool,
    /// Largest SimHash distance for near repeats (0 to 32).
    #[arg(long, default_value_t = boildown::DEFAULT_NEAR_DISTANCE)]
    near_distance: u32,
    /// Fewest tokens a block needs to be compared as a near repeat.
    #[arg(long, default_value_t = boildown::DEFAULT_NEAR_MIN_TOKENS)]
    near_min_tokens: u32,
    /// Only exact repeats; no near-repeat search.
    #[arg(long)]
    exact_only: bool,
    /// Read broken raw text and comments as the HTML standard says (a `<title>`,
    /// `<script>` or comment that never ends hides the rest of the page), instead of
    /// recovering as lenient parsers do.
    #[arg(long)]
    no_html_recovery: bool,
}

impl ConfigArgs {
    /// The cleaner these options ask for; an invalid value is an error naming it.
    pub fn cleaner(&self) -> Result<Cleaner, String> {
        let policy = if self.remove_all {
            RepeatPolicy::RemoveAll
        } else {
            RepeatPolicy::KeepFirst
        };
        let config = Config::default()
            .with_policy(policy)
            .with_near_repeats(!self.exact_only)
            .with_near_distance(self.near_distance)
            .with_near_min_tokens(self.near_min_tokens)
            .with_dedup_only(self.dedup_only)
            .with_html_recovery(!self.no_html_recovery);
        Cleaner::new(config).map_err(|e| e.to_string())
    }
}

/// What the input is (`--format`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Text,
    Html,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Text => Format::Text,
            FormatArg::Html => Format::Html,
        }
    }
}
