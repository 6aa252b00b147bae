#!/bin/bash
# plugin_reuse.sh — without a tree (tshark's summary lines), the plugin decodes a GetCACaps
# answer, a certificate bundle or a short request target once per distinct bytes and reuses
# the result for the repeats (plugin/scep-reuse.c); with a tree (here a display filter, which
# builds one) it decodes every message afresh. Both must show the same Protocol, Info and
# Expert columns on every frame of real micromdm enrollments: two runs of
# bench/make-dense-capture, one after the other, each with a CA of its own whose name differs
# from the other's in one character only. The second run's GetCACert answer has the length of
# the first's but other bytes: an answer reused by mistake would show its clients' requests as
# encrypted to a CA certificate nobody published (an Error in the Expert column), which the
# tree's fresh decode does not raise.
# usage: bash plugin_reuse.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
command -v mergecap >/dev/null || { echo "mergecap not installed: skipped"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for run in 1 2; do
    SCEP_BENCH_PORT=$((19260 + run)) SCEP_BENCH_CA="reuse test CA $run" \
        "$SRC/bench/make-dense-capture" 12 "$PLUGIN_TMP/run$run.pcapng" \
        >/dev/null 2>"$PLUGIN_TMP/make.err"
    status=$?
    [ "$status" = 77 ] && { echo "$(tail -n 1 "$PLUGIN_TMP/make.err"): skipped"; exit 77; }
    [ "$status" = 0 ] || { cat "$PLUGIN_TMP/make.err"; echo "FAIL: make-dense-capture"; exit 1; }
done
capture=$PLUGIN_TMP/both.pcapng
mergecap -a -w "$capture" "$PLUGIN_TMP/run1.pcapng" "$PLUGIN_TMP/run2.pcapng"
chmod a+r "$capture"

columns='gui.column.format:"No.","%m","Protocol","%p","Expert","%a","Info","%i"'
without_tree=$(scep_tshark -r "$capture" -o "$columns" 2>&1)
with_tree=$(scep_tshark -r "$capture" -o "$columns" -Y frame 2>&1)
if [ "$without_tree" != "$with_tree" ]; then
    fail "the columns without a tree differ from those with a tree"
    diff <(echo "$with_tree") <(echo "$without_tree") | head -n 8 | sed 's/^/    /'
fi

# Not vacuous: each run repeats its answers, and the two runs' CA certificates differ.
answers=$(grep -c 'GetCACert response: 1 certificate' <<<"$without_tree")
[ "$answers" = 24 ] || fail "$answers GetCACert answers, not 24"
caps=$(grep -c 'GetCACaps: ' <<<"$without_tree")
[ "$caps" = 24 ] || fail "$caps GetCACaps answers, not 24"
# The answers' bytes as stock tshark's media dissector shows them (HTTP's own field).
lengths_and_bodies=$(stock_tshark -r "$capture" -Y 'http.content_type == "application/x-x509-ca-cert"' \
                         -T fields -e http.content_length -e media.type 2>/dev/null | sort -u)
certs=$(wc -l <<<"$lengths_and_bodies")
lengths=$(cut -f1 <<<"$lengths_and_bodies" | sort -u | wc -l)
[ "$certs" = 2 ] || fail "$certs distinct CA certificates published, not 2"
[ "$lengths" = 1 ] || echo "note: the two CA certificates differ in length this time"
grep -q -E 'Error' <<<"$with_tree" && fail "an enrollment raised an Error: $(grep -m1 Error <<<"$with_tree")"
echo "compared $(wc -l <<<"$with_tree") frames: $answers GetCACert and $caps GetCACaps answers, $certs CA certificates"
[ "$failures" = 0 ] && echo "PASS" || exit 1
