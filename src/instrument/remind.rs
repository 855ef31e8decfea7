//! 督办通知书 for the overdue problems of the 整改台账 (`jiandu ledger remind`, the workbench's
//! 督办提醒): one notice per overdue unit, through the `supervise-notice` template, written as
//! PDF, Word and the editable data file that `jiandu render` takes back.

use super::{Data, Instrument, Raw};
use crate::error::Result;
use crate::model::ledger::{IssuedFile, Overdue};
use crate::model::progress::Day;
use crate::render::Fonts;
use std::path::{Path, PathBuf};

/// Where and how the notices are drafted.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The folder the notices go to (made when missing).
    pub out: &'a Path,
    /// The day the problems are overdue on; the notices' 截至 date.
    pub as_of: Day,
    /// Values every notice gets (联系人, 联系电话 …), by field key or label.
    pub shared: &'a [(String, String)],
    /// Number each notice from the ledger's sequence of this 代字 (empty: the template's).
    pub number: Option<&'a str>,
    /// The ledger whose sequences number the notices.
    pub ledger: &'a Path,
}

/// One drafted notice.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The unit it goes to.
    pub recipient: String,
    /// How many overdue problems it lists.
    pub problems: usize,
    /// Its values (with the 文号 when numbered).
    pub data: Data,
    /// The PDF and the Word file, as written.
    pub files: Vec<IssuedFile>,
    /// The editable data file.
    pub data_file: PathBuf,
}

/// The file stem of a unit's notice: `督办通知书-单位-2022-05-01`.
pub fn stem(recipient: &str, as_of: Day) -> String {
    format!(
        "督办通知书-{}-{}",
        super::names::sanitize(recipient),
        as_of.iso()
    )
}

/// Draft one notice per overdue unit. Each unit's result is its own: one that fails (a value
/// the fonts cannot draw, a full disk) does not stop the others.
pub fn draft(
    inst: &Instrument,
    overdue: &[Overdue],
    opts: &Options,
    fonts: &Fonts,
) -> Result<Vec<(String, Result<Notice>)>> {
    std::fs::create_dir_all(opts.out).map_err(|e| crate::error::Error::io(opts.out, &e))?;
    Ok(overdue
        .iter()
        .map(|o| (o.recipient.clone(), one(inst, o, opts, fonts)))
        .collect())
}

fn one(inst: &Instrument, o: &Overdue, opts: &Options, fonts: &Fonts) -> Result<Notice> {
    let mut data = super::entry::supervise_notice(o, opts.as_of);
    for (k, v) in opts.shared {
        data.set(k.clone(), Raw::Text(v.clone()));
    }
    if let Some(code) = opts.number {
        let code = inst.number_code(code);
        data = super::batch::number_one(inst, &data, code, opts.ledger, opts.as_of)?.0;
    }
    let stem = stem(&o.recipient, opts.as_of);
    let data_file = opts.out.join(format!("{stem}.toml"));
    let outs: Vec<PathBuf> = ["pdf", "docx"]
        .iter()
        .map(|e| opts.out.join(format!("{stem}.{e}")))
        .collect();
    // The data file first: when the notice cannot be made, it is what the clerk corrects.
    crate::render::write_atomic(&data_file, super::data_file(inst, &data).as_bytes())?;
    let written = super::write(inst, &data, &outs, fonts)?;
    written.check()?;
    Ok(Notice {
        recipient: o.recipient.clone(),
        problems: o.rows.len(),
        data,
        files: written.files,
        data_file,
    })
}
