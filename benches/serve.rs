//! The workbench's speed, through a real server on 127.0.0.1 and a real HTTP client: the
//! page, a 10 KB plan's round trip (upload, reading, the table's JSON), a PDF preview, and a
//! 1,000-row batch while a second client keeps asking for pages (their slowest answer is
//! what a clerk on another tab would wait).
//!
//! Run: `cargo bench --bench serve` (`JIANDU_BENCH_ROWS=200` for a smaller batch).
//! Targets (issue 16): a plan's round trip under 300 ms, a preview under 200 ms.

use jiandu::serve::{Config, Server};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Client {
    base: String,
    token: String,
    workspace: String,
    agent: ureq::Agent,
}

impl Client {
    fn get(&self, path: &str) -> Vec<u8> {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("X-Jiandu-Token", &self.token)
            .header("X-Workspace", &self.workspace)
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        r.body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap()
    }

    fn post(&self, path: &str, name: Option<&str>, body: &[u8]) -> Vec<u8> {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("X-Jiandu-Token", &self.token)
            .header("X-Workspace", &self.workspace);
        if let Some(n) = name {
            req = req.header("X-File-Name", n);
        }
        let mut r = req.send(body).unwrap();
        let status = r.status().as_u16();
        let out = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&out));
        out
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn roster(n: usize) -> Vec<u8> {
    let mut s =
        String::from("姓名,职务,谈话类型,谈话事由,谈话日期,谈话时间,谈话地点,联系人,联系电话\n");
    let sur: Vec<char> = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗".chars().collect();
    let given: Vec<char> = "建国志强秀英敏静丽军伟芳娜磊洋勇艳杰涛明超霞"
        .chars()
        .collect();
    for i in 0..n {
        s.push_str(&format!(
            "{}{}{},县农业农村局副科长,提醒谈话,反映其落实主体责任不到位等问题,2022-04-{:02},上午9:00,县纪委监委机关三楼302谈话室,刘晓梅,0571-88881234\n",
            sur[i % sur.len()],
            given[(i / 3) % given.len()],
            given[(i / 7) % given.len()],
            1 + i % 28
        ));
    }
    s.into_bytes()
}

fn main() {
    let rows: usize = std::env::var("JIANDU_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let work = tempfile::tempdir().unwrap();
    let server = Server::bind(Config {
        templates: None,
        fonts: Default::default(),
        limits: Default::default(),
        work: work.path().to_path_buf(),
        ledger: work.path().join("台账.db"),
        port: 0,
        vocabulary: Default::default(),
    })
    .unwrap()
    .spawn();
    let agent = || -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into()
    };
    let mut c = Client {
        base: server.base(),
        token: server.token.clone(),
        workspace: String::new(),
        agent: agent(),
    };
    let v: Value = serde_json::from_slice(&c.post("/api/workspace", None, b"")).unwrap();
    c.workspace = v["workspace"].as_str().unwrap().to_string();

    // Warm-up: the dictionary and fonts load on first use.
    let plan = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpora/plans/003_915de415a2ba83b9.txt"
    ))
    .unwrap();
    c.post("/api/plans", Some("warm.txt"), &plan);

    let page: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            c.get("/");
            c.get("/app.js");
            c.get("/style.css");
            t.elapsed()
        })
        .collect();
    println!(
        "page with its script and style: median {}",
        ms(median(page))
    );

    let trips: Vec<Duration> = (0..20)
        .map(|i| {
            let t = Instant::now();
            c.post("/api/plans", Some(&format!("plan{i}.txt")), &plan);
            t.elapsed()
        })
        .collect();
    println!(
        "{} KB plan, upload → table JSON: median {} (target < 300 ms)",
        plan.len() / 1024,
        ms(median(trips))
    );

    let schema: Value = serde_json::from_slice(&c.get("/api/instruments/talk-notice")).unwrap();
    let data = schema["example"].to_string();
    let previews: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            c.post("/api/instruments/talk-notice/check", None, data.as_bytes());
            c.post(
                "/api/instruments/talk-notice/render?format=pdf",
                None,
                data.as_bytes(),
            );
            t.elapsed()
        })
        .collect();
    println!(
        "preview (check + PDF of a 谈话通知书): median {} (target < 200 ms)",
        ms(median(previews))
    );

    let table: Value = serde_json::from_slice(&c.post(
        "/api/batch/tables?instrument=talk-notice",
        Some("roster.csv"),
        &roster(rows),
    ))
    .unwrap();
    let req = json!({
        "table": table["table"],
        "instrument": "talk-notice",
        "shared": { "发文机关": "中共青山县纪委监委", "成文日期": "2022-03-01" },
        "formats": ["pdf"],
        "merge": true,
    });
    let t = Instant::now();
    let job: Value =
        serde_json::from_slice(&c.post("/api/batch/run", None, req.to_string().as_bytes()))
            .unwrap();
    let job = job["job"].as_str().unwrap().to_string();
    let other = Client {
        base: c.base.clone(),
        token: c.token.clone(),
        workspace: c.workspace.clone(),
        agent: agent(),
    };
    let mut waits = Vec::new();
    loop {
        let s: Value = serde_json::from_slice(&c.get(&format!("/api/jobs/{job}"))).unwrap();
        let a = Instant::now();
        other.get("/");
        other.get("/api/plans");
        waits.push(a.elapsed());
        match s["state"].as_str().unwrap() {
            "done" => break,
            "failed" => panic!("{s}"),
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let took = t.elapsed();
    waits.sort();
    println!(
        "{rows}-row batch (PDF each + merged): {:.1} s, {:.0} rows/s; meanwhile page + plan list answered in median {}, slowest {}",
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
        ms(waits[waits.len() / 2]),
        ms(*waits.last().unwrap())
    );
}
