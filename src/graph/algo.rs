//! Walking the graph: the shortest chains linking two entities, and who is most
//! connected (degree and betweenness centrality, the latter from
//! `rustworkx-core`'s Brandes implementation).

use std::collections::{HashMap, VecDeque};

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use petgraph::Undirected;

use super::{EdgeKind, KnowledgeGraph, NodeKind};

/// One hop of a chain: the edge taken and the node reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub edge: EdgeIndex,
    pub to: NodeIndex,
}

/// A chain from a start node, hop by hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub start: NodeIndex,
    pub hops: Vec<Hop>,
}

/// Up to `limit` shortest chains from `a` to `b`, ignoring edge direction.
/// Writes chains as text: one line per chain with its start, then one line
/// per hop (direction, node, relation and date, kind) with its first evidence.
pub fn write_chains(
    g: &KnowledgeGraph,
    chains: &[Chain],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for (n, chain) in chains.iter().enumerate() {
        writeln!(
            out,
            "chain {} ({} hops): {}",
            n + 1,
            chain.hops.len(),
            g.node(chain.start).label
        )?;
        let mut at = chain.start;
        for hop in &chain.hops {
            let e = &g.graph[hop.edge];
            let arrow = match g.graph.edge_endpoints(hop.edge) {
                Some((s, _)) if s == at => "→",
                _ => "←",
            };
            let label = e.label_or(EdgeKind::as_str);
            writeln!(
                out,
                "  {arrow} {} [{}{}] {}",
                g.node(hop.to).label,
                label,
                e.date
                    .as_deref()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default(),
                g.node(hop.to).kind.as_str()
            )?;
            for ev in e.evidence.iter().take(1) {
                writeln!(
                    out,
                    "      “{}” ({})",
                    ev.quote.replace('\n', " "),
                    ev.source
                )?;
            }
            at = hop.to;
        }
    }
    Ok(())
}

pub fn shortest_chains(g: &KnowledgeGraph, a: NodeIndex, b: NodeIndex, limit: usize) -> Vec<Chain> {
    if a == b {
        return vec![Chain {
            start: a,
            hops: vec![],
        }];
    }
    let mut dist: HashMap<NodeIndex, usize> = HashMap::from([(a, 0)]);
    let mut preds: HashMap<NodeIndex, Vec<(NodeIndex, EdgeIndex)>> = HashMap::new();
    let mut queue = VecDeque::from([a]);
    while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        if dist.get(&b).is_some_and(|&db| d >= db) {
            break;
        }
        let edges = g
            .graph
            .edges_directed(n, petgraph::Direction::Outgoing)
            .map(|e| (e.target(), e.id()))
            .chain(
                g.graph
                    .edges_directed(n, petgraph::Direction::Incoming)
                    .map(|e| (e.source(), e.id())),
            );
        for (m, e) in edges {
            match dist.get(&m) {
                None => {
                    dist.insert(m, d + 1);
                    preds.entry(m).or_default().push((n, e));
                    queue.push_back(m);
                }
                Some(&dm) if dm == d + 1 => {
                    preds.entry(m).or_default().push((n, e));
                }
                _ => {}
            }
        }
    }
    if !dist.contains_key(&b) {
        return vec![];
    }
    // Walk predecessors back from b, depth first, until `limit` chains.
    let mut out = Vec::new();
    let mut stack: Vec<(NodeIndex, Vec<Hop>)> = vec![(b, vec![])];
    while let Some((n, tail)) = stack.pop() {
        if out.len() >= limit {
            break;
        }
        if n == a {
            out.push(Chain {
                start: a,
                hops: tail,
            });
            continue;
        }
        for &(p, e) in preds.get(&n).into_iter().flatten().rev() {
            let mut hops = vec![Hop { edge: e, to: n }];
            hops.extend(tail.iter().cloned());
            stack.push((p, hops));
        }
    }
    out
}

/// A node's connectedness.
#[derive(Debug, Clone, PartialEq)]
pub struct Rank {
    pub node: NodeIndex,
    /// Distinct neighbours in the official–organisation graph.
    pub degree: usize,
    /// Normalised betweenness centrality.
    pub betweenness: f64,
}

/// A row of `govkg rank`: a node's name and kind with its [`Rank`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankRow {
    pub name: String,
    pub kind: &'static str,
    pub degree: usize,
    pub betweenness: f64,
}

impl RankRow {
    pub const HEADERS: [&'static str; 4] = ["name", "kind", "degree", "betweenness"];

    /// The row as text cells, in the order of [`HEADERS`](Self::HEADERS).
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.kind.to_string(),
            self.degree.to_string(),
            format!("{:.4}", self.betweenness),
        ]
    }
}

