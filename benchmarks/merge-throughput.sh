#!/usr/bin/env bash
# Merging throughput, in one run, on the same page-cached files (the targets of the
# merge-statistics issue, each printed as "met" or "NOT met"):
#   - reflection mode: `xtalreport stats --merge` (reflection lists parsed, every file and
#     all files merged, check_hkl/compare_hkl figures, accumulation curves) on 2 threads,
#     against `wc -l` and statistics-only `stats` on the same files;
#   - `run` with merging against `run --no-merge` (the cost of merging in the main job);
#   - with CRYSTFEL_BIN (the bin folder of a CrystFEL 0.11.1 installation): its own stream
#     reader with peaks and reflections (benchmarks/CrystFELReader) against the
#     reflection-mode ingest (`stats --merge --timings`: the process until its merge stage
#     begins), and against the whole `stats --merge`, on run01 and on the 1.12 GB stream
#     the issue measured it on (built from
#     ../shared's sample as ../shared/docs/crystfel-stream.md §9.2 describes); and the
#     CrystFEL commands that give one dataset's figures (process_hkl
#     three times, check_hkl, compare_hkl for CC, CC* and Rsplit) against
#     `xtalreport stats FILE --merge` on the same stream, and their overall figures
#     compared with ours;
#   - with BIG_IMAGES: peak RSS of `stats --merge` on that example against
#     200 MB + 16 bytes per image.
# The merge core at 100 M observations is a package benchmark:
#   cd benchmarks && swift package benchmark --target MergeCore
#
#   benchmarks/merge-throughput.sh                    # IMAGES=200000 RUNS=3
#   CRYSTFEL_BIN=/opt/crystfel/bin IMAGES=1000000 benchmarks/merge-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${IMAGES:-200000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$IMAGES}
BIG_IMAGES=${BIG_IMAGES:-}
BIG_DIR=${BIG_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$BIG_IMAGES}
CRYSTFEL_BIN=${CRYSTFEL_BIN:-}
SHARED=${SHARED:-$PWD/../shared}

swift build -c release --product xtalreport >&2
BIN=$PWD/.build/release/xtalreport
# shellcheck source=benchmarks/example-inputs.sh
source "$PWD/benchmarks/example-inputs.sh"
generate "$IMAGES" "$DIR"
if [ -n "$BIG_IMAGES" ]; then generate "$BIG_IMAGES" "$BIG_DIR"; fi

# CrystFEL's own reader (benchmarks/CrystFELReader, this project's code calling libcrystfel's
# stream_read_chunk) built against the installation CRYSTFEL_BIN belongs to, and the
# 1.12 GB stream of ../shared/docs/crystfel-stream.md §9.2 on which the issue measured it.
READER=""
BIG100K=""
if [ -n "$CRYSTFEL_BIN" ]; then
    PREFIX=$(cd "$CRYSTFEL_BIN/.." && pwd)
    LIBDIR=$(dirname "$(find "$PREFIX" -name 'libcrystfel.so*' | head -1)")
    export LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    READER=${TMPDIR:-/tmp}/xtalreport-crystfel-reader
    gcc -O2 -o "$READER" benchmarks/CrystFELReader/crystfel-reader.c -I"$PREFIX/include" \
        $(pkg-config --cflags glib-2.0 2>/dev/null) -L"$LIBDIR" -lcrystfel -Wl,-rpath,"$LIBDIR"
    SAMPLE=$SHARED/samples/ssx/crystfel-0.9.1_taw10-crystfel_tests_test.stream
    if [ -f "$SAMPLE" ]; then
        BIG100K=${TMPDIR:-/tmp}/xtalreport-bench-big100k.stream
        [ -f "$BIG100K" ] || python3 benchmarks/cycled-stream.py "$SAMPLE" 100000 "$BIG100K"
    else
        echo "note: $SAMPLE not found; the reader ratio is measured on the example only" >&2
    fi
fi

python3 - "$BIN" "$RUNS" "$DIR" "${BIG_IMAGES:+$BIG_DIR}" "$CRYSTFEL_BIN" "$READER" "$BIG100K" <<'PY'
import json, os, re, subprocess, sys, tempfile, time

binary, runs, folder, big_dir, crystfel = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
reader, big100k = sys.argv[6], sys.argv[7]
files = [os.path.join(folder, f"run0{k}.stream") for k in (1, 2, 3)]
size = sum(os.path.getsize(f) for f in files)
subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)

