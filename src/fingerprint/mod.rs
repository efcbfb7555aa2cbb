//! Block fingerprints: an exact hash and a SimHash of the normalized text, specified
//! bit for bit in the documentation of [`fingerprint`].
//!
//! The 64 per-bit counters are kept *bit-sliced*: plane `p` holds bit `p` of all 64
//! counters, so adding shingle hashes to all counters is a few word-wide logic
//! operations (a carry-save adder network, eight hashes at a time), with no per-lane
//! loop and no SIMD needed.

pub(crate) mod chars;
pub(crate) mod normalize;
pub(crate) mod scan;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::Error;
use crate::fingerprint::normalize::{normalize_into, TokenSink};

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
#[non_exhaustive]
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
/// Both are specified bit for bit, so that they are identical on every platform, in
/// WebAssembly and from release to release (the golden vectors in the tests pin them):
///
/// - **exact**: XXH3-64 with seed 0 of the UTF-8 bytes of the normalized text
///   ([`normalize`](fn@crate::normalize)).
/// - **simhash**: a 64-bit SimHash over 3-token shingles of the normalized tokens.
///   Numbers (tokens that are only the folded digit `0`) are left out. Each token is
///   hashed once: with `K = 0x9E3779B97F4A7C15`, `h = 0x243F6A8885A308D3`, then for
///   each 8-byte little-endian chunk `c` of its UTF-8 bytes (the last zero-padded)
///   `h = ((h ^ c) * K).rotl(31)`; finally `h ^= len`, `h = (h ^ h >> 32) *
///   0xD6E8FEB86659FD93`, `h ^= h >> 32`. Each token ends one shingle: with two zero
///   hashes before the first token, the shingle ending at token `c` after tokens `a`
///   and `b` hashes to `a.rotl(2) ^ b.rotl(1) ^ c`, so a text of `n` tokens has `n`
///   shingles; a text with no token has the SimHash 0. Bit `i` of the SimHash is 1
///   when more than half of the shingle hashes have bit `i` set (ties give 0).
///
/// ```
/// let a = boildown::fingerprint("The cat sat on the mat.");
/// let b = boildown::fingerprint("the CAT sat on the mat");
/// assert_eq!(a, b);
/// assert_eq!(a.tokens, 6);
/// ```
pub fn fingerprint(text: &str) -> Fingerprints {
    Fingerprinter::default().fingerprint(text)
}

/// The exact fingerprint of text that normalizes to nothing (only punctuation, symbols
/// or white space): XXH3-64 of no bytes.
pub(crate) const EMPTY_EXACT: Fingerprint = Fingerprint(0x2D06_8005_38D3_94C2);

/// Fingerprints many blocks in a row, reusing its buffers: what [`fingerprint`] does,
/// without setting up a normalization buffer and SimHash counters for every block.
///
/// ```
/// let mut fingerprinter = boildown::Fingerprinter::new();
/// let a = fingerprinter.fingerprint("Breaking news: rates rise");
/// let b = fingerprinter.fingerprint("BREAKING NEWS — rates rise!");
/// assert_eq!(a.exact, b.exact);
/// assert_eq!(a, boildown::fingerprint("breaking news rates rise"));
/// ```
#[derive(Clone, Default)]
pub struct Fingerprinter {
    normalized: Vec<u8>,
    sim: SimHasher,
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fingerprinter").finish_non_exhaustive()
    }
}

impl Fingerprinter {
    /// A fingerprinter with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The fingerprints of one block of text, as [`fingerprint`] computes them.
    pub fn fingerprint(&mut self, text: &str) -> Fingerprints {
        let len = self.scan(text);
        let tokens = u32::try_from(self.sim.count).unwrap_or(u32::MAX);
        Fingerprints {
            exact: Fingerprint(xxh3_64(&self.normalized[..len])),
            simhash: Fingerprint(self.sim.finish()),
            tokens,
        }
    }
}

impl Fingerprinter {
    /// Normalizes `text` into the start of the buffer, the tokens into the SimHash:
    /// the normalized length.
    fn scan(&mut self, text: &str) -> usize {
        self.sim.reset();
        normalize_into(text, &mut self.normalized, &mut self.sim)
    }
}

