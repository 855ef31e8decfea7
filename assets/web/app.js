// jiandu 工作台: plain JavaScript over the JSON API (see README “网页工作台”).
"use strict";

const $ = (s, el = document) => el.querySelector(s);
const $$ = (s, el = document) => Array.from(el.querySelectorAll(s));
let workspace = sessionStorage.getItem("jiandu-workspace");
let categories = [];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function status(id, text, kind = "") {
  const p = $(id);
  p.textContent = text;
  p.className = "status " + kind;
}

async function api(path, opts = {}) {
  const headers = Object.assign({ "X-Workspace": workspace || "" }, opts.headers || {});
  let r;
  try {
    r = await fetch(path, Object.assign({}, opts, { headers }));
  } catch (e) {
    throw { error: "无法连接工作台：它可能已经关闭，请重新启动 jiandu serve" };
  }
  const type = r.headers.get("Content-Type") || "";
  if (!r.ok) {
    const body = type.includes("json") ? await r.json() : { error: await r.text() };
    body.status = r.status;
    throw body;
  }
  if (opts.raw) return r;
  return type.includes("json") ? r.json() : r.blob();
}

async function ensureWorkspace() {
  if (workspace) return;
  const r = await api("/api/workspace", { method: "POST" });
  workspace = r.workspace;
  sessionStorage.setItem("jiandu-workspace", workspace);
}

function saveBlob(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 5000);
}

function fileNameOf(r, fallback) {
  const d = r.headers.get("Content-Disposition") || "";
  const m = d.match(/filename\*=UTF-8''([^;]+)/);
  return m ? decodeURIComponent(m[1]) : fallback;
}

async function download(path, fallback, statusId) {
  try {
    const r = await api(path, { raw: true });
    saveBlob(await r.blob(), fileNameOf(r, fallback));
  } catch (e) {
    status(statusId, e.error || String(e), "error");
  }
}

// ---- tabs ----
for (const t of $$(".tab")) {
  t.addEventListener("click", () => {
    for (const o of $$(".tab")) o.classList.toggle("on", o === t);
    for (const p of $$(".pane")) p.hidden = p.id !== t.dataset.pane;
    sessionStorage.setItem("jiandu-tab", t.dataset.pane);
  });
}

// ---- plans → checklist ----
const EDITABLE = [
  ["responsible", "责任单位"],
  ["lead", "牵头单位"],
  ["support", "配合单位"],
  ["deadline", "完成时限"],
];

function renderPlans(plans) {
  const list = $("#plan-list");
  list.textContent = "";
  for (const p of plans) list.append(planTable(p));
  const n = plans.reduce((s, p) => s + p.tasks, 0);
  for (const a of $$(".downloads .button")) a.classList.toggle("off", plans.length === 0);
  return n;
}

