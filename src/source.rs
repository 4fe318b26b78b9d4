//! Source: turns a file on disk into an [`Article`] — decoded text, front matter,
//! and the article body with HTML removed. Nothing here knows about extraction.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A date as precise as the source gives it (`2024`, `2024-06`, `2024-06-02`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `None` for anything else
    /// (including impossible dates such as `2024-02-30`).
    pub fn parse(value: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = value.trim().split('-').collect();
        let num = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = num(parts.first()?)? as i32;
        if parts[0].len() != 4 {
            return None;
        }
        let date = match parts.len() {
            1 => PartialDate {
                year,
                month: None,
                day: None,
            },
            2 => PartialDate {
                year,
                month: Some(num(parts[1])?),
                day: None,
            },
            3 => PartialDate {
                year,
                month: Some(num(parts[1])?),
                day: Some(num(parts[2])?),
            },
            _ => return None,
        };
        date.is_valid().then_some(date)
    }

    fn is_valid(&self) -> bool {
        match (self.month, self.day) {
            (None, _) => true,
            (Some(m), None) => (1..=12).contains(&m),
            (Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(self.year, m, d).is_some(),
        }
    }

    /// The full date when month and day are known.
    pub fn to_naive(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// One article, read and decoded.
#[derive(Debug, Clone)]
pub struct Article {
    pub path: PathBuf,
    /// The article's URL from its front matter, or a `file:` URL of its path.
    pub url: String,
    pub title: Option<String>,
    /// The publication date from front matter, if any.
    pub published: Option<PartialDate>,
    /// The text after the front matter; offsets in the graph count characters of it.
    pub body: String,
    /// Things worth telling the user that did not stop the article (encoding guessed, bad date…).
    pub notices: Vec<String>,
}

/// Why a file could not be read as an article.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("binary file (not text)")]
    Binary,
    #[error("not valid text: {0}")]
    Encoding(String),
    #[error("front matter (line {line}): {message}")]
    FrontMatter { line: usize, message: String },
    #[error("too large for an article: {size} (the limit is {} MiB); split it, or keep only the article text", MAX_ARTICLE_BYTES >> 20)]
    TooLarge { size: String },
}

/// The largest file read as an article. News articles are tens of kilobytes;
/// a file past this is a dump or junk, and would cost seconds and gigabytes
/// (a 100 MB line of text), so it is refused unread.
pub const MAX_ARTICLE_BYTES: u64 = 16 << 20;

#[derive(Debug, Default, Deserialize)]
struct FrontMatter {
    url: Option<serde_yaml_ng::Value>,
    title: Option<serde_yaml_ng::Value>,
    published: Option<serde_yaml_ng::Value>,
}

fn yaml_scalar(value: &serde_yaml_ng::Value) -> Option<String> {
    match value {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads one article file.
pub fn read_article(path: &Path) -> Result<Article, SourceError> {
    use std::io::Read;
    let too_large = |bytes: u64| SourceError::TooLarge {
        size: format!("{:.1} MB", bytes as f64 / 1e6),
    };
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_ARTICLE_BYTES {
        return Err(too_large(len));
    }
    // Read no more than the limit, whatever the size said (a growing file, a device).
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    article_from_bytes(path, &bytes)
}

/// Reads an article from the bytes of a file at `path` (HTML by its ending or
/// its first tag): decoding, front matter, HTML to text.
pub fn article_from_bytes(path: &Path, bytes: &[u8]) -> Result<Article, SourceError> {
    let mut notices = Vec::new();
    let text = decode(bytes, &mut notices)?;
    let is_html = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        .unwrap_or(false)
        || looks_like_html(&text);
    parse_article(path, &text, is_html, notices)
}

/// Builds an article from already decoded text (used by `read_article` and tests).
pub fn parse_article(
    path: &Path,
    text: &str,
    is_html: bool,
    mut notices: Vec<String>,
) -> Result<Article, SourceError> {
    let (front, body) = split_front_matter(text)?;
    let mut url = None;
    let mut title = None;
    let mut published = None;
    if let Some(front) = front {
        if let Some(u) = front.url.as_ref().and_then(yaml_scalar) {
            if !u.trim().is_empty() {
                url = Some(u.trim().to_string());
            }
        }
        title = front
            .title
            .as_ref()
            .and_then(yaml_scalar)
            .filter(|t| !t.trim().is_empty());
        if let Some(p) = front.published.as_ref().and_then(yaml_scalar) {
            let p = p.trim();
            if !p.is_empty() && !p.eq_ignore_ascii_case("unknown") {
                match PartialDate::parse(p) {
                    Some(d) => published = Some(d),
                    None => notices.push(format!(
                        "front matter: published {p:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY); ignored"
                    )),
                }
            }
        }
    }
    let body = if is_html {
        let (html_title, html_body) = html_to_text(body);
        if title.is_none() {
            title = html_title;
        }
        html_body
    } else {
        body.to_string()
    };
    if body.trim().is_empty() {
        return Err(SourceError::Empty);
    }
    let url = url.unwrap_or_else(|| file_url(path));
    Ok(Article {
        path: path.to_path_buf(),
        url,
        title,
        published,
        body,
        notices,
    })
}

fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for c in abs.to_string_lossy().chars() {
        match c {
            ' ' => url.push_str("%20"),
            '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '#' | '?' | '%' => {
                url.push_str(&format!("%{:02X}", c as u32))
            }
            c => url.push(c),
        }
    }
    url
}

fn decode(bytes: &[u8], notices: &mut Vec<String>) -> Result<String, SourceError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SourceError::Empty);
    }
    // UTF-16 is only believed with a byte-order mark.
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(SourceError::Encoding(format!(
                "invalid {} text",
                encoding.name()
            )));
        }
        if encoding != encoding_rs::UTF_8 {
            notices.push(format!("decoded as {} (byte-order mark)", encoding.name()));
        }
        return Ok(text.into_owned());
    }
    if bytes.contains(&0) {
        return Err(SourceError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        // Cut off in the middle of a character: keep what is whole.
        Err(err) if err.error_len().is_none() && err.valid_up_to() > 0 => {
            notices.push(format!(
                "the file ends in the middle of a UTF-8 character (byte {}); the incomplete character was dropped",
                err.valid_up_to()
            ));
            Ok(String::from_utf8_lossy(&bytes[..err.valid_up_to()]).into_owned())
        }
        Err(err) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
            if encoding == encoding_rs::UTF_8 {
                return Err(SourceError::Encoding(format!(
                    "invalid UTF-8 at byte {}",
                    err.valid_up_to()
                )));
            }
            let (text, _, had_errors) = encoding.decode(bytes);
            if had_errors
                || text
                    .chars()
                    .filter(|c| c.is_control() && !c.is_whitespace())
                    .count()
                    > 0
            {
                return Err(SourceError::Encoding(format!(
                    "not UTF-8 (invalid at byte {}), and not valid {} either",
                    err.valid_up_to(),
                    encoding.name()
                )));
            }
            notices.push(format!("not UTF-8: decoded as {}", encoding.name()));
            Ok(text.into_owned())
        }
    }
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn split_front_matter(text: &str) -> Result<(Option<FrontMatter>, &str), SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---")
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return Ok((None, text));
    };
    let rest = rest.trim_start_matches(['\r', '\n']);
    // The closing fence is a line holding only `---`.
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let front: FrontMatter = if yaml.trim().is_empty() {
                FrontMatter::default()
            } else {
                serde_yaml_ng::from_str(yaml).map_err(|e| SourceError::FrontMatter {
                    line: e.location().map(|l| l.line() + 1).unwrap_or(1),
                    message: e.to_string(),
                })?
            };
            return Ok((Some(front), body));
        }
        offset += line.len();
    }
    Err(SourceError::FrontMatter {
        line: 1,
        message: "no closing `---` line".into(),
    })
}

