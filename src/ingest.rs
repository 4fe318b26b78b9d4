//! Ingest: the pipeline in order — source → text → extract → resolve → rdf →
//! store — over a batch of files and folders. A bad file is reported with its
//! path and reason and the rest of the batch still goes in; each article is
//! written in its own transaction.

use std::collections::{HashMap, HashSet};

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
        if doc.cut_sentences > 0 {
            article.notices.push(format!(
                "text without sentence ends was cut into pieces of {} characters ({} cuts)",
                crate::text::MAX_SENTENCE_CHARS,
                doc.cut_sentences
            ));
        }
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

/// Articles extracted in parallel before their quads are written (each
/// resolved with the names known before its chunk; `tests/crash.rs` relies on it).
pub const PARALLEL_CHUNK: usize = 64;
/// Quads gathered before a bulk load.
const BULK_QUADS: usize = 400_000;

/// What writing one article did.
#[derive(Debug, Clone, Copy, Default)]
struct Written {
    inserted: usize,
    unchanged: bool,
}

/// Writes articles to the store: an article the store does not hold yet goes
/// into a buffer that is bulk-loaded (atomically) when large enough; an article
/// the store holds is replaced in its own transaction. Observed terms of office
/// are recomputed for every membership the batch touches.
struct Writer<'a> {
    store: &'a GraphStore,
    pending: Vec<Quad>,
    pending_graphs: HashSet<oxigraph::model::NamedNode>,
    refresh: Vec<oxigraph::model::Term>,
    /// (alias, canonical name) for every 简称 seen.
    aliases: Vec<(String, String)>,
}

impl<'a> Writer<'a> {
    fn new(store: &'a GraphStore) -> Writer<'a> {
        Writer {
            store,
            pending: Vec::new(),
            pending_graphs: HashSet::new(),
            refresh: Vec::new(),
            aliases: Vec::new(),
        }
    }

    fn write(&mut self, processed: &Processed, known: &KnownNames) -> Result<Written, StoreError> {
        let graph = crate::rdf::article_graph(&processed.article);
        // A 简称 this article declares may be a node of its own from other
        // articles: such nodes are merged once the batch is written.
        for o in &processed.extraction.orgs {
            let canonical = known.canonical(&o.name).to_string();
            for a in o.aliases.iter().chain(std::iter::once(&o.name)) {
                if *a != canonical {
                    self.aliases.push((a.clone(), canonical.clone()));
                }
            }
        }
        if self.pending_graphs.contains(&graph) {
            self.flush()?;
        }
        let memberships = GraphStore::memberships_in(&processed.quads);
        if !self.store.has_graph(&graph)? {
            self.pending_graphs.insert(graph);
            self.pending.extend(processed.quads.iter().cloned());
            self.refresh.extend(memberships);
            let inserted = processed.quads.len();
            if self.pending.len() >= BULK_QUADS {
                self.flush()?;
            }
            return Ok(Written {
                inserted,
                unchanged: false,
            });
        }
        let replaced = self.store.replace_graph(&graph, &processed.quads)?;
        if replaced.unchanged {
            // Terms are refreshed anyway: an earlier run may have stopped before it did.
            self.refresh.extend(memberships);
        }
        Ok(Written {
            inserted: replaced.inserted,
            unchanged: replaced.unchanged,
        })
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if !self.pending.is_empty() {
            self.store
                .insert_new_graphs(std::mem::take(&mut self.pending))?;
        }
        self.pending_graphs.clear();
        let mut refresh = std::mem::take(&mut self.refresh);
        refresh.sort_by_cached_key(|t| t.to_string());
        refresh.dedup();
        self.store.refresh_terms(&refresh)
    }

    fn finish(mut self, known: &KnownNames) -> Result<(), StoreError> {
        self.flush()?;
        let mut names = std::mem::take(&mut self.aliases);
        names.sort();
        names.dedup();
        // Merge only what the names say unambiguously at the end of the batch.
        let aliases: Vec<_> = names
            .into_iter()
            .filter(|(alias, canonical)| known.canonical(alias) == canonical.as_str())
            .map(|(alias, canonical)| {
                let node = |n: &str| oxigraph::model::NamedNode::new_unchecked(resolve::org_iri(n));
                (node(&alias), node(&canonical), canonical)
            })
            .collect();
        let touched = self.store.merge_aliases(&aliases)?;
        self.store.refresh_terms(&touched)
    }
}

/// Reads and processes a chunk of files in parallel, keeping their order.
fn process_chunk(
    pipeline: &Pipeline,
    chunk: &[PathBuf],
    known: &KnownNames,
    published: Option<PartialDate>,
) -> Vec<(PathBuf, Result<Processed, String>)> {
    use rayon::prelude::*;
    chunk
        .par_iter()
        .map(|path| {
            let result = source::read_article(path)
                .map(|article| pipeline.process(article, known, published))
                .map_err(|e| e.to_string());
            (path.clone(), result)
        })
        .collect()
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
    let mut writer = Writer::new(store);
    // name → the files (indices) whose articles resolved it through a 简称
    // known at the time.
    let mut resolved_by: HashMap<String, Vec<usize>> = HashMap::new();
    // Extraction runs in parallel, a chunk of articles at a time; writes stay in order.
    for (c, chunk) in files.chunks(PARALLEL_CHUNK).enumerate() {
        let processed = process_chunk(pipeline, chunk, &known, options.published);
        for (i, (_, result)) in processed.iter().enumerate() {
            for o in result.iter().flat_map(|p| &p.extraction.orgs) {
                if known.canonical(&o.name) != o.name {
                    let file = c * PARALLEL_CHUNK + i;
                    resolved_by.entry(o.name.clone()).or_default().push(file);
                }
            }
        }
        for (path, result) in processed {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            let processed = match result {
                Ok(p) => p,
                Err(reason) => {
                    report.failures.push(Failure { path, reason });
                    continue;
                }
            };
            for n in &processed.article.notices {
                report.warnings.push((path.clone(), n.clone()));
            }
            for w in &processed.extraction.warnings {
                report.warnings.push((path.clone(), w.clone()));
            }
            for o in &processed.extraction.orgs {
                let canonical = known.canonical(&o.name).to_string();
                for a in &o.aliases {
                    known.insert(a, &canonical);
                }
            }
            let written = writer.write(&processed, &known)?;
            if written.unchanged {
                report.unchanged += 1;
            }
            report.quads_inserted += written.inserted;
            report.articles += 1;
            report.facts.add(&processed.extraction);
        }
    }
    // A 简称 that a later article of the batch declares for another organisation
    // is ambiguous and names neither: articles resolved with it before are
    // redone, so that the batch does not depend on how it was chunked.
    let mut redo: Vec<usize> = resolved_by
        .into_iter()
        .filter(|(name, _)| known.canonical(name) == name.as_str())
        .flat_map(|(_, files)| files)
        .collect();
    redo.sort_unstable();
    redo.dedup();
    let redo: Vec<PathBuf> = redo.into_iter().map(|i| files[i].clone()).collect();
    for chunk in redo.chunks(PARALLEL_CHUNK) {
        for (path, result) in process_chunk(pipeline, chunk, &known, options.published) {
            match result {
                Ok(processed) => {
                    writer.write(&processed, &known)?;
                }
                Err(reason) => report.failures.push(Failure { path, reason }),
            }
        }
    }
    writer.finish(&known)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report)
}

