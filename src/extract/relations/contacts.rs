//! Contacts: which official met which organisation at an event. A contact
//! needs the text to bring the two together, not only to name them in the
//! same episode:
//! - the organisation is the event's counterpart — it signs an agreement at
//!   the event, or its people take part as guests (`会见某公司董事长甲一行`,
//!   `某公司等企业负责人参加`) — and the official takes part in the event; or
//! - the official, or the delegation they lead, visits or meets it in a
//!   clause: the organisation stands in the list after a visit or meeting
//!   word (`先后走访了A、B`, `到A、B等企业调研`), or opens the sentence
//!   (`在A，…`), and the official is that clause's subject — named before the
//!   verb, or the subject the episode last named when the clause has none.
//!
//! So the delegation's own units (`带领发改局、投资促进中心负责人`), bodies
//! merely listed, and the companies a received delegation goes on to visit
//! (the hosts did not go) give no contact.

use std::collections::BTreeSet;

use super::*;
use crate::extract::context::Sent;
use crate::extract::mentions::{OrgMention, PersonMention};
use crate::lexicon::listed;

/// An episode as contacts read it.
pub(super) struct EventView<'e> {
    pub sentences: &'e [usize],
    /// Participants in the order they are named.
    pub participants: &'e [usize],
    /// Organisations that signed an agreement at the event.
    pub signing_parties: Vec<usize>,
}

