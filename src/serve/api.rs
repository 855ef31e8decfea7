//! The workbench's routes: the page and its assets, and the JSON API behind it. Handlers
//! parse the request, call the library (the same functions as the command line) on a
//! blocking thread, and turn the result into JSON or a file.

use super::workspace::{safe_file_name, Plan, Workspace};
use super::App;
use crate::error::Error;
use crate::extract::Extracted;
use crate::extract::Vocabulary;
use crate::instrument::batch::{self, can_draw, Options};
use crate::instrument::{self, rows, Data, Instrument, Raw};
use crate::model::checklist;
use crate::model::corrections::{Correction, Field};
use crate::model::ledger::Ledger;
use crate::model::taxonomy;
use crate::render::{table, OutKind};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const INDEX: &str = include_str!("../../assets/web/index.html");
const SCRIPT: &str = include_str!("../../assets/web/app.js");
const STYLE: &str = include_str!("../../assets/web/style.css");

/// The routes (the guard is layered on by the caller).
pub(super) fn router(app: Arc<App>) -> Router {
    let body_limit = usize::try_from(app.limits.file_bytes).unwrap_or(usize::MAX);
    Router::new()
        .route(
            "/",
            get(|| async { page(INDEX, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/style.css",
            get(|| async { page(STYLE, "text/css; charset=utf-8") }),
        )
        .route("/ui-font", get(ui_font))
        .route("/api/workspace", post(new_workspace))
        .route("/api/taxonomy", get(categories))
        .route("/api/plans", get(list_plans).post(add_plan))
        .route("/api/plans/{id}", axum::routing::delete(remove_plan))
        .route("/api/plans/{id}/corrections", post(correct))
        .route("/api/checklist", get(download_checklist))
        .route("/api/instruments", get(list_instruments))
        .route("/api/instruments/{id}", get(instrument_schema))
        .route("/api/instruments/{id}/check", post(check_data))
        .route("/api/instruments/{id}/render", post(render_data))
        .route("/api/instruments/{id}/number", post(number_data))
        .route("/api/batch/tables", post(add_table))
        .route("/api/batch/inspect", post(inspect_table))
        .route("/api/batch/run", post(run_batch))
        .route("/api/ledger", get(super::ledger::list))
        .route("/api/ledger/feedback", post(super::ledger::feedback))
        .route("/api/ledger/add", post(super::ledger::add))
        .route("/api/ledger/export", get(super::ledger::export))
        .route("/api/ledger/issued", get(super::ledger::issued))
        .route("/api/ledger/remind", get(super::ledger::remind))
        .route("/api/ledger/remind/notices", post(super::ledger::notices))
        .route("/api/jobs/{id}", get(job_status))
        .route("/api/jobs/{id}/download", get(job_download))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "没有这个页面或接口") })
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(app)
}

fn page(body: &'static str, kind: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' blob: data:; frame-src 'self' blob:; object-src 'self' blob:",
            ),
        ],
        body,
    )
        .into_response()
}

/// The 黑体 the documents are set in, as the pages' last Chinese font (`style.css`): a
/// machine without Chinese system fonts would show every character as a box. Only a
/// single-font file is served (a browser may refuse a collection); a machine whose 黑体 is
/// a system collection has Chinese system fonts for the pages anyway.
async fn ui_font(State(app): State<Arc<App>>) -> Response {
    let font = app.fonts.get(crate::render::Role::Hei);
    let ext = font
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let kind = match ext.as_deref() {
        Some("otf") if font.index == 0 => "font/otf",
        Some("ttf") if font.index == 0 => "font/ttf",
        _ => return error(StatusCode::NOT_FOUND, "没有可供网页使用的字体文件"),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        font.file_bytes(),
    )
        .into_response()
}

/// A JSON error `{"error": "…"}` with a status.
pub(super) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// An error of a handler: a status and a Chinese message, with details for forms.
pub(super) struct ApiError {
    pub(super) status: StatusCode,
    pub(super) body: Value,
}

