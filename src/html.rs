//! HTML to blocks: every block-level element's own text becomes a block, with where it
//! stands in the page (a tag path with class and id words, heading level, list, quote,
//! table, pre, figure and page-furniture flags), how much of it is link text, and its
//! byte span in the input.
//!
//! Tokens come from `html5gum`, a WHATWG-conformant tokenizer (it passes html5lib's
//! tokenizer tests; no `unsafe`; no dependencies), which also decodes character
//! references. On top of it this module keeps a stack of open elements with the
//! HTML parser's common implied end tags (`<p>`, `<li>`, `<td>`, `<tr>`, `<dt>`, `<dd>`,
//! `<option>`), not the full tree-construction algorithm: for finding blocks, the
//! difference is in mis-nested formatting elements, which carry no block boundaries.
//!
//! Inline elements flatten into their block's text; runs of white space outside `<pre>`
//! become one space; `<br>` and `<hr>` split blocks. `script`, `style`, `template`,
//! `head` (but its `title`), `svg`, `math`, `iframe`, `object`, `select`,
//! comments, and elements that are `hidden` or styled `display:none`/
//! `visibility:hidden` give no text, but for the segments React streams hidden and
//! then shows (`<div hidden id="S:…">`), which are the page's text. Block elements
//! marked `aria-hidden="true"` are shown, only not read out: their text is kept with a
//! flag ([`flags::ARIA_HIDDEN`]) for the classifier to weigh (inline ones stay out, so
//! as not to run into the text around them).
//!
//! Bounded work on any input: the stack holds at most [`MAX_DEPTH`] elements (deeper
//! start tags are treated as inline), an end tag is matched against at most
//! [`END_TAG_SEARCH`] open elements, and a block's tag path keeps its last
//! [`PATH_ELEMENTS`] elements, so the work stays linear in the input.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use std::ops::Range;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, SpanBound, State, Tokenizer};

/// The most elements kept open; deeper start tags count as inline.
pub(crate) const MAX_DEPTH: usize = 512;
/// How far down the stack an end tag looks for its element.
pub(crate) const END_TAG_SEARCH: usize = 64;
/// How many of the innermost elements a tag path names.
pub(crate) const PATH_ELEMENTS: usize = 12;
/// Class and id words kept per element in a path, and their longest length.
const PATH_WORDS: usize = 3;
const PATH_WORD_LEN: usize = 24;

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
    /// The elements kept on the stack of open elements, in document order.
    pub nodes: Vec<Node>,
}

/// An element of the page (one kept on the stack of open elements).
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
    "select", "style", "svg", "template", "textarea", "video",
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

struct Open {
    name: String,
    kind: Kind,
    /// The block-level name, for blocks.
    block: &'static str,
    flag: u16,
    /// Length of the path string before this element's part.
    path_len: usize,
    /// Whether it added a part to the path.
    in_path: bool,
    hidden: bool,
    /// Its index in [`HtmlPage::nodes`].
    node: u32,
}

struct Builder {
    page: HtmlPage,
    stack: Vec<Open>,
    /// Open elements per flag bit, to know the flags of a block in O(1).
    flag_counts: [u32; 16],
    /// Skipped or hidden elements open: no text while above zero.
    hidden: u32,
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
    hints: HashMap<String, i8, Xxh3DefaultBuilder>,
    /// The current block's text, its span and link characters.
    text: String,
    span: Option<Range<usize>>,
    link_chars: u32,
    chars: u32,
    pending_space: bool,
    /// Inside `<title>`, and its text so far.
    in_title: bool,
    title: String,
}

/// Splits an HTML page (already decoded) into blocks.
pub(crate) fn segment(input: &str) -> HtmlPage {
    let mut b = Builder {
        page: HtmlPage::default(),
        stack: Vec::new(),
        flag_counts: [0; 16],
        hidden: 0,
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
        in_title: false,
        title: String::new(),
    };
    {
        let handler = Handler {
            builder: &mut b,
            name: String::new(),
            attribute: Attribute::Other,
            id: None,
            class: None,
            style: None,
            hidden: false,
            aria_hidden: None,
            next_state: None,
            text: String::new(),
        };
        let emitter = Quiet(CallbackEmitter::new(handler));
        let tokenizer = Tokenizer::new_with_emitter(input, emitter);
        // The handler builds the page; no tokens come out (reading a `&str` cannot fail).
        for _ in tokenizer {}
    }
    b.flush();
    let title = b.title.split_whitespace().collect::<Vec<_>>().join(" ");
    b.page.title = (!title.is_empty()).then_some(title);
    b.page
}