def best(cmd, cwd=None):
    times, rss = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        times.append(time.perf_counter() - t)
        rss = max(rss, usage.ru_maxrss)
        if status != 0 and os.waitstatus_to_exitcode(status) not in (0, 3):
            sys.exit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}")
    return min(times), rss

def best_ingest(cmd):
    """Best of `runs` of a `stats --merge --timings` command: (whole wall time, ingest).
    The ingest is the wall time less the merge and output stages that --timings prints,
    so it is the process from its start (loading included) until every reflection list is
    in the observation table (spilled blocks written): what CrystFEL's reader does."""
    whole, ingest = [], []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd + ["--timings"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if p.returncode not in (0, 3):
            sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}")
        stages = dict((name, float(sec)) for name, sec in re.findall(r"(merge|output) ([0-9.]+) s", p.stderr))
        whole.append(wall)
        ingest.append(wall - stages.get("merge", 0) - stages.get("output", 0))
    return min(whole), min(ingest)

def verdict(ok):
    return "met" if ok else "NOT met"

merge = [binary, "stats", "--json", "-q", "--merge", "--point-group", "4/mmm"]
rows = [
    ("wc -l", ["wc", "-l", *files]),
    ("xtalreport stats --threads 2", [binary, "stats", "--json", "-q", "--threads", "2", *files]),
    ("xtalreport stats --merge --threads 1", merge + ["--threads", "1", *files]),
    ("xtalreport stats --merge --threads 2", merge + ["--threads", "2", *files]),
]
results = {name: best(cmd) for name, cmd in rows}
print(f"input: {len(files)} files, {size/1e9:.3f} GB, page cache warm, best of {runs} runs")
print(f"{'command':40} {'seconds':>8} {'GB/s':>7} {'vs wc -l':>9} {'peak RSS MB':>12}")
wc = results["wc -l"][0]
for name, _ in rows:
    t, rss = results[name]
    print(f"{name:40} {t:8.3f} {size/t/1e9:7.2f} {wc/t:9.2f} {rss/1024:12.0f}")
manifest = os.path.join(folder, "manifest.yaml")
with tempfile.TemporaryDirectory() as out:
    plain, _ = best([binary, "run", manifest, "-q", "--no-store", "--no-report", "--no-cache", "--no-merge", "--output", out])
    merged, rss = best([binary, "run", manifest, "-q", "--no-store", "--no-report", "--no-cache", "--output", out])
print(f"run --no-store --no-report: {plain:.2f} s without merging, {merged:.2f} s with ({merged/plain:.2f}x), peak RSS {rss/1024:.0f} MB")

print("targets:")
two = size / results["xtalreport stats --merge --threads 2"][0] / 1e9
_, ingest_all = best_ingest(merge + ["--threads", "2", *files])
print(f"  reflection-mode ingest on 2 threads >= 1.5 GB/s: {size/ingest_all/1e9:.2f} GB/s up to the merge stage, "
      f"{verdict(size/ingest_all/1e9 >= 1.5)} ({two:.2f} GB/s for the whole stats --merge: reading + merging + figures)")

if reader:
    # The peer's reader once per file (it takes tens of seconds), ours best of RUNS.
    for stream in [f for f in (files[0], big100k) if f]:
        subprocess.run(["cat", stream], stdout=subprocess.DEVNULL, check=True)
        t = time.perf_counter()
        subprocess.run([reader, stream], stdout=subprocess.DEVNULL, check=True)
        peer = time.perf_counter() - t
        # The example is merged in 4/mmm; the cycled sample in its own cell's Laue class (mmm).
        command = merge if stream == files[0] else merge[:merge.index("--point-group")]
        ours, ingest = best_ingest(command + ["--threads", "2", stream])
        gb = os.path.getsize(stream) / 1e9
        name = os.path.basename(stream)
        print(f"  reflection-mode ingest vs CrystFEL's reader (stream_read_chunk, peaks and reflections) on {name} "
              f"({gb:.3f} GB): {gb/peer:.3f} GB/s against {gb/ingest:.2f} GB/s (stats --merge on 2 threads, up to its "
              f"merge stage): {peer/ingest:.1f}x, target >= 25x {verdict(peer/ingest >= 25)}")
        print(f"    the whole stats --merge (ingest, merge, figures) on {name}: {gb/ours:.2f} GB/s, {peer/ours:.1f}x the reader")
else:
    print("  reflection mode vs CrystFEL's reader: not measured (set CRYSTFEL_BIN)")

