//! Quarterly progress (季报): a checklist that users have filled in (状态, 进展情况) read
//! back, and summed up as of a date: counts by status and category, overdue tasks, tasks due
//! next quarter.
//!
//! Overdue: a task not 已完成/已销号 whose last due date has passed, or a task still 未启动
//! whose first due date has passed. Due dates are read from the 完成时限 cell as jiandu
//! writes it ("每半年（2022年6月30日、2022年12月31日）"), or as dates typed by users
//! (2022-06-30, 2022/6/30, 2022.6.30, or an Excel date).

use crate::error::{Error, Result};
use crate::extract::Vocabulary;
use crate::intake::sheet::cell_text;
use crate::intake::Limits;
use crate::render::table::{Column, Sheet, Workbook, STATUS_CHOICES};
use std::path::Path;

pub use crate::date::Day;

/// Every date written in a text (`2022年6月30日`, `2022-06-30`, `2022/6/30`, `2022.6.30`),
/// in order.
pub fn dates_in(text: &str) -> Vec<Day> {
    crate::date::scan(text)
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

/// The dates written in full in a text that the calendar does not have ("2022年2月30日"),
/// as written.
pub fn invalid_dates(text: &str) -> Vec<String> {
    crate::date::scan(text)
        .into_iter()
        .filter_map(Result::err)
        .collect()
}

/// Whether a deadline cell speaks of a time that needs a year (a month, quarter, half year).
fn mentions_time(text: &str) -> bool {
    ["月", "季度", "半年", "年底", "年内", "旬"]
        .iter()
        .any(|w| text.contains(w))
}

/// The year most full dates of `deadlines` have; else the year of the title rows
/// (`timing::year_of`, as a plan's year is read).
fn sheet_year<'a>(
    deadlines: impl Iterator<Item = String>,
    titles: impl Iterator<Item = &'a String>,
) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for d in deadlines {
        for day in dates_in(&d) {
            *counts.entry(day.year).or_default() += 1;
        }
    }
    if let Some((y, _)) = counts.iter().max_by_key(|(y, n)| (**n, -**y)) {
        return Some(*y);
    }
    let titles: Vec<&str> = titles.map(String::as_str).collect();
    crate::extract::timing::year_of(&titles)
}

/// One row of a filled-in checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row in the sheet, counted from 1 as Excel shows it.
    pub line: u32,
    /// 序号 as written.
    pub number: String,
    /// 工作任务.
    pub task: String,
    /// 责任主体.
    pub responsible: String,
    /// 类别.
    pub category: String,
    /// 完成时限 as written.
    pub deadline: String,
    /// Due dates found in 完成时限, sorted.
    pub due: Vec<Day>,
    /// 状态 (empty read as 未启动).
    pub status: String,
    /// 进展情况.
    pub progress: String,
}

impl Row {
    /// Whether the task is done (已完成 or 已销号).
    pub fn done(&self) -> bool {
        matches!(self.status.as_str(), "已完成" | "已销号")
    }

    /// The date from which the task is overdue as of `as_of`, if it is.
    pub fn overdue_since(&self, as_of: Day) -> Option<Day> {
        if self.done() {
            return None;
        }
        let last = *self.due.last()?;
        if last < as_of {
            return Some(last);
        }
        let first = *self.due.first()?;
        (self.status == "未启动" && first < as_of).then_some(first)
    }
}

