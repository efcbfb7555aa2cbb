//! Block fingerprints: an exact hash and a SimHash of the normalized text.
//!
//! Both are specified bit for bit, so that they are identical on every platform, in
//! WebAssembly and from release to release (the golden vectors in the tests pin them):
//!
//! - **exact**: XXH3-64 with seed 0 of the UTF-8 bytes of the normalized text
//!   ([`normalize`](crate::normalize)).
//! - **simhash**: a 64-bit SimHash over 3-token shingles of the normalized tokens.
//!   Numbers (tokens that are only the folded digit `0`) are left out.
//!   Each token is hashed once with XXH3-64 (seed 0); the hash of the shingle
//!   `(a, b, c)` is `fmix64(((a.rotl(23) ^ b) * K).rotl(23) ^ c) * K)` with
//!   `K = 0x9E3779B97F4A7C15` and MurmurHash3's 64-bit finalizer `fmix64`. A text of one
//!   or two tokens has a single shingle of those tokens; a text with no token has the
//!   SimHash 0. Bit `i` of the SimHash is 1 when more than half of the shingle hashes
//!   have bit `i` set (ties give 0).
//!
//! The 64 per-bit counters are kept *bit-sliced*: plane `p` holds bit `p` of all 64
//! counters, so adding one shingle hash to all counters is a ripple-carry over a few
//! `u64` words, with no per-lane loop and no SIMD needed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::Error;
use crate::normalize::{for_each_token, normalize_into};

/// A 64-bit fingerprint, shown as 16 lowercase hex digits.
///
/// ```
/// use boildown::Fingerprint;
/// let a: Fingerprint = "00000000000000ff".parse()?;
/// let b = Fingerprint::from(0x0f_u64);
/// assert_eq!(a.hamming(b), 4);
/// assert_eq!(b.to_string(), "000000000000000f");
/// # Ok::<(), boildown::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Fingerprint(u64);

impl Fingerprint {
    /// The fingerprint's 64 bits.
    pub const fn as_u64(self) -> u64 {
        self.0
    }

    /// The number of bits in which two fingerprints differ (0 to 64).
    pub const fn hamming(self, other: Fingerprint) -> u32 {
        (self.0 ^ other.0).count_ones()
    }
}

impl From<u64> for Fingerprint {
    fn from(bits: u64) -> Self {
        Fingerprint(bits)
    }
}

impl From<Fingerprint> for u64 {
    fn from(fp: Fingerprint) -> Self {
        fp.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({:016x})", self.0)
    }
}

impl FromStr for Fingerprint {
    type Err = Error;

    /// Parses exactly 16 hex digits (either case).
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid_fingerprint(s));
        }
        u64::from_str_radix(s, 16)
            .map(Fingerprint)
            .map_err(|_| Error::invalid_fingerprint(s))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The fingerprints of one block's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprints {
    /// XXH3-64 of the normalized text.
    pub exact: Fingerprint,
    /// SimHash of the normalized tokens' 3-shingles.
    pub simhash: Fingerprint,
    /// How many tokens the SimHash is made of: the normalized tokens (bigrams for
    /// spaceless scripts) other than numbers.
    pub tokens: u32,
}

/// Computes the fingerprints of one block of text.
///
/// ```
/// let a = boildown::fingerprint("The cat sat on the mat.");
/// let b = boildown::fingerprint("the CAT sat on the mat");
/// assert_eq!(a, b);
/// assert_eq!(a.tokens, 6);
/// ```
pub fn fingerprint(text: &str) -> Fingerprints {
    fingerprint_with(text, &mut Vec::new())
}