/// What a resolve pass did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ResolveReport {
    /// Organisation nodes merged onto their canonical node.
    pub merged: usize,
}

/// The cross-article steps as one pass over the store: every organisation node
/// named by a 简称 that some article declares unambiguously is merged onto the
/// fully named node, and every term of office is recomputed. Used after loading
/// N-Quads extracted elsewhere (`govkg extract` … `govkg load`); ingest does the
/// same for the articles of its batch.
pub fn resolve_store(store: &GraphStore) -> Result<ResolveReport, StoreError> {
    let known = store.known_names()?;
    let mut aliases = Vec::new();
    for (alias, canonical) in known.pairs() {
        let node = |n: &str| oxigraph::model::NamedNode::new_unchecked(resolve::org_iri(n));
        aliases.push((node(alias), node(canonical), canonical.to_string()));
    }
    let before = aliases
        .iter()
        .filter(|(a, _, _)| store.is_organisation(a).unwrap_or(false))
        .count();
    store.merge_aliases(&aliases)?;
    store.rebuild_terms()?;
    Ok(ResolveReport { merged: before })
}

/// Extracts articles without a store: their quads as N-Quads, in file order.
/// IRIs depend only on the articles, so shards extracted on different machines
/// can be loaded together.
pub fn extract_to_nquads(
    pipeline: &Pipeline,
    paths: &[PathBuf],
    published: Option<PartialDate>,
    out: &mut dyn std::io::Write,
) -> Result<(usize, Vec<Failure>), std::io::Error> {
    let (files, mut failures) = collect_files(paths);
    let known = KnownNames::default();
    let mut articles = 0;
    let mut serializer =
        oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NQuads).for_writer(out);
    for chunk in files.chunks(PARALLEL_CHUNK) {
        let processed = process_chunk(pipeline, chunk, &known, published);
        for (path, result) in processed {
            match result {
                Ok(p) => {
                    articles += 1;
                    for q in &p.quads {
                        serializer.serialize_quad(q)?;
                    }
                }
                Err(reason) => failures.push(Failure { path, reason }),
            }
        }
    }
    serializer.finish()?;
    Ok((articles, failures))
}
