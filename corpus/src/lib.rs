//! Scraped corpora for [boildown](https://crates.io/crates/boildown): the records of WARC
//! files (Common Crawl's WARC and WET files, any crawler's, ClueWeb's older dialect),
//! and JSONL dumps, gzip- or zstd-compressed or not, read so that nothing is lost
//! silently: every part that cannot be read is a [`Reject`] with its offset (or line)
//! and reason, and reading goes on.
//!
//! ```no_run
//! use boildown_corpus::{Decompressed, Records};
//! let file = std::fs::File::open("crawl.warc.gz")?;
//! for item in Records::new(Decompressed::new(file)?) {
//!     match item {
//!         Ok(record) if record.kind() == "response" => {
//!             let http = record.http_response();
//!             println!("{:?} {:?}", record.target_uri(), http.and_then(|h| h.media_type()));
//!         }
//!         Ok(_) => {}
//!         Err(reject) => eprintln!("byte {}: {}", reject.offset, reject.reason),
//!     }
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Why a reader of its own: the WARC crates of the registry (`warc` 0.3, `rust_warc` 1.2)
//! read none of the records of ClueWeb's files (`WARC/0.18`, dates such as
//! `2008-10-294T05:21:46-0700`) and stop at the first damaged record (`warc` then fails
//! on every call); `rust_warc` allocates whatever `Content-Length` says.
//!
//! [`Item::from_record`] says what a WARC record holds for cleaning (an HTML response, a
//! WET file's text, or a record of another kind, counted and skipped); [`Rows`] reads
//! JSONL dumps into the same [`Item`]s.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod buffer;
mod compression;
mod document;
mod inputs;
mod jsonl;
pub mod minhash;
mod warc;

pub use compression::{Compression, Damaged, Decompressed};
pub use document::{Document, DocumentFormat, Item, Position};
pub use inputs::{expand, items, items_counted, Input, InputKind, ReadOptions};
pub use jsonl::{Fields, Rows};
pub use warc::{HttpResponse, Record, Records, Reject, DEFAULT_MAX_RECORD_BYTES, MAX_HEADER_BYTES};
