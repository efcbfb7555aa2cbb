//! The training export (feature `training`): every block of a page as the classifier
//! sees it, for `examples/features.rs` and `scripts/train.py`.

use super::features::{features, NAMES};
use super::{layout, Groups, SITE_NAMES, STAGE2_CONTEXT};
use crate::input::Format;
use crate::report::Verdict;
use crate::segment::Segmented;
use crate::site::SiteEvidence;

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
    /// Characters of its text (the weight of its stage-1 probability in stage 2's
    /// means, plus one).
    pub chars: u32,
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
            chars: b.chars,
        })
        .collect();
    (NAMES, rows)
}

/// The names of stage 2's inputs beyond the features, in order ([`stage2_inputs`]).
pub const STAGE2_CONTEXT_NAMES: [&str; STAGE2_CONTEXT] =
    ["p", "prev_p", "next_p", "window_p", "path_p", "parent_p"];

/// The names of the site stage's inputs, in order ([`site_stage_inputs`]).
pub fn site_stage_names() -> &'static [&'static str] {
    SITE_NAMES
}

/// Stage 2's inputs beyond a page's features, as cleaning computes them, from the
/// first stage's probability of each block (`first`), the blocks' `chars`, and their
/// `paths` and `parents` ([`TrainingRow`]'s numbers: any numbers that say which
/// blocks share a tag path or a parent element).
pub fn stage2_inputs(
    first: &[f64],
    chars: &[u32],
    paths: &[u32],
    parents: &[u32],
) -> Vec<Vec<f32>> {
    let weight: Vec<f64> = chars.iter().map(|&c| f64::from(c) + 1.0).collect();
    super::stage2_context(first, &weight, &groups(paths, parents))
        .iter()
        .map(|x| x.to_vec())
        .collect()
}

/// The site stage's inputs for a page, as cleaning in a site computes them: from the
/// single-page probability of each block (`single_page`), each block's `ln_chars`,
/// `link_density` and `in_region` features (`own`), its `paths` and `parents`, and what
/// the site's other pages say: how many there are (`other_pages`, at least 1: with
/// none, cleaning runs no site stage) and on how many of them each block stands.
pub fn site_stage_inputs(
    single_page: &[f64],
    own: &[[f32; 3]],
    paths: &[u32],
    parents: &[u32],
    other_pages: u32,
    block_pages: &[u32],
) -> Vec<Vec<f32>> {
    assert!(
        other_pages > 0,
        "the site stage runs only with other pages of the site"
    );
    let site = SiteEvidence {
        other_pages,
        block_pages: block_pages.to_vec(),
    };
    super::site_inputs(single_page, own, &groups(paths, parents), &site)
        .iter()
        .map(|x| x.to_vec())
        .collect()
}

/// Dense groups from any numbers (means do not depend on how groups are numbered).
fn groups(paths: &[u32], parents: &[u32]) -> Groups {
    fn dense(ids: &[u32]) -> (Vec<usize>, usize) {
        let mut seen = std::collections::HashMap::new();
        let slots = ids
            .iter()
            .map(|id| {
                let next = seen.len();
                *seen.entry(*id).or_insert(next)
            })
            .collect();
        (slots, seen.len())
    }
    let (path, paths) = dense(paths);
    let (parent, parents) = dense(parents);
    Groups {
        path,
        paths,
        parent,
        parents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The export's numbering of groups gives the inputs cleaning computes.
    #[test]
    fn exported_inputs_equal_the_ones_cleaning_computes() {
        let html = "<nav><a href=/>Home</a> <a href=/a>News</a></nav><article><h1>Title</h1>\
            <p>A first paragraph of the story, with words enough.</p><div><p>Inside a div.</p>\
            <p>Another, in the same div, with more words than the first.</p></div></article>\
            <footer><p>Footer text</p></footer>";
        let (_, rows) = html_features(html);
        let segmented = Segmented::new(html, Format::Html, true);
        let page = segmented.html.as_ref().unwrap();
        let first: Vec<f64> = (0..rows.len())
            .map(|i| i as f64 / rows.len() as f64)
            .collect();
        let chars: Vec<u32> = rows.iter().map(|r| r.chars).collect();
        let paths: Vec<u32> = rows.iter().map(|r| r.path).collect();
        let parents: Vec<u32> = rows.iter().map(|r| r.parent).collect();
        let weight: Vec<f64> = page
            .blocks
            .iter()
            .map(|b| f64::from(b.chars) + 1.0)
            .collect();
        let inside = super::super::stage2_context(&first, &weight, &Groups::of(page));
        let exported = stage2_inputs(&first, &chars, &paths, &parents);
        assert_eq!(
            exported,
            inside.iter().map(|x| x.to_vec()).collect::<Vec<_>>()
        );
        let own: Vec<[f32; 3]> = rows
            .iter()
            .map(|r| [r.features[0], r.features[1], 0.0])
            .collect();
        let block_pages: Vec<u32> = (0..rows.len() as u32).map(|i| i % 3).collect();
        let site = SiteEvidence {
            other_pages: 2,
            block_pages: block_pages.clone(),
        };
        let inside = super::super::site_inputs(&first, &own, &Groups::of(page), &site);
        let exported = site_stage_inputs(&first, &own, &paths, &parents, 2, &block_pages);
        assert_eq!(
            exported,
            inside.iter().map(|x| x.to_vec()).collect::<Vec<_>>()
        );
        assert_eq!(exported[0].len(), site_stage_names().len());
    }
}
