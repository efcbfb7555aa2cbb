//! Site memory (issue 5, first part): per site, on how many distinct pages each block
//! fingerprint stands. A block seen on enough pages of its site is part of the site's
//! template.
//!
//! - **Sites** are keys the caller gives (the URL's host by default in the command
//!   line, later); each has its own counts.
//! - **Pages** are counted once: a page is known by the hash of its blocks' exact
//!   fingerprints, so fetching the same page twice does not count twice.
//! - **Concurrency**: the sites are spread over [`SHARDS`] independently locked maps,
//!   chosen by the hash of the site key; observing pages of different sites rarely
//!   waits, and there is no lock over the whole model.
//! - **Merging** adds counts and pages: merging the models of shards that saw disjoint
//!   sets of pages equals one model over all of them (a page seen by both shards counts
//!   twice, as it cannot be told apart once counted).
//! - **Snapshots** (`to_bytes` / `from_bytes`): magic `BOILSITE`, a format version, the
//!   sites in key order with their counts in fingerprint order (so the bytes depend only
//!   on the counts), and an XXH3-64 checksum of everything before it. A truncated,
//!   corrupted or other-version snapshot is an error and nothing is loaded.
//!
//! Not yet: near (SimHash) matches, memory budgets and eviction, the verdict in
//! cleaning (`SiteTemplate { pages, of }`), the command line and JavaScript.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::Mutex;

use crate::detect::IdentityHasher;
use crate::error::Error;
use crate::report::Cleaned;

/// Independently locked parts of a model.
pub const SHARDS: usize = 16;
const MAGIC: &[u8; 8] = b"BOILSITE";
const VERSION: u32 = 1;

type Counts = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// What the model knows about one site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Site {
    /// The pages observed, by the hash of their blocks' fingerprints.
    pages: HashSet<u64, BuildHasherDefault<IdentityHasher>>,
    /// Per exact fingerprint, on how many of those pages it stands.
    blocks: Counts,
}

/// Per-site counts of block fingerprints over distinct pages. `Send + Sync`: many
/// threads may observe and ask at once.
#[derive(Debug)]
pub struct SiteModel {
    shards: Vec<Mutex<HashMap<String, Site>>>,
}

impl Default for SiteModel {
    fn default() -> Self {
        SiteModel {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }
}

impl SiteModel {
    /// An empty model.
    pub fn new() -> Self {
        SiteModel::default()
    }

    fn shard(&self, site: &str) -> &Mutex<HashMap<String, Site>> {
        let hash = xxhash_rust::xxh3::xxh3_64(site.as_bytes());
        &self.shards[(hash % SHARDS as u64) as usize]
    }

