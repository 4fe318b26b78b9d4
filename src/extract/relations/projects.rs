//! Named projects, parks, zones, roads and facilities, and the district each
//! stands in.

use super::*;
use crate::extract::context::without_brackets;
use crate::lexicon::listed;

impl RelationFinder<'_, '_> {
    /// Named projects, parks, zones, roads and facilities.
    pub(crate) fn projects(&self) -> Vec<ProjectFact> {
        let mut out: Vec<ProjectFact> = Vec::new();
        for si in 0..self.cx.sents.len() {
            let sent = &self.cx.sents[si];
            let suffixes: Vec<(usize, usize)> = self
                .cx
                .ex
                .project_suffixes
                .find_overlapping_iter(&sent.norm)
                .map(|m| (sent.b2c[m.start()], sent.b2c[m.end()]))
                .collect();
            let mut spans: Vec<(usize, usize)> = Vec::new();
            for &(a, b) in &suffixes {
                // The name goes on if another ending starts at or runs over its end (`滨海|大道`).
                if suffixes.iter().any(|&(x, y)| x <= b && y > b && x >= a) {
                    continue;
                }
                let tail = sent.slice(b.saturating_sub(1), b + 1);
                if listed(&self.cx.lex().genre.continuation, &tail) {
                    continue;
                }
                let floor = self.m.end_of_last_name_before(si, a);
                let start = self
                    .cx
                    .noun_phrase_start(si, a, floor, &self.m.person_mentions[si]);
                if start < a {
                    spans.push((start, b));
                }
            }
            // Quoted names: “新城站”.
            let chars = &sent.chars;
            let mut i = 0;
            while i < chars.len() {
                if chars[i] == '“' {
                    if let Some(j) = chars[i + 1..].iter().position(|&c| c == '”') {
                        let inner: String = chars[i + 1..i + 1 + j].iter().collect();
                        let slogan = inner
                            .starts_with(['双', '三', '四', '五', '六', '百', '千', '一', '两'])
                            || inner.chars().any(|c| c.is_ascii_digit());
                        if self
                            .cx
                            .lex()
                            .project_suffixes
                            .iter()
                            .any(|s| inner.ends_with(s.as_str()))
                            && inner.chars().count() >= 3
                            && !slogan
                        {
                            spans.push((i + 1, i + 1 + j));
                        }
                        i += j + 1;
                    }
                }
                i += 1;
            }
            // Of overlapping names, the one that starts first and ends first.
            spans.sort();
            let listed_projects = self.listed_projects(si);
            let mut kept: Vec<(usize, usize)> = Vec::new();
            for (a, b) in spans {
                if kept.iter().any(|&(x, y)| a < y && x < b) {
                    continue;
                }
                kept.push((a, b));
            }
            for (a, b) in kept {
                // `香港科技园` of `香港科技园公司` is the company's name; the
                // park of `某园区管委会` is a park its committee runs.
                if self.m.org_mentions[si].iter().any(|m| {
                    m.start <= a
                        && b <= m.end
                        && (m.start, m.end) != (a, b)
                        && !(m.start == a
                            && ["管委会", "管理委员会", "党工委"]
                                .contains(&sent.slice(b, m.end).as_str()))
                }) {
                    continue;
                }
                let mut name = sent.slice(a, b);
                // `启动|大沙河生态长廊`: a verb before a proper name is not part of it.
                let words = self.cx.ex.jieba.tag(&name, true);
                if let [first, second, ..] = words.as_slice() {
                    if matches!(first.tag, "v" | "vn")
                        && matches!(second.tag, "ns" | "nr" | "nz" | "nt")
                        && !self.cx.gaz.is_place_name(first.word)
                    {
                        name = name[first.word.len()..].to_string();
                    }
                }
                if !self.is_named_project(&name) {
                    // `先进制造业联合总部基地项目`: the facility is named though
                    // the project adds nothing to its name.
                    match name.strip_suffix("项目") {
                        Some(facility)
                            if self
                                .cx
                                .lex()
                                .project_suffixes
                                .iter()
                                .any(|s| s != "项目" && facility.ends_with(s.as_str()))
                                && self.is_named_project(facility) =>
                        {
                            name = facility.to_string()
                        }
                        _ => continue,
                    }
                }
                self.add_project(&mut out, name, si);
            }
            for (a, b) in listed_projects {
                self.add_project(&mut out, sent.slice(a, b), si);
            }
        }
        // A name that ends a longer one of the same article is its short form
        // (`B产业园` of `深圳A区B(说明)产业园`): one project.
        let bare: Vec<String> = out
            .iter()
            .map(|p| without_brackets(&p.name.chars().collect::<Vec<_>>()))
            .collect();
        let short: Vec<bool> = bare
            .iter()
            .map(|b| {
                bare.iter()
                    .any(|longer| longer.len() > b.len() && longer.ends_with(b.as_str()))
            })
            .collect();
        let mut short = short.into_iter();
        out.retain(|_| !short.next().unwrap_or(false));
        out
    }