if crystfel:
    stream = files[0]
    cell = os.path.join(folder, "bench.cell")
    with open(stream) as f:
        text = f.read(200000)
    block = text.split("----- Begin unit cell -----\n")[1].split("----- End unit cell -----")[0]
    with open(cell, "w") as f:
        f.write(block)
    with tempfile.TemporaryDirectory() as work:
        def cf(name, *args):
            return [os.path.join(crystfel, name), *args]
        commands = [
            cf("process_hkl", "-i", stream, "-o", "m.hkl", "-y", "4/mmm"),
            cf("process_hkl", "-i", stream, "-o", "m.hkl1", "-y", "4/mmm", "--even-only"),
            cf("process_hkl", "-i", stream, "-o", "m.hkl2", "-y", "4/mmm", "--odd-only"),
            cf("check_hkl", "m.hkl", "-y", "4/mmm", "-p", cell, "--shell-file=check.dat"),
            cf("compare_hkl", "m.hkl1", "m.hkl2", "-y", "4/mmm", "-p", cell, "--fom=cc", "--shell-file=cc.dat"),
            cf("compare_hkl", "m.hkl1", "m.hkl2", "-y", "4/mmm", "-p", cell, "--fom=ccstar", "--shell-file=ccstar.dat"),
            cf("compare_hkl", "m.hkl1", "m.hkl2", "-y", "4/mmm", "-p", cell, "--fom=rsplit", "--shell-file=rsplit.dat"),
        ]
        t = time.perf_counter()
        logs = [subprocess.run(c, cwd=work, capture_output=True, text=True, check=True) for c in commands]
        peer = time.perf_counter() - t
        ours_t, _ = best(merge + ["--threads", "2", stream])
        ours = json.loads(subprocess.run(merge + ["--threads", "2", stream], capture_output=True, text=True).stdout)
        d = ours["merging"]["datasets"][0]
        completeness = float(re.search(r"Overall completeness = ([0-9.]+)", logs[3].stderr + logs[3].stdout).group(1))
        cc = float(re.search(r"Overall CC = ([0-9.]+)", logs[4].stderr + logs[4].stdout).group(1))
        rsplit = float(re.search(r"Overall Rsplit = ([0-9.]+)", logs[6].stderr + logs[6].stdout).group(1))
        same = (f"{completeness:.4f}" == f"{d['overall']['completenessPercent']:.4f}"
                and f"{cc:.7f}" == f"{d['halfSetOverall']['cc']:.7f}" and f"{rsplit:.2f}" == f"{d['halfSetOverall']['rSplitPercent']:.2f}")
        print(f"  CrystFEL on {os.path.basename(stream)} ({os.path.getsize(stream)/1e9:.3f} GB): {peer:.2f} s for the 7 commands; "
              f"xtalreport stats --merge {ours_t:.3f} s: {peer/ours_t:.1f}x, target >= 50x {verdict(peer/ours_t >= 50)}")
        print(f"    figures: completeness {completeness:.4f} / {d['overall']['completenessPercent']:.4f} %, "
              f"CC1/2 {cc:.7f} / {d['halfSetOverall']['cc']:.7f}, Rsplit {rsplit:.2f} / {d['halfSetOverall']['rSplitPercent']:.2f} % "
              f"(CrystFEL / xtalreport): {'identical' if same else 'DIFFERENT'}")
else:
    print("  CrystFEL comparison: not measured (set CRYSTFEL_BIN to a folder with CrystFEL 0.11.1's process_hkl, check_hkl, compare_hkl)")

if big_dir:
    big_files = [os.path.join(big_dir, f"run0{k}.stream") for k in (1, 2, 3)]
    subprocess.run(["cat", *big_files], stdout=subprocess.DEVNULL, check=True)
    p = subprocess.Popen(merge + big_files, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = p.stdout.read()
    _, _, usage = os.wait4(p.pid, 0)
    images = json.loads(output)["cumulative"]["images"]
    limit = 200e6 + 16 * images
    peak = usage.ru_maxrss * 1024
    print(f"  peak memory with merging on {sum(map(os.path.getsize, big_files))/1e9:.2f} GB ({images} images) <= 200 MB + 16 B/image"
          f" = {limit/1e6:.0f} MB: {peak/1e6:.0f} MB, {verdict(peak <= limit)}")
print("  merge core, 100M observations <= 1.5 s: see `cd benchmarks && swift package benchmark --target MergeCore`")
PY
