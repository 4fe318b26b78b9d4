//! Ingest: the pipeline in order — source → text → extract → resolve → rdf →
//! store — over a batch of files and folders. A bad file is reported with its
//! path and reason and the rest of the batch still goes in. New articles are
//! bulk-loaded (each wholly present or wholly absent), changed ones replaced
//! in a transaction each; 简称 and terms of office are resolved across
//! articles once the batch is in.

use std::collections::{HashMap, HashSet};

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use oxigraph::model::Quad;

use crate::extract::lac::Lac;
use crate::extract::{Extraction, Extractor};
use crate::identity::{self, IdentityReport};
use crate::lexicon::Lexicon;
use crate::resolve::{self, KnownNames};
use crate::source::{self, Article, PartialDate};
use crate::store::{GraphStore, NewGraphs, StoreError};
use crate::text::Document;

/// File endings taken from folders (a file named on the command line is always read).
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "text"];

#[derive(Debug, Clone)]
pub struct IngestOptions {
    published: Option<PartialDate>,
    progress: bool,
    commit_quads: usize,
    window_articles: usize,
    compaction: Compaction,
}

/// Whether a batch ends by compacting the store ([`GraphStore::compact`]).
/// Compaction rewrites the whole store: after a large bulk load it shrinks the
/// store by about a third and speeds its queries, but a few articles added to
/// a large store should not pay for rewriting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compaction {
    /// When the batch wrote at least as many articles as the store held
    /// before it: a first load, or one that doubles the store.
    #[default]
    Auto,
    Always,
    Never,
}

impl Compaction {
    /// Whether a batch that wrote `written` articles (new or changed) into a
    /// store of `before` articles is compacted.
    pub fn applies(self, before: usize, written: usize) -> bool {
        match self {
            Compaction::Always => true,
            Compaction::Never => false,
            Compaction::Auto => written > 0 && written >= before,
        }
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            published: None,
            progress: false,
            commit_quads: DEFAULT_COMMIT_QUADS,
            window_articles: WINDOW_ARTICLES,
            compaction: Compaction::Auto,
        }
    }
}

impl IngestOptions {
    /// New articles are made visible together every `quads` quads (at least
    /// one article at a time): a batch killed midway keeps the articles of its
    /// commits so far.
    pub fn with_commit_quads(mut self, quads: usize) -> Self {
        self.commit_quads = quads;
        self
    }
    /// Articles whose 简称 are read before any of them is resolved and
    /// written (at least one; see [`ingest`]). A 简称 that a later window
    /// declares is merged at the end instead; each waiting article takes its
    /// text and facts in memory.
    pub fn with_window_articles(mut self, articles: usize) -> Self {
        self.window_articles = articles.max(1);
        self
    }
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
    /// When the batch ends by compacting the store (by default, [`Compaction::Auto`]).
    pub fn with_compaction(mut self, compaction: Compaction) -> Self {
        self.compaction = compaction;
        self
    }
}

/// Counts of facts, by kind. People (and officials among them) are counted
/// once each however many articles name them, as the store holds them; the
/// other kinds are counted per article.
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
    /// How long each stage of the batch took, in order (`govkg ingest --timings`).
    pub stages: Vec<(&'static str, std::time::Duration)>,
    /// The person nodes of the batch, and which are officials.
    people: HashMap<String, bool>,
}

impl IngestReport {
    /// The batch in one line, as `govkg ingest` ends.
    pub fn summary(&self, store: &Path) -> String {
        let c = self.facts;
        format!(
            "ingested {} article(s) ({} unchanged) into {}: {} people ({} officials), {} organisations, {} posts, {} events, {} contacts, {} agreements, {} projects; {} warning(s), {} failed",
            self.articles, self.unchanged, store.display(), c.people, c.officials, c.organisations,
            c.posts, c.events, c.contacts, c.agreements, c.projects, self.warnings.len(), self.failures.len()
        )
    }

    /// Counts an article's people by their nodes: homonyms apart, the same
    /// person in two articles once.
    fn count_people(&mut self, people: &[(String, bool)]) {
        for (node, official) in people {
            *self.people.entry(node.clone()).or_default() |= official;
        }
        self.facts.people = self.people.len();
        self.facts.officials = self.people.values().filter(|&&o| o).count();
    }

