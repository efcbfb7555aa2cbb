//! WARC records, read leniently and with every damaged part accounted for.
//!
//! A record is a version line (`WARC/1.1`, `WARC/1.0`, ClueWeb's `WARC/0.18`, …), header
//! lines up to a blank line (`\r\n` or a bare `\n`; continuation lines start with a space
//! or a tab; bytes that are not UTF-8 are replaced), `Content-Length` bytes of content,
//! and a blank line or two. Header values are not checked (ClueWeb's dates such as
//! `2008-10-294T05:21:46-0700` are read as they are). What cannot be read is a
//! [`Reject`], with its offset and reason, and reading goes on at the next version line:
//!
//! - bytes before a version line (garbage, or the rest of a record cut short);
//! - a header block over [`MAX_HEADER_BYTES`], or without a valid `Content-Length`;
//! - content over the reader's limit ([`Records::with_max_record_bytes`]): skipped
//!   without being held in memory;
//! - a `Content-Length` that does not end the record (the bytes after it are not a
//!   blank line and the next version line, or the end): the record is rejected and its
//!   bytes are read again for the next version line, so that a length too long loses
//!   only its own record;
//! - a damaged gzip member ([`crate::Damaged`]): the record it held;
//! - the end of the file inside a record (a truncated file).
//!
//! Memory is bounded by the limit: nothing but the current record is held.

use std::io::{self, Read};

use crate::buffer::Buffer;
use crate::compression::Damaged;

/// The longest header block read (64 KiB).
pub const MAX_HEADER_BYTES: usize = 64 << 10;
/// The default limit of a record's content (64 MiB).
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 << 20;

/// One WARC record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Where the record starts in the (decompressed) stream.
    pub offset: u64,
    /// The version line, such as `WARC/1.1`.
    pub version: String,
    /// The header fields in their order, names as written.
    pub headers: Vec<(String, String)>,
    /// The content block.
    pub content: Vec<u8>,
}

impl Record {
    /// The first value of the header field `name` (case ignored).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lowercased (`response`, `request`, `conversion`, …); empty if absent.
    pub fn kind(&self) -> String {
        self.header("WARC-Type")
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// `WARC-Record-ID`.
    pub fn id(&self) -> Option<&str> {
        self.header("WARC-Record-ID")
    }

    /// `WARC-Target-URI`, without the angle brackets some writers put around it.
    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>'))
    }

    /// The HTTP response a `response` record holds (its status, headers and body), if
    /// its content starts with one.
    pub fn http_response(&self) -> Option<HttpResponse<'_>> {
        HttpResponse::parse(&self.content)
    }
}

/// The HTTP response inside a WARC `response` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// The header fields in their order.
    pub headers: Vec<(String, String)>,
    /// The body, as archived (crawlers archive it decoded of any transfer encoding).
    pub body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// The response that `content` starts with: a status line, headers (lines ending in
    /// `\r\n` or `\n`) and a blank line.
    pub fn parse(content: &'a [u8]) -> Option<HttpResponse<'a>> {
        let mut fields = [httparse::EMPTY_HEADER; 128];
        let mut response = httparse::Response::new(&mut fields);
        let mut config = httparse::ParserConfig::default();
        config
            .allow_spaces_after_header_name_in_responses(true)
            .allow_obsolete_multiline_headers_in_responses(true)
            .allow_multiple_spaces_in_response_status_delimiters(true)
            .ignore_invalid_headers_in_responses(true);
        let end = match config.parse_response(&mut response, content) {
            Ok(httparse::Status::Complete(end)) => end,
            _ => return None,
        };
        let headers = response
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_owned(),
                    String::from_utf8_lossy(h.value).trim().to_owned(),
                )
            })
            .collect();
        Some(HttpResponse {
            status: response.code?,
            headers,
            body: &content[end..],
        })
    }

    /// The first value of the header field `name` (case ignored).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type`, lowercased (`text/html`).
    pub fn media_type(&self) -> Option<String> {
        let value = self.header("Content-Type")?;
        let media = value.split(';').next().unwrap_or_default().trim();
        (!media.is_empty()).then(|| media.to_ascii_lowercase())
    }

    /// The `charset` parameter of `Content-Type`, if any (quotes removed).
    pub fn charset(&self) -> Option<&str> {
        let value = self.header("Content-Type")?;
        value.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches(['"', '\'']))
                .filter(|v| !v.is_empty())
        })
    }
}

/// A part of the input that was not a readable record, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    /// Where it starts in the (decompressed) stream.
    pub offset: u64,
    /// Why it was skipped.
    pub reason: String,
}

