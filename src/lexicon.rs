//! Lexicon: the general knowledge extraction works from — post titles,
//! organisation and project endings, surnames, words that follow names, event
//! trigger words and role verbs (SKOS hidden labels), and the gazetteer. All of
//! it lives in data files under `ontology/` that an analyst can extend; a copy is
//! compiled into the binary and a folder given at run time takes precedence.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::gazetteer::Gazetteer;

/// Who holds a post of this kind: the first five make the holder an official.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostKind {
    Party,
    Government,
    Congress,
    Cppcc,
    Zone,
    Company,
    Other,
}

impl PostKind {
    pub fn is_public(self) -> bool {
        matches!(
            self,
            PostKind::Party
                | PostKind::Government
                | PostKind::Congress
                | PostKind::Cppcc
                | PostKind::Zone
        )
    }
}

#[derive(Debug, Clone)]
pub struct PostTitle {
    pub title: String,
    pub kind: PostKind,
    pub en: String,
    /// The administrative level character the title names (区 in 区委书记), if any.
    pub level: Option<char>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgClass {
    Corporation,
    Government,
    Organization,
}

/// A SKOS concept used as a controlled value (event type or participant role).
#[derive(Debug, Clone)]
pub struct Concept {
    /// The last segment of the concept IRI (`meeting`, `chair`).
    pub key: String,
    pub iri: String,
    pub label_zh: String,
    pub label_en: String,
    /// Words that signal the concept in text (`skos:hiddenLabel`).
    pub triggers: Vec<String>,
}

#[derive(Debug)]
pub struct Lexicon {
    pub post_titles: Vec<PostTitle>,
    pub org_suffixes: Vec<(String, OrgClass)>,
    pub project_suffixes: Vec<String>,
    pub surnames: HashSet<String>,
    pub name_followers: Vec<String>,
    pub event_types: Vec<Concept>,
    pub roles: Vec<Concept>,
    pub gazetteer: Gazetteer,
    pub genre: GenreWords,
}

/// Words of the genre that steer where names begin and end and which phrases
/// are generic (`lexicon/genre-words.tsv`; its header says what each role does).
/// Within a role, words keep the file's order: it is the order they are tried.
#[derive(Debug, Clone, Default)]
pub struct GenreWords {
    pub lead: Vec<String>,
    pub clause: Vec<String>,
    pub stop: Vec<String>,
    pub generic: Vec<String>,
    pub level: Vec<String>,
    pub body: Vec<String>,
    pub not_name: Vec<String>,
    pub continuation: Vec<String>,
    pub project_generic: Vec<String>,
    pub project_stem: Vec<String>,
    pub same_day: Vec<String>,
    pub visit: Vec<String>,
    pub list_glue: Vec<String>,
    pub delegation: Vec<String>,
    pub leads: Vec<String>,
    pub guests: Vec<String>,
    pub zone: Vec<String>,
    pub industry: Vec<String>,
    pub byline: Vec<String>,
    pub candidate: Vec<String>,
    pub org_followers: Vec<String>,
    pub place_named_zone: Vec<String>,
    pub public_head: Vec<String>,
    pub public_word: Vec<String>,
    pub public_end: Vec<String>,
    pub appointment: Vec<String>,
    pub surname_title: Vec<String>,
    pub congress_body: Vec<String>,
    pub signing: Vec<String>,
    pub agreement_follower: Vec<String>,
    pub org_generic_word: Vec<String>,
    pub shared_post: Vec<String>,
}

impl GenreWords {
    /// The compiled-in genre words alone, without the rest of the lexicon.
    pub fn builtin() -> GenreWords {
        let text = FILES
            .iter()
            .find(|(name, _)| *name == "lexicon/genre-words.tsv")
            .map(|(_, text)| *text)
            .unwrap_or("");
        GenreWords::parse(text).expect("the compiled-in genre words are valid")
    }

