#!/bin/bash
# plugin_first_pass.sh — a first pass that nobody looks at (tshark -2's: no tree, no expert
# tap, no Expert column) skips the diagnoses but still records what the CA publishes, for the
# diagnoses of the second pass.
#
# Capture (crafted from a real one): strongSwan's enrollment against micromdm, with the
# GetCACaps connection (TCP stream 0) moved one second later, after the PKIOperation
# connection, by editcap and mergecap. A single pass meets the request before the CA's
# capabilities and cannot name algorithm-not-advertised; a second pass can, from what the first
# recorded. The expected codes are those the original capture, in its real order, gives the
# request in a single pass.
# usage: bash plugin_first_pass.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
for tool in editcap mergecap; do
    command -v "$tool" >/dev/null || { echo "$tool not installed: skipped"; exit 77; }
done
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

original=$(stage "$SRC/captures/strongswan-enroll-des3-sha1.pcapng")
# Split as the invoking user: the unprivileged runs of scep_tshark cannot write here.
tshark -r "$original" -Y 'tcp.stream == 0' -w "$PLUGIN_TMP/caps.pcapng" 2>/dev/null
tshark -r "$original" -Y 'tcp.stream != 0' -w "$PLUGIN_TMP/rest.pcapng" 2>/dev/null
editcap -t 1 "$PLUGIN_TMP/caps.pcapng" "$PLUGIN_TMP/caps-late.pcapng" >/dev/null
late=$PLUGIN_TMP/caps-late-merged.pcapng
mergecap -w "$late" "$PLUGIN_TMP/rest.pcapng" "$PLUGIN_TMP/caps-late.pcapng"
chmod a+r "$late"

# request_codes: the diagnosis codes ("[Diagnosis: CODE: ..." items) of the frame that holds
# the PKIOperation request, in a -V listing.
request_codes() {
    awk '/^Frame [0-9]+:/ { request = 0 } /POST \/scep\?operation=PKIOperation/ { request = 1 }
         request && match($0, /\[Diagnosis[^:]*: [a-z-]+:/) {
             code = substr($0, RSTART, RLENGTH - 1); sub(/.*: /, "", code); print code }' | sort -u
}

expected=$(scep_tshark -r "$original" -V 2>/dev/null | request_codes)
single=$(scep_tshark -r "$late" -V 2>/dev/null | request_codes)
two_pass=$(scep_tshark -r "$late" -2 -V 2>/dev/null | request_codes)
first_request=$(stock_tshark -r "$late" -Y http.request -T fields -e http.request.method 2>/dev/null | head -n 1)

[ "$first_request" = POST ] || fail "the merged capture's first request is '$first_request', not the PKIOperation POST"
grep -qx 'algorithm-not-advertised' <<<"$expected" ||
    fail "the original capture's request shows no algorithm-not-advertised: '$expected'"
grep -qx 'algorithm-not-advertised' <<<"$single" &&
    fail "a single pass named algorithm-not-advertised before the CA's capabilities were seen"
[ "$two_pass" = "$expected" ] ||
    fail "second pass: request codes '$(echo $two_pass)', expected '$(echo $expected)' (the original's)"
echo "request codes: original '$(echo $expected)', re-timed single pass '$(echo $single)', -2 '$(echo $two_pass)'"
[ "$failures" = 0 ] && echo "PASS" || exit 1