    /// Adds the project `name` named in sentence `si`, once, with its district.
    fn add_project(&self, out: &mut Vec<ProjectFact>, name: String, si: usize) {
        if out.iter().any(|p| p.name == name) {
            return;
        }
        let place = self.project_place(&name, si);
        out.push(ProjectFact {
            name,
            place,
            evidence: Span::one(si),
        });
    }

    /// The items of a list that ends in 等项目 (`来到A、B、C等项目现场`):
    /// projects named by what they are about, without an ending. Companies
    /// (`在九云科技、李大厨等项目`) stay companies.
    fn listed_projects(&self, si: usize) -> Vec<(usize, usize)> {
        let sent = &self.cx.sents[si];
        let mut out = Vec::new();
        for marker in ["等重点项目", "等重大项目", "等项目"] {
            let mut search = 0;
            while let Some(at) = sent.norm[search..].find(marker) {
                let end = sent.b2c[search + at];
                search += at + marker.len();
                let start = self.cx.phrase_list_start(si, end);
                let mut pos = start;
                for item in sent.slice(start, end).split('、') {
                    let n = item.chars().count();
                    let (a, b) = (pos, pos + n);
                    pos += n + 1;
                    let org = self.m.org_mentions[si]
                        .iter()
                        .any(|m| m.start < b && a < m.end);
                    let person = self.m.person_mentions[si]
                        .iter()
                        .any(|m| m.start < b && a < m.end);
                    let genre = &self.cx.lex().genre;
                    if (3..=20).contains(&n)
                        && !org
                        && !person
                        && !out.iter().any(|&(x, y)| x < b && a < y)
                        && !genre.generic.iter().any(|g| item.starts_with(g.as_str()))
                        && !self.cx.gaz.is_place_name(item)
                    {
                        out.push((a, b));
                    }
                }
            }
        }
        out
    }

