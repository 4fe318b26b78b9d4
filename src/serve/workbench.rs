//! The workbench: server-rendered HTML pages for analysts — counts and search,
//! one page per entity with its facts and their evidence sentences, a SPARQL
//! editor preloaded with the cookbook queries, and relationship maps. No CDN:
//! the pages, styles and scripts are compiled into the binary.
//!
//! User input reaches SPARQL only as values bound to variables
//! ([`QueryOptions::with_binding`]), never as query text; maud escapes all output.

use std::collections::{BTreeMap, HashMap};

use maud::{html, Markup, PreEscaped, DOCTYPE};
use oxhttp::model::{Body, Response, StatusCode};
use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{QueryResults, QuerySolution};

use super::{content, param, text, App, Params, Refusal};
use crate::graph::{export, Filter, KnowledgeGraph};
use crate::query::{self, QueryError, QueryOptions};
use crate::rdf::ns::SPARQL_PREFIXES as PREFIXES;

const STYLE: &str = include_str!("assets/app.css");
const QUERY_JS: &str = include_str!("assets/query.js");
const MAP_JS: &str = include_str!("assets/map.js");

/// The cookbook queries shown in the editor: (name, text).
const COOKBOOK: &[(&str, &str)] = &[
    (
        "meetings",
        include_str!("../../ontology/queries/meetings.rq"),
    ),
    ("posts", include_str!("../../ontology/queries/posts.rq")),
    (
        "participation",
        include_str!("../../ontology/queries/participation.rq"),
    ),
    (
        "agreements",
        include_str!("../../ontology/queries/agreements.rq"),
    ),
    (
        "projects",
        include_str!("../../ontology/queries/projects.rq"),
    ),
    (
        "post-holders",
        include_str!("../../ontology/queries/post-holders.rq"),
    ),
];

/// A map with more nodes than this is not drawn; the page asks for a narrower one.
const MAP_NODE_LIMIT: usize = 600;

pub(super) fn page(app: &App, path: &str, params: &Params) -> Response<Body> {
    let result = match path {
        "/" => home(app),
        "/search" => search(app, param(params, "q").unwrap_or("").trim()),
        "/entity" => match param(params, "iri").map(NamedNode::new) {
            Some(Ok(iri)) => entity(app, &iri),
            _ => return text(StatusCode::BAD_REQUEST, "expected ?iri=<an entity IRI>"),
        },
        "/article" => match param(params, "iri").map(NamedNode::new) {
            Some(Ok(iri)) => article(app, &iri),
            _ => return text(StatusCode::BAD_REQUEST, "expected ?iri=<an article IRI>"),
        },
        "/query" => Ok(query_page()),
        "/map" => map_page(app, params),
        "/changes" => changes_page(app, params),
        "/brief" => brief_page(app, params),
        "/assets/app.css" => return content(StatusCode::OK, "text/css; charset=utf-8", STYLE),
        "/assets/query.js" => {
            return content(StatusCode::OK, "text/javascript; charset=utf-8", QUERY_JS)
        }
        "/assets/map.js" => {
            return content(StatusCode::OK, "text/javascript; charset=utf-8", MAP_JS)
        }
        _ => {
            return html_response(
                StatusCode::NOT_FOUND,
                layout(
                    "Not found",
                    html! { p { "No page at " code { (path) } "." } },
                ),
            )
        }
    };
    match result {
        Ok(markup) => html_response(StatusCode::OK, markup),
        Err(PageError::NotFound(what)) => html_response(
            StatusCode::NOT_FOUND,
            layout("Not found", html! { p { (what) } }),
        ),
        Err(PageError::Query(e)) => Refusal::from(e).into_response(),
    }
}

enum PageError {
    NotFound(String),
    Query(QueryError),
}

impl From<QueryError> for PageError {
    fn from(e: QueryError) -> Self {
        PageError::Query(e)
    }
}

fn html_response(status: StatusCode, markup: Markup) -> Response<Body> {
    content(status, "text/html; charset=utf-8", markup.into_string())
}

