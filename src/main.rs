//! The `govkg` command line: parses arguments, calls the library, maps errors
//! to exit codes. A closed pipe (`govkg query … | head`) is not an error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use govkg::ingest::{self, IngestOptions, Pipeline};
use govkg::lexicon::Lexicon;
use govkg::query::{self, OutputFormat, QueryOptions};
use govkg::source::PartialDate;
use govkg::store::GraphStore;

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (files or folders) into the store.
    Ingest {
        /// Publication date (YYYY-MM-DD, YYYY-MM or YYYY) for every article.
        #[arg(long)]
        published: Option<String>,
        /// Articles: .txt/.md/.html files, or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
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
        /// A YYYY-MM-DD value is an xsd:date, <…> an IRI, anything else a string.
        #[arg(long = "bind", value_name = "NAME=VALUE")]
        bindings: Vec<String>,
        /// The query text.
        query: Option<String>,
    },
    /// Check the graph against the SHACL shapes in ontology/shapes.ttl.
    Validate {
        /// A shapes file to use instead of the built-in ontology/shapes.ttl.
        #[arg(long)]
        shapes: Option<PathBuf>,
    },
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

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Ingest { published, paths } => {
            let published = match published {
                Some(p) => Some(PartialDate::parse(p).with_context(|| {
                    format!("--published {p:?}: expected YYYY-MM-DD, YYYY-MM or YYYY")
                })?),
                None => None,
            };
            let pipeline = Pipeline::new(lexicon(&cli)?);
            let store = GraphStore::open(&cli.store)?;
            let options = IngestOptions::default()
                .with_published(published)
                .with_progress(true);
            let report = ingest::ingest(&store, &pipeline, paths, &options)?;
            for (path, w) in &report.warnings {
                eprintln!("warning: {}: {w}", path.display());
            }
            for f in &report.failures {
                eprintln!("error: {}: {}", f.path.display(), f.reason);
            }
            let c = report.facts;
            eprintln!(
                "ingested {} article(s) ({} unchanged) into {}: {} people ({} officials), {} organisations, {} posts, {} events, {} contacts, {} agreements, {} projects; {} warning(s), {} failed",
                report.articles, report.unchanged, cli.store.display(), c.people, c.officials, c.organisations,
                c.posts, c.events, c.contacts, c.agreements, c.projects, report.warnings.len(), report.failures.len()
            );
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
                let (name, value) = b
                    .split_once('=')
                    .with_context(|| format!("--bind {b:?}: expected NAME=VALUE"))?;
                options =
                    options.with_binding(name.trim_start_matches('?'), query::parse_binding(value));
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            query::run(&store, &text, (*format).into(), &options, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { shapes } => validate(&cli, shapes.as_ref()),
    }
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
