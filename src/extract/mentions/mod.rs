//! The second pass: mentions. From an [`ArticleContext`] it finds the people
//! (with their posts), the organisations (with 简称 and parents) and where
//! each is named, sentence by sentence; the next pass relates them. Its
//! submodules each add one kind: `people` (appositions, lists of leaders,
//! recurring names), `posts` (where a title is held, who is an official) and
//! `orgs` (names by their endings, aliases).

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use super::context::{after_bracket_note, strip_lead_words, without_brackets, ArticleContext};
use super::*;
use crate::gazetteer::FUNCTIONAL_SUFFIXES;
use crate::lexicon::{listed, PostTitle};
use crate::text::is_cjk;

mod orgs;
mod people;
mod posts;

pub(super) use orgs::is_venue;

/// A person named in a sentence.
#[derive(Debug, Clone)]
pub(super) struct PersonMention {
    /// Index into [`Mentions::people`].
    pub person: usize,
    /// Char offsets of the name in the sentence.
    pub start: usize,
    pub end: usize,
    /// Where the apposition (org, titles, name) begins; `start` for a bare name.
    pub phrase_start: usize,
}

/// An organisation named in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct OrgMention {
    /// Char offsets of the name in the sentence.
    pub start: usize,
    pub end: usize,
    /// Index into [`Mentions::orgs`].
    pub org: usize,
}

/// A post as a sentence states it.
#[derive(Debug, Clone)]
pub(super) struct PostMention {
    pub fact: MembershipFact,
    pub sentence: usize,
}

/// What the mention pass found in one article.
#[derive(Default)]
pub(super) struct Mentions {
    pub people: Vec<PersonFact>,
    person_index: HashMap<String, usize>,
    /// People named in each sentence, in order.
    pub person_mentions: Vec<Vec<PersonMention>>,
    pub posts: Vec<PostMention>,
    pub orgs: Vec<OrgFact>,
    /// Organisations named in each sentence, in order.
    pub org_mentions: Vec<Vec<OrgMention>>,
    /// People named in lists of leaders (`市领导甲、乙等`).
    pub leader_listed: HashSet<usize>,
}

impl Mentions {
    /// Finds the mentions of the article `cx` reads, in dependency order:
    /// people and posts first (organisation names stop where a person's name
    /// stands), then organisations, then short names merged into full ones.
    pub fn find(cx: &ArticleContext) -> Mentions {
        let n = cx.sents.len();
        let mut m = Mentions {
            person_mentions: vec![Vec::new(); n],
            org_mentions: vec![Vec::new(); n],
            ..Mentions::default()
        };
        for i in 0..n {
            m.appositions(cx, i);
        }
        for i in 0..n {
            m.leader_lists(cx, i);
        }
        m.reclassify_orgs(cx);
        m.bare_names(cx);
        for i in 0..n {
            m.org_mentions_in(cx, i);
            m.listed_orgs_in(cx, i);
        }
        m.merge_aliases(cx);
        m
    }
}
