//! Near-duplicate documents: MinHash signatures over word shingles, LSH banding, and
//! clusters whose members point at the earliest.
//!
//! A document's words (the caller's tokens, as hashes) are cut into shingles of
//! [`MinHashParams::shingle`] consecutive words, each hashed to 64 bits. The signature
//! has `bands × rows` values, made one of two ways ([`Scheme`]):
//!
//! - [`Scheme::OnePermutation`] (the default): one hash per shingle. Its top bits pick
//!   one of the signature's bins and its low 32 bits are the value; each bin keeps its
//!   least value. A bin no shingle fell in copies the value of another bin, found by
//!   the same sequence of probes in every document ("optimal densification": Anshumali
//!   Shrivastava, *Optimal Densification for Fast and Accurate Minwise Hashing*, ICML
//!   2017). Two documents' signatures agree in a bin with probability the Jaccard
//!   similarity of their shingles, as with independent hash functions, at the cost of
//!   one hash per shingle whatever the signature's length.
//! - [`Scheme::Permutations`]: the classic MinHash of datatrove and datasketch, one
//!   hash function per value (multiply-shift, `(a·x + b) >> 32` with 64-bit `a`, `b`
//!   from fixed seeds: 2-universal), each keeping its least value over the shingles.
//!   It costs every shingle one hash per value; kept to measure datatrove's defaults
//!   as datatrove computes them.
//!
//! Two documents whose signatures agree on every row of some band are candidates; a
//! candidate pair is a near-duplicate when the Jaccard similarity of their shingles
//! (exact, over the shingles' 32-bit hashes: [`Sketch`]) reaches
//! [`MinHashParams::threshold`]. The signature's own estimate ([`similarity`]) would
//! add its sampling error to the check; the exact one costs a document's distinct
//! shingles (4 bytes each) kept until the check. Near-duplicates are clustered (union-find,
//! transitively), and every document of a cluster but the earliest points at the
//! earliest. Deterministic: the same documents in the same order give the same
//! clusters, and a signature depends only on its words, the parameters and the seed.

/// How many documents of a bucket (its earliest) a later document of the bucket is
/// compared with ([`clusters`]).
pub const MAX_COMPARISONS: usize = 16;

/// The parameters of near-duplicate detection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinHashParams {
    /// Words per shingle.
    pub shingle: usize,
    /// LSH bands.
    pub bands: usize,
    /// Rows (hash functions) per band.
    pub rows: usize,
    /// The Jaccard similarity of the shingles from which a candidate pair is a
    /// near-duplicate (0 accepts every candidate).
    pub threshold: f64,
    /// How the signature's values are made.
    pub scheme: Scheme,
}

/// How a signature's values are made (the module's documentation compares them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    /// One hash per shingle into `bands × rows` bins, empty bins densified.
    #[default]
    OnePermutation,
    /// One hash function per value, each over every shingle.
    Permutations,
}

impl MinHashParams {
    /// The parameters chosen on the judged pairs of the evaluation pack's `neardup-dev`
    /// (examples/neardup_eval.rs: F1 pooled over 8 draws of hash functions; of those
    /// within 0.01 of the best, the fewest hashes per shingle, then the fewest bands):
    /// 7-word shingles, one-permutation signatures of 20 bands of 3 rows, the exact
    /// check at 0.45.
    pub const CHOSEN: MinHashParams = MinHashParams {
        shingle: 7,
        bands: 20,
        rows: 3,
        threshold: 0.45,
        scheme: Scheme::OnePermutation,
    };

    /// datatrove's defaults: 5-word shingles, 14 bands of 8 rows of independent hash
    /// functions, no check (every candidate is a duplicate).
    pub const DATATROVE: MinHashParams = MinHashParams {
        shingle: 5,
        bands: 14,
        rows: 8,
        threshold: 0.0,
        scheme: Scheme::Permutations,
    };

    /// The signature's length: `bands × rows` values.
    pub fn values(&self) -> usize {
        self.bands * self.rows
    }
}

impl Default for MinHashParams {
    /// [`MinHashParams::CHOSEN`].
    fn default() -> Self {
        MinHashParams::CHOSEN
    }
}

