//! One exported function, `count(ptr, len)`: the start tags of a UTF-8 page.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

#[no_mangle]
pub extern "C" fn count(ptr: *const u8, len: usize) -> usize {
    // SAFETY: the caller passes a buffer from `alloc` holding `len` bytes of UTF-8.
    let page = unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len)) };
    tags(page)
}

#[cfg(feature = "html5gum")]
fn tags(page: &str) -> usize {
    html5gum::Tokenizer::new(page)
        .flatten()
        .filter(|t| matches!(t, html5gum::Token::StartTag(_)))
        .count()
}

#[cfg(feature = "html5ever")]
fn tags(page: &str) -> usize {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
    use std::cell::Cell;
    struct Sink(Cell<usize>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(t) = token {
                if t.kind == TagKind::StartTag {
                    self.0.set(self.0.get() + 1);
                }
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Sink(Cell::new(0)), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(page));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.get()
}

#[cfg(feature = "lol_html")]
fn tags(page: &str) -> usize {
    use lol_html::{element, HtmlRewriter, Settings};
    let n = std::cell::Cell::new(0);
    let mut r = HtmlRewriter::new(
        Settings { element_content_handlers: vec![element!("*", |_| { n.set(n.get() + 1); Ok(()) })], ..Settings::new() },
        |_: &[u8]| {},
    );
    let _ = r.write(page.as_bytes());
    let _ = r.end();
    n.get()
}
