//! The third pass: relations. From the [`Mentions`] of an article it tells
//! episodes (a dated sentence and the undated ones that go on telling it),
//! and in each the event, its participants and their roles, the contacts
//! between officials and organisations, and the agreements signed; then the
//! named projects. Posts are dated by their episode. The result is the
//! article's [`Extraction`].

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::context::ArticleContext;
use super::mentions::{is_venue, Mentions, PostMention};
use super::*;
use crate::gazetteer;

mod agreements;
mod contacts;
mod events;
mod projects;

/// A dated sentence and the undated ones after it: one reported activity.
struct Episode {
    sentences: Vec<usize>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

/// The relation pass over one article.
struct RelationFinder<'c, 'a> {
    cx: &'c ArticleContext<'a>,
    m: Mentions,
}

/// Relates the mentions of the article `cx` reads: the article's facts.
pub(crate) fn relations(cx: &ArticleContext, m: Mentions) -> Extraction {
    RelationFinder { cx, m }.events_and_relations()
}

impl RelationFinder<'_, '_> {
    /// Episodes: a dated sentence and what follows it in the same section; undated
    /// text at a section's start is an episode without a date. Headings and a
    /// headline repeating the title are in none.
    pub(crate) fn episodes(&self) -> Vec<Episode> {
        let mut episodes: Vec<Episode> = Vec::new();
        let mut current: Option<usize> = None;
        for si in 0..self.cx.sents.len() {
            if self
                .cx
                .title_norm
                .as_deref()
                .is_some_and(|t| !t.is_empty() && self.cx.sents[si].norm.trim() == t)
            {
                continue; // the headline repeats the story; it is not a second event
            }
            let new_section = si > 0 && self.cx.section_id(si) != self.cx.section_id(si - 1);
            if let Some((start, end)) = self.cx.episode_date(si) {
                episodes.push(Episode {
                    sentences: vec![si],
                    start,
                    end,
                });
                current = Some(episodes.len() - 1);
            } else if new_section || current.is_none() {
                let paragraph = self.cx.sents[si].paragraph;
                let is_heading = self.cx.section_of_paragraph[paragraph]
                    .as_ref()
                    .is_some_and(|(p, _)| *p == paragraph);
                if is_heading {
                    current = None;
                    continue;
                }
                episodes.push(Episode {
                    sentences: vec![si],
                    start: None,
                    end: None,
                });
                current = Some(episodes.len() - 1);
            } else if let Some(c) = current {
                // A chronicle's entries are a paragraph each: an undated one
                // that names someone is another activity of the same day.
                let chronicle_entry = self.cx.chronicle
                    && self.cx.sents[si].paragraph != self.cx.sents[si - 1].paragraph
                    && (si..self.cx.sents.len())
                        .take_while(|&k| self.cx.sents[k].paragraph == self.cx.sents[si].paragraph)
                        .any(|k| !self.m.person_mentions[k].is_empty());
                if episodes[c].start.is_some() && (chronicle_entry || self.same_day_activity(si)) {
                    let (start, end) = (episodes[c].start, episodes[c].end);
                    episodes.push(Episode {
                        sentences: vec![si],
                        start,
                        end,
                    });
                    current = Some(episodes.len() - 1);
                } else {
                    episodes[c].sentences.push(si);
                }
            }
        }
        episodes
    }

    /// Whether every post the person holds is a byline's (记者, 编辑 …).
    fn is_byline_person(&self, p: usize) -> bool {
        let name = &self.m.people[p].name;
        let mut posts = self
            .m
            .posts
            .iter()
            .filter(|m| &m.fact.person == name)
            .peekable();
        posts.peek().is_some()
            && posts.all(|m| {
                self.cx
                    .lex()
                    .genre
                    .byline
                    .iter()
                    .any(|b| m.fact.title.ends_with(b.as_str()))
            })
    }