/// The attributes a start tag is read for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attribute {
    Id,
    Class,
    Style,
    AriaHidden,
    Other,
}

/// Receives html5gum's events (tag names, attributes, text with its span) and feeds
/// the [`Builder`]; keeps only the attributes it reads, so a tag costs no allocation
/// beyond its name.
struct Handler<'a> {
    builder: &'a mut Builder,
    /// The open start tag's name and the attributes read so far (the first of each
    /// name counts, as in the HTML parser).
    name: String,
    attribute: Attribute,
    id: Option<String>,
    class: Option<String>,
    style: Option<String>,
    hidden: bool,
    aria_hidden: Option<String>,
    /// The tokenizer state the tree builder would switch to after this start tag.
    next_state: Option<State>,
    /// Scratch space for text that is not valid UTF-8 (never, from a `&str`).
    text: String,
}

fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

impl Callback<std::convert::Infallible, usize> for Handler<'_> {
    fn handle_event(
        &mut self,
        event: CallbackEvent<'_>,
        span: Span<usize>,
    ) -> Option<std::convert::Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.name.clear();
                self.name.push_str(&lossy(name));
                self.attribute = Attribute::Other;
                self.id = None;
                self.class = None;
                self.style = None;
                self.hidden = false;
                self.aria_hidden = None;
            }
            CallbackEvent::AttributeName { name } => {
                self.attribute = match name {
                    b"id" if self.id.is_none() => Attribute::Id,
                    b"class" if self.class.is_none() => Attribute::Class,
                    b"style" if self.style.is_none() => Attribute::Style,
                    b"aria-hidden" if self.aria_hidden.is_none() => Attribute::AriaHidden,
                    _ => Attribute::Other,
                };
                self.hidden |= name == b"hidden";
                // An attribute with no value has the empty value.
                let empty = Some(String::new());
                match self.attribute {
                    Attribute::Id => self.id = empty,
                    Attribute::Class => self.class = empty,
                    Attribute::Style => self.style = empty,
                    Attribute::AriaHidden => self.aria_hidden = empty,
                    Attribute::Other => {}
                }
            }
            CallbackEvent::AttributeValue { value } => {
                let slot = match self.attribute {
                    Attribute::Id => &mut self.id,
                    Attribute::Class => &mut self.class,
                    Attribute::Style => &mut self.style,
                    Attribute::AriaHidden => &mut self.aria_hidden,
                    Attribute::Other => return None,
                };
                *slot = Some(lossy(value).into_owned());
                self.attribute = Attribute::Other;
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                let name = self.name.as_str();
                self.next_state = state_after(name, self_closing);
                // React's streamed server rendering sends a suspended part of the page
                // late, in `<div hidden id="S:…">`, and a script moves it into place:
                // its text is the page's (WCXB: a shop's product grid, a news article).
                let hidden = (self.hidden && !self.id.as_deref().is_some_and(streamed_segment))
                    || self.style.as_deref().is_some_and(hidden_style);
                let aria_hidden = self
                    .aria_hidden
                    .as_deref()
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
                let words = path_words(self.id.take(), self.class.take());
                self.builder
                    .start_tag(name, self_closing, hidden, aria_hidden, &words);
            }
            CallbackEvent::EndTag { name } => {
                self.builder.end_tag(&lossy(name));
            }
            CallbackEvent::String { value } => {
                let text = match std::str::from_utf8(value) {
                    Ok(text) => text,
                    Err(_) => {
                        self.text = lossy(value).into_owned();
                        &self.text
                    }
                };
                self.builder.text(text, span.start..span.end);
            }
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
        None
    }
}

/// A callback that knows the tokenizer state to switch to after the start tag it has
/// just seen (the tree builder's job, which html5gum leaves to its user).
pub(crate) trait SwitchesState {
    fn next_state(&mut self) -> Option<State>;
}

