//! boildown's blocks against a reference tree builder's: html5ever (with scripting
//! off, as boildown reads pages) builds each page's tree into an rcdom, the reference
//! reading of `tests/blocks/` turns that tree into blocks, and boildown's blocks must be
//! the same, in order. Run over every page of the evaluation pack (`../shared/eval`,
//! skipped when absent) and over generated malformed pages.
//!
//! The deliberate differences, the only ones allowed (each counted and printed):
//! - a raw text (`<title>`, `<textarea>`, `<style>`, `<script>`, `<xmp>`, `<iframe>`,
//!   `<noembed>`, `<noframes>`) or a comment that never ends: boildown recovers as
//!   lenient parsers do (`src/tree.rs`), where the standard reads to the end of the page;
//! - more than 512 elements open at once: boildown opens no deeper one (`src/tree.rs`),
//!   html5ever has no bound;
//! - `<isindex>`: html5ever 0.40 still counts it among the special elements, which the
//!   standard no longer does (html5lib's `isindex.dat` agrees with boildown).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use boildown::Cleaner;
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::ParseOpts;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use proptest::prelude::*;

#[path = "../support/eval_pages.rs"]
mod eval_pages;

mod blocks;
use blocks::{expected_blocks, recovers, Kind, Node};

/// html5ever's tree of a page, as the reference reading's nodes.
fn reference_tree(html: &str) -> (Vec<Node>, usize) {
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

fn boildown_blocks(cleaner: &Cleaner, html: &str) -> Vec<String> {
    cleaner
        .clean_html(html)
        .blocks()
        .iter()
        .map(|b| b.text().to_owned())
        .collect()
}

/// How a page compares: the same blocks, a deliberate difference, or a difference.
enum Outcome {
    Same,
    Deliberate,
    Differs(String),
}

fn compare(cleaner: &Cleaner, html: &str) -> Outcome {
    let (tree, deepest) = reference_tree(html);
    let want = expected_blocks(&tree);
    let got = boildown_blocks(cleaner, html);
    if got == want {
        Outcome::Same
    } else if recovers(html) || deepest > 512 || html.to_ascii_lowercase().contains("<isindex") {
        Outcome::Deliberate
    } else {
        let at = got.iter().zip(&want).position(|(a, b)| a != b);
        let at = at.unwrap_or(got.len().min(want.len()));
        Outcome::Differs(format!(
            "{} blocks vs html5ever's {}; first difference at block {at}:\n  boildown {:?}\n  html5ever {:?}",
            got.len(),
            want.len(),
            got.get(at),
            want.get(at)
        ))
    }
}

#[test]
fn every_eval_page_has_html5evers_blocks() {
    let dir = eval_pages::eval_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is not there", dir.display());
        return;
    };
    let mut datasets: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("html").is_dir())
        .collect();
    datasets.sort();
    let cleaner = Cleaner::default();
    let (mut same, mut deliberate, mut differ) = (0, 0, Vec::new());
    for dataset in datasets {
        for (i, page) in eval_pages::html_pages(Path::new(&dataset))
            .into_iter()
            .enumerate()
        {
            let html = boildown::decode_html(&page, None).text;
            match compare(&cleaner, &html) {
                Outcome::Same => same += 1,
                Outcome::Deliberate => deliberate += 1,
                Outcome::Differs(why) => differ.push(format!(
                    "{} page {i}: {why}",
                    dataset.file_name().unwrap().to_string_lossy()
                )),
            }
        }
    }
    eprintln!(
        "eval pages against html5ever: {same} the same, {deliberate} deliberately different, {} differ",
        differ.len()
    );
    assert!(same > 0, "no page read");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// Pieces of malformed markup, put together at random.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<table>",
        "</table>",
        "<tr>",
        "<td>",
        "</td>",
        "<th>",
        "<tbody>",
        "<caption>",
        "<col>",
        "<colgroup>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<a href=x>",
        "</a>",
        "<li>",
        "</li>",
        "<ul>",
        "<ol>",
        "<dd>",
        "<dt>",
        "<h1>",
        "</h2>",
        "<pre>",
        "\n",
        "<br>",
        "</br>",
        "<hr>",
        "<img>",
        "<image>",
        "<span>",
        "</span>",
        "<font color=red>",
        "<nobr>",
        "<button>",
        "<form>",
        "</form>",
        "<select>",
        "<option>",
        "<optgroup>",
        "<template>",
        "</template>",
        "<svg>",
        "</svg>",
        "<math>",
        "<mi>",
        "<foreignObject>",
        "<desc>",
        "<frameset>",
        "<frame>",
        "<head>",
        "</head>",
        "<body>",
        "</body>",
        "<html>",
        "</html>",
        "<title>t</title>",
        "<style>s</style>",
        "<script>x</script>",
        "<noscript>",
        "</noscript>",
        "<textarea>a</textarea>",
        "<xmp>x</xmp>",
        "<plaintext>",
        "<!-- c -->",
        "<!DOCTYPE html>",
        "<p hidden>",
        "<div style='display:none'>",
        "<div aria-hidden=true>",
        "<span aria-hidden=true>",
        "<marquee>",
        "<object>",
        "<applet>",
        "<ruby>",
        "<rt>",
        "<rp>",
        "<meta>",
        "<link>",
        "<input type=hidden>",
        "<input>",
        "<isindex>",
        "<listing>",
        "<center>",
        "<main>",
        "<article>",
        "<section>",
        "<nav>",
        "<aside>",
        "<header>",
        "<footer>",
        "<address>",
        "<figure>",
        "<figcaption>",
        "<details>",
        "<summary>",
        "<dialog>",
        "<blockquote>",
        "word",
        "two words",
        "Text, with commas.",
        " ",
        "&amp;",
        "&nbsp;",
        "\u{0}",
        "é",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn malformed_pages_have_html5evers_blocks(pieces in prop::collection::vec(piece(), 0..60)) {
        let html: String = pieces.concat();
        let cleaner = Cleaner::default();
        if let Outcome::Differs(why) = compare(&cleaner, &html) {
            prop_assert!(false, "{html:?}: {why}");
        }
    }
}
