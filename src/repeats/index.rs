//! The near-duplicate index: for a block's SimHash, find the earliest earlier block whose
//! SimHash is within Hamming distance `k`, without comparing every pair.
//!
//! It uses the pigeonhole principle with bands ("permuted tables" in the style of Manku
//! et al., generalised to a radius): the 64 bits are cut into `B` bands; if two hashes
//! differ in at most `k` bits, at least one band differs in at most `r = k / B` bits.
//! Each band keeps a bucket table (compressed rows, ids in input order) keyed by up to
//! 12 of its bits; a query visits, in every band, the buckets whose key is within `r`
//! bits of its own and checks the full Hamming distance of the entries there. Buckets
//! hold ids in ascending order, so a scan stops at the first hit or at the best id found
//! so far. The answer is exactly the brute-force one ([`earliest_within_naive`]); the
//! property tests below prove it.
//!
//! `B = clamp(k + 1, 2, 7)`: for the default `k` this gives 7 bands of 9 or 10 bits and
//! `r = 1`, i.e. 7 × 11 bucket visits per query. Small sets are scanned directly.

/// Sets with fewer entries than this are scanned pair by pair: cheaper than building.
const DIRECT_SCAN_BELOW: usize = 256;
/// Bucket keys use at most this many bits of a band (4096 buckets).
const MAX_KEY_BITS: u32 = 12;

/// The index over a fixed list of SimHashes (ids are positions in that list).
pub(crate) struct NearIndex<'a> {
    sims: &'a [u64],
    k: u32,
    bands: Vec<Band>,
    /// Full Hamming comparisons made so far by queries.
    checks: u64,
}

