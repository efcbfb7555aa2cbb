//! One pass over a stream of items (the inputs' records, or the pages prepared by the
//! first pass): a reader thread hands each item to the thread pool as a task of its
//! own, and the results come back to the caller's fold, on the calling thread, put
//! back in order. No thread waits for a slow page but the fold; at most
//! [`IN_FLIGHT`] items (and [`IN_FLIGHT_BYTES`]) are between the reader and the fold,
//! so memory does not grow with the corpus.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use boildown_corpus::{items_counted, Document, Input, Item, ReadOptions};

use super::progress::Progress;

/// At most this many items are read and not yet folded…
const IN_FLIGHT: usize = 512;
/// …and about this many bytes of them (an item is let in when less is in flight).
const IN_FLIGHT_BYTES: usize = 64 << 20;

/// One record of an input, with what the work made of it (documents only).
pub struct Entry<R> {
    /// The index of its input.
    pub input: usize,
    /// The item.
    pub item: Item,
    /// The work's result for a document, or why there is none (a panic, which should
    /// not happen: it is caught so that the record is counted, not lost).
    pub result: Option<Result<R, String>>,
}

/// Reads every input in order, applies `work` to each document (with its number among
/// the run's documents, from 1) on the pool, and gives each record, in order, to
/// `fold`. Stops at `fold`'s first error.
pub fn inputs<R, W, F>(
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
    let counter = Arc::clone(&read);
    let mut number = 0u64;
    let records = inputs.iter().enumerate().flat_map(move |(i, input)| {
        items_counted(input, options, Some(Arc::clone(&counter))).map(move |item| (i, item))
    });
    let numbered = records.map(move |(i, item)| {
        if matches!(item, Item::Document(_)) {
            number += 1;
        }
        (i, number, item)
    });
    run(
        numbered,
        |(_, _, item)| match item {
            Item::Document(d) => d.body().len(),
            _ => 0,
        },
        pool,
        |(_, number, item)| match item {
            Item::Document(d) => Some(work(d, *number)),
            _ => None,
        },
        |(input, _, item), result| {
            fold(Entry {
                input,
                item,
                result: match result {
                    Ok(Some(r)) => Some(Ok(r)),
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                },
            })
        },
        || progress.set_read(read.load(Ordering::Relaxed)),
    )
}

/// Works on every item of `source` on the pool (`size`: an item's bytes, to bound
/// what is in flight), and gives each item and its result (or the panic that the work
/// raised) to `fold`, in order; `tick` is called about ten times a second.
pub fn run<T, R, S, W, F>(
    source: S,
    size: impl Fn(&T) -> usize + Send,
    pool: &rayon::ThreadPool,
    work: W,
    mut fold: F,
    tick: impl Fn(),
) -> Result<(), String>
where
    T: Send,
    R: Send,
    S: Iterator<Item = T> + Send,
    W: Fn(&T) -> R + Sync,
    F: FnMut(T, Result<R, String>) -> Result<(), String>,
{
    let stop = AtomicBool::new(false);
    // Bytes in flight, and a permit per item in flight (the fold gives them back).
    let bytes = AtomicU64::new(0);
    let (permit_tx, permit_rx) = sync_channel::<usize>(IN_FLIGHT);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, T, Result<R, String>)>();
    std::thread::scope(|threads| {
        let (stop, bytes, work) = (&stop, &bytes, &work);
        threads.spawn(move || {
            pool.in_place_scope_fifo(|tasks| {
                for (seq, item) in (0u64..).zip(source) {
                    let n = size(&item);
                    // Wait while too many bytes are in flight (one item always goes).
                    while bytes.load(Ordering::Acquire) as usize + n > IN_FLIGHT_BYTES
                        && bytes.load(Ordering::Acquire) > 0
                        && !stop.load(Ordering::Relaxed)
                    {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    if stop.load(Ordering::Relaxed) || permit_tx.send(n).is_err() {
                        return;
                    }
                    bytes.fetch_add(n as u64, Ordering::AcqRel);
                    let done = done_tx.clone();
                    tasks.spawn_fifo(move |_| {
                        let result = if stop.load(Ordering::Relaxed) {
                            Err("stopped".to_owned())
                        } else {
                            catch_unwind(AssertUnwindSafe(|| work(&item))).map_err(panic_message)
                        };
                        let _ = done.send((seq, item, result));
                    });
                }
            });
            drop(done_tx);
        });
        // Results come in any order; they are folded in the order they were read.
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0u64;
        let mut last_tick = Instant::now();
        while let Ok((seq, item, result)) = done_rx.recv() {
            waiting.insert(seq, (item, result));
            while let Some((item, result)) = waiting.remove(&next) {
                next += 1;
                let n = permit_rx.recv().unwrap_or(0);
                bytes.fetch_sub(n as u64, Ordering::AcqRel);
                if let Err(e) = fold(item, result) {
                    stop.store(true, Ordering::Relaxed);
                    // The reader and the tasks see `stop`; what is left is dropped.
                    drop(permit_rx);
                    return Err(e);
                }
            }
            if last_tick.elapsed() >= Duration::from_millis(100) {
                tick();
                last_tick = Instant::now();
            }
        }
        tick();
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
