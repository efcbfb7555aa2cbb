//! The training export (feature `training`): every block of a page as the classifier
//! sees it, for `examples/features.rs` and `scripts/train.py`.

use super::features::{features, NAMES};
use super::layout;
use crate::input::Format;
use crate::report::Verdict;
use crate::segment::Segmented;

/// One block of a page as the classifier sees it, for training (`examples/features.rs`,
/// feature `training`).
pub struct TrainingRow {
    /// The block's text.
    pub text: String,
    /// Its features, in the order of the names `html_features` returns.
    pub features: Vec<f32>,
    /// Its tag path, as a number unique in the page.
    pub path: u32,
    /// Its parent element, as a number unique in the page.
    pub parent: u32,
}

/// The feature names and every block of an HTML page as the classifier sees it
/// (feature `training`).
pub fn html_features(input: &str) -> (&'static [&'static str], Vec<TrainingRow>) {
    let segmented = Segmented::new(input, Format::Html, true);
    // The repeats, as cleaning finds them before the classifier (the default config).
    let detection = crate::repeats::detect(&segmented.fingerprints(), &crate::Config::default());
    let counts: Vec<bool> = detection.verdicts.iter().map(Verdict::is_keep).collect();
    let page = segmented.html.as_ref().expect("an HTML page");
    let layout = layout(page, &counts);
    let features = features(page, &counts, &layout);
    let rows = page
        .blocks
        .iter()
        .zip(features)
        .map(|(b, f)| TrainingRow {
            text: page.text(b).to_owned(),
            features: f.to_vec(),
            path: b.path,
            parent: page.parent(b),
        })
        .collect();
    (NAMES, rows)
}