/// The records of a WARC stream (decompressed: see [`crate::Decompressed`]), each a
/// record or a [`Reject`]; an I/O error of the input ends them (after its own item).
pub struct Records<R: Read> {
    input: Buffer<R>,
    max_record_bytes: u64,
    done: bool,
}

impl<R: Read> Records<R> {
    /// The records of `input`, with contents up to [`DEFAULT_MAX_RECORD_BYTES`].
    pub fn new(input: R) -> Self {
        Records {
            input: Buffer::new(input),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            done: false,
        }
    }

    /// The same, rejecting records whose content is over `max` bytes.
    pub fn with_max_record_bytes(mut self, max: u64) -> Self {
        self.max_record_bytes = max;
        self
    }

    /// The input, for its progress.
    pub fn get_ref(&self) -> &R {
        self.input.get_ref()
    }

    fn reject(&self, offset: u64, reason: impl Into<String>) -> Option<Result<Record, Reject>> {
        Some(Err(Reject {
            offset,
            reason: reason.into(),
        }))
    }

    /// Skips to the next version line (or the end): the count of bytes skipped.
    fn skip_to_version(&mut self) -> io::Result<u64> {
        let start = self.input.position();
        loop {
            let buf = self.input.peek(6)?;
            if buf.is_empty() || starts_record(buf) {
                return Ok(self.input.position() - start);
            }
            match memchr::memmem::find(&buf[1..], b"\nWARC/") {
                Some(at) => self.input.consume(at + 2),
                None if buf.len() < 6 => {
                    let n = buf.len();
                    self.input.consume(n);
                }
                None => {
                    let n = buf.len() - 5;
                    self.input.consume(n);
                }
            }
        }
    }

    fn read_record(&mut self) -> io::Result<Option<Result<Record, Reject>>> {
        // Blank lines between records.
        loop {
            let buf = self.input.peek(2)?;
            match buf.first() {
                None => return Ok(None),
                Some(b'\r' | b'\n') => self.input.consume(1),
                Some(_) => break,
            }
        }
        let offset = self.input.position();
        if !starts_record(self.input.peek(6)?) {
            let skipped = self.skip_to_version()?;
            return Ok(self.reject(
                offset,
                format!("{skipped} bytes that are not a WARC record"),
            ));
        }
        let buf = self.input.peek(MAX_HEADER_BYTES + 4)?;
        let (found, available) = (header_end(buf), buf.len());
        let Some((header_len, block_len)) = found else {
            self.input.consume(1);
            self.skip_to_version()?;
            return Ok(self.reject(
                offset,
                if available < MAX_HEADER_BYTES {
                    "the file ends inside a record's header".to_owned()
                } else {
                    format!("a header block over {MAX_HEADER_BYTES} bytes")
                },
            ));
        };
        let (version, headers) = parse_headers(&self.input.peek(block_len)?[..header_len]);
        self.input.consume(block_len);
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.trim().parse::<u64>().ok());
        let Some(length) = length else {
            self.skip_to_version()?;
            return Ok(self.reject(offset, "no valid Content-Length"));
        };
        if length > self.max_record_bytes {
            let skipped = io::copy(&mut (&mut self.input).take(length), &mut io::sink())?;
            if skipped < length {
                return Ok(self.reject(offset, "the file ends inside a record"));
            }
            return Ok(self.reject(
                offset,
                format!(
                    "content of {length} bytes, over the limit of {}",
                    self.max_record_bytes
                ),
            ));
        }
        let mut content = Vec::with_capacity(length as usize);
        (&mut self.input).take(length).read_to_end(&mut content)?;
        if (content.len() as u64) < length {
            return Ok(self.reject(offset, "the file ends inside a record"));
        }
        // The record ends with blank lines, then the next record or the end.
        let next = self.input.peek(64)?;
        let blank = next
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let rest = &next[blank..];
        // (A last record may end the file without its blank lines.)
        let ends = (blank > 0 || next.is_empty())
            && (rest.is_empty()
                || starts_record(rest)
                || rest.len() < 6 && b"WARC/".starts_with(rest));
        if !ends {
            // A wrong Content-Length: look for the next record in this one's bytes.
            self.input.unread(&content);
            self.skip_to_version()?;
            return Ok(self.reject(
                offset,
                format!("a Content-Length ({length}) that does not end the record"),
            ));
        }
        self.input.consume(blank);
        Ok(Some(Ok(Record {
            offset,
            version,
            headers,
            content,
        })))
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Record, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let offset = self.input.position();
        match self.read_record() {
            Ok(item) => {
                self.done = item.is_none();
                item
            }
            Err(e) => {
                let damaged = e
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<Damaged>())
                    .is_some();
                if damaged {
                    // The record in the damaged member is lost; the next members are read.
                    let _ = self.skip_to_version();
                    self.reject(offset, e.to_string())
                } else {
                    self.done = true;
                    self.reject(offset, format!("unreadable: {e}"))
                }
            }
        }
    }
}

