//! Progress of a pass: on a terminal, a bar (bytes read of the inputs' total, pages per
//! second, time left); without one, a line on stderr when the pass ends.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    name: &'static str,
    bar: Option<ProgressBar>,
    started: Instant,
    pages: AtomicU64,
    read: AtomicU64,
}

impl Progress {
    /// The progress of a pass named `name` over inputs of `total` bytes (if known).
    /// `quiet` shows nothing.
    pub fn start(name: &'static str, total: Option<u64>, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                "{prefix} [{bar:30}] {binary_bytes}/{binary_total_bytes} {msg}, {eta} left"
            } else {
                "{prefix} {spinner} {binary_bytes} {msg}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar.set_prefix(name);
            bar
        });
        Progress {
            name,
            bar,
            started: Instant::now(),
            pages: AtomicU64::new(0),
            read: AtomicU64::new(0),
        }
    }

    /// Bytes of the inputs read so far.
    pub fn set_read(&self, bytes: u64) {
        self.read.store(bytes, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            let pages = self.pages.load(Ordering::Relaxed);
            bar.set_message(format!(
                "{pages} pages, {:.0} pages/s",
                pages as f64 / self.started.elapsed().as_secs_f64().max(1e-9)
            ));
        }
    }

    /// One more page done.
    pub fn page(&self) {
        self.pages.fetch_add(1, Ordering::Relaxed);
    }

    /// Ends the pass: the bar is cleared, and a line says what it did (unless quiet).
    /// Returns its seconds.
    pub fn finish(self, quiet: bool) -> f64 {
        let seconds = self.started.elapsed().as_secs_f64();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !quiet {
            let pages = self.pages.load(Ordering::Relaxed);
            eprintln!(
                "boildown: {}: {pages} pages, {:.1} MB read in {seconds:.1} s ({:.0} pages/s)",
                self.name,
                self.read.load(Ordering::Relaxed) as f64 / 1e6,
                pages as f64 / seconds.max(1e-9)
            );
        }
        seconds
    }
}
