//! Identity across articles: which person nodes of the store are one person.
//!
//! `resolve` gives a person a node from the article alone (a name plus an
//! anchor, see [`crate::resolve::person_anchor`]), so that shards extracted
//! apart agree. This pass, run once a batch is in (by `ingest` and `govkg
//! resolve`), joins nodes that the store as a whole shows to be one person:
//!
//! - **a link in the text**: a post written as held before (`原南山区区长张海涛`,
//!   `原…部长甲调任…`) joins the article's person to the node of that name
//!   anchored at the former post's place;
//! - **nested anchors**: a node anchored at a city or province (`市政协副主席`)
//!   joins the one node of that name anchored inside it (福田区); with two or
//!   more inside, it joins none;
//! - **an analyst's confirmation** (`govkg links confirm A B`), kept in the
//!   curation graph, which ingest never touches.
//!
//! An analyst's rejection (`govkg links reject`) keeps two nodes apart whatever
//! else links them. Nothing else merges: two officials of one name in two
//! districts, or one official who moved without a sentence saying so, stay
//! two nodes; [`candidates`] lists such pairs for an analyst to decide.
//!
//! A merge renames the node inside the article graphs that hold it, and
//! records each renaming (`gk:renamedIn`, `gk:mergedInto`) in the identity
//! graph in the same transaction, so every renaming can be taken back: each
//! pass recomputes the wanted identities from the nodes as extracted, and
//! renames only where the store differs from them. Re-running changes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

use crate::gazetteer::{Gazetteer, Level};
use crate::rdf::ns;
use crate::resolve::{self, ID};
use crate::store::{GraphStore, StoreError};

/// Quads renamed by one transaction (as `store` bounds its merges).
const RENAME_QUADS: usize = 50_000;

fn gk(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{local}", ns::GK))
}

fn owl(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{local}", ns::OWL))
}

fn identity_graph() -> NamedNode {
    NamedNode::new_unchecked(ns::IDENTITY_GRAPH)
}

fn curation_graph() -> NamedNode {
    NamedNode::new_unchecked(ns::CURATION_GRAPH)
}

/// Why two person nodes are one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKind {
    /// An analyst confirmed it.
    Confirmed,
    /// The text says so: a post written as held before.
    Text,
    /// One anchor lies inside the other, and no other node of the name does.
    Nested,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Confirmed => "confirmed",
            LinkKind::Text => "text",
            LinkKind::Nested => "nested",
        }
    }
}

/// The name segment and the anchor of a person IRI (`…/person/NAME/ANCHOR`).
fn person_parts(iri: &str) -> Option<(&str, &str)> {
    iri.strip_prefix(ID)?
        .strip_prefix("person/")?
        .split_once('/')
}

/// The name segment of a person IRI (the IRI itself, should it be none).
fn person_name(iri: &str) -> &str {
    person_parts(iri).map_or(iri, |p| p.0)
}

/// The division of a person IRI's anchor, when it is a place the gazetteer knows.
fn person_division(iri: &str, gaz: &Gazetteer) -> Option<usize> {
    gaz.by_code(person_parts(iri)?.1)
}

/// The objects of `subject`'s `predicate` within one graph.
fn objects(
    store: &GraphStore,
    subject: oxigraph::model::NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    graph: GraphNameRef<'_>,
) -> Result<Vec<Term>, StoreError> {
    store
        .inner()
        .quads_for_pattern(Some(subject), Some(predicate), None, Some(graph))
        .map(|q| Ok(q?.object))
        .collect()
}

/// A link between two nodes as extracted, with what shows it.
#[derive(Debug, Clone)]
struct Link {
    a: String,
    b: String,
    kind: LinkKind,
    /// The node that shows it (a membership held before), when there is one.
    evidence: Option<String>,
}

/// What a pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IdentityReport {
    /// Links that joined two people, by kind.
    pub links: BTreeMap<&'static str, usize>,
    /// Person nodes that are now another's (as extracted, across the store).
    pub merged: usize,
    /// Article graphs in which a node was renamed (or a renaming taken back).
    pub renamed: usize,
    /// Each person node as extracted → the node it is now, for those merged.
    pub node_of: HashMap<String, String>,
}

