//! The trained classifier: cross-validated quality of the committed configuration, and the
//! committed model being exactly what `jiandu model train` makes of the committed labels.

use jiandu::extract::Vocabulary;
use jiandu::model::{classifier, labels};

#[test]
fn cross_validated_macro_f1_is_at_least_0_80() {
    let examples = labels::load(Vocabulary::builtin(), &labels::default_dir()).unwrap();
    assert!(examples.len() >= 200, "{} labels", examples.len());
    let ev =
        classifier::cross_validate(Vocabulary::builtin(), &examples, 5, 2022, classifier::ALPHA);
    let f1 = ev.macro_f1();
    assert!(f1 >= 0.80, "macro-F1 {f1:.3}\n{}", ev.report(5, 2022));
    // Every category has at least 15 labelled examples.
    for (k, (_, _, _, n)) in ev.per_class().into_iter().enumerate() {
        assert!(n >= 15, "{}: {n} examples", ev.classes[k]);
    }
    // The mistakes listed are exactly the off-diagonal cells.
    let off: u32 = (0..ev.classes.len())
        .flat_map(|t| (0..ev.classes.len()).map(move |q| (t, q)))
        .filter(|(t, q)| t != q)
        .map(|(t, q)| ev.confusion[t][q])
        .sum();
    assert_eq!(ev.mistakes.len(), off as usize);
    let report = ev.report(5, 2022);
    assert!(report.contains(&format!("macro-F1 {f1:.2}\n")), "{report}");
}

#[test]
fn committed_model_is_the_trained_one() {
    let examples = labels::load(Vocabulary::builtin(), &labels::default_dir()).unwrap();
    let mut trained = classifier::train(Vocabulary::builtin(), &examples, classifier::ALPHA);
    // The counts of the real corpus's labels (its texts stay out of the repository).
    let corpus = labels::default_dir().join("../model/corpus-counts.json");
    let corpus = classifier::Counts::from_json(&std::fs::read_to_string(corpus).unwrap()).unwrap();
    assert!(corpus.docs.iter().sum::<u32>() >= 100, "{:?}", corpus.docs);
    trained.add(&corpus).unwrap();
    let trained = trained.to_json();
    assert!(
        trained == classifier::EMBEDDED,
        "corpora/model/classifier.json is stale: run `cargo run -- model train` and rebuild"
    );
    assert!(classifier::embedded().is_some());
}

#[test]
fn cross_validation_is_deterministic() {
    let examples = labels::load(Vocabulary::builtin(), &labels::default_dir()).unwrap();
    let a =
        classifier::cross_validate(Vocabulary::builtin(), &examples, 5, 2022, classifier::ALPHA);
    let b =
        classifier::cross_validate(Vocabulary::builtin(), &examples, 5, 2022, classifier::ALPHA);
    assert_eq!(a, b);
}

#[test]
fn pipeline_categories_come_from_the_classifier() {
    let path = labels::default_dir().join("../plans/000_4c768249f1fe35ba.txt");
    let ex =
        jiandu::model::read_plan(Vocabulary::builtin(), &path, None, &Default::default()).unwrap();
    let cat = |title: &str| {
        ex.items
            .iter()
            .find(|t| t.title == title)
            .map(|t| t.category.clone())
            .unwrap_or_default()
    };
    assert_eq!(cat("严查享乐主义、奢靡之风"), "conduct");
    assert_eq!(cat("监督巡察整改落到实处"), "inspection");
    assert_eq!(cat("激励担当作为"), "care");
    // An item the old word rule got wrong ("紧跟重大部署" fell to 专项监督 by 疫情防控).
    assert_eq!(cat("紧跟重大部署"), "political");
}
