//! The ledger's speed: `jiandu ledger list` over 10,000 problems (1,000 recommendations of
//! ten problems each), through the real binary and through the library, and 10,000 文号
//! handed out in one batch's transaction.
//!
//! Run: `cargo bench --bench ledger`.

use jiandu::model::ledger::{Ledger, NewItem, NewRecommendation, NumberRequest};
use jiandu::model::progress::Day;
use std::time::Instant;

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::new(y, m, d).unwrap()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.db");
    let mut l = Ledger::open(&db).unwrap();
    let t = Instant::now();
    for r in 0..1000 {
        let rec = NewRecommendation {
            doc_number: format!("青纪建〔2022〕{}号", r + 1),
            kind: "纪检监察建议书".into(),
            recipient: format!("中共青山县第{}局党组", r % 40 + 1),
            issuer: "中共青山县纪委监委".into(),
            issue_date: day(2022, 6, 15),
            items: (0..10)
                .map(|i| NewItem {
                    problem: format!(
                        "第{i}个问题：村级财务公开不及时，集体资产台账不全，合同管理不规范。"
                    ),
                    suggestion: "按季度公开村级财务，全面清查集体资产，规范合同管理。".into(),
                    unit: format!("中共青山县第{}局党组", r % 40 + 1),
                    deadline: day(2022, 7, 15 + (i % 10) as u32),
                })
                .collect(),
        };
        l.add(&rec, day(2022, 6, 15)).unwrap();
    }
    println!(
        "filled 10,000 problems in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    // Library: list all, as-of a day when half are overdue.
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let rows = l.list(day(2022, 7, 20), false).unwrap();
        assert_eq!(rows.len(), 10_000);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "Ledger::list of 10,000 rows: {:.1} ms (best of 5)",
        best * 1e3
    );
    drop(l);
    // The command, from process start, its table to a null sink.
    for args in [
        vec!["list"],
        vec!["list", "--overdue"],
        vec!["list", "--json"],
    ] {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_jiandu"))
                .arg("ledger")
                .arg("--db")
                .arg(&db)
                .args(&args)
                .args(["--as-of", "2022-07-20"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(o.success());
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "jiandu ledger {} over 10,000 rows: {:.1} ms from process start (best of 5)",
            args.join(" "),
            best * 1e3
        );
    }
    // SHA-256 of the files a batch records (its cost per notice: about 86 KB of PDF and DOCX).
    let bytes = vec![0x5au8; 64 << 20];
    let t = Instant::now();
    let h = jiandu::model::ledger::sha256_hex(&bytes);
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(h.len(), 64);
    println!(
        "SHA-256: {:.0} MB/s ({:.2} ms per notice of 86 KB)",
        64.0 * 1.048_576 / secs,
        86e3 / (64.0 * 1.048_576e6 / secs) * 1e3
    );
    // 10,000 numbers in one transaction, as a batch of 10,000 rows takes them.
    let mut l = Ledger::open(&db).unwrap();
    let reqs: Vec<NumberRequest> = (0..10_000)
        .map(|i| NumberRequest {
            code: "青纪谈".into(),
            year: 2022,
            key: format!("{i}-{i:016x}"),
        })
        .collect();
    let t = Instant::now();
    let a = l
        .assign_numbers(&reqs, None, None, day(2022, 3, 1))
        .unwrap();
    assert_eq!(a.serials.len(), 10_000);
    println!(
        "10,000 文号 handed out in {:.1} ms; again (the same keys) {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3,
        {
            let t = Instant::now();
            l.assign_numbers(&reqs, None, None, day(2022, 3, 1))
                .unwrap();
            t.elapsed().as_secs_f64() * 1e3
        }
    );
}
