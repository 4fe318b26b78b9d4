//! Extract: reads a [`Document`] and finds the facts an analyst asks about —
//! people and their posts, organisations (with 简称 and parents), places,
//! dated events with participants and roles, agreements, the official-met-
//! organisation contacts, and named projects — each with the sentences that say
//! so. It works from the genre's patterns and the general [`Lexicon`], and,
//! when a run has it, from the words Baidu's LAC model finds ([`lac`]); it
//! knows nothing of RDF, IRIs or the store.

mod context;
pub mod dates;
pub mod lac;
mod mentions;
mod relations;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::NaiveDate;
use jieba_rs::Jieba;

use crate::gazetteer::Level;
use crate::lexicon::{Lexicon, OrgClass, PostKind};
use crate::source::{Article, PartialDate};
use crate::text::Document;

use context::ArticleContext;
use lac::Lac;
use mentions::Mentions;

/// Reusable extraction machinery: the lexicon, the automata built from it,
/// and the LAC model when the run has one.
pub struct Extractor {
    lex: Lexicon,
    titles: AhoCorasick,
    triggers: AhoCorasick,
    trigger_type: Vec<usize>,
    roles: AhoCorasick,
    role_of: Vec<usize>,
    org_suffixes: AhoCorasick,
    project_suffixes: AhoCorasick,
    /// The lexicon's `candidate` words (调研, 会见, 签约…).
    candidate_words: AhoCorasick,
    jieba: Jieba,
    /// Optional: without it every sentence's LAC words are empty.
    lac: Option<Lac>,
}

impl Extractor {
    pub fn new(lex: Lexicon) -> Extractor {
        let build = |patterns: &[String]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .unwrap()
        };
        let titles = build(
            &lex.post_titles
                .iter()
                .map(|t| t.title.clone())
                .collect::<Vec<_>>(),
        );
        // One automaton over every concept's trigger words, and the concept of each.
        let concept_automaton = |concepts: &[crate::lexicon::Concept]| {
            let (words, owners): (Vec<String>, Vec<usize>) = concepts
                .iter()
                .enumerate()
                .flat_map(|(i, c)| c.triggers.iter().map(move |t| (t.clone(), i)))
                .unzip();
            (build(&words), owners)
        };
        let (triggers, trigger_type) = concept_automaton(&lex.event_types);
        let (roles, role_of) = concept_automaton(&lex.roles);
        let org_suffixes = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(lex.org_suffixes.iter().map(|(s, _)| s.as_str()))
            .unwrap();
        let project_suffixes = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&lex.project_suffixes)
            .unwrap();
        let candidate_words = AhoCorasick::new(&lex.genre.candidate).unwrap();
        Extractor {
            lex,
            titles,
            triggers,
            trigger_type,
            roles,
            role_of,
            org_suffixes,
            project_suffixes,
            candidate_words,
            jieba: Jieba::new(),
            lac: None,
        }
    }

    /// Extracts with the LAC model too (`None`: with rules alone, as
    /// [`Extractor::new`] does). The model is loaded once and shared by
    /// every thread extracting with this extractor.
    pub fn with_model(mut self, lac: Option<Lac>) -> Extractor {
        self.lac = lac;
        self
    }

    /// The LAC model, if this extractor has one.
    pub fn model(&self) -> Option<&Lac> {
        self.lac.as_ref()
    }

    /// Whether a sentence (normalised) may name an official and an
    /// organisation they met: it holds a post title, an event trigger, an
    /// organisation or project ending, or a visit or meeting word. Only these
    /// go through the model, which costs milliseconds a sentence.
    fn may_name_candidate(&self, norm: &str) -> bool {
        [
            &self.titles,
            &self.triggers,
            &self.org_suffixes,
            &self.project_suffixes,
            &self.candidate_words,
        ]
        .iter()
        .any(|words| words.is_match(norm))
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    /// The facts of one article, in three passes, each a function of the one
    /// before: the article as read ([`ArticleContext`]), the people,
    /// organisations and posts named in it ([`Mentions`]), and what relates
    /// them (events, contacts, agreements, projects).
    pub fn extract(&self, article: &Article, doc: &Document) -> Extraction {
        let mut warnings = Vec::new();
        let cx = ArticleContext::new(self, article, doc, &mut warnings);
        let mentions = Mentions::find(&cx);
        let mut out = relations::relations(&cx, mentions);
        warnings.append(&mut cx.model_failures.borrow_mut());
        out.warnings.splice(0..0, warnings);
        out
    }
}

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
    /// The place the text gives it: the section it is named in or, for a
    /// generic name, the place of its level the article is about.
    pub place: Option<PlaceKey>,
    /// A name every place has (县人民医院, 城投公司): it is the organisation of
    /// `place`, and says nothing of which one it is without it.
    pub generic: bool,
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
    /// Held before the article (`原南山区区长`): not dated by it, and a link to
    /// whoever of the name held it.
    pub former: bool,
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

impl Extraction {
    /// The facts as one line each (`post PERSON TITLE PLACE-OR-ORG`,
    /// `former …` for a post held before, `meets
    /// OFFICIAL ORG DATE`, `joins PERSON DATE TYPE ROLE`, `signs A B DATE` in
    /// both orders, `project NAME PLACE`, `alias ORG SHORT`, `parent ORG
    /// PARENT`, `org NAME CLASS`): what extraction cases assert and what a developer reads.
    pub fn fact_lines(&self) -> Vec<String> {
        let x = self;
        let mut out = Vec::new();
        for m in &x.memberships {
            let holder = match &m.affiliation {
                Affiliation::Place(p) => p.name.clone(),
                Affiliation::Org(o) => o.clone(),
            };
            let fact = if m.former { "former" } else { "post" };
            out.push(format!("{fact} {} {} {holder}", m.person, m.title));
        }
        for c in &x.contacts {
            let d = x.events[c.event]
                .start
                .map(|d| d.to_string())
                .unwrap_or("-".into());
            out.push(format!("meets {} {} {}", c.official, c.org, d));
        }
        for e in &x.events {
            let d = e.start.map(|d| d.to_string()).unwrap_or("-".into());
            for p in &e.participants {
                out.push(format!("joins {} {} {} {}", p.person, d, e.kind, p.role));
            }
        }
        for a in &x.agreements {
            let d = x.events[a.event]
                .start
                .map(|d| d.to_string())
                .unwrap_or("-".into());
            out.push(format!("signs {} {} {}", a.parties[0], a.parties[1], d));
            out.push(format!("signs {} {} {}", a.parties[1], a.parties[0], d));
        }
        for p in &x.projects {
            out.push(format!(
                "project {} {}",
                p.name,
                p.place.as_ref().map(|p| p.name.as_str()).unwrap_or("-")
            ));
        }
        for o in &x.orgs {
            out.push(format!("org {} {:?}", o.name, o.class));
            for a in &o.aliases {
                out.push(format!("alias {} {}", o.name, a));
            }
            if let Some(p) = &o.parent {
                out.push(format!("parent {} {}", o.name, p));
            }
        }
        out
    }
}
