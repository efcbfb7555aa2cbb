//! A reference reading of a page's tree as blocks, by the rules of `src/html.rs`'s
//! module docs, written again on purpose (shared by `tests/html5lib.rs` and
//! `tests/differential.rs`): the blocks boildown must find in a tree a conformant
//! parser builds.
#![allow(dead_code)]

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

/// Whether boildown recovers on purpose from this input: a comment, or the raw text
/// of an element, that never ends.
pub fn recovers(data: &str) -> bool {
    let lower = data.to_ascii_lowercase();
    // `close` ends it when followed by white space, `/`, `>` or nothing.
    let closes = |rest: &str, close: &str| {
        rest.match_indices(close).any(|(at, _)| {
            rest[at + close.len()..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '/' | '>'))
        })
    };
    let unended = |open: &str, close: &str| {
        lower.match_indices(open).any(|(at, _)| {
            let rest = &lower[at + open.len()..];
            let is_tag = rest
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '/' | '>'));
            is_tag && !closes(rest, close)
        })
    };
    lower
        .match_indices("<!--")
        .any(|(at, _)| !lower[at..].contains("-->"))
        || [
            "title", "textarea", "style", "script", "xmp", "iframe", "noembed", "noframes",
        ]
        .iter()
        .any(|tag| unended(&format!("<{tag}"), &format!("</{tag}")))
}