impl IdentityReport {
    /// The node that a person node as extracted is now.
    pub fn node<'a>(&'a self, extracted: &'a str) -> &'a str {
        self.node_of
            .get(extracted)
            .map(String::as_str)
            .unwrap_or(extracted)
    }
}

/// The person nodes of every article graph, as the store holds them now:
/// (graph, node) pairs.
fn current_people(store: &GraphStore) -> Result<Vec<(NamedNode, NamedNode)>, StoreError> {
    let person = NamedNode::new_unchecked(format!("{}Person", ns::SCHEMA));
    let mut out = Vec::new();
    for q in store.inner().quads_for_pattern(
        None,
        Some(oxigraph::model::vocab::rdf::TYPE),
        Some(person.as_ref().into()),
        None,
    ) {
        let q = q?;
        let (NamedOrBlankNode::NamedNode(node), oxigraph::model::GraphName::NamedNode(g)) =
            (q.subject, q.graph_name)
        else {
            continue;
        };
        if g.as_str().starts_with(ID) && node.as_str().starts_with(ID) {
            out.push((g, node));
        }
    }
    Ok(out)
}

/// The renamings on record: (graph, node now) → node as extracted.
fn recorded(store: &GraphStore) -> Result<HashMap<(String, String), String>, StoreError> {
    let identity = identity_graph();
    let g = GraphNameRef::NamedNode(identity.as_ref());
    let into = gk("mergedInto");
    let mut now: HashMap<String, String> = HashMap::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(into.as_ref()), None, Some(g))
    {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(a), Term::NamedNode(b)) = (q.subject, q.object) {
            now.insert(a.into_string(), b.into_string());
        }
    }
    let renamed_in = gk("renamedIn");
    let mut out = HashMap::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(renamed_in.as_ref()), None, Some(g))
    {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(a), Term::NamedNode(graph)) = (q.subject, q.object) {
            if let Some(b) = now.get(a.as_str()) {
                out.insert((graph.into_string(), b.clone()), a.into_string());
            }
        }
    }
    Ok(out)
}

/// Pairs of nodes in the curation graph under `predicate` (owl:sameAs, owl:differentFrom).
fn curated(store: &GraphStore, predicate: &NamedNode) -> Result<Vec<(String, String)>, StoreError> {
    let curation = curation_graph();
    let mut out = Vec::new();
    for q in store.inner().quads_for_pattern(
        None,
        Some(predicate.as_ref()),
        None,
        Some(GraphNameRef::NamedNode(curation.as_ref())),
    ) {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(a), Term::NamedNode(b)) = (q.subject, q.object) {
            out.push((a.into_string(), b.into_string()));
        }
    }
    Ok(out)
}

/// Links the text gives: a post held before, at a place, joins the article's
/// person to the node of the name anchored there.
fn text_links(
    store: &GraphStore,
    original: &HashMap<(String, String), String>,
    known: &BTreeSet<String>,
) -> Result<Vec<Link>, StoreError> {
    let member = NamedNode::new_unchecked("http://www.w3.org/ns/org#member");
    let organization = NamedNode::new_unchecked("http://www.w3.org/ns/org#organization");
    let place_prefix = format!("{ID}place/");
    let former = gk("former");
    let yes: Term = Literal::from(true).into();
    let mut out = Vec::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(former.as_ref()), Some(yes.as_ref()), None)
    {
        let q = q?;
        let (NamedOrBlankNode::NamedNode(m), oxigraph::model::GraphName::NamedNode(g)) =
            (&q.subject, &q.graph_name)
        else {
            continue;
        };
        let gref = GraphNameRef::NamedNode(g.as_ref());
        let object_of = |p: &NamedNode| -> Result<Option<String>, StoreError> {
            Ok(objects(store, m.as_ref().into(), p.as_ref(), gref)?
                .into_iter()
                .find_map(|o| match o {
                    Term::NamedNode(n) => Some(n.into_string()),
                    _ => None,
                }))
        };
        let (Some(person), Some(place)) = (object_of(&member)?, object_of(&organization)?) else {
            continue;
        };
        let Some(code) = place.strip_prefix(&place_prefix) else {
            continue;
        };
        let extracted = original
            .get(&(g.as_str().to_string(), person.clone()))
            .cloned()
            .unwrap_or(person);
        let before = format!("{ID}person/{}/{code}", person_name(&extracted));
        if before != extracted && known.contains(&before) {
            out.push(Link {
                a: extracted,
                b: before,
                kind: LinkKind::Text,
                evidence: Some(m.as_str().to_string()),
            });
        }
    }
    Ok(out)
}

