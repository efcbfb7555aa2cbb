//! Rows as Parquet (arrow-rs, zstd level 3): the columns of `boildown corpus`'s JSONL,
//! in order. Feature `parquet`; the command's `.parquet` output and the part files of
//! the Spark job are written here, so both are the same files.
//!
//! The columns: `id`, `url`, `site`, `title`, `format`, `text`, `dup_of` (strings;
//! `id`, `format` and `text` never null), `stats` (a struct of the six counts of
//! [`RowStats::NAMES`], each an `Int64`: Spark and Hive have no unsigned integers, and
//! Spark would read `UInt64` as `decimal(20,0)`), one string column per passed-through
//! field (its raw JSON value) and, with `report`, `report` (the JSON text).
//!
//! ```
//! use boildown::corpus::{parquet::ParquetRows, Row};
//!
//! let row = Row { id: "#1".into(), format: "text", text: "A story.".into(), ..Row::default() };
//! let mut out = ParquetRows::new(Vec::new(), &[], false).unwrap();
//! out.push(&row, None).unwrap();
//! let bytes = out.finish().unwrap();
//! assert_eq!(&bytes[..4], b"PAR1");
//! ```

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::Result;
use parquet::file::properties::WriterProperties;

use super::{Row, RowStats};

/// Rows per record batch (and row group, at most).
const BATCH_ROWS: usize = 8192;

/// The string columns before `stats`.
const STRING_COLUMNS: [&str; 7] = ["id", "url", "site", "title", "format", "text", "dup_of"];

/// Rows gathered into Arrow columns, written to `W` a batch at a time.
pub struct ParquetRows<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: Arc<Schema>,
    extra_names: Vec<String>,
    strings: Vec<StringBuilder>,
    stats: Vec<Int64Builder>,
    extras: Vec<StringBuilder>,
    report: Option<StringBuilder>,
    rows: usize,
}

impl<W: Write + Send> ParquetRows<W> {
    /// Starts a file with a column for each of these passed-through fields (in this
    /// order), and a `report` column if asked for.
    pub fn new(out: W, extra_names: &[String], report: bool) -> Result<ParquetRows<W>> {
        let nullable = |name: &str| !matches!(name, "id" | "format" | "text");
        let mut fields: Vec<Field> = STRING_COLUMNS
            .iter()
            .map(|name| Field::new(*name, DataType::Utf8, nullable(name)))
            .collect();
        fields.push(Field::new("stats", DataType::Struct(stats_fields()), false));
        fields.extend(
            extra_names
                .iter()
                .map(|n| Field::new(n, DataType::Utf8, true)),
        );
        if report {
            fields.push(Field::new("report", DataType::Utf8, true));
        }
        let schema = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_max_row_group_row_count(Some(64 * 1024))
            .build();
        Ok(ParquetRows {
            writer: ArrowWriter::try_new(out, Arc::clone(&schema), Some(props))?,
            schema,
            extra_names: extra_names.to_vec(),
            strings: STRING_COLUMNS
                .iter()
                .map(|_| StringBuilder::new())
                .collect(),
            stats: RowStats::NAMES
                .iter()
                .map(|_| Int64Builder::new())
                .collect(),
            extras: extra_names.iter().map(|_| StringBuilder::new()).collect(),
            report: report.then(StringBuilder::new),
            rows: 0,
        })
    }

    /// Adds a row, with the id of the row it duplicates. A passed-through field without
    /// a column of its own is left out.
    pub fn push(&mut self, row: &Row, dup_of: Option<&str>) -> Result<()> {
        let values = [
            Some(row.id.as_str()),
            row.url.as_deref(),
            row.site.as_deref(),
            row.title.as_deref(),
            Some(row.format),
            Some(row.text.as_str()),
            dup_of,
        ];
        for (builder, value) in self.strings.iter_mut().zip(values) {
            builder.append_option(value);
        }
        for (builder, value) in self.stats.iter_mut().zip(row.stats.values()) {
            builder.append_value(i64::try_from(value).unwrap_or(i64::MAX));
        }
        for (builder, name) in self.extras.iter_mut().zip(&self.extra_names) {
            builder.append_option(row.extra.iter().find(|(n, _)| n == name).map(|(_, v)| v));
        }
        if let Some(builder) = &mut self.report {
            builder.append_option(row.report.as_deref());
        }
        self.rows += 1;
        if self.rows >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut columns: Vec<ArrayRef> = self
            .strings
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let stats: Vec<ArrayRef> = self
            .stats
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        columns.push(Arc::new(StructArray::new(stats_fields(), stats, None)));
        columns.extend(
            self.extras
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        if let Some(b) = &mut self.report {
            columns.push(Arc::new(b.finish()));
        }
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), columns)?;
        self.writer.write(&batch)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes what is left and the footer; gives back the output (not flushed).
    pub fn finish(mut self) -> Result<W> {
        self.flush()?;
        self.writer.into_inner()
    }
}

fn stats_fields() -> Fields {
    RowStats::NAMES
        .iter()
        .map(|n| Field::new(*n, DataType::Int64, false))
        .collect()
}
