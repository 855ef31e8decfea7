//! Write the sample documents as PDF (and DOCX when available) into a folder, for looking at
//! them: `cargo run --example render_samples -- /tmp/out`.

use jiandu::render::{samples, write_docx, write_pdf, FontConfig, Fonts};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "render-samples".to_string());
    std::fs::create_dir_all(&dir)?;
    let fonts = Fonts::load(&FontConfig::default())?;
    for (name, doc) in [
        ("recommendation", samples::recommendation()),
        ("talk-notice", samples::talk_notice()),
    ] {
        std::fs::write(format!("{dir}/{name}.pdf"), write_pdf(&doc, &fonts)?)?;
        std::fs::write(format!("{dir}/{name}.docx"), write_docx(&doc)?)?;
    }
    Ok(())
}
