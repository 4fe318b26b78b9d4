//! RDF: turns a resolved extraction into quads in the article's named graph,
//! using W3C ORG, schema.org, PROV-O, SKOS, OWL-Time and NIF terms.
//! Every event, membership, contact, agreement and project points to its
//! evidence: the sentences' text and character offsets in the article.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::extract::{Affiliation, PlaceKey, Span};
use crate::gazetteer::Gazetteer;
use crate::lexicon::{Lexicon, OrgClass};
use crate::resolve::{self, stable_hash, Resolved, ID};
use crate::source::Article;
use crate::text::Document;

/// Namespaces and terms.
pub mod ns {
    pub const GK: &str = "https://w3id.org/govkg/ontology#";
    pub const ORG: &str = "http://www.w3.org/ns/org#";
    pub const SCHEMA: &str = "http://schema.org/";
    pub const PROV: &str = "http://www.w3.org/ns/prov#";
    pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
    pub const TIME: &str = "http://www.w3.org/2006/time#";
    pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
    pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
    /// The graph holding the ontology and vocabularies.
    pub const VOCAB_GRAPH: &str = "https://w3id.org/govkg/graph/vocabulary";
    /// The graph holding facts derived across articles (observed terms of office).
    pub const DERIVED_GRAPH: &str = "https://w3id.org/govkg/graph/derived";
    /// The graph recording which person nodes `identity` joined, and why.
    pub const IDENTITY_GRAPH: &str = "https://w3id.org/govkg/graph/identity";
    /// The graph holding analysts' decisions on person links (never touched by ingest).
    pub const CURATION_GRAPH: &str = "https://w3id.org/govkg/graph/curation";
    pub const POST_TITLE_SCHEME: &str = "https://w3id.org/govkg/vocab/post-title";
    /// The prefixes govkg's own SPARQL (graph, trace, workbench) is written with.
    pub const SPARQL_PREFIXES: &str = "PREFIX gk: <https://w3id.org/govkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
";
}

fn nn(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}
fn gk(local: &str) -> NamedNode {
    nn(format!("{}{local}", ns::GK))
}
fn org(local: &str) -> NamedNode {
    nn(format!("{}{local}", ns::ORG))
}
fn schema(local: &str) -> NamedNode {
    nn(format!("{}{local}", ns::SCHEMA))
}
fn prov(local: &str) -> NamedNode {
    nn(format!("{}{local}", ns::PROV))
}
fn skos(local: &str) -> NamedNode {
    nn(format!("{}{local}", ns::SKOS))
}
fn nif(local: &str) -> NamedNode {
    nn(format!("{}{local}", ns::NIF))
}
fn zh(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "zh")
}
fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}
fn date(d: chrono::NaiveDate) -> Literal {
    Literal::new_typed_literal(d.format("%Y-%m-%d").to_string(), xsd::DATE)
}

struct Builder {
    graph: GraphName,
    quads: Vec<Quad>,
    /// Evidence spans already written (one evidence node per span).
    evidence_written: std::collections::HashSet<Span>,
}

impl Builder {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            NamedOrBlankNode::from(s.clone()),
            p,
            o,
            self.graph.clone(),
        ));
    }
}

/// The article's graph IRI (the article's own IRI).
pub fn article_graph(article: &Article) -> NamedNode {
    article_graph_for_url(&article.url)
}

/// The graph IRI of the article with this URL.
pub fn article_graph_for_url(url: &str) -> NamedNode {
    nn(resolve::article_iri(url))
}