/// Computes signatures with one set of parameters.
#[derive(Clone, Debug)]
pub struct MinHasher {
    params: MinHashParams,
    /// The seed's key, mixed into every shingle's hash ([`Scheme::OnePermutation`]) and
    /// every probe of densification.
    key: u64,
    /// `a` and `b` of every hash function ([`Scheme::Permutations`]; empty otherwise).
    a: Vec<u64>,
    b: Vec<u64>,
}

/// A document's signature: `bands × rows` values of 32 bits (empty for a document with
/// no words).
pub type Signature = Vec<u32>;

/// The most probes densification makes for one empty bin before it takes the next
/// filled bin after it instead (a bound on the time of a document with few shingles;
/// reached with probability below 10⁻¹⁰⁰ when a bin in 64 is filled).
const MAX_PROBES: u32 = 16_384;

impl MinHasher {
    /// A hasher with these parameters: the hash functions every signature of
    /// boildown uses (drawn from a fixed seed, the same everywhere).
    pub fn new(params: MinHashParams) -> Self {
        MinHasher::with_seed(params, 0)
    }

    /// A hasher with these parameters and another draw of hash functions (seed 0 is
    /// [`MinHasher::new`]'s). For measuring how much a result owes to the draw
    /// (`examples/neardup_eval.rs` averages over seeds): signatures of different seeds
    /// do not compare.
    pub fn with_seed(params: MinHashParams, seed: u64) -> Self {
        let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ seed.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let mut next = || {
            // splitmix64.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let key = next();
        let (a, b) = match params.scheme {
            Scheme::OnePermutation => (Vec::new(), Vec::new()),
            Scheme::Permutations => (0..params.values()).map(|_| (next() | 1, next())).unzip(),
        };
        MinHasher { params, key, a, b }
    }

    /// The parameters.
    pub fn params(&self) -> MinHashParams {
        self.params
    }

    /// The signature of a document whose words hash to `words` (in order). A document
    /// shorter than a shingle is one shingle of all its words. Time: linear in the
    /// words (times the shingle, plus the values for [`Scheme::Permutations`]).
    pub fn signature(&self, words: &[u64]) -> Signature {
        let shingles: Vec<u64> = shingle_hashes(words, self.params.shingle).collect();
        self.signature_of(&shingles)
    }

    /// The document's [`Sketch`]: its signature, and its distinct shingles.
    pub fn sketch(&self, words: &[u64]) -> Sketch {
        let hashes: Vec<u64> = shingle_hashes(words, self.params.shingle).collect();
        let mut shingles: Vec<u32> = hashes.iter().map(|&h| fold32(h)).collect();
        shingles.sort_unstable();
        shingles.dedup();
        Sketch {
            signature: self.signature_of(&hashes),
            shingles,
        }
    }

    /// The signature of the shingles' 64-bit hashes.
    fn signature_of(&self, shingles: &[u64]) -> Signature {
        if shingles.is_empty() {
            return Vec::new();
        }
        match self.params.scheme {
            Scheme::OnePermutation => self.one_permutation(shingles),
            Scheme::Permutations => {
                let mut mins = vec![u32::MAX; self.a.len()];
                for &h in shingles {
                    let x = u64::from(fold32(h));
                    for ((min, &a), &b) in mins.iter_mut().zip(&self.a).zip(&self.b) {
                        let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                        *min = (*min).min(v);
                    }
                }
                mins
            }
        }
    }

    /// [`Scheme::OnePermutation`]: each shingle's hash (keyed by the seed) to one bin,
    /// the least value per bin, then every empty bin densified.
    fn one_permutation(&self, shingles: &[u64]) -> Signature {
        let bins = self.params.values();
        let mut mins = vec![u32::MAX; bins];
        let mut filled = vec![false; bins];
        for &h in shingles {
            let h = mix(h ^ self.key);
            let bin = bin_of(h >> 32, bins);
            mins[bin] = mins[bin].min(h as u32);
            filled[bin] = true;
        }
        // Optimal densification: an empty bin probes bins in an order that depends only
        // on the bin, the probe's number and the seed (so every document probes the
        // same bins), and takes the value of the first filled one. Only filled bins are
        // read, and only empty ones written, so the bins are densified in place.
        for i in 0..bins {
            if filled[i] {
                continue;
            }
            let probe = (0..MAX_PROBES)
                .map(|attempt| {
                    let h = mix(self.key ^ mix(((i as u64) << 32) | u64::from(attempt)));
                    bin_of(h >> 32, bins)
                })
                .find(|&j| filled[j])
                .or_else(|| (1..bins).map(|d| (i + d) % bins).find(|&j| filled[j]));
            if let Some(j) = probe {
                mins[i] = mins[j];
            }
        }
        mins
    }

    /// The band keys of a signature: one per band, the band's index mixed in (so that
    /// equal rows in different bands do not meet).
    pub fn band_keys(&self, signature: &Signature) -> Vec<u64> {
        if signature.is_empty() {
            return Vec::new();
        }
        signature
            .chunks(self.params.rows)
            .enumerate()
            .map(|(band, rows)| {
                rows.iter()
                    .fold(mix(band as u64 + 1), |h, &v| mix(h ^ u64::from(v)))
            })
            .collect()
    }
}

/// The words of a normalized text (boildown's `normalize`: tokens joined by single
/// spaces) as a signature takes them: each hashed with XXH3-64.
pub fn word_hashes(normalized: &str) -> Vec<u64> {
    normalized
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
        .collect()
}

/// A document as near-duplicate detection takes it: its signature (for the band keys)
/// and its shingles (for the check).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sketch {
    /// The MinHash signature.
    pub signature: Signature,
    /// Its distinct shingles, each hashed to 32 bits, in increasing order.
    pub shingles: Vec<u32>,
}

