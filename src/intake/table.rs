//! Plans kept as tables — a spreadsheet, or a text whose lines hold tab-separated cells —
//! read the same way: a header row naming the columns (事项/工作任务, 责任单位/责任主体,
//! 完成时限 …) makes each following row an item.
//!
//! What a row becomes:
//! - a row whose 序号 is a Chinese numeral ("一、") is a group heading, and the rows numbered
//!   1, 2 … under it are its children;
//! - where the table splits each task into steps (a 任务分解/时序进度 column), the task is a
//!   group heading and each step a child item; a row whose leading cells are missing (the
//!   task cell spanning several rows) is one more step of the task above it; a step's
//!   leading time ("3-4月：", "全年 ") is its deadline;
//! - a 类别/板块 column opens a group heading whenever its value changes;
//! - 总分/合计 rows, and rows with no task text, are not items.

use super::{Block, Origin, RowFields};

/// Which column holds what.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    task: Option<usize>,
    title: Option<usize>,
    steps: Option<usize>,
    measures: Option<usize>,
    /// Further measures columns (考核内容 and 评分标准 both): their text follows the first's.
    more_measures: Vec<usize>,
    responsible: Option<usize>,
    lead: Option<usize>,
    support: Option<usize>,
    deadline: Option<usize>,
    number: Option<usize>,
    level1: Option<usize>,
    /// Cells in the header row.
    width: usize,
}

/// The role of a header label.
fn classify(label: &str) -> Option<&'static str> {
    let l: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    const MAP: &[(&str, &[&str])] = &[
        ("number", &["序号", "编号", "序"]),
        (
            "level1",
            &[
                "类别",
                "板块",
                "工作板块",
                "项目类别",
                "一级任务",
                "工作类别",
            ],
        ),
        ("lead", &["牵头单位", "牵头部门", "牵头领导"]),
        ("support", &["配合单位", "配合部门", "协办单位"]),
        (
            "responsible",
            &[
                "责任单位",
                "责任主体",
                "责任部门",
                "责任领导",
                "责任人",
                "承办单位",
                "主办单位",
            ],
        ),
        (
            "deadline",
            &[
                "完成时限",
                "时限",
                "完成时间",
                "时间节点",
                "时限要求",
                "完成期限",
            ],
        ),
        (
            "steps",
            &["任务分解", "时序进度", "分解任务", "工作步骤", "进度安排"],
        ),
        (
            "measures",
            &[
                "具体措施",
                "工作措施",
                "主要措施",
                "措施",
                "推进措施",
                "考核要点",
                "考核指标",
                "考核内容",
                "评分标准",
                "考核标准",
                "工作目标",
            ],
        ),
        (
            "title",
            &[
                "工作事项",
                "事项",
                "任务名称",
                "重点任务",
                "落实事项",
                "考核项目",
            ],
        ),
        (
            "task",
            &[
                "工作任务",
                "任务",
                "工作内容",
                "内容",
                "主要内容",
                "任务内容",
                "工作要点",
            ],
        ),
    ];
    // The assessor of a 考核 table is not the one who does the task; the item above a row
    // (上级事项, as jiandu's own checklist has it) is not the row's task.
    if l.contains("考核部门") || l.contains("考核单位") || l.starts_with("上级") {
        return None;
    }
    for (key, labels) in MAP {
        if labels.iter().any(|x| l == *x) {
            return Some(key);
        }
    }
    for (key, labels) in MAP {
        if labels
            .iter()
            .any(|x| x.chars().count() >= 2 && l.contains(x))
        {
            return Some(key);
        }
    }
    None
}

