//! The briefing: a period's picture of a district or a city, read from the
//! store — per official, the dated activities (kind, role, the organisations
//! met, the sentence that says so); the contacts with organisations; the
//! agreements signed; the projects reported; contacts per official and week
//! over the weeks before; and the relationship map of the period. Every fact
//! keeps its evidence sentence and article.
//!
//! [`brief`] gathers a [`Brief`]; [`render`] writes it as one self-contained
//! HTML file or Markdown, and the workbench shows the same HTML at `/brief`;
//! [`pdf`] prints the HTML with Chromium.
//!
//! Who belongs in a place's briefing: an official who holds a post in the
//! place (or a place within it), and anyone official at an event located
//! there. A fact needs a date within the period: undated events are not in
//! any week.

pub mod pdf;
pub mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
use oxigraph::model::{Literal, Term};
use serde::Serialize;

use crate::graph::{export, Filter, KnowledgeGraph};
use crate::query::{self, QueryError, QueryOptions};
use crate::rdf::ns::SPARQL_PREFIXES as PREFIXES;
use crate::store::GraphStore;

/// A map with more nodes than this is not drawn in a briefing.
const MAP_NODE_LIMIT: usize = 400;
/// At most this many officials in the chart of contacts per week.
const CHART_OFFICIALS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    #[error("no place named {0} in the store (give a district's or a city's full name, e.g. 南山区, 深圳市)")]
    UnknownPlace(String),
    #[error("{0} is not a date (YYYY-MM-DD)")]
    BadDate(String),
    #[error("the period ends ({to}) before it starts ({from})")]
    EmptyPeriod { from: String, to: String },
    #[error("nothing dated is reported for {0}")]
    NothingDated(String),
    #[error(transparent)]
    Query(#[from] QueryError),
}

/// What to brief on. Builder-style:
/// `BriefFilter::new("深圳市").with_period(Some(from), Some(to))`.
#[derive(Debug, Clone)]
pub struct BriefFilter {
    place: String,
    from: Option<String>,
    to: Option<String>,
    weeks: usize,
    map: bool,
}

impl BriefFilter {
    /// A briefing on a place (a district, a city: its full name).
    pub fn new(place: impl Into<String>) -> Self {
        BriefFilter {
            place: place.into(),
            from: None,
            to: None,
            weeks: 8,
            map: true,
        }
    }
    /// The period (inclusive, `YYYY-MM-DD`). One end alone makes a week with
    /// it; neither, the Monday-to-Sunday week of the place's latest dated activity.
    pub fn with_period(mut self, from: Option<String>, to: Option<String>) -> Self {
        self.from = from;
        self.to = to;
        self
    }
    /// How many weeks, ending with the period's last day, the chart of
    /// contacts covers (default 8).
    pub fn with_weeks(mut self, weeks: usize) -> Self {
        self.weeks = weeks.max(1);
        self
    }
    /// Whether to draw the relationship map (default: yes).
    pub fn with_map(mut self, map: bool) -> Self {
        self.map = map;
        self
    }
}

/// Where a fact is said: the sentence, its evidence node and its article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cite {
    pub quote: String,
    /// The evidence node (`ARTICLE#char=b,e`).
    pub evidence: String,
    /// The article's graph.
    pub article: String,
    /// The article's address, where it has one.
    pub url: Option<String>,
}

/// One dated activity of an official.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub date: String,
    /// The event kind's code (meeting, inspection, signing, …).
    pub event_type: String,
    /// The official's role (chair, leader, attendee, witness, speaker).
    pub role: String,
    pub event: String,
    /// The event's own name, where the article gives one.
    pub name: Option<String>,
    /// The organisations the official met at it.
    pub organizations: Vec<String>,
    pub cite: Cite,
}

/// An official and their activities in the period.
#[derive(Debug, Clone, Serialize)]
pub struct OfficialWeek {
    pub person: String,
    pub name: String,
    /// Posts as reported (`南山区委书记`), those in the place first.
    pub posts: Vec<String>,
    pub activities: Vec<Activity>,
}

