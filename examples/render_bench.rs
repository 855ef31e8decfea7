//! Rendering throughput in one process: `cargo run --release --example render_bench [n]`.
//! Writes `n` copies of the sample recommendation (3 pages each) as one batch PDF, then `n`
//! single PDFs, then `n` DOCX files, and prints pages per second for each.

use std::time::Instant;

use jiandu::render::{samples, write_docx, write_pdf, write_pdf_many, FontConfig, Fonts};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let t = Instant::now();
    let fonts = Fonts::load(&FontConfig::default())?;
    println!("fonts loaded in {:.3} s", t.elapsed().as_secs_f64());
    let doc = samples::recommendation();
    let pages_per_doc = 3;
    let docs = vec![doc.clone(); n];

    let t = Instant::now();
    let batch = write_pdf_many(&docs, &fonts, true)?;
    let s = t.elapsed().as_secs_f64();
    println!(
        "batch PDF: {} pages in {s:.3} s = {:.0} pages/s, {} bytes",
        n * pages_per_doc,
        (n * pages_per_doc) as f64 / s,
        batch.len()
    );

    let t = Instant::now();
    let mut bytes = 0;
    for d in &docs {
        bytes += write_pdf(d, &fonts)?.len();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "single PDFs: {} pages in {s:.3} s = {:.0} pages/s, {bytes} bytes in all",
        n * pages_per_doc,
        (n * pages_per_doc) as f64 / s
    );

    let t = Instant::now();
    let mut bytes = 0;
    for d in &docs {
        bytes += write_docx(d)?.len();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "DOCX: {n} documents in {s:.3} s = {:.0} documents/s, {bytes} bytes in all",
        n as f64 / s
    );
    Ok(())
}
