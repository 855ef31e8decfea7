//! The category classifier: multinomial naive Bayes over jieba tokens and lexicon features.
//!
//! Features of an item (title + text, segmented once):
//! - every token of two characters or more (`w:` + token), counted as often as it occurs;
//! - title tokens once more (`t:` + token), so that the item's own title weighs most, as
//!   `taxonomy.md` asks ("take the one its own title names");
//! - one `k:` + category id per typical word of that category found in the title or text
//!   (`corpora/taxonomy.toml`), the lexicon evidence.
//!
//! The model is plain counts (documents per class, feature counts per class), trained by
//! `jiandu model train` from `corpora/labels/`, written as JSON with sorted keys (the same
//! labels give the same file byte for byte) and embedded in the binary. Log probabilities are
//! computed once when the model is first used.

use super::taxonomy;
use crate::error::{Error, Result};
use crate::extract::Vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The committed model, embedded.
pub const EMBEDDED: &str = include_str!("../../corpora/model/classifier.json");

/// How many times a typical word of the taxonomy counts when predicting: the taxonomy's
/// words say more of a category than any one token (chosen on the corpus, leaving one
/// document out: accuracy 0.712 → 0.730 before the 待定 threshold).
pub const LEXICON_WEIGHT: usize = 3;

/// How many times a title token is counted when training (as a `t:` feature, beside its
/// `w:` feature; predicting counts it once): the item's own title names its category first
/// (`taxonomy.md`), and its words' likelihoods grow apart from the text's. Chosen on the
/// corpus, leaving one document out: 1 → 3 moves accuracy 0.777 → 0.787 at threshold 0.6,
/// and 0.811 with 14.4 % 待定 at 0.7.
pub const TITLE_WEIGHT: u32 = 3;

/// Laplace smoothing of the committed model.
pub const ALPHA: f64 = 0.3;

/// The stored model: counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Format version.
    pub version: u32,
    /// Additive smoothing.
    pub alpha: f64,
    /// Class ids, in taxonomy order.
    pub classes: Vec<String>,
    /// Training documents per class.
    pub docs: Vec<u32>,
    /// Feature → count per class.
    pub features: BTreeMap<String, Vec<u32>>,
}

/// A model ready to score: log priors and log likelihoods.
#[derive(Debug, Clone)]
pub struct Model {
    classes: Vec<String>,
    prior: Vec<f64>,
    /// Feature (with its prefix) → row of `rows`.
    index: HashMap<String, usize, crate::extract::lexicon::FastHash>,
    /// Token → rows of its `w:` and `t:` features (one lookup per token when predicting).
    tokens: crate::extract::lexicon::WordMap<[Option<usize>; 2]>,
    /// Taxonomy category index → row of its `k:` feature.
    lexicon: Vec<Option<usize>>,
    /// Log likelihoods, one row of `classes.len()` per feature.
    rows: Vec<f64>,
}

/// A prediction: the category, its posterior probability and every class's probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Category id.
    pub category: String,
    /// Posterior probability of that category.
    pub confidence: f64,
    /// Posterior of each class, in the model's class order.
    pub posterior: Vec<f64>,
}

/// One labelled example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Category id.
    pub category: String,
    /// Title.
    pub title: String,
    /// Text (the title may open it).
    pub text: String,
    /// Where the label comes from (file and line), for messages.
    pub origin: String,
}

fn is_feature_token(w: &str) -> bool {
    let mut n = 0;
    for c in w.chars() {
        if !(c.is_alphanumeric()) || c.is_ascii_digit() {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// The kind of a feature: its prefix in the stored model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `w:` a token of the title or text.
    Word,
    /// `t:` a token of the title.
    Title,
    /// `k:` a typical word of a category (the category id follows).
    Lexicon,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Word => "w:",
            Kind::Title => "t:",
            Kind::Lexicon => "k:",
        }
    }
}