/// Whether two documents are near-duplicates: they share a band key, and the Jaccard
/// similarity of their shingles reaches the threshold.
pub fn flagged(hasher: &MinHasher, a: &Sketch, b: &Sketch) -> bool {
    shares_band(hasher, &a.signature, &b.signature)
        && jaccard(&a.shingles, &b.shingles) >= hasher.params.threshold
}

/// Whether two signatures agree on every row of some band (LSH candidates).
pub fn shares_band(hasher: &MinHasher, a: &Signature, b: &Signature) -> bool {
    let (ka, kb) = (hasher.band_keys(a), hasher.band_keys(b));
    ka.iter().zip(&kb).any(|(x, y)| x == y)
}

/// The Jaccard similarity of two sets given as increasing distinct values
/// ([`Sketch::shingles`]): the size of their intersection over that of their union (0
/// when either is empty). Linear in their sizes.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// The Jaccard similarity two signatures estimate: the share of equal values (what
/// the check would be without the shingles; `examples/neardup_eval.rs` compares).
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// For each document (in input order), the index of the earliest document of its
/// near-duplicate cluster, or `None` if it is the earliest or has none.
pub fn duplicates(hasher: &MinHasher, sketches: &[Sketch]) -> Vec<Option<usize>> {
    let mut keys = Vec::new();
    for (doc, sketch) in sketches.iter().enumerate() {
        let doc = u32::try_from(doc).expect("at most 2³² documents");
        keys.extend(
            hasher
                .band_keys(&sketch.signature)
                .into_iter()
                .map(|k| (k, doc)),
        );
    }
    let found: Result<_, std::convert::Infallible> =
        clusters(hasher, sketches.len(), keys, |doc| {
            Ok(sketches[doc as usize].shingles.clone())
        });
    let Ok(found) = found;
    found.into_iter().map(|d| d.map(|d| d as usize)).collect()
}