/// Links of nested anchors: a node anchored at a place joins the one node of
/// the same name anchored inside that place, when there is exactly one.
fn nested_links(
    nodes: &BTreeSet<String>,
    gaz: &Gazetteer,
    mut cluster_of: impl FnMut(&str) -> usize,
) -> Vec<Link> {
    let mut by_name: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for iri in nodes {
        if let Some(d) = person_division(iri, gaz) {
            by_name.entry(person_name(iri)).or_default().push((iri, d));
        }
    }
    let mut out = Vec::new();
    for same_name in by_name.values().filter(|v| v.len() > 1) {
        for &(outer, place) in same_name {
            let inside: Vec<&str> = same_name
                .iter()
                .filter(|&&(_, d)| d != place && gaz.lineage(d).any(|a| a == place))
                .map(|&(iri, _)| iri)
                .collect();
            let mut people: Vec<usize> = inside.iter().map(|iri| cluster_of(iri)).collect();
            people.sort_unstable();
            people.dedup();
            if let (Some(&inner), [_]) = (inside.first(), &people[..]) {
                out.push(Link {
                    a: outer.to_string(),
                    b: inner.to_string(),
                    kind: LinkKind::Nested,
                    evidence: None,
                });
            }
        }
    }
    out
}

/// Union–find over node indices, refusing unions that would put a rejected
/// pair together.
struct Clusters {
    parent: Vec<usize>,
}

impl Clusters {
    fn find(&mut self, i: usize) -> usize {
        let mut r = i;
        while self.parent[r] != r {
            r = self.parent[r];
        }
        let mut i = i;
        while self.parent[i] != r {
            let next = self.parent[i];
            self.parent[i] = r;
            i = next;
        }
        r
    }

    /// Joins the clusters of `a` and `b` unless a rejected pair would end up
    /// in one; returns whether they are (now) one.
    fn join(&mut self, a: usize, b: usize, rejected: &[(usize, usize)]) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        for &(x, y) in rejected {
            let (rx, ry) = (self.find(x), self.find(y));
            if (rx == ra && ry == rb) || (rx == rb && ry == ra) {
                return false;
            }
        }
        self.parent[rb] = ra;
        true
    }
}

/// How a cluster's node is chosen: the most local anchor (a county before a
/// zone or town, a city, a province, then organisations and articles), then
/// the IRI, so that the choice does not depend on the order things arrived in.
fn preference<'a>(iri: &'a str, gaz: &Gazetteer) -> (u8, &'a str) {
    let rank = match person_division(iri, gaz).map(|d| gaz.get(d).level) {
        Some(Level::County) => 0,
        Some(Level::Functional | Level::Town) => 1,
        Some(Level::Prefecture) => 2,
        Some(Level::Province) => 3,
        None => 4,
    };
    (rank, iri)
}

