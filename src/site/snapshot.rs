//! The snapshot format of a [`SiteModel`]: the bytes that [`SiteModel::to_bytes`]
//! writes and [`SiteModel::from_bytes`] reads, the same natively, in WebAssembly and in
//! Python.

use super::*;

const MAGIC: &[u8; 8] = b"BOILSITE";
const VERSION: u32 = 3;
/// Version 3's flags (a `u32` after the version): bit 0, a partial model.
const PARTIAL: u32 = 1;

impl SiteModel {
    /// The model as a versioned snapshot (see the module docs): the same counts give
    /// the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Every shard read at once (readers only: observing waits, nothing deadlocks),
        // so the sites are written from where they are, in key order, not copied.
        let shards: Vec<_> = self
            .shards
            .iter()
            .map(|s| s.read().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let sites: BTreeMap<&String, &Site> = shards.iter().flat_map(|s| s.iter()).collect();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        let flags = if self.partial { PARTIAL } else { 0 };
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&(sites.len() as u64).to_le_bytes());
        for (key, site) in &sites {
            out.extend_from_slice(&(key.len() as u64).to_le_bytes());
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(&site.pages.to_le_bytes());
            let mut pages: Vec<u64> = site.page_keys.iter().copied().collect();
            pages.sort_unstable();
            out.extend_from_slice(&(pages.len() as u64).to_le_bytes());
            for p in pages {
                out.extend_from_slice(&p.to_le_bytes());
            }
            let mut blocks: Vec<u64> = site.blocks.iter().copied().collect();
            blocks.sort_unstable();
            out.extend_from_slice(&(blocks.len() as u64).to_le_bytes());
            for slot in blocks {
                out.extend_from_slice(&slot.to_le_bytes());
            }
            // By key (the table's, each once): the keys sorted, as the fingerprints are.
            let mut keys: Vec<u64> = site.candidates.iter().map(|c| c.key).collect();
            keys.sort_unstable();
            out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
            for c in keys.iter().filter_map(|&key| site.candidate(key)) {
                out.extend_from_slice(&c.key.to_le_bytes());
                out.extend_from_slice(&c.tokens.to_le_bytes());
                out.extend_from_slice(&c.text_len.to_le_bytes());
                out.extend_from_slice(site.text(c).as_bytes());
            }
            // By key (each key once): sorted as (key, simhash) pairs.
            let mut near: Vec<(u64, u64)> = site.near.iter().map(|&(s, k)| (k, s)).collect();
            near.sort_unstable();
            out.extend_from_slice(&(near.len() as u64).to_le_bytes());
            for (key, simhash) in near {
                out.extend_from_slice(&key.to_le_bytes());
                out.extend_from_slice(&simhash.to_le_bytes());
            }
            // A partial model's pages and their blocks, by page key.
            if self.partial {
                let mut pages: Vec<(&u64, &Box<[u64]>)> = site.page_blocks.iter().collect();
                pages.sort_unstable_by_key(|(key, _)| **key);
                out.extend_from_slice(&(pages.len() as u64).to_le_bytes());
                for (key, blocks) in pages {
                    out.extend_from_slice(&key.to_le_bytes());
                    out.extend_from_slice(&(blocks.len() as u64).to_le_bytes());
                    for block in blocks.iter() {
                        out.extend_from_slice(&block.to_le_bytes());
                    }
                }
            }
        }
        let checksum = xxhash_rust::xxh3::xxh3_64(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Reads a snapshot written by [`SiteModel::to_bytes`], with the default budget. A
    /// wrong magic, another version, a truncated or corrupted snapshot is an error;
    /// nothing is half-loaded.
    pub fn from_bytes(bytes: &[u8]) -> Result<SiteModel, Error> {
        SiteModel::from_bytes_with_budget(bytes, SiteBudget::default())
    }

    /// [`SiteModel::from_bytes`] with this budget (a site over it forgets as observing
    /// would).
    pub fn from_bytes_with_budget(bytes: &[u8], budget: SiteBudget) -> Result<SiteModel, Error> {
        let bad = |why: &str| Error::invalid_snapshot(why);
        if bytes.len() < MAGIC.len() + 4 + 8 + 8 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad("not a boildown site model (no BOILSITE header)"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        // Version 2 is version 3 without flags (a model to clean with).
        if version != VERSION && version != 2 {
            return Err(bad(&format!(
                "format version {version}, this boildown reads versions 2 and {VERSION}"
            )));
        }
        let (body, tail) = bytes.split_at(bytes.len() - 8);
        let checksum = u64::from_le_bytes(tail.try_into().expect("8 bytes"));
        if xxhash_rust::xxh3::xxh3_64(body) != checksum {
            return Err(bad("checksum mismatch: the file is truncated or corrupted"));
        }
        let mut r = Reader {
            bytes: body,
            at: 12,
        };
        let flags = if version >= 3 { r.u32()? } else { 0 };
        if flags & !PARTIAL != 0 {
            return Err(bad(&format!("unknown flags {flags:#x}")));
        }
        let model = SiteModel {
            partial: flags & PARTIAL != 0,
            ..SiteModel::with_budget(budget)
        };
        let sites = r.len(8 + 4 + 8 + 8 + 8 + 8)?; // key length, pages, four table lengths
        let mut last_key: Option<String> = None;
        for _ in 0..sites {
            let key_len = r.len(1)?;
            let key = std::str::from_utf8(r.take(key_len)?)
                .map_err(|_| bad("a site key is not UTF-8"))?
                .to_owned();
            if last_key.as_ref().is_some_and(|last| *last >= key) {
                return Err(bad("sites out of order or repeated"));
            }
            let mut site = Site {
                pages: r.u32()?,
                ..Site::default()
            };
            for _ in 0..r.len(8)? {
                let page = r.u64()?;
                if site.knows_page(page) {
                    return Err(bad("a page key repeated"));
                }
                site.page_keys.insert_unique(page, page, |k| *k);
            }
            for _ in 0..r.len(8)? {
                let slot = r.u64()?;
                if count_of(slot) == 0 || site.count(slot) != 0 {
                    return Err(bad("a block with no pages, or repeated"));
                }
                site.add(slot_key(slot), count_of(slot));
            }
            for _ in 0..r.len(8 + 2 + 2)? {
                let key = r.u64()?;
                let tokens = r.u16()?;
                let len = usize::from(r.u16()?);
                let text = std::str::from_utf8(r.take(len)?)
                    .map_err(|_| bad("a block text is not UTF-8"))?;
                if slot_key(key) != key
                    || len > TEXT_BYTES
                    || site.count(key) < if model.partial { 1 } else { 2 }
                    || site.candidate(key).is_some()
                {
                    return Err(bad("a template text for an unknown block, or repeated"));
                }
                site.add_candidate(key, u32::from(tokens), text);
            }
            let mut near_keys = HashSet::new();
            for _ in 0..r.len(16)? {
                let key = r.u64()?;
                let simhash = r.u64()?;
                let long = site
                    .candidate(key)
                    .is_some_and(|c| u32::from(c.tokens) >= NEAR_TOKENS);
                if !long || !near_keys.insert(key) {
                    return Err(bad("a SimHash for an unknown or short block, or repeated"));
                }
                site.near.push((simhash, key));
            }
            if model.partial {
                for _ in 0..r.len(16)? {
                    let page = r.u64()?;
                    let n = r.len(8)?;
                    let blocks: Box<[u64]> = (0..n).map(|_| r.u64()).collect::<Result<_, _>>()?;
                    if !site.knows_page(page) || site.page_blocks.insert(page, blocks).is_some() {
                        return Err(bad("the blocks of an unknown page, or repeated"));
                    }
                }
            }
            site.evict(&model.budget);
            model.write(&key).insert(key.clone(), site);
            last_key = Some(key);
        }
        if r.at != body.len() {
            return Err(bad("trailing bytes after the last site"));
        }
        Ok(model)
    }
}

/// Bounds-checked reading of a snapshot.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| Error::invalid_snapshot("truncated"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    /// A count of items of at least `item` bytes each, checked against what is left
    /// (so a corrupted count cannot make the reader allocate or loop without end).
    fn len(&mut self, item: usize) -> Result<usize, Error> {
        let n = self.u64()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n.saturating_mul(item as u64) > left {
            return Err(Error::invalid_snapshot("a count larger than the file"));
        }
        Ok(n as usize)
    }
}
