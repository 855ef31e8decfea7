//! The 整改台账: every recommendation's problems, followed until closed (谁建议谁跟踪), in
//! an SQLite database the caller names.
//!
//! One row per problem, with the suggestion that answers it, the unit responsible, the
//! deadline and the follow-up: status, feedback date and document, 回访 date, notes.
//! Nothing is deleted — 销号 is a status — and every change is kept in a history table
//! (what, when, old and new value). 逾期 is not stored: it is derived from the deadline and
//! the date asked about. The schema carries a version (`PRAGMA user_version`); a database
//! made by a newer jiandu is refused. Writes are transactions, so a process killed while
//! writing leaves the database as it was before or after, never between.
//!
//! The caller passes the dates (today, as-of): the library reads no clock.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::progress::Day;

mod issued;
pub use issued::{
    not_issued, sha256_hex, Assigned, Counter, CounterEntry, Issued, IssuedFile, IssuedRow,
    NumberRequest, Recorded,
};

/// The schema version this program writes.
pub const SCHEMA_VERSION: i32 = 2;

/// Where a follow-up stands. 逾期 is derived (see [`Row::shown_status`]), not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 待反馈: issued, no reply yet.
    Pending,
    /// 已反馈: the unit has reported.
    Replied,
    /// 整改中: rectification under way.
    InProgress,
    /// 已整改: rectified, awaiting closing.
    Rectified,
    /// 已销号: closed.
    Closed,
}

impl Status {
    /// All statuses, in the order of the follow-up.
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::Replied,
        Status::InProgress,
        Status::Rectified,
        Status::Closed,
    ];

    /// The Chinese name, as stored and shown.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "待反馈",
            Status::Replied => "已反馈",
            Status::InProgress => "整改中",
            Status::Rectified => "已整改",
            Status::Closed => "已销号",
        }
    }

    /// The status a Chinese name (or 销号, 完成 …) stands for.
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|x| x.label() == s)
            .or(match s {
                "未反馈" => Some(Status::Pending),
                "反馈" => Some(Status::Replied),
                "正在整改" => Some(Status::InProgress),
                "整改完成" | "完成" => Some(Status::Rectified),
                "销号" => Some(Status::Closed),
                _ => None,
            })
    }

    /// The status a clerk typed, or a Chinese error naming `what` (an option or a field)
    /// and listing the statuses.
    pub fn parse_named(s: &str, what: &str) -> Result<Status> {
        Status::parse(s).ok_or_else(|| {
            Error::msg(format!(
                "{what}：“{s}”不是台账的状态，可用：待反馈、已反馈、整改中、已整改、已销号（逾期按日期自动判断，不必填写）"
            ))
        })
    }

    /// Whether the item still needs following (not yet rectified or closed).
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Rectified | Status::Closed)
    }
}

/// One problem of a recommendation to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    /// The problem found.
    pub problem: String,
    /// The suggestion that answers it (empty when none was paired).
    pub suggestion: String,
    /// The unit responsible for rectifying it.
    pub unit: String,
    /// When rectification must be reported.
    pub deadline: Day,
}

/// A recommendation (纪检监察建议书) to record with its problems.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecommendation {
    /// 文号, the key of the recommendation in the ledger.
    pub doc_number: String,
    /// The kind of instrument (纪检监察建议书).
    pub kind: String,
    /// The recipient unit.
    pub recipient: String,
    /// The issuing office.
    pub issuer: String,
    /// 成文日期.
    pub issue_date: Day,
    /// Its problems, in order.
    pub items: Vec<NewItem>,
}

/// One problem as the ledger holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 文号 of its recommendation.
    pub doc_number: String,
    /// Its number within the recommendation, from 1.
    pub seq: u32,
    /// The recipient unit of the recommendation.
    pub recipient: String,
    /// The office that issued the recommendation.
    pub issuer: String,
    /// The recommendation's 成文日期.
    pub issue_date: Day,
    /// The problem.
    pub problem: String,
    /// The suggestion.
    pub suggestion: String,
    /// The unit responsible.
    pub unit: String,
    /// The deadline.
    pub deadline: Day,
    /// The stored status.
    pub status: Status,
    /// When feedback arrived.
    pub feedback_date: Option<Day>,
    /// The feedback document (its 文号 or file name).
    pub feedback_doc: String,
    /// The 回访 date.
    pub revisit_date: Option<Day>,
    /// Notes.
    pub notes: String,
}