/// The columns of a header row, when it is one: a task (or 事项) column and one more that
/// names a unit, a deadline, measures or steps.
pub fn header<S: AsRef<str>>(row: &[S]) -> Option<Columns> {
    let mut c = Columns {
        width: row.len(),
        ..Columns::default()
    };
    for (i, cell) in row.iter().enumerate() {
        let text = cell.as_ref().trim();
        if text.chars().count() > 12 {
            continue;
        }
        let slot = match classify(text) {
            Some("number") => &mut c.number,
            Some("level1") => &mut c.level1,
            Some("responsible") => &mut c.responsible,
            Some("lead") => &mut c.lead,
            Some("support") => &mut c.support,
            Some("deadline") => &mut c.deadline,
            Some("steps") => &mut c.steps,
            Some("measures") => &mut c.measures,
            Some("title") => &mut c.title,
            Some("task") => &mut c.task,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
        } else if classify(text) == Some("measures") {
            c.more_measures.push(i);
        }
    }
    if c.task.is_none() {
        // Lazily: `or` would take the other columns even when a title is there.
        c.task = c.title.take();
        if c.task.is_none() {
            c.task = c.steps.take();
        }
        if c.task.is_none() {
            c.task = c.measures.take();
        }
    }
    // A grouping column stands left of the tasks it groups; a 类别 column after them (as in
    // jiandu's own checklist) only labels each row.
    if c.level1.zip(c.task).is_some_and(|(g, t)| g > t) {
        c.level1 = None;
    }
    let other = c.responsible.is_some()
        || c.lead.is_some()
        || c.deadline.is_some()
        || c.measures.is_some()
        || c.steps.is_some()
        || c.support.is_some();
    (c.task.is_some() && other).then_some(c)
}

/// One row of a table: its cells and where it is.
#[derive(Debug, Clone)]
pub struct Row {
    /// The cells, trimmed.
    pub cells: Vec<String>,
    /// Where the row is in its file.
    pub origin: Origin,
}

/// Whether a 序号 opens a group ("一、", "二", "（一）").
fn group_number(s: &str) -> bool {
    let core = s
        .trim()
        .trim_matches(['、', '．', '.', '（', '）', '(', ')', ' ']);
    !core.is_empty() && crate::text::chinese_number(core).is_some()
}

/// A step's leading time ("3-4月：", "1月至4月 ", "全年 ", "5月/10月：") and the rest.
pub fn leading_time(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    let mut end = 0;
    let mut saw_month = false;
    for (i, c) in s.char_indices() {
        let ok = c.is_ascii_digit()
            || matches!(
                c,
                '月' | '至'
                    | '-'
                    | '—'
                    | '–'
                    | '~'
                    | '～'
                    | '/'
                    | '、'
                    | '年'
                    | '初'
                    | '中'
                    | '底'
                    | '旬'
                    | '上'
                    | '下'
            );
        if !ok {
            break;
        }
        saw_month |= c == '月';
        end = i + c.len_utf8();
    }
    let (time, rest) = if saw_month && end > 0 {
        let time = &s[..end];
        if !time.ends_with(['月', '初', '底', '旬']) {
            return None;
        }
        (time, &s[end..])
    } else if let Some(rest) = s.strip_prefix("全年") {
        ("全年", rest)
    } else {
        return None;
    };
    let rest = rest.trim_start_matches([' ', '：', ':', '，', ',', '\u{3000}']);
    (!rest.is_empty()).then_some((time, rest))
}

/// What a cell holds, as far as placing it in its column goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Digits (a 序号, a score, a count).
    Number,
    /// A dated step ("3-4月：…").
    Dated,
    /// A name or a short heading (up to 12 characters).
    Short,
    /// Running text.
    Long,
}

fn shape(cell: &str) -> Option<Shape> {
    let c = cell.trim();
    if c.is_empty() {
        return None;
    }
    if c.chars()
        .all(|ch| ch.is_ascii_digit() || matches!(ch, '.' | '．' | '、'))
    {
        return Some(Shape::Number);
    }
    // "3-4月：…", or after a short label: "国际证照类：2-4月完成…".
    let labelled = c
        .char_indices()
        .take(16)
        .find(|&(_, ch)| matches!(ch, '：' | ':'))
        .and_then(|(k, ch)| leading_time(&c[k + ch.len_utf8()..]));
    if leading_time(c).is_some() || labelled.is_some() {
        return Some(Shape::Dated);
    }
    Some(if c.chars().count() <= 12 {
        Shape::Short
    } else {
        Shape::Long
    })
}

