//! Trace: the question the project exists for — which officials met which
//! organisations, when, holding which post, and on what evidence. One row per
//! meeting. The names a user gives are bound as values, never pasted into SPARQL.

use std::collections::HashMap;

use oxigraph::model::{Literal, Term};
use serde::Serialize;

use crate::query::{self, QueryError, QueryOptions};
use crate::rdf::ns::SPARQL_PREFIXES as PREFIXES;
use crate::store::GraphStore;

/// Which meetings to list. Builder-style: `TraceFilter::default().with_org("某集团")`.
#[derive(Debug, Clone, Default)]
pub struct TraceFilter {
    official: Option<String>,
    org: Option<String>,
    district: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl TraceFilter {
    pub fn with_official(mut self, name: Option<String>) -> Self {
        self.official = name;
        self
    }
    /// An organisation by its full name or any alternate name (简称).
    pub fn with_org(mut self, name: Option<String>) -> Self {
        self.org = name;
        self
    }
    /// Meetings held in the district, or by officials holding a post there.
    pub fn with_district(mut self, name: Option<String>) -> Self {
        self.district = name;
        self
    }
    pub fn with_period(mut self, from: Option<String>, to: Option<String>) -> Self {
        self.from = from;
        self.to = to;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct TraceRow {
    pub date: String,
    pub official: String,
    /// The official's post at the time (place or organisation, and title).
    pub post: String,
    pub organization: String,
    pub event_type: String,
    pub evidence: String,
    pub source: String,
    /// The official's node: what tells apart two officials of one name.
    pub person: String,
}

impl TraceRow {
    /// The column names of [`cells`](Self::cells).
    pub const HEADERS: [&'static str; 8] = [
        "date",
        "official",
        "post",
        "organization",
        "event_type",
        "evidence",
        "source",
        "person",
    ];

    /// The row as text cells, in the order of [`HEADERS`](Self::HEADERS).
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.date.clone(),
            self.official.clone(),
            self.post.clone(),
            self.organization.clone(),
            self.event_type.clone(),
            self.evidence.clone(),
            self.source.clone(),
            self.person.clone(),
        ]
    }
}

/// The trace query and its bindings. User values are bound to variables (see
/// `QueryOptions::with_binding`): the evaluator starts from them, and they never
/// become query text.
fn trace_query(f: &TraceFilter) -> (String, QueryOptions) {
    let zh = |name: &str| Term::from(Literal::new_language_tagged_literal_unchecked(name, "zh"));
    let plain = |value: &str| Term::from(Literal::new_simple_literal(value));
    let mut options = QueryOptions::default();
    let mut q = String::from(PREFIXES);
    q.push_str("SELECT DISTINCT ?p ?official ?organization ?date ?type ?quote ?url WHERE {\n  GRAPH ?g {\n");
    if let Some(name) = &f.official {
        // A node's IRI names one official; a name, everyone who bears it.
        options = match name.strip_prefix(crate::resolve::ID) {
            Some(_) => options.with_binding(
                "p",
                Term::from(oxigraph::model::NamedNode::new_unchecked(name.as_str())),
            ),
            None => options.with_binding("official", zh(name)),
        };
    }
    if let Some(name) = &f.org {
        options = options.with_binding("org_name", zh(name));
        q.push_str("    { ?o rdfs:label ?org_name } UNION { ?o schema:alternateName ?org_name }\n");
    }
    q.push_str(
        "    ?c gk:official ?p ; gk:organization ?o ; gk:atEvent ?e ; prov:wasDerivedFrom ?ev .\n    ?p rdfs:label ?official .\n    ?o rdfs:label ?organization .\n    ?ev nif:anchorOf ?quote .\n    ?g schema:url ?url .\n  }\n  OPTIONAL { GRAPH ?g { ?e schema:startDate ?date } }\n  OPTIONAL { GRAPH ?g { ?e gk:eventType ?type } }\n",
    );
    if let Some(name) = &f.district {
        options = options.with_binding("district_name", zh(name));
        q.push_str(
            "  FILTER(EXISTS { ?e schema:location ?d . ?d rdfs:label ?district_name } || EXISTS { ?m org:member ?p ; org:organization ?d2 . ?d2 rdfs:label ?district_name })\n",
        );
    }
    if let Some(from) = &f.from {
        options = options.with_binding("from_date", plain(from));
        q.push_str("  FILTER(BOUND(?date) && STR(?date) >= ?from_date)\n");
    }
    if let Some(to) = &f.to {
        options = options.with_binding("to_date", plain(to));
        q.push_str("  FILTER(BOUND(?date) && STR(?date) <= ?to_date)\n");
    }
    q.push('}');
    (q, options)
}

/// The posts of the given people (`?m` the membership; `?kind` says which are
/// company posts).
fn posts_query(people: &[String]) -> String {
    format!(
        "{PREFIXES}SELECT DISTINCT ?p ?m ?place ?title ?kind WHERE {{
           VALUES ?p {{ {} }}
           GRAPH ?g {{ ?m org:member ?p ; gk:postTitle ?title ; org:role/gk:postKind ?kind ; org:organization ?o . ?o rdfs:label ?place }}
         }}",
        query::iri_values(people.iter().map(String::as_str))
    )
}

/// The observed terms of the given memberships. Asked apart from the posts: as an
/// `OPTIONAL` of the posts query, Oxigraph hashed the whole derived graph (2.3 s
/// for one official at 10,000 articles).
fn terms_query(memberships: &[String]) -> String {
    format!(
        "{PREFIXES}SELECT ?m ?first ?last WHERE {{
           VALUES ?m {{ {} }}
           GRAPH <{}> {{ ?m gk:firstObserved ?first ; gk:lastObserved ?last }}
         }}",
        query::iri_values(memberships.iter().map(String::as_str)),
        crate::rdf::ns::DERIVED_GRAPH
    )
}

