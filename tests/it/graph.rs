//! One graph across articles: identities, terms of office, merged events, and
//! the same facts from Traditional-character and HTML versions of an article.
//! The small articles here are invented; their patterns are the genre's.

use crate::common;

use std::path::Path;

use common::{article, ingest, query_file, rows, rows_with, seed_article, table};

const PERSON: &str = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?p ?want WHERE { ?p a <http://schema.org/Person> ; rdfs:label ?name . FILTER(STR(?name) = STR(?want)) }";

/// Organisation nodes known by a name or alternate name.
fn org_nodes(store: &Path, name: &str) -> usize {
    let q = format!(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <http://schema.org/>
         SELECT DISTINCT ?o WHERE {{ ?o a <http://www.w3.org/ns/org#Organization> .
           {{ ?o rdfs:label ?n }} UNION {{ ?o schema:alternateName ?n }} FILTER(STR(?n) = \"{name}\") }}"
    );
    rows(store, &q).len()
}

fn facts(store: &Path) -> Vec<String> {
    let mut all = table(
        store,
        &query_file("posts.rq"),
        &["person", "post", "organization"],
    );
    all.extend(table(
        store,
        &query_file("meetings.rq"),
        &["official", "organization", "date"],
    ));
    all.extend(table(
        store,
        &query_file("participation.rq"),
        &["person", "date", "event_type", "role"],
    ));
    all.extend(table(
        store,
        &query_file("agreements.rq"),
        &["party", "counterparty", "date"],
    ));
    all.extend(table(
        store,
        &query_file("projects.rq"),
        &["project", "district"],
    ));
    all
}

#[test]
fn traditional_characters_give_the_same_facts_and_keep_the_original_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let simplified = std::fs::read_to_string(seed_article()).unwrap();
    let traditional = zhconv::zhconv(&simplified, zhconv::Variant::ZhHant);
    assert_ne!(simplified, traditional);
    let t = dir.path().join("traditional.txt");
    std::fs::write(&t, &traditional).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    ingest(&a, &[&seed_article()]);
    ingest(&b, &[&t]);
    assert_eq!(facts(&a), facts(&b));
    let evidence = rows(
        &b,
        "SELECT ?x WHERE { ?s <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> ?x }",
    );
    assert!(
        evidence.iter().any(|r| r["x"].contains("區委書記")),
        "evidence keeps the Traditional text"
    );
}

#[test]
fn an_html_page_gives_the_same_facts_as_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed_article()).unwrap();
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>深圳一周</title><style>p{color:red}</style>\
         <script>var banner = '区委书记某某主持会议';</script></head><body><nav>首页 | 新闻</nav><article>",
    );
    for line in text.lines() {
        html.push_str(&format!(
            "<p>{}</p>\n",
            line.replace('&', "&amp;").replace('<', "&lt;")
        ));
    }
    html.push_str("</article><footer>版权所有</footer></body></html>");
    let h = dir.path().join("page.html");
    std::fs::write(&h, html).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    ingest(&a, &[&seed_article()]);
    ingest(&b, &[&h]);
    assert_eq!(facts(&a), facts(&b));
}

const FULL: &str =
    "南山\n5月30日，南山区委书记周一鸣率队调研星瀚数字技术股份有限公司(简称“星瀚数字”)。";
const SHORT: &str = "南山\n6月12日，南山区委书记周一鸣会见星瀚数字董事长许长风一行。";

fn identity_case(first_full: bool) {
    let dir = tempfile::tempdir().unwrap();
    let a = article(
        dir.path(),
        "a.txt",
        "http://example.org/a",
        "2024-06-02",
        FULL,
    );
    let b = article(
        dir.path(),
        "b.txt",
        "http://example.org/b",
        "2024-06-16",
        SHORT,
    );
    let store = dir.path().join("store");
    if first_full {
        ingest(&store, &[&a]);
        ingest(&store, &[&b]);
    } else {
        ingest(&store, &[&b]);
        ingest(&store, &[&a]);
    }
    let people = rows_with(&store, PERSON, &["want=周一鸣"]);
    assert_eq!(people.len(), 1, "one node for the official");
    assert_eq!(org_nodes(&store, "星瀚数字技术股份有限公司"), 1);
    assert_eq!(
        org_nodes(&store, "星瀚数字"),
        1,
        "the 简称 names the same node"
    );
    let met = table(
        &store,
        &query_file("meetings.rq"),
        &["official", "organization", "date"],
    );
    assert_eq!(
        met,
        vec![
            "周一鸣 | 星瀚数字技术股份有限公司 | 2024-05-30".to_string(),
            "周一鸣 | 星瀚数字技术股份有限公司 | 2024-06-12".to_string()
        ]
    );
}

#[test]
fn one_node_per_official_and_company_full_name_first() {
    identity_case(true);
}

#[test]
fn one_node_per_official_and_company_short_name_first() {
    identity_case(false);
}

