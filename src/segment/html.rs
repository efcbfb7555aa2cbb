//! HTML to blocks: every block-level element's own text becomes a block, with where it
//! stands in the page (a tag path with class and id words, heading level, list, quote,
//! table, pre, figure and page-furniture flags), how much of it is link text, and its
//! byte span in the input.
//!
//! The page is first parsed into the tree a browser builds ([`crate::segment::tree`]: the HTML
//! standard's tree construction over `html5gum`'s tokens, which also decode character
//! references), so that implied `<head>`, `<body>` and end tags, tables, misnested
//! formatting and the rest give the blocks a browser shows. Then one walk over the tree
//! makes the blocks, their text and the inline markup the cleaned HTML keeps
//! ([`Mark`]), under one set of visibility rules:
//!
//! Inline elements flatten into their block's text; runs of white space outside `<pre>`
//! become one space; `<br>` and `<hr>` split blocks. `script`, `style`, `template`,
//! `head` and `title`, `svg`, `math`, `iframe`, `object`, `select`, `textarea`,
//! comments, and elements that are `hidden` or styled `display:none`/
//! `visibility:hidden` give no text, but for the segments React streams hidden and
//! then shows (`<div hidden id="S:…">`), which are the page's text. Block elements
//! marked `aria-hidden="true"` are shown, only not read out: their text is kept with a
//! flag ([`flags::ARIA_HIDDEN`]) for the classifier to weigh (inline ones stay out, so
//! as not to run into the text around them). The page title is the text of its first
//! `<title>`.
//!
//! Bounded work on any input: the tree's depth and the parser's work are bounded
//! (see [`crate::segment::tree`]), and a block's tag path keeps its last [`PATH_ELEMENTS`]
//! elements, so the work stays linear in the input.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::Input;

use std::ops::Range;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::segment::tree::{self, attr, Data, Dom, Element, Ns};

/// How many of the innermost elements a tag path names.
pub(crate) const PATH_ELEMENTS: usize = 12;

/// Flags of a block: where it stands.
pub(crate) mod flags {
    pub const LIST: u16 = 1;
    pub const QUOTE: u16 = 1 << 1;
    pub const PRE: u16 = 1 << 2;
    pub const TABLE: u16 = 1 << 3;
    pub const FIGURE: u16 = 1 << 4;
    pub const NAV: u16 = 1 << 5;
    pub const HEADER: u16 = 1 << 6;
    pub const FOOTER: u16 = 1 << 7;
    pub const ASIDE: u16 = 1 << 8;
    pub const FORM: u16 = 1 << 9;
    pub const MAIN: u16 = 1 << 10;
    pub const ARTICLE: u16 = 1 << 11;
    pub const ADDRESS: u16 = 1 << 12;
    /// Inside an element marked `aria-hidden="true"`: shown, but not read out.
    pub const ARIA_HIDDEN: u16 = 1 << 13;
}

/// One block of an HTML page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HtmlBlock {
    /// Bytes of the input from the block's first text to its last.
    pub span: Range<usize>,
    /// The block's text, a range of [`HtmlPage::texts`].
    pub text: Range<usize>,
    /// Index of its tag path in [`HtmlPage::paths`].
    pub path: u32,
    /// The innermost block-level element, such as `"p"` or `"li"`.
    pub tag: &'static str,
    /// The innermost open element (an index of [`HtmlPage::nodes`]), or [`Node::NONE`].
    pub node: u32,
    /// 1 to 6 inside `<h1>`…`<h6>`, else 0.
    pub heading: u8,
    /// [`flags`] of the elements around it.
    pub flags: u16,
    /// Characters of its text inside links, white space not counted.
    pub link_chars: u32,
    /// Characters of its text.
    pub chars: u32,
    /// Its inline markup, a range of [`HtmlPage::marks`].
    pub marks: Range<u32>,
}

