//! Graph: projects the store into a `petgraph` graph that analysts can draw and
//! walk — typed nodes (officials, people, districts, government bodies,
//! organisations, projects, events) and typed, dated edges with their evidence —
//! and filters it by district, period, person, organisation, kinds and depth.

pub mod algo;
pub mod export;

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use petgraph::stable_graph::{NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::rdf::ns::SPARQL_PREFIXES as PREFIXES;
use crate::store::{GraphStore, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Official,
    Person,
    Place,
    GovernmentBody,
    Organisation,
    Project,
    Event,
}

impl NodeKind {
    pub const ALL: [NodeKind; 7] = [
        NodeKind::Official,
        NodeKind::Person,
        NodeKind::Place,
        NodeKind::GovernmentBody,
        NodeKind::Organisation,
        NodeKind::Project,
        NodeKind::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Official => "official",
            NodeKind::Person => "person",
            NodeKind::Place => "place",
            NodeKind::GovernmentBody => "government_body",
            NodeKind::Organisation => "organisation",
            NodeKind::Project => "project",
            NodeKind::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<NodeKind> {
        let s = s.trim().to_ascii_lowercase();
        NodeKind::ALL.into_iter().find(|k| {
            k.as_str() == s
                || (s == "district" && *k == NodeKind::Place)
                || (s == "organization" && *k == NodeKind::Organisation)
                || (s == "government" && *k == NodeKind::GovernmentBody)
        })
    }

    /// People and bodies an analyst follows (what `rank` scores).
    pub fn is_actor(self) -> bool {
        matches!(
            self,
            NodeKind::Official | NodeKind::Organisation | NodeKind::GovernmentBody
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    HoldsPostIn,
    Met,
    SignedWith,
    Witnessed,
    LocatedIn,
    SubsidiaryOf,
    TookPartIn,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::HoldsPostIn => "holds_post_in",
            EdgeKind::Met => "met",
            EdgeKind::SignedWith => "signed_with",
            EdgeKind::Witnessed => "witnessed",
            EdgeKind::LocatedIn => "located_in",
            EdgeKind::SubsidiaryOf => "subsidiary_of",
            EdgeKind::TookPartIn => "took_part_in",
        }
    }

    /// A short Chinese label for drawings.
    pub fn label_zh(self) -> &'static str {
        match self {
            EdgeKind::HoldsPostIn => "任职",
            EdgeKind::Met => "会见/走访",
            EdgeKind::SignedWith => "签约",
            EdgeKind::Witnessed => "见证",
            EdgeKind::LocatedIn => "位于",
            EdgeKind::SubsidiaryOf => "隶属",
            EdgeKind::TookPartIn => "参加",
        }
    }
}

/// One quoted sentence and the article it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// Shared: one sentence is the evidence of every edge it states (a
    /// signing's parties, witnesses, attendees …).
    pub quote: std::sync::Arc<str>,
    pub source: std::sync::Arc<str>,
}

/// Between a person's name and the post that tells them from others of the name.
pub const HOMONYM_SEPARATOR: &str = " · ";

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub iri: String,
    pub label: String,
    pub kind: NodeKind,
    /// The district (county-level place or functional area) the node belongs to, for clustering.
    pub district: Option<String>,
    /// An event's date.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub kind: EdgeKind,
    /// A post title, a role, an agreement …
    pub label: Option<String>,
    pub date: Option<String>,
    /// For terms of office: the last date reported.
    pub end_date: Option<String>,
    pub evidence: BTreeSet<Evidence>,
}

impl Edge {
    /// The edge's own label (a post title, a role …), or else `kind_name` of
    /// its kind: `EdgeKind::label_zh` for drawings, `EdgeKind::as_str` for text.
    pub fn label_or(&self, kind_name: fn(EdgeKind) -> &'static str) -> &str {
        self.label
            .as_deref()
            .unwrap_or_else(|| kind_name(self.kind))
    }
}

/// The projected graph. Directed edges; algorithms that need it view it undirected.
#[derive(Debug, Default, Clone)]
pub struct KnowledgeGraph {
    pub graph: StableGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
}

