//! The workbench's 整改台账 routes: list (all or overdue), record feedback, record a
//! recommendation from the 文书 form, export; the 文书台账; 督办提醒 and their notices. One SQLite file shared by every tab, opened
//! per request (the library's `Ledger`; SQLite serializes the writers).

use super::api::{blocking, json_body, ApiError, Reply};
use super::App;
use crate::instrument::{self, Data};
use crate::model::ledger::{self, Ledger, Row, Status, Update};
use crate::model::progress::Day;
use crate::render::table;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// A date as a clerk types it, or a Chinese error naming the field.
fn day(s: &str, field: &str) -> Reply<Day> {
    Ok(ledger::user_day(s, field)?)
}

fn row_json(r: &Row, as_of: Day) -> Value {
    json!({
        "doc_number": r.doc_number,
        "seq": r.seq,
        "recipient": r.recipient,
        "problem": r.problem,
        "suggestion": r.suggestion,
        "unit": r.unit,
        "deadline": r.deadline.chinese(),
        "status": r.shown_status(as_of),
        "stored_status": r.status.label(),
        "overdue": r.is_overdue(as_of),
        "feedback_date": r.feedback_date.map(Day::iso),
        "feedback_doc": r.feedback_doc,
        "revisit_date": r.revisit_date.map(Day::iso),
        "notes": r.notes,
    })
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    overdue: Option<String>,
    as_of: Option<String>,
}

fn as_of(q: &ListQuery) -> Reply<Day> {
    match q.as_of.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => day(s, "截至日期"),
        None => Ok(Day::today()),
    }
}

pub(super) async fn list(
    State(app): State<Arc<App>>,
    Query(q): Query<ListQuery>,
) -> Reply<Json<Value>> {
    blocking(move || {
        let as_of = as_of(&q)?;
        let only = q
            .overdue
            .as_deref()
            .is_some_and(|v| v == "1" || v == "true");
        let l = Ledger::open(&app.ledger)?;
        let all = l.list(as_of, false)?;
        let overdue = all.iter().filter(|r| r.is_overdue(as_of)).count();
        let rows: Vec<Value> = all
            .iter()
            .filter(|r| !only || r.is_overdue(as_of))
            .map(|r| row_json(r, as_of))
            .collect();
        Ok(Json(json!({
            "as_of": as_of.iso(),
            "total": all.len(),
            "overdue": overdue,
            "rows": rows,
            "statuses": Status::ALL.iter().map(|s| s.label()).collect::<Vec<_>>(),
        })))
    })
    .await
}

#[derive(Deserialize)]
struct Feedback {
    doc_number: String,
    seq: Option<u32>,
    status: Option<String>,
    feedback_date: Option<String>,
    feedback_doc: Option<String>,
    revisit_date: Option<String>,
    note: Option<String>,
}

/// Blank strings are no change.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(super) async fn feedback(State(app): State<Arc<App>>, body: Bytes) -> Reply<Json<Value>> {
    let f: Feedback = json_body(&body)?;
    blocking(move || {
        let status = given(&f.status)
            .map(|s| Status::parse_named(s, "状态"))
            .transpose()?;
        let update = Update {
            status,
            feedback_date: given(&f.feedback_date)
                .map(|s| day(s, "反馈日期"))
                .transpose()?,
            feedback_doc: given(&f.feedback_doc).map(str::to_string),
            revisit_date: given(&f.revisit_date)
                .map(|s| day(s, "回访日期"))
                .transpose()?,
            note: given(&f.note).map(str::to_string),
            notes: None,
        };
        if update == Update::default() {
            return Err(ApiError::bad(
                "没有要记录的内容：请至少填写状态、反馈日期、反馈材料、回访日期或备注之一",
            ));
        }
        let mut l = Ledger::open(&app.ledger)?;
        let n = l.feedback(&f.doc_number, f.seq, &update, Day::today())?;
        Ok(Json(json!({ "changed": n })))
    })
    .await
}

/// Record a filled 纪检监察建议书 (the form's data) in the ledger.
pub(super) async fn add(State(app): State<Arc<App>>, body: Bytes) -> Reply<Json<Value>> {
    blocking(move || {
        let text = std::str::from_utf8(&body).map_err(|_| ApiError::bad("数据不是有效的 UTF-8"))?;
        let data = Data::from_json(text)?;
        let inst = instrument::find_in(&app.instruments, "recommendation")
            .map_err(|e| ApiError::bad(e.to_string()))?;
        let rec = instrument::entry::recommendation(inst, &data).map_err(|e| ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({ "error": e.to_string() }),
        })?;
        if rec.doc_number.trim().is_empty() {
            return Err(ApiError::bad("请先填写文号：台账按文号跟踪每一份建议书"));
        }
        let mut l = Ledger::open(&app.ledger)?;
        let n = l.add(&rec, Day::today())?;
        Ok(Json(json!({
            "doc_number": rec.doc_number,
            "items": n,
            "deadline": rec.items.first().map(|i| i.deadline.chinese()),
        })))
    })
    .await
}

pub(super) async fn export(
    State(app): State<Arc<App>>,
    Query(q): Query<ListQuery>,
) -> Reply<Response> {
    blocking(move || {
        let as_of = as_of(&q)?;
        let l = Ledger::open(&app.ledger)?;
        let rows = l.list(as_of, false)?;
        let book = table::Workbook {
            sheets: vec![ledger::sheet(&rows, as_of)],
        };
        Ok(super::api::attachment(
            table::to_xlsx(&book)?,
            "整改台账.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            false,
        ))
    })
    .await
}