/// The blocks of an HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HtmlPage {
    pub blocks: Vec<HtmlBlock>,
    /// The texts of all blocks, one after the other.
    pub texts: String,
    /// Distinct tag paths, such as `body>div#main.content>article>p`.
    pub paths: Vec<String>,
    /// The text of the first `<title>`.
    pub title: Option<String>,
    /// The elements that hold text, in document order.
    pub nodes: Vec<Node>,
    /// Where the inline elements the cleaned HTML keeps open and close.
    pub marks: Vec<Mark>,
    /// The targets of links, for [`Mark::href`].
    pub hrefs: Vec<String>,
}

/// An element of the page that holds text (not hidden or skipped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    /// The enclosing element, or [`Node::NONE`].
    pub parent: u32,
    /// The tag name if it is a known block-level element, else `""`.
    pub block: &'static str,
    /// Its own [`flags`] bit, if any.
    pub flag: u16,
    /// What its class and id words suggest: [`Node::CONTENT`], 0, or
    /// [`Node::MAYBE_FURNITURE`] or [`Node::FURNITURE`].
    pub hint: i8,
}

impl Node {
    pub const NONE: u32 = u32::MAX;
    /// [`Node::hint`]: class or id words of article bodies.
    pub const CONTENT: i8 = 1;
    /// [`Node::hint`]: words that often name furniture.
    pub const MAYBE_FURNITURE: i8 = -1;
    /// [`Node::hint`]: words that name furniture.
    pub const FURNITURE: i8 = -2;
}

impl HtmlPage {
    /// A block's text.
    pub fn text(&self, block: &HtmlBlock) -> &str {
        &self.texts[block.text.clone()]
    }

    /// The element enclosing a block's innermost element, or [`Node::NONE`].
    pub fn parent(&self, block: &HtmlBlock) -> u32 {
        self.nodes
            .get(block.node as usize)
            .map_or(Node::NONE, |node| node.parent)
    }
}

/// What kind of element a tag is, for segmentation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Ends the block before it and starts its own.
    Block,
    /// Text flows through it.
    Inline,
    /// No end tag.
    Void,
    /// Its content gives no text.
    Skip,
}

/// Block-level elements, with their names as `&'static str` (each list sorted, for a
/// binary search; a test checks).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "plaintext",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
];

const VOIDS: &[&str] = &[
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
];

const SKIPS: &[&str] = &[
    "audio", "canvas", "head", "iframe", "map", "math", "noembed", "noframes", "object", "script",
    "select", "style", "svg", "template", "textarea", "title", "video",
];

fn kind(name: &str) -> (Kind, &'static str) {
    for (list, kind) in [
        (BLOCKS, Kind::Block),
        (VOIDS, Kind::Void),
        (SKIPS, Kind::Skip),
    ] {
        if let Ok(i) = list.binary_search(&name) {
            return (kind, list[i]);
        }
    }
    (Kind::Inline, "")
}

fn flag_of(name: &str) -> u16 {
    match name {
        "li" | "ul" | "ol" | "dl" | "dd" | "dt" | "menu" | "dir" => flags::LIST,
        "blockquote" | "q" => flags::QUOTE,
        "pre" | "listing" | "xmp" | "plaintext" => flags::PRE,
        "table" | "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption" => flags::TABLE,
        "figure" | "figcaption" => flags::FIGURE,
        "nav" => flags::NAV,
        "header" => flags::HEADER,
        "footer" => flags::FOOTER,
        "aside" => flags::ASIDE,
        "form" | "fieldset" => flags::FORM,
        "main" => flags::MAIN,
        "article" => flags::ARTICLE,
        "address" => flags::ADDRESS,
        _ => 0,
    }
}

/// Inline elements the cleaned HTML keeps (sorted, for a binary search).
pub(crate) const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "strong", "sub",
    "sup", "u", "var",
];

