//! Batch speed and memory: N talk notices from one .xlsx → N PDFs, N DOCX and the merged
//! PDF, through the real `jiandu` binary; one name in fifty has a rare character, so the
//! fallback font is loaded and embedded. Peak memory is the process's VmHWM (Linux).
//!
//! Run: `cargo bench --bench batch` (10,000 rows; `JIANDU_BENCH_ROWS=1000` for fewer).

use std::time::{Duration, Instant};

fn make_rows(path: &std::path::Path, n: usize) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "姓名",
        "职务",
        "谈话类型",
        "谈话事由",
        "谈话日期",
        "谈话时间",
        "谈话地点",
        "联系人",
        "联系电话",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let sur = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗";
    let given = "建国志强秀英敏静丽军伟芳娜磊洋勇艳杰涛明超霞";
    let s: Vec<char> = sur.chars().collect();
    let g: Vec<char> = given.chars().collect();
    let types = ["提醒谈话", "诫勉谈话", "谈心谈话", "约谈"];
    for i in 0..n {
        let r = i as u32 + 1;
        let mut name = format!(
            "{}{}{}",
            s[i % s.len()],
            g[(i / 3) % g.len()],
            g[(i / 7) % g.len()]
        );
        // One name in fifty has a character outside the official fonts (drawn from the
        // bundled fallback font), as real rosters do.
        if i % 50 == 7 {
            name.push(['堃', '喆', '𠮷', '赟'][(i / 50) % 4]);
        }
        ws.write_string(r, 0, &name).unwrap();
        ws.write_string(r, 1, "县农业农村局副科长").unwrap();
        ws.write_string(r, 2, types[i % 4]).unwrap();
        ws.write_string(r, 3, "反映其在工作中存在落实主体责任不到位等问题")
            .unwrap();
        ws.write_string(r, 4, format!("2022-{:02}-{:02}", 3 + i % 9, 1 + i % 28))
            .unwrap();
        ws.write_string(r, 5, "上午9:00").unwrap();
        ws.write_string(r, 6, "县纪委监委机关三楼302谈话室")
            .unwrap();
        ws.write_string(r, 7, "刘晓梅").unwrap();
        ws.write_string(r, 8, "0571-8888 1234").unwrap();
    }
    wb.save(path).unwrap();
}

fn peak_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU seconds (user + system) of the waited-for children so far.
fn children_cpu() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

/// One batch of `n` rows; with `record`, every row goes to the 文书台账 too (`--ledger`).
/// Returns (wall seconds, CPU seconds).
fn run(n: usize, record: bool) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("名单.xlsx");
    make_rows(&rows, n);
    let out = dir.path().join("out");
    let merged = dir.path().join("合并.pdf");
    let t = Instant::now();
    let cpu0 = children_cpu();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .args(["batch", "talk-notice", "--rows"])
        .arg(&rows)
        .arg("-o")
        .arg(&out)
        .arg("--merge")
        .arg(&merged)
        .args([
            "--set",
            "发文机关=中共青山县纪委监委",
            "--set",
            "成文日期=2022-03-01",
        ])
        // The ledger (文号 sequences, 文书台账) in the run's folder, not the current one.
        .arg("--db")
        .arg(dir.path().join("台账.db"))
        .args(record.then_some("--ledger"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak = 0;
    loop {
        if let Some(k) = peak_kb(pid) {
            peak = peak.max(k);
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = children_cpu() - cpu0;
    let mut files = 0;
    let (mut pdf, mut docx, mut npdf, mut ndocx) = (0u64, 0u64, 0u64, 0u64);
    for e in std::fs::read_dir(&out).unwrap().flatten() {
        files += 1;
        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
        match e.path().extension().and_then(|x| x.to_str()) {
            Some("pdf") => (pdf, npdf) = (pdf + len, npdf + 1),
            Some("docx") => (docx, ndocx) = (docx + len, ndocx + 1),
            _ => {}
        }
    }
    if let Ok(keep) = std::env::var("JIANDU_BENCH_KEEP") {
        // Keep the spreadsheet, e.g. for profiling the binary on it.
        std::fs::copy(
            &rows,
            std::path::Path::new(&keep).join(format!("rows-{n}.xlsx")),
        )
        .unwrap();
    }
    let merged_mb = std::fs::metadata(&merged).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "{n} rows{}: {secs:.2} s ({:.0} notices/s; CPU {cpu:.2} s), {files} files (PDF {:.1} KB, DOCX {:.1} KB each) + merged PDF {merged_mb:.1} MB, peak memory {:.0} MB",
        if record { " recorded (--ledger)" } else { "" },
        n as f64 / secs,
        pdf as f64 / npdf.max(1) as f64 / 1e3,
        docx as f64 / ndocx.max(1) as f64 / 1e3,
        peak as f64 / 1024.0
    );
    (secs, cpu)
}

fn main() {
    let n: usize = std::env::var("JIANDU_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    // Two sizes, to state memory growth per row; then the large one recorded in the
    // 文书台账, to state what recording adds.
    run(n / 10, false);
    // Alternated, each recorded run against the plain run just before it, and the median of
    // the three ratios: the machine's load drifts between runs more than recording weighs.
    // CPU time too, which other work on the machine disturbs less than the wall clock.
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let plain = run(n, false);
        let recorded = run(n, true);
        wall.push(100.0 * (recorded.0 - plain.0) / plain.0);
        cpu.push(100.0 * (recorded.1 - plain.1) / plain.1);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "recording in the 文书台账 adds {:+.1} % wall clock, {:+.1} % CPU (medians of three pairs: wall {:+.1?} %, CPU {:+.1?} %)",
        median(&mut wall.clone()),
        median(&mut cpu.clone()),
        wall,
        cpu,
    );
}