/// Builds the quads of one article.
pub fn article_quads(
    article: &Article,
    doc: &Document,
    resolved: &Resolved,
    lexicon: &Lexicon,
) -> Vec<Quad> {
    let x = &resolved.extraction;
    let article_node = article_graph(article);
    let mut b = Builder {
        graph: GraphName::NamedNode(article_node.clone()),
        quads: Vec::new(),
        evidence_written: Default::default(),
    };
    let body: Vec<char> = article.body.chars().collect();

    // The article.
    b.add(&article_node, rdf::TYPE.into(), schema("NewsArticle"));
    b.add(
        &article_node,
        schema("url"),
        Literal::new_typed_literal(&article.url, xsd::ANY_URI),
    );
    if let Some(t) = &article.title {
        b.add(&article_node, schema("headline"), zh(t));
    }
    if let Some(p) = article.published {
        match p.to_naive() {
            Some(d) => b.add(&article_node, schema("datePublished"), date(d)),
            // Only a year or a month is known.
            None => {
                let datatype = if p.month.is_some() {
                    xsd::G_YEAR_MONTH
                } else {
                    xsd::G_YEAR
                };
                b.add(
                    &article_node,
                    gk("publicationPeriod"),
                    Literal::new_typed_literal(p.to_string(), datatype),
                );
            }
        }
    }
    b.add(
        &article_node,
        gk("sourceFile"),
        Literal::new_simple_literal(article.path.display().to_string()),
    );

    // Evidence nodes, one per distinct span: a NIF string of the article, named
    // by its character offsets (RFC 5147), with its text. Five quads each; the
    // Web Annotation form (a resource and two selectors) took eleven, a sixth
    // of all quads.
    let evidence = |b: &mut Builder, span: Span| -> NamedNode {
        let start = doc.sentences[span.first].start;
        let end = doc.sentences[span.last].end.max(start);
        let node = nn(format!("{}#char={start},{end}", article_node.as_str()));
        if b.evidence_written.insert(span) {
            let anchor: String = body[start..end.min(body.len())].iter().collect();
            b.add(&node, rdf::TYPE.into(), gk("Evidence"));
            b.add(&node, nif("referenceContext"), article_node.clone());
            b.add(&node, nif("beginIndex"), Literal::from(start as i64));
            b.add(&node, nif("endIndex"), Literal::from(end as i64));
            b.add(&node, nif("anchorOf"), Literal::new_simple_literal(anchor));
        }
        node
    };

    // People.
    for p in &x.people {
        let node = nn(resolved.person_node(&p.name));
        b.add(&node, rdf::TYPE.into(), schema("Person"));
        if p.official {
            b.add(&node, rdf::TYPE.into(), gk("Official"));
        }
        b.add(&node, rdfs::LABEL.into(), zh(&p.name));
    }

    // Places: those named, with the places that contain them.
    let gaz = &lexicon.gazetteer;
    let mut places: Vec<PlaceKey> = Vec::new();
    for m in &x.memberships {
        if let Affiliation::Place(p) = &m.affiliation {
            places.push(p.clone());
        }
    }
    places.extend(x.events.iter().filter_map(|e| e.place.clone()));
    places.extend(x.projects.iter().filter_map(|p| p.place.clone()));
    places.extend(x.orgs.iter().filter_map(|o| o.place.clone()));
    places.sort();
    places.dedup();
    let mut place_nodes_done: Vec<String> = Vec::new();
    for p in &places {
        emit_place(&mut b, p, gaz, &mut place_nodes_done);
    }

    // Organisations.
    for o in &x.orgs {
        // An organisation another article names more fully is that node; its
        // name here is then one of its alternate names.
        let canonical = resolved.org_name(&o.name);
        let node = nn(resolved.org_node(&o.name));
        b.add(&node, rdf::TYPE.into(), org("Organization"));
        let class = match o.class {
            OrgClass::Corporation => "Corporation",
            OrgClass::Government => "GovernmentOrganization",
            OrgClass::Organization => "Organization",
        };
        b.add(&node, rdf::TYPE.into(), schema(class));
        b.add(&node, rdfs::LABEL.into(), zh(canonical));
        if canonical != o.name {
            b.add(&node, schema("alternateName"), zh(&o.name));
        }
        for a in &o.aliases {
            b.add(&node, schema("alternateName"), zh(a));
        }
        if let Some(parent) = &o.parent {
            b.add(
                &node,
                org("subOrganizationOf"),
                nn(resolved.org_node(parent)),
            );
            b.add(
                &node,
                schema("parentOrganization"),
                nn(resolved.org_node(parent)),
            );
        }
        if let Some(place) = &o.place {
            b.add(&node, schema("location"), nn(resolve::place_iri(place)));
        }
        let ev = evidence(&mut b, o.evidence);
        b.add(&node, prov("wasDerivedFrom"), ev);
    }

    // Posts and memberships.
    for m in &x.memberships {
        let holder = nn(resolved.affiliation_iri(&m.affiliation));
        // Minted IRIs use the names as written, so they do not depend on what the store knew.
        let holder_key = resolved.affiliation_key(&m.affiliation);
        let title = nn(resolve::post_title_iri(&m.title));
        b.add(&title, rdf::TYPE.into(), skos("Concept"));
        b.add(&title, skos("inScheme"), nn(ns::POST_TITLE_SCHEME));
        b.add(&title, skos("prefLabel"), zh(&m.title));
        if !m.title_en.is_empty() {
            b.add(&title, skos("prefLabel"), en(&m.title_en));
        }
        let post = nn(format!(
            "{ID}post/{}",
            stable_hash(&[&holder_key, &m.title])
        ));
        let holder_name = match &m.affiliation {
            Affiliation::Place(p) => p.name.clone(),
            // As written: the post's label, like its IRI, does not depend on the store.
            Affiliation::Org(o) => o.clone(),
        };
        b.add(&post, rdf::TYPE.into(), org("Post"));
        b.add(&post, org("postIn"), holder.clone());
        b.add(&post, org("role"), title.clone());
        b.add(
            &post,
            rdfs::LABEL.into(),
            zh(&format!("{holder_name}{}", m.title)),
        );
        let person = nn(resolved.person_node(&m.person));
        b.add(&person, org("holds"), post.clone());
        let membership = nn(format!(
            "{ID}membership/{}",
            stable_hash(&[person.as_str(), &holder_key, &m.title])
        ));
        b.add(&membership, rdf::TYPE.into(), org("Membership"));
        b.add(&membership, org("member"), person.clone());
        b.add(&membership, org("organization"), holder);
        b.add(&membership, org("role"), title);
        b.add(&membership, gk("post"), post);
        b.add(&membership, gk("postTitle"), zh(&m.title));
        b.add(
            &membership,
            gk("postKind"),
            Literal::new_simple_literal(format!("{:?}", m.kind).to_lowercase()),
        );
        for d in &m.dates {
            b.add(&membership, gk("observedOn"), date(*d));
        }
        if m.former {
            // Held before the article: no date of its own, and (by its place)
            // the link `identity` follows to whoever of the name held it.
            b.add(&membership, gk("former"), Literal::from(true));
        }
        let ev = evidence(&mut b, m.evidence);
        b.add(&membership, prov("wasDerivedFrom"), ev);
    }

    // Events, with participation and involved organisations.
    let mut event_nodes = Vec::new();
    let mut seen_keys: Vec<String> = Vec::new();
    for (i, e) in x.events.iter().enumerate() {
        // People by their nodes, not their names: two officials of one name
        // seen on one day are at two events. An event with no one named is
        // the article's own.
        let mut people: Vec<&str> = e
            .participants
            .iter()
            .map(|p| resolved.person_node(&p.person))
            .collect();
        if people.is_empty() {
            people.push(&article.url);
        }
        people.sort();
        let key = match e.start {
            Some(d) => {
                // Same date, type and people: the same event in any article. Within one
                // article, a second such event (another visit that day) is counted on.
                let d = d.to_string();
                let mut parts = vec![e.kind.as_str(), d.as_str()];
                parts.extend(people.iter().copied());
                let base = stable_hash(&parts);
                let ordinal = seen_keys.iter().filter(|k| **k == base).count();
                seen_keys.push(base.clone());
                if ordinal == 0 {
                    format!("{d}-{base}")
                } else {
                    format!("{d}-{base}-{ordinal}")
                }
            }
            None => format!("undated-{}", stable_hash(&[&article.url, &i.to_string()])),
        };
        let node = nn(format!("{ID}event/{key}"));
        event_nodes.push(node.clone());
        let class = match e.kind.as_str() {
            "meeting" => "Meeting",
            "inspection" => "Inspection",
            "signing" => "Signing",
            "ceremony" => "Ceremony",
            "forum" => "Forum",
            _ => "OtherEvent",
        };
        b.add(&node, rdf::TYPE.into(), schema("Event"));
        b.add(&node, rdf::TYPE.into(), gk(class));
        if let Some(c) = lexicon.event_type(&e.kind) {
            b.add(&node, gk("eventType"), nn(&c.iri));
        }
        if let Some(d) = e.start {
            b.add(&node, schema("startDate"), date(d));
        }
        if let Some(d) = e.end {
            b.add(&node, schema("endDate"), date(d));
        }
        if let Some(p) = &e.place {
            b.add(&node, schema("location"), nn(resolve::place_iri(p)));
        }
        b.add(&node, schema("name"), zh(&e.summary));
        for p in &e.participants {
            let person = nn(resolved.person_node(&p.person));
            b.add(&node, schema("attendee"), person.clone());
            if p.role == "chair" {
                b.add(&node, schema("organizer"), person.clone());
            }
            let part = nn(format!(
                "{}/participation/{}",
                node.as_str(),
                stable_hash(&[&p.person, &p.role])
            ));
            b.add(&node, gk("participation"), part.clone());
            b.add(&part, rdf::TYPE.into(), gk("Participation"));
            b.add(&part, gk("participant"), person);
            if let Some(r) = lexicon.role(&p.role) {
                b.add(&part, gk("role"), nn(&r.iri));
            }
        }
        for o in &e.orgs {
            b.add(&node, gk("involves"), nn(resolved.org_node(o)));
        }
        let ev = evidence(&mut b, e.evidence);
        b.add(&node, prov("wasDerivedFrom"), ev);
    }

    // Contacts: the official met the organisation at the event.
    for c in &x.contacts {
        let event = &event_nodes[c.event];
        let person = nn(resolved.person_node(&c.official));
        let orgn = nn(resolved.org_node(&c.org));
        let node = nn(format!(
            "{ID}contact/{}",
            stable_hash(&[person.as_str(), &resolved.org_key(&c.org), event.as_str()])
        ));
        b.add(&node, rdf::TYPE.into(), gk("Contact"));
        b.add(&node, gk("official"), person.clone());
        b.add(&node, gk("organization"), orgn.clone());
        b.add(&node, gk("atEvent"), event.clone());
        if let Some(d) = x.events[c.event].start {
            b.add(&node, schema("startDate"), date(d));
        }
        let ev = evidence(&mut b, c.evidence);
        b.add(&node, prov("wasDerivedFrom"), ev);
        b.add(&person, gk("met"), orgn);
    }

    // Agreements.
    for a in &x.agreements {
        let event = &event_nodes[a.event];
        let mut parties = [a.parties[0].as_str(), a.parties[1].as_str()];
        parties.sort();
        let node = nn(format!(
            "{ID}agreement/{}",
            stable_hash(&[parties[0], parties[1], event.as_str()])
        ));
        b.add(&node, rdf::TYPE.into(), gk("Agreement"));
        for p in parties {
            b.add(&node, gk("party"), nn(resolved.org_node(p)));
        }
        for w in &a.witnesses {
            b.add(&node, gk("witness"), nn(resolved.person_node(w)));
        }
        if let Some(d) = x.events[a.event].start {
            b.add(&node, schema("startDate"), date(d));
        }
        b.add(&node, gk("signedAt"), event.clone());
        if let Some(t) = &a.title {
            b.add(&node, schema("name"), zh(t));
        }
        let ev = evidence(&mut b, a.evidence);
        b.add(&node, prov("wasDerivedFrom"), ev);
    }

    // Projects.
    for p in &x.projects {
        let node = nn(resolve::project_iri(&p.name));
        b.add(&node, rdf::TYPE.into(), gk("Project"));
        b.add(&node, rdf::TYPE.into(), schema("Place"));
        b.add(&node, rdfs::LABEL.into(), zh(&p.name));
        if let Some(place) = &p.place {
            b.add(
                &node,
                schema("containedInPlace"),
                nn(resolve::place_iri(place)),
            );
        }
        let ev = evidence(&mut b, p.evidence);
        b.add(&node, prov("wasDerivedFrom"), ev);
    }

    // Duplicates (a place or organisation mentioned twice) go; the build order,
    // which is deterministic, stays.
    // Decided by reference with a fast hash, then kept: cloning every quad into
    // a SipHash set was a seventh of extraction's time.
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(b.quads.len());
    let first: Vec<bool> = b.quads.iter().map(|q| seen.insert(q)).collect();
    drop(seen);
    let mut first = first.into_iter();
    b.quads.retain(|_| first.next().unwrap_or(false));
    b.quads
}

