//! Posts: where a title is held (a place, a body of a place, an
//! organisation), and who is therefore an official.

use super::*;

impl Mentions {
    /// Interprets the text before a title: a place, a body of a place, or an organisation.
    pub(crate) fn affiliation(
        &self,
        cx: &ArticleContext,
        si: usize,
        prefix: &str,
        title: &PostTitle,
        prev: Option<&Affiliation>,
    ) -> (Option<Affiliation>, String) {
        let p = prefix.trim();
        let genre = &cx.lex().genre;
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
                cx.default_place(si, title.level, title.kind)
                    .map(Affiliation::Place),
                title_text,
            );
        }
        // `街道党工委副书记`: 街道 alone is the subdistrict last named.
        if p == "街道" {
            let last = self
                .posts
                .iter()
                .rev()
                .find_map(|post| match &post.fact.affiliation {
                    Affiliation::Place(place) if place.name.ends_with("街道") => {
                        Some(place.clone())
                    }
                    _ => None,
                });
            if let Some(place) = last {
                return (Some(Affiliation::Place(place)), title_text);
            }
        }
        // `沙头` + `街道党工委书记`: the subdistrict is the prefix and 街道.
        if let Some(rest) = title_text.strip_prefix("街道") {
            let name = format!("{p}街道");
            let place = cx
                .gaz
                .resolve_at(&name, &cx.places, &[Level::Town])
                .map(|id| cx.place_key(id))
                .unwrap_or_else(|| cx.functional_place(&name));
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
        if let Some(body) = cx
            .lex()
            .genre
            .congress_body
            .iter()
            .find(|b| p.ends_with(b.as_str()))
        {
            let place_part = &p[..p.len() - body.len()];
            let level = place_part
                .chars()
                .next()
                .filter(|c| "省市县区州".contains(*c));
            let place =
                if place_part.is_empty() || (level.is_some() && place_part.chars().count() == 1) {
                    cx.default_place(si, level, PostKind::Government)
                } else {
                    cx.gaz
                        .resolve(place_part, &cx.places)
                        .map(|id| cx.place_key(id))
                };
            if let Some(place) = place {
                return (
                    Some(Affiliation::Place(place)),
                    format!("{body}{title_text}"),
                );
            }
        }
        if listed(&cx.lex().genre.level, p) {
            let level = p
                .chars()
                .next()
                .filter(|c| "省市县区镇乡州".contains(*c))
                .or(title.level);
            let level = if p == "新区" { None } else { level };
            return (
                cx.default_place(si, level, PostKind::Government)
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
                Some(Affiliation::Place(cx.functional_place(&name))),
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
            match cx.gaz.longest_prefix(&rest) {
                Some(n) => {
                    last = Some((pos, pos + n));
                    pos += n;
                }
                None => break,
            }
        }
        let rest: String = chars[pos..].iter().collect();
        if let Some((a, b)) = last {
            if rest.is_empty() || listed(&cx.lex().genre.body, &rest) {
                let name: String = chars[a..b].iter().collect();
                let levels: &[Level] = match title.level {
                    Some('省') => &[Level::Province],
                    Some('市') => &[Level::Prefecture, Level::County],
                    Some('州') => &[Level::Prefecture],
                    Some('县') | Some('区') => &[Level::County],
                    Some('镇') | Some('乡') => &[Level::Town],
                    _ => &[Level::County, Level::Prefecture, Level::Province],
                };
                let id = cx
                    .gaz
                    .resolve_at(&name, &cx.places, levels)
                    .or_else(|| cx.gaz.resolve(&name, &cx.places));
                if let Some(id) = id {
                    return (Some(Affiliation::Place(cx.place_key(id))), title_text);
                }
            } else if listed(&cx.lex().genre.zone, &rest)
                || cx
                    .lex()
                    .genre
                    .zone
                    .iter()
                    .any(|z| rest.ends_with(z.as_str()))
                    && rest.chars().count() <= 8
            {
                // `滨州工业园党工委副书记`: a park named after its place is a zone of its own.
                return (Some(Affiliation::Place(cx.functional_place(p))), title_text);
            } else if !rest.is_empty()
                && rest.chars().count() <= 6
                && title.kind != PostKind::Company
                && !rest
                    .char_indices()
                    .any(|(i, c)| cx.lex().org_class(&rest[..i + c.len_utf8()]).is_some())
                && !FUNCTIONAL_SUFFIXES.iter().any(|s| rest.ends_with(s))
            {
                // `龙华区重点片区领衔总规划师`: the place, and a title qualified by the rest.
                let name: String = chars[a..b].iter().collect();
                if let Some(id) = cx.gaz.resolve(&name, &cx.places) {
                    return (
                        Some(Affiliation::Place(cx.place_key(id))),
                        format!("{rest}{title_text}"),
                    );
                }
            }
        }
        if FUNCTIONAL_SUFFIXES.iter().any(|s| p.ends_with(s))
            || (title.kind == PostKind::Zone
                && cx.lex().genre.zone.iter().any(|z| p.ends_with(z.as_str())))
        {
            return (Some(Affiliation::Place(cx.functional_place(p))), title_text);
        }
        // An organisation: up to its last known ending; what follows qualifies the title.
        let mut org_end = chars.len();
        let mut best = None;
        for k in (2..=chars.len()).rev() {
            let head: String = chars[..k].iter().collect();
            if cx.lex().org_class(&head).is_some() && cx.org_suffix_len(&head) < k {
                best = Some(k);
                break;
            }
        }
        let mut title_text = title_text;
        if let Some(k) = best {
            // `…有限公司(以下简称“某某”)党委常委`: a bracket after the name
            // declares or glosses it; it does not qualify the title.
            let qualifier = without_brackets(&chars[k..]);
            if qualifier.chars().count() == 1 && !matches!(qualifier.as_str(), "原" | "前") {
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
        if org.chars().count() < 2 || listed(&cx.lex().genre.generic, &org) {
            return (None, title_text);
        }
        (Some(Affiliation::Org(org)), title_text)
    }

    /// Whether holding `title` in `aff` makes one an official: a public body, and
    /// not only a member or deputy (政协委员, 人大代表, 政协常委).
    pub(crate) fn is_office(
        &self,
        cx: &ArticleContext,
        aff: &Affiliation,
        title: &str,
        kind: PostKind,
    ) -> bool {
        let public_body = match aff {
            Affiliation::Place(_) => true,
            Affiliation::Org(o) => {
                let class = self
                    .orgs
                    .iter()
                    .find(|x| &x.name == o)
                    .map(|x| x.class)
                    .or_else(|| cx.lex().org_class(o));
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
    pub(crate) fn reclassify_orgs(&mut self, cx: &ArticleContext) {
        for i in 0..self.orgs.len() {
            if self.orgs[i].class != OrgClass::Government {
                continue;
            }
            let name = self.orgs[i].name.clone();
            let company = self.posts.iter().any(|PostMention { fact: m, .. }| {
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
                .posts
                .iter()
                .filter(|PostMention { fact: m, .. }| m.person == name)
                .any(|PostMention { fact: m, .. }| {
                    self.is_office(cx, &m.affiliation, &m.title, m.kind)
                });
            self.people[p].official = office || listed.contains(&p);
        }
    }

    /// The organisation of the last company post named earlier in the sentence.
    pub(crate) fn last_company_affiliation(&self, si: usize) -> Option<Affiliation> {
        self.posts
            .iter()
            .rev()
            .take_while(|p| p.sentence == si)
            .find(|PostMention { fact: m, .. }| matches!(m.affiliation, Affiliation::Org(_)))
            .map(|PostMention { fact: m, .. }| m.affiliation.clone())
    }
}