impl Row {
    /// Whether the item is overdue on `as_of`: still open after its deadline.
    pub fn is_overdue(&self, as_of: Day) -> bool {
        self.status.is_open() && self.deadline.days() < as_of.days()
    }

    /// The status as shown on `as_of`: 逾期 for an overdue item, else the stored one.
    pub fn shown_status(&self, as_of: Day) -> &'static str {
        if self.is_overdue(as_of) {
            "逾期"
        } else {
            self.status.label()
        }
    }
}

/// What a feedback command changes; `None` leaves a value as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    /// New status.
    pub status: Option<Status>,
    /// Feedback date.
    pub feedback_date: Option<Day>,
    /// Feedback document.
    pub feedback_doc: Option<String>,
    /// 回访 date.
    pub revisit_date: Option<Day>,
    /// A note, added to the notes already there.
    pub note: Option<String>,
    /// The notes as a whole, replacing what is there (an import from Excel).
    pub notes: Option<String>,
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// 文号 of the recommendation.
    pub doc_number: String,
    /// The item's number (0 for the recommendation itself).
    pub seq: u32,
    /// The field changed (Chinese name).
    pub field: String,
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
    /// The date of the change.
    pub at: String,
}

/// An item's follow-up columns as stored: id, number, status, feedback date, feedback
/// document, 回访 date, notes.
type Stored = (
    i64,
    u32,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
);

/// An open ledger database.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// A failed read or write of the ledger at `path`.
fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::file(path, format!("台账数据库读写失败（{e}）"))
}

/// The row id of the recommendation numbered `doc_number`, if it is in the ledger.
fn recommendation_id(conn: &Connection, doc_number: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM recommendation WHERE doc_number = ?1",
        [doc_number],
        |r| r.get(0),
    )
    .optional()
}

/// Whether SQLite refused for a lock another connection holds.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Put the database in WAL mode (once; it stays so). Changing the journal mode needs the
/// database to itself and SQLite does not wait for that with the busy timeout, so a
/// process opening the ledger while another writes retries for up to ten seconds.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    let mut tries = 0;
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(e) if is_busy(&e) && tries < 400 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(e) => return Err(e),
        }
    }
}

