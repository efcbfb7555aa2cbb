//! What the main-content classifier knows about each block of an HTML page: a fixed
//! vector of numbers describing the block's text (length, words, sentence shape, the
//! share of the page's most common short words), where it stands (tags, flags, class
//! and id hints, the main-content region of `content`, its position) and its
//! neighbours. Every feature is cheap: one pass over the page's text and one over the
//! tree of elements.

use crate::repeats::FingerprintMap;
use crate::segment::html::{flags, HtmlPage, Node};

/// The names of the features, in vector order (for training and for reading a model).
pub(crate) const NAMES: &[&str] = &[
    "ln_chars",
    "link_density",
    "ln_words",
    "word_len",
    "sentence_end",
    "comma_rate",
    "digit_share",
    "upper_share",
    "common_share",
    "heading",
    "heading_level",
    "list",
    "quote",
    "pre",
    "table",
    "figure",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "main_or_article",
    "tag_p",
    "tag_div",
    "tag_li",
    "tag_cell",
    "tag_dt_dd",
    "hint_content",
    "hint_maybe",
    "hint_furniture",
    "furniture_above",
    "in_region",
    "furniture_to_region",
    "after_region",
    "score_share",
    "position",
    "parent_ln_chars",
    "parent_link_density",
    "grand_ln_chars",
    "grand_link_density",
    "title_words",
    "repeat",
    "aria_hidden",
    "prev_ln_chars",
    "prev_link_density",
    "prev_in_region",
    "next_ln_chars",
    "next_link_density",
    "next_in_region",
    "window_ln_chars",
    "window_link_density",
    "window_common_share",
    "path_ln_blocks",
    "path_chars_share",
    "path_link_density",
    "path_ln_mean_chars",
    "parent_ln_blocks",
    "page_ln_chars",
    "region_chars_share",
];

/// How many features a block has.
pub(crate) const COUNT: usize = 59;

