//! The SPARQL 1.1 Protocol at `/sparql`: queries by GET and POST (form or
//! `application/sparql-query`), `default-graph-uri`/`named-graph-uri`, content
//! negotiation over the W3C result and graph formats, and updates only when the
//! server allows them.

use oxhttp::model::header;
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::model::NamedNode;
use oxigraph::sparql::SparqlEvaluator;

use super::{content, param, query_params, text, App, Params, Refusal};
use crate::query::{self, OutputFormat, QueryError, QueryOptions, ResultsKind};

pub(super) fn handle(app: &App, request: &mut Request<Body>, url_params: Params) -> Response<Body> {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (query, update, params) = match *request.method() {
        Method::GET | Method::HEAD => {
            if param(&url_params, "update").is_some() {
                return text(
                    StatusCode::BAD_REQUEST,
                    "a SPARQL update must be sent by POST",
                );
            }
            let q = param(&url_params, "query").map(str::to_string);
            (q, None, url_params)
        }
        Method::POST => {
            let media_type = request
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let body = match app.read_body(request) {
                Ok(b) => b,
                Err(refusal) => return refusal.into_response(),
            };
            let Ok(body) = String::from_utf8(body) else {
                return text(StatusCode::BAD_REQUEST, "the request body is not UTF-8");
            };
            match media_type.as_str() {
                "application/x-www-form-urlencoded" => {
                    let mut params = query_params(&body);
                    params.extend(url_params);
                    let q = param(&params, "query").map(str::to_string);
                    let u = param(&params, "update").map(str::to_string);
                    (q, u, params)
                }
                "application/sparql-query" => (Some(body), None, url_params),
                "application/sparql-update" => (None, Some(body), url_params),
                other => {
                    return text(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        &format!(
                            "unsupported Content-Type {other:?}: send application/sparql-query, \
                             application/sparql-update or application/x-www-form-urlencoded"
                        ),
                    )
                }
            }
        }
        _ => return text(StatusCode::METHOD_NOT_ALLOWED, "use GET or POST"),
    };
    let graphs = |name: &str| -> Result<Vec<NamedNode>, Refusal> {
        params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| {
                NamedNode::new(v.as_str()).map_err(|e| Refusal {
                    status: StatusCode::BAD_REQUEST,
                    message: format!("{name} {v:?} is not an IRI: {e}"),
                })
            })
            .collect()
    };
    let (default_graphs, named_graphs) =
        match (graphs("default-graph-uri"), graphs("named-graph-uri")) {
            (Ok(d), Ok(n)) => (d, n),
            (Err(r), _) | (_, Err(r)) => return r.into_response(),
        };
    match (query, update) {
        (Some(_), Some(_)) => text(
            StatusCode::BAD_REQUEST,
            "send either a query or an update, not both",
        ),
        (Some(q), None) => {
            let options = QueryOptions::default()
                .with_timeout(app.options.timeout)
                .with_max_rows(app.options.max_rows)
                .with_default_graphs(default_graphs)
                .with_named_graphs(named_graphs);
            let wanted = param(&params, "format").map(str::to_string);
            run_query(app, &q, &options, &accept, wanted.as_deref())
        }
        (None, Some(u)) => run_update(app, &u),
        (None, None) if accept.contains("text/html") => Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, "/query")
            .body(Body::empty())
            .expect("valid response"),
        (None, None) => text(
            StatusCode::BAD_REQUEST,
            "missing the `query` parameter (or `update` by POST)",
        ),
    }
}

/// Runs a query on a worker thread and waits at most the time limit (plus a
/// grace second) for it. Oxigraph checks for cancellation as it reads the store,
/// but a query that only computes (a large cross product) may not notice it: the
/// client gets its 503 on time either way.
fn run_query(
    app: &App,
    q: &str,
    options: &QueryOptions,
    accept: &str,
    wanted: Option<&str>,
) -> Response<Body> {
    use std::sync::atomic::Ordering;
    // A query that ignored its cancellation still holds a core: past this many,
    // new queries are turned away rather than piled on.
    let running = app.running_queries.clone();
    if running.fetch_add(1, Ordering::SeqCst) >= app.options.max_connections {
        running.fetch_sub(1, Ordering::SeqCst);
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many queries are running; try again later",
        );
    }
    let (store, q, options) = (app.store.clone(), q.to_string(), options.clone());
    let (accept, wanted) = (accept.to_string(), wanted.map(str::to_string));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let chosen = query::run_negotiated(
            &store,
            &q,
            &options,
            |kind| match &wanted {
                Some(name) => named_format(name, kind),
                None => negotiate(&accept, kind),
            },
            &mut out,
        );
        running.fetch_sub(1, Ordering::SeqCst);
        let _ = sender.send(chosen.map(|(_, format)| (format, out)));
    });
    let limit = app.options.timeout;
    let chosen = receiver
        .recv_timeout(limit + std::time::Duration::from_secs(1))
        .unwrap_or(Err(QueryError::Timeout(limit)));
    match chosen {
        Ok((format, out)) => content(StatusCode::OK, format.media_type(), out),
        Err(e) => Refusal::from(e).into_response(),
    }
}

