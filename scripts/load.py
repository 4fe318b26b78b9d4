#!/usr/bin/env python3
"""Load run against a govkg SPARQL endpoint: N concurrent clients for S seconds,
each sending the five competency queries in turn over one keep-alive connection.
Prints requests/s and p50/p99 latency, overall and per query.

    scripts/load.py http://127.0.0.1:7878/sparql [--clients 8] [--seconds 30]
"""
import argparse, http.client, statistics, threading, time, urllib.parse
from pathlib import Path

QUERIES = ["posts", "meetings", "participation", "agreements", "projects"]

def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

def client(url, texts, stop, results, errors, offset):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    i = offset
    while not stop.is_set():
        name, text = texts[i % len(texts)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("POST", u.path, body=text.encode(), headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            body = response.read()
            ok = response.status == 200 and body
        except Exception:
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        elapsed = time.perf_counter() - started
        if ok:
            results.append((name, elapsed))
        else:
            errors.append(name)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent / "ontology" / "queries"
    texts = [(q, (root / f"{q}.rq").read_text(encoding="utf-8")) for q in QUERIES]
    stop, results, errors = threading.Event(), [], []
    threads = [threading.Thread(target=client, args=(args.url, texts, stop, results, errors, k))
               for k in range(args.clients)]
    started = time.perf_counter()
    for t in threads: t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads: t.join()
    wall = time.perf_counter() - started
    print(f"{args.clients} clients, {wall:.1f} s: {len(results)} requests, {len(errors)} errors, "
          f"{len(results) / wall:.1f} requests/s")
    print(f"{'query':<14} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for name in QUERIES + ["all"]:
        lat = [e for q, e in results if name in (q, "all")]
        if lat:
            print(f"{name:<14} {len(lat):>6} {percentile(lat, 50)*1000:>8.1f} {percentile(lat, 99)*1000:>8.1f}")

if __name__ == "__main__":
    main()
