//! Cleaned HTML: the kept blocks' markup, safe to show. Each kept block becomes its
//! element (`h1`…`h6`, `li` inside `ul`, `pre`, `blockquote`, `p` for the rest) holding
//! its text, escaped, with the inline elements the segmenter's walk recorded around it
//! ([`crate::segment::html::Mark`]: `a`, `b`, `strong`, `i`, `em`, `code`, `sub`, `sup`, `mark`,
//! `small`, `s`, `u`, `q`, `abbr`, `cite`, `kbd`, `var`), with no attribute but a link's
//! `href` when it is `http:`, `https:`, `mailto:` or relative. The text is the block's
//! own, so what is hidden from the text (scripts, styles, comments, hidden elements) is
//! not in the HTML either; event handlers and every other element and attribute are
//! dropped. Elements are closed in order, whatever the input.

use std::fmt::Write;
use std::ops::Range;
use std::sync::Arc;

use crate::report::{Cleaned, HtmlInfo};
use crate::segment::html::{Mark, INLINE};

/// The inline markup of a page's blocks, shared by its blocks' [`HtmlInfo`].
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PageMarkup {
    pub marks: Vec<Mark>,
    pub hrefs: Vec<String>,
}

/// A block's inline markup: a range of its page's marks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Markup {
    pub page: Option<Arc<PageMarkup>>,
    pub range: Range<u32>,
}

impl Cleaned {
    /// The kept blocks as HTML, safe to insert in a page (see the module docs of
    /// `render.rs` in the source: inline emphasis and links stay, scripts, styles,
    /// hidden text, event handlers and all other attributes go). For plain text, each
    /// kept block becomes an escaped `<p>`.
    ///
    /// ```
    /// let page = "<nav><a href=/>Home</a></nav><article><h1>Rates rise</h1>\
    ///             <p onclick=\"steal()\">The <b>central bank</b> raised its rates today, for \
    ///             the third time this year, <a href=\"javascript:x()\">to slow</a> prices \
    ///             that rose faster than it expected.<script>track()</script></p>\
    ///             <p>Banks said mortgages would cost more from next month, and savers, who \
    ///             had waited years for better rates, would earn a <a href=\"/more\">little \
    ///             more</a>.</p></article>";
    /// let cleaned = boildown::Cleaner::default().clean(boildown::Page::html(page), None);
    /// let html = cleaned.html();
    /// assert!(html.contains("<p>The <b>central bank</b> raised"));
    /// assert!(html.contains("<a href=\"/more\">little more</a>"));
    /// assert!(!html.contains("script") && !html.contains("onclick") && !html.contains("javascript"));
    /// ```
    pub fn html(&self) -> String {
        let mut out = String::new();
        let mut in_list = false;
        for block in self.blocks().iter().filter(|b| b.verdict.is_keep()) {
            let Some(info) = &block.html else {
                out.push_str("<p>");
                escape(block.text(), &mut out);
                out.push_str("</p>\n");
                continue;
            };
            let tag = element(info);
            if tag == "li" && !in_list {
                out.push_str("<ul>\n");
            } else if tag != "li" && in_list {
                out.push_str("</ul>\n");
            }
            in_list = tag == "li";
            let _ = write!(out, "<{tag}>");
            match &info.markup.page {
                Some(page) if !info.pre => markup(block.text(), page, &info.markup.range, &mut out),
                _ => escape(block.text(), &mut out),
            }
            let _ = writeln!(out, "</{tag}>");
        }
        if in_list {
            out.push_str("</ul>\n");
        }
        out
    }
}

/// The element a kept block becomes.
fn element(info: &HtmlInfo) -> &'static str {
    match info.heading {
        1 => "h1",
        2 => "h2",
        3 => "h3",
        4 => "h4",
        5 => "h5",
        6 => "h6",
        _ if info.pre => "pre",
        _ if info.tag == "li" => "li",
        _ if info.quote => "blockquote",
        _ => "p",
    }
}

/// Escapes text for an element's content or a quoted attribute.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A link target worth keeping: `http:`, `https:`, `mailto:` or no scheme.
fn safe_href(href: &str) -> bool {
    let href = href.trim();
    let scheme_end = href.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if href[i..].starts_with(':') => {
            let scheme = href[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Writes a block's text with its inline marks.
fn markup(text: &str, page: &PageMarkup, range: &Range<u32>, out: &mut String) {
    let marks = page
        .marks
        .get(range.start as usize..range.end as usize)
        .unwrap_or_default();
    let mut open: Vec<&str> = Vec::new();
    let mut from = 0;
    for mark in marks {
        let mut at = (mark.at as usize).min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        escape(&text[from.min(at)..at], out);
        from = from.max(at);
        if mark.tag == Mark::CLOSE {
            if let Some(tag) = open.pop() {
                let _ = write!(out, "</{tag}>");
            }
            continue;
        }
        let Some(&tag) = INLINE.get(mark.tag as usize) else {
            continue;
        };
        open.push(tag);
        let href = page.hrefs.get(mark.href as usize);
        match href.filter(|h| tag == "a" && safe_href(h)) {
            Some(href) => {
                out.push_str("<a href=\"");
                escape(href, out);
                out.push_str("\">");
            }
            None => {
                let _ = write!(out, "<{tag}>");
            }
        }
    }
    escape(&text[from..], out);
    while let Some(tag) = open.pop() {
        let _ = write!(out, "</{tag}>");
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn links_are_kept_only_when_safe() {
        for (href, safe) in [
            ("/a", true),
            ("https://x.org/", true),
            ("mailto:a@b", true),
            ("page?x=1:2", true),
            (" JavaScript:alert(1)", false),
            ("data:text/html,x", false),
            ("vbscript:x", false),
        ] {
            assert_eq!(super::safe_href(href), safe, "{href}");
        }
    }

    #[test]
    fn markup_is_balanced_and_escaped() {
        let page = "<p>a <b>bold <i>both</b> x</i> &lt;tag&gt; <span onclick=x>s</span>\
            <img src=x onerror=y><script>alert('<b>')</script><style>p{}</style>end \
            <span hidden>gone</span><em style=\"display:none\">gone</em>. This paragraph \
            runs on with enough words, commas, and clauses to be kept as the page's own \
            text by the main-content finder.</p>";
        let config = crate::Config::default().with_dedup_only(true);
        let cleaner = crate::Cleaner::new(config).unwrap();
        let html = cleaner.clean(crate::Page::html(page), None).html();
        assert!(
            html.starts_with(
                "<p>a <b>bold <i>both</i></b> <i>x</i> &lt;tag&gt; send . This paragraph"
            ),
            "{html}"
        );
        assert!(!html.contains("gone"), "{html}");
    }
}
