//! Dates in the text: the article's reference date, and event dates such as
//! `5月30日`, `6月1日上午9时`, `5月15日至16日`, `4月24日至27日`, `27日上午`, `昨日`,
//! `近日`, resolved against the reference date. A date whose year cannot be known
//! is not given one; a day of the month or 昨日 needs the publication day.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

use crate::source::PartialDate;

/// A date expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Char offsets into the sentence.
    pub start: usize,
    pub end: usize,
    pub kind: DateKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateKind {
    /// A day (and maybe an end day), with its year if the text gives it.
    Day {
        year: Option<i32>,
        month: u32,
        day: u32,
        end: Option<(Option<u32>, u32)>,
    },
    /// `27日`: a day of the month the article was published in, or of the one
    /// before (newspapers write the month only when it is not the current one).
    DayOfMonth { day: u32, end: Option<u32> },
    /// 昨天, 前天, 今天: so many days before publication.
    DaysBefore(u32),
    /// 近日, 日前, 近期: some day not long before publication.
    Recent,
}

static DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:(?:上午|下午|晚上|晚间|早上|中午|凌晨|晚)?(?:\d{1,2}(?::\d{2})?时?(?:\d{1,2}分)?)?)?(?:\s*(?:至|到|-|—|–|~|～)\s*(?:(\d{1,2})月)?(\d{1,2})日)?",
    )
    .unwrap()
});
static RECENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"近日|日前|近期").unwrap());
static DAY_OF_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\d月日])((\d{1,2})日(?:上午|下午|晚上|晚间|早上|中午|凌晨|晚)?(?:\s*(?:至|到|-|—|–|~|～)\s*(\d{1,2})日)?)",
    )
    .unwrap()
});
static DAYS_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(昨天|昨日|前天|今天|今日)(?:上午|下午|晚上|晚间|早上|中午|凌晨)?").unwrap()
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2})?").unwrap());
static RANGE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(?:至|到|-|—)\s*(?:(\d{1,2})月)?(\d{1,2})日)?",
    )
    .unwrap()
});

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Every date expression in a (normalised) sentence, in order.
pub fn find_dates(sentence: &str) -> Vec<DateMention> {
    let mut out = Vec::new();
    for c in DAY.captures_iter(sentence) {
        let m = c.get(0).unwrap();
        let num = |i: usize| c.get(i).and_then(|g| g.as_str().parse::<u32>().ok());
        let (Some(month), Some(day)) = (num(2), num(3)) else {
            continue;
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            continue;
        }
        let end = num(5).map(|d| (num(4), d));
        out.push(DateMention {
            start: char_offset(sentence, m.start()),
            end: char_offset(sentence, m.end()),
            kind: DateKind::Day {
                year: num(1).map(|y| y as i32),
                month,
                day,
                end,
            },
        });
    }
    for c in DAY_OF_MONTH.captures_iter(sentence) {
        let m = c.get(1).unwrap();
        let num = |i: usize| c.get(i).and_then(|g| g.as_str().parse::<u32>().ok());
        let Some(day) = num(2).filter(|d| (1..=31).contains(d)) else {
            continue;
        };
        // `30日内`, `15日前` count days; they name none.
        if sentence[m.end()..].starts_with(['内', '前', '后', '以', '起']) {
            continue;
        }
        out.push(DateMention {
            start: char_offset(sentence, m.start()),
            end: char_offset(sentence, m.end()),
            kind: DateKind::DayOfMonth { day, end: num(3) },
        });
    }
    for c in DAYS_BEFORE.captures_iter(sentence) {
        let m = c.get(0).unwrap();
        let days = match &c[1] {
            "昨天" | "昨日" => 1,
            "前天" => 2,
            _ => 0,
        };
        out.push(DateMention {
            start: char_offset(sentence, m.start()),
            end: char_offset(sentence, m.end()),
            kind: DateKind::DaysBefore(days),
        });
    }
    for m in RECENT.find_iter(sentence) {
        out.push(DateMention {
            start: char_offset(sentence, m.start()),
            end: char_offset(sentence, m.end()),
            kind: DateKind::Recent,
        });
    }
    out.sort_by_key(|d| d.start);
    // The `28日` of `5月27日至28日` is part of the range before it.
    let mut last_end = 0;
    out.retain(|d| {
        let keep = d.start >= last_end;
        last_end = last_end.max(d.end);
        keep
    });
    out
}

