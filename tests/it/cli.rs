//! The binary end to end: ingest the bundled article, then ask SPARQL.

use crate::common;

use std::path::Path;

use common::{count_quads as count, data_dir, govkg, ok, rows};

fn ingested_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = govkg(dir.path(), &["ingest", data_dir().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

#[test]
fn meeting_with_a_company_is_traceable_to_the_sentences_that_say_so() {
    let store = ingested_store();
    let q = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/queries/meetings.rq"),
    )
    .unwrap();
    let found = rows(store.path(), &q);
    let row = found
        .iter()
        .find(|r| {
            r["official"] == "孟锦锦" && r["organization"] == "杭州海康威视数字技术股份有限公司"
        })
        .expect("孟锦锦 met 杭州海康威视数字技术股份有限公司");
    assert_eq!(row["date"], "2024-05-29");
    // The evidence quotes the words that name both: here two adjacent sentences.
    assert!(
        row["evidence"].contains("杭州海康威视数字技术股份有限公司"),
        "{}",
        row["evidence"]
    );
    assert!(
        row["evidence"].contains("孟锦锦出席签约仪式"),
        "{}",
        row["evidence"]
    );
}

#[test]
fn evidence_offsets_point_at_the_quoted_text() {
    let store = ingested_store();
    let found = rows(
        store.path(),
        r#"PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
           SELECT ?iri ?exact WHERE { ?e nif:anchorOf ?exact BIND(STR(?e) AS ?iri) }"#,
    );
    assert!(!found.is_empty());
    // The offsets are the evidence IRI's RFC 5147 fragment, `#char=start,end`.
    // (Read as a string: sparesults 0.3 writes IRIs into CSV unquoted, and this
    // one holds a comma.)
    let body = std::fs::read_to_string(data_dir().join("2024-05-27-shenzhen-weekly.txt")).unwrap();
    let chars: Vec<char> = body.chars().collect();
    for r in found {
        let (s, e) =
            govkg::rdf::evidence_offsets(&r["iri"]).expect("an evidence IRI names its offsets");
        let slice: String = chars[s..e].iter().collect();
        assert_eq!(slice, r["exact"]);
    }
}

#[test]
fn reingesting_changes_nothing() {
    let store = ingested_store();
    let before = count(store.path());
    assert!(before > 100);
    let out = govkg(store.path(), &["ingest", data_dir().to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(count(store.path()), before);
}

#[test]
fn ingest_timings_name_every_stage_of_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let out = govkg(
        dir.path(),
        &["ingest", "--timings", data_dir().to_str().unwrap()],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for stage in [
        "extract and load",
        "简称 merges",
        "identity of people",
        "terms of office",
        // A first load into an empty store ends by compacting it.
        "compaction",
    ] {
        assert!(
            stderr.contains(&format!("timing: {stage}: ")),
            "{stage} not in {stderr}"
        );
    }
    // Without the flag, no timings.
    let out = govkg(dir.path(), &["ingest", data_dir().to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("timing:"));
}

#[test]
fn load_timings_name_every_stage_of_loading_shards() {
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard.nq");
    ok(
        govkg(
            &dir.path().join("unused"),
            &[
                "extract",
                data_dir().to_str().unwrap(),
                "-o",
                shard.to_str().unwrap(),
            ],
        ),
        "extract",
    );
    let store = dir.path().join("store");
    let out = ok(
        govkg(&store, &["load", "--timings", shard.to_str().unwrap()]),
        "load",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stages: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("timing: "))
        .filter_map(|l| l.split(": ").next())
        .collect();
    // In order; a first load into an empty store ends by compacting it.
    assert_eq!(
        stages,
        [
            "简称 the files declare",
            "bulk load",
            "简称 merges",
            "identity of people",
            "terms of office",
            "compaction"
        ],
        "{stderr}"
    );
    // Without the flag, no timings.
    let again = dir.path().join("again");
    let out = govkg(&again, &["load", shard.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("timing:"));
}

#[test]
fn a_batch_that_does_not_double_the_store_is_not_compacted_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir();
    let data = data.to_str().unwrap();
    let stages = |args: &[&str]| {
        let out = govkg(
            dir.path(),
            &[&["ingest", "--timings"], args, &[data]].concat(),
        );
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let quads = || {
        let out = govkg(
            dir.path(),
            &[
                "query",
                "--format",
                "csv",
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            ],
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .to_string()
    };
    let first = stages(&["--compact", "never"]);
    assert!(first.contains("timing: extract and load: "), "{first}");
    assert!(!first.contains("timing: compaction: "), "{first}");
    let stored = quads();
    // The article again, unchanged: nothing written, nothing to compact.
    assert!(!stages(&[]).contains("timing: compaction: "));
    assert!(stages(&["--compact", "always"]).contains("timing: compaction: "));
    // Compacting changes the files, not what they hold.
    assert_eq!(quads(), stored);
}

#[test]
fn a_bad_file_is_reported_and_the_good_ones_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    std::fs::copy(
        data_dir().join("2024-05-27-shenzhen-weekly.txt"),
        batch.join("a.txt"),
    )
    .unwrap();
    std::fs::write(batch.join("b.txt"), b"").unwrap();
    std::fs::write(batch.join("c.txt"), [0xffu8, 0xfe, 0x00, 0x41, 0x00, 0xd8]).unwrap();
    let store = dir.path().join("store");
    let out = govkg(&store, &["ingest", batch.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("b.txt") && stderr.contains("empty"),
        "{stderr}"
    );
    assert!(stderr.contains("c.txt"), "{stderr}");
    let people = rows(&store, "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?n WHERE { ?p a <http://schema.org/Person> ; rdfs:label ?n }");
    assert!(people.iter().any(|r| r["n"] == "黄伟"));
}

#[test]
fn article_without_a_year_is_ingested_with_a_warning_and_no_invented_dates() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(
        &f,
        "---\npublished: unknown\n---\n9月28日，市委书记某某某出席签约仪式。\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let out = govkg(&store, &["ingest", f.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--published"));
    let dated = rows(
        &store,
        "SELECT ?e WHERE { ?e <http://schema.org/startDate> ?d }",
    );
    assert!(dated.is_empty());
}

#[test]
fn shapes_hold_for_the_bundled_article() {
    let store = ingested_store();
    let out = govkg(store.path(), &["validate"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn remove_takes_an_article_out_and_its_entities_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "---\nurl: http://example.org/a\npublished: 2024-06-02\n---\n罗湖\n5月30日，区长钱小红主持召开区政府常务会议。\n").unwrap();
    std::fs::write(&b, "---\nurl: http://example.org/b\npublished: 2024-06-02\n---\n福田\n5月30日，区长孙立新主持召开区政府常务会议。\n").unwrap();
    let store = dir.path().join("store");
    assert!(govkg(
        &store,
        &["ingest", a.to_str().unwrap(), b.to_str().unwrap()]
    )
    .status
    .success());
    let people = || {
        rows(&store, "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?n WHERE { ?p a <http://schema.org/Person> ; rdfs:label ?n }")
            .into_iter()
            .map(|r| r["n"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(people().len(), 2);
    // By file, then by URL.
    assert!(govkg(&store, &["remove", a.to_str().unwrap()])
        .status
        .success());
    assert_eq!(people(), vec!["孙立新".to_string()]);
    assert!(govkg(&store, &["remove", "http://example.org/b"])
        .status
        .success());
    assert!(people().is_empty());
    assert_eq!(
        govkg(&store, &["remove", "http://example.org/b"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    let store = ingested_store();
    for args in [
        // Enough output (every quad) that writing outlasts the pipe's buffer.
        &[
            "query",
            "--format",
            "csv",
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        ][..],
        &["export", "--format", "nquads"][..],
        &["brief", "--city", "深圳市"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_govkg"))
            .arg("--store")
            .arg(store.path())
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first row is written, as `| head` does.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}

/// The store's quads as N-Quads lines, without those of blank nodes (the
/// vocabulary graph's, labelled anew by each load).
fn named_quads(store: &Path) -> std::collections::BTreeSet<String> {
    let file = store.with_extension("nq");
    let out = govkg(
        store,
        &["export", "--format", "nquads", "-o", file.to_str().unwrap()],
    );
    assert!(out.status.success());
    std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("_:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_batch_ingested_in_two_parts_ends_as_the_whole_batch_at_once() {
    // A 简称 of an organisation node that itself merges onto a full name
    // (a chain of 简称) was merged only by a second pass: a store that already
    // held part of the batch resolved it at once, and ended otherwise.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let part = dir.path().join("part");
    std::fs::create_dir(&part).unwrap();
    // Half articles (five or six district sections), as the crash test cuts them.
    for path in common::generated_corpus(&corpus, 200, 7, 64)
        .iter()
        .take(70)
    {
        std::fs::copy(path, part.join(path.file_name().unwrap())).unwrap();
    }
    let ingest = |store: &Path, from: &Path| {
        let out = govkg(store, &["--no-model", "ingest", from.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let whole = dir.path().join("whole");
    ingest(&whole, &corpus);
    let in_two = dir.path().join("in-two");
    ingest(&in_two, &part);
    ingest(&in_two, &corpus);
    let (a, b) = (named_quads(&whole), named_quads(&in_two));
    let only: Vec<_> = a.symmetric_difference(&b).take(6).collect();
    assert!(only.is_empty(), "the stores differ: {only:#?}");
    assert!(a.len() > 100_000, "{}", a.len());
}

#[test]
fn explain_runs_the_query_and_prints_its_plan_with_the_rows_it_gave() {
    let store = ingested_store();
    let q = common::query_file("meetings.rq");
    let expected = rows(store.path(), &q).len();
    assert!(expected > 0);
    let out = ok(
        govkg(
            store.path(),
            &[
                "query",
                "--explain",
                "--file",
                "ontology/queries/meetings.rq",
            ],
        ),
        "query --explain",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("{expected} rows in ")),
        "{first}"
    );
    // The plan names the patterns it read (an IRI of the ORG or schema.org
    // vocabulary the query joins on), not the results.
    let plan = &text[first.len()..];
    assert!(plan.contains("http://"), "{plan}");
    assert!(!plan.contains("杭州海康威视数字技术股份有限公司"), "{plan}");
}
