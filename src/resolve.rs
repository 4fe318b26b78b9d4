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

/// The organisations a store already knows, by every name they go by.
#[derive(Debug, Default, Clone)]
pub struct KnownNames {
    /// name or alias → canonical organisation name
    orgs: HashMap<String, String>,
}

impl KnownNames {
    pub fn insert(&mut self, name: &str, canonical: &str) {
        self.orgs
            .entry(name.to_string())
            .or_insert_with(|| canonical.to_string());
    }
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.orgs.get(name).map(String::as_str).unwrap_or(name)
    }
}

/// An extraction whose organisation names are replaced by their canonical names.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub extraction: Extraction,
}

impl Resolved {
    pub fn affiliation_iri(&self, a: &Affiliation) -> String {
        match a {
            Affiliation::Place(p) => place_iri(p),
            Affiliation::Org(o) => org_iri(o),
        }
    }
}

/// Maps each organisation to the canonical name the store knows it by (a 简称
/// declared in another article, say), so both articles use one node.
pub fn resolve(mut extraction: Extraction, known: &KnownNames) -> Resolved {
    let mut rename: HashMap<String, String> = HashMap::new();
    for org in &extraction.orgs {
        let names = std::iter::once(&org.name).chain(org.aliases.iter());
        for n in names {
            let c = known.canonical(n);
            if c != n {
                rename.insert(org.name.clone(), c.to_string());
                break;
            }
        }
    }
    if !rename.is_empty() {
        let map = |s: &mut String| {
            if let Some(c) = rename.get(s.as_str()) {
                *s = c.clone();
            }
        };
        for o in &mut extraction.orgs {
            let old = o.name.clone();
            map(&mut o.name);
            if o.name != old && !o.aliases.contains(&old) {
                o.aliases.push(old);
            }
            if let Some(p) = &mut o.parent {
                map(p);
            }
        }
        // Two article orgs may now share a name: merge them.
        let mut merged: Vec<crate::extract::OrgFact> = Vec::new();
        for o in extraction.orgs.drain(..) {
            if let Some(m) = merged.iter_mut().find(|m| m.name == o.name) {
                for a in o.aliases {
                    if !m.aliases.contains(&a) {
                        m.aliases.push(a);
                    }
                }
            } else {
                merged.push(o);
            }
        }
        extraction.orgs = merged;
        for m in &mut extraction.memberships {
            if let Affiliation::Org(o) = &mut m.affiliation {
                map(o);
            }
        }
        for e in &mut extraction.events {
            e.orgs.iter_mut().for_each(map);
        }
        for c in &mut extraction.contacts {
            map(&mut c.org);
        }
        for a in &mut extraction.agreements {
            a.parties.iter_mut().for_each(map);
        }
    }
    for o in &mut extraction.orgs {
        let name = o.name.clone();
        o.aliases.retain(|a| *a != name);
    }
    Resolved { extraction }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_chinese_and_escape_delimiters() {
        assert_eq!(segment("黄伟"), "黄伟");
        assert_eq!(segment("a b/c#d"), "a%20b%2Fc%23d");
        assert_eq!(segment("重庆钢铁(集团)"), "重庆钢铁(集团)");
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
    }
}
