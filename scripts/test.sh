#!/usr/bin/env bash
# The whole test suite: installs what the tests need, then `swift test`.
# Tests that read the reference data in ../shared skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
exec swift test "$@"
