//! Changes: the reports of posts read as changes of post. Each membership is
//! reported on dates (`gk:observedOn`); its observed term runs from the first
//! to the last. Laid end to end they say
//! - a post's holder changed: someone else was reported in it after its holder
//!   was last reported in it (`new-holder`);
//! - a person was seen in a new post after last being reported in another
//!   (`new-post`);
//! - a person is no longer reported in a post: someone else holds it since, or
//!   they hold another since (`left-post`).
//!
//! It is conservative: an article that does not mention someone is never a
//! change. Every change needs a later report that says something else: a post's
//! reports are read in date order as runs of one holder, two names reported on
//! one date say nothing, a lone report between two runs of one holder is taken
//! for a misreading, and a post several people hold at once (a title with a
//! `shared-post` word of the lexicon: 副区长, 区委常委) has no single holder
//! to change. A person's posts are read by their terms: a post reported while
//! another still was is held alongside it, not instead. Posts held before the article (原…) have no dates and take no
//! part, nor do company posts: only an official's posts are read.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::query::{self, QueryError, QueryOptions};
use crate::rdf::ns::SPARQL_PREFIXES as PREFIXES;
use crate::store::GraphStore;

/// Which changes to list. Builder-style: `ChangeFilter::default().with_place("南山区")`.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    since: Option<String>,
    place: Option<String>,
}

impl ChangeFilter {
    /// Changes first seen on or after this date (`YYYY-MM-DD`).
    pub fn with_since(mut self, date: Option<String>) -> Self {
        self.since = date;
        self
    }
    /// Changes of a post in this place or organisation (its label), or of a
    /// person moving to or from it.
    pub fn with_place(mut self, place: Option<String>) -> Self {
        self.place = place;
        self
    }
}

/// One change, dated by the first report that shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The first date the change shows: the later report's first date.
    pub date: String,
    /// `new-holder`, `new-post` or `left-post`.
    pub kind: &'static str,
    /// The post: its place or organisation and its title (`南山区区长`).
    pub post: String,
    /// Who holds it now (`new-holder`, `new-post`) or who left it (`left-post`).
    pub person: String,
    /// The other side: the previous holder (`new-holder`), the previous post
    /// (`new-post`), or what followed (`left-post`: the new holder or the new post).
    pub before: String,
    /// The last date the earlier state was reported.
    pub last_seen_before: String,
    /// The sentence of the report that shows the change, and its article.
    pub evidence: String,
    pub source: String,
    /// The person's node.
    pub person_node: String,
}

impl Change {
    pub const HEADERS: [&'static str; 9] = [
        "date",
        "kind",
        "post",
        "person",
        "before",
        "last_seen_before",
        "evidence",
        "source",
        "person_node",
    ];

    pub fn cells(&self) -> Vec<String> {
        vec![
            self.date.clone(),
            self.kind.to_string(),
            self.post.clone(),
            self.person.clone(),
            self.before.clone(),
            self.last_seen_before.clone(),
            self.evidence.clone(),
            self.source.clone(),
            self.person_node.clone(),
        ]
    }
}

/// One observed term of office.
#[derive(Debug, Clone)]
struct Term {
    membership: String,
    person: String,
    name: String,
    /// The post's place or organisation node, and its label.
    place: String,
    place_label: String,
    title: String,
    first: String,
    last: String,
    /// Every date an article reported it, in order.
    dates: Vec<String>,
}

impl Term {
    fn post(&self) -> String {
        format!("{}{}", self.place_label, self.title)
    }
}