/// Where an inline element of [`INLINE`] opens or closes in a block's text, for the
/// cleaned HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    /// Bytes into the block's text.
    pub at: u32,
    /// An index of [`INLINE`], or [`Mark::CLOSE`].
    pub tag: u8,
    /// For a link: an index of [`HtmlPage::hrefs`], or [`Node::NONE`].
    pub href: u32,
}

impl Mark {
    /// Closes the innermost open element.
    pub const CLOSE: u8 = u8::MAX;
}

struct Open {
    kind: Kind,
    /// The block-level name, for blocks.
    block: &'static str,
    flag: u16,
    /// Length of the path string before this element's part.
    path_len: usize,
    /// Whether it added a part to the path.
    in_path: bool,
    link: bool,
    heading: bool,
    /// Its index in [`HtmlPage::nodes`].
    node: u32,
    /// For an element of [`INLINE`]: its index and link target, and whether it has
    /// been opened in the current block's marks.
    mark: Option<(u8, u32)>,
    marked: bool,
}

/// What entering an element did.
enum Entered {
    /// Its content is read.
    Open,
    /// It has no content (void), or its content gives no text.
    Closed,
}

struct Builder<'d> {
    dom: &'d Dom,
    page: HtmlPage,
    stack: Vec<Open>,
    /// Open elements per flag bit, to know the flags of a block in O(1).
    flag_counts: [u32; 16],
    /// Open `<a>` elements.
    links: u32,
    /// Open `<pre>`-like elements.
    pre: u32,
    /// Open headings, innermost last.
    headings: Vec<u8>,
    /// The path string of the open elements (all of them; paths cut when stored).
    path: String,
    path_parts: Vec<usize>,
    path_ids: HashMap<String, u32, Xxh3DefaultBuilder>,
    /// [`class_hint`] of each class/id string met (pages repeat their classes).
    hints: HashMap<Box<str>, i8, Xxh3DefaultBuilder>,
    /// The current block's text, its span and link characters.
    text: String,
    span: Option<Range<usize>>,
    link_chars: u32,
    chars: u32,
    pending_space: bool,
    /// The current block's marks start here in [`HtmlPage::marks`].
    marks_from: usize,
    /// [`kind`] and the [`INLINE`] index of each tag name met, by atom.
    kinds: Vec<Option<(Kind, &'static str, Option<u8>)>>,
}

/// Splits an HTML page (already decoded) into blocks: the page's tree as a browser
/// builds it ([`crate::segment::tree`], with or without its recoveries from raw text
/// and comments that never end), walked in document order.
pub(crate) fn segment_with(input: &str, recover: bool) -> HtmlPage {
    let dom = tree::parse_with(
        input,
        tree::Options {
            keep_all: false,
            recover,
        },
    )
    .dom;
    let mut b = Builder {
        dom: &dom,
        page: HtmlPage::default(),
        stack: Vec::new(),
        flag_counts: [0; 16],
        links: 0,
        pre: 0,
        headings: Vec::new(),
        path: String::new(),
        path_parts: Vec::new(),
        path_ids: HashMap::default(),
        hints: HashMap::default(),
        text: String::new(),
        span: None,
        link_chars: 0,
        chars: 0,
        pending_space: false,
        marks_from: 0,
        kinds: Vec::new(),
    };
    b.page.title = dom.title_text();
    let mut at = dom.nodes[0].first_child;
    while at != tree::NONE {
        let node = &dom.nodes[at as usize];
        let mut descend = false;
        match &node.data {
            Data::Text { text, span } => b.text(dom.text(text), span.clone()),
            Data::Element(e) => {
                if let Entered::Open = b.enter(&dom.elements[*e as usize]) {
                    if node.first_child == tree::NONE {
                        b.leave();
                    } else {
                        descend = true;
                    }
                }
            }
            Data::Document | Data::Comment(_) | Data::Doctype(_) => {}
        }
        if descend {
            at = node.first_child;
            continue;
        }
        // On to the next sibling, leaving the elements whose last child this was.
        at = at_next(&dom, at, &mut b);
    }
    b.flush();
    b.page
}