/// [`fingerprint`] with a caller-provided scratch buffer for the normalized text.
pub(crate) fn fingerprint_with(text: &str, scratch: &mut Vec<u8>) -> Fingerprints {
    normalize_into(text, scratch);
    let exact = Fingerprint(xxh3_64(scratch));
    let mut sim = SimHasher::new();
    for_each_token(scratch, |token| {
        // Numbers are all folded to "0": as SimHash features they would only make
        // number-heavy blocks (table rows, price lists) look alike.
        if token != b"0" {
            sim.push_token(xxh3_64(token));
        }
    });
    let tokens = u32::try_from(sim.tokens).unwrap_or(u32::MAX);
    Fingerprints {
        exact,
        simhash: Fingerprint(sim.finish()),
        tokens,
    }
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

#[inline]
fn combine(acc: u64, next: u64) -> u64 {
    (acc.rotate_left(23) ^ next).wrapping_mul(K)
}

/// SimHash over token 3-shingles with bit-sliced counters.
struct SimHasher {
    /// `planes[p]` holds bit `p` of each of the 64 lane counters.
    planes: [u64; 64],
    /// Number of planes in use (the counters are below `1 << height`).
    height: usize,
    /// Number of shingle hashes added.
    count: u64,
    /// Number of tokens seen.
    tokens: u64,
    /// The two previous token hashes.
    prev: [u64; 2],
}

impl SimHasher {
    fn new() -> Self {
        SimHasher {
            planes: [0; 64],
            height: 0,
            count: 0,
            tokens: 0,
            prev: [0; 2],
        }
    }

    #[inline]
    fn push_token(&mut self, h: u64) {
        if self.tokens >= 2 {
            let shingle = fmix64(combine(combine(self.prev[0], self.prev[1]), h));
            self.add(shingle);
        }
        self.prev = [self.prev[1], h];
        self.tokens += 1;
    }

    /// Adds one hash to the 64 counters: counter `i` grows by bit `i` of `x`.
    #[inline]
    fn add(&mut self, x: u64) {
        let mut carry = x;
        let mut p = 0;
        while carry != 0 {
            let plane = &mut self.planes[p];
            let next = *plane & carry;
            *plane ^= carry;
            carry = next;
            p += 1;
        }
        self.height = self.height.max(p);
        self.count += 1;
    }

    fn finish(mut self) -> u64 {
        match self.tokens {
            0 => return 0,
            1 => self.add(fmix64(self.prev[1])),
            2 => self.add(fmix64(combine(self.prev[0], self.prev[1]))),
            _ => {}
        }
        // Lane i is set when counter_i > count / 2: a bit-sliced comparison with the
        // constant threshold, from the most significant plane down.
        let threshold = self.count / 2;
        let mut greater = 0u64;
        let mut equal = !0u64;
        for p in (0..self.height).rev() {
            let plane = self.planes[p];
            if threshold >> p & 1 == 0 {
                greater |= equal & plane;
                equal &= !plane;
            } else {
                equal &= plane;
            }
        }
        greater
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook SimHash with one signed counter per bit, over the same shingles.
    fn reference_simhash(hashes: &[u64]) -> u64 {
        let mut counters = [0i64; 64];
        for &h in hashes {
            for (i, c) in counters.iter_mut().enumerate() {
                *c += if h >> i & 1 == 1 { 1 } else { -1 };
            }
        }
        counters
            .iter()
            .enumerate()
            .fold(0, |acc, (i, &c)| if c > 0 { acc | 1 << i } else { acc })
    }

    #[test]
    fn bit_sliced_counters_match_signed_counters() {
        let mut state = 0x1234_5678_9abc_def0_u64;
        for n in [1usize, 2, 3, 4, 7, 8, 63, 64, 65, 1000, 4097] {
            let hashes: Vec<u64> = (0..n)
                .map(|_| {
                    state = fmix64(state.wrapping_add(K));
                    // Skew some bits so that ties and near-ties happen.
                    state & (state >> 7 | 0xffff_0000_0000_ffff)
                })
                .collect();
            let mut sim = SimHasher::new();
            for &h in &hashes {
                sim.add(h);
            }
            sim.tokens = 3;
            assert_eq!(sim.finish(), reference_simhash(&hashes), "n = {n}");
        }
    }

    #[test]
    fn fingerprint_round_trips_through_hex() {
        for bits in [0u64, 1, u64::MAX, 0x0123_4567_89ab_cdef] {
            let fp = Fingerprint(bits);
            assert_eq!(fp.to_string().parse::<Fingerprint>().unwrap(), fp);
        }
        assert_eq!(
            "0123456789ABCDEF".parse::<Fingerprint>().unwrap().as_u64(),
            0x0123_4567_89ab_cdef
        );
        for bad in [
            "",
            "123",
            "0123456789abcdeg",
            "+123456789abcdef",
            "0123456789abcdef0",
        ] {
            assert!(bad.parse::<Fingerprint>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn empty_and_tiny_texts() {
        let empty = fingerprint("");
        assert_eq!(empty.simhash.as_u64(), 0);
        assert_eq!(empty.tokens, 0);
        assert_eq!(empty, fingerprint(" -- !! "));
        assert_ne!(fingerprint("a").simhash, fingerprint("b").simhash);
        assert_ne!(fingerprint("a b").simhash, fingerprint("b a").simhash);
    }
}
