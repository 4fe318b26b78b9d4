//! Store: the on-disk Oxigraph store. Each article's facts live in the article's
//! named graph and are replaced in one transaction, so an article is either
//! wholly present or wholly absent and re-ingesting changes nothing. The
//! ontology lives in a vocabulary graph; terms of office observed across
//! articles are kept in a derived graph, recomputed for what an ingest touches.

use std::path::Path;

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::Store;

use crate::rdf::ns;
use crate::resolve::KnownNames;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store {path} is in use by another govkg process (a running `govkg serve`, or an ingest, query or export); one process owns a store: stop it and run this again, or query the running server at /sparql")]
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
    /// The I/O error stays in the chain, where a caller can tell a closed pipe
    /// from a failure.
    #[error("writing the dump")]
    Write(#[source] std::io::Error),
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

/// Quads moved by one transaction of `merge_aliases`.
const MERGE_QUADS: usize = 50_000;
/// Committed changes wait in RocksDB's memtables (up to several of 128 MB per
/// index, as Oxigraph configures it) until flushed; merging 简称 over a large
/// store moves millions of quads, so it flushes every this many moved quads.
const FLUSH_QUADS: usize = 200_000;

/// Threads and memory of a bulk load (see [`GraphStore::new_graphs`]).
const LOAD_THREADS: usize = 2;
const LOAD_MEMORY_MB: usize = 256;
/// Quads handed to one loader thread at a time (Oxigraph's own rule).
const LOAD_BATCH: usize = LOAD_MEMORY_MB * 1000 / LOAD_THREADS;

/// New graphs on their way into the store through Oxigraph's bulk loader.
/// Quads go to background threads a batch at a time as they are added, so
/// loading overlaps whatever produces them; nothing is visible until
/// [`commit`](Self::commit) adds all of them at once, and a load dropped
/// uncommitted (or killed) leaves the store as it was.
pub struct NewGraphs<'a> {
    loader: oxigraph::store::BulkLoader<'a>,
    batch: Vec<Quad>,
    added: usize,
}

impl NewGraphs<'_> {
    /// Adds quads (of graphs the store does not hold).
    pub fn add(&mut self, quads: impl IntoIterator<Item = Quad>) -> Result<(), StoreError> {
        let before = self.batch.len();
        self.batch.extend(quads);
        self.added += self.batch.len() - before;
        if self.batch.len() >= LOAD_BATCH {
            self.loader.load_quads(std::mem::take(&mut self.batch))?;
        }
        Ok(())
    }

    /// Quads added so far.
    pub fn len(&self) -> usize {
        self.added
    }

    pub fn is_empty(&self) -> bool {
        self.added == 0
    }

    /// Makes everything added visible, atomically.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if !self.batch.is_empty() {
            self.loader.load_quads(std::mem::take(&mut self.batch))?;
        }
        self.loader.commit()?;
        Ok(())
    }
}

/// Organisation nodes named by a 简称, each with the node and the name it is
/// merged onto: what [`GraphStore::merge_aliases`] moves once stored, applied
/// to quads on their way in instead (`govkg load`).
#[derive(Debug, Default)]
pub struct AliasNodes {
    onto: std::collections::HashMap<NamedNode, Onto>,
}

/// Where an alias node goes: the node at the end of its chain of 简称 (a
/// 简称 of a 简称), with its name, and the names passed on the way.
#[derive(Debug)]
struct Onto {
    node: NamedNode,
    name: Literal,
    via: Vec<Literal>,
}

