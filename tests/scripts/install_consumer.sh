#!/usr/bin/env bash
# Installs libscepdec from the build tree into a scratch prefix and builds throwaway consumers
# against it the ways users link:
#  - CMake find_package(scepdec): scepdec::scepdec (whole library) and scepdec::core;
#  - plain `pkg-config --cflags --libs scepdec` (no --static): a consumer that decodes and
#    renders JSON, and one that also verifies the signature (OpenSSL);
#  - `pkg-config --static` the same;
#  - `pkg-config --libs scepdec-core`: the JSON consumer with no OpenSSL on the link line at
#    all, and no libcrypto among the program's needed libraries.
# Expected values: the caps and the query are the literals in tests/consumer/main.c; the
# pkiMessage's transactionID and messageType are what `openssl cms -cmsout -print -inform DER
# -in tests/vectors/micromdm/PKCSReq.der` shows (A13090761A30F66664F85D37433D2065E1112BA1, 19);
# `openssl cms -verify -noverify` accepts its signature.
set -euo pipefail
build=$1 src=$2
command -v jq >/dev/null || exit 77
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component dev >/dev/null
vector=$src/tests/vectors/micromdm/PKCSReq.der
fail=0
check() { # what expected got
    if [ "$2" != "$3" ]; then echo "FAIL $1: expected [$2], got [$3]"; fail=1; else echo "ok   $1"; fi
}

want=$'POSTPKIOperation\nSHA-256\nAES\nGetCACert ca1 '"$(sed -n 's/^#define SCEPDEC_VERSION "\(.*\)"/\1/p' "$src/libscepdec/include/scepdec.h")"
want_json="A13090761A30F66664F85D37433D2065E1112BA1 19"
json_facts() { jq -r -s '"\(.[0].transaction_id) \(.[0].message_type)"'; }
verify_facts() { jq -r -s '"\(.[0].transaction_id) \(.[0].message_type) \(.[1].message_digest) \(.[1].signature)"'; }

cmake -S "$src/tests/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
check "find_package scepdec::scepdec" "$want" "$("$work/cmake-build/consumer")"
check "find_package scepdec::core, JSON" "$want_json" "$("$work/cmake-build/consumer_json" "$vector" | json_facts)"
check "find_package scepdec::scepdec, verify" "$want_json ok ok" \
    "$("$work/cmake-build/consumer_verify" "$vector" | verify_facts)"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
c="$src/tests/consumer"
for mode in plain static; do
    flags=(--cflags --libs); [ $mode = static ] && flags+=(--static)
    # shellcheck disable=SC2046
    cc -std=c11 -o "$work/pc-$mode" "$c/main.c" $(pkg-config "${flags[@]}" scepdec)
    check "pkg-config $mode: caps and query" "$want" "$("$work/pc-$mode")"
    # shellcheck disable=SC2046
    cc -std=c11 -o "$work/pc-json-$mode" "$c/json.c" $(pkg-config "${flags[@]}" scepdec)
    check "pkg-config $mode: decode and JSON" "$want_json" "$("$work/pc-json-$mode" "$vector" | json_facts)"
    # shellcheck disable=SC2046
    cc -std=c11 -DCONSUMER_VERIFY -o "$work/pc-verify-$mode" "$c/json.c" $(pkg-config "${flags[@]}" scepdec)
    check "pkg-config $mode: decode, JSON, verify" "$want_json ok ok" \
        "$("$work/pc-verify-$mode" "$vector" | verify_facts)"
done

core_libs=$(pkg-config --libs scepdec-core)
check "scepdec-core's link line names no OpenSSL" "" "$(grep -o -- '-lcrypto' <<<"$core_libs" || true)"
# shellcheck disable=SC2046
cc -std=c11 -o "$work/pc-core-json" "$c/json.c" $(pkg-config --cflags scepdec-core) $core_libs
check "pkg-config scepdec-core: decode and JSON" "$want_json" "$("$work/pc-core-json" "$vector" | json_facts)"
check "scepdec-core program needs no libcrypto" "" \
    "$(readelf -d "$work/pc-core-json" | grep -o 'libcrypto[^]]*' || true)"
exit $fail
