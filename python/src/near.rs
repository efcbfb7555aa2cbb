//! The Spark job's near-duplicate stage (stage 3), one call per partition on packed
//! records (little-endian integers, no Python object per record):
//!
//! 1. `near_pairs`: a partition of band keys `(key, document)` becomes the candidate
//!    pairs of its buckets: each document of a bucket with each of the bucket's
//!    earlier ones, up to the first 16 (as `boildown corpus` compares them), sent to
//!    the partition of the earlier document.
//! 2. `near_attach`: there the earlier document's shingles are attached (once per
//!    partition they go to, not once per pair), and the pairs go on to the partition of
//!    the later document.
//! 3. `near_links`: there each document is compared, bucket by bucket, with the
//!    bucket's earlier documents in order until one reaches the threshold (the corpus
//!    command's rule: the first match), and the partition's links are contracted into
//!    stars around the least document of each linked group (a union-find over one
//!    partition's links, which keeps the components as they are and leaves the
//!    distributed rounds less to do). Each link leaves as two *arcs*, one at each end.
//! 4. The connected components of the links, by alternating large-star and small-star
//!    steps (Kiveris et al., *Connected Components in MapReduce and Beyond*, SoCC 2014)
//!    on arcs: `star_round` checks whether the links already form stars around their
//!    least documents (then each star's leaves are the near-duplicates of its centre,
//!    whose id is joined here), and takes the large-star step; `star_small` takes the
//!    small-star step and sends its links back as arcs.
//!
//! A document's partition is `document % parts`, a key's `key % parts`. Shingles are
//! packed as `(document u64, count u32, count × u32)`, keys as `(key u64, document
//! u64)`, pairs as `(earlier u64, document u64, key u64, position u8)`, arcs as `(node
//! u64, other end u64)` in the node's partition, ids as `(document u64, length u32,
//! UTF-8)` and near-duplicates as `(document u64, root u64, length u32, UTF-8)` (the
//! root's id; length `u32::MAX` for a document without one).

use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use boildown_corpus::minhash::{jaccard, MAX_COMPARISONS};

use crate::Error;

/// Reads packed little-endian records.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn take(&mut self, n: usize) -> PyResult<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(Error::new_err("a packed record is cut short"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn u64(&mut self) -> PyResult<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    pub fn u32(&mut self) -> PyResult<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u8(&mut self) -> PyResult<u8> {
        Ok(self.take(1)?[0])
    }

    /// One framed record (`put_framed`): its number and its bytes.
    pub fn framed(&mut self) -> PyResult<(u64, &'a [u8])> {
        let number = self.u64()?;
        let len = self.u64()? as usize;
        Ok((number, self.take(len)?))
    }

    /// One document's shingles: `(document, its shingles' packed bytes)`.
    pub fn shingles(&mut self) -> PyResult<(u64, &'a [u8])> {
        let doc = self.u64()?;
        let n = self.u32()? as usize;
        Ok((doc, self.take(4 * n)?))
    }
}

/// Appends a framed record: a number (a page's or a row's), the length of `body`, and
/// `body`.
pub fn put_framed(out: &mut Vec<u8>, number: u64, body: &[u8]) {
    out.extend_from_slice(&number.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
}

/// Appends one document's shingles (4 bytes each, as packed in `set`) to `out`.
pub fn put_shingles(out: &mut Vec<u8>, doc: u64, set: &[u8]) {
    out.extend_from_slice(&doc.to_le_bytes());
    out.extend_from_slice(&((set.len() / 4) as u32).to_le_bytes());
    out.extend_from_slice(set);
}

/// Shingles from their packed bytes (4 each, little-endian).
pub fn unpack(set: &[u8]) -> Vec<u32> {
    set.chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect()
}

/// The length that stands for "no id" in packed ids.
const NO_ID: u32 = u32::MAX;

fn put_str(out: &mut Vec<u8>, id: Option<&str>) {
    match id {
        Some(id) => {
            out.extend_from_slice(&(id.len() as u32).to_le_bytes());
            out.extend_from_slice(id.as_bytes());
        }
        None => out.extend_from_slice(&NO_ID.to_le_bytes()),
    }
}

fn read_str<'a>(r: &mut Reader<'a>) -> PyResult<Option<&'a str>> {
    let len = r.u32()?;
    if len == NO_ID {
        return Ok(None);
    }
    std::str::from_utf8(r.take(len as usize)?)
        .map(Some)
        .map_err(|_| Error::new_err("a packed id is not UTF-8"))
}

