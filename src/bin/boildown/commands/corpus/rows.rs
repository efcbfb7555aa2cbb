//! The spill of `boildown corpus`: its rows ([`boildown::corpus::Row`]) kept on disk in
//! a compact form between the passes.

pub use boildown::corpus::{words, Cleaning, Row, RowStats};

/// The spill: rows written to a temporary file in a compact form while the
/// near-duplicates are not yet known, read back in order at the end.
pub mod spill {
    use std::io::{self, Read};

    use super::{Row, RowStats};

    const NONE: u32 = u32::MAX;

    fn put(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => {
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            None => out.extend_from_slice(&NONE.to_le_bytes()),
        }
    }

    /// A row's bytes in the spill.
    pub fn encode(row: &Row) -> Vec<u8> {
        let mut out = Vec::with_capacity(row.text.len() + 256);
        put(&mut out, Some(&row.id));
        put(&mut out, row.url.as_deref());
        put(&mut out, row.site.as_deref());
        put(&mut out, row.title.as_deref());
        put(&mut out, Some(row.format));
        put(&mut out, Some(&row.text));
        for v in row.stats.values() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(row.extra.len() as u32).to_le_bytes());
        for (name, value) in &row.extra {
            put(&mut out, Some(name));
            put(&mut out, Some(value));
        }
        put(&mut out, row.report.as_deref());
        let mut framed = (out.len() as u64).to_le_bytes().to_vec();
        framed.extend_from_slice(&out);
        framed
    }

    /// Reads the rows of a spill back, in order.
    pub struct Reader<R> {
        input: R,
        buf: Vec<u8>,
    }

    impl<R: Read> Reader<R> {
        pub fn new(input: R) -> Self {
            Reader {
                input,
                buf: Vec::new(),
            }
        }

        /// The next row, or `None` at the end.
        pub fn next_row(&mut self) -> io::Result<Option<Row>> {
            let mut len = [0u8; 8];
            match self.input.read_exact(&mut len) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
            self.buf.resize(u64::from_le_bytes(len) as usize, 0);
            self.input.read_exact(&mut self.buf)?;
            decode(&self.buf)
                .ok_or_else(|| io::Error::other("the spill file is damaged"))
                .map(Some)
        }
    }

    fn decode(mut bytes: &[u8]) -> Option<Row> {
        fn u32_of(bytes: &mut &[u8]) -> Option<u32> {
            let (head, rest) = bytes.split_first_chunk::<4>()?;
            *bytes = rest;
            Some(u32::from_le_bytes(*head))
        }
        fn get(bytes: &mut &[u8]) -> Option<Option<String>> {
            let len = u32_of(bytes)?;
            if len == NONE {
                return Some(None);
            }
            let (s, rest) = bytes.split_at_checked(len as usize)?;
            *bytes = rest;
            Some(Some(String::from_utf8(s.to_vec()).ok()?))
        }
        let b = &mut bytes;
        let id = get(b)??;
        let url = get(b)?;
        let site = get(b)?;
        let title = get(b)?;
        let format = match get(b)??.as_str() {
            "html" => "html",
            _ => "text",
        };
        let text = get(b)??;
        let mut values = [0u64; 6];
        for v in &mut values {
            let (head, rest) = b.split_first_chunk::<8>()?;
            *v = u64::from_le_bytes(*head);
            *b = rest;
        }
        let [blocks, kept, exact_repeats, near_repeats, boilerplate, site_template] = values;
        let n = u32_of(b)?;
        let mut extra = Vec::with_capacity(n.min(1024) as usize);
        for _ in 0..n {
            extra.push((get(b)??, get(b)??));
        }
        let report = get(b)?;
        Some(Row {
            id,
            url,
            site,
            title,
            format,
            text,
            stats: RowStats {
                blocks,
                kept,
                exact_repeats,
                near_repeats,
                boilerplate,
                site_template,
            },
            extra,
            report,
        })
    }

    /// Frames several byte strings as one record of a spill.
    pub fn frame(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum::<usize>() + 8);
        out.extend_from_slice(&(parts.len() as u64).to_le_bytes());
        for part in parts {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
        out
    }

    /// The records of a spill of frames, in order (an error ends them).
    pub fn frames<R: Read>(mut input: R) -> impl Iterator<Item = io::Result<Vec<Vec<u8>>>> {
        let mut failed = false;
        std::iter::from_fn(move || {
            if failed {
                return None;
            }
            let mut read = || -> io::Result<Option<Vec<Vec<u8>>>> {
                let mut n = [0u8; 8];
                match input.read_exact(&mut n) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                    Err(e) => return Err(e),
                }
                let mut parts = Vec::new();
                for _ in 0..u64::from_le_bytes(n) {
                    input.read_exact(&mut n)?;
                    let mut part = vec![0u8; u64::from_le_bytes(n) as usize];
                    input.read_exact(&mut part)?;
                    parts.push(part);
                }
                Ok(Some(parts))
            };
            match read() {
                Ok(parts) => parts.map(Ok),
                Err(e) => {
                    failed = true;
                    Some(Err(e))
                }
            }
        })
    }

    /// A row's bytes back (the inverse of [`encode`] without its length).
    pub fn decode_row(bytes: &[u8]) -> io::Result<Row> {
        decode(bytes.get(8..).unwrap_or_default())
            .ok_or_else(|| io::Error::other("the spill file is damaged"))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn rows_come_back_as_they_went() {
            let rows = [
                Row {
                    id: "<urn:1>".into(),
                    url: Some("http://a.example/".into()),
                    site: Some("a.example".into()),
                    title: None,
                    format: "html",
                    text: "Ünïcode\ntext".into(),
                    stats: RowStats {
                        blocks: 9,
                        kept: 2,
                        exact_repeats: 1,
                        near_repeats: 0,
                        boilerplate: 5,
                        site_template: 1,
                    },
                    extra: vec![("lang".into(), "\"en\"".into())],
                    report: Some("{}".into()),
                },
                Row {
                    id: "#2".into(),
                    format: "text",
                    ..Row::default()
                },
            ];
            let mut bytes = Vec::new();
            for row in &rows {
                bytes.extend_from_slice(&encode(row));
            }
            let mut reader = Reader::new(&bytes[..]);
            for row in &rows {
                assert_eq!(reader.next_row().unwrap().as_ref(), Some(row));
            }
            assert_eq!(reader.next_row().unwrap(), None);
            let mut cut = Reader::new(&bytes[..bytes.len() - 3]);
            cut.next_row().unwrap();
            assert!(cut.next_row().is_err());
        }
    }
}