/// Visit the features of an item, without allocating: title and text segmented once (the
/// title is segmented apart only when the text does not open with it).
fn visit_features(v: &Vocabulary, title: &str, text: &str, mut f: impl FnMut(Kind, &str)) {
    let title_chars = title.chars().count();
    let opens = text.starts_with(title);
    for t in v.tokens(text) {
        if is_feature_token(t.word) {
            f(Kind::Word, t.word);
            if opens && t.end <= title_chars {
                f(Kind::Title, t.word);
            }
        }
    }
    if !opens {
        for t in v.tokens(title) {
            if is_feature_token(t.word) {
                f(Kind::Title, t.word);
            }
        }
    }
    let cats = taxonomy::categories();
    for k in taxonomy::word_hits(title, text) {
        if let Some(c) = cats.get(k) {
            f(Kind::Lexicon, &c.id);
        }
    }
}

/// The features of an item as the stored model names them (`w:…`, `t:…`, `k:…`).
pub fn features(v: &Vocabulary, title: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    visit_features(v, title, text, |k, w| {
        out.push(format!("{}{w}", k.prefix()))
    });
    out
}

/// Count features of labelled examples into a model (classes in taxonomy order).
pub fn train(v: &Vocabulary, examples: &[Example], alpha: f64) -> Counts {
    let classes: Vec<String> = taxonomy::categories()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let index: HashMap<&str, usize> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut docs = vec![0u32; classes.len()];
    let mut features: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for e in examples {
        let Some(&k) = index.get(e.category.as_str()) else {
            continue;
        };
        docs[k] += 1;
        for f in features_of(v, e) {
            let times = if f.starts_with(Kind::Title.prefix()) {
                TITLE_WEIGHT
            } else {
                1
            };
            features.entry(f).or_insert_with(|| vec![0; classes.len()])[k] += times;
        }
    }
    Counts {
        version: 1,
        alpha,
        classes,
        docs,
        features,
    }
}

fn features_of(v: &Vocabulary, e: &Example) -> Vec<String> {
    features(v, &e.title, &e.text)
}

impl Counts {
    /// Add another model's counts (the same classes) to these: training on both sets of
    /// examples gives the same counts.
    pub fn add(&mut self, o: &Counts) -> Result<()> {
        if o.classes != self.classes {
            return Err(Error::msg("两个分类模型的类别不一致，无法合并"));
        }
        for (d, &x) in self.docs.iter_mut().zip(&o.docs) {
            *d += x;
        }
        for (f, v) in &o.features {
            let e = self
                .features
                .entry(f.clone())
                .or_insert_with(|| vec![0; v.len()]);
            for (a, &b) in e.iter_mut().zip(v) {
                *a += b;
            }
        }
        Ok(())
    }

    /// The model as JSON: sorted keys, one feature per line, ending in a newline.
    pub fn to_json(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
        let nums = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let mut s = String::new();
        s.push_str(&format!(
            "{{\n\"version\": {},\n\"alpha\": {},\n",
            self.version, self.alpha
        ));
        let classes: Vec<String> = self.classes.iter().map(|c| q(c)).collect();
        s.push_str(&format!("\"classes\": [{}],\n", classes.join(",")));
        s.push_str(&format!(
            "\"docs\": [{}],\n\"features\": {{\n",
            nums(&self.docs)
        ));
        let n = self.features.len();
        for (i, (f, v)) in self.features.iter().enumerate() {
            s.push_str(&format!("{}: [{}]", q(f), nums(v)));
            s.push_str(if i + 1 < n { ",\n" } else { "\n" });
        }
        s.push_str("}\n}\n");
        s
    }

    /// Parse a stored model.
    pub fn from_json(text: &str) -> Result<Counts> {
        let c: Counts = serde_json::from_str(text)
            .map_err(|e| Error::msg(format!("分类模型文件格式不正确：{e}")))?;
        if c.classes.is_empty()
            || c.docs.len() != c.classes.len()
            || c.features.values().any(|v| v.len() != c.classes.len())
        {
            return Err(Error::msg("分类模型文件不完整：类别数与计数不一致"));
        }
        Ok(c)
    }

