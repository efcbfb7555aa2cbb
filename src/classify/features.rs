//! What the main-content classifier knows about each block of an HTML page: a fixed
//! vector of numbers describing the block's text (length, words, sentence shape, the
//! share of the page's most common short words), where it stands (tags, flags, class
//! and id hints, the main-content region of `content`, its position) and its
//! neighbours. Every feature is cheap: one pass over the page's text and one over the
//! tree of elements.

use crate::repeats::FingerprintMap;
use crate::segment::html::{flags, HtmlBlock, HtmlPage, Node};

/// Declares the features once, each name beside the expression that computes it from
/// a block's [`Context`]: [`NAMES`], [`COUNT`] and [`fill`] all follow from the one list,
/// in its order (the order of the vector, which the forests index).
macro_rules! features {
    ($context:ident => $($name:ident = $value:expr,)*) => {
        /// The names of the features, in vector order (for training and for reading a
        /// model).
        pub(crate) const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// One block's features, from its context.
        fn fill($context: &Context) -> Features {
            [$(Feature::value($value)),*]
        }
    };
}

/// A feature's value as the forests read it: a number, or 1 and 0 for yes and no.
trait Feature {
    fn value(self) -> f32;
}

impl Feature for bool {
    fn value(self) -> f32 {
        f32::from(u8::from(self))
    }
}

impl Feature for f32 {
    fn value(self) -> f32 {
        self
    }
}

impl Feature for f64 {
    fn value(self) -> f32 {
        self as f32
    }
}

impl Feature for u32 {
    fn value(self) -> f32 {
        self as f32
    }
}

features! { c =>
    // The block's text.
    ln_chars = c.own.ln_chars,
    link_density = c.own.link_density,
    ln_words = c.ln(c.own.words as f64),
    word_len = (c.own.chars / c.own.words.max(1) as f64).min(20.0),
    sentence_end = c.own.sentence_end,
    comma_rate = f64::from(c.own.commas) / c.own.words.max(1) as f64,
    digit_share = f64::from(c.own.digits) / c.own.chars,
    upper_share = f64::from(c.own.upper) / f64::from(c.own.letters.max(1)),
    common_share = c.own.common_share,
    // Where it stands: its elements, and the words of their class and id.
    heading = c.block.heading > 0,
    heading_level = f32::from(c.block.heading) / 6.0,
    list = c.flag(flags::LIST),
    quote = c.flag(flags::QUOTE),
    pre = c.flag(flags::PRE),
    table = c.flag(flags::TABLE),
    figure = c.flag(flags::FIGURE),
    nav = c.flag(flags::NAV),
    header = c.flag(flags::HEADER),
    footer = c.flag(flags::FOOTER),
    aside = c.flag(flags::ASIDE),
    form = c.flag(flags::FORM),
    main_or_article = c.flag(flags::MAIN | flags::ARTICLE),
    tag_p = c.block.tag == "p",
    tag_div = c.block.tag == "div",
    tag_li = c.block.tag == "li",
    tag_cell = matches!(c.block.tag, "td" | "th"),
    tag_dt_dd = matches!(c.block.tag, "dt" | "dd"),
    hint_content = c.own.hint == Node::CONTENT,
    hint_maybe = c.own.hint == Node::MAYBE_FURNITURE,
    hint_furniture = c.own.hint == Node::FURNITURE,
    furniture_above = c.own.furniture_above.min(3),
    // The main-content region.
    in_region = c.own.in_region,
    furniture_to_region = c.layout.furniture_to_region[c.i],
    after_region = c.layout.after_region[c.i],
    score_share = c.layout.score_share[c.i],
    position = c.i as f32 / c.n.max(1) as f32,
    // The elements above it.
    parent_ln_chars = c.own.parent.0,
    parent_link_density = c.own.parent.1,
    grand_ln_chars = c.own.grand.0,
    grand_link_density = c.own.grand.1,
    title_words = c.own.title_share,
    repeat = !c.counts[c.i],
    aria_hidden = c.flag(flags::ARIA_HIDDEN),
    // Its neighbours: the block before and after, and a window of two on each side.
    prev_ln_chars = c.prev.map_or(0.0, |b| b.ln_chars),
    prev_link_density = c.prev.map_or(0.0, |b| b.link_density),
    prev_in_region = c.prev.is_some_and(|b| b.in_region),
    next_ln_chars = c.next.map_or(0.0, |b| b.ln_chars),
    next_link_density = c.next.map_or(0.0, |b| b.link_density),
    next_in_region = c.next.is_some_and(|b| b.in_region),
    window_ln_chars = c.window.0,
    window_link_density = c.window.1,
    window_common_share = c.window.2,
    // Blocks of the same tag path: article paragraphs share theirs, so do teasers.
    path_ln_blocks = c.ln(f64::from(c.page.path_blocks[c.path()])),
    path_chars_share = c.page.path_chars[c.path()] as f64 / c.page.chars.max(1) as f64,
    path_link_density = density(c.page.path_links[c.path()], c.page.path_chars[c.path()]),
    path_ln_mean_chars = c.ln(c.page.path_chars[c.path()] as f64 / f64::from(c.page.path_blocks[c.path()].max(1))),
    parent_ln_blocks = c.ln(f64::from(c.parent_blocks)),
    // The page.
    page_ln_chars = c.ln(c.page.chars as f64),
    region_chars_share = c.page.region_chars as f64 / c.page.chars.max(1) as f64,
}