/// [`duplicates`] for documents whose shingles are elsewhere (a file, when they do not
/// fit in memory): `keys` holds every document's band keys as `(key, document)`, and
/// `shingles` fetches a document's [`Sketch::shingles`], once per bucket it is
/// compared in. Memory: the keys, and 4 bytes per document.
///
/// Every document of a bucket (documents sharing a band key) is compared with the
/// bucket's earlier ones, up to the first 16 (a bucket of thousands is one template's,
/// and its first members stand for it), until one reaches the threshold.
pub fn clusters<E>(
    hasher: &MinHasher,
    documents: usize,
    mut keys: Vec<(u64, u32)>,
    mut shingles: impl FnMut(u32) -> Result<Vec<u32>, E>,
) -> Result<Vec<Option<u32>>, E> {
    let mut parent: Vec<u32> = (0..documents as u32).collect();
    keys.sort_unstable();
    let mut earlier: Vec<Vec<u32>> = Vec::with_capacity(MAX_COMPARISONS);
    for bucket in keys.chunk_by(|a, b| a.0 == b.0).filter(|b| b.len() > 1) {
        earlier.clear();
        for (j, &(_, doc)) in bucket.iter().enumerate() {
            let set = shingles(doc)?;
            // Joined to the first match; the union-find makes the rest transitive.
            if let Some(first) = earlier
                .iter()
                .position(|e| jaccard(e, &set) >= hasher.params.threshold)
            {
                union(&mut parent, bucket[first].1, doc);
            }
            if j < MAX_COMPARISONS {
                earlier.push(set);
            }
        }
    }
    Ok((0..documents as u32)
        .map(|doc| {
            let root = find(&mut parent, doc);
            (root != doc).then_some(root)
        })
        .collect())
}

/// The root of `x`'s set: always its least member (see [`union`]).
fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Joins two sets under the lesser root, so that a root is its set's earliest document.
fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[high as usize] = low;
}

/// The 64-bit hash of every shingle of `shingle` words (of all the words when there are
/// fewer), in order.
fn shingle_hashes(words: &[u64], shingle: usize) -> impl Iterator<Item = u64> + '_ {
    let k = shingle.max(1).min(words.len().max(1));
    words
        .windows(k)
        .map(|s| s.iter().fold(0xCBF2_9CE4_8422_2325u64, |h, &w| mix(h ^ w)))
}