impl Ledger {
    /// Open (or create) the ledger at `path`. A database of a newer schema is refused; an
    /// older one is migrated forward.
    pub fn open(path: &Path) -> Result<Ledger> {
        let fail = |e: rusqlite::Error| Error::file(path, format!("无法打开台账数据库（{e}）"));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
        }
        let conn = Connection::open(path).map_err(fail)?;
        // Several processes may write at once: wait for each other's locks; WAL keeps
        // readers out of writers' way and survives a kill.
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(fail)?;
        let version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| Error::file(path, format!("不是台账数据库，或文件已损坏（{e}）")))?;
        if version > SCHEMA_VERSION {
            return Err(Error::file(
                path,
                format!(
                    "这个台账是较新版本的 jiandu 建立的（格式版本 {version}，本程序只认识到 {SCHEMA_VERSION}），为免损坏没有打开；请升级 jiandu"
                ),
            ));
        }
        set_wal(&conn)
            .map_err(|e| Error::file(path, format!("不是台账数据库，或文件已损坏（{e}）")))?;
        conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;")
            .map_err(fail)?;
        if version < 1 {
            conn.execute_batch(
                "BEGIN IMMEDIATE;
                 CREATE TABLE IF NOT EXISTS recommendation (
                     id INTEGER PRIMARY KEY,
                     doc_number TEXT NOT NULL UNIQUE,
                     kind TEXT NOT NULL,
                     recipient TEXT NOT NULL,
                     issuer TEXT NOT NULL,
                     issue_date TEXT NOT NULL,
                     recorded TEXT NOT NULL
                 );
                 CREATE TABLE IF NOT EXISTS item (
                     id INTEGER PRIMARY KEY,
                     recommendation INTEGER NOT NULL REFERENCES recommendation(id),
                     seq INTEGER NOT NULL,
                     problem TEXT NOT NULL,
                     suggestion TEXT NOT NULL,
                     unit TEXT NOT NULL,
                     deadline TEXT NOT NULL,
                     status TEXT NOT NULL,
                     feedback_date TEXT,
                     feedback_doc TEXT NOT NULL DEFAULT '',
                     revisit_date TEXT,
                     notes TEXT NOT NULL DEFAULT '',
                     UNIQUE (recommendation, seq)
                 );
                 CREATE TABLE IF NOT EXISTS history (
                     id INTEGER PRIMARY KEY,
                     item INTEGER REFERENCES item(id),
                     recommendation INTEGER NOT NULL REFERENCES recommendation(id),
                     field TEXT NOT NULL,
                     old TEXT NOT NULL,
                     new TEXT NOT NULL,
                     at TEXT NOT NULL
                 );
                 PRAGMA user_version = 1;
                 COMMIT;",
            )
            .map_err(fail)?;
        }
        if version < 2 {
            conn.execute_batch(issued::SCHEMA_V2).map_err(fail)?;
        }
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn fail(&self, e: rusqlite::Error) -> Error {
        db_error(&self.path, e)
    }

    /// Record a recommendation and its problems, in one transaction. A 文号 already in the
    /// ledger is refused (nothing is written twice).
    pub fn add(&mut self, rec: &NewRecommendation, today: Day) -> Result<usize> {
        if rec.doc_number.trim().is_empty() {
            return Err(Error::msg(
                "没有文号，无法记入台账：请在数据文件中填写“文号”",
            ));
        }
        let path = self.path.clone();
        let fail = |e| db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        if recommendation_id(&tx, &rec.doc_number)
            .map_err(fail)?
            .is_some()
        {
            return Err(Error::file(
                &path,
                format!(
                    "文号“{}”已在台账中，没有重复记入；要记录反馈请用 jiandu ledger feedback",
                    rec.doc_number
                ),
            ));
        }
        tx.execute(
            "INSERT INTO recommendation (doc_number, kind, recipient, issuer, issue_date, recorded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                rec.doc_number,
                rec.kind,
                rec.recipient,
                rec.issuer,
                rec.issue_date.iso(),
                today.iso()
            ],
        )
        .map_err(fail)?;
        let id = tx.last_insert_rowid();
        for (i, item) in rec.items.iter().enumerate() {
            tx.execute(
                "INSERT INTO item (recommendation, seq, problem, suggestion, unit, deadline, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    i as i64 + 1,
                    item.problem,
                    item.suggestion,
                    item.unit,
                    item.deadline.iso(),
                    Status::Pending.label()
                ],
            )
            .map_err(fail)?;
        }
        tx.execute(
            "INSERT INTO history (item, recommendation, field, old, new, at)
             VALUES (NULL, ?1, '记入台账', '', ?2, ?3)",
            params![id, format!("{} 条问题", rec.items.len()), today.iso()],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(rec.items.len())
    }

    /// Every problem in the ledger, by 文号 and number; with `overdue_only`, those overdue
    /// on `as_of`.
    pub fn list(&self, as_of: Day, overdue_only: bool) -> Result<Vec<Row>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT r.doc_number, i.seq, r.recipient, i.problem, i.suggestion, i.unit,
                        i.deadline, i.status, i.feedback_date, i.feedback_doc, i.revisit_date,
                        i.notes, r.issuer, r.issue_date
                 FROM item i JOIN recommendation r ON r.id = i.recommendation
                 ORDER BY r.issue_date, r.doc_number, i.seq",
            )
            .map_err(|e| self.fail(e))?;
        let rows = st
            .query_map([], |r| {
                let day = |s: Option<String>| s.as_deref().and_then(Day::parse);
                Ok(Row {
                    doc_number: r.get(0)?,
                    seq: r.get::<_, i64>(1)? as u32,
                    recipient: r.get(2)?,
                    issuer: r.get(12)?,
                    issue_date: day(r.get(13)?).unwrap_or(Day::from_days(0)),
                    problem: r.get(3)?,
                    suggestion: r.get(4)?,
                    unit: r.get(5)?,
                    deadline: day(r.get(6)?).unwrap_or(Day::from_days(0)),
                    status: Status::parse(&r.get::<_, String>(7)?).unwrap_or(Status::Pending),
                    feedback_date: day(r.get(8)?),
                    feedback_doc: r.get(9)?,
                    revisit_date: day(r.get(10)?),
                    notes: r.get(11)?,
                })
            })
            .map_err(|e| self.fail(e))?;
        let mut out = Vec::new();
        for r in rows {
            let r = r.map_err(|e| self.fail(e))?;
            if !overdue_only || r.is_overdue(as_of) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Record feedback for the problems of `doc_number` (all of them, or item `seq`): every
    /// changed value is kept in the history. Returns the number of items changed.
    pub fn feedback(
        &mut self,
        doc_number: &str,
        seq: Option<u32>,
        update: &Update,
        today: Day,
    ) -> Result<usize> {
        let path = self.path.clone();
        let fail = |e| db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let Some(rec) = recommendation_id(&tx, doc_number).map_err(fail)? else {
            return Err(Error::file(
                &path,
                format!("台账中没有文号“{doc_number}”；先用 jiandu ledger add 记入建议书"),
            ));
        };
        let items: Vec<Stored> = {
            let mut st = tx
                .prepare(
                    "SELECT id, seq, status, feedback_date, feedback_doc, revisit_date, notes
                     FROM item WHERE recommendation = ?1 ORDER BY seq",
                )
                .map_err(fail)?;
            let rows = st
                .query_map([rec], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, i64>(1)? as u32,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })
                .map_err(fail)?;
            rows.collect::<std::result::Result<_, _>>().map_err(fail)?
        };
        let chosen: Vec<_> = items
            .into_iter()
            .filter(|it| seq.is_none_or(|s| s == it.1))
            .collect();
        if chosen.is_empty() {
            return Err(Error::file(
                &path,
                format!(
                    "文号“{doc_number}”没有第 {} 条问题",
                    seq.unwrap_or_default()
                ),
            ));
        }
        let mut changed = 0;
        for (id, _, status, fdate, fdoc, rdate, notes) in chosen {
            let mut set: Vec<(&str, &str, String, String)> = Vec::new();
            if let Some(s) = update.status {
                set.push(("status", "状态", status.clone(), s.label().to_string()));
            }
            if let Some(d) = update.feedback_date {
                set.push((
                    "feedback_date",
                    "反馈日期",
                    fdate.clone().unwrap_or_default(),
                    d.iso(),
                ));
            }
            if let Some(d) = &update.feedback_doc {
                set.push(("feedback_doc", "反馈材料", fdoc.clone(), d.clone()));
            }
            if let Some(d) = update.revisit_date {
                set.push((
                    "revisit_date",
                    "回访日期",
                    rdate.clone().unwrap_or_default(),
                    d.iso(),
                ));
            }
            if let Some(n) = &update.notes {
                set.push(("notes", "备注", notes.clone(), n.trim().to_string()));
            } else if let Some(n) = update.note.as_ref().filter(|n| !n.trim().is_empty()) {
                let joined = if notes.is_empty() {
                    n.trim().to_string()
                } else {
                    format!("{notes}；{}", n.trim())
                };
                set.push(("notes", "备注", notes.clone(), joined));
            }
            let mut any = false;
            for (col, name, old, new) in set {
                if old == new {
                    continue;
                }
                any = true;
                tx.execute(
                    &format!("UPDATE item SET {col} = ?1 WHERE id = ?2"),
                    params![new, id],
                )
                .map_err(fail)?;
                tx.execute(
                    "INSERT INTO history (item, recommendation, field, old, new, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, rec, name, old, new, today.iso()],
                )
                .map_err(fail)?;
            }
            changed += usize::from(any);
        }
        tx.commit().map_err(fail)?;
        Ok(changed)
    }

    /// The changes recorded for `doc_number`, oldest first.
    pub fn history(&self, doc_number: &str) -> Result<Vec<Change>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT r.doc_number, COALESCE(i.seq, 0), h.field, h.old, h.new, h.at
                 FROM history h JOIN recommendation r ON r.id = h.recommendation
                 LEFT JOIN item i ON i.id = h.item
                 WHERE r.doc_number = ?1 ORDER BY h.id",
            )
            .map_err(|e| self.fail(e))?;
        let rows = st
            .query_map([doc_number], |r| {
                Ok(Change {
                    doc_number: r.get(0)?,
                    seq: r.get::<_, i64>(1)? as u32,
                    field: r.get(2)?,
                    old: r.get(3)?,
                    new: r.get(4)?,
                    at: r.get(5)?,
                })
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(|e| self.fail(e))
    }
}