    /// Counts the blocks of a cleaned page as standing on one more page of `site`
    /// (each distinct fingerprint once). Returns false, and counts nothing, if this
    /// page (the same blocks) was observed for this site before.
    ///
    /// ```
    /// let model = boildown::SiteModel::new();
    /// let cleaner = boildown::Cleaner::default();
    /// let a = cleaner.clean("Menu\nA story about the harbour.\nFooter");
    /// let b = cleaner.clean("Menu\nA story about the market.\nFooter");
    /// assert!(model.observe("example.org", &a));
    /// assert!(model.observe("example.org", &b));
    /// assert!(!model.observe("example.org", &a)); // the same page again
    /// assert_eq!(model.pages("example.org"), 2);
    /// assert_eq!(model.count("example.org", a.blocks()[0].exact), 2); // "Menu"
    /// assert_eq!(model.count("example.org", a.blocks()[1].exact), 1);
    /// ```
    pub fn observe(&self, site: &str, page: &Cleaned) -> bool {
        let mut distinct: Vec<u64> = page.blocks().iter().map(|b| b.exact.as_u64()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut key = Vec::with_capacity(distinct.len() * 8);
        for fp in &distinct {
            key.extend_from_slice(&fp.to_le_bytes());
        }
        let page_key = xxhash_rust::xxh3::xxh3_64(&key);
        let mut shard = self.shard(site).lock().unwrap_or_else(|e| e.into_inner());
        let entry = shard.entry(site.to_owned()).or_default();
        if !entry.pages.insert(page_key) {
            return false;
        }
        for fp in distinct {
            *entry.blocks.entry(fp).or_default() += 1;
        }
        true
    }

    /// How many distinct pages of `site` were observed.
    pub fn pages(&self, site: &str) -> u32 {
        let shard = self.shard(site).lock().unwrap_or_else(|e| e.into_inner());
        shard.get(site).map_or(0, |s| s.pages.len() as u32)
    }

    /// On how many observed pages of `site` a block with this exact fingerprint stands.
    pub fn count(&self, site: &str, exact: crate::Fingerprint) -> u32 {
        let shard = self.shard(site).lock().unwrap_or_else(|e| e.into_inner());
        shard
            .get(site)
            .and_then(|s| s.blocks.get(&exact.as_u64()).copied())
            .unwrap_or(0)
    }

    /// The sites observed, sorted.
    pub fn sites(&self) -> Vec<String> {
        let mut sites: Vec<String> = self
            .shards
            .iter()
            .flat_map(|s| {
                let shard = s.lock().unwrap_or_else(|e| e.into_inner());
                shard.keys().cloned().collect::<Vec<_>>()
            })
            .collect();
        sites.sort_unstable();
        sites
    }

    /// Adds `other`'s pages and counts to this model.
    pub fn merge(&self, other: &SiteModel) {
        for shard in &other.shards {
            let theirs = shard.lock().unwrap_or_else(|e| e.into_inner());
            for (site, their) in theirs.iter() {
                let mut mine = self.shard(site).lock().unwrap_or_else(|e| e.into_inner());
                let entry = mine.entry(site.clone()).or_default();
                entry.pages.extend(their.pages.iter().copied());
                for (fp, count) in &their.blocks {
                    *entry.blocks.entry(*fp).or_default() += count;
                }
            }
        }
    }

    /// The model as a versioned snapshot (see the module docs): the same counts give
    /// the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut sites: BTreeMap<String, Site> = BTreeMap::new();
        for shard in &self.shards {
            let shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in shard.iter() {
                sites.insert(k.clone(), v.clone());
            }
        }
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(sites.len() as u64).to_le_bytes());
        for (key, site) in &sites {
            out.extend_from_slice(&(key.len() as u64).to_le_bytes());
            out.extend_from_slice(key.as_bytes());
            let mut pages: Vec<u64> = site.pages.iter().copied().collect();
            pages.sort_unstable();
            out.extend_from_slice(&(pages.len() as u64).to_le_bytes());
            for p in pages {
                out.extend_from_slice(&p.to_le_bytes());
            }
            let mut blocks: Vec<(u64, u32)> = site.blocks.iter().map(|(k, v)| (*k, *v)).collect();
            blocks.sort_unstable();
            out.extend_from_slice(&(blocks.len() as u64).to_le_bytes());
            for (fp, count) in blocks {
                out.extend_from_slice(&fp.to_le_bytes());
                out.extend_from_slice(&count.to_le_bytes());
            }
        }
        let checksum = xxhash_rust::xxh3::xxh3_64(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Reads a snapshot written by [`SiteModel::to_bytes`]. A wrong magic, another
    /// version, a truncated or corrupted snapshot is an error; nothing is half-loaded.
    pub fn from_bytes(bytes: &[u8]) -> Result<SiteModel, Error> {
        let bad = |why: &str| Error::invalid_snapshot(why);
        if bytes.len() < MAGIC.len() + 4 + 8 + 8 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad("not a boildown site model (no BOILSITE header)"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != VERSION {
            return Err(bad(&format!(
                "format version {version}, this boildown reads version {VERSION}"
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
        let model = SiteModel::new();
        let sites = r.len(8 + 8 + 8)?;
        for _ in 0..sites {
            let key_len = r.len(1)?;
            let key = std::str::from_utf8(r.take(key_len)?)
                .map_err(|_| bad("a site key is not UTF-8"))?
                .to_owned();
            let mut site = Site::default();
            for _ in 0..r.len(8)? {
                site.pages.insert(r.u64()?);
            }
            for _ in 0..r.len(12)? {
                let fp = r.u64()?;
                let count = u32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
                site.blocks.insert(fp, count);
            }
            model
                .shard(&key)
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, site);
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

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::SiteModel;
    use crate::Cleaner;

    fn pages() -> Vec<(&'static str, crate::Cleaned)> {
        let c = Cleaner::default();
        vec![
            (
                "a.org",
                c.clean("Menu\nStory one about the harbour.\nFooter"),
            ),
            (
                "a.org",
                c.clean("Menu\nStory two about the market.\nFooter"),
            ),
            ("b.org", c.clean("Home\nA page of b.\nFooter")),
            (
                "a.org",
                c.clean("Menu\nStory three about the quays.\nFooter"),
            ),
        ]
    }

    #[test]
    fn snapshot_round_trips_and_rejects_damage() {
        let model = SiteModel::new();
        for (site, page) in pages() {
            model.observe(site, &page);
        }
        let bytes = model.to_bytes();
        let back = SiteModel::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.pages("a.org"), 3);
        for cut in [0, 7, 12, 20, bytes.len() - 1] {
            assert!(
                SiteModel::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        for i in [0, 9, 30, bytes.len() - 3] {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x40;
            assert!(SiteModel::from_bytes(&damaged).is_err(), "byte {i}");
        }
        let mut other_version = bytes.clone();
        other_version[8] = 2;
        let message = SiteModel::from_bytes(&other_version)
            .unwrap_err()
            .to_string();
        assert!(message.contains("version 2"), "{message}");
    }

    #[test]
    fn merging_shards_equals_one_model_in_any_order() {
        let all = pages();
        let one = SiteModel::new();
        for (site, page) in &all {
            one.observe(site, page);
        }
        let (left, right) = (SiteModel::new(), SiteModel::new());
        for (i, (site, page)) in all.iter().enumerate().rev() {
            if i % 2 == 0 { &left } else { &right }.observe(site, page);
        }
        right.merge(&left);
        assert_eq!(right.to_bytes(), one.to_bytes());
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))] // no threads in a WebAssembly test runner
    fn many_threads_lose_no_count() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<SiteModel>();
        let model = SiteModel::new();
        let cleaner = Cleaner::default();
        std::thread::scope(|scope| {
            for t in 0..4 {
                let (model, cleaner) = (&model, &cleaner);
                scope.spawn(move || {
                    for i in 0..250u32 {
                        // Letters, not digits: normalization maps every digit to one.
                        let name: String = [t * 250 + i, (t * 250 + i) / 26, (t * 250 + i) / 676]
                            .iter()
                            .map(|n| char::from(b'a' + (n % 26) as u8))
                            .collect();
                        let page =
                            cleaner.clean(&format!("Menu\nPage {name} of the site.\nFooter"));
                        model.observe(if i % 2 == 0 { "a.org" } else { "b.org" }, &page);
                    }
                });
            }
        });
        assert_eq!(model.pages("a.org") + model.pages("b.org"), 1000);
        let menu = cleaner.clean("Menu").blocks()[0].exact;
        assert_eq!(
            model.count("a.org", menu) + model.count("b.org", menu),
            1000
        );
    }
}
