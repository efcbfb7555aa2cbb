//! Site memory: per site, on how many distinct pages each block fingerprint stands. A
//! block seen on other pages of its site, and not main content on this one, is part of
//! the site's template ([`Reason::SiteTemplate`](crate::Reason::SiteTemplate)).
//!
//! - **Sites** are keys the caller gives (the URL's host in the command line); each has
//!   its own counts.
//! - **Pages** are counted once: a page is known by the hash of its blocks' exact
//!   fingerprints, so fetching the same page twice does not count twice.
//! - **Exact and near**: a block's count is that of its exact fingerprint; a block of
//!   at least [`NEAR_TOKENS`] tokens (and the cleaner's near-repeat minimum) also takes
//!   the count of a *template candidate* (a block seen on two or more pages) of as many
//!   tokens whose SimHash is within the cleaner's near distance: a cookie notice or a
//!   footer that changed a few words. Two variants each seen on one page only are not
//!   paired (pairing them would need every long block's SimHash kept, and would make
//!   the counts depend on page order).
//! - **Memory** ([`SiteBudget`]): a tracked block takes one 8-byte slot (44 bits of its
//!   fingerprint and a 20-bit page count, saturating at 1 048 575) in a hash table;
//!   template candidates also keep the first [`TEXT_BYTES`] bytes of their text (for a
//!   person to review, `boildown site show`), 16 bytes and the text in an arena, and
//!   the long ones their SimHash (16 bytes). A site over its block
//!   budget forgets the blocks seen on the fewest pages (first those on one page: the
//!   pages' own text) until it uses half its budget; a forgotten block seen again
//!   starts again at one page. Template blocks, seen on page after page, stay.
//! - **Order**: within the budget the counts, and so every verdict, depend only on the
//!   set of pages observed, not on their order. Past the budget, what is forgotten
//!   depends on when the budget was reached.
//! - **Concurrency**: the sites are spread over [`SHARDS`] independently locked maps,
//!   chosen by the hash of the site key; observing pages of different sites rarely
//!   waits, and there is no lock over the whole model. Cleaning only reads (a
//!   read-write lock): threads cleaning pages of one site do not wait for each other,
//!   only for a page being observed. `SiteModel` is `Send + Sync`.
//! - **Merging** adds pages and counts: merging the models of shards that saw disjoint
//!   sets of pages gives the counts of one model over all of them (a page seen by both
//!   counts twice: once counted it cannot be told apart). A block that becomes a
//!   template candidate only by the merge (one page in each) has no text or SimHash
//!   until a later page shows it again, unless the models merged are *partial*
//!   ([`SiteModel::partial`]): they keep every block's text and SimHash, and each
//!   page's blocks, so that their merge is, within the budgets, one model of all their
//!   pages (a page in two of them counted once).
//! - **Snapshots** ([`SiteModel::to_bytes`] / [`SiteModel::from_bytes`]): magic
//!   `BOILSITE`, a format version (3; version 2, without flags, still loads), flags
//!   (bit 0: a partial model), the sites in key order with their tables sorted (so
//!   the bytes depend only on the counts; a partial model's pages with their blocks
//!   after them), and an XXH3-64 checksum of everything before it. A truncated,
//!   corrupted or other-version snapshot is an error and nothing is loaded. The format
//!   is the same natively and in WebAssembly.

mod snapshot;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use hashbrown::HashTable;

use crate::error::Error;
use crate::fingerprint::{Fingerprint, Fingerprints};
use crate::input::Page;
use crate::report::Cleaned;
use crate::segment::Segmented;

/// Independently locked parts of a model.
pub(crate) const SHARDS: usize = 16;
/// The bytes of a template candidate's text kept for review (cut at a character).
pub(crate) const TEXT_BYTES: usize = 64;
/// A slot: the fingerprint's high 44 bits, then the page count in the low 20.
const COUNT_BITS: u32 = 20;
const COUNT_MAX: u64 = (1 << COUNT_BITS) - 1;

/// What a site's other pages say about the blocks of one page.
pub(crate) struct SiteEvidence {
    /// How many other pages of the site are known.
    pub(crate) other_pages: u32,
    /// Per block, on how many of those its exact fingerprint stands.
    pub(crate) block_pages: Vec<u32>,
}

/// How much a model may hold per site. The default suits a crawler: about 20 MB for a
/// site at its block budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SiteBudget {
    /// Tracked blocks per site; over it, the blocks on the fewest pages are forgotten
    /// until half of it is used. Default 1 048 576.
    pub blocks_per_site: usize,
    /// Page keys kept per site to recognize a page fetched again; past it they are
    /// cleared (the page count stays), so a page fetched again much later may count
    /// twice. Default 65 536.
    pub pages_per_site: usize,
}

impl SiteBudget {
    /// This budget with `n` tracked blocks per site.
    pub fn with_blocks_per_site(mut self, n: usize) -> Self {
        self.blocks_per_site = n;
        self
    }

    /// This budget with `n` page keys kept per site.
    pub fn with_pages_per_site(mut self, n: usize) -> Self {
        self.pages_per_site = n;
        self
    }
}