/// Every observed term of an official's post in the store (party, government,
/// congress, CPPCC and zone posts: the posts that make their holder an
/// official; a company's posts are reported too seldom and too loosely to
/// read a succession from), with the dates each was reported.
fn terms(store: &GraphStore) -> Result<Vec<Term>, QueryError> {
    let q = format!(
        "{PREFIXES}SELECT DISTINCT ?m ?p ?name ?o ?place ?title ?d WHERE {{
           GRAPH ?g {{ ?m org:member ?p ; org:organization ?o ; gk:postTitle ?title ;
                         org:role/gk:postKind ?kind ; gk:observedOn ?d .
                      ?p rdfs:label ?name . ?o rdfs:label ?place }}
           FILTER(?kind NOT IN (\"company\", \"other\"))
         }}"
    );
    let mut seen: HashMap<String, Term> = HashMap::new();
    let rows = query::select_text(store, &q, &QueryOptions::default())?;
    for [m, p, name, o, place, title, date] in rows.into_iter().filter_map(query::cells) {
        // A membership is reported in many articles: one term each.
        seen.entry(m.clone())
            .or_insert(Term {
                membership: m,
                person: p,
                name,
                place: o,
                place_label: place,
                title,
                first: String::new(),
                last: String::new(),
                dates: Vec::new(),
            })
            .dates
            .push(date);
    }
    let mut out: Vec<Term> = seen
        .into_values()
        .map(|mut t| {
            t.dates.sort();
            t.dates.dedup();
            t.first = t.dates.first().cloned().unwrap_or_default();
            t.last = t.dates.last().cloned().unwrap_or_default();
            t
        })
        .collect();
    out.sort_by(|a, b| (&a.first, &a.membership).cmp(&(&b.first, &b.membership)));
    Ok(out)
}

/// Reports of one holder of a post, one after the other.
struct Run<'a> {
    term: &'a Term,
    first: &'a str,
    last: &'a str,
    /// Whether all its reports fall on one date.
    one_date: bool,
}

/// A post's reports in date order, as runs of one holder each. A run of one
/// date between two runs of one other holder is taken for a misreading (a post
/// given to the wrong name) and joins them: the holder did not change twice.
fn runs<'a>(holders: &[&'a Term]) -> Vec<Run<'a>> {
    let mut reports: Vec<(&str, &Term)> = holders
        .iter()
        .flat_map(|t| t.dates.iter().map(move |d| (d.as_str(), *t)))
        .collect();
    reports.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    let mut runs: Vec<Run> = Vec::new();
    for (date, term) in reports {
        let n = runs.len();
        if n >= 1 && runs[n - 1].term.name == term.name {
            let run = &mut runs[n - 1];
            run.one_date &= run.last == date;
            run.last = date;
        } else if n >= 2 && runs[n - 1].one_date && runs[n - 2].term.name == term.name {
            runs.pop();
            let run = &mut runs[n - 2];
            run.last = date;
            run.one_date = false;
        } else {
            runs.push(Run {
                term,
                first: date,
                last: date,
                one_date: true,
            });
        }
    }
    runs
}

