//! One pass over the inputs: a reader thread cuts the items into chunks, the thread
//! pool works on each chunk's documents at once, and the results come back in input
//! order to the caller's fold, on the calling thread. Three chunks at most are in
//! flight (being read, worked on, folded), so memory does not grow with the corpus.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use boildown_corpus::{items_counted, Document, Input, Item, ReadOptions};
use rayon::prelude::*;

use super::progress::Progress;

/// A chunk is cut after this many items…
const CHUNK_ITEMS: usize = 256;
/// …or this many bytes of documents.
const CHUNK_BYTES: usize = 8 << 20;

/// One item of an input, with what the work made of it (documents only).
pub struct Entry<R> {
    /// The index of its input.
    pub input: usize,
    /// The item.
    pub item: Item,
    /// The work's result for a document, or why there is none (a panic, which should
    /// not happen: it is caught so that the record is counted, not lost).
    pub result: Option<Result<R, String>>,
}

/// Reads every input in order, applies `work` to each document on the pool, and gives
/// each item, in order, to `fold`. Stops at `fold`'s first error.
pub fn run<R, W, F>(
    inputs: &[Input],
    options: &ReadOptions,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    work: W,
    mut fold: F,
) -> Result<(), String>
where
    R: Send,
    W: Fn(&Document, u64) -> R + Sync,
    F: FnMut(Entry<R>) -> Result<(), String>,
{
    let read = Arc::new(AtomicU64::new(0));
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (chunk_tx, chunk_rx) = sync_channel::<Vec<(usize, u64, Item)>>(1);
        let (done_tx, done_rx) = sync_channel::<Vec<Entry<R>>>(1);
        let reader_read = Arc::clone(&read);
        let stop = &stop;
        scope.spawn(move || {
            let (mut chunk, mut bytes, mut number) = (Vec::new(), 0usize, 0u64);
            for (i, input) in inputs.iter().enumerate() {
                for item in items_counted(input, options, Some(Arc::clone(&reader_read))) {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Item::Document(d) = &item {
                        number += 1;
                        bytes += d.body().len();
                    }
                    chunk.push((i, number, item));
                    if chunk.len() >= CHUNK_ITEMS || bytes >= CHUNK_BYTES {
                        bytes = 0;
                        if chunk_tx.send(std::mem::take(&mut chunk)).is_err() {
                            return;
                        }
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = chunk_tx.send(chunk);
            }
        });
        let work = &work;
        scope.spawn(move || {
            for chunk in chunk_rx {
                let results: Vec<Option<Result<R, String>>> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|(_, number, item)| match item {
                            Item::Document(d) => Some(
                                catch_unwind(AssertUnwindSafe(|| work(d, *number)))
                                    .map_err(panic_message),
                            ),
                            _ => None,
                        })
                        .collect()
                });
                let entries = chunk
                    .into_iter()
                    .zip(results)
                    .map(|((input, _, item), result)| Entry {
                        input,
                        item,
                        result,
                    })
                    .collect();
                if done_tx.send(entries).is_err() {
                    return;
                }
            }
        });
        let mut last_shown = Instant::now();
        while let Ok(entries) = done_rx.recv() {
            for entry in entries {
                if let Err(e) = fold(entry) {
                    stop.store(true, Ordering::Relaxed);
                    // Dropping the receiver ends the worker, whose end ends the reader.
                    drop(done_rx);
                    return Err(e);
                }
            }
            if last_shown.elapsed() >= Duration::from_millis(100) {
                progress.set_read(read.load(Ordering::Relaxed));
                last_shown = Instant::now();
            }
        }
        progress.set_read(read.load(Ordering::Relaxed));
        Ok(())
    })
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned());
    format!("internal error (please report it): {message}")
}