/// The `top` most connected nodes of [`rank`], as rows.
pub fn rank_rows(g: &KnowledgeGraph, top: usize) -> Vec<RankRow> {
    rank(g)
        .into_iter()
        .take(top)
        .map(|r| RankRow {
            name: g.node(r.node).label.clone(),
            kind: g.node(r.node).kind.as_str(),
            degree: r.degree,
            betweenness: r.betweenness,
        })
        .collect()
}

/// Degree and betweenness over the official–organisation graph: officials,
/// organisations and government bodies, linked by contacts, agreements, posts
/// and parent companies. Sorted by betweenness, then degree.
pub fn rank(g: &KnowledgeGraph) -> Vec<Rank> {
    let mut u: StableGraph<NodeIndex, (), Undirected> = StableGraph::default();
    let mut map = HashMap::new();
    for i in g
        .graph
        .node_indices()
        .filter(|&i| g.graph[i].kind.is_actor())
    {
        map.insert(i, u.add_node(i));
    }
    for e in g.graph.edge_references() {
        let keep = matches!(
            e.weight().kind,
            EdgeKind::Met | EdgeKind::SignedWith | EdgeKind::HoldsPostIn | EdgeKind::SubsidiaryOf
        );
        if let (true, Some(&x), Some(&y)) = (keep, map.get(&e.source()), map.get(&e.target())) {
            if x != y && u.find_edge(x, y).is_none() {
                u.add_edge(x, y, ());
            }
        }
    }
    let between = rustworkx_core::centrality::betweenness_centrality(&u, false, true, 1_000_000);
    let mut out: Vec<Rank> = u
        .node_indices()
        .map(|ui| Rank {
            node: u[ui],
            degree: u.neighbors(ui).count(),
            betweenness: between.get(ui.index()).copied().flatten().unwrap_or(0.0),
        })
        .filter(|r| {
            r.degree > 0 && g.graph[r.node].kind != NodeKind::GovernmentBody || r.degree > 1
        })
        .collect();
    out.sort_by(|a, b| {
        b.betweenness
            .partial_cmp(&a.betweenness)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.degree.cmp(&a.degree))
            .then(g.graph[a.node].label.cmp(&g.graph[b.node].label))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, Node};

    fn graph(edges: &[(&str, &str)]) -> KnowledgeGraph {
        let mut g = KnowledgeGraph::default();
        for (a, b) in edges {
            let kind = |s: &str| {
                if s.starts_with('o') {
                    NodeKind::Official
                } else {
                    NodeKind::Organisation
                }
            };
            let x = g.add_node(a, a, kind(a));
            let y = g.add_node(b, b, kind(b));
            g.add_edge(
                x,
                y,
                Edge {
                    kind: EdgeKind::Met,
                    label: None,
                    date: None,
                    end_date: None,
                    evidence: Default::default(),
                },
            );
        }
        g
    }

    fn label(g: &KnowledgeGraph, i: NodeIndex) -> &str {
        let Node { label, .. } = &g.graph[i];
        label
    }

    #[test]
    fn shortest_chains_take_every_route_of_least_length() {
        // o1 met c1 and c2; both met o2: two chains of two hops.
        let g = graph(&[
            ("o1", "c1"),
            ("o1", "c2"),
            ("o2", "c1"),
            ("o2", "c2"),
            ("o2", "c3"),
        ]);
        let (a, b) = (g.find("o1").unwrap(), g.find("c3").unwrap());
        let chains = shortest_chains(&g, a, b, 10);
        assert_eq!(chains.len(), 2);
        for c in &chains {
            assert_eq!(c.hops.len(), 3);
            assert_eq!(label(&g, c.hops.last().unwrap().to), "c3");
        }
        assert!(shortest_chains(&g, a, g.find("o1").unwrap(), 10)[0]
            .hops
            .is_empty());
    }

    #[test]
    fn no_chain_between_separate_parts() {
        let g = graph(&[("o1", "c1"), ("o2", "c2")]);
        assert!(shortest_chains(&g, g.find("o1").unwrap(), g.find("c2").unwrap(), 5).is_empty());
    }

    #[test]
    fn the_broker_between_two_groups_ranks_first() {
        // o1 is the only link between {c1, c2} and {c3, c4}.
        let g = graph(&[
            ("o1", "c1"),
            ("o1", "c2"),
            ("o1", "c3"),
            ("o1", "c4"),
            ("o2", "c1"),
            ("o3", "c3"),
        ]);
        let r = rank(&g);
        assert_eq!(label(&g, r[0].node), "o1");
        assert_eq!(r[0].degree, 4);
        // Path graph a - b - c: the middle has betweenness 1 when normalised.
        let g = graph(&[("o1", "c1"), ("c1", "o2")]);
        let r = rank(&g);
        assert_eq!(label(&g, r[0].node), "c1");
        assert!((r[0].betweenness - 1.0).abs() < 1e-9);
    }
}