/// Lists the changes of post the store's observed terms show.
pub fn changes(
    store: &GraphStore,
    shared_post_words: &[String],
    filter: &ChangeFilter,
) -> Result<Vec<Change>, QueryError> {
    let terms = terms(store)?;
    let shared = |title: &str| shared_post_words.iter().any(|w| title.contains(w.as_str()));
    // (change without evidence, the membership whose first report shows it)
    let mut found: Vec<(Change, String)> = Vec::new();
    let change = |kind, post: String, now: &Term, date: &str, before: String, last: &str| Change {
        date: date.to_string(),
        kind,
        post,
        person: now.name.clone(),
        before,
        last_seen_before: last.to_string(),
        evidence: String::new(),
        source: String::new(),
        person_node: now.person.clone(),
    };

    // Posts with one holder at a time: a holder reported after the one
    // before was last reported (reports of one date by two names say nothing).
    let mut by_post: BTreeMap<(&str, &str), Vec<&Term>> = BTreeMap::new();
    for t in terms.iter().filter(|t| !shared(&t.title)) {
        by_post
            .entry((t.place.as_str(), t.title.as_str()))
            .or_default()
            .push(t);
    }
    for holders in by_post.values() {
        for pair in runs(holders).windows(2) {
            let (before, now) = (&pair[0], &pair[1]);
            if now.first <= before.last {
                continue;
            }
            let (b, n) = (before.term, now.term);
            found.push((
                change(
                    "new-holder",
                    n.post(),
                    n,
                    now.first,
                    b.name.clone(),
                    before.last,
                ),
                n.membership.clone(),
            ));
            let mut left = change(
                "left-post",
                b.post(),
                n,
                now.first,
                format!("{} ({})", n.name, n.post()),
                before.last,
            );
            left.person = b.name.clone();
            left.person_node = b.person.clone();
            found.push((left, n.membership.clone()));
        }
    }

    // People seen in a post after last being reported in another.
    let mut by_person: BTreeMap<&str, Vec<&Term>> = BTreeMap::new();
    for t in &terms {
        by_person.entry(t.person.as_str()).or_default().push(t);
    }
    for posts in by_person.values() {
        for (i, now) in posts.iter().enumerate() {
            // Every post held before this one was first reported must have
            // been last reported before it: a post reported alongside is held
            // alongside, not left.
            let earlier = &posts[..i];
            if earlier.is_empty()
                || earlier
                    .iter()
                    .any(|e| e.last >= now.first || e.post() == now.post())
            {
                continue;
            }
            let Some(before) = earlier.iter().max_by(|a, b| a.last.cmp(&b.last)) else {
                continue;
            };
            found.push((
                change(
                    "new-post",
                    now.post(),
                    now,
                    &now.first,
                    before.post(),
                    &before.last,
                ),
                now.membership.clone(),
            ));
            // The old post is left, unless the post view said so already.
            let already = found.iter().any(|(c, _)| {
                c.kind == "left-post" && c.person_node == now.person && c.post == before.post()
            });
            if !already {
                let mut left = change(
                    "left-post",
                    before.post(),
                    now,
                    &now.first,
                    now.post(),
                    &before.last,
                );
                left.person_node = now.person.clone();
                found.push((left, now.membership.clone()));
            }
        }
    }

    found.retain(|(c, _)| {
        filter.since.as_ref().is_none_or(|s| &c.date >= s)
            && filter
                .place
                .as_ref()
                .is_none_or(|p| c.post.starts_with(p.as_str()) || c.before.starts_with(p.as_str()))
    });
    let evidence = first_reports(
        store,
        &found
            .iter()
            .map(|(c, m)| (m.clone(), c.date.clone()))
            .collect::<Vec<_>>(),
    )?;
    let mut out: Vec<Change> = found
        .into_iter()
        .map(|(mut c, m)| {
            if let Some((quote, url)) = evidence.get(&(m, c.date.clone())) {
                c.evidence = quote.clone();
                c.source = url.clone();
            }
            c
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// (membership, date) → (sentence, article URL).
type Reports = HashMap<(String, String), (String, String)>;

/// The sentence and article of each membership's report on a date.
fn first_reports(store: &GraphStore, wanted: &[(String, String)]) -> Result<Reports, QueryError> {
    let mut out = HashMap::new();
    let memberships: Vec<String> = {
        let mut m: Vec<String> = wanted
            .iter()
            .filter_map(|(m, _)| oxigraph::model::NamedNode::new(m).ok())
            .map(|n| n.to_string())
            .collect();
        m.sort();
        m.dedup();
        m
    };
    for chunk in memberships.chunks(500) {
        let q = format!(
            "{PREFIXES}SELECT ?m ?d ?quote ?url WHERE {{
               VALUES ?m {{ {} }}
               GRAPH ?g {{ ?m gk:observedOn ?d ; prov:wasDerivedFrom ?ev . ?ev nif:anchorOf ?quote .
                          ?g schema:url ?url }}
             }}",
            chunk.join(" ")
        );
        let rows = query::select_text(store, &q, &QueryOptions::default())?;
        for [m, d, quote, url] in rows.into_iter().filter_map(query::cells) {
            out.entry((m, d)).or_insert((quote, url));
        }
    }
    Ok(out)
}
