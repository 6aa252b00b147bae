#!/bin/bash
# plugin_expert_column.sh — tshark's summary lines build no tree, so the plugin records only
# its expert infos' severities there (plugin/scep-expert.c). The Expert column (%a) must then
# show, for every frame of every capture in captures/, the highest severity among the frame's
# expert infos as Wireshark lists them when it does build the tree (-e _ws.expert.severity),
# which is what stock tshark shows for frames without SCEP. Recording each severity as it came
# showed the last one instead: 24 frames of 18 captures read Note where a Warning or an Error
# was raised.
# usage: bash plugin_expert_column.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
. "$SRC/plugin/tests/tshark-env.bash"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# highest_severity: "FRAME NAME" per frame from "FRAME<TAB>severity,severity,...", the
# severities as numbers (Wireshark up to 4.2) or as names (later releases).
highest_severity() {
    awk -F'\t' '
        BEGIN { rank["Chat"] = 1; rank["Note"] = 2; rank["Warning"] = 3; rank["Error"] = 4
                name[2097152] = "Chat"; name[4194304] = "Note"; name[6291456] = "Warning"
                name[8388608] = "Error" }
        {
            n = split($2, s, ","); best = ""
            for (i = 1; i <= n; i++) {
                v = (s[i] in name) ? name[s[i]] : s[i]
                if (v != "" && (best == "" || rank[v] > rank[best])) best = v
            }
            print $1, best
        }'
}

frames=0
raised=0
for capture in "$SRC"/captures/*.pcapng; do
    copy=$(stage "$capture")
    label=$(basename "$capture")
    column=$(scep_tshark -r "$copy" -o 'gui.column.format:"No.","%m","Expert","%a"' 2>/dev/null |
             awk '{ print $1, $2 }' | sed 's/ $//')
    highest=$(scep_tshark -r "$copy" -T fields -e frame.number -e _ws.expert.severity \
                  -E occurrence=a -E aggregator=, 2>/dev/null | highest_severity | sed 's/ $//')
    if [ -z "$highest" ]; then
        fail "$label: tshark printed no frames"
        continue
    fi
    if [ "$column" != "$highest" ]; then
        fail "$label: the Expert column without a tree is not the frame's highest severity"
        diff <(echo "$highest") <(echo "$column") | head -n 6 | sed 's/^/    /'
    fi
    frames=$((frames + $(wc -l <<<"$highest")))
    raised=$((raised + $(grep -c -E ' (Warning|Error)$' <<<"$highest")))
done
# Not vacuous: the corpus raises warnings and errors (diagnoses, FAILURE, deprecated algorithms).
[ "$raised" -gt 20 ] || fail "only $raised frames with a warning or an error: the corpus should raise more"
echo "checked $frames frames, $raised of them with a warning or an error"
[ "$failures" = 0 ] && echo "PASS" || exit 1
