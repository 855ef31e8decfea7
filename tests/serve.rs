//! The web workbench's API against a real server on 127.0.0.1: access, plans and their
//! corrections read back from the downloaded checklist, instrument forms, batches, and two
//! tabs that do not see each other's work.

use jiandu::serve::{Config, Running, Server};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const SEED1: &str = "corpora/plans/001_7a548ebd6d4d31cb.txt";

fn start(work: &Path) -> Running {
    Server::bind(Config {
        templates: None,
        fonts: Default::default(),
        limits: Default::default(),
        work: work.to_path_buf(),
        ledger: work.join("台账.db"),
        port: 0,
        vocabulary: Default::default(),
    })
    .expect("server binds")
    .spawn()
}

/// A client of one tab: the token and its workspace on every request.
struct Tab {
    base: String,
    token: String,
    workspace: String,
    agent: ureq::Agent,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

impl Tab {
    fn open(s: &Running) -> Tab {
        let mut t = Tab {
            base: s.base(),
            token: s.token.clone(),
            workspace: String::new(),
            agent: agent(),
        };
        let (status, v) = t.post_json("/api/workspace", &json!({}));
        assert_eq!(status, 200, "{v}");
        t.workspace = v["workspace"].as_str().unwrap().to_string();
        t
    }

    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("X-Jiandu-Token", &self.token)
            .header("X-Workspace", &self.workspace)
            .call()
            .unwrap();
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        (status, body)
    }

    fn get_json(&self, path: &str) -> (u16, Value) {
        let (s, b) = self.get(path);
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    fn post(&self, path: &str, name: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("X-Jiandu-Token", &self.token)
            .header("X-Workspace", &self.workspace);
        if let Some(n) = name {
            let encoded = jiandu::text::percent_encode(n, b".");
            req = req.header("X-File-Name", encoded);
        }
        let mut r = req
            .content_type("application/octet-stream")
            .send(body)
            .unwrap();
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        (status, body)
    }

    fn post_json(&self, path: &str, v: &Value) -> (u16, Value) {
        let (s, b) = self.post(path, None, v.to_string().as_bytes());
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    fn upload(&self, path: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
        let (s, b) = self.post(path, Some(name), bytes);
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }
}

/// A raw HTTP request (for headers a client library sets itself, such as Host).
fn raw(s: &Running, request: &str) -> String {
    let mut c = std::net::TcpStream::connect(s.addr).unwrap();
    c.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = c.read_to_string(&mut out);
    out
}

#[test]
fn only_this_machine_with_the_token_gets_in() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let a = agent();
    // No token: refused, in Chinese.
    let mut r = a
        .get(format!("{}/api/instruments", s.base()))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body = r.body_mut().read_to_string().unwrap();
    assert!(body.contains("完整地址"), "{body}");
    // The bare address, as a person opens it: a page saying what to do.
    let mut r = a.get(format!("{}/", s.base())).call().unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body = r.body_mut().read_to_string().unwrap();
    assert!(
        body.contains("<h1>需要访问口令</h1>") && body.contains("token="),
        "{body}"
    );
    // The first page's address carries the token: it becomes a cookie.
    let mut r = a
        .get(format!("{}/?token={}", s.base(), s.token))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let _ = r.body_mut().read_to_string();
    let pair = cookie.split(';').next().unwrap().to_string();
    let mut r = a
        .get(format!("{}/", s.base()))
        .header("Cookie", &pair)
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let page = r.body_mut().read_to_string().unwrap();
    assert!(page.contains("工作要点 → 任务清单") && page.contains("/app.js"));
    // The page's script and style come from the binary; nothing from elsewhere.
    for asset in ["/app.js", "/style.css"] {
        let mut r = a
            .get(format!("{}{asset}", s.base()))
            .header("Cookie", &pair)
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{asset}");
        let text = r.body_mut().read_to_string().unwrap();
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{asset} loads from outside"
        );
    }
    assert!(!page.contains("http://") && !page.contains("https://"));
    // A wrong token, and a request for another host name (DNS rebinding), are refused.
    let mut r = a
        .get(format!("{}/", s.base()))
        .header("X-Jiandu-Token", "0".repeat(32))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let _ = r.body_mut().read_to_string();
    let reply = raw(
        &s,
        &format!(
            "GET /api/instruments HTTP/1.1\r\nHost: evil.example:{}\r\nX-Jiandu-Token: {}\r\nConnection: close\r\n\r\n",
            s.addr.port(),
            s.token
        ),
    );
    assert!(reply.starts_with("HTTP/1.1 403"), "{reply}");
    assert!(reply.contains("只接受本机地址"), "{reply}");
    // localhost is this machine.
    let reply = raw(
        &s,
        &format!(
            "GET /api/instruments HTTP/1.1\r\nHost: localhost:{}\r\nX-Jiandu-Token: {}\r\nConnection: close\r\n\r\n",
            s.addr.port(),
            s.token
        ),
    );
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    // The server listens on loopback only.
    assert!(s.addr.ip().is_loopback());
}