/// Appends a document's id (`None`: it has none, and is numbered `#N` when written).
pub fn put_id(out: &mut Vec<u8>, doc: u64, id: Option<&str>) {
    out.extend_from_slice(&doc.to_le_bytes());
    put_str(out, id);
}

/// Appends a near-duplicate: the document, its cluster's root, and the root's id.
pub fn put_dup(out: &mut Vec<u8>, doc: u64, root: u64, id: Option<&str>) {
    out.extend_from_slice(&doc.to_le_bytes());
    out.extend_from_slice(&root.to_le_bytes());
    put_str(out, id);
}

/// One near-duplicate (`put_dup`).
pub fn read_dup<'a>(r: &mut Reader<'a>) -> PyResult<(u64, u64, Option<&'a str>)> {
    Ok((r.u64()?, r.u64()?, read_str(r)?))
}

/// Appends the two arcs of the link `a`–`b`: one in each end's partition.
fn put_link(out: &mut [Vec<u8>], parts: u64, a: u64, b: u64) {
    for (node, other) in [(a, b), (b, a)] {
        let o = &mut out[(node % parts) as usize];
        o.extend_from_slice(&node.to_le_bytes());
        o.extend_from_slice(&other.to_le_bytes());
    }
}

/// Packed `(u64, u64)` records, sorted, each once.
fn read_arcs(blobs: &[Vec<u8>]) -> PyResult<Vec<(u64, u64)>> {
    let mut arcs = Vec::new();
    for blob in blobs {
        let mut r = Reader::new(blob);
        while !r.is_empty() {
            arcs.push((r.u64()?, r.u64()?));
        }
    }
    arcs.sort_unstable();
    arcs.dedup();
    Ok(arcs)
}

/// A candidate pair: the earlier document, the later, their bucket's key, and the
/// earlier's place among the bucket's first documents.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pair {
    doc: u64,
    key: u64,
    position: u8,
    earlier: u64,
}

impl Pair {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.earlier.to_le_bytes());
        out.extend_from_slice(&self.doc.to_le_bytes());
        out.extend_from_slice(&self.key.to_le_bytes());
        out.push(self.position);
    }

    fn read(r: &mut Reader<'_>) -> PyResult<Pair> {
        Ok(Pair {
            earlier: r.u64()?,
            doc: r.u64()?,
            key: r.u64()?,
            position: r.u8()?,
        })
    }
}

fn parts_of(parts: u64) -> PyResult<u64> {
    if parts == 0 {
        return Err(Error::new_err("`parts` must be at least 1"));
    }
    Ok(parts)
}

fn into_py<'py>(py: Python<'py>, out: Vec<Vec<u8>>) -> Vec<Bound<'py, PyBytes>> {
    out.iter().map(|b| PyBytes::new(py, b)).collect()
}

/// Step 1: the candidate pairs of the buckets of one partition's band keys, packed
/// per partition of their earlier document (`parts` of them).
#[pyfunction]
pub fn near_pairs<'py>(
    py: Python<'py>,
    keys: Vec<Vec<u8>>,
    parts: u64,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let parts = parts_of(parts)?;
    let out = py.detach(|| -> PyResult<Vec<Vec<u8>>> {
        let mut all: Vec<(u64, u64)> = Vec::new();
        for blob in &keys {
            let mut r = Reader::new(blob);
            while !r.is_empty() {
                all.push((r.u64()?, r.u64()?));
            }
        }
        all.sort_unstable();
        all.dedup();
        let mut out = vec![Vec::new(); parts as usize];
        for bucket in all.chunk_by(|a, b| a.0 == b.0).filter(|b| b.len() > 1) {
            for (j, &(key, doc)) in bucket.iter().enumerate().skip(1) {
                for (p, &(_, earlier)) in bucket[..j.min(MAX_COMPARISONS)].iter().enumerate() {
                    let pair = Pair {
                        doc,
                        key,
                        position: p as u8,
                        earlier,
                    };
                    pair.put(&mut out[(earlier % parts) as usize]);
                }
            }
        }
        Ok(out)
    })?;
    Ok(into_py(py, out))
}

