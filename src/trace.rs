//! Stage timings for whoever tunes the pipeline: with `HANDBOOK_TRACE` set in the
//! environment, each traced step prints how long it took to stderr. Off, a span
//! costs one relaxed load.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("HANDBOOK_TRACE").is_some())
}

/// Prints its name and age when dropped, if tracing is on.
pub struct Span {
    name: &'static str,
    started: Option<Instant>,
}

pub fn span(name: &'static str) -> Span {
    Span {
        name,
        started: enabled().then(Instant::now),
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            eprintln!(
                "trace: {:<24} {:>8.2} ms",
                self.name,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