/// A date as a clerk types it (2022-08-01, 2022/8/1, 2022年8月1日 …), or a Chinese error
/// naming `what` (an option or a field).
pub fn user_day(s: &str, what: &str) -> Result<Day> {
    match crate::date::parse(s) {
        crate::date::Parsed::Ok(d) => Ok(d),
        crate::date::Parsed::Impossible(..) => {
            Err(Error::msg(format!("{what}：“{s}”不是有效日期")))
        }
        crate::date::Parsed::NotADate => Err(Error::msg(format!(
            "{what}：“{s}”不是有效日期，请写成 2022-08-01 或 2022年8月1日"
        ))),
    }
}

/// What needs following on a day: the problems due soon, and the overdue ones by the unit
/// that must answer for them (one 督办通知 each).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reminders {
    /// Open problems due within the days asked about, not yet overdue, by deadline.
    pub due_soon: Vec<Row>,
    /// Overdue problems, by unit.
    pub overdue: Vec<Overdue>,
}

/// The overdue problems of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Overdue {
    /// The unit (the recommendation's recipient) a 督办通知 goes to.
    pub recipient: String,
    /// The office that follows it up (the recommendations' issuer).
    pub issuer: String,
    /// Its overdue problems, by recommendation and number.
    pub rows: Vec<Row>,
}