impl Default for SiteBudget {
    fn default() -> Self {
        SiteBudget {
            blocks_per_site: 1 << 20,
            pages_per_site: 1 << 16,
        }
    }
}

/// What a template candidate keeps besides its count: 16 bytes, its text in the site's
/// arena (its SimHash, if it is long enough, in [`Site::near`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Candidate {
    /// Its slot key.
    key: u64,
    /// Its text: `texts[text_at..text_at + text_len]`.
    text_at: u32,
    text_len: u16,
    /// Its SimHash tokens (saturating).
    tokens: u16,
}

impl Candidate {
    /// Its text in the site's arena `texts`.
    fn text<'a>(&self, texts: &'a str) -> &'a str {
        &texts[self.text_at as usize..self.text_at as usize + usize::from(self.text_len)]
    }
}

/// Template candidates of at least this many tokens keep their SimHash for near
/// matching (the near-repeat default: shorter texts give unreliable SimHashes).
pub(crate) const NEAR_TOKENS: u32 = crate::DEFAULT_NEAR_MIN_TOKENS;

/// What the model knows about one site.
#[derive(Clone, Default)]
struct Site {
    /// Distinct pages observed.
    pages: u32,
    /// The keys of the pages observed (see [`SiteBudget::pages_per_site`]).
    page_keys: HashTable<u64>,
    /// Per tracked block, a slot: fingerprint bits and page count.
    blocks: HashTable<u64>,
    /// Template candidates (on two or more pages), by slot key.
    candidates: HashTable<Candidate>,
    /// The candidates' texts, one after the other.
    texts: String,
    /// SimHash and slot key of the candidates of [`NEAR_TOKENS`] tokens or more.
    near: Vec<(u64, u64)>,
    /// A partial model's pages: each page key's blocks (the slot keys it added one page
    /// to), so that a merge leaves out a page the other model counted already.
    page_blocks: HashMap<u64, Box<[u64]>>,
}

/// The slot key of a fingerprint: its high 44 bits.
fn slot_key(exact: u64) -> u64 {
    exact & !COUNT_MAX
}

/// The hash table's hash of a slot key (its bits are already uniform; the multiply
/// spreads them to the bits hashbrown reads).
fn slot_hash(slot: u64) -> u64 {
    (slot >> COUNT_BITS).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn count_of(slot: u64) -> u32 {
    (slot & COUNT_MAX) as u32
}

impl Site {
    fn count(&self, exact: u64) -> u32 {
        let key = slot_key(exact);
        self.blocks
            .find(slot_hash(key), |s| slot_key(*s) == key)
            .map_or(0, |s| count_of(*s))
    }

    /// Adds `n` pages to a block's count; returns the new count.
    fn add(&mut self, exact: u64, n: u32) -> u32 {
        let key = slot_key(exact);
        let hash = slot_hash(key);
        match self.blocks.find_mut(hash, |s| slot_key(*s) == key) {
            Some(slot) => {
                let count = (count_of(*slot) as u64 + u64::from(n)).min(COUNT_MAX);
                *slot = key | count;
                count as u32
            }
            None => {
                let count = u64::from(n).min(COUNT_MAX);
                self.blocks
                    .insert_unique(hash, key | count, |s| slot_hash(slot_key(*s)));
                count as u32
            }
        }
    }

    fn knows_page(&self, page: u64) -> bool {
        self.page_keys.find(page, |k| *k == page).is_some()
    }

    /// Remembers a page key (clearing the keys first if they fill the budget); false
    /// if it was known. The page count is the caller's.
    fn remember_page(&mut self, page: u64, budget: &SiteBudget) -> bool {
        if self.knows_page(page) {
            return false;
        }
        if self.page_keys.len() >= budget.pages_per_site {
            self.page_keys.clear();
            self.page_blocks.clear();
        }
        self.page_keys.insert_unique(page, page, |k| *k);
        true
    }

    /// Forgets the blocks on the fewest pages until at most half the budget is used.
    fn evict(&mut self, budget: &SiteBudget) {
        if self.blocks.len() <= budget.blocks_per_site {
            return;
        }
        let target = budget.blocks_per_site / 2;
        // How many blocks stand on each number of pages (the last bucket: 64 or more).
        let mut histogram = [0usize; 65];
        for slot in &self.blocks {
            histogram[(count_of(*slot) as usize).min(64)] += 1;
        }
        let mut left = self.blocks.len();
        let mut limit = 0u32; // forget blocks on at most `limit` pages
        for (pages, n) in histogram.iter().enumerate().skip(1) {
            if left <= target {
                break;
            }
            left -= n;
            limit = pages as u32;
        }
        let limit = if left > target { u32::MAX } else { limit };
        self.blocks.retain(|s| count_of(*s) > limit);
        self.blocks.shrink_to(0, |s| slot_hash(slot_key(*s)));
        // The candidates of the blocks left, their texts copied to a new arena.
        let old = std::mem::take(&mut self.candidates);
        let texts = std::mem::take(&mut self.texts);
        for c in old {
            if self.count(c.key) > 0 {
                self.add_candidate(c.key, u32::from(c.tokens), c.text(&texts));
            }
        }
        let mut near = std::mem::take(&mut self.near);
        near.retain(|(_, key)| self.count(*key) > 0);
        near.shrink_to_fit();
        self.near = near;
    }

    fn candidate(&self, key: u64) -> Option<&Candidate> {
        self.candidates.find(slot_hash(key), |c| c.key == key)
    }

    fn text(&self, c: &Candidate) -> &str {
        c.text(&self.texts)
    }

    /// Keeps what review needs of a block on two or more pages; false if it had it.
    fn add_candidate(&mut self, key: u64, tokens: u32, text: &str) -> bool {
        if self.candidate(key).is_some() {
            return false;
        }
        let text = cut(text, TEXT_BYTES);
        // The arena is indexed with 32 bits: past 4 GiB of texts, no more texts.
        let Ok(text_at) = u32::try_from(self.texts.len()) else {
            return false;
        };
        let text = if text_at.checked_add(text.len() as u32).is_some() {
            text
        } else {
            ""
        };
        self.texts.push_str(text);
        let candidate = Candidate {
            key,
            text_at,
            text_len: text.len() as u16,
            tokens: u16::try_from(tokens).unwrap_or(u16::MAX),
        };
        self.candidates
            .insert_unique(slot_hash(key), candidate, |c| slot_hash(c.key));
        true
    }

    fn bytes(&self) -> usize {
        self.page_keys.allocation_size()
            + self.blocks.allocation_size()
            + self.candidates.allocation_size()
            + self.texts.capacity()
            + self.near.capacity() * 16
            + self
                .page_blocks
                .values()
                .map(|b| 8 * (b.len() + 3))
                .sum::<usize>()
    }
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site")
            .field("pages", &self.pages)
            .field("blocks", &self.blocks.len())
            .field("candidates", &self.candidates.len())
            .finish()
    }
}

