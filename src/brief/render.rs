//! A [`Brief`] as one self-contained HTML file (styles, chart and map inline:
//! it opens without a network), as the body of the workbench's `/brief` page,
//! or as Markdown, JSON or PDF ([`write`]). Every fact links to its article,
//! at its sentence.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::pdf::PdfError;
use super::{Brief, Cite, WeeklyContacts};

/// The forms a briefing is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained HTML file ([`html_document`]).
    Html,
    /// Markdown ([`markdown`]).
    Markdown,
    /// The [`Brief`] as JSON.
    Json,
    /// The HTML printed by Chromium ([`super::pdf`]): needs a file to write.
    Pdf,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("a PDF is written to a file: give one (-o FILE)")]
    PdfNeedsFile,
    #[error("printing {path}: {source}")]
    Pdf { path: PathBuf, source: PdfError },
    #[error("writing {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    // The I/O error is the source, not forwarded (`transparent`), so that
    // `main` finds a closed pipe in the error's chain.
    #[error("writing to standard output")]
    Stdout(#[source] std::io::Error),
    #[error("writing the briefing as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes the briefing in `format` to `output`, or to standard output when
/// there is none (not for a PDF).
pub fn write(b: &Brief, format: Format, output: Option<&Path>) -> Result<(), WriteError> {
    if format == Format::Pdf && output.is_none() {
        return Err(WriteError::PdfNeedsFile);
    }
    let text = match format {
        Format::Html | Format::Pdf => html_document(b),
        Format::Markdown => markdown(b),
        Format::Json => serde_json::to_string_pretty(b)? + "\n",
    };
    match (format, output) {
        (Format::Pdf, Some(path)) => {
            super::pdf::print(&text, path).map_err(|source| WriteError::Pdf {
                path: path.to_path_buf(),
                source,
            })
        }
        (_, Some(path)) => std::fs::write(path, text).map_err(|source| WriteError::File {
            path: path.to_path_buf(),
            source,
        }),
        (_, None) => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(WriteError::Stdout),
    }
}

/// The briefing's styles: inlined in the file, added to the workbench page.
pub const STYLE: &str = include_str!("brief.css");

/// Where a fact's links lead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Links {
    /// To the source article's address, at the sentence (a text fragment).
    #[default]
    Source,
    /// Also to the workbench's pages for the article and the people.
    Workbench,
}

/// The whole report as one HTML document.
pub fn html_document(b: &Brief) -> String {
    html! {
        (DOCTYPE)
        html lang="zh" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="govkg";
                title { (title(b)) }
                style { (PreEscaped(STYLE)) }
            }
            body.brief-document {
                main {
                    h1 { (title(b)) }
                    (html_body(b, Links::Source))
                }
            }
        }
    }
    .into_string()
}

/// The report's title: place and period.
pub fn title(b: &Brief) -> String {
    format!("{} · {} – {}", b.place, b.from, b.to)
}

