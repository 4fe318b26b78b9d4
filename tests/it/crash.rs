//! Crash safety: `govkg ingest` killed with SIGKILL at seeded moments leaves a
//! store that opens, in which every article graph is wholly present or wholly
//! absent, and re-running the same ingest ends with exactly the quads of a
//! clean run.
//!
//! The corpus is 200 generated articles (`govkg generate`, seeded), each cut
//! to its first 64 lines (about half: five or six district sections) so that
//! twelve full ingests fit the test's time budget; about 111 k quads, written
//! by ingest as bulk loads committed every 40 k quads (`--commit-quads`, about
//! 70 articles), then the end-of-batch steps (简称 merges, the identity pass,
//! terms of office, compacting the store). A clean ingest gives the reference: a
//! fingerprint of each graph (the count and the wrapping sum of a 128-bit
//! hash of every quad, blank nodes masked, so the vocabulary graph compares
//! too). Each trial
//! ingests the same corpus into a fresh store, kills the process with SIGKILL
//! at a seeded moment (stratified over the trials across a run's duration),
//! and checks:
//!
//! - the store opens (in this process, and with `govkg query`);
//! - every article graph it holds is one that a run writes whole. The end of a
//!   batch legitimately changes graphs already written: organisation nodes
//!   named by a 简称 are merged onto the full name, and the identity pass
//!   renames person nodes it joins. So a graph must equal the clean run's
//!   graph as it stands, or once the merge is applied to it (the library's
//!   own `GraphStore::merge_aliases` with the clean store's (简称, full name)
//!   pairs, on an in-memory copy, then the clean store's recorded renamings),
//!   or the graph the article got
//!   when first written (computed here with the library as `ingest` does it:
//!   each article resolved with the 简称 the whole corpus declares). Anything else (part of a graph,
//!   other quads, a graph the clean run lacks) fails;
//! - the vocabulary graph is absent or whole; the identity graph holds
//!   nothing the clean run's does not (each renaming is recorded with it, the
//!   links at the end). The derived graph (terms of
//!   office recomputed from all articles) may lag after a crash: it is not an
//!   article's, and the re-run recomputes it;
//! - after the same ingest is run again to completion, every graph — article,
//!   vocabulary, identity and derived — equals the clean run's, and there are
//!   no others.
//!
//! Trials run two at a time. Set
//! `GOVKG_CRASH_SEED` to draw other moments (the corpus stays the same).

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use govkg::rdf::ns;
use govkg::store::GraphStore;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term};

const ARTICLES: usize = 200;
const CORPUS_SEED: u64 = 7;
/// Lines kept of each generated article (front matter included).
const LINES: usize = 64;
const KILLS: usize = 10;
/// Commits of a fifth of the default size, so that kills find stores with
/// some of the articles.
const COMMIT_QUADS: usize = 40_000;
/// Trials, counting those whose ingest ended before its moment.
const MAX_TRIALS: usize = 20;

/// SplitMix64, the test's own seeded generator.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Count and wrapping sum of 128-bit quad hashes: equal multisets of quads
/// give equal fingerprints, whatever the order.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
struct Fingerprint {
    quads: u64,
    sum: u128,
}

impl Fingerprint {
    fn add(&mut self, q: &Quad) {
        self.quads += 1;
        self.sum = self.sum.wrapping_add(quad_hash(q));
    }
    /// Of a set of quads (as a store holds them: each once).
    fn of(quads: &[Quad]) -> Fingerprint {
        let mut f = Fingerprint::default();
        let set: HashSet<&Quad> = quads.iter().collect();
        set.into_iter().for_each(|q| f.add(q));
        f
    }
}

/// Two differently seeded hashers fed the same bytes.
struct TwoHashers(
    std::collections::hash_map::DefaultHasher,
    std::collections::hash_map::DefaultHasher,
);

impl TwoHashers {
    fn bytes(&mut self, b: &[u8]) {
        self.0.write(b);
        self.0.write_u8(0xff);
        self.1.write(b);
        self.1.write_u8(0xff);
    }
    fn term(&mut self, t: &Term) {
        match t {
            Term::NamedNode(n) => self.bytes(n.as_str().as_bytes()),
            Term::BlankNode(_) => self.bytes(b"_:"),
            Term::Literal(l) => {
                self.bytes(l.value().as_bytes());
                self.bytes(l.datatype().as_str().as_bytes());
                self.bytes(l.language().unwrap_or("").as_bytes());
            }
            #[allow(unreachable_patterns)]
            other => self.bytes(other.to_string().as_bytes()),
        }
    }
}