/// One block of a site's template, for review ([`SiteModel::template`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateBlock {
    /// The first 64 bytes of its text (cut at a character), or `None` if the model never had it
    /// (it became a candidate by a merge).
    pub text: Option<String>,
    /// On how many of the site's pages it stands.
    pub pages: u32,
    /// The high 44 bits of its exact fingerprint (the low 20 are zero).
    pub fingerprint: Fingerprint,
}

/// What a model holds ([`SiteModel::memory`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemoryUse {
    /// Sites known.
    pub sites: usize,
    /// Blocks tracked, over all sites.
    pub blocks: usize,
    /// Template candidates (blocks on two or more pages) among them.
    pub candidates: usize,
    /// Bytes allocated for the sites' tables and texts (not counting the allocator's
    /// own overhead).
    pub bytes: usize,
}

/// A page read into what a [`SiteModel`] counts of it: its site key, and its blocks'
/// fingerprints with the first 64 bytes of their text. Made without the
/// model (so on any thread), then counted with [`SiteModel::add`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    site: String,
    blocks: Vec<(Fingerprints, String)>,
}

impl Observation {
    /// The observation of a page, or `None` if it has no site key ([`Page::site`]).
    pub fn new<'p>(page: impl Into<Page<'p>>) -> Option<Observation> {
        let page = page.into();
        let site = page.site()?.into_owned();
        let (source, _, format) = page.decode();
        let segmented = Segmented::new(&source, format, true);
        let fingerprints = segmented.fingerprints().into_iter();
        let blocks = fingerprints
            .enumerate()
            .map(|(i, f)| (f, segmented.text(i)));
        Some(Observation::from_blocks(site, blocks))
    }

    /// An observation of these blocks (fingerprints and texts) for `site`.
    pub(crate) fn from_blocks<'t>(
        site: String,
        blocks: impl Iterator<Item = (Fingerprints, &'t str)>,
    ) -> Observation {
        let blocks = blocks
            .map(|(f, text)| (f, cut(text, TEXT_BYTES).to_owned()))
            .collect();
        Observation { site, blocks }
    }

    /// The site the page is counted for.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// How many blocks the page has.
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }
}

/// Per-site counts of block fingerprints over distinct pages. `Send + Sync`: many
/// threads may observe and clean at once. See the module docs for what it keeps.
#[derive(Debug)]
pub struct SiteModel {
    shards: Vec<RwLock<HashMap<String, Site>>>,
    budget: SiteBudget,
    /// A partial model ([`SiteModel::partial`]): every block keeps its text and SimHash.
    partial: bool,
}

impl Default for SiteModel {
    fn default() -> Self {
        SiteModel::with_budget(SiteBudget::default())
    }
}

impl SiteModel {
    /// An empty model with the default budget.
    pub fn new() -> Self {
        SiteModel::default()
    }

    /// An empty model with this budget.
    pub fn with_budget(budget: SiteBudget) -> Self {
        SiteModel {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            budget: SiteBudget {
                blocks_per_site: budget.blocks_per_site.max(2),
                pages_per_site: budget.pages_per_site.max(1),
            },
            partial: false,
        }
    }

