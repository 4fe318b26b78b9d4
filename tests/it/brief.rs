//! `govkg brief`: the briefing on a city for a week says what the cookbook
//! queries say for that week and place — the same officials, contacts and
//! agreements — and no other city's; its HTML holds them once Chromium has
//! parsed it, and its PDF's text holds them (`pdftotext`).

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{govkg, ingest, rows, rows_with};
use serde_json::Value;

/// The bundled week in Shenzhen (2024-05-27…06-02) and 30 generated weeks of
/// other cities (from 2019-01-07, one article per city and week).
fn store_with_cities(dir: &Path) -> std::path::PathBuf {
    let generated = dir.join("generated");
    let out = govkg(
        &dir.join("unused"),
        &[
            "generate",
            "--articles",
            "30",
            "--seed",
            "2",
            "--out",
            generated.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = dir.join("store");
    ingest(&store, &[&common::seed_article(), &generated]);
    store
}

fn brief_json(store: &Path, args: &[&str]) -> Value {
    let mut all = vec!["brief", "--format", "json", "--no-map"];
    all.extend_from_slice(args);
    let out = govkg(store, &all);
    assert!(
        out.status.success(),
        "brief failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("brief --format json")
}

fn strings(v: &Value, path: &[&str]) -> Vec<String> {
    let mut v = v;
    for key in path {
        v = &v[*key];
    }
    v.as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The labels of a place and the places within it: the test's own statement
/// of "in the city", written apart from the briefing's.
fn labels_within(store: &Path, city: &str) -> BTreeSet<String> {
    rows_with(
        store,
        "PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT DISTINCT ?l WHERE { GRAPH ?g { ?x schema:containedInPlace* ?c . ?c rdfs:label ?city . ?x rdfs:label ?l } }",
        &[&format!("city={city}")],
    )
    .into_iter()
    .map(|r| r["l"].clone())
    .collect()
}

/// What the cookbook says about a city's week: (officials, contacts,
/// agreements), from the articles whose address passes `source`.
fn cookbook_week(
    store: &Path,
    city: &str,
    from: &str,
    to: &str,
    source: impl Fn(&str) -> bool,
) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let in_week = |d: &str| d >= from && d <= to;
    let places = labels_within(store, city);
    // Officials: who took part in the week's events and holds a post in the city.
    let holders: BTreeSet<String> = rows(store, &common::query_file("posts.rq"))
        .into_iter()
        .filter(|r| places.contains(&r["organization"]))
        .map(|r| r["person"].clone())
        .collect();
    let officials = rows(store, &common::query_file("participation.rq"))
        .into_iter()
        .filter(|r| in_week(&r["date"]) && holders.contains(&r["person"]))
        .map(|r| r["person"].clone())
        .collect();
    let contacts = rows(store, &common::query_file("meetings.rq"))
        .into_iter()
        .filter(|r| in_week(&r["date"]) && source(&r["source"]))
        .map(|r| format!("{} | {} | {}", r["date"], r["official"], r["organization"]))
        .collect();
    let agreements = rows(store, &common::query_file("agreements.rq"))
        .into_iter()
        .filter(|r| in_week(&r["date"]) && source(&r["source"]))
        .map(|r| {
            let mut parties = [r["party"].clone(), r["counterparty"].clone()];
            parties.sort();
            format!("{} | {}", r["date"], parties.join(" · "))
        })
        .collect();
    (officials, contacts, agreements)
}

/// What the briefing says: (officials, contacts, agreements).
fn briefed(b: &Value) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let list = |key: &str| b[key].as_array().cloned().unwrap_or_default();
    let officials = list("officials")
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect();
    let contacts = list("contacts")
        .iter()
        .map(|c| {
            format!(
                "{} | {} | {}",
                c["date"].as_str().unwrap(),
                c["official"].as_str().unwrap(),
                c["organization"].as_str().unwrap()
            )
        })
        .collect();
    let agreements = list("agreements")
        .iter()
        .map(|a| {
            let mut parties = strings(a, &["parties"]);
            parties.sort();
            format!("{} | {}", a["date"].as_str().unwrap(), parties.join(" · "))
        })
        .collect();
    (officials, contacts, agreements)
}

/// Briefs a city for a week and checks it against the cookbook; returns the briefing.
fn assert_briefed_as_cookbook(
    store: &Path,
    city: &str,
    (from, to): (&str, &str),
    source: impl Fn(&str) -> bool,
) -> Value {
    let b = brief_json(store, &["--city", city, "--from", from, "--to", to]);
    let expected = cookbook_week(store, city, from, to, source);
    assert!(
        !expected.0.is_empty() && !expected.1.is_empty(),
        "{city}: {expected:?}"
    );
    let got = briefed(&b);
    assert_eq!(got.0, expected.0, "officials of {city}");
    assert_eq!(got.1, expected.1, "contacts of {city}");
    assert_eq!(got.2, expected.2, "agreements of {city}");
    b
}

#[test]
fn a_city_briefing_matches_the_cookbook_for_its_week_and_no_other_city() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_cities(dir.path());

    // Shenzhen's week: the bundled article is the only one in it.
    let b = assert_briefed_as_cookbook(&store, "深圳市", ("2024-05-27", "2024-06-02"), |_| true);
    assert!(b["contacts"].as_array().unwrap().len() >= 5);
    assert!(b["agreements"].as_array().unwrap().len() >= 3);
    // Every fact carries its sentence.
    for c in b["contacts"].as_array().unwrap() {
        assert!(!c["cite"]["quote"].as_str().unwrap().is_empty());
    }

    // A generated city's first week, which every other generated city shares:
    // only its own article's facts are briefed. The title names the city by
    // its short name (`宝鸡一周`).
    let first = std::fs::read_to_string(dir.path().join("generated/00000.txt")).unwrap();
    let short = first
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .and_then(|t| t.split_once("一周"))
        .map(|(s, _)| s.to_string())
        .unwrap();
    let city = format!("{short}市");
    let b = assert_briefed_as_cookbook(&store, &city, ("2019-01-07", "2019-01-13"), |url| {
        url == "https://example.org/weekly/0/0"
    });
    // Every week of the chart ends a week before the next.
    assert_eq!(
        strings(&b, &["weekly_contacts", "weeks"])
            .last()
            .map(String::as_str),
        Some("2019-01-07")
    );
}

/// The done-when of the briefing: on the development corpus (38 articles,
/// several of them Shenzhen weeks of other years and other cities' news), the
/// Shenzhen briefing for 2024-05-27…06-02 says what the cookbook says.
#[test]
fn the_shenzhen_briefing_on_the_development_corpus_matches_the_cookbook() {
    let corpus = std::env::var_os("GOVKG_DEV_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/corpus"));
    let articles: Vec<std::path::PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e} (set GOVKG_DEV_CORPUS)", corpus.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    assert!(articles.len() >= 30, "{} articles", articles.len());
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let refs: Vec<&Path> = articles.iter().map(|p| p.as_path()).collect();
    ingest(&store, &refs);
    let b = assert_briefed_as_cookbook(&store, "深圳市", ("2024-05-27", "2024-06-02"), |_| true);
    assert!(b["contacts"].as_array().unwrap().len() >= 5);
    assert!(b["agreements"].as_array().unwrap().len() >= 3);
}

