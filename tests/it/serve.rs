//! `govkg serve` end to end: a real SPARQL client (Python's SPARQLWrapper) and a
//! real browser (headless Chromium) against a server over the store built from
//! `data/`, and the server's limits: read-only, time, result size, body size.
//! `scripts/setup.sh` installs Chromium and SPARQLWrapper.

use crate::common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{govkg, ingest, rows, seed_article};

/// A `govkg serve` child process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(store: &Path, extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_govkg"))
            .arg("--store")
            .arg(store)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start govkg serve");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "govkg serve did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// One HTTP/1.1 exchange: (status, headers in lower case, body).
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) and close before reading a large body.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn get(&self, path: &str, accept: &str) -> Reply {
        self.request("GET", path, &[("Accept", accept)], b"")
    }

    fn post_query(&self, query: &str, accept: &str) -> Reply {
        self.request(
            "POST",
            "/sparql",
            &[
                ("Content-Type", "application/sparql-query"),
                ("Accept", accept),
            ],
            query.as_bytes(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn data_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[&seed_article()]);
    (dir, store)
}

const COUNT_ARTICLES: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a <http://schema.org/NewsArticle> }";

/// The number in the only cell of a CSV answer.
fn csv_number(reply: &Reply) -> u64 {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body.lines().nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn a_sparql_client_gets_the_same_meetings_rows_as_the_command_line() {
    let (_dir, store) = data_store();
    let query = common::query_file("meetings.rq");
    let expected: BTreeSet<Vec<String>> = rows(&store, &query)
        .into_iter()
        .map(|r| {
            [
                "official",
                "organization",
                "date",
                "event_type",
                "evidence",
                "source",
            ]
            .iter()
            .map(|k| r.get(*k).cloned().unwrap_or_default())
            .collect()
        })
        .collect();
    assert!(expected.len() >= 7, "meetings from data/: {expected:?}");

    let server = Server::start(&store, &[]);
    let script = r#"
import json, sys
from SPARQLWrapper import SPARQLWrapper, JSON
client = SPARQLWrapper(sys.argv[1])
client.setQuery(open(sys.argv[2], encoding="utf-8").read())
client.setReturnFormat(JSON)
result = client.query().convert()
names = result["head"]["vars"]
for b in result["results"]["bindings"]:
    print(json.dumps([b.get(n, {}).get("value", "") for n in names], ensure_ascii=False))
"#;
    let query_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/queries/meetings.rq");
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(server.url("/sparql"))
        .arg(&query_path)
        .output()
        .expect("python3 (run scripts/setup.sh)");
    assert!(
        out.status.success(),
        "SPARQLWrapper failed (run scripts/setup.sh to install it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: BTreeSet<Vec<String>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_browser_shows_an_officials_meetings_with_dates_and_evidence() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &[]);
    let iri = "https://w3id.org/govkg/id/person/孟锦锦/place/大鹏新区";
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(server.url(&format!("/entity?iri={}", encode(iri))))
        .output()
        .expect("chromium (run scripts/setup.sh)");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "chromium failed");
    for expected in [
        "孟锦锦",
        "杭州海康威视数字技术股份有限公司",
        "2024-05-29",
        "5月29日,大鹏新区管理委员会与杭州海康威视数字技术股份有限公司达成战略合作",
        "新区党工委副书记、管委会主任孟锦锦出席签约仪式。",
    ] {
        assert!(
            dom.contains(expected),
            "{expected} not in the rendered page"
        );
    }
    // The meeting row holds the organisation, the date and the evidence together.
    assert!(dom
        .split("<tr class=\"meeting\">")
        .skip(1)
        .any(|row| row.contains("杭州海康威视数字技术股份有限公司")
            && row.contains("2024-05-29")
            && row.contains("孟锦锦出席签约仪式")));
}

#[test]
fn workbench_pages_search_and_link_to_entities() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &[]);
    let home = server.get("/", "text/html");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("2024-05-27"),
        "date span on the home page"
    );
    let search = server.get(&format!("/search?q={}", encode("海康威视")), "text/html");
    assert_eq!(search.status, 200);
    assert!(search.body.contains("杭州海康威视数字技术股份有限公司"));
    let org = server.get(
        &format!(
            "/entity?iri={}",
            encode("https://w3id.org/govkg/id/org/杭州海康威视数字技术股份有限公司")
        ),
        "text/html",
    );
    assert!(org.body.contains("孟锦锦"), "the official who met it");
    let map = server.get(&format!("/map?district={}", encode("南山区")), "text/html");
    assert_eq!(map.status, 200);
    assert!(map.body.contains("<svg") && map.body.contains("中国汽车工程研究院股份有限公司"));
    // One week of news shows no change of post.
    let changes = server.get(&format!("/changes?place={}", encode("南山区")), "text/html");
    assert_eq!(changes.status, 200);
    assert!(
        changes.body.contains("No change of post."),
        "{}",
        changes.body
    );
    // The district's briefing for its week: its two officials, the
    // organisation they met, with links to their pages; and the file itself.
    let brief = server.get(
        &format!("/brief?district={}", encode("南山区")),
        "text/html",
    );
    assert_eq!(brief.status, 200);
    for expected in [
        "黄湘岳",
        "李小宁",
        "中国汽车工程研究院股份有限公司",
        "2024-05-27 – 2024-06-02",
        "/entity?iri=",
    ] {
        assert!(brief.body.contains(expected), "{expected} not in /brief");
    }
    let file = server.get(
        &format!("/brief?place={}&format=html", encode("南山区")),
        "text/html",
    );
    assert!(file.body.contains("<style>") && !file.body.contains("/assets/app.css"));
    let unknown = server.get(
        &format!("/brief?district={}", encode("无此区")),
        "text/html",
    );
    assert!(unknown.body.contains("no place named 无此区"));
    let query = server.get("/query", "text/html");
    assert!(
        query.body.contains("gk:official"),
        "cookbook queries preloaded"
    );
    for asset in ["/assets/app.css", "/assets/query.js", "/assets/map.js"] {
        assert_eq!(server.get(asset, "*/*").status, 200, "{asset}");
    }
}

