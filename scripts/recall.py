#!/usr/bin/env python3
"""People and organisation recall of extraction against the corpus gold.
Gold people: the person/official column of every required row of posts,
participation and meetings; gold organisations: the organisation of required
meetings rows and both parties of required agreements rows. Found: a name
(any of a gold cell's |-alternatives) among the article's extracted people
(post/joins/meets lines) or organisations (org lines, met organisations,
signing parties). Usage: cargo build --release --example facts && scripts/recall.py CORPUS_DIR [IDS...]
(GOVKG_NO_MODEL=1: rules alone; ALL=1: optional rows too; VERBOSE=1: list misses)"""
import os, subprocess, sys, glob, collections
corpus = sys.argv[1]
ids = sys.argv[2:] or sorted(os.path.basename(p)[:-4] for p in glob.glob(f"{corpus}/*.txt"))
def rows(i, name):
    p = f"{corpus}/gold/{i}/{name}.tsv"
    if not os.path.exists(p): return []
    out = []
    for line in open(p, encoding="utf-8"):
        if line.startswith("#") or not line.strip(): continue
        cols = line.rstrip("\n").split("\t")
        if cols[-1] == "req" or os.environ.get("ALL"): out.append(cols)
    return out
files = [f"{corpus}/{i}.txt" for i in ids]
res = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "examples", "facts"), *files], capture_output=True, text=True, check=True).stdout
people, orgs = collections.defaultdict(set), collections.defaultdict(set)
cur = None
for line in res.splitlines():
    if line.startswith("== "):
        cur = os.path.basename(line[3:])[:-4]; continue
    f = line.split(" ")
    if f[0] in ("post", "joins", "meets"): people[cur].add(f[1])
    if f[0] == "meets": orgs[cur].add(f[2])
    if f[0] == "org": orgs[cur].add(f[1])
    if f[0] == "signs": orgs[cur].update(f[1:3])
tot = {"people": [0, 0], "orgs": [0, 0]}
missed = []
for i in ids:
    gp = {r[0] for r in rows(i, "posts") + rows(i, "participation") + rows(i, "meetings")}
    go = {r[1] for r in rows(i, "meetings")} | {c for r in rows(i, "agreements") for c in r[:2]}
    for kind, gold, found in (("people", gp, people[i]), ("orgs", go, orgs[i])):
        for cell in gold - {"*"}:
            ok = any(a in found for a in cell.split("|"))
            tot[kind][0] += ok; tot[kind][1] += 1
            if not ok: missed.append(f"{i} {kind} {cell}")
for k, (a, b) in tot.items():
    print(f"{k}: {a}/{b} = {a/b:.3f}" if b else f"{k}: -")
if os.environ.get("VERBOSE"): print("\n".join(missed))