    fn parse(text: &str) -> Result<GenreWords, String> {
        let mut words = GenreWords::default();
        for (n, line) in data_lines(text) {
            let (role, word) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {n}: expected role<TAB>word"))?;
            let list = match role.trim() {
                "lead" => &mut words.lead,
                "clause" => &mut words.clause,
                "stop" => &mut words.stop,
                "generic" => &mut words.generic,
                "level" => &mut words.level,
                "body" => &mut words.body,
                "not-name" => &mut words.not_name,
                "continuation" => &mut words.continuation,
                "project-generic" => &mut words.project_generic,
                "project-stem" => &mut words.project_stem,
                "same-day" => &mut words.same_day,
                "visit" => &mut words.visit,
                "list-glue" => &mut words.list_glue,
                "delegation" => &mut words.delegation,
                "leads" => &mut words.leads,
                "guests" => &mut words.guests,
                "zone" => &mut words.zone,
                "industry" => &mut words.industry,
                "byline" => &mut words.byline,
                "candidate" => &mut words.candidate,
                "org-followers" => &mut words.org_followers,
                "place-named-zone" => &mut words.place_named_zone,
                "public-head" => &mut words.public_head,
                "public-word" => &mut words.public_word,
                "public-end" => &mut words.public_end,
                "appointment" => &mut words.appointment,
                "surname-title" => &mut words.surname_title,
                "congress-body" => &mut words.congress_body,
                "signing" => &mut words.signing,
                "agreement-follower" => &mut words.agreement_follower,
                "org-generic-word" => &mut words.org_generic_word,
                "shared-post" => &mut words.shared_post,
                r => return Err(format!("line {n}: unknown role {r:?}")),
            };
            let word = word.trim();
            if word.is_empty() {
                return Err(format!("line {n}: a role without a word"));
            }
            list.push(word.to_string());
        }
        Ok(words)
    }
}

/// Whether `word` is one of `list`.
pub fn listed(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w == word)
}

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// The lexicon files, by path under `ontology/`, with their compiled-in copies.
const FILES: &[(&str, &str)] = &[
    (
        "lexicon/post-titles.tsv",
        include_str!("../ontology/lexicon/post-titles.tsv"),
    ),
    (
        "lexicon/org-suffixes.txt",
        include_str!("../ontology/lexicon/org-suffixes.txt"),
    ),
    (
        "lexicon/project-suffixes.txt",
        include_str!("../ontology/lexicon/project-suffixes.txt"),
    ),
    (
        "lexicon/surnames.txt",
        include_str!("../ontology/lexicon/surnames.txt"),
    ),
    (
        "lexicon/name-followers.txt",
        include_str!("../ontology/lexicon/name-followers.txt"),
    ),
    (
        "lexicon/divisions.tsv",
        include_str!("../ontology/lexicon/divisions.tsv"),
    ),
    (
        "lexicon/genre-words.tsv",
        include_str!("../ontology/lexicon/genre-words.tsv"),
    ),
    (
        "vocab/event-types.ttl",
        include_str!("../ontology/vocab/event-types.ttl"),
    ),
    (
        "vocab/roles.ttl",
        include_str!("../ontology/vocab/roles.ttl"),
    ),
];

/// The ontology's own Turtle files, loaded into every store as the vocabulary graph.
pub const VOCABULARY_FILES: &[(&str, &str)] = &[
    ("govkg.ttl", include_str!("../ontology/govkg.ttl")),
    (
        "vocab/event-types.ttl",
        include_str!("../ontology/vocab/event-types.ttl"),
    ),
    (
        "vocab/roles.ttl",
        include_str!("../ontology/vocab/roles.ttl"),
    ),
];