/// The rows of the first sheet of an XLSX, as text.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn a_plan_becomes_a_checklist_with_the_clerks_corrections() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let plan = std::fs::read(root(SEED1)).unwrap();
    let (status, v) = tab.upload("/api/plans", "示例工作要点.txt", &plan);
    assert_eq!(status, 200, "{v}");
    let p = &v["plan"];
    // The same reading as the command line: 20 items, of which the tasks are the leaves.
    let items = p["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let leaves = items.iter().filter(|i| i["group"] == false).count();
    assert_eq!(p["tasks"], leaves);
    assert_eq!(p["year"], 2022);
    let pid = p["id"].as_str().unwrap().to_string();
    let task = items.iter().find(|i| i["group"] == false).unwrap();
    let tid = task["id"].as_str().unwrap().to_string();
    let other = items.iter().filter(|i| i["group"] == false).nth(1).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Corrections: a unit, a deadline, a category; a row that is no task.
    for (field, value) in [
        ("responsible", "驻局纪检监察组、局机关党委"),
        ("deadline", "6月底前"),
        ("category", "作风建设"),
    ] {
        let (status, v) = tab.post_json(
            &format!("/api/plans/{pid}/corrections"),
            &json!({ "task": tid, "field": field, "value": value }),
        );
        assert_eq!(status, 200, "{field}: {v}");
    }
    let (status, v) = tab.post_json(
        &format!("/api/plans/{pid}/corrections"),
        &json!({ "task": other, "field": "not_task", "value": "是" }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["plan"]["items"].as_array().unwrap().len(), 19);
    // A value the cell does not take is refused, naming the row and the cell.
    let (status, v) = tab.post_json(
        &format!("/api/plans/{pid}/corrections"),
        &json!({ "task": tid, "field": "category", "value": "没有这类" }),
    );
    assert_eq!(status, 422);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("的类别“没有这类”不在分类中"),
        "{v}"
    );

    // The downloaded checklist has them.
    let (status, xlsx) = tab.get("/api/checklist?format=xlsx");
    assert_eq!(status, 200);
    let rows = sheet_rows(&xlsx);
    let text = rows
        .iter()
        .map(|r| r.join("|"))
        .collect::<Vec<_>>()
        .join("\n");
    // (The checklist writes units in their canonical form: 驻局纪检监察组 → 派驻纪检监察组.)
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("局机关党委")))
        .unwrap_or_else(|| panic!("no corrected row in {text}"));
    let line = row.join("|");
    assert!(line.contains("6月底前（2022年6月30日）"), "{line}");
    assert!(line.contains("作风建设"), "{line}");
    let numbered = rows.iter().filter(|r| r[0].parse::<u32>().is_ok()).count();
    assert_eq!(numbered, leaves - 1, "{text}");
    for format in ["docx", "csv"] {
        let (status, bytes) = tab.get(&format!("/api/checklist?format={format}"));
        assert_eq!(status, 200, "{format}");
        assert!(bytes.len() > 500, "{format}");
    }
    let (_, csv) = tab.get("/api/checklist?format=csv");
    assert!(String::from_utf8_lossy(&csv).contains("局机关党委"));

    // Another tab sees none of it, and cannot reach it.
    let other_tab = Tab::open(&s);
    let (status, v) = other_tab.get_json("/api/plans");
    assert_eq!(status, 200);
    assert_eq!(v["plans"].as_array().unwrap().len(), 0);
    let (status, _) = other_tab.post_json(
        &format!("/api/plans/{pid}/corrections"),
        &json!({ "task": tid, "field": "title", "value": "改掉" }),
    );
    assert_eq!(status, 404);

    // A reload (and a restarted server over the same folder) finds the corrections.
    drop(s);
    let s = start(work.path());
    let again = Tab {
        base: s.base(),
        token: s.token.clone(),
        workspace: tab.workspace.clone(),
        agent: agent(),
    };
    let (status, v) = again.get_json("/api/plans");
    assert_eq!(status, 200, "{v}");
    let items = v["plans"][0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 19);
    let fixed = items.iter().find(|i| i["id"] == tid.as_str()).unwrap();
    assert_eq!(fixed["responsible"], "驻局纪检监察组、局机关党委");
    assert_eq!(fixed["category"], "作风建设");
}

