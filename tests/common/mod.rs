//! Helpers shared by the integration tests.

/// Runs `f` on a thread with a 1 MiB stack (smaller than a test thread's),
/// so any recursion over the input's depth shows up as an overflow here
/// rather than passing by luck.
pub fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}