/// Lists the meetings that match the filter, with each official's post at the time.
pub fn trace(store: &GraphStore, f: &TraceFilter) -> Result<Vec<TraceRow>, QueryError> {
    struct Hit {
        person: String,
        date: String,
        official: String,
        organization: String,
        event_type: String,
        evidence: String,
        source: String,
    }
    let (trace_query, options) = trace_query(f);
    let hits: Vec<Hit> = query::select_text(store, &trace_query, &options)?
        .into_iter()
        .filter_map(query::cells)
        .map(
            |[person, official, organization, date, ty, evidence, source]| Hit {
                person,
                date,
                official,
                organization,
                event_type: ty.rsplit('/').next().unwrap_or("").to_string(),
                evidence,
                source,
            },
        )
        .collect();
    // Posts of the officials found, to pick the one held at each meeting's date.
    let mut people: Vec<String> = hits.iter().map(|h| h.person.clone()).collect();
    people.sort();
    people.dedup();
    let mut posts: HashMap<String, Vec<(String, String, String, String)>> = HashMap::new();
    if !people.is_empty() {
        let none = QueryOptions::default();
        let held: Vec<[String; 5]> = query::select_text(store, &posts_query(&people), &none)?
            .into_iter()
            .filter_map(query::cells)
            .filter(|[_, _, _, _, kind]| kind != "company")
            .collect();
        let mut memberships: Vec<String> = held.iter().map(|[_, m, ..]| m.clone()).collect();
        memberships.sort();
        memberships.dedup();
        let mut terms: HashMap<String, (String, String)> = HashMap::new();
        if !memberships.is_empty() {
            for [m, first, last] in query::select_text(store, &terms_query(&memberships), &none)?
                .into_iter()
                .filter_map(query::cells)
            {
                terms.insert(m, (first, last));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for [p, m, place, title, kind] in held {
            let (first, last) = terms.get(&m).cloned().unwrap_or_default();
            let post = (post_name(&place, &title), first, last, kind);
            // One entry per person and post, as the query's DISTINCT gave before.
            if seen.insert((p.clone(), post.clone())) {
                posts.entry(p).or_default().push(post);
            }
        }
    }
    let mut rows: Vec<TraceRow> = hits
        .into_iter()
        .map(|h| TraceRow {
            post: post_at(
                posts.get(&h.person).map(Vec::as_slice).unwrap_or(&[]),
                &h.date,
            ),
            date: h.date,
            official: h.official,
            organization: h.organization,
            event_type: h.event_type,
            evidence: h.evidence,
            source: h.source,
            person: h.person,
        })
        .collect();
    rows.sort();
    rows.dedup();
    Ok(rows)
}

/// A post's name: the place or organisation and the title, without saying the
/// shared part twice (`南山区` + `区委书记` → `南山区委书记`).
pub fn post_name(holder: &str, title: &str) -> String {
    let h: Vec<char> = holder.chars().collect();
    let t: Vec<char> = title.chars().collect();
    let overlap = (1..=h.len().min(t.len().saturating_sub(1)))
        .rev()
        .find(|&n| h[h.len() - n..] == t[..n])
        .unwrap_or(0);
    format!("{holder}{}", t[overlap..].iter().collect::<String>())
}

/// The posts held on `date`: those whose observed term covers it, else the ones
/// reported nearest to it.
fn post_at(posts: &[(String, String, String, String)], date: &str) -> String {
    let covering: Vec<&str> = posts
        .iter()
        .filter(|(_, first, last, _)| {
            !date.is_empty() && first.as_str() <= date && date <= last.as_str()
        })
        .map(|(p, ..)| p.as_str())
        .collect();
    let mut chosen: Vec<&str> = if covering.is_empty() {
        let distance = |d: &str| -> i64 {
            let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            match (parse(d), parse(date)) {
                (Some(a), Some(b)) => (a - b).num_days().abs(),
                _ => i64::MAX,
            }
        };
        let best = posts
            .iter()
            .map(|(_, f, l, _)| distance(f).min(distance(l)))
            .min();
        posts
            .iter()
            .filter(|(_, f, l, _)| Some(distance(f).min(distance(l))) == best)
            .map(|(p, ..)| p.as_str())
            .collect()
    } else {
        covering
    };
    chosen.sort();
    chosen.dedup();
    chosen.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_post_covering_the_date_wins() {
        let posts = vec![
            (
                "甲区区长".to_string(),
                "2024-01-01".to_string(),
                "2024-03-01".to_string(),
                String::new(),
            ),
            (
                "乙区区委书记".to_string(),
                "2024-05-01".to_string(),
                "2024-06-01".to_string(),
                String::new(),
            ),
        ];
        assert_eq!(post_at(&posts, "2024-05-20"), "乙区区委书记");
        assert_eq!(post_at(&posts, "2024-03-10"), "甲区区长");
        assert_eq!(post_at(&[], "2024-03-10"), "");
    }

    #[test]
    fn post_names_do_not_repeat_the_shared_part() {
        assert_eq!(post_name("南山区", "区委书记"), "南山区委书记");
        assert_eq!(
            post_name("大鹏新区", "新区党工委副书记"),
            "大鹏新区党工委副书记"
        );
        assert_eq!(post_name("某集团", "董事长"), "某集团董事长");
        assert_eq!(post_name("深圳市", "市长"), "深圳市长");
    }
}