/// Joins the person nodes the store shows to be one person (see the module
/// comment), renaming inside article graphs and recording each renaming, and
/// takes back renamings that no longer hold. Idempotent.
pub fn apply(store: &GraphStore, gaz: &Gazetteer) -> Result<IdentityReport, StoreError> {
    let current = current_people(store)?;
    let records = recorded(store)?;
    // Each (graph, node now) with the node as extracted.
    let placed: Vec<(NamedNode, NamedNode, String)> = current
        .into_iter()
        .map(|(g, now)| {
            let extracted = records
                .get(&(g.as_str().to_string(), now.as_str().to_string()))
                .cloned()
                .unwrap_or_else(|| now.as_str().to_string());
            (g, now, extracted)
        })
        .collect();
    let nodes: BTreeSet<String> = placed.iter().map(|p| p.2.clone()).collect();
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let originals: HashMap<(String, String), String> = placed
        .iter()
        .map(|(g, now, x)| {
            (
                (g.as_str().to_string(), now.as_str().to_string()),
                x.clone(),
            )
        })
        .collect();

    let same = |a: &str, b: &str| person_name(a) == person_name(b);
    let rejected: Vec<(usize, usize)> = curated(store, &owl("differentFrom"))?
        .iter()
        .filter_map(|(a, b)| Some((*index.get(a.as_str())?, *index.get(b.as_str())?)))
        .collect();
    let mut links: Vec<Link> = curated(store, &owl("sameAs"))?
        .into_iter()
        .map(|(a, b)| Link {
            a,
            b,
            kind: LinkKind::Confirmed,
            evidence: None,
        })
        .collect();
    links.extend(text_links(store, &originals, &nodes)?);

    let mut clusters = Clusters {
        parent: (0..nodes.len()).collect(),
    };
    let mut report = IdentityReport::default();
    let mut applied = Vec::new();
    let mut join = |link: Link, clusters: &mut Clusters| {
        let (Some(&a), Some(&b)) = (index.get(link.a.as_str()), index.get(link.b.as_str())) else {
            return;
        };
        if a == b || !same(&link.a, &link.b) {
            return;
        }
        if clusters.find(a) != clusters.find(b) && clusters.join(a, b, &rejected) {
            *report.links.entry(link.kind.as_str()).or_default() += 1;
            applied.push(link);
        }
    };
    for link in links {
        join(link, &mut clusters);
    }
    // Nested anchors last: the nodes inside a place that the links above
    // joined count as one person.
    for link in nested_links(&nodes, gaz, |iri| clusters.find(index[iri])) {
        join(link, &mut clusters);
    }
    // Each cluster's node.
    let all: Vec<&String> = nodes.iter().collect();
    let mut chosen: HashMap<usize, &str> = HashMap::new();
    for (i, iri) in all.iter().enumerate() {
        let root = clusters.find(i);
        let entry = chosen.entry(root).or_insert(iri.as_str());
        if preference(iri, gaz) < preference(entry, gaz) {
            *entry = iri.as_str();
        }
    }
    for (i, iri) in all.iter().enumerate() {
        let to = chosen[&clusters.find(i)];
        if to != iri.as_str() {
            report.node_of.insert(iri.to_string(), to.to_string());
        }
    }
    report.merged = report.node_of.len();

    // Rename where the store differs, each graph's renaming and its record in
    // one transaction.
    let identity = identity_graph();
    let idg = GraphNameRef::NamedNode(identity.as_ref());
    let (renamed_in, merged_into) = (gk("renamedIn"), gk("mergedInto"));
    // A node's renamings share its record (`gk:mergedInto`), so they commit
    // together: transactions end only between nodes.
    let mut placed = placed;
    placed.sort_by(|a, b| a.2.cmp(&b.2));
    let mut txn = store.inner().start_transaction()?;
    let mut moved = 0;
    let mut previous: Option<&str> = None;
    for (g, now, extracted) in &placed {
        let wanted = report.node(extracted);
        if wanted == now.as_str() {
            continue;
        }
        if moved >= RENAME_QUADS && previous != Some(extracted.as_str()) {
            txn.commit()?;
            txn = store.inner().start_transaction()?;
            moved = 0;
        }
        previous = Some(extracted.as_str());
        let wanted = NamedNode::new_unchecked(wanted);
        moved += rename(&mut txn, g, now, &wanted)?;
        report.renamed += 1;
        let x = NamedNode::new_unchecked(extracted.as_str());
        let record = Quad::new(x.clone(), renamed_in.clone(), g.clone(), identity.clone());
        if wanted == x {
            txn.remove(&record);
        } else {
            txn.insert(&record);
            for old in txn
                .quads_for_pattern(
                    Some(x.as_ref().into()),
                    Some(merged_into.as_ref()),
                    None,
                    Some(idg),
                )
                .collect::<Result<Vec<_>, _>>()?
            {
                txn.remove(&old);
            }
            txn.insert(&Quad::new(x, merged_into.clone(), wanted, identity.clone()));
        }
    }
    txn.commit()?;
    write_records(store, &report, &applied, &placed)?;
    Ok(report)
}