/// The node after `at` in document order once its subtree is done, leaving each
/// element climbed out of.
fn at_next(dom: &Dom, mut at: u32, b: &mut Builder<'_>) -> u32 {
    loop {
        let node = &dom.nodes[at as usize];
        if node.next != tree::NONE {
            return node.next;
        }
        at = node.parent;
        if at == 0 || at == tree::NONE {
            return tree::NONE;
        }
        b.leave();
    }
}

/// What the class and id words of an element (`#id.class`, as in paths) suggest about
/// its content: [`Node::FURNITURE`] for words that name page furniture for sure (menus,
/// sharing, comments, related links …), [`Node::MAYBE_FURNITURE`] for words that often
/// do (`widget`, `meta`, `tags` …; page builders put `widget` on everything),
/// [`Node::CONTENT`] for words of article bodies, 0 for none. Matched as substrings of
/// the lowercased words; the lists grew from Readability's (Mozilla).
fn class_hint(words: &str) -> i8 {
    const FURNITURE: &[&str] = &[
        "comment",
        "share",
        "sharing",
        "social",
        "related",
        "breadcrumb",
        "nav",
        "menu",
        "cookie",
        "consent",
        "newsletter",
        "subscribe",
        "sidebar",
        "footer",
        "advert",
        "sponsor",
        "popup",
        "modal",
        "banner",
        "signup",
        "login",
        "outbrain",
        "taboola",
        "disqus",
        "masthead",
        "skyscraper",
        "shoutbox",
        "combx",
        "pagination",
        "pager",
        "recommend",
    ];
    const MAYBE_FURNITURE: &[&str] = &[
        "widget",
        "meta",
        "media",
        "tags",
        "tool",
        "scroll",
        "promo",
        "contact",
        "author",
        "byline",
        "header",
        "copyright",
        "disclaimer",
        "shopping",
        "com-",
        "foot",
    ];
    const CONTENT: &[&str] = &[
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
        "blog", "story",
    ];
    static MATCHER: OnceLock<(DFA, usize, usize)> = OnceLock::new();
    if words.is_empty() {
        return 0;
    }
    // One automaton for the three lists (ASCII case-insensitive), all matches seen: a
    // DFA, what `AhoCorasick` picks for so few patterns, used directly so that the
    // other kinds of automaton are not compiled in (a smaller WebAssembly module).
    let (matcher, furniture, content) = MATCHER.get_or_init(|| {
        let patterns = FURNITURE.iter().chain(CONTENT).chain(MAYBE_FURNITURE);
        let matcher = DFA::builder()
            .ascii_case_insensitive(true)
            .build(patterns)
            .expect("the word lists are small");
        (matcher, FURNITURE.len(), FURNITURE.len() + CONTENT.len())
    });
    let mut best = 0;
    let matches = matcher
        .try_find_overlapping_iter(Input::new(words))
        .expect("standard match semantics, unanchored: overlapping search is supported");
    for m in matches {
        let id = m.pattern().as_usize();
        if id < *furniture {
            return Node::FURNITURE;
        }
        best = if id < *content {
            Node::CONTENT
        } else if best == 0 {
            Node::MAYBE_FURNITURE
        } else {
            best
        };
    }
    best
}