impl ApiError {
    pub(super) fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            body: json!({ "error": message.into() }),
        }
    }

    fn missing(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            body: json!({ "error": message.into() }),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError::bad(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

pub(super) type Reply<T = Response> = std::result::Result<T, ApiError>;

/// Run library work on a blocking thread; a panic there is an internal error, not a stopped
/// server.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Reply<T> + Send + 'static,
) -> Reply<T> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        Err(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: json!({ "error": "内部错误：处理这个请求时程序出错，请把操作步骤告诉维护人员" }),
        })
    })
}

/// The workspace id a request gives in `X-Workspace` ("" when none).
fn workspace_id(headers: &HeaderMap) -> &str {
    headers
        .get("x-workspace")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The workspace a request names in `X-Workspace`.
pub(super) fn workspace(app: &App, headers: &HeaderMap) -> Reply<Arc<Mutex<Workspace>>> {
    app.workspaces
        .get(workspace_id(headers), &app.vocabulary, &app.limits)
        .ok_or_else(|| ApiError::bad("缺少或无效的工作区编号（X-Workspace），请刷新页面"))
}

pub(super) fn lock(ws: &Mutex<Workspace>) -> std::sync::MutexGuard<'_, Workspace> {
    ws.lock().unwrap_or_else(|e| e.into_inner())
}

/// The file name a request gives in `X-File-Name` (percent-encoded UTF-8).
fn file_name(headers: &HeaderMap) -> Reply<String> {
    let raw = headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::bad("缺少文件名（X-File-Name）"))?;
    let name = String::from_utf8(crate::text::percent_decode(raw))
        .map_err(|_| ApiError::bad("文件名不是有效的 UTF-8"))?;
    if name.trim().is_empty() {
        return Err(ApiError::bad("文件名为空"));
    }
    Ok(name)
}

/// The content type of a file the workbench sends, by its extension.
fn content_type(ext: &str) -> &'static str {
    match ext {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A file to download, named in UTF-8 (RFC 6266).
pub(super) fn attachment(bytes: Vec<u8>, name: &str, kind: &str, inline: bool) -> Response {
    let encoded = crate::text::percent_encode(name, b"-_.");
    let disposition = format!(
        "{}; filename=\"download\"; filename*=UTF-8''{encoded}",
        if inline { "inline" } else { "attachment" }
    );
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(kind) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

// ---- workspaces and plans ----

async fn new_workspace(State(app): State<Arc<App>>) -> Reply<Json<Value>> {
    let id = super::random_hex()?;
    app.workspaces
        .get(&id, &app.vocabulary, &app.limits)
        .ok_or_else(|| ApiError::bad("无法建立工作区文件夹"))?;
    Ok(Json(json!({ "workspace": id })))
}

async fn categories() -> Json<Value> {
    let list: Vec<Value> = taxonomy::categories()
        .iter()
        .map(|c| json!({ "id": c.id, "name": c.name }))
        .collect();
    Json(json!({ "categories": list }))
}

/// One plan as the page shows it, corrected: the checklist's cells of each item, by item id.
fn plan_view(v: &Vocabulary, plan: &Plan) -> Value {
    let doc = &plan.corrected(v);
    let (id, name, corrections) = (&plan.id, &plan.name, &plan.corrections);
    let heads = checklist::heads(doc);
    let corrected = |task: &str| -> Vec<Field> {
        corrections
            .iter()
            .filter(|c| c.task == task)
            .map(|c| c.field)
            .collect()
    };
    let items: Vec<Value> = doc
        .items
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "level": t.level,
                "marker": t.marker,
                "title": t.title,
                "measures": t.measures.join("\n"),
                "responsible": t.responsible.join("、"),
                "lead": t.lead.join("、"),
                "support": t.support.join("、"),
                "deadline": checklist::deadline_cell(t).replace('\n', "；"),
                "targets": t.targets.join("、"),
                "methods": t.methods.join("、"),
                "areas": t.areas.join("、"),
                "regulations": t.regulations.join("、"),
                "category": checklist::category_cell(t),
                "source": checklist::source_cell(&doc.source, t),
                "group": heads.contains(t.id.as_str()),
                "is_task": t.is_task,
                "corrected": corrected(&t.id),
            })
        })
        .collect();
    json!({
        "id": id,
        "name": name,
        "title": doc.title,
        "kind": doc.kind.name(),
        "year": doc.year,
        "tasks": checklist::task_count(std::slice::from_ref(doc)),
        "items": items,
    })
}

