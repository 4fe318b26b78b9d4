//! People: `[place/org]title、title NAME` appositions and the posts they
//! give, `NAME担任…` appointments, lists of leaders (`市领导甲、乙等`), and
//! names already known wherever they recur (`甘书记` for a 书记 named 甘…).

use super::*;
use crate::extract::context::{ends_with_at, Sent};

impl Mentions {
    pub(crate) fn person(&mut self, name: &str, official: bool) -> usize {
        if let Some(&i) = self.person_index.get(name) {
            self.people[i].official |= official;
            return i;
        }
        self.people.push(PersonFact {
            name: name.to_string(),
            official,
        });
        self.person_index
            .insert(name.to_string(), self.people.len() - 1);
        self.people.len() - 1
    }

    /// Finds `[org/place] title、title NAME` and records the person, their posts
    /// and the mention.
    pub(crate) fn appositions(&mut self, cx: &ArticleContext, si: usize) {
        let sent = &cx.sents[si];
        let matches: Vec<(usize, usize, usize)> = cx
            .ex
            .titles
            .find_iter(&sent.norm)
            .map(|m| {
                (
                    sent.b2c[m.start()],
                    sent.b2c[m.end()],
                    m.pattern().as_usize(),
                )
            })
            .collect();
        let mut floor = 0;
        let mut i = 0;
        let mut found: Vec<Appositive> = Vec::new();
        while i < matches.len() {
            let mut chain: Vec<(String, usize)> = Vec::new();
            let (s0, _, t0) = matches[i];
            let mut p0 = cx.phrase_start(sent, s0, floor);
            // `甲(上校)调任县…主任`: the appointment verb, and a rank before
            // it, open no name phrase.
            let appointment_at = |k: usize| {
                cx.lex()
                    .genre
                    .appointment
                    .iter()
                    .find(|v| sent.starts_with_at(k, v) && k + v.chars().count() <= s0)
                    .map(|v| v.chars().count())
            };
            let rank = cx
                .lex()
                .name_followers
                .iter()
                .filter(|w| sent.starts_with_at(p0, w))
                .map(|w| w.chars().count())
                .find(|&n| appointment_at(p0 + n).is_some())
                .unwrap_or(0);
            if let Some(n) = appointment_at(p0 + rank) {
                p0 += rank + n;
            }
            chain.push((sent.slice(p0, s0), t0));
            let mut j = i;
            while j + 1 < matches.len() {
                let gap = sent.slice(matches[j].1, matches[j + 1].0);
                let glen = gap.chars().count();
                let joined = gap.is_empty()
                    || ["及", "和", "兼", "并"].contains(&gap.as_str())
                    || (gap.starts_with('、')
                        && glen <= 30
                        && !gap.contains([',', '。', ';', ':', '“', '”']));
                if !joined {
                    break;
                }
                let mut prefix = gap
                    .trim_start_matches(['、', '及', '和', '兼', '并'])
                    .to_string();
                // `区政协党组书记、主席`: the body qualifies the titles after it too.
                if let Some((before, _)) = chain.last() {
                    if prefix.is_empty()
                        && cx
                            .lex()
                            .genre
                            .congress_body
                            .iter()
                            .any(|b| before.ends_with(b.as_str()))
                    {
                        prefix = before.clone();
                    }
                }
                chain.push((prefix, matches[j + 1].2));
                j += 1;
            }
            // `副区长(挂职)甲`: a short note in brackets may stand before the name.
            let end = after_bracket_note(&sent.chars, matches[j].1);
            if let Some(len) = cx
                .name_at(sent, end)
                .or_else(|| cx.unlisted_name_at(sent, end))
                .or_else(|| cx.model_name_at(si, end))
            {
                // `副区长甲、乙`: the names listed after the first hold the same posts.
                let mut colleagues = Vec::new();
                let mut next = end + len;
                while sent.chars.get(next) == Some(&'、')
                    && !sent.any_starts_at(&cx.ex.titles, next + 1)
                {
                    let Some(l) = cx
                        .name_at(sent, next + 1)
                        .or_else(|| cx.model_name_at(si, next + 1))
                    else {
                        break;
                    };
                    // `、云浮市副市长乙` starts an apposition of its own.
                    let rest: String = sent.chars[next + 1..].iter().collect();
                    if sent.any_starts_at(&cx.ex.titles, next + 1 + l)
                        || cx.gaz.longest_prefix(&rest).is_some_and(|n| n >= l)
                    {
                        break;
                    }
                    colleagues.push(Appositive {
                        phrase_start: next + 1,
                        start: next + 1,
                        end: next + 1 + l,
                        chain: chain.clone(),
                    });
                    next += 1 + l;
                }
                found.push(Appositive {
                    phrase_start: p0,
                    start: end,
                    end: end + len,
                    chain,
                });
                found.extend(colleagues);
                floor = next;
            } else if let Some((a, b)) = self.appointed_before(
                cx,
                sent,
                p0,
                &found.iter().map(|f| (f.start, f.end)).collect::<Vec<_>>(),
            ) {
                // `甲受聘为某智库主任`: the name comes before the verb.
                found.push(Appositive {
                    phrase_start: a,
                    start: a,
                    end: b,
                    chain,
                });
            } else if let Some(len) = self.name_before_title(cx, si, sent, p0, s0, matches[j].1) {
                // `王晓东副区长到…`: the name stands before its titles.
                chain[0].0.clear();
                found.push(Appositive {
                    phrase_start: p0,
                    start: p0,
                    end: p0 + len,
                    chain,
                });
            }
            i = j + 1;
        }
        for Appositive {
            phrase_start,
            start,
            end,
            chain,
        } in found
        {
            let name = cx.sents[si].slice(start, end);
            let mut prev: Option<Affiliation> = None;
            let mut facts = Vec::new();
            let mut official = false;
            let mut public_title = false;
            // `原罗湖区区长…`: the 原 that opens the phrase (a lead word, so
            // not part of the first prefix) makes the first post a former one,
            // and the titles after it that add no place of their own.
            let mut former_before =
                phrase_start > 0 && cx.sents[si].chars[phrase_start - 1] == '原';
            for (k, (prefix, t)) in chain.into_iter().enumerate() {
                let title = cx.lex().post_titles[t].clone();
                let (prefix, written_former) = former_post(cx, &prefix);
                let former =
                    written_former || (former_before && (k == 0 || prefix.trim().is_empty()));
                former_before = former;
                let (aff, mut title_text) = self.affiliation(cx, si, prefix, &title, prev.as_ref());
                // The 新区 of `新区党工委书记` names the place (`合肥高新区`), not the post.
                if let Some(Affiliation::Place(place)) = &aff {
                    if let Some(area) = FUNCTIONAL_SUFFIXES
                        .iter()
                        .find(|f| place.name.ends_with(*f) && title_text.len() > f.len())
                    {
                        if let Some(rest) = title_text.strip_prefix(area) {
                            title_text = rest.to_string();
                        }
                    }
                }
                public_title |= aff.is_none()
                    && title.kind.is_public()
                    && !title.title.ends_with("委员")
                    && !title.title.ends_with("代表");
                if let Some(aff) = aff {
                    official |= self.is_office(cx, &aff, &title.title, title.kind);
                    facts.push((aff.clone(), title_text, title.clone(), former));
                    prev = Some(aff);
                }
            }
            let p = self.person(&name, official);
            if !official && public_title {
                // A public title whose place the article never names still makes an official.
                self.leader_listed.insert(p);
                self.people[p].official = true;
            }
            self.person_mentions[si].push(PersonMention {
                person: p,
                start,
                end,
                phrase_start,
            });
            for (aff, title_text, title, former) in facts {
                if let Affiliation::Org(o) = &aff {
                    self.add_org(cx, o, si);
                }
                self.posts.push(PostMention {
                    fact: MembershipFact {
                        person: name.clone(),
                        title: title_text,
                        title_en: title.en.clone(),
                        kind: title.kind,
                        affiliation: aff,
                        dates: Vec::new(),
                        former,
                        evidence: Span::one(si),
                    },
                    sentence: si,
                });
            }
        }
    }