/// An official's contact with an organisation: a row of the `meetings` cookbook query.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub date: String,
    pub official: String,
    pub person: String,
    pub organization: String,
    pub event_type: String,
    /// The event it was made at.
    pub event: String,
    pub cite: Cite,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub agreement: String,
    pub date: String,
    pub parties: Vec<String>,
    /// Officials who witnessed the signing.
    pub witnesses: Vec<String>,
    pub cite: Cite,
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub name: String,
    pub place: String,
    pub cite: Cite,
}

/// Contacts per official and week, the weeks ending with the period's last day.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WeeklyContacts {
    /// Each week's first day, oldest first.
    pub weeks: Vec<String>,
    /// (official, a count per week), the busiest first.
    pub officials: Vec<(String, Vec<usize>)>,
}

/// A period's picture of a place.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub place: String,
    pub from: String,
    pub to: String,
    pub officials: Vec<OfficialWeek>,
    pub contacts: Vec<Contact>,
    pub agreements: Vec<Agreement>,
    pub projects: Vec<Project>,
    pub weekly_contacts: WeeklyContacts,
    /// The relationship map of the period as SVG, and what drew it; or why there is none.
    #[serde(skip)]
    pub map: Result<(String, String), String>,
}

/// Gathers the briefing for a place and period.
pub fn brief(store: &GraphStore, filter: &BriefFilter) -> Result<Brief, BriefError> {
    let scope = Scope::read(store, &filter.place)?;
    let (from, to) = period(store, &scope, filter)?;
    let chart_from = (to - Days::new(7 * filter.weeks as u64 - 1)).min(from);
    let (from_s, to_s) = (from.to_string(), to.to_string());

    let activities = activity_rows(store, &from_s, &to_s)?;
    let contacts_all = contact_rows(store, &chart_from.to_string(), &to_s)?;
    let participants: BTreeSet<&str> = activities
        .iter()
        .map(|a| a.person.as_str())
        .chain(contacts_all.iter().map(|(c, _)| c.person.as_str()))
        .collect();
    let posts = posts_of(store, &participants)?;
    let in_scope_official = |p: &str| {
        posts
            .get(p)
            .is_some_and(|ps| ps.iter().any(|(place, _)| scope.places.contains(place)))
    };
    let kept = |person: &str, location: &Option<String>| {
        in_scope_official(person)
            || location
                .as_deref()
                .is_some_and(|l| scope.places.contains(l))
    };

    let in_period = |d: &str| d >= from_s.as_str() && d <= to_s.as_str();
    let contacts: Vec<&Contact> = contacts_all
        .iter()
        .filter(|(c, location)| kept(&c.person, location))
        .map(|(c, _)| c)
        .collect();
    let activities: Vec<&ActivityRow> = activities
        .iter()
        .filter(|a| kept(&a.person, &a.location))
        .collect();
    let events_kept: HashSet<&str> = activities.iter().map(|a| a.event.as_str()).collect();
    let mut articles: BTreeSet<&str> = activities.iter().map(|a| a.cite.article.as_str()).collect();
    let officials = officials(&activities, &contacts, |p| post_names(posts.get(p), &scope));
    let period_contacts = period_contacts(contacts.iter().copied().filter(|c| in_period(&c.date)));
    articles.extend(period_contacts.iter().map(|c| c.cite.article.as_str()));

    let agreements = agreements(store, &from_s, &to_s, |event, location, witnesses| {
        events_kept.contains(event)
            || location.is_some_and(|l| scope.places.contains(l))
            || witnesses.iter().any(|w| in_scope_official(w))
    })?;
    articles.extend(agreements.iter().map(|a| a.cite.article.as_str()));
    let projects = projects(store, &articles, &scope)?;
    let weekly_contacts = weekly(&contacts, to, filter.weeks);
    let map = if filter.map {
        draw_map(
            store,
            &from_s,
            &to_s,
            officials.iter().map(|o| o.person.clone()),
        )
    } else {
        Err("not drawn".into())
    };
    Ok(Brief {
        place: filter.place.clone(),
        from: from_s,
        to: to_s,
        officials,
        contacts: period_contacts,
        agreements,
        projects,
        weekly_contacts,
        map,
    })
}

