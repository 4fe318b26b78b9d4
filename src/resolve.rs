//! Resolve: gives every extracted entity its stable identity. The same person,
//! organisation (under its full name or any 简称), place, post, event or
//! agreement gets the same IRI in every article and on every machine, because
//! IRIs are built from what the entity is (names, codes, dates), never from
//! arrival order or counters. Names known to the store as aliases of an
//! organisation resolve to that organisation.

use std::collections::HashMap;

use crate::extract::{Affiliation, Extraction, PlaceKey};

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

pub fn person_iri(name: &str) -> String {
    format!("{ID}person/{}", segment(name))
}

pub fn org_iri(name: &str) -> String {
    format!("{ID}org/{}", segment(name))
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
}

impl Resolved {
    /// The canonical name of an organisation named `name` in the article.
    pub fn org_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical.get(name).map(String::as_str).unwrap_or(name)
    }

    /// The node of an organisation named `name` in the article.
    pub fn org_node(&self, name: &str) -> String {
        org_iri(self.org_name(name))
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
            Affiliation::Org(o) => org_iri(o),
        }
    }
}

/// Finds the canonical name of every organisation the article names.
pub fn resolve(extraction: Extraction, known: &KnownNames) -> Resolved {
    let mut canonical = HashMap::new();
    for org in &extraction.orgs {
        // Only the name itself: an organisation's own short names say nothing of
        // which other organisation it might be.
        let c = known.canonical(&org.name);
        if c != org.name {
            canonical.insert(org.name.clone(), c.to_string());
        }
    }
    Resolved {
        extraction,
        canonical,
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

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
    }
}
