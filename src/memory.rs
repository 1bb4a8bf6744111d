//! Giving the memory a build's stage freed back to the system before the next one.
//!
//! The binary's allocator is jemalloc (`main.rs`), which keeps freed pages for a
//! while to serve later allocations. Between a full build's big stages that is
//! counted twice: the workbook's hundred-odd megabytes at 10,000 chapters were still
//! held while the pages and then the search index were made, the build's peak. A
//! one-shot build purges after the exports, the finder, the pages, the search
//! index's segmenting and its merge (`render::render_all`, `search::postings`);
//! each costs page faults later, so only a large one does ([`worth_giving_back`]).
//! Watch mode never purges: its rebuilds are small and timed. Under another
//! allocator (the tests', MSVC builds) this does nothing.

/// Whether a one-shot build of `pages` pages gives memory back between its stages.
/// Each purge costs page faults later: at 1,000 chapters (54 MB at the peak) the
/// purges took 5% of the build's time; at 10,000 they take 3% and save 50 MB.
pub(crate) fn worth_giving_back(pages: usize) -> bool {
    pages >= 3_000
}

/// Returns to the system the pages jemalloc holds freed, in every arena.
pub(crate) fn give_back_freed() {
    #[cfg(not(target_env = "msvc"))]
    {
        // 4096 is MALLCTL_ARENAS_ALL: every arena.
        let name = c"arena.4096.purge";
        // SAFETY: this control reads and writes nothing (all pointers null, length
        // 0) and the name is a NUL-terminated string; an error (none is expected)
        // leaves the memory where it was.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
}
