#!/bin/bash
# plugin_captures.sh — the Wireshark plugin on every capture in captures/*.pcapng:
#   1. `-T fields` per SCEP frame equals captures/golden/<capture>.tsv (expectations made
#      from stock tshark and openssl, independent of scepdec);
#   2. display filters select exactly the golden frames: scep.pki_status == 2,
#      scep.message_type == 19, scep.transaction_id == "<each tid>", and `scep` itself;
#   3. no "Dissector bug", no exception and no malformed mark caused by SCEP, and frames that
#      are not SCEP look exactly as they do without the plugin;
#   4. every CertRep and every response to a request in the capture is linked both ways
#      (scep.response_to / scep.response_in);
#   5. -T json and -T ek are valid JSON carrying the SCEP fields; -z scep,tree counts the
#      golden messages.
# usage: bash plugin_captures.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

shopt -s nullglob
captures=("$SRC"/captures/*.pcapng)
[ ${#captures[@]} -gt 0 ] || { echo "no captures/*.pcapng: skipped"; exit 77; }

# The summary columns plus one that is not empty on malformed frames.
MALFORMED_COLUMNS='gui.column.format:"No.","%m","Protocol","%p","Info","%i","Malformed","%Cus:_ws.malformed:0:R"'
FIELDS=(-e frame.number -e scep.operation -e scep.message_type -e scep.pki_status
        -e scep.fail_info -e scep.transaction_id -e scep.sender_nonce -e scep.recipient_nonce)
# frames matching FILTER, one a line
frames() { scep_tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null; }
# golden frames whose COLUMN (1-based) equals VALUE
golden_frames() { awk -F'\t' -v c="$2" -v v="$3" 'NR > 1 && $c == v { print $1 }' "$1"; }
same() { # LABEL EXPECTED GOT
    if [ "$2" != "$3" ]; then
        fail "$1"
        diff <(echo "$2") <(echo "$3") | head -n 20 | sed 's/^/    /'
    fi
}

checked=0
for cap in "${captures[@]}"; do
    name=$(basename "$cap" .pcapng)
    golden=$SRC/captures/golden/$name.tsv
    pcap=$(stage "$cap")

    # 3. Exceptions and bugs, in a two-pass verbose run (every item, CMS view included).
    verbose=$(scep_tshark -r "$pcap" -2 -V 2>&1)
    grep -n "Dissector bug\|Unhandled exception\|Dissector writer didn't" <<<"$verbose" |
        head -n 5 | while read -r line; do echo "    $line"; done
    grep -q "Dissector bug\|Unhandled exception" <<<"$verbose" && fail "$name: dissector bug"
    # Malformed marks must be the same with and without SCEP (a truncated capture may have
    # HTTP's own; SCEP's findings are expert infos, never exceptions), and frames that are
    # not SCEP must have the same summary with and without the plugin.
    # One summary run each, with a fourth column that marks malformed frames.
    with=$(scep_columns -r "$pcap" -2 -o "$MALFORMED_COLUMNS" 2>/dev/null)
    without=$(stock_columns -r "$pcap" -2 -o "$MALFORMED_COLUMNS" 2>/dev/null)
    same "$name: malformed frames differ with the plugin" \
        "$(awk -F"\t" "\$4 != \"\" { print \$1 }" <<<"$without")" "$(awk -F"\t" "\$4 != \"\" { print \$1 }" <<<"$with")"
    scep_frames=$(awk -F'\t' '$2 == "SCEP" { print $1 }' <<<"$with")
    keep='BEGIN { split(list, f, "\n"); for (i in f) s[f[i]] = 1 } !($1 in s)'
    same "$name: non-SCEP frames changed by the plugin" \
        "$(awk -F'\t' -v list="$scep_frames" "$keep" <<<"$without")" \
        "$(awk -F'\t' -v list="$scep_frames" "$keep" <<<"$with")"

    if [ ! -f "$golden" ]; then
        echo "note: $name has no golden file; only checked for exceptions"
        continue
    fi
    checked=$((checked + 1))

    # 1. Fields per frame, in two passes, with the links (4.) and the statistics (5.) of the
    #    same run: fields first, then -z's table after a line of "=".
    two_pass=$(scep_tshark -r "$pcap" -2 -Y scep -T fields "${FIELDS[@]}" -e scep.response_to \
               -e scep.response_in -e scep.response_time -z scep,tree 2>/dev/null)
    same "$name: -T fields differs from $golden" \
        "$(tail -n +2 "$golden")" "$(sed '/^====/,$d; /^$/d' <<<"$two_pass" | cut -f1-8)"

    # 2. Filters (one pass, as a user filtering a live capture would), the first with the
    #    one-pass statistics.
    one_pass=$(scep_tshark -r "$pcap" -Y scep -T fields -e frame.number -z scep,tree 2>/dev/null)
    same "$name: filter scep" "$(awk -F'\t' 'NR > 1 { print $1 }' "$golden")" \
        "$(sed '/^====/,$d; /^$/d' <<<"$one_pass")"
    same "$name: filter scep.pki_status == 2" "$(golden_frames "$golden" 4 2)" \
        "$(frames "$pcap" 'scep.pki_status == 2')"
    same "$name: filter scep.message_type == 19" "$(golden_frames "$golden" 3 19)" \
        "$(frames "$pcap" 'scep.message_type == 19')"
    awk -F'\t' 'NR > 1 && $6 != "" { print $6 }' "$golden" | sort -u | while read -r tid; do
        same "$name: filter scep.transaction_id == \"$tid\"" "$(golden_frames "$golden" 6 "$tid")" \
            "$(frames "$pcap" "scep.transaction_id == \"$tid\"")"
    done >"$PLUGIN_TMP/tid.out"
    if [ -s "$PLUGIN_TMP/tid.out" ]; then cat "$PLUGIN_TMP/tid.out"; fail "$name: transaction_id filters"; fi

    # 4. Request/response links: every response whose request is in the capture points at
    # it, that request points back, and a response time goes with every link.
    links=$(sed '/^====/,$d; /^$/d' <<<"$two_pass" | cut -f1,9-11)
    while read -r problem; do
        [ -n "$problem" ] && fail "$name: $problem"
    done < <(awk -F'\t' '{ to[$1] = $2; back[$1] = $3; t[$1] = $4 }
        END { for (f in to) if (to[f] != "") {
                  if (back[to[f]] != f) print "frame " f " answers " to[f] ", which says response_in \"" back[to[f]] "\""
                  if (t[f] == "") print "frame " f " has response_to but no response_time" } }' <<<"$links")
    for r in $(awk -F'\t' 'NR > 1 && $3 == "3" { print $1 }' "$golden"); do
        [ -n "$(awk -F'\t' -v r="$r" '$1 == r { print $2 }' <<<"$links")" ] ||
            fail "$name: CertRep in frame $r is not linked to a request"
    done

    # 5. JSON and EK exports parse and carry the fields with the right shapes.
    if command -v jq >/dev/null; then
        json=$(scep_tshark -r "$pcap" -2 -Y scep -T json 2>/dev/null)
        jq -e 'type == "array"' <<<"$json" >/dev/null || fail "$name: -T json is not a JSON array"
        n=$(jq '[.[]._source.layers.scep | select(. != null)] | length' <<<"$json" 2>/dev/null)
        [ "$n" = "$(awk 'NR > 1' "$golden" | wc -l)" ] || fail "$name: -T json has $n scep layers"
        bad=$(jq -r '.. | objects | to_entries[] | select(.key == "scep.sender_nonce" or .key == "scep.recipient_nonce")
                     | .value | select(test("^[0-9a-f]{2}(:[0-9a-f]{2})*$") | not)' <<<"$json" 2>/dev/null)
        [ -z "$bad" ] || fail "$name: -T json nonce not colon hex: $bad"
        ek=$(scep_tshark -r "$pcap" -2 -Y scep -T ek 2>/dev/null)
        jq -e . <<<"$ek" >/dev/null 2>&1 || fail "$name: -T ek is not JSON lines"
        n=$(jq -c 'select(.layers.scep != null)' <<<"$ek" 2>/dev/null | wc -l)
        [ "$n" = "$(awk 'NR > 1' "$golden" | wc -l)" ] || fail "$name: -T ek has $n scep layers"
        bad=$(jq -r 'select(.layers.scep.scep_scep_signing_time != null) | .layers.scep.scep_scep_signing_time
                     | if type == "array" then .[] else . end | select(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T") | not)' <<<"$ek" 2>/dev/null)
        [ -z "$bad" ] || fail "$name: -T ek signing_time not ISO 8601: $bad"
    fi

    # 5. Statistics: one tick per SCEP message.
    #    In one pass and in two (-2: tshark 4.0's second pass gives the postdissector no HTTP
    #    fields, the counts must come from the first pass).
    for run in one_pass two_pass; do
        total=$(awk '/^SCEP messages/ { print $3 }' <<<"${!run}")
        [ "$total" = "$(awk 'NR > 1' "$golden" | wc -l)" ] || fail "$name: -z scep,tree ($run) counts '$total' messages"
    done
done

echo "plugin_captures: ${#captures[@]} captures, $checked with golden files, $failures failure(s)"
[ "$failures" -eq 0 ]
