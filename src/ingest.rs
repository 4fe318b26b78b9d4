//! Ingest: the pipeline in order — source → text → extract → resolve → rdf →
//! store — over a batch of files and folders. A bad file is reported with its
//! path and reason and the rest of the batch still goes in; each article is
//! written in its own transaction.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use oxigraph::model::Quad;

use crate::extract::{Extraction, Extractor};
use crate::lexicon::Lexicon;
use crate::resolve::{self, KnownNames};
use crate::source::{self, Article, PartialDate};
use crate::store::{GraphStore, StoreError};
use crate::text::Document;

/// File endings taken from folders (a file named on the command line is always read).
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "text"];

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    published: Option<PartialDate>,
    progress: bool,
}

impl IngestOptions {
    /// The publication date to use for every article (overrides front matter).
    pub fn with_published(mut self, date: Option<PartialDate>) -> Self {
        self.published = date;
        self
    }
    /// Shows a progress bar on a terminal.
    pub fn with_progress(mut self, progress: bool) -> Self {
        self.progress = progress;
        self
    }
}

/// Counts of facts, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactCounts {
    pub people: usize,
    pub officials: usize,
    pub organisations: usize,
    pub posts: usize,
    pub events: usize,
    pub contacts: usize,
    pub agreements: usize,
    pub projects: usize,
}

impl FactCounts {
    fn add(&mut self, x: &Extraction) {
        self.people += x.people.len();
        self.officials += x.people.iter().filter(|p| p.official).count();
        self.organisations += x.orgs.len();
        self.posts += x.memberships.len();
        self.events += x.events.len();
        self.contacts += x.contacts.len();
        self.agreements += x.agreements.len();
        self.projects += x.projects.len();
    }
}

/// A file that could not be ingested, and why.
#[derive(Debug, Clone)]
pub struct Failure {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct IngestReport {
    pub articles: usize,
    /// Articles whose graph was already exactly as extracted.
    pub unchanged: usize,
    pub facts: FactCounts,
    pub quads_inserted: usize,
    pub failures: Vec<Failure>,
    pub warnings: Vec<(PathBuf, String)>,
}

/// One article through the pipeline, up to its quads.
pub struct Processed {
    pub article: Article,
    pub extraction: Extraction,
    pub quads: Vec<Quad>,
}

/// The reusable part of the pipeline: the lexicon and extractor.
pub struct Pipeline {
    extractor: Extractor,
}

impl Pipeline {
    pub fn new(lexicon: Lexicon) -> Pipeline {
        Pipeline {
            extractor: Extractor::new(lexicon),
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        self.extractor.lexicon()
    }

    /// Extracts, resolves and builds the quads of one article.
    pub fn process(
        &self,
        mut article: Article,
        known: &KnownNames,
        published: Option<PartialDate>,
    ) -> Processed {
        if published.is_some() {
            article.published = published;
        }
        let doc = Document::new(&article.body);
        let extraction = self.extractor.extract(&article, &doc);
        let resolved = resolve::resolve(extraction, known);
        let quads = crate::rdf::article_quads(&article, &doc, &resolved, self.lexicon());
        Processed {
            article,
            extraction: resolved.extraction,
            quads,
        }
    }
}

/// The article files named by `paths`: files as given, folders walked in name
/// order (following links, each directory once). Unreadable entries are failures.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Failure>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut seen_dirs = HashSet::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut files, &mut failures, &mut seen_dirs),
            Ok(_) => files.push(p.clone()),
            Err(e) => failures.push(Failure {
                path: p.clone(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    (files, failures)
}

fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    failures: &mut Vec<Failure>,
    seen: &mut HashSet<PathBuf>,
) {
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            failures.push(Failure {
                path: dir.to_path_buf(),
                reason: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    if !seen.insert(canonical) {
        return; // a link back to a folder already walked
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failures.push(Failure {
                path: dir.to_path_buf(),
                reason: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, files, failures, seen),
            Ok(_) => {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(|e| e.to_ascii_lowercase());
                if ext
                    .as_deref()
                    .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e))
                {
                    files.push(p);
                }
            }
            Err(e) => failures.push(Failure {
                path: p.clone(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
}

/// Ingests `paths` into `store`.
pub fn ingest(
    store: &GraphStore,
    pipeline: &Pipeline,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<IngestReport, StoreError> {
    store.load_vocabulary(crate::lexicon::VOCABULARY_FILES)?;
    let (files, failures) = collect_files(paths);
    let mut report = IngestReport {
        failures,
        ..Default::default()
    };
    let mut known = store.known_names()?;
    let bar = (options.progress && files.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} articles {elapsed_precise} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    for path in files {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        let article = match source::read_article(&path) {
            Ok(a) => a,
            Err(e) => {
                report.failures.push(Failure {
                    path,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        for n in &article.notices {
            report.warnings.push((path.clone(), n.clone()));
        }
        let processed = pipeline.process(article, &known, options.published);
        for w in &processed.extraction.warnings {
            report.warnings.push((path.clone(), w.clone()));
        }
        let graph = crate::rdf::article_graph(&processed.article);
        // A 简称 this article declares may be a node of its own from earlier articles.
        let mut merges = Vec::new();
        for o in &processed.extraction.orgs {
            let canonical = oxigraph::model::NamedNode::new_unchecked(resolve::org_iri(&o.name));
            for a in &o.aliases {
                let alias = oxigraph::model::NamedNode::new_unchecked(resolve::org_iri(a));
                if alias != canonical && store.is_organisation(&alias)? {
                    merges.push((alias, canonical.clone()));
                }
            }
        }
        let replaced = store.replace_graph(&graph, &processed.quads, &merges)?;
        if replaced.unchanged {
            report.unchanged += 1;
        }
        report.quads_inserted += replaced.inserted;
        report.articles += 1;
        report.facts.add(&processed.extraction);
        for o in &processed.extraction.orgs {
            for a in &o.aliases {
                known.insert(a, &o.name);
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report)
}