    pub(crate) fn events_and_relations(mut self) -> Extraction {
        let n = self.cx.sents.len();
        let episodes = self.episodes();
        // Memberships are dated by their episode (or publication).
        let mut episode_of = vec![None; n];
        for (ei, e) in episodes.iter().enumerate() {
            for &s in &e.sentences {
                episode_of[s] = Some(ei);
            }
        }
        let publication = self.cx.reference.and_then(|r| r.to_naive());
        for PostMention { fact: m, sentence } in &mut self.m.posts {
            if m.former {
                continue;
            }
            m.dates.extend(
                episode_of[*sentence]
                    .and_then(|e| episodes[e].start)
                    .or(publication),
            );
        }

        let mut events: Vec<EventFact> = Vec::new();
        let mut contacts: Vec<ContactFact> = Vec::new();
        let mut agreements: Vec<AgreementFact> = Vec::new();
        for Episode {
            sentences,
            start,
            end,
        } in &episodes
        {
            // Participants and their roles.
            let mut roles: BTreeMap<usize, (usize, Option<usize>)> = BTreeMap::new(); // person -> (order, role)
            let mut order = 0;
            let mut last_with_fact = sentences[0];
            for &si in sentences {
                for k in 0..self.m.person_mentions[si].len() {
                    let p = self.m.person_mentions[si][k].person;
                    let role = self.role_of(si, k);
                    // A reporter in a byline reports the event; they are not in it.
                    if role.is_none() && self.is_byline_person(p) {
                        continue;
                    }
                    let e = roles.entry(p).or_insert_with(|| {
                        order += 1;
                        (order, None)
                    });
                    if e.1.is_none() {
                        e.1 = role;
                    }
                    last_with_fact = last_with_fact.max(si);
                }
                if !self.m.org_mentions[si].is_empty() {
                    last_with_fact = last_with_fact.max(si);
                }
            }
            // An episode that names no one is an event only for the agreement
            // it reports (`福田区与某公司签订投资协议`).
            let unattended = roles.is_empty();
            let tells_signing = sentences
                .iter()
                .any(|&si| self.cx.sents[si].norm.contains('签'));
            if unattended && !tells_signing {
                continue;
            }
            let (etype, trigger_at) = self.event_type(sentences);
            let kind = self.cx.lex().event_types[etype].key.clone();
            let role_key = |r: usize| self.cx.lex().roles[r].key.clone();
            let mut people: Vec<(usize, usize, Option<usize>)> =
                roles.iter().map(|(&p, &(o, r))| (o, p, r)).collect();
            people.sort();
            let first_official = people
                .iter()
                .find(|(_, p, _)| self.m.people[*p].official)
                .map(|x| x.1);
            let participants: Vec<Participant> = people
                .iter()
                .map(|&(_, p, r)| {
                    let role = match r {
                        Some(r) => role_key(r),
                        None if kind == "inspection" && Some(p) == first_official => {
                            "leader".into()
                        }
                        None => "attendee".into(),
                    };
                    Participant {
                        person: self.m.people[p].name.clone(),
                        role,
                    }
                })
                .collect();
            // Organisations: named in the episode, or the employers of participants.
            let mut orgs: Vec<usize> = Vec::new();
            for &si in sentences {
                for mention in &self.m.org_mentions[si] {
                    if !orgs.contains(&mention.org) {
                        orgs.push(mention.org);
                    }
                }
            }
            for PostMention { fact: m, sentence } in &self.m.posts {
                if sentences.contains(sentence) {
                    if let Affiliation::Org(o) = &m.affiliation {
                        if let Some(oi) = self.m.orgs.iter().position(|x| &x.name == o) {
                            if !orgs.contains(&oi) {
                                orgs.push(oi);
                            }
                        }
                    }
                }
            }
            let evidence = Span {
                first: sentences[0],
                last: last_with_fact,
            };
            let summary = {
                let (si, _) = trigger_at.unwrap_or((sentences[0], 0));
                let text = &self.cx.sents[si].chars;
                text.iter().take(60).collect::<String>()
            };
            let place = self.cx.section_place(sentences[0]);
            let event_index = events.len();
            // Agreements: `A与B签署…`, in the episode's sentences.
            if kind == "signing" || tells_signing {
                for &si in sentences {
                    for (a, b) in self.agreement_parties(si, &orgs) {
                        let witnesses: Vec<String> = participants
                            .iter()
                            .filter(|p| p.role == "witness")
                            .map(|p| p.person.clone())
                            .collect();
                        if !agreements.iter().any(|x: &AgreementFact| {
                            x.event == event_index
                                && x.parties.contains(&a)
                                && x.parties.contains(&b)
                        }) {
                            agreements.push(AgreementFact {
                                parties: [a, b],
                                witnesses,
                                event: event_index,
                                title: None,
                                evidence: Span {
                                    first: sentences[0],
                                    last: si.max(last_with_fact),
                                },
                            });
                        }
                    }
                }
            }
            if unattended && !agreements.iter().any(|a| a.event == event_index) {
                continue;
            }
            let org_names: Vec<String> =
                orgs.iter().map(|&o| self.m.orgs[o].name.clone()).collect();
            let signing_parties: Vec<usize> = agreements
                .iter()
                .filter(|a| a.event == event_index)
                .flat_map(|a| a.parties.iter())
                .filter_map(|name| self.m.orgs.iter().position(|o| &o.name == name))
                .collect();
            let in_order: Vec<usize> = people.iter().map(|&(_, p, _)| p).collect();
            let view = contacts::EventView {
                sentences,
                participants: &in_order,
                signing_parties,
            };
            for (p, o) in self.contacts(&view) {
                contacts.push(ContactFact {
                    official: self.m.people[p].name.clone(),
                    org: self.m.orgs[o].name.clone(),
                    event: event_index,
                    evidence,
                });
            }
            events.push(EventFact {
                kind,
                start: *start,
                end: *end,
                place,
                summary,
                participants,
                orgs: org_names,
                evidence,
            });
        }
        let projects = self.projects();
        // Organisations take the place of the section they are named in.
        let mut orgs = std::mem::take(&mut self.m.orgs);
        for o in &mut orgs {
            o.place = self.cx.section_place(o.evidence.first);
            o.generic = self.cx.is_generic_org_name(&o.name);
            if o.generic && o.place.is_none() {
                // `县人民医院`: the county the article is about (a 市 name, its city).
                let level = o
                    .name
                    .chars()
                    .next()
                    .filter(|c| "省市州县区镇乡".contains(*c));
                o.place = self.cx.default_place(
                    o.evidence.first,
                    level,
                    crate::lexicon::PostKind::Government,
                );
            }
        }
        let mut memberships: Vec<MembershipFact> = Vec::new();
        for PostMention { fact: m, .. } in std::mem::take(&mut self.m.posts) {
            match memberships.iter_mut().find(|x| {
                x.person == m.person && x.title == m.title && x.affiliation == m.affiliation
            }) {
                Some(x) => {
                    x.dates.extend(m.dates);
                    x.former &= m.former;
                }
                None => memberships.push(m),
            }
        }
        for m in &mut memberships {
            m.dates.sort();
            m.dates.dedup();
        }
        Extraction {
            reference: self.cx.reference,
            people: self.m.people,
            orgs,
            memberships,
            events,
            contacts,
            agreements,
            projects,
            warnings: Vec::new(),
        }
    }
}