/// For each column, how often each shape fills it in the rows that have every cell.
struct Profile {
    /// Per column: counts of Number, Dated, Short, Long.
    counts: Vec<[u32; 4]>,
}

impl Profile {
    /// The profile of `rows` of `width` cells; `None` when fewer than three rows are whole.
    fn of(rows: &[Row], width: usize) -> Option<Profile> {
        let mut counts = vec![[0u32; 4]; width];
        let mut whole = 0;
        for r in rows.iter().filter(|r| r.cells.len() == width) {
            whole += 1;
            for (i, c) in r.cells.iter().enumerate() {
                if let Some(s) = shape(c) {
                    counts[i][s as usize] += 1;
                }
            }
        }
        (whole >= 3).then_some(Profile { counts })
    }

    /// How well `cells` fit when placed at `columns` (0 to 1 per non-empty cell).
    fn fit<'a>(&self, placed: impl Iterator<Item = (usize, &'a String)>) -> f32 {
        placed
            .filter_map(|(col, cell)| {
                let s = shape(cell)?;
                let n = self.counts.get(col)?;
                let total: u32 = n.iter().sum();
                Some(if total == 0 {
                    0.0
                } else {
                    n[s as usize] as f32 / total as f32
                })
            })
            .sum()
    }
}

/// Where each cell of a row stands: `cols[i]` is the column of cell `i`, `None` for a cell
/// that stands in no column (a label inserted in a merged header's spare column).
///
/// A row with fewer cells than the header lacks some (a cell spanning several rows leaves
/// its leading columns out; a row may also end early); a row with more holds a cell the
/// header has no column for (a sub-group label, "重点考核部门", beside its 序号). By default
/// cells stand in the last columns but never past the task's (or the steps') column, and
/// extra cells at the end are dropped; where the table's whole rows show plainly which
/// column holds numbers, names or text, the placement that fits them best is taken.
fn placement(
    row: &Row,
    width: usize,
    content: Option<usize>,
    profile: Option<&Profile>,
) -> Vec<Option<usize>> {
    let n = row.cells.len();
    let mut options: Vec<Vec<Option<usize>>> = Vec::new();
    if n <= width {
        let default = width.saturating_sub(n).min(content.unwrap_or(0));
        options.push((0..n).map(|i| Some(i + default)).collect());
        for k in 0..=width - n {
            if k != default {
                options.push((0..n).map(|i| Some(i + k)).collect());
            }
        }
    } else {
        let extra = n - width;
        // Default: the extra cells are at the end.
        options.push((0..n).map(|i| (i < width).then_some(i)).collect());
        for j in 0..width {
            options.push(
                (0..n)
                    .map(|i| {
                        if i < j {
                            Some(i)
                        } else if i < j + extra {
                            None
                        } else {
                            Some(i - extra)
                        }
                    })
                    .collect(),
            );
        }
    }
    // A whole row has one placement: nothing to weigh.
    let Some(profile) = profile.filter(|_| options.len() > 1) else {
        return options.swap_remove(0);
    };
    let score = |o: &Vec<Option<usize>>| {
        profile.fit(
            o.iter()
                .zip(&row.cells)
                .filter_map(|(c, cell)| c.map(|c| (c, cell))),
        )
    };
    let base = score(&options[0]);
    // Another placement must fit clearly better than the default.
    let mut best = (base + 0.5, 0);
    for (i, o) in options.iter().enumerate().skip(1) {
        let s = score(o);
        if s > best.0 {
            best = (s, i);
        }
    }
    options.swap_remove(best.1)
}

