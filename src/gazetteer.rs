//! Gazetteer: China's administrative divisions (GB/T 2260 codes, parent links)
//! and the functional areas news names as if they were districts; resolves a
//! place name or short form (`罗湖` → 罗湖区) in the context of an article.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Province,
    Prefecture,
    County,
    Town,
    /// 新区, 特别合作区, 开发区 … named in the text, not in GB/T 2260.
    Functional,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Town => "town",
            Level::Functional => "functional",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Division {
    pub code: String,
    pub name: String,
    pub parent: Option<usize>,
    pub level: Level,
}

/// Endings stripped to make a short form (`福田区` → `福田`).
const SHORT_SUFFIXES: &[&str] = &[
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
];

/// Endings of functional areas that news treats like districts.
pub const FUNCTIONAL_SUFFIXES: &[&str] = &[
    "特别合作区",
    "深度合作区",
    "合作区",
    "新区",
    "经济技术开发区",
    "经济开发区",
    "高新技术产业开发区",
    "高新区",
    "开发区",
    "经开区",
    "保税区",
    "自贸区",
    "试验区",
    "管理区",
];

pub struct Gazetteer {
    divisions: Vec<Division>,
    by_name: HashMap<String, Vec<usize>>,
    by_short: HashMap<String, Vec<usize>>,
    by_code: HashMap<String, usize>,
    /// Full names of provinces, prefectures and counties, towns, and short forms
    /// of provinces and prefectures, for scanning a whole article.
    scanner: AhoCorasick,
    scan_targets: Vec<(Vec<usize>, f64)>,
    /// Full names and the short forms of counties: a county's short form is
    /// counted only where it is not part of a full name.
    county_scanner: AhoCorasick,
    /// The counties each pattern of `county_scanner` names by its short form
    /// (empty for full names).
    county_targets: Vec<Vec<usize>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Gazetteer({} divisions)", self.divisions.len())
    }
}

/// Scores of the places an article is about, from the names it mentions.
#[derive(Debug, Default, Clone)]
pub struct PlaceContext {
    score: HashMap<usize, f64>,
}

pub fn short_form(name: &str) -> Option<&str> {
    for suffix in SHORT_SUFFIXES {
        if let Some(mut stem) = name.strip_suffix(suffix) {
            // `江华瑶族自治县` is 江华, `长阳土家族自治县` 长阳: the peoples go too.
            if suffix.starts_with("自治") {
                while let Some(rest) = stem.strip_suffix('族') {
                    let Some(people) = ETHNIC_GROUPS
                        .iter()
                        .filter(|g| rest.ends_with(*g))
                        .max_by_key(|g| g.len())
                    else {
                        break;
                    };
                    stem = &rest[..rest.len() - people.len()];
                }
            }
            if stem.chars().count() >= 2 {
                return Some(stem);
            }
            return None;
        }
    }
    None
}

