//! Shapes: checks the graph against `ontology/shapes.ttl`. The shapes use a
//! subset of SHACL Core (targetClass, targetSubjectsOf, property paths that are single IRIs,
//! min/maxCount, datatype, class, nodeKind, languageIn, node), and each
//! constraint is translated mechanically into a SPARQL query that lists the
//! focus nodes violating it, run over the union of all graphs.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::Store;

use crate::store::{GraphStore, StoreError};

pub const SHAPES: &str = include_str!("../ontology/shapes.ttl");

/// One SPARQL check derived from a shape constraint.
#[derive(Debug, Clone)]
pub struct Check {
    pub description: String,
    pub query: String,
}

/// A focus node that fails a check.
#[derive(Debug, Clone)]
pub struct Violation {
    pub check: String,
    pub focus: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ShapesError {
    #[error("shapes: {0}")]
    Parse(String),
    #[error("shapes: unsupported {0}")]
    Unsupported(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const SH: &str = "http://www.w3.org/ns/shacl#";

struct ShapeGraph {
    store: Store,
}

impl ShapeGraph {
    fn values(&self, subject: &Term, predicate: &str) -> Vec<Term> {
        let subject = match subject {
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            _ => return vec![],
        };
        let predicate = NamedNode::new_unchecked(predicate);
        self.store
            .quads_for_pattern(Some(subject.as_ref()), Some(predicate.as_ref()), None, None)
            .filter_map(Result::ok)
            .map(|q| q.object)
            .collect()
    }

    fn list(&self, head: &Term) -> Vec<Term> {
        let mut out = Vec::new();
        let mut node = head.clone();
        for _ in 0..100 {
            let first = self.values(&node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first");
            if first.is_empty() {
                break;
            }
            out.extend(first);
            match self
                .values(&node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
                .pop()
            {
                Some(rest) => node = rest,
                None => break,
            }
        }
        out
    }
}

/// Derives the checks from a shapes file.
pub fn checks(shapes_ttl: &str) -> Result<Vec<Check>, ShapesError> {
    let store = Store::new().map_err(|e| ShapesError::Parse(e.to_string()))?;
    let quads = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(shapes_ttl.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ShapesError::Parse(e.to_string()))?;
    store
        .extend(quads)
        .map_err(|e| ShapesError::Parse(e.to_string()))?;
    let g = ShapeGraph { store };
    let mut out = Vec::new();
    // A shape's focus nodes: the instances of a class (sh:targetClass), or the
    // subjects of a property (sh:targetSubjectsOf), for nodes the graph gives
    // no class because a property already says what they are.
    let q = format!(
        "SELECT ?shape ?class ?property WHERE {{
           {{ ?shape <{SH}targetClass> ?class }} UNION {{ ?shape <{SH}targetSubjectsOf> ?property }}
         }} ORDER BY ?shape"
    );
    let targets: Vec<(Term, String)> = match oxigraph::sparql::SparqlEvaluator::new()
        .parse_query(&q)
        .map_err(|e| ShapesError::Parse(e.to_string()))?
        .on_store(&g.store)
        .execute()
        .map_err(|e| ShapesError::Parse(e.to_string()))?
    {
        oxigraph::sparql::QueryResults::Solutions(s) => s
            .filter_map(|s| s.ok())
            .filter_map(|s| {
                let focus = match (s.get("class"), s.get("property")) {
                    (Some(class), _) => format!("?s a {class} ."),
                    (None, Some(property)) => format!("?s {property} ?focus_value ."),
                    (None, None) => return None,
                };
                Some((s.get("shape")?.clone(), focus))
            })
            .collect(),
        _ => vec![],
    };
    for (shape, focus) in targets {
        shape_checks(&g, &shape, &focus, &short(&shape), &mut out, 0)?;
    }
    Ok(out)
}

fn short(t: &Term) -> String {
    let s = t.to_string();
    s.trim_matches(['<', '>'])
        .rsplit(['#', '/'])
        .next()
        .unwrap_or(&s)
        .to_string()
}

fn shape_checks(
    g: &ShapeGraph,
    shape: &Term,
    focus: &str,
    label: &str,
    out: &mut Vec<Check>,
    depth: usize,
) -> Result<(), ShapesError> {
    if depth > 4 {
        return Ok(());
    }
    for prop in g.values(shape, &format!("{SH}property")) {
        let Some(path) = g.values(&prop, &format!("{SH}path")).pop() else {
            continue;
        };
        if !matches!(path, Term::NamedNode(_)) {
            return Err(ShapesError::Unsupported(format!(
                "complex sh:path in {label}"
            )));
        }
        let name = format!("{label} {}", short(&path));
        let count = |op: &str, n: &Term| {
            format!(
                "SELECT ?s WHERE {{ {focus} OPTIONAL {{ ?s {path} ?v }} }} GROUP BY ?s HAVING (COUNT(DISTINCT ?v) {op} {})",
                literal_value(n)
            )
        };
        for n in g.values(&prop, &format!("{SH}minCount")) {
            out.push(Check {
                description: format!("{name}: at least {}", literal_value(&n)),
                query: count("<", &n),
            });
        }
        for n in g.values(&prop, &format!("{SH}maxCount")) {
            out.push(Check {
                description: format!("{name}: at most {}", literal_value(&n)),
                query: count(">", &n),
            });
        }
        let each = |filter: String| {
            format!("SELECT DISTINCT ?s WHERE {{ {focus} ?s {path} ?v . {filter} }}")
        };
        for d in g.values(&prop, &format!("{SH}datatype")) {
            out.push(Check {
                description: format!("{name}: datatype {d}"),
                query: each(format!("FILTER(!isLiteral(?v) || datatype(?v) != {d})")),
            });
        }
        for c in g.values(&prop, &format!("{SH}class")) {
            out.push(Check {
                description: format!("{name}: class {c}"),
                query: each(format!("FILTER NOT EXISTS {{ ?v a {c} }}")),
            });
        }
        for k in g.values(&prop, &format!("{SH}nodeKind")) {
            let test = match short(&k).as_str() {
                "IRI" => "!isIRI(?v)",
                "Literal" => "!isLiteral(?v)",
                "BlankNode" => "!isBlank(?v)",
                "BlankNodeOrIRI" => "isLiteral(?v)",
                "IRIOrLiteral" => "isBlank(?v)",
                "BlankNodeOrLiteral" => "isIRI(?v)",
                other => return Err(ShapesError::Unsupported(format!("sh:nodeKind {other}"))),
            };
            out.push(Check {
                description: format!("{name}: node kind {}", short(&k)),
                query: each(format!("FILTER({test})")),
            });
        }
        for l in g.values(&prop, &format!("{SH}languageIn")) {
            let langs: Vec<String> = g
                .list(&l)
                .iter()
                .map(|t| format!("\"{}\"", literal_value(t)))
                .collect();
            out.push(Check {
                description: format!("{name}: language in {}", langs.join(", ")),
                query: each(format!(
                    "FILTER(!isLiteral(?v) || !(lang(?v) IN ({})))",
                    langs.join(", ")
                )),
            });
        }
        for nested in g.values(&prop, &format!("{SH}node")) {
            let v = format!("?n{depth}");
            let inner_focus = format!("{} {v} {path} ?s .", focus.replace("?s", &v));
            shape_checks(
                g,
                &nested,
                &inner_focus,
                &format!("{name}→{}", short(&nested)),
                out,
                depth + 1,
            )?;
        }
    }
    Ok(())
}

fn literal_value(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

/// Runs every check over the store; returns the violations (at most 5 per check).
pub fn validate(
    store: &GraphStore,
    shapes_ttl: &str,
) -> Result<(usize, Vec<Violation>), ShapesError> {
    let checks = checks(shapes_ttl)?;
    let mut violations = Vec::new();
    for c in &checks {
        let rows =
            crate::query::select_text(store, &format!("{} LIMIT 5", c.query), &Default::default())
                .map_err(|e| StoreError::Query(e.to_string()))?;
        for r in rows {
            violations.push(Violation {
                check: c.description.clone(),
                focus: r.into_iter().next().flatten().unwrap_or_default(),
            });
        }
    }
    Ok((checks.len(), violations))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_constraint_becomes_a_check() {
        let checks = checks(SHAPES).unwrap();
        assert!(checks.len() > 50, "{}", checks.len());
        assert!(checks
            .iter()
            .any(|c| c.description.contains("MembershipShape firstObserved")));
        // A shape targeted by a property checks the subjects of that property.
        let member = checks
            .iter()
            .find(|c| c.description.starts_with("MembershipShape member: at most"))
            .expect("a check of each membership's member");
        assert!(member
            .query
            .contains("<http://www.w3.org/ns/org#member> ?focus_value"));
    }

    #[test]
    fn a_violation_is_found() {
        let store = GraphStore::in_memory().unwrap();
        store
            .inner()
            .load_from_slice(
                RdfFormat::Turtle,
                "<http://x/e> a <http://schema.org/Event> ; <http://schema.org/startDate> \"soon\" .".as_bytes(),
            )
            .unwrap();
        let (_, v) = validate(&store, SHAPES).unwrap();
        assert!(v.iter().any(|v| v.check.contains("eventType")));
        assert!(v.iter().any(|v| v.check.contains("startDate: datatype")));
    }

    #[test]
    fn an_agreement_without_its_signing_is_a_violation() {
        // The cookbook's agreements query reads the date through gk:signedAt.
        let store = GraphStore::in_memory().unwrap();
        store
            .inner()
            .load_from_slice(
                RdfFormat::Turtle,
                "@prefix gk: <https://w3id.org/govkg/ontology#> .
                 <http://x/a> gk:party <http://x/o1>, <http://x/o2> ."
                    .as_bytes(),
            )
            .unwrap();
        let (_, v) = validate(&store, SHAPES).unwrap();
        let signing: Vec<_> = v.iter().filter(|v| v.check.contains("signedAt")).collect();
        assert!(
            signing.iter().any(|v| v.focus.contains("http://x/a")),
            "{v:?}"
        );
    }
}