/// Takes the readable text of an HTML page: its title, and the text of its
/// `<article>` (or `<body>`) without scripts, styles and navigation, one block per line.
fn html_to_text(html: &str) -> (Option<String>, String) {
    use scraper::{Html, Node, Selector};
    let doc = Html::parse_document(html);
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| t.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty());
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|name| Selector::parse(name).ok())
        .find_map(|s| doc.select(&s).next());
    let mut out = String::new();
    let Some(root) = root else {
        return (title, out);
    };
    const SKIP: &[&str] = &[
        "script", "style", "noscript", "nav", "header", "footer", "template", "svg", "iframe",
    ];
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "dd",
        "dt",
    ];
    let mut stack = vec![(*root, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            continue;
        }
        match node.value() {
            Node::Text(t) => out.push_str(&t.replace(['\n', '\r'], " ")),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    if !out.ends_with('\n') && !out.is_empty() {
                        out.push('\n');
                    }
                    stack.push((node, true));
                }
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (title, lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2024").unwrap().to_string(), "2024");
        assert_eq!(
            PartialDate::parse("2024-06").unwrap().to_string(),
            "2024-06"
        );
        assert_eq!(
            PartialDate::parse("2024-06-02").unwrap().to_string(),
            "2024-06-02"
        );
        assert!(PartialDate::parse("2024-02-30").is_none());
        assert!(PartialDate::parse("unknown").is_none());
        assert!(PartialDate::parse("24-06-02").is_none());
    }

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "---\nurl: http://x/1\ntitle: T\npublished: 2024-06-02\n---\n正文。\n";
        let a = parse_article(Path::new("a.txt"), text, false, vec![]).unwrap();
        assert_eq!(a.url, "http://x/1");
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.published, PartialDate::parse("2024-06-02"));
        assert_eq!(a.body, "正文。\n");
    }

    #[test]
    fn published_year_only_and_unknown() {
        let a = parse_article(
            Path::new("a"),
            "---\npublished: 2021\n---\n正文",
            false,
            vec![],
        )
        .unwrap();
        assert_eq!(a.published.unwrap().to_string(), "2021");
        let a = parse_article(
            Path::new("a"),
            "---\npublished: unknown\n---\n正文",
            false,
            vec![],
        )
        .unwrap();
        assert!(a.published.is_none() && a.notices.is_empty());
    }

    #[test]
    fn bad_published_date_is_a_notice_not_an_error() {
        let a = parse_article(
            Path::new("a"),
            "---\npublished: 2024-13-01\n---\n正文",
            false,
            vec![],
        )
        .unwrap();
        assert!(a.published.is_none());
        assert_eq!(a.notices.len(), 1);
    }

    #[test]
    fn html_keeps_text_and_drops_scripts() {
        let html = "<html><head><title>标题</title><script>var a='区委书记';</script></head>\
                    <body><nav>首页</nav><article><p>5月30日，会议召开。</p><p>第二段。</p></article></body></html>";
        let a = parse_article(Path::new("a.html"), html, true, vec![]).unwrap();
        assert_eq!(a.title.as_deref(), Some("标题"));
        assert_eq!(a.body, "5月30日，会议召开。\n第二段。");
    }

    #[test]
    fn gbk_is_detected_and_reported() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("区委书记张三主持召开会议，研究部署工作。深圳市福田区人民政府");
        let mut notices = vec![];
        let text = decode(&bytes, &mut notices).unwrap();
        assert!(text.contains("区委书记"));
        assert_eq!(notices.len(), 1);
    }

    #[test]
    fn empty_and_binary_files_are_errors() {
        assert!(matches!(
            decode(b"  \n", &mut vec![]),
            Err(SourceError::Empty)
        ));
        assert!(matches!(
            decode(b"ab\0cd", &mut vec![]),
            Err(SourceError::Binary)
        ));
    }
}
