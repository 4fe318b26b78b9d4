//! Query: SPARQL over the store, with the union of all article graphs as the
//! default graph, written as a terminal table or in the W3C result formats
//! (SPARQL JSON/XML/CSV/TSV; Turtle or N-Triples for CONSTRUCT and DESCRIBE).

use std::io::Write;
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};

use crate::store::GraphStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    NTriples,
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("SPARQL syntax: {0}")]
    Syntax(String),
    #[error("evaluation: {0}")]
    Evaluation(String),
    #[error("query ran longer than {0:?} and was cancelled")]
    Timeout(Duration),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Options for one query run.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    timeout: Option<Duration>,
    bindings: Vec<(String, Term)>,
}

impl QueryOptions {
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Binds `?name` to a value before evaluation (user input never enters the query text).
    pub fn with_binding(mut self, name: &str, value: impl Into<Term>) -> Self {
        self.bindings.push((name.to_string(), value.into()));
        self
    }
}

/// Evaluates `query` and hands the results to `f`.
pub fn evaluate<T>(
    store: &GraphStore,
    query: &str,
    options: &QueryOptions,
    f: impl FnOnce(QueryResults<'_>) -> Result<T, QueryError>,
) -> Result<T, QueryError> {
    let token = CancellationToken::new();
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(token.clone())
        .parse_query(query)
        .map_err(|e| QueryError::Syntax(e.to_string()))?;
    prepared.dataset_mut().set_default_graph_as_union();
    for (name, value) in &options.bindings {
        let var =
            oxigraph::sparql::Variable::new(name).map_err(|e| QueryError::Syntax(e.to_string()))?;
        prepared = prepared.substitute_variable(var, value.clone());
    }
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let timer = options.timeout.map(|t| {
        let token = token.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let step = Duration::from_millis(20);
            let mut waited = Duration::ZERO;
            while waited < t {
                if done.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(step);
                waited += step;
            }
            token.cancel();
        })
    });
    let result = prepared
        .on_store(store.inner())
        .execute()
        .map_err(|e| classify(e.to_string(), options.timeout))
        .and_then(f);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(t) = timer {
        let _ = t.join();
    }
    result
}

fn classify(message: String, timeout: Option<Duration>) -> QueryError {
    match timeout {
        Some(t) if message.to_lowercase().contains("cancel") => QueryError::Timeout(t),
        _ => QueryError::Evaluation(message),
    }
}

/// Runs a query and writes its results; returns the number of rows (or triples).
pub fn run(
    store: &GraphStore,
    query: &str,
    format: OutputFormat,
    options: &QueryOptions,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let timeout = options.timeout;
    evaluate(store, query, options, |results| match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for s in solutions {
                rows.push(s.map_err(|e| classify(e.to_string(), timeout))?);
            }
            let n = rows.len();
            match results_format(format) {
                Some(f) => {
                    let mut ser = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut *out, variables)?;
                    for r in &rows {
                        ser.serialize(r)?;
                    }
                    ser.finish()?;
                }
                None => write_table(
                    out,
                    &variables
                        .iter()
                        .map(|v| v.as_str().to_string())
                        .collect::<Vec<_>>(),
                    &rows,
                )?,
            }
            Ok(n)
        }
        QueryResults::Boolean(b) => {
            match results_format(format) {
                Some(f) => {
                    QueryResultsSerializer::from_format(f)
                        .serialize_boolean_to_writer(&mut *out, b)?;
                }
                None => writeln!(out, "{b}")?,
            }
            Ok(1)
        }
        QueryResults::Graph(triples) => {
            let rdf = match format {
                OutputFormat::NTriples | OutputFormat::Tsv | OutputFormat::Csv => {
                    RdfFormat::NTriples
                }
                _ => RdfFormat::Turtle,
            };
            let mut ser = RdfSerializer::from_format(rdf)
                .with_prefix("gk", crate::rdf::ns::GK)
                .and_then(|s| s.with_prefix("schema", crate::rdf::ns::SCHEMA))
                .and_then(|s| s.with_prefix("org", crate::rdf::ns::ORG))
                .and_then(|s| s.with_prefix("prov", crate::rdf::ns::PROV))
                .map_err(|e| QueryError::Evaluation(e.to_string()))?
                .for_writer(&mut *out);
            let mut n = 0;
            for t in triples {
                ser.serialize_triple(&t.map_err(|e| classify(e.to_string(), timeout))?)?;
                n += 1;
            }
            ser.finish()?;
            Ok(n)
        }
    })
}

fn results_format(format: OutputFormat) -> Option<QueryResultsFormat> {
    match format {
        OutputFormat::Csv => Some(QueryResultsFormat::Csv),
        OutputFormat::Tsv => Some(QueryResultsFormat::Tsv),
        OutputFormat::Json => Some(QueryResultsFormat::Json),
        OutputFormat::Xml => Some(QueryResultsFormat::Xml),
        _ => None,
    }
}

/// A value given on the command line: a `YYYY-MM-DD` date becomes an `xsd:date`,
/// `<…>` an IRI, anything else a plain string. The value is never parsed as SPARQL.
pub fn parse_binding(value: &str) -> Term {
    use oxigraph::model::{vocab::xsd, Literal, NamedNode};
    if let Some(iri) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        if let Ok(n) = NamedNode::new(iri) {
            return n.into();
        }
    }
    if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
        return Literal::new_typed_literal(value, xsd::DATE).into();
    }
    Literal::new_simple_literal(value).into()
}

/// A term as a person reads it: literal values bare, IRIs in angle brackets.
pub fn display_term(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => format!("<{}>", n.as_str()),
        other => other.to_string(),
    }
}

fn write_table(
    out: &mut dyn Write,
    headers: &[String],
    rows: &[oxigraph::sparql::QuerySolution],
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.values()
                .iter()
                .map(|v| {
                    v.as_ref()
                        .map(display_term)
                        .unwrap_or_default()
                        .replace(['\n', '\r', '\t'], " ")
                })
                .collect()
        })
        .collect();
    let table = crate::table::Table::new(headers.to_vec(), cells);
    table.write(out)?;
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