fn emit_place(b: &mut Builder, p: &PlaceKey, gaz: &Gazetteer, done: &mut Vec<String>) {
    let iri = resolve::place_iri(p);
    if done.contains(&iri) {
        return;
    }
    done.push(iri.clone());
    let node = nn(&iri);
    b.add(&node, rdf::TYPE.into(), schema("AdministrativeArea"));
    b.add(&node, rdfs::LABEL.into(), zh(&p.name));
    b.add(
        &node,
        gk("divisionLevel"),
        Literal::new_simple_literal(p.level.as_str()),
    );
    if let Some(code) = &p.code {
        b.add(&node, skos("notation"), Literal::new_simple_literal(code));
    }
    let parent = p
        .code
        .as_deref()
        .and_then(|c| gaz.by_code(c))
        .and_then(|id| gaz.get(id).parent)
        .or_else(|| p.parent_code.as_deref().and_then(|c| gaz.by_code(c)));
    if let Some(pid) = parent {
        let d = gaz.get(pid);
        let key = PlaceKey {
            name: d.name.clone(),
            code: Some(d.code.clone()),
            parent_code: d.parent.map(|x| gaz.get(x).code.clone()),
            level: d.level,
        };
        b.add(
            &node,
            schema("containedInPlace"),
            nn(resolve::place_iri(&key)),
        );
        emit_place(b, &key, gaz, done);
    }
}
