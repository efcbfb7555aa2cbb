//! JSONL rows (one JSON object a line, as crawlers and datasets dump pages): each a
//! [`Document`] or a reject with its line number.
//!
//! The fields are named by [`Fields`] (defaults `id`, `url`, `html`, `text`): the page
//! is the `html` field (an HTML document) or else the `text` field (plain text), one of
//! which must be a string; `id` (a string, or any JSON value, kept as written) and `url`
//! are optional. Every other field is kept as written, in its order, for the output.
//! Blank lines are skipped; a line that is not a JSON object, lacks the page or is over
//! the limit is a reject, and reading goes on at the next line.

use std::io::Read;

use indexmap::IndexMap;
use serde_json::value::RawValue;

use crate::buffer::Buffer;
use crate::document::{Document, DocumentFormat, Item, Position};
use crate::warc::DEFAULT_MAX_RECORD_BYTES;

/// The names of a row's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    /// The id (default `id`).
    pub id: String,
    /// The URL (default `url`).
    pub url: String,
    /// The page as HTML (default `html`).
    pub html: String,
    /// The page as plain text (default `text`).
    pub text: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            id: "id".to_owned(),
            url: "url".to_owned(),
            html: "html".to_owned(),
            text: "text".to_owned(),
        }
    }
}

/// The rows of a JSONL stream (decompressed: see [`crate::Decompressed`]).
pub struct Rows<R: Read> {
    input: Buffer<R>,
    fields: Fields,
    max_line_bytes: usize,
    line: u64,
    done: bool,
}

impl<R: Read> Rows<R> {
    /// The rows of `input`, with these field names, lines up to
    /// [`DEFAULT_MAX_RECORD_BYTES`].
    pub fn new(input: R, fields: Fields) -> Self {
        Rows {
            input: Buffer::new(input),
            fields,
            max_line_bytes: DEFAULT_MAX_RECORD_BYTES as usize,
            line: 0,
            done: false,
        }
    }

