#!/usr/bin/env bash
# The main job against reading, in one run, on the same page-cached files (issue 19):
#   `xtalreport stats` (statistics mode; with --merge the reflection-mode read) as the
#   baseline, then `xtalreport run` of the same example without the store, with the SQLite
#   store, with merging off and on (the report always drawn), best of RUNS each, with each
#   command's peak RSS; the per-image row rates into SQLite and into a MariaDB server of
#   the script's own with the upstream DLS schema (`run --timings` prints them); the
#   master-file read of the big example's pump-probe run. Each target is printed with
#   "met" or "NOT met".
#
#   benchmarks/run-throughput.sh                                  # IMAGES=1000000 RUNS=3
#   IMAGES=2600000 BIG_IMAGES=5400000 benchmarks/run-throughput.sh
#
# IMAGES sets the example the ratios are measured on (2,600,000 images make about 10 GB);
# BIG_IMAGES a second, larger example whose pump-probe run has BIG_IMAGES/3 images: its
# master file is read for the master-file target (1.8 M images at 5,400,000) and its
# `run` is measured for the memory target. MariaDB needs mariadbd (scripts/install-deps.sh
# --test) and ../shared/ispyb-schema; without them that row says why it was left out.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${IMAGES:-1000000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$IMAGES}
BIG_IMAGES=${BIG_IMAGES:-}
BIG_DIR=${BIG_DIR:-${TMPDIR:-/tmp}/xtalreport-bench-$BIG_IMAGES}
SCHEMA=${ISPYB_SCHEMA:-$PWD/../shared/ispyb-schema/dls-v5.0.0}

swift build -c release --product xtalreport >&2
BIN=$PWD/.build/release/xtalreport
# shellcheck source=benchmarks/example-inputs.sh
source "$PWD/benchmarks/example-inputs.sh"
generate "$IMAGES" "$DIR"
if [ -n "$BIG_IMAGES" ]; then generate "$BIG_IMAGES" "$BIG_DIR"; fi

# A MariaDB server of the benchmark's own (socket only, data in a temporary folder), with
# the DLS schema and one visit, stopped on exit.
MARIADB_URL=""
MARIADB_WHY=""
work=$(mktemp -d)
cleanup() {
    if [ -f "$work/mariadbd.pid" ]; then kill "$(cat "$work/mariadbd.pid")" 2>/dev/null || true; sleep 1; fi
    rm -rf "$work"
}
trap cleanup EXIT
if [ ! -x /usr/sbin/mariadbd ]; then
    MARIADB_WHY="mariadbd is absent (scripts/install-deps.sh --test installs it)"
elif [ ! -f "$SCHEMA/tables.sql" ]; then
    MARIADB_WHY="the DLS schema is absent ($SCHEMA)"
else
    mariadb-install-db --user=root --datadir="$work/data" --auth-root-authentication-method=socket --skip-test-db >/dev/null 2>&1
    /usr/sbin/mariadbd --no-defaults --user=root --datadir="$work/data" --socket="$work/sock" --skip-networking \
        --pid-file="$work/mariadbd.pid" --log-error="$work/error.log" --innodb-buffer-pool-size=64M &
    client=(mariadb --no-defaults -uroot --socket="$work/sock")
    for _ in $(seq 100); do "${client[@]}" -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
    "${client[@]}" -e "CREATE DATABASE dls"
    for f in tables lookups routines; do "${client[@]}" dls <"$SCHEMA/$f.sql"; done
    "${client[@]}" dls -e "INSERT INTO Person (login, familyName) VALUES ('xtalreport', 'Bench');
        INSERT INTO Proposal (personId, title, proposalCode, proposalNumber) VALUES (LAST_INSERT_ID(), 'bench', 'mx', '2427');
        INSERT INTO BLSession (proposalId, visit_number, beamLineName, startDate) VALUES (LAST_INSERT_ID(), 1, 'i24', NOW());"
    MARIADB_URL="mariadb://root@localhost/dls?socket=$work/sock"
