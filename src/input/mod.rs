//! The input stage: [`Page`], what came in (text or HTML, a string or raw bytes with a
//! charset hint, a URL or a site key), and the one sniffer that tells HTML from plain
//! text ([`Format::sniff`]).

pub(crate) mod url;

use std::borrow::Cow;

#[cfg(feature = "decode")]
use boildown_decode::{decode_html, decode_text};
use boildown_decode::{Decoded, Decoding};
use url::site_key;

/// What a page is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Sniffed from the first bytes ([`Format::sniff`]): HTML if they start with an
    /// HTML tag, plain text otherwise.
    #[default]
    Auto,
    /// Plain text: every non-blank line is a block.
    Text,
    /// HTML: every block-level element's own text is a block.
    Html,
}

impl Format {
    /// The format of these bytes (or the bytes of a string) by the WHATWG MIME sniffing
    /// rule for HTML: [`Format::Html`] if, after a byte order mark and white space, they
    /// start with one of the tags `<!DOCTYPE html`, `<html`, `<head`, `<script`,
    /// `<iframe`, `<h1`, `<div`, `<font`, `<table`, `<a`, `<style`, `<title`, `<b`,
    /// `<body`, `<br`, `<p` (case ignored) followed by a space or `>`, or with a comment
    /// `<!--`; [`Format::Text`] otherwise.
    ///
    /// ```
    /// use boildown::Format;
    /// assert_eq!(Format::sniff(b"  <!doctype html><title>x</title>"), Format::Html);
    /// assert_eq!(Format::sniff(b"<P>A paragraph"), Format::Html);
    /// assert_eq!(Format::sniff(b"Dear <b>Sir</b>"), Format::Text);
    /// ```
    pub fn sniff(bytes: &[u8]) -> Format {
        const TAGS: [&[u8]; 17] = [
            b"<!doctype html",
            b"<html",
            b"<head",
            b"<script",
            b"<iframe",
            b"<h1",
            b"<div",
            b"<font",
            b"<table",
            b"<a",
            b"<style",
            b"<title",
            b"<b",
            b"<body",
            b"<br",
            b"<p",
            b"<!--",
        ];
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let start = bytes
            .iter()
            .position(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
            .unwrap_or(bytes.len());
        let rest = &bytes[start..];
        let html = TAGS.iter().any(|tag| {
            rest.len() > tag.len()
                && rest[..tag.len()].eq_ignore_ascii_case(tag)
                && (*tag == b"<!--" || matches!(rest[tag.len()], b' ' | b'>'))
        });
        if html {
            Format::Html
        } else {
            Format::Text
        }
    }

    /// The name used by the CLI, the JSON reports and JavaScript: `"auto"`, `"text"`,
    /// `"html"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = crate::Error;

    /// `"auto"`, `"text"` or `"html"`, case ignored.
    fn from_str(s: &str) -> Result<Format, crate::Error> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" => Ok(Format::Text),
            "html" => Ok(Format::Html),
            _ => Err(crate::Error::invalid_config(format!(
                "unknown format \"{s}\": expected auto, text or html"
            ))),
        }
    }
}

/// One page to clean or observe: its content, what it is written in, and where it
/// comes from. Built in one expression from whatever a crawler, a WARC record or a
/// JSONL row holds:
///
/// ```
/// use boildown::{Format, Page};
/// // A WARC response: raw bytes, the HTTP header's charset if any, the target URI.
/// let (body, charset, uri) = (&b"<p>Caf\xe9 au lait.</p>"[..], Some("windows-1252"), "https://www.example.org/menu");
/// let page = Page::from_bytes(body).with_charset(charset).with_url(uri);
/// assert_eq!(page.format(), Format::Html); // sniffed
/// assert_eq!(page.site().as_deref(), Some("example.org"));
/// // A JSONL row with a text field and an explicit site.
/// let page = Page::text("One line.\nAnother line.").with_site("forum.example");
/// # let _ = page;
/// ```
///
/// A `&str` converts to a sniffed page ([`Page::new`]) and a `&[u8]` to sniffed bytes
/// ([`Page::from_bytes`], with the default feature `decode`), so [`Cleaner::clean`](crate::Cleaner::clean) and
/// [`SiteModel::observe`](crate::SiteModel::observe) take either directly.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    body: Body<'a>,
    format: Format,
    charset: Option<&'a str>,
    url: Option<&'a str>,
    site: Option<&'a str>,
}

