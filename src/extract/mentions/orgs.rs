//! Organisations: names by their endings (`…有限公司`, `…银行`), lists
//! (`A、B等企业`), 简称 declarations, `A旗下…B` parents, and short names
//! merged into the fuller name they stand for.

use super::*;
use crate::extract::context::Sent;

impl Mentions {
    pub(crate) fn add_org(&mut self, cx: &ArticleContext, name: &str, si: usize) -> usize {
        if let Some(i) = self
            .orgs
            .iter()
            .position(|o| o.name == name || o.aliases.iter().any(|a| a == name))
        {
            return i;
        }
        let class = cx.lex().org_class(name).unwrap_or(OrgClass::Corporation);
        let class = if cx.is_public_body(name) {
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
            generic: false,
            evidence: Span::one(si),
        });
        self.orgs.len() - 1
    }

    /// Organisations named in running text by their endings (`…有限公司`, `…银行`),
    /// with `(简称“…”)` aliases, `A旗下…B` parents and `A、B等企业` lists.
    pub(crate) fn org_mentions_in(&mut self, cx: &ArticleContext, si: usize) {
        let sent_len = cx.sents[si].chars.len();
        let mut cands: Vec<(usize, usize)> = Vec::new();
        {
            let sent = &cx.sents[si];
            for m in cx.ex.org_suffixes.find_overlapping_iter(&sent.norm) {
                let (a, b) = (sent.b2c[m.start()], sent.b2c[m.end()]);
                let suffix: String = sent.slice(a, b);
                if suffix.chars().count() < 2 {
                    continue;
                }
                // The ending must end a word: not 公司治理, 集团化.
                if let Some(&next) = sent.chars.get(b) {
                    if is_cjk(next) && !cx.org_may_end_before(sent, b) {
                        continue;
                    }
                }
                cands.push((a, b));
            }
        }
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (a, b) in cands {
            let floor = self.end_of_last_name_before(si, a);
            let start = cx.noun_phrase_start(si, a, floor, &self.person_mentions[si]);
            if start == a {
                continue;
            }
            let start = cx.back_to_place_name(si, start, floor);
            let name = cx.sents[si].slice(start, b);
            let legal = ["公司", "集团", "股份", "银行"]
                .iter()
                .any(|l| name.contains(l));
            if name.chars().count() < 4
                || cx.stem_without_endings(&name).chars().count() < 2
                || (!legal
                    && cx
                        .lex()
                        .genre
                        .generic
                        .iter()
                        .any(|g| name.contains(g.as_str())))
                || cx
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
            let sent = &cx.sents[si];
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
                    let start = cx.phrase_list_start(si, end);
                    let list = sent.slice(start, end);
                    let mut pos = start;
                    for item in list.split('、') {
                        let n = item.chars().count();
                        let item_start = pos;
                        pos += n + 1;
                        let cleaned = strip_lead_words(&cx.lex().genre.lead, item);
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
            let name = cx.sents[si].slice(a, b);
            let oi = self.add_org(cx, &name, si);
            self.org_mentions[si].push(OrgMention {
                start: a,
                end: b,
                org: oi,
            });
            // (简称“X”) / (以下简称X)
            let after = cx.sents[si].slice(b, (b + 20).min(sent_len));
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
        let sent = &cx.sents[si];
        if let Some(bpos) = sent.norm.find("旗下") {
            let at = sent.b2c[bpos];
            let start = cx.phrase_start(sent, at, 0);
            let parent = sent.slice(start, at);
            let child = self.org_mentions[si]
                .iter()
                .find(|m| m.start > at)
                .map(|m| m.org);
            if parent.chars().count() >= 2 {
                if let Some(child) = child {
                    let pi = self.add_org(cx, &parent, si);
                    self.org_mentions[si].push(OrgMention {
                        start,
                        end: at,
                        org: pi,
                    });
                    self.org_mentions[si].sort();
                    let pname = self.orgs[pi].name.clone();
                    self.orgs[child].parent = Some(pname);
                }
            }
        }
    }

    /// The organisation whose fuller name `orgs[i]` is a short form of, if any:
    /// the fullest such name, the first named on ties.
    pub(crate) fn fuller_name(
        &self,
        cx: &ArticleContext,
        i: usize,
        core: &dyn Fn(&str) -> String,
    ) -> Option<usize> {
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
                    && cx.is_short_name_of(short, long, core)
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
    pub(crate) fn merge_aliases(&mut self, cx: &ArticleContext) {
        let n = self.orgs.len();
        let core = |s: &str| -> String {
            let mut s = s.to_string();
            for w in ["股份有限公司", "有限责任公司", "有限公司"] {
                s = s.replace(w, "公司");
            }
            s
        };
        let target: Vec<Option<usize>> = (0..n).map(|i| self.fuller_name(cx, i, &core)).collect();
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
                m.org = remap[m.org];
            }
        }
        for PostMention { fact: m, .. } in &mut self.posts {
            if let Affiliation::Org(o) = &m.affiliation {
                if let Some(i) = names.iter().position(|x| x == o) {
                    m.affiliation = Affiliation::Org(self.orgs[remap[i]].name.clone());
                }
            }
        }
    }
}