/// The blocks of a table's rows after its header, as [`table`](self) describes.
pub fn blocks(cols: &Columns, rows: &[Row]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current_l1 = String::new();
    let width = cols.width.max(1);
    let content = if cols.has_steps() {
        cols.steps
    } else {
        cols.task
    };
    let profile = Profile::of(rows, width);
    // Whether the last item was a task row that a row lacking its task cell continues.
    let mut after_task = false;
    for row in rows {
        let at = placement(row, width, content, profile.as_ref());
        let get = |c: Option<usize>| -> Option<String> {
            let c = c?;
            let k = at.iter().position(|&p| p == Some(c))?;
            row.cells
                .get(k)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(l1) = get(cols.level1) {
            if l1 != current_l1 {
                current_l1 = l1.clone();
                out.push(group(l1, None, row.origin.clone()));
            }
        }
        let number = get(cols.number);
        let title = get(cols.title);
        let task = get(cols.task);
        let steps = get(cols.steps);
        let mut fields = RowFields {
            responsible: get(cols.responsible),
            lead: get(cols.lead),
            support: get(cols.support),
            deadline: get(cols.deadline),
            measures: join_lines(cols.measures_columns().filter_map(|c| get(Some(c)))),
            number: number.clone(),
            group: false,
            part: false,
        };
        let text = match (title, task) {
            (Some(t), Some(k)) if t != k => format!("{}。{}", t.trim_end_matches('。'), k),
            (Some(t), _) => t,
            (None, Some(k)) => k,
            (None, None) => match (&steps, fields.measures.take()) {
                (Some(_), m) => {
                    fields.measures = m;
                    String::new()
                }
                // The task cell spans from the row above: this row is one more part of
                // that task, its measures the part's text.
                (None, Some(_)) if after_task && number.is_none() => {
                    fields.part = true;
                    // The first measures cell is the part's text, the others its measures.
                    let mut cells = cols.measures_columns().filter_map(|c| get(Some(c)));
                    let text = cells.next().unwrap_or_default();
                    fields.measures = join_lines(cells);
                    text
                }
                (None, _) => continue,
            },
        };
        if matches!(text.as_str(), "总分" | "合计" | "总计" | "小计") {
            continue;
        }
        after_task = false;
        if number.as_deref().is_some_and(group_number) {
            // 一、 二、 …: a group heading, with whatever the row says of it.
            fields.group = true;
            out.push(Block {
                text,
                origin: row.origin.clone(),
                fields: Some(fields),
            });
            continue;
        }
        if cols.has_steps() && !text.is_empty() && steps.as_deref().is_some_and(several_steps) {
            // Several dated steps in one cell ("3月：… 4月：…"): the task is one item, its
            // steps its measures (their dates its deadlines).
            fields.measures = match (steps, fields.measures.take()) {
                (Some(st), Some(m)) => Some(format!("{st}\n{m}")),
                (st, m) => st.or(m),
            };
            out.push(Block {
                text,
                origin: row.origin.clone(),
                fields: Some(fields),
            });
            continue;
        }
        if cols.has_steps() {
            // The task opens a group; the step is its child.
            if !text.is_empty() {
                out.push(group(text, number.clone(), row.origin.clone()));
            }
            let Some(step) = steps else { continue };
            let (time, step_text) = match leading_time(&step) {
                Some((t, rest)) => (Some(t.to_string()), rest.to_string()),
                None => (None, step),
            };
            fields.number = None;
            fields.deadline = match (time, fields.deadline.take()) {
                (Some(t), Some(d)) => Some(format!("{t}；{d}")),
                (t, d) => t.or(d),
            };
            out.push(Block {
                text: step_text,
                origin: row.origin.clone(),
                fields: Some(fields),
            });
            continue;
        }
        after_task = !cols.has_steps();
        out.push(Block {
            text,
            origin: row.origin.clone(),
            fields: Some(fields),
        });
    }
    out
}

/// Cells joined one per line; `None` when there are none.
fn join_lines(cells: impl Iterator<Item = String>) -> Option<String> {
    let parts: Vec<String> = cells.collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Whether a steps cell holds several dated steps: a time ("3月：", "4-12月：") opens it and
/// another stands later after a space or a clause break.
fn several_steps(cell: &str) -> bool {
    if leading_time(cell).is_none() {
        return false;
    }
    let cs: Vec<(usize, char)> = cell.char_indices().collect();
    cs.iter().skip(1).any(|&(i, c)| {
        let prev = cell[..i].chars().next_back();
        matches!(prev, Some(' ' | '；' | '。' | '，' | '\n'))
            && (c.is_ascii_digit() || c == '全')
            && leading_time(&cell[i..]).is_some_and(|(t, _)| t != "全年" || c == '全')
    })
}

fn group(text: String, number: Option<String>, origin: Origin) -> Block {
    Block {
        text,
        origin,
        fields: Some(RowFields {
            number,
            group: true,
            ..RowFields::default()
        }),
    }
}

impl Columns {
    /// The measures columns, in order, without the task's own column.
    fn measures_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.measures
            .filter(|_| self.task != self.measures)
            .into_iter()
            .chain(self.more_measures.iter().copied())
    }

    /// Whether the table splits each task into steps (a 任务分解/时序进度 column).
    pub fn has_steps(&self) -> bool {
        self.steps.is_some() && self.steps != self.task
    }
}

/// A row outside the items (above the header, or in a table without one) as a paragraph:
/// its non-empty cells joined by a space, one line.
pub fn row_paragraph<S: AsRef<str>>(cells: &[S]) -> Option<String> {
    let t: Vec<&str> = cells
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| !c.is_empty())
        .collect();
    (!t.is_empty()).then(|| t.join(" ").replace('\n', ""))
}