fn run_update(app: &App, u: &str) -> Response<Body> {
    if !app.options.allow_update {
        return text(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only: updates are refused (start `govkg serve` with --allow-update to accept them)",
        );
    }
    let prepared = match SparqlEvaluator::new().parse_update(u) {
        Ok(p) => p,
        Err(e) => return text(StatusCode::BAD_REQUEST, &format!("SPARQL syntax: {e}")),
    };
    match prepared.on_store(app.store.inner()).execute() {
        Ok(()) => Response::builder()
            .status(StatusCode::NO_CONTENT)
            .body(Body::empty())
            .expect("valid response"),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("update: {e}")),
    }
}

/// The formats a kind of results can be written in, the server's preference first,
/// with the media types that ask for each.
fn candidates(kind: ResultsKind) -> &'static [(&'static str, OutputFormat)] {
    match kind {
        ResultsKind::Solutions | ResultsKind::Boolean => &[
            ("application/sparql-results+json", OutputFormat::Json),
            ("application/json", OutputFormat::Json),
            ("application/sparql-results+xml", OutputFormat::Xml),
            ("application/xml", OutputFormat::Xml),
            ("text/xml", OutputFormat::Xml),
            ("text/csv", OutputFormat::Csv),
            ("text/tab-separated-values", OutputFormat::Tsv),
        ],
        ResultsKind::Graph => &[
            ("text/turtle", OutputFormat::Turtle),
            ("application/n-triples", OutputFormat::NTriples),
            ("text/plain", OutputFormat::NTriples),
            ("application/ld+json", OutputFormat::JsonLd),
            ("application/json", OutputFormat::JsonLd),
            ("application/rdf+xml", OutputFormat::RdfXml),
            ("application/xml", OutputFormat::RdfXml),
        ],
    }
}

/// A `format=` parameter (used by the workbench's download links).
fn named_format(name: &str, kind: ResultsKind) -> Option<OutputFormat> {
    let format = match name {
        "json" => OutputFormat::Json,
        "xml" => OutputFormat::Xml,
        "csv" => OutputFormat::Csv,
        "tsv" => OutputFormat::Tsv,
        "turtle" | "ttl" => OutputFormat::Turtle,
        "ntriples" | "nt" => OutputFormat::NTriples,
        "jsonld" => OutputFormat::JsonLd,
        "rdfxml" => OutputFormat::RdfXml,
        _ => return None,
    };
    candidates(kind)
        .iter()
        .any(|(_, f)| *f == format)
        .then_some(format)
}

/// Picks a format from an `Accept` header: media ranges in order of quality
/// (then as the client listed them), each matched against the candidates; no
/// header, or `*/*`, gives the server's first choice.
fn negotiate(accept: &str, kind: ResultsKind) -> Option<OutputFormat> {
    let offered = candidates(kind);
    if accept.trim().is_empty() {
        return Some(offered[0].1);
    }
    let mut ranges: Vec<(f32, String)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!range.is_empty() && q > 0.0).then_some((q, range))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.iter().find_map(|(_, range)| {
        offered.iter().find_map(|(media, format)| {
            let matches = match range.split_once('/') {
                Some(("*", "*")) => true,
                Some((ty, "*")) => media.split('/').next() == Some(ty),
                _ => range == media,
            };
            matches.then_some(*format)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers_choose_formats() {
        use OutputFormat::*;
        let sol = ResultsKind::Solutions;
        let graph = ResultsKind::Graph;
        assert_eq!(negotiate("", sol), Some(Json));
        assert_eq!(negotiate("*/*", graph), Some(Turtle));
        assert_eq!(negotiate("text/csv", sol), Some(Csv));
        assert_eq!(
            negotiate(
                "application/sparql-results+xml;q=0.5, text/tab-separated-values",
                sol
            ),
            Some(Tsv)
        );
        assert_eq!(negotiate("application/ld+json", graph), Some(JsonLd));
        assert_eq!(negotiate("text/*", graph), Some(Turtle));
        assert_eq!(negotiate("image/png", sol), None);
        assert_eq!(negotiate("text/csv;q=0, */*;q=0.1", sol), Some(Json));
        // What SPARQLWrapper sends for JSON.
        assert_eq!(
            negotiate(
                "application/sparql-results+json,application/json,text/javascript,application/javascript",
                sol
            ),
            Some(Json)
        );
    }

    #[test]
    fn format_parameter_must_fit_the_results() {
        assert_eq!(
            named_format("csv", ResultsKind::Solutions),
            Some(OutputFormat::Csv)
        );
        assert_eq!(named_format("csv", ResultsKind::Graph), None);
        assert_eq!(
            named_format("jsonld", ResultsKind::Graph),
            Some(OutputFormat::JsonLd)
        );
    }
}
