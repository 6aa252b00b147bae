#!/bin/bash
# plugin_sharkd.sh — SCEP as the GUI shows it. sharkd runs the code paths of Wireshark's GUI
# (a first pass over the file, then fresh dissections for the packet list and for every
# display filter, without the fields tshark's single pass primes). On every capture in
# captures/, sharkd must agree with tshark's single pass:
#   1. the packet list: Protocol and Info of every frame (SCEP frames say SCEP and SCEP's Info);
#   2. the frames selected by `scep`, `scep.pki_status == 2`, `scep.message_type == N` for
#      each messageType present and `scep.transaction_id == "…"` for each transaction;
# and tshark's two-pass summary lines (-2, no fields asked for) must show the same Protocol
# and Info as its single pass.
# usage: bash plugin_sharkd.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
command -v sharkd >/dev/null || { echo "sharkd not installed: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed: skipped"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
same() { # LABEL EXPECTED GOT
    if [ "$2" != "$3" ]; then
        fail "$1"
        diff <(echo "$2") <(echo "$3") | head -n 10 | sed 's/^/    /'
    fi
}

shopt -s nullglob
captures=("$SRC"/captures/*.pcapng)
[ ${#captures[@]} -gt 0 ] || { echo "no captures/*.pcapng: skipped"; exit 77; }

scep_frames_total=0
for cap in "${captures[@]}"; do
    name=$(basename "$cap" .pcapng)
    pcap=$(stage "$cap")
    # tshark's single pass: columns and SCEP's fields of every frame.
    one_pass=$(paste <(scep_columns -r "$pcap" 2>/dev/null) <(scep_tshark -r "$pcap" -T fields \
        -E occurrence=a -E aggregator=, -e scep.message_type -e scep.pki_status \
        -e scep.transaction_id 2>/dev/null))
    scep_list=$(awk -F"\t" -v OFS="\t" "\$2 == \"SCEP\" { print \$1, \$2, \$3 }" <<<"$one_pass")
    two_pass=$(scep_columns -2 -r "$pcap" 2>/dev/null | awk -F"\t" "\$2 == \"SCEP\"")
    same "$name: tshark -2 summary lines differ from one pass on SCEP frames" "$scep_list" "$two_pass"

    # The filters: scep itself, failures, each messageType and transactionID seen, with the
    # frames tshark's fields say each selects.
    filters=("scep" "scep.pki_status == 2")
    mapfile -t -O 2 filters < <(awk -F'\t' '{ n = split($4, t, ","); for (i = 1; i <= n; i++) print "scep.message_type == " t[i]
                                               n = split($6, t, ","); for (i = 1; i <= n; i++) print "scep.transaction_id == \"" t[i] "\"" }' \
                                    <<<"$one_pass" | awk '!seen[$0]++')
    expected_frames() { # FILTER
        case $1 in
        scep) awk -F'\t' '$2 == "SCEP" { print $1 }' <<<"$one_pass" ;;
        "scep.pki_status == "*) awk -F'\t' -v v="${1##* }" '{ n = split($5, t, ","); for (i = 1; i <= n; i++) if (t[i] == v) { print $1; break } }' <<<"$one_pass" ;;
        "scep.message_type == "*) awk -F'\t' -v v="${1##* }" '{ n = split($4, t, ","); for (i = 1; i <= n; i++) if (t[i] == v) { print $1; break } }' <<<"$one_pass" ;;
        "scep.transaction_id == "*) v=${1#*\"}; awk -F'\t' -v v="${v%\"}" '{ n = split($6, t, ","); for (i = 1; i <= n; i++) if (t[i] == v) { print $1; break } }' <<<"$one_pass" ;;
        esac
    }

    requests=$(jq -cn --arg f "$pcap" '{jsonrpc: "2.0", id: 1, method: "load", params: {file: $f}}')
    requests+=$'\n'$(jq -cn '{jsonrpc: "2.0", id: 2, method: "frames"}')
    for i in "${!filters[@]}"; do
        requests+=$'\n'$(jq -cn --arg f "${filters[$i]}" --argjson id $((i + 10)) \
            '{jsonrpc: "2.0", id: $id, method: "frames", params: {filter: $f}}')
    done
    answers=$(scep_sharkd <<<"$requests")
    [ "$(jq -r 'select(.id == 1) | .result.status' <<<"$answers")" = OK ] ||
        { fail "$name: sharkd did not load the capture"; continue; }

    # 1. Packet list: No., Protocol, Info (sharkd's default columns 0, 4, 6) of SCEP frames,
    #    and no frame SCEP in one and not the other.
    list=$(jq -r 'select(.id == 2) | .result[] | [.c[0], .c[4], .c[6]] | @tsv' <<<"$answers" |
           awk -F'\t' '$2 == "SCEP"')
    same "$name: sharkd packet list (Protocol, Info) differs from tshark" "$scep_list" "$list"
    scep_frames_total=$((scep_frames_total + $(grep -c . <<<"$list")))

    # 2. Display filters.
    for i in "${!filters[@]}"; do
        want=$(expected_frames "${filters[$i]}")
        got=$(jq -r --argjson id $((i + 10)) 'select(.id == $id) | .result[] | .num' <<<"$answers")
        same "$name: sharkd filter '${filters[$i]}'" "$want" "$got"
        [ "${filters[$i]}" = scep ] && [ -z "$got" ] && fail "$name: sharkd shows no SCEP frame"
    done
done

echo "plugin_sharkd: ${#captures[@]} captures, $scep_frames_total SCEP frames in sharkd's packet list, $failures failure(s)"
[ "$failures" -eq 0 ]