struct Band {
    /// Bucket key of a hash: `(h >> key_shift) & key_mask`.
    key_shift: u32,
    key_mask: u64,
    /// XOR masks that give every key within `r` bits of a key.
    probes: Vec<u32>,
    /// Compressed rows: bucket `b` holds `ids[offsets[b]..offsets[b + 1]]`.
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl<'a> NearIndex<'a> {
    /// Indexes `sims` for queries with radius `k`; chooses direct scanning for small sets.
    pub(crate) fn new(sims: &'a [u64], k: u32) -> Self {
        Self::build(sims, k, sims.len() >= DIRECT_SCAN_BELOW)
    }

    fn build(sims: &'a [u64], k: u32, banded: bool) -> Self {
        let bands = if banded && !sims.is_empty() {
            make_bands(sims, k)
        } else {
            Vec::new()
        };
        NearIndex {
            sims,
            k,
            bands,
            checks: 0,
        }
    }

    /// Hamming comparisons made so far by queries.
    pub(crate) fn checks(&self) -> u64 {
        self.checks
    }

    /// The smallest id `j < i` with `hamming(sims[j], sims[i]) <= k`, if any.
    pub(crate) fn earliest_within(&mut self, i: usize) -> Option<usize> {
        let target = self.sims[i];
        let mut best = i;
        if self.bands.is_empty() {
            for (j, &s) in self.sims[..i].iter().enumerate() {
                self.checks += 1;
                if (s ^ target).count_ones() <= self.k {
                    best = j;
                    break;
                }
            }
        } else {
            for band in &self.bands {
                let key = (target >> band.key_shift & band.key_mask) as u32;
                for &probe in &band.probes {
                    let bucket = (key ^ probe) as usize;
                    let lo = band.offsets[bucket] as usize;
                    let hi = band.offsets[bucket + 1] as usize;
                    for &id in &band.ids[lo..hi] {
                        let id = id as usize;
                        if id >= best {
                            break;
                        }
                        self.checks += 1;
                        if (self.sims[id] ^ target).count_ones() <= self.k {
                            best = id;
                            break;
                        }
                    }
                }
            }
        }
        (best < i).then_some(best)
    }
}

fn make_bands(sims: &[u64], k: u32) -> Vec<Band> {
    let count = (k + 1).clamp(2, 7);
    let radius = k / count;
    let (base, extra) = (64 / count, 64 % count);
    let mut shift = 0;
    let mut bands = Vec::with_capacity(count as usize);
    for b in 0..count {
        let width = base + u32::from(b >= count - extra);
        let key_bits = width.min(MAX_KEY_BITS);
        let key_shift = shift + width - key_bits;
        let key_mask = (1u64 << key_bits) - 1;
        shift += width;

        let buckets = 1usize << key_bits;
        let mut offsets = vec![0u32; buckets + 1];
        for &s in sims {
            offsets[(s >> key_shift & key_mask) as usize + 1] += 1;
        }
        for b in 0..buckets {
            offsets[b + 1] += offsets[b];
        }
        let mut fill = offsets.clone();
        let mut ids = vec![0u32; sims.len()];
        for (id, &s) in sims.iter().enumerate() {
            let slot = &mut fill[(s >> key_shift & key_mask) as usize];
            ids[*slot as usize] = id as u32;
            *slot += 1;
        }
        bands.push(Band {
            key_shift,
            key_mask,
            probes: masks_within(key_bits, radius),
            offsets,
            ids,
        });
    }
    bands
}

/// All `bits`-bit masks with at most `radius` bits set, the empty mask first.
fn masks_within(bits: u32, radius: u32) -> Vec<u32> {
    let mut out = vec![0u32];
    let mut frontier = vec![(0u32, 0u32)]; // (mask, lowest bit allowed next)
    for _ in 0..radius.min(bits) {
        let mut next = Vec::new();
        for &(mask, from) in &frontier {
            for bit in from..bits {
                let m = mask | 1 << bit;
                out.push(m);
                next.push((m, bit + 1));
            }
        }
        frontier = next;
    }
    out
}

/// The brute-force reference: the smallest `j < i` within distance `k` of `sims[i]`.
#[cfg(test)]
pub(crate) fn earliest_within_naive(sims: &[u64], i: usize, k: u32) -> Option<usize> {
    (0..i).find(|&j| (sims[j] ^ sims[i]).count_ones() <= k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// SimHash-like sets: random hashes, and near copies of earlier ones.
    fn sims_strategy() -> impl Strategy<Value = Vec<u64>> {
        prop::collection::vec(
            (any::<u64>(), any::<bool>(), any::<u64>(), 0u32..20),
            1..700,
        )
        .prop_map(|items| {
            let mut out: Vec<u64> = Vec::with_capacity(items.len());
            for (fresh, copy, noise, flips) in items {
                if copy && !out.is_empty() {
                    let base = out[(noise % out.len() as u64) as usize];
                    let mut h = base;
                    let mut n = noise;
                    for _ in 0..flips {
                        h ^= 1 << (n % 64);
                        n = n.rotate_left(7) ^ 0x9e37_79b9;
                    }
                    out.push(h);
                } else {
                    out.push(fresh);
                }
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn banded_index_equals_brute_force(sims in sims_strategy(), k in 0u32..24) {
            let mut index = NearIndex::build(&sims, k, true);
            for i in 0..sims.len() {
                prop_assert_eq!(index.earliest_within(i), earliest_within_naive(&sims, i, k), "i = {}", i);
            }
        }

        #[test]
        fn automatic_index_equals_brute_force(sims in sims_strategy(), k in 0u32..16) {
            let mut index = NearIndex::new(&sims, k);
            for i in 0..sims.len() {
                prop_assert_eq!(index.earliest_within(i), earliest_within_naive(&sims, i, k));
            }
        }
    }

    #[test]
    fn masks() {
        assert_eq!(masks_within(3, 0), [0]);
        assert_eq!(masks_within(3, 1), [0, 1, 2, 4]);
        assert_eq!(masks_within(4, 2).len(), 1 + 4 + 6);
        assert_eq!(masks_within(2, 5).len(), 4);
    }

    #[test]
    fn random_hashes_need_few_checks() {
        // 20 000 unrelated hashes: the banded index compares far fewer than n²/2 pairs.
        let mut state = 7u64;
        let sims: Vec<u64> = (0..20_000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                state ^ state >> 29
            })
            .collect();
        let mut index = NearIndex::new(&sims, 12);
        for i in 0..sims.len() {
            index.earliest_within(i);
        }
        let pairs = (sims.len() * (sims.len() - 1) / 2) as u64;
        assert!(
            index.checks() * 5 < pairs,
            "{} checks for {pairs} pairs",
            index.checks()
        );
    }
}
