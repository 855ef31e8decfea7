//! The words are a value passed in: two vocabularies, one built in and one with a user's
//! folder, live side by side in one process (and on one thread), each reading with its own
//! dictionary, lexicons and canonical terms, whichever was used before.

use jiandu::extract::{doer, userdata, Vocabulary};
use jiandu::model::normalize;
use std::path::Path;

/// A user's folder: a dictionary word (tagged a verb), an area and a unit added, and a
/// canonical spelling.
fn user_vocabulary(dir: &Path) -> Vocabulary {
    std::fs::create_dir_all(dir.join("lexicons")).unwrap();
    std::fs::write(dir.join("dict.txt"), "抓严抓实抓细 30000 v\n").unwrap();
    std::fs::write(dir.join("lexicons/areas.txt"), "银发助餐\n").unwrap();
    std::fs::write(
        dir.join("lexicons/canonical.txt"),
        "清廉机关建设 = 廉洁机关创建\n",
    )
    .unwrap();
    let (data, notes) = userdata::load(dir).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    Vocabulary::new(data)
}

fn words<'a>(v: &'a Vocabulary, text: &'a str) -> Vec<&'a str> {
    v.tokens(text).iter().map(|t| t.word).collect()
}

#[test]
fn two_vocabularies_read_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let user = user_vocabulary(dir.path());
    let builtin = Vocabulary::builtin();
    let text = "各单位要抓严抓实抓细廉政教育";
    // Alternating on one thread: no cut, tag or judgement leaks from one to the other.
    for _ in 0..2 {
        assert!(
            !words(builtin, text).contains(&"抓严抓实抓细"),
            "{:?}",
            words(builtin, text)
        );
        assert!(
            words(&user, text).contains(&"抓严抓实抓细"),
            "{:?}",
            words(&user, text)
        );
        assert_eq!(
            builtin.pos_of("抓严抓实抓细"),
            jiandu::extract::segment::Pos::Other
        );
        assert_eq!(
            user.pos_of("抓严抓实抓细"),
            jiandu::extract::segment::Pos::Verb
        );
    }
    assert_eq!(
        normalize::term(&user, "廉洁机关创建"),
        "清廉机关建设",
        "the user's canonical spelling"
    );
    assert_eq!(normalize::term(builtin, "廉洁机关创建"), "廉洁机关创建");
    // The doers of a clause are found with either.
    for v in [builtin, &user] {
        assert_eq!(
            doer::find(v, "县纪委监委要加强监督").responsible,
            vec!["县纪委监委"]
        );
    }
}

#[test]
fn a_plan_is_read_with_the_vocabulary_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let user = user_vocabulary(dir.path());
    let text = "某县纪委监委2025年工作要点\n一、聚焦民生领域\n（一）开展银发助餐专项监督。县纪委监委牵头，6月底前完成。\n";
    let doc = jiandu::intake::Document {
        source: "要点.txt".to_string(),
        blocks: jiandu::intake::txt::read(text.as_bytes()).unwrap(),
    };
    let areas = |v: &Vocabulary| -> Vec<String> {
        let ex = jiandu::model::plan_of(v, &doc, None);
        assert_eq!(ex.items.len(), 2, "{:#?}", ex.items);
        ex.items[1].areas.clone()
    };
    assert!(
        areas(&user).contains(&"银发助餐".to_string()),
        "{:?}",
        areas(&user)
    );
    assert!(!areas(Vocabulary::builtin()).contains(&"银发助餐".to_string()));
    // And again with the user's, after the built-in one filled its caches.
    assert!(areas(&user).contains(&"银发助餐".to_string()));
}

/// With a user's additions too, the partial dictionary a small input is cut with gives the
/// cuts of the whole one: a user word new to jieba, one it knows with another frequency,
/// and a lexicon entry.
#[test]
fn a_users_words_cut_alike_with_the_partial_and_the_whole_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lexicons")).unwrap();
    std::fs::write(
        dir.path().join("dict.txt"),
        "清廉机关建设 30000 n\n监督检查 5 vn\n政治生态 900000 n\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("lexicons/methods.txt"), "蹲点调研\n").unwrap();
    let user = || Vocabulary::new(userdata::load(dir.path()).unwrap().0);
    let (partial, whole) = (user(), user());
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans/001_7a548ebd6d4d31cb.txt"),
    )
    .unwrap();
    let mut lines: Vec<String> = seed.lines().map(String::from).collect();
    lines.push("推进清廉机关建设，加强监督检查，净化政治生态，开展蹲点调研".into());
    let mut bytes = 0;
    for line in &lines {
        bytes += line.len();
        // Within the partial dictionary's budget, so that it is the one used.
        assert!(bytes < jiandu::extract::segment::LOOKUP_BUDGET);
        let cut = words(&partial, line);
        let full: Vec<&str> = whole
            .jieba()
            .cut(line, true)
            .iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(cut, full, "{line}");
    }
    // The partial one never loaded the whole dictionary.
    assert!(
        format!("{partial:?}").contains("whole: false"),
        "{partial:?}"
    );
    let last = words(&partial, lines.last().unwrap());
    assert!(
        last.contains(&"清廉机关建设") && last.contains(&"蹲点调研"),
        "{last:?}"
    );
}