impl Overdue {
    /// The recommendations its problems come from, in order: (文号, 成文日期).
    pub fn recommendations(&self) -> Vec<(String, Day)> {
        let mut out: Vec<(String, Day)> = Vec::new();
        for r in &self.rows {
            if !out.iter().any(|(n, _)| n == &r.doc_number) {
                out.push((r.doc_number.clone(), r.issue_date));
            }
        }
        out
    }
}

/// The reminders of `rows` on `as_of`: open problems due within `within` days, and the
/// overdue ones grouped by recipient (and issuer, when several offices share a ledger), in
/// the order of their first problem.
pub fn reminders(rows: &[Row], as_of: Day, within: i64) -> Reminders {
    let mut out = Reminders::default();
    for r in rows {
        if r.is_overdue(as_of) {
            match out
                .overdue
                .iter_mut()
                .find(|o| o.recipient == r.recipient && o.issuer == r.issuer)
            {
                Some(o) => o.rows.push(r.clone()),
                None => out.overdue.push(Overdue {
                    recipient: r.recipient.clone(),
                    issuer: r.issuer.clone(),
                    rows: vec![r.clone()],
                }),
            }
        } else if r.status.is_open() && r.deadline.days() - as_of.days() <= within {
            out.due_soon.push(r.clone());
        }
    }
    out.due_soon.sort_by_key(|r| r.deadline.days());
    out
}

/// The 整改台账 sheet: one row per problem.
pub fn sheet(rows: &[Row], day: Day) -> crate::render::table::Sheet {
    crate::render::table::Sheet {
        subtitle: vec![format!("状态截至{}", day.chinese())],
        group_rows: Vec::new(),
        name: "整改台账".to_string(),
        title: "整改台账".to_string(),
        columns: vec![
            crate::render::table::Column::new("文号", 11.0),
            crate::render::table::Column::new("序号", 3.0),
            crate::render::table::Column::new("存在的问题", 24.0),
            crate::render::table::Column::new("整改建议", 24.0),
            crate::render::table::Column::new("责任单位", 10.0),
            crate::render::table::Column::new("整改时限", 9.0),
            crate::render::table::Column::new("状态", 5.0),
            crate::render::table::Column::new("反馈日期", 7.0),
            crate::render::table::Column::new("反馈材料", 8.0),
            crate::render::table::Column::new("回访日期", 7.0),
            crate::render::table::Column::new("备注", 12.0),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.doc_number.clone(),
                    r.seq.to_string(),
                    r.problem.clone(),
                    r.suggestion.clone(),
                    r.unit.clone(),
                    r.deadline.chinese(),
                    r.shown_status(day).to_string(),
                    r.feedback_date.map(Day::chinese).unwrap_or_default(),
                    r.feedback_doc.clone(),
                    r.revisit_date.map(Day::chinese).unwrap_or_default(),
                    r.notes.clone(),
                ]
            })
            .collect(),
    }
}

