#!/usr/bin/env bash
# Stream-ingest throughput, in one run, on the same page-cached files:
#   xtalreport stats (statistics mode and --peaks) vs `wc -l` and `cat > /dev/null`,
# best of N runs each, plus xtalreport's peak RSS. Inputs are generated with
# `xtalreport example` (about 1.1 GB with the default IMAGES) and reused while unchanged.
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
    times, rss = [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
        rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return min(times), rss

rows = [
    ("cat > /dev/null", ["cat", *files]),
    ("wc -l", ["wc", "-l", *files]),
    ("xtalreport stats (statistics mode)", [binary, "stats", "--json", "-q", *files]),
    ("xtalreport stats --peaks", [binary, "stats", "--json", "-q", "--peaks", *files]),
]
results = {name: best(cmd) for name, cmd in rows}
wc = results["wc -l"][0]
cat = results["cat > /dev/null"][0]
print(f"input: {len(files)} files, {size/1e9:.3f} GB, page cache warm, best of {runs} runs")
print(f"{'command':38} {'seconds':>8} {'GB/s':>7} {'vs wc -l':>9} {'vs cat':>7}")
for name, _ in rows:
    t, _ = results[name]
    print(f"{name:38} {t:8.3f} {size/t/1e9:7.2f} {wc/t:9.2f} {cat/t:7.2f}")
rss_stats = results["xtalreport stats (statistics mode)"][1]
print(f"peak RSS of the xtalreport runs: {rss_stats/1024:.0f} MB (ru_maxrss over children; includes mapped file pages touched)")
PY