fn plans_json(v: &Vocabulary, ws: &Workspace) -> Value {
    let plans: Vec<Value> = ws.plans.iter().map(|p| plan_view(v, p)).collect();
    json!({ "plans": plans })
}

async fn list_plans(State(app): State<Arc<App>>, headers: HeaderMap) -> Reply<Json<Value>> {
    let ws = workspace(&app, &headers)?;
    blocking(move || Ok(Json(plans_json(&app.vocabulary, &lock(&ws))))).await
}

async fn add_plan(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply<Json<Value>> {
    let ws = workspace(&app, &headers)?;
    let name = file_name(&headers)?;
    blocking(move || {
        let mut ws = lock(&ws);
        let p = ws.add_plan(&app.vocabulary, &name, &body, &app.limits)?;
        let view = plan_view(&app.vocabulary, p);
        Ok(Json(json!({ "plan": view })))
    })
    .await
}

async fn remove_plan(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply<Json<Value>> {
    let ws = workspace(&app, &headers)?;
    blocking(move || {
        let mut ws = lock(&ws);
        if !ws.remove_plan(&id) {
            return Err(ApiError::missing(format!("没有编号为 {id} 的文件")));
        }
        Ok(Json(plans_json(&app.vocabulary, &ws)))
    })
    .await
}

async fn correct(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Reply<Json<Value>> {
    let ws = workspace(&app, &headers)?;
    let c: Correction = json_body(&body)?;
    blocking(move || {
        let mut ws = lock(&ws);
        let plan = ws
            .plan_mut(&id)
            .ok_or_else(|| ApiError::missing(format!("没有编号为 {id} 的文件")))?;
        plan.correct(&app.vocabulary, c).map_err(|e| ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({ "error": e.to_string() }),
        })?;
        let view = plan_view(&app.vocabulary, plan);
        Ok(Json(json!({ "plan": view })))
    })
    .await
}

#[derive(Deserialize)]
struct FormatQuery {
    format: Option<String>,
    download: Option<String>,
    /// Keep the file in the workspace and record it in the 文书台账.
    record: Option<String>,
}

async fn download_checklist(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<FormatQuery>,
) -> Reply {
    let ws = workspace(&app, &headers)?;
    let format = q
        .format
        .unwrap_or_else(|| "xlsx".to_string())
        .to_ascii_lowercase();
    blocking(move || {
        let ws = lock(&ws);
        if ws.plans.is_empty() {
            return Err(ApiError::bad("还没有上传工作要点，无法生成任务清单"));
        }
        let docs: Vec<Extracted> = ws
            .plans
            .iter()
            .map(|p| p.corrected(&app.vocabulary))
            .collect();
        let book = checklist::workbook(&app.vocabulary, &docs);
        let bytes = table::encode(&format, &book)
            .ok_or_else(|| ApiError::bad("format 只能是 xlsx、docx 或 csv"))??;
        Ok(attachment(
            bytes,
            &format!("任务清单.{format}"),
            content_type(&format),
            false,
        ))
    })
    .await
}

// ---- instruments ----

fn find<'a>(app: &'a App, id: &str) -> Reply<&'a Instrument> {
    instrument::find_in(&app.instruments, id).map_err(|e| ApiError::missing(e.to_string()))
}

/// A data value as JSON for a form: dates as YYYY-MM-DD, lists as arrays.
fn raw_json(v: &Raw) -> Value {
    match v {
        Raw::Text(s) => json!(s),
        Raw::Integer(i) => json!(i),
        Raw::Float(f) => json!(f),
        Raw::Bool(b) => json!(b),
        Raw::Date(y, m, d) => json!(format!("{y:04}-{m:02}-{d:02}")),
        Raw::List(l) => Value::Array(l.iter().map(raw_json).collect()),
        Raw::Table | Raw::Null => Value::Null,
    }
}

async fn list_instruments(State(app): State<Arc<App>>) -> Json<Value> {
    let list: Vec<Value> = app
        .instruments
        .iter()
        .map(|i| json!({ "id": i.id(), "name": i.name(), "code": i.code() }))
        .collect();
    Json(json!({ "instruments": list }))
}

