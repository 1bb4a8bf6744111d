// A build allocates and frees millions of small strings on every thread at once
// (events, template values, search terms); jemalloc's per-thread caches serve them
// with about a tenth less CPU than the system allocator, at the same peak memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    handbook::cli::main()
}
