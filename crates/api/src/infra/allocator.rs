//! The server's memory allocator, mimalloc, and how soon it gives freed memory back.

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// The environment variable with which an operator sets mimalloc's purge delay themselves.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (between `mi_option_eager_commit_delay`,
/// 14, and `mi_option_use_numa_nodes`, 16, which the bindings name): the bindings leave the
/// experimental options unnamed. A test checks it reads mimalloc's default of 1 000 ms.
const PURGE_DELAY: mi_option_t = 15;

/// Has mimalloc give memory back to the system as soon as it is freed, instead of a second later,
/// unless the operator set `MIMALLOC_PURGE_DELAY`.
///
/// Why: under 32 clients the memory freed within that second (answers, rows, JSON) piled up
/// unreturned, and the load bench's peak was 150.7–151.4 MiB; purged at once, 141.6–147.3 MiB at
/// the same throughput. Call it first in `main`, before any other thread starts: mimalloc's
/// options are plain variables, which it reads without synchronising.
pub fn return_freed_memory_at_once() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_none() {
        // SAFETY: `mi_option_set` writes one of mimalloc's option variables; the caller calls
        // it before any other thread exists, so nothing reads the variable meanwhile.
        unsafe { mi_option_set(PURGE_DELAY, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    /// How long mimalloc waits before it returns freed memory to the system, in milliseconds.
    fn purge_delay_ms() -> std::ffi::c_long {
        // SAFETY: `mi_option_get` reads one of mimalloc's option variables, initialised when the
        // program started.
        unsafe { mi_option_get(PURGE_DELAY) }
    }

    #[test]
    fn the_purge_delay_option_is_mimallocs_and_is_set_to_zero() {
        // mimalloc's default for `purge_delay`, and no other option's: the index is the right one.
        assert_eq!(purge_delay_ms(), 1000);
        return_freed_memory_at_once();
        assert_eq!(purge_delay_ms(), 0);
    }
}
