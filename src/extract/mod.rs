//! Extract: reads a [`Document`] and finds the facts an analyst asks about —
//! people and their posts, organisations (with 简称 and parents), places,
//! dated events with participants and roles, agreements, the official-met-
//! organisation contacts, and named projects — each with the sentences that say
//! so. It works from the genre's patterns and the general [`Lexicon`]; it knows
//! nothing of RDF, IRIs or the store.

pub mod dates;
mod mentions;

use chrono::NaiveDate;

use crate::gazetteer::Level;
use crate::lexicon::{Lexicon, OrgClass, PostKind};
use crate::source::{Article, PartialDate};
use crate::text::Document;

pub use mentions::Extractor;

/// Sentences (indices into [`Document::sentences`], inclusive) that state a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub first: usize,
    pub last: usize,
}

impl Span {
    pub fn one(i: usize) -> Span {
        Span { first: i, last: i }
    }
}

/// A place as extraction knows it: a gazetteer division, or a functional area
/// named in the text (then `code` is `None` and `parent_code` the city around it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceKey {
    pub name: String,
    pub code: Option<String>,
    pub parent_code: Option<String>,
    pub level: Level,
}

/// Where a post is held.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Affiliation {
    Place(PlaceKey),
    Org(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFact {
    pub name: String,
    /// Holds a party, government, congress, CPPCC or zone post, or is named among 领导.
    pub official: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFact {
    /// The fullest name the article gives.
    pub name: String,
    pub class: OrgClass,
    /// 简称 and other short names that refer to it in the article.
    pub aliases: Vec<String>,
    /// The organisation it belongs to (旗下, branch of).
    pub parent: Option<String>,
    pub place: Option<PlaceKey>,
    pub evidence: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipFact {
    pub person: String,
    /// The title as written, without the place (`区委书记`).
    pub title: String,
    pub title_en: String,
    pub kind: PostKind,
    pub affiliation: Affiliation,
    /// The dates the post was reported as held (events' dates, or publication), in order.
    pub dates: Vec<NaiveDate>,
    pub evidence: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub person: String,
    /// A role concept key (`chair`, `leader`, `attendee`, `witness`, `speaker`).
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFact {
    /// An event-type concept key (`meeting`, `inspection` …).
    pub kind: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub place: Option<PlaceKey>,
    /// A short description: the clause that names the event.
    pub summary: String,
    pub participants: Vec<Participant>,
    /// Organisations that took part or were visited.
    pub orgs: Vec<String>,
    pub evidence: Span,
}

/// This official met this organisation at this event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFact {
    pub official: String,
    pub org: String,
    pub event: usize,
    pub evidence: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFact {
    pub parties: [String; 2],
    pub witnesses: Vec<String>,
    pub event: usize,
    pub title: Option<String>,
    pub evidence: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFact {
    pub name: String,
    pub place: Option<PlaceKey>,
    pub evidence: Span,
}

/// Everything extraction found in one article: the one type carried to `resolve`.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// The date relative dates were resolved against.
    pub reference: Option<PartialDate>,
    pub people: Vec<PersonFact>,
    pub orgs: Vec<OrgFact>,
    pub memberships: Vec<MembershipFact>,
    pub events: Vec<EventFact>,
    pub contacts: Vec<ContactFact>,
    pub agreements: Vec<AgreementFact>,
    pub projects: Vec<ProjectFact>,
    pub warnings: Vec<String>,
}
