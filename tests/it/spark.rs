//! Scale-out on Apache Spark: `scripts/spark_extract.py`, run by
//! `spark-submit` in local mode on two executor threads, extracts a generated
//! corpus in partitions with the shipped binary; `govkg load` of its shards
//! answers the five competency queries exactly as `govkg ingest` of the same
//! files does. A file govkg cannot read is named, and fails alone.
//!
//! Needs pyspark and a Java runtime (`scripts/setup.sh` installs both).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{answers, govkg, COOKBOOK};

const ARTICLES: usize = 100;

/// `spark-submit` as the pyspark package ships it (found through Python, so a
/// `pip install` that left no script on the PATH still works).
fn spark_submit() -> PathBuf {
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), 'bin', 'spark-submit'))",
        ])
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "pyspark is not installed (run scripts/setup.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_spark_job_extracts_shards_that_load_like_one_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let nowhere = dir.path().join("unused-store");
    let out = govkg(
        &nowhere,
        &[
            "generate",
            "--articles",
            &ARTICLES.to_string(),
            "--seed",
            "5",
            "--out",
            corpus.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "generate: {}", stderr(&out));
    // One file no extraction can read: the job names it and goes on.
    std::fs::write(corpus.join("zz-empty.txt"), b"").unwrap();

    let shards = dir.path().join("shards");
    let job = Command::new(spark_submit())
        .args(["--master", "local[2]"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/spark_extract.py"))
        .args(["--binary", env!("CARGO_BIN_EXE_govkg")])
        .args(["--no-model", "--partitions", "4", "--out"])
        .arg(&shards)
        .arg(&corpus)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .output()
        .expect("run spark-submit");
    let log = format!("{}{}", String::from_utf8_lossy(&job.stdout), stderr(&job));
    assert_eq!(job.status.code(), Some(2), "{log}");
    assert!(
        log.contains("zz-empty.txt") && log.contains("1 failed"),
        "{log}"
    );
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&shards)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert_eq!(parts.len(), 4, "one shard per partition");

    let loaded = dir.path().join("loaded");
    let mut args = vec!["--no-model".to_string(), "load".to_string()];
    args.extend(parts.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = govkg(&loaded, &args);
    assert!(out.status.success(), "load: {}", stderr(&out));

    let ingested = dir.path().join("ingested");
    let out = govkg(
        &ingested,
        &["--no-model", "ingest", corpus.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "ingest: {}", stderr(&out));

    for name in COOKBOOK {
        let (a, b) = (answers(&loaded, name), answers(&ingested, name));
        assert!(!a.is_empty(), "{name}: no rows");
        assert_eq!(a, b, "{name}: the shards answer otherwise than one ingest");
    }
}