/// Step 2: the pairs whose earlier document is in this partition, with its shingles
/// (this partition's `shingles`), packed per partition of their later document: each
/// part is the shingles it needs, then its pairs (a `u64` gives the shingles' length);
/// a part with no pairs is empty.
#[pyfunction]
pub fn near_attach<'py>(
    py: Python<'py>,
    shingles: Vec<Vec<u8>>,
    pairs: Vec<Vec<u8>>,
    parts: u64,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let parts = parts_of(parts)?;
    let out = py.detach(|| -> PyResult<Vec<Vec<u8>>> {
        let mut sets: HashMap<u64, &[u8]> = HashMap::new();
        for blob in &shingles {
            let mut r = Reader::new(blob);
            while !r.is_empty() {
                let (doc, set) = r.shingles()?;
                sets.insert(doc, set);
            }
        }
        let mut all: Vec<Pair> = Vec::new();
        for blob in &pairs {
            let mut r = Reader::new(blob);
            while !r.is_empty() {
                all.push(Pair::read(&mut r)?);
            }
        }
        // Per part, by earlier document: its shingles once, then its pairs.
        all.sort_unstable_by_key(|p| (p.doc % parts, p.earlier, p.doc, p.key));
        let mut out = vec![Vec::new(); parts as usize];
        for part in all.chunk_by(|a, b| a.doc % parts == b.doc % parts) {
            let mut sets_out = Vec::new();
            let mut pairs_out = Vec::new();
            for group in part.chunk_by(|a, b| a.earlier == b.earlier) {
                let earlier = group[0].earlier;
                let set = sets
                    .get(&earlier)
                    .ok_or_else(|| Error::new_err(format!("no shingles for document {earlier}")))?;
                put_shingles(&mut sets_out, earlier, set);
                for pair in group {
                    pair.put(&mut pairs_out);
                }
            }
            let o = &mut out[(part[0].doc % parts) as usize];
            o.extend_from_slice(&(sets_out.len() as u64).to_le_bytes());
            o.extend_from_slice(&sets_out);
            o.extend_from_slice(&pairs_out);
        }
        Ok(out)
    })?;
    Ok(into_py(py, out))
}

/// Step 3: the links of the pairs whose later document is in this partition (its
/// `shingles`; `attached`, step 2's parts for it), contracted into stars (`contract`),
/// as arcs packed per partition (`parts` of them).
#[pyfunction]
pub fn near_links<'py>(
    py: Python<'py>,
    shingles: Vec<Vec<u8>>,
    attached: Vec<Vec<u8>>,
    threshold: f64,
    parts: u64,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let parts = parts_of(parts)?;
    let out = py.detach(|| -> PyResult<Vec<Vec<u8>>> {
        let mut sets: HashMap<u64, Vec<u32>> = HashMap::new();
        for blob in &shingles {
            let mut r = Reader::new(blob);
            while !r.is_empty() {
                let (doc, set) = r.shingles()?;
                sets.insert(doc, unpack(set));
            }
        }
        let mut earlier_sets: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut pairs: Vec<Pair> = Vec::new();
        // One part per sender: the shingles it sends, then its pairs, to the end.
        for blob in attached.iter().filter(|b| !b.is_empty()) {
            let mut r = Reader::new(blob);
            let len = r.u64()? as usize;
            let mut s = Reader::new(r.take(len)?);
            while !s.is_empty() {
                let (doc, set) = s.shingles()?;
                earlier_sets.entry(doc).or_insert_with(|| unpack(set));
            }
            while !r.is_empty() {
                pairs.push(Pair::read(&mut r)?);
            }
        }
        // Each (document, bucket): its earlier documents in order, to the first match.
        pairs.sort_unstable();
        let mut links: Vec<(u64, u64)> = Vec::new();
        for bucket in pairs.chunk_by(|a, b| (a.doc, a.key) == (b.doc, b.key)) {
            let doc = bucket[0].doc;
            let set = sets
                .get(&doc)
                .ok_or_else(|| Error::new_err(format!("no shingles for document {doc}")))?;
            let first = bucket.iter().find(|p| {
                earlier_sets
                    .get(&p.earlier)
                    .is_some_and(|e| jaccard(e, set) >= threshold)
            });
            if let Some(p) = first {
                links.push((p.earlier, doc));
            }
        }
        let mut out = vec![Vec::new(); parts as usize];
        for (node, root) in contract(links) {
            put_link(&mut out, parts, node, root);
        }
        Ok(out)
    })?;
    Ok(into_py(py, out))
}

