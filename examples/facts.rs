//! Prints what extraction finds in articles, one fact per line, as the
//! extraction cases in `tests/it/extraction.rs` write them: a developer's view
//! for reading what a rule change does to an article.
//!
//! `cargo run --release --example facts -- FILE…` (with the NER model when
//! `lac::locate` finds one, unless `GOVKG_NO_MODEL` is set)

use govkg::extract::{lac, Extractor};
use govkg::lexicon::Lexicon;
use govkg::source::read_article;
use govkg::text::Document;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = match std::env::var_os("GOVKG_NO_MODEL") {
        Some(_) => None,
        None => lac::locate(None)
            .map(|dir| lac::Lac::load(&dir))
            .transpose()?,
    };
    let extractor = Extractor::new(Lexicon::builtin()).with_model(model);
    for path in std::env::args().skip(1) {
        let article = read_article(std::path::Path::new(&path))?;
        let doc = Document::new(&article.body);
        let x = extractor.extract(&article, &doc);
        println!("== {path}");
        for line in x.fact_lines() {
            println!("{line}");
        }
        for w in &x.warnings {
            println!("warning {w}");
        }
    }
    Ok(())
}
