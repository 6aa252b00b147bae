#!/usr/bin/env bash
# ThreadSanitizer over the library's first crypto calls: builds tests/unit/test_crypto_threads.c
# and the library's sources with -fsanitize=thread (gcc, else clang) and runs it three times:
# eight threads decrypting at once (DES-EDE3 and single DES, the latter through OpenSSL's
# legacy provider), each run a fresh process, so each run races on the one-time set-up of the
# library's OpenSSL context. Any report fails the test (halt_on_error, exitcode 66).
# Skipped (77) when no compiler here builds and runs a TSan program. It builds its own
# program, independent of the build type, so the sanitizer build (ASan cannot be combined
# with TSan) skips it rather than run it twice.
set -euo pipefail
build=$1 src=$2
if grep -q '^SCEPDEC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "tsan_crypto: runs in the normal build only"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc=""
echo 'int main(void) { return 0; }' >"$work/probe.c"
for candidate in gcc clang; do
    if command -v "$candidate" >/dev/null &&
        "$candidate" -fsanitize=thread -o "$work/probe" "$work/probe.c" 2>/dev/null &&
        "$work/probe" 2>/dev/null; then
        cc=$candidate; break
    fi
done
[ -n "$cc" ] || { echo "tsan_crypto: no compiler here builds and runs -fsanitize=thread"; exit 77; }

# shellcheck disable=SC2046
"$cc" -std=c11 -O1 -g -fsanitize=thread -Wall -Wextra -Werror \
    -I"$src/libscepdec/include" -I"$src/libscepdec/src" -I"$src/tests/unit" \
    -o "$work/test_crypto_threads" "$src/tests/unit/test_crypto_threads.c" \
    "$src"/libscepdec/src/*.c $(pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto) -pthread

cd "$src/tests"
for run in 1 2 3; do
    TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$work/test_crypto_threads" ||
        { echo "tsan_crypto: run $run failed (status $?)"; exit 1; }
done
echo "tsan_crypto: 3 runs of 8 threads decrypting at once, no ThreadSanitizer report ($cc)"
