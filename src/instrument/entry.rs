//! Instruments as records: what the 整改台账 keeps of a filled 纪检监察建议书, and what the
//! 文书台账 keeps of any instrument issued.

use super::{Data, Instrument, Value};
use crate::error::{Error, Result};
use crate::model::ledger::{Issued, IssuedFile, NewItem, NewRecommendation, Overdue};
use crate::model::progress::Day;

/// The 成文日期 of checked values, as the ledger keeps dates.
fn issue_day(values: &std::collections::BTreeMap<String, Value>) -> Option<Day> {
    match values.get("issue_date") {
        Some(Value::Date(d)) => Day::new(d.year, d.month, d.day),
        _ => None,
    }
}

/// The recommendation of filled data, each problem with the suggestions that answer it
/// ([`crate::model::report::pair`]: in order when they answer one by one; a problem or a
/// suggestion left without its counterpart is marked 【请核对】), each due on its own 整改时限
/// (`deadlines`) or else 反馈期限 days after the 成文日期.
pub fn recommendation(inst: &Instrument, data: &Data) -> Result<NewRecommendation> {
    let values = super::values(inst, data).map_err(|r| {
        let msgs: Vec<String> = r.errors.iter().map(|p| p.message.clone()).collect();
        Error::msg(msgs.join("\n"))
    })?;
    let text = |k: &str| match values.get(k) {
        Some(Value::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let list_of = |k: &str| match values.get(k) {
        Some(Value::List(v)) => v.clone(),
        Some(Value::Text(t)) if !t.is_empty() => vec![t.clone()],
        _ => Vec::new(),
    };
    let issue_date =
        issue_day(&values).ok_or_else(|| Error::msg("缺少成文日期，无法计算整改时限"))?;
    let days = match values.get("reply_days") {
        Some(Value::Integer(n)) => *n,
        _ => 30,
    };
    let deadline = Day::from_days(issue_date.days() + days);
    // A problem's own 整改时限, when the data gives one that reads as a date.
    let own_deadlines = list_of("deadlines");
    let deadline_of = |i: usize| {
        own_deadlines
            .get(i)
            .and_then(|s| crate::model::ledger::user_day(s, "整改时限").ok())
            .unwrap_or(deadline)
    };
    let recipient = text("recipient");
    let problems = list_of("problems");
    let suggestions = list_of("recommendations");
    // Each problem with the suggestions that answer it (paired by their words, or in order
    // when they answer one by one); a suggestion answering none gets its own row.
    let pairs = crate::model::report::pair(&problems, &suggestions);
    let mut items: Vec<NewItem> = problems
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let answers: Vec<&str> = pairs
                .iter()
                .zip(&suggestions)
                .filter(|(x, _)| **x == Some(i))
                .map(|(_, s)| s.as_str())
                .collect();
            NewItem {
                problem: p.clone(),
                suggestion: if answers.is_empty() {
                    "【请核对】这个问题没有对应的建议".to_string()
                } else {
                    answers.join("\n")
                },
                unit: recipient.clone(),
                deadline: deadline_of(i),
            }
        })
        .collect();
    for (s, _) in suggestions.iter().zip(&pairs).filter(|(_, x)| x.is_none()) {
        items.push(NewItem {
            problem: "【请核对】这条建议没有对应的问题".to_string(),
            suggestion: s.clone(),
            unit: recipient.clone(),
            deadline,
        });
    }
    Ok(NewRecommendation {
        doc_number: text("doc_number"),
        kind: inst.name().to_string(),
        recipient,
        issuer: text("issuer"),
        issue_date,
        items,
    })
}

/// The fields that name whom an instrument is for, tried in order: a person (谈话、函询),
/// the one held accountable, the recipient unit.
const SUBJECT_KEYS: [&str; 4] = ["name", "target", "recipient", "subject"];

/// The 文书台账's record of an instrument filled with `data` and written to `files`. The
/// values are kept as JSON by field key (dates as YYYY-MM-DD), which
/// [`Data::from_json`] reads back.
pub fn issued(inst: &Instrument, data: &Data, files: Vec<IssuedFile>) -> Issued {
    let values = super::values(inst, data).unwrap_or_default();
    let text = |k: &str| match values.get(k) {
        Some(Value::Text(t)) => t.clone(),
        Some(Value::List(v)) => v.join("、"),
        _ => String::new(),
    };
    let json: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Text(t) => serde_json::Value::from(t.as_str()),
                Value::Date(d) => {
                    serde_json::Value::from(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
                }
                Value::Integer(i) => serde_json::Value::from(*i),
                Value::List(l) => serde_json::Value::from(l.clone()),
            };
            (k.clone(), v)
        })
        .collect();
    Issued {
        doc_number: text("doc_number"),
        kind: inst.name().to_string(),
        subject: SUBJECT_KEYS
            .iter()
            .map(|k| text(k))
            .find(|t| !t.is_empty())
            .unwrap_or_default(),
        issuer: text("issuer"),
        issue_date: issue_day(&values),
        data: serde_json::Value::Object(json).to_string(),
        files,
    }
}

/// The data of a 督办通知书 (`supervise-notice`) to the unit of `overdue`, as of `as_of`:
/// the recommendations concerned, each overdue problem with its deadline, the issuer. The
/// clerk adds contact and number (or `--number`) and may edit the wording.
pub fn supervise_notice(overdue: &Overdue, as_of: Day) -> Data {
    let mut data = Data::new();
    let text = |s: &str| super::Raw::Text(s.to_string());
    let list = |v: Vec<String>| super::Raw::List(v.into_iter().map(super::Raw::Text).collect());
    data.set("recipient", text(&overdue.recipient));
    data.set(
        "recommendations",
        list(
            overdue
                .recommendations()
                .into_iter()
                .map(|(n, d)| format!("纪检监察建议书（{n}，{}）", d.chinese()))
                .collect(),
        ),
    );
    // The 文号 by each problem only when several recommendations are concerned.
    let several = overdue.recommendations().len() > 1;
    data.set(
        "items",
        list(
            overdue
                .rows
                .iter()
                .map(|r| {
                    let p = r.problem.trim_end_matches(['。', '；', ';', '，']);
                    if several {
                        format!(
                            "{p}（{}，整改时限：{}）",
                            r.doc_number,
                            r.deadline.chinese()
                        )
                    } else {
                        format!("{p}（整改时限：{}）", r.deadline.chinese())
                    }
                })
                .collect(),
        ),
    );
    let day = |d: Day| super::Raw::Text(d.iso());
    data.set("as_of", day(as_of));
    data.set("issuer", text(&overdue.issuer));
    data.set("issue_date", day(as_of));
    data
}