/// Moves every quad of graph `g` about `from` onto `to`.
fn rename(
    txn: &mut oxigraph::store::Transaction<'_>,
    g: &NamedNode,
    from: &NamedNode,
    to: &NamedNode,
) -> Result<usize, StoreError> {
    let gref = GraphNameRef::NamedNode(g.as_ref());
    let mut quads: Vec<Quad> = txn
        .quads_for_pattern(Some(from.as_ref().into()), None, None, Some(gref))
        .collect::<Result<_, _>>()?;
    quads.extend(
        txn.quads_for_pattern(None, None, Some(from.as_ref().into()), Some(gref))
            .collect::<Result<Vec<_>, _>>()?,
    );
    let from_subject = NamedOrBlankNode::from(from.clone());
    let from_object = Term::from(from.clone());
    for q in &quads {
        txn.remove(q);
    }
    for q in &quads {
        let subject = if q.subject == from_subject {
            to.clone().into()
        } else {
            q.subject.clone()
        };
        let object = if q.object == from_object {
            to.clone().into()
        } else {
            q.object.clone()
        };
        txn.insert(&Quad::new(
            subject,
            q.predicate.clone(),
            object,
            q.graph_name.clone(),
        ));
    }
    Ok(quads.len())
}

/// Rewrites what the identity graph says beyond the renamings: the links that
/// joined people (kind and evidence), and drops records of renamings that no
/// longer stand (a node no article holds any more). One transaction.
fn write_records(
    store: &GraphStore,
    report: &IdentityReport,
    applied: &[Link],
    placed: &[(NamedNode, NamedNode, String)],
) -> Result<(), StoreError> {
    let identity = identity_graph();
    let idg = GraphNameRef::NamedNode(identity.as_ref());
    let (renamed_in, merged_into) = (gk("renamedIn"), gk("mergedInto"));
    let standing: BTreeSet<(&str, &str)> = placed
        .iter()
        .filter(|(_, _, x)| report.node_of.contains_key(x))
        .map(|(g, _, x)| (x.as_str(), g.as_str()))
        .collect();
    let mut wanted: HashSet<Quad> = HashSet::new();
    let mut merged_nodes = BTreeSet::new();
    for (x, g) in &standing {
        let x = NamedNode::new_unchecked(*x);
        wanted.insert(Quad::new(
            x.clone(),
            renamed_in.clone(),
            NamedNode::new_unchecked(*g),
            identity.clone(),
        ));
        merged_nodes.insert(x);
    }
    for x in merged_nodes {
        let to = NamedNode::new_unchecked(report.node(x.as_str()));
        wanted.insert(Quad::new(x, merged_into.clone(), to, identity.clone()));
    }
    for link in applied {
        let node = NamedNode::new_unchecked(format!(
            "{ID}link/{}",
            resolve::stable_hash(&[&link.a, &link.b, link.kind.as_str()])
        ));
        let q = |p: NamedNode, o: Term| Quad::new(node.clone(), p, o, identity.clone());
        wanted.insert(q(
            oxigraph::model::vocab::rdf::TYPE.into_owned(),
            gk("IdentityLink").into(),
        ));
        for person in [&link.a, &link.b] {
            wanted.insert(q(gk("links"), NamedNode::new_unchecked(person).into()));
        }
        wanted.insert(q(
            gk("linkKind"),
            Literal::new_simple_literal(link.kind.as_str()).into(),
        ));
        if let Some(e) = &link.evidence {
            wanted.insert(q(
                NamedNode::new_unchecked(format!("{}wasDerivedFrom", ns::PROV)),
                NamedNode::new_unchecked(e).into(),
            ));
        }
    }
    let have: HashSet<Quad> = store
        .inner()
        .quads_for_pattern(None, None, None, Some(idg))
        .collect::<Result<_, _>>()?;
    if have == wanted {
        return Ok(());
    }
    let mut txn = store.inner().start_transaction()?;
    for q in have.difference(&wanted) {
        txn.remove(q);
    }
    for q in wanted.difference(&have) {
        txn.insert(q);
    }
    txn.commit()?;
    Ok(())
}