/// The report's sections, for a page of one's own.
pub fn html_body(b: &Brief, links: Links) -> Markup {
    let activities: usize = b.officials.iter().map(|o| o.activities.len()).sum();
    html! {
        div.brief {
            dl.counts {
                div { dt { "Officials" } dd { (b.officials.len()) } }
                div { dt { "Activities" } dd { (activities) } }
                div { dt { "Contacts with organisations" } dd { (b.contacts.len()) } }
                div { dt { "Agreements" } dd { (b.agreements.len()) } }
                div { dt { "Projects" } dd { (b.projects.len()) } }
            }
            h2 { "Contacts per official and week" }
            (chart(&b.weekly_contacts, &b.to))
            h2 { "Contacts with organisations" }
            @if b.contacts.is_empty() {
                p.note { "No contact with an organisation is reported in the period." }
            } @else {
                table.contacts {
                    thead { tr { th { "Date" } th { "Official" } th { "Organisation" } th { "Event" } th { "Evidence" } } }
                    tbody {
                        @for c in &b.contacts {
                            tr.contact data-official=(c.official) data-organization=(c.organization) data-date=(c.date) {
                                td.date { (c.date) }
                                td { (person(&c.person, &c.official, links)) }
                                td { (c.organization) }
                                td { (c.event_type) }
                                td { (cited(&c.cite, links)) }
                            }
                        }
                    }
                }
            }
            h2 { "Officials' activities" }
            @if b.officials.is_empty() {
                p.note { "No official's activity is reported in the period." }
            }
            @for o in &b.officials {
                section.official data-person=(o.person) {
                    h3 { (person(&o.person, &o.name, links)) @if !o.posts.is_empty() { " " span.posts { (o.posts.join("、")) } } }
                    ol.timeline {
                        @for a in &o.activities {
                            li {
                                span.date { (a.date) } " "
                                span.kind { (a.event_type) } " · " (a.role)
                                @if !a.organizations.is_empty() { " · met " strong { (a.organizations.join("、")) } }
                                (cited(&a.cite, links))
                            }
                        }
                    }
                }
            }
            h2 { "Agreements" }
            @if b.agreements.is_empty() {
                p.note { "No agreement is reported in the period." }
            } @else {
                table.agreements {
                    thead { tr { th { "Date" } th { "Parties" } th { "Witnessed by" } th { "Evidence" } } }
                    tbody {
                        @for a in &b.agreements {
                            tr.agreement data-date=(a.date) {
                                td.date { (a.date) }
                                td { (a.parties.join(" · ")) }
                                td { (a.witnesses.join("、")) }
                                td { (cited(&a.cite, links)) }
                            }
                        }
                    }
                }
            }
            h2 { "Projects" }
            @if b.projects.is_empty() {
                p.note { "No project is reported in the place in the period's articles." }
            } @else {
                table.projects {
                    thead { tr { th { "Project" } th { "Where" } th { "Evidence" } } }
                    tbody {
                        @for p in &b.projects {
                            tr.project { td { (p.name) } td { (p.place) } td { (cited(&p.cite, links)) } }
                        }
                    }
                }
            }
            h2 { "Relationship map" }
            @match &b.map {
                Ok((svg, renderer)) => {
                    p.note { "The briefing's officials, their posts and the organisations they met in the period; drawn by " (renderer) "." }
                    div.brief-map { (PreEscaped(svg)) }
                }
                Err(why) => p.note { "No map: " (why) "." },
            }
        }
    }
}

fn person(iri: &str, name: &str, links: Links) -> Markup {
    match links {
        Links::Source => html! { (name) },
        Links::Workbench => html! { a href=(href("/entity", iri)) { (name) } },
    }
}

fn href(path: &str, iri: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("iri", iri)
        .finish();
    format!("{path}?{query}")
}

/// The sentence, with links to the article at that sentence.
fn cited(c: &Cite, links: Links) -> Markup {
    html! {
        blockquote.evidence title=(c.evidence) {
            (c.quote)
            @if let Some(url) = &c.url {
                " " a.source href=(at_sentence(url, &c.quote)) rel="noreferrer" { "[source]" }
            }
            @if links == Links::Workbench {
                " " a.source href=(href("/article", &c.article)) { "[article]" }
            }
        }
    }
}