/// Read a filled-in checklist (.xlsx, .xls or .ods): its 任务清单 sheet (or first sheet),
/// the header row found among the first five rows by 工作任务 and 状态. Returns the rows
/// and warnings (unknown statuses, unreadable dates) naming their rows. The file is read
/// within `limits` like any other spreadsheet.
pub fn read_checklist(
    v: &Vocabulary,
    path: &Path,
    limits: &Limits,
) -> Result<(Vec<Row>, Vec<String>)> {
    let bytes = crate::intake::load(path, limits)?;
    use crate::intake::sheet::{read_worksheet, Pick};
    let sheet = read_worksheet(&bytes, Pick::Preferred("任务清单"), limits, |_| {
        Error::msg("无法作为 Excel 表格读取（应为 .xlsx、.xls 或 .ods）")
    })
    .map_err(|e| e.with_path(path))?;
    let (name, range) = (sheet.name, sheet.range);
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let start = range.start().map_or(0, |(r, _)| r);
    let header_at = rows
        .iter()
        .take(5)
        .position(|r| r.iter().any(|c| c == "工作任务") && r.iter().any(|c| c == "状态"))
        .ok_or_else(|| {
            Error::file(
                path,
                format!("工作表“{name}”前5行中没有同时含“工作任务”和“状态”的表头行，请使用 jiandu checklist 生成的任务清单"),
            )
        })?;
    let header = &rows[header_at];
    let col = |h: &str| header.iter().position(|c| c == h);
    let (Some(c_task), Some(c_status)) = (col("工作任务"), col("状态")) else {
        return Err(Error::file(path, "表头缺少“工作任务”或“状态”列"));
    };
    let get =
        |r: &[String], c: Option<usize>| c.and_then(|c| r.get(c)).cloned().unwrap_or_default();
    let c_number = col("序号");
    // The year of deadlines written without one ("9月底前", "三季度末"): the year most of the
    // sheet's full dates have, else a year in the title rows above the header.
    let year = sheet_year(
        rows.iter()
            .skip(header_at + 1)
            .map(|r| get(r, col("完成时限"))),
        rows.iter().take(header_at).flatten(),
    );
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (k, r) in rows.iter().enumerate().skip(header_at + 1) {
        let line = start + k as u32 + 1;
        let task = get(r, Some(c_task));
        if task.is_empty() {
            continue;
        }
        // A group heading of jiandu's checklist (no 序号, no 状态) heads tasks and is none.
        if c_number.is_some() && get(r, c_number).is_empty() && get(r, Some(c_status)).is_empty() {
            continue;
        }
        let mut status = get(r, Some(c_status));
        if status.is_empty() {
            status = "未启动".to_string();
        } else if !STATUS_CHOICES.contains(&status.as_str()) {
            warnings.push(format!(
                "{} 第{line}行：状态“{status}”不是{}之一，按“推进中”统计",
                path.display(),
                STATUS_CHOICES.join("、")
            ));
            status = "推进中".to_string();
        }
        let deadline = get(r, col("完成时限"));
        let invalid = invalid_dates(&deadline);
        for bad in &invalid {
            warnings.push(format!(
                "{} 第{line}行：完成时限中的“{bad}”不是有效日期（这个月没有这一天），这一行不按它判断逾期",
                path.display()
            ));
        }
        let mut due = dates_in(&deadline);
        if due.is_empty() && !deadline.is_empty() {
            if let Some(d) = Day::parse(&deadline) {
                due.push(d);
            }
        }
        // A recurring rule ("每月（2022年1月31日起，共12次）", "每季度") falls on more dates
        // than the cell writes out.
        let recurs = deadline.contains('每') || deadline.contains("按季度");
        if (due.is_empty() || recurs) && !deadline.is_empty() {
            // Every other form the checklist may hold, through the one timing module:
            // 9月底前, 三季度末, 2022年8月, 下半年, 每月10日前 …
            // (Without the impossible dates, which the timing module would move to the
            // month's end.)
            let readable = invalid
                .iter()
                .fold(deadline.clone(), |t, b| t.replace(b, ""));
            due.extend(
                crate::extract::timing::find_in_cell(v, &readable, year)
                    .iter()
                    .flat_map(|t| t.due.iter().filter_map(|d| Day::parse(d))),
            );
            if due.is_empty() && year.is_none() && mentions_time(&deadline) {
                warnings.push(format!(
                    "{} 第{line}行：完成时限“{deadline}”没有写年份，表中也找不到年份，无法判断是否逾期；请写明年份，如“2022年9月底前”",
                    path.display()
                ));
            }
        }
        due.sort();
        due.dedup();
        out.push(Row {
            line,
            number: get(r, col("序号")),
            task,
            responsible: get(r, col("责任主体")),
            category: get(r, col("类别")),
            deadline,
            due,
            status,
            progress: get(r, col("进展情况")),
        });
    }
    Ok((out, warnings))
}

