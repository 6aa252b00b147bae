#!/bin/bash
# plugin_enrollments.sh — `tshark -z scep,enrollments` over every capture in captures/: each
# row's transactionID, client, server, requests, outcome and request:response frames equal
# captures/golden/enrollments.tsv, which captures/make-enrollments derives from stock tshark
# and openssl and tests/scripts/captures_enrollments.sh checks against the peers' own logs.
# One pass and two passes (-2) must give the same rows.
# usage: bash plugin_enrollments.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
golden=$SRC/captures/golden/enrollments.tsv
[ -f "$golden" ] || { echo "no $golden: skipped"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# rows PCAP [-2]: the table's rows as transaction, client, server, requests, outcome, frames.
rows() {
    scep_tshark -q -r "$@" -z scep,enrollments 2>/dev/null |
        awk -F'\t' -v OFS='\t' 'NF == 9 && $1 != "transaction" { print $1, $2, $3, $5, $6, $8 }'
}

checked=0
for name in $(awk -F'\t' 'NR > 1 { print $1 }' "$golden" | uniq); do
    [ -f "$SRC/captures/$name.pcapng" ] || { fail "$name: in $golden but not in captures/"; continue; }
    pcap=$(stage "$SRC/captures/$name.pcapng")
    want=$(awk -F'\t' -v OFS='\t' -v n="$name" '$1 == n { print $2, $3, $4, $5, $6, $7 }' "$golden")
    for passes in "" -2; do
        got=$(rows "$pcap" $passes)
        expect_golden "$name ${passes:-(one pass)}" "enrollment rows" "$golden" "$want" "$got"
    done
    checked=$((checked + 1))
done
echo "plugin_enrollments: $checked captures, $(awk 'NR > 1' "$golden" | wc -l) golden rows, $failures failure(s)"
[ "$failures" -eq 0 ]