/// Each official's activities in date order, with the organisations met at
/// each; the busiest official first.
fn officials(
    activities: &[&ActivityRow],
    contacts: &[&Contact],
    posts: impl Fn(&str) -> Vec<String>,
) -> Vec<OfficialWeek> {
    let mut met: HashMap<(&str, &str), BTreeSet<&str>> = HashMap::new();
    for c in contacts {
        met.entry((&c.event, &c.person))
            .or_default()
            .insert(&c.organization);
    }
    let mut officials: BTreeMap<&str, OfficialWeek> = BTreeMap::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for a in activities {
        if !seen.insert((&a.person, &a.event)) {
            continue;
        }
        let official = officials.entry(&a.person).or_insert_with(|| OfficialWeek {
            person: a.person.clone(),
            name: a.name.clone(),
            posts: posts(&a.person),
            activities: Vec::new(),
        });
        official.activities.push(Activity {
            date: a.date.clone(),
            event_type: a.event_type.clone(),
            role: a.role.clone(),
            event: a.event.clone(),
            name: a.event_name.clone(),
            organizations: met
                .get(&(a.event.as_str(), a.person.as_str()))
                .into_iter()
                .flatten()
                .map(|o| o.to_string())
                .collect(),
            cite: a.cite.clone(),
        });
    }
    let mut officials: Vec<OfficialWeek> = officials.into_values().collect();
    for o in &mut officials {
        o.activities
            .sort_by(|a, b| (&a.date, &a.cite.evidence).cmp(&(&b.date, &b.cite.evidence)));
    }
    officials.sort_by(|a, b| {
        (b.activities.len(), &a.name, &a.person).cmp(&(a.activities.len(), &b.name, &b.person))
    });
    officials
}

/// One contact per official, organisation, date and kind of event, as the
/// `meetings` cookbook query counts them; in date order.
fn period_contacts<'a>(contacts: impl Iterator<Item = &'a Contact>) -> Vec<Contact> {
    let mut seen: HashSet<(&str, &str, &str, &str)> = HashSet::new();
    let mut out: Vec<Contact> = contacts
        .filter(|c| seen.insert((&c.person, &c.organization, &c.date, &c.event_type)))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        (&a.date, &a.official, &a.organization).cmp(&(&b.date, &b.official, &b.organization))
    });
    out
}

/// The place briefed on, and every place within it.
struct Scope {
    places: HashSet<String>,
}

impl Scope {
    fn read(store: &GraphStore, name: &str) -> Result<Scope, BriefError> {
        let options = QueryOptions::default().with_binding("name", zh(name));
        let roots = select(
            store,
            "SELECT DISTINCT ?scope WHERE { GRAPH ?g { ?scope a schema:AdministrativeArea ; rdfs:label ?name } }",
            &options,
        )?;
        if roots.is_empty() {
            return Err(BriefError::UnknownPlace(name.to_string()));
        }
        let roots: Vec<String> = roots.into_iter().map(|[r]| r).collect();
        let within = select::<1>(
            store,
            &format!(
                "SELECT DISTINCT ?place WHERE {{ VALUES ?scope {{ {} }} GRAPH ?g {{ ?place schema:containedInPlace+ ?scope }} }}",
                query::iri_values(roots.iter().map(String::as_str))
            ),
            &QueryOptions::default(),
        )?;
        let mut places: HashSet<String> = roots.into_iter().collect();
        places.extend(within.into_iter().map(|[p]| p));
        Ok(Scope { places })
    }
}

