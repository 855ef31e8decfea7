//! Containing a reader that panics.
//!
//! The readers rest on crates (calamine, lopdf, zip, quick-xml) that are fuzzed upstream but
//! still panic on some malformed files (calamine's .xls reader slices past its buffer on a
//! truncated sector chain, found by our own fuzzing). A panic in one file must not end the
//! run: [`contain`] turns it into an error naming the file as damaged, so the other files and
//! rows are still processed, and keeps the panic's English message off the user's screen.
//! (A failed allocation aborts the process and cannot be contained; the readers' limits and
//! the checks before them keep allocations bounded.)

use crate::error::{Error, Result};
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`contain`] (its panics are reported as errors).
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`; a panic inside it becomes an error saying `what` is damaged.
pub fn contain<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    match result {
        Ok(r) => r,
        Err(_) => Err(Error::msg(format!(
            "{what}已损坏或格式异常，无法读取；请用原软件打开后另存一份再试"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_values_pass_through() {
        let e = contain("表格文件", || -> Result<()> {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            let _ = &v[..i];
            Ok(())
        })
        .unwrap_err();
        assert!(e.message.contains("表格文件已损坏"), "{}", e.message);
        assert_eq!(contain("x", || Ok(5)).unwrap(), 5);
        assert!(contain("x", || -> Result<()> { Err(Error::msg("原因")) })
            .unwrap_err()
            .message
            .contains("原因"));
    }
}
