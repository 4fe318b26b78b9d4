//! The places an article is about: section headings, and the text the
//! gazetteer scores once the places a delegation went to are taken out.

use super::*;

impl Work<'_> {
    /// A short line that names a district or functional area starts a section.
    pub(super) fn sections(&mut self, doc: &Document) {
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
                        .resolve_at(line, &self.ctx, &[Level::County, Level::Prefecture])
                {
                    // Only a whole-line place name is a heading.
                    heading = Some(self.place_key(id));
                    self.gaz.boost(&mut self.ctx, id, 2.0);
                }
            }
            if let Some(h) = heading {
                current = Some((pi, h));
            }
            self.section_of_paragraph[pi] = current.clone();
        }
    }
}

/// Where a delegation went (`赴上海、苏州等地考察`).
static DESTINATION: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?:赴|前往)[^,。;:!?]{1,24}?(?:等地|考察|调研|学习|招商|开展|参加|出席|拜访|对接|洽谈|访问|走访)",
    )
    .unwrap()
});

/// `text` without the cities and provinces a delegation went to, for scoring
/// the places an article is about. Towns and zones it went to (`赴汇龙镇、
/// 启东经济开发区调研`) are usually its own and stay.
pub(super) fn without_destinations(gaz: &Gazetteer, text: &str) -> String {
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
fn heading_text(line: &str) -> &str {
    let trimmed = line.trim_matches(|c: char| !(is_cjk(c) || c.is_alphanumeric()));
    let numbered = trimmed
        .trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    match numbered.strip_prefix(['、', '.', ')']) {
        Some(rest) if numbered.len() < trimmed.len() => rest.trim(),
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::heading_text;

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
