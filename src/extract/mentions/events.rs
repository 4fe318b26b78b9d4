//! Episodes and what happens in them: a dated sentence and the ones that go on
//! telling it, the event's type, its participants and their roles, the
//! organisations met, and the agreements signed.

use super::*;

impl Work<'_> {
    /// The date that starts an episode, if the sentence has one in a dateline position.
    fn episode_date(&self, si: usize) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        let sent = &self.sents[si];
        for d in dates::find_dates(&sent.norm) {
            let next = sent.chars.get(d.end).copied();
            let prev = if d.start > 0 {
                sent.chars.get(d.start - 1).copied()
            } else {
                None
            };
            let dateline = d.start <= 3
                || matches!(next, Some(',') | Some(' ') | Some(':'))
                || prev == Some('于')
                || (matches!(d.kind, DateKind::Recent) && d.start <= 6);
            if dateline {
                return Some(d.resolve(self.reference));
            }
        }
        None
    }

    /// The first event trigger of a sentence, as (event type, char offset); a
    /// trigger inside a post title (`人大常委会主任`) names no event.
    fn first_trigger(&self, si: usize) -> Option<(usize, usize)> {
        let sent = &self.sents[si];
        let in_title = |at: usize| {
            self.mentions[si]
                .iter()
                .any(|m| m.phrase_start <= at && at < m.start)
        };
        let opening = self.same_day_opening(si);
        self.ex
            .triggers
            .find_iter(&sent.norm)
            .map(|m| {
                (
                    self.ex.trigger_type[m.pattern().as_usize()],
                    sent.b2c[m.start()],
                )
            })
            .find(|&(_, at)| at >= opening && !in_title(at))
    }

    /// Where a sentence's same-day opening (`当天下午,`, `仪式结束后,`,
    /// `考察期间,`) ends, or 0.
    /// What the opening names (the 仪式 of 仪式结束后) is the activity just told.
    fn same_day_opening(&self, si: usize) -> usize {
        let sent = &self.sents[si];
        let Some(comma) = sent.chars.iter().take(12).position(|&c| c == ',') else {
            return 0;
        };
        let opening = sent.slice(0, comma);
        let same_day = &self.lex().genre.same_day;
        // `签约仪式前,`, `座谈会后,`: before or after the activity just told.
        let around_activity = (opening.ends_with('前') || opening.ends_with('后'))
            && self
                .ex
                .triggers
                .find_iter(&opening)
                .any(|m| opening[m.end()..].chars().count() == 1);
        if same_day.iter().any(|w| opening.starts_with(w.as_str()))
            || opening.ends_with("结束后")
            || opening.ends_with("期间")
            || around_activity
        {
            comma + 1
        } else {
            0
        }
    }

    /// Whether an undated sentence moves on to another activity of the same day:
    /// it opens with a same-day word (`当天下午`, `仪式结束后`), names an
    /// activity and someone taking part.
    fn same_day_activity(&self, si: usize) -> bool {
        // A sentence that names no one (`会后，双方签署了协议`) tells more of
        // the activity before: an event of its own would have no participants.
        self.same_day_opening(si) > 0
            && self.first_trigger(si).is_some()
            && !self.mentions[si].is_empty()
    }

    /// Event type: the first trigger word in the episode.
    fn event_type(&self, sentences: &[usize]) -> (usize, Option<(usize, usize)>) {
        for &si in sentences {
            if let Some((kind, at)) = self.first_trigger(si) {
                return (kind, Some((si, at)));
            }
        }
        let other = self
            .lex()
            .event_types
            .iter()
            .position(|c| c.key == "other")
            .unwrap_or(0);
        (other, None)
    }

    /// The role verb that governs a mention: right after it, after a short gap, or
    /// after the rest of the list it stands in.
    fn role_of(&self, si: usize, k: usize) -> Option<usize> {
        let sent = &self.sents[si];
        let ms = &self.mentions[si];
        let m = &ms[k];
        let next_start = ms
            .get(k + 1)
            .map(|n| n.phrase_start)
            .unwrap_or(sent.chars.len());
        let gap_end = next_start.max(m.end);
        let gap = sent.slice(m.end, gap_end);
        if let Some(r) = self.ex.roles.find(&gap) {
            let before: String = gap[..r.start()].to_string();
            let clean = before.chars().count() <= 12
                && !before.contains(['。', ';'])
                && !(before.contains(',')
                    && before.chars().count() > 6
                    && !before.starts_with("等"));
            if clean {
                return Some(self.ex.role_of[r.pattern().as_usize()]);
            }
        }
        if k + 1 < ms.len() {
            let g = gap.trim();
            if matches!(g, "" | "、" | "," | "和" | "与" | "及" | "以及" | "同") {
                return self.role_of(si, k + 1);
            }
        }
        None
    }

    /// Episodes: a dated sentence and what follows it in the same section; undated
    /// text at a section's start is an episode without a date. Headings and a
    /// headline repeating the title are in none.
    fn episodes(&self) -> Vec<Episode> {
        let mut episodes: Vec<Episode> = Vec::new();
        let mut current: Option<usize> = None;
        for si in 0..self.sents.len() {
            if self
                .title_norm
                .as_deref()
                .is_some_and(|t| !t.is_empty() && self.sents[si].norm.trim() == t)
            {
                continue; // the headline repeats the story; it is not a second event
            }
            let new_section = si > 0 && self.section_id(si) != self.section_id(si - 1);
            if let Some((start, end)) = self.episode_date(si) {
                episodes.push(Episode {
                    sentences: vec![si],
                    start,
                    end,
                });
                current = Some(episodes.len() - 1);
            } else if new_section || current.is_none() {
                let paragraph = self.sents[si].paragraph;
                let is_heading = self.section_of_paragraph[paragraph]
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
                if episodes[c].start.is_some() && self.same_day_activity(si) {
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

    pub(super) fn events_and_relations(mut self) -> Extraction {
        let n = self.sents.len();
        let episodes = self.episodes();
        // Memberships are dated by their episode (or publication).
        let mut episode_of = vec![None; n];
        for (ei, e) in episodes.iter().enumerate() {
            for &s in &e.sentences {
                episode_of[s] = Some(ei);
            }
        }
        let publication = self.reference.and_then(|r| r.to_naive());
        for (m, si) in &mut self.memberships {
            m.dates.extend(
                episode_of[*si]
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
                for k in 0..self.mentions[si].len() {
                    let p = self.mentions[si][k].person;
                    let role = self.role_of(si, k);
                    let e = roles.entry(p).or_insert_with(|| {
                        order += 1;
                        (order, None)
                    });
                    if e.1.is_none() {
                        e.1 = role;
                    }
                    last_with_fact = last_with_fact.max(si);
                }
                if !self.org_mentions[si].is_empty() {
                    last_with_fact = last_with_fact.max(si);
                }
            }
            // An episode that names no one is an event only for the agreement
            // it reports (`福田区与某公司签订投资协议`).
            let unattended = roles.is_empty();
            let tells_signing = sentences
                .iter()
                .any(|&si| self.sents[si].norm.contains('签'));
            if unattended && !tells_signing {
                continue;
            }
            let (etype, trigger_at) = self.event_type(sentences);
            let kind = self.lex().event_types[etype].key.clone();
            let role_key = |r: usize| self.lex().roles[r].key.clone();
            let mut people: Vec<(usize, usize, Option<usize>)> =
                roles.iter().map(|(&p, &(o, r))| (o, p, r)).collect();
            people.sort();
            let first_official = people
                .iter()
                .find(|(_, p, _)| self.people[*p].official)
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
                        person: self.people[p].name.clone(),
                        role,
                    }
                })
                .collect();
            // Organisations: named in the episode, or the employers of participants.
            let mut orgs: Vec<usize> = Vec::new();
            for &si in sentences {
                for &(_, _, oi) in &self.org_mentions[si] {
                    if !orgs.contains(&oi) {
                        orgs.push(oi);
                    }
                }
            }
            for (m, si) in &self.memberships {
                if sentences.contains(si) {
                    if let Affiliation::Org(o) = &m.affiliation {
                        if let Some(oi) = self.orgs.iter().position(|x| &x.name == o) {
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
                let text = &self.sents[si].chars;
                text.iter().take(60).collect::<String>()
            };
            let place = self.section_place(sentences[0]);
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
            let org_names: Vec<String> = orgs.iter().map(|&o| self.orgs[o].name.clone()).collect();
            for &(_, p, _) in &people {
                if !self.people[p].official {
                    continue;
                }
                for &o in &orgs {
                    if self.orgs[o].class == OrgClass::Government {
                        continue;
                    }
                    // A place called …中心 (a mall, a venue) counts only when visited.
                    if is_venue(&self.orgs[o].name) && kind != "inspection" {
                        continue;
                    }
                    // An official does not "meet" the organisation they hold a post in.
                    let own = self.memberships.iter().any(|(m, _)| {
                        m.person == self.people[p].name
                            && m.affiliation == Affiliation::Org(self.orgs[o].name.clone())
                    });
                    if own {
                        continue;
                    }
                    contacts.push(ContactFact {
                        official: self.people[p].name.clone(),
                        org: self.orgs[o].name.clone(),
                        event: event_index,
                        evidence,
                    });
                }
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
        let mut orgs = std::mem::take(&mut self.orgs);
        for o in &mut orgs {
            o.place = self.section_place(o.evidence.first);
        }
        let mut memberships: Vec<MembershipFact> = Vec::new();
        for (m, _) in std::mem::take(&mut self.memberships) {
            match memberships.iter_mut().find(|x| {
                x.person == m.person && x.title == m.title && x.affiliation == m.affiliation
            }) {
                Some(x) => x.dates.extend(m.dates),
                None => memberships.push(m),
            }
        }
        for m in &mut memberships {
            m.dates.sort();
            m.dates.dedup();
        }
        Extraction {
            reference: self.reference,
            people: self.people,
            orgs,
            memberships,
            events,
            contacts,
            agreements,
            projects,
            warnings: self.warnings,
        }
    }
}