impl AliasNodes {
    /// Whether `store` holds any of these alias nodes as an organisation.
    pub fn any_in(&self, store: &GraphStore) -> Result<bool, StoreError> {
        for alias in self.onto.keys() {
            if store.is_organisation(alias)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The nodes of every unambiguous 简称 in `known`, each followed along
    /// its chain of 简称 to the end, as the merge's passes follow it.
    pub fn new(known: &KnownNames) -> AliasNodes {
        /// Longest chain followed: the merge's passes stop after as many.
        const CHAIN: usize = 8;
        let node = |name: &str| NamedNode::new_unchecked(crate::resolve::org_iri(name));
        let zh = |name: &str| Literal::new_language_tagged_literal_unchecked(name, "zh");
        let direct: std::collections::HashMap<&str, &str> = known.pairs().collect();
        let mut onto = std::collections::HashMap::new();
        for (alias, canonical) in known.pairs() {
            let (mut end, mut via) = (canonical, Vec::new());
            while let Some(&next) = direct.get(end) {
                if next == alias || via.len() >= CHAIN || via.contains(&end) {
                    break;
                }
                via.push(end);
                end = next;
            }
            if node(alias) != node(end) {
                onto.insert(
                    node(alias),
                    Onto {
                        node: node(end),
                        name: zh(end),
                        via: via.into_iter().map(zh).collect(),
                    },
                );
            }
        }
        AliasNodes { onto }
    }

    /// `quad` as it reads once its alias nodes are merged (see [`renamed`]).
    pub fn rename(&self, quad: Quad) -> Vec<Quad> {
        renamed(quad, |n| self.onto.get(n))
    }
}

/// `quad` as it reads once the alias nodes that `onto` names are merged: an
/// alias node is the node it is merged onto, and its label becomes an
/// alternate name there (as do the names of a chain's nodes on the way),
/// where that node then also has its own label. The merge moves quads this
/// way in the store, and `load` writes them this way.
fn renamed<'a>(quad: Quad, onto: impl Fn(&NamedNode) -> Option<&'a Onto>) -> Vec<Quad> {
    let Quad {
        subject,
        predicate,
        object,
        graph_name,
    } = quad;
    let subject_onto = match &subject {
        NamedOrBlankNode::NamedNode(n) => onto(n),
        _ => None,
    };
    match subject_onto {
        Some(to) if predicate == oxigraph::model::vocab::rdfs::LABEL => {
            let alternate = |name: Term| {
                Quad::new(
                    to.node.clone(),
                    crate::rdf::vocab::schema::ALTERNATE_NAME,
                    name,
                    graph_name.clone(),
                )
            };
            let mut out = vec![alternate(object)];
            out.extend(to.via.iter().map(|v| alternate(v.clone().into())));
            out.push(Quad::new(
                to.node.clone(),
                predicate,
                to.name.clone(),
                graph_name.clone(),
            ));
            out
        }
        _ => {
            let subject = subject_onto.map_or(subject, |to| to.node.clone().into());
            let object = match &object {
                Term::NamedNode(n) => onto(n).map(|to| to.node.clone().into()),
                _ => None,
            }
            .unwrap_or(object);
            vec![Quad::new(subject, predicate, object, graph_name)]
        }
    }
}

/// The (full name, 简称) pairs an N-Quads file declares, read as
/// [`GraphStore::known_names`] reads the store's: in each graph, the alternate
/// names of an organisation node are 简称 of its labels there. Only the lines
/// of those three kinds about organisation nodes are parsed.
pub fn declared_in_nquads(
    path: &Path,
) -> Result<std::collections::BTreeSet<(String, String)>, StoreError> {
    use std::collections::HashMap;
    use std::io::BufRead;
    let at = |e: &dyn std::fmt::Display| StoreError::Query(format!("{}: {e}", path.display()));
    let kinds = [
        crate::rdf::vocab::schema::ALTERNATE_NAME,
        oxigraph::model::vocab::rdfs::LABEL,
        crate::rdf::vocab::org::ORGANIZATION_CLASS,
    ]
    .map(|term| format!("<{}>", term.as_str()));
    let file = std::fs::File::open(path).map_err(|e| at(&e))?;
    // Organisation nodes are all named under this prefix: the lines kept are
    // theirs only, not the labels of every person and place.
    let organisation_node = format!("<{}org/", crate::resolve::ID);
    let mut wanted = String::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| at(&e))?;
        if line.starts_with(&organisation_node) && kinds.iter().any(|k| line.contains(k.as_str())) {
            wanted.push_str(&line);
            wanted.push('\n');
        }
    }
    // (node, graph) → (typed an organisation, labels, alternate names)
    type Names = (bool, Vec<String>, Vec<String>);
    let mut nodes: HashMap<(NamedNode, GraphName), Names> = HashMap::new();
    let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads);
    for q in parser.for_slice(wanted.as_bytes()) {
        let q = q.map_err(|e| at(&e))?;
        let NamedOrBlankNode::NamedNode(node) = q.subject else {
            continue;
        };
        let entry = nodes.entry((node, q.graph_name)).or_default();
        match (q.predicate.as_ref(), &q.object) {
            (p, Term::NamedNode(o)) if p == rdf::TYPE => {
                entry.0 |= o.as_ref() == crate::rdf::vocab::org::ORGANIZATION_CLASS;
            }
            (p, Term::Literal(l)) if p == oxigraph::model::vocab::rdfs::LABEL => {
                entry.1.push(l.value().to_string())
            }
            (p, Term::Literal(l)) if p == crate::rdf::vocab::schema::ALTERNATE_NAME => {
                entry.2.push(l.value().to_string())
            }
            _ => {}
        }
    }
    let mut pairs = std::collections::BTreeSet::new();
    for (typed, labels, aliases) in nodes.into_values() {
        if typed {
            for label in &labels {
                for alias in &aliases {
                    pairs.insert((label.clone(), alias.clone()));
                }
            }
        }
    }
    Ok(pairs)
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
        // The graph records a hash of the files it was loaded from (blank nodes
        // get new labels at every parse, so the quads cannot be compared).
        let texts: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
        let hash = Literal::new_simple_literal(crate::resolve::stable_hash(&texts));
        let hash_p = NamedNode::new_unchecked(format!("{}sourceHash", ns::GK));
        let marker = Quad::new(graph.clone(), hash_p, hash, graph.clone());
        if self.store.contains(&marker)? {
            return Ok(());
        }
        quads.push(marker);
        let mut txn = self.store.start_transaction()?;
        txn.remove_named_graph(graph.as_ref())?;
        for q in &quads {
            txn.insert(q);
        }
        txn.commit()?;
        Ok(())
    }

    /// Replaces one article's graph with `quads` in a single transaction, and
    /// recomputes the observed terms of the memberships it touches. People the
    /// identity pass had joined in the old graph stay joined.
    pub fn replace_graph(&self, graph: &NamedNode, quads: &[Quad]) -> Result<Replaced, StoreError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut txn = self.store.start_transaction()?;
        let quads = carry_renamings(&mut txn, graph, quads)?;
        let old: Vec<Quad> = txn
            .quads_for_pattern(None, None, None, Some(g))
            .collect::<Result<_, _>>()?;
        let mut touched: Vec<Term> = memberships_in(&old);
        touched.extend(memberships_in(&quads));
        touched.sort_by_cached_key(|t| t.to_string());
        touched.dedup();
        let removed = old.len();
        let old_set: std::collections::HashSet<&Quad> = old.iter().collect();
        let new_set: std::collections::HashSet<&Quad> = quads.iter().collect();
        if old_set == new_set {
            return Ok(Replaced {
                removed: 0,
                inserted: 0,
                unchanged: true,
            });
        }
        txn.remove_named_graph(graph.as_ref())?;
        for q in &quads {
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

    /// Merges organisations known by a 简称 onto their canonical node: every quad
    /// about an alias node that exists is moved onto the canonical node (its
    /// label becoming an alternate name), in transactions of about `MERGE_QUADS`
    /// quads moved.
    /// Returns how many alias nodes were merged and the memberships whose terms
    /// must be recomputed. Idempotent.
    pub fn merge_aliases(
        &self,
        aliases: &[(NamedNode, NamedNode, String)],
    ) -> Result<(usize, Vec<Term>), StoreError> {
        let mut touched = Vec::new();
        let present: Vec<&(NamedNode, NamedNode, String)> = aliases
            .iter()
            .filter(|(a, c, _)| a != c && self.is_organisation(a).unwrap_or(false))
            .collect();
        let merged = present.len();
        // Transactions hold their changes in memory: one is committed once it
        // has moved about `MERGE_QUADS` quads, however many articles use each
        // alias (a fixed count of aliases per transaction was unbounded).
        let mut txn = self.store.start_transaction()?;
        let mut moved = 0;
        let mut unflushed = 0;
        for (alias, canonical, label) in present {
            let (memberships, quads) = merge_node(&mut txn, alias, canonical, label)?;
            touched.extend(memberships);
            moved += quads;
            if moved >= MERGE_QUADS {
                txn.commit()?;
                txn = self.store.start_transaction()?;
                unflushed += moved;
                moved = 0;
                if unflushed >= FLUSH_QUADS {
                    self.store.flush()?;
                    unflushed = 0;
                }
            }
        }
        txn.commit()?;
        self.store.flush()?;
        Ok((merged, touched))
    }

    /// Bulk-loads an N-Quads file (atomically: all of it or none), each quad
    /// as it reads once the organisation nodes of `aliases` are merged. Adds
    /// the alias nodes it met to `renamed`.
    pub fn load_nquads(
        &self,
        path: &Path,
        aliases: &AliasNodes,
        renamed: &mut std::collections::HashSet<NamedNode>,
    ) -> Result<(), StoreError> {
        let at = |e: &dyn std::fmt::Display| StoreError::Query(format!("{}: {e}", path.display()));
        let file = std::fs::File::open(path).map_err(|e| at(&e))?;
        let mut loader = self.bulk_loader();
        let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
            .for_reader(std::io::BufReader::new(file))
            .flat_map(|q| {
                let q = match q {
                    Ok(q) => q,
                    Err(e) => return vec![Err(at(&e))],
                };
                if let NamedOrBlankNode::NamedNode(n) = &q.subject {
                    if aliases.onto.contains_key(n) && !renamed.contains(n) {
                        renamed.insert(n.clone());
                    }
                }
                aliases.rename(q).into_iter().map(Ok).collect()
            });
        let loaded: Result<(), StoreError> = loader.load_ok_quads(quads);
        loaded?;
        loader.commit()?;
        Ok(())
    }

    /// Rewrites the store's files compactly (RocksDB's full compaction,
    /// Oxigraph's `optimize`). A bulk load leaves its data in many files whose
    /// keys overlap, and what the end of a batch moved or deleted takes room
    /// until its file is rewritten. It reads and writes the whole store, and
    /// a crash midway leaves the store as it was. (RocksDB keeps the batch's
    /// last write-ahead log file, already flushed, until the store is next
    /// opened: about a tenth of a compacted store's size.)
    pub fn compact(&self) -> Result<(), StoreError> {
        Ok(self.store.optimize()?)
    }

    /// Whether the store holds this graph.
    pub fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.store.contains_named_graph(graph.as_ref())?)
    }

    /// Adds the graphs of articles not yet in the store with Oxigraph's bulk
    /// loader: far faster than transactions, and atomic — all of them or none.
    pub fn insert_new_graphs(&self, quads: Vec<Quad>) -> Result<(), StoreError> {
        let mut load = self.new_graphs();
        load.add(quads)?;
        load.commit()
    }

    /// Starts a bulk load of new graphs (see [`NewGraphs`]).
    pub fn new_graphs(&self) -> NewGraphs<'_> {
        NewGraphs {
            loader: self.bulk_loader(),
            batch: Vec::new(),
            added: 0,
        }
    }

    /// Oxigraph's bulk loader with bounded memory. Its default (batches of a
    /// million quads per thread) peaks at 1.5 GB on 2.5 M quads; batches of
    /// 128 k quads peak at 280 MB and load as fast (`examples/floor.rs` with
    /// `FLOOR_MB`).
    fn bulk_loader(&self) -> oxigraph::store::BulkLoader<'_> {
        self.store
            .bulk_loader()
            .with_num_threads(LOAD_THREADS)
            .with_max_memory_size_in_megabytes(LOAD_MEMORY_MB)
    }

    /// Recomputes the observed terms of these memberships (writing only changes).
    /// Many memberships at once are recomputed in one pass over the store, the
    /// new terms bulk-loaded.
    pub fn refresh_terms(&self, memberships: &[Term]) -> Result<(), StoreError> {
        if memberships.len() > 2000 {
            return self.rebuild_terms();
        }
        for chunk in memberships.chunks(2000) {
            let mut txn = self.store.start_transaction()?;
            recompute_terms(&mut txn, chunk)?;
            txn.commit()?;
        }
        Ok(())
    }

    /// Recomputes every membership's observed term in one pass: reads all
    /// `gk:observedOn` dates, removes derived quads that no longer hold, and
    /// bulk-loads the missing ones.
    pub fn rebuild_terms(&self) -> Result<(), StoreError> {
        let observed = NamedNode::new_unchecked(format!("{}observedOn", ns::GK));
        let mut dates: std::collections::HashMap<NamedNode, (String, String)> =
            std::collections::HashMap::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(observed.as_ref()), None, None)
        {
            let q = q?;
            let (oxigraph::model::NamedOrBlankNode::NamedNode(m), Term::Literal(l)) =
                (q.subject, q.object)
            else {
                continue;
            };
            let d = l.value().to_string();
            let e = dates.entry(m).or_insert_with(|| (d.clone(), d.clone()));
            if d < e.0 {
                e.0 = d.clone();
            }
            if d > e.1 {
                e.1 = d;
            }
        }
        // The derived graph is read in index order (by subject), so the quads of
        // one membership come together: its wanted quads are computed once and
        // kept while its quads go by, instead of holding every wanted quad (two
        // per membership) in a set.
        let derived = NamedNode::new_unchecked(ns::DERIVED_GRAPH);
        let mut found: std::collections::HashMap<NamedNode, usize> =
            std::collections::HashMap::new();
        let mut current: Option<(NamedNode, [Quad; TERM_QUADS])> = None;
        let mut stale = Vec::new();
        for q in self.store.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(derived.as_ref())),
        ) {
            let q = q?;
            let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &q.subject else {
                stale.push(q);
                continue;
            };
            let m = subject.clone();
            let Some((first, last)) = dates.get(&m) else {
                stale.push(q);
                continue;
            };
            if current.as_ref().map(|(c, _)| c) != Some(&m) {
                current = Some((m.clone(), term_quads(&m, first, last)));
            }
            let wanted = current
                .as_ref()
                .map(|(_, w)| w.contains(&q))
                .unwrap_or(false);
            if wanted {
                *found.entry(m).or_default() += 1;
            } else {
                stale.push(q);
            }
        }
        for chunk in stale.chunks(10_000) {
            let mut txn = self.store.start_transaction()?;
            for q in chunk {
                txn.remove(q);
            }
            txn.commit()?;
        }
        let mut load = self.new_graphs();
        for (m, (first, last)) in &dates {
            if found.get(m).copied().unwrap_or(0) < TERM_QUADS {
                load.add(term_quads(m, first, last))?;
            }
        }
        if !load.is_empty() {
            load.commit()?;
        }
        Ok(())
    }

    /// The memberships an article's quads describe.
    pub fn memberships_in(quads: &[Quad]) -> Vec<Term> {
        memberships_in(quads)
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
        forget_renamings(&mut txn, graph)?;
        recompute_terms(&mut txn, &touched)?;
        txn.commit()?;
        Ok(true)
    }

    /// Whether `node` is an organisation in any graph.
    fn is_organisation(&self, node: &NamedNode) -> Result<bool, StoreError> {
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
    /// A declaring article (and `merge_node`) writes type, label and alias into
    /// the same graph, so each alias quad is matched within its graph, through
    /// the indexes: at 10,000 articles this took 9 s where the SPARQL join over
    /// every organisation took 20 s.
    pub fn known_names(&self) -> Result<KnownNames, StoreError> {
        let alternate = NamedNode::new_unchecked(format!("{}alternateName", ns::SCHEMA));
        let organisation = NamedNode::new_unchecked("http://www.w3.org/ns/org#Organization");
        let label = oxigraph::model::vocab::rdfs::LABEL;
        let mut pairs = std::collections::BTreeSet::new();
        // An organisation's 简称 recurs in every article that declares or uses
        // it: each (node, 简称) is looked up until one graph confirms it, not
        // once per article (at 10,000 articles, 73 k quads, 2,000-odd pairs).
        let mut confirmed: rustc_hash::FxHashSet<(oxigraph::model::NamedOrBlankNode, String)> =
            Default::default();
        for q in self
            .store
            .quads_for_pattern(None, Some(alternate.as_ref()), None, None)
        {
            let q = q?;
            let Term::Literal(alias) = &q.object else {
                continue;
            };
            let key = (q.subject.clone(), alias.value().to_string());
            if confirmed.contains(&key) {
                continue;
            }
            let (subject, graph) = (q.subject.as_ref(), q.graph_name.as_ref());
            let typed = self
                .store
                .quads_for_pattern(
                    Some(subject),
                    Some(rdf::TYPE),
                    Some(organisation.as_ref().into()),
                    Some(graph),
                )
                .next()
                .is_some();
            if !typed {
                continue;
            }
            for l in self
                .store
                .quads_for_pattern(Some(subject), Some(label), None, Some(graph))
            {
                if let Term::Literal(l) = l?.object {
                    pairs.insert((l.value().to_string(), alias.value().to_string()));
                }
            }
            confirmed.insert(key);
        }
        let mut known = KnownNames::default();
        for (label, alias) in &pairs {
            known.insert(alias, label);
        }
        Ok(known)
    }

    /// Writes every quad (N-Quads), or the union of all graphs as triples (Turtle).
    pub fn dump(
        &self,
        format: oxigraph::io::RdfFormat,
        out: &mut dyn std::io::Write,
    ) -> Result<(), StoreError> {
        use oxigraph::io::{RdfFormat, RdfSerializer};
        if format.supports_datasets() {
            use oxigraph::store::SerializerError;
            self.store
                .dump_to_writer(RdfSerializer::from_format(format), out)
                .map_err(|e| match e {
                    SerializerError::Io(io) => StoreError::Write(io),
                    SerializerError::Storage(s) => StoreError::Storage(s),
                    other => StoreError::Query(other.to_string()),
                })?;
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
                ("nif", ns::NIF),
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
                w.serialize_triple(&t).map_err(StoreError::Write)?;
            }
        }
        w.finish().map_err(StoreError::Write)?;
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

/// The identity pass's renamings inside an article's graph (see
/// `identity`): each as (node as extracted, node now), with the record quad.
fn renamings(
    txn: &oxigraph::store::Transaction<'_>,
    graph: &NamedNode,
) -> Result<Vec<(NamedNode, NamedNode, Quad)>, StoreError> {
    let identity = NamedNode::new_unchecked(ns::IDENTITY_GRAPH);
    let idg = GraphNameRef::NamedNode(identity.as_ref());
    let renamed_in = NamedNode::new_unchecked(format!("{}renamedIn", ns::GK));
    let merged_into = NamedNode::new_unchecked(format!("{}mergedInto", ns::GK));
    let mut out = Vec::new();
    for q in txn.quads_for_pattern(
        None,
        Some(renamed_in.as_ref()),
        Some(graph.as_ref().into()),
        Some(idg),
    ) {
        let q = q?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(from) = &q.subject else {
            continue;
        };
        let to = txn
            .quads_for_pattern(
                Some(from.as_ref().into()),
                Some(merged_into.as_ref()),
                None,
                Some(idg),
            )
            .next()
            .transpose()?;
        if let Some(Quad {
            object: Term::NamedNode(to),
            ..
        }) = to
        {
            out.push((from.clone(), to, q.clone()));
        }
    }
    Ok(out)
}

/// An article's new quads with the renamings its graph had carried over, so
/// that an article ingested again as it was is found unchanged and its people
/// stay joined; the records of renamings the new quads no longer need are
/// dropped (the next identity pass decides afresh).
fn carry_renamings(
    txn: &mut oxigraph::store::Transaction<'_>,
    graph: &NamedNode,
    quads: &[Quad],
) -> Result<Vec<Quad>, StoreError> {
    let mut quads = quads.to_vec();
    for (from, to, record) in renamings(txn, graph)? {
        let subject = oxigraph::model::NamedOrBlankNode::from(from.clone());
        let object = Term::from(from.clone());
        let mut used = false;
        for q in &mut quads {
            if q.subject == subject {
                q.subject = to.clone().into();
                used = true;
            }
            if q.object == object {
                q.object = to.clone().into();
                used = true;
            }
        }
        if !used {
            txn.remove(&record);
        }
    }
    Ok(quads)
}

/// Drops the records of renamings inside an article's graph that is removed.
fn forget_renamings(
    txn: &mut oxigraph::store::Transaction<'_>,
    graph: &NamedNode,
) -> Result<(), StoreError> {
    for (_, _, record) in renamings(txn, graph)? {
        txn.remove(&record);
    }
    Ok(())
}

/// Moves every quad about `alias` onto `canonical` (see [`renamed`]). Returns
/// the memberships involved and the number of quads moved.
fn merge_node(
    txn: &mut oxigraph::store::Transaction<'_>,
    alias: &NamedNode,
    canonical: &NamedNode,
    canonical_label: &str,
) -> Result<(Vec<Term>, usize), StoreError> {
    let mut moved: Vec<Quad> = txn
        .quads_for_pattern(Some(alias.as_ref().into()), None, None, None)
        .collect::<Result<_, _>>()?;
    moved.extend(
        txn.quads_for_pattern(None, None, Some(alias.as_ref().into()), None)
            .collect::<Result<Vec<_>, _>>()?,
    );
    let target = Onto {
        node: canonical.clone(),
        name: Literal::new_language_tagged_literal_unchecked(canonical_label, "zh"),
        via: Vec::new(),
    };
    let mut memberships = Vec::new();
    let count = moved.len();
    for q in moved {
        txn.remove(&q);
        if q.predicate.as_str() == "http://www.w3.org/ns/org#organization" {
            memberships.push(Term::from(q.subject.clone()));
        }
        for q in renamed(q, |n| (n == alias).then_some(&target)) {
            txn.insert(&q);
        }
    }
    Ok((memberships, count))
}

/// The derived quads of a membership observed from `first` to `last`:
/// `gk:firstObserved` and `gk:lastObserved`. These are observations, not the
/// term's true bounds, so no OWL-Time interval is written for them (an
/// interval and two instants took eight quads more per membership).
fn term_quads(m: &NamedNode, first: &str, last: &str) -> [Quad; TERM_QUADS] {
    use crate::rdf::vocab::gk;
    let g = GraphName::NamedNode(NamedNode::new_unchecked(ns::DERIVED_GRAPH));
    let first = Literal::new_typed_literal(first, xsd::DATE);
    let last = Literal::new_typed_literal(last, xsd::DATE);
    [
        Quad::new(m.clone(), gk::FIRST_OBSERVED, first, g.clone()),
        Quad::new(m.clone(), gk::LAST_OBSERVED, last, g),
    ]
}

/// Quads of one membership's term (see [`term_quads`]).
const TERM_QUADS: usize = 2;

/// The memberships among some quads: the subjects of `org:member` (one each:
/// a membership has one member).
fn memberships_in(quads: &[Quad]) -> Vec<Term> {
    quads
        .iter()
        .filter(|q| q.predicate == crate::rdf::vocab::org::MEMBER)
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
    for m in memberships {
        let Term::NamedNode(m) = m else { continue };
        let mut dates: Vec<String> = Vec::new();
        for q in txn.quads_for_pattern(Some(m.as_ref().into()), Some(observed.as_ref()), None, None)
        {
            if let Term::Literal(l) = &q?.object {
                dates.push(l.value().to_string());
            }
        }
        dates.sort();
        let wanted: Vec<Quad> = match (dates.first(), dates.last()) {
            (Some(first), Some(last)) => term_quads(m, first, last).into(),
            _ => Vec::new(),
        };
        // Write only what differs from what is there.
        let mut existing: Vec<Quad> = Vec::new();
        for q in txn.quads_for_pattern(Some(m.as_ref().into()), None, None, Some(dg)) {
            existing.push(q?);
        }
        for q in existing.iter().filter(|q| !wanted.contains(q)) {
            txn.remove(q);
        }
        for q in wanted.iter().filter(|q| !existing.contains(q)) {
            txn.insert(q);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::vocab::rdfs;

    #[test]
    fn a_quad_about_an_alias_node_is_about_the_full_name_once_renamed() {
        let mut known = KnownNames::default();
        known.insert("星瀚", "星瀚科技股份有限公司");
        let aliases = AliasNodes::new(&known);
        let node = |name: &str| NamedNode::new_unchecked(crate::resolve::org_iri(name));
        let (alias, full) = (node("星瀚"), node("星瀚科技股份有限公司"));
        let graph = NamedNode::new_unchecked("http://example.org/article");
        let zh = |s: &str| Literal::new_language_tagged_literal_unchecked(s, "zh");
        let quad =
            |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| Quad::new(s.clone(), p, o, graph.clone());
        let contact = NamedNode::new_unchecked("http://example.org/contact");

        // The alias node's label: an alternate name of the full name, which is labelled.
        assert_eq!(
            aliases.rename(quad(&alias, rdfs::LABEL, zh("星瀚").into())),
            [
                quad(
                    &full,
                    crate::rdf::vocab::schema::ALTERNATE_NAME,
                    zh("星瀚").into()
                ),
                quad(&full, rdfs::LABEL, zh("星瀚科技股份有限公司").into())
            ]
        );
        // As subject and as object, the alias node is the full name's.
        let typed = quad(
            &alias,
            rdf::TYPE,
            crate::rdf::vocab::org::ORGANIZATION_CLASS.into(),
        );
        assert_eq!(
            aliases.rename(typed),
            [quad(
                &full,
                rdf::TYPE,
                crate::rdf::vocab::org::ORGANIZATION_CLASS.into()
            )]
        );
        let met = quad(
            &contact,
            crate::rdf::vocab::gk::ORGANIZATION,
            alias.clone().into(),
        );
        assert_eq!(
            aliases.rename(met),
            [quad(
                &contact,
                crate::rdf::vocab::gk::ORGANIZATION,
                full.clone().into()
            )]
        );
        // Anything else is unchanged.
        let other = quad(&full, rdfs::LABEL, zh("星瀚科技股份有限公司").into());
        assert_eq!(aliases.rename(other.clone()), [other]);
    }

    #[test]
    fn a_chain_of_short_names_is_followed_to_its_end_naming_each_node_passed() {
        // 星瀚 is a 简称 of 星瀚科技, itself a 简称 of the full name.
        let mut known = KnownNames::default();
        known.insert("星瀚", "星瀚科技");
        known.insert("星瀚科技", "星瀚科技股份有限公司");
        let aliases = AliasNodes::new(&known);
        let node = |name: &str| NamedNode::new_unchecked(crate::resolve::org_iri(name));
        let zh = |s: &str| Term::from(Literal::new_language_tagged_literal_unchecked(s, "zh"));
        let graph = NamedNode::new_unchecked("http://example.org/article");
        let full = node("星瀚科技股份有限公司");
        let alternate = |name: &str| {
            Quad::new(
                full.clone(),
                crate::rdf::vocab::schema::ALTERNATE_NAME,
                zh(name),
                graph.clone(),
            )
        };
        let label = Quad::new(node("星瀚"), rdfs::LABEL, zh("星瀚"), graph.clone());
        assert_eq!(
            aliases.rename(label),
            [
                alternate("星瀚"),
                alternate("星瀚科技"),
                Quad::new(
                    full.clone(),
                    rdfs::LABEL,
                    zh("星瀚科技股份有限公司"),
                    graph.clone()
                )
            ]
        );
    }
}
