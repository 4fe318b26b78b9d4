//! Resolve: gives every extracted entity its stable identity. The same person,
//! organisation (under its full name or any 简称), place, post, event or
//! agreement gets the same IRI in every article and on every machine, because
//! IRIs are built from what the entity is (names, codes, dates), never from
//! arrival order or counters. Names known to the store as aliases of an
//! organisation resolve to that organisation.
//!
//! A person is a name plus an anchor ([`person_anchor`]): the place of the
//! most local post they hold in the article, else the organisation of their
//! post, else the place the article's posts are in, else the article. Chinese
//! names repeat by the hundred thousand; a false merge shows links that do not
//! exist, so two officials of one name stay apart unless their anchors agree.
//! The anchor depends only on the article, so shards extracted apart agree.

use std::collections::HashMap;

use crate::extract::{Affiliation, Extraction, PlaceKey};
use crate::gazetteer::Level;

pub const ID: &str = "https://w3id.org/govkg/id/";

/// Escapes a name for use as one IRI path segment (IRIs allow CJK characters).
pub fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '(' | ')' => out.push(c),
            c if (c as u32) >= 0xa0 && !c.is_whitespace() && c != '\u{feff}' => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// A stable 64-bit FNV-1a hash, for IRIs of things named by several values.
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// The node of the person `name` told apart by `anchor` (see [`person_anchor`]).
pub fn person_iri(name: &str, anchor: &str) -> String {
    format!("{ID}person/{}/{anchor}", segment(name))
}

/// The anchor of a place: its division code, or its name when it has none.
fn place_anchor(place: &PlaceKey) -> String {
    match &place.code {
        Some(code) => code.clone(),
        None => format!("place/{}", segment(&place.name)),
    }
}

/// The places of the posts in `x` (of `person` only, when given).
fn post_places<'a>(
    x: &'a Extraction,
    person: Option<&'a str>,
) -> impl Iterator<Item = &'a PlaceKey> + 'a {
    x.memberships
        .iter()
        .filter(move |m| !m.former && person.is_none_or(|p| m.person == p))
        .filter_map(|m| match &m.affiliation {
            Affiliation::Place(p) => Some(p),
            Affiliation::Org(_) => None,
        })
}

/// How local a place is, for choosing a person's anchor: a county-level
/// division first (where the genre's officials serve), then the zones and
/// towns inside one, then cities and provinces.
fn locality(level: Level) -> u8 {
    match level {
        Level::County => 0,
        Level::Functional | Level::Town => 1,
        Level::Prefecture => 2,
        Level::Province => 3,
    }
}

/// What tells the person `name` of this article apart from others of the
/// same name: the place (division code) of the most local post they hold in
/// the article (`福田区委书记` and `市政协副主席、福田区委书记` both give 福田区);
/// else the organisation of a post they hold (a company's chairman, as the
/// article writes the company); else the place most of the article's posts
/// are in; else the article itself (`article_url`).
pub fn person_anchor(
    x: &Extraction,
    name: &str,
    article_url: &str,
    anchored_orgs: &HashMap<String, String>,
) -> String {
    if let Some(place) =
        post_places(x, Some(name)).min_by_key(|p| (locality(p.level), place_anchor(p)))
    {
        return place_anchor(place);
    }
    if let Some(org) = x.memberships.iter().find_map(|m| match &m.affiliation {
        Affiliation::Org(o) if m.person == name && !m.former => Some(o),
        _ => None,
    }) {
        return match anchored_orgs.get(org.as_str()) {
            // A generic name's organisation is the one of its place.
            Some(iri) => iri.strip_prefix(ID).unwrap_or(iri).to_string(),
            None => format!("org/{}", segment(org)),
        };
    }
    // The article's place: where most of its posts are, the most local on a tie.
    let mut counts: HashMap<String, (usize, u8)> = HashMap::new();
    for p in post_places(x, None) {
        let e = counts
            .entry(place_anchor(p))
            .or_insert((0, locality(p.level)));
        e.0 += 1;
    }
    match counts.into_iter().max_by(|a, b| {
        (a.1 .0, std::cmp::Reverse(a.1 .1), &b.0).cmp(&(b.1 .0, std::cmp::Reverse(b.1 .1), &a.0))
    }) {
        Some((anchor, _)) => anchor,
        None => format!("article/{}", stable_hash(&[article_url])),
    }
}

