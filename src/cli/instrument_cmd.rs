//! The commands that fill instruments: templates, render, fonts.

use super::args::{FontsArgs, RenderArgs, TemplatesAction, TemplatesArgs};
use super::EXIT_OK;
use crate::error::{Error, Result};
use crate::instrument::batch::can_draw;
use crate::instrument::{self, Data, Instrument};
use crate::model::ledger::{IssuedFile, Ledger};
use crate::model::progress::Day;
use crate::render::{Fonts, OutKind};
use std::path::{Path, PathBuf};

/// Load the instruments: the built-ins, or a user's folder over them.
pub fn instruments(dir: Option<&Path>) -> Result<Vec<Instrument>> {
    instrument::load(dir)
}

/// `jiandu templates [show ID | export DIR]`.
pub fn templates(a: TemplatesArgs) -> Result<i32> {
    match a.action {
        None => {
            let list = instruments(a.templates.as_deref())?;
            outln!("可用的文书模板：");
            for i in &list {
                outln!(
                    "  {}{}（文号代字：{}）",
                    crate::text::fit(i.id(), 26),
                    i.name(),
                    i.code()
                );
            }
            outln!("\n查看字段和示例数据：jiandu templates show 模板名，例如 jiandu templates show talk-notice");
        }
        Some(TemplatesAction::Show { id }) => {
            let list = instruments(a.templates.as_deref())?;
            let inst = instrument::find_in(&list, &id)?;
            outln!("{}", instrument::describe(inst));
            outln!("示例数据文件（可复制后修改，保存为 .toml）：\n");
            outln!("{}", instrument::example_data(inst));
        }
        Some(TemplatesAction::Export { dir }) => {
            let written = instrument::export(&dir)?;
            outln!("已导出 {} 个文件到 {}：", written.len(), dir.display());
            for p in written {
                outln!("  {}", p.display());
            }
            outln!("修改措辞后，用 --templates {} 使用这些模板", dir.display());
        }
    }
    Ok(EXIT_OK)
}

/// Validate, fill and write one instrument to each output. Warnings and errors are printed;
/// nothing is written when there is an error. Returns what was written, for the 文书台账.
pub fn render_one(
    inst: &Instrument,
    data: &Data,
    outs: &[PathBuf],
    fonts: &Fonts,
) -> Result<Vec<IssuedFile>> {
    let written = instrument::write(inst, data, outs, fonts)?;
    for w in &written.report.warnings {
        eprintln!("提示：{w}");
    }
    if !written.report.errors.is_empty() {
        for e in &written.report.errors {
            eprintln!("错误：{e}");
        }
        return Err(Error::msg(format!(
            "数据有 {} 处问题（见上），没有生成文件",
            written.report.errors.len()
        )));
    }
    Ok(written.files)
}

/// `jiandu render ID --data FILE -o OUT…`.
pub fn render(a: RenderArgs) -> Result<i32> {
    for o in &a.output {
        OutKind::of_path(o)?;
    }
    let list = instruments(a.templates.as_deref())?;
    let inst = instrument::find_in(&list, &a.id)?;
    let mut data = instrument::load_data(&a.data)?;
    let fonts = Fonts::load(&super::font_config(a.font_dir.clone()))?;
    let db =
        a.db.clone()
            .unwrap_or_else(|| PathBuf::from(super::ledger_cmd::DEFAULT_DB));
    let today = Day::today();
    // Data that fails its check is reported by render_one below, and uses no number.
    let valid = || {
        instrument::validate(inst, &data, &can_draw(&fonts))
            .errors
            .is_empty()
    };
    if let Some(code) = a.number.as_ref().filter(|_| valid()) {
        let code = inst.number_code(code);
        let (numbered, given) = instrument::batch::number_one(inst, &data, code, &db, today)
            .map_err(|e| e.with_path(&a.data))?;
        data = numbered;
        if let Some(n) = given {
            eprintln!("文号：{n}（台账 {} 的号序）", db.display());
        }
    }
    let files = render_one(inst, &data, &a.output, &fonts).map_err(|e| e.with_path(&a.data))?;
    for o in &a.output {
        eprintln!("已生成 {}", o.display());
    }
    if a.ledger {
        let record = instrument::entry::issued(inst, &data, files);
        let r = Ledger::open(&db)?.record_issued(std::slice::from_ref(&record), today)?;
        eprintln!(
            "{} {}：{}{}",
            if r.instruments > 0 {
                "已记入文书台账"
            } else {
                "文书台账中已有这份文书"
            },
            db.display(),
            if record.doc_number.is_empty() {
                record.kind.clone()
            } else {
                record.doc_number.clone()
            },
            if r.files > 0 {
                format!("，{} 个文件", r.files)
            } else {
                "，文件未变".to_string()
            }
        );
    }
    Ok(EXIT_OK)
}

/// `jiandu fonts`.
pub fn fonts(a: FontsArgs) -> Result<i32> {
    let fonts = Fonts::load(&super::font_config(a.font_dir))?;
    outln!("各字体角色使用的字体文件：");
    for (role, path, family) in fonts.describe() {
        outln!(
            "  {}{}（{}）",
            crate::text::fit(role.label(), 8),
            path.display(),
            family
        );
    }
    let chain = fonts.describe_fallback();
    if !chain.is_empty() {
        outln!("\n字体中没有的字（如“堃”“𠮷”等生僻字）依次改用：");
        for (path, family) in chain {
            outln!("  {}（{}）", path.display(), family);
        }
        outln!("  再找不到时查找本机的宋体、SimSun-ExtB、思源宋体等中文字体");
    }
    outln!("\n本机装有方正小标宋简体、仿宋_GB2312、黑体、楷体_GB2312 等公文字体时会优先使用；也可以用 --font-dir 指定字体文件夹。");
    Ok(EXIT_OK)
}