#[test]
fn a_bad_upload_is_explained_and_leaves_nothing() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let (status, v) = tab.upload("/api/plans", "坏文件.pdf", b"not a pdf at all");
    assert_eq!(status, 400);
    let msg = v["error"].as_str().unwrap();
    assert!(
        msg.starts_with("坏文件.pdf：") && msg.contains("PDF"),
        "{msg}"
    );
    let (status, v) = tab.upload("/api/plans", "说明.exe", b"MZ");
    assert_eq!(status, 400);
    assert!(
        v["error"].as_str().unwrap().contains("无法识别的文件类型"),
        "{v}"
    );
    let (_, v) = tab.get_json("/api/plans");
    assert_eq!(v["plans"].as_array().unwrap().len(), 0);
    let plans = work.path().join(&tab.workspace).join("plans");
    let left = std::fs::read_dir(&plans).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "folders left in {}", plans.display());
    // A file name cannot leave the workspace.
    let (status, v) = tab.upload(
        "/api/plans",
        "../../逃出去.txt",
        "一、总体要求\n".as_bytes(),
    );
    assert_eq!(status, 200, "{v}");
    assert!(!work.path().join("逃出去.txt").exists());
    assert_eq!(v["plan"]["name"], "逃出去.txt");
    // Bad JSON and unknown workspaces get an answer, and the server goes on.
    let (status, _) = tab.post("/api/plans/p1/corrections", None, b"{not json");
    assert!((400..500).contains(&status), "{status}");
    let stranger = Tab {
        workspace: "../../etc".to_string(),
        base: tab.base.clone(),
        token: tab.token.clone(),
        agent: agent(),
    };
    let (status, v) = stranger.get_json("/api/plans");
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("工作区"), "{v}");
    let (status, _) = tab.get_json("/api/plans");
    assert_eq!(status, 200);
}

#[test]
fn an_instrument_form_is_checked_and_rendered() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let (status, v) = tab.get_json("/api/instruments");
    assert_eq!(status, 200);
    let names: Vec<&str> = v["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"谈话通知书"), "{names:?}");
    let (status, schema) = tab.get_json("/api/instruments/talk-notice");
    assert_eq!(status, 200);
    let fields = schema["fields"].as_array().unwrap();
    let date = fields
        .iter()
        .find(|f| f["key"] == "date")
        .expect("谈话日期");
    assert_eq!(date["kind"], "date");
    assert!(fields.iter().any(|f| f["required"] == true));
    let mut data = schema["example"].clone();
    assert!(data.as_object().unwrap().len() > 5, "{data}");

    // A date that does not exist: the message names the field, as the CLI says it.
    data["date"] = json!("2022-02-30");
    let (status, v) = tab.post_json("/api/instruments/talk-notice/check", &data);
    assert_eq!(status, 200);
    let errors = v["errors"].as_array().unwrap();
    let e = errors
        .iter()
        .find(|e| e["field"] == "date")
        .expect("a date error");
    assert!(e["message"].as_str().unwrap().contains("谈话日期"), "{e}");
    let (status, v) = tab.post_json("/api/instruments/talk-notice/render?format=pdf", &data);
    assert_eq!(status, 422);
    assert!(v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "date"));

    // Fixed: a PDF and a DOCX.
    data["date"] = json!("2022-03-08");
    let (status, pdf) = tab.post(
        "/api/instruments/talk-notice/render?format=pdf",
        None,
        data.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(!doc.get_pages().is_empty());
    let (status, docx) = tab.post(
        "/api/instruments/talk-notice/render?format=docx",
        None,
        data.to_string().as_bytes(),
    );
    assert_eq!(status, 200);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("谈话通知书"), "document.xml lacks the title");
    // An unknown instrument.
    let (status, v) = tab.get_json("/api/instruments/no-such");
    assert_eq!(status, 404);
    assert!(v["error"].as_str().is_some());
}

