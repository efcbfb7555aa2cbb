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
//!    distributed rounds less to do).
//!
//! A document's partition is `document % parts`, a key's `key % parts`. Shingles are
//! packed as `(document u64, count u32, count × u32)`, keys as `(key u64, document
//! u64)`, pairs as `(earlier u64, document u64, key u64, position u8)`.

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
/// `shingles`; `attached`, step 2's parts for it), contracted: `(document, root)` for
/// every linked document but the roots, `root` the least document linked to it here.
#[pyfunction]
pub fn near_links(
    py: Python<'_>,
    shingles: Vec<Vec<u8>>,
    attached: Vec<Vec<u8>>,
    threshold: f64,
) -> PyResult<Vec<(u64, u64)>> {
    py.detach(|| -> PyResult<Vec<(u64, u64)>> {
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
        Ok(contract(links))
    })
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

#[cfg(test)]
mod tests {
    use super::contract;

    #[test]
    fn contraction_keeps_components_and_roots_them_at_their_least() {
        // 5-9-2 and 7-8: stars around 2 and 7; a repeated link counts once.
        let stars = contract(vec![(9, 5), (2, 9), (8, 7), (2, 9)]);
        assert_eq!(stars, vec![(5, 2), (8, 7), (9, 2)]);
    }
}