    /// Log probabilities of the counts.
    pub fn model(&self) -> Model {
        let n = self.classes.len();
        let total_docs: f64 = self.docs.iter().map(|&d| f64::from(d)).sum::<f64>();
        let vocab = self.features.len() as f64;
        let mut totals = vec![0f64; n];
        for v in self.features.values() {
            for (t, &c) in totals.iter_mut().zip(v) {
                *t += f64::from(c);
            }
        }
        let prior = self
            .docs
            .iter()
            .map(|&d| ((f64::from(d) + 1.0) / (total_docs + n as f64)).ln())
            .collect();
        let mut index = HashMap::default();
        let mut rows = Vec::with_capacity(self.features.len() * n);
        for (k, (f, v)) in self.features.iter().enumerate() {
            index.insert(f.clone(), k);
            rows.extend(
                v.iter()
                    .zip(&totals)
                    .map(|(&c, &t)| ((f64::from(c) + self.alpha) / (t + self.alpha * vocab)).ln()),
            );
        }
        // Only words that are features at all, so that scoring need not test each token.
        let mut tokens = crate::extract::lexicon::WordMap::<[Option<usize>; 2]>::default();
        for (f, &r) in &index {
            if let Some(w) = f.strip_prefix(Kind::Word.prefix()) {
                if is_feature_token(w) {
                    tokens.entry_or_default(w)[0] = Some(r);
                }
            } else if let Some(w) = f.strip_prefix(Kind::Title.prefix()) {
                if is_feature_token(w) {
                    tokens.entry_or_default(w)[1] = Some(r);
                }
            }
        }
        let lexicon = taxonomy::categories()
            .iter()
            .map(|c| {
                index
                    .get(&format!("{}{}", Kind::Lexicon.prefix(), c.id))
                    .copied()
            })
            .collect();
        Model {
            classes: self.classes.clone(),
            prior,
            index,
            tokens,
            lexicon,
            rows,
        }
    }
}

impl Model {
    fn add(&self, score: &mut [f64], feature: &str) {
        if let Some(&r) = self.index.get(feature) {
            let times = if feature.starts_with(Kind::Lexicon.prefix()) {
                LEXICON_WEIGHT
            } else {
                1
            };
            for _ in 0..times {
                self.add_row(score, r);
            }
        }
    }

    fn add_row(&self, score: &mut [f64], r: usize) {
        let n = score.len();
        if let Some(row) = self.rows.get(r * n..(r + 1) * n) {
            for (s, x) in score.iter_mut().zip(row) {
                *s += x;
            }
        }
    }

    fn finish(&self, score: Vec<f64>) -> Prediction {
        let max = score.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // The softmax, in the scores' own vector.
        let mut posterior = score;
        posterior.iter_mut().for_each(|s| *s = (*s - max).exp());
        let z: f64 = posterior.iter().sum();
        posterior.iter_mut().for_each(|e| *e /= z);
        let best = posterior
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .map_or(0, |(k, _)| k);
        Prediction {
            category: self.classes.get(best).cloned().unwrap_or_default(),
            confidence: posterior.get(best).copied().unwrap_or(0.0),
            posterior,
        }
    }

    /// Classify named features (`w:…`, `t:…`, `k:…`).
    pub fn predict_features(&self, feats: &[String]) -> Prediction {
        let mut score = self.prior.clone();
        for f in feats {
            self.add(&mut score, f);
        }
        self.finish(score)
    }

    /// Classify an item by its title and text: the same features as [`features`], scored
    /// without building them (one segmentation, one table lookup per token).
    pub fn predict(&self, v: &Vocabulary, title: &str, text: &str) -> Prediction {
        let tokens: Vec<(u32, u32)> = v
            .tokens(text)
            .iter()
            .map(|t| crate::extract::span32(t.byte_start, t.byte_end))
            .collect();
        self.predict_tokens(v, title, text, &tokens)
    }

