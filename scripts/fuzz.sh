#!/usr/bin/env bash
# Fuzzes xtalreport's readers with libFuzzer for a bounded time each (the test command runs
# this with --seconds 60): builds fuzz/ with --sanitize=fuzzer, makes a small corpus with the
# project's own generator (`xtalreport example`: streams, plain and gzip/zstd-compressed,
# indexamajig logs, the manifest, NXmx master files), then runs every target. A crash, a
# hang (-timeout) or an input over the memory limit (-rss_limit_mb) fails the script and
# leaves the input under fuzz/.build/artifacts/TARGET/, to be made a regression test.
#
#   scripts/fuzz.sh                       # 60 s per target: stream manifest log master
# (master: through the job's isolation, each input read by an `xtalreport read-master` child,
# so libFuzzer sees no coverage inside libhdf5 and mutates blind there.)
#   scripts/fuzz.sh --seconds 3600 stream # one target for an hour
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
targets=()
while (($#)); do
    case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    *) targets+=("$1"); shift ;;
    esac
done
((${#targets[@]})) || targets=(stream manifest log master)

echo "fuzz: building fuzz/ with libFuzzer ..." >&2
swift build --package-path fuzz --sanitize=fuzzer --product xtalreport-fuzz >&2
fuzzer=$PWD/fuzz/.build/debug/xtalreport-fuzz
swift build --product xtalreport >&2
binary=$PWD/.build/debug/xtalreport

work=$(mktemp -d "${TMPDIR:-/tmp}/xtalreport-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$binary" example "$work/example" --images 60 --seed 3 -q >/dev/null
mkdir -p "$work/corpus/stream" "$work/corpus/manifest" "$work/corpus/log" "$work/corpus/master"
for s in "$work"/example/run0*.stream; do
    head -c 12000 "$s" >"$work/corpus/stream/$(basename "$s")"
    head -c 12000 "$s" | gzip -c >"$work/corpus/stream/$(basename "$s").gz"
    head -c 12000 "$s" | zstd -q -c >"$work/corpus/stream/$(basename "$s").zst"
    # Files of parts decoded in parallel: three zstd frames (as pzstd writes) and three BGZF
    # members (as bgzip writes), 4000 bytes each.
    for part in 0 1 2; do
        head -c $((part * 4000 + 4000)) "$s" | tail -c 4000 | zstd -q -c
    done >"$work/corpus/stream/$(basename "$s").frames.zst"
    for part in 0 1 2; do
        head -c $((part * 4000 + 4000)) "$s" | tail -c 4000 | bgzip -c
    done >"$work/corpus/stream/$(basename "$s").bgzf.gz"
done
cp "$work"/example/*.log "$work/corpus/log/"
cp "$work"/example/manifest.yaml "$work/corpus/manifest/"
cp "$work"/example/*_master.h5 "$work/corpus/master/"

status=0
for target in "${targets[@]}"; do
    artifacts=$PWD/fuzz/.build/artifacts/$target/
    mkdir -p "$artifacts"
    echo "fuzz: $target for $seconds s ..." >&2
    # SWIFT_BACKTRACE=enable=no: libFuzzer, not the Swift runtime, handles a crash and saves the input.
    if SWIFT_BACKTRACE=enable=no XTALREPORT_FUZZ_TARGET=$target XTALREPORT_BINARY=$binary TMPDIR=$work "$fuzzer" "$work/corpus/$target" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$work/$target.log" 2>&1; then
        runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$work/$target.log" | grep -oE "[0-9]+$" || echo "?")
        echo "fuzz: $target: no crash in $runs runs" >&2
    else
        status=1
        echo "fuzz: $target FAILED; the input is in $artifacts:" >&2
        grep -E "ERROR|Fatal error|SUMMARY|crash-|timeout-|oom-|Crash|at /" "$work/$target.log" | head -20 >&2 || tail -30 "$work/$target.log" >&2
        cp "$work/$target.log" "$artifacts/fuzzer.log"
    fi
done
exit "$status"