/// How many features a block has.
pub(crate) const COUNT: usize = NAMES.len();

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

/// What a feature of block `i` is computed from.
struct Context<'a> {
    i: usize,
    n: usize,
    block: &'a HtmlBlock,
    own: &'a Own,
    prev: Option<&'a Own>,
    next: Option<&'a Own>,
    /// The window's mean characters (ln), and its link density and common-word share
    /// weighted by characters (ln).
    window: (f32, f32, f32),
    /// Blocks under the block's parent element.
    parent_blocks: u32,
    counts: &'a [bool],
    layout: &'a Layout,
    page: &'a PageCounts,
}

impl Context<'_> {
    fn flag(&self, bits: u16) -> bool {
        self.block.flags & bits != 0
    }

    fn path(&self) -> usize {
        self.block.path as usize
    }

    fn ln(&self, x: f64) -> f32 {
        ln(x)
    }
}

/// What one pass over a block's text and its ancestors finds.
struct Own {
    chars: f64,
    ln_chars: f32,
    link_density: f32,
    words: usize,
    commas: u32,
    digits: u32,
    upper: u32,
    letters: u32,
    sentence_end: bool,
    common_share: f32,
    title_share: f32,
    /// The nearest class or id hint above it.
    hint: i8,
    furniture_above: u32,
    /// Characters (ln) and link density of its parent and grandparent elements.
    parent: (f32, f32),
    grand: (f32, f32),
    in_region: bool,
}

/// Counts over the page: per tag path, and in all.
struct PageCounts {
    path_blocks: Vec<u32>,
    path_chars: Vec<u64>,
    path_links: Vec<u64>,
    chars: u64,
    region_chars: u64,
}

fn ln(x: f64) -> f32 {
    libm::log1p(x) as f32
}

