//! Near-duplicate documents: MinHash signatures over word shingles, LSH banding, and
//! clusters whose members point at the earliest.
//!
//! A document's words (the caller's tokens, as hashes) are cut into shingles of
//! [`MinHashParams::shingle`] consecutive words, each hashed to 32 bits; each of
//! `bands × rows` hash functions (multiply-shift, `(a·x + b) >> 32` with 64-bit `a`, `b`
//! from fixed seeds: 2-universal, and a few vector instructions for all of them at once)
//! keeps its least value over the shingles: the signature. Two documents whose signatures agree on every row of
//! some band are candidates; a candidate pair is a near-duplicate when the share of
//! equal values over the whole signature (the estimate of their shingles' Jaccard
//! similarity) reaches [`MinHashParams::threshold`]. Near-duplicates are clustered
//! (union-find, transitively), and every document of a cluster but the earliest points
//! at the earliest. Deterministic: the same documents in the same order give the same
//! clusters.

/// How many earlier documents of a bucket a document is compared with.
const MAX_COMPARISONS: usize = 16;

/// The parameters of near-duplicate detection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinHashParams {
    /// Words per shingle.
    pub shingle: usize,
    /// LSH bands.
    pub bands: usize,
    /// Rows (hash functions) per band.
    pub rows: usize,
    /// The estimated Jaccard similarity from which a candidate pair is a near-duplicate
    /// (0 accepts every candidate).
    pub threshold: f64,
}

impl MinHashParams {
    /// The parameters chosen on the judged pairs of the evaluation pack's `neardup-dev`
    /// (examples/neardup_eval.rs: F1 pooled over 8 draws of hash functions; of those
    /// within 0.01 of the best, the fewest hashes): 4-word shingles, 20 bands of 3
    /// rows, a check at 0.50.
    pub const CHOSEN: MinHashParams = MinHashParams {
        shingle: 4,
        bands: 20,
        rows: 3,
        threshold: 0.50,
    };

    /// datatrove's defaults: 5-word shingles, 14 bands of 8 rows, no check (every
    /// candidate is a duplicate).
    pub const DATATROVE: MinHashParams = MinHashParams {
        shingle: 5,
        bands: 14,
        rows: 8,
        threshold: 0.0,
    };
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
    /// `a` and `b` of every hash function.
    a: Vec<u64>,
    b: Vec<u64>,
}

/// A document's signature: one least value (32 bits) per hash function (empty for a
/// document with no words).
pub type Signature = Vec<u64>;

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
        let (a, b) = (0..params.bands * params.rows)
            .map(|_| (next() | 1, next()))
            .unzip();
        MinHasher { params, a, b }
    }

    /// The parameters.
    pub fn params(&self) -> MinHashParams {
        self.params
    }

    /// The signature of a document whose words hash to `words` (in order). A document
    /// shorter than a shingle is one shingle of all its words.
    pub fn signature(&self, words: &[u64]) -> Signature {
        if words.is_empty() {
            return Vec::new();
        }
        let k = self.params.shingle.max(1).min(words.len());
        let mut mins = vec![u32::MAX; self.a.len()];
        for shingle in words.windows(k) {
            let h = shingle
                .iter()
                .fold(0xCBF2_9CE4_8422_2325u64, |h, &w| mix(h ^ w));
            let x = (h ^ (h >> 32)) & 0xFFFF_FFFF;
            for ((min, &a), &b) in mins.iter_mut().zip(&self.a).zip(&self.b) {
                let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *min = (*min).min(v);
            }
        }
        mins.into_iter().map(u64::from).collect()
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
            .map(|(band, rows)| rows.iter().fold(mix(band as u64 + 1), |h, &v| mix(h ^ v)))
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

/// Whether two documents' signatures make them near-duplicates: they share a band
/// key, and their estimated Jaccard similarity reaches the threshold.
pub fn flagged(hasher: &MinHasher, a: &Signature, b: &Signature) -> bool {
    let (ka, kb) = (hasher.band_keys(a), hasher.band_keys(b));
    ka.iter().zip(&kb).any(|(x, y)| x == y) && similarity(a, b) >= hasher.params.threshold
}

/// The estimated Jaccard similarity of two signatures: the share of equal values.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// For each document (signatures in input order), the index of the earliest document
/// of its near-duplicate cluster, or `None` if it is the earliest or has none.
pub fn duplicates(hasher: &MinHasher, signatures: &[Signature]) -> Vec<Option<usize>> {
    let mut keys = Vec::new();
    for (doc, signature) in signatures.iter().enumerate() {
        let doc = u32::try_from(doc).expect("at most 2³² documents");
        keys.extend(hasher.band_keys(signature).into_iter().map(|k| (k, doc)));
    }
    let found: Result<_, std::convert::Infallible> =
        clusters(hasher, signatures.len(), keys, |doc| {
            Ok(signatures[doc as usize].clone())
        });
    let Ok(found) = found;
    found.into_iter().map(|d| d.map(|d| d as usize)).collect()
}

/// [`duplicates`] for documents whose signatures are elsewhere (a file, when they do
/// not fit in memory): `keys` holds every document's band keys as `(key, document)`,
/// and `signature` fetches a document's signature, once per bucket it is compared in.
/// Memory: the keys, and 4 bytes per document.
///
/// Every document of a bucket (documents sharing a band key) is compared with the
/// bucket's earlier ones, up to the first 16 (a bucket of thousands is one template's,
/// and its first members stand for it), until one reaches the threshold.
pub fn clusters<E>(
    hasher: &MinHasher,
    documents: usize,
    mut keys: Vec<(u64, u32)>,
    mut signature: impl FnMut(u32) -> Result<Signature, E>,
) -> Result<Vec<Option<u32>>, E> {
    let mut parent: Vec<u32> = (0..documents as u32).collect();
    keys.sort_unstable();
    let mut earlier: Vec<Signature> = Vec::with_capacity(MAX_COMPARISONS);
    for bucket in keys.chunk_by(|a, b| a.0 == b.0).filter(|b| b.len() > 1) {
        earlier.clear();
        for (j, &(_, doc)) in bucket.iter().enumerate() {
            let sig = signature(doc)?;
            // Joined to the first match; the union-find makes the rest transitive.
            if let Some(first) = earlier
                .iter()
                .position(|e| similarity(e, &sig) >= hasher.params.threshold)
            {
                union(&mut parent, bucket[first].1, doc);
            }
            if j < MAX_COMPARISONS {
                earlier.push(sig);
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
        let hasher = MinHasher::new(MinHashParams::default());
        let sigs: Vec<Signature> = [&other, &base, &edited, &base, ""]
            .iter()
            .map(|t| hasher.signature(&words(t)))
            .collect();
        assert!(similarity(&sigs[1], &sigs[2]) > 0.9);
        assert!(similarity(&sigs[0], &sigs[1]) < 0.1);
        assert_eq!(
            duplicates(&hasher, &sigs),
            [None, None, Some(1), Some(1), None]
        );
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
    }
}
