//! Stage timings for whoever tunes the pipeline: with `HANDBOOK_TRACE` set in the
//! environment, each traced step prints how long it took to stderr. Off, a span
//! costs one relaxed load.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        ORIGIN.get_or_init(Instant::now);
        std::env::var_os("HANDBOOK_TRACE").is_some()
    })
}

/// When the first span was asked for: spans say when they started from it, to see
/// which ran side by side.
static ORIGIN: OnceLock<Instant> = OnceLock::new();

/// Prints its name and age when dropped, if tracing is on.
pub(crate) struct Span {
    name: &'static str,
    started: Option<(Instant, f64)>,
}

pub(crate) fn span(name: &'static str) -> Span {
    Span {
        name,
        started: enabled().then(|| (Instant::now(), cpu_seconds())),
    }
}

/// User and system time of the whole process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some((started, cpu)) = self.started {
            let wall = started.elapsed().as_secs_f64();
            let from = ORIGIN.get().map_or(0.0, |origin| {
                started.saturating_duration_since(*origin).as_secs_f64()
            });
            eprintln!(
                "trace: {:<24} {:>8.2} ms  cpu {:>8.2} ms  {}, from {:.2} ms",
                self.name,
                wall * 1000.0,
                (cpu_seconds() - cpu) * 1000.0,
                memory(),
                from * 1000.0
            );
        }
    }
}

/// Resident and peak memory, where the system tells (Linux).
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().trim_end_matches(" kB").trim().to_string())
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!("rss {} MB, peak {} MB", field("VmRSS:"), field("VmHWM:"))
}
