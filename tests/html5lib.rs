//! The HTML standard's tree-construction cases (html5lib-tests, in `../shared`), read
//! as blocks: for every case, boildown's blocks, in order, carry the visible text of
//! the expected tree's body, split at block elements, with hidden and skipped elements
//! left out. The expected blocks come from the expected tree by a reference reading of
//! the rules in `src/segment/html.rs`'s module docs (`tests/blocks/`), written again on purpose.
//!
//! The blocks are those of boildown without its recoveries
//! (`Config::with_html_recovery(false)`); how many cases the recoveries change is
//! printed. Cases left out, each for a reason: fragments (`#document-fragment`:
//! boildown parses whole pages), scripting on (`#script-on`: boildown runs no scripts),
//! and `<selectedcontent>` (a DOM step after parsing, in a `<select>`, which gives no
//! text). The tree itself, node for node, is checked by `src/segment/tree.rs`'s tests.
#![cfg(not(target_arch = "wasm32"))]

use boildown::Cleaner;

mod blocks;
use blocks::{expected_blocks, Kind, Node};

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
    let strict = Cleaner::new(boildown::Config::default().with_html_recovery(false)).unwrap();
    let blocks = |cleaner: &Cleaner, data: &str| -> Vec<String> {
        let cleaned = cleaner.clean(boildown::Page::html(data), None);
        cleaned
            .blocks()
            .iter()
            .map(|b| b.text().to_owned())
            .collect()
    };
    let (mut checked, mut recovered, mut failed) = (0, 0, Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for case in text
            .split("\n\n#data\n")
            .map(|c| c.trim_start_matches("#data\n"))
        {
            let Some((data, rest)) = case.split_once("\n#errors\n") else {
                continue;
            };
            if rest.contains("#document-fragment")
                || rest.contains("#script-on")
                || data.contains("<selectedcontent")
            {
                continue;
            }
            let Some((_, document)) = rest.split_once("#document\n") else {
                continue;
            };
            let want = expected_blocks(&parse_tree(document));
            // With no recovery, the standard's blocks; with recoveries, the same or
            // different only where boildown recovers.
            let got = blocks(&strict, data);
            checked += 1;
            if got != want {
                failed.push(format!("{data:?}\n  want {want:?}\n  got  {got:?}"));
            }
            recovered += usize::from(blocks(&cleaner, data) != want);
        }
    }
    eprintln!(
        "html5lib cases as blocks: {checked} checked, {} differ; {recovered} changed by a recovery",
        failed.len()
    );
    assert!(checked > 1000, "only {checked} cases read");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