    /// An empty *partial* model with this budget: a model of one part of the pages
    /// (one file of a crawl, one task of a cluster job), made to be merged. It keeps the
    /// text and SimHash of every block, not only of those on two or more pages, so that
    /// a block on one page of each part becomes, in the merge, the template candidate
    /// (near matches included) that one model of all the pages would have made. Merged
    /// into a model made with [`SiteModel::new`] or [`SiteModel::with_budget`], the
    /// part's single-page blocks keep their counts only: that model is the one to clean
    /// with. Within the budgets, partial models of disjoint pages merged in any order
    /// give the counts, candidates and near matches of one model over all the pages,
    /// so the same verdicts. It also lists each page's blocks, so that a page in two
    /// parts (the same page fetched twice) counts once in their merge, as it does when
    /// observed twice. Its memory: every block's text (up to 64 bytes), the long ones'
    /// SimHash, and 8 bytes per block of each page.
    ///
    /// ```
    /// use boildown::{Page, SiteBudget, SiteModel};
    /// let page = |text| Page::text(text).with_site("example.org");
    /// let parts = |make: fn() -> SiteModel| {
    ///     let (a, b) = (make(), make());
    ///     a.observe(page("We use cookies.\nStory one.")); // one file
    ///     b.observe(page("We use cookies.\nStory two.")); // another
    ///     let merged = SiteModel::new();
    ///     merged.merge(&a);
    ///     merged.merge(&b);
    ///     merged
    /// };
    /// let merged = parts(|| SiteModel::partial(SiteBudget::default()));
    /// assert_eq!(merged.template("example.org", 2)[0].text.as_deref(), Some("We use cookies."));
    /// assert!(!merged.is_partial());
    /// let merged = parts(SiteModel::new); // the same count, but no text (nor SimHash)
    /// assert_eq!((merged.template("example.org", 2)[0].text.as_deref(), merged.template("example.org", 2)[0].pages), (None, 2));
    /// ```
    pub fn partial(budget: SiteBudget) -> Self {
        SiteModel {
            partial: true,
            ..SiteModel::with_budget(budget)
        }
    }

    /// Whether this is a partial model ([`SiteModel::partial`]).
    pub fn is_partial(&self) -> bool {
        self.partial
    }

