//! What a record holds for cleaning: a [`Document`] (its id, URL, format, charset and
//! body), or a record of another kind, counted and skipped.
//!
//! From WARC files: a `response` record whose HTTP `Content-Type` is HTML
//! (`text/html`, `application/xhtml+xml`), or that has none (its format is then
//! sniffed), is an HTML document with the header's charset as the decoding hint and
//! `WARC-Target-URI` as URL; a `conversion` record (a WET file's text extract: one
//! paragraph a line, UTF-8) is a plain-text document; every other record, and a
//! response of another media type, is skipped with its kind (`request`, `metadata`,
//! `response application/pdf`, …). The id is `WARC-Record-ID`.

use crate::warc::{Record, Reject};

/// What a document is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentFormat {
    /// HTML.
    Html,
    /// Plain text.
    Text,
    /// Unknown: to be sniffed from the bytes.
    Sniff,
}

/// Where a document or a reject is in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// A byte offset in the decompressed stream (WARC records).
    Offset(u64),
    /// A line number, from 1 (JSONL rows).
    Line(u64),
}

/// One page to clean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Where it is in its input.
    pub position: Position,
    /// Its id (`WARC-Record-ID`, or the JSONL id field).
    pub id: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// What it is written in.
    pub format: DocumentFormat,
    /// The charset label from outside the page (the HTTP header's), if any.
    pub charset: Option<String>,
    bytes: Vec<u8>,
    start: usize,
    /// The JSONL row's other fields, as written, in their order.
    pub extra: Vec<(String, String)>,
}

impl Document {
    /// A document of these bytes.
    pub fn new(position: Position, format: DocumentFormat, body: Vec<u8>) -> Self {
        Document {
            position,
            id: None,
            url: None,
            format,
            charset: None,
            bytes: body,
            start: 0,
            extra: Vec::new(),
        }
    }

    /// The page's bytes (for a WARC response, the HTTP body).
    pub fn body(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

/// What one record of an input is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A page to clean.
    Document(Document),
    /// A record of another kind: counted by it, not cleaned.
    Skipped {
        /// Where it is.
        position: Position,
        /// Its kind: the WARC type, with the media type for responses.
        kind: String,
    },
    /// A part of the input that could not be read.
    Rejected {
        /// Where it is.
        position: Position,
        /// Why.
        reason: String,
    },
}

impl From<Reject> for Item {
    fn from(reject: Reject) -> Self {
        Item::Rejected {
            position: Position::Offset(reject.offset),
            reason: reject.reason,
        }
    }
}

impl Item {
    /// What a WARC record holds for cleaning (see the module's docs).
    pub fn from_record(record: Record) -> Item {
        let position = Position::Offset(record.offset);
        let kind = record.kind();
        let id = record.id().map(str::to_owned);
        let url = record.target_uri().map(str::to_owned);
        let (format, charset, start) = match kind.as_str() {
            "response" => {
                let Some(http) = record.http_response() else {
                    return Item::Rejected {
                        position,
                        reason: "a response record without an HTTP response".to_owned(),
                    };
                };
                let format = match http.media_type().as_deref() {
                    Some("text/html" | "application/xhtml+xml") => DocumentFormat::Html,
                    None => DocumentFormat::Sniff,
                    Some(other) => {
                        return Item::Skipped {
                            position,
                            kind: format!("response {other}"),
                        }
                    }
                };
                let start = record.content.len() - http.body.len();
                (format, http.charset().map(str::to_owned), start)
            }
            "conversion" => (DocumentFormat::Text, None, 0),
            _ => return Item::Skipped { position, kind },
        };
        Item::Document(Document {
            position,
            id,
            url,
            format,
            charset,
            bytes: record.content,
            start,
            extra: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::Records;

    fn items(bytes: &[u8]) -> Vec<Item> {
        Records::new(bytes)
            .map(|r| r.map_or_else(Item::from, Item::from_record))
            .collect()
    }

    fn record(kind: &str, content: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:{kind}>\r\nWARC-Target-URI: http://a.example/\r\nContent-Length: {}\r\n\r\n{content}\r\n\r\n",
            content.len()
        )
    }

    #[test]
    fn responses_of_html_are_documents_and_the_rest_is_counted() {
        let bytes = [
            record("request", "GET / HTTP/1.1\r\n\r\n"),
            record(
                "response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<p>x",
            ),
            record(
                "response",
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n%PDF",
            ),
            record("response", "HTTP/1.1 200 OK\r\n\r\n<!doctype html>"),
            record("conversion", "A line.\nAnother."),
            record("response", "not http"),
        ]
        .concat();
        let items = items(bytes.as_bytes());
        let kinds: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Document(d) => format!(
                    "{:?} {:?} {}",
                    d.format,
                    d.charset,
                    String::from_utf8_lossy(d.body())
                ),
                Item::Skipped { kind, .. } => format!("skipped {kind}"),
                Item::Rejected { reason, .. } => format!("rejected {reason}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "skipped request",
                "Html Some(\"windows-1252\") <p>x",
                "skipped response application/pdf",
                "Sniff None <!doctype html>",
                "Text None A line.\nAnother.",
                "rejected a response record without an HTTP response",
            ]
        );
        let Item::Document(d) = &items[1] else {
            unreachable!()
        };
        assert_eq!(
            (d.id.as_deref(), d.url.as_deref()),
            (Some("<urn:response>"), Some("http://a.example/"))
        );
    }
}
