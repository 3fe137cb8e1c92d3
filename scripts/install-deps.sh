#!/usr/bin/env bash
# Installs the Debian packages xtalreport builds against (libhdf5, libmariadb, libsqlite3,
# libpng, cairo, zlib and libzstd through pkg-config, and a font for the plots), only those that are missing.
# With --test it also installs what the test suite needs (chromium for the headless-browser
# report test, mariadb-server for the ISPyB store tests, zstd and pzstd, and tabix for htslib's bgzip, to make compressed
# streams, slurm-wlm and munge for the cluster tests).
# Needs root or sudo; the Swift toolchain itself (6.0 or newer) must already be on PATH.
set -euo pipefail

packages=(pkg-config libhdf5-dev libmariadb-dev libsqlite3-dev libpng-dev libcairo2-dev zlib1g-dev libzstd-dev fonts-dejavu-core)
# The tests also start a throw-away MariaDB server and render the report in a browser.
# The cluster tests start a one-node SLURM cluster (scripts/slurm-cluster.sh).
if [ "${1:-}" = "--test" ]; then packages+=(chromium mariadb-server mariadb-client zstd tabix slurm-wlm munge); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "install-deps: no 'swift' on PATH (install the Swift 6 toolchain first)" >&2; exit 1; }
