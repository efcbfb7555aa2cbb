//! Cleaned HTML: the kept blocks' markup, safe to show. Each kept block becomes its
//! element (`h1`…`h6`, `li` inside `ul`, `pre`, `blockquote`, `p` for the rest) holding
//! its span of the input re-read with these rules: text is escaped; only a few inline
//! elements stay (`a`, `b`, `strong`, `i`, `em`, `code`, `sub`, `sup`, `mark`, `small`,
//! `s`, `u`, `q`, `abbr`, `cite`, `kbd`, `var`, `br`), with no attribute but a link's
//! `href` when it is `http:`, `https:`, `mailto:` or relative; scripts, styles,
//! comments, hidden elements, event handlers and every other element are dropped, the
//! text of unknown elements kept. Elements are closed in order, whatever the input.

use std::fmt::Write;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Span, State, Tokenizer};

use crate::html::{state_after, Quiet, SwitchesState};

use crate::report::{Cleaned, HtmlInfo};

const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "strong", "sub",
    "sup", "u", "var",
];

/// Elements whose content is never shown.
const SKIP: &[&str] = &[
    "audio", "canvas", "iframe", "map", "math", "noembed", "noframes", "object", "script",
    "select", "style", "svg", "template", "textarea", "video",
];

impl Cleaned {
    /// The kept blocks as HTML, safe to insert in a page (see the module docs of
    /// `render.rs` in the source: inline emphasis and links stay, scripts, styles,
    /// event handlers and all other attributes go). `input` is the page this was
    /// cleaned from (for plain text, each kept block becomes an escaped `<p>`).
    ///
    /// ```
    /// let page = "<nav><a href=/>Home</a></nav><article><h1>Rates rise</h1>\
    ///             <p onclick=\"steal()\">The <b>central bank</b> raised its rates today, for \
    ///             the third time this year, <a href=\"javascript:x()\">to slow</a> prices \
    ///             that rose faster than it expected.<script>track()</script></p>\
    ///             <p>Banks said mortgages would cost more from next month, and savers, who \
    ///             had waited years for better rates, would earn a <a href=\"/more\">little \
    ///             more</a>.</p></article>";
    /// let cleaned = boildown::Cleaner::default().clean_html(page);
    /// let html = cleaned.html(page);
    /// assert!(html.contains("<p>The <b>central bank</b> raised"));
    /// assert!(html.contains("<a href=\"/more\">little more</a>"));
    /// assert!(!html.contains("script") && !html.contains("onclick") && !html.contains("javascript"));
    /// ```
    pub fn html(&self, input: &str) -> String {
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
            match input.get(block.start..block.end) {
                Some(span) if !info.pre => markup(span, &mut out),
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

/// Writes the safe markup of `span` (a block's part of the input).
fn markup(span: &str, out: &mut String) {
    let mut open = Vec::new();
    {
        let writer = Writer {
            out: &mut *out,
            open: &mut open,
            name: String::new(),
            href: None,
            in_href: false,
            skipping: 0,
            next_state: None,
        };
        let tokenizer = Tokenizer::new_with_emitter(span, Quiet(CallbackEmitter::new(writer)));
        for _ in tokenizer {}
    }
    while let Some(tag) = open.pop() {
        let _ = write!(out, "</{tag}>");
    }
}

struct Writer<'a> {
    out: &'a mut String,
    /// Inline elements written and not closed yet.
    open: &'a mut Vec<&'static str>,
    name: String,
    href: Option<String>,
    in_href: bool,
    /// Skipped elements open (their content is not written).
    skipping: u32,
    next_state: Option<State>,
}

impl Callback<std::convert::Infallible, ()> for Writer<'_> {
    fn handle_event(
        &mut self,
        event: CallbackEvent<'_>,
        _: Span<()>,
    ) -> Option<std::convert::Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.name = String::from_utf8_lossy(name).into_owned();
                self.href = None;
                self.in_href = false;
            }
            CallbackEvent::AttributeName { name } => {
                self.in_href = name == b"href" && self.href.is_none();
                if self.in_href {
                    self.href = Some(String::new());
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if self.in_href {
                    self.href = Some(String::from_utf8_lossy(value).into_owned());
                    self.in_href = false;
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                let name = self.name.as_str();
                self.next_state = state_after(name, self_closing);
                if SKIP.binary_search(&name).is_ok() {
                    // `<svg/>` and `<math/>` are closed already (they are XML).
                    if !(self_closing && matches!(name, "svg" | "math")) {
                        self.skipping += 1;
                    }
                } else if self.skipping > 0 {
                    // Inside a skipped element: nothing is written.
                } else if name == "br" {
                    self.out.push_str("<br>");
                } else if let Ok(i) = INLINE.binary_search(&name) {
                    let tag = INLINE[i];
                    self.open.push(tag);
                    match self.href.take().filter(|h| tag == "a" && safe_href(h)) {
                        Some(href) => {
                            self.out.push_str("<a href=\"");
                            escape(&href, self.out);
                            self.out.push_str("\">");
                        }
                        None => {
                            let _ = write!(self.out, "<{tag}>");
                        }
                    }
                }
            }
            CallbackEvent::EndTag { name } => {
                let name = String::from_utf8_lossy(name);
                if SKIP.binary_search(&name.as_ref()).is_ok() {
                    self.skipping = self.skipping.saturating_sub(1);
                } else if let Some(at) = self.open.iter().rposition(|t| *t == name) {
                    while self.open.len() > at {
                        let tag = self.open.pop().unwrap_or("span");
                        let _ = write!(self.out, "</{tag}>");
                    }
                }
            }
            CallbackEvent::String { value } => {
                if self.skipping == 0 {
                    escape(&String::from_utf8_lossy(value), self.out);
                }
            }
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
        None
    }
}

impl SwitchesState for Writer<'_> {
    fn next_state(&mut self) -> Option<State> {
        self.next_state.take()
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
        let mut out = String::new();
        super::markup(
            "a <b>bold <i>both</b> x</i> &lt;tag&gt; <span onclick=x>s</span><img src=x onerror=y>\
             <script>alert('<b>')</script><style>p{}</style>end",
            &mut out,
        );
        assert_eq!(out, "a <b>bold <i>both</i></b> x &lt;tag&gt; send");
    }
}
