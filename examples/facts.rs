//! Prints what extraction finds in articles, one fact per line, as the
//! extraction cases in `tests/extraction.rs` write them: a developer's view
//! for reading what a rule change does to an article.
//!
//! `cargo run --release --example facts -- FILE…`

use govkg::extract::Extractor;
use govkg::lexicon::Lexicon;
use govkg::source::read_article;
use govkg::text::Document;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let extractor = Extractor::new(Lexicon::builtin());
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