/// The hash of a quad's subject, predicate and object (blank nodes masked).
fn quad_hash(q: &Quad) -> u128 {
    let mut h = TwoHashers(Default::default(), Default::default());
    h.1.write_u8(1);
    h.term(&Term::from(q.subject.clone()));
    h.bytes(q.predicate.as_str().as_bytes());
    h.term(&q.object);
    ((h.0.finish() as u128) << 64) | h.1.finish() as u128
}

fn graph_key(g: &GraphName) -> String {
    match g {
        GraphName::NamedNode(n) => n.as_str().to_string(),
        GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
        GraphName::DefaultGraph => String::new(),
    }
}

/// The fingerprint of every graph of the store (named graphs without quads too).
fn fingerprints(store: &GraphStore) -> BTreeMap<String, Fingerprint> {
    let mut out: BTreeMap<String, Fingerprint> = BTreeMap::new();
    for g in store.inner().named_graphs() {
        out.entry(graph_key(&g.unwrap().into())).or_default();
    }
    for q in store.inner().iter() {
        let q = q.unwrap();
        out.entry(graph_key(&q.graph_name)).or_default().add(&q);
    }
    out
}

fn graph_quads(store: &GraphStore, graph: &str) -> Vec<Quad> {
    let g = NamedNode::new_unchecked(graph);
    store
        .inner()
        .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
        .collect::<Result<_, _>>()
        .unwrap()
}

fn is_article_graph(g: &str) -> bool {
    g.starts_with(govkg::resolve::ID)
}

/// The identity pass's renamings in the clean store: for each article graph,
/// each person node as extracted and the node it is written as.
fn renamings(store: &GraphStore) -> HashMap<String, Vec<(NamedNode, NamedNode)>> {
    let gk = |local: &str| NamedNode::new_unchecked(format!("{}{local}", ns::GK));
    let identity = NamedNode::new_unchecked(ns::IDENTITY_GRAPH);
    let idg = GraphNameRef::NamedNode(identity.as_ref());
    let (renamed_in, merged_into) = (gk("renamedIn"), gk("mergedInto"));
    let mut out: HashMap<String, Vec<(NamedNode, NamedNode)>> = HashMap::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(renamed_in.as_ref()), None, Some(idg))
    {
        let q = q.unwrap();
        let (NamedOrBlankNode::NamedNode(from), Term::NamedNode(g)) = (&q.subject, &q.object)
        else {
            continue;
        };
        for t in store.inner().quads_for_pattern(
            Some(from.as_ref().into()),
            Some(merged_into.as_ref()),
            None,
            Some(idg),
        ) {
            if let Term::NamedNode(to) = t.unwrap().object {
                out.entry(g.as_str().to_string())
                    .or_default()
                    .push((from.clone(), to));
            }
        }
    }
    out
}

/// What the end of the batch does to an article's graph (the 简称 merge, then
/// the identity pass's renamings), applied to a copy.
fn merged(
    quads: &[Quad],
    pairs: &[(NamedNode, NamedNode, String)],
    renames: &[(NamedNode, NamedNode)],
) -> Vec<Quad> {
    let subjects: HashSet<&NamedOrBlankNode> = quads.iter().map(|q| &q.subject).collect();
    let pairs: Vec<_> = pairs
        .iter()
        .filter(|(alias, _, _)| subjects.contains(&NamedOrBlankNode::from(alias.clone())))
        .cloned()
        .collect();
    let mem = GraphStore::in_memory().unwrap();
    mem.inner().extend(quads.iter().cloned()).unwrap();
    mem.merge_aliases(&pairs).unwrap();
    let rename = |t: Term| -> Term {
        match &t {
            Term::NamedNode(n) => renames
                .iter()
                .find(|(from, _)| from == n)
                .map_or(t.clone(), |(_, to)| to.clone().into()),
            _ => t,
        }
    };
    mem.inner()
        .iter()
        .map(|q| {
            let q = q.unwrap();
            let subject = match rename(q.subject.clone().into()) {
                Term::NamedNode(n) => NamedOrBlankNode::from(n),
                _ => q.subject.clone(),
            };
            Quad::new(subject, q.predicate, rename(q.object), q.graph_name)
        })
        .collect()
}

