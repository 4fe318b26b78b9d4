//! Store: the on-disk Oxigraph store. Each article's facts live in the article's
//! named graph and are replaced in one transaction, so an article is either
//! wholly present or wholly absent and re-ingesting changes nothing. The
//! ontology lives in a vocabulary graph; terms of office observed across
//! articles are kept in a derived graph, recomputed for what an ingest touches.

use std::path::Path;

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

use crate::rdf::ns;
use crate::resolve::KnownNames;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store {path} is in use by another govkg process (a running `govkg serve` or ingest); stop it, or send articles to the server's /ingest endpoint")]
    Locked { path: String },
    #[error("store {path}: {source}")]
    Open {
        path: String,
        source: oxigraph::store::StorageError,
    },
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("query: {0}")]
    Query(String),
    #[error("vocabulary {file}: {message}")]
    Vocabulary { file: String, message: String },
}

/// What replacing an article's graph changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replaced {
    pub removed: usize,
    pub inserted: usize,
    /// The graph already held exactly these quads; nothing was written.
    pub unchanged: bool,
}

#[derive(Clone)]
pub struct GraphStore {
    store: Store,
}

impl GraphStore {
    /// Opens (or creates) a store directory.
    pub fn open(path: &Path) -> Result<GraphStore, StoreError> {
        std::fs::create_dir_all(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            source: e.into(),
        })?;
        match Store::open(path) {
            Ok(store) => Ok(GraphStore { store }),
            Err(e) => {
                let msg = e.to_string();
                if msg.contains("LOCK") || msg.contains("lock") {
                    Err(StoreError::Locked {
                        path: path.display().to_string(),
                    })
                } else {
                    Err(StoreError::Open {
                        path: path.display().to_string(),
                        source: e,
                    })
                }
            }
        }
    }

    /// An in-memory store (tests, `extract`).
    pub fn in_memory() -> Result<GraphStore, StoreError> {
        Ok(GraphStore {
            store: Store::new()?,
        })
    }

    pub fn inner(&self) -> &Store {
        &self.store
    }

    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    /// Loads the ontology and vocabularies into their graph, replacing what was there.
    pub fn load_vocabulary(&self, files: &[(&str, &str)]) -> Result<(), StoreError> {
        use oxigraph::io::{RdfFormat, RdfParser};
        let graph = NamedNode::new_unchecked(ns::VOCAB_GRAPH);
        let mut quads = Vec::new();
        for (file, text) in files {
            for q in RdfParser::from_format(RdfFormat::Turtle)
                .without_named_graphs()
                .for_slice(text.as_bytes())
            {
                let q = q.map_err(|e| StoreError::Vocabulary {
                    file: file.to_string(),
                    message: e.to_string(),
                })?;
                quads.push(Quad::new(q.subject, q.predicate, q.object, graph.clone()));
            }
        }
        let existing: Vec<Quad> = self
            .store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<Result<_, _>>()?;
        let mut sorted_existing: Vec<String> = existing.iter().map(|q| q.to_string()).collect();
        let mut sorted_new: Vec<String> = quads.iter().map(|q| q.to_string()).collect();
        sorted_existing.sort();
        sorted_new.sort();
        sorted_new.dedup();
        if sorted_existing == sorted_new {
            return Ok(());
        }
        let mut txn = self.store.start_transaction()?;
        txn.remove_named_graph(graph.as_ref())?;
        for q in &quads {
            txn.insert(q);
        }
        txn.commit()?;
        Ok(())
    }

    /// Replaces one article's graph with `quads` in a single transaction, and
    /// recomputes the observed terms of the memberships it touches. `merges`
    /// are (alias node, canonical node) pairs: an organisation other articles
    /// named only by a 简称 that this article declares; their quads are moved
    /// onto the canonical node in the same transaction.
    pub fn replace_graph(
        &self,
        graph: &NamedNode,
        quads: &[Quad],
        merges: &[(NamedNode, NamedNode)],
    ) -> Result<Replaced, StoreError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut txn = self.store.start_transaction()?;
        for (alias, canonical) in merges {
            merge_node(&mut txn, alias, canonical)?;
        }
        let old: Vec<Quad> = txn
            .quads_for_pattern(None, None, None, Some(g))
            .collect::<Result<_, _>>()?;
        let mut touched: Vec<Term> = memberships_in(&old);
        touched.extend(memberships_in(quads));
        touched.sort_by_cached_key(|t| t.to_string());
        touched.dedup();
        let removed = old.len();
        let mut old_sorted: Vec<String> = old.iter().map(|q| q.to_string()).collect();
        let mut new_sorted: Vec<String> = quads.iter().map(|q| q.to_string()).collect();
        old_sorted.sort();
        new_sorted.sort();
        new_sorted.dedup();
        if merges.is_empty() && old_sorted == new_sorted {
            return Ok(Replaced {
                removed: 0,
                inserted: 0,
                unchanged: true,
            });
        }
        txn.remove_named_graph(graph.as_ref())?;
        for q in quads {
            txn.insert(q);
        }
        recompute_terms(&mut txn, &touched)?;
        txn.commit()?;
        Ok(Replaced {
            removed,
            inserted: quads.len(),
            unchanged: false,
        })
    }

    /// Removes an article's graph. Returns whether it was there.
    pub fn remove_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut txn = self.store.start_transaction()?;
        let old: Vec<Quad> = txn
            .quads_for_pattern(None, None, None, Some(g))
            .collect::<Result<_, _>>()?;
        if old.is_empty() {
            return Ok(false);
        }
        let touched = memberships_in(&old);
        txn.remove_named_graph(graph.as_ref())?;
        recompute_terms(&mut txn, &touched)?;
        txn.commit()?;
        Ok(true)
    }

    /// Whether `node` is an organisation in any graph.
    pub fn is_organisation(&self, node: &NamedNode) -> Result<bool, StoreError> {
        let ty = NamedNode::new_unchecked("http://www.w3.org/ns/org#Organization");
        Ok(self
            .store
            .quads_for_pattern(
                Some(node.as_ref().into()),
                Some(rdf::TYPE),
                Some(ty.as_ref().into()),
                None,
            )
            .next()
            .is_some())
    }

    /// Every organisation name and alias the store knows, with its canonical name.
    pub fn known_names(&self) -> Result<KnownNames, StoreError> {
        let q = r#"PREFIX schema: <http://schema.org/>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX org: <http://www.w3.org/ns/org#>
            SELECT ?label ?alias WHERE { ?o a org:Organization ; rdfs:label ?label ; schema:alternateName ?alias }"#;
        let mut known = KnownNames::default();
        for row in self.select(q)? {
            if let (Some(label), Some(alias)) = (&row[0], &row[1]) {
                known.insert(alias, label);
            }
        }
        Ok(known)
    }

    /// Runs a SELECT over the union of all graphs; rows of plain string values.
    pub fn select(&self, query: &str) -> Result<Vec<Vec<Option<String>>>, StoreError> {
        let mut prepared = SparqlEvaluator::new()
            .parse_query(query)
            .map_err(|e| StoreError::Query(e.to_string()))?;
        prepared.dataset_mut().set_default_graph_as_union();
        let results = prepared
            .on_store(&self.store)
            .execute()
            .map_err(|e| StoreError::Query(e.to_string()))?;
        let QueryResults::Solutions(solutions) = results else {
            return Err(StoreError::Query("not a SELECT query".into()));
        };
        let mut out = Vec::new();
        for s in solutions {
            let s = s.map_err(|e| StoreError::Query(e.to_string()))?;
            out.push(
                s.values()
                    .iter()
                    .map(|v| {
                        v.as_ref().map(|t| match t {
                            Term::Literal(l) => l.value().to_string(),
                            Term::NamedNode(n) => n.as_str().to_string(),
                            other => other.to_string(),
                        })
                    })
                    .collect(),
            );
        }
        Ok(out)
    }

    /// Writes every quad (N-Quads), or the union of all graphs as triples (Turtle).
    pub fn dump(
        &self,
        format: oxigraph::io::RdfFormat,
        out: &mut dyn std::io::Write,
    ) -> Result<(), StoreError> {
        use oxigraph::io::{RdfFormat, RdfSerializer};
        if format.supports_datasets() {
            self.store
                .dump_to_writer(RdfSerializer::from_format(format), out)
                .map_err(|e| StoreError::Query(e.to_string()))?;
            return Ok(());
        }
        let mut ser = RdfSerializer::from_format(format);
        if format == RdfFormat::Turtle {
            for (p, iri) in [
                ("gk", ns::GK),
                ("org", ns::ORG),
                ("schema", ns::SCHEMA),
                ("prov", ns::PROV),
                ("skos", ns::SKOS),
                ("oa", ns::OA),
                ("time", ns::TIME),
                ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
            ] {
                ser = ser
                    .with_prefix(p, iri)
                    .map_err(|e| StoreError::Query(e.to_string()))?;
            }
        }
        let mut w = ser.for_writer(out);
        let mut seen = std::collections::HashSet::new();
        for q in self.store.iter() {
            let q = q?;
            let t = oxigraph::model::Triple::new(q.subject, q.predicate, q.object);
            if seen.insert(t.clone()) {
                w.serialize_triple(&t)
                    .map_err(|e| StoreError::Query(e.to_string()))?;
            }
        }
        w.finish().map_err(|e| StoreError::Query(e.to_string()))?;
        Ok(())
    }

    /// The named graphs of articles (not the vocabulary or derived graphs).
    pub fn article_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut out = Vec::new();
        for g in self.store.named_graphs() {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = g? {
                if n.as_str().starts_with(crate::resolve::ID) {
                    out.push(n);
                }
            }
        }
        Ok(out)
    }
}