impl RelationFinder<'_, '_> {
    /// The (official, organisation) pairs of one event, in the order found.
    pub(crate) fn contacts(&self, event: &EventView) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let add = |p: usize, o: usize, pairs: &mut Vec<(usize, usize)>| {
            if self.may_meet(p, o) && !pairs.contains(&(p, o)) {
                pairs.push((p, o));
            }
        };
        let officials: Vec<usize> = event
            .participants
            .iter()
            .copied()
            .filter(|&p| self.m.people[p].official)
            .collect();
        // The event's counterparts meet everyone at it.
        for o in self.counterparts(event) {
            for &p in &officials {
                add(p, o, &mut pairs);
            }
        }
        // Visits and meetings named in a clause, by its subject.
        let leaders = self.delegation_leaders(event.sentences);
        let mut current: Vec<usize> = Vec::new();
        for &si in event.sentences {
            let sent = &self.cx.sents[si];
            let opening = self.cx.same_day_opening(si);
            // `在A，…`: the organisation the sentence takes place in.
            let mut visited: Vec<(usize, usize)> = Vec::new(); // (verb position, org)
            let mut venue_opening = None;
            if let Some(first) = self.m.org_mentions[si].first() {
                let before = sent.slice(opening, first.start);
                let after = sent.chars.get(first.end).copied();
                if before == "在" && matches!(after, Some(',')) {
                    venue_opening = Some(first.org);
                }
            }
            for (verb_end, governed) in self.visit_lists(si) {
                visited.extend(governed.into_iter().map(|o| (verb_end, o)));
            }
            // Who does what this sentence tells: officials named before the
            // first verb, else the delegation's leaders, else the subject
            // the episode last named.
            let first_verb = visited
                .iter()
                .map(|&(v, _)| v)
                .min()
                .or_else(|| self.first_trigger(si).map(|(_, at)| at))
                .unwrap_or(sent.chars.len());
            let named = self.subjects_before(si, first_verb);
            let subject_text = sent.slice(opening, first_verb);
            let actors: Vec<usize> = if !named.is_empty() {
                named
            } else if self
                .cx
                .lex()
                .genre
                .delegation
                .iter()
                .any(|w| subject_text.contains(w.as_str()))
            {
                leaders.clone()
            } else {
                current.clone()
            };
            for &(verb_end, o) in &visited {
                // An official named right before this verb (`…，甲走访了A`) is its subject.
                let own = self.subjects_before(si, verb_end);
                let who = if own.len() > actors.len() {
                    &own
                } else {
                    &actors
                };
                for &p in who {
                    add(p, o, &mut pairs);
                }
            }
            // `在A，甲…`: whoever the sentence names did it in A.
            if let Some(o) = venue_opening {
                let named = self.subjects_before(si, sent.chars.len());
                for &p in if actors.is_empty() { &named } else { &actors } {
                    add(p, o, &mut pairs);
                }
            }
            if !actors.is_empty() {
                current = actors;
            }
        }
        pairs
    }

    /// Whether official `p` can be said to meet `o`: a non-government body
    /// that `p` holds no post in.
    fn may_meet(&self, p: usize, o: usize) -> bool {
        let org = &self.m.orgs[o];
        if org.class == OrgClass::Government {
            return false;
        }
        let name = &self.m.people[p].name;
        !self.m.posts.iter().any(|post| {
            &post.fact.person == name && post.fact.affiliation == Affiliation::Org(org.name.clone())
        })
    }

    /// The organisations the event is held with: the parties that sign at
    /// it, and those whose people take part as guests — named with a post in
    /// it (`某公司董事长甲`), or listed before the word for their people
    /// (`A、B等企业负责人参加`). A venue (`…中心`) is met only when visited,
    /// and a body named for the article's own level (`市铁投公司`) is the
    /// host side's.
    fn counterparts(&self, event: &EventView) -> Vec<usize> {
        let mut out: Vec<usize> = event.signing_parties.clone();
        let participants: BTreeSet<&str> = event
            .participants
            .iter()
            .map(|&p| self.m.people[p].name.as_str())
            .collect();
        let leaders = self.delegation_leaders(event.sentences);
        for post in &self.m.posts {
            if !event.sentences.contains(&post.sentence)
                || !participants.contains(post.fact.person.as_str())
            {
                continue;
            }
            let Affiliation::Org(name) = &post.fact.affiliation else {
                continue;
            };
            let Some(o) = self.m.orgs.iter().position(|x| &x.name == name) else {
                continue;
            };
            // People travelling in an official's delegation (`甲带领某集团
            // 董事长乙…`) are the delegation's, not its hosts.
            let in_delegation = self.m.person_mentions[post.sentence].iter().any(|m| {
                self.m.people[m.person].name == post.fact.person
                    && self.led_by_official(post.sentence, m, &leaders)
            });
            if !in_delegation {
                out.push(o);
            }
        }
        for &si in event.sentences {
            let sent = &self.cx.sents[si];
            for m in &self.m.org_mentions[si] {
                if self.names_guests_after(sent, m) {
                    out.push(m.org);
                }
            }
        }
        let mut seen = BTreeSet::new();
        out.retain(|&o| {
            let name = &self.m.orgs[o].name;
            seen.insert(o) && !is_venue(name) && !self.cx.is_host_side_name(name)
        });
        out
    }

    /// Whether the words after an organisation's name (and its list) name its
    /// people as taking part: `A、B等企业负责人`, `A代表`.
    fn names_guests_after(&self, sent: &Sent, m: &OrgMention) -> bool {
        let rest = sent.slice(m.end, m.end + 12);
        let rest = rest.trim_start_matches('等');
        let rest = ["重点企业", "企业", "公司", "单位", "的"]
            .iter()
            .find_map(|w| rest.strip_prefix(w))
            .unwrap_or(rest);
        let guests = &self.cx.lex().genre.guests;
        guests.iter().any(|w| rest.starts_with(w.as_str()))
            && !sent.slice(m.end, m.end + 2).starts_with('、')
    }

    /// The officials named in sentence `si` before char `pos`: the subject
    /// of what the sentence goes on to tell.
    fn subjects_before(&self, si: usize, pos: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for m in &self.m.person_mentions[si] {
            if m.end <= pos && self.m.people[m.person].official && !out.contains(&m.person) {
                out.push(m.person);
            }
        }
        out
    }

    /// The people who lead the episode's delegation: named before 一行,
    /// 率队, 带队, 带领 … .
    fn delegation_leaders(&self, sentences: &[usize]) -> Vec<usize> {
        let mut out = Vec::new();
        for &si in sentences {
            let sent = &self.cx.sents[si];
            for m in &self.m.person_mentions[si] {
                let after = sent.slice(m.end, m.end + 3);
                // 率 leads a delegation; 率先 only goes first.
                let leads = !after.starts_with("率先")
                    && self
                        .cx
                        .lex()
                        .genre
                        .leads
                        .iter()
                        .any(|w| after.starts_with(w.as_str()));
                if leads && self.m.people[m.person].official && !out.contains(&m.person) {
                    out.push(m.person);
                }
            }
        }
        out
    }

    /// Whether the person named at `m` travels in the delegation of an
    /// official: named after `甲带领|率` in the same clause.
    fn led_by_official(&self, si: usize, m: &PersonMention, leaders: &[usize]) -> bool {
        let sent = &self.cx.sents[si];
        self.m.person_mentions[si].iter().any(|l| {
            l.end <= m.phrase_start && leaders.contains(&l.person) && {
                let between = sent.slice(l.end, m.phrase_start);
                !between.contains(['。', ';'])
                    && self
                        .cx
                        .lex()
                        .genre
                        .leads
                        .iter()
                        .any(|w| between.starts_with(w.as_str()))
            }
        })
    }

    /// The lists of organisations a visit or meeting word governs in
    /// sentence `si`: for each such word, where it ends and the
    /// organisations listed after it (`先后走访了A、B,C公司`,
    /// `到A、B等企业调研`, `会见某公司董事长甲`). The list runs on over
    /// list marks, place names, 的, and the titles and names of the people of
    /// the organisations listed; it stops at any other word.
    fn visit_lists(&self, si: usize) -> Vec<(usize, Vec<usize>)> {
        let sent = &self.cx.sents[si];
        let genre = &self.cx.lex().genre;
        let orgs = &self.m.org_mentions[si];
        let mut out = Vec::new();
        let mut k = 0;
        while k < sent.chars.len() {
            let Some(verb) = genre
                .visit
                .iter()
                .find(|w| sent.starts_with_at(k, w) && self.m.word_edge(sent, si, k))
            else {
                k += 1;
                continue;
            };
            let verb_end = k + verb.chars().count();
            let mut pos = verb_end;
            let mut governed = Vec::new();
            for m in orgs.iter().filter(|m| m.start >= verb_end) {
                if !self.list_glue(si, pos, m.start) {
                    break;
                }
                governed.push(m.org);
                pos = m.end;
            }
            if !governed.is_empty() {
                out.push((verb_end, governed));
            }
            k = pos.max(verb_end);
        }
        out
    }

    /// Whether the text of sentence `si` between `from` and `to` only joins
    /// the items of a list of organisations.
    fn list_glue(&self, si: usize, from: usize, to: usize) -> bool {
        let sent = &self.cx.sents[si];
        let mut k = from;
        while k < to {
            let rest = sent.slice(k, to);
            if let Some(w) = self
                .cx
                .lex()
                .genre
                .list_glue
                .iter()
                .find(|w| rest.starts_with(w.as_str()))
            {
                k += w.chars().count();
            } else if let Some(n) = self.cx.gaz.longest_prefix(&rest) {
                k += n;
            } else if let Some(m) = self.m.person_mentions[si]
                .iter()
                .find(|m| m.phrase_start <= k && k < m.end)
            {
                // `会见A公司董事长甲和B公司…`: a guest's title and name.
                k = m.end;
            } else {
                return false;
            }
        }
        true
    }
}

impl ArticleContext<'_> {
    /// A body named for a level of the article's own government
    /// (`市铁投公司`, `区城投集团`): one of the host side's own firms.
    pub(crate) fn is_host_side_name(&self, name: &str) -> bool {
        let mut chars = name.chars();
        matches!(chars.next(), Some('省' | '市' | '区' | '县'))
            && self.gaz.longest_prefix(name).is_none_or(|n| n < 2)
            && !listed(&self.lex().genre.level, name)
    }
}