/// A table's blocks when a header stands among its first `within` rows: the rows above it
/// paragraphs ([`row_paragraph`]), each row after it as [`blocks`] reads it (a block is one
/// paragraph: a cell of several lines gives its task one line). Without a header the rows
/// are given back.
pub fn headed(
    rows: Vec<Vec<String>>,
    within: usize,
    origin: &Origin,
) -> Result<Vec<Block>, Vec<Vec<String>>> {
    let Some((h, cols)) = find_header(&rows, within) else {
        return Err(rows);
    };
    let mut out: Vec<Block> = rows[..h]
        .iter()
        .filter_map(|r| row_paragraph(r))
        .map(|text| Block {
            text,
            origin: origin.clone(),
            fields: None,
        })
        .collect();
    let body: Vec<Row> = rows
        .into_iter()
        .skip(h + 1)
        .map(|cells| Row {
            cells,
            origin: origin.clone(),
        })
        .collect();
    out.extend(blocks(&cols, &body).into_iter().map(|mut b| {
        b.text = b.text.replace('\n', "");
        b
    }));
    Ok(out)
}

/// The header among the first rows of a table, and its index.
pub fn find_header<S: AsRef<str>>(rows: &[Vec<S>], within: usize) -> Option<(usize, Columns)> {
    rows.iter()
        .take(within)
        .enumerate()
        .find_map(|(i, r)| header(r).map(|c| (i, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Row {
        Row {
            cells: cells.iter().map(|s| s.to_string()).collect(),
            origin: Origin::default(),
        }
    }

    #[test]
    fn labels() {
        assert_eq!(classify("责任单位"), Some("responsible"));
        assert_eq!(classify("牵头单位"), Some("lead"));
        assert_eq!(classify("配合单位"), Some("support"));
        assert_eq!(classify("完成时限"), Some("deadline"));
        assert_eq!(classify("任务分解/时序进度"), Some("steps"));
        assert_eq!(classify("负责考核部门"), None);
        assert_eq!(classify("落实事项"), Some("title"));
        assert_eq!(classify("上级事项"), None);
    }

    #[test]
    fn leading_times() {
        assert_eq!(leading_time("3-4月：组织学习"), Some(("3-4月", "组织学习")));
        assert_eq!(
            leading_time("1月至4月 修改考核办法"),
            Some(("1月至4月", "修改考核办法"))
        );
        assert_eq!(
            leading_time("全年 做好信访监督"),
            Some(("全年", "做好信访监督"))
        );
        assert_eq!(
            leading_time("5月/10月：开展活动"),
            Some(("5月/10月", "开展活动"))
        );
        assert_eq!(leading_time("2017年度工作"), None);
        assert_eq!(leading_time("召开会议"), None);
    }

    #[test]
    fn tasks_split_into_steps() {
        let rows = [
            row(&["工作任务", "任务分解/时序进度", "考核要点"]),
            row(&["做好责任制考核", "3月 组织学习文件", "学习记录"]),
            row(&["5月至12月 开展抽查", "形成报告"]),
            row(&["完善制度", "全年 完善内部制度", "制度汇编"]),
        ];
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
        let (h, cols) = find_header(&cells, 5).expect("header");
        let b = blocks(&cols, &rows[h + 1..]);
        let shape: Vec<(&str, bool, Option<&str>)> = b
            .iter()
            .map(|b| {
                let f = b.fields.as_ref().unwrap();
                (b.text.as_str(), f.group, f.deadline.as_deref())
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("做好责任制考核", true, None),
                ("组织学习文件", false, Some("3月")),
                ("开展抽查", false, Some("5月至12月")),
                ("完善制度", true, None),
                ("完善内部制度", false, Some("全年")),
            ]
        );
        assert_eq!(
            b[2].fields.as_ref().unwrap().measures.as_deref(),
            Some("形成报告")
        );
    }

    #[test]
    fn numbered_groups_and_units() {
        let rows = [
            row(&["序号", "事项", "牵头单位", "配合单位", "完成时限"]),
            row(&["一、", "强化政治监督", "", "", ""]),
            row(&[
                "1",
                "开展专项检查",
                "县纪委监委",
                "县委办、县政府办",
                "6月底前",
            ]),
            row(&["", "总分", "", "", ""]),
        ];
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
        let (h, cols) = find_header(&cells, 5).expect("header");
        let b = blocks(&cols, &rows[h + 1..]);
        assert_eq!(b.len(), 2);
        assert!(b[0].fields.as_ref().unwrap().group);
        let f = b[1].fields.as_ref().unwrap();
        assert!(!f.group);
        assert_eq!(f.responsible.as_deref(), None);
        assert_eq!(f.lead.as_deref(), Some("县纪委监委"));
        assert_eq!(f.support.as_deref(), Some("县委办、县政府办"));
        assert_eq!(f.number.as_deref(), Some("1"));
    }

    #[test]
    fn short_and_long_rows_placed_by_what_the_columns_hold() {
        let rows = [
            row(&["序号", "考核项目", "分值", "考核内容", "评分标准"]),
            row(&[
                "1",
                "组织领导",
                "10",
                "成立工作专班并报送名单",
                "未成立扣5分",
            ]),
            row(&[
                "2",
                "信息报送",
                "10",
                "按月报送工作进展情况",
                "迟报一次扣1分",
            ]),
            row(&[
                "3",
                "县民政局",
                "30",
                "推进养老机构安全整治",
                "未完成扣10分",
            ]),
            // The 序号 and 考核项目 cells span from the row above.
            row(&["20", "开展殡葬领域专项检查工作", "少一次扣5分"]),
            // A sub-group label beside the 序号.
            row(&[
                "4",
                "重点单位",
                "县财政局",
                "60",
                "落实专项资金保障到位",
                "未到位扣10分",
            ]),
        ];
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
        let (h, cols) = find_header(&cells, 5).expect("header");
        let b = blocks(&cols, &rows[h + 1..]);
        let shape: Vec<(&str, Option<&str>, Option<&str>, bool)> = b
            .iter()
            .map(|b| {
                let f = b.fields.as_ref().unwrap();
                (
                    b.text.as_str(),
                    f.number.as_deref(),
                    f.measures.as_deref(),
                    f.part,
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    "组织领导",
                    Some("1"),
                    Some("成立工作专班并报送名单\n未成立扣5分"),
                    false
                ),
                (
                    "信息报送",
                    Some("2"),
                    Some("按月报送工作进展情况\n迟报一次扣1分"),
                    false
                ),
                (
                    "县民政局",
                    Some("3"),
                    Some("推进养老机构安全整治\n未完成扣10分"),
                    false
                ),
                // Both measures columns are kept (考核内容, then 评分标准).
                ("开展殡葬领域专项检查工作", None, Some("少一次扣5分"), true),
                (
                    "县财政局",
                    Some("4"),
                    Some("落实专项资金保障到位\n未到位扣10分"),
                    false
                ),
            ]
        );
    }
}
