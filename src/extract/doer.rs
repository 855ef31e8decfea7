//! Who does an item: the units or roles its own text names as doers.
//!
//! Read off the text's clauses, by the shapes the genre writes them in:
//! - labels: 责任单位：X, 牵头单位：X, 配合单位：X, 责任部门：X, 【牵头：X】, （X负责）;
//! - 由X牵头 / X牵头 (lead), X配合 / 在X的配合下 (support), 协助X / 配合X做好 (X leads);
//! - a clause whose subject comes first: X要 / X将 / X应 / X须 / X负责 …, where X is one or
//!   more names ("A、B和C") each ending in a unit or role word (局, 委, 办, 组, 党委, 部门,
//!   企业, 干部 …) or opening with 各 (各地区, 各单位).
//!
//! A condition ("对落实……不到位的") or a verb phrase ("督促企业") is never a doer. Duty
//! formulas (主体责任, 一岗双责) are kept apart as duties, never as doers.

use super::Vocabulary;

/// The doers of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doers {
    /// Every unit or role that does the item (lead and support included), in order.
    pub responsible: Vec<String>,
    /// 牵头.
    pub lead: Vec<String>,
    /// 配合.
    pub support: Vec<String>,
}

impl Doers {
    fn add(&mut self, v: &Vocabulary, who: &str, role: Role) {
        for u in split_units(v, who) {
            let list = match role {
                Role::Doer => None,
                Role::Lead => Some(&mut self.lead),
                Role::Support => Some(&mut self.support),
            };
            if let Some(list) = list {
                if !list.contains(&u) {
                    list.push(u.clone());
                }
            }
            if !self.responsible.contains(&u) {
                self.responsible.push(u);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Role {
    Doer,
    Lead,
    Support,
}

/// Words a unit's or role's name ends with.
const UNIT_ENDS: &[&str] = &[
    "局",
    "委",
    "办",
    "组",
    "室",
    "中心",
    "党委",
    "党组",
    "部",
    "厅",
    "处",
    "科",
    "院",
    "校",
    "所",
    "站",
    "队",
    "司",
    "企业",
    "单位",
    "部门",
    "机关",
    "机构",
    "干部",
    "党员",
    "领导",
    "班子",
    "成员",
    "书记",
    "主任",
    "负责人",
    "河长",
    "湖长",
    "校长",
    "院长",
    "乡镇",
    "街道",
    "政府",
    "纪委",
    "监委",
    "支部",
    "总支",
    "人员",
    "主官",
    "集团",
    "公司",
    "学校",
    "医院",
    "各地",
    "地区",
    "社区",
    "委员会",
    "管委会",
    "协会",
    "工会",
    "学会",
    "行业组织",
    "平台",
    "员",
    "常委",
    "各县",
    "各市",
    "各区",
    "各乡",
    "各镇",
    "各村",
];

/// Modal or duty words that follow a subject.
const MARKERS: &[&str] = &[
    "要", "将", "应当", "应", "须", "必须", "需", "负责", "牵头", "务必", "统一", "按照",
];

/// Words a doer never starts with: verbs, prepositions and conditions.
const NOT_FIRST: &[&str] = &[
    "一方面",
    "另一方面",
    "代表",
    "调动",
    "派员",
    "发生",
    "由",
    "对",
    "在",
    "按",
    "根据",
    "为",
    "通过",
    "围绕",
    "把",
    "将",
    "督促",
    "推动",
    "指导",
    "要求",
    "支持",
    "鼓励",
    "引导",
    "会同",
    "联合",
    "加强",
    "坚持",
    "组织",
    "开展",
    "落实",
    "强化",
    "推进",
    "建立",
    "完善",
    "深化",
    "严格",
    "做好",
    "切实",
    "认真",
    "积极",
    "进一步",
    "全面",
    "不断",
    "着力",
    "如",
    "若",
    "凡",
    "经",
    "以",
    "从",
    "向",
    "与",
    "同",
    "和",
    "及",
    "或",
    "并",
    "同时",
    "其中",
    "特别",
    "尤其",
    "主要",
    "其他",
    "所有",
];

/// Whether a name is a unit or role: short, ends with a unit word or opens with 各, and is no
/// verb phrase or condition.
fn is_unit(v: &Vocabulary, name: &str) -> bool {
    use std::cell::RefCell;
    // The same names recur through a plan: each is judged once per thread.
    thread_local! {
        static SEEN: RefCell<(u64, std::collections::HashMap<String, bool, super::lexicon::FastHash>)> =
            RefCell::new((0, std::collections::HashMap::default()));
    }
    // Names judged with another vocabulary's words are judged again.
    if let Some(unit) = SEEN.with(|s| v.table(&mut s.borrow_mut()).get(name).copied()) {
        return unit;
    }
    let unit = judge_unit(v, name);
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        let s = v.table(&mut s);
        if s.len() < 100_000 {
            s.insert(name.to_string(), unit);
        }
    });
    unit
}

fn judge_unit(v: &Vocabulary, name: &str) -> bool {
    let n = name.chars().count();
    let max = if name.contains('等') { 60 } else { 18 };
    if !(2..=max).contains(&n) {
        return false;
    }
    if name.contains(['的', '“', '”', '《', '》', '：', ':', '是']) {
        return false;
    }
    // "加强组织领导": leadership, not a leader; a bare kind of unit ("履行单位职责") names
    // none; the 总书记 quoted ("习近平总书记强调") does no task of a plan.
    if name.ends_with("组织领导")
        || name.ends_with("总书记")
        || matches!(
            name,
            "领导"
                | "单位"
                | "部门"
                | "机关"
                | "机构"
                | "干部"
                | "人员"
                | "成员"
                | "企业"
                | "党员"
        )
    {
        return false;
    }
    let short_each = name.starts_with('各') && (n <= 4 || name.ends_with(['）', ')']));
    if !(short_each || ends_like_unit(name)) {
        return false;
    }
    if NOT_FIRST.iter().any(|w| name.starts_with(w)) {
        return false;
    }
    if v.lexicons()
        .measures
        .entries
        .iter()
        .any(|m| name.starts_with(m.as_str()))
    {
        return false;
    }
    // Adverbs, time words and numbers make a clause, not a name ("部分学校还通知…",
    // "2023年召开…"); a count of units opening the name is part of it ("25个省局").
    let counted = name
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix(['个', '家', '所'])
        .filter(|_| name.starts_with(|c: char| c.is_ascii_digit()));
    let name = counted.unwrap_or(name);
    if name.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let tokens = v.tokens(name);
    // A verb of the measures lexicon before the name's last word: a verb phrase
    // ("督促驻在部门").
    let lex = v.lexicons();
    if tokens
        .iter()
        .take(tokens.len().saturating_sub(1))
        .any(|t| t.word.chars().count() >= 2 && lex.measures.contains(t.word))
    {
        return false;
    }
    !tokens.iter().any(|t| {
        t.word.chars().count() >= 1
            && matches!(
                v.pos_of(t.word),
                super::segment::Pos::Adverb
                    | super::segment::Pos::Time
                    | super::segment::Pos::Preposition
            )
            && !matches!(t.word, "各" | "全" | "总" | "副")
    })
}

/// Whether a text ends with a unit or role word (the cheap first test of a name).
fn ends_like_unit(s: &str) -> bool {
    let Some(last) = s.chars().next_back() else {
        return false;
    };
    // Only the words ending in the text's last character are compared.
    UNIT_ENDS
        .iter()
        .any(|e| e.ends_with(last) && s.ends_with(e))
}

/// Whether a list of names could end here: its last name ends with a unit word, or a
/// bracket ("各县（市、区）"), or is a short 各X.
fn may_be_units(s: &str) -> bool {
    let last = s.rsplit(['、', '，', ',', ' ']).next().unwrap_or(s);
    ends_like_unit(s)
        || s.ends_with(['）', ')'])
        || (last.starts_with('各') && last.chars().count() <= 4)
}

/// Names in a list: "A、B和C" → A, B, C. Separators inside brackets ("各县（市、区）") do not
/// split.
fn split_units(v: &Vocabulary, s: &str) -> Vec<String> {
    // "山西、内蒙古等省局": one group of units, named together.
    // The 等 of a word ("高等院校", "平等") is no list's end: the list's last name is one
    // name, after a list.
    if let Some((head, tail)) = s.rsplit_once('等') {
        // What follows 等 is the kind of the names listed: short ("省局", "有关部门").
        let one_name = !tail.contains(['、', '，', ',', '；', ' ', '和', '及', '与'])
            && tail.chars().count() <= 6;
        if !head.is_empty() && one_name && is_unit(v, tail) && s.chars().count() <= 60 {
            return vec![s.trim().to_string()];
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | ' ' | '　') {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let mut out = Vec::new();
    for part in parts {
        let part = part.trim().trim_end_matches('等').trim();
        if part.is_empty() {
            continue;
        }
        // 和/及/与 join two names only when both sides are names.
        let mut pieces = vec![part.to_string()];
        for sep in ["和", "及", "与"] {
            pieces = pieces
                .into_iter()
                .flat_map(|p| {
                    let halves: Vec<&str> = p.split(sep).collect();
                    if halves.len() > 1 && halves.iter().all(|h| is_unit(v, h)) {
                        halves.into_iter().map(str::to_string).collect()
                    } else {
                        vec![p]
                    }
                })
                .collect();
        }
        out.extend(pieces);
    }
    out
}

/// Whether every name of a list is a unit.
fn all_units(v: &Vocabulary, s: &str) -> bool {
    if !may_be_units(s.trim_end_matches('等')) {
        return false;
    }
    let u = split_units(v, s);
    !u.is_empty() && u.iter().all(|x| is_unit(v, x))
}

/// The units a short cell names when it names nothing else ("县农粮局", "县委办、县政府办"):
/// a table whose task column holds units in some rows.
pub fn units_only(v: &Vocabulary, cell: &str) -> Option<Vec<String>> {
    let c = cell.trim();
    if c.chars().count() > 40 || !all_units(v, c) {
        return None;
    }
    Some(split_units(v, c))
}

/// How many characters of a clause its subject may take: a list of thirteen provinces
/// "等省局" is 43.
const HEAD: usize = 64;

/// How a document's text names who does its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reading {
    /// A plan, notice or table assigns its items: every shape of [`find`] names doers.
    #[default]
    Assigns,
    /// A report or a 通报 of cases tells what was done: the units it narrates ("甘肃省纪委监委
    /// 通过…深挖细查", "X局牵头办理…", "要求全体医护人员参加") acted in the past and are no
    /// doers of an item; only labels and the clauses that ask ("各级纪检监察机关要…", X须/X应
    /// /X必须/X将…) name doers.
    Narrates,
}

/// The doers named in a text.
pub fn find(v: &Vocabulary, text: &str) -> Doers {
    find_as(v, text, Reading::Assigns)
}

/// The doers named in a text read as `reading` says.
pub fn find_as(v: &Vocabulary, text: &str, reading: Reading) -> Doers {
    let mut d = Doers::default();
    if text.is_empty() {
        return d;
    }
    labels(v, text, &mut d);
    let (ends, _) = masks();
    // Clause by clause; a doer's name stands in a clause's first 64 characters, so a clause
    // whose opening holds no unit word's last character has none (one look at each of
    // those characters: nearly every text has such a character somewhere, so the whole
    // text is not scanned first).
    for clause in text.split(['。', '；', '！', '？', '\n', ';', '，', ',', '：']) {
        let clause = clause.trim();
        if clause.is_empty()
            || !clause
                .chars()
                .take(HEAD)
                .any(|c| ends.may_contain(c) || c == '各')
        {
            continue;
        }
        match reading {
            Reading::Assigns => {
                patterns(v, clause, &mut d);
                subject(v, clause, &mut d);
            }
            Reading::Narrates => asked(v, clause, &mut d),
        }
    }
    d
}

/// A clause that asks its subject to act: X要… (not X要求…), X须…, X应…, X必须…, X将…,
/// X务必….
fn asked(v: &Vocabulary, clause: &str, d: &mut Doers) {
    let clause = without_alias(clause);
    let head = head_chars(&clause, HEAD);
    let Some((k, m)) = marker_after_names(v, head) else {
        return;
    };
    let modal = matches!(
        m,
        "要" | "将" | "应当" | "应" | "须" | "必须" | "需" | "务必"
    );
    if modal && !head[k..].starts_with("要求") {
        d.add(v, &head[..k], Role::Doer);
    }
}

/// 责任单位：X / 牵头单位：X / 配合单位：X / 【牵头：X】 / （X负责）.
fn labels(v: &Vocabulary, text: &str, d: &mut Doers) {
    // A heading closed by the units it is for: "共性指标（各责任单位）".
    let first = text.lines().next().unwrap_or_default().trim_end();
    if let Some(inner) = first.strip_suffix('）') {
        if let Some(open) = inner.rfind('（') {
            let who = &inner[open + '（'.len_utf8()..];
            if open > 0 && all_units(v, who) {
                d.add(v, who, Role::Doer);
            }
        }
    }
    // Most texts hold no label: a colon and a bracket are looked for once.
    let bracketed = text.contains('）') && text.contains("负责）");
    if !(text.contains(['：', ':']) || bracketed) {
        return;
    }
    const LABELS: &[(&str, Role)] = &[
        ("牵头单位", Role::Lead),
        ("牵头部门", Role::Lead),
        ("牵头领导", Role::Lead),
        ("牵头", Role::Lead),
        ("配合单位", Role::Support),
        ("配合部门", Role::Support),
        ("配合", Role::Support),
        ("责任单位", Role::Doer),
        ("责任部门", Role::Doer),
        ("责任主体", Role::Doer),
        ("责任领导", Role::Doer),
        ("责任人", Role::Doer),
        ("承办单位", Role::Doer),
    ];
    // Each colon ends at most one label (none is the end of another): the labels are looked
    // for before the colons, not through the whole text once per label; the units are added
    // label by label, in the order of LABELS, as they always were.
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for (at, colon) in text.match_indices(['：', ':']) {
        let before = &text[..at];
        let Some(k) = LABELS.iter().position(|(l, _)| before.ends_with(l)) else {
            continue;
        };
        let start = at - LABELS[k].0.len();
        // Only a label that opens a clause or a bracket.
        if !matches!(
            text[..start].chars().next_back(),
            None | Some('（' | '(' | '【' | '[' | '；' | '。' | '，' | ' ' | '\n')
        ) {
            continue;
        }
        let rest = &text[at + colon.len()..];
        let end = rest
            .find(['）', ')', '】', ']', '；', ';', '。', '\n'])
            .unwrap_or(rest.len());
        let who = &rest[..end];
        if !who.is_empty() && who.chars().count() <= 80 {
            found.push((k, at, who));
        }
    }
    found.sort_unstable_by_key(|&(k, at, _)| (k, at));
    for (k, _, who) in found {
        d.add(v, who, LABELS[k].1);
    }
    // （X负责）
    let mut from = 0;
    while let Some(p) = text[from..].find("负责）") {
        let at = from + p;
        from = at + "负责）".len();
        if let Some(open) = text[..at].rfind('（') {
            let who = &text[open + '（'.len_utf8()..at];
            if all_units(v, who) {
                d.add(v, who, Role::Doer);
            }
        }
    }
}

/// In one clause: 由X牵头, X牵头, Y配合, 在X的配合下, 协助X, 配合X做好, 组织X…, X与Y….
fn patterns(v: &Vocabulary, clause: &str, d: &mut Doers) {
    let mut clause = clause.trim();
    for m in ["积极", "认真", "主动", "切实", "并", "负责", "请", "其中"] {
        clause = clause.strip_prefix(m).unwrap_or(clause);
    }
    // 组织X开展…, 要求X做好…, 统筹X…: X does it (X may also end the clause:
    // "牵头组织相关部门"). 督促X…, 指导X…: X is the one supervised, not the doer.
    if clause.contains(['组', '统', '要', '督', '指', '动', '召']) {
        for verb in ["组织", "统筹", "要求", "动员", "召集"] {
            let Some(k) = clause.find(verb) else {
                continue;
            };
            let rest = &clause[k + verb.len()..];
            match verb_after_subject(v, rest) {
                Some(e) => d.add(v, &rest[..e], Role::Doer),
                None if rest.chars().count() <= 18 && all_units(v, rest) => {
                    d.add(v, rest, Role::Doer)
                }
                None => {}
            }
        }
    }
    // X是…第一责任人 / X是…直接责任人: X answers for it.
    if let Some((who, rest)) = clause.split_once('是') {
        if rest.ends_with("责任人") && who.chars().count() >= 2 && all_units(v, who) {
            d.add(v, who, Role::Doer);
        }
    }
    // 履行X职责 / 履行X第一责任人职责: X does it.
    if let Some(k) = clause.find("履行") {
        let rest = &clause[k + "履行".len()..];
        if let Some(e) = rest.find("职责") {
            let who = rest[..e]
                .trim_end_matches("第一责任人")
                .trim_end_matches("的");
            if who.chars().count() >= 2 && all_units(v, who) {
                d.add(v, who, Role::Doer);
            }
        }
    }
    // X与Y协同/签订/共同…: both do it.
    if let Some(k) = clause.find('与') {
        let (a, b) = (&clause[..k], &clause[k + '与'.len_utf8()..]);
        if let Some(e) = verb_after_subject(v, b) {
            if all_units(v, &b[..e]) && (a.is_empty() || all_units(v, a)) {
                if !a.is_empty() {
                    d.add(v, a, Role::Doer);
                }
                d.add(v, &b[..e], Role::Doer);
            }
        }
    }
    // 由X牵头 / 由X负责
    if let Some(rest) = clause.strip_prefix('由') {
        for (word, role) in [
            ("牵头", Role::Lead),
            ("负责", Role::Doer),
            ("组织", Role::Doer),
        ] {
            if let Some(k) = rest.find(word) {
                let who = &rest[..k];
                if all_units(v, who) {
                    d.add(v, who, role);
                }
                break;
            }
        }
        return;
    }
    // 在X的配合下 / 在X的指导下
    if let (Some(rest), true) = (clause.strip_prefix('在'), clause.ends_with("配合下")) {
        if let Some(k) = rest.find("的配合下") {
            let who = &rest[..k];
            if all_units(v, who) {
                d.add(v, who, Role::Support);
            }
        }
        return;
    }
    // 协助X… / 配合X做好…: X leads.
    for prefix in ["协助", "配合"] {
        if let Some(rest) = clause.strip_prefix(prefix) {
            let rest = rest.trim_start_matches(prefix);
            let end = [
                "做好", "开展", "推进", "落实", "完成", "依法", "抓好", "逐步", "实施", "将",
                "加强", "监督", "组织", "研究", "部署", "对", "把",
            ]
            .iter()
            .filter_map(|v| rest.find(v))
            .min()
            .unwrap_or(rest.len());
            let who = &rest[..end];
            if who.chars().count() > 2 && all_units(v, who) {
                d.add(v, who, Role::Lead);
            }
        }
    }
    // X牵头 / X配合 (as the whole clause or its opening)
    if !clause.contains(['牵', '配', '参']) {
        return;
    }
    for (word, role) in [
        ("牵头", Role::Lead),
        ("配合", Role::Support),
        ("参与", Role::Support),
    ] {
        if let Some(k) = clause.find(word) {
            let who = &clause[..k];
            let tail = &clause[k + word.len()..];
            if !who.is_empty() && all_units(v, who) && !tail.starts_with("下") {
                d.add(v, who, role);
            }
        }
    }
}

/// The units a table row's measures cell names as working with the row's own unit: "与X、Y共同
/// 推进…", "会同X…", "协同X…", "协助X…", "配合X开展…" (each measure may open with its number,
/// "2.与…"). The row's unit column says who answers for the row; these take part in it.
/// Names the cell gives as the ones supervised (督促X, 指导X) are not among them.
pub fn partners(v: &Vocabulary, cell: &str) -> Vec<String> {
    let mut d = Doers::default();
    if !cell.contains(['与', '会', '协', '配']) {
        return Vec::new();
    }
    // Measures written on one line are numbered: "…（10分） 2.协助乡镇开展…".
    let mut lines = String::with_capacity(cell.len());
    let mut prev_space = false;
    for c in cell.chars() {
        if prev_space && c.is_ascii_digit() {
            lines.push('\n');
        }
        prev_space = c.is_whitespace();
        lines.push(c);
    }
    for clause in lines.split(['。', '；', '！', '？', '\n', ';', '，', ',', '：']) {
        let clause = clause
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .trim_start_matches(['.', '．', '、', '）', ')'])
            .trim();
        let clause = clause.strip_prefix("积极").unwrap_or(clause);
        // Both finders end the partner only where a whole list of units stops.
        for (word, verb_first) in [
            ("会同", true),
            ("协同", true),
            ("联合", true),
            ("与", false),
            ("协助", false),
            ("配合", false),
        ] {
            let Some(rest) = clause.strip_prefix(word) else {
                continue;
            };
            let end = if verb_first {
                verb_after_subject(v, rest).or_else(|| partner_end(v, rest))
            } else {
                partner_end(v, rest)
            };
            if let Some(e) = end {
                d.add(v, &rest[..e], Role::Support);
            }
        }
    }
    d.responsible
}

/// Where the partner named at a measure's opening ends: before the verb of the joint work
/// ("共同推进", "一起", "开展", "做好", "加强" …).
fn partner_end(v: &Vocabulary, rest: &str) -> Option<usize> {
    const AFTER: &[&str] = &[
        "共同", "一起", "一道", "联合", "做好", "开展", "推进", "落实", "完成", "依法", "抓好",
        "实施", "加强", "加大", "查处", "打击", "整治", "监督", "组织", "研究", "部署", "对", "把",
    ];
    let end = AFTER
        .iter()
        .filter_map(|v| rest.find(v))
        .min()
        .filter(|&e| e > 0 && all_units(v, &rest[..e]));
    end.or_else(|| verb_after_subject(v, rest))
}

/// A clause whose subject comes first: X要…, X将…, X负责….
fn subject(v: &Vocabulary, clause: &str, d: &mut Doers) {
    if clause.is_empty() {
        return;
    }
    // The earliest marker within the clause's first HEAD characters.
    let clause = clause.strip_prefix('请').unwrap_or(clause);
    let clause = clause.strip_prefix("其中").unwrap_or(clause);
    let clause = without_alias(clause);
    let head = head_chars(&clause, HEAD);
    if let Some((k, m)) = marker_after_names(v, head) {
        // "要求" after a name is the name asking others ("省纪委要求各地…"): the others do it.
        if m == "要" && head[k..].starts_with("要求") {
            return;
        }
        d.add(v, &head[..k], Role::Doer);
        return;
    }
    // No name before the first modal ("X及时按照Y要求…"): a name before a verb.
    if let Some(k) = verb_after_subject(v, head) {
        d.add(v, &head[..k], Role::Doer);
    }
}

/// A clause without the short name it gives its subject ("25个省级煤矿安监局（以下简称省局）
/// 及时部署" → "25个省级煤矿安监局及时部署").
fn without_alias(clause: &str) -> std::borrow::Cow<'_, str> {
    if !clause.contains('简') {
        return clause.into();
    }
    let Some(open) = clause.find("（以下简称") else {
        return clause.into();
    };
    match clause[open..].find('）') {
        Some(close) => {
            let end = open + close + '）'.len_utf8();
            format!("{}{}", &clause[..open], &clause[end..]).into()
        }
        None => clause.into(),
    }
}

/// Where a subject ends when no modal follows it: the longest opening of the clause that is
/// a list of units and is followed by an action verb ("河南煤矿安监局组织开展…").
fn verb_after_subject(v: &Vocabulary, head: &str) -> Option<usize> {
    let lex = v.lexicons();
    let (ends, verbs) = masks();
    let mut found = None;
    let mut single = None;
    let mut whole_checked = false;
    let mut prev: Option<char> = None;
    for (k, c) in head.char_indices() {
        let last = prev.replace(c);
        // Cheap tests first, by character: a unit word ends before k, a verb starts at k.
        if k < 6
            || !last.is_some_and(|l| ends.may_contain(l))
            || !(verbs.may_contain(c) || lex.measures.firsts.may_contain(c))
        {
            continue;
        }
        let before = &head[..k];
        if !may_be_units(before) {
            continue;
        }
        let rest = &head[k..];
        // A measure verb of two to four characters opening `rest`: looked up, not scanned.
        let verb = VERBS.iter().any(|v| rest.starts_with(v))
            || rest
                .char_indices()
                .skip(2)
                .take(3)
                .map(|(e, _)| &rest[..e])
                .chain(std::iter::once(rest).filter(|r| (2..=4).contains(&r.chars().count())))
                .any(|w| lex.measures.contains(w));
        if !verb {
            continue;
        }
        // "县委组织部": a verb's characters inside a name are no verb.
        let inside_name = UNIT_ENDS.iter().any(|e| {
            rest.chars().nth(2).is_some_and(|c| e.starts_with(c)) && e.chars().count() == 1
        }) && {
            // …unless the words say otherwise ("出台办法": a verb and a noun).
            let tokens = v.tokens(head_chars(rest, 6));
            tokens
                .first()
                .is_some_and(|t| t.word.chars().count() > 2 && ends_like_unit(t.word))
        };
        if inside_name {
            continue;
        }
        // A clause that is only names ("县委组织部、县人社局") has no verb in it.
        if !whole_checked {
            whole_checked = true;
            if all_units(v, head) {
                return None;
            }
        }
        if all_units(v, before) {
            // A verb of one character ("对", "向") only where no longer one follows a name:
            // "党委常委带队对…" is 党委常委 leading the team.
            if rest.starts_with(['对', '向', '共', '按'])
                && !VERBS
                    .iter()
                    .any(|v| v.chars().count() > 1 && rest.starts_with(v))
            {
                single = single.or(Some(k));
            } else {
                found = Some(k);
            }
        }
    }
    found.or(single)
}

/// The last characters of unit words, and the first characters of the verbs that may follow
/// a subject (the measure verbs of the lexicon are asked apart, by their own mask).
fn masks() -> &'static (super::lexicon::CharMask, super::lexicon::CharMask) {
    static MASKS: std::sync::OnceLock<(super::lexicon::CharMask, super::lexicon::CharMask)> =
        std::sync::OnceLock::new();
    MASKS.get_or_init(|| {
        let ends = UNIT_ENDS
            .iter()
            .filter_map(|e| e.chars().next_back())
            .chain(['）', ')'])
            .collect();
        let verbs = VERBS.iter().filter_map(|v| v.chars().next()).collect();
        (ends, verbs)
    })
}

/// Verbs that follow a subject named without a modal.
const VERBS: &[&str] = &[
    "组织",
    "开展",
    "制定",
    "印发",
    "召开",
    "联合",
    "会同",
    "结合",
    "针对",
    "坚持",
    "建立",
    "实行",
    "先后",
    "积极",
    "认真",
    "切实",
    "共",
    "及时",
    "率先",
    "学习",
    "举办",
    "进行",
    "签订",
    "协同",
    "参加",
    "做好",
    "研究",
    "审定",
    "不少于",
    "带队",
    "履行",
    "成立",
    "聘请",
    "出台",
    "提前",
    "指导",
    "督促",
    "对",
    "向",
    "按",
    "按照",
    "利用",
    "依托",
    "通过",
];

/// Whether a sentence opens with its doer and a modal ("各单位要…", "县纪委监委负责…"): a
/// measure written subject first.
pub fn opens_with_subject(v: &Vocabulary, sentence: &str) -> bool {
    let head = head_chars(sentence, 24);
    markers(head)
        .find(|(k, m)| {
            m.starts_with(['要', '将', '应', '须', '必', '负']) && !head[*k..].starts_with("要求")
        })
        .is_some_and(|(k, _)| all_units(v, &head[..k]))
}

/// A text's first `n` characters.
fn head_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(k, _)| &s[..k])
}

