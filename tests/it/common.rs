//! Helpers shared by the end-to-end tests: run the binary, read CSV rows.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn govkg(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govkg"))
        .arg("--store")
        .arg(store)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run govkg")
}

/// `out` of a run of the binary, which must have succeeded (`what` names the
/// run in the failure, with its stderr).
pub fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Generates `articles` articles (`govkg generate`, seeded) into `out`, each
/// cut to its first `lines` lines (front matter included); their paths, in
/// name order.
pub fn generated_corpus(out: &Path, articles: usize, seed: u64, lines: usize) -> Vec<PathBuf> {
    let generated = Command::new(env!("CARGO_BIN_EXE_govkg"))
        .args(["generate", "--articles", &articles.to_string()])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(out)
        .output()
        .expect("run govkg generate");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let cut: Vec<&str> = text.lines().take(lines).collect();
        std::fs::write(path, cut.join("\n") + "\n").unwrap();
    }
    files
}

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

pub fn seed_article() -> PathBuf {
    data_dir().join("2024-05-27-shenzhen-weekly.txt")
}

pub fn query_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ontology/queries")
            .join(name),
    )
    .unwrap()
}

/// Ingests `paths` into `store`, asserting success.
pub fn ingest(store: &Path, paths: &[&Path]) {
    let mut args = vec!["ingest"];
    let owned: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(owned.iter().map(String::as_str));
    let out = govkg(store, &args);
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a query and returns its CSV rows as maps from column to value.
pub fn rows(store: &Path, query: &str) -> Vec<HashMap<String, String>> {
    rows_with(store, query, &[])
}

pub fn rows_with(store: &Path, query: &str, bindings: &[&str]) -> Vec<HashMap<String, String>> {
    let mut args = vec!["query", "--format", "csv"];
    for b in bindings {
        args.push("--bind");
        args.push(b);
    }
    args.push(query);
    let out = govkg(store, &args);
    assert!(
        out.status.success(),
        "query failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The rows of a query as sorted lines of the given columns.
pub fn table(store: &Path, query: &str, columns: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = rows(store, query)
        .into_iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.get(*c).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

pub fn count_quads(store: &Path) -> usize {
    let r = rows(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    );
    r[0]["n"].parse().unwrap()
}

/// Writes an article file with front matter.
pub fn article(dir: &Path, name: &str, url: &str, published: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!("---\nurl: {url}\npublished: {published}\n---\n{body}\n"),
    )
    .unwrap();
    p
}

/// The five competency queries (`ontology/queries/NAME.rq`) the scorer reads.
pub const COOKBOOK: &[&str] = &[
    "posts",
    "meetings",
    "participation",
    "agreements",
    "projects",
];

/// A cookbook query's CSV rows (`ontology/queries/NAME.rq`), every column, as a
/// sorted multiset (duplicates kept): what two stores must agree on.
pub fn answers(store: &Path, name: &str) -> Vec<Vec<String>> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ontology/queries")
        .join(format!("{name}.rq"));
    let out = govkg(
        store,
        &["query", "--format", "csv", "--file", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    rows.sort();
    rows
}