impl Builder<'_> {
    fn hint(&mut self, words: &str) -> i8 {
        if words.is_empty() {
            return 0;
        }
        if let Some(&hint) = self.hints.get(words) {
            return hint;
        }
        let hint = class_hint(words);
        self.hints.insert(words.into(), hint);
        hint
    }

    /// Enters an element of the tree.
    fn enter(&mut self, el: &Element) -> Entered {
        // SVG and MathML give no text.
        if el.ns != Ns::Html {
            return Entered::Closed;
        }
        let name = self.dom.name(el.name);
        if matches!(name, "br" | "hr") {
            self.flush();
            return Entered::Closed;
        }
        let atom = el.name as usize;
        if self.kinds.len() <= atom {
            self.kinds.resize(atom + 1, None);
        }
        let (kind, block, inline) = *self.kinds[atom].get_or_insert_with(|| {
            let (kind, block) = kind(name);
            (
                kind,
                block,
                INLINE.binary_search(&name).ok().map(|i| i as u8),
            )
        });
        if kind == Kind::Void {
            return Entered::Closed;
        }
        if kind == Kind::Block {
            self.flush();
        }
        // An aria-hidden block is flagged; aria-hidden inline text would run into the
        // visible text around it, so it stays out.
        let aria_hidden = el.attrs & attr::ARIA_HIDDEN != 0;
        let flagged = aria_hidden && kind == Kind::Block;
        if el.attrs & attr::HIDDEN != 0 || (aria_hidden && !flagged) || kind == Kind::Skip {
            return Entered::Closed;
        }
        let flag = flag_of(name) | if flagged { flags::ARIA_HIDDEN } else { 0 };
        for bit in 0..16 {
            if flag & (1 << bit) != 0 {
                self.flag_counts[bit] += 1;
            }
        }
        let link = name == "a";
        self.links += u32::from(link);
        self.pre += u32::from(flag & flags::PRE != 0);
        let level = heading_level(name);
        if let Some(level) = level {
            self.headings.push(level);
        }
        let words = &*el.words;
        let path_len = self.path.len();
        // Elements the parser implied are not in the markup: tag paths and the
        // elements that hold text are the page's as written.
        let implied = el.attrs & attr::IMPLIED != 0;
        let in_path = !implied && (kind == Kind::Block || !words.is_empty());
        if in_path {
            if !self.path.is_empty() {
                self.path.push('>');
            }
            self.path.push_str(name);
            self.path.push_str(words);
            self.path_parts.push(path_len);
        }
        let parent = self.stack.last().map_or(Node::NONE, |o| o.node);
        let node = if implied {
            parent
        } else {
            let hint = self.hint(words);
            self.page.nodes.push(Node {
                parent,
                block,
                flag,
                hint,
            });
            (self.page.nodes.len() - 1) as u32
        };
        let mark = inline.map(|i| {
            let href = match &el.href {
                Some(href) if link => {
                    self.page.hrefs.push(href.to_string());
                    (self.page.hrefs.len() - 1) as u32
                }
                _ => Node::NONE,
            };
            (i, href)
        });
        self.stack.push(Open {
            kind,
            block,
            flag,
            path_len,
            in_path,
            link,
            heading: level.is_some(),
            node,
            mark,
            marked: false,
        });
        Entered::Open
    }

    /// Leaves the innermost open element.
    fn leave(&mut self) {
        if self.stack.last().is_some_and(|o| o.kind == Kind::Block) {
            self.flush();
        }
        let Some(open) = self.stack.pop() else { return };
        if open.marked {
            self.page.marks.push(Mark {
                at: self.text.len() as u32,
                tag: Mark::CLOSE,
                href: Node::NONE,
            });
        }
        for bit in 0..16 {
            if open.flag & (1 << bit) != 0 {
                self.flag_counts[bit] -= 1;
            }
        }
        self.links -= u32::from(open.link);
        self.pre -= u32::from(open.flag & flags::PRE != 0);
        if open.heading {
            self.headings.pop();
        }
        if open.in_path {
            self.path.truncate(open.path_len);
            self.path_parts.pop();
        }
    }

    fn text(&mut self, text: &str, span: Range<usize>) {
        let in_link = self.links > 0;
        let mut wrote = false;
        for c in text.chars() {
            if self.pre == 0 && matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.pending_space = !self.text.is_empty();
                continue;
            }
            if self.pending_space {
                self.text.push(' ');
                self.chars += 1;
                self.pending_space = false;
            }
            if !wrote {
                self.open_marks();
            }
            self.text.push(c);
            self.chars += 1;
            self.link_chars += u32::from(in_link);
            wrote = true;
        }
        if wrote {
            let span = match self.span.take() {
                Some(old) => old.start.min(span.start)..old.end.max(span.end),
                None => span,
            };
            self.span = Some(span);
        }
    }

    /// Opens, in the current block's marks, the inline elements open around its text.
    fn open_marks(&mut self) {
        let at = self.text.len() as u32;
        for open in self.stack.iter_mut().filter(|o| !o.marked) {
            if let Some((tag, href)) = open.mark {
                self.page.marks.push(Mark { at, tag, href });
                open.marked = true;
            }
        }
    }

    /// Ends the current block, if it has text.
    fn flush(&mut self) {
        self.pending_space = false;
        for open in &mut self.stack {
            open.marked = false;
        }
        let text = if self.pre > 0 {
            self.text.trim_end()
        } else {
            self.text.as_str()
        };
        if text.trim().is_empty() {
            self.text.clear();
            self.span = None;
            self.link_chars = 0;
            self.chars = 0;
            self.page.marks.truncate(self.marks_from);
            return;
        }
        let start = self.page.texts.len();
        self.page.texts.push_str(text);
        let end = self.page.texts.len();
        let cut = self
            .path_parts
            .len()
            .checked_sub(PATH_ELEMENTS)
            .map_or(0, |i| self.path_parts[i] + 1);
        let path = &self.path[cut.min(self.path.len())..];
        let next_id = self.page.paths.len() as u32;
        let path_id = *self.path_ids.entry(path.to_owned()).or_insert_with(|| {
            self.page.paths.push(path.to_owned());
            next_id
        });
        let mut flags = 0u16;
        for (bit, count) in self.flag_counts.iter().enumerate() {
            if *count > 0 {
                flags |= 1 << bit;
            }
        }
        let tag = self
            .stack
            .iter()
            .rev()
            .find(|o| o.kind == Kind::Block)
            .map_or("body", |o| o.block);
        let marks = self.marks_from as u32..self.page.marks.len() as u32;
        self.marks_from = self.page.marks.len();
        self.page.blocks.push(HtmlBlock {
            span: self.span.take().unwrap_or(0..0),
            text: start..end,
            path: path_id,
            tag,
            node: self.stack.last().map_or(Node::NONE, |o| o.node),
            heading: self.headings.last().copied().unwrap_or(0),
            flags,
            link_chars: self.link_chars.min(self.chars),
            chars: self.chars,
            marks,
        });
        self.text.clear();
        self.link_chars = 0;
        self.chars = 0;
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    fn segment(input: &str) -> HtmlPage {
        segment_with(input, true)
    }

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn texts(html: &str) -> Vec<String> {
        let page = segment(html);
        page.blocks
            .iter()
            .map(|b| page.text(b).to_owned())
            .collect()
    }

    #[test]
    fn blocks_inline_flattening_and_spaces() {
        assert_eq!(
            texts(
                "<div>Hello <b>big</b>\n  <i>world</i><p>Para&nbsp;one &amp; two</p> after</div>"
            ),
            ["Hello big world", "Para\u{a0}one & two", "after"]
        );
        assert_eq!(texts("<p>a<br>b<br/>c</p><hr>d"), ["a", "b", "c", "d"]);
        assert_eq!(
            texts("<ul><li>one<li>two</ul><p>x<p>y"),
            ["one", "two", "x", "y"]
        );
        assert_eq!(
            texts("<table><tr><td>a<td>b<tr><td>c</table>"),
            ["a", "b", "c"]
        );
        assert_eq!(
            texts("<pre>  line 1\n    line 2\n</pre>"),
            ["  line 1\n    line 2"]
        );
    }

    #[test]
    fn no_text_from_scripts_styles_comments_and_hidden_elements() {
        let html = "<head><title> The  title </title><style>p{}</style></head><body>\
            <script>var x = '<p>no</p>';</script><!-- <p>comment</p> -->\
            <p hidden>h1</p><div style=\"display:none\"><p>h2</p></div>\
            <p>a<span style=\"display: none\">h3</span><b aria-hidden=true>h4</b>b</p>\
            <template><p>t</p></template><noscript>n</noscript><svg><text>s</text></svg>\
            <p>shown</p></body>";
        let page = segment(html);
        // `<noscript>` is markup to read: boildown runs no scripts.
        assert_eq!(texts(html), ["ab", "n", "shown"]);
        assert_eq!(page.title.as_deref(), Some("The title"));
    }

    #[test]
    fn blocks_hidden_from_screen_readers_are_flagged() {
        let html = "<div aria-hidden=\"true\"><p>decor <b>two</b></p><ul><li>item</ul></div>\
            <div style=\"display: none\"><p>tab</p></div><p>shown</p>";
        let page = segment(html);
        let flags: Vec<_> = page
            .blocks
            .iter()
            .map(|b| b.flags & flags::ARIA_HIDDEN)
            .collect();
        assert_eq!(texts(html), ["decor two", "item", "shown"]);
        assert_eq!(flags, [flags::ARIA_HIDDEN, flags::ARIA_HIDDEN, 0]);
    }

    #[test]
    fn react_streamed_segments_are_text_though_hidden() {
        // React sends a suspended part late, hidden, and a script shows it in place.
        let html = "<body><template id=\"B:1\"></template><p>Loading</p>\
            <div hidden id=\"S:1f\"><p>The article</p></div>\
            <script>$RC(\"B:1\",\"S:1f\")</script>\
            <div hidden id=\"S:\">no</div><div hidden id=\"S:x\">no</div></body>";
        assert_eq!(texts(html), ["Loading", "The article"]);
    }

    #[test]
    fn paths_flags_headings_links_and_spans() {
        let html = "<body><nav class=\"menu top\"><ul><li><a href=/>Home</a></li></ul></nav>\
            <main id=content><h2>Title <em>here</em></h2><p>Text with <a href=x>a link</a>.</p></main></body>";
        let page = segment(html);
        let [home, title, text] = &page.blocks[..] else {
            panic!("{page:?}")
        };
        assert_eq!(page.paths[home.path as usize], "body>nav.menu.top>ul>li");
        assert!(home.flags & flags::NAV != 0 && home.flags & flags::LIST != 0);
        assert_eq!((home.link_chars, home.chars), (4, 4));
        assert_eq!((title.heading, title.tag), (2, "h2"));
        assert_eq!(page.paths[text.path as usize], "body>main#content>p");
        assert_eq!((text.link_chars, text.chars), (5, 17));
        assert_eq!(&html[text.span.clone()], "Text with <a href=x>a link</a>.");
    }

    #[test]
    fn deep_nesting_and_many_breaks_stay_linear() {
        let deep = "<div>".repeat(10_000) + "deep text" + &"</div>".repeat(10_000);
        let page = segment(&deep);
        assert_eq!(page.blocks.len(), 1);
        assert!(page.paths[0].matches('>').count() < PATH_ELEMENTS);
        let breaks = "x<br>".repeat(100_000);
        assert_eq!(segment(&breaks).blocks.len(), 100_000);
        let unmatched = "</div>".repeat(100_000) + "<p>ok";
        assert_eq!(texts(&unmatched), ["ok"]);
    }

    #[test]
    fn tag_lists_are_sorted() {
        for list in [BLOCKS, VOIDS, SKIPS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
        assert_eq!(kind("li").1, "li");
        assert!(kind("span").0 == Kind::Inline);
    }

    #[test]
    fn junk_never_panics() {
        for html in [
            "",
            "<",
            "<<>>",
            "</",
            "<a href='",
            "&#x110000;&#0;\u{0}",
            "<p>\u{0}x",
            "<!--",
            "<plaintext><p>raw",
        ] {
            let page = segment(html);
            for b in &page.blocks {
                assert!(b.span.end <= html.len());
            }
        }
    }
}
