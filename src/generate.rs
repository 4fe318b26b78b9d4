//! Generate: a deterministic corpus of weekly roundups in the genre's style, for
//! benchmarks, crash tests and identity tests. Each article is about the size
//! of the bundled one (~6,000 characters, 10–12 district sections) with dated
//! meetings, inspections, signings (with 简称) and ceremonies. People recur
//! across weeks and posts change hands; names of people, companies and
//! projects are made up from general parts (surnames, common characters,
//! industry words).
//!
//! It plants what person identity must get right, and records the truth
//! ([`Corpus::officials`]): about one official in ten takes the name of an
//! official of another city (a homonym), and some posts go to an official of
//! another district of the same city (a career move, which a sentence reports
//! half the time: `原…区长甲调任…区委副书记、区长`).

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Days, NaiveDate};

use crate::gazetteer::{short_form, Level};
use crate::lexicon::Lexicon;

/// SplitMix64: small, fast and the same on every machine (the corpus must be).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const GIVEN: &[char] = &[
    '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超',
    '秀', '霞', '平', '刚', '桂', '华', '建', '国', '志', '文', '辉', '红', '新', '春', '海', '林',
    '峰', '波', '宁', '鹏', '晓', '俊', '宏', '金', '玉', '斌', '彬', '振', '德', '荣', '昌', '成',
    '浩', '宇', '航', '雪', '梅', '琳',
];
const BRAND: &[char] = &[
    '瀚', '晟', '嘉', '睿', '锐', '拓', '联', '创', '恒', '泰', '融', '智', '凯', '达', '信', '丰',
    '源', '通', '迈', '博', '宸', '骏', '盛', '鑫', '远', '航', '科', '星', '辰', '海', '云', '川',
    '光', '弘', '致', '鼎',
];
const INDUSTRY: &[&str] = &[
    "科技",
    "智能",
    "新能源",
    "半导体",
    "生物医药",
    "新材料",
    "数字技术",
    "信息技术",
    "汽车",
    "装备制造",
    "物流",
    "文化传媒",
    "医疗器械",
    "电子",
    "环保科技",
];
const LEGAL: &[&str] = &["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"];
const PROJECT: &[&str] = &[
    "产业园",
    "科技园",
    "产业基地",
    "创新中心",
    "物流园",
    "大道",
    "研发基地",
];
const TOPICS: &[&str] = &[
    "推动经济高质量发展",
    "优化营商环境",
    "加快构建现代化产业体系",
    "做好防汛备汛工作",
    "推进城市更新",
    "抓好安全生产",
    "促进消费提质扩容",
    "深化改革开放",
    "加强基层治理",
    "办好民生实事",
];
const FILLER: &[&str] = &[
    "会议强调,要坚持稳中求进工作总基调,完整准确全面贯彻新发展理念,加快构建新发展格局,着力推动高质量发展。",
    "会议指出,要聚焦主责主业,强化统筹协调,压实工作责任,确保各项任务落地见效。",
    "要持续优化营商环境,主动靠前服务企业,帮助企业解决实际困难,增强发展信心。",
    "要坚持以人民为中心的发展思想,扎实办好民生实事,不断提升群众的获得感、幸福感、安全感。",
    "双方将围绕产业协同、科技创新、人才培养等领域深化合作,实现优势互补、互利共赢。",
];

#[derive(Clone)]
struct Official {
    name: String,
    /// Who this is, whatever the name: the truth person clustering is scored on.
    id: usize,
}

/// An official named in a generated article, and who they truly are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialMention {
    /// The article's URL (its front matter's `url`).
    pub url: String,
    pub name: String,
    /// The same number for the same person in every article.
    pub person: usize,
}

/// A post that changed hands between two reports of it: the truth `govkg
/// changes` is scored on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Turnover {
    /// The first date the new holder is reported in the post.
    pub date: NaiveDate,
    /// The district and the title: `南山区区长`.
    pub post: String,
    /// Who was reported in it before, and who after.
    pub before: String,
    pub after: String,
}