const LEVELS: &[(char, &str)] = &[
    ('省', "Province"),
    ('市', "City"),
    ('县', "County"),
    ('区', "District"),
    ('州', "Prefecture"),
    ('镇', "Town"),
    ('乡', "Township"),
    ('旗', "Banner"),
    ('盟', "League"),
];

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The compiled-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::load(None).expect("the compiled-in lexicon is valid")
    }

    /// Loads the lexicon from `dir` (an `ontology/` folder) where a file exists
    /// there, and from the compiled-in copy otherwise.
    pub fn load(dir: Option<&Path>) -> Result<Lexicon, LexiconError> {
        let read = |name: &str| -> Result<(String, String), LexiconError> {
            let builtin = FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .unwrap_or("");
            if let Some(dir) = dir {
                let path: PathBuf = dir.join(name);
                if path.exists() {
                    let text =
                        std::fs::read_to_string(&path).map_err(|source| LexiconError::Io {
                            file: path.display().to_string(),
                            source,
                        })?;
                    return Ok((path.display().to_string(), text));
                }
            }
            Ok((format!("(built-in) ontology/{name}"), builtin.to_string()))
        };
        let invalid = |file: &str, message: String| LexiconError::Invalid {
            file: file.into(),
            message,
        };

        let (file, text) = read("lexicon/post-titles.tsv")?;
        let mut post_titles = Vec::new();
        for (n, line) in data_lines(&text) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 {
                return Err(invalid(
                    &file,
                    format!("line {n}: expected title<TAB>kind<TAB>English"),
                ));
            }
            let kind = match cols[1].trim() {
                "party" => PostKind::Party,
                "government" => PostKind::Government,
                "congress" => PostKind::Congress,
                "cppcc" => PostKind::Cppcc,
                "zone" => PostKind::Zone,
                "company" => PostKind::Company,
                "other" => PostKind::Other,
                k => return Err(invalid(&file, format!("line {n}: unknown kind {k:?}"))),
            };
            let en = cols.get(2).map(|s| s.trim()).unwrap_or("");
            let title = cols[0].trim();
            if title.contains("{L}") {
                for (level, level_en) in LEVELS {
                    post_titles.push(PostTitle {
                        title: title.replace("{L}", &level.to_string()),
                        kind,
                        en: en.replace("{L}", level_en),
                        level: Some(*level),
                    });
                }
            } else {
                let level = LEVELS
                    .iter()
                    .map(|(c, _)| *c)
                    .find(|c| title.starts_with(*c) || title.starts_with(&format!("副{c}")));
                post_titles.push(PostTitle {
                    title: title.into(),
                    kind,
                    en: en.into(),
                    level,
                });
            }
        }

        let (file, text) = read("lexicon/org-suffixes.txt")?;
        let mut org_suffixes = Vec::new();
        for (n, line) in data_lines(&text) {
            let mut cols = line.split('\t');
            let suffix = cols.next().unwrap_or("").trim();
            let class = match cols.next().map(str::trim) {
                Some("corporation") => OrgClass::Corporation,
                Some("government") => OrgClass::Government,
                Some("organization") | None => OrgClass::Organization,
                Some(c) => return Err(invalid(&file, format!("line {n}: unknown class {c:?}"))),
            };
            org_suffixes.push((suffix.to_string(), class));
        }
        org_suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));

        let words = |name: &str| -> Result<Vec<String>, LexiconError> {
            let (_, text) = read(name)?;
            Ok(data_lines(&text)
                .map(|(_, l)| l.split('\t').next().unwrap_or("").trim().to_string())
                .filter(|w| !w.is_empty())
                .collect())
        };
        let mut project_suffixes = words("lexicon/project-suffixes.txt")?;
        project_suffixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        let surnames = words("lexicon/surnames.txt")?.into_iter().collect();
        let mut name_followers = words("lexicon/name-followers.txt")?;
        name_followers.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));

        let (file, text) = read("lexicon/divisions.tsv")?;
        let gazetteer = Gazetteer::parse(&text).map_err(|m| invalid(&file, m))?;

        let (file, text) = read("lexicon/genre-words.tsv")?;
        let genre = GenreWords::parse(&text).map_err(|m| invalid(&file, m))?;

        let (file, text) = read("vocab/event-types.ttl")?;
        let event_types = concepts(&text, "https://w3id.org/govkg/vocab/event-type/")
            .map_err(|m| invalid(&file, m))?;
        let (file, text) = read("vocab/roles.ttl")?;
        let roles =
            concepts(&text, "https://w3id.org/govkg/vocab/role/").map_err(|m| invalid(&file, m))?;

        Ok(Lexicon {
            post_titles,
            org_suffixes,
            project_suffixes,
            surnames,
            name_followers,
            event_types,
            roles,
            gazetteer,
            genre,
        })
    }

    /// The class an organisation name's ending gives it, if it has a known ending.
    pub fn org_class(&self, name: &str) -> Option<OrgClass> {
        self.org_suffixes
            .iter()
            .find(|(s, _)| name.ends_with(s.as_str()))
            .map(|(_, c)| *c)
    }

    pub fn event_type(&self, key: &str) -> Option<&Concept> {
        self.event_types.iter().find(|c| c.key == key)
    }

    pub fn role(&self, key: &str) -> Option<&Concept> {
        self.roles.iter().find(|c| c.key == key)
    }
}

