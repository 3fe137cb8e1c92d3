#!/usr/bin/env bash
# Reading compressed streams, in one run on the same page-cached files: `xtalreport stats`
# on a .stream.gz and a .stream.zst against the plain .stream, and against what a user
# would otherwise do first — `zcat FILE | wc -l`, `zstdcat FILE | wc -l` and, for a file of
# many zstd frames made by pzstd, `pzstd -dc FILE | wc -l`, and for BGZF made by htslib's
# bgzip, `bgzip -dc FILE | wc -l` (decompression alone, through a pipe; pzstd and bgzip on
# as many threads as xtalreport). Best of RUNS runs each, with peak RSS; the summaries of the
# compressed reads are compared with the plain one (identical but for the path and the
# compression fields). The stream is run01 of an example (`xtalreport example`), compressed
# once with gzip -6, zstd -3, pzstd -3 and bgzip -6 (the programs' defaults) and kept while
# unchanged.
#
#   benchmarks/compressed-throughput.sh                 # IMAGES=650000 RUNS=3
#   IMAGES=1000000 RUNS=3 benchmarks/compressed-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${IMAGES:-650000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$IMAGES}
swift build -c release --product xtalreport >&2
BIN=$PWD/.build/release/xtalreport
if [ "$(cat "$DIR/.complete" 2>/dev/null)" != "$IMAGES" ]; then
    rm -rf "$DIR"
    echo "generating $IMAGES images into $DIR ..." >&2
    "$BIN" example "$DIR" --images "$IMAGES" --no-rotation-run -q >/dev/null
    echo "$IMAGES" >"$DIR/.complete"
fi
PLAIN=$DIR/run01.stream
[ "$PLAIN.gz" -nt "$PLAIN" ] || { echo "gzip -6 $PLAIN ..." >&2; gzip -6 -k -f "$PLAIN"; }
[ "$PLAIN.zst" -nt "$PLAIN" ] || { echo "zstd -3 $PLAIN ..." >&2; zstd -3 -q -k -f "$PLAIN"; }
[ "$PLAIN.pzst" -nt "$PLAIN" ] || { echo "pzstd -3 $PLAIN ..." >&2; pzstd -3 -q -f -p "$(nproc)" "$PLAIN" -o "$PLAIN.pzst"; }
[ "$PLAIN.bgz" -nt "$PLAIN" ] || { echo "bgzip -6 $PLAIN ..." >&2; bgzip -l 6 -@ "$(nproc)" -c "$PLAIN" >"$PLAIN.bgz"; }

python3 - "$BIN" "$RUNS" "$PLAIN" <<'PY'
import json, os, subprocess, sys, time

binary, runs, plain = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for f in (plain, plain + ".gz", plain + ".zst", plain + ".pzst", plain + ".bgz"):
    subprocess.run(["cat", f], stdout=subprocess.DEVNULL, check=True)  # warm the page cache

def best(cmd, shell=False):
    times, rss = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        times.append(time.perf_counter() - t)
        rss = max(rss, usage.ru_maxrss)
        if status != 0:
            sys.exit(f"failed: {cmd}")
    return min(times), rss // 1024

def summary(path):
    out = subprocess.run([binary, "stats", path, "--json"], capture_output=True, check=True).stdout
    s = json.loads(out)
    s.pop("generated", None)
    for run in s.get("runs", []):
        run.pop("name", None)
        for f in run.get("inputs", []):
            for key in ("path", "compression", "compressedBytes"):
                f.pop(key, None)
    return s

size = os.path.getsize(plain)
reference = summary(plain)
t_plain, rss_plain = best([binary, "stats", plain, "--json"])
print(f"stream: {plain} ({size / 1e9:.2f} GB; gzip {os.path.getsize(plain + '.gz') / 1e9:.2f} GB, "
      f"zstd {os.path.getsize(plain + '.zst') / 1e9:.2f} GB, pzstd {os.path.getsize(plain + '.pzst') / 1e9:.2f} GB, "
      f"bgzip {os.path.getsize(plain + '.bgz') / 1e9:.2f} GB), "
      f"best of {runs}")
print(f"{'command':<40} {'wall s':>8} {'GB/s':>6} {'peak MB':>8}")
print(f"{'xtalreport stats run01.stream':<40} {t_plain:8.2f} {size / t_plain / 1e9:6.2f} {rss_plain:8d}")
threads = os.cpu_count()
for suffix, tool, command in ((".gz", "zcat", "zcat '{}'"), (".zst", "zstdcat", "zstdcat '{}'"),
                              (".pzst", "pzstd -dc", "pzstd -dc -q -p %d '{}'" % threads),
                              (".bgz", "bgzip -dc", "bgzip -dc -@ %d '{}'" % threads)):
    path = plain + suffix
    t_tool, _ = best(command.format(path) + " | wc -l", shell=True)
    t_ours, rss = best([binary, "stats", path, "--json"])
    same = summary(path) == reference
    print(f"{tool + ' run01.stream' + suffix + ' | wc -l':<40} {t_tool:8.2f} {size / t_tool / 1e9:6.2f} {'':>8}")
    print(f"{'xtalreport stats run01.stream' + suffix:<40} {t_ours:8.2f} {size / t_ours / 1e9:6.2f} {rss:8d}"
          f"   {t_tool / t_ours:.2f}x {tool}|wc -l, {t_plain / t_ours:.2f}x plain; summary "
          + ("identical" if same else "DIFFERS"))
PY