/// The first `n` people of the batch fixture, as CSV.
fn people(n: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(root("tests/fixtures/batch/talk-200.csv")).unwrap();
    // (Row 11 of the fixture has a 谈话类型 the form does not offer, on purpose.)
    let lines: Vec<String> = text
        .lines()
        .take(n + 1)
        .map(|l| l.replace("批评谈话", "提醒谈话"))
        .collect();
    (lines.join("\n") + "\n").into_bytes()
}

fn shared() -> Value {
    json!({ "发文机关": "中共青山县纪委监委", "成文日期": "2022-03-01" })
}

/// Run a batch and wait for it, checking that other requests are answered meanwhile.
fn run_batch(tab: &Tab, table: &str, extra: Value) -> Value {
    let mut req = json!({
        "table": table,
        "instrument": "talk-notice",
        "shared": shared(),
        "formats": ["pdf"],
        "merge": true,
    });
    for (k, v) in extra.as_object().unwrap() {
        req[k] = v.clone();
    }
    let (status, v) = tab.post_json("/api/batch/run", &req);
    assert_eq!(status, 200, "{v}");
    let job = v["job"].as_str().unwrap().to_string();
    for _ in 0..1200 {
        let (status, s) = tab.get_json(&format!("/api/jobs/{job}"));
        assert_eq!(status, 200, "{s}");
        // Other pages stay answered while it runs.
        let (status, _) = tab.get_json("/api/instruments");
        assert_eq!(status, 200);
        match s["state"].as_str().unwrap() {
            "done" => return json!({ "job": job, "result": s["result"] }),
            "failed" => panic!("batch failed: {s}"),
            _ => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
    panic!("batch did not finish");
}

#[test]
fn a_batch_is_checked_then_run_to_a_zip() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let (status, v) = tab.upload(
        "/api/batch/tables?instrument=talk-notice",
        "名单.csv",
        &people(20),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["rows"], 20);
    let table = v["table"].as_str().unwrap().to_string();
    let headers = v["headers"].as_array().unwrap();
    let name = headers.iter().find(|h| h["header"] == "姓名").unwrap();
    assert_eq!(name["key"], "name");
    // Without the shared 发文机关 and 成文日期 every row misses them: seen before running.
    assert_eq!(v["valid"], 0, "{v}");
    assert!(v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["column"].as_str().unwrap().contains("发文机关")));
    let (status, v) = tab.post_json(
        "/api/batch/inspect",
        &json!({ "table": table, "instrument": "talk-notice", "shared": shared() }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["valid"], 20, "{v}");
    assert_eq!(v["bad_rows"], 0);

    let done = run_batch(&tab, &table, json!({}));
    let r = &done["result"];
    assert_eq!(r["made"], 20, "{r}");
    assert_eq!(r["bad_rows"], 0);
    let job = done["job"].as_str().unwrap();
    let (status, zip) = tab.get(&format!("/api/jobs/{job}/download"));
    assert_eq!(status, 200);
    let z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let pdfs: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    assert_eq!(pdfs.len(), 21, "{pdfs:?}");
    assert!(pdfs.iter().any(|n| n.starts_with("001-卢丽英")), "{pdfs:?}");
    let merged = r["merged"].as_str().unwrap();
    let (status, pdf) = tab.get(&format!("/api/jobs/{job}/download?file={}", enc(merged)));
    assert_eq!(status, 200);
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(doc.get_pages().len() >= 20);
    // A file outside the job's folder cannot be asked for.
    let (status, _) = tab.get(&format!("/api/jobs/{job}/download?file={}", enc("../../x")));
    assert_eq!(status, 400);
    // Another tab cannot see the job.
    let other = Tab::open(&s);
    let (status, _) = other.get_json(&format!("/api/jobs/{job}"));
    assert_eq!(status, 404);
}

fn enc(s: &str) -> String {
    jiandu::text::percent_encode(s, b"")
}

#[test]
fn a_batch_with_bad_rows_reports_them() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let mut csv = String::from_utf8(people(5)).unwrap();
    csv = csv.replacen("2022-04-02", "2022-13-02", 1);
    let (status, v) = tab.upload(
        "/api/batch/tables?instrument=talk-notice",
        "名单.csv",
        csv.as_bytes(),
    );
    assert_eq!(status, 200, "{v}");
    let table = v["table"].as_str().unwrap().to_string();
    let done = run_batch(&tab, &table, json!({ "formats": ["pdf", "docx"] }));
    let r = &done["result"];
    assert_eq!(r["made"], 4, "{r}");
    assert_eq!(r["bad_rows"], 1);
    let f = &r["failures"][0];
    assert_eq!(f["row"], 2);
    assert_eq!(f["column"], "谈话日期");
    assert_eq!(r["report"], "错误报告.xlsx");
    let job = done["job"].as_str().unwrap();
    let (status, xlsx) = tab.get(&format!(
        "/api/jobs/{job}/download?file={}",
        enc("错误报告.xlsx")
    ));
    assert_eq!(status, 200);
    let rows = sheet_rows(&xlsx);
    assert!(
        rows.iter()
            .any(|r| r.first().map(String::as_str) == Some("2")),
        "{rows:?}"
    );
    // A table that is not one.
    let (status, v) = tab.upload(
        "/api/batch/tables?instrument=talk-notice",
        "名单.xlsx",
        b"PK\x03\x04broken",
    );
    assert_eq!(status, 400);
    assert!(
        v["error"].as_str().unwrap().starts_with("名单.xlsx："),
        "{v}"
    );
}