#[derive(Clone, Copy, Debug)]
enum Body<'a> {
    Str(&'a str),
    #[cfg(feature = "decode")]
    Bytes(&'a [u8]),
    Decoded(&'a Decoded),
}

impl<'a> Page<'a> {
    fn with_body(body: Body<'a>, format: Format) -> Self {
        Page {
            body,
            format,
            charset: None,
            url: None,
            site: None,
        }
    }

    /// A decoded page whose format is sniffed ([`Format::sniff`]).
    pub fn new(body: &'a str) -> Self {
        Page::with_body(Body::Str(body), Format::Auto)
    }

    /// A page of plain text.
    pub fn text(body: &'a str) -> Self {
        Page::with_body(Body::Str(body), Format::Text)
    }

    /// An HTML page, decoded.
    pub fn html(body: &'a str) -> Self {
        Page::with_body(Body::Str(body), Format::Html)
    }

    /// A page as raw bytes, decoded as the module [`decode`](crate::decode_html)
    /// describes (a byte order mark, valid UTF-8, the charset hint and the page's
    /// `<meta>`, checked against statistical detection); its format is sniffed unless
    /// [`Page::with_format`] says it. With the default feature `decode`.
    #[cfg(feature = "decode")]
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        Page::with_body(Body::Bytes(bytes), Format::Auto)
    }

    /// A page decoded before (by [`decode_html`](crate::decode_html) or elsewhere: the
    /// JavaScript package's decoder module, a pipeline's own decoding step), cleaned as
    /// its text and reported with how it was decoded, as if it had come as bytes. Its
    /// format is sniffed from the text unless [`Page::with_format`] says it.
    ///
    /// ```
    /// use boildown::{Decoded, EncodingSource, Page};
    /// let decoded = Decoded::from_parts("<p>Café</p>".into(), "windows-1252", EncodingSource::Hint, None, 0).unwrap();
    /// let cleaned = boildown::clean(Page::from_decoded(&decoded));
    /// assert_eq!(cleaned.decoding().map(|d| d.encoding), Some("windows-1252"));
    /// ```
    pub fn from_decoded(decoded: &'a Decoded) -> Self {
        Page::with_body(Body::Decoded(decoded), Format::Auto)
    }

    /// The same page, read as `format` ([`Format::Auto`] sniffs).
    pub fn with_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// The charset label from outside the page (an HTTP header's `charset=…`), for a
    /// page given as bytes; an unknown label is ignored, and a string is already text.
    pub fn with_charset(mut self, label: impl OptionalStr<'a>) -> Self {
        self.charset = label.optional_str();
        self
    }

    /// The page's URL, from which its site key comes ([`site_key`](crate::site_key))
    /// unless [`Page::with_site`] gives one.
    pub fn with_url(mut self, url: impl OptionalStr<'a>) -> Self {
        self.url = url.optional_str();
        self
    }

    /// The page's site key, in place of the one its URL gives.
    pub fn with_site(mut self, site: impl OptionalStr<'a>) -> Self {
        self.site = site.optional_str();
        self
    }

    /// The format the page is read as: the one given, or the sniffed one for
    /// [`Format::Auto`] (never `Auto`).
    pub fn format(&self) -> Format {
        match self.format {
            Format::Auto => Format::sniff(match self.body {
                Body::Str(s) => s.as_bytes(),
                #[cfg(feature = "decode")]
                Body::Bytes(b) => b,
                Body::Decoded(d) => d.text.as_bytes(),
            }),
            format => format,
        }
    }

    /// The page's site key: the one given, or its URL's ([`site_key`](crate::site_key)).
    pub fn site(&self) -> Option<Cow<'a, str>> {
        match (self.site, self.url) {
            (Some(site), _) => Some(Cow::Borrowed(site)),
            (None, Some(url)) => site_key(url).map(Cow::Owned),
            (None, None) => None,
        }
    }

    /// The URL given, if any.
    pub fn url(&self) -> Option<&'a str> {
        self.url
    }

    /// The page's text, decoded if it came as bytes (with how), and its format.
    pub(crate) fn decode(&self) -> (Cow<'a, str>, Option<Decoding>, Format) {
        let format = self.format();
        match self.body {
            Body::Str(s) => (Cow::Borrowed(s), None, format),
            #[cfg(feature = "decode")]
            Body::Bytes(bytes) => {
                let decoded = match format {
                    Format::Html => decode_html(bytes, self.charset),
                    _ => decode_text(bytes, self.charset),
                };
                let decoding = decoded.decoding();
                (Cow::Owned(decoded.text), Some(decoding), format)
            }
            Body::Decoded(decoded) => (
                Cow::Borrowed(&decoded.text),
                Some(decoded.decoding()),
                format,
            ),
        }
    }
}

