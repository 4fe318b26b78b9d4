//! Person identity: officials who share a name stay apart, the same official
//! in two articles is one node, and on a generated corpus with planted
//! homonyms and career moves person clustering is scored against the truth
//! the generator records (pairwise precision and recall, printed with
//! `cargo test --release --test it identity:: -- --nocapture`).

use crate::common;

use std::collections::HashMap;
use std::process::Command;

use common::{article, govkg, rows};

/// Each person node named `name` in the store, with the posts it holds and
/// the organisations it met, sorted.
fn people_named(store: &std::path::Path, name: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let found = rows(
        store,
        &format!(
            "PREFIX org: <http://www.w3.org/ns/org#>
             PREFIX gk: <https://w3id.org/govkg/ontology#>
             PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             SELECT DISTINCT ?p ?post ?met WHERE {{
               GRAPH ?g {{ ?p rdfs:label \"{name}\"@zh }}
               OPTIONAL {{ GRAPH ?g2 {{ ?m org:member ?p ; gk:postTitle ?title ; org:organization/rdfs:label ?where }}
                          BIND(CONCAT(STR(?where), STR(?title)) AS ?post) }}
               OPTIONAL {{ GRAPH ?g3 {{ ?c gk:official ?p ; gk:organization/rdfs:label ?met }} }}
             }}"
        ),
    );
    let mut by_node: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
    for r in found {
        let e = by_node.entry(r["p"].clone()).or_default();
        for (value, list) in [(&r["post"], &mut e.0), (&r["met"], &mut e.1)] {
            if !value.is_empty() && !list.contains(value) {
                list.push(value.clone());
            }
        }
    }
    let mut out: Vec<_> = by_node
        .into_iter()
        .map(|(p, (mut posts, mut met))| {
            posts.sort();
            met.sort();
            (p, posts, met)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn officials_who_share_a_name_stay_apart_and_the_same_official_joins_up() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let first = article(
        dir.path(),
        "1.txt",
        "https://example.org/a/1",
        "2024-05-20",
        "5月18日，福田区委书记张海涛到深圳市星河科技有限公司调研。",
    );
    let second = article(
        dir.path(),
        "2.txt",
        "https://example.org/a/2",
        "2024-06-20",
        "6月18日，四川省筠连县县长张海涛到筠连县蜀光矿业有限公司调研。",
    );
    let out = govkg(
        &store,
        &["ingest", first.to_str().unwrap(), second.to_str().unwrap()],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let people = people_named(&store, "张海涛");
    assert_eq!(people.len(), 2, "{people:#?}");
    // The summary counts the people the store holds.
    assert!(stderr.contains(": 2 people (2 officials)"), "{stderr}");
    let posts: Vec<&Vec<String>> = people.iter().map(|p| &p.1).collect();
    assert!(
        posts.contains(&&vec!["福田区区委书记".to_string()]),
        "{people:#?}"
    );
    assert!(
        posts.contains(&&vec!["筠连县县长".to_string()]),
        "{people:#?}"
    );
    for (_, posts, met) in &people {
        let expected = if posts[0].starts_with("福田区") {
            "深圳市星河科技有限公司"
        } else {
            "筠连县蜀光矿业有限公司"
        };
        assert_eq!(met, &vec![expected.to_string()], "{people:#?}");
    }

    // A third article of the district's party secretary joins the first man.
    let third = article(
        dir.path(),
        "3.txt",
        "https://example.org/a/3",
        "2024-07-03",
        "7月2日，福田区委书记张海涛主持召开区委常委会会议。",
    );
    let out = govkg(&store, &["ingest", third.to_str().unwrap()]);
    assert!(out.status.success());
    let after = people_named(&store, "张海涛");
    assert_eq!(
        after.iter().map(|p| &p.0).collect::<Vec<_>>(),
        people.iter().map(|p| &p.0).collect::<Vec<_>>(),
        "the third article made a node of its own"
    );
    let events = rows(
        &store,
        "PREFIX schema: <http://schema.org/>
         PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         PREFIX gk: <https://w3id.org/govkg/ontology#>
         SELECT ?p (COUNT(DISTINCT ?e) AS ?n) WHERE {
           GRAPH ?g { ?p rdfs:label \"张海涛\"@zh . ?e gk:participation/gk:participant ?p }
         } GROUP BY ?p",
    );
    let counts: Vec<&str> = {
        let mut c: Vec<&str> = events.iter().map(|r| r["n"].as_str()).collect();
        c.sort();
        c
    };
    assert_eq!(counts, ["1", "2"], "{events:?}");
}

/// The person nodes named `name`, sorted.
fn nodes_named(store: &std::path::Path, name: &str) -> Vec<String> {
    people_named(store, name).into_iter().map(|p| p.0).collect()
}

const FUTIAN: &str = "https://w3id.org/govkg/id/person/张海涛/440304";
const NANSHAN: &str = "https://w3id.org/govkg/id/person/张海涛/440305";

/// Three invented articles: a district secretary, then the same name as a
/// city post, then as another district's secretary (`with_link`: written as
/// having been the first district's before).
fn three_articles(dir: &std::path::Path, with_link: bool) -> Vec<std::path::PathBuf> {
    let third = if with_link {
        "3月18日，南山区委书记、原福田区委书记张海涛到深圳市白云软件有限公司调研。"
    } else {
        "3月18日，南山区委书记张海涛到深圳市白云软件有限公司调研。"
    };
    vec![
        article(
            dir,
            "1.txt",
            "https://example.org/a/1",
            "2024-05-20",
            "5月18日，福田区委书记张海涛到深圳市星河科技有限公司调研。",
        ),
        article(
            dir,
            "2.txt",
            "https://example.org/a/2",
            "2024-06-20",
            "6月18日，深圳市政协副主席张海涛到深圳市蓝海电子有限公司调研。",
        ),
        article(dir, "3.txt", "https://example.org/a/3", "2025-03-20", third),
    ]
}

fn ingest_all(store: &std::path::Path, files: &[std::path::PathBuf]) -> String {
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let out = govkg(store, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_city_post_and_a_former_post_in_the_text_join_the_district_official() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let files = three_articles(dir.path(), true);
    // One at a time: the city post joins the one 张海涛 inside 深圳市; the
    // third article's 原福田区委书记 joins its 南山区 node to him too.
    ingest_all(&store, &files[..2]);
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN]);
    let summary = ingest_all(&store, &files[2..]);
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN]);
    assert!(summary.contains(": 1 people"), "{summary}");
    let people = people_named(&store, "张海涛");
    assert_eq!(
        people[0].2,
        [
            "深圳市星河科技有限公司",
            "深圳市白云软件有限公司",
            "深圳市蓝海电子有限公司"
        ]
    );
    // The link is recorded with the post that shows it.
    let links = rows(
        &store,
        "PREFIX gk: <https://w3id.org/govkg/ontology#>
         PREFIX prov: <http://www.w3.org/ns/prov#>
         SELECT ?kind ?title WHERE {
           GRAPH <https://w3id.org/govkg/graph/identity> { ?l gk:linkKind ?kind }
           OPTIONAL {
             GRAPH <https://w3id.org/govkg/graph/identity> { ?l prov:wasDerivedFrom ?m }
             GRAPH ?g { ?m gk:former true ; gk:postTitle ?title }
           }
         } ORDER BY ?kind",
    );
    let links: Vec<(&str, &str)> = links
        .iter()
        .map(|r| (r["kind"].as_str(), r["title"].as_str()))
        .collect();
    assert_eq!(links, [("nested", ""), ("text", "区委书记")]);

    // Ingested again, nothing changes, and the summary says so.
    let again = ingest_all(&store, &files);
    assert!(again.contains("(3 unchanged)"), "{again}");
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN]);

    // Extracted apart and loaded, the store is the same.
    let shard = dir.path().join("x.nq");
    let mut args = vec!["extract"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.extend(["-o", shard.to_str().unwrap()]);
    assert!(govkg(&store, &args).status.success());
    let loaded = dir.path().join("loaded");
    assert!(govkg(&loaded, &["load", shard.to_str().unwrap()])
        .status
        .success());
    assert_eq!(
        people_named(&loaded, "张海涛"),
        people_named(&store, "张海涛")
    );
}

#[test]
fn a_move_no_sentence_reports_is_a_candidate_that_an_analyst_decides() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let files = three_articles(dir.path(), false);
    ingest_all(&store, &[files[0].clone(), files[2].clone()]);
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN, NANSHAN]);

    let out = govkg(&store, &["links", "candidates", "--format", "json"]);
    assert!(out.status.success());
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs: Vec<(&str, &str, &str)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["a"]["node"].as_str().unwrap(),
                c["b"]["node"].as_str().unwrap(),
                c["within"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs, [(FUTIAN, NANSHAN, "深圳市")]);

    // Confirmed: one person, kept through a re-ingest.
    assert!(govkg(&store, &["links", "confirm", FUTIAN, NANSHAN])
        .status
        .success());
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN]);
    ingest_all(&store, &files);
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN]);
    let out = govkg(&store, &["links", "candidates", "--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");

    // Withdrawn: two again (the city post then has two people inside 深圳市
    // and joins neither).
    assert!(govkg(&store, &["links", "withdraw", FUTIAN, NANSHAN])
        .status
        .success());
    assert_eq!(nodes_named(&store, "张海涛").len(), 3);

    // A rejection outweighs a link in the text.
    let linked = three_articles(dir.path(), true);
    ingest_all(&store, &linked);
    assert_eq!(nodes_named(&store, "张海涛"), [FUTIAN]);
    assert!(govkg(&store, &["links", "reject", NANSHAN, FUTIAN])
        .status
        .success());
    let apart = nodes_named(&store, "张海涛");
    assert!(
        apart.contains(&FUTIAN.to_string()) && apart.contains(&NANSHAN.to_string()),
        "{apart:?}"
    );

    // Nodes of two names are never linked.
    let other = "https://w3id.org/govkg/id/person/李四/440304";
    let out = govkg(&store, &["links", "confirm", FUTIAN, other]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("two people"));
}