fn density(links: u64, chars: u64) -> f32 {
    if chars == 0 {
        0.0
    } else {
        (links as f64 / chars as f64) as f32
    }
}

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
    // The most frequent first, then by hash: as (u32::MAX - count, hash) pairs in their
    // natural order, the one pair sort of the crate (each sort is code in WebAssembly).
    let mut ranked: Vec<(u64, u64)> = freq
        .into_iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(h, c)| (u64::from(u32::MAX - c), h))
        .collect();
    ranked.sort_unstable();
    let short: FingerprintMap<()> = words
        .iter()
        .flatten()
        .filter(|(_, len)| usize::from(*len) <= COMMON_LEN)
        .map(|(h, _)| (*h, ()))
        .collect();
    let common: FingerprintMap<()> = ranked
        .iter()
        .filter(|(_, h)| short.contains_key(h))
        .take(COMMON_WORDS)
        .map(|(_, h)| (*h, ()))
        .collect();
    let title: FingerprintMap<()> = page
        .title
        .as_deref()
        .map(|t| word_hashes(t).into_iter().map(|(h, _)| (h, ())).collect())
        .unwrap_or_default();
    let nodes = &page.nodes;
    let share = |list: &[(u64, u8)], of: &FingerprintMap<()>| {
        if list.is_empty() || of.is_empty() {
            0.0
        } else {
            list.iter().filter(|(h, _)| of.contains_key(h)).count() as f32 / list.len() as f32
        }
    };

    let own: Vec<Own> = page
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let text = page.text(block);
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
            let chars = f64::from(block.chars.max(1));
            let (mut hint, mut furniture_above) = (0, 0u32);
            let (mut parent, mut grand) = (None, None);
            for (level, id) in ancestors(nodes, block.node).enumerate() {
                let node = &nodes[id];
                if hint == 0 {
                    hint = node.hint;
                }
                furniture_above += u32::from(node.hint == Node::FURNITURE);
                if level == 1 {
                    parent = Some(id);
                } else if level == 2 {
                    grand = Some(id);
                }
            }
            let own_density = density(u64::from(block.link_chars), chars as u64);
            let up = |id: Option<usize>| match id {
                Some(id) => (
                    ln(layout.chars[id] as f64),
                    density(layout.links[id], layout.chars[id]),
                ),
                None => (ln(chars), own_density),
            };
            Own {
                chars,
                ln_chars: ln(chars),
                link_density: own_density,
                words: words[i].len(),
                commas,
                digits,
                upper,
                letters,
                sentence_end: matches!(
                    last,
                    '.' | '!' | '?' | '。' | '！' | '？' | '"' | '”' | '»'
                ),
                common_share: share(&words[i], &common),
                title_share: share(&words[i], &title),
                hint,
                furniture_above,
                parent: up(parent),
                grand: up(grand),
                in_region: layout.in_region[i],
            }
        })
        .collect();

    let mut counted = PageCounts {
        path_blocks: vec![0; page.paths.len()],
        path_chars: vec![0; page.paths.len()],
        path_links: vec![0; page.paths.len()],
        chars: 0,
        region_chars: 0,
    };
    let mut node_blocks = vec![0u32; nodes.len()];
    for (i, block) in page.blocks.iter().enumerate() {
        let p = block.path as usize;
        counted.path_blocks[p] += 1;
        counted.path_chars[p] += u64::from(block.chars);
        counted.path_links[p] += u64::from(block.link_chars);
        counted.chars += u64::from(block.chars);
        if layout.in_region[i] {
            counted.region_chars += u64::from(block.chars);
        }
        for id in ancestors(nodes, block.node).take(2) {
            node_blocks[id] += 1;
        }
    }

    (0..n)
        .map(|i| {
            let block = &page.blocks[i];
            let around = &own[i.saturating_sub(2)..(i + 3).min(n)];
            let (mut sum, mut weight) = ([0f32; 3], 0f32);
            for b in around {
                let w = b.ln_chars;
                sum[0] += b.ln_chars;
                sum[1] += b.link_density * w;
                sum[2] += b.common_share * w;
                weight += w;
            }
            let w = weight.max(1e-6);
            let parent = ancestors(nodes, block.node).nth(1);
            fill(&Context {
                i,
                n,
                block,
                own: &own[i],
                prev: i.checked_sub(1).map(|j| &own[j]),
                next: own.get(i + 1),
                window: (sum[0] / around.len() as f32, sum[1] / w, sum[2] / w),
                parent_blocks: parent.map_or(1, |id| node_blocks[id]),
                counts,
                layout,
                page: &counted,
            })
        })
        .collect()
}

/// The words of `text` (runs of letters and digits; each CJK character on its own),
/// lowercased and hashed, with their length in characters (at most 255).
fn word_hashes(text: &str) -> Vec<(u64, u8)> {
    // About a word per six bytes of text.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
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
    fn names_are_distinct_and_the_models_read_as_many() {
        let mut names = super::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), super::COUNT);
        assert_eq!(super::COUNT, 59); // what the shipped forests were trained on
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