#[test]
fn the_ledger_follows_a_recommendation_until_it_is_closed() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let (status, schema) = tab.get_json("/api/instruments/recommendation");
    assert_eq!(status, 200);
    let mut data = schema["example"].clone();
    data["issue_date"] = json!("2022-03-01");
    let (status, v) = tab.post_json("/api/ledger/add", &data);
    assert_eq!(status, 200, "{v}");
    let n = v["items"].as_u64().unwrap();
    assert!(n >= 2, "{v}");
    let doc = v["doc_number"].as_str().unwrap().to_string();
    // Recorded twice: refused, not doubled.
    let (status, v) = tab.post_json("/api/ledger/add", &data);
    assert_eq!(status, 400, "{v}");
    assert!(v["error"].as_str().is_some());

    // Due 30 days after 2022-03-01: overdue by now, not on 2022-03-15.
    let (_, v) = tab.get_json("/api/ledger?overdue=1");
    assert_eq!(v["rows"].as_array().unwrap().len() as u64, n, "{v}");
    assert_eq!(v["rows"][0]["status"], "逾期");
    let (_, v) = tab.get_json("/api/ledger?overdue=1&as_of=2022-03-15");
    assert_eq!(v["rows"].as_array().unwrap().len(), 0, "{v}");

    // Feedback on item 1: rectified, no longer overdue; a bad date is named.
    let (status, v) = tab.post_json(
        "/api/ledger/feedback",
        &json!({ "doc_number": doc, "seq": 1, "status": "已整改", "feedback_date": "2022年3月28日", "note": "已提交整改报告" }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["changed"], 1);
    let (status, v) = tab.post_json(
        "/api/ledger/feedback",
        &json!({ "doc_number": doc, "seq": 2, "feedback_date": "2022-02-30" }),
    );
    assert_eq!(status, 400);
    assert!(
        v["error"].as_str().unwrap().starts_with("反馈日期："),
        "{v}"
    );
    let (status, v) = tab.post_json(
        "/api/ledger/feedback",
        &json!({ "doc_number": "没有的文号", "status": "已反馈" }),
    );
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("没有的文号"), "{v}");
    let (_, v) = tab.get_json("/api/ledger?overdue=1");
    assert_eq!(v["rows"].as_array().unwrap().len() as u64, n - 1);
    let (_, v) = tab.get_json("/api/ledger");
    let first = &v["rows"][0];
    assert_eq!(first["status"], "已整改");
    assert_eq!(first["feedback_date"], "2022-03-28");
    assert!(first["notes"].as_str().unwrap().contains("已提交整改报告"));

    // Exported as offices keep it.
    let (status, xlsx) = tab.get("/api/ledger/export");
    assert_eq!(status, 200);
    let rows = sheet_rows(&xlsx);
    let text = rows
        .iter()
        .map(|r| r.join("|"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains(&doc) && text.contains("已整改") && text.contains("逾期"),
        "{text}"
    );
    // The ledger is the file the server was given, shared by every tab.
    assert!(work.path().join("台账.db").is_file());
    let other = Tab::open(&s);
    let (_, v) = other.get_json("/api/ledger");
    assert_eq!(v["total"].as_u64().unwrap(), n);
}