/// Reads the SKOS concepts under `base` from a Turtle file: labels and hidden labels.
fn concepts(turtle: &str, base: &str) -> Result<Vec<Concept>, String> {
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::Term;
    const PREF: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
    const HIDDEN: &str = "http://www.w3.org/2004/02/skos/core#hiddenLabel";
    let mut out: Vec<Concept> = Vec::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
        let quad = quad.map_err(|e| e.to_string())?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            continue;
        };
        let Some(key) = subject.as_str().strip_prefix(base) else {
            continue;
        };
        if key.is_empty() || key.contains('/') {
            continue;
        }
        let Term::Literal(lit) = &quad.object else {
            continue;
        };
        let idx = match out.iter().position(|c| c.key == key) {
            Some(i) => i,
            None => {
                out.push(Concept {
                    key: key.into(),
                    iri: subject.as_str().into(),
                    label_zh: String::new(),
                    label_en: String::new(),
                    triggers: vec![],
                });
                out.len() - 1
            }
        };
        let c = &mut out[idx];
        match (quad.predicate.as_str(), lit.language()) {
            (PREF, Some("zh")) => c.label_zh = lit.value().into(),
            (PREF, Some("en")) => c.label_en = lit.value().into(),
            (HIDDEN, _) => c.triggers.push(lit.value().into()),
            _ => {}
        }
    }
    if out.is_empty() {
        return Err(format!("no concepts under {base}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genre_words_keep_their_order_and_refuse_unknown_roles() {
        let words = GenreWords::parse("# c\nlead\t会见了\nlead\t会见\nstop\t与\n").unwrap();
        assert_eq!(words.lead, ["会见了", "会见"]);
        assert!(listed(&words.stop, "与"));
        let err = GenreWords::parse("lead\t会见\nverb\t主持\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("verb"), "{err}");
        assert!(!Lexicon::builtin().genre.project_stem.is_empty());
        assert!(listed(&Lexicon::builtin().genre.candidate, "调研"));
    }

    #[test]
    fn builtin_lexicon_loads_and_expands_levels() {
        let lex = Lexicon::builtin();
        let t = lex
            .post_titles
            .iter()
            .find(|t| t.title == "区委书记")
            .unwrap();
        assert_eq!(t.kind, PostKind::Party);
        assert_eq!(t.level, Some('区'));
        assert!(lex.post_titles.iter().any(|t| t.title == "常务副县长"));
        assert!(lex.surnames.contains("黄"));
        assert!(lex
            .event_type("inspection")
            .unwrap()
            .triggers
            .iter()
            .any(|t| t == "调研"));
        assert!(lex
            .role("chair")
            .unwrap()
            .triggers
            .iter()
            .any(|t| t == "主持"));
        assert_eq!(
            lex.org_class("某某科技有限公司"),
            Some(OrgClass::Corporation)
        );
        assert_eq!(lex.org_class("某区人民政府"), Some(OrgClass::Government));
    }
}