/// Whether `iri` names a person node.
fn is_person(iri: &str) -> bool {
    iri.strip_prefix(ID)
        .is_some_and(|r| r.starts_with("person/"))
}

/// Records an analyst's decision on two person nodes in the curation graph:
/// `owl:sameAs` (confirmed) or `owl:differentFrom` (rejected), replacing any
/// earlier decision on the pair; `None` withdraws it. Then reruns the pass.
pub fn decide(
    store: &GraphStore,
    gaz: &Gazetteer,
    a: &str,
    b: &str,
    decision: Option<Decision>,
) -> Result<IdentityReport, IdentityError> {
    for n in [a, b] {
        if !is_person(n) {
            return Err(IdentityError::NotAPerson(n.to_string()));
        }
    }
    if a == b {
        return Err(IdentityError::SameNode(a.to_string()));
    }
    if person_name(a) != person_name(b) {
        return Err(IdentityError::OtherName(a.to_string(), b.to_string()));
    }
    let curation = curation_graph();
    let (na, nb) = (NamedNode::new_unchecked(a), NamedNode::new_unchecked(b));
    let mut txn = store
        .inner()
        .start_transaction()
        .map_err(StoreError::from)?;
    for p in [owl("sameAs"), owl("differentFrom")] {
        for (s, o) in [(&na, &nb), (&nb, &na)] {
            txn.remove(&Quad::new(
                s.clone(),
                p.clone(),
                o.clone(),
                curation.clone(),
            ));
        }
    }
    if let Some(d) = decision {
        let p = match d {
            Decision::Confirm => owl("sameAs"),
            Decision::Reject => owl("differentFrom"),
        };
        txn.insert(&Quad::new(na, p, nb, curation));
    }
    txn.commit().map_err(StoreError::from)?;
    Ok(apply(store, gaz)?)
}

/// An analyst's decision on a candidate link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Reject,
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{0} is not a person node (…/id/person/NAME/ANCHOR)")]
    NotAPerson(String),
    #[error("{0} is given twice: a link joins two nodes")]
    SameNode(String),
    #[error("{0} and {1} name two people: only nodes of one name are linked")]
    OtherName(String, String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Two nodes of one name that may be one person: an analyst's to decide.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub name: String,
    pub a: CandidateSide,
    pub b: CandidateSide,
    /// The smallest division holding both anchors.
    pub within: String,
}

/// One side of a candidate link: the node, its posts and when it was seen in them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CandidateSide {
    pub node: String,
    pub posts: Vec<String>,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// Pairs of person nodes with one name, anchored in one city (or province)
