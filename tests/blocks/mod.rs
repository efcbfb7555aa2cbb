//! A reference reading of a page's tree as blocks, by the rules of `src/segment/html.rs`'s
//! module docs, written again on purpose (shared by `tests/html5lib.rs` and
//! `tests/differential.rs`): the blocks boildown must find in a tree a conformant
//! parser builds.
#![allow(dead_code)]

use boildown::Cleaner;
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::ParseOpts;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// A node of an expected tree.
pub struct Node {
    pub depth: usize,
    pub kind: Kind,
}

pub enum Kind {
    /// An element: its name (`svg x` / `math x` for foreign ones) and attributes.
    Element(String, Vec<(String, String)>),
    Text(String),
    Other,
}

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
const SKIPS: &[&str] = &[
    "audio", "canvas", "head", "iframe", "map", "math", "noembed", "noframes", "object", "script",
    "select", "style", "svg", "template", "textarea", "title", "video",
];
const VOIDS: &[&str] = &[
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
];

/// The blocks a reader of the expected tree finds.
pub fn expected_blocks(nodes: &[Node]) -> Vec<String> {
    struct Reader {
        blocks: Vec<String>,
        text: String,
        pre: usize,
    }
    impl Reader {
        fn flush(&mut self) {
            let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
            // Preformatted text loses its trailing white space (any, as Rust's
            // `trim_end`); other text has only ASCII white space to collapse.
            let text = if self.pre > 0 {
                self.text.trim_end().to_owned()
            } else {
                self.text.trim_matches(ws).to_owned()
            };
            if !text.trim().is_empty() {
                self.blocks.push(text);
            }
            self.text.clear();
        }
        fn text(&mut self, t: &str) {
            if self.pre > 0 {
                self.text.push_str(t);
                return;
            }
            for c in t.chars() {
                if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                    if !self.text.is_empty() && !self.text.ends_with(' ') {
                        self.text.push(' ');
                    }
                } else {
                    self.text.push(c);
                }
            }
        }
    }
    fn hidden(attrs: &[(String, String)]) -> bool {
        let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        let streamed = get("id").is_some_and(|id| {
            id.strip_prefix("S:")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        let style: String = get("style")
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        (get("hidden").is_some() && !streamed)
            || style.contains("display:none")
            || style.contains("visibility:hidden")
    }
    /// Reads the node at `i` and its subtree; returns the index after it.
    fn read(nodes: &[Node], i: usize, r: &mut Reader) -> usize {
        let depth = nodes[i].depth;
        let end = (i + 1..nodes.len())
            .find(|&j| nodes[j].depth <= depth)
            .unwrap_or(nodes.len());
        match &nodes[i].kind {
            Kind::Text(t) => r.text(t),
            Kind::Other => {}
            Kind::Element(name, attrs) => {
                if name.contains(' ') {
                    return end; // SVG or MathML
                }
                let name = name.as_str();
                if matches!(name, "br" | "hr") {
                    r.flush();
                    return end;
                }
                if VOIDS.contains(&name) {
                    return end;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    r.flush();
                }
                let aria = attrs
                    .iter()
                    .any(|(k, v)| k == "aria-hidden" && v.trim().eq_ignore_ascii_case("true"));
                if hidden(attrs) || (aria && !block) || SKIPS.contains(&name) {
                    return end;
                }
                let pre = matches!(name, "pre" | "listing" | "xmp" | "plaintext");
                r.pre += usize::from(pre);
                let mut j = i + 1;
                while j < end {
                    j = read(nodes, j, r);
                }
                if block {
                    r.flush();
                }
                r.pre -= usize::from(pre);
            }
        }
        end
    }
    let mut r = Reader {
        blocks: Vec::new(),
        text: String::new(),
        pre: 0,
    };
    let mut i = 0;
    while i < nodes.len() {
        i = read(nodes, i, &mut r);
    }
    r.flush();
    r.blocks
}

/// html5ever's tree of a page, as the reference reading's nodes.
pub fn reference_tree(html: &str) -> (Vec<Node>, usize) {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let dom = html5ever::parse_document(RcDom::default(), opts).one(html);
    let mut nodes = Vec::new();
    let mut deepest = 0;
    // Iteratively, in document order: deep pages would overflow a recursion.
    let mut stack: Vec<(Handle, usize)> = dom
        .document
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| (c.clone(), 0))
        .collect();
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        let kind = match &node.data {
            NodeData::Text { contents } => Kind::Text(contents.borrow().to_string()),
            NodeData::Element { name, attrs, .. } => {
                let local = name.local.to_string();
                let name = match &*name.ns {
                    "http://www.w3.org/1999/xhtml" => local,
                    "http://www.w3.org/2000/svg" => format!("svg {local}"),
                    _ => format!("math {local}"),
                };
                let attrs = attrs
                    .borrow()
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                Kind::Element(name, attrs)
            }
            _ => Kind::Other,
        };
        nodes.push(Node { depth, kind });
        for child in node.children.borrow().iter().rev() {
            stack.push((child.clone(), depth + 1));
        }
    }
    (nodes, deepest)
}

pub fn boildown_blocks(cleaner: &Cleaner, html: &str) -> Vec<String> {
    cleaner
        .clean(boildown::Page::html(html), None)
        .blocks()
        .iter()
        .map(|b| b.text().to_owned())
        .collect()
}

/// How a page compares with html5ever's reading of it: the same blocks, a deliberate
/// difference (see `tests/differential.rs`), or a difference.
pub enum Outcome {
    Same,
    Deliberate,
    Differs(String),
}

/// Whether `lower` (lowercased markup) has a start tag `open` (such as `"<mi"`): the
/// name followed by white space, `/`, `>` or the end, not a longer name.
fn has_tag(lower: &str, open: &str) -> bool {
    lower.match_indices(open).any(|(at, _)| {
        lower[at + open.len()..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '/' | '>'))
    })
}

pub fn compare(cleaner: &Cleaner, html: &str) -> Outcome {
    let (tree, deepest) = reference_tree(html);
    let want = expected_blocks(&tree);
    let got = boildown_blocks(cleaner, html);
    if got == want {
        return Outcome::Same;
    }
    // As the standard reads the page, with no recovery, boildown must agree.
    let strict =
        Cleaner::new(cleaner.config().clone().with_html_recovery(false)).expect("a valid config");
    let strict = boildown_blocks(&strict, html);
    let lower = html.to_ascii_lowercase();
    // html5ever's own differences from the standard: it counts `<isindex>` special, and
    // none of MathML's and SVG's integration points (the standard counts them special).
    let html5ever_differs = has_tag(&lower, "<isindex")
        || [
            "<mi",
            "<mo",
            "<mn",
            "<ms",
            "<mtext",
            "<annotation-xml",
            "<foreignobject",
            "<desc",
        ]
        .iter()
        .any(|t| has_tag(&lower, t));
    if strict == want || deepest > 512 || html5ever_differs {
        Outcome::Deliberate
    } else {
        let at = strict.iter().zip(&want).position(|(a, b)| a != b);
        let at = at.unwrap_or(strict.len().min(want.len()));
        Outcome::Differs(format!(
            "{} blocks vs html5ever's {}; first difference at block {at}:\n  boildown {:?}\n  html5ever {:?}",
            strict.len(),
            want.len(),
            strict.get(at),
            want.get(at)
        ))
    }
}