    /// A project name must name something, not only say what kind of thing it is
    /// (`合作项目`, `旅游产业园区` are not names).
    pub(crate) fn is_named_project(&self, name: &str) -> bool {
        let len = name.chars().count();
        if !(3..=30).contains(&len) {
            return false;
        }
        let genre = &self.cx.lex().genre;
        if genre.generic.iter().any(|g| name.contains(g.as_str()))
            || genre
                .project_generic
                .iter()
                .any(|g| name.contains(g.as_str()))
        {
            return false;
        }
        if self.m.orgs.iter().any(|o| o.name == name) {
            return false;
        }
        let suffix_len = self
            .cx
            .lex()
            .project_suffixes
            .iter()
            .find(|s| name.ends_with(s.as_str()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        let stem: String = name.chars().take(len - suffix_len).collect();
        // `2024年重点项目` is a year's list, not a name (`年产5万吨…项目` is).
        let stem_chars: Vec<char> = stem.chars().collect();
        let dated = stem_chars
            .windows(2)
            .any(|w| w[0].is_ascii_digit() && w[1] == '年');
        if stem_chars.len() < 2 || dated {
            return false;
        }
        let words = self.cx.ex.jieba.tag(name, true);
        // `高度重视…项目`, `有力促进五个项目`, `一个中心`: a phrase that opens
        // with an adverb, an idiom, a count or a pronoun is no name.
        // A verb of one character is often part of the name (`通|港大道`).
        if words.first().is_some_and(|w| {
            (matches!(
                w.tag,
                "d" | "ad" | "vd" | "l" | "p" | "c" | "r" | "m" | "u" | "q"
            ) || (w.tag == "v" && w.word.chars().count() >= 2))
                && !self.cx.gaz.is_place_name(w.word)
        }) {
            return false;
        }
        // A body of a party committee or government is not a facility.
        if genre
            .level
            .iter()
            .any(|l| l.chars().count() >= 2 && name.contains(l.as_str()))
        {
            return false;
        }
        // `…项目` says what kind of thing it is; a name says which: a place, a
        // company, a proper noun, or figures (`青禾纸业年产5万吨包装纸项目`).
        if name.ends_with("项目") {
            let stem_words = self.cx.ex.jieba.tag(&stem, true);
            let proper = stem_words.iter().any(|w| {
                matches!(
                    w.tag,
                    "nr" | "ns" | "nt" | "nz" | "j" | "eng" | "nrt" | "nrfg"
                )
            }) || stem.chars().any(|c| c.is_ascii_alphanumeric())
                || self.m.orgs.iter().any(|o| stem.contains(o.name.as_str()));
            if !proper {
                return false;
            }
        }
        // A place name is not a project (`梁园区` ends like `园区`).
        let chars: Vec<char> = name.chars().collect();
        if (0..chars.len().saturating_sub(2)).any(|i| {
            let tail: String = chars[i..].iter().collect();
            self.cx.gaz.is_division_name(&tail) && tail.chars().count() >= 3
        }) {
            return false;
        }
        !self
            .cx
            .ex
            .jieba
            .cut(&stem, true)
            .iter()
            .all(|w| listed(&self.cx.lex().genre.project_stem, w.word))
    }

    pub(crate) fn project_place(&self, name: &str, si: usize) -> Option<PlaceKey> {
        if let Some(section) = self.cx.section_place(si) {
            return Some(section);
        }
        // Whether the article names the place other than inside this project's name:
        // `城东`, `滨江` are words of many names, and places only now and then.
        let named_outside = |id: usize| {
            let full = &self.cx.gaz.get(id).name;
            let inside = self.cx.count_in_body(name);
            [Some(full.as_str()), gazetteer::short_form(full)]
                .into_iter()
                .flatten()
                .any(|n| self.cx.count_in_body(n) > if name.contains(n) { inside } else { 0 })
        };
        // A county or city named inside the name (`…夏邑永安试验基地`), when the
        // article is about it or about the city it lies in.
        let chars: Vec<char> = name.chars().collect();
        for i in 0..chars.len() {
            let rest: String = chars[i..].iter().collect();
            if let Some(n) = self.cx.gaz.longest_prefix(&rest) {
                let head: String = chars[i..i + n].iter().collect();
                // `合作` of `双方合作项目` is a word before it is 合作市.
                let after: String = chars[i + n..].iter().collect();
                let zone_named = self
                    .cx
                    .lex()
                    .genre
                    .place_named_zone
                    .iter()
                    .any(|z| after.starts_with(z.as_str()));
                let place = (zone_named || !self.cx.is_common_word(&head))
                    .then(|| {
                        self.cx.gaz.resolve_at(
                            &head,
                            &self.cx.places,
                            &[Level::County, Level::Prefecture],
                        )
                    })
                    .flatten();
                if let Some(id) = place {
                    let parent = self.cx.gaz.get(id).parent;
                    if named_outside(id) || parent.is_some_and(named_outside) || zone_named {
                        // `深圳湾CBD` in an article about 南山区 of 深圳: the district.
                        let county =
                            self.cx
                                .gaz
                                .dominant(&self.cx.places, Level::County)
                                .filter(|&c| {
                                    self.cx.gaz.get(id).level == Level::Prefecture
                                        && self.cx.gaz.get(c).parent == Some(id)
                                        && named_outside(c)
                                });
                        return Some(self.cx.place_key(county.unwrap_or(id)));
                    }
                }
            }
        }
        [Level::County, Level::Prefecture]
            .into_iter()
            .filter_map(|level| self.cx.gaz.dominant(&self.cx.places, level))
            .find(|&id| named_outside(id))
            .map(|id| self.cx.place_key(id))
    }
}