/// The period asked for; an open end is the place's latest dated activity.
fn period(
    store: &GraphStore,
    scope: &Scope,
    f: &BriefFilter,
) -> Result<(NaiveDate, NaiveDate), BriefError> {
    let parse = |d: &str| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| BriefError::BadDate(d.to_string()))
    };
    let (from, to) = match (&f.from, &f.to) {
        (Some(from), Some(to)) => (parse(from)?, parse(to)?),
        (None, Some(to)) => {
            let to = parse(to)?;
            (to - Days::new(6), to)
        }
        (Some(from), None) => {
            let from = parse(from)?;
            (from, from + Days::new(6))
        }
        // The Monday-to-Sunday week of the place's latest dated activity:
        // the week a roundup covers.
        (None, None) => {
            let rows = select::<1>(
                store,
                &format!(
                    "SELECT (MAX(STR(?date)) AS ?last) WHERE {{ VALUES ?place {{ {} }} GRAPH ?g {{ {{ ?event schema:location ?place }} UNION {{ ?m org:organization ?place ; org:member ?p . ?part gk:participant ?p . ?event gk:participation ?part }} ?event schema:startDate ?date }} }}",
                    query::iri_values(scope.places.iter().map(String::as_str))
                ),
                &QueryOptions::default(),
            )?;
            let last = rows.into_iter().next().map(|[d]| d).unwrap_or_default();
            if last.is_empty() {
                return Err(BriefError::NothingDated(f.place.clone()));
            }
            let last = parse(&last)?;
            let monday = last - Days::new(u64::from(last.weekday().num_days_from_monday()));
            (monday, monday + Days::new(6))
        }
    };
    if to < from {
        return Err(BriefError::EmptyPeriod {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    Ok((from, to))
}

struct ActivityRow {
    event: String,
    date: String,
    event_type: String,
    role: String,
    person: String,
    name: String,
    event_name: Option<String>,
    location: Option<String>,
    cite: Cite,
}

/// Officials' participations in events dated within the period.
fn activity_rows(store: &GraphStore, from: &str, to: &str) -> Result<Vec<ActivityRow>, BriefError> {
    let rows = select::<12>(
        store,
        "SELECT ?event ?date ?type ?r ?p ?person ?name ?loc ?ev ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?event schema:startDate ?date .
             ?event gk:participation ?part ; prov:wasDerivedFrom ?ev .
             ?part gk:participant ?p ; gk:role ?r .
             ?p a gk:Official ; rdfs:label ?person .
             ?ev nif:anchorOf ?quote .
             OPTIONAL { ?event gk:eventType ?type }
             OPTIONAL { ?event schema:name ?name }
             OPTIONAL { ?event schema:location ?loc }
             OPTIONAL { ?g schema:url ?url }
           }
           # Bound values join outside the GRAPH block: filter there.
           FILTER(STR(?date) >= ?from && STR(?date) <= ?to)
         }",
        &period_options(from, to),
    )?;
    Ok(rows
        .into_iter()
        .map(
            |[event, date, ty, role, person, name, event_name, loc, ev, quote, g, url]| {
                ActivityRow {
                    event,
                    date,
                    event_type: code(&ty),
                    role: code(&role),
                    person,
                    name,
                    event_name: non_empty(event_name),
                    location: non_empty(loc),
                    cite: cite(quote, ev, g, url),
                }
            },
        )
        .collect())
}

/// Contacts at events dated within the period, each with where its event was.
fn contact_rows(
    store: &GraphStore,
    from: &str,
    to: &str,
) -> Result<Vec<(Contact, Option<String>)>, BriefError> {
    let rows = select::<11>(
        store,
        "SELECT ?event ?date ?type ?p ?official ?organization ?loc ?ev ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?event schema:startDate ?date .
             ?c gk:atEvent ?event ; gk:official ?p ; gk:organization ?o ; prov:wasDerivedFrom ?ev .
             ?p rdfs:label ?official .
             ?o rdfs:label ?organization .
             ?ev nif:anchorOf ?quote .
             OPTIONAL { ?event gk:eventType ?type }
             OPTIONAL { ?event schema:location ?loc }
             OPTIONAL { ?g schema:url ?url }
           }
           # Bound values join outside the GRAPH block: filter there.
           FILTER(STR(?date) >= ?from && STR(?date) <= ?to)
         }",
        &period_options(from, to),
    )?;
    Ok(rows
        .into_iter()
        .map(
            |[event, date, ty, person, official, organization, loc, ev, quote, g, url]| {
                let contact = Contact {
                    event,
                    date,
                    event_type: code(&ty),
                    person,
                    official,
                    organization,
                    cite: cite(quote, ev, g, url),
                };
                (contact, non_empty(loc))
            },
        )
        .collect())
}