    /// Counts the batch's people again once the identity pass has joined
    /// nodes, so that the summary counts what the store holds.
    fn recount_people(&mut self, identity: &IdentityReport) {
        let people = std::mem::take(&mut self.people);
        let joined: Vec<(String, bool)> = people
            .into_iter()
            .map(|(node, official)| (identity.node(&node).to_string(), official))
            .collect();
        self.count_people(&joined);
    }
}

/// One article through the pipeline, up to its quads.
pub struct Processed {
    pub article: Article,
    pub extraction: Extraction,
    /// Each person's node, and whether they are an official.
    pub people: Vec<(String, bool)>,
    pub quads: Vec<Quad>,
}

/// The reusable part of the pipeline: the lexicon and extractor (with the
/// LAC model, when the run has one).
pub struct Pipeline {
    extractor: Extractor,
}

impl Pipeline {
    pub fn new(lexicon: Lexicon) -> Pipeline {
        Pipeline {
            extractor: Extractor::new(lexicon),
        }
    }

    /// Extracts with the LAC model too (see [`Extractor::with_model`]).
    pub fn with_model(mut self, lac: Option<Lac>) -> Pipeline {
        self.extractor = self.extractor.with_model(lac);
        self
    }

    pub fn lexicon(&self) -> &Lexicon {
        self.extractor.lexicon()
    }

    /// Extracts, resolves and builds the quads of one article.
    pub fn process(
        &self,
        article: Article,
        known: &KnownNames,
        published: Option<PartialDate>,
    ) -> Processed {
        self.build(self.extract(article, published), known)
    }

    /// Reads the facts of one article, before its organisations are resolved.
    pub fn extract(&self, mut article: Article, published: Option<PartialDate>) -> Extracted {
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
        Extracted {
            article,
            extraction,
        }
    }

    /// Resolves an extracted article with the 简称 in `known` and builds its quads.
    pub fn build(&self, extracted: Extracted, known: &KnownNames) -> Processed {
        let Extracted {
            article,
            extraction,
        } = extracted;
        // Split into sentences again rather than kept from extraction: a
        // window of articles waiting for its 简称 then holds only their text.
        let doc = Document::new(&article.body);
        let resolved = resolve::resolve(extraction, known, &article.url);
        let quads = crate::rdf::article_quads(&article, &doc, &resolved, self.lexicon());
        let people = resolved
            .person_nodes()
            .map(|(node, official)| (node.to_string(), official))
            .collect();
        Processed {
            article,
            extraction: resolved.extraction,
            people,
            quads,
        }
    }
}

/// One article's facts as extraction found them, its organisations not yet
/// resolved (see [`Pipeline::build`]).
pub struct Extracted {
    pub article: Article,
    pub extraction: Extraction,
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

/// Articles extracted in parallel at a time.
pub const PARALLEL_CHUNK: usize = 64;
/// Quads of new articles made visible together (see
/// [`IngestOptions::with_commit_quads`]). A commit waits for the background
/// load to finish: at 250 k ingest took 12% longer than at 500 k.
pub const DEFAULT_COMMIT_QUADS: usize = 500_000;
/// Articles whose 简称 are read before any of them is resolved (see
/// [`ingest`]). A window waits in memory as text and facts, not quads.
pub const WINDOW_ARTICLES: usize = 2048;
/// Windows extracted ahead of the writer.
const WINDOWS_AHEAD: usize = 0;

/// Articles read and extracted, in file order.
type Window = Vec<(PathBuf, Result<Extracted, String>)>;

/// What writing one article did.
#[derive(Debug, Clone, Copy, Default)]
struct Written {
    inserted: usize,
    unchanged: bool,
}

/// Writes articles to the store: an article the store does not hold yet goes
/// to a bulk load running in the background, committed (atomically) every
/// `commit_quads`; an article the store holds is replaced in its own
/// transaction. The cross-article steps run once, at the end (see
/// [`Writer::finish`]).
struct Writer<'a> {
    store: &'a GraphStore,
    commit_quads: usize,
    load: Option<NewGraphs<'a>>,
    loading: HashSet<oxigraph::model::NamedNode>,
    /// Memberships the batch wrote, whose terms of office are recomputed at the end.
    memberships: Vec<oxigraph::model::Term>,
}

