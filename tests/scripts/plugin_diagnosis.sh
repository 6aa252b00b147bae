#!/bin/bash
# plugin_diagnosis.sh — scep.diagnosis over every capture in captures/: the codes and the frames
# they stand on equal the `diagnosis` column of captures/golden/enrollments.tsv (derived by
# captures/make-enrollments from stock tshark and openssl, checked against the peers' logs),
# for the codes the plugin implements; in one pass and in two. Codes the plugin does not
# implement yet are listed, not failed.
# usage: bash plugin_diagnosis.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
golden=$SRC/captures/golden/enrollments.tsv
[ -f "$golden" ] || { echo "no $golden: skipped"; exit 77; }
implemented='^(recipient-not-published|signer-not-published|clock-skew|challenge|algorithm-not-advertised|url-too-long|pending-unpolled|unanswered|server-error|nonce-mismatch|nonce-reused|signature-invalid|certificate-expired)@'
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

checked=0 codes=0
for name in $(awk -F'\t' 'NR > 1 { print $1 }' "$golden" | uniq); do
    [ -f "$SRC/captures/$name.pcapng" ] || continue
    pcap=$(stage "$SRC/captures/$name.pcapng")
    want=$(awk -F'\t' -v n="$name" '$1 == n { gsub(/ /, "\n", $8); print $8 }' "$golden" |
           grep -E "$implemented" | sort)
    codes=$((codes + $(grep -c . <<<"$want")))
    for passes in "" -2; do
        got=$(scep_tshark -r "$pcap" $passes -Y scep.diagnosis -T fields -E occurrence=a -E aggregator='|' \
                  -e frame.number -e scep.diagnosis 2>/dev/null |
              awk -F'\t' '{ n = split($2, d, "|"); for (i = 1; i <= n; i++) { sub(/:.*/, "", d[i]); print d[i] "@" $1 } }' | sort)
        expect_golden "$name ${passes:-(one pass)}" "diagnosis codes" "$golden" "$want" "$got"
    done
    checked=$((checked + 1))
done
pending=$(awk -F'\t' 'NR > 1 { gsub(/ /, "\n", $8); print $8 }' "$golden" | grep -v '^-$' |
          grep -Ev "$implemented" | sed 's/@.*//' | sort | uniq -c | tr -s ' ' | tr '\n' ',')
echo "plugin_diagnosis: $checked captures, $codes expected code(s) checked; not implemented yet:$pending; $failures failure(s)"
[ "$failures" -eq 0 ]
