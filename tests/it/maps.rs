//! Relationship maps and tracing on the bundled article: `trace`, `export`,
//! `path` and `rank`, and the files real tools must accept.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{data_dir, govkg, ingest, ok};

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &[&data_dir()]);
    dir
}

#[derive(serde::Deserialize, Debug)]
struct TraceRow {
    date: String,
    official: String,
    post: String,
    organization: String,
    evidence: String,
    source: String,
}

fn trace(store: &Path, args: &[&str]) -> Vec<TraceRow> {
    let mut all = vec!["trace", "--format", "json"];
    all.extend_from_slice(args);
    let out = govkg(store, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn trace_by_short_or_full_name_finds_the_same_meeting() {
    let s = store();
    for org in ["海康威视", "杭州海康威视数字技术股份有限公司"] {
        let rows = trace(s.path(), &["--org", org]);
        let r = rows
            .iter()
            .find(|r| r.official == "孟锦锦")
            .unwrap_or_else(|| panic!("{org}: {rows:?}"));
        assert_eq!(r.date, "2024-05-29");
        assert_eq!(r.organization, "杭州海康威视数字技术股份有限公司");
        assert!(r.post.contains("管委会主任"), "{}", r.post);
        assert!(
            r.evidence.contains("海康威视") && r.evidence.contains("孟锦锦"),
            "{}",
            r.evidence
        );
        assert!(r.source.ends_with("2024-05-27-shenzhen-weekly.txt"));
    }
}

#[test]
fn trace_by_district_lists_its_officials_meetings() {
    let s = store();
    let rows = trace(s.path(), &["--district", "南山区"]);
    for official in ["黄湘岳", "李小宁"] {
        assert!(
            rows.iter()
                .any(|r| r.official == official
                    && r.organization == "中国汽车工程研究院股份有限公司"),
            "{official}: {rows:?}"
        );
    }
    // The short name 中国汽研 finds the same meetings.
    let by_alias = trace(s.path(), &["--org", "中国汽研"]);
    assert_eq!(by_alias.len(), 2);
}

#[test]
fn hostile_names_are_answered_empty_and_change_nothing() {
    let s = store();
    let before = common::count_quads(s.path());
    for name in [
        "\"",
        "'",
        "} } DROP ALL { {",
        "海康威视\" || true || \"",
        "#",
        "a\nb",
        "SELECT * WHERE { ?s ?p ?o }",
        "\\",
        ")) . ?x ?y ?z FILTER((",
    ] {
        for flag in ["--org", "--official", "--district"] {
            let rows = trace(s.path(), &[flag, name]);
            assert!(rows.is_empty(), "{flag} {name:?}: {rows:?}");
        }
    }
    assert_eq!(common::count_quads(s.path()), before);
}

#[test]
fn dot_output_is_accepted_by_graphviz() {
    let s = store();
    let out = govkg(s.path(), &["export", "--format", "dot"]);
    assert!(out.status.success());
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.contains("subgraph cluster_") && dot.contains("孟锦锦"));
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` must be installed (scripts/setup.sh installs it)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let result = child.wait_with_output().unwrap();
    assert!(
        result.status.success(),
        "dot rejected the file: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stdout).contains("孟锦锦"));
}

/// Labels of every node, from the JSON export.
fn node_labels(store: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["export", "--format", "json"];
    args.extend_from_slice(extra);
    let out = govkg(store, &args);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["data"]["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn svg_without_graphviz_is_well_formed_and_shows_every_label() {
    let s = store();
    let filter = ["--district", "南山区", "--fold-events"];
    let labels = node_labels(s.path(), &filter);
    assert!(labels.len() >= 4, "{labels:?}");
    // A PATH with no Graphviz on it.
    let empty = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--store",
        s.path().to_str().unwrap(),
        "export",
        "--format",
        "svg",
    ];
    args.extend_from_slice(&filter);
    let out = Command::new(env!("CARGO_BIN_EXE_govkg"))
        .args(&args)
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("layout-rs"));
    let svg = String::from_utf8(out.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut texts = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => texts.push_str(&t.decode().unwrap()),
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}"),
        }
    }
    for l in labels {
        assert!(texts.contains(&l), "label {l:?} missing from the SVG");
    }
}

#[test]
fn graphml_and_json_carry_kinds_dates_and_evidence_counts() {
    let s = store();
    let out = govkg(
        s.path(),
        &["export", "--format", "graphml", "--fold-events"],
    );
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut nodes = 0;
    loop {
        match reader.read_event().expect("well-formed GraphML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"node" => nodes += 1,
            _ => {}
        }
    }
    assert!(nodes > 20);
    let out = govkg(
        s.path(),
        &[
            "export",
            "--format",
            "json",
            "--person",
            "孟锦锦",
            "--depth",
            "1",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edges = v["elements"]["edges"].as_array().unwrap();
    assert!(edges
        .iter()
        .any(|e| e["data"]["kind"] == "holds_post_in"
            && e["data"]["evidence_count"].as_u64() >= Some(1)));
}

#[test]
fn path_links_two_officials_through_what_they_share() {
    let s = store();
    let out = govkg(s.path(), &["path", "黄湘岳", "李小宁", "--fold-events"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    // Both met 中国汽研 on 2024-05-30: a two-hop chain through it, with evidence.
    assert!(text.contains("chain 1 (2 hops)"), "{text}");
    assert!(
        text.contains("中国汽车工程研究院股份有限公司") || text.contains("南山区"),
        "{text}"
    );
    assert!(text.contains('“'), "{text}");
}

#[test]
fn rank_lists_the_most_connected() {
    let s = store();
    let out = govkg(s.path(), &["rank", "--format", "csv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() > 3, "{text}");
    assert!(text
        .lines()
        .next()
        .unwrap()
        .starts_with("name,kind,degree,betweenness"));
}

#[test]
fn a_path_from_a_name_two_people_share_asks_for_one_by_its_iri() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let futian = common::article(
        dir.path(),
        "1.txt",
        "https://example.org/a/1",
        "2024-05-20",
        "5月18日，福田区委书记张海涛到深圳市星河科技有限公司调研。",
    );
    let junlian = common::article(
        dir.path(),
        "2.txt",
        "https://example.org/a/2",
        "2024-06-20",
        "6月18日，四川省筠连县县长张海涛到筠连县蜀光矿业有限公司调研。",
    );
    ingest(&store, &[&futian, &junlian]);
    let out = govkg(&store, &["path", "张海涛", "深圳市星河科技有限公司"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"张海涛\" names 2 people"), "{err}");
    // Each listed with its IRI; the one who visited the company links to it.
    let iris: Vec<&str> = err
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|w| w.starts_with("http"))
        .collect();
    assert_eq!(iris.len(), 2, "{err}");
    let chains: Vec<bool> = iris
        .iter()
        .map(|iri| {
            let out = ok(
                govkg(&store, &["path", iri, "深圳市星河科技有限公司"]),
                "path",
            );
            String::from_utf8_lossy(&out.stdout).contains("chain 1 (1 hop")
        })
        .collect();
    assert_eq!(chains.iter().filter(|&&c| c).count(), 1, "{chains:?}");
    // A name nobody has is said to be absent.
    let out = govkg(&store, &["path", "无此人", "深圳市星河科技有限公司"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"无此人\" is not in the graph"));
}