#[test]
fn hostile_search_values_and_iris_are_bound_not_spliced() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &[]);
    let before = csv_number(&server.post_query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "text/csv",
    ));
    for hostile in [
        "\"",
        "'",
        "\" } } DROP ALL; SELECT * WHERE { \"",
        "}} #",
        "a\nb",
        "\\",
        "INSERT DATA { <a:b> <a:b> <a:b> }",
        ") ) ) LIMIT 0 #",
    ] {
        let reply = server.get(&format!("/search?q={}", encode(hostile)), "text/html");
        assert_eq!(reply.status, 200, "{hostile:?}: {}", reply.body);
        let reply = server.get(&format!("/entity?iri={}", encode(hostile)), "text/html");
        assert!(reply.status == 400 || reply.status == 404, "{hostile:?}");
    }
    let reply = server.get(
        &format!("/entity?iri={}", encode("http://x/> } ; DROP ALL ; <y")),
        "text/html",
    );
    assert_eq!(reply.status, 400);
    let after = csv_number(&server.post_query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "text/csv",
    ));
    assert_eq!(before, after);
}

#[test]
fn the_protocol_negotiates_formats_and_honours_the_dataset() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &[]);
    let q = encode(COUNT_ARTICLES);
    let json = server.get(
        &format!("/sparql?query={q}"),
        "application/sparql-results+json",
    );
    assert_eq!(json.status, 200);
    assert!(json
        .header("content-type")
        .unwrap()
        .contains("sparql-results+json"));
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["results"]["bindings"][0]["n"]["value"], "1");
    let xml = server.get(
        &format!("/sparql?query={q}"),
        "application/sparql-results+xml",
    );
    assert!(xml.body.contains("<sparql"));
    let tsv = server.get(&format!("/sparql?query={q}"), "text/tab-separated-values");
    assert!(tsv.body.starts_with("?n"));
    // Form-encoded POST.
    let form = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "text/csv"),
        ],
        format!("query={q}").as_bytes(),
    );
    assert_eq!(csv_number(&form), 1);
    // default-graph-uri: over the vocabulary graph alone there is no article.
    let vocab = encode("https://w3id.org/govkg/graph/vocabulary");
    let only_vocab = server.get(
        &format!("/sparql?query={q}&default-graph-uri={vocab}"),
        "text/csv",
    );
    assert_eq!(csv_number(&only_vocab), 0);
    // named-graph-uri restricts GRAPH patterns.
    let graphs = encode("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
    let named = server.get(
        &format!("/sparql?query={graphs}&named-graph-uri={vocab}"),
        "text/csv",
    );
    assert_eq!(csv_number(&named), 1);
    // Graph results: Turtle by default, JSON-LD on request.
    let construct = "CONSTRUCT { ?a a <http://schema.org/NewsArticle> } WHERE { ?a a <http://schema.org/NewsArticle> }";
    let ttl = server.post_query(construct, "*/*");
    assert!(ttl
        .header("content-type")
        .unwrap()
        .starts_with("text/turtle"));
    let jsonld = server.post_query(construct, "application/ld+json");
    assert_eq!(jsonld.status, 200);
    let v: serde_json::Value = serde_json::from_str(&jsonld.body).unwrap();
    assert!(v.to_string().contains("NewsArticle"));
    // An unacceptable format and bad syntax are clear errors.
    assert_eq!(server.post_query(COUNT_ARTICLES, "image/png").status, 406);
    assert_eq!(server.post_query("SELEKT nothing", "text/csv").status, 400);
    // No CORS headers unless asked for.
    assert!(json.header("access-control-allow-origin").is_none());
}

