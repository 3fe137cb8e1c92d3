#!/usr/bin/env bash
# Stream-ingest throughput, in one run, on the same page-cached files:
#   xtalreport stats (statistics mode on 1 and 2 threads, and --peaks) vs `wc -l`,
#   `cat > /dev/null` and the floor of any mapped reader (map the files, count newlines,
#   nothing else: benchmarks/LineCountFloor), best of N runs each, with each command's
#   peak RSS; then the whole
#   `xtalreport run` (ingest, statistics, time points, summary.json, report, SQLite store).
# Inputs are generated with `xtalreport example` (about 1.1 GB with the default IMAGES)
# and reused while unchanged. With BIG_IMAGES set, a second example of that many images
# (5,400,000 make about 10 GB) is read once more for the memory target: peak RSS of
# `stats` against 150 MB + 16 bytes per image. Each target of the performance issue is
# printed with "met" or "NOT met".
#
#   benchmarks/ingest-throughput.sh            # IMAGES=650000 RUNS=5
#   IMAGES=1000000 RUNS=3 BIG_IMAGES=5400000 benchmarks/ingest-throughput.sh
#
# The statistics core at ten million images is a package benchmark (its own harness):
#   cd benchmarks && swift package benchmark --filter '.*10M.*'
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${IMAGES:-650000}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$IMAGES}

BIG_IMAGES=${BIG_IMAGES:-}
BIG_DIR=${BIG_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$BIG_IMAGES}

swift build -c release --product xtalreport >&2
BIN=$PWD/.build/release/xtalreport
# The floor: map the files and count newlines, nothing else (benchmarks/LineCountFloor).
swift build -c release --package-path benchmarks --product line-count-floor >&2
FLOOR=$PWD/benchmarks/.build/release/line-count-floor
# shellcheck source=benchmarks/example-inputs.sh
source "$PWD/benchmarks/example-inputs.sh"
generate "$IMAGES" "$DIR"
if [ -n "$BIG_IMAGES" ]; then generate "$BIG_IMAGES" "$BIG_DIR"; fi

python3 - "$BIN" "$FLOOR" "$RUNS" "$IMAGES" "${BIG_IMAGES:+$BIG_DIR}" "$DIR"/run01.stream "$DIR"/run02.stream "$DIR"/run03.stream <<'PY'
import json, os, resource, subprocess, sys, time

binary, floor, runs, generated, big_dir, files = (
    sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6:])
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
    ("floor: mapped newline count, 1 thread", [floor, "--threads", "1", *files]),
    ("floor: mapped newline count, 2 threads", [floor, "--threads", "2", *files]),
    ("xtalreport stats --threads 1", [binary, "stats", "--json", "-q", "--threads", "1", *files]),
    ("xtalreport stats --threads 2", [binary, "stats", "--json", "-q", "--threads", "2", *files]),
    ("xtalreport stats --peaks --threads 2", [binary, "stats", "--json", "-q", "--peaks", "--threads", "2", *files]),
]
results = {name: best(cmd) for name, cmd in rows}
wc = results["wc -l"][0]
cat = results["cat > /dev/null"][0]
print(f"input: {len(files)} files, {size/1e9:.3f} GB, page cache warm, best of {runs} runs")
print(f"{'command':40} {'seconds':>8} {'GB/s':>7} {'vs wc -l':>9} {'vs cat':>7} {'peak RSS MB':>12}")
for name, _ in rows:
    t, rss = results[name]
    print(f"{name:40} {t:8.3f} {size/t/1e9:7.2f} {wc/t:9.2f} {cat/t:7.2f} {rss/1024:12.0f}")
one, two = results["xtalreport stats --threads 1"][0], results["xtalreport stats --threads 2"][0]
print(f"two threads vs one: {one/two:.2f}x (whole command: reading, statistics, JSON)")

manifest = os.path.join(os.path.dirname(files[0]), "manifest.yaml")
out = os.path.join(os.path.dirname(files[0]), "bench-out")
run_time, rss = best([binary, "run", manifest, "-q", "--output", out, "--db", f"sqlite:{out}/bench.sqlite"])
print(f"xtalreport run (ingest, statistics, time points, split files, report, SQLite store): {run_time:.2f} s, peak RSS {rss/1024:.0f} MB")

def verdict(ok):
    return "met" if ok else "NOT met"
full = size / results["xtalreport stats --peaks --threads 2"][0] / 1e9
print("targets:")
floor1 = results["floor: mapped newline count, 1 thread"][0]
print(f"  statistics mode, one thread >= wc -l: {wc/one:.2f}x wc -l, {verdict(wc/one >= 1)}"
      f" (the bare mapped newline count alone is {wc/floor1:.2f}x wc -l; stats is {floor1/one:.2f}x that floor)")
print(f"  two threads >= 1.7x one thread: {one/two:.2f}x, {verdict(one/two >= 1.7)}")
print(f"  full mode >= 1 GB/s: {full:.2f} GB/s, {verdict(full >= 1)}")
if generated >= 1_000_000:
    print(f"  whole run of a {generated:,}-image 3-run example <= 10 s: {run_time:.2f} s, {verdict(run_time <= 10)}")
if big_dir:
    big_files = [os.path.join(big_dir, f"run0{k}.stream") for k in (1, 2, 3)]
    big_size = sum(os.path.getsize(f) for f in big_files)
    subprocess.run(["cat", *big_files], stdout=subprocess.DEVNULL, check=True)
    p = subprocess.Popen([binary, "stats", "--json", "-q", *big_files], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = p.stdout.read()
    _, _, usage = os.wait4(p.pid, 0)
    big_images = json.loads(output)["cumulative"]["images"]
    limit = 150e6 + 16 * big_images
    peak = usage.ru_maxrss * 1024
    print(f"  peak memory on {big_size/1e9:.2f} GB ({big_images} images) <= 150 MB + 16 B/image = {limit/1e6:.0f} MB: "
          f"{peak/1e6:.0f} MB, {verdict(peak <= limit)}")
PY