    /// The model split by site: one model per site, sorted by site key, each with this
    /// model's budget and kind (to send each site's counts where its site is merged).
    ///
    /// ```
    /// use boildown::{Page, SiteModel};
    /// let model = SiteModel::new();
    /// model.observe(Page::text("Menu\nA story.").with_site("a.org"));
    /// model.observe(Page::text("Menu\nB story.").with_site("b.org"));
    /// let parts = model.split();
    /// assert_eq!(parts.iter().map(|(site, _)| site.as_str()).collect::<Vec<_>>(), ["a.org", "b.org"]);
    /// assert_eq!(parts[1].1.pages("b.org"), 1);
    /// ```
    pub fn split(&self) -> Vec<(String, SiteModel)> {
        let mut sites: Vec<(String, Site)> = self
            .shards
            .iter()
            .flat_map(|shard| {
                let shard = shard.read().unwrap_or_else(|e| e.into_inner());
                shard
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        sites.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        sites
            .into_iter()
            .map(|(key, site)| {
                let model = SiteModel {
                    partial: self.partial,
                    ..SiteModel::with_budget(self.budget)
                };
                model.write(&key).insert(key.clone(), site);
                (key, model)
            })
            .collect()
    }

    /// The budget in use.
    pub fn budget(&self) -> SiteBudget {
        self.budget
    }

    fn shard(&self, site: &str) -> &RwLock<HashMap<String, Site>> {
        let hash = xxhash_rust::xxh3::xxh3_64(site.as_bytes());
        &self.shards[(hash % SHARDS as u64) as usize]
    }

    /// The shard of `site`, to read: many threads at once (cleaning pages of one site).
    // A thread that panicked while holding a lock cannot have left a count half made
    // (nothing in a change panics); the lock is taken back as it is.
    fn read(&self, site: &str) -> RwLockReadGuard<'_, HashMap<String, Site>> {
        self.shard(site).read().unwrap_or_else(|e| e.into_inner())
    }

    /// The shard of `site`, to change (observing, merging, loading).
    fn write(&self, site: &str) -> RwLockWriteGuard<'_, HashMap<String, Site>> {
        self.shard(site).write().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts the blocks of a page as standing on one more page of its site (each
    /// distinct fingerprint once), from its blocks alone: no main content is needed to
    /// observe, so this is faster than cleaning. The site is the page's key
    /// ([`Page::site`]: given, or from its URL). Returns false, and counts nothing, if
    /// the page has no site key, or if this page (the same blocks) was observed for
    /// its site before.
    ///
    /// ```
    /// use boildown::{Page, SiteModel};
    /// let model = SiteModel::new();
    /// let page = |text| Page::text(text).with_url("https://www.example.org/a");
    /// let (a, b) = ("Menu\nA story about the harbour.\nFooter", "Menu\nA story about the market.\nFooter");
    /// assert!(model.observe(page(a)));
    /// assert!(model.observe(page(b)));
    /// assert!(!model.observe(page(a))); // the same page again
    /// assert!(!model.observe(a)); // no site key
    /// assert_eq!(model.pages("example.org"), 2);
    /// assert_eq!(model.count("example.org", boildown::fingerprint("Menu").exact), 2);
    /// assert_eq!(model.count("example.org", boildown::fingerprint("Footer").exact), 2);
    /// ```
    pub fn observe<'p>(&self, page: impl Into<Page<'p>>) -> bool {
        Observation::new(page).is_some_and(|observation| self.add(&observation))
    }

    /// Counts a page observed beforehand ([`Observation::new`]) as [`SiteModel::observe`]
    /// does. Observing is in two steps so that the costly one (reading the page into
    /// blocks) can run on many threads while the pages are added to the model in a
    /// fixed order: past the budget, and for the text and SimHash that a template
    /// candidate keeps, the order of the pages counts (see the module docs), so adding
    /// in input order gives the same model whatever the number of threads.
    ///
    /// ```
    /// use boildown::{Observation, Page, SiteModel};
    /// let model = SiteModel::new();
    /// let pages = ["Menu\nA story.\nFooter", "Menu\nAnother story.\nFooter"];
    /// let observed: Vec<Observation> = pages
    ///     .iter()
    ///     .filter_map(|text| Observation::new(Page::text(text).with_site("example.org")))
    ///     .collect(); // on any number of threads
    /// for observation in &observed {
    ///     model.add(observation); // in order
    /// }
    /// assert_eq!(model.count("example.org", boildown::fingerprint("Menu").exact), 2);
    /// ```
    pub fn add(&self, observation: &Observation) -> bool {
        let blocks: Vec<(Fingerprints, &str)> = observation
            .blocks
            .iter()
            .map(|(f, text)| (*f, text.as_str()))
            .collect();
        self.observe_blocks(&observation.site, &blocks)
    }

    /// Observes a page already cleaned as [`SiteModel::observe`] does, as one more page
    /// of `site` (a crawler's incremental use: each page cleaned with what the model
    /// knew before it, then counted).
    ///
    /// ```
    /// use boildown::{Cleaner, SiteModel};
    /// let (cleaner, model) = (Cleaner::default(), SiteModel::new());
    /// let a = cleaner.clean("Menu\nA story about the harbour.\nFooter", &model);
    /// assert!(model.observe_cleaned("example.org", &a));
    /// assert_eq!(model.count("example.org", a.blocks()[0].exact), 1);
    /// ```
    pub fn observe_cleaned(&self, site: &str, page: &Cleaned) -> bool {
        let blocks: Vec<(Fingerprints, &str)> = page
            .blocks()
            .iter()
            .map(|b| {
                let fp = Fingerprints {
                    exact: b.exact,
                    simhash: b.simhash,
                    tokens: b.tokens,
                };
                (fp, b.text())
            })
            .collect();
        self.observe_blocks(site, &blocks)
    }

    fn observe_blocks(&self, site: &str, blocks: &[(Fingerprints, &str)]) -> bool {
        let exact: Vec<u64> = blocks.iter().map(|(f, _)| f.exact.as_u64()).collect();
        let (distinct, page) = page_key(&exact);
        let mut shard = self.write(site);
        let entry = match shard.get_mut(site) {
            Some(entry) => entry,
            None => shard.entry(site.to_owned()).or_default(),
        };
        if !entry.remember_page(page, &self.budget) {
            return false;
        }
        entry.pages = entry.pages.saturating_add(1);
        if self.partial {
            let keys: Box<[u64]> = distinct.iter().map(|fp| slot_key(*fp)).collect();
            entry.page_blocks.insert(page, keys);
        }
        for fp in distinct {
            entry.add(fp, 1);
        }
        // Blocks now on two or more pages keep their text and SimHash (the first copy
        // on the page; also for a block that became a candidate by a merge); in a
        // partial model, every block.
        for (f, text) in blocks {
            let key = slot_key(f.exact.as_u64());
            if (self.partial || entry.count(key) >= 2)
                && entry.add_candidate(key, f.tokens, text)
                && f.tokens >= NEAR_TOKENS
            {
                entry.near.push((f.simhash.as_u64(), key));
            }
        }
        entry.evict(&self.budget);
        true
    }

    /// What the site's pages other than this one say of a page's blocks: if the page
    /// was observed, its own counts are left out. A block of at least `near_min_tokens`
    /// tokens also takes the count of a template candidate within `near_distance`.
    pub(crate) fn evidence(
        &self,
        site: &str,
        blocks: &[Fingerprints],
        near_distance: u32,
        near_min_tokens: u32,
    ) -> SiteEvidence {
        let exact: Vec<u64> = blocks.iter().map(|f| f.exact.as_u64()).collect();
        let (distinct, page) = page_key(&exact);
        let shard = self.read(site);
        let Some(known) = shard.get(site) else {
            return SiteEvidence {
                other_pages: 0,
                block_pages: vec![0; blocks.len()],
            };
        };
        let own = known.knows_page(page);
        // `distinct` is sorted, so by slot key too.
        let on_this_page = |key: u64| {
            let at = distinct.partition_point(|fp| slot_key(*fp) < key);
            distinct.get(at).is_some_and(|fp| slot_key(*fp) == key)
        };
        let others =
            |count: u32, key: u64| count.saturating_sub(u32::from(own && on_this_page(key)));
        let block_pages = blocks
            .iter()
            .map(|f| {
                let exact = f.exact.as_u64();
                let mut pages = others(known.count(exact), slot_key(exact));
                if f.tokens >= near_min_tokens.max(NEAR_TOKENS) {
                    for &(simhash, key) in &known.near {
                        // (A partial model's single-page blocks are no template.)
                        if (simhash ^ f.simhash.as_u64()).count_ones() <= near_distance
                            && (!self.partial || known.count(key) >= 2)
                        {
                            pages = pages.max(others(known.count(key), key));
                        }
                    }
                }
                pages
            })
            .collect();
        SiteEvidence {
            other_pages: known.pages.saturating_sub(u32::from(own)),
            block_pages,
        }
    }

    /// How many distinct pages of `site` were observed.
    pub fn pages(&self, site: &str) -> u32 {
        self.read(site).get(site).map_or(0, |s| s.pages)
    }

    /// On how many observed pages of `site` a block with this exact fingerprint stands
    /// (0 if it was never seen, or forgotten).
    pub fn count(&self, site: &str, exact: Fingerprint) -> u32 {
        self.read(site)
            .get(site)
            .map_or(0, |s| s.count(exact.as_u64()))
    }

    /// The sites observed, sorted.
    pub fn sites(&self) -> Vec<String> {
        let mut sites: Vec<String> = self
            .shards
            .iter()
            .flat_map(|s| {
                let shard = s.read().unwrap_or_else(|e| e.into_inner());
                shard.keys().cloned().collect::<Vec<_>>()
            })
            .collect();
        sites.sort_unstable();
        sites
    }

    /// The blocks of `site` that stand on at least `min_pages` of its pages (2 or more),
    /// the most frequent first (then by text), for a person to review.
    pub fn template(&self, site: &str, min_pages: u32) -> Vec<TemplateBlock> {
        let shard = self.read(site);
        let Some(known) = shard.get(site) else {
            return Vec::new();
        };
        let mut out: Vec<TemplateBlock> = known
            .blocks
            .iter()
            .filter(|s| count_of(**s) >= min_pages.max(2))
            .map(|s| TemplateBlock {
                text: known
                    .candidate(slot_key(*s))
                    .map(|c| known.text(c).to_owned()),
                pages: count_of(*s),
                fingerprint: Fingerprint::from(slot_key(*s)),
            })
            .collect();
        out.sort_unstable_by(|a, b| {
            b.pages
                .cmp(&a.pages)
                .then_with(|| a.text.cmp(&b.text))
                .then_with(|| a.fingerprint.as_u64().cmp(&b.fingerprint.as_u64()))
        });
        out
    }

    /// Adds `other`'s pages and counts to this model (then applies this model's
    /// budget). Into a model to clean with, `other`'s template candidates come with
    /// their text and SimHash, and so do a partial model's single-page blocks that the
    /// merge puts on two or more pages ([`SiteModel::partial`]); into a partial model,
    /// every block's.
    pub fn merge(&self, other: &SiteModel) {
        for shard in &other.shards {
            // Copied out first: merging a model into itself must not lock a shard twice.
            let theirs: Vec<(String, Site)> = shard
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (site, their) in theirs {
                let mut mine = self.write(&site);
                let entry = mine.entry(site).or_default();
                // A page this model counted already, whose blocks `other` (a partial
                // model) lists, is left out: it counts once, as observed in turn.
                let mut again: HashMap<u64, u32> = HashMap::new();
                let mut pages_again = 0u32;
                for (key, blocks) in &their.page_blocks {
                    if entry.knows_page(*key) {
                        pages_again += 1;
                        for block in blocks.iter() {
                            *again.entry(*block).or_default() += 1;
                        }
                    }
                }
                entry.pages = entry
                    .pages
                    .saturating_add(their.pages.saturating_sub(pages_again));
                if self.partial {
                    for (key, blocks) in &their.page_blocks {
                        if !entry.knows_page(*key) {
                            entry.page_blocks.insert(*key, blocks.clone());
                        }
                    }
                }
                for key in &their.page_keys {
                    entry.remember_page(*key, &self.budget);
                }
                for slot in &their.blocks {
                    let key = slot_key(*slot);
                    let n = count_of(*slot).saturating_sub(again.get(&key).copied().unwrap_or(0));
                    if n > 0 {
                        entry.add(key, n);
                    }
                }
                let their_near: HashMap<u64, u64> = their
                    .near
                    .iter()
                    .map(|&(simhash, key)| (key, simhash))
                    .collect();
                // A partial model keeps every block's candidate; a model to clean
                // with, those on two or more pages.
                for c in &their.candidates {
                    if (self.partial || entry.count(c.key) >= 2)
                        && entry.add_candidate(c.key, u32::from(c.tokens), their.text(c))
                    {
                        if let Some(simhash) = their_near.get(&c.key) {
                            entry.near.push((*simhash, c.key));
                        }
                    }
                }
                entry.evict(&self.budget);
            }
        }
    }

    /// What the model holds: sites, tracked blocks, template candidates and bytes.
    ///
    /// ```
    /// let model = boildown::SiteModel::new();
    /// model.observe(boildown::Page::text("Menu\nA story.\nFooter").with_site("example.org"));
    /// let memory = model.memory();
    /// assert_eq!((memory.sites, memory.blocks), (1, 3));
    /// ```
    pub fn memory(&self) -> MemoryUse {
        let mut memory = MemoryUse {
            sites: 0,
            blocks: 0,
            candidates: 0,
            bytes: 0,
        };
        for shard in &self.shards {
            let shard = shard.read().unwrap_or_else(|e| e.into_inner());
            for (key, site) in shard.iter() {
                memory.sites += 1;
                memory.blocks += site.blocks.len();
                memory.candidates += site.candidates.len();
                memory.bytes += key.len() + std::mem::size_of::<(String, Site)>() + site.bytes();
            }
        }
        memory
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends at a character.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A page's distinct fingerprints, sorted, and the key it is known by: the XXH3 of
/// those fingerprints.
fn page_key(exact: &[u64]) -> (Vec<u64>, u64) {
    let mut distinct = exact.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut key = Vec::with_capacity(distinct.len() * 8);
    for fp in &distinct {
        key.extend_from_slice(&fp.to_le_bytes());
    }
    let page_key = xxhash_rust::xxh3::xxh3_64(&key);
    (distinct, page_key)
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
                c.clean(
                    crate::Page::text("Menu\nStory one about the harbour.\nFooter"),
                    None,
                ),
            ),
            (
                "a.org",
                c.clean(
                    crate::Page::text("Menu\nStory two about the market.\nFooter"),
                    None,
                ),
            ),
            (
                "b.org",
                c.clean(crate::Page::text("Home\nA page of b.\nFooter"), None),
            ),
            (
                "a.org",
                c.clean(
                    crate::Page::text("Menu\nStory three about the quays.\nFooter"),
                    None,
                ),
            ),
        ]
    }