function planTable(p) {
  const box = el("div", { class: "plan", "data-plan": p.id });
  box.append(el("div", { class: "plan-head" },
    el("h3", {}, p.title + " ", el("small", { text: `${p.name} · ${p.year ? p.year + "年 · " : ""}${p.tasks} 项任务` })),
    el("button", { type: "button", class: "remove", text: "移除此文件", onclick: () => removePlan(p.id) })));
  const head = el("tr", {}, ...["编号", "工作任务", ...EDITABLE.map(e => e[1]), "类别", "来源", ""].map(h => el("th", { text: h })));
  const body = el("tbody");
  let n = 0;
  for (const it of p.items) {
    const tr = el("tr", { class: "item" + (it.group ? " group" : ""), "data-task": it.id });
    tr.append(el("td", { class: "num", text: it.group ? "" : String(++n) }));
    const title = el("td", { class: "title", contenteditable: "true", "data-field": "title",
      style: `padding-left:${0.5 + (it.level - 1) * 1.2}em` }, it.marker + it.title);
    title.dataset.value = it.title;
    title.dataset.marker = it.marker;
    if (it.corrected.includes("title")) title.classList.add("fixed");
    const cell = el("td", { class: "titlecell" });
    tr.append(title);
    if (it.measures) title.append(el("div", { class: "measures", contenteditable: "false", text: it.measures }));
    const slots = [["监督对象", it.targets], ["监督方式", it.methods], ["重点领域", it.areas], ["依据", it.regulations]]
      .filter(([, v]) => v).map(([k, v]) => `${k}：${v}`).join("　");
    if (slots) title.append(el("div", { class: "slots", contenteditable: "false", text: slots }));
    for (const [field] of EDITABLE) {
      const td = el("td", { contenteditable: "true", "data-field": field, text: it[field] });
      td.dataset.value = it[field];
      if (it.corrected.includes(field)) td.classList.add("fixed");
      tr.append(td);
    }
    const catCell = el("td", { "data-field": "category" });
    if (!it.group) {
      const sel = el("select", { "aria-label": "类别" });
      const shown = it.category.startsWith("待定") ? "" : it.category;
      sel.append(el("option", { value: "", text: it.category.startsWith("待定") ? it.category : "待定" }));
      for (const c of categories) sel.append(el("option", { value: c.name, text: c.name, selected: c.name === shown }));
      sel.addEventListener("change", () => correct(p.id, it.id, "category", sel.value));
      catCell.append(sel);
      if (it.corrected.includes("category")) catCell.classList.add("fixed");
    }
    tr.append(catCell);
    tr.append(el("td", { class: "source", text: it.source }));
    tr.append(el("td", {}, el("button", { type: "button", class: "not-task", title: "从清单中去掉这一行",
      text: "不是任务", onclick: () => correct(p.id, it.id, "not_task", "是") })));
    body.append(tr);
    void cell;
  }
  body.addEventListener("focusout", (ev) => {
    const td = ev.target.closest("td[contenteditable]");
    if (!td) return;
    let value = td.dataset.field === "title"
      ? td.firstChild && td.firstChild.nodeType === 3 ? td.firstChild.textContent : td.textContent
      : td.textContent;
    value = value.trim();
    if (td.dataset.field === "title" && value.startsWith(td.dataset.marker)) value = value.slice(td.dataset.marker.length);
    if (value === (td.dataset.value || "").trim()) return;
    correct(p.id, td.closest("tr").dataset.task, td.dataset.field, value);
  });
  body.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && ev.target.matches("td[contenteditable]")) {
      ev.preventDefault();
      ev.target.blur();
    }
  });
  box.append(el("table", { class: "grid items" }, el("thead", {}, head), body));
  return box;
}

async function loadPlans() {
  const r = await api("/api/plans");
  renderPlans(r.plans);
  return r.plans;
}

async function correct(plan, task, field, value) {
  try {
    await api(`/api/plans/${plan}/corrections`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ task, field, value }),
    });
    await loadPlans();
    status("#plan-status", "已保存修改", "ok");
  } catch (e) {
    status("#plan-status", e.error || String(e), "error");
    await loadPlans();
  }
}

async function removePlan(id) {
  try {
    const r = await api(`/api/plans/${id}`, { method: "DELETE" });
    renderPlans(r.plans);
    status("#plan-status", "已移除", "ok");
  } catch (e) {
    status("#plan-status", e.error || String(e), "error");
  }
}

async function uploadPlans(files) {
  let ok = 0;
  const errors = [];
  for (const f of files) {
    status("#plan-status", `正在读取 ${f.name} …`);
    try {
      await api("/api/plans", { method: "POST", headers: { "X-File-Name": encodeURIComponent(f.name) }, body: f });
      ok++;
    } catch (e) {
      errors.push(e.error || String(e));
    }
  }
  const plans = await loadPlans();
  const tasks = plans.reduce((s, p) => s + p.tasks, 0);
  if (errors.length) status("#plan-status", `读取了 ${ok} 个文件，${errors.length} 个出错：` + errors.join("；"), "error");
  else status("#plan-status", `已读取 ${ok} 个文件，清单共 ${tasks} 项任务`, "ok");
}