/// Up to a few quads on each side of a difference, for a failure message.
fn diff(ours: &[Quad], clean: &[Quad]) -> String {
    let a: HashSet<String> = ours.iter().map(|q| q.to_string()).collect();
    let b: HashSet<String> = clean.iter().map(|q| q.to_string()).collect();
    let mut out = format!("{} quads here, {} in the clean run\n", a.len(), b.len());
    for q in a.difference(&b).take(5) {
        out.push_str(&format!("  only here:  {q}\n"));
    }
    for q in b.difference(&a).take(5) {
        out.push_str(&format!("  only clean: {q}\n"));
    }
    out
}

fn ingest_command(store: &Path, corpus: &Path, log: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_govkg"));
    // Rules alone, as `first_written` extracts; the NER model would also make
    // each of the twelve ingests many times slower.
    cmd.arg("--store")
        .arg(store)
        .arg("--no-model")
        .arg("ingest")
        .arg("--commit-quads")
        .arg(COMMIT_QUADS.to_string())
        .arg(corpus)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap());
    cmd
}

/// Runs an ingest to completion, asserting success; returns its duration.
fn ingest_to_end(store: &Path, corpus: &Path, log: &Path) -> Duration {
    let start = Instant::now();
    let status = ingest_command(store, corpus, log).status().unwrap();
    let took = start.elapsed();
    assert!(
        status.success(),
        "ingest into {} failed: {}",
        store.display(),
        std::fs::read_to_string(log).unwrap_or_default()
    );
    took
}

/// Each article's graph as `ingest` first writes it into a fresh store, before
/// the end of the batch: the corpus is one window (fewer files than
/// `ingest::WINDOW_ARTICLES`), so each article is resolved with the 简称 that
/// all of them declare, then built.
fn first_written(corpus: &Path) -> HashMap<String, Fingerprint> {
    use govkg::ingest::{collect_files, Pipeline, WINDOW_ARTICLES};
    use rayon::prelude::*;
    let ontology = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology");
    let pipeline = Pipeline::new(govkg::lexicon::Lexicon::load(Some(&ontology)).unwrap());
    let (files, failures) = collect_files(&[corpus.to_path_buf()]);
    assert!(failures.is_empty());
    assert!(files.len() <= WINDOW_ARTICLES);
    let extracted: Vec<_> = files
        .par_iter()
        .map(|p| pipeline.extract(govkg::source::read_article(p).unwrap(), None))
        .collect();
    let none = govkg::resolve::KnownNames::default();
    let mut known = none.clone();
    for e in &extracted {
        known.declare(&e.extraction, &none);
    }
    extracted
        .into_par_iter()
        .map(|e| {
            let p = pipeline.build(e, &known);
            let graph = govkg::rdf::article_graph(&p.article);
            (graph.as_str().to_string(), Fingerprint::of(&p.quads))
        })
        .collect()
}

/// The reference from the clean run.
struct Clean {
    corpus: PathBuf,
    store: GraphStore,
    prints: BTreeMap<String, Fingerprint>,
    /// The (简称, full name) pairs the end of the batch merged.
    pairs: Vec<(NamedNode, NamedNode, String)>,
    /// Each article's graph as first written.
    first: HashMap<String, Fingerprint>,
    /// Graphs (by name and fingerprint) found to equal the clean graph once merged.
    merges_to_clean: Mutex<HashMap<(String, Fingerprint), bool>>,
    /// The identity pass's renamings, by article graph.
    renamings: HashMap<String, Vec<(NamedNode, NamedNode)>>,
}

impl Clean {
    fn renames(&self, graph: &str) -> &[(NamedNode, NamedNode)] {
        self.renamings.get(graph).map_or(&[], Vec::as_slice)
    }
}

/// How the article graphs of a killed store compare with the clean run.
#[derive(Debug, Default)]
struct Present {
    /// Equal to the clean run's graph.
    equal: usize,
    /// Equal to it once the end-of-batch merge is applied.
    before_merge: usize,
    /// Equal to the graph as first written (before any merge).
    first_written: usize,
}

impl Present {
    fn total(&self) -> usize {
        self.equal + self.before_merge + self.first_written
    }
}

