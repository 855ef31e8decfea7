//! Instruments as records: what the 整改台账 keeps of a filled 纪检监察建议书.

use super::{Data, Instrument, Value};
use crate::error::{Error, Result};
use crate::model::ledger::{NewItem, NewRecommendation};
use crate::model::progress::Day;

/// The recommendation of filled data, its problems paired with the suggestions in order
/// (one to one; a problem without a suggestion is marked 【请核对】), each due
/// 反馈期限 days after the 成文日期.
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
    let issue_date = match values.get("issue_date") {
        Some(Value::Date(d)) => Day::new(d.year, d.month, d.day),
        _ => None,
    }
    .ok_or_else(|| Error::msg("缺少成文日期，无法计算整改时限"))?;
    let days = match values.get("reply_days") {
        Some(Value::Integer(n)) => *n,
        _ => 30,
    };
    let deadline = Day::from_days(issue_date.days() + days);
    let recipient = text("recipient");
    let problems = list_of("problems");
    let suggestions = list_of("recommendations");
    let n = problems.len().max(suggestions.len());
    let items = (0..n)
        .map(|i| NewItem {
            problem: problems
                .get(i)
                .cloned()
                .unwrap_or_else(|| "【请核对】这条建议没有对应的问题".to_string()),
            suggestion: suggestions
                .get(i)
                .cloned()
                .unwrap_or_else(|| "【请核对】这个问题没有对应的建议".to_string()),
            unit: recipient.clone(),
            deadline,
        })
        .collect();
    Ok(NewRecommendation {
        doc_number: text("doc_number"),
        kind: inst.name().to_string(),
        recipient,
        issuer: text("issuer"),
        issue_date,
        items,
    })
}