#[test]
fn updates_are_refused_unless_allowed() {
    let (_dir, store) = data_store();
    let update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }";
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x> { ?s ?p ?o } }";
    {
        let server = Server::start(&store, &[]);
        let reply = server.request(
            "POST",
            "/sparql",
            &[("Content-Type", "application/sparql-update")],
            update.as_bytes(),
        );
        assert_eq!(reply.status, 403);
        assert!(reply.body.contains("--allow-update"));
        let form = server.request(
            "POST",
            "/sparql",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            format!("update={}", encode(update)).as_bytes(),
        );
        assert_eq!(form.status, 403);
        assert_eq!(csv_number(&server.post_query(count, "text/csv")), 0);
    }
    let server = Server::start(&store, &["--allow-update", "--cors", "*"]);
    let reply = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-update")],
        update.as_bytes(),
    );
    assert_eq!(reply.status, 204, "{}", reply.body);
    let after = server.post_query(count, "text/csv");
    assert_eq!(csv_number(&after), 1);
    assert_eq!(after.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn a_query_over_the_time_limit_gets_an_error_not_a_hung_connection() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &["--timeout", "1"]);
    let started = Instant::now();
    let reply = server.post_query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "text/csv",
    );
    let took = started.elapsed();
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(reply.body.contains("cancelled"), "{}", reply.body);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    // The server still answers afterwards.
    assert_eq!(
        csv_number(&server.post_query(COUNT_ARTICLES, "text/csv")),
        1
    );
}

#[test]
fn results_over_the_size_limit_are_refused() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &["--max-rows", "10"]);
    let reply = server.post_query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "text/csv");
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("more than 10 rows"));
    let small = server.post_query(
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10",
        "text/csv",
    );
    assert_eq!(small.status, 200);
}

#[test]
fn a_twenty_megabyte_body_gets_413() {
    let (_dir, store) = data_store();
    let server = Server::start(&store, &[]);
    let mut body = b"SELECT * WHERE { ?s ?p ?o } #".to_vec();
    body.resize(20 * 1024 * 1024, b'x');
    let reply = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        &body,
    );
    assert_eq!(reply.status, 413);
    assert_eq!(
        csv_number(&server.post_query(COUNT_ARTICLES, "text/csv")),
        1
    );
}

#[test]
fn ingest_into_a_served_store_fails_at_once_with_directions() {
    let (_dir, store) = data_store();
    let _server = Server::start(&store, &[]);
    let started = Instant::now();
    let out = govkg(&store, &["ingest", &seed_article().display().to_string()]);
    assert!(!out.status.success());
    assert!(started.elapsed() < Duration::from_secs(10));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("govkg serve"), "{err}");
}
