//! Post changes on generated weeks: `govkg changes` finds the posts the
//! generator handed to someone else (its truth: a post reported with one holder,
//! then with another), and a week in which no post changed hands adds no change.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::govkg;

const ARTICLES: usize = 300;

/// (post, before, after) of each `new-holder` change the store shows.
fn new_holders(store: &Path, extra: &[&str]) -> BTreeSet<(String, String, String)> {
    let mut args = vec!["changes", "--format", "json"];
    args.extend_from_slice(extra);
    let out = govkg(store, &args);
    assert!(
        out.status.success(),
        "changes: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter()
        .filter(|r| r["kind"] == "new-holder")
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("post"), text("before"), text("person"))
        })
        .collect()
}

/// A planted turnover: (date, post, before, after).
type Turnover = (String, String, String, String);

/// The generator's truth, one turnover per line.
fn planted(path: &Path) -> Vec<Turnover> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
}

fn generate(dir: &Path) -> (Vec<PathBuf>, Vec<Turnover>) {
    let corpus = dir.join("corpus");
    let truth = dir.join("turnovers.tsv");
    let out = govkg(
        &dir.join("unused"),
        &[
            "generate",
            "--articles",
            &ARTICLES.to_string(),
            "--seed",
            "3",
            "--out",
            corpus.to_str().unwrap(),
            "--turnovers",
            truth.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    (files, planted(&truth))
}

fn ingest(store: &Path, files: &[PathBuf]) {
    let mut args = vec!["--no-model".to_string(), "ingest".to_string()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = govkg(store, &args);
    assert!(
        out.status.success(),
        "ingest: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_planted_turnover_is_found_and_little_else() {
    let dir = tempfile::tempdir().unwrap();
    let (files, truth) = generate(dir.path());
    assert!(truth.len() >= 10, "{} turnovers planted", truth.len());
    let store = dir.path().join("store");
    ingest(&store, &files);
    let found = new_holders(&store, &[]);
    let wanted: BTreeSet<(String, String, String)> = truth
        .iter()
        .map(|(_, post, before, after)| (post.clone(), before.clone(), after.clone()))
        .collect();
    let hits = found.intersection(&wanted).count();
    let (recall, precision) = (
        hits as f64 / wanted.len() as f64,
        hits as f64 / found.len().max(1) as f64,
    );
    println!(
        "changes on {ARTICLES} generated articles: {} turnovers planted, {} new holders reported, recall {recall:.3}, precision {precision:.3}",
        wanted.len(),
        found.len()
    );
    let missed: Vec<_> = wanted.difference(&found).collect();
    assert!(missed.is_empty(), "missed: {missed:?}");
    let extra: Vec<_> = found.difference(&wanted).collect();
    assert!(
        precision >= 0.95,
        "precision {precision:.3}; extra: {extra:?}"
    );
}

#[test]
fn a_week_in_which_no_post_changed_hands_adds_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let (files, truth) = generate(dir.path());
    // The weekly articles of one series come every sixth file; its last week
    // with no turnover dated in it is ingested after all the others.
    let store = dir.path().join("store");
    let body = |f: &PathBuf| std::fs::read_to_string(f).unwrap();
    let published = |f: &PathBuf| {
        body(f)
            .lines()
            .find_map(|l| l.strip_prefix("published: ").map(str::to_string))
            .unwrap()
    };
    let quiet = files
        .iter()
        .rev()
        .find(|f| {
            let sunday = published(f);
            let monday = chrono::NaiveDate::parse_from_str(&sunday, "%Y-%m-%d").unwrap()
                - chrono::Days::new(6);
            !truth
                .iter()
                .any(|(d, ..)| d >= &monday.to_string() && d <= &sunday)
        })
        .expect("a week with no turnover")
        .clone();
    let others: Vec<PathBuf> = files.iter().filter(|f| **f != quiet).cloned().collect();
    ingest(&store, &others);
    let before = new_holders(&store, &[]);
    ingest(&store, std::slice::from_ref(&quiet));
    let after = new_holders(&store, &[]);
    assert_eq!(before, after, "{} changed the changes", quiet.display());
    assert!(!before.is_empty());
}
