//! Bad input: each kind of junk a folder of scraped files holds gets a message
//! naming the file, and the rest of the batch still goes in.

mod common;

use std::path::Path;

use common::{govkg, rows};

const GOOD: &str = "---\nurl: http://example.org/good\npublished: 2024-06-02\n---\n罗湖\n5月30日，区长钱小红主持召开区政府常务会议。\n";

fn people(store: &Path) -> Vec<String> {
    let mut v: Vec<String> = rows(
        store,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?n WHERE { ?p a <http://schema.org/Person> ; rdfs:label ?n }",
    )
    .into_iter()
    .map(|r| r["n"].clone())
    .collect();
    v.sort();
    v
}

/// Ingests a folder holding GOOD plus `name` with `bytes`; returns (exit code, stderr, people).
fn batch_with(name: &str, bytes: &[u8]) -> (Option<i32>, String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("good.txt"), GOOD).unwrap();
    std::fs::write(folder.join(name), bytes).unwrap();
    let store = dir.path().join("store");
    let out = govkg(&store, &["ingest", folder.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        people(&store),
    )
}

#[test]
fn gbk_and_utf16_files_are_decoded_with_a_notice() {
    let text = "---\nurl: http://example.org/gbk\npublished: 2024-06-02\n---\n福田\n5月31日，区委书记孙立新主持召开区委常委会会议。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let (code, err, people) = batch_with("gbk.txt", &gbk);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("gbk.txt") && err.contains("GBK"), "{err}");
    assert_eq!(people, vec!["孙立新", "钱小红"]);
    let mut utf16 = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let (code, err, people) = batch_with("utf16.txt", &utf16);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("UTF-16"), "{err}");
    assert_eq!(people, vec!["孙立新", "钱小红"]);
}

#[test]
fn binary_and_empty_files_fail_alone() {
    for (name, bytes) in [
        ("bin.txt", &[0u8, 159, 146, 150, 0, 1, 2][..]),
        ("empty.txt", &b""[..]),
        ("blank.txt", &b" \n\n "[..]),
    ] {
        let (code, err, people) = batch_with(name, bytes);
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(err.contains(name), "{err}");
        assert_eq!(people, vec!["钱小红"], "{name}");
    }
}

#[test]
fn a_file_cut_inside_a_character_keeps_what_is_whole() {
    let text = GOOD.replace("good", "cut").replace("钱小红", "孙立新");
    let bytes = text.as_bytes();
    let (code, err, people) = batch_with("cut.txt", &bytes[..bytes.len() - 2]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("cut.txt") && err.contains("middle of a UTF-8 character"),
        "{err}"
    );
    assert_eq!(people, vec!["孙立新", "钱小红"]);
}

#[test]
fn bad_front_matter_and_impossible_dates_do_not_invent_dates() {
    let text = "---\nurl: http://example.org/bad\npublished: 2024-13-45\n---\n福田\n2月30日，区委书记孙立新主持召开区委常委会会议。\n";
    let (code, err, people) = batch_with("bad.txt", text.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("bad.txt") && err.contains("2024-13-45"),
        "{err}"
    );
    assert_eq!(people, vec!["孙立新", "钱小红"]);
    let unclosed = "---\nurl: http://example.org/x\n正文没有结束的前言\n";
    let (code, err, _) = batch_with("unclosed.txt", unclosed.as_bytes());
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unclosed.txt") && err.contains("front matter"),
        "{err}"
    );
}

#[test]
fn html_with_scripts_and_styles_gives_only_the_article_text() {
    let html = "<!DOCTYPE html><html><head><title>t</title><style>.a{}</style><script>var s='区长王某某主持召开会议';</script></head>\
                <body><nav>首页</nav><p>罗湖</p><p>5月30日，区长孙立新主持召开区政府常务会议。</p><script>document.write('区委书记李某某')</script></body></html>";
    let (code, err, people) = batch_with("page.html", html.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(people, vec!["孙立新", "钱小红"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(folder.join("sub/good.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("sub/loop")).unwrap();
    let store = dir.path().join("store");
    let out = govkg(&store, &["ingest", folder.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("ingested 1 article"));
}