/// Which part of the graph to keep. Builder-style: `Filter::default().with_district("南山区")`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    district: Option<String>,
    from: Option<String>,
    to: Option<String>,
    focus: Vec<String>,
    focus_nodes: Vec<String>,
    depth: Option<usize>,
    kinds: Option<Vec<NodeKind>>,
    fold_events: bool,
}

impl Filter {
    pub fn with_district(mut self, district: Option<String>) -> Self {
        self.district = district;
        self
    }
    /// Keep dated facts from `from` to `to` (inclusive, `YYYY-MM-DD`).
    pub fn with_period(mut self, from: Option<String>, to: Option<String>) -> Self {
        self.from = from;
        self.to = to;
        self
    }
    /// Keep what lies within `depth` hops of a person or organisation named so.
    pub fn with_focus(mut self, name: Option<String>) -> Self {
        self.focus.extend(name);
        self
    }
    /// Keep what lies within `depth` hops of the node with this IRI.
    pub fn with_focus_node(mut self, iri: String) -> Self {
        self.focus_nodes.push(iri);
        self
    }
    pub fn with_depth(mut self, depth: Option<usize>) -> Self {
        self.depth = depth;
        self
    }
    pub fn with_kinds(mut self, kinds: Option<Vec<NodeKind>>) -> Self {
        self.kinds = kinds;
        self
    }
    /// Replace event nodes by the direct dated edges they imply (met, witnessed).
    pub fn with_events_folded(mut self, fold: bool) -> Self {
        self.fold_events = fold;
        self
    }
}

/// Why a name given by a user picks no single node.
#[derive(Debug, thiserror::Error)]
pub enum NameError {
    #[error("{0:?} is not in the graph")]
    NotFound(String),
    #[error("{name:?} names {} people; give one by its IRI:\n{}", people.len(), listing(people))]
    Ambiguous {
        name: String,
        /// Each person's label and IRI.
        people: Vec<(String, String)>,
    },
}