#[test]
fn the_workbench_numbers_records_and_reminds_like_the_command_line() {
    use sha2::Digest;
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);

    // 取文号: the ledger's sequence of the template's 代字; the same data gets the same
    // number again, other data the next one; data that fails its check takes none.
    let (_, schema) = tab.get_json("/api/instruments/talk-notice");
    let mut data = schema["example"].clone();
    data.as_object_mut().unwrap().remove("doc_number");
    data["issue_date"] = json!("2022-05-06");
    let (status, v) = tab.post_json("/api/instruments/talk-notice/number", &data);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["given"], true);
    let first = v["doc_number"].as_str().unwrap().to_string();
    assert!(first.ends_with("〔2022〕1号"), "{first}");
    let (_, again) = tab.post_json("/api/instruments/talk-notice/number", &data);
    assert_eq!(again["doc_number"], first.as_str());
    let mut other = data.clone();
    other["name"] = json!("李四");
    let (_, v) = tab.post_json("/api/instruments/talk-notice/number", &other);
    assert!(
        v["doc_number"].as_str().unwrap().ends_with("〔2022〕2号"),
        "{v}"
    );
    let mut bad = data.clone();
    bad["issue_date"] = json!("2022-02-30");
    let (status, v) = tab.post_json("/api/instruments/talk-notice/number", &bad);
    assert_eq!(status, 422, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("请先改正再取文号"),
        "{v}"
    );

    // Downloaded with 记入文书台账: the 文书台账 names the kept file and its hash, which is
    // the hash of what was downloaded.
    data["doc_number"] = json!(first);
    let (status, pdf) = tab.post(
        "/api/instruments/talk-notice/render?format=pdf&download=1&record=1",
        None,
        data.to_string().as_bytes(),
    );
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF"));
    let (_, v) = tab.get_json("/api/ledger/issued");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(rows[0]["文号"], first.as_str());
    assert_eq!(rows[0]["文种"], "谈话通知书");
    let file = &rows[0]["文件"][0];
    let hex: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file["SHA-256"], hex.as_str());
    assert_eq!(file["字节数"].as_u64().unwrap() as usize, pdf.len());
    let kept = PathBuf::from(file["路径"].as_str().unwrap());
    assert!(kept.starts_with(std::fs::canonicalize(work.path()).unwrap()));
    assert_eq!(std::fs::read(&kept).unwrap(), pdf);
    // Made again: nothing new in the 文书台账.
    tab.post(
        "/api/instruments/talk-notice/render?format=pdf&download=1&record=1",
        None,
        data.to_string().as_bytes(),
    );
    let (_, v) = tab.get_json("/api/ledger/issued");
    assert_eq!(v["rows"].as_array().unwrap().len(), 1, "{v}");

    // 督办提醒: a recommendation of 2022-03-01 is due on 03-31; on 04-10 it is 10 days
    // overdue, and its unit gets one 督办通知书 (PDF, Word, data file), numbered.
    let (_, schema) = tab.get_json("/api/instruments/recommendation");
    let mut rec = schema["example"].clone();
    rec["issue_date"] = json!("2022-03-01");
    let (status, v) = tab.post_json("/api/ledger/add", &rec);
    assert_eq!(status, 200, "{v}");
    let items = v["items"].as_u64().unwrap() as usize;
    let (_, v) = tab.get_json("/api/ledger/remind?as_of=2022-03-28&within=7");
    assert_eq!(v["due_soon"].as_array().unwrap().len(), items, "{v}");
    assert_eq!(v["overdue"].as_array().unwrap().len(), 0, "{v}");
    let (_, v) = tab.get_json("/api/ledger/remind?as_of=2022-04-10");
    let overdue = v["overdue"].as_array().unwrap();
    assert_eq!(overdue.len(), 1, "{v}");
    assert_eq!(overdue[0]["rows"].as_array().unwrap().len(), items);
    assert_eq!(overdue[0]["rows"][0]["days_overdue"], 10);
    let (status, v) = tab.get_json("/api/ledger/remind?within=两天");
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("两天"), "{v}");
    let (status, v) = tab.post_json(
        "/api/ledger/remind/notices",
        &json!({ "as_of": "2022-03-28", "number": true }),
    );
    assert_eq!(status, 400, "{v}");
    assert!(v["error"].as_str().unwrap().contains("没有逾期"), "{v}");

    let (status, zip) = tab.post(
        "/api/ledger/remind/notices",
        None,
        json!({ "as_of": "2022-04-10", "number": true, "shared": { "contact": "刘晓梅", "phone": "0000-1234567" } })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&zip));
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].starts_with("督办通知书-") && names[0].ends_with("-2022-04-10.docx"));
    assert!(
        names[1].ends_with(".pdf") && names[2].ends_with(".toml"),
        "{names:?}"
    );
    let mut toml = String::new();
    z.by_name(&names[2])
        .unwrap()
        .read_to_string(&mut toml)
        .unwrap();
    assert!(
        toml.contains("刘晓梅") && toml.contains("0000-1234567"),
        "{toml}"
    );
    let doc = schema["example"]["doc_number"].as_str().unwrap();
    assert!(
        toml.contains(doc),
        "the notice names the recommendation: {toml}"
    );
    assert!(
        toml.contains("纪督〔2022〕1号"),
        "numbered from the ledger: {toml}"
    );
    let mut pdf = Vec::new();
    z.by_name(&names[1]).unwrap().read_to_end(&mut pdf).unwrap();
    let text: String = jiandu::intake::pdf::read(&pdf)
        .unwrap()
        .iter()
        .map(|b| b.text.replace('\n', ""))
        .collect();
    assert!(
        text.contains("关于督促落实纪检监察建议整改工作的通知") && text.contains(doc),
        "{text}"
    );
}