/// Links as stars: `(node, least node of its linked group)` for every node but the
/// least, sorted. Components are unchanged.
pub fn contract(mut links: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    links.sort_unstable();
    links.dedup();
    let mut nodes: Vec<u64> = links.iter().flat_map(|&(a, b)| [a, b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let index = |n: u64| nodes.binary_search(&n).expect("a node of a link") as u32;
    let mut parent: Vec<u32> = (0..nodes.len() as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    for &(a, b) in &links {
        let (ra, rb) = (find(&mut parent, index(a)), find(&mut parent, index(b)));
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[high as usize] = low;
    }
    (0..nodes.len() as u32)
        .filter_map(|i| {
            let root = find(&mut parent, i);
            (root != i).then(|| (nodes[i as usize], nodes[root as usize]))
        })
        .collect()
}

/// What `star_round` finds in one partition.
#[derive(Debug, Default, PartialEq, Eq)]
struct Round {
    /// Nodes that are not yet a star's leaf or centre: a node with arcs to two smaller
    /// nodes, or to a smaller and from a larger one.
    misplaced: u64,
    /// Star centres (the least document of a cluster), if every node is in place.
    roots: u64,
    /// Near-duplicates `(document, root, root's id)`, by the document's file
    /// (`document >> 32`), sorted: right if every node of every partition is in place.
    dups: Vec<(u64, Vec<u8>)>,
    /// The large-star step's links, as arcs in their larger end's partition.
    small: Vec<Vec<u8>>,
}

fn round(ids: &HashMap<u64, Option<&str>>, arcs: &[(u64, u64)], parts: u64) -> Round {
    let mut out = Round {
        small: vec![Vec::new(); parts as usize],
        ..Round::default()
    };
    let mut dups: Vec<(u64, u64)> = Vec::new();
    for group in arcs.chunk_by(|a, b| a.0 == b.0) {
        let u = group[0].0;
        // Sorted: the smaller ends first, then the larger.
        let smaller = group.iter().take_while(|a| a.1 < u).count();
        let (to_smaller, from_larger) = group.split_at(smaller);
        if to_smaller.len() > 1 || (!to_smaller.is_empty() && !from_larger.is_empty()) {
            out.misplaced += 1;
        }
        if to_smaller.is_empty() && !from_larger.is_empty() {
            out.roots += 1;
            dups.extend(from_larger.iter().map(|&(_, v)| (v, u)));
        }
        // Large star: each larger neighbour links to the least of u's neighbourhood.
        let least = to_smaller.first().map_or(u, |a| a.1);
        for &(_, v) in from_larger {
            let o = &mut out.small[(v % parts) as usize];
            o.extend_from_slice(&v.to_le_bytes());
            o.extend_from_slice(&least.to_le_bytes());
        }
    }
    dups.sort_unstable();
    for file in dups.chunk_by(|a, b| a.0 >> 32 == b.0 >> 32) {
        let mut packed = Vec::new();
        for &(doc, root) in file {
            put_dup(&mut packed, doc, root, ids.get(&root).copied().flatten());
        }
        out.dups.push((file[0].0 >> 32, packed));
    }
    out
}

/// One round of the components on this partition's arcs (`arcs`; `ids`, packed ids of
/// this partition's documents, for the roots' ids): returns `(misplaced, roots, dups,
/// small)`. If no partition has a misplaced node, the links are stars around each
/// cluster's least document, and `dups`, `(file, packed near-duplicates)`, are the
/// clusters' other documents with their root's id (`None` where the root has none).
/// Either way `small` is the large-star step's links, per partition, for `star_small`.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn star_round<'py>(
    py: Python<'py>,
    ids: Vec<Vec<u8>>,
    arcs: Vec<Vec<u8>>,
    parts: u64,
) -> PyResult<(
    u64,
    u64,
    Vec<(u64, Bound<'py, PyBytes>)>,
    Vec<Bound<'py, PyBytes>>,
)> {
    let parts = parts_of(parts)?;
    let done = py.detach(|| -> PyResult<Round> {
        let mut by_doc: HashMap<u64, Option<&str>> = HashMap::new();
        for blob in &ids {
            let mut r = Reader::new(blob);
            while !r.is_empty() {
                let doc = r.u64()?;
                by_doc.insert(doc, read_str(&mut r)?);
            }
        }
        Ok(round(&by_doc, &read_arcs(&arcs)?, parts))
    })?;
    let dups = done
        .dups
        .into_iter()
        .map(|(file, packed)| (file, PyBytes::new(py, &packed)))
        .collect();
    Ok((done.misplaced, done.roots, dups, into_py(py, done.small)))
}

fn small_star(arcs: &[(u64, u64)], parts: u64) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new(); parts as usize];
    for group in arcs.chunk_by(|a, b| a.0 == b.0) {
        // u and its smaller neighbours link to the least of them (sorted: the first).
        let (u, least) = group[0];
        for &(_, v) in &group[1..] {
            put_link(&mut out, parts, v, least);
        }
        put_link(&mut out, parts, u, least);
    }
    out
}

/// The small-star step on this partition's links from `star_round` (arcs from a node
/// to smaller ones): each node and its smaller neighbours link to the least of them.
/// Returns the links as arcs, packed per partition.
#[pyfunction]
pub fn star_small<'py>(
    py: Python<'py>,
    arcs: Vec<Vec<u8>>,
    parts: u64,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let parts = parts_of(parts)?;
    let out =
        py.detach(|| -> PyResult<Vec<Vec<u8>>> { Ok(small_star(&read_arcs(&arcs)?, parts)) })?;
    Ok(into_py(py, out))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::{contract, put_link, read_arcs, read_dup, round, small_star, Reader};

    #[test]
    fn contraction_keeps_components_and_roots_them_at_their_least() {
        // 5-9-2 and 7-8: stars around 2 and 7; a repeated link counts once.
        let stars = contract(vec![(9, 5), (2, 9), (8, 7), (2, 9)]);
        assert_eq!(stars, vec![(5, 2), (8, 7), (9, 2)]);
    }

    /// The rounds of the Spark job on `parts` simulated partitions: the links' arcs,
    /// then `round` and `small_star` until no node is misplaced. Returns the
    /// near-duplicates `(document, root)` and the rounds taken.
    fn components(links: &[(u64, u64)], parts: u64) -> (Vec<(u64, u64)>, usize) {
        let mut arcs = vec![Vec::new(); parts as usize];
        for &(a, b) in links.iter().filter(|(a, b)| a != b) {
            put_link(&mut arcs, parts, a, b);
        }
        let ids = HashMap::new();
        for rounds in 0..64 {
            let done: Vec<_> = arcs
                .iter()
                .map(|a| round(&ids, &read_arcs(std::slice::from_ref(a)).unwrap(), parts))
                .collect();
            if done.iter().all(|r| r.misplaced == 0) {
                let mut dups = Vec::new();
                for (_, packed) in done.iter().flat_map(|r| &r.dups) {
                    let mut r = Reader::new(packed);
                    while !r.is_empty() {
                        let (doc, root, id) = read_dup(&mut r).unwrap();
                        assert_eq!(id, None);
                        dups.push((doc, root));
                    }
                }
                dups.sort_unstable();
                return (dups, rounds);
            }
            // The large-star links to their partitions, then the small-star step.
            let mut small = vec![Vec::new(); parts as usize];
            for r in &done {
                for (q, blob) in r.small.iter().enumerate() {
                    small[q].extend_from_slice(blob);
                }
            }
            let mut next = vec![Vec::new(); parts as usize];
            for blob in &small {
                let out = small_star(&read_arcs(std::slice::from_ref(blob)).unwrap(), parts);
                for (q, b) in out.iter().enumerate() {
                    next[q].extend_from_slice(b);
                }
            }
            arcs = next;
        }
        panic!("no convergence in 64 rounds");
    }

    fn union_find(links: &[(u64, u64)]) -> Vec<(u64, u64)> {
        let mut parent: HashMap<u64, u64> = HashMap::new();
        fn find(parent: &mut HashMap<u64, u64>, mut x: u64) -> u64 {
            while let Some(&p) = parent.get(&x).filter(|&&p| p != x) {
                x = p;
            }
            x
        }
        for &(a, b) in links.iter().filter(|(a, b)| a != b) {
            parent.entry(a).or_insert(a);
            parent.entry(b).or_insert(b);
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent.insert(ra.max(rb), ra.min(rb));
        }
        let nodes: Vec<u64> = parent.keys().copied().collect();
        let mut out: Vec<(u64, u64)> = nodes
            .into_iter()
            .map(|n| (n, find(&mut parent, n)))
            .filter(|(n, r)| n != r)
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn star_rounds_find_the_components_of_a_union_find() {
        // Chains (a long path takes the most rounds), a star, a repeated link, a self
        // link, and random graphs from a fixed xorshift sequence, on 1, 2, 3 and 7
        // partitions.
        let mut links: Vec<(u64, u64)> = (0..60).map(|i| (i, i + 1)).collect();
        links.extend((101..120).map(|j| (100, j)));
        links.extend([(130, 131), (131, 130), (140, 140)]);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Nodes in two files' halves of the number space, as the job numbers them.
            let (a, b) = (x % 200, (x >> 20) % 200);
            links.push((200 + a + (a % 2) * (1 << 32), 200 + b + (b % 2) * (1 << 32)));
        }
        let want = union_find(&links);
        for parts in [1, 2, 3, 7] {
            let (got, rounds) = components(&links, parts);
            assert_eq!(got, want, "{parts} partitions");
            assert!(
                rounds > 0 && rounds < 20,
                "{rounds} rounds on {parts} partitions"
            );
        }
        // Links that are stars already take no round.
        assert_eq!(
            components(&[(5, 2), (9, 2), (8, 7)], 2),
            (vec![(5, 2), (8, 7), (9, 2)], 0)
        );
    }
}
