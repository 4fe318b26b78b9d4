//! Query latency in one process (`govkg time-queries`, `scripts/bench.sh`):
//! each cookbook query over the whole store and scoped as an analyst's page
//! asks it (one variable bound), and `trace --official`, each run repeatedly;
//! p50 and p99 of the runs.

use std::time::Instant;

use oxigraph::model::Term;

use crate::query::{self, OutputFormat, QueryError, QueryOptions};
use crate::store::GraphStore;
use crate::trace::{self, TraceFilter};

/// What to time.
#[derive(Debug, Clone, Default)]
pub struct TimingPlan {
    runs: usize,
    queries: Vec<(String, String)>,
    scopes: Vec<(String, Term)>,
    official: Option<String>,
    scoped_only: bool,
}

/// One timed query or trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// The query's file name, with the bound variable when scoped.
    pub label: String,
    /// Rows of the last run.
    pub rows: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl TimingPlan {
    /// Each job runs `runs` times (at least once).
    pub fn new(runs: usize) -> TimingPlan {
        TimingPlan {
            runs: runs.max(1),
            ..Default::default()
        }
    }

    /// A query, by name (its file name) and text.
    pub fn with_query(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.queries.push((name.into(), text.into()));
        self
    }

    /// Also times each query that selects `?var` with it bound to `value`.
    pub fn with_scope(mut self, var: impl Into<String>, value: Term) -> Self {
        self.scopes.push((var.into(), value));
        self
    }

    /// Scopes the queries to one official (their `?person` or `?official`
    /// bound to the name) and times `trace --official NAME`.
    pub fn with_official(mut self, name: &str) -> Self {
        for column in ["person", "official"] {
            self = self.with_scope(column, query::parse_binding(name));
        }
        self.official = Some(name.to_string());
        self
    }

    /// Only the scoped queries and the trace, not the full tables.
    pub fn with_scoped_only(mut self, scoped_only: bool) -> Self {
        self.scoped_only = scoped_only;
        self
    }

    /// Runs the plan, handing each job's timing to `done` as it finishes (the
    /// full tables of a large store take minutes).
    pub fn run(
        &self,
        store: &GraphStore,
        mut done: impl FnMut(&Timing),
    ) -> Result<Vec<Timing>, QueryError> {
        let mut timings = Vec::new();
        for (name, text) in &self.queries {
            let mut runs = Vec::new();
            if !self.scoped_only {
                runs.push((name.clone(), QueryOptions::default()));
            }
            for (var, value) in &self.scopes {
                if uses(text, var) {
                    runs.push((
                        format!("{name} ?{var}={}", query::display_term(value)),
                        QueryOptions::default().with_binding(var, value.clone()),
                    ));
                }
            }
            for (label, options) in runs {
                let timing = self.time(label, || {
                    query::run(
                        store,
                        text,
                        OutputFormat::Csv,
                        &options,
                        &mut std::io::sink(),
                    )
                })?;
                done(&timing);
                timings.push(timing);
            }
        }
        if let Some(name) = &self.official {
            let filter = TraceFilter::default().with_official(Some(name.clone()));
            let timing = self.time(format!("trace --official {name}"), || {
                Ok(trace::trace(store, &filter)?.len())
            })?;
            done(&timing);
            timings.push(timing);
        }
        Ok(timings)
    }

    fn time(
        &self,
        label: String,
        job: impl Fn() -> Result<usize, QueryError>,
    ) -> Result<Timing, QueryError> {
        let mut times = Vec::with_capacity(self.runs);
        let mut rows = 0;
        for _ in 0..self.runs {
            let started = Instant::now();
            rows = job()?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        Ok(Timing {
            label,
            rows,
            p50_ms: percentile(&times, 0.5),
            p99_ms: percentile(&times, 0.99),
        })
    }
}

/// Whether the query uses `?var` outside its comments (a scope applies only
/// to queries that bind what it names: a column they show, or a variable
/// they offer for it, as `agreements.rq` offers `?org`).
fn uses(text: &str, var: &str) -> bool {
    let wanted = format!("?{var}");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '?')))
        .any(|w| w == wanted)
}

/// The nearest-rank percentile of sorted, non-empty values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_ten_runs() {
        let times: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&times, 0.5), 6.0);
        assert_eq!(percentile(&times, 0.99), 10.0);
        assert_eq!(percentile(&[3.0], 0.99), 3.0);
    }

    #[test]
    fn a_scope_applies_to_queries_that_use_its_variable() {
        let q = "PREFIX x: <http://e/>\nSELECT ?person ?date WHERE { ?e x:p ?person }";
        assert!(uses(q, "person"));
        assert!(!uses(q, "official"));
        assert!(!uses(q, "pers"));
        let offered = "# bind ?who to scope\nSELECT ?a WHERE { ?x x:p ?a, ?org . ?org x:q ?b }";
        assert!(uses(offered, "org"));
        assert!(!uses(offered, "who"));
    }
}
