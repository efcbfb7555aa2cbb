//! A file's bytes as they were before compression: gzip member by member, zstd, or as
//! they are, told apart by their first bytes.
//!
//! gzip members are decoded one at a time, so that a damaged member loses only itself:
//! its error is returned once (a [`Damaged`] error, with the member's offset in the
//! file), and reading goes on at the next member (the next gzip header in the file).
//! Common Crawl's WARC and WET files have one member per record, so a damaged member
//! costs one record. A damaged zstd frame ends the file (after its error).
//!
//! A member cut short does not know it: its decoder reads on into the members after it
//! and fails there. So the compressed bytes of the member being decoded are kept (up to
//! [`MAX_KEPT`]), and on a failure they are put back: the next gzip header is looked
//! for from just after the failed member's start, and the whole members it had read
//! into are decoded. Each stretch of bytes is put back at most once (a member found
//! inside a stretch already put back resumes where its decoder stopped), so the work
//! stays linear in the file's size.

use std::fmt;
use std::io::{self, Read};

use flate2::bufread::GzDecoder;

use crate::buffer::Buffer;

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The most compressed bytes of one member kept to be put back if it fails (a member
/// longer than this, such as a whole gzipped file of one member, resumes after a
/// failure where its decoder stopped).
pub const MAX_KEPT: usize = 16 << 20;

/// How a file is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (one or more members).
    Gzip,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// The compression of bytes that start with `first` (their magic number).
    pub fn sniff(first: &[u8]) -> Compression {
        if first.starts_with(&GZIP_MAGIC) {
            Compression::Gzip
        } else if first.starts_with(&ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// The error of a damaged stretch of compressed input, after which reading goes on.
#[derive(Debug)]
pub struct Damaged {
    /// Where the damaged member starts in the compressed file.
    pub offset: u64,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "damaged compressed data at byte {}: {}",
            self.offset, self.message
        )
    }
}

impl std::error::Error for Damaged {}

/// The decompressed bytes of a file, read from `R`.
pub struct Decompressed<R: Read> {
    state: State<R>,
}

enum State<R: Read> {
    Plain(Buffer<R>),
    Zstd(
        zstd::stream::read::Decoder<'static, io::BufReader<Buffer<R>>>,
        bool,
    ),
    Gzip(Box<Members<R>>),
}

impl<R: Read> Decompressed<R> {
    /// The decompressed bytes of `input`, whose compression is sniffed.
    pub fn new(input: R) -> io::Result<Self> {
        let mut buffer = Buffer::new(input);
        let state = match Compression::sniff(buffer.peek(4)?) {
            Compression::None => State::Plain(buffer),
            Compression::Gzip => State::Gzip(Box::new(Members {
                input: Some(buffer),
                member: None,
                member_start: 0,
                put_back_until: 0,
                spare: Vec::new(),
            })),
            Compression::Zstd => State::Zstd(zstd::stream::read::Decoder::new(buffer)?, false),
        };
        Ok(Decompressed { state })
    }

    /// How many bytes of the compressed file were read so far (for progress).
    pub fn compressed_position(&self) -> u64 {
        match &self.state {
            State::Plain(buffer) => buffer.position(),
            State::Zstd(decoder, _) => decoder.get_ref().get_ref().position(),
            State::Gzip(members) => members.position(),
        }
    }
}

impl<R: Read> Read for Decompressed<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match &mut self.state {
            State::Plain(buffer) => buffer.read(out),
            State::Zstd(_, true) => Ok(0),
            State::Zstd(decoder, failed) => decoder.read(out).map_err(|e| {
                *failed = true;
                damaged(0, e)
            }),
            State::Gzip(members) => members.read(out),
        }
    }
}

fn damaged(offset: u64, error: io::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        Damaged {
            offset,
            message: error.to_string(),
        },
    )
}

/// gzip members, one decoder each.
struct Members<R: Read> {
    /// The input between two members.
    input: Option<Buffer<R>>,
    /// The member being decoded.
    member: Option<GzDecoder<BufferRead<R>>>,
    member_start: u64,
    /// Where the last failed member's decoder had stopped when its bytes were put back:
    /// members starting before it are not put back again.
    put_back_until: u64,
    /// The kept bytes' buffer, between members.
    spare: Vec<u8>,
}