/// A string or an optional one (`&str`, `&String`, `Option<&str>`, `Option<&String>`,
/// `&Option<String>`): what [`Page`]'s setters take, so that a record's optional field
/// goes in as it is.
pub trait OptionalStr<'a> {
    /// The string, if any.
    fn optional_str(self) -> Option<&'a str>;
}

impl<'a> OptionalStr<'a> for &'a str {
    fn optional_str(self) -> Option<&'a str> {
        Some(self)
    }
}

impl<'a> OptionalStr<'a> for &'a String {
    fn optional_str(self) -> Option<&'a str> {
        Some(self)
    }
}

impl<'a> OptionalStr<'a> for Option<&'a str> {
    fn optional_str(self) -> Option<&'a str> {
        self
    }
}

impl<'a> OptionalStr<'a> for Option<&'a String> {
    fn optional_str(self) -> Option<&'a str> {
        self.map(String::as_str)
    }
}

impl<'a> OptionalStr<'a> for &'a Option<String> {
    fn optional_str(self) -> Option<&'a str> {
        self.as_deref()
    }
}

impl<'a> From<&'a str> for Page<'a> {
    fn from(body: &'a str) -> Self {
        Page::new(body)
    }
}

impl<'a> From<&'a String> for Page<'a> {
    fn from(body: &'a String) -> Self {
        Page::new(body)
    }
}

#[cfg(feature = "decode")]
impl<'a> From<&'a [u8]> for Page<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Page::from_bytes(bytes)
    }
}

#[cfg(feature = "decode")]
impl<'a> From<&'a Vec<u8>> for Page<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        Page::from_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_follows_the_whatwg_rule() {
        for html in [
            &b"<html>"[..],
            b"\xef\xbb\xbf <!DOCTYPE HTML>",
            b"\n\t<!-- c -->",
            b"<p>x",
            b"<a href=x>",
            b"<br>",
        ] {
            assert_eq!(Format::sniff(html), Format::Html, "{html:?}");
        }
        for text in [
            &b""[..],
            b"<",
            b"<p",
            b"<pre>",
            b"<abbr>",
            b"text <p>",
            b"<?xml version",
        ] {
            assert_eq!(Format::sniff(text), Format::Text, "{text:?}");
        }
    }

    #[test]
    fn the_site_key_is_given_or_from_the_url() {
        let page = Page::new("x").with_url("https://WWW.Example.org/a");
        assert_eq!(page.site().as_deref(), Some("example.org"));
        let page = page.with_site("other");
        assert_eq!(page.site().as_deref(), Some("other"));
        assert_eq!(Page::new("x").site(), None);
        assert_eq!(Page::new("x").with_url("not a url").site(), None);
    }

    #[test]
    #[cfg(feature = "decode")]
    fn bytes_are_decoded_by_their_format() {
        let bytes = b"<meta charset=windows-1252><p>Caf\xe9";
        let (text, decoded, format) = Page::from_bytes(bytes).decode();
        assert_eq!(
            (text.as_ref(), format),
            ("<meta charset=windows-1252><p>Caf\u{e9}", Format::Text)
        );
        // Sniffed as text (a <meta> is not among the sniffed tags): no <meta> prescan.
        assert_eq!(decoded.unwrap().encoding, "windows-1252"); // detection
        let (_, decoded, format) = Page::from_bytes(bytes).with_format(Format::Html).decode();
        assert_eq!(format, Format::Html);
        assert_eq!(decoded.unwrap().source, crate::EncodingSource::Meta);
    }

    #[test]
    fn formats_parse_by_name() {
        for format in [Format::Auto, Format::Text, Format::Html] {
            assert_eq!(format.name().parse::<Format>().unwrap(), format);
        }
        assert!("xml".parse::<Format>().is_err());
    }
}