/// The article's address with a text fragment that scrolls to the sentence
/// and marks it (`#:~:text=`, which browsers follow).
pub fn at_sentence(url: &str, quote: &str) -> String {
    let start: String = quote
        .trim()
        .chars()
        .take_while(|c| !matches!(c, '\n' | '\r'))
        .take(20)
        .collect();
    if start.is_empty() || url.contains('#') {
        return url.to_string();
    }
    // Text fragments give `-`, `&` and `,` a meaning: encode them too.
    let encoded: String = form_urlencoded::byte_serialize(start.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
        .replace('-', "%2D");
    format!("{url}#:~:text={encoded}")
}

/// Bars of contacts per week, one row per official.
fn chart(w: &WeeklyContacts, last_day: &str) -> Markup {
    if w.officials.is_empty() {
        return html! { p.note { "No contact with an organisation in these weeks." } };
    }
    const LABEL: usize = 150;
    const BAR: usize = 38;
    const GAP: usize = 14;
    const ROW: usize = 34;
    const TOP: usize = 22;
    let max = w
        .officials
        .iter()
        .flat_map(|(_, counts)| counts.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let width = LABEL + w.weeks.len() * (BAR + GAP) + GAP;
    let height = TOP + w.officials.len() * ROW + 6;
    let x = |k: usize| LABEL + GAP + k * (BAR + GAP);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" width=(width) height=(height) viewBox={ "0 0 " (width) " " (height) } role="img" aria-label="Contacts with organisations per official and week" {
            @for (k, week) in w.weeks.iter().enumerate() {
                text.week x=(x(k) + BAR / 2) y="14" text-anchor="middle" { (week.get(5..).unwrap_or(week)) }
            }
            @for (i, (name, counts)) in w.officials.iter().enumerate() {
                @let base = TOP + (i + 1) * ROW - 6;
                text.official x=(LABEL - 8) y=(base - 6) text-anchor="end" { (name) }
                line x1=(LABEL) x2=(width) y1=(base) y2=(base) stroke="#d9dee6" {}
                @for (k, n) in counts.iter().enumerate() {
                    @let h = (n * (ROW - 16) / max).max(2);
                    @if *n > 0 {
                        rect x=(x(k)) y=(base - h) width=(BAR) height=(h) fill="#1f5fae" {
                            title { (name) " · week of " (w.weeks[k]) ": " (n) }
                        }
                        text.count x=(x(k) + BAR / 2) y=(base - h - 2) text-anchor="middle" { (n) }
                    }
                }
            }
        }
        p.note { "Each bar: an official's contacts with organisations (distinct organisation and date) in the week that starts on the date above it; the last week ends on " (last_day) "." }
    }
}

/// The report as Markdown: the same sections, the chart as a table.
pub fn markdown(b: &Brief) -> String {
    use std::fmt::Write;
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let cite = |c: &Cite| match &c.url {
        Some(url) => format!(
            "{} [source]({})",
            cell(&c.quote),
            at_sentence(url, &c.quote)
        ),
        None => cell(&c.quote),
    };
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(b));
    let _ = writeln!(out, "## Contacts per official and week\n");
    if !b.weekly_contacts.officials.is_empty() {
        let _ = writeln!(
            out,
            "| Official | {} |\n|---|{}",
            b.weekly_contacts.weeks.join(" | "),
            "---|".repeat(b.weekly_contacts.weeks.len())
        );
        for (name, counts) in &b.weekly_contacts.officials {
            let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
            let _ = writeln!(out, "| {} | {} |", cell(name), counts.join(" | "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Contacts with organisations\n");
    if !b.contacts.is_empty() {
        let _ = writeln!(
            out,
            "| Date | Official | Organisation | Event | Evidence |\n|---|---|---|---|---|"
        );
        for c in &b.contacts {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                c.date,
                cell(&c.official),
                cell(&c.organization),
                c.event_type,
                cite(&c.cite)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Officials' activities\n");
    for o in &b.officials {
        let _ = writeln!(out, "### {} {}\n", o.name, o.posts.join("、"));
        for a in &o.activities {
            let met = if a.organizations.is_empty() {
                String::new()
            } else {
                format!(" · met **{}**", a.organizations.join("、"))
            };
            let _ = writeln!(
                out,
                "- {} {} · {}{}: {}",
                a.date,
                a.event_type,
                a.role,
                met,
                cite(&a.cite)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Agreements\n");
    if !b.agreements.is_empty() {
        let _ = writeln!(
            out,
            "| Date | Parties | Witnessed by | Evidence |\n|---|---|---|---|"
        );
        for a in &b.agreements {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                a.date,
                cell(&a.parties.join(" · ")),
                cell(&a.witnesses.join("、")),
                cite(&a.cite)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Projects\n");
    if !b.projects.is_empty() {
        let _ = writeln!(out, "| Project | Where | Evidence |\n|---|---|---|");
        for p in &b.projects {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&p.name),
                cell(&p.place),
                cite(&p.cite)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_link_points_at_the_sentence() {
        assert_eq!(
            at_sentence("http://example.org/a.html", "5月29日,A-B签约"),
            "http://example.org/a.html#:~:text=5%E6%9C%8829%E6%97%A5%2CA%2DB%E7%AD%BE%E7%BA%A6"
        );
        // An address with a fragment of its own keeps it.
        assert_eq!(at_sentence("http://e.org/a#x", "句子"), "http://e.org/a#x");
    }
}
