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
                let charset = http.charset().map(str::to_owned);
                // A body archived in its chunked transfer encoding (as some crawlers do)
                // is decoded; one that only says so is taken as it is.
                let chunked = http
                    .header("Transfer-Encoding")
                    .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
                if let Some(body) = chunked.then(|| dechunk(http.body)).flatten() {
                    return Item::Document(Document {
                        position,
                        id,
                        url,
                        format,
                        charset,
                        bytes: body,
                        start: 0,
                        extra: Vec::new(),
                    });
                }
                let start = record.content.len() - http.body.len();
                (format, charset, start)
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

/// A body in HTTP/1.1's chunked transfer encoding, decoded: each chunk's size in hex
/// (extensions after `;` ignored) on its own line, then its bytes, to a chunk of size 0
/// (trailers ignored). `None` if it does not start as chunks do; a body cut short in a
/// chunk keeps what is there. Linear in the body.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut chunks = 0usize;
    loop {
        let line_end = memchr::memchr(b'\n', body)?;
        let line = &body[..line_end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let size_hex = line.split(|&b| b == b';').next().unwrap_or_default();
        let size_hex = std::str::from_utf8(size_hex).ok()?.trim();
        if size_hex.is_empty() || size_hex.len() > 15 {
            // Not a size: chunks end here if any were read (a lenient end).
            return (chunks > 0).then_some(out);
        }
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        let take = size.min(body.len());
        out.extend_from_slice(&body[..take]);
        body = &body[take..];
        chunks += 1;
        if take < size {
            return Some(out); // cut short
        }
        // The line end after the chunk's bytes.
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
        if body.is_empty() {
            return Some(out); // no final chunk: cut short
        }
    }
}

#[cfg(test)]
mod chunked_tests {
    use super::dechunk;

    #[test]
    fn chunked_bodies_are_decoded_and_others_left_alone() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n").as_deref(),
            Some(&b"Hello, world"[..])
        );
        assert_eq!(dechunk(b"5\nHello\n0\n").as_deref(), Some(&b"Hello"[..]));
        assert_eq!(dechunk(b"a\r\nshort").as_deref(), Some(&b"short"[..]));
        assert_eq!(dechunk(b"<html><body>not chunked</body></html>"), None);
        assert_eq!(dechunk(b"zz\r\nx"), None);
        assert_eq!(dechunk(b""), None);
    }
}
