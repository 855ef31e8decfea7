//! Labelled examples for the classifier (`corpora/labels/*.tsv`).
//!
//! Two kinds of row, told apart by their number of tab-separated columns; `#` starts a
//! comment line:
//! - `category<TAB>file<TAB>id<TAB>title`: an item of a plan in `corpora/plans/` (the
//!   folder beside the labels folder), found by its stable id; its title and text come from
//!   running the pipeline on that plan, and the title in the row must match (a check that
//!   the ids still point where they did when the item was labelled);
//! - `category<TAB>text`: an item written out in full (its title is its lead phrase, up to
//!   the first 。).

use super::classifier::Example;
use super::taxonomy;
use crate::error::{Error, Result};
use crate::extract::Vocabulary;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The labels folder of the source tree.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/labels")
}

/// Every labelled example of the `.tsv` files of a folder, files in name order.
pub fn load(v: &Vocabulary, dir: &Path) -> Result<Vec<Example>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::file(dir, "文件夹中没有 .tsv 标注文件"));
    }
    let plans = dir
        .parent()
        .map_or_else(|| PathBuf::from("plans"), |p| p.join("plans"));
    let mut docs: HashMap<String, HashMap<String, (String, String)>> = HashMap::new();
    let ids: Vec<&str> = taxonomy::categories()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut out = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| Error::io(f, &e))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let origin = format!("{} 第{}行", f.display(), n + 1);
            let cols: Vec<&str> = line.split('\t').collect();
            let cat = cols[0].trim();
            if !ids.contains(&cat) {
                return Err(Error::file(
                    f,
                    format!(
                        "第{}行：类别“{cat}”不在 corpora/taxonomy.toml 中，可用的有：{}",
                        n + 1,
                        ids.join("、")
                    ),
                ));
            }
            match cols.len() {
                2 => {
                    let text = cols[1].trim().to_string();
                    let title = text
                        .split_once('。')
                        .map_or(text.as_str(), |(t, _)| t)
                        .to_string();
                    out.push(Example {
                        category: cat.to_string(),
                        title,
                        text,
                        origin,
                    });
                }
                4 => {
                    let (file, id, title) = (cols[1].trim(), cols[2].trim(), cols[3].trim());
                    if !docs.contains_key(file) {
                        let path = plans.join(file);
                        let ex = super::read_plan(v, &path, None, &crate::intake::Limits::default())?;
                        let items = ex
                            .items
                            .into_iter()
                            .map(|t| (t.id, (t.title, t.text)))
                            .collect();
                        docs.insert(file.to_string(), items);
                    }
                    let found = docs.get(file).and_then(|m| m.get(id));
                    match found {
                        Some((t, text)) if t == title => out.push(Example {
                            category: cat.to_string(),
                            title: t.clone(),
                            text: text.clone(),
                            origin,
                        }),
                        Some((t, _)) => {
                            return Err(Error::file(
                                f,
                                format!(
                                    "第{}行：{file} 中编号 {id} 的事项现在是“{t}”，不是标注时的“{title}”，请重新核对标注",
                                    n + 1
                                ),
                            ))
                        }
                        None => {
                            return Err(Error::file(
                                f,
                                format!("第{}行：{file} 中没有编号为 {id} 的事项", n + 1),
                            ))
                        }
                    }
                }
                k => {
                    return Err(Error::file(
                        f,
                        format!(
                            "第{}行：应为“类别<Tab>文件<Tab>编号<Tab>标题”（4列）或“类别<Tab>正文”（2列），实际有{k}列",
                            n + 1
                        ),
                    ))
                }
            }
        }
    }
    Ok(out)
}