/// The article's date when no front matter gives one: a timestamp such as
/// `2024-06-02 19:17`, or the end of a week range `2024年5月27日至6月2日`.
pub fn reference_from_text(text: &str) -> Option<PartialDate> {
    let head: String = text.chars().take(3000).collect();
    if let Some(c) = ISO.captures(&head) {
        let date = PartialDate::parse(&format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]));
        if date.is_some() {
            return date;
        }
    }
    if let Some(c) = RANGE_YEAR.captures(&head) {
        let year: i32 = c[1].parse().ok()?;
        let num = |s: &str| s.parse::<u32>().ok();
        let (month, day): (u32, u32) = match (c.get(4), c.get(5)) {
            (m, Some(d)) => (
                m.map(|m| num(m.as_str())).unwrap_or_else(|| num(&c[2]))?,
                num(d.as_str())?,
            ),
            _ => (num(&c[2])?, num(&c[3])?),
        };
        return PartialDate::parse(&format!("{year}-{month:02}-{day:02}"));
    }
    None
}

static MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})年(\d{1,2})月(?:份)?(?:[^\d]|$)").unwrap());

/// The month a chronicle covers, from its headline or a heading line
/// (`福田区大事记(2024年5月)`): its day-only entries (`4日 …`) are of that
/// month, not of the month it was published in. The month is given as its
/// last day, the reference a day of the month resolves against.
pub fn chronicle_month<'l>(lines: impl IntoIterator<Item = &'l str>) -> Option<PartialDate> {
    for line in lines {
        if line.chars().count() > 40 {
            continue;
        }
        for c in MONTH.captures_iter(line) {
            let (Ok(year), Ok(month)) = (c[1].parse::<i32>(), c[2].parse::<u32>()) else {
                continue;
            };
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let last = first
                .checked_add_months(chrono::Months::new(1))
                .map(|d| d - chrono::Days::new(1))?;
            return Some(PartialDate {
                year,
                month: Some(month),
                day: Some(last.day()),
            });
        }
    }
    None
}

