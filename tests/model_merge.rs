//! Merging items across the seed plans.

use jiandu::extract::Extracted;
use jiandu::extract::Vocabulary;
use jiandu::model::merge;
use std::path::Path;

fn seeds() -> Vec<Extracted> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans");
    [
        "000_4c768249f1fe35ba.txt",
        "001_7a548ebd6d4d31cb.txt",
        "002_2f8af48aba49df7d.txt",
        "003_915de415a2ba83b9.txt",
        "004_17309b67fbf1a13d.txt",
    ]
    .iter()
    .map(|f| {
        jiandu::model::read_plan(
            Vocabulary::builtin(),
            &dir.join(f),
            None,
            &Default::default(),
        )
        .unwrap()
    })
    .collect()
}

/// The cluster (member ids) holding an item id.
fn cluster_of<'a>(clusters: &'a [merge::Cluster], id: &str) -> Vec<&'a str> {
    clusters
        .iter()
        .find(|c| c.item.sources.iter().any(|s| s.task == id))
        .map(|c| c.item.sources.iter().map(|s| s.task.as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn named_seed_items_merge() {
    let clusters = merge::merge(Vocabulary::builtin(), &seeds(), merge::DEFAULT_THRESHOLD);
    for (a, b, what) in [
        (
            "8f2c2cf2-3.2",
            "c667a727-2.2",
            "严查享乐主义、奢靡之风 / 持续严肃整治享乐主义、奢靡之风",
        ),
        (
            "8f2c2cf2-3.2",
            "fdbba0a0-3.2",
            "严查享乐主义、奢靡之风 / 继续严查享乐、奢靡问题",
        ),
        (
            "8f2c2cf2-3.1",
            "c667a727-2.1",
            "深化形式主义、官僚主义整治 / 精准靶向纠治形式主义、官僚主义",
        ),
        (
            "8f2c2cf2-3.4",
            "fdbba0a0-3.3",
            "激励担当作为 / 完善担当作为激励机制",
        ),
        ("ce2d4c55-2.2", "e028a9a5-2.3.1", "紧盯“关键少数” twice"),
        (
            "fdbba0a0-3",
            "c667a727-2",
            "聚焦作风建设 … 纠治“四风” (headings)",
        ),
    ] {
        let c = cluster_of(&clusters, a);
        assert!(c.contains(&b), "{what}: {a} is with {c:?}");
    }
    // A merged item keeps every source, and its id is its first source's.
    let c = clusters
        .iter()
        .find(|c| c.item.id == "8f2c2cf2-3.2")
        .unwrap();
    assert_eq!(c.item.sources.len(), 3);
    assert_eq!(c.members.len(), 3);
    assert_eq!(c.item.category, "conduct");
}

#[test]
fn distinct_seed_items_stay_apart() {
    let clusters = merge::merge(Vocabulary::builtin(), &seeds(), merge::DEFAULT_THRESHOLD);
    for (a, b, what) in [
        (
            "8f2c2cf2-3.2",
            "c667a727-2.1",
            "享乐主义、奢靡之风 vs 形式主义、官僚主义",
        ),
        (
            "8f2c2cf2-3.1",
            "c667a727-2.2",
            "形式主义、官僚主义 vs 享乐主义、奢靡之风",
        ),
        (
            "fdbba0a0-1.1",
            "8f2c2cf2-1.2",
            "突出政治监督 vs 着力净化政治生态",
        ),
        (
            "8f2c2cf2-3.4",
            "fdbba0a0-3.2",
            "激励担当作为 vs 严查享乐、奢靡",
        ),
        ("8f2c2cf2-5", "c667a727-5.2", "a heading vs an item"),
        ("8f2c2cf2-3.2", "8f2c2cf2-3.1", "two items of one plan"),
    ] {
        let c = cluster_of(&clusters, a);
        assert!(!c.contains(&b), "{what}: {a} is with {c:?}");
    }
    // No cluster holds two items of one document.
    for c in &clusters {
        let mut files: Vec<&str> = c.item.sources.iter().map(|s| s.file.as_str()).collect();
        files.sort_unstable();
        let n = files.len();
        files.dedup();
        assert_eq!(files.len(), n, "{:?}", c.item.sources);
    }
}

#[test]
fn threshold_one_merges_nothing_and_zero_merges_more() {
    let docs = seeds();
    let total: usize = docs.iter().map(|d| d.items.len()).sum();
    assert_eq!(
        merge::merge(Vocabulary::builtin(), &docs, 1.01).len(),
        total
    );
    let default = merge::merge(Vocabulary::builtin(), &docs, merge::DEFAULT_THRESHOLD).len();
    assert!(
        default < total && default > total / 2,
        "{default} of {total}"
    );
    assert!(merge::merge(Vocabulary::builtin(), &docs, 0.05).len() < default);
}
