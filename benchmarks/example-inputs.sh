# Sourced by the benchmark scripts: `generate IMAGES DIR` writes an example experiment of
# IMAGES images into DIR with the binary in $BIN, and keeps it while the image count and the
# engine version are unchanged (the .complete marker).
generate() {
    local marker
    marker="$1 $("$BIN" --version)"
    if [ "$(cat "$2/.complete" 2>/dev/null)" != "$marker" ]; then
        rm -rf "$2"
        echo "generating $1 images into $2 ..." >&2
        "$BIN" example "$2" --images "$1" --no-rotation-run -q >/dev/null
        echo "$marker" >"$2/.complete"
    fi
}