/// A generated corpus: the files written and the truth about its officials
/// and about the posts that changed hands.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub files: Vec<std::path::PathBuf>,
    pub officials: Vec<OfficialMention>,
    pub turnovers: Vec<Turnover>,
}

impl Corpus {
    /// The officials' truth as `govkg generate --truth` writes it: a header,
    /// then one `url, name, person` line (tab-separated) per mention.
    pub fn officials_tsv(&self) -> String {
        let mut tsv = String::from("# url\tname\tperson\n");
        for m in &self.officials {
            tsv.push_str(&format!("{}\t{}\t{}\n", m.url, m.name, m.person));
        }
        tsv
    }

    /// The turnovers as `govkg generate --turnovers` writes them: a header,
    /// then one `date, post, before, after` line (tab-separated) per change.
    pub fn turnovers_tsv(&self) -> String {
        let mut tsv = String::from("# date\tpost\tbefore\tafter\n");
        for t in &self.turnovers {
            tsv.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                t.date, t.post, t.before, t.after
            ));
        }
        tsv
    }
}

/// One report of an official in a district post: (series, district, title), date, person, name.
type PostReport = ((usize, String, &'static str), NaiveDate, usize, String);

/// The turnovers the reports show: in each post, a report of someone other
/// than the one reported before.
fn turnovers(mut reports: Vec<PostReport>) -> Vec<Turnover> {
    reports.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut out = Vec::new();
    for pair in reports.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        if before.0 == after.0 && before.2 != after.2 {
            out.push(Turnover {
                date: after.1,
                post: format!("{}{}", after.0 .1, after.0 .2),
                before: before.3.clone(),
                after: after.3.clone(),
            });
        }
    }
    out.sort();
    out
}

/// Makes officials: fresh names, and now and then the name of an official of
/// another city.
struct Officials<'a> {
    surnames: &'a [String],
    /// Every official made so far, with the city they serve in.
    made: Vec<(String, usize)>,
}

impl Officials<'_> {
    fn new_official(&mut self, rng: &mut Rng, city: usize) -> Official {
        let elsewhere = || self.made.iter().filter(|(_, c)| *c != city);
        let count = elsewhere().count();
        let name = if count > 0 && rng.chance(0.1) {
            let k = rng.below(count);
            elsewhere()
                .nth(k)
                .map(|(n, _)| n.clone())
                .expect("k < count")
        } else {
            person(rng, self.surnames).name
        };
        self.made.push((name.clone(), city));
        Official {
            name,
            id: self.made.len() - 1,
        }
    }
}

struct District {
    name: String,
    short: String,
    secretary: Official,
    head: Official,
    /// The district a new head came from, until a sentence says so.
    head_from: Option<String>,
}

fn person(rng: &mut Rng, surnames: &[String]) -> Official {
    let mut name = rng.pick(surnames).clone();
    for _ in 0..(1 + usize::from(rng.chance(0.6))) {
        name.push(*rng.pick(GIVEN));
    }
    Official {
        name,
        id: usize::MAX,
    }
}

fn company(rng: &mut Rng, city_short: &str) -> (String, String) {
    let brand: String = [*rng.pick(BRAND), *rng.pick(BRAND)].iter().collect();
    let industry = *rng.pick(INDUSTRY);
    let legal = *rng.pick(LEGAL);
    if legal == "科技有限公司" {
        (
            format!("{city_short}{brand}{legal}"),
            format!("{brand}科技"),
        )
    } else {
        (
            format!("{city_short}{brand}{industry}{legal}"),
            format!("{brand}{industry}"),
        )
    }
}

fn cn_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}月{}日", d.month(), d.day())
}

/// Writes `articles` generated articles into `dir`; returns the files written.
pub fn generate(
    lexicon: &Lexicon,
    articles: usize,
    seed: u64,
    dir: &Path,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    Ok(generate_corpus(lexicon, articles, seed, dir)?.files)
}