impl<R: Read> Members<R> {
    fn position(&self) -> u64 {
        match (&self.input, &self.member) {
            (Some(input), _) => input.position(),
            (None, Some(member)) => member.get_ref().input.position(),
            (None, None) => 0,
        }
    }

    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(member) = &mut self.member {
                match member.read(out) {
                    Ok(0) if !out.is_empty() => {
                        if let Some(read) = self.member.take().map(|m| m.into_inner()) {
                            if let Some(mut kept) = read.kept {
                                kept.clear();
                                self.spare = kept;
                            }
                            self.input = Some(read.input);
                        }
                    }
                    Ok(n) => return Ok(n),
                    Err(e) => {
                        if let Some(read) = self.member.take().map(|m| m.into_inner()) {
                            let BufferRead { mut input, kept } = read;
                            let stopped = input.position();
                            if let Some(kept) = kept
                                .filter(|k| k.len() > 1 && self.member_start >= self.put_back_until)
                            {
                                // Back to just after this member's first byte: a whole
                                // member may start anywhere after it.
                                input.unread(&kept[1..]);
                                self.put_back_until = stopped;
                            } else if input.position() == self.member_start {
                                // Past this one's header if the decoder stopped there.
                                input.consume(1);
                            }
                            skip_to_magic(&mut input)?;
                            self.input = Some(input);
                        }
                        return Err(damaged(self.member_start, e));
                    }
                }
            }
            let Some(mut input) = self.input.take() else {
                return Ok(0);
            };
            if input.at_end()? {
                self.input = Some(input);
                return Ok(0);
            }
            if !input.peek(3)?.starts_with(&GZIP_MAGIC) {
                // Bytes between members: zero padding is fine, anything else damage.
                let start = input.position();
                let nonzero = skip_to_magic(&mut input)?;
                self.input = Some(input);
                if nonzero {
                    return Err(damaged(
                        start,
                        io::Error::new(io::ErrorKind::InvalidData, "bytes that are not gzip"),
                    ));
                }
                continue;
            }
            self.member_start = input.position();
            self.member = Some(GzDecoder::new(BufferRead {
                input,
                kept: Some(std::mem::take(&mut self.spare)),
            }));
        }
    }
}

/// Consumes bytes up to the next gzip header (or the end); true if a non-zero byte was
/// among them.
fn skip_to_magic<R: Read>(input: &mut Buffer<R>) -> io::Result<bool> {
    let mut nonzero = false;
    loop {
        let buf = input.peek(GZIP_MAGIC.len())?;
        if buf.len() < GZIP_MAGIC.len() {
            nonzero |= buf.iter().any(|&b| b != 0);
            let n = buf.len();
            input.consume(n);
            return Ok(nonzero);
        }
        match memchr::memmem::find(buf, &GZIP_MAGIC) {
            Some(at) => {
                nonzero |= buf[..at].iter().any(|&b| b != 0);
                input.consume(at);
                return Ok(nonzero);
            }
            None => {
                // Keep the last two bytes: a header may start there.
                let n = buf.len() - (GZIP_MAGIC.len() - 1);
                nonzero |= buf[..n].iter().any(|&b| b != 0);
                input.consume(n);
            }
        }
    }
}

/// [`Buffer`] as a `BufRead`, for flate2's decoder, keeping the bytes it consumes (up
/// to [`MAX_KEPT`]; `None` past it).
struct BufferRead<R: Read> {
    input: Buffer<R>,
    kept: Option<Vec<u8>>,
}

impl<R: Read> BufferRead<R> {
    /// Consumes `n` buffered bytes, keeping them while the member is short enough.
    fn consume_kept(&mut self, n: usize) {
        if let Some(kept) = &mut self.kept {
            if kept.len() + n > MAX_KEPT {
                self.kept = None;
            } else {
                let buffered = self.input.buffered();
                kept.extend_from_slice(&buffered[..n.min(buffered.len())]);
            }
        }
        self.input.consume(n);
    }
}

impl<R: Read> Read for BufferRead<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.input.peek(1)?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume_kept(n);
        Ok(n)
    }
}

impl<R: Read> io::BufRead for BufferRead<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.input.peek(1)
    }

    fn consume(&mut self, n: usize) {
        self.consume_kept(n);
    }
}
