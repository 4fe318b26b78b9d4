//! The extractor proper: post-title appositions (`区委副书记、区长张三`), lists of
//! leaders, organisations by their endings, and names recurring across the
//! article. Its submodules take the rest of the work, each on the same `Work`:
//! `places` (section headings, the places an article is about), `events`
//! (episodes, event types, participants and roles, contacts), `agreements`
//! (the parties of each signing) and `projects` (named projects and their
//! districts).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::NaiveDate;
use jieba_rs::Jieba;

use super::dates::{self, DateKind};
use super::*;
use crate::gazetteer::{self, Gazetteer, PlaceContext, FUNCTIONAL_SUFFIXES};
use crate::lexicon::{listed, PostTitle};
use crate::text::is_cjk;

mod agreements;
mod events;
mod places;
mod projects;

use places::without_destinations;

/// Reusable extraction machinery: the lexicon and the automata built from it.
pub struct Extractor {
    lex: Lexicon,
    titles: AhoCorasick,
    triggers: AhoCorasick,
    trigger_type: Vec<usize>,
    roles: AhoCorasick,
    role_of: Vec<usize>,
    org_suffixes: AhoCorasick,
    project_suffixes: AhoCorasick,
    jieba: Jieba,
}

/// Characters that end a name phrase when scanning left from a title or suffix.
const BOUNDARY: &[char] = &[
    ',', '，', '。', ';', '；', ':', '：', '、', '“', '”', '"', '\'', '‘', '’', '《', '》', '!',
    '?', ' ', '|', '>', '<', '【', '】', '[', ']', '·', '…', '—', '/', '\\', '\n',
];

fn ends_with_at(chars: &[char], k: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    k >= w.len() && chars[k - w.len()..k] == w[..]
}

/// Tags jieba gives to words that can be part of a name.
fn nominal_tag(tag: &str) -> bool {
    tag.starts_with('n')
        || matches!(
            tag,
            "eng" | "j" | "m" | "a" | "b" | "vn" | "an" | "x" | "f" | "s" | "g" | "k" | "h" | "l"
        )
}

/// A person named in a sentence.
#[derive(Debug, Clone)]
struct Mention {
    person: usize,
    /// Char offsets of the name in the sentence.
    start: usize,
    end: usize,
    /// Where the apposition (org, titles, name) begins; `start` for a bare name.
    phrase_start: usize,
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

/// A dated sentence and the undated ones after it: one reported activity.
struct Episode {
    sentences: Vec<usize>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

/// A sentence as chars, with its jieba tokens.
struct Sent {
    chars: Vec<char>,
    norm: String,
    /// byte offset → char offset
    b2c: Vec<usize>,
    paragraph: usize,
    /// Whether a word (by jieba) starts or ends at each char offset.
    word_edge: Vec<bool>,
}

impl Sent {
    fn new(norm: &str, paragraph: usize, jieba: &Jieba) -> Sent {
        let mut b2c = vec![0; norm.len() + 1];
        let mut ci = 0;
        for (bi, c) in norm.char_indices() {
            b2c[bi] = ci;
            for k in 1..c.len_utf8() {
                b2c[bi + k] = ci;
            }
            ci += 1;
        }
        b2c[norm.len()] = ci;
        let chars: Vec<char> = norm.chars().collect();
        let mut word_edge = vec![false; chars.len() + 1];
        word_edge[0] = true;
        for t in jieba.cut(norm, true) {
            word_edge[t.end.min(chars.len())] = true;
        }
        Sent {
            chars,
            norm: norm.to_string(),
            b2c,
            paragraph,
            word_edge,
        }
    }
    fn slice(&self, a: usize, b: usize) -> String {
        self.chars[a.min(self.chars.len())..b.min(self.chars.len())]
            .iter()
            .collect()
    }
    /// Whether one of `words` starts at `pos` (titles and role verbs are at most
    /// a dozen characters, so only that much text is searched).
    fn any_starts_at(&self, words: &AhoCorasick, pos: usize) -> bool {
        let end = (pos + 16).min(self.chars.len());
        let text: String = self.chars[pos.min(end)..end].iter().collect();
        words.find(&text).is_some_and(|m| m.start() == 0)
    }

    fn starts_with_at(&self, pos: usize, word: &str) -> bool {
        (pos..)
            .zip(word.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }
}

fn strip_lead_words<'s>(lead: &[String], mut s: &'s str) -> &'s str {
    loop {
        let before = s;
        for w in lead {
            if let Some(rest) = s.strip_prefix(w) {
                if !rest.is_empty() {
                    s = rest;
                    break;
                }
            }
        }
        if s == before {
            return s;
        }
    }
}

/// Per-article working state.
struct Work<'a> {
    ex: &'a Extractor,
    gaz: &'a Gazetteer,
    sents: Vec<Sent>,
    body_norm: String,
    reference: Option<PartialDate>,
    ctx: PlaceContext,
    /// The place set by the heading a paragraph stands under.
    section_of_paragraph: Vec<Option<(usize, PlaceKey)>>,
    people: Vec<PersonFact>,
    person_index: HashMap<String, usize>,
    mentions: Vec<Vec<Mention>>,
    memberships: Vec<(MembershipFact, usize)>,
    orgs: Vec<OrgFact>,
    /// Org mentions per sentence: (start, end, org index).
    org_mentions: Vec<Vec<(usize, usize, usize)>>,
    warnings: Vec<String>,
    /// People named in lists of leaders (`市领导甲、乙等`).
    leader_listed: HashSet<usize>,
    /// The article's title, normalised: a line repeating it is a headline, not an event.
    title_norm: Option<String>,
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
        Extractor {
            lex,
            titles,
            triggers,
            trigger_type,
            roles,
            role_of,
            org_suffixes,
            project_suffixes,
            jieba: Jieba::new(),
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    pub fn extract(&self, article: &Article, doc: &Document) -> Extraction {
        let mut warnings = Vec::new();
        let reference = article.published.or_else(|| {
            let r = dates::reference_from_text(&crate::text::normalise(&article.body));
            if r.is_none() {
                warnings.push(
                    "no publication date found: events keep only what the text says (give --published YYYY-MM-DD)"
                        .to_string(),
                );
            }
            r
        });
        let sents: Vec<Sent> = doc
            .sentences
            .iter()
            .map(|s| Sent::new(&s.norm, s.paragraph, &self.jieba))
            .collect();
        let title_norm = article
            .title
            .as_deref()
            .map(|t| crate::text::normalise(t.trim()));
        let body_norm: String = {
            let mut s = title_norm.clone().unwrap_or_default();
            for p in &doc.paragraphs {
                s.push('\n');
                s.push_str(&p.norm);
            }
            s
        };
        let gaz = &self.lex.gazetteer;
        let mut ctx = gaz.context(&without_destinations(gaz, &body_norm));
        // A headline that opens with a county's short form (`启东召开…`) is about
        // it, though short forms of counties elsewhere are too often words to vote.
        if let Some(title) = &title_norm {
            let head = gaz
                .longest_prefix(title)
                .map(|n| title.chars().take(n).collect::<String>())
                .filter(|h| !is_common_word(&self.jieba, h));
            if let Some(id) = head.and_then(|h| gaz.resolve_at(&h, &ctx, &[Level::County])) {
                gaz.boost(&mut ctx, id, 1.0);
            }
        }
        let n = sents.len();
        let mut w = Work {
            ex: self,
            gaz,
            sents,
            body_norm,
            reference,
            ctx,
            section_of_paragraph: vec![None; doc.paragraphs.len()],
            people: Vec::new(),
            person_index: HashMap::new(),
            mentions: vec![Vec::new(); n],
            memberships: Vec::new(),
            orgs: Vec::new(),
            org_mentions: vec![Vec::new(); n],
            warnings,
            leader_listed: HashSet::new(),
            title_norm,
        };
        w.sections(doc);
        for i in 0..n {
            w.appositions(i);
        }
        for i in 0..n {
            w.leader_lists(i);
        }
        w.reclassify_orgs();
        w.bare_names();
        for i in 0..n {
            w.org_mentions_in(i);
        }
        w.merge_aliases();
        let mut out = w.events_and_relations();
        out.reference = reference;
        out
    }
}

impl Work<'_> {
    fn lex(&self) -> &Lexicon {
        &self.ex.lex
    }

