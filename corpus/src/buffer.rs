//! A read buffer that can look ahead by a given number of bytes and take bytes back:
//! what finding gzip members and WARC records in a damaged stream needs, and what
//! `std::io::BufReader` (which refills only when empty) cannot do.

use std::io::{self, Read};

/// The buffer's usual size; a look-ahead may grow it.
const CHUNK: usize = 64 << 10;

/// Buffered reading of `R`, with the count of bytes consumed.
pub(crate) struct Buffer<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    consumed: u64,
    /// An error of the inner reader, kept until the buffered bytes before it are read.
    error: Option<io::Error>,
    eof: bool,
}

impl<R: Read> Buffer<R> {
    pub(crate) fn new(inner: R) -> Self {
        Buffer {
            inner,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            consumed: 0,
            error: None,
            eof: false,
        }
    }

    /// How many bytes were consumed so far.
    pub(crate) fn position(&self) -> u64 {
        self.consumed
    }

    pub(crate) fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The buffered bytes, at least `n` of them unless the input ends (or fails) first.
    /// An error of the input comes once all the bytes read before it were consumed.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.end - self.start < n && !self.eof && self.error.is_none() {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() || self.buf.len() < n {
                let len = (self.buf.len() * 2).max(n);
                self.buf.resize(len, 0);
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(read) => self.end += read,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => self.error = Some(e),
            }
        }
        if self.start == self.end {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    /// The bytes buffered now (no reading).
    pub(crate) fn buffered(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Consumes `n` buffered bytes.
    pub(crate) fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.consumed += n as u64;
    }

    /// Puts `bytes` back before the buffered ones (they were consumed just before).
    pub(crate) fn unread(&mut self, bytes: &[u8]) {
        if bytes.len() <= self.start {
            self.start -= bytes.len();
            self.buf[self.start..self.start + bytes.len()].copy_from_slice(bytes);
        } else {
            let mut buf = Vec::with_capacity(bytes.len() + self.end - self.start + CHUNK);
            buf.extend_from_slice(bytes);
            buf.extend_from_slice(&self.buf[self.start..self.end]);
            self.end = buf.len();
            buf.resize(self.end + CHUNK, 0);
            self.buf = buf;
            self.start = 0;
        }
        self.consumed -= bytes.len() as u64;
    }

    /// True once every byte was consumed and the input has ended (without an error
    /// still to report).
    pub(crate) fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.peek(1)?.is_empty())
    }
}

impl<R: Read> Read for Buffer<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.peek(1)?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peeks_past_the_chunk_and_takes_bytes_back() {
        let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let mut b = Buffer::new(&data[..]);
        assert_eq!(b.peek(3).unwrap()[..3], [0, 1, 2]);
        b.consume(CHUNK - 1);
        assert!(b.peek(100_000).unwrap().len() >= 100_000);
        b.consume(10);
        b.unread(&data[CHUNK + 4..CHUNK + 9]);
        assert_eq!(b.position(), (CHUNK + 4) as u64);
        let mut rest = Vec::new();
        b.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, data[CHUNK + 4..]);
        assert!(b.at_end().unwrap());
    }

    #[test]
    fn an_error_comes_after_the_bytes_before_it() {
        struct Failing(u8);
        impl Read for Failing {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                self.0 += 1;
                if self.0 == 1 {
                    out[..2].copy_from_slice(b"ab");
                    Ok(2)
                } else if self.0 == 2 {
                    Err(io::Error::new(io::ErrorKind::InvalidData, "bad"))
                } else {
                    out[0] = b'c';
                    Ok(1)
                }
            }
        }
        let mut b = Buffer::new(Failing(0));
        assert_eq!(b.peek(5).unwrap(), b"ab");
        b.consume(2);
        assert!(b.peek(1).is_err());
        assert_eq!(b.peek(1).unwrap(), b"c");
    }
}