/// One line per person: label and IRI.
fn listing(people: &[(String, String)]) -> String {
    people
        .iter()
        .map(|(label, iri)| format!("  {label}  {iri}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn q(store: &GraphStore, body: &str) -> Result<Vec<Vec<String>>, StoreError> {
    Ok(
        crate::query::select_text(store, &format!("{PREFIXES}{body}"), &Default::default())
            .map_err(|e| StoreError::Query(e.to_string()))?
            .into_iter()
            .map(|r| r.into_iter().map(Option::unwrap_or_default).collect())
            .collect(),
    )
}

impl KnowledgeGraph {
    pub fn node(&self, i: NodeIndex) -> &Node {
        &self.graph[i]
    }

    pub fn find(&self, iri: &str) -> Option<NodeIndex> {
        self.index.get(iri).copied()
    }

    /// Nodes whose label (or, for organisations, any alternate name) is
    /// `name`, people who share it included (`张海涛 · 福田区委书记`).
    pub fn find_by_name(
        &self,
        name: &str,
        aliases: &HashMap<String, Vec<String>>,
    ) -> Vec<NodeIndex> {
        let homonym = format!("{name}{HOMONYM_SEPARATOR}");
        self.graph
            .node_indices()
            .filter(|&i| {
                let n = &self.graph[i];
                n.label == name
                    || (matches!(n.kind, NodeKind::Official | NodeKind::Person)
                        && n.label.starts_with(&homonym))
                    || aliases
                        .get(&n.iri)
                        .is_some_and(|a| a.iter().any(|x| x == name))
            })
            .collect()
    }

    /// The one node `name` means: an IRI, or a label or alternate name that
    /// names a single person (several organisations of one name are the same
    /// thing seen twice, so the first is taken). A name shared by several
    /// people is an error listing them, for the user to pick one by its IRI.
    pub fn resolve_name(
        &self,
        name: &str,
        aliases: &HashMap<String, Vec<String>>,
    ) -> Result<NodeIndex, NameError> {
        if let Some(i) = self.find(name) {
            return Ok(i);
        }
        let found = self.find_by_name(name, aliases);
        let people: Vec<(String, String)> = found
            .iter()
            .map(|&i| self.node(i))
            .filter(|n| matches!(n.kind, NodeKind::Official | NodeKind::Person))
            .map(|n| (n.label.clone(), n.iri.clone()))
            .collect();
        if people.len() > 1 {
            return Err(NameError::Ambiguous {
                name: name.to_string(),
                people,
            });
        }
        found
            .into_iter()
            .next()
            .ok_or_else(|| NameError::NotFound(name.to_string()))
    }

    /// Labels people who share a name with a post each holds, the first by
    /// name (`张海涛 · 福田区委书记`), so that drawings, rankings and chains
    /// tell them apart.
    fn label_homonyms(&mut self) {
        let mut by_name: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        for i in self.graph.node_indices() {
            if matches!(self.graph[i].kind, NodeKind::Official | NodeKind::Person) {
                by_name
                    .entry(self.graph[i].label.clone())
                    .or_default()
                    .push(i);
            }
        }
        for (name, nodes) in by_name.into_iter().filter(|(_, n)| n.len() > 1) {
            for i in nodes {
                let post = self
                    .graph
                    .edges(i)
                    .filter(|e| e.weight().kind == EdgeKind::HoldsPostIn)
                    .map(|e| {
                        use petgraph::visit::EdgeRef;
                        let holder = &self.graph[e.target()].label;
                        crate::trace::post_name(holder, e.weight().label.as_deref().unwrap_or(""))
                    })
                    .min();
                if let Some(post) = post {
                    self.graph[i].label = format!("{name}{HOMONYM_SEPARATOR}{post}");
                }
            }
        }
    }

    fn add_node(&mut self, iri: &str, label: &str, kind: NodeKind) -> NodeIndex {
        if let Some(&i) = self.index.get(iri) {
            // A person seen first without a post may turn out to be an official.
            if kind == NodeKind::Official && self.graph[i].kind == NodeKind::Person {
                self.graph[i].kind = kind;
            }
            return i;
        }
        let i = self.graph.add_node(Node {
            iri: iri.to_string(),
            label: label.to_string(),
            kind,
            district: None,
            date: None,
        });
        self.index.insert(iri.to_string(), i);
        i
    }

    /// Adds an edge, or adds the evidence to an equal edge already there.
    fn add_edge(&mut self, a: NodeIndex, b: NodeIndex, mut edge: Edge) {
        if a == b {
            return;
        }
        let existing = self
            .graph
            .edges_connecting(a, b)
            .find(|e| {
                e.weight().kind == edge.kind
                    && e.weight().date == edge.date
                    && e.weight().label == edge.label
            })
            .map(|e| e.id());
        match existing {
            Some(id) => {
                let evidence = std::mem::take(&mut edge.evidence);
                self.graph[id].evidence.extend(evidence);
            }
            None => {
                self.graph.add_edge(a, b, edge);
            }
        }
    }

    /// Reads the whole store into a graph.
    pub fn from_store(store: &GraphStore) -> Result<KnowledgeGraph, StoreError> {
        let mut g = KnowledgeGraph::default();
        let strings: std::cell::RefCell<HashSet<std::sync::Arc<str>>> = Default::default();
        let intern = |text: &str| -> std::sync::Arc<str> {
            let mut strings = strings.borrow_mut();
            if let Some(shared) = strings.get(text) {
                return shared.clone();
            }
            let shared: std::sync::Arc<str> = text.into();
            strings.insert(shared.clone());
            shared
        };
        let ev = |quote: &str, source: &str| -> BTreeSet<Evidence> {
            if quote.is_empty() {
                BTreeSet::new()
            } else {
                BTreeSet::from([Evidence {
                    quote: intern(quote),
                    source: intern(source),
                }])
            }
        };
        let edge = |kind, label: Option<String>, date: Option<String>, evidence| Edge {
            kind,
            label,
            date,
            end_date: None,
            evidence,
        };
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());

        // Organisations and their kinds, parents and places.
        for r in q(
            store,
            "SELECT DISTINCT ?o ?l ?gov WHERE { GRAPH ?g { ?o a org:Organization ; rdfs:label ?l .
               OPTIONAL { ?o a ?gov FILTER(?gov = schema:GovernmentOrganization) } } }",
        )? {
            let kind = if r[2].is_empty() {
                NodeKind::Organisation
            } else {
                NodeKind::GovernmentBody
            };
            g.add_node(&r[0], &r[1], kind);
        }
        // Places and their containment.
        for r in q(
            store,
            "SELECT DISTINCT ?p ?l ?level ?parent ?pl WHERE { GRAPH ?g { ?p a schema:AdministrativeArea ; rdfs:label ?l .
               OPTIONAL { ?p gk:divisionLevel ?level }
               OPTIONAL { ?p schema:containedInPlace ?parent . ?parent rdfs:label ?pl } } }",
        )? {
            let i = g.add_node(&r[0], &r[1], NodeKind::Place);
            if matches!(r[2].as_str(), "county" | "functional") {
                g.graph[i].district = Some(r[1].clone());
            }
            if !r[3].is_empty() {
                let p = g.add_node(&r[3], &r[4], NodeKind::Place);
                g.add_edge(i, p, edge(EdgeKind::LocatedIn, None, None, BTreeSet::new()));
            }
        }
        // Parents and locations of organisations.
        for r in q(
            store,
            "SELECT DISTINCT ?o ?parent ?loc WHERE { GRAPH ?g { ?o a org:Organization .
               { ?o org:subOrganizationOf ?parent } UNION { ?o schema:location ?loc } } }",
        )? {
            let Some(o) = g.find(&r[0]) else { continue };
            if let Some(p) = g.find(&r[1]) {
                g.add_edge(
                    o,
                    p,
                    edge(EdgeKind::SubsidiaryOf, None, None, BTreeSet::new()),
                );
            }
            if let Some(l) = g.find(&r[2]) {
                g.add_edge(o, l, edge(EdgeKind::LocatedIn, None, None, BTreeSet::new()));
            }
        }
        // People and terms of office.
        for r in q(
            store,
            "SELECT DISTINCT ?p ?l ?official WHERE { GRAPH ?g { ?p a schema:Person ; rdfs:label ?l .
               OPTIONAL { ?p a ?official FILTER(?official = gk:Official) } } }",
        )? {
            let kind = if r[2].is_empty() { NodeKind::Person } else { NodeKind::Official };
            g.add_node(&r[0], &r[1], kind);
        }
        for r in q(
            store,
            "SELECT ?p ?o ?title (MIN(?d) AS ?first) (MAX(?d) AS ?last) (SAMPLE(?quote) AS ?qq) (SAMPLE(?url) AS ?u)
             WHERE { GRAPH ?g { ?m org:member ?p ; org:organization ?o ; gk:postTitle ?title ; prov:wasDerivedFrom ?e .
                     ?e nif:anchorOf ?quote . ?g schema:url ?url }
                     OPTIONAL { GRAPH ?g { ?m gk:observedOn ?d } } }
             GROUP BY ?p ?o ?title",
        )? {
            let (Some(p), Some(o)) = (g.find(&r[0]), g.find(&r[1])) else { continue };
            let mut e = edge(EdgeKind::HoldsPostIn, opt(&r[2]), opt(&r[3]), ev(&r[5], &r[6]));
            e.end_date = opt(&r[4]);
            g.add_edge(p, o, e);
            if g.graph[p].district.is_none() {
                g.graph[p].district = g.graph[o].district.clone();
            }
        }
        g.label_homonyms();
        // Events and who took part.
        for r in q(
            store,
            "SELECT ?e (SAMPLE(?n) AS ?name) (SAMPLE(?t) AS ?type) (SAMPLE(?d) AS ?date) (SAMPLE(?loc) AS ?l)
             WHERE { GRAPH ?g { ?e gk:eventType ?et ; schema:name ?n }
                     OPTIONAL { GRAPH ?g { ?e schema:startDate ?d } } OPTIONAL { GRAPH ?g { ?e schema:location ?loc } }
                     BIND(STRAFTER(STR(?et), \"/event-type/\") AS ?t) } GROUP BY ?e",
        )? {
            let label = format!("{} {}", r[3], r[1].chars().take(18).collect::<String>()).trim().to_string();
            let i = g.add_node(&r[0], &label, NodeKind::Event);
            g.graph[i].date = opt(&r[3]);
            if let Some(l) = g.find(&r[4]) {
                g.graph[i].district = g.graph[l].district.clone();
            }
        }
        for r in q(
            store,
            "SELECT DISTINCT ?e ?p ?role ?d ?quote ?url WHERE { GRAPH ?g { ?e gk:participation ?x ; prov:wasDerivedFrom ?ev .
               ?x gk:participant ?p ; gk:role ?r . ?ev nif:anchorOf ?quote . ?g schema:url ?url }
               OPTIONAL { GRAPH ?g { ?e schema:startDate ?d } } BIND(STRAFTER(STR(?r), \"/role/\") AS ?role) }",
        )? {
            let (Some(e), Some(p)) = (g.find(&r[0]), g.find(&r[1])) else { continue };
            let kind = if r[2] == "witness" { EdgeKind::Witnessed } else { EdgeKind::TookPartIn };
            g.add_edge(p, e, edge(kind, opt(&r[2]), opt(&r[3]), ev(&r[4], &r[5])));
        }
        for r in q(
            store,
            "SELECT DISTINCT ?e ?o ?d ?quote ?url WHERE { GRAPH ?g { ?e gk:involves ?o ; prov:wasDerivedFrom ?ev .
               ?ev nif:anchorOf ?quote . ?g schema:url ?url } OPTIONAL { GRAPH ?g { ?e schema:startDate ?d } } }",
        )? {
            let (Some(e), Some(o)) = (g.find(&r[0]), g.find(&r[1])) else { continue };
            g.add_edge(o, e, edge(EdgeKind::TookPartIn, None, opt(&r[2]), ev(&r[3], &r[4])));
        }
        // Contacts: the official met the organisation.
        for r in q(
            store,
            "SELECT DISTINCT ?p ?o ?d ?quote ?url WHERE { GRAPH ?g { ?c gk:official ?p ; gk:organization ?o ; gk:atEvent ?e ; prov:wasDerivedFrom ?ev .
               ?ev nif:anchorOf ?quote . ?g schema:url ?url } OPTIONAL { GRAPH ?g { ?e schema:startDate ?d } } }",
        )? {
            let (Some(p), Some(o)) = (g.find(&r[0]), g.find(&r[1])) else { continue };
            g.add_edge(p, o, edge(EdgeKind::Met, None, opt(&r[2]), ev(&r[3], &r[4])));
        }
        // Agreements: the parties signed with each other.
        for r in q(
            store,
            "SELECT DISTINCT ?a ?x ?y ?d ?quote ?url WHERE { GRAPH ?g { ?a gk:party ?x, ?y ; prov:wasDerivedFrom ?ev .
               FILTER(STR(?x) < STR(?y)) ?ev nif:anchorOf ?quote . ?g schema:url ?url }
               OPTIONAL { GRAPH ?g { ?a gk:signedAt/schema:startDate ?d } } }",
        )? {
            let (Some(x), Some(y)) = (g.find(&r[1]), g.find(&r[2])) else { continue };
            g.add_edge(x, y, edge(EdgeKind::SignedWith, None, opt(&r[3]), ev(&r[4], &r[5])));
        }
        // Projects in their places.
        for r in q(
            store,
            "SELECT DISTINCT ?x ?l ?place ?quote ?url WHERE { GRAPH ?g { ?x a gk:Project ; rdfs:label ?l ; prov:wasDerivedFrom ?ev .
               ?ev nif:anchorOf ?quote . ?g schema:url ?url } OPTIONAL { GRAPH ?g { ?x schema:containedInPlace ?place } } }",
        )? {
            let i = g.add_node(&r[0], &r[1], NodeKind::Project);
            if let Some(p) = g.find(&r[2]) {
                g.graph[i].district = g.graph[p].district.clone();
                g.add_edge(i, p, edge(EdgeKind::LocatedIn, None, None, ev(&r[3], &r[4])));
            }
        }
        // Organisations without a district take the district of the events they took part in.
        let orgs: Vec<NodeIndex> = g
            .graph
            .node_indices()
            .filter(|&i| g.graph[i].district.is_none() && g.graph[i].kind != NodeKind::Place)
            .collect();
        for i in orgs {
            let d = g
                .graph
                .neighbors_undirected(i)
                .filter_map(|n| g.graph[n].district.clone())
                .next();
            g.graph[i].district = d;
        }
        Ok(g)
    }

    /// Every organisation's alternate names, by IRI.
    pub fn aliases(store: &GraphStore) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for r in q(
            store,
            "SELECT DISTINCT ?o ?a WHERE { ?o schema:alternateName ?a }",
        )? {
            out.entry(r[0].clone()).or_default().push(r[1].clone());
        }
        Ok(out)
    }

    /// Applies a filter, returning the kept subgraph.
    pub fn filtered(&self, f: &Filter, aliases: &HashMap<String, Vec<String>>) -> KnowledgeGraph {
        let mut g = self.clone();
        // Period: dated edges and events outside it go.
        let outside = |d: &Option<String>| {
            d.as_deref().is_some_and(|d| {
                f.from.as_deref().is_some_and(|from| d < from)
                    || f.to.as_deref().is_some_and(|to| d > to)
            })
        };
        if f.from.is_some() || f.to.is_some() {
            g.graph.retain_edges(|gr, e| {
                let w = &gr[e];
                // Terms of office overlap the period unless they end before it or start after it.
                match w.kind {
                    EdgeKind::HoldsPostIn => {
                        let end = w.end_date.clone().or(w.date.clone());
                        !(f.from
                            .as_deref()
                            .is_some_and(|from| end.as_deref().is_some_and(|e| e < from))
                            || f.to
                                .as_deref()
                                .is_some_and(|to| w.date.as_deref().is_some_and(|s| s > to)))
                    }
                    _ => !outside(&w.date),
                }
            });
            g.graph
                .retain_nodes(|gr, n| !(gr[n].kind == NodeKind::Event && outside(&gr[n].date)));
        }
        if f.fold_events {
            g.graph.retain_nodes(|gr, n| gr[n].kind != NodeKind::Event);
        }
        // District: what is in it, and who and what took part in its events.
        if let Some(d) = &f.district {
            let d = d.as_str();
            let seeds: HashSet<NodeIndex> = g
                .graph
                .node_indices()
                .filter(|&i| {
                    let n = &g.graph[i];
                    n.district.as_deref() == Some(d)
                        || (n.kind == NodeKind::Place
                            && (n.label == d || crate::gazetteer::short_form(&n.label) == Some(d)))
                })
                .collect();
            let mut keep = seeds.clone();
            for &s in &seeds {
                if g.graph[s].kind == NodeKind::Event || g.graph[s].kind.is_actor() {
                    keep.extend(
                        g.graph
                            .neighbors_undirected(s)
                            .filter(|&n| g.graph[n].kind != NodeKind::Place),
                    );
                }
            }
            g.graph.retain_nodes(|_, n| keep.contains(&n));
        }
        if let Some(kinds) = &f.kinds {
            g.graph.retain_nodes(|gr, n| kinds.contains(&gr[n].kind));
        }
        // Focus: within `depth` hops of the named nodes.
        if !f.focus.is_empty() || !f.focus_nodes.is_empty() {
            let starts: Vec<NodeIndex> = f
                .focus
                .iter()
                .flat_map(|name| g.find_by_name(name, aliases))
                .chain(f.focus_nodes.iter().filter_map(|iri| g.find(iri)))
                // The index predates the filters above.
                .filter(|&i| g.graph.contains_node(i))
                .collect();
            let depth = f.depth.unwrap_or(2);
            let mut seen: HashSet<NodeIndex> = starts.iter().copied().collect();
            let mut queue: VecDeque<(NodeIndex, usize)> = starts.iter().map(|&s| (s, 0)).collect();
            while let Some((n, d)) = queue.pop_front() {
                if d == depth {
                    continue;
                }
                for m in g.graph.neighbors_undirected(n) {
                    if seen.insert(m) {
                        queue.push_back((m, d + 1));
                    }
                }
            }
            g.graph.retain_nodes(|_, n| seen.contains(&n));
        }
        g.index = g
            .graph
            .node_indices()
            .map(|i| (g.graph[i].iri.clone(), i))
            .collect();
        g
    }
}