    /// Like [`Model::predict`], with the text already segmented: `tokens` are the byte
    /// ranges of its tokens (as `extract` keeps them in `Task::tokens`), so the item is not
    /// segmented twice.
    pub fn predict_tokens(
        &self,
        v: &Vocabulary,
        title: &str,
        text: &str,
        tokens: &[(u32, u32)],
    ) -> Prediction {
        let mut score = self.prior.clone();
        let opens = text.starts_with(title);
        for &(a, b) in tokens {
            let (a, b) = (a as usize, b as usize);
            let Some(word) = text.get(a..b) else { continue };
            // One-character tokens (punctuation, 的, 和 …) are never features: skip them
            // before hashing.
            if word.chars().nth(1).is_none() {
                continue;
            }
            // The table holds feature words only.
            if let Some(rows) = self.tokens.get(word) {
                if let Some(r) = rows[0] {
                    self.add_row(&mut score, r);
                }
                if let (true, Some(r)) = (opens && b <= title.len(), rows[1]) {
                    self.add_row(&mut score, r);
                }
            }
        }
        if !opens {
            for t in v.tokens(title) {
                if let Some(Some(r)) = self.tokens.get(t.word).map(|x| x[1]) {
                    self.add_row(&mut score, r);
                }
            }
        }
        for k in taxonomy::word_hits(title, text) {
            if let Some(Some(r)) = self.lexicon.get(k) {
                for _ in 0..LEXICON_WEIGHT {
                    self.add_row(&mut score, *r);
                }
            }
        }
        self.finish(score)
    }

    /// Class ids, in order.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }
}

static MODEL: OnceLock<Option<Model>> = OnceLock::new();

/// The embedded model (None when the embedded file is broken, which a test rules out).
pub fn embedded() -> Option<&'static Model> {
    MODEL
        .get_or_init(|| Counts::from_json(EMBEDDED).ok().map(|c| c.model()))
        .as_ref()
}

/// Classify with the embedded model; the word rule when the model is unavailable.
pub fn predict(v: &Vocabulary, title: &str, text: &str) -> Prediction {
    predict_tokens(v, title, text, None)
}

/// [`predict`] with the text's token byte ranges when they are known.
pub fn predict_tokens(
    v: &Vocabulary,
    title: &str,
    text: &str,
    tokens: Option<&[(u32, u32)]>,
) -> Prediction {
    match embedded() {
        Some(m) => match tokens {
            Some(t) => m.predict_tokens(v, title, text, t),
            None => m.predict(v, title, text),
        },
        None => Prediction {
            category: taxonomy::word_rule(title, text).unwrap_or_else(|| "daily".to_string()),
            confidence: 0.0,
            posterior: Vec::new(),
        },
    }
}

/// The embedded model's probability of a given category for an item.
pub fn confidence_of(v: &Vocabulary, title: &str, text: &str, category: &str) -> f64 {
    match embedded() {
        Some(m) => {
            let p = m.predict(v, title, text);
            m.classes
                .iter()
                .position(|c| c == category)
                .and_then(|k| p.posterior.get(k).copied())
                .unwrap_or(0.0)
        }
        None => 0.0,
    }
}

/// Cross-validation results.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Class ids.
    pub classes: Vec<String>,
    /// confusion\[true\]\[predicted\].
    pub confusion: Vec<Vec<u32>>,
    /// The examples predicted wrong: (origin, title, labelled, predicted), in input order.
    pub mistakes: Vec<(String, String, String, String)>,
}

impl Evaluation {
    /// (precision, recall, F1, support) per class.
    pub fn per_class(&self) -> Vec<(f64, f64, f64, u32)> {
        let n = self.classes.len();
        (0..n)
            .map(|k| {
                let tp = f64::from(self.confusion[k][k]);
                let support: u32 = self.confusion[k].iter().sum();
                let predicted: u32 = (0..n).map(|j| self.confusion[j][k]).sum();
                let p = if predicted > 0 {
                    tp / f64::from(predicted)
                } else {
                    0.0
                };
                let r = if support > 0 {
                    tp / f64::from(support)
                } else {
                    0.0
                };
                let f = if p + r > 0.0 {
                    2.0 * p * r / (p + r)
                } else {
                    0.0
                };
                (p, r, f, support)
            })
            .collect()
    }

