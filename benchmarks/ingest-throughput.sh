#!/usr/bin/env bash
# Stream-ingest throughput, in one run, on the same page-cached files:
#   xtalreport stats (statistics mode on 1 and 2 threads, and --peaks) vs `wc -l` and
#   `cat > /dev/null`, best of N runs each, with each command's peak RSS; then the whole
#   `xtalreport run` (ingest, statistics, time points, summary.json, report, SQLite store).
# Inputs are generated with `xtalreport example` (about 1.1 GB with the default IMAGES)
# and reused while unchanged.
#
#   benchmarks/ingest-throughput.sh            # IMAGES=650000 RUNS=5
#   IMAGES=2000000 RUNS=3 benchmarks/ingest-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${IMAGES:-650000}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$IMAGES}

swift build -c release --product xtalreport >&2
BIN=$PWD/.build/release/xtalreport
if [ "$(cat "$DIR/.complete" 2>/dev/null)" != "$IMAGES" ]; then
    rm -rf "$DIR"
    echo "generating $IMAGES images into $DIR ..." >&2
    "$BIN" example "$DIR" --images "$IMAGES" -q >/dev/null
    echo "$IMAGES" >"$DIR/.complete"
fi

python3 - "$BIN" "$RUNS" "$DIR"/run01.stream "$DIR"/run02.stream "$DIR"/run03.stream <<'PY'
import os, resource, subprocess, sys, time

binary, runs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
size = sum(os.path.getsize(f) for f in files)
subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)  # warm the page cache

def best(cmd):
    """Best wall time of `runs` runs and the peak RSS (KB) of the command itself."""
    times, rss = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        times.append(time.perf_counter() - t)
        rss = max(rss, usage.ru_maxrss)
    return min(times), rss

rows = [
    ("cat > /dev/null", ["cat", *files]),
    ("wc -l", ["wc", "-l", *files]),
    ("xtalreport stats --threads 1", [binary, "stats", "--json", "-q", "--threads", "1", *files]),
    ("xtalreport stats --threads 2", [binary, "stats", "--json", "-q", "--threads", "2", *files]),
    ("xtalreport stats --peaks --threads 2", [binary, "stats", "--json", "-q", "--peaks", "--threads", "2", *files]),
]
results = {name: best(cmd) for name, cmd in rows}
wc = results["wc -l"][0]
cat = results["cat > /dev/null"][0]
print(f"input: {len(files)} files, {size/1e9:.3f} GB, page cache warm, best of {runs} runs")
print(f"{'command':38} {'seconds':>8} {'GB/s':>7} {'vs wc -l':>9} {'vs cat':>7} {'peak RSS MB':>12}")
for name, _ in rows:
    t, rss = results[name]
    print(f"{name:38} {t:8.3f} {size/t/1e9:7.2f} {wc/t:9.2f} {cat/t:7.2f} {rss/1024:12.0f}")
one, two = results["xtalreport stats --threads 1"][0], results["xtalreport stats --threads 2"][0]
print(f"two threads vs one: {one/two:.2f}x (whole command: reading, statistics, JSON)")

manifest = os.path.join(os.path.dirname(files[0]), "manifest.yaml")
out = os.path.join(os.path.dirname(files[0]), "bench-out")
t, rss = best([binary, "run", manifest, "-q", "--output", out, "--db", f"sqlite:{out}/bench.sqlite"])
print(f"xtalreport run (ingest, statistics, time points, split files, report, SQLite store): {t:.2f} s, peak RSS {rss/1024:.0f} MB")
PY