    fn place_key(&self, id: usize) -> PlaceKey {
        let d = self.gaz.get(id);
        PlaceKey {
            name: d.name.clone(),
            code: Some(d.code.clone()),
            parent_code: d.parent.map(|p| self.gaz.get(p).code.clone()),
            level: d.level,
        }
    }

    fn functional_place(&self, name: &str) -> PlaceKey {
        let parent = self.gaz.dominant(&self.ctx, Level::Prefecture);
        PlaceKey {
            name: name.to_string(),
            code: None,
            parent_code: parent.map(|p| self.gaz.get(p).code.clone()),
            level: Level::Functional,
        }
    }

    fn section_place(&self, sentence: usize) -> Option<PlaceKey> {
        self.section_of_paragraph[self.sents[sentence].paragraph]
            .as_ref()
            .map(|(_, p)| p.clone())
    }

    fn section_id(&self, sentence: usize) -> Option<usize> {
        self.section_of_paragraph[self.sents[sentence].paragraph]
            .as_ref()
            .map(|(i, _)| *i)
    }

    fn person(&mut self, name: &str, official: bool) -> usize {
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

    fn count_in_body(&self, s: &str) -> usize {
        self.body_norm.matches(s).count()
    }

    /// Whether text at `pos` may follow a name: punctuation, end, or a follower word.
    fn follows_name(&self, sent: &Sent, pos: usize) -> bool {
        match sent.chars.get(pos) {
            None => true,
            Some(&c) if !is_cjk(c) => !c.is_ascii_alphanumeric(),
            Some(_) => {
                self.lex()
                    .name_followers
                    .iter()
                    .any(|w| sent.starts_with_at(pos, w))
                    || sent.any_starts_at(&self.ex.titles, pos)
                    || sent.any_starts_at(&self.ex.roles, pos)
            }
        }
    }

    /// The person's name starting at `pos`, if one is there: a surname and one or
    /// two more characters, followed by something that may follow a name.
    fn name_at(&self, sent: &Sent, pos: usize) -> Option<usize> {
        let c = &sent.chars;
        let surname_len =
            if pos + 1 < c.len() && self.lex().surnames.contains(&sent.slice(pos, pos + 2)) {
                2
            } else if pos < c.len() && self.lex().surnames.contains(&c[pos].to_string()) {
                1
            } else {
                return None;
            };
        let mut valid = Vec::new();
        for len in [surname_len + 1, surname_len + 2] {
            if pos + len > c.len() || !c[pos..pos + len].iter().all(|&ch| is_cjk(ch)) {
                continue;
            }
            let name = sent.slice(pos, pos + len);
            if self
                .lex()
                .genre
                .not_name
                .iter()
                .any(|w| name.contains(w.as_str()))
                || self.is_common_word(&name)
            {
                continue;
            }
            if self.follows_name(sent, pos + len) {
                valid.push(len);
            }
        }
        match valid.as_slice() {
            [] => None,
            [one] => Some(*one),
            [short, long, ..] => {
                // `刘敏等县委常委`: a list word after the shorter name ends it.
                if matches!(c.get(pos + short), Some('等' | '与' | '及')) {
                    return Some(*short);
                }
                // Both read as names: the longer one if it is always written whole.
                let s = self.count_in_body(&sent.slice(pos, pos + short));
                let l = self.count_in_body(&sent.slice(pos, pos + long));
                Some(if l >= s { *long } else { *short })
            }
        }
    }

    /// A name right after a post title whose surname the lexicon lacks (the Yi
    /// `阿苏木呷`, the Uyghur `买买提·艾力`): three to six characters, or a name
    /// joined by `·`, that may be followed by what follows a name, holds no
    /// title, role or event word, and is written so again elsewhere in the
    /// article (or is followed by punctuation, or has the `·`).
    fn unlisted_name_at(&self, sent: &Sent, pos: usize) -> Option<usize> {
        let c = &sent.chars;
        let run = c[pos.min(c.len())..]
            .iter()
            .take(12)
            .take_while(|&&ch| is_cjk(ch) || ch == '·')
            .count();
        (3..=run.min(10)).rev().find(|&len| {
            let name = sent.slice(pos, pos + len);
            let dotted = name.contains('·');
            if (!dotted && len > 6) || name.starts_with('·') || name.ends_with('·') {
                return false;
            }
            let holds_word = (pos..pos + len).any(|k| {
                sent.any_starts_at(&self.ex.titles, k)
                    || sent.any_starts_at(&self.ex.roles, k)
                    || sent.any_starts_at(&self.ex.triggers, k)
            });
            let punctuated = matches!(c.get(pos + len), None | Some(',' | '、' | '。' | ';'));
            !holds_word
                && self.follows_name(sent, pos + len)
                && !self.lex().genre.not_name.iter().any(|w| name.contains(w.as_str()))
                && !self.lex().genre.lead.iter().any(|w| name.starts_with(w.as_str()))
                && !self.is_common_word(&name)
                // `这周都在忙啥` reads as words with pronouns, adverbs and particles.
                && !self.ex.jieba.tag(&name, false).iter().any(|t| {
                    matches!(t.tag, "r" | "d" | "p" | "u" | "uj" | "ul" | "c")
                })
                && self.lex().org_class(&name).is_none()
                && !self.gaz.is_place_name(&name)
                && (dotted || punctuated || self.count_in_body(&name) >= 2)
        })
    }

    fn is_common_word(&self, word: &str) -> bool {
        is_common_word(&self.ex.jieba, word)
    }

    /// Where the last person's name before `pos` ends (0 if none): a name
    /// phrase to the right cannot reach back over it.
    fn end_of_last_name_before(&self, si: usize, pos: usize) -> usize {
        self.mentions[si]
            .iter()
            .filter(|m| m.end <= pos)
            .map(|m| m.end)
            .max()
            .unwrap_or(0)
    }

    /// Where the name phrase ending at `end` starts: back to a boundary or `floor`,
    /// keeping bracketed groups, then past leading clause words.
    fn phrase_start(&self, sent: &Sent, end: usize, floor: usize) -> usize {
        let c = &sent.chars;
        let mut k = end;
        let mut depth = 0;
        while k > floor {
            // A clause word counts only as a word of its own (not the 和 of 泰和).
            if depth == 0
                && sent.word_edge[k]
                && self
                    .lex()
                    .genre
                    .clause
                    .iter()
                    .any(|w| ends_with_at(c, k, w) && sent.word_edge[k - w.chars().count()])
            {
                break;
            }
            let ch = c[k - 1];
            if ch == ')' {
                depth += 1;
            } else if ch == '(' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if depth == 0 && BOUNDARY.contains(&ch) {
                break;
            }
            k -= 1;
        }
        let raw = sent.slice(k, end);
        let stripped = strip_lead_words(&self.lex().genre.lead, &raw);
        k + raw.chars().count() - stripped.chars().count()
    }

    /// Finds `[org/place] title、title NAME` and records the person, their posts
    /// and the mention.
    fn appositions(&mut self, si: usize) {
        let sent = &self.sents[si];
        let matches: Vec<(usize, usize, usize)> = self
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
            let p0 = self.phrase_start(sent, s0, floor);
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
                    if prefix.is_empty() && CONGRESS_BODIES.iter().any(|b| before.ends_with(b)) {
                        prefix = before.clone();
                    }
                }
                chain.push((prefix, matches[j + 1].2));
                j += 1;
            }
            // `副区长(挂职)甲`: a short note in brackets may stand before the name.
            let end = after_bracket_note(&sent.chars, matches[j].1);
            if let Some(len) = self
                .name_at(sent, end)
                .or_else(|| self.unlisted_name_at(sent, end))
            {
                // `副区长甲、乙`: the names listed after the first hold the same posts.
                let mut colleagues = Vec::new();
                let mut next = end + len;
                while sent.chars.get(next) == Some(&'、')
                    && !sent.any_starts_at(&self.ex.titles, next + 1)
                {
                    let Some(l) = self.name_at(sent, next + 1) else {
                        break;
                    };
                    // `、云浮市副市长乙` starts an apposition of its own.
                    let rest: String = sent.chars[next + 1..].iter().collect();
                    if sent.any_starts_at(&self.ex.titles, next + 1 + l)
                        || self.gaz.longest_prefix(&rest).is_some_and(|n| n >= l)
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
            } else if let Some((a, b)) = self.appointed_before(sent, p0) {
                // `甲受聘为某智库主任`: the name comes before the verb.
                found.push(Appositive {
                    phrase_start: a,
                    start: a,
                    end: b,
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
            let name = self.sents[si].slice(start, end);
            let mut prev: Option<Affiliation> = None;
            let mut facts = Vec::new();
            let mut official = false;
            let mut public_title = false;
            for (prefix, t) in chain {
                let title = self.lex().post_titles[t].clone();
                let (aff, mut title_text) = self.affiliation(si, &prefix, &title, prev.as_ref());
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
                    official |= self.is_office(&aff, &title.title, title.kind);
                    facts.push((aff.clone(), title_text, title.clone()));
                    prev = Some(aff);
                }
            }
            let p = self.person(&name, official);
            if !official && public_title {
                // A public title whose place the article never names still makes an official.
                self.leader_listed.insert(p);
                self.people[p].official = true;
            }
            self.mentions[si].push(Mention {
                person: p,
                start,
                end,
                phrase_start,
            });
            for (aff, title_text, title) in facts {
                if let Affiliation::Org(o) = &aff {
                    self.add_org(o, si);
                }
                self.memberships.push((
                    MembershipFact {
                        person: name.clone(),
                        title: title_text,
                        title_en: title.en.clone(),
                        kind: title.kind,
                        affiliation: aff,
                        dates: Vec::new(),
                        evidence: Span::one(si),
                    },
                    si,
                ));
            }
        }
    }

    /// Whether holding `title` in `aff` makes one an official: a public body, and
    /// not only a member or deputy (政协委员, 人大代表, 政协常委).
    fn is_office(&self, aff: &Affiliation, title: &str, kind: PostKind) -> bool {
        let public_body = match aff {
            Affiliation::Place(_) => true,
            Affiliation::Org(o) => {
                let class = self
                    .orgs
                    .iter()
                    .find(|x| &x.name == o)
                    .map(|x| x.class)
                    .or_else(|| self.lex().org_class(o));
                class == Some(OrgClass::Government) || o.contains("政协") || o.contains("人大")
            }
        };
        let member_only = title.ends_with("委员")
            || title.ends_with("代表")
            || (kind == PostKind::Cppcc && title.ends_with("常委"));
        public_body && !member_only && kind != PostKind::Company
    }

    /// A body with a government-like ending (`…局`) whose people hold company
    /// posts (财务总监, 董事长) is a company; officials are then decided again.
    fn reclassify_orgs(&mut self) {
        for i in 0..self.orgs.len() {
            if self.orgs[i].class != OrgClass::Government {
                continue;
            }
            let name = self.orgs[i].name.clone();
            let company = self.memberships.iter().any(|(m, _)| {
                m.kind == PostKind::Company && m.affiliation == Affiliation::Org(name.clone())
            });
            if company {
                self.orgs[i].class = OrgClass::Corporation;
            }
        }
        let listed: HashSet<usize> = self.leader_listed.clone();
        for p in 0..self.people.len() {
            let name = self.people[p].name.clone();
            let office = self
                .memberships
                .iter()
                .filter(|(m, _)| m.person == name)
                .any(|(m, _)| self.is_office(&m.affiliation, &m.title, m.kind));
            self.people[p].official = office || listed.contains(&p);
        }
    }

    /// `NAME受聘为|担任|出任|当选为 [org] title`: the known name before the verb
    /// that ends at `pos`, as char offsets.
    fn appointed_before(&self, sent: &Sent, pos: usize) -> Option<(usize, usize)> {
        let verb = ["受聘为", "被聘为", "当选为", "担任", "出任", "兼任"]
            .into_iter()
            .find(|v| ends_with_at(&sent.chars, pos, v))?;
        let end = pos - verb.chars().count();
        (2..=4).filter(|&n| n <= end).find_map(|n| {
            let name = sent.slice(end - n, end);
            self.person_index
                .contains_key(&name)
                .then_some((end - n, end))
        })
    }

    /// The default place for a title with no place before it: the section's place,
    /// else the place of the title's level that the article is about.
    fn default_place(&self, si: usize, level: Option<char>, kind: PostKind) -> Option<PlaceKey> {
        let section = self.section_place(si);
        let dom = |l: Level| self.gaz.dominant(&self.ctx, l).map(|id| self.place_key(id));
        match level {
            Some('省') => dom(Level::Province),
            Some('市') => {
                let county = section
                    .clone()
                    .filter(|p| p.level == Level::County)
                    .or_else(|| dom(Level::County));
                match county {
                    Some(c) if c.name.ends_with('市') => Some(c),
                    _ => dom(Level::Prefecture),
                }
            }
            Some('州') => dom(Level::Prefecture),
            Some('镇') | Some('乡') => dom(Level::Town),
            Some(_) => section.or_else(|| dom(Level::County)),
            None if kind.is_public() => section.or_else(|| dom(Level::County)),
            None => None,
        }
    }

    /// Interprets the text before a title: a place, a body of a place, or an organisation.
    fn affiliation(
        &self,
        si: usize,
        prefix: &str,
        title: &PostTitle,
        prev: Option<&Affiliation>,
    ) -> (Option<Affiliation>, String) {
        let p = prefix.trim();
        let genre = &self.lex().genre;
        let p = if listed(&genre.lead, p) || listed(&genre.clause, p) {
            ""
        } else {
            p
        };
        let title_text = title.title.clone();
        if p.is_empty() {
            let inherited = prev.cloned();
            if title.kind == PostKind::Company || title.kind == PostKind::Other {
                if let Some(Affiliation::Org(_)) = inherited {
                    return (inherited, title_text);
                }
                if title.kind == PostKind::Company {
                    return (self.last_company_affiliation(si), title_text);
                }
            }
            if let Some(aff) = inherited {
                let same_level = match (&aff, title.level) {
                    (_, None) => true,
                    (Affiliation::Place(p), Some(l)) => {
                        p.name.ends_with(l) || p.level == Level::Functional
                    }
                    (Affiliation::Org(_), Some(_)) => false,
                };
                if same_level {
                    return (Some(aff), title_text);
                }
            }
            if title.title.starts_with("全国政协") {
                return (Some(Affiliation::Org("全国政协".into())), title_text);
            }
            if title.title.starts_with("全国人大") {
                return (Some(Affiliation::Org("全国人大".into())), title_text);
            }
            return (
                self.default_place(si, title.level, title.kind)
                    .map(Affiliation::Place),
                title_text,
            );
        }
        // `沙头` + `街道党工委书记`: the subdistrict is the prefix and 街道.
        if let Some(rest) = title_text.strip_prefix("街道") {
            let name = format!("{p}街道");
            let place = self
                .gaz
                .resolve_at(&name, &self.ctx, &[Level::Town])
                .map(|id| self.place_key(id))
                .unwrap_or_else(|| self.functional_place(&name));
            return (Some(Affiliation::Place(place)), rest.to_string());
        }
        // `…街道党工委副书记、办事处主任`: a body of the place just named.
        if let Some(Affiliation::Place(place)) = prev {
            if ["办事处", "街道办事处", "人民政府", "政府", "管委会"].contains(&p)
            {
                return (
                    Some(Affiliation::Place(place.clone())),
                    format!("{p}{title_text}"),
                );
            }
        }
        // `区人大常委会` + `主任`: the congress or CPPCC of a place; the post is
        // the body's (`人大常委会主任`), held in the place.
        if let Some(body) = CONGRESS_BODIES.iter().find(|b| p.ends_with(*b)) {
            let place_part = &p[..p.len() - body.len()];
            let level = place_part
                .chars()
                .next()
                .filter(|c| "省市县区州".contains(*c));
            let place =
                if place_part.is_empty() || (level.is_some() && place_part.chars().count() == 1) {
                    self.default_place(si, level, PostKind::Government)
                } else {
                    self.gaz
                        .resolve(place_part, &self.ctx)
                        .map(|id| self.place_key(id))
                };
            if let Some(place) = place {
                return (
                    Some(Affiliation::Place(place)),
                    format!("{body}{title_text}"),
                );
            }
        }
        if listed(&self.lex().genre.level, p) {
            let level = p
                .chars()
                .next()
                .filter(|c| "省市县区镇乡州".contains(*c))
                .or(title.level);
            let level = if p == "新区" { None } else { level };
            return (
                self.default_place(si, level, PostKind::Government)
                    .map(Affiliation::Place),
                title_text,
            );
        }
        // `大鹏` + `新区党工委书记`: the functional area is the prefix and 新区.
        if let Some(area) = FUNCTIONAL_SUFFIXES
            .iter()
            .find(|f| title.title.starts_with(*f))
        {
            let name = format!("{p}{area}");
            return (
                Some(Affiliation::Place(self.functional_place(&name))),
                title_text,
            );
        }
        if p == "全国" {
            let body = if title.title.contains("人大") {
                "全国人大"
            } else {
                "全国政协"
            };
            return (Some(Affiliation::Org(body.into())), title_text);
        }
        // A run of place names, maybe with a body word after it.
        let chars: Vec<char> = p.chars().collect();
        let mut pos = 0;
        let mut last: Option<(usize, usize)> = None;
        while pos < chars.len() {
            let rest: String = chars[pos..].iter().collect();
            match self.gaz.longest_prefix(&rest) {
                Some(n) => {
                    last = Some((pos, pos + n));
                    pos += n;
                }
                None => break,
            }
        }
        let rest: String = chars[pos..].iter().collect();
        if let Some((a, b)) = last {
            if rest.is_empty() || listed(&self.lex().genre.body, &rest) {
                let name: String = chars[a..b].iter().collect();
                let levels: &[Level] = match title.level {
                    Some('省') => &[Level::Province],
                    Some('市') => &[Level::Prefecture, Level::County],
                    Some('州') => &[Level::Prefecture],
                    Some('县') | Some('区') => &[Level::County],
                    Some('镇') | Some('乡') => &[Level::Town],
                    _ => &[Level::County, Level::Prefecture, Level::Province],
                };
                let id = self
                    .gaz
                    .resolve_at(&name, &self.ctx, levels)
                    .or_else(|| self.gaz.resolve(&name, &self.ctx));
                if let Some(id) = id {
                    return (Some(Affiliation::Place(self.place_key(id))), title_text);
                }
            } else if !rest.is_empty()
                && rest.chars().count() <= 6
                && title.kind != PostKind::Company
                && self.lex().org_class(&rest).is_none()
                && !FUNCTIONAL_SUFFIXES.iter().any(|s| rest.ends_with(s))
            {
                // `龙华区重点片区领衔总规划师`: the place, and a title qualified by the rest.
                let name: String = chars[a..b].iter().collect();
                if let Some(id) = self.gaz.resolve(&name, &self.ctx) {
                    return (
                        Some(Affiliation::Place(self.place_key(id))),
                        format!("{rest}{title_text}"),
                    );
                }
            }
        }
        if FUNCTIONAL_SUFFIXES.iter().any(|s| p.ends_with(s)) {
            return (
                Some(Affiliation::Place(self.functional_place(p))),
                title_text,
            );
        }
        // An organisation: up to its last known ending; what follows qualifies the title.
        let mut org_end = chars.len();
        let mut best = None;
        for k in (2..=chars.len()).rev() {
            let head: String = chars[..k].iter().collect();
            if self.lex().org_class(&head).is_some() && self.org_suffix_len(&head) < k {
                best = Some(k);
                break;
            }
        }
        let mut title_text = title_text;
        if let Some(k) = best {
            // `…有限公司(以下简称“某某”)党委常委`: a bracket after the name
            // declares or glosses it; it does not qualify the title.
            let qualifier = without_brackets(&chars[k..]);
            if qualifier.chars().count() == 1 {
                // `学习中心组` + `组长`: one character is the end of the name.
                org_end = chars.len();
            } else {
                if !qualifier.is_empty() {
                    title_text = format!("{qualifier}{title_text}");
                }
                org_end = k;
            }
        }
        let org: String = chars[..org_end].iter().collect();
        if org.chars().count() < 2 || listed(&self.lex().genre.generic, &org) {
            return (None, title_text);
        }
        (Some(Affiliation::Org(org)), title_text)
    }

    /// What is left of a name once every organisation ending is taken off
    /// (`科技有限公司` leaves nothing: it names no one).
    fn stem_without_endings<'n>(&self, name: &'n str) -> &'n str {
        let mut stem = name;
        while let Some((s, _)) = self
            .lex()
            .org_suffixes
            .iter()
            .find(|(s, _)| !stem.is_empty() && stem.ends_with(s.as_str()))
        {
            stem = &stem[..stem.len() - s.len()];
        }
        stem
    }

    fn org_suffix_len(&self, name: &str) -> usize {
        self.lex()
            .org_suffixes
            .iter()
            .find(|(s, _)| name.ends_with(s.as_str()))
            .map(|(s, _)| s.chars().count())
            .unwrap_or(0)
    }

    /// The organisation of the last company post named earlier in the sentence.
    fn last_company_affiliation(&self, si: usize) -> Option<Affiliation> {
        self.memberships
            .iter()
            .rev()
            .take_while(|(_, s)| *s == si)
            .find(|(m, _)| matches!(m.affiliation, Affiliation::Org(_)))
            .map(|(m, _)| m.affiliation.clone())
    }

    /// `市领导张三、李四、王五等参加`: names listed after 领导.
    fn leader_lists(&mut self, si: usize) {
        let mut found = Vec::new();
        {
            let sent = &self.sents[si];
            let mut from = 0;
            while let Some(rel) = sent.chars[from..]
                .windows(2)
                .position(|w| w == ['领', '导'])
            {
                let mut pos = from + rel + 2;
                from = pos;
                while let Some(len) = self.name_at(sent, pos) {
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
            if self.mentions[si].iter().any(|m| m.start <= a && a < m.end) {
                continue;
            }
            let name = self.sents[si].slice(a, b);
            let p = self.person(&name, true);
            self.leader_listed.insert(p);
            self.mentions[si].push(Mention {
                person: p,
                start: a,
                end: b,
                phrase_start: a,
            });
        }
    }

    /// Names already known in the article, wherever they recur, and 甘书记-style
    /// references by surname and title.
    fn bare_names(&mut self) {
        if self.people.is_empty() {
            return;
        }
        let mut patterns: Vec<String> = self.people.iter().map(|p| p.name.clone()).collect();
        let mut targets: Vec<usize> = (0..self.people.len()).collect();
        // Surname + 书记/区长… for people who hold such a post, when unambiguous.
        let mut refs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (m, _) in &self.memberships {
            let surname: String = m.person.chars().next().into_iter().collect();
            for short in ["书记", "区长", "市长", "县长", "主任", "董事长", "总经理"]
            {
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
        for si in 0..self.sents.len() {
            let sent = &self.sents[si];
            let mut add = Vec::new();
            for m in ac.find_iter(&sent.norm) {
                let (a, b) = (sent.b2c[m.start()], sent.b2c[m.end()]);
                if self.mentions[si].iter().any(|x| x.start < b && a < x.end) {
                    continue;
                }
                // A known name inside a longer name is not that person.
                if b < sent.chars.len() && is_cjk(sent.chars[b]) && !self.follows_name(sent, b) {
                    continue;
                }
                add.push(Mention {
                    person: targets[m.pattern().as_usize()],
                    start: a,
                    end: b,
                    phrase_start: a,
                });
            }
            self.mentions[si].extend(add);
            self.mentions[si].sort_by_key(|m| m.start);
        }
    }

    fn add_org(&mut self, name: &str, si: usize) -> usize {
        if let Some(i) = self
            .orgs
            .iter()
            .position(|o| o.name == name || o.aliases.iter().any(|a| a == name))
        {
            return i;
        }
        let class = self.lex().org_class(name).unwrap_or(OrgClass::Corporation);
        // A body of a party committee or government (`县委理论学习中心组`) is
        // public whatever its ending.
        let public_head = [
            "省委",
            "市委",
            "县委",
            "区委",
            "州委",
            "党委",
            "省政府",
            "市政府",
            "县政府",
            "区政府",
        ]
        .iter()
        .any(|h| name.starts_with(h));
        let class = if name.contains("政协")
            || name.contains("人大")
            || name.ends_with("管委会")
            || public_head
        {
            OrgClass::Government
        } else {
            class
        };
        self.orgs.push(OrgFact {
            name: name.to_string(),
            class,
            aliases: vec![],
            parent: None,
            place: None,
            evidence: Span::one(si),
        });
        self.orgs.len() - 1
    }

    /// The start of the noun phrase that ends at `end`, scanning left from
    /// `suffix_start` over jieba's words until a stop word or a non-name word.
    fn noun_phrase_start(&self, si: usize, suffix_start: usize, floor: usize) -> usize {
        let sent = &self.sents[si];
        let head = sent.slice(floor, suffix_start);
        if head.is_empty() {
            return suffix_start;
        }
        let tags = self.ex.jieba.tag(&head, true);
        let mut words: Vec<(usize, usize, String, String)> = Vec::new();
        let mut pos = floor;
        for t in tags {
            let len = t.word.chars().count();
            words.push((pos, pos + len, t.word.to_string(), t.tag.to_string()));
            pos += len;
        }
        let mut start = suffix_start;
        let mut depth: i32 = 0;
        let mut i = words.len();
        let ok_word = |w: &(usize, usize, String, String)| {
            !w.2.chars()
                .any(|c| BOUNDARY.contains(&c) || c == '(' || c == ')')
                && !listed(&self.lex().genre.stop, &w.2)
                && nominal_tag(&w.3)
        };
        while i > 0 {
            i -= 1;
            let (a, _, word, tag) = &words[i];
            let opens = word.matches('(').count() as i32;
            let closes = word.matches(')').count() as i32;
            // Inside brackets everything belongs to the name: `…(中国)有限公司`.
            if closes > 0 || depth > 0 {
                depth += closes - opens;
                if depth < 0 {
                    break;
                }
                start = *a;
                continue;
            }
            if opens > 0
                || word.chars().any(|c| BOUNDARY.contains(&c))
                || listed(&self.lex().genre.stop, word)
            {
                break;
            }
            if self.mentions[si]
                .iter()
                .any(|m| m.start < *a + word.chars().count() && *a < m.end)
            {
                break;
            }
            // A verb, or a time word, belongs to a name only inside it
            // (`浦东|发展|银行`, `深港|现代|服务业合作区`).
            let inner_verb = (tag.starts_with('v') || tag == "t")
                && i > 0
                && start < suffix_start
                && ok_word(&words[i - 1]);
            if !nominal_tag(tag) && !inner_verb {
                break;
            }
            start = *a;
        }
        // A name does not start with a clause word jieba glued to it.
        let raw = sent.slice(start, suffix_start);
        let stripped = strip_lead_words(&self.lex().genre.lead, &raw);
        start + raw.chars().count() - stripped.chars().count()
    }

    /// Names of companies usually begin with their city (`九江…有限公司`): when
    /// a place name stands shortly before `start`, with no clause word or
    /// punctuation between, the name begins there. Guards against a brand that
    /// jieba reads as a verb.
    fn back_to_place_name(&self, si: usize, start: usize, floor: usize) -> usize {
        let sent = &self.sents[si];
        let from = start.saturating_sub(8).max(floor);
        for p in from..start {
            let between = sent.slice(p, start);
            if between
                .chars()
                .any(|c| BOUNDARY.contains(&c) || c == '(' || c == ')')
            {
                continue;
            }
            let Some(n) = self.gaz.longest_prefix(&between) else {
                continue;
            };
            let place: String = between.chars().take(n).collect();
            let levels = [Level::Province, Level::Prefecture, Level::County];
            if self.gaz.resolve_at(&place, &self.ctx, &levels).is_none() {
                continue;
            }
            // Only if no clause word stands in between (`到|九江`, not `与九江…`).
            let clause = (p + n..start).any(|k| {
                let genre = &self.lex().genre;
                genre.stop.iter().chain(&genre.clause).any(|w| {
                    let len = w.chars().count();
                    sent.starts_with_at(k, w)
                        && sent.word_edge[k]
                        && sent.word_edge.get(k + len) == Some(&true)
                })
            });
            if !clause && sent.word_edge[p] {
                return p;
            }
        }
        start
    }

    /// Organisations named in running text by their endings (`…有限公司`, `…银行`),
    /// with `(简称“…”)` aliases, `A旗下…B` parents and `A、B等企业` lists.
    fn org_mentions_in(&mut self, si: usize) {
        let sent_len = self.sents[si].chars.len();
        let mut cands: Vec<(usize, usize)> = Vec::new();
        {
            let sent = &self.sents[si];
            for m in self.ex.org_suffixes.find_overlapping_iter(&sent.norm) {
                let (a, b) = (sent.b2c[m.start()], sent.b2c[m.end()]);
                let suffix: String = sent.slice(a, b);
                if suffix.chars().count() < 2 {
                    continue;
                }
                // The ending must end a word: not 公司治理, 集团化.
                if let Some(&next) = sent.chars.get(b) {
                    if is_cjk(next) && !self.org_may_end_before(sent, b) {
                        continue;
                    }
                }
                cands.push((a, b));
            }
        }
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (a, b) in cands {
            let floor = self.end_of_last_name_before(si, a);
            let start = self.noun_phrase_start(si, a, floor);
            if start == a {
                continue;
            }
            let start = self.back_to_place_name(si, start, floor);
            let name = self.sents[si].slice(start, b);
            let legal = ["公司", "集团", "股份", "银行"]
                .iter()
                .any(|l| name.contains(l));
            if name.chars().count() < 4
                || self.stem_without_endings(&name).chars().count() < 2
                || (!legal
                    && self
                        .lex()
                        .genre
                        .generic
                        .iter()
                        .any(|g| name.contains(g.as_str())))
                || self
                    .lex()
                    .genre
                    .generic
                    .iter()
                    .any(|g| name.starts_with(g.as_str()))
            {
                continue;
            }
            spans.push((start, b));
        }
        // Keep the longest of overlapping spans.
        spans.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for (a, b) in spans {
            if let Some(last) = kept.last_mut() {
                if a < last.1 {
                    if b > last.1 {
                        *last = (last.0, b);
                    }
                    continue;
                }
            }
            kept.push((a, b));
        }
        // `A、B等(重点)企业`: listed names are organisations even without an ending.
        {
            let sent = &self.sents[si];
            let text = &sent.norm;
            for marker in [
                "等重点企业",
                "等企业",
                "等公司",
                "等单位",
                "等企业、项目",
                "等重点项目企业",
            ] {
                let mut search = 0;
                while let Some(bpos) = text[search..].find(marker) {
                    let end = sent.b2c[search + bpos];
                    search += bpos + marker.len();
                    let start = self.phrase_list_start(si, end);
                    let list = sent.slice(start, end);
                    let mut pos = start;
                    for item in list.split('、') {
                        let n = item.chars().count();
                        let item_start = pos;
                        pos += n + 1;
                        let cleaned = strip_lead_words(&self.lex().genre.lead, item);
                        if (2..=20).contains(&cleaned.chars().count())
                            && !kept
                                .iter()
                                .any(|&(a, b)| a < item_start + n && item_start < b)
                        {
                            let off = n - cleaned.chars().count();
                            kept.push((item_start + off, item_start + n));
                        }
                    }
                }
            }
        }
        kept.sort();
        for (a, b) in kept {
            if b > sent_len {
                continue;
            }
            let name = self.sents[si].slice(a, b);
            let oi = self.add_org(&name, si);
            self.org_mentions[si].push((a, b, oi));
            // (简称“X”) / (以下简称X)
            let after = self.sents[si].slice(b, (b + 20).min(sent_len));
            if let Some(rest) = after.strip_prefix('(') {
                let rest = rest.trim_start_matches("以下");
                if let Some(rest) = rest.strip_prefix("简称") {
                    let alias: String = rest
                        .trim_start_matches([':', '“', '"'])
                        .chars()
                        .take_while(|c| !['”', '"', ')'].contains(c))
                        .collect();
                    if alias.chars().count() >= 2 && !self.orgs[oi].aliases.contains(&alias) {
                        self.orgs[oi].aliases.push(alias);
                    }
                }
            }
        }
        // `A旗下…的B`: B belongs to A.
        let sent = &self.sents[si];
        if let Some(bpos) = sent.norm.find("旗下") {
            let at = sent.b2c[bpos];
            let start = self.phrase_start(sent, at, 0);
            let parent = sent.slice(start, at);
            let child = self.org_mentions[si]
                .iter()
                .find(|(a, _, _)| *a > at)
                .map(|x| x.2);
            if parent.chars().count() >= 2 {
                if let Some(child) = child {
                    let pi = self.add_org(&parent, si);
                    self.org_mentions[si].push((start, at, pi));
                    self.org_mentions[si].sort();
                    let pname = self.orgs[pi].name.clone();
                    self.orgs[child].parent = Some(pname);
                }
            }
        }
    }

    /// Whether an organisation name may end at `pos` though a CJK char follows.
    fn org_may_end_before(&self, sent: &Sent, pos: usize) -> bool {
        const AFTER: &[&str] = &[
            "与",
            "和",
            "同",
            "及",
            "等",
            "党委",
            "董事",
            "总经理",
            "总裁",
            "副总",
            "负责人",
            "签署",
            "签订",
            "签约",
            "达成",
            "举行",
            "旗下",
            "合作",
            "战略",
            "在",
            "的",
            "为",
            "将",
            "是",
            "走访",
            "调研",
            "考察",
            "参观",
            "进行",
            "开展",
            "共同",
            "有关",
            "相关",
            "一行",
            "代表",
            "成立",
            "主办",
            "承办",
            "主任",
            "主席",
            "会长",
            "副会长",
            "理事长",
            "院长",
            "行长",
            "执行",
            "首席",
            "创始人",
            "联合",
            "宣传片",
            "交流",
            "座谈",
            "对",
            "向",
            "也",
            "还",
            "已",
            "于",
            "作",
            "投资",
            "框架",
            "协议",
            "项目",
            "发展",
            "正式",
            "生产",
            "分别",
            "先后",
            "携手",
            "均",
            "作为",
        ];
        // `…公司全球副总裁`: a short qualifier, then a title.
        AFTER.iter().any(|w| sent.starts_with_at(pos, w))
            || (pos..(pos + 5).min(sent.chars.len()))
                .take_while(|&k| k == pos || is_cjk(sent.chars[k - 1]))
                .any(|k| sent.any_starts_at(&self.ex.titles, k))
    }

    fn phrase_list_start(&self, si: usize, end: usize) -> usize {
        let sent = &self.sents[si];
        let mut k = end;
        while k > 0 {
            let ch = sent.chars[k - 1];
            if ch != '、' && BOUNDARY.contains(&ch) {
                break;
            }
            k -= 1;
        }
        let raw = sent.slice(k, end);
        // Drop a leading verb phrase: `到星河科技…` → `星河科技…`.
        let first_item = raw.split('、').next().unwrap_or("");
        let stripped = strip_lead_words(&self.lex().genre.lead, first_item);
        let mut start = k + first_item.chars().count() - stripped.chars().count();
        for marker in [
            "调研了",
            "调研",
            "走访了",
            "走访",
            "考察了",
            "考察",
            "参观了",
            "参观",
            "到",
            "深入",
            "了",
        ] {
            let s = sent.slice(start, end);
            if let Some(i) = s.find(marker) {
                let ci = s[..i].chars().count() + marker.chars().count();
                if ci < s.chars().count() && s[..i].chars().count() <= 12 && !s[..i].contains('、')
                {
                    start += ci;
                    break;
                }
            }
        }
        start
    }

    /// Whether `short` names the same organisation as `long`: `long` is `short`
    /// with only legal words after it (`星河` → `星河股份有限公司`), with a place
    /// before it (`星河科技` → `深圳市星河科技有限公司`, `远航数码` →
    /// `杭州远航数码技术股份有限公司`), or ends with it once legal words are
    /// dropped (`投资公司` → `某某投资有限公司`). `某局` is not `某局投资有限公司`.
    fn is_short_name_of(&self, short: &str, long: &str, core: &dyn Fn(&str) -> String) -> bool {
        let legal_only = |rest: &str| {
            let r = core(rest);
            let r = r.trim_start_matches("(中国)").trim_start_matches("(集团)");
            r.is_empty() || r == "公司" || r == "集团" || r == "集团公司"
        };
        if let Some(rest) = long.strip_prefix(short) {
            return legal_only(rest);
        }
        if let Some(at) = long.find(short) {
            let before = &long[..at];
            if self
                .gaz
                .longest_prefix(before)
                .is_some_and(|n| n == before.chars().count())
                || self
                    .gaz
                    .is_place_name(before.trim_end_matches(['市', '省']))
            {
                return true;
            }
        }
        short.chars().count() >= 4
            && core(long).ends_with(&core(short))
            && core(short).chars().count() >= 4
    }

    /// The organisation whose fuller name `orgs[i]` is a short form of, if any:
    /// the fullest such name, the first named on ties.
    fn fuller_name(&self, i: usize, core: &dyn Fn(&str) -> String) -> Option<usize> {
        let short = &self.orgs[i].name;
        if self.orgs[i].class == OrgClass::Government {
            return None;
        }
        let candidates: Vec<usize> = (0..self.orgs.len())
            .filter(|&j| {
                let long = &self.orgs[j].name;
                j != i
                    && long.chars().count() > short.chars().count()
                    && self.orgs[j].class != OrgClass::Government
                    && self.orgs[j].parent.as_deref() != Some(short.as_str())
                    && self.is_short_name_of(short, long, core)
            })
            .collect();
        candidates
            .iter()
            .copied()
            .filter(|&j| {
                !candidates
                    .iter()
                    .any(|&k| k != j && self.orgs[k].name.contains(&self.orgs[j].name))
            })
            .min_by_key(|&j| self.orgs[j].evidence.first)
    }

    /// A short name that is part of a fuller name in the same article is an alias
    /// of it (`星河科技` of `星河科技股份有限公司`, `远航` of `远航股份有限公司`).
    fn merge_aliases(&mut self) {
        let n = self.orgs.len();
        let core = |s: &str| -> String {
            let mut s = s.to_string();
            for w in ["股份有限公司", "有限责任公司", "有限公司"] {
                s = s.replace(w, "公司");
            }
            s
        };
        let target: Vec<Option<usize>> = (0..n).map(|i| self.fuller_name(i, &core)).collect();
        // Follow chains to the end.
        let resolve = |mut i: usize| {
            let mut steps = 0;
            while let Some(j) = target[i] {
                i = j;
                steps += 1;
                if steps > n {
                    break;
                }
            }
            i
        };
        let mut remap: Vec<usize> = (0..n).map(resolve).collect();
        for (i, &j) in remap.iter().enumerate() {
            if j != i {
                let alias = self.orgs[i].name.clone();
                let aliases = std::mem::take(&mut self.orgs[i].aliases);
                let parent_of_alias = self.orgs[i].parent.clone();
                let o = &mut self.orgs[j];
                if !o.aliases.contains(&alias) {
                    o.aliases.push(alias);
                }
                for a in aliases {
                    if !o.aliases.contains(&a) {
                        o.aliases.push(a);
                    }
                }
                if o.parent.is_none() {
                    o.parent = parent_of_alias;
                }
            }
        }
        // Re-point parents and mentions; drop merged orgs.
        let names: Vec<String> = self.orgs.iter().map(|o| o.name.clone()).collect();
        for o in &mut self.orgs {
            if let Some(p) = &o.parent {
                if let Some(k) = names.iter().position(|x| x == p) {
                    o.parent = Some(names[remap[k]].clone());
                }
            }
        }
        let keep: Vec<bool> = remap.iter().enumerate().map(|(i, &r)| r == i).collect();
        let new_index: Vec<usize> = keep
            .iter()
            .scan(0, |next, &kept| {
                let index = *next;
                *next += usize::from(kept);
                Some(index)
            })
            .collect();
        for r in remap.iter_mut() {
            *r = new_index[*r];
        }
        let mut idx = 0;
        self.orgs.retain(|_| {
            let k = keep[idx];
            idx += 1;
            k
        });
        for ms in &mut self.org_mentions {
            for m in ms.iter_mut() {
                m.2 = remap[m.2];
            }
        }
        for (m, _) in &mut self.memberships {
            if let Affiliation::Org(o) = &m.affiliation {
                if let Some(i) = names.iter().position(|x| x == o) {
                    m.affiliation = Affiliation::Org(self.orgs[remap[i]].name.clone());
                }
            }
        }
    }
}

/// The congress and CPPCC of a place, as they stand before a title
/// (`区人大常委会党组书记`, `市政协主席`).
const CONGRESS_BODIES: &[&str] = &["人大常委会", "人大", "政协"];

/// A name ending in a bare 中心 (not 研究中心, 科创中心 …): a venue as often as an organisation.
fn is_venue(name: &str) -> bool {
    name.ends_with("中心")
        && ![
            "研究中心",
            "研发中心",
            "科创中心",
            "创新中心",
            "技术中心",
            "检测中心",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

/// `chars` without its bracketed groups (`(以下简称“某某”)`), nested or not.
fn without_brackets(chars: &[char]) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for &c in chars {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether jieba knows `word` as one ordinary word (a verb, adverb …), not a name.
fn is_common_word(jieba: &Jieba, word: &str) -> bool {
    let tags = jieba.tag(word, false);
    tags.len() == 1
        && matches!(
            tags[0].tag,
            "v" | "vd"
                | "vn"
                | "d"
                | "a"
                | "ad"
                | "an"
                | "c"
                | "p"
                | "u"
                | "uj"
                | "ul"
                | "r"
                | "q"
                | "m"
                | "t"
                | "f"
                | "l"
                | "i"
                | "z"
        )
}

/// Where the text goes on after a short bracketed note at `pos` (`(挂职)`,
/// `(兼)`), or `pos` when none is there.
fn after_bracket_note(chars: &[char], pos: usize) -> usize {
    if chars.get(pos) != Some(&'(') {
        return pos;
    }
    chars[pos + 1..]
        .iter()
        .take(7)
        .position(|&c| c == ')')
        .map_or(pos, |k| pos + k + 2)
}