pub fn org_iri(name: &str) -> String {
    format!("{ID}org/{}", segment(name))
}

/// The node of an organisation whose name every place has (县人民医院): the
/// name and its place, as a person's node is a name and an anchor.
pub fn anchored_org_iri(name: &str, place: &PlaceKey) -> String {
    format!("{ID}org/{}/{}", segment(name), place_anchor(place))
}

pub fn project_iri(name: &str) -> String {
    format!("{ID}project/{}", segment(name))
}

pub fn place_iri(place: &PlaceKey) -> String {
    match &place.code {
        Some(code) => format!("{ID}place/{code}"),
        None => format!("{ID}place/{}", segment(&place.name)),
    }
}

pub fn place_code_iri(code: &str) -> String {
    format!("{ID}place/{code}")
}

pub fn article_iri(url: &str) -> String {
    format!("{ID}article/{}", stable_hash(&[url]))
}

pub fn post_title_iri(title: &str) -> String {
    format!("https://w3id.org/govkg/vocab/post-title/{}", segment(title))
}

/// The organisations a store already knows, by every name they go by. A short
/// name declared for two different organisations is ambiguous and names neither.
#[derive(Debug, Default, Clone)]
pub struct KnownNames {
    /// name or alias → canonical organisation name (`None`: ambiguous)
    orgs: HashMap<String, Option<String>>,
}

impl KnownNames {
    pub fn insert(&mut self, name: &str, canonical: &str) {
        if name == canonical {
            return;
        }
        match self.orgs.get_mut(name) {
            None => {
                self.orgs
                    .insert(name.to_string(), Some(canonical.to_string()));
            }
            Some(existing) => {
                if existing.as_deref() != Some(canonical) {
                    *existing = None;
                }
            }
        }
    }

    /// Adds the 简称 an article declares, as its quads will state them and as
    /// [`crate::store::GraphStore::known_names`] reads them back: each
    /// organisation's other names are names of its label, the canonical name
    /// that `before` gives it.
    pub fn declare(&mut self, x: &Extraction, before: &KnownNames) {
        for org in &x.orgs {
            // A generic name is the organisation of its place, never another's 简称.
            let label = if org.generic && org.place.is_some() {
                org.name.as_str()
            } else {
                before.canonical(&org.name)
            };
            for name in std::iter::once(&org.name).chain(&org.aliases) {
                self.insert(name, label);
            }
        }
    }

    /// Every unambiguous (alias, canonical name) pair.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.orgs
            .iter()
            .filter_map(|(a, c)| c.as_deref().map(|c| (a.as_str(), c)))
    }

    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        match self.orgs.get(name) {
            Some(Some(c)) => c,
            _ => name,
        }
    }
}

/// An extraction with the identity of each organisation it names: the
/// canonical name the store knows it by (a 简称 declared in another article),
/// or its own name.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub extraction: Extraction,
    canonical: HashMap<String, String>,
    /// The nodes of organisations with generic names (and their short
    /// names), anchored to their place: by name as the article writes it.
    anchored: HashMap<String, String>,
    /// Each person's node, by name as the article writes it.
    people: HashMap<String, String>,
}

impl Resolved {
    /// The node of the person named `name` in the article.
    pub fn person_node(&self, name: &str) -> &str {
        &self.people[name]
    }

    /// Every person's node in the article, with whether they are an official.
    pub fn person_nodes(&self) -> impl Iterator<Item = (&str, bool)> {
        self.extraction
            .people
            .iter()
            .map(|p| (self.person_node(&p.name), p.official))
    }

    /// The canonical name of an organisation named `name` in the article.
    pub fn org_name<'a>(&'a self, name: &'a str) -> &'a str {
        if self.anchored.contains_key(name) {
            // A generic name is the organisation of its place, never another's 简称.
            return name;
        }
        self.canonical.get(name).map(String::as_str).unwrap_or(name)
    }

    /// The node of an organisation named `name` in the article.
    pub fn org_node(&self, name: &str) -> String {
        match self.anchored.get(name) {
            Some(iri) => iri.clone(),
            None => org_iri(self.org_name(name)),
        }
    }

    /// What identifies an organisation in minted IRIs (contacts, posts): its
    /// name as written (with its place, for a generic name), so that an
    /// article's IRIs do not depend on what the store knew.
    pub fn org_key(&self, name: &str) -> String {
        match self.anchored.get(name) {
            Some(iri) => iri.clone(),
            None => org_iri(name),
        }
    }

