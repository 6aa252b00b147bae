#!/usr/bin/env bash
# fuzz_cli_replay.sh BUILD_DIR SOURCE_DIR — the CLI harness's corpus and every crash reproducer
# (tests/fuzz/corpus/cli, tests/fuzz/regressions/**) through the scepdec command of BUILD_DIR,
# as text and as JSON (and the scanner's, tests/fuzz/corpus/scan, through --scan): the exit
# status must be 0, 1 or 2 (never a crash or a sanitizer abort),
# and the JSON must parse (with jq, when installed). The library-level replay of the same files
# is the unit test test_regressions (all corpora); this is the CLI's, in the ordinary and the
# ASan builds.
set -uo pipefail
build=$(cd "${1:?usage: fuzz_cli_replay.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: fuzz_cli_replay.sh BUILD_DIR SOURCE_DIR}" && pwd)
cli=$build/scepdec
[ -x "$cli" ] || { echo "fuzz_cli_replay: no $cli: skipped"; exit 77; }
have_jq=false
command -v jq >/dev/null && have_jq=true
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0 files=0
while IFS= read -r -d '' f; do
    files=$((files + 1))
    for mode in text json; do
        args=()
        [ $mode = json ] && args=(--json)
        timeout 20 "$cli" "${args[@]}" "$f" >"$out" 2>/dev/null
        rc=$?
        if [ $rc -gt 2 ]; then
            echo "FAIL: scepdec ${args[*]} $f: exit status $rc"
            failed=$((failed + 1))
        elif [ $mode = json ] && $have_jq && [ -s "$out" ] && ! jq -e . "$out" >/dev/null 2>&1; then
            echo "FAIL: scepdec --json $f: output is not JSON"
            failed=$((failed + 1))
        fi
    done
done < <(find "$src/tests/fuzz/corpus/cli" "$src/tests/fuzz/regressions" -type f -print0 2>/dev/null)
# The log scanner's corpus and reproducers through `scepdec --scan` (the harness's first byte,
# its mode, is part of the log here).
# All in one run (--scan takes many logs): a crash or sanitizer report fails it.
find "$src/tests/fuzz/corpus/scan" "$src/tests/fuzz/regressions/scan" -type f -print0 2>/dev/null >"$out.list"
if [ -s "$out.list" ]; then
    scan_files=$(tr -cd '\0' <"$out.list" | wc -c)
    files=$((files + scan_files))
    xargs -0 -n 500 timeout 300 "$cli" --scan --json <"$out.list" >"$out" 2>"$out.err"
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 123 ] || grep -qE 'Sanitizer|runtime error' "$out.err"; then
        echo "FAIL: scepdec --scan --json over $scan_files scan corpus files: status $rc"
        grep -E 'Sanitizer|runtime error' "$out.err" | head -5
        failed=$((failed + 1))
    elif $have_jq && ! jq -e . "$out" >/dev/null 2>&1; then
        echo "FAIL: scepdec --scan --json over the scan corpus: output is not JSON Lines"
        failed=$((failed + 1))
    fi
    rm -f "$out.list" "$out.err"
fi
echo "fuzz_cli_replay: $files files, $failed failures"
[ $files -gt 0 ] && [ $failed -eq 0 ]