/// Moves every quad about `alias` onto `canonical`; the alias's label becomes an
/// alternate name.
fn merge_node(
    txn: &mut oxigraph::store::Transaction<'_>,
    alias: &NamedNode,
    canonical: &NamedNode,
) -> Result<(), StoreError> {
    let label = oxigraph::model::vocab::rdfs::LABEL;
    let alternate = NamedNode::new_unchecked(format!("{}alternateName", ns::SCHEMA));
    let mut moved: Vec<Quad> = txn
        .quads_for_pattern(Some(alias.as_ref().into()), None, None, None)
        .collect::<Result<_, _>>()?;
    moved.extend(
        txn.quads_for_pattern(None, None, Some(alias.as_ref().into()), None)
            .collect::<Result<Vec<_>, _>>()?,
    );
    for q in moved {
        txn.remove(&q);
        let subject = if q.subject == oxigraph::model::NamedOrBlankNode::from(alias.clone()) {
            canonical.clone().into()
        } else {
            q.subject.clone()
        };
        let object = if q.object == Term::from(alias.clone()) {
            canonical.clone().into()
        } else {
            q.object.clone()
        };
        let predicate = if q.predicate == label
            && subject == oxigraph::model::NamedOrBlankNode::from(canonical.clone())
        {
            alternate.clone()
        } else {
            q.predicate.clone()
        };
        txn.insert(&Quad::new(subject, predicate, object, q.graph_name.clone()));
    }
    Ok(())
}

