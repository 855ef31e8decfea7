//! The workbench in a real browser: Debian's `chromium` driven through `chromedriver`
//! (WebDriver is JSON over HTTP), as a clerk uses it: open the page with its token, upload a
//! plan and count its rows, correct a cell and download the checklist, fill a 谈话通知书 with
//! a wrong date and see the message, fix it and get the PDF, run a 20-row batch to the end.
//!
//! Both programs are needed: `bash .ci/run` installs them (`apt-get install chromium
//! chromium-driver`). Without them this test fails and says so; it never passes silently.
//! Screenshots go to `target/screenshots/`.

use jiandu::serve::{Config, Running, Server};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A program on the PATH.
fn program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Browser {
    base: String,
    session: String,
    agent: ureq::Agent,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    fn start(downloads: &Path) -> Browser {
        let chromium = program(&["chromium", "chromium-browser"]).expect(
            "浏览器测试需要 chromium：请运行 bash .ci/run（它会安装 chromium 和 chromium-driver），或 apt-get install chromium chromium-driver",
        );
        let driver = program(&["chromedriver"]).expect(
            "浏览器测试需要 chromedriver：请运行 bash .ci/run（它会安装 chromium-driver），或 apt-get install chromium-driver",
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let t0 = Instant::now();
        loop {
            let ready = agent
                .get(format!("{base}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--window-size=1400,1000",
                    "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                },
            },
        }}});
        let mut r = agent
            .post(format!("{base}/session"))
            .send_json(&caps)
            .unwrap();
        let v: Value = r.body_mut().read_json().unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {v}"))
            .to_string();
        let b = Browser {
            base,
            session,
            agent,
            driver: child,
            _profile: profile,
        };
        // Downloads in headless Chromium go where they are told.
        b.cmd(
            "POST",
            "/goog/cdp/execute",
            json!({ "cmd": "Browser.setDownloadBehavior", "params": {
                "behavior": "allow", "downloadPath": downloads, "eventsEnabled": true } }),
        );
        b
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut r = match method {
            "GET" => self.agent.get(url).call(),
            _ => self.agent.post(url).send_json(&body),
        }
        .unwrap();
        let status = r.status().as_u16();
        let v: Value = r
            .body_mut()
            .with_config()
            .limit(1 << 28)
            .read_json()
            .unwrap();
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
    }

    /// Wait until a script returns something truthy; return it.
    fn until(&self, what: &str, script: &str) -> Value {
        let t0 = Instant::now();
        loop {
            let v = self.js(script, json!([]));
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            if t0.elapsed() > Duration::from_secs(60) {
                let status = self.js(
                    "return Array.from(document.querySelectorAll('.status')).map(s => s.textContent).join(' | ')",
                    json!([]),
                );
                self.screenshot("timeout");
                panic!("timed out waiting for {what}; status lines: {status}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), json!({}));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        );
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &format!("/element/{e}/text"), json!({}))
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        use base64::Engine;
        let v = self.cmd("GET", "/screenshot", json!({}));
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        let dir = root("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, &png).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        path
    }
}

/// Wait for a downloaded file of that name to be whole.
fn downloaded(dir: &Path, name: &str) -> Vec<u8> {
    let t0 = Instant::now();
    let path = dir.join(name);
    loop {
        let partial = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
            })
            .unwrap_or(false);
        if path.is_file() && !partial {
            return std::fs::read(&path).unwrap();
        }
        let seen: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "no download {name} in {}: {seen:?}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start_server(work: &Path) -> Running {
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

#[test]
fn a_clerk_works_through_the_workbench_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let downloads = tmp.path().join("下载");
    std::fs::create_dir_all(&downloads).unwrap();
    let server = start_server(&tmp.path().join("work"));
    let browser = Browser::start(&downloads);

    // The page, opened with its token as printed at start.
    browser.go(&format!("{}/?token={}", server.base(), server.token));
    browser.until("the page", "return document.body.dataset.ready === '1'");
    assert_eq!(browser.text("#tab-plans"), "工作要点 → 任务清单");

    // A plan: its rows in the table.
    let plan = tmp.path().join("示例工作要点.txt");
    std::fs::copy(root("corpora/plans/001_7a548ebd6d4d31cb.txt"), &plan).unwrap();
    let input = browser.find("#plan-files");
    browser.cmd(
        "POST",
        &format!("/element/{input}/value"),
        json!({ "text": plan.to_str().unwrap() }),
    );
    let rows = browser.until(
        "the plan's rows",
        "const n = document.querySelectorAll('#plan-list tr.item').length; return n > 0 ? n : 0",
    );
    assert_eq!(rows, 20);
    assert!(
        browser.text("#plan-status").contains("已读取 1 个文件"),
        "{}",
        browser.text("#plan-status")
    );

    // One cell corrected in place.
    let cell = "#plan-list tr.item:not(.group) td[data-field=responsible]";
    browser.click(cell);
    browser.js(
        "const td = document.querySelector(arguments[0]); const r = document.createRange(); r.selectNodeContents(td); const s = getSelection(); s.removeAllRanges(); s.addRange(r);",
        json!([cell]),
    );
    let e = browser.find(cell);
    browser.cmd(
        "POST",
        &format!("/element/{e}/value"),
        json!({ "text": "县委巡察办\u{E007}" }),
    );
    browser.until(
        "the correction to be saved",
        "const td = document.querySelector('#plan-list tr.item:not(.group) td[data-field=responsible]'); return td && td.classList.contains('fixed') && td.textContent === '县委巡察办'",
    );
    assert!(browser.text("#plan-status").contains("已保存修改"));
    browser.screenshot("workbench-plans");

    // The checklist downloaded has the correction.
    browser.click("#dl-xlsx");
    let xlsx = downloaded(&downloads, "任务清单.xlsx");
    {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let first_task = range.rows().find(|r| r[0] == "1").expect("task 1");
        assert!(
            first_task.iter().any(|c| *c == "县委巡察办"),
            "{first_task:?}"
        );
    }

    // A reload keeps the correction (same tab, same workspace).
    browser.cmd("POST", "/refresh", json!({}));
    browser.until(
        "the page again",
        "return document.body.dataset.ready === '1'",
    );
    let after = browser.text(cell);
    assert_eq!(after, "县委巡察办");

    // 谈话通知书: the sample, then a date that does not exist.
    browser.click("#tab-forms");
    browser.js(
        "const s = document.querySelector('#inst'); s.value = 'talk-notice'; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    browser.until(
        "the form",
        "return document.querySelector('#f-date') !== null",
    );
    browser.click("#fill-example");
    browser.until(
        "the preview",
        "return document.querySelector('#preview').getAttribute('src')",
    );
    browser.type_into("#f-date", "2022-02-30");
    browser.click("#check");
    let msg = browser.until(
        "the date's message",
        "return document.querySelector('.msg[data-for=date]').textContent",
    );
    let msg = msg.as_str().unwrap().to_string();
    assert!(msg.contains("谈话日期"), "{msg}");
    assert!(browser.text("#form-status").contains("需要修改"));
    // (Time for the browser's PDF viewer to draw the preview: for the picture only.)
    std::thread::sleep(Duration::from_millis(1500));
    browser.screenshot("workbench-form-error");
    browser.type_into("#f-date", "2022-03-08");
    // 取文号 from the ledger, then download with 记入文书台账.
    browser.js(
        "document.querySelector('#f-doc_number').value = ''",
        json!([]),
    );
    browser.click("#number-ledger");
    let number = browser.until(
        "a number from the ledger",
        "return document.querySelector('#form-status').textContent.startsWith('文号：') && document.querySelector('#f-doc_number').value",
    );
    let number = number.as_str().unwrap().to_string();
    assert!(number.ends_with("〔2022〕1号"), "{number}");
    browser.click("#form-record");
    browser.click("#make-pdf");
    browser.until(
        "the PDF",
        "return document.querySelector('#form-status').textContent.startsWith('已生成')",
    );
    let status = browser.text("#form-status");
    assert!(status.ends_with("，已记入文书台账"), "{status}");
    let name = status
        .trim_start_matches("已生成")
        .trim_end_matches("，已记入文书台账")
        .trim()
        .to_string();
    let pdf = downloaded(&downloads, &name);
    assert!(pdf.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(!doc.get_pages().is_empty());
    assert_eq!(
        browser.js(
            "return document.querySelector('.msg[data-for=date]').textContent",
            json!([])
        ),
        ""
    );
    browser.screenshot("workbench-form");

    // A 20-row batch, to the end.
    browser.click("#tab-batch");
    browser.js(
        "const s = document.querySelector('#batch-inst'); s.value = 'talk-notice'; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let text = std::fs::read_to_string(root("tests/fixtures/batch/talk-200.csv")).unwrap();
    let rows: Vec<String> = text
        .lines()
        .take(21)
        .map(|l| l.replace("批评谈话", "提醒谈话"))
        .collect();
    let csv = tmp.path().join("谈话名单.csv");
    std::fs::write(&csv, rows.join("\n") + "\n").unwrap();
    let input = browser.find("#batch-file");
    browser.cmd(
        "POST",
        &format!("/element/{input}/value"),
        json!({ "text": csv.to_str().unwrap() }),
    );
    browser.until(
        "the table's check",
        "return document.querySelector('#shared-issuer') !== null",
    );
    assert!(browser.text("#batch-summary").contains("共 20 行"));
    browser.type_into("#shared-issuer", "中共青山县纪委监委");
    browser.type_into("#shared-issue_date", "2022年3月1日");
    browser.click("#batch-summary");
    browser.until(
        "every row to pass",
        "return document.querySelector('#batch-summary').textContent.includes('20 行可以生成')",
    );
    browser.click("#batch-run");
    browser.until(
        "the batch to finish",
        "return document.querySelector('#batch-status').textContent.startsWith('完成')",
    );
    assert!(
        browser.text("#batch-status").contains("生成 20 份"),
        "{}",
        browser.text("#batch-status")
    );
    let bar = browser.js(
        "const p = document.querySelector('#batch-progress'); return [p.value, p.max]",
        json!([]),
    );
    assert_eq!(bar, json!([20, 20]));
    browser.screenshot("workbench-batch");
    browser.click("#dl-zip");
    let zip = downloaded(&downloads, "文书.zip");
    let z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let pdfs = z
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.ends_with(".pdf")))
        .count();
    assert_eq!(pdfs, 21, "20 notices and the merged file");

    // A recommendation recorded in the 整改台账 from its form, then followed there.
    browser.click("#tab-forms");
    browser.js(
        "const s = document.querySelector('#inst'); s.value = 'recommendation'; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    browser.until("the form", "return document.querySelector('#f-recipient') !== null && !document.querySelector('#record-ledger').hidden");
    browser.click("#fill-example");
    browser.click("#record-ledger");
    browser.until(
        "the record",
        "return document.querySelector('#form-status').textContent.startsWith('已记入整改台账')",
    );
    browser.click("#tab-ledger");
    let n = browser.until(
        "the ledger's rows",
        "return document.querySelectorAll('#ledger-table tbody tr').length",
    );
    assert!(n.as_u64().unwrap() >= 2, "{n}");
    assert!(
        browser.text("#ledger-status").contains("台账共"),
        "{}",
        browser.text("#ledger-status")
    );
    // The 文书台账 holds the notice made with 记入文书台账.
    browser.until(
        "the 文书台账",
        "return document.querySelectorAll('#issued-table tbody tr').length === 1",
    );
    assert!(
        browser.text("#issued-table tbody").contains(&number),
        "{}",
        browser.text("#issued-table tbody")
    );
    browser.screenshot("workbench-ledger");

    // 督办提醒: the example recommendation's problems are long overdue; one notice drafted.
    browser.type_into("#remind-as-of", "2030-01-01");
    browser.click("#remind-show");
    browser.until(
        "the reminders",
        "return document.querySelector('#remind-status').textContent.includes('已逾期 1 个单位')",
    );
    assert_eq!(
        browser
            .js(
                "return document.querySelectorAll('#remind-table tbody tr').length",
                json!([])
            )
            .as_u64()
            .unwrap(),
        n.as_u64().unwrap()
    );
    browser.type_into("#notice-contact", "刘晓梅");
    browser.click("#notice-make");
    browser.until(
        "the notices",
        "return document.querySelector('#remind-status').textContent.startsWith('已起草 1 份督办通知书')",
    );
    let zip = downloaded(&downloads, "督办通知书-2030-01-01.zip");
    let z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(z.len(), 3, "PDF, Word and data file");
    browser.js(
        "document.querySelector('#remind-table').scrollIntoView()",
        json!([]),
    );
    browser.screenshot("workbench-remind");
}
