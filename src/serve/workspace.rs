//! Work folders of the workbench: one per browser tab, holding its uploads, its plans'
//! corrections and its batches' outputs. Nothing the workbench writes goes elsewhere.

use crate::error::{Error, Result};
use crate::extract::{Extracted, Vocabulary};
use crate::instrument::names::sanitize;
use crate::intake::Limits;
use crate::model::{self, corrections::Correction};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A plan read into a workspace, with the clerk's corrections.
#[derive(Debug)]
pub struct Plan {
    /// Id within the workspace (`p1`, `p2` …).
    pub id: String,
    /// The file's name as uploaded.
    pub name: String,
    /// The reading, without corrections.
    pub reading: Extracted,
    /// Corrections, in the order made.
    pub corrections: Vec<Correction>,
    /// The plan's folder.
    dir: PathBuf,
}

impl Plan {
    /// The reading with the corrections applied.
    pub fn corrected(&self, v: &Vocabulary) -> Extracted {
        let mut doc = self.reading.clone();
        model::corrections::apply(v, &mut doc, &self.corrections);
        doc
    }

    /// Keep a correction (checked first) and save the list.
    pub fn correct(&mut self, v: &Vocabulary, c: Correction) -> Result<()> {
        model::corrections::check(&self.corrected(v), &c)?;
        self.corrections.push(c);
        let json = serde_json::to_vec_pretty(&self.corrections)
            .map_err(|e| Error::msg(format!("内部错误：{e}")))?;
        crate::render::write_atomic(&self.dir.join(CORRECTIONS), &json)
    }
}

const CORRECTIONS: &str = "corrections.json";

/// One tab's work.
#[derive(Debug)]
pub struct Workspace {
    /// Its folder.
    pub dir: PathBuf,
    /// Plans, in upload order.
    pub plans: Vec<Plan>,
    next: u32,
}

/// A file name from a browser, safe to write in a workspace: its last path part, made safe,
/// keeping its extension (the format is told by it).
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match last.rsplit_once('.') {
        Some((stem, ext)) if !ext.is_empty() && ext.len() <= 5 => {
            format!("{}.{}", sanitize(stem), sanitize(ext).to_ascii_lowercase())
        }
        _ => sanitize(last),
    }
}

impl Workspace {
    /// Open a workspace folder, reading back the plans (and corrections) saved in it.
    fn open(dir: PathBuf, v: &Vocabulary, limits: &Limits) -> Workspace {
        let mut ws = Workspace {
            dir,
            plans: Vec::new(),
            next: 1,
        };
        let Ok(entries) = std::fs::read_dir(ws.dir.join("plans")) else {
            return ws;
        };
        let mut dirs: Vec<(u32, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_str()?.strip_prefix('p')?.parse().ok()?;
                Some((n, e.path()))
            })
            .collect();
        dirs.sort();
        for (n, dir) in dirs {
            ws.next = ws.next.max(n + 1);
            let Some(file) = std::fs::read_dir(&dir).ok().and_then(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .find(|p| p.file_name().is_some_and(|f| f != CORRECTIONS))
            }) else {
                continue;
            };
            let Ok(reading) = model::read_plan(v, &file, None, limits) else {
                continue;
            };
            let corrections = std::fs::read(dir.join(CORRECTIONS))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default();
            ws.plans.push(Plan {
                id: format!("p{n}"),
                name: file
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                reading,
                corrections,
                dir,
            });
        }
        ws
    }

    /// Read an uploaded plan into the workspace. A file that cannot be read leaves nothing
    /// behind; the error names the file.
    pub fn add_plan(
        &mut self,
        v: &Vocabulary,
        name: &str,
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<&Plan> {
        let name = safe_file_name(name);
        let id = format!("p{}", self.next);
        let dir = self.dir.join("plans").join(&id);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
        let path = dir.join(&name);
        let read = crate::render::write_atomic(&path, bytes)
            .and_then(|()| model::read_plan(v, &path, None, limits));
        let reading = match read {
            Ok(r) => r,
            Err(mut e) => {
                let _ = std::fs::remove_dir_all(&dir);
                // Named as the clerk knows the file, not by the folder it is kept in.
                e.path = Some(PathBuf::from(&name));
                return Err(e);
            }
        };
        self.next += 1;
        self.plans.push(Plan {
            id,
            name,
            reading,
            corrections: Vec::new(),
            dir,
        });
        Ok(self.plans.last().expect("just pushed"))
    }

    /// Remove a plan and its folder.
    pub fn remove_plan(&mut self, id: &str) -> bool {
        let Some(at) = self.plans.iter().position(|p| p.id == id) else {
            return false;
        };
        let p = self.plans.remove(at);
        let _ = std::fs::remove_dir_all(&p.dir);
        true
    }

    /// A plan by id.
    pub fn plan_mut(&mut self, id: &str) -> Option<&mut Plan> {
        self.plans.iter_mut().find(|p| p.id == id)
    }

    /// A new folder in the workspace for an upload or a batch, `kind/N`.
    pub fn new_folder(&mut self, kind: &str) -> Result<PathBuf> {
        let dir = self
            .dir
            .join(kind)
            .join(format!("{}{}", &kind[..1], self.next));
        self.next += 1;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
        Ok(dir)
    }
}

/// Every workspace of the server, by id, opened on first use.
#[derive(Debug)]
pub struct Workspaces {
    root: PathBuf,
    open: Mutex<HashMap<String, Arc<Mutex<Workspace>>>>,
}

/// Whether a workspace id is one the server made: 16 to 32 lower-case hex digits (so that
/// it is safe as a folder name).
pub fn valid_id(id: &str) -> bool {
    (16..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

impl Workspaces {
    /// Workspaces under `root`.
    pub fn new(root: PathBuf) -> Workspaces {
        Workspaces {
            root,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The workspace of an id, opened (and its plans read back with `v`'s words) on
    /// first use.
    pub fn get(&self, id: &str, v: &Vocabulary, limits: &Limits) -> Option<Arc<Mutex<Workspace>>> {
        if !valid_id(id) {
            return None;
        }
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ws) = open.get(id) {
            return Some(ws.clone());
        }
        let dir = self.root.join(id);
        if std::fs::create_dir_all(&dir).is_err() {
            return None;
        }
        let ws = Arc::new(Mutex::new(Workspace::open(dir, v, limits)));
        open.insert(id.to_string(), ws.clone());
        Some(ws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_stay_inside() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\材料\\要点.DOCX"), "要点.docx");
        assert_eq!(safe_file_name(".."), "_");
        assert!(valid_id("0123456789abcdef"));
        assert!(!valid_id("../0123456789abcdef"));
        assert!(!valid_id("0123456789ABCDEF"));
    }
}