    /// `NAME受聘为|担任|出任|当选为 [org] title`: the known name before the verb
    /// that ends at `pos`, as char offsets.
    pub(crate) fn appointed_before(
        &self,
        cx: &ArticleContext,
        sent: &Sent,
        pos: usize,
        earlier: &[(usize, usize)],
    ) -> Option<(usize, usize)> {
        let verb = cx
            .lex()
            .genre
            .appointment
            .iter()
            .find(|v| ends_with_at(&sent.chars, pos, v))?;
        let end = pos - verb.chars().count();
        // `原…部长甲上校调任…`: a word that may follow a name (a rank) may stand
        // between the name and the verb.
        let ends = std::iter::once(end).chain(
            cx.lex()
                .name_followers
                .iter()
                .filter(|w| ends_with_at(&sent.chars, end, w))
                .map(|w| end - w.chars().count()),
        );
        for end in ends {
            let found = (2..=4).filter(|&n| n <= end).find_map(|n| {
                let name = sent.slice(end - n, end);
                (self.person_index.contains_key(&name) || earlier.contains(&(end - n, end)))
                    .then_some((end - n, end))
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// `市领导张三、李四、王五等参加`: names listed after 领导.
    /// The length of a name that makes up the whole of the text between
    /// `from` and a title at `title`, when what follows the titles (at
    /// `after`) may follow a name: `王晓东副区长到…`. Not `张三任副区长`.
    fn name_before_title(
        &self,
        cx: &ArticleContext,
        si: usize,
        sent: &Sent,
        from: usize,
        title: usize,
        after: usize,
    ) -> Option<usize> {
        let len = title.checked_sub(from)?;
        if !(2..=3).contains(&len) || !cx.follows_name(sent, after) {
            return None;
        }
        if matches!(sent.chars[title - 1], '任' | '为' | '是' | '兼' | '当') {
            return None;
        }
        // `调任丹巴区委副书记`: a name never starts inside an appointment verb
        // (调|任, 出|任), whose last character may be a surname.
        let inside_verb =
            cx.lex().genre.appointment.iter().any(|v| {
                (1..v.chars().count()).any(|k| from >= k && sent.starts_with_at(from - k, v))
            });
        if inside_verb {
            return None;
        }
        cx.name_at(sent, from)
            .or_else(|| cx.model_name_at(si, from))
            .filter(|&n| n == len)
    }

    pub(crate) fn leader_lists(&mut self, cx: &ArticleContext, si: usize) {
        let mut found = Vec::new();
        {
            let sent = &cx.sents[si];
            let mut from = 0;
            while let Some(rel) = sent.chars[from..]
                .windows(2)
                .position(|w| w == ['领', '导'])
            {
                let mut pos = from + rel + 2;
                from = pos;
                while let Some(len) = cx.name_at(sent, pos).or_else(|| cx.model_name_at(si, pos)) {
                    found.push((pos, pos + len));
                    pos += len;
                    match sent.chars.get(pos) {
                        Some('、') | Some(',') => pos += 1,
                        _ => break,
                    }
                }
            }
        }
        for (a, b) in found {
            if self.person_mentions[si]
                .iter()
                .any(|m| m.start <= a && a < m.end)
            {
                continue;
            }
            let name = cx.sents[si].slice(a, b);
            let p = self.person(&name, true);
            self.leader_listed.insert(p);
            self.person_mentions[si].push(PersonMention {
                person: p,
                start: a,
                end: b,
                phrase_start: a,
            });
        }
    }

    /// Names already known in the article, wherever they recur, and 甘书记-style
    /// references by surname and title.
    pub(crate) fn bare_names(&mut self, cx: &ArticleContext) {
        if self.people.is_empty() {
            return;
        }
        let mut patterns: Vec<String> = self.people.iter().map(|p| p.name.clone()).collect();
        let mut targets: Vec<usize> = (0..self.people.len()).collect();
        // Surname + 书记/区长… for people who hold such a post, when unambiguous.
        let mut refs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for PostMention { fact: m, .. } in &self.posts {
            let surname: String = m.person.chars().next().into_iter().collect();
            for short in &cx.lex().genre.surname_title {
                if m.title.ends_with(short) {
                    let p = self.person_index[&m.person];
                    let e = refs.entry(format!("{surname}{short}")).or_default();
                    if !e.contains(&p) {
                        e.push(p);
                    }
                }
            }
        }
        for (pattern, people) in refs {
            if people.len() == 1 && !self.person_index.contains_key(&pattern) {
                patterns.push(pattern);
                targets.push(people[0]);
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .unwrap();
        for si in 0..cx.sents.len() {
            let sent = &cx.sents[si];
            let mut add = Vec::new();
            for m in ac.find_iter(&sent.norm) {
                let (a, b) = (sent.b2c[m.start()], sent.b2c[m.end()]);
                if self.person_mentions[si]
                    .iter()
                    .any(|x| x.start < b && a < x.end)
                {
                    continue;
                }
                // A known name inside a longer name is not that person.
                if b < sent.chars.len() && is_cjk(sent.chars[b]) && !cx.follows_name(sent, b) {
                    continue;
                }
                add.push(PersonMention {
                    person: targets[m.pattern().as_usize()],
                    start: a,
                    end: b,
                    phrase_start: a,
                });
            }
            self.person_mentions[si].extend(add);
            self.person_mentions[si].sort_by_key(|m| m.start);
        }
    }

    /// Where the last person's name before `pos` ends (0 if none): a name
    /// phrase to the right cannot reach back over it.
    pub(crate) fn end_of_last_name_before(&self, si: usize, pos: usize) -> usize {
        self.person_mentions[si]
            .iter()
            .filter(|m| m.end <= pos)
            .map(|m| m.end)
            .max()
            .unwrap_or(0)
    }
}

/// A person named after a chain of titles: `[prefix]title、[prefix]title NAME`.
struct Appositive {
    phrase_start: usize,
    /// The name's char offsets.
    start: usize,
    end: usize,
    /// Each title's prefix text (place or organisation) and lexicon index.
    chain: Vec<(String, usize)>,
}

/// `原南山区区长`, `南山区原区长`: a post held before, written with 原 before
/// its place or its title. Returns the place or body without the 原, and
/// whether it was there. A place whose own name starts with 原 (原阳县) is not
/// a former post.
fn former_post<'p>(cx: &ArticleContext, prefix: &'p str) -> (&'p str, bool) {
    let p = prefix.trim();
    if let Some(rest) = p.strip_suffix('原') {
        return (rest, true);
    }
    match p.strip_prefix('原') {
        Some(rest) if cx.gaz.longest_prefix(p).is_none() => (rest, true),
        _ => (prefix, false),
    }
}