/// A name ending in a bare 中心 (not 研究中心, 科创中心 …): a venue as often as an organisation.
pub(crate) fn is_venue(name: &str) -> bool {
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

impl Mentions {
    /// Companies named without a legal ending where the text shows them to be
    /// companies: the items of a list after a visit word (`先后走访了青禾纸业、
    /// 远帆鞋业、华岭棉业公司`, `考察了启明机器人和中科芯源`), and the place a
    /// sentence opens in (`在宏瑞制药，…`). A list counts when one of its items
    /// is a known organisation or names an industry (纸业, 制药, 机器人 …); a
    /// lone item only when it names an industry.
    pub(crate) fn listed_orgs_in(&mut self, cx: &ArticleContext, si: usize) {
        let sent = &cx.sents[si];
        let genre = &cx.lex().genre;
        let mut lists: Vec<Vec<(usize, usize)>> = Vec::new();
        // A visit word of two characters or more ends a list (`到A调研`).
        let visit_word_at = |k: usize| {
            self.word_edge(sent, si, k)
                && genre
                    .visit
                    .iter()
                    .any(|w| w.chars().count() >= 2 && sent.starts_with_at(k, w))
        };
        // `在X，`, `在X调研时，`
        let opening = cx.same_day_opening(si);
        if sent.starts_with_at(opening, "在") {
            if let Some(comma) =
                (opening + 1..sent.chars.len().min(opening + 16)).find(|&k| sent.chars[k] == ',')
            {
                let end = (opening + 3..comma)
                    .find(|&k| visit_word_at(k))
                    .unwrap_or(comma);
                lists.push(vec![(opening + 1, end)]);
            }
        }
        let mut k = 0;
        while k < sent.chars.len() {
            let Some(verb) = genre
                .visit
                .iter()
                .find(|w| sent.starts_with_at(k, w) && self.word_edge(sent, si, k))
            else {
                k += 1;
                continue;
            };
            let mut start = k + verb.chars().count();
            // Glue words before the first item (`先后`, `了`).
            while let Some(w) = genre
                .list_glue
                .iter()
                .find(|w| !w.starts_with(['、', ',']) && sent.starts_with_at(start, w))
            {
                start += w.chars().count();
            }
            let mut end = start;
            while end < sent.chars.len()
                && !matches!(sent.chars[end], ',' | '。' | ';' | ':' | '(' | '“' | '”')
                && !sent.starts_with_at(end, "等")
                && (end < start + 2 || !visit_word_at(end))
            {
                end += 1;
            }
            let mut items = Vec::new();
            let mut a = start;
            for b in start..=end {
                let sep = b == end
                    || sent.chars[b] == '、'
                    || (["和", "及", "与"].iter().any(|w| {
                        sent.starts_with_at(b, w)
                            && sent.word_edge[b]
                            && sent.word_edge.get(b + 1) == Some(&true)
                    }));
                if sep {
                    if b > a {
                        items.push((a, b));
                    }
                    a = b + 1;
                }
            }
            if !items.is_empty() {
                lists.push(items);
            }
            k = end.max(k + 1);
        }
        for items in lists {
            let known_spans: Vec<(usize, usize)> = self.org_mentions[si]
                .iter()
                .map(|m| (m.start, m.end))
                .collect();
            let known = |(a, b): (usize, usize)| known_spans.iter().any(|&(x, y)| x < b && a < y);
            let industry = |(a, b): (usize, usize)| {
                let item = sent.slice(a, b);
                genre.industry.iter().any(|w| {
                    item.ends_with(w.as_str()) && item.chars().count() >= w.chars().count() + 2
                })
            };
            let plausible = |(a, b): (usize, usize)| {
                let name = sent.slice(a, b);
                let len = name.chars().count();
                !known((a, b))
                    && (2..=12).contains(&len)
                    && name.chars().all(|c| is_cjk(c) || c.is_ascii_alphanumeric())
                    && !cx.gaz.is_place_sequence(&name)
                    && !self.person_index.contains_key(&name)
                    && !self.person_mentions[si]
                        .iter()
                        .any(|m| m.start < b && a < m.end)
                    && !genre.generic.iter().any(|g| name.contains(g.as_str()))
                    && !cx.is_common_word(&name)
            };
            // A company the model reads in the list: the visit word (or the
            // opening 在) is the rules' context, the model the name. Public
            // bodies have endings the rules know already.
            let model_company = |(a, b): (usize, usize)| {
                let name = sent.slice(a, b);
                let len = b - a;
                plausible((a, b))
                    && !cx.is_public_body(&name)
                    && !name.contains('的')
                    // `座谈交流`: an activity, not a name.
                    && !cx.ex.jieba.tag(&name, false).first().is_some_and(|t| {
                        matches!(t.tag, "v" | "vn" | "vd" | "d" | "p" | "c" | "r" | "m" | "q" | "u")
                            || (t.tag == "n" && t.word.chars().count() == len)
                    })
                    && cx.model_org_ends(si, a, b)
            };
            let sure = items.iter().any(|&i| industry(i))
                || (items.len() > 1 && items.iter().any(|&i| known(i)));
            let items: Vec<(usize, usize)> = items
                .into_iter()
                .filter(|&i| plausible(i) && (sure || model_company(i)))
                .collect();
            for (a, b) in items {
                let name = sent.slice(a, b);
                let oi = self.add_org(cx, &name, si);
                self.org_mentions[si].push(OrgMention {
                    start: a,
                    end: b,
                    org: oi,
                });
            }
        }
        self.org_mentions[si].sort();
    }
}

impl Mentions {
    /// Whether a word may start at `k` in sentence `si`: at jieba's word
    /// edges, and where a person's name ends, which jieba may have read
    /// with the next character (`周华到|星禾纸业`).
    pub(crate) fn word_edge(&self, sent: &Sent, si: usize, k: usize) -> bool {
        sent.word_edge[k] || self.person_mentions[si].iter().any(|m| m.end == k)
    }
}