    /// The same, rejecting lines over `max` bytes.
    pub fn with_max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = max;
        self
    }

    /// The input, for its progress.
    pub fn get_ref(&self) -> &R {
        self.input.get_ref()
    }

    /// The next line (without its newline), or why it was not read; `None` at the end.
    fn next_line(&mut self) -> Option<Result<Vec<u8>, String>> {
        let mut scanned = 0;
        loop {
            let buf = match self.input.peek(scanned + (64 << 10)) {
                Ok(buf) => buf,
                Err(e) => {
                    self.done = true;
                    return Some(Err(format!("unreadable: {e}")));
                }
            };
            if buf.is_empty() {
                return None;
            }
            let newline = memchr::memchr(b'\n', &buf[scanned..]).map(|i| scanned + i);
            let end = newline.unwrap_or(buf.len());
            if end > self.max_line_bytes {
                // Over the limit: skip to the end of the line without holding it.
                let max = self.max_line_bytes;
                loop {
                    let buf = match self.input.peek(1 << 16) {
                        Ok(buf) => buf,
                        Err(e) => {
                            self.done = true;
                            return Some(Err(format!("unreadable: {e}")));
                        }
                    };
                    if buf.is_empty() {
                        break;
                    }
                    match memchr::memchr(b'\n', buf) {
                        Some(i) => {
                            self.input.consume(i + 1);
                            break;
                        }
                        None => {
                            let n = buf.len();
                            self.input.consume(n);
                        }
                    }
                }
                return Some(Err(format!("a line over {max} bytes")));
            }
            if newline.is_some() || buf.len() == scanned {
                let line = buf[..end].to_vec();
                self.input.consume(end + usize::from(newline.is_some()));
                return Some(Ok(line));
            }
            scanned = buf.len();
        }
    }

    fn row(&self, line: &[u8], position: Position) -> Item {
        let rejected = |reason: String| Item::Rejected { position, reason };
        let mut row: IndexMap<String, Box<RawValue>> = match serde_json::from_slice(line) {
            Ok(row) => row,
            Err(e) => return rejected(format!("not a JSON object: {e}")),
        };
        let string = |value: &RawValue| serde_json::from_str::<String>(value.get()).ok();
        let mut take = |name: &str| row.shift_remove(name);
        let html = take(&self.fields.html);
        let text = take(&self.fields.text);
        let id = take(&self.fields.id);
        let url = take(&self.fields.url);
        let page = match (
            html.as_deref().and_then(string),
            text.as_deref().and_then(string),
        ) {
            (Some(html), _) => (DocumentFormat::Html, html),
            (None, Some(text)) => (DocumentFormat::Text, text),
            (None, None) => {
                return rejected(format!(
                    "no string field `{}` or `{}`",
                    self.fields.html, self.fields.text
                ))
            }
        };
        let mut document = Document::new(position, page.0, page.1.into_bytes());
        document.id = id.map(|id| string(&id).unwrap_or_else(|| id.get().to_owned()));
        document.url = url.as_deref().and_then(string);
        document.extra = row
            .into_iter()
            .map(|(name, value)| (name, value.get().to_owned()))
            .collect();
        Item::Document(document)
    }
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.line += 1;
            let position = Position::Line(self.line);
            match self.next_line()? {
                Err(reason) => return Some(Item::Rejected { position, reason }),
                Ok(line) if line.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(line) => return Some(self.row(&line, position)),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(item: &Item) -> String {
        match item {
            Item::Document(d) => format!(
                "{:?} {:?} {:?} {:?} {} {:?}",
                d.position,
                d.id,
                d.url,
                d.format,
                String::from_utf8_lossy(d.body()),
                d.extra
            ),
            Item::Skipped { kind, .. } => format!("skipped {kind}"),
            Item::Rejected { position, reason } => format!("{position:?} {reason}"),
        }
    }

    #[test]
    fn rows_become_documents_and_bad_lines_rejects() {
        let input = concat!(
            "{\"id\": \"a\", \"url\": \"http://a.example/\", \"html\": \"<p>x\", \"lang\": \"en\", \"score\": 1.50}\n",
            "\n",
            "{\"id\": 7, \"text\": \"plain\"}\r\n",
            "not json\n",
            "{\"id\": \"c\"}\n",
            "{\"text\": \"", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "\"}\n",
            "{\"text\": \"last, without a newline\"}",
        );
        let out: Vec<String> = Rows::new(input.as_bytes(), Fields::default())
            .with_max_line_bytes(100)
            .map(|i| describe(&i))
            .collect();
        assert_eq!(out[0], "Line(1) Some(\"a\") Some(\"http://a.example/\") Html <p>x [(\"lang\", \"\\\"en\\\"\"), (\"score\", \"1.50\")]");
        assert_eq!(out[1], "Line(3) Some(\"7\") None Text plain []");
        assert!(
            out[2].starts_with("Line(4) not a JSON object"),
            "{}",
            out[2]
        );
        assert_eq!(out[3], "Line(5) no string field `html` or `text`");
        assert_eq!(out[4], "Line(6) a line over 100 bytes");
        assert_eq!(out[5], "Line(7) None None Text last, without a newline []");
        assert_eq!(out.len(), 6);
    }

    #[test]
    fn fields_can_be_renamed() {
        let fields = Fields {
            html: "content".to_owned(),
            ..Fields::default()
        };
        let row = "{\"content\": \"<p>y\", \"html\": \"kept as an extra field\"}";
        let out: Vec<Item> = Rows::new(row.as_bytes(), fields).collect();
        let Item::Document(d) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!((d.format, d.body()), (DocumentFormat::Html, &b"<p>y"[..]));
        assert_eq!(
            d.extra,
            [("html".to_owned(), "\"kept as an extra field\"".to_owned())]
        );
    }
}
