//! A per-file memory budget, enforced by the global allocator.
//!
//! A parser can be made to allocate without bound: a workbook that declares a hundred trillion
//! shared strings, a spreadsheet row repeated sixteen thousand times, a content stream of two
//! hundred million operators. Such an allocation either succeeds and swamps the machine, or fails
//! and aborts the process — an abort is not a panic, and no `catch_unwind` can save the rest of
//! the scan from it. So the formats whose parsers can do this are read in reader processes
//! (`crate::isolation`), and in a reader process [`Counting`] counts every byte the process holds.
//! When one file makes it hold more than its budget, or when an allocation fails, the process ends
//! at once with [`EXIT_OVER_BUDGET`] or [`EXIT_ALLOCATION_FAILED`]; the scanner, which is not
//! counted, lists that file as `limit_exceeded` and starts a new reader.
//!
//! Counting is off until [`enable`] is called, so the scanning process pays one relaxed load per
//! allocation and nothing else.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

/// A reader process's exit code when a file went over its memory budget.
pub const EXIT_OVER_BUDGET: i32 = 87;

/// A reader process's exit code when the system refused an allocation.
pub const EXIT_ALLOCATION_FAILED: i32 = 88;

/// Whether this process counts (a reader process).
static ENABLED: AtomicBool = AtomicBool::new(false);
/// Bytes held, counted from [`enable`] (negative when memory held before is freed).
static HELD: AtomicIsize = AtomicIsize::new(0);
/// `HELD` when the current file began.
static FLOOR: AtomicIsize = AtomicIsize::new(0);
/// Bytes the current file may add above `FLOOR`.
static LIMIT: AtomicIsize = AtomicIsize::new(isize::MAX);
/// Set once the process is ending: nothing is checked any more.
static ENDING: AtomicBool = AtomicBool::new(false);

/// A global allocator that counts what the process holds, in front of `A`.
pub struct Counting<A>(pub A);

// SAFETY: every call is passed to `A` unchanged; the counting around it never unwinds.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract, passed on.
        checked(unsafe { self.0.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size());
        // SAFETY: the caller's contract, passed on.
        checked(unsafe { self.0.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) };
        refund(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            charge(new_size - layout.size());
        }
        // SAFETY: the caller's contract, passed on.
        let moved = checked(unsafe { self.0.realloc(ptr, layout, new_size) });
        if new_size < layout.size() {
            refund(layout.size() - new_size);
        }
        moved
    }
}

/// Counts `bytes` taken; ends the process when the current file is over its budget.
///
/// A reader process reads on one thread, so the counter is read and written with plain loads
/// and stores rather than read-modify-write instructions, which cost a tenth of a workbook's
/// scan: an allocation racing on another thread could only make the count drift, never make
/// memory unsafe.
#[inline]
fn charge(bytes: usize) {
    if !ENABLED.load(Relaxed) {
        return;
    }
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    let held = HELD.load(Relaxed).saturating_add(bytes);
    HELD.store(held, Relaxed);
    if held.saturating_sub(FLOOR.load(Relaxed)) > LIMIT.load(Relaxed) {
        end_process(EXIT_OVER_BUDGET);
    }
}

/// Counts `bytes` given back.
#[inline]
fn refund(bytes: usize) {
    if ENABLED.load(Relaxed) {
        let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
        HELD.store(HELD.load(Relaxed).saturating_sub(bytes), Relaxed);
    }
}

/// Passes `ptr` on; a refused allocation in a counting process ends it with its own code (the
/// standard library would abort, which the scanner could not tell from a crash).
#[inline]
fn checked(ptr: *mut u8) -> *mut u8 {
    if ptr.is_null() && ENABLED.load(Relaxed) {
        end_process(EXIT_ALLOCATION_FAILED);
    }
    ptr
}

/// Ends the process with `code` without running anything that could allocate.
fn end_process(code: i32) -> ! {
    if ENDING.swap(true, Relaxed) {
        // Already ending (an exit path allocated): go at once.
        std::process::abort();
    }
    #[cfg(unix)]
    // SAFETY: `_exit` takes no locks and allocates nothing; it never returns.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

/// Starts counting: called once, first thing, by a reader process.
pub fn enable() {
    ENABLED.store(true, Relaxed);
}

/// Begins a file that may hold at most `limit` more bytes than the process holds now.
pub fn begin_file(limit: u64) {
    FLOOR.store(HELD.load(Relaxed), Relaxed);
    LIMIT.store(isize::try_from(limit).unwrap_or(isize::MAX), Relaxed);
}

/// Ends the current file: no limit until the next one.
pub fn end_file() {
    LIMIT.store(isize::MAX, Relaxed);
}
