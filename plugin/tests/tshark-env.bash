# tshark-env.bash — sourced by tests/scripts/plugin_*.sh: runs tshark with the freshly built
# scep.so, as an unprivileged user when the test runs as root.
#
# Why: tshark run as root ignores WIRESHARK_PLUGIN_DIR and personal plugin folders, and CI
# runs as root. So the plugin is copied to $PLUGIN_TMP/plugins/<major.minor>/epan/scep.so in
# a fresh folder every user can read, captures are copied there too (a CI clone may sit in a
# private home), and tshark runs as "nobody" through setpriv (or runuser), with HOME there.
#
# Needs BUILD (the build directory). Provides:
#   scep_tshark ARGS...   tshark with the plugin (cwd and HOME = $PLUGIN_TMP)
#   stock_tshark ARGS...  the same without SCEP (--disable-protocol scep)
#   scep_sharkd           sharkd with the plugin, JSON-RPC on stdin
#   scep_columns ARGS...  No., Protocol, Info per frame as the packet list shows them
#   bool_field            filter: -T fields booleans as 1/0 on every release
#   stage FILE            copies FILE into $PLUGIN_TMP, prints the copy's path
#   PLUGIN_TMP, WS_VERSION (e.g. 4.0)
# Exits 77 (skipped) when tshark, the plugin or a way to drop privileges is missing.

command -v tshark >/dev/null || { echo "tshark not installed: skipped"; exit 77; }
SCEP_SO=$(find "$BUILD" -name scep.so -path '*epan*' 2>/dev/null | head -n 1)
[ -n "$SCEP_SO" ] || { echo "no scep.so under $BUILD (Wireshark dev files missing?): skipped"; exit 77; }
WS_VERSION=$(tshark -v 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$WS_VERSION" ] || { echo "cannot read tshark's version: skipped"; exit 77; }

PLUGIN_TMP=$(mktemp -d)
trap 'rm -rf "$PLUGIN_TMP"' EXIT
chmod 755 "$PLUGIN_TMP"
mkdir -p "$PLUGIN_TMP/plugins/$WS_VERSION/epan"
cp "$SCEP_SO" "$PLUGIN_TMP/plugins/$WS_VERSION/epan/scep.so"
chmod -R a+rX "$PLUGIN_TMP"

AS_USER=()
if [ "$(id -u)" = 0 ]; then
    nobody_gid=$(id -g nobody 2>/dev/null) || { echo "no user nobody: skipped"; exit 77; }
    if command -v setpriv >/dev/null; then
        AS_USER=(setpriv --reuid=nobody --regid="$nobody_gid" --clear-groups)
    elif command -v runuser >/dev/null; then
        AS_USER=(runuser -u nobody --)
    else
        echo "running as root without setpriv or runuser: skipped"; exit 77
    fi
fi

# A plugin from a sanitizer build (-DSCEPDEC_SANITIZE=ON) cannot load into the uninstrumented
# tshark, and preloading the ASan runtime into tshark makes tshark 4.0 hang at start-up
# (seen with `tshark -G plugins`, with or without our plugin). The plugin's own code is
# checked under valgrind and the editcap mutation run (tests/fuzz/plugin-*), the library
# under ASan/UBSan by the unit tests and fuzzers; here the sanitizer build skips.
if readelf -d "$SCEP_SO" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
    echo "scep.so is a sanitizer build: tshark cannot load it: skipped"
    exit 77
fi

scep_tshark() {
    (cd "$PLUGIN_TMP" && "${AS_USER[@]}" env HOME="$PLUGIN_TMP" \
        WIRESHARK_PLUGIN_DIR="$PLUGIN_TMP/plugins" timeout 300 tshark "$@")
}

stock_tshark() {
    scep_tshark --disable-protocol scep "$@"
}

stage() {
    local copy
    copy="$PLUGIN_TMP/$(basename "$1")"
    cp "$1" "$copy" && chmod a+r "$copy" && echo "$copy"
}

# scep_sharkd < REQUESTS: sharkd (the engine of Wireshark's web front ends, on the GUI's code
# paths) with the plugin, reading JSON-RPC requests, one a line, from stdin.
scep_sharkd() {
    (cd "$PLUGIN_TMP" && "${AS_USER[@]}" env HOME="$PLUGIN_TMP" \
        WIRESHARK_PLUGIN_DIR="$PLUGIN_TMP/plugins" timeout 300 sharkd - 2>/dev/null)
}

# scep_columns ARGS... / stock_columns ARGS...: "No.<TAB>Protocol<TAB>Info" of each frame, as
# the packet list shows them (tshark's summary lines, -T tabs, with those three columns).
# Not the _ws.col.* fields: from Wireshark 4.2 on they are filled in before postdissectors
# run, so they keep HTTP's Protocol and Info on SCEP frames.
COLUMNS_PREF='gui.column.format:"No.","%m","Protocol","%p","Info","%i"'
scep_columns() { scep_tshark -o "$COLUMNS_PREF" -T tabs "$@" | sed 's/^ *//'; }
stock_columns() { stock_tshark -o "$COLUMNS_PREF" -T tabs "$@" | sed 's/^ *//'; }

# bool_field: -T fields prints booleans as 1/0 up to Wireshark 4.2 and True/False later.
bool_field() { sed 's/\bTrue\b/1/g; s/\bFalse\b/0/g'; }

# expect_golden LABEL WHAT GOLDEN WANT GOT: when the rows GOT differ from the rows WANT taken from
# GOLDEN, report it through the caller's fail() with the first lines of the difference.
expect_golden() {
    local label=$1 what=$2 golden=$3 want=$4 got=$5
    if [ "$want" != "$got" ]; then
        fail "$label: $what differ from $golden"
        diff <(echo "$want") <(echo "$got") | head -n 10 | sed 's/^/    /'
    fi
}
