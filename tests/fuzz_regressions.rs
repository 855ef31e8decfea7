//! Every input the fuzzers found a fault with, replayed through the same target bodies
//! (`fuzz/src/lib.rs`, included here), so a fixed crash stays fixed. The inputs live in
//! `tests/fixtures/fuzz/TARGET/`; see the README (“模糊测试”) for how they were found.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::path::Path;

/// Replay every kept input of one target; returns how many there were.
fn replay(target: &str, body: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut names: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in &names {
        let data = std::fs::read(path).unwrap();
        let result = std::panic::catch_unwind(|| body(&data));
        assert!(result.is_ok(), "{target}: {} fails again", path.display());
    }
    names.len()
}

#[test]
fn kept_fuzz_inputs_pass() {
    let counts = [
        ("txt", replay("txt", targets::txt)),
        ("docx", replay("docx", targets::docx)),
        ("pdf", replay("pdf", targets::pdf)),
        ("sheet", replay("sheet", targets::sheet)),
        ("csv", replay("csv", targets::csv)),
        ("outline", replay("outline", targets::outline)),
        ("fill", replay("fill", targets::fill)),
        ("linebreak", replay("linebreak", targets::linebreak)),
    ];
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    eprintln!("replayed {counts:?}");
    assert!(total > 0, "no kept inputs found under tests/fixtures/fuzz");
}
