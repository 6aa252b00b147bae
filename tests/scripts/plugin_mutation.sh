#!/bin/bash
# plugin_mutation.sh — one round of tests/fuzz/plugin-mutation (editcap -E 0.02 over every
# capture, then tshark -nVxr with the plugin, a dissector bug made an abort) and the
# regression captures it replays first: no crash, abort or dissector bug. The long runs are
# in docs/fuzzing.md; this keeps the mutation check in every build and on every Wireshark
# line that ./run-tests covers.
# usage: bash plugin_mutation.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
# The skip conditions of the other plugin tests (no tshark, no scep.so, sanitizer build).
. "$SRC/plugin/tests/tshark-env.bash"
command -v editcap >/dev/null || { echo "editcap not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work" "$PLUGIN_TMP"' EXIT
"$SRC/tests/fuzz/plugin-mutation" -b "$BUILD" -n 1 -w "$work"
