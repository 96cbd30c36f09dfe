//! The global allocator: mimalloc (v2), called through `libmimalloc-sys`.
//!
//! The compiler allocates many small objects (syntax trees, values), which mimalloc serves much
//! faster than the system allocator. Two things differ from the `mimalloc` crate's allocator:
//! - Layouts aligned to 8 bytes or less use `mi_malloc`: every mimalloc block is 8-aligned,
//!   and mimalloc's aligned entry point costs about three times the plain one (~5% of `schemac
//!   export` of 1000 tables).
//! - [`tune`] sets options at start-up (and the build disables transparent huge pages, feature
//!   `no_thp`), which keeps resident memory low for a process that lives milliseconds.
//!
//! Build with `--no-default-features` to use the system allocator (e.g. for heap profilers).

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every block mimalloc hands out (its word size).
const BLOCK_ALIGN: usize = 8;

pub struct MiMalloc;

// SAFETY: each method forwards to the mimalloc function with the same contract: `mi_malloc`
// returns blocks aligned to `BLOCK_ALIGN`, the `_aligned` variants honour larger alignments, and
// `mi_free` accepts any block either returned.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe {
            if layout.align() <= BLOCK_ALIGN {
                mi::mi_malloc(layout.size()) as *mut u8
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe {
            if layout.align() <= BLOCK_ALIGN {
                mi::mi_zalloc(layout.size()) as *mut u8
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            if layout.align() <= BLOCK_ALIGN {
                mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

/// mimalloc returns freed memory to the system at once instead of 10 ms later: a run of schemac
/// lasts milliseconds, so a delayed purge never happens and every page ever freed stays resident
/// (`schemac export` of 1000 tables: 18.4 MiB instead of 20.4 MiB, for about 1 ms more).
pub fn tune() {
    /// `mi_option_purge_delay` in mimalloc v2's `mi_option_t` (`libmimalloc-sys` names only some
    /// options).
    const PURGE_DELAY: mi::mi_option_t = 15;
    // SAFETY: reading and setting an option is thread-safe and valid at any time. The default
    // (10 ms) is checked first, so that a different option numbering is never written to.
    unsafe {
        if mi::mi_option_get(PURGE_DELAY) == 10 {
            mi::mi_option_set(PURGE_DELAY, 0);
        }
    }
}