#[test]
fn every_county_has_its_own_peoples_hospital_and_investment_company() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let files = [
        (
            "1",
            "2024-06-20",
            "6月18日，四川省筠连县县长王强到县人民医院、县城投公司调研。",
        ),
        (
            "2",
            "2024-06-21",
            "6月20日，江苏省长兴县县长李明到县人民医院、县城投公司调研。",
        ),
        (
            "3",
            "2024-07-01",
            "6月30日，筠连县委书记赵刚到县人民医院调研。",
        ),
    ]
    .map(|(n, date, text)| {
        article(
            dir.path(),
            &format!("{n}.txt"),
            &format!("https://example.org/h/{n}"),
            date,
            text,
        )
    });
    ingest_all(&store, &files);
    // Each county's hospital is a node of its own, named by each article of that county.
    let hospitals = rows(
        &store,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         PREFIX schema: <http://schema.org/>
         SELECT ?o (GROUP_CONCAT(DISTINCT STR(?url); separator=\",\") AS ?articles) WHERE {
           GRAPH ?g { ?o rdfs:label \"人民医院\"@zh . ?g schema:url ?url }
         } GROUP BY ?o",
    );
    let mut articles: Vec<Vec<&str>> = hospitals
        .iter()
        .map(|r| {
            let mut v: Vec<&str> = r["articles"].split(',').collect();
            v.sort();
            v
        })
        .collect();
    articles.sort();
    assert_eq!(
        articles,
        [
            vec!["https://example.org/h/1", "https://example.org/h/3"],
            vec!["https://example.org/h/2"]
        ],
        "{hospitals:?}"
    );
    let companies = rows(
        &store,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT DISTINCT ?o WHERE { GRAPH ?g { ?o rdfs:label \"县城投公司\"@zh } }",
    );
    assert_eq!(companies.len(), 2, "{companies:?}");
}

/// Pairwise precision and recall of a clustering of mentions against the truth.
fn pairwise(mentions: &[(usize, String)]) -> (f64, f64) {
    fn pairs<K>(counts: HashMap<K, usize>) -> u64 {
        counts
            .values()
            .map(|&n| (n * n.saturating_sub(1) / 2) as u64)
            .sum()
    }
    let mut both: HashMap<(usize, &str), usize> = HashMap::new();
    let mut truth: HashMap<usize, usize> = HashMap::new();
    let mut found: HashMap<&str, usize> = HashMap::new();
    for (person, node) in mentions {
        *both.entry((*person, node)).or_default() += 1;
        *truth.entry(*person).or_default() += 1;
        *found.entry(node).or_default() += 1;
    }
    let agree = pairs(both) as f64;
    (agree / pairs(found) as f64, agree / pairs(truth) as f64)
}

#[test]
fn person_clustering_on_generated_articles_with_planted_homonyms() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let truth = dir.path().join("truth.tsv");
    let bin = env!("CARGO_BIN_EXE_govkg");
    let run = |args: &[&str]| {
        let out = Command::new(bin).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "generate",
        "--articles",
        "1000",
        "--seed",
        "7",
        "--out",
        corpus.to_str().unwrap(),
        "--truth",
        truth.to_str().unwrap(),
    ]);
    // Extracted apart and loaded, as shards are: `load` runs the identity
    // pass, which joins the nodes that career links in the text connect.
    let shard = dir.path().join("shard.nq");
    let store = dir.path().join("store");
    run(&[
        "--no-model",
        "extract",
        corpus.to_str().unwrap(),
        "-o",
        shard.to_str().unwrap(),
    ]);
    // Compaction (which `load` does for a first load) is not what this test
    // is about, and took 7 s of it.
    let store_arg = ["--store", store.to_str().unwrap()];
    run(&[
        &store_arg[..],
        &["load", "--compact", "never", shard.to_str().unwrap()],
    ]
    .concat());

    // Each article's people: (article graph, name) → node. (Read with a
    // query: dumping the whole store to N-Quads for these took 21 s.)
    let mut node_of: HashMap<(String, String), String> = HashMap::new();
    for row in rows(
        &store,
        "SELECT ?g ?name ?p WHERE { GRAPH ?g { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?name } \
         FILTER(CONTAINS(STR(?p), \"/id/person/\")) }",
    ) {
        node_of.insert((row["g"].clone(), row["name"].clone()), row["p"].clone());
    }

    // The truth: who each official named in each article is.
    let text = std::fs::read_to_string(&truth).unwrap();
    let mut mentions: Vec<(usize, String)> = Vec::new();
    let mut missed = 0;
    let mut shared_names: HashMap<&str, std::collections::HashSet<usize>> = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let [url, name, person] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("bad truth line {line:?}");
        };
        let person: usize = person.parse().unwrap();
        shared_names.entry(name).or_default().insert(person);
        let graph = govkg::resolve::article_iri(url);
        // An official extraction missed is a node of its own: it joins no one.
        let node = match node_of.get(&(graph, name.to_string())) {
            Some(node) => node.clone(),
            None => {
                missed += 1;
                format!("missed {url} {name}")
            }
        };
        mentions.push((person, node));
    }
    let homonyms = shared_names
        .values()
        .filter(|people| people.len() > 1)
        .count();
    let (precision, recall) = pairwise(&mentions);
    // What names alone would give: every homonym merged.
    let by_name: Vec<(usize, String)> = mentions
        .iter()
        .map(|(p, node)| (*p, node.split('/').nth(6).unwrap_or(node).to_string()))
        .collect();
    let (name_precision, name_recall) = pairwise(&by_name);
    println!(
        "person clustering over {} official mentions ({missed} not extracted; {homonyms} names held by more than one official): \
         pairwise precision {precision:.4}, recall {recall:.4} (by name alone: {name_precision:.4}, {name_recall:.4})",
        mentions.len()
    );
    assert!(
        homonyms > 20,
        "the generator planted too few homonyms: {homonyms}"
    );
    assert!(
        name_precision < 0.99,
        "the homonyms do not test anything: {name_precision}"
    );
    assert!(precision >= 0.99, "precision {precision:.4}");
    assert!(recall >= 0.95, "recall {recall:.4}");
}