/// Checks a killed store: every graph whole or absent.
fn check_killed(store: &GraphStore, clean: &Clean, trial: usize) -> Present {
    let mut present = Present::default();
    for (g, f) in &fingerprints(store) {
        if g == ns::DERIVED_GRAPH {
            continue; // recomputed by the re-run, and checked after it
        }
        let Some(reference) = clean.prints.get(g) else {
            panic!(
                "trial {trial}: graph {g} ({} quads) is not in the clean run",
                f.quads
            );
        };
        if g == ns::IDENTITY_GRAPH {
            // Written with each renaming, then completed: part of the clean one.
            let here = graph_quads(store, g);
            let there: HashSet<Quad> = graph_quads(&clean.store, g).into_iter().collect();
            assert!(
                here.iter().all(|q| there.contains(q)),
                "trial {trial}: the identity graph holds what the clean run's does not"
            );
            continue;
        }
        if g == ns::VOCAB_GRAPH {
            assert_eq!(
                f, reference,
                "trial {trial}: the vocabulary graph is partial"
            );
            continue;
        }
        assert!(is_article_graph(g), "trial {trial}: unexpected graph {g}");
        if f == reference {
            present.equal += 1;
            continue;
        }
        if clean.first.get(g) == Some(f) {
            present.first_written += 1;
            continue;
        }
        let key = (g.clone(), *f);
        let cached = clean.merges_to_clean.lock().unwrap().get(&key).copied();
        let ok = cached.unwrap_or_else(|| {
            let ok = Fingerprint::of(&merged(
                &graph_quads(store, g),
                &clean.pairs,
                clean.renames(g),
            )) == *reference;
            clean.merges_to_clean.lock().unwrap().insert(key, ok);
            ok
        });
        if !ok {
            panic!(
                "trial {trial}: article graph {g} is neither whole nor absent \
                 (or ingest now writes articles otherwise than `first_written`): {}",
                diff(
                    &merged(&graph_quads(store, g), &clean.pairs, clean.renames(g)),
                    &graph_quads(&clean.store, g)
                )
            );
        }
        present.before_merge += 1;
    }
    present
}

/// Compares a finished store with the clean run, graph by graph.
fn check_equal(store: &GraphStore, clean: &Clean, trial: usize) {
    let prints = fingerprints(store);
    if prints == clean.prints {
        return;
    }
    let mut report = String::new();
    let keys: std::collections::BTreeSet<&String> =
        prints.keys().chain(clean.prints.keys()).collect();
    let mut shown = 0;
    for g in keys {
        if prints.get(g) == clean.prints.get(g) {
            continue;
        }
        report.push_str(&format!(
            "graph {g}: {:?} quads here, {:?} in the clean run\n",
            prints.get(g).map(|f| f.quads),
            clean.prints.get(g).map(|f| f.quads)
        ));
        if shown < 3 && g != ns::VOCAB_GRAPH {
            report.push_str(&diff(&graph_quads(store, g), &graph_quads(&clean.store, g)));
            shown += 1;
        }
    }
    panic!("trial {trial}: after the re-run the store differs from the clean run:\n{report}");
}

/// One trial: its kill moment as a fraction of a run's duration.
#[derive(Debug, Clone, Copy)]
struct Trial {
    number: usize,
    fraction: f64,
}

enum Outcome {
    /// Killed; the line to report, and how long a run from nothing took
    /// (when the re-run had to write every article).
    Killed(String, Option<Duration>),
    /// The ingest ended by itself before the moment, after this long.
    Ended(Duration),
}

