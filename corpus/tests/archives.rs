//! The real WARC files of `../shared/corpus` (other projects' test archives: see its
//! SOURCE.md), and damaged copies of them: every record is read or rejected with its
//! reason, with the counts that FastWARC 2.0.1 reads. Skipped when the folder is absent.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use boildown_corpus::{Decompressed, Records};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// Records by kind, and the rejects' reasons.
fn read(bytes: &[u8]) -> (BTreeMap<String, usize>, Vec<String>) {
    let mut kinds = BTreeMap::new();
    let mut rejects = Vec::new();
    for item in Records::new(Decompressed::new(bytes).unwrap()) {
        match item {
            Ok(record) => *kinds.entry(record.kind()).or_insert(0) += 1,
            Err(reject) => rejects.push(reject.reason),
        }
    }
    (kinds, rejects)
}

fn counts(list: &[(&str, usize)]) -> BTreeMap<String, usize> {
    list.iter().map(|&(k, n)| (k.to_owned(), n)).collect()
}

#[test]
fn the_archives_read_as_fastwarc_reads_them() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: no ../shared/corpus");
        return;
    };
    let expect = [
        (
            "dolma-sample-0000.warc.gz",
            counts(&[
                ("warcinfo", 1),
                ("request", 22),
                ("response", 22),
                ("metadata", 1),
                ("resource", 2),
            ]),
        ),
        (
            "dolma-sample-0001.warc.gz",
            counts(&[
                ("warcinfo", 1),
                ("request", 15),
                ("response", 15),
                ("metadata", 1),
                ("resource", 2),
            ]),
        ),
        (
            "resiliparse-warcfile.warc.gz",
            counts(&[
                ("warcinfo", 1),
                ("request", 17),
                ("response", 16),
                ("metadata", 16),
            ]),
        ),
        (
            "resiliparse-clueweb-quirk.warc.gz",
            counts(&[("warcinfo", 1), ("response", 29)]),
        ),
        (
            "resiliparse-block-sized-records.warc.gz",
            counts(&[("unknown", 3)]),
        ),
    ];
    for (file, want) in expect {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let (kinds, rejects) = read(&bytes);
        assert_eq!(kinds, want, "{file}");
        assert!(rejects.is_empty(), "{file}: {rejects:?}");
    }
}

#[test]
fn clueweb_responses_have_their_http_headers_and_urls() {
    let Some(dir) = corpus() else { return };
    let bytes = std::fs::read(dir.join("resiliparse-clueweb-quirk.warc.gz")).unwrap();
    let records: Vec<_> = Records::new(Decompressed::new(&bytes[..]).unwrap())
        .map(|r| r.unwrap())
        .collect();
    let response = records.iter().find(|r| r.kind() == "response").unwrap();
    assert!(response
        .target_uri()
        .unwrap()
        .starts_with("http://www.uraharajuku.st/"));
    let http = response.http_response().unwrap();
    assert_eq!(
        (http.status, http.media_type().as_deref(), http.charset()),
        (200, Some("text/html"), Some("EUC-JP"))
    );
    assert!(http.body.starts_with(b"<html>"));
}

#[test]
fn a_truncated_archive_keeps_the_records_before_the_cut() {
    let Some(dir) = corpus() else { return };
    // Its one record, cut short.
    let bytes = std::fs::read(dir.join("resiliparse-clipped.warc.gz")).unwrap();
    let (kinds, rejects) = read(&bytes);
    assert!(kinds.is_empty(), "{kinds:?}");
    assert_eq!(
        rejects,
        ["damaged compressed data at byte 0: incomplete deflate stream"]
    );
    // A copy of a whole archive cut in the middle: the records of the whole members.
    let whole = std::fs::read(dir.join("dolma-sample-0000.warc.gz")).unwrap();
    let (kinds, rejects) = read(&whole[..whole.len() / 2]);
    let read_whole: usize = kinds.values().sum();
    assert!((10..47).contains(&read_whole), "{kinds:?}");
    assert_eq!(rejects.len(), 1, "{rejects:?}");
}

#[test]
fn a_damaged_member_loses_only_its_record() {
    let Some(dir) = corpus() else { return };
    let mut bytes = std::fs::read(dir.join("dolma-sample-0000.warc.gz")).unwrap();
    // Zero a stretch in the middle of the file: the members it falls in are damaged.
    let middle = bytes.len() / 2;
    bytes[middle..middle + 64].fill(0);
    let (kinds, rejects) = read(&bytes);
    let records: usize = kinds.values().sum();
    assert!(!rejects.is_empty() && rejects.len() <= 2, "{rejects:?}");
    assert!(
        records >= 48 - 2 * rejects.len() && records < 48,
        "{records} records, {rejects:?}"
    );
    assert!(
        rejects
            .iter()
            .all(|r| r.contains("damaged compressed data")),
        "{rejects:?}"
    );
}

