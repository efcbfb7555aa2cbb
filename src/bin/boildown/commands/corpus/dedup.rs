//! Near-duplicate documents over the whole run: each row's MinHash signature goes to a
//! temporary file (fixed size, so row `i` is at `i × size`), its band keys stay in
//! memory (16 bytes a band); at the end, the buckets of equal keys are checked against
//! the signatures read back, and every row of a cluster points at its earliest.
//!
//! Memory: 16 × bands bytes per row for the keys, and 4 bytes per row for the clusters;
//! disk: 8 × bands × rows bytes per row.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use boildown_corpus::minhash::{clusters, MinHashParams, MinHasher, Signature};

pub struct Dedup {
    hasher: MinHasher,
    keys: Vec<(u64, u32)>,
    signatures: BufWriter<File>,
    rows: u32,
}

impl Dedup {
    /// Signatures with these parameters, spilled to a temporary file in `dir`.
    pub fn new(params: MinHashParams, dir: &Path) -> io::Result<Dedup> {
        Ok(Dedup {
            hasher: MinHasher::new(params),
            keys: Vec::new(),
            signatures: BufWriter::new(tempfile::tempfile_in(dir)?),
            rows: 0,
        })
    }

    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// Adds the next row's signature (empty: a row without words, never a duplicate).
    pub fn add(&mut self, signature: &Signature) -> io::Result<()> {
        let width = self.width();
        let row = self.rows;
        self.rows = row
            .checked_add(1)
            .ok_or_else(|| io::Error::other("over 4 294 967 295 rows"))?;
        if signature.is_empty() {
            self.signatures.write_all(&vec![0; width * 8])?;
            return Ok(());
        }
        for v in signature {
            self.signatures.write_all(&v.to_le_bytes())?;
        }
        self.keys.extend(
            self.hasher
                .band_keys(signature)
                .into_iter()
                .map(|k| (k, row)),
        );
        Ok(())
    }

    fn width(&self) -> usize {
        let params = self.hasher.params();
        params.bands * params.rows
    }

    /// For each row, the row its cluster's earliest is, if it is a duplicate.
    pub fn finish(self) -> io::Result<Vec<Option<u32>>> {
        let width = self.width();
        let mut file = self.signatures.into_inner().map_err(|e| e.into_error())?;
        let mut buf = vec![0u8; width * 8];
        clusters(&self.hasher, self.rows as usize, self.keys, |row| {
            file.seek(SeekFrom::Start(row as u64 * buf.len() as u64))?;
            file.read_exact(&mut buf)?;
            Ok::<Signature, io::Error>(
                buf.chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect(),
            )
        })
    }
}