/// A 64-bit hash folded to 32 bits (a shingle's value for [`Sketch::shingles`] and
/// for the hash functions of [`Scheme::Permutations`]).
#[inline]
fn fold32(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// A 32-bit hash scaled to `0..bins` (the high half of the product: no division).
#[inline]
fn bin_of(h32: u64, bins: usize) -> usize {
    ((h32 * bins as u64) >> 32) as usize
}

#[inline]
fn mix(x: u64) -> u64 {
    let x = (x ^ (x >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    let x = (x ^ (x >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^ (x >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<u64> {
        text.split_whitespace()
            .map(|w| w.bytes().fold(7u64, |h, b| mix(h ^ u64::from(b))))
            .collect()
    }

    #[test]
    fn near_copies_cluster_under_the_earliest_and_others_do_not() {
        let base: String = (0..200).map(|i| format!("word{} ", i % 97)).collect();
        let edited = base.replacen("word5 ", "changed ", 1);
        let other: String = (0..200).map(|i| format!("other{i} ")).collect();
        for params in [MinHashParams::CHOSEN, MinHashParams::DATATROVE] {
            let hasher = MinHasher::new(params);
            let sketches: Vec<Sketch> = [&other, &base, &edited, &base, ""]
                .iter()
                .map(|t| hasher.sketch(&words(t)))
                .collect();
            assert!(jaccard(&sketches[1].shingles, &sketches[2].shingles) > 0.9);
            assert!(similarity(&sketches[1].signature, &sketches[2].signature) > 0.8);
            assert!(similarity(&sketches[0].signature, &sketches[1].signature) < 0.1);
            assert_eq!(
                duplicates(&hasher, &sketches),
                [None, None, Some(1), Some(1), None],
                "{params:?}"
            );
        }
    }

    #[test]
    fn the_check_is_the_exact_jaccard_similarity_of_the_shingles() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5, 6]), 2.0 / 6.0);
        assert_eq!(jaccard(&[1, 2], &[1, 2]), 1.0);
        assert_eq!(jaccard(&[], &[1]), 0.0);
        // 8 words changed in the middle of 100: the 11 four-word shingles over them
        // differ, 86 of the 108 distinct shingles of the two are common.
        let a: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let mut b = a.clone();
        for w in &mut b[46..54] {
            w.push('x');
        }
        let four = MinHashParams {
            shingle: 4,
            ..MinHashParams::CHOSEN
        };
        let at = |threshold| MinHasher::new(MinHashParams { threshold, ..four });
        let hasher = at(0.0);
        let (sa, sb) = (
            hasher.sketch(&words(&a.join(" "))),
            hasher.sketch(&words(&b.join(" "))),
        );
        let exact = jaccard(&sa.shingles, &sb.shingles);
        assert!((exact - 86.0 / 108.0).abs() < 1e-9, "{exact}");
        assert_eq!(sa.shingles.len(), 97);
        // Just below and just above the exact similarity: an estimate (a multiple of
        // 1/60) cannot fall between, so only the exact check passes both.
        let sketches = [sa.clone(), sb.clone()];
        let (below, above) = (at(exact - 1e-6), at(exact + 1e-6));
        assert!(flagged(&below, &sa, &sb));
        assert!(!flagged(&above, &sa, &sb));
        assert_eq!(duplicates(&below, &sketches), [None, Some(0)]);
        assert_eq!(duplicates(&above, &sketches), [None, None]);
    }

    #[test]
    fn one_permutation_signatures_estimate_the_jaccard_similarity() {
        // Averaged over draws, the share of equal values is the Jaccard similarity,
        // for a long document and for one with fewer shingles than bins (densified).
        for (len, changed) in [(400, 100..200), (30, 10..20)] {
            let a: Vec<String> = (0..len).map(|i| format!("w{i}")).collect();
            let mut b = a.clone();
            for w in &mut b[changed] {
                w.push('x');
            }
            let (wa, wb) = (words(&a.join(" ")), words(&b.join(" ")));
            let exact = {
                let h = MinHasher::new(MinHashParams::CHOSEN);
                jaccard(&h.sketch(&wa).shingles, &h.sketch(&wb).shingles)
            };
            let draws = 200;
            let mean: f64 = (0..draws)
                .map(|seed| {
                    let h = MinHasher::with_seed(MinHashParams::CHOSEN, seed);
                    similarity(&h.signature(&wa), &h.signature(&wb))
                })
                .sum::<f64>()
                / draws as f64;
            assert!((mean - exact).abs() < 0.03, "{len}: {mean} against {exact}");
        }
    }

    #[test]
    fn a_document_of_one_shingle_fills_every_bin() {
        let hasher = MinHasher::new(MinHashParams::CHOSEN);
        let sig = hasher.signature(&words("one two"));
        assert_eq!(sig.len(), MinHashParams::CHOSEN.values());
        assert!(sig.iter().all(|&v| v == sig[0]));
        assert!(hasher.signature(&[]).is_empty());
        assert!(hasher.sketch(&[]).shingles.is_empty());
    }

    #[test]
    fn seed_zero_is_the_default_draw_and_other_seeds_differ() {
        let params = MinHashParams::CHOSEN;
        let text = words("one two three four five six seven eight");
        let default = MinHasher::new(params).signature(&text);
        assert_eq!(MinHasher::with_seed(params, 0).signature(&text), default);
        let other = MinHasher::with_seed(params, 1).signature(&text);
        assert_eq!(other.len(), default.len());
        assert_ne!(other, default);
    }

    #[test]
    fn signatures_are_the_same_every_time() {
        let hasher = MinHasher::new(MinHashParams::DATATROVE);
        let sig = hasher.signature(&words("a b c d e f g"));
        assert_eq!(
            sig,
            MinHasher::new(MinHashParams::DATATROVE).signature(&words("a b c d e f g"))
        );
        assert_eq!(sig.len(), 112);
        assert_eq!(hasher.band_keys(&sig).len(), 14);
        let one = MinHasher::new(MinHashParams::CHOSEN);
        assert_eq!(
            one.signature(&words("a b c d e f g")),
            MinHasher::new(MinHashParams::CHOSEN).signature(&words("a b c d e f g"))
        );
    }
}