/// Every post of the given people: person → (place or organisation node, post name).
fn posts_of(
    store: &GraphStore,
    people: &BTreeSet<&str>,
) -> Result<HashMap<String, Vec<(String, String)>>, BriefError> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    if people.is_empty() {
        return Ok(out);
    }
    let rows = select::<4>(
        store,
        &format!(
            "SELECT DISTINCT ?p ?place ?holder ?title WHERE {{ VALUES ?p {{ {} }} GRAPH ?g {{ ?m org:member ?p ; gk:postTitle ?title ; org:organization ?place . ?place rdfs:label ?holder }} }}",
            query::iri_values(people.iter().copied())
        ),
        &QueryOptions::default(),
    )?;
    for [p, place, holder, title] in rows {
        let name = crate::trace::post_name(&holder, &title);
        let posts = out.entry(p).or_default();
        if !posts.iter().any(|(_, n)| n == &name) {
            posts.push((place, name));
        }
    }
    Ok(out)
}

/// A person's post names, those in the place first.
fn post_names(posts: Option<&Vec<(String, String)>>, scope: &Scope) -> Vec<String> {
    let mut posts: Vec<(bool, String)> = posts
        .into_iter()
        .flatten()
        .map(|(place, name)| (!scope.places.contains(place), name.clone()))
        .collect();
    posts.sort();
    posts.into_iter().map(|(_, n)| n).collect()
}

/// Agreements signed within the period that `keep(event, location, witnesses)` accepts.
fn agreements(
    store: &GraphStore,
    from: &str,
    to: &str,
    keep: impl Fn(&str, Option<&str>, &[String]) -> bool,
) -> Result<Vec<Agreement>, BriefError> {
    let rows = select::<10>(
        store,
        "SELECT ?a ?date ?event ?loc ?party ?w ?ev ?quote ?g ?url WHERE {
           GRAPH ?g {
             ?a gk:signedAt ?event ; gk:party ?x ; prov:wasDerivedFrom ?ev .
             ?event schema:startDate ?date .
             ?x rdfs:label ?party .
             ?ev nif:anchorOf ?quote .
             OPTIONAL { ?a gk:witness ?w }
             OPTIONAL { ?event schema:location ?loc }
             OPTIONAL { ?g schema:url ?url }
           }
           # Bound values join outside the GRAPH block: filter there.
           FILTER(STR(?date) >= ?from && STR(?date) <= ?to)
         }",
        &period_options(from, to),
    )?;
    struct Gathered {
        agreement: Agreement,
        event: String,
        location: Option<String>,
        witness_nodes: BTreeSet<String>,
        parties: BTreeSet<String>,
    }
    let mut by_iri: BTreeMap<String, Gathered> = BTreeMap::new();
    for [a, date, event, loc, party, w, ev, quote, g, url] in rows {
        let entry = by_iri.entry(a.clone()).or_insert_with(|| Gathered {
            agreement: Agreement {
                agreement: a,
                date,
                parties: Vec::new(),
                witnesses: Vec::new(),
                cite: cite(quote, ev, g, url),
            },
            event,
            location: non_empty(loc),
            witness_nodes: BTreeSet::new(),
            parties: BTreeSet::new(),
        });
        entry.parties.insert(party);
        if !w.is_empty() {
            entry.witness_nodes.insert(w);
        }
    }
    let witnesses: BTreeSet<&str> = by_iri
        .values()
        .flat_map(|g| g.witness_nodes.iter().map(String::as_str))
        .collect();
    let names = labels(store, &witnesses)?;
    let mut out: Vec<Agreement> = by_iri
        .into_values()
        .filter(|g| {
            let w: Vec<String> = g.witness_nodes.iter().cloned().collect();
            keep(&g.event, g.location.as_deref(), &w)
        })
        .map(|g| {
            let mut a = g.agreement;
            a.parties = g.parties.into_iter().collect();
            a.witnesses = g
                .witness_nodes
                .iter()
                .filter_map(|w| names.get(w).cloned())
                .collect();
            a
        })
        .collect();
    out.sort_by(|a, b| (&a.date, &a.parties).cmp(&(&b.date, &b.parties)));
    Ok(out)
}

