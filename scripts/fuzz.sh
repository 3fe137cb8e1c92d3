#!/usr/bin/env bash
# Fuzzes xtalreport's readers with libFuzzer for a bounded time each (the test command runs
# this with --seconds 60): builds fuzz/ with --sanitize=fuzzer, makes a small corpus with the
# project's own generator (`xtalreport example`: streams, plain and gzip/zstd-compressed,
# indexamajig logs, the manifest, NXmx master files, small MX result files), then runs every target. A crash, a
# hang (-timeout) or an input over the memory limit (-rss_limit_mb) fails the script and
# leaves the input under fuzz/.build/artifacts/TARGET/, to be made a regression test.
#
#   scripts/fuzz.sh                       # 60 s per target: stream manifest log master mx
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
((${#targets[@]})) || targets=(stream manifest log master mx)

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
# partialator's log and a --custom-split file, the project's own lines.
printf '%s\n' 'Checking your custom split datasets...' '    Number of crystals assigned to a dataset: 3' \
    'Overall CChalf = 68.786165 % (5059 reflections)' '3 bad crystals:' '  187 OK' '  3 negative delta CC½' 'Final merge...' \
    'Log residual went from 2.1e+04 to 2.1e+04, 187 crystals' "Writing dataset 'light' to l.hkl (87 crystals)" >"$work/corpus/log/partialator.log"
printf 'run_000.h5 //1 light\nrun_000.h5 //0 dark\nrun_001.h5 dark\n' >"$work/corpus/log/split.txt"
cp "$work"/example/manifest.yaml "$work/corpus/manifest/"
cp "$work"/example/*_master.h5 "$work/corpus/master/"
# mx: small files of each format, the project's own; and the reference samples under 64 KiB
# when ../shared is beside the checkout (read from there into the temporary corpus).
mkdir -p "$work/corpus/mx"
cat >"$work/corpus/mx/seed.xml" <<'XML'
<?xml version="1.0"?>
<XSDataInputStoreAutoProc><AutoProcContainer><AutoProc><spaceGroup>P 21 21 21</spaceGroup><refinedCell_a>.5e2</refinedCell_a></AutoProc>
<AutoProcScalingContainer><AutoProcScaling><recordTimeStamp>None</recordTimeStamp></AutoProcScaling>
<AutoProcScalingStatistics><scalingStatisticsType>overall</scalingStatisticsType><rMerge>8.0</rMerge><ntotalUniqueObservations>12</ntotalUniqueObservations><ccHalf>99.1</ccHalf></AutoProcScalingStatistics>
<AutoProcIntegrationContainer><Image><dataCollectionId>7</dataCollectionId></Image><AutoProcIntegration><refinedXbeam>1</refinedXbeam></AutoProcIntegration></AutoProcIntegrationContainer>
</AutoProcScalingContainer><AutoProcProgramContainer><AutoProcProgram><processingPrograms>EDNA_proc</processingPrograms></AutoProcProgram></AutoProcProgramContainer></AutoProcContainer></XSDataInputStoreAutoProc>
XML
printf '%s\n' ' Program dozor /A.Popov & G.Bourenkov/' ' Version 2.0.2 //  21.05.2019' \
    '------' '    1 |  24     16.   0.245   1.6|    0.10   13.6  1.5  92.7    11.8 |     9.1  8.6    1.42' \
    '    2 |     0        0.   0.000  50.0| ---------no results -----------   |       0.000    0.00   50.00' '------' \
    >"$work/corpus/mx/seed-dozor.log"
printf '%s' '{"spacegroup": "P 1", "unit_cell": [1, 2, 3, 90, 90, 90], "scaling_statistics": {"overall": {"cc_half": 0.9, "n_tot_obs": 4}}}' \
    >"$work/corpus/mx/seed-fast_dp.json"
printf '%s' '{"n_spots_total": [1, 2], "estimated_d_min": [2.5, 3.0]}' >"$work/corpus/mx/seed-dials.json"
printf 'XIA2 3.1\nFor p/x/d\nHigh resolution limit\t1.9\t8.5\t1.9\nTotal unique\t5\t2\t1\nSpacegroup: P 1\n' >"$work/corpus/mx/seed-xia2.txt"
cp "$work"/example/rot01/rot01_ispyb.xml "$work/corpus/mx/" 2>/dev/null || true
if [ -d ../shared/samples/mx ]; then
    find ../shared/samples/mx -type f -size -64k ! -name '*.md' ! -name '*.edml' -exec cp {} "$work/corpus/mx/" \;
fi

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