/// Writes `articles` generated articles into `dir`; returns the files written
/// and who each official named in them is.
pub fn generate_corpus(
    lexicon: &Lexicon,
    articles: usize,
    seed: u64,
    dir: &Path,
) -> std::io::Result<Corpus> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let gaz = &lexicon.gazetteer;
    let surnames: Vec<String> = lexicon
        .surnames
        .iter()
        .filter(|s| s.chars().count() == 1)
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // Cities with at least eight districts and counties.
    let mut cities: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut children: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for id in 0..gaz.len() {
        let d = gaz.get(id);
        if d.level == Level::County && (d.name.ends_with('区') || d.name.ends_with('县')) {
            if let Some(p) = d.parent {
                if gaz.get(p).level == Level::Prefecture {
                    children.entry(p).or_default().push(id);
                }
            }
        }
    }
    for (city, kids) in children {
        if kids.len() >= 8 {
            cities.push((city, kids));
        }
    }
    // A handful of cities, each with its own series, districts, officials and companies.
    let n_cities = (articles / 50).clamp(1, 40).min(cities.len());
    let mut series = Vec::new();
    let mut officials = Officials {
        surnames: &surnames,
        made: Vec::new(),
    };
    for city_index in 0..n_cities {
        let (city, kids) = cities.remove(rng.below(cities.len()));
        let city_name = gaz.get(city).name.clone();
        let city_short = short_form(&city_name).unwrap_or(&city_name).to_string();
        let districts: Vec<District> = kids
            .iter()
            .take(12)
            .map(|&k| {
                let name = gaz.get(k).name.clone();
                let short = short_form(&name).unwrap_or(&name).to_string();
                District {
                    name,
                    short,
                    secretary: officials.new_official(&mut rng, city_index),
                    head: officials.new_official(&mut rng, city_index),
                    head_from: None,
                }
            })
            .collect();
        let companies: Vec<(String, String)> =
            (0..60).map(|_| company(&mut rng, &city_short)).collect();
        series.push((city_name, city_short, districts, companies));
    }
    let start = NaiveDate::from_ymd_opt(2019, 1, 7).expect("valid date");
    let mut files = Vec::new();
    let mut truth = Vec::new();
    let mut reports: Vec<PostReport> = Vec::new();
    for a in 0..articles {
        let s = a % series.len();
        let week = a / series.len();
        let url = format!("https://example.org/weekly/{s}/{week}");
        let (city_name, city_short, districts, companies) = &mut series[s];
        let monday = start + Days::new(7 * week as u64);
        let sunday = monday + Days::new(6);
        // Posts change hands now and then; a quarter of the new district
        // heads come from another district of the city, which gets a new one.
        for i in 0..districts.len() {
            if rng.chance(0.02) {
                let j = rng.below(districts.len());
                if j != i && rng.chance(0.25) {
                    districts[i].head = districts[j].head.clone();
                    // Half the moves are reported (原…区长甲调任…), half not.
                    districts[i].head_from = rng.chance(0.5).then(|| districts[j].name.clone());
                    districts[j].head = officials.new_official(&mut rng, s);
                } else {
                    districts[i].head = officials.new_official(&mut rng, s);
                    districts[i].head_from = None;
                }
            }
            if rng.chance(0.015) {
                districts[i].secretary = officials.new_official(&mut rng, s);
            }
        }
        // Mentions carry the article's URL, so only this article's can repeat
        // one: looking through all the corpus's made generation quadratic
        // (10,000 articles took 5.5 min).
        let article_mentions = truth.len();
        let mut named = |official: &Official| {
            let mention = OfficialMention {
                url: url.clone(),
                name: official.name.clone(),
                person: official.id,
            };
            if !truth[article_mentions..].contains(&mention) {
                truth.push(mention);
            }
        };
        let mut body = String::new();
        let _ = writeln!(
            body,
            "{city_short}一周 | {city_short}各区书记区长这周都在忙啥?({}-{})\n",
            cn_date(monday),
            cn_date(sunday)
        );
        let _ = writeln!(body, "{}\n", sunday.format("%Y-%m-%d 18:30"));
        let _ = writeln!(
            body,
            "{}年{}至{}。\n\n本周,{city_name}各区持续发力,与企业促合作、为企业办实事。对本周各区区委书记、区长公开报道的活动进行梳理。\n",
            monday.format("%Y"),
            cn_date(monday),
            cn_date(sunday)
        );
        let n_sections = 10 + rng.below(3);
        for d in districts.iter_mut().take(n_sections) {
            let _ = writeln!(
                body,
                "{}\n",
                if rng.chance(0.5) { &d.name } else { &d.short }
            );
            let _ = writeln!(body, "{}\n", rng.pick(TOPICS));
            if let Some(from) = d.head_from.take() {
                named(&d.head);
                reports.push((
                    (s, d.name.clone(), "区长"),
                    monday,
                    d.head.id,
                    d.head.name.clone(),
                ));
                let _ = writeln!(
                    body,
                    "{},{city_name}召开领导干部会议。原{from}区长{}调任{}区委副书记、区长。\n",
                    cn_date(monday),
                    d.head.name,
                    d.short
                );
            }
            for _ in 0..(3 + rng.below(3)) {
                let day = monday + Days::new(rng.below(7) as u64);
                let date = cn_date(day);
                let (full, short) = rng.pick(companies).clone();
                let (full2, _) = rng.pick(companies).clone();
                let sec = &d.secretary.name;
                let head = &d.head.name;
                let place = &d.name;
                let dshort = &d.short;
                let kind = rng.below(6);
                if matches!(kind, 0 | 2 | 3 | 4) {
                    named(&d.secretary);
                    reports.push((
                        (s, d.name.clone(), "区委书记"),
                        day,
                        d.secretary.id,
                        sec.clone(),
                    ));
                }
                if matches!(kind, 0 | 1 | 2 | 4 | 5) {
                    named(&d.head);
                    reports.push(((s, d.name.clone(), "区长"), day, d.head.id, head.clone()));
                }
                let text = match kind {
                    0 => format!("{date},{dshort}区委书记{sec}主持召开区委常委会会议,研究部署{}等工作。区委副书记、区长{head}参加会议。", rng.pick(TOPICS)),
                    1 => format!("{date},{dshort}区委副书记、区长{head}率队深入{full}、{full2}走访调研,详细了解企业生产经营情况。"),
                    2 => format!("{date},{city_name}{place}人民政府与{full}(简称“{short}”)签署战略合作框架协议。{dshort}区委书记{sec},区委副书记、区长{head}出席签约仪式。"),
                    3 => {
                        let brand: String = [*rng.pick(BRAND), *rng.pick(BRAND)].iter().collect();
                        format!("{date},{dshort}{brand}{}正式揭牌。区委书记{sec}出席活动并致辞。", rng.pick(PROJECT))
                    }
                    4 => {
                        let ceo = person(&mut rng, &surnames).name;
                        format!("{date}上午,区委书记{sec}会见{short}董事长{ceo}一行,双方就深化合作进行座谈交流。区长{head}参加。")
                    }
                    _ => format!("{date},区长{head}主持召开区政府常务会议,研究{}。", rng.pick(TOPICS)),
                };
                let _ = writeln!(body, "{text}{}{}\n", rng.pick(FILLER), rng.pick(FILLER));
            }
        }
        let name = format!("{:05}.txt", a);
        let path = dir.join(&name);
        let doc = format!(
            "---\nurl: {url}\ntitle: {city_short}一周({} - {})\npublished: {}\n---\n{body}",
            cn_date(monday),
            cn_date(sunday),
            sunday.format("%Y-%m-%d")
        );
        std::fs::write(&path, doc)?;
        files.push(path);
    }
    Ok(Corpus {
        files,
        officials: truth,
        turnovers: turnovers(reports),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let lex = Lexicon::builtin();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate(&lex, 3, 7, a.path()).unwrap();
        generate(&lex, 3, 7, b.path()).unwrap();
        for f in ["00000.txt", "00001.txt", "00002.txt"] {
            let x = std::fs::read_to_string(a.path().join(f)).unwrap();
            assert_eq!(x, std::fs::read_to_string(b.path().join(f)).unwrap());
            assert!(x.chars().count() > 3000, "{}", x.chars().count());
        }
    }
}
