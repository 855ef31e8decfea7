//! `jiandu serve`: start the web workbench, print its address, open the browser.

use super::args::ServeArgs;
use super::EXIT_OK;
use crate::error::Result;
use crate::extract::Vocabulary;
use crate::serve::{Config, Server};
use std::sync::Arc;

/// `jiandu serve`.
pub fn serve(a: ServeArgs, v: &Arc<Vocabulary>) -> Result<i32> {
    let work = a
        .work
        .unwrap_or_else(|| std::env::temp_dir().join("jiandu-工作台"));
    let server = Server::bind(Config {
        templates: a.templates,
        fonts: super::font_config(a.font_dir),
        limits: a.limits.limits(),
        work,
        ledger: a
            .db
            .unwrap_or_else(|| std::path::PathBuf::from(super::ledger_cmd::DEFAULT_DB)),
        port: a.port,
        vocabulary: v.clone(),
    })?;
    let url = server.url();
    outln!("jiandu 工作台已启动，请在浏览器中打开：\n\n  {url}\n");
    outln!(
        "只有本机能访问；上传的文件和生成的结果保存在 {}",
        server.work().display()
    );
    outln!("用完后关闭此窗口或按 Ctrl+C 即停止。");
    if !a.no_open && super::open_browser_or_say(&url) {
        outln!("已尝试用默认浏览器打开。");
    }
    server.run(std::future::pending())?;
    Ok(EXIT_OK)
}