    #[test]
    fn snapshot_round_trips_and_rejects_damage() {
        let model = SiteModel::new();
        for (site, page) in pages() {
            model.observe_cleaned(site, &page);
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
        other_version[8] = 9;
        let message = SiteModel::from_bytes(&other_version)
            .unwrap_err()
            .to_string();
        assert!(message.contains("version 9"), "{message}");
        // Version 2 (no flags) still loads.
        let mut v2 = bytes[..bytes.len() - 8].to_vec();
        v2[8] = 2;
        v2.drain(12..16);
        let checksum = xxhash_rust::xxh3::xxh3_64(&v2);
        v2.extend_from_slice(&checksum.to_le_bytes());
        assert_eq!(SiteModel::from_bytes(&v2).unwrap().to_bytes(), bytes);
    }

    #[test]
    fn merging_shards_equals_one_model_in_any_order() {
        let all = pages();
        let one = SiteModel::new();
        for (site, page) in &all {
            one.observe_cleaned(site, page);
        }
        let (left, right) = (SiteModel::new(), SiteModel::new());
        for (i, (site, page)) in all.iter().enumerate().rev() {
            if i % 2 == 0 { &left } else { &right }.observe_cleaned(site, page);
        }
        right.merge(&left);
        assert_eq!(right.to_bytes(), one.to_bytes());
    }

    #[test]
    fn partial_models_of_one_page_each_merge_into_one_model_of_all() {
        use super::SiteBudget;
        // A long notice in two wordings (near copies), each on pages of different
        // parts only; the parts' own blocks never repeat.
        let notice = |end: &str| {
            format!("We use cookies and similar tools to run this site, to measure how readers use it, and to show them {end}.")
        };
        let pages: Vec<String> = (0..6)
            .map(|i| {
                let wording = notice(if i % 3 == 0 { "ads" } else { "relevant ads" });
                format!(
                    "Menu\n{wording}\nStory number {} here.",
                    ["one", "two", "three", "four", "five", "six"][i]
                )
            })
            .collect();
        fn page(text: &str) -> crate::Page<'_> {
            crate::Page::text(text).with_site("a.org")
        }
        let one = SiteModel::new();
        for text in &pages {
            one.observe(page(text));
        }
        let merged = |make: &dyn Fn() -> SiteModel| {
            let parts: Vec<SiteModel> = (0..6).map(|_| make()).collect();
            for (text, part) in pages.iter().zip(&parts) {
                part.observe(page(text)); // one page per part
            }
            // A tree of merges: pairs into partial models, then into one to clean with.
            let (left, right) = (make(), make());
            for (i, part) in parts.iter().enumerate() {
                if i < 3 { &left } else { &right }.merge(part);
            }
            let merged = SiteModel::new();
            merged.merge(&right);
            merged.merge(&left);
            merged
        };
        let partial = merged(&|| SiteModel::partial(SiteBudget::default()));
        assert!(!partial.is_partial());
        assert_eq!(partial.to_bytes(), one.to_bytes());
        // The same page in two parts counts once, as observed twice.
        let (a, b) = (
            SiteModel::partial(SiteBudget::default()),
            SiteModel::partial(SiteBudget::default()),
        );
        for text in &pages {
            a.observe(page(text));
        }
        b.observe(page(&pages[4]));
        b.observe(page("Menu\nA page of its own."));
        one.observe(page("Menu\nA page of its own."));
        let (ab, whole) = (SiteModel::partial(SiteBudget::default()), SiteModel::new());
        ab.merge(&a);
        ab.merge(&b);
        whole.merge(&SiteModel::from_bytes(&ab.to_bytes()).unwrap());
        assert_eq!(whole.pages("a.org"), 7);
        assert_eq!(whole.to_bytes(), one.to_bytes());
        let direct = SiteModel::new();
        direct.merge(&a);
        direct.merge(&b);
        assert_eq!(direct.to_bytes(), one.to_bytes());
        let back = SiteModel::from_bytes(&SiteModel::partial(SiteBudget::default()).to_bytes());
        assert!(back.unwrap().is_partial());
        // Plain models merged have the counts, but no candidate to pair near copies with.
        let plain = merged(&SiteModel::new);
        assert_ne!(plain.to_bytes(), one.to_bytes());
        let texts = |m: &SiteModel| -> Vec<Option<String>> {
            m.template("a.org", 2).into_iter().map(|t| t.text).collect()
        };
        assert!(texts(&plain).iter().all(Option::is_none));
        assert!(texts(&one).iter().all(Option::is_some));

        // Cleaning with a partial model gives what cleaning with the merged one gives:
        // a long block on one page only is no near match of another page's variant.
        let story = |end: &str| {
            format!("Menu\nThe harbour council met on Monday night and voted to rebuild the old pier before the summer season, {end}.")
        };
        let (left, right) = (story("said the mayor"), story("said the clerk"));
        let partial = SiteModel::partial(SiteBudget::default());
        let whole = SiteModel::new();
        for text in [&left, &right] {
            partial.observe(page(text));
            whole.observe(page(text));
        }
        let cleaner = Cleaner::default();
        for text in [&left, &right] {
            assert_eq!(
                cleaner.clean(page(text), &partial),
                cleaner.clean(page(text), &whole)
            );
        }
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))] // no threads in a WebAssembly test runner
    fn many_threads_clean_and_observe_and_lose_no_count() {
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
                        // Incremental use: clean with what is known, then observe,
                        // while the other threads do the same on the same two sites.
                        let site = if i % 2 == 0 { "a.org" } else { "b.org" };
                        let text = format!("Menu\nPage {name} of the site.\nFooter");
                        let page = cleaner.clean(crate::Page::text(&text).with_site(site), model);
                        assert!(model.observe_cleaned(site, &page));
                    }
                });
            }
        });
        assert_eq!(model.pages("a.org") + model.pages("b.org"), 1000);
        let menu = cleaner.clean(crate::Page::text("Menu"), None).blocks()[0].exact;
        assert_eq!(
            model.count("a.org", menu) + model.count("b.org", menu),
            1000
        );
    }

    #[test]
    fn over_budget_the_least_seen_blocks_are_forgotten_and_the_template_stays() {
        let budget = super::SiteBudget {
            blocks_per_site: 64,
            pages_per_site: 8,
        };
        let model = SiteModel::with_budget(budget);
        let word = |n: u32| -> String {
            (0..4)
                .map(|k| char::from(b'a' + (n / 26u32.pow(k) % 26) as u8))
                .collect()
        };
        for page in 0..200u32 {
            let text = format!(
                "Menu\nFooter of the site\nStory {} text\nMore {} words",
                word(page),
                word(page + 1000)
            );
            assert!(model.observe(crate::Page::text(&text).with_site("a.org")));
            let memory = model.memory();
            assert!(memory.blocks <= 64, "page {page}: {memory:?}");
        }
        assert_eq!(model.pages("a.org"), 200);
        let menu = crate::fingerprint("Menu").exact;
        assert_eq!(model.count("a.org", menu), 200);
        let template = model.template("a.org", 2);
        assert_eq!(template.len(), 2);
        assert_eq!(template[0].pages, 200);
        assert!(template
            .iter()
            .any(|t| t.text.as_deref() == Some("Footer of the site")));
        // The budget holds through a snapshot too.
        let back = SiteModel::from_bytes_with_budget(&model.to_bytes(), budget).unwrap();
        assert_eq!(back.to_bytes(), model.to_bytes());
    }
}