/// Where each gzip member of `bytes` starts (and the end).
fn member_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut decoder = flate2::bufread::GzDecoder::new(rest);
        std::io::copy(&mut decoder, &mut std::io::sink()).unwrap();
        rest = decoder.into_inner();
        starts.push(bytes.len() - rest.len());
    }
    starts
}

#[test]
fn a_member_cut_short_in_the_middle_of_a_file_loses_only_its_record() {
    let Some(dir) = corpus() else { return };
    let bytes = std::fs::read(dir.join("dolma-sample-0000.warc.gz")).unwrap();
    let starts = member_starts(&bytes);
    let (whole, _) = read(&bytes);
    let all: usize = whole.values().sum();
    assert_eq!(starts.len() - 1, all, "one member per record");
    // Every member from the second to the last but one, in turn, loses the second half
    // of its bytes; the members after it are whole.
    for k in 1..starts.len() - 2 {
        let (start, end) = (starts[k], starts[k + 1]);
        let cut = [&bytes[..start + (end - start) / 2], &bytes[end..]].concat();
        let (kinds, rejects) = read(&cut);
        let records: usize = kinds.values().sum();
        assert_eq!(records, all - 1, "member {k}: {rejects:?}");
        assert!(
            !rejects.is_empty()
                && rejects
                    .iter()
                    .all(|r| r.contains("damaged compressed data")),
            "member {k}: {rejects:?}"
        );
    }
}

#[test]
fn a_wrong_content_length_loses_only_its_record() {
    let Some(dir) = corpus() else { return };
    let mut plain = Vec::new();
    flate2::read::MultiGzDecoder::new(
        &std::fs::read(dir.join("dolma-sample-0001.warc.gz")).unwrap()[..],
    )
    .read_to_end(&mut plain)
    .unwrap();
    let text = String::from_utf8_lossy(&plain).into_owned();
    // The fifth record's length, one digit longer (ten times as long) and one shorter.
    let at = text.match_indices("Content-Length: ").nth(4).unwrap().0 + "Content-Length: ".len();
    for edit in [b"9".as_slice(), b""] {
        let mut damaged = plain[..at].to_vec();
        damaged.extend_from_slice(edit);
        damaged.extend_from_slice(&plain[at + usize::from(edit.is_empty())..]);
        let (kinds, rejects) = read(&damaged);
        assert_eq!(kinds.values().sum::<usize>(), 33, "{kinds:?} {rejects:?}");
        assert_eq!(rejects.len(), 1, "{rejects:?}");
        assert!(
            rejects[0].contains("does not end the record"),
            "{rejects:?}"
        );
    }
}

#[test]
fn plain_and_zstd_copies_read_alike() {
    let Some(dir) = corpus() else { return };
    let gz = std::fs::read(dir.join("resiliparse-warcfile.warc.gz")).unwrap();
    let mut plain = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_end(&mut plain)
        .unwrap();
    let zst = zstd::encode_all(&plain[..], 3).unwrap();
    let want = read(&gz);
    assert_eq!(read(&plain), want);
    assert_eq!(read(&zst), want);
    // A zstd file cut short: the records before the cut, then one reject.
    let (kinds, rejects) = read(&zst[..zst.len() * 2 / 3]);
    assert!(kinds.values().sum::<usize>() > 10, "{kinds:?}");
    assert_eq!(rejects.len(), 1, "{rejects:?}");
}

#[test]
fn records_become_documents_or_are_counted_by_kind() {
    use boildown_corpus::{DocumentFormat, Item};
    let Some(dir) = corpus() else { return };
    for (file, records) in [
        ("resiliparse-clueweb-quirk.warc.gz", 30),
        ("resiliparse-warcfile.warc.gz", 50),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let items: Vec<Item> = Records::new(Decompressed::new(&bytes[..]).unwrap())
            .map(|r| r.map_or_else(Item::from, Item::from_record))
            .collect();
        assert_eq!(items.len(), records, "{file}");
        let documents: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                Item::Document(d) => Some(d),
                _ => None,
            })
            .collect();
        let skipped: BTreeMap<&str, usize> = items.iter().fold(BTreeMap::new(), |mut m, i| {
            if let Item::Skipped { kind, .. } = i {
                *m.entry(kind.as_str()).or_default() += 1;
            }
            m
        });
        assert!(
            documents
                .iter()
                .all(|d| d.id.is_some() && d.url.is_some() && d.format == DocumentFormat::Html),
            "{file}"
        );
        assert!(
            documents.iter().all(|d| !d.body().starts_with(b"HTTP/")),
            "{file}"
        );
        if file.contains("clueweb") {
            assert_eq!(documents.len(), 29);
            assert!(documents
                .iter()
                .all(|d| d.charset.as_deref() == Some("EUC-JP")));
        } else {
            assert_eq!(
                (skipped["request"], skipped["metadata"]),
                (17, 16),
                "{skipped:?}"
            );
            assert!(
                documents.len() >= 12,
                "{} documents, {skipped:?}",
                documents.len()
            );
        }
    }
}
