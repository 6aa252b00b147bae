#!/usr/bin/env bash
# fuzz_smoke.sh BUILD_DIR SOURCE_DIR — a short fuzzing run of every libFuzzer harness, as a test.
#
# Builds the harnesses (tests/fuzz, clang with libFuzzer, ASan and UBSan) in their own build dir
# BUILD_DIR/fuzz-smoke, replays the committed corpora and crash reproducers
# (tests/fuzz/corpus/<h>, tests/fuzz/regressions/<h>) through each harness, then fuzzes each for
# FUZZ_SMOKE_SECONDS (default 15) with tests/fuzz/scep.dict, new inputs kept in a temp dir.
# Fails on any crash, sanitizer report, broken invariant, timeout or memory blow-up, printing
# the input that caused it. Skips (77) without clang or libFuzzer. Long runs: tests/fuzz/run-long.
set -uo pipefail
build=$(cd "${1:?usage: fuzz_smoke.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: fuzz_smoke.sh BUILD_DIR SOURCE_DIR}" && pwd)
seconds=${FUZZ_SMOKE_SECONDS:-15}

if ! command -v clang >/dev/null; then
    echo "fuzz_smoke: clang not installed: skipped"
    exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>/dev/null; then
    echo "fuzz_smoke: clang cannot link libFuzzer with ASan/UBSan (libclang-rt-dev missing?): skipped"
    exit 77
fi

dir=$build/fuzz-smoke
if ! { CC=clang cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCEPDEC_FUZZ=ON \
        -DSCEPDEC_SANITIZE=ON -DSCEPDEC_BUILD_PLUGIN=OFF -DSCEPDEC_BUILD_TESTS=OFF >"$probe/cmake.log" 2>&1 &&
      cmake --build "$dir" --target fuzzers -j "$(nproc)" >>"$probe/cmake.log" 2>&1; }; then
    cat "$probe/cmake.log"
    echo "fuzz_smoke: FAILED to build the harnesses"
    exit 1
fi

harnesses=(query base64 pki_message envelope cert_bundle caps name oid json cli scan)
status=0
printf '%-12s %8s %10s %6s %6s %s\n' harness replayed executions cov ft result
for h in "${harnesses[@]}"; do
    bin=$dir/tests/fuzz/fuzz_$h
    work=$probe/$h
    mkdir -p "$work/new" "$work/artifacts"
    seeds=()
    for d in "$src/tests/fuzz/corpus/$h" "$src/tests/fuzz/regressions/$h"; do
        [ -d "$d" ] && seeds+=("$d")
    done
    # 1. Replay: every committed input, once, by name (nothing is written to the source tree).
    replayed=0 result=ok
    if [ ${#seeds[@]} -gt 0 ]; then
        find "${seeds[@]}" -type f >"$work/files"
        replayed=$(wc -l <"$work/files")
        if [ "$replayed" -gt 0 ] &&
            ! xargs -d '\n' "$bin" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" \
                <"$work/files" >"$work/replay.log" 2>&1; then
            result="REPLAY FAILED"
            status=1
            grep -E 'ERROR|invariant|SUMMARY|Running:|timeout' "$work/replay.log" | tail -8
        fi
    fi
    # 2. Fuzz for a bounded time, starting from the committed inputs.
    if [ "$result" = ok ]; then
        "$bin" -dict="$src/tests/fuzz/scep.dict" -max_total_time="$seconds" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
            "$work/new" "${seeds[@]}" >"$work/fuzz.log" 2>&1 || result="CRASH"
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" 2>/dev/null | tail -1)
    last=$(grep -E '^#[0-9]+' "$work/fuzz.log" 2>/dev/null | tail -1)
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
    printf '%-12s %8s %10s %6s %6s %s\n' "$h" "$replayed" "${execs:-0}" "${cov:--}" "${ft:--}" "$result"
    if [ "$result" != ok ]; then
        status=1
        grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$work/fuzz.log" 2>/dev/null | head -8
        for a in "$work/artifacts"/*; do
            [ -f "$a" ] || continue
            echo "reproducer ($(stat -c %s "$a") bytes), base64:"
            base64 -w 100 "$a" | head -40
            echo "save it as tests/fuzz/regressions/$h/<name> and see docs/fuzzing.md"
        done
    fi
done
exit $status
