//! The pipeline's stages, one benchmark each, on two corpora: the bundled
//! article (`data/*.txt`) and eight generated articles (`govkg generate`,
//! seed 1). Throughput is in bytes of article text (UTF-8 body after the front
//! matter), the same measure for every stage, so the stages compare directly.
//!
//! `cargo bench --bench stages -- --warm-up-time 1 --measurement-time 5`
//!
//! - `source`: read a file, decode it, split the front matter (`source::read_article`)
//! - `text`: sentences, offsets, normalised copies (`text::Document::new`)
//! - `extract`: mentions, events, contacts (`Extractor::extract`)
//! - `resolve+rdf`: identities, then quads with evidence (`resolve::resolve`, `rdf::article_quads`)
//! - `pipeline`: text → extract → resolve → rdf, as ingest runs it per article (`Pipeline::process`)
//! - `store-bulk`: every article's quads into a new in-memory store with
//!   Oxigraph's bulk loader, as ingest writes new articles (`GraphStore::insert_new_graphs`)
//! - `store-txn`: each article's graph written in its own transaction, as ingest
//!   writes changed articles (`GraphStore::replace_graph`)

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use oxigraph::model::Quad;

use govkg::extract::{Extraction, Extractor};
use govkg::ingest::Pipeline;
use govkg::lexicon::Lexicon;
use govkg::resolve::{self, KnownNames};
use govkg::source::{self, Article};
use govkg::store::GraphStore;
use govkg::text::Document;

/// One article through every stage once, to give each stage its input.
struct Prepared {
    path: PathBuf,
    article: Article,
    doc: Document,
    extraction: Extraction,
    quads: Vec<Quad>,
}

fn prepare(extractor: &Extractor, files: &[PathBuf]) -> Vec<Prepared> {
    files
        .iter()
        .map(|path| {
            let article = source::read_article(path).expect("readable article");
            let doc = Document::new(&article.body);
            let extraction = extractor.extract(&article, &doc);
            let resolved =
                resolve::resolve(extraction.clone(), &KnownNames::default(), &article.url);
            let quads = govkg::rdf::article_quads(&article, &doc, &resolved, extractor.lexicon());
            Prepared {
                path: path.clone(),
                article,
                doc,
                extraction,
                quads,
            }
        })
        .collect()
}

fn stages(c: &mut Criterion, name: &str, files: &[PathBuf]) {
    let extractor = Extractor::new(Lexicon::builtin());
    let pipeline = Pipeline::new(Lexicon::builtin());
    let known = KnownNames::default();
    let corpus = prepare(&extractor, files);
    let bytes: usize = corpus.iter().map(|p| p.article.body.len()).sum();
    let quads: usize = corpus.iter().map(|p| p.quads.len()).sum();
    eprintln!(
        "{name}: {} article(s), {bytes} bytes of text, {} characters, {quads} quads",
        corpus.len(),
        corpus
            .iter()
            .map(|p| p.article.body.chars().count())
            .sum::<usize>()
    );

    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);

    g.bench_function("source", |b| {
        b.iter(|| {
            for p in &corpus {
                std::hint::black_box(source::read_article(&p.path).unwrap());
            }
        })
    });
    g.bench_function("text", |b| {
        b.iter(|| {
            for p in &corpus {
                std::hint::black_box(Document::new(&p.article.body));
            }
        })
    });
    g.bench_function("extract", |b| {
        b.iter(|| {
            for p in &corpus {
                std::hint::black_box(extractor.extract(&p.article, &p.doc));
            }
        })
    });
    g.bench_function("resolve+rdf", |b| {
        b.iter_batched(
            || {
                corpus
                    .iter()
                    .map(|p| p.extraction.clone())
                    .collect::<Vec<_>>()
            },
            |extractions| {
                for (p, x) in corpus.iter().zip(extractions) {
                    let resolved = resolve::resolve(x, &known, &p.article.url);
                    std::hint::black_box(govkg::rdf::article_quads(
                        &p.article,
                        &p.doc,
                        &resolved,
                        extractor.lexicon(),
                    ));
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("pipeline", |b| {
        b.iter_batched(
            || corpus.iter().map(|p| p.article.clone()).collect::<Vec<_>>(),
            |articles| {
                for a in articles {
                    std::hint::black_box(pipeline.process(a, &known, None));
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("store-bulk", |b| {
        b.iter_batched(
            || {
                let all: Vec<Quad> = corpus.iter().flat_map(|p| p.quads.clone()).collect();
                (GraphStore::in_memory().unwrap(), all)
            },
            |(store, all)| {
                store.insert_new_graphs(all).unwrap();
                store
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("store-txn", |b| {
        b.iter_batched(
            || GraphStore::in_memory().unwrap(),
            |store| {
                for p in &corpus {
                    let graph = govkg::rdf::article_graph(&p.article);
                    store.replace_graph(&graph, &p.quads).unwrap();
                }
                store
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn bundled(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no articles in {}", dir.display());
    stages(c, "bundled", &files);
}

fn generated(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let files = govkg::generate::generate(&Lexicon::builtin(), 8, 1, dir.path()).unwrap();
    stages(c, "generated", &files);
}

criterion_group!(benches, bundled, generated);
criterion_main!(benches);
