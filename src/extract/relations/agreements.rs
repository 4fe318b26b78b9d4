//! The two parties of each agreement a sentence reports (`A与B签署…`,
//! `A与B、C分别签订`, `双方签署`).

use super::*;
use crate::extract::mentions::OrgMention;

impl RelationFinder<'_, '_> {
    /// `A与B签署/签订/达成/举行…签约`: the two parties of an agreement. `B` is the
    /// first organisation after 与 in its clause that is not a parent (`A旗下`);
    /// when the text names no organisation there (`与企业代表签订`), the one
    /// non-government organisation of the episode, if there is exactly one.
    pub(crate) fn agreement_parties(
        &mut self,
        si: usize,
        episode_orgs: &[usize],
    ) -> Vec<(String, String)> {
        let text = self.cx.sents[si].norm.clone();
        let mut out = Vec::new();
        let verbs = &self.cx.lex().genre.agreement_follower;
        let mut prev_party: Option<String> = None;
        let mut hits: Vec<usize> = Vec::new();
        for conj in ["与", "和", "同"] {
            let mut search = 0;
            while let Some(bpos) = text[search..].find(conj) {
                hits.push(self.cx.sents[si].b2c[search + bpos]);
                search += bpos + conj.len();
            }
        }
        hits.sort();
        for at in hits {
            let sent = &self.cx.sents[si];
            let clause_end = (at + 1..sent.chars.len())
                .find(|&k| [',', '。', ';'].contains(&sent.chars[k]))
                .unwrap_or(sent.chars.len());
            let clause = sent.slice(at + 1, clause_end);
            if !verbs.iter().any(|v| clause.contains(v)) {
                continue;
            }
            let mut in_clause: Vec<OrgMention> = self.m.org_mentions[si]
                .iter()
                .filter(|m| {
                    m.start > at
                        && m.start < clause_end
                        && !sent.slice(m.end, m.end + 2).starts_with("旗下")
                })
                .copied()
                .collect();
            in_clause.sort();
            // `与乙、丙分别签订`: each organisation listed after the first is a party too.
            let mut listed_after: Vec<usize> = Vec::new();
            for pair in in_clause.windows(2) {
                let gap = sent.slice(pair[0].end, pair[1].start);
                if !["、", "和", "及", "以及"].contains(&gap.as_str()) {
                    break;
                }
                listed_after.push(pair[1].org);
            }
            let b = in_clause.first().map(|x| x.org);
            let b = b.or_else(|| {
                let generic = clause.starts_with("企业")
                    || clause.starts_with("各")
                    || clause.starts_with("项目");
                let private = self.private_orgs(episode_orgs);
                (generic && private.len() == 1).then(|| private[0])
            });
            let Some(b) = b else { continue };
            // A: the org (or government) mention ending right before the conjunction.
            let a = self.m.org_mentions[si]
                .iter()
                .find(|x| x.end == at)
                .map(|x| x.org);
            let a_name = match a {
                Some(a) => Some(self.m.orgs[a].name.clone()),
                None => {
                    let start = self.cx.phrase_start(sent, at, 0);
                    let raw = sent.slice(start, at);
                    let raw = raw
                        .trim()
                        .trim_end_matches("分别")
                        .trim_end_matches("共同")
                        .trim_end_matches("正式");
                    if raw.chars().count() >= 2
                        && (self.cx.lex().org_class(raw).is_some()
                            || self.cx.gaz.is_place_name(raw))
                    {
                        Some(self.government_name(raw))
                    } else {
                        prev_party.clone()
                    }
                }
            };
            let Some(a_name) = a_name else { continue };
            for b in std::iter::once(b).chain(listed_after) {
                let b_name = self.m.orgs[b].name.clone();
                if a_name != b_name {
                    let ai = self.m.add_org(self.cx, &a_name, si);
                    let a_name = self.m.orgs[ai].name.clone();
                    prev_party = Some(a_name.clone());
                    if !out.contains(&(a_name.clone(), b_name.clone())) {
                        out.push((a_name, b_name));
                    }
                }
            }
        }
        // `会后，双方签署了…协议`: the two sides are the article's government
        // and the one company of the episode.
        if out.is_empty() {
            if let Some(pair) = self.both_sides(&text, si, episode_orgs) {
                out.push(pair);
            }
        }
        out
    }

    /// The parties of `双方签署…`: the government of the place the sentence
    /// stands in and the episode's only non-government organisation.
    pub(crate) fn both_sides(
        &mut self,
        text: &str,
        si: usize,
        episode_orgs: &[usize],
    ) -> Option<(String, String)> {
        let at = text.find("双方")?;
        let rest = &text[at..];
        let clause = rest.split([',', '。', ';']).next().unwrap_or(rest);
        if !self
            .cx
            .lex()
            .genre
            .signing
            .iter()
            .any(|v| clause.contains(v.as_str()))
        {
            return None;
        }
        let private = self.private_orgs(episode_orgs);
        let [company] = private.as_slice() else {
            return None;
        };
        let place = self.cx.section_place(si).or_else(|| {
            [Level::County, Level::Prefecture]
                .into_iter()
                .find_map(|l| self.cx.gaz.dominant(&self.cx.places, l))
                .map(|id| self.cx.place_key(id))
        })?;
        let government = format!("{}人民政府", place.name);
        let gi = self.m.add_org(self.cx, &government, si);
        Some((
            self.m.orgs[gi].name.clone(),
            self.m.orgs[*company].name.clone(),
        ))
    }

    /// The organisations of `orgs` that can be a party facing the government:
    /// not public bodies, not venues.
    pub(crate) fn private_orgs(&self, orgs: &[usize]) -> Vec<usize> {
        orgs.iter()
            .copied()
            .filter(|&o| {
                self.m.orgs[o].class != OrgClass::Government && !is_venue(&self.m.orgs[o].name)
            })
            .collect()
    }

    /// Qualifies a bare government body with the article's place (`县人民政府` → `筠连县人民政府`).
    pub(crate) fn government_name(&self, raw: &str) -> String {
        for (level, lv) in [
            ("县", Level::County),
            ("区", Level::County),
            ("市", Level::Prefecture),
        ] {
            if raw.starts_with(level) && (raw.contains("政府") || raw.contains("委")) {
                if let Some(id) = self.cx.gaz.dominant(&self.cx.places, lv) {
                    let place = &self.cx.gaz.get(id).name;
                    if place.ends_with(level) {
                        return format!("{}{}", place, &raw[level.len()..]);
                    }
                }
            }
        }
        raw.to_string()
    }
}