async fn instrument_schema(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Reply<Json<Value>> {
    let inst = find(&app, &id)?;
    let fields: Vec<Value> = inst
        .schema
        .fields
        .iter()
        .map(|f| {
            json!({
                "key": f.key,
                "label": f.label,
                "kind": f.kind,
                "kind_name": f.kind.chinese(),
                "required": f.required,
                "required_if": f.required_if.as_ref().map(|c| json!({"field": c.field, "equals": c.equals})),
                "choices": f.choices,
                "paragraphs": f.paragraphs,
                "help": f.help,
                "default": f.default.as_ref().map(|v| v.to_string().trim_matches('"').to_string()),
            })
        })
        .collect();
    // The bundled sample data, by key, for 填入示例.
    let mut example = serde_json::Map::new();
    if let Some((_, text)) = instrument::SAMPLES
        .iter()
        .find(|(sid, _)| *sid == inst.id())
    {
        if let Ok(data) = Data::from_toml(text) {
            for (k, v) in &data.entries {
                if let Some(f) = inst.schema.field(k) {
                    example.insert(f.key.clone(), raw_json(v));
                }
            }
        }
    }
    Ok(Json(json!({
        "id": inst.id(),
        "name": inst.name(),
        "code": inst.code(),
        "fields": fields,
        "example": example,
    })))
}

fn problems(report: &instrument::Report) -> Value {
    let list = |v: &[instrument::Problem]| -> Vec<Value> {
        v.iter()
            .map(|p| json!({ "field": p.field, "message": p.message }))
            .collect()
    };
    json!({ "errors": list(&report.errors), "warnings": list(&report.warnings) })
}

/// A JSON body of the type a handler takes, whatever its Content-Type; a Chinese error
/// when it is not one.
pub(super) fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Reply<T> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad(format!(
            "请求内容不是所需的 JSON（第{}行第{}列：{}）",
            e.line(),
            e.column(),
            match e.classify() {
                serde_json::error::Category::Data => "字段缺少或类型不对",
                serde_json::error::Category::Eof => "内容不完整",
                _ => "格式错误",
            }
        ))
    })
}

fn data_of(body: &Bytes) -> Reply<Data> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad("数据不是有效的 UTF-8"))?;
    Ok(Data::from_json(text)?)
}

async fn check_data(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Reply<Json<Value>> {
    blocking(move || {
        let inst = find(&app, &id)?;
        let data = data_of(&body)?;
        let report = instrument::validate(inst, &data, &can_draw(&app.fonts));
        Ok(Json(problems(&report)))
    })
    .await
}

/// The check's errors as the form shows them, when there are any.
fn refuse(report: &instrument::Report, what: &str) -> Reply<()> {
    if report.errors.is_empty() {
        return Ok(());
    }
    let mut body = problems(report);
    body["error"] = json!(format!("数据有 {} 处问题，{what}", report.errors.len()));
    Err(ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body,
    })
}

async fn render_data(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(q): Query<FormatQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let record = q.record.is_some();
    let ws = if record {
        Some(workspace(&app, &headers)?)
    } else {
        None
    };
    blocking(move || {
        let inst = find(&app, &id)?;
        let data = data_of(&body)?;
        let kind = OutKind::from_name(q.format.as_deref().unwrap_or("pdf"))
            .ok_or_else(|| ApiError::bad("format 只能是 pdf 或 docx"))?;
        let who = batch::text_of(data.get("name"));
        let name = if who.is_empty() {
            format!("{}.{}", inst.name(), kind.extension())
        } else {
            format!(
                "{}-{}.{}",
                safe_file_name(&who),
                inst.name(),
                kind.extension()
            )
        };
        let (bytes, recorded) = match &ws {
            None => {
                let report = instrument::validate(inst, &data, &can_draw(&app.fonts));
                refuse(&report, "没有生成文件")?;
                let doc = instrument::fill(inst, &data)?;
                (kind.write(&doc, &app.fonts)?, None)
            }
            // Kept in a folder of its own in the workspace: the 文书台账 names the file and
            // its hash, and a later render of other data does not overwrite it.
            Some(ws) => {
                let path = lock(ws).new_folder("issued")?.join(&name);
                let written =
                    instrument::write(inst, &data, std::slice::from_ref(&path), &app.fonts)?;
                refuse(&written.report, "没有生成文件")?;
                let entry = instrument::entry::issued(inst, &data, written.files);
                let r = Ledger::open(&app.ledger)?.record_issued(
                    std::slice::from_ref(&entry),
                    crate::model::progress::Day::today(),
                )?;
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, &e))?;
                (bytes, Some(r.instruments > 0))
            }
        };
        let mut resp = attachment(
            bytes,
            &name,
            content_type(kind.extension()),
            q.download.is_none(),
        );
        if let Some(new) = recorded {
            resp.headers_mut().insert(
                "X-Jiandu-Recorded",
                axum::http::HeaderValue::from_static(if new { "new" } else { "known" }),
            );
        }
        Ok(resp)
    })
    .await
}