/// The marker that follows the names a clause opens with: a marker's character may be
/// inside a name ("河北省应急厅等省级部门负责…", "县应急管理局要…"), so the first of the first
/// four markers after a whole list of names is the one.
fn marker_after_names(v: &Vocabulary, head: &str) -> Option<(usize, &'static str)> {
    markers(head)
        .take(4)
        .find(|&(k, _)| all_units(v, &head[..k]))
}

/// Where a modal or duty word ([`MARKERS`]) starts after a text's first character, in order.
fn markers(head: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    head.char_indices().skip(1).filter_map(move |(k, c)| {
        if !matches!(
            c,
            '要' | '将' | '应' | '须' | '必' | '需' | '负' | '牵' | '务' | '统' | '按'
        ) {
            return None;
        }
        MARKERS
            .iter()
            .find(|m| head[k..].starts_with(*m))
            .map(|m| (k, *m))
    })
}

/// Whether a responsible-lexicon entry is a duty formula (主体责任, 一岗双责) rather than a
/// unit.
pub fn is_duty(entry: &str) -> bool {
    entry.contains("责任") || entry.contains("一岗双责") || entry == "第一责任人"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doers(t: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let d = find(Vocabulary::builtin(), t);
        (d.responsible, d.lead, d.support)
    }

    #[test]
    fn narrated_subjects() {
        let provinces = "河北、山西、内蒙古、江西、湖南、广西、陕西、甘肃、新疆、兵团等省局";
        assert_eq!(
            doers(&format!("{provinces}成立了领导小组。")).0,
            vec![provinces]
        );
        // Thirteen names: longer than the old 40-character window.
        let thirteen = "河北、内蒙古、辽宁、吉林、黑龙江、江苏、安徽、山东、河南、重庆、四川、贵州、云南等省局";
        assert_eq!(doers(&format!("{thirteen}出台办法。")).0, vec![thirteen]);
        assert_eq!(
            doers(
                "25个省级煤矿安监局（以下简称省局）及时按照国家煤矿安监局要求对专项监察进行部署。"
            )
            .0,
            vec!["25个省级煤矿安监局"]
        );
        // The 等 of 高等 ends no list.
        assert_eq!(
            doers("高等院校、科研机构要发挥人才技术优势。").0,
            vec!["高等院校", "科研机构"]
        );
        assert_eq!(doers("党委常委带队对各大队进行检查。").0, vec!["党委常委"]);
        assert!(doers("加强组织领导。").0.is_empty());
        assert_eq!(
            doers("军政主官是党风廉政建设第一责任人，班子其他成员协助抓好。").0,
            vec!["军政主官", "班子其他成员"]
        );
        assert_eq!(
            doers("山西、辽宁等省局利用专项监察推进联网改造。").0,
            vec!["山西、辽宁等省局"]
        );
        assert_eq!(
            doers("陕西煤矿安监局按原则分组检查。").0,
            vec!["陕西煤矿安监局"]
        );
        assert!(doers("既未履行单位职责出具意见。").0.is_empty());
        assert!(doers("习近平总书记强调，要坚持严的基调。").0.is_empty());
        // The one urged is supervised, not the doer.
        assert!(doers("督促机关各部门、基层单位履行职责。").0.is_empty());
        assert!(doers("一方面反映出纪检监察机关工作成效。").0.is_empty());
        assert_eq!(
            doers("认真履行纪委书记、副书记职责，抓好监督。").0,
            vec!["纪委书记", "副书记"]
        );
        // 有关, 相关 and 重点 open names as often as anything.
        assert_eq!(
            doers("有关中央企业、重点煤炭企业要加大成果转化力度。").0,
            vec!["有关中央企业", "重点煤炭企业"]
        );
        assert_eq!(doers("相关部门要按时报送。").0, vec!["相关部门"]);
    }

    #[test]
    fn subjects_first() {
        assert_eq!(
            doers("各地区、各部门要将政务新媒体工作列入年度绩效考核。").0,
            vec!["各地区", "各部门"]
        );
        assert_eq!(
            doers("电力企业要高度重视高风险场所火灾防范。").0,
            vec!["电力企业"]
        );
        assert_eq!(
            doers("县纪委监委负责督导检查，定期通报。").0,
            vec!["县纪委监委"]
        );
        // A verb phrase and a condition are no doers.
        assert!(doers("督促企业要落实主体责任。").0.is_empty());
        assert!(doers("对落实不到位的要严肃问责。").0.is_empty());
        assert!(doers("要加强日常监督。").0.is_empty());
    }

    #[test]
    fn lead_and_support() {
        let (r, l, s) = doers("由市教育局牵头，各县（市、区）配合，6月底前完成。");
        assert_eq!(l, vec!["市教育局"]);
        assert_eq!(s, vec!["各县（市、区）"]);
        assert_eq!(r.len(), 2);
        let (_, l, s) = doers("开展专项检查。（牵头单位：县纪委监委；配合单位：县委办、县财政局）");
        assert_eq!(l, vec!["县纪委监委"]);
        assert_eq!(s, vec!["县委办", "县财政局"]);
        let (_, _, s) = doers("在信息中心和各部门的配合下，试运行权力清单");
        assert_eq!(s, vec!["信息中心", "各部门"]);
        let (_, l, _) = doers("协助县级责任单位依法取缔“十小”企业");
        assert_eq!(l, vec!["县级责任单位"]);
    }

    #[test]
    fn partners_of_a_measures_cell() {
        assert_eq!(
            partners(
                Vocabulary::builtin(),
                "1.继续推动整治（5分）； 2.与县环保局、县水文站共同推进备用水源建设（5分）。"
            ),
            vec!["县环保局", "县水文站"]
        );
        // Measures numbered on one line; 协助/配合/协同/会同 name partners too.
        assert_eq!(
            partners(
                Vocabulary::builtin(),
                "1.加强保护（10分） 2.向上争取资金（15分） 3.协助乡镇开展综合治理（10分）"
            ),
            vec!["乡镇"]
        );
        assert_eq!(
            partners(
                Vocabulary::builtin(),
                "4.协同县水利局加强对违法建筑的打击力度（15分）"
            ),
            vec!["县水利局"]
        );
        assert_eq!(
            partners(Vocabulary::builtin(), "会同县财政局开展专项检查"),
            vec!["县财政局"]
        );
        // The ones supervised or served, and measures that name no partner, are none.
        assert!(partners(
            Vocabulary::builtin(),
            "1.指导乡镇开展整治； 2.督促企业落实责任。"
        )
        .is_empty());
        assert!(partners(
            Vocabulary::builtin(),
            "与群众反映强烈的问题相结合，开展整治。"
        )
        .is_empty());
        assert!(partners(Vocabulary::builtin(), "建立台账，按月报送。").is_empty());
    }

    #[test]
    fn a_marker_inside_a_name() {
        assert_eq!(
            doers("河北煤矿安监局、河北省应急厅等省级部门负责检查灾害严重的矿井。").0,
            vec!["河北煤矿安监局、河北省应急厅等省级部门"]
        );
        assert_eq!(doers("县应急管理局要组织演练。").0, vec!["县应急管理局"]);
    }

    #[test]
    fn narration_names_only_the_ones_asked() {
        let narrated = |t: &str| find_as(Vocabulary::builtin(), t, Reading::Narrates).responsible;
        // What was done: its actors are no doers.
        assert!(narrated("甘肃省纪委监委通过梳理票据等方式，深挖细查违规吃喝问题。").is_empty());
        assert!(narrated("2023年，区自然资源局牵头办理采矿权延续审批事项。").is_empty());
        assert!(narrated("召开晨会200余次，要求全体医护人员参加。").is_empty());
        // What is asked, and labels, still name them.
        assert_eq!(
            narrated("对此，各级纪检监察机关要加强监督检查。"),
            vec!["各级纪检监察机关"]
        );
        assert_eq!(narrated("责任单位：县纪委监委"), vec!["县纪委监委"]);
        // A plan read the same way names the narrated ones.
        assert_eq!(
            find(
                Vocabulary::builtin(),
                "2023年，区自然资源局牵头办理审批事项。"
            )
            .responsible,
            vec!["区自然资源局"]
        );
    }

    #[test]
    fn labels_and_brackets() {
        assert_eq!(
            doers("建立工作台账。责任单位：县委组织部、县人社局").0,
            vec!["县委组织部", "县人社局"]
        );
        assert_eq!(doers("完善制度（县司法局负责）").0, vec!["县司法局"]);
    }

    #[test]
    fn directed_doers() {
        assert_eq!(doers("组织各党总支学习领会文件精神").0, vec!["各党总支"]);
        assert_eq!(
            doers("与人力资源处协同出台绩效分配办法").0,
            vec!["人力资源处"]
        );
        assert_eq!(
            doers("学院党委与各党总支签订责任书").0,
            vec!["学院党委", "各党总支"]
        );
        // A clause with an adverb or a time is no name.
        assert!(doers("部分学校还通知学生家长到场").0.is_empty());
        assert!(doers("每半年对驻在单位开展一次检查").0.is_empty());
    }

    #[test]
    fn measures_written_subject_first() {
        assert!(opens_with_subject(
            Vocabulary::builtin(),
            "各单位要对照检查内容开展自查"
        ));
        assert!(opens_with_subject(
            Vocabulary::builtin(),
            "县纪委监委负责督导检查"
        ));
        assert!(!opens_with_subject(Vocabulary::builtin(), "要加强日常监督"));
        assert!(!opens_with_subject(
            Vocabulary::builtin(),
            "对落实不到位的要严肃问责"
        ));
    }

    #[test]
    fn duties() {
        assert!(is_duty("党委（党组）主体责任"));
        assert!(is_duty("班子成员一岗双责"));
        assert!(!is_duty("派驻纪检监察组"));
    }
}