/// Normalizes a block's text.
///
/// Two blocks are "the same text" for boildown when their normalized forms are equal.
/// Normalization is, in this order:
///
/// 1. Unicode NFKC, so that full-width letters, ligatures and the no-break space compare
///    equal to their plain forms (skipped for ASCII, for text whose NFKC quick check
///    says "yes", and for characters NFKC only turns into separators);
/// 2. case folding: the full lowercase mapping of each character, with final sigma `ς`
///    folded to `σ`;
/// 3. tokens: a token is a maximal run of *word characters* (letters, digits and
///    combining marks); everything else (white space of any kind, punctuation, symbols,
///    emoji) only separates tokens and is dropped;
/// 4. digits folded: every run of digits inside a token becomes the single digit `0`,
///    so "3 comments" and "12 comments" or "2024" and "1999" normalize alike.
///
/// The normalized text is the tokens joined by one ASCII space.
///
/// For SimHash ([`fingerprint`](fn@crate::fingerprint)), words of scripts written
/// without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are cut into
/// character bigrams: "中国和阿" gives the tokens "中国", "国和", "和阿"; a single such
/// character alone is one token.
///
/// ```
/// assert_eq!(boildown::normalize("Ｈｅｌｌｏ,\u{a0}WORLD — 2024!"), "hello world 0");
/// ```
pub fn normalize(text: &str) -> String {
    // The fingerprinter's scan, its SimHash dropped: one copy of the scanner (in
    // WebAssembly, each copy is code to download).
    let mut fingerprinter = Fingerprinter::new();
    let len = fingerprinter.scan(text);
    fingerprinter.normalized.truncate(len);
    // The buffer only ever receives whole UTF-8 encoded characters.
    String::from_utf8(fingerprinter.normalized).unwrap_or_default()
}

/// SimHash over token 3-shingles with bit-sliced counters.
#[derive(Clone)]
///
/// Hashes are added eight at a time through a carry-save adder network (as in the
/// Harley-Seal population count): `ones`, `twos` and `fours` hold the low bits of the
/// 64 lane counters in carry-save form, and only every eighth hash ripples into
/// `planes`. Per lane, the count is `planes + 4·fours + 2·twos + ones + pending`.
struct SimHasher {
    /// `planes[p]` holds bit `p` of each of the 64 lane counters (weights 8 and up
    /// arrive here; the three low planes are filled by `finish`).
    planes: [u64; 64],
    /// Number of planes in use.
    height: usize,
    ones: u64,
    twos: u64,
    fours: u64,
    /// The latest shingle hashes, not yet in the counters: `count % 8` of them.
    pending: [u64; 8],
    /// Number of hashes added (one per token).
    count: u64,
    /// The two previous token hashes.
    prev: [u64; 2],
}

/// A carry-save adder: adds three bit vectors lane by lane into (carry, sum).
#[inline(always)]
fn csa(a: u64, b: u64, c: u64) -> (u64, u64) {
    let u = a ^ b;
    ((a & b) | (u & c), u ^ c)
}

impl TokenSink for SimHasher {
    #[inline(always)]
    fn push(&mut self, hash: u64) {
        self.push_token(hash);
    }

    fn reset(&mut self) {
        SimHasher::reset(self);
    }
}

impl Default for SimHasher {
    fn default() -> Self {
        SimHasher {
            planes: [0; 64],
            height: 0,
            ones: 0,
            twos: 0,
            fours: 0,
            pending: [0; 8],
            count: 0,
            prev: [0; 2],
        }
    }
}

impl SimHasher {
    /// Back to the empty state ([`SimHasher::finish`] clears the planes it used).
    fn reset(&mut self) {
        if self.height > 0 {
            self.planes = [0; 64];
            self.height = 0;
        }
        self.ones = 0;
        self.twos = 0;
        self.fours = 0;
        self.count = 0;
        self.prev = [0; 2];
    }

    /// One token: it ends one shingle (the first two with zero hashes before them).
    /// Branch-free but for every eighth token.
    #[inline(always)]
    fn push_token(&mut self, h: u64) {
        let shingle = self.prev[0].rotate_left(2) ^ self.prev[1].rotate_left(1) ^ h;
        self.prev = [self.prev[1], h];
        self.add(shingle);
    }