/// The pages name the program's own 黑体 as their last Chinese font, so a machine without
/// Chinese system fonts shows characters, not boxes: the style sheet asks for it and the
/// server gives the font file the documents use.
#[test]
fn the_pages_get_a_chinese_font() {
    let work = tempfile::tempdir().unwrap();
    let s = start(work.path());
    let tab = Tab::open(&s);
    let (status, css) = tab.get("/style.css");
    assert_eq!(status, 200);
    let css = String::from_utf8(css).unwrap();
    assert!(css.contains("url(\"/ui-font\")"), "{css}");
    assert!(css.contains("\"jiandu-hei\", sans-serif"), "{css}");
    let fonts = jiandu::render::Fonts::load(&Default::default()).unwrap();
    let hei = fonts.get(jiandu::render::Role::Hei);
    let (status, body) = tab.get("/ui-font");
    let single = hei
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("otf") || e.eq_ignore_ascii_case("ttf"));
    if single {
        assert_eq!(status, 200, "{}", hei.path.display());
        assert_eq!(body, hei.file_bytes(), "{}", hei.path.display());
        // An OpenType (CFF) or TrueType font, which a browser loads.
        assert!(
            body.starts_with(b"OTTO") || body.starts_with(&[0, 1, 0, 0]),
            "{:?}",
            &body[..4]
        );
        assert!(hei.has_char('监'), "{}", hei.path.display());
    } else {
        // A system collection: the machine has Chinese fonts of its own.
        assert_eq!(status, 404, "{}", hei.path.display());
    }
    // The token is asked for, as everywhere.
    let r = agent().get(format!("{}/ui-font", s.base())).call().unwrap();
    assert_ne!(r.status().as_u16(), 200);
}