$("#plan-files").addEventListener("change", (e) => { uploadPlans(Array.from(e.target.files)); e.target.value = ""; });
const drop = $("#plan-drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); uploadPlans(Array.from(e.dataTransfer.files)); });
for (const f of ["xlsx", "docx", "csv"]) {
  $("#dl-" + f).addEventListener("click", (e) => { e.preventDefault(); download(`/api/checklist?format=${f}`, `任务清单.${f}`, "#plan-status"); });
}

// ---- instruments ----
let schema = null;
let previewTimer = null;

async function fillInstrumentLists() {
  const r = await api("/api/instruments");
  for (const sel of [$("#inst"), $("#batch-inst")]) {
    sel.textContent = "";
    for (const i of r.instruments) sel.append(el("option", { value: i.id, text: i.name }));
  }
}

// A date as typed (2022-03-05, 2022年3月5日 …: the server reads them all and says what is
// wrong), with a calendar beside it that fills it in.
function dateInput(id, attrs = {}) {
  const text = el("input", Object.assign({ type: "text", id, placeholder: "如 2022-03-05 或 2022年3月5日" }, attrs));
  const picker = el("input", { type: "date", class: "picker", "aria-label": "从日历选择", tabindex: "-1" });
  picker.addEventListener("change", () => {
    text.value = picker.value;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    text.dispatchEvent(new Event("change", { bubbles: true }));
  });
  return el("div", { class: "date" }, text, picker);
}

function fieldInput(f) {
  const name = f.key;
  if (f.kind === "date") return dateInput("f-" + name, { name });
  if (f.kind === "integer") return el("input", { type: "number", name, id: "f-" + name, step: "1" });
  if (f.kind === "choice" && f.choices.length) {
    const s = el("select", { name, id: "f-" + name }, el("option", { value: "", text: "（请选择）" }));
    for (const c of f.choices) s.append(el("option", { value: c, text: c }));
    return s;
  }
  if (f.kind === "multi-choice" && f.choices.length) {
    const box = el("div", { class: "choices", id: "f-" + name, "data-multi": name });
    for (const c of f.choices) box.append(el("label", {}, el("input", { type: "checkbox", value: c }), " " + c));
    return box;
  }
  if (f.kind === "list" || f.paragraphs) return el("textarea", { name, id: "f-" + name, placeholder: f.kind === "list" ? "每行一项" : "" });
  return el("input", { type: "text", name, id: "f-" + name });
}

async function loadSchema() {
  schema = await api(`/api/instruments/${$("#inst").value}`);
  const form = $("#fields");
  form.textContent = "";
  for (const f of schema.fields) {
    const label = el("label", { for: "f-" + f.key }, f.label,
      f.required ? el("span", { class: "req", text: "*" }) : null,
      el("span", { class: "kind", text: f.kind_name }));
    form.append(el("div", { class: "field", "data-key": f.key }, label, fieldInput(f),
      f.help ? el("div", { class: "help", text: f.help }) : null,
      el("div", { class: "msg", "data-for": f.key })));
  }
  $("#preview").removeAttribute("src");
  $("#record-ledger").hidden = schema.id !== "recommendation";
  const numbered = schema.fields.some(f => f.key === "doc_number");
  $("#number-ledger").hidden = !numbered;
  $("#form-record-box").hidden = false;
  status("#form-status", "带 * 的为必填项；填写时右侧会显示预览");
}

function formData() {
  const data = {};
  for (const f of schema.fields) {
    const input = $("#f-" + f.key);
    if (!input) continue;
    if (input.dataset.multi) {
      const v = $$("input:checked", input).map(c => c.value);
      if (v.length) data[f.key] = v;
    } else if (f.kind === "list") {
      const v = input.value.split("\n").map(s => s.trim()).filter(Boolean);
      if (v.length) data[f.key] = v;
    } else if (input.value.trim() !== "") {
      data[f.key] = f.kind === "integer" && /^-?\d+$/.test(input.value.trim()) ? Number(input.value) : input.value;
    }
  }
  return data;
}

function setForm(values) {
  for (const f of schema.fields) {
    const input = $("#f-" + f.key);
    const v = values[f.key];
    if (!input) continue;
    if (input.dataset.multi) {
      const chosen = Array.isArray(v) ? v : v ? String(v).split(/[、，,]/) : [];
      for (const c of $$("input", input)) c.checked = chosen.includes(c.value);
    } else if (Array.isArray(v)) input.value = v.join("\n");
    else input.value = v === undefined || v === null ? "" : String(v);
  }
}

function showProblems(r) {
  for (const m of $$("#fields .msg")) { m.textContent = ""; m.className = "msg"; }
  for (const d of $$("#fields .field")) d.classList.remove("bad");
  const general = [];
  for (const [list, kind] of [[r.errors || [], "error"], [r.warnings || [], "warn"]]) {
    for (const p of list) {
      const m = p.field && $(`#fields .msg[data-for="${p.field}"]`);
      if (m) {
        m.textContent = (m.textContent ? m.textContent + "；" : "") + p.message;
        m.className = "msg " + kind;
        if (kind === "error") m.closest(".field").classList.add("bad");
      } else general.push(p.message);
    }
  }
  return general;
}

async function checkForm() {
  const r = await api(`/api/instruments/${schema.id}/check`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(formData()),
  });
  const general = showProblems(r);
  if (r.errors.length) status("#form-status", `有 ${r.errors.length} 处需要修改（见各栏下方的红字）${general.length ? "：" + general.join("；") : ""}`, "error");
  else status("#form-status", "检查通过" + (r.warnings.length ? `，有 ${r.warnings.length} 条提示` : ""), "ok");
  return r;
}