/// The tokenizer state the tree builder switches to after a start tag. `noscript` is
/// not among them: boildown runs no scripts, so, as in a browser with scripting off,
/// what a page puts in `<noscript>` is markup to read (forums such as Discourse put
/// their posts there for crawlers).
pub(crate) fn state_after(name: &str, self_closing: bool) -> Option<State> {
    match name {
        "title" if self_closing => None,
        "title" | "textarea" => Some(State::RcData),
        "script" => Some(State::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(State::RawText),
        "plaintext" => Some(State::PlainText),
        _ => None,
    }
}

/// html5gum's callback emitter with parse errors off (boildown reports none, and
/// checking every character for them costs a tenth of the tokenizer's time), and the
/// callback's state switches.
pub(crate) struct Quiet<C, S>(pub CallbackEmitter<C, std::convert::Infallible, S>)
where
    C: Callback<std::convert::Infallible, S>,
    S: SpanBound;

impl<C, S> ForwardingEmitter for Quiet<C, S>
where
    C: Callback<std::convert::Infallible, S> + SwitchesState,
    S: SpanBound,
{
    type Token = std::convert::Infallible;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        let _ = self.0.emit_current_tag();
        self.0.callback_mut().next_state()
    }
}

impl SwitchesState for Handler<'_> {
    fn next_state(&mut self) -> Option<State> {
        self.next_state.take()
    }
}