/// Projects the period's articles report in the place.
fn projects(
    store: &GraphStore,
    articles: &BTreeSet<&str>,
    scope: &Scope,
) -> Result<Vec<Project>, BriefError> {
    if articles.is_empty() {
        return Ok(Vec::new());
    }
    let rows = select::<7>(
        store,
        &format!(
            "SELECT ?project ?place ?district ?ev ?quote ?g ?url WHERE {{
               VALUES ?g {{ {} }}
               GRAPH ?g {{
                 ?x a gk:Project ; rdfs:label ?project ; prov:wasDerivedFrom ?ev ; schema:containedInPlace ?place .
                 ?place rdfs:label ?district .
                 ?ev nif:anchorOf ?quote .
                 OPTIONAL {{ ?g schema:url ?url }}
               }}
             }}",
            query::iri_values(articles.iter().copied())
        ),
        &QueryOptions::default(),
    )?;
    let mut out: Vec<Project> = Vec::new();
    for [project, place, district, ev, quote, g, url] in rows {
        if !scope.places.contains(&place) || out.iter().any(|p| p.name == project) {
            continue;
        }
        out.push(Project {
            name: project,
            place: district,
            cite: cite(quote, ev, g, url),
        });
    }
    out.sort_by(|a, b| (&a.place, &a.name).cmp(&(&b.place, &b.name)));
    Ok(out)
}

/// Contacts (distinct organisation and date) per official in each of the
/// `weeks` weeks that end on `to`.
fn weekly(contacts: &[&Contact], to: NaiveDate, weeks: usize) -> WeeklyContacts {
    let first = |k: usize| to - Days::new(7 * (weeks - k) as u64 - 1);
    let mut seen: HashSet<(&str, &str, &str)> = HashSet::new();
    let mut counts: HashMap<&str, (String, Vec<usize>)> = HashMap::new();
    for c in contacts {
        let Ok(date) = NaiveDate::parse_from_str(&c.date, "%Y-%m-%d") else {
            continue;
        };
        if date > to || date < first(0) || !seen.insert((&c.person, &c.organization, &c.date)) {
            continue;
        }
        let week = weeks - 1 - ((to - date).num_days() as usize / 7);
        counts
            .entry(&c.person)
            .or_insert_with(|| (c.official.clone(), vec![0; weeks]))
            .1[week] += 1;
    }
    let mut officials: Vec<(String, Vec<usize>)> = counts.into_values().collect();
    officials.sort_by(|a, b| {
        let total = |v: &[usize]| v.iter().sum::<usize>();
        (total(&b.1), &a.0).cmp(&(total(&a.1), &b.0))
    });
    officials.truncate(CHART_OFFICIALS);
    WeeklyContacts {
        weeks: (0..weeks).map(|k| first(k).to_string()).collect(),
        officials,
    }
}