#[test]
fn a_term_of_office_widens_as_articles_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let mid = article(
        dir.path(),
        "m.txt",
        "http://example.org/m",
        "2024-03-10",
        "罗湖\n3月8日，罗湖区委副书记、区长钱小红主持召开区政府常务会议。",
    );
    let early = article(
        dir.path(),
        "e.txt",
        "http://example.org/e",
        "2024-01-07",
        "罗湖\n1月4日，区长钱小红主持召开区政府常务会议。",
    );
    let late = article(
        dir.path(),
        "l.txt",
        "http://example.org/l",
        "2024-06-02",
        "罗湖\n5月30日，区长钱小红调研辖区企业。",
    );
    let store = dir.path().join("store");
    let term = |store: &Path| {
        let q = "PREFIX gk: <https://w3id.org/govkg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
                 SELECT DISTINCT ?first ?last WHERE { ?m org:member ?p ; gk:postTitle ?t ; gk:firstObserved ?first ; gk:lastObserved ?last .
                   FILTER(STR(?t) = \"区长\") }";
        let r = rows(store, q);
        assert_eq!(r.len(), 1, "{r:?}");
        (r[0]["first"].clone(), r[0]["last"].clone())
    };
    ingest(&store, &[&mid]);
    assert_eq!(term(&store), ("2024-03-08".into(), "2024-03-08".into()));
    ingest(&store, &[&late]);
    assert_eq!(term(&store), ("2024-03-08".into(), "2024-05-30".into()));
    ingest(&store, &[&early]);
    assert_eq!(term(&store), ("2024-01-04".into(), "2024-05-30".into()));
    let holders = rows_with(
        &store,
        &query_file("post-holders.rq"),
        &["post=区长", "place=罗湖区", "date=2024-04-01"],
    );
    assert_eq!(holders.len(), 1);
    assert_eq!(holders[0]["person"], "钱小红");
    assert_eq!(holders[0]["status"], "observed in office");
}

#[test]
fn a_change_of_holder_is_visible() {
    let dir = tempfile::tempdir().unwrap();
    let before = article(
        dir.path(),
        "a.txt",
        "http://example.org/a",
        "2024-01-07",
        "罗湖\n1月4日，区长钱小红主持召开区政府常务会议。",
    );
    let after = article(
        dir.path(),
        "b.txt",
        "http://example.org/b",
        "2024-06-02",
        "罗湖\n5月30日，区长孙立新主持召开区政府常务会议。",
    );
    let store = dir.path().join("store");
    ingest(&store, &[&before, &after]);
    let on = |date: &str| {
        rows_with(
            &store,
            &query_file("post-holders.rq"),
            &["post=区长", "place=罗湖区", &format!("date={date}")],
        )
        .into_iter()
        .map(|r| r["person"].clone())
        .collect::<Vec<_>>()
    };
    assert_eq!(on("2024-01-05"), vec!["钱小红"]);
    assert_eq!(on("2024-06-01"), vec!["孙立新"]);
}

#[test]
fn the_same_signing_reported_twice_is_one_event_with_two_sources() {
    let dir = tempfile::tempdir().unwrap();
    let body = "南山\n5月30日，深圳市南山区人民政府与中国华晟工程研究院股份有限公司签署战略合作框架协议。南山区委书记周一鸣出席签约仪式。";
    let a = article(
        dir.path(),
        "a.txt",
        "http://example.org/a",
        "2024-06-02",
        body,
    );
    let b = article(
        dir.path(),
        "b.txt",
        "http://example.org/b",
        "2024-05-31",
        "南山\n5月30日，南山区委书记周一鸣出席深圳市南山区人民政府与中国华晟工程研究院股份有限公司战略合作框架协议签约仪式。",
    );
    let store = dir.path().join("store");
    ingest(&store, &[&a, &b]);
    // Each evidence IRI is its article's, with the offsets as a fragment.
    let q = "PREFIX prov: <http://www.w3.org/ns/prov#>
             SELECT ?e (COUNT(DISTINCT ?src) AS ?sources) WHERE {
               ?e <https://w3id.org/govkg/ontology#eventType> ?t ; prov:wasDerivedFrom ?ev .
               FILTER(STRENDS(STR(?t), \"/event-type/signing\"))
               BIND(STRBEFORE(STR(?ev), \"#char=\") AS ?src) } GROUP BY ?e";
    let r = rows(&store, q);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0]["sources"], "2");
}

#[test]
fn one_organisations_agreements_are_found_whichever_side_its_name_lands_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    ingest(&store, &[&seed_article()]);
    let query = query_file("agreements.rq");
    let all = rows(&store, &query);
    assert!(!all.is_empty());
    for row in &all {
        for side in ["party", "counterparty"] {
            let scoped = rows_with(&store, &query, &[&format!("org={}", row[side])]);
            assert!(
                scoped.iter().any(|r| r["agreement"] == row["agreement"]),
                "?org bound to the {side} {} missed {}",
                row[side],
                row["agreement"]
            );
            assert!(scoped
                .iter()
                .all(|r| r["party"] == row[side] || r["counterparty"] == row[side]));
        }
    }
}