/// and seen in posts at times that do not overlap, that nothing has joined
/// and no analyst has rejected.
pub fn candidates(store: &GraphStore, gaz: &Gazetteer) -> Result<Vec<Candidate>, StoreError> {
    let mut by_name: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, node) in current_people(store)? {
        let iri = node.into_string();
        by_name
            .entry(person_name(&iri).to_string())
            .or_default()
            .insert(iri);
    }
    let rejected: BTreeSet<(String, String)> = curated(store, &owl("differentFrom"))?
        .into_iter()
        .flat_map(|(a, b)| [(a.clone(), b.clone()), (b, a)])
        .collect();
    let mut out = Vec::new();
    for nodes in by_name.values().filter(|n| n.len() > 1) {
        let nodes: Vec<&String> = nodes.iter().collect();
        for (i, a) in nodes.iter().enumerate() {
            for b in &nodes[i + 1..] {
                if rejected.contains(&(a.to_string(), b.to_string())) {
                    continue;
                }
                let (Some(da), Some(db)) = (person_division(a, gaz), person_division(b, gaz))
                else {
                    continue;
                };
                let Some(within) = gaz
                    .lineage(da)
                    .find(|&x| gaz.lineage(db).any(|y| y == x))
                    .filter(|&x| matches!(gaz.get(x).level, Level::Prefecture | Level::Province))
                else {
                    continue;
                };
                let (sa, sb) = (side(store, a)?, side(store, b)?);
                let overlap = match (&sa.first, &sa.last, &sb.first, &sb.last) {
                    (Some(f1), Some(l1), Some(f2), Some(l2)) => f1 <= l2 && f2 <= l1,
                    _ => false,
                };
                if !overlap {
                    out.push(Candidate {
                        name: percent_decode(person_name(a)),
                        a: sa,
                        b: sb,
                        within: gaz.get(within).name.clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The candidates as a table: the name, each node with its posts and dates,
/// and the place holding both.
pub fn candidates_table(found: &[Candidate]) -> crate::table::Table {
    let side = |s: &CandidateSide| {
        vec![
            s.node.clone(),
            s.posts.join("、"),
            format!(
                "{}…{}",
                s.first.as_deref().unwrap_or("?"),
                s.last.as_deref().unwrap_or("?")
            ),
        ]
    };
    let rows = found
        .iter()
        .map(|c| {
            let mut row = vec![c.name.clone(), c.within.clone()];
            row.extend(side(&c.a));
            row.extend(side(&c.b));
            row
        })
        .collect();
    let headers = [
        "name", "within", "node A", "posts A", "seen A", "node B", "posts B", "seen B",
    ];
    crate::table::Table::new(headers.iter().map(|h| h.to_string()).collect(), rows)
}

/// A person node's posts (those held before marked 原) and the first and last
/// dates they were reported held.
fn side(store: &GraphStore, node: &str) -> Result<CandidateSide, StoreError> {
    let n = NamedNode::new_unchecked(node);
    let member = NamedNodeRef::new_unchecked("http://www.w3.org/ns/org#member");
    let (observed, title, former) = (gk("observedOn"), gk("postTitle"), gk("former"));
    let organization = crate::rdf::vocab::org::ORGANIZATION;
    let label = oxigraph::model::vocab::rdfs::LABEL;
    let mut posts = BTreeSet::new();
    let mut dates = BTreeSet::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(member), Some(n.as_ref().into()), None)
    {
        let q = q?;
        let (m, g) = (q.subject.as_ref(), q.graph_name.as_ref());
        let mark = if objects(store, m, former.as_ref(), g)?.is_empty() {
            ""
        } else {
            "原"
        };
        for d in objects(store, m, observed.as_ref(), g)? {
            if let Term::Literal(l) = d {
                dates.insert(l.value().to_string());
            }
        }
        // A post is named by where it is and its title, as the extraction wrote
        // them (`南山区区长`).
        let titles = objects(store, m, title.as_ref(), g)?;
        for o in objects(store, m, organization, g)? {
            let Term::NamedNode(o) = o else { continue };
            for l in objects(store, o.as_ref().into(), label, g)? {
                for t in &titles {
                    if let (Term::Literal(l), Term::Literal(t)) = (&l, t) {
                        posts.insert(format!("{mark}{}{}", l.value(), t.value()));
                    }
                }
            }
        }
    }
    Ok(CandidateSide {
        node: node.to_string(),
        posts: posts.into_iter().collect(),
        first: dates.first().cloned(),
        last: dates.last().cloned(),
    })
}

/// The name an IRI segment stands for (undoing [`resolve::segment`]).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_decodes_to_its_name() {
        assert_eq!(percent_decode(&resolve::segment("张 三/甲")), "张 三/甲");
        assert_eq!(percent_decode("张海涛"), "张海涛");
    }

    #[test]
    fn a_rejected_pair_is_never_joined_through_a_third_node() {
        let mut c = Clusters {
            parent: (0..3).collect(),
        };
        let rejected = [(0, 2)];
        assert!(c.join(0, 1, &rejected));
        assert!(!c.join(1, 2, &rejected));
        assert_ne!(c.find(0), c.find(2));
    }
}
