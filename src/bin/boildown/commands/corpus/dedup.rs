//! Near-duplicate documents over the whole run: each row's band keys stay in memory (16
//! bytes a band), and its distinct shingles (4 bytes each) go to a temporary file; at
//! the end, the buckets of equal keys are checked on the shingles read back, and every
//! row of a cluster points at its earliest.
//!
//! Memory: 16 × bands bytes per row for the keys, 8 bytes per row for where its
//! shingles are, and 4 bytes per row for the clusters; disk: 4 bytes per distinct
//! shingle of each row (about 4 bytes per word of its cleaned text).

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use boildown_corpus::minhash::{clusters, MinHashParams, MinHasher, Sketch};

pub struct Dedup {
    hasher: MinHasher,
    keys: Vec<(u64, u32)>,
    shingles: BufWriter<File>,
    /// Where each row's shingles start in the file; one more at the end.
    starts: Vec<u64>,
}

impl Dedup {
    /// Sketches with these parameters, the shingles spilled to a temporary file in `dir`.
    pub fn new(params: MinHashParams, dir: &Path) -> io::Result<Dedup> {
        Ok(Dedup {
            hasher: MinHasher::new(params),
            keys: Vec::new(),
            shingles: BufWriter::new(tempfile::tempfile_in(dir)?),
            starts: vec![0],
        })
    }

    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// Adds the next row's sketch (empty: a row without words, never a duplicate).
    pub fn add(&mut self, sketch: &Sketch) -> io::Result<()> {
        let row = u32::try_from(self.starts.len() - 1)
            .map_err(|_| io::Error::other("over 4 294 967 295 rows"))?;
        for v in &sketch.shingles {
            self.shingles.write_all(&v.to_le_bytes())?;
        }
        let end = self.starts[row as usize] + 4 * sketch.shingles.len() as u64;
        self.starts.push(end);
        self.keys.extend(
            self.hasher
                .band_keys(&sketch.signature)
                .into_iter()
                .map(|k| (k, row)),
        );
        Ok(())
    }

    /// For each row, the row its cluster's earliest is, if it is a duplicate.
    pub fn finish(self) -> io::Result<Vec<Option<u32>>> {
        let mut file = self.shingles.into_inner().map_err(|e| e.into_error())?;
        let starts = self.starts;
        let mut buf = Vec::new();
        clusters(&self.hasher, starts.len() - 1, self.keys, |row| {
            let (start, end) = (starts[row as usize], starts[row as usize + 1]);
            buf.resize((end - start) as usize, 0);
            file.seek(SeekFrom::Start(start))?;
            file.read_exact(&mut buf)?;
            Ok::<Vec<u32>, io::Error>(
                buf.chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
                    .collect(),
            )
        })
    }
}