fn run_trial(t: Trial, expected: Duration, clean: &Clean, dir: &Path) -> Outcome {
    let trial = t.number;
    let path = dir.join(format!("trial-{trial}"));
    let log = dir.join(format!("trial-{trial}.txt"));
    let moment = expected.mul_f64(t.fraction);
    let start = Instant::now();
    let mut child = ingest_command(&path, &clean.corpus, &log).spawn().unwrap();
    while start.elapsed() < moment {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "trial {trial}: ingest failed");
            std::fs::remove_dir_all(&path).unwrap();
            return Outcome::Ended(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let killed_at = start.elapsed();
    // The store opens, in this process and for the command line.
    let checking = Instant::now();
    let store = GraphStore::open(&path).unwrap();
    let present = check_killed(&store, clean, trial);
    drop(store);
    let ask = common::govkg(&path, &["query", "ASK { ?s ?p ?o }"]);
    assert!(
        ask.status.success(),
        "trial {trial}: the store does not open: {}",
        String::from_utf8_lossy(&ask.stderr)
    );
    let checked = checking.elapsed();
    // The same ingest again, to the end: exactly the clean run's quads.
    let rerun = ingest_to_end(&path, &clean.corpus, &log);
    let store = GraphStore::open(&path).unwrap();
    check_equal(&store, clean, trial);
    drop(store);
    std::fs::remove_dir_all(&path).unwrap();
    let line = format!(
        "trial {trial}: killed at {:.1} s ({:.0}% of {:.1} s): {}/{ARTICLES} article graphs, each whole \
         ({} as in the clean run, {} before the merge, {} as first written; checked in {:.1} s); \
         re-run {:.1} s, then equal to the clean run",
        killed_at.as_secs_f64(),
        100.0 * t.fraction,
        expected.as_secs_f64(),
        present.total(),
        present.equal,
        present.before_merge,
        present.first_written,
        checked.as_secs_f64(),
        rerun.as_secs_f64()
    );
    Outcome::Killed(line, (present.total() == 0).then_some(rerun))
}

#[test]
fn sigkill_during_ingest_loses_nothing_and_a_rerun_matches_a_clean_run() {
    let started = Instant::now();
    let seed: u64 = std::env::var("GOVKG_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_240_602);
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    common::generated_corpus(&corpus, ARTICLES, CORPUS_SEED, LINES);

    // The clean run, while this process works out each article's graph as
    // first written (so the run shares the machine, as trials do).
    let clean_path = dir.path().join("clean");
    let (clean_time, first) = std::thread::scope(|s| {
        let run = s.spawn(|| ingest_to_end(&clean_path, &corpus, &dir.path().join("clean.txt")));
        let first = first_written(&corpus);
        (run.join().unwrap(), first)
    });
    let store = GraphStore::open(&clean_path).unwrap();
    let prints = fingerprints(&store);
    let pairs = store
        .known_names()
        .unwrap()
        .pairs()
        .map(|(alias, canonical)| {
            let node = |n: &str| NamedNode::new_unchecked(govkg::resolve::org_iri(n));
            (node(alias), node(canonical), canonical.to_string())
        })
        .collect();
    let renamings = renamings(&store);
    let clean = Clean {
        corpus: corpus.clone(),
        renamings,
        store,
        prints,
        pairs,
        first,
        merges_to_clean: Mutex::new(HashMap::new()),
    };
    let articles = clean.prints.keys().filter(|g| is_article_graph(g)).count();
    assert_eq!(articles, ARTICLES);
    let redone = clean
        .first
        .iter()
        .filter(|(g, f)| clean.prints.get(*g) != Some(*f))
        .count();
    eprintln!(
        "clean run: {ARTICLES} articles, {} quads, {:.1} s ({redone} article graphs changed by the end of the batch); kill seed {seed}",
        clean.prints.values().map(|f| f.quads).sum::<u64>(),
        clean_time.as_secs_f64(),
    );

    // The trials, two at a time. Kill moments are stratified over a run's
    // expected duration (seeded jitter within each stratum; early and late
    // strata interleaved, the latest last). The expected duration starts as the clean run's
    // and follows what trials show: a re-run that wrote every article, or an
    // ingest that ended before its moment (that trial does not count: it is
    // drawn again at the same fraction of the new duration).
    let strata: Vec<f64> = (0..KILLS)
        .map(|i| 0.02 + 0.96 * (i as f64 + rng.unit()) / KILLS as f64)
        .collect();
    let queue: VecDeque<Trial> = (0..KILLS / 2)
        .flat_map(|i| [i, KILLS / 2 + i])
        .enumerate()
        .map(|(n, stratum)| Trial {
            number: n + 1,
            fraction: strata[stratum],
        })
        .collect();
    let queue = Mutex::new(queue);
    let expected = Mutex::new(clean_time);
    let trials = Mutex::new(KILLS);
    let lines = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(t) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let duration = *expected.lock().unwrap();
                match run_trial(t, duration, &clean, dir.path()) {
                    Outcome::Killed(line, from_nothing) => {
                        eprintln!("{line}");
                        lines.lock().unwrap().push((t.number, line));
                        if let Some(d) = from_nothing {
                            *expected.lock().unwrap() = d;
                        }
                    }
                    Outcome::Ended(took) => {
                        *expected.lock().unwrap() = took;
                        let mut n = trials.lock().unwrap();
                        *n += 1;
                        assert!(*n <= MAX_TRIALS, "too many ingests ended before their moment");
                        eprintln!(
                            "trial {}: the ingest ended after {:.1} s, before its moment ({:.0}% of {:.1} s); drawn again as trial {n}",
                            t.number,
                            took.as_secs_f64(),
                            100.0 * t.fraction,
                            duration.as_secs_f64()
                        );
                        queue.lock().unwrap().push_back(Trial {
                            number: *n,
                            fraction: t.fraction,
                        });
                    }
                }
            });
        }
    });
    assert_eq!(lines.into_inner().unwrap().len(), KILLS);
    eprintln!(
        "{KILLS} kills in {} trials: every store opened, every article whole or absent, every re-run equal to the clean run; {:.0} s in all",
        trials.into_inner().unwrap(),
        started.elapsed().as_secs_f64()
    );
}