    pub fn affiliation_iri(&self, a: &Affiliation) -> String {
        match a {
            Affiliation::Place(p) => place_iri(p),
            Affiliation::Org(o) => self.org_node(o),
        }
    }

    /// What identifies the holder in minted IRIs (memberships, posts): the name
    /// as written, so that an article's IRIs do not depend on what the store knew.
    pub fn affiliation_key(&self, a: &Affiliation) -> String {
        match a {
            Affiliation::Place(p) => place_iri(p),
            Affiliation::Org(o) => self.org_key(o),
        }
    }
}

/// Finds the canonical name of every organisation the article (at
/// `article_url`) names, and the node of every person.
pub fn resolve(extraction: Extraction, known: &KnownNames, article_url: &str) -> Resolved {
    let mut canonical = HashMap::new();
    for org in &extraction.orgs {
        // Only the name itself: an organisation's own short names say nothing of
        // which other organisation it might be.
        let c = known.canonical(&org.name);
        if c != org.name {
            canonical.insert(org.name.clone(), c.to_string());
        }
    }
    let mut anchored = HashMap::new();
    for org in extraction.orgs.iter().filter(|o| o.generic) {
        if let Some(place) = &org.place {
            let iri = anchored_org_iri(&org.name, place);
            for name in std::iter::once(&org.name).chain(&org.aliases) {
                anchored.insert(name.clone(), iri.clone());
            }
        }
    }
    let mut people = HashMap::new();
    for name in extraction.people.iter().map(|p| &p.name).chain(
        // Names in facts are names of the article's people; a name only in a
        // fact (should one slip through) still gets a node of its own.
        extraction.memberships.iter().map(|m| &m.person),
    ) {
        if !people.contains_key(name) {
            let anchor = person_anchor(&extraction, name, article_url, &anchored);
            people.insert(name.clone(), person_iri(name, &anchor));
        }
    }
    Resolved {
        extraction,
        canonical,
        anchored,
        people,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_chinese_and_escape_delimiters() {
        assert_eq!(segment("张三"), "张三");
        assert_eq!(segment("a b/c#d"), "a%20b%2Fc%23d");
        assert_eq!(segment("星河钢铁(集团)"), "星河钢铁(集团)");
    }

    #[test]
    fn a_short_name_declared_for_two_organisations_names_neither() {
        let mut k = KnownNames::default();
        k.insert("星瀚", "甲星瀚科技有限公司");
        assert_eq!(k.canonical("星瀚"), "甲星瀚科技有限公司");
        k.insert("星瀚", "甲星瀚科技有限公司");
        assert_eq!(k.canonical("星瀚"), "甲星瀚科技有限公司");
        k.insert("星瀚", "乙星瀚数字技术有限公司");
        assert_eq!(k.canonical("星瀚"), "星瀚");
    }

    fn org(name: &str, aliases: &[&str], generic: bool) -> crate::extract::OrgFact {
        crate::extract::OrgFact {
            name: name.to_string(),
            class: crate::lexicon::OrgClass::Corporation,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            parent: None,
            place: generic.then(|| PlaceKey {
                name: "甲县".to_string(),
                code: Some("000001".to_string()),
                parent_code: None,
                level: Level::County,
            }),
            generic,
            evidence: crate::extract::Span::one(0),
        }
    }

    #[test]
    fn an_article_declares_its_short_names_for_the_name_its_organisation_is_known_by() {
        let mut before = KnownNames::default();
        before.insert("星瀚科技", "星瀚科技股份有限公司");
        let x = Extraction {
            orgs: vec![
                org("乙城远航物流有限公司", &["远航物流"], false),
                // Known by a fuller name: its own short name names that one.
                org("星瀚科技", &["星瀚"], false),
                // A generic name is its place's, whatever else it might name.
                org("城投公司", &["城投"], true),
            ],
            ..Default::default()
        };
        let mut known = before.clone();
        known.declare(&x, &before);
        assert_eq!(known.canonical("远航物流"), "乙城远航物流有限公司");
        assert_eq!(known.canonical("星瀚"), "星瀚科技股份有限公司");
        assert_eq!(known.canonical("星瀚科技"), "星瀚科技股份有限公司");
        assert_eq!(known.canonical("城投"), "城投公司");
        assert_eq!(
            before.canonical("远航物流"),
            "远航物流",
            "before is not changed"
        );
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
    }
}