/// The relationship map of the period around the briefing's officials:
/// their posts, the organisations they met, the agreements they witnessed.
fn draw_map(
    store: &GraphStore,
    from: &str,
    to: &str,
    people: impl Iterator<Item = String>,
) -> Result<(String, String), String> {
    let mut filter = Filter::default()
        .with_period(Some(from.to_string()), Some(to.to_string()))
        .with_events_folded(true)
        .with_depth(Some(1));
    let mut any = false;
    for p in people {
        filter = filter.with_focus_node(p);
        any = true;
    }
    if !any {
        return Err("no official is reported in the period".into());
    }
    let g = KnowledgeGraph::from_store(store)
        .map_err(|e| e.to_string())?
        .filtered(&filter, &HashMap::new());
    let n = g.graph.node_count();
    if n > MAP_NODE_LIMIT {
        return Err(format!("the map has {n} nodes, too many to read"));
    }
    let (svg, renderer) =
        export::render_svg(&g, export::Labels::Chinese, false).map_err(|e| e.to_string())?;
    // The drawing alone, without the XML prolog, to sit inside HTML.
    let svg = svg.find("<svg").map(|i| &svg[i..]).unwrap_or(&svg);
    Ok((svg.to_string(), renderer.to_string()))
}

fn labels(
    store: &GraphStore,
    nodes: &BTreeSet<&str>,
) -> Result<HashMap<String, String>, BriefError> {
    if nodes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(select::<2>(
        store,
        &format!(
            "SELECT DISTINCT ?n ?l WHERE {{ VALUES ?n {{ {} }} GRAPH ?g {{ ?n rdfs:label ?l }} }}",
            query::iri_values(nodes.iter().copied())
        ),
        &QueryOptions::default(),
    )?
    .into_iter()
    .map(|[n, l]| (n, l))
    .collect())
}

fn cite(quote: String, evidence: String, article: String, url: String) -> Cite {
    Cite {
        quote,
        url: non_empty(url),
        evidence,
        article,
    }
}

/// A concept's code: its IRI's last segment.
fn code(iri: &str) -> String {
    iri.rsplit('/').next().unwrap_or_default().to_string()
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn zh(text: &str) -> Term {
    Term::from(Literal::new_language_tagged_literal_unchecked(text, "zh"))
}

fn period_options(from: &str, to: &str) -> QueryOptions {
    QueryOptions::default()
        .with_binding("from", Term::from(Literal::new_simple_literal(from)))
        .with_binding("to", Term::from(Literal::new_simple_literal(to)))
}

fn select<const N: usize>(
    store: &GraphStore,
    body: &str,
    options: &QueryOptions,
) -> Result<Vec<[String; N]>, BriefError> {
    Ok(
        query::select_text(store, &format!("{PREFIXES}{body}"), options)?
            .into_iter()
            .filter_map(query::cells::<N>)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_concept_code_is_the_last_segment() {
        assert_eq!(
            code("https://w3id.org/govkg/id/event-type/meeting"),
            "meeting"
        );
        assert_eq!(code(""), "");
    }

    #[test]
    fn contacts_fall_into_the_weeks_that_end_on_the_last_day() {
        let row = |person: &str, org: &str, date: &str| Contact {
            event: String::new(),
            date: date.into(),
            event_type: String::new(),
            person: person.into(),
            official: person.into(),
            organization: org.into(),
            cite: Cite {
                quote: String::new(),
                evidence: String::new(),
                article: String::new(),
                url: None,
            },
        };
        let rows = [
            row("甲", "A", "2024-06-02"),
            row("甲", "A", "2024-06-02"), // the same contact twice counts once
            row("甲", "B", "2024-05-27"),
            row("甲", "C", "2024-05-26"), // the week before
            row("乙", "A", "2024-05-20"),
            row("乙", "A", "2024-05-19"), // before the first week
        ];
        let refs: Vec<&Contact> = rows.iter().collect();
        let to = NaiveDate::from_ymd_opt(2024, 6, 2).unwrap();
        let w = weekly(&refs, to, 2);
        assert_eq!(w.weeks, ["2024-05-20", "2024-05-27"]);
        assert_eq!(
            w.officials,
            [
                ("甲".to_string(), vec![1, 2]),
                ("乙".to_string(), vec![1, 0])
            ]
        );
    }
}