/// Give the form's data a 文号 from the ledger's sequence of the template's 代字 (the one
/// `jiandu render --number` and batches use). Data that fails its check uses no number.
async fn number_data(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Reply<Json<Value>> {
    blocking(move || {
        let inst = find(&app, &id)?;
        if inst.schema.field("doc_number").is_none() {
            return Err(ApiError::bad(format!("{}没有文号一栏", inst.name())));
        }
        let data = data_of(&body)?;
        let report = instrument::validate(inst, &data, &can_draw(&app.fonts));
        refuse(&report, "请先改正再取文号")?;
        let today = crate::model::progress::Day::today();
        let (_, given) = batch::number_one(inst, &data, inst.code(), &app.ledger, today)?;
        Ok(Json(json!({
            "doc_number": given.clone().unwrap_or_else(|| batch::text_of(data.get("doc_number"))),
            "given": given.is_some(),
        })))
    })
    .await
}

// ---- batches ----

/// A batch's progress and result, polled by the page.
#[derive(Debug, Default)]
pub(super) struct Job {
    workspace: String,
    total: AtomicUsize,
    done: AtomicUsize,
    result: Mutex<Option<std::result::Result<Value, String>>>,
    out: std::path::PathBuf,
    zip: std::path::PathBuf,
}

/// Every batch job of the server, by id.
#[derive(Debug, Default)]
pub(super) struct Jobs(Mutex<HashMap<String, Arc<Job>>>);

#[derive(Deserialize)]
struct TableQuery {
    instrument: String,
}

#[derive(Deserialize)]
struct BatchRequest {
    /// The uploaded table's id.
    table: String,
    instrument: String,
    /// Header → field key or label overrides.
    #[serde(default)]
    map: Vec<(String, String)>,
    /// Values shared by every row (发文机关 …), by key or label.
    #[serde(default)]
    shared: serde_json::Map<String, Value>,
    #[serde(default)]
    formats: Vec<String>,
    #[serde(default)]
    merge: bool,
    #[serde(default)]
    duplex: bool,
    /// Record what is made in the ledger's 文书台账.
    #[serde(default)]
    record: bool,
}

/// The uploaded table of an id in a workspace.
fn table_path(ws: &Workspace, id: &str) -> Reply<std::path::PathBuf> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ApiError::bad("无效的表格编号"));
    }
    let dir = ws.dir.join("tables").join(id);
    std::fs::read_dir(&dir)
        .ok()
        .and_then(|d| d.flatten().map(|e| e.path()).next())
        .ok_or_else(|| ApiError::missing("没有这个名单表格，请重新上传"))
}

