//! Speed of `extract` end to end (read, outline, segment, extract, write JSON) on about 20 MB
//! made by repeating the seed plans, and of segmentation alone for comparison.
//!
//! Run: `cargo bench --bench extract`. Extraction and categorization read items on every core
//! (rayon); reading, outlining and writing the JSON run on one.

use jiandu::extract::Vocabulary;
use std::time::Instant;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans");
    let mut seeds = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            seeds.push(std::fs::read_to_string(&p).unwrap());
        }
    }
    seeds.sort();
    let target = 20 * 1024 * 1024;
    let mut text = String::with_capacity(target + 20_000);
    let mut k = 0;
    while text.len() < target {
        text.push_str(&seeds[k % seeds.len()]);
        text.push('\n');
        k += 1;
    }
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.txt");
    std::fs::write(&path, &text).unwrap();
    let mb = text.len() as f64 / 1024.0 / 1024.0;

    // Load the whole dictionary once (lazily, once per process; a 20 MB input is cut with it).
    let t = Instant::now();
    Vocabulary::builtin().jieba();
    println!(
        "dictionary load: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    let t = Instant::now();
    let mut n = 0;
    for line in text.lines() {
        n += Vocabulary::builtin().jieba().cut(line, true).len();
    }
    let seg = t.elapsed().as_secs_f64();
    println!(
        "segmentation alone (line by line, HMM on): {:.1} MB/s ({n} tokens)",
        mb / seg
    );

    let t = Instant::now();
    let doc = jiandu::intake::read(&path).unwrap();
    let t_read = t.elapsed().as_secs_f64();
    let tree = jiandu::outline::parse(&doc.blocks);
    let t_outline = t.elapsed().as_secs_f64();
    let mut ex = jiandu::extract::extract(Vocabulary::builtin(), &doc, tree, None);
    let t_extract = t.elapsed().as_secs_f64();
    jiandu::model::taxonomy::categorize(Vocabulary::builtin(), &mut ex);
    let t_cat = t.elapsed().as_secs_f64();

    // As `jiandu extract -o FILE` writes it: streamed through a buffer into a file.
    let json_path = tmp.path().join("big.json");
    let file = std::fs::File::create(&json_path).unwrap();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
    jiandu::extract::json::write_documents_json(std::slice::from_ref(&ex), &mut w).unwrap();
    std::io::Write::flush(&mut w).unwrap();
    drop(w);
    let json_len = std::fs::metadata(&json_path).unwrap().len() as usize;
    let all = t.elapsed().as_secs_f64();
    println!(
        "stages: read {:.2} s, outline {:.2} s, extract {:.2} s, categorize {:.2} s, JSON {:.2} s",
        t_read,
        t_outline - t_read,
        t_extract - t_outline,
        t_cat - t_extract,
        all - t_cat
    );
    println!(
        "extract end to end: {mb:.1} MB in {all:.2} s = {:.1} MB/s ({} items, {} MB JSON); {:.2}× segmentation time",
        mb / all,
        ex.items.len(),
        json_len / 1024 / 1024,
        all / seg
    );
}