/// The peoples autonomous divisions are named for (`瑶` of 瑶族自治县).
const ETHNIC_GROUPS: &[&str] = &[
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

impl Gazetteer {
    /// Parses the `divisions.tsv` format (`code\tname\tparent\tlevel`, `#` comments).
    pub fn parse(tsv: &str) -> Result<Gazetteer, String> {
        let mut divisions = Vec::new();
        let mut parents = Vec::new();
        let mut by_code = HashMap::new();
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() || line.starts_with("code\t") {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                return Err(format!("line {}: expected 4 columns", n + 1));
            }
            let level = match cols[3].trim() {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                "town" => Level::Town,
                "functional" => Level::Functional,
                other => return Err(format!("line {}: unknown level {other:?}", n + 1)),
            };
            by_code.insert(cols[0].to_string(), divisions.len());
            parents.push(cols[2].to_string());
            divisions.push(Division {
                code: cols[0].into(),
                name: cols[1].into(),
                parent: None,
                level,
            });
        }
        for (d, parent) in divisions.iter_mut().zip(&parents) {
            d.parent = by_code.get(parent).copied();
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_short: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in divisions.iter().enumerate() {
            // Towns named like zones (`经济开发区`, `工业园区`) would make every zone a town.
            if d.level == Level::Town
                && (FUNCTIONAL_SUFFIXES.iter().any(|s| d.name.ends_with(s))
                    || d.name.ends_with("园区"))
            {
                continue;
            }
            by_name.entry(d.name.clone()).or_default().push(i);
            // `陵水县` for 陵水黎族自治县: news often drops the peoples and 自治.
            if let Some(short) = short_form(&d.name) {
                for (autonomous, plain) in [("自治县", "县"), ("自治州", "州"), ("自治旗", "旗")]
                {
                    if d.name.ends_with(autonomous) {
                        by_name
                            .entry(format!("{short}{plain}"))
                            .or_default()
                            .push(i);
                    }
                }
            }
            if d.level != Level::Town {
                if let Some(short) = short_form(&d.name) {
                    by_short.entry(short.to_string()).or_default().push(i);
                }
            }
        }
        let mut patterns = Vec::new();
        let mut scan_targets = Vec::new();
        for (name, ids) in &by_name {
            if name.chars().count() < 2 || name == "市辖区" {
                continue;
            }
            let weight = if divisions[ids[0]].level == Level::Town {
                0.5
            } else {
                1.0
            };
            patterns.push(name.clone());
            scan_targets.push((ids.clone(), weight));
        }
        for (short, ids) in &by_short {
            if by_name.contains_key(short) {
                continue;
            }
            // Short forms of counties are too often ordinary words (合作, 东方) to vote.
            let weight = match divisions[ids[0]].level {
                Level::Province | Level::Prefecture => 0.8,
                _ => continue,
            };
            patterns.push(short.clone());
            scan_targets.push((ids.clone(), weight));
        }
        let scanner = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let mut county_patterns = Vec::new();
        let mut county_targets = Vec::new();
        for name in by_name.keys().filter(|n| n.chars().count() >= 2) {
            county_patterns.push(name.clone());
            county_targets.push(Vec::new());
        }
        for (short, ids) in &by_short {
            let counties: Vec<usize> = ids
                .iter()
                .copied()
                .filter(|&i| divisions[i].level == Level::County)
                .collect();
            if !by_name.contains_key(short) && !counties.is_empty() {
                county_patterns.push(short.clone());
                county_targets.push(counties);
            }
        }
        let county_scanner = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&county_patterns)
            .map_err(|e| e.to_string())?;
        Ok(Gazetteer {
            divisions,
            by_name,
            by_short,
            by_code,
            scanner,
            scan_targets,
            county_scanner,
            county_targets,
        })
    }

    pub fn len(&self) -> usize {
        self.divisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.divisions.is_empty()
    }

    pub fn get(&self, id: usize) -> &Division {
        &self.divisions[id]
    }

    pub fn by_code(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The place and its ancestors, nearest first.
    pub fn lineage(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(id), move |&i| self.divisions[i].parent)
    }

    /// Scores the places a text is about: every name found votes for its place and
    /// the places that contain it; an ambiguous name splits its vote.
    pub fn context(&self, text: &str) -> PlaceContext {
        let mut ctx = PlaceContext::default();
        for m in self.scanner.find_iter(text) {
            let (ids, weight) = &self.scan_targets[m.pattern().as_usize()];
            let share = weight / ids.len() as f64;
            for &id in ids {
                for a in self.lineage(id) {
                    *ctx.score.entry(a).or_default() += share;
                }
            }
        }
        ctx
    }

    /// The short forms of counties written in `text` outside full place
    /// names (`江华` in `江华融媒体中心`), with the counties each may name and
    /// how often it is written. They do not vote in [`Gazetteer::context`]:
    /// many are ordinary words too, which the caller must rule out.
    pub fn county_short_forms(&self, text: &str) -> Vec<(String, Vec<usize>, usize)> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for m in self.county_scanner.find_iter(text) {
            let p = m.pattern().as_usize();
            if !self.county_targets[p].is_empty() {
                *counts.entry(p).or_default() += 1;
            }
        }
        let mut out: Vec<(String, Vec<usize>, usize)> = counts
            .into_iter()
            .map(|(p, n)| {
                let ids = self.county_targets[p].clone();
                let short = short_form(&self.divisions[ids[0]].name)
                    .unwrap_or_default()
                    .to_string();
                (short, ids, n)
            })
            .collect();
        out.sort();
        out
    }

    /// Adds a place known to be the subject (a section heading) to the context.
    pub fn boost(&self, ctx: &mut PlaceContext, id: usize, weight: f64) {
        for a in self.lineage(id) {
            *ctx.score.entry(a).or_default() += weight;
        }
    }

    pub fn score(&self, ctx: &PlaceContext, id: usize) -> f64 {
        ctx.score.get(&id).copied().unwrap_or(0.0)
    }

    /// The best-scored place of a level, if any name of that level was seen.
    /// Of places that share a name, and so its votes, the one whose city or
    /// province the text names wins (`南山区` beside `深圳`).
    pub fn dominant(&self, ctx: &PlaceContext, level: Level) -> Option<usize> {
        let with_ancestors =
            |id: usize| -> f64 { self.lineage(id).map(|a| self.score(ctx, a)).sum() };
        ctx.score
            .iter()
            .filter(|(&id, &s)| self.divisions[id].level == level && s >= 0.5)
            .max_by(|a, b| {
                a.1.partial_cmp(b.1)
                    .unwrap()
                    .then(
                        with_ancestors(*a.0)
                            .partial_cmp(&with_ancestors(*b.0))
                            .unwrap(),
                    )
                    .then(b.0.cmp(a.0))
            })
            .map(|(&id, _)| id)
    }

    /// Resolves a full name or short form; the place the article is about wins
    /// over a same-named place elsewhere.
    pub fn resolve(&self, name: &str, ctx: &PlaceContext) -> Option<usize> {
        let full = self.by_name.get(name);
        let short = self.by_short.get(name);
        let candidates: Vec<usize> = full.into_iter().chain(short).flatten().copied().collect();
        let rank = |id: usize| -> (i64, i64) {
            let s: f64 = self.lineage(id).map(|a| self.score(ctx, a)).sum();
            // Without context, prefer higher levels (a city over a same-named town).
            let level = match self.divisions[id].level {
                Level::Province => 4,
                Level::Prefecture => 3,
                Level::County => 2,
                _ => 1,
            };
            ((s * 1000.0) as i64, level)
        };
        candidates
            .into_iter()
            .max_by_key(|&id| (rank(id), std::cmp::Reverse(id)))
    }

    /// Resolves a name that must be a place of one of `levels`.
    pub fn resolve_at(&self, name: &str, ctx: &PlaceContext, levels: &[Level]) -> Option<usize> {
        let full = self.by_name.get(name);
        let short = self.by_short.get(name);
        full.into_iter()
            .chain(short)
            .flatten()
            .copied()
            .filter(|&id| levels.contains(&self.divisions[id].level))
            .max_by_key(|&id| {
                let s: f64 = self.lineage(id).map(|a| self.score(ctx, a)).sum();
                ((s * 1000.0) as i64, std::cmp::Reverse(id))
            })
    }

    /// Whether `name` is the full name of a province, prefecture or county.
    pub fn is_division_name(&self, name: &str) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|ids| ids.iter().any(|&i| self.divisions[i].level != Level::Town))
    }

    /// Whether `name` is a known place name or short form.
    pub fn is_place_name(&self, name: &str) -> bool {
        self.by_name.contains_key(name) || self.by_short.contains_key(name)
    }

    /// The longest place name (full or short) that `text` starts with, in chars.
    pub fn longest_prefix(&self, text: &str) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        (2..=chars.len().min(12)).rev().find(|&n| {
            let s: String = chars[..n].iter().collect();
            self.is_place_name(&s)
        })
    }

    /// Whether `text` is place names only, one after another (`江苏长兴县`: a
    /// province's short form, then a county).
    pub fn is_place_sequence(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let mut at = 0;
        while at < chars.len() {
            let rest: String = chars[at..].iter().collect();
            match self.longest_prefix(&rest) {
                Some(n) => at += n,
                None => return false,
            }
        }
        !chars.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "code\tname\tparent\tlevel\n\
        440000\t广东省\t\tprovince\n440300\t深圳市\t440000\tprefecture\n\
        440304\t福田区\t440300\tcounty\n440303\t罗湖区\t440300\tcounty\n\
        510000\t四川省\t\tprovince\n510800\t广元市\t510000\tprefecture\n510812\t朝天区\t510800\tcounty\n\
        220000\t吉林省\t\tprovince\n220100\t长春市\t220000\tprefecture\n220199\t福田区\t220100\tcounty\n";

    #[test]
    fn place_names_one_after_another() {
        let g = Gazetteer::parse(TSV).unwrap();
        assert!(g.is_place_sequence("广东深圳市福田区"));
        assert!(g.is_place_sequence("四川广元市"));
        assert!(!g.is_place_sequence("福田区星河科技"));
        assert!(!g.is_place_sequence(""));
    }

    #[test]
    fn short_forms() {
        assert_eq!(short_form("福田区"), Some("福田"));
        assert_eq!(short_form("广东省"), Some("广东"));
        assert_eq!(short_form("新区"), None);
        assert_eq!(short_form("江华瑶族自治县"), Some("江华"));
        assert_eq!(short_form("长阳土家族自治县"), Some("长阳"));
        assert_eq!(short_form("凉山彝族自治州"), Some("凉山"));
        let g = Gazetteer::parse("431129\t江华瑶族自治县\t\tcounty\n").unwrap();
        assert!(g.is_division_name("江华县"));
    }

    #[test]
    fn context_decides_between_same_named_places() {
        let g = Gazetteer::parse(TSV).unwrap();
        let ctx = g.context("深圳市各区书记区长这周都在忙啥，深圳");
        let id = g.resolve("福田", &ctx).unwrap();
        assert_eq!(g.get(id).code, "440304");
        let ctx = g.context("长春市的消息");
        assert_eq!(g.get(g.resolve("福田区", &ctx).unwrap()).code, "220199");
    }

    #[test]
    fn dominant_places_by_level() {
        let g = Gazetteer::parse(TSV).unwrap();
        let ctx = g.context("广元市朝天区与某集团交流座谈会");
        assert_eq!(
            g.get(g.dominant(&ctx, Level::County).unwrap()).name,
            "朝天区"
        );
        assert_eq!(
            g.get(g.dominant(&ctx, Level::Prefecture).unwrap()).name,
            "广元市"
        );
        assert_eq!(
            g.get(g.dominant(&ctx, Level::Province).unwrap()).name,
            "四川省"
        );
    }
}
