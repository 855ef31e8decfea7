//! Document numbers handed out to a batch: `代字〔年〕N号`, N continuing from a counter file
//! kept beside the output.
//!
//! The counter file is locked while numbers are handed out, so two batches sharing it never
//! give out the same number, even when run at the same time. Each number is recorded with a
//! key of the row it went to: running the same batch again (after an interruption, say)
//! gives each row the number it had, so the counter stays consistent with the files written.
//!
//! The counter is never half-written: the new state goes to a temporary file that is synced
//! and renamed over the old one, so a batch killed at any moment leaves either the old or the
//! new counter. The lock is taken on a separate, empty lock file ([`LOCK_FILE`]), because a
//! lock on the counter itself would not survive its replacement.
//!
//! File format, one line per entry, tab-separated (⇥ is a tab): `next⇥代字⇥年⇥N` (the next free
//! number) and `row⇥代字⇥年⇥N⇥key` (a number handed out).

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The name of the counter file in the output folder.
pub const COUNTER_FILE: &str = ".jiandu-文号计数.txt";
/// The lock file beside it, held while numbers are handed out.
pub const LOCK_FILE: &str = ".jiandu-文号计数.lock";
/// The temporary file the new counter is written to before it replaces the old.
const TEMP_FILE: &str = ".jiandu-文号计数.txt.part";

/// Counter state for one (代字, year).
#[derive(Debug, Default, Clone, PartialEq)]
struct Series {
    next: u32,
    assigned: BTreeMap<String, u32>,
}

fn parse(text: &str) -> BTreeMap<(String, i32), Series> {
    let mut map: BTreeMap<(String, i32), Series> = BTreeMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        match parts.as_slice() {
            ["next", code, year, n] => {
                if let (Ok(y), Ok(n)) = (year.parse(), n.parse::<u32>()) {
                    let s = map.entry((code.to_string(), y)).or_default();
                    s.next = s.next.max(n);
                }
            }
            ["row", code, year, n, key] => {
                if let (Ok(y), Ok(n)) = (year.parse(), n.parse::<u32>()) {
                    let s = map.entry((code.to_string(), y)).or_default();
                    s.assigned.insert(key.to_string(), n);
                    s.next = s.next.max(n + 1);
                }
            }
            _ => {}
        }
    }
    map
}

fn render(map: &BTreeMap<(String, i32), Series>) -> String {
    let mut out = String::from(
        "# jiandu 文号计数（请勿手工修改；删除本文件将从 1 重新编号，或用 --start 指定起始号）\n",
    );
    for ((code, year), s) in map {
        out.push_str(&format!("next\t{code}\t{year}\t{}\n", s.next));
        for (key, n) in &s.assigned {
            out.push_str(&format!("row\t{code}\t{year}\t{n}\t{key}\n"));
        }
    }
    out
}

/// A request for a number: the series and the key of the row that gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// 代字, e.g. `青纪谈`.
    pub code: String,
    /// The year in 〔〕.
    pub year: i32,
    /// A key identifying the row (its content), so a re-run gets the same number.
    pub key: String,
}

/// Hand out numbers for `requests`, in order, under the counter file in `dir`. `start`
/// sets the first number of every series involved (when it is higher than the next free
/// number, or the series is new). Returns one serial per request.
pub fn assign(dir: &Path, requests: &[Request], start: Option<u32>) -> Result<Vec<u32>> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let path = dir.join(COUNTER_FILE);
    let lock_path = dir.join(LOCK_FILE);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, &e))?;
    lock.lock()
        .map_err(|e| Error::file(&lock_path, format!("无法锁定文号计数文件（{e}）")))?;
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&path, &e)),
    };
    let mut map = parse(&text);
    let mut out = Vec::with_capacity(requests.len());
    for r in requests {
        let s = map.entry((r.code.clone(), r.year)).or_default();
        if let Some(&n) = s.assigned.get(&r.key) {
            out.push(n);
            continue;
        }
        if s.next == 0 {
            s.next = 1;
        }
        if let Some(st) = start {
            if st > s.next {
                s.next = st;
            }
        }
        let n = s.next;
        s.assigned.insert(r.key.clone(), n);
        s.next += 1;
        out.push(n);
    }
    let temp = dir.join(TEMP_FILE);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(render(&map).as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&temp, &path)
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(&path, &e));
    }
    // Unlocked when the lock file is closed.
    drop(lock);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(key: &str) -> Request {
        Request {
            code: "青纪谈".into(),
            year: 2022,
            key: key.into(),
        }
    }

    #[test]
    fn numbers_continue_and_rows_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            assign(dir.path(), &[req("a"), req("b")], None).unwrap(),
            vec![1, 2]
        );
        assert_eq!(
            assign(dir.path(), &[req("c"), req("a")], None).unwrap(),
            vec![3, 1]
        );
        assert_eq!(assign(dir.path(), &[req("d")], Some(10)).unwrap(), vec![10]);
        assert_eq!(assign(dir.path(), &[req("e")], Some(5)).unwrap(), vec![11]);
        let other = Request {
            year: 2023,
            ..req("a")
        };
        assert_eq!(assign(dir.path(), &[other], None).unwrap(), vec![1]);
    }

    #[test]
    fn concurrent_batches_never_share_a_number() {
        let dir = tempfile::tempdir().unwrap();
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let d = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    let reqs: Vec<Request> = (0..50).map(|i| req(&format!("t{t}-{i}"))).collect();
                    assign(&d, &reqs, None).unwrap()
                })
            })
            .collect();
        let mut all: Vec<u32> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort();
        assert_eq!(all, (1..=200).collect::<Vec<u32>>());
    }
}
