//! What a run did: counted as it goes, printed at the end, and written as JSON with
//! `--stats FILE`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::rows::RowStats;

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Input files (after folders are expanded).
    pub inputs: u64,
    /// Inputs of which no record could be read (unreadable, or only rejects).
    pub unreadable_inputs: u64,
    /// Bytes of the input files, as stored (compressed or not).
    pub bytes_in: u64,
    /// Records and rows read: pages, skipped records and rejects.
    pub records: u64,
    /// Pages read (WARC responses of HTML, WET conversions, JSONL rows, saved pages).
    pub pages: u64,
    /// Bytes of the pages (the HTTP bodies, decompressed).
    pub page_bytes: u64,
    /// Pages cleaned, each a row of the output (less `dropped`).
    pub cleaned: u64,
    /// Records skipped, by kind (`request`, `metadata`, `response application/pdf`, …).
    pub skipped: BTreeMap<String, u64>,
    /// Rejects, by reason (numbers as `N`, details after a colon left out).
    pub rejected: BTreeMap<String, u64>,
    /// Rows that are near-duplicates of an earlier row (`dup_of` set).
    pub duplicates: u64,
    /// Near-duplicate clusters (rows that others duplicate).
    pub clusters: u64,
    /// Duplicates left out of the output (`--drop-dups`).
    pub dropped: u64,
    /// Rows written.
    pub rows: u64,
    /// Bytes of cleaned text in the rows written.
    pub text_bytes: u64,
    /// Bytes written to the output.
    pub bytes_out: u64,
    /// The blocks of every cleaned page: how many, kept, and removed by reason.
    pub blocks: RowStats,
    /// The site models.
    pub sites: SiteCounts,
    /// Threads that cleaned.
    pub threads: usize,
    /// Seconds of each pass, and in all.
    pub seconds: Seconds,
    /// Pages read per second of the whole run, divided by the threads.
    pub pages_per_second_per_thread: f64,
}

#[derive(Debug, Default, Serialize)]
pub struct SiteCounts {
    /// Where the models came from: `learned` (the first pass), `loaded` (`--model`).
    pub models: &'static str,
    pub sites: u64,
    /// Blocks tracked over all sites, and template candidates (on 2+ pages) among them.
    pub tracked_blocks: u64,
    pub candidates: u64,
    /// Bytes the models hold.
    pub bytes: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct Seconds {
    /// The first pass (learning the sites), 0 when the models were loaded.
    pub learn: f64,
    /// The second pass (cleaning, signatures).
    pub clean: f64,
    /// Finding the near-duplicates and writing the output.
    pub write: f64,
    pub total: f64,
}

pub use boildown::corpus::reason_class;

impl Summary {
    /// The summary for people, on stderr.
    pub fn print(&self) {
        let mb = |b: u64| b as f64 / 1e6;
        eprintln!(
            "boildown: {} pages of {} records in {} inputs ({:.1} MB; pages {:.1} MB); {} cleaned, {} rows written ({:.1} MB of text, {:.1} MB out)",
            self.pages,
            self.records,
            self.inputs,
            mb(self.bytes_in),
            mb(self.page_bytes),
            self.cleaned,
            self.rows,
            mb(self.text_bytes),
            mb(self.bytes_out),
        );
        if !self.skipped.is_empty() {
            eprintln!("  skipped: {}", counts(&self.skipped));
        }
        if !self.rejected.is_empty() {
            eprintln!("  rejected: {}", counts(&self.rejected));
        }
        eprintln!(
            "  near-duplicates: {} rows in {} clusters{}",
            self.duplicates,
            self.clusters,
            if self.dropped > 0 {
                format!(", {} dropped", self.dropped)
            } else {
                String::new()
            }
        );
        let b = &self.blocks;
        eprintln!(
            "  blocks: {} kept of {}; removed: {} exact repeats, {} near repeats, {} boilerplate, {} site template",
            b.kept, b.blocks, b.exact_repeats, b.near_repeats, b.boilerplate, b.site_template
        );
        eprintln!(
            "  sites: {} ({}), {} tracked blocks, {} on 2+ pages, {:.1} MB",
            self.sites.sites,
            self.sites.models,
            self.sites.tracked_blocks,
            self.sites.candidates,
            mb(self.sites.bytes)
        );
        eprintln!(
            "  time: learn {:.1} s, clean {:.1} s, write {:.1} s; {:.0} pages/s on {} threads ({:.0} per thread)",
            self.seconds.learn,
            self.seconds.clean,
            self.seconds.write,
            self.pages as f64 / self.seconds.total.max(1e-9),
            self.threads,
            self.pages_per_second_per_thread
        );
    }
}

fn counts(map: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_counted_without_their_numbers_and_details() {
        assert_eq!(
            reason_class("a Content-Length (30) that does not end the record"),
            "a Content-Length (N) that does not end the record"
        );
        assert_eq!(
            reason_class("damaged compressed data at byte 1234: incomplete deflate stream"),
            "damaged compressed data at byte N"
        );
        assert_eq!(
            reason_class("not a JSON object: expected value at line 1"),
            "not a JSON object"
        );
    }
}
