//! In-page repeat detection: exact repeats, near repeats, repeated runs, and the policy
//! that turns them into verdicts.
//!
//! All of it is sequential over the blocks in input order and uses hash maps only for
//! lookups, so the result depends on nothing but the input and the [`Config`].

pub(crate) mod index;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::config::{Config, RepeatPolicy};
use crate::fingerprint::{Fingerprints, EMPTY_EXACT};
use crate::repeats::index::NearIndex;
use crate::report::{Reason, Repeat, Run, Verdict};

/// The near-repeat search may make this many SimHash comparisons per indexed block
/// (plus [`NEAR_BUDGET_BASE`]) before it stops: real pages use a small fraction of it.
const NEAR_BUDGET_PER_BLOCK: u64 = 1024;
const NEAR_BUDGET_BASE: u64 = 1 << 16;
/// Earlier occurrences tried as the source of a run, besides the first one.
const RUN_CANDIDATES: usize = 8;

/// What detection found, before it is turned into a report.
pub(crate) struct Detection {
    pub(crate) verdicts: Vec<Verdict>,
    pub(crate) runs: usize,
    pub(crate) near_comparisons: u64,
    pub(crate) near_search_truncated: bool,
}

#[derive(Clone, Copy)]
struct Match {
    of: usize,
    distance: u32,
    exact: bool,
}

/// Maps keyed by a fingerprint need no second hash: the key already is one.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by hashes already well mixed (fingerprints, word hashes).
pub(crate) type FingerprintMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Finds the repeats among `blocks` (in input order) and decides every verdict.
pub(crate) fn detect(blocks: &[Fingerprints], config: &Config) -> Detection {
    let n = blocks.len();
    let mut matches: Vec<Option<Match>> = vec![None; n];

    // Exact repeats: the first block with the same normalized text. Blocks whose
    // normalized text is empty (only punctuation or symbols) never match.
    let mut first: FingerprintMap<usize> = FingerprintMap::default();
    first.reserve(n);
    for (i, b) in blocks.iter().enumerate() {
        if b.exact == EMPTY_EXACT {
            continue;
        }
        let j = *first.entry(b.exact.as_u64()).or_insert(i);
        if j != i {
            matches[i] = Some(Match {
                of: j,
                distance: 0,
                exact: true,
            });
        }
    }

    // Near repeats among the remaining long-enough blocks (exact repeats share their
    // first copy's SimHash, so only first copies are indexed).
    let (mut near_comparisons, mut near_search_truncated) = (0, false);
    if config.near_repeats() {
        let ids: Vec<usize> = (0..n)
            .filter(|&i| matches[i].is_none() && blocks[i].tokens >= config.near_min_tokens())
            .collect();
        let sims: Vec<u64> = ids.iter().map(|&i| blocks[i].simhash.as_u64()).collect();
        let mut index = NearIndex::new(&sims, config.near_distance());
        let budget = NEAR_BUDGET_BASE + NEAR_BUDGET_PER_BLOCK * ids.len() as u64;
        for (e, &i) in ids.iter().enumerate() {
            if index.checks() > budget {
                near_search_truncated = true;
                break;
            }
            if let Some(f) = index.earliest_within(e) {
                matches[i] = Some(Match {
                    of: ids[f],
                    distance: (sims[e] ^ sims[f]).count_ones(),
                    exact: false,
                });
            }
        }
        near_comparisons = index.checks();
    }

    // Classes: a repeat belongs to the class of the block it repeats.
    let mut class = vec![0usize; n];
    for i in 0..n {
        class[i] = matches[i].map_or(i, |m| class[m.of]);
    }

    let (runs, run_count) = find_runs(&matches, &class);

    let mut verdicts: Vec<Verdict> = (0..n)
        .map(|i| match matches[i] {
            None => Verdict::Keep,
            Some(m) => Verdict::Remove(reason(m.exact, m.of, m.distance, runs[i])),
        })
        .collect();

    if config.policy() == RepeatPolicy::RemoveAll {
        // The first copy of every repeated class goes too; it names its first repeat.
        let mut named = vec![false; n];
        for i in 0..n {
            let root = class[i];
            if root != i && !named[root] {
                named[root] = true;
                let exact = blocks[root].exact == blocks[i].exact;
                let distance = blocks[root].simhash.hamming(blocks[i].simhash);
                verdicts[root] = Verdict::Remove(reason(exact, i, distance, None));
            }
        }
    }

    Detection {
        verdicts,
        runs: run_count,
        near_comparisons,
        near_search_truncated,
    }
}

