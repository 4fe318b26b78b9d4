//! Exports of the projected graph: Graphviz DOT (districts as clusters, shape
//! and colour by kind), SVG (rendered by Graphviz when it is installed, by the
//! pure-Rust `layout-rs` otherwise), GraphML for Gephi/yEd, and JSON for
//! Cytoscape.js/D3.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use super::{EdgeKind, KnowledgeGraph, NodeKind};

/// The CJK font Graphviz is told to use.
pub const CJK_FONT: &str = "Noto Sans CJK SC";

/// How labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Labels {
    #[default]
    Chinese,
    /// Hanyu pinyin without tones, for readers and tools without CJK fonts.
    Pinyin,
}

impl Labels {
    pub fn apply(self, text: &str) -> String {
        match self {
            Labels::Chinese => text.to_string(),
            Labels::Pinyin => to_pinyin(text),
        }
    }
}

fn to_pinyin(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::new();
    let mut last_was_pinyin = false;
    for c in text.chars() {
        match c.to_pinyin() {
            Some(p) => {
                if last_was_pinyin {
                    out.push(' ');
                }
                out.push_str(p.plain());
                last_was_pinyin = true;
            }
            None => {
                out.push(c);
                last_was_pinyin = false;
            }
        }
    }
    out
}

/// Escapes text for a double-quoted DOT string.
pub fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn style(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Official => ("ellipse", "#f4a261"),
        NodeKind::Person => ("ellipse", "#e9c46a"),
        NodeKind::Place => ("house", "#8ecae6"),
        NodeKind::GovernmentBody => ("box", "#a8dadc"),
        NodeKind::Organisation => ("box", "#90be6d"),
        NodeKind::Project => ("hexagon", "#cdb4db"),
        NodeKind::Event => ("note", "#f1f1f1"),
    }
}

/// Writes the graph as Graphviz DOT.
pub fn write_dot(g: &KnowledgeGraph, labels: Labels, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "digraph govkg {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"{CJK_FONT}\", overlap=false, splines=true];"
    )?;
    writeln!(
        out,
        "  node [fontname=\"{CJK_FONT}\", style=filled, fontsize=11];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"{CJK_FONT}\", fontsize=9, color=\"#555555\"];"
    )?;
    let mut clusters: BTreeMap<Option<&str>, Vec<petgraph::stable_graph::NodeIndex>> =
        BTreeMap::new();
    for i in g.graph.node_indices() {
        clusters
            .entry(g.graph[i].district.as_deref())
            .or_default()
            .push(i);
    }
    for (ci, (district, nodes)) in clusters.iter().enumerate() {
        let indent = if district.is_some() { "    " } else { "  " };
        if let Some(d) = district {
            writeln!(out, "  subgraph cluster_{ci} {{")?;
            writeln!(
                out,
                "    label=\"{}\"; style=rounded; color=\"#999999\";",
                dot_escape(&labels.apply(d))
            )?;
        }
        for &i in nodes {
            let n = &g.graph[i];
            let (shape, colour) = style(n.kind);
            writeln!(
                out,
                "{indent}n{} [label=\"{}\", shape={shape}, fillcolor=\"{colour}\", tooltip=\"{}\"];",
                i.index(),
                dot_escape(&labels.apply(&n.label)),
                dot_escape(n.kind.as_str())
            )?;
        }
        if district.is_some() {
            writeln!(out, "  }}")?;
        }
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let mut label = labels.apply(w.label_or(EdgeKind::label_zh));
        if let Some(d) = &w.date {
            label.push('\n');
            label.push_str(d);
        }
        writeln!(
            out,
            "  n{} -> n{} [label=\"{}\", tooltip=\"{}\"];",
            e.source().index(),
            e.target().index(),
            dot_escape(&label),
            w.kind.as_str()
        )?;
    }
    writeln!(out, "}}")
}

/// Which renderer produced an SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    Graphviz(&'static str),
    LayoutRs,
}

impl std::fmt::Display for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Renderer::Graphviz(p) => write!(f, "Graphviz {p}"),
            Renderer::LayoutRs => write!(f, "layout-rs (Graphviz not found)"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("graphviz {program} failed: {message}")]
    Graphviz { program: String, message: String },
    #[error("layout-rs could not read the graph: {0}")]
    Layout(String),
    /// Not transparent: the I/O error stays in the error's chain, where a
    /// caller can tell a closed pipe from a failure.
    #[error("writing the map")]
    Io(#[from] std::io::Error),
}

/// The maps `govkg export` draws from the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapFormat {
    Dot,
    /// Rendered by Graphviz when it is on PATH, unless `builtin_renderer`.
    Svg {
        builtin_renderer: bool,
    },
    Graphml,
    Json,
}