    /// Adds one hash to the 64 counters: counter `i` grows by bit `i` of `x`.
    #[inline(always)]
    fn add(&mut self, x: u64) {
        self.pending[(self.count & 7) as usize] = x;
        self.count += 1;
        if self.count & 7 == 0 {
            self.flush8();
        }
    }

    /// Moves the eight pending hashes into the counters.
    #[inline(never)]
    fn flush8(&mut self) {
        let d = self.pending;
        let (twos_a, ones) = csa(self.ones, d[0], d[1]);
        let (twos_b, ones) = csa(ones, d[2], d[3]);
        let (fours_a, twos) = csa(self.twos, twos_a, twos_b);
        let (twos_a, ones) = csa(ones, d[4], d[5]);
        let (twos_b, ones) = csa(ones, d[6], d[7]);
        let (fours_b, twos) = csa(twos, twos_a, twos_b);
        let (eights, fours) = csa(self.fours, fours_a, fours_b);
        self.ones = ones;
        self.twos = twos;
        self.fours = fours;
        self.ripple(eights, 3);
    }

    /// Adds `x`, with weight `2^plane`, to the bit-sliced counters.
    #[inline]
    fn ripple(&mut self, x: u64, mut plane: usize) {
        let mut carry = x;
        while carry != 0 {
            let next = self.planes[plane] & carry;
            self.planes[plane] ^= carry;
            carry = next;
            plane += 1;
        }
        self.height = self.height.max(plane);
    }

    /// The SimHash of what was added. Clears the counters as it reads them; call
    /// [`SimHasher::reset`] before reusing.
    fn finish(&mut self) -> u64 {
        if self.count == 0 {
            return 0;
        }
        // The pending hashes, padded with zeros (which count for nothing), go through
        // the adder network like a full batch; then the carry-save words join the planes.
        let pending = (self.count & 7) as usize;
        if pending != 0 {
            self.pending[pending..].fill(0);
            self.flush8();
        }
        // Batches ripple into the planes from weight 8 up, so the three lowest planes are
        // still empty: the carry-save words of weights 1, 2 and 4 simply become them.
        self.planes[0] = self.ones;
        self.planes[1] = self.twos;
        self.planes[2] = self.fours;
        self.height = self.height.max(3);
        // Lane i is set when counter_i > count / 2: a bit-sliced comparison with the
        // constant threshold, from the most significant plane down, without branches.
        let threshold = self.count / 2;
        let mut greater = 0u64;
        let mut equal = !0u64;
        for p in (0..self.height).rev() {
            let plane = std::mem::take(&mut self.planes[p]);
            let bit = 0u64.wrapping_sub(threshold >> p & 1);
            greater |= equal & plane & !bit;
            equal &= !(plane ^ bit);
        }
        self.height = 0;
        greater
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

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
                    state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    let mut z = state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    z ^= z >> 31;
                    // Skew some bits so that ties and near-ties happen.
                    z & (z >> 7 | 0xffff_0000_0000_ffff)
                })
                .collect();
            let mut sim = SimHasher::default();
            sim.reset();
            for &h in &hashes {
                sim.add(h);
            }
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
    fn a_reused_fingerprinter_gives_what_a_fresh_one_gives() {
        let long = "many words in a long line ".repeat(2000);
        let texts = [
            "",
            "a b c",
            long.as_str(),
            "x",
            "ÄRGER über alles",
            long.as_str(),
            "",
        ];
        let mut reused = Fingerprinter::default();
        for text in texts {
            assert_eq!(reused.fingerprint(text), fingerprint(text), "{:.20}", text);
        }
    }

    #[test]
    fn empty_and_tiny_texts() {
        let empty = fingerprint("");
        assert_eq!(empty.exact, EMPTY_EXACT);
        assert_eq!(empty.simhash.as_u64(), 0);
        assert_eq!(empty.tokens, 0);
        assert_eq!(empty, fingerprint(" -- !! "));
        assert_ne!(fingerprint("a").simhash, fingerprint("b").simhash);
        assert_ne!(fingerprint("a b").simhash, fingerprint("b a").simhash);
    }
}
