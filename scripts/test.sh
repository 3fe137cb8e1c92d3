#!/usr/bin/env bash
# The whole test suite: installs what the tests need, then `swift test`, then the fuzz
# targets for a bounded time each (scripts/fuzz.sh; XTALREPORT_FUZZ_SECONDS, default 60,
# 0 to leave them out), and ends with one plain "tests: N passed, N failed, N skipped"
# line from XCTest's totals and one "fuzz:" line.
# Tests that read the reference data in ../shared skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
# nexgen (DLS's NXmx writer, from PyPI) writes master-file layouts the samples lack; it goes
# into a virtual environment of its own under .build/ (kept between runs).
nexgen_env=.build/nexgen-venv
if ! "$nexgen_env/bin/python" -c "import nexgen" 2>/dev/null; then
    echo "test: installing nexgen into $nexgen_env ..." >&2
    python3 -m venv "$nexgen_env" && "$nexgen_env/bin/pip" install -q "nexgen==0.11.2" >&2 \
        || echo "test: nexgen could not be installed; its layout tests will skip" >&2
fi
if "$nexgen_env/bin/python" -c "import nexgen" 2>/dev/null; then
    export XTALREPORT_NEXGEN_PYTHON=$PWD/$nexgen_env/bin/python
fi
# ispyb-api (DLS's ISPyB client, from PyPI): its XML importer writes the AutoProc rows the
# store's are compared with.
ispyb_env=.build/ispyb-venv
if ! "$ispyb_env/bin/python" -c "import ispyb.xmltools" 2>/dev/null; then
    echo "test: installing ispyb into $ispyb_env ..." >&2
    python3 -m venv "$ispyb_env" && "$ispyb_env/bin/pip" install -q "ispyb==12.1.1" >&2 \
        || echo "test: ispyb could not be installed; the importer comparison will skip" >&2
fi
if "$ispyb_env/bin/python" -c "import ispyb.xmltools" 2>/dev/null; then
    export XTALREPORT_ISPYB_PYTHON=$PWD/$ispyb_env/bin/python
fi

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
        fuzz_line="fuzz: stream, manifest, log, master: no crash in $fuzz_seconds s each"
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
