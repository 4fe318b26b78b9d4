//! RDF: turns a resolved extraction into quads in the article's named graph,
//! using W3C ORG, schema.org, PROV-O, SKOS and NIF terms.
//! Every event, membership, contact, agreement and project points to its
//! evidence: a node named by the sentences' character offsets in the article
//! (`ARTICLE#char=b,e`, RFC 5147) that carries their text.
//!
//! The graph says each thing once: no class the ontology implies from a
//! property (a membership is what has an `org:member`), no shortcut beside the
//! node it shortens (no `schema:attendee` beside participations, no `gk:met`
//! beside contacts, no `org:Post` beside memberships), and no offsets or
//! context beside the evidence IRI that already holds them.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

use crate::extract::{Affiliation, PlaceKey, Span};
use crate::gazetteer::Gazetteer;
use crate::lexicon::{Lexicon, OrgClass};
use crate::resolve::{self, stable_hash, Resolved, ID};
use crate::source::Article;
use crate::text::Document;
use vocab::{gk, nif, org, prov, schema, skos};

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

/// The terms govkg writes, as typed constants (as `oxigraph::model::vocab`
/// gives RDF's own), so that a misspelt term does not compile.
pub mod vocab {
    macro_rules! terms {
        ($(#[$doc:meta])* $module:ident, $ns:expr, { $($name:ident = $local:literal),* $(,)? }) => {
            $(#[$doc])*
            pub mod $module {
                use oxigraph::model::NamedNodeRef;
                $(pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($ns, $local));)*
            }
        };
    }
    terms!(
        /// govkg's own terms (`ontology/govkg.ttl`).
        gk, "https://w3id.org/govkg/ontology#", {
        AT_EVENT = "atEvent", DIVISION_LEVEL = "divisionLevel",
        EVENT_TYPE = "eventType", FORMER = "former", INVOLVES = "involves",
        OBSERVED_ON = "observedOn", OFFICIAL = "official", OFFICIAL_CLASS = "Official",
        ORGANIZATION = "organization", PARTICIPANT = "participant",
        PARTICIPATION = "participation", PARTY = "party", POST_KIND = "postKind",
        POST_TITLE = "postTitle", PROJECT = "Project", PUBLICATION_PERIOD = "publicationPeriod",
        ROLE = "role", SIGNED_AT = "signedAt", SOURCE_FILE = "sourceFile", WITNESS = "witness",
        FIRST_OBSERVED = "firstObserved", LAST_OBSERVED = "lastObserved",
    });
    terms!(
        /// W3C ORG.
        org, "http://www.w3.org/ns/org#", {
        MEMBER = "member", ORGANIZATION = "organization", ORGANIZATION_CLASS = "Organization",
        ROLE = "role", SUB_ORGANIZATION_OF = "subOrganizationOf",
    });
    terms!(
        /// schema.org.
        schema, "http://schema.org/", {
        ADMINISTRATIVE_AREA = "AdministrativeArea", ALTERNATE_NAME = "alternateName",
        CONTAINED_IN_PLACE = "containedInPlace", CORPORATION = "Corporation",
        DATE_PUBLISHED = "datePublished", END_DATE = "endDate", EVENT = "Event",
        GOVERNMENT_ORGANIZATION = "GovernmentOrganization", HEADLINE = "headline",
        LOCATION = "location", NAME = "name", NEWS_ARTICLE = "NewsArticle",
        ORGANIZATION = "Organization", PERSON = "Person", START_DATE = "startDate", URL = "url",
    });
    terms!(
        /// PROV-O.
        prov, "http://www.w3.org/ns/prov#", { WAS_DERIVED_FROM = "wasDerivedFrom" });
    terms!(
        /// SKOS.
        skos, "http://www.w3.org/2004/02/skos/core#", {
        IN_SCHEME = "inScheme", PREF_LABEL = "prefLabel",
    });
    terms!(
        /// NIF: the text of an evidence string.
        nif, "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", {
        ANCHOR_OF = "anchorOf",
    });
}

/// The character offsets `(begin, end)` an evidence IRI (`…#char=b,e`) names.
pub fn evidence_offsets(iri: &str) -> Option<(usize, usize)> {
    let (_, range) = iri.rsplit_once("#char=")?;
    let (begin, end) = range.split_once(',')?;
    Some((begin.parse().ok()?, end.parse().ok()?))
}

fn nn(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
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

/// The quads of one article as they are built, with what is needed to name
/// its nodes.
struct Builder<'a> {
    article: &'a Article,
    article_node: NamedNode,
    resolved: &'a Resolved,
    lexicon: &'a Lexicon,
    doc: &'a Document,
    body: Vec<char>,
    graph: GraphName,
    quads: Vec<Quad>,
    /// Evidence spans already written (one evidence node per span).
    evidence_written: std::collections::HashSet<Span>,
}

impl Builder<'_> {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            NamedOrBlankNode::from(s.clone()),
            p,
            o,
            self.graph.clone(),
        ));
    }

    /// The evidence node of a span, written once: a NIF string of the article
    /// named by its character offsets (RFC 5147), with its text. The offsets and
    /// the article are in the IRI; writing them again (and a class) took four
    /// quads more per sentence, an eighth of all quads.
    fn evidence(&mut self, span: Span) -> NamedNode {
        let start = self.doc.sentences[span.first].start;
        let end = self.doc.sentences[span.last].end.max(start);
        let node = nn(format!("{}#char={start},{end}", self.article_node.as_str()));
        if self.evidence_written.insert(span) {
            let anchor: String = self.body[start..end.min(self.body.len())].iter().collect();
            self.add(&node, nif::ANCHOR_OF, Literal::new_simple_literal(anchor));
        }
        node
    }

    /// States that `subject` derives from the sentences of `span`.
    fn derived_from(&mut self, subject: &NamedNode, span: Span) {
        let ev = self.evidence(span);
        self.add(subject, prov::WAS_DERIVED_FROM, ev);
    }

    fn person(&self, name: &str) -> NamedNode {
        nn(self.resolved.person_node(name))
    }

    fn org_node(&self, name: &str) -> NamedNode {
        nn(self.resolved.org_node(name))
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
    let article_node = article_graph(article);
    let mut b = Builder {
        article,
        graph: GraphName::NamedNode(article_node.clone()),
        article_node,
        resolved,
        lexicon,
        doc,
        body: article.body.chars().collect(),
        quads: Vec::new(),
        evidence_written: Default::default(),
    };
    article_facts(&mut b);
    people(&mut b);
    places(&mut b);
    organisations(&mut b);
    memberships(&mut b);
    let events = events(&mut b);
    contacts(&mut b, &events);
    agreements(&mut b, &events);
    projects(&mut b);

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

/// The article itself: where it was published, when, and from which file.
fn article_facts(b: &mut Builder) {
    let (article, node) = (b.article, b.article_node.clone());
    b.add(&node, rdf::TYPE, schema::NEWS_ARTICLE);
    b.add(
        &node,
        schema::URL,
        Literal::new_typed_literal(&article.url, xsd::ANY_URI),
    );
    if let Some(t) = &article.title {
        b.add(&node, schema::HEADLINE, zh(t));
    }
    if let Some(p) = article.published {
        match p.to_naive() {
            Some(d) => b.add(&node, schema::DATE_PUBLISHED, date(d)),
            // Only a year or a month is known.
            None => {
                let datatype = if p.month.is_some() {
                    xsd::G_YEAR_MONTH
                } else {
                    xsd::G_YEAR
                };
                b.add(
                    &node,
                    gk::PUBLICATION_PERIOD,
                    Literal::new_typed_literal(p.to_string(), datatype),
                );
            }
        }
    }
    b.add(
        &node,
        gk::SOURCE_FILE,
        Literal::new_simple_literal(article.path.display().to_string()),
    );
}

/// People, officials (those holding a post) marked as such.
fn people(b: &mut Builder) {
    let resolved = b.resolved;
    for p in &resolved.extraction.people {
        let node = b.person(&p.name);
        b.add(&node, rdf::TYPE, schema::PERSON);
        if p.official {
            b.add(&node, rdf::TYPE, gk::OFFICIAL_CLASS);
        }
        b.add(&node, rdfs::LABEL, zh(&p.name));
    }
}

/// Places named, with the places that contain them.
fn places(b: &mut Builder) {
    let (resolved, lexicon) = (b.resolved, b.lexicon);
    let x = &resolved.extraction;
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
    let gaz = &lexicon.gazetteer;
    let mut place_nodes_done: Vec<String> = Vec::new();
    for p in &places {
        emit_place(b, p, gaz, &mut place_nodes_done);
    }
}

/// Organisations, each under the name another article gives it most fully.
fn organisations(b: &mut Builder) {
    let resolved = b.resolved;
    for o in &resolved.extraction.orgs {
        // An organisation another article names more fully is that node; its
        // name here is then one of its alternate names.
        let canonical = resolved.org_name(&o.name);
        let node = b.org_node(&o.name);
        b.add(&node, rdf::TYPE, org::ORGANIZATION_CLASS);
        let class = match o.class {
            OrgClass::Corporation => schema::CORPORATION,
            OrgClass::Government => schema::GOVERNMENT_ORGANIZATION,
            OrgClass::Organization => schema::ORGANIZATION,
        };
        b.add(&node, rdf::TYPE, class);
        b.add(&node, rdfs::LABEL, zh(canonical));
        if canonical != o.name {
            b.add(&node, schema::ALTERNATE_NAME, zh(&o.name));
        }
        for a in &o.aliases {
            b.add(&node, schema::ALTERNATE_NAME, zh(a));
        }
        if let Some(parent) = &o.parent {
            let parent = b.org_node(parent);
            b.add(&node, org::SUB_ORGANIZATION_OF, parent);
        }
        if let Some(place) = &o.place {
            b.add(&node, schema::LOCATION, nn(resolve::place_iri(place)));
        }
        b.derived_from(&node, o.evidence);
    }
}

/// Memberships (ORG's n-ary "who holds which post where"), with the post
/// title as a SKOS concept and the dates the article reports the post held.
fn memberships(b: &mut Builder) {
    let resolved = b.resolved;
    for m in &resolved.extraction.memberships {
        let holder = nn(resolved.affiliation_iri(&m.affiliation));
        // Minted IRIs use the names as written, so they do not depend on what the store knew.
        let holder_key = resolved.affiliation_key(&m.affiliation);
        // The title is a concept of the post-title scheme, with its kind
        // (party, government, company …: the lexicon's, one per title), said
        // once per article rather than on each membership.
        let title = nn(resolve::post_title_iri(&m.title));
        b.add(&title, skos::IN_SCHEME, nn(ns::POST_TITLE_SCHEME));
        b.add(&title, skos::PREF_LABEL, zh(&m.title));
        if !m.title_en.is_empty() {
            b.add(&title, skos::PREF_LABEL, en(&m.title_en));
        }
        b.add(
            &title,
            gk::POST_KIND,
            Literal::new_simple_literal(format!("{:?}", m.kind).to_lowercase()),
        );
        let person = b.person(&m.person);
        let membership = nn(format!(
            "{ID}membership/{}",
            stable_hash(&[person.as_str(), &holder_key, &m.title])
        ));
        b.add(&membership, org::MEMBER, person);
        b.add(&membership, org::ORGANIZATION, holder);
        b.add(&membership, org::ROLE, title);
        b.add(&membership, gk::POST_TITLE, zh(&m.title));
        for d in &m.dates {
            b.add(&membership, gk::OBSERVED_ON, date(*d));
        }
        if m.former {
            // Held before the article: no date of its own, and (by its place)
            // the link `identity` follows to whoever of the name held it.
            b.add(&membership, gk::FORMER, Literal::from(true));
        }
        b.derived_from(&membership, m.evidence);
    }
}

/// Events, with who took part in which role and the organisations involved.
/// Returns each event's node, in the extraction's order.
fn events(b: &mut Builder) -> Vec<NamedNode> {
    let (article, resolved, lexicon) = (b.article, b.resolved, b.lexicon);
    let mut event_nodes = Vec::new();
    let mut seen_keys: Vec<String> = Vec::new();
    for (i, e) in resolved.extraction.events.iter().enumerate() {
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
        // An event is what has a gk:eventType, its kind: neither schema:Event
        // nor a subclass (gk:Meeting …) beside it. A kind the lexicon does
        // not know is said by the class alone.
        match lexicon.event_type(&e.kind) {
            Some(c) => b.add(&node, gk::EVENT_TYPE, nn(&c.iri)),
            None => b.add(&node, rdf::TYPE, schema::EVENT),
        }
        if let Some(d) = e.start {
            b.add(&node, schema::START_DATE, date(d));
        }
        if let Some(d) = e.end {
            b.add(&node, schema::END_DATE, date(d));
        }
        if let Some(p) = &e.place {
            b.add(&node, schema::LOCATION, nn(resolve::place_iri(p)));
        }
        b.add(&node, schema::NAME, zh(&e.summary));
        for p in &e.participants {
            let person = b.person(&p.person);
            let part = nn(format!(
                "{}/participation/{}",
                node.as_str(),
                stable_hash(&[&p.person, &p.role])
            ));
            b.add(&node, gk::PARTICIPATION, part.clone());
            b.add(&part, gk::PARTICIPANT, person);
            if let Some(r) = lexicon.role(&p.role) {
                b.add(&part, gk::ROLE, nn(&r.iri));
            }
        }
        for o in &e.orgs {
            let o = b.org_node(o);
            b.add(&node, gk::INVOLVES, o);
        }
        b.derived_from(&node, e.evidence);
    }
    event_nodes
}

/// Contacts: an official met an organisation at an event (dated by it).
fn contacts(b: &mut Builder, events: &[NamedNode]) {
    let resolved = b.resolved;
    for c in &resolved.extraction.contacts {
        let event = &events[c.event];
        let person = b.person(&c.official);
        let orgn = b.org_node(&c.org);
        let node = nn(format!(
            "{ID}contact/{}",
            stable_hash(&[person.as_str(), &resolved.org_key(&c.org), event.as_str()])
        ));
        b.add(&node, gk::OFFICIAL, person);
        b.add(&node, gk::ORGANIZATION, orgn);
        b.add(&node, gk::AT_EVENT, event.clone());
        b.derived_from(&node, c.evidence);
    }
}

/// Agreements: two parties, the officials who witnessed, the signing event.
fn agreements(b: &mut Builder, events: &[NamedNode]) {
    let resolved = b.resolved;
    let x = &resolved.extraction;
    for a in &x.agreements {
        let event = &events[a.event];
        let mut parties = [a.parties[0].as_str(), a.parties[1].as_str()];
        parties.sort();
        let node = nn(format!(
            "{ID}agreement/{}",
            stable_hash(&[parties[0], parties[1], event.as_str()])
        ));
        // An agreement is what has gk:party (its class is implied), dated by
        // the signing it was signed at.
        for p in parties {
            let p = b.org_node(p);
            b.add(&node, gk::PARTY, p);
        }
        for w in &a.witnesses {
            let w = b.person(w);
            b.add(&node, gk::WITNESS, w);
        }
        b.add(&node, gk::SIGNED_AT, event.clone());
        if let Some(t) = &a.title {
            b.add(&node, schema::NAME, zh(t));
        }
        b.derived_from(&node, a.evidence);
    }
}

/// Projects, parks and facilities (a gk:Project is a schema:Place), where they are.
fn projects(b: &mut Builder) {
    let resolved = b.resolved;
    for p in &resolved.extraction.projects {
        let node = nn(resolve::project_iri(&p.name));
        b.add(&node, rdf::TYPE, gk::PROJECT);
        b.add(&node, rdfs::LABEL, zh(&p.name));
        if let Some(place) = &p.place {
            b.add(
                &node,
                schema::CONTAINED_IN_PLACE,
                nn(resolve::place_iri(place)),
            );
        }
        b.derived_from(&node, p.evidence);
    }
}

fn emit_place(b: &mut Builder, p: &PlaceKey, gaz: &Gazetteer, done: &mut Vec<String>) {
    let iri = resolve::place_iri(p);
    if done.contains(&iri) {
        return;
    }
    done.push(iri.clone());
    let node = nn(&iri);
    b.add(&node, rdf::TYPE, schema::ADMINISTRATIVE_AREA);
    b.add(&node, rdfs::LABEL, zh(&p.name));
    b.add(
        &node,
        gk::DIVISION_LEVEL,
        Literal::new_simple_literal(p.level.as_str()),
    );
    // The GB/T 2260 code is the IRI's last segment (`…/place/440305`): no
    // skos:notation beside it.
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
            schema::CONTAINED_IN_PLACE,
            nn(resolve::place_iri(&key)),
        );
        emit_place(b, &key, gaz, done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_offsets_are_read_back_from_the_iri() {
        assert_eq!(
            evidence_offsets("https://w3id.org/govkg/id/article/ab12#char=17,42"),
            Some((17, 42))
        );
        assert_eq!(
            evidence_offsets("https://w3id.org/govkg/id/article/ab12"),
            None
        );
        assert_eq!(evidence_offsets("x#char=1"), None);
    }

    #[test]
    fn vocabulary_constants_spell_their_namespaces() {
        assert_eq!(gk::OBSERVED_ON.as_str(), format!("{}observedOn", ns::GK));
        assert_eq!(org::MEMBER.as_str(), format!("{}member", ns::ORG));
        assert_eq!(nif::ANCHOR_OF.as_str(), format!("{}anchorOf", ns::NIF));
    }
}