/// Rows of a SELECT, with values bound to variables as `QueryOptions` binds
/// them (never spliced into the query text).
fn select(app: &App, body: &str, bindings: &[(&str, Term)]) -> Result<Vec<Row>, QueryError> {
    let text = format!("{PREFIXES}{body}");
    let options = bindings.iter().fold(
        QueryOptions::default().with_timeout(app.options.timeout),
        |options, (name, value)| options.with_binding(name, value.clone()),
    );
    query::evaluate(&app.store, &text, &options, |r| {
        let QueryResults::Solutions(solutions) = r else {
            return Err(QueryError::Evaluation("not a SELECT".into()));
        };
        solutions
            .map(|s| {
                s.map(Row)
                    .map_err(|e| QueryError::Evaluation(e.to_string()))
            })
            .collect()
    })
}

struct Row(QuerySolution);

impl Row {
    /// A value as text: a literal's lexical form, an IRI's string.
    fn get(&self, var: &str) -> Option<String> {
        self.0.get(var).map(query::term_text)
    }
    fn text(&self, var: &str) -> String {
        self.get(var).unwrap_or_default()
    }
}

/// A form field's value, trimmed; none when empty.
fn field(params: &Params, name: &str) -> Option<String> {
    param(params, name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn href(path: &str, name: &str, value: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish();
    format!("{path}?{query}")
}

fn entity_link(iri: &str, label: &str) -> Markup {
    html! { a href=(href("/entity", "iri", iri)) { (label) } }
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · govkg" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                header {
                    a.brand href="/" { "govkg" }
                    nav {
                        a href="/" { "Home" }
                        a href="/query" { "Query" }
                        a href="/map" { "Map" }
                        a href="/changes" { "Changes" }
                        a href="/brief" { "Brief" }
                    }
                    form action="/search" method="get" {
                        input type="search" name="q" placeholder="Person, organisation, place, project…" aria-label="Search";
                        button type="submit" { "Search" }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// One fact's evidence: the sentence and a link to its article.
struct Cited {
    quote: String,
    article: String,
    url: Option<String>,
}

impl Cited {
    fn from_row(r: &Row) -> Cited {
        Cited {
            quote: r.text("quote"),
            article: r.text("g"),
            url: r.get("url"),
        }
    }
}

fn evidence(cites: &[Cited]) -> Markup {
    html! {
        @for c in cites {
            blockquote.evidence {
                (c.quote)
                " "
                a.source href=(href("/article", "iri", &c.article)) { "[article]" }
                @if let Some(url) = &c.url {
                    " "
                    a.source href=(url) rel="noreferrer" { "[source]" }
                }
            }
        }
    }
}

fn home(app: &App) -> Result<Markup, PageError> {
    let count = |pattern: &str| -> Result<String, QueryError> {
        let rows = select(
            app,
            &format!("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }}"),
            &[],
        )?;
        Ok(rows.first().map(|r| r.text("n")).unwrap_or_default())
    };
    let articles = count("?x a schema:NewsArticle")?;
    let officials = count("?x a gk:Official")?;
    let organisations = count("?x a org:Organization")?;
    let events = count("?x gk:eventType ?kind")?;
    let span = select(
        app,
        "SELECT (MIN(?d) AS ?from) (MAX(?d) AS ?to) WHERE { GRAPH ?g { ?e gk:eventType ?kind ; schema:startDate ?d } }",
        &[],
    )?;
    let (from, to) = span
        .first()
        .map(|r| (r.text("from"), r.text("to")))
        .unwrap_or_default();
    let most_met = select(
        app,
        "SELECT ?o (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?p) AS ?officials) (COUNT(DISTINCT ?c) AS ?contacts)
         WHERE { GRAPH ?g { ?c gk:official ?p ; gk:organization ?o . ?o rdfs:label ?l } }
         GROUP BY ?o ORDER BY DESC(?contacts) ?label LIMIT 10",
        &[],
    )?;
    Ok(layout(
        "Local-government knowledge graph",
        html! {
            dl.counts {
                div { dt { "Articles" } dd { (articles) } }
                div { dt { "Officials" } dd { (officials) } }
                div { dt { "Organisations" } dd { (organisations) } }
                div { dt { "Events" } dd { (events) } }
                div { dt { "Date span" } dd { (from) " – " (to) } }
            }
            form.big-search action="/search" method="get" {
                input type="search" name="q" placeholder="Search people, organisations, places, projects" aria-label="Search";
                button type="submit" { "Search" }
            }
            @if !most_met.is_empty() {
                h2 { "Organisations met most often" }
                table {
                    thead { tr { th { "Organisation" } th { "Officials" } th { "Contacts" } } }
                    tbody {
                        @for r in &most_met {
                            tr {
                                td { (entity_link(&r.text("o"), &r.text("label"))) }
                                td { (r.text("officials")) }
                                td { (r.text("contacts")) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn kind_label(type_iri: &str) -> &'static str {
    match type_iri.rsplit(['#', '/']).next().unwrap_or("") {
        "Person" => "person",
        "Organization" => "organisation",
        "Place" | "AdministrativeArea" => "place",
        "Project" => "project",
        _ => "other",
    }
}

/// The kind of node a govkg IRI names: `contact` for `…/id/contact/…`.
fn fact_kind(iri: &str) -> &str {
    iri.strip_prefix(crate::resolve::ID)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("fact")
}

fn search(app: &App, q: &str) -> Result<Markup, PageError> {
    if q.is_empty() {
        return Ok(layout(
            "Search",
            html! { p { "Type a name (or part of one) above." } },
        ));
    }
    let rows = select(
        app,
        "SELECT ?x (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (SAMPLE(?alias) AS ?aka) (SAMPLE(?pl) AS ?post) WHERE {
           GRAPH ?g {
             VALUES ?t { schema:Person org:Organization schema:AdministrativeArea gk:Project }
             ?x a ?t ; rdfs:label ?l .
             OPTIONAL { ?x schema:alternateName ?alias }
             OPTIONAL { ?m org:member ?x ; gk:postTitle ?title ; org:organization/rdfs:label ?where
                        BIND(CONCAT(STR(?where), STR(?title)) AS ?pl) }
           }
           FILTER(CONTAINS(STR(?l), ?q) || (BOUND(?alias) && CONTAINS(STR(?alias), ?q)))
         } GROUP BY ?x ORDER BY STRLEN(?label) ?label LIMIT 200",
        &[("q", Literal::new_simple_literal(q).into())],
    )?;
    Ok(layout(
        &format!("Search: {q}"),
        html! {
            @if rows.is_empty() {
                p { "Nothing found." }
            } @else {
                table {
                    thead { tr { th { "Name" } th { "Kind" } th { "Also known as" } } }
                    tbody {
                        @for r in &rows {
                            tr {
                                // People who share a name are told apart by a post (`张海涛 · 福田区区委书记`).
                                td { (entity_link(&r.text("x"), &match r.get("post") {
                                    Some(post) => format!("{} · {post}", r.text("label")),
                                    None => r.text("label"),
                                })) }
                                td { (kind_label(&r.text("type"))) }
                                td { (r.text("aka")) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn entity(app: &App, iri: &NamedNode) -> Result<Markup, PageError> {
    let x: Term = iri.clone().into();
    let head = select(
        app,
        "SELECT DISTINCT ?type ?label ?alt WHERE {
           GRAPH ?g { ?x a ?type }
           OPTIONAL { GRAPH ?g { ?x rdfs:label ?label } }
           OPTIONAL { GRAPH ?g2 { ?x schema:alternateName ?alt } }
         }",
        &[("x", x.clone())],
    )?;
    if head.is_empty() {
        return Err(PageError::NotFound(format!(
            "No entity {} in the store.",
            iri.as_str()
        )));
    }
    let label = head
        .iter()
        .find_map(|r| r.get("label"))
        .unwrap_or_else(|| iri.as_str().to_string());
    let types: Vec<String> = head.iter().filter_map(|r| r.get("type")).collect();
    let mut aliases: Vec<String> = head.iter().filter_map(|r| r.get("alt")).collect();
    aliases.sort();
    aliases.dedup();
    let has = |local: &str| types.iter().any(|t| t.ends_with(local));
    let bind = [("x", x)];
    let sections = if has("/Person") {
        person_sections(app, &bind)?
    } else if has("org#Organization") {
        organisation_sections(app, &bind)?
    } else if has("/AdministrativeArea") || has("/Place") {
        place_sections(app, &bind, &label)?
    } else {
        html! {}
    };
    let statements = select(
        app,
        "SELECT DISTINCT ?p ?o ?ol WHERE { GRAPH ?g { ?x ?p ?o } OPTIONAL { GRAPH ?g { ?o rdfs:label ?ol } } } ORDER BY ?p LIMIT 500",
        &bind,
    )?;
    let kinds: Vec<&str> = types
        .iter()
        .map(|t| t.rsplit(['#', '/']).next().unwrap_or(t))
        .collect();
    Ok(layout(
        &label,
        html! {
            p.kinds { (kinds.join(" · ")) }
            @if !aliases.is_empty() {
                p { "Also known as: " (aliases.join("、")) }
            }
            (sections)
            details {
                summary { "All statements (" (statements.len()) ")" }
                table {
                    @for r in &statements {
                        tr {
                            td { (r.text("p")) }
                            td {
                                @match (&r.0.get("o"), r.get("ol")) {
                                    (Some(Term::NamedNode(n)), Some(l)) => (entity_link(n.as_str(), &l)),
                                    (Some(Term::NamedNode(n)), None) => (entity_link(n.as_str(), n.as_str())),
                                    _ => (r.text("o")),
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// Group rows by a key, keeping first-seen order, each group with its evidence.
fn group_cited<K: Ord + Clone>(rows: &[Row], key: impl Fn(&Row) -> K) -> BTreeMap<K, Vec<&Row>> {
    let mut groups: BTreeMap<K, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        groups.entry(key(r)).or_default().push(r);
    }
    groups
}

fn distinct_cites(rows: &[&Row]) -> Vec<Cited> {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .filter(|r| seen.insert((r.text("quote"), r.text("g"))))
        .map(|r| Cited::from_row(r))
        .collect()
}

fn event_kind(r: &Row) -> String {
    r.text("type")
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Which end of a contact the page's entity `?x` is.
#[derive(Clone, Copy)]
enum Side {
    Official,
    Organisation,
}

/// The contacts of `?x` (an official, or an organisation), each with the other
/// end (`?other`, `?label`), date, event kind and evidence.
fn contacts(app: &App, bind: &[(&str, Term)], side: Side) -> Result<Vec<Row>, QueryError> {
    let (this, other) = match side {
        Side::Official => ("gk:official", "gk:organization"),
        Side::Organisation => ("gk:organization", "gk:official"),
    };
    select(
        app,
        &format!(
            "SELECT ?other ?label ?date ?type ?quote ?g ?url WHERE {{
               GRAPH ?g {{
                 ?c {this} ?x ; {other} ?other ; gk:atEvent ?e ; prov:wasDerivedFrom ?ev .
                 ?other rdfs:label ?label .
                 ?ev nif:anchorOf ?quote .
               }}
               OPTIONAL {{ GRAPH ?g {{ ?e schema:startDate ?date }} }}
               OPTIONAL {{ GRAPH ?g {{ ?e gk:eventType ?type }} }}
               OPTIONAL {{ GRAPH ?g {{ ?g schema:url ?url }} }}
             }} ORDER BY ?date ?label"
        ),
        bind,
    )
}

/// One row per date, other end and event kind, with the evidence sentences.
fn contacts_table(rows: &[Row], other_heading: &str) -> Markup {
    let groups = group_cited(rows, |r| {
        (
            r.text("date"),
            r.text("label"),
            r.text("other"),
            event_kind(r),
        )
    });
    html! {
        @if groups.is_empty() { p { "None reported." } }
        table {
            thead { tr { th { "Date" } th { (other_heading) } th { "Event" } th { "Evidence" } } }
            @for ((date, label, iri, kind), rows) in &groups {
                tr.meeting {
                    td.date { (date) }
                    td { (entity_link(iri, label)) }
                    td { (kind) }
                    td { (evidence(&distinct_cites(rows))) }
                }
            }
        }
    }
}

fn person_sections(app: &App, bind: &[(&str, Term)]) -> Result<Markup, PageError> {
    let posts = select(
        app,
        "SELECT ?post ?o ?ol ?seen ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?m org:member ?x ; gk:postTitle ?post ; org:organization ?o ; prov:wasDerivedFrom ?ev .
             ?o rdfs:label ?ol .
             ?ev nif:anchorOf ?quote .
           }
           OPTIONAL { GRAPH ?g { ?m gk:observedOn ?seen } }
           OPTIONAL { GRAPH ?g { ?g schema:url ?url } }
         }",
        bind,
    )?;
    let met = contacts(app, bind, Side::Official)?;
    let events = select(
        app,
        "SELECT ?e ?date ?type ?role ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?e gk:participation ?part ; prov:wasDerivedFrom ?ev .
             ?part gk:participant ?x ; gk:role ?role .
             ?ev nif:anchorOf ?quote .
           }
           OPTIONAL { GRAPH ?g { ?e schema:startDate ?date } }
           OPTIONAL { GRAPH ?g { ?e gk:eventType ?type } }
           OPTIONAL { GRAPH ?g { ?g schema:url ?url } }
         } ORDER BY ?date",
        bind,
    )?;
    let involved = select(
        app,
        "SELECT DISTINCT ?e ?o ?ol WHERE {
           GRAPH ?g { ?e gk:participation ?part . ?part gk:participant ?x . ?e gk:involves ?o . ?o rdfs:label ?ol }
         }",
        bind,
    )?;
    let mut orgs_at: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for r in &involved {
        orgs_at
            .entry(r.text("e"))
            .or_default()
            .push((r.text("o"), r.text("ol")));
    }
    let post_groups = group_cited(&posts, |r| (r.text("ol"), r.text("post"), r.text("o")));
    let event_groups = group_cited(&events, |r| (r.text("date"), r.text("e")));
    Ok(html! {
        h2 { "Posts held" }
        @if post_groups.is_empty() { p { "None reported." } }
        table {
            @for ((holder, title, holder_iri), rows) in &post_groups {
                @let seen: Vec<String> = rows.iter().filter_map(|r| r.get("seen")).collect();
                tr {
                    td {
                        strong { (crate::trace::post_name(holder, title)) }
                        " · "
                        (entity_link(holder_iri, holder))
                        br;
                        span.dates {
                            "observed "
                            (seen.iter().min().cloned().unwrap_or_else(|| "undated".into()))
                            " – "
                            (seen.iter().max().cloned().unwrap_or_default())
                        }
                    }
                    td { (evidence(&distinct_cites(rows))) }
                }
            }
        }
        h2 { "Organisations met" }
        (contacts_table(&met, "Organisation"))
        h2 { "Timeline" }
        @if event_groups.is_empty() { p { "No events reported." } }
        ol.timeline {
            @for ((date, event), rows) in &event_groups {
                @let first = rows[0];
                li {
                    span.date { (if date.is_empty() { "undated" } else { date }) }
                    " "
                    strong { (event_kind(first)) }
                    " · "
                    (first.text("role").rsplit('/').next().unwrap_or_default())
                    @if let Some(orgs) = orgs_at.get(event) {
                        " · "
                        @for (i, (iri, l)) in orgs.iter().enumerate() {
                            @if i > 0 { "、" }
                            (entity_link(iri, l))
                        }
                    }
                    (evidence(&distinct_cites(rows)))
                }
            }
        }
    })
}

fn organisation_sections(app: &App, bind: &[(&str, Term)]) -> Result<Markup, PageError> {
    let met = contacts(app, bind, Side::Organisation)?;
    let agreements = select(
        app,
        "SELECT ?other ?ol ?date ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?a gk:party ?x, ?other ; prov:wasDerivedFrom ?ev .
             FILTER(?other != ?x)
             ?other rdfs:label ?ol .
             ?ev nif:anchorOf ?quote .
           }
           OPTIONAL { GRAPH ?g { ?a gk:signedAt/schema:startDate ?date } }
           OPTIONAL { GRAPH ?g { ?g schema:url ?url } }
         } ORDER BY ?date",
        bind,
    )?;
    let agreement_groups = group_cited(&agreements, |r| {
        (r.text("date"), r.text("ol"), r.text("other"))
    });
    Ok(html! {
        h2 { "Officials who met it" }
        (contacts_table(&met, "Official"))
        @if !agreement_groups.is_empty() {
            h2 { "Agreements" }
            table {
                thead { tr { th { "Date" } th { "With" } th { "Evidence" } } }
                @for ((date, other, other_iri), rows) in &agreement_groups {
                    tr {
                        td.date { (date) }
                        td { (entity_link(other_iri, other)) }
                        td { (evidence(&distinct_cites(rows))) }
                    }
                }
            }
        }
    })
}

fn place_sections(app: &App, bind: &[(&str, Term)], label: &str) -> Result<Markup, PageError> {
    let officials = select(
        app,
        "SELECT ?p ?pl ?post (MIN(?seen) AS ?first) (MAX(?seen) AS ?last) WHERE {
           GRAPH ?g { ?m org:member ?p ; gk:postTitle ?post ; org:organization ?x . ?p rdfs:label ?pl }
           OPTIONAL { GRAPH ?g { ?m gk:observedOn ?seen } }
         } GROUP BY ?p ?pl ?post ORDER BY ?post ?pl",
        bind,
    )?;
    let events = select(
        app,
        "SELECT ?e ?date ?type ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?e schema:location ?x ; prov:wasDerivedFrom ?ev .
             ?ev nif:anchorOf ?quote .
           }
           OPTIONAL { GRAPH ?g { ?e schema:startDate ?date } }
           OPTIONAL { GRAPH ?g { ?e gk:eventType ?type } }
           OPTIONAL { GRAPH ?g { ?g schema:url ?url } }
           FILTER EXISTS { GRAPH ?g { ?e gk:eventType ?kind } }
         } ORDER BY ?date",
        bind,
    )?;
    let projects = select(
        app,
        "SELECT DISTINCT ?p ?pl WHERE { GRAPH ?g { ?p a gk:Project ; schema:containedInPlace ?x ; rdfs:label ?pl } } ORDER BY ?pl",
        bind,
    )?;
    let event_groups = group_cited(&events, |r| (r.text("date"), r.text("e")));
    Ok(html! {
        h2 { "Officials" }
        @if officials.is_empty() { p { "None reported." } }
        table {
            @for r in &officials {
                tr {
                    td { (r.text("post")) }
                    td { (entity_link(&r.text("p"), &r.text("pl"))) }
                    td.dates { (r.text("first")) " – " (r.text("last")) }
                }
            }
        }
        h2 { "Events" }
        @if event_groups.is_empty() { p { "None reported." } }
        ol.timeline {
            @for ((date, _), rows) in &event_groups {
                @let first = rows[0];
                li {
                    span.date { (if date.is_empty() { "undated" } else { date }) }
                    " " strong { (event_kind(first)) }
                    (evidence(&distinct_cites(rows)))
                }
            }
        }
        @if !projects.is_empty() {
            h2 { "Projects" }
            ul {
                @for r in &projects { li { (entity_link(&r.text("p"), &r.text("pl"))) } }
            }
        }
        p { a href=(href("/map", "district", label)) { "Map of " (label) } }
    })
}

fn article(app: &App, iri: &NamedNode) -> Result<Markup, PageError> {
    let g: Term = iri.clone().into();
    let meta = select(
        app,
        "SELECT ?url ?file WHERE { GRAPH ?g { ?g a schema:NewsArticle OPTIONAL { ?g schema:url ?url } OPTIONAL { ?g gk:sourceFile ?file } } }",
        &[("g", g.clone())],
    )?;
    let Some(meta) = meta.first() else {
        return Err(PageError::NotFound(format!(
            "No article {} in the store.",
            iri.as_str()
        )));
    };
    let sentences = select(
        app,
        "SELECT ?ev ?quote ?fact ?fl ?ft WHERE {
           GRAPH ?g {
             ?fact prov:wasDerivedFrom ?ev .
             ?ev nif:anchorOf ?quote .
             OPTIONAL { ?fact rdfs:label ?fl }
             OPTIONAL { ?fact a ?ft }
           }
         }",
        &[("g", g)],
    )?;
    // In the order of the text: the offsets are in the evidence IRI (`#char=b,e`).
    let mut sentences = sentences;
    sentences.sort_by_key(|r| crate::rdf::evidence_offsets(&r.text("ev")));
    let mut by_quote: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for r in &sentences {
        let quote = r.text("quote");
        if by_quote.last().map(|(q, _)| q != &quote).unwrap_or(true) {
            by_quote.push((quote, Vec::new()));
        }
        let fact = r.text("fact");
        // A fact with no label is named by its class, else by the kind of node
        // its IRI says it is (`…/id/contact/…`).
        let name = r.get("fl").unwrap_or_else(|| match r.get("ft") {
            Some(t) => t.rsplit(['#', '/']).next().unwrap_or_default().to_string(),
            None => fact_kind(&fact).to_string(),
        });
        let facts = &mut by_quote.last_mut().expect("pushed above").1;
        if !facts.iter().any(|(f, _)| f == &fact) {
            facts.push((fact, name));
        }
    }
    let url = meta.get("url");
    Ok(layout(
        &meta.get("file").unwrap_or_else(|| iri.as_str().to_string()),
        html! {
            @if let Some(url) = &url { p { "Source: " a href=(url) rel="noreferrer" { (url) } } }
            p { "Graph " code { (iri.as_str()) } }
            h2 { "Evidence sentences" }
            @for (quote, facts) in &by_quote {
                blockquote.evidence { (quote) }
                p.facts {
                    @for (i, (fact, name)) in facts.iter().enumerate() {
                        @if i > 0 { " · " }
                        (entity_link(fact, name))
                    }
                }
            }
        },
    ))
}

fn query_page() -> Markup {
    layout(
        "SPARQL query",
        html! {
            form #query-form {
                label for="cookbook" { "Cookbook: " }
                select #cookbook {
                    @for (name, text) in COOKBOOK {
                        option value=(text) { (name) }
                    }
                }
                textarea #sparql name="query" rows="18" spellcheck="false" { (COOKBOOK[0].1) }
                div.buttons {
                    button type="submit" { "Run" }
                    button type="button" #download-csv { "Download CSV" }
                    button type="button" #download-json { "Download JSON" }
                    span #status {}
                }
            }
            div #results {}
            script src="/assets/query.js" {}
        },
    )
}

fn map_page(app: &App, params: &Params) -> Result<Markup, PageError> {
    let get = |name: &str| field(params, name);
    let (district, person, from, to) = (get("district"), get("person"), get("from"), get("to"));
    let depth = get("depth").and_then(|d| d.parse::<usize>().ok());
    let show_events = get("events").is_some();
    let districts = select(
        app,
        "SELECT DISTINCT ?l WHERE { GRAPH ?g { ?m org:organization ?x . ?x a schema:AdministrativeArea ; rdfs:label ?l } } ORDER BY ?l",
        &[],
    )?;
    let drawing = {
        let filter = Filter::default()
            .with_district(district.clone())
            .with_period(from.clone(), to.clone())
            .with_focus(person.clone())
            .with_depth(depth.or(person.as_ref().map(|_| 2)))
            .with_events_folded(!show_events);
        let aliases = KnowledgeGraph::aliases(&app.store).map_err(store_error)?;
        let g = KnowledgeGraph::from_store(&app.store)
            .map_err(store_error)?
            .filtered(&filter, &aliases);
        let n = g.graph.node_count();
        if n == 0 {
            html! { p { "Nothing matches." } }
        } else if n > MAP_NODE_LIMIT {
            html! { p { "The map has " (n) " nodes, too many to read; choose a district, a person or a shorter period." } }
        } else {
            match export::render_svg(&g, export::Labels::Chinese, false) {
                Ok((svg, renderer)) => {
                    let svg = svg
                        .find("<svg")
                        .map(|i| &svg[i..])
                        .unwrap_or(&svg)
                        .to_string();
                    html! {
                        p.note { (n) " nodes, " (g.graph.edge_count()) " edges; drawn by " (renderer.to_string()) ". Drag to pan, wheel to zoom." }
                        div #map { (PreEscaped(svg)) }
                        script src="/assets/map.js" {}
                    }
                }
                Err(e) => html! { p { "The map could not be drawn: " (e.to_string()) } },
            }
        }
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(layout(
        "Relationship map",
        html! {
            form.map-form action="/map" method="get" {
                (place_select("District ", "district", "(any)", &districts, district.as_deref()))
                label { "Person or organisation " input name="person" value=(value(&person)); }
                label { "From " input type="date" name="from" value=(value(&from)); }
                label { "To " input type="date" name="to" value=(value(&to)); }
                label { input type="checkbox" name="events" value="1" checked[show_events]; " events as nodes" }
                button type="submit" { "Draw" }
            }
            (drawing)
        },
    ))
}

/// A labelled drop-down of the places in `rows` (column `l`), `selected` chosen.
fn place_select(
    label: &str,
    name: &str,
    none: &str,
    rows: &[Row],
    selected: Option<&str>,
) -> Markup {
    html! {
        label { (label) select name=(name) {
            option value="" { (none) }
            @for r in rows {
                @let l = r.text("l");
                option value=(l) selected[selected == Some(l.as_str())] { (l) }
            }
        } }
    }
}

fn store_error(e: crate::store::StoreError) -> PageError {
    PageError::Query(QueryError::Evaluation(e.to_string()))
}

/// The briefing (`govkg brief`) on a district or a city for a period; with
/// `format=html`, the self-contained file the command writes.
fn brief_page(app: &App, params: &Params) -> Result<Markup, PageError> {
    let get = |name: &str| field(params, name);
    let place = get("district")
        .or_else(|| get("city"))
        .or_else(|| get("place"));
    let (from, to) = (get("from"), get("to"));
    // The places that hold posts, and the cities they lie in.
    let places = select(
        app,
        "SELECT DISTINCT ?l WHERE { GRAPH ?g { ?m org:organization ?x . ?x a schema:AdministrativeArea .
           { ?x rdfs:label ?l } UNION { ?x schema:containedInPlace ?c . ?c rdfs:label ?l } } } ORDER BY ?l",
        &[],
    )?;
    let report = match &place {
        None => html! { p { "Choose a district or a city." } },
        Some(name) => {
            let filter =
                crate::brief::BriefFilter::new(name.as_str()).with_period(from.clone(), to.clone());
            match crate::brief::brief(&app.store, &filter) {
                Ok(b) if get("format").as_deref() == Some("html") => {
                    return Ok(PreEscaped(crate::brief::render::html_document(&b)))
                }
                Ok(b) => html! {
                    h2 { (crate::brief::render::title(&b)) }
                    p.note {
                        a href={ (href("/brief", "place", name)) "&from=" (b.from) "&to=" (b.to) "&format=html" } { "The briefing as one HTML file" }
                        " (what " code { "govkg brief" } " writes; " code { "--format pdf" } " prints it)."
                    }
                    (crate::brief::render::html_body(&b, crate::brief::render::Links::Workbench))
                },
                Err(crate::brief::BriefError::Query(e)) => return Err(e.into()),
                Err(e) => html! { p { (e.to_string()) } },
            }
        }
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(layout(
        "Briefing",
        html! {
            style { (PreEscaped(crate::brief::render::STYLE)) }
            form.map-form action="/brief" method="get" {
                (place_select("District or city ", "place", "(choose)", &places, place.as_deref()))
                label { "From " input type="date" name="from" value=(value(&from)); }
                label { "To " input type="date" name="to" value=(value(&to)); }
                button type="submit" { "Brief" }
            }
            p.note { "Without dates: the Monday-to-Sunday week of the place's latest dated activity." }
            (report)
        },
    ))
}

/// Changes of post (`govkg changes`), for a place and from a date.
fn changes_page(app: &App, params: &Params) -> Result<Markup, PageError> {
    let (place, since) = (field(params, "place"), field(params, "since"));
    let filter = crate::changes::ChangeFilter::default()
        .with_place(place.clone())
        .with_since(since.clone());
    let rows = crate::changes::changes(&app.store, &app.options.shared_post_words, &filter)?;
    Ok(layout(
        "Changes of post",
        html! {
            form.map-form action="/changes" method="get" {
                input type="search" name="place" value=(place.as_deref().unwrap_or("")) placeholder="Place or organisation" aria-label="Place";
                input type="date" name="since" value=(since.as_deref().unwrap_or("")) aria-label="Since";
                button type="submit" { "Show" }
            }
            p { "A change needs a later report that says something else: an article that does not mention someone is never a change." }
            @if rows.is_empty() {
                p { "No change of post." }
            } @else {
                table.changes {
                    thead { tr { th { "Date" } th { "Change" } th { "Post" } th { "Person" } th { "Before" } th { "Last seen before" } th { "Evidence" } } }
                    tbody {
                        @for c in &rows {
                            tr {
                                td.date { (c.date) }
                                td { (c.kind) }
                                td { (c.post) }
                                td { (entity_link(&c.person_node, &c.person)) }
                                td { (c.before) }
                                td.date { (c.last_seen_before) }
                                td { (c.evidence) " " @if !c.source.is_empty() { a href=(c.source) rel="noreferrer" { "[source]" } } }
                            }
                        }
                    }
                }
            }
        },
    ))
}
