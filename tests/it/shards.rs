//! Scaling out: `govkg extract` on two shards, then `govkg load` of both (which
//! runs `govkg resolve`), answers the five competency queries exactly as one
//! `govkg ingest` of everything does.
//!
//! The corpus is self-contained: the bundled article (`data/`) and 70 generated
//! articles of one city (`govkg generate`, seeded), so officials and companies
//! recur across the shards and a 简称 declared in one shard is used in the
//! other. Ingest reads the 简称 of all 71 files before it writes any, while
//! the shards learn nothing until they are loaded; an ingest in windows of 4
//! files resolves with what earlier windows declared, merges what later ones
//! declare, and must end with the same quads. Three paragraphs added to
//! generated articles declare one 简称 for two companies (generated articles
//! 1 and 67, both in shard B) and use it in between (article 66, shard A, a
//! window of 4 before the second declaration): an ambiguous 简称 names
//! neither company.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{answers, data_dir, govkg, ok, seed_article, COOKBOOK};

const ARTICLES: usize = 70;
const SEED: &str = "11";

/// The ambiguous 简称 and the paragraphs that declare and use it, appended to
/// generated articles (file index, text).
const AMBIGUOUS: &str = "星瀚科技";
const EDITS: &[(usize, &str)] = &[
    (
        1,
        "\n测试区\n\n1月16日,测试区人民政府与甲城星瀚科技有限公司(简称“星瀚科技”)签署战略合作框架协议。区委书记甄试出席签约仪式。\n",
    ),
    (
        66,
        "\n测试区\n\n3月5日上午,区委书记甄试会见星瀚科技董事长程试一行,双方就深化合作进行座谈交流。\n",
    ),
    (
        67,
        "\n测试区\n\n3月6日,测试区人民政府与乙城星瀚科技股份有限公司(简称“星瀚科技”)签署战略合作框架协议。区委书记甄试出席签约仪式。\n",
    ),
];

/// Every quad outside the vocabulary graph (whose blank nodes are relabelled at
/// every load), as sorted lines.
fn quads(store: &Path) -> Vec<String> {
    let q = r#"SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
               FILTER(STR(?g) != "https://w3id.org/govkg/graph/vocabulary") }"#;
    let out = ok(govkg(store, &["query", "--format", "tsv", q]), "dump");
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

