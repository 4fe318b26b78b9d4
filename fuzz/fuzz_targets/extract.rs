//! The pipeline after reading, on arbitrary text: sentences and offsets,
//! extraction, identities and quads (`Pipeline::process`, as ingest runs it).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use govkg::ingest::Pipeline;
use govkg::lexicon::Lexicon;
use govkg::resolve::KnownNames;
use libfuzzer_sys::fuzz_target;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(Lexicon::builtin()))
}

fuzz_target!(|text: &str| {
    if let Ok(article) = govkg::source::parse_article(Path::new("a.txt"), text, false, Vec::new()) {
        let _ = pipeline().process(article, &KnownNames::default(), None);
    }
});