/// True if `bytes` start with a version line's `WARC/` and a digit.
fn starts_record(bytes: &[u8]) -> bool {
    bytes.len() >= 6 && bytes.starts_with(b"WARC/") && bytes[5].is_ascii_digit()
}

/// The length of the header lines and of the header block with its blank line.
fn header_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for newline in memchr::memchr_iter(b'\n', buf) {
        let line = &buf[line_start..newline];
        if line.is_empty() || line == b"\r" {
            return Some((line_start, newline + 1));
        }
        line_start = newline + 1;
        if line_start > MAX_HEADER_BYTES {
            return None;
        }
    }
    None
}

/// The version line and the fields of a header block (continuation lines joined).
fn parse_headers(block: &[u8]) -> (String, Vec<(String, String)>) {
    let text = String::from_utf8_lossy(block);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or_default().trim().to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    (version, headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(headers: &str, content: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\n{headers}Content-Length: {}\r\n\r\n",
            content.len()
        )
        .into_bytes();
        out.extend_from_slice(content);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn read(bytes: &[u8]) -> Vec<Result<(u64, String), Reject>> {
        Records::new(bytes)
            .with_max_record_bytes(100)
            .map(|r| r.map(|r| (r.offset, String::from_utf8_lossy(&r.content).into_owned())))
            .collect()
    }

    #[test]
    fn records_and_their_headers() {
        let a = record("WARC-Type: response\r\nWARC-Target-URI: <http://a.example/>\r\nX-Long: one\r\n two\r\n", b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=\"ISO-8859-1\"\n\n<p>x");
        let b = record("WARC-Type: conversion\r\n", b"text");
        let bytes = [a.clone(), b].concat();
        let records: Vec<Record> = Records::new(&bytes[..]).map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].kind(), "response");
        assert_eq!(records[0].target_uri(), Some("http://a.example/"));
        assert_eq!(records[0].header("x-long"), Some("one two"));
        let http = records[0].http_response().unwrap();
        assert_eq!(
            (http.status, http.media_type().as_deref(), http.charset()),
            (200, Some("text/html"), Some("ISO-8859-1"))
        );
        assert_eq!(http.body, b"<p>x");
        assert_eq!(
            (records[1].offset, records[1].kind().as_str()),
            (a.len() as u64, "conversion")
        );
    }

    #[test]
    fn every_damaged_part_is_a_reject_and_the_rest_is_read() {
        let good = record("WARC-Type: response\r\n", b"good");
        // A Content-Length too long swallows the next record: only its own is lost.
        let long = b"WARC/1.0\r\nContent-Length: 30\r\n\r\nshort\r\n\r\n".to_vec();
        let short = b"WARC/1.0\r\nContent-Length: 2\r\n\r\nlonger\r\n\r\n".to_vec();
        let big = record("", &[b'x'; 101]);
        let no_length = b"WARC/1.0\r\nWARC-Type: x\r\n\r\nbody\r\n\r\n".to_vec();
        let bytes = [
            b"junk before\n".to_vec(),
            good.clone(),
            long,
            good.clone(),
            short,
            good.clone(),
            big,
            no_length,
            good.clone(),
        ]
        .concat();
        let out = read(&bytes);
        let kept: Vec<&str> = out
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|(_, c)| c.as_str())
            .collect();
        assert_eq!(kept, ["good"; 4]);
        let reasons: Vec<&str> = out
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|r| r.reason.as_str())
            .collect();
        assert_eq!(
            reasons,
            [
                "12 bytes that are not a WARC record",
                "a Content-Length (30) that does not end the record",
                "a Content-Length (2) that does not end the record",
                "content of 101 bytes, over the limit of 100",
                "no valid Content-Length",
            ]
        );
        // Extra blank lines between records, and none after the last one.
        let loose = [good.clone(), b"\r\n\r\n\n".to_vec(), good.clone()].concat();
        let last = &loose[..loose.len() - 4];
        assert_eq!(
            read(last).iter().filter(|r| r.is_ok()).count(),
            2,
            "{:?}",
            read(last)
        );
        // A file cut inside a record.
        let cut = &bytes[..bytes.len() - 5];
        assert_eq!(
            read(cut).last().unwrap().as_ref().unwrap_err().reason,
            "the file ends inside a record"
        );
    }
}
