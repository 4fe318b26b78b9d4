//! The `govkg` command line: parses arguments, calls the library, maps errors
//! to exit codes. A closed pipe (`govkg query … | head`) is not an error.

/// mimalloc: extraction allocates and frees many small strings, and took a
/// quarter of its time in glibc's allocator (1,000 articles: ingest 22.0 →
/// 17.7 s). It also replaces C's `malloc`/`free` (the `override` feature):
/// Oxigraph frees RocksDB's error strings as Rust `CString`s, so both sides
/// must share one allocator; without it a locked store crashed the second
/// process (`a_second_writer_or_reader_fails_at_once_and_changes_nothing`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use govkg::extract::lac::{self, Lac};
use govkg::graph::{export, KnowledgeGraph};
use govkg::ingest::{self, Compaction, IngestOptions, Pipeline};
use govkg::lexicon::Lexicon;
use govkg::query::{self, OutputFormat, QueryOptions};
use govkg::source::PartialDate;
use govkg::store::GraphStore;
use govkg::timing::TimingPlan;

#[derive(Parser)]
#[command(
    name = "govkg",
    version,
    about = "Chinese local-government news → a knowledge graph you can query, draw and cite"
)]
struct Cli {
    /// The store directory.
    #[arg(
        long,
        global = true,
        env = "GOVKG_STORE",
        default_value = "govkg-store"
    )]
    store: PathBuf,
    /// An ontology folder whose lexicon files replace the built-in ones.
    #[arg(long, global = true, env = "GOVKG_ONTOLOGY")]
    ontology: Option<PathBuf>,
    /// The NER model's folder (Baidu LAC, fetched by scripts/setup.sh).
    /// Default: models/lac here, else beside the executable or two folders
    /// above it. Without a model, extraction runs on rules alone.
    #[arg(long, global = true, env = "GOVKG_MODEL", value_name = "DIR")]
    model: Option<PathBuf>,
    /// Extract with rules alone, without loading the NER model (for bulk runs).
    #[arg(
        long,
        global = true,
        env = "GOVKG_NO_MODEL",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    no_model: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum LinksAction {
    /// Pairs of person nodes that may be one person, for an analyst to decide.
    Candidates {
        #[arg(long, value_enum, default_value = "table")]
        format: LinksFormat,
    },
    /// The two nodes (IRIs) are one person: join them.
    Confirm { a: String, b: String },
    /// The two nodes are two people: never join them.
    Reject { a: String, b: String },
    /// Take back a confirmation or rejection of the two nodes.
    Withdraw { a: String, b: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LinksFormat {
    Table,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (files or folders) into the store.
    Ingest {
        /// Publication date (YYYY-MM-DD, YYYY-MM or YYYY) for every article.
        #[arg(long)]
        published: Option<String>,
        /// New articles become visible together every this many quads: fewer
        /// lose less to a crash, more load faster.
        #[arg(long, default_value_t = ingest::DEFAULT_COMMIT_QUADS)]
        commit_quads: usize,
        /// Articles whose 简称 are read before any of them is written: a
        /// 简称 declared in a later window is merged at the end instead.
        /// Fewer use less memory (each waits as its text and facts).
        #[arg(long, default_value_t = ingest::WINDOW_ARTICLES)]
        window_articles: usize,
        /// Print how long each stage of the batch took.
        #[arg(long)]
        timings: bool,
        /// Compact the store at the end: `auto` when the batch wrote at least
        /// as many articles as the store held (a first load, or one that
        /// doubles it).
        #[arg(long, value_enum, default_value_t = CompactWhen::Auto)]
        compact: CompactWhen,
        /// Articles: .txt/.md/.html files, or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Extract articles to N-Quads without a store (for sharding across machines).
    Extract {
        #[arg(long)]
        published: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Bulk-load N-Quads (from `govkg extract`) into the store, then resolve.
    Load {
        /// Compact the store at the end (`auto`: when the files added at
        /// least as many articles as the store held).
        #[arg(long, value_enum, default_value_t = CompactWhen::Auto)]
        compact: CompactWhen,
        /// Print how long each stage took (bulk load, 简称 merges, identity,
        /// terms of office, compaction).
        #[arg(long)]
        timings: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Take articles out of the store, by URL or by the file they were read from.
    Remove {
        #[arg(required = true)]
        articles: Vec<String>,
    },
    /// Run the cross-article steps over the whole store: 简称 merging, person
    /// identity, terms of office.
    Resolve,
    /// Person links across articles: candidates, and an analyst's decisions.
    ///
    /// `candidates` lists pairs of person nodes of one name in one city or
    /// province whose reported terms do not overlap; `confirm`, `reject` and
    /// `withdraw` decide on a pair. Decisions are kept in the store's curation
    /// graph, survive re-ingest, and take effect at once.
    Links {
        #[command(subcommand)]
        action: LinksAction,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all articles.
    Query {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Read the query from a file (e.g. ontology/queries/meetings.rq).
        #[arg(long, conflicts_with = "query")]
        file: Option<PathBuf>,
        /// Cancel the query after this many seconds.
        #[arg(long)]
        timeout: Option<f64>,
        /// Bind a query variable before evaluation: NAME=VALUE (repeatable).
        /// A YYYY-MM-DD value is an xsd:date, <…> an IRI, Chinese text a @zh literal, anything else a string.
        #[arg(long = "bind", value_name = "NAME=VALUE")]
        bindings: Vec<String>,
        /// Run the query to its end without printing its results, then print
        /// Oxigraph's plan with the rows and time of each step (to shape a slow query).
        #[arg(long, conflicts_with_all = ["format", "timeout"])]
        explain: bool,
        /// The query text.
        query: Option<String>,
    },
    /// Draw the graph: Graphviz DOT, SVG, GraphML, JSON, or the RDF itself.
    Export {
        #[arg(long, value_enum, default_value = "dot")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Label language: Chinese, or pinyin.
        #[arg(long, value_enum, default_value = "zh")]
        labels: LabelChoice,
        /// Render SVG with the built-in layout even when Graphviz is installed.
        #[arg(long)]
        builtin_renderer: bool,
        #[command(flatten)]
        filter: GraphArgs,
    },
    /// List meetings between officials and organisations, with posts and evidence.
    Trace {
        /// An official's name (everyone who bears it), or a person node's IRI.
        #[arg(long)]
        official: Option<String>,
        /// An organisation's full name or 简称.
        #[arg(long)]
        org: Option<String>,
        /// A district: meetings held there, or by officials holding a post there.
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: RowFormat,
    },
    /// Changes of post read from the observed terms of office: a post whose
    /// holder changed, a person seen in a new post, a person no longer
    /// reported in a post. An article that does not mention someone is never a
    /// change: each needs a later report that says something else.
    Changes {
        /// Changes first seen on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Changes of posts in this place or organisation (its name).
        #[arg(long)]
        place: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: RowFormat,
    },
    /// The briefing on a district or a city for a period: each official's
    /// dated activities, the organisations met, agreements, projects, contacts
    /// per week and the relationship map, every fact with its sentence. One
    /// self-contained HTML file (no network), Markdown, JSON, or PDF (printed
    /// by Chromium).
    #[command(group(clap::ArgGroup::new("place").required(true).args(["district", "city"])))]
    Brief {
        /// A district's full name (南山区).
        #[arg(long)]
        district: Option<String>,
        /// A city's full name (深圳市): its districts included.
        #[arg(long)]
        city: Option<String>,
        /// First day (YYYY-MM-DD). Without --from and --to: the Monday-to-Sunday
        /// week of the place's latest dated activity.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD); with one end alone, the period is a week.
        #[arg(long)]
        to: Option<String>,
        /// Weeks of contacts in the chart, ending with the last day.
        #[arg(long, default_value_t = 8)]
        weeks: usize,
        #[arg(long, value_enum, default_value = "html")]
        format: BriefFormat,
        /// Write to this file (needed for PDF) instead of standard output.
        #[arg(long, short, required_if_eq("format", "pdf"))]
        output: Option<PathBuf>,
        /// Leave the relationship map out.
        #[arg(long)]
        no_map: bool,
    },
    /// The shortest chains linking two entities, with the evidence for each hop.
    ///
    /// An entity is a name (a person's, an organisation's full name or 简称)
    /// or a node's IRI; a name that several people share must be given as one
    /// of their IRIs, which the error lists.
    Path {
        from_name: String,
        to_name: String,
        /// At most this many chains.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        #[command(flatten)]
        filter: GraphArgs,
    },
    /// Who is most connected: degree and betweenness over officials and organisations.
    Rank {
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long, value_enum, default_value = "table")]
        format: RowFormat,
        #[command(flatten)]
        filter: GraphArgs,
    },
    /// Write a generated corpus for benchmarks and crash tests.
    #[command(hide = true)]
    Generate {
        #[arg(long, default_value_t = 1000)]
        articles: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Also write who each official named is (url, name, person number;
        /// TSV), for scoring person identity.
        #[arg(long)]
        truth: Option<PathBuf>,
        /// Also write the posts that changed hands between two reports of them
        /// (date, post, before, after; TSV), for scoring `govkg changes`.
        #[arg(long)]
        turnovers: Option<PathBuf>,
    },
    /// Time queries in one process: p50/p99 latency over repeated runs.
    #[command(hide = true)]
    TimeQueries {
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Also time `trace --official NAME` and each query scoped to NAME.
        #[arg(long)]
        official: Option<String>,
        /// Only the scoped queries and the trace.
        #[arg(long)]
        scoped_only: bool,
        /// Also time each query whose SELECT projects ?VAR with it bound to
        /// VALUE (repeatable): `--scope party=某公司 --scope district=某区`.
        #[arg(long = "scope", value_name = "VAR=VALUE")]
        scopes: Vec<String>,
        files: Vec<PathBuf>,
    },
    /// Serve the store: a SPARQL 1.1 endpoint at /sparql and the workbench at /.
    /// The server owns the store while it runs; other govkg commands on it fail at once.
    Serve {
        /// The address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: std::net::SocketAddr,
        /// Cancel a query after this many seconds.
        #[arg(long, default_value_t = 30.0)]
        timeout: f64,
        /// Refuse results with more rows (or triples) than this.
        #[arg(long, default_value_t = 100_000)]
        max_rows: usize,
        /// Refuse request bodies larger than this many bytes (413).
        #[arg(long, default_value_t = 8 * 1024 * 1024)]
        max_body: u64,
        /// Accept SPARQL updates (refused by default).
        #[arg(long)]
        allow_update: bool,
        /// Allow cross-origin requests from this origin (`*` for any).
        #[arg(long)]
        cors: Option<String>,
    },
    /// Check the graph against the SHACL shapes in ontology/shapes.ttl.
    Validate {
        /// A shapes file to use instead of the built-in ontology/shapes.ttl.
        #[arg(long)]
        shapes: Option<PathBuf>,
    },
}

/// Filters shared by the graph commands.
#[derive(clap::Args, Clone, Default)]
struct GraphArgs {
    /// Keep what is in this district (and who took part in its events).
    #[arg(long)]
    district: Option<String>,
    /// Keep dated facts on or after this date (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Keep dated facts on or before this date (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Keep what lies around this person.
    #[arg(long)]
    person: Option<String>,
    /// Keep what lies around this organisation (full name or 简称).
    #[arg(long)]
    org: Option<String>,
    /// Hops around --person/--org to keep (default 2).
    #[arg(long)]
    depth: Option<usize>,
    /// Node kinds to keep, comma-separated: official,person,place,government_body,organisation,project,event.
    #[arg(long, value_delimiter = ',')]
    kinds: Option<Vec<String>>,
    /// Drop event nodes, keeping the dated edges they imply (met, signed with).
    #[arg(long)]
    fold_events: bool,
}

impl GraphArgs {
    fn filter(&self) -> Result<govkg::graph::Filter> {
        for d in [&self.from, &self.to].into_iter().flatten() {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                bail!("{d:?}: dates are YYYY-MM-DD");
            }
        }
        let kinds = match &self.kinds {
            Some(ks) => Some(
                ks.iter()
                    .map(|k| {
                        govkg::graph::NodeKind::parse(k)
                            .with_context(|| format!("unknown node kind {k:?}"))
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            None => None,
        };
        Ok(govkg::graph::Filter::default()
            .with_district(self.district.clone())
            .with_period(self.from.clone(), self.to.clone())
            .with_focus(self.person.clone())
            .with_focus(self.org.clone())
            .with_depth(self.depth)
            .with_kinds(kinds)
            .with_events_folded(self.fold_events))
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum CompactWhen {
    Auto,
    Always,
    Never,
}

impl From<CompactWhen> for Compaction {
    fn from(when: CompactWhen) -> Compaction {
        match when {
            CompactWhen::Auto => Compaction::Auto,
            CompactWhen::Always => Compaction::Always,
            CompactWhen::Never => Compaction::Never,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Dot,
    Svg,
    Graphml,
    Json,
    Nquads,
    Turtle,
}

impl ExportFormat {
    /// The map this format draws, or `None` for the store's quads.
    fn map(self, builtin_renderer: bool) -> Option<export::MapFormat> {
        match self {
            ExportFormat::Dot => Some(export::MapFormat::Dot),
            ExportFormat::Svg => Some(export::MapFormat::Svg { builtin_renderer }),
            ExportFormat::Graphml => Some(export::MapFormat::Graphml),
            ExportFormat::Json => Some(export::MapFormat::Json),
            ExportFormat::Nquads | ExportFormat::Turtle => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LabelChoice {
    Zh,
    Pinyin,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BriefFormat {
    Html,
    Md,
    Json,
    Pdf,
}

impl From<BriefFormat> for govkg::brief::render::Format {
    fn from(f: BriefFormat) -> Self {
        match f {
            BriefFormat::Html => Self::Html,
            BriefFormat::Md => Self::Markdown,
            BriefFormat::Json => Self::Json,
            BriefFormat::Pdf => Self::Pdf,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum RowFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    Ntriples,
}

impl From<Format> for OutputFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => OutputFormat::Table,
            Format::Csv => OutputFormat::Csv,
            Format::Tsv => OutputFormat::Tsv,
            Format::Json => OutputFormat::Json,
            Format::Xml => OutputFormat::Xml,
            Format::Turtle => OutputFormat::Turtle,
            Format::Ntriples => OutputFormat::NTriples,
        }
    }
}

fn lexicon(cli: &Cli) -> Result<Lexicon> {
    let dir = cli.ontology.clone().or_else(|| {
        let local = PathBuf::from("ontology");
        local.join("lexicon").is_dir().then_some(local)
    });
    Lexicon::load(dir.as_deref()).context("loading the lexicon")
}

/// The pipeline every extracting command uses: the lexicon, and the NER model
/// unless it is switched off. A missing model gets one notice and the run goes
/// on with rules alone; a model folder that is there but broken is an error.
fn pipeline(cli: &Cli) -> Result<Pipeline> {
    // The model loads (0.3 s) while the lexicon does (0.6 s, most of it the
    // gazetteer): every run of an extracting command starts with both.
    let (lexicon, lac) = std::thread::scope(|s| {
        let lac = s.spawn(|| model(cli));
        let lexicon = lexicon(cli);
        (lexicon, lac.join().expect("loading the NER model panicked"))
    });
    Ok(Pipeline::new(lexicon?).with_model(lac?))
}

/// The NER model, unless it is switched off or missing (one notice).
fn model(cli: &Cli) -> Result<Option<Lac>> {
    Ok(if cli.no_model {
        None
    } else if let Some(dir) = lac::locate(cli.model.as_deref()) {
        let lac = Lac::load(&dir).with_context(|| {
            format!(
                "loading the NER model in {} (run scripts/setup.sh to fetch it again, or give --no-model)",
                dir.display()
            )
        })?;
        Some(lac)
    } else {
        let wanted = cli.model.as_deref().unwrap_or(Path::new(lac::DEFAULT_DIR));
        eprintln!(
            "govkg: no NER model at {} (run scripts/setup.sh); extracting with rules alone",
            wanted.display()
        );
        None
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Ingest {
            published,
            commit_quads,
            window_articles,
            timings,
            compact,
            paths,
        } => {
            let published = parse_published(published.as_deref())?;
            let pipeline = pipeline(&cli)?;
            let store = GraphStore::open(&cli.store)?;
            let options = IngestOptions::default()
                .with_published(published)
                .with_commit_quads(*commit_quads)
                .with_window_articles(*window_articles)
                .with_compaction((*compact).into())
                .with_progress(true);
            let report = ingest::ingest(&store, &pipeline, paths, &options)?;
            if *timings {
                print_timings(&report.stages);
            }
            for (path, w) in &report.warnings {
                eprintln!("warning: {}: {w}", path.display());
            }
            for f in &report.failures {
                eprintln!("error: {}: {}", f.path.display(), f.reason);
            }
            eprintln!("{}", report.summary(&cli.store));
            Ok(if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Query {
            format,
            file,
            timeout,
            query,
            bindings,
            explain,
        } => {
            let text = match (file, query) {
                (Some(f), _) => std::fs::read_to_string(f)
                    .with_context(|| format!("reading {}", f.display()))?,
                (None, Some(q)) => q.clone(),
                (None, None) => bail!("give a query, or --file FILE.rq"),
            };
            let store = GraphStore::open(&cli.store)?;
            let mut options = QueryOptions::default();
            if let Some(t) = timeout {
                options = options.with_timeout(std::time::Duration::from_secs_f64(*t));
            }
            for b in bindings {
                let (name, value) = query::parse_assignment(b)
                    .with_context(|| format!("--bind {b:?}: expected NAME=VALUE"))?;
                options = options.with_binding(name, value);
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if *explain {
                let e = query::explain(&store, &text, &options)?;
                writeln!(out, "{} rows in {:.3} s", e.rows, e.elapsed.as_secs_f64())?;
                writeln!(out, "{}", e.plan)?;
            } else {
                query::run(&store, &text, (*format).into(), &options, &mut out)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { shapes } => validate(&cli, shapes.as_ref()),
        Command::Serve {
            bind,
            timeout,
            max_rows,
            max_body,
            allow_update,
            cors,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let options = govkg::serve::ServeOptions::default()
                .with_timeout(std::time::Duration::from_secs_f64(*timeout))
                .with_max_rows(*max_rows)
                .with_max_body_bytes(*max_body)
                .with_updates_allowed(*allow_update)
                .with_cors_origin(cors.clone())
                .with_shared_post_words(lexicon(&cli)?.genre.shared_post);
            let running = govkg::serve::start(store, *bind, options)?;
            eprintln!(
                "govkg: serving {} at http://{bind}/ (SPARQL at http://{bind}/sparql){}",
                cli.store.display(),
                if *allow_update {
                    ", updates allowed"
                } else {
                    ", read-only"
                }
            );
            running.join()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            published,
            output,
            paths,
        } => {
            let published = parse_published(published.as_deref())?;
            let pipeline = pipeline(&cli)?;
            let mut out: Box<dyn Write> = match output {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let (articles, failures) =
                ingest::extract_to_nquads(&pipeline, paths, published, &mut out)?;
            out.flush()?;
            for f in &failures {
                eprintln!("error: {}: {}", f.path.display(), f.reason);
            }
            eprintln!("extracted {articles} article(s), {} failed", failures.len());
            Ok(if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Load {
            compact,
            timings,
            files,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let gaz = &lexicon(&cli)?.gazetteer;
            let r = ingest::load(&store, files, gaz, (*compact).into())?;
            if *timings {
                print_timings(&r.stages);
            }
            eprintln!(
                "loaded {} file(s); merged {} organisation node(s) onto their full names; joined {} person node(s) to another{}",
                r.files,
                r.resolved.merged,
                r.resolved.people_joined,
                if r.compacted { "; compacted the store" } else { "" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Remove { articles } => {
            let store = GraphStore::open(&cli.store)?;
            let r = ingest::remove(&store, articles, &lexicon(&cli)?.gazetteer)?;
            for url in &r.removed {
                eprintln!("removed {url}");
            }
            for url in &r.missing {
                eprintln!("not in the store: {url}");
            }
            Ok(if r.missing.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Resolve => {
            let store = GraphStore::open(&cli.store)?;
            let r = ingest::resolve_store(&store, &lexicon(&cli)?.gazetteer)?;
            eprintln!(
                "merged {} organisation node(s) onto their full names; joined {} person node(s) to another; terms of office recomputed",
                r.merged, r.people_joined
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Links { action } => {
            let store = GraphStore::open(&cli.store)?;
            let gaz = &lexicon(&cli)?.gazetteer;
            let (a, b, decision) = match action {
                LinksAction::Candidates { format } => {
                    let found = govkg::identity::candidates(&store, gaz)?;
                    let mut out = std::io::stdout().lock();
                    match format {
                        LinksFormat::Json => {
                            serde_json::to_writer_pretty(&mut out, &found)?;
                            writeln!(out)?;
                        }
                        LinksFormat::Table => {
                            govkg::identity::candidates_table(&found).write(&mut out)?
                        }
                    }
                    eprintln!("{} candidate link(s)", found.len());
                    return Ok(ExitCode::SUCCESS);
                }
                LinksAction::Confirm { a, b } => (a, b, Some(govkg::identity::Decision::Confirm)),
                LinksAction::Reject { a, b } => (a, b, Some(govkg::identity::Decision::Reject)),
                LinksAction::Withdraw { a, b } => (a, b, None),
            };
            // Terms of office are kept by membership, which a join leaves as it is.
            let r = govkg::identity::decide(&store, gaz, a, b, decision)?;
            eprintln!(
                "recorded; {} person node(s) now joined to another",
                r.merged
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::TimeQueries {
            runs,
            official,
            scoped_only,
            scopes,
            files,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let mut plan = TimingPlan::new(*runs).with_scoped_only(*scoped_only);
            if let Some(name) = official {
                plan = plan.with_official(name);
            }
            for s in scopes {
                let (var, value) = query::parse_assignment(s)
                    .with_context(|| format!("--scope {s:?}: expected VAR=VALUE"))?;
                plan = plan.with_scope(var, value);
            }
            for f in files {
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("reading {}", f.display()))?;
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                plan = plan.with_query(name, text);
            }
            println!(
                "{:<32} {:>6} {:>10} {:>10}",
                "query", "rows", "p50 ms", "p99 ms"
            );
            plan.run(&store, |t| {
                println!(
                    "{:<32} {:>6} {:>10.1} {:>10.1}",
                    t.label, t.rows, t.p50_ms, t.p99_ms
                );
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            articles,
            seed,
            out,
            truth,
            turnovers,
        } => {
            let corpus = govkg::generate::generate_corpus(&lexicon(&cli)?, *articles, *seed, out)?;
            if let Some(path) = truth {
                std::fs::write(path, corpus.officials_tsv())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            if let Some(path) = turnovers {
                std::fs::write(path, corpus.turnovers_tsv())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            eprintln!("wrote {} articles to {}", corpus.files.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            output,
            labels,
            builtin_renderer,
            filter,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let mut out: Box<dyn Write> = match output {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let labels = match labels {
                LabelChoice::Zh => export::Labels::Chinese,
                LabelChoice::Pinyin => export::Labels::Pinyin,
            };
            if let Some(map) = format.map(*builtin_renderer) {
                let g = load_graph(&store, filter)?;
                if let Some(renderer) = export::write_map(&g, map, labels, &mut out)? {
                    eprintln!(
                        "svg: {} nodes, {} edges, rendered by {renderer}",
                        g.graph.node_count(),
                        g.graph.edge_count()
                    );
                }
            } else {
                let rdf = match format {
                    ExportFormat::Turtle => oxigraph::io::RdfFormat::Turtle,
                    _ => oxigraph::io::RdfFormat::NQuads,
                };
                store.dump(rdf, &mut out)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Trace {
            official,
            org,
            district,
            from,
            to,
            format,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let filter = govkg::trace::TraceFilter::default()
                .with_official(official.clone())
                .with_org(org.clone())
                .with_district(district.clone())
                .with_period(from.clone(), to.clone());
            let rows = govkg::trace::trace(&store, &filter)?;
            let cells = rows.iter().map(govkg::trace::TraceRow::cells).collect();
            write_rows(*format, &govkg::trace::TraceRow::HEADERS, cells, &rows)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Changes {
            since,
            place,
            format,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let lexicon = lexicon(&cli)?;
            let filter = govkg::changes::ChangeFilter::default()
                .with_since(since.clone())
                .with_place(place.clone());
            let rows = govkg::changes::changes(&store, &lexicon.genre.shared_post, &filter)?;
            let cells = rows.iter().map(govkg::changes::Change::cells).collect();
            write_rows(*format, &govkg::changes::Change::HEADERS, cells, &rows)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Brief {
            district,
            city,
            from,
            to,
            weeks,
            format,
            output,
            no_map,
        } => {
            let place = district
                .as_ref()
                .or(city.as_ref())
                .expect("clap requires one");
            let store = GraphStore::open(&cli.store)?;
            let filter = govkg::brief::BriefFilter::new(place.as_str())
                .with_period(from.clone(), to.clone())
                .with_weeks(*weeks)
                .with_map(!no_map);
            let brief = govkg::brief::brief(&store, &filter)?;
            govkg::brief::render::write(&brief, (*format).into(), output.as_deref())?;
            eprintln!(
                "brief {} {}…{}: {} officials, {} contacts, {} agreements, {} projects",
                brief.place,
                brief.from,
                brief.to,
                brief.officials.len(),
                brief.contacts.len(),
                brief.agreements.len(),
                brief.projects.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Path {
            from_name,
            to_name,
            limit,
            filter,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let aliases = KnowledgeGraph::aliases(&store)?;
            let g = load_graph(&store, filter)?;
            let (a, b) = (
                g.resolve_name(from_name, &aliases)?,
                g.resolve_name(to_name, &aliases)?,
            );
            let chains = govkg::graph::algo::shortest_chains(&g, a, b, *limit);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if chains.is_empty() {
                writeln!(out, "no chain links {from_name} and {to_name}")?;
            }
            govkg::graph::algo::write_chains(&g, &chains, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rank {
            top,
            format,
            filter,
        } => {
            let store = GraphStore::open(&cli.store)?;
            let g = load_graph(&store, filter)?;
            let rows = govkg::graph::algo::rank_rows(&g, *top);
            let cells = rows
                .iter()
                .map(govkg::graph::algo::RankRow::cells)
                .collect();
            write_rows(*format, &govkg::graph::algo::RankRow::HEADERS, cells, &rows)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--timings`: a line per stage, in order.
fn print_timings(stages: &[(&str, std::time::Duration)]) {
    for (stage, took) in stages {
        eprintln!("timing: {stage}: {:.1} s", took.as_secs_f64());
    }
}

fn parse_published(value: Option<&str>) -> Result<Option<PartialDate>> {
    value
        .map(|p| {
            PartialDate::parse(p)
                .with_context(|| format!("--published {p:?}: expected YYYY-MM-DD, YYYY-MM or YYYY"))
        })
        .transpose()
}

fn load_graph(store: &GraphStore, args: &GraphArgs) -> Result<KnowledgeGraph> {
    let filter = args.filter()?;
    let aliases = KnowledgeGraph::aliases(store)?;
    Ok(KnowledgeGraph::from_store(store)?.filtered(&filter, &aliases))
}

/// Writes rows as a table, CSV or JSON.
fn write_rows<T: serde::Serialize>(
    format: RowFormat,
    headers: &[&str],
    cells: Vec<Vec<String>>,
    rows: &[T],
) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        RowFormat::Table => {
            govkg::table::Table::new(headers.iter().map(|h| h.to_string()).collect(), cells)
                .write(&mut out)?;
            writeln!(
                out,
                "({} row{})",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            )?;
        }
        RowFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(headers)?;
            for c in cells {
                w.write_record(&c)?;
            }
            w.flush()?;
        }
        RowFormat::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn validate(cli: &Cli, shapes: Option<&PathBuf>) -> Result<ExitCode> {
    let text = match shapes {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
        None => govkg::shapes::SHAPES.to_string(),
    };
    let store = GraphStore::open(&cli.store)?;
    let (checks, violations) = govkg::shapes::validate(&store, &text)?;
    for v in &violations {
        println!("violation: {}: {}", v.check, v.focus);
    }
    println!("{checks} checks, {} violation(s)", violations.len());
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
