#!/usr/bin/env bash
# The test suite under AddressSanitizer (the toolchain's clang runtime), in a build folder of
# its own (.build-asan). By default the engine's in-process targets — core, ingest, merge,
# nexus — which hold the hand-written memory handling (mapped files, spill blocks, piece
# buffers, the HDF5 wrappers); name others as swift test filters:
#   scripts/asan.sh                      # XtalCoreTests XtalIngestTests XtalMergeTests XtalNexusTests
#   scripts/asan.sh XtalStoreTests       # any filter
# Slower than the plain suite (about 2-3×) and not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
filters=("$@")
((${#filters[@]})) || filters=(XtalCoreTests XtalIngestTests XtalMergeTests XtalNexusTests)
args=()
for f in "${filters[@]}"; do args+=(--filter "$f"); done
# Leaks of the Swift runtime's own caches are not the engine's: leak checking is off.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1} \
    swift test --scratch-path .build-asan --sanitize=address --disable-swift-testing "${args[@]}"
