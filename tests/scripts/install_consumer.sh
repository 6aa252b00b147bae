#!/usr/bin/env bash
# Installs libscepdec from the build tree into a scratch prefix and builds a throwaway
# consumer against it twice: once with find_package(scepdec), once with pkg-config.
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component dev >/dev/null

want=$'POSTPKIOperation\nSHA-256\nAES\nGetCACert ca1 '"$(sed -n 's/^#define SCEPDEC_VERSION "\(.*\)"/\1/p' "$src/libscepdec/include/scepdec.h")"

cmake -S "$src/tests/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
got=$("$work/cmake-build/consumer")
[ "$got" = "$want" ] || { echo "find_package consumer: expected [$want], got [$got]"; exit 1; }

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -o "$work/pc-consumer" "$src/tests/consumer/main.c" $(pkg-config --cflags --libs --static scepdec)
got=$("$work/pc-consumer")
[ "$got" = "$want" ] || { echo "pkg-config consumer: expected [$want], got [$got]"; exit 1; }
echo "install_consumer: find_package and pkg-config consumers both built and ran"