/// The position of a named feature in the vector (at compile time: a name that is not
/// in [`NAMES`] does not build).
pub(crate) const fn at(name: &str) -> usize {
    let mut i = 0;
    while i < NAMES.len() {
        let (a, b) = (NAMES[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such feature")
}

/// One block's features.
pub(crate) type Features = [f32; COUNT];

/// Where each block stands relative to the page's main-content region (computed by
/// `content`), and the counts of text below each element.
pub(crate) struct Layout {
    /// Per element: characters and link characters of the blocks inside it.
    pub chars: Vec<u64>,
    pub links: Vec<u64>,
    /// Per block: inside the region; furniture between it and the region; after the
    /// region in document order; its best ancestor's score over the top score.
    pub in_region: Vec<bool>,
    pub furniture_to_region: Vec<bool>,
    pub after_region: Vec<bool>,
    pub score_share: Vec<f32>,
}

/// The page's most common short words ("the", "und", "de" …) whatever its language:
/// the words of at most [`COMMON_LEN`] characters among its [`COMMON_WORDS`] most
/// frequent. Their share in a block is a language-free stop-word density.
const COMMON_WORDS: usize = 24;
const COMMON_LEN: usize = 4;

/// The features of every block of `page`. `counts` is false for later copies of
/// repeats.
pub(crate) fn features(page: &HtmlPage, counts: &[bool], layout: &Layout) -> Vec<Features> {
    let n = page.blocks.len();
    // Word hashes of every block, and their counts over the page.
    let mut words: Vec<Vec<(u64, u8)>> = Vec::with_capacity(n);
    let mut freq: FingerprintMap<u32> = FingerprintMap::default();
    for block in &page.blocks {
        let list = word_hashes(page.text(block));
        for (h, _) in &list {
            *freq.entry(*h).or_default() += 1;
        }
        words.push(list);
    }
    let mut ranked: Vec<(u64, u32)> = freq.into_iter().filter(|(_, c)| *c >= 2).collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let short: FingerprintMap<()> = words
        .iter()
        .flatten()
        .filter(|(_, len)| usize::from(*len) <= COMMON_LEN)
        .map(|(h, _)| (*h, ()))
        .collect();
    let common: FingerprintMap<()> = ranked
        .iter()
        .filter(|(h, _)| short.contains_key(h))
        .take(COMMON_WORDS)
        .map(|(h, _)| (*h, ()))
        .collect();
    let title: FingerprintMap<()> = page
        .title
        .as_deref()
        .map(|t| word_hashes(t).into_iter().map(|(h, _)| (h, ())).collect())
        .unwrap_or_default();

    let nodes = &page.nodes;
    let ln = |x: f64| libm::log1p(x) as f32;
    let density = |links: u64, chars: u64| {
        if chars == 0 {
            0.0
        } else {
            (links as f64 / chars as f64) as f32
        }
    };

    let mut out: Vec<Features> = Vec::with_capacity(n);
    for (i, block) in page.blocks.iter().enumerate() {
        let text = page.text(block);
        let list = &words[i];
        let word_count = list.len();
        let common_share = if word_count == 0 {
            0.0
        } else {
            list.iter().filter(|(h, _)| common.contains_key(h)).count() as f32 / word_count as f32
        };
        let title_share = if word_count == 0 || title.is_empty() {
            0.0
        } else {
            list.iter().filter(|(h, _)| title.contains_key(h)).count() as f32 / word_count as f32
        };
        let (mut commas, mut digits, mut upper, mut letters) = (0u32, 0u32, 0u32, 0u32);
        for c in text.chars() {
            if matches!(c, ',' | '，' | '、' | '،' | ';') {
                commas += 1;
            } else if c.is_ascii_digit() {
                digits += 1;
            } else if c.is_alphabetic() {
                letters += 1;
                upper += u32::from(c.is_uppercase());
            }
        }
        let last = text.trim_end().chars().last().unwrap_or(' ');
        let sentence_end = matches!(last, '.' | '!' | '?' | '。' | '！' | '？' | '"' | '”' | '»');
        let chars = f64::from(block.chars.max(1));

        let (mut hint_content, mut hint_maybe, mut hint_furniture) = (false, false, false);
        let mut furniture_above = 0u32;
        let mut nearest = true;
        let mut parent = None;
        let mut grand = None;
        for (level, id) in ancestors(nodes, block.node).enumerate() {
            let node = &nodes[id];
            if node.hint != 0 && nearest {
                nearest = false;
                hint_content = node.hint == Node::CONTENT;
                hint_maybe = node.hint == Node::MAYBE_FURNITURE;
                hint_furniture = node.hint == Node::FURNITURE;
            }
            furniture_above += u32::from(node.hint == Node::FURNITURE);
            if level == 1 {
                parent = Some(id);
            } else if level == 2 {
                grand = Some(id);
            }
        }
        let up = |id: Option<usize>| match id {
            Some(id) => (
                ln(layout.chars[id] as f64),
                density(layout.links[id], layout.chars[id]),
            ),
            None => (
                ln(chars),
                density(u64::from(block.link_chars), chars as u64),
            ),
        };
        let (parent_chars, parent_density) = up(parent);
        let (grand_chars, grand_density) = up(grand);
        let tag = block.tag;
        let f = block.flags;
        let bit = |b: u16| f32::from(u8::from(f & b != 0));
        let yes = |b: bool| f32::from(u8::from(b));
        let mut v = [0f32; COUNT];
        let values = [
            ln(chars),
            density(u64::from(block.link_chars), chars as u64),
            ln(word_count as f64),
            (chars / word_count.max(1) as f64).min(20.0) as f32,
            yes(sentence_end),
            (f64::from(commas) / word_count.max(1) as f64) as f32,
            (f64::from(digits) / chars) as f32,
            (f64::from(upper) / f64::from(letters.max(1))) as f32,
            common_share,
            yes(block.heading > 0),
            f32::from(block.heading) / 6.0,
            bit(flags::LIST),
            bit(flags::QUOTE),
            bit(flags::PRE),
            bit(flags::TABLE),
            bit(flags::FIGURE),
            bit(flags::NAV),
            bit(flags::HEADER),
            bit(flags::FOOTER),
            bit(flags::ASIDE),
            bit(flags::FORM),
            bit(flags::MAIN | flags::ARTICLE),
            yes(tag == "p"),
            yes(tag == "div"),
            yes(tag == "li"),
            yes(matches!(tag, "td" | "th")),
            yes(matches!(tag, "dt" | "dd")),
            yes(hint_content),
            yes(hint_maybe),
            yes(hint_furniture),
            furniture_above.min(3) as f32,
            yes(layout.in_region[i]),
            yes(layout.furniture_to_region[i]),
            yes(layout.after_region[i]),
            layout.score_share[i],
            i as f32 / n.max(1) as f32,
            parent_chars,
            parent_density,
            grand_chars,
            grand_density,
            title_share,
            yes(!counts[i]),
            bit(flags::ARIA_HIDDEN),
        ];
        v[..at("prev_ln_chars")].copy_from_slice(&values);
        out.push(v);
    }
    // Blocks of the same tag path: article paragraphs share theirs, so do teasers.
    let mut path_blocks = vec![0u32; page.paths.len()];
    let mut path_chars = vec![0u64; page.paths.len()];
    let mut path_links = vec![0u64; page.paths.len()];
    let mut node_blocks = vec![0u32; nodes.len()];
    let (mut page_chars, mut region_chars) = (0u64, 0u64);
    for (i, block) in page.blocks.iter().enumerate() {
        let p = block.path as usize;
        path_blocks[p] += 1;
        path_chars[p] += u64::from(block.chars);
        path_links[p] += u64::from(block.link_chars);
        page_chars += u64::from(block.chars);
        if layout.in_region[i] {
            region_chars += u64::from(block.chars);
        }
        for id in ancestors(nodes, block.node).take(2) {
            node_blocks[id] += 1;
        }
    }
    const PATH: usize = at("path_ln_blocks");
    for (i, block) in page.blocks.iter().enumerate() {
        let p = block.path as usize;
        let parent = ancestors(nodes, block.node).nth(1);
        let rest = [
            ln(f64::from(path_blocks[p])),
            (path_chars[p] as f64 / page_chars.max(1) as f64) as f32,
            density(path_links[p], path_chars[p]),
            ln(path_chars[p] as f64 / f64::from(path_blocks[p].max(1))),
            ln(f64::from(parent.map_or(1, |id| node_blocks[id]))),
            ln(page_chars as f64),
            (region_chars as f64 / page_chars.max(1) as f64) as f32,
        ];
        out[i][PATH..].copy_from_slice(&rest);
    }
    // Neighbours: the block before and after, and a window of two on each side.
    const LN_CHARS: usize = at("ln_chars");
    const DENSITY: usize = at("link_density");
    const COMMON: usize = at("common_share");
    const IN_REGION: usize = at("in_region");
    const OWN: usize = at("prev_ln_chars");
    for i in 0..n {
        let prev = i.checked_sub(1).map(|j| out[j]);
        let next = out.get(i + 1).copied();
        let mut window = [0f32; 3];
        let mut weight = 0f32;
        let around = &out[i.saturating_sub(2)..(i + 3).min(n)];
        for b in around {
            let w = b[LN_CHARS];
            window[0] += b[LN_CHARS];
            window[1] += b[DENSITY] * w;
            window[2] += b[COMMON] * w;
            weight += w;
        }
        let count = around.len() as f32;
        let pick = |b: Option<Features>| match b {
            Some(b) => [b[LN_CHARS], b[DENSITY], b[IN_REGION]],
            None => [0.0, 0.0, 0.0],
        };
        let [pc, pd, pr] = pick(prev);
        let [nc, nd, nr] = pick(next);
        let w = weight.max(1e-6);
        let rest = [
            pc,
            pd,
            pr,
            nc,
            nd,
            nr,
            window[0] / count,
            window[1] / w,
            window[2] / w,
        ];
        out[i][OWN..PATH].copy_from_slice(&rest);
    }
    out
}

/// The words of `text` (runs of letters and digits; each CJK character on its own),
/// lowercased and hashed, with their length in characters (at most 255).
fn word_hashes(text: &str) -> Vec<(u64, u8)> {
    let mut out = Vec::new();
    let mut hash = 0u64;
    let mut len = 0usize;
    let mut push = |hash: &mut u64, len: &mut usize| {
        if *len > 0 {
            // A final mix (murmur3's), as maps of these use the bits as they are.
            let mut h = *hash;
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            out.push((h, (*len).min(255) as u8));
        }
        *hash = 0;
        *len = 0;
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                let l = c.to_ascii_lowercase();
                hash = (hash ^ u64::from(l))
                    .wrapping_mul(0x0100_0000_01b3)
                    .rotate_left(5);
                len += 1;
            } else {
                push(&mut hash, &mut len);
            }
        } else if c.is_alphanumeric() {
            let cjk = matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff);
            if cjk {
                push(&mut hash, &mut len);
            }
            for l in c.to_lowercase() {
                hash = (hash ^ u64::from(l))
                    .wrapping_mul(0x0100_0000_01b3)
                    .rotate_left(5);
            }
            len += 1;
            if cjk {
                push(&mut hash, &mut len);
            }
        } else {
            push(&mut hash, &mut len);
        }
    }
    push(&mut hash, &mut len);
    out
}

/// A block's element and its ancestors, innermost first, at most `MAX_ANCESTORS`.
pub(crate) fn ancestors(nodes: &[Node], first: u32) -> impl Iterator<Item = usize> + '_ {
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

/// How far up the tree a block's score and counts travel.
pub(crate) const MAX_ANCESTORS: usize = 64;

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_match_the_vector() {
        assert_eq!(super::NAMES.len(), super::COUNT);
    }

    #[test]
    fn words_are_lowercased_and_cjk_split() {
        let a = super::word_hashes("The cat, the CAT");
        assert_eq!(a.len(), 4);
        assert_eq!(a[0], a[2]);
        assert_eq!(a[1], a[3]);
        assert_eq!(super::word_hashes("北京大学").len(), 4);
    }
}