impl<'a> Writer<'a> {
    fn new(store: &'a GraphStore, commit_quads: usize) -> Writer<'a> {
        Writer {
            store,
            commit_quads,
            load: None,
            loading: HashSet::new(),
            memberships: Vec::new(),
        }
    }

    fn write(&mut self, processed: &Processed) -> Result<Written, StoreError> {
        let graph = crate::rdf::article_graph(&processed.article);
        if self.loading.contains(&graph) {
            // The same article twice in a batch: the later one replaces the first.
            self.commit()?;
        }
        // Terms are refreshed even for an unchanged article: an earlier run may
        // have stopped before it did.
        self.memberships
            .extend(GraphStore::memberships_in(&processed.quads));
        if !self.store.has_graph(&graph)? {
            self.loading.insert(graph);
            let load = self.load.get_or_insert_with(|| self.store.new_graphs());
            load.add(processed.quads.iter().cloned())?;
            if load.len() >= self.commit_quads {
                self.commit()?;
            }
            return Ok(Written {
                inserted: processed.quads.len(),
                unchanged: false,
            });
        }
        let replaced = self.store.replace_graph(&graph, &processed.quads)?;
        Ok(Written {
            inserted: replaced.inserted,
            unchanged: replaced.unchanged,
        })
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if let Some(load) = self.load.take() {
            load.commit()?;
        }
        self.loading.clear();
        Ok(())
    }

    /// The cross-article steps, as `govkg resolve` runs them, once the batch is
    /// in: organisation nodes named by a 简称 that the store's articles declare
    /// unambiguously are merged onto the full name, and the observed terms of
    /// office are recomputed for every membership the batch or the merge
    /// touched (derived from all articles: recomputing them at every commit
    /// made ingest slow down as the store grew).
    fn finish(
        mut self,
        known: &KnownNames,
        gaz: &crate::gazetteer::Gazetteer,
        stages: &mut Stages,
    ) -> Result<IdentityReport, StoreError> {
        self.commit()?;
        let (_, touched) = merge_declared_aliases(self.store, known)?;
        stages.end("简称 merges");
        let identity = identity::apply(self.store, gaz)?;
        stages.end("identity of people");
        let mut memberships = std::mem::take(&mut self.memberships);
        memberships.extend(touched);
        memberships.sort_by_cached_key(|t| t.to_string());
        memberships.dedup();
        self.store.refresh_terms(&memberships)?;
        stages.end("terms of office");
        Ok(identity)
    }
}

/// The time each stage of a batch took: a stage ends where the next begins.
struct Stages {
    since: std::time::Instant,
    done: Vec<(&'static str, std::time::Duration)>,
}

impl Stages {
    fn start() -> Stages {
        Stages {
            since: std::time::Instant::now(),
            done: Vec::new(),
        }
    }
    fn end(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.done.push((stage, now - self.since));
        self.since = now;
    }
}

/// Reads and processes a chunk of files in parallel, keeping their order.
fn process_chunk(
    pipeline: &Pipeline,
    chunk: &[PathBuf],
    known: &KnownNames,
    published: Option<PartialDate>,
) -> Vec<(PathBuf, Result<Processed, String>)> {
    build_chunk(pipeline, extract_window(pipeline, chunk, published), known)
}

/// Reads and extracts a window of files in parallel, keeping their order.
fn extract_window(
    pipeline: &Pipeline,
    window: &[PathBuf],
    published: Option<PartialDate>,
) -> Window {
    use rayon::prelude::*;
    window
        .par_iter()
        .map(|path| {
            let result = source::read_article(path)
                .map(|article| pipeline.extract(article, published))
                .map_err(|e| e.to_string());
            (path.clone(), result)
        })
        .collect()
}

/// Adds the 简称 that the articles of `window` declare to `known`.
fn declare(known: &mut KnownNames, window: &Window) {
    let before = known.clone();
    for (_, extracted) in window {
        if let Ok(e) = extracted {
            known.declare(&e.extraction, &before);
        }
    }
}

/// Resolves and builds a chunk of extracted articles in parallel, keeping their order.
fn build_chunk(
    pipeline: &Pipeline,
    chunk: Window,
    known: &KnownNames,
) -> Vec<(PathBuf, Result<Processed, String>)> {
    use rayon::prelude::*;
    chunk
        .into_par_iter()
        .map(|(path, extracted)| (path, extracted.map(|e| pipeline.build(e, known))))
        .collect()
}

/// Ingests `paths` into `store`.
///
/// Articles are extracted on a thread of their own, a window (of
/// [`WINDOW_ARTICLES`] by default) ahead of the writer. Each window is
/// resolved with the 简称 that the store knew before the batch and that the
/// batch's windows so far declare, this window's included, so that a 简称
/// used in one article and declared in another is mostly written under the
/// full name at once: moving what was written under a 简称 onto the full name
/// cost as much as loading it. What is left (a 简称 first declared by a later
/// window) is merged at the end, as `govkg resolve` does, and an article
/// resolved with a 简称 that turned ambiguous (declared for another
/// organisation by a later window) is built again; so the quads depend
/// neither on the order nor on the grouping of the files. Resolving with the
/// 简称 of windows extracted ahead too was tried and dropped: more articles
/// were resolved with a 简称 that a later window made ambiguous, and building
/// one again (extracting it and replacing its graph) costs far more than
/// moving the few quads the merge moves for it (10,000 generated articles:
/// 324 s and 374 s, peak 1.2 GB, against 359 s and 938 MB).
pub fn ingest(
    store: &GraphStore,
    pipeline: &Pipeline,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<IngestReport, StoreError> {
    store.load_vocabulary(crate::lexicon::VOCABULARY_FILES)?;
    let articles_before = store.article_graphs()?.len();
    let (files, failures) = collect_files(paths);
    let mut report = IngestReport {
        failures,
        ..Default::default()
    };
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
    let mut stages = Stages::start();
    let mut writer = Writer::new(store, options.commit_quads);
    let mut known = store.known_names()?;
    stages.end("store's 简称");
    // (name, canonical name) → the files whose articles resolved the name to
    // that organisation through a 简称.
    let mut resolved_by: HashMap<(String, String), Vec<PathBuf>> = HashMap::new();
    std::thread::scope(|scope| -> Result<(), StoreError> {
        let (sender, windows) = std::sync::mpsc::sync_channel(WINDOWS_AHEAD);
        scope.spawn(|| {
            for window in files.chunks(options.window_articles) {
                let extracted = extract_window(pipeline, window, options.published);
                if sender.send(extracted).is_err() {
                    break; // the writer stopped on an error
                }
            }
            drop(sender);
        });
        for mut window in windows {
            declare(&mut known, &window);
            while !window.is_empty() {
                let rest = window.split_off(window.len().min(PARALLEL_CHUNK));
                let chunk = std::mem::replace(&mut window, rest);
                for (path, result) in build_chunk(pipeline, chunk, &known) {
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
                        let canonical = known.canonical(&o.name);
                        if canonical != o.name {
                            resolved_by
                                .entry((o.name.clone(), canonical.to_string()))
                                .or_default()
                                .push(path.clone());
                        }
                    }
                    let written = writer.write(&processed)?;
                    if written.unchanged {
                        report.unchanged += 1;
                    }
                    report.quads_inserted += written.inserted;
                    report.articles += 1;
                    report.facts.add(&processed.extraction);
                    report.count_people(&processed.people);
                }
            }
        }
        Ok(())
    })?;
    stages.end("extract and load");
    // A 简称 that a later article of the batch declares for another
    // organisation is ambiguous and names neither: articles resolved with it
    // are built again.
    writer.commit()?;
    stages.end("last bulk-load commit");
    let known = store.known_names()?;
    let mut redo: Vec<PathBuf> = resolved_by
        .into_iter()
        .filter(|((name, canonical), _)| known.canonical(name) != canonical)
        .flat_map(|(_, files)| files)
        .collect();
    redo.sort_unstable();
    redo.dedup();
    for chunk in redo.chunks(PARALLEL_CHUNK) {
        for (path, result) in process_chunk(pipeline, chunk, &known, options.published) {
            match result {
                Ok(processed) => {
                    writer.write(&processed)?;
                }
                Err(reason) => report.failures.push(Failure { path, reason }),
            }
        }
    }
    // Redone articles may declare their 简称 otherwise: then read them again
    // (reading them takes seconds on a large store).
    let known = if redo.is_empty() {
        known
    } else {
        writer.commit()?;
        store.known_names()?
    };
    stages.end("简称 read again, articles redone");
    let identity = writer.finish(&known, &pipeline.lexicon().gazetteer, &mut stages)?;
    report.recount_people(&identity);
    // Compacting before the cross-article steps made them far faster (they
    // read across a store the bulk loader left in many overlapping files) but
    // left the store a third larger: RocksDB does not rewrite the files of its
    // last level that a bulk load put there (10,000 generated articles: 298 s
    // and 3,780 MiB, against 359 s and 2,857 MiB compacted last).
    let written = report.articles - report.unchanged;
    if options.compaction.applies(articles_before, written) {
        store.compact()?;
        stages.end("compaction");
    }
    report.stages = stages.done;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report)
}

/// What `govkg load` did.
#[derive(Debug, Default, Clone)]
pub struct LoadReport {
    pub files: usize,
    pub resolved: ResolveReport,
    /// Whether the store was compacted at the end.
    pub compacted: bool,
    /// How long each stage took, in order (`govkg load --timings`).
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

/// Bulk-loads N-Quads files (from `govkg extract`, one shard each) into the
/// store, each atomically, with the organisation nodes named by a 简称 that
/// the files or the store declare merged on the way in (counted as merged),
/// then resolves across articles as an ingest's end does ([`resolve_store`])
/// and compacts as `compaction` says (counting the
/// article graphs the files added).
pub fn load(
    store: &GraphStore,
    files: &[PathBuf],
    gaz: &crate::gazetteer::Gazetteer,
    compaction: Compaction,
) -> Result<LoadReport, StoreError> {
    let mut stages = Stages::start();
    store.load_vocabulary(crate::lexicon::VOCABULARY_FILES)?;
    let before = store.article_graphs()?.len();
    // The 简称 the files declare, with the store's: what the merge would move
    // once loaded is written under the full name at once (moving it cost as
    // much as loading it). What a merge declares in turn is left to the end.
    let mut known = store.known_names()?;
    for f in files {
        for (label, alias) in crate::store::declared_in_nquads(f)? {
            known.insert(&alias, &label);
        }
    }
    let aliases = crate::store::AliasNodes::new(&known);
    // Alias nodes exist after the load only where the store held them before
    // (the files' are renamed on the way in): when it held none, the merge
    // has nothing to move and need not read the store's 简称 again, which on
    // a store just bulk-loaded into many overlapping files is slow (77 s
    // after 10,000 articles).
    let stored_aliases = aliases.any_in(store)?;
    stages.end("简称 the files declare");
    let mut renamed = HashSet::new();
    for f in files {
        store.load_nquads(f, &aliases, &mut renamed)?;
    }
    stages.end("bulk load");
    let mut resolved = resolve(store, gaz, &mut stages, stored_aliases)?;
    resolved.merged += renamed.len();
    let added = store.article_graphs()?.len().saturating_sub(before);
    let compacted = compaction.applies(before, added);
    if compacted {
        store.compact()?;
        stages.end("compaction");
    }
    Ok(LoadReport {
        files: files.len(),
        resolved,
        compacted,
        stages: stages.done,
    })
}

/// What [`remove`] did, by the articles' URLs.
#[derive(Debug, Default, Clone)]
pub struct RemoveReport {
    /// Articles taken out of the store.
    pub removed: Vec<String>,
    /// Articles named that the store did not hold.
    pub missing: Vec<String>,
}

/// Takes articles out of the store (their entities go with them). Each is
/// named by its URL, or by a file: the URL of its front matter, else the
/// file's own `file:` URL. The links between people are recomputed when any
/// was removed, since a link may have rested on a removed article.
pub fn remove(
    store: &GraphStore,
    articles: &[String],
    gaz: &crate::gazetteer::Gazetteer,
) -> Result<RemoveReport, StoreError> {
    let mut report = RemoveReport::default();
    for name in articles {
        let path = Path::new(name);
        // Only a file is read (a URL is no path to try), and one that cannot
        // be read is named by what was given.
        let url = match path.is_file().then(|| crate::source::read_article(path)) {
            Some(Ok(article)) => article.url,
            _ => name.clone(),
        };
        if store.remove_graph(&crate::rdf::article_graph_for_url(&url))? {
            report.removed.push(url);
        } else {
            report.missing.push(url);
        }
    }
    if !report.removed.is_empty() {
        identity::apply(store, gaz)?;
    }
    Ok(report)
}

/// What a resolve pass did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ResolveReport {
    /// Organisation nodes merged onto their canonical node.
    pub merged: usize,
    /// Person nodes joined to another's (see [`identity`]).
    pub people_joined: usize,
}

/// The cross-article steps as one pass over the store: every organisation node
/// named by a 简称 that some article declares unambiguously is merged onto the
/// fully named node, and every term of office is recomputed. Used after loading
/// N-Quads extracted elsewhere (`govkg extract` … `govkg load`); ingest does the
/// same at the end of each batch.
pub fn resolve_store(
    store: &GraphStore,
    gaz: &crate::gazetteer::Gazetteer,
) -> Result<ResolveReport, StoreError> {
    resolve(store, gaz, &mut Stages::start(), true)
}

/// [`resolve_store`], timing its stages as an ingest's end names them.
fn resolve(
    store: &GraphStore,
    gaz: &crate::gazetteer::Gazetteer,
    stages: &mut Stages,
    merge: bool,
) -> Result<ResolveReport, StoreError> {
    let (merged, _) = if merge {
        merge_declared_aliases(store, &store.known_names()?)?
    } else {
        (0, Vec::new())
    };
    stages.end("简称 merges");
    let identity = identity::apply(store, gaz)?;
    stages.end("identity of people");
    store.rebuild_terms()?;
    stages.end("terms of office");
    Ok(ResolveReport {
        merged,
        people_joined: identity.merged,
    })
}

/// Merges every organisation node named by a 简称 that `known` (the store's
/// declarations) gives unambiguously onto the fully named node. Returns how many nodes were
/// merged and the memberships whose terms must be recomputed.
///
/// A merge can declare more: the merged node's alternate names become the
/// full name's, so a 简称 that an article gave for an alias node names the
/// full name only once that node is merged. The store's 简称 are read again
/// and merged until a pass merges nothing, so that the end of a batch leaves
/// what `govkg resolve` would (a batch cut short by a crash and run again,
/// or split in two, must end as the whole batch run at once).
fn merge_declared_aliases(
    store: &GraphStore,
    known: &KnownNames,
) -> Result<(usize, Vec<oxigraph::model::Term>), StoreError> {
    /// Passes at most: each merges what the last one declared, and chains of
    /// 简称 are short; the bound keeps a cycle of declarations from looping.
    const PASSES: usize = 8;
    let merge = |known: &KnownNames| {
        let mut aliases = Vec::new();
        for (alias, canonical) in known.pairs() {
            let node = |n: &str| oxigraph::model::NamedNode::new_unchecked(resolve::org_iri(n));
            aliases.push((node(alias), node(canonical), canonical.to_string()));
        }
        store.merge_aliases(&aliases)
    };
    let (mut merged, mut touched) = merge(known)?;
    let mut last = merged;
    for _ in 1..PASSES {
        if last == 0 {
            break;
        }
        let (more, memberships) = merge(&store.known_names()?)?;
        merged += more;
        touched.extend(memberships);
        last = more;
    }
    Ok((merged, touched))
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

#[cfg(test)]
mod tests {
    use super::Compaction;

    #[test]
    fn a_batch_compacts_a_store_it_at_least_doubles() {
        // (articles before, articles written, compacted by default?)
        for (before, written, compacted) in [
            (0, 1, true),
            (0, 0, false),
            (100, 100, true),
            (100, 99, false),
            (10_000, 50, false),
        ] {
            assert_eq!(
                Compaction::Auto.applies(before, written),
                compacted,
                "{before} {written}"
            );
        }
        assert!(Compaction::Always.applies(10_000, 0));
        assert!(!Compaction::Never.applies(0, 10));
    }
}