#[test]
fn a_briefing_names_an_unknown_place_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[&common::seed_article()]);
    let out = govkg(&store, &["brief", "--district", "无此区"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("无此区"));
    let out = govkg(&store, &["brief", "--city", "深圳市", "--format", "pdf"]);
    assert!(!out.status.success(), "a PDF needs a file to go to");
}

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    Command::new("chromium")
        .args(govkg::brief::pdf::HEADLESS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium (run scripts/setup.sh)")
}

/// Text without its white space: PDF text breaks lines inside table cells.
fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_briefing_file_holds_the_week_in_a_browser_and_in_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[&common::seed_article()]);
    let b = brief_json(&store, &["--city", "深圳市"]);
    assert_eq!(
        (b["from"].as_str(), b["to"].as_str()),
        (Some("2024-05-27"), Some("2024-06-02")),
        "without dates, the Monday-to-Sunday week of the latest dated activity"
    );
    let (officials, _, _) = briefed(&b);
    let contacts = b["contacts"].as_array().unwrap().clone();
    assert!(officials.len() >= 10 && contacts.len() >= 5);

    // The HTML, as Chromium reads it: every official's section, every contact's row.
    let html = dir.path().join("brief.html");
    let out = govkg(
        &store,
        &["brief", "--city", "深圳市", "-o", html.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        !text.contains("src=\"http") && !text.contains("href=\"/assets"),
        "self-contained"
    );
    let profile = tempfile::tempdir().unwrap();
    let out = chromium(
        &["--dump-dom", &format!("file://{}", html.display())],
        profile.path(),
    );
    assert!(out.status.success(), "chromium failed");
    let dom = String::from_utf8_lossy(&out.stdout);
    for name in &officials {
        assert!(
            dom.split("<section class=\"official\"")
                .skip(1)
                .any(|s| s.contains(&format!(">{name}<"))),
            "{name} has no section"
        );
    }
    let rows: Vec<&str> = dom.split("<tr class=\"contact\"").skip(1).collect();
    assert_eq!(rows.len(), contacts.len());
    for c in &contacts {
        let (official, org, date) = (
            c["official"].as_str().unwrap(),
            c["organization"].as_str().unwrap(),
            c["date"].as_str().unwrap(),
        );
        assert!(
            rows.iter()
                .any(|r| r.contains(official) && r.contains(org) && r.contains(date)),
            "no row for {official} · {org} · {date}"
        );
    }
    assert!(
        dom.contains("<svg class=\"chart\""),
        "the chart of contacts per week"
    );
    assert!(dom.contains("class=\"brief-map\""), "the map");

    // The PDF: it opens, and its text holds the officials and the organisations met.
    let pdf = dir.path().join("brief.pdf");
    let out = govkg(
        &store,
        &[
            "brief",
            "--city",
            "深圳市",
            "--format",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; run scripts/setup.sh)");
    assert!(out.status.success(), "pdftotext could not read the PDF");
    let text = squeezed(&String::from_utf8_lossy(&out.stdout));
    for name in &officials {
        assert!(text.contains(name.as_str()), "{name} not in the PDF");
    }
    for c in &contacts {
        let org = squeezed(c["organization"].as_str().unwrap());
        assert!(text.contains(&org), "{org} not in the PDF");
    }
}
