//! The user's additions to the built-in dictionary and word lists: a folder holding
//! `dict.txt` (jieba lines "词 \\[频率\\] \\[词性\\]") and `lexicons/*.txt` (one entry per line, the
//! same names as `corpora/lexicons/`; `canonical.txt` adds spellings for normalization).
//!
//! The front-end chooses the folder (the command line takes it from `JIANDU_DATA`), reads it
//! with [`load`], which reports every file it could not use, and builds the
//! [`super::Vocabulary`] it passes to the stages from it. The library itself reads no
//! environment.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The word lists a folder may add to, by file stem: the slot lexicons and the canonical
/// terms of normalization.
pub fn lexicon_names() -> Vec<&'static str> {
    super::lexicon::SLOT_LEXICONS
        .iter()
        .map(|(name, _)| *name)
        .chain(["canonical"])
        .collect()
}

/// The files read from a user's folder, by name (`dict.txt`, `lexicons/areas.txt` …).
#[derive(Debug, Clone, Default)]
pub struct UserData {
    /// The folder.
    pub dir: PathBuf,
    files: BTreeMap<String, String>,
}

impl UserData {
    /// The text of a file by its name in the folder (`dict.txt`, `lexicons/areas.txt`).
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// The names of the files that were read.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// Read a user's folder. An error when it is no folder; notes (Chinese, naming the file)
/// for files saved in GBK (read, but said), files that cannot be read, and `.txt` files
/// whose names jiandu does not know (a misspelling would otherwise be ignored silently).
pub fn load(dir: &Path) -> Result<(UserData, Vec<String>)> {
    let meta = std::fs::metadata(dir).map_err(|_| {
        Error::file(
            dir,
            "用户词典文件夹不存在（JIANDU_DATA 设置的文件夹），请检查拼写",
        )
    })?;
    if !meta.is_dir() {
        return Err(Error::file(
            dir,
            "这不是文件夹：JIANDU_DATA 应设置为放 dict.txt 和 lexicons 的文件夹",
        ));
    }
    let mut data = UserData {
        dir: dir.to_path_buf(),
        files: BTreeMap::new(),
    };
    let mut notes = Vec::new();
    let mut read = |rel: String, path: &Path, notes: &mut Vec<String>| {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                notes.push(format!(
                    "{}：{}，未使用",
                    path.display(),
                    Error::io(path, &e).message
                ));
                return;
            }
        };
        match crate::intake::txt::decode(&bytes) {
            Ok(text) => {
                if std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
                    .is_err()
                {
                    notes.push(format!(
                        "{}：不是 UTF-8 编码，已按 GBK/GB18030 读取；建议另存为 UTF-8",
                        path.display()
                    ));
                }
                data.files.insert(rel, text.into_owned());
            }
            Err(e) => notes.push(format!("{}：{}，未使用", path.display(), e.message)),
        }
    };
    let dict = dir.join("dict.txt");
    if dict.is_file() {
        read("dict.txt".to_string(), &dict, &mut notes);
    }
    let names = lexicon_names();
    for name in &names {
        // `lexicons/areas.txt`, or `areas.txt` beside `dict.txt`.
        for sub in ["lexicons", "."] {
            let p = dir.join(sub).join(format!("{name}.txt"));
            if p.is_file() {
                read(format!("lexicons/{name}.txt"), &p, &mut notes);
                break;
            }
        }
    }
    let known = |stem: &str| stem == "dict" || names.contains(&stem);
    for sub in [".", "lexicons"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut odd: Vec<String> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")))
            .filter(|p| !p.file_stem().and_then(|s| s.to_str()).is_some_and(known))
            .map(|p| p.display().to_string())
            .collect();
        odd.sort();
        for p in odd {
            notes.push(format!(
                "{p}：文件名不是 jiandu 认识的词表（dict.txt 或 lexicons 下的 {}.txt），未使用；请检查拼写",
                names.join(".txt、")
            ));
        }
    }
    // A misspelled `lexicons` folder (lexicon, 词表 …) with word lists in it.
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut odd: Vec<String> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "lexicons"))
            .filter(|p| {
                std::fs::read_dir(p).is_ok_and(|d| {
                    d.flatten().any(|e| {
                        e.path()
                            .extension()
                            .is_some_and(|x| x.eq_ignore_ascii_case("txt"))
                    })
                })
            })
            .map(|p| p.display().to_string())
            .collect();
        odd.sort();
        for p in odd {
            notes.push(format!(
                "{p}：词表应放在名为 lexicons 的文件夹中，这个文件夹里的词表未使用"
            ));
        }
    }
    if data.files.is_empty() {
        notes.push(format!(
            "{}：文件夹中没有 dict.txt 或 lexicons 下的词表，内置词典照常使用",
            dir.display()
        ));
    }
    Ok((data, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_read_and_its_oddities_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("lexicons")).unwrap();
        std::fs::write(dir.path().join("dict.txt"), "清廉机关建设 20000 n\n").unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode("专项整治\n");
        std::fs::write(dir.path().join("lexicons/areas.txt"), &gbk).unwrap();
        std::fs::write(dir.path().join("lexicons/area.txt"), "错名\n").unwrap();
        let (data, notes) = load(dir.path()).unwrap();
        assert_eq!(data.file("dict.txt"), Some("清廉机关建设 20000 n\n"));
        assert_eq!(data.file("lexicons/areas.txt"), Some("专项整治\n"));
        assert!(
            notes
                .iter()
                .any(|n| n.contains("areas.txt") && n.contains("GBK")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("area.txt") && n.contains("请检查拼写")),
            "{notes:?}"
        );
        let e = load(&dir.path().join("没有")).unwrap_err();
        assert!(e.to_string().contains("不存在"), "{e}");
    }
}