/// The id React gives a streamed segment of the page (`S:` and a hex number), which it
/// sends hidden and shows with a script once it has arrived.
fn streamed_segment(id: &str) -> bool {
    id.strip_prefix("S:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `display:none` or `visibility:hidden` in an inline style.
fn hidden_style(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
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
    static MATCHER: OnceLock<(AhoCorasick, usize, usize)> = OnceLock::new();
    if words.is_empty() {
        return 0;
    }
    // One automaton for the three lists (ASCII case-insensitive), all matches seen.
    let (matcher, furniture, content) = MATCHER.get_or_init(|| {
        let patterns = FURNITURE.iter().chain(CONTENT).chain(MAYBE_FURNITURE);
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(patterns)
            .expect("the word lists are small");
        (matcher, FURNITURE.len(), FURNITURE.len() + CONTENT.len())
    });
    let mut best = 0;
    for m in matcher.find_overlapping_iter(words) {
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

/// `#id.class1.class2` with the first few words, each cut short.
fn path_words(id: Option<String>, class: Option<String>) -> String {
    let mut out = String::new();
    let mut add = |sigil: char, list: Option<String>| {
        for word in list
            .iter()
            .flat_map(|l| l.split_whitespace())
            .take(PATH_WORDS)
        {
            out.push(sigil);
            out.extend(
                word.chars()
                    .filter(|c| !matches!(c, '>' | '#' | '.'))
                    .take(PATH_WORD_LEN),
            );
        }
    };
    add('#', id);
    add('.', class);
    out
}

impl Builder {
    fn hint(&mut self, words: &str) -> i8 {
        if words.is_empty() {
            return 0;
        }
        if let Some(&hint) = self.hints.get(words) {
            return hint;
        }
        let hint = class_hint(words);
        self.hints.insert(words.to_owned(), hint);
        hint
    }

    fn start_tag(
        &mut self,
        name: &str,
        self_closing: bool,
        hidden: bool,
        aria_hidden: bool,
        words: &str,
    ) {
        let (kind, block) = kind(name);
        match name {
            "br" | "hr" => {
                self.flush();
                return;
            }
            "title" if self.hidden <= 1 && !self.stack.iter().any(|o| o.name == "svg") => {
                // In <head> (which is skipped): its text is the page title.
                self.in_title = self.title.is_empty();
                return;
            }
            _ => {}
        }
        // `<x/>` is a start tag like `<x>` in HTML, but for SVG and MathML, which are
        // XML (as are their contents, which are skipped anyway).
        if kind == Kind::Void || (self_closing && matches!(name, "svg" | "math")) {
            return;
        }
        self.close_implied(name);
        if kind == Kind::Block {
            self.flush();
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        // An aria-hidden block is flagged; aria-hidden inline text would run into the
        // visible text around it, so it stays out.
        let flagged = aria_hidden && kind == Kind::Block;
        let hidden = hidden || (aria_hidden && !flagged) || kind == Kind::Skip;
        let flag = flag_of(name) | if flagged { flags::ARIA_HIDDEN } else { 0 };
        for bit in 0..16 {
            if flag & (1 << bit) != 0 {
                self.flag_counts[bit] += 1;
            }
        }
        self.hidden += u32::from(hidden);
        self.links += u32::from(name == "a");
        self.pre += u32::from(flag & flags::PRE != 0);
        if let Some(level) = heading_level(name) {
            self.headings.push(level);
        }
        let path_len = self.path.len();
        let in_path = kind == Kind::Block || !words.is_empty();
        if in_path {
            if !self.path.is_empty() {
                self.path.push('>');
            }
            self.path.push_str(name);
            self.path.push_str(words);
            self.path_parts.push(path_len);
        }
        let node = self.page.nodes.len() as u32;
        let hint = self.hint(words);
        self.page.nodes.push(Node {
            parent: self.stack.last().map_or(Node::NONE, |o| o.node),
            block,
            flag,
            hint,
        });
        self.stack.push(Open {
            name: name.to_owned(),
            kind,
            block,
            flag,
            path_len,
            in_path,
            hidden,
            node,
        });
    }

    fn end_tag(&mut self, name: &str) {
        if name == "title" {
            self.in_title = false;
            return;
        }
        if name == "br" {
            // `</br>` is a line break too.
            self.flush();
            return;
        }
        let depth = self.stack.len();
        let Some(at) = self
            .stack
            .iter()
            .rev()
            .take(END_TAG_SEARCH)
            .position(|open| open.name == name)
            .map(|from_top| depth - 1 - from_top)
        else {
            return;
        };
        if self.stack[at..].iter().any(|o| o.kind == Kind::Block) {
            self.flush();
        }
        while self.stack.len() > at {
            self.pop();
        }
    }

    /// Closes the elements a start tag ends implicitly.
    fn close_implied(&mut self, name: &str) {
        // (what closes, what it closes, what stops the search)
        let (closes, stops): (&[&str], &[&str]) = match name {
            "li" => (&["li"], &["ul", "ol", "menu", "dir", "table"]),
            "dt" | "dd" => (&["dt", "dd"], &["dl", "table"]),
            "td" | "th" => (&["td", "th"], &["tr", "table"]),
            "tr" => (&["tr", "td", "th"], &["table", "tbody", "thead", "tfoot"]),
            "tbody" | "thead" | "tfoot" => {
                (&["tbody", "thead", "tfoot", "tr", "td", "th"], &["table"])
            }
            "option" | "optgroup" => (&["option"], &["select", "datalist", "optgroup"]),
            _ => match kind(name).0 {
                // A block-level start tag closes an open <p>.
                Kind::Block => (&["p"], &[]),
                _ => return,
            },
        };
        let depth = self.stack.len();
        let found = self
            .stack
            .iter()
            .rev()
            .take(END_TAG_SEARCH)
            .take_while(|o| !stops.contains(&o.name.as_str()))
            .position(|o| closes.contains(&o.name.as_str()));
        if let Some(from_top) = found {
            // A <p> is only closed when it is the innermost block (a <div> in a <span>
            // in a <p> still closes it, a <p> inside a <div> inside a <p> does not).
            if closes == ["p"]
                && self.stack[depth - from_top..]
                    .iter()
                    .any(|o| o.kind == Kind::Block)
            {
                return;
            }
            self.flush();
            while self.stack.len() > depth - 1 - from_top {
                self.pop();
            }
        }
    }

    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else { return };
        for bit in 0..16 {
            if open.flag & (1 << bit) != 0 {
                self.flag_counts[bit] -= 1;
            }
        }
        self.hidden -= u32::from(open.hidden);
        self.links -= u32::from(open.name == "a");
        self.pre -= u32::from(open.flag & flags::PRE != 0);
        if heading_level(&open.name).is_some() {
            self.headings.pop();
        }
        if open.in_path {
            self.path.truncate(open.path_len);
            self.path_parts.pop();
        }
    }

    fn text(&mut self, text: &str, span: Range<usize>) {
        if self.in_title {
            self.title.push_str(text);
            return;
        }
        if self.hidden > 0 {
            return;
        }
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
            self.text.push(c);
            self.chars += 1;
            self.link_chars += u32::from(in_link);
            wrote = true;
        }
        if wrote {
            let span = match self.span.take() {
                Some(old) => old.start..span.end,
                None => span,
            };
            self.span = Some(span);
        }
    }

    /// Ends the current block, if it has text.
    fn flush(&mut self) {
        self.pending_space = false;
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