/// Writes the graph as a map; for SVG, returns the renderer that drew it.
pub fn write_map(
    g: &KnowledgeGraph,
    format: MapFormat,
    labels: Labels,
    out: &mut dyn Write,
) -> Result<Option<Renderer>, RenderError> {
    match format {
        MapFormat::Dot => write_dot(g, labels, out)?,
        MapFormat::Svg { builtin_renderer } => {
            let (svg, renderer) = render_svg(g, labels, builtin_renderer)?;
            out.write_all(svg.as_bytes())?;
            return Ok(Some(renderer));
        }
        MapFormat::Graphml => write_graphml(g, labels, out)?,
        MapFormat::Json => write_json(g, labels, out)?,
    }
    Ok(None)
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Renders the graph to SVG: Graphviz `dot` (or `sfdp` for large maps) when it
/// is on PATH and `force_builtin` is false; `layout-rs` otherwise.
pub fn render_svg(
    g: &KnowledgeGraph,
    labels: Labels,
    force_builtin: bool,
) -> Result<(String, Renderer), RenderError> {
    let program: &'static str = if g.graph.node_count() > 300 {
        "sfdp"
    } else {
        "dot"
    };
    if !force_builtin && on_path(program) {
        let mut dot = Vec::new();
        write_dot(g, labels, &mut dot)?;
        let mut child = Command::new(program)
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let writer = std::thread::spawn(move || stdin.write_all(&dot));
        let output = child.wait_with_output()?;
        let _ = writer.join();
        if !output.status.success() {
            return Err(RenderError::Graphviz {
                program: program.into(),
                message: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        return Ok((
            String::from_utf8_lossy(&output.stdout).into_owned(),
            Renderer::Graphviz(program),
        ));
    }
    // layout-rs flattens clusters and reads few attributes: give it labels only.
    let mut dot = Vec::new();
    write_dot_plain(g, labels, &mut dot)?;
    let dot = String::from_utf8_lossy(&dot).into_owned();
    let mut parser = layout::gv::DotParser::new(&dot);
    let ast = parser.process().map_err(RenderError::Layout)?;
    let mut builder = layout::gv::GraphBuilder::new();
    builder.visit_graph(&ast);
    let mut visual = builder.get();
    let mut svg = layout::backends::svg::SVGWriter::new();
    visual.do_it(false, false, false, &mut svg);
    // Name a CJK font so browsers render the labels.
    let text = svg.finalize().replacen(
        "<svg ",
        &format!("<svg style=\"font-family: '{CJK_FONT}', sans-serif\" "),
        1,
    );
    Ok((text, Renderer::LayoutRs))
}

/// DOT with node and edge labels only, for `layout-rs`.
fn write_dot_plain(g: &KnowledgeGraph, labels: Labels, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "digraph govkg {{")?;
    for i in g.graph.node_indices() {
        writeln!(
            out,
            "  n{} [label=\"{}\"];",
            i.index(),
            dot_escape(&labels.apply(&g.graph[i].label))
        )?;
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let label = w.label_or(EdgeKind::label_zh);
        writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"];",
            e.source().index(),
            e.target().index(),
            dot_escape(&labels.apply(label))
        )?;
    }
    writeln!(out, "}}")
}

/// Writes GraphML (nodes and edges with kind, label, dates and evidence count).
pub fn write_graphml(
    g: &KnowledgeGraph,
    labels: Labels,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
    let mut w = quick_xml::Writer::new_with_indent(out, b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(std::io::Error::other)?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    w.write_event(Event::Start(root))
        .map_err(std::io::Error::other)?;
    let keys = [
        ("label", "node", "string"),
        ("kind", "node", "string"),
        ("iri", "node", "string"),
        ("district", "node", "string"),
        ("date", "node", "string"),
        ("elabel", "edge", "string"),
        ("ekind", "edge", "string"),
        ("edate", "edge", "string"),
        ("evidence", "edge", "int"),
    ];
    for (id, domain, ty) in keys {
        let mut k = BytesStart::new("key");
        let name = id.trim_start_matches('e');
        k.push_attribute(("id", id));
        k.push_attribute(("for", domain));
        k.push_attribute((
            "attr.name",
            if domain == "edge" && id != "evidence" {
                name
            } else {
                id
            },
        ));
        k.push_attribute(("attr.type", ty));
        w.write_event(Event::Empty(k))
            .map_err(std::io::Error::other)?;
    }
    let mut graph = BytesStart::new("graph");
    graph.push_attribute(("id", "govkg"));
    graph.push_attribute(("edgedefault", "directed"));
    w.write_event(Event::Start(graph))
        .map_err(std::io::Error::other)?;
    let data = |w: &mut quick_xml::Writer<&mut dyn Write>,
                key: &str,
                value: &str|
     -> std::io::Result<()> {
        let mut d = BytesStart::new("data");
        d.push_attribute(("key", key));
        w.write_event(Event::Start(d))
            .map_err(std::io::Error::other)?;
        w.write_event(Event::Text(BytesText::new(value)))
            .map_err(std::io::Error::other)?;
        w.write_event(Event::End(BytesEnd::new("data")))
            .map_err(std::io::Error::other)
    };
    for i in g.graph.node_indices() {
        let n = &g.graph[i];
        let mut e = BytesStart::new("node");
        e.push_attribute(("id", format!("n{}", i.index()).as_str()));
        w.write_event(Event::Start(e))
            .map_err(std::io::Error::other)?;
        data(&mut w, "label", &labels.apply(&n.label))?;
        data(&mut w, "kind", n.kind.as_str())?;
        data(&mut w, "iri", &n.iri)?;
        if let Some(d) = &n.district {
            data(&mut w, "district", d)?;
        }
        if let Some(d) = &n.date {
            data(&mut w, "date", d)?;
        }
        w.write_event(Event::End(BytesEnd::new("node")))
            .map_err(std::io::Error::other)?;
    }
    for e in g.graph.edge_references() {
        let x = e.weight();
        let mut el = BytesStart::new("edge");
        el.push_attribute(("id", format!("e{}", e.id().index()).as_str()));
        el.push_attribute(("source", format!("n{}", e.source().index()).as_str()));
        el.push_attribute(("target", format!("n{}", e.target().index()).as_str()));
        w.write_event(Event::Start(el))
            .map_err(std::io::Error::other)?;
        data(&mut w, "ekind", x.kind.as_str())?;
        if let Some(l) = &x.label {
            data(&mut w, "elabel", &labels.apply(l))?;
        }
        if let Some(d) = &x.date {
            data(&mut w, "edate", d)?;
        }
        data(&mut w, "evidence", &x.evidence.len().to_string())?;
        w.write_event(Event::End(BytesEnd::new("edge")))
            .map_err(std::io::Error::other)?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))
        .map_err(std::io::Error::other)?;
    w.write_event(Event::End(BytesEnd::new("graphml")))
        .map_err(std::io::Error::other)?;
    writeln!(w.into_inner())
}

/// Writes the graph as Cytoscape.js elements JSON
/// (`{"elements": {"nodes": […], "edges": […]}}`), one element at a time: a
/// whole `serde_json::Value` of a 10,000-article graph (1.6 M edges) took
/// 10.5 GB.
pub fn write_json(g: &KnowledgeGraph, labels: Labels, out: &mut dyn Write) -> std::io::Result<()> {
    use serde::ser::{SerializeMap, Serializer};
    use serde::Serialize;

    #[derive(Serialize)]
    struct Element<T> {
        data: T,
    }
    #[derive(Serialize)]
    struct NodeData<'a> {
        id: String,
        iri: &'a str,
        label: String,
        kind: NodeKind,
        district: &'a Option<String>,
        date: &'a Option<String>,
    }
    #[derive(Serialize)]
    struct EdgeData<'a> {
        id: String,
        source: String,
        target: String,
        kind: EdgeKind,
        label: Option<String>,
        date: &'a Option<String>,
        end_date: &'a Option<String>,
        evidence_count: usize,
        evidence: Vec<&'a super::Evidence>,
    }
    /// A sequence serialized straight from an iterator, never collected.
    struct Seq<F>(F);
    impl<I: Iterator<Item = T>, T: Serialize, F: Fn() -> I> Serialize for Seq<F> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq((self.0)())
        }
    }
    struct Elements<'a>(&'a KnowledgeGraph, Labels);
    impl Serialize for Elements<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let (g, labels) = (self.0, self.1);
            let nodes = Seq(|| {
                g.graph.node_indices().map(move |i| {
                    let n = &g.graph[i];
                    Element {
                        data: NodeData {
                            id: format!("n{}", i.index()),
                            iri: &n.iri,
                            label: labels.apply(&n.label),
                            kind: n.kind,
                            district: &n.district,
                            date: &n.date,
                        },
                    }
                })
            });
            let edges = Seq(|| {
                g.graph.edge_references().map(move |e| {
                    let w = e.weight();
                    Element {
                        data: EdgeData {
                            id: format!("e{}", e.id().index()),
                            source: format!("n{}", e.source().index()),
                            target: format!("n{}", e.target().index()),
                            kind: w.kind,
                            label: w.label.as_deref().map(|l| labels.apply(l)),
                            date: &w.date,
                            end_date: &w.end_date,
                            evidence_count: w.evidence.len(),
                            evidence: w.evidence.iter().take(3).collect(),
                        },
                    }
                })
            });
            let mut map = s.serialize_map(Some(2))?;
            map.serialize_entry("nodes", &nodes)?;
            map.serialize_entry("edges", &edges)?;
            map.end()
        }
    }
    #[derive(Serialize)]
    struct Document<'a> {
        elements: Elements<'a>,
    }
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(
        &mut out,
        &Document {
            elements: Elements(g, labels),
        },
    )?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_are_escaped() {
        assert_eq!(dot_escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(dot_escape("a\nb"), "a\\nb");
    }

    #[test]
    fn pinyin_labels() {
        assert_eq!(Labels::Pinyin.apply("福田区"), "fu tian qu");
        assert_eq!(Labels::Chinese.apply("福田区"), "福田区");
    }
}