/// The 文书台账 sheet: one row per instrument issued, its files one per line.
pub fn issued_sheet(rows: &[IssuedRow]) -> crate::render::table::Sheet {
    use crate::render::table::Column;
    crate::render::table::Sheet {
        subtitle: Vec::new(),
        group_rows: Vec::new(),
        name: "文书台账".to_string(),
        title: "文书台账".to_string(),
        columns: vec![
            Column::new("文号", 11.0),
            Column::new("文种", 8.0),
            Column::new("对象", 10.0),
            Column::new("发文机关", 12.0),
            Column::new("成文日期", 8.0),
            Column::new("记入日期", 8.0),
            Column::new("文件", 30.0),
            Column::new("SHA-256", 30.0),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let i = &r.issued;
                let lines = |f: &dyn Fn(&IssuedFile) -> String| {
                    i.files.iter().map(f).collect::<Vec<_>>().join("\n")
                };
                vec![
                    i.doc_number.clone(),
                    i.kind.clone(),
                    i.subject.clone(),
                    i.issuer.clone(),
                    i.issue_date.map(Day::chinese).unwrap_or_default(),
                    Day::parse(&r.recorded)
                        .map(Day::chinese)
                        .unwrap_or_default(),
                    lines(&|f| f.path.clone()),
                    lines(&|f| f.sha256.clone()),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day::new(y, m, d).expect("date")
    }

    fn rec(n: &str) -> NewRecommendation {
        NewRecommendation {
            doc_number: n.to_string(),
            kind: "纪检监察建议书".to_string(),
            recipient: "中共青山县农业农村局党组".to_string(),
            issuer: "中共青山县纪委监委".to_string(),
            issue_date: day(2022, 6, 15),
            items: vec![
                NewItem {
                    problem: "村级财务公开不及时".to_string(),
                    suggestion: "按季度公开村级财务".to_string(),
                    unit: "中共青山县农业农村局党组".to_string(),
                    deadline: day(2022, 7, 15),
                },
                NewItem {
                    problem: "集体资产台账不全".to_string(),
                    suggestion: "全面清查集体资产".to_string(),
                    unit: "中共青山县农业农村局党组".to_string(),
                    deadline: day(2022, 7, 15),
                },
            ],
        }
    }

    #[test]
    fn records_follow_up_and_history_and_survive_reopening() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("台账.db");
        let mut l = Ledger::open(&db).expect("open");
        assert_eq!(
            l.add(&rec("青纪建〔2022〕3号"), day(2022, 6, 15))
                .expect("add"),
            2
        );
        let e = l
            .add(&rec("青纪建〔2022〕3号"), day(2022, 6, 16))
            .unwrap_err();
        assert!(e.message.contains("已在台账中"), "{}", e.message);
        // Before the deadline nothing is overdue; after it both are.
        assert!(l.list(day(2022, 7, 15), true).expect("list").is_empty());
        let late = l.list(day(2022, 7, 16), true).expect("list");
        assert_eq!(late.len(), 2);
        assert_eq!(late[0].shown_status(day(2022, 7, 16)), "逾期");
        // Feedback on item 1: rectified, no longer overdue; item 2 still is.
        let u = Update {
            status: Some(Status::Rectified),
            feedback_date: Some(day(2022, 7, 20)),
            feedback_doc: Some("青农党〔2022〕9号".to_string()),
            note: Some("已按季度公开".to_string()),
            ..Update::default()
        };
        assert_eq!(
            l.feedback("青纪建〔2022〕3号", Some(1), &u, day(2022, 7, 21))
                .expect("fb"),
            1
        );
        drop(l);
        let l = Ledger::open(&db).expect("reopen");
        let all = l.list(day(2022, 8, 1), false).expect("list");
        assert_eq!(all[0].status, Status::Rectified);
        assert_eq!(all[0].feedback_date, Some(day(2022, 7, 20)));
        assert_eq!(all[0].feedback_doc, "青农党〔2022〕9号");
        assert_eq!(all[1].shown_status(day(2022, 8, 1)), "逾期");
        let h = l.history("青纪建〔2022〕3号").expect("history");
        let fields: Vec<&str> = h.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["记入台账", "状态", "反馈日期", "反馈材料", "备注"]);
        assert_eq!((h[1].old.as_str(), h[1].new.as_str()), ("待反馈", "已整改"));
        assert_eq!(h[1].at, "2022-07-21");
    }

    #[test]
    fn newer_databases_and_unknown_numbers_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("a.db");
        drop(Ledger::open(&db).expect("open"));
        let c = Connection::open(&db).expect("raw");
        c.execute_batch("PRAGMA user_version = 99;").expect("bump");
        drop(c);
        let e = Ledger::open(&db).err().expect("refused");
        assert!(e.message.contains("较新版本"), "{}", e.message);
        let db2 = dir.path().join("b.db");
        let mut l = Ledger::open(&db2).expect("open");
        let e = l
            .feedback("无此号", None, &Update::default(), day(2022, 1, 1))
            .unwrap_err();
        assert!(
            e.message.contains("台账中没有文号“无此号”"),
            "{}",
            e.message
        );
        // Not a database at all.
        let junk = dir.path().join("c.db");
        std::fs::write(&junk, b"this is not sqlite, just some bytes of text").expect("w");
        assert!(Ledger::open(&junk).is_err());
    }

    #[test]
    fn a_version_1_ledger_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("v1.db");
        {
            let mut l = Ledger::open(&db).expect("open");
            l.add(&rec("青纪建〔2022〕3号"), day(2022, 6, 15))
                .expect("add");
        }
        // Make it what version 1 left: no tables of version 2, user_version 1.
        let c = Connection::open(&db).expect("raw");
        c.execute_batch(
            "DROP TABLE issued_file; DROP TABLE issued; DROP TABLE number; DROP TABLE series;
             DROP TABLE counter_import; PRAGMA user_version = 1;",
        )
        .expect("downgrade");
        drop(c);
        let mut l = Ledger::open(&db).expect("migrate");
        assert_eq!(l.list(day(2022, 7, 1), false).expect("list").len(), 2);
        let n = l
            .assign_numbers(
                &[NumberRequest {
                    code: "青纪建".into(),
                    year: 2022,
                    key: "k".into(),
                }],
                None,
                None,
                day(2022, 7, 1),
            )
            .expect("numbers work after migration");
        assert_eq!(n.serials, vec![1]);
        let v: i32 = l
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("v");
        assert_eq!(v, SCHEMA_VERSION);
    }

    #[test]
    fn reminders_group_overdue_problems_by_unit() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut l = Ledger::open(&dir.path().join("r.db")).expect("open");
        l.add(&rec("青纪建〔2022〕3号"), day(2022, 6, 15))
            .expect("add");
        let mut other = rec("青纪建〔2022〕4号");
        other.recipient = "中共青山县水利局党组".to_string();
        for i in &mut other.items {
            i.deadline = day(2022, 8, 5);
        }
        l.add(&other, day(2022, 6, 20)).expect("add");
        let mut third = rec("青纪建〔2022〕5号");
        third.items.truncate(1);
        l.add(&third, day(2022, 6, 25)).expect("add");
        // Item 2 of the first is rectified: not overdue, not due.
        let u = Update {
            status: Some(Status::Rectified),
            ..Update::default()
        };
        l.feedback("青纪建〔2022〕3号", Some(2), &u, day(2022, 7, 1))
            .expect("fb");
        let rows = l.list(day(2022, 8, 1), false).expect("list");
        let r = reminders(&rows, day(2022, 8, 1), 7);
        assert_eq!(r.overdue.len(), 1);
        let o = &r.overdue[0];
        assert_eq!(o.recipient, "中共青山县农业农村局党组");
        assert_eq!(o.rows.len(), 2);
        assert_eq!(
            o.recommendations(),
            vec![
                ("青纪建〔2022〕3号".to_string(), day(2022, 6, 15)),
                ("青纪建〔2022〕5号".to_string(), day(2022, 6, 15))
            ]
        );
        // The water bureau's two problems are due in four days.
        assert_eq!(r.due_soon.len(), 2);
        assert!(r.due_soon.iter().all(|x| x.recipient.contains("水利局")));
        assert!(reminders(&rows, day(2022, 8, 1), 3).due_soon.is_empty());
    }

    #[test]
    fn statuses_read_back() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.label()), Some(s));
        }
        assert_eq!(Status::parse("销号"), Some(Status::Closed));
        assert_eq!(Status::parse("逾期"), None);
    }
}
