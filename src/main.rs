// A build allocates and frees millions of small strings on every thread at once
// (events, template values, search terms); jemalloc's per-thread caches serve them
// with about a tenth less CPU than the system allocator, at the same peak memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (`_RJEM_MALLOC_CONF` in the environment
/// still overrides them). A build's stages each free most of what they made, but by
/// default jemalloc gives a thread-pool's worth of arenas (8 on two cores) and keeps
/// freed pages for 10 s: memory freed in one arena was not reused by the next stage's
/// threads, and a 10,000-chapter build peaked 40 MB higher. Two arenas and a second's
/// grace cost no measurable CPU; `serve` gives memory back sooner too.
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &u8 = &b"narenas:2,dirty_decay_ms:1000\0"[0];

fn main() -> std::process::ExitCode {
    handbook::cli::main()
}