/// The 文书台账: every instrument recorded, newest first.
pub(super) async fn issued(State(app): State<Arc<App>>) -> Reply<Json<Value>> {
    blocking(move || {
        let l = Ledger::open(&app.ledger)?;
        let mut rows: Vec<Value> = l.issued()?.iter().map(|r| r.to_json()).collect();
        rows.reverse();
        Ok(Json(json!({ "rows": rows })))
    })
    .await
}

#[derive(Deserialize)]
pub(super) struct RemindQuery {
    as_of: Option<String>,
    within: Option<String>,
}

/// The 截至 day and the days ahead of a 督办提醒 request.
fn remind_span(q: &RemindQuery) -> Reply<(Day, i64)> {
    let as_of = as_of(&ListQuery {
        overdue: None,
        as_of: q.as_of.clone(),
    })?;
    let within = match q.within.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => REMIND_DAYS,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3660).contains(d))
            .ok_or_else(|| {
                ApiError::bad(format!("提前天数应为 0 到 3660 的整数，收到的是“{s}”"))
            })?,
    };
    Ok((as_of, within))
}

/// Days ahead a 督办提醒 looks when not told, as `jiandu ledger remind` does.
const REMIND_DAYS: i64 = 7;

/// Problems due within the days asked about, and the overdue ones by unit.
pub(super) async fn remind(
    State(app): State<Arc<App>>,
    Query(q): Query<RemindQuery>,
) -> Reply<Json<Value>> {
    blocking(move || {
        let (as_of, within) = remind_span(&q)?;
        let rows = Ledger::open(&app.ledger)?.list(as_of, false)?;
        let r = ledger::reminders(&rows, as_of, within);
        let overdue: Vec<Value> = r
            .overdue
            .iter()
            .map(|o| {
                json!({
                    "recipient": o.recipient,
                    "rows": o.rows.iter().map(|x| {
                        let mut v = row_json(x, as_of);
                        v["days_overdue"] = json!(as_of.days() - x.deadline.days());
                        v
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(Json(json!({
            "as_of": as_of.iso(),
            "within": within,
            "due_soon": r.due_soon.iter().map(|x| row_json(x, as_of)).collect::<Vec<_>>(),
            "overdue": overdue,
        })))
    })
    .await
}

#[derive(Deserialize)]
pub(super) struct NoticeRequest {
    as_of: Option<String>,
    /// Number each notice from the ledger's 督办 sequence.
    #[serde(default)]
    number: bool,
    /// 联系人, 联系电话 … by key or label.
    #[serde(default)]
    shared: serde_json::Map<String, Value>,
}

/// One 督办通知书 per overdue unit (PDF, Word and data file), zipped.
pub(super) async fn notices(
    State(app): State<Arc<App>>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Reply<Response> {
    let req: NoticeRequest = json_body(&body)?;
    let ws = super::api::workspace(&app, &headers)?;
    blocking(move || {
        let (as_of, _) = remind_span(&RemindQuery {
            as_of: req.as_of.clone(),
            within: None,
        })?;
        let rows = Ledger::open(&app.ledger)?.list(as_of, false)?;
        let r = ledger::reminders(&rows, as_of, 0);
        if r.overdue.is_empty() {
            return Err(ApiError::bad(format!(
                "截至{}没有逾期的问题，不需要督办",
                as_of.chinese()
            )));
        }
        let inst = instrument::find_in(&app.instruments, "supervise-notice")
            .map_err(|e| ApiError::bad(e.to_string()))?;
        let dir = super::api::lock(&ws).new_folder("remind")?;
        let out = dir.join("督办通知书");
        let shared: Vec<(String, String)> = req
            .shared
            .iter()
            .filter_map(|(k, v)| {
                let t = match v {
                    Value::String(s) => s.trim().to_string(),
                    Value::Number(n) => n.to_string(),
                    _ => String::new(),
                };
                (!t.is_empty()).then(|| (k.clone(), t))
            })
            .collect();
        let opts = instrument::remind::Options {
            out: &out,
            as_of,
            shared: &shared,
            number: req.number.then_some(""),
            ledger: &app.ledger,
        };
        let drafted = instrument::remind::draft(inst, &r.overdue, &opts, &app.fonts)?;
        let failed: Vec<String> = drafted
            .iter()
            .filter_map(|(who, r)| r.as_ref().err().map(|e| format!("给{who}的没有生成：{e}")))
            .collect();
        let made = drafted.len() - failed.len();
        if made == 0 {
            return Err(ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: json!({ "error": format!("督办通知书没有生成：{}", failed.join("；")) }),
            });
        }
        let zip = dir.join("督办通知书.zip");
        super::api::zip_folder(&out, &zip)?;
        let bytes = std::fs::read(&zip).map_err(|e| crate::Error::io(&zip, &e))?;
        let mut resp = super::api::attachment(
            bytes,
            &format!("督办通知书-{}.zip", as_of.iso()),
            "application/zip",
            false,
        );
        let summary = format!(
            "已起草 {made} 份督办通知书{}",
            if failed.is_empty() {
                String::new()
            } else {
                format!("；{}", failed.join("；"))
            }
        );
        if let Ok(v) =
            axum::http::HeaderValue::from_str(&crate::text::percent_encode(&summary, b""))
        {
            resp.headers_mut().insert("X-Jiandu-Summary", v);
        }
        Ok(resp)
    })
    .await
}