/// Read and check a table: headers and the field each fills, the rows that fail and why.
fn inspect(app: &App, path: &std::path::Path, req: &BatchRequest) -> Reply<Value> {
    let inst = find(app, &req.instrument)?;
    let table = rows::read(path, None, inst, &req.map, &app.limits).map_err(|mut e| {
        e.path = path.file_name().map(std::path::PathBuf::from);
        e
    })?;
    let shared = shared_data(&req.shared);
    let checked = batch::check(inst, &shared, &table, &can_draw(&app.fonts));
    let headers: Vec<Value> = table
        .headers
        .iter()
        .zip(&table.keys)
        .map(|(h, k)| {
            let label = k
                .as_deref()
                .and_then(|k| inst.schema.by_key(k))
                .map(|f| f.label.clone());
            json!({ "header": h, "key": k, "label": label })
        })
        .collect();
    let fields: Vec<Value> = inst
        .schema
        .fields
        .iter()
        .map(|f| {
            json!({ "key": f.key, "label": f.label, "required": f.required, "kind": f.kind, "choices": f.choices })
        })
        .collect();
    Ok(json!({
        "instrument": inst.id(),
        "headers": headers,
        "fields": fields,
        "rows": checked.rows,
        "valid": checked.valid.len(),
        "bad_rows": checked.bad_rows(),
        "failures": checked.failures,
        "warnings": checked.warnings.iter().map(|(m, r)| json!({"message": m, "rows": r})).collect::<Vec<_>>(),
    }))
}

fn shared_data(map: &serde_json::Map<String, Value>) -> Data {
    let mut d = Data::new();
    for (k, v) in map {
        let raw = Raw::from_json(v);
        if !raw.is_empty() {
            d.set(k.clone(), raw);
        }
    }
    d
}

