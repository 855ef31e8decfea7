//! `jiandu serve`: the local web workbench, a front-end over the same library functions as
//! the command line.
//!
//! It listens on 127.0.0.1 only. Every request needs the access token printed at start (a
//! cookie after the first page, or the `X-Jiandu-Token` header for scripts); a request whose
//! `Host` is not 127.0.0.1 or localhost is refused, so a web page elsewhere cannot reach it
//! through DNS rebinding. Pages, scripts and styles are compiled into the binary. Each
//! browser tab works in its own workspace folder under [`Config::work`] (see
//! [`workspace`]); the JSON API is described in the README.

mod api;
mod ledger;
pub mod workspace;

use crate::error::{Error, Result};
use crate::extract::Vocabulary;
use crate::instrument::{self, Instrument};
use crate::intake::Limits;
use crate::render::{FontConfig, Fonts};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// What the workbench works with, chosen by the front-end that starts it.
#[derive(Debug, Clone)]
pub struct Config {
    /// A folder of edited templates over the built-ins.
    pub templates: Option<PathBuf>,
    /// Where fonts are looked up.
    pub fonts: FontConfig,
    /// The same reading limits as the command line's, on every upload.
    pub limits: Limits,
    /// The folder under which each tab's workspace is kept.
    pub work: PathBuf,
    /// The 整改台账 (SQLite file), shared by every tab.
    pub ledger: PathBuf,
    /// The port; 0 for any free one.
    pub port: u16,
    /// The words plans are read with (built-in, plus the user's dictionary folder).
    pub vocabulary: Arc<Vocabulary>,
}

/// Everything the handlers share.
struct App {
    token: String,
    limits: Limits,
    ledger: PathBuf,
    vocabulary: Arc<Vocabulary>,
    instruments: Vec<Instrument>,
    fonts: Fonts,
    workspaces: workspace::Workspaces,
    jobs: api::Jobs,
}

/// A workbench bound to its port, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    app: Arc<App>,
    /// The address it listens on.
    pub addr: SocketAddr,
}

/// A random token of 32 hex digits, from the system's random source.
fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::msg(format!("无法取得随机数（{e}），工作台没有启动")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Server {
    /// Load the instruments and fonts, make the work folder, bind 127.0.0.1:port.
    pub fn bind(config: Config) -> Result<Server> {
        let instruments = instrument::load(config.templates.as_deref())?;
        let fonts = Fonts::load(&config.fonts)?;
        std::fs::create_dir_all(&config.work).map_err(|e| Error::io(&config.work, &e))?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port)).map_err(|e| {
            Error::msg(format!(
                "无法在本机端口 {} 上启动工作台（{e}）；可能已被占用，请换一个 --port，或不写 --port 由系统选择",
                config.port
            ))
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::msg(format!("无法启动工作台（{e}）")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::msg(format!("无法启动工作台（{e}）")))?;
        let app = Arc::new(App {
            token: random_hex()?,
            limits: config.limits,
            ledger: config.ledger,
            vocabulary: config.vocabulary,
            instruments,
            fonts,
            workspaces: workspace::Workspaces::new(config.work),
            jobs: api::Jobs::default(),
        });
        Ok(Server {
            listener,
            app,
            addr,
        })
    }

    /// The access token.
    pub fn token(&self) -> &str {
        &self.app.token
    }

    /// The address to open, with the token.
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/?token={}",
            self.addr.port(),
            self.app.token
        )
    }

    /// The 整改台账 file.
    pub fn ledger(&self) -> &std::path::Path {
        &self.app.ledger
    }

    /// The work folder.
    pub fn work(&self) -> &std::path::Path {
        self.app.workspaces.root()
    }

    /// Serve until `stop` resolves (or forever).
    pub fn run(self, stop: impl std::future::Future<Output = ()> + Send + 'static) -> Result<()> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Error::msg(format!("无法启动工作台（{e}）")))?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|e| Error::msg(format!("无法启动工作台（{e}）")))?;
            let router = api::router(self.app.clone()).layer(axum::middleware::from_fn_with_state(
                self.app.clone(),
                guard,
            ));
            axum::serve(listener, router)
                .with_graceful_shutdown(stop)
                .await
                .map_err(|e| Error::msg(format!("工作台出错停止（{e}）")))
        })
    }

    /// Serve on a thread of its own until the returned handle is dropped (for tests and
    /// for callers with their own main loop).
    pub fn spawn(self) -> Running {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let addr = self.addr;
        let token = self.app.token.clone();
        let thread = std::thread::spawn(move || {
            let _ = self.run(async {
                let _ = rx.await;
            });
        });
        Running {
            addr,
            token,
            stop: Some(tx),
            thread: Some(thread),
        }
    }
}

/// A workbench serving on its own thread; dropping it stops the server.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The access token.
    pub token: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// `http://127.0.0.1:port`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The name of the cookie holding the token.
const COOKIE: &str = "jiandu_token";

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token a request carries: header, cookie, or (first page) query.
fn token_of(headers: &HeaderMap) -> Option<&str> {
    if let Some(t) = headers.get("x-jiandu-token").and_then(|v| v.to_str().ok()) {
        return Some(t);
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v)
}

/// Whether the Host header names this machine by loopback address or `localhost`.
fn local_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

/// Refuse what is not local or carries no token; take the token from the first page's
/// address into a cookie.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if !local_host(req.headers()) {
        return api::error(
            StatusCode::FORBIDDEN,
            "工作台只接受本机地址（127.0.0.1 或 localhost）的访问",
        );
    }
    let query_token = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("token=")));
    if let Some(t) = query_token {
        if same(t, &app.token) {
            let cookie = format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict", app.token);
            let to = req.uri().path().to_string();
            return (
                StatusCode::SEE_OTHER,
                [(header::SET_COOKIE, cookie), (header::LOCATION, to)],
            )
                .into_response();
        }
    }
    const NO_TOKEN: &str =
        "请用工作台启动时显示的完整地址（带 token=…）打开；关闭后重新启动会换一个新地址";
    match token_of(req.headers()) {
        Some(t) if same(t, &app.token) => next.run(req).await,
        // A person at the browser gets a page, a script the JSON error.
        _ if !req.uri().path().starts_with("/api/") => (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!(
                "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>jiandu 工作台</title><body style=\"font-family:sans-serif;margin:3em\"><h1>需要访问口令</h1><p>{NO_TOKEN}。</p></body></html>"
            ),
        )
            .into_response(),
        _ => api::error(StatusCode::UNAUTHORIZED, NO_TOKEN),
    }
}

/// Open an address in the default browser; a failure is only reported (the address is
/// printed anyway).
pub fn open_browser(url: &str) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