/// The year a month-day belongs to, seen from the reference date: the latest year
/// that does not put the day more than a week after the reference.
pub fn resolve_day(
    reference: Option<PartialDate>,
    year: Option<i32>,
    month: u32,
    day: u32,
) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    let reference = reference?;
    let ref_month = reference.month.unwrap_or(12);
    let ref_day = reference.day.unwrap_or(31);
    let year = if (month, day) > (ref_month, ref_day) {
        // Allow a week's slack for dates just after a roundup's cover date.
        let limit = NaiveDate::from_ymd_opt(reference.year, ref_month, ref_day.min(28))
            .map(|d| d + chrono::Days::new(10));
        match (limit, NaiveDate::from_ymd_opt(reference.year, month, day)) {
            (Some(limit), Some(d)) if d <= limit => reference.year,
            _ => reference.year - 1,
        }
    } else {
        reference.year
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

impl DateMention {
    /// The start and end dates, when a year can be known.
    pub fn resolve(
        &self,
        reference: Option<PartialDate>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let published = reference.and_then(|r| NaiveDate::from_ymd_opt(r.year, r.month?, r.day?));
        match &self.kind {
            DateKind::Recent => (None, None),
            DateKind::DaysBefore(days) => (
                published.map(|p| p - chrono::Days::new(u64::from(*days))),
                None,
            ),
            DateKind::DayOfMonth { day, end } => {
                let Some(published) = published else {
                    return (None, None);
                };
                let month_start = published.with_day(1).unwrap_or(published);
                // A day after publication day is of the month before.
                let month_start = if *day > published.day() {
                    month_start
                        .checked_sub_months(chrono::Months::new(1))
                        .unwrap_or(month_start)
                } else {
                    month_start
                };
                let start = month_start.with_day(*day);
                let end = end
                    .and_then(|d| month_start.with_day(d))
                    .filter(|e| Some(*e) > start);
                (start, end)
            }
            DateKind::Day {
                year,
                month,
                day,
                end,
            } => {
                let start = resolve_day(reference, *year, *month, *day);
                let end = end.and_then(|(m, d)| {
                    let m = m.unwrap_or(*month);
                    let y = start.map(|s| chrono::Datelike::year(&s));
                    let e = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d))?;
                    (Some(e) > start).then_some(e)
                });
                (start, end)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(s: &str) -> Option<PartialDate> {
        PartialDate::parse(s)
    }

    #[test]
    fn days_times_and_ranges() {
        let d = find_dates("6月1日上午9时,滨海大道正式通车");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].start, 0);
        assert_eq!(
            d[0].resolve(pd("2024-06-02")).0.unwrap().to_string(),
            "2024-06-01"
        );
        let d = find_dates("并于5月15日至16日调度");
        let (s, e) = d[0].resolve(pd("2024-05-19"));
        assert_eq!(
            (s.unwrap().to_string(), e.unwrap().to_string()),
            ("2024-05-15".into(), "2024-05-16".into())
        );
        let d = find_dates("4月24日至27日,率队");
        assert_eq!(
            d[0].resolve(pd("2024-04-28")).1.unwrap().to_string(),
            "2024-04-27"
        );
    }

    #[test]
    fn year_rolls_back_over_new_year() {
        assert_eq!(
            resolve_day(pd("2024-01-07"), None, 12, 29)
                .unwrap()
                .to_string(),
            "2023-12-29"
        );
        assert_eq!(
            resolve_day(pd("2024-06-02"), None, 5, 30)
                .unwrap()
                .to_string(),
            "2024-05-30"
        );
        assert_eq!(
            resolve_day(pd("2024"), None, 5, 30).unwrap().to_string(),
            "2024-05-30"
        );
    }

    #[test]
    fn no_reference_no_date() {
        assert_eq!(resolve_day(None, None, 9, 28), None);
        let d = find_dates("近日,市委书记率队调研");
        assert_eq!(d[0].kind, DateKind::Recent);
        assert_eq!(d[0].resolve(pd("2024-01-01")), (None, None));
    }

    #[test]
    fn a_day_of_the_month_and_days_before_publication() {
        let d = find_dates("27日上午,区委书记率队调研");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].resolve(pd("2022-06-30")).0.unwrap().to_string(),
            "2022-06-27"
        );
        // After the publication day: the month before.
        assert_eq!(
            find_dates("29日,")[0]
                .resolve(pd("2024-03-02"))
                .0
                .unwrap()
                .to_string(),
            "2024-02-29"
        );
        let (s, e) = find_dates("15日至16日,")[0].resolve(pd("2024-05-19"));
        assert_eq!(
            (s.unwrap().to_string(), e.unwrap().to_string()),
            ("2024-05-15".into(), "2024-05-16".into())
        );
        // Inside a full date or range it is not found again.
        assert_eq!(find_dates("5月27日,").len(), 1);
        assert_eq!(find_dates("5月27日至28日,").len(), 1);
        assert!(find_dates("于30日内完成").is_empty());
        assert_eq!(
            find_dates("昨日,市长")[0]
                .resolve(pd("2024-03-01"))
                .0
                .unwrap()
                .to_string(),
            "2024-02-29"
        );
        // Without a publication day, no date.
        assert_eq!(find_dates("27日,")[0].resolve(pd("2024-05")), (None, None));
    }

    #[test]
    fn a_chronicles_month_from_its_heading() {
        let month = chronicle_month(["福田区大事记(2024年5月)", "4日 某事"]);
        assert_eq!(month, pd("2024-05-31"));
        assert_eq!(chronicle_month(["2024年5月27日至6月2日"]), None);
        let long =
            "今年以来，我区在2024年5月启动了一项很长很长很长很长很长很长很长很长很长很长的工作";
        assert_eq!(chronicle_month([long]), None);
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(resolve_day(pd("2024-06-02"), None, 2, 30), None);
        assert!(find_dates("13月5日").is_empty());
    }

    #[test]
    fn reference_from_timestamp_or_week_range() {
        assert_eq!(
            reference_from_text("深政观察\n2024-06-02 19:17\n"),
            pd("2024-06-02")
        );
        assert_eq!(
            reference_from_text("2024年5月27日至6月2日。"),
            pd("2024-06-02")
        );
        assert_eq!(
            reference_from_text("2024年1月1日至1月7日。"),
            pd("2024-01-07")
        );
        assert_eq!(reference_from_text("没有日期"), None);
    }
}
