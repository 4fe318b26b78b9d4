#!/usr/bin/env python3
"""Extraction on Apache Spark: a corpus split into partitions, `govkg extract`
run on each by the executors, N-Quads shards written for `govkg load`.

    spark-submit --master 'local[2]' scripts/spark_extract.py \
        --binary target/release/govkg [--model models/lac | --no-model] \
        --partitions 8 --out shards/ CORPUS_FOLDER
    govkg --store S load shards/part-*

The govkg binary (and the NER model's folder) travel to the executors with the
job (`SparkContext.addFile`), so the executors need nothing installed but a
Python and a Java runtime. The corpus is read where it lies: every executor
must see its files at the same path (local mode, or a folder every node
mounts). The shards go wherever `--out` points (a local folder here, or any
Hadoop file system: `hdfs://…`, `s3a://…`); each is one partition's N-Quads,
so they can also be loaded into any SPARQL store.

A file govkg cannot read is reported by the executor's `govkg extract` (its
message names the file); the rest of its partition is still extracted, the job
prints the count of failed files at the end and exits with status 2, as
`govkg extract` does.
"""

import argparse
import os
import stat
import subprocess
import sys
import tempfile
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="a folder of articles (searched recursively)")
    ap.add_argument("--binary", required=True, help="the govkg executable to ship")
    ap.add_argument("--out", required=True, help="the folder the shards are written to")
    ap.add_argument("--partitions", type=int, default=0,
                    help="how many shards (default: the cluster's default parallelism)")
    model = ap.add_mutually_exclusive_group()
    model.add_argument("--model", help="the NER model's folder (models/lac) to ship")
    model.add_argument("--no-model", action="store_true", help="extract on rules alone")
    ap.add_argument("--published", help="passed to `govkg extract --published`")
    return ap.parse_args(argv)


def articles(corpus):
    """The article files of a folder, sorted (hidden files and folders skipped)."""
    found = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return found


def extract_partition(paths, binary_name, model_name, no_model, published, failures):
    """Runs `govkg extract` on one partition's files; yields its N-Quads lines."""
    from pyspark import SparkFiles

    paths = list(paths)
    if not paths:
        return
    binary = SparkFiles.get(binary_name)
    mode = os.stat(binary).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    cmd = [binary]
    if no_model:
        cmd.append("--no-model")
    elif model_name:
        cmd += ["--model", SparkFiles.get(model_name)]
    with tempfile.TemporaryDirectory(prefix="govkg-shard-") as tmp:
        out = os.path.join(tmp, "shard.nq")
        cmd += ["extract", "-o", out]
        if published:
            cmd += ["--published", published]
        # `extract` opens no store; GOVKG_STORE points at a folder that is
        # never made, so no executor writes beside the job.
        env = dict(os.environ, GOVKG_STORE=os.path.join(tmp, "no-store"))
        run = subprocess.run(cmd + paths, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        for line in run.stderr.splitlines():
            if line.startswith("error:"):
                failures.add(1)
                print(line, file=sys.stderr)
        if run.returncode not in (0, 2):
            raise RuntimeError(f"govkg extract failed ({run.returncode}): {run.stderr[-2000:]}")
        with open(out, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line:
                    yield line


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("govkg-extract").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    paths = articles(os.path.abspath(args.corpus))
    if not paths:
        print(f"spark_extract: no files in {args.corpus}", file=sys.stderr)
        return 1
    sc.addFile(os.path.abspath(args.binary))
    binary_name = os.path.basename(args.binary)
    model_name = None
    if args.model and not args.no_model:
        sc.addFile(os.path.abspath(args.model), recursive=True)
        model_name = os.path.basename(os.path.normpath(args.model))
    partitions = args.partitions or sc.defaultParallelism
    failures = sc.accumulator(0)
    started = time.time()
    (sc.parallelize(paths, partitions)
       .mapPartitions(lambda part: extract_partition(
           part, binary_name, model_name, args.no_model, args.published, failures))
       .saveAsTextFile(args.out))
    seconds = time.time() - started
    print(f"spark_extract: {len(paths)} article(s) in {partitions} partition(s), "
          f"{failures.value} failed, {seconds:.1f} s ({len(paths) / seconds:.1f} articles/s) "
          f"-> {args.out}", file=sys.stderr)
    spark.stop()
    return 2 if failures.value else 0


if __name__ == "__main__":
    sys.exit(main())
