//! The fuzz targets' inputs as ordinary tests: every file under
//! `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` (inputs `cargo fuzz`
//! found or kept) goes through the same entry point as its target, so an input
//! that once crashed or hung stays fixed without cargo-fuzz installed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use govkg::ingest::Pipeline;
use govkg::lexicon::Lexicon;
use govkg::resolve::KnownNames;

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for kind in ["corpus", "artifacts"] {
        if let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    files
}

/// An input that takes this long is a hang, whatever it returns.
const SLOW: Duration = Duration::from_secs(10);

#[test]
fn read_article_inputs_neither_panic_nor_hang() {
    let files = inputs("read_article");
    assert!(files.len() >= 5, "the read_article corpus is missing");
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let Some((&first, bytes)) = data.split_first() else {
            continue;
        };
        let name = if first & 1 == 1 { "a.html" } else { "a.txt" };
        let started = Instant::now();
        let _ = govkg::source::article_from_bytes(Path::new(name), bytes);
        assert!(
            started.elapsed() < SLOW,
            "{} took {:?}",
            file.display(),
            started.elapsed()
        );
    }
}

#[test]
fn extract_inputs_neither_panic_nor_hang() {
    let files = inputs("extract");
    assert!(files.len() >= 3, "the extract corpus is missing");
    let pipeline = Pipeline::new(Lexicon::builtin());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        // The target takes `&str`: `arbitrary` gives it the input's longest UTF-8 prefix.
        let text = match std::str::from_utf8(&data) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).unwrap(),
        };
        let started = Instant::now();
        if let Ok(article) =
            govkg::source::parse_article(Path::new("a.txt"), text, false, Vec::new())
        {
            let _ = pipeline.process(article, &KnownNames::default(), None);
        }
        assert!(
            started.elapsed() < SLOW,
            "{} took {:?}",
            file.display(),
            started.elapsed()
        );
    }
}