async fn add_table(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<TableQuery>,
    body: Bytes,
) -> Reply<Json<Value>> {
    let ws = workspace(&app, &headers)?;
    let name = safe_file_name(&file_name(&headers)?);
    blocking(move || {
        let dir = lock(&ws).new_folder("tables")?;
        let id = dir
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(&name);
        crate::render::write_atomic(&path, &body)?;
        let req = BatchRequest {
            table: id.clone(),
            instrument: q.instrument,
            map: Vec::new(),
            shared: Default::default(),
            formats: Vec::new(),
            merge: false,
            duplex: false,
            record: false,
        };
        match inspect(&app, &path, &req) {
            Ok(mut v) => {
                v["table"] = json!(id);
                v["name"] = json!(name);
                Ok(Json(v))
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    })
    .await
}

async fn inspect_table(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply<Json<Value>> {
    let ws = workspace(&app, &headers)?;
    let req: BatchRequest = json_body(&body)?;
    blocking(move || {
        let path = table_path(&lock(&ws), &req.table)?;
        let mut v = inspect(&app, &path, &req)?;
        v["table"] = json!(req.table);
        Ok(Json(v))
    })
    .await
}

async fn run_batch(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply<Json<Value>> {
    let req: BatchRequest = json_body(&body)?;
    let ws_id = workspace_id(&headers).to_string();
    let ws = workspace(&app, &headers)?;
    let formats = OutKind::parse_list(req.formats.iter().map(String::as_str))
        .map_err(|f| ApiError::bad(format!("格式只能是 pdf 或 docx，收到的是“{f}”")))?;
    if formats.is_empty() && !req.merge {
        return Err(ApiError::bad(
            "请至少选择一种输出：PDF、Word 或合并打印文件",
        ));
    }
    let (path, dir) = {
        let mut w = lock(&ws);
        (table_path(&w, &req.table)?, w.new_folder("jobs")?)
    };
    let inst = find(&app, &req.instrument)?.clone();
    let job_id = dir
        .file_name()
        .map(|f| format!("{ws_id}-{}", f.to_string_lossy()))
        .unwrap_or_default();
    let job = Arc::new(Job {
        workspace: ws_id,
        out: dir.join("文书"),
        zip: dir.join("文书.zip"),
        ..Job::default()
    });
    app.jobs
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(job_id.clone(), job.clone());
    let app2 = app.clone();
    // Not awaited: the page polls the job while other requests go on.
    tokio::task::spawn_blocking(move || {
        let result = run_job(&app2, &inst, &path, &req, formats, &job);
        *job.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    });
    Ok(Json(json!({ "job": job_id })))
}

fn run_job(
    app: &App,
    inst: &Instrument,
    path: &std::path::Path,
    req: &BatchRequest,
    formats: Vec<OutKind>,
    job: &Job,
) -> std::result::Result<Value, String> {
    let table = rows::read(path, None, inst, &req.map, &app.limits).map_err(|e| e.message)?;
    if table.rows.is_empty() {
        return Err("表格中没有数据行".to_string());
    }
    let shared = shared_data(&req.shared);
    let merge_name = format!("全部{}-合并打印.pdf", inst.name());
    let opts = Options {
        output: job.out.clone(),
        formats,
        name: batch::DEFAULT_NAME.to_string(),
        merge: req.merge.then(|| job.out.join(&merge_name)),
        duplex: req.duplex,
        force: false,
        start: None,
        code: inst.code().to_string(),
        ledger: app.ledger.clone(),
        record: req.record,
        today: crate::model::progress::Day::today(),
    };
    let checked = batch::check(inst, &shared, &table, &can_draw(&app.fonts));
    job.total.store(checked.valid.len(), Ordering::Relaxed);
    let prepared =
        batch::prepare(inst, checked.valid, checked.rows, &opts).map_err(|e| e.to_string())?;
    let outcome = batch::execute(
        inst,
        &prepared,
        checked.failures,
        &opts,
        &app.fonts,
        &|done, _| job.done.store(done, Ordering::Relaxed),
    )
    .map_err(|e| e.to_string())?;
    drop(prepared);
    let files = zip_folder(&job.out, &job.zip).map_err(|e| e.to_string())?;
    Ok(json!({
        "rows": table.rows.len(),
        "made": outcome.made,
        "bad_rows": outcome.bad_rows(),
        "failures": outcome.failures,
        "merged": req.merge.then_some(merge_name),
        "report": outcome.report.map(|_| batch::ERROR_REPORT),
        "recorded": outcome.recorded.map(|r| r.instruments),
        "files": files,
    }))
}

/// Zip the whole files of a folder (not its lock and temporary files); returns their names.
pub(super) fn zip_folder(dir: &std::path::Path, to: &std::path::Path) -> crate::Result<usize> {
    use std::io::Write;
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, &e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| !n.starts_with(".jiandu-"))
        })
        .collect();
    names.sort();
    let file = crate::render::AtomicFile::create(to)?;
    {
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file.file()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for p in &names {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(p).map_err(|e| Error::io(p, &e))?;
            zip.start_file(name, opts)
                .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
                .map_err(|e| Error::file(to, format!("无法写入压缩包（{e}）")))?;
        }
        let mut w = zip
            .finish()
            .map_err(|e| Error::file(to, format!("无法写入压缩包（{e}）")))?;
        w.flush().map_err(|e| Error::io(to, &e))?;
    }
    file.commit()?;
    Ok(names.len())
}

fn job_of(app: &App, headers: &HeaderMap, id: &str) -> Reply<Arc<Job>> {
    let ws = workspace_id(headers);
    app.jobs
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(id)
        .filter(|j| j.workspace == ws)
        .cloned()
        .ok_or_else(|| ApiError::missing("没有这个批量任务"))
}

async fn job_status(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply<Json<Value>> {
    let job = job_of(&app, &headers, &id)?;
    let result = job.result.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let (state, result, err) = match result {
        None => ("running", Value::Null, Value::Null),
        Some(Ok(v)) => ("done", v, Value::Null),
        Some(Err(e)) => ("failed", Value::Null, json!(e)),
    };
    Ok(Json(json!({
        "state": state,
        "done": job.done.load(Ordering::Relaxed),
        "total": job.total.load(Ordering::Relaxed),
        "result": result,
        "error": err,
    })))
}

#[derive(Deserialize)]
struct FileQuery {
    file: Option<String>,
}

async fn job_download(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
) -> Reply {
    let job = job_of(&app, &headers, &id)?;
    if job
        .result
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_none()
    {
        return Err(ApiError::bad("批量生成还没有完成"));
    }
    blocking(move || {
        let (path, name) = match q.file {
            None => (job.zip.clone(), "文书.zip".to_string()),
            Some(f) => {
                let safe = safe_file_name(&f);
                if safe != f {
                    return Err(ApiError::bad("无效的文件名"));
                }
                (job.out.join(&safe), safe)
            }
        };
        let bytes =
            std::fs::read(&path).map_err(|_| ApiError::missing(format!("没有文件“{name}”")))?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        Ok(attachment(bytes, &name, content_type(ext), false))
    })
    .await
}