    /// Macro-averaged F1 over the classes that have examples.
    pub fn macro_f1(&self) -> f64 {
        let per = self.per_class();
        let with: Vec<f64> = per.iter().filter(|x| x.3 > 0).map(|x| x.2).collect();
        if with.is_empty() {
            0.0
        } else {
            with.iter().sum::<f64>() / with.len() as f64
        }
    }

    /// The examples predicted wrong, one per line: where the label is, the title, the
    /// labelled and the predicted category.
    pub fn mistakes_text(&self) -> String {
        let mut s = format!("判错的标注（{} 条）：\n", self.mistakes.len());
        for (origin, title, a, b) in &self.mistakes {
            s.push_str(&format!(
                "{origin}：“{title}” 标注为{}，预测为{}\n",
                taxonomy::name_of(a),
                taxonomy::name_of(b)
            ));
        }
        s
    }

    /// Accuracy.
    pub fn accuracy(&self) -> f64 {
        let total: u32 = self.confusion.iter().flatten().sum();
        let right: u32 = (0..self.classes.len()).map(|k| self.confusion[k][k]).sum();
        if total == 0 {
            0.0
        } else {
            f64::from(right) / f64::from(total)
        }
    }

    /// The report of `jiandu model eval`: per-category table, `macro-F1 0.NN`, confusion
    /// matrix (rows: labelled category, columns: predicted).
    pub fn report(&self, k: usize, seed: u64) -> String {
        let names: Vec<&str> = self.classes.iter().map(|c| taxonomy::name_of(c)).collect();
        let mut s = format!(
            "{k} 折交叉验证（随机种子 {seed}），共 {} 条标注\n\n",
            self.confusion.iter().flatten().sum::<u32>()
        );
        // Numbers are 9 columns wide; the CJK headers are two columns a character.
        s.push_str(&crate::text::fit("类别", 32));
        s.push_str("   精确率   召回率       F1     样本\n");
        for (k, (p, r, f, n)) in self.per_class().into_iter().enumerate() {
            s.push_str(&format!(
                "{}{p:>9.2}{r:>9.2}{f:>9.2}{n:>9}\n",
                crate::text::fit(&format!("{}（{}）", names[k], self.classes[k]), 32)
            ));
        }
        s.push_str(&format!("\naccuracy {:.2}\n", self.accuracy()));
        s.push_str(&format!("macro-F1 {:.2}\n\n", self.macro_f1()));
        s.push_str("混淆矩阵（行：标注类别，列：预测类别，列序同行序）\n");
        s.push_str(&crate::text::fit("", 14));
        for k in 0..self.classes.len() {
            s.push_str(&format!(" {:>3}", k + 1));
        }
        s.push('\n');
        for (k, row) in self.confusion.iter().enumerate() {
            s.push_str(&crate::text::fit(&format!("{:>2} {}", k + 1, names[k]), 14));
            for c in row {
                s.push_str(&format!(" {c:>3}"));
            }
            s.push('\n');
        }
        s
    }
}

/// SplitMix64, for a deterministic shuffle.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The fold of each example: shuffled with `seed`, then dealt round-robin within each class
/// (stratified), so every fold holds about 1/k of every class.
pub fn folds(examples: &[Example], k: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let keys: Vec<u64> = examples.iter().map(|_| splitmix(&mut state)).collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by(|&a, &b| {
        examples[a]
            .category
            .cmp(&examples[b].category)
            .then(keys[a].cmp(&keys[b]))
    });
    let mut fold = vec![0; examples.len()];
    let mut dealt: HashMap<&str, usize> = HashMap::new();
    for i in order {
        let c = dealt.entry(examples[i].category.as_str()).or_insert(0);
        fold[i] = *c % k.max(1);
        *c += 1;
    }
    fold
}