/// The quarterly summary of checklist rows as of a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The date.
    pub as_of: Day,
    /// Count per status, in the order of the drop-down.
    pub by_status: Vec<(String, usize)>,
    /// Per category: name, total, count per status (drop-down order), overdue.
    pub by_category: Vec<(String, usize, Vec<usize>, usize)>,
    /// Overdue rows with the date they are overdue from.
    pub overdue: Vec<(Row, Day)>,
    /// Rows not done with a due date in the next quarter, with that date.
    pub next_quarter: Vec<(Row, Day)>,
    /// The 整改台账's problems, when the report also covers the ledger
    /// ([`Summary::with_ledger`]).
    pub rectification: Vec<super::ledger::Row>,
}

/// The first and last day of the quarter after the one `d` falls in.
pub fn next_quarter(d: Day) -> (Day, Day) {
    let (y, q) = if d.quarter() == 4 {
        (d.year + 1, 1)
    } else {
        (d.year, d.quarter() + 1)
    };
    let first = Day {
        year: y,
        month: 3 * q - 2,
        day: 1,
    };
    let last = Day {
        year: y,
        month: 3 * q,
        day: crate::date::days_in_month(y, 3 * q),
    };
    (first, last)
}

/// Sum up rows as of a date.
pub fn summarize(rows: &[Row], as_of: Day) -> Summary {
    let by_status = STATUS_CHOICES
        .iter()
        .map(|s| {
            (
                s.to_string(),
                rows.iter().filter(|r| r.status == *s).count(),
            )
        })
        .collect();
    let mut cats: Vec<String> = Vec::new();
    for r in rows {
        let c = if r.category.is_empty() {
            "未分类".to_string()
        } else {
            r.category.clone()
        };
        if !cats.contains(&c) {
            cats.push(c);
        }
    }
    let by_category = cats
        .into_iter()
        .map(|c| {
            let in_c: Vec<&Row> = rows
                .iter()
                .filter(|r| r.category == c || (r.category.is_empty() && c == "未分类"))
                .collect();
            let per = STATUS_CHOICES
                .iter()
                .map(|s| in_c.iter().filter(|r| r.status == *s).count())
                .collect();
            let late = in_c
                .iter()
                .filter(|r| r.overdue_since(as_of).is_some())
                .count();
            (c, in_c.len(), per, late)
        })
        .collect();
    let overdue = rows
        .iter()
        .filter_map(|r| r.overdue_since(as_of).map(|d| (r.clone(), d)))
        .collect();
    let (from, to) = next_quarter(as_of);
    let next_quarter = rows
        .iter()
        .filter(|r| !r.done())
        .filter_map(|r| {
            r.due
                .iter()
                .find(|d| **d >= from && **d <= to)
                .map(|d| (r.clone(), *d))
        })
        .collect();
    Summary {
        as_of,
        by_status,
        by_category,
        overdue,
        next_quarter,
        rectification: Vec::new(),
    }
}

impl Summary {
    /// The summary with the 整改台账's problems: the report gets a part on their
    /// rectification (counts by status, the overdue ones), the workbook the ledger's sheet.
    pub fn with_ledger(mut self, rows: Vec<super::ledger::Row>) -> Summary {
        self.rectification = rows;
        self
    }