fn memberships_in(quads: &[Quad]) -> Vec<Term> {
    let membership =
        oxigraph::model::NamedNodeRef::new_unchecked("http://www.w3.org/ns/org#Membership");
    quads
        .iter()
        .filter(|q| {
            q.predicate == rdf::TYPE && q.object == Term::NamedNode(membership.into_owned())
        })
        .map(|q| Term::from(q.subject.clone()))
        .collect()
}

/// For each membership: the first and last dates any article reported it,
/// as `gk:firstObserved`/`gk:lastObserved` and an OWL-Time interval.
fn recompute_terms(
    txn: &mut oxigraph::store::Transaction<'_>,
    memberships: &[Term],
) -> Result<(), StoreError> {
    let derived = NamedNodeRef::new_unchecked(ns::DERIVED_GRAPH);
    let dg = GraphNameRef::NamedNode(derived);
    let observed = NamedNode::new_unchecked(format!("{}observedOn", ns::GK));
    let first_p = NamedNode::new_unchecked(format!("{}firstObserved", ns::GK));
    let last_p = NamedNode::new_unchecked(format!("{}lastObserved", ns::GK));
    let during = NamedNode::new_unchecked("http://www.w3.org/ns/org#memberDuring");
    let time = |l: &str| NamedNode::new_unchecked(format!("{}{l}", ns::TIME));
    for m in memberships {
        let Term::NamedNode(m) = m else { continue };
        let interval = NamedNode::new_unchecked(format!("{}/during", m.as_str()));
        let begin = NamedNode::new_unchecked(format!("{}/during/begin", m.as_str()));
        let end = NamedNode::new_unchecked(format!("{}/during/end", m.as_str()));
        // Drop what was derived for it.
        for s in [m.clone(), interval.clone(), begin.clone(), end.clone()] {
            let old: Vec<Quad> = txn
                .quads_for_pattern(Some(s.as_ref().into()), None, None, Some(dg))
                .collect::<Result<_, _>>()?;
            for q in old {
                txn.remove(&q);
            }
        }
        let mut dates: Vec<String> = Vec::new();
        let mut any = false;
        for q in txn.quads_for_pattern(Some(m.as_ref().into()), None, None, None) {
            let q = q?;
            if q.graph_name == GraphName::NamedNode(derived.into_owned()) {
                continue;
            }
            any = true;
            if q.predicate == observed {
                if let Term::Literal(l) = &q.object {
                    dates.push(l.value().to_string());
                }
            }
        }
        if !any || dates.is_empty() {
            continue;
        }
        dates.sort();
        let first = Literal::new_typed_literal(dates[0].clone(), xsd::DATE);
        let last = Literal::new_typed_literal(dates[dates.len() - 1].clone(), xsd::DATE);
        let g = GraphName::NamedNode(derived.into_owned());
        let add =
            |txn: &mut oxigraph::store::Transaction<'_>, s: &NamedNode, p: NamedNode, o: Term| {
                txn.insert(&Quad::new(s.clone(), p, o, g.clone()));
            };
        add(txn, m, first_p.clone(), first.clone().into());
        add(txn, m, last_p.clone(), last.clone().into());
        add(txn, m, during.clone(), interval.clone().into());
        add(txn, &interval, rdf::TYPE.into(), time("Interval").into());
        add(txn, &interval, time("hasBeginning"), begin.clone().into());
        add(txn, &interval, time("hasEnd"), end.clone().into());
        add(txn, &begin, rdf::TYPE.into(), time("Instant").into());
        add(txn, &begin, time("inXSDDate"), first.into());
        add(txn, &end, rdf::TYPE.into(), time("Instant").into());
        add(txn, &end, time("inXSDDate"), last.into());
    }
    Ok(())
}