/// The subjects of `rdf:type` statements in an N-Quads file, by type IRI suffix.
fn typed(nq: &str, ty: &str) -> BTreeSet<String> {
    nq.lines()
        .filter(|l| l.contains("rdf-syntax-ns#type>") && l.contains(&format!("{ty}> <")))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

/// The 简称 an N-Quads file declares (`schema:alternateName` literals), each
/// with the organisations it is declared for.
fn declared(nq: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for l in nq.lines() {
        if let Some((subject, rest)) = l.split_once(" <http://schema.org/alternateName> \"") {
            if let Some(name) = rest.split('"').next() {
                out.entry(name.to_string())
                    .or_default()
                    .insert(subject.to_string());
            }
        }
    }
    out
}

fn org_node(name: &str) -> String {
    format!("<https://w3id.org/govkg/id/org/{name}>")
}

#[test]
fn two_shards_loaded_answer_like_one_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let nowhere = dir.path().join("unused-store");
    ok(
        govkg(
            &nowhere,
            &[
                "generate",
                "--articles",
                &ARTICLES.to_string(),
                "--seed",
                SEED,
                "--out",
                corpus.to_str().unwrap(),
            ],
        ),
        "generate",
    );
    let mut generated: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    generated.sort();
    assert_eq!(generated.len(), ARTICLES);
    for (i, text) in EDITS {
        let mut body = std::fs::read_to_string(&generated[*i]).unwrap();
        body.push_str(text);
        std::fs::write(&generated[*i], body).unwrap();
    }

    // Shard A: the bundled article and the even-numbered generated ones; B: the odd.
    let (even, odd): (Vec<_>, Vec<_>) = generated.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let shard_a: Vec<PathBuf> = std::iter::once(seed_article())
        .chain(even.into_iter().map(|(_, p)| p.clone()))
        .collect();
    let shard_b: Vec<PathBuf> = odd.into_iter().map(|(_, p)| p.clone()).collect();
    let mut nq = Vec::new();
    for (name, files) in [("a", &shard_a), ("b", &shard_b)] {
        let out = dir.path().join(format!("{name}.nq"));
        let mut args = vec![
            "extract".to_string(),
            "-o".into(),
            out.display().to_string(),
        ];
        args.extend(files.iter().map(|p| p.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(govkg(&nowhere, &args), "extract");
        nq.push((out.clone(), std::fs::read_to_string(&out).unwrap()));
    }
    assert!(
        !nowhere.exists(),
        "extract and generate must not open a store"
    );

    // The shards share entities, so loading them together has work to do.
    let (a, b) = (&nq[0].1, &nq[1].1);
    let people_a = typed(a, "Person");
    let shared_people = typed(b, "Person").intersection(&people_a).count();
    assert!(shared_people > 20, "{shared_people} people in both shards");
    let orgs_b = typed(b, "org#Organization");
    // A node named by a 简称 comes from an article that uses it without declaring
    // it; a 简称 declared for one organisation only (in both shards together) is
    // to be merged.
    let (declared_a, declared_b) = (declared(a), declared(b));
    let mut all = declared_a.clone();
    for (name, orgs) in &declared_b {
        all.entry(name.clone())
            .or_default()
            .extend(orgs.iter().cloned());
    }
    let cross: Vec<String> = declared_a
        .keys()
        .filter(|s| all[*s].len() == 1 && orgs_b.contains(&org_node(s)))
        .cloned()
        .collect();
    assert!(
        cross.len() >= 3,
        "简称 declared in shard A and used undeclared in shard B: {cross:?}"
    );
    assert!(
        declared_b.get(AMBIGUOUS).is_some_and(|o| o.len() == 2)
            && !declared_a.contains_key(AMBIGUOUS)
            && typed(a, "org#Organization").contains(&org_node(AMBIGUOUS)),
        "{AMBIGUOUS} is declared twice in shard B and used in shard A"
    );

    let sharded = dir.path().join("sharded");
    ok(
        govkg(
            &sharded,
            &["load", nq[0].0.to_str().unwrap(), nq[1].0.to_str().unwrap()],
        ),
        "load",
    );
    ok(govkg(&sharded, &["resolve"]), "resolve");
    let whole = dir.path().join("whole");
    ok(
        govkg(
            &whole,
            &[
                "ingest",
                data_dir().to_str().unwrap(),
                corpus.to_str().unwrap(),
            ],
        ),
        "ingest",
    );

    for q in COOKBOOK {
        let (s, w) = (answers(&sharded, q), answers(&whole, q));
        assert!(!w.is_empty(), "{q}: no rows from ingest");
        if s != w {
            let only_s: Vec<_> = s.iter().filter(|r| !w.contains(r)).take(5).collect();
            let only_w: Vec<_> = w.iter().filter(|r| !s.contains(r)).take(5).collect();
            panic!(
                "{q}: {} rows from the shards, {} from ingest\nonly from the shards: {only_s:#?}\nonly from ingest: {only_w:#?}",
                s.len(),
                w.len()
            );
        }
    }

    // The cross-shard 简称 were merged: their short-named nodes are gone.
    let meetings = answers(&whole, "meetings");
    let orgs: BTreeSet<&str> = meetings.iter().map(|r| r[1].as_str()).collect();
    for short in &cross {
        assert!(!orgs.contains(short.as_str()), "{short} was not merged");
    }
    // The ambiguous one names neither company, however the ingest was chunked.
    // (ingest used to resolve it to the first company for articles of a later chunk.)
    assert!(
        answers(&whole, "posts")
            .iter()
            .any(|r| r[0] == "程试" && r[1] == "董事长" && r[2] == AMBIGUOUS),
        "程试 is 董事长 of {AMBIGUOUS} as written"
    );

    // Beyond the queries: the same quads (article graphs and derived terms),
    // from the shards and from an ingest in small windows.
    let windowed = dir.path().join("windowed");
    ok(
        govkg(
            &windowed,
            &[
                "ingest",
                "--window-articles",
                "4",
                data_dir().to_str().unwrap(),
                corpus.to_str().unwrap(),
            ],
        ),
        "ingest in windows",
    );
    let w = quads(&whole);
    assert!(
        quads(&windowed) == w,
        "an ingest in windows of 4 files ends as one in a single window"
    );
    let s = quads(&sharded);
    assert!(s.len() > 50_000, "{} quads", s.len());
    if s != w {
        let only_s: Vec<_> = s
            .iter()
            .filter(|l| w.binary_search(l).is_err())
            .take(5)
            .collect();
        let only_w: Vec<_> = w
            .iter()
            .filter(|l| s.binary_search(l).is_err())
            .take(5)
            .collect();
        panic!(
            "stores differ: {} vs {} quads\nonly from the shards: {only_s:#?}\nonly from ingest: {only_w:#?}",
            s.len(),
            w.len()
        );
    }
}