/// K-fold cross-validation of the classifier with smoothing `alpha`.
pub fn cross_validate(
    v: &Vocabulary,
    examples: &[Example],
    k: usize,
    seed: u64,
    alpha: f64,
) -> Evaluation {
    let fold = folds(examples, k, seed);
    let feats: Vec<Vec<String>> = examples.iter().map(|e| features_of(v, e)).collect();
    let classes: Vec<String> = taxonomy::categories()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let n = classes.len();
    let mut confusion = vec![vec![0u32; n]; n];
    let mut mistakes = Vec::new();
    for f in 0..k {
        let train_set: Vec<Example> = examples
            .iter()
            .zip(&fold)
            .filter(|(_, &g)| g != f)
            .map(|(e, _)| e.clone())
            .collect();
        let model = train(v, &train_set, alpha).model();
        for (i, e) in examples.iter().enumerate() {
            if fold[i] != f {
                continue;
            }
            let p = model.predict_features(&feats[i]);
            if let (Some(t), Some(q)) = (
                classes.iter().position(|c| *c == e.category),
                classes.iter().position(|c| *c == p.category),
            ) {
                confusion[t][q] += 1;
                if t != q {
                    mistakes.push((
                        i,
                        e.origin.clone(),
                        e.title.clone(),
                        e.category.clone(),
                        p.category,
                    ));
                }
            }
        }
    }
    mistakes.sort_by_key(|m| m.0);
    let mistakes = mistakes
        .into_iter()
        .map(|(_, o, t, a, b)| (o, t, a, b))
        .collect();
    Evaluation {
        classes,
        confusion,
        mistakes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(cat: &str, title: &str, text: &str) -> Example {
        Example {
            category: cat.into(),
            title: title.into(),
            text: text.into(),
            origin: String::new(),
        }
    }

    #[test]
    fn counts_round_trip_and_predict() {
        let data = vec![
            ex("conduct", "纠治四风", "纠治四风。严查享乐主义、奢靡之风。"),
            ex("conduct", "整治形式主义", "整治形式主义、官僚主义。"),
            ex("team", "加强队伍建设", "加强队伍建设。开展业务培训。"),
            ex("team", "防止灯下黑", "防止灯下黑。严格执行十个严禁。"),
        ];
        let c = train(Vocabulary::builtin(), &data, 0.5);
        let back = Counts::from_json(&c.to_json()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, c);
        let m = c.model();
        assert_eq!(
            m.predict(Vocabulary::builtin(), "严查奢靡之风", "严查奢靡之风。")
                .category,
            "conduct"
        );
        assert_eq!(
            m.predict(
                Vocabulary::builtin(),
                "组织业务培训",
                "组织业务培训，提升队伍能力。"
            )
            .category,
            "team"
        );
    }

    #[test]
    fn fast_prediction_equals_prediction_from_named_features() {
        let Some(m) = embedded() else {
            panic!("the embedded model does not load");
        };
        for (title, text) in [
            (
                "严查享乐主义、奢靡之风",
                "严查享乐主义、奢靡之风。继续紧盯重要时间节点，加强明察暗访。",
            ),
            ("强化“再监督”", "强化“再监督”。派驻机构要主动适应改革要求。"),
            ("意见建议", "意见建议"),
            ("标题不在正文开头", "正文谈巡察整改和容错纠错。"),
            ("", ""),
        ] {
            let fast = m.predict(Vocabulary::builtin(), title, text);
            let slow = m.predict_features(&features(Vocabulary::builtin(), title, text));
            assert_eq!(fast.category, slow.category, "{title}");
            for (a, b) in fast.posterior.iter().zip(&slow.posterior) {
                assert!((a - b).abs() < 1e-9, "{title}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn broken_model_is_an_error() {
        assert!(Counts::from_json("{").is_err());
        assert!(Counts::from_json(
            r#"{"version":1,"alpha":1,"classes":["a","b"],"docs":[1],"features":{}}"#
        )
        .is_err());
    }

    #[test]
    fn folds_are_stratified_and_deterministic() {
        let data: Vec<Example> = (0..20)
            .map(|i| ex(if i % 2 == 0 { "conduct" } else { "team" }, "x", "x"))
            .collect();
        let a = folds(&data, 5, 7);
        assert_eq!(a, folds(&data, 5, 7));
        for f in 0..5 {
            let n = a.iter().filter(|&&g| g == f).count();
            assert_eq!(n, 4);
        }
    }
}