fi

python3 - "$BIN" "$RUNS" "$DIR" "$BIG_DIR" "${BIG_IMAGES:-0}" "$MARIADB_URL" "$MARIADB_WHY" "$work" <<'PY'
import os, re, resource, shutil, subprocess, sys, time

binary, runs, folder, big_folder, big_images, mariadb, mariadb_why, work = sys.argv[1:9]
runs, big_images = int(runs), int(big_images)

def streams(d):
    return [os.path.join(d, f"run0{i}.stream") for i in (1, 2, 3)]

def images_of(d):
    return int(open(os.path.join(d, ".complete")).read().split()[0])

def timed(cmd):
    """Wall time, peak RSS (KB), stderr and CPU seconds (user + system, the reader
    children included) of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 3):  # 3: partial results (not in the example)
        sys.exit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}\n{err[-2000:]}")
    # wait4's usage leaves out the command's own children (the master-file readers).
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, usage.ru_maxrss, err, cpu

def best(make_cmd):
    """Best wall time of `runs` runs, the largest peak RSS (KB), the best run's stderr and
    CPU seconds; make_cmd(i) gives the i-th command (a fresh output folder each time)."""
    results = [timed(make_cmd(i)) for i in range(runs)]
    fastest = min(results)
    return fastest[0], max(r[1] for r in results), fastest[2], fastest[3]

OUT = os.path.join(work, "out")
DB = os.path.join(work, "bench.sqlite")

def run_cmd(d, *extra):
    """The i-th `run` of the example in `d`, into a fresh output folder and SQLite file."""
    def make(i):
        shutil.rmtree(OUT, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(DB + suffix): os.remove(DB + suffix)
        return [binary, "run", os.path.join(d, "manifest.yaml"), "-q", "--output", OUT, "--timings", *extra]
    return make

def rate(stderr):
    m = re.search(r"store: (\d+) per-image rows in ([0-9.]+) s \((\d+) rows/s\)", stderr)
    return (int(m.group(1)), float(m.group(2)), int(m.group(3))) if m else None

files = streams(folder)
size = sum(os.path.getsize(f) for f in files)
images = images_of(folder)
subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
sqlite = ["--db", f"sqlite:{DB}"]

rows = {}
rows["stats --threads 2"] = best(lambda i: [binary, "stats", "--json", "-q", "--threads", "2", *files])
rows["stats --merge --threads 2"] = best(lambda i: [binary, "stats", "--json", "-q", "--merge", "--threads", "2", *files])
rows["run --no-merge --no-store"] = best(run_cmd(folder, "--no-merge", "--no-store"))
rows["run --no-merge (SQLite)"] = best(run_cmd(folder, "--no-merge", *sqlite))
rows["run --no-store"] = best(run_cmd(folder, "--no-store"))
rows["run (SQLite)"] = best(run_cmd(folder, *sqlite))
if mariadb:
    # Each run creates its own DataCollections (the rows are new, as after a collection).
    rows["run --no-merge --no-report (MariaDB)"] = best(run_cmd(
        folder, "--no-merge", "--no-report", "--db", mariadb, "--session", "mx2427-1", "--create-collections"))

print(f"input: {len(files)} files, {size/1e9:.3f} GB, {images:,} images, page cache warm, best of {runs} runs")
print(f"{'command':40} {'seconds':>8} {'GB/s':>7} {'CPU s':>7} {'peak RSS MB':>12}")
for name, (t, rss, _, cpu) in rows.items():
    print(f"{name:40} {t:8.3f} {size/t/1e9:7.2f} {cpu:7.2f} {rss/1024:12.0f}")
print("stages of the fastest run of each (`run --timings`):")
for name, (_, _, err, _) in rows.items():
    for line in err.splitlines():
        if line.startswith("timings:") or line.strip().startswith("store:"):
            print(f"  {name}: {line.strip()}")
cores = os.cpu_count() or 1

def verdict(ok):
    return "met" if ok else "NOT met"

stats, stats_merge = rows["stats --threads 2"][0], rows["stats --merge --threads 2"][0]
print("targets:")
for name, base, base_name in (
        ("run --no-merge (SQLite)", stats, "stats"), ("run (SQLite)", stats_merge, "stats --merge")):
    r = rows[name][0] / base
    print(f"  {name} <= 2x {base_name}: {r:.2f}x, {verdict(r <= 2)}")
for name, base, base_name in (
        ("run --no-merge --no-store", stats, "stats"), ("run --no-store", stats_merge, "stats --merge")):
    r = rows[name][0] / base
    print(f"  {name} <= 1.3x {base_name}: {r:.2f}x, {verdict(r <= 1.3)}")
limit_mb = (250e6 + 24 * images) / 1e6
for name in ("run --no-merge (SQLite)", "run (SQLite)"):
    peak = rows[name][1] / 1024 * 1.048576
    print(f"  peak RSS of {name} ({images:,} images) <= 250 MB + 24 B/image = {limit_mb:.0f} MB: {peak:.0f} MB, {verdict(peak <= limit_mb)}")

measured = rate(rows["run --no-merge (SQLite)"][2])
if measured:
    n, s, r = measured
    print(f"  per-image rows into SQLite >= 1 M rows/s: {r/1e6:.2f} M rows/s ({n:,} rows in {s:.3f} s), {verdict(r >= 1e6)}")
else:
    print("  per-image rows into SQLite >= 1 M rows/s: not measured (no rate in --timings)")
if mariadb:
    measured = rate(rows["run --no-merge --no-report (MariaDB)"][2])
    n, s, r = measured
    print(f"  per-image rows into MariaDB >= 200 k rows/s: {r/1e3:.0f} k rows/s ({n:,} rows in {s:.3f} s), {verdict(r >= 2e5)}")
else:
    print(f"  per-image rows into MariaDB >= 200 k rows/s: not measured: {mariadb_why}")

if big_images:
    master = os.path.join(big_folder, "run03_master.h5")
    master_images = big_images - 2 * (big_images // 3)
    t = best(lambda i: [binary, "inspect", master, "--json"])[0]
    print(f"  master-file read of {master_images:,} images (positions and frame times; `inspect --json`) <= 0.5 s: "
          f"{t:.2f} s, {verdict(t <= 0.5)}")
    big_files = streams(big_folder)
    big_size = sum(os.path.getsize(f) for f in big_files)
    t, rss, err, _ = timed(run_cmd(big_folder, *sqlite)(0))
    limit_mb = (250e6 + 24 * big_images) / 1e6
    mb = rss / 1024 * 1.048576
    print(f"  peak RSS of run on {big_size/1e9:.1f} GB ({big_images:,} images) <= {limit_mb:.0f} MB: {mb:.0f} MB "
          f"({t:.1f} s), {verdict(mb <= limit_mb)}")
    for line in err.splitlines():
        if line.startswith("timings:") or line.strip().startswith("store:"):
            print(f"    {line.strip()}")
else:
    print("  master-file read of 1.8 M images and the big example's memory: not measured (set BIG_IMAGES=5400000)")
# The floor a ratio cannot go under on this machine: the command's CPU seconds spread over
# every core with none idle, against the baseline's wall time.
print(f"floors (CPU seconds / {cores} cores, against the baseline's wall time):")
for name, base, base_name in (
        ("run --no-merge --no-store", stats, "stats"), ("run --no-merge (SQLite)", stats, "stats"),
        ("run --no-store", stats_merge, "stats --merge"), ("run (SQLite)", stats_merge, "stats --merge")):
    print(f"  {name}: {rows[name][3] / cores / base:.2f}x {base_name} (CPU {rows[name][3]:.2f} s)")
PY
