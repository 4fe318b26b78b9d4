#!/usr/bin/env bash
# End-to-end benchmark on a generated corpus (deterministic, seed 1):
#   scripts/bench.sh [ARTICLES] [WORKDIR]
#   RUNS=3 EXPORTS="dot" scripts/bench.sh 10000    (fewer query runs, fewer exports)
# Prints extraction speed, ingest speed and peak memory, the storage floor
# (Oxigraph's bulk loader on the same quads), the ratio, store size, query
# latency (p50/p99 over 10 runs in one process) and export time and memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
W=${2:-$(mktemp -d)}
cargo build --release --quiet --bin govkg --example floor
B=target/release/govkg
T() { /usr/bin/time -f "%e %M" "$@" 2> "$W/time.txt" >/dev/null; tail -1 "$W/time.txt"; }

rm -rf "$W/corpus" "$W/store" "$W/floor"
$B generate --articles "$N" --seed 1 --out "$W/corpus" 2>/dev/null
chars=$(cat "$W"/corpus/*.txt | wc -m)
echo "corpus: $N articles, $chars characters ($W/corpus)"

read -r secs _ < <(T $B extract "$W/corpus" -o "$W/corpus.nq")
quads=$(wc -l < "$W/corpus.nq")
python3 -c "print(f'extract:  {$secs:.1f} s, {$N/$secs:.0f} articles/s, {$chars/1e6/$secs:.2f} M chars/s, {$quads} quads ({$quads/$N:.0f} per article)')"

read -r floor compaction < <(target/release/examples/floor "$W/floor" "$W/corpus.nq")
floor_size=$(du -sk "$W/floor" | cut -f1)
python3 -c "print(f'floor:    {$floor:.1f} s (Oxigraph bulk loader, same quads), then {$compaction:.1f} s compacting it to {$floor_size/1024:.0f} MiB')"

read -r secs kb < <(T $B --store "$W/store" ingest "$W/corpus")
stored=$($B --store "$W/store" query --format csv 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' | sed -n 2p | tr -d "\r")
# Measured once the store has been opened again (by the count above): RocksDB
# then drops the batch's last write-ahead log, which it keeps until then.
size=$(du -sk "$W/store" | cut -f1)
python3 -c "print(f'ingest:   {$secs:.1f} s, {$N/$secs:.0f} articles/s, peak RSS {$kb/1024:.0f} MiB, ratio to floor {$secs/$floor:.2f} (to floor and compaction {$secs/($floor+$compaction):.2f}), store {$size/1024:.0f} MiB ({$size/$N:.0f} KiB/article), {$stored} quads stored ({$stored/$N:.0f} per article)')"

official=$(grep -o "区委书记[^,。主]\{2,3\}主持" "$W/corpus/00005.txt" | head -1 | sed 's/区委书记//; s/主持//')
# A party to an agreement and a district with projects, for the queries an
# analyst scopes that way (their first rows in the store's order).
first() { $B --store "$W/store" query --format csv "$1" | sed -n 2p | tr -d "\r"; }
party=$(first 'SELECT ?l WHERE { ?a <https://w3id.org/govkg/ontology#party> ?p . ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 1')
district=$(first 'SELECT ?l WHERE { ?x a <https://w3id.org/govkg/ontology#Project> ; <http://schema.org/containedInPlace> ?d . ?d <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 1')
$B --store "$W/store" time-queries --runs "${RUNS:-10}" --official "$official" \
  --scope "org=$party" --scope "district=$district" \
  ontology/queries/{posts,meetings,participation,agreements,projects}.rq

for f in ${EXPORTS-json graphml dot}; do
  read -r secs kb < <(T $B --store "$W/store" export --format $f -o "$W/map.$f")
  echo "export $f: $secs s, peak RSS $((kb / 1024)) MiB"
done
if [ -f "$W/map.json" ]; then
  python3 -c "import json; d=json.load(open('$W/map.json')); print(len(d['elements']['nodes']), 'nodes,', len(d['elements']['edges']), 'edges')"
fi