fn reason(exact: bool, of: usize, distance: u32, run: Option<Run>) -> Reason {
    let repeat = Repeat { of, distance, run };
    if exact {
        Reason::ExactRepeat(repeat)
    } else {
        Reason::NearRepeat(repeat)
    }
}

/// Groups repeats into runs: maximal stretches of consecutive repeats `i..i+len` whose
/// classes equal those of an earlier stretch `j..j+len` that ends before `i`. Sources
/// tried are the first and the [`RUN_CANDIDATES`] latest earlier blocks of `i`'s class;
/// the longest run wins (the latest source on ties). Each run costs at most
/// `(RUN_CANDIDATES + 1) * len` steps, so the whole pass is linear.
fn find_runs(matches: &[Option<Match>], class: &[usize]) -> (Vec<Option<Run>>, usize) {
    let n = matches.len();
    let mut runs = vec![None; n];
    let mut count = 0;
    // `previous[i]`: the latest block before `i` of the same class; `latest[c]`: the
    // latest block seen so far of class `c`.
    let mut previous = vec![usize::MAX; n];
    let mut latest = vec![usize::MAX; n];
    let mut covered_until = 0;
    for i in 0..n {
        previous[i] = latest[class[i]];
        latest[class[i]] = i;
        if i < covered_until || matches[i].is_none() {
            continue;
        }
        let extend = |j: usize| {
            let mut len = 0;
            while i + len < n
                && j + len < i
                && matches[i + len].is_some()
                && class[i + len] == class[j + len]
            {
                len += 1;
            }
            len
        };
        let mut best = (0, 0);
        let mut j = previous[i];
        for _ in 0..RUN_CANDIDATES {
            if j == usize::MAX {
                break;
            }
            let len = extend(j);
            if len > best.0 {
                best = (len, j);
            }
            j = previous[j];
        }
        let root = class[i];
        if root != i && best.1 != root {
            let len = extend(root);
            if len > best.0 {
                best = (len, root);
            }
        }
        let (len, source) = best;
        if len >= 2 {
            let run = Run {
                start: i,
                len,
                source,
            };
            runs[i..i + len].fill(Some(run));
            covered_until = i + len;
            count += 1;
        }
    }
    (runs, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::fingerprint;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn verdicts(lines: &[&str], config: &Config) -> Vec<Verdict> {
        let fps: Vec<_> = lines.iter().map(|l| fingerprint(l)).collect();
        detect(&fps, config).verdicts
    }

    #[test]
    fn run_of_a_teaser_is_found_with_its_latest_source() {
        let lines = [
            "label",
            "news",
            "headline a",
            "body a", // 0..4
            "label",
            "news",
            "headline b",
            "body b", // 4..8
            "label",
            "news",
            "headline b",
            "body b", // 8..12: repeats 4..8
        ];
        let fps: Vec<_> = lines.iter().map(|l| fingerprint(l)).collect();
        let d = detect(&fps, &Config::default());
        assert_eq!(d.runs, 2);
        let run = |i: usize| d.verdicts[i].reason().unwrap().repeat().unwrap().run;
        assert_eq!(
            run(4),
            Some(Run {
                start: 4,
                len: 2,
                source: 0
            })
        );
        assert_eq!(
            run(11),
            Some(Run {
                start: 8,
                len: 4,
                source: 4
            })
        );
        // `of` still names the earliest copy.
        assert_eq!(d.verdicts[8].reason().unwrap().repeat().unwrap().of, 0);
    }

    #[test]
    fn remove_all_names_a_later_copy_for_the_first() {
        let config = Config::default().with_policy(RepeatPolicy::RemoveAll);
        let v = verdicts(&["a", "b", "a", "c", "a"], &config);
        assert_eq!(v[0].reason().unwrap().repeat().unwrap().of, 2);
        assert_eq!(v[2].reason().unwrap().repeat().unwrap().of, 0);
        assert_eq!(v[4].reason().unwrap().repeat().unwrap().of, 0);
        assert!(v[1].is_keep() && v[3].is_keep());
    }

    #[test]
    fn blocks_without_tokens_never_repeat() {
        let v = verdicts(&["***", "x", "***"], &Config::default());
        assert!(v.iter().all(Verdict::is_keep));
    }

    #[test]
    fn identical_lines_are_linear_in_work() {
        let fps = vec![fingerprint("same line of text here"); 100_000];
        let d = detect(&fps, &Config::default());
        assert_eq!(d.near_comparisons, 0);
        assert!(d.verdicts[1..].iter().all(|v| !v.is_keep()));
        // Runs double in length: about log2(n) of them.
        assert!(d.runs <= 20, "{} runs", d.runs);
    }
}
