//! The HTML standard's tree-construction cases (html5lib-tests, in `../shared`), read
//! as blocks: for every case, boildown's blocks, in order, carry the visible text of
//! the expected tree's body, split at block elements, with hidden and skipped elements
//! left out. The expected blocks come from the expected tree by a reference reading of
//! the rules in `src/html.rs`'s module docs, written again here on purpose.
//!
//! Cases left out, each for a reason: fragments (`#document-fragment`: boildown parses
//! whole pages), scripting on (`#script-on`: boildown runs no scripts), and the inputs
//! where boildown recovers on purpose from raw text or a comment that never ends (see
//! `src/tree.rs`). The tree itself, node for node, is checked by `src/tree.rs`'s tests.
#![cfg(not(target_arch = "wasm32"))]

use boildown::Cleaner;

/// A node of an expected tree.
struct Node {
    depth: usize,
    kind: Kind,
}

enum Kind {
    /// An element: its name (`svg x` / `math x` for foreign ones) and attributes.
    Element(String, Vec<(String, String)>),
    Text(String),
    Other,
}

fn parse_tree(document: &str) -> Vec<Node> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut text: Option<(usize, String)> = None;
    for line in document.lines() {
        if let Some((depth, mut t)) = text.take() {
            t.push('\n');
            if let Some(end) = line.strip_suffix('"') {
                t.push_str(end);
                nodes.push(Node {
                    depth,
                    kind: Kind::Text(t),
                });
            } else {
                t.push_str(line);
                text = Some((depth, t));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("| ") else {
            continue;
        };
        let content = rest.trim_start_matches(' ');
        let depth = (rest.len() - content.len()) / 2;
        if let Some(t) = content.strip_prefix('"') {
            match t.strip_suffix('"') {
                Some(t) if !t.is_empty() || content.len() > 1 => nodes.push(Node {
                    depth,
                    kind: Kind::Text(t.to_owned()),
                }),
                _ => text = Some((depth, t.to_owned())),
            }
        } else if content.starts_with("<!") {
            nodes.push(Node {
                depth,
                kind: Kind::Other,
            });
        } else if let Some(name) = content.strip_prefix('<') {
            let name = name.trim_end_matches('>').to_owned();
            nodes.push(Node {
                depth,
                kind: Kind::Element(name, Vec::new()),
            });
        } else if let Some((name, value)) = content.split_once('=') {
            // An attribute of the element above it.
            if let Some(Node {
                kind: Kind::Element(_, attrs),
                ..
            }) = nodes.iter_mut().rev().find(|n| n.depth + 1 == depth)
            {
                attrs.push((name.to_owned(), value.trim_matches('"').to_owned()));
            }
        } else {
            // `content` of a template.
            nodes.push(Node {
                depth,
                kind: Kind::Other,
            });
        }
    }
    nodes
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
fn expected_blocks(nodes: &[Node]) -> Vec<String> {
    struct Reader {
        blocks: Vec<String>,
        text: String,
        pre: usize,
    }
    impl Reader {
        fn flush(&mut self) {
            let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
            let text = if self.pre > 0 {
                self.text.trim_end_matches(ws).to_owned()
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
fn recovers(data: &str) -> bool {
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

#[test]
fn html5lib_cases_as_blocks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/html5lib-tests/tree-construction");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is not there", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dat"))
        .collect();
    files.sort();
    let cleaner = Cleaner::default();
    let (mut checked, mut left_out, mut failed) = (0, 0, Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for case in text
            .split("\n\n#data\n")
            .map(|c| c.trim_start_matches("#data\n"))
        {
            let Some((data, rest)) = case.split_once("\n#errors\n") else {
                continue;
            };
            if rest.contains("#document-fragment") || rest.contains("#script-on") {
                continue;
            }
            if recovers(data) || data.contains("<selectedcontent") {
                left_out += 1;
                continue;
            }
            let Some((_, document)) = rest.split_once("#document\n") else {
                continue;
            };
            let want = expected_blocks(&parse_tree(document));
            let cleaned = cleaner.clean_html(data);
            let got: Vec<String> = cleaned
                .blocks()
                .iter()
                .map(|b| b.text().to_owned())
                .collect();
            checked += 1;
            if got != want {
                failed.push(format!("{data:?}\n  want {want:?}\n  got  {got:?}"));
            }
        }
    }
    eprintln!(
        "html5lib cases as blocks: {checked} checked, {} differ, {left_out} left out (recoveries)",
        failed.len()
    );
    assert!(checked > 1000, "only {checked} cases read");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
