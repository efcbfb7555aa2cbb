//! The single-page main-content finder: which blocks of an HTML page are its own
//! content, with no site history to compare with.
//!
//! First the main-content region: every block of running text (25 characters or more)
//! scores `1 + commas + min(chars / 100, 3)`, given in full to its element, half to the
//! parent and a third, a sixth … further up (Readability's scheme); elements start
//! from a score for their tag and their class/id words, and end multiplied by the share
//! of their text that is not link text. The best element, with those of its siblings
//! that score at least a fifth of it, is the region. Then, inside the region, blocks
//! that are mostly link text or that stand in furniture (a `nav`, `aside`, `footer`, or
//! an element whose class or id says menu, share, related, comment …) between the block
//! and the region are furniture too.

use crate::html::{flags, HtmlPage, Node};
use crate::report::BoilerplateRule;

/// How far up the tree a block's score and counts travel.
const MAX_ANCESTORS: usize = 64;
/// Blocks shorter than this give the region no score.
const MIN_SCORING_CHARS: u32 = 25;

/// For each block of `page`: `None` if it is main content, else the rule that says it
/// is furniture. Blocks for which `counts` is false (later copies of repeats) give the
/// region no score: a page that repeats its text (a print or mobile copy) would
/// otherwise have its region on the copy that is removed.
pub(crate) fn main_content(page: &HtmlPage, counts: &[bool]) -> Vec<Option<BoilerplateRule>> {
    let nodes = &page.nodes;
    let n = nodes.len();
    let mut chars = vec![0u64; n];
    let mut links = vec![0u64; n];
    let mut score = vec![0f64; n];
    let mut scored = vec![false; n];

    for (block, _) in page.blocks.iter().zip(counts).filter(|(_, c)| **c) {
        let text = &page.texts[block.text.clone()];
        let commas = text
            .chars()
            .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
            .count();
        let own = 1.0 + commas as f64 + (f64::from(block.chars) / 100.0).min(3.0);
        let scoring = block.chars >= MIN_SCORING_CHARS && block.heading == 0;
        for (level, id) in ancestors(nodes, block.node).enumerate() {
            chars[id] += u64::from(block.chars);
            links[id] += u64::from(block.link_chars);
            if scoring && level < 5 {
                if !scored[id] {
                    scored[id] = true;
                    score[id] = initial_score(&nodes[id]);
                }
                score[id] += match level {
                    0 => own,
                    1 => own / 2.0,
                    _ => own / (level as f64 * 3.0),
                };
            }
        }
    }
    let link_density = |id: usize| {
        if chars[id] == 0 {
            0.0
        } else {
            links[id] as f64 / chars[id] as f64
        }
    };
    let final_score = |id: usize| score[id] * (1.0 - link_density(id));

    let Some(top) = (0..n).filter(|&id| scored[id]).max_by(|&a, &b| {
        final_score(a)
            .partial_cmp(&final_score(b))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.cmp(&a))
    }) else {
        // No running text at all: keep what is not mostly links.
        return page
            .blocks
            .iter()
            .map(|b| (b.link_chars * 2 > b.chars).then_some(BoilerplateRule::LinkText))
            .collect();
    };
    let top_score = final_score(top);
    let threshold = (top_score * 0.2).max(10.0);
    let mut region = vec![false; n];
    region[top] = true;
    let parent = nodes[top].parent;
    if parent != Node::NONE {
        for id in 0..n {
            if nodes[id].parent == parent && scored[id] && final_score(id) >= threshold {
                region[id] = true;
            }
        }
    }

    page.blocks
        .iter()
        .map(|block| {
            let mut furniture = false;
            for id in ancestors(nodes, block.node) {
                if region[id] {
                    return if furniture {
                        Some(BoilerplateRule::InFurniture)
                    } else if block.link_chars * 2 > block.chars {
                        Some(BoilerplateRule::LinkText)
                    } else {
                        None
                    };
                }
                let node = &nodes[id];
                furniture |= node.hint == Node::FURNITURE
                    || node.flag & (flags::NAV | flags::ASIDE | flags::FOOTER | flags::FORM) != 0;
            }
            Some(BoilerplateRule::OutsideMainContent)
        })
        .collect()
}

/// A block's element and its ancestors, innermost first, at most [`MAX_ANCESTORS`].
fn ancestors(nodes: &[Node], first: u32) -> impl Iterator<Item = usize> + '_ {
    let mut next = first;
    std::iter::from_fn(move || {
        if next == Node::NONE {
            return None;
        }
        let id = next as usize;
        next = nodes.get(id).map_or(Node::NONE, |n| n.parent);
        Some(id)
    })
    .take(MAX_ANCESTORS)
}

/// Readability's starting score of an element: by tag, and 25 for what its class and
/// id words suggest.
fn initial_score(node: &Node) -> f64 {
    let tag = match node.block {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    tag + 25.0 * f64::from(node.hint.signum())
}
