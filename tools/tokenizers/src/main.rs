//! Tokenizes every page of an evaluation dataset with html5gum, html5ever's tokenizer
//! and lol_html, counting text bytes and start tags, and prints the time of each.
use std::io::Read;
use std::time::Instant;

fn pages(dir: &str) -> Vec<String> {
    let list = std::fs::read_to_string(format!("{dir}/pages.jsonl")).unwrap();
    list.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let gz = std::fs::read(format!("{dir}/{}", v["html"].as_str().unwrap())).unwrap();
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .collect()
}

fn html5gum_count(page: &str) -> (usize, usize) {
    use html5gum::{Token, Tokenizer};
    let (mut tags, mut text) = (0, 0);
    for token in Tokenizer::new(page).flatten() {
        match token {
            Token::StartTag(_) => tags += 1,
            Token::String(s) => text += s.value.len(),
            _ => {}
        }
    }
    (tags, text)
}

fn html5ever_count(page: &str) -> (usize, usize) {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::Cell;
    struct Sink {
        tags: Cell<usize>,
        text: Cell<usize>,
    }
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(t) if t.kind == TagKind::StartTag => self.tags.set(self.tags.get() + 1),
                Token::CharacterTokens(s) => self.text.set(self.text.get() + s.len()),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let sink = Sink { tags: Cell::new(0), text: Cell::new(0) };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(page));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    (tokenizer.sink.tags.get(), tokenizer.sink.text.get())
}

fn lol_html_count(page: &str) -> (usize, usize) {
    use lol_html::{element, text, HtmlRewriter, Settings};
    use std::cell::Cell;
    let tags = Cell::new(0);
    let chars = Cell::new(0);
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: vec![
                element!("*", |_| {
                    tags.set(tags.get() + 1);
                    Ok(())
                }),
                text!("*", |t| {
                    chars.set(chars.get() + t.as_str().len());
                    Ok(())
                }),
            ],
            ..Settings::new()
        },
        |_: &[u8]| {},
    );
    let _ = rewriter.write(page.as_bytes());
    let _ = rewriter.end();
    (tags.get(), chars.get())
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: tokenizers-compare DATASET_DIR");
    let pages = pages(&dir);
    let bytes: usize = pages.iter().map(String::len).sum();
    type Count = fn(&str) -> (usize, usize);
    let tools: [(&str, Count); 3] = [
        ("html5gum", html5gum_count),
        ("html5ever tokenizer", html5ever_count),
        ("lol_html", lol_html_count),
    ];
    for round in 0..3 {
        for (name, count) in tools {
            let started = Instant::now();
            let (mut tags, mut text) = (0, 0);
            for page in &pages {
                let (t, x) = count(page);
                tags += t;
                text += x;
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "round {round} {name:20} {:7.1} MB/s  {:.2} ms/page  start tags {tags}  text bytes {text}",
                bytes as f64 / secs / 1e6,
                secs * 1e3 / pages.len() as f64
            );
        }
    }
}
