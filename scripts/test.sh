#!/usr/bin/env bash
# The whole test suite: installs what the tests need, then `swift test`, then the fuzz
# targets for a bounded time each (scripts/fuzz.sh; XTALREPORT_FUZZ_SECONDS, default 60,
# 0 to leave them out), and ends with one plain "tests: N passed, N failed, N skipped"
# line from XCTest's totals and one "fuzz:" line.
# Tests that read the reference data in ../shared skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
# Peers from PyPI, each in a virtual environment of its own under .build/ (kept between runs):
# nexgen (DLS's NXmx writer) writes master-file layouts the samples lack; ispyb-api (DLS's
# ISPyB client) imports ISPyB XML, whose AutoProc rows the store's are compared with. A peer
# that cannot be installed makes its tests skip, saying so.
peer_python() { # NAME PACKAGE==VERSION MODULE VARIABLE
    local env=.build/$1-venv
    if ! "$env/bin/python" -c "import $3" 2>/dev/null; then
        echo "test: installing $2 into $env ..." >&2
        python3 -m venv "$env" && "$env/bin/pip" install -q "$2" >&2 \
            || echo "test: $2 could not be installed; its tests will skip" >&2
    fi
    if "$env/bin/python" -c "import $3" 2>/dev/null; then export "$4=$PWD/$env/bin/python"; fi
}
peer_python nexgen "nexgen==0.11.2" nexgen XTALREPORT_NEXGEN_PYTHON
peer_python ispyb "ispyb==12.1.1" ispyb.xmltools XTALREPORT_ISPYB_PYTHON

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# The suite is XCTest only; --disable-swift-testing skips the empty Swift Testing pass.
swift test --disable-swift-testing "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# The last "Executed" line is the whole run's total only when the run got to its end.
totals=""
if grep -qE "^Test Suite 'All tests' (passed|failed)" "$log"; then
    totals=$(grep -E "Executed [0-9]+ tests?, with " "$log" | tail -1 || true)
fi
fuzz_seconds=${XTALREPORT_FUZZ_SECONDS:-60}
fuzz_line="fuzz: not run (XTALREPORT_FUZZ_SECONDS=0)"
[ "$status" = 0 ] || fuzz_line="fuzz: not run (the tests failed)"
if [ "$fuzz_seconds" != 0 ] && [ "$status" = 0 ]; then
    if ./scripts/fuzz.sh --seconds "$fuzz_seconds"; then
        fuzz_line="fuzz: stream, manifest, log, master, mx, task: no crash in $fuzz_seconds s each"
    else
        fuzz_line="fuzz: a target FAILED (see above; inputs under fuzz/.build/artifacts/)"
        status=1
    fi
fi
echo "$fuzz_line"
if [[ $totals =~ Executed\ ([0-9]+)\ tests?,\ with\ (([0-9]+)\ tests?\ skipped\ and\ )?([0-9]+)\ failures? ]]; then
    executed=${BASH_REMATCH[1]}
    skipped=${BASH_REMATCH[3]:-0}
    failed=${BASH_REMATCH[4]}
    echo "tests: $((executed - skipped - failed)) passed, $failed failed, $skipped skipped"
else
    echo "tests: the test run did not finish (build error or crash, exit code $status): see above"
fi
exit "$status"