async function preview() {
  const r = await checkForm();
  if (r.errors.length) return;
  try {
    const blob = await api(`/api/instruments/${schema.id}/render?format=pdf`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(formData()),
    });
    const frame = $("#preview");
    if (frame.dataset.url) URL.revokeObjectURL(frame.dataset.url);
    frame.dataset.url = URL.createObjectURL(blob);
    frame.src = frame.dataset.url + "#navpanes=0&view=FitH";
  } catch (e) {
    status("#form-status", e.error || String(e), "error");
  }
}

async function make(format) {
  const r = await checkForm();
  if (r.errors.length) return;
  try {
    const record = $("#form-record").checked ? "&record=1" : "";
    const resp = await api(`/api/instruments/${schema.id}/render?format=${format}&download=1${record}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(formData()), raw: true,
    });
    const name = fileNameOf(resp, `${schema.name}.${format}`);
    saveBlob(await resp.blob(), name);
    const rec = resp.headers.get("X-Jiandu-Recorded");
    status("#form-status", `已生成 ${name}` + (rec === "new" ? "，已记入文书台账" : rec === "known" ? "，文书台账中已有这份文书" : ""), "ok");
  } catch (e) {
    if (e.errors) showProblems(e);
    status("#form-status", e.error || String(e), "error");
  }
}

async function recordLedger() {
  const r = await checkForm();
  if (r.errors.length) return;
  try {
    const v = await api("/api/ledger/add", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(formData()),
    });
    status("#form-status", `已记入整改台账：${v.doc_number}，${v.items} 个问题，整改时限 ${v.deadline || ""}`, "ok");
  } catch (e) {
    status("#form-status", e.error || String(e), "error");
  }
}

async function numberFromLedger() {
  const r = await checkForm();
  if (r.errors.length) return;
  try {
    const v = await api(`/api/instruments/${schema.id}/number`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(formData()),
    });
    $("#f-doc_number").value = v.doc_number;
    clearTimeout(previewTimer);
    await preview();
    status("#form-status", v.given ? `文号：${v.doc_number}（台账号序中的下一个号；同样的内容再取仍是这个号）` : `已有文号 ${v.doc_number}，没有另取`, "ok");
  } catch (e) {
    if (e.errors) showProblems(e);
    status("#form-status", e.error || String(e), "error");
  }
}

$("#inst").addEventListener("change", loadSchema);
$("#number-ledger").addEventListener("click", numberFromLedger);
$("#record-ledger").addEventListener("click", recordLedger);
$("#fill-example").addEventListener("click", () => { setForm(schema.example); preview(); });
$("#check").addEventListener("click", checkForm);
$("#make-pdf").addEventListener("click", () => make("pdf"));
$("#make-docx").addEventListener("click", () => make("docx"));
$("#fields").addEventListener("input", () => { clearTimeout(previewTimer); previewTimer = setTimeout(preview, 700); });
$("#fields").addEventListener("submit", (e) => e.preventDefault());

// ---- batch ----
let table = null;

function mappingOverrides() {
  return $$("#mapping select").filter(s => s.value !== s.dataset.suggested).map(s => [s.dataset.header, s.value]);
}

function sharedValues() {
  const out = {};
  for (const i of $$("#batch-shared [data-key]")) if (i.value.trim()) out[i.dataset.key] = i.value.trim();
  return out;
}

// Inputs for the fields no column fills: the required ones, and the sender and date.
function renderShared(r) {
  const mapped = new Set(r.headers.map(h => h.key).filter(Boolean));
  const before = sharedValues();
  const box = $("#batch-shared");
  const wanted = r.fields.filter(f => !mapped.has(f.key) && (f.required || f.key === "issuer" || f.key === "issue_date"));
  // The same fields as before: keep the inputs (and what is being typed in them).
  const keys = wanted.map(f => f.key).join(",");
  if (box.dataset.keys === keys && box.childElementCount) return;
  box.dataset.keys = keys;
  box.textContent = "";
  for (const f of wanted) {
    let input;
    if (f.kind === "choice" && f.choices.length) {
      input = el("select", { id: "shared-" + f.key, "data-key": f.key }, el("option", { value: "", text: "（请选择）" }));
      for (const c of f.choices) input.append(el("option", { value: c, text: c }));
    } else if (f.kind === "date") {
      input = dateInput("shared-" + f.key, { "data-key": f.key });
    } else {
      input = el("input", { id: "shared-" + f.key, "data-key": f.key, type: "text" });
    }
    const field = input.matches("[data-key]") ? input : $("[data-key]", input);
    if (before[f.key]) field.value = before[f.key];
    field.addEventListener("change", inspectAgain);
    box.append(el("div", {}, el("label", { for: field.id }, f.label, f.required ? el("span", { class: "req", text: " *" }) : null), input));
  }
  $("#batch-shared-box").hidden = wanted.length === 0;
}

function renderInspect(r) {
  table = r;
  $("#batch-table").hidden = false;
  const body = $("#mapping tbody");
  body.textContent = "";
  for (const h of r.headers) {
    const sel = el("select", { "data-header": h.header, "data-suggested": h.key || "" }, el("option", { value: "", text: "（不使用）" }));
    for (const f of r.fields) sel.append(el("option", { value: f.key, text: f.label + (f.required ? " *" : ""), selected: f.key === h.key }));
    sel.addEventListener("change", inspectAgain);
    body.append(el("tr", {}, el("td", { text: h.header }), el("td", {}, sel)));
  }
  renderShared(r);
  $("#batch-summary").textContent = `共 ${r.rows} 行：${r.valid} 行可以生成` + (r.bad_rows ? `，${r.bad_rows} 行有问题（见下表，改好表格后重新选择文件）` : "，没有发现问题");
  const fb = $("#batch-failures tbody");
  fb.textContent = "";
  for (const f of r.failures) fb.append(el("tr", {}, el("td", { text: String(f.row) }), el("td", { text: f.column }), el("td", { text: f.reason })));
  $("#batch-failures").hidden = r.failures.length === 0;
  $("#batch-run").disabled = r.valid === 0;
}

async function inspectAgain() {
  try {
    const r = await api("/api/batch/inspect", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ table: table.table, instrument: $("#batch-inst").value, map: mappingOverrides(), shared: sharedValues() }),
    });
    r.name = table.name;
    renderInspect(r);
  } catch (e) {
    status("#batch-status", e.error || String(e), "error");
  }
}

async function uploadTable(file) {
  status("#batch-status", `正在读取 ${file.name} …`);
  $("#batch-result").textContent = "";
  $("#batch-progress").hidden = true;
  try {
    const r = await api(`/api/batch/tables?instrument=${encodeURIComponent($("#batch-inst").value)}`, {
      method: "POST", headers: { "X-File-Name": encodeURIComponent(file.name) }, body: file,
    });
    renderInspect(r);
    status("#batch-status", `已读取 ${r.name}`, "ok");
  } catch (e) {
    $("#batch-table").hidden = true;
    status("#batch-status", e.error || String(e), "error");
  }
}

async function runBatch() {
  const formats = [];
  if ($("#out-pdf").checked) formats.push("pdf");
  if ($("#out-docx").checked) formats.push("docx");
  $("#batch-run").disabled = true;
  $("#batch-result").textContent = "";
  try {
    const { job } = await api("/api/batch/run", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ table: table.table, instrument: $("#batch-inst").value, map: mappingOverrides(), shared: sharedValues(), formats, merge: $("#out-merge").checked, record: $("#out-record").checked }),
    });
    const bar = $("#batch-progress");
    bar.hidden = false;
    for (;;) {
      const s = await api(`/api/jobs/${job}`);
      bar.max = Math.max(1, s.total);
      bar.value = s.done;
      status("#batch-status", `正在生成：${s.done} / ${s.total} 份`);
      if (s.state === "failed") throw { error: s.error };
      if (s.state === "done") { showResult(job, s.result); break; }
      await new Promise(res => setTimeout(res, 300));
    }
  } catch (e) {
    status("#batch-status", e.error || String(e), "error");
  } finally {
    $("#batch-run").disabled = false;
  }
}

function showResult(job, r) {
  status("#batch-status", `完成：共 ${r.rows} 行，生成 ${r.made} 份` + (r.bad_rows ? `，${r.bad_rows} 行有错误（见错误报告）` : "") + (r.recorded != null ? `；文书台账新增 ${r.recorded} 份` : ""), r.bad_rows ? "error" : "ok");
  const box = $("#batch-result");
  box.textContent = "";
  const link = (text, file, name) => el("a", { class: "button", href: "#", id: file ? "dl-" + (file === r.report ? "report" : "merged") : "dl-zip", onclick: (e) => {
    e.preventDefault();
    download(`/api/jobs/${job}/download` + (file ? `?file=${encodeURIComponent(file)}` : ""), name, "#batch-status");
  } }, text);
  box.append(link(`下载全部文件（压缩包，${r.files} 个）`, null, "文书.zip"));
  if (r.merged) box.append(link("下载合并打印 PDF", r.merged, r.merged));
  if (r.report) box.append(link("下载错误报告", r.report, r.report));
}

$("#batch-file").addEventListener("change", (e) => { if (e.target.files[0]) uploadTable(e.target.files[0]); e.target.value = ""; });
$("#batch-run").addEventListener("click", runBatch);
$("#batch-inst").addEventListener("change", () => { $("#batch-table").hidden = true; status("#batch-status", "请重新选择名单表格"); });

// ---- 整改台账 ----
async function loadLedger() {
  try {
    const r = await api("/api/ledger" + ($("#ledger-overdue").checked ? "?overdue=1" : ""));
    const body = $("#ledger-table tbody");
    body.textContent = "";
    for (const row of r.rows) {
      const sel = el("select", { "aria-label": "状态" });
      for (const s of r.statuses) sel.append(el("option", { value: s, text: s, selected: s === row.stored_status }));
      const date = el("input", { type: "text", value: row.feedback_date || "", placeholder: "2022-08-01", "aria-label": "反馈日期" });
      const doc = el("input", { type: "text", value: row.feedback_doc, "aria-label": "反馈材料" });
      const note = el("input", { type: "text", placeholder: row.notes ? "追加备注" : "", "aria-label": "备注" });
      const save = el("button", { type: "button", text: "记录", onclick: async () => {
        try {
          const v = await api("/api/ledger/feedback", {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ doc_number: row.doc_number, seq: row.seq, status: sel.value, feedback_date: date.value, feedback_doc: doc.value, note: note.value }),
          });
          await loadLedger();
          status("#ledger-status", v.changed ? `已记录 ${row.doc_number} 第 ${row.seq} 项` : "没有改动", "ok");
        } catch (e) {
          status("#ledger-status", e.error || String(e), "error");
        }
      } });
      body.append(el("tr", { "data-doc": row.doc_number, "data-seq": String(row.seq) },
        el("td", { text: row.doc_number }), el("td", { text: String(row.seq) }),
        el("td", { class: "problem", text: row.problem }), el("td", { text: row.unit }),
        el("td", { text: row.deadline }), el("td", { class: row.overdue ? "overdue" : "", text: row.status }, el("div", {}, sel)),
        el("td", {}, date), el("td", {}, doc), el("td", { text: row.notes }, note), el("td", {}, save)));
    }
    const shown = r.rows.length;
    if (!$("#ledger-status").classList.contains("ok")) status("#ledger-status", `台账共 ${r.total} 个问题，其中逾期 ${r.overdue} 个` + (shown !== r.total ? `；显示 ${shown} 个` : ""));
  } catch (e) {
    status("#ledger-status", e.error || String(e), "error");
  }
}

async function showReminders() {
  const q = new URLSearchParams({ as_of: $("#remind-as-of").value, within: $("#remind-within").value });
  try {
    const r = await api("/api/ledger/remind?" + q);
    const body = $("#remind-table tbody");
    body.textContent = "";
    for (const x of r.due_soon) {
      body.append(el("tr", {}, el("td", { text: "即将到期" }), el("td", { text: x.recipient }), el("td", { text: x.doc_number }),
        el("td", { text: String(x.seq) }), el("td", { class: "problem", text: x.problem }), el("td", { text: x.deadline }), el("td", { text: "" })));
    }
    let n = 0;
    for (const o of r.overdue) {
      for (const x of o.rows) {
        n++;
        body.append(el("tr", {}, el("td", { class: "overdue", text: "已逾期" }), el("td", { text: o.recipient }), el("td", { text: x.doc_number }),
          el("td", { text: String(x.seq) }), el("td", { class: "problem", text: x.problem }), el("td", { text: x.deadline }), el("td", { class: "overdue", text: String(x.days_overdue) })));
      }
    }
    $("#remind-table").hidden = !r.due_soon.length && !n;
    $("#notice-bar").hidden = !r.overdue.length;
    status("#remind-status", !r.due_soon.length && !n
      ? `截至 ${r.as_of} 没有逾期的问题，${r.within} 天内也没有到期的问题`
      : `截至 ${r.as_of}：${r.within} 天内到期 ${r.due_soon.length} 个问题；已逾期 ${r.overdue.length} 个单位、${n} 个问题`, n ? "error" : "ok");
  } catch (e) {
    status("#remind-status", e.error || String(e), "error");
  }
}

async function makeNotices() {
  try {
    const resp = await api("/api/ledger/remind/notices", {
      method: "POST", headers: { "Content-Type": "application/json" }, raw: true,
      body: JSON.stringify({ as_of: $("#remind-as-of").value, number: $("#notice-number").checked,
        shared: { contact: $("#notice-contact").value, phone: $("#notice-phone").value } }),
    });
    const name = fileNameOf(resp, "督办通知书.zip");
    saveBlob(await resp.blob(), name);
    const summary = decodeURIComponent(resp.headers.get("X-Jiandu-Summary") || "");
    status("#remind-status", `${summary || "已起草督办通知书"}，已下载 ${name}（每份有 PDF、Word 和可修改的数据文件）；请核对后加盖印章发出`, "ok");
  } catch (e) {
    status("#remind-status", e.error || String(e), "error");
  }
}

async function loadIssued() {
  try {
    const r = await api("/api/ledger/issued");
    const body = $("#issued-table tbody");
    body.textContent = "";
    for (const i of r.rows) {
      const files = el("div", { class: "files" });
      for (const f of i["文件"]) files.append(el("div", { title: "SHA-256 " + f["SHA-256"], text: f["路径"].split(/[\\/]/).pop() }));
      body.append(el("tr", {}, el("td", { text: i["文号"] || "（无文号）" }), el("td", { text: i["文种"] }), el("td", { text: i["对象"] }),
        el("td", { text: i["发文机关"] }), el("td", { text: i["成文日期"] || "" }), el("td", { text: i["记入日期"] }), el("td", {}, files)));
    }
    status("#issued-status", r.rows.length ? `共 ${r.rows.length} 份文书` : "文书台账中还没有记录");
  } catch (e) {
    status("#issued-status", e.error || String(e), "error");
  }
}

$("#remind-show").addEventListener("click", showReminders);
$("#notice-make").addEventListener("click", makeNotices);
$("#ledger-overdue").addEventListener("change", () => { status("#ledger-status", ""); loadLedger(); });
$("#ledger-refresh").addEventListener("click", () => { status("#ledger-status", ""); loadLedger(); });
$("#ledger-export").addEventListener("click", () => download("/api/ledger/export", "整改台账.xlsx", "#ledger-status"));
$("#tab-ledger").addEventListener("click", () => { status("#ledger-status", ""); loadLedger(); loadIssued(); });

// ---- start ----
(async () => {
  try {
    await ensureWorkspace();
    try {
      await api("/api/plans");
    } catch (e) {
      // A workspace of an earlier run that the server no longer knows: start a new one.
      sessionStorage.removeItem("jiandu-workspace");
      workspace = null;
      await ensureWorkspace();
    }
    categories = (await api("/api/taxonomy")).categories;
    await fillInstrumentLists();
    await loadSchema();
    await loadPlans();
    const tab = sessionStorage.getItem("jiandu-tab");
    if (tab) $(`.tab[data-pane="${tab}"]`).click();
    document.body.dataset.ready = "1";
  } catch (e) {
    status("#plan-status", e.error || String(e), "error");
  }
})();