    /// The report's part on the 整改台账, when it has one.
    fn ledger_part(&self, number: &str) -> Vec<crate::render::model::Para> {
        use crate::render::model::Para;
        if self.rectification.is_empty() {
            return Vec::new();
        }
        let d = self.as_of;
        let rows = &self.rectification;
        let recs: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.doc_number.as_str()).collect();
        let late: Vec<&super::ledger::Row> = rows.iter().filter(|r| r.is_overdue(d)).collect();
        let counts: Vec<String> = super::ledger::Status::ALL
            .iter()
            .map(|s| (s, rows.iter().filter(|r| r.status == *s).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{}{n}个", s.label()))
            .collect();
        let mut body = vec![
            Para::Heading {
                level: 1,
                heading: format!("{number}、纪检监察建议整改落实情况"),
                rest: None,
            },
            Para::Text(format!(
                "截至{}，整改台账共记录纪检监察建议书{}份、问题{}个，其中{}；逾期未整改{}个。",
                d.chinese(),
                recs.len(),
                rows.len(),
                counts.join("、"),
                late.len()
            )),
        ];
        for (k, r) in late.iter().enumerate() {
            body.push(Para::Text(format!(
                "（{}）{}（{}第{}条）。责任单位：{}；整改时限：{}；已逾期{}天，当前状态：{}。",
                k + 1,
                r.problem.trim_end_matches('。'),
                r.doc_number,
                r.seq,
                r.unit,
                r.deadline.chinese(),
                d.days() - r.deadline.days(),
                r.status.label()
            )));
        }
        body
    }
    /// The summary as an official document (季度工作进展情况报告), laid out per GB/T 9704 by the
    /// same writers as the instruments: the overview, then per category, the overdue tasks
    /// and the tasks due next quarter, each under its numbered heading.
    pub fn document(&self) -> crate::render::model::Document {
        use crate::render::model::{Document, Meta, Para, Section};
        let d = self.as_of;
        let total: usize = self.by_status.iter().map(|x| x.1).sum();
        let count = |s: &str| self.by_status.iter().find(|x| x.0 == s).map_or(0, |x| x.1);
        let title = format!("{}年第{}季度任务落实情况报告", d.year, d.quarter());
        let who = |r: &Row| -> String {
            if r.responsible.is_empty() {
                "未填写".to_string()
            } else {
                r.responsible.clone()
            }
        };
        let mut body = vec![Para::Text(format!(
            "截至{}，任务清单共有任务{total}项，其中已完成{}项、已销号{}项、推进中{}项、未启动{}项；逾期{}项，下季度到期{}项。",
            d.chinese(),
            count("已完成"),
            count("已销号"),
            count("推进中"),
            count("未启动"),
            self.overdue.len(),
            self.next_quarter.len()
        ))];
        body.push(Para::Heading {
            level: 1,
            heading: "一、分类别落实情况".to_string(),
            rest: None,
        });
        for (name, n, per, late) in &self.by_category {
            let parts: Vec<String> = STATUS_CHOICES
                .iter()
                .zip(per)
                .filter(|(_, k)| **k > 0)
                .map(|(s, k)| format!("{s}{k}项"))
                .collect();
            body.push(Para::Text(format!(
                "{}：共{n}项，{}{}。",
                if name.is_empty() { "未分类" } else { name },
                parts.join("、"),
                if *late > 0 {
                    format!("，逾期{late}项")
                } else {
                    String::new()
                }
            )));
        }
        body.push(Para::Heading {
            level: 1,
            heading: "二、逾期任务".to_string(),
            rest: None,
        });
        if self.overdue.is_empty() {
            body.push(Para::Text("无。".to_string()));
        }
        for (k, (r, since)) in self.overdue.iter().enumerate() {
            body.push(Para::Text(format!(
                "（{}）{}。责任主体：{}；完成时限：{}；自{}起逾期{}天，当前状态：{}{}。",
                k + 1,
                r.task.trim_end_matches('。'),
                who(r),
                r.deadline.replace('\n', "、"),
                since.chinese(),
                d.days() - since.days(),
                r.status,
                if r.progress.is_empty() {
                    String::new()
                } else {
                    format!("，进展：{}", r.progress)
                }
            )));
        }
        let (from, to) = next_quarter(d);
        body.push(Para::Heading {
            level: 1,
            heading: format!("三、下季度（{}至{}）到期任务", from.chinese(), to.chinese()),
            rest: None,
        });
        if self.next_quarter.is_empty() {
            body.push(Para::Text("无。".to_string()));
        }
        for (k, (r, due)) in self.next_quarter.iter().enumerate() {
            body.push(Para::Text(format!(
                "（{}）{}。责任主体：{}；{}到期，当前状态：{}。",
                k + 1,
                r.task.trim_end_matches('。'),
                who(r),
                due.chinese(),
                r.status
            )));
        }
        body.extend(self.ledger_part("四"));
        Document {
            meta: Meta {
                title: title.clone(),
                author: "jiandu".to_string(),
                date: Some((d.year, d.month, d.day)),
            },
            sections: vec![Section {
                title: Some(title),
                body,
                ..Section::default()
            }],
        }
    }

    /// The summary as a workbook: 进度汇总, 分类统计, 逾期事项, 下季度到期.
    pub fn workbook(&self) -> Workbook {
        let d = self.as_of;
        let period = format!("{}年第{}季度", d.year, d.quarter());
        let total: usize = self.by_status.iter().map(|x| x.1).sum();
        let done: usize = self
            .by_status
            .iter()
            .filter(|x| x.0 == "已完成" || x.0 == "已销号")
            .map(|x| x.1)
            .sum();
        let mut overview = vec![
            vec!["截至日期".to_string(), d.chinese()],
            vec!["任务总数".to_string(), total.to_string()],
        ];
        for (s, n) in &self.by_status {
            overview.push(vec![s.clone(), n.to_string()]);
        }
        let rate = if total > 0 {
            format!("{:.1}%", 100.0 * done as f64 / total as f64)
        } else {
            "—".to_string()
        };
        overview.push(vec!["完成率（已完成＋已销号）".to_string(), rate]);
        overview.push(vec!["逾期".to_string(), self.overdue.len().to_string()]);
        overview.push(vec![
            "下季度到期".to_string(),
            self.next_quarter.len().to_string(),
        ]);
        let mut cat_cols = vec![Column::new("类别", 10.0), Column::new("任务数", 5.0)];
        for s in STATUS_CHOICES {
            cat_cols.push(Column::new(&format!("{s}数"), 5.0));
        }
        cat_cols.push(Column::new("逾期", 5.0));
        let cat_rows = self
            .by_category
            .iter()
            .map(|(c, n, per, late)| {
                let mut r = vec![c.clone(), n.to_string()];
                r.extend(per.iter().map(usize::to_string));
                r.push(late.to_string());
                r
            })
            .collect();
        let overdue_rows = self
            .overdue
            .iter()
            .enumerate()
            .map(|(k, (r, since))| {
                vec![
                    (k + 1).to_string(),
                    r.task.clone(),
                    r.responsible.clone(),
                    r.deadline.clone(),
                    since.chinese(),
                    (d.days() - since.days()).to_string(),
                    r.status.clone(),
                    r.progress.clone(),
                ]
            })
            .collect();
        let (from, to) = next_quarter(d);
        let next_rows = self
            .next_quarter
            .iter()
            .enumerate()
            .map(|(k, (r, due))| {
                vec![
                    (k + 1).to_string(),
                    r.task.clone(),
                    r.responsible.clone(),
                    due.chinese(),
                    r.status.clone(),
                    r.progress.clone(),
                ]
            })
            .collect();
        let sheet = |name: &str, title: String, cols: Vec<Column>, rows| Sheet {
            subtitle: Vec::new(),
            group_rows: Vec::new(),
            name: name.to_string(),
            title,
            columns: cols,
            rows,
        };
        Workbook {
            sheets: vec![
                sheet(
                    "进度汇总",
                    format!("{period}任务落实情况汇总"),
                    vec![Column::new("项目", 14.0), Column::new("数量", 10.0)],
                    overview,
                ),
                sheet(
                    "分类统计",
                    format!("{period}任务落实情况（按类别）"),
                    cat_cols,
                    cat_rows,
                ),
                sheet(
                    "逾期事项",
                    format!("截至{}的逾期事项", d.chinese()),
                    vec![
                        Column::new("序号", 3.0),
                        Column::new("工作任务", 16.0),
                        Column::new("责任主体", 10.0),
                        Column::new("完成时限", 12.0),
                        Column::new("逾期起算", 8.0),
                        Column::new("逾期天数", 5.0),
                        Column::new("当前状态", 5.0),
                        Column::new("进展情况", 16.0),
                    ],
                    overdue_rows,
                ),
                sheet(
                    "下季度到期",
                    format!("{}至{}到期的事项", from.chinese(), to.chinese()),
                    vec![
                        Column::new("序号", 3.0),
                        Column::new("工作任务", 16.0),
                        Column::new("责任主体", 10.0),
                        Column::new("到期日期", 8.0),
                        Column::new("当前状态", 5.0),
                        Column::new("进展情况", 16.0),
                    ],
                    next_rows,
                ),
            ]
            .into_iter()
            .chain(
                (!self.rectification.is_empty())
                    .then(|| super::ledger::sheet(&self.rectification, d)),
            )
            .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic_round_trips() {
        for (y, m, d) in [(1970, 1, 1), (2022, 6, 30), (2024, 2, 29), (2000, 3, 1)] {
            let day = Day::new(y, m, d).unwrap_or(Day {
                year: 0,
                month: 0,
                day: 0,
            });
            assert_eq!(Day::from_days(day.days()), day);
        }
        assert_eq!(Day::new(1970, 1, 2).map(Day::days), Some(1));
        assert_eq!(Day::new(2023, 2, 29), None);
    }

    #[test]
    fn dates_are_found_in_deadline_cells() {
        let got: Vec<String> =
            dates_in("每半年（2022年6月30日、2022年12月31日）\n3月底前（2022-03-31）")
                .into_iter()
                .map(Day::iso)
                .collect();
        assert_eq!(got, vec!["2022-06-30", "2022-12-31", "2022-03-31"]);
        assert!(dates_in("5年过渡期，1.5倍").is_empty());
        assert_eq!(
            Day::parse("2022/6/5").map(Day::iso),
            Some("2022-06-05".into())
        );
    }

    #[test]
    fn invalid_dates_are_named_as_written() {
        assert_eq!(
            invalid_dates("2022年2月30日前完成，2022年3月1日前报送"),
            vec!["2022年2月30日".to_string()]
        );
        assert_eq!(invalid_dates("2023-04-31、2023/4/30"), vec!["2023-04-31"]);
        assert!(invalid_dates("2024年2月29日").is_empty());
        assert!(invalid_dates("6月30日前").is_empty());
    }

    #[test]
    fn the_sheet_year_comes_from_its_dates_or_its_title() {
        let cells = ["5月底前（2022年5月31日）", "2022/9/15", "2021年12月31日"];
        assert_eq!(
            sheet_year(cells.iter().map(|s| s.to_string()), std::iter::empty()),
            Some(2022)
        );
        let title = ["2023年工作要点任务清单".to_string()];
        assert_eq!(
            sheet_year(std::iter::once("9月底前".to_string()), title.iter()),
            Some(2023)
        );
    }

    #[test]
    fn next_quarter_wraps_the_year() {
        let q = next_quarter(Day {
            year: 2022,
            month: 11,
            day: 3,
        });
        assert_eq!(
            (q.0.iso(), q.1.iso()),
            ("2023-01-01".into(), "2023-03-31".into())
        );
        let q = next_quarter(Day {
            year: 2022,
            month: 6,
            day: 30,
        });
        assert_eq!(
            (q.0.iso(), q.1.iso()),
            ("2022-07-01".into(), "2022-09-30".into())
        );
    }
}
